/*
 * store_pg.c: the PostgreSQL backend of the storage interface (libpq).
 *
 * The same schema as the SQLite backend, table for table and column for
 * column, built by the same numbered migrations in PostgreSQL's dialect.
 * All SQL of the backend lives here and in store_pg_key.c,
 * store_pg_ledger.c, store_pg_programme.c and store_pg_account.c; values
 * are always bound as parameters of prepared statements.
 *
 * Concurrency (docs/postgresql.md): every write transaction takes the
 * writer lock of its schema first (a transaction-level advisory lock), so
 * hafen's writers run one after the other, as SQLite's BEGIN IMMEDIATE
 * makes them; every check db.c makes before a write holds until commit,
 * and ids are handed out as in SQLite (the highest plus one). Readers are
 * never blocked; a read of several statements (a quota table) runs in one
 * REPEATABLE READ snapshot. This file connects and migrates, runs
 * statements and transactions, stores units, indicators, memberships and
 * contacts, and fills the ops table.
 */
#include "store_pg_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* migrations[i] brings a database from schema i to i + 1; the numbering
 * is that of store_sqlite.c */
static const char *const migrations[] = {
    "CREATE TABLE schema_version(version bigint NOT NULL);"
    "CREATE TABLE units("
    " code text PRIMARY KEY, name text NOT NULL, kind text NOT NULL,"
    " parent text REFERENCES units(code));"
    "CREATE INDEX units_parent ON units(parent);"
    "CREATE TABLE indicators("
    " unit text NOT NULL REFERENCES units(code), name text NOT NULL,"
    " ref_date bigint NOT NULL, num bigint NOT NULL,"
    " den bigint NOT NULL CHECK (den > 0), source text NOT NULL,"
    " PRIMARY KEY (unit, name, ref_date));"
    "CREATE TABLE memberships("
    " unit text NOT NULL REFERENCES units(code),"
    " alliance text NOT NULL, joined bigint, source text NOT NULL,"
    " PRIMARY KEY (alliance, unit));"
    "CREATE TABLE contacts("
    " unit text PRIMARY KEY REFERENCES units(code), office text NOT NULL,"
    " email text NOT NULL, phone text NOT NULL);"
    "CREATE TABLE keys("
    " name text PRIMARY KEY, title text NOT NULL,"
    " parent text NOT NULL REFERENCES units(code), kind text NOT NULL,"
    " valid_from bigint, valid_to bigint,"
    " computed_year bigint NOT NULL, quota_year bigint NOT NULL,"
    " source text NOT NULL, ref_date bigint,"
    " cap_num bigint NOT NULL, cap_den bigint NOT NULL CHECK (cap_den > 0));"
    "CREATE TABLE key_weights("
    " key text NOT NULL REFERENCES keys(name), pos bigint NOT NULL,"
    " indicator text NOT NULL, num bigint NOT NULL,"
    " den bigint NOT NULL CHECK (den > 0), PRIMARY KEY (key, pos));"
    "CREATE TABLE key_shares("
    " key text NOT NULL REFERENCES keys(name),"
    " unit text NOT NULL REFERENCES units(code), num bigint NOT NULL,"
    " den bigint NOT NULL CHECK (den > 0), PRIMARY KEY (key, unit));"
    "CREATE TABLE key_credits("
    " key text NOT NULL REFERENCES keys(name),"
    " category bigint NOT NULL CHECK (category BETWEEN 0 AND 8),"
    " num bigint NOT NULL, den bigint NOT NULL CHECK (den > 0),"
    " PRIMARY KEY (key, category));"
    "CREATE TABLE standing_credits("
    " id bigint PRIMARY KEY, key text NOT NULL REFERENCES keys(name),"
    " unit text NOT NULL REFERENCES units(code),"
    " date_from bigint NOT NULL, date_to bigint NOT NULL,"
    " persons bigint NOT NULL, reason text NOT NULL);"
    "CREATE INDEX standing_key ON standing_credits(key);"
    "CREATE TABLE ledger("
    " id bigint PRIMARY KEY, date bigint NOT NULL,"
    " unit text NOT NULL REFERENCES units(code),"
    " persons bigint NOT NULL, household text NOT NULL,"
    " category bigint NOT NULL CHECK (category BETWEEN 0 AND 8),"
    " programme text NOT NULL, reference text NOT NULL,"
    " recorded_by text NOT NULL, recorded_at bigint NOT NULL,"
    " corrects bigint REFERENCES ledger(id),"
    " note text NOT NULL);"
    "CREATE INDEX ledger_date ON ledger(date);"
    "CREATE UNIQUE INDEX ledger_corrects ON ledger(corrects)"
    " WHERE corrects IS NOT NULL;"
    "CREATE FUNCTION hafen_ledger_append_only() RETURNS trigger"
    " LANGUAGE plpgsql AS $f$ BEGIN RAISE EXCEPTION"
    " 'the ledger is append-only: record a correction instead'"
    " USING ERRCODE = 'integrity_constraint_violation'; END $f$;"
    "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger"
    " FOR EACH ROW EXECUTE FUNCTION hafen_ledger_append_only();"
    "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger"
    " FOR EACH ROW EXECUTE FUNCTION hafen_ledger_append_only();"
    "CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger"
    " FOR EACH STATEMENT EXECUTE FUNCTION hafen_ledger_append_only();"
    "CREATE TABLE ledger_month("
    " month bigint NOT NULL, unit text NOT NULL,"
    " category bigint NOT NULL, persons bigint NOT NULL,"
    " entries bigint NOT NULL, PRIMARY KEY (month, unit, category));"
    "CREATE TABLE ledger_day("
    " day bigint NOT NULL, unit text NOT NULL,"
    " category bigint NOT NULL, persons bigint NOT NULL,"
    " entries bigint NOT NULL, PRIMARY KEY (day, unit, category));",
    /* 2: programmes, overrides, pledges, paired transfer entries */
    "CREATE TABLE programmes("
    " name text PRIMARY KEY, title text NOT NULL, kind text NOT NULL,"
    " parent text NOT NULL REFERENCES units(code),"
    " date_from bigint NOT NULL, date_to bigint NOT NULL,"
    " contingent bigint NOT NULL CHECK (contingent >= 0),"
    " key text REFERENCES keys(name),"
    " category bigint NOT NULL CHECK (category BETWEEN 0 AND 8),"
    " source text NOT NULL, CHECK (date_to >= date_from));"
    "CREATE TABLE programme_shares("
    " programme text NOT NULL REFERENCES programmes(name),"
    " unit text NOT NULL REFERENCES units(code), num bigint NOT NULL,"
    " den bigint NOT NULL CHECK (den > 0), PRIMARY KEY (programme, unit));"
    "CREATE TABLE overrides("
    " id bigint PRIMARY KEY, entry bigint NOT NULL REFERENCES ledger(id),"
    " programme text NOT NULL REFERENCES programmes(name),"
    " beyond bigint NOT NULL, reason text NOT NULL CHECK (reason <> ''),"
    " recorded_by text NOT NULL, recorded_at bigint NOT NULL);"
    "CREATE INDEX overrides_programme ON overrides(programme);"
    "CREATE FUNCTION hafen_overrides_append_only() RETURNS trigger"
    " LANGUAGE plpgsql AS $f$ BEGIN RAISE EXCEPTION"
    " 'the override log is append-only'"
    " USING ERRCODE = 'integrity_constraint_violation'; END $f$;"
    "CREATE TRIGGER overrides_no_update BEFORE UPDATE ON overrides"
    " FOR EACH ROW EXECUTE FUNCTION hafen_overrides_append_only();"
    "CREATE TRIGGER overrides_no_delete BEFORE DELETE ON overrides"
    " FOR EACH ROW EXECUTE FUNCTION hafen_overrides_append_only();"
    "CREATE TRIGGER overrides_no_truncate BEFORE TRUNCATE ON overrides"
    " FOR EACH STATEMENT EXECUTE FUNCTION hafen_overrides_append_only();"
    "CREATE TABLE pledges("
    " id bigint PRIMARY KEY, unit text NOT NULL REFERENCES units(code),"
    " programme text REFERENCES programmes(name),"
    " places bigint NOT NULL CHECK (places > 0),"
    " date_from bigint NOT NULL, date_to bigint NOT NULL,"
    " status text NOT NULL, note text NOT NULL,"
    " recorded_by text NOT NULL, recorded_at bigint NOT NULL,"
    " CHECK (date_to >= date_from));"
    "CREATE INDEX pledges_unit ON pledges(unit);"
    "ALTER TABLE ledger ADD COLUMN pair bigint REFERENCES ledger(id);"
    "CREATE UNIQUE INDEX ledger_pair ON ledger(pair)"
    " WHERE pair IS NOT NULL;"
    "CREATE INDEX ledger_programme ON ledger(programme)"
    " WHERE programme <> '';",
    /* 3: accounts of the web front end (units: comma-separated codes
     * of a unit office), sessions by the hash of their token, and the
     * audit log, append-only like the ledger */
    "CREATE TABLE accounts("
    " name text PRIMARY KEY, role text NOT NULL, units text NOT NULL,"
    " pwhash text NOT NULL, created_at bigint NOT NULL,"
    " changed_at bigint NOT NULL);"
    "CREATE TABLE sessions("
    " hash text PRIMARY KEY,"
    " account text NOT NULL REFERENCES accounts(name),"
    " csrf text NOT NULL, created_at bigint NOT NULL,"
    " expires_at bigint NOT NULL);"
    "CREATE INDEX sessions_account ON sessions(account);"
    "CREATE TABLE audit("
    " id bigint PRIMARY KEY, at bigint NOT NULL, account text NOT NULL,"
    " action text NOT NULL, object text NOT NULL, details text NOT NULL);"
    "CREATE INDEX audit_account ON audit(account);"
    "CREATE FUNCTION hafen_audit_append_only() RETURNS trigger"
    " LANGUAGE plpgsql AS $f$ BEGIN RAISE EXCEPTION"
    " 'the audit log is append-only'"
    " USING ERRCODE = 'integrity_constraint_violation'; END $f$;"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " FOR EACH ROW EXECUTE FUNCTION hafen_audit_append_only();"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " FOR EACH ROW EXECUTE FUNCTION hafen_audit_append_only();"
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit"
    " FOR EACH STATEMENT EXECUTE FUNCTION hafen_audit_append_only();",
    /* 4: the files imported, recognised by the SHA-256 of their bytes
     * (hafen import refuses a file twice unless forced) */
    "CREATE TABLE imports("
    " id bigint PRIMARY KEY, sha256 text NOT NULL, kind text NOT NULL,"
    " file text NOT NULL, rows bigint NOT NULL,"
    " imported_by text NOT NULL, imported_at bigint NOT NULL);"
    "CREATE INDEX imports_sha256 ON imports(sha256);",
};

#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

/* ids are the highest plus one, as SQLite's rowids: safe because every
 * insert runs under the writer lock */
#define NEXT_ID(t) "(SELECT coalesce(max(id), 0) + 1 FROM " t ")"

static const char *const sql[P_COUNT] = {
    [P_VERSION] = "SELECT max(version) FROM schema_version",
    [P_LOCK] = "SELECT pg_advisory_xact_lock($1::bigint)",
    [P_UNIT_INSERT] = "INSERT INTO units(code, name, kind, parent) "
		      "VALUES ($1, $2, $3, $4)",
    [P_UNIT_GET] = "SELECT code, name, kind, parent FROM units "
		   "WHERE code = $1",
    [P_UNIT_ALL] = "SELECT code, name, kind, parent FROM units "
		   "ORDER BY code COLLATE \"C\"",
    [P_UNIT_ROOTS] = "SELECT code, name, kind, parent FROM units "
		     "WHERE parent IS NULL ORDER BY code COLLATE \"C\"",
    [P_UNIT_CHILDREN] = "SELECT code, name, kind, parent FROM units "
			"WHERE parent = $1 ORDER BY code COLLATE \"C\"",
    [P_IND_PUT] = "INSERT INTO indicators"
		  "(unit, name, ref_date, num, den, source) "
		  "VALUES ($1, $2, $3, $4, $5, $6) "
		  "ON CONFLICT (unit, name, ref_date) DO UPDATE SET "
		  "num = excluded.num, den = excluded.den, "
		  "source = excluded.source",
    [P_IND_GET] = "SELECT unit, name, ref_date, num, den, source "
		  "FROM indicators WHERE unit = $1 AND name = $2 "
		  "AND ref_date = $3",
    [P_IND_LIST] = "SELECT unit, name, ref_date, num, den, source "
		   "FROM indicators WHERE ($1::text IS NULL OR unit = $1) "
		   "AND ($2::text IS NULL OR name = $2) "
		   "ORDER BY unit COLLATE \"C\", name COLLATE \"C\", "
		   "ref_date",
    [P_MEM_INSERT] = "INSERT INTO memberships(unit, alliance, joined, "
		     "source) VALUES ($1, $2, $3, $4)",
    [P_MEM_LIST] = "SELECT unit, alliance, joined, source FROM memberships "
		   "WHERE ($1::text IS NULL OR alliance = $1) "
		   "AND ($2::text IS NULL OR unit = $2) "
		   "ORDER BY alliance COLLATE \"C\", unit COLLATE \"C\"",
    [P_CONTACT_PUT] = "INSERT INTO contacts(unit, office, email, phone) "
		      "VALUES ($1, $2, $3, $4) "
		      "ON CONFLICT (unit) DO UPDATE SET "
		      "office = excluded.office, email = excluded.email, "
		      "phone = excluded.phone",
    [P_CONTACT_GET] = "SELECT unit, office, email, phone FROM contacts "
		      "WHERE unit = $1",
    [P_KEY_INSERT] = "INSERT INTO keys(" PG_KEY_COLS ") VALUES ($1, $2, "
		     "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    [P_KEY_WEIGHT] = "INSERT INTO key_weights(key, pos, indicator, num, "
		     "den) VALUES ($1, $2, $3, $4, $5)",
    [P_KEY_SHARE] = "INSERT INTO key_shares(key, unit, num, den) "
		    "VALUES ($1, $2, $3, $4)",
    [P_KEY_CREDIT] = "INSERT INTO key_credits(key, category, num, den) "
		     "VALUES ($1, $2, $3, $4)",
    [P_KEY_GET] = "SELECT " PG_KEY_COLS " FROM keys WHERE name = $1",
    [P_KEY_GET_WEIGHTS] = "SELECT indicator, num, den FROM key_weights "
			  "WHERE key = $1 ORDER BY pos",
    [P_KEY_GET_SHARES] = "SELECT unit, num, den FROM key_shares "
			 "WHERE key = $1 ORDER BY unit COLLATE \"C\"",
    [P_KEY_GET_CREDITS] = "SELECT category, num, den FROM key_credits "
			  "WHERE key = $1",
    [P_KEY_ALL] = "SELECT " PG_KEY_COLS " FROM keys "
		  "ORDER BY name COLLATE \"C\"",
    [P_KEY_OF_PARENT] = "SELECT " PG_KEY_COLS " FROM keys "
			"WHERE parent = $1 ORDER BY name COLLATE \"C\"",
    [P_KEY_SET_CREDIT] = "INSERT INTO key_credits(key, category, num, den) "
			 "VALUES ($1, $2, $3, $4) "
			 "ON CONFLICT (key, category) DO UPDATE SET "
			 "num = excluded.num, den = excluded.den",
    [P_STANDING_INSERT] =
	"INSERT INTO standing_credits(id, key, unit, "
	"date_from, date_to, persons, reason) "
	"VALUES (" NEXT_ID(
	    "standing_credits") ", $1, "
				"$2, $3, $4, $5, $6) RETURNING id",
    [P_STANDING_LIST] = "SELECT id, key, unit, date_from, date_to, "
			"persons, reason FROM standing_credits "
			"WHERE key = $1 ORDER BY id",
    [P_LEDGER_MAX] = "SELECT coalesce(max(id), 0) FROM ledger",
    /* a batch of summaries in one statement: five arrays, rows of the
     * same bucket summed first (ON CONFLICT may touch a row once) */
    [P_MONTH_ADD] = "INSERT INTO ledger_month(month, unit, category, "
		    "persons, entries) SELECT b, u, c, sum(p), sum(e) FROM "
		    "unnest($1::bigint[], $2::text[], $3::bigint[], "
		    "$4::bigint[], $5::bigint[]) AS x(b, u, c, p, e) "
		    "GROUP BY b, u, c "
		    "ON CONFLICT (month, unit, category) DO UPDATE SET "
		    "persons = ledger_month.persons + excluded.persons, "
		    "entries = ledger_month.entries + excluded.entries",
    [P_DAY_ADD] = "INSERT INTO ledger_day(day, unit, category, "
		  "persons, entries) SELECT b, u, c, sum(p), sum(e) FROM "
		  "unnest($1::bigint[], $2::text[], $3::bigint[], "
		  "$4::bigint[], $5::bigint[]) AS x(b, u, c, p, e) "
		  "GROUP BY b, u, c "
		  "ON CONFLICT (day, unit, category) DO UPDATE SET "
		  "persons = ledger_day.persons + excluded.persons, "
		  "entries = ledger_day.entries + excluded.entries",
    [P_LEDGER_GET] = "SELECT " PG_LEDGER_COLS " FROM ledger WHERE id = $1",
    [P_REVERSED_BY] = "SELECT id FROM ledger WHERE corrects = $1",
    [P_SUM_MONTHS] = "SELECT unit, category, sum(persons) FROM ledger_month "
		     "WHERE month BETWEEN $1 AND $2 GROUP BY unit, category",
    [P_SUM_DAYS] = "SELECT unit, category, sum(persons) FROM ledger_day "
		   "WHERE day BETWEEN $1 AND $2 GROUP BY unit, category",
    [P_PROG_INSERT] = "INSERT INTO programmes(" PG_PROG_COLS ") "
		      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    [P_PROG_SHARE] = "INSERT INTO programme_shares(programme, unit, num, "
		     "den) VALUES ($1, $2, $3, $4)",
    [P_PROG_GET] = "SELECT " PG_PROG_COLS " FROM programmes "
		   "WHERE name = $1",
    [P_PROG_GET_SHARES] = "SELECT unit, num, den FROM programme_shares "
			  "WHERE programme = $1 ORDER BY unit COLLATE \"C\"",
    [P_PROG_ALL] = "SELECT " PG_PROG_COLS " FROM programmes "
		   "ORDER BY name COLLATE \"C\"",
    [P_OVERRIDE_INSERT] =
	"INSERT INTO overrides(id, entry, programme, "
	"beyond, reason, recorded_by, recorded_at) "
	"VALUES (" NEXT_ID("overrides") ", $1, $2, $3, "
					"$4, $5, $6) RETURNING id",
    [P_OVERRIDE_LIST] = "SELECT o.id, o.entry, o.programme, l.unit, "
			"l.persons, o.beyond, o.reason, o.recorded_by, "
			"o.recorded_at FROM overrides o "
			"JOIN ledger l ON l.id = o.entry "
			"WHERE $1::text IS NULL OR o.programme = $1 "
			"ORDER BY o.id",
    [P_PLEDGE_INSERT] =
	"INSERT INTO pledges(id, unit, programme, places, "
	"date_from, date_to, status, note, recorded_by, "
	"recorded_at) VALUES (" NEXT_ID(
	    "pledges") ", $1, "
		       "$2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    [P_PLEDGE_LIST] = "SELECT " PG_PLEDGE_COLS " FROM pledges "
		      "WHERE $1::text IS NULL OR unit = $1 ORDER BY id",
    [P_PLEDGE_STATUS] = "UPDATE pledges SET status = $1 WHERE id = $2",
    [P_ACCOUNT_INSERT] = "INSERT INTO accounts(" PG_ACCOUNT_COLS ") "
			 "VALUES ($1, $2, $3, $4, $5, $6)",
    [P_ACCOUNT_UPDATE] = "UPDATE accounts SET role = $2, units = $3, "
			 "pwhash = $4, changed_at = $5 WHERE name = $1",
    [P_ACCOUNT_GET] = "SELECT " PG_ACCOUNT_COLS " FROM accounts "
		      "WHERE name = $1",
    [P_ACCOUNT_ALL] = "SELECT " PG_ACCOUNT_COLS " FROM accounts "
		      "ORDER BY name COLLATE \"C\"",
    [P_SESSION_INSERT] = "INSERT INTO sessions(hash, account, csrf, "
			 "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    [P_SESSION_GET] = "SELECT account, csrf, created_at, expires_at "
		      "FROM sessions WHERE hash = $1",
    [P_SESSION_DELETE] = "DELETE FROM sessions WHERE hash = $1 "
			 "OR account = $2 OR expires_at <= $3::bigint",
    [P_AUDIT_INSERT] =
	"INSERT INTO audit(id, at, account, action, object, details) "
	"VALUES (" NEXT_ID("audit") ", $1, $2, $3, $4, $5) RETURNING id",
    /* the newest $6 rows (NULL: all), handed back oldest first */
    [P_AUDIT_LIST] = "SELECT * FROM (SELECT " PG_AUDIT_COLS " FROM audit "
		     "WHERE ($1::text IS NULL OR account = $1) "
		     "AND ($2::text IS NULL OR "
		     "left(action, length($2)) = $2) "
		     "AND ($3::bigint IS NULL OR at >= $3) "
		     "AND ($4::bigint IS NULL OR at <= $4) "
		     "AND id > $5::bigint ORDER BY id DESC LIMIT $6::bigint) a "
		     "ORDER BY id",
    [P_IMPORT_FIND] = "SELECT sha256, kind, file, rows, imported_by, "
		      "imported_at FROM imports WHERE sha256 = $1 "
		      "ORDER BY id DESC LIMIT 1",
    [P_IMPORT_INSERT] =
	"INSERT INTO imports(id, sha256, kind, file, rows, imported_by, "
	"imported_at) VALUES (" NEXT_ID("imports") ", $1, $2, $3, $4, $5, $6)",
    [P_TABLES] =
	"SELECT c.relname FROM pg_class c "
	"WHERE c.relkind IN ('r', 'p') AND c.relnamespace = "
	"(SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
	"ORDER BY c.relname COLLATE \"C\"",
};

/* ---- arguments ------------------------------------------------------- */

void hf__pg_int(hf__pg_args *a, int64_t x)
{
	snprintf(a->num[a->n], sizeof a->num[a->n], "%" PRId64, x);
	a->v[a->n] = a->num[a->n];
	a->n++;
}

void hf__pg_date(hf__pg_args *a, hf_date d)
{
	if (d == HF_DATE_NONE)
		a->v[a->n++] = NULL;
	else
		hf__pg_int(a, d);
}

void hf__pg_id(hf__pg_args *a, int64_t id)
{
	if (id)
		hf__pg_int(a, id);
	else
		a->v[a->n++] = NULL;
}

void hf__pg_opt(hf__pg_args *a, const char *t)
{
	a->v[a->n++] = t && t[0] ? t : NULL;
}

/* ---- errors ---------------------------------------------------------- */

int hf__pg_nomem(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Nicht genug Speicher.",
			    "Out of memory.");
}

static int map_state(const char *st)
{
	if (!st)
		return HF_EIO; /* no answer: the connection is gone */
	if (!strcmp(st, "23503"))
		return HF_ENOTFOUND;
	if (!strcmp(st, "23505"))
		return HF_EEXIST;
	if (!strncmp(st, "23", 2))
		return HF_ECONFLICT;
	if (!strcmp(st, "25006") || !strcmp(st, "42501"))
		return HF_EREADONLY;
	if (!strcmp(st, "40001") || !strcmp(st, "40P01") ||
	    !strcmp(st, "55P03") || !strcmp(st, "57014"))
		return HF_EBUSY;
	if (!strncmp(st, "08", 2) || !strncmp(st, "57", 2) ||
	    !strncmp(st, "58", 2))
		return HF_EIO;
	if (!strcmp(st, "53200"))
		return HF_ENOMEM;
	if (!strcmp(st, "22021")) /* bytes that are not UTF-8 */
		return HF_EINVAL;
	return HF_ESTORAGE;
}

/* The first line of libpq's message, without its trailing newline. */
static void first_line(const char *msg, char *buf, size_t size)
{
	size_t n = strcspn(msg ? msg : "", "\n");
	if (n >= size)
		n = size - 1;
	memcpy(buf, msg ? msg : "", n);
	buf[n] = '\0';
}

int hf__pg_fail(pg *p, PGresult *r, hf_error *err)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	char msg[512];
	int code;

	first_line(r && PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r)
						   : PQerrorMessage(p->c),
		   msg, sizeof msg);
	code = map_state(st);
	PQclear(r);
	if (code == HF_EREADONLY)
		return hf_error_set(
		    err, code, p->where,
		    "Die Datenbank %s ist für diese Verbindung "
		    "nicht beschreibbar (%s): bitte Rolle und "
		    "Rechte prüfen (docs/postgresql.md).",
		    "The database %s is not writable for this "
		    "connection (%s): please check the role and "
		    "its rights (docs/postgresql.md).",
		    p->where, msg);
	if (code == HF_EBUSY)
		return hf_error_set(err, code, p->where,
				    "Die Datenbank %s ist gerade von einem "
				    "anderen Schreiber belegt (%s): bitte "
				    "erneut versuchen.",
				    "The database %s is held by another writer "
				    "(%s): please try again.",
				    p->where, msg);
	if (code == HF_EINVAL)
		return hf_error_set(err, code, p->where,
				    "Ein Text ist kein gültiges UTF-8: %s "
				    "speichert und sucht nur UTF-8 (%s).",
				    "A text is not valid UTF-8: %s stores and "
				    "searches UTF-8 only (%s).",
				    p->where, msg);
	return hf_error_set(err, code, p->where, "Datenbankfehler in %s: %s",
			    "Database error in %s: %s", p->where, msg);
}

/* ---- statements ------------------------------------------------------ */

static int result_ok(PGresult *r)
{
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/* Runs SQL without parameters (constant text of this file only). */
static int exec(pg *p, const char *text, hf_error *err)
{
	PGresult *r = PQexec(p->c, text);
	if (!result_ok(r))
		return hf__pg_fail(p, r, err);
	PQclear(r);
	return HF_OK;
}

static int finish(pg *p, PGresult *r, PGresult **res, hf_error *err)
{
	if (!result_ok(r))
		return hf__pg_fail(p, r, err);
	if (res)
		*res = r;
	else
		PQclear(r);
	return HF_OK;
}

/* The settings of a new session: encoding, lock timeout, reading only. */
static int session(pg *p, hf_error *err)
{
	int rc;

	if (PQsetClientEncoding(p->c, "UTF8") != 0)
		return hf__pg_fail(p, NULL, err);
	/* a writer that hangs must not stop the others for ever; a lock
	 * timeout set in the URI (options=-c lock_timeout=...) wins */
	if ((rc = exec(p,
		       "SELECT set_config('lock_timeout', '60s', false) "
		       "WHERE current_setting('lock_timeout') = '0'",
		       err)) < 0)
		return rc;
	if (p->ro &&
	    (rc = exec(p, "SET default_transaction_read_only = on", err)) < 0)
		return rc;
	return HF_OK;
}

/*
 * After a statement failed outside a transaction with nothing pending:
 * if the connection is lost (a server restart, a network cut, an idle
 * timeout), connects again with the same parameters and forgets the
 * prepared statements; 1 if the statement may be tried once more. Inside
 * a transaction nothing is tried again: its work is gone with the
 * connection, and db.c reports the failure.
 */
static int reconnect(pg *p)
{
	unsigned i;

	if (PQstatus(p->c) != CONNECTION_BAD || p->in_tx || hf__pg_pending(p))
		return 0;
	PQreset(p->c);
	if (PQstatus(p->c) != CONNECTION_OK)
		return 0;
	memset(p->prepared, 0, sizeof p->prepared);
	for (i = 0; i < PG_NDYN; i++) {
		free(p->dyn[i].sql);
		p->dyn[i].sql = NULL;
	}
	p->last_id = -1;
	return session(p, NULL) == HF_OK;
}

/* Prepares statement id if this connection has not yet and runs it. */
static PGresult *run(pg *p, int id, const hf__pg_args *a)
{
	char name[16];
	PGresult *r;

	snprintf(name, sizeof name, "p%d", id);
	if (!p->prepared[id]) {
		r = PQprepare(p->c, name, sql[id], 0, NULL);
		if (!result_ok(r))
			return r;
		PQclear(r);
		p->prepared[id] = 1;
	}
	return PQexecPrepared(p->c, name, a ? a->n : 0, a ? a->v : NULL, NULL,
			      NULL, 0);
}

int hf__pg_q(pg *p, int id, const hf__pg_args *a, PGresult **res, hf_error *err)
{
	PGresult *r;
	int rc;

	if (res)
		*res = NULL;
	if (hf__pg_pending(p) && (rc = hf__pg_flush(p, err)) < 0)
		return rc;
	r = run(p, id, a);
	if (!result_ok(r) && reconnect(p)) {
		PQclear(r);
		r = run(p, id, a);
	}
	return finish(p, r, res, err);
}

int hf__pg_insert_id(pg *p, int id, const hf__pg_args *a, int64_t *out,
		     hf_error *err)
{
	PGresult *r;
	int rc;

	if ((rc = hf__pg_q(p, id, a, &r, err)) < 0)
		return rc;
	*out = hf__pg_cint(r, 0, 0);
	PQclear(r);
	return HF_OK;
}

int hf__pg_dyn_prep(pg *p, const char *text, int n, const Oid *types,
		    char name[16], hf_error *err)
{
	char drop[32];
	PGresult *r;
	unsigned i, slot = PG_NDYN;
	int rc;

	if (hf__pg_pending(p) && (rc = hf__pg_flush(p, err)) < 0)
		return rc;
	for (i = 0; i < PG_NDYN; i++)
		if (p->dyn[i].sql && !strcmp(p->dyn[i].sql, text))
			slot = i;
	if (slot == PG_NDYN) {
		char *copy = strdup(text);
		if (!copy)
			return hf__pg_nomem(err);
		slot = p->dyn_next++ % PG_NDYN;
		if (p->dyn[slot].sql) {
			snprintf(drop, sizeof drop, "DEALLOCATE d%u",
				 p->dyn[slot].id);
			PQclear(PQexec(p->c, drop));
			free(p->dyn[slot].sql);
			p->dyn[slot].sql = NULL;
		}
		p->dyn[slot].id = p->dyn_seq++;
		snprintf(name, 16, "d%u", p->dyn[slot].id);
		r = PQprepare(p->c, name, text, n, types);
		if (!result_ok(r)) {
			free(copy);
			return hf__pg_fail(p, r, err);
		}
		PQclear(r);
		p->dyn[slot].sql = copy;
	}
	snprintf(name, 16, "d%u", p->dyn[slot].id);
	return HF_OK;
}

int hf__pg_dyn(pg *p, const char *text, const Oid *types, const hf__pg_args *a,
	       PGresult **res, hf_error *err)
{
	char name[16];
	PGresult *r;
	int rc;

	if (res)
		*res = NULL;
	if ((rc = hf__pg_dyn_prep(p, text, a->n, types, name, err)) < 0 &&
	    (!reconnect(p) ||
	     (rc = hf__pg_dyn_prep(p, text, a->n, types, name, err)) < 0))
		return rc;
	r = PQexecPrepared(p->c, name, a->n, a->v, NULL, NULL, 0);
	if (!result_ok(r) && reconnect(p)) {
		PQclear(r);
		if ((rc = hf__pg_dyn_prep(p, text, a->n, types, name, err)) < 0)
			return rc;
		r = PQexecPrepared(p->c, name, a->n, a->v, NULL, NULL, 0);
	}
	return finish(p, r, res, err);
}

static int copy_flush(pg *p, hf_error *err)
{
	PGresult *r;
	int ok;

	if (!p->copy_len)
		return HF_OK;
	r = PQexec(p->c, p->copy_sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		p->copy_len = 0;
		return hf__pg_fail(p, r, err);
	}
	PQclear(r);
	ok = PQputCopyData(p->c, p->copy, (int)p->copy_len) == 1;
	p->copy_len = 0;
	if (PQputCopyEnd(p->c, ok ? NULL : "hafen: sending failed") != 1)
		return hf__pg_fail(p, NULL, err);
	r = PQgetResult(p->c);
	if (!result_ok(r)) {
		PGresult *more;
		while ((more = PQgetResult(p->c)))
			PQclear(more);
		return hf__pg_fail(p, r, err);
	}
	PQclear(r);
	while ((r = PQgetResult(p->c)))
		PQclear(r);
	return HF_OK;
}

/* The summaries held back, as five array parameters of one upsert. */
static int buckets_flush(pg *p, int daily, hf_error *err)
{
	hf__pg_bucket *b = &p->bk[daily];
	hf__pg_args a = {0};
	char name[16];
	PGresult *r;
	int i, id = daily ? P_DAY_ADD : P_MONTH_ADD;

	if (!b->n)
		return HF_OK;
	for (i = 0; i < 5; i++) {
		b->col[i].s[b->col[i].len - 1] = '}'; /* the last ',' */
		hf__pg_text(&a, b->col[i].s);
	}
	b->n = 0;
	snprintf(name, sizeof name, "p%d", id);
	if (!p->prepared[id]) {
		r = PQprepare(p->c, name, sql[id], 0, NULL);
		if (!result_ok(r))
			return hf__pg_fail(p, r, err);
		PQclear(r);
		p->prepared[id] = 1;
	}
	r = PQexecPrepared(p->c, name, a.n, a.v, NULL, NULL, 0);
	for (i = 0; i < 5; i++)
		b->col[i].len = 0;
	return finish(p, r, NULL, err);
}

int hf__pg_flush(pg *p, hf_error *err)
{
	int rc;

	if ((rc = copy_flush(p, err)) < 0 ||
	    (rc = buckets_flush(p, 0, err)) < 0 ||
	    (rc = buckets_flush(p, 1, err)) < 0)
		return rc;
	return HF_OK;
}

void hf__pg_forget(pg *p)
{
	int i, j;

	p->copy_len = 0;
	for (i = 0; i < 2; i++) {
		p->bk[i].n = 0;
		for (j = 0; j < 5; j++)
			p->bk[i].col[j].len = 0;
	}
}

int hf__pg_copy_start(pg *p, const char *stmt, size_t more, hf_error *err)
{
	size_t cap;
	char *n;
	int rc;

	if (strcmp(p->copy_sql, stmt)) {
		if ((rc = hf__pg_flush(p, err)) < 0)
			return rc;
		snprintf(p->copy_sql, sizeof p->copy_sql, "%s", stmt);
	}
	if (p->copy_len + more <= p->copy_cap)
		return HF_OK;
	cap = p->copy_cap ? p->copy_cap : 1 << 16;
	while (cap < p->copy_len + more)
		cap *= 2;
	if (!(n = realloc(p->copy, cap)))
		return hf__pg_nomem(err);
	p->copy = n;
	p->copy_cap = cap;
	return HF_OK;
}

void hf__pg_copy_text(pg *p, const char *s)
{
	char *o = p->copy + p->copy_len;

	if (!s) {
		*o++ = '\\';
		*o++ = 'N';
	}
	for (; s && *s; s++) {
		switch (*s) {
		case '\\':
			*o++ = '\\';
			*o++ = '\\';
			break;
		case '\t':
			*o++ = '\\';
			*o++ = 't';
			break;
		case '\n':
			*o++ = '\\';
			*o++ = 'n';
			break;
		case '\r':
			*o++ = '\\';
			*o++ = 'r';
			break;
		default:
			*o++ = *s;
		}
	}
	p->copy_len = (size_t)(o - p->copy);
}

/* ---- rows ------------------------------------------------------------ */

int64_t hf__pg_cint(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

hf_date hf__pg_cdate(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return HF_DATE_NONE;
	return (hf_date)strtol(PQgetvalue(r, row, col), NULL, 10);
}

int hf__pg_ctext(const PGresult *r, int row, int col, char *dst, size_t size,
		 const char *field, hf_error *err)
{
	/* NULL reads as "", as sqlite3_column_text's NULL does */
	return hf_field_copy(
	    dst, size, PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col),
	    field, err);
}

int hf__pg_crat(const PGresult *r, int row, int col, hf_rat *out, hf_error *err)
{
	if (hf_rat_make(hf__pg_cint(r, row, col), hf__pg_cint(r, row, col + 1),
			out) < 0)
		return hf_error_set(err, HF_ESTORAGE, "",
				    "Ungültiger Bruch in der Datenbank.",
				    "Invalid fraction in the database.");
	return HF_OK;
}

int hf__pg_collect(PGresult *r, size_t size, hf__pg_row_fn read, void **out,
		   size_t *n, hf_error *err)
{
	int rows = PQntuples(r), i, rc;
	char *arr = calloc(rows ? (size_t)rows : 1, size);

	if (!arr) {
		PQclear(r);
		return hf__pg_nomem(err);
	}
	for (i = 0; i < rows; i++)
		if ((rc = read(r, i, arr + (size_t)i * size, err)) < 0) {
			PQclear(r);
			free(arr);
			return rc;
		}
	PQclear(r);
	*out = arr;
	*n = (size_t)rows;
	return HF_OK;
}

int hf__pg_one(PGresult *r, void *dst, hf__pg_row_fn read, hf_error *err)
{
	int rc = PQntuples(r) ? read(r, 0, dst, err) : HF_ENOTFOUND;
	PQclear(r);
	return rc;
}

/* ---- open, schema, transactions ------------------------------------- */

/* FNV-1a: the writer lock's key from the schema's name */
static int64_t lock_key(const char *schema)
{
	uint64_t h = 1469598103934665603ull;
	const char *s = "hafen writer lock:";
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	while (*schema)
		h = (h ^ (unsigned char)*schema++) * 1099511628211ull;
	return (int64_t)(h >> 1);
}

/* version 0: no tables; -1: tables, but not hafen's */
static int read_version(pg *p, int *version, hf_error *err)
{
	PGresult *r;
	int rc;

	r = PQexec(p->c, "SELECT count(*), count(*) FILTER (WHERE c.relname = "
			 "'schema_version') FROM pg_class c "
			 "WHERE c.relkind IN ('r', 'p') AND c.relnamespace = "
			 "(SELECT oid FROM pg_namespace "
			 "WHERE nspname = current_schema())");
	if (!result_ok(r))
		return hf__pg_fail(p, r, err);
	*version = 0;
	if (hf__pg_cint(r, 0, 1) == 0) {
		rc = hf__pg_cint(r, 0, 0) ? -1 : HF_OK;
		PQclear(r);
		return rc;
	}
	PQclear(r);
	if ((rc = hf__pg_q(p, P_VERSION, NULL, &r, err)) < 0)
		return rc;
	*version = (int)hf__pg_cint(r, 0, 0);
	PQclear(r);
	return HF_OK;
}

static int take_lock(pg *p, hf_error *err)
{
	hf__pg_args a = {0};
	hf__pg_int(&a, p->lock_key);
	return hf__pg_q(p, P_LOCK, &a, NULL, err);
}

/* Under the writer lock, so two processes opening a new database at once
 * migrate it once. */
static int migrate(pg *p, hf_error *err)
{
	hf__pg_args a = {0};
	int v, rc;

	if ((rc = exec(p, "BEGIN", err)) < 0)
		return rc;
	if ((rc = take_lock(p, err)) < 0 || (rc = read_version(p, &v, err)) < 0)
		goto fail;
	for (; v < NMIGRATIONS; v++)
		if ((rc = exec(p, migrations[v], err)) < 0)
			goto fail;
	if ((rc = exec(p, "DELETE FROM schema_version", err)) < 0)
		goto fail;
	hf__pg_int(&a, NMIGRATIONS);
	{
		PGresult *r = PQexecParams(
		    p->c, "INSERT INTO schema_version VALUES ($1::bigint)", 1,
		    NULL, a.v, NULL, NULL, 0);
		if ((rc = finish(p, r, NULL, err)) < 0)
			goto fail;
	}
	if ((rc = exec(p, "COMMIT", err)) < 0)
		goto fail;
	return HF_OK;
fail:
	PQclear(PQexec(p->c, "ROLLBACK"));
	return rc;
}

/* Inside the open write transaction: the tables dropped and the schema
 * built anew, empty (hafen migrate --force). */
static int pg_reset(void *st, const hf__table *tables, size_t n, hf_error *err)
{
	pg *p = st;
	hf__pg_args a = {0};
	char buf[128];
	size_t i;
	int v, rc;

	hf__pg_forget(p);
	for (i = n; i-- > 0;) {
		snprintf(buf, sizeof buf, "DROP TABLE IF EXISTS %s CASCADE",
			 tables[i].name);
		if ((rc = exec(p, buf, err)) < 0)
			return rc;
	}
	if ((rc = exec(p,
		       "DROP TABLE IF EXISTS schema_version;"
		       "DROP FUNCTION IF EXISTS hafen_ledger_append_only() "
		       "CASCADE;"
		       "DROP FUNCTION IF EXISTS "
		       "hafen_overrides_append_only() CASCADE;"
		       "DROP FUNCTION IF EXISTS "
		       "hafen_audit_append_only() CASCADE",
		       err)) < 0)
		return rc;
	for (v = 0; v < NMIGRATIONS; v++)
		if ((rc = exec(p, migrations[v], err)) < 0)
			return rc;
	p->last_id = -1;
	hf__pg_int(&a, NMIGRATIONS);
	return finish(p,
		      PQexecParams(p->c,
				   "INSERT INTO schema_version VALUES "
				   "($1::bigint)",
				   1, NULL, a.v, NULL, NULL, 0),
		      NULL, err);
}

static void pg_close(void *st)
{
	pg *p = st;
	int i;

	if (!p)
		return;
	if (p->c)
		PQfinish(p->c);
	for (i = 0; i < PG_NDYN; i++)
		free(p->dyn[i].sql);
	for (i = 0; i < 10; i++)
		free(p->bk[i / 5].col[i % 5].s);
	free(p->copy);
	free(p->where);
	free(p);
}

/* "db/schema on host", for messages: never the password */
static int describe(pg *p, const char *schema, hf_error *err)
{
	const char *db = PQdb(p->c), *host = PQhost(p->c);
	size_t size =
	    strlen(db) + strlen(schema) + strlen(host ? host : "") + 16;

	if (!(p->where = malloc(size)))
		return hf__pg_nomem(err);
	snprintf(p->where, size, "%s/%s@%s", db, schema, host ? host : "");
	return HF_OK;
}

/* ---- libpq, loaded on first use (dl.h) -------------------------------- */

struct hf__pq_api hf__pq;

/* the soname of libpq's ABI, the same since PostgreSQL 8.2 */
HF_DL_LIBRARY(pq_lib, HF_PQ_FUNCS, hf__pq, "libpq.so.5", "libpq5",
	      "Der PostgreSQL-Client (libpq)", "The PostgreSQL client (libpq)");

int hf__pq_load(hf_error *err)
{
	return hf__dl_load(&pq_lib, "db", err);
}

static int connect_failed(pg *p, const char *uri, hf_error *err)
{
	char msg[512];
	first_line(PQerrorMessage(p->c), msg, sizeof msg);
	(void)uri;
	return hf_error_set(err, HF_EIO, "db",
			    "Keine Verbindung zur PostgreSQL-Datenbank: %s "
			    "(bitte URI, Server und Rechte prüfen).",
			    "Cannot connect to the PostgreSQL database: %s "
			    "(please check the URI, the server and the "
			    "rights).",
			    msg);
}

static int pg_open(const char *uri, int flags, void **state, hf_error *err)
{
	int ro = flags & HF_DB_READONLY, rc, version;
	PGresult *r = NULL;
	pg *p;

	if ((rc = hf__pq_load(err)) < 0)
		return rc;
	if (!(p = calloc(1, sizeof *p)))
		return hf__pg_nomem(err);
	p->last_id = -1;
	p->c = PQconnectdb(uri);
	if (!p->c) {
		free(p);
		return hf__pg_nomem(err);
	}
	if (PQstatus(p->c) != CONNECTION_OK) {
		rc = connect_failed(p, uri, err);
		goto fail;
	}
	p->ro = ro != 0;
	if ((rc = session(p, err)) < 0)
		goto fail;
	r = PQexec(p->c, "SELECT current_schema()");
	if (!result_ok(r)) {
		rc = hf__pg_fail(p, r, err);
		goto fail;
	}
	if (PQgetisnull(r, 0, 0)) {
		PQclear(r);
		rc =
		    hf_error_set(err, HF_ESCHEMA, "db",
				 "Die Verbindung hat kein Schema: search_path "
				 "nennt keines, das es gibt und das die Rolle "
				 "benutzen darf (USAGE). Bitte das Schema "
				 "anlegen, die Rechte geben "
				 "(docs/postgresql.md) oder "
				 "options=-csearch_path=... in der URI setzen.",
				 "The connection has no schema: search_path "
				 "names none that exists and that the role may "
				 "use (USAGE). Please create the schema, grant "
				 "the rights (docs/postgresql.md) or set "
				 "options=-csearch_path=... in the URI.");
		goto fail;
	}
	p->lock_key = lock_key(PQgetvalue(r, 0, 0));
	rc = describe(p, PQgetvalue(r, 0, 0), err);
	PQclear(r);
	if (rc < 0)
		goto fail;
	if ((rc = read_version(p, &version, err)) < 0 && rc != -1)
		goto fail;
	if (rc == -1) {
		rc = hf_error_set(
		    err, HF_ESCHEMA, p->where,
		    "Das Schema %s enthält Tabellen, aber keine "
		    "von hafen.",
		    "The schema %s holds tables, but not hafen's.", p->where);
		goto fail;
	}
	if (version > HF_DB_SCHEMA_VERSION) {
		rc =
		    hf_error_set(err, HF_ESCHEMA, p->where,
				 "Die Datenbank hat Schema %d, dieses hafen "
				 "kennt nur bis %d: bitte hafen aktualisieren.",
				 "The database has schema %d, this hafen knows "
				 "up to %d only: please update hafen.",
				 version, HF_DB_SCHEMA_VERSION);
		goto fail;
	}
	if (version < HF_DB_SCHEMA_VERSION) {
		if (version == 0 && !(flags & HF_DB_CREATE)) {
			rc = hf_error_set(err, HF_ESCHEMA, p->where,
					  "%s ist leer, keine hafen-Datenbank: "
					  "bitte mit \"hafen init\" anlegen.",
					  "%s is empty, not a hafen database: "
					  "please create it with \"hafen "
					  "init\".",
					  p->where);
			goto fail;
		}
		if (ro) {
			/* an older schema is brought up to date even by a
			 * reading command, as with SQLite */
			void *rw = NULL;
			pg_close(p);
			if ((rc = pg_open(uri, flags & ~HF_DB_READONLY, &rw,
					  err)) < 0)
				return rc;
			pg_close(rw);
			return pg_open(uri, flags, state, err);
		}
		if ((rc = migrate(p, err)) < 0)
			goto fail;
	}
	*state = p;
	return HF_OK;
fail:
	pg_close(p);
	return rc;
}

static int pg_schema_version(void *st, int *version, hf_error *err)
{
	int rc = read_version(st, version, err);
	return rc == -1 ? HF_ESCHEMA : rc;
}

static int pg_begin(void *st, hf_error *err)
{
	pg *p = st;
	int rc;

	if ((rc = exec(p, "BEGIN", err)) < 0 &&
	    (!reconnect(p) || (rc = exec(p, "BEGIN", err)) < 0))
		return rc;
	p->in_tx = 2; /* writing */
	p->last_id = -1;
	if ((rc = take_lock(p, err)) < 0) {
		PQclear(PQexec(p->c, "ROLLBACK"));
		p->in_tx = 0;
	}
	return rc;
}

static int pg_begin_read(void *st, hf_error *err)
{
	pg *p = st;
	const char *begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
	int rc = exec(p, begin, err);

	if (rc < 0 && reconnect(p))
		rc = exec(p, begin, err);
	p->in_tx = rc == HF_OK;
	return rc;
}

/* A write transaction commits without waiting for the disk, which
 * releases the writer lock at once, and then waits for the disk outside
 * the lock: a transaction of its own that writes a (transactional, empty)
 * message to the log commits synchronously, which flushes the log up to
 * and past ours (one that writes no log would commit without a flush,
 * pg_current_xact_id() for instance). So the
 * commits of several writers share one flush (group commit) instead of
 * each flushing under the lock; success is still reported only once the
 * entries are on disk. Another writer may see ours before it is on disk,
 * but its own commit flushes ours first (the log is written in order). */
static int pg_commit(void *st, hf_error *err)
{
	pg *p = st;
	int writing = p->in_tx == 2 && !p->ro;
	PGresult *r;
	int rc;

	if ((rc = hf__pg_flush(p, err)) < 0)
		return rc;
	r = PQexec(p->c, writing ? "SET LOCAL synchronous_commit = off; COMMIT"
				 : "COMMIT");
	if (!result_ok(r))
		return hf__pg_fail(p, r, err);
	/* COMMIT of a failed transaction answers ROLLBACK */
	rc = strcmp(PQcmdStatus(r), "COMMIT") ? HF_ESTORAGE : HF_OK;
	PQclear(r);
	p->in_tx = 0;
	if (rc < 0)
		return hf_error_set(err, rc, p->where,
				    "Die Transaktion in %s wurde vom Server "
				    "zurückgerollt; nichts wurde gespeichert.",
				    "The transaction in %s was rolled back by "
				    "the server; nothing was saved.",
				    p->where);
	if (writing) {
		r = PQexec(p->c,
			   "SELECT pg_logical_emit_message(true, 'hafen', '')");
		if (!result_ok(r))
			return hf__pg_fail(p, r, err);
		PQclear(r);
	}
	return HF_OK;
}

static void pg_rollback(void *st)
{
	pg *p = st;

	hf__pg_forget(p);
	p->last_id = -1;
	if (PQtransactionStatus(p->c) != PQTRANS_IDLE)
		PQclear(PQexec(p->c, "ROLLBACK"));
	p->in_tx = 0;
}

/* ---- units ---------------------------------------------------------- */

static int read_unit(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_unit *u = dst;
	int rc;

	if ((rc = hf__pg_ctext(r, row, 0, u->code, sizeof u->code, "code",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 1, u->name, sizeof u->name, "name",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 3, u->parent, sizeof u->parent, "parent",
			       err)) < 0)
		return rc;
	if (hf_unit_kind_parse(PQgetvalue(r, row, 2), &u->kind) < 0)
		return hf_error_set(err, HF_ESTORAGE, u->code,
				    "Einheit %s: unbekannte Art in der "
				    "Datenbank.",
				    "Unit %s: unknown kind in the database.",
				    u->code);
	return HF_OK;
}

static int pg_unit_insert(void *st, const hf_unit *u, hf_error *err)
{
	hf__pg_args a = {0};

	hf__pg_text(&a, u->code);
	hf__pg_text(&a, u->name);
	hf__pg_text(&a, hf_unit_kind_slug(u->kind));
	hf__pg_opt(&a, u->parent);
	return hf__pg_q(st, P_UNIT_INSERT, &a, NULL, err);
}

static int pg_unit_get(void *st, const char *code, hf_unit *out, hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&a, code);
	if ((rc = hf__pg_q(st, P_UNIT_GET, &a, &r, err)) < 0)
		return rc;
	return hf__pg_one(r, out, read_unit, err);
}

static int pg_unit_list(void *st, const char *parent, hf_unit **out, size_t *n,
			hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc, id = P_UNIT_ALL;

	if (parent && !parent[0]) {
		id = P_UNIT_ROOTS;
	} else if (parent) {
		id = P_UNIT_CHILDREN;
		hf__pg_text(&a, parent);
	}
	if ((rc = hf__pg_q(st, id, &a, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_unit, (void **)out, n, err);
}

static int read_indicator(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_indicator *x = dst;
	int rc;

	if ((rc = hf__pg_ctext(r, row, 0, x->unit, sizeof x->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 1, x->name, sizeof x->name, "name",
			       err)) < 0 ||
	    (rc = hf__pg_crat(r, row, 3, &x->value, err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 5, x->source, sizeof x->source, "source",
			       err)) < 0)
		return rc;
	x->ref_date = hf__pg_cdate(r, row, 2);
	return HF_OK;
}

static int pg_indicator_put(void *st, const hf_indicator *x, hf_error *err)
{
	hf__pg_args a = {0};

	hf__pg_text(&a, x->unit);
	hf__pg_text(&a, x->name);
	hf__pg_int(&a, x->ref_date);
	hf__pg_int(&a, x->value.num);
	hf__pg_int(&a, x->value.den);
	hf__pg_text(&a, x->source);
	return hf__pg_q(st, P_IND_PUT, &a, NULL, err);
}

static int pg_indicator_get(void *st, const char *unit, const char *name,
			    hf_date ref_date, hf_indicator *out, hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&a, unit);
	hf__pg_text(&a, name);
	hf__pg_int(&a, ref_date);
	if ((rc = hf__pg_q(st, P_IND_GET, &a, &r, err)) < 0)
		return rc;
	return hf__pg_one(r, out, read_indicator, err);
}

static int pg_indicator_list(void *st, const char *unit, const char *name,
			     hf_indicator **out, size_t *n, hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&a, unit);
	hf__pg_text(&a, name);
	if ((rc = hf__pg_q(st, P_IND_LIST, &a, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_indicator, (void **)out, n,
			      err);
}

static int read_membership(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_membership *m = dst;
	int rc;

	if ((rc = hf__pg_ctext(r, row, 0, m->unit, sizeof m->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 1, m->alliance, sizeof m->alliance,
			       "alliance", err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 3, m->source, sizeof m->source, "source",
			       err)) < 0)
		return rc;
	m->joined = hf__pg_cdate(r, row, 2);
	return HF_OK;
}

static int pg_membership_insert(void *st, const hf_membership *m, hf_error *err)
{
	hf__pg_args a = {0};

	hf__pg_text(&a, m->unit);
	hf__pg_text(&a, m->alliance);
	hf__pg_date(&a, m->joined);
	hf__pg_text(&a, m->source);
	return hf__pg_q(st, P_MEM_INSERT, &a, NULL, err);
}

static int pg_membership_list(void *st, const char *alliance, const char *unit,
			      hf_membership **out, size_t *n, hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&a, alliance);
	hf__pg_text(&a, unit);
	if ((rc = hf__pg_q(st, P_MEM_LIST, &a, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_membership, (void **)out, n,
			      err);
}

static int read_contact(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_contact *c = dst;
	int rc;

	if ((rc = hf__pg_ctext(r, row, 0, c->unit, sizeof c->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 1, c->office, sizeof c->office, "office",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 2, c->email, sizeof c->email, "email",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 3, c->phone, sizeof c->phone, "phone",
			       err)) < 0)
		return rc;
	return HF_OK;
}

static int pg_contact_put(void *st, const hf_contact *c, hf_error *err)
{
	hf__pg_args a = {0};

	hf__pg_text(&a, c->unit);
	hf__pg_text(&a, c->office);
	hf__pg_text(&a, c->email);
	hf__pg_text(&a, c->phone);
	return hf__pg_q(st, P_CONTACT_PUT, &a, NULL, err);
}

static int pg_contact_get(void *st, const char *unit, hf_contact *out,
			  hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&a, unit);
	if ((rc = hf__pg_q(st, P_CONTACT_GET, &a, &r, err)) < 0)
		return rc;
	return hf__pg_one(r, out, read_contact, err);
}

static int read_import(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf__import_rec *x = dst;
	int rc;

	if ((rc = hf__pg_ctext(r, row, 0, x->sha256, sizeof x->sha256, "sha256",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 1, x->kind, sizeof x->kind, "kind",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 2, x->file, sizeof x->file, "file",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 4, x->user, sizeof x->user,
			       "imported_by", err)) < 0)
		return rc;
	x->rows = hf__pg_cint(r, row, 3);
	x->at = hf__pg_cint(r, row, 5);
	return HF_OK;
}

static int pg_import_find(void *st, const char *sha256, hf__import_rec *out,
			  hf_error *err)
{
	hf__pg_args x = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&x, sha256);
	if ((rc = hf__pg_q(st, P_IMPORT_FIND, &x, &r, err)) < 0)
		return rc;
	return hf__pg_one(r, out, read_import, err);
}

static int pg_import_insert(void *st, const hf__import_rec *rec, hf_error *err)
{
	hf__pg_args x = {0};

	hf__pg_text(&x, rec->sha256);
	hf__pg_text(&x, rec->kind);
	hf__pg_text(&x, rec->file);
	hf__pg_int(&x, rec->rows);
	hf__pg_text(&x, rec->user);
	hf__pg_int(&x, rec->at);
	return hf__pg_q(st, P_IMPORT_INSERT, &x, NULL, err);
}

const struct hf__store_ops hf__store_pg = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .begin_read = pg_begin_read,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .unit_insert = pg_unit_insert,
    .unit_get = pg_unit_get,
    .unit_list = pg_unit_list,
    .indicator_put = pg_indicator_put,
    .indicator_get = pg_indicator_get,
    .indicator_list = pg_indicator_list,
    .membership_insert = pg_membership_insert,
    .membership_list = pg_membership_list,
    .contact_put = pg_contact_put,
    .contact_get = pg_contact_get,
    .key_insert = hf__pg_key_insert,
    .key_get = hf__pg_key_get,
    .key_list = hf__pg_key_list,
    .key_set_credit = hf__pg_key_set_credit,
    .standing_insert = hf__pg_standing_insert,
    .standing_list = hf__pg_standing_list,
    .ledger_insert = hf__pg_ledger_insert,
    .ledger_bucket_add = hf__pg_ledger_bucket_add,
    .ledger_get = hf__pg_ledger_get,
    .ledger_list = hf__pg_ledger_list,
    .ledger_reversed_by = hf__pg_ledger_reversed_by,
    .ledger_aggregate = hf__pg_ledger_aggregate,
    .ledger_sum_months = hf__pg_ledger_sum_months,
    .ledger_sum_days = hf__pg_ledger_sum_days,
    .programme_insert = hf__pg_programme_insert,
    .programme_get = hf__pg_programme_get,
    .programme_list = hf__pg_programme_list,
    .override_insert = hf__pg_override_insert,
    .override_list = hf__pg_override_list,
    .pledge_insert = hf__pg_pledge_insert,
    .pledge_list = hf__pg_pledge_list,
    .pledge_set_status = hf__pg_pledge_set_status,
    .account_insert = hf__pg_account_insert,
    .account_update = hf__pg_account_update,
    .account_get = hf__pg_account_get,
    .account_list = hf__pg_account_list,
    .session_insert = hf__pg_session_insert,
    .session_get = hf__pg_session_get,
    .session_delete = hf__pg_session_delete,
    .audit_insert = hf__pg_audit_insert,
    .audit_list = hf__pg_audit_list,
    .import_find = pg_import_find,
    .import_insert = pg_import_insert,
    .rows_read = hf__pg_rows_read,
    .row_insert = hf__pg_row_insert,
    .reset = pg_reset,
    .table_names = hf__pg_table_names,
};

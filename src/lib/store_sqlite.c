/*
 * store_sqlite.c: the SQLite backend of the storage interface.
 *
 * All SQL and every SQLite call of hafen live here and in
 * store_sqlite_key.c, store_sqlite_ledger.c, store_sqlite_programme.c and
 * store_sqlite_account.c. Statements are prepared
 * once per handle and reused; every value is bound, never pasted into
 * SQL. The schema is built by numbered migrations, each in a
 * transaction; the ledger is append-only in SQL too (triggers refuse
 * UPDATE and DELETE), and ledger_month keeps its monthly sums. This file
 * opens and migrates, caches statements, runs transactions, stores
 * units, indicators, memberships and contacts, and fills the ops table.
 */
#include "store_sqlite_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* migrations[i] brings a database from schema i to i + 1 */
static const char *const migrations[] = {
	"CREATE TABLE schema_version(version INTEGER NOT NULL);"
	"CREATE TABLE units("
	" code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
	" parent TEXT REFERENCES units(code));"
	"CREATE INDEX units_parent ON units(parent);"
	"CREATE TABLE indicators("
	" unit TEXT NOT NULL REFERENCES units(code), name TEXT NOT NULL,"
	" ref_date INTEGER NOT NULL, num INTEGER NOT NULL,"
	" den INTEGER NOT NULL CHECK (den > 0), source TEXT NOT NULL,"
	" PRIMARY KEY (unit, name, ref_date));"
	"CREATE TABLE memberships("
	" unit TEXT NOT NULL REFERENCES units(code),"
	" alliance TEXT NOT NULL, joined INTEGER, source TEXT NOT NULL,"
	" PRIMARY KEY (alliance, unit));"
	"CREATE TABLE contacts("
	" unit TEXT PRIMARY KEY REFERENCES units(code), office TEXT NOT NULL,"
	" email TEXT NOT NULL, phone TEXT NOT NULL);"
	"CREATE TABLE keys("
	" name TEXT PRIMARY KEY, title TEXT NOT NULL,"
	" parent TEXT NOT NULL REFERENCES units(code), kind TEXT NOT NULL,"
	" valid_from INTEGER, valid_to INTEGER,"
	" computed_year INTEGER NOT NULL, quota_year INTEGER NOT NULL,"
	" source TEXT NOT NULL, ref_date INTEGER,"
	" cap_num INTEGER NOT NULL, cap_den INTEGER NOT NULL CHECK (cap_den > 0));"
	"CREATE TABLE key_weights("
	" key TEXT NOT NULL REFERENCES keys(name), pos INTEGER NOT NULL,"
	" indicator TEXT NOT NULL, num INTEGER NOT NULL,"
	" den INTEGER NOT NULL CHECK (den > 0), PRIMARY KEY (key, pos));"
	"CREATE TABLE key_shares("
	" key TEXT NOT NULL REFERENCES keys(name),"
	" unit TEXT NOT NULL REFERENCES units(code), num INTEGER NOT NULL,"
	" den INTEGER NOT NULL CHECK (den > 0), PRIMARY KEY (key, unit));"
	"CREATE TABLE key_credits("
	" key TEXT NOT NULL REFERENCES keys(name),"
	" category INTEGER NOT NULL CHECK (category BETWEEN 0 AND 8),"
	" num INTEGER NOT NULL, den INTEGER NOT NULL CHECK (den > 0),"
	" PRIMARY KEY (key, category));"
	"CREATE TABLE standing_credits("
	" id INTEGER PRIMARY KEY, key TEXT NOT NULL REFERENCES keys(name),"
	" unit TEXT NOT NULL REFERENCES units(code),"
	" date_from INTEGER NOT NULL, date_to INTEGER NOT NULL,"
	" persons INTEGER NOT NULL, reason TEXT NOT NULL);"
	"CREATE INDEX standing_key ON standing_credits(key);"
	/* category: the hf_category value (0 regulaer .. 8 fortzug) */
	"CREATE TABLE ledger("
	" id INTEGER PRIMARY KEY, date INTEGER NOT NULL,"
	" unit TEXT NOT NULL REFERENCES units(code),"
	" persons INTEGER NOT NULL, household TEXT NOT NULL,"
	" category INTEGER NOT NULL CHECK (category BETWEEN 0 AND 8),"
	" programme TEXT NOT NULL, reference TEXT NOT NULL,"
	" recorded_by TEXT NOT NULL, recorded_at INTEGER NOT NULL,"
	" corrects INTEGER REFERENCES ledger(id),"
	" note TEXT NOT NULL);"
	"CREATE INDEX ledger_date ON ledger(date);"
	/* UNIQUE on corrects, but only where set: ordinary entries (NULL)
	 * stay out of the index, which keeps appends fast */
	"CREATE UNIQUE INDEX ledger_corrects ON ledger(corrects)"
	" WHERE corrects IS NOT NULL;"
	"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN"
	" SELECT RAISE(ABORT, 'the ledger is append-only: record a "
	"correction instead'); END;"
	"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN"
	" SELECT RAISE(ABORT, 'the ledger is append-only: record a "
	"correction instead'); END;"
	"CREATE TABLE ledger_month("
	" month INTEGER NOT NULL, unit TEXT NOT NULL,"
	" category INTEGER NOT NULL, persons INTEGER NOT NULL,"
	" entries INTEGER NOT NULL, PRIMARY KEY (month, unit, category))"
	" WITHOUT ROWID;"
	"CREATE TABLE ledger_day("
	" day INTEGER NOT NULL, unit TEXT NOT NULL,"
	" category INTEGER NOT NULL, persons INTEGER NOT NULL,"
	" entries INTEGER NOT NULL, PRIMARY KEY (day, unit, category))"
	" WITHOUT ROWID;",
	/* 2: programmes with contingents, their explicit shares, the
	 * overrides that admitted beyond them, pledges, and the pairing of
	 * the two entries of a transfer. pair is set on the second entry
	 * only, naming the first, so the ledger stays append-only (its
	 * triggers are untouched by ADD COLUMN) */
	"CREATE TABLE programmes("
	" name TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL,"
	" parent TEXT NOT NULL REFERENCES units(code),"
	" date_from INTEGER NOT NULL, date_to INTEGER NOT NULL,"
	" contingent INTEGER NOT NULL CHECK (contingent >= 0),"
	" key TEXT REFERENCES keys(name),"
	" category INTEGER NOT NULL CHECK (category BETWEEN 0 AND 8),"
	" source TEXT NOT NULL, CHECK (date_to >= date_from));"
	"CREATE TABLE programme_shares("
	" programme TEXT NOT NULL REFERENCES programmes(name),"
	" unit TEXT NOT NULL REFERENCES units(code), num INTEGER NOT NULL,"
	" den INTEGER NOT NULL CHECK (den > 0), PRIMARY KEY (programme, unit));"
	"CREATE TABLE overrides("
	" id INTEGER PRIMARY KEY, entry INTEGER NOT NULL REFERENCES ledger(id),"
	" programme TEXT NOT NULL REFERENCES programmes(name),"
	" beyond INTEGER NOT NULL, reason TEXT NOT NULL CHECK (reason <> ''),"
	" recorded_by TEXT NOT NULL, recorded_at INTEGER NOT NULL);"
	"CREATE INDEX overrides_programme ON overrides(programme);"
	"CREATE TRIGGER overrides_no_update BEFORE UPDATE ON overrides BEGIN"
	" SELECT RAISE(ABORT, 'the override log is append-only'); END;"
	"CREATE TRIGGER overrides_no_delete BEFORE DELETE ON overrides BEGIN"
	" SELECT RAISE(ABORT, 'the override log is append-only'); END;"
	/* programme NULL: any programme */
	"CREATE TABLE pledges("
	" id INTEGER PRIMARY KEY, unit TEXT NOT NULL REFERENCES units(code),"
	" programme TEXT REFERENCES programmes(name),"
	" places INTEGER NOT NULL CHECK (places > 0),"
	" date_from INTEGER NOT NULL, date_to INTEGER NOT NULL,"
	" status TEXT NOT NULL, note TEXT NOT NULL,"
	" recorded_by TEXT NOT NULL, recorded_at INTEGER NOT NULL,"
	" CHECK (date_to >= date_from));"
	"CREATE INDEX pledges_unit ON pledges(unit);"
	"ALTER TABLE ledger ADD COLUMN pair INTEGER REFERENCES ledger(id);"
	"CREATE UNIQUE INDEX ledger_pair ON ledger(pair)"
	" WHERE pair IS NOT NULL;"
	"CREATE INDEX ledger_programme ON ledger(programme)"
	" WHERE programme <> '';",
	/* 3: accounts of the web front end (units: comma-separated codes
	 * of a unit office), sessions by the hash of their token, and the
	 * audit log, append-only like the ledger */
	"CREATE TABLE accounts("
	" name TEXT PRIMARY KEY, role TEXT NOT NULL, units TEXT NOT NULL,"
	" pwhash TEXT NOT NULL, created_at INTEGER NOT NULL,"
	" changed_at INTEGER NOT NULL);"
	"CREATE TABLE sessions("
	" hash TEXT PRIMARY KEY,"
	" account TEXT NOT NULL REFERENCES accounts(name),"
	" csrf TEXT NOT NULL, created_at INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL);"
	"CREATE INDEX sessions_account ON sessions(account);"
	"CREATE TABLE audit("
	" id INTEGER PRIMARY KEY, at INTEGER NOT NULL, account TEXT NOT NULL,"
	" action TEXT NOT NULL, object TEXT NOT NULL, details TEXT NOT NULL);"
	"CREATE INDEX audit_account ON audit(account);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
	" SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
	" SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
	/* 4: the files imported, recognised by the SHA-256 of their bytes
	 * (hafen import refuses a file twice unless forced) */
	"CREATE TABLE imports("
	" id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, kind TEXT NOT NULL,"
	" file TEXT NOT NULL, rows INTEGER NOT NULL,"
	" imported_by TEXT NOT NULL, imported_at INTEGER NOT NULL);"
	"CREATE INDEX imports_sha256 ON imports(sha256);",
};

#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

static const char *const sql[Q_COUNT] = {
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_VERSION] = "SELECT max(version) FROM schema_version",
	[Q_UNIT_INSERT] =
		"INSERT INTO units(code, name, kind, parent) VALUES (?,?,?,?)",
	[Q_UNIT_GET] = "SELECT code, name, kind, parent FROM units "
		       "WHERE code = ?",
	[Q_UNIT_ALL] = "SELECT code, name, kind, parent FROM units "
		       "ORDER BY code",
	[Q_UNIT_ROOTS] = "SELECT code, name, kind, parent FROM units "
			 "WHERE parent IS NULL ORDER BY code",
	[Q_UNIT_CHILDREN] = "SELECT code, name, kind, parent FROM units "
			    "WHERE parent = ? ORDER BY code",
	[Q_IND_PUT] = "INSERT OR REPLACE INTO indicators"
		      "(unit, name, ref_date, num, den, source) "
		      "VALUES (?,?,?,?,?,?)",
	[Q_IND_GET] = "SELECT unit, name, ref_date, num, den, source "
		      "FROM indicators WHERE unit = ? AND name = ? "
		      "AND ref_date = ?",
	[Q_IND_LIST] = "SELECT unit, name, ref_date, num, den, source "
		       "FROM indicators WHERE (?1 IS NULL OR unit = ?1) "
		       "AND (?2 IS NULL OR name = ?2) "
		       "ORDER BY unit, name, ref_date",
	[Q_MEM_INSERT] = "INSERT INTO memberships(unit, alliance, joined, "
			 "source) VALUES (?,?,?,?)",
	[Q_MEM_LIST] = "SELECT unit, alliance, joined, source FROM memberships "
		       "WHERE (?1 IS NULL OR alliance = ?1) "
		       "AND (?2 IS NULL OR unit = ?2) ORDER BY alliance, unit",
	[Q_CONTACT_PUT] = "INSERT OR REPLACE INTO contacts(unit, office, "
			  "email, phone) VALUES (?,?,?,?)",
	[Q_CONTACT_GET] = "SELECT unit, office, email, phone FROM contacts "
			  "WHERE unit = ?",
	[Q_KEY_INSERT] = "INSERT INTO keys(" KEY_COLS ") "
			 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
	[Q_KEY_WEIGHT] = "INSERT INTO key_weights(key, pos, indicator, num, "
			 "den) VALUES (?,?,?,?,?)",
	[Q_KEY_SHARE] = "INSERT INTO key_shares(key, unit, num, den) "
			"VALUES (?,?,?,?)",
	[Q_KEY_CREDIT] = "INSERT INTO key_credits(key, category, num, den) "
			 "VALUES (?,?,?,?)",
	[Q_KEY_GET] = "SELECT " KEY_COLS " FROM keys WHERE name = ?",
	[Q_KEY_GET_WEIGHTS] = "SELECT indicator, num, den FROM key_weights "
			      "WHERE key = ? ORDER BY pos",
	[Q_KEY_GET_SHARES] = "SELECT unit, num, den FROM key_shares "
			     "WHERE key = ? ORDER BY unit",
	[Q_KEY_GET_CREDITS] = "SELECT category, num, den FROM key_credits "
			      "WHERE key = ?",
	[Q_KEY_ALL] = "SELECT " KEY_COLS " FROM keys ORDER BY name",
	[Q_KEY_OF_PARENT] = "SELECT " KEY_COLS " FROM keys WHERE parent = ? "
			    "ORDER BY name",
	[Q_KEY_SET_CREDIT] = "INSERT OR REPLACE INTO key_credits(key, "
			     "category, num, den) VALUES (?,?,?,?)",
	[Q_STANDING_INSERT] = "INSERT INTO standing_credits(key, unit, "
			      "date_from, date_to, persons, reason) "
			      "VALUES (?,?,?,?,?,?)",
	[Q_STANDING_LIST] = "SELECT id, key, unit, date_from, date_to, "
			    "persons, reason FROM standing_credits "
			    "WHERE key = ? ORDER BY id",
	[Q_LEDGER_INSERT] = "INSERT INTO ledger(date, unit, persons, "
			    "household, category, programme, reference, "
			    "recorded_by, recorded_at, corrects, note, pair) "
			    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
	[Q_MONTH_ADD] = "INSERT INTO ledger_month(month, unit, category, "
			"persons, entries) VALUES (?,?,?,?,?) "
			"ON CONFLICT (month, unit, category) DO UPDATE SET "
			"persons = persons + excluded.persons, "
			"entries = entries + excluded.entries",
	[Q_DAY_ADD] = "INSERT INTO ledger_day(day, unit, category, "
		      "persons, entries) VALUES (?,?,?,?,?) "
		      "ON CONFLICT (day, unit, category) DO UPDATE SET "
		      "persons = persons + excluded.persons, "
		      "entries = entries + excluded.entries",
	[Q_LEDGER_GET] = "SELECT " LEDGER_COLS " FROM ledger WHERE id = ?",
	[Q_REVERSED_BY] = "SELECT id FROM ledger WHERE corrects = ?",
	[Q_SUM_MONTHS] = "SELECT unit, category, persons FROM ledger_month "
			 "WHERE month BETWEEN ? AND ?",
	[Q_SUM_DAYS] = "SELECT unit, category, persons FROM ledger_day "
		       "WHERE day BETWEEN ? AND ?",
	[Q_PROG_INSERT] = "INSERT INTO programmes(" PROG_COLS ") "
			  "VALUES (?,?,?,?,?,?,?,?,?,?)",
	[Q_PROG_SHARE] = "INSERT INTO programme_shares(programme, unit, num, "
			 "den) VALUES (?,?,?,?)",
	[Q_PROG_GET] = "SELECT " PROG_COLS " FROM programmes WHERE name = ?",
	[Q_PROG_GET_SHARES] = "SELECT unit, num, den FROM programme_shares "
			      "WHERE programme = ? ORDER BY unit",
	[Q_PROG_ALL] = "SELECT " PROG_COLS " FROM programmes ORDER BY name",
	[Q_OVERRIDE_INSERT] = "INSERT INTO overrides(entry, programme, beyond, "
			      "reason, recorded_by, recorded_at) "
			      "VALUES (?,?,?,?,?,?)",
	[Q_OVERRIDE_LIST] = "SELECT o.id, o.entry, o.programme, l.unit, "
			    "l.persons, o.beyond, o.reason, o.recorded_by, "
			    "o.recorded_at FROM overrides o "
			    "JOIN ledger l ON l.id = o.entry "
			    "WHERE ?1 IS NULL OR o.programme = ?1 ORDER BY o.id",
	[Q_PLEDGE_INSERT] = "INSERT INTO pledges(unit, programme, places, "
			    "date_from, date_to, status, note, recorded_by, "
			    "recorded_at) VALUES (?,?,?,?,?,?,?,?,?)",
	[Q_PLEDGE_LIST] = "SELECT " PLEDGE_COLS " FROM pledges "
			  "WHERE ?1 IS NULL OR unit = ?1 ORDER BY id",
	[Q_PLEDGE_STATUS] = "UPDATE pledges SET status = ? WHERE id = ?",
	[Q_ACCOUNT_INSERT] = "INSERT INTO accounts(" ACCOUNT_COLS ") "
			     "VALUES (?,?,?,?,?,?)",
	[Q_ACCOUNT_UPDATE] = "UPDATE accounts SET role = ?2, units = ?3, "
			     "pwhash = ?4, changed_at = ?6 WHERE name = ?1",
	[Q_ACCOUNT_GET] = "SELECT " ACCOUNT_COLS " FROM accounts "
			  "WHERE name = ?",
	[Q_ACCOUNT_ALL] = "SELECT " ACCOUNT_COLS " FROM accounts "
			  "ORDER BY name",
	[Q_SESSION_INSERT] = "INSERT INTO sessions(hash, account, csrf, "
			     "created_at, expires_at) VALUES (?,?,?,?,?)",
	[Q_SESSION_GET] = "SELECT account, csrf, created_at, expires_at "
			  "FROM sessions WHERE hash = ?",
	[Q_SESSION_DELETE] = "DELETE FROM sessions WHERE hash = ?1 "
			     "OR account = ?2 OR expires_at <= ?3",
	[Q_AUDIT_INSERT] = "INSERT INTO audit(at, account, action, object, "
			   "details) VALUES (?,?,?,?,?)",
	[Q_IMPORT_FIND] = "SELECT sha256, kind, file, rows, imported_by, "
			  "imported_at FROM imports WHERE sha256 = ? "
			  "ORDER BY id DESC LIMIT 1",
	[Q_IMPORT_INSERT] = "INSERT INTO imports(sha256, kind, file, rows, "
			    "imported_by, imported_at) VALUES (?,?,?,?,?,?)",
};

/* ---- errors --------------------------------------------------------- */

static int map_code(int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return HF_ENOTFOUND;
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return HF_EEXIST;
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return HF_EBUSY;
	case SQLITE_READONLY:
		return HF_EREADONLY;
	case SQLITE_NOMEM:
		return HF_ENOMEM;
	case SQLITE_IOERR:
	case SQLITE_FULL:
		return HF_EIO;
	case SQLITE_CONSTRAINT:
		return HF_ECONFLICT;
	}
	return HF_ESTORAGE;
}

int hf__sq_fail(sq *s, int rc, hf_error *err)
{
	int code = map_code(rc);

	if (code == HF_EREADONLY)
		return hf_error_set(
			err, code, s->path,
			"Die Datenbank %s ist nicht beschreibbar (%s): bitte "
			"Dateirechte der Datei und ihres Verzeichnisses prüfen.",
			"The database %s is not writable (%s): please check the "
			"permissions of the file and its directory.",
			s->path, sqlite3_errmsg(s->db));
	if ((rc & 0xff) == SQLITE_NOTADB)
		return hf_error_set(err, code, s->path,
				    "%s ist keine SQLite-Datenbank (oder sie "
				    "ist beschädigt).",
				    "%s is not a SQLite database (or it is "
				    "damaged).",
				    s->path);
	return hf_error_set(err, code, s->path, "Datenbankfehler in %s: %s",
			    "Database error in %s: %s", s->path,
			    sqlite3_errmsg(s->db));
}

static int nomem(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Nicht genug Speicher.",
			    "Out of memory.");
}

/* ---- statements ----------------------------------------------------- */

int hf__sq_prep(sq *s, int id, sqlite3_stmt **out, hf_error *err)
{
	int rc;

	if (!s->q[id]) {
		rc = sqlite3_prepare_v3(s->db, sql[id], -1,
					SQLITE_PREPARE_PERSISTENT, &s->q[id],
					NULL);
		if (rc != SQLITE_OK)
			return hf__sq_fail(s, rc, err);
	}
	*out = s->q[id];
	return HF_OK;
}

/* A statement built at run time, cached by its text. */
int hf__sq_dyn_prep(sq *s, const char *text, sqlite3_stmt **out, hf_error *err)
{
	unsigned i;
	sqlite3_stmt *q = NULL;
	char *copy;
	int rc;

	for (i = 0; i < NDYN; i++)
		if (s->dyn[i].sql && !strcmp(s->dyn[i].sql, text)) {
			*out = s->dyn[i].q;
			return HF_OK;
		}
	rc = sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT, &q,
				NULL);
	if (rc != SQLITE_OK)
		return hf__sq_fail(s, rc, err);
	if (!(copy = strdup(text))) {
		sqlite3_finalize(q);
		return nomem(err);
	}
	i = s->dyn_next++ % NDYN;
	free(s->dyn[i].sql);
	sqlite3_finalize(s->dyn[i].q);
	s->dyn[i].sql = copy;
	s->dyn[i].q = q;
	*out = q;
	return HF_OK;
}

int hf__sq_ctext(sqlite3_stmt *q, int i, char *dst, size_t size,
		 const char *field, hf_error *err)
{
	return hf_field_copy(dst, size, (const char *)sqlite3_column_text(q, i),
			     field, err);
}

int hf__sq_crat(sqlite3_stmt *q, int i, hf_rat *out, hf_error *err)
{
	int rc = hf_rat_make(sqlite3_column_int64(q, i),
			     sqlite3_column_int64(q, i + 1), out);
	if (rc < 0)
		return hf_error_set(err, HF_ESTORAGE, "",
				    "Ungültiger Bruch in der Datenbank.",
				    "Invalid fraction in the database.");
	return HF_OK;
}

static int exec(sq *s, const char *text, hf_error *err)
{
	int rc = sqlite3_exec(s->db, text, NULL, NULL, NULL);
	return rc == SQLITE_OK ? HF_OK : hf__sq_fail(s, rc, err);
}

/* Runs a statement that returns no rows, then resets it. */
int hf__sq_run(sq *s, sqlite3_stmt *q, hf_error *err)
{
	int rc = sqlite3_step(q);
	int ret = rc == SQLITE_DONE ? HF_OK : hf__sq_fail(s, rc, err);
	hf__sq_done(q);
	return ret;
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *np;

	if (n < *cap)
		return HF_OK;
	ncap = *cap ? *cap * 2 : 16;
	np = realloc(*p, ncap * size);
	if (!np)
		return HF_ENOMEM;
	*p = np;
	*cap = ncap;
	return HF_OK;
}

/*
 * Steps q and reads each row into a growing array with read(). On error
 * the array is freed. The statement is reset in any case.
 */
int hf__sq_collect(sq *s, sqlite3_stmt *q, size_t size, hf__sq_row_fn read,
		   void **out, size_t *n, hf_error *err)
{
	void *arr = NULL;
	size_t cnt = 0, cap = 0;
	int rc, ret = HF_OK;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (grow(&arr, &cap, cnt, size) < 0) {
			ret = nomem(err);
			goto fail;
		}
		memset((char *)arr + cnt * size, 0, size);
		if ((ret = read(q, (char *)arr + cnt * size, err)) < 0)
			goto fail;
		cnt++;
	}
	if (rc != SQLITE_DONE) {
		ret = hf__sq_fail(s, rc, err);
		goto fail;
	}
	hf__sq_done(q);
	*out = arr;
	*n = cnt;
	return HF_OK;
fail:
	hf__sq_done(q);
	free(arr);
	return ret;
}

/* Steps q once into one row read by read(); HF_ENOTFOUND if none. */
int hf__sq_one(sq *s, sqlite3_stmt *q, void *dst, hf__sq_row_fn read,
	       hf_error *err)
{
	int rc = sqlite3_step(q), ret;

	if (rc == SQLITE_ROW)
		ret = read(q, dst, err);
	else if (rc == SQLITE_DONE)
		ret = HF_ENOTFOUND;
	else
		ret = hf__sq_fail(s, rc, err);
	hf__sq_done(q);
	return ret;
}

/* ---- open, schema, transactions ------------------------------------- */

static int read_version(sq *s, int *version, hf_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc, has_table = 0, tables = 0;

	rc = sqlite3_prepare_v2(s->db,
				"SELECT count(*), "
				"sum(name = 'schema_version') FROM sqlite_master "
				"WHERE type = 'table'",
				-1, &q, NULL);
	if (rc != SQLITE_OK)
		return hf__sq_fail(s, rc, err);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		tables = sqlite3_column_int(q, 0);
		has_table = sqlite3_column_int(q, 1);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return hf__sq_fail(s, rc, err);
	*version = 0;
	if (!has_table)
		return tables ? -1 : HF_OK; /* -1: tables, but not hafen's */
	if ((rc = hf__sq_prep(s, Q_VERSION, &q, err)) < 0)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(q, 0);
	hf__sq_done(q);
	if (rc != SQLITE_ROW)
		return hf__sq_fail(s, rc, err);
	return HF_OK;
}

static int migrate(sq *s, int from, hf_error *err)
{
	char buf[128];
	int v, rc;

	if ((rc = exec(s, "BEGIN IMMEDIATE", err)) < 0)
		return rc;
	for (v = from; v < NMIGRATIONS; v++)
		if ((rc = exec(s, migrations[v], err)) < 0)
			goto fail;
	snprintf(buf, sizeof buf,
		 "DELETE FROM schema_version;"
		 "INSERT INTO schema_version VALUES (%d)",
		 NMIGRATIONS);
	if ((rc = exec(s, buf, err)) < 0 || (rc = exec(s, "COMMIT", err)) < 0)
		goto fail;
	return HF_OK;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Inside the open write transaction: the tables dropped, children
 * first, and the schema built anew, empty (hafen migrate --force). */
static int sq_reset(void *st, const hf__table *tables, size_t n,
		    hf_error *err)
{
	char buf[128];
	size_t i;
	int v, rc;

	for (i = n; i-- > 0;) {
		snprintf(buf, sizeof buf, "DROP TABLE IF EXISTS %s",
			 tables[i].name);
		if ((rc = exec(st, buf, err)) < 0)
			return rc;
	}
	if ((rc = exec(st, "DROP TABLE IF EXISTS schema_version", err)) < 0)
		return rc;
	for (v = 0; v < NMIGRATIONS; v++)
		if ((rc = exec(st, migrations[v], err)) < 0)
			return rc;
	snprintf(buf, sizeof buf, "INSERT INTO schema_version VALUES (%d)",
		 NMIGRATIONS);
	return exec(st, buf, err);
}

static void sq_close(void *st)
{
	sq *s = st;
	int i;

	if (!s)
		return;
	for (i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(s->q[i]);
	for (i = 0; i < NDYN; i++) {
		sqlite3_finalize(s->dyn[i].q);
		free(s->dyn[i].sql);
	}
	if (s->db) {
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(s->db);
	}
	free(s->path);
	free(s);
}

static int open_failed(sq *s, int rc, int flags, hf_error *err)
{
	if ((rc & 0xff) == SQLITE_CANTOPEN) {
		if (!(flags & HF_DB_CREATE) && access(s->path, F_OK) != 0 &&
		    errno == ENOENT)
			return hf_error_set(
				err, HF_EIO, s->path,
				"Die Datenbank %s gibt es nicht: bitte den "
				"Pfad prüfen oder sie mit \"hafen init\" "
				"anlegen.",
				"The database %s does not exist: please check "
				"the path or create it with \"hafen init\".",
				s->path);
		return hf_error_set(
			err, HF_EREADONLY, s->path,
			"Die Datenbank %s lässt sich nicht öffnen oder "
			"anlegen: gibt es das Verzeichnis, und ist es "
			"beschreibbar?",
			"The database %s cannot be opened or created: does its "
			"directory exist, and is it writable?",
			s->path);
	}
	return hf__sq_fail(s, rc, err);
}

static int sq_open(const char *path, int flags, void **state, hf_error *err)
{
	int oflags = SQLITE_OPEN_NOMUTEX, rc, version;
	int ro = flags & HF_DB_READONLY;
	sq *s;

	if (!(s = calloc(1, sizeof *s)) || !(s->path = strdup(path))) {
		free(s);
		return nomem(err);
	}
	if (ro)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE |
			  (flags & HF_DB_CREATE ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		rc = open_failed(s, rc, flags, err);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	if (!ro && sqlite3_db_readonly(s->db, "main") == 1) {
		rc = hf__sq_fail(s, SQLITE_READONLY, err);
		goto fail;
	}
	/* the first read tells a database from any other file */
	if ((rc = read_version(s, &version, err)) < 0 && rc != -1)
		goto fail;
	if (rc == -1) {
		rc = hf_error_set(err, HF_ESCHEMA, path,
				  "%s ist eine SQLite-Datenbank, aber keine "
				  "von hafen.",
				  "%s is a SQLite database, but not one of "
				  "hafen.",
				  path);
		goto fail;
	}
	if (version > HF_DB_SCHEMA_VERSION) {
		rc = hf_error_set(err, HF_ESCHEMA, path,
				  "Die Datenbank hat Schema %d, dieses hafen "
				  "kennt nur bis %d: bitte hafen aktualisieren.",
				  "The database has schema %d, this hafen knows "
				  "up to %d only: please update hafen.",
				  version, HF_DB_SCHEMA_VERSION);
		goto fail;
	}
	if ((rc = exec(s, "PRAGMA foreign_keys = ON", err)) < 0)
		goto fail;
	if (!ro) {
		sqlite3_stmt *q;
		/* journal_mode answers with a row */
		rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1,
					&q, NULL);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(q);
			sqlite3_finalize(q);
			rc = rc == SQLITE_ROW ? SQLITE_OK : rc;
		}
		if (rc != SQLITE_OK) {
			rc = hf__sq_fail(s, rc, err);
			goto fail;
		}
		/* a large batch touches the date index all over; spilling
		 * dirty pages to the WAL mid-transaction costs more than
		 * the memory */
		if ((rc = exec(s, "PRAGMA synchronous = NORMAL;"
				  "PRAGMA cache_size = -65536", err)) < 0)
			goto fail;
		/* a write lock now: an unwritable directory shows here, not
		 * at the first write */
		if ((rc = exec(s, "BEGIN IMMEDIATE", err)) < 0) {
			if (rc == HF_EIO || rc == HF_ESTORAGE)
				rc = hf__sq_fail(s, SQLITE_READONLY, err);
			goto fail;
		}
		exec(s, "ROLLBACK", NULL);
	}
	if (version < HF_DB_SCHEMA_VERSION) {
		if (version == 0 && !(flags & HF_DB_CREATE)) {
			rc = hf_error_set(err, HF_ESCHEMA, path,
					  "%s ist leer, keine hafen-Datenbank: "
					  "bitte mit \"hafen init\" anlegen.",
					  "%s is empty, not a hafen database: "
					  "please create it with \"hafen "
					  "init\".",
					  path);
			goto fail;
		}
		if (ro) {
			/* an older schema is brought up to date even by a
			 * reading command: open writable once, migrate, and
			 * open for reading again */
			void *rw = NULL;
			sq_close(s);
			if ((rc = sq_open(path, flags & ~HF_DB_READONLY, &rw,
					  err)) < 0)
				return rc;
			sq_close(rw);
			return sq_open(path, flags, state, err);
		}
		if ((rc = migrate(s, version, err)) < 0)
			goto fail;
	}
	*state = s;
	return HF_OK;
fail:
	sq_close(s);
	return rc;
}

static int sq_schema_version(void *st, int *version, hf_error *err)
{
	int rc = read_version(st, version, err);
	return rc == -1 ? HF_ESCHEMA : rc;
}

static int simple(sq *s, int id, hf_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc = hf__sq_prep(s, id, &q, err);
	return rc < 0 ? rc : hf__sq_run(s, q, err);
}

static int sq_begin(void *st, hf_error *err)
{
	return simple(st, Q_BEGIN, err);
}

static int sq_begin_read(void *st, hf_error *err)
{
	/* deferred: the first read fixes the snapshot (WAL) */
	return exec(st, "BEGIN DEFERRED", err);
}

static int sq_commit(void *st, hf_error *err)
{
	return simple(st, Q_COMMIT, err);
}

static void sq_rollback(void *st)
{
	sq *s = st;
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- units ---------------------------------------------------------- */

static int read_unit(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_unit *u = dst;
	int rc;

	if ((rc = hf__sq_ctext(q, 0, u->code, sizeof u->code, "code",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 1, u->name, sizeof u->name, "name",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 3, u->parent, sizeof u->parent, "parent",
			       err)) < 0)
		return rc;
	if (hf_unit_kind_parse((const char *)sqlite3_column_text(q, 2),
			       &u->kind) < 0)
		return hf_error_set(err, HF_ESTORAGE, u->code,
				    "Einheit %s: unbekannte Art in der "
				    "Datenbank.",
				    "Unit %s: unknown kind in the database.",
				    u->code);
	return HF_OK;
}

static int sq_unit_insert(void *st, const hf_unit *u, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_UNIT_INSERT);
	hf__sq_btext(q, 1, u->code);
	hf__sq_btext(q, 2, u->name);
	hf__sq_btext(q, 3, hf_unit_kind_slug(u->kind));
	hf__sq_btext(q, 4, u->parent[0] ? u->parent : NULL);
	return hf__sq_run(s, q, err);
}

static int sq_unit_get(void *st, const char *code, hf_unit *out,
		       hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_UNIT_GET);
	hf__sq_btext(q, 1, code);
	return hf__sq_one(s, q, out, read_unit, err);
}

static int sq_unit_list(void *st, const char *parent, hf_unit **out,
			size_t *n, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	if (!parent) {
		PREP(Q_UNIT_ALL);
	} else if (!parent[0]) {
		PREP(Q_UNIT_ROOTS);
	} else {
		PREP(Q_UNIT_CHILDREN);
		hf__sq_btext(q, 1, parent);
	}
	return hf__sq_collect(s, q, sizeof **out, read_unit, (void **)out, n,
			      err);
}

static int read_indicator(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_indicator *x = dst;
	int rc;

	if ((rc = hf__sq_ctext(q, 0, x->unit, sizeof x->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 1, x->name, sizeof x->name, "name",
			       err)) < 0 ||
	    (rc = hf__sq_crat(q, 3, &x->value, err)) < 0 ||
	    (rc = hf__sq_ctext(q, 5, x->source, sizeof x->source, "source",
			       err)) < 0)
		return rc;
	x->ref_date = hf__sq_cdate(q, 2);
	return HF_OK;
}

static int sq_indicator_put(void *st, const hf_indicator *x, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_IND_PUT);
	hf__sq_btext(q, 1, x->unit);
	hf__sq_btext(q, 2, x->name);
	sqlite3_bind_int(q, 3, x->ref_date);
	sqlite3_bind_int64(q, 4, x->value.num);
	sqlite3_bind_int64(q, 5, x->value.den);
	hf__sq_btext(q, 6, x->source);
	return hf__sq_run(s, q, err);
}

static int sq_indicator_get(void *st, const char *unit, const char *name,
			    hf_date ref_date, hf_indicator *out, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_IND_GET);
	hf__sq_btext(q, 1, unit);
	hf__sq_btext(q, 2, name);
	sqlite3_bind_int(q, 3, ref_date);
	return hf__sq_one(s, q, out, read_indicator, err);
}

static int sq_indicator_list(void *st, const char *unit, const char *name,
			     hf_indicator **out, size_t *n, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_IND_LIST);
	hf__sq_btext(q, 1, unit);
	hf__sq_btext(q, 2, name);
	return hf__sq_collect(s, q, sizeof **out, read_indicator, (void **)out,
			      n, err);
}

static int read_membership(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_membership *m = dst;
	int rc;

	if ((rc = hf__sq_ctext(q, 0, m->unit, sizeof m->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 1, m->alliance, sizeof m->alliance,
			       "alliance", err)) < 0 ||
	    (rc = hf__sq_ctext(q, 3, m->source, sizeof m->source, "source",
			       err)) < 0)
		return rc;
	m->joined = hf__sq_cdate(q, 2);
	return HF_OK;
}

static int sq_membership_insert(void *st, const hf_membership *m,
				hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_MEM_INSERT);
	hf__sq_btext(q, 1, m->unit);
	hf__sq_btext(q, 2, m->alliance);
	hf__sq_bdate(q, 3, m->joined);
	hf__sq_btext(q, 4, m->source);
	return hf__sq_run(s, q, err);
}

static int sq_membership_list(void *st, const char *alliance,
			      const char *unit, hf_membership **out, size_t *n,
			      hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_MEM_LIST);
	hf__sq_btext(q, 1, alliance);
	hf__sq_btext(q, 2, unit);
	return hf__sq_collect(s, q, sizeof **out, read_membership, (void **)out,
			      n, err);
}

static int read_contact(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_contact *c = dst;
	int rc;

	if ((rc = hf__sq_ctext(q, 0, c->unit, sizeof c->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 1, c->office, sizeof c->office, "office",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 2, c->email, sizeof c->email, "email",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 3, c->phone, sizeof c->phone, "phone",
			       err)) < 0)
		return rc;
	return HF_OK;
}

static int sq_contact_put(void *st, const hf_contact *c, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_CONTACT_PUT);
	hf__sq_btext(q, 1, c->unit);
	hf__sq_btext(q, 2, c->office);
	hf__sq_btext(q, 3, c->email);
	hf__sq_btext(q, 4, c->phone);
	return hf__sq_run(s, q, err);
}

static int sq_contact_get(void *st, const char *unit, hf_contact *out,
			  hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_CONTACT_GET);
	hf__sq_btext(q, 1, unit);
	return hf__sq_one(s, q, out, read_contact, err);
}

/* ---- imports -------------------------------------------------------- */

static int read_import(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf__import_rec *r = dst;
	int rc;

	if ((rc = hf__sq_ctext(q, 0, r->sha256, sizeof r->sha256, "sha256",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 1, r->kind, sizeof r->kind, "kind", err)) <
		    0 ||
	    (rc = hf__sq_ctext(q, 2, r->file, sizeof r->file, "file", err)) <
		    0 ||
	    (rc = hf__sq_ctext(q, 4, r->user, sizeof r->user, "imported_by",
			       err)) < 0)
		return rc;
	r->rows = sqlite3_column_int64(q, 3);
	r->at = sqlite3_column_int64(q, 5);
	return HF_OK;
}

static int sq_import_find(void *st, const char *sha256, hf__import_rec *out,
			  hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_IMPORT_FIND);
	hf__sq_btext(q, 1, sha256);
	return hf__sq_one(s, q, out, read_import, err);
}

static int sq_import_insert(void *st, const hf__import_rec *r, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_IMPORT_INSERT);
	hf__sq_btext(q, 1, r->sha256);
	hf__sq_btext(q, 2, r->kind);
	hf__sq_btext(q, 3, r->file);
	sqlite3_bind_int64(q, 4, r->rows);
	hf__sq_btext(q, 5, r->user);
	sqlite3_bind_int64(q, 6, r->at);
	return hf__sq_run(s, q, err);
}

const struct hf__store_ops hf__store_sqlite = {
	.name = "sqlite",
	.open = sq_open,
    .begin_read = sq_begin_read,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.unit_insert = sq_unit_insert,
	.unit_get = sq_unit_get,
	.unit_list = sq_unit_list,
	.indicator_put = sq_indicator_put,
	.indicator_get = sq_indicator_get,
	.indicator_list = sq_indicator_list,
	.membership_insert = sq_membership_insert,
	.membership_list = sq_membership_list,
	.contact_put = sq_contact_put,
	.contact_get = sq_contact_get,
	.key_insert = hf__sq_key_insert,
	.key_get = hf__sq_key_get,
	.key_list = hf__sq_key_list,
	.key_set_credit = hf__sq_key_set_credit,
	.standing_insert = hf__sq_standing_insert,
	.standing_list = hf__sq_standing_list,
	.ledger_insert = hf__sq_ledger_insert,
	.ledger_bucket_add = hf__sq_ledger_bucket_add,
	.ledger_get = hf__sq_ledger_get,
	.ledger_list = hf__sq_ledger_list,
	.ledger_reversed_by = hf__sq_ledger_reversed_by,
	.ledger_aggregate = hf__sq_ledger_aggregate,
	.ledger_sum_months = hf__sq_ledger_sum_months,
	.ledger_sum_days = hf__sq_ledger_sum_days,
	.programme_insert = hf__sq_programme_insert,
	.programme_get = hf__sq_programme_get,
	.programme_list = hf__sq_programme_list,
	.override_insert = hf__sq_override_insert,
	.override_list = hf__sq_override_list,
	.pledge_insert = hf__sq_pledge_insert,
	.pledge_list = hf__sq_pledge_list,
	.pledge_set_status = hf__sq_pledge_set_status,
	.account_insert = hf__sq_account_insert,
	.account_update = hf__sq_account_update,
	.account_get = hf__sq_account_get,
	.account_list = hf__sq_account_list,
	.session_insert = hf__sq_session_insert,
	.session_get = hf__sq_session_get,
	.session_delete = hf__sq_session_delete,
	.audit_insert = hf__sq_audit_insert,
	.audit_list = hf__sq_audit_list,
	.rows_read = hf__sq_rows_read,
	.row_insert = hf__sq_row_insert,
	.reset = sq_reset,
	.table_names = hf__sq_table_names,
	.import_find = sq_import_find,
	.import_insert = sq_import_insert,
};

/*
 * store_sqlite.c: the SQLite backend of the storage interface.
 *
 * All SQL and every SQLite call of hafen live here. Statements are
 * prepared once per handle and reused; every value is bound, never
 * pasted into SQL. The schema is built by numbered migrations, each in a
 * transaction; the ledger is append-only in SQL too (triggers refuse
 * UPDATE and DELETE), and ledger_month keeps its monthly sums.
 */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

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
};

#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

enum {
	Q_BEGIN,
	Q_COMMIT,
	Q_ROLLBACK,
	Q_VERSION,
	Q_UNIT_INSERT,
	Q_UNIT_GET,
	Q_UNIT_ALL,
	Q_UNIT_ROOTS,
	Q_UNIT_CHILDREN,
	Q_IND_PUT,
	Q_IND_GET,
	Q_IND_LIST,
	Q_MEM_INSERT,
	Q_MEM_LIST,
	Q_CONTACT_PUT,
	Q_CONTACT_GET,
	Q_KEY_INSERT,
	Q_KEY_WEIGHT,
	Q_KEY_SHARE,
	Q_KEY_CREDIT,
	Q_KEY_GET,
	Q_KEY_GET_WEIGHTS,
	Q_KEY_GET_SHARES,
	Q_KEY_GET_CREDITS,
	Q_KEY_ALL,
	Q_KEY_OF_PARENT,
	Q_KEY_SET_CREDIT,
	Q_STANDING_INSERT,
	Q_STANDING_LIST,
	Q_LEDGER_INSERT,
	Q_MONTH_ADD,
	Q_DAY_ADD,
	Q_LEDGER_GET,
	Q_REVERSED_BY,
	Q_SUM_MONTHS,
	Q_SUM_DAYS,
	Q_COUNT
};

#define KEY_COLS                                                               \
	"name, title, parent, kind, valid_from, valid_to, computed_year, "    \
	"quota_year, source, ref_date, cap_num, cap_den"
#define LEDGER_COLS                                                            \
	"id, date, unit, persons, household, category, programme, reference, " \
	"recorded_by, recorded_at, corrects, note"

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
			    "recorded_by, recorded_at, corrects, note) "
			    "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
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
};

#define NDYN 16 /* cached statements built from a filter */

typedef struct sq {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *q[Q_COUNT];
	struct {
		char *sql;
		sqlite3_stmt *q;
	} dyn[NDYN];
	unsigned dyn_next;
} sq;

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

static int fail(sq *s, int rc, hf_error *err)
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

static int prep(sq *s, int id, sqlite3_stmt **out, hf_error *err)
{
	int rc;

	if (!s->q[id]) {
		rc = sqlite3_prepare_v3(s->db, sql[id], -1,
					SQLITE_PREPARE_PERSISTENT, &s->q[id],
					NULL);
		if (rc != SQLITE_OK)
			return fail(s, rc, err);
	}
	*out = s->q[id];
	return HF_OK;
}

/* A statement built at run time, cached by its text. */
static int dyn_prep(sq *s, const char *text, sqlite3_stmt **out,
		    hf_error *err)
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
		return fail(s, rc, err);
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

static void done(sqlite3_stmt *q)
{
	if (q) {
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
	}
}

/* Binds a string; NULL binds SQL NULL. The string outlives the step. */
static void btext(sqlite3_stmt *q, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(q, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

/* An optional date: HF_DATE_NONE is NULL. */
static void bdate(sqlite3_stmt *q, int i, hf_date d)
{
	if (d == HF_DATE_NONE)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_int(q, i, d);
}

static hf_date cdate(sqlite3_stmt *q, int i)
{
	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		return HF_DATE_NONE;
	return (hf_date)sqlite3_column_int(q, i);
}

static int ctext(sqlite3_stmt *q, int i, char *dst, size_t size,
		 const char *field, hf_error *err)
{
	return hf_field_copy(dst, size, (const char *)sqlite3_column_text(q, i),
			     field, err);
}

static int crat(sqlite3_stmt *q, int i, hf_rat *out, hf_error *err)
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
	return rc == SQLITE_OK ? HF_OK : fail(s, rc, err);
}

/* Runs a statement that returns no rows, then resets it. */
static int run(sq *s, sqlite3_stmt *q, hf_error *err)
{
	int rc = sqlite3_step(q);
	int ret = rc == SQLITE_DONE ? HF_OK : fail(s, rc, err);
	done(q);
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
typedef int (*row_fn)(sqlite3_stmt *q, void *dst, hf_error *err);

static int collect(sq *s, sqlite3_stmt *q, size_t size, row_fn read,
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
		ret = fail(s, rc, err);
		goto fail;
	}
	done(q);
	*out = arr;
	*n = cnt;
	return HF_OK;
fail:
	done(q);
	free(arr);
	return ret;
}

/* Steps q once into one row read by read(); HF_ENOTFOUND if none. */
static int one(sq *s, sqlite3_stmt *q, void *dst, row_fn read, hf_error *err)
{
	int rc = sqlite3_step(q), ret;

	if (rc == SQLITE_ROW)
		ret = read(q, dst, err);
	else if (rc == SQLITE_DONE)
		ret = HF_ENOTFOUND;
	else
		ret = fail(s, rc, err);
	done(q);
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
		return fail(s, rc, err);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		tables = sqlite3_column_int(q, 0);
		has_table = sqlite3_column_int(q, 1);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return fail(s, rc, err);
	*version = 0;
	if (!has_table)
		return tables ? -1 : HF_OK; /* -1: tables, but not hafen's */
	if ((rc = prep(s, Q_VERSION, &q, err)) < 0)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(q, 0);
	done(q);
	if (rc != SQLITE_ROW)
		return fail(s, rc, err);
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
	return fail(s, rc, err);
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
		rc = fail(s, SQLITE_READONLY, err);
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
			rc = fail(s, rc, err);
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
				rc = fail(s, SQLITE_READONLY, err);
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
			rc = hf_error_set(
				err, HF_ESCHEMA, path,
				"Die Datenbank hat Schema %d und muss auf %d "
				"gebracht werden: bitte einmal beschreibbar "
				"öffnen.",
				"The database has schema %d and must be "
				"migrated to %d: please open it writable once.",
				version, HF_DB_SCHEMA_VERSION);
			goto fail;
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
	int rc = prep(s, id, &q, err);
	return rc < 0 ? rc : run(s, q, err);
}

static int sq_begin(void *st, hf_error *err)
{
	return simple(st, Q_BEGIN, err);
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

#define PREP(id)                                                               \
	do {                                                                   \
		int prc_ = prep(s, (id), &q, err);                             \
		if (prc_ < 0)                                                  \
			return prc_;                                           \
	} while (0)

static int read_unit(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_unit *u = dst;
	int rc;

	if ((rc = ctext(q, 0, u->code, sizeof u->code, "code", err)) < 0 ||
	    (rc = ctext(q, 1, u->name, sizeof u->name, "name", err)) < 0 ||
	    (rc = ctext(q, 3, u->parent, sizeof u->parent, "parent", err)) < 0)
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
	btext(q, 1, u->code);
	btext(q, 2, u->name);
	btext(q, 3, hf_unit_kind_slug(u->kind));
	btext(q, 4, u->parent[0] ? u->parent : NULL);
	return run(s, q, err);
}

static int sq_unit_get(void *st, const char *code, hf_unit *out,
		       hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_UNIT_GET);
	btext(q, 1, code);
	return one(s, q, out, read_unit, err);
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
		btext(q, 1, parent);
	}
	return collect(s, q, sizeof **out, read_unit, (void **)out, n, err);
}

static int read_indicator(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_indicator *x = dst;
	int rc;

	if ((rc = ctext(q, 0, x->unit, sizeof x->unit, "unit", err)) < 0 ||
	    (rc = ctext(q, 1, x->name, sizeof x->name, "name", err)) < 0 ||
	    (rc = crat(q, 3, &x->value, err)) < 0 ||
	    (rc = ctext(q, 5, x->source, sizeof x->source, "source", err)) < 0)
		return rc;
	x->ref_date = cdate(q, 2);
	return HF_OK;
}

static int sq_indicator_put(void *st, const hf_indicator *x, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_IND_PUT);
	btext(q, 1, x->unit);
	btext(q, 2, x->name);
	sqlite3_bind_int(q, 3, x->ref_date);
	sqlite3_bind_int64(q, 4, x->value.num);
	sqlite3_bind_int64(q, 5, x->value.den);
	btext(q, 6, x->source);
	return run(s, q, err);
}

static int sq_indicator_get(void *st, const char *unit, const char *name,
			    hf_date ref_date, hf_indicator *out, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_IND_GET);
	btext(q, 1, unit);
	btext(q, 2, name);
	sqlite3_bind_int(q, 3, ref_date);
	return one(s, q, out, read_indicator, err);
}

static int sq_indicator_list(void *st, const char *unit, const char *name,
			     hf_indicator **out, size_t *n, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_IND_LIST);
	btext(q, 1, unit);
	btext(q, 2, name);
	return collect(s, q, sizeof **out, read_indicator, (void **)out, n,
		       err);
}

static int read_membership(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_membership *m = dst;
	int rc;

	if ((rc = ctext(q, 0, m->unit, sizeof m->unit, "unit", err)) < 0 ||
	    (rc = ctext(q, 1, m->alliance, sizeof m->alliance, "alliance",
			err)) < 0 ||
	    (rc = ctext(q, 3, m->source, sizeof m->source, "source", err)) < 0)
		return rc;
	m->joined = cdate(q, 2);
	return HF_OK;
}

static int sq_membership_insert(void *st, const hf_membership *m,
				hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_MEM_INSERT);
	btext(q, 1, m->unit);
	btext(q, 2, m->alliance);
	bdate(q, 3, m->joined);
	btext(q, 4, m->source);
	return run(s, q, err);
}

static int sq_membership_list(void *st, const char *alliance,
			      const char *unit, hf_membership **out, size_t *n,
			      hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_MEM_LIST);
	btext(q, 1, alliance);
	btext(q, 2, unit);
	return collect(s, q, sizeof **out, read_membership, (void **)out, n,
		       err);
}

static int read_contact(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_contact *c = dst;
	int rc;

	if ((rc = ctext(q, 0, c->unit, sizeof c->unit, "unit", err)) < 0 ||
	    (rc = ctext(q, 1, c->office, sizeof c->office, "office", err)) < 0 ||
	    (rc = ctext(q, 2, c->email, sizeof c->email, "email", err)) < 0 ||
	    (rc = ctext(q, 3, c->phone, sizeof c->phone, "phone", err)) < 0)
		return rc;
	return HF_OK;
}

static int sq_contact_put(void *st, const hf_contact *c, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_CONTACT_PUT);
	btext(q, 1, c->unit);
	btext(q, 2, c->office);
	btext(q, 3, c->email);
	btext(q, 4, c->phone);
	return run(s, q, err);
}

static int sq_contact_get(void *st, const char *unit, hf_contact *out,
			  hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_CONTACT_GET);
	btext(q, 1, unit);
	return one(s, q, out, read_contact, err);
}

/* ---- keys ----------------------------------------------------------- */

static int read_key(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_key *k = dst;
	int rc;

	hf_key_init(k);
	if ((rc = ctext(q, 0, k->name, sizeof k->name, "name", err)) < 0 ||
	    (rc = ctext(q, 1, k->title, sizeof k->title, "title", err)) < 0 ||
	    (rc = ctext(q, 2, k->parent, sizeof k->parent, "parent", err)) < 0 ||
	    (rc = ctext(q, 8, k->source, sizeof k->source, "source", err)) < 0 ||
	    (rc = crat(q, 10, &k->cap, err)) < 0)
		return rc;
	if (hf_key_kind_parse((const char *)sqlite3_column_text(q, 3),
			      &k->kind) < 0)
		return hf_error_set(err, HF_ESTORAGE, k->name,
				    "Schlüssel %s: unbekannte Art in der "
				    "Datenbank.",
				    "Key %s: unknown kind in the database.",
				    k->name);
	k->valid_from = cdate(q, 4);
	k->valid_to = cdate(q, 5);
	k->computed_year = sqlite3_column_int(q, 6);
	k->quota_year = sqlite3_column_int(q, 7);
	k->ref_date = cdate(q, 9);
	return HF_OK;
}

static int bind_rat_run(sq *s, sqlite3_stmt *q, int i, hf_rat r,
			hf_error *err)
{
	sqlite3_bind_int64(q, i, r.num);
	sqlite3_bind_int64(q, i + 1, r.den);
	return run(s, q, err);
}

static int sq_key_insert(void *st, const hf_key *k, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	size_t i;
	int rc, c;

	PREP(Q_KEY_INSERT);
	btext(q, 1, k->name);
	btext(q, 2, k->title);
	btext(q, 3, k->parent);
	btext(q, 4, hf_key_kind_slug(k->kind));
	bdate(q, 5, k->valid_from);
	bdate(q, 6, k->valid_to);
	sqlite3_bind_int(q, 7, k->computed_year);
	sqlite3_bind_int(q, 8, k->quota_year);
	btext(q, 9, k->source);
	bdate(q, 10, k->ref_date);
	if ((rc = bind_rat_run(s, q, 11, k->cap, err)) < 0)
		return rc;
	for (i = 0; i < k->nweights; i++) {
		PREP(Q_KEY_WEIGHT);
		btext(q, 1, k->name);
		sqlite3_bind_int(q, 2, (int)i);
		btext(q, 3, k->weights[i].indicator);
		if ((rc = bind_rat_run(s, q, 4, k->weights[i].weight, err)) < 0)
			return rc;
	}
	for (i = 0; i < k->nshares; i++) {
		PREP(Q_KEY_SHARE);
		btext(q, 1, k->name);
		btext(q, 2, k->shares[i].unit);
		if ((rc = bind_rat_run(s, q, 3, k->shares[i].share, err)) < 0)
			return rc;
	}
	for (c = 0; c < HF_CAT_COUNT; c++) {
		PREP(Q_KEY_CREDIT);
		btext(q, 1, k->name);
		sqlite3_bind_int(q, 2, c);
		if ((rc = bind_rat_run(s, q, 3, k->credit[c], err)) < 0)
			return rc;
	}
	return HF_OK;
}

static int read_share(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_key_share *sh = dst;
	int rc;

	if ((rc = ctext(q, 0, sh->unit, sizeof sh->unit, "unit", err)) < 0)
		return rc;
	return crat(q, 1, &sh->share, err);
}

static int key_details(sq *s, hf_key *k, hf_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_KEY_GET_WEIGHTS);
	btext(q, 1, k->name);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW &&
	       k->nweights < HF_KEY_WEIGHTS_MAX) {
		hf_key_weight *w = &k->weights[k->nweights++];
		if ((rc = ctext(q, 0, w->indicator, sizeof w->indicator,
				"indicator", err)) < 0 ||
		    (rc = crat(q, 1, &w->weight, err)) < 0) {
			done(q);
			return rc;
		}
	}
	done(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail(s, rc, err);
	PREP(Q_KEY_GET_CREDITS);
	btext(q, 1, k->name);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int c = sqlite3_column_int(q, 0);
		if (c >= 0 && c < HF_CAT_COUNT &&
		    (rc = crat(q, 1, &k->credit[c], err)) < 0) {
			done(q);
			return rc;
		}
	}
	done(q);
	if (rc != SQLITE_DONE)
		return fail(s, rc, err);
	PREP(Q_KEY_GET_SHARES);
	btext(q, 1, k->name);
	return collect(s, q, sizeof *k->shares, read_share,
		       (void **)&k->shares, &k->nshares, err);
}

static int sq_key_get(void *st, const char *name, hf_key *out, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_KEY_GET);
	btext(q, 1, name);
	if ((rc = one(s, q, out, read_key, err)) < 0)
		return rc;
	if ((rc = key_details(s, out, err)) < 0)
		hf_key_clear(out);
	return rc;
}

static int sq_key_list(void *st, const char *parent, hf_key **out, size_t *n,
		       hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	size_t i;
	int rc;

	if (parent) {
		PREP(Q_KEY_OF_PARENT);
		btext(q, 1, parent);
	} else {
		PREP(Q_KEY_ALL);
	}
	if ((rc = collect(s, q, sizeof **out, read_key, (void **)out, n,
			  err)) < 0)
		return rc;
	for (i = 0; i < *n; i++) {
		/* weights and credits, not the shares */
		hf_key *k = &(*out)[i];
		if ((rc = key_details(s, k, err)) < 0)
			goto fail;
		hf_key_clear(k);
	}
	return HF_OK;
fail:
	for (i = 0; i < *n; i++)
		hf_key_clear(&(*out)[i]);
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

static int sq_key_set_credit(void *st, const char *key, int category,
			     hf_rat weight, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_KEY_SET_CREDIT);
	btext(q, 1, key);
	sqlite3_bind_int(q, 2, category);
	return bind_rat_run(s, q, 3, weight, err);
}

static int read_standing(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_standing *x = dst;
	int rc;

	x->id = sqlite3_column_int64(q, 0);
	if ((rc = ctext(q, 1, x->key, sizeof x->key, "key", err)) < 0 ||
	    (rc = ctext(q, 2, x->unit, sizeof x->unit, "unit", err)) < 0 ||
	    (rc = ctext(q, 6, x->reason, sizeof x->reason, "reason", err)) < 0)
		return rc;
	x->from = cdate(q, 3);
	x->to = cdate(q, 4);
	x->persons = sqlite3_column_int64(q, 5);
	return HF_OK;
}

static int sq_standing_insert(void *st, hf_standing *x, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_STANDING_INSERT);
	btext(q, 1, x->key);
	btext(q, 2, x->unit);
	sqlite3_bind_int(q, 3, x->from);
	sqlite3_bind_int(q, 4, x->to);
	sqlite3_bind_int64(q, 5, x->persons);
	btext(q, 6, x->reason);
	if ((rc = run(s, q, err)) < 0)
		return rc;
	x->id = sqlite3_last_insert_rowid(s->db);
	return HF_OK;
}

static int sq_standing_list(void *st, const char *key, hf_standing **out,
			    size_t *n, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_STANDING_LIST);
	btext(q, 1, key);
	return collect(s, q, sizeof **out, read_standing, (void **)out, n,
		       err);
}

/* ---- ledger --------------------------------------------------------- */

static int read_admission(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_admission *a = dst;
	int rc;

	a->id = sqlite3_column_int64(q, 0);
	a->date = (hf_date)sqlite3_column_int(q, 1);
	a->persons = sqlite3_column_int64(q, 3);
	a->category = (hf_category)sqlite3_column_int(q, 5);
	a->recorded_at = sqlite3_column_int64(q, 9);
	a->corrects = sqlite3_column_int64(q, 10); /* NULL reads as 0 */
	if ((rc = ctext(q, 2, a->unit, sizeof a->unit, "unit", err)) < 0 ||
	    (rc = ctext(q, 4, a->household, sizeof a->household, "household",
			err)) < 0 ||
	    (rc = ctext(q, 6, a->programme, sizeof a->programme, "programme",
			err)) < 0 ||
	    (rc = ctext(q, 7, a->reference, sizeof a->reference, "reference",
			err)) < 0 ||
	    (rc = ctext(q, 8, a->recorded_by, sizeof a->recorded_by,
			"recorded_by", err)) < 0 ||
	    (rc = ctext(q, 11, a->note, sizeof a->note, "note", err)) < 0)
		return rc;
	return HF_OK;
}

static int sq_ledger_insert(void *st, hf_admission *a, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = s->q[Q_LEDGER_INSERT];
	int rc;

	if (!q)
		PREP(Q_LEDGER_INSERT);
	sqlite3_bind_int(q, 1, a->date);
	sqlite3_bind_text(q, 2, a->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, a->persons);
	sqlite3_bind_text(q, 4, a->household, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, (int)a->category);
	sqlite3_bind_text(q, 6, a->programme, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, a->reference, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, a->recorded_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 9, a->recorded_at);
	if (a->corrects)
		sqlite3_bind_int64(q, 10, a->corrects);
	else
		sqlite3_bind_null(q, 10);
	sqlite3_bind_text(q, 11, a->note, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return fail(s, rc, err);
	a->id = sqlite3_last_insert_rowid(s->db);
	return HF_OK;
}

static int sq_ledger_bucket_add(void *st, int daily, const hf__bucket_sum *m,
				hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	if (daily)
		PREP(Q_DAY_ADD);
	else
		PREP(Q_MONTH_ADD);
	sqlite3_bind_int(q, 1, m->bucket);
	btext(q, 2, m->unit);
	sqlite3_bind_int(q, 3, m->category);
	sqlite3_bind_int64(q, 4, m->persons);
	sqlite3_bind_int64(q, 5, m->entries);
	return run(s, q, err);
}

static int sq_ledger_get(void *st, int64_t id, hf_admission *out,
			 hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_LEDGER_GET);
	sqlite3_bind_int64(q, 1, id);
	return one(s, q, out, read_admission, err);
}

static int sq_ledger_reversed_by(void *st, int64_t id, int64_t *reversal,
				 hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_REVERSED_BY);
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	*reversal = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	done(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HF_OK : fail(s, rc, err);
}

/*
 * The WHERE clause of a filter. Each field has a fixed parameter number,
 * so the text depends only on which fields are set and the statement can
 * be cached by its text.
 */
static void filter_where(const hf_ledger_filter *f, char *buf, size_t size)
{
	snprintf(buf, size, " WHERE 1%s%s%s%s%s%s%s%s",
		 f->unit ? " AND unit = ?1" : "",
		 f->parent ? " AND unit IN (SELECT code FROM units "
			     "WHERE parent = ?2)"
			   : "",
		 f->category >= 0 ? " AND category = ?3" : "",
		 f->programme ? " AND programme = ?4" : "",
		 f->household ? " AND household = ?5" : "",
		 f->from != HF_DATE_NONE ? " AND date >= ?6" : "",
		 f->to != HF_DATE_NONE ? " AND date <= ?7" : "",
		 f->after_id > 0 ? " AND id > ?8" : "");
}

static void filter_bind(sqlite3_stmt *q, const hf_ledger_filter *f)
{
	btext(q, 1, f->unit);
	btext(q, 2, f->parent);
	sqlite3_bind_int(q, 3, f->category);
	btext(q, 4, f->programme);
	btext(q, 5, f->household);
	sqlite3_bind_int(q, 6, f->from);
	sqlite3_bind_int(q, 7, f->to);
	sqlite3_bind_int64(q, 8, f->after_id);
	sqlite3_bind_int64(q, 9, f->limit ? (sqlite3_int64)f->limit : -1);
}

static int sq_ledger_list(void *st, const hf_ledger_filter *f,
			  hf_admission **out, size_t *n, hf_error *err)
{
	sq *s = st;
	char where[512], text[1024];
	sqlite3_stmt *q = NULL;
	int rc;

	filter_where(f, where, sizeof where);
	snprintf(text, sizeof text,
		 "SELECT " LEDGER_COLS " FROM ledger%s ORDER BY id LIMIT ?9",
		 where);
	if ((rc = dyn_prep(s, text, &q, err)) < 0)
		return rc;
	filter_bind(q, f);
	return collect(s, q, sizeof **out, read_admission, (void **)out, n,
		       err);
}

static int read_sum(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_ledger_sum *x = dst;
	int i = 0, rc;
	unsigned group = (unsigned)sqlite3_column_int(q, 0);

	i = 1;
	x->category = -1;
	if (group & HF_GROUP_UNIT) {
		if ((rc = ctext(q, i++, x->unit, sizeof x->unit, "unit",
				err)) < 0)
			return rc;
	}
	if (group & HF_GROUP_CATEGORY)
		x->category = sqlite3_column_int(q, i++);
	if (group & HF_GROUP_YEAR)
		x->year = sqlite3_column_int(q, i++);
	x->persons = sqlite3_column_int64(q, i++);
	x->entries = sqlite3_column_int64(q, i);
	return HF_OK;
}

static int sq_ledger_aggregate(void *st, const hf_ledger_filter *f,
			       unsigned group, hf_ledger_sum **out, size_t *n,
			       hf_error *err)
{
	sq *s = st;
	char where[512], from[640], text[1200], cols[160] = "", by[160] = "";
	sqlite3_stmt *q = NULL;
	int rc;

	if (group & HF_GROUP_UNIT) {
		strcat(cols, "unit, ");
		strcat(by, "unit, ");
	}
	if (group & HF_GROUP_CATEGORY) {
		strcat(cols, "category, ");
		strcat(by, "category, ");
	}
	if (group & HF_GROUP_YEAR) {
		strcat(cols, "CAST(strftime('%Y', date * 86400, 'unixepoch') "
			     "AS INTEGER) AS year, ");
		strcat(by, "year, ");
	}
	if (by[0])
		by[strlen(by) - 2] = '\0';
	filter_where(f, where, sizeof where);
	if (f->limit)
		snprintf(from, sizeof from,
			 "(SELECT * FROM ledger%s ORDER BY id LIMIT ?9)", where);
	else
		snprintf(from, sizeof from, "ledger%s AND ?9 = ?9", where);
	/* the group bits travel as the first column so read_sum knows the
	 * layout; bound as a number, like everything else */
	snprintf(text, sizeof text,
		 "SELECT ?10, %scoalesce(sum(persons), 0), count(*) "
		 "FROM %s%s%s%s%s",
		 cols, from, by[0] ? " GROUP BY " : "", by,
		 by[0] ? " ORDER BY " : "", by);
	if ((rc = dyn_prep(s, text, &q, err)) < 0)
		return rc;
	filter_bind(q, f);
	sqlite3_bind_int(q, 10, (int)group);
	return collect(s, q, sizeof **out, read_sum, (void **)out, n, err);
}

static int sum_rows(sq *s, int id, int a, int b, hf__unit_index_fn lookup,
		    void *ctx, int64_t (*out)[HF_CAT_COUNT], hf_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(id);
	sqlite3_bind_int(q, 1, a);
	sqlite3_bind_int(q, 2, b);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int i = lookup(ctx, (const char *)sqlite3_column_text(q, 0));
		int c = sqlite3_column_int(q, 1);
		if (i >= 0 && c >= 0 && c < HF_CAT_COUNT)
			out[i][c] += sqlite3_column_int64(q, 2);
	}
	done(q);
	return rc == SQLITE_DONE ? HF_OK : fail(s, rc, err);
}

static int sq_ledger_sum_months(void *st, int m0, int m1,
				hf__unit_index_fn lookup, void *ctx,
				int64_t (*out)[HF_CAT_COUNT], hf_error *err)
{
	return sum_rows(st, Q_SUM_MONTHS, m0, m1, lookup, ctx, out, err);
}

static int sq_ledger_sum_days(void *st, hf_date d0, hf_date d1,
			      hf__unit_index_fn lookup, void *ctx,
			      int64_t (*out)[HF_CAT_COUNT], hf_error *err)
{
	return sum_rows(st, Q_SUM_DAYS, d0, d1, lookup, ctx, out, err);
}

const struct hf__store_ops hf__store_sqlite = {
	.name = "sqlite",
	.open = sq_open,
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
	.key_insert = sq_key_insert,
	.key_get = sq_key_get,
	.key_list = sq_key_list,
	.key_set_credit = sq_key_set_credit,
	.standing_insert = sq_standing_insert,
	.standing_list = sq_standing_list,
	.ledger_insert = sq_ledger_insert,
	.ledger_bucket_add = sq_ledger_bucket_add,
	.ledger_get = sq_ledger_get,
	.ledger_list = sq_ledger_list,
	.ledger_reversed_by = sq_ledger_reversed_by,
	.ledger_aggregate = sq_ledger_aggregate,
	.ledger_sum_months = sq_ledger_sum_months,
	.ledger_sum_days = sq_ledger_sum_days,
};

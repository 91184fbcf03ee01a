/*
 * testdb.h: a fresh database for each test, on the backend the test run
 * names. HAFEN_TEST_BACKEND=postgresql (with HAFEN_TEST_PG_URI, which
 * scripts/pg-test-cluster.sh exports) gives every test its own schema on
 * that server; otherwise a SQLite file in the test's folder. Raw SQL for
 * the tests that look under the API (test_db_exec) works on both.
 */
#ifndef HAFEN_TEST_TESTDB_H
#define HAFEN_TEST_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "hafen/db.h"
#include "hafen/error.h"
#include "hafen/unit.h"

/* Whether this run is on PostgreSQL. */
static inline int test_db_pg(void)
{
	const char *b = getenv("HAFEN_TEST_BACKEND");
	return b && !strcmp(b, "postgresql");
}

/* With PostgreSQL asked for but no server given: the test prints a TAP
 * skip and exits 0 (meson reads it as skipped). */
static inline void test_db_require(void)
{
	if (test_db_pg() && !getenv("HAFEN_TEST_PG_URI")) {
		printf("1..0 # SKIP HAFEN_TEST_PG_URI not set (run through "
		       "scripts/pg-test-cluster.sh)\n");
		exit(0);
	}
}

/* The server's URI with the search path set to schema. */
static inline void test_db_pg_uri(const char *schema, char *uri, size_t size)
{
	const char *base = getenv("HAFEN_TEST_PG_URI");
	snprintf(uri, size, "%s%coptions=-csearch_path%%3D%s", base,
		 strchr(base, '?') ? '&' : '?', schema);
}

/* Runs sql on the server of the test run (no schema); 0 or -1. */
static inline int test_db_pg_admin(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("HAFEN_TEST_PG_URI"));
	PGresult *r;
	int ok;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "testdb: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	     PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "testdb: %s", PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

/*
 * A URI for a fresh, empty database: dir/name on SQLite, a new schema
 * (named after dir's last part, so unique) on PostgreSQL. 0 or -1.
 */
static inline int test_db_fresh(const char *dir, const char *name, char *uri,
				size_t size)
{
	char schema[96], sql[160];
	const char *base;
	size_t i;

	if (!test_db_pg()) {
		snprintf(uri, size, "%s/%s", dir, name);
		return 0;
	}
	base = strrchr(dir, '/');
	snprintf(schema, sizeof schema, "t_%s_%s", base ? base + 1 : dir, name);
	for (i = 0; schema[i]; i++)
		if (!((schema[i] >= 'a' && schema[i] <= 'z') ||
		      (schema[i] >= '0' && schema[i] <= '9')))
			schema[i] = '_';
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
	if (test_db_pg_admin(sql) < 0)
		return -1;
	test_db_pg_uri(schema, uri, size);
	return 0;
}

/* Drops what test_db_fresh made on PostgreSQL (files are the test's). */
static inline void test_db_drop(const char *uri)
{
	const char *s = strstr(uri, "search_path%3D");
	char sql[160];

	if (!test_db_pg() || !s)
		return;
	snprintf(sql, sizeof sql,
		 "SET client_min_messages TO warning; DROP SCHEMA %s CASCADE",
		 s + strlen("search_path%3D"));
	test_db_pg_admin(sql);
}

/*
 * Runs sql on the database at uri beside hafen, as another program
 * would; 0, or -1 with the server's message in msg.
 */
static inline int test_db_exec(const char *uri, const char *sql, char *msg,
			       size_t size)
{
	msg[0] = '\0';
	if (test_db_pg()) {
		PGconn *c = PQconnectdb(uri);
		PGresult *r = PQexec(c, sql);
		int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
			 PQresultStatus(r) == PGRES_TUPLES_OK;
		if (!ok)
			snprintf(msg, size, "%s", PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(c);
		return ok ? 0 : -1;
	} else {
		sqlite3 *raw;
		int rc;
		if (sqlite3_open(uri, &raw) != SQLITE_OK)
			return -1;
		sqlite3_busy_timeout(raw, 2000);
		rc = sqlite3_exec(raw, sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			snprintf(msg, size, "%s", sqlite3_errmsg(raw));
		sqlite3_close(raw);
		return rc == SQLITE_OK ? 0 : -1;
	}
}

/*
 * Runs a query at uri beside hafen and copies the first column of its
 * first row into out (NULL and no row: ""); 0, or -1 with the message in
 * out.
 */
static inline int test_db_value(const char *uri, const char *sql, char *out,
				size_t size)
{
	out[0] = '\0';
	if (test_db_pg()) {
		PGconn *c = PQconnectdb(uri);
		PGresult *r = PQexec(c, sql);
		int ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		if (!ok)
			snprintf(out, size, "%s", PQresultErrorMessage(r));
		else if (PQntuples(r) > 0)
			snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		PQfinish(c);
		return ok ? 0 : -1;
	} else {
		sqlite3 *raw;
		sqlite3_stmt *q = NULL;
		int rc;
		if (sqlite3_open(uri, &raw) != SQLITE_OK)
			return -1;
		sqlite3_busy_timeout(raw, 2000);
		rc = sqlite3_prepare_v2(raw, sql, -1, &q, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(q, 0);
			snprintf(out, size, "%s", t ? (const char *)t : "");
			rc = SQLITE_DONE;
		}
		if (rc != SQLITE_DONE)
			snprintf(out, size, "%s", sqlite3_errmsg(raw));
		sqlite3_finalize(q);
		sqlite3_close(raw);
		return rc == SQLITE_DONE ? 0 : -1;
	}
}

/* What a test on a database holds: its folder, the database's URI, the
 * open handle and the error of the last call. */
typedef struct test_fix {
	char dir[64];
	char path[512];
	hf_db *db;
	hf_error err;
	int pg; /* the database is a schema on PostgreSQL */
} test_fix;

/* In a test with `f` its test_fix *: fails the test, naming the call and
 * f->err, unless call returns HF_OK. */
#define OK(call)                                                               \
	do {                                                                   \
		int rc_ = (call);                                              \
		if (rc_ != HF_OK)                                              \
			fail_msg("%s: %s (%s)", #call, hf_err_name(rc_),       \
				 f->err.message);                              \
	} while (0)

/*
 * A new folder /tmp/hafen-test-TAG-XXXXXX with a fresh database open for
 * writing (errors in German): on the run's backend (test_db_fresh), or
 * always a SQLite file dir/hafen.db when sqlite_only. NULL on failure.
 * Free with test_fix_free().
 */
static inline test_fix *test_fix_new(const char *tag, int sqlite_only)
{
	test_fix *f = calloc(1, sizeof *f);

	if (!f)
		return NULL;
	snprintf(f->dir, sizeof f->dir, "/tmp/hafen-test-%s-XXXXXX", tag);
	if (!mkdtemp(f->dir))
		goto fail;
	if (sqlite_only)
		snprintf(f->path, sizeof f->path, "%s/hafen.db", f->dir);
	else if (test_db_fresh(f->dir, "hafen.db", f->path, sizeof f->path) < 0)
		goto fail;
	f->pg = !sqlite_only && test_db_pg();
	hf_error_init(&f->err, HF_LANG_DE);
	if (hf_db_open(f->path, HF_DB_CREATE, &f->db, &f->err) != HF_OK)
		goto fail;
	return f;
fail:
	free(f);
	return NULL;
}

/* Adds unit code (named by its code) of kind below parent ("" for a
 * root) to f's database; fails the test if it cannot. Needs cmocka. */
static inline void test_fix_unit(test_fix *f, const char *code,
				 hf_unit_kind kind, const char *parent)
{
	hf_unit u;

	memset(&u, 0, sizeof u);
	snprintf(u.code, sizeof u.code, "%s", code);
	snprintf(u.name, sizeof u.name, "%s", code);
	snprintf(u.parent, sizeof u.parent, "%s", parent);
	u.kind = kind;
	OK(hf_db_unit_add(f->db, &u, &f->err));
}

/* Closes f's database and removes it (a schema on PostgreSQL; the SQLite
 * file with its journals, made writable first) and the folder; frees f. */
static inline void test_fix_free(test_fix *f)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[600];
	size_t i;

	hf_db_close(f->db);
	test_db_drop(f->path);
	for (i = 0; i < 4 && !f->pg; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		chmod(p, 0600);
		unlink(p);
	}
	chmod(f->dir, 0700);
	rmdir(f->dir);
	free(f);
}

#endif

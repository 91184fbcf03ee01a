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
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

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

#endif

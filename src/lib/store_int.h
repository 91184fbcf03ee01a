/*
 * store_int.h: the storage interface behind hafen/db.h.
 *
 * A backend (SQLite, PostgreSQL) fills one hf__store_ops table
 * with primitives that only read and write: no validation, no domain
 * logic, which all live in db.c. Every primitive returns HF_OK or a
 * negative hf_code and fills err; a *_get primitive returns HF_ENOTFOUND
 * without a message (db.c words it). Lists are allocated by the backend
 * and freed by the caller with free() (keys: hf_key_clear for shares).
 * Writes happen inside the transaction db.c opened with begin().
 *
 * Backends: store_sqlite*.c (a file) and store_pg*.c (PostgreSQL, libpq);
 * hf_db_open picks one by the URI. Both keep the same schema, built by
 * migrations with the same numbers (migrations[] in store_sqlite.c and
 * store_pg.c), and both must behave alike: the whole test suite runs on
 * each (make test).
 *
 * Adding a primitive (an op):
 *  1. declare it below, with what it reads or writes and who frees what;
 *  2. SQLite: a Q_ id in store_sqlite_int.h, its SQL in sql[] of
 *     store_sqlite.c, the function in the store_sqlite_*.c of its idea,
 *     and its line in hf__store_sqlite;
 *  3. PostgreSQL: a P_ id in store_pg_int.h, its SQL in sql[] of
 *     store_pg.c ($1, $2... ; ON CONFLICT for upserts; NEXT_ID(table) for
 *     an id, as SQLite's rowid), the function in the store_pg_*.c of its
 *     idea (hf__pg_args for the values, hf__pg_q to run, hf__pg_one or
 *     hf__pg_collect to read), and its line in hf__store_pg (a NULL
 *     line crashes on PostgreSQL only: run make test, which runs both);
 *  4. a new table: a new migration at the end of migrations[] in both
 *     files, the schema version (HF_DB_SCHEMA_VERSION) raised by one, the
 *     table in tables[] of db_copy.c (for hafen migrate) and its rights
 *     in the GRANT set of docs/postgresql.md.
 * db.c calls the op only inside its transaction wrapper for writes; every
 * write on PostgreSQL then runs under the schema's writer lock.
 */
#ifndef HAFEN_STORE_INT_H
#define HAFEN_STORE_INT_H

#include "hafen/account.h"
#include "hafen/audit.h"
#include "hafen/db.h"
#include "hafen/programme.h"

/* A total to add to the ledger's summaries: bucket is the month (YYYYMM)
 * for the monthly table, the day number (hf_date) for the daily one. */
typedef struct hf__bucket_sum {
	int bucket;
	const char *unit;
	int category;
	int64_t persons;
	int64_t entries;
} hf__bucket_sum;

/* Per-unit, per-category sums handed back by the summing primitives:
 * out[i][c] += for units[i]; units the backend sees that are not in the
 * list are ignored. lookup maps a code to its index or -1. */
typedef int (*hf__unit_index_fn)(void *ctx, const char *code);

/* A table as hafen migrate copies it (db_copy.c holds the list): cols in
 * SQL, key the order of its rows (a column name, "#name" for an integer
 * column), parent the column (0-based) naming another row of the same
 * table by its first column (units.parent), or -1. */
typedef struct hf__table {
	const char *name;
	const char *cols;
	int ncols;
	const char *key;
	int parent;
} hf__table;
/* A file imported (hafen import): the SHA-256 of its bytes in hex, its
 * kind and name, the records it held, who imported it and when. */
typedef struct hf__import_rec {
	char sha256[65];
	char kind[32];
	char file[256];
	int64_t rows;
	char user[HF_USER_MAX];
	int64_t at;
} hf__import_rec;

/* A row's values as text, NULL for SQL NULL; valid during the call. */
typedef int (*hf__row_fn)(void *ctx, const char *const *v, hf_error *err);

struct hf__store_ops {
	const char *name; /* "sqlite", "postgresql" */

	/* open parses its own part of the URI (SQLite: the path; PostgreSQL:
	 * the whole postgresql:// URI); creates and
	 * migrates with HF_DB_CREATE; *state is the backend's handle */
	int (*open)(const char *path, int flags, void **state, hf_error *err);
	void (*close)(void *st);
	int (*schema_version)(void *st, int *version, hf_error *err);

	/* begin: a write transaction (SQLite BEGIN IMMEDIATE, PostgreSQL
	 * the writer lock); begin_read: one consistent snapshot for reads
	 * only; both end with commit or rollback */
	int (*begin)(void *st, hf_error *err);
	int (*begin_read)(void *st, hf_error *err);
	int (*commit)(void *st, hf_error *err);
	void (*rollback)(void *st);

	/* units, indicators, memberships, contacts */
	int (*unit_insert)(void *st, const hf_unit *u, hf_error *err);
	int (*unit_get)(void *st, const char *code, hf_unit *out,
			hf_error *err);
	/* parent NULL: all, "": roots; in code order */
	int (*unit_list)(void *st, const char *parent, hf_unit **out,
			 size_t *n, hf_error *err);
	int (*indicator_put)(void *st, const hf_indicator *ind, hf_error *err);
	int (*indicator_get)(void *st, const char *unit, const char *name,
			     hf_date ref_date, hf_indicator *out,
			     hf_error *err);
	int (*indicator_list)(void *st, const char *unit, const char *name,
			      hf_indicator **out, size_t *n, hf_error *err);
	int (*membership_insert)(void *st, const hf_membership *m,
				 hf_error *err);
	int (*membership_list)(void *st, const char *alliance,
			       const char *unit, hf_membership **out,
			       size_t *n, hf_error *err);
	int (*contact_put)(void *st, const hf_contact *c, hf_error *err);
	int (*contact_get)(void *st, const char *unit, hf_contact *out,
			   hf_error *err);

	/* keys: insert writes the key, its weights, shares and credits */
	int (*key_insert)(void *st, const hf_key *k, hf_error *err);
	/* with shares (sorted by unit), weights and credits */
	int (*key_get)(void *st, const char *name, hf_key *out, hf_error *err);
	/* parent NULL: all; without shares; by name */
	int (*key_list)(void *st, const char *parent, hf_key **out, size_t *n,
			hf_error *err);
	int (*key_set_credit)(void *st, const char *key, int category,
			      hf_rat weight, hf_error *err);
	/* fills s->id */
	int (*standing_insert)(void *st, hf_standing *s, hf_error *err);
	/* all standing credits of a key, by id */
	int (*standing_list)(void *st, const char *key, hf_standing **out,
			     size_t *n, hf_error *err);

	/* ledger: insert fills a->id; called once per entry in a batch, so
	 * it must reuse one prepared statement */
	int (*ledger_insert)(void *st, hf_admission *a, hf_error *err);
	/* adds to ledger_day (daily) or ledger_month (upsert) */
	int (*ledger_bucket_add)(void *st, int daily, const hf__bucket_sum *s,
				 hf_error *err);
	int (*ledger_get)(void *st, int64_t id, hf_admission *out,
			  hf_error *err);
	int (*ledger_list)(void *st, const hf_ledger_filter *f,
			   hf_admission **out, size_t *n, hf_error *err);
	/* 0 if none */
	int (*ledger_reversed_by)(void *st, int64_t id, int64_t *reversal,
				  hf_error *err);
	int (*ledger_aggregate)(void *st, const hf_ledger_filter *f,
				unsigned group, hf_ledger_sum **out, size_t *n,
				hf_error *err);
	/* sums per unit and category: from the monthly table for months
	 * m0..m1 (YYYYMM), or from the daily table for days d0..d1 */
	int (*ledger_sum_months)(void *st, int m0, int m1,
				 hf__unit_index_fn lookup, void *ctx,
				 int64_t (*out)[HF_CAT_COUNT], hf_error *err);
	int (*ledger_sum_days)(void *st, hf_date d0, hf_date d1,
			       hf__unit_index_fn lookup, void *ctx,
			       int64_t (*out)[HF_CAT_COUNT], hf_error *err);

	/* programmes: insert writes the programme and its explicit shares;
	 * get reads both (shares sorted by unit); list without shares, by
	 * name */
	int (*programme_insert)(void *st, const hf_programme *p,
				hf_error *err);
	int (*programme_get)(void *st, const char *name, hf_programme *out,
			     hf_error *err);
	int (*programme_list)(void *st, hf_programme **out, size_t *n,
			      hf_error *err);
	/* overrides: insert fills o->id (unit and persons are read from the
	 * ledger, not stored); list by id, programme NULL for all */
	int (*override_insert)(void *st, hf_override *o, hf_error *err);
	int (*override_list)(void *st, const char *programme,
			     hf_override **out, size_t *n, hf_error *err);
	/* pledges: insert fills p->id; list by id, unit NULL for all;
	 * set_status returns HF_ENOTFOUND without a message for no such id */
	int (*pledge_insert)(void *st, hf_pledge *p, hf_error *err);
	int (*pledge_list)(void *st, const char *unit, hf_pledge **out,
			   size_t *n, hf_error *err);
	int (*pledge_set_status)(void *st, int64_t id, int status,
				 hf_error *err);

	/* accounts: insert refuses a taken name (HF_EEXIST); update
	 * replaces role, units, pwhash and changed_at of a stored name
	 * (HF_ENOTFOUND without a message if none); list by name */
	int (*account_insert)(void *st, const hf_account *a, hf_error *err);
	int (*account_update)(void *st, const hf_account *a, hf_error *err);
	int (*account_get)(void *st, const char *name, hf_account *out,
			   hf_error *err);
	int (*account_list)(void *st, hf_account **out, size_t *n,
			    hf_error *err);
	/* sessions by the hash of their token (hex); delete removes the
	 * session of hash (or NULL), every session of user (or NULL) and
	 * every one expiring at or before expired (or 0) */
	int (*session_insert)(void *st, const char *hash, const hf_session *s,
			      hf_error *err);
	int (*session_get)(void *st, const char *hash, hf_session *out,
			   hf_error *err);
	int (*session_delete)(void *st, const char *hash, const char *user,
			      int64_t expired, hf_error *err);
	/* the audit log: insert fills e->id; list by id as the filter says */
	int (*audit_insert)(void *st, hf_audit_entry *e, hf_error *err);
	int (*audit_list)(void *st, const hf_audit_filter *f,
			  hf_audit_entry **out, size_t *n, hf_error *err);
	/* hafen migrate. rows_read calls fn for every row of t in the order
	 * of t->key (text keys in byte order); row_insert adds one row of t
	 * (values as text) inside the write transaction; reset, inside it
	 * too, drops the tables (children first) and builds the schema
	 * anew, empty */
	int (*rows_read)(void *st, const hf__table *t, hf__row_fn fn,
			 void *ctx, hf_error *err);
	int (*row_insert)(void *st, const hf__table *t, const char *const *v,
			  hf_error *err);
	int (*reset)(void *st, const hf__table *tables, size_t n,
		     hf_error *err);
	/* the names of all tables of the database (schema), for fn */
	int (*table_names)(void *st, hf__row_fn fn, void *ctx, hf_error *err);
	/* imports: find gives the latest import of a file with this hash
	 * (HF_ENOTFOUND without a message if none); insert records one */
	int (*import_find)(void *st, const char *sha256, hf__import_rec *out,
			   hf_error *err);
	int (*import_insert)(void *st, const hf__import_rec *r,
			     hf_error *err);
};

/* A set of unit codes with their index, for lookups without a query per
 * ledger row: open addressing over copies of the codes. */
typedef struct hf__codeset {
	char (*code)[HF_CODE_MAX];
	size_t n, cap;
	int *slot; /* index into code, -1 empty; size mask + 1 */
	size_t mask;
} hf__codeset;

struct hf_db {
	const struct hf__store_ops *ops;
	void *st;     /* the backend's state */
	int depth;    /* nesting of open transactions, 0 outside */
	int reading;  /* the open transaction is a read snapshot */
	int doomed;   /* a failure rolled the open transaction back */
	hf_lang lang; /* language of messages the handle makes itself */
	/* codes of all units, for checking ledger entries; rebuilt when a
	 * unit was added or a transaction rolled back */
	hf__codeset units;
	int ustale;
	/* who the writes are made by (hf_db_set_actor), for the audit log;
	 * actor_at 0: the clock */
	char actor[HF_USER_MAX];
	int64_t actor_at;
};

extern const struct hf__store_ops hf__store_sqlite;
extern const struct hf__store_ops hf__store_pg;

#endif

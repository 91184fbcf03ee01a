/*
 * store_int.h: the storage interface behind hafen/db.h.
 *
 * A backend (SQLite now, PostgreSQL later) fills one hf__store_ops table
 * with primitives that only read and write: no validation, no domain
 * logic, which all live in db.c. Every primitive returns HF_OK or a
 * negative hf_code and fills err; a *_get primitive returns HF_ENOTFOUND
 * without a message (db.c words it). Lists are allocated by the backend
 * and freed by the caller with free() (keys: hf_key_clear for shares).
 * Writes happen inside the transaction db.c opened with begin().
 */
#ifndef HAFEN_STORE_INT_H
#define HAFEN_STORE_INT_H

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

struct hf__store_ops {
	const char *name; /* "sqlite" */

	/* open parses its own part of the URI (the path); creates and
	 * migrates with HF_DB_CREATE; *state is the backend's handle */
	int (*open)(const char *path, int flags, void **state, hf_error *err);
	void (*close)(void *st);
	int (*schema_version)(void *st, int *version, hf_error *err);

	int (*begin)(void *st, hf_error *err);
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
	int doomed;   /* a failure rolled the open transaction back */
	hf_lang lang; /* language of messages the handle makes itself */
	/* codes of all units, for checking ledger entries; rebuilt when a
	 * unit was added or a transaction rolled back */
	hf__codeset units;
	int ustale;
};

extern const struct hf__store_ops hf__store_sqlite;

#endif

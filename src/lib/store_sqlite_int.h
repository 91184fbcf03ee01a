/*
 * store_sqlite_int.h: what the files of the SQLite backend share: the
 * handle, the ids of the prepared statements, and the helpers that
 * prepare, bind, step and read them. Defined in store_sqlite.c; only
 * store_sqlite*.c include this.
 */
#ifndef HAFEN_STORE_SQLITE_INT_H
#define HAFEN_STORE_SQLITE_INT_H

#include "store_int.h"

#include <sqlite3.h>

/* ids of the statements prepared once per handle; their SQL is the table
 * sql[] in store_sqlite.c */
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
	Q_PROG_INSERT,
	Q_PROG_SHARE,
	Q_PROG_GET,
	Q_PROG_GET_SHARES,
	Q_PROG_ALL,
	Q_OVERRIDE_INSERT,
	Q_OVERRIDE_LIST,
	Q_PLEDGE_INSERT,
	Q_PLEDGE_LIST,
	Q_PLEDGE_STATUS,
	Q_ACCOUNT_INSERT,
	Q_ACCOUNT_UPDATE,
	Q_ACCOUNT_GET,
	Q_ACCOUNT_ALL,
	Q_SESSION_INSERT,
	Q_SESSION_GET,
	Q_SESSION_DELETE,
	Q_AUDIT_INSERT,
	Q_IMPORT_FIND,
	Q_IMPORT_INSERT,
	Q_COUNT
};

/* columns in the order read_key and read_admission read them */
#define KEY_COLS                                                               \
	"name, title, parent, kind, valid_from, valid_to, computed_year, "    \
	"quota_year, source, ref_date, cap_num, cap_den"
/* pair is stored on the second half of a transfer only (the first cannot
 * name a later row in an append-only table); the first finds it back */
#define LEDGER_COLS                                                            \
	"id, date, unit, persons, household, category, programme, reference, " \
	"recorded_by, recorded_at, corrects, note, "                          \
	"coalesce(pair, (SELECT p.id FROM ledger p WHERE p.pair = ledger.id))"
#define PROG_COLS                                                              \
	"name, title, kind, parent, date_from, date_to, contingent, key, "    \
	"category, source"
#define PLEDGE_COLS                                                            \
	"id, unit, programme, places, date_from, date_to, status, note, "     \
	"recorded_by, recorded_at"

#define ACCOUNT_COLS "name, role, units, pwhash, created_at, changed_at"
#define AUDIT_COLS "id, at, account, action, object, details"

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

/* ---- errors and statements ------------------------------------------ */

/* Fills err for the SQLite result rc and returns the hf_code. */
int hf__sq_fail(sq *s, int rc, hf_error *err);

/* The cached statement id, prepared on first use. */
int hf__sq_prep(sq *s, int id, sqlite3_stmt **out, hf_error *err);
/* A statement built at run time, cached by its text. */
int hf__sq_dyn_prep(sq *s, const char *text, sqlite3_stmt **out,
		    hf_error *err);

/* Prepares statement id into q, or returns from the calling function. */
#define PREP(id)                                                               \
	do {                                                                   \
		int prc_ = hf__sq_prep(s, (id), &q, err);                      \
		if (prc_ < 0)                                                  \
			return prc_;                                           \
	} while (0)

static inline void hf__sq_done(sqlite3_stmt *q)
{
	if (q) {
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
	}
}

/* Binds a string; NULL binds SQL NULL. The string outlives the step. */
static inline void hf__sq_btext(sqlite3_stmt *q, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(q, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

/* An optional date: HF_DATE_NONE is NULL. */
static inline void hf__sq_bdate(sqlite3_stmt *q, int i, hf_date d)
{
	if (d == HF_DATE_NONE)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_int(q, i, d);
}

static inline hf_date hf__sq_cdate(sqlite3_stmt *q, int i)
{
	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		return HF_DATE_NONE;
	return (hf_date)sqlite3_column_int(q, i);
}

int hf__sq_ctext(sqlite3_stmt *q, int i, char *dst, size_t size,
		 const char *field, hf_error *err);
int hf__sq_crat(sqlite3_stmt *q, int i, hf_rat *out, hf_error *err);

/* Runs a statement that returns no rows, then resets it. */
int hf__sq_run(sq *s, sqlite3_stmt *q, hf_error *err);

/*
 * Steps q and reads each row into a growing array with read(). On error
 * the array is freed. The statement is reset in any case.
 */
typedef int (*hf__sq_row_fn)(sqlite3_stmt *q, void *dst, hf_error *err);
int hf__sq_collect(sq *s, sqlite3_stmt *q, size_t size, hf__sq_row_fn read,
		   void **out, size_t *n, hf_error *err);
/* Steps q once into one row read by read(); HF_ENOTFOUND if none. */
int hf__sq_one(sq *s, sqlite3_stmt *q, void *dst, hf__sq_row_fn read,
	       hf_error *err);

/* ---- primitives of the ops table, by file --------------------------- */

/* store_sqlite_key.c */
int hf__sq_key_insert(void *st, const hf_key *k, hf_error *err);
int hf__sq_key_get(void *st, const char *name, hf_key *out, hf_error *err);
int hf__sq_key_list(void *st, const char *parent, hf_key **out, size_t *n,
		    hf_error *err);
int hf__sq_key_set_credit(void *st, const char *key, int category,
			  hf_rat weight, hf_error *err);
int hf__sq_standing_insert(void *st, hf_standing *x, hf_error *err);
int hf__sq_standing_list(void *st, const char *key, hf_standing **out,
			 size_t *n, hf_error *err);

/* store_sqlite_ledger.c */
int hf__sq_ledger_insert(void *st, hf_admission *a, hf_error *err);
int hf__sq_ledger_bucket_add(void *st, int daily, const hf__bucket_sum *m,
			     hf_error *err);
int hf__sq_ledger_get(void *st, int64_t id, hf_admission *out,
		      hf_error *err);
int hf__sq_ledger_reversed_by(void *st, int64_t id, int64_t *reversal,
			      hf_error *err);
int hf__sq_ledger_list(void *st, const hf_ledger_filter *f,
		       hf_admission **out, size_t *n, hf_error *err);
int hf__sq_ledger_aggregate(void *st, const hf_ledger_filter *f,
			    unsigned group, hf_ledger_sum **out, size_t *n,
			    hf_error *err);
int hf__sq_ledger_sum_months(void *st, int m0, int m1,
			     hf__unit_index_fn lookup, void *ctx,
			     int64_t (*out)[HF_CAT_COUNT], hf_error *err);
int hf__sq_ledger_sum_days(void *st, hf_date d0, hf_date d1,
			   hf__unit_index_fn lookup, void *ctx,
			   int64_t (*out)[HF_CAT_COUNT], hf_error *err);

/* store_sqlite_programme.c */
int hf__sq_programme_insert(void *st, const hf_programme *p, hf_error *err);
int hf__sq_programme_get(void *st, const char *name, hf_programme *out,
			 hf_error *err);
int hf__sq_programme_list(void *st, hf_programme **out, size_t *n,
			  hf_error *err);
int hf__sq_override_insert(void *st, hf_override *o, hf_error *err);
int hf__sq_override_list(void *st, const char *programme, hf_override **out,
			 size_t *n, hf_error *err);
int hf__sq_pledge_insert(void *st, hf_pledge *p, hf_error *err);
int hf__sq_pledge_list(void *st, const char *unit, hf_pledge **out,
		       size_t *n, hf_error *err);
int hf__sq_pledge_set_status(void *st, int64_t id, int status,
			     hf_error *err);

/* store_sqlite_account.c */
int hf__sq_account_insert(void *st, const hf_account *a, hf_error *err);
int hf__sq_account_update(void *st, const hf_account *a, hf_error *err);
int hf__sq_account_get(void *st, const char *name, hf_account *out,
		       hf_error *err);
int hf__sq_account_list(void *st, hf_account **out, size_t *n,
			hf_error *err);
int hf__sq_session_insert(void *st, const char *hash, const hf_session *x,
			  hf_error *err);
int hf__sq_session_get(void *st, const char *hash, hf_session *out,
		       hf_error *err);
int hf__sq_session_delete(void *st, const char *hash, const char *user,
			  int64_t expired, hf_error *err);
int hf__sq_audit_insert(void *st, hf_audit_entry *e, hf_error *err);
int hf__sq_audit_list(void *st, const hf_audit_filter *f,
		      hf_audit_entry **out, size_t *n, hf_error *err);
/* store_sqlite_copy.c */
int hf__sq_rows_read(void *st, const hf__table *t, hf__row_fn fn, void *ctx,
		     hf_error *err);
int hf__sq_row_insert(void *st, const hf__table *t, const char *const *v,
		      hf_error *err);
int hf__sq_table_names(void *st, hf__row_fn fn, void *ctx, hf_error *err);

#endif

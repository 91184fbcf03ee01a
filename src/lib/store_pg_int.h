/*
 * store_pg_int.h: what the files of the PostgreSQL backend share: the
 * handle, the ids of the prepared statements, the argument lists they
 * bind, and the helpers that run them and read their rows. Defined in
 * store_pg.c; only store_pg*.c include this.
 *
 * Every statement is prepared once per connection (PQprepare) and run
 * with its values bound as parameters (PQexecPrepared); nothing a user
 * typed is ever part of SQL text. Ledger rows of a batch travel by COPY
 * (escaped data, not SQL) and are flushed before any other statement
 * runs, so every read sees them.
 */
#ifndef HAFEN_STORE_PG_INT_H
#define HAFEN_STORE_PG_INT_H

#include "dl.h"
#include "store_int.h"

#include <libpq-fe.h>

/*
 * libpq is loaded when the first PostgreSQL database is opened
 * (hf__pq_load, dl.h), not when a program linked with hafen starts: with
 * Kerberos, LDAP, SASL, OpenSSL and GnuTLS behind it, it was about 10 ms
 * of the 17 ms `hafen --help` took, and a site on SQLite needs none of
 * it. The functions the backend calls are pointers filled from the
 * library; the macros below let its code call them by their own names.
 */
#define HF_PQ_FUNCS(X, a)                                                      \
	X(a, PQclear)                                                          \
	X(a, PQcmdStatus)                                                      \
	X(a, PQcmdTuples)                                                      \
	X(a, PQconnectdb)                                                      \
	X(a, PQdb)                                                             \
	X(a, PQerrorMessage)                                                   \
	X(a, PQexec)                                                           \
	X(a, PQexecParams)                                                     \
	X(a, PQexecPrepared)                                                   \
	X(a, PQfinish)                                                         \
	X(a, PQgetResult)                                                      \
	X(a, PQgetisnull)                                                      \
	X(a, PQgetvalue)                                                       \
	X(a, PQhost)                                                           \
	X(a, PQntuples)                                                        \
	X(a, PQprepare)                                                        \
	X(a, PQputCopyData)                                                    \
	X(a, PQputCopyEnd)                                                     \
	X(a, PQreset)                                                          \
	X(a, PQresultErrorField)                                               \
	X(a, PQresultErrorMessage)                                             \
	X(a, PQresultStatus)                                                   \
	X(a, PQsendQueryPrepared)                                              \
	X(a, PQsetClientEncoding)                                              \
	X(a, PQsetSingleRowMode)                                               \
	X(a, PQstatus)                                                         \
	X(a, PQtransactionStatus)

struct hf__pq_api {
	HF_PQ_FUNCS(HF_DL_MEMBER, _)
};
extern struct hf__pq_api hf__pq;

/* Loads libpq once (thread-safe); HF_EIO naming the library where it is
 * not installed or lacks a function. */
int hf__pq_load(hf_error *err);

#define PQclear		     (hf__pq.p_PQclear)
#define PQcmdStatus	     (hf__pq.p_PQcmdStatus)
#define PQcmdTuples	     (hf__pq.p_PQcmdTuples)
#define PQconnectdb	     (hf__pq.p_PQconnectdb)
#define PQdb		     (hf__pq.p_PQdb)
#define PQerrorMessage	     (hf__pq.p_PQerrorMessage)
#define PQexec		     (hf__pq.p_PQexec)
#define PQexecParams	     (hf__pq.p_PQexecParams)
#define PQexecPrepared	     (hf__pq.p_PQexecPrepared)
#define PQfinish	     (hf__pq.p_PQfinish)
#define PQgetResult	     (hf__pq.p_PQgetResult)
#define PQgetisnull	     (hf__pq.p_PQgetisnull)
#define PQgetvalue	     (hf__pq.p_PQgetvalue)
#define PQhost		     (hf__pq.p_PQhost)
#define PQntuples	     (hf__pq.p_PQntuples)
#define PQprepare	     (hf__pq.p_PQprepare)
#define PQputCopyData	     (hf__pq.p_PQputCopyData)
#define PQputCopyEnd	     (hf__pq.p_PQputCopyEnd)
#define PQreset		     (hf__pq.p_PQreset)
#define PQresultErrorField   (hf__pq.p_PQresultErrorField)
#define PQresultErrorMessage (hf__pq.p_PQresultErrorMessage)
#define PQresultStatus	     (hf__pq.p_PQresultStatus)
#define PQsendQueryPrepared  (hf__pq.p_PQsendQueryPrepared)
#define PQsetClientEncoding  (hf__pq.p_PQsetClientEncoding)
#define PQsetSingleRowMode   (hf__pq.p_PQsetSingleRowMode)
#define PQstatus	     (hf__pq.p_PQstatus)
#define PQtransactionStatus  (hf__pq.p_PQtransactionStatus)

/* ids of the statements prepared once per connection; their SQL is the
 * table sql[] in store_pg.c */
enum {
	P_VERSION,
	P_LOCK,
	P_UNIT_INSERT,
	P_UNIT_GET,
	P_UNIT_ALL,
	P_UNIT_ROOTS,
	P_UNIT_CHILDREN,
	P_IND_PUT,
	P_IND_GET,
	P_IND_LIST,
	P_MEM_INSERT,
	P_MEM_LIST,
	P_CONTACT_PUT,
	P_CONTACT_GET,
	P_KEY_INSERT,
	P_KEY_WEIGHT,
	P_KEY_SHARE,
	P_KEY_CREDIT,
	P_KEY_GET,
	P_KEY_GET_WEIGHTS,
	P_KEY_GET_SHARES,
	P_KEY_GET_CREDITS,
	P_KEY_ALL,
	P_KEY_OF_PARENT,
	P_KEY_SET_CREDIT,
	P_STANDING_INSERT,
	P_STANDING_LIST,
	P_LEDGER_MAX,
	P_MONTH_ADD,
	P_DAY_ADD,
	P_LEDGER_GET,
	P_REVERSED_BY,
	P_SUM_MONTHS,
	P_SUM_DAYS,
	P_PROG_INSERT,
	P_PROG_SHARE,
	P_PROG_GET,
	P_PROG_GET_SHARES,
	P_PROG_ALL,
	P_OVERRIDE_INSERT,
	P_OVERRIDE_LIST,
	P_PLEDGE_INSERT,
	P_PLEDGE_LIST,
	P_PLEDGE_STATUS,
	P_ACCOUNT_INSERT,
	P_ACCOUNT_UPDATE,
	P_ACCOUNT_GET,
	P_ACCOUNT_ALL,
	P_SESSION_INSERT,
	P_SESSION_GET,
	P_SESSION_DELETE,
	P_AUDIT_INSERT,
	P_AUDIT_LIST,
	P_IMPORT_FIND,
	P_IMPORT_INSERT,
	P_TABLES,
	P_COUNT
};

/* columns in the order the row readers read them (as in SQLite) */
#define PG_KEY_COLS                                                            \
	"name, title, parent, kind, valid_from, valid_to, computed_year, "     \
	"quota_year, source, ref_date, cap_num, cap_den"
#define PG_LEDGER_COLS                                                         \
	"id, date, unit, persons, household, category, programme, reference, " \
	"recorded_by, recorded_at, corrects, note, "                           \
	"coalesce(pair, (SELECT p.id FROM ledger p WHERE p.pair = ledger.id))"
#define PG_PROG_COLS                                                           \
	"name, title, kind, parent, date_from, date_to, contingent, key, "     \
	"category, source"
#define PG_PLEDGE_COLS                                                         \
	"id, unit, programme, places, date_from, date_to, status, note, "      \
	"recorded_by, recorded_at"
#define PG_ACCOUNT_COLS "name, role, units, pwhash, created_at, changed_at"
#define PG_AUDIT_COLS	"id, at, account, action, object, details"

#define PG_NDYN	   16 /* cached statements built from a filter */
#define PG_MAXARGS 16 /* parameters of one statement */

/* Summaries to upsert, held back as the text of five arrays
 * ("{b1,b2,", "{\"u1\",...", ...) until the next statement runs. */
typedef struct hf__pg_bucket {
	struct {
		char *s;
		size_t len, cap;
	} col[5];
	size_t n;
} hf__pg_bucket;

typedef struct pg {
	PGconn *c;
	char *where; /* database and schema, for messages */
	unsigned char prepared[P_COUNT];
	struct {
		char *sql;
		unsigned id; /* prepared as "d<id>" */
	} dyn[PG_NDYN];
	unsigned dyn_next, dyn_seq;
	int64_t lock_key; /* the writer lock of this schema */
	int in_tx;	  /* 0 none, 1 a read snapshot, 2 writing */
	int ro;		  /* opened for reading only */
	/* rows of the open transaction not yet sent: COPY text for the
	 * statement copy_sql (ledger rows, or a table hafen migrate fills) */
	char *copy;
	size_t copy_len, copy_cap;
	char copy_sql[1024];
	hf__pg_bucket bk[2]; /* [0] monthly, [1] daily */
	int64_t last_id; /* highest ledger id in this transaction, -1: ask */
} pg;

/* The values of one statement's parameters as text; numbers are
 * formatted into num. */
typedef struct hf__pg_args {
	int n;
	const char *v[PG_MAXARGS];
	char num[PG_MAXARGS][24];
} hf__pg_args;

static inline void hf__pg_text(hf__pg_args *a, const char *t)
{
	a->v[a->n++] = t;
}

void hf__pg_int(hf__pg_args *a, int64_t x);
/* An optional date: HF_DATE_NONE is NULL. */
void hf__pg_date(hf__pg_args *a, hf_date d);
/* 0 is NULL (an id that is not set). */
void hf__pg_id(hf__pg_args *a, int64_t id);
/* "" is NULL. */
void hf__pg_opt(hf__pg_args *a, const char *t);

/* ---- errors and statements ------------------------------------------ */

/* Fills err from a failed result (or the connection if r is NULL) and
 * returns the hf_code; clears r. */
int hf__pg_fail(pg *p, PGresult *r, hf_error *err);
int hf__pg_nomem(hf_error *err);

/* Runs statement id with a's values; *res gets the rows (the caller
 * clears it) or, with res NULL, the result is dropped. Sends pending
 * ledger rows first. */
int hf__pg_q(pg *p, int id, const hf__pg_args *a, PGresult **res,
	     hf_error *err);
/* Runs an INSERT ... RETURNING id and stores the id in *id. */
int hf__pg_insert_id(pg *p, int id, const hf__pg_args *a, int64_t *out,
		     hf_error *err);
/* The same for a statement built at run time from fixed pieces, cached
 * by its text; types gives the type oid of each of a->n parameters. */
int hf__pg_dyn(pg *p, const char *text, const Oid *types, const hf__pg_args *a,
	       PGresult **res, hf_error *err);
/* Prepares a statement built at run time (cached by its text) and gives
 * its name. */
int hf__pg_dyn_prep(pg *p, const char *text, int n, const Oid *types,
		    char name[16], hf_error *err);
/* Sends the pending rows (COPY) and summaries (upserts). */
int hf__pg_flush(pg *p, hf_error *err);
/* Drops what is pending (rollback). */
void hf__pg_forget(pg *p);
static inline int hf__pg_pending(const pg *p)
{
	return p->copy_len || p->bk[0].n || p->bk[1].n;
}
/* Room for more bytes of COPY text for the statement sql, sending what
 * is pending for another statement first. */
int hf__pg_copy_start(pg *p, const char *sql, size_t more, hf_error *err);
/* A text field of COPY's text format, escaped; NULL is \N. */
void hf__pg_copy_text(pg *p, const char *s);

/* ---- reading rows ---------------------------------------------------- */

static inline int hf__pg_null(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}

int64_t hf__pg_cint(const PGresult *r, int row, int col); /* NULL: 0 */
hf_date hf__pg_cdate(const PGresult *r, int row, int col);
int hf__pg_ctext(const PGresult *r, int row, int col, char *dst, size_t size,
		 const char *field, hf_error *err);
int hf__pg_crat(const PGresult *r, int row, int col, hf_rat *out,
		hf_error *err);

typedef int (*hf__pg_row_fn)(const PGresult *r, int row, void *dst,
			     hf_error *err);
/* Every row of r read by read() into a new array; clears r. */
int hf__pg_collect(PGresult *r, size_t size, hf__pg_row_fn read, void **out,
		   size_t *n, hf_error *err);
/* The first row of r read by read(); HF_ENOTFOUND if none; clears r. */
int hf__pg_one(PGresult *r, void *dst, hf__pg_row_fn read, hf_error *err);

/* ---- primitives of the ops table, by file --------------------------- */

/* store_pg_key.c */
int hf__pg_key_insert(void *st, const hf_key *k, hf_error *err);
int hf__pg_key_get(void *st, const char *name, hf_key *out, hf_error *err);
int hf__pg_key_list(void *st, const char *parent, hf_key **out, size_t *n,
		    hf_error *err);
int hf__pg_key_set_credit(void *st, const char *key, int category,
			  hf_rat weight, hf_error *err);
int hf__pg_standing_insert(void *st, hf_standing *x, hf_error *err);
int hf__pg_standing_list(void *st, const char *key, hf_standing **out,
			 size_t *n, hf_error *err);

/* store_pg_ledger.c */
int hf__pg_ledger_insert(void *st, hf_admission *a, hf_error *err);
int hf__pg_ledger_bucket_add(void *st, int daily, const hf__bucket_sum *m,
			     hf_error *err);
int hf__pg_ledger_get(void *st, int64_t id, hf_admission *out, hf_error *err);
int hf__pg_ledger_reversed_by(void *st, int64_t id, int64_t *reversal,
			      hf_error *err);
int hf__pg_ledger_list(void *st, const hf_ledger_filter *f, hf_admission **out,
		       size_t *n, hf_error *err);
int hf__pg_ledger_aggregate(void *st, const hf_ledger_filter *f, unsigned group,
			    hf_ledger_sum **out, size_t *n, hf_error *err);
int hf__pg_ledger_sum_months(void *st, int m0, int m1, hf__unit_index_fn lookup,
			     void *ctx, int64_t (*out)[HF_CAT_COUNT],
			     hf_error *err);
int hf__pg_ledger_sum_days(void *st, hf_date d0, hf_date d1,
			   hf__unit_index_fn lookup, void *ctx,
			   int64_t (*out)[HF_CAT_COUNT], hf_error *err);

/* store_pg_copy.c */
int hf__pg_rows_read(void *st, const hf__table *t, hf__row_fn fn, void *ctx,
		     hf_error *err);
int hf__pg_row_insert(void *st, const hf__table *t, const char *const *v,
		      hf_error *err);
int hf__pg_table_names(void *st, hf__row_fn fn, void *ctx, hf_error *err);

/* store_pg_programme.c */
int hf__pg_programme_insert(void *st, const hf_programme *p, hf_error *err);
int hf__pg_programme_get(void *st, const char *name, hf_programme *out,
			 hf_error *err);
int hf__pg_programme_list(void *st, hf_programme **out, size_t *n,
			  hf_error *err);
int hf__pg_override_insert(void *st, hf_override *o, hf_error *err);
int hf__pg_override_list(void *st, const char *programme, hf_override **out,
			 size_t *n, hf_error *err);
int hf__pg_pledge_insert(void *st, hf_pledge *p, hf_error *err);
int hf__pg_pledge_list(void *st, const char *unit, hf_pledge **out, size_t *n,
		       hf_error *err);
int hf__pg_pledge_set_status(void *st, int64_t id, int status, hf_error *err);

/* store_pg_account.c */
int hf__pg_account_insert(void *st, const hf_account *a, hf_error *err);
int hf__pg_account_update(void *st, const hf_account *a, hf_error *err);
int hf__pg_account_get(void *st, const char *name, hf_account *out,
		       hf_error *err);
int hf__pg_account_list(void *st, hf_account **out, size_t *n, hf_error *err);
int hf__pg_session_insert(void *st, const char *hash, const hf_session *x,
			  hf_error *err);
int hf__pg_session_get(void *st, const char *hash, hf_session *out,
		       hf_error *err);
int hf__pg_session_delete(void *st, const char *hash, const char *user,
			  int64_t expired, hf_error *err);
int hf__pg_audit_insert(void *st, hf_audit_entry *e, hf_error *err);
int hf__pg_audit_list(void *st, const hf_audit_filter *f, hf_audit_entry **out,
		      size_t *n, hf_error *err);

#endif

/*
 * db_int.h: what db.c, db_key.c, db_ledger.c, db_programme.c and
 * db_pledge.c share: the transaction levels, the set of unit codes, the
 * messages more than one of them words (defined in db.c), the ledger's
 * append path (db_ledger.c) and the contingent check it calls
 * (db_programme.c).
 */
#ifndef HAFEN_DB_INT_H
#define HAFEN_DB_INT_H

#include "store_int.h"

#define OPS(db) ((db)->ops)

/* ---- code sets (hf__codeset, store_int.h) --------------------------- */

void hf__codeset_free(hf__codeset *cs);
/* Room for n codes; empties the set. */
int hf__codeset_reset(hf__codeset *cs, size_t n);
/* The index of code, or -1. */
int hf__codeset_find(const hf__codeset *cs, const char *code);
/* Adds code (which must fit) unless present; returns its index. */
int hf__codeset_add(hf__codeset *cs, const char *code);

/* ---- the handle ----------------------------------------------------- */

int hf__db_nomem(hf_error *err);
/* The codes of all units into db->units, loaded once and after every
 * change. */
int hf__db_units_load(hf_db *db, hf_error *err);
/* Loads them, and again once if one of the n codes at first, first +
 * stride, ... is missing: another handle may have added it. */
int hf__db_units_need(hf_db *db, const char *first, size_t n, size_t stride,
		      hf_error *err);

/* Every write runs between hf__db_tx_begin and hf__db_tx_end, which
 * opens the backend's transaction at the outermost level only. */
int hf__db_tx_begin(hf_db *db, hf_error *err);
/* Ends one level with the result rc of its work and returns it (or the
 * commit's error): commits at the outermost on success; on failure rolls
 * the whole transaction back and dooms the levels still open. */
int hf__db_tx_end(hf_db *db, int rc, hf_error *err);

/* Reads of several statements that must see one state (a quota table)
 * run between hf__db_read_begin and hf__db_read_end: one snapshot of the
 * database, or, inside a write transaction, that transaction. A write in
 * a read snapshot is refused. hf__db_read_end returns rc (or the end's
 * error). */
int hf__db_read_begin(hf_db *db, hf_error *err);
int hf__db_read_end(hf_db *db, int rc, hf_error *err);

/* HF_ENOTFOUND, worded for the unit code in field. */
int hf__db_unit_missing(hf_error *err, const char *field, const char *code);
/* A fraction from the caller needs a positive denominator. */
int hf__db_check_rat(hf_rat r, const char *field, hf_error *err);
/* A period with both ends, the end not before the start; what names the
 * thing it belongs to in the message. */
int hf__db_check_period(hf_period p, const char *what, hf_error *err);

/* HF_OK if the backend has every primitive of accounts, sessions and the
 * audit log, else HF_ESCHEMA with a message (audit.c). */
int hf__db_audit_ready(hf_db *db, hf_error *err);
/* Adds a row to the audit log by the handle's actor inside the open
 * transaction (audit.c); details formatted from fmt. */
int hf__db_audit(hf_db *db, const char *action, const char *object,
		 hf_error *err, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

/* ---- the append path (db_ledger.c) ---------------------------------- */

/* Who admits beyond a contingent and why; used counts the entries that
 * needed it. */
typedef struct hf__override {
	const char *reason;
	const char *user;
	int64_t at;
	size_t used;
} hf__override;

/*
 * Appends n entries inside the open transaction: every check of
 * hf_db_ledger_append, the contingent check (refusing, or with ov admitting
 * and logging), the summaries. number: name the failing entry in err.
 * paired: the entries may carry pair (hf_db_transfer).
 */
int hf__db_append(hf_db *db, hf_admission *e, size_t n, int number,
		  hf__override *ov, int paired, hf_error *err);

/* ---- the contingent check (db_programme.c) -------------------------- */

/*
 * Checks the entries of a batch that name a stored programme, before any
 * is appended, in batch order: category, date in the period, unit in the
 * programme's area, and whether its persons go beyond the contingent or
 * the unit's rounded share. Entries that fail hf_admission_check or name
 * an unknown unit are skipped (the append reports them). Beyond without
 * allow_beyond is HF_ECONFLICT. On error *bad is the entry's index. On
 * success *beyond is NULL if no entry names a programme, else n counts of
 * persons beyond (0 for most), which the caller frees.
 */
int hf__db_programme_check(hf_db *db, const hf_admission *e, size_t n,
			   int allow_beyond, int64_t **beyond, size_t *bad,
			   hf_error *err);

#endif

/*
 * db_int.h: what db.c, db_key.c and db_ledger.c share: the transaction
 * levels, the set of unit codes, and the messages more than one of them
 * words. All of it is defined in db.c.
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

/* Every write runs between hf__db_tx_begin and hf__db_tx_end, which
 * opens the backend's transaction at the outermost level only. */
int hf__db_tx_begin(hf_db *db, hf_error *err);
/* Ends one level with the result rc of its work and returns it (or the
 * commit's error): commits at the outermost on success; on failure rolls
 * the whole transaction back and dooms the levels still open. */
int hf__db_tx_end(hf_db *db, int rc, hf_error *err);

/* HF_ENOTFOUND, worded for the unit code in field. */
int hf__db_unit_missing(hf_error *err, const char *field, const char *code);
/* A fraction from the caller needs a positive denominator. */
int hf__db_check_rat(hf_rat r, const char *field, hf_error *err);

#endif

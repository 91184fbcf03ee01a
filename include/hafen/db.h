/*
 * hafen/db.h: the database: units, indicators, keys, crediting rules,
 * standing credits and the admission ledger.
 *
 * One API over a storage interface with one implementation per backend
 * (SQLite now: a file path or "sqlite:PATH"). Every write checks its input
 * with the domain modules first and writes nothing on error. Writes happen
 * in the caller's transaction (hf_db_begin/commit) or, outside one, in a
 * transaction of their own: a failed call leaves the database as it was.
 *
 *     hf_db *db;
 *     if (hf_db_open("hafen.db", HF_DB_CREATE, &db, &err) < 0) ...
 *     hf_db_begin(db, &err);
 *     hf_db_ledger_append(db, entries, n, &err);
 *     hf_db_commit(db, &err);
 *     hf_db_close(db);
 */
#ifndef HAFEN_DB_H
#define HAFEN_DB_H

#include <stddef.h>
#include <stdint.h>

#include "hafen/date.h"
#include "hafen/error.h"
#include "hafen/key.h"
#include "hafen/ledger.h"
#include "hafen/unit.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hf_db hf_db;

enum {
	HF_DB_CREATE = 1,   /* create the database if it does not exist */
	HF_DB_READONLY = 2, /* open for reading only */
};

/* The schema version this build reads and writes. */
#define HF_DB_SCHEMA_VERSION 4

/*
 * Opens (and with HF_DB_CREATE creates and migrates) a database. Refuses a
 * database of a newer schema (HF_ESCHEMA) and an unwritable one
 * (HF_EREADONLY) with a message that says what to do. The caller frees *out
 * with hf_db_close().
 */
int hf_db_open(const char *uri, int flags, hf_db **out, hf_error *err);
/* Rolls back an open transaction and closes. NULL is a no-op. */
void hf_db_close(hf_db *db);
const char *hf_db_backend(const hf_db *db);
int hf_db_schema_version(hf_db *db, int *version, hf_error *err);

int hf_db_begin(hf_db *db, hf_error *err);
int hf_db_commit(hf_db *db, hf_error *err);
void hf_db_rollback(hf_db *db);

/* ---- units ---------------------------------------------------------- */

/* Checks the unit against its stored parent (hf_unit_check) and adds it.
 * HF_EEXIST if the code is taken. */
int hf_db_unit_add(hf_db *db, const hf_unit *u, hf_error *err);
/* HF_ENOTFOUND with the code in the message if there is none. */
int hf_db_unit_get(hf_db *db, const char *code, hf_unit *out, hf_error *err);
/* Units below parent (NULL: all units, "": the roots), in code order.
 * The caller frees *out with free(). */
int hf_db_unit_list(hf_db *db, const char *parent, hf_unit **out, size_t *n,
		    hf_error *err);

/* Sets (adds or replaces) the figure of a unit for a name and date. */
int hf_db_indicator_set(hf_db *db, const hf_indicator *ind, hf_error *err);
/* The figure with this name and date; HF_ENOTFOUND if none. */
int hf_db_indicator_get(hf_db *db, const char *unit, const char *name,
			hf_date ref_date, hf_indicator *out, hf_error *err);
/* Figures filtered by unit and name (NULL for any), by unit, name, date.
 * The caller frees *out with free(). */
int hf_db_indicator_list(hf_db *db, const char *unit, const char *name,
			 hf_indicator **out, size_t *n, hf_error *err);

int hf_db_membership_add(hf_db *db, const hf_membership *m, hf_error *err);
/* Memberships filtered by alliance and unit (NULL for any). The caller frees
 * *out with free(). */
int hf_db_membership_list(hf_db *db, const char *alliance, const char *unit,
			  hf_membership **out, size_t *n, hf_error *err);

int hf_db_contact_set(hf_db *db, const hf_contact *c, hf_error *err);
int hf_db_contact_get(hf_db *db, const char *unit, hf_contact *out,
		      hf_error *err);

/* ---- keys ----------------------------------------------------------- */

/* Checks the key against the stored children of its parent (hf_key_check)
 * and adds it with its shares and crediting rules. HF_EEXIST if the name is
 * taken. */
int hf_db_key_add(hf_db *db, hf_key *k, hf_error *err);
/* Computes the shares of a computed key from the stored indicators of its
 * parent's children at k->ref_date, by k->weights and k->cap
 * (hf_key_compute), replacing any shares k had. HF_ENOTFOUND names the
 * unit and indicator that is missing. Writes nothing. */
int hf_db_key_compute(hf_db *db, hf_key *k, hf_error *err);
/* The key with its shares; the caller frees them with hf_key_clear(). */
int hf_db_key_get(hf_db *db, const char *name, hf_key *out, hf_error *err);
/* The key of parent valid on every day of p; HF_ENOTFOUND ("no key for
 * 01 in 2031") if none, the latest valid_from if several. */
int hf_db_key_find(hf_db *db, const char *parent, hf_period p, hf_key *out,
		   hf_error *err);
/* All keys without their shares (nshares 0, shares NULL), by name. The
 * caller frees *out with free(). */
int hf_db_key_list(hf_db *db, hf_key **out, size_t *n, hf_error *err);
/* Changes one crediting weight of a stored key. */
int hf_db_key_set_credit(hf_db *db, const char *key, hf_category c,
			 hf_rat weight, hf_error *err);

/* A fixed number of persons credited to a unit for a period under a key
 * (AuslAufnVO § 7 (4): places in Land reception facilities). */
typedef struct hf_standing {
	int64_t id;
	char key[HF_KEY_NAME_MAX];
	char unit[HF_CODE_MAX];
	hf_date from, to;
	int64_t persons;
	char reason[HF_NOTE_MAX];
} hf_standing;

int hf_db_standing_add(hf_db *db, hf_standing *s, hf_error *err);
/* Standing credits of a key whose period lies within p (partly
 * overlapping ones are refused with HF_ECONFLICT: a credit counts whole).
 * The caller frees *out with free(). */
int hf_db_standing_list(hf_db *db, const char *key, hf_period p,
			hf_standing **out, size_t *n, hf_error *err);

/* ---- ledger --------------------------------------------------------- */

/*
 * Appends n entries in one transaction (the caller's or its own), checking
 * each (hf_admission_check, unit exists, a reversal reverses an existing,
 * not yet reversed entry exactly) and filling in their ids. All or nothing:
 * on error nothing is appended and err names the entry ("Eintrag 17").
 */
int hf_db_ledger_append(hf_db *db, hf_admission *entries, size_t n,
			hf_error *err);
int hf_db_ledger_get(hf_db *db, int64_t id, hf_admission *out,
		     hf_error *err);
/* Entries matching filter, by id. The caller frees *out with free(). */
int hf_db_ledger_list(hf_db *db, const hf_ledger_filter *f,
		      hf_admission **out, size_t *n, hf_error *err);
/* The id of the entry that reverses id, or 0 if none. */
int hf_db_ledger_reversed_by(hf_db *db, int64_t id, int64_t *reversal,
			     hf_error *err);
/*
 * Corrects entry id: appends its reversal, dated date (HF_DATE_NONE: the
 * original's date), recorded by `by` at `at` with note, and, if replacement
 * is not NULL, the corrected entry, in one transaction. HF_ENOTFOUND for a
 * missing entry, HF_ECONFLICT for one already reversed or itself a reversal.
 */
int hf_db_ledger_correct(hf_db *db, int64_t id, hf_date date, const char *by,
			 int64_t at, const char *note,
			 hf_admission *replacement, int64_t *reversal_id,
			 hf_error *err);
/* Net persons and entry counts of the entries matching f, grouped by the
 * HF_GROUP_* bits, in order of unit, category, year. The caller frees *out
 * with free(). */
int hf_db_ledger_aggregate(hf_db *db, const hf_ledger_filter *f,
			   unsigned group, hf_ledger_sum **out, size_t *n,
			   hf_error *err);
/* Net persons by category of each of n units over a period, for quotas:
 * out[i][c]. Fast for whole months (kept as monthly sums). */
int hf_db_ledger_sums(hf_db *db, const char *const *units, size_t n,
		      hf_period p, int64_t (*out)[HF_CAT_COUNT],
		      hf_error *err);

/* ---- copying a whole database (hafen migrate) ----------------------- */

/* One table as hf_db_copy copied and verified it. */
typedef struct hf_db_table_sum {
	char table[32];
	int64_t rows;
	char sha256[65]; /* hex, over every row in key order */
} hf_db_table_sum;

/*
 * Copies every table of from into to, row for row with the same ids, in
 * one transaction on to (from is read in one snapshot), and verifies each
 * table by reading it back: the count of rows and a SHA-256 over all rows
 * in key order (each value as text, length-prefixed, NULL marked) must
 * equal the source's, or nothing is committed (HF_ESTORAGE). A target
 * that holds any row is refused (HF_EEXIST) unless force, which drops its
 * tables and builds them anew first. Works between any two backends. On
 * success *out holds one sum per table, which the caller frees with
 * free().
 */
int hf_db_copy(hf_db *from, hf_db *to, int force, hf_db_table_sum **out,
	       size_t *n, hf_error *err);

#ifdef __cplusplus
}
#endif
#endif

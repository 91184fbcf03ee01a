/*
 * io_kinds_int.h: the column numbers of each kind, the cell parsers and
 * the collected records, shared by io_kinds.c (columns, cells),
 * io_records.c (rows to records) and import_apply.c (records to the
 * database).
 */
#ifndef HAFEN_IO_KINDS_INT_H
#define HAFEN_IO_KINDS_INT_H

#include <stdint.h>

#include "io_int.h"

enum { U_CODE, U_NAME, U_KIND, U_PARENT };
enum { I_UNIT, I_NAME, I_DATE, I_VALUE, I_SOURCE };
enum {
	K_KEY,
	K_TITLE,
	K_PARENT,
	K_KIND,
	K_FROM,
	K_TO,
	K_CYEAR,
	K_QYEAR,
	K_REFDATE,
	K_WEIGHTS,
	K_CAP,
	K_CREDITS,
	K_SOURCE,
	K_UNIT,
	K_SHARE,
	K_PERCENT
};
enum {
	A_ID,
	A_DATE,
	A_UNIT,
	A_PERSONS,
	A_CATEGORY,
	A_HOUSEHOLD,
	A_PROGRAMME,
	A_REFERENCE,
	A_NOTE,
	A_BY,
	A_AT,
	A_CORRECTS,
	A_PAIR
};
enum {
	P_ID,
	P_UNIT,
	P_PROGRAMME,
	P_PLACES,
	P_FROM,
	P_TO,
	P_STATUS,
	P_NOTE,
	P_BY,
	P_AT
};
enum {
	G_NAME,
	G_TITLE,
	G_KIND,
	G_PARENT,
	G_FROM,
	G_TO,
	G_CONTINGENT,
	G_KEY,
	G_CATEGORY,
	G_SOURCE,
	G_UNIT,
	G_SHARE,
	G_PERCENT
};
enum { H_ID, H_PERSONS, H_AGES, H_NEEDS, H_TIES, H_PREFS, H_LANGS, H_OCCS };
enum {
	M_CODE,
	M_CAPACITY,
	M_MIN,
	M_MAX,
	M_SERVICES,
	M_LANGS,
	M_DEMAND,
	M_PRIO
};

/* ---- cells: 0 ok, 1 empty, -1 a problem (an issue was added) -------- */

const char *hf__cell(hf__io *io, const hf__io_row *r, int c);
void hf__bad(hf__io *io, const hf__io_row *r, int c, const char *v,
	     const char *what_de, const char *what_en);
int hf__text(hf__io *io, const hf__io_row *r, int c, char *dst, size_t size);
int hf__int(hf__io *io, const hf__io_row *r, int c, int64_t min, int64_t *out);
int hf__rat(hf__io *io, const hf__io_row *r, int c, hf_rat *out);
int hf__date(hf__io *io, const hf__io_row *r, int c, hf_date *out);
int hf__time(hf__io *io, const hf__io_row *r, int c, int64_t *out);
int hf__category(hf__io *io, const hf__io_row *r, int c, hf_category *out);
void hf__issue_err(hf__io *io, long row, const hf_error *e);

/* ---- duplicates --------------------------------------------------- */

typedef struct hf__dupset {
	struct {
		uint64_t h;
		size_t idx;
	} * slot;
	size_t mask;
} hf__dupset;

uint64_t hf__hash_str(uint64_t h, const char *s);
uint64_t hf__hash_int(uint64_t h, int64_t v);
int hf__dupset_init(hf__dupset *d, size_t n);
void hf__dupset_free(hf__dupset *d);
long hf__dupset_add(hf__dupset *d, uint64_t h, size_t i,
		    int (*eq)(void *ctx, size_t a, size_t b), void *ctx);

/* ---- the records of a file ---------------------------------------- */

/* An admission of a file, compact: a million of them must not take a
 * million hf_admission (464 bytes each). Texts live in the collector's
 * arena, by offset; hf__adm_unpack makes the hf_admission to append. */
enum { S_UNIT, S_HOUSEHOLD, S_PROGRAMME, S_REFERENCE, S_NOTE, S_BY, S_N };

typedef struct hf__adm_rec {
	int64_t id;		       /* assigned when written */
	int64_t corrects, pair;	       /* database ids, resolved on writing */
	int64_t fid, fcorrects, fpair; /* the file's own numbers, or 0 */
	int64_t persons, recorded_at;
	hf_date date;
	uint32_t str[S_N]; /* offsets into the arena */
	unsigned char category, has_by, has_at;
} hf__adm_rec;

typedef struct hf__kc {
	size_t n, cap;
	size_t hint; /* rows expected (the lines of a CSV), or 0 */
	long *rows;  /* source row of each record (its first, for groups) */
	hf_unit *units;
	hf_indicator *inds;
	hf_key *keys;
	hf__adm_rec *adm;
	char *arena; /* texts of adm, NUL-terminated; offset 0 is "" */
	size_t alen, acap;
	hf_pledge *pledges;
	int *pledge_has; /* bit 1: recorded_by, bit 2: recorded_at */
	hf_programme *progs;
	/* match kinds: the normalised cells, ncols per record */
	char **cells;
	int ncols;
	int bad; /* a row had a problem */
} hf__kc;

/* A text of an admission record. */
#define HF__ASTR(k, r, f) ((k)->arena + (r)->str[(f)])
/* Copies s into the arena; *off receives its offset. */
int hf__arena_add(hf__kc *k, const char *s, uint32_t *off);
/* The record as the ledger takes it (corrects, pair: database ids). */
void hf__adm_unpack(const hf__kc *k, const hf__adm_rec *r, hf_admission *a);

/* Room for one more record in the arrays of kind (io_records.c). */
int hf__kind_room(hf__kc *k, hf_io_kind kind);
/* A row of a match kind (io_match.c). */
int hf__match_row(hf__io *io, const hf__io_row *r);

#endif

/*
 * hafen/allocate.h: allocation (Zuweisung) of arriving households to units,
 * the way EASY and the Länder do it: the unit furthest below its quota
 * receives the next household. Pure arithmetic: no storage, no I/O
 * (hf_alloc_input_read at the end turns parsed CSV tables into input).
 *
 * A handle holds n units (share, credited persons so far in the period,
 * free capacity) and takes batches of households in arrival order. For a
 * household of s persons, with T = sum of credited over all units (the
 * households of this batch allocated so far included):
 *
 *   quota_i   = share_i × (T + s)       the quota once s more are in
 *   deficit_i = quota_i − credited_i    in persons, > 0 means below quota
 *
 * HF_ALLOC_ABSOLUTE picks the largest deficit_i; HF_ALLOC_RELATIVE the
 * largest deficit_i / quota_i, defined as the smallest credited_i / share_i
 * (the same order whenever T + s > 0; units of share 0 come last). A unit
 * is skipped when the household is not eligible for it, or when its free
 * capacity is below s: households are never split. Ties go to the larger
 * share, then to the lower index (hafen passes units in code order).
 * A household no unit can take stays unassigned with the reason; that is a
 * result, not an error. Capacity of a unit that receives s drops by s.
 *
 * Fairness (proved in allocate.c, checked by tests/unit/test_allocate.c):
 * with every unit eligible and unlimited capacity, starting from
 * credited_i = 0 (or any state that meets the bound), H the largest
 * household so far and h(n) = 1 + 1/2 + ... + 1/n, after every household
 *   ABSOLUTE: for any k units, sum of (share_i × T − credited_i)
 *             <= k × (h(n) − h(k)) × H; hence
 *             credited_i − share_i × T <= (1 − 1/n) × H      (over quota)
 *             share_i × T − credited_i <= (h(n) − 1) × H     (under quota)
 *   RELATIVE: credited_i − share_i × T <= (1 − share_i) × H
 *             share_i × T − credited_i <= (n − 2 + share_i) × H
 * For 16 Länder h(16) − 1 = 2.3807..., so no Land is ever more than 2.39
 * households of the largest size below its quota.
 *
 * Exact throughout: shares, credited figures and deficits are compared as
 * integers over a common denominator in 128 bits; HF_EOVERFLOW where a
 * figure does not fit, never a wrapped value. O(n) per household, no
 * allocation per household.
 *
 * A simulation runs a sequence of batches through one handle and reads
 * hf_alloc_deviation() after each:
 *
 *     hf_alloc *a;
 *     if (hf_alloc_new(HF_ALLOC_ABSOLUTE, units, n, &a, &err) < 0)
 *             return err.code;
 *     for (w = 0; w < weeks; w++) {
 *             rc = hf_alloc_batch(a, hh[w], m[w], res, rows, &err);
 *             ...
 *             hf_alloc_deviation(a, &dev);   // worst so far, and where
 *     }
 *     hf_alloc_free(a);
 */
#ifndef HAFEN_ALLOCATE_H
#define HAFEN_ALLOCATE_H

#include <stddef.h>
#include <stdint.h>

#include "hafen/csv.h"
#include "hafen/error.h"
#include "hafen/rat.h"
#include "hafen/report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hf_alloc_rule {
	HF_ALLOC_ABSOLUTE, /* "absolut": largest deficit in persons */
	HF_ALLOC_RELATIVE, /* "relativ": largest deficit relative to quota */
	HF_ALLOC_RULE_COUNT
} hf_alloc_rule;

const char *hf_alloc_rule_slug(hf_alloc_rule r);
int hf_alloc_rule_parse(const char *s, hf_alloc_rule *out);

#define HF_ALLOC_UNLIMITED (-1)

typedef struct hf_alloc_unit {
	hf_rat share;     /* >= 0; the shares of all units sum to 1 */
	hf_rat credited;  /* credited persons so far in the period */
	int64_t capacity; /* free places in persons, or HF_ALLOC_UNLIMITED */
} hf_alloc_unit;

/* Eligibility is a bitmap over unit indices, HF_ALLOC_WORDS(n) words:
 * bit i % 64 of word i / 64 set means unit i may take the household.
 * Households of one country of origin can share one bitmap. */
#define HF_ALLOC_WORDS(n) (((n) + 63) / 64)

static inline void hf_alloc_eligible_set(uint64_t *bits, size_t i)
{
	bits[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline int hf_alloc_eligible_has(const uint64_t *bits, size_t i)
{
	return !bits || (bits[i / 64] >> (i % 64) & 1);
}

typedef struct hf_alloc_household {
	int64_t persons;          /* >= 1 */
	const uint64_t *eligible; /* bitmap as above, or NULL: every unit */
} hf_alloc_household;

typedef enum hf_alloc_reason {
	HF_ALLOC_ASSIGNED,    /* received by unit */
	HF_ALLOC_NO_ELIGIBLE, /* no unit is allowed for this household */
	HF_ALLOC_NO_CAPACITY  /* units are allowed, none has s places free */
} hf_alloc_reason;

/* "zugewiesen", "keine zuständige Einheit", ...; never NULL. */
const char *hf_alloc_reason_text(hf_alloc_reason r, hf_lang lang);

typedef struct hf_alloc_result {
	int64_t unit;           /* index of the receiving unit, or -1 */
	hf_alloc_reason reason;
	hf_rat deficit;         /* the chosen unit's deficit_i, before; 0 if
				 * unassigned */
	size_t skipped_capacity; /* eligible units with capacity < s */
	size_t skipped_eligible; /* units the household is not eligible for */
} hf_alloc_result;

typedef struct hf_alloc_row {
	hf_rat credited_before; /* at the start of the batch */
	hf_rat quota_before;    /* share × T at the start */
	hf_rat credited_after;
	hf_rat quota_after;     /* share × T at the end */
	int64_t households;     /* received in the batch */
	int64_t persons;        /* received in the batch */
	int64_t capacity_after; /* or HF_ALLOC_UNLIMITED */
} hf_alloc_row;

/* The largest deviation from quota, credited_i − share_i × T, over every
 * state the handle has been in: at creation and after each household. */
typedef struct hf_alloc_dev {
	hf_rat max_over;   /* largest credited − quota (>= 0) */
	size_t over_unit;
	hf_rat max_under;  /* largest quota − credited (>= 0) */
	size_t under_unit;
	hf_rat max_abs;    /* the larger of the two */
} hf_alloc_dev;

typedef struct hf_alloc hf_alloc;

/*
 * Creates a handle over n units (copied). HF_EINVAL when shares are
 * negative or do not sum to exactly 1, or a capacity is below -1;
 * HF_EOVERFLOW when the common denominators do not fit in 64 bits.
 * The caller frees *out with hf_alloc_free().
 */
int hf_alloc_new(hf_alloc_rule rule, const hf_alloc_unit *units, size_t n,
		 hf_alloc **out, hf_error *err);
void hf_alloc_free(hf_alloc *a);
size_t hf_alloc_count(const hf_alloc *a);

/*
 * Allocates m households in order and writes res[0..m) and, when rows is
 * not NULL, rows[0..n). The handle keeps the new credited and capacity
 * figures for the next batch. HF_EINVAL for a household of fewer than one
 * person, HF_EOVERFLOW when a figure leaves exact 64-bit arithmetic; on
 * any error the handle is as before the call.
 */
int hf_alloc_batch(hf_alloc *a, const hf_alloc_household *hh, size_t m,
		   hf_alloc_result *res, hf_alloc_row *rows, hf_error *err);

/* The current state of unit i: credited, quota (share × T) and capacity. */
int hf_alloc_unit_state(const hf_alloc *a, size_t i, hf_rat *credited,
			hf_rat *quota, int64_t *capacity);

/* The worst deviation so far (see hf_alloc_dev). HF_EOVERFLOW if it does
 * not fit an hf_rat. */
int hf_alloc_deviation(const hf_alloc *a, hf_alloc_dev *out);
/* The largest surplus (credited − quota) and deficit of unit i over every
 * state since creation, both >= 0. HF_ERANGE for a bad index. */
int hf_alloc_unit_extremes(const hf_alloc *a, size_t i, hf_rat *over,
			   hf_rat *under);

/* One batch without keeping a handle: new, batch, free. */
int hf_alloc_run(hf_alloc_rule rule, const hf_alloc_unit *units, size_t n,
		 const hf_alloc_household *hh, size_t m, hf_alloc_result *res,
		 hf_alloc_row *rows, hf_error *err);

/* A batch as hafen allocate and POST /api/allocate read it from files. */
typedef struct hf_alloc_input {
	size_t n;		/* units, those of the quota table */
	size_t m;		/* households, rows of the file */
	hf_alloc_unit *units;	/* n: share and credited from the table,
				 * capacity from the capacities file */
	hf_alloc_household *hh; /* m, in file order */
	uint64_t *eligible;	/* m × HF_ALLOC_WORDS(n): the bitmaps */
} hf_alloc_input;

/*
 * Reads the batch: the units of t (in its order) with their share and
 * credited figure; capacities (may be NULL: every unit unlimited) with
 * columns unit, optional places (free places; empty: unlimited), optional
 * origins (countries of origin handled, separated by |; empty: all);
 * households with columns id, persons, optional origin. A unit without a
 * row in capacities is unlimited and handles every origin. HF_EINVAL with
 * file:line:column for a missing column, an unknown or repeated unit, a
 * bad number of places or persons, a missing or too long id; HF_ENOMEM.
 * The caller frees *out with hf_alloc_input_free(); on error *out is empty.
 */
int hf_alloc_input_read(const hf_quota_table *t, const hf_csv *households,
			const hf_csv *capacities, hf_alloc_input *out,
			hf_error *err);
void hf_alloc_input_free(hf_alloc_input *in);

/*
 * The ledger entries of an allocation read by hf_alloc_input_read: one per
 * household a unit received (res[i].unit >= 0), in file order, regular
 * distribution, with unit, persons and the household's id from the file,
 * everything else (date, reference, recorded_by, note, recorded_at) from
 * stamp. *out (the caller frees it) holds *n entries. HF_ENOMEM.
 */
int hf_alloc_entries(const hf_quota_table *t, const hf_csv *households,
		     const hf_alloc_input *in, const hf_alloc_result *res,
		     const hf_admission *stamp, hf_admission **out, size_t *n,
		     hf_error *err);

#ifdef __cplusplus
}
#endif
#endif

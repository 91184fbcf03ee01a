/*
 * hafen/key.h: distribution keys (Verteilungsschlüssel).
 *
 * A key gives each child of a parent unit an exact share of the whole,
 * valid for a period. Published keys (the Königsteiner Schlüssel) are taken
 * as printed and must sum to exactly 100 %; computed keys are derived from
 * weighted indicators at a reference date. Invariant of every stored key:
 * one share per child of the parent, none negative, summing to exactly 1.
 *
 * The key also carries its crediting rules (Anrechnung): how much one person
 * of each ledger category counts toward the quota.
 */
#ifndef HAFEN_KEY_H
#define HAFEN_KEY_H

#include <stddef.h>

#include "hafen/date.h"
#include "hafen/error.h"
#include "hafen/ledger.h"
#include "hafen/rat.h"
#include "hafen/unit.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HF_KEY_NAME_MAX 64
#define HF_KEY_WEIGHTS_MAX 8

typedef enum hf_key_kind {
	HF_KEY_PUBLISHED, /* "veroeffentlicht": shares as printed */
	HF_KEY_COMPUTED   /* "berechnet": from weighted indicators */
} hf_key_kind;

typedef struct hf_key_share {
	char unit[HF_CODE_MAX];
	hf_rat share; /* fraction of 1: 3.38791 % is 338791/10000000 */
} hf_key_share;

typedef struct hf_key_weight {
	char indicator[HF_INDICATOR_MAX];
	hf_rat weight; /* weights of a key sum to 1 */
} hf_key_weight;

typedef struct hf_key {
	char name[HF_KEY_NAME_MAX]; /* unique: "koenigstein-2015" */
	char title[HF_NAME_MAX];    /* "Königsteiner Schlüssel 2015" */
	char parent[HF_CODE_MAX];
	hf_key_kind kind;
	hf_date valid_from;
	hf_date valid_to;  /* last day, or HF_DATE_NONE while open */
	int computed_year; /* the year the key was computed for, or 0 */
	int quota_year;    /* the year it is the quota for, or 0 */
	char source[HF_SOURCE_MAX];
	/* computed keys: the recipe */
	hf_date ref_date; /* Stichtag of the indicators */
	size_t nweights;
	hf_key_weight weights[HF_KEY_WEIGHTS_MAX];
	/* the NRW cap: a share above cap × the first indicator's share is cut
	 * to it, the excess spread over the others; {0, 1} for none */
	hf_rat cap;
	/* crediting rules: weight of each category toward the quota */
	hf_rat credit[HF_CAT_COUNT];
	/* shares, sorted by unit code; owned by the key */
	size_t nshares;
	hf_key_share *shares;
} hf_key;

/* An empty key: no shares, no cap, default crediting (hf_key_credit_default). */
void hf_key_init(hf_key *k);
/* Frees the shares; k can be reused after hf_key_init(). */
void hf_key_clear(hf_key *k);
/* Deep copy; dst must not own shares. */
int hf_key_copy(hf_key *dst, const hf_key *src);

/*
 * Sets the crediting rules hafen uses where a key states none: regular
 * distribution, transfers in and out count 1 (out as -1 through the sign of
 * the category), every other category 0.
 */
void hf_key_credit_default(hf_rat credit[HF_CAT_COUNT]);

const char *hf_key_kind_slug(hf_key_kind kind);
int hf_key_kind_parse(const char *s, hf_key_kind *out);

/*
 * Checks a key against the parent's children: each child exactly once, no
 * other unit, no negative share, shares summing to exactly 1 (100 %).
 * A table that does not sum is refused with HF_ESUM and the sum and the
 * difference in the message, never normalised. Sorts k->shares by code.
 */
int hf_key_check(hf_key *k, const hf_unit *children, size_t nchildren,
		 hf_error *err);

/* Whether the key is valid on every day of the period. */
int hf_key_covers(const hf_key *k, hf_period p);

/*
 * Computes shares from indicators: share_i = sum_k w_k * v_ik / sum_j v_jk.
 * values is n × nweights, row-major, in the order of weights. With a cap
 * (cap.num != 0; NRW FlüAG § 3 (1): 5/4), a unit whose share exceeds
 * cap × its share by the first indicator alone is cut to that, and the
 * excess is spread over the uncapped units in proportion to their shares,
 * repeated until no share exceeds its cap. Exact; HF_EOVERFLOW if the
 * arithmetic leaves 64 bits. out receives n shares summing to 1.
 */
int hf_key_compute(const hf_key_weight *weights, size_t nweights,
		   hf_rat cap, size_t n, const hf_rat *values, hf_rat *out,
		   hf_error *err);

#ifdef __cplusplus
}
#endif
#endif

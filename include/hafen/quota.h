/*
 * hafen/quota.h: quotas (Aufnahmesoll) and their fulfilment (Erfüllung).
 *
 * Pure arithmetic over figures the caller gathers: no storage here.
 * For each child i of a parent in a period:
 *   actual_i   = sum over categories c of sign(c) × persons_ic     (Ist)
 *   credited_i = sum over c of credit_c × sign(c) × persons_ic + standing_i
 *   base       = sum_j credited_j (dynamic) or the fixed contingent
 *   quota_i    = share_i × base                                    (Soll)
 *   balance_i  = credited_i - quota_i + carry_in_i                 (+ over)
 *   percent_i  = credited_i / quota_i × 100 (undefined when quota is 0)
 *   rounded_i  = apportion(method, quotas, floor(base))
 * Invariant checked by the tests: quotas sum to base, and in the dynamic
 * case balances sum to the carried-in total.
 */
#ifndef HAFEN_QUOTA_H
#define HAFEN_QUOTA_H

#include <stddef.h>
#include <stdint.h>

#include "hafen/apportion.h"
#include "hafen/error.h"
#include "hafen/ledger.h"
#include "hafen/rat.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hf_quota_input {
	size_t n;
	const hf_rat *shares;                   /* n, summing to 1 */
	const int64_t (*persons)[HF_CAT_COUNT]; /* n: net persons by category */
	const int64_t *standing;                /* n standing credits or NULL */
	const hf_rat *carry_in;                 /* n carried balances or NULL */
	const hf_rat *credit;                   /* HF_CAT_COUNT weights */
	int fixed;                              /* 1: base is contingent */
	int64_t contingent;
	hf_apportion_method method;
} hf_quota_input;

typedef struct hf_quota_row {
	hf_rat share;
	int64_t actual;   /* Ist: net persons */
	hf_rat credited;  /* angerechnet, standing credits included */
	int64_t standing; /* of which standing credits */
	hf_rat quota;     /* Aufnahmesoll, exact */
	int64_t quota_rounded;
	hf_rat carry_in;
	hf_rat balance;   /* credited - quota + carry_in: > 0 over, < 0 under */
	int has_percent;  /* 0 when the quota is 0 */
	hf_rat percent;   /* credited / quota × 100 */
} hf_quota_row;

typedef struct hf_quota_total {
	hf_rat base;        /* what the parent received, or the contingent */
	int64_t base_rounded; /* floor(base): what apportionment hands out */
	int64_t actual;
	hf_rat credited;
	hf_rat quota;
	hf_rat carry_in;
	hf_rat balance;
} hf_quota_total;

/*
 * Computes rows (n of them, caller-allocated) and the total. HF_EINVAL for
 * input that breaks the invariants (shares not summing to 1),
 * HF_EOVERFLOW if exact arithmetic leaves 64 bits.
 */
int hf_quota_compute(const hf_quota_input *in, hf_quota_row *rows,
		     hf_quota_total *total, hf_error *err);

#ifdef __cplusplus
}
#endif
#endif

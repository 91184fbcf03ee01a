/*
 * match_auction_int.h: the auction of optimal mode (match_auction.c),
 * used by match_opt.c. The linear relaxation over persons is a
 * transportation problem: every person of household i is a bidder worth
 * score(i, j) / p_i at unit j (less the Lagrange prices of the named
 * dimensions), every unit is two sinks (the corridor minimum and the rest
 * up to min(capacity, max)), one sink takes the unassigned (where allowed)
 * and dummy bidders of value 0 fill what stays free, so supply equals
 * demand.
 *
 * Invariants: a slot's price never falls within a phase; the minimum
 * price of a sink (its dual price) only rises within a round (a new
 * round's Lagrange prices may move it, hf__auc_relist, and the lists'
 * bounds move with it); every bidder's held slots satisfy epsilon-CS
 * against the minimum prices of the other sinks.
 */
#ifndef HAFEN_MATCH_AUCTION_INT_H
#define HAFEN_MATCH_AUCTION_INT_H

#include "match_int.h"

/* length of a household's candidate list */
#define HF_AUC_K 4

typedef struct ent {
	double price;
	int64_t owner; /* bidder, or -1 free */
	int64_t count;
} ent;

/* A household's candidate list, one cache line (the bids read it at
 * random): the units (-1 past the end), their values before the unit
 * price, and t, the best value of any other unit at the scan. */
typedef struct cand {
	double v[HF_AUC_K];
	double t;
	int32_t u[HF_AUC_K];
	unsigned ep;
} cand;
_Static_assert(HF_AUC_K != 4 || sizeof(cand) == 64, "a list, a cache line");

/* What a phase's first look at a household found: its best sink k1, the
 * value there v1 (per person, less the price) and its best value at any
 * other sink v2; v1 NaN before the look. */
typedef struct seen {
	double v1, v2;
	long k1;
} seen;

typedef struct sink {
	ent *h;
	size_t len, cap;
	int64_t size; /* slots */
} sink;

typedef struct auc {
	const hf_match_instance *in;
	const hf__match_allow *a;
	size_t n, m, nk; /* households, units, sinks (2m + 1) */
	sink *s;
	double *top;	/* [nk] cheapest slot, +inf if none */
	double *uprice; /* [m] min(top[2j], top[2j+1]) */
	int64_t *left;	/* [n + 1]: persons of a bidder not holding a slot */
	int64_t dummies;
	size_t *q; /* ring of bidders waiting */
	size_t qh, qn;
	char *inq;
	double scale, eps, range, limit, pen;
	double typical; /* mean of the households' largest |score|, unscaled */
	const double *lam; /* [m × ndims] Lagrange prices, d >= 1, or NULL */
	double *lamt;	   /* [ndims × m] the same by dimension (scans) */
	size_t bids, phases;
	struct crew *crew;
	double *tmp; /* [3m] scratch: a scan's row; the bound's row, unit
		      * prices per person and their multiples */
	struct seen *seen; /* [n] a phase's first look at each household */
	int avx2;    /* the scan's AVX2 loops may run */
	/* candidate lists: per household the HF_AUC_K units of best value
	 * at its last full scan and the best value of any other unit then
	 * (cand); valid while ep == epoch: unit prices only rise, within a
	 * phase and from one phase to the next, so no other unit can have
	 * become better than t; a new round's Lagrange prices, and the unit
	 * prices they move, raise t by the most any unit gained
	 * (hf__auc_relist) */
	struct cand *cl;
	unsigned epoch;
	/* households by their use of the named dimensions (cls, the
	 * representative of each class crep; ncls 0 where there are too many
	 * classes to pay), built by the first relist: how much a unit outside
	 * a list can have gained is the same within a class */
	uint32_t *cls;
	size_t *crep, ncls;
	int cls_built;
	double *lamc; /* [m × ndims] Lagrange prices the lists are at, or NULL
		       * (one dimension) */
	int whole;    /* scaled whole scores: prices stay whole */
	int rebid, shift, unit; /* hf__auc_rebid, hf__auc_shift,
				 * hf__auc_unit: on in this solve */
	/* [m × ndims] the units' loads of the holdings after load_bids bids
	 * (the caller's, from the relaxation it read), or NULL: the move of
	 * the prices then sums them itself */
	const double *load;
	size_t load_bids;
} auc;

/* Score of household i at unit j less its Lagrange prices, scaled. */
double hf__auc_value(const auc *A, size_t i, size_t j);
/* t[j] = household i's score at unit j × f − up[j] − its Lagrange
 * prices there × f; −inf where unit j lacks its needs. */
void hf__auc_row(const auc *A, size_t i, double f, const double *up,
		 double *t);
/* The round's Lagrange prices ([m × ndims]): A->lam (NULL while all are
 * 0) and A->lamt. */
void hf__auc_set_lam(auc *A, const double *lam);
/* The largest of n doubles (-inf for none), by the fastest loop. */
double hf__auc_vmax(const auc *A, const double *t, size_t n);
/* Adds a heap entry to a sink; HF_ENOMEM. */
int hf__auc_push(sink *s, ent e);
/* Refreshes top[k] and the unit's price after sink k changed. */
void hf__auc_retop(auc *A, size_t k);
/* One phase at A->eps: from the last holdings, every bidder bids until
 * all hold a slot. HF_EINFEASIBLE when a price passes A->limit. */
int hf__auc_phase(auc *A);
/* The tests' switches: 0 off, 1 on large instances (a million scores
 * and more; the default), 2 always. hf__auc_rebid: a phase starts with
 * every holder's slots at the price it would bid for them now (off: at
 * its sink's cheapest, as before 2026-12-07); hf__auc_shift: a round's
 * new Lagrange prices move the prices of the units' slots by what they
 * change for the units' holders (hf__auc_relist; off: the prices stay);
 * hf__auc_unit: a bid's second best is the best other unit, not the
 * unit's other sink (never with whole scores, whose exact optimum needs
 * the sinks apart; off: the other sink too, as until the evening of
 * 2026-12-07). */
extern int hf__auc_rebid, hf__auc_shift, hf__auc_unit;
/* Before a round at new Lagrange prices (A->lam): the units' slots
 * shifted by what the new prices change for their holders (see
 * shift_prices), and the candidate lists moved to both (values by the
 * change of each unit's Lagrange prices, the bound of the units outside by
 * the most any unit gained for a household of that use and size, its
 * Lagrange prices' fall and its unit price's fall together: per class of
 * households where there are few classes, else the sum over dimensions of
 * the largest fall and the largest fall of a unit price), not rebuilt. */
void hf__auc_relist(auc *A);
/* The tests' switch: with it set, every relist checks that no unit
 * outside a valid list is worth more than its bound, counting the lists
 * checked and the units found above. */
extern int hf__auc_check_lists;
extern size_t hf__auc_lists_checked, hf__auc_lists_wrong;
/* with hf__auc_check_lists: the moves of the prices that took the
 * caller's loads, and those whose own sums differed */
extern size_t hf__auc_loads_checked, hf__auc_loads_wrong;
/* Household i's best value at any unit (per person, scaled, less the
 * unit's price) from its candidate list, where the list decides it (see
 * list_top): 1 and *best, else 0. */
int hf__auc_list_best(const auc *A, size_t i, double *best);
/* The holdings' loads per unit and dimension (frac, [m × ndims]) and, if
 * lp is not NULL, per household the unit all its persons hold (-1
 * unassigned; -2 split between units), on both threads. */
void hf__auc_loads(auc *A, int32_t *lp, double *frac);
/* Half of a pass over the households: part 0 or 1, a scratch of two rows
 * (2m doubles) of its own; part 0 has A->tmp, whose third row stays the
 * caller's. */
typedef void (*hf__auc_job)(auc *A, size_t part, double *tmp, void *arg);
/* Runs both parts of a pass, the second on the helper thread where there
 * is one, and returns when both are done. */
void hf__auc_crew_run(auc *A, hf__auc_job job, void *arg);
/* The helper thread that scans batches (none for small instances, unless
 * the tests' switch hf__auc_crew_small is set); NULL when out of memory. */
struct crew *hf__auc_crew_new(auc *A);
void hf__auc_crew_free(struct crew *c);
extern int hf__auc_crew_small;
/* While on, the caller scans and passes alone and the helper rests (the
 * repair beside the round has the other core): the same bids, as ever.
 * Returns whether there is a helper to rest. */
int hf__auc_crew_solo(struct crew *c, int on);

#endif

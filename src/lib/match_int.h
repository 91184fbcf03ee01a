/*
 * match_int.h: what the files of the match module share: the admissible
 * units of every household (one bitmap per distinct set of needs), the
 * result's allocation and bookkeeping, and the three solvers.
 */
#ifndef HAFEN_MATCH_INT_H
#define HAFEN_MATCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "hafen/match.h"

typedef struct hf__match_allow {
	size_t words, nsets;
	uint64_t *bits; /* nsets × words; set 0 admits every unit */
	uint32_t *set;	/* [n] */
} hf__match_allow;

int hf__match_allow_build(const hf_match_instance *in, hf__match_allow *a);
void hf__match_allow_free(hf__match_allow *a);

static inline const uint64_t *hf__match_row(const hf__match_allow *a, size_t i)
{
	return a->bits + (size_t)a->set[i] * a->words;
}

static inline int hf__match_ok(const uint64_t *row, size_t j)
{
	return row[j / 64] >> (j % 64) & 1;
}

/* Whether unit u offers service s. */
int hf__match_offers(const hf_match_unit *u, uint32_t s);
/* HF_EINVAL for a malformed instance (and a score that is not finite). */
int hf__match_malformed(const hf_match_instance *in, hf_error *err);
/* HF_EINFEASIBLE with the reason when the instance visibly cannot be met;
 * corridor minima only with minima set. */
int hf__match_feasible(const hf_match_instance *in, const hf__match_allow *a,
		       int minima, hf_error *err);

/* Effective upper bound of unit j in persons: min(cap[0], max). */
static inline int64_t hf__match_upper(const hf_match_unit *u)
{
	return u->cap[0] < u->max ? u->cap[0] : u->max;
}

/* fn(arg, part, from, to) over households [0, n): from HF__MATCH_LARGE
 * scores (n × m) the second half (part 1) on a thread of its own beside
 * the first (part 0), else both here, in order. For passes over the
 * score rows whose households do not depend on each other. */
typedef void hf__match_range_fn(void *arg, size_t part, size_t from, size_t to);
void hf__match_halves(size_t n, size_t m, hf__match_range_fn *fn, void *arg);

/* A result with every array allocated, households unassigned. */
hf_match_result *hf__match_result_new(const hf_match_instance *in,
				      hf_match_mode mode);
/* Loads, objective and counts from unit[], and with best set each
 * household's best admissible unit (a pass over the scores); keeps why[]
 * where set. */
void hf__match_result_finish(const hf_match_instance *in,
			     const hf__match_allow *a, hf_match_result *r,
			     int best);
/* Optimal mode: why[] of the households the repair did not move, from
 * best[]: the best unit, a tie, or a better unit priced out. */
void hf__match_why_settle(const hf_match_instance *in, hf_match_result *r);

/* Optimal mode as a part of another solve (the sample's rounds of
 * hf__match_presolve, a kind's order of hf__match_kinds), on an instance
 * made from one already checked: no check for malformed data, and no last
 * step (hf__match_polish): what is wanted of it is prices or an order. */
int hf__match_solve_part(const hf_match_instance *in, const hf_match_options *o,
			 hf_match_result **out, hf_error *err);
/* The same from the units' prices per person start [m] (of their slots
 * when the rounds begin; NULL: from the sample's, or 0), for a part
 * whose prices are known about. */
int hf__match_solve_from(const hf_match_instance *in, const hf_match_options *o,
			 const double *start, hf_match_result **out,
			 hf_error *err);
/* part: whether a part of another solve (no last step); start: as for
 * hf__match_solve_from */
int hf__match_optimal(const hf_match_instance *in, const hf_match_options *o,
		      int part, const double *start, const hf__match_allow *a,
		      hf_match_result *r, hf_error *err);
/* The first prices of the named dimensions of optimal mode's rounds, from
 * the rounds on a sample of the households (every f-th, about 20 a unit,
 * the units' places and corridors in proportion): lam [m × ndims] takes
 * them, w [m] the units' prices per person. Where households are fewer than 80
 * a unit, or with one dimension, or where the sample has no assignment, lam
 * stays as it is and 1 is returned; HF_OK, HF_ENOMEM. */
int hf__match_presolve(const hf_match_instance *in, double *lam, double *w);
/* The tests' switch: with it 0, optimal mode's rounds start from 0; with
 * 2 from the sample's Lagrange prices only, not its unit prices. */
extern int hf__match_presolve_on;
/* A large instance: a million scores and more. From there on a second
 * thread pays (the auction's helper, the kinds' solves, the check of the
 * scores) and the rounds take the rules for large instances
 * (match_opt.c). */
#define HF__MATCH_LARGE ((size_t)1 << 20)
/* The tests' switch of the repair beside the next round (match_opt.c): 0
 * never, 1 on large instances, 2 on every one (not in the parts of
 * another solve); the repairs started on a thread of their own are
 * counted per thread of the solve, and those beside which the auction
 * bid without its helper. */
extern int hf__match_aside;
extern _Thread_local size_t hf__match_asides, hf__match_solos;
/* The tests' switch of the dimensions' prices stepped by regula falsi
 * where their direction turns (lam_step in match_opt.c): 0 never (half
 * the step back), 1 on large instances, 2 on every one; the steps so
 * taken are counted per thread of the solve. */
extern int hf__match_falsi;
extern _Thread_local size_t hf__match_falsis;
/* The tests' switch of the bound's pass taking a household's best value
 * from its candidate list where the list decides it (best_sum in
 * match_opt.c): 0 never (every row read), 1 on large instances, 2 on
 * every one (never with whole scores). With hf__match_check_bound set,
 * every value so taken is compared with its row's: the values checked,
 * and those that differ by more than the rounding (1e-9 of the value or
 * of 1), counted over all threads. */
extern int hf__match_bound_lists, hf__match_check_bound;
extern size_t hf__match_bound_checked, hf__match_bound_wrong;
int hf__match_stable(const hf_match_instance *in, const hf__match_allow *a,
		     hf_match_result *r, hf_error *err);
int hf__match_allocate(const hf_match_instance *in, const hf__match_allow *a,
		       hf_match_result *r, hf_error *err);

/* Optimal mode's way from the relaxation (lp: unit of all the persons of
 * a household, -1 unassigned, -2 split) to an assignment at the round's
 * unit prices w and Lagrange prices by dimension lamt ([ndims × m], or
 * NULL for none); see match_repair.c. */
int hf__match_primal(const hf_match_instance *in, const hf__match_allow *a,
		     const int32_t *lp, const double *w, const double *lamt,
		     hf_match_result *r, hf_error *err);

/* The units j0 .. j0 + n − 1 (n <= 32) where household i scores more
 * than t, as bits (bit k: unit j0 + k), four float scores compared at
 * once: the scans for a better unit skip, 32 at a time, the many units
 * that score less than what a household has. */
uint32_t hf__match_above(const hf_match_scores *s, size_t i, size_t j0,
			 size_t n, double t);
/* A scan for the best unit above t, as a plain loop over the units would
 * do it, while t rises:
 *
 *	for (j0 = 0; j0 < m; j0 += 32)
 *		for (b = hf__match_above(s, i, j0, HF_MATCH_SPAN(m, j0), t);
 *		     b; b &= b - 1) {
 *			j = j0 + (size_t)__builtin_ctz(b);
 *			if (score of j > t (now) and j may take i) t = ...;
 *		}
 *
 * A unit below the t of its block's start is below every later t. */
#define HF_MATCH_SPAN(m, j0) ((m) - (j0) < 32 ? (m) - (j0) : 32)

/* The admissible unit other than not where household i scores most and
 * more than *v, with room for it under load, or -1; *v is then its score
 * (unchanged with -1). The first of equal scores. */
long hf__match_best_fit(const hf_match_instance *in, const hf__match_allow *a,
			const int64_t *load, size_t i, size_t not, double *v);

/* A household by its persons, sorted by hf__match_by_size: most persons
 * first (they are hardest to place), then in the order of the file. */
typedef struct hf__match_job {
	int64_t persons;
	size_t i;
} hf__match_job;
int hf__match_by_size(const void *x, const void *y);

/*
 * The exhaustive search of small instances (match_search.c): a branch and
 * bound that tries at most budget placements. *objective is the score sum
 * of the best assignment known (-INFINITY for none); it returns 1 when it
 * found a better one (written to unit, its score sum to *objective), 0
 * when not (unit untouched), HF_ENOMEM. *complete is set when it ended
 * within the budget: the better one, or else the one known, is then
 * optimal, and where none was known and it found none, no assignment
 * meets the constraints.
 */
int hf__match_search(const hf_match_instance *in, const hf__match_allow *a,
		     int64_t *unit, double *objective, unsigned long budget,
		     int *complete);

/* Optimal mode's rules for its rounds (match_opt.c, where they are
 * explained): whether the rounds have stalled, given the bound and the
 * best objective of this round and the window's last (hb, hp: win of
 * each, kept by the calls); whether to take the last step now. */
int hf__match_stalled(double *hb, double *hp, size_t win, size_t round,
		      size_t rounds, double bound, double best, double target);
int hf__match_polish_now(double bound, double best, double gain, double target);
/* A round's first epsilon (range: of the scaled values; large: a million
 * scores and more; warm: from a sample's or given prices; ef: the round's
 * last epsilon); see match_opt.c. */
double hf__match_first_eps(double range, int large, size_t round, int warm,
			   double ef);

/* The optimal assignment of each kind of use (equal use in every
 * dimension) to the places its households hold, by optimal mode on a
 * transportation problem per kind (match_swap.c); loads stay. With since
 * (the units after an earlier call, NULL for none) a kind, or a part of a
 * large kind, none of whose households has moved since is left as it is:
 * its problem is the one solved then, with the same answer. With price
 * and floor_price (a result's: per unit and dimension, and the units' floor
 * prices; NULL for none) each kind's solve starts from what a place of
 * its use costs at them. Returns the households moved; 0 also when out
 * of memory. */
size_t hf__match_kinds(const hf_match_instance *in, int64_t *unit,
		       hf_match_why *why, const int64_t *since,
		       const double *price, const double *floor_price);

/* The kinds' solves of hf__match_kinds run on two threads from a million
 * scores on: the tests' switch (2; 1: on one), and, set on each of the
 * two, that the solves there bid alone, without the auction's helper
 * thread (match_auction.c), so that two threads share two cores. */
extern int hf__match_kinds_threads;
extern _Thread_local int hf__match_alone;
/* The calls that started the second thread, per calling thread; the
 * bids of the kinds' solves on each thread. */
extern _Thread_local size_t hf__match_kinds_pairs, hf__match_kinds_bids;

/* The tests' switches of the repair (match_repair.c): the length of the
 * list of cheapest feasible moves a unit below its minimum falls back to
 * (1,024); with 1 every such move is looked for by a pass of its own;
 * whether the list from the first pass is taken first (1). The lists made
 * by a pass, those taken from the first pass, the households moved since
 * it that such a list priced again and the moves taken from either list
 * are counted, per thread. */
extern size_t hf__match_fallback;
extern int hf__match_fallback_first;
extern _Thread_local size_t hf__match_fallback_lists, hf__match_fallback_moves,
    hf__match_fallback_pre, hf__match_fallback_again;

/* The last step from an assignment of hf__match_primal: the best order
 * within each kind of use (hf__match_kinds) and moves to units with room
 * where a household scores higher; then up to POLISH_PASSES passes of
 * moves that make room (hf__match_chains), each with the trades of two
 * they open (hf__match_swaps; not when quick) and the order again of the
 * kinds whose places they changed. It stops where the assignment lies
 * within the gap target of bound (as the rounds stop there); bound
 * INFINITY runs every pass. quick (a step during the rounds, another
 * repair to come) also stops where the passes would not reach the
 * target: what is lacking is more than a third of what the order of the
 * kinds added, or more than the last pass added times the passes left.
 * The kinds' solves start from r's prices (those of the round whose
 * relaxation the assignment repairs; 0 where none are known).
 * HF_ENOMEM. */
int hf__match_polish(const hf_match_instance *in, const hf__match_allow *a,
		     hf_match_result *r, double bound, double target,
		     int quick);
/* One sweep of moves of a household to a unit where it scores more, made
 * room for by one of that unit's households going to its best unit with
 * room, where the scores rise; loads (m × ndims) kept. Returns the number
 * made; 0 also when out of memory (match_chain.c). */
size_t hf__match_chains(const hf_match_instance *in, const hf__match_allow *a,
			int64_t *unit, hf_match_why *why, int64_t *load);
/* Its calls, per thread (the tests count the last step's passes). */
extern _Thread_local size_t hf__match_chain_passes;
/* Trades of units between households of the same use (the loads stay)
 * where both are admissible and the scores rise; the last step of the
 * repair (match_swap.c). Returns the number made; 0 also when out of
 * memory (the assignment is then as it was). */
size_t hf__match_swaps(const hf_match_instance *in, const hf__match_allow *a,
		       int64_t *unit, hf_match_why *why);

/* The scans' AVX2 loops are compiled where the compiler can target AVX2
 * per function, and run where the processor has it (hf__auc_avx2). */
#if defined(__x86_64__) && defined(__GNUC__)
#define HF_HAVE_AVX2 1
#endif

/* Whether this processor runs AVX2 (the scans' fast loops); never while
 * hf__auc_generic is set (the tests' switch: the generic loops must give
 * the same result). */
int hf__auc_avx2(void);
extern int hf__auc_generic;

/* t[j] = household i's score at unit j × f − up[j] − its Lagrange prices
 * there × f (lamt: [ndims × m], the prices by dimension, or NULL for
 * none), for every unit; −inf where unit j lacks its needs. avx2 chooses
 * the AVX2 loops, which do the same arithmetic (no fused multiply-add):
 * the result is the same either way. */
void hf__match_values(const hf_match_instance *in, const hf__match_allow *a,
		      size_t i, double f, const double *up, const double *lamt,
		      int avx2, double *t);

/* Whether household i fits into unit j given loads (all dimensions and
 * max). */
int hf__match_fits(const hf_match_instance *in, const int64_t *load, size_t i,
		   size_t j);

#endif

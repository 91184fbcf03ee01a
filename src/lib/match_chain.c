/*
 * match_chain.c: moves of two households, the last step of optimal mode's
 * repair after the trades of match_swap.c. Household i would score more
 * at unit v, but v is full in some dimension; one of v's households, k,
 * can go to a unit w with room (its exit) at a loss smaller than i's gain:
 * k goes to w, i to v. Every move is checked against every limit with the
 * loads of the moment (capacities, maxima, the minima of the units left),
 * so the assignment stays feasible and the objective rises with each.
 *
 * A sweep (one a call; hf__match_polish repeats them) computes every
 * household's exit (its best other unit with room) once and sorts each
 * unit's households by the loss of their exit; for a unit v, the first
 * of them that makes room for i is then the best k. Exits go stale as
 * loads change; a stale one is skipped, not trusted.
 */
#include <math.h>
#include <stdlib.h>

#include "match_int.h"

#define CHAIN_UNITS 8 /* units a household looks at: its best gains */

typedef struct chn {
	const hf_match_instance *in;
	const hf__match_allow *a;
	int64_t *unit, *load;
	long *exit;   /* [n] best unit with room for the household, or -1 */
	double *loss; /* [n] its score where it is less at its exit */
	size_t *ord, *start; /* households by unit, by loss; [m + 1] */
} chn;

static double sc(const chn *C, size_t i, int64_t j)
{
	return hf_match_score(&C->in->scores, i, (size_t)j);
}

/* Unit u may lose household i and take household k (k < 0: none). */
static int trade_ok(const chn *C, int64_t u, long i, long k)
{
	const hf_match_instance *in = C->in;
	const int64_t *l = C->load + (size_t)u * in->ndims;
	size_t d;
	int64_t p = l[0];
	if (i >= 0)
		p -= in->hh[i].persons;
	if (k >= 0)
		p += in->hh[k].persons;
	if (p < in->units[u].min || p > in->units[u].max)
		return 0;
	for (d = 0; d < in->ndims; d++) {
		int64_t x = l[d];
		if (i >= 0)
			x -= in->hh[i].use[d];
		if (k >= 0)
			x += in->hh[k].use[d];
		if (x > in->units[u].cap[d])
			return 0;
	}
	return 1;
}

static void move(chn *C, size_t i, int64_t to)
{
	const hf_match_instance *in = C->in;
	size_t d;
	for (d = 0; d < in->ndims; d++) {
		C->load[(size_t)C->unit[i] * in->ndims + d] -= in->hh[i].use[d];
		C->load[(size_t)to * in->ndims + d] += in->hh[i].use[d];
	}
	C->unit[i] = to;
}

static _Thread_local const chn *cur;

static int by_unit_loss(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	if (cur->unit[a] != cur->unit[b])
		return cur->unit[a] < cur->unit[b] ? -1 : 1;
	if (cur->loss[a] != cur->loss[b])
		return cur->loss[a] < cur->loss[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Every household's exit, and the order by unit and loss. */
static void exits(chn *C)
{
	const hf_match_instance *in = C->in;
	size_t i, j, c = 0;
	for (i = 0; i < in->n; i++) {
		int64_t u = C->unit[i];
		double bv = -INFINITY;
		C->exit[i] = -1;
		C->loss[i] = INFINITY;
		if (u < 0)
			continue;
		C->exit[i] =
		    hf__match_best_fit(in, C->a, C->load, i, (size_t)u, &bv);
		if (C->exit[i] >= 0)
			C->loss[i] = sc(C, i, u) - bv;
	}
	for (i = 0; i < in->n; i++)
		if (C->unit[i] >= 0 && C->exit[i] >= 0)
			C->ord[c++] = i;
	cur = C;
	qsort(C->ord, c, sizeof *C->ord, by_unit_loss);
	cur = NULL;
	for (j = 0; j <= in->m; j++)
		C->start[j] = 0;
	for (i = 0; i < c; i++)
		C->start[C->unit[C->ord[i]] + 1]++;
	for (j = 0; j < in->m; j++)
		C->start[j + 1] += C->start[j];
}

/* The best move of household i with a household of unit v leaving for
 * its exit; its gain, or -inf; the household in *kk. ul: whether i's unit
 * may lose i with no one coming in (else only a k whose exit is i's unit
 * can make room; a national run's polish tried some ten million k and
 * found a few hundred, most failing at this). */
static double with_exit(const chn *C, size_t i, int64_t v, double g, int ul,
			long *kk)
{
	size_t c;
	int64_t u = C->unit[i];
	for (c = C->start[v]; c < C->start[v + 1]; c++) {
		size_t k = C->ord[c];
		long w = C->exit[k];
		if (g - C->loss[k] <= 1e-12)
			break; /* sorted: the rest lose more */
		if (C->unit[k] != v || w < 0 || (int64_t)w == v ||
		    (!ul && (int64_t)w != u))
			continue;
		/* v: k out, i in; u: i out (and k in when w is u); w: k in */
		if (!trade_ok(C, v, (long)k, (long)i))
			continue;
		if ((int64_t)w == u ? !trade_ok(C, u, (long)i, (long)k)
				    : !trade_ok(C, w, -1, (long)k))
			continue;
		/* the exit's loss may be stale: the scores decide */
		if (sc(C, k, w) - sc(C, k, v) + g <= 1e-12)
			continue;
		*kk = (long)k;
		return g + sc(C, k, w) - sc(C, k, v);
	}
	return -INFINITY;
}

static size_t sweep(chn *C, hf_match_why *why)
{
	const hf_match_instance *in = C->in;
	size_t i, j, j0, g, made = 0;
	uint32_t b;
	exits(C);
	for (i = 0; i < in->n; i++) {
		const uint64_t *row = hf__match_row(C->a, i);
		int64_t u = C->unit[i], bv = -1;
		double gv[CHAIN_UNITS], here, best = 1e-12;
		size_t gu[CHAIN_UNITS], ng = 0;
		long bk = -1;
		int ul;
		if (u < 0)
			continue;
		here = sc(C, i, u);
		/* the units that score more than here (x > 0) */
		for (j0 = 0; j0 < in->m; j0 += 32)
			for (b = hf__match_above(&in->scores, i, j0,
						 HF_MATCH_SPAN(in->m, j0),
						 here);
			     b; b &= b - 1) {
				double x;
				j = j0 + (size_t)__builtin_ctz(b);
				if ((int64_t)j == u || !hf__match_ok(row, j))
					continue;
				x = sc(C, i, (int64_t)j) - here;
				if (x <= 0 ||
				    (ng == CHAIN_UNITS && x <= gv[ng - 1]))
					continue;
				for (g = ng < CHAIN_UNITS ? ng++ : ng - 1;
				     g > 0 && gv[g - 1] < x; g--) {
					gv[g] = gv[g - 1];
					gu[g] = gu[g - 1];
				}
				gv[g] = x;
				gu[g] = j;
			}
		ul = trade_ok(C, u, (long)i, -1);
		for (g = 0; g < ng; g++) {
			long k = -1;
			double x;
			if (gv[g] <= best)
				break;
			x = ul && trade_ok(C, (int64_t)gu[g], -1, (long)i)
				? gv[g]
				: with_exit(C, i, (int64_t)gu[g], gv[g], ul,
					    &k);
			if (x > best) {
				best = x;
				bv = (int64_t)gu[g];
				bk = k;
			}
		}
		if (bv < 0)
			continue;
		if (bk >= 0) {
			move(C, (size_t)bk, C->exit[bk]);
			why[bk] = HF_MATCH_WHY_REPAIR;
		}
		move(C, i, bv);
		why[i] = HF_MATCH_WHY_REPAIR;
		made++;
	}
	return made;
}

_Thread_local size_t hf__match_chain_passes;

size_t hf__match_chains(const hf_match_instance *in, const hf__match_allow *a,
			int64_t *unit, hf_match_why *why, int64_t *load)
{
	chn C = {in, a, unit, load, NULL, NULL, NULL, NULL};
	size_t made = 0;
	hf__match_chain_passes++;
	C.exit = malloc((in->n + 1) * sizeof *C.exit);
	C.loss = malloc((in->n + 1) * sizeof *C.loss);
	C.ord = malloc((in->n + 1) * sizeof *C.ord);
	C.start = malloc((in->m + 2) * sizeof *C.start);
	if (C.exit && C.loss && C.ord && C.start)
		made = sweep(&C, why);
	free(C.exit);
	free(C.loss);
	free(C.ord);
	free(C.start);
	return made;
}

/*
 * match_swap.c: the last step of optimal mode's repair. Two households
 * that use the same (persons, school places, flats, ...) can trade units
 * without changing any unit's load, so every capacity, corridor and
 * dimension stays as it was; a trade is made where both are admissible at
 * the other's unit and the scores rise. The repair fills units in an
 * order that does not look at such pairs; this finds the trades it left.
 *
 * The gain of a trade of i (at u) and k (at v) is (s_iv − s_iu) +
 * (s_ku − s_kv): one term per household. So per kind of use the best
 * trade between u and v joins the household of u that gains most by going
 * to v with the household of v that gains most by going to u, and one
 * pass over the rows of that kind finds the best of every pair of units.
 * The trades found are made best first, each household at most once a
 * sweep; sweeps repeat until none is left (or SWEEPS).
 */
#include <math.h>
#include <stdlib.h>

#include "match_int.h"

#define SWEEPS 8

typedef struct best {
	double gain;
	int64_t h; /* household, -1 none */
} best;

typedef struct trade {
	double gain;
	size_t u, v;
} trade;

static int by_gain(const void *x, const void *y)
{
	const trade *a = x, *b = y;
	if (a->gain != b->gain)
		return a->gain > b->gain ? -1 : 1;
	if (a->u != b->u)
		return a->u < b->u ? -1 : 1;
	return a->v < b->v ? -1 : a->v > b->v;
}

/* qsort has no context argument: the instance of the sort at hand */
static _Thread_local const hf_match_instance *cur;

static int use_cmp(const hf_match_instance *in, size_t a, size_t b)
{
	size_t d;
	for (d = 0; d < in->ndims; d++)
		if (in->hh[a].use[d] != in->hh[b].use[d])
			return in->hh[a].use[d] < in->hh[b].use[d] ? -1 : 1;
	return 0;
}

static int by_use(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = use_cmp(cur, a, b);
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

/* One sweep over the households of one kind (hs, nh): the best trade of
 * every pair of units, made best first. Returns the trades made. */
static size_t sweep(const hf_match_instance *in, const hf__match_allow *a,
		    const size_t *hs, size_t nh, int64_t *unit,
		    hf_match_why *why, best *tab, size_t *touched, trade *tr,
		    char *moved)
{
	size_t m = in->m, x, j, nt = 0, nr = 0, made = 0;
	for (x = 0; x < nh; x++) {
		size_t i = hs[x];
		const uint64_t *row = hf__match_row(a, i);
		int64_t u = unit[i];
		double here;
		if (u < 0)
			continue;
		here = hf_match_score(&in->scores, i, (size_t)u);
		for (j = 0; j < m; j++) {
			best *b = &tab[(size_t)u * m + j];
			double g;
			if ((int64_t)j == u || !hf__match_ok(row, j))
				continue;
			g = hf_match_score(&in->scores, i, j) - here;
			if (b->h < 0) {
				touched[nt++] = (size_t)u * m + j;
				*b = (best){g, (int64_t)i};
			} else if (g > b->gain) {
				*b = (best){g, (int64_t)i};
			}
		}
	}
	for (x = 0; x < nt; x++) {
		size_t u = touched[x] / m, v = touched[x] % m;
		const best *p = &tab[u * m + v], *q = &tab[v * m + u];
		if (u < v && q->h >= 0 && p->gain + q->gain > 1e-12)
			tr[nr++] = (trade){p->gain + q->gain, u, v};
	}
	qsort(tr, nr, sizeof *tr, by_gain);
	for (x = 0; x < nr; x++) {
		size_t i = (size_t)tab[tr[x].u * m + tr[x].v].h;
		size_t k = (size_t)tab[tr[x].v * m + tr[x].u].h;
		if (moved[i] || moved[k])
			continue;
		unit[i] = (int64_t)tr[x].v;
		unit[k] = (int64_t)tr[x].u;
		why[i] = why[k] = HF_MATCH_WHY_REPAIR;
		moved[i] = moved[k] = 1;
		made++;
	}
	for (x = 0; x < nr; x++) {
		moved[tab[tr[x].u * m + tr[x].v].h] = 0;
		moved[tab[tr[x].v * m + tr[x].u].h] = 0;
	}
	for (x = 0; x < nt; x++)
		tab[touched[x]].h = -1;
	return made;
}

size_t hf__match_swaps(const hf_match_instance *in, const hf__match_allow *a,
		       int64_t *unit, hf_match_why *why)
{
	size_t n = in->n, m = in->m, i, c, e, s, made = 0;
	size_t *ord = malloc((n + 1) * sizeof *ord);
	best *tab = malloc((m * m + 1) * sizeof *tab);
	size_t *touched = malloc((m * m + 1) * sizeof *touched);
	trade *tr = malloc((m * m / 2 + 1) * sizeof *tr);
	char *moved = calloc(n + 1, 1);

	if (!ord || !tab || !touched || !tr || !moved)
		goto out;
	for (c = 0; c < m * m; c++)
		tab[c].h = -1;
	for (i = 0; i < n; i++)
		ord[i] = i;
	cur = in;
	qsort(ord, n, sizeof *ord, by_use);
	cur = NULL;
	/* each kind of use, households in file order within it */
	for (c = 0; c < n; c = e) {
		for (e = c + 1; e < n && !use_cmp(in, ord[c], ord[e]); e++)
			;
		for (s = 0; e - c > 1 && s < SWEEPS; s++) {
			size_t k = sweep(in, a, ord + c, e - c, unit, why, tab,
					 touched, tr, moved);
			made += k;
			if (!k)
				break;
		}
	}
out:
	free(ord);
	free(tab);
	free(touched);
	free(tr);
	free(moved);
	return made;
}

/*
 * match_stable.c: deferred acceptance, households proposing, with
 * capacities in several dimensions. A unit keeps its holders sorted by its
 * priority and holds, in that order, every household that still fits in
 * all dimensions and its max, skipping one that does not (Delacrétaz,
 * Kominers and Teytelboym); the rest are rejected and propose further.
 * Proposals go one at a time from a first-in-first-out queue in index
 * order, so the result is deterministic. Blocking pairs are counted
 * afterwards by an independent check.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

typedef struct st {
	const hf_match_instance *in;
	const hf__match_allow *a;
	int32_t **prank; /* [m] rank in the unit's list, or NULL */
	size_t **held;	 /* [m] holders sorted by priority */
	size_t *nheld, *capheld;
	size_t *nprop; /* [n] proposals made */
	int64_t *last; /* [n] last unit proposed in score order, or -1 */
	int64_t *load; /* m × ndims */
} st;

static int tied(const hf_match_household *h, size_t j)
{
	size_t t;
	for (t = 0; t < h->nties; t++)
		if (h->ties[t] == j)
			return 1;
	return 0;
}

/* Whether unit j ranks household x above y. */
static int above(const st *S, size_t j, size_t x, size_t y)
{
	const hf_match_instance *in = S->in;
	double sx, sy;
	if (S->prank[j]) {
		int32_t rx = S->prank[j][x], ry = S->prank[j][y];
		if (rx != ry)
			return rx >= 0 && (ry < 0 || rx < ry);
	}
	if (tied(&in->hh[x], j) != tied(&in->hh[y], j))
		return tied(&in->hh[x], j);
	sx = hf_match_score(&in->scores, x, j);
	sy = hf_match_score(&in->scores, y, j);
	if (sx != sy)
		return sx > sy;
	return x < y;
}

static int in_prefs(const hf_match_household *h, size_t j)
{
	size_t t;
	for (t = 0; t < h->nprefs; t++)
		if (h->prefs[t] == j)
			return (int)t;
	return -1;
}

/* Whether household i prefers unit x to unit y (y = -1: unassigned). */
static int prefers(const st *S, size_t i, size_t x, int64_t y)
{
	const hf_match_household *h = &S->in->hh[i];
	int px, py;
	double sx, sy;
	if (y < 0)
		return 1;
	px = in_prefs(h, x);
	py = in_prefs(h, (size_t)y);
	if (px >= 0 || py >= 0)
		return px >= 0 && (py < 0 || px < py);
	sx = hf_match_score(&S->in->scores, i, x);
	sy = hf_match_score(&S->in->scores, i, (size_t)y);
	return sx > sy || (sx == sy && x < (size_t)y);
}

static int admissible(const st *S, size_t i, size_t j)
{
	const hf_match_instance *in = S->in;
	size_t d;
	if (!hf__match_ok(hf__match_row(S->a, i), j) ||
	    in->hh[i].persons > in->units[j].max)
		return 0;
	for (d = 0; d < in->ndims; d++)
		if (in->hh[i].use[d] > in->units[j].cap[d])
			return 0;
	return 1;
}

/* The next unit household i proposes to, or -1. */
static long next_unit(st *S, size_t i)
{
	const hf_match_household *h = &S->in->hh[i];
	size_t j;
	long best = -1;
	while (S->nprop[i] < h->nprefs) {
		size_t u = h->prefs[S->nprop[i]++];
		if (in_prefs(h, u) == (int)S->nprop[i] - 1 &&
		    admissible(S, i, u))
			return (long)u;
	}
	for (j = 0; j < S->in->m; j++) {
		if (in_prefs(h, j) >= 0 || !admissible(S, i, j))
			continue;
		if (S->last[i] >= 0 &&
		    !prefers(S, i, (size_t)S->last[i], (int64_t)j))
			continue; /* j is not after the last one */
		if (best < 0 || prefers(S, i, j, best))
			best = (long)j;
	}
	if (best >= 0) {
		S->last[i] = best;
		S->nprop[i]++;
	}
	return best;
}

static int fits(const st *S, const int64_t *l, size_t i, size_t j)
{
	const hf_match_instance *in = S->in;
	size_t d;
	if (l[0] + in->hh[i].persons > in->units[j].max)
		return 0;
	for (d = 0; d < in->ndims; d++)
		if (l[d] + in->hh[i].use[d] > in->units[j].cap[d])
			return 0;
	return 1;
}

static void add(const hf_match_instance *in, int64_t *l, size_t i, int sign)
{
	size_t d;
	for (d = 0; d < in->ndims; d++)
		l[d] += sign * in->hh[i].use[d];
}

/* Unit j considers household i with its holders; the rejected go to q. */
static int consider(st *S, size_t j, size_t i, size_t *q, size_t *qn,
		    hf_match_result *r)
{
	const hf_match_instance *in = S->in;
	int64_t *l = S->load + j * in->ndims;
	size_t k, pos, keep = 0;
	if (S->nheld[j] == S->capheld[j]) {
		size_t nc = S->capheld[j] ? 2 * S->capheld[j] : 4;
		size_t *nh = realloc(S->held[j], nc * sizeof *nh);
		if (!nh)
			return HF_ENOMEM;
		S->held[j] = nh;
		S->capheld[j] = nc;
	}
	for (pos = 0; pos < S->nheld[j] && above(S, j, S->held[j][pos], i);
	     pos++)
		;
	memmove(S->held[j] + pos + 1, S->held[j] + pos,
		(S->nheld[j] - pos) * sizeof **S->held);
	S->held[j][pos] = i;
	S->nheld[j]++;
	memset(l, 0, in->ndims * sizeof *l);
	for (k = 0; k < S->nheld[j]; k++) {
		size_t h = S->held[j][k];
		if (fits(S, l, h, j)) {
			add(in, l, h, 1);
			S->held[j][keep++] = h;
			r->unit[h] = (int64_t)j;
		} else {
			r->unit[h] = -1;
			q[(*qn)++] = h;
		}
	}
	S->nheld[j] = keep;
	return HF_OK;
}

/* Blocking pairs: i prefers j, and j would take i after only its holders
 * of higher priority. Holders are kept in priority order, so those above
 * i are a prefix, found by bisection; prefix sums give their use. */
static size_t blocking(const st *S, const hf_match_result *r)
{
	const hf_match_instance *in = S->in;
	size_t nd = in->ndims, i, j, k, d, count = 0, total = 0;
	size_t *base = malloc((in->m + 1) * sizeof *base);
	int64_t *pre;
	if (!base)
		return 0;
	for (j = 0; j < in->m; j++) {
		base[j] = total;
		total += (S->nheld[j] + 1) * nd;
	}
	if (!(pre = calloc(total + 1, sizeof *pre))) {
		free(base);
		return 0;
	}
	for (j = 0; j < in->m; j++)
		for (k = 0; k < S->nheld[j]; k++)
			for (d = 0; d < nd; d++)
				pre[base[j] + (k + 1) * nd + d] =
				    pre[base[j] + k * nd + d] +
				    in->hh[S->held[j][k]].use[d];
	for (i = 0; i < in->n; i++)
		for (j = 0; j < in->m; j++) {
			size_t lo = 0, hi;
			if ((int64_t)j == r->unit[i] || !admissible(S, i, j) ||
			    !prefers(S, i, j, r->unit[i]))
				continue;
			hi = S->nheld[j];
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (above(S, j, S->held[j][mid], i))
					lo = mid + 1;
				else
					hi = mid;
			}
			if (fits(S, pre + base[j] + lo * nd, i, j))
				count++;
		}
	free(pre);
	free(base);
	return count;
}

int hf__match_stable(const hf_match_instance *in, const hf__match_allow *a,
		     hf_match_result *r, hf_error *err)
{
	st S;
	size_t *q = malloc((in->n + 1) * sizeof *q), qn = 0, i, j, k;
	int rc = HF_OK;

	memset(&S, 0, sizeof S);
	S.in = in;
	S.a = a;
	S.prank = calloc(in->m + 1, sizeof *S.prank);
	S.held = calloc(in->m + 1, sizeof *S.held);
	S.nheld = calloc(in->m + 1, sizeof *S.nheld);
	S.capheld = calloc(in->m + 1, sizeof *S.capheld);
	S.nprop = calloc(in->n + 1, sizeof *S.nprop);
	S.last = malloc((in->n + 1) * sizeof *S.last);
	S.load = calloc(in->m * in->ndims + 1, sizeof *S.load);
	if (!q || !S.prank || !S.held || !S.nheld || !S.capheld || !S.nprop ||
	    !S.last || !S.load)
		goto oom;
	for (j = 0; j < in->m; j++) {
		if (!in->units[j].npriority)
			continue;
		if (!(S.prank[j] = malloc(in->n * sizeof **S.prank)))
			goto oom;
		for (i = 0; i < in->n; i++)
			S.prank[j][i] = -1;
		for (k = in->units[j].npriority; k-- > 0;)
			S.prank[j][in->units[j].priority[k]] = (int32_t)k;
	}
	for (i = 0; i < in->n; i++) {
		S.last[i] = -1;
		q[qn++] = in->n - 1 - i; /* popped from the end: index order */
	}
	while (qn) {
		long u;
		i = q[--qn];
		if ((u = next_unit(&S, i)) < 0)
			continue; /* every acceptable unit refused: unassigned
				   */
		if ((rc = consider(&S, (size_t)u, i, q, &qn, r)) < 0)
			goto oom;
	}
	hf__match_result_finish(in, a, r, 1);
	for (i = 0; i < in->n; i++) {
		if (r->unit[i] < 0)
			continue;
		r->why[i] = HF_MATCH_WHY_PREFERENCE;
		r->rank[i] = 1;
		for (j = 0; j < in->m; j++)
			if ((int64_t)j != r->unit[i] && admissible(&S, i, j) &&
			    prefers(&S, i, j, r->unit[i]))
				r->rank[i]++;
	}
	r->blocking = blocking(&S, r);
	goto out;
oom:
	rc = hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			  "Out of memory.");
out:
	if (S.prank)
		for (j = 0; j < in->m; j++)
			free(S.prank[j]);
	if (S.held)
		for (j = 0; j < in->m; j++)
			free(S.held[j]);
	free(S.prank);
	free(S.held);
	free(S.nheld);
	free(S.capheld);
	free(S.nprop);
	free(S.last);
	free(S.load);
	free(q);
	return rc;
}

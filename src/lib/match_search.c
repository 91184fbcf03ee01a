/*
 * match_search.c: the exhaustive search of small instances. A depth-first
 * branch and bound over the households, those with most persons first
 * (they have fewest places), each at its admissible units in the order of
 * its scores, or unassigned where that is allowed. A branch is cut when
 * the scores still possible (each remaining household at its best unit,
 * capacities ignored) cannot beat the best assignment known, when the
 * households still to place cannot lift a unit below its minimum to it,
 * or do not fit into the places left in some dimension (all units
 * together). It counts the placements it tries and stops at a budget, so the
 * same instance always takes the same path; when it ends before, what it
 * holds is optimal, and when it found nothing, there is nothing to find.
 *
 * The Lagrangian solve of match_opt.c leaves a gap on small instances
 * (whole households are coarse against few units) and its repair can miss
 * the one packing a tight instance has; a Kreis placing twelve households
 * in four municipalities should get the optimum, proven, or the proof
 * that the constraints cannot be met.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

typedef struct srch {
	const hf_match_instance *in;
	size_t n, m, nd, w; /* w: candidates per household (m + 1) */
	size_t *order;	    /* households, most persons first */
	int32_t *cand;	    /* [n × w] units by score, -1 unassigned */
	size_t *ncand;	    /* [n] */
	double *suffix;	    /* [n + 1] best scores of order[k..] */
	int64_t *persons;   /* [n + 1] persons of order[k..] */
	int64_t *load;	    /* [m × nd] */
	int32_t *at;	    /* [n] by depth: the unit placed, or -1 */
	size_t *pos;	    /* [n] by depth: the candidate tried */
	int64_t *need;	    /* [(n + 1) × nd] use of order[k..], placed */
	int64_t *room;	    /* [nd] free places of all units together */
	int64_t *avail;	    /* [(n + 1) × m] persons of order[k..] unit
			       j may take */
	int64_t deficit;    /* persons the units below minimum lack */
} srch;

/* The persons unit j lacks to its minimum at load l. */
static int64_t lack(const srch *S, size_t j, int64_t l)
{
	int64_t mn = S->in->units[j].min;
	return l < mn ? mn - l : 0;
}

static void place(srch *S, size_t i, size_t j, int sign)
{
	const int64_t *u = S->in->hh[i].use;
	int64_t *l = S->load + j * S->nd;
	size_t d;
	S->deficit -= lack(S, j, l[0]);
	for (d = 0; d < S->nd; d++) {
		l[d] += sign * u[d];
		S->room[d] -= sign * u[d];
	}
	S->deficit += lack(S, j, l[0]);
}

/* Whether the households from depth k on can still complete an
 * assignment: those that must be placed fit into the places left,
 * dimension by dimension, all units together, and every unit below its
 * minimum can reach it with those it may take. */
static int can_finish(const srch *S, size_t k)
{
	const int64_t *need = S->need + k * S->nd;
	const int64_t *avail = S->avail + k * S->m;
	size_t d, j;
	if (S->deficit > S->persons[k])
		return 0;
	for (d = 0; d < S->nd; d++)
		if (need[d] > S->room[d])
			return 0;
	for (j = 0; S->deficit && j < S->m; j++)
		if (lack(S, j, S->load[j * S->nd]) > avail[j])
			return 0;
	return 1;
}

static double value(const hf_match_instance *in, size_t i, int32_t j)
{
	return j < 0 ? -in->penalty : hf_match_score(&in->scores, i, (size_t)j);
}

/* Fills the candidates of household i: admissible units it fits into
 * when they are empty, and unassigned where allowed, best first. */
static size_t candidates(const hf_match_instance *in, const hf__match_allow *a,
			 size_t i, int32_t *c)
{
	const uint64_t *row = hf__match_row(a, i);
	size_t j, d, k, nc = 0;
	for (j = 0; j <= in->m; j++) {
		int32_t u = j < in->m ? (int32_t)j : -1;
		int ok;
		double v;
		if (u < 0)
			ok = in->allow_unassigned;
		else {
			ok = hf__match_ok(row, j) &&
			     in->hh[i].persons <= in->units[j].max;
			for (d = 0; ok && d < in->ndims; d++)
				ok = in->hh[i].use[d] <= in->units[j].cap[d];
		}
		if (!ok)
			continue;
		/* insertion by value, ties by unit (unassigned last) */
		v = value(in, i, u);
		for (k = nc; k > 0 && value(in, i, c[k - 1]) < v; k--)
			c[k] = c[k - 1];
		c[k] = u;
		nc++;
	}
	return nc;
}

static void srch_free(srch *S)
{
	free(S->order);
	free(S->cand);
	free(S->ncand);
	free(S->suffix);
	free(S->persons);
	free(S->load);
	free(S->at);
	free(S->pos);
	free(S->need);
	free(S->room);
	free(S->avail);
}

int hf__match_search(const hf_match_instance *in, const hf__match_allow *a,
		     int64_t *unit, double *objective, unsigned long budget,
		     int *complete)
{
	srch S;
	size_t n = in->n, k, i, j, d;
	double cur = 0, best = *objective;
	double tol = 1e-9 * fmax(1, fabs(best));
	unsigned long nodes = 0;
	int found = 0;

	memset(&S, 0, sizeof S);
	*complete = 0;
	S.in = in;
	S.n = n;
	S.m = in->m;
	S.nd = in->ndims;
	S.w = in->m + 1;
	S.order = malloc((n + 1) * sizeof *S.order);
	S.cand = malloc((n * S.w + 1) * sizeof *S.cand);
	S.ncand = malloc((n + 1) * sizeof *S.ncand);
	S.suffix = malloc((n + 1) * sizeof *S.suffix);
	S.persons = malloc((n + 1) * sizeof *S.persons);
	S.load = calloc(S.m * S.nd + 1, sizeof *S.load);
	S.at = malloc((n + 1) * sizeof *S.at);
	S.pos = malloc((n + 1) * sizeof *S.pos);
	S.need = calloc((n + 1) * S.nd, sizeof *S.need);
	S.room = calloc(S.nd + 1, sizeof *S.room);
	S.avail = calloc((n + 1) * S.m + 1, sizeof *S.avail);
	if (!S.order || !S.cand || !S.ncand || !S.suffix || !S.persons ||
	    !S.load || !S.at || !S.pos || !S.need || !S.room || !S.avail) {
		srch_free(&S);
		return HF_ENOMEM;
	}
	{
		hf__match_job *hs = malloc((n + 1) * sizeof *hs);
		if (!hs) {
			srch_free(&S);
			return HF_ENOMEM;
		}
		for (i = 0; i < n; i++)
			hs[i] = (hf__match_job){in->hh[i].persons, i};
		qsort(hs, n, sizeof *hs, hf__match_by_size);
		for (i = 0; i < n; i++)
			S.order[i] = hs[i].i;
		free(hs);
	}
	for (k = 0; k < n; k++)
		S.ncand[k] = candidates(in, a, S.order[k], S.cand + k * S.w);
	S.suffix[n] = 0;
	S.persons[n] = 0;
	for (k = n; k-- > 0;) {
		i = S.order[k];
		S.suffix[k] =
		    S.suffix[k + 1] +
		    (S.ncand[k] ? value(in, i, S.cand[k * S.w]) : -INFINITY);
		S.persons[k] = S.persons[k + 1] + in->hh[i].persons;
		for (d = 0; d < S.nd; d++)
			S.need[k * S.nd + d] =
			    S.need[(k + 1) * S.nd + d] +
			    (in->allow_unassigned ? 0 : in->hh[i].use[d]);
		memcpy(S.avail + k * S.m, S.avail + (k + 1) * S.m,
		       S.m * sizeof *S.avail);
		for (j = 0; j < S.ncand[k]; j++)
			if (S.cand[k * S.w + j] >= 0)
				S.avail[k * S.m +
					(size_t)S.cand[k * S.w + j]] +=
				    in->hh[i].persons;
	}
	for (j = 0; j < S.m; j++) {
		const hf_match_unit *u = &in->units[j];
		S.deficit += lack(&S, j, 0);
		S.room[0] += u->max < u->cap[0] ? u->max : u->cap[0];
		for (d = 1; d < S.nd; d++)
			S.room[d] += u->cap[d];
	}
	/* an incumbent is kept unless beaten by more than tol */
	if (*objective == -INFINITY)
		tol = 0;

	k = 0;
	S.pos[0] = (size_t)-1;
	for (;;) {
		int32_t u;
		if (k == n) {
			/* a whole assignment: the minima are met (the
			 * deficit prune lets no other reach here) */
			if (S.deficit == 0 && cur > best + tol) {
				size_t x;
				best = cur;
				found = 1;
				for (x = 0; x < n; x++)
					unit[S.order[x]] = S.at[x];
				tol = 1e-9 * fmax(1, fabs(best));
			}
			goto back;
		}
		if (++S.pos[k] >= S.ncand[k])
			goto back;
		u = S.cand[k * S.w + S.pos[k]];
		i = S.order[k];
		/* candidates are best first: once this one cannot beat the
		 * best, no later one can */
		if (best > -INFINITY &&
		    cur + value(in, i, u) + S.suffix[k + 1] <= best + tol)
			goto back;
		if (u >= 0 && !hf__match_fits(in, S.load, i, (size_t)u))
			continue;
		if (++nodes > budget) {
			srch_free(&S);
			*objective = best;
			return found;
		}
		S.at[k] = u;
		if (u >= 0)
			place(&S, i, (size_t)u, 1);
		cur += value(in, i, u);
		if (!can_finish(&S, k + 1)) {
			cur -= value(in, i, u);
			if (u >= 0)
				place(&S, i, (size_t)u, -1);
			continue;
		}
		k++;
		S.pos[k] = (size_t)-1;
		continue;
	back:
		if (k == 0)
			break;
		k--;
		i = S.order[k];
		cur -= value(in, i, S.at[k]);
		if (S.at[k] >= 0)
			place(&S, i, (size_t)S.at[k], -1);
	}
	srch_free(&S);
	*complete = 1;
	*objective = best;
	return found;
}

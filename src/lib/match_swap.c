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
 *
 * Trades of two miss turns of three and more; hf__match_kinds finds the
 * best order of a whole kind on its places, a transportation problem per
 * kind, which optimal mode solves (to a gap of 1e-9; 1e-6 above
 * KIND_LARGE households). On a national instance it halves the gap the
 * trades left (0.0096 % to 0.0048 %).
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

#define SWEEPS 8
#define KIND_LARGE 1000 /* households of a kind solved to a gap of 1e-6 */

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

/* A household's use and index as one pair of numbers, where it has at
 * most four dimensions of 16 bits: their order is that of by_use, on
 * values in the array rather than behind two pointers a comparison (a
 * national run's last step sorted its 150,000 households in 0.045-0.064 s
 * before, 0.014-0.020 s so; traced, three runs each). */
typedef struct keyed {
	uint64_t key;
	size_t i;
} keyed;

static int by_key(const void *x, const void *y)
{
	const keyed *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static int packed(const hf_match_instance *in, keyed *k)
{
	size_t i, d;
	for (i = 0; i < in->n; i++) {
		uint64_t x = 0;
		for (d = 0; d < in->ndims; d++) {
			int64_t u = in->hh[i].use[d];
			if (u < 0 || u > 0xffff)
				return 0;
			x = x << 16 | (uint64_t)u;
		}
		k[i] = (keyed){x, i};
	}
	return 1;
}

/* The households in order of their kind of use, in file order within a
 * kind; NULL when out of memory. */
static size_t *kinds_order(const hf_match_instance *in)
{
	size_t i, *ord = malloc((in->n + 1) * sizeof *ord);
	keyed *k = in->ndims <= 4 ? malloc((in->n + 1) * sizeof *k) : NULL;
	if (!ord) {
		free(k);
		return NULL;
	}
	if (k && packed(in, k)) {
		qsort(k, in->n, sizeof *k, by_key);
		for (i = 0; i < in->n; i++)
			ord[i] = k[i].i;
		free(k);
		return ord;
	}
	free(k);
	for (i = 0; i < in->n; i++)
		ord[i] = i;
	cur = in;
	qsort(ord, in->n, sizeof *ord, by_use);
	cur = NULL;
	return ord;
}

/* The tables of a sweep: for units u and v, the household of u that
 * gains most by going to v (who[u × m + v], −1 none) and its gain
 * (gain[u × m + v]), the first of equal gains; row u holds something only
 * where some household is at u (used[u]). A household's row of gains is
 * one loop without branches over its scores (hf__match_values). */
typedef struct tables {
	double *gain, *row, *zero;
	int64_t *who;
	char *used;
	size_t *rows, nrows;
	int avx2;
} tables;

/* One sweep over the households of one kind (hs, nh): the best trade of
 * every pair of units, made best first. Returns the trades made. */
static size_t sweep(const hf_match_instance *in, const hf__match_allow *a,
		    const size_t *hs, size_t nh, int64_t *unit,
		    hf_match_why *why, tables *tb, trade *tr, char *moved)
{
	size_t m = in->m, x, y, j, nr = 0, made = 0;
	for (x = 0; x < nh; x++) {
		size_t i = hs[x];
		int64_t u = unit[i];
		double here, *restrict g, *restrict t = tb->row;
		int64_t *restrict w;
		if (u < 0)
			continue;
		if (!tb->used[u]) {
			tb->used[u] = 1;
			tb->rows[tb->nrows++] = (size_t)u;
		}
		here = hf_match_score(&in->scores, i, (size_t)u);
		/* t[j]: the score at j, −inf where j lacks i's needs */
		hf__match_values(in, a, i, 1, tb->zero, NULL, tb->avx2, t);
		t[u] = -INFINITY;
		g = tb->gain + (size_t)u * m;
		w = tb->who + (size_t)u * m;
		for (j = 0; j < m; j++) {
			double d = t[j] - here;
			int better = d > g[j];
			g[j] = better ? d : g[j];
			w[j] = better ? (int64_t)i : w[j];
		}
	}
	for (x = 0; x < tb->nrows; x++) {
		size_t u = tb->rows[x];
		for (j = u + 1; j < m; j++) {
			size_t p = u * m + j, q = j * m + u;
			if (tb->who[p] >= 0 && tb->who[q] >= 0 &&
			    tb->gain[p] + tb->gain[q] > 1e-12)
				tr[nr++] =
				    (trade){tb->gain[p] + tb->gain[q], u, j};
		}
	}
	qsort(tr, nr, sizeof *tr, by_gain);
	for (x = 0; x < nr; x++) {
		size_t i = (size_t)tb->who[tr[x].u * m + tr[x].v];
		size_t k = (size_t)tb->who[tr[x].v * m + tr[x].u];
		if (moved[i] || moved[k])
			continue;
		unit[i] = (int64_t)tr[x].v;
		unit[k] = (int64_t)tr[x].u;
		why[i] = why[k] = HF_MATCH_WHY_REPAIR;
		moved[i] = moved[k] = 1;
		made++;
	}
	for (x = 0; x < nr; x++) {
		moved[tb->who[tr[x].u * m + tr[x].v]] = 0;
		moved[tb->who[tr[x].v * m + tr[x].u]] = 0;
	}
	for (x = 0; x < tb->nrows; x++) {
		size_t u = tb->rows[x];
		for (y = 0; y < m; y++) {
			tb->gain[u * m + y] = -INFINITY;
			tb->who[u * m + y] = -1;
		}
		tb->used[u] = 0;
	}
	tb->nrows = 0;
	return made;
}

size_t hf__match_swaps(const hf_match_instance *in, const hf__match_allow *a,
		       int64_t *unit, hf_match_why *why)
{
	size_t n = in->n, m = in->m, c, e, s, made = 0;
	size_t *ord = kinds_order(in);
	tables tb;
	trade *tr = malloc((m * m / 2 + 1) * sizeof *tr);
	char *moved = calloc(n + 1, 1);

	tb.gain = malloc((m * m + 1) * sizeof *tb.gain);
	tb.who = malloc((m * m + 1) * sizeof *tb.who);
	tb.row = malloc((m + 1) * sizeof *tb.row);
	tb.zero = calloc(m + 1, sizeof *tb.zero);
	tb.used = calloc(m + 1, 1);
	tb.rows = malloc((m + 1) * sizeof *tb.rows);
	tb.nrows = 0;
	tb.avx2 = hf__auc_avx2();
	if (!ord || !tr || !moved || !tb.gain || !tb.who || !tb.row ||
	    !tb.zero || !tb.used || !tb.rows)
		goto out;
	for (c = 0; c < m * m; c++) {
		tb.gain[c] = -INFINITY;
		tb.who[c] = -1;
	}
	/* each kind of use, households in file order within it */
	for (c = 0; c < n; c = e) {
		for (e = c + 1; e < n && !use_cmp(in, ord[c], ord[e]); e++)
			;
		for (s = 0; e - c > 1 && s < SWEEPS; s++) {
			size_t k = sweep(in, a, ord + c, e - c, unit, why, &tb,
					 tr, moved);
			made += k;
			if (!k)
				break;
		}
	}
out:
	free(ord);
	free(tb.gain);
	free(tb.who);
	free(tb.row);
	free(tb.zero);
	free(tb.used);
	free(tb.rows);
	free(tr);
	free(moved);
	return made;
}

/* What a place at each unit costs a household of i's use at prices
 * price (per unit and dimension) and floor_price (per unit): where its kind's
 * solve starts. The rounds' relaxation priced the places so; the kind
 * holds its places at about those prices, and from them its solve bids
 * less (national 90:108: 0.48 M bids for the 33 kinds instead of 1.3 M,
 * the same assignment; 50:108 seed 2, 0.30 M instead of 1.10 M). */
static double *kind_prices(const hf_match_instance *in, size_t i,
			   const double *price, const double *floor_price)
{
	size_t j, d, nd = in->ndims;
	const int64_t *use = in->hh[i].use;
	double *p = malloc((in->m + 1) * sizeof *p);
	if (!p)
		return NULL;
	for (j = 0; j < in->m; j++) {
		p[j] = (price[j * nd] - floor_price[j]) * (double)use[0];
		for (d = 1; d < nd; d++)
			p[j] += price[j * nd + d] * (double)use[d];
	}
	return p;
}

/*
 * The optimal assignment within a kind. Trades of two are a narrow view:
 * three households of a kind may each gain by a turn of their units that
 * no two of them gain by. The households of a kind can go to the places
 * they hold together in any order without changing a load, and which
 * order is best is a transportation problem: count[j] of them at unit j,
 * one each, the scores of their rows. Optimal mode solves it (with one
 * dimension and one person each, its relaxation is integral), and the
 * kind takes the answer where it scores more.
 */
static size_t rekind(const hf_match_instance *in, const size_t *hs, size_t nh,
		     int64_t *unit, hf_match_why *why, const double *price,
		     const double *floor_price)
{
	static const int64_t one = 1;
	size_t m = in->m, x, j, moved = 0, nk = 0;
	size_t esz = in->scores.stype == HF_MATCH_F32 ? 4 : 8;
	size_t *k = malloc((nh + 1) * sizeof *k);
	int64_t *cnt = calloc(m + 1, sizeof *cnt);
	hf_match_household *hh = NULL;
	hf_match_unit *un = NULL;
	char *sc = NULL;
	double *start = NULL;
	hf_match_instance sub;
	hf_match_options o;
	hf_match_result *r = NULL;
	hf_error err;
	double before = 0;

	if (!k || !cnt)
		goto out;
	for (x = 0; x < nh; x++)
		if (unit[hs[x]] >= 0) { /* else it holds no place */
			k[nk++] = hs[x];
			cnt[unit[hs[x]]]++;
			before += hf_match_score(&in->scores, hs[x],
						 (size_t)unit[hs[x]]);
		}
	if (nk < 2)
		goto out;
	/* where no household of the kind scores more at a unit another
	 * holds than where it is, no order scores more */
	for (x = 0; x < nk; x++) {
		double here =
		    hf_match_score(&in->scores, k[x], (size_t)unit[k[x]]);
		for (j = 0; j < m; j++)
			if (cnt[j] &&
			    hf_match_score(&in->scores, k[x], j) > here)
				break;
		if (j < m)
			break;
	}
	if (x == nk)
		goto out;
	hh = calloc(nk, sizeof *hh);
	un = calloc(m + 1, sizeof *un);
	sc = malloc((nk * m + 1) * esz);
	if (!hh || !un || !sc ||
	    (price && !(start = kind_prices(in, k[0], price, floor_price))))
		goto out;
	for (x = 0; x < nk; x++) {
		hh[x] = in->hh[k[x]];
		hh[x].persons = 1;
		hh[x].use = &one;
		hh[x].ties = hh[x].prefs = NULL;
		hh[x].nties = hh[x].nprefs = 0;
		if (in->scores.col == 1) /* a row as it lies */
			memcpy(sc + x * m * esz,
			       (const char *)in->scores.data +
				   k[x] * in->scores.row * esz,
			       m * esz);
		else
			for (j = 0; j < m; j++) {
				double v = hf_match_score(&in->scores, k[x], j);
				if (esz == 4)
					((float *)sc)[x * m + j] = (float)v;
				else
					((double *)sc)[x * m + j] = v;
			}
	}
	for (j = 0; j < m; j++) {
		un[j] = in->units[j];
		un[j].cap = &cnt[j];
		un[j].min = un[j].max = cnt[j];
		un[j].priority = NULL;
		un[j].npriority = 0;
	}
	sub = *in;
	sub.n = nk;
	sub.ndims = 1;
	sub.hh = hh;
	sub.units = un;
	sub.scores = (hf_match_scores){in->scores.stype, sc, m, 1};
	sub.allow_unassigned = 0;
	sub.penalty = 0;
	hf_match_options_init(&o);
	/* a small kind: a gap the rounds close, where optimal mode would
	 * search it exhaustively above it (at 1e-7 a Land's month took ten
	 * times as long); a large one (no search): 1e-6 of its scores, a
	 * hundredth of the default target, in 8 phases instead of 12 (on
	 * the national instance the same orders) */
	o.gap_target = nk > KIND_LARGE ? 1e-6 : 1e-9;
	hf_error_init(&err, HF_LANG_EN);
	/* one dimension, every unit exactly full: the last step could move
	 * no one the rounds left (a swap, at a gap of 1e-9, almost never) */
	if (hf__match_solve_from(&sub, &o, start, &r, &err) == HF_OK)
		hf__match_kinds_bids += r->bids;
	if (!r || !(r->objective > before + 1e-12 * fmax(1, fabs(before))))
		goto out;
	for (x = 0; x < nk; x++)
		if (unit[k[x]] != r->unit[x]) {
			unit[k[x]] = r->unit[x];
			why[k[x]] = HF_MATCH_WHY_REPAIR;
			moved++;
		}
out:
	hf_match_result_free(r);
	free(k);
	free(hh);
	free(un);
	free(cnt);
	free(sc);
	free(start);
	return moved;
}

/* The most households of one solve: their rows are copied, at most an
 * eighth of the score matrix or 8 MB, whichever is more, at a time; a
 * larger kind is solved in parts of equal size, each on the places its
 * households hold. */
#define KIND_BYTES ((size_t)8 << 20)

/* Whether a household of hs[0 .. nh) holds another unit than in since. */
static int moved_since(const size_t *hs, size_t nh, const int64_t *unit,
		       const int64_t *since)
{
	size_t x;
	for (x = 0; x < nh; x++)
		if (unit[hs[x]] != since[hs[x]])
			return 1;
	return 0;
}

/*
 * The kinds' solves share nothing but what they read: each writes the
 * units of its own households, and what it finds depends on those alone,
 * so the answer is the same in any order. From a million scores on two
 * threads take them in turn, each bidding alone (hf__match_alone): a
 * national run's last step spent three quarters of its time here, with
 * one core's bids and the other's helper waiting; the last step that
 * ends the rounds took 1.08-1.09 s instead of 1.33-1.40 s (traced).
 */
int hf__match_kinds_threads = 2;
_Thread_local size_t hf__match_kinds_pairs, hf__match_kinds_bids;

typedef struct kinds_run {
	const hf_match_instance *in;
	int64_t *unit;
	hf_match_why *why;
	const double *price, *floor_price; /* where the solves start, or NULL */
	const size_t *ord;
	const size_t (*job)[2]; /* first household in ord, households */
	size_t njobs;
	int alone;
	atomic_ptrdiff_t left; /* jobs not yet taken (below 0: none) */
	atomic_size_t moved;
} kinds_run;

/* The jobs go largest first; the caller takes them from the front, the
 * helper from the back, so that two large kinds' copied rows are rarely
 * held at once. */
typedef struct kinds_side {
	kinds_run *k;
	int back;
} kinds_side;

static void *kinds_work(void *arg)
{
	kinds_side *sd = arg;
	kinds_run *k = sd->k;
	int was = hf__match_alone;
	size_t x = sd->back ? k->njobs : 0;
	hf__match_alone = was || k->alone;
	while (atomic_fetch_sub(&k->left, 1) > 0) {
		size_t j = sd->back ? --x : x++;
		atomic_fetch_add(&k->moved,
				 rekind(k->in, k->ord + k->job[j][0],
					k->job[j][1], k->unit, k->why, k->price,
					k->floor_price));
	}
	hf__match_alone = was;
	return NULL;
}

static int by_households(const void *a, const void *b)
{
	const size_t *x = a, *y = b;
	if (x[1] != y[1])
		return x[1] < y[1] ? 1 : -1;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

size_t hf__match_kinds(const hf_match_instance *in, int64_t *unit,
		       hf_match_why *why, const int64_t *since,
		       const double *price, const double *floor_price)
{
	size_t n = in->n, c, e, p, parts, size, nj = 0;
	size_t esz = in->scores.stype == HF_MATCH_F32 ? 4 : 8;
	size_t lim = KIND_BYTES / (in->m * esz + 1);
	size_t *ord = kinds_order(in);
	size_t(*job)[2] = malloc((n + 1) * sizeof *job);
	kinds_run k;
	kinds_side sides[2] = {{&k, 0}, {&k, 1}};
	pthread_t th;
	if (!ord || !job) {
		free(ord);
		free(job);
		return 0;
	}
	if (lim < n / 8)
		lim = n / 8;
	if (lim < 2)
		lim = 2;
	for (c = 0; c < n; c = e) {
		for (e = c + 1; e < n && !use_cmp(in, ord[c], ord[e]); e++)
			;
		/* one kind of all: a transportation problem already, which
		 * the solve that got here has solved (and the kind's own
		 * solve would come here again) */
		if (e - c < 2 || e - c == n)
			continue;
		parts = (e - c + lim - 1) / lim;
		size = (e - c + parts - 1) / parts;
		for (p = c; p < e; p += size) {
			size_t nh = p + size < e ? size : e - p;
			if (!since || moved_since(ord + p, nh, unit, since)) {
				job[nj][0] = p;
				job[nj++][1] = nh;
			}
		}
	}
	qsort(job, nj, sizeof *job, by_households);
	k.in = in;
	k.unit = unit;
	k.why = why;
	k.price = price;
	k.floor_price = floor_price;
	k.ord = ord;
	k.job = (const size_t(*)[2])job;
	k.njobs = nj;
	atomic_init(&k.left, (ptrdiff_t)nj);
	atomic_init(&k.moved, 0);
	/* set before the thread starts, which reads it */
	k.alone = nj > 1 && n * in->m >= HF__MATCH_LARGE &&
		  hf__match_kinds_threads > 1;
	if (k.alone && pthread_create(&th, NULL, kinds_work, &sides[1]) != 0)
		k.alone = 0;
	hf__match_kinds_pairs += (size_t)k.alone;
	kinds_work(&sides[0]);
	if (k.alone)
		pthread_join(th, NULL);
	free(ord);
	free(job);
	return atomic_load(&k.moved);
}

/*
 * match_opt.c: optimal mode. The linear relaxation over persons is a
 * transportation problem: every person of household i is a bidder worth
 * score(i, j) / p_i at unit j (less the Lagrange prices of the named
 * dimensions), every unit is two sinks (the corridor minimum and the rest
 * up to min(capacity, max)), one sink takes the unassigned (where allowed)
 * and dummy bidders of value 0 fill what stays free, so supply equals
 * demand. Bertsekas' auction with epsilon-scaling solves it: a sink is a
 * min-heap of slots by price, a bidder takes the cheapest slots of its
 * best sink at (value − second best value + epsilon), evicting their
 * holders; all persons of one household bid together. At the end every
 * bidder is within epsilon of its best (epsilon-complementary slackness),
 * so the objective is within (bidders × epsilon) of the bound; with whole
 * scores scaled by bidders + 1 and a last epsilon of 1 the optimum is
 * exact.
 *
 * Invariants: a slot's price never falls within a phase; the minimum
 * price of a sink (its dual price) only rises; every bidder's held slots
 * satisfy epsilon-CS against the minimum prices of the other sinks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct ent {
	double price;
	int64_t owner; /* bidder, or -1 free */
	int64_t count;
} ent;

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
	const double *lam; /* [m × ndims] Lagrange prices, d >= 1, or NULL */
	size_t bids, phases;
	double *tmp; /* [m] scratch of a scan */
	double *v1c; /* [n] best value per household in a phase check */
	int whole;   /* scaled whole scores: prices stay whole */
} auc;

/* ---- heaps ------------------------------------------------------------ */

static void sift_down(ent *h, size_t len, size_t k)
{
	for (;;) {
		size_t c = 2 * k + 1, mn = k;
		ent t;
		if (c < len && h[c].price < h[mn].price)
			mn = c;
		if (c + 1 < len && h[c + 1].price < h[mn].price)
			mn = c + 1;
		if (mn == k)
			return;
		t = h[k];
		h[k] = h[mn];
		h[mn] = t;
		k = mn;
	}
}

static int push(sink *s, ent e)
{
	size_t k;
	if (s->len == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 4;
		ent *nh = realloc(s->h, nc * sizeof *nh);
		if (!nh)
			return HF_ENOMEM;
		s->h = nh;
		s->cap = nc;
	}
	k = s->len++;
	while (k > 0 && s->h[(k - 1) / 2].price > e.price) {
		s->h[k] = s->h[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	s->h[k] = e;
	return HF_OK;
}

static void pop(sink *s)
{
	s->h[0] = s->h[--s->len];
	sift_down(s->h, s->len, 0);
}

static void retop(auc *A, size_t k)
{
	A->top[k] = A->s[k].len ? A->s[k].h[0].price : INFINITY;
	if (k < 2 * A->m) {
		size_t j = k / 2;
		A->uprice[j] = fmin(A->top[2 * j], A->top[2 * j + 1]);
	}
}

static void enqueue(auc *A, size_t b)
{
	if (A->inq[b])
		return;
	A->inq[b] = 1;
	A->q[(A->qh + A->qn++) % (A->n + 1)] = b;
}

/* ---- bidding ---------------------------------------------------------- */

/* Score of household i at unit j less its Lagrange prices, scaled. */
static double value(const auc *A, size_t i, size_t j)
{
	const hf_match_instance *in = A->in;
	double v = hf_match_score(&in->scores, i, j);
	if (A->lam) {
		size_t d;
		for (d = 1; d < in->ndims; d++)
			v -= A->lam[j * in->ndims + d] *
			     (double)in->hh[i].use[d];
	}
	return v * A->scale;
}

/* The largest of n doubles (-inf for none); no NaN can occur here. */
static double vmax(const double *t, size_t n)
{
	size_t j = 0;
	double b = -INFINITY;
#ifdef __SSE2__
	__m128d a = _mm_set1_pd(-INFINITY), c = a;
	for (; j + 4 <= n; j += 4) {
		a = _mm_max_pd(a, _mm_loadu_pd(t + j));
		c = _mm_max_pd(c, _mm_loadu_pd(t + j + 2));
	}
	a = _mm_max_pd(a, c);
	a = _mm_max_pd(a, _mm_unpackhi_pd(a, a));
	b = _mm_cvtsd_f64(a);
#endif
	for (; j < n; j++)
		if (t[j] > b)
			b = t[j];
	return b;
}

/* Best sink k1 with value v1 (per person, less price) and the best value
 * v2 among other sinks, for household i. */
static void scan_household(const auc *A, size_t i, long *k1, double *v1,
			   double *v2)
{
	const hf_match_instance *in = A->in;
	const uint64_t *row = hf__match_row(A->a, i);
	double inv = 1.0 / (double)in->hh[i].persons, b1 = -INFINITY,
	       b2 = -INFINITY, raw = 0;
	long j1 = -1;
	size_t j;

	double *restrict t = A->tmp, f = A->scale * inv;
	const size_t mm = A->m;
	const double *restrict up = A->uprice;
	/* values less prices first, in a loop the compiler vectorises; the
	 * two best after */
	if (in->scores.col == 1 && in->scores.stype == HF_MATCH_F32) {
		const float *restrict s =
		    (const float *)in->scores.data + i * in->scores.row;
		for (j = 0; j < mm; j++)
			t[j] = (double)s[j] * f - up[j];
	} else if (in->scores.col == 1) {
		const double *restrict s =
		    (const double *)in->scores.data + i * in->scores.row;
		for (j = 0; j < mm; j++)
			t[j] = s[j] * f - up[j];
	} else {
		for (j = 0; j < A->m; j++)
			t[j] = hf_match_score(&in->scores, i, j) * f - up[j];
	}
	if (A->lam) {
		const int64_t *u = in->hh[i].use;
		size_t d, nd = in->ndims;
		for (j = 0; j < A->m; j++) {
			double l = 0;
			for (d = 1; d < nd; d++)
				l += A->lam[j * nd + d] * (double)u[d];
			t[j] -= l * f;
		}
	}
	if (A->a->set[i]) {
		/* units without the household's needs are out */
		for (j = 0; j < mm; j++)
			if (!hf__match_ok(row, j))
				t[j] = -INFINITY;
	}
	/* the best (first of equals), then the best of the others */
	b1 = vmax(t, mm);
	if (b1 > -INFINITY) {
		double keep;
		for (j = 0; t[j] != b1; j++)
			;
		j1 = (long)j;
		keep = t[j];
		t[j] = -INFINITY;
		b2 = vmax(t, mm);
		t[j] = keep;
	}
	if (j1 >= 0)
		raw = b1 + up[j1];
	*k1 = -1;
	if (j1 >= 0) {
		size_t lo = 2 * (size_t)j1, hi = lo + 1;
		*k1 = A->top[lo] <= A->top[hi] ? (long)lo : (long)hi;
		/* the unit's other sink is another object at the same value */
		if (A->top[lo] != INFINITY && A->top[hi] != INFINITY)
			b2 = fmax(b2, raw - fmax(A->top[lo], A->top[hi]));
	}
	if (A->top[2 * A->m] != INFINITY) {
		double v = -A->pen * inv - A->top[2 * A->m];
		if (v > b1) {
			b2 = b1;
			b1 = v;
			*k1 = (long)(2 * A->m);
		} else if (v > b2) {
			b2 = v;
		}
	}
	*v1 = b1;
	*v2 = b2;
}

/* Dummies are worth 0 in the free part of any unit and unassigned. */
static void scan_dummy(const auc *A, long *k1, double *v1, double *v2)
{
	double b1 = -INFINITY, b2 = -INFINITY;
	size_t j;
	*k1 = -1;
	for (j = 0; j <= A->m; j++) {
		size_t k = j < A->m ? 2 * j + 1 : 2 * A->m;
		double v = -A->top[k];
		if (v > b1) {
			b2 = b1;
			b1 = v;
			*k1 = (long)k;
		} else if (v > b2) {
			b2 = v;
		}
	}
	*v1 = b1;
	*v2 = b2;
}

static int bid(auc *A, size_t b)
{
	long k1;
	double v1, v2, base, price, thresh;
	int64_t r = A->left[b], took = 0, self = 0;
	sink *s;

	if (b < A->n)
		scan_household(A, b, &k1, &v1, &v2);
	else
		scan_dummy(A, &k1, &v1, &v2);
	if (k1 < 0 || v1 == -INFINITY)
		return HF_EINFEASIBLE;
	base = v1 + A->top[k1];
	if (v2 == -INFINITY)
		v2 = v1 - fmax(A->range, A->eps);
	thresh = base - v2;
	price = thresh + A->eps;
	if (price > A->limit)
		return HF_EINFEASIBLE;
	s = &A->s[k1];
	/* the cheapest slot is taken even if rounding put it a hair above
	 * thresh: v1 was computed from it, and progress must be made */
	while (r > 0 && s->len && (!took || s->h[0].price <= thresh)) {
		ent *e = &s->h[0];
		int64_t c = e->count < r ? e->count : r, owner = e->owner;
		if (e->count > c)
			e->count -= c;
		else
			pop(s);
		if (owner == (int64_t)b) {
			self += c;
		} else if (owner >= 0) {
			if (A->left[owner] == 0)
				enqueue(A, (size_t)owner);
			A->left[owner] += c;
		}
		r -= c;
		took += c;
	}
	if (took && push(s, (ent){price, (int64_t)b, took}) < 0)
		return HF_ENOMEM;
	A->left[b] = r + self;
	retop(A, (size_t)k1);
	A->bids++;
	return HF_OK;
}

/* The next bidder's row is fetched while this one bids: rows of a large
 * matrix come from memory, and the scan would wait for every line. */
static void prefetch_row(const auc *A, size_t b)
{
	const hf_match_scores *s = &A->in->scores;
	size_t size = s->stype == HF_MATCH_F32 ? 4 : 8, k;
	const char *p;
	if (b >= A->n || s->col != 1)
		return;
	p = (const char *)s->data + b * s->row * size;
	for (k = 0; k < A->m * size; k += 64)
		__builtin_prefetch(p + k);
}

/* Per-person value of household i at sink k less the sink's price. */
static double sink_value(const auc *A, size_t i, size_t k)
{
	double inv = 1.0 / (double)A->in->hh[i].persons;
	if (k == 2 * A->m)
		return -A->pen * inv - A->top[k];
	return value(A, i, k / 2) * inv - A->top[k];
}

/*
 * A phase starts from the last one's holdings at the sinks' dual prices:
 * every slot of a sink is repriced to its cheapest (higher slot prices
 * are what bidders paid, not what the sink is worth, and a free slot left
 * at such a price would start a war of epsilon steps). Holders that are
 * no longer within the new epsilon of their best sink let go and bid
 * again; the others keep their slots, which is most of them.
 */
static int phase(auc *A)
{
	size_t k, e, i;
	int64_t dheld = 0;
	double dbest = -INFINITY;
	int rc;

	for (i = 0; i <= A->n; i++) {
		A->left[i] = i < A->n ? A->in->hh[i].persons : A->dummies;
		A->inq[i] = 0;
		A->v1c[i] = NAN;
	}
	if (A->phases) {
		/* every household's best value, in row order: one streaming
		 * pass instead of rows fetched at random below */
		for (i = 0; i < A->n; i++) {
			double v2;
			long k1;
			scan_household(A, i, &k1, &A->v1c[i], &v2);
		}
	}
	for (k = 1; k < A->nk; k += 2) {
		size_t kk = k < 2 * A->m ? k : 2 * A->m;
		dbest = fmax(dbest, -A->top[kk]);
		if (kk == 2 * A->m)
			break;
	}
	dbest = fmax(dbest, -A->top[2 * A->m]);
	for (k = 0; k < A->nk; k++) {
		sink *s = &A->s[k];
		int64_t fr = 0;
		size_t keep = 0;
		double q = A->top[k];
		for (e = 0; e < s->len; e++) {
			ent x = s->h[e];
			int ok = 0;
			if (x.owner >= 0 && (size_t)x.owner < A->n) {
				double *v1 = &A->v1c[x.owner], v2;
				long k1;
				if (isnan(*v1))
					scan_household(A, (size_t)x.owner, &k1,
						       v1, &v2);
				ok = sink_value(A, (size_t)x.owner, k) >=
				     *v1 - A->eps;
			} else if (x.owner >= 0) {
				ok = -q >= dbest - A->eps;
			}
			if (!ok) {
				fr += x.count;
				continue;
			}
			A->left[x.owner] -= x.count;
			x.price = q;
			s->h[keep++] = x;
		}
		if (fr)
			s->h[keep++] = (ent){q, -1, fr};
		s->len = keep;
		(void)dheld;
	}
	A->qh = A->qn = 0;
	for (i = 0; i <= A->n; i++)
		if (A->left[i] > 0)
			enqueue(A, i);
	while (A->qn) {
		size_t b = A->q[A->qh];
		A->qh = (A->qh + 1) % (A->n + 1);
		A->qn--;
		A->inq[b] = 0;
		if (A->qn)
			prefetch_row(A, A->q[A->qh]);
		while (A->left[b] > 0)
			if ((rc = bid(A, b)) < 0)
				return rc;
	}
	return HF_OK;
}

/* ---- the Lagrangian bound -------------------------------------------- */

/*
 * L(w, lam) = sum over households of the best of (score − p × w_j − lam
 * terms) over admissible units (and −penalty where unassigned is allowed)
 * + sum over units of (max(w_j, 0) × upper_j − max(−w_j, 0) × min_j)
 * + sum of lam_jd × cap_jd. An upper bound of the optimum for any w and
 * any lam >= 0: each relaxed constraint is weighted by a multiplier of
 * the right sign.
 */
static double lagrange(const auc *A, const double *w, const int64_t *upper)
{
	const hf_match_instance *in = A->in;
	long double sum = 0;
	size_t i, j, d;

	for (i = 0; i < A->n; i++) {
		const uint64_t *row = hf__match_row(A->a, i);
		double p = (double)in->hh[i].persons, best = -INFINITY;
		for (j = 0; j < A->m; j++) {
			double v;
			if (!upper[j] || !hf__match_ok(row, j))
				continue;
			v = value(A, i, j) / A->scale - p * w[j];
			if (v > best)
				best = v;
		}
		if (in->allow_unassigned && -in->penalty > best)
			best = -in->penalty;
		sum += best;
	}
	for (j = 0; j < A->m; j++) {
		if (!upper[j])
			continue;
		if (w[j] > 0)
			sum += (long double)w[j] * (long double)upper[j];
		else
			sum +=
			    (long double)w[j] * (long double)in->units[j].min;
		for (d = 1; A->lam && d < in->ndims; d++)
			sum += (long double)A->lam[j * in->ndims + d] *
			       (long double)in->units[j].cap[d];
	}
	return (double)sum;
}

/* The bound at the auction's prices: per-person unit prices relative to
 * the level t of what free slots cost (the dummies' best), and relative to
 * the price of staying unassigned; the smaller value. */
static double bound_now(const auc *A, double *w, const int64_t *upper)
{
	double ts[2], best = INFINITY;
	size_t c, j, k;
	int nt = 0;

	ts[0] = INFINITY;
	for (k = 1; k < 2 * A->m; k += 2)
		ts[0] = fmin(ts[0], A->top[k]);
	ts[0] = fmin(ts[0], A->top[2 * A->m]);
	if (ts[0] != INFINITY)
		nt++;
	else
		ts[0] = 0, nt++;
	if (A->top[2 * A->m] != INFINITY && A->top[2 * A->m] != ts[0])
		ts[nt++] = A->top[2 * A->m];
	for (c = 0; c < (size_t)nt; c++) {
		double l;
		for (j = 0; j < A->m; j++)
			w[j] = A->uprice[j] == INFINITY
				   ? 0
				   : (A->uprice[j] - ts[c]) / A->scale;
		l = lagrange(A, w, upper);
		if (l < best)
			best = l;
	}
	/* leave w at the better candidate */
	for (c = 0; c < (size_t)nt; c++) {
		for (j = 0; j < A->m; j++)
			w[j] = A->uprice[j] == INFINITY
				   ? 0
				   : (A->uprice[j] - ts[c]) / A->scale;
		if (nt == 1 || lagrange(A, w, upper) <= best)
			break;
	}
	return best;
}

/* ---- the solver ------------------------------------------------------- */

static void auc_free(auc *A)
{
	size_t k;
	if (A->s)
		for (k = 0; k < A->nk; k++)
			free(A->s[k].h);
	free(A->s);
	free(A->top);
	free(A->uprice);
	free(A->left);
	free(A->q);
	free(A->inq);
	free(A->tmp);
	free(A->v1c);
}

/* Per household: the unit all its persons hold (-1 unassigned), or -2
 * when they are split; fractional loads of the named dimensions. */
static void extract(const auc *A, int32_t *lp, double *frac)
{
	const hf_match_instance *in = A->in;
	size_t i, k, e, d;
	for (i = 0; i < A->n; i++)
		lp[i] = -3;
	memset(frac, 0, A->m * in->ndims * sizeof *frac);
	for (k = 0; k < A->nk; k++)
		for (e = 0; e < A->s[k].len; e++) {
			const ent *x = &A->s[k].h[e];
			int32_t u = k < 2 * A->m ? (int32_t)(k / 2) : -1;
			if (x->owner < 0 || (size_t)x->owner >= A->n)
				continue;
			i = (size_t)x->owner;
			if (lp[i] == -3)
				lp[i] = u;
			else if (lp[i] != u)
				lp[i] = -2;
			if (u >= 0)
				for (d = 0; d < in->ndims; d++)
					frac[(size_t)u * in->ndims + d] +=
					    (double)in->hh[i].use[d] *
					    (double)x->count /
					    (double)in->hh[i].persons;
		}
}

int hf__match_primal(const hf_match_instance *in, const hf__match_allow *a,
		     const int32_t *lp, const double *w, const double *lam,
		     hf_match_result *r, hf_error *err);

static int setup(auc *A, const hf_match_instance *in, const hf__match_allow *a,
		 double gap, int64_t *upper, int *exact)
{
	long long persons = 0, slots = 0, summin = 0;
	double rng = fabs(in->penalty), sum = 0;
	int whole = in->ndims == 1 && fmod(in->penalty, 1) == 0;
	size_t i, j, k;

	memset(A, 0, sizeof *A);
	A->in = in;
	A->a = a;
	A->n = in->n;
	A->m = in->m;
	A->nk = 2 * in->m + 1;
	for (i = 0; i < in->n; i++) {
		double b = 0;
		persons += in->hh[i].persons;
		if (in->hh[i].persons != 1)
			whole = 0;
		for (j = 0; j < in->m; j++) {
			double v = hf_match_score(&in->scores, i, j);
			rng = fmax(rng, fabs(v));
			b = fmax(b, fabs(v));
			if (whole && (v != floor(v) || fabs(v) > 1e9))
				whole = 0;
		}
		sum += b;
	}
	A->s = calloc(A->nk, sizeof *A->s);
	A->top = malloc(A->nk * sizeof *A->top);
	A->uprice = malloc((A->m + 1) * sizeof *A->uprice);
	A->left = calloc(A->n + 1, sizeof *A->left);
	A->q = malloc((A->n + 1) * sizeof *A->q);
	A->inq = calloc(A->n + 1, 1);
	A->tmp = malloc((A->m + 1) * sizeof *A->tmp);
	A->v1c = malloc((A->n + 1) * sizeof *A->v1c);
	if (!A->s || !A->top || !A->uprice || !A->left || !A->q || !A->inq ||
	    !A->tmp || !A->v1c)
		return HF_ENOMEM;
	for (j = 0; j < in->m; j++) {
		const hf_match_unit *u = &in->units[j];
		upper[j] = hf__match_upper(u);
		if (upper[j] > persons)
			upper[j] = persons; /* implied: no more persons exist */
		A->s[2 * j].size = u->min;
		A->s[2 * j + 1].size = upper[j] - u->min;
		slots += upper[j];
		summin += u->min;
	}
	if (in->allow_unassigned)
		A->s[2 * A->m].size = persons - summin;
	slots += A->s[2 * A->m].size;
	A->dummies = slots - persons;
	if (A->dummies < 0)
		return HF_EINFEASIBLE;
	for (k = 0; k < A->nk; k++)
		if (A->s[k].size > 0 &&
		    push(&A->s[k], (ent){0, -1, A->s[k].size}) < 0)
			return HF_ENOMEM;
	for (k = 0; k < A->nk; k++)
		retop(A, k);
	A->range = rng > 0 ? rng : 1;
	*exact = whole && (double)(persons + A->dummies + 1) * A->range < 1e15;
	A->scale = *exact ? (double)(persons + A->dummies + 1) : 1;
	A->whole = *exact;
	A->range *= A->scale;
	A->pen = in->penalty * A->scale;
	/* the last epsilon: 1 on scaled whole scores (exact); else a first
	 * guess at which bidders × epsilon, the most the relaxation can
	 * miss, is four times the gap target against the sum of the
	 * households' best scores: in practice it misses far less, and
	 * hf__match_optimal refines while the proven gap is too large */
	A->eps = *exact
		     ? 1
		     : fmax(A->range * 1e-12,
			    4 * gap * sum / (double)(persons + A->dummies + 1));
	A->limit = 4 * (2 * A->range + A->range) *
		       ((double)(persons + A->dummies) + 2) +
		   1;
	return HF_OK;
}

static int run_scaled(auc *A, double eps0, double eps_final)
{
	int rc;
	A->eps = A->whole ? fmax(1, floor(eps0)) : eps0;
	for (;;) {
		if ((rc = phase(A)) < 0)
			return rc;
		A->phases++;
		if (A->eps <= eps_final)
			return HF_OK;
		A->eps = fmax(A->eps / 6, eps_final);
		if (A->whole)
			A->eps = floor(A->eps); /* whole prices stay exact */
	}
}

static int infeasible(const hf_match_instance *in, hf_error *err)
{
	return hf_error_set(err, HF_EINFEASIBLE, "",
			    "Die Bedarfe, Kapazitäten und Korridore lassen "
			    "sich nicht zugleich erfüllen: die Haushalte mit "
			    "besonderen Bedarfen passen nicht gemeinsam in "
			    "die Einheiten, die sie aufnehmen dürfen.",
			    "the needs, capacities and corridors cannot be "
			    "met together: the households with special needs "
			    "do not fit together into the units they may go "
			    "to.");
}

int hf__match_optimal(const hf_match_instance *in, const hf_match_options *o,
		      const hf__match_allow *a, hf_match_result *r,
		      hf_error *err)
{
	auc A;
	int64_t *upper = malloc((in->m + 1) * sizeof *upper);
	int32_t *lp = malloc((in->n + 1) * sizeof *lp);
	int64_t *best_unit = malloc((in->n + 1) * sizeof *best_unit);
	hf_match_why *best_why = malloc((in->n + 1) * sizeof *best_why);
	double *w = calloc(in->m + 1, sizeof *w);
	double *lam = calloc(in->m * in->ndims + 1, sizeof *lam);
	double *frac = calloc(in->m * in->ndims + 1, sizeof *frac);
	double eps_final, bound = INFINITY, best_obj = -INFINITY;
	double bound_r, last_bound = INFINITY, theta = 1;
	int stall = 0;
	size_t j, d, round;
	int exact = 0, rc;

	memset(&A, 0, sizeof A);
	if (!upper || !lp || !best_unit || !best_why || !w || !lam || !frac) {
		rc = HF_ENOMEM;
		goto out;
	}
	if ((rc = setup(&A, in, a, o->gap_target, upper, &exact)) < 0)
		goto out;
	eps_final = A.eps;
	for (round = 0; round < (size_t)(o->max_rounds > 0 ? o->max_rounds : 1);
	     round++) {
		int any = 0;
		A.lam = NULL; /* the fast scan while every price is 0 */
		for (j = 0; j < in->m * in->ndims; j++)
			if (lam[j] != 0)
				A.lam = lam;
		if (round && in->ndims == 1) {
			/* only refining: one more phase at a smaller epsilon */
			eps_final = fmax(eps_final / 6, A.range * 1e-12);
			rc = run_scaled(&A, eps_final, eps_final);
		} else {
			rc = run_scaled(&A,
					round ? fmax(A.range / 400, eps_final)
					      : fmax(A.range / 4, eps_final),
					eps_final);
		}
		if (rc < 0)
			goto out;

		extract(&A, lp, frac);
		bound_r = bound_now(&A, w, upper);
		bound = fmin(bound, bound_r);
		if ((rc = hf__match_primal(in, a, lp, w, A.lam, r, err)) < 0 &&
		    rc != HF_EINFEASIBLE)
			goto out;
		r->rounds = round + 1;
		if (rc == HF_OK && r->objective > best_obj) {
			best_obj = r->objective;
			memcpy(best_unit, r->unit, in->n * sizeof *best_unit);
			memcpy(best_why, r->why, in->n * sizeof *best_why);
			for (j = 0; j < in->m; j++) {
				r->price[j * in->ndims] = fmax(w[j], 0);
				r->floor_price[j] = fmax(-w[j], 0);
				for (d = 1; d < in->ndims; d++)
					r->price[j * in->ndims + d] =
					    lam[j * in->ndims + d];
			}
		}
		if (best_obj > -INFINITY &&
		    (bound - best_obj) <= o->gap_target * fabs(bound))
			break;
		if (in->ndims == 1) {
			if (exact || eps_final <= A.range * 1e-12)
				break;
			continue;
		}
		/* named dimensions over capacity in the relaxation: raise
		 * their price, slack ones fall; a projected subgradient step
		 * of Polyak's length towards the best objective so far (or a
		 * small one while there is none), halved when the bound
		 * stalls */
		{
			double gg = 0, lb, len;
			for (j = 0; j < in->m; j++)
				for (d = 1; d < in->ndims; d++) {
					double g = frac[j * in->ndims + d] -
						   (double)in->units[j].cap[d];
					double l = lam[j * in->ndims + d];
					if (g > 1e-9)
						any = 1;
					if (g > 0 || l > 0)
						gg += g * g;
				}
			if (bound_r < last_bound - 1e-12 * fabs(bound_r))
				stall = 0;
			else if (++stall >= 2)
				theta /= 2, stall = 0;
			last_bound = fmin(last_bound, bound_r);
			lb = best_obj > -INFINITY
				 ? best_obj
				 : bound_r - 0.01 * fabs(bound_r);
			len = gg > 0 ? theta * (bound_r - lb) / gg : 0;
			for (j = 0; j < in->m; j++)
				for (d = 1; d < in->ndims; d++) {
					double g = frac[j * in->ndims + d] -
						   (double)in->units[j].cap[d];
					double *l = &lam[j * in->ndims + d];
					*l = fmax(0, *l + len * g);
				}
		}
		if (!any && rc == HF_OK)
			break;
	}
	if (best_obj == -INFINITY) {
		rc = rc < 0 ? rc : HF_EINFEASIBLE;
		if (!err || !err->message[0])
			infeasible(in, err);
		goto out;
	}
	memcpy(r->unit, best_unit, in->n * sizeof *best_unit);
	hf__match_result_finish(in, a, r);
	memcpy(r->why, best_why, in->n * sizeof *best_why);
	r->bids = A.bids;
	r->phases = A.phases;
	if (exact) {
		/* whole scores: the optimum is whole, so is a bound */
		double fb = floor(bound + 1e-9 * fmax(1, fabs(bound)));
		r->exact = fb <= r->objective;
		bound = fmax(fb, r->objective);
	}
	r->bound = fmax(bound, r->objective);
	{
		/* a difference below 1e-9 of the bound (or of 1) is none: the
		 * rounding of the sums, or epsilon on scores all zero */
		double diff = r->bound - r->objective;
		r->gap = diff <= 1e-9 * fmax(1, fabs(r->bound))
			     ? 0
			     : diff / fmax(fabs(r->bound), 1e-300);
	}
	rc = HF_OK;
out:
	if (rc == HF_EINFEASIBLE && (!err || !err->message[0]))
		infeasible(in, err);
	else if (rc == HF_ENOMEM)
		hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			     "Out of memory.");
	auc_free(&A);
	free(upper);
	free(lp);
	free(best_unit);
	free(best_why);
	free(w);
	free(lam);
	free(frac);
	return rc;
}

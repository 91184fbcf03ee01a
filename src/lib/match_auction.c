/*
 * match_auction.c: Bertsekas' auction with epsilon-scaling for the
 * relaxation of optimal mode (see match_auction_int.h). A sink is a
 * min-heap of slots by price; a bidder takes the cheapest slots of its
 * best sink at (value − second best value + epsilon), evicting their
 * holders; all persons of one household bid together. At the end of a
 * phase every bidder is within epsilon of its best (epsilon-complementary
 * slackness). Bidders are scanned in batches by two threads and bid in
 * queue order, so the result does not depend on the threads.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <stdatomic.h>

#include "match_auction_int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef HF_HAVE_AVX2
#include <immintrin.h>
#endif

/* The larger and the smaller of two values that are never NaN (fmax and
 * fmin are calls). */
static inline double dmax(double a, double b)
{
	return a > b ? a : b;
}

static inline double dmin(double a, double b)
{
	return a < b ? a : b;
}

/* ---- heaps ------------------------------------------------------------ */

/* The heaps are 4-ary: half the levels of a binary heap, and the four
 * children of a slot lie side by side (a sink holds tens to thousands of
 * entries, and the auction pops and pushes one or two a bid). */
#define ARITY 4

static void sift_down(ent *h, size_t len, size_t k)
{
	ent x = h[k];
	for (;;) {
		size_t c = ARITY * k + 1, end = c + ARITY, mn = c, t;
		if (c >= len)
			break;
		if (end > len)
			end = len;
		for (t = c + 1; t < end; t++)
			if (h[t].price < h[mn].price)
				mn = t;
		if (!(h[mn].price < x.price))
			break;
		h[k] = h[mn];
		k = mn;
	}
	h[k] = x;
}

/* The entry by its fields, not by value: apply calls it for every bid,
 * and an ent passed on the stack is written and read back in pieces. */
static inline int push(sink *s, double price, int64_t owner, int64_t count)
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
	while (k > 0 && s->h[(k - 1) / ARITY].price > price) {
		s->h[k] = s->h[(k - 1) / ARITY];
		k = (k - 1) / ARITY;
	}
	s->h[k].price = price;
	s->h[k].owner = owner;
	s->h[k].count = count;
	return HF_OK;
}

int hf__auc_push(sink *s, ent e)
{
	return push(s, e.price, e.owner, e.count);
}

static void pop(sink *s)
{
	s->h[0] = s->h[--s->len];
	sift_down(s->h, s->len, 0);
}

static inline void retop(auc *A, size_t k)
{
	A->top[k] = A->s[k].len ? A->s[k].h[0].price : INFINITY;
	if (k < 2 * A->m) {
		size_t j = k / 2;
		A->uprice[j] = dmin(A->top[2 * j], A->top[2 * j + 1]);
	}
}

void hf__auc_retop(auc *A, size_t k)
{
	retop(A, k);
}

static void enqueue(auc *A, size_t b)
{
	size_t t;
	if (A->inq[b])
		return;
	A->inq[b] = 1;
	t = A->qh + A->qn++;
	A->q[t > A->n ? t - (A->n + 1) : t] = b;
}

/* ---- bidding ---------------------------------------------------------- */

/* Score of household i at unit j less its Lagrange prices, scaled. */
double hf__auc_value(const auc *A, size_t i, size_t j)
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

#ifdef HF_HAVE_AVX2
/* The same for AVX2, chosen at run time (hf__auc_avx2): four doubles an
 * instruction instead of two. */
__attribute__((target("avx2"))) static double vmax_avx2(const double *t,
							size_t n)
{
	size_t j = 0;
	__m256d a = _mm256_set1_pd(-INFINITY), c = a;
	__m128d lo;
	double b;
	for (; j + 8 <= n; j += 8) {
		a = _mm256_max_pd(a, _mm256_loadu_pd(t + j));
		c = _mm256_max_pd(c, _mm256_loadu_pd(t + j + 4));
	}
	a = _mm256_max_pd(a, c);
	lo = _mm_max_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
	lo = _mm_max_pd(lo, _mm_unpackhi_pd(lo, lo));
	b = _mm_cvtsd_f64(lo);
	for (; j < n; j++)
		if (t[j] > b)
			b = t[j];
	return b;
}

#endif

int hf__auc_generic;

int hf__auc_avx2(void)
{
#ifdef HF_HAVE_AVX2
	if (hf__auc_generic)
		return 0;
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") != 0;
#else
	return 0;
#endif
}

#ifdef HF_HAVE_AVX2
#define VMAX(A, t, n) ((A)->avx2 ? vmax_avx2(t, n) : vmax(t, n))
#else
#define VMAX(A, t, n) vmax(t, n)
#endif

double hf__auc_vmax(const auc *A, const double *t, size_t n)
{
	return VMAX(A, t, n);
}

/* From household i's best unit j1 (value b1 per person less the unit's
 * price, -1 for none) and the best value b2 at other units: its best sink
 * k1 with value v1 and the best value v2 at any other sink, or, where a
 * unit's two sinks are one unit to a household (A->unit), at any other
 * unit. */
static void sinks_of(const auc *A, size_t i, long j1, double b1, double b2,
		     long *k1, double *v1, double *v2)
{
	*k1 = -1;
	if (j1 >= 0) {
		double raw = b1 + A->uprice[j1];
		size_t lo = 2 * (size_t)j1, hi = lo + 1;
		*k1 = A->top[lo] <= A->top[hi] ? (long)lo : (long)hi;
		/* the unit's other sink is another object at the same value */
		if (!A->unit && A->top[lo] != INFINITY &&
		    A->top[hi] != INFINITY)
			b2 = dmax(b2, raw - dmax(A->top[lo], A->top[hi]));
	}
	if (A->top[2 * A->m] != INFINITY) {
		/* the household's persons only here: a bid that cannot stay
		 * unassigned does not read them (a cache miss a bid) */
		double inv = 1.0 / (double)A->in->hh[i].persons;
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

/* Puts t[j] (not -inf) among the n best so far, sv/su sorted by value,
 * at most HF_AUC_K + 1 kept; strictly better moves up, so among equals the
 * unit of lower index stays first. Returns the new n. */
static size_t insert_best(double *sv, int32_t *su, size_t n, double x, size_t j)
{
	size_t c = n < HF_AUC_K + 1 ? n++ : HF_AUC_K;
	while (c > 0 && x > sv[c - 1]) {
		sv[c] = sv[c - 1];
		su[c] = su[c - 1];
		c--;
	}
	sv[c] = x;
	su[c] = (int32_t)j;
	return n;
}

/* The HF_AUC_K + 1 best of t[0..m) with their indices, best first. */
static size_t select_best_c(const double *t, size_t m, double *sv, int32_t *su)
{
	size_t j, n = 0;
	for (j = 0; j < m; j++) {
		double x = t[j];
		if (x == -INFINITY ||
		    (n == HF_AUC_K + 1 && !(x > sv[HF_AUC_K])))
			continue;
		n = insert_best(sv, su, n, x, j);
	}
	return n;
}

#ifdef HF_HAVE_AVX2
/* The same in two passes of four values at a time: the maxima of
 * HF_AUC_K + 1 blocks give a floor (that many values reach their least),
 * so the best are among the few values at or above it; those are put in
 * order, as above. */
__attribute__((target("avx2"))) static size_t
select_best_avx2(const double *t, size_t m, double *sv, int32_t *su)
{
	size_t j, b, n = 0, bl = m / (HF_AUC_K + 1);
	double flo = INFINITY;
	__m256d f;
	if (bl < 8)
		return select_best_c(t, m, sv, su);
	for (b = 0; b <= HF_AUC_K; b++) {
		double mx =
		    vmax_avx2(t + b * bl, b < HF_AUC_K ? bl : m - b * bl);
		flo = mx < flo ? mx : flo;
	}
	if (flo == -INFINITY)
		return select_best_c(t, m, sv, su);
	f = _mm256_set1_pd(flo);
	for (j = 0; j + 4 <= m; j += 4) {
		unsigned mask = (unsigned)_mm256_movemask_pd(
		    _mm256_cmp_pd(_mm256_loadu_pd(t + j), f, _CMP_GE_OQ));
		while (mask) {
			size_t k = j + (size_t)__builtin_ctz(mask);
			mask &= mask - 1;
			if (n < HF_AUC_K + 1 || t[k] > sv[HF_AUC_K])
				n = insert_best(sv, su, n, t[k], k);
		}
	}
	for (; j < m; j++)
		if (t[j] >= flo && (n < HF_AUC_K + 1 || t[j] > sv[HF_AUC_K]))
			n = insert_best(sv, su, n, t[j], j);
	return n;
}
#endif

static size_t select_best(const auc *A, const double *t, size_t m, double *sv,
			  int32_t *su)
{
#ifdef HF_HAVE_AVX2
	if (A->avx2)
		return select_best_avx2(t, m, sv, su);
#endif
	(void)A;
	return select_best_c(t, m, sv, su);
}

void hf__auc_row(const auc *A, size_t i, double f, const double *up,
		 double *t)
{
	hf__match_values(A->in, A->a, i, f, up, A->lam ? A->lamt : NULL,
			 A->avx2, t);
}

void hf__auc_set_lam(auc *A, const double *lam)
{
	size_t j, d, nd = A->in->ndims;
	A->lam = NULL; /* the fast scan while every price is 0 */
	for (j = 0; lam && j < A->m * nd; j++)
		if (lam[j] != 0)
			A->lam = lam;
	for (j = 0; A->lam && j < A->m; j++)
		for (d = 1; d < nd; d++)
			A->lamt[d * A->m + j] = lam[j * nd + d];
}

/* Household i's best unit j1 and value b1 from its candidate list, if
 * the list still decides: its best unit there must be better than any
 * unit outside was at the scan (prices only rise, so outside units are no
 * better now); the second best b2 is then at most the better of the
 * list's second and its bound t, which makes a bid at most less eager,
 * never wrong (epsilon-CS holds). Returns 0 when a full scan is needed. */
static int list_top(const auc *A, size_t i, long *j1, double *b1, double *b2)
{
	const cand *cl = &A->cl[i];
	const int32_t *u = cl->u;
	const double *cv = cl->v;
	size_t c;
	*b1 = *b2 = -INFINITY;
	*j1 = -1;
	if (cl->ep != A->epoch)
		return 0;
	for (c = 0; c < HF_AUC_K && u[c] >= 0; c++) {
		double x = cv[c] - A->uprice[u[c]];
		if (x > *b1 || (x == *b1 && u[c] < *j1)) {
			*b2 = *b1;
			*b1 = x;
			*j1 = u[c];
		} else if (x > *b2) {
			*b2 = x;
		}
	}
	if (*j1 < 0 || !(*b1 > cl->t))
		return 0;
	*b2 = dmax(*b2, cl->t);
	return 1;
}

static int scan_list(const auc *A, size_t i, long *k1, double *v1, double *v2)
{
	long j1;
	double b1, b2;
	if (!list_top(A, i, &j1, &b1, &b2))
		return 0;
	sinks_of(A, i, j1, b1, b2, k1, v1, v2);
	return 1;
}

int hf__auc_list_best(const auc *A, size_t i, double *best)
{
	long j1;
	double b2;
	return list_top(A, i, &j1, best, &b2);
}

/* Best sink k1 with value v1 (per person, less price) and the best value
 * v2 among other sinks, for household i, from its whole row; keeps the
 * household's candidate list. */
static void scan_household(const auc *A, size_t i, double *tmp, long *k1,
			   double *v1, double *v2)
{
	const hf_match_instance *in = A->in;
	double inv = 1.0 / (double)in->hh[i].persons;
	size_t n, c;
	double *restrict t = tmp, f = A->scale * inv;
	const size_t mm = A->m;
	const double *restrict up = A->uprice;
	/* the best K + 1 values, first of equals first */
	double sv[HF_AUC_K + 1];
	int32_t su[HF_AUC_K + 1];
	hf__auc_row(A, i, f, up, t);
	n = select_best(A, t, mm, sv, su);
	{
		/* the list is the household's own: one thread scans it */
		cand *cl = &A->cl[i];
		int32_t *lu = cl->u;
		double *lv = cl->v;
		for (c = 0; c < HF_AUC_K; c++) {
			lu[c] = c < n ? su[c] : -1;
			lv[c] = c < n ? sv[c] + up[su[c]] : 0;
		}
		cl->t = n > HF_AUC_K ? sv[HF_AUC_K] : -INFINITY;
		cl->ep = A->epoch;
	}
	sinks_of(A, i, n ? su[0] : -1, n ? sv[0] : -INFINITY,
		 n > 1 ? sv[1] : -INFINITY, k1, v1, v2);
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

/* What a bidder's scan found: its best sink, the values, and the price
 * of that sink when it looked. */
typedef struct look {
	long k1;
	double v1, v2, top;
} look;

static void scan(const auc *A, size_t b, double *tmp, look *l)
{
	if (b < A->n) {
		if (!scan_list(A, b, &l->k1, &l->v1, &l->v2))
			scan_household(A, b, tmp, &l->k1, &l->v1, &l->v2);
	} else
		scan_dummy(A, &l->k1, &l->v1, &l->v2);
	l->top = l->k1 >= 0 ? A->top[l->k1] : INFINITY;
}

/* Bidder b bids by what it saw. Prices only rise, so a second best seen
 * earlier is at least the true one: the bid is then less eager but keeps
 * epsilon-CS; the best must still be what was seen, which the caller
 * checks by the sink's price. */
static int apply(auc *A, size_t b, const look *l)
{
	long k1 = l->k1;
	double v1 = l->v1, v2 = l->v2, base, price, thresh;
	int64_t r = A->left[b], took = 0, self = 0;
	sink *s;

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
	if (took && push(s, price, (int64_t)b, took) < 0)
		return HF_ENOMEM;
	A->left[b] = r + self;
	retop(A, (size_t)k1);
	A->bids++;
	return HF_OK;
}

static int bid(auc *A, size_t b)
{
	look l;
	scan(A, b, A->tmp, &l);
	return apply(A, b, &l);
}

/* ---- two threads scan a batch ------------------------------------------ */

/*
 * The bidders of a batch are scanned at the prices of the batch's start,
 * half by a helper thread, half by the caller; then they bid in queue
 * order, and one whose best sink has risen meanwhile looks again. The
 * result depends on the batch, never on the threads: the same with one.
 * Between the bids the helper takes half of a pass over the households
 * (hf__auc_crew_run): a phase's first look at every household, the
 * bound's pass over the scores.
 */
#define BATCH 128

_Thread_local int hf__match_alone;

typedef struct crew {
	auc *A;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	int started;
	/* the hand-over: gen moves when a batch is there, finished when the
	 * helper's half is done; a side that finds nothing after SPIN
	 * pauses sleeps, saying so (sleeping, waiting) under mu */
	atomic_int quit, sleeping, waiting;
	atomic_uint gen, finished;
	size_t batch[BATCH], nb;
	size_t miss[BATCH], nmiss; /* batch positions a list did not decide */
	look res[BATCH];
	double *tmp2; /* the helper's scratch: two rows */
	/* a pass's half for the helper (hf__auc_crew_run), NULL for a
	 * batch's scans */
	hf__auc_job job;
	void *arg;
	atomic_int solo; /* the caller alone (hf__auc_crew_solo) */
} crew;

/* The score row of bidder b, asked of memory ahead of its scan. */
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

static void scan_half(crew *c, size_t from, double *tmp)
{
	size_t x;
	if (from < c->nmiss)
		prefetch_row(c->A, c->batch[c->miss[from]]);
	for (x = from; x < c->nmiss; x += 2) {
		size_t k = c->miss[x];
		if (x + 2 < c->nmiss)
			prefetch_row(c->A, c->batch[c->miss[x + 2]]);
		scan(c->A, c->batch[k], tmp, &c->res[k]);
	}
}

/*
 * A batch is handed over in microseconds: the caller bids between two
 * batches for about as long as a scan takes. A thread that slept on a
 * condition variable meanwhile would first have to be woken and
 * scheduled, which costs as long again (a national run spent 8 % of its
 * time in the kernel's wake-ups); so each side first spins, SPIN pauses
 * (some tens of microseconds), and sleeps only after that, between
 * phases and rounds. Lost wake-ups cannot happen: the sleeper says it
 * sleeps before it looks again, under the mutex, and the other side
 * looks whether it sleeps after it moved the counter (sequentially
 * consistent atomics), waking it under the mutex.
 */
#define SPIN 4096

static inline void relax(void)
{
#ifdef __SSE2__
	_mm_pause();
#endif
}

/* Waits until *x differs from v (or quit is set); returns *x. */
static unsigned await_change(crew *c, atomic_uint *x, unsigned v,
			     atomic_int *flag, pthread_cond_t *cv)
{
	unsigned now;
	int k;
	for (k = 0; k < SPIN; k++) {
		if ((now = atomic_load(x)) != v || atomic_load(&c->quit))
			return now;
		relax();
	}
	pthread_mutex_lock(&c->mu);
	atomic_store(flag, 1);
	while ((now = atomic_load(x)) == v && !atomic_load(&c->quit))
		pthread_cond_wait(cv, &c->mu);
	atomic_store(flag, 0);
	pthread_mutex_unlock(&c->mu);
	return now;
}

/* Moves *x to v and wakes the other side if it sleeps on cv. */
static void publish(crew *c, atomic_uint *x, unsigned v, atomic_int *flag,
		    pthread_cond_t *cv)
{
	atomic_store(x, v);
	if (atomic_load(flag)) {
		pthread_mutex_lock(&c->mu);
		pthread_cond_signal(cv);
		pthread_mutex_unlock(&c->mu);
	}
}

static void *crew_main(void *arg)
{
	crew *c = arg;
	unsigned last = 0;
	for (;;) {
		last = await_change(c, &c->gen, last, &c->sleeping, &c->go);
		if (atomic_load(&c->quit))
			return NULL;
		if (c->job)
			c->job(c->A, 1, c->tmp2, c->arg);
		else
			scan_half(c, 1, c->tmp2);
		publish(c, &c->finished, last, &c->waiting, &c->done);
	}
}

static void crew_scan(crew *c)
{
	const auc *A = c->A;
	size_t k;
	unsigned g;
	/* the bidders a list decides first, here (a few reads each); the
	 * rows to scan are shared out only if there are enough of them.
	 * Who scans a bidder does not change what it finds. */
	c->nmiss = 0;
	/* the batch's lists and holdings asked of memory together: they
	 * lie anywhere in arrays of the size of the households, and one by
	 * one each would wait for its own cache miss */
	for (k = 0; k < c->nb; k++) {
		__builtin_prefetch(&A->cl[c->batch[k]]);
		__builtin_prefetch(&A->left[c->batch[k]]);
	}
	for (k = 0; k < c->nb; k++) {
		size_t b = c->batch[k];
		look *l = &c->res[k];
		if (b < A->n && scan_list(A, b, &l->k1, &l->v1, &l->v2))
			l->top = l->k1 >= 0 ? A->top[l->k1] : INFINITY;
		else
			c->miss[c->nmiss++] = k;
	}
	if (!c->started || atomic_load(&c->solo) || c->nmiss < 8) {
		scan_half(c, 0, c->A->tmp);
		scan_half(c, 1, c->A->tmp);
		return;
	}
	g = atomic_load(&c->gen) + 1;
	publish(c, &c->gen, g, &c->sleeping, &c->go);
	scan_half(c, 0, c->A->tmp);
	await_change(c, &c->finished, g - 1, &c->waiting, &c->done);
}

static void crew_start(crew *c, auc *A)
{
	memset(c, 0, sizeof *c);
	atomic_init(&c->quit, 0);
	atomic_init(&c->sleeping, 0);
	atomic_init(&c->waiting, 0);
	atomic_init(&c->gen, 0);
	atomic_init(&c->finished, 0);
	atomic_init(&c->solo, 0);
	c->A = A;
	/* too small to be worth a thread: below about a million scores a
	 * whole solve takes milliseconds, and every hand-over waits for the
	 * other thread to be scheduled, which on a busy machine costs more
	 * than the scans it takes over */
	if (A->n < 2 * BATCH ||
	    (A->n * A->m < HF__MATCH_LARGE && !hf__auc_crew_small) ||
	    hf__match_alone)
		return;
	if (!(c->tmp2 = malloc((2 * A->m + 1) * sizeof *c->tmp2)))
		return;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->go, NULL);
	pthread_cond_init(&c->done, NULL);
	c->started = pthread_create(&c->th, NULL, crew_main, c) == 0;
	if (!c->started) {
		pthread_mutex_destroy(&c->mu);
		pthread_cond_destroy(&c->go);
		pthread_cond_destroy(&c->done);
	}
}

static void crew_stop(crew *c)
{
	if (c->started) {
		pthread_mutex_lock(&c->mu);
		atomic_store(&c->quit, 1);
		pthread_cond_signal(&c->go);
		pthread_mutex_unlock(&c->mu);
		pthread_join(c->th, NULL);
		pthread_mutex_destroy(&c->mu);
		pthread_cond_destroy(&c->go);
		pthread_cond_destroy(&c->done);
	}
	free(c->tmp2);
}

/* Per-person value of household i at sink k less the sink's price: from
 * its candidate list where the unit is on it (the value the list decides
 * by), else from its score. */
static double sink_value(const auc *A, size_t i, size_t k)
{
	double inv;
	if (A->cl[i].ep == A->epoch && k < 2 * A->m) {
		const int32_t *u = A->cl[i].u;
		size_t c;
		for (c = 0; c < HF_AUC_K && u[c] >= 0; c++)
			if ((size_t)u[c] == k / 2)
				return A->cl[i].v[c] - A->top[k];
	}
	/* the household's persons only here (a cache miss a holder) */
	inv = 1.0 / (double)A->in->hh[i].persons;
	if (k == 2 * A->m)
		return -A->pen * inv - A->top[k];
	return hf__auc_value(A, i, k / 2) * inv - A->top[k];
}

/* The first or second half of the households (part 0, 1): what a look
 * at each finds (seen), and their lists where a list no longer decides. */
static void best_values(auc *A, size_t part, double *tmp, void *arg)
{
	size_t i, half = A->n / 2;
	(void)arg;
	for (i = part ? half : 0; i < (part ? A->n : half); i++) {
		seen *x = &A->seen[i];
		if (!scan_list(A, i, &x->k1, &x->v1, &x->v2))
			scan_household(A, i, tmp, &x->k1, &x->v1, &x->v2);
	}
}

int hf__auc_rebid = 1, hf__auc_unit = 1;

/* Sink k's heap in order again after its prices changed, and its top. */
static void reheap(auc *A, size_t k)
{
	sink *s = &A->s[k];
	size_t e;
	for (e = s->len / ARITY + 1; e-- > 0;)
		if (e < s->len)
			sift_down(s->h, s->len, e);
	retop(A, k);
}

/*
 * A phase starts from the last one's holdings. Holders that are no longer
 * within the new epsilon of their best sink let go and bid again; their
 * slots are free at the sink's price (its cheapest slot: a free slot left
 * at a higher price would start a war of epsilon steps). The others keep
 * their slots, on large instances (A->rebid) each at the price it would
 * bid for them now: the price at which its best other sink would be worth
 * epsilon more (but not below the sink's price), which keeps it within
 * epsilon whatever the sink's price rises to while it holds them. A bid
 * into the sink then evicts the holder that would go elsewhere soonest.
 * Until 2026-12-07 every kept slot was repriced to the sink's cheapest
 * instead, as it still is on small instances: a bid into a sink then
 * evicted a holder that bid straight back, evicting the next, until every
 * holder of the sink had bid once, and a round's first phase, with a few
 * dozen households let go, cost 300,000-450,000 bids where it costs
 * 10,000-40,000 now (national 90:108, bench/RESULTS.md). The dummies'
 * slots stay at the sink's price: a dummy is worth as much anywhere
 * (arg: their best value).
 *
 * keep_holders takes the sinks of the first or second half of the units
 * (part 0, 1; the unassigned's sink with the second). A sink is its own:
 * the halves share only the households' persons left to place (a split
 * household holds in both), counted down atomically, so the holdings are
 * the same with one thread or two.
 */
static void keep_holders(auc *A, size_t part, double *tmp, void *arg)
{
	const double dbest = *(const double *)arg;
	size_t half = 2 * (A->m / 2), from = part ? half : 0,
	       to = part ? A->nk : half, k, e;
	for (k = from; k < to; k++) {
		sink *s = &A->s[k];
		int64_t fr = 0;
		size_t keep = 0;
		double q = A->top[k];
		int moved = 0;
		for (e = 0; e < s->len; e++) {
			ent x = s->h[e];
			int ok = 0;
			double p = q;
			/* a holder further on, asked of memory ahead */
			if (e + 8 < s->len && s->h[e + 8].owner >= 0) {
				__builtin_prefetch(&A->cl[s->h[e + 8].owner]);
				__builtin_prefetch(&A->seen[s->h[e + 8].owner]);
			}
			if (x.owner >= 0 && (size_t)x.owner < A->n) {
				seen *b = &A->seen[x.owner];
				double v, other;
				int own;
				if (isnan(b->v1))
					scan_household(A, (size_t)x.owner, tmp,
						       &b->k1, &b->v1, &b->v2);
				v = sink_value(A, (size_t)x.owner, k);
				/* its best sink is this one, or (A->unit) the
				 * other sink of its unit: it holds its best
				 * unit */
				own = b->k1 == (long)k ||
				      (A->unit && b->k1 >= 0 && k < 2 * A->m &&
				       (size_t)b->k1 / 2 == k / 2);
				ok = own || v >= b->v1 - A->eps;
				/* its best value at another sink, or unit
				 * (at most the true one: a lower price, a
				 * safe bid); none, as in a bid: a range
				 * below */
				if (A->rebid) {
					other = own ? b->v2 : b->v1;
					if (other == -INFINITY)
						other =
						    v - fmax(A->range, A->eps);
					p = q + v - other + A->eps;
					if (A->whole)
						p = floor(p);
					p = dmax(p, q);
				}
			} else if (x.owner >= 0) {
				ok = -q >= dbest - A->eps;
			}
			if (!ok) {
				fr += x.count;
				continue;
			}
			/* a split household holds in sinks of both halves */
			__atomic_sub_fetch(&A->left[x.owner], x.count,
					   __ATOMIC_RELAXED);
			moved |= p != q;
			x.price = p;
			s->h[keep++] = x;
		}
		if (fr)
			s->h[keep++] = (ent){q, -1, fr};
		s->len = keep;
		if (moved)
			reheap(A, k);
	}
}

int hf__auc_phase(auc *A)
{
	size_t k, i;
	double dbest = -INFINITY;
	int rc;

	for (i = 0; i <= A->n; i++) {
		A->left[i] = i < A->n ? A->in->hh[i].persons : A->dummies;
		A->inq[i] = 0;
		A->seen[i].v1 = NAN;
	}
	/* every household's best value, in row order: from its list (the
	 * unit prices are those the last phase ended at), else one streaming
	 * pass instead of rows fetched at random below */
	if (A->phases)
		hf__auc_crew_run(A, best_values, NULL);
	/* the dummies' best: a free part of a unit, or staying out */
	for (k = 0; k < A->m; k++)
		dbest = fmax(dbest, -A->top[2 * k + 1]);
	dbest = fmax(dbest, -A->top[2 * A->m]);
	/* the first phase of all has no best values yet: each holder scans
	 * its row there, one thread writing them */
	if (A->phases) {
		hf__auc_crew_run(A, keep_holders, &dbest);
	} else {
		keep_holders(A, 0, A->tmp, &dbest);
		keep_holders(A, 1, A->tmp, &dbest);
	}
	A->qh = A->qn = 0;
	for (i = 0; i <= A->n; i++)
		if (A->left[i] > 0)
			enqueue(A, i);
	while (A->qn) {
		crew *c = A->crew;
		for (c->nb = 0; c->nb < BATCH && A->qn; c->nb++) {
			size_t b = A->q[A->qh];
			A->qh = A->qh == A->n ? 0 : A->qh + 1;
			A->qn--;
			A->inq[b] = 0;
			c->batch[c->nb] = b;
		}
		crew_scan(c);
		/* the holders the bids will evict first, asked of memory
		 * together (their persons left to place; a cache miss each) */
		for (k = 0; k < c->nb; k++) {
			const sink *s =
			    c->res[k].k1 >= 0 ? &A->s[c->res[k].k1] : NULL;
			if (s && s->len && s->h[0].owner >= 0)
				__builtin_prefetch(&A->left[s->h[0].owner]);
		}
		for (k = 0; k < c->nb; k++) {
			size_t b = c->batch[k];
			look *l = &c->res[k];
			if (A->left[b] <= 0)
				continue;
			if (l->k1 < 0 || A->top[l->k1] != l->top)
				scan(A, b, A->tmp, l);
			if ((rc = apply(A, b, l)) < 0)
				return rc;
			while (A->left[b] > 0)
				if ((rc = bid(A, b)) < 0)
					return rc;
		}
	}
	return HF_OK;
}

typedef struct loads {
	int32_t *lp;
	double *frac;
} loads;

/* The holders of the sinks of the first or second half of the units
 * (part 0, 1; the unassigned's sink with the second), as keep_holders
 * shares them: a unit's loads are summed by one thread, in the order of
 * its sinks, so they are the same with one thread or two. Only a split
 * household holds in both halves; its unit is set by whichever half comes
 * first and made -2 by the other, atomically (lp NULL: the loads
 * alone). The holders' households are asked of memory ahead (a cache miss
 * each, and another for their use). */
static void loads_half(auc *A, size_t part, double *tmp, void *arg)
{
	const loads *L = arg;
	const hf_match_instance *in = A->in;
	const size_t nd = in->ndims, half = 2 * (A->m / 2);
	size_t k, e, d;
	(void)tmp;
	for (k = part ? half : 0; k < (part ? A->nk : half); k++) {
		const sink *s = &A->s[k];
		int32_t u = k < 2 * A->m ? (int32_t)(k / 2) : -1;
		for (e = 0; e < s->len; e++) {
			const ent *x = &s->h[e];
			const hf_match_household *h;
			int32_t was = -3;
			size_t i;
			if (e + 16 < s->len && s->h[e + 16].owner >= 0 &&
			    (size_t)s->h[e + 16].owner < A->n)
				__builtin_prefetch(&in->hh[s->h[e + 16].owner]);
			if (e + 8 < s->len && s->h[e + 8].owner >= 0 &&
			    (size_t)s->h[e + 8].owner < A->n) {
				size_t o = (size_t)s->h[e + 8].owner;
				__builtin_prefetch(in->hh[o].use);
				if (L->lp)
					__builtin_prefetch(&L->lp[o], 1);
			}
			if (x->owner < 0 || (size_t)x->owner >= A->n)
				continue;
			i = (size_t)x->owner;
			if (L->lp &&
			    !__atomic_compare_exchange_n(&L->lp[i], &was, u, 0,
							 __ATOMIC_RELAXED,
							 __ATOMIC_RELAXED) &&
			    was != u)
				__atomic_store_n(&L->lp[i], -2,
						 __ATOMIC_RELAXED);
			if (u < 0)
				continue;
			h = &in->hh[i];
			for (d = 0; d < nd; d++)
				L->frac[(size_t)u * nd + d] +=
				    (double)h->use[d] * (double)x->count /
				    (double)h->persons;
		}
	}
}

void hf__auc_loads(auc *A, int32_t *lp, double *frac)
{
	loads L = {lp, frac};
	size_t i;
	for (i = 0; lp && i < A->n; i++)
		lp[i] = -3;
	memset(frac, 0, A->m * A->in->ndims * sizeof *frac);
	hf__auc_crew_run(A, loads_half, &L);
}

/* The classes of households by use and size (A->cls): hashed use
 * vectors (persons too: a unit price's fall is worth the same per person
 * to all, a Lagrange price's fall per person depends on the size), open
 * addressing. Too many classes to pay (more than 4 n / m, so that their
 * gains cost less than a pass over the households' lists) or no memory:
 * none (ncls 0), and the relist falls back to the sum over dimensions of
 * the largest fall. */
static void build_classes(auc *A)
{
	const hf_match_instance *in = A->in;
	size_t nd = in->ndims, i, d, size = 64, cap = 4 * A->n / A->m + 1;
	uint32_t *tab;
	A->cls_built = 1;
	while (size < 2 * cap)
		size *= 2;
	tab = malloc(size * sizeof *tab);
	A->cls = malloc((A->n + 1) * sizeof *A->cls);
	A->crep = malloc((cap + 1) * sizeof *A->crep);
	if (!tab || !A->cls || !A->crep)
		goto fail;
	memset(tab, 0xff, size * sizeof *tab);
	for (i = 0; i < A->n; i++) {
		const int64_t *u = in->hh[i].use;
		uint64_t h = 1469598103934665603ull;
		size_t x;
		for (d = 0; d < nd; d++)
			h = (h ^ (uint64_t)u[d]) * 1099511628211ull;
		for (x = h & (size - 1);; x = (x + 1) & (size - 1)) {
			const int64_t *v;
			if (tab[x] == UINT32_MAX) {
				if (A->ncls == cap)
					goto fail;
				A->crep[A->ncls] = i;
				tab[x] = (uint32_t)A->ncls++;
				break;
			}
			v = in->hh[A->crep[tab[x]]].use;
			for (d = 0; d < nd && v[d] == u[d]; d++)
				;
			if (d == nd)
				break;
		}
		A->cls[i] = tab[x];
	}
	free(tab);
	return;
fail:
	free(tab);
	free(A->cls);
	free(A->crep);
	A->cls = NULL;
	A->crep = NULL;
	A->ncls = 0;
}

int hf__auc_check_lists;
size_t hf__auc_lists_checked, hf__auc_lists_wrong;

/* The tests' check of the lists' invariant after a relist: no unit
 * outside a valid list is now worth more than the list's bound t (up to
 * the rounding of the sums). */
static void check_lists(auc *A)
{
	size_t i, j, c;
	double *t = malloc((A->m + 1) * sizeof *t);
	if (!t)
		return;
	for (i = 0; i < A->n; i++) {
		const cand *cl = &A->cl[i];
		double tol;
		if (cl->ep != A->epoch || cl->t == -INFINITY)
			continue;
		hf__auc_row(A, i, A->scale / (double)A->in->hh[i].persons,
			    A->uprice, t);
		tol = 1e-9 * (fabs(cl->t) + A->range * A->scale);
		for (j = 0; j < A->m; j++) {
			for (c = 0; c < HF_AUC_K && cl->u[c] >= 0; c++)
				if ((size_t)cl->u[c] == j)
					break;
			if ((c == HF_AUC_K || cl->u[c] < 0) &&
			    t[j] > cl->t + tol)
				hf__auc_lists_wrong++;
		}
		hf__auc_lists_checked++;
	}
	free(t);
}

int hf__auc_shift = 1;

/*
 * New Lagrange prices (delta: their change per unit and dimension) change
 * what a place at a unit is worth to its holders, per person: by delta
 * times their loads of the dimensions over their persons. The unit's
 * slots move by that much (on large instances, A->shift), so that its
 * holders stay about as well off as they were. Without it (before
 * 2026-12-07, and on small instances still) a unit whose Lagrange prices
 * rose kept its slot prices, the holders it lost left free slots there
 * that nobody wanted at that price, and since auction prices only rise,
 * the other units' prices all climbed by epsilon steps until it was
 * relatively cheaper: every household bid in a round's first phase. A part
 * of a unit that holds free places (dummies) keeps its prices: its price
 * is the dummies' level, not the holders'; no other part above the
 * corridor minimum falls below that level (it would draw the dummies).
 * The minimum part of a unit moves with it. fall[j]: how much unit j's
 * price fell (negative where it rose), for the lists.
 */
size_t hf__auc_loads_checked, hf__auc_loads_wrong;

static void shift_prices(auc *A, const double *delta, double *fall)
{
	const hf_match_instance *in = A->in;
	size_t nd = in->ndims, j, k, e, d;
	double *own = NULL, lvl = INFINITY;
	/* the holdings' loads as the caller read them, unless a bid moved
	 * them since: the same sums in the same order (the tests sum them
	 * here too and compare) */
	const double *load = A->load_bids == A->bids ? A->load : NULL;
	if (!load || hf__auc_check_lists) {
		if (!(own = malloc(A->m * nd * sizeof *own)))
			return;
		hf__auc_loads(A, NULL, own);
	}
	if (load && own) {
		hf__auc_loads_checked++;
		hf__auc_loads_wrong +=
		    memcmp(load, own, A->m * nd * sizeof *own) != 0;
	}
	if (!load)
		load = own;
	for (k = 1; k < A->nk; k += 2)
		lvl = fmin(lvl, A->top[k]);
	lvl = fmin(lvl, A->top[2 * A->m]);
	for (j = 0; j < A->m; j++) {
		double dl = 0, was = A->uprice[j];
		if (!(load[j * nd] > 0))
			continue;
		for (d = 1; d < nd; d++)
			dl += delta[j * nd + d] * load[j * nd + d];
		dl *= A->scale / load[j * nd];
		if (dl == 0)
			continue;
		for (k = 2 * j; k < 2 * j + 2; k++) {
			sink *s = &A->s[k];
			int dummies = 0;
			for (e = 0; k % 2 && e < s->len; e++)
				dummies |= s->h[e].owner < 0 ||
					   (size_t)s->h[e].owner >= A->n;
			if (dummies)
				continue; /* free places: the dummies' level */
			for (e = 0; e < s->len; e++) {
				double p = s->h[e].price - dl;
				s->h[e].price = k % 2 && p < lvl ? lvl : p;
			}
			retop(A, k);
		}
		fall[j] = was - A->uprice[j];
	}
	free(own);
}

/* What a round's change of the Lagrange prices does to the lists. */
typedef struct moved {
	const double *delta; /* per unit and dimension, the change */
	const double *drop;  /* per dimension, the largest fall */
	const double *gain;  /* per class, the most a unit gained; or NULL */
	double most;	     /* the largest fall of a unit price */
} moved;

/* The first or second half of the households' lists (part 0, 1): each
 * listed value by its unit's change for what the household uses, the
 * bound of the rest by the most any unit gained for its class. */
static void move_lists(auc *A, size_t part, double *tmp, void *arg)
{
	const moved *mv = arg;
	const hf_match_instance *in = A->in;
	size_t nd = in->ndims, half = A->n / 2, i, c, d;
	(void)tmp;
	for (i = part ? half : 0; i < (part ? A->n : half); i++) {
		const int64_t *u = in->hh[i].use;
		double f = A->scale / (double)in->hh[i].persons, up = 0;
		cand *cl = &A->cl[i];
		if (cl->ep != A->epoch)
			continue;
		for (c = 0; c < HF_AUC_K && cl->u[c] >= 0; c++) {
			size_t uj = (size_t)cl->u[c];
			double l = 0;
			for (d = 1; d < nd; d++)
				l += mv->delta[uj * nd + d] * (double)u[d];
			cl->v[c] -= l * f;
		}
		if (mv->gain) {
			up = mv->gain[A->cls[i]];
		} else {
			for (d = 1; d < nd; d++)
				up += mv->drop[d] * (double)u[d];
			up = up * f + mv->most;
		}
		if (cl->t != -INFINITY)
			cl->t += up;
	}
}

void hf__auc_relist(auc *A)
{
	const hf_match_instance *in = A->in;
	size_t nd = in->ndims, j, d, c, any = 0;
	double *delta, drop[64], *gain = NULL, *fall, most = 0;
	if (!A->lamc)
		return; /* persons only: the prices of a list stay */
	if (nd > 64 || !(delta = malloc(A->m * nd * sizeof *delta))) {
		A->epoch++;
		return;
	}
	if (!(fall = calloc(A->m + 1, sizeof *fall))) {
		free(delta);
		A->epoch++;
		return;
	}
	for (d = 0; d < nd; d++)
		drop[d] = 0;
	for (j = 0; j < A->m; j++)
		for (d = 1; d < nd; d++) {
			double now = A->lam ? A->lam[j * nd + d] : 0;
			double x = now - A->lamc[j * nd + d];
			delta[j * nd + d] = x;
			if (-x > drop[d])
				drop[d] = -x;
			any |= x != 0;
			A->lamc[j * nd + d] = now;
		}
	if (any && A->shift)
		shift_prices(A, delta, fall);
	for (j = 0; j < A->m; j++)
		most = fmax(most, fall[j]);
	if (any && !A->cls_built)
		build_classes(A);
	if (any && A->ncls && (gain = malloc(A->ncls * sizeof *gain))) {
		/* per class the most any unit gained per person (scaled):
		 * its Lagrange prices' fall for the class's use and its unit
		 * price's fall; at most the sum of the largest falls, and
		 * often far less (the two about cancel for a unit's typical
		 * holders) */
		for (c = 0; c < A->ncls; c++) {
			const int64_t *u = in->hh[A->crep[c]].use;
			double g = 0, f = A->scale / (double)u[0];
			for (j = 0; j < A->m; j++) {
				double l = 0;
				for (d = 1; d < nd; d++)
					l -= delta[j * nd + d] * (double)u[d];
				l = l * f + fall[j];
				g = l > g ? l : g;
			}
			gain[c] = g;
		}
	}
	if (any) {
		moved mv = {delta, drop, gain, most};
		hf__auc_crew_run(A, move_lists, &mv);
	}
	free(gain);
	free(fall);
	free(delta);
	if (hf__auc_check_lists)
		check_lists(A);
}

void hf__auc_crew_run(auc *A, hf__auc_job job, void *arg)
{
	crew *c = A->crew;
	unsigned g;
	if (!c || !c->started || atomic_load(&c->solo)) {
		job(A, 0, A->tmp, arg);
		job(A, 1, A->tmp, arg);
		return;
	}
	c->job = job;
	c->arg = arg;
	g = atomic_load(&c->gen) + 1;
	publish(c, &c->gen, g, &c->sleeping, &c->go);
	job(A, 0, A->tmp, arg);
	await_change(c, &c->finished, g - 1, &c->waiting, &c->done);
	c->job = NULL;
}

int hf__auc_crew_small;

struct crew *hf__auc_crew_new(auc *A)
{
	crew *c = malloc(sizeof *c);
	if (c)
		crew_start(c, A);
	return c;
}

void hf__auc_crew_free(struct crew *c)
{
	if (!c)
		return;
	crew_stop(c);
	free(c);
}

int hf__auc_crew_solo(struct crew *c, int on)
{
	if (!c || !c->started)
		return 0;
	atomic_store(&c->solo, on);
	return 1;
}

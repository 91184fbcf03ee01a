/* match.c: the match instance: modes, admissible units, results, dispatch
 * to the three solvers, built-in scores. The checks are in
 * match_check.c. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match_int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef HF_HAVE_AVX2
#include <immintrin.h>
#endif

static const char *const mode_slugs[] = {"optimal", "stable", "allocate"};

const char *hf_match_mode_slug(hf_match_mode m)
{
	return (unsigned)m < HF_MATCH_MODE_COUNT ? mode_slugs[m] : "?";
}

int hf_match_mode_parse(const char *s, hf_match_mode *out)
{
	int k;
	for (k = 0; k < HF_MATCH_MODE_COUNT; k++)
		if (s && !strcmp(s, mode_slugs[k])) {
			*out = (hf_match_mode)k;
			return HF_OK;
		}
	return HF_EINVAL;
}

void hf_match_options_init(hf_match_options *o)
{
	o->gap_target = 1e-4;
	o->max_rounds = 60;
}

static int oom(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
}

/* ---- admissible units ------------------------------------------------ */

int hf__match_offers(const hf_match_unit *u, uint32_t s)
{
	size_t k;
	for (k = 0; k < u->nservices; k++)
		if (u->services[k] == s)
			return 1;
	return 0;
}

int hf__match_allow_build(const hf_match_instance *in, hf__match_allow *a)
{
	uint64_t *row = NULL, *hash = NULL;
	size_t i, j, k, cap = 8;

	memset(a, 0, sizeof *a);
	a->words = (in->m + 63) / 64 ? (in->m + 63) / 64 : 1;
	a->set = calloc(in->n ? in->n : 1, sizeof *a->set);
	a->bits = calloc(cap * a->words, sizeof *a->bits);
	hash = calloc(cap, sizeof *hash);
	row = calloc(a->words, sizeof *row);
	if (!a->set || !a->bits || !hash || !row)
		goto fail;
	for (j = 0; j < in->m; j++)
		a->bits[j / 64] |= (uint64_t)1 << (j % 64);
	a->nsets = 1;
	for (i = 0; i < in->n; i++) {
		const hf_match_household *h = &in->hh[i];
		uint64_t hv = 1469598103934665603ull;
		if (!h->nneeds)
			continue;
		memset(row, 0, a->words * sizeof *row);
		for (j = 0; j < in->m; j++) {
			for (k = 0; k < h->nneeds; k++)
				if (!hf__match_offers(&in->units[j],
						      h->needs[k]))
					break;
			if (k == h->nneeds)
				row[j / 64] |= (uint64_t)1 << (j % 64);
		}
		for (k = 0; k < a->words; k++)
			hv = (hv ^ row[k]) * 1099511628211ull;
		for (k = 0; k < a->nsets; k++)
			if (hash[k] == hv &&
			    !memcmp(a->bits + k * a->words, row,
				    a->words * sizeof *row))
				break;
		if (k == a->nsets) {
			if (a->nsets == cap) {
				uint64_t *nb = realloc(
				    a->bits, 2 * cap * a->words * sizeof *nb);
				uint64_t *nh;
				if (!nb)
					goto fail;
				a->bits = nb;
				nh = realloc(hash, 2 * cap * sizeof *nh);
				if (!nh)
					goto fail;
				hash = nh;
				cap *= 2;
			}
			memcpy(a->bits + k * a->words, row,
			       a->words * sizeof *row);
			hash[k] = hv;
			a->nsets++;
		}
		a->set[i] = (uint32_t)k;
	}
	hash[0] = 0;
	free(hash);
	free(row);
	return HF_OK;
fail:
	free(hash);
	free(row);
	hf__match_allow_free(a);
	return HF_ENOMEM;
}

void hf__match_allow_free(hf__match_allow *a)
{
	free(a->bits);
	free(a->set);
	memset(a, 0, sizeof *a);
}

/* ---- results ---------------------------------------------------------- */

hf_match_result *hf__match_result_new(const hf_match_instance *in,
				      hf_match_mode mode)
{
	hf_match_result *r = calloc(1, sizeof *r);
	size_t n = in->n ? in->n : 1, md = in->m * in->ndims + 1, i;
	if (!r)
		return NULL;
	r->mode = mode;
	r->n = in->n;
	r->m = in->m;
	r->ndims = in->ndims;
	r->unit = malloc(n * sizeof *r->unit);
	r->score = calloc(n, sizeof *r->score);
	r->why = calloc(n, sizeof *r->why);
	r->best = malloc(n * sizeof *r->best);
	r->rank = calloc(n, sizeof *r->rank);
	r->load = calloc(md, sizeof *r->load);
	r->price = calloc(md, sizeof *r->price);
	r->floor_price = calloc(in->m + 1, sizeof *r->floor_price);
	if (!r->unit || !r->score || !r->why || !r->best || !r->rank ||
	    !r->load || !r->price || !r->floor_price) {
		hf_match_result_free(r);
		return NULL;
	}
	for (i = 0; i < in->n; i++) {
		r->unit[i] = -1;
		r->best[i] = -1;
		r->why[i] = HF_MATCH_WHY_NONE;
	}
	r->bound = NAN;
	r->gap = NAN;
	return r;
}

void hf_match_result_free(hf_match_result *r)
{
	if (!r)
		return;
	free(r->unit);
	free(r->score);
	free(r->why);
	free(r->best);
	free(r->rank);
	free(r->load);
	free(r->price);
	free(r->floor_price);
	free(r);
}

typedef struct halves {
	hf__match_range_fn *fn;
	void *arg;
	size_t from, to;
} halves;

static void *half_run(void *x)
{
	halves *h = x;
	h->fn(h->arg, 1, h->from, h->to);
	return NULL;
}

void hf__match_halves(size_t n, size_t m, hf__match_range_fn *fn, void *arg)
{
	halves h = {fn, arg, n, n};
	pthread_t th;
	int threaded = 0;
	if (n >= 2 && n * m >= HF__MATCH_LARGE) {
		h.from = n / 2;
		threaded = pthread_create(&th, NULL, half_run, &h) == 0;
	}
	fn(arg, 0, 0, h.from);
	if (threaded)
		pthread_join(th, NULL);
	else if (h.from < n)
		fn(arg, 1, h.from, n);
}

typedef struct best_pass {
	const hf_match_instance *in;
	const hf__match_allow *a;
	int32_t *best;
} best_pass;

/* Each household's best admissible unit, by the scores (-1: none). */
static void best_units(void *arg, size_t part, size_t from, size_t to)
{
	const best_pass *p = arg;
	const hf_match_instance *in = p->in;
	size_t i, j, j0;
	uint32_t b;
	(void)part;
	for (i = from; i < to; i++) {
		const uint64_t *row = hf__match_row(p->a, i);
		double bv = -INFINITY;
		p->best[i] = -1;
		for (j0 = 0; j0 < in->m; j0 += 32)
			for (b = hf__match_above(&in->scores, i, j0,
						 HF_MATCH_SPAN(in->m, j0), bv);
			     b; b &= b - 1) {
				double v;
				j = j0 + (size_t)__builtin_ctz(b);
				if (!hf__match_ok(row, j) ||
				    hf__match_upper(&in->units[j]) <
					in->hh[i].persons)
					continue;
				v = hf_match_score(&in->scores, i, j);
				if (v > bv) {
					bv = v;
					p->best[i] = (int32_t)j;
				}
			}
	}
}

void hf__match_result_finish(const hf_match_instance *in,
			     const hf__match_allow *a, hf_match_result *r,
			     int best)
{
	long double obj = 0;
	size_t i, d;

	memset(r->load, 0, in->m * in->ndims * sizeof *r->load);
	r->assigned = r->unassigned = 0;
	if (best) {
		/* a pass over the scores, on two threads where large (the
		 * national answer's: 0.034-0.038 s instead of 0.046-0.053 s
		 * on one; traced, three runs each) */
		best_pass p = {in, a, r->best};
		hf__match_halves(in->n, in->m, best_units, &p);
	} else {
		for (i = 0; i < in->n; i++)
			r->best[i] = -1;
	}
	for (i = 0; i < in->n; i++) {
		int64_t u = r->unit[i];
		if (u < 0) {
			r->unassigned++;
			r->score[i] = -in->penalty;
			r->why[i] = HF_MATCH_WHY_NONE;
			obj -= in->penalty;
			continue;
		}
		r->assigned++;
		r->score[i] = hf_match_score(&in->scores, i, (size_t)u);
		obj += r->score[i];
		for (d = 0; d < in->ndims; d++)
			r->load[(size_t)u * in->ndims + d] += in->hh[i].use[d];
	}
	r->objective = (double)obj;
}

int hf__match_fits(const hf_match_instance *in, const int64_t *load, size_t i,
		   size_t j)
{
	const hf_match_unit *u = &in->units[j];
	const int64_t *l = load + j * in->ndims;
	size_t d;
	if (l[0] + in->hh[i].persons > u->max)
		return 0;
	for (d = 0; d < in->ndims; d++)
		if (l[d] + in->hh[i].use[d] > u->cap[d])
			return 0;
	return 1;
}

uint32_t hf__match_above(const hf_match_scores *s, size_t i, size_t j0,
			 size_t n, double t)
{
	uint32_t bits = 0;
	size_t k = 0;
	if (s->col == 1 && s->stype == HF_MATCH_F32) {
		const float *r = (const float *)s->data + i * s->row + j0;
		/* a float is above t exactly when it is above tf: t rounded
		 * to a float, one step down where that rounded up */
		float tf = (float)t;
		if ((double)tf > t)
			tf = nextafterf(tf, -INFINITY);
#ifdef __SSE2__
		{
			__m128 v = _mm_set1_ps(tf);
			for (; k + 4 <= n; k += 4)
				bits |= (uint32_t)_mm_movemask_ps(_mm_cmpgt_ps(
					    _mm_loadu_ps(r + k), v))
					<< k;
		}
#endif
		for (; k < n; k++)
			bits |= (uint32_t)(r[k] > tf) << k;
		return bits;
	}
	for (; k < n; k++)
		bits |= (uint32_t)(hf_match_score(s, i, j0 + k) > t) << k;
	return bits;
}

/*
 * t = score × f − up − the prices of what the household uses (lamt's
 * dimensions, each g_d = use_d × f), in one loop for up to three used
 * dimensions: a scan no longer writes and reads its row once a
 * dimension. The terms are subtracted in the order of the dimensions, as
 * the separate loops did, so the values are the same to the bit.
 */
#define VALUES_FN(name, T, attr)                                               \
	attr static void name(                                                 \
	    double *restrict t, const T *restrict s,                           \
	    const double *restrict up, double f, const double *restrict l0,    \
	    const double *restrict l1, const double *restrict l2,              \
	    const double *g, size_t k, size_t m)                               \
	{                                                                      \
		size_t j;                                                      \
		switch (k) {                                                   \
		case 0:                                                        \
			for (j = 0; j < m; j++)                                \
				t[j] = (double)s[j] * f - up[j];               \
			break;                                                 \
		case 1:                                                        \
			for (j = 0; j < m; j++)                                \
				t[j] =                                         \
				    (double)s[j] * f - up[j] - l0[j] * g[0];   \
			break;                                                 \
		case 2:                                                        \
			for (j = 0; j < m; j++)                                \
				t[j] = (double)s[j] * f - up[j] -              \
				       l0[j] * g[0] - l1[j] * g[1];            \
			break;                                                 \
		default:                                                       \
			for (j = 0; j < m; j++)                                \
				t[j] = (double)s[j] * f - up[j] -              \
				       l0[j] * g[0] - l1[j] * g[1] -           \
				       l2[j] * g[2];                           \
		}                                                              \
	}

VALUES_FN(values32, float, )
VALUES_FN(values64, double, )
#ifdef HF_HAVE_AVX2
/* the same loops for AVX2: four doubles an instruction instead of two,
 * the same arithmetic */
VALUES_FN(values32_avx2, float, __attribute__((target("avx2"))))
VALUES_FN(values64_avx2, double, __attribute__((target("avx2"))))
#endif

void hf__match_values(const hf_match_instance *in, const hf__match_allow *a,
		      size_t i, double f, const double *up, const double *lamt,
		      int avx2, double *t)
{
	const size_t mm = in->m;
	const double *l[3] = {NULL, NULL, NULL};
	double g[3];
	size_t j, d, k = 0, from = in->ndims;
	(void)avx2;
	/* the dimensions the household uses, the first three fused */
	for (d = 1; lamt && d < in->ndims; d++)
		if (in->hh[i].use[d]) {
			if (k == 3) {
				from = d;
				break;
			}
			l[k] = lamt + d * mm;
			g[k++] = (double)in->hh[i].use[d] * f;
		}
	if (in->scores.col == 1 && in->scores.stype == HF_MATCH_F32) {
		const float *s = (const float *)in->scores.data + i * in->scores.row;
#ifdef HF_HAVE_AVX2
		if (avx2)
			values32_avx2(t, s, up, f, l[0], l[1], l[2], g, k, mm);
		else
#endif
			values32(t, s, up, f, l[0], l[1], l[2], g, k, mm);
	} else if (in->scores.col == 1) {
		const double *s =
		    (const double *)in->scores.data + i * in->scores.row;
#ifdef HF_HAVE_AVX2
		if (avx2)
			values64_avx2(t, s, up, f, l[0], l[1], l[2], g, k, mm);
		else
#endif
			values64(t, s, up, f, l[0], l[1], l[2], g, k, mm);
	} else {
		for (j = 0; j < mm; j++) {
			double x = hf_match_score(&in->scores, i, j) * f - up[j];
			for (d = 0; d < k; d++)
				x -= l[d][j] * g[d];
			t[j] = x;
		}
	}
	/* a fourth dimension and more, a loop each */
	for (d = from; d < in->ndims; d++) {
		const double *restrict ld = lamt + d * mm;
		double gd = (double)in->hh[i].use[d] * f;
		if (!in->hh[i].use[d])
			continue;
		for (j = 0; j < mm; j++)
			t[j] -= ld[j] * gd;
	}
	if (a->set[i]) {
		/* units without the household's needs are out */
		const uint64_t *row = hf__match_row(a, i);
		for (j = 0; j < mm; j++)
			if (!hf__match_ok(row, j))
				t[j] = -INFINITY;
	}
}

long hf__match_best_fit(const hf_match_instance *in, const hf__match_allow *a,
			const int64_t *load, size_t i, size_t not, double *v)
{
	const uint64_t *row = hf__match_row(a, i);
	long bj = -1;
	size_t j, j0;
	uint32_t b;
	for (j0 = 0; j0 < in->m; j0 += 32)
		for (b = hf__match_above(&in->scores, i, j0,
					 HF_MATCH_SPAN(in->m, j0), *v);
		     b; b &= b - 1) {
			double s;
			j = j0 + (size_t)__builtin_ctz(b);
			if (j == not || !hf__match_ok(row, j))
				continue;
			s = hf_match_score(&in->scores, i, j);
			if (s > *v && hf__match_fits(in, load, i, j)) {
				*v = s;
				bj = (long)j;
			}
		}
	return bj;
}

/* ---- solve ------------------------------------------------------------ */

static int solve(const hf_match_instance *in, hf_match_mode mode,
		 const hf_match_options *o, int part, const double *start,
		 hf_match_result **out, hf_error *err)
{
	hf_match_options def;
	hf__match_allow a;
	hf_match_result *r = NULL;
	struct timespec t0, t1;
	int rc;

	*out = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!o) {
		hf_match_options_init(&def);
		o = &def;
	}
	if ((unsigned)mode >= HF_MATCH_MODE_COUNT)
		return hf_error_set(err, HF_EINVAL, "mode",
				    "Unbekannter Modus.", "Unknown mode.");
	if (!part && (rc = hf__match_malformed(in, err)) < 0)
		return rc;
	if (hf__match_allow_build(in, &a) < 0)
		return oom(err);
	if ((rc = hf__match_feasible(in, &a, mode == HF_MATCH_OPTIMAL, err)) <
	    0)
		goto out;
	if (!(r = hf__match_result_new(in, mode))) {
		rc = oom(err);
		goto out;
	}
	switch (mode) {
	case HF_MATCH_OPTIMAL:
		rc = hf__match_optimal(in, o, part, start, &a, r, err);
		break;
	case HF_MATCH_STABLE:
		rc = hf__match_stable(in, &a, r, err);
		break;
	default:
		rc = hf__match_allocate(in, &a, r, err);
		break;
	}
	if (rc < 0)
		goto out;
	if ((rc = hf_match_verify(in, r, mode == HF_MATCH_OPTIMAL, err)) < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		     (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	*out = r;
	r = NULL;
out:
	hf_match_result_free(r);
	hf__match_allow_free(&a);
	return rc;
}

int hf_match_solve(const hf_match_instance *in, hf_match_mode mode,
		   const hf_match_options *o, hf_match_result **out,
		   hf_error *err)
{
	return solve(in, mode, o, 0, NULL, out, err);
}

int hf__match_solve_part(const hf_match_instance *in, const hf_match_options *o,
			 hf_match_result **out, hf_error *err)
{
	return solve(in, HF_MATCH_OPTIMAL, o, 1, NULL, out, err);
}

int hf__match_solve_from(const hf_match_instance *in, const hf_match_options *o,
			 const double *start, hf_match_result **out,
			 hf_error *err)
{
	return solve(in, HF_MATCH_OPTIMAL, o, 1, start, out, err);
}

/* ---- built-in scores -------------------------------------------------- */

void hf_match_weights_default(hf_match_weights *w)
{
	w->tie = 10;
	w->preference = 5;
	w->language = 2;
	w->occupation = 3;
}

static int meet(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t x, y;
	for (x = 0; x < na; x++)
		for (y = 0; y < nb; y++)
			if (a[x] == b[y])
				return 1;
	return 0;
}

int hf_match_scores_builtin(const hf_match_instance *in,
			    const hf_match_traits *t, const hf_match_weights *w,
			    double *out, hf_error *err)
{
	size_t i, j, k;
	(void)err;
	for (i = 0; i < in->n; i++) {
		const hf_match_household *h = &in->hh[i];
		double *row = out + i * in->m;
		for (j = 0; j < in->m; j++) {
			double v = 0;
			if (t && meet(t->hh_lang[i], t->hh_nlang[i],
				      t->unit_lang[j], t->unit_nlang[j]))
				v += w->language;
			if (t && meet(t->hh_occ[i], t->hh_nocc[i],
				      t->unit_occ[j], t->unit_nocc[j]))
				v += w->occupation;
			row[j] = v;
		}
		for (k = 0; k < h->nties; k++)
			if (k == 0 || !meet(h->ties + k, 1, h->ties, k))
				row[h->ties[k]] += w->tie;
		for (k = 0; k < h->nprefs; k++)
			if (!meet(h->prefs + k, 1, h->prefs, k))
				row[h->prefs[k]] +=
				    w->preference *
				    (1.0 - (double)k / (double)h->nprefs);
	}
	return HF_OK;
}

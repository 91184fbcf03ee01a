/* allocate.c: allocation by quota deficit, exact, as allocate.h defines it.
 *
 * Figures are kept as integers over two common denominators: shares as
 * a_i / D (sum a_i = D), credited as c_i / E (T = sum c_i). Then, scaled
 * by D·E, deficit_i = a_i (T + sE) − D c_i, and every comparison is one
 * exact 128-bit product of two 64-bit figures (< 2^126, no overflow).
 *
 * The bound (allocate.h). Every unit eligible, no capacity limit. Write
 * d_i = share_i T − credited_i for the deficit of unit i in a state; the
 * d_i sum to 0. Let G_k = k (h(n) − h(k)) H, so G_n = 0 and
 * G_k = k/(k+1) (G_{k+1} + H). Claim: in every state, every set S of k
 * units has d(S) = sum_{i in S} d_i <= G_k. It holds at the start (all 0).
 * Step with a household of s <= H persons: d_i^+ = d_i + share_i s is the
 * deficit_i the rule sees, the chosen j has the largest, and afterwards
 * d_i' = d_i^+ for i != j and d_j' = d_j^+ − s.
 *  - j in S: d'(S) = d(S) + s (share(S) − 1) <= d(S) <= G_k.
 *  - j not in S (so k < n): d_j^+ >= d_i^+ for each i in S, so d_j^+ is at
 *    least the mean of S, and d'(S) = d^+(S) <= k/(k+1) d^+(S + j)
 *    = k/(k+1) (d(S + j) + s share(S + j)) <= k/(k+1) (G_{k+1} + H) = G_k.
 * k = 1 bounds the deficit by (h(n) − 1) H; the other n − 1 units bound
 * the surplus: −d_i = d(all but i) <= G_{n−1} = (1 − 1/n) H.
 *
 * RELATIVE picks the smallest credited_j / share_j among units of share
 * > 0 (units of share 0 then never receive, so keep credited 0), and that
 * minimum is at most the share-weighted mean sum credited_i = T. So
 * credited_j <= share_j T before, and after receiving s its surplus is
 * credited_j − share_j T + s (1 − share_j) <= (1 − share_j) s. The others'
 * surplus only falls (their quota grows), so surplus_i <= (1 − share_i) H
 * at all times; the deficit, minus the others' surplus, is at most
 * sum_{j != i} (1 − share_j) H = (n − 2 + share_i) H. That is tight up to
 * n ε: with shares 1 − ε and n − 1 times ε/(n − 1), the big unit takes the
 * first person (tie on credited/share = 0, larger share) and then every
 * small unit, still at 0, comes first: after n single persons the big unit
 * is n − 1 − n ε below its quota, against the bound n − 1 − ε.
 */
#include "hafen/allocate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef __int128 i128;
typedef unsigned __int128 u128;

struct hf_alloc {
	hf_alloc_rule rule;
	size_t n;
	int64_t D, E; /* share and credited denominators */
	int64_t T;    /* sum of c, over E */
	int64_t *a;   /* shares over D */
	int64_t *c;   /* credited over E */
	int64_t *cap; /* free places or HF_ALLOC_UNLIMITED */
	i128 *over;   /* largest D c_i − a_i T so far, over D E */
	i128 *under;  /* largest a_i T − D c_i so far */
	/* the state before a batch, restored when it fails */
	int64_t T0;
	int64_t *c0, *cap0;
	i128 *over0, *under0;
};

static const struct {
	const char *slug, *alias;
} rules[HF_ALLOC_RULE_COUNT] = {
	[HF_ALLOC_ABSOLUTE] = {"absolut", "absolute"},
	[HF_ALLOC_RELATIVE] = {"relativ", "relative"},
};

const char *hf_alloc_rule_slug(hf_alloc_rule r)
{
	if ((unsigned)r >= HF_ALLOC_RULE_COUNT)
		return NULL;
	return rules[r].slug;
}

int hf_alloc_rule_parse(const char *s, hf_alloc_rule *out)
{
	int r;
	for (r = 0; s && r < HF_ALLOC_RULE_COUNT; r++) {
		if (!strcmp(s, rules[r].slug) || !strcmp(s, rules[r].alias)) {
			*out = (hf_alloc_rule)r;
			return HF_OK;
		}
	}
	return HF_EINVAL;
}

const char *hf_alloc_reason_text(hf_alloc_reason r, hf_lang lang)
{
	switch (r) {
	case HF_ALLOC_ASSIGNED:
		return hf_tr(lang, "zugewiesen", "assigned");
	case HF_ALLOC_NO_ELIGIBLE:
		return hf_tr(lang, "keine zuständige Einheit",
			     "no eligible unit");
	case HF_ALLOC_NO_CAPACITY:
		return hf_tr(lang, "keine Einheit mit genug freien Plätzen",
			     "no unit with enough free places");
	}
	return "?";
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static u128 gcd128(u128 a, u128 b)
{
	while (b) {
		u128 t;
		if (!(a >> 64) && !(b >> 64))
			return gcd64((uint64_t)a, (uint64_t)b);
		t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* num/den (den > 0) normalised into an hf_rat. */
static int rat128(i128 num, i128 den, hf_rat *out)
{
	u128 an = num < 0 ? (u128)0 - (u128)num : (u128)num;
	u128 ad = (u128)den, g;

	if (an == 0) {
		*out = hf_rat_int(0);
		return HF_OK;
	}
	g = gcd128(an, ad);
	an /= g;
	ad /= g;
	if (an > (u128)INT64_MAX || ad > (u128)INT64_MAX)
		return HF_EOVERFLOW;
	out->num = num < 0 ? -(int64_t)an : (int64_t)an;
	out->den = (int64_t)ad;
	return HF_OK;
}

static int lcm64(int64_t x, int64_t y, int64_t *out)
{
	int64_t g = (int64_t)gcd64((uint64_t)x, (uint64_t)y);
	return __builtin_mul_overflow(x / g, y, out) ? HF_EOVERFLOW : HF_OK;
}

/* r as an integer over den, which r.den divides. */
static int scale(hf_rat r, int64_t den, int64_t *out)
{
	return __builtin_mul_overflow(r.num, den / r.den, out) ? HF_EOVERFLOW
							       : HF_OK;
}

static int overflow(hf_error *err, const char *what, size_t i)
{
	char where[48];
	snprintf(where, sizeof where, "%s %zu", what, i + 1);
	return hf_error_set(err, HF_EOVERFLOW, where,
			    "Die Zuweisung lässt sich bei %s %zu nicht mehr "
			    "exakt in 64 Bit rechnen.",
			    "The allocation cannot be computed exactly in "
			    "64 bits at %s %zu.",
			    what, i + 1);
}

static int nomem(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Kein Speicher mehr.",
			    "Out of memory.");
}

/* Records the deviations of the current state in the running maxima. */
static void track(hf_alloc *a)
{
	size_t i;
	for (i = 0; i < a->n; i++) {
		i128 dev = (i128)a->D * a->c[i] - (i128)a->a[i] * a->T;
		if (dev > a->over[i])
			a->over[i] = dev;
		if (-dev > a->under[i])
			a->under[i] = -dev;
	}
}

static int check_units(const hf_alloc_unit *u, size_t n, hf_error *err)
{
	hf_rat sum = hf_rat_int(0);
	char s[48];
	size_t i;

	if (n == 0)
		return hf_error_set(err, HF_EINVAL, "units",
				    "Die Zuweisung braucht mindestens eine "
				    "Einheit.",
				    "Allocation needs at least one unit.");
	for (i = 0; i < n; i++) {
		char where[32];
		snprintf(where, sizeof where, "unit %zu", i + 1);
		if (u[i].share.num < 0 || u[i].share.den <= 0 ||
		    u[i].credited.den <= 0)
			return hf_error_set(err, HF_EINVAL, where,
					    "Der Anteil der %zu. Einheit ist "
					    "negativ oder ungültig.",
					    "The share of unit %zu is negative "
					    "or invalid.",
					    i + 1);
		if (u[i].capacity < HF_ALLOC_UNLIMITED)
			return hf_error_set(err, HF_EINVAL, where,
					    "Die freien Plätze der %zu. Einheit "
					    "(%lld) sind negativ; -1 heißt "
					    "unbegrenzt.",
					    "The free places of unit %zu "
					    "(%lld) are negative; -1 means "
					    "unlimited.",
					    i + 1, (long long)u[i].capacity);
		if (hf_rat_add(sum, u[i].share, &sum) < 0)
			return overflow(err, "unit", i);
	}
	if (hf_rat_cmp(sum, hf_rat_int(1)) != 0) {
		hf_rat pct;
		if (hf_rat_mul(sum, hf_rat_int(100), &pct) < 0)
			return overflow(err, "unit", 0);
		hf_rat_format_decimal(pct, 10, ',', s, sizeof s);
		return hf_error_set(err, HF_EINVAL, "shares",
				    "Die Anteile ergeben %s %%, nicht genau "
				    "100 %%.",
				    "The shares sum to %s %%, not exactly "
				    "100 %%.",
				    s);
	}
	return HF_OK;
}

/* The common denominators and the scaled figures. */
static int scale_units(hf_alloc *a, const hf_alloc_unit *u, hf_error *err)
{
	i128 T = 0;
	size_t i;

	a->D = a->E = 1;
	for (i = 0; i < a->n; i++)
		if (lcm64(a->D, u[i].share.den, &a->D) < 0 ||
		    lcm64(a->E, u[i].credited.den, &a->E) < 0)
			return overflow(err, "unit", i);
	for (i = 0; i < a->n; i++) {
		if (scale(u[i].share, a->D, &a->a[i]) < 0 ||
		    scale(u[i].credited, a->E, &a->c[i]) < 0)
			return overflow(err, "unit", i);
		a->cap[i] = u[i].capacity;
		T += a->c[i];
	}
	if (T > INT64_MAX || T < INT64_MIN)
		return overflow(err, "unit", a->n - 1);
	a->T = (int64_t)T;
	return HF_OK;
}

int hf_alloc_new(hf_alloc_rule rule, const hf_alloc_unit *units, size_t n,
		 hf_alloc **out, hf_error *err)
{
	hf_alloc *a;
	int rc;

	*out = NULL;
	if ((unsigned)rule >= HF_ALLOC_RULE_COUNT)
		return hf_error_set(err, HF_EINVAL, "rule",
				    "Unbekannte Zuweisungsregel.",
				    "Unknown allocation rule.");
	if ((rc = check_units(units, n, err)) < 0)
		return rc;
	if (!(a = calloc(1, sizeof *a)))
		return nomem(err);
	a->rule = rule;
	a->n = n;
	a->a = calloc(n, sizeof *a->a);
	a->c = calloc(n, sizeof *a->c);
	a->cap = calloc(n, sizeof *a->cap);
	a->c0 = calloc(n, sizeof *a->c0);
	a->cap0 = calloc(n, sizeof *a->cap0);
	a->over = calloc(n, sizeof *a->over);
	a->under = calloc(n, sizeof *a->under);
	a->over0 = calloc(n, sizeof *a->over0);
	a->under0 = calloc(n, sizeof *a->under0);
	if (!a->a || !a->c || !a->cap || !a->c0 || !a->cap0 || !a->over ||
	    !a->under || !a->over0 || !a->under0) {
		rc = nomem(err);
		goto fail;
	}
	if ((rc = scale_units(a, units, err)) < 0)
		goto fail;
	track(a);
	*out = a;
	return HF_OK;
fail:
	hf_alloc_free(a);
	return rc;
}

void hf_alloc_free(hf_alloc *a)
{
	if (!a)
		return;
	free(a->a);
	free(a->c);
	free(a->cap);
	free(a->c0);
	free(a->cap0);
	free(a->over);
	free(a->under);
	free(a->over0);
	free(a->under0);
	free(a);
}

size_t hf_alloc_count(const hf_alloc *a)
{
	return a->n;
}

static void save(hf_alloc *a)
{
	size_t n = a->n;
	a->T0 = a->T;
	memcpy(a->c0, a->c, n * sizeof *a->c);
	memcpy(a->cap0, a->cap, n * sizeof *a->cap);
	memcpy(a->over0, a->over, n * sizeof *a->over);
	memcpy(a->under0, a->under, n * sizeof *a->under);
}

static void restore(hf_alloc *a)
{
	size_t n = a->n;
	a->T = a->T0;
	memcpy(a->c, a->c0, n * sizeof *a->c);
	memcpy(a->cap, a->cap0, n * sizeof *a->cap);
	memcpy(a->over, a->over0, n * sizeof *a->over);
	memcpy(a->under, a->under0, n * sizeof *a->under);
}

/* Whether unit i ranks before unit b (b >= 0, b < i) for RELATIVE:
 * smaller c/a first, share 0 last, then the larger share. */
static int rel_before(const hf_alloc *a, size_t i, size_t b)
{
	int64_t ai = a->a[i], ab = a->a[b];
	i128 l, r;

	if (ai == 0)
		return 0;
	if (ab == 0)
		return 1;
	l = (i128)a->c[i] * ab;
	r = (i128)a->c[b] * ai;
	return l < r || (l == r && ai > ab);
}

/*
 * Chooses the unit for s persons (sE of them over E, total Ts after);
 * -1 when none can take them. Fills the skip counts of r.
 */
static long choose(const hf_alloc *a, const hf_alloc_household *h,
		   int64_t Ts, hf_alloc_result *r)
{
	long best = -1;
	i128 best_def = 0;
	size_t i;

	r->skipped_capacity = r->skipped_eligible = 0;
	for (i = 0; i < a->n; i++) {
		if (!hf_alloc_eligible_has(h->eligible, i)) {
			r->skipped_eligible++;
			continue;
		}
		if (a->cap[i] != HF_ALLOC_UNLIMITED && a->cap[i] < h->persons) {
			r->skipped_capacity++;
			continue;
		}
		if (a->rule == HF_ALLOC_ABSOLUTE) {
			i128 def = (i128)a->a[i] * Ts - (i128)a->D * a->c[i];
			if (best < 0 || def > best_def ||
			    (def == best_def && a->a[i] > a->a[best])) {
				best = (long)i;
				best_def = def;
			}
		} else if (best < 0 || rel_before(a, i, (size_t)best)) {
			best = (long)i;
		}
	}
	return best;
}

static int check_households(const hf_alloc_household *hh, size_t m,
			    hf_error *err)
{
	size_t k;
	for (k = 0; k < m; k++) {
		char where[32];
		if (hh[k].persons >= 1)
			continue;
		snprintf(where, sizeof where, "household %zu", k + 1);
		return hf_error_set(err, HF_EINVAL, where,
				    "Der %zu. Haushalt hat %lld Personen; "
				    "mindestens eine ist nötig.",
				    "Household %zu has %lld persons; at least "
				    "one is needed.",
				    k + 1, (long long)hh[k].persons);
	}
	return HF_OK;
}

/* Gives s persons (sE over E, total Ts after) to unit j. */
static int assign(hf_alloc *a, size_t j, int64_t s, int64_t sE, int64_t Ts)
{
	if (__builtin_add_overflow(a->c[j], sE, &a->c[j]))
		return HF_EOVERFLOW;
	a->T = Ts;
	if (a->cap[j] != HF_ALLOC_UNLIMITED)
		a->cap[j] -= s;
	track(a);
	return HF_OK;
}

static int fill_rows(const hf_alloc *a, hf_alloc_row *rows)
{
	i128 DE = (i128)a->D * a->E;
	size_t i;

	for (i = 0; i < a->n; i++) {
		hf_alloc_row *w = &rows[i];
		if (rat128(a->c0[i], a->E, &w->credited_before) < 0 ||
		    rat128((i128)a->a[i] * a->T0, DE, &w->quota_before) < 0 ||
		    rat128(a->c[i], a->E, &w->credited_after) < 0 ||
		    rat128((i128)a->a[i] * a->T, DE, &w->quota_after) < 0)
			return HF_EOVERFLOW;
		w->capacity_after = a->cap[i];
	}
	return HF_OK;
}

int hf_alloc_batch(hf_alloc *a, const hf_alloc_household *hh, size_t m,
		   hf_alloc_result *res, hf_alloc_row *rows, hf_error *err)
{
	i128 DE = (i128)a->D * a->E;
	size_t k;
	int rc;

	if ((rc = check_households(hh, m, err)) < 0)
		return rc;
	save(a);
	if (rows)
		memset(rows, 0, a->n * sizeof *rows);
	for (k = 0; k < m; k++) {
		hf_alloc_result *r = &res[k];
		int64_t sE, Ts;
		long j;

		if (__builtin_mul_overflow(hh[k].persons, a->E, &sE) ||
		    __builtin_add_overflow(a->T, sE, &Ts))
			goto overflowed;
		j = choose(a, &hh[k], Ts, r);
		r->unit = j;
		r->deficit = hf_rat_int(0);
		if (j < 0) {
			r->reason = r->skipped_eligible == a->n
					    ? HF_ALLOC_NO_ELIGIBLE
					    : HF_ALLOC_NO_CAPACITY;
			continue;
		}
		r->reason = HF_ALLOC_ASSIGNED;
		if (rat128((i128)a->a[j] * Ts - (i128)a->D * a->c[j], DE,
			   &r->deficit) < 0 ||
		    assign(a, (size_t)j, hh[k].persons, sE, Ts) < 0)
			goto overflowed;
		if (rows) {
			rows[j].households++;
			rows[j].persons += hh[k].persons;
		}
	}
	if (rows && fill_rows(a, rows) < 0) {
		restore(a);
		return overflow(err, "unit", 0);
	}
	return HF_OK;
overflowed:
	restore(a);
	return overflow(err, "household", k);
}

int hf_alloc_unit_state(const hf_alloc *a, size_t i, hf_rat *credited,
			hf_rat *quota, int64_t *capacity)
{
	if (i >= a->n)
		return HF_ERANGE;
	if ((credited && rat128(a->c[i], a->E, credited) < 0) ||
	    (quota &&
	     rat128((i128)a->a[i] * a->T, (i128)a->D * a->E, quota) < 0))
		return HF_EOVERFLOW;
	if (capacity)
		*capacity = a->cap[i];
	return HF_OK;
}

int hf_alloc_unit_extremes(const hf_alloc *a, size_t i, hf_rat *over,
			   hf_rat *under)
{
	i128 DE = (i128)a->D * a->E;
	if (i >= a->n)
		return HF_ERANGE;
	if (rat128(a->over[i], DE, over) < 0 ||
	    rat128(a->under[i], DE, under) < 0)
		return HF_EOVERFLOW;
	return HF_OK;
}

int hf_alloc_deviation(const hf_alloc *a, hf_alloc_dev *out)
{
	i128 DE = (i128)a->D * a->E;
	size_t i, o = 0, u = 0;

	for (i = 1; i < a->n; i++) {
		if (a->over[i] > a->over[o])
			o = i;
		if (a->under[i] > a->under[u])
			u = i;
	}
	out->over_unit = o;
	out->under_unit = u;
	if (rat128(a->over[o], DE, &out->max_over) < 0 ||
	    rat128(a->under[u], DE, &out->max_under) < 0)
		return HF_EOVERFLOW;
	out->max_abs = hf_rat_cmp(out->max_over, out->max_under) >= 0
			       ? out->max_over
			       : out->max_under;
	return HF_OK;
}

int hf_alloc_run(hf_alloc_rule rule, const hf_alloc_unit *units, size_t n,
		 const hf_alloc_household *hh, size_t m, hf_alloc_result *res,
		 hf_alloc_row *rows, hf_error *err)
{
	hf_alloc *a;
	int rc = hf_alloc_new(rule, units, n, &a, err);
	if (rc < 0)
		return rc;
	rc = hf_alloc_batch(a, hh, m, res, rows, err);
	hf_alloc_free(a);
	return rc;
}

/* Tests for allocate.c: allocation by quota deficit and its fairness bound. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hafen/allocate.h"
#include "hafen/csv.h"
#include "hafen/error.h"
#include "hafen/rat.h"

#include "testrnd.h"

#define NMAX 16

static uint64_t rnd_state = 0x2545F4914F6CDD1Dull;

static hf_rat R(const char *s)
{
	hf_rat r;
	assert_int_equal(hf_rat_parse(s, &r), HF_OK);
	return r;
}

static void assert_rat(hf_rat a, const char *want)
{
	if (hf_rat_cmp(a, R(want)) != 0) {
		char buf[48];
		hf_rat_format(a, buf, sizeof buf);
		fail_msg("got %s, want %s", buf, want);
	}
}

static hf_rat add(hf_rat a, hf_rat b)
{
	assert_int_equal(hf_rat_add(a, b, &a), HF_OK);
	return a;
}

static hf_rat sub(hf_rat a, hf_rat b)
{
	assert_int_equal(hf_rat_sub(a, b, &a), HF_OK);
	return a;
}

static hf_rat mul(hf_rat a, hf_rat b)
{
	assert_int_equal(hf_rat_mul(a, b, &a), HF_OK);
	return a;
}

static void three_units(hf_alloc_unit u[3])
{
	memset(u, 0, 3 * sizeof *u);
	u[0].share = R("1/2");
	u[1].share = R("1/3");
	u[2].share = R("1/6");
	u[0].capacity = u[1].capacity = u[2].capacity = HF_ALLOC_UNLIMITED;
	u[0].credited = u[1].credited = u[2].credited = hf_rat_int(0);
}

/*
 * Shares 1/2, 1/3, 1/6, nothing credited, households of 2, 1, 3, 1.
 *   2: T+s = 2, quotas 1 2/3 1/3, deficits 1 2/3 1/3        -> A (1)
 *   1: T+s = 3, quotas 3/2 1 1/2, deficits -1/2 1 1/2       -> B (1)
 *   3: T+s = 6, quotas 3 2 1, deficits 3-2 2-1 1-0: a tie;
 *      the larger share wins                                -> A (1)
 *   1: T+s = 7, quotas 7/2 7/3 7/6, deficits -3/2 4/3 7/6   -> B (4/3)
 * Credited 5 2 0, quotas 7/2 7/3 7/6. Deviations credited - share × T
 * after each: (1, -2/3, -1/3), (1/2, 0, -1/2), (2, -1, -1),
 * (3/2, -1/3, -7/6): most over 2 (A), most under 7/6 (C). With H = 3
 * the bound is over <= (1 - 1/3) 3 = 2, met exactly, and
 * under <= (1 + 1/2 + 1/3 - 1) 3 = 5/2.
 */
static void test_example_absolute(void **state)
{
	hf_alloc_unit u[3];
	hf_alloc_household hh[4] = {{2, NULL}, {1, NULL}, {3, NULL}, {1, NULL}};
	hf_alloc_result res[4];
	hf_alloc_row rows[3];
	hf_alloc_dev dev;
	hf_alloc *a;
	hf_error err;
	(void)state;

	three_units(u);
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_alloc_new(HF_ALLOC_ABSOLUTE, u, 3, &a, &err),
			 HF_OK);
	assert_int_equal(hf_alloc_batch(a, hh, 4, res, rows, &err), HF_OK);
	assert_int_equal(res[0].unit, 0);
	assert_rat(res[0].deficit, "1");
	assert_int_equal(res[1].unit, 1);
	assert_rat(res[1].deficit, "1");
	assert_int_equal(res[2].unit, 0);
	assert_rat(res[2].deficit, "1");
	assert_int_equal(res[3].unit, 1);
	assert_rat(res[3].deficit, "4/3");
	assert_int_equal(res[3].reason, HF_ALLOC_ASSIGNED);
	assert_int_equal(res[3].skipped_capacity, 0);
	assert_int_equal(res[3].skipped_eligible, 0);
	assert_rat(rows[0].credited_before, "0");
	assert_rat(rows[0].quota_before, "0");
	assert_rat(rows[0].credited_after, "5");
	assert_rat(rows[1].credited_after, "2");
	assert_rat(rows[2].credited_after, "0");
	assert_rat(rows[0].quota_after, "7/2");
	assert_rat(rows[1].quota_after, "7/3");
	assert_rat(rows[2].quota_after, "7/6");
	assert_int_equal(rows[0].households, 2);
	assert_int_equal(rows[0].persons, 5);
	assert_int_equal(rows[2].households, 0);
	assert_int_equal(rows[2].capacity_after, HF_ALLOC_UNLIMITED);
	assert_int_equal(hf_alloc_deviation(a, &dev), HF_OK);
	assert_rat(dev.max_over, "2");
	assert_int_equal(dev.over_unit, 0);
	assert_rat(dev.max_under, "7/6");
	assert_int_equal(dev.under_unit, 2);
	assert_rat(dev.max_abs, "2");

	/* the next batch starts where this one ended: one person,
	 * T+s = 8, quotas 4 8/3 4/3, deficits -1 2/3 4/3 -> C */
	hh[0].persons = 1;
	assert_int_equal(hf_alloc_batch(a, hh, 1, res, rows, &err), HF_OK);
	assert_int_equal(res[0].unit, 2);
	assert_rat(res[0].deficit, "4/3");
	assert_rat(rows[2].credited_before, "0");
	assert_rat(rows[2].quota_before, "7/6");
	assert_rat(rows[2].credited_after, "1");
	assert_rat(rows[2].quota_after, "4/3");
	hf_alloc_free(a);
}

/*
 * The same under RELATIVE, smallest credited / share first:
 *   2: all 0, a tie; the larger share                       -> A (1)
 *   1: A 2/(1/2) = 4, B 0, C 0: tie, the larger share       -> B (1)
 *   3: A 4, B 1/(1/3) = 3, C 0                              -> C (1)
 *   1: A 4, B 3, C 3/(1/6) = 18                             -> B (7/3 - 1)
 * Credited 2 2 3.
 */
static void test_example_relative(void **state)
{
	hf_alloc_unit u[3];
	hf_alloc_household hh[4] = {{2, NULL}, {1, NULL}, {3, NULL}, {1, NULL}};
	hf_alloc_result res[4];
	hf_alloc_row rows[3];
	hf_error err;
	(void)state;

	three_units(u);
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_alloc_run(HF_ALLOC_RELATIVE, u, 3, hh, 4, res,
				      rows, &err),
			 HF_OK);
	assert_int_equal(res[0].unit, 0);
	assert_int_equal(res[1].unit, 1);
	assert_int_equal(res[2].unit, 2);
	assert_rat(res[2].deficit, "1");
	assert_int_equal(res[3].unit, 1);
	assert_rat(res[3].deficit, "4/3");
	assert_rat(rows[0].credited_after, "2");
	assert_rat(rows[1].credited_after, "2");
	assert_rat(rows[2].credited_after, "3");

	/* RELATIVE's deficit bound (n - 2 + share) H is near tight: shares
	 * 97/100 and three times 1/100, four single persons go to A (a tie
	 * at 0, the larger share), then B, C, D (still at 0). A is then
	 * 97/100 × 4 - 1 = 72/25 below, against the bound 2 + 97/100. */
	hf_alloc_unit v[4];
	hf_alloc_household one[4] = {{1, NULL}, {1, NULL}, {1, NULL},
				     {1, NULL}};
	hf_alloc_result r4[4];
	hf_alloc_row rows4[4];
	memset(v, 0, sizeof v);
	for (int i = 0; i < 4; i++) {
		v[i].share = i ? R("1/100") : R("97/100");
		v[i].credited = hf_rat_int(0);
		v[i].capacity = HF_ALLOC_UNLIMITED;
	}
	assert_int_equal(hf_alloc_run(HF_ALLOC_RELATIVE, v, 4, one, 4, r4,
				      rows4, &err),
			 HF_OK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(r4[i].unit, i);
	assert_rat(sub(rows4[0].quota_after, rows4[0].credited_after),
		   "72/25");
}

/*
 * Shares 1/2, 1/4, 1/4; free places 3, unlimited, 0.
 *   4 persons: A has 3, C 0 places: both skipped            -> B
 *   1 person, only C allowed: C has no place               -> none
 *   1 person, no unit allowed                              -> none
 *   3 persons: T+s = 7, deficits A 7/2, B 7/4 - 4          -> A (now 0)
 *   1 person: A and C full                                 -> B
 */
static void test_capacity_eligibility(void **state)
{
	hf_alloc_unit u[3];
	uint64_t only_c[1] = {0}, none[1] = {0};
	hf_alloc_household hh[5] = {
		{4, NULL}, {1, only_c}, {1, none}, {3, NULL}, {1, NULL}};
	hf_alloc_result res[5];
	hf_alloc_row rows[3];
	hf_error err;
	(void)state;

	memset(u, 0, sizeof u);
	u[0].share = R("1/2");
	u[1].share = R("1/4");
	u[2].share = R("1/4");
	u[0].capacity = 3;
	u[1].capacity = HF_ALLOC_UNLIMITED;
	u[2].capacity = 0;
	u[0].credited = u[1].credited = u[2].credited = hf_rat_int(0);
	hf_alloc_eligible_set(only_c, 2);
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_alloc_run(HF_ALLOC_ABSOLUTE, u, 3, hh, 5, res,
				      rows, &err),
			 HF_OK);
	assert_int_equal(res[0].unit, 1);
	assert_int_equal(res[0].skipped_capacity, 2);
	assert_int_equal(res[0].skipped_eligible, 0);
	assert_int_equal(res[1].unit, -1);
	assert_int_equal(res[1].reason, HF_ALLOC_NO_CAPACITY);
	assert_int_equal(res[1].skipped_eligible, 2);
	assert_int_equal(res[1].skipped_capacity, 1);
	assert_rat(res[1].deficit, "0");
	assert_int_equal(res[2].unit, -1);
	assert_int_equal(res[2].reason, HF_ALLOC_NO_ELIGIBLE);
	assert_int_equal(res[2].skipped_eligible, 3);
	assert_int_equal(res[3].unit, 0);
	assert_rat(res[3].deficit, "7/2");
	assert_int_equal(res[4].unit, 1);
	assert_int_equal(res[4].skipped_capacity, 2);
	assert_int_equal(rows[0].capacity_after, 0);
	assert_int_equal(rows[1].capacity_after, HF_ALLOC_UNLIMITED);
	assert_int_equal(rows[2].capacity_after, 0);
	assert_rat(rows[1].credited_after, "5");
	assert_string_equal(hf_alloc_reason_text(HF_ALLOC_NO_ELIGIBLE,
						 HF_LANG_EN),
			    "no eligible unit");
}

/* Equal shares go round in index order; among equal deficits the larger
 * share comes first, whatever its index. */
static void test_ties(void **state)
{
	hf_alloc_unit u[4];
	hf_alloc_household hh[8];
	hf_alloc_result res[8];
	hf_error err;
	size_t i;
	(void)state;

	memset(u, 0, sizeof u);
	for (i = 0; i < 4; i++) {
		u[i].share = R("1/4");
		u[i].credited = hf_rat_int(0);
		u[i].capacity = HF_ALLOC_UNLIMITED;
	}
	for (i = 0; i < 8; i++)
		hh[i] = (hf_alloc_household){1, NULL};
	hf_error_init(&err, HF_LANG_DE);
	for (int r = 0; r < HF_ALLOC_RULE_COUNT; r++) {
		assert_int_equal(hf_alloc_run((hf_alloc_rule)r, u, 4, hh, 8,
					      res, NULL, &err),
				 HF_OK);
		for (i = 0; i < 8; i++)
			assert_int_equal(res[i].unit, (int64_t)(i % 4));
	}
	/* shares 1/6, 1/3, 1/2, credited 0, 1, 2 and 3 persons: T+s = 6,
	 * quotas 1 2 3, deficits 1 1 1: the largest share, last in order */
	u[0].share = R("1/6");
	u[1].share = R("1/3");
	u[2].share = R("1/2");
	u[1].credited = hf_rat_int(1);
	u[2].credited = hf_rat_int(2);
	hh[0].persons = 3;
	assert_int_equal(hf_alloc_run(HF_ALLOC_ABSOLUTE, u, 3, hh, 1, res,
				      NULL, &err),
			 HF_OK);
	assert_int_equal(res[0].unit, 2);
	assert_rat(res[0].deficit, "1");
	/* RELATIVE: credited / share 0, 3, 4 -> the first */
	assert_int_equal(hf_alloc_run(HF_ALLOC_RELATIVE, u, 3, hh, 1, res,
				      NULL, &err),
			 HF_OK);
	assert_int_equal(res[0].unit, 0);
	/* credited 1, 2, 3: credited / share 6, 6, 6 -> the largest share */
	u[0].credited = hf_rat_int(1);
	u[1].credited = hf_rat_int(2);
	u[2].credited = hf_rat_int(3);
	assert_int_equal(hf_alloc_run(HF_ALLOC_RELATIVE, u, 3, hh, 1, res,
				      NULL, &err),
			 HF_OK);
	assert_int_equal(res[0].unit, 2);
}

static void test_refused(void **state)
{
	hf_alloc_unit u[3];
	hf_alloc_household hh[2] = {{1, NULL}, {0, NULL}};
	hf_alloc_result res[2];
	hf_rat c;
	hf_alloc *a;
	hf_error err;
	(void)state;

	three_units(u);
	u[2].share = R("1/7");
	hf_error_init(&err, HF_LANG_EN);
	assert_int_equal(hf_alloc_new(HF_ALLOC_ABSOLUTE, u, 3, &a, &err),
			 HF_EINVAL);
	assert_null(a);
	assert_non_null(strstr(err.message, "not exactly 100"));
	three_units(u);
	u[1].capacity = -2;
	assert_int_equal(hf_alloc_new(HF_ALLOC_ABSOLUTE, u, 3, &a, &err),
			 HF_EINVAL);
	assert_string_equal(err.where, "unit 2");
	three_units(u);
	assert_int_equal(hf_alloc_new(HF_ALLOC_ABSOLUTE, u, 0, &a, &err),
			 HF_EINVAL);
	assert_int_equal(
		hf_alloc_new((hf_alloc_rule)7, u, 3, &a, &err), HF_EINVAL);

	/* a household of 0 persons: refused, nothing allocated */
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_alloc_new(HF_ALLOC_ABSOLUTE, u, 3, &a, &err),
			 HF_OK);
	assert_int_equal(hf_alloc_batch(a, hh, 2, res, NULL, &err),
			 HF_EINVAL);
	assert_string_equal(err.where, "household 2");
	assert_non_null(strstr(err.message, "Haushalt"));
	assert_int_equal(hf_alloc_unit_state(a, 0, &c, NULL, NULL), HF_OK);
	assert_rat(c, "0");
	hf_alloc_free(a);

	/* overflow: reported, and the batch leaves the handle as it was */
	u[0].credited = hf_rat_int(INT64_MAX - 5);
	assert_int_equal(hf_alloc_new(HF_ALLOC_ABSOLUTE, u, 3, &a, &err),
			 HF_OK);
	hh[1].persons = 10;
	assert_int_equal(hf_alloc_batch(a, hh, 2, res, NULL, &err),
			 HF_EOVERFLOW);
	assert_string_equal(err.where, "household 2");
	assert_int_equal(hf_alloc_unit_state(a, 1, &c, NULL, NULL), HF_OK);
	assert_rat(c, "0");
	hf_alloc_free(a);
	hf_alloc_free(NULL);

	hf_alloc_rule r;
	assert_int_equal(hf_alloc_rule_parse("relativ", &r), HF_OK);
	assert_int_equal(r, HF_ALLOC_RELATIVE);
	assert_int_equal(hf_alloc_rule_parse("absolute", &r), HF_OK);
	assert_int_equal(r, HF_ALLOC_ABSOLUTE);
	assert_int_equal(hf_alloc_rule_parse("x", &r), HF_EINVAL);
	assert_string_equal(hf_alloc_rule_slug(HF_ALLOC_ABSOLUTE), "absolut");
}

/* ---- random sequences against a plain rational reference ---- */

struct sim {
	size_t n;
	hf_rat share[NMAX];
	hf_rat credited[NMAX];
	int64_t cap[NMAX];
	hf_rat T;
};

/* Whether unit i ranks before unit b under the rule, in plain hf_rat. */
static int before(const struct sim *s, hf_alloc_rule rule, hf_rat Ts,
		  size_t i, size_t b)
{
	hf_rat ki, kb;
	int c, sh = hf_rat_cmp(s->share[i], s->share[b]);

	if (rule == HF_ALLOC_ABSOLUTE) {
		ki = sub(mul(s->share[i], Ts), s->credited[i]);
		kb = sub(mul(s->share[b], Ts), s->credited[b]);
		c = hf_rat_cmp(ki, kb);
		return c > 0 || (c == 0 && sh > 0);
	}
	if (hf_rat_is_zero(s->share[i]))
		return 0;
	if (hf_rat_is_zero(s->share[b]))
		return 1;
	assert_int_equal(hf_rat_div(s->credited[i], s->share[i], &ki), HF_OK);
	assert_int_equal(hf_rat_div(s->credited[b], s->share[b], &kb), HF_OK);
	c = hf_rat_cmp(ki, kb);
	return c < 0 || (c == 0 && sh > 0);
}

/* The rule as allocate.h states it, one unit at a time. */
static int64_t reference(const struct sim *s, hf_alloc_rule rule,
			 const hf_alloc_household *h, hf_alloc_reason *why)
{
	hf_rat Ts = add(s->T, hf_rat_int(h->persons));
	int64_t best = -1;
	size_t i, eligible = 0;

	for (i = 0; i < s->n; i++) {
		if (!hf_alloc_eligible_has(h->eligible, i))
			continue;
		eligible++;
		if (s->cap[i] >= 0 && s->cap[i] < h->persons)
			continue;
		if (best < 0 || before(s, rule, Ts, i, (size_t)best))
			best = (int64_t)i;
	}
	*why = best >= 0 ? HF_ALLOC_ASSIGNED
	       : eligible ? HF_ALLOC_NO_CAPACITY
			  : HF_ALLOC_NO_ELIGIBLE;
	return best;
}

static hf_rat harmonic(size_t n)
{
	hf_rat h = hf_rat_int(0);
	size_t j;
	for (j = 1; j <= n; j++)
		h = add(h, (hf_rat){1, (int64_t)j});
	return h;
}

static int cmp_desc(const void *x, const void *y)
{
	return -hf_rat_cmp(*(const hf_rat *)x, *(const hf_rat *)y);
}

/* Observed maxima of deviation / H over all unrestricted runs. */
static hf_rat seen_over[HF_ALLOC_RULE_COUNT] = {{0, 1}, {0, 1}};
static hf_rat seen_under[HF_ALLOC_RULE_COUNT] = {{0, 1}, {0, 1}};

/*
 * Checks the bound of allocate.h in state s with H the largest household
 * so far, and records the worst deviations seen. Under ABSOLUTE the
 * claim is for every k: the k largest deficits sum to at most
 * k (h(n) - h(k)) H; under RELATIVE per unit as stated.
 */
static void check_bound(const struct sim *s, hf_alloc_rule rule, int64_t H,
			hf_rat *max_over, hf_rat *max_under)
{
	hf_rat d[NMAX], sum = hf_rat_int(0), hn = harmonic(s->n);
	hf_rat Hr = hf_rat_int(H);
	size_t i;

	for (i = 0; i < s->n; i++) {
		d[i] = sub(mul(s->share[i], s->T), s->credited[i]);
		if (hf_rat_cmp(d[i], *max_under) > 0)
			*max_under = d[i];
		if (hf_rat_cmp((hf_rat){-d[i].num, d[i].den}, *max_over) > 0)
			*max_over = (hf_rat){-d[i].num, d[i].den};
		if (rule == HF_ALLOC_RELATIVE) {
			hf_rat one = hf_rat_int(1);
			hf_rat over = mul(sub(one, s->share[i]), Hr);
			hf_rat under = mul(
				add(hf_rat_int((int64_t)s->n - 2), s->share[i]),
				Hr);
			assert_true(hf_rat_cmp((hf_rat){-d[i].num, d[i].den},
					       over) <= 0);
			assert_true(hf_rat_cmp(d[i], under) <= 0);
		}
	}
	if (rule == HF_ALLOC_RELATIVE)
		return;
	qsort(d, s->n, sizeof *d, cmp_desc);
	for (i = 0; i < s->n; i++) {
		size_t k = i + 1;
		hf_rat bound = mul(mul(hf_rat_int((int64_t)k),
				       sub(hn, harmonic(k))),
				   Hr);
		sum = add(sum, d[i]);
		assert_true(hf_rat_cmp(sum, bound) <= 0);
	}
	assert_true(hf_rat_is_zero(sum));
}

static void random_units(struct sim *s, hf_alloc_unit *u, int restricted)
{
	int64_t w[NMAX], total = 0;
	size_t i;

	s->n = 2 + test_rnd(&rnd_state) % (NMAX - 1);
	for (i = 0; i < s->n; i++)
		total += w[i] = (int64_t)(test_rnd(&rnd_state) % 6);
	if (total == 0)
		total = w[0] = 1;
	s->T = hf_rat_int(0);
	for (i = 0; i < s->n; i++) {
		assert_int_equal(hf_rat_make(w[i], total, &s->share[i]),
				 HF_OK);
		s->credited[i] = hf_rat_int(0);
		s->cap[i] = HF_ALLOC_UNLIMITED;
		if (restricted && test_rnd(&rnd_state) % 3)
			s->cap[i] = (int64_t)(test_rnd(&rnd_state) % 400);
		if (restricted && test_rnd(&rnd_state) % 4 == 0) {
			/* a standing credit of a half, as some rules give */
			s->credited[i] =
			    (hf_rat){(int64_t)(test_rnd(&rnd_state) % 9), 2};
			assert_int_equal(hf_rat_make(s->credited[i].num, 2,
						     &s->credited[i]),
					 HF_OK);
			s->T = add(s->T, s->credited[i]);
		}
		u[i].share = s->share[i];
		u[i].credited = s->credited[i];
		u[i].capacity = s->cap[i];
	}
}

#define M 3000

static void run_random(int restricted)
{
	static hf_alloc_household hh[M];
	static hf_alloc_result res[M], res2[M];
	static uint64_t pool[4][1];
	hf_alloc_unit u[NMAX];
	hf_alloc_row rows[NMAX];
	hf_error err;
	int round;

	hf_error_init(&err, HF_LANG_DE);
	for (round = 0; round < 8; round++) {
		for (int rule = 0; rule < HF_ALLOC_RULE_COUNT; rule++) {
			struct sim s;
			hf_rat start[NMAX], mo = hf_rat_int(0),
					    mu = hf_rat_int(0);
			int64_t cap0[NMAX], H = 0;
			hf_alloc_dev dev;
			hf_alloc *a;
			size_t i, k, done;

			random_units(&s, u, restricted);
			memcpy(start, s.credited, sizeof start);
			memcpy(cap0, s.cap, sizeof cap0);
			for (i = 0; i < 4; i++)
				pool[i][0] = test_rnd(&rnd_state);
			for (k = 0; k < M; k++) {
				hh[k].persons =
				    1 + (int64_t)(test_rnd(&rnd_state) % 8);
				hh[k].eligible = NULL;
				if (restricted && test_rnd(&rnd_state) % 2)
					hh[k].eligible =
					    pool[test_rnd(&rnd_state) % 4];
			}
			assert_int_equal(hf_alloc_run((hf_alloc_rule)rule, u,
						      s.n, hh, M, res, rows,
						      &err),
					 HF_OK);
			/* deterministic; and any split into batches through
			 * one handle gives the same as one batch */
			assert_int_equal(hf_alloc_new((hf_alloc_rule)rule, u,
						      s.n, &a, &err),
					 HF_OK);
			for (done = 0; done < M;) {
				size_t b = 1 + test_rnd(&rnd_state) % 700;
				if (b > M - done)
					b = M - done;
				assert_int_equal(hf_alloc_batch(a, hh + done, b,
								res2 + done,
								NULL, &err),
						 HF_OK);
				done += b;
			}
			assert_memory_equal(res, res2, sizeof res);

			for (k = 0; k < M; k++) {
				hf_alloc_reason why;
				int64_t want = reference(&s, (hf_alloc_rule)rule,
							 &hh[k], &why);
				int64_t j = res[k].unit, p = hh[k].persons;
				assert_int_equal(j, want);
				assert_int_equal(res[k].reason, why);
				if (j < 0)
					continue;
				/* whole, eligible, within capacity */
				assert_true(hf_alloc_eligible_has(
					hh[k].eligible, (size_t)j));
				assert_true(s.cap[j] < 0 || s.cap[j] >= p);
				assert_int_equal(
					hf_rat_cmp(res[k].deficit,
						   sub(mul(s.share[j],
							   add(s.T,
							       hf_rat_int(p))),
						       s.credited[j])),
					0);
				if (s.cap[j] >= 0)
					s.cap[j] -= p;
				s.credited[j] = add(s.credited[j],
						    hf_rat_int(p));
				s.T = add(s.T, hf_rat_int(p));
				if (p > H)
					H = p;
				if (!restricted)
					check_bound(&s, (hf_alloc_rule)rule, H,
						    &mo, &mu);
			}
			for (i = 0; i < s.n; i++) {
				int64_t got = 0;
				for (k = 0; k < M; k++)
					if (res[k].unit == (int64_t)i)
						got += hh[k].persons;
				assert_int_equal(rows[i].persons, got);
				assert_int_equal(hf_rat_cmp(rows[i].credited_before,
							    start[i]),
						 0);
				assert_int_equal(
					hf_rat_cmp(rows[i].credited_after,
						   add(start[i],
						       hf_rat_int(got))),
					0);
				assert_int_equal(hf_rat_cmp(rows[i].quota_after,
							    mul(s.share[i],
								s.T)),
						 0);
				assert_int_equal(rows[i].capacity_after,
						 s.cap[i]);
				assert_true(cap0[i] < 0 || got <= cap0[i]);
			}
			if (!restricted) {
				assert_int_equal(hf_alloc_deviation(a, &dev),
						 HF_OK);
				assert_int_equal(hf_rat_cmp(dev.max_over, mo), 0);
				assert_int_equal(hf_rat_cmp(dev.max_under, mu),
						 0);
				mo = mul(mo, (hf_rat){1, H});
				mu = mul(mu, (hf_rat){1, H});
				if (hf_rat_cmp(mo, seen_over[rule]) > 0)
					seen_over[rule] = mo;
				if (hf_rat_cmp(mu, seen_under[rule]) > 0)
					seen_under[rule] = mu;
			}
			hf_alloc_free(a);
		}
	}
}

static void test_random_unrestricted(void **state)
{
	char o[48], u[48];
	int r;
	(void)state;

	run_random(0);
	for (r = 0; r < HF_ALLOC_RULE_COUNT; r++) {
		hf_rat_format_decimal(seen_over[r], 4, '.', o, sizeof o);
		hf_rat_format_decimal(seen_under[r], 4, '.', u, sizeof u);
		print_message("# %s: most over quota %s H, most under %s H\n",
			      hf_alloc_rule_slug((hf_alloc_rule)r), o, u);
	}
}

static void test_random_restricted(void **state)
{
	(void)state;
	run_random(1);
}

/* hf_alloc_input_read: the files of hafen allocate and POST /api/allocate
 * become units with capacities and households with eligibility; bad input
 * is named by file, line and column. */
static hf_csv *csv(const char *name, const char *text)
{
	hf_csv *c = NULL;
	assert_int_equal(hf_csv_read_text(name, text, strlen(text), &c, NULL),
			 HF_OK);
	return c;
}

static int read_input(const hf_quota_table *t, const char *hh_text,
		      const char *cap_text, hf_alloc_input *in, hf_error *err)
{
	hf_csv *hh = csv("hh.csv", hh_text);
	hf_csv *cap = cap_text ? csv("cap.csv", cap_text) : NULL;
	int rc;

	hf_error_init(err, HF_LANG_EN);
	rc = hf_alloc_input_read(t, hh, cap, in, err);
	hf_csv_free(cap);
	hf_csv_free(hh);
	return rc;
}

static void test_input_read(void **state)
{
	hf_unit units[3];
	hf_quota_row rows[3];
	hf_quota_table t;
	hf_alloc_input in;
	hf_error err;
	(void)state;

	memset(units, 0, sizeof units);
	memset(rows, 0, sizeof rows);
	memset(&t, 0, sizeof t);
	strcpy(units[0].code, "A");
	strcpy(units[1].code, "B");
	strcpy(units[2].code, "C");
	rows[0].share = R("1/2");
	rows[1].share = R("1/4");
	rows[2].share = R("1/4");
	rows[0].credited = R("7");
	rows[1].credited = rows[2].credited = hf_rat_int(0);
	t.n = 3;
	t.units = units;
	t.rows = rows;

	assert_int_equal(read_input(&t,
				    "id;persons;origin\nh1;2;SYR\nh2;1;\n"
				    "h3;4;ERI\n",
				    "unit,places,origins\nC,5,ERI|AFG\n"
				    "A,,SYR\n",
				    &in, &err),
			 HF_OK);
	assert_int_equal(in.n, 3);
	assert_int_equal(in.m, 3);
	assert_rat(in.units[0].share, "1/2");
	assert_rat(in.units[0].credited, "7");
	assert_int_equal(in.units[0].capacity, HF_ALLOC_UNLIMITED);
	assert_int_equal(in.units[1].capacity, HF_ALLOC_UNLIMITED);
	assert_int_equal(in.units[2].capacity, 5);
	assert_int_equal(in.hh[0].persons, 2);
	assert_int_equal(in.hh[2].persons, 4);
	/* SYR: A lists it, B has no row (all origins), C does not */
	assert_true(hf_alloc_eligible_has(in.hh[0].eligible, 0));
	assert_true(hf_alloc_eligible_has(in.hh[0].eligible, 1));
	assert_false(hf_alloc_eligible_has(in.hh[0].eligible, 2));
	assert_null(in.hh[1].eligible); /* no origin: every unit */
	assert_false(hf_alloc_eligible_has(in.hh[2].eligible, 0));
	assert_true(hf_alloc_eligible_has(in.hh[2].eligible, 1));
	assert_true(hf_alloc_eligible_has(in.hh[2].eligible, 2));
	{
		/* the ledger entries: h1 to A, h2 left over, h3 to C */
		hf_csv *hh = csv("hh.csv", "id;persons;origin\nh1;2;SYR\n"
					   "h2;1;\nh3;4;ERI\n");
		hf_alloc_result res[3];
		hf_admission stamp, *e = NULL;
		size_t n = 0;

		memset(res, 0, sizeof res);
		res[0].unit = 0;
		res[1].unit = -1;
		res[2].unit = 2;
		memset(&stamp, 0, sizeof stamp);
		stamp.date = 19700;
		strcpy(stamp.reference, "Z-1");
		strcpy(stamp.recorded_by, "kiel");
		stamp.recorded_at = 1700000000;
		assert_int_equal(
		    hf_alloc_entries(&t, hh, &in, res, &stamp, &e, &n, &err),
		    HF_OK);
		assert_int_equal(n, 2);
		assert_string_equal(e[0].unit, "A");
		assert_string_equal(e[0].household, "h1");
		assert_int_equal(e[0].persons, 2);
		assert_int_equal(e[0].category, HF_CAT_REGULAR);
		assert_int_equal(e[0].date, 19700);
		assert_string_equal(e[0].reference, "Z-1");
		assert_string_equal(e[1].unit, "C");
		assert_string_equal(e[1].household, "h3");
		assert_int_equal(e[1].persons, 4);
		assert_string_equal(e[1].recorded_by, "kiel");
		assert_int_equal(e[1].recorded_at, 1700000000);
		free(e);
		hf_csv_free(hh);
	}
	hf_alloc_input_free(&in);

	/* no capacities file: every unit unlimited, every origin */
	assert_int_equal(
	    read_input(&t, "id,persons,origin\nh1,1,SYR\n", NULL, &in, &err),
	    HF_OK);
	assert_int_equal(in.units[2].capacity, HF_ALLOC_UNLIMITED);
	assert_true(hf_alloc_eligible_has(in.hh[0].eligible, 2));
	hf_alloc_input_free(&in);

	assert_int_equal(
	    read_input(&t, "id,persons\nh1,1\nh2,0\n", NULL, &in, &err),
	    HF_EINVAL);
	assert_string_equal(err.where, "hh.csv:3:2");
	assert_null(in.units);
	assert_int_equal(read_input(&t, "id\nh1\n", NULL, &in, &err),
			 HF_EINVAL);
	assert_string_equal(err.message, "column persons is missing.");
	assert_int_equal(read_input(&t, "id,persons\n,1\n", NULL, &in, &err),
			 HF_EINVAL);
	assert_string_equal(err.where, "hh.csv:2:1");
	assert_int_equal(read_input(&t, "id,persons\nh1,1\n",
				    "unit,places\nB,1\nB,2\n", &in, &err),
			 HF_EINVAL);
	assert_string_equal(err.where, "cap.csv:3:1");
	assert_string_equal(err.message, "B appears twice in the file.");
	assert_int_equal(read_input(&t, "id,persons\nh1,1\n",
				    "unit,places\nD,1\n", &in, &err),
			 HF_EINVAL);
	assert_string_equal(err.message, "D is not a unit of this key.");
	assert_int_equal(read_input(&t, "id,persons\nh1,1\n",
				    "unit,places\nA,-1\n", &in, &err),
			 HF_EINVAL);
	assert_string_equal(err.where, "cap.csv:2:2");
	assert_int_equal(
	    read_input(&t, "id,persons\nh1,1\n", "places\n1\n", &in, &err),
	    HF_EINVAL);
	assert_string_equal(err.message, "column unit is missing.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_example_absolute),
	    cmocka_unit_test(test_example_relative),
	    cmocka_unit_test(test_capacity_eligibility),
	    cmocka_unit_test(test_ties),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_random_unrestricted),
	    cmocka_unit_test(test_random_restricted),
	    cmocka_unit_test(test_input_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests for quota.c: quotas, fulfilment and rounded quotas. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hafen/error.h"
#include "hafen/key.h"
#include "hafen/quota.h"
#include "hafen/rat.h"

#include "testrnd.h"

static uint64_t rnd_state = 0x2545F4914F6CDD1Dull;

static hf_rat R(const char *s)
{
	hf_rat r;
	assert_int_equal(hf_rat_parse(s, &r), HF_OK);
	return r;
}

static void assert_rat(hf_rat a, const char *want)
{
	assert_int_equal(hf_rat_cmp(a, R(want)), 0);
}

/*
 * Three units with shares 1/2, 1/3, 1/6, crediting as in
 * Schleswig-Holstein (regular and transfers 1, Sicherer Hafen 1, departure
 * 0). Recorded:
 *   A: 5 regular                      Ist 5, angerechnet 5
 *   B: 3 regular, 2 Sicherer Hafen    Ist 5, angerechnet 5
 *   C: 1 transfer in, 1 departure,    Ist 0, angerechnet 1 + 0 + 2 = 3
 *      2 standing credits (places in a Land facility, AuslAufnVO § 7 (4))
 * Base 13. Quotas 13/2, 13/3, 13/6. Balances 5 - 13/2 = -3/2,
 * 5 - 13/3 = 2/3, 3 - 13/6 = 5/6 (sum 0). Percent 5 / (13/2) × 100 =
 * 1000/13, 1500/13, 1800/13.
 * Rounded, 13 persons: Hare floors 6 4 2, the last to the remainder 1/2:
 * 7 4 2.
 */
static void test_example(void **state)
{
	const hf_rat shares[3] = {R("1/2"), R("1/3"), R("1/6")};
	int64_t persons[3][HF_CAT_COUNT];
	const int64_t standing[3] = {0, 0, 2};
	const hf_rat carry[3] = {R("1/2"), hf_rat_int(0), hf_rat_int(-1)};
	hf_rat credit[HF_CAT_COUNT];
	hf_quota_input in;
	hf_quota_row rows[3];
	hf_quota_total t;
	hf_error err;
	(void)state;

	memset(persons, 0, sizeof persons);
	persons[0][HF_CAT_REGULAR] = 5;
	persons[1][HF_CAT_REGULAR] = 3;
	persons[1][HF_CAT_SICHERER_HAFEN] = 2;
	persons[2][HF_CAT_TRANSFER_IN] = 1;
	persons[2][HF_CAT_DEPARTURE] = 1;
	hf_key_credit_default(credit);
	credit[HF_CAT_SICHERER_HAFEN] = hf_rat_int(1);
	memset(&in, 0, sizeof in);
	in.n = 3;
	in.shares = shares;
	in.persons = (const int64_t(*)[HF_CAT_COUNT])persons;
	in.standing = standing;
	in.credit = credit;
	in.method = HF_APPORTION_HARE_NIEMEYER;
	hf_error_init(&err, HF_LANG_DE);

	assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_OK);
	assert_int_equal(rows[0].actual, 5);
	assert_int_equal(rows[1].actual, 5);
	assert_int_equal(rows[2].actual, 0);
	assert_rat(rows[0].credited, "5");
	assert_rat(rows[1].credited, "5");
	assert_rat(rows[2].credited, "3");
	assert_int_equal(rows[2].standing, 2);
	assert_rat(rows[1].share, "1/3");
	assert_rat(t.base, "13");
	assert_int_equal(t.base_rounded, 13);
	assert_int_equal(t.actual, 10);
	assert_rat(t.credited, "13");
	assert_rat(t.quota, "13");
	assert_rat(rows[0].quota, "13/2");
	assert_rat(rows[1].quota, "13/3");
	assert_rat(rows[2].quota, "13/6");
	assert_rat(rows[0].balance, "-3/2");
	assert_rat(rows[1].balance, "2/3");
	assert_rat(rows[2].balance, "5/6");
	assert_rat(t.balance, "0");
	assert_true(rows[0].has_percent);
	assert_rat(rows[0].percent, "1000/13");
	assert_rat(rows[1].percent, "1500/13");
	assert_rat(rows[2].percent, "1800/13");
	assert_int_equal(rows[0].quota_rounded, 7);
	assert_int_equal(rows[1].quota_rounded, 4);
	assert_int_equal(rows[2].quota_rounded, 2);

	/* without the Sicherer-Hafen rule B is credited 3 of its 5 */
	credit[HF_CAT_SICHERER_HAFEN] = hf_rat_int(0);
	assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_OK);
	assert_int_equal(rows[1].actual, 5);
	assert_rat(rows[1].credited, "3");
	assert_rat(t.base, "11");
	credit[HF_CAT_SICHERER_HAFEN] = hf_rat_int(1);

	/* carried balances: -3/2 + 1/2, 2/3, 5/6 - 1; they sum to the
	 * carried-in total 1/2 - 1 */
	in.carry_in = carry;
	assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_OK);
	assert_rat(rows[0].balance, "-1");
	assert_rat(rows[1].balance, "2/3");
	assert_rat(rows[2].balance, "-1/6");
	assert_rat(t.carry_in, "-1/2");
	assert_rat(t.balance, "-1/2");
	in.carry_in = NULL;

	/*
	 * A fixed contingent of 100: quotas 50, 100/3, 50/3.
	 * Hare: floors 50 33 16, the last to the remainder 2/3: 50 33 17.
	 * D'Hondt (weights 3:2:1): at 50 33 16 the next quotients 3/51,
	 * 2/34 and 1/17 are all equal; the largest weight wins: 51 33 16.
	 */
	in.fixed = 1;
	in.contingent = 100;
	assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_OK);
	assert_rat(t.base, "100");
	assert_rat(rows[1].quota, "100/3");
	assert_rat(rows[0].balance, "-45");
	assert_int_equal(rows[0].quota_rounded, 50);
	assert_int_equal(rows[1].quota_rounded, 33);
	assert_int_equal(rows[2].quota_rounded, 17);
	in.method = HF_APPORTION_DHONDT;
	assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_OK);
	assert_int_equal(rows[0].quota_rounded, 51);
	assert_int_equal(rows[1].quota_rounded, 33);
	assert_int_equal(rows[2].quota_rounded, 16);

	/* a contingent of 0: no percentage */
	in.contingent = 0;
	assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_OK);
	assert_false(rows[0].has_percent);
	assert_int_equal(rows[0].quota_rounded, 0);
}

/* Transfers out count -1 toward Ist and, with credit 1, -1 toward the
 * credited figure. */
static void test_transfer_out(void **state)
{
	const hf_rat shares[2] = {R("1/4"), R("3/4")};
	int64_t persons[2][HF_CAT_COUNT];
	hf_rat credit[HF_CAT_COUNT];
	hf_quota_input in;
	hf_quota_row rows[2];
	hf_quota_total t;
	(void)state;

	memset(persons, 0, sizeof persons);
	persons[0][HF_CAT_REGULAR] = 10;
	persons[0][HF_CAT_TRANSFER_OUT] = 2;
	persons[1][HF_CAT_TRANSFER_IN] = 2;
	persons[1][HF_CAT_RESETTLEMENT] = 4;
	hf_key_credit_default(credit);
	memset(&in, 0, sizeof in);
	in.n = 2;
	in.shares = shares;
	in.persons = (const int64_t(*)[HF_CAT_COUNT])persons;
	in.credit = credit;
	in.method = HF_APPORTION_SAINTE_LAGUE;
	assert_int_equal(hf_quota_compute(&in, rows, &t, NULL), HF_OK);
	assert_int_equal(rows[0].actual, 8);
	assert_int_equal(rows[1].actual, 6);
	assert_rat(rows[0].credited, "8");
	assert_rat(rows[1].credited, "2"); /* resettlement credits 0 */
	assert_rat(t.base, "10");
	assert_rat(rows[0].quota, "5/2");
	assert_rat(rows[0].balance, "11/2");
	assert_rat(rows[1].balance, "-11/2");
	assert_rat(rows[0].percent, "320");
	/* Sainte-Laguë over 1:3 with 10: quotients 3 B, 1 B and 1 A (tie:
	 * weight), 3/5 B, 3/7 B, 1/3 B and 1/3 A, 3/11 B, 3/13 B, then
	 * 1/5 A against 3/15 B (tie: weight B): A 2, B 8 */
	assert_int_equal(rows[0].quota_rounded, 2);
	assert_int_equal(rows[1].quota_rounded, 8);
}

static void test_refused(void **state)
{
	const hf_rat shares[2] = {R("1/2"), R("1/3")};
	int64_t persons[2][HF_CAT_COUNT];
	hf_rat credit[HF_CAT_COUNT];
	hf_quota_input in;
	hf_quota_row rows[2];
	hf_quota_total t;
	hf_error err;
	(void)state;

	memset(persons, 0, sizeof persons);
	hf_key_credit_default(credit);
	memset(&in, 0, sizeof in);
	in.n = 2;
	in.shares = shares;
	in.persons = (const int64_t(*)[HF_CAT_COUNT])persons;
	in.credit = credit;
	hf_error_init(&err, HF_LANG_EN);
	assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_EINVAL);
	assert_non_null(strstr(err.message, "83,33333"));
	in.n = 1;
	in.shares = &shares[0];
	assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_EINVAL);
	in.shares = (const hf_rat[]){hf_rat_int(1)};
	in.fixed = 1;
	in.contingent = -5;
	assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_EINVAL);
	assert_string_equal(err.where, "contingent");
	in.contingent = 5;
	persons[0][HF_CAT_REGULAR] = INT64_MAX;
	persons[0][HF_CAT_TRANSFER_IN] = 1;
	assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_EOVERFLOW);
	assert_string_equal(err.where, "row 1");
}

/* Properties on random inputs. */
static void test_random(void **state)
{
	static const char *const credits[] = {"0", "1/2", "1", "1", "2/3"};
	hf_rat shares[12], credit[HF_CAT_COUNT], carry[12];
	int64_t persons[12][HF_CAT_COUNT], standing[12], a[12];
	hf_quota_row rows[12];
	hf_quota_total t;
	hf_error err;
	int round, negative = 0;
	(void)state;

	hf_error_init(&err, HF_LANG_EN);
	for (round = 0; round < 5000; round++) {
		hf_quota_input in;
		hf_rat sq = hf_rat_int(0), sb = hf_rat_int(0),
		       sc = hf_rat_int(0);
		int64_t asum = 0, rsum = 0, r, den;
		size_t n = 1 + test_rnd(&rnd_state) % 12, i;
		int c;

		for (i = 0; i < n; i++) {
			a[i] = (int64_t)(test_rnd(&rnd_state) % 100);
			asum += a[i];
		}
		if (asum == 0)
			a[0] = asum = 1;
		for (i = 0; i < n; i++) {
			assert_int_equal(hf_rat_make(a[i], asum, &shares[i]),
					 HF_OK);
			for (c = 0; c < HF_CAT_COUNT; c++) {
				persons[i][c] =
				    (int64_t)(test_rnd(&rnd_state) % 60);
				if (test_rnd(&rnd_state) % 3)
					persons[i][c] = 0;
			}
			standing[i] = (int64_t)(test_rnd(&rnd_state) % 6);
			r = (int64_t)(test_rnd(&rnd_state) % 41) - 20;
			den = 1 + (int64_t)(test_rnd(&rnd_state) % 6);
			assert_int_equal(hf_rat_make(r, den, &carry[i]), HF_OK);
		}
		for (c = 0; c < HF_CAT_COUNT; c++)
			credit[c] = R(credits[test_rnd(&rnd_state) % 5]);
		memset(&in, 0, sizeof in);
		in.n = n;
		in.shares = shares;
		in.persons = (const int64_t(*)[HF_CAT_COUNT])persons;
		in.standing = test_rnd(&rnd_state) % 2 ? standing : NULL;
		in.carry_in = test_rnd(&rnd_state) % 2 ? carry : NULL;
		in.credit = credit;
		in.fixed = test_rnd(&rnd_state) % 4 == 0;
		in.contingent = (int64_t)(test_rnd(&rnd_state) % 5000);
		in.method = (hf_apportion_method)(test_rnd(&rnd_state) %
						  HF_APPORTION_COUNT);
		assert_int_equal(hf_quota_compute(&in, rows, &t, &err), HF_OK);
		negative += t.base.num < 0;
		for (i = 0; i < n; i++) {
			hf_rat exact;
			assert_int_equal(hf_rat_add(sq, rows[i].quota, &sq),
					 HF_OK);
			assert_int_equal(hf_rat_add(sb, rows[i].balance, &sb),
					 HF_OK);
			if (in.carry_in)
				assert_int_equal(hf_rat_add(sc, carry[i], &sc),
						 HF_OK);
			rsum += rows[i].quota_rounded;
			if (in.method != HF_APPORTION_HARE_NIEMEYER)
				continue;
			/* within 1 of the exact quota of the persons handed
			 * out, floor(base); that is the quota itself where the
			 * base is whole */
			assert_int_equal(hf_rat_mul(shares[i],
						    hf_rat_int(t.base_rounded),
						    &exact),
					 HF_OK);
			r = rows[i].quota_rounded;
			assert_true(r >= hf_rat_floor(exact));
			assert_true(r <= hf_rat_ceil(exact));
			if (t.base.den == 1) {
				hf_rat d;
				assert_int_equal(hf_rat_sub(rows[i].quota,
							    hf_rat_int(r), &d),
						 HF_OK);
				assert_true(d.num < d.den && -d.num < d.den);
			}
		}
		assert_int_equal(hf_rat_cmp(sq, t.base), 0);
		assert_int_equal(hf_rat_cmp(sq, t.quota), 0);
		assert_int_equal(rsum, hf_rat_floor(t.base));
		assert_int_equal(rsum, t.base_rounded);
		assert_int_equal(hf_rat_cmp(sb, t.balance), 0);
		if (!in.fixed)
			assert_int_equal(hf_rat_cmp(sb, sc), 0);
	}
	/* the mirrored rounding of a negative base was exercised */
	assert_true(negative > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_transfer_out),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

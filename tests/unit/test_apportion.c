/* Tests for apportion.c: Hare-Niemeyer, D'Hondt and Sainte-Laguë. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hafen/apportion.h"
#include "hafen/error.h"
#include "hafen/rat.h"

#include "testrnd.h"

#define HN HF_APPORTION_HARE_NIEMEYER
#define DH HF_APPORTION_DHONDT
#define SL HF_APPORTION_SAINTE_LAGUE

static uint64_t rnd_state = 88172645463325252ull;

static void ints(const int64_t *v, size_t n, hf_rat *w)
{
	size_t i;
	for (i = 0; i < n; i++)
		w[i] = hf_rat_int(v[i]);
}

static void expect(hf_apportion_method m, const int64_t *votes, size_t n,
		   int64_t total, const int64_t *want)
{
	hf_rat w[16];
	int64_t out[16];
	hf_error err;
	size_t i;

	hf_error_init(&err, HF_LANG_EN);
	ints(votes, n, w);
	assert_int_equal(hf_apportion(m, w, n, total, out, &err), HF_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(out[i], want[i]);
}

static void test_names(void **state)
{
	hf_apportion_method m;
	(void)state;
	assert_string_equal(hf_apportion_slug(HN), "hare-niemeyer");
	assert_string_equal(hf_apportion_slug(DH), "dhondt");
	assert_string_equal(hf_apportion_slug(SL), "sainte-lague");
	assert_string_equal(hf_apportion_name(HN, HF_LANG_DE),
			    "Hare-Niemeyer (größte Reste)");
	assert_non_null(strstr(hf_apportion_name(SL, HF_LANG_EN), "Webster"));
	assert_null(hf_apportion_slug(HF_APPORTION_COUNT));
	assert_int_equal(hf_apportion_parse("hare-niemeyer", &m), HF_OK);
	assert_int_equal(m, HN);
	assert_int_equal(hf_apportion_parse("largest-remainder", &m), HF_OK);
	assert_int_equal(m, HN);
	assert_int_equal(hf_apportion_parse("hamilton", &m), HF_OK);
	assert_int_equal(m, HN);
	assert_int_equal(hf_apportion_parse("dhondt", &m), HF_OK);
	assert_int_equal(m, DH);
	assert_int_equal(hf_apportion_parse("jefferson", &m), HF_OK);
	assert_int_equal(m, DH);
	assert_int_equal(hf_apportion_parse("sainte-lague", &m), HF_OK);
	assert_int_equal(m, SL);
	assert_int_equal(hf_apportion_parse("saint-lague", &m), HF_OK);
	assert_int_equal(m, SL);
	assert_int_equal(hf_apportion_parse("webster", &m), HF_OK);
	assert_int_equal(m, SL);
	assert_int_equal(hf_apportion_parse("adams", &m), HF_EINVAL);
	assert_int_equal(hf_apportion_parse("", &m), HF_EINVAL);
}

/*
 * The textbook example (votes 100000, 80000, 30000, 20000; 8 seats).
 * D'Hondt quotients v/1, v/2, ...: 100000 A, 80000 B, 50000 A, 40000 B,
 * 33333 A, 30000 C, 26667 B, 25000 A: A 4, B 3, C 1, D 0.
 * Sainte-Laguë v/1, v/3, v/5: 100000 A, 80000 B, 33333 A, 30000 C,
 * 26667 B, 20000 A, 20000 D, 16000 B: A 3, B 3, C 1, D 1.
 * Hare: quotas 3.478, 2.783, 1.043, 0.696; floors 3 2 1 0, the two left
 * go to the remainders .783 (B) and .696 (D): A 3, B 3, C 1, D 1.
 */
static void test_textbook(void **state)
{
	const int64_t v[] = {100000, 80000, 30000, 20000};
	(void)state;
	expect(DH, v, 4, 8, (const int64_t[]){4, 3, 1, 0});
	expect(SL, v, 4, 8, (const int64_t[]){3, 3, 1, 1});
	expect(HN, v, 4, 8, (const int64_t[]){3, 3, 1, 1});
	/* 10 seats. D'Hondt: after the 8 above come three quotients of
	 * 20000 (A's 5th, B's 4th, D's 1st); by weight A and B win them:
	 * A 5, B 4, C 1, D 0. */
	expect(DH, v, 4, 10, (const int64_t[]){5, 4, 1, 0});
	/* Sainte-Laguë with 10: next come 100000/7 = 14286 (A) and
	 * 80000/7 = 11429 (B), before 100000/9 = 11111: A 4, B 4, C 1,
	 * D 1. */
	expect(SL, v, 4, 10, (const int64_t[]){4, 4, 1, 1});
}

/* Ties: equal claims go to the larger weight, then the earlier unit. */
static void test_ties(void **state)
{
	(void)state;
	/* equal weights: input order */
	expect(HN, (const int64_t[]){1, 1, 1}, 3, 2,
	       (const int64_t[]){1, 1, 0});
	expect(DH, (const int64_t[]){1, 1, 1}, 3, 2,
	       (const int64_t[]){1, 1, 0});
	expect(SL, (const int64_t[]){1, 1, 1}, 3, 2,
	       (const int64_t[]){1, 1, 0});
	expect(SL, (const int64_t[]){1, 1, 1}, 3, 4,
	       (const int64_t[]){2, 1, 1});
	/* Hare 1:3 with 2: quotas 0.5 and 1.5, equal remainders; the
	 * larger weight wins whatever the order */
	expect(HN, (const int64_t[]){1, 3}, 2, 2, (const int64_t[]){0, 2});
	expect(HN, (const int64_t[]){3, 1}, 2, 2, (const int64_t[]){2, 0});
	/* D'Hondt 2:4 with 2: 4/1, then 2/1 against 4/2: weight */
	expect(DH, (const int64_t[]){2, 4}, 2, 2, (const int64_t[]){0, 2});
	expect(DH, (const int64_t[]){4, 2}, 2, 2, (const int64_t[]){2, 0});
	/* Sainte-Laguë 1:3:5: quotients 5, 3, 5/3, then 1 three times
	 * (5/5, 3/3, 1/1): by weight C, B, A */
	expect(SL, (const int64_t[]){1, 3, 5}, 3, 4,
	       (const int64_t[]){0, 1, 3});
	expect(SL, (const int64_t[]){1, 3, 5}, 3, 5,
	       (const int64_t[]){0, 2, 3});
	expect(SL, (const int64_t[]){1, 3, 5}, 3, 6,
	       (const int64_t[]){1, 2, 3});
}

/*
 * The Alabama paradox of largest remainder, on weights 1, 3, 5 (sum 9).
 * 4 seats: quotas 4/9, 1 3/9, 2 2/9; floors 0 1 2, the one left goes to
 * the largest remainder 4/9: A 1, B 1, C 2.
 * 5 seats: quotas 5/9, 1 6/9, 2 7/9; floors 0 1 2, the two left go to
 * 7/9 (C) and 6/9 (B): A 0, B 2, C 3. A loses its seat as the house grows.
 * D'Hondt (5, 3, 2.5, 1.67, 1.5): 0 1 3, then 0 2 3: no loss.
 * Sainte-Laguë: 0 1 3 and 0 2 3 (test_ties): no loss.
 */
static void test_alabama(void **state)
{
	const int64_t v[] = {1, 3, 5};
	(void)state;
	expect(HN, v, 3, 4, (const int64_t[]){1, 1, 2});
	expect(HN, v, 3, 5, (const int64_t[]){0, 2, 3});
	expect(DH, v, 3, 4, (const int64_t[]){0, 1, 3});
	expect(DH, v, 3, 5, (const int64_t[]){0, 2, 3});
	expect(SL, v, 3, 4, (const int64_t[]){0, 1, 3});
	expect(SL, v, 3, 5, (const int64_t[]){0, 2, 3});
}

static void test_edge(void **state)
{
	(void)state;
	expect(HN, (const int64_t[]){0, 1, 0}, 3, 5,
	       (const int64_t[]){0, 5, 0});
	expect(DH, (const int64_t[]){0, 1, 0}, 3, 5,
	       (const int64_t[]){0, 5, 0});
	expect(SL, (const int64_t[]){0, 1, 0}, 3, 5,
	       (const int64_t[]){0, 5, 0});
	expect(SL, (const int64_t[]){0, 0}, 2, 0, (const int64_t[]){0, 0});
	expect(DH, (const int64_t[]){7}, 1, 1000000000000ll,
	       (const int64_t[]){1000000000000ll});
	/* 10:1:1 with 3: quotients 10, 10/3, 2 before 1: 3 0 0 */
	expect(SL, (const int64_t[]){10, 1, 1}, 3, 3,
	       (const int64_t[]){3, 0, 0});
	/* whole quotas are kept by every method */
	expect(HN, (const int64_t[]){25, 25, 50}, 3, 1000,
	       (const int64_t[]){250, 250, 500});
	expect(DH, (const int64_t[]){25, 25, 50}, 3, 1000,
	       (const int64_t[]){250, 250, 500});
	expect(SL, (const int64_t[]){25, 25, 50}, 3, 1000,
	       (const int64_t[]){250, 250, 500});
}

static void test_errors(void **state)
{
	hf_rat w[2];
	int64_t out[2];
	hf_error err;
	(void)state;

	hf_error_init(&err, HF_LANG_EN);
	w[0] = hf_rat_int(1);
	w[1] = hf_rat_int(-1);
	assert_int_equal(hf_apportion(HN, w, 2, 3, out, &err), HF_EINVAL);
	assert_non_null(strstr(err.message, "negative"));
	w[1] = hf_rat_int(0);
	assert_int_equal(hf_apportion(DH, w, 2, -1, out, &err), HF_EINVAL);
	w[0] = hf_rat_int(0);
	assert_int_equal(hf_apportion(SL, w, 2, 1, out, &err), HF_EINVAL);
	assert_non_null(strstr(err.message, "weight above zero"));
	assert_int_equal(hf_apportion(SL, w, 0, 1, out, &err), HF_EINVAL);
	/* a sum of weights whose denominator leaves 64 bits */
	assert_int_equal(hf_rat_make(1, 4000000007ll, &w[0]), HF_OK);
	assert_int_equal(hf_rat_make(1, 4000000009ll, &w[1]), HF_OK);
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_apportion(DH, w, 2, 10, out, &err), HF_EOVERFLOW);
	assert_int_equal(err.code, HF_EOVERFLOW);
	assert_non_null(strstr(err.message, "64 Bit"));
}

/* The slow reference: seat by seat to the highest quotient w/d, compared
 * by cross-multiplication of small numbers, ties as documented. */
static void reference(hf_apportion_method m, const hf_rat *w, size_t n,
		      int64_t total, int64_t *out)
{
	int64_t s;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = 0;
	for (s = 0; s < total; s++) {
		size_t best = n;
		for (i = 0; i < n; i++) {
			__int128 di, db, l, r;
			if (w[i].num == 0)
				continue;
			if (best == n) {
				best = i;
				continue;
			}
			di = m == DH ? out[i] + 1 : 2 * out[i] + 1;
			db = m == DH ? out[best] + 1 : 2 * out[best] + 1;
			l = (__int128)w[i].num * w[best].den * db;
			r = (__int128)w[best].num * w[i].den * di;
			if (l > r ||
			    (l == r && hf_rat_cmp(w[i], w[best]) > 0))
				best = i;
		}
		out[best]++;
	}
}

static void random_weights(hf_rat *w, size_t n, int64_t maxnum,
			   int64_t maxden)
{
	size_t i;
	for (i = 0; i < n; i++) {
		int64_t num =
		    (int64_t)(test_rnd(&rnd_state) % (uint64_t)maxnum);
		int64_t den =
		    1 + (int64_t)(test_rnd(&rnd_state) % (uint64_t)maxden);
		if (test_rnd(&rnd_state) % 8 == 0)
			num = 0; /* some units without weight */
		if (test_rnd(&rnd_state) % 4 == 0 && i > 0) {
			w[i] = w[test_rnd(&rnd_state) % i]; /* and some ties */
			continue;
		}
		assert_int_equal(hf_rat_make(num, den, &w[i]), HF_OK);
	}
	if (w[0].num == 0)
		w[0] = hf_rat_int(1);
}

static int64_t sum(const int64_t *v, size_t n)
{
	int64_t s = 0;
	size_t i;
	for (i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* Properties on thousands of random inputs. */
static void test_random(void **state)
{
	hf_rat w[40], q[40], wsum;
	int64_t a[40], b[40], ref[40];
	hf_error err;
	int round;
	(void)state;

	hf_error_init(&err, HF_LANG_EN);
	for (round = 0; round < 3000; round++) {
		size_t n = 1 + test_rnd(&rnd_state) % 40, i;
		int64_t total = (int64_t)(test_rnd(&rnd_state) % 300);
		int m;

		random_weights(w, n, 1000, round % 3 ? 16 : 1);
		wsum = hf_rat_int(0);
		for (i = 0; i < n; i++)
			assert_int_equal(hf_rat_add(wsum, w[i], &wsum), HF_OK);
		for (i = 0; i < n; i++) {
			hf_rat f;
			assert_int_equal(hf_rat_div(w[i], wsum, &f), HF_OK);
			assert_int_equal(
				hf_rat_mul(f, hf_rat_int(total), &q[i]), HF_OK);
		}
		for (m = 0; m < HF_APPORTION_COUNT; m++) {
			assert_int_equal(hf_apportion((hf_apportion_method)m, w,
						      n, total, a, &err),
					 HF_OK);
			assert_int_equal(sum(a, n), total);
			for (i = 0; i < n; i++)
				if (w[i].num == 0)
					assert_int_equal(a[i], 0);
			if (m == HN) {
				/* within floor and ceiling of the quota */
				for (i = 0; i < n; i++) {
					assert_true(a[i] >= hf_rat_floor(q[i]));
					assert_true(a[i] <= hf_rat_ceil(q[i]));
				}
				continue;
			}
			/* house monotone: one more never costs a seat */
			assert_int_equal(hf_apportion((hf_apportion_method)m, w,
						      n, total + 1, b, &err),
					 HF_OK);
			for (i = 0; i < n; i++)
				assert_true(b[i] >= a[i]);
			/* D'Hondt keeps the lower quota */
			if (m == DH)
				for (i = 0; i < n; i++)
					assert_true(a[i] >= hf_rat_floor(q[i]));
			reference((hf_apportion_method)m, w, n, total, ref);
			for (i = 0; i < n; i++)
				assert_int_equal(a[i], ref[i]);
		}
	}
}

/* Huge denominators send the comparison down its continued-fraction path;
 * a/D for a common D must apportion exactly as the integers a. */
static void test_fine_weights(void **state)
{
	const int64_t D = 999999999999999989ll; /* prime */
	hf_rat w[20], wi[20];
	int64_t a[20], b[20];
	hf_error err;
	int round, m;
	(void)state;

	hf_error_init(&err, HF_LANG_EN);
	for (round = 0; round < 300; round++) {
		size_t n = 2 + test_rnd(&rnd_state) % 19, i;
		int64_t total = (int64_t)(test_rnd(&rnd_state) % 500);
		for (i = 0; i < n; i++) {
			int64_t v = 1 + (int64_t)(test_rnd(&rnd_state) %
						  1000000000000000ll);
			if (i > 0 && test_rnd(&rnd_state) % 5 == 0)
				v = wi[i - 1].num;
			wi[i] = hf_rat_int(v);
			assert_int_equal(hf_rat_make(v, D, &w[i]), HF_OK);
		}
		for (m = 0; m < HF_APPORTION_COUNT; m++) {
			assert_int_equal(hf_apportion((hf_apportion_method)m, w,
						      n, total, a, &err),
					 HF_OK);
			assert_int_equal(hf_apportion((hf_apportion_method)m,
						      wi, n, total, b, &err),
					 HF_OK);
			for (i = 0; i < n; i++)
				assert_int_equal(a[i], b[i]);
		}
	}
}

/*
 * A large case: 1000 units, 10 million persons. The seat-by-seat
 * reference would take too long; check the divisor certificate instead:
 * every unit's last quotient is at least every unit's next one
 * (min w/d(s) >= max w/d(s+1)), which is what highest quotients means.
 */
static void test_large(void **state)
{
	enum { N = 1000 };
	const int64_t total = 10000000;
	hf_rat *w = malloc(N * sizeof *w);
	int64_t *a = malloc(N * sizeof *a);
	hf_error err;
	int m;
	(void)state;

	assert_non_null(w);
	assert_non_null(a);
	hf_error_init(&err, HF_LANG_EN);
	random_weights(w, N, 3000000, 1);
	for (m = 0; m < HF_APPORTION_COUNT; m++) {
		size_t i, lo = N, hi = N;
		assert_int_equal(hf_apportion((hf_apportion_method)m, w, N,
					      total, a, &err),
				 HF_OK);
		assert_int_equal(sum(a, N), total);
		if (m == HN)
			continue;
		for (i = 0; i < N; i++) {
			__int128 d, dl, dh;
			if (w[i].num == 0)
				continue;
			d = m == DH ? a[i] + 1 : 2 * a[i] + 1;
			dh = hi == N ? 0
				     : (m == DH ? a[hi] + 1 : 2 * a[hi] + 1);
			if (hi == N || (__int128)w[i].num * dh >
					       (__int128)w[hi].num * d)
				hi = i;
			if (a[i] == 0)
				continue;
			d = m == DH ? a[i] : 2 * a[i] - 1;
			dl = lo == N ? 0 : (m == DH ? a[lo] : 2 * a[lo] - 1);
			if (lo == N || (__int128)w[i].num * dl <
					       (__int128)w[lo].num * d)
				lo = i;
		}
		{
			__int128 dl = m == DH ? a[lo] : 2 * a[lo] - 1;
			__int128 dh = m == DH ? a[hi] + 1 : 2 * a[hi] + 1;
			assert_true((__int128)w[lo].num * dh >=
				    (__int128)w[hi].num * dl);
		}
	}
	free(w);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_textbook),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_alabama),
		cmocka_unit_test(test_edge),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_fine_weights),
		cmocka_unit_test(test_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests for key.c and key_compute.c: the whole-key check on published
 * tables and keys computed from indicators, with the NRW cap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hafen/error.h"
#include "hafen/key.h"
#include "hafen/rat.h"

#include "fixtures.h"
#include "testrnd.h"

/* Länder in the order of FACTS.md, with their AGS codes. */
static const char *const land_code[16] = {
	"08", "09", "11", "12", "04", "02", "06", "13",
	"03", "05", "07", "10", "14", "15", "01", "16",
};

/* Königsteiner Schlüssel, percent with five decimals (FACTS.md). */
static const char *const ks2015[16] = {
	"12.97496", "15.33048", "5.04557", "3.08092", "0.94097", "2.52738",
	"7.31557",  "2.04165",  "9.35696", "21.24052", "4.83472", "1.21566",
	"5.10067",  "2.85771",  "3.38791", "2.74835",
};
static const char *const ks2017[16] = {
	"12.96662", "15.53327", "5.08324", "3.03655", "0.95331", "2.55752",
	"7.39885",  "2.01240",  "9.33138", "21.14424", "4.83089", "1.21111",
	"5.05577",  "2.79941",  "3.39074", "2.69470",
};


static uint64_t rnd_state = 0x9E3779B97F4A7C15ull;

static hf_rat R(const char *s)
{
	hf_rat r;
	assert_int_equal(hf_rat_parse(s, &r), HF_OK);
	return r;
}

static void laender(hf_unit *u)
{
	int i;
	memset(u, 0, 16 * sizeof *u);
	for (i = 0; i < 16; i++) {
		snprintf(u[i].code, sizeof u[i].code, "%s", land_code[i]);
		snprintf(u[i].name, sizeof u[i].name, "Land %s", land_code[i]);
		u[i].kind = HF_UNIT_LAND;
		snprintf(u[i].parent, sizeof u[i].parent, "DE");
	}
}

/* A published key from a table of percentages. */
static void published(hf_key *k, const char *name,
		      const char *const pct[16])
{
	int i;
	hf_key_init(k);
	snprintf(k->name, sizeof k->name, "%s", name);
	snprintf(k->parent, sizeof k->parent, "DE");
	k->kind = HF_KEY_PUBLISHED;
	k->nshares = 16;
	k->shares = calloc(16, sizeof *k->shares);
	assert_non_null(k->shares);
	for (i = 0; i < 16; i++) {
		hf_rat v;
		assert_int_equal(hf_rat_parse_decimal(pct[i], &v), HF_OK);
		assert_int_equal(hf_rat_div(v, hf_rat_int(100),
					    &k->shares[i].share),
				 HF_OK);
		snprintf(k->shares[i].unit, sizeof k->shares[i].unit, "%s",
			 land_code[i]);
	}
}

static void check_koenigstein(const char *name, const char *const pct[16])
{
	hf_unit u[16];
	hf_key k;
	hf_error err;
	hf_rat sum = hf_rat_int(0);
	size_t i;

	laender(u);
	published(&k, name, pct);
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_key_check(&k, u, 16, &err), HF_OK);
	for (i = 0; i < k.nshares; i++) {
		assert_int_equal(hf_rat_add(sum, k.shares[i].share, &sum),
				 HF_OK);
		if (i > 0) /* sorted by code */
			assert_true(strcmp(k.shares[i - 1].unit,
					   k.shares[i].unit) < 0);
	}
	assert_int_equal(sum.num, 1);
	assert_int_equal(sum.den, 1);
	assert_string_equal(k.shares[0].unit, "01");
	/* SH, 3.38791 % in 2015 */
	if (pct == ks2015) {
		assert_int_equal(k.shares[0].share.num, 338791);
		assert_int_equal(k.shares[0].share.den, 10000000);
	}
	hf_key_clear(&k);
}

static void test_koenigstein(void **state)
{
	(void)state;
	check_koenigstein("koenigstein-2015", ks2015);
	check_koenigstein("koenigstein-2017", ks2017);
}

static void test_koenigstein_altered(void **state)
{
	const char *alt[16];
	hf_unit u[16];
	hf_key k;
	hf_error err;
	(void)state;

	memcpy(alt, ks2017, sizeof alt);
	alt[9] = "21.14425"; /* NW + 0.00001 */
	laender(u);
	published(&k, "koenigstein-2017-falsch", alt);
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_key_check(&k, u, 16, &err), HF_ESUM);
	assert_int_equal(err.code, HF_ESUM);
	assert_non_null(strstr(err.message, "100,00001"));
	assert_non_null(strstr(err.message, "0,00001"));
	hf_error_init(&err, HF_LANG_EN);
	assert_int_equal(hf_key_check(&k, u, 16, &err), HF_ESUM);
	assert_non_null(strstr(err.message, "sum to 100,00001"));
	hf_key_clear(&k);

	alt[9] = "21.14423"; /* and 0.00001 short */
	published(&k, "koenigstein-2017-falsch", alt);
	assert_int_equal(hf_key_check(&k, u, 16, &err), HF_ESUM);
	assert_non_null(strstr(err.message, "99,99999"));
	hf_key_clear(&k);
}

static void test_key_refused(void **state)
{
	hf_unit u[16];
	hf_key k;
	hf_error err;
	(void)state;

	laender(u);
	hf_error_init(&err, HF_LANG_EN);
	/* a missing child: the key has 15 shares for 16 Länder */
	published(&k, "ks", ks2015);
	k.nshares = 15; /* drops TH, 16 */
	assert_int_equal(hf_key_check(&k, u, 16, &err), HF_EINVAL);
	assert_string_equal(err.where, "16");
	assert_non_null(strstr(err.message, "has no share"));
	hf_key_clear(&k);
	/* a duplicate */
	published(&k, "ks", ks2015);
	snprintf(k.shares[15].unit, sizeof k.shares[15].unit, "01");
	assert_int_equal(hf_key_check(&k, u, 16, &err), HF_EINVAL);
	assert_string_equal(err.where, "01");
	assert_non_null(strstr(err.message, "two shares"));
	hf_key_clear(&k);
	/* a unit that is not a child */
	published(&k, "ks", ks2015);
	snprintf(k.shares[15].unit, sizeof k.shares[15].unit, "17");
	assert_int_equal(hf_key_check(&k, u, 16, &err), HF_EINVAL);
	assert_string_equal(err.where, "17");
	assert_non_null(strstr(err.message, "not a child"));
	hf_key_clear(&k);
}

static hf_key_weight W(const char *name, const char *w)
{
	hf_key_weight kw;
	memset(&kw, 0, sizeof kw);
	snprintf(kw.indicator, sizeof kw.indicator, "%s", name);
	kw.weight = R(w);
	return kw;
}

/* The population key of Schleswig-Holstein: each share pop/2903773. */
static void test_sh_population(void **state)
{
	hf_key_weight w = W("population", "1");
	hf_rat v[15], s[15], sum = hf_rat_int(0);
	hf_unit u[15];
	hf_key k;
	hf_error err;
	size_t i;
	(void)state;

	hf_error_init(&err, HF_LANG_DE);
	for (i = 0; i < 15; i++)
		v[i] = hf_rat_int(sh15[i].population);
	assert_int_equal(hf_key_compute(&w, 1, hf_rat_int(0), 15, v, s, &err),
			 HF_OK);
	for (i = 0; i < 15; i++) {
		hf_rat want;
		assert_int_equal(hf_rat_make(sh15[i].population, 2903773, &want), HF_OK);
		assert_int_equal(hf_rat_cmp(s[i], want), 0);
		assert_int_equal(hf_rat_add(sum, s[i], &sum), HF_OK);
	}
	/* Lübeck */
	assert_int_equal(s[2].num, 216530);
	assert_int_equal(s[2].den, 2903773);
	assert_int_equal(hf_rat_cmp(sum, hf_rat_int(1)), 0);

	/* and the key passes the whole-key check against the 15 units */
	hf_key_init(&k);
	snprintf(k.name, sizeof k.name, "sh-bevoelkerung-2019");
	snprintf(k.parent, sizeof k.parent, "01");
	k.kind = HF_KEY_COMPUTED;
	k.nshares = 15;
	k.shares = calloc(15, sizeof *k.shares);
	assert_non_null(k.shares);
	memset(u, 0, sizeof u);
	for (i = 0; i < 15; i++) {
		/* in reverse, so the check has something to sort */
		snprintf(k.shares[14 - i].unit, HF_CODE_MAX, "%s", sh15[i].code);
		k.shares[14 - i].share = s[i];
		snprintf(u[i].code, HF_CODE_MAX, "%s", sh15[i].code);
		snprintf(u[i].name, HF_NAME_MAX, "%s", sh15[i].name);
		snprintf(u[i].parent, HF_CODE_MAX, "01");
		u[i].kind = strlen(sh15[i].code) == 5 ? HF_UNIT_KREIS
						    : HF_UNIT_KREISFREIE_STADT;
	}
	assert_int_equal(hf_key_check(&k, u, 15, &err), HF_OK);
	assert_string_equal(k.shares[0].unit, "01001000");
	hf_key_clear(&k);
}

/*
 * NRW, 90 % population + 10 % area, cap 5/4 × population share.
 * Populations 80, 18, 2 (of 100), areas 10, 40, 50 (of 100):
 * uncapped 0.9 p + 0.1 a = 73/100, 202/1000, 68/1000; caps 5/4 p = 1,
 * 9/40, 1/40. C is above (68/1000 > 25/1000) and is cut to 1/40; A and B
 * share 1 - 1/40 = 39/40 in proportion 73 : 20.2, i.e. scaled by
 * (39/40) / (932/1000) = 975/932:
 *   A = 73/100 × 975/932 = 2847/3728  (≈ 0.7637, cap 1)
 *   B = 202/1000 × 975/932 = 3939/18640 (≈ 0.2113, cap 0.225)
 *   C = 1/40. Sum: (14235 + 3939 + 466) / 18640 = 1.
 */
static void test_nrw_cap(void **state)
{
	hf_key_weight w[2] = {W("population", "9/10"), W("area", "1/10")};
	hf_rat v[6] = {hf_rat_int(80), hf_rat_int(10), hf_rat_int(18),
		       hf_rat_int(40), hf_rat_int(2),  hf_rat_int(50)};
	hf_rat s[3];
	hf_error err;
	(void)state;

	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_key_compute(w, 2, R("5/4"), 3, v, s, &err), HF_OK);
	assert_int_equal(hf_rat_cmp(s[0], R("2847/3728")), 0);
	assert_int_equal(hf_rat_cmp(s[1], R("3939/18640")), 0);
	assert_int_equal(hf_rat_cmp(s[2], R("1/40")), 0);
	/* without the cap: the plain mix */
	assert_int_equal(hf_key_compute(w, 2, hf_rat_int(0), 3, v, s, &err),
			 HF_OK);
	assert_int_equal(hf_rat_cmp(s[0], R("73/100")), 0);
	assert_int_equal(hf_rat_cmp(s[1], R("202/1000")), 0);
	assert_int_equal(hf_rat_cmp(s[2], R("68/1000")), 0);
}

/*
 * A cap that takes two rounds. Populations 1, 1, 1, 100 (of 103), areas
 * 0, 1, 40, 0 (of 41). Uncapped: u0 9/1030 ≈ .00874, u1 9/1030 + 1/410
 * ≈ .01118, u2 9/1030 + 40/410 ≈ .10630, u3 900/1030 ≈ .87379; cap of
 * u0..u2 is 5/412 ≈ .01214.
 * Round 1: only u2 is above; cut to 5/412, the rest scaled by
 * (407/412) / (1 - .10630) ≈ 1.1054, which lifts u1 to ≈ .01236 > .01214.
 * Round 2: u1 cut to 5/412 too; u0 and u3 (together 909/1030) share
 * 1 - 10/412 = 402/412, factor 402·1030 / (412·909) = 335/303:
 *   u0 = 9/1030 × 335/303 = 201/20806 (≈ .00966, below its cap)
 *   u3 = 900/1030 × 335/303 = 10050/10403.
 * Sum over 41612: 402 + 505 + 505 + 40200 = 41612.
 */
static void test_nrw_cap_rounds(void **state)
{
	hf_key_weight w[2] = {W("population", "9/10"), W("area", "1/10")};
	hf_rat v[8] = {hf_rat_int(1), hf_rat_int(0),  hf_rat_int(1),
		       hf_rat_int(1), hf_rat_int(1),  hf_rat_int(40),
		       hf_rat_int(100), hf_rat_int(0)};
	hf_rat s[4];
	hf_error err;
	(void)state;

	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_key_compute(w, 2, R("5/4"), 4, v, s, &err), HF_OK);
	assert_int_equal(hf_rat_cmp(s[0], R("201/20806")), 0);
	assert_int_equal(hf_rat_cmp(s[1], R("5/412")), 0);
	assert_int_equal(hf_rat_cmp(s[2], R("5/412")), 0);
	assert_int_equal(hf_rat_cmp(s[3], R("10050/10403")), 0);
}

static void test_compute_refused(void **state)
{
	hf_key_weight w[2] = {W("population", "9/10"), W("area", "2/10")};
	hf_rat v[4] = {hf_rat_int(1), hf_rat_int(1), hf_rat_int(1),
		       hf_rat_int(1)};
	hf_rat s[2];
	hf_error err;
	(void)state;

	hf_error_init(&err, HF_LANG_EN);
	/* weights summing to 110 % */
	assert_int_equal(hf_key_compute(w, 2, hf_rat_int(0), 2, v, s, &err),
			 HF_ESUM);
	assert_non_null(strstr(err.message, "110"));
	w[1] = W("area", "1/10");
	/* a negative value */
	v[3] = hf_rat_int(-1);
	assert_int_equal(hf_key_compute(w, 2, hf_rat_int(0), 2, v, s, &err),
			 HF_EINVAL);
	assert_string_equal(err.where, "area");
	/* an indicator zero everywhere */
	v[1] = v[3] = hf_rat_int(0);
	assert_int_equal(hf_key_compute(w, 2, hf_rat_int(0), 2, v, s, &err),
			 HF_EINVAL);
	assert_non_null(strstr(err.message, "zero for every unit"));
	v[1] = v[3] = hf_rat_int(1);
	/* a cap below 1 */
	assert_int_equal(hf_key_compute(w, 2, R("1/2"), 2, v, s, &err),
			 HF_EINVAL);
	assert_string_equal(err.where, "cap");
	/* no units, no weights */
	assert_int_equal(hf_key_compute(w, 2, hf_rat_int(0), 0, v, s, &err),
			 HF_EINVAL);
	assert_int_equal(hf_key_compute(w, 0, hf_rat_int(0), 2, v, s, &err),
			 HF_EINVAL);
	/* values too fine for 64 bits */
	assert_int_equal(hf_rat_make(1, 4000000007ll, &v[0]), HF_OK);
	assert_int_equal(hf_rat_make(1, 4000000009ll, &v[2]), HF_OK);
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_key_compute(w, 2, hf_rat_int(0), 2, v, s, &err),
			 HF_EOVERFLOW);
	assert_non_null(strstr(err.message, "64 Bit"));
}

/*
 * The cap as the law reads, step by step: cut every unit above its cap,
 * spread the excess over the uncapped in proportion to their current
 * shares, repeat. Returns 0 where its own arithmetic leaves 64 bits.
 */
static int reference_cap(hf_rat cap, size_t n, const hf_rat *p, hf_rat *s)
{
	char capped[16] = {0};
	size_t i;

	for (;;) {
		hf_rat ex = hf_rat_int(0), rest = hf_rat_int(0), lim, d, f;
		int any = 0;
		for (i = 0; i < n; i++) {
			if (capped[i])
				continue;
			if (hf_rat_mul(cap, p[i], &lim) < 0)
				return 0;
			if (hf_rat_cmp(s[i], lim) > 0) {
				if (hf_rat_sub(s[i], lim, &d) < 0 ||
				    hf_rat_add(ex, d, &ex) < 0)
					return 0;
				s[i] = lim;
				capped[i] = 1;
				any = 1;
			}
		}
		if (!any)
			return 1;
		for (i = 0; i < n; i++)
			if (!capped[i] && hf_rat_add(rest, s[i], &rest) < 0)
				return 0;
		if (hf_rat_is_zero(rest))
			return 0;
		if (hf_rat_div(ex, rest, &f) < 0 ||
		    hf_rat_add(f, hf_rat_int(1), &f) < 0)
			return 0;
		for (i = 0; i < n; i++)
			if (!capped[i] && hf_rat_mul(s[i], f, &s[i]) < 0)
				return 0;
	}
}

/* Random indicators: the shares sum to exactly 1, none is above its cap,
 * and the result is the law's step-by-step iteration. */
static void test_random(void **state)
{
	hf_key_weight w[3] = {W("population", "9/10"), W("area", "1/10"),
			      W("unused", "0")};
	hf_rat v[16 * 3], s[16], p[16], ref[16];
	hf_error err;
	int round, compared = 0, capped_cases = 0;
	(void)state;

	hf_error_init(&err, HF_LANG_EN);
	for (round = 0; round < 3000; round++) {
		size_t n = 2 + test_rnd(&rnd_state) % 14, i;
		hf_rat sum = hf_rat_int(0), psum = hf_rat_int(0), asum, lim;
		hf_rat cap = round % 2 ? R("5/4") : R("11/10");
		int any_capped = 0;

		asum = hf_rat_int(0);
		for (i = 0; i < n; i++) {
			v[i * 3] = hf_rat_int(
			    1 + (int64_t)(test_rnd(&rnd_state) % 1000));
			v[i * 3 + 1] =
			    hf_rat_int((int64_t)(test_rnd(&rnd_state) % 100));
			v[i * 3 + 2] =
			    hf_rat_int((int64_t)(test_rnd(&rnd_state) % 7));
			assert_int_equal(hf_rat_add(psum, v[i * 3], &psum),
					 HF_OK);
			assert_int_equal(
				hf_rat_add(asum, v[i * 3 + 1], &asum), HF_OK);
		}
		if (hf_rat_is_zero(asum))
			v[1] = asum = hf_rat_int(1);
		assert_int_equal(hf_key_compute(w, 3, cap, n, v, s, &err),
				 HF_OK);
		for (i = 0; i < n; i++) {
			hf_rat a, t;
			assert_int_equal(hf_rat_div(v[i * 3], psum, &p[i]),
					 HF_OK);
			assert_int_equal(hf_rat_mul(cap, p[i], &lim), HF_OK);
			assert_true(hf_rat_cmp(s[i], lim) <= 0);
			assert_true(s[i].num >= 0);
			assert_int_equal(hf_rat_add(sum, s[i], &sum), HF_OK);
			/* the uncapped mix, for the reference */
			assert_int_equal(hf_rat_div(v[i * 3 + 1], asum, &a),
					 HF_OK);
			assert_int_equal(hf_rat_mul(p[i], R("9/10"), &t),
					 HF_OK);
			assert_int_equal(hf_rat_mul(a, R("1/10"), &a), HF_OK);
			assert_int_equal(hf_rat_add(t, a, &ref[i]), HF_OK);
			if (hf_rat_cmp(ref[i], lim) > 0)
				any_capped = 1;
		}
		assert_int_equal(sum.num, 1);
		assert_int_equal(sum.den, 1);
		capped_cases += any_capped;
		if (!reference_cap(cap, n, p, ref))
			continue;
		compared++;
		for (i = 0; i < n; i++)
			assert_int_equal(hf_rat_cmp(s[i], ref[i]), 0);
	}
	/* the comparison ran on most cases, and the cap bit in many */
	assert_true(compared > 2000);
	assert_true(capped_cases > 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_koenigstein),
		cmocka_unit_test(test_koenigstein_altered),
		cmocka_unit_test(test_key_refused),
		cmocka_unit_test(test_sh_population),
		cmocka_unit_test(test_nrw_cap),
		cmocka_unit_test(test_nrw_cap_rounds),
		cmocka_unit_test(test_compute_refused),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

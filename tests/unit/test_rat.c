/* Tests for rat.c: exact rationals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hafen/error.h"
#include "hafen/rat.h"

static hf_rat R(const char *s)
{
	hf_rat r;
	assert_int_equal(hf_rat_parse(s, &r), HF_OK);
	return r;
}

static void test_normalise(void **state)
{
	hf_rat r;
	(void)state;
	assert_int_equal(hf_rat_make(6, -4, &r), HF_OK);
	assert_int_equal(r.num, -3);
	assert_int_equal(r.den, 2);
	assert_int_equal(hf_rat_make(0, -7, &r), HF_OK);
	assert_int_equal(r.num, 0);
	assert_int_equal(r.den, 1);
	assert_int_equal(hf_rat_make(1, 0, &r), HF_EINVAL);
}

static void test_parse(void **state)
{
	hf_rat r;
	(void)state;
	r = R("12.97496");
	assert_int_equal(r.num, 162187);
	assert_int_equal(r.den, 12500);
	r = R("0,5");
	assert_int_equal(r.num, 1);
	assert_int_equal(r.den, 2);
	r = R("216530/2903773");
	assert_int_equal(r.num, 216530);
	assert_int_equal(r.den, 2903773);
	r = R("-4/6");
	assert_int_equal(r.num, -2);
	assert_int_equal(r.den, 3);
	assert_int_equal(hf_rat_parse("", &r), HF_EPARSE);
	assert_int_equal(hf_rat_parse("1.", &r), HF_EPARSE);
	assert_int_equal(hf_rat_parse(".5", &r), HF_EPARSE);
	assert_int_equal(hf_rat_parse("1.2.3", &r), HF_EPARSE);
	assert_int_equal(hf_rat_parse("1e5", &r), HF_EPARSE);
	assert_int_equal(hf_rat_parse("1 000", &r), HF_EPARSE);
	assert_int_equal(hf_rat_parse("1/0", &r), HF_EINVAL);
	assert_int_equal(hf_rat_parse("99999999999999999999", &r),
			 HF_EOVERFLOW);
}

static void test_arith(void **state)
{
	hf_rat a = R("1/3"), b = R("1/6"), r;
	(void)state;
	assert_int_equal(hf_rat_add(a, b, &r), HF_OK);
	assert_int_equal(r.num, 1);
	assert_int_equal(r.den, 2);
	assert_int_equal(hf_rat_sub(b, a, &r), HF_OK);
	assert_int_equal(r.num, -1);
	assert_int_equal(r.den, 6);
	assert_int_equal(hf_rat_mul(a, b, &r), HF_OK);
	assert_int_equal(r.den, 18);
	assert_int_equal(hf_rat_div(a, b, &r), HF_OK);
	assert_int_equal(r.num, 2);
	assert_int_equal(r.den, 1);
	assert_int_equal(hf_rat_div(a, hf_rat_int(0), &r), HF_EINVAL);
	assert_int_equal(hf_rat_cmp(a, b), 1);
	assert_int_equal(hf_rat_cmp(b, a), -1);
	assert_int_equal(hf_rat_cmp(R("2/4"), R("1/2")), 0);
	/* overflow is reported, never wrapped */
	assert_int_equal(hf_rat_mul(hf_rat_int(INT64_MAX), hf_rat_int(2), &r),
			 HF_EOVERFLOW);
	assert_int_equal(hf_rat_add(R("1/4000000007"), R("1/4000000009"), &r),
			 HF_EOVERFLOW);
}

static void test_floor_ceil(void **state)
{
	(void)state;
	assert_int_equal(hf_rat_floor(R("7/2")), 3);
	assert_int_equal(hf_rat_ceil(R("7/2")), 4);
	assert_int_equal(hf_rat_floor(R("-7/2")), -4);
	assert_int_equal(hf_rat_ceil(R("-7/2")), -3);
	assert_int_equal(hf_rat_floor(R("4")), 4);
	assert_int_equal(hf_rat_ceil(R("-4")), -4);
}

static void test_format(void **state)
{
	char buf[48];
	(void)state;
	hf_rat_format_decimal(R("216530/2903773"), 5, ',', buf, sizeof buf);
	assert_string_equal(buf, "0,07457");
	hf_rat_format_decimal(R("1/8"), 2, '.', buf, sizeof buf);
	assert_string_equal(buf, "0.13"); /* half away from zero */
	hf_rat_format_decimal(R("-1/8"), 2, '.', buf, sizeof buf);
	assert_string_equal(buf, "-0.13");
	hf_rat_format_decimal(R("-1/1000"), 2, '.', buf, sizeof buf);
	assert_string_equal(buf, "0.00"); /* no "-0.00" */
	hf_rat_format_decimal(R("12345"), 0, '.', buf, sizeof buf);
	assert_string_equal(buf, "12345");
	hf_rat_format_decimal(R("3.38791"), 5, ',', buf, sizeof buf);
	assert_string_equal(buf, "3,38791");
	hf_rat_format(R("6/4"), buf, sizeof buf);
	assert_string_equal(buf, "3/2");
	hf_rat_format(R("5"), buf, sizeof buf);
	assert_string_equal(buf, "5");
	assert_int_equal(hf_rat_format_decimal(R("1/3"), 5, '.', buf, 4),
			 HF_ERANGE);
}

/* Property: parse(format(x)) == x for decimals, and a+b-b == a. */
static void test_random_roundtrip(void **state)
{
	uint64_t s = 88172645463325252ull;
	int i;
	(void)state;
	for (i = 0; i < 20000; i++) {
		hf_rat a, b, c, d;
		char buf[48];
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		assert_int_equal(hf_rat_make((int64_t)(s % 2000001) - 1000000,
					     (int64_t)(s >> 40) % 99991 + 1, &a),
				 HF_OK);
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		assert_int_equal(hf_rat_make((int64_t)(s % 2000001) - 1000000,
					     (int64_t)(s >> 40) % 99991 + 1, &b),
				 HF_OK);
		assert_int_equal(hf_rat_add(a, b, &c), HF_OK);
		assert_int_equal(hf_rat_sub(c, b, &d), HF_OK);
		assert_int_equal(hf_rat_cmp(a, d), 0);
		assert_true(d.num == a.num && d.den == a.den);
		/* a value with 5 decimals formats and parses back exactly */
		assert_int_equal(hf_rat_make((int64_t)(s % 100000000), 100000,
					     &a),
				 HF_OK);
		hf_rat_format_decimal(a, 5, '.', buf, sizeof buf);
		assert_int_equal(hf_rat_parse(buf, &b), HF_OK);
		assert_int_equal(hf_rat_cmp(a, b), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_arith),
		cmocka_unit_test(test_floor_ceil),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_random_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

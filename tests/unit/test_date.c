/* Tests for date.c: civil dates and periods. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hafen/date.h"
#include "hafen/error.h"

static void test_known_days(void **state)
{
	hf_date d;
	(void)state;
	assert_int_equal(hf_date_make(1970, 1, 1, &d), HF_OK);
	assert_int_equal(d, 0);
	assert_int_equal(hf_date_make(2000, 3, 1, &d), HF_OK);
	assert_int_equal(d, 11017);
	assert_int_equal(hf_date_make(2019, 12, 31, &d), HF_OK);
	assert_int_equal(d, 18261);
	assert_int_equal(hf_date_make(1900, 1, 1, &d), HF_OK);
	assert_int_equal(d, -25567);
}

static void test_parse(void **state)
{
	hf_date d;
	char buf[11];
	(void)state;
	assert_int_equal(hf_date_parse("2023-12-04", &d), HF_OK);
	hf_date_format_de(d, buf);
	assert_string_equal(buf, "04.12.2023");
	assert_int_equal(hf_date_parse("04.12.2023", &d), HF_OK);
	hf_date_format(d, buf);
	assert_string_equal(buf, "2023-12-04");
	assert_int_equal(hf_date_parse("2024-02-29", &d), HF_OK);
	assert_int_equal(hf_date_parse("2023-02-29", &d), HF_EINVAL);
	assert_int_equal(hf_date_parse("2023-02-30", &d), HF_EINVAL);
	assert_int_equal(hf_date_parse("1900-02-29", &d), HF_EINVAL);
	assert_int_equal(hf_date_parse("2023-13-01", &d), HF_EINVAL);
	assert_int_equal(hf_date_parse("2023-1-01", &d), HF_EPARSE);
	assert_int_equal(hf_date_parse("2023/01/01", &d), HF_EPARSE);
	assert_int_equal(hf_date_parse("", &d), HF_EPARSE);
	assert_int_equal(hf_date_parse("0099-01-01", &d), HF_ERANGE);
}

/* Every day from 1900 to 2100 splits back to itself, in order. */
static void test_roundtrip_all_days(void **state)
{
	hf_date d, prev;
	int y, m, dd, yy, mm, ddd;
	(void)state;
	assert_int_equal(hf_date_make(1900, 1, 1, &prev), HF_OK);
	prev--;
	for (y = 1900; y <= 2100; y++)
		for (m = 1; m <= 12; m++)
			for (dd = 1; dd <= 31; dd++) {
				if (hf_date_make(y, m, dd, &d) != HF_OK)
					continue;
				assert_int_equal(d, prev + 1);
				hf_date_split(d, &yy, &mm, &ddd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(ddd, dd);
				prev = d;
			}
}

static void check_period(const char *s, const char *from, const char *to)
{
	hf_period p;
	char a[11], b[11], f[32];
	assert_int_equal(hf_period_parse(s, &p), HF_OK);
	hf_date_format(p.from, a);
	hf_date_format(p.to, b);
	assert_string_equal(a, from);
	assert_string_equal(b, to);
	hf_period_format(p, f);
	assert_string_equal(f, s);
}

static void test_periods(void **state)
{
	hf_period p;
	(void)state;
	check_period("2023", "2023-01-01", "2023-12-31");
	check_period("2024-02", "2024-02-01", "2024-02-29");
	check_period("2023-H2", "2023-07-01", "2023-12-31");
	check_period("2023-Q3", "2023-07-01", "2023-09-30");
	check_period("2023-03-15..2023-04-02", "2023-03-15", "2023-04-02");
	assert_int_equal(hf_period_parse("2023-04-02..2023-03-15", &p),
			 HF_EINVAL);
	assert_int_equal(hf_period_parse("2023-13", &p), HF_EINVAL);
	assert_int_equal(hf_period_parse("23", &p), HF_EPARSE);
	assert_int_equal(hf_period_parse("2023-Q5", &p), HF_EPARSE);
}

/* The UTC day of a Unix time, for "today" in the command and the server. */
static void test_of_time(void **state)
{
	char buf[11];
	(void)state;
	hf_date_format(hf_date_of_time(0), buf);
	assert_string_equal(buf, "1970-01-01");
	hf_date_format(hf_date_of_time(86399), buf);
	assert_string_equal(buf, "1970-01-01");
	hf_date_format(hf_date_of_time(-1), buf);
	assert_string_equal(buf, "1969-12-31");
	hf_date_format(hf_date_of_time(1700000000), buf);
	assert_string_equal(buf, "2023-11-14");
	hf_date_format(hf_date_of_time(951782400), buf); /* leap day */
	assert_string_equal(buf, "2000-02-29");
	assert_int_equal(hf_date_of_time(-3000000000LL), HF_DATE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_days),
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_roundtrip_all_days),
	    cmocka_unit_test(test_periods),
	    cmocka_unit_test(test_of_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

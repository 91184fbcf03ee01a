/* Tests for ledger.c: categories and the check of one entry. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hafen/error.h"
#include "hafen/ledger.h"

static void test_slugs(void **state)
{
	static const char *const de[HF_CAT_COUNT] = {
		"regulaer", "sicherer-hafen", "bundesprogramm",
		"landesprogramm", "resettlement", "familiennachzug",
		"umverteilung-ab", "umverteilung-zu", "fortzug"};
	static const char *const en[HF_CAT_COUNT] = {
		"regular", "safe-harbour", "federal-programme",
		"land-programme", "resettlement", "family-reunification",
		"transfer-out", "transfer-in", "departure"};
	hf_category c;
	int i;
	(void)state;
	for (i = 0; i < HF_CAT_COUNT; i++) {
		assert_string_equal(hf_category_slug(i), de[i]);
		assert_string_equal(hf_category_slug_en(i), en[i]);
		assert_int_equal(hf_category_parse(de[i], &c), HF_OK);
		assert_int_equal(c, i);
		assert_int_equal(hf_category_parse(en[i], &c), HF_OK);
		assert_int_equal(c, i);
		assert_non_null(hf_category_name(i, HF_LANG_DE));
		assert_non_null(hf_category_name(i, HF_LANG_EN));
	}
	assert_string_equal(hf_category_name(HF_CAT_SICHERER_HAFEN, HF_LANG_DE),
			    "Sonderaufnahme Sicherer Hafen");
	assert_string_equal(hf_category_name(HF_CAT_TRANSFER_OUT, HF_LANG_DE),
			    "Umverteilung (Abgang)");
	assert_null(hf_category_slug(HF_CAT_COUNT));
	assert_null(hf_category_name(HF_CAT_COUNT, HF_LANG_DE));
	assert_int_equal(hf_category_parse("Regulaer", &c), HF_EINVAL);
	assert_int_equal(hf_category_parse("", &c), HF_EINVAL);
}

static void test_sign(void **state)
{
	int i;
	(void)state;
	for (i = 0; i < HF_CAT_COUNT; i++)
		assert_int_equal(hf_category_sign(i),
				 i == HF_CAT_TRANSFER_OUT ||
						 i == HF_CAT_DEPARTURE
					 ? -1
					 : 1);
}

static hf_admission entry(void)
{
	hf_admission a;
	memset(&a, 0, sizeof a);
	a.date = 19000;
	strcpy(a.unit, "01003000");
	a.persons = 4;
	strcpy(a.household, "HH-2023.17:a_b");
	a.category = HF_CAT_REGULAR;
	return a;
}

static void test_check(void **state)
{
	hf_admission a;
	hf_error err;
	(void)state;
	hf_error_init(&err, HF_LANG_DE);
	a = entry();
	assert_int_equal(hf_admission_check(&a, &err), HF_OK);
	a.household[0] = '\0';
	assert_int_equal(hf_admission_check(&a, &err), HF_OK);
	a = entry();
	a.persons = 0;
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	assert_string_equal(err.where, "persons");
	a.persons = -3;
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	a.corrects = 7; /* a reversal is negative */
	assert_int_equal(hf_admission_check(&a, &err), HF_OK);
	a.persons = 3;
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	a = entry();
	a.corrects = -1;
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	a = entry();
	strcpy(a.household, "Familie Müller");
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	assert_string_equal(err.where, "household");
	strcpy(a.household, "a b");
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	a = entry();
	a.category = HF_CAT_COUNT;
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	a.category = (hf_category)-1;
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	a = entry();
	a.date = HF_DATE_NONE;
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	assert_string_equal(err.where, "date");
	a = entry();
	a.unit[0] = '\0';
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	a = entry();
	memset(a.note, 'x', sizeof a.note);
	assert_int_equal(hf_admission_check(&a, &err), HF_ERANGE);
	/* English */
	hf_error_init(&err, HF_LANG_EN);
	a = entry();
	a.persons = 0;
	assert_int_equal(hf_admission_check(&a, &err), HF_EINVAL);
	assert_non_null(strstr(err.message, "at least one person"));
}

static void test_filter_all(void **state)
{
	hf_ledger_filter f = hf_ledger_filter_all();
	(void)state;
	assert_int_equal(f.category, -1);
	assert_int_equal(f.from, HF_DATE_NONE);
	assert_int_equal(f.to, HF_DATE_NONE);
	assert_null(f.unit);
	assert_null(f.parent);
	assert_int_equal(f.limit, 0);
	assert_int_equal(f.after_id, 0);
}

/* The characters of a pseudonymous household id, shared by the ledger's
 * checks and the import of households for matching. */
static void test_household_id(void **state)
{
	(void)state;
	assert_true(hf_household_id_ok(""));
	assert_true(hf_household_id_ok("HH-2024:0017_a.b"));
	assert_false(hf_household_id_ok("Anna Meier"));
	assert_false(hf_household_id_ok("Müller"));
	assert_false(hf_household_id_ok("a,b"));
	assert_false(hf_household_id_ok("x/y"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_slugs),
	    cmocka_unit_test(test_sign),
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_filter_all),
	    cmocka_unit_test(test_household_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests for unit.c: unit kinds, code rules, field copies. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hafen/error.h"
#include "hafen/unit.h"

#include "fixtures.h"

static hf_unit U(const char *code, hf_unit_kind kind, const char *name,
		 const char *parent)
{
	hf_unit u;
	memset(&u, 0, sizeof u);
	strcpy(u.code, code);
	strcpy(u.name, name);
	strcpy(u.parent, parent);
	u.kind = kind;
	return u;
}


static int check(hf_unit u, const hf_unit *parent, hf_error *err)
{
	hf_error_init(err, HF_LANG_DE);
	return hf_unit_check(&u, parent, err);
}

static void test_kinds(void **state)
{
	hf_unit_kind k;
	int i;
	(void)state;
	for (i = 0; i < HF_UNIT_KIND_COUNT; i++) {
		assert_int_equal(hf_unit_kind_parse(hf_unit_kind_slug(i), &k),
				 HF_OK);
		assert_int_equal(k, i);
		assert_non_null(hf_unit_kind_name(i, HF_LANG_DE));
		assert_non_null(hf_unit_kind_name(i, HF_LANG_EN));
	}
	assert_string_equal(hf_unit_kind_slug(HF_UNIT_KREISFREIE_STADT),
			    "kreisfreie-stadt");
	assert_null(hf_unit_kind_slug(HF_UNIT_KIND_COUNT));
	assert_string_equal(hf_unit_kind_name(HF_UNIT_KREISFREIE_STADT,
					      HF_LANG_DE),
			    "kreisfreie Stadt");
	{
		static const struct {
			const char *s;
			hf_unit_kind k;
		} en[] = {
			{"union", HF_UNIT_UNION},
			{"state", HF_UNIT_STATE},
			{"staat", HF_UNIT_STATE},
			{"land", HF_UNIT_LAND},
			{"district", HF_UNIT_REGBEZ},
			{"regierungsbezirk", HF_UNIT_REGBEZ},
			{"county", HF_UNIT_KREIS},
			{"kreis", HF_UNIT_KREIS},
			{"city", HF_UNIT_KREISFREIE_STADT},
			{"municipality", HF_UNIT_GEMEINDE},
			{"gemeinde", HF_UNIT_GEMEINDE},
		};
		size_t j;
		for (j = 0; j < sizeof en / sizeof en[0]; j++) {
			assert_int_equal(hf_unit_kind_parse(en[j].s, &k), HF_OK);
			assert_int_equal(k, en[j].k);
		}
	}
	assert_int_equal(hf_unit_kind_parse("dorf", &k), HF_EINVAL);
	assert_int_equal(hf_unit_kind_parse("", &k), HF_EINVAL);
}

static void test_schleswig_holstein(void **state)
{
	hf_unit de = U("DE", HF_UNIT_STATE, "Deutschland", "EU");
	hf_unit eu = U("EU", HF_UNIT_UNION, "Europäische Union", "");
	hf_unit land = U("01", HF_UNIT_LAND, "Schleswig-Holstein", "DE");
	hf_error err;
	int i;
	(void)state;
	assert_int_equal(check(eu, NULL, &err), HF_OK);
	assert_int_equal(check(de, &eu, &err), HF_OK);
	assert_int_equal(check(land, &de, &err), HF_OK);
	for (i = 0; i < 15; i++)
		assert_int_equal(check(U(sh15[i].code, sh15[i].kind, sh15[i].name,
					 "01"),
				       &land, &err),
				 HF_OK);
	/* a Gemeinde in Dithmarschen, AGS and ARS */
	{
		hf_unit kreis = U("01051", HF_UNIT_KREIS, "Dithmarschen", "01");
		assert_int_equal(check(U("01051011", HF_UNIT_GEMEINDE,
					 "Brunsbüttel", "01051"),
				       &kreis, &err),
				 HF_OK);
		assert_int_equal(check(U("010510011011", HF_UNIT_GEMEINDE,
					 "Brunsbüttel", "01051"),
				       &kreis, &err),
				 HF_OK);
		assert_int_equal(check(U("01053011", HF_UNIT_GEMEINDE, "X",
					 "01051"),
				       &kreis, &err),
				 HF_EINVAL);
		assert_string_equal(err.where, "code");
		assert_int_equal(check(U("0105101", HF_UNIT_GEMEINDE, "X",
					 "01051"),
				       &kreis, &err),
				 HF_EINVAL);
		assert_int_equal(check(U("01051011X", HF_UNIT_GEMEINDE, "X",
					 "01051"),
				       &kreis, &err),
				 HF_EINVAL);
	}
}

static void test_code_rules(void **state)
{
	hf_unit eu = U("EU", HF_UNIT_UNION, "EU", "");
	hf_unit de = U("DE", HF_UNIT_STATE, "Deutschland", "");
	hf_unit at = U("AT", HF_UNIT_STATE, "Österreich", "");
	hf_unit land = U("05", HF_UNIT_LAND, "Nordrhein-Westfalen", "DE");
	hf_unit rb = U("051", HF_UNIT_REGBEZ, "Düsseldorf", "05");
	hf_unit sh = U("01", HF_UNIT_LAND, "Schleswig-Holstein", "DE");
	hf_error err;
	(void)state;
	/* union */
	assert_int_equal(check(U("EG", HF_UNIT_UNION, "x", ""), NULL, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("EU", HF_UNIT_UNION, "x", "DE"), &de, &err),
			 HF_EINVAL);
	/* state */
	assert_int_equal(check(de, NULL, &err), HF_OK);
	assert_int_equal(check(U("de", HF_UNIT_STATE, "x", ""), NULL, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("DEU", HF_UNIT_STATE, "x", ""), NULL, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("D1", HF_UNIT_STATE, "x", ""), NULL, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("FR", HF_UNIT_STATE, "x", "EU"), &eu, &err),
			 HF_OK);
	/* Land */
	assert_int_equal(check(U("16", HF_UNIT_LAND, "Thüringen", "DE"), &de,
			       &err),
			 HF_OK);
	assert_int_equal(check(U("01", HF_UNIT_LAND, "SH", ""), NULL, &err),
			 HF_OK);
	assert_int_equal(check(U("00", HF_UNIT_LAND, "x", "DE"), &de, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("17", HF_UNIT_LAND, "x", "DE"), &de, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("1", HF_UNIT_LAND, "x", "DE"), &de, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("01", HF_UNIT_LAND, "x", "AT"), &at, &err),
			 HF_EINVAL);
	assert_string_equal(err.where, "parent");
	/* Regierungsbezirk */
	assert_int_equal(check(rb, &land, &err), HF_OK);
	assert_int_equal(check(U("061", HF_UNIT_REGBEZ, "x", "05"), &land,
			       &err),
			 HF_EINVAL);
	assert_int_equal(check(U("0511", HF_UNIT_REGBEZ, "x", "05"), &land,
			       &err),
			 HF_EINVAL);
	assert_int_equal(check(U("051", HF_UNIT_REGBEZ, "x", "DE"), &de,
			       &err),
			 HF_EINVAL);
	/* Kreis: below its Land or its Regierungsbezirk */
	assert_int_equal(check(U("05111", HF_UNIT_KREISFREIE_STADT,
				 "Düsseldorf", "051"),
			       &rb, &err),
			 HF_OK);
	assert_int_equal(check(U("05154", HF_UNIT_KREIS, "Kleve", "051"), &rb,
			       &err),
			 HF_OK);
	assert_int_equal(check(U("05162", HF_UNIT_KREIS, "Rhein-Kreis Neuss",
				 "051"),
			       &rb, &err),
			 HF_OK);
	assert_int_equal(check(U("05315", HF_UNIT_KREISFREIE_STADT, "Köln",
				 "051"),
			       &rb, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("05162", HF_UNIT_KREIS, "Rhein-Kreis Neuss",
				 "05"),
			       &land, &err),
			 HF_OK);
	assert_int_equal(check(U("01051", HF_UNIT_KREIS, "Dithmarschen", "05"),
			       &land, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("0105", HF_UNIT_KREIS, "x", "01"), &sh, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("01051000", HF_UNIT_KREIS, "x", "01"), &sh,
			       &err),
			 HF_EINVAL);
	assert_int_equal(check(U("01051", HF_UNIT_KREIS, "x", ""), NULL, &err),
			 HF_EINVAL);
	assert_string_equal(err.where, "parent");
	/* kreisfreie Stadt: 5 digits or 8 ending in 000 */
	assert_int_equal(check(U("01003", HF_UNIT_KREISFREIE_STADT, "Lübeck",
				 "01"),
			       &sh, &err),
			 HF_OK);
	assert_int_equal(check(U("01003001", HF_UNIT_KREISFREIE_STADT, "x",
				 "01"),
			       &sh, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("1003000", HF_UNIT_KREISFREIE_STADT, "x",
				 "01"),
			       &sh, &err),
			 HF_EINVAL);
	assert_non_null(strstr(err.message, "Code 1003000"));
	assert_non_null(strstr(err.message, "5 oder 8 Ziffern"));
	assert_int_equal(check(U("02000000", HF_UNIT_KREISFREIE_STADT,
				 "Hamburg", "01"),
			       &sh, &err),
			 HF_EINVAL);
	/* kinds that cannot sit below each other */
	assert_int_equal(check(U("01051011", HF_UNIT_GEMEINDE, "x", "01"), &sh,
			       &err),
			 HF_EINVAL);
	assert_int_equal(check(U("DE", HF_UNIT_STATE, "x", "01"), &sh, &err),
			 HF_EINVAL);
	/* names and the parent field */
	assert_int_equal(check(U("01051", HF_UNIT_KREIS, "", "01"), &sh, &err),
			 HF_EINVAL);
	assert_string_equal(err.where, "name");
	assert_int_equal(check(U("01051", HF_UNIT_KREIS, "x", "02"), &sh, &err),
			 HF_EINVAL);
	assert_int_equal(check(U("", HF_UNIT_KREIS, "x", "01"), &sh, &err),
			 HF_EINVAL);
	{
		hf_unit u = U("01051", HF_UNIT_KREIS, "x", "01");
		u.kind = HF_UNIT_KIND_COUNT;
		assert_int_equal(check(u, &sh, &err), HF_EINVAL);
		assert_string_equal(err.where, "kind");
	}
}

static void test_english_message(void **state)
{
	hf_unit sh = U("01", HF_UNIT_LAND, "Schleswig-Holstein", "DE");
	hf_unit u = U("1003000", HF_UNIT_KREISFREIE_STADT, "Lübeck", "01");
	hf_error err;
	(void)state;
	hf_error_init(&err, HF_LANG_EN);
	assert_int_equal(hf_unit_check(&u, &sh, &err), HF_EINVAL);
	assert_non_null(strstr(err.message, "5 or 8 digits"));
}

static void test_field_copy(void **state)
{
	char buf[5];
	hf_error err;
	(void)state;
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_field_copy(buf, sizeof buf, "abcd", "code", &err),
			 HF_OK);
	assert_string_equal(buf, "abcd");
	strcpy(buf, "zz");
	assert_int_equal(hf_field_copy(buf, sizeof buf, "abcde", "code", &err),
			 HF_ERANGE);
	assert_string_equal(buf, "zz"); /* untouched, not truncated */
	assert_string_equal(err.where, "code");
	assert_non_null(strstr(err.message, "code"));
	assert_int_equal(hf_field_copy(buf, sizeof buf, NULL, "code", &err),
			 HF_OK);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_schleswig_holstein),
		cmocka_unit_test(test_code_rules),
		cmocka_unit_test(test_english_message),
		cmocka_unit_test(test_field_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

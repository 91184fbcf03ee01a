/* Tests for the import/export module: value formats, header names, all or
 * nothing, the issue list, and round trips of random ledgers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hafen/hafen.h"
#include "io_int.h"
#include "testrnd.h"

#define OK(x) assert_int_equal((x), HF_OK)

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static void test_number_plain(void **state)
{
	static const char *const cases[][2] = {
	    {"4", "4"},	       {"4.0", "4"},
	    {"0.1", "0.1"},    {"1E-3", "0.001"},
	    {"1.5E+2", "150"}, {"-2.5e-7", "-0.00000025"},
	    {"007", "7"},      {"12.3400", "12.34"},
	    {"-0", "0"},       {"3.38791E-2", "0.0338791"},
	};
	char buf[64];
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(
		    hf__io_number_plain(cases[i][0], buf, sizeof buf), 0);
		assert_string_equal(buf, cases[i][1]);
	}
	assert_int_equal(hf__io_number_plain("1,5", buf, sizeof buf), -1);
	assert_int_equal(hf__io_number_plain("E5", buf, sizeof buf), -1);
	assert_int_equal(hf__io_number_plain("1e999", buf, sizeof buf), -1);
}

static void test_format_rat(void **state)
{
	char buf[64];
	hf_rat r, back;
	int i;
	(void)state;
	hf__io_format_rat(hf_rat_int(90164), '.', buf, sizeof buf);
	assert_string_equal(buf, "90164");
	OK(hf_rat_make(338791, 10000000, &r));
	hf__io_format_rat(r, '.', buf, sizeof buf);
	assert_string_equal(buf, "0.0338791");
	hf__io_format_rat(r, ',', buf, sizeof buf);
	assert_string_equal(buf, "0,0338791");
	OK(hf_rat_make(216530, 2903773, &r));
	hf__io_format_rat(r, ',', buf, sizeof buf);
	assert_string_equal(buf, "216530/2903773");
	OK(hf_rat_make(-5, 4, &r));
	hf__io_format_rat(r, '.', buf, sizeof buf);
	assert_string_equal(buf, "-1.25");
	/* property: whatever is written reads back to the same value */
	for (i = 0; i < 2000; i++) {
		int64_t num = (int64_t)(test_rnd(&seed) % 2000001) - 1000000;
		int64_t den = (int64_t)(test_rnd(&seed) % 100000) + 1;
		if (i % 3 == 0)
			den = (int64_t)1 << (test_rnd(&seed) % 20);
		OK(hf_rat_make(num, den, &r));
		hf__io_format_rat(r, i % 2 ? ',' : '.', buf, sizeof buf);
		OK(hf_rat_parse(buf, &back));
		assert_int_equal(back.num, r.num);
		assert_int_equal(back.den, r.den);
	}
}

static void test_time(void **state)
{
	int64_t t;
	char buf[32];
	int i;
	(void)state;
	assert_int_equal(hf__io_parse_time("2023-11-14T22:13:20Z", &t), 0);
	assert_int_equal(t, 1700000000);
	assert_int_equal(hf__io_parse_time("14.11.2023 22:13:20", &t), 0);
	assert_int_equal(t, 1700000000);
	assert_int_equal(hf__io_parse_time("2023-11-14 22:13", &t), 0);
	assert_int_equal(t, 1700000000 - 20);
	assert_int_equal(hf__io_parse_time("1700000000", &t), 0);
	assert_int_equal(t, 1700000000);
	assert_int_equal(hf__io_parse_time("2023-11-14", &t), -1);
	assert_int_equal(hf__io_parse_time("2023-11-14T25:00", &t), -1);
	hf__io_format_time(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	for (i = 0; i < 2000; i++) {
		int64_t x =
		    (int64_t)(test_rnd(&seed) % 8000000000ull) - 2000000000;
		hf__io_format_time(x, buf);
		assert_int_equal(hf__io_parse_time(buf, &t), 0);
		assert_int_equal(t, x);
	}
}

static int parse(hf_io_kind k, const char *text, size_t max,
		 hf_import_result *r)
{
	hf_import_options o = hf_import_options_default();
	hf_error err;

	hf_error_init(&err, HF_LANG_DE);
	o.max_issues = max;
	return hf_import_parse_only(k, "t.csv", text, strlen(text), &o, r,
				    &err);
}

static void test_header_names(void **state)
{
	hf_import_result r;
	(void)state;
	/* German, English, any case and spacing */
	OK(parse(HF_IO_ADMISSIONS,
		 "  DATUM ;einheit;Personen;Kategorie;AKTENZEICHEN\n"
		 "05.01.2024;01003000;2;safe-harbour;AZ 1\n",
		 0, &r));
	assert_int_equal(r.rows, 1);
	assert_int_equal(r.dialect, HF_DIALECT_EXCEL);
	hf_import_result_clear(&r);
	OK(parse(HF_IO_KEYS,
		 "Schlüssel,Obereinheit,Gültig ab,Einheit,Prozent\n"
		 "k,01,2025-01-01,01001000,100\n",
		 0, &r));
	assert_int_equal(r.dialect, HF_DIALECT_TOOL);
	hf_import_result_clear(&r);
	/* unknown and missing columns, by name */
	assert_int_equal(
	    parse(HF_IO_ADMISSIONS, "Datum,Einheit,Menge\n", 0, &r), HF_EINVAL);
	assert_int_equal(r.nissues, 2);
	assert_non_null(strstr(r.issues[0].message, "»Menge«"));
	assert_string_equal(r.issues[0].where,
			    "t.csv, Zeile 1, Spalte Menge (3)");
	assert_non_null(strstr(r.issues[1].message, "Personen (persons)"));
	hf_import_result_clear(&r);
}

static void test_issue_limit(void **state)
{
	char text[4096] = "date,unit,persons\n";
	hf_import_result r;
	int i;
	(void)state;
	for (i = 0; i < 10; i++)
		strcat(text, "2024-01-05,01003000,x\n");
	assert_int_equal(parse(HF_IO_ADMISSIONS, text, 3, &r), HF_EINVAL);
	assert_int_equal(r.nissues, 3);
	assert_int_equal(r.more, 7);
	assert_string_equal(r.issues[2].where,
			    "t.csv, Zeile 4, Spalte persons (3)");
	hf_import_result_clear(&r);
}

/* ---- with a database ------------------------------------------------ */

typedef struct fix {
	char dir[64];
	int n;
	hf_error err;
} fix;

static int setup(void **state)
{
	fix *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/hafen-test-io-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	hf_error_init(&f->err, HF_LANG_DE);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fix *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static hf_db *fresh(fix *f)
{
	char p[128];
	hf_db *db;
	snprintf(p, sizeof p, "%s/t%d.db", f->dir, f->n++);
	OK(hf_db_open(p, HF_DB_CREATE, &db, &f->err));
	OK(hf_refdata_load(db, 0, "test", 0, &f->err));
	return db;
}

static const char *const units[] = {"01001000", "01002000", "01003000", "01051",
				    "01062"};

/* n random entries: random units, days, categories, households, notes
 * with separators and quotes; every seventh reversed. */
static void random_ledger(hf_db *db, size_t n, hf_error *err)
{
	hf_admission *e = calloc(n, sizeof *e);
	size_t i;
	static const char *const notes[] = {
	    "", "a;b", "c,d", "\"quoted\"", "Zeile\nzwei", "Lübeck ß €"};
	assert_non_null(e);
	for (i = 0; i < n; i++) {
		e[i].date = 19000 + (hf_date)(test_rnd(&seed) % 1500);
		strcpy(e[i].unit, units[test_rnd(&seed) % 5]);
		e[i].persons = 1 + (int64_t)(test_rnd(&seed) % 8);
		e[i].category = (hf_category)(test_rnd(&seed) % 6);
		snprintf(e[i].household, sizeof e[i].household, "H-%zu", i);
		snprintf(e[i].reference, sizeof e[i].reference, "AZ %zu/%d", i,
			 (int)(test_rnd(&seed) % 100));
		snprintf(e[i].note, sizeof e[i].note, "%s",
			 notes[test_rnd(&seed) % 6]);
		snprintf(e[i].recorded_by, sizeof e[i].recorded_by, "u%d",
			 (int)(test_rnd(&seed) % 3));
		e[i].recorded_at =
		    1600000000 + (int64_t)(test_rnd(&seed) % 100000000);
	}
	OK(hf_db_ledger_append(db, e, n, err));
	for (i = 0; i < n; i += 7)
		OK(hf_db_ledger_correct(db, e[i].id, HF_DATE_NONE, "k",
					1700000000, "storno", NULL, NULL, err));
	free(e);
}

static void same_ledgers(hf_db *a, hf_db *b, hf_error *err)
{
	hf_ledger_filter f = hf_ledger_filter_all();
	hf_admission *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0, i;

	OK(hf_db_ledger_list(a, &f, &x, &nx, err));
	OK(hf_db_ledger_list(b, &f, &y, &ny, err));
	assert_int_equal(nx, ny);
	for (i = 0; i < nx; i++) {
		assert_int_equal(x[i].id, y[i].id);
		assert_int_equal(x[i].date, y[i].date);
		assert_string_equal(x[i].unit, y[i].unit);
		assert_int_equal(x[i].persons, y[i].persons);
		assert_int_equal(x[i].category, y[i].category);
		assert_string_equal(x[i].household, y[i].household);
		assert_string_equal(x[i].reference, y[i].reference);
		assert_string_equal(x[i].note, y[i].note);
		assert_string_equal(x[i].recorded_by, y[i].recorded_by);
		assert_int_equal(x[i].recorded_at, y[i].recorded_at);
		assert_int_equal(x[i].corrects, y[i].corrects);
	}
	free(x);
	free(y);
}

static void test_roundtrip_random_ledger(void **state)
{
	fix *f = *state;
	hf_db *a = fresh(f);
	int fmt;

	random_ledger(a, 400, &f->err);
	for (fmt = 0; fmt < 3; fmt++) {
		hf_export_options eo;
		hf_import_options io = hf_import_options_default();
		hf_import_result r;
		hf_db *b = fresh(f);
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		memset(&eo, 0, sizeof eo);
		eo.format = fmt == 2 ? HF_IO_JSON : HF_IO_CSV;
		eo.dialect = fmt == 1 ? HF_DIALECT_EXCEL : HF_DIALECT_TOOL;
		assert_non_null(m);
		OK(hf_export(a, HF_IO_ADMISSIONS, &eo, NULL, m, &f->err));
		fclose(m);
		OK(hf_import_mem(b, HF_IO_ADMISSIONS, "x", buf, len, &io, &r,
				 &f->err));
		assert_int_equal(r.rows, 400 + 58);
		hf_import_result_clear(&r);
		same_ledgers(a, b, &f->err);
		free(buf);
		hf_db_close(b);
	}
	hf_db_close(a);
}

static size_t ledger_size(hf_db *db, hf_error *err)
{
	hf_ledger_filter f = hf_ledger_filter_all();
	hf_admission *x = NULL;
	size_t n = 0;
	OK(hf_db_ledger_list(db, &f, &x, &n, err));
	free(x);
	return n;
}

static void test_all_or_nothing(void **state)
{
	fix *f = *state;
	hf_db *db = fresh(f);
	hf_import_options o = hf_import_options_default();
	hf_import_result r;
	static const char bad[] = "date,unit,persons\n"
				  "2024-01-05,01003000,2\n"
				  "2024-01-06,01003000,3\n"
				  "2024-01-07,01099,1\n";
	static const char good[] = "date,unit,persons\n"
				   "2024-01-05,01003000,2\n";

	assert_int_equal(hf_import_mem(db, HF_IO_ADMISSIONS, "bad.csv", bad,
				       strlen(bad), &o, &r, &f->err),
			 HF_EINVAL);
	assert_int_equal(r.nissues, 1);
	assert_string_equal(r.issues[0].where,
			    "bad.csv, Zeile 4, Spalte unit (2)");
	assert_non_null(strstr(f->err.message, "nichts wurde importiert"));
	hf_import_result_clear(&r);
	assert_int_equal(ledger_size(db, &f->err), 0);
	/* check: everything checked, nothing written, not remembered */
	o.check = 1;
	OK(hf_import_mem(db, HF_IO_ADMISSIONS, "good.csv", good, strlen(good),
			 &o, &r, &f->err));
	assert_int_equal(r.rows, 1);
	hf_import_result_clear(&r);
	assert_int_equal(ledger_size(db, &f->err), 0);
	o.check = 0;
	OK(hf_import_mem(db, HF_IO_ADMISSIONS, "good.csv", good, strlen(good),
			 &o, &r, &f->err));
	hf_import_result_clear(&r);
	assert_int_equal(ledger_size(db, &f->err), 1);
	/* the same bytes again: refused, unless forced */
	assert_int_equal(hf_import_mem(db, HF_IO_ADMISSIONS, "again.csv", good,
				       strlen(good), &o, &r, &f->err),
			 HF_EEXIST);
	assert_non_null(strstr(f->err.message, "good.csv"));
	hf_import_result_clear(&r);
	assert_int_equal(ledger_size(db, &f->err), 1);
	o.force = 1;
	OK(hf_import_mem(db, HF_IO_ADMISSIONS, "again.csv", good, strlen(good),
			 &o, &r, &f->err));
	hf_import_result_clear(&r);
	assert_int_equal(ledger_size(db, &f->err), 2);
	hf_db_close(db);
}

/* Units starting with "01002" (Kiel) are the uploader's. */
static int only_kiel(void *ctx, const char *code)
{
	(*(int *)ctx)++;
	return !strncmp(code, "01002", 5);
}

static void test_own_units_only(void **state)
{
	fix *f = *state;
	hf_db *db = fresh(f);
	hf_import_options o = hf_import_options_default();
	hf_export_options eo;
	hf_import_result r;
	int asked = 0;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *m;
	static const char text[] = "Datum;Einheit;Personen;Haushalt\n"
				   "05.01.2024;01003000;2;H-1\n"
				   "06.01.2024;01002000;drei;H-2\n"
				   "07.01.2024;01002000;1;H-3\n"
				   "08.01.2024;01001000;4;H-4\n";
	static const char mine[] = "date,unit,persons,household\n"
				   "2024-01-06,01002000,3,H-2\n";

	o.unit_ok = only_kiel;
	o.unit_ctx = &asked;
	assert_int_equal(hf_import_mem(db, HF_IO_ADMISSIONS, "amt.csv", text,
				       strlen(text), &o, &r, &f->err),
			 HF_EINVAL);
	/* every row of another unit is a problem, with its parts apart */
	assert_int_equal(r.nissues, 3);
	for (i = 0; i < r.nissues; i++) {
		const hf_io_issue *is = &r.issues[i];
		if (!strcmp(is->column, "Personen")) {
			assert_int_equal(is->row, 3);
			assert_string_equal(is->value, "drei");
			assert_string_equal(is->expected, "eine ganze Zahl");
		} else {
			assert_string_equal(is->column, "Einheit");
			assert_true(is->row == 2 || is->row == 5);
			assert_string_equal(
			    is->value, is->row == 2 ? "01003000" : "01001000");
			assert_string_equal(is->expected,
					    "eine Ihrer Einheiten");
			assert_string_equal(is->sheet, "");
		}
	}
	hf_import_result_clear(&r);
	assert_true(asked >= 3);
	assert_int_equal(ledger_size(db, &f->err), 0);
	OK(hf_import_mem(db, HF_IO_ADMISSIONS, "mine.csv", mine, strlen(mine),
			 &o, &r, &f->err));
	hf_import_result_clear(&r);
	random_ledger(db, 50, &f->err);
	/* the export of admissions holds the account's units only */
	memset(&eo, 0, sizeof eo);
	eo.format = HF_IO_CSV;
	eo.dialect = HF_DIALECT_TOOL;
	eo.unit_ok = only_kiel;
	eo.unit_ctx = &asked;
	assert_non_null(m = open_memstream(&buf, &len));
	OK(hf_export(db, HF_IO_ADMISSIONS, &eo, NULL, m, &f->err));
	fclose(m);
	assert_non_null(strstr(buf, ",01002000,3,"));
	assert_null(strstr(buf, "01003000"));
	assert_null(strstr(buf, "01001000"));
	free(buf);
	hf_db_close(db);
}

/* One CSV field: quoted only where it has to be (RFC 4180), the
 * separator of the dialect, spaces at the ends on request. */
static void put_field(const char *s, char delim, unsigned flags,
		      const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	hf_csv_put_field(f, s, delim, flags);
	fclose(f);
	assert_string_equal(buf, want);
	free(buf);
}

/* Well-formed UTF-8 and the first byte that is not: overlong forms,
 * surrogates, beyond U+10FFFF, cut sequences. */
static void test_utf8_prefix(void **state)
{
	static const struct {
		const char *s;
		size_t want;
	} c[] = {
	    {"Lübeck", 7},	     {"ab\xC0\xAF" "c", 2},
	    {"a\xE0\x80\xAF", 1},    {"\xED\xA0\x80", 0},
	    {"\xF4\x90\x80\x80", 0}, {"\xF0\x9F\x98\x80!", 5},
	    {"Stra\xDF", 4},	     {"\xE2\x82", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++)
		assert_int_equal(hf_utf8_prefix(c[i].s, strlen(c[i].s)),
				 c[i].want);
}

/* A field by column name and by the column's index agree; a missing
 * column, or a row past the end, is NULL either way. */
static void test_csv_by_index(void **state)
{
	const char *text = "# note\nid;persons;ages\nA;2;3|40\nB;1;\n";
	hf_csv *c = NULL;
	size_t r;
	(void)state;
	assert_int_equal(
	    hf_csv_read_text("h.csv", text, strlen(text), &c, NULL), HF_OK);
	assert_int_equal(hf_csv_find(c, "id"), 0);
	assert_int_equal(hf_csv_find(c, "ages"), 2);
	assert_int_equal(hf_csv_find(c, "needs"), -1);
	for (r = 0; r < 2; r++) {
		assert_string_equal(hf_csv_at(c, r, 0), hf_csv_get(c, r, "id"));
		assert_string_equal(hf_csv_at(c, r, 2),
				    hf_csv_get(c, r, "ages"));
	}
	assert_string_equal(hf_csv_at(c, 0, 2), "3|40");
	assert_string_equal(hf_csv_at(c, 1, 2), "");
	assert_null(hf_csv_at(c, 0, -1));
	assert_null(hf_csv_at(c, 0, 3));
	assert_null(hf_csv_at(c, 2, 0));
	assert_null(hf_csv_get(c, 0, "needs"));
	hf_csv_free(c);
}

static void test_csv_put_field(void **state)
{
	(void)state;
	put_field("Kiel", ',', 0, "Kiel");
	put_field("", ',', 0, "");
	put_field("a,b", ',', 0, "\"a,b\"");
	put_field("a,b", ';', 0, "a,b");
	put_field("a;b", ';', 0, "\"a;b\"");
	put_field("say \"hi\"", ',', 0, "\"say \"\"hi\"\"\"");
	put_field("two\nlines", ';', 0, "\"two\nlines\"");
	put_field("cr\r", ',', 0, "\"cr\r\"");
	put_field(" pad ", ',', 0, " pad ");
	put_field(" pad", ',', HF_CSV_QUOTE_SPACES, "\" pad\"");
	put_field("pad ", ';', HF_CSV_QUOTE_SPACES, "\"pad \"");
	put_field("in side", ';', HF_CSV_QUOTE_SPACES, "in side");
	put_field("a;b", ',', HF_CSV_QUOTE_SEMICOLONS, "\"a;b\"");
	put_field("a;b", ',', 0, "a;b");
	put_field("\"", ',', 0, "\"\"\"\"");
	put_field("\"\"x\"", ',', 0, "\"\"\"\"\"x\"\"\"");
	put_field("Preis 0,17; hier", ',', HF_CSV_QUOTE_SEMICOLONS,
		  "\"Preis 0,17; hier\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_number_plain),
	    cmocka_unit_test(test_format_rat),
	    cmocka_unit_test(test_time),
	    cmocka_unit_test(test_header_names),
	    cmocka_unit_test(test_issue_limit),
	    cmocka_unit_test(test_csv_put_field),
	    cmocka_unit_test(test_csv_by_index),
	    cmocka_unit_test(test_utf8_prefix),
	    cmocka_unit_test_setup_teardown(test_roundtrip_random_ledger, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_all_or_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_own_units_only, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

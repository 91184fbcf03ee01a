/*
 * Tests for the XLSX reader and writer. Inputs come from other software:
 * xlsx_fixtures.py writes workbooks with openpyxl (as Python tools do) and
 * from raw XML parts (as Excel and LibreOffice write them, plus broken
 * files); hafen's own workbooks are checked by openpyxl.
 *
 * Usage: test_xlsx PYTHON FIXTURES_PY (PYTHON with openpyxl).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "hafen/error.h"
#include "hafen/xlsx.h"
#include "xlsx_int.h"
#include "testrnd.h"

static const char *python = "/usr/bin/python3";
static const char *script;
static char dir[256];

static void path_of(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

static int run_python(const char *mode, const char *arg)
{
	char cmd[1024];
	int st;
	/* stdout is the TAP stream */
	snprintf(cmd, sizeof cmd, "'%s' '%s' %s '%s' 1>&2", python, script,
		 mode, arg);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	(void)state;
	snprintf(dir, sizeof dir, "%s/hafen-xlsx-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	return run_python("make", dir) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static hf_xlsx *open_fixture(const char *name)
{
	char p[512];
	hf_xlsx *x = NULL;
	hf_error err;
	hf_error_init(&err, HF_LANG_DE);
	path_of(p, sizeof p, name);
	if (hf_xlsx_open(p, &x, &err) != HF_OK)
		fail_msg("%s: %s", err.where, err.message);
	return x;
}

static hf_xlsx_sheet *read_sheet(hf_xlsx *x, const char *name)
{
	hf_xlsx_sheet *s = NULL;
	hf_error err;
	hf_error_init(&err, HF_LANG_DE);
	if (hf_xlsx_sheet_read(x, name, &s, &err) != HF_OK)
		fail_msg("%s: %s", err.where, err.message);
	return s;
}

static const char *type_name(hf_xlsx_type t)
{
	static const char *n[] = {"EMPTY", "STRING", "NUMBER",
				  "BOOL",  "DATE",   "ERROR"};
	return n[t];
}

/* The cell at ref ("B3") has this type and text. */
static void cell_is(const hf_xlsx_sheet *s, size_t row, size_t col,
		    hf_xlsx_type type, const char *text)
{
	const hf_xlsx_cell *c = hf_xlsx_sheet_cell(s, row, col);
	char ref[16];
	hf_xlsx_cellref(row, col, ref, sizeof ref);
	if (!c)
		fail_msg("%s: NULL", ref);
	if (c->type != type || strcmp(c->text, text))
		fail_msg("%s: %s \"%s\", want %s \"%s\"", ref,
			 type_name(c->type), c->text, type_name(type), text);
}

static void test_cellref(void **state)
{
	static const struct {
		size_t row, col;
		const char *want;
	} k[] = {{0, 0, "A1"},	     {16, 1, "B17"},	      {0, 25, "Z1"},
		 {0, 26, "AA1"},     {0, 701, "ZZ1"},	      {0, 702, "AAA1"},
		 {0, 16383, "XFD1"}, {1048575, 0, "A1048576"}};
	char buf[16];
	size_t i;
	(void)state;
	for (i = 0; i < sizeof k / sizeof k[0]; i++) {
		hf_xlsx_cellref(k[i].row, k[i].col, buf, sizeof buf);
		assert_string_equal(buf, k[i].want);
	}
	hf_xlsx_cellref(0, 702, buf, 3);
	assert_string_equal(buf, "AA");
}

static void serial_is(const char *serial, int date1904, const char *want)
{
	char buf[32];
	int rc = hf__xlsx_serial_to_iso(serial, date1904, buf, sizeof buf);
	if (!want) {
		if (rc == 0)
			fail_msg("%s: %s, want no date", serial, buf);
		return;
	}
	if (rc != 0)
		fail_msg("%s: no date, want %s", serial, want);
	if (strcmp(buf, want))
		fail_msg("%s: %s, want %s", serial, buf, want);
}

/* Serial numbers by hand from Excel's rules: serial 1 = 1900-01-01, the
 * invented 1900-02-29 = 60, 1904 system from 1904-01-01 = 0; exponents,
 * rounding to the second (also into the next day), the ends of the
 * range. */
static void test_serial_dates(void **state)
{
	(void)state;
	serial_is("1", 0, "1900-01-01");
	serial_is("59", 0, "1900-02-28");
	serial_is("60", 0, NULL);
	serial_is("60.5", 0, NULL);
	serial_is("61", 0, "1900-03-01");
	serial_is("45000", 0, "2023-03-15");
	serial_is("4.5E4", 0, "2023-03-15");
	serial_is("4500000e-2", 0, "2023-03-15");
	serial_is("1e0", 0, "1900-01-01");
	serial_is("45356.5", 0, "2024-03-05T12:00:00");
	serial_is("45356.57326388889", 0, "2024-03-05T13:45:30");
	serial_is("0.99999999", 0, "1900-01-01");
	serial_is("59.999999999", 0, NULL); /* rounds to serial 60 */
	serial_is("1E-5", 0, "1899-12-31T00:00:01");
	serial_is("0", 0, "1899-12-31");
	serial_is("2958465", 0, "9999-12-31");
	serial_is("2958465.9999999999", 0, NULL);
	serial_is("2958466", 0, NULL);
	serial_is("-0.5", 0, NULL);
	serial_is("1E+1000", 0, NULL);
	serial_is("", 0, NULL);
	serial_is(".", 0, NULL);
	serial_is("0", 1, "1904-01-01");
	serial_is("60", 1, "1904-03-01");
	serial_is("43894", 1, "2024-03-05");
	serial_is("-1", 1, NULL);
}

/* openpyxl: numbers, strings, booleans, errors, dates with built-in and
 * custom formats, times, gaps. */
static void test_office(void **state)
{
	hf_xlsx *x = open_fixture("office.xlsx");
	hf_xlsx_sheet *s;
	size_t c;
	(void)state;

	assert_int_equal(hf_xlsx_nsheets(x), 4);
	assert_string_equal(hf_xlsx_sheet_name(x, 0), "Zugänge");
	assert_string_equal(hf_xlsx_sheet_name(x, 3), "Früh");
	assert_null(hf_xlsx_sheet_name(x, 4));
	assert_int_equal(hf_xlsx_date1904(x), 0);
	s = read_sheet(x, NULL);
	assert_string_equal(hf_xlsx_sheet_title(s), "Zugänge");
	assert_int_equal(hf_xlsx_sheet_nrows(s), 7);
	assert_int_equal(hf_xlsx_sheet_ncols(s), 9);
	cell_is(s, 0, 0, HF_XLSX_STRING, "Datum");
	cell_is(s, 0, 6, HF_XLSX_STRING, "Zeitpunkt");
	cell_is(s, 1, 0, HF_XLSX_DATE, "2024-03-05"); /* DD.MM.YYYY */
	cell_is(s, 1, 1, HF_XLSX_STRING, "Kiel");
	cell_is(s, 1, 2, HF_XLSX_NUMBER, "4");
	cell_is(s, 1, 3, HF_XLSX_NUMBER, "0.1");
	cell_is(s, 1, 4, HF_XLSX_BOOL, "1");
	cell_is(s, 1, 5, HF_XLSX_ERROR, "#N/A");
	cell_is(s, 1, 6, HF_XLSX_DATE, "2024-03-05T13:45:30");
	cell_is(s, 2, 0, HF_XLSX_DATE, "2023-12-31"); /* built-in 14 */
	cell_is(s, 2, 1, HF_XLSX_STRING, "Lübeck – Süd");
	cell_is(s, 2, 2, HF_XLSX_NUMBER, "-12");
	cell_is(s, 2, 3, HF_XLSX_NUMBER, "1234567.125");
	cell_is(s, 2, 4, HF_XLSX_BOOL, "0");
	cell_is(s, 2, 5, HF_XLSX_ERROR, "#DIV/0!");
	cell_is(s, 2, 6, HF_XLSX_DATE, "1899-12-31T12:00:00"); /* h:mm */
	for (c = 0; c < 9; c++)
		cell_is(s, 3, c, HF_XLSX_EMPTY, "");
	cell_is(s, 4, 0, HF_XLSX_DATE, "2024-02-29"); /* [$-407]DDDD... */
	cell_is(s, 4, 1, HF_XLSX_EMPTY, "");
	cell_is(s, 4, 2, HF_XLSX_NUMBER, "1.234567890123457e+16");
	cell_is(s, 4, 3, HF_XLSX_NUMBER, "2.5");  /* "days" 0.0 */
	cell_is(s, 4, 4, HF_XLSX_NUMBER, "7");	  /* [Red]0 */
	cell_is(s, 4, 5, HF_XLSX_NUMBER, "3.75"); /* 0.00 */
	cell_is(s, 4, 6, HF_XLSX_NUMBER, "0.001");
	cell_is(s, 4, 7, HF_XLSX_EMPTY, "");
	cell_is(s, 6, 8, HF_XLSX_STRING, "weit");
	cell_is(s, 6, 7, HF_XLSX_EMPTY, "");
	assert_null(hf_xlsx_sheet_cell(s, 7, 0));
	assert_null(hf_xlsx_sheet_cell(s, 0, 9));
	hf_xlsx_sheet_free(s);
	hf_xlsx_close(x);
}

static void test_named_sheets(void **state)
{
	hf_xlsx *x = open_fixture("office.xlsx");
	hf_xlsx_sheet *s;
	(void)state;

	s = read_sheet(x, "Daten");
	assert_string_equal(hf_xlsx_sheet_title(s), "Daten");
	assert_int_equal(hf_xlsx_sheet_nrows(s), 2);
	assert_int_equal(hf_xlsx_sheet_ncols(s), 1);
	cell_is(s, 0, 0, HF_XLSX_STRING, "x");
	cell_is(s, 1, 0, HF_XLSX_NUMBER, "10");
	hf_xlsx_sheet_free(s);
	/* Excel's sheet names ignore case */
	s = read_sheet(x, "daten");
	assert_string_equal(hf_xlsx_sheet_title(s), "Daten");
	hf_xlsx_sheet_free(s);
	s = read_sheet(x, "Leer");
	assert_int_equal(hf_xlsx_sheet_nrows(s), 0);
	assert_int_equal(hf_xlsx_sheet_ncols(s), 0);
	assert_null(hf_xlsx_sheet_cell(s, 0, 0));
	hf_xlsx_sheet_free(s);
	hf_xlsx_close(x);
}

/* Serial 1 is 1900-01-01; Excel's fictitious 1900-02-29 is serial 60. */
static void test_1900(void **state)
{
	hf_xlsx *x = open_fixture("office.xlsx");
	hf_xlsx_sheet *s = read_sheet(x, "Früh");
	(void)state;
	cell_is(s, 0, 0, HF_XLSX_DATE, "1900-01-01");
	cell_is(s, 1, 0, HF_XLSX_DATE, "1900-02-28");
	cell_is(s, 2, 0, HF_XLSX_DATE, "1900-03-01");
	cell_is(s, 3, 0, HF_XLSX_NUMBER, "60");
	cell_is(s, 4, 0, HF_XLSX_DATE, "9999-12-31");
	cell_is(s, 5, 0, HF_XLSX_NUMBER, "-1");
	hf_xlsx_sheet_free(s);
	hf_xlsx_close(x);
}

static void test_1904(void **state)
{
	hf_xlsx *x = open_fixture("mac1904.xlsx");
	hf_xlsx_sheet *s = read_sheet(x, NULL);
	(void)state;
	assert_int_equal(hf_xlsx_date1904(x), 1);
	cell_is(s, 0, 0, HF_XLSX_DATE, "2024-03-05");
	cell_is(s, 1, 0, HF_XLSX_DATE, "1904-01-01");
	cell_is(s, 2, 0, HF_XLSX_DATE, "2024-03-05T06:00:00");
	hf_xlsx_sheet_free(s);
	hf_xlsx_close(x);
}

/* Shared strings with rich text and phonetic runs, escapes, formula
 * strings, inline rich strings, ISO date cells, cells and rows without
 * references, a redefined built-in format, prefixed namespaces. */
static void test_excel_like(void **state)
{
	hf_xlsx *x = open_fixture("excel.xlsx");
	hf_xlsx_sheet *s = read_sheet(x, "Tabelle1");
	(void)state;
	assert_int_equal(hf_xlsx_sheet_nrows(s), 5);
	assert_int_equal(hf_xlsx_sheet_ncols(s), 7);
	cell_is(s, 0, 0, HF_XLSX_STRING, "Kiel");
	cell_is(s, 0, 1, HF_XLSX_STRING, "Fett und normal");
	cell_is(s, 0, 2, HF_XLSX_STRING, "東京");
	cell_is(s, 0, 3, HF_XLSX_STRING, "Zeile1\r\nZeile2");
	cell_is(s, 1, 0, HF_XLSX_STRING, "Kiel!");
	cell_is(s, 1, 1, HF_XLSX_STRING, "inline");
	cell_is(s, 1, 2, HF_XLSX_DATE, "2024-03-05");
	cell_is(s, 1, 3, HF_XLSX_STRING, "_x0041_");
	cell_is(s, 1, 4, HF_XLSX_EMPTY, "");
	cell_is(s, 1, 5, HF_XLSX_EMPTY, "");
	cell_is(s, 1, 6, HF_XLSX_NUMBER, "45356");
	cell_is(s, 2, 0, HF_XLSX_NUMBER, "42");
	cell_is(s, 4, 2, HF_XLSX_NUMBER, "1E-3");
	cell_is(s, 4, 3, HF_XLSX_NUMBER, "-2.50");
	hf_xlsx_sheet_free(s);
	s = read_sheet(x, "Präfix");
	cell_is(s, 0, 0, HF_XLSX_NUMBER, "7");
	hf_xlsx_sheet_free(s);
	hf_xlsx_close(x);
}

/* A sheet keeps its shared strings when the workbook is closed first. */
static void test_sheet_outlives_workbook(void **state)
{
	hf_xlsx *x = open_fixture("excel.xlsx");
	hf_xlsx_sheet *s = read_sheet(x, NULL);
	(void)state;
	hf_xlsx_close(x);
	cell_is(s, 0, 1, HF_XLSX_STRING, "Fett und normal");
	hf_xlsx_sheet_free(s);
}

static void assert_has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" lacks \"%s\"", hay, needle);
}

static void open_fails(const char *name, int code, const char *msg1,
		       const char *msg2)
{
	char p[512];
	hf_xlsx *x = (hf_xlsx *)1;
	hf_error err;
	hf_error_init(&err, HF_LANG_DE);
	path_of(p, sizeof p, name);
	assert_int_equal(hf_xlsx_open(p, &x, &err), code);
	assert_null(x);
	assert_int_equal(err.code, code);
	assert_has(err.message, name);
	assert_has(err.message, msg1);
	if (msg2)
		assert_has(err.message, msg2);
}

static void read_fails(const char *name, int code, const char *where,
		       const char *msg)
{
	hf_xlsx *x = open_fixture(name);
	hf_xlsx_sheet *s = (hf_xlsx_sheet *)1;
	hf_error err;
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_xlsx_sheet_read(x, NULL, &s, &err), code);
	assert_null(s);
	assert_has(err.where, name);
	assert_has(err.where, where);
	assert_has(err.message, msg);
	hf_xlsx_close(x);
}

static void write_file(const char *name, const void *data, size_t len)
{
	char p[512];
	FILE *f;
	path_of(p, sizeof p, name);
	assert_non_null(f = fopen(p, "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static char *slurp(const char *name, size_t *len)
{
	char p[512];
	FILE *f;
	char *buf;
	long n;
	path_of(p, sizeof p, name);
	assert_non_null(f = fopen(p, "rb"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_non_null(buf = malloc((size_t)n));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_broken_files(void **state)
{
	size_t len;
	char *data = slurp("office.xlsx", &len);
	hf_xlsx *x = (hf_xlsx *)1;
	hf_error err;
	(void)state;

	write_file("half.xlsx", data, len / 2);
	write_file("empty.xlsx", "", 0);
	/* the start of an OLE compound file: .xls, or encrypted .xlsx */
	write_file("old.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12);
	open_fails("old.xls", HF_EPARSE, "alte Excel-Datei (.xls)",
		   "verschlüsselt");
	open_fails("notzip.xlsx", HF_EPARSE, "kein ZIP-Archiv", NULL);
	open_fails("half.xlsx", HF_EPARSE, "abgeschnitten", NULL);
	open_fails("empty.xlsx", HF_EPARSE, "leer", NULL);
	open_fails("noworkbook.xlsx", HF_EPARSE, "keine Excel-Arbeitsmappe",
		   "xl/workbook.xml");
	open_fails("missing.xlsx", HF_EIO, "nicht öffnen", NULL);
	{
		char p[512];
		path_of(p, sizeof p, "dir.xlsx");
		assert_int_equal(mkdir(p, 0700), 0);
		open_fails("dir.xlsx", HF_EIO, "nicht lesen", NULL);
	}
	/* from memory, and in English */
	hf_error_init(&err, HF_LANG_EN);
	assert_int_equal(
	    hf_xlsx_open_mem("upload.xlsx", data, len / 2, &x, &err),
	    HF_EPARSE);
	assert_null(x);
	assert_string_equal(err.message,
			    "upload.xlsx is truncated or damaged (the zip "
			    "archive's directory is missing or wrong).");
	assert_int_equal(
	    hf_xlsx_open_mem("a.csv", "Datum;Einheit\n", 14, &x, &err),
	    HF_EPARSE);
	assert_string_equal(
	    err.message, "a.csv is no Excel file (.xlsx): not a zip archive.");
	assert_int_equal(hf_xlsx_open_mem("nil.xlsx", NULL, 0, &x, &err),
			 HF_EPARSE);
	free(data);

	read_fails("badxml.xlsx", HF_EPARSE, "xl/worksheets/sheet1.xml:1:",
		   "kein gültiges XML (mismatched tag)");
	read_fails("badref.xlsx", HF_EPARSE, "Blatt Blatt",
		   "Zellbezug „XFE1“ liegt außerhalb des Blatts");
	read_fails("badref2.xlsx", HF_EPARSE, "Blatt Blatt",
		   "Zellbezug „A1048577“ liegt außerhalb des Blatts");
	read_fails("far.xlsx", HF_ERANGE, "Blatt Blatt, XFD1048576",
		   "Das Blatt reicht bis XFD1048576 (1048576 Zeilen × 16384 "
		   "Spalten), mehr als 20000000 Zellen.");
	read_fails("badsyntax.xlsx", HF_EPARSE, "Blatt Blatt",
		   "Zellbezug „1A“ ist ungültig");
	read_fails("badsst.xlsx", HF_EPARSE, ", A1",
		   "gemeinsamen Text „9“ gibt es nicht (1 Texte)");
	read_fails("badnum.xlsx", HF_EPARSE, "Blatt Blatt, B1",
		   "„12a“ ist keine Zahl");
	read_fails("dup.xlsx", HF_EPARSE, "Blatt Blatt, A1", "zweimal");
	read_fails("dtd.xlsx", HF_EPARSE, "sheet1.xml", "DTD");
}

static void test_unknown_sheet(void **state)
{
	hf_xlsx *x = open_fixture("office.xlsx");
	hf_xlsx_sheet *s = NULL;
	hf_error err;
	(void)state;
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf_xlsx_sheet_read(x, "Abgänge", &s, &err),
			 HF_ENOTFOUND);
	assert_null(s);
	assert_has(err.message, "Blatt „Abgänge“ gibt es in ");
	assert_has(err.message,
		   "office.xlsx nicht; es gibt: „Zugänge“, „Daten“, "
		   "„Leer“, „Früh“.");
	hf_error_init(&err, HF_LANG_EN);
	assert_int_equal(hf_xlsx_sheet_read(x, "Abgänge", &s, &err),
			 HF_ENOTFOUND);
	assert_has(err.message, "there is no sheet \"Abgänge\" in ");
	hf_xlsx_close(x);
}

static void limit_fails(hf_xlsx_limits lim, const char *msg)
{
	hf_xlsx *x = open_fixture("office.xlsx");
	hf_xlsx_sheet *s = NULL;
	hf_error err;
	hf_error_init(&err, HF_LANG_DE);
	hf_xlsx_set_limits(x, &lim);
	assert_int_equal(hf_xlsx_sheet_read(x, NULL, &s, &err), HF_ERANGE);
	assert_null(s);
	assert_has(err.message, msg);
	hf_xlsx_close(x);
}

static void test_limits(void **state)
{
	hf_xlsx_limits cells = {0, 5, 0}, str = {0, 0, 3}, part = {100, 0, 0};
	(void)state;
	limit_fails(cells, "mehr als 5 Zellen");
	limit_fails(str, "länger als 3 Bytes");
	limit_fails(part, "größer als 100 Bytes");
}

static int tmp_files_left(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".tmp") != NULL;
	closedir(d);
	return n;
}

static const hf_xlsx_column quota_cols[] = {
    {"Einheit", HF_XLSX_COL_TEXT, 0},	{"Personen", HF_XLSX_COL_INT, 0},
    {"Anteil", HF_XLSX_COL_DECIMAL, 3}, {"Erfüllung", HF_XLSX_COL_PERCENT, 2},
    {"Stichtag", HF_XLSX_COL_DATE, 0},	{"Jahr", HF_XLSX_COL_INT, -1},
};

/* hafen writes; openpyxl checks formats and values; hafen reads back. */
static void test_roundtrip(void **state)
{
	const char *rows[4][6] = {
	    {"Kiel", "1234", "7.45679", "95.12", "2024-03-05", "2024"},
	    {"Lübeck – Süd", "-12", "0.1", "100", "1900-01-15", "2023"},
	    {NULL, "0", NULL, NULL, NULL, ""},
	    {"Summe", "1222", "7.55679", NULL, NULL, NULL},
	};
	const char *keys[] = {"Titel", "Quelle", "Erstellt", "Zeichen"};
	const char *vals[] = {"Quoten 2024", "hafen 0.1.0",
			      "2024-03-05T10:00:00Z", "_x0041_ <&> _x005f_"};
	char p[512];
	hf_xlsx_writer *w;
	hf_xlsx *x;
	hf_xlsx_sheet *s;
	hf_error err;
	int i;
	(void)state;

	hf_error_init(&err, HF_LANG_DE);
	path_of(p, sizeof p, "out.xlsx");
	assert_int_equal(hf_xlsx_writer_new(p, &w, &err), HF_OK);
	assert_int_equal(hf_xlsx_writer_sheet(w, "Quoten", quota_cols, 6, &err),
			 HF_OK);
	for (i = 0; i < 4; i++)
		assert_int_equal(hf_xlsx_writer_row(w, rows[i], &err), HF_OK);
	hf_xlsx_writer_mark_total(w);
	assert_int_equal(hf_xlsx_writer_about(w, "Quelle", keys, vals, 4, &err),
			 HF_OK);
	assert_int_equal(hf_xlsx_writer_close(w, &err), HF_OK);
	assert_int_equal(tmp_files_left(), 0);
	assert_int_equal(run_python("check", p), 0);

	x = open_fixture("out.xlsx");
	assert_int_equal(hf_xlsx_nsheets(x), 2);
	s = read_sheet(x, "Quoten");
	assert_int_equal(hf_xlsx_sheet_nrows(s), 5);
	assert_int_equal(hf_xlsx_sheet_ncols(s), 6);
	cell_is(s, 0, 3, HF_XLSX_STRING, "Erfüllung");
	cell_is(s, 1, 0, HF_XLSX_STRING, "Kiel");
	cell_is(s, 1, 1, HF_XLSX_NUMBER, "1234");
	cell_is(s, 1, 2, HF_XLSX_NUMBER, "7.45679");
	cell_is(s, 1, 3, HF_XLSX_NUMBER, "0.9512");
	cell_is(s, 1, 4, HF_XLSX_DATE, "2024-03-05");
	cell_is(s, 1, 5, HF_XLSX_NUMBER, "2024");
	cell_is(s, 2, 3, HF_XLSX_NUMBER, "1");
	cell_is(s, 2, 4, HF_XLSX_DATE, "1900-01-15");
	cell_is(s, 3, 0, HF_XLSX_EMPTY, "");
	cell_is(s, 3, 1, HF_XLSX_NUMBER, "0");
	cell_is(s, 4, 0, HF_XLSX_STRING, "Summe");
	hf_xlsx_sheet_free(s);
	s = read_sheet(x, "Quelle");
	cell_is(s, 2, 1, HF_XLSX_STRING, "2024-03-05T10:00:00Z");
	cell_is(s, 3, 1, HF_XLSX_STRING, "_x0041_ <&> _x005f_");
	hf_xlsx_sheet_free(s);
	hf_xlsx_close(x);
}

static uint64_t rnd_state = 0x9E3779B97F4A7C15ull;

/* Random texts, whole numbers and dates survive hafen's writer and reader
 * exactly; empty cells stay empty and the bounds end at the last value. */
static void test_random_roundtrip(void **state)
{
	static const char *alpha[] = {
	    "a",  "Z",	"ä",	"€", "東", " ", "<", "&", "\"",	    "'",
	    "\t", "\n", "\x01", "_", "x",  "0", "9", "-", "_x0041_"};
	static const hf_xlsx_column cols[] = {
	    {"Text", HF_XLSX_COL_TEXT, 0},
	    {"Zahl", HF_XLSX_COL_INT, 0},
	    {"Datum", HF_XLSX_COL_DATE, 0},
	    {"Noch ein Text", HF_XLSX_COL_TEXT, 0},
	};
	enum { NR = 300, NC = 4 };
	static char text[NR][NC][128];
	const char *cells[NR][NC];
	size_t last_row = 0, last_col = 3, r, c;
	char p[512];
	hf_xlsx_writer *w;
	hf_xlsx *x;
	hf_xlsx_sheet *s;
	hf_error err;
	int round;
	(void)state;

	hf_error_init(&err, HF_LANG_DE);
	path_of(p, sizeof p, "random.xlsx");
	for (round = 0; round < 3; round++) {
		last_row = 0;
		last_col = 3; /* the header fills every column */
		for (r = 0; r < NR; r++)
			for (c = 0; c < NC; c++) {
				char *t = text[r][c];
				size_t k, n;
				cells[r][c] = NULL;
				if (test_rnd(&rnd_state) % 4 == 0 ||
				    (round == 2 && r > 200))
					continue;
				if (c == 1) {
					long long v =
					    (long long)(test_rnd(&rnd_state) %
							2000000000000ull) -
					    1000000000000ll;
					snprintf(t, 128, "%lld", v);
				} else if (c == 2) {
					long d = (long)(test_rnd(&rnd_state) %
							2958000) +
						 62;
					/* civil date of serial d, by hand */
					int y = 1900;
					long left =
					    d - 1; /* days after 1899-12-31 */
					static const int md[] = {
					    31, 28, 31, 30, 31, 30,
					    31, 31, 30, 31, 30, 31};
					int m = 0;
					left -= 1; /* the day Excel invented */
					for (;;) {
						int leap = (y % 4 == 0 &&
							    y % 100 != 0) ||
							   y % 400 == 0;
						if (left < 365 + leap)
							break;
						left -= 365 + leap;
						y++;
					}
					for (;;) {
						int leap = (y % 4 == 0 &&
							    y % 100 != 0) ||
							   y % 400 == 0;
						int dm =
						    md[m] + (m == 1 ? leap : 0);
						if (left < dm)
							break;
						left -= dm;
						m++;
					}
					snprintf(t, 128, "%04d-%02d-%02ld", y,
						 m + 1, left + 1);
				} else {
					n = 1 + test_rnd(&rnd_state) % 12;
					t[0] = '\0';
					for (k = 0; k < n; k++)
						strcat(
						    t,
						    alpha[test_rnd(&rnd_state) %
							  (sizeof alpha /
							   sizeof *alpha)]);
				}
				cells[r][c] = t;
				last_row = r + 1;
			}
		assert_int_equal(hf_xlsx_writer_new(p, &w, &err), HF_OK);
		assert_int_equal(
		    hf_xlsx_writer_sheet(w, "Zufall", cols, NC, &err), HF_OK);
		for (r = 0; r < NR; r++)
			if (hf_xlsx_writer_row(w, cells[r], &err) != HF_OK)
				fail_msg("%s: %s", err.where, err.message);
		assert_int_equal(hf_xlsx_writer_close(w, &err), HF_OK);

		x = open_fixture("random.xlsx");
		s = read_sheet(x, NULL);
		assert_int_equal(hf_xlsx_sheet_nrows(s), last_row + 1);
		assert_int_equal(hf_xlsx_sheet_ncols(s), last_col + 1);
		for (r = 0; r < last_row; r++)
			for (c = 0; c < NC; c++) {
				const char *t = cells[r][c];
				if (!t)
					cell_is(s, r + 1, c, HF_XLSX_EMPTY, "");
				else if (c == 1)
					cell_is(s, r + 1, c, HF_XLSX_NUMBER, t);
				else if (c == 2)
					cell_is(s, r + 1, c, HF_XLSX_DATE, t);
				else
					cell_is(s, r + 1, c, HF_XLSX_STRING, t);
			}
		hf_xlsx_sheet_free(s);
		hf_xlsx_close(x);
	}
}

/* A failed workbook leaves neither the file nor a temporary one. */
static void test_writer_failures(void **state)
{
	const char *bad_int[] = {"Kiel", "12a", NULL, NULL, NULL, NULL};
	const char *bad_date[] = {"Kiel", "1", NULL, NULL, "05.03.2024", NULL};
	const char *bad_dec[] = {"Kiel", "1", "7,5", NULL, NULL, NULL};
	const char *bad_utf8[] = {"Kiel\xC3", "1", NULL, NULL, NULL, NULL};
	char p[512];
	hf_xlsx_writer *w;
	hf_error err;
	struct stat st;
	(void)state;

	hf_error_init(&err, HF_LANG_DE);
	path_of(p, sizeof p, "fail.xlsx");
	assert_int_equal(hf_xlsx_writer_new(p, &w, &err), HF_OK);
	assert_int_equal(hf_xlsx_writer_sheet(w, "Quoten", quota_cols, 6, &err),
			 HF_OK);
	assert_int_equal(hf_xlsx_writer_row(w, bad_int, &err), HF_EINVAL);
	assert_string_equal(err.where, "Blatt Quoten, Zeile 2, Spalte 2");
	assert_string_equal(err.message, "„12a“ ist keine ganze Zahl.");
	assert_int_equal(hf_xlsx_writer_row(w, bad_date, &err), HF_EINVAL);
	assert_has(err.message, "kein Datum JJJJ-MM-TT");
	err.lang = HF_LANG_EN;
	assert_int_equal(hf_xlsx_writer_row(w, bad_dec, &err), HF_EINVAL);
	assert_string_equal(err.message,
			    "\"7,5\" is not a decimal number (with a point).");
	err.lang = HF_LANG_DE;
	assert_int_equal(hf_xlsx_writer_row(w, bad_utf8, &err), HF_EINVAL);
	assert_has(err.message, "kein gültiges UTF-8");
	assert_int_equal(hf_xlsx_writer_sheet(w, "a[b", quota_cols, 6, &err),
			 HF_EINVAL);
	assert_has(err.message, "Blattname „a[b“");
	hf_xlsx_writer_free(w);
	assert_int_equal(stat(p, &st), -1);
	assert_int_equal(tmp_files_left(), 0);

	/* closing a workbook without sheets fails and leaves nothing */
	assert_int_equal(hf_xlsx_writer_new(p, &w, &err), HF_OK);
	assert_int_equal(hf_xlsx_writer_close(w, &err), HF_EUSAGE);
	assert_int_equal(stat(p, &st), -1);
	assert_int_equal(tmp_files_left(), 0);

	path_of(p, sizeof p, "no/such/dir/x.xlsx");
	assert_int_equal(hf_xlsx_writer_new(p, &w, &err), HF_EIO);
	assert_has(err.message, "no/such/dir/x.xlsx");
	hf_xlsx_writer_free(NULL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cellref),
	    cmocka_unit_test(test_serial_dates),
	    cmocka_unit_test(test_office),
	    cmocka_unit_test(test_named_sheets),
	    cmocka_unit_test(test_1900),
	    cmocka_unit_test(test_1904),
	    cmocka_unit_test(test_excel_like),
	    cmocka_unit_test(test_sheet_outlives_workbook),
	    cmocka_unit_test(test_broken_files),
	    cmocka_unit_test(test_unknown_sheet),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_random_roundtrip),
	    cmocka_unit_test(test_writer_failures),
	};
	if (argc < 3) {
		fprintf(stderr, "usage: test_xlsx PYTHON xlsx_fixtures.py\n");
		return 2;
	}
	python = argv[1];
	script = argv[2];
	return cmocka_run_group_tests(tests, setup, teardown);
}

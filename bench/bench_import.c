/*
 * bench_import.c: imports N admissions (default 1,000,000) from a CSV file
 * (tool dialect) and from an XLSX workbook written with hafen's XLSX
 * writer, each into a fresh database with the bundled reference data, in
 * one transaction as hafen import does. Prints the time of reading and
 * checking alone (hf_import_parse_only) and of the whole import, wall
 * clock and CPU time of the process (on a shared machine the wall clock
 * also counts the time other processes had the cores).
 *
 *   bench_import [N] [DIR] [csv]      (csv: the CSV import only)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hafen/hafen.h"

#define BENCH_NAME "bench_import"
#include "bench_util.h"

static const char *const units[] = {
    "01001000", "01002000", "01003000", "01004000", "01051",
    "01053",	"01054",    "01055",	"01056",    "01057",
    "01058",	"01059",    "01060",	"01061",    "01062"};

static uint64_t rng = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
	return (unsigned)(bench_rnd(&rng) % n);
}

/* row i: a day of 2023, a unit, 1-5 persons, 90 % regular */
static void row(long i, char date[11], const char **unit, int *persons,
		const char **cat)
{
	hf_date d;
	hf_date_make(2023, 1, 1, &d);
	hf_date_format(d + (hf_date)rnd(365), date);
	*unit = units[rnd(15)];
	*persons = 1 + (int)rnd(5);
	*cat = rnd(10) ? "regulaer" : "sicherer-hafen";
	(void)i;
}

static int fresh_db(const char *path, hf_db **db, hf_error *err)
{
	remove(path);
	if (hf_db_open(path, HF_DB_CREATE, db, err) < 0 ||
	    hf_refdata_load(*db, 0, "bench", 0, err) < 0)
		return -1;
	return 0;
}

static int run(const char *label, const char *file, const char *dbpath, long n)
{
	hf_import_options o = hf_import_options_default();
	hf_import_result r;
	hf_error err;
	hf_db *db = NULL;
	FILE *f = fopen(file, "rb");
	char *data;
	long len;
	double t0, t1, t2, c0, c2;

	hf_error_init(&err, HF_LANG_EN);
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)len + 1);
	if (!data || fread(data, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	o.user = "bench";
	t0 = bench_now();
	if (hf_import_parse_only(HF_IO_ADMISSIONS, file, data, (size_t)len, &o,
				 &r, &err) < 0) {
		fprintf(stderr, "%s: %s\n", file, err.message);
		return -1;
	}
	t1 = bench_now();
	hf_import_result_clear(&r);
	free(data);
	if (fresh_db(dbpath, &db, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return -1;
	}
	t1 = t1 - t0;
	t0 = bench_now();
	c0 = bench_cpu();
	if (hf_import_file(db, HF_IO_ADMISSIONS, file, &o, &r, &err) < 0) {
		fprintf(stderr, "%s: %s (%zu issues)\n", file, err.message,
			r.nissues);
		if (r.nissues)
			fprintf(stderr, "%s: %s\n", r.issues[0].where,
				r.issues[0].message);
		return -1;
	}
	t2 = bench_now() - t0;
	c2 = bench_cpu() - c0;
	printf("%-5s %ld rows, %.1f MB: read+check %.2f s; import %.2f s "
	       "wall = %.0f rows/s, %.2f s CPU = %.0f rows/CPU-s\n",
	       label, n, len / 1e6, t1, t2, n / t2, c2, n / c2);
	hf_import_result_clear(&r);
	hf_db_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000, i;
	const char *dir = argc > 2 ? argv[2] : ".";
	char csv[4096], xlsx[4096], db[4096], date[11];
	const char *unit, *cat;
	int persons;
	FILE *f;
	hf_error err;
	double t0;

	snprintf(csv, sizeof csv, "%s/bench-import.csv", dir);
	snprintf(xlsx, sizeof xlsx, "%s/bench-import.xlsx", dir);
	snprintf(db, sizeof db, "%s/bench-import.db", dir);
	hf_error_init(&err, HF_LANG_EN);
	if (!(f = fopen(csv, "w")))
		return 1;
	fputs("date,unit,persons,category,household,programme,reference\n", f);
	for (i = 0; i < n; i++) {
		row(i, date, &unit, &persons, &cat);
		fprintf(f, "%s,%s,%d,%s,B-%07ld,,AZ-%ld\n", date, unit, persons,
			cat, i, i);
	}
	fclose(f);
	if (run("CSV", csv, db, n) < 0)
		return 1;
	if (argc > 3 && !strcmp(argv[3], "csv")) {
		remove(csv);
		remove(db);
		return 0;
	}
	{
		static const hf_xlsx_column cols[] = {
		    {"Datum", HF_XLSX_COL_DATE, 0},
		    {"Einheit", HF_XLSX_COL_TEXT, 0},
		    {"Personen", HF_XLSX_COL_INT, 0},
		    {"Kategorie", HF_XLSX_COL_TEXT, 0},
		    {"Haushalt", HF_XLSX_COL_TEXT, 0},
		    {"Aktenzeichen", HF_XLSX_COL_TEXT, 0},
		};
		hf_xlsx_writer *w;
		char p[16], hh[24], az[24];
		const char *cells[6];
		rng = 88172645463325252ull;
		t0 = bench_now();
		if (hf_xlsx_writer_new(xlsx, &w, &err) < 0 ||
		    hf_xlsx_writer_sheet(w, "Zugänge", cols, 6, &err) < 0) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
		for (i = 0; i < n; i++) {
			row(i, date, &unit, &persons, &cat);
			snprintf(p, sizeof p, "%d", persons);
			snprintf(hh, sizeof hh, "B-%07ld", i);
			snprintf(az, sizeof az, "AZ-%ld", i);
			cells[0] = date;
			cells[1] = unit;
			cells[2] = p;
			cells[3] = cat;
			cells[4] = hh;
			cells[5] = az;
			if (hf_xlsx_writer_row(w, cells, &err) < 0) {
				fprintf(stderr, "%s\n", err.message);
				hf_xlsx_writer_free(w);
				return 1;
			}
		}
		if (hf_xlsx_writer_close(w, &err) < 0) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
		printf("XLSX written in %.2f s\n", bench_now() - t0);
	}
	if (run("XLSX", xlsx, db, n) < 0)
		return 1;
	remove(csv);
	remove(xlsx);
	remove(db);
	return 0;
}

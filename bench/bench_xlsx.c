/*
 * bench_xlsx.c: the XLSX module alone, on a sheet shaped like an
 * admissions import (date, unit, persons, category, household, programme,
 * reference): N rows written by hf_xlsx_writer, then the file read by
 * hf_xlsx_open + hf_xlsx_sheet_read and every cell looked at. The import
 * on top (checks, database) is measured by the import benchmark.
 * Seeded; median of RUNS reads.
 *
 *     bench_xlsx N FILE [read]     (read: only read FILE, written before)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hafen/hafen.h"

#define BENCH_NAME "bench_xlsx"
#include "bench_util.h"

#define RUNS 3

int main(int argc, char **argv)
{
	static const hf_xlsx_column cols[] = {
	    {"Datum", HF_XLSX_COL_DATE, 0},
	    {"Einheit", HF_XLSX_COL_TEXT, 0},
	    {"Personen", HF_XLSX_COL_INT, 0},
	    {"Kategorie", HF_XLSX_COL_TEXT, 0},
	    {"Haushalt", HF_XLSX_COL_TEXT, 0},
	    {"Programm", HF_XLSX_COL_TEXT, 0},
	    {"Aktenzeichen", HF_XLSX_COL_TEXT, 0},
	};
	static const char *cats[] = {"regulaer", "sicherer-hafen",
				     "resettlement", "hap"};
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000, i, r, c;
	const char *path = argc > 2 ? argv[2] : "bench.xlsx";
	char date[16], unit[16], persons[8], hh[24], ref[32];
	const char *row[7];
	uint64_t seed = 0x5EEDull, sum;
	double t0, tw, tr[RUNS];
	hf_xlsx_writer *w;
	hf_error err;
	int k;

	hf_error_init(&err, HF_LANG_EN);
	t0 = bench_now();
	if (argc > 3 && !strcmp(argv[3], "read"))
		goto read;
	if (hf_xlsx_writer_new(path, &w, &err) < 0 ||
	    hf_xlsx_writer_sheet(w, "Zugänge", cols, 7, &err) < 0)
		bench_die("writer", &err);
	for (i = 0; i < n; i++) {
		uint64_t x = bench_rnd(&seed);
		snprintf(date, sizeof date, "2023-%02d-%02d", (int)(x % 12) + 1,
			 (int)(x / 12 % 28) + 1);
		snprintf(unit, sizeof unit, "0105%04d", (int)(x >> 20) % 400);
		snprintf(persons, sizeof persons, "%d", (int)(x >> 40) % 5 + 1);
		snprintf(hh, sizeof hh, "H%08zu", i);
		snprintf(ref, sizeof ref, "AZ-2023-%07zu", i);
		row[0] = date;
		row[1] = unit;
		row[2] = persons;
		row[3] = cats[(x >> 50) % 4];
		row[4] = hh;
		row[5] = (x >> 55) % 10 ? NULL : "NRW-2023";
		row[6] = ref;
		if (hf_xlsx_writer_row(w, row, &err) < 0)
			bench_die("row", &err);
	}
	if (hf_xlsx_writer_close(w, &err) < 0)
		bench_die("close", &err);
read:
	tw = bench_now() - t0;

	for (k = 0; k < RUNS; k++) {
		hf_xlsx *x;
		hf_xlsx_sheet *s;
		t0 = bench_now();
		if (hf_xlsx_open(path, &x, &err) < 0 ||
		    hf_xlsx_sheet_read(x, NULL, &s, &err) < 0)
			bench_die("read", &err);
		sum = 0;
		for (r = 0; r < hf_xlsx_sheet_nrows(s); r++)
			for (c = 0; c < hf_xlsx_sheet_ncols(s); c++)
				sum +=
				    strlen(hf_xlsx_sheet_cell(s, r, c)->text);
		if (hf_xlsx_sheet_nrows(s) != n + 1)
			bench_die("rows", &err);
		hf_xlsx_sheet_free(s);
		hf_xlsx_close(x);
		tr[k] = bench_now() - t0;
		(void)sum;
	}
	qsort(tr, RUNS, sizeof *tr, bench_cmp_double);
	printf("xlsx: %zu rows x 7 columns\n", n);
	printf("  write: %.2f s, %.0f rows/s\n", tw, (double)n / tw);
	printf("  read:  %.2f s (median of %d: %.2f..%.2f), %.0f rows/s\n",
	       tr[RUNS / 2], RUNS, tr[0], tr[RUNS - 1],
	       (double)n / tr[RUNS / 2]);
	return 0;
}

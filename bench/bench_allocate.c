/*
 * bench_allocate.c: the allocation benchmark of issue 3.
 *
 * 330,000 households (a year of Germany's first applications) to the 16
 * Länder by the Königsteiner Schlüssel 2017, and 11,000 households to
 * Schleswig-Holstein's 15 units by its population key: the state read from
 * the ledger, the allocation, and the ledger written, in one transaction.
 * Households of 1 to 8 persons (weight 1/s), seeded. Median of 5 runs,
 * each on a fresh database with the bundled reference data.
 *
 *     bench_allocate [DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hafen/hafen.h"

#define BENCH_NAME "bench_allocate"
#include "bench_util.h"

#define RUNS 5

static int64_t draw(uint64_t *s)
{
	static const int cum[8] = {840, 1260, 1540, 1750, 1918, 2058, 2178,
				   2283}; /* 840/k summed: weight 1/k */
	int x, k;
	x = (int)(bench_rnd(s) % 2283);
	for (k = 0; k < 8 && x >= cum[k]; k++)
		;
	return k + 1;
}

/* One run: returns seconds for state + allocation + ledger write. */
static double run(const char *path, const char *key, int year, size_t m,
		  double *t_alloc)
{
	hf_db *db;
	hf_error err;
	hf_quota_table *t;
	hf_quota_options o = hf_quota_options_default();
	hf_alloc_unit *u;
	hf_alloc_household *hh = calloc(m, sizeof *hh);
	hf_alloc_result *res = calloc(m, sizeof *res);
	hf_alloc_row *rows;
	hf_admission *e = calloc(m, sizeof *e);
	hf_period p;
	uint64_t s = 0x2545F4914F6CDD1Dull;
	double t0, t1;
	size_t i, n = 0;

	hf_error_init(&err, HF_LANG_EN);
	unlink(path);
	if (hf_db_open(path, HF_DB_CREATE, &db, &err) < 0 ||
	    hf_refdata_load(db, 0, "bench", 0, &err) < 0)
		bench_die("setup", &err);
	for (i = 0; i < m; i++)
		hh[i].persons = draw(&s);
	hf_date_make(year, 1, 1, &p.from);
	hf_date_make(year, 12, 31, &p.to);

	t0 = bench_now();
	if (hf_db_begin(db, &err) < 0 ||
	    hf_quota_table_compute(db, key, NULL, p, &o, &t, &err) < 0)
		bench_die("state", &err);
	u = calloc(t->n, sizeof *u);
	rows = calloc(t->n, sizeof *rows);
	for (i = 0; i < t->n; i++) {
		u[i].share = t->rows[i].share;
		u[i].credited = t->rows[i].credited;
		u[i].capacity = HF_ALLOC_UNLIMITED;
	}
	t1 = bench_now();
	if (hf_alloc_run(HF_ALLOC_ABSOLUTE, u, t->n, hh, m, res, rows, &err) <
	    0)
		bench_die("allocate", &err);
	*t_alloc = bench_now() - t1;
	for (i = 0; i < m; i++) {
		if (res[i].unit < 0)
			continue;
		e[n].date = p.from + (hf_date)(i * 365 / m);
		memcpy(e[n].unit, t->units[res[i].unit].code, HF_CODE_MAX);
		e[n].persons = hh[i].persons;
		e[n].category = HF_CAT_REGULAR;
		snprintf(e[n].household, sizeof e[n].household, "H%zu", i);
		strcpy(e[n].recorded_by, "bench");
		n++;
	}
	if (hf_db_ledger_append(db, e, n, &err) < 0 ||
	    hf_db_commit(db, &err) < 0)
		bench_die("ledger", &err);
	t1 = bench_now() - t0;
	hf_quota_table_free(t);
	free(rows);
	free(u);
	free(e);
	free(res);
	free(hh);
	hf_db_close(db);
	unlink(path);
	return t1;
}

static void bench(const char *dir, const char *label, const char *key,
		  int year, size_t m)
{
	double t[RUNS], a[RUNS];
	char path[512];
	int r;
	snprintf(path, sizeof path, "%s/bench-allocate.db", dir);
	for (r = 0; r < RUNS; r++)
		t[r] = run(path, key, year, m, &a[r]);
	qsort(t, RUNS, sizeof t[0], bench_cmp_double);
	qsort(a, RUNS, sizeof a[0], bench_cmp_double);
	printf("%s: %zu households, allocation %.1f ms, with state and "
	       "ledger write %.1f ms (medians of %d)\n",
	       label, m, a[RUNS / 2] * 1e3, t[RUNS / 2] * 1e3, RUNS);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	bench(dir, "16 Länder, Königsteiner Schlüssel 2017", "koenigstein-2017",
	      2017, 330000);
	bench(dir, "Schleswig-Holstein, 15 units", "sh-bevoelkerung-2019",
	      2023, 11000);
	return 0;
}

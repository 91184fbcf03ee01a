/*
 * bench_core.c: the core benchmark of issue 2.
 *
 * Records N admissions (default 1,000,000) through the batch API in one
 * transaction into a fresh database, then computes the quota table of 400
 * units over them, several times, and prints the medians.
 *
 *     bench_core [N] [DBPATH | postgresql://... (an empty schema)] [keep]
 *
 * With "keep" the SQLite file stays (for timing hafen migrate on it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hafen/hafen.h"

#define BENCH_NAME "bench_core"
#include "bench_util.h"

#define UNITS 400
#define RUNS 7

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
	return bench_rnd(&rng);
}

static double time_quota(hf_db *db, hf_period p, hf_error *err)
{
	double t[RUNS];
	int r;
	for (r = 0; r < RUNS; r++) {
		hf_quota_table *q;
		hf_quota_options o = hf_quota_options_default();
		double t0 = bench_now();
		if (hf_quota_table_compute(db, "bench", NULL, p, &o, &q, err) <
		    0)
			bench_die("quota", err);
		t[r] = bench_now() - t0;
		hf_quota_table_free(q);
	}
	qsort(t, RUNS, sizeof t[0], bench_cmp_double);
	return t[RUNS / 2];
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
	const char *path = argc > 2 ? argv[2] : "bench-core.db";
	hf_unit u;
	hf_key k;
	hf_key_weight w = {"population", {1, 1}};
	hf_rat *pop, *shares;
	hf_admission *a;
	hf_db *db;
	hf_error err;
	hf_period year, part;
	double t0, t_append, t_year, t_part;
	size_t i;
	char d0[11];

	int pg = !strncmp(path, "postgres", 8);

	hf_error_init(&err, HF_LANG_EN);
	if (!pg)
		unlink(path);
	if (hf_db_open(path, HF_DB_CREATE, &db, &err) < 0)
		bench_die("open", &err);
	memset(&u, 0, sizeof u);
	strcpy(u.code, "DE");
	strcpy(u.name, "Deutschland");
	u.kind = HF_UNIT_STATE;
	if (hf_db_unit_add(db, &u, &err) < 0)
		bench_die("unit", &err);
	strcpy(u.code, "01");
	strcpy(u.name, "Land");
	strcpy(u.parent, "DE");
	u.kind = HF_UNIT_LAND;
	if (hf_db_unit_add(db, &u, &err) < 0)
		bench_die("unit", &err);
	pop = calloc(UNITS, sizeof *pop);
	shares = calloc(UNITS, sizeof *shares);
	hf_key_init(&k);
	strcpy(k.name, "bench");
	strcpy(k.parent, "01");
	k.kind = HF_KEY_COMPUTED;
	hf_date_make(2023, 1, 1, &k.valid_from);
	k.nweights = 1;
	k.weights[0] = w;
	k.shares = calloc(UNITS, sizeof *k.shares);
	k.nshares = UNITS;
	for (i = 0; i < UNITS; i++) {
		snprintf(u.code, sizeof u.code, "01%03zu", i + 1);
		snprintf(u.name, sizeof u.name, "Kreis %zu", i + 1);
		strcpy(u.parent, "01");
		u.kind = HF_UNIT_KREIS;
		if (hf_db_unit_add(db, &u, &err) < 0)
			bench_die("unit", &err);
		pop[i] = hf_rat_int((int64_t)(20000 + next() % 300000));
		strcpy(k.shares[i].unit, u.code);
	}
	if (hf_key_compute(&w, 1, hf_rat_int(0), UNITS, pop, shares, &err) < 0)
		bench_die("key", &err);
	for (i = 0; i < UNITS; i++)
		k.shares[i].share = shares[i];
	if (hf_db_key_add(db, &k, &err) < 0)
		bench_die("key add", &err);

	a = calloc(n, sizeof *a);
	hf_date_make(2023, 1, 1, &year.from);
	hf_date_make(2023, 12, 31, &year.to);
	for (i = 0; i < n; i++) {
		a[i].date = year.from + (hf_date)(next() % 365);
		snprintf(a[i].unit, sizeof a[i].unit, "01%03d",
			 (int)(next() % UNITS) + 1);
		a[i].persons = 1 + (int64_t)(next() % 5);
		a[i].category = next() % 10 == 0 ? HF_CAT_SICHERER_HAFEN
						  : HF_CAT_REGULAR;
		snprintf(a[i].household, sizeof a[i].household, "H%zu", i);
		strcpy(a[i].recorded_by, "bench");
		a[i].recorded_at = 1700000000;
	}
	t0 = bench_now();
	if (hf_db_begin(db, &err) < 0 ||
	    hf_db_ledger_append(db, a, n, &err) < 0 ||
	    hf_db_commit(db, &err) < 0)
		bench_die("append", &err);
	t_append = bench_now() - t0;

	t_year = time_quota(db, year, &err);
	hf_date_make(2023, 3, 15, &part.from);
	hf_date_make(2023, 10, 20, &part.to);
	t_part = time_quota(db, part, &err);
	hf_date_format(year.from, d0);

	printf("admissions recorded: %zu in %.3f s = %.0f admissions/s\n", n,
	       t_append, (double)n / t_append);
	printf("quota table, %d units, year 2023 (whole months): median of "
	       "%d %.2f ms\n",
	       UNITS, RUNS, t_year * 1e3);
	printf("quota table, %d units, 2023-03-15..2023-10-20 (partial "
	       "months): median of %d %.2f ms\n",
	       UNITS, RUNS, t_part * 1e3);
	fflush(stdout);
	hf_key_clear(&k);
	free(a);
	free(pop);
	free(shares);
	hf_db_close(db);
	if (!pg && !(argc > 3 && !strcmp(argv[3], "keep")))
		unlink(path);
	return 0;
}

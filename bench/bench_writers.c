/*
 * bench_writers.c: admissions per second with several writers at once on
 * one database (issue 7).
 *
 * Loads the reference data into DB (an empty schema or a new file), then
 * starts W writer processes that each open their own handle and append
 * batches of B admissions (random Kreis of Schleswig-Holstein, 1-5
 * persons, a day of 2023) for S seconds, one transaction per batch, as W
 * offices recording at once. Prints the committed admissions per second
 * over all writers and the count in the ledger afterwards (which must
 * equal the sum the writers report).
 *
 *     bench_writers DB [W=8] [B=1] [S=10]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hafen/hafen.h"

#define BENCH_NAME "bench_writers"
#include "bench_util.h"

static const char *const units[15] = {
    "01001000", "01002000", "01003000", "01004000", "01051",
    "01053",	"01054",    "01055",	"01056",    "01057",
    "01058",	"01059",    "01060",	"01061",    "01062",
};

/* One writer: batches until the deadline; writes its count to fd. */
static void writer(const char *uri, int w, int batch, double until, int fd)
{
	hf_admission *a = calloc((size_t)batch, sizeof *a);
	uint64_t rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)(w + 1) * 7919;
	long long done = 0, fails = 0;
	hf_date y0;
	hf_error err;
	hf_db *db;
	int i;

	hf_error_init(&err, HF_LANG_EN);
	hf_date_make(2023, 1, 1, &y0);
	if (hf_db_open(uri, 0, &db, &err) < 0)
		bench_die("open", &err);
	while (bench_now() < until) {
		for (i = 0; i < batch; i++) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			memset(&a[i], 0, sizeof a[i]);
			a[i].date = y0 + (hf_date)(rng % 365);
			strcpy(a[i].unit, units[(rng >> 16) % 15]);
			a[i].persons = 1 + (int64_t)((rng >> 32) % 5);
			a[i].category = HF_CAT_REGULAR;
			snprintf(a[i].household, sizeof a[i].household,
				 "W%d-%lld", w, done + i);
			strcpy(a[i].recorded_by, "bench");
			a[i].recorded_at = 1700000000;
		}
		if (hf_db_ledger_append(db, a, (size_t)batch, &err) < 0)
			fails++;
		else
			done += batch;
	}
	hf_db_close(db);
	free(a);
	if (fails)
		fprintf(stderr, "writer %d: %lld failed batches\n", w, fails);
	if (write(fd, &done, sizeof done) != sizeof done)
		exit(1);
	exit(0);
}

int main(int argc, char **argv)
{
	const char *uri = argc > 1 ? argv[1] : "bench-writers.db";
	int nw = argc > 2 ? atoi(argv[2]) : 8;
	int batch = argc > 3 ? atoi(argv[3]) : 1;
	double secs = argc > 4 ? atof(argv[4]) : 10, t0, until;
	long long total = 0, one;
	hf_ledger_sum *s;
	size_t n;
	hf_error err;
	hf_db *db;
	int fds[2], w;

	hf_error_init(&err, HF_LANG_EN);
	if (strncmp(uri, "postgres", 8))
		unlink(uri);
	if (hf_db_open(uri, HF_DB_CREATE, &db, &err) < 0 ||
	    hf_refdata_load(db, 0, "bench", 1700000000, &err) < 0)
		bench_die("setup", &err);
	hf_db_close(db);
	if (pipe(fds) < 0)
		return 1;
	t0 = bench_now();
	until = t0 + secs;
	for (w = 0; w < nw; w++)
		if (fork() == 0)
			writer(uri, w, batch, until, fds[1]);
	for (w = 0; w < nw; w++) {
		if (read(fds[0], &one, sizeof one) != sizeof one)
			return 1;
		total += one;
	}
	while (wait(NULL) > 0)
		;
	t0 = bench_now() - t0;
	if (hf_db_open(uri, HF_DB_READONLY, &db, &err) < 0 ||
	    hf_db_ledger_aggregate(db, NULL, 0, &s, &n, &err) < 0)
		bench_die("count", &err);
	printf("%s: %d writers, batches of %d, %.1f s: %lld admissions = "
	       "%.0f admissions/s (%.0f transactions/s); ledger holds %lld\n",
	       hf_db_backend(db), nw, batch, t0, total, (double)total / t0,
	       (double)total / batch / t0, n ? (long long)s[0].entries : 0);
	free(s);
	hf_db_close(db);
	if (strncmp(uri, "postgres", 8))
		unlink(uri);
	return 0;
}

/*
 * bench_match.c: the solve of optimal mode alone, in one process, on
 * instances written by gen_match: bench_match RUNS DIR...
 *
 * Each DIR (households.csv, units.csv, scores.npy) is read once and
 * solved RUNS times; per instance the median and the fastest solve (the
 * library's own clock, hf_match_result.seconds), objective, gap, Lagrange
 * rounds and bids; then their sums. Without the process start, the reading
 * and the output of `hafen match`, small changes to the solver show here
 * that the whole command's spread hides (bench/match.sh runs it on twelve
 * seeded Land's months).
 */
#define BENCH_NAME "bench_match"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "hafen/match.h"

int main(int argc, char **argv)
{
	double sum_med = 0, sum_min = 0, sum_obj = 0, sum_gap = 0;
	size_t sum_rounds = 0, sum_bids = 0;
	long runs;
	int a;

	if (argc < 3 || (runs = strtol(argv[1], NULL, 10)) < 1 || runs > 1000) {
		fprintf(stderr, "usage: bench_match RUNS DIR...\n");
		return 2;
	}
	for (a = 2; a < argc; a++) {
		char h[4096], u[4096], s[4096];
		hf_match_input mi;
		hf_error err;
		double *t = malloc((size_t)runs * sizeof *t);
		hf_match_result *r = NULL;
		double obj = 0, gap = 0;
		size_t rounds = 0, bids = 0;
		long k;

		if (!t)
			return 1;
		snprintf(h, sizeof h, "%s/households.csv", argv[a]);
		snprintf(u, sizeof u, "%s/units.csv", argv[a]);
		snprintf(s, sizeof s, "%s/scores.npy", argv[a]);
		memset(&mi, 0, sizeof mi);
		hf_error_init(&err, HF_LANG_EN);
		if (hf_match_input_read(h, u, s, &mi, &err) < 0)
			bench_die(argv[a], &err);
		for (k = 0; k < runs; k++) {
			if (hf_match_solve(&mi.in, HF_MATCH_OPTIMAL, NULL, &r,
					   &err) < 0)
				bench_die(argv[a], &err);
			t[k] = r->seconds;
			obj = r->objective;
			gap = r->gap;
			rounds = r->rounds;
			bids = r->bids;
			hf_match_result_free(r);
		}
		qsort(t, (size_t)runs, sizeof *t, bench_cmp_double);
		printf("  %-24s median %7.2f ms  fastest %7.2f ms  objective "
		       "%.4f  gap %.4f %%  rounds %zu  bids %zu\n",
		       argv[a], t[runs / 2] * 1e3, t[0] * 1e3, obj, 100 * gap,
		       rounds, bids);
		sum_med += t[runs / 2];
		sum_min += t[0];
		sum_obj += obj;
		sum_gap += gap;
		sum_rounds += rounds;
		sum_bids += bids;
		free(t);
		hf_match_input_free(&mi);
	}
	printf("  %d instances: medians %.2f ms, fastest %.2f ms (sums); "
	       "objectives %.4f; mean gap %.4f %%; rounds %zu; bids %zu\n",
	       argc - 2, sum_med * 1e3, sum_min * 1e3, sum_obj,
	       100 * sum_gap / (argc - 2), sum_rounds, sum_bids);
	return 0;
}

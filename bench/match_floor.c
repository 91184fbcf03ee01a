/*
 * match_floor.c: the floor of the matching benchmark, one pass over the
 * score matrix on this machine.
 *
 *     match_floor scores.npy
 *
 * Reads the matrix (float32 or float64) into memory, then passes over it
 * once computing each household's best unit and the sum of those bests
 * (the bound without capacities), 5 times. Prints the time of the read
 * (from the page cache, if the file was just written) and the median pass.
 * No solver can read its input faster than read_s nor look at every score
 * faster than pass_s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer_input.h"

#define RUNS 5

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pass(const void *data, size_t n, size_t m, int f64, size_t *arg)
{
	double sum = 0;
	size_t i, j;
	for (i = 0; i < n; i++) {
		size_t best = 0;
		if (f64) {
			const double *r = (const double *)data + i * m;
			for (j = 1; j < m; j++)
				if (r[j] > r[best])
					best = j;
			sum += r[best];
		} else {
			const float *r = (const float *)data + i * m;
			for (j = 1; j < m; j++)
				if (r[j] > r[best])
					best = j;
			sum += r[best];
		}
		arg[i] = best;
	}
	return sum;
}

int main(int argc, char **argv)
{
	size_t n, m, es, *arg;
	int f64, r;
	double t0, t1, sum = 0, t[RUNS];
	void *data;
	FILE *f;
	if (argc != 2) {
		fprintf(stderr, "usage: match_floor scores.npy\n");
		return 2;
	}
	t0 = peer_now();
	f = peer_npy_open(argv[1], &n, &m, &f64);
	if (!f)
		return 1;
	es = f64 ? 8 : 4;
	data = malloc(n * m * es);
	arg = malloc(n * sizeof *arg);
	if (!data || !arg || fread(data, es, n * m, f) != n * m) {
		fprintf(stderr, "%s: short file or out of memory\n", argv[1]);
		return 1;
	}
	fclose(f);
	t1 = peer_now() - t0;
	for (r = 0; r < RUNS; r++) {
		t0 = peer_now();
		sum = pass(data, n, m, f64, arg);
		t[r] = peer_now() - t0;
	}
	qsort(t, RUNS, sizeof *t, cmp_double);
	printf("match_floor households=%zu units=%zu bytes=%zu read_s=%.6f "
	       "pass_s=%.6f rowmax_sum=%.6f peak_kib=%ld\n",
	       n, m, n * m * es, t1, t[RUNS / 2], sum, peer_peak_kib());
	free(data);
	free(arg);
	return 0;
}

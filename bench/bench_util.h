/*
 * bench_util.h: what the benchmarks in bench/ share: a clock, the order
 * for medians, a seeded generator and the stop on an error. Header only;
 * a benchmark defines BENCH_NAME (its program name) before including it.
 */
#ifndef HAFEN_BENCH_UTIL_H
#define HAFEN_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hafen/error.h"

#ifndef BENCH_NAME
#error "define BENCH_NAME before including bench_util.h"
#endif

/* Wall-clock seconds, monotonic. */
static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the process. */
static inline double bench_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* For qsort of doubles, ascending (medians). */
static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* xorshift64: the next state of *s, returned; s must not start at 0. */
static inline uint64_t bench_rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Prints "BENCH_NAME: what: where: message" and exits 1. */
static inline void bench_die(const char *what, const hf_error *err)
{
	fprintf(stderr, "%s: %s: %s: %s\n", BENCH_NAME, what, err->where,
		err->message);
	exit(1);
}

#endif

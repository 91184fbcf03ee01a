/*
 * peer_input.h: the transportation instance as the benchmark's peers read
 * it (bench/peer_lemon.cc, bench/peer_glpk.c, bench/match_floor.c).
 *
 * The peers read the files `hafen match` reads (households.csv, units.csv,
 * scores.npy) with their own small reader, so an oracle shares no code
 * with the solver it checks. Only the transportation case is accepted:
 * households with columns id,persons and persons = 1, units with columns
 * code,capacity, and integer-valued scores.
 */
#ifndef PEER_INPUT_H
#define PEER_INPUT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct peer_inst {
	size_t n, m;	/* households, units */
	long long *cap; /* m capacities, owned */
	int *score;	/* n x m integer scores, row-major, owned */
	char **unit;	/* m unit codes, owned */
	char **hh;	/* n household ids, owned */
} peer_inst;

/* Reads DIR/households.csv, DIR/units.csv, DIR/scores.npy into *in.
 * Returns 0, or -1 after printing the reason (file, line) to stderr.
 * Free with peer_free(). */
int peer_read(const char *dir, peer_inst *in);
void peer_free(peer_inst *in);

/* Opens a .npy file and reads its header: dtype '<f4' or '<f8', C order,
 * two dimensions. Returns the stream positioned at the data, or NULL after
 * printing the reason. The caller closes it. */
FILE *peer_npy_open(const char *path, size_t *n, size_t *m, int *f64);

/* Monotonic seconds; peak resident set size of this process in KiB. */
double peer_now(void);
long peer_peak_kib(void);

#ifdef __cplusplus
}
#endif
#endif

/*
 * match_read.h: the files of hafen match (households.csv, units.csv,
 * scores.npy) read into an hf_match_instance, with file:line:column in
 * every error. The columns are those of docs/matching.md.
 */
#ifndef HAFEN_MATCH_READ_H
#define HAFEN_MATCH_READ_H

#include "cli.h"

typedef struct hf_names {
	char **v;
	size_t n, cap;
} hf_names;

/* Per household its lists: needs, ties, preferences, languages,
 * occupations; per unit: services, priorities, languages, demand. */
enum { HL_NEEDS, HL_TIES, HL_PREFS, HL_LANG, HL_OCC, HL_COUNT };
enum { UL_SERV, UL_PRIO, UL_LANG, UL_DEMAND, UL_COUNT };

typedef struct hf_match_input {
	hf_csv *hcsv, *ucsv;
	hf_npy *npy;
	hf_match_instance in;
	hf_match_household *hh;
	hf_match_unit *units;
	hf_names dims, services, langs, occs;
	int64_t *use, *cap; /* n × ndims, m × ndims */
	uint32_t *pool;	    /* every index list */
	size_t npool, cappool;
	size_t *hoff, *uoff; /* [n × HL_COUNT], [m × UL_COUNT] offsets */
	size_t *hlen, *ulen;
	const uint32_t **tptr; /* trait lists: n, n, m, m pointers */
	double *builtin;       /* n × m when no matrix is given */
	hf_match_traits traits;
} hf_match_input;

/* Reads both CSV files and the matrix (sfile may be NULL); prints an
 * error and returns its exit code, else 0. */
int hf_match_input_read(hf_cli *cli, const char *hfile, const char *ufile,
			const char *sfile, hf_match_input *mi);
/* Fills mi->builtin with built-in scores and points the instance at
 * them; 0 or an exit code. */
int hf_match_input_builtin(hf_cli *cli, hf_match_input *mi,
			   const hf_match_weights *w);
void hf_match_input_free(hf_match_input *mi);

#endif

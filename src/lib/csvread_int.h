/*
 * csvread_int.h: reading a CSV text row by row with libcsv, fields by
 * column name, with file and line for every error.
 *
 * Leading lines starting with '#' are provenance comments and skipped. The
 * first row is the header. For each further row the callback gets the
 * fields in header order; hf__csv_field() finds one by name.
 */
#ifndef HAFEN_CSVREAD_INT_H
#define HAFEN_CSVREAD_INT_H

#include <stddef.h>

#include "hafen/error.h"

typedef struct hf__csv_row {
	const char *file;
	long line;          /* line of the row in the file, from 1 */
	size_t nfields;
	char **fields;      /* NUL-terminated */
	size_t nheader;
	char **header;
} hf__csv_row;

typedef int (*hf__csv_row_fn)(const hf__csv_row *row, void *ctx,
			      hf_error *err);

/* Parses text (len bytes) with delimiter delim. Stops at the first
 * callback error or parse error; err->where then names file:line. */
int hf__csv_read(const char *file, const char *text, size_t len, char delim,
		 hf__csv_row_fn fn, void *ctx, hf_error *err);

/* The field of the column named name, or NULL if there is no such column.
 * With required set, a missing column or empty value fills err. */
const char *hf__csv_field(const hf__csv_row *row, const char *name,
			  int required, hf_error *err);

#endif

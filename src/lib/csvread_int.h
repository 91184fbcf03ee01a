/*
 * csvread_int.h: reading a CSV text row by row with libcsv, fields by
 * column name, with file and line for every error.
 *
 * Leading lines starting with '#' are provenance comments and skipped. The
 * first row is the header. For each further row the callback gets the
 * fields in header order; hf__csv_field() finds one by name. A field
 * longer than HF__CSV_FIELD_MAX bytes is refused while parsing.
 */
#ifndef HAFEN_CSVREAD_INT_H
#define HAFEN_CSVREAD_INT_H

#include <stddef.h>

#include "hafen/error.h"

#define HF__CSV_FIELD_MAX ((size_t)1 << 20)

typedef struct hf__csv_row {
	const char *file;
	long line; /* line of the row in the file, from 1 */
	size_t nfields;
	char **fields; /* NUL-terminated; valid during the callback */
	size_t nheader;
	char **header;
} hf__csv_row;

typedef int (*hf__csv_row_fn)(const hf__csv_row *row, void *ctx, hf_error *err);

enum {
	/* rows whose width differs from the header's reach the callback
	 * (which reports them) instead of stopping the read */
	HF__CSV_ANY_WIDTH = 1,
	/* the header row reaches the callback too (line and fields; nheader
	 * is then 0) */
	HF__CSV_HEADER_ROW = 2,
	/* the first line is no row (Excel's "sep=;" line) */
	HF__CSV_SKIP_LINE1 = 4,
};

/* Parses text (len bytes) with delimiter delim. Stops at the first
 * callback error or parse error; err->where then names file:line. */
int hf__csv_read(const char *file, const char *text, size_t len, char delim,
		 hf__csv_row_fn fn, void *ctx, hf_error *err);
/* The same with HF__CSV_* flags. */
int hf__csv_read_ex(const char *file, const char *text, size_t len, char delim,
		    unsigned flags, hf__csv_row_fn fn, void *ctx,
		    hf_error *err);

/* The delimiter of a CSV text: ';' where the first line that is no '#'
 * comment has more semicolons than commas, else ','. A byte order mark is
 * skipped. */
char hf__csv_sniff(const char *text, size_t len);

/* The field of the column named name, or NULL if there is no such column.
 * With required set, a missing column or empty value fills err. */
const char *hf__csv_field(const hf__csv_row *row, const char *name,
			  int required, hf_error *err);

#endif

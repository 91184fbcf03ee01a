/*
 * hafen/csv.h: a CSV file read whole, with its header, for the commands
 * that take lists from offices (households, capacities).
 *
 * Fields are looked up by column name; every row remembers its line, so an
 * error can name file, line and column. The delimiter is ',' or ';' (the
 * German Excel default), detected from the header line. Lines starting
 * with '#' before the header are comments. UTF-8, a byte order mark is
 * skipped. hf_csv_put_field writes one field the other way.
 *
 *     hf_csv *c;
 *     if (hf_csv_read_file("households.csv", &c, &err) == HF_OK) {
 *             for (size_t r = 0; r < hf_csv_nrows(c); r++)
 *                     use(hf_csv_get(c, r, "persons"));
 *             hf_csv_free(c);
 *     }
 */
#ifndef HAFEN_CSV_H
#define HAFEN_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "hafen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hf_csv hf_csv;

/* Reads and parses the file; a file of more than 1 GiB, a row with a
 * different number of fields than the header or a malformed quote is
 * refused with file:line. The caller frees *out with hf_csv_free(). */
int hf_csv_read_file(const char *path, hf_csv **out, hf_error *err);
/* The same over text in memory; name is used in error places. */
int hf_csv_read_text(const char *name, const char *text, size_t len,
		     hf_csv **out, hf_error *err);
void hf_csv_free(hf_csv *c);

size_t hf_csv_nrows(const hf_csv *c);
/* The number of columns and the name of column k (< ncols), in header
 * order, for files whose column names carry data (cap:NAME). */
size_t hf_csv_ncols(const hf_csv *c);
const char *hf_csv_column(const hf_csv *c, size_t k);
/* Whether the header has this column. */
int hf_csv_has(const hf_csv *c, const char *column);
/* The field, or NULL if there is no such column. Never NULL for a column
 * that exists (an empty field is ""). */
const char *hf_csv_get(const hf_csv *c, size_t row, const char *column);
/* The same by the column's index, for a loop over many rows: the index
 * of the column (-1 if there is none) found once by hf_csv_find, then the
 * field of each row by hf_csv_at (NULL for -1 or a row past the end). */
long hf_csv_find(const hf_csv *c, const char *column);
const char *hf_csv_at(const hf_csv *c, size_t row, long k);
/* "file:line:column" of a field, for messages. */
void hf_csv_where(const hf_csv *c, size_t row, const char *column,
		  char *buf, size_t size);

/* hf_csv_put_field flag: quote a field with a leading or trailing space
 * too, which a spreadsheet would strip otherwise. */
#define HF_CSV_QUOTE_SPACES 1u
/* ... and a field with a semicolon, which a spreadsheet set to German
 * reads as a separator in a file it opens without asking. */
#define HF_CSV_QUOTE_SEMICOLONS 2u

/* Writes s to f as one field of a file separated by delim: in double
 * quotes (a quote inside doubled, RFC 4180) when it holds delim, a quote
 * or a line break, or as flags say; else as it is. */
void hf_csv_put_field(FILE *f, const char *s, char delim, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif

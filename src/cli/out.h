/*
 * out.h: one result table, printed as an aligned table for people, CSV for
 * scripts, or exact JSON.
 *
 * Columns are typed. A rational cell prints as a decimal with the column's
 * places in tables and CSV (decimal comma in German tables, as the law
 * prints it), and in JSON twice: as the exact fraction string under the
 * column's key and as the rounded decimal string under key + "_decimal".
 */
#ifndef HAFEN_OUT_H
#define HAFEN_OUT_H

#include <jansson.h>
#include "hafen/xlsx.h"

#include "cli.h"

typedef enum hf_col_type {
	HF_COL_STR,
	HF_COL_INT,
	HF_COL_RAT
} hf_col_type;

typedef struct hf_col {
	const char *key; /* JSON member and CSV header */
	const char *de;  /* table header, German */
	const char *en;  /* table header, English */
	hf_col_type type;
	int places;      /* decimals for HF_COL_RAT */
} hf_col;

typedef struct hf_out hf_out;

/* A table with ncols columns (the array must outlive the table). */
hf_out *hf_out_new(const hf_col *cols, int ncols);
void hf_out_free(hf_out *t);
/* Starts a new row; cells are then added left to right. */
int hf_out_row(hf_out *t);
int hf_out_str(hf_out *t, const char *s);
int hf_out_int(hf_out *t, long long v);
int hf_out_rat(hf_out *t, hf_rat v);
/* An empty cell (JSON null), e.g. a percentage of a zero quota. */
int hf_out_null(hf_out *t);
/* Marks the last row as a total line (set off by a rule in tables). */
void hf_out_mark_total(hf_out *t);
/* A line printed above a table (title) and below it (notes). Only in the
 * table format; JSON carries them in "title" and "notes". */
int hf_out_title(hf_out *t, const char *s);
int hf_out_note(hf_out *t, const char *s);
/* The table as the JSON object hf_out_print writes ({"rows": [...], ...}),
 * for a command that puts several tables in one document. The caller owns
 * the reference. */
json_t *hf_out_json(hf_out *t);
/* Prints a JSON document to cli->out; 0, or 3 on a write error. Steals
 * the reference. */
int hf_out_print_json(hf_cli *cli, json_t *root);
/* Prints in cli->format to cli->out (XLSX: a workbook to cli->outpath with
 * the table and an About sheet of title, notes and time). Returns 0, or 3
 * on a write error. */
int hf_out_print(hf_out *t, hf_cli *cli);

#endif

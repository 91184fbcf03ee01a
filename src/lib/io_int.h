/*
 * io_int.h: what the files of the import/export module share.
 *
 * Every kind has one table of columns (io_kinds.c) used both ways: import
 * maps a file's header to it (English or German names, case and spaces
 * ignored), export writes it. A file of any format is read as rows of
 * text cells (io_read.c: CSV, JSON; io_xlsx.c: XLSX); the rows of a kind
 * are checked and collected without a database (io_kinds.c), then checked
 * against the database and written (import.c). Problems are collected in
 * an issue list with file, sheet, row and column.
 */
#ifndef HAFEN_IO_INT_H
#define HAFEN_IO_INT_H

#include "hafen/io.h"
#include "hafen/programme.h"
#include "key_int.h"

/* column types: how a cell is parsed and written */
enum {
	HF__T_TEXT,
	HF__T_INT,
	HF__T_DEC, /* exact rational: decimal or "num/den" */
	HF__T_DATE,
	HF__T_TIME, /* seconds since 1970, written as ISO UTC */
	HF__T_LIST  /* '|'-separated */
};

enum {
	HF__C_REQ = 1,	  /* column must be there and the cell not empty */
	HF__C_IMPORT = 2, /* read, never written (e.g. percent) */
};

typedef struct hf__io_col {
	const char *en;
	const char *de;
	const char *alias; /* another accepted name, or NULL */
	int type;
	unsigned flags;
} hf__io_col;

#define HF__IO_MAXCOLS 24

typedef struct hf__io_spec {
	hf_io_kind kind;
	const char *slug, *slug_de;
	const char *sheet_de, *sheet_en;
	const hf__io_col *cols;
	int ncols;
	/* match kinds: columns "use:NAME" / "cap:NAME" pass through */
	const char *prefix;
} hf__io_spec;

const hf__io_spec *hf__io_spec_of(hf_io_kind kind);

/* ---- issues and places ------------------------------------------- */

enum { HF__SRC_CSV, HF__SRC_JSON, HF__SRC_XLSX };

typedef struct hf__io {
	hf_lang lang;
	const hf__io_spec *spec;
	const char *file;
	const char *sheet; /* XLSX */
	char sheetbuf[128];
	int src;
	char delim; /* CSV */
	/* the header: spec column -> source column, -1 absent */
	int map[HF__IO_MAXCOLS];
	size_t nsrc;
	char **srcname; /* names as the file writes them (owned) */
	int *extra;	/* source column -> prefix column (match), or -1 */
	int header_ok;
	/* problems */
	hf_import_result *res;
	size_t limit;
	const hf_import_options *opt;
	/* the kind's collector (io_kinds.c) */
	void *kc;
	size_t rows;
	/* the value and what was expected of the next issue, or NULL */
	const char *cur_value, *cur_expected;
} hf__io;

/* Adds a problem; col is a spec column or -1 (the whole row), row the
 * source's row number (CSV line, sheet row, JSON entry) or 0. */
void hf__io_issue(hf__io *io, long row, int col, const char *de, const char *en,
		  ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 6)))
#endif
    ;
/* The same with the column given by its source index (header problems). */
void hf__io_issue_src(hf__io *io, long row, size_t srccol, const char *de,
		      const char *en, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 6)))
#endif
    ;
/* The same at character chr of the row's line (a CSV text that libcsv
 * cannot read). */
void hf__io_issue_char(hf__io *io, long row, long chr, const char *de,
		       const char *en, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 6)))
#endif
    ;
/* v shortened for a message: at most 60 characters, "…" after. */
void hf__io_shorten(const char *v, char *buf, size_t size);

/* Maps a header (n source names) to the spec: unknown, missing and
 * doubled columns are issues. Returns 0, or -1 when rows cannot be read. */
int hf__io_header(hf__io *io, long row, char *const *names, size_t n);
void hf__io_header_free(hf__io *io);
/* One row of source cells (n of them, in source order): picks the spec's
 * columns and hands them to the kind's collector. */
int hf__io_feed(hf__io *io, long row, char *const *cells, size_t n);

/* ---- readers ------------------------------------------------------ */

/* CSV: decodes (BOM, UTF-8 or Windows-1252), picks the dialect and feeds
 * header and rows to io. Fatal problems are issues too; returns < 0 only
 * for out of memory. */
int hf__io_read_csv(hf__io *io, const char *data, size_t len,
		    hf_dialect dialect, hf_import_result *res, hf_error *err);
int hf__io_read_json(hf__io *io, const char *data, size_t len, hf_error *err);
int hf__io_read_xlsx(hf__io *io, const char *data, size_t len,
		     const char *sheet, hf_error *err);

/* ---- import_parse.c ------------------------------------------------ */

/* Reads and checks the rows of a file into io; < 0 only when the file
 * could not be read at all. Free with hf__import_done. */
int hf__import_parse(hf__io *io, hf_io_kind kind, const char *name,
		     const void *data, size_t len, const hf_import_options *o,
		     hf_import_result *res, hf_error *err);
void hf__import_done(hf__io *io);
/* HF_EINVAL with the number of problems in err, or HF_OK if none. */
int hf__import_summary(const char *name, const hf_import_result *res,
		       hf_error *err);

/* ---- kinds (io_kinds.c) ------------------------------------------- */

typedef struct hf__io_row {
	long row;
	const char *v[HF__IO_MAXCOLS]; /* cells by spec column; NULL absent */
	char *const *cells;	       /* source cells (for prefix columns) */
	size_t ncells;
} hf__io_row;

int hf__kind_begin(hf__io *io);
/* About how many rows are coming (sizes the arrays once). */
void hf__kind_hint(hf__io *io, size_t rows);
int hf__kind_row(hf__io *io, const hf__io_row *r);
/* After the last row: checks across rows (duplicates, keys whole). */
int hf__kind_end(hf__io *io);
void hf__kind_free(hf__io *io);
/* Checks the collected records against db and writes them in db's open
 * transaction; problems are issues. */
int hf__kind_apply(hf__io *io, hf_db *db, const hf_import_options *o,
		   hf_error *err);
/* Match kinds: writes the normalised CSV. */
int hf__kind_write_match(hf__io *io, FILE *out);

/* ---- values ------------------------------------------------------- */

/* Excel's number text ("1E-3", "4.0") as a plain decimal ("0.001", "4");
 * 0, or -1 if it is no number. */
int hf__io_number_plain(const char *s, char *buf, size_t size);
/* "2023-11-14T22:13:20Z", "2023-11-14 22:13:20", "14.11.2023 22:13" or
 * seconds; -1 if none of these. */
int hf__io_parse_time(const char *s, int64_t *out);
void hf__io_format_time(int64_t t, char buf[32]);
/* A rational as a decimal where it is a finite one (up to 12 places),
 * else "num/den"; sep is the decimal separator. */
void hf__io_format_rat(hf_rat r, char sep, char *buf, size_t size);

#endif

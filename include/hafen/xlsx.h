/*
 * hafen/xlsx.h: Excel workbooks (.xlsx) read and written, for the offices
 * that keep their lists in Excel.
 *
 * Reading (libzip + expat) takes a workbook as Excel, LibreOffice or
 * openpyxl wrote it and gives one sheet at a time as a grid of typed cells
 * whose text is exactly what the file stores: numbers are never passed
 * through a double, so "0.1" stays "0.1". A number whose cell style is a
 * date format becomes an ISO date. Hostile files are refused with an
 * error, never a crash: the sizes of parts, strings and sheets are capped.
 *
 *     hf_xlsx *x;
 *     hf_xlsx_sheet *s;
 *     if (hf_xlsx_open("zugaenge.xlsx", &x, &err) < 0 ||
 *         hf_xlsx_sheet_read(x, "Zugänge", &s, &err) < 0)
 *             ...
 *     for (size_t r = 0; r < hf_xlsx_sheet_nrows(s); r++)
 *             use(hf_xlsx_sheet_cell(s, r, 0)->text);
 *     hf_xlsx_sheet_free(s);
 *     hf_xlsx_close(x);
 *
 * Writing (libxlsxwriter) makes the report workbooks: one sheet per table
 * with a bold frozen header row, an autofilter, number and date formats and
 * column widths from the content, and a sheet describing the figures. The
 * file appears only when the whole workbook was written.
 */
#ifndef HAFEN_XLSX_H
#define HAFEN_XLSX_H

#include <stddef.h>

#include "hafen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- reading (libzip + expat) ---- */
typedef struct hf_xlsx hf_xlsx;		    /* a workbook opened for reading */
typedef struct hf_xlsx_sheet hf_xlsx_sheet; /* one sheet read whole */

typedef enum hf_xlsx_type {
	HF_XLSX_EMPTY,
	HF_XLSX_STRING, /* shared or inline string, text as is (UTF-8) */
	HF_XLSX_NUMBER, /* text = the number exactly as stored in the XML
			   ("4", "0.1", "1E-3"), never via double */
	HF_XLSX_BOOL,	/* text "0" or "1" */
	HF_XLSX_DATE,	/* a number whose style is a date format: text is
			   ISO "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS" when it
			   has a time part; 1900 and 1904 date systems */
	HF_XLSX_ERROR	/* "#N/A", "#DIV/0!" ... */
} hf_xlsx_type;

/*
 * Notes on what the reader gives:
 * - A string cell whose text is empty, and a cell with a style but no
 *   value, are HF_XLSX_EMPTY. Escapes of control characters (_x000D_) are
 *   decoded; phonetic runs (<rPh>) are left out.
 * - Dates: 1900 system, serial 1 is 1900-01-01; Excel counts the day
 *   1900-02-29, which never was, as serial 60, so serials below 60 are
 *   shifted by one to give the real date. Serial 60 itself, a negative
 *   serial or one past 9999-12-31 cannot be a real date: such a cell stays
 *   HF_XLSX_NUMBER with its text, so the caller reports it like any value
 *   of the wrong kind. A time of day alone (a serial below 1) is dated
 *   1899-12-31 (1900 system) or 1904-01-01 (1904 system). Seconds are
 *   rounded to the nearest one. Cells of type "d" (ISO dates as some
 *   writers store them) are HF_XLSX_DATE in the same form.
 * - Formula cells give their cached value.
 */
typedef struct hf_xlsx_cell {
	hf_xlsx_type type;
	const char *text; /* never NULL; "" for empty */
} hf_xlsx_cell;

/* Default caps; hf_xlsx_set_limits() changes them for one workbook. */
#define HF_XLSX_MAX_PART   ((size_t)1 << 30)  /* uncompressed bytes of a part */
#define HF_XLSX_MAX_CELLS  ((size_t)20000000) /* cells of a sheet */
#define HF_XLSX_MAX_STRING ((size_t)131072)   /* bytes of one cell's text */

typedef struct hf_xlsx_limits {
	size_t max_part;   /* uncompressed bytes of one XML part */
	size_t max_cells;  /* non-empty cells of one sheet, and also the
			      sheet's rectangle (rows × columns up to the
			      last value, which callers walk) and the
			      number of shared strings */
	size_t max_string; /* bytes of one string (Excel: 32767 chars) */
} hf_xlsx_limits;

/* Opens a workbook; a file that is no zip, a truncated zip, a zip without
 * xl/workbook.xml etc. fails with HF_EPARSE (malformed input;
 * code) and a message naming the file. The caller frees with hf_xlsx_close.
 * hf_xlsx_open_mem does not copy data: it must stay valid until
 * hf_xlsx_close; name is used in messages. */
int hf_xlsx_open(const char *path, hf_xlsx **out, hf_error *err);
int hf_xlsx_open_mem(const char *name, const void *data, size_t len,
		     hf_xlsx **out, hf_error *err);
/* NULL is a no-op. Sheets read from x stay valid after it is closed. */
void hf_xlsx_close(hf_xlsx *x);
/* Replaces the caps for the sheets read from now on (0 keeps a cap). */
void hf_xlsx_set_limits(hf_xlsx *x, const hf_xlsx_limits *lim);
size_t hf_xlsx_nsheets(const hf_xlsx *x);
/* Sheet names in workbook order; NULL past the end. Owned by x. */
const char *hf_xlsx_sheet_name(const hf_xlsx *x, size_t i);
/* Whether the workbook counts dates from 1904 (old Mac Excel). */
int hf_xlsx_date1904(const hf_xlsx *x);
/* Reads sheet `name` (NULL: the first) whole. Unknown sheet: error listing
 * the sheets there are (HF_ENOTFOUND). Size caps (cells, string bytes)
 * with clear errors (HF_ERANGE); a malformed part or a cell reference out
 * of range is HF_EPARSE with the part and line in err->where.
 * The caller frees with hf_xlsx_sheet_free. */
int hf_xlsx_sheet_read(hf_xlsx *x, const char *name, hf_xlsx_sheet **out,
		       hf_error *err);
/* NULL is a no-op. */
void hf_xlsx_sheet_free(hf_xlsx_sheet *s);
/* The sheet's name; owned by s. */
const char *hf_xlsx_sheet_title(const hf_xlsx_sheet *s);
/* rows and columns up to the last non-empty cell; row 0 is sheet row 1 */
size_t hf_xlsx_sheet_nrows(const hf_xlsx_sheet *s);
size_t hf_xlsx_sheet_ncols(const hf_xlsx_sheet *s);
/* never NULL inside the sheet's bounds (an EMPTY cell); NULL outside.
 * Owned by s. */
const hf_xlsx_cell *hf_xlsx_sheet_cell(const hf_xlsx_sheet *s, size_t row,
				       size_t col);
/* "B17" for row 16, col 1: for messages ("file.xlsx, Blatt Zugänge, B17") */
void hf_xlsx_cellref(size_t row, size_t col, char *buf, size_t size);

/* ---- writing (libxlsxwriter) ---- */
typedef enum hf_xlsx_coltype {
	HF_XLSX_COL_TEXT,
	HF_XLSX_COL_INT,     /* cell text "-12" written as a number, format
				"#,##0" (places < 0: "0", for years) */
	HF_XLSX_COL_DECIMAL, /* cell text "7.45679" (point) written as a number
				shown with `places` decimals */
	HF_XLSX_COL_PERCENT, /* cell text "95.12" = percent value, shown
				"95,12 %" style */
	HF_XLSX_COL_DATE     /* cell text "YYYY-MM-DD" written as an Excel date,
				format DD.MM.YYYY */
} hf_xlsx_coltype;

typedef struct hf_xlsx_column {
	const char *header;
	hf_xlsx_coltype type;
	int places; /* decimals shown for DECIMAL/PERCENT */
} hf_xlsx_column;

typedef struct hf_xlsx_writer hf_xlsx_writer;
/* Starts a workbook that will be written to path on close (written to a
 * temporary file beside it and renamed, so a failure leaves no half file).
 * Free with hf_xlsx_writer_close or hf_xlsx_writer_free. */
int hf_xlsx_writer_new(const char *path, hf_xlsx_writer **out, hf_error *err);
/* A new sheet with a bold, frozen header row and an autofilter; column
 * widths from the longest cell (capped). cols is copied. */
int hf_xlsx_writer_sheet(hf_xlsx_writer *w, const char *name,
			 const hf_xlsx_column *cols, int ncols, hf_error *err);
/* One row of the current sheet: ncols cells as text per the column type;
 * NULL is an empty cell. A malformed number/date text is an error. */
int hf_xlsx_writer_row(hf_xlsx_writer *w, const char *const *cells,
		       hf_error *err);
/* Marks the last row as a total line (bold). */
void hf_xlsx_writer_mark_total(hf_xlsx_writer *w);
/* The sheet that describes the figures ("Quelle" / "About"): key-value
 * lines (title, source, key, period, generated at, hafen version...). */
int hf_xlsx_writer_about(hf_xlsx_writer *w, const char *sheet_name,
			 const char *const *keys, const char *const *values,
			 size_t n, hf_error *err);
/* Writes the file and frees w (also on failure). */
int hf_xlsx_writer_close(hf_xlsx_writer *w, hf_error *err);
/* Discards an unfinished workbook (no file is left). NULL is a no-op. */
void hf_xlsx_writer_free(hf_xlsx_writer *w);

#ifdef __cplusplus
}
#endif
#endif

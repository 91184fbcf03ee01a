/*
 * xlsx_write.c: report workbooks through libxlsxwriter.
 *
 * Every cell arrives as text, as the reports print it; the column type
 * says how it becomes a typed Excel cell. The last row of a sheet is kept
 * back until the next one arrives, so it can still be marked as the total
 * line. The workbook is written to a temporary file beside the target and
 * renamed over it only when complete.
 */
#define _GNU_SOURCE
#include "hafen/xlsx.h"

#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "dl.h"

#include "hafen/date.h"
#include "hafen/io.h"

#define MAX_WIDTH   60
#define MAX_PLACES  15
#define MAX_FORMATS 64

typedef enum kind { K_NONE, K_STR, K_NUM, K_DATE } kind;

typedef struct pcell {
	kind k;
	double num;
	lxw_datetime dt;
	char *str;
} pcell;

typedef struct fmtkey {
	hf_xlsx_coltype type;
	int places, bold;
	lxw_format *f;
} fmtkey;

struct hf_xlsx_writer {
	char *path, *tmp;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	char *sheet;
	hf_xlsx_column *cols;
	int ncols;
	size_t *width;
	uint32_t row; /* sheet row of the pending row */
	pcell *pending;
	int has_pending, pending_total;
	int table; /* a table sheet (not the about sheet): autofilter */
	fmtkey fmts[MAX_FORMATS];
	int nfmts;
	lxw_format *bold;
	locale_t c_locale;
};

/* ---- libxlsxwriter, loaded on first use (dl.h) --------------------------- */

/* libxlsxwriter is loaded when the first workbook is written, not when a
 * program linked with hafen starts: with OpenSSL's libcrypto and minizip
 * behind it, it cost every command about 2 ms. */
#define HF_LXW_FUNCS(X, a)                                                     \
	X(a, lxw_strerror)                                                     \
	X(a, lxw_workbook_free)                                                \
	X(a, workbook_add_format)                                              \
	X(a, workbook_add_worksheet)                                           \
	X(a, workbook_close)                                                   \
	X(a, workbook_new_opt)                                                 \
	X(a, workbook_validate_sheet_name)                                     \
	X(a, worksheet_autofilter)                                             \
	X(a, worksheet_freeze_panes)                                           \
	X(a, worksheet_set_column)                                             \
	X(a, worksheet_write_blank)                                            \
	X(a, worksheet_write_datetime)                                         \
	X(a, worksheet_write_number)                                           \
	X(a, worksheet_write_string)                                           \
	X(a, format_set_bold)                                                  \
	X(a, format_set_num_format)

struct hf__lxw_api {
	HF_LXW_FUNCS(HF_DL_MEMBER, _)
};
static struct hf__lxw_api hf__lxw;

#define lxw_strerror		     (hf__lxw.p_lxw_strerror)
#define lxw_workbook_free	     (hf__lxw.p_lxw_workbook_free)
#define workbook_add_format	     (hf__lxw.p_workbook_add_format)
#define workbook_add_worksheet	     (hf__lxw.p_workbook_add_worksheet)
#define workbook_close		     (hf__lxw.p_workbook_close)
#define workbook_new_opt	     (hf__lxw.p_workbook_new_opt)
#define workbook_validate_sheet_name (hf__lxw.p_workbook_validate_sheet_name)
#define worksheet_autofilter	     (hf__lxw.p_worksheet_autofilter)
#define worksheet_freeze_panes	     (hf__lxw.p_worksheet_freeze_panes)
#define worksheet_set_column	     (hf__lxw.p_worksheet_set_column)
#define worksheet_write_blank	     (hf__lxw.p_worksheet_write_blank)
#define worksheet_write_datetime     (hf__lxw.p_worksheet_write_datetime)
#define worksheet_write_number	     (hf__lxw.p_worksheet_write_number)
#define worksheet_write_string	     (hf__lxw.p_worksheet_write_string)
#define format_set_bold		     (hf__lxw.p_format_set_bold)
#define format_set_num_format	     (hf__lxw.p_format_set_num_format)

/* the soname of libxlsxwriter's ABI in Debian */
HF_DL_LIBRARY(lxw_lib, HF_LXW_FUNCS, hf__lxw, "libxlsxwriter.so.4",
	      "libxlsxwriter4", "Die XLSX-Bibliothek (libxlsxwriter)",
	      "The XLSX library (libxlsxwriter)");

static int oom(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
}

static int lxw_fail(hf_xlsx_writer *w, lxw_error e, hf_error *err)
{
	return hf_error_set(err, HF_EIO, w->path,
			    "%s lässt sich nicht schreiben: %s.",
			    "cannot write %s: %s.", w->path, lxw_strerror(e));
}

int hf_xlsx_writer_new(const char *path, hf_xlsx_writer **out, hf_error *err)
{
	hf_xlsx_writer *w;
	size_t n = strlen(path) + 64;
	/* rows go out as they come (the writer only ever holds back the
	 * last one), so memory stays flat for a million-row export */
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	FILE *probe;
	int rc;

	*out = NULL;
	if ((rc = hf__dl_load(&lxw_lib, "xlsx", err)) < 0)
		return rc;
	w = calloc(1, sizeof *w);
	if (!w || !(w->path = strdup(path)) || !(w->tmp = malloc(n)))
		goto nomem;
	/* unique among processes (pid) and writers of one process (w) */
	snprintf(w->tmp, n, "%s.%ld-%lx.tmp", path, (long)getpid(),
		 (unsigned long)(uintptr_t)w);
	if (!(probe = fopen(w->tmp, "wb"))) {
		rc = hf_error_set(
		    err, HF_EIO, path, "%s lässt sich nicht schreiben: %s.",
		    "cannot write %s: %s.", path, strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		hf_xlsx_writer_free(w);
		return rc;
	}
	fclose(probe);
	if (!(w->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) ||
	    !(w->wb = workbook_new_opt(w->tmp, &opt)) ||
	    !(w->bold = workbook_add_format(w->wb)))
		goto nomem;
	format_set_bold(w->bold);
	*out = w;
	return HF_OK;
nomem:
	hf_xlsx_writer_free(w);
	return oom(err);
}

static void free_pending(hf_xlsx_writer *w)
{
	int i;
	if (!w->pending)
		return;
	for (i = 0; i < w->ncols; i++) {
		free(w->pending[i].str);
		w->pending[i].str = NULL;
		w->pending[i].k = K_NONE;
	}
	w->has_pending = w->pending_total = 0;
}

static void free_sheet(hf_xlsx_writer *w)
{
	free_pending(w);
	free(w->pending);
	free(w->cols);
	free(w->width);
	free(w->sheet);
	w->pending = NULL;
	w->cols = NULL;
	w->width = NULL;
	w->sheet = NULL;
	w->ws = NULL;
	w->ncols = 0;
	w->table = 0;
}

void hf_xlsx_writer_free(hf_xlsx_writer *w)
{
	if (!w)
		return;
	free_sheet(w);
	if (w->wb)
		lxw_workbook_free(w->wb);
	if (w->tmp)
		remove(w->tmp);
	if (w->c_locale)
		freelocale(w->c_locale);
	free(w->tmp);
	free(w->path);
	free(w);
}

/* The cell format for a column type, plain or bold; cached. */
static lxw_format *format_for(hf_xlsx_writer *w, hf_xlsx_coltype type,
			      int places, int bold)
{
	char code[48];
	lxw_format *f;
	int i;

	if (type == HF_XLSX_COL_TEXT)
		return bold ? w->bold : NULL;
	if (type == HF_XLSX_COL_DATE)
		places = 0;
	if (type == HF_XLSX_COL_INT)
		places = places < 0 ? -1 : 0;
	else if (places < 0)
		places = 0;
	if (places > MAX_PLACES)
		places = MAX_PLACES;
	for (i = 0; i < w->nfmts; i++)
		if (w->fmts[i].type == type && w->fmts[i].places == places &&
		    w->fmts[i].bold == bold)
			return w->fmts[i].f;
	switch (type) {
	case HF_XLSX_COL_INT:
		snprintf(code, sizeof code, "%s", places < 0 ? "0" : "#,##0");
		break;
	case HF_XLSX_COL_DECIMAL:
		snprintf(code, sizeof code, "#,##0%s%.*s", places ? "." : "",
			 places, "000000000000000");
		break;
	case HF_XLSX_COL_PERCENT:
		snprintf(code, sizeof code, "0%s%.*s%%", places ? "." : "",
			 places, "000000000000000");
		break;
	default:
		snprintf(code, sizeof code, "DD.MM.YYYY");
		break;
	}
	if (!(f = workbook_add_format(w->wb)))
		return NULL;
	format_set_num_format(f, code);
	if (bold)
		format_set_bold(f);
	if (w->nfmts < MAX_FORMATS) {
		w->fmts[w->nfmts].type = type;
		w->fmts[w->nfmts].places = places;
		w->fmts[w->nfmts].bold = bold;
		w->fmts[w->nfmts++].f = f;
	}
	return f;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static int x_escape_at(const char *s)
{
	return s[0] == '_' && s[1] == 'x' && is_hex(s[2]) && is_hex(s[3]) &&
	       is_hex(s[4]) && is_hex(s[5]) && s[6] == '_';
}

/* A copy of s in which text that reads like OOXML's _xHHHH_ escape is
 * itself escaped (its '_' as _x005F_), as the format asks and
 * libxlsxwriter does not do: otherwise every reader would turn a literal
 * "_x0041_" into "A". The caller frees; NULL when out of memory. */
static char *x_escape(const char *s)
{
	size_t n = 0, len = strlen(s);
	const char *p;
	char *out, *d;

	for (p = s; *p; p++)
		n += x_escape_at(p);
	if (!(out = malloc(len + n * 6 + 1)))
		return NULL;
	for (p = s, d = out; *p; p++) {
		if (x_escape_at(p)) {
			memcpy(d, "_x005F", 6);
			d += 6;
		}
		*d++ = *p;
	}
	*d = '\0';
	return out;
}

/* worksheet_write_string with the text escaped as above. */
static lxw_error write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
			    const char *s, lxw_format *f)
{
	char *t;
	lxw_error e;
	if (!strstr(s, "_x"))
		return worksheet_write_string(ws, row, col, s, f);
	if (!(t = x_escape(s)))
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	e = worksheet_write_string(ws, row, col, t, f);
	free(t);
	return e;
}

/* Whether s is well-formed UTF-8: anything else would make the sheet's
 * XML unreadable. */
static int utf8_valid(const char *s)
{
	size_t n = strlen(s);
	return hf_utf8_prefix(s, n) == n;
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void widen(hf_xlsx_writer *w, int col, size_t len)
{
	if (len > w->width[col])
		w->width[col] = len;
}

/* Writes the pending row, bold if it is the total line. */
static int flush_row(hf_xlsx_writer *w, hf_error *err)
{
	int i, bold = w->pending_total;
	lxw_error e = LXW_NO_ERROR;

	if (!w->has_pending)
		return HF_OK;
	for (i = 0; i < w->ncols && e == LXW_NO_ERROR; i++) {
		pcell *c = &w->pending[i];
		lxw_format *f =
		    format_for(w, w->cols[i].type, w->cols[i].places, bold);
		switch (c->k) {
		case K_STR:
			e = write_text(w->ws, w->row, (lxw_col_t)i, c->str, f);
			break;
		case K_NUM:
			e = worksheet_write_number(w->ws, w->row, (lxw_col_t)i,
						   c->num, f);
			break;
		case K_DATE:
			e = worksheet_write_datetime(w->ws, w->row,
						     (lxw_col_t)i, &c->dt, f);
			break;
		default:
			if (bold)
				e = worksheet_write_blank(w->ws, w->row,
							  (lxw_col_t)i, f);
			break;
		}
	}
	free_pending(w);
	w->row++;
	if (e != LXW_NO_ERROR)
		return lxw_fail(w, e, err);
	return HF_OK;
}

/* Flushes the last row and sets the column widths of the sheet. */
static int finish_sheet(hf_xlsx_writer *w, hf_error *err)
{
	int i, rc;
	if (!w->ws)
		return HF_OK;
	if ((rc = flush_row(w, err)) < 0)
		return rc;
	/* the filter spans the rows, known only now */
	if (w->table) {
		lxw_error e =
		    worksheet_autofilter(w->ws, 0, 0, w->row ? w->row - 1 : 0,
					 (lxw_col_t)(w->ncols - 1));
		if (e != LXW_NO_ERROR)
			return lxw_fail(w, e, err);
	}
	for (i = 0; i < w->ncols; i++) {
		size_t cw = w->width[i] + 2;
		worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i,
				     (double)(cw > MAX_WIDTH ? MAX_WIDTH : cw),
				     NULL);
	}
	free_sheet(w);
	return HF_OK;
}

static int new_sheet(hf_xlsx_writer *w, const char *name, int ncols,
		     hf_error *err)
{
	lxw_error e;
	int rc;

	if ((rc = finish_sheet(w, err)) < 0)
		return rc;
	e = workbook_validate_sheet_name(w->wb, name);
	if (e != LXW_NO_ERROR)
		return hf_error_set(err, HF_EINVAL, name,
				    "Blattname „%s“ ist in Excel nicht "
				    "möglich: %s.",
				    "sheet name \"%s\" is not possible in "
				    "Excel: %s.",
				    name, lxw_strerror(e));
	if (!(w->ws = workbook_add_worksheet(w->wb, name)) ||
	    !(w->sheet = strdup(name)) ||
	    !(w->width = calloc((size_t)ncols + 1, sizeof *w->width)) ||
	    !(w->pending = calloc((size_t)ncols + 1, sizeof *w->pending)))
		return oom(err);
	w->ncols = ncols;
	w->row = 0;
	return HF_OK;
}

int hf_xlsx_writer_sheet(hf_xlsx_writer *w, const char *name,
			 const hf_xlsx_column *cols, int ncols, hf_error *err)
{
	int i, rc;
	lxw_error e = LXW_NO_ERROR;

	if (ncols < 1 || ncols > 16384)
		return hf_error_set(err, HF_EINVAL, name,
				    "Ein Blatt braucht 1 bis 16384 Spalten, "
				    "nicht %d.",
				    "a sheet needs 1 to 16384 columns, not %d.",
				    ncols);
	if ((rc = new_sheet(w, name, ncols, err)) < 0)
		return rc;
	if (!(w->cols = malloc((size_t)ncols * sizeof *w->cols)))
		return oom(err);
	for (i = 0; i < ncols; i++) {
		const char *h = cols[i].header ? cols[i].header : "";
		w->cols[i] = cols[i];
		w->cols[i].header = NULL; /* not kept */
		/* the autofilter button takes about three characters */
		widen(w, i, utf8_len(h) + 3);
		if (e == LXW_NO_ERROR)
			e = write_text(w->ws, 0, (lxw_col_t)i, h, w->bold);
	}
	worksheet_freeze_panes(w->ws, 1, 0);
	w->table = 1;
	if (e != LXW_NO_ERROR)
		return lxw_fail(w, e, err);
	w->row = 1;
	return HF_OK;
}

/* -?digits(.digits)?; *ndig gets the digits before the point. */
static int decimal_syntax(const char *s, int allow_point, size_t *ndig)
{
	size_t n = 0;
	if (*s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		n++;
	*ndig = n;
	if (!n)
		return 0;
	if (*s == '.' && allow_point) {
		if (!(s[1] >= '0' && s[1] <= '9'))
			return 0;
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	return *s == '\0';
}

/* Display width of a number with thousands separators and decimals. */
static size_t num_width(size_t ndig, int neg, int places, int group)
{
	return ndig + (group && ndig ? (ndig - 1) / 3 : 0) + (size_t)neg +
	       (places > 0 ? (size_t)places + 1 : 0);
}

static int bad_cell(hf_xlsx_writer *w, int col, const char *v,
		    const char *de_what, const char *en_what, hf_error *err)
{
	char where[HF_ERROR_WHERE_MAX];
	int en = err && err->lang == HF_LANG_EN;
	snprintf(where, sizeof where, "%s %s, %s %lu, %s %d",
		 en ? "sheet" : "Blatt", w->sheet, en ? "row" : "Zeile",
		 (unsigned long)w->row + 1, en ? "column" : "Spalte", col + 1);
	return hf_error_set(err, HF_EINVAL, where, "„%s“ ist %s.",
			    "\"%s\" is %s.", v, en ? en_what : de_what);
}

static int convert(hf_xlsx_writer *w, int i, const char *v, pcell *c,
		   hf_error *err)
{
	const hf_xlsx_column *col = &w->cols[i];
	char buf[80];
	size_t nd, len = strlen(v);
	int places = col->places < 0 ? 0 : col->places;

	switch (col->type) {
	case HF_XLSX_COL_TEXT:
		if (!utf8_valid(v))
			return bad_cell(w, i, v, "kein gültiges UTF-8",
					"not valid UTF-8", err);
		if (!(c->str = strdup(v)))
			return oom(err);
		c->k = K_STR;
		widen(w, i, utf8_len(v));
		return HF_OK;
	case HF_XLSX_COL_INT:
		if (!decimal_syntax(v, 0, &nd) || nd > 15)
			return bad_cell(w, i, v, "keine ganze Zahl",
					"not a whole number", err);
		c->num = strtod_l(v, NULL, w->c_locale);
		widen(w, i, num_width(nd, *v == '-', 0, col->places >= 0));
		break;
	case HF_XLSX_COL_DECIMAL:
		if (!decimal_syntax(v, 1, &nd) || len > 60)
			return bad_cell(
			    w, i, v, "keine Dezimalzahl (mit Punkt)",
			    "not a decimal number (with a point)", err);
		c->num = strtod_l(v, NULL, w->c_locale);
		widen(w, i, num_width(nd, *v == '-', places, 1));
		break;
	case HF_XLSX_COL_PERCENT:
		if (!decimal_syntax(v, 1, &nd) || len > 60)
			return bad_cell(w, i, v,
					"keine Prozentzahl (mit Punkt)",
					"not a percentage (with a point)", err);
		/* the fraction, rounded once from the decimal text */
		snprintf(buf, sizeof buf, "%se-2", v);
		c->num = strtod_l(buf, NULL, w->c_locale);
		widen(w, i, num_width(nd, *v == '-', places, 0) + 2);
		break;
	case HF_XLSX_COL_DATE: {
		hf_date d;
		int y, m, dd;
		if (len != 10 || v[4] != '-' || hf_date_parse(v, &d) != HF_OK)
			return bad_cell(
			    w, i, v, "kein Datum JJJJ-MM-TT ab 1900",
			    "not a date YYYY-MM-DD from 1900 on", err);
		hf_date_split(d, &y, &m, &dd);
		memset(&c->dt, 0, sizeof c->dt);
		c->dt.year = y;
		c->dt.month = m;
		c->dt.day = dd;
		c->k = K_DATE;
		widen(w, i, 10);
		return HF_OK;
	}
	}
	c->k = K_NUM;
	return HF_OK;
}

int hf_xlsx_writer_row(hf_xlsx_writer *w, const char *const *cells,
		       hf_error *err)
{
	int i, rc;

	if (!w->ws || !w->cols)
		return hf_error_set(err, HF_EUSAGE, "",
				    "Zeile ohne Tabellenblatt.",
				    "a row without a sheet.");
	if ((rc = flush_row(w, err)) < 0)
		return rc;
	if (w->row >= 1048576)
		return hf_error_set(err, HF_ERANGE, w->sheet,
				    "Blatt %s: mehr als 1048576 Zeilen passen "
				    "nicht in Excel.",
				    "sheet %s: Excel holds at most 1048576 "
				    "rows.",
				    w->sheet);
	for (i = 0; i < w->ncols; i++) {
		if (!cells[i] || !*cells[i])
			continue;
		if ((rc = convert(w, i, cells[i], &w->pending[i], err)) < 0) {
			free_pending(w);
			return rc;
		}
	}
	w->has_pending = 1;
	return HF_OK;
}

void hf_xlsx_writer_mark_total(hf_xlsx_writer *w)
{
	if (w->has_pending)
		w->pending_total = 1;
}

int hf_xlsx_writer_about(hf_xlsx_writer *w, const char *sheet_name,
			 const char *const *keys, const char *const *values,
			 size_t n, hf_error *err)
{
	lxw_error e = LXW_NO_ERROR;
	size_t i;
	int rc;

	if (n >= 1048576)
		return hf_error_set(err, HF_ERANGE, sheet_name,
				    "Zu viele Zeilen.", "too many rows.");
	for (i = 0; i < n; i++)
		if ((keys[i] && !utf8_valid(keys[i])) ||
		    (values[i] && !utf8_valid(values[i])))
			return hf_error_set(err, HF_EINVAL, sheet_name,
					    "Zeile %zu ist kein gültiges "
					    "UTF-8.",
					    "line %zu is not valid UTF-8.",
					    i + 1);
	if ((rc = new_sheet(w, sheet_name, 2, err)) < 0)
		return rc;
	for (i = 0; i < n && e == LXW_NO_ERROR; i++) {
		const char *k = keys[i] ? keys[i] : "";
		const char *v = values[i] ? values[i] : "";
		e = write_text(w->ws, (lxw_row_t)i, 0, k, w->bold);
		if (e == LXW_NO_ERROR && *v)
			e = write_text(w->ws, (lxw_row_t)i, 1, v, NULL);
		widen(w, 0, utf8_len(k));
		widen(w, 1, utf8_len(v));
	}
	if (e != LXW_NO_ERROR)
		return lxw_fail(w, e, err);
	/* no rows follow: the sheet is done */
	return finish_sheet(w, err);
}

int hf_xlsx_writer_close(hf_xlsx_writer *w, hf_error *err)
{
	locale_t old;
	lxw_error e;
	int rc;

	if ((rc = finish_sheet(w, err)) < 0)
		goto fail;
	if (!w->wb->num_sheets) {
		rc = hf_error_set(err, HF_EUSAGE, w->path,
				  "Eine Arbeitsmappe ohne Blatt.",
				  "a workbook without a sheet.");
		goto fail;
	}
	/* libxlsxwriter prints numbers with printf: the point must be a
	 * point whatever locale the program runs in (this thread only) */
	old = uselocale(w->c_locale);
	e = workbook_close(w->wb);
	uselocale(old);
	w->wb = NULL; /* freed by workbook_close, also on failure */
	if (e != LXW_NO_ERROR) {
		rc = lxw_fail(w, e, err);
		goto fail;
	}
	if (rename(w->tmp, w->path) != 0) {
		rc = hf_error_set(
		    err, HF_EIO, w->path, "%s lässt sich nicht schreiben: %s.",
		    "cannot write %s: %s.", w->path, strerror(errno));
		goto fail;
	}
	free(w->tmp);
	w->tmp = NULL;
	hf_xlsx_writer_free(w);
	return HF_OK;
fail:
	hf_xlsx_writer_free(w);
	return rc;
}

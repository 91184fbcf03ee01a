/*
 * xlsx_sheet.c: one worksheet read whole into typed cells.
 *
 * Only non-empty cells are kept, sorted by row and column, with the index
 * of each row's first cell, so a sheet with a far-away cell costs no more
 * than its cells. Texts live in the sheet's arena, shared strings in the
 * workbook's table, which the sheet holds a reference to.
 */
#include "xlsx_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ROWS 1048576u
#define MAX_COLS 16384u

typedef struct entry {
	uint32_t row, col;
	hf_xlsx_cell cell;
} entry;

struct hf_xlsx_sheet {
	char *title;
	size_t nrows, ncols;
	entry *e;
	size_t n, cap;
	size_t *rowstart; /* nrows + 1 */
	hf__arena mem;
	hf__xlsx_sst *sst;
};

static const hf_xlsx_cell empty_cell = {HF_XLSX_EMPTY, ""};

typedef struct sheet_state {
	hf__xp xp;
	hf_xlsx_sheet *s;
	int in_data, in_c, in_is, rph;
	uint32_t row, next_col; /* current row; next positional column */
	int any_row;
	int sorted;
	/* the cell being read */
	uint32_t crow, ccol;
	char ctype;
	unsigned long style;
	int has_style, has_v, has_is;
} sheet_state;

static int oom(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
}

static int cell_fail(sheet_state *st, int code, const char *de, const char *en,
		     ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 5)))
#endif
    ;

/* An error at the current cell: "file, Blatt S, B3". */
static int cell_fail(sheet_state *st, int code, const char *de, const char *en,
		     ...)
{
	char where[HF_ERROR_WHERE_MAX], ref[24], msg[HF_ERROR_MESSAGE_MAX];
	hf_error *err = st->xp.err;
	va_list ap;

	if (st->xp.rc < 0)
		return st->xp.rc;
	hf_xlsx_cellref(st->crow, st->ccol, ref, sizeof ref);
	snprintf(where, sizeof where, "%s, %s %s, %s", st->xp.x->name,
		 err && err->lang == HF_LANG_EN ? "sheet" : "Blatt",
		 st->s->title, ref);
	va_start(ap, en);
	vsnprintf(msg, sizeof msg, err && err->lang == HF_LANG_EN ? en : de,
		  ap);
	va_end(ap);
	st->xp.rc = hf_error_set(err, code, where, "%s", "%s", msg);
	if (st->xp.p) /* NULL once the part is parsed */
		XML_StopParser(st->xp.p, XML_FALSE);
	return st->xp.rc;
}

/* "B3" -> row 2, col 1. -1 malformed, -2 outside the sheet. */
static int parse_ref(const char *r, uint32_t *row, uint32_t *col)
{
	uint32_t c = 0, w = 0;
	size_t nl = 0, nd = 0;

	for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++) {
		if (++nl > 3)
			return -2;
		c = c * 26 + (uint32_t)((*r | 0x20) - 'a' + 1);
	}
	for (; *r >= '0' && *r <= '9'; r++) {
		if (++nd > 7)
			return -2;
		w = w * 10 + (uint32_t)(*r - '0');
	}
	if (*r || !nl || !nd)
		return -1;
	if (c > MAX_COLS || w < 1 || w > MAX_ROWS)
		return -2;
	*row = w - 1;
	*col = c - 1;
	return 0;
}

static int is_number(const char *s)
{
	int digits = 0;
	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (!digits)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* ---- cells ---- */

static void add_cell(sheet_state *st, hf_xlsx_type type, const char *text)
{
	hf_xlsx_sheet *s = st->s;
	entry *e;

	if (s->n >= st->xp.x->lim.max_cells) {
		cell_fail(st, HF_ERANGE,
			  "Das Blatt hat mehr als %zu Zellen mit Inhalt.",
			  "the sheet has more than %zu non-empty cells.",
			  st->xp.x->lim.max_cells);
		return;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		entry *ne = realloc(s->e, cap * sizeof *ne);
		if (!ne) {
			st->xp.rc = oom(st->xp.err);
			XML_StopParser(st->xp.p, XML_FALSE);
			return;
		}
		s->e = ne;
		s->cap = cap;
	}
	if (s->n) {
		const entry *l = &s->e[s->n - 1];
		if (st->crow < l->row ||
		    (st->crow == l->row && st->ccol <= l->col))
			st->sorted = 0;
	}
	e = &s->e[s->n++];
	e->row = st->crow;
	e->col = st->ccol;
	e->cell.type = type;
	e->cell.text = text;
}

static const char *keep(sheet_state *st, const char *t, size_t n)
{
	const char *d = hf__arena_dup(&st->s->mem, t, n);
	if (!d) {
		st->xp.rc = oom(st->xp.err);
		XML_StopParser(st->xp.p, XML_FALSE);
	}
	return d;
}

static char *trim(char *t)
{
	char *e;
	while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
		t++;
	e = t + strlen(t);
	while (e > t && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = '\0';
	return t;
}

static void finish_cell(sheet_state *st)
{
	hf_xlsx *x = st->xp.x;
	char *v = st->xp.text ? st->xp.text : (char *)"";
	const char *t;
	char iso[32];
	unsigned long idx;

	if (st->ctype == 'i' ? !st->has_is : !st->has_v)
		return; /* styled but empty */
	switch (st->ctype) {
	case 's':
		v = trim(v);
		if (hf__xp_ulong(v, 0xFFFFFFFFUL, &idx) || idx >= x->sst->n) {
			cell_fail(st, HF_EPARSE,
				  "Verweis auf gemeinsamen Text „%s“ gibt es "
				  "nicht (%zu Texte).",
				  "shared string reference \"%s\" does not "
				  "exist (%zu strings).",
				  v, x->sst->n);
			return;
		}
		if (*x->sst->s[idx])
			add_cell(st, HF_XLSX_STRING, x->sst->s[idx]);
		return;
	case 'S':
	case 'i':
		hf__xp_text_unescape(&st->xp);
		if (st->xp.tlen && (t = keep(st, v, st->xp.tlen)))
			add_cell(st, HF_XLSX_STRING, t);
		return;
	case 'e':
		v = trim(v);
		if (*v && (t = keep(st, v, strlen(v))))
			add_cell(st, HF_XLSX_ERROR, t);
		return;
	case 'b':
		v = trim(v);
		if (!strcmp(v, "1") || !strcmp(v, "true"))
			add_cell(st, HF_XLSX_BOOL, "1");
		else if (!strcmp(v, "0") || !strcmp(v, "false"))
			add_cell(st, HF_XLSX_BOOL, "0");
		else
			cell_fail(st, HF_EPARSE, "„%s“ ist kein Wahrheitswert.",
				  "\"%s\" is not a boolean.", v);
		return;
	case 'd':
		v = trim(v);
		if (!*v)
			return;
		if (hf__xlsx_iso_normalise(v, iso, sizeof iso) == 0) {
			if ((t = keep(st, iso, strlen(iso))))
				add_cell(st, HF_XLSX_DATE, t);
		} else if ((t = keep(st, v, strlen(v)))) {
			add_cell(st, HF_XLSX_STRING, t);
		}
		return;
	default:
		v = trim(v);
		if (!*v)
			return;
		if (!is_number(v)) {
			cell_fail(st, HF_EPARSE, "„%s“ ist keine Zahl.",
				  "\"%s\" is not a number.", v);
			return;
		}
		if (st->has_style && st->style < x->nxf &&
		    x->xf_date[st->style] &&
		    hf__xlsx_serial_to_iso(v, x->date1904, iso, sizeof iso) ==
			0) {
			if ((t = keep(st, iso, strlen(iso))))
				add_cell(st, HF_XLSX_DATE, t);
		} else if ((t = keep(st, v, strlen(v)))) {
			add_cell(st, HF_XLSX_NUMBER, t);
		}
		return;
	}
}

static void start_cell(sheet_state *st, const char **atts)
{
	const char *r = hf__xp_attr(atts, "r");
	const char *t = hf__xp_attr(atts, "t");
	const char *s = hf__xp_attr(atts, "s");

	st->in_c = 1;
	st->has_v = st->has_is = 0;
	st->in_is = st->rph = 0;
	hf__xp_text_reset(&st->xp);
	if (r) {
		int rc = parse_ref(r, &st->crow, &st->ccol);
		if (rc < 0) {
			st->crow = st->row;
			st->ccol = st->next_col < MAX_COLS ? st->next_col : 0;
			cell_fail(st, HF_EPARSE,
				  rc == -1 ? "Zellbezug „%s“ ist ungültig."
					   : "Zellbezug „%s“ liegt außerhalb "
					     "des Blatts (größter: "
					     "XFD1048576).",
				  rc == -1 ? "cell reference \"%s\" is "
					     "malformed."
					   : "cell reference \"%s\" is outside "
					     "the sheet (largest: "
					     "XFD1048576).",
				  r);
			return;
		}
	} else {
		st->crow = st->row;
		st->ccol = st->next_col;
		if (st->ccol >= MAX_COLS) {
			st->ccol = MAX_COLS - 1;
			cell_fail(st, HF_EPARSE,
				  "Zu viele Zellen in Zeile %lu (höchstens "
				  "%u).",
				  "too many cells in row %lu (at most %u).",
				  (unsigned long)st->row + 1, MAX_COLS);
			return;
		}
	}
	st->next_col = st->ccol + 1;
	st->ctype = 'n';
	if (t) {
		if (!strcmp(t, "s"))
			st->ctype = 's';
		else if (!strcmp(t, "str"))
			st->ctype = 'S';
		else if (!strcmp(t, "inlineStr"))
			st->ctype = 'i';
		else if (!strcmp(t, "b"))
			st->ctype = 'b';
		else if (!strcmp(t, "e"))
			st->ctype = 'e';
		else if (!strcmp(t, "d"))
			st->ctype = 'd';
		else if (strcmp(t, "n"))
			cell_fail(st, HF_EPARSE, "Unbekannter Zelltyp „%s“.",
				  "unknown cell type \"%s\".", t);
	}
	st->has_style = s && !hf__xp_ulong(s, 0xFFFFFFFFUL, &st->style);
}

static void start_row(sheet_state *st, const char **atts)
{
	const char *r = hf__xp_attr(atts, "r");
	unsigned long n;

	if (r) {
		if (hf__xp_ulong(r, MAX_ROWS, &n) || n < 1) {
			hf__xp_fail(&st->xp, HF_EPARSE,
				    "Zeilennummer „%s“ ist ungültig (1 bis "
				    "%u).",
				    "row number \"%s\" is invalid (1 to %u).",
				    r, MAX_ROWS);
			return;
		}
		st->row = (uint32_t)(n - 1);
	} else if (st->any_row) {
		if (st->row + 1 >= MAX_ROWS) {
			hf__xp_fail(&st->xp, HF_EPARSE, "Mehr als %u Zeilen.",
				    "more than %u rows.", MAX_ROWS);
			return;
		}
		st->row++;
	}
	st->any_row = 1;
	st->next_col = 0;
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	sheet_state *st = ud;
	const char *l = hf__xp_local(name);

	if (st->xp.rc < 0)
		return;
	if (!st->in_data) {
		if (!strcmp(l, "sheetData"))
			st->in_data = 1;
		return;
	}
	if (!st->in_c) {
		if (!strcmp(l, "row"))
			start_row(st, atts);
		else if (!strcmp(l, "c"))
			start_cell(st, atts);
		return;
	}
	if (!strcmp(l, "v")) {
		st->has_v = 1;
		hf__xp_text_reset(&st->xp);
		st->xp.collect = 1;
	} else if (!strcmp(l, "is")) {
		st->in_is = st->has_is = 1;
		hf__xp_text_reset(&st->xp);
	} else if (st->in_is && !strcmp(l, "rPh")) {
		st->rph++;
	} else if (st->in_is && !st->rph && !strcmp(l, "t")) {
		st->xp.collect = 1;
	}
}

static void sheet_end(void *ud, const XML_Char *name)
{
	sheet_state *st = ud;
	const char *l = hf__xp_local(name);

	if (st->xp.rc < 0 || !st->in_data)
		return;
	if (!strcmp(l, "sheetData")) {
		st->in_data = 0;
	} else if (!st->in_c) {
		return;
	} else if (!strcmp(l, "c")) {
		st->xp.collect = 0;
		st->in_c = 0;
		finish_cell(st);
	} else if (!strcmp(l, "v") || !strcmp(l, "t")) {
		st->xp.collect = 0;
	} else if (!strcmp(l, "rPh")) {
		if (st->rph)
			st->rph--;
	} else if (!strcmp(l, "is")) {
		st->in_is = 0;
	}
}

static int entry_cmp(const void *a, const void *b)
{
	const entry *p = a, *q = b;
	if (p->row != q->row)
		return p->row < q->row ? -1 : 1;
	return p->col < q->col ? -1 : p->col > q->col;
}

/* Sorts the cells, refuses a cell given twice and indexes the rows. */
static int index_cells(sheet_state *st)
{
	hf_xlsx_sheet *s = st->s;
	size_t i, r;

	if (!st->sorted)
		qsort(s->e, s->n, sizeof *s->e, entry_cmp);
	for (i = 1; i < s->n; i++)
		if (s->e[i].row == s->e[i - 1].row &&
		    s->e[i].col == s->e[i - 1].col) {
			st->crow = s->e[i].row;
			st->ccol = s->e[i].col;
			return cell_fail(st, HF_EPARSE,
					 "Die Zelle kommt zweimal vor.",
					 "the cell occurs twice.");
		}
	s->nrows = s->n ? (size_t)s->e[s->n - 1].row + 1 : 0;
	for (i = 0; i < s->n; i++)
		if (s->e[i].col + (size_t)1 > s->ncols)
			s->ncols = s->e[i].col + (size_t)1;
	/* callers walk the whole rectangle: a lone far cell must not make
	 * them visit billions of empty ones */
	if (s->nrows && s->ncols > st->xp.x->lim.max_cells / s->nrows) {
		char ref[24];
		hf_xlsx_cellref(s->nrows - 1, s->ncols - 1, ref, sizeof ref);
		st->crow = (uint32_t)(s->nrows - 1);
		st->ccol = (uint32_t)(s->ncols - 1);
		return cell_fail(st, HF_ERANGE,
				 "Das Blatt reicht bis %s (%zu Zeilen × %zu "
				 "Spalten), mehr als %zu Zellen.",
				 "the sheet reaches %s (%zu rows × %zu "
				 "columns), more than %zu cells.",
				 ref, s->nrows, s->ncols,
				 st->xp.x->lim.max_cells);
	}
	if (!(s->rowstart = malloc((s->nrows + 1) * sizeof *s->rowstart)))
		return oom(st->xp.err);
	for (i = 0, r = 0; r <= s->nrows; r++) {
		while (i < s->n && s->e[i].row < r)
			i++;
		s->rowstart[r] = i;
	}
	return HF_OK;
}

static size_t find_sheet(const hf_xlsx *x, const char *name)
{
	size_t i;
	if (!name)
		return 0;
	for (i = 0; i < x->nsheets; i++)
		if (!strcmp(x->sheets[i].name, name))
			return i;
	for (i = 0; i < x->nsheets; i++)
		if (!strcasecmp(x->sheets[i].name, name))
			return i;
	return x->nsheets;
}

static int unknown_sheet(const hf_xlsx *x, const char *name, hf_error *err)
{
	char list[600];
	size_t i, len = 0;
	int en = err && err->lang == HF_LANG_EN;

	list[0] = '\0';
	for (i = 0; i < x->nsheets && len < sizeof list; i++) {
		int n = snprintf(list + len, sizeof list - len, "%s%s%s%s",
				 i ? ", " : "", en ? "\"" : "„",
				 x->sheets[i].name, en ? "\"" : "“");
		if (n < 0)
			break;
		len += (size_t)n;
	}
	return hf_error_set(err, HF_ENOTFOUND, x->name,
			    "Blatt „%s“ gibt es in %s nicht; es gibt: %s.",
			    "there is no sheet \"%s\" in %s; there are: %s.",
			    name, x->name, list);
}

int hf_xlsx_sheet_read(hf_xlsx *x, const char *name, hf_xlsx_sheet **out,
		       hf_error *err)
{
	sheet_state st;
	hf__xlsx_sheetref *ref;
	hf_xlsx_sheet *s;
	size_t i = find_sheet(x, name);
	int rc;

	*out = NULL;
	if (i >= x->nsheets)
		return unknown_sheet(x, name ? name : "", err);
	ref = &x->sheets[i];
	if (ref->is_chart)
		return hf_error_set(err, HF_EINVAL, x->name,
				    "Blatt „%s“ in %s ist ein Diagramm, keine "
				    "Tabelle.",
				    "sheet \"%s\" in %s is a chart, not a "
				    "table.",
				    ref->name, x->name);
	if (!ref->part)
		return hf_error_set(err, HF_EPARSE, x->name,
				    "%s ist beschädigt: zu Blatt „%s“ fehlt "
				    "der Verweis auf seinen Inhalt.",
				    "%s is damaged: the reference to the "
				    "content of sheet \"%s\" is missing.",
				    x->name, ref->name);
	if ((rc = hf__xlsx_load_aux(x, err)) < 0)
		return rc;
	if (!(s = calloc(1, sizeof *s)) || !(s->title = strdup(ref->name))) {
		free(s);
		return oom(err);
	}
	s->sst = x->sst;
	__atomic_add_fetch(&s->sst->refs, 1, __ATOMIC_ACQ_REL);
	memset(&st, 0, sizeof st);
	st.s = s;
	st.sorted = 1;
	rc = hf__xlsx_parse(x, ref->part, 0, &st.xp, sheet_start, sheet_end,
			    err);
	if (rc == HF_OK)
		rc = index_cells(&st);
	if (rc < 0) {
		hf_xlsx_sheet_free(s);
		return rc;
	}
	*out = s;
	return HF_OK;
}

void hf_xlsx_sheet_free(hf_xlsx_sheet *s)
{
	if (!s)
		return;
	hf__xlsx_sst_unref(s->sst);
	hf__arena_free(&s->mem);
	free(s->e);
	free(s->rowstart);
	free(s->title);
	free(s);
}

const char *hf_xlsx_sheet_title(const hf_xlsx_sheet *s)
{
	return s->title;
}

size_t hf_xlsx_sheet_nrows(const hf_xlsx_sheet *s)
{
	return s->nrows;
}

size_t hf_xlsx_sheet_ncols(const hf_xlsx_sheet *s)
{
	return s->ncols;
}

const hf_xlsx_cell *hf_xlsx_sheet_cell(const hf_xlsx_sheet *s, size_t row,
				       size_t col)
{
	size_t lo, hi;

	if (row >= s->nrows || col >= s->ncols)
		return NULL;
	lo = s->rowstart[row];
	hi = s->rowstart[row + 1];
	/* a row without gaps: the cell is at its column */
	if (lo + col < hi && s->e[lo + col].col == col)
		return &s->e[lo + col].cell;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->e[mid].col == col)
			return &s->e[mid].cell;
		if (s->e[mid].col < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &empty_cell;
}

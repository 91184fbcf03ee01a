/*
 * io.c: the parts of import and export every format shares: kinds and
 * dialects by name, the issue list with its places, the header mapped to
 * a kind's columns, rows handed to the kind, and the value formats.
 */
#include "io_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names -------------------------------------------------------- */

int hf_io_kind_parse(const char *s, hf_io_kind *out)
{
	int k;

	for (k = 0; k < HF_IO_KIND_COUNT; k++) {
		const hf__io_spec *sp = hf__io_spec_of((hf_io_kind)k);
		if (s && (!strcmp(s, sp->slug) || !strcmp(s, sp->slug_de))) {
			*out = (hf_io_kind)k;
			return HF_OK;
		}
	}
	return HF_EINVAL;
}

const char *hf_io_kind_slug(hf_io_kind k)
{
	if ((unsigned)k >= HF_IO_KIND_COUNT)
		return NULL;
	return hf__io_spec_of(k)->slug;
}

int hf_io_format_parse(const char *s, hf_io_format *out)
{
	static const char *const names[] = {"auto", "csv", "json", "xlsx"};
	int i;

	for (i = 0; i < 4; i++)
		if (s && !strcmp(s, names[i])) {
			*out = (hf_io_format)i;
			return HF_OK;
		}
	return HF_EINVAL;
}

int hf_dialect_parse(const char *s, hf_dialect *out)
{
	int i;

	for (i = 0; i < 3; i++)
		if (s && !strcmp(s, hf_dialect_slug((hf_dialect)i))) {
			*out = (hf_dialect)i;
			return HF_OK;
		}
	return HF_EINVAL;
}

const char *hf_dialect_slug(hf_dialect d)
{
	switch (d) {
	case HF_DIALECT_EXCEL:
		return "excel";
	case HF_DIALECT_TOOL:
		return "tool";
	default:
		return "auto";
	}
}

hf_import_options hf_import_options_default(void)
{
	hf_import_options o;

	memset(&o, 0, sizeof o);
	o.user = "hafen";
	return o;
}

void hf_import_result_clear(hf_import_result *r)
{
	if (!r)
		return;
	free(r->issues);
	memset(r, 0, sizeof *r);
}

/* ---- issues ------------------------------------------------------- */

void hf__io_shorten(const char *v, char *buf, size_t size)
{
	size_t n = 0, chars = 0;

	while (v[n] && chars < 60) {
		n++;
		while (((unsigned char)v[n] & 0xC0) == 0x80)
			n++;
		chars++;
	}
	if (!v[n])
		snprintf(buf, size, "%s", v);
	else
		snprintf(buf, size, "%.*s… (%zu Bytes)", (int)n, v, strlen(v));
}

/* Column letters of a sheet: 0 is A, 26 is AA. */
static void col_letters(size_t c, char *buf)
{
	char tmp[8];
	int n = 0, i;

	c++;
	while (c && n < 7) {
		tmp[n++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

static void place(hf__io *io, long row, const char *colname, long srccol,
		  char *buf, size_t size)
{
	int en = io->lang == HF_LANG_EN;
	size_t l;

	if (io->src == HF__SRC_XLSX && io->sheet)
		snprintf(buf, size, "%s, %s %s", io->file,
			 en ? "sheet" : "Blatt", io->sheet);
	else
		snprintf(buf, size, "%s", io->file);
	l = strlen(buf);
	if (row > 0) {
		const char *w = "Zeile";
		if (io->src == HF__SRC_JSON)
			w = en ? "entry" : "Eintrag";
		else if (en)
			w = io->src == HF__SRC_XLSX ? "row" : "line";
		snprintf(buf + l, size - l, ", %s %ld", w, row);
		l = strlen(buf);
	}
	if (!colname)
		return;
	if (io->src == HF__SRC_JSON) {
		snprintf(buf + l, size - l, ", %s %s", en ? "field" : "Feld",
			 colname);
	} else if (io->src == HF__SRC_XLSX) {
		char letters[8];
		col_letters((size_t)srccol, letters);
		if (row > 0)
			snprintf(buf + l, size - l, ", %s %s (%s%ld)",
				 en ? "column" : "Spalte", colname, letters,
				 row);
		else
			snprintf(buf + l, size - l, ", %s %s (%s)",
				 en ? "column" : "Spalte", colname, letters);
	} else {
		snprintf(buf + l, size - l, ", %s %s (%ld)",
			 en ? "column" : "Spalte", colname, srccol + 1);
	}
}

static void add_issue(hf__io *io, long row, const char *colname, long srccol,
		      long chr, const char *de, const char *en, va_list ap)
{
	hf_import_result *r = io->res;
	hf_io_issue *is;

	if (r->nissues >= io->limit) {
		r->more++;
		return;
	}
	if (!r->issues &&
	    !(r->issues = calloc(io->limit ? io->limit : 1, sizeof *is))) {
		r->more++;
		return;
	}
	is = &r->issues[r->nissues++];
	place(io, row, colname, srccol, is->where, sizeof is->where);
	if (chr > 0) {
		size_t l = strlen(is->where);
		snprintf(is->where + l, sizeof is->where - l, ", %s %ld",
			 io->lang == HF_LANG_EN ? "character" : "Zeichen", chr);
	}
	is->row = row;
	snprintf(is->sheet, sizeof is->sheet, "%s",
		 io->src == HF__SRC_XLSX && io->sheet ? io->sheet : "");
	snprintf(is->column, sizeof is->column, "%s", colname ? colname : "");
	snprintf(is->value, sizeof is->value, "%s",
		 io->cur_value ? io->cur_value : "");
	snprintf(is->expected, sizeof is->expected, "%s",
		 io->cur_expected ? io->cur_expected : "");
	io->cur_value = io->cur_expected = NULL;
	vsnprintf(is->message, sizeof is->message,
		  io->lang == HF_LANG_EN ? en : de, ap);
}

void hf__io_issue(hf__io *io, long row, int col, const char *de, const char *en,
		  ...)
{
	va_list ap;
	const char *name = NULL;
	long src = -1;

	if (col >= 0) {
		src = io->map[col];
		if (src >= 0 && (size_t)src < io->nsrc)
			name = io->srcname[src];
		else
			name = io->lang == HF_LANG_EN ? io->spec->cols[col].en
						      : io->spec->cols[col].de;
	}
	va_start(ap, en);
	add_issue(io, row, name, src, 0, de, en, ap);
	va_end(ap);
}

void hf__io_issue_src(hf__io *io, long row, size_t srccol, const char *de,
		      const char *en, ...)
{
	va_list ap;

	va_start(ap, en);
	add_issue(io, row, srccol < io->nsrc ? io->srcname[srccol] : "?",
		  (long)srccol, 0, de, en, ap);
	va_end(ap);
}

void hf__io_issue_char(hf__io *io, long row, long chr, const char *de,
		       const char *en, ...)
{
	va_list ap;

	va_start(ap, en);
	add_issue(io, row, NULL, -1, chr, de, en, ap);
	va_end(ap);
}

/* ---- the header --------------------------------------------------- */

/* A column name compared without case, spaces, '_', '-' and '.'; the
 * German capitals Ä, Ö, Ü as their small letters. */
static void norm(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;

	for (; *p && n + 2 < size; p++) {
		if (*p == ' ' || *p == '_' || *p == '-' || *p == '.' ||
		    *p == '\t')
			continue;
		if (p[0] == 0xC3 &&
		    (p[1] == 0x84 || p[1] == 0x96 || p[1] == 0x9C)) {
			buf[n++] = (char)0xC3;
			buf[n++] = (char)(p[1] + 0x20);
			p++;
			continue;
		}
		buf[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	}
	buf[n] = '\0';
}

static int same(const char *a_norm, const char *name)
{
	char b[128];

	if (!name)
		return 0;
	norm(name, b, sizeof b);
	return !strcmp(a_norm, b);
}

static void free_header(hf__io *io)
{
	size_t i;

	for (i = 0; i < io->nsrc; i++)
		free(io->srcname[i]);
	free(io->srcname);
	free(io->extra);
	io->srcname = NULL;
	io->extra = NULL;
	io->nsrc = 0;
}

static void expected_columns(const hf__io_spec *sp, hf_lang lang, char *buf,
			     size_t size)
{
	size_t l = 0;
	int c;

	buf[0] = '\0';
	for (c = 0; c < sp->ncols && l + 1 < size; c++) {
		snprintf(buf + l, size - l, "%s%s (%s)", c ? ", " : "",
			 lang == HF_LANG_EN ? sp->cols[c].en : sp->cols[c].de,
			 lang == HF_LANG_EN ? sp->cols[c].de : sp->cols[c].en);
		l = strlen(buf);
	}
	if (sp->prefix && l + 1 < size)
		snprintf(buf + l, size - l, ", %sNAME", sp->prefix);
}

int hf__io_header(hf__io *io, long row, char *const *names, size_t n)
{
	const hf__io_spec *sp = io->spec;
	char nm[128], exp[900];
	size_t i;
	int c, bad = 0, any = 0;

	free_header(io);
	for (c = 0; c < HF__IO_MAXCOLS; c++)
		io->map[c] = -1;
	io->srcname = calloc(n ? n : 1, sizeof *io->srcname);
	io->extra = calloc(n ? n : 1, sizeof *io->extra);
	if (!io->srcname || !io->extra)
		return HF_ENOMEM;
	io->nsrc = n;
	for (i = 0; i < n; i++)
		if (!(io->srcname[i] = strdup(names[i])))
			return HF_ENOMEM;
	expected_columns(sp, io->lang, exp, sizeof exp);
	for (i = 0; i < n; i++) {
		io->extra[i] = -1;
		norm(names[i], nm, sizeof nm);
		if (!nm[0])
			continue; /* an empty heading: Excel's trailing ;;; */
		any = 1;
		if (sp->prefix &&
		    !strncmp(nm, sp->prefix, strlen(sp->prefix)) &&
		    nm[strlen(sp->prefix)]) {
			io->extra[i] = 1;
			continue;
		}
		for (c = 0; c < sp->ncols; c++)
			if (same(nm, sp->cols[c].en) ||
			    same(nm, sp->cols[c].de) ||
			    same(nm, sp->cols[c].alias))
				break;
		if (c == sp->ncols) {
			char v[128];
			hf__io_shorten(names[i], v, sizeof v);
			hf__io_issue_src(
			    io, row, i, "unbekannte Spalte »%s«; erwartet: %s.",
			    "unknown column '%s'; expected: %s.", v, exp);
			bad = 1;
			continue;
		}
		if (io->map[c] >= 0) {
			hf__io_issue_src(io, row, i,
					 "Spalte »%s« steht doppelt (auch "
					 "Spalte %d).",
					 "column '%s' appears twice (also "
					 "column %d).",
					 names[i], io->map[c] + 1);
			bad = 1;
			continue;
		}
		io->map[c] = (int)i;
	}
	if (!any) {
		hf__io_issue(io, row, -1,
			     "keine Kopfzeile: erwartet werden die Spalten %s.",
			     "no header row: the columns expected are %s.",
			     exp);
		return -1;
	}
	for (c = 0; c < sp->ncols; c++)
		if ((sp->cols[c].flags & HF__C_REQ) && io->map[c] < 0) {
			hf__io_issue(io, row, -1,
				     "Spalte %s (%s) fehlt; sie ist nötig.",
				     "column %s (%s) is missing; it is "
				     "required.",
				     io->lang == HF_LANG_EN ? sp->cols[c].en
							    : sp->cols[c].de,
				     io->lang == HF_LANG_EN ? sp->cols[c].de
							    : sp->cols[c].en);
			bad = 1;
		}
	io->header_ok = !bad;
	return bad ? -1 : 0;
}

int hf__io_feed(hf__io *io, long row, char *const *cells, size_t n)
{
	hf__io_row r;
	size_t i;
	int c, empty = 1;

	if (!io->header_ok)
		return HF_OK;
	for (i = 0; i < n && empty; i++)
		empty = !cells[i][0];
	if (empty)
		return HF_OK;
	r.row = row;
	r.cells = cells;
	r.ncells = n;
	for (c = 0; c < HF__IO_MAXCOLS; c++)
		r.v[c] = c < io->spec->ncols && io->map[c] >= 0 &&
				 (size_t)io->map[c] < n
			     ? cells[io->map[c]]
			     : NULL;
	io->rows++;
	return hf__kind_row(io, &r);
}

void hf__io_header_free(hf__io *io)
{
	free_header(io);
}

/* ---- values ------------------------------------------------------- */

int hf__io_number_plain(const char *s, char *buf, size_t size)
{
	char digits[64];
	int nd = 0, point = -1, exp = 0, neg = 0, i, pos;
	size_t l = 0;
	const char *p = s;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p && *p != 'e' && *p != 'E'; p++) {
		if (*p == '.' && point < 0) {
			point = nd;
			continue;
		}
		if (*p < '0' || *p > '9' || nd >= 40)
			return -1;
		digits[nd++] = *p;
	}
	if (!nd)
		return -1;
	if (*p) {
		char *end;
		long e = strtol(p + 1, &end, 10);
		if (*end || end == p + 1 || e > 30 || e < -30)
			return -1;
		exp = (int)e;
	}
	if (point < 0)
		point = nd;
	pos = point + exp; /* digits before the decimal point */
	if (neg && l + 1 < size)
		buf[l++] = '-';
	if (pos <= 0) {
		buf[l++] = '0';
		if (l + 1 < size)
			buf[l++] = '.';
		for (i = 0; i < -pos && l + 1 < size; i++)
			buf[l++] = '0';
		for (i = 0; i < nd && l + 1 < size; i++)
			buf[l++] = digits[i];
	} else {
		for (i = 0; i < pos && l + 1 < size; i++)
			buf[l++] = i < nd ? digits[i] : '0';
		if (pos < nd) {
			if (l + 1 < size)
				buf[l++] = '.';
			for (i = pos; i < nd && l + 1 < size; i++)
				buf[l++] = digits[i];
		}
	}
	buf[l] = '\0';
	/* "4.000" as "4", "0.10" as "0.1" */
	if (strchr(buf, '.')) {
		while (l > 0 && buf[l - 1] == '0')
			buf[--l] = '\0';
		if (l > 0 && buf[l - 1] == '.')
			buf[--l] = '\0';
	}
	/* leading zeros of the integer part */
	{
		size_t st = buf[0] == '-' ? 1 : 0, z = st;
		while (buf[z] == '0' && buf[z + 1] && buf[z + 1] != '.')
			z++;
		if (z > st)
			memmove(buf + st, buf + z, strlen(buf + z) + 1);
	}
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
	return l + 1 < size ? 0 : -1;
}

static int two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int hf__io_parse_time(const char *s, int64_t *out)
{
	char date[16];
	const char *t;
	hf_date d;
	int h, m, sec = 0;
	size_t dl;

	if (!*s)
		return -1;
	if (hf_int_parse(s, out) == HF_OK)
		return 0;
	t = strpbrk(s, "T ");
	if (!t)
		return -1;
	dl = (size_t)(t - s);
	if (dl >= sizeof date)
		return -1;
	memcpy(date, s, dl);
	date[dl] = '\0';
	if (hf_date_parse(date, &d) < 0)
		return -1;
	t++;
	if ((h = two(t)) < 0 || t[2] != ':' || (m = two(t + 3)) < 0)
		return -1;
	t += 5;
	if (*t == ':') {
		if ((sec = two(t + 1)) < 0)
			return -1;
		t += 3;
	}
	if (*t == 'Z')
		t++;
	if (*t || h > 23 || m > 59 || sec > 60)
		return -1;
	*out = (int64_t)d * 86400 + h * 3600 + m * 60 + sec;
	return 0;
}

void hf__io_format_time(int64_t t, char buf[32])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rest = t - days * 86400;
	char d[11];

	if (days < -25567 || days > 2932896) { /* outside 1900..9999 */
		snprintf(buf, 32, "%lld", (long long)t);
		return;
	}
	hf_date_format((hf_date)days, d);
	snprintf(buf, 32, "%sT%02d:%02d:%02dZ", d, (int)(rest / 3600),
		 (int)(rest / 60 % 60), (int)(rest % 60));
}

void hf__io_format_rat(hf_rat r, char sep, char *buf, size_t size)
{
	int64_t d = r.den;
	int twos = 0, fives = 0, places;

	while (d % 2 == 0) {
		d /= 2;
		twos++;
	}
	while (d % 5 == 0) {
		d /= 5;
		fives++;
	}
	places = twos > fives ? twos : fives;
	if (d == 1 && places <= 12 &&
	    hf_rat_format_decimal(r, places, sep, buf, size) >= 0)
		return;
	hf_rat_format(r, buf, size);
}

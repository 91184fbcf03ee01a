/*
 * io_match.c: the two kinds hafen match reads (households, match units),
 * checked and written as its normalised CSV: UTF-8, comma, English
 * column names, lists joined by '|', pseudonymous ids, whole numbers
 * where numbers are meant, "use:NAME" / "cap:NAME" columns passed on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hafen/csv.h"
#include "io_kinds_int.h"

#define KC(io) ((hf__kc *)(io)->kc)

/* ---- the match kinds: cells normalised --------------------------- */

/* A list cell: items separated by '|' (or ',' where there is no '|'),
 * trimmed, empty ones dropped, joined by '|'. ints: each a whole number
 * in [0, 150]; *count receives the number of items. */
static char *norm_list(hf__io *io, const hf__io_row *r, int c, int ints,
		       size_t *count)
{
	const char *v = r->v[c], *p;
	char sep, *out, *o;
	size_t len;

	*count = 0;
	if (!v)
		return strdup("");
	len = strlen(v);
	if (!(out = malloc(len + 1)))
		return NULL;
	sep = strchr(v, '|') ? '|' : ',';
	o = out;
	p = v;
	while (*p) {
		const char *e = strchr(p, sep), *a, *b;
		if (!e)
			e = p + strlen(p);
		a = p;
		b = e;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a) {
			if (ints) {
				char num[24];
				int64_t x;
				size_t l = (size_t)(b - a);
				if (l >= sizeof num ||
				    (memcpy(num, a, l), num[l] = '\0',
				     hf_int_parse(num, &x) < 0) ||
				    x < 0 || x > 150) {
					hf__bad(io, r, c, v,
						"Alter als ganze Zahlen 0 bis "
						"150, getrennt durch |",
						"ages as whole numbers 0 to "
						"150, separated by |");
					free(out);
					return (char *)-1;
				}
			}
			if (o != out)
				*o++ = '|';
			memcpy(o, a, (size_t)(b - a));
			o += b - a;
			(*count)++;
		}
		p = *e ? e + 1 : e;
	}
	*o = '\0';
	return out;
}

int hf__match_row(hf__io *io, const hf__io_row *r)
{
	hf__kc *k = KC(io);
	int hh = io->spec->kind == HF_IO_HOUSEHOLDS;
	int nspec = io->spec->ncols, c, bad = 0;
	char **cells;
	int64_t x, persons = 0, capacity = 0, mn = 0, mx = -1;
	size_t i, nages = 0, cnt;

	if (!k->ncols) {
		k->ncols = nspec;
		for (i = 0; i < io->nsrc; i++)
			k->ncols += io->extra[i] >= 0;
	}
	if (hf__kind_room(k, io->spec->kind) < 0)
		return HF_ENOMEM;
	cells = &k->cells[k->n * (size_t)k->ncols];
	memset(cells, 0, (size_t)k->ncols * sizeof *cells);
	for (c = 0; c < nspec; c++) {
		const hf__io_col *col = &io->spec->cols[c];
		char *v = NULL;
		if (col->type == HF__T_LIST) {
			v = norm_list(io, r, c, hh && c == H_AGES, &cnt);
			if (v == (char *)-1) {
				bad = 1;
				v = NULL;
			} else if (hh && c == H_AGES) {
				nages = cnt;
			}
		} else if (col->type == HF__T_INT) {
			int rc = hf__int(
			    io, r, c, c == (hh ? H_PERSONS : -1) ? 1 : 0, &x);
			if (rc < 0)
				bad = 1;
			if (rc == 0) {
				char b[24];
				snprintf(b, sizeof b, "%lld", (long long)x);
				v = strdup(b);
				if (hh)
					persons = x;
				else if (c == M_CAPACITY)
					capacity = x;
				else if (c == M_MIN)
					mn = x;
				else if (c == M_MAX)
					mx = x;
			} else {
				v = strdup("");
			}
		} else {
			const char *t = hf__cell(io, r, c);
			if (!t && (col->flags & HF__C_REQ))
				bad = 1;
			else if (t && !hf_household_id_ok(t)) {
				hf__bad(io, r, c, t,
					hh ? "eine pseudonyme Kennung "
					     "(Buchstaben, Ziffern, . _ : -), "
					     "nie einen Namen"
					   : "einen Code aus Buchstaben, "
					     "Ziffern, . _ : -",
					hh ? "a pseudonymous id (letters, "
					     "digits, . _ : -), never a name"
					   : "a code of letters, digits, "
					     ". _ : -");
				bad = 1;
			}
			v = strdup(t ? t : "");
		}
		if (!v && !bad)
			return HF_ENOMEM;
		cells[c] = v;
	}
	for (i = 0, c = nspec; i < io->nsrc; i++) {
		const char *v;
		if (io->extra[i] < 0)
			continue;
		v = i < r->ncells ? r->cells[i] : "";
		if (*v && (hf_int_parse(v, &x) < 0 || x < 0)) {
			char s[128];
			hf__io_shorten(v, s, sizeof s);
			hf__io_issue_src(io, r->row, i,
					 "»%s«: erwartet eine ganze Zahl ab 0.",
					 "'%s': expected a whole number of at "
					 "least 0.",
					 s);
			bad = 1;
		}
		if (!(cells[c++] = strdup(v)))
			return HF_ENOMEM;
	}
	if (!bad && hh && nages && nages != (size_t)persons) {
		hf__io_issue(io, r->row, H_AGES,
			     "%zu Alter für %lld Personen; die Zahl muss "
			     "gleich sein.",
			     "%zu ages for %lld persons; the counts must be "
			     "equal.",
			     nages, (long long)persons);
		bad = 1;
	}
	if (!bad && !hh) {
		if (mx < 0)
			mx = capacity;
		if (mn > mx) {
			hf__io_issue(io, r->row, M_MIN,
				     "Minimum %lld liegt über dem Maximum "
				     "%lld.",
				     "minimum %lld is above the maximum %lld.",
				     (long long)mn, (long long)mx);
			bad = 1;
		}
	}
	k->rows[k->n++] = r->row;
	if (bad)
		k->bad = 1;
	return HF_OK;
}

/* ---- the normalised match CSV ----------------------------------- */

int hf__kind_write_match(hf__io *io, FILE *out)
{
	hf__kc *k = KC(io);
	const hf__io_spec *sp = io->spec;
	int c, first = 1, *show;
	size_t i, r;

	if (!k->ncols) {
		k->ncols = sp->ncols;
		for (i = 0; i < io->nsrc; i++)
			k->ncols += io->extra[i] >= 0;
	}
	if (!(show = calloc((size_t)k->ncols, sizeof *show)))
		return HF_ENOMEM;
	for (c = 0; c < sp->ncols; c++)
		if (io->map[c] >= 0) {
			fprintf(out, "%s%s", first ? "" : ",", sp->cols[c].en);
			show[c] = 1;
			first = 0;
		}
	for (i = 0, c = sp->ncols; i < io->nsrc; i++) {
		const char *n = io->srcname[i], *colon;
		if (io->extra[i] < 0)
			continue;
		colon = strchr(n, ':');
		fprintf(out, ",%s", sp->prefix);
		hf_csv_put_field(out, colon ? colon + 1 : n, ',', 0);
		show[c++] = 1;
	}
	fputc('\n', out);
	for (r = 0; r < k->n; r++) {
		first = 1;
		for (c = 0; c < k->ncols; c++) {
			if (!show[c])
				continue;
			if (!first)
				fputc(',', out);
			hf_csv_put_field(
			    out, k->cells[r * (size_t)k->ncols + c], ',', 0);
			first = 0;
		}
		fputc('\n', out);
	}
	free(show);
	return ferror(out) ? HF_EIO : HF_OK;
}

/* csv.c: a CSV file read whole through csvread (libcsv). */
#include "hafen/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread_int.h"
#include "strbuf_int.h"

/* The cells' text lies end to end in one block (text, each cell with its
 * NUL), each cell at an offset: one allocation for a file instead of one
 * a cell (a national batch of 150,000 households has 900,000 cells). */
struct hf_csv {
	char name[256];
	size_t ncols;
	char **header;
	size_t nrows, cap;
	size_t *cells; /* nrows × ncols offsets into text */
	hf__strbuf text;
	long *lines;
};

void hf_csv_free(hf_csv *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->ncols; i++)
		free(c->header[i]);
	free(c->header);
	free(c->cells);
	free(c->text.s);
	free(c->lines);
	free(c);
}

static int on_row(const hf__csv_row *row, void *ctx, hf_error *err)
{
	hf_csv *c = ctx;
	size_t i;

	if (!c->header) {
		c->ncols = row->nheader;
		c->header = calloc(c->ncols ? c->ncols : 1, sizeof *c->header);
		if (!c->header)
			goto oom;
		for (i = 0; i < c->ncols; i++)
			if (!(c->header[i] = strdup(row->header[i])))
				goto oom;
	}
	if (c->nrows == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		size_t *nc = realloc(c->cells, ncap * c->ncols * sizeof *nc);
		long *nl;
		if (!nc)
			goto oom;
		c->cells = nc;
		nl = realloc(c->lines, ncap * sizeof *nl);
		if (!nl)
			goto oom;
		c->lines = nl;
		c->cap = ncap;
	}
	for (i = 0; i < c->ncols; i++) {
		c->cells[c->nrows * c->ncols + i] = c->text.len;
		hf__sb_put(&c->text, row->fields[i],
			   strlen(row->fields[i]) + 1);
	}
	if (c->text.oom)
		goto oom;
	c->lines[c->nrows] = row->line;
	c->nrows++;
	return HF_OK;
oom:
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
}

int hf_csv_read_text(const char *name, const char *text, size_t len,
		     hf_csv **out, hf_error *err)
{
	hf_csv *c = calloc(1, sizeof *c);
	int rc;

	*out = NULL;
	if (!c)
		return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
				    "Out of memory.");
	snprintf(c->name, sizeof c->name, "%s", name);
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		len -= 3;
	}
	rc = hf__csv_read(name, text, len, hf__csv_sniff(text, len), on_row, c,
			  err);
	if (rc == HF_OK && !c->header) {
		/* a header and no rows: libcsv never called back */
		rc = HF_OK;
	}
	if (rc < 0) {
		hf_csv_free(c);
		return rc;
	}
	*out = c;
	return HF_OK;
}

int hf_csv_read_file(const char *path, hf_csv **out, hf_error *err)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = hf__file_read(path, &text, &len, err)) < 0)
		return rc;
	rc = hf_csv_read_text(path, text, len, out, err);
	free(text);
	return rc;
}

size_t hf_csv_nrows(const hf_csv *c)
{
	return c->nrows;
}

static long column(const hf_csv *c, const char *name)
{
	size_t i;
	for (i = 0; i < c->ncols; i++)
		if (!strcmp(c->header[i], name))
			return (long)i;
	return -1;
}

size_t hf_csv_ncols(const hf_csv *c)
{
	return c->ncols;
}

const char *hf_csv_column(const hf_csv *c, size_t k)
{
	return k < c->ncols ? c->header[k] : NULL;
}

int hf_csv_has(const hf_csv *c, const char *name)
{
	return column(c, name) >= 0;
}

long hf_csv_find(const hf_csv *c, const char *name)
{
	return column(c, name);
}

const char *hf_csv_at(const hf_csv *c, size_t row, long k)
{
	if (k < 0 || (size_t)k >= c->ncols || row >= c->nrows)
		return NULL;
	return c->text.s + c->cells[row * c->ncols + (size_t)k];
}

const char *hf_csv_get(const hf_csv *c, size_t row, const char *name)
{
	return hf_csv_at(c, row, column(c, name));
}

void hf_csv_where(const hf_csv *c, size_t row, const char *name, char *buf,
		  size_t size)
{
	long i = column(c, name);
	snprintf(buf, size, "%s:%ld:%ld", c->name,
		 row < c->nrows ? c->lines[row] : 0L, i + 1);
}

void hf_csv_put_field(FILE *f, const char *s, char delim, unsigned flags)
{
	size_t len = strlen(s);
	const char *quote;
	int q = strchr(s, delim) || strpbrk(s, "\"\r\n") ||
		((flags & HF_CSV_QUOTE_SEMICOLONS) && strchr(s, ';')) ||
		((flags & HF_CSV_QUOTE_SPACES) && len &&
		 (s[0] == ' ' || s[len - 1] == ' '));

	if (!q) {
		fwrite(s, 1, len, f);
		return;
	}
	/* the runs between quotes at once (a national assignment writes
	 * 150,000 reasons) */
	fputc('"', f);
	while ((quote = strchr(s, '"'))) {
		fwrite(s, 1, (size_t)(quote - s) + 1, f);
		fputc('"', f);
		s = quote + 1;
	}
	fputs(s, f);
	fputc('"', f);
}

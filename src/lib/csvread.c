/* csvread.c: rows of a CSV text through libcsv. */
#include "csvread_int.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct state {
	const char *file;
	hf__csv_row_fn fn;
	void *ctx;
	hf_error *err;
	int rc;
	long line;      /* line where the current row starts */
	long next_line; /* line where the next row starts */
	char **fields;
	size_t n, cap;
	char **header;
	size_t nheader;
} state;

static void on_field(void *data, size_t len, void *vst)
{
	state *st = vst;
	char *f;
	if (st->rc < 0)
		return;
	if (st->n == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 16;
		char **nf = realloc(st->fields, ncap * sizeof *nf);
		if (!nf) {
			st->rc = HF_ENOMEM;
			return;
		}
		st->fields = nf;
		st->cap = ncap;
	}
	f = malloc(len + 1);
	if (!f) {
		st->rc = HF_ENOMEM;
		return;
	}
	if (len)
		memcpy(f, data, len);
	f[len] = '\0';
	st->fields[st->n++] = f;
}

static void free_fields(char **f, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(f[i]);
}

static void on_row(int c, void *vst)
{
	state *st = vst;
	char where[64];
	(void)c;
	if (st->rc < 0)
		goto done;
	if (!st->header) {
		st->header = st->fields;
		st->nheader = st->n;
		st->fields = NULL;
		st->n = st->cap = 0;
		return;
	}
	{
		hf__csv_row row = {st->file, st->line, st->n, st->fields,
				   st->nheader, st->header};
		if (st->n != st->nheader) {
			snprintf(where, sizeof where, "%ld", st->line);
			st->rc = hf_error_set(
				st->err, HF_EPARSE, where,
				"Zeile hat %zu Felder, die Kopfzeile %zu.",
				"row has %zu fields, the header %zu.", st->n,
				st->nheader);
		} else {
			st->rc = st->fn(&row, st->ctx, st->err);
			if (st->rc < 0) {
				snprintf(where, sizeof where, "%ld", st->line);
				hf_error_prefix_where(st->err, where);
			}
		}
	}
done:
	free_fields(st->fields, st->n);
	st->n = 0;
}

int hf__csv_read(const char *file, const char *text, size_t len, char delim,
		 hf__csv_row_fn fn, void *ctx, hf_error *err)
{
	struct csv_parser p;
	state st;
	size_t pos = 0;
	long line = 1;

	memset(&st, 0, sizeof st);
	st.file = file;
	st.fn = fn;
	st.ctx = ctx;
	st.err = err;
	/* provenance comments */
	while (pos < len && text[pos] == '#') {
		const char *nl = memchr(text + pos, '\n', len - pos);
		pos = nl ? (size_t)(nl - text) + 1 : len;
		line++;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return hf_error_set(err, HF_ENOMEM, file, "Zu wenig Speicher.",
				    "Out of memory.");
	csv_set_delim(&p, (unsigned char)delim);
	/* feed line by line so each row knows the line it starts on */
	st.line = line;
	while (pos < len && st.rc == 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		if (csv_parse(&p, text + pos, end - pos, on_field, on_row,
			      &st) != end - pos) {
			char where[32];
			snprintf(where, sizeof where, "%ld", line);
			st.rc = hf_error_set(err, HF_EPARSE, where,
					     "CSV fehlerhaft: %s.",
					     "malformed CSV: %s.",
					     csv_strerror(csv_error(&p)));
			break;
		}
		pos = end;
		line++;
		/* a row that ended on this line: the next starts on the next */
		if (p.pstate == 0 || p.pstate == 1)
			st.line = line;
	}
	if (st.rc == 0 && csv_fini(&p, on_field, on_row, &st) != 0)
		st.rc = hf_error_set(err, HF_EPARSE, "",
				     "CSV fehlerhaft: %s (Anführungszeichen "
				     "nicht geschlossen?).",
				     "malformed CSV: %s (unterminated quote?).",
				     csv_strerror(csv_error(&p)));
	csv_free(&p);
	free_fields(st.fields, st.n);
	free(st.fields);
	free_fields(st.header, st.nheader);
	free(st.header);
	if (st.rc < 0)
		hf_error_prefix_where(err, file);
	return st.rc;
}

const char *hf__csv_field(const hf__csv_row *row, const char *name,
			  int required, hf_error *err)
{
	size_t i;
	for (i = 0; i < row->nheader; i++)
		if (!strcmp(row->header[i], name)) {
			if (required && !row->fields[i][0]) {
				hf_error_set(err, HF_EINVAL, name,
					     "Feld %s ist leer.",
					     "field %s is empty.", name);
				return NULL;
			}
			return row->fields[i];
		}
	if (required)
		hf_error_set(err, HF_EINVAL, name, "Spalte %s fehlt.",
			     "column %s is missing.", name);
	return NULL;
}

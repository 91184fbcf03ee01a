/* csvread.c: rows of a CSV text through libcsv. */
#include "csvread_int.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields of the current row live in one buffer reused from row to
 * row: a million-row import must not cost a malloc per field. */
typedef struct state {
	const char *file;
	hf__csv_row_fn fn;
	void *ctx;
	hf_error *err;
	unsigned flags;
	int rc;
	long line; /* line where the current row starts */
	char *buf; /* field texts, each NUL-terminated */
	size_t blen, bcap;
	size_t *off;   /* start of each field in buf */
	char **fields; /* pointers into buf, made at the end of a row */
	size_t n, cap;
	char **header;
	size_t nheader;
	int have_header;
} state;

static void on_field(void *data, size_t len, void *vst)
{
	state *st = vst;
	char where[32];

	if (st->rc < 0)
		return;
	if (len > HF__CSV_FIELD_MAX) {
		snprintf(where, sizeof where, "%ld", st->line);
		st->rc = hf_error_set(st->err, HF_ERANGE, where,
				      "Feld %zu ist %zu Bytes lang, erlaubt "
				      "sind höchstens %zu.",
				      "field %zu is %zu bytes long, at most "
				      "%zu are allowed.",
				      st->n + 1, len, HF__CSV_FIELD_MAX);
		return;
	}
	if (st->n == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 16;
		size_t *no = realloc(st->off, ncap * sizeof *no);
		char **nf;
		if (!no)
			goto oom;
		st->off = no;
		nf = realloc(st->fields, ncap * sizeof *nf);
		if (!nf)
			goto oom;
		st->fields = nf;
		st->cap = ncap;
	}
	if (st->blen + len + 1 > st->bcap) {
		size_t ncap = st->bcap ? st->bcap : 256;
		char *nb;
		while (ncap < st->blen + len + 1)
			ncap *= 2;
		if (!(nb = realloc(st->buf, ncap)))
			goto oom;
		st->buf = nb;
		st->bcap = ncap;
	}
	if (len)
		memcpy(st->buf + st->blen, data, len);
	st->buf[st->blen + len] = '\0';
	st->off[st->n++] = st->blen;
	st->blen += len + 1;
	return;
oom:
	st->rc = hf_error_set(st->err, HF_ENOMEM, "", "Zu wenig Speicher.",
			      "Out of memory.");
}

static int take_header(state *st)
{
	size_t i;

	st->have_header = 1;
	st->nheader = st->n;
	st->header = calloc(st->n ? st->n : 1, sizeof *st->header);
	if (!st->header)
		return HF_ENOMEM;
	for (i = 0; i < st->n; i++)
		if (!(st->header[i] = strdup(st->fields[i])))
			return HF_ENOMEM;
	return HF_OK;
}

static void on_row(int c, void *vst)
{
	state *st = vst;
	char where[64];
	size_t i;
	(void)c;

	if (st->rc < 0)
		goto done;
	for (i = 0; i < st->n; i++)
		st->fields[i] = st->buf + st->off[i];
	if (!st->have_header) {
		if (take_header(st) < 0) {
			st->rc = hf_error_set(st->err, HF_ENOMEM, "",
					      "Zu wenig Speicher.",
					      "Out of memory.");
			goto done;
		}
		if (st->flags & HF__CSV_HEADER_ROW) {
			hf__csv_row row = {st->file,   st->line, st->n,
					   st->fields, 0,	 NULL};
			st->rc = st->fn(&row, st->ctx, st->err);
		}
		goto done;
	}
	{
		hf__csv_row row = {st->file,   st->line,    st->n,
				   st->fields, st->nheader, st->header};
		if (st->n != st->nheader && !(st->flags & HF__CSV_ANY_WIDTH)) {
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
	st->n = 0;
	st->blen = 0;
}

static void free_header(char **f, size_t n)
{
	size_t i;
	for (i = 0; f && i < n; i++)
		free(f[i]);
	free(f);
}

/* libcsv stopped at byte bad of line line (which starts at byte lstart):
 * in strict mode a quote inside a field not quoted, or something other
 * than a delimiter after a closing quote. The column counts characters. */
static int parse_error(struct csv_parser *p, hf_error *err, const char *text,
		       size_t lstart, size_t bad, long line)
{
	char where[48];
	size_t k, col = 1;
	if (csv_error(p) != CSV_EPARSE)
		return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
				    "Out of memory.");
	for (k = lstart; k < bad; k++)
		col += ((unsigned char)text[k] & 0xC0) != 0x80;
	snprintf(where, sizeof where, "%ld:%zu", line, col);
	return hf_error_set(err, HF_EPARSE, where,
			    "CSV fehlerhaft: ein Anführungszeichen in einem "
			    "Feld ohne Anführungszeichen oder ein Zeichen "
			    "nach dem schließenden (ein Feld mit \" steht "
			    "ganz in \"…\", das \" darin verdoppelt).",
			    "malformed CSV: a quote inside a field that is "
			    "not quoted, or a character after the closing "
			    "quote (a field with \" is quoted whole, the \" "
			    "in it doubled).");
}

int hf__csv_read_ex(const char *file, const char *text, size_t len, char delim,
		    unsigned flags, hf__csv_row_fn fn, void *ctx, hf_error *err)
{
	struct csv_parser p;
	state st;
	size_t pos = 0, lstart, done;
	long line = 1;

	memset(&st, 0, sizeof st);
	st.file = file;
	st.fn = fn;
	st.ctx = ctx;
	st.err = err;
	st.flags = flags;
	if (flags & HF__CSV_SKIP_LINE1) {
		const char *nl = memchr(text, '\n', len);
		pos = nl ? (size_t)(nl - text) + 1 : len;
		line++;
	}
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
	csv_set_blk_size(&p, 65536);
	/* feed line by line (a long line in pieces) so each row knows the
	 * line it starts on, and a field too long is refused before libcsv
	 * has gathered all of it */
	st.line = line;
	lstart = pos;
	while (pos < len && st.rc == 0) {
		size_t chunk = len - pos < 65536 ? len - pos : 65536;
		const char *nl = memchr(text + pos, '\n', chunk);
		size_t end = nl ? (size_t)(nl - text) + 1 : pos + chunk;
		if (p.entry_pos > HF__CSV_FIELD_MAX) {
			char where[32];
			snprintf(where, sizeof where, "%ld", line);
			st.rc =
			    hf_error_set(err, HF_ERANGE, where,
					 "ein Feld ist länger als %zu "
					 "Bytes.",
					 "a field is longer than %zu bytes.",
					 HF__CSV_FIELD_MAX);
			break;
		}
		done =
		    csv_parse(&p, text + pos, end - pos, on_field, on_row, &st);
		if (done != end - pos) {
			st.rc = parse_error(&p, err, text, lstart, pos + done,
					    line);
			break;
		}
		pos = end;
		if (!nl)
			continue; /* the same line goes on */
		line++;
		lstart = end;
		/* a row that ended on this line: the next starts on the next */
		if (p.pstate == 0 || p.pstate == 1)
			st.line = line;
	}
	if (st.rc == 0 && csv_fini(&p, on_field, on_row, &st) != 0) {
		char where[32];
		snprintf(where, sizeof where, "%ld", st.line);
		/* strict at the end: a quoted field still open */
		st.rc =
		    csv_error(&p) != CSV_EPARSE
			? hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
				       "Out of memory.")
			: hf_error_set(
			      err, HF_EPARSE, where,
			      "CSV fehlerhaft: Anführungszeichen nicht "
			      "geschlossen, das Feld, das in dieser Zeile "
			      "mit \" beginnt, endet nicht vor dem Ende "
			      "der Datei.",
			      "malformed CSV: unterminated quote, the "
			      "field that starts with \" on this line "
			      "does not end before the end of the file.");
	}
	csv_free(&p);
	free(st.buf);
	free(st.off);
	free(st.fields);
	free_header(st.header, st.nheader);
	if (st.rc < 0)
		hf_error_prefix_where(err, file);
	return st.rc;
}

int hf__csv_read(const char *file, const char *text, size_t len, char delim,
		 hf__csv_row_fn fn, void *ctx, hf_error *err)
{
	return hf__csv_read_ex(file, text, len, delim, 0, fn, ctx, err);
}

char hf__csv_sniff(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	size_t semis = 0, commas = 0;

	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end && *p == '#') {
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	for (; p < end && *p != '\n'; p++) {
		semis += *p == ';';
		commas += *p == ',';
	}
	return semis > commas ? ';' : ',';
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

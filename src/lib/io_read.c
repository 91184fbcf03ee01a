/*
 * io_read.c: files read as a header and rows of text cells: CSV in both
 * dialects (through csvread.c and libcsv, after the text is decoded to
 * UTF-8) and JSON (jansson). Problems of the file itself are issues too.
 */
#include <errno.h>
#include <iconv.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "csvread_int.h"
#include "io_int.h"

/* ---- encodings ----------------------------------------------------- */

size_t hf_utf8_prefix(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k, need;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3;
		else
			return i;
		for (k = 1; k <= need; k++)
			if (i + k >= n || (s[i + k] & 0xC0) != 0x80)
				return i;
		if (c == 0xE0 && s[i + 1] < 0xA0)
			return i; /* overlong */
		if (c == 0xED && s[i + 1] >= 0xA0)
			return i; /* surrogates */
		if (c == 0xF0 && s[i + 1] < 0x90)
			return i;
		if (c == 0xF4 && s[i + 1] >= 0x90)
			return i;
		i += need + 1;
	}
	return n;
}

/* Windows-1252 to UTF-8 through iconv; *out is the caller's. */
static int from_cp1252(const char *in, size_t len, char **out, size_t *olen)
{
	iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
	size_t cap = len * 3 + 1, il = len, ol = cap;
	char *buf, *ip = (char *)in, *op;

	if (cd == (iconv_t)-1)
		return HF_EIO;
	if (!(buf = malloc(cap))) {
		iconv_close(cd);
		return HF_ENOMEM;
	}
	op = buf;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		/* bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned */
		iconv_close(cd);
		free(buf);
		return HF_EPARSE;
	}
	iconv_close(cd);
	*op = '\0';
	*out = buf;
	*olen = (size_t)(op - buf);
	return HF_OK;
}

/* ---- CSV ----------------------------------------------------------- */

typedef struct csvctx {
	hf__io *io;
	int header_seen;
} csvctx;

static int on_csv_row(const hf__csv_row *row, void *vc, hf_error *err)
{
	csvctx *c = vc;
	hf__io *io = c->io;
	(void)err;

	if (!c->header_seen) {
		c->header_seen = 1;
		if (hf__io_header(io, row->line, row->fields, row->nfields) ==
		    HF_ENOMEM)
			return HF_ENOMEM;
		return HF_OK;
	}
	if (!io->header_ok)
		return HF_OK;
	if (row->nfields != row->nheader) {
		/* a lone empty field is an empty line of spaces */
		if (row->nfields == 1 && !row->fields[0][0])
			return HF_OK;
		hf__io_issue(io, row->line, -1,
			     "%zu Felder, die Kopfzeile hat %zu (anderes "
			     "Trennzeichen als »%c«?).",
			     "%zu fields, the header has %zu (another "
			     "separator than '%c'?).",
			     row->nfields, row->nheader, io->delim);
		return HF_OK;
	}
	return hf__io_feed(io, row->line, row->fields, row->nfields);
}

/* Whether the first line has tabs and neither ';' nor ','. */
static int first_line_tabs(const char *t, size_t len)
{
	size_t i = 0, tabs = 0;

	if (len >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3))
		i = 3;
	for (; i < len && t[i] != '\n'; i++) {
		if (t[i] == ';' || t[i] == ',')
			return 0;
		tabs += t[i] == '\t';
	}
	return tabs > 0;
}

int hf__io_read_csv(hf__io *io, const char *data, size_t len,
		    hf_dialect dialect, hf_import_result *res, hf_error *err)
{
	char *conv = NULL, delim;
	const char *text = data;
	size_t tlen = len, valid;
	int bom = 0, sep_line = 0, rc;
	csvctx c;
	hf_error e;

	if (len >= 2 && (((unsigned char)data[0] == 0xFF &&
			  (unsigned char)data[1] == 0xFE) ||
			 ((unsigned char)data[0] == 0xFE &&
			  (unsigned char)data[1] == 0xFF))) {
		hf__io_issue(io, 0, -1,
			     "die Datei ist UTF-16 kodiert; erwartet UTF-8 "
			     "(in Excel: »CSV UTF-8« speichern) oder "
			     "Windows-1252.",
			     "the file is encoded in UTF-16; expected UTF-8 "
			     "(in Excel: save as \"CSV UTF-8\") or "
			     "Windows-1252.");
		return HF_OK;
	}
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		bom = 1;
		text += 3;
		tlen -= 3;
	}
	if (memchr(text, '\0', tlen)) {
		hf__io_issue(io, 0, -1,
			     "die Datei enthält Null-Bytes: sie ist keine "
			     "Textdatei (oder UTF-16 ohne Kennung).",
			     "the file contains NUL bytes: it is no text file "
			     "(or UTF-16 without a mark).");
		return HF_OK;
	}
	valid = hf_utf8_prefix(text, tlen);
	res->encoding = "UTF-8";
	if (valid < tlen) {
		long line = 1;
		size_t i;
		for (i = 0; i < valid; i++)
			line += text[i] == '\n';
		if (bom || dialect == HF_DIALECT_TOOL) {
			hf__io_issue(io, line, -1,
				     "Byte 0x%02X an Stelle %zu ist kein "
				     "gültiges UTF-8%s.",
				     "byte 0x%02X at offset %zu is not valid "
				     "UTF-8%s.",
				     (unsigned char)text[valid],
				     valid + (bom ? 3 : 0),
				     bom ? hf_tr(io->lang,
						 " (die Datei beginnt mit der "
						 "UTF-8-Kennung)",
						 " (the file starts with the "
						 "UTF-8 byte order mark)")
					 : "");
			return HF_OK;
		}
		if ((rc = from_cp1252(text, tlen, &conv, &tlen)) < 0) {
			if (rc == HF_ENOMEM)
				return hf_error_set(err, rc, "",
						    "Zu wenig Speicher.",
						    "Out of memory.");
			hf__io_issue(io, line, -1,
				     "weder UTF-8 noch Windows-1252 (Byte "
				     "0x%02X an Stelle %zu).",
				     "neither UTF-8 nor Windows-1252 (byte "
				     "0x%02X at offset %zu).",
				     (unsigned char)text[valid], valid);
			return HF_OK;
		}
		text = conv;
		res->encoding = "Windows-1252";
		if (dialect == HF_DIALECT_AUTO)
			dialect = HF_DIALECT_EXCEL;
	}
	/* Excel's own hint, "sep=;" on the first line, says it all */
	if (tlen >= 5 && !memcmp(text, "sep=", 4) && text[4] != '\n' &&
	    (tlen == 5 || text[5] == '\n' || text[5] == '\r')) {
		delim = text[4];
		sep_line = 1;
		if (dialect == HF_DIALECT_AUTO)
			dialect =
			    delim == ',' ? HF_DIALECT_TOOL : HF_DIALECT_EXCEL;
	} else if (dialect == HF_DIALECT_EXCEL)
		delim = ';';
	else if (dialect == HF_DIALECT_TOOL)
		delim = ',';
	else if (first_line_tabs(text, tlen)) {
		delim = '\t'; /* Excel's "Text (Tabstopp-getrennt)" */
		if (dialect == HF_DIALECT_AUTO)
			dialect = HF_DIALECT_EXCEL;
	} else {
		delim = hf__csv_sniff(text, tlen);
		dialect =
		    delim == ';' || bom ? HF_DIALECT_EXCEL : HF_DIALECT_TOOL;
	}
	res->dialect = dialect;
	io->delim = delim;
	{
		size_t i = 0;
		while (i < tlen && (text[i] == ' ' || text[i] == '\r' ||
				    text[i] == '\n' || text[i] == '\t'))
			i++;
		if (i == tlen) {
			char exp[64];
			snprintf(exp, sizeof exp, "%s", io->spec->slug);
			hf__io_issue(io, 0, -1,
				     "die Datei ist leer; erwartet eine "
				     "Kopfzeile und Zeilen (%s).",
				     "the file is empty; expected a header "
				     "row and rows (%s).",
				     exp);
			free(conv);
			return HF_OK;
		}
	}
	{
		/* room for every line at once: a million rows must not be
		 * copied over and over while the arrays grow */
		size_t lines = 0;
		const char *p = text, *end = text + tlen;
		while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
			lines++;
			p++;
		}
		hf__kind_hint(io, lines);
	}
	memset(&c, 0, sizeof c);
	c.io = io;
	hf_error_init(&e, io->lang);
	rc = hf__csv_read_ex("", text, tlen, delim,
			     HF__CSV_ANY_WIDTH | HF__CSV_HEADER_ROW |
				 (sep_line ? HF__CSV_SKIP_LINE1 : 0),
			     on_csv_row, &c, &e);
	free(conv);
	if (rc == HF_ENOMEM)
		return hf_error_set(err, rc, "", "Zu wenig Speicher.",
				    "Out of memory.");
	if (rc < 0) {
		/* where is ":LINE" or ":LINE:CHARACTER" (the file prefix is
		 * empty) */
		char *p;
		long line =
		    strtol(e.where[0] == ':' ? e.where + 1 : e.where, &p, 10);
		long chr = *p == ':' ? strtol(p + 1, NULL, 10) : 0;
		hf__io_issue_char(io, line, chr, "%s", "%s", e.message);
	}
	if (!c.header_seen && rc >= 0)
		hf__io_issue(io, 0, -1,
			     "keine Kopfzeile gefunden (nur Kommentare?).",
			     "no header row found (comments only?).");
	return HF_OK;
}

/* ---- JSON ---------------------------------------------------------- */

/* A JSON value as cell text; NULL with an issue for objects and reals. */
static char *json_cell(hf__io *io, long row, const char *key, json_t *v)
{
	char buf[64];

	switch (json_typeof(v)) {
	case JSON_STRING:
		return strdup(json_string_value(v));
	case JSON_INTEGER:
		snprintf(buf, sizeof buf, "%lld",
			 (long long)json_integer_value(v));
		return strdup(buf);
	case JSON_NULL:
		return strdup("");
	case JSON_TRUE:
		return strdup("1");
	case JSON_FALSE:
		return strdup("0");
	case JSON_ARRAY: {
		size_t i, len = 0;
		char *out = NULL;
		json_t *it;
		json_array_foreach(v, i, it)
		{
			char *s = json_is_array(it) || json_is_object(it)
				      ? NULL
				      : json_cell(io, row, key, it);
			char *n;
			if (!s) {
				free(out);
				return NULL;
			}
			n = realloc(out, len + strlen(s) + 2);
			if (!n) {
				free(s);
				free(out);
				return NULL;
			}
			out = n;
			if (len)
				out[len++] = '|';
			memcpy(out + len, s, strlen(s) + 1);
			len += strlen(s);
			free(s);
		}
		return out ? out : strdup("");
	}
	default:
		break;
	}
	(void)io;
	(void)row;
	(void)key;
	return NULL;
}

int hf__io_read_json(hf__io *io, const char *data, size_t len, hf_error *err)
{
	json_error_t je;
	json_t *root, *rows;
	char **names = NULL, **cells = NULL;
	size_t i, n = 0, cap = 0, r;
	int rc = HF_OK;
	const char *k;
	json_t *v, *row;

	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		hf__io_issue(io, je.line > 0 ? je.line : 0, -1,
			     "JSON fehlerhaft (Spalte %d): %s.",
			     "malformed JSON (column %d): %s.", je.column,
			     je.text);
		return HF_OK;
	}
	rows = root;
	if (json_is_object(root)) {
		json_t *kind = json_object_get(root, "kind");
		if (kind && json_is_string(kind) &&
		    strcmp(json_string_value(kind), io->spec->slug) &&
		    strcmp(json_string_value(kind), io->spec->slug_de)) {
			hf__io_issue(io, 0, -1,
				     "die Datei enthält »%s«, nicht %s.",
				     "the file holds '%s', not %s.",
				     json_string_value(kind), io->spec->slug);
			goto out;
		}
		rows = json_object_get(root, "rows");
	}
	if (!rows || !json_is_array(rows)) {
		hf__io_issue(io, 0, -1,
			     "erwartet ein JSON-Feld von Objekten oder "
			     "{\"rows\": [...]}.",
			     "expected a JSON array of objects or {\"rows\": "
			     "[...]}.");
		goto out;
	}
	/* the header: every member name in order of first appearance */
	json_array_foreach(rows, r, row)
	{
		if (!json_is_object(row))
			continue;
		json_object_foreach(row, k, v)
		{
			for (i = 0; i < n; i++)
				if (!strcmp(names[i], k))
					break;
			if (i < n)
				continue;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 16;
				char **nn = realloc(names, nc * sizeof *nn);
				if (!nn)
					goto oom;
				names = nn;
				cap = nc;
			}
			if (!(names[n] = strdup(k)))
				goto oom;
			n++;
		}
	}
	if (!json_array_size(rows)) {
		hf__io_issue(io, 0, -1, "keine Einträge.", "no entries.");
		goto out;
	}
	if ((rc = hf__io_header(io, 0, names, n)) == HF_ENOMEM)
		goto oom;
	rc = HF_OK;
	if (!io->header_ok)
		goto out;
	if (!(cells = calloc(n ? n : 1, sizeof *cells)))
		goto oom;
	json_array_foreach(rows, r, row)
	{
		int bad = 0;
		if (!json_is_object(row)) {
			hf__io_issue(io, (long)r + 1, -1,
				     "erwartet ein Objekt {\"Feld\": Wert}.",
				     "expected an object {\"field\": value}.");
			continue;
		}
		for (i = 0; i < n; i++) {
			v = json_object_get(row, names[i]);
			cells[i] = v ? json_cell(io, (long)r + 1, names[i], v)
				     : strdup("");
			if (!cells[i]) {
				hf__io_issue_src(
				    io, (long)r + 1, i,
				    "erwartet Text, eine ganze Zahl oder "
				    "einen Bruch als Text (\"1/3\"); "
				    "Kommazahlen und Objekte sind nicht "
				    "exakt.",
				    "expected text, a whole number or a "
				    "fraction as text (\"1/3\"); reals and "
				    "objects are not exact.");
				cells[i] = strdup("");
				bad = 1;
			}
			if (!cells[i])
				goto oom;
		}
		if (!bad && (rc = hf__io_feed(io, (long)r + 1, cells, n)) < 0)
			goto out;
		for (i = 0; i < n; i++) {
			free(cells[i]);
			cells[i] = NULL;
		}
	}
	goto out;
oom:
	rc = hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			  "Out of memory.");
out:
	if (cells)
		for (i = 0; i < n; i++)
			free(cells[i]);
	free(cells);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	json_decref(root);
	return rc;
}

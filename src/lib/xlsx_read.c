/*
 * xlsx_read.c: an .xlsx workbook opened for reading: the zip archive
 * (libzip), the workbook's sheets and their parts, the shared strings and
 * which cell styles are dates. Each XML part is streamed through expat; no
 * part is held in memory whole. Sheets themselves are read in
 * xlsx_sheet.c.
 */
#include "xlsx_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHEETS 10000

/* ---- arena ---- */

struct hf__arena_chunk {
	hf__arena_chunk *next;
	size_t used, cap;
	char data[];
};

char *hf__arena_dup(hf__arena *a, const char *s, size_t n)
{
	hf__arena_chunk *c = a->head;
	char *d;
	if (!c || c->cap - c->used < n + 1) {
		size_t cap = n + 1 > 65536 ? n + 1 : 65536;
		c = malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	d = c->data + c->used;
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	c->used += n + 1;
	return d;
}

void hf__arena_free(hf__arena *a)
{
	while (a->head) {
		hf__arena_chunk *n = a->head->next;
		free(a->head);
		a->head = n;
	}
}

void hf__xlsx_sst_unref(hf__xlsx_sst *t)
{
	if (!t || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	hf__arena_free(&t->mem);
	free(t->s);
	free(t);
}

/* ---- streaming a part through expat ---- */

static int oom(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
}

int hf__xp_fail(hf__xp *xp, int code, const char *de, const char *en, ...)
{
	char where[HF_ERROR_WHERE_MAX], msg[HF_ERROR_MESSAGE_MAX];
	va_list ap;

	if (xp->rc < 0)
		return xp->rc;
	snprintf(where, sizeof where, "%s, %s:%lu:%lu", xp->x->name, xp->part,
		 (unsigned long)XML_GetCurrentLineNumber(xp->p),
		 (unsigned long)XML_GetCurrentColumnNumber(xp->p) + 1);
	va_start(ap, en);
	vsnprintf(msg, sizeof msg,
		  xp->err && xp->err->lang == HF_LANG_EN ? en : de, ap);
	va_end(ap);
	xp->rc = hf_error_set(xp->err, code, where, "%s", "%s", msg);
	XML_StopParser(xp->p, XML_FALSE);
	return xp->rc;
}

const char *hf__xp_local(const char *name)
{
	const char *s = strrchr(name, '|');
	return s ? s + 1 : name;
}

const char *hf__xp_attr(const char **atts, const char *local)
{
	for (; atts[0]; atts += 2)
		if (!strcmp(hf__xp_local(atts[0]), local))
			return atts[1];
	return NULL;
}

void hf__xp_text_reset(hf__xp *xp)
{
	xp->tlen = 0;
	if (xp->text)
		xp->text[0] = '\0';
}

static void on_text(void *ud, const XML_Char *s, int len)
{
	hf__xp *xp = ud;
	size_t n = (size_t)len;
	if (!xp->collect || xp->rc < 0)
		return;
	if (xp->tlen + n > xp->x->lim.max_string) {
		hf__xp_fail(xp, HF_ERANGE, "Ein Text ist länger als %zu Bytes.",
			    "a text is longer than %zu bytes.",
			    xp->x->lim.max_string);
		return;
	}
	if (xp->tlen + n + 1 > xp->tcap) {
		size_t cap = xp->tcap ? xp->tcap : 256;
		char *t;
		while (cap < xp->tlen + n + 1)
			cap *= 2;
		if (!(t = realloc(xp->text, cap))) {
			xp->rc = oom(xp->err);
			XML_StopParser(xp->p, XML_FALSE);
			return;
		}
		xp->text = t;
		xp->tcap = cap;
	}
	memcpy(xp->text + xp->tlen, s, n);
	xp->tlen += n;
	xp->text[xp->tlen] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* _xHHHH_ is how OOXML stores a character XML cannot carry (a control
 * character, or a literal "_x" sequence as _x005F_). */
void hf__xp_text_unescape(hf__xp *xp)
{
	char *s = xp->text, *d;
	size_t i, n = xp->tlen;

	if (!s || !memchr(s, '_', n))
		return;
	d = s;
	for (i = 0; i < n;) {
		unsigned v = 0;
		int k, ok = i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' &&
			    s[i + 6] == '_';
		for (k = 2; ok && k < 6; k++) {
			int h = hexval(s[i + k]);
			if (h < 0)
				ok = 0;
			else
				v = v * 16 + (unsigned)h;
		}
		if (!ok || v == 0 || (v >= 0xD800 && v <= 0xDFFF)) {
			*d++ = s[i++];
			continue;
		}
		if (v < 0x80) {
			*d++ = (char)v;
		} else if (v < 0x800) {
			*d++ = (char)(0xC0 | (v >> 6));
			*d++ = (char)(0x80 | (v & 0x3F));
		} else {
			*d++ = (char)(0xE0 | (v >> 12));
			*d++ = (char)(0x80 | ((v >> 6) & 0x3F));
			*d++ = (char)(0x80 | (v & 0x3F));
		}
		i += 7;
	}
	*d = '\0';
	xp->tlen = (size_t)(d - s);
}

/* OOXML has no use for a DTD; refusing one shuts out entity expansion. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
		       const XML_Char *pubid, int has_internal)
{
	hf__xp_fail(ud, HF_EPARSE, "Eine DTD ist in XLSX nicht erlaubt.",
		    "a DTD is not allowed in XLSX.");
}

static int zip_part_error(hf_xlsx *x, const char *part, zip_error_t *ze,
			  hf_error *err)
{
	char where[HF_ERROR_WHERE_MAX];
	snprintf(where, sizeof where, "%s, %s", x->name, part);
	return hf_error_set(err, HF_EPARSE, where,
			    "%s ist beschädigt: %s lässt sich nicht entpacken "
			    "(%s).",
			    "%s is damaged: %s cannot be unpacked (%s).",
			    x->name, part, zip_error_strerror(ze));
}

static zip_int64_t locate(hf_xlsx *x, const char *part)
{
	zip_int64_t i = zip_name_locate(x->zip, part, 0);
	if (i < 0)
		i = zip_name_locate(x->zip, part, ZIP_FL_NOCASE);
	return i;
}

int hf__xlsx_parse(hf_xlsx *x, const char *part, int optional, hf__xp *xp,
		   XML_StartElementHandler start, XML_EndElementHandler end,
		   hf_error *err)
{
	zip_int64_t idx = locate(x, part);
	zip_stat_t st;
	zip_file_t *f = NULL;
	size_t total = 0;
	int rc = HF_OK;

	xp->x = x;
	xp->part = part;
	xp->err = err;
	xp->rc = HF_OK;
	if (idx < 0) {
		if (optional)
			return HF_ENOTFOUND;
		return hf_error_set(err, HF_EPARSE, x->name,
				    "%s ist keine vollständige Excel-Datei: "
				    "%s fehlt.",
				    "%s is no complete Excel file: %s is "
				    "missing.",
				    x->name, part);
	}
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && st.size > x->lim.max_part)
		goto too_big;
	if (!(f = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0)))
		return zip_part_error(x, part, zip_get_error(x->zip), err);
	if (!(xp->p = XML_ParserCreateNS(NULL, '|'))) {
		zip_fclose(f);
		return oom(err);
	}
	XML_SetUserData(xp->p, xp);
	XML_SetElementHandler(xp->p, start, end);
	XML_SetCharacterDataHandler(xp->p, on_text);
	XML_SetStartDoctypeDeclHandler(xp->p, on_doctype);
	for (;;) {
		void *buf = XML_GetBuffer(xp->p, 65536);
		zip_int64_t n;
		if (!buf) {
			rc = xp->rc < 0 ? xp->rc : oom(err);
			goto done;
		}
		n = zip_fread(f, buf, 65536);
		if (n < 0) {
			rc =
			    zip_part_error(x, part, zip_file_get_error(f), err);
			goto done;
		}
		total += (size_t)n;
		if (total > x->lim.max_part)
			goto too_big;
		if (XML_ParseBuffer(xp->p, (int)n, n == 0) != XML_STATUS_OK) {
			if (xp->rc < 0) {
				rc = xp->rc;
			} else {
				char where[HF_ERROR_WHERE_MAX];
				snprintf(
				    where, sizeof where, "%s, %s:%lu:%lu",
				    x->name, part,
				    (unsigned long)XML_GetCurrentLineNumber(
					xp->p),
				    (unsigned long)XML_GetCurrentColumnNumber(
					xp->p) +
					1);
				rc = hf_error_set(
				    err, HF_EPARSE, where,
				    "%s ist beschädigt: %s ist kein "
				    "gültiges XML (%s).",
				    "%s is damaged: %s is not well-formed "
				    "XML (%s).",
				    x->name, part,
				    XML_ErrorString(XML_GetErrorCode(xp->p)));
			}
			goto done;
		}
		if (n == 0)
			break;
	}
	rc = xp->rc;
	goto done;
too_big:
	rc = hf_error_set(err, HF_ERANGE, x->name,
			  "%s: %s ist entpackt größer als %zu Bytes.",
			  "%s: %s is larger than %zu bytes unpacked.", x->name,
			  part, x->lim.max_part);
done:
	if (xp->p)
		XML_ParserFree(xp->p);
	xp->p = NULL;
	if (f)
		zip_fclose(f);
	free(xp->text);
	xp->text = NULL;
	xp->tlen = xp->tcap = 0;
	return rc;
}

/* ---- relationships ---- */

typedef struct rel {
	char *id, *type, *target;
	int external;
} rel;

typedef struct rels_state {
	hf__xp xp;
	rel *r;
	size_t n, cap;
} rels_state;

static void rels_free(rels_state *s)
{
	size_t i;
	for (i = 0; i < s->n; i++) {
		free(s->r[i].id);
		free(s->r[i].type);
		free(s->r[i].target);
	}
	free(s->r);
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	rels_state *s = ud;
	const char *id, *type, *target, *mode;
	rel *r;

	if (s->xp.rc < 0 || strcmp(hf__xp_local(name), "Relationship"))
		return;
	id = hf__xp_attr(atts, "Id");
	type = hf__xp_attr(atts, "Type");
	target = hf__xp_attr(atts, "Target");
	mode = hf__xp_attr(atts, "TargetMode");
	if (!id || !type || !target)
		return;
	if (s->n >= MAX_SHEETS * 4) {
		hf__xp_fail(&s->xp, HF_ERANGE, "Zu viele Verweise.",
			    "too many relationships.");
		return;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		rel *nr = realloc(s->r, cap * sizeof *nr);
		if (!nr)
			goto nomem;
		s->r = nr;
		s->cap = cap;
	}
	r = &s->r[s->n];
	r->id = strdup(id);
	r->type = strdup(type);
	r->target = strdup(target);
	r->external = mode && !strcmp(mode, "External");
	s->n++;
	if (!r->id || !r->type || !r->target)
		goto nomem;
	return;
nomem:
	s->xp.rc = oom(s->xp.err);
	XML_StopParser(s->xp.p, XML_FALSE);
}

static void rels_end(void *ud, const XML_Char *name)
{
}

/* The relationship's type without its namespace ("worksheet"). */
static const char *rel_kind(const rel *r)
{
	const char *s = strrchr(r->type, '/');
	return s ? s + 1 : r->type;
}

/* The zip entry a target names, relative to the directory of `from`
 * ("xl/workbook.xml" + "worksheets/sheet1.xml"), or absolute ("/xl/...").
 * The caller frees the result; NULL when out of memory. */
static char *resolve(const char *from, const char *target)
{
	size_t n = strlen(from) + strlen(target) + 2, len = 0;
	char *out = malloc(n), *seg, *save = NULL, *tmp;
	const char *slash = strrchr(from, '/');

	if (!out)
		return NULL;
	if (target[0] == '/')
		tmp = strdup(target);
	else {
		size_t dl = slash ? (size_t)(slash - from) + 1 : 0;
		tmp = malloc(n);
		if (tmp) {
			memcpy(tmp, from, dl);
			strcpy(tmp + dl, target);
		}
	}
	if (!tmp) {
		free(out);
		return NULL;
	}
	out[0] = '\0';
	for (seg = strtok_r(tmp, "/\\", &save); seg;
	     seg = strtok_r(NULL, "/\\", &save)) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			char *p = strrchr(out, '/');
			len = p ? (size_t)(p - out) : 0;
			out[len] = '\0';
			continue;
		}
		if (len)
			out[len++] = '/';
		strcpy(out + len, seg);
		len += strlen(seg);
	}
	free(tmp);
	return out;
}

/* ---- workbook ---- */

typedef struct wb_sheet {
	char *name, *rid;
} wb_sheet;

typedef struct wb_state {
	hf__xp xp;
	int date1904;
	wb_sheet *s;
	size_t n, cap;
} wb_state;

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	wb_state *s = ud;
	const char *l = hf__xp_local(name);

	if (s->xp.rc < 0)
		return;
	if (!strcmp(l, "workbookPr")) {
		const char *d = hf__xp_attr(atts, "date1904");
		s->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
	} else if (!strcmp(l, "sheet")) {
		const char *nm = hf__xp_attr(atts, "name");
		const char *rid = hf__xp_attr(atts, "id");
		if (!nm || !rid) {
			hf__xp_fail(&s->xp, HF_EPARSE,
				    "Ein Blatt ohne Namen oder Verweis.",
				    "a sheet without name or reference.");
			return;
		}
		if (s->n >= MAX_SHEETS) {
			hf__xp_fail(&s->xp, HF_ERANGE, "Mehr als %d Blätter.",
				    "more than %d sheets.", MAX_SHEETS);
			return;
		}
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 8;
			wb_sheet *ns = realloc(s->s, cap * sizeof *ns);
			if (!ns)
				goto nomem;
			s->s = ns;
			s->cap = cap;
		}
		s->s[s->n].name = strdup(nm);
		s->s[s->n].rid = strdup(rid);
		s->n++;
		if (!s->s[s->n - 1].name || !s->s[s->n - 1].rid)
			goto nomem;
	}
	return;
nomem:
	s->xp.rc = oom(s->xp.err);
	XML_StopParser(s->xp.p, XML_FALSE);
}

static void wb_end(void *ud, const XML_Char *name)
{
}

/* Finds the workbook part through _rels/.rels. */
static int find_workbook(hf_xlsx *x, hf_error *err)
{
	rels_state rs;
	size_t i;
	int rc;

	memset(&rs, 0, sizeof rs);
	rc = hf__xlsx_parse(x, "_rels/.rels", 1, &rs.xp, rels_start, rels_end,
			    err);
	if (rc < 0 && rc != HF_ENOTFOUND)
		goto out;
	for (i = 0; i < rs.n; i++)
		if (!strcmp(rel_kind(&rs.r[i]), "officeDocument") &&
		    !rs.r[i].external) {
			x->wb_part = resolve("", rs.r[i].target);
			break;
		}
	if (!x->wb_part)
		x->wb_part = strdup("xl/workbook.xml");
	rc = x->wb_part ? HF_OK : oom(err);
	if (rc == HF_OK && locate(x, x->wb_part) < 0)
		rc = hf_error_set(err, HF_EPARSE, x->name,
				  "%s ist keine Excel-Arbeitsmappe (%s fehlt).",
				  "%s is no Excel workbook (%s is missing).",
				  x->name, x->wb_part);
out:
	rels_free(&rs);
	return rc;
}

static int read_workbook(hf_xlsx *x, hf_error *err)
{
	wb_state ws;
	rels_state rs;
	char *relpart = NULL;
	const char *slash;
	size_t i, j;
	int rc;

	memset(&ws, 0, sizeof ws);
	memset(&rs, 0, sizeof rs);
	if ((rc = find_workbook(x, err)) < 0)
		return rc;
	rc = hf__xlsx_parse(x, x->wb_part, 0, &ws.xp, wb_start, wb_end, err);
	if (rc < 0)
		goto out;
	x->date1904 = ws.date1904;
	/* xl/workbook.xml -> xl/_rels/workbook.xml.rels */
	slash = strrchr(x->wb_part, '/');
	i = slash ? (size_t)(slash - x->wb_part) + 1 : 0;
	if (!(relpart = malloc(strlen(x->wb_part) + 12))) {
		rc = oom(err);
		goto out;
	}
	memcpy(relpart, x->wb_part, i);
	sprintf(relpart + i, "_rels/%s.rels", x->wb_part + i);
	rc = hf__xlsx_parse(x, relpart, 1, &rs.xp, rels_start, rels_end, err);
	if (rc < 0 && rc != HF_ENOTFOUND)
		goto out;
	rc = HF_OK;
	for (i = 0; i < rs.n && rc == HF_OK; i++) {
		const char *k = rel_kind(&rs.r[i]);
		char **slot = !strcmp(k, "sharedStrings") ? &x->sst_part
			      : !strcmp(k, "styles")	  ? &x->styles_part
							  : NULL;
		if (slot && !*slot && !rs.r[i].external &&
		    !(*slot = resolve(x->wb_part, rs.r[i].target)))
			rc = oom(err);
	}
	if (rc < 0)
		goto out;
	if (!x->sst_part)
		x->sst_part = resolve(x->wb_part, "sharedStrings.xml");
	if (!x->styles_part)
		x->styles_part = resolve(x->wb_part, "styles.xml");
	if (!x->sst_part || !x->styles_part ||
	    !(x->sheets = calloc(ws.n ? ws.n : 1, sizeof *x->sheets))) {
		rc = oom(err);
		goto out;
	}
	for (i = 0; i < ws.n; i++) {
		hf__xlsx_sheetref *sh = &x->sheets[i];
		sh->name = ws.s[i].name;
		ws.s[i].name = NULL;
		x->nsheets++;
		for (j = 0; j < rs.n; j++) {
			if (strcmp(rs.r[j].id, ws.s[i].rid) || rs.r[j].external)
				continue;
			sh->is_chart =
			    !!strcmp(rel_kind(&rs.r[j]), "worksheet");
			if (!(sh->part = resolve(x->wb_part, rs.r[j].target))) {
				rc = oom(err);
				goto out;
			}
			break;
		}
	}
	if (x->nsheets == 0)
		rc = hf_error_set(err, HF_EPARSE, x->name,
				  "%s enthält kein Tabellenblatt.",
				  "%s contains no sheet.", x->name);
out:
	for (i = 0; i < ws.n; i++) {
		free(ws.s[i].name);
		free(ws.s[i].rid);
	}
	free(ws.s);
	rels_free(&rs);
	free(relpart);
	return rc;
}

/* ---- opening ---- */

static int open_error(hf_xlsx *x, int zerr, const unsigned char *head,
		      size_t len, hf_error *err)
{
	zip_error_t ze;
	int rc;

	if (len == 0)
		return hf_error_set(err, HF_EPARSE, x->name,
				    "%s ist leer, keine Excel-Datei.",
				    "%s is empty, no Excel file.", x->name);
	if ((zerr == ZIP_ER_NOZIP || zerr == ZIP_ER_INCONS ||
	     zerr == ZIP_ER_EOF || zerr == ZIP_ER_SEEK) &&
	    len >= 4 && !memcmp(head, "PK\x03\x04", 4))
		return hf_error_set(err, HF_EPARSE, x->name,
				    "%s ist abgeschnitten oder beschädigt "
				    "(das Inhaltsverzeichnis des ZIP-Archivs "
				    "fehlt oder ist falsch).",
				    "%s is truncated or damaged (the zip "
				    "archive's directory is missing or "
				    "wrong).",
				    x->name);
	if (zerr == ZIP_ER_NOZIP)
		return hf_error_set(err, HF_EPARSE, x->name,
				    "%s ist keine Excel-Datei (.xlsx): kein "
				    "ZIP-Archiv.",
				    "%s is no Excel file (.xlsx): not a zip "
				    "archive.",
				    x->name);
	zip_error_init_with_code(&ze, zerr);
	rc = hf_error_set(err, zerr == ZIP_ER_MEMORY ? HF_ENOMEM : HF_EPARSE,
			  x->name,
			  "%s lässt sich nicht als Excel-Datei lesen: %s.",
			  "%s cannot be read as an Excel file: %s.", x->name,
			  zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return rc;
}

static hf_xlsx *xlsx_new(const char *name)
{
	hf_xlsx *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	if (!(x->name = strdup(name ? name : "?"))) {
		free(x);
		return NULL;
	}
	x->lim.max_part = HF_XLSX_MAX_PART;
	x->lim.max_cells = HF_XLSX_MAX_CELLS;
	x->lim.max_string = HF_XLSX_MAX_STRING;
	return x;
}

static int finish_open(hf_xlsx *x, hf_xlsx **out, hf_error *err)
{
	int rc = read_workbook(x, err);
	if (rc < 0) {
		hf_xlsx_close(x);
		return rc;
	}
	*out = x;
	return HF_OK;
}

int hf_xlsx_open_mem(const char *name, const void *data, size_t len,
		     hf_xlsx **out, hf_error *err)
{
	hf_xlsx *x;
	zip_source_t *src;
	zip_error_t ze;

	*out = NULL;
	if (!(x = xlsx_new(name)))
		return oom(err);
	if (len == 0)
		goto fail_open;
	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(data, len, 0, &ze))) {
		zip_error_fini(&ze);
		hf_xlsx_close(x);
		return oom(err);
	}
	if (!(x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
		int rc = open_error(x, zip_error_code_zip(&ze), data, len, err);
		zip_source_free(src);
		zip_error_fini(&ze);
		hf_xlsx_close(x);
		return rc;
	}
	zip_error_fini(&ze);
	return finish_open(x, out, err);
fail_open : {
	int rc = open_error(x, ZIP_ER_NOZIP, data, len, err);
	hf_xlsx_close(x);
	return rc;
}
}

int hf_xlsx_open(const char *path, hf_xlsx **out, hf_error *err)
{
	unsigned char head[4];
	size_t len;
	hf_xlsx *x;
	FILE *f;
	int zerr = 0;

	*out = NULL;
	if (!(f = fopen(path, "rb")))
		return hf_error_set(
		    err, HF_EIO, path, "Datei %s lässt sich nicht öffnen: %s.",
		    "cannot open file %s: %s.", path, strerror(errno));
	len = fread(head, 1, sizeof head, f);
	fclose(f);
	if (!(x = xlsx_new(path)))
		return oom(err);
	if (len == 0 || !(x->zip = zip_open(path, ZIP_RDONLY, &zerr))) {
		int rc =
		    open_error(x, len ? zerr : ZIP_ER_NOZIP, head, len, err);
		hf_xlsx_close(x);
		return rc;
	}
	return finish_open(x, out, err);
}

void hf_xlsx_close(hf_xlsx *x)
{
	size_t i;
	if (!x)
		return;
	if (x->zip)
		zip_discard(x->zip);
	for (i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].part);
	}
	free(x->sheets);
	free(x->wb_part);
	free(x->sst_part);
	free(x->styles_part);
	hf__xlsx_sst_unref(x->sst);
	free(x->xf_date);
	free(x->name);
	free(x);
}

void hf_xlsx_set_limits(hf_xlsx *x, const hf_xlsx_limits *lim)
{
	if (lim->max_part)
		x->lim.max_part = lim->max_part;
	if (lim->max_cells)
		x->lim.max_cells = lim->max_cells;
	if (lim->max_string)
		x->lim.max_string = lim->max_string;
}

size_t hf_xlsx_nsheets(const hf_xlsx *x)
{
	return x->nsheets;
}

const char *hf_xlsx_sheet_name(const hf_xlsx *x, size_t i)
{
	return i < x->nsheets ? x->sheets[i].name : NULL;
}

int hf_xlsx_date1904(const hf_xlsx *x)
{
	return x->date1904;
}

void hf_xlsx_cellref(size_t row, size_t col, char *buf, size_t size)
{
	char letters[16];
	size_t n = 0, c = col + 1;
	while (c && n < sizeof letters - 1) {
		letters[n++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	if (!size)
		return;
	{
		char tmp[48];
		size_t i;
		for (i = 0; i < n; i++)
			tmp[i] = letters[n - 1 - i];
		snprintf(tmp + n, sizeof tmp - n, "%zu", row + 1);
		snprintf(buf, size, "%s", tmp);
	}
}

/* ---- shared strings ---- */

typedef struct sst_state {
	hf__xp xp;
	hf__xlsx_sst *t;
	int in_si, rph;
} sst_state;

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	sst_state *s = ud;
	const char *l = hf__xp_local(name);
	if (s->xp.rc < 0)
		return;
	if (!strcmp(l, "si")) {
		s->in_si = 1;
		s->rph = 0;
		hf__xp_text_reset(&s->xp);
	} else if (s->in_si && !strcmp(l, "rPh")) {
		s->rph++;
	} else if (s->in_si && !s->rph && !strcmp(l, "t")) {
		s->xp.collect = 1;
	}
}

static void sst_end(void *ud, const XML_Char *name)
{
	sst_state *s = ud;
	hf__xlsx_sst *t = s->t;
	const char *l = hf__xp_local(name);
	const char *str;

	if (s->xp.rc < 0)
		return;
	if (!strcmp(l, "t")) {
		s->xp.collect = 0;
	} else if (!strcmp(l, "rPh")) {
		if (s->rph)
			s->rph--;
	} else if (!strcmp(l, "si") && s->in_si) {
		s->in_si = 0;
		s->xp.collect = 0;
		hf__xp_text_unescape(&s->xp);
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 256;
			const char **ns = realloc(t->s, cap * sizeof *ns);
			if (!ns)
				goto nomem;
			t->s = ns;
			t->cap = cap;
		}
		str = hf__arena_dup(&t->mem, s->xp.text ? s->xp.text : "",
				    s->xp.tlen);
		if (!str)
			goto nomem;
		t->s[t->n++] = str;
	}
	return;
nomem:
	s->xp.rc = oom(s->xp.err);
	XML_StopParser(s->xp.p, XML_FALSE);
}

/* ---- styles: which cell formats show dates ---- */

typedef struct fmt {
	unsigned long id;
	size_t order;
	int is_date;
} fmt;

typedef struct styles_state {
	hf__xp xp;
	int in_xfs, in_fmts;
	fmt *f;
	size_t nf, capf;
	unsigned long *xf; /* numFmtId per cellXfs entry */
	size_t nxf, capxf;
} styles_state;

static int builtin_date(unsigned long id)
{
	return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

/* A format shows a date or time when it has d, m, y, h or s outside
 * quotes, brackets ([Red], [$-407]) and escaped characters. */
static int code_is_date(const char *c)
{
	for (; *c; c++) {
		switch (*c) {
		case '"':
			while (c[1] && c[1] != '"')
				c++;
			if (c[1])
				c++;
			break;
		case '[':
			while (c[1] && c[1] != ']')
				c++;
			if (c[1])
				c++;
			break;
		case '\\':
		case '_':
		case '*':
			if (c[1])
				c++;
			break;
		case 'd':
		case 'D':
		case 'm':
		case 'M':
		case 'y':
		case 'Y':
		case 'h':
		case 'H':
		case 's':
		case 'S':
			return 1;
		default:
			break;
		}
	}
	return 0;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return 0;
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	styles_state *s = ud;
	const char *l = hf__xp_local(name);
	unsigned long id = 0;

	if (s->xp.rc < 0)
		return;
	if (!strcmp(l, "cellXfs")) {
		s->in_xfs = 1;
	} else if (!strcmp(l, "numFmts")) {
		s->in_fmts = 1;
	} else if (s->in_xfs && !strcmp(l, "xf")) {
		if (s->nxf == s->capxf) {
			size_t cap = s->capxf ? s->capxf * 2 : 64;
			unsigned long *n = realloc(s->xf, cap * sizeof *n);
			if (!n)
				goto nomem;
			s->xf = n;
			s->capxf = cap;
		}
		if (parse_ulong(hf__xp_attr(atts, "numFmtId"), 1000000, &id))
			id = 0;
		s->xf[s->nxf++] = id;
	} else if (s->in_fmts && !strcmp(l, "numFmt")) {
		const char *code = hf__xp_attr(atts, "formatCode");
		if (parse_ulong(hf__xp_attr(atts, "numFmtId"), 1000000, &id) ||
		    !code)
			return;
		if (s->nf == s->capf) {
			size_t cap = s->capf ? s->capf * 2 : 16;
			fmt *n = realloc(s->f, cap * sizeof *n);
			if (!n)
				goto nomem;
			s->f = n;
			s->capf = cap;
		}
		s->f[s->nf].id = id;
		s->f[s->nf].order = s->nf;
		s->f[s->nf++].is_date = code_is_date(code);
	}
	return;
nomem:
	s->xp.rc = oom(s->xp.err);
	XML_StopParser(s->xp.p, XML_FALSE);
}

static void styles_end(void *ud, const XML_Char *name)
{
	styles_state *s = ud;
	const char *l = hf__xp_local(name);
	if (!strcmp(l, "cellXfs"))
		s->in_xfs = 0;
	else if (!strcmp(l, "numFmts"))
		s->in_fmts = 0;
}

static int fmt_cmp(const void *a, const void *b)
{
	const fmt *p = a, *q = b;
	if (p->id != q->id)
		return p->id < q->id ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

/* Whether format id shows a date: a custom format may reuse a built-in
 * number, and the last definition wins. f is sorted by fmt_cmp. */
static int fmt_is_date(const fmt *f, size_t n, unsigned long id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) { /* first entry with a larger id */
		size_t mid = lo + (hi - lo) / 2;
		if (f[mid].id <= id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && f[lo - 1].id == id)
		return f[lo - 1].is_date;
	return builtin_date(id);
}

static int load_styles(hf_xlsx *x, hf_error *err)
{
	styles_state s;
	size_t i;
	int rc;

	memset(&s, 0, sizeof s);
	rc = hf__xlsx_parse(x, x->styles_part, 1, &s.xp, styles_start,
			    styles_end, err);
	if (rc == HF_ENOTFOUND)
		rc = HF_OK;
	if (rc < 0)
		goto out;
	if (s.nxf && !(x->xf_date = malloc(s.nxf))) {
		rc = oom(err);
		goto out;
	}
	x->nxf = s.nxf;
	if (s.nf)
		qsort(s.f, s.nf, sizeof *s.f, fmt_cmp);
	for (i = 0; i < s.nxf; i++)
		x->xf_date[i] = (unsigned char)fmt_is_date(s.f, s.nf, s.xf[i]);
out:
	free(s.f);
	free(s.xf);
	return rc;
}

int hf__xlsx_load_aux(hf_xlsx *x, hf_error *err)
{
	sst_state s;
	int rc;

	if (x->aux_loaded)
		return HF_OK;
	memset(&s, 0, sizeof s);
	if (!(s.t = calloc(1, sizeof *s.t)))
		return oom(err);
	s.t->refs = 1;
	rc = hf__xlsx_parse(x, x->sst_part, 1, &s.xp, sst_start, sst_end, err);
	if (rc == HF_ENOTFOUND)
		rc = HF_OK;
	if (rc < 0) {
		hf__xlsx_sst_unref(s.t);
		return rc;
	}
	if ((rc = load_styles(x, err)) < 0) {
		hf__xlsx_sst_unref(s.t);
		return rc;
	}
	x->sst = s.t;
	x->aux_loaded = 1;
	return HF_OK;
}

/*
 * xlsx_xml.c: the plumbing of the XLSX reader: a text arena whose strings
 * never move, and streaming one XML part of the zip through expat in
 * chunks, with the caps on part size and text length and the place
 * (part:line:column) of every error. No DTD is accepted.
 */
#include "xlsx_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	/* names keep their prefix ("x:c", "r:id"); prefixes are ignored,
	 * which costs less than expat's namespace processing and reads
	 * every producer's choice of prefixes alike */
	const char *s = strchr(name, ':');
	return s ? s + 1 : name;
}

const char *hf__xp_attr(const char **atts, const char *local)
{
	for (; atts[0]; atts += 2)
		if (!strcmp(hf__xp_local(atts[0]), local))
			return atts[1];
	return NULL;
}

int hf__xp_ulong(const char *s, unsigned long max, unsigned long *out)
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

zip_int64_t hf__xlsx_locate(hf_xlsx *x, const char *part)
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
	zip_int64_t idx = hf__xlsx_locate(x, part);
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
	if (!(xp->p = XML_ParserCreate(NULL))) {
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

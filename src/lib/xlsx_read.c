/*
 * xlsx_read.c: an .xlsx workbook opened for reading: the zip archive
 * (libzip), the workbook part found through the package relationships,
 * its sheets and the parts they live in. Shared strings and styles are in
 * xlsx_shared.c, sheets in xlsx_sheet.c, the XML streaming in xlsx_xml.c.
 */
#include "xlsx_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHEETS 10000

/* ---- libzip, loaded on first use (dl.h) --------------------------------- */

struct hf__zip_api hf__zip;

/* the soname of libzip's ABI since 1.6 (2020) */
HF_DL_LIBRARY(zip_lib, HF_ZIP_FUNCS, hf__zip, "libzip.so.4", "libzip4",
	      "Die ZIP-Bibliothek (libzip) zum Lesen von XLSX",
	      "The ZIP library (libzip) for reading XLSX");

int hf__zip_load(hf_error *err)
{
	return hf__dl_load(&zip_lib, "xlsx", err);
}

static int oom(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
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
	if (rc == HF_OK && hf__xlsx_locate(x, x->wb_part) < 0)
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
	if (len >= 4 && !memcmp(head, "\xD0\xCF\x11\xE0", 4))
		return hf_error_set(err, HF_EPARSE, x->name,
				    "%s ist eine alte Excel-Datei (.xls) oder "
				    "mit Kennwort verschlüsselt; bitte in "
				    "Excel als .xlsx ohne Kennwort speichern.",
				    "%s is an old Excel file (.xls) or "
				    "encrypted with a password; please save it "
				    "in Excel as .xlsx without a password.",
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
	int rc;

	*out = NULL;
	if ((rc = hf__zip_load(err)) < 0)
		return rc;
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
		rc = open_error(x, zip_error_code_zip(&ze), data, len, err);
		zip_source_free(src);
		zip_error_fini(&ze);
		hf_xlsx_close(x);
		return rc;
	}
	zip_error_fini(&ze);
	return finish_open(x, out, err);
fail_open : {
	rc = open_error(x, ZIP_ER_NOZIP, data, len, err);
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
	int zerr = 0, rc;

	*out = NULL;
	if ((rc = hf__zip_load(err)) < 0)
		return rc;
	if (!(f = fopen(path, "rb")))
		return hf_error_set(
		    err, HF_EIO, path, "Datei %s lässt sich nicht öffnen: %s.",
		    "cannot open file %s: %s.", path, strerror(errno));
	len = fread(head, 1, sizeof head, f);
	if (ferror(f)) { /* a directory, say */
		int e = errno;
		fclose(f);
		return hf_error_set(
		    err, HF_EIO, path, "Datei %s lässt sich nicht lesen: %s.",
		    "cannot read file %s: %s.", path, strerror(e));
	}
	fclose(f);
	if (!(x = xlsx_new(path)))
		return oom(err);
	if (len == 0 || !(x->zip = zip_open(path, ZIP_RDONLY, &zerr))) {
		rc = open_error(x, len ? zerr : ZIP_ER_NOZIP, head, len, err);
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

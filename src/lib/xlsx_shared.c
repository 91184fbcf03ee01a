/*
 * xlsx_shared.c: what the sheets of a workbook share: the shared string
 * table (rich text runs joined, phonetic runs left out) and, from the
 * styles, which cell formats show dates.
 */
#include "xlsx_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_FORMATS (1 << 20) /* Excel itself allows 64000 */

static int oom(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
}

void hf__xlsx_sst_unref(hf__xlsx_sst *t)
{
	if (!t || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	hf__arena_free(&t->mem);
	free(t->s);
	free(t);
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
		if (t->n >= s->xp.x->lim.max_cells) {
			hf__xp_fail(&s->xp, HF_ERANGE,
				    "Mehr als %zu gemeinsame Texte.",
				    "more than %zu shared strings.",
				    s->xp.x->lim.max_cells);
			return;
		}
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
		if (s->nxf >= MAX_FORMATS)
			goto too_many;
		if (s->nxf == s->capxf) {
			size_t cap = s->capxf ? s->capxf * 2 : 64;
			unsigned long *n = realloc(s->xf, cap * sizeof *n);
			if (!n)
				goto nomem;
			s->xf = n;
			s->capxf = cap;
		}
		if (hf__xp_ulong(hf__xp_attr(atts, "numFmtId"), 1000000, &id))
			id = 0;
		s->xf[s->nxf++] = id;
	} else if (s->in_fmts && !strcmp(l, "numFmt")) {
		const char *code = hf__xp_attr(atts, "formatCode");
		if (hf__xp_ulong(hf__xp_attr(atts, "numFmtId"), 1000000, &id) ||
		    !code)
			return;
		if (s->nf >= MAX_FORMATS)
			goto too_many;
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
too_many:
	hf__xp_fail(&s->xp, HF_ERANGE, "Mehr als %d Zellformate.",
		    "more than %d cell formats.", MAX_FORMATS);
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

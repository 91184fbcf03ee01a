/* match_read.c: households.csv, units.csv and scores.npy into a match
 * instance (hf_match_input_read, declared in hafen/match.h), for the
 * command and the server alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hafen/csv.h"
#include "hafen/match.h"
#include "hafen/npy.h"

/* Per household its lists: needs, ties, preferences, languages,
 * occupations; per unit: services, priorities, languages, demand. */
enum { HL_NEEDS, HL_TIES, HL_PREFS, HL_LANG, HL_OCC, HL_COUNT };
enum { UL_SERV, UL_PRIO, UL_LANG, UL_DEMAND, UL_COUNT };

/* ---- names and ids ------------------------------------------------------ */

static long names_find(const hf_match_names *t, const char *s, size_t len)
{
	size_t k;
	for (k = 0; k < t->n; k++)
		if (strlen(t->v[k]) == len && !memcmp(t->v[k], s, len))
			return (long)k;
	return -1;
}

static long names_add(hf_match_names *t, const char *s, size_t len)
{
	long k = names_find(t, s, len);
	if (k >= 0)
		return k;
	if (t->n == t->cap) {
		size_t nc = t->cap ? 2 * t->cap : 8;
		char **nv = realloc(t->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		t->v = nv;
		t->cap = nc;
	}
	if (!(t->v[t->n] = strndup(s, len)))
		return -1;
	return (long)t->n++;
}

static void names_free(hf_match_names *t)
{
	size_t k;
	for (k = 0; k < t->n; k++)
		free(t->v[k]);
	free(t->v);
}

/* Open addressing over strings: ids of households, codes of units. */
typedef struct idx {
	const char **key;
	size_t *val, cap;
} idx;

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int idx_init(idx *x, size_t n)
{
	x->cap = 16;
	while (x->cap < 2 * n + 2)
		x->cap *= 2;
	x->key = calloc(x->cap, sizeof *x->key);
	x->val = calloc(x->cap, sizeof *x->val);
	return x->key && x->val ? 0 : -1;
}

/* The slot of s: its value when present (returns 1), else where it goes. */
static int idx_slot(const idx *x, const char *s, size_t *slot)
{
	size_t k = (size_t)hash(s) & (x->cap - 1);
	while (x->key[k]) {
		if (!strcmp(x->key[k], s)) {
			*slot = k;
			return 1;
		}
		k = (k + 1) & (x->cap - 1);
	}
	*slot = k;
	return 0;
}

static void idx_free(idx *x)
{
	free(x->key);
	free(x->val);
}

/* ---- errors -------------------------------------------------------------- */

static int bad(hf_error *err, const hf_csv *c, size_t row, const char *col,
	       const char *de, const char *en, const char *value)
{
	char where[HF_ERROR_WHERE_MAX];
	hf_csv_where(c, row, col, where, sizeof where);
	return hf_error_set(err, HF_EINVAL, where, de, en, value);
}

static int oom(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
}

/* ---- lists --------------------------------------------------------------- */

static int pool_add(hf_match_input *mi, uint32_t v)
{
	if (mi->npool == mi->cappool) {
		size_t nc = mi->cappool ? 2 * mi->cappool : 1024;
		uint32_t *np = realloc(mi->pool, nc * sizeof *np);
		if (!np)
			return -1;
		mi->pool = np;
		mi->cappool = nc;
	}
	mi->pool[mi->npool++] = v;
	return 0;
}

typedef enum { L_NAMES, L_UNITS, L_HOUSEHOLDS } ltype;

/* Parses the |-separated field of column col into the pool: names are
 * added to t; unit codes and household ids are looked up in x. */
static int parse_field(hf_error *err, hf_match_input *mi, const hf_csv *c,
		       size_t row, const char *col, const char *p, ltype type,
		       hf_match_names *t, const idx *x, size_t *off,
		       size_t *len)
{
	*off = mi->npool;
	*len = 0;
	if (!p)
		return 0;
	while (*p) {
		const char *e = strchr(p, '|');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		long v;
		while (l && (*p == ' ' || *p == '\t'))
			p++, l--;
		while (l && (p[l - 1] == ' ' || p[l - 1] == '\t'))
			l--;
		if (l) {
			if (type == L_NAMES) {
				if ((v = names_add(t, p, l)) < 0)
					return oom(err);
			} else {
				char key[256];
				size_t slot;
				snprintf(key, sizeof key, "%.*s", (int)l, p);
				if (!idx_slot(x, key, &slot))
					return bad(err, c, row, col,
						   type == L_UNITS
						       ? "»%s« ist kein "
							 "Code aus der "
							 "Einheitendatei."
						       : "»%s« ist keine "
							 "Kennung aus der "
							 "Haushaltsdatei.",
						   type == L_UNITS
						       ? "'%s' is not a "
							 "code of the units "
							 "file."
						       : "'%s' is not an id "
							 "of the households "
							 "file.",
						   key);
				v = (long)x->val[slot];
			}
			if (pool_add(mi, (uint32_t)v) < 0)
				return oom(err);
			(*len)++;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* The same with the field looked up by name (units: a few hundred rows). */
static int parse_list(hf_error *err, hf_match_input *mi, const hf_csv *c,
		      size_t row, const char *col, ltype type,
		      hf_match_names *t, const idx *x, size_t *off, size_t *len)
{
	return parse_field(err, mi, c, row, col, hf_csv_get(c, row, col), type,
			   t, x, off, len);
}

/* The whole number v of column col (NULL: the column is missing). */
static int int_field(hf_error *err, const hf_csv *c, size_t row,
		     const char *col, const char *v, int64_t lo, int64_t *out)
{
	if (!v || hf_int_parse(v, out) < 0 || *out < lo)
		return bad(err, c, row, col,
			   lo > 0 ? "»%s« ist keine ganze Zahl ≥ 1."
				  : "»%s« ist keine ganze Zahl ≥ 0.",
			   lo > 0 ? "'%s' is not a whole number >= 1."
				  : "'%s' is not a whole number >= 0.",
			   v ? v : "");
	return 0;
}

static int need_int(hf_error *err, const hf_csv *c, size_t row, const char *col,
		    int64_t lo, int64_t *out)
{
	return int_field(err, c, row, col, hf_csv_get(c, row, col), lo, out);
}

static int require(hf_error *err, const hf_csv *c, const char *col)
{
	/* a file of a header only has no rows to need the column */
	if (hf_csv_has(c, col) || !hf_csv_nrows(c))
		return 0;
	return bad(err, c, 0, col, "Spalte %s fehlt.", "column %s is missing.",
		   col);
}

/* ---- units ----------------------------------------------------------- */

static int read_units(hf_error *err, hf_match_input *mi, idx *ux)
{
	hf_csv *c = mi->ucsv;
	size_t m = hf_csv_nrows(c), j, k, d;
	int rc;

	if ((rc = require(err, c, "code")) ||
	    (rc = require(err, c, "capacity")))
		return rc;
	if (names_add(&mi->dims, "capacity", 8) < 0)
		return oom(err);
	for (k = 0; k < hf_csv_ncols(c); k++) {
		const char *col = hf_csv_column(c, k);
		if (!strncmp(col, "cap:", 4)) {
			if (!col[4])
				return bad(err, c, 0, col,
					   "Spalte »%s« ohne Namen.",
					   "column '%s' has no name.", col);
			if (names_add(&mi->dims, col + 4, strlen(col + 4)) < 0)
				return oom(err);
		}
	}
	mi->units = calloc(m + 1, sizeof *mi->units);
	mi->cap = calloc((m + 1) * mi->dims.n, sizeof *mi->cap);
	mi->uoff = calloc((m + 1) * UL_COUNT, sizeof *mi->uoff);
	mi->ulen = calloc((m + 1) * UL_COUNT, sizeof *mi->ulen);
	if (!mi->units || !mi->cap || !mi->uoff || !mi->ulen ||
	    idx_init(ux, m) < 0)
		return oom(err);
	for (j = 0; j < m; j++) {
		hf_match_unit *u = &mi->units[j];
		const char *code = hf_csv_get(c, j, "code");
		const char *mn = hf_csv_get(c, j, "min");
		const char *mx = hf_csv_get(c, j, "max");
		const char *sh = hf_csv_get(c, j, "share");
		int64_t *cap = mi->cap + j * mi->dims.n;
		size_t slot;
		if (!*code)
			return bad(err, c, j, "code", "Code fehlt.%s",
				   "code is missing.%s", "");
		if (idx_slot(ux, code, &slot))
			return bad(err, c, j, "code",
				   "%s steht zweimal in der Datei.",
				   "%s appears twice in the file.", code);
		ux->key[slot] = code;
		ux->val[slot] = j;
		u->code = code;
		if ((rc = need_int(err, c, j, "capacity", 0, &cap[0])))
			return rc;
		for (d = 1; d < mi->dims.n; d++) {
			char col[300];
			snprintf(col, sizeof col, "cap:%s", mi->dims.v[d]);
			if ((rc = need_int(err, c, j, col, 0, &cap[d])))
				return rc;
		}
		u->cap = cap;
		u->min = 0;
		u->max = cap[0];
		if (mn && *mn && (rc = need_int(err, c, j, "min", 0, &u->min)))
			return rc;
		if (mx && *mx && (rc = need_int(err, c, j, "max", 0, &u->max)))
			return rc;
		if (u->min > u->max)
			return bad(err, c, j, "min",
				   "Mindestaufnahme %s liegt über der "
				   "Höchstaufnahme.",
				   "minimum %s lies above the maximum.", mn);
		u->share = hf_rat_int(0);
		if (sh && *sh &&
		    (hf_rat_parse(sh, &u->share) < 0 || u->share.num < 0))
			return bad(err, c, j, "share",
				   "»%s« ist kein Anteil (Bruch oder "
				   "Dezimalzahl ≥ 0).",
				   "'%s' is not a share (fraction or decimal "
				   ">= 0).",
				   sh);
	}
	for (j = 0; j < m; j++) {
		size_t *o = mi->uoff + j * UL_COUNT,
		       *l = mi->ulen + j * UL_COUNT;
		if ((rc = parse_list(err, mi, c, j, "services", L_NAMES,
				     &mi->services, NULL, &o[UL_SERV],
				     &l[UL_SERV])) ||
		    (rc = parse_list(err, mi, c, j, "languages", L_NAMES,
				     &mi->langs, NULL, &o[UL_LANG],
				     &l[UL_LANG])) ||
		    (rc =
			 parse_list(err, mi, c, j, "demand", L_NAMES, &mi->occs,
				    NULL, &o[UL_DEMAND], &l[UL_DEMAND])))
			return rc;
	}
	return 0;
}

/* ---- households -------------------------------------------------------- */

/* The built-in use of a named dimension, from ages: flats one per
 * household, school the members aged 6-17, childcare those aged 0-5;
 * -1 for any other name (it needs a use:NAME column). */
enum { B_FLATS, B_SCHOOL, B_CHILDCARE, B_COUNT };

static int builtin_kind(const char *dim)
{
	if (!strcmp(dim, "flats"))
		return B_FLATS;
	if (!strcmp(dim, "school"))
		return B_SCHOOL;
	if (!strcmp(dim, "childcare"))
		return B_CHILDCARE;
	return -1;
}

/* Row r's ages p (NULL or empty: none given), checked against its
 * persons, and what they use of each built-in dimension (b[B_COUNT]). */
static int read_ages(hf_error *err, const hf_csv *c, size_t r, const char *p,
		     int64_t persons, int64_t *b)
{
	const char *s = p;
	int64_t count = 0;
	b[B_FLATS] = 1;
	b[B_SCHOOL] = b[B_CHILDCARE] = 0;
	if (!p || !*p)
		return 0;
	for (;;) {
		char *e;
		long a = strtol(s, &e, 10);
		if (e == s || a < 0 || a > 130 || (*e && *e != '|'))
			return bad(err, c, r, "ages",
				   "»%s«: Alter sind ganze Zahlen 0 bis 130, "
				   "getrennt durch |.",
				   "'%s': ages are whole numbers 0 to 130, "
				   "separated by |.",
				   p);
		count++;
		b[B_SCHOOL] += a >= 6 && a <= 17;
		b[B_CHILDCARE] += a <= 5;
		if (!*e)
			break;
		s = e + 1;
	}
	if (count != persons)
		return bad(err, c, r, "ages",
			   "»%s«: so viele Alter wie Personen sind nötig.",
			   "'%s': as many ages as persons are needed.", p);
	return 0;
}

/* A named dimension's column of use:NAME (k, -1 if none) and its
 * built-in use otherwise; the column's name for messages. */
typedef struct usecol {
	char name[300];
	long k;
	int builtin;
} usecol;

/* The columns are found once, not per row (150,000 rows, a national
 * batch). */
static int read_households(hf_error *err, hf_match_input *mi, const idx *ux,
			   idx *hx)
{
	static const char *const lists[HL_COUNT] = {
	    "needs", "ties", "preferences", "languages", "occupations"};
	static const ltype ltypes[HL_COUNT] = {L_NAMES, L_UNITS, L_UNITS,
					       L_NAMES, L_NAMES};
	hf_match_names *names[HL_COUNT] = {&mi->services, NULL, NULL,
					   &mi->langs, &mi->occs};
	hf_csv *c = mi->hcsv;
	size_t n = hf_csv_nrows(c), nd = mi->dims.n, i, d, l;
	long kid = hf_csv_find(c, "id"), kpersons = hf_csv_find(c, "persons"),
	     kages = hf_csv_find(c, "ages"), klist[HL_COUNT];
	usecol *uc;
	int rc = 0;

	if ((rc = require(err, c, "id")) || (rc = require(err, c, "persons")))
		return rc;
	if (!(uc = calloc(nd, sizeof *uc)))
		return oom(err);
	for (d = 1; d < nd; d++) {
		snprintf(uc[d].name, sizeof uc[d].name, "use:%s",
			 mi->dims.v[d]);
		uc[d].k = hf_csv_find(c, uc[d].name);
		uc[d].builtin = builtin_kind(mi->dims.v[d]);
		if (uc[d].k < 0 && uc[d].builtin < 0) {
			rc = bad(err, c, 0, uc[d].name,
				 "Spalte %s fehlt: die Einheiten haben "
				 "diese Kapazität, und nur school, "
				 "childcare und flats werden aus ages "
				 "abgeleitet.",
				 "column %s is missing: the units have this "
				 "capacity, and only school, childcare and "
				 "flats are derived from ages.",
				 uc[d].name);
			goto out;
		}
	}
	for (l = 0; l < HL_COUNT; l++)
		klist[l] = hf_csv_find(c, lists[l]);
	mi->hh = calloc(n + 1, sizeof *mi->hh);
	mi->use = calloc((n + 1) * nd, sizeof *mi->use);
	mi->hoff = calloc((n + 1) * HL_COUNT, sizeof *mi->hoff);
	mi->hlen = calloc((n + 1) * HL_COUNT, sizeof *mi->hlen);
	if (!mi->hh || !mi->use || !mi->hoff || !mi->hlen ||
	    idx_init(hx, n) < 0) {
		rc = oom(err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		hf_match_household *h = &mi->hh[i];
		const char *id = hf_csv_at(c, i, kid);
		int64_t *use = mi->use + i * nd, b[B_COUNT];
		size_t slot;
		if (!*id) {
			rc = bad(err, c, i, "id", "Kennung fehlt.%s",
				 "id is missing.%s", "");
			goto out;
		}
		if (idx_slot(hx, id, &slot)) {
			rc = bad(err, c, i, "id",
				 "Kennung %s steht zweimal in der Datei.",
				 "id %s appears twice in the file.", id);
			goto out;
		}
		hx->key[slot] = id;
		hx->val[slot] = i;
		h->id = id;
		if ((rc = int_field(err, c, i, "persons",
				    hf_csv_at(c, i, kpersons), 1,
				    &h->persons)) ||
		    (rc = read_ages(err, c, i, hf_csv_at(c, i, kages),
				    h->persons, b)))
			goto out;
		use[0] = h->persons;
		for (d = 1; d < nd; d++) {
			if (uc[d].k < 0)
				use[d] = b[uc[d].builtin];
			else if ((rc = int_field(err, c, i, uc[d].name,
						 hf_csv_at(c, i, uc[d].k), 0,
						 &use[d])))
				goto out;
		}
		h->use = use;
	}
	for (i = 0; i < n; i++) {
		size_t *o = mi->hoff + i * HL_COUNT,
		       *len = mi->hlen + i * HL_COUNT;
		for (l = 0; l < HL_COUNT; l++)
			if ((rc = parse_field(err, mi, c, i, lists[l],
					      hf_csv_at(c, i, klist[l]),
					      ltypes[l], names[l], ux, &o[l],
					      &len[l])))
				goto out;
	}
out:
	free(uc);
	return rc;
}

/* Lists are in the pool now; point at them. */
static int resolve(hf_error *err, hf_match_input *mi)
{
	size_t n = hf_csv_nrows(mi->hcsv), m = hf_csv_nrows(mi->ucsv), i, j;
	const uint32_t **t;
	size_t *tn;
	for (i = 0; i < n; i++) {
		const size_t *o = mi->hoff + i * HL_COUNT,
			     *l = mi->hlen + i * HL_COUNT;
		mi->hh[i].needs = mi->pool + o[HL_NEEDS];
		mi->hh[i].nneeds = l[HL_NEEDS];
		mi->hh[i].ties = mi->pool + o[HL_TIES];
		mi->hh[i].nties = l[HL_TIES];
		mi->hh[i].prefs = mi->pool + o[HL_PREFS];
		mi->hh[i].nprefs = l[HL_PREFS];
	}
	for (j = 0; j < m; j++) {
		const size_t *o = mi->uoff + j * UL_COUNT,
			     *l = mi->ulen + j * UL_COUNT;
		mi->units[j].services = mi->pool + o[UL_SERV];
		mi->units[j].nservices = l[UL_SERV];
		mi->units[j].priority =
		    l[UL_PRIO] ? mi->pool + o[UL_PRIO] : NULL;
		mi->units[j].npriority = l[UL_PRIO];
	}
	/* traits for the built-in scores: two n-arrays, two m-arrays */
	mi->tptr = calloc(2 * (n + m) + 1, sizeof *mi->tptr);
	tn = calloc(2 * (n + m) + 1, sizeof *tn);
	if (!mi->tptr || !tn) {
		free(tn);
		return oom(err);
	}
	t = mi->tptr;
	for (i = 0; i < n; i++) {
		const size_t *o = mi->hoff + i * HL_COUNT,
			     *l = mi->hlen + i * HL_COUNT;
		t[i] = mi->pool + o[HL_LANG];
		tn[i] = l[HL_LANG];
		t[n + i] = mi->pool + o[HL_OCC];
		tn[n + i] = l[HL_OCC];
	}
	for (j = 0; j < m; j++) {
		const size_t *o = mi->uoff + j * UL_COUNT,
			     *l = mi->ulen + j * UL_COUNT;
		t[2 * n + j] = mi->pool + o[UL_LANG];
		tn[2 * n + j] = l[UL_LANG];
		t[2 * n + m + j] = mi->pool + o[UL_DEMAND];
		tn[2 * n + m + j] = l[UL_DEMAND];
	}
	mi->traits.hh_lang = t;
	mi->traits.hh_nlang = tn;
	mi->traits.hh_occ = t + n;
	mi->traits.hh_nocc = tn + n;
	mi->traits.unit_lang = t + 2 * n;
	mi->traits.unit_nlang = tn + 2 * n;
	mi->traits.unit_occ = t + 2 * n + m;
	mi->traits.unit_nocc = tn + 2 * n + m;
	return 0;
}

/* Reads the instance from the CSV tables and the matrix already parsed
 * into mi (sname names the matrix in messages). */
static int build(hf_match_input *mi, const char *sname, hf_error *err)
{
	idx ux = {0}, hx = {0};
	size_t n, m, j;
	int rc;

	n = hf_csv_nrows(mi->hcsv);
	m = hf_csv_nrows(mi->ucsv);
	if ((rc = read_units(err, mi, &ux)) ||
	    (rc = read_households(err, mi, &ux, &hx)))
		goto out;
	for (j = 0; j < m; j++) {
		size_t *o = mi->uoff + j * UL_COUNT,
		       *l = mi->ulen + j * UL_COUNT;
		if ((rc = parse_list(err, mi, mi->ucsv, j, "priorities",
				     L_HOUSEHOLDS, NULL, &hx, &o[UL_PRIO],
				     &l[UL_PRIO])))
			goto out;
	}
	if ((rc = resolve(err, mi)))
		goto out;
	mi->in.n = n;
	mi->in.m = m;
	mi->in.ndims = mi->dims.n;
	mi->in.dim_names = (const char *const *)mi->dims.v;
	mi->in.nservices = mi->services.n;
	mi->in.service_names = (const char *const *)mi->services.v;
	mi->in.hh = mi->hh;
	mi->in.units = mi->units;
	if (mi->npy) {
		if (mi->npy->rows != n || mi->npy->cols != m) {
			rc = hf_error_set(
			    err, HF_EINVAL, sname,
			    "die Matrix hat die Form (%zu, %zu); nötig ist "
			    "(%zu, %zu): %zu Haushalte × %zu Einheiten.",
			    "the matrix has shape (%zu, %zu); (%zu, %zu) is "
			    "needed: %zu households × %zu units.",
			    mi->npy->rows, mi->npy->cols, n, m, n, m);
			goto out;
		}
		mi->in.scores.stype =
		    mi->npy->dtype == HF_NPY_F4 ? HF_MATCH_F32 : HF_MATCH_F64;
		mi->in.scores.data = mi->npy->data;
		mi->in.scores.row = mi->npy->fortran ? 1 : m;
		mi->in.scores.col = mi->npy->fortran ? n : 1;
	}
out:
	idx_free(&ux);
	idx_free(&hx);
	return rc;
}

int hf_match_input_read(const char *hfile, const char *ufile, const char *sfile,
			hf_match_input *mi, hf_error *err)
{
	int rc;

	memset(mi, 0, sizeof *mi);
	if ((rc = hf_csv_read_file(hfile, &mi->hcsv, err)) < 0 ||
	    (rc = hf_csv_read_file(ufile, &mi->ucsv, err)) < 0 ||
	    (sfile && (rc = hf_npy_open(sfile, &mi->npy, err)) < 0))
		return rc;
	return build(mi, sfile, err);
}

int hf_match_input_read_mem(const char *hname, const char *htext, size_t hlen,
			    const char *uname, const char *utext, size_t ulen,
			    const char *sname, const void *scores, size_t slen,
			    hf_match_input *mi, hf_error *err)
{
	int rc;

	memset(mi, 0, sizeof *mi);
	if ((rc = hf_csv_read_text(hname, htext, hlen, &mi->hcsv, err)) < 0 ||
	    (rc = hf_csv_read_text(uname, utext, ulen, &mi->ucsv, err)) < 0 ||
	    (scores &&
	     (rc = hf_npy_parse(sname, scores, slen, &mi->npy, err)) < 0))
		return rc;
	return build(mi, sname, err);
}

int hf_match_input_builtin(hf_match_input *mi, const hf_match_weights *w,
			   hf_error *err)
{
	size_t n = mi->in.n, m = mi->in.m;
	if (m && n > (size_t)-1 / sizeof(double) / m)
		return oom(err);
	if (!(mi->builtin = calloc(n * m + 1, sizeof *mi->builtin)))
		return oom(err);
	hf_match_scores_builtin(&mi->in, &mi->traits, w, mi->builtin, NULL);
	mi->in.scores = (hf_match_scores){HF_MATCH_F64, mi->builtin, m, 1};
	return 0;
}

void hf_match_input_free(hf_match_input *mi)
{
	if (!mi)
		return;
	if (mi->traits.hh_nlang)
		free((void *)mi->traits.hh_nlang);
	free(mi->tptr);
	free(mi->builtin);
	free(mi->hh);
	free(mi->units);
	free(mi->use);
	free(mi->cap);
	free(mi->pool);
	free(mi->hoff);
	free(mi->uoff);
	free(mi->hlen);
	free(mi->ulen);
	names_free(&mi->dims);
	names_free(&mi->services);
	names_free(&mi->langs);
	names_free(&mi->occs);
	hf_npy_close(mi->npy);
	hf_csv_free(mi->hcsv);
	hf_csv_free(mi->ucsv);
}

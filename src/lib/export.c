/*
 * export.c: every record of a kind written in the columns import reads,
 * as CSV (tool or German Excel dialect), JSON or XLSX. Written so that
 * importing the file gives the same records: rationals exact, dates and
 * times unambiguous, the ledger's own numbers (id, corrects, pair) kept.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_kinds_int.h"
#include "hafen/csv.h"
#include "hafen/xlsx.h"

typedef struct sink {
	const hf__io_spec *sp;
	const hf_export_options *o;
	FILE *f;
	json_t *rows;
	hf_xlsx_writer *w;
	int n; /* columns written */
	int cols[HF__IO_MAXCOLS];
	hf_error *err;
} sink;

static int sink_begin(sink *s, hf_error *err)
{
	int i, excel = s->o->dialect == HF_DIALECT_EXCEL;
	const char *nl = excel ? "\r\n" : "\n";

	s->n = 0;
	for (i = 0; i < s->sp->ncols; i++)
		if (!(s->sp->cols[i].flags & HF__C_IMPORT))
			s->cols[s->n++] = i;
	switch (s->o->format) {
	case HF_IO_JSON:
		s->rows = json_array();
		return s->rows ? HF_OK : HF_ENOMEM;
	case HF_IO_XLSX: {
		hf_xlsx_column xc[HF__IO_MAXCOLS];
		for (i = 0; i < s->n; i++) {
			const hf__io_col *c = &s->sp->cols[s->cols[i]];
			xc[i].header = s->o->lang == HF_LANG_EN ? c->en : c->de;
			xc[i].type = c->type == HF__T_INT    ? HF_XLSX_COL_INT
				     : c->type == HF__T_DATE ? HF_XLSX_COL_DATE
							     : HF_XLSX_COL_TEXT;
			xc[i].places = 0;
		}
		return hf_xlsx_writer_sheet(s->w,
					    s->o->lang == HF_LANG_EN
						? s->sp->sheet_en
						: s->sp->sheet_de,
					    xc, s->n, err);
	}
	default:
		if (excel)
			fputs("\xEF\xBB\xBF", s->f);
		for (i = 0; i < s->n; i++) {
			const hf__io_col *c = &s->sp->cols[s->cols[i]];
			if (i)
				fputc(excel ? ';' : ',', s->f);
			hf_csv_put_field(s->f, excel ? c->de : c->en,
					 excel ? ';' : ',',
					 HF_CSV_QUOTE_SPACES);
		}
		fputs(nl, s->f);
		return HF_OK;
	}
}

/* A rational cell ("num/den" or a whole number) as CSV and XLSX show it:
 * a decimal where it is one, with the dialect's separator. */
static const char *dec_text(const char *v, char sep, char *buf, size_t size)
{
	hf_rat r;

	if (hf_rat_parse(v, &r) < 0)
		return v;
	hf__io_format_rat(r, sep, buf, size);
	return buf;
}

/* One record: cells by spec column, NULL or "" empty; rationals as exact
 * fractions ("216530/2903773", JSON keeps them so, as the command's JSON
 * does), dates ISO. */
static int sink_row(sink *s, const char *const *cells)
{
	int i, excel = s->o->dialect == HF_DIALECT_EXCEL;
	char dec[HF__IO_MAXCOLS][48];

	switch (s->o->format) {
	case HF_IO_JSON: {
		json_t *o = json_object();
		if (!o)
			return HF_ENOMEM;
		for (i = 0; i < s->n; i++) {
			const hf__io_col *c = &s->sp->cols[s->cols[i]];
			const char *v = cells[s->cols[i]];
			json_t *j;
			if (!v || !*v)
				j = c->type == HF__T_TEXT ? json_string("")
							  : json_null();
			else if (c->type == HF__T_INT)
				j = json_integer(strtoll(v, NULL, 10));
			else
				j = json_string(v);
			json_object_set_new(o, c->en, j);
		}
		return json_array_append_new(s->rows, o) ? HF_ENOMEM : HF_OK;
	}
	case HF_IO_XLSX: {
		const char *v[HF__IO_MAXCOLS];
		for (i = 0; i < s->n; i++) {
			v[i] = cells[s->cols[i]];
			if (v[i] && !*v[i])
				v[i] = NULL;
			else if (v[i] &&
				 s->sp->cols[s->cols[i]].type == HF__T_DEC)
				v[i] =
				    dec_text(v[i], '.', dec[i], sizeof dec[i]);
		}
		return hf_xlsx_writer_row(s->w, v, s->err);
	}
	default:
		for (i = 0; i < s->n; i++) {
			const hf__io_col *c = &s->sp->cols[s->cols[i]];
			const char *v = cells[s->cols[i]];
			char buf[64];
			if (i)
				fputc(excel ? ';' : ',', s->f);
			if (!v)
				continue;
			if (excel && c->type == HF__T_DATE && strlen(v) == 10) {
				hf_date d;
				if (hf_date_parse(v, &d) == HF_OK) {
					hf_date_format_de(d, buf);
					v = buf;
				}
			} else if (c->type == HF__T_DEC) {
				v = dec_text(v, excel ? ',' : '.', buf,
					     sizeof buf);
			}
			hf_csv_put_field(s->f, v, excel ? ';' : ',',
					 HF_CSV_QUOTE_SPACES);
		}
		fputs(excel ? "\r\n" : "\n", s->f);
		return ferror(s->f) ? HF_EIO : HF_OK;
	}
}

/* ---- the kinds ----------------------------------------------------- */

static const char *date_s(hf_date d, char buf[11])
{
	if (d == HF_DATE_NONE)
		return "";
	hf_date_format(d, buf);
	return buf;
}

static const char *int_s(int64_t v, char buf[24], int zero_empty)
{
	if (zero_empty && !v)
		return "";
	snprintf(buf, 24, "%lld", (long long)v);
	return buf;
}

static int ex_units(hf_db *db, sink *s, hf_error *err)
{
	hf_unit *u = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = hf_db_unit_list(db, NULL, &u, &n, err)) < 0)
		return rc;
	for (i = 0; i < n && rc >= 0; i++) {
		const char *c[HF__IO_MAXCOLS] = {0};
		c[U_CODE] = u[i].code;
		c[U_NAME] = u[i].name;
		c[U_KIND] = hf_unit_kind_slug(u[i].kind);
		c[U_PARENT] = u[i].parent;
		rc = sink_row(s, c);
	}
	free(u);
	return rc;
}

static int ex_inds(hf_db *db, sink *s, hf_error *err)
{
	hf_indicator *x = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = hf_db_indicator_list(db, NULL, NULL, &x, &n, err)) < 0)
		return rc;
	for (i = 0; i < n && rc >= 0; i++) {
		const char *c[HF__IO_MAXCOLS] = {0};
		char d[11], v[48];
		hf_rat_format(x[i].value, v, sizeof v);
		c[I_UNIT] = x[i].unit;
		c[I_NAME] = x[i].name;
		c[I_DATE] = date_s(x[i].ref_date, d);
		c[I_VALUE] = v;
		c[I_SOURCE] = x[i].source;
		rc = sink_row(s, c);
	}
	free(x);
	return rc;
}

static void join_weights(const hf_key *k, char *buf, size_t size)
{
	size_t i, l = 0;
	char w[48];

	buf[0] = '\0';
	for (i = 0; i < k->nweights && l + 1 < size; i++) {
		hf_rat_format(k->weights[i].weight, w, sizeof w);
		snprintf(buf + l, size - l, "%s%s=%s", i ? "|" : "",
			 k->weights[i].indicator, w);
		l = strlen(buf);
	}
}

static void join_credits(const hf_key *k, char *buf, size_t size)
{
	size_t l = 0;
	int c;
	char w[48];

	buf[0] = '\0';
	for (c = 0; c < HF_CAT_COUNT && l + 1 < size; c++) {
		if (!k->credit[c].num)
			continue;
		hf_rat_format(k->credit[c], w, sizeof w);
		snprintf(buf + l, size - l, "%s%s=%s", l ? "|" : "",
			 hf_category_slug((hf_category)c), w);
		l = strlen(buf);
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

static int ex_keys(hf_db *db, sink *s, hf_error *err)
{
	hf_key *list = NULL;
	size_t n = 0, i, j;
	int rc;

	if ((rc = hf_db_key_list(db, &list, &n, err)) < 0)
		return rc;
	for (i = 0; i < n && rc >= 0; i++) {
		hf_key k;
		char from[11], to[11], ref[11], cy[24], qy[24], cap[48],
		    weights[512], credits[512], share[48];
		if ((rc = hf_db_key_get(db, list[i].name, &k, err)) < 0)
			break;
		join_weights(&k, weights, sizeof weights);
		join_credits(&k, credits, sizeof credits);
		cap[0] = '\0';
		if (k.cap.num)
			hf_rat_format(k.cap, cap, sizeof cap);
		for (j = 0; j < k.nshares && rc >= 0; j++) {
			const char *c[HF__IO_MAXCOLS] = {0};
			c[K_KEY] = k.name;
			c[K_TITLE] = k.title;
			c[K_PARENT] = k.parent;
			c[K_KIND] = hf_key_kind_slug(k.kind);
			c[K_FROM] = date_s(k.valid_from, from);
			c[K_TO] = date_s(k.valid_to, to);
			c[K_CYEAR] = int_s(k.computed_year, cy, 1);
			c[K_QYEAR] = int_s(k.quota_year, qy, 1);
			c[K_REFDATE] = date_s(k.ref_date, ref);
			c[K_WEIGHTS] = weights;
			c[K_CAP] = cap;
			c[K_CREDITS] = credits;
			c[K_SOURCE] = k.source;
			c[K_UNIT] = k.shares[j].unit;
			hf_rat_format(k.shares[j].share, share, sizeof share);
			c[K_SHARE] = share;
			rc = sink_row(s, c);
		}
		hf_key_clear(&k);
	}
	free(list);
	return rc;
}

static int ex_adm(hf_db *db, sink *s, hf_error *err)
{
	hf_ledger_filter f = hf_ledger_filter_all();
	hf_admission *a = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = hf_db_ledger_list(db, &f, &a, &n, err)) < 0)
		return rc;
	for (i = 0; i < n && rc >= 0; i++) {
		const char *c[HF__IO_MAXCOLS] = {0};
		char id[24], d[11], p[24], at[32], cor[24], pair[24];
		if (s->o->unit_ok) {
			int ok = s->o->unit_ok(s->o->unit_ctx, a[i].unit);
			if (ok < 0) {
				rc = hf_error_set(err, ok, a[i].unit,
						  "Die Einheit %s ließ sich "
						  "nicht prüfen.",
						  "The unit %s could not be "
						  "checked.",
						  a[i].unit);
				break;
			}
			if (!ok)
				continue;
		}
		c[A_ID] = int_s(a[i].id, id, 0);
		c[A_DATE] = date_s(a[i].date, d);
		c[A_UNIT] = a[i].unit;
		c[A_PERSONS] = int_s(a[i].persons, p, 0);
		c[A_CATEGORY] = hf_category_slug(a[i].category);
		c[A_HOUSEHOLD] = a[i].household;
		c[A_PROGRAMME] = a[i].programme;
		c[A_REFERENCE] = a[i].reference;
		c[A_NOTE] = a[i].note;
		c[A_BY] = a[i].recorded_by;
		hf__io_format_time(a[i].recorded_at, at);
		c[A_AT] = at;
		c[A_CORRECTS] = int_s(a[i].corrects, cor, 1);
		c[A_PAIR] = int_s(a[i].pair, pair, 1);
		rc = sink_row(s, c);
	}
	free(a);
	return rc;
}

static int ex_pledges(hf_db *db, sink *s, hf_error *err)
{
	hf_pledge *p = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = hf_db_pledge_list(db, NULL, &p, &n, err)) < 0)
		return rc;
	for (i = 0; i < n && rc >= 0; i++) {
		const char *c[HF__IO_MAXCOLS] = {0};
		char id[24], pl[24], a[11], b[11], at[32];
		c[P_ID] = int_s(p[i].id, id, 0);
		c[P_UNIT] = p[i].unit;
		c[P_PROGRAMME] = p[i].programme;
		c[P_PLACES] = int_s(p[i].places, pl, 0);
		c[P_FROM] = date_s(p[i].period.from, a);
		c[P_TO] = date_s(p[i].period.to, b);
		c[P_STATUS] = hf_pledge_status_slug(p[i].status);
		c[P_NOTE] = p[i].note;
		c[P_BY] = p[i].recorded_by;
		hf__io_format_time(p[i].recorded_at, at);
		c[P_AT] = at;
		rc = sink_row(s, c);
	}
	free(p);
	return rc;
}

static int ex_progs(hf_db *db, sink *s, hf_error *err)
{
	hf_programme *list = NULL;
	size_t n = 0, i, j;
	int rc;

	if ((rc = hf_db_programme_list(db, &list, &n, err)) < 0)
		return rc;
	for (i = 0; i < n && rc >= 0; i++) {
		hf_programme p;
		char a[11], b[11], cont[24], share[48];
		if ((rc = hf_db_programme_get(db, list[i].name, &p, err)) < 0)
			break;
		for (j = 0; j < (p.nshares ? p.nshares : 1) && rc >= 0; j++) {
			const char *c[HF__IO_MAXCOLS] = {0};
			c[G_NAME] = p.name;
			c[G_TITLE] = p.title;
			c[G_KIND] = hf_programme_kind_slug(p.kind);
			c[G_PARENT] = p.parent;
			c[G_FROM] = date_s(p.period.from, a);
			c[G_TO] = date_s(p.period.to, b);
			c[G_CONTINGENT] = int_s(p.contingent, cont, 0);
			c[G_KEY] = p.key;
			c[G_CATEGORY] = hf_category_slug(p.category);
			c[G_SOURCE] = p.source;
			if (p.nshares) {
				c[G_UNIT] = p.shares[j].unit;
				hf_rat_format(p.shares[j].share, share,
					      sizeof share);
				c[G_SHARE] = share;
			}
			rc = sink_row(s, c);
		}
		hf_programme_clear(&p);
	}
	free(list);
	return rc;
}

int hf_export(hf_db *db, hf_io_kind kind, const hf_export_options *o,
	      const char *path, FILE *out, hf_error *err)
{
	sink s;
	int rc, to_file = path && strcmp(path, "-");
	char tmp[4096];

	memset(&s, 0, sizeof s);
	s.sp = hf__io_spec_of(kind);
	s.o = o;
	s.err = err;
	if ((unsigned)kind >= HF_IO_KIND_COUNT || kind == HF_IO_HOUSEHOLDS ||
	    kind == HF_IO_MATCH_UNITS)
		return hf_error_set(err, HF_EUSAGE, "kind",
				    "%s lassen sich nicht exportieren: sie "
				    "stehen nicht in der Datenbank.",
				    "%s cannot be exported: they are not in "
				    "the database.",
				    s.sp->slug);
	if (o->format == HF_IO_XLSX) {
		if (!to_file)
			return hf_error_set(err, HF_EUSAGE, "out",
					    "XLSX braucht --out DATEI.",
					    "XLSX needs --out FILE.");
		if ((rc = hf_xlsx_writer_new(path, &s.w, err)) < 0)
			return rc;
	} else if (to_file) {
		snprintf(tmp, sizeof tmp, "%s.tmp", path);
		if (!(s.f = fopen(tmp, "wb")))
			return hf_error_set(err, HF_EIO, path,
					    "%s lässt sich nicht schreiben: "
					    "%s.",
					    "cannot write %s: %s.", path,
					    strerror(errno));
	} else {
		s.f = out;
	}
	if ((rc = sink_begin(&s, err)) < 0)
		goto fail;
	switch (kind) {
	case HF_IO_UNITS:
		rc = ex_units(db, &s, err);
		break;
	case HF_IO_INDICATORS:
		rc = ex_inds(db, &s, err);
		break;
	case HF_IO_KEYS:
		rc = ex_keys(db, &s, err);
		break;
	case HF_IO_ADMISSIONS:
		rc = ex_adm(db, &s, err);
		break;
	case HF_IO_PLEDGES:
		rc = ex_pledges(db, &s, err);
		break;
	default:
		rc = ex_progs(db, &s, err);
		break;
	}
	if (rc < 0)
		goto fail;
	if (o->format == HF_IO_JSON) {
		json_t *root =
		    json_pack("{s:s, s:s, s:i, s:o}", "hafen", "export", "kind",
			      s.sp->slug, "version", 1, "rows", s.rows);
		s.rows = NULL;
		if (!root || json_dumpf(root, s.f,
					JSON_INDENT(2) | JSON_PRESERVE_ORDER |
					    JSON_ENSURE_ASCII * 0) < 0)
			rc = HF_EIO;
		json_decref(root);
		fputc('\n', s.f);
		if (rc < 0)
			goto fail;
	}
	if (s.w) {
		char gen[32];
		const char *keys[3], *vals[3];
		hf__io_format_time(o->now, gen);
		keys[0] = hf_tr(o->lang, "Inhalt", "Content");
		vals[0] =
		    o->lang == HF_LANG_EN ? s.sp->sheet_en : s.sp->sheet_de;
		keys[1] = hf_tr(o->lang, "Erstellt (UTC)", "Generated (UTC)");
		vals[1] = gen;
		keys[2] = hf_tr(o->lang, "Programm", "Program");
		vals[2] = "hafen export";
		if ((rc = hf_xlsx_writer_about(
			 s.w, hf_tr(o->lang, "Quelle", "About"), keys, vals, 3,
			 err)) < 0)
			goto fail;
		rc = hf_xlsx_writer_close(s.w, err);
		s.w = NULL;
		return rc;
	}
	if (fflush(s.f) != 0 || ferror(s.f)) {
		rc = hf_error_set(err, HF_EIO, path ? path : "-",
				  "Schreiben fehlgeschlagen.",
				  "Writing failed.");
		goto fail;
	}
	if (to_file) {
		if (fclose(s.f) != 0 || rename(tmp, path) != 0) {
			s.f = NULL;
			remove(tmp);
			return hf_error_set(err, HF_EIO, path,
					    "%s lässt sich nicht schreiben: "
					    "%s.",
					    "cannot write %s: %s.", path,
					    strerror(errno));
		}
	}
	return HF_OK;
fail:
	json_decref(s.rows);
	hf_xlsx_writer_free(s.w);
	if (to_file && s.f) {
		fclose(s.f);
		remove(tmp);
	}
	if (rc == HF_ENOMEM || rc == HF_EIO)
		hf_error_set(err, rc, path ? path : "-",
			     "Schreiben fehlgeschlagen.", "Writing failed.");
	return rc;
}

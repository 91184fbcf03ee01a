/*
 * api_programme.c: admission programmes with their contingents and
 * fulfilment, the overrides that admitted beyond them (details: entries
 * of units, so a unit office sees its own), and pledges (a unit office
 * adds and changes its own).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "routes.h"

static json_t *prog_json(const hf_programme *p)
{
	json_t *o = json_pack(
	    "{s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:s,s:s,s:s}", "name", p->name,
	    "title", p->title, "kind", hf_programme_kind_slug(p->kind),
	    "parent", p->parent, "from", hf_j_date(p->period.from), "to",
	    hf_j_date(p->period.to), "contingent", (json_int_t)p->contingent,
	    "key", p->key, "category", hf_category_slug(p->category), "source",
	    p->source);
	return o;
}

static int prog_list(hf_req *r)
{
	hf_programme *p = NULL;
	size_t n = 0, i;
	json_t *a;

	if (hf_db_programme_list(r->db, &p, &n, &r->err) < 0)
		return hf_reply_err(r, 0);
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, prog_json(&p[i]));
	free(p);
	return hf_reply_json(r, 200, json_pack("{s:o}", "programmes", a));
}

static int prog_get(hf_req *r)
{
	hf_programme p;
	json_t *o, *sh;
	size_t i;

	hf_programme_init(&p);
	if (hf_db_programme_get(r->db, r->param[0], &p, &r->err) < 0)
		return hf_reply_err(r, 0);
	o = prog_json(&p);
	sh = json_array();
	for (i = 0; i < p.nshares; i++) {
		json_t *x = json_pack("{s:s}", "unit", p.shares[i].unit);
		hf_j_set_rat(x, "share", p.shares[i].share, 7);
		json_array_append_new(sh, x);
	}
	json_object_set_new(o, "shares", sh);
	hf_programme_clear(&p);
	return hf_reply_json(r, 200, o);
}

static int prog_fulfilment(hf_req *r)
{
	hf_programme_fulfilment *f = NULL;
	json_t *o, *rows;
	size_t i;

	if (hf_db_programme_fulfilment(r->db, r->param[0], &f, &r->err) < 0)
		return hf_reply_err(r, 0);
	rows = json_array();
	for (i = 0; i < f->n; i++) {
		const hf_programme_row *x = &f->rows[i];
		json_t *j = json_pack(
		    "{s:s,s:I,s:I,s:I}", "unit", x->unit, "quota_rounded",
		    (json_int_t)x->quota_rounded, "admitted",
		    (json_int_t)x->admitted, "open", (json_int_t)x->open);
		hf_j_set_rat(j, "share", x->share, 7);
		hf_j_set_rat(j, "quota", x->quota, 2);
		json_array_append_new(rows, j);
	}
	o = json_pack("{s:o,s:o,s:I,s:I,s:I}", "programme",
		      prog_json(&f->programme), "rows", rows, "admitted",
		      (json_int_t)f->admitted, "open", (json_int_t)f->open,
		      "overrides", (json_int_t)f->overrides);
	hf_programme_fulfilment_free(f);
	return hf_reply_json(r, 200, o);
}

static int prog_add(hf_req *r)
{
	json_t *b = hf_body(r), *shares;
	char b1[64], b2[32], b3[32], b4[32], b5[32], b6[32], b7[128], b8[32];
	const char *name, *kind, *parent, *from, *to, *cont, *s;
	hf_programme p;
	long long c;

	if (!b)
		return 0;
	hf_programme_init(&p);
	name = hf_j_str(b, "name", b1, sizeof b1);
	kind = hf_j_str(b, "kind", b2, sizeof b2);
	parent = hf_j_str(b, "parent", b3, sizeof b3);
	from = hf_j_str(b, "from", b4, sizeof b4);
	to = hf_j_str(b, "to", b5, sizeof b5);
	cont = hf_j_str(b, "contingent", b6, sizeof b6);
	if (!name || !kind || !parent || !from || !to || !cont) {
		hf_reply_msg(r, 400, "EINVAL", "name",
			     "name, kind, parent, from, to und contingent "
			     "sind nötig.",
			     "name, kind, parent, from, to and contingent "
			     "are needed.");
		goto out;
	}
	if (hf_programme_kind_parse(kind, &p.kind) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "kind",
			     "Art »%s« unbekannt (bund, land, resettlement, "
			     "sicherer-hafen).",
			     "Unknown kind '%s' (federal, land, resettlement, "
			     "safe-harbour).",
			     kind);
		goto out;
	}
	p.category = hf_programme_kind_category(p.kind);
	if ((s = hf_j_str(b, "category", b8, sizeof b8)) &&
	    hf_q_category(r, "category", s, &p.category) < 0)
		goto out;
	if (hf_q_date(r, "from", from, &p.period.from) < 0 ||
	    hf_q_date(r, "to", to, &p.period.to) < 0 ||
	    hf_q_int(r, "contingent", cont, &c) < 0)
		goto out;
	p.contingent = c;
	if (hf_field_copy(p.name, sizeof p.name, name, "name", &r->err) < 0 ||
	    hf_field_copy(p.parent, sizeof p.parent, parent, "parent",
			  &r->err) < 0 ||
	    hf_field_copy(p.title, sizeof p.title,
			  (s = hf_j_str(b, "title", b7, sizeof b7)) ? s : name,
			  "title", &r->err) < 0 ||
	    hf_field_copy(
		p.key, sizeof p.key,
		(s = json_string_value(json_object_get(b, "key"))) ? s : "",
		"key", &r->err) < 0 ||
	    hf_field_copy(
		p.source, sizeof p.source,
		(s = json_string_value(json_object_get(b, "source"))) ? s : "",
		"source", &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	shares = json_object_get(b, "shares");
	if (json_is_object(shares)) {
		if (hf_q_shares(r, shares,
				"Anteil von %s: Prozent als Text, z. B. "
				"\"12.5\".",
				"Share of %s: percent as text, e.g. \"12.5\".",
				&p.shares, &p.nshares) < 0)
			goto out;
	}
	if (hf_db_programme_add(r->db, &p, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	hf_reply_json(r, 201, prog_json(&p));
out:
	hf_programme_clear(&p);
	json_decref(b);
	return 0;
}

static int overrides(hf_req *r)
{
	hf_override *o = NULL;
	size_t n = 0, i;
	json_t *a = json_array();

	if (hf_db_override_list(r->db, hf_q(r, "programme"), &o, &n, &r->err) <
	    0) {
		json_decref(a);
		return hf_reply_err(r, 0);
	}
	for (i = 0; i < n; i++) {
		int own = hf_account_owns(r->db, &r->acct, o[i].unit, &r->err);
		if (own < 0) {
			free(o);
			json_decref(a);
			return hf_reply_err(r, 0);
		}
		if (!own)
			continue;
		json_array_append_new(
		    a, json_pack("{s:I,s:I,s:s,s:s,s:I,s:I,s:s,s:s,s:I}", "id",
				 (json_int_t)o[i].id, "entry",
				 (json_int_t)o[i].entry, "programme",
				 o[i].programme, "unit", o[i].unit, "persons",
				 (json_int_t)o[i].persons, "beyond",
				 (json_int_t)o[i].beyond, "reason", o[i].reason,
				 "recorded_by", o[i].recorded_by, "recorded_at",
				 (json_int_t)o[i].recorded_at));
	}
	free(o);
	return hf_reply_json(r, 200, json_pack("{s:o}", "overrides", a));
}

static json_t *pledge_json(const hf_pledge *p)
{
	return json_pack(
	    "{s:I,s:s,s:s,s:I,s:o,s:o,s:s,s:s,s:s,s:I}", "id",
	    (json_int_t)p->id, "unit", p->unit, "programme", p->programme,
	    "places", (json_int_t)p->places, "from", hf_j_date(p->period.from),
	    "to", hf_j_date(p->period.to), "status",
	    hf_pledge_status_slug(p->status), "note", p->note, "recorded_by",
	    p->recorded_by, "recorded_at", (json_int_t)p->recorded_at);
}

static int pledge_list(hf_req *r)
{
	hf_pledge *p = NULL;
	size_t n = 0, i;
	json_t *a;

	if (hf_db_pledge_list(r->db, hf_q(r, "unit"), &p, &n, &r->err) < 0)
		return hf_reply_err(r, 0);
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, pledge_json(&p[i]));
	free(p);
	return hf_reply_json(r, 200, json_pack("{s:o}", "pledges", a));
}

static int pledge_add(hf_req *r)
{
	json_t *b = hf_body(r);
	char b1[32], b2[32], b3[32], b4[32], b5[32], b6[80];
	const char *unit, *places, *from, *to, *s;
	hf_pledge p;
	long long pl;

	if (!b)
		return 0;
	memset(&p, 0, sizeof p);
	unit = hf_j_str(b, "unit", b1, sizeof b1);
	places = hf_j_str(b, "places", b2, sizeof b2);
	from = hf_j_str(b, "from", b3, sizeof b3);
	to = hf_j_str(b, "to", b4, sizeof b4);
	if (!unit || !places || !from || !to) {
		hf_reply_msg(r, 400, "EINVAL", "unit",
			     "unit, places, from und to sind nötig.",
			     "unit, places, from and to are needed.");
		goto out;
	}
	if (!hf_auth_unit(r, unit) || hf_q_int(r, "places", places, &pl) < 0 ||
	    hf_q_date(r, "from", from, &p.period.from) < 0 ||
	    hf_q_date(r, "to", to, &p.period.to) < 0)
		goto out;
	p.places = pl;
	p.status = HF_PLEDGE_PLEDGED;
	if ((s = hf_j_str(b, "status", b5, sizeof b5)) &&
	    hf_pledge_status_parse(s, &p.status) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "status",
			     "Stand »%s« unbekannt (vorgemerkt, zugesagt, "
			     "zurueckgezogen).",
			     "Unknown status '%s' (pending, pledged, "
			     "withdrawn).",
			     s);
		goto out;
	}
	snprintf(p.recorded_by, sizeof p.recorded_by, "%s", r->acct.name);
	p.recorded_at = (int64_t)time(NULL);
	if (hf_field_copy(p.unit, sizeof p.unit, unit, "unit", &r->err) < 0 ||
	    hf_field_copy(p.programme, sizeof p.programme,
			  (s = hf_j_str(b, "programme", b6, sizeof b6)) ? s
									: "",
			  "programme", &r->err) < 0 ||
	    hf_field_copy(
		p.note, sizeof p.note,
		(s = json_string_value(json_object_get(b, "note"))) ? s : "",
		"note", &r->err) < 0 ||
	    hf_db_pledge_add(r->db, &p, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	hf_reply_json(r, 201, pledge_json(&p));
out:
	json_decref(b);
	return 0;
}

static int pledge_status(hf_req *r)
{
	json_t *b = hf_body(r);
	char b1[32];
	const char *s;
	hf_pledge *p = NULL;
	hf_pledge_status st;
	size_t n = 0, i;
	long long id;

	if (!b)
		return 0;
	if (hf_q_int(r, "id", r->param[0], &id) < 0)
		goto out;
	if (!(s = hf_j_str(b, "status", b1, sizeof b1)) ||
	    hf_pledge_status_parse(s, &st) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "status",
			     "status: vorgemerkt, zugesagt oder "
			     "zurueckgezogen.",
			     "status: pending, pledged or withdrawn.");
		goto out;
	}
	if (hf_db_pledge_list(r->db, NULL, &p, &n, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	for (i = 0; i < n && p[i].id != id; i++)
		;
	if (i == n) {
		hf_reply_msg(r, 404, "ENOTFOUND", "id",
			     "Die Zusage %lld gibt es nicht.",
			     "There is no pledge %lld.", id);
		goto out;
	}
	if (!hf_auth_unit(r, p[i].unit))
		goto out;
	if (hf_db_pledge_set_status(r->db, id, st, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	p[i].status = st;
	hf_reply_json(r, 200, pledge_json(&p[i]));
out:
	free(p);
	json_decref(b);
	return 0;
}

static int pledge_report(hf_req *r)
{
	hf_pledge_report *rep = NULL;
	json_t *rows, *units;
	size_t i;

	if (hf_db_pledge_report(r->db, hf_q(r, "unit"), &rep, &r->err) < 0)
		return hf_reply_err(r, 0);
	rows = json_array();
	for (i = 0; i < rep->n; i++) {
		const hf_pledge_row *x = &rep->rows[i];
		json_t *j = pledge_json(&x->pledge);
		json_object_set_new(j, "used", json_integer(x->used));
		json_object_set_new(j, "open", json_integer(x->open));
		json_object_set_new(j, "key", json_string(x->key));
		hf_j_set_rat(j, "credit", x->credit, 2);
		hf_j_set_rat(j, "credited", x->credited, 2);
		json_array_append_new(rows, j);
	}
	units = json_array();
	for (i = 0; i < rep->nunits; i++) {
		const hf_pledge_unit *u = &rep->units[i];
		json_t *j = json_pack(
		    "{s:s,s:I,s:I,s:I,s:I,s:i}", "unit", u->unit, "pledged",
		    (json_int_t)u->pledged, "used", (json_int_t)u->used, "open",
		    (json_int_t)u->open, "unpledged", (json_int_t)u->unpledged,
		    "uncredited", u->uncredited);
		hf_j_set_rat(j, "credited", u->credited, 2);
		json_array_append_new(units, j);
	}
	hf_pledge_report_free(rep);
	return hf_reply_json(
	    r, 200, json_pack("{s:o,s:o}", "rows", rows, "units", units));
}

const hf_route hf_routes_programme[] = {
    {"GET", "/api/programmes", HF_ACCESS_USER, prog_list},
    {"POST", "/api/programmes", HF_ACCESS_LAND, prog_add},
    {"GET", "/api/programmes/{name}", HF_ACCESS_USER, prog_get},
    {"GET", "/api/programmes/{name}/fulfilment", HF_ACCESS_USER,
     prog_fulfilment},
    {"GET", "/api/overrides", HF_ACCESS_WRITER, overrides},
    {"GET", "/api/pledges", HF_ACCESS_USER, pledge_list},
    {"POST", "/api/pledges", HF_ACCESS_WRITER, pledge_add},
    {"GET", "/api/pledges/report", HF_ACCESS_USER, pledge_report},
    {"POST", "/api/pledges/{id}/status", HF_ACCESS_WRITER, pledge_status},
    {NULL, NULL, 0, NULL},
};

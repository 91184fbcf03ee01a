/*
 * api_units.c: units, their indicators, distribution keys and standing
 * credits; aggregates, readable by every role. Adding or changing any of
 * them is for the Land coordination and administrators. Also the OpenAPI
 * document.
 */
#include <stdio.h>
#include <string.h>

#include "routes.h"

/* A required string field of a body; answers 400 and returns NULL if
 * missing. */
static const char *need(hf_req *r, json_t *b, const char *key, char *buf,
			size_t size)
{
	const char *v = hf_j_str(b, key, buf, size);
	if (!v || !*v)
		hf_reply_msg(r, 400, "EINVAL", key, "Das Feld %s fehlt.",
			     "The field %s is missing.", key);
	return v && *v ? v : NULL;
}

static int unit_list(hf_req *r)
{
	hf_unit *u = NULL;
	size_t n = 0, i;
	json_t *a;

	if (hf_db_unit_list(r->db, hf_q(r, "parent"), &u, &n, &r->err) < 0)
		return hf_reply_err(r, 0);
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, hf_j_unit(&u[i], r->lang));
	free(u);
	return hf_reply_json(r, 200, json_pack("{s:o}", "units", a));
}

static int unit_get(hf_req *r)
{
	hf_unit u, p, *c = NULL;
	size_t n = 0, i;
	json_t *o, *ch;
	int own;

	if (hf_db_unit_get(r->db, r->param[0], &u, &r->err) < 0 ||
	    hf_db_unit_list(r->db, u.code, &c, &n, &r->err) < 0)
		return hf_reply_err(r, 0);
	o = hf_j_unit(&u, r->lang);
	if (u.parent[0] && hf_db_unit_get(r->db, u.parent, &p, &r->err) == 0)
		json_object_set_new(o, "parent_unit", hf_j_unit(&p, r->lang));
	ch = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(ch, hf_j_unit(&c[i], r->lang));
	free(c);
	json_object_set_new(o, "children", ch);
	/* what the page may show and offer for this unit */
	own = hf_account_owns(r->db, &r->acct, u.code, &r->err);
	json_object_set_new(o, "details", json_boolean(own > 0));
	json_object_set_new(o, "writable", json_boolean(own > 0));
	return hf_reply_json(r, 200, o);
}

static int unit_add(hf_req *r)
{
	json_t *b = hf_body(r);
	char b1[32], b2[32], b3[32], b4[32];
	const char *code, *name, *kind, *parent;
	hf_unit u;
	int rc = 0;

	if (!b)
		return 0;
	memset(&u, 0, sizeof u);
	if (!(code = need(r, b, "code", b1, sizeof b1)) ||
	    !(name = need(r, b, "name", b2, sizeof b2)) ||
	    !(kind = need(r, b, "kind", b3, sizeof b3)))
		goto out;
	parent = hf_j_str(b, "parent", b4, sizeof b4);
	if (hf_unit_kind_parse(kind, &u.kind) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "kind",
			     "Art »%s« unbekannt (land, kreis, "
			     "kreisfreie-stadt, gemeinde, ...).",
			     "Unknown kind '%s' (land, kreis, "
			     "kreisfreie-stadt, gemeinde, ...).",
			     kind);
		goto out;
	}
	if (hf_field_copy(u.code, sizeof u.code, code, "code", &r->err) < 0 ||
	    hf_field_copy(u.name, sizeof u.name, name, "name", &r->err) < 0 ||
	    hf_field_copy(u.parent, sizeof u.parent, parent ? parent : "",
			  "parent", &r->err) < 0 ||
	    hf_db_unit_add(r->db, &u, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	rc = hf_reply_json(r, 201, hf_j_unit(&u, r->lang));
out:
	json_decref(b);
	return rc;
}

static json_t *key_json(const hf_key *k, int shares)
{
	json_t *o = json_object(), *cr = json_object();
	size_t i;
	int c;

	json_object_set_new(o, "name", json_string(k->name));
	json_object_set_new(o, "title", json_string(k->title));
	json_object_set_new(o, "parent", json_string(k->parent));
	json_object_set_new(o, "kind", json_string(hf_key_kind_slug(k->kind)));
	json_object_set_new(o, "valid_from", hf_j_date(k->valid_from));
	json_object_set_new(o, "valid_to", hf_j_date(k->valid_to));
	json_object_set_new(o, "source", json_string(k->source));
	for (c = 0; c < HF_CAT_COUNT; c++)
		json_object_set_new(cr, hf_category_slug((hf_category)c),
				    hf_j_rat(k->credit[c]));
	json_object_set_new(o, "credits", cr);
	if (shares) {
		json_t *a = json_array(), *w = json_array();
		for (i = 0; i < k->nshares; i++) {
			json_t *s =
			    json_pack("{s:s}", "unit", k->shares[i].unit);
			hf_j_set_rat(s, "share", k->shares[i].share, 7);
			json_array_append_new(a, s);
		}
		for (i = 0; i < k->nweights; i++)
			json_array_append_new(
			    w, json_pack("{s:s,s:o}", "indicator",
					 k->weights[i].indicator, "weight",
					 hf_j_rat(k->weights[i].weight)));
		json_object_set_new(o, "shares", a);
		json_object_set_new(o, "weights", w);
		json_object_set_new(o, "ref_date", hf_j_date(k->ref_date));
	}
	return o;
}

static int key_list(hf_req *r)
{
	hf_key *k = NULL;
	size_t n = 0, i;
	json_t *a;

	if (hf_db_key_list(r->db, &k, &n, &r->err) < 0)
		return hf_reply_err(r, 0);
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, key_json(&k[i], 0));
	free(k);
	return hf_reply_json(r, 200, json_pack("{s:o}", "keys", a));
}

static int key_get(hf_req *r)
{
	hf_key k;
	json_t *o;

	hf_key_init(&k);
	if (hf_db_key_get(r->db, r->param[0], &k, &r->err) < 0)
		return hf_reply_err(r, 0);
	o = key_json(&k, 1);
	hf_key_clear(&k);
	return hf_reply_json(r, 200, o);
}

/* A key from a body: published with shares in percent
 * ({"01001": "3.38791"}), or computed from weights of indicators at
 * ref_date (optionally capped). */
static int key_add(hf_req *r)
{
	json_t *b = hf_body(r), *shares, *weights, *credits, *v;
	char b1[64], b2[32], b3[32], b4[32], b5[32], b6[32];
	const char *name, *parent, *from, *to, *s, *key;
	hf_key k;
	size_t i = 0;
	int rc = 0;

	if (!b)
		return 0;
	hf_key_init(&k);
	if (!(name = need(r, b, "name", b1, sizeof b1)) ||
	    !(parent = need(r, b, "parent", b2, sizeof b2)) ||
	    !(from = need(r, b, "valid_from", b3, sizeof b3)))
		goto out;
	if (hf_field_copy(k.name, sizeof k.name, name, "name", &r->err) < 0 ||
	    hf_field_copy(k.parent, sizeof k.parent, parent, "parent",
			  &r->err) < 0 ||
	    hf_field_copy(k.title, sizeof k.title,
			  (s = hf_j_str(b, "title", b6, sizeof b6)) ? s : name,
			  "title", &r->err) < 0 ||
	    hf_field_copy(
		k.source, sizeof k.source,
		(s = json_string_value(json_object_get(b, "source"))) ? s : "",
		"source", &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	if (hf_q_date(r, "valid_from", from, &k.valid_from) < 0)
		goto out;
	if ((to = hf_j_str(b, "valid_to", b4, sizeof b4)) &&
	    hf_q_date(r, "valid_to", to, &k.valid_to) < 0)
		goto out;
	shares = json_object_get(b, "shares");
	weights = json_object_get(b, "weights");
	if (json_is_object(shares) == json_is_object(weights)) {
		hf_reply_msg(r, 400, "EINVAL", "shares",
			     "Entweder shares (veröffentlichte Anteile in "
			     "Prozent) oder weights (berechnet) angeben.",
			     "Give either shares (published, in percent) or "
			     "weights (computed).");
		goto out;
	}
	if (json_is_object(shares)) {
		k.kind = HF_KEY_PUBLISHED;
		if (hf_q_shares(r, shares,
				"Anteil von %s: eine Zahl in Prozent als "
				"Text, z. B. \"3.38791\".",
				"Share of %s: a number in percent as text, "
				"e.g. \"3.38791\".",
				&k.shares, &k.nshares) < 0)
			goto out;
	} else {
		k.kind = HF_KEY_COMPUTED;
		if (!(s = hf_j_str(b, "ref_date", b5, sizeof b5)) ||
		    hf_q_date(r, "ref_date", s, &k.ref_date) < 0) {
			if (!r->status)
				hf_reply_msg(
				    r, 400, "EINVAL", "ref_date",
				    "Ein berechneter Schlüssel braucht "
				    "ref_date (Stichtag).",
				    "A computed key needs ref_date.");
			goto out;
		}
		json_object_foreach(weights, key, v)
		{
			if (i >= HF_KEY_WEIGHTS_MAX || !json_is_string(v) ||
			    hf_rat_parse(json_string_value(v),
					 &k.weights[i].weight) < 0 ||
			    hf_field_copy(k.weights[i].indicator,
					  sizeof k.weights[i].indicator, key,
					  "weights", &r->err) < 0) {
				hf_reply_msg(r, 400, "EINVAL", "weights",
					     "Gewicht von %s: ein Bruch als "
					     "Text, z. B. \"9/10\".",
					     "Weight of %s: a fraction as "
					     "text, e.g. \"9/10\".",
					     key);
				goto out;
			}
			k.nweights = ++i;
		}
		if ((s = json_string_value(json_object_get(b, "cap"))) &&
		    hf_rat_parse(s, &k.cap) < 0) {
			hf_reply_msg(r, 400, "EINVAL", "cap",
				     "cap: ein Bruch wie \"5/4\".",
				     "cap: a fraction like \"5/4\".");
			goto out;
		}
		if (hf_db_key_compute(r->db, &k, &r->err) < 0) {
			hf_reply_err(r, 0);
			goto out;
		}
	}
	credits = json_object_get(b, "credits");
	json_object_foreach(credits, key, v)
	{
		hf_category c;
		if (hf_q_category(r, "credits", key, &c) < 0)
			goto out;
		if (!json_is_string(v) ||
		    hf_rat_parse(json_string_value(v), &k.credit[c]) < 0) {
			hf_reply_msg(r, 400, "EINVAL", "credits",
				     "Anrechnung von %s: ein Bruch als Text.",
				     "Credit of %s: a fraction as text.", key);
			goto out;
		}
	}
	if (hf_db_key_add(r->db, &k, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	rc = hf_reply_json(r, 201, key_json(&k, 1));
out:
	hf_key_clear(&k);
	json_decref(b);
	return rc;
}

static int key_credit(hf_req *r)
{
	json_t *b = hf_body(r);
	char b1[32], b2[48];
	const char *cat, *w;
	hf_category c;
	hf_rat weight;

	if (!b)
		return 0;
	if (!(cat = need(r, b, "category", b1, sizeof b1)) ||
	    !(w = need(r, b, "weight", b2, sizeof b2)) ||
	    hf_q_category(r, "category", cat, &c) < 0)
		goto out;
	if (hf_rat_parse(w, &weight) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "weight",
			     "Gewicht »%s« ist keine Zahl.",
			     "Weight '%s' is not a number.", w);
		goto out;
	}
	if (hf_db_key_set_credit(r->db, r->param[0], c, weight, &r->err) < 0)
		hf_reply_err(r, 0);
	else
		hf_reply_json(r, 200,
			      json_pack("{s:s,s:s,s:o}", "key", r->param[0],
					"category", hf_category_slug(c),
					"weight", hf_j_rat(weight)));
out:
	json_decref(b);
	return 0;
}

static int indicator_list(hf_req *r)
{
	hf_indicator *x = NULL;
	size_t n = 0, i;
	json_t *a;

	if (hf_db_indicator_list(r->db, hf_q(r, "unit"), hf_q(r, "name"), &x,
				 &n, &r->err) < 0)
		return hf_reply_err(r, 0);
	a = json_array();
	for (i = 0; i < n; i++) {
		json_t *o =
		    json_pack("{s:s,s:s,s:o,s:s}", "unit", x[i].unit, "name",
			      x[i].name, "ref_date", hf_j_date(x[i].ref_date),
			      "source", x[i].source);
		hf_j_set_rat(o, "value", x[i].value, 2);
		json_array_append_new(a, o);
	}
	free(x);
	return hf_reply_json(r, 200, json_pack("{s:o}", "indicators", a));
}

/* Sets a figure: {"unit", "name", "value" (decimal or num/den text),
 * "ref_date", "source"}. */
static int indicator_set(hf_req *r)
{
	json_t *b = hf_body(r);
	char b1[32], b2[40], b3[48], b4[32];
	const char *unit, *name, *value, *date, *source;
	hf_indicator x;

	if (!b)
		return 0;
	memset(&x, 0, sizeof x);
	source = json_string_value(json_object_get(b, "source"));
	if (!(unit = need(r, b, "unit", b1, sizeof b1)) ||
	    !(name = need(r, b, "name", b2, sizeof b2)) ||
	    !(value = need(r, b, "value", b3, sizeof b3)) ||
	    !(date = need(r, b, "ref_date", b4, sizeof b4)) ||
	    hf_q_date(r, "ref_date", date, &x.ref_date) < 0)
		goto out;
	if (hf_rat_parse(value, &x.value) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "value",
			     "Wert »%s«: eine Zahl wie 34112.52 oder 9/10.",
			     "Value '%s': a number like 34112.52 or 9/10.",
			     value);
		goto out;
	}
	if (!source || !*source) {
		hf_reply_msg(r, 400, "EINVAL", "source",
			     "Eine Kennzahl braucht ihre Quelle.",
			     "A figure needs its source.");
		goto out;
	}
	if (hf_field_copy(x.unit, sizeof x.unit, unit, "unit", &r->err) < 0 ||
	    hf_field_copy(x.name, sizeof x.name, name, "name", &r->err) < 0 ||
	    hf_field_copy(x.source, sizeof x.source, source, "source",
			  &r->err) < 0 ||
	    hf_db_indicator_set(r->db, &x, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	hf_reply_json(r, 200,
		      json_pack("{s:s,s:s,s:o}", "unit", x.unit, "name", x.name,
				"value", hf_j_rat(x.value)));
out:
	json_decref(b);
	return 0;
}

static json_t *standing_json(const hf_standing *x)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:I,s:s}", "id",
			 (json_int_t)x->id, "key", x->key, "unit", x->unit,
			 "from", hf_j_date(x->from), "to", hf_j_date(x->to),
			 "persons", (json_int_t)x->persons, "reason",
			 x->reason);
}

static int standing_list(hf_req *r)
{
	const char *period = hf_q(r, "period");
	hf_standing *x = NULL;
	hf_period p;
	size_t n = 0, i;
	json_t *a;

	if (!period || hf_period_parse(period, &p) < 0)
		return hf_reply_msg(r, 400, "EINVAL", "period",
				    "period »%s«: z. B. 2023 oder 2023-H1.",
				    "period '%s': e.g. 2023 or 2023-H1.",
				    period ? period : "");
	if (hf_db_standing_list(r->db, r->param[0], p, &x, &n, &r->err) < 0)
		return hf_reply_err(r, 0);
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, standing_json(&x[i]));
	free(x);
	return hf_reply_json(r, 200, json_pack("{s:o}", "standing", a));
}

static int standing_add(hf_req *r)
{
	json_t *b = hf_body(r);
	char b1[32], b2[32], b3[32], b4[32];
	const char *unit, *from, *to, *persons, *reason;
	hf_standing x;
	long long p;

	if (!b)
		return 0;
	memset(&x, 0, sizeof x);
	reason = json_string_value(json_object_get(b, "reason"));
	if (!(unit = need(r, b, "unit", b1, sizeof b1)) ||
	    !(from = need(r, b, "from", b2, sizeof b2)) ||
	    !(to = need(r, b, "to", b3, sizeof b3)) ||
	    !(persons = need(r, b, "persons", b4, sizeof b4)) ||
	    hf_q_date(r, "from", from, &x.from) < 0 ||
	    hf_q_date(r, "to", to, &x.to) < 0 ||
	    hf_q_int(r, "persons", persons, &p) < 0)
		goto out;
	x.persons = p;
	if (hf_field_copy(x.key, sizeof x.key, r->param[0], "key", &r->err) <
		0 ||
	    hf_field_copy(x.unit, sizeof x.unit, unit, "unit", &r->err) < 0 ||
	    hf_field_copy(x.reason, sizeof x.reason, reason ? reason : "",
			  "reason", &r->err) < 0 ||
	    hf_db_standing_add(r->db, &x, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	hf_reply_json(r, 201, standing_json(&x));
out:
	json_decref(b);
	return 0;
}

static int openapi(hf_req *r)
{
	size_t len;
	const char *ct;
	const char *doc = hf_static_file("openapi.json", &len, &ct);
	char *copy;

	if (!doc || !(copy = malloc(len)))
		return hf_reply_msg(r, 500, "ESTORAGE", "", "Fehlt.",
				    "Missing.");
	memcpy(copy, doc, len);
	return hf_reply_text(r, 200, "application/json; charset=utf-8", copy,
			     len);
}

const hf_route hf_routes_units[] = {
    {"GET", "/api/openapi.json", HF_ACCESS_PUBLIC, openapi},
    {"GET", "/api/units", HF_ACCESS_USER, unit_list},
    {"POST", "/api/units", HF_ACCESS_LAND, unit_add},
    {"GET", "/api/units/{code}", HF_ACCESS_USER, unit_get},
    {"GET", "/api/keys", HF_ACCESS_USER, key_list},
    {"POST", "/api/keys", HF_ACCESS_LAND, key_add},
    {"GET", "/api/keys/{name}", HF_ACCESS_USER, key_get},
    {"POST", "/api/keys/{name}/credit", HF_ACCESS_LAND, key_credit},
    {"GET", "/api/keys/{name}/standing", HF_ACCESS_USER, standing_list},
    {"POST", "/api/keys/{name}/standing", HF_ACCESS_LAND, standing_add},
    {"GET", "/api/indicators", HF_ACCESS_USER, indicator_list},
    {"POST", "/api/indicators", HF_ACCESS_LAND, indicator_set},
    {NULL, NULL, 0, NULL},
};

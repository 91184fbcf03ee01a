/* json.c: the library's values as JSON, and the query arguments the
 * routes share. Exact numbers go out as "num/den" strings with a rounded
 * decimal beside them, as the command's --format json does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

json_t *hf_j_rat(hf_rat v)
{
	char buf[48];
	hf_rat_format(v, buf, sizeof buf);
	return json_string(buf);
}

json_t *hf_j_dec(hf_rat v, int places)
{
	char buf[64];
	if (hf_rat_format_decimal(v, places, '.', buf, sizeof buf) < 0)
		return json_null();
	return json_string(buf);
}

void hf_j_set_rat(json_t *o, const char *key, hf_rat v, int places)
{
	char dk[64];
	snprintf(dk, sizeof dk, "%s_decimal", key);
	json_object_set_new(o, key, hf_j_rat(v));
	json_object_set_new(o, dk, hf_j_dec(v, places));
}

json_t *hf_j_date(hf_date d)
{
	char buf[11];
	if (d == HF_DATE_NONE)
		return json_null();
	hf_date_format(d, buf);
	return json_string(buf);
}

json_t *hf_j_period(hf_period p)
{
	char buf[32];
	hf_period_format(p, buf);
	return json_string(buf);
}

json_t *hf_j_admission(const hf_admission *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "date", hf_j_date(a->date));
	json_object_set_new(o, "unit", json_string(a->unit));
	json_object_set_new(o, "persons", json_integer(a->persons));
	json_object_set_new(o, "category",
			    json_string(hf_category_slug(a->category)));
	json_object_set_new(o, "household", json_string(a->household));
	json_object_set_new(o, "programme", json_string(a->programme));
	json_object_set_new(o, "reference", json_string(a->reference));
	json_object_set_new(o, "recorded_by", json_string(a->recorded_by));
	json_object_set_new(o, "recorded_at", json_integer(a->recorded_at));
	json_object_set_new(o, "corrects",
			    a->corrects ? json_integer(a->corrects)
					: json_null());
	json_object_set_new(o, "note", json_string(a->note));
	json_object_set_new(o, "pair",
			    a->pair ? json_integer(a->pair) : json_null());
	return o;
}

json_t *hf_j_unit(const hf_unit *u, hf_lang lang)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", u->code, "name",
			 u->name, "kind", hf_unit_kind_slug(u->kind),
			 "kind_name", hf_unit_kind_name(u->kind, lang),
			 "parent", u->parent);
}

json_t *hf_j_cats(const int64_t *p)
{
	json_t *o = json_object();
	int c;

	for (c = 0; c < HF_CAT_COUNT; c++)
		if (p[c])
			json_object_set_new(o, hf_category_slug((hf_category)c),
					    json_integer(p[c]));
	return o;
}

const char *hf_j_str(json_t *o, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(o, key);

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}

int hf_q_date(hf_req *r, const char *name, const char *v, hf_date *out)
{
	if (hf_date_parse(v, out) < 0) {
		hf_reply_msg(r, 400, "EINVAL", name,
			     "%s: »%s« ist kein Datum (JJJJ-MM-TT oder "
			     "TT.MM.JJJJ).",
			     "%s: '%s' is not a date (YYYY-MM-DD or "
			     "DD.MM.YYYY).",
			     name, v);
		return -1;
	}
	return 0;
}

int hf_q_int(hf_req *r, const char *name, const char *v, long long *out)
{
	int64_t x;

	if (hf_int_parse(v, &x) < 0) {
		hf_reply_msg(r, 400, "EINVAL", name,
			     "%s: »%s« ist keine ganze Zahl.",
			     "%s: '%s' is not a whole number.", name, v);
		return -1;
	}
	*out = x;
	return 0;
}

int hf_q_category(hf_req *r, const char *name, const char *v, hf_category *out)
{
	if (hf_category_parse(v, out) < 0) {
		hf_reply_msg(r, 400, "EINVAL", name,
			     "Kategorie »%s« unbekannt (regulaer, "
			     "sicherer-hafen, bundesprogramm, landesprogramm, "
			     "resettlement, familiennachzug, umverteilung-ab, "
			     "umverteilung-zu, fortzug).",
			     "Unknown category '%s' (regular, safe-harbour, "
			     "federal-programme, land-programme, resettlement, "
			     "family-reunification, transfer-out, transfer-in, "
			     "departure).",
			     v);
		return -1;
	}
	return 0;
}

int hf_q_shares(hf_req *r, json_t *o, const char *de, const char *en,
		hf_key_share **out, size_t *n)
{
	const char *key;
	json_t *v;
	size_t i = 0;

	*out = calloc(json_object_size(o) + 1, sizeof **out);
	if (!*out) {
		hf_reply_msg(r, 500, "ENOMEM", "", "Nicht genug Speicher.",
			     "Out of memory.");
		return -1;
	}
	json_object_foreach(o, key, v)
	{
		hf_rat pct;
		if (!json_is_string(v) ||
		    hf_rat_parse_decimal(json_string_value(v), &pct) < 0 ||
		    hf_rat_div(pct, hf_rat_int(100), &(*out)[i].share) < 0 ||
		    hf_field_copy((*out)[i].unit, sizeof(*out)[i].unit, key,
				  "shares", &r->err) < 0) {
			hf_reply_msg(r, 400, "EINVAL", "shares", de, en, key);
			return -1;
		}
		*n = ++i;
	}
	return 0;
}

int hf_q_quota(hf_req *r, hf_period *p, hf_quota_options *o)
{
	const char *period = hf_q(r, "period"), *method = hf_q(r, "method"),
		   *cont = hf_q(r, "contingent"),
		   *carry = hf_q(r, "carry_since");
	long long v;

	*o = hf_quota_options_default();
	if (!period || hf_period_parse(period, p) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "period",
			     "period »%s«: z. B. 2023, 2023-H1, 2023-Q2, "
			     "2023-05 oder 2023-01-01..2023-06-30.",
			     "period '%s': e.g. 2023, 2023-H1, 2023-Q2, "
			     "2023-05 or 2023-01-01..2023-06-30.",
			     period ? period : "");
		return -1;
	}
	if (method && hf_apportion_parse(method, &o->method) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "method",
			     "method »%s«: hare-niemeyer, dhondt oder "
			     "sainte-lague.",
			     "method '%s': hare-niemeyer, dhondt or "
			     "sainte-lague.",
			     method);
		return -1;
	}
	if (cont) {
		if (hf_q_int(r, "contingent", cont, &v) < 0)
			return -1;
		if (v < 0) {
			hf_reply_msg(r, 400, "EINVAL", "contingent",
				     "contingent darf nicht negativ sein.",
				     "contingent must not be negative.");
			return -1;
		}
		o->fixed = 1;
		o->contingent = v;
	}
	if (carry) {
		if (hf_q_int(r, "carry_since", carry, &v) < 0)
			return -1;
		o->carry_since = (int)v;
	}
	return 0;
}

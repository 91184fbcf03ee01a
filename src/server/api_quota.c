/*
 * api_quota.c: the figures: quota and fulfilment of a parent's children
 * (the dashboard's overview), a unit's figure explained in words (with
 * the ledger entries behind it for those who may see them), and the
 * council-inquiry report. Aggregates: every role reads them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "routes.h"

static void row_json(json_t *o, const hf_quota_row *x)
{
	hf_j_set_rat(o, "share", x->share, 7);
	json_object_set_new(o, "actual", json_integer(x->actual));
	hf_j_set_rat(o, "credited", x->credited, 2);
	json_object_set_new(o, "standing", json_integer(x->standing));
	hf_j_set_rat(o, "quota", x->quota, 2);
	json_object_set_new(o, "quota_rounded", json_integer(x->quota_rounded));
	hf_j_set_rat(o, "carry_in", x->carry_in, 2);
	hf_j_set_rat(o, "balance", x->balance, 2);
	if (x->has_percent)
		hf_j_set_rat(o, "percent", x->percent, 1);
	else {
		json_object_set_new(o, "percent", json_null());
		json_object_set_new(o, "percent_decimal", json_null());
	}
}

/* The overview is what every dashboard asks for first and most: its
 * answers are cached (server.h) by their arguments and language. */
static int quota_key(hf_req *r, char *buf, size_t size)
{
	static const char *const args[] = {
	    "key", "parent", "period", "method", "contingent", "carry_since"};
	size_t i, len;

	len = (size_t)snprintf(buf, size, "quota:%d", (int)r->lang);
	for (i = 0; i < sizeof args / sizeof args[0] && len < size; i++) {
		const char *v = hf_q(r, args[i]);
		len +=
		    (size_t)snprintf(buf + len, size - len, "|%s", v ? v : "");
	}
	return len < size ? 0 : -1;
}

static int quota(hf_req *r)
{
	const char *key = hf_q(r, "key"), *parent = hf_q(r, "parent");
	hf_quota_options o;
	hf_quota_table *t = NULL;
	hf_period p;
	json_t *root, *rows, *tot;
	char ck[256], *hit;
	size_t i, len;
	int cacheable = quota_key(r, ck, sizeof ck) == 0;

	if (cacheable && (hit = hf_cache_get(r->srv, ck, &len)))
		return hf_reply_text(r, 200, "application/json; charset=utf-8",
				     hit, len);
	if (!key == !parent)
		return hf_reply_msg(r, 400, "EINVAL", "key",
				    "key oder parent angeben (eins von "
				    "beiden).",
				    "Give key or parent (one of them).");
	if (hf_q_quota(r, &p, &o) < 0)
		return 0;
	if (hf_quota_table_compute(r->db, key, parent, p, &o, &t, &r->err) < 0)
		return hf_reply_err(r, 0);
	rows = json_array();
	for (i = 0; i < t->n; i++) {
		json_t *x = json_pack("{s:s,s:s}", "unit", t->units[i].code,
				      "name", t->units[i].name);
		row_json(x, &t->rows[i]);
		json_array_append_new(rows, x);
	}
	tot = json_object();
	hf_j_set_rat(tot, "base", t->total.base, 2);
	json_object_set_new(tot, "base_rounded",
			    json_integer(t->total.base_rounded));
	json_object_set_new(tot, "actual", json_integer(t->total.actual));
	hf_j_set_rat(tot, "credited", t->total.credited, 2);
	hf_j_set_rat(tot, "quota", t->total.quota, 2);
	hf_j_set_rat(tot, "carry_in", t->total.carry_in, 2);
	hf_j_set_rat(tot, "balance", t->total.balance, 2);
	root = json_pack(
	    "{s:{s:s,s:s,s:s},s:o,s:o,s:s,s:s,s:b,s:I,s:o,s:o}", "key", "name",
	    t->key.name, "title", t->key.title, "source", t->key.source,
	    "parent", hf_j_unit(&t->parent, r->lang), "period",
	    hf_j_period(t->period), "method",
	    hf_apportion_slug(t->options.method), "method_name",
	    hf_apportion_name(t->options.method, r->lang), "fixed",
	    t->options.fixed, "contingent", (json_int_t)t->options.contingent,
	    "rows", rows, "total", tot);
	hf_quota_table_free(t);
	hf_reply_json(r, 200, root);
	if (cacheable && r->status == 200)
		hf_cache_put(r->srv, ck, r->resp, r->resp_len, r->gen);
	return 0;
}

static int explain(hf_req *r)
{
	const char *unit = hf_q(r, "unit");
	hf_quota_options o;
	hf_quota_table *t = NULL;
	hf_period p;
	hf_unit u;
	char *text = NULL;
	json_t *root;
	int i, own;

	if (!unit)
		return hf_reply_msg(r, 400, "EINVAL", "unit",
				    "unit (Code) fehlt.",
				    "unit (a code) is missing.");
	if (hf_q_quota(r, &p, &o) < 0)
		return 0;
	if (hf_db_unit_get(r->db, unit, &u, &r->err) < 0 ||
	    hf_quota_table_compute(r->db, hf_q(r, "key"), u.parent, p, &o, &t,
				   &r->err) < 0 ||
	    hf_explain_quota(t, unit, r->lang, &text, &r->err) < 0) {
		hf_quota_table_free(t);
		return hf_reply_err(r, 0);
	}
	i = hf_quota_table_find(t, unit);
	root = json_pack("{s:s,s:s,s:s,s:o,s:s,s:o}", "unit", u.code, "name",
			 u.name, "key", t->key.name, "period",
			 hf_j_period(t->period), "text", text,
			 "actual_by_category", hf_j_cats(t->persons[i]));
	row_json(root, &t->rows[i]);
	hf_j_set_rat(root, "base", t->total.base, 2);
	free(text);
	/* the entries behind the figure carry household ids: details */
	own = hf_account_owns(r->db, &r->acct, unit, &r->err);
	if (own > 0) {
		hf_ledger_filter f = hf_ledger_filter_all();
		hf_admission *a = NULL;
		size_t n = 0, j;
		json_t *ents = json_array();
		f.unit = unit;
		f.from = t->period.from;
		f.to = t->period.to;
		if (hf_db_ledger_list(r->db, &f, &a, &n, &r->err) < 0 ||
		    hf_auth_log_read(r, unit, "explain entries=%zu", n) < 0) {
			free(a);
			json_decref(ents);
			json_decref(root);
			hf_quota_table_free(t);
			return r->status ? 0 : hf_reply_err(r, 0);
		}
		for (j = 0; j < n; j++)
			json_array_append_new(ents, hf_j_admission(&a[j]));
		free(a);
		json_object_set_new(root, "entries", ents);
	}
	hf_quota_table_free(t);
	return hf_reply_json(r, 200, root);
}

static json_t *answer_unit(const hf_answer_unit *u, int quotas, hf_lang lang)
{
	json_t *o = hf_j_unit(&u->unit, lang), *ys = json_array();
	size_t i;

	for (i = 0; i < u->nyears; i++) {
		const hf_answer_year *y = &u->years[i];
		json_t *x = json_pack("{s:i,s:o}", "year", y->year,
				      "by_category", hf_j_cats(y->persons));
		if (quotas && y->has_quota) {
			json_object_set_new(x, "key", json_string(y->key));
			hf_j_set_rat(x, "quota", y->quota, 2);
			hf_j_set_rat(x, "credited", y->credited, 2);
			hf_j_set_rat(x, "balance", y->balance, 2);
			if (y->has_percent)
				hf_j_set_rat(x, "percent", y->percent, 1);
		}
		json_array_append_new(ys, x);
	}
	json_object_set_new(o, "years", ys);
	return o;
}

static int answer(hf_req *r)
{
	const char *unit = hf_q(r, "unit"), *since = hf_q(r, "since"),
		   *until = hf_q(r, "until");
	hf_date d0, d1 = HF_DATE_NONE;
	hf_answer *a = NULL;
	char *md = NULL;
	json_t *root, *mem;
	size_t i;

	if (!unit || !since)
		return hf_reply_msg(r, 400, "EINVAL", !unit ? "unit" : "since",
				    "unit und since sind nötig.",
				    "unit and since are needed.");
	if (hf_q_date(r, "since", since, &d0) < 0 ||
	    (until && hf_q_date(r, "until", until, &d1) < 0))
		return 0;
	if (d1 == HF_DATE_NONE) /* up to today, as the command does */
		d1 = hf_date_of_time((int64_t)time(NULL));
	if (hf_answer_compute(r->db, unit, d0, d1, &a, &r->err) < 0 ||
	    hf_answer_markdown(a, r->lang, &md, &r->err) < 0) {
		hf_answer_free(a);
		return hf_reply_err(r, 0);
	}
	mem = json_array();
	for (i = 0; i < a->nmembers; i++)
		json_array_append_new(mem,
				      answer_unit(&a->members[i], 0, r->lang));
	root =
	    json_pack("{s:o,s:o,s:o,s:s,s:o,s:s}", "since", hf_j_date(a->since),
		      "until", hf_j_date(a->until), "subject",
		      answer_unit(&a->subject, 1, r->lang), "alliances",
		      a->alliances, "members", mem, "markdown", md);
	free(md);
	hf_answer_free(a);
	return hf_reply_json(r, 200, root);
}

const hf_route hf_routes_quota[] = {
    {"GET", "/api/quota", HF_ACCESS_USER, quota},
    {"GET", "/api/explain", HF_ACCESS_USER, explain},
    {"GET", "/api/answer", HF_ACCESS_USER, answer},
    {NULL, NULL, 0, NULL},
};

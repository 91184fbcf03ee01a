/*
 * api_allocate.c: POST /api/allocate: a batch of arriving households to
 * units by quota deficit, as hafen allocate does: the same files (CSV
 * text in the body), the same rule, a dry run or, with commit, the
 * allocations in the ledger in one transaction with the figures they were
 * computed from. For the Land coordination: it writes to every unit.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "routes.h"

typedef struct job {
	hf_quota_table *t;
	hf_csv *hh_csv, *cap_csv;
	hf_alloc_input in; /* units, households and their eligibility */
	hf_alloc_result *res;
	hf_alloc_row *rows;
	size_t m;
} job;

/* The allocations as ledger entries, appended in the open transaction. */
static int commit(hf_req *r, job *j, hf_date day, const char *reference)
{
	hf_admission stamp, *e = NULL;
	size_t n = 0;
	int rc;

	memset(&stamp, 0, sizeof stamp);
	stamp.date = day;
	snprintf(stamp.reference, sizeof stamp.reference, "%s",
		 reference ? reference : "");
	snprintf(stamp.recorded_by, sizeof stamp.recorded_by, "%s",
		 r->acct.name);
	snprintf(stamp.note, sizeof stamp.note, "%s",
		 hf_tr(r->lang, "Zuweisung nach Soll-Defizit",
		       "allocated by quota deficit"));
	stamp.recorded_at = (int64_t)time(NULL);
	if (hf_alloc_entries(j->t, j->hh_csv, &j->in, j->res, &stamp, &e, &n,
			     &r->err) < 0)
		return hf_reply_err(r, 0), -1;
	rc = hf_db_ledger_append(r->db, e, n, &r->err);
	free(e);
	if (rc < 0)
		return hf_reply_err(r, 0), -1;
	return 0;
}

static json_t *result_json(hf_req *r, const job *j)
{
	json_t *hh = json_array(), *units = json_array();
	size_t i;

	for (i = 0; i < j->m; i++) {
		const hf_alloc_result *x = &j->res[i];
		json_t *o = json_pack("{s:s,s:I,s:s}", "household",
				      hf_csv_get(j->hh_csv, i, "id"), "persons",
				      (json_int_t)j->in.hh[i].persons, "reason",
				      hf_alloc_reason_text(x->reason, r->lang));
		json_object_set_new(o, "unit",
				    x->unit >= 0
					? json_string(j->t->units[x->unit].code)
					: json_null());
		if (x->unit >= 0)
			hf_j_set_rat(o, "deficit", x->deficit, 2);
		json_array_append_new(hh, o);
	}
	for (i = 0; i < j->t->n; i++) {
		const hf_alloc_row *w = &j->rows[i];
		json_t *o =
		    json_pack("{s:s,s:s,s:I,s:I}", "unit", j->t->units[i].code,
			      "name", j->t->units[i].name, "households",
			      (json_int_t)w->households, "persons",
			      (json_int_t)w->persons);
		hf_j_set_rat(o, "quota_before", w->quota_before, 2);
		hf_j_set_rat(o, "credited_before", w->credited_before, 2);
		hf_j_set_rat(o, "quota_after", w->quota_after, 2);
		hf_j_set_rat(o, "credited_after", w->credited_after, 2);
		json_object_set_new(o, "capacity_after",
				    w->capacity_after == HF_ALLOC_UNLIMITED
					? json_null()
					: json_integer(w->capacity_after));
		json_array_append_new(units, o);
	}
	return json_pack("{s:s,s:o,s:o}", "key", j->t->key.name, "households",
			 hh, "units", units);
}

static int allocate(hf_req *r)
{
	json_t *b = hf_body(r);
	const char *key, *period, *hcsv, *ccsv, *rule, *date, *reference;
	hf_alloc_rule rl = HF_ALLOC_ABSOLUTE;
	hf_quota_options o = hf_quota_options_default();
	hf_period p;
	hf_date day;
	job j;
	int do_commit, began = 0;

	memset(&j, 0, sizeof j);
	if (!b)
		return 0;
	key = json_string_value(json_object_get(b, "key"));
	period = json_string_value(json_object_get(b, "period"));
	hcsv = json_string_value(json_object_get(b, "households"));
	ccsv = json_string_value(json_object_get(b, "capacities"));
	rule = json_string_value(json_object_get(b, "rule"));
	date = json_string_value(json_object_get(b, "date"));
	reference = json_string_value(json_object_get(b, "reference"));
	do_commit = json_is_true(json_object_get(b, "commit"));
	if (!key || !period || !hcsv) {
		hf_reply_msg(r, 400, "EINVAL", "key",
			     "key, period und households (CSV-Text) sind "
			     "nötig.",
			     "key, period and households (CSV text) are "
			     "needed.");
		goto out;
	}
	if (rule && hf_alloc_rule_parse(rule, &rl) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "rule",
			     "rule: absolut oder relativ.",
			     "rule: absolut or relativ.");
		goto out;
	}
	if (hf_period_parse(period, &p) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "period",
			     "period »%s«: z. B. 2024 oder 2024-Q2.",
			     "period '%s': e.g. 2024 or 2024-Q2.", period);
		goto out;
	}
	if (date) {
		if (hf_q_date(r, "date", date, &day) < 0)
			goto out;
	} else {
		day = hf_date_of_time((int64_t)time(NULL));
	}
	if (do_commit && (day < p.from || day > p.to)) {
		hf_reply_msg(r, 400, "EINVAL", "date",
			     "Das Datum der Einträge muss im Zeitraum liegen.",
			     "The date of the entries must lie in the period.");
		goto out;
	}
	if (hf_csv_read_text("households", hcsv, strlen(hcsv), &j.hh_csv,
			     &r->err) < 0 ||
	    (ccsv && hf_csv_read_text("capacities", ccsv, strlen(ccsv),
				      &j.cap_csv, &r->err) < 0)) {
		hf_reply_err(r, 0);
		goto out;
	}
	/* the figures before the batch, read in the transaction the
	 * allocations are written in */
	if (do_commit) {
		if (hf_db_begin(r->db, &r->err) < 0) {
			hf_reply_err(r, 0);
			goto out;
		}
		began = 1;
	}
	if (hf_quota_table_compute(r->db, key, NULL, p, &o, &j.t, &r->err) <
	    0) {
		hf_reply_err(r, 0);
		goto out;
	}
	if (hf_rat_cmp(j.t->key.credit[HF_CAT_REGULAR], hf_rat_int(1)) != 0) {
		hf_reply_msg(r, 400, "EINVAL", "key",
			     "Der Schlüssel rechnet die Regelverteilung nicht "
			     "mit 1 an; Zuweisung nach Defizit setzt das "
			     "voraus.",
			     "The key does not credit regular distribution "
			     "with 1; allocation by deficit needs that.");
		goto out;
	}
	if (hf_alloc_input_read(j.t, j.hh_csv, j.cap_csv, &j.in, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	j.m = j.in.m;
	j.rows = calloc(j.t->n + 1, sizeof *j.rows);
	j.res = calloc(j.m + 1, sizeof *j.res);
	if (!j.rows || !j.res) {
		hf_reply_msg(r, 500, "ENOMEM", "", "Nicht genug Speicher.",
			     "Out of memory.");
		goto out;
	}
	if (hf_alloc_run(rl, j.in.units, j.t->n, j.in.hh, j.m, j.res, j.rows,
			 &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	if (do_commit) {
		if (commit(r, &j, day, reference) < 0)
			goto out;
		began = 0;
		if (hf_db_commit(r->db, &r->err) < 0) {
			hf_reply_err(r, 0);
			goto out;
		}
	}
	{
		json_t *res = result_json(r, &j);
		json_object_set_new(res, "committed", json_boolean(do_commit));
		hf_reply_json(r, do_commit ? 201 : 200, res);
	}
out:
	if (began)
		hf_db_rollback(r->db);
	free(j.res);
	free(j.rows);
	hf_alloc_input_free(&j.in);
	hf_quota_table_free(j.t);
	hf_csv_free(j.cap_csv);
	hf_csv_free(j.hh_csv);
	json_decref(b);
	return 0;
}

const hf_route hf_routes_allocate[] = {
    {"POST", "/api/allocate", HF_ACCESS_LAND, allocate},
    {NULL, NULL, 0, NULL},
};

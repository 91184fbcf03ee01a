/*
 * api_match.c: POST /api/match: a batch of households to units as hafen
 * match does, over the same files: households and units as CSV text,
 * optionally the scores as the bytes of a .npy in base64, the mode
 * (optimal, stable, allocate), the weights of the built-in scores and a
 * penalty for households left without a unit. The answer is the summary
 * (objective, proven bound and gap, per unit its intake) and per
 * household its unit, score and reason. Households are pseudonymous and
 * nothing is stored; it is for the Land coordination (and
 * administrators), and every run is in the audit log ("match.run").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "routes.h"

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static int weights(hf_req *r, json_t *o, hf_match_weights *w)
{
	static const char *const names[] = {"tie", "preference", "language",
					    "occupation"};
	double *slot[4];
	size_t k;

	slot[0] = &w->tie;
	slot[1] = &w->preference;
	slot[2] = &w->language;
	slot[3] = &w->occupation;
	if (!o)
		return 0;
	if (!json_is_object(o))
		return hf_reply_msg(r, 400, "EINVAL", "weights",
				    "weights: ein Objekt wie {\"tie\": 20}.",
				    "weights: an object like {\"tie\": 20}."),
		       -1;
	for (k = 0; k < 4; k++) {
		json_t *v = json_object_get(o, names[k]);
		if (!v)
			continue;
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return hf_reply_msg(r, 400, "EINVAL", names[k],
					    "Gewicht %s: eine Zahl.",
					    "weight %s: a number.", names[k]),
			       -1;
		*slot[k] = json_number_value(v);
	}
	if (json_object_size(o) > (size_t)(!!json_object_get(o, "tie") +
					   !!json_object_get(o, "preference") +
					   !!json_object_get(o, "language") +
					   !!json_object_get(o, "occupation")))
		return hf_reply_msg(r, 400, "EINVAL", "weights",
				    "Gewichte: tie, preference, language, "
				    "occupation.",
				    "weights: tie, preference, language, "
				    "occupation."),
		       -1;
	return 0;
}

static json_t *result_json(hf_req *r, const hf_match_instance *in,
			   const hf_match_result *x, const hf_match_weights *w)
{
	json_t *root = json_object(), *units = json_array(), *hh = json_array();
	int64_t *count = calloc(in->m + 1, sizeof *count);
	char why[512];
	size_t i, j, d;

	for (i = 0; count && i < in->n; i++)
		if (x->unit[i] >= 0)
			count[x->unit[i]]++;
	json_object_set_new(root, "mode",
			    json_string(hf_match_mode_slug(x->mode)));
	json_object_set_new(root, "objective", num(x->objective));
	json_object_set_new(root, "bound", num(x->bound));
	json_object_set_new(root, "gap", num(x->gap));
	json_object_set_new(root, "exact", json_boolean(x->exact));
	json_object_set_new(root, "households",
			    json_integer((json_int_t)in->n));
	json_object_set_new(root, "assigned",
			    json_integer((json_int_t)x->assigned));
	json_object_set_new(root, "unassigned",
			    json_integer((json_int_t)x->unassigned));
	json_object_set_new(root, "split_in_relaxation",
			    json_integer((json_int_t)x->split));
	if (x->mode == HF_MATCH_STABLE)
		json_object_set_new(root, "blocking_pairs",
				    json_integer((json_int_t)x->blocking));
	json_object_set_new(root, "seconds", json_real(x->seconds));
	json_object_set_new(root, "weights",
			    w ? json_pack("{s:f,s:f,s:f,s:f}", "tie", w->tie,
					  "preference", w->preference,
					  "language", w->language, "occupation",
					  w->occupation)
			      : json_null());
	for (j = 0; j < in->m; j++) {
		const hf_match_unit *u = &in->units[j];
		json_t *o = json_pack(
		    "{s:s,s:I,s:I,s:I,s:I,s:I}", "unit", u->code, "min",
		    (json_int_t)u->min, "max", (json_int_t)u->max, "capacity",
		    (json_int_t)u->cap[0], "persons",
		    (json_int_t)x->load[j * in->ndims], "households",
		    (json_int_t)(count ? count[j] : 0));
		json_t *dims = json_object();
		for (d = 1; d < in->ndims; d++)
			json_object_set_new(
			    dims, in->dim_names[d],
			    json_pack("{s:I,s:I}", "used",
				      (json_int_t)x->load[j * in->ndims + d],
				      "capacity", (json_int_t)u->cap[d]));
		json_object_set_new(o, "dimensions", dims);
		json_object_set_new(
		    o, "price",
		    x->mode == HF_MATCH_OPTIMAL
			? num(x->price[j * in->ndims] - x->floor_price[j])
			: json_null());
		json_array_append_new(units, o);
	}
	for (i = 0; i < in->n; i++) {
		hf_match_reason(in, x, i, r->lang, why, sizeof why);
		json_array_append_new(
		    hh, json_pack("{s:s,s:I,s:o,s:o,s:s}", "household",
				  in->hh[i].id, "persons",
				  (json_int_t)in->hh[i].persons, "unit",
				  x->unit[i] >= 0
				      ? json_string(in->units[x->unit[i]].code)
				      : json_null(),
				  "score", num(x->score[i]), "reason", why));
	}
	free(count);
	json_object_set_new(root, "units", units);
	json_object_set_new(root, "assignment", hh);
	return root;
}

static int match(hf_req *r)
{
	json_t *b = hf_body(r), *pen;
	const char *hcsv, *ucsv, *scores, *mode;
	hf_match_mode m = HF_MATCH_OPTIMAL;
	hf_match_weights w;
	hf_match_input mi;
	hf_match_result *x = NULL;
	unsigned char *npy = NULL;
	size_t nlen = 0;

	memset(&mi, 0, sizeof mi);
	if (!b)
		return 0;
	hcsv = json_string_value(json_object_get(b, "households"));
	ucsv = json_string_value(json_object_get(b, "units"));
	scores = json_string_value(json_object_get(b, "scores_base64"));
	mode = json_string_value(json_object_get(b, "mode"));
	pen = json_object_get(b, "unassigned_penalty");
	hf_match_weights_default(&w);
	if (!hcsv || !ucsv) {
		hf_reply_msg(r, 400, "EINVAL", "households",
			     "households und units (CSV-Text) sind nötig.",
			     "households and units (CSV text) are needed.");
		goto out;
	}
	if (mode && hf_match_mode_parse(mode, &m) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "mode",
			     "mode: optimal, stable oder allocate.",
			     "mode: optimal, stable or allocate.");
		goto out;
	}
	if (weights(r, json_object_get(b, "weights"), &w) < 0)
		goto out;
	if (scores && json_object_get(b, "weights")) {
		hf_reply_msg(r, 400, "EINVAL", "weights",
			     "weights gilt nur für die eingebauten "
			     "Bewertungen, nicht mit scores_base64.",
			     "weights applies to the built-in scores only, "
			     "not with scores_base64.");
		goto out;
	}
	if (scores && !(npy = hf_b64_decode(scores, &nlen))) {
		hf_reply_msg(r, 400, "EINVAL", "scores_base64",
			     "scores_base64: die Bytes einer .npy-Datei in "
			     "Base64.",
			     "scores_base64: the bytes of a .npy file in "
			     "base64.");
		goto out;
	}
	if (pen && !json_is_null(pen) &&
	    (!json_is_number(pen) || !isfinite(json_number_value(pen)) ||
	     json_number_value(pen) < 0)) {
		hf_reply_msg(r, 400, "EINVAL", "unassigned_penalty",
			     "unassigned_penalty: eine Zahl >= 0.",
			     "unassigned_penalty: a number >= 0.");
		goto out;
	}
	if (hf_match_input_read_mem("households", hcsv, strlen(hcsv), "units",
				    ucsv, strlen(ucsv), "scores", npy, nlen,
				    &mi, &r->err) < 0 ||
	    (!npy && hf_match_input_builtin(&mi, &w, &r->err) < 0)) {
		hf_reply_err(r, 0);
		goto out;
	}
	if (pen && !json_is_null(pen)) {
		mi.in.penalty = json_number_value(pen);
		mi.in.allow_unassigned = 1;
	}
	if (hf_match_solve(&mi.in, m, NULL, &x, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	{
		char details[160];
		snprintf(details, sizeof details,
			 "mode=%s households=%zu units=%zu assigned=%zu",
			 hf_match_mode_slug(m), mi.in.n, mi.in.m, x->assigned);
		if (hf_db_audit_add(r->db, "match.run", hf_match_mode_slug(m),
				    details, &r->err) < 0) {
			hf_reply_err(r, 0);
			goto out;
		}
	}
	hf_reply_json(r, 200, result_json(r, &mi.in, x, npy ? NULL : &w));
out:
	hf_match_result_free(x);
	hf_match_input_free(&mi);
	free(npy);
	json_decref(b);
	return 0;
}

const hf_route hf_routes_match[] = {
    {"POST", "/api/match", HF_ACCESS_LAND, match},
    {NULL, NULL, 0, NULL},
};

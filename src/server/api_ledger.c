/*
 * api_ledger.c: the admission ledger: listing and reading entries (with
 * household ids: details, so only of the account's own units, and every
 * read is logged), recording, correcting, transferring, and the sums of
 * admissions (aggregates, for every role).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "routes.h"

/* Applies the fields of an entry given in body b to a (fields not given
 * stay). Answers 400 and returns -1 on a bad field; *given counts the
 * fields found. */
static int apply(hf_req *r, json_t *b, hf_admission *a, int *given)
{
	static const struct {
		const char *key;
		size_t off, size;
	} text[] = {
	    {"unit", offsetof(hf_admission, unit), HF_CODE_MAX},
	    {"household", offsetof(hf_admission, household), HF_HOUSEHOLD_MAX},
	    {"programme", offsetof(hf_admission, programme), HF_PROGRAMME_MAX},
	    {"reference", offsetof(hf_admission, reference), HF_REFERENCE_MAX},
	};
	char buf[32];
	const char *v;
	size_t i;
	long long p;

	*given = 0;
	for (i = 0; i < sizeof text / sizeof text[0]; i++)
		if ((v = hf_j_str(b, text[i].key, buf, sizeof buf))) {
			if (hf_field_copy((char *)a + text[i].off, text[i].size,
					  v, text[i].key, &r->err) < 0) {
				hf_reply_err(r, 0);
				return -1;
			}
			(*given)++;
		}
	if ((v = hf_j_str(b, "persons", buf, sizeof buf))) {
		if (hf_q_int(r, "persons", v, &p) < 0)
			return -1;
		a->persons = p;
		(*given)++;
	}
	if ((v = hf_j_str(b, "date", buf, sizeof buf))) {
		if (hf_q_date(r, "date", v, &a->date) < 0)
			return -1;
		(*given)++;
	}
	if ((v = hf_j_str(b, "category", buf, sizeof buf))) {
		if (hf_q_category(r, "category", v, &a->category) < 0)
			return -1;
		(*given)++;
	}
	return 0;
}

static int note_of(hf_req *r, json_t *b, char *note, size_t size)
{
	const char *v = json_string_value(json_object_get(b, "note"));

	note[0] = '\0';
	if (v && hf_field_copy(note, size, v, "note", &r->err) < 0) {
		hf_reply_err(r, 0);
		return -1;
	}
	return 0;
}

static void stamp(hf_req *r, hf_admission *a)
{
	snprintf(a->recorded_by, sizeof a->recorded_by, "%s", r->acct.name);
	a->recorded_at = (int64_t)time(NULL);
}

static int ledger_list(hf_req *r)
{
	hf_ledger_filter f = hf_ledger_filter_all();
	const char *v, *units[HF_ACCOUNT_UNITS_MAX + 1];
	hf_admission *all = NULL, *a = NULL;
	size_t n = 0, nall = 0, nu = 0, i, j;
	hf_category c;
	long long l;
	json_t *arr;

	f.programme = hf_q(r, "programme");
	f.household = hf_q(r, "household");
	if ((v = hf_q(r, "category"))) {
		if (hf_q_category(r, "category", v, &c) < 0)
			return 0;
		f.category = (int)c;
	}
	if (((v = hf_q(r, "from")) && hf_q_date(r, "from", v, &f.from) < 0) ||
	    ((v = hf_q(r, "to")) && hf_q_date(r, "to", v, &f.to) < 0))
		return 0;
	if ((v = hf_q(r, "limit"))) {
		if (hf_q_int(r, "limit", v, &l) < 0)
			return 0;
		if (l <= 0)
			return hf_reply_msg(r, 400, "EINVAL", "limit",
					    "limit muss positiv sein.",
					    "limit must be positive.");
		f.limit = (size_t)l;
	}
	if ((v = hf_q(r, "after_id"))) {
		if (hf_q_int(r, "after_id", v, &l) < 0)
			return 0;
		f.after_id = l;
	}
	/* a unit office lists its own units only, each by itself */
	if ((v = hf_q(r, "unit"))) {
		if (!hf_auth_unit(r, v))
			return 0;
		units[nu++] = v;
	} else if (hf_role_all_units(r->acct.role))
		units[nu++] = NULL;
	else
		for (i = 0; i < r->acct.nunits; i++)
			units[nu++] = r->acct.units[i];
	for (i = 0; i < nu; i++) {
		f.unit = units[i];
		if (hf_db_ledger_list(r->db, &f, &a, &n, &r->err) < 0) {
			free(all);
			return hf_reply_err(r, 0);
		}
		if (nu == 1) {
			all = a;
			nall = n;
			break;
		}
		{
			hf_admission *na =
			    realloc(all, (nall + n + 1) * sizeof *all);
			if (!na) {
				free(a);
				free(all);
				return hf_reply_msg(r, 500, "ENOMEM", "",
						    "Nicht genug Speicher.",
						    "Out of memory.");
			}
			all = na;
			memcpy(all + nall, a, n * sizeof *a);
			nall += n;
			free(a);
		}
	}
	/* entries of several units in id order, the limit over them all */
	for (i = 1; i < nall; i++)
		for (j = i; j > 0 && all[j - 1].id > all[j].id; j--) {
			hf_admission t = all[j];
			all[j] = all[j - 1];
			all[j - 1] = t;
		}
	if (f.limit && nall > f.limit)
		nall = f.limit;
	if (hf_auth_log_read(r, hf_q(r, "unit") ? hf_q(r, "unit") : "*",
			     "entries=%zu household=%s", nall,
			     f.household ? f.household : "") < 0) {
		free(all);
		return 0;
	}
	arr = json_array();
	for (i = 0; i < nall; i++)
		json_array_append_new(arr, hf_j_admission(&all[i]));
	free(all);
	return hf_reply_json(r, 200, json_pack("{s:o}", "entries", arr));
}

static int ledger_get(hf_req *r)
{
	hf_admission a;
	long long id;
	int64_t rev = 0;
	json_t *o;

	if (hf_q_int(r, "id", r->param[0], &id) < 0)
		return 0;
	if (hf_db_ledger_get(r->db, id, &a, &r->err) < 0)
		return hf_reply_err(r, 0);
	if (!hf_auth_unit(r, a.unit))
		return 0;
	if (hf_db_ledger_reversed_by(r->db, id, &rev, &r->err) < 0)
		return hf_reply_err(r, 0);
	if (hf_auth_log_read(r, r->param[0], "unit=%s", a.unit) < 0)
		return 0;
	o = hf_j_admission(&a);
	json_object_set_new(o, "reversed_by",
			    rev ? json_integer(rev) : json_null());
	return hf_reply_json(r, 200, o);
}

static int record(hf_req *r)
{
	json_t *b = hf_body(r);
	const char *override;
	hf_admission a;
	size_t used = 0;
	int given;

	if (!b)
		return 0;
	memset(&a, 0, sizeof a);
	a.category = HF_CAT_REGULAR;
	a.date = HF_DATE_NONE;
	if (apply(r, b, &a, &given) < 0 ||
	    note_of(r, b, a.note, sizeof a.note) < 0)
		goto out;
	if (!a.unit[0] || !a.persons || a.date == HF_DATE_NONE) {
		hf_reply_msg(r, 400, "EINVAL",
			     !a.unit[0]	  ? "unit"
			     : !a.persons ? "persons"
					  : "date",
			     "unit, persons und date sind nötig.",
			     "unit, persons and date are needed.");
		goto out;
	}
	if (!hf_auth_unit(r, a.unit))
		goto out;
	stamp(r, &a);
	override = json_string_value(json_object_get(b, "override"));
	if ((override && *override
		 ? hf_db_ledger_append_override(r->db, &a, 1, override,
						r->acct.name, a.recorded_at,
						&used, &r->err)
		 : hf_db_ledger_append(r->db, &a, 1, &r->err)) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	hf_reply_json(r, 201,
		      json_pack("{s:o,s:b}", "entry", hf_j_admission(&a),
				"override", used > 0));
out:
	json_decref(b);
	return 0;
}

static int correct(hf_req *r)
{
	json_t *b = hf_body(r);
	hf_admission orig, repl;
	char note[HF_NOTE_MAX];
	int64_t rev = 0;
	long long id;
	int given;

	if (!b)
		return 0;
	if (hf_q_int(r, "id", r->param[0], &id) < 0)
		goto out;
	if (hf_db_ledger_get(r->db, id, &orig, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	if (!hf_auth_unit(r, orig.unit))
		goto out;
	repl = orig;
	repl.id = repl.corrects = repl.pair = 0;
	repl.note[0] = '\0';
	if (apply(r, b, &repl, &given) < 0 ||
	    note_of(r, b, note, sizeof note) < 0)
		goto out;
	if (given && strcmp(repl.unit, orig.unit) &&
	    !hf_auth_unit(r, repl.unit))
		goto out;
	stamp(r, &repl);
	if (hf_db_ledger_correct(r->db, id, HF_DATE_NONE, r->acct.name,
				 repl.recorded_at, note, given ? &repl : NULL,
				 &rev, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	hf_reply_json(r, 201,
		      json_pack("{s:I,s:I,s:o}", "corrected", (json_int_t)id,
				"reversal", (json_int_t)rev, "replacement",
				given ? hf_j_admission(&repl) : json_null()));
out:
	json_decref(b);
	return 0;
}

static int transfer(hf_req *r)
{
	json_t *b = hf_body(r);
	char b1[32], b2[32], b3[32], b4[32], b5[64], b6[80];
	const char *from, *to, *persons, *date;
	int64_t out_id = 0, in_id = 0;
	long long p;
	hf_date d;

	if (!b)
		return 0;
	from = hf_j_str(b, "from", b1, sizeof b1);
	to = hf_j_str(b, "to", b2, sizeof b2);
	persons = hf_j_str(b, "persons", b3, sizeof b3);
	date = hf_j_str(b, "date", b4, sizeof b4);
	if (!from || !to || !persons || !date) {
		hf_reply_msg(r, 400, "EINVAL", "from",
			     "from, to, persons und date sind nötig.",
			     "from, to, persons and date are needed.");
		goto out;
	}
	/* both halves are entries: both units must be the account's */
	if (!hf_auth_unit(r, from) || !hf_auth_unit(r, to) ||
	    hf_q_int(r, "persons", persons, &p) < 0 ||
	    hf_q_date(r, "date", date, &d) < 0)
		goto out;
	if (hf_db_transfer(
		r->db, from, to, p, d, hf_j_str(b, "household", b5, sizeof b5),
		hf_j_str(b, "reference", b6, sizeof b6), r->acct.name,
		(int64_t)time(NULL), &out_id, &in_id, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	hf_reply_json(r, 201,
		      json_pack("{s:I,s:I}", "out", (json_int_t)out_id, "in",
				(json_int_t)in_id));
out:
	json_decref(b);
	return 0;
}

static int admissions(hf_req *r)
{
	hf_ledger_filter f = hf_ledger_filter_all();
	const char *v;
	unsigned group = HF_GROUP_UNIT | HF_GROUP_CATEGORY;
	hf_ledger_sum *s = NULL;
	size_t n = 0, i;
	long long persons = 0, entries = 0;
	hf_category c;
	json_t *rows;

	if (!(v = hf_q(r, "since")))
		return hf_reply_msg(r, 400, "EINVAL", "since",
				    "since (Datum) fehlt.",
				    "since (a date) is missing.");
	if (hf_q_date(r, "since", v, &f.from) < 0 ||
	    ((v = hf_q(r, "until")) && hf_q_date(r, "until", v, &f.to) < 0))
		return 0;
	if ((v = hf_q(r, "category"))) {
		if (hf_q_category(r, "category", v, &c) < 0)
			return 0;
		f.category = (int)c;
	}
	f.unit = hf_q(r, "unit");
	if ((v = hf_q(r, "by_year")) && strcmp(v, "0") && strcmp(v, "false"))
		group |= HF_GROUP_YEAR;
	if (hf_db_ledger_aggregate(r->db, &f, group, &s, &n, &r->err) < 0)
		return hf_reply_err(r, 0);
	rows = json_array();
	for (i = 0; i < n; i++) {
		hf_unit u;
		hf_error e2;
		json_t *o;
		hf_error_init(&e2, r->lang);
		if (hf_db_unit_get(r->db, s[i].unit, &u, &e2) < 0)
			u.name[0] = '\0';
		o = json_pack("{s:s,s:s,s:s,s:I,s:I}", "unit", s[i].unit,
			      "name", u.name, "category",
			      hf_category_slug((hf_category)s[i].category),
			      "persons", (json_int_t)s[i].persons, "entries",
			      (json_int_t)s[i].entries);
		if (group & HF_GROUP_YEAR)
			json_object_set_new(o, "year", json_integer(s[i].year));
		json_array_append_new(rows, o);
		persons +=
		    hf_category_sign((hf_category)s[i].category) * s[i].persons;
		entries += s[i].entries;
	}
	free(s);
	return hf_reply_json(r, 200,
			     json_pack("{s:o,s:{s:I,s:I}}", "rows", rows,
				       "total", "persons", (json_int_t)persons,
				       "entries", (json_int_t)entries));
}

const hf_route hf_routes_ledger[] = {
    {"GET", "/api/ledger", HF_ACCESS_WRITER, ledger_list},
    {"POST", "/api/ledger", HF_ACCESS_WRITER, record},
    {"GET", "/api/ledger/{id}", HF_ACCESS_WRITER, ledger_get},
    {"POST", "/api/ledger/{id}/correct", HF_ACCESS_WRITER, correct},
    {"POST", "/api/transfers", HF_ACCESS_WRITER, transfer},
    {"GET", "/api/admissions", HF_ACCESS_USER, admissions},
    {NULL, NULL, 0, NULL},
};

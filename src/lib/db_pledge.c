/*
 * db_pledge.c: pledges (Aufnahmezusagen) in the database API and the
 * report of what consumed them.
 *
 * Special admissions consume the binding pledges of their unit in a fixed
 * order (hafen/programme.h says which), so every person is counted against
 * at most one pledge and the report is the same on every run.
 */
#include "hafen/programme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

static int is_any(const char *s)
{
	return !s[0] || !strcmp(s, "any") || !strcmp(s, "alle");
}

static int pledge_add(hf_db *db, hf_pledge *p, hf_error *err)
{
	hf_programme prog;
	hf_unit u;
	int rc;

	rc = OPS(db)->unit_get(db->st, p->unit, &u, err);
	if (rc == HF_ENOTFOUND)
		return hf__db_unit_missing(err, "unit", p->unit);
	if (rc < 0)
		return rc;
	if (p->places <= 0)
		return hf_error_set(err, HF_EINVAL, "places",
				    "Zusage von %s: die Zahl der Plätze "
				    "(%lld) muss positiv sein.",
				    "Pledge of %s: the number of places "
				    "(%lld) must be positive.",
				    p->unit, (long long)p->places);
	if ((unsigned)p->status >= HF_PLEDGE_STATUS_COUNT)
		return hf_error_set(err, HF_EINVAL, "status",
				    "Zusage von %s: unbekannter Stand %d.",
				    "Pledge of %s: unknown status %d.", p->unit,
				    (int)p->status);
	if ((rc = hf__db_check_period(p->period, p->unit, err)) < 0)
		return rc;
	if (is_any(p->programme)) {
		p->programme[0] = '\0';
	} else {
		if ((rc = hf_db_programme_get(db, p->programme, &prog, err)) <
		    0)
			return rc;
		hf_programme_clear(&prog);
	}
	return OPS(db)->pledge_insert(db->st, p, err);
}

int hf_db_pledge_add(hf_db *db, hf_pledge *p, hf_error *err)
{
	int rc;

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = pledge_add(db, p, err);
	if (rc == HF_OK)
		rc = hf__db_audit(db, "pledge.add", p->unit, err,
				  "id=%lld places=%lld programme=%s",
				  (long long)p->id, (long long)p->places,
				  p->programme);
	rc = hf__db_tx_end(db, rc, err);
	if (rc < 0)
		p->id = 0;
	return rc;
}

int hf_db_pledge_list(hf_db *db, const char *unit, hf_pledge **out, size_t *n,
		      hf_error *err)
{
	*out = NULL;
	*n = 0;
	return OPS(db)->pledge_list(db->st, unit, out, n, err);
}

static int set_status(hf_db *db, int64_t id, hf_pledge_status s, hf_error *err)
{
	int rc;

	if ((unsigned)s >= HF_PLEDGE_STATUS_COUNT)
		return hf_error_set(err, HF_EINVAL, "status",
				    "Unbekannter Stand %d einer Zusage.",
				    "Unknown status %d of a pledge.", (int)s);
	rc = OPS(db)->pledge_set_status(db->st, id, (int)s, err);
	if (rc == HF_ENOTFOUND)
		return hf_error_set(err, rc, "id",
				    "Die Zusage %lld gibt es nicht.",
				    "There is no pledge %lld.", (long long)id);
	return rc;
}

int hf_db_pledge_set_status(hf_db *db, int64_t id, hf_pledge_status s,
			    hf_error *err)
{
	int rc;

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = set_status(db, id, s, err);
	if (rc == HF_OK) {
		char obj[32];
		snprintf(obj, sizeof obj, "%lld", (long long)id);
		rc = hf__db_audit(db, "pledge.status", obj, err, "status=%s",
				  hf_pledge_status_slug(s));
	}
	return hf__db_tx_end(db, rc, err);
}

void hf_pledge_report_free(hf_pledge_report *r)
{
	if (!r)
		return;
	free(r->rows);
	free(r->units);
	free(r);
}

static int cmp_row(const void *a, const void *b)
{
	const hf_pledge_row *x = a, *y = b;
	int c = strcmp(x->pledge.unit, y->pledge.unit);
	if (c)
		return c;
	return (x->pledge.id > y->pledge.id) - (x->pledge.id < y->pledge.id);
}

static int cmp_entry(const void *a, const void *b)
{
	const hf_admission *x = a, *y = b;
	if (x->date != y->date)
		return (x->date > y->date) - (x->date < y->date);
	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Takes up to *left persons into the rows [lo, hi) that match entry a:
 * with any 0 those for its programme, with any 1 those for any. */
static void take(hf_pledge_row *rows, size_t lo, size_t hi,
		 const hf_admission *a, int any, int64_t *left)
{
	size_t i;

	for (i = lo; i<hi && * left> 0; i++) {
		hf_pledge_row *r = &rows[i];
		int64_t t;
		if (any ? r->pledge.programme[0] != '\0'
			: (!r->pledge.programme[0] ||
			   strcmp(r->pledge.programme, a->programme)))
			continue;
		if (a->date < r->pledge.period.from ||
		    a->date > r->pledge.period.to)
			continue;
		t = r->open < *left ? r->open : *left;
		r->used += t;
		r->open -= t;
		*left -= t;
	}
}

/* The special admissions of rows[lo, hi)'s unit, consumed in order. */
static int consume(hf_db *db, hf_pledge_row *rows, size_t lo, size_t hi,
		   hf_pledge_unit *pu, hf_error *err)
{
	hf_ledger_filter f = hf_ledger_filter_all();
	hf_admission *e = NULL;
	int64_t *rev = NULL;
	size_t n = 0, nrev = 0, i, k = 0;
	int rc;

	f.unit = rows[lo].pledge.unit;
	f.category = HF_CAT_SICHERER_HAFEN;
	if ((rc = hf_db_ledger_list(db, &f, &e, &n, err)) < 0)
		return rc;
	if (!(rev = calloc(n ? n : 1, sizeof *rev))) {
		free(e);
		return hf__db_nomem(err);
	}
	for (i = 0; i < n; i++)
		if (e[i].corrects)
			rev[nrev++] = e[i].corrects;
	if (nrev)
		qsort(rev, nrev, sizeof *rev, cmp_id);
	/* ordinary entries not reversed: a reversal and its original
	 * cancel */
	for (i = 0; i < n; i++)
		if (!e[i].corrects && (!nrev || !bsearch(&e[i].id, rev, nrev,
							 sizeof *rev, cmp_id)))
			e[k++] = e[i];
	if (k)
		qsort(e, k, sizeof *e, cmp_entry);
	for (i = 0; i < k; i++) {
		int64_t left = e[i].persons;
		if (e[i].programme[0])
			take(rows, lo, hi, &e[i], 0, &left);
		take(rows, lo, hi, &e[i], 1, &left);
		pu->unpledged += left;
	}
	free(rev);
	free(e);
	return HF_OK;
}

/* The key of the unit's parent for the pledge's period and what the used
 * places count under it. */
static int credit(hf_db *db, const hf_unit *u, hf_pledge_row *r, hf_error *err)
{
	hf_key k;
	int rc;

	r->credit = r->credited = hf_rat_int(0);
	if (!u->parent[0])
		return HF_OK;
	rc = hf_db_key_find(db, u->parent, r->pledge.period, &k, err);
	if (rc == HF_ENOTFOUND)
		return HF_OK;
	if (rc < 0)
		return rc;
	memcpy(r->key, k.name, sizeof r->key);
	r->credit = k.credit[HF_CAT_SICHERER_HAFEN];
	hf_key_clear(&k);
	if (hf_rat_mul(r->credit, hf_rat_int(r->used), &r->credited) < 0)
		return hf_error_set(err, HF_EOVERFLOW, "credit",
				    "Zusage %lld: Anrechnung zu groß.",
				    "Pledge %lld: credit too large.",
				    (long long)r->pledge.id);
	return HF_OK;
}

static int report(hf_db *db, const char *unit, hf_pledge_report *out,
		  hf_error *err)
{
	hf_pledge *p = NULL;
	size_t n = 0, i, lo, hi;
	hf_unit u;
	int rc;

	if (unit && (rc = hf_db_unit_get(db, unit, &u, err)) < 0)
		return rc;
	if ((rc = hf_db_pledge_list(db, unit, &p, &n, err)) < 0)
		return rc;
	out->rows = calloc(n ? n : 1, sizeof *out->rows);
	out->units = calloc(n ? n : 1, sizeof *out->units);
	if (!out->rows || !out->units) {
		free(p);
		return hf__db_nomem(err);
	}
	for (i = 0; i < n; i++) {
		if (p[i].status != HF_PLEDGE_PLEDGED)
			continue;
		out->rows[out->n].pledge = p[i];
		out->rows[out->n].open = p[i].places;
		out->n++;
	}
	free(p);
	if (out->n)
		qsort(out->rows, out->n, sizeof *out->rows, cmp_row);
	for (lo = 0; lo < out->n; lo = hi) {
		hf_pledge_unit *pu = &out->units[out->nunits++];
		for (hi = lo; hi < out->n && !strcmp(out->rows[hi].pledge.unit,
						     out->rows[lo].pledge.unit);
		     hi++)
			;
		memcpy(pu->unit, out->rows[lo].pledge.unit, sizeof pu->unit);
		pu->credited = hf_rat_int(0);
		if ((rc = consume(db, out->rows, lo, hi, pu, err)) < 0 ||
		    (rc = hf_db_unit_get(db, pu->unit, &u, err)) < 0)
			return rc;
		for (i = lo; i < hi; i++) {
			hf_pledge_row *r = &out->rows[i];
			if ((rc = credit(db, &u, r, err)) < 0)
				return rc;
			pu->pledged += r->pledge.places;
			pu->used += r->used;
			pu->open += r->open;
			if (!r->key[0])
				pu->uncredited++;
			else if (hf_rat_add(pu->credited, r->credited,
					    &pu->credited) < 0)
				return hf_error_set(err, HF_EOVERFLOW, "credit",
						    "Anrechnung zu groß.",
						    "Credit too large.");
		}
	}
	return HF_OK;
}

int hf_db_pledge_report(hf_db *db, const char *unit, hf_pledge_report **out,
			hf_error *err)
{
	hf_pledge_report *r = calloc(1, sizeof *r);
	int rc;

	*out = NULL;
	if (!r)
		return hf__db_nomem(err);
	/* pledges and the ledger of one snapshot */
	if ((rc = hf__db_read_begin(db, err)) == HF_OK)
		rc = hf__db_read_end(db, report(db, unit, r, err), err);
	if (rc < 0) {
		hf_pledge_report_free(r);
		return rc;
	}
	*out = r;
	return HF_OK;
}

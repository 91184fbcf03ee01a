/*
 * store_pg_key.c: keys and standing credits in the PostgreSQL backend,
 * as in store_sqlite_key.c: a key is a row in keys with its weights,
 * shares and credits in three tables beside it, written and read together.
 */
#include "store_pg_int.h"

#include <stdlib.h>

static int read_key(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_key *k = dst;
	int rc;

	hf_key_init(k);
	if ((rc = hf__pg_ctext(r, row, 0, k->name, sizeof k->name, "name",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 1, k->title, sizeof k->title, "title",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 2, k->parent, sizeof k->parent, "parent",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 8, k->source, sizeof k->source, "source",
			       err)) < 0 ||
	    (rc = hf__pg_crat(r, row, 10, &k->cap, err)) < 0)
		return rc;
	if (hf_key_kind_parse(PQgetvalue(r, row, 3), &k->kind) < 0)
		return hf_error_set(err, HF_ESTORAGE, k->name,
				    "Schlüssel %s: unbekannte Art in der "
				    "Datenbank.",
				    "Key %s: unknown kind in the database.",
				    k->name);
	k->valid_from = hf__pg_cdate(r, row, 4);
	k->valid_to = hf__pg_cdate(r, row, 5);
	k->computed_year = (int)hf__pg_cint(r, row, 6);
	k->quota_year = (int)hf__pg_cint(r, row, 7);
	k->ref_date = hf__pg_cdate(r, row, 9);
	return HF_OK;
}

static int run_rat(pg *p, int id, hf__pg_args *a, hf_rat x, hf_error *err)
{
	hf__pg_int(a, x.num);
	hf__pg_int(a, x.den);
	return hf__pg_q(p, id, a, NULL, err);
}

int hf__pg_key_insert(void *st, const hf_key *k, hf_error *err)
{
	hf__pg_args a = {0};
	size_t i;
	int rc, c;

	hf__pg_text(&a, k->name);
	hf__pg_text(&a, k->title);
	hf__pg_text(&a, k->parent);
	hf__pg_text(&a, hf_key_kind_slug(k->kind));
	hf__pg_date(&a, k->valid_from);
	hf__pg_date(&a, k->valid_to);
	hf__pg_int(&a, k->computed_year);
	hf__pg_int(&a, k->quota_year);
	hf__pg_text(&a, k->source);
	hf__pg_date(&a, k->ref_date);
	if ((rc = run_rat(st, P_KEY_INSERT, &a, k->cap, err)) < 0)
		return rc;
	for (i = 0; i < k->nweights; i++) {
		hf__pg_args w = {0};
		hf__pg_text(&w, k->name);
		hf__pg_int(&w, (int64_t)i);
		hf__pg_text(&w, k->weights[i].indicator);
		if ((rc = run_rat(st, P_KEY_WEIGHT, &w, k->weights[i].weight,
				  err)) < 0)
			return rc;
	}
	for (i = 0; i < k->nshares; i++) {
		hf__pg_args s = {0};
		hf__pg_text(&s, k->name);
		hf__pg_text(&s, k->shares[i].unit);
		if ((rc = run_rat(st, P_KEY_SHARE, &s, k->shares[i].share,
				  err)) < 0)
			return rc;
	}
	for (c = 0; c < HF_CAT_COUNT; c++) {
		hf__pg_args s = {0};
		hf__pg_text(&s, k->name);
		hf__pg_int(&s, c);
		if ((rc = run_rat(st, P_KEY_CREDIT, &s, k->credit[c], err)) < 0)
			return rc;
	}
	return HF_OK;
}

static int read_share(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_key_share *sh = dst;
	int rc;

	if ((rc = hf__pg_ctext(r, row, 0, sh->unit, sizeof sh->unit, "unit",
			       err)) < 0)
		return rc;
	return hf__pg_crat(r, row, 1, &sh->share, err);
}

/* Weights and credits; the shares too with shares set. */
static int key_details(pg *p, hf_key *k, int shares, hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc, i;

	hf__pg_text(&a, k->name);
	if ((rc = hf__pg_q(p, P_KEY_GET_WEIGHTS, &a, &r, err)) < 0)
		return rc;
	for (i = 0; i < PQntuples(r) && k->nweights < HF_KEY_WEIGHTS_MAX; i++) {
		hf_key_weight *w = &k->weights[k->nweights++];
		if ((rc = hf__pg_ctext(r, i, 0, w->indicator,
				       sizeof w->indicator, "indicator", err)) <
			0 ||
		    (rc = hf__pg_crat(r, i, 1, &w->weight, err)) < 0) {
			PQclear(r);
			return rc;
		}
	}
	PQclear(r);
	if ((rc = hf__pg_q(p, P_KEY_GET_CREDITS, &a, &r, err)) < 0)
		return rc;
	for (i = 0; i < PQntuples(r); i++) {
		int c = (int)hf__pg_cint(r, i, 0);
		if (c >= 0 && c < HF_CAT_COUNT &&
		    (rc = hf__pg_crat(r, i, 1, &k->credit[c], err)) < 0) {
			PQclear(r);
			return rc;
		}
	}
	PQclear(r);
	if (!shares)
		return HF_OK;
	if ((rc = hf__pg_q(p, P_KEY_GET_SHARES, &a, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof *k->shares, read_share,
			      (void **)&k->shares, &k->nshares, err);
}

int hf__pg_key_get(void *st, const char *name, hf_key *out, hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&a, name);
	if ((rc = hf__pg_q(st, P_KEY_GET, &a, &r, err)) < 0 ||
	    (rc = hf__pg_one(r, out, read_key, err)) < 0)
		return rc;
	if ((rc = key_details(st, out, 1, err)) < 0)
		hf_key_clear(out);
	return rc;
}

int hf__pg_key_list(void *st, const char *parent, hf_key **out, size_t *n,
		    hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	size_t i;
	int rc;

	if (parent)
		hf__pg_text(&a, parent);
	if ((rc = hf__pg_q(st, parent ? P_KEY_OF_PARENT : P_KEY_ALL, &a, &r,
			   err)) < 0 ||
	    (rc = hf__pg_collect(r, sizeof **out, read_key, (void **)out, n,
				 err)) < 0)
		return rc;
	for (i = 0; i < *n; i++)
		if ((rc = key_details(st, &(*out)[i], 0, err)) < 0) {
			free(*out);
			*out = NULL;
			*n = 0;
			return rc;
		}
	return HF_OK;
}

int hf__pg_key_set_credit(void *st, const char *key, int category,
			  hf_rat weight, hf_error *err)
{
	hf__pg_args a = {0};

	hf__pg_text(&a, key);
	hf__pg_int(&a, category);
	return run_rat(st, P_KEY_SET_CREDIT, &a, weight, err);
}

static int read_standing(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_standing *x = dst;
	int rc;

	x->id = hf__pg_cint(r, row, 0);
	if ((rc = hf__pg_ctext(r, row, 1, x->key, sizeof x->key, "key", err)) <
		0 ||
	    (rc = hf__pg_ctext(r, row, 2, x->unit, sizeof x->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 6, x->reason, sizeof x->reason, "reason",
			       err)) < 0)
		return rc;
	x->from = hf__pg_cdate(r, row, 3);
	x->to = hf__pg_cdate(r, row, 4);
	x->persons = hf__pg_cint(r, row, 5);
	return HF_OK;
}

int hf__pg_standing_insert(void *st, hf_standing *x, hf_error *err)
{
	hf__pg_args a = {0};

	hf__pg_text(&a, x->key);
	hf__pg_text(&a, x->unit);
	hf__pg_int(&a, x->from);
	hf__pg_int(&a, x->to);
	hf__pg_int(&a, x->persons);
	hf__pg_text(&a, x->reason);
	return hf__pg_insert_id(st, P_STANDING_INSERT, &a, &x->id, err);
}

int hf__pg_standing_list(void *st, const char *key, hf_standing **out,
			 size_t *n, hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&a, key);
	if ((rc = hf__pg_q(st, P_STANDING_LIST, &a, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_standing, (void **)out, n,
			      err);
}

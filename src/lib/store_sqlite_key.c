/*
 * store_sqlite_key.c: keys and standing credits in the SQLite backend.
 * A key is a row in keys with its weights, shares and credits in three
 * tables beside it, written and read together.
 */
#include "store_sqlite_int.h"

#include <stdlib.h>

static int read_key(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_key *k = dst;
	int rc;

	hf_key_init(k);
	if ((rc = hf__sq_ctext(q, 0, k->name, sizeof k->name, "name",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 1, k->title, sizeof k->title, "title",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 2, k->parent, sizeof k->parent, "parent",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 8, k->source, sizeof k->source, "source",
			       err)) < 0 ||
	    (rc = hf__sq_crat(q, 10, &k->cap, err)) < 0)
		return rc;
	if (hf_key_kind_parse((const char *)sqlite3_column_text(q, 3),
			      &k->kind) < 0)
		return hf_error_set(err, HF_ESTORAGE, k->name,
				    "Schlüssel %s: unbekannte Art in der "
				    "Datenbank.",
				    "Key %s: unknown kind in the database.",
				    k->name);
	k->valid_from = hf__sq_cdate(q, 4);
	k->valid_to = hf__sq_cdate(q, 5);
	k->computed_year = sqlite3_column_int(q, 6);
	k->quota_year = sqlite3_column_int(q, 7);
	k->ref_date = hf__sq_cdate(q, 9);
	return HF_OK;
}

static int bind_rat_run(sq *s, sqlite3_stmt *q, int i, hf_rat r,
			hf_error *err)
{
	sqlite3_bind_int64(q, i, r.num);
	sqlite3_bind_int64(q, i + 1, r.den);
	return hf__sq_run(s, q, err);
}

int hf__sq_key_insert(void *st, const hf_key *k, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	size_t i;
	int rc, c;

	PREP(Q_KEY_INSERT);
	hf__sq_btext(q, 1, k->name);
	hf__sq_btext(q, 2, k->title);
	hf__sq_btext(q, 3, k->parent);
	hf__sq_btext(q, 4, hf_key_kind_slug(k->kind));
	hf__sq_bdate(q, 5, k->valid_from);
	hf__sq_bdate(q, 6, k->valid_to);
	sqlite3_bind_int(q, 7, k->computed_year);
	sqlite3_bind_int(q, 8, k->quota_year);
	hf__sq_btext(q, 9, k->source);
	hf__sq_bdate(q, 10, k->ref_date);
	if ((rc = bind_rat_run(s, q, 11, k->cap, err)) < 0)
		return rc;
	for (i = 0; i < k->nweights; i++) {
		PREP(Q_KEY_WEIGHT);
		hf__sq_btext(q, 1, k->name);
		sqlite3_bind_int(q, 2, (int)i);
		hf__sq_btext(q, 3, k->weights[i].indicator);
		if ((rc = bind_rat_run(s, q, 4, k->weights[i].weight, err)) < 0)
			return rc;
	}
	for (i = 0; i < k->nshares; i++) {
		PREP(Q_KEY_SHARE);
		hf__sq_btext(q, 1, k->name);
		hf__sq_btext(q, 2, k->shares[i].unit);
		if ((rc = bind_rat_run(s, q, 3, k->shares[i].share, err)) < 0)
			return rc;
	}
	for (c = 0; c < HF_CAT_COUNT; c++) {
		PREP(Q_KEY_CREDIT);
		hf__sq_btext(q, 1, k->name);
		sqlite3_bind_int(q, 2, c);
		if ((rc = bind_rat_run(s, q, 3, k->credit[c], err)) < 0)
			return rc;
	}
	return HF_OK;
}

static int read_share(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_key_share *sh = dst;
	int rc;

	if ((rc = hf__sq_ctext(q, 0, sh->unit, sizeof sh->unit, "unit",
			       err)) < 0)
		return rc;
	return hf__sq_crat(q, 1, &sh->share, err);
}

static int key_details(sq *s, hf_key *k, hf_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_KEY_GET_WEIGHTS);
	hf__sq_btext(q, 1, k->name);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW &&
	       k->nweights < HF_KEY_WEIGHTS_MAX) {
		hf_key_weight *w = &k->weights[k->nweights++];
		if ((rc = hf__sq_ctext(q, 0, w->indicator, sizeof w->indicator,
				       "indicator", err)) < 0 ||
		    (rc = hf__sq_crat(q, 1, &w->weight, err)) < 0) {
			hf__sq_done(q);
			return rc;
		}
	}
	hf__sq_done(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return hf__sq_fail(s, rc, err);
	PREP(Q_KEY_GET_CREDITS);
	hf__sq_btext(q, 1, k->name);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int c = sqlite3_column_int(q, 0);
		if (c >= 0 && c < HF_CAT_COUNT &&
		    (rc = hf__sq_crat(q, 1, &k->credit[c], err)) < 0) {
			hf__sq_done(q);
			return rc;
		}
	}
	hf__sq_done(q);
	if (rc != SQLITE_DONE)
		return hf__sq_fail(s, rc, err);
	PREP(Q_KEY_GET_SHARES);
	hf__sq_btext(q, 1, k->name);
	return hf__sq_collect(s, q, sizeof *k->shares, read_share,
			      (void **)&k->shares, &k->nshares, err);
}

int hf__sq_key_get(void *st, const char *name, hf_key *out, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_KEY_GET);
	hf__sq_btext(q, 1, name);
	if ((rc = hf__sq_one(s, q, out, read_key, err)) < 0)
		return rc;
	if ((rc = key_details(s, out, err)) < 0)
		hf_key_clear(out);
	return rc;
}

int hf__sq_key_list(void *st, const char *parent, hf_key **out, size_t *n,
		    hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	size_t i;
	int rc;

	if (parent) {
		PREP(Q_KEY_OF_PARENT);
		hf__sq_btext(q, 1, parent);
	} else {
		PREP(Q_KEY_ALL);
	}
	if ((rc = hf__sq_collect(s, q, sizeof **out, read_key, (void **)out, n,
				 err)) < 0)
		return rc;
	for (i = 0; i < *n; i++) {
		/* weights and credits, not the shares */
		hf_key *k = &(*out)[i];
		if ((rc = key_details(s, k, err)) < 0)
			goto fail;
		hf_key_clear(k);
	}
	return HF_OK;
fail:
	for (i = 0; i < *n; i++)
		hf_key_clear(&(*out)[i]);
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

int hf__sq_key_set_credit(void *st, const char *key, int category,
			  hf_rat weight, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_KEY_SET_CREDIT);
	hf__sq_btext(q, 1, key);
	sqlite3_bind_int(q, 2, category);
	return bind_rat_run(s, q, 3, weight, err);
}

static int read_standing(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_standing *x = dst;
	int rc;

	x->id = sqlite3_column_int64(q, 0);
	if ((rc = hf__sq_ctext(q, 1, x->key, sizeof x->key, "key", err)) < 0 ||
	    (rc = hf__sq_ctext(q, 2, x->unit, sizeof x->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 6, x->reason, sizeof x->reason, "reason",
			       err)) < 0)
		return rc;
	x->from = hf__sq_cdate(q, 3);
	x->to = hf__sq_cdate(q, 4);
	x->persons = sqlite3_column_int64(q, 5);
	return HF_OK;
}

int hf__sq_standing_insert(void *st, hf_standing *x, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_STANDING_INSERT);
	hf__sq_btext(q, 1, x->key);
	hf__sq_btext(q, 2, x->unit);
	sqlite3_bind_int(q, 3, x->from);
	sqlite3_bind_int(q, 4, x->to);
	sqlite3_bind_int64(q, 5, x->persons);
	hf__sq_btext(q, 6, x->reason);
	if ((rc = hf__sq_run(s, q, err)) < 0)
		return rc;
	x->id = sqlite3_last_insert_rowid(s->db);
	return HF_OK;
}

int hf__sq_standing_list(void *st, const char *key, hf_standing **out,
			 size_t *n, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_STANDING_LIST);
	hf__sq_btext(q, 1, key);
	return hf__sq_collect(s, q, sizeof **out, read_standing, (void **)out,
			      n, err);
}

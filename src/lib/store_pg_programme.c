/*
 * store_pg_programme.c: programmes with their explicit shares, the
 * override log and pledges in the PostgreSQL backend, as in
 * store_sqlite_programme.c: "no key" and "any programme" are NULL in SQL
 * and "" in the structs.
 */
#include "store_pg_int.h"

#include <stdlib.h>
#include <string.h>

static int read_programme(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_programme *p = dst;
	int rc;

	hf_programme_init(p);
	if ((rc = hf__pg_ctext(r, row, 0, p->name, sizeof p->name, "name",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 1, p->title, sizeof p->title, "title",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 3, p->parent, sizeof p->parent, "parent",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 7, p->key, sizeof p->key, "key", err)) <
		0 ||
	    (rc = hf__pg_ctext(r, row, 9, p->source, sizeof p->source, "source",
			       err)) < 0)
		return rc;
	if (hf_programme_kind_parse(PQgetvalue(r, row, 2), &p->kind) < 0)
		return hf_error_set(err, HF_ESTORAGE, p->name,
				    "Programm %s: unbekannte Art in der "
				    "Datenbank.",
				    "Programme %s: unknown kind in the "
				    "database.",
				    p->name);
	p->period.from = hf__pg_cdate(r, row, 4);
	p->period.to = hf__pg_cdate(r, row, 5);
	p->contingent = hf__pg_cint(r, row, 6);
	p->category = (hf_category)hf__pg_cint(r, row, 8);
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

int hf__pg_programme_insert(void *st, const hf_programme *p, hf_error *err)
{
	hf__pg_args a = {0};
	size_t i;
	int rc;

	hf__pg_text(&a, p->name);
	hf__pg_text(&a, p->title);
	hf__pg_text(&a, hf_programme_kind_slug(p->kind));
	hf__pg_text(&a, p->parent);
	hf__pg_int(&a, p->period.from);
	hf__pg_int(&a, p->period.to);
	hf__pg_int(&a, p->contingent);
	hf__pg_opt(&a, p->key);
	hf__pg_int(&a, (int64_t)p->category);
	hf__pg_text(&a, p->source);
	if ((rc = hf__pg_q(st, P_PROG_INSERT, &a, NULL, err)) < 0)
		return rc;
	for (i = 0; i < p->nshares; i++) {
		hf__pg_args s = {0};
		hf__pg_text(&s, p->name);
		hf__pg_text(&s, p->shares[i].unit);
		hf__pg_int(&s, p->shares[i].share.num);
		hf__pg_int(&s, p->shares[i].share.den);
		if ((rc = hf__pg_q(st, P_PROG_SHARE, &s, NULL, err)) < 0)
			return rc;
	}
	return HF_OK;
}

int hf__pg_programme_get(void *st, const char *name, hf_programme *out,
			 hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf_programme_init(out);
	hf__pg_text(&a, name);
	if ((rc = hf__pg_q(st, P_PROG_GET, &a, &r, err)) < 0 ||
	    (rc = hf__pg_one(r, out, read_programme, err)) < 0 ||
	    (rc = hf__pg_q(st, P_PROG_GET_SHARES, &a, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof *out->shares, read_share,
			      (void **)&out->shares, &out->nshares, err);
}

int hf__pg_programme_list(void *st, hf_programme **out, size_t *n,
			  hf_error *err)
{
	PGresult *r;
	int rc;

	if ((rc = hf__pg_q(st, P_PROG_ALL, NULL, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_programme, (void **)out, n,
			      err);
}

static int read_override(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_override *o = dst;
	int rc;

	o->id = hf__pg_cint(r, row, 0);
	o->entry = hf__pg_cint(r, row, 1);
	o->persons = hf__pg_cint(r, row, 4);
	o->beyond = hf__pg_cint(r, row, 5);
	o->recorded_at = hf__pg_cint(r, row, 8);
	if ((rc = hf__pg_ctext(r, row, 2, o->programme, sizeof o->programme,
			       "programme", err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 3, o->unit, sizeof o->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 6, o->reason, sizeof o->reason, "reason",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 7, o->recorded_by, sizeof o->recorded_by,
			       "recorded_by", err)) < 0)
		return rc;
	return HF_OK;
}

int hf__pg_override_insert(void *st, hf_override *o, hf_error *err)
{
	hf__pg_args a = {0};

	hf__pg_int(&a, o->entry);
	hf__pg_text(&a, o->programme);
	hf__pg_int(&a, o->beyond);
	hf__pg_text(&a, o->reason);
	hf__pg_text(&a, o->recorded_by);
	hf__pg_int(&a, o->recorded_at);
	return hf__pg_insert_id(st, P_OVERRIDE_INSERT, &a, &o->id, err);
}

int hf__pg_override_list(void *st, const char *programme, hf_override **out,
			 size_t *n, hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&a, programme);
	if ((rc = hf__pg_q(st, P_OVERRIDE_LIST, &a, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_override, (void **)out, n,
			      err);
}

static int read_pledge(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_pledge *p = dst;
	int rc;

	p->id = hf__pg_cint(r, row, 0);
	p->places = hf__pg_cint(r, row, 3);
	p->period.from = hf__pg_cdate(r, row, 4);
	p->period.to = hf__pg_cdate(r, row, 5);
	p->recorded_at = hf__pg_cint(r, row, 9);
	if ((rc = hf__pg_ctext(r, row, 1, p->unit, sizeof p->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 2, p->programme, sizeof p->programme,
			       "programme", err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 7, p->note, sizeof p->note, "note",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 8, p->recorded_by, sizeof p->recorded_by,
			       "recorded_by", err)) < 0)
		return rc;
	if (hf_pledge_status_parse(PQgetvalue(r, row, 6), &p->status) < 0)
		return hf_error_set(err, HF_ESTORAGE, "status",
				    "Zusage %lld: unbekannter Stand in der "
				    "Datenbank.",
				    "Pledge %lld: unknown status in the "
				    "database.",
				    (long long)p->id);
	return HF_OK;
}

int hf__pg_pledge_insert(void *st, hf_pledge *p, hf_error *err)
{
	hf__pg_args a = {0};

	hf__pg_text(&a, p->unit);
	hf__pg_opt(&a, p->programme);
	hf__pg_int(&a, p->places);
	hf__pg_int(&a, p->period.from);
	hf__pg_int(&a, p->period.to);
	hf__pg_text(&a, hf_pledge_status_slug(p->status));
	hf__pg_text(&a, p->note);
	hf__pg_text(&a, p->recorded_by);
	hf__pg_int(&a, p->recorded_at);
	return hf__pg_insert_id(st, P_PLEDGE_INSERT, &a, &p->id, err);
}

int hf__pg_pledge_list(void *st, const char *unit, hf_pledge **out, size_t *n,
		       hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&a, unit);
	if ((rc = hf__pg_q(st, P_PLEDGE_LIST, &a, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_pledge, (void **)out, n,
			      err);
}

int hf__pg_pledge_set_status(void *st, int64_t id, int status, hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&a, hf_pledge_status_slug((hf_pledge_status)status));
	hf__pg_int(&a, id);
	if ((rc = hf__pg_q(st, P_PLEDGE_STATUS, &a, &r, err)) < 0)
		return rc;
	rc = strcmp(PQcmdTuples(r), "0") ? HF_OK : HF_ENOTFOUND;
	PQclear(r);
	return rc;
}

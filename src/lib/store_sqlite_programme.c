/*
 * store_sqlite_programme.c: programmes with their explicit shares, the
 * override log and pledges in the SQLite backend. "No key" and "any
 * programme" are NULL in SQL and "" in the structs.
 */
#include "store_sqlite_int.h"

#include <stdlib.h>
#include <string.h>

static const char *or_null(const char *s)
{
	return s && s[0] ? s : NULL;
}

static int read_programme(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_programme *p = dst;
	int rc;

	hf_programme_init(p);
	if ((rc = hf__sq_ctext(q, 0, p->name, sizeof p->name, "name", err)) <
		0 ||
	    (rc = hf__sq_ctext(q, 1, p->title, sizeof p->title, "title", err)) <
		0 ||
	    (rc = hf__sq_ctext(q, 3, p->parent, sizeof p->parent, "parent",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 7, p->key, sizeof p->key, "key", err)) < 0 ||
	    (rc = hf__sq_ctext(q, 9, p->source, sizeof p->source, "source",
			       err)) < 0)
		return rc;
	if (hf_programme_kind_parse((const char *)sqlite3_column_text(q, 2),
				    &p->kind) < 0)
		return hf_error_set(err, HF_ESTORAGE, p->name,
				    "Programm %s: unbekannte Art in der "
				    "Datenbank.",
				    "Programme %s: unknown kind in the "
				    "database.",
				    p->name);
	p->period.from = hf__sq_cdate(q, 4);
	p->period.to = hf__sq_cdate(q, 5);
	p->contingent = sqlite3_column_int64(q, 6);
	p->category = (hf_category)sqlite3_column_int(q, 8);
	return HF_OK;
}

static int read_share(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_key_share *sh = dst;
	int rc;

	if ((rc = hf__sq_ctext(q, 0, sh->unit, sizeof sh->unit, "unit", err)) <
	    0)
		return rc;
	return hf__sq_crat(q, 1, &sh->share, err);
}

int hf__sq_programme_insert(void *st, const hf_programme *p, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	size_t i;
	int rc;

	PREP(Q_PROG_INSERT);
	hf__sq_btext(q, 1, p->name);
	hf__sq_btext(q, 2, p->title);
	hf__sq_btext(q, 3, hf_programme_kind_slug(p->kind));
	hf__sq_btext(q, 4, p->parent);
	sqlite3_bind_int(q, 5, p->period.from);
	sqlite3_bind_int(q, 6, p->period.to);
	sqlite3_bind_int64(q, 7, p->contingent);
	hf__sq_btext(q, 8, or_null(p->key));
	sqlite3_bind_int(q, 9, (int)p->category);
	hf__sq_btext(q, 10, p->source);
	if ((rc = hf__sq_run(s, q, err)) < 0)
		return rc;
	for (i = 0; i < p->nshares; i++) {
		PREP(Q_PROG_SHARE);
		hf__sq_btext(q, 1, p->name);
		hf__sq_btext(q, 2, p->shares[i].unit);
		sqlite3_bind_int64(q, 3, p->shares[i].share.num);
		sqlite3_bind_int64(q, 4, p->shares[i].share.den);
		if ((rc = hf__sq_run(s, q, err)) < 0)
			return rc;
	}
	return HF_OK;
}

int hf__sq_programme_get(void *st, const char *name, hf_programme *out,
			 hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	hf_programme_init(out);
	PREP(Q_PROG_GET);
	hf__sq_btext(q, 1, name);
	if ((rc = hf__sq_one(s, q, out, read_programme, err)) < 0)
		return rc;
	PREP(Q_PROG_GET_SHARES);
	hf__sq_btext(q, 1, name);
	return hf__sq_collect(s, q, sizeof *out->shares, read_share,
			      (void **)&out->shares, &out->nshares, err);
}

int hf__sq_programme_list(void *st, hf_programme **out, size_t *n,
			  hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_PROG_ALL);
	return hf__sq_collect(s, q, sizeof **out, read_programme, (void **)out,
			      n, err);
}

static int read_override(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_override *o = dst;
	int rc;

	o->id = sqlite3_column_int64(q, 0);
	o->entry = sqlite3_column_int64(q, 1);
	o->persons = sqlite3_column_int64(q, 4);
	o->beyond = sqlite3_column_int64(q, 5);
	o->recorded_at = sqlite3_column_int64(q, 8);
	if ((rc = hf__sq_ctext(q, 2, o->programme, sizeof o->programme,
			       "programme", err)) < 0 ||
	    (rc = hf__sq_ctext(q, 3, o->unit, sizeof o->unit, "unit", err)) <
		0 ||
	    (rc = hf__sq_ctext(q, 6, o->reason, sizeof o->reason, "reason",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 7, o->recorded_by, sizeof o->recorded_by,
			       "recorded_by", err)) < 0)
		return rc;
	return HF_OK;
}

int hf__sq_override_insert(void *st, hf_override *o, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_OVERRIDE_INSERT);
	sqlite3_bind_int64(q, 1, o->entry);
	hf__sq_btext(q, 2, o->programme);
	sqlite3_bind_int64(q, 3, o->beyond);
	hf__sq_btext(q, 4, o->reason);
	hf__sq_btext(q, 5, o->recorded_by);
	sqlite3_bind_int64(q, 6, o->recorded_at);
	if ((rc = hf__sq_run(s, q, err)) < 0)
		return rc;
	o->id = sqlite3_last_insert_rowid(s->db);
	return HF_OK;
}

int hf__sq_override_list(void *st, const char *programme, hf_override **out,
			 size_t *n, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_OVERRIDE_LIST);
	hf__sq_btext(q, 1, programme);
	return hf__sq_collect(s, q, sizeof **out, read_override, (void **)out,
			      n, err);
}

static int read_pledge(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_pledge *p = dst;
	int rc;

	p->id = sqlite3_column_int64(q, 0);
	p->places = sqlite3_column_int64(q, 3);
	p->period.from = hf__sq_cdate(q, 4);
	p->period.to = hf__sq_cdate(q, 5);
	p->recorded_at = sqlite3_column_int64(q, 9);
	if ((rc = hf__sq_ctext(q, 1, p->unit, sizeof p->unit, "unit", err)) <
		0 ||
	    (rc = hf__sq_ctext(q, 2, p->programme, sizeof p->programme,
			       "programme", err)) < 0 ||
	    (rc = hf__sq_ctext(q, 7, p->note, sizeof p->note, "note", err)) <
		0 ||
	    (rc = hf__sq_ctext(q, 8, p->recorded_by, sizeof p->recorded_by,
			       "recorded_by", err)) < 0)
		return rc;
	if (hf_pledge_status_parse((const char *)sqlite3_column_text(q, 6),
				   &p->status) < 0)
		return hf_error_set(err, HF_ESTORAGE, "status",
				    "Zusage %lld: unbekannter Stand in der "
				    "Datenbank.",
				    "Pledge %lld: unknown status in the "
				    "database.",
				    (long long)p->id);
	return HF_OK;
}

int hf__sq_pledge_insert(void *st, hf_pledge *p, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_PLEDGE_INSERT);
	hf__sq_btext(q, 1, p->unit);
	hf__sq_btext(q, 2, or_null(p->programme));
	sqlite3_bind_int64(q, 3, p->places);
	sqlite3_bind_int(q, 4, p->period.from);
	sqlite3_bind_int(q, 5, p->period.to);
	hf__sq_btext(q, 6, hf_pledge_status_slug(p->status));
	hf__sq_btext(q, 7, p->note);
	hf__sq_btext(q, 8, p->recorded_by);
	sqlite3_bind_int64(q, 9, p->recorded_at);
	if ((rc = hf__sq_run(s, q, err)) < 0)
		return rc;
	p->id = sqlite3_last_insert_rowid(s->db);
	return HF_OK;
}

int hf__sq_pledge_list(void *st, const char *unit, hf_pledge **out, size_t *n,
		       hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_PLEDGE_LIST);
	hf__sq_btext(q, 1, unit);
	return hf__sq_collect(s, q, sizeof **out, read_pledge, (void **)out, n,
			      err);
}

int hf__sq_pledge_set_status(void *st, int64_t id, int status, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_PLEDGE_STATUS);
	hf__sq_btext(q, 1, hf_pledge_status_slug((hf_pledge_status)status));
	sqlite3_bind_int64(q, 2, id);
	if ((rc = hf__sq_run(s, q, err)) < 0)
		return rc;
	return sqlite3_changes(s->db) ? HF_OK : HF_ENOTFOUND;
}

/*
 * store_pg_account.c: accounts, sessions and the audit log in the
 * PostgreSQL backend (schema 3), as in store_sqlite_account.c: a unit
 * office's units are one comma-separated column, read and written with
 * the account, never searched. Audit ids are the highest plus one, under
 * the writer lock every write transaction holds (NEXT_ID in store_pg.c).
 */
#include "store_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_account(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_account *a = dst;
	const char *units = PQgetvalue(r, row, 2);
	int rc;

	memset(a, 0, sizeof *a);
	if ((rc = hf__pg_ctext(r, row, 0, a->name, sizeof a->name, "name",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 3, a->pwhash, sizeof a->pwhash, "pwhash",
			       err)) < 0)
		return rc;
	if (hf_role_parse(PQgetvalue(r, row, 1), &a->role) < 0)
		return hf_error_set(err, HF_ESTORAGE, a->name,
				    "Konto %s: unbekannte Rolle in der "
				    "Datenbank.",
				    "Account %s: unknown role in the database.",
				    a->name);
	while (units && *units && a->nunits < HF_ACCOUNT_UNITS_MAX) {
		size_t len = strcspn(units, ",");
		if (len > 0 && len < HF_CODE_MAX) {
			memcpy(a->units[a->nunits], units, len);
			a->units[a->nunits++][len] = '\0';
		}
		units += len;
		if (*units == ',')
			units++;
	}
	a->created_at = hf__pg_cint(r, row, 4);
	a->changed_at = hf__pg_cint(r, row, 5);
	return HF_OK;
}

/* The values of an insert ($1..$6) or, with update, of an update ($1..$5:
 * no created_at); units is the buffer of the comma-separated codes. */
static void account_args(hf__pg_args *x, const hf_account *a, int update,
			 char *units, size_t size)
{
	size_t i, len = 0;

	units[0] = '\0';
	for (i = 0; i < a->nunits && len + HF_CODE_MAX + 1 < size; i++)
		len += (size_t)snprintf(units + len, size - len, "%s%s",
					i ? "," : "", a->units[i]);
	hf__pg_text(x, a->name);
	hf__pg_text(x, hf_role_slug(a->role));
	hf__pg_text(x, units);
	hf__pg_text(x, a->pwhash);
	if (!update)
		hf__pg_int(x, a->created_at);
	hf__pg_int(x, a->changed_at);
}

int hf__pg_account_insert(void *st, const hf_account *a, hf_error *err)
{
	hf__pg_args x = {0};
	char units[HF_ACCOUNT_UNITS_MAX * HF_CODE_MAX];

	account_args(&x, a, 0, units, sizeof units);
	return hf__pg_q(st, P_ACCOUNT_INSERT, &x, NULL, err);
}

int hf__pg_account_update(void *st, const hf_account *a, hf_error *err)
{
	hf__pg_args x = {0};
	char units[HF_ACCOUNT_UNITS_MAX * HF_CODE_MAX];
	PGresult *r;
	int rc;

	account_args(&x, a, 1, units, sizeof units);
	if ((rc = hf__pg_q(st, P_ACCOUNT_UPDATE, &x, &r, err)) < 0)
		return rc;
	rc = strcmp(PQcmdTuples(r), "0") ? HF_OK : HF_ENOTFOUND;
	PQclear(r);
	return rc;
}

int hf__pg_account_get(void *st, const char *name, hf_account *out,
		       hf_error *err)
{
	hf__pg_args x = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&x, name);
	if ((rc = hf__pg_q(st, P_ACCOUNT_GET, &x, &r, err)) < 0)
		return rc;
	return hf__pg_one(r, out, read_account, err);
}

int hf__pg_account_list(void *st, hf_account **out, size_t *n, hf_error *err)
{
	PGresult *r;
	int rc;

	if ((rc = hf__pg_q(st, P_ACCOUNT_ALL, NULL, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_account, (void **)out, n,
			      err);
}

int hf__pg_session_insert(void *st, const char *hash, const hf_session *s,
			  hf_error *err)
{
	hf__pg_args x = {0};

	hf__pg_text(&x, hash);
	hf__pg_text(&x, s->user);
	hf__pg_text(&x, s->csrf);
	hf__pg_int(&x, s->created_at);
	hf__pg_int(&x, s->expires_at);
	return hf__pg_q(st, P_SESSION_INSERT, &x, NULL, err);
}

static int read_session(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_session *s = dst;
	int rc;

	if ((rc = hf__pg_ctext(r, row, 0, s->user, sizeof s->user, "user",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 1, s->csrf, sizeof s->csrf, "csrf",
			       err)) < 0)
		return rc;
	s->created_at = hf__pg_cint(r, row, 2);
	s->expires_at = hf__pg_cint(r, row, 3);
	return HF_OK;
}

int hf__pg_session_get(void *st, const char *hash, hf_session *out,
		       hf_error *err)
{
	hf__pg_args x = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&x, hash);
	if ((rc = hf__pg_q(st, P_SESSION_GET, &x, &r, err)) < 0)
		return rc;
	return hf__pg_one(r, out, read_session, err);
}

int hf__pg_session_delete(void *st, const char *hash, const char *user,
			  int64_t expired, hf_error *err)
{
	hf__pg_args x = {0};

	hf__pg_text(&x, hash);
	hf__pg_text(&x, user);
	hf__pg_id(&x, expired); /* 0: NULL, no expiry condition */
	return hf__pg_q(st, P_SESSION_DELETE, &x, NULL, err);
}

int hf__pg_audit_insert(void *st, hf_audit_entry *e, hf_error *err)
{
	hf__pg_args x = {0};

	hf__pg_int(&x, e->at);
	hf__pg_text(&x, e->user);
	hf__pg_text(&x, e->action);
	hf__pg_text(&x, e->object);
	hf__pg_text(&x, e->details);
	return hf__pg_insert_id(st, P_AUDIT_INSERT, &x, &e->id, err);
}

static int read_audit(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_audit_entry *e = dst;
	int rc;

	e->id = hf__pg_cint(r, row, 0);
	e->at = hf__pg_cint(r, row, 1);
	if ((rc = hf__pg_ctext(r, row, 2, e->user, sizeof e->user, "user",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 3, e->action, sizeof e->action, "action",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 4, e->object, sizeof e->object, "object",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 5, e->details, sizeof e->details,
			       "details", err)) < 0)
		return rc;
	return HF_OK;
}

int hf__pg_audit_list(void *st, const hf_audit_filter *f, hf_audit_entry **out,
		      size_t *n, hf_error *err)
{
	hf__pg_args x = {0};
	PGresult *r;
	int rc;

	hf__pg_text(&x, f->user);
	hf__pg_text(&x, f->action);
	hf__pg_id(&x, f->from);
	hf__pg_id(&x, f->to);
	hf__pg_int(&x, f->after_id);
	hf__pg_id(&x, (int64_t)f->limit); /* 0: NULL, no limit */
	if ((rc = hf__pg_q(st, P_AUDIT_LIST, &x, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_audit, (void **)out, n,
			      err);
}

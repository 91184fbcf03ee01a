/*
 * store_sqlite_account.c: accounts, sessions and the audit log in SQLite
 * (schema 3). A unit office's units are one comma-separated column: they
 * are read and written with the account, never searched.
 */
#include "store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_account(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_account *a = dst;
	const char *units = (const char *)sqlite3_column_text(q, 2);
	int rc;

	if ((rc = hf__sq_ctext(q, 0, a->name, sizeof a->name, "name", err)) <
		0 ||
	    (rc = hf__sq_ctext(q, 3, a->pwhash, sizeof a->pwhash, "pwhash",
			       err)) < 0)
		return rc;
	if (hf_role_parse((const char *)sqlite3_column_text(q, 1), &a->role) <
	    0)
		return hf_error_set(err, HF_ESTORAGE, a->name,
				    "Konto %s: unbekannte Rolle in der "
				    "Datenbank.",
				    "Account %s: unknown role in the database.",
				    a->name);
	a->nunits = 0;
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
	a->created_at = sqlite3_column_int64(q, 4);
	a->changed_at = sqlite3_column_int64(q, 5);
	return HF_OK;
}

static void bind_account(sqlite3_stmt *q, const hf_account *a, char *units,
			 size_t size)
{
	size_t i, len = 0;

	units[0] = '\0';
	for (i = 0; i < a->nunits && len + HF_CODE_MAX + 1 < size; i++)
		len += (size_t)snprintf(units + len, size - len, "%s%s",
					i ? "," : "", a->units[i]);
	sqlite3_bind_text(q, 1, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, hf_role_slug(a->role), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, units, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, a->pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, a->created_at);
	sqlite3_bind_int64(q, 6, a->changed_at);
}

int hf__sq_account_insert(void *st, const hf_account *a, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	char units[HF_ACCOUNT_UNITS_MAX * HF_CODE_MAX];

	PREP(Q_ACCOUNT_INSERT);
	bind_account(q, a, units, sizeof units);
	return hf__sq_run(s, q, err);
}

int hf__sq_account_update(void *st, const hf_account *a, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	char units[HF_ACCOUNT_UNITS_MAX * HF_CODE_MAX];
	int rc;

	PREP(Q_ACCOUNT_UPDATE);
	bind_account(q, a, units, sizeof units);
	if ((rc = hf__sq_run(s, q, err)) < 0)
		return rc;
	return sqlite3_changes(s->db) ? HF_OK : HF_ENOTFOUND;
}

int hf__sq_account_get(void *st, const char *name, hf_account *out,
		       hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_ACCOUNT_GET);
	hf__sq_btext(q, 1, name);
	return hf__sq_one(s, q, out, read_account, err);
}

int hf__sq_account_list(void *st, hf_account **out, size_t *n, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_ACCOUNT_ALL);
	return hf__sq_collect(s, q, sizeof **out, read_account, (void **)out, n,
			      err);
}

int hf__sq_session_insert(void *st, const char *hash, const hf_session *x,
			  hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_SESSION_INSERT);
	hf__sq_btext(q, 1, hash);
	hf__sq_btext(q, 2, x->user);
	hf__sq_btext(q, 3, x->csrf);
	sqlite3_bind_int64(q, 4, x->created_at);
	sqlite3_bind_int64(q, 5, x->expires_at);
	return hf__sq_run(s, q, err);
}

static int read_session(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_session *x = dst;
	int rc;

	if ((rc = hf__sq_ctext(q, 0, x->user, sizeof x->user, "user", err)) <
		0 ||
	    (rc = hf__sq_ctext(q, 1, x->csrf, sizeof x->csrf, "csrf", err)) < 0)
		return rc;
	x->created_at = sqlite3_column_int64(q, 2);
	x->expires_at = sqlite3_column_int64(q, 3);
	return HF_OK;
}

int hf__sq_session_get(void *st, const char *hash, hf_session *out,
		       hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_SESSION_GET);
	hf__sq_btext(q, 1, hash);
	return hf__sq_one(s, q, out, read_session, err);
}

int hf__sq_session_delete(void *st, const char *hash, const char *user,
			  int64_t expired, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_SESSION_DELETE);
	hf__sq_btext(q, 1, hash);
	hf__sq_btext(q, 2, user);
	if (expired)
		sqlite3_bind_int64(q, 3, expired);
	else
		sqlite3_bind_null(q, 3);
	return hf__sq_run(s, q, err);
}

int hf__sq_audit_insert(void *st, hf_audit_entry *e, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_AUDIT_INSERT);
	sqlite3_bind_int64(q, 1, e->at);
	hf__sq_btext(q, 2, e->user);
	hf__sq_btext(q, 3, e->action);
	hf__sq_btext(q, 4, e->object);
	hf__sq_btext(q, 5, e->details);
	if ((rc = hf__sq_run(s, q, err)) < 0)
		return rc;
	e->id = sqlite3_last_insert_rowid(s->db);
	return HF_OK;
}

static int read_audit(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_audit_entry *e = dst;
	int rc;

	e->id = sqlite3_column_int64(q, 0);
	e->at = sqlite3_column_int64(q, 1);
	if ((rc = hf__sq_ctext(q, 2, e->user, sizeof e->user, "user", err)) <
		0 ||
	    (rc = hf__sq_ctext(q, 3, e->action, sizeof e->action, "action",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 4, e->object, sizeof e->object, "object",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 5, e->details, sizeof e->details, "details",
			       err)) < 0)
		return rc;
	return HF_OK;
}

int hf__sq_audit_list(void *st, const hf_audit_filter *f, hf_audit_entry **out,
		      size_t *n, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	char like[HF_AUDIT_ACTION_MAX + 2];
	int rc;

	/* the newest limit rows, handed back oldest first */
	rc = hf__sq_dyn_prep(
	    s,
	    "SELECT * FROM (SELECT " AUDIT_COLS " FROM audit "
	    "WHERE (?1 IS NULL OR account = ?1) "
	    "AND (?2 IS NULL OR substr(action, 1, length(?2)) = ?2) "
	    "AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at <= ?4) "
	    "AND id > ?5 ORDER BY id DESC LIMIT ?6) ORDER BY id",
	    &q, err);
	if (rc < 0)
		return rc;
	hf__sq_btext(q, 1, f->user);
	if (f->action) {
		snprintf(like, sizeof like, "%s", f->action);
		sqlite3_bind_text(q, 2, like, -1, SQLITE_TRANSIENT);
	}
	if (f->from)
		sqlite3_bind_int64(q, 3, f->from);
	if (f->to)
		sqlite3_bind_int64(q, 4, f->to);
	sqlite3_bind_int64(q, 5, f->after_id);
	sqlite3_bind_int64(q, 6, f->limit ? (int64_t)f->limit : -1);
	return hf__sq_collect(s, q, sizeof **out, read_audit, (void **)out, n,
			      err);
}

/*
 * audit.c: the audit log. Writes of the database API call hf__db_audit
 * inside their transaction, so a write and its row commit together or not
 * at all; front ends add rows of their own with hf_db_audit_add.
 */
#include "hafen/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db_int.h"

void hf_db_set_actor(hf_db *db, const char *user, int64_t at)
{
	snprintf(db->actor, sizeof db->actor, "%s", user ? user : "");
	db->actor_at = at;
}

/* Copies src into dst, ending a cut text in "…" rather than silently. */
static void put(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len < size) {
		memcpy(dst, src, len + 1);
		return;
	}
	len = size - 4;
	/* do not cut a UTF-8 sequence */
	while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
		len--;
	memcpy(dst, src, len);
	memcpy(dst + len, "\xe2\x80\xa6", 4);
}

/* A backend without the accounts and audit primitives (schema 3) refuses
 * every write rather than write without its audit row. */
int hf__db_audit_ready(hf_db *db, hf_error *err)
{
	const struct hf__store_ops *o = OPS(db);

	if (o->audit_insert && o->audit_list && o->account_insert &&
	    o->account_update && o->account_get && o->account_list &&
	    o->session_insert && o->session_get && o->session_delete)
		return HF_OK;
	return hf_error_set(err, HF_ESCHEMA, "",
			    "Der Speicher %s führt kein Prüfprotokoll: hafen "
			    "schreibt dort nichts.",
			    "The storage %s keeps no audit log: hafen writes "
			    "nothing there.",
			    o->name);
}

static int add(hf_db *db, const char *action, const char *object,
	       const char *details, hf_error *err)
{
	hf_audit_entry e;
	int rc;

	if ((rc = hf__db_audit_ready(db, err)) < 0)
		return rc;

	memset(&e, 0, sizeof e);
	e.at = db->actor_at ? db->actor_at : (int64_t)time(NULL);
	put(e.user, sizeof e.user, db->actor);
	put(e.action, sizeof e.action, action);
	put(e.object, sizeof e.object, object ? object : "");
	put(e.details, sizeof e.details, details ? details : "");
	return OPS(db)->audit_insert(db->st, &e, err);
}

int hf__db_audit(hf_db *db, const char *action, const char *object,
		 hf_error *err, const char *fmt, ...)
{
	char details[HF_AUDIT_DETAILS_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(details, sizeof details, fmt, ap);
	va_end(ap);
	return add(db, action, object, details, err);
}

int hf_db_audit_add(hf_db *db, const char *action, const char *object,
		    const char *details, hf_error *err)
{
	int rc;

	if (!action || !*action)
		return hf_error_set(err, HF_EINVAL, "action",
				    "Ein Eintrag im Prüfprotokoll braucht eine "
				    "Aktion.",
				    "An audit log row needs an action.");
	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	return hf__db_tx_end(db, add(db, action, object, details, err), err);
}

int hf_db_audit_list(hf_db *db, const hf_audit_filter *f, hf_audit_entry **out,
		     size_t *n, hf_error *err)
{
	hf_audit_filter all;

	int rc;

	memset(&all, 0, sizeof all);
	*out = NULL;
	*n = 0;
	if ((rc = hf__db_audit_ready(db, err)) < 0)
		return rc;
	return OPS(db)->audit_list(db->st, f ? f : &all, out, n, err);
}

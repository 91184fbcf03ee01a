/*
 * auth.c: sessions, CSRF tokens, roles, and the routes that sign in and
 * out. The session token lives in an HttpOnly SameSite=Strict cookie; the
 * CSRF token is handed to the page at sign-in and must come back in the
 * X-CSRF-Token header of every POST. Failed sign-ins are limited per
 * account and per client address (server.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mhd.h"
#include "routes.h"

#define COOKIE "hafen_session"

int hf_auth_resolve(hf_req *r)
{
	const char *tok =
	    MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
	hf_error err;
	int rc;

	struct {
		hf_account acct;
		hf_session sess;
	} * hit;
	char ck[HF_SESSION_TOKEN_MAX + 8];
	int64_t now = (int64_t)time(NULL);
	size_t len;

	r->authed = 0;
	if (!tok || strlen(tok) >= sizeof r->token)
		return 0;
	/* a session seen a moment ago, with no write since (server.h) */
	snprintf(ck, sizeof ck, "s:%s", tok);
	if ((hit = (void *)hf_cache_get(r->srv, ck, &len))) {
		if (len == sizeof *hit && hit->sess.expires_at > now) {
			r->acct = hit->acct;
			r->sess = hit->sess;
			snprintf(r->token, sizeof r->token, "%s", tok);
			r->authed = 1;
		}
		free(hit);
		if (r->authed)
			return 0;
	}
	hf_error_init(&err, r->lang);
	rc = hf_session_get(r->db, tok, now, &r->sess, &err);
	if (rc == HF_ENOTFOUND)
		return 0;
	if (rc == HF_OK)
		rc = hf_account_get(r->db, r->sess.user, &r->acct, &err);
	if (rc == HF_ENOTFOUND)
		return 0;
	if (rc < 0) {
		r->err = err;
		hf_reply_err(r, 0);
		return -1;
	}
	snprintf(r->token, sizeof r->token, "%s", tok);
	r->authed = 1;
	{
		struct {
			hf_account acct;
			hf_session sess;
		} keep;
		memset(&keep, 0, sizeof keep);
		keep.acct = r->acct;
		keep.sess = r->sess;
		hf_cache_put(r->srv, ck, (const char *)&keep, sizeof keep,
			     r->gen);
	}
	return 0;
}

int hf_auth_csrf_ok(hf_req *r)
{
	return hf_token_equal(hf_header(r, "X-CSRF-Token"), r->sess.csrf);
}

int hf_auth_unit(hf_req *r, const char *code)
{
	int rc = hf_account_owns(r->db, &r->acct, code, &r->err);

	if (rc < 0) {
		hf_reply_err(r, 0);
		return 0;
	}
	if (!rc)
		hf_reply_msg(r, 403, "EFORBIDDEN", "unit",
			     "Die Einheit %s gehört nicht zu Ihren Einheiten.",
			     "The unit %s is not one of your units.",
			     code ? code : "");
	return rc;
}

int hf_auth_log_read(hf_req *r, const char *object, const char *fmt, ...)
{
	char details[HF_AUDIT_DETAILS_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(details, sizeof details, fmt, ap);
	va_end(ap);
	if (hf_db_audit_add(r->db, "ledger.read", object, details, &r->err) <
	    0) {
		hf_reply_err(r, 0);
		return -1;
	}
	return 0;
}

/* The account as the page sees it, with the CSRF token of its session. */
static json_t *whoami(hf_req *r, const hf_account *a, const char *csrf,
		      int64_t expires)
{
	json_t *units = json_array();
	hf_ledger_sum *ys = NULL;
	hf_ledger_filter f = hf_ledger_filter_all();
	size_t i, n = 0;
	int year = 0;

	for (i = 0; i < a->nunits; i++)
		json_array_append_new(units, json_string(a->units[i]));
	/* the dashboard opens on the latest year with entries, of the last
	 * five (a range the date index reads quickly) */
	{
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		if (hf_date_make(tm.tm_year + 1900 - 5, 1, 1, &f.from) < 0)
			f.from = HF_DATE_NONE;
	}
	if (hf_db_ledger_aggregate(r->db, &f, HF_GROUP_YEAR, &ys, &n,
				   &r->err) == HF_OK)
		for (i = 0; i < n; i++)
			if (ys[i].year > year)
				year = ys[i].year;
	free(ys);
	return json_pack("{s:s,s:s,s:s,s:o,s:b,s:b,s:s,s:I,s:i}", "user",
			 a->name, "role", hf_role_slug(a->role), "role_name",
			 hf_role_name(a->role, r->lang), "units", units,
			 "all_units", hf_role_all_units(a->role), "admin",
			 a->role == HF_ROLE_ADMIN, "csrf", csrf, "expires_at",
			 (json_int_t)expires, "latest_year", year);
}

static int login(hf_req *r)
{
	json_t *b = hf_body(r);
	const char *name, *pw;
	char token[HF_SESSION_TOKEN_MAX], csrf[HF_SESSION_TOKEN_MAX];
	char nbuf[HF_USER_MAX], pbuf[8];
	int64_t now = time(NULL), retry;
	hf_account a;
	hf_error err;
	int rc;

	if (!b)
		return 0;
	name = hf_j_str(b, "user", nbuf, sizeof nbuf);
	pw = hf_j_str(b, "password", pbuf, sizeof pbuf);
	if (!name || !pw) {
		json_decref(b);
		return hf_reply_msg(r, 400, "EINVAL", "user",
				    "Konto und Passwort angeben.",
				    "Give account and password.");
	}
	if (!hf_srv_login_allowed(r->srv, name, r->addr, &retry)) {
		json_decref(b);
		r->retry_after = (long)retry;
		return hf_reply_msg(r, 429, "EBUSY", "user",
				    "Zu viele fehlgeschlagene Anmeldungen: "
				    "bitte in %lld Sekunden wieder versuchen.",
				    "Too many failed sign-ins: please try "
				    "again in %lld seconds.",
				    (long long)retry);
	}
	hf_error_init(&err, r->lang);
	rc = hf_account_verify(r->db, name, pw, &a, &err);
	hf_db_set_actor(r->db, rc == HF_OK ? a.name : "", 0);
	if (rc == HF_EINVAL) {
		char who[HF_USER_MAX + 8];
		hf_srv_login_failed(r->srv, name, r->addr);
		snprintf(who, sizeof who, "%.*s", HF_USER_MAX - 1, name);
		hf_db_audit_add(r->db, "session.login_failed", who, r->addr,
				NULL);
		json_decref(b);
		r->err = err;
		return hf_reply_err(r, 401);
	}
	json_decref(b);
	if (rc < 0 || (rc = hf_session_create(r->db, a.name, now,
					      hf_srv_cfg(r->srv)->session_ttl,
					      token, csrf, &err)) < 0) {
		r->err = err;
		return hf_reply_err(r, 0);
	}
	hf_srv_login_succeeded(r->srv, a.name);
	hf_db_audit_add(r->db, "session.login", a.name, r->addr, NULL);
	snprintf(r->set_cookie, sizeof r->set_cookie,
		 COOKIE
		 "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
		 token, (long long)hf_srv_cfg(r->srv)->session_ttl,
		 hf_srv_cfg(r->srv)->secure_cookies ? "; Secure" : "");
	memset(token, 0, sizeof token);
	return hf_reply_json(
	    r, 200, whoami(r, &a, csrf, now + hf_srv_cfg(r->srv)->session_ttl));
}

static int logout(hf_req *r)
{
	if (hf_session_end(r->db, r->token, &r->err) < 0)
		return hf_reply_err(r, 0);
	hf_db_audit_add(r->db, "session.logout", r->acct.name, r->addr, NULL);
	snprintf(r->set_cookie, sizeof r->set_cookie,
		 COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	return hf_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static int session(hf_req *r)
{
	return hf_reply_json(
	    r, 200, whoami(r, &r->acct, r->sess.csrf, r->sess.expires_at));
}

const hf_route hf_routes_auth[] = {
    {"POST", "/api/login", HF_ACCESS_PUBLIC, login},
    {"POST", "/api/logout", HF_ACCESS_USER, logout},
    {"GET", "/api/session", HF_ACCESS_USER, session},
    {NULL, NULL, 0, NULL},
};

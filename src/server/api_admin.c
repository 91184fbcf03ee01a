/*
 * api_admin.c: accounts and the audit log, for administrators (and every
 * account's own password).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "routes.h"

static json_t *account_json(const hf_account *a, hf_lang lang)
{
	json_t *u = json_array();
	size_t i;

	for (i = 0; i < a->nunits; i++)
		json_array_append_new(u, json_string(a->units[i]));
	return json_pack("{s:s,s:s,s:s,s:o,s:I,s:I}", "name", a->name, "role",
			 hf_role_slug(a->role), "role_name",
			 hf_role_name(a->role, lang), "units", u, "created_at",
			 (json_int_t)a->created_at, "changed_at",
			 (json_int_t)a->changed_at);
}

static int user_list(hf_req *r)
{
	hf_account *a = NULL;
	size_t n = 0, i;
	json_t *arr;

	if (hf_account_list(r->db, &a, &n, &r->err) < 0)
		return hf_reply_err(r, 0);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, account_json(&a[i], r->lang));
	free(a);
	return hf_reply_json(r, 200, json_pack("{s:o}", "users", arr));
}

/* Role and units of a body; answers 400 and returns -1 if bad. */
static int role_of(hf_req *r, json_t *b, hf_role *role, const char **units,
		   size_t *n)
{
	const char *s = json_string_value(json_object_get(b, "role"));
	json_t *u = json_object_get(b, "units"), *v;
	size_t i;

	if (!s || hf_role_parse(s, role) < 0) {
		hf_reply_msg(r, 400, "EINVAL", "role",
			     "role: admin, land, office oder viewer.",
			     "role: admin, land, office or viewer.");
		return -1;
	}
	*n = 0;
	json_array_foreach(u, i, v)
	{
		if (!json_is_string(v) || *n >= HF_ACCOUNT_UNITS_MAX) {
			hf_reply_msg(r, 400, "EINVAL", "units",
				     "units: eine Liste von Codes.",
				     "units: a list of codes.");
			return -1;
		}
		units[(*n)++] = json_string_value(v);
	}
	return 0;
}

static int user_add(hf_req *r)
{
	json_t *b = hf_body(r);
	const char *units[HF_ACCOUNT_UNITS_MAX], *name, *pw;
	hf_account a;
	hf_role role;
	size_t n;

	if (!b)
		return 0;
	name = json_string_value(json_object_get(b, "name"));
	pw = json_string_value(json_object_get(b, "password"));
	if (role_of(r, b, &role, units, &n) < 0)
		goto out;
	if (hf_account_add(r->db, name, role, units, n, pw, &r->err) < 0 ||
	    hf_account_get(r->db, name, &a, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	hf_reply_json(r, 201, account_json(&a, r->lang));
out:
	json_decref(b);
	return 0;
}

static int user_password(hf_req *r)
{
	json_t *b = hf_body(r);
	const char *pw, *cur;
	hf_account me;

	if (!b)
		return 0;
	pw = json_string_value(json_object_get(b, "password"));
	cur = json_string_value(json_object_get(b, "current"));
	/* an account changes its own password with the current one; an
	 * administrator sets anyone's */
	if (r->acct.role != HF_ROLE_ADMIN) {
		if (strcmp(r->param[0], r->acct.name)) {
			hf_reply_msg(r, 403, "EFORBIDDEN", "name",
				     "Nur das eigene Passwort.",
				     "Only your own password.");
			goto out;
		}
		if (hf_account_verify(r->db, r->acct.name, cur, &me, &r->err) <
		    0) {
			hf_reply_err(r, 403);
			goto out;
		}
	}
	if (hf_account_set_password(r->db, r->param[0], pw, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	hf_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
out:
	json_decref(b);
	return 0;
}

static int user_role(hf_req *r)
{
	json_t *b = hf_body(r);
	const char *units[HF_ACCOUNT_UNITS_MAX];
	hf_account a;
	hf_role role;
	size_t n;

	if (!b)
		return 0;
	if (role_of(r, b, &role, units, &n) < 0)
		goto out;
	if (hf_account_set_role(r->db, r->param[0], role, units, n, &r->err) <
		0 ||
	    hf_account_get(r->db, r->param[0], &a, &r->err) < 0) {
		hf_reply_err(r, 0);
		goto out;
	}
	hf_reply_json(r, 200, account_json(&a, r->lang));
out:
	json_decref(b);
	return 0;
}

static void iso_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A growing text whose failed allocation sets oom once. */
typedef struct hf__sbuf {
	char *s;
	size_t len, cap;
	int oom;
} hf__sbuf;

static void sb_put(hf__sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		char *ns;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(ns = realloc(b->s, cap))) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* A CSV field, quoted where it needs to be (RFC 4180). A field a
 * spreadsheet would take for a formula (a failed login's account name is
 * anyone's text) starts with an apostrophe. */
static void csv_field(hf__sbuf *b, const char *s, int last)
{
	const char *p;
	int formula = *s && strchr("=+-@\t\r", *s);

	if (formula || strpbrk(s, ",\"\r\n")) {
		sb_put(b, "\"", 1);
		if (formula)
			sb_put(b, "'", 1);
		for (p = s; *p; p++)
			if (*p == '"')
				sb_put(b, "\"\"", 2);
			else
				sb_put(b, p, 1);
		sb_put(b, "\"", 1);
	} else
		sb_put(b, s, strlen(s));
	sb_put(b, last ? "\r\n" : ",", last ? 2 : 1);
}

static int audit(hf_req *r)
{
	hf_audit_filter f;
	hf_audit_entry *e = NULL;
	const char *v, *format = hf_q(r, "format");
	size_t n = 0, i;
	long long l;
	hf_date d;
	char at[32], id[24];

	memset(&f, 0, sizeof f);
	f.user = hf_q(r, "user");
	f.action = hf_q(r, "action");
	if ((v = hf_q(r, "from"))) {
		if (hf_q_date(r, "from", v, &d) < 0)
			return 0;
		f.from = (int64_t)d * 86400;
	}
	if ((v = hf_q(r, "to"))) {
		if (hf_q_date(r, "to", v, &d) < 0)
			return 0;
		f.to = (int64_t)d * 86400 + 86399;
	}
	if ((v = hf_q(r, "limit"))) {
		if (hf_q_int(r, "limit", v, &l) < 0)
			return 0;
		f.limit = l > 0 ? (size_t)l : 0;
	}
	if (hf_db_audit_list(r->db, &f, &e, &n, &r->err) < 0)
		return hf_reply_err(r, 0);
	if (format && !strcmp(format, "csv")) {
		hf__sbuf b = {NULL, 0, 0, 0};
		sb_put(&b, "id,at,user,action,object,details\r\n", 34);
		for (i = 0; i < n; i++) {
			snprintf(id, sizeof id, "%lld", (long long)e[i].id);
			iso_time(e[i].at, at);
			csv_field(&b, id, 0);
			csv_field(&b, at, 0);
			csv_field(&b, e[i].user, 0);
			csv_field(&b, e[i].action, 0);
			csv_field(&b, e[i].object, 0);
			csv_field(&b, e[i].details, 1);
		}
		free(e);
		if (b.oom) {
			free(b.s);
			return hf_reply_msg(r, 500, "ENOMEM", "",
					    "Nicht genug Speicher.",
					    "Out of memory.");
		}
		snprintf(r->disposition, sizeof r->disposition,
			 "attachment; filename=\"hafen-audit.csv\"");
		return hf_reply_text(r, 200, "text/csv; charset=utf-8", b.s,
				     b.len);
	}
	{
		json_t *arr = json_array();
		for (i = 0; i < n; i++) {
			iso_time(e[i].at, at);
			json_array_append_new(
			    arr, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s}",
					   "id", (json_int_t)e[i].id, "at",
					   (json_int_t)e[i].at, "time", at,
					   "user", e[i].user, "action",
					   e[i].action, "object", e[i].object,
					   "details", e[i].details));
		}
		free(e);
		return hf_reply_json(r, 200, json_pack("{s:o}", "audit", arr));
	}
}

const hf_route hf_routes_admin[] = {
    {"GET", "/api/users", HF_ACCESS_ADMIN, user_list},
    {"POST", "/api/users", HF_ACCESS_ADMIN, user_add},
    {"POST", "/api/users/{name}/password", HF_ACCESS_USER, user_password},
    {"POST", "/api/users/{name}/role", HF_ACCESS_ADMIN, user_role},
    {"GET", "/api/audit", HF_ACCESS_ADMIN, audit},
    {NULL, NULL, 0, NULL},
};

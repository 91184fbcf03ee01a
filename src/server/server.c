/*
 * server.c: the HTTP server: libmicrohttpd with a thread pool, a pool of
 * database handles (one per worker), request bodies read up to a cap,
 * dispatch by the route table, JSON answers, the login rate limits, and a
 * graceful stop (no new connections, the requests in flight finish, then
 * the handles close: a committed write is never cut off).
 */
#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LIMITER_SLOTS 1024
#define CACHE_SLOTS   64

typedef struct cache_slot {
	char key[256];
	char *body;
	size_t len;
	uint64_t gen;
	int64_t at_ms;
} cache_slot;

typedef struct limiter_slot {
	char key[HF_USER_MAX + 8];
	unsigned failures;
	int64_t since;
} limiter_slot;

struct hf_srv {
	hf_srv_config cfg;
	struct MHD_Daemon *mhd;
	/* the database handles: free[0..nfree) are idle */
	hf_db **dbs, **free;
	size_t ndbs, nfree;
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_cond;
	atomic_int in_flight;
	/* answers of aggregate reads; gen counts the writes served */
	pthread_mutex_t cache_lock;
	cache_slot cache[CACHE_SLOTS];
	atomic_uint_fast64_t gen;
	/* failed logins by account ("u:") and client address ("a:") */
	pthread_mutex_t lim_lock;
	limiter_slot lim[LIMITER_SLOTS];
};

hf_srv_config hf_srv_config_default(void)
{
	hf_srv_config c;

	memset(&c, 0, sizeof c);
	c.db = "hafen.db";
	c.host = "127.0.0.1";
	c.port = 8080;
	c.threads = 4;
	c.session_ttl = 8 * 3600;
	c.max_body = 1 << 20;
	c.login_limit = 5;
	c.login_window = 15 * 60;
	return c;
}

const hf_srv_config *hf_srv_cfg(const hf_srv *s)
{
	return &s->cfg;
}

/* ---- login rate limits ---------------------------------------------- */

static limiter_slot *slot_of(hf_srv *s, const char *key, int64_t now,
			     int create)
{
	uint32_t h = 2166136261u;
	limiter_slot *x, *free_slot = NULL, *oldest = NULL;
	const char *p;
	size_t k;

	for (p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	/* the key's slot is one of 8 after its hash; a new key takes an
	 * empty or expired one, else the oldest window is forgotten */
	for (k = 0; k < 8; k++) {
		x = &s->lim[(h + k) % LIMITER_SLOTS];
		if (!strcmp(x->key, key)) {
			if (now - x->since >= s->cfg.login_window) {
				x->failures = 0;
				x->since = now;
			}
			return x;
		}
		if (!free_slot &&
		    (!x->key[0] || now - x->since >= s->cfg.login_window))
			free_slot = x;
		if (!oldest || x->since < oldest->since)
			oldest = x;
	}
	if (!create)
		return NULL;
	x = free_slot ? free_slot : oldest;
	snprintf(x->key, sizeof x->key, "%s", key);
	x->failures = 0;
	x->since = now;
	return x;
}

static void keys(const char *name, const char *addr, char *uk, char *ak,
		 size_t size)
{
	snprintf(uk, size, "u:%s", name ? name : "");
	snprintf(ak, size, "a:%s", addr ? addr : "");
}

int hf_srv_login_allowed(hf_srv *s, const char *name, const char *addr,
			 int64_t *retry_after)
{
	char uk[HF_USER_MAX + 8], ak[HF_USER_MAX + 8];
	int64_t now = time(NULL), wait = 0;
	limiter_slot *u, *a;

	keys(name, addr, uk, ak, sizeof uk);
	pthread_mutex_lock(&s->lim_lock);
	u = slot_of(s, uk, now, 0);
	a = slot_of(s, ak, now, 0);
	if (u && u->failures >= s->cfg.login_limit)
		wait = u->since + s->cfg.login_window - now;
	if (a && a->failures >= 4 * s->cfg.login_limit &&
	    a->since + s->cfg.login_window - now > wait)
		wait = a->since + s->cfg.login_window - now;
	pthread_mutex_unlock(&s->lim_lock);
	*retry_after = wait > 0 ? wait : 1;
	return wait <= 0;
}

void hf_srv_login_failed(hf_srv *s, const char *name, const char *addr)
{
	char uk[HF_USER_MAX + 8], ak[HF_USER_MAX + 8];
	int64_t now = time(NULL);
	limiter_slot *x;

	keys(name, addr, uk, ak, sizeof uk);
	pthread_mutex_lock(&s->lim_lock);
	if ((x = slot_of(s, uk, now, 1)))
		x->failures++;
	if ((x = slot_of(s, ak, now, 1)))
		x->failures++;
	pthread_mutex_unlock(&s->lim_lock);
}

void hf_srv_login_succeeded(hf_srv *s, const char *name)
{
	char uk[HF_USER_MAX + 8], ak[HF_USER_MAX + 8];
	limiter_slot *x;

	keys(name, "", uk, ak, sizeof uk);
	pthread_mutex_lock(&s->lim_lock);
	if ((x = slot_of(s, uk, time(NULL), 0)))
		x->failures = 0;
	pthread_mutex_unlock(&s->lim_lock);
}

/* ---- the cache of aggregate answers -------------------------------- */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static cache_slot *cache_slot_of(hf_srv *s, const char *key)
{
	uint32_t h = 2166136261u;
	const char *p;

	for (p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &s->cache[h % CACHE_SLOTS];
}

char *hf_cache_get(hf_srv *s, const char *key, size_t *len)
{
	cache_slot *c = cache_slot_of(s, key);
	char *copy = NULL;

	pthread_mutex_lock(&s->cache_lock);
	if (c->body && !strcmp(c->key, key) && c->gen == atomic_load(&s->gen) &&
	    now_ms() - c->at_ms < HF_CACHE_MAX_AGE_MS &&
	    (copy = malloc(c->len + 1))) {
		memcpy(copy, c->body, c->len + 1);
		*len = c->len;
	}
	pthread_mutex_unlock(&s->cache_lock);
	return copy;
}

void hf_cache_put(hf_srv *s, const char *key, const char *body, size_t len,
		  uint64_t gen)
{
	cache_slot *c = cache_slot_of(s, key);
	char *copy = malloc(len + 1);

	if (!copy || strlen(key) >= sizeof c->key) {
		free(copy);
		return;
	}
	memcpy(copy, body, len);
	copy[len] = '\0';
	pthread_mutex_lock(&s->cache_lock);
	free(c->body);
	c->body = copy;
	c->len = len;
	snprintf(c->key, sizeof c->key, "%s", key);
	/* the generation seen before the read: a write that raced the read
	 * has bumped it since, and the entry is old at once */
	c->gen = gen;
	c->at_ms = now_ms();
	pthread_mutex_unlock(&s->cache_lock);
}

/* ---- the handle pool ------------------------------------------------ */

static hf_db *pool_take(hf_srv *s)
{
	hf_db *db;

	pthread_mutex_lock(&s->pool_lock);
	while (s->nfree == 0)
		pthread_cond_wait(&s->pool_cond, &s->pool_lock);
	db = s->free[--s->nfree];
	pthread_mutex_unlock(&s->pool_lock);
	return db;
}

static void pool_give(hf_srv *s, hf_db *db)
{
	pthread_mutex_lock(&s->pool_lock);
	s->free[s->nfree++] = db;
	pthread_cond_signal(&s->pool_cond);
	pthread_mutex_unlock(&s->pool_lock);
}

/* ---- answers -------------------------------------------------------- */

unsigned hf_http_status(int code)
{
	switch (code) {
	case HF_OK:
		return 200;
	case HF_ENOTFOUND:
		return 404;
	case HF_EEXIST:
	case HF_ECONFLICT:
	case HF_EINFEASIBLE:
		return 409;
	case HF_EBUSY:
		return 503;
	case HF_ENOMEM:
	case HF_EIO:
	case HF_ESTORAGE:
	case HF_ESCHEMA:
	case HF_EREADONLY:
		return 500;
	}
	return 400;
}

int hf_reply_json(hf_req *r, unsigned status, json_t *root)
{
	free(r->resp);
	r->resp = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	r->status = r->resp ? status : 500;
	r->resp_len = r->resp ? strlen(r->resp) : 0;
	r->ctype = "application/json; charset=utf-8";
	return 0;
}

static json_t *err_json(const char *code, const char *where,
			const char *message)
{
	json_t *e = json_object();

	json_object_set_new(e, "code", json_string(code));
	json_object_set_new(e, "where", json_string(where ? where : ""));
	json_object_set_new(e, "message", json_string(message));
	return json_pack("{s:o}", "error", e);
}

int hf_reply_err(hf_req *r, unsigned status)
{
	int code = r->err.code ? r->err.code : HF_ESTORAGE;
	const char *msg =
	    r->err.message[0] ? r->err.message : hf_strerror(code);

	return hf_reply_json(r, status ? status : hf_http_status(code),
			     err_json(hf_err_name(code), r->err.where, msg));
}

int hf_reply_msg(hf_req *r, unsigned status, const char *code,
		 const char *where, const char *de, const char *en, ...)
{
	char msg[HF_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, en);
	vsnprintf(msg, sizeof msg, hf_tr(r->lang, de, en), ap);
	va_end(ap);
	return hf_reply_json(r, status, err_json(code, where, msg));
}

int hf_reply_text(hf_req *r, unsigned status, const char *ctype, char *text,
		  size_t len)
{
	free(r->resp);
	r->resp = text;
	r->resp_len = len;
	r->status = status;
	r->ctype = ctype;
	return 0;
}

/* ---- requests ------------------------------------------------------- */

const char *hf_q(hf_req *r, const char *name)
{
	const char *v =
	    MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	return v && *v ? v : NULL;
}

const char *hf_header(hf_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

json_t *hf_body(hf_req *r)
{
	json_error_t je;
	json_t *o;
	char where[64];

	o = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES,
		       &je);
	if (!o) {
		snprintf(where, sizeof where, "body:%d:%d", je.line, je.column);
		hf_reply_msg(r, 400, "EPARSE", where,
			     "Der Inhalt ist kein gültiges JSON: %s",
			     "The body is not valid JSON: %s", je.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		hf_reply_msg(r, 400, "EPARSE", "body",
			     "Der Inhalt muss ein JSON-Objekt sein.",
			     "The body must be a JSON object.");
		return NULL;
	}
	return o;
}

/* The language: ?lang= first, else the first of de and en that
 * Accept-Language names, else German. */
static hf_lang request_lang(struct MHD_Connection *c)
{
	const char *q =
	    MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
	const char *al;

	if (q)
		return strncmp(q, "en", 2) ? HF_LANG_DE : HF_LANG_EN;
	al = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	while (al && *al) {
		while (*al == ' ' || *al == ',')
			al++;
		if (!strncmp(al, "en", 2))
			return HF_LANG_EN;
		if (!strncmp(al, "de", 2))
			return HF_LANG_DE;
		al = strchr(al, ',');
	}
	return HF_LANG_DE;
}

/* Matches path against pattern, filling r->param from {name} segments. */
static int match(hf_req *r, const char *pattern, const char *path)
{
	int np = 0;

	while (*pattern && *path) {
		if (*pattern == '{') {
			size_t len = strcspn(path, "/");
			if (len == 0 || len >= sizeof r->pbuf[0] || np >= 2)
				return 0;
			memcpy(r->pbuf[np], path, len);
			r->pbuf[np][len] = '\0';
			r->param[np] = r->pbuf[np];
			np++;
			path += len;
			pattern = strchr(pattern, '}') + 1;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return !*pattern && !*path;
}

static int access_ok(const hf_req *r, int access)
{
	switch (access) {
	case HF_ACCESS_ADMIN:
		return r->acct.role == HF_ROLE_ADMIN;
	case HF_ACCESS_LAND:
		return hf_role_all_units(r->acct.role);
	case HF_ACCESS_WRITER:
		return r->acct.role != HF_ROLE_VIEWER;
	}
	return 1;
}

static void dispatch(hf_req *r)
{
	const hf_route *rt = NULL, *x;
	int path_known = 0;
	size_t t;

	for (t = 0; !rt && hf_route_tables[t]; t++)
		for (x = hf_route_tables[t]; x->method; x++)
			if (match(r, x->pattern, r->path)) {
				path_known = 1;
				if (!strcmp(x->method, r->method)) {
					rt = x;
					break;
				}
			}
	if (!rt) {
		if (path_known)
			hf_reply_msg(r, 405, "EUSAGE", r->method,
				     "Methode %s ist hier nicht erlaubt.",
				     "Method %s is not allowed here.",
				     r->method);
		else
			hf_reply_msg(r, 404, "ENOTFOUND", r->path,
				     "Diesen Pfad gibt es nicht.",
				     "There is no such path.");
		return;
	}
	if (!strcmp(r->method, "POST")) {
		const char *ct = hf_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
		/* a cross-site form cannot send JSON without a preflight */
		if (!ct || strncmp(ct, "application/json", 16)) {
			hf_reply_msg(r, 415, "EUSAGE", "Content-Type",
				     "Bitte als application/json senden.",
				     "Please send application/json.");
			return;
		}
	}
	r->db = pool_take(r->srv);
	hf_db_set_actor(r->db, "", 0);
	r->gen = atomic_load(&r->srv->gen);
	if (rt->access != HF_ACCESS_PUBLIC) {
		if (hf_auth_resolve(r) < 0)
			goto out;
		if (!r->authed) {
			hf_reply_msg(r, 401, "EAUTH", "session",
				     "Bitte anmelden (Sitzung fehlt oder ist "
				     "abgelaufen).",
				     "Please sign in (no session, or it "
				     "expired).");
			goto out;
		}
		if (!strcmp(r->method, "POST") && !hf_auth_csrf_ok(r)) {
			hf_reply_msg(r, 403, "ECSRF", "X-CSRF-Token",
				     "CSRF-Token fehlt oder ist falsch: bitte "
				     "die Seite neu laden.",
				     "CSRF token missing or wrong: please "
				     "reload the page.");
			goto out;
		}
		if (!access_ok(r, rt->access)) {
			hf_reply_msg(r, 403, "EFORBIDDEN", r->path,
				     "Ihre Rolle (%s) darf das nicht.",
				     "Your role (%s) may not do this.",
				     hf_role_name(r->acct.role, r->lang));
			goto out;
		}
		hf_db_set_actor(r->db, r->acct.name, 0);
	}
	hf_error_init(&r->err, r->lang);
	rt->fn(r);
	if (!r->status)
		hf_reply_err(r, 500);
	/* a write served makes every cached answer old */
	if (strcmp(r->method, "GET"))
		atomic_fetch_add(&r->srv->gen, 1);
out:
	/* a handler that failed inside a transaction must not leave it */
	hf_db_rollback(r->db);
	pool_give(r->srv, r->db);
	r->db = NULL;
}

static enum MHD_Result send_answer(hf_req *r)
{
	struct MHD_Response *res;
	enum MHD_Result ret;
	char ra[24];

	if (!r->status)
		hf_reply_msg(r, 500, "ESTORAGE", "", "Interner Fehler.",
			     "Internal error.");
	res = MHD_create_response_from_buffer(r->resp_len, r->resp,
					      MHD_RESPMEM_MUST_FREE);
	if (!res)
		return MHD_NO;
	r->resp = NULL;
	MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE,
				r->ctype ? r->ctype : "text/plain");
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(res, "X-Frame-Options", "DENY");
	MHD_add_response_header(res, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; "
				"frame-ancestors 'none'; form-action 'self'");
	if (!strncmp(r->path, "/api/", 5))
		MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL,
					"no-store");
	if (r->set_cookie[0])
		MHD_add_response_header(res, MHD_HTTP_HEADER_SET_COOKIE,
					r->set_cookie);
	if (r->disposition[0])
		MHD_add_response_header(
		    res, MHD_HTTP_HEADER_CONTENT_DISPOSITION, r->disposition);
	if (r->status == 429) {
		snprintf(ra, sizeof ra, "%ld", r->retry_after);
		MHD_add_response_header(res, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	MHD_add_response_header(res, "Content-Language",
				r->lang == HF_LANG_EN ? "en" : "de");
	ret = MHD_queue_response(r->conn, r->status, res);
	MHD_destroy_response(res);
	return ret;
}

static void client_addr(struct MHD_Connection *c, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	buf[0] = '\0';
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  buf, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
			  (socklen_t)size);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	hf_srv *s = cls;
	hf_req *r = *con_cls;

	if (!r) {
		const char *cl;
		if (!(r = calloc(1, sizeof *r)))
			return MHD_NO;
		r->srv = s;
		r->conn = conn;
		r->method = method;
		r->path = url;
		r->lang = request_lang(conn);
		hf_error_init(&r->err, r->lang);
		client_addr(conn, r->addr, sizeof r->addr);
		atomic_fetch_add(&s->in_flight, 1);
		*con_cls = r;
		cl = MHD_lookup_connection_value(
		    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body) {
			r->too_large = 1;
			hf_reply_msg(r, 413, "ERANGE", "body",
				     "Der Inhalt ist größer als %zu Bytes.",
				     "The body is larger than %zu bytes.",
				     s->cfg.max_body);
			return send_answer(r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (r->too_large)
			return MHD_YES;
		if (r->len + n > s->cfg.max_body) {
			r->too_large = 1;
			return MHD_YES;
		}
		if (r->len + n + 1 > r->cap) {
			size_t cap = r->cap ? r->cap : 4096;
			char *nb;
			while (cap < r->len + n + 1)
				cap *= 2;
			if (!(nb = realloc(r->body, cap)))
				return MHD_NO;
			r->body = nb;
			r->cap = cap;
		}
		memcpy(r->body + r->len, upload, n);
		r->len += n;
		r->body[r->len] = '\0';
		return MHD_YES;
	}
	if (r->too_large)
		hf_reply_msg(r, 413, "ERANGE", "body",
			     "Der Inhalt ist größer als %zu Bytes.",
			     "The body is larger than %zu bytes.",
			     s->cfg.max_body);
	else if (strncmp(url, "/api/", 5)) {
		if (hf_static_serve(r) < 0)
			hf_reply_msg(r, 404, "ENOTFOUND", url,
				     "Diese Seite gibt es nicht.",
				     "There is no such page.");
	} else
		dispatch(r);
	(void)version;
	return send_answer(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	hf_srv *s = cls;
	hf_req *r = *con_cls;

	(void)conn;
	(void)toe;
	if (!r)
		return;
	free(r->body);
	free(r->resp);
	memset(r->token, 0, sizeof r->token);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
}

/* ---- start and stop ------------------------------------------------- */

static void close_dbs(hf_srv *s)
{
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++)
		free(s->cache[i].body);
	for (i = 0; i < s->ndbs; i++)
		hf_db_close(s->dbs[i]);
	free(s->dbs);
	free(s->free);
}

int hf_srv_start(const hf_srv_config *c, hf_srv **out, unsigned *port_out,
		 hf_error *err)
{
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	const struct sockaddr *sa;
	unsigned flags =
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
	const union MHD_DaemonInfo *di;
	hf_srv *s;
	size_t i;
	int rc;

	*out = NULL;
	memset(&a4, 0, sizeof a4);
	memset(&a6, 0, sizeof a6);
	if (c->port > 65535)
		return hf_error_set(err, HF_EINVAL, "listen",
				    "Port %u gibt es nicht.",
				    "There is no port %u.", c->port);
	if (inet_pton(AF_INET, c->host, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)c->port);
		sa = (const struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, c->host, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)c->port);
		sa = (const struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else
		return hf_error_set(err, HF_EINVAL, "listen",
				    "»%s« ist keine IP-Adresse (z. B. "
				    "127.0.0.1:8080).",
				    "'%s' is not an IP address (e.g. "
				    "127.0.0.1:8080).",
				    c->host);
	if (!(s = calloc(1, sizeof *s)))
		return hf_error_set(err, HF_ENOMEM, "", "Nicht genug Speicher.",
				    "Out of memory.");
	s->cfg = *c;
	if (s->cfg.threads < 1)
		s->cfg.threads = 1;
	pthread_mutex_init(&s->pool_lock, NULL);
	pthread_cond_init(&s->pool_cond, NULL);
	pthread_mutex_init(&s->lim_lock, NULL);
	pthread_mutex_init(&s->cache_lock, NULL);
	/* one handle per worker, and one spare so a worker never waits */
	s->ndbs = s->cfg.threads + 1;
	s->dbs = calloc(s->ndbs, sizeof *s->dbs);
	s->free = calloc(s->ndbs, sizeof *s->free);
	if (!s->dbs || !s->free) {
		rc = hf_error_set(err, HF_ENOMEM, "", "Nicht genug Speicher.",
				  "Out of memory.");
		goto fail;
	}
	for (i = 0; i < s->ndbs; i++) {
		if ((rc = hf_db_open(c->db, 0, &s->dbs[i], err)) < 0)
			goto fail;
		s->free[s->nfree++] = s->dbs[i];
	}
	s->mhd = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.threads,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)4000,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
	if (!s->mhd) {
		rc = hf_error_set(err, HF_EIO, "listen",
				  "Kann nicht auf %s:%u lauschen (belegt oder "
				  "nicht erlaubt?).",
				  "Cannot listen on %s:%u (in use or not "
				  "allowed?).",
				  c->host, c->port);
		goto fail;
	}
	di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	if (port_out)
		*port_out = di ? di->port : c->port;
	*out = s;
	return HF_OK;
fail:
	close_dbs(s);
	pthread_mutex_destroy(&s->pool_lock);
	pthread_cond_destroy(&s->pool_cond);
	pthread_mutex_destroy(&s->lim_lock);
	pthread_mutex_destroy(&s->cache_lock);
	free(s);
	return rc;
}

void hf_srv_stop(hf_srv *s, int wait_s)
{
	MHD_socket fd;
	int i;

	if (!s)
		return;
	/* no new connections; the ones open finish what they are doing */
	fd = MHD_quiesce_daemon(s->mhd);
	for (i = 0; i < wait_s * 100 && atomic_load(&s->in_flight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(s->mhd);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	close_dbs(s);
	pthread_mutex_destroy(&s->pool_lock);
	pthread_cond_destroy(&s->pool_cond);
	pthread_mutex_destroy(&s->lim_lock);
	pthread_mutex_destroy(&s->cache_lock);
	free(s);
}

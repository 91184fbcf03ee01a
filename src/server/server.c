/*
 * server.c: the HTTP server: libmicrohttpd with a thread pool, a pool of
 * database handles (one per worker), request bodies read up to a cap,
 * dispatch by the route table (sessions, CSRF, roles), and a graceful stop (no
 * new connections, the requests in flight finish, then the handles close: a
 * committed write is never cut off).
 */
#include "mhd.h"
#include "server_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

static int utf8_ok(const char *s)
{
	size_t n = strlen(s);
	return hf_utf8_prefix(s, n) == n;
}

static enum MHD_Result arg_utf8(void *cls, enum MHD_ValueKind kind,
				const char *key, const char *value)
{
	const char **bad = cls;

	(void)kind;
	if (utf8_ok(key) && (!value || utf8_ok(value)))
		return MHD_YES;
	*bad = utf8_ok(key) ? key : "?";
	return MHD_NO;
}

/* Text a client sends must be UTF-8: the database keeps nothing else
 * (PostgreSQL refuses other bytes), so a path or query with other bytes
 * is refused here, alike on both backends. 0, or -1 answered. */
static int check_utf8(hf_req *r)
{
	const char *bad = utf8_ok(r->path) ? NULL : "path";

	if (!bad)
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND,
					  arg_utf8, &bad);
	if (!bad)
		return 0;
	hf_reply_msg(r, 400, "EINVAL", bad, "%s ist kein gültiger UTF-8-Text.",
		     "%s is not valid UTF-8 text.", bad);
	return -1;
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
	if (check_utf8(r) < 0)
		return;
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

/* Frees s with its cache, its connections and its locks. */
static void srv_free(hf_srv *s)
{
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++)
		free(s->cache[i].body);
	for (i = 0; i < s->ndbs; i++)
		hf_db_close(s->dbs[i]);
	free(s->dbs);
	free(s->free);
	pthread_mutex_destroy(&s->pool_lock);
	pthread_cond_destroy(&s->pool_cond);
	pthread_mutex_destroy(&s->lim_lock);
	pthread_mutex_destroy(&s->cache_lock);
	free(s);
}

/* ---- libmicrohttpd, loaded when the server starts (dl.h) --------------- */

struct hf__mhd_api hf__mhd;

/* the soname of libmicrohttpd's ABI since 0.9.38 (2014) */
HF_DL_LIBRARY(mhd_lib, HF_MHD_FUNCS, hf__mhd, "libmicrohttpd.so.12",
	      "libmicrohttpd12", "Der HTTP-Server (libmicrohttpd)",
	      "The HTTP server library (libmicrohttpd)");

int hf__mhd_load(hf_error *err)
{
	return hf__dl_load(&mhd_lib, "serve", err);
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
	if ((rc = hf__mhd_load(err)) < 0)
		return rc;
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
	srv_free(s);
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
	srv_free(s);
}

/*
 * server.h: what the files of hafen's HTTP server share.
 *
 * server.c runs libmicrohttpd with a thread pool, reads request bodies up
 * to a cap, hands each request a database handle from a pool (one per
 * worker: the library has no global state, SQLite in WAL mode serves the
 * readers side by side and serialises writers with a busy timeout) and
 * dispatches by the route table of routes.c. auth.c resolves the session
 * cookie and checks CSRF tokens and roles; api_*.c are the routes, each a
 * thin layer over the library; static.c serves the dashboard built into
 * the binary. Responses are JSON; errors are the library's hf_error as
 * {"error": {"code", "where", "message"}} in the request's language.
 */
#ifndef HAFEN_SERVER_H
#define HAFEN_SERVER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "hafen/hafen.h"

typedef struct hf_srv_config {
	const char *db;	     /* database URI */
	const char *host;    /* address to listen on: 127.0.0.1, ::1, 0.0.0.0 */
	unsigned port;	     /* 0: any free port (printed) */
	unsigned threads;    /* worker threads, one database handle each */
	int64_t session_ttl; /* seconds a session lives */
	size_t max_body;     /* bytes a request body may have */
	unsigned login_limit; /* failed logins per account per window; the
			       * client address gets four times as many */
	int64_t login_window; /* seconds */
	int secure_cookies;   /* mark the cookie Secure (served over TLS) */
} hf_srv_config;

hf_srv_config hf_srv_config_default(void);

typedef struct hf_srv hf_srv;

/* Opens the database handles and starts listening. *port_out (may be NULL)
 * receives the port bound. The caller stops it with hf_srv_stop(). */
int hf_srv_start(const hf_srv_config *c, hf_srv **out, unsigned *port_out,
		 hf_error *err);
/* Stops accepting, waits for the requests in flight (up to wait_s
 * seconds), stops the workers and closes the database. NULL is a no-op. */
void hf_srv_stop(hf_srv *s, int wait_s);

/* ---- inside the server ---------------------------------------------- */

struct MHD_Connection;

typedef struct hf_req {
	hf_srv *srv;
	struct MHD_Connection *conn;
	const char *method, *path;
	hf_lang lang;
	char addr[64]; /* client address */
	/* the body, NUL-terminated; too_large once it passed the cap */
	char *body;
	size_t len, cap;
	int too_large;
	hf_db *db; /* from the pool while the request runs */
	int authed;
	hf_account acct;
	hf_session sess;
	char token[HF_SESSION_TOKEN_MAX];
	const char *param[2]; /* {name} segments of the route, decoded */
	char pbuf[2][256];
	/* the answer */
	unsigned status;
	char *resp; /* malloc'd */
	size_t resp_len;
	const char *ctype;
	char set_cookie[256];
	char disposition[128];
	long retry_after; /* seconds, for 429 */
	uint64_t gen;	  /* writes served before this request began */
	hf_error err;
} hf_req;

/* What a route needs before its handler runs. */
enum {
	HF_ACCESS_PUBLIC, /* no session */
	HF_ACCESS_USER,	  /* any signed-in account */
	HF_ACCESS_WRITER, /* admin or Land coordination or unit office */
	HF_ACCESS_LAND,	  /* admin or Land coordination */
	HF_ACCESS_ADMIN	  /* administrators */
};

typedef int (*hf_route_fn)(hf_req *r);

typedef struct hf_route {
	const char *method;  /* "GET", "POST" */
	const char *pattern; /* "/api/ledger/{id}/correct" */
	int access;
	hf_route_fn fn;
} hf_route;

/* The route tables (routes.c), NULL-terminated; each table ends in an
 * entry with method NULL. */
extern const hf_route *const hf_route_tables[];

/* ---- answers (server.c) --------------------------------------------- */

/* Sets status and the JSON body (steals root). Returns 0. */
int hf_reply_json(hf_req *r, unsigned status, json_t *root);
/* An error answer from r->err (status from its code, or the given one
 * when status is not 0). Returns 0. */
int hf_reply_err(hf_req *r, unsigned status);
/* An error answer with a message of its own. Returns 0. */
int hf_reply_msg(hf_req *r, unsigned status, const char *code,
		 const char *where, const char *de, const char *en, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 7)))
#endif
    ;
/* A text answer (CSV, Markdown); steals text (malloc'd). */
int hf_reply_text(hf_req *r, unsigned status, const char *ctype, char *text,
		  size_t len);
/* The HTTP status of an hf_code. */
unsigned hf_http_status(int code);

/* ---- requests (server.c) -------------------------------------------- */

/* A query argument, or NULL. */
const char *hf_q(hf_req *r, const char *name);
/* A header, or NULL. */
const char *hf_header(hf_req *r, const char *name);
/* The body as a JSON object; on error answers 400 and returns NULL. */
json_t *hf_body(hf_req *r);
/* Base64 (standard or URL-safe alphabet, padding optional, whitespace
 * skipped) decoded into a malloc'd buffer, or NULL for text that is not
 * base64 (api_import.c; file uploads come as JSON with the bytes so). */
unsigned char *hf_b64_decode(const char *s, size_t *len);

/* ---- JSON helpers (json.c) ------------------------------------------ */

json_t *hf_j_rat(hf_rat v);		/* "num/den" */
json_t *hf_j_dec(hf_rat v, int places); /* "12.34" */
void hf_j_set_rat(json_t *o, const char *key, hf_rat v, int places);
json_t *hf_j_date(hf_date d); /* "2024-03-01" or null */
json_t *hf_j_period(hf_period p);
json_t *hf_j_admission(const hf_admission *a);
json_t *hf_j_unit(const hf_unit *u, hf_lang lang);
json_t *hf_j_cats(const int64_t *persons);
/* A string member, or NULL; a number member is accepted as text too
 * (buf keeps it). */
const char *hf_j_str(json_t *o, const char *key, char *buf, size_t size);

/* Reads the common query arguments of figures: period (required),
 * method, contingent, carry_since. Answers 400 and returns -1 on error. */
int hf_q_quota(hf_req *r, hf_period *p, hf_quota_options *o);
/* Parses a date argument; answers 400 and returns -1 on error. */
int hf_q_date(hf_req *r, const char *name, const char *v, hf_date *out);
/* Parses a whole number; answers 400 and returns -1 on error. */
int hf_q_int(hf_req *r, const char *name, const char *v, long long *out);
/* Parses a category slug; answers 400 and returns -1 on error. */
int hf_q_category(hf_req *r, const char *name, const char *v, hf_category *out);
/* Shares in percent as text from a JSON object ({"01001": "3.38791"}) into
 * *out, a new array of one entry per member (the caller frees it, on error
 * too), *n counting those read. On a member that is not a percentage or
 * not a unit code answers 400 with field "shares" and de or en (one %s:
 * the member's name) and returns -1; 500 when out of memory. */
int hf_q_shares(hf_req *r, json_t *o, const char *de, const char *en,
		hf_key_share **out, size_t *n);

/* ---- access (auth.c) ------------------------------------------------ */

/* Resolves the session cookie into r->acct (r->authed). */
int hf_auth_resolve(hf_req *r);
/* 1 if the CSRF header matches the session's token. */
int hf_auth_csrf_ok(hf_req *r);
/* Whether the account may see details of and write to unit code; answers
 * 403 (or the storage error) and returns 0 if not. */
int hf_auth_unit(hf_req *r, const char *code);
/* Logs a read of household-level data; answers and returns -1 if the log
 * cannot be written (no read without its row). */
int hf_auth_log_read(hf_req *r, const char *object, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- the server's shared state (server.c) --------------------------- */

const hf_srv_config *hf_srv_cfg(const hf_srv *s);
/* 1 if login by account name and client address is allowed now. */
int hf_srv_login_allowed(hf_srv *s, const char *name, const char *addr,
			 int64_t *retry_after);
void hf_srv_login_failed(hf_srv *s, const char *name, const char *addr);
void hf_srv_login_succeeded(hf_srv *s, const char *name);

/*
 * A cache of answers to aggregate reads (the overview) and of sessions
 * just checked, shared by the workers. An entry is good while no write went
 * through this server since it was made and for at most HF_CACHE_MAX_AGE_MS (a
 * write by another process, the command line, shows after that at the latest).
 */
#define HF_CACHE_MAX_AGE_MS 1000
/* A copy of the answer under key (the caller frees *body), or NULL. */
char *hf_cache_get(hf_srv *s, const char *key, size_t *len);
/* Keeps a copy of body under key, read at generation gen (r->gen: taken
 * before the handler read anything; writes commit before they count). */
void hf_cache_put(hf_srv *s, const char *key, const char *body, size_t len,
		  uint64_t gen);

/* ---- static assets (static.c) --------------------------------------- */

/* Serves a file of the dashboard; 0 if path names one, -1 if not. */
int hf_static_serve(hf_req *r);
/* The OpenAPI document (embedded), or NULL. */
const char *hf_static_file(const char *name, size_t *len, const char **ctype);

#endif

/* cmd_serve.c: hafen serve: the HTTP API and the dashboard, until SIGTERM
 * or SIGINT; then no new connections, the requests in flight finish and
 * the database closes. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "server.h"

static const char help_de[] =
    "Aufruf: hafen serve [--listen ADRESSE:PORT] [--threads N]\n"
    "        [--session-ttl SEKUNDEN] [--max-body BYTES] [--login-limit N]\n"
    "        [--secure-cookies]\n\n"
    "Startet die JSON-API (/api/..., beschrieben in /api/openapi.json)\n"
    "und die Web-Oberfläche (/) auf --listen (Standard 127.0.0.1:8080;\n"
    "Port 0: ein freier). Anmeldung mit Konten aus hafen user. Sitzungen\n"
    "gelten --session-ttl Sekunden (Standard 28800), Inhalte bis\n"
    "--max-body Bytes (Standard 1048576), nach --login-limit (Standard 5)\n"
    "Fehlversuchen je Konto (20 je Adresse) wartet die Anmeldung 15\n"
    "Minuten. Hinter einem TLS-Proxy markiert --secure-cookies das\n"
    "Sitzungs-Cookie als Secure. SIGTERM oder Strg-C beendet geordnet.\n";
static const char help_en[] =
    "Usage: hafen serve [--listen ADDRESS:PORT] [--threads N]\n"
    "        [--session-ttl SECONDS] [--max-body BYTES] [--login-limit N]\n"
    "        [--secure-cookies]\n\n"
    "Starts the JSON API (/api/..., described at /api/openapi.json) and\n"
    "the web dashboard (/) on --listen (default 127.0.0.1:8080; port 0:\n"
    "any free one). Sign in with accounts from hafen user. Sessions last\n"
    "--session-ttl seconds (default 28800), bodies up to --max-body bytes\n"
    "(default 1048576); after --login-limit (default 5) failures per\n"
    "account (20 per address) sign-in waits 15 minutes. SIGTERM or\n"
    "Ctrl-C stops gracefully. Behind a TLS proxy, --secure-cookies marks\n"
    "the session cookie Secure.\n";

/* "127.0.0.1:8080", "[::1]:8080", ":8080" or "8080". */
static int parse_listen(const char *v, char *host, size_t size, unsigned *port)
{
	const char *colon;
	long long p;
	int64_t x;

	if (v[0] == '[') {
		const char *end = strchr(v, ']');
		if (!end || end[1] != ':' || (size_t)(end - v - 1) >= size)
			return -1;
		memcpy(host, v + 1, (size_t)(end - v - 1));
		host[end - v - 1] = '\0';
		colon = end + 1;
	} else if ((colon = strrchr(v, ':'))) {
		if ((size_t)(colon - v) >= size)
			return -1;
		memcpy(host, v, (size_t)(colon - v));
		host[colon - v] = '\0';
		if (!host[0])
			snprintf(host, size, "127.0.0.1");
	} else {
		snprintf(host, size, "127.0.0.1");
		colon = v - 1;
	}
	if (hf_int_parse(colon + 1, &x) < 0 || x < 0 || x > 65535)
		return -1;
	p = x;
	*port = (unsigned)p;
	return 0;
}

int hf_cmd_serve(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *listen = NULL, *threads = NULL, *ttl = NULL,
			    *maxbody = NULL, *limit = NULL;
	hf_srv_config c = hf_srv_config_default();
	hf_opt opts[] = {
	    {"listen", HF_OPT_VALUE, &listen, NULL, NULL},
	    {"threads", HF_OPT_VALUE, &threads, NULL, NULL},
	    {"session-ttl", HF_OPT_VALUE, &ttl, NULL, NULL},
	    {"max-body", HF_OPT_VALUE, &maxbody, NULL, NULL},
	    {"login-limit", HF_OPT_VALUE, &limit, NULL, NULL},
	    {"secure-cookies", HF_OPT_FLAG, NULL, &c.secure_cookies, NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char host[128];
	unsigned port;
	long long v;
	hf_srv *srv = NULL;
	hf_error err;
	sigset_t set;
	int npos, rc, sig = 0;

	rc = hf_opts_parse(cli, "serve", argc, argv, opts, help_de, help_en,
			   pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (listen && parse_listen(listen, host, sizeof host, &c.port) < 0)
		return hf_cli_usage(cli, "serve",
				    "--listen »%s«: ADRESSE:PORT, z. B. "
				    "127.0.0.1:8080.",
				    "--listen '%s': ADDRESS:PORT, e.g. "
				    "127.0.0.1:8080.",
				    listen);
	if (listen)
		c.host = host;
	if (threads) {
		if ((rc = hf_opts_int(cli, "serve", "threads", threads, &v)) !=
		    0)
			return rc;
		if (v < 1 || v > 256)
			return hf_cli_usage(cli, "serve",
					    "--threads 1 bis 256.",
					    "--threads 1 to 256.");
		c.threads = (unsigned)v;
	}
	if (ttl) {
		if ((rc = hf_opts_positive(cli, "serve", "session-ttl", ttl,
					   &v)) != 0)
			return rc;
		c.session_ttl = v;
	}
	if (maxbody) {
		if ((rc = hf_opts_int(cli, "serve", "max-body", maxbody, &v)) !=
		    0)
			return rc;
		if (v < 1024)
			return hf_cli_usage(cli, "serve",
					    "--max-body mindestens 1024.",
					    "--max-body at least 1024.");
		c.max_body = (size_t)v;
	}
	if (limit) {
		if ((rc = hf_opts_positive(cli, "serve", "login-limit", limit,
					   &v)) != 0)
			return rc;
		c.login_limit = (unsigned)v;
	}
	c.db = cli->db;
	/* the workers inherit the blocked signals; only sigwait sees them */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	hf_error_init(&err, cli->lang);
	if (hf_srv_start(&c, &srv, &port, &err) < 0)
		return hf_cli_fail(cli, &err);
	fprintf(
	    cli->out,
	    TR(cli,
	       "hafen serve: http://%s%s%s:%u/ (Datenbank %s, %u Threads)\n",
	       "hafen serve: http://%s%s%s:%u/ (database %s, %u threads)\n"),
	    strchr(c.host, ':') ? "[" : "", c.host,
	    strchr(c.host, ':') ? "]" : "", port, c.db, c.threads);
	fflush(cli->out);
	sigwait(&set, &sig);
	fprintf(cli->err, "%s",
		TR(cli, "hafen serve: beende geordnet ...\n",
		   "hafen serve: stopping gracefully ...\n"));
	hf_srv_stop(srv, 10);
	fprintf(cli->err, "%s",
		TR(cli, "hafen serve: beendet.\n", "hafen serve: stopped.\n"));
	return 0;
}

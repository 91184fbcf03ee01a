/* cmd_audit.c: hafen audit: the audit log, for administrators */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
    "Aufruf: hafen audit [--account KONTO] [--action PRÄFIX] [--from DATUM]\n"
    "        [--to DATUM] [--limit N]\n\n"
    "Zeigt das Prüfprotokoll: wann wer was geändert hat (Einheiten,\n"
    "Schlüssel, Einträge, Berichtigungen, Umverteilungen, Programme,\n"
    "Zusagen, Konten) und wer Einträge mit Haushaltskennungen gelesen hat\n"
    "(hafen serve, hafen ledger, hafen explain). --action ledger. zeigt\n"
    "alle Aktionen am Register.\n"
    "Mit --format csv oder json zum Export.\n";
static const char help_en[] =
    "Usage: hafen audit [--account ACCOUNT] [--action PREFIX] [--from DATE]\n"
    "        [--to DATE] [--limit N]\n\n"
    "Shows the audit log: when who changed what (units, keys, entries,\n"
    "corrections, transfers, programmes, pledges, accounts) and who read\n"
    "entries with household ids (hafen serve, hafen ledger, hafen\n"
    "explain). --action ledger. shows every action on the ledger.\n"
    "--format csv or json to export.\n";

void hf_cli_log_read(hf_cli *cli, const char *object, size_t entries)
{
	hf_db *db = NULL;
	hf_error err;
	char details[64];

	/* the reading command opened the database for reading only; the log
	 * is written through a handle of its own, where the file is
	 * writable (a read-only copy keeps no log) */
	hf_error_init(&err, cli->lang);
	if (hf_db_open(cli->db, 0, &db, &err) < 0)
		return;
	hf_db_set_actor(db, cli->user, cli->now);
	snprintf(details, sizeof details, "entries=%zu via=command", entries);
	if (hf_db_audit_add(db, "ledger.read", object, details, &err) < 0)
		fprintf(cli->err,
			TR(cli,
			   "hafen: Warnung: der Lesezugriff steht nicht im "
			   "Prüfprotokoll: %s\n",
			   "hafen: warning: the read is not in the audit log: "
			   "%s\n"),
			err.message);
	hf_db_close(db);
}

static const hf_col cols[] = {
    {"id", "Nr.", "No.", HF_COL_INT, 0},
    {"at", "Zeit (UTC)", "Time (UTC)", HF_COL_STR, 0},
    {"user", "Konto", "Account", HF_COL_STR, 0},
    {"action", "Aktion", "Action", HF_COL_STR, 0},
    {"object", "Objekt", "Object", HF_COL_STR, 0},
    {"details", "Einzelheiten", "Details", HF_COL_STR, 0},
};

int hf_cmd_audit(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *user = NULL, *action = NULL, *from = NULL,
			    *to = NULL, *limit = NULL;
	hf_opt opts[] = {
	    {"account", HF_OPT_VALUE, &user, NULL, NULL},
	    {"action", HF_OPT_VALUE, &action, NULL, NULL},
	    {"from", HF_OPT_VALUE, &from, NULL, NULL},
	    {"to", HF_OPT_VALUE, &to, NULL, NULL},
	    {"limit", HF_OPT_VALUE, &limit, NULL, NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	hf_audit_filter f;
	hf_audit_entry *e = NULL;
	hf_db *db = NULL;
	hf_error err;
	hf_out *t;
	hf_date d;
	size_t n = 0, i;
	int npos, rc;

	rc = hf_opts_parse(cli, "audit", argc, argv, opts, help_de, help_en,
			   pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	memset(&f, 0, sizeof f);
	f.user = user;
	f.action = action;
	if (from) {
		if ((rc = hf_opts_date(cli, "audit", "from", from, &d)) != 0)
			return rc;
		f.from = (int64_t)d * 86400;
	}
	if (to) {
		if ((rc = hf_opts_date(cli, "audit", "to", to, &d)) != 0)
			return rc;
		f.to = (int64_t)d * 86400 + 86399;
	}
	if (limit) {
		long long l;
		if ((rc = hf_opts_positive(cli, "audit", "limit", limit, &l)) !=
		    0)
			return rc;
		f.limit = (size_t)l;
	}
	hf_error_init(&err, cli->lang);
	if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
		return rc;
	if (hf_db_audit_list(db, &f, &e, &n, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	if (!(t = hf_out_new(cols, 6))) {
		rc = 3;
		goto out;
	}
	for (i = 0; i < n; i++) {
		char at[32];
		time_t tt = (time_t)e[i].at;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
		hf_out_row(t);
		hf_out_int(t, e[i].id);
		hf_out_str(t, at);
		hf_out_str(t, e[i].user);
		hf_out_str(t, e[i].action);
		hf_out_str(t, e[i].object);
		hf_out_str(t, e[i].details);
	}
	rc = hf_out_print(t, cli);
	hf_out_free(t);
out:
	free(e);
	hf_db_close(db);
	return rc;
}

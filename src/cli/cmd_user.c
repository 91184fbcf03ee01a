/* cmd_user.c: hafen user add|passwd|role|list: accounts of the web front
 * end. Passwords come from standard input (a prompt without echo on a
 * terminal), never from the command line, where other users of the machine
 * could read them. */
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
    "Aufruf: hafen user add NAME --role ROLLE [--unit CODE]...\n"
    "        hafen user passwd NAME\n"
    "        hafen user role NAME --role ROLLE [--unit CODE]...\n"
    "        hafen user list\n\n"
    "Konten der Web-Oberfläche (hafen serve). Rollen: admin (alles, Konten,\n"
    "Prüfprotokoll), land (Landeskoordination: alle Einheiten lesen und\n"
    "schreiben), office (Amt: Summen aller, Einzelheiten und Einträge nur\n"
    "der eigenen Einheiten, je --unit CODE), viewer (nur Summen).\n"
    "Das Passwort (mindestens 10 Zeichen) liest hafen von der\n"
    "Standardeingabe, am Terminal verdeckt und zweimal; nie als Argument.\n"
    "Jede Änderung steht im Prüfprotokoll (hafen audit).\n";
static const char help_en[] =
    "Usage: hafen user add NAME --role ROLE [--unit CODE]...\n"
    "       hafen user passwd NAME\n"
    "       hafen user role NAME --role ROLE [--unit CODE]...\n"
    "       hafen user list\n\n"
    "Accounts of the web dashboard (hafen serve). Roles: admin (everything,\n"
    "accounts, audit log), land (Land coordination: read and write every\n"
    "unit), office (unit office: aggregates of all, details and entries of\n"
    "its own units only, one --unit CODE each), viewer (aggregates only).\n"
    "The password (at least 10 characters) is read from standard input,\n"
    "hidden and twice on a terminal; never from an argument.\n"
    "Every change is in the audit log (hafen audit).\n";

/* Reads one line without its newline into buf; on a terminal with the
 * prompt and without echo. Returns 0, or -1 at end of input. */
static int read_line(hf_cli *cli, const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO), ok;
	size_t len;

	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = fgets(buf, (int)size, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	(void)cli;
	if (!ok)
		return -1;
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	return 0;
}

static int read_password(hf_cli *cli, char *pw, size_t size)
{
	char again[256];

	if (read_line(cli, TR(cli, "Passwort: ", "Password: "), pw, size) < 0) {
		fprintf(
		    cli->err, "%s",
		    TR(cli,
		       "hafen user: kein Passwort auf der Standardeingabe.\n",
		       "hafen user: no password on standard input.\n"));
		return 2;
	}
	if (isatty(STDIN_FILENO)) {
		if (read_line(cli,
			      TR(cli, "Passwort wiederholen: ",
				 "Repeat the password: "),
			      again, sizeof again) < 0 ||
		    strcmp(pw, again)) {
			fprintf(cli->err, "%s",
				TR(cli,
				   "hafen user: die Passwörter stimmen nicht "
				   "überein.\n",
				   "hafen user: the passwords differ.\n"));
			return 2;
		}
	}
	return 0;
}

static const hf_col cols[] = {
    {"name", "Konto", "Account", HF_COL_STR, 0},
    {"role", "Rolle", "Role", HF_COL_STR, 0},
    {"units", "Einheiten", "Units", HF_COL_STR, 0},
    {"changed_at", "geändert", "Changed", HF_COL_INT, 0},
};

static int list(hf_cli *cli, hf_db *db)
{
	hf_account *a = NULL;
	hf_error err;
	hf_out *t;
	size_t n = 0, i, j;
	int rc;

	hf_error_init(&err, cli->lang);
	if (hf_account_list(db, &a, &n, &err) < 0)
		return hf_cli_fail(cli, &err);
	if (!(t = hf_out_new(cols, 4))) {
		free(a);
		return 3;
	}
	for (i = 0; i < n; i++) {
		char units[HF_ACCOUNT_UNITS_MAX * HF_CODE_MAX] = "";
		size_t len = 0;
		for (j = 0; j < a[i].nunits; j++)
			len += (size_t)snprintf(units + len, sizeof units - len,
						"%s%s", j ? "," : "",
						a[i].units[j]);
		hf_out_row(t);
		hf_out_str(t, a[i].name);
		hf_out_str(t, cli->format == HF_FORMAT_TABLE
				  ? hf_role_name(a[i].role, cli->lang)
				  : hf_role_slug(a[i].role));
		hf_out_str(t, units);
		hf_out_int(t, a[i].changed_at);
	}
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	free(a);
	return rc;
}

int hf_cmd_user(hf_cli *cli, int argc, char **argv)
{
	const char *pos[2], *role = NULL, *units[HF_OPT_MAX_REPEAT];
	int nunits = 0, npos, rc;
	hf_opt opts[] = {
	    {"role", HF_OPT_VALUE, &role, NULL, NULL},
	    {"unit", HF_OPT_LIST, NULL, &nunits, units},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char pw[256];
	hf_role r = HF_ROLE_VIEWER;
	hf_db *db = NULL;
	hf_error err;
	const char *sub;

	rc = hf_opts_parse(cli, "user", argc, argv, opts, help_de, help_en, pos,
			   2, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (npos < 1)
		return hf_cli_usage(cli, "user", "add, passwd, role oder list?",
				    "add, passwd, role or list?");
	sub = pos[0];
	if (strcmp(sub, "list") && npos != 2)
		return hf_cli_usage(cli, "user",
				    "welches Konto? hafen user %s "
				    "NAME",
				    "which account? hafen user %s NAME", sub);
	if (!strcmp(sub, "add") || !strcmp(sub, "role")) {
		if (!role)
			return hf_cli_usage(cli, "user", "--role fehlt.",
					    "--role is missing.");
		if (hf_role_parse(role, &r) < 0)
			return hf_cli_usage(
			    cli, "user",
			    "--role »%s«: admin, land, office "
			    "oder viewer.",
			    "--role '%s': admin, land, office or "
			    "viewer.",
			    role);
	} else if (strcmp(sub, "passwd") && strcmp(sub, "list"))
		return hf_cli_usage(cli, "user",
				    "»%s«? add, passwd, role oder list.",
				    "'%s'? add, passwd, role or list.", sub);
	hf_error_init(&err, cli->lang);
	if ((!strcmp(sub, "add") || !strcmp(sub, "passwd")) &&
	    (rc = read_password(cli, pw, sizeof pw)) != 0)
		return rc;
	if ((rc = hf_cli_open(cli, !strcmp(sub, "list") ? HF_DB_READONLY : 0,
			      &db)) != 0)
		goto out;
	if (!strcmp(sub, "list"))
		rc = list(cli, db);
	else if ((!strcmp(sub, "add") ? hf_account_add(db, pos[1], r, units,
						       (size_t)nunits, pw, &err)
		  : !strcmp(sub, "passwd")
		      ? hf_account_set_password(db, pos[1], pw, &err)
		      : hf_account_set_role(db, pos[1], r, units,
					    (size_t)nunits, &err)) < 0)
		rc = hf_cli_fail(cli, &err);
	else
		fprintf(
		    cli->out,
		    TR(cli, "Konto %s gespeichert.\n", "Account %s saved.\n"),
		    pos[1]);
out:
	memset(pw, 0, sizeof pw);
	hf_db_close(db);
	return rc;
}

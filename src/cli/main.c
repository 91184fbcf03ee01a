/* main.c: the hafen command: global options, help, dispatch. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmds.h"

static const struct cmd {
	const char *name;
	int (*fn)(hf_cli *, int, char **);
	const char *de, *en;
} cmds[] = {
	{"init", hf_cmd_init, "Datenbank anlegen, Referenzdaten laden",
	 "create the database, load the reference data"},
	{"unit", hf_cmd_unit, "Einheiten (Gebietskörperschaften): list, show, add",
	 "units: list, show, add"},
	{"indicator", hf_cmd_indicator, "Kennzahlen einer Einheit: set, list",
	 "figures of a unit: set, list"},
	{"key", hf_cmd_key, "Verteilungsschlüssel: list, show, add, compute, credit",
	 "distribution keys: list, show, add, compute, credit"},
	{"standing", hf_cmd_standing,
	 "Feste Anrechnungen (z. B. Landesunterkünfte): add, list",
	 "standing credits (e.g. Land reception facilities): add, list"},
	{"record", hf_cmd_record, "einen Zugang ins Register eintragen",
	 "record one admission in the ledger"},
	{"ledger", hf_cmd_ledger, "das Register der Zugänge anzeigen",
	 "list the admission ledger"},
	{"correct", hf_cmd_correct, "einen Eintrag durch Gegenbuchung berichtigen",
	 "correct an entry by a reversing entry"},
	{"transfer", hf_cmd_transfer,
	 "Personen umverteilen: Abgang und Zugang als Paar",
	 "transfer persons: an entry out and one in, paired"},
	{"programme", hf_cmd_programme,
	 "Aufnahmeprogramme mit Kontingent: add, list, show, fulfilment, "
	 "overrides",
	 "admission programmes with contingents: add, list, show, "
	 "fulfilment, overrides"},
	{"pledge", hf_cmd_pledge,
	 "Aufnahmezusagen: add, list, status, report",
	 "pledges: add, list, status, report"},
	{"quota", hf_cmd_quota, "Aufnahmesoll und Erfüllung je Einheit",
	 "quota (Aufnahmesoll) and fulfilment by unit"},
	{"explain", hf_cmd_explain,
	 "das Aufnahmesoll einer Einheit in Worten erklären",
	 "explain a unit's quota in plain words"},
	{"answer", hf_cmd_answer,
	 "Bericht für eine Anfrage: Zugänge seit einem Datum, Soll je Jahr",
	 "report for an inquiry: admissions since a date, quota by year"},
	{"allocate", hf_cmd_allocate,
	 "ankommende Haushalte nach Soll-Defizit zuweisen",
	 "allocate arriving households by quota deficit"},
	{"match", hf_cmd_match,
	 "Haushalte Einheiten zuordnen: optimal, stabil oder nach Defizit",
	 "match households to units: optimal, stable or by deficit"},
	{"simulate", hf_cmd_simulate,
	 "Zuweisung nach Soll-Defizit über viele Wochen simulieren",
	 "simulate allocation by quota deficit over many weeks"},
	{"admissions", hf_cmd_admissions,
	 "Zugänge seit einem Datum nach Einheit und Kategorie",
	 "admissions since a date by unit and category"},
	{"serve", hf_cmd_serve,
	 "HTTP-API und Web-Oberfläche starten",
	 "start the HTTP API and the web dashboard"},
	{"user", hf_cmd_user, "Konten der Web-Oberfläche: add, passwd, role, list",
	 "accounts of the web dashboard: add, passwd, role, list"},
	{"audit", hf_cmd_audit, "das Prüfprotokoll: wer hat was wann geändert",
	 "the audit log: who changed what and when"},
	{"migrate", hf_cmd_migrate,
	 "eine ganze Datenbank kopieren und prüfen (SQLite, PostgreSQL)",
	 "copy a whole database and verify it (SQLite, PostgreSQL)"},
	{"import", hf_cmd_import,
	 "Dateien einlesen (CSV, JSON, XLSX): ganz oder gar nicht",
	 "read files (CSV, JSON, XLSX): all or nothing"},
	{"export", hf_cmd_export,
	 "Einträge als CSV, JSON oder XLSX ausgeben",
	 "write records as CSV, JSON or XLSX"},
};

#define NCMDS (sizeof cmds / sizeof cmds[0])

static void usage(hf_cli *cli, FILE *f)
{
	size_t i;
	fprintf(f, "%s",
		TR(cli,
		   "hafen: Verteilung, Anrechnung und Aufnahmesoll von "
		   "Geflüchteten\n\n"
		   "Aufruf: hafen [--db PFAD] [--lang de|en] [--format "
		   "table|csv|json|xlsx] [--out DATEI] [--user NAME] BEFEHL ...\n\nBefehle:\n",
		   "hafen: distribution, crediting and quotas for the "
		   "admission of refugees\n\n"
		   "Usage: hafen [--db PATH] [--lang de|en] [--format "
		   "table|csv|json|xlsx] [--out FILE] [--user NAME] COMMAND ...\n\nCommands:\n"));
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-11s %s\n", cmds[i].name,
			TR(cli, cmds[i].de, cmds[i].en));
	fprintf(f, "%s",
		TR(cli,
		   "\nDatenbank: --db PFAD, sonst HAFEN_DB, sonst ./hafen.db.\n"
		   "Sprache: --lang en oder HAFEN_LANG=en für Englisch.\n"
		   "Ausgabe: --out DATEI schreibt in eine Datei (für --format "
		   "xlsx nötig).\n"
		   "Hilfe zu einem Befehl: hafen BEFEHL --help\n"
		   "Exit-Codes: 0 ok, 1 Aufruf, 2 Datenfehler, 3 "
		   "Speicherfehler.\n",
		   "\nDatabase: --db PATH, else HAFEN_DB, else ./hafen.db.\n"
		   "Language: --lang en or HAFEN_LANG=en for English.\n"
		   "Output: --out FILE writes to a file (needed for --format "
		   "xlsx).\n"
		   "Help on a command: hafen COMMAND --help\n"
		   "Exit codes: 0 ok, 1 usage, 2 data error, 3 storage "
		   "error.\n"));
}

int hf_cli_fail(hf_cli *cli, const hf_error *err)
{
	if (err->where[0])
		fprintf(cli->err, "hafen: %s: %s\n", err->where, err->message);
	else if (err->message[0])
		fprintf(cli->err, "hafen: %s\n", err->message);
	else
		fprintf(cli->err, "hafen: %s\n", hf_strerror(err->code));
	return hf_err_exit_class(err->code ? err->code : HF_ESTORAGE);
}

int hf_cli_usage(hf_cli *cli, const char *cmd, const char *de, const char *en,
		 ...)
{
	va_list ap;
	fprintf(cli->err, "hafen %s: ", cmd);
	va_start(ap, en);
	vfprintf(cli->err, TR(cli, de, en), ap);
	va_end(ap);
	fprintf(cli->err, "\n%s", "");
	fprintf(cli->err,
		TR(cli, "Hilfe: hafen %s --help\n", "Help: hafen %s --help\n"),
		cmd);
	return 1;
}

int hf_cli_open(hf_cli *cli, int flags, hf_db **db)
{
	hf_error err;
	hf_error_init(&err, cli->lang);
	if (hf_db_open(cli->db, flags, db, &err) < 0)
		return hf_cli_fail(cli, &err);
	/* every write of the command is logged as the command's user */
	hf_db_set_actor(*db, cli->user, cli->now);
	return 0;
}

/* Takes the value of a global option, "--db X" or "--db=X". */
static const char *take(int *i, int argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (!strcmp(argv[*i], name)) {
		if (*i + 1 >= argc)
			return NULL;
		return argv[++*i];
	}
	return NULL;
}

static int is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(arg, name, n) && (arg[n] == '\0' || arg[n] == '=');
}

/* Runs a command. With --out FILE (and not XLSX, which the commands
 * write themselves, nor import, export and match, which take --out as
 * their file), what the command prints goes to FILE instead: written beside it
 * and renamed when the command succeeded, so a failure leaves no half
 * file. */
static int run_cmd(hf_cli *cli, const struct cmd *c, int argc, char **argv)
{
	char tmp[4096];
	FILE *f;
	int rc;

	/* the commands whose output is a table (hf_out) or records */
	static const char *const xlsx[] = {
		"unit",	    "indicator", "key",	     "standing", "ledger",
		"quota",    "programme", "pledge",   "simulate", "allocate",
		"admissions", "export",	 NULL};
	size_t i;

	if (cli->format == HF_FORMAT_XLSX) {
		for (i = 0; xlsx[i] && strcmp(xlsx[i], c->name); i++)
			;
		if (!xlsx[i]) {
			fprintf(cli->err,
				TR(cli,
				   "hafen %s: --format xlsx gibt es für die "
				   "Tabellen (quota, ledger, admissions, "
				   "programme, pledge, key, unit, simulate, "
				   "allocate) und export.\n",
				   "hafen %s: --format xlsx is for the tables "
				   "(quota, ledger, admissions, programme, "
				   "pledge, key, unit, simulate, allocate) and "
				   "export.\n"),
				c->name);
			return 1;
		}
	}
	if (!cli->outpath || cli->format == HF_FORMAT_XLSX ||
	    !strcmp(c->name, "import") || !strcmp(c->name, "export") ||
	    !strcmp(c->name, "match"))
		return c->fn(cli, argc, argv);
	snprintf(tmp, sizeof tmp, "%s.tmp", cli->outpath);
	if (!(f = fopen(tmp, "w"))) {
		fprintf(cli->err,
			TR(cli, "hafen: %s lässt sich nicht schreiben.\n",
			   "hafen: cannot write %s.\n"),
			cli->outpath);
		return 3;
	}
	cli->out = f;
	rc = c->fn(cli, argc, argv);
	cli->out = stdout;
	if (fclose(f) != 0 && rc == 0)
		rc = 3;
	if (rc == 0 && rename(tmp, cli->outpath) != 0)
		rc = 3;
	if (rc != 0)
		remove(tmp);
	return rc;
}

int main(int argc, char **argv)
{
	hf_cli cli;
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	const char *env, *lang = NULL, *format = NULL;
	int i, n = 0, rc;
	size_t c;

	memset(&cli, 0, sizeof cli);
	cli.out = stdout;
	cli.err = stderr;
	if (!rest)
		return 3;
	env = getenv("HAFEN_LANG");
	if (env && !strncmp(env, "en", 2))
		cli.lang = HF_LANG_EN;
	cli.db = getenv("HAFEN_DB");
	if (!cli.db || !*cli.db)
		cli.db = "hafen.db";
	cli.user = getenv("HAFEN_USER");
	if (!cli.user || !*cli.user)
		cli.user = getenv("USER");
	if (!cli.user || !*cli.user)
		cli.user = "hafen";
	env = getenv("HAFEN_NOW");
	cli.now = env && *env ? atoll(env) : (long long)time(NULL);

	/* global options may stand anywhere; a lone "--" ends them */
	for (i = 1; i < argc; i++) {
		const char *v;
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				rest[n++] = argv[i++];
			break;
		}
		if (is_opt(argv[i], "--db") || is_opt(argv[i], "--lang") ||
		    is_opt(argv[i], "--format") || is_opt(argv[i], "--user") ||
		    is_opt(argv[i], "--out")) {
			const char *name = argv[i][2] == 'd'   ? "--db"
					   : argv[i][2] == 'l' ? "--lang"
					   : argv[i][2] == 'f' ? "--format"
					   : argv[i][2] == 'o' ? "--out"
							       : "--user";
			if (!(v = take(&i, argc, argv, name))) {
				fprintf(stderr,
					TR(&cli, "hafen: %s braucht einen Wert\n",
					   "hafen: %s needs a value\n"),
					name);
				free(rest);
				return 1;
			}
			if (name[2] == 'd')
				cli.db = v;
			else if (name[2] == 'l')
				lang = v;
			else if (name[2] == 'f')
				format = v;
			else if (name[2] == 'o')
				cli.outpath = v;
			else
				cli.user = v;
			continue;
		}
		rest[n++] = argv[i];
	}
	if (lang) {
		if (!strcmp(lang, "de"))
			cli.lang = HF_LANG_DE;
		else if (!strcmp(lang, "en"))
			cli.lang = HF_LANG_EN;
		else {
			fprintf(stderr, "hafen: --lang de|en (%s?)\n", lang);
			free(rest);
			return 1;
		}
	}
	if (format) {
		if (!strcmp(format, "table"))
			cli.format = HF_FORMAT_TABLE;
		else if (!strcmp(format, "csv"))
			cli.format = HF_FORMAT_CSV;
		else if (!strcmp(format, "json"))
			cli.format = HF_FORMAT_JSON;
		else if (!strcmp(format, "xlsx"))
			cli.format = HF_FORMAT_XLSX;
		else {
			fprintf(stderr,
				TR(&cli,
				   "hafen: --format table|csv|json|xlsx, nicht "
				   "%s\n",
				   "hafen: --format table|csv|json|xlsx, not "
				   "%s\n"),
				format);
			free(rest);
			return 1;
		}
	}
	if (n == 0 || !strcmp(rest[0], "--help") || !strcmp(rest[0], "-h") ||
	    !strcmp(rest[0], "help")) {
		usage(&cli, n == 0 ? stderr : stdout);
		free(rest);
		return n == 0 ? 1 : 0;
	}
	if (!strcmp(rest[0], "--version")) {
		printf("hafen 0.1.0\n");
		free(rest);
		return 0;
	}
	for (c = 0; c < NCMDS; c++)
		if (!strcmp(rest[0], cmds[c].name)) {
			rc = run_cmd(&cli, &cmds[c], n, rest);
			free(rest);
			return rc;
		}
	fprintf(stderr,
		TR(&cli, "hafen: unbekannter Befehl »%s«. Befehle: hafen --help\n",
		   "hafen: unknown command '%s'. Commands: hafen --help\n"),
		rest[0]);
	free(rest);
	return 1;
}

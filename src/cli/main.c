/* main.c: the hafen command: global options, help, dispatch. */
#include <stdarg.h>
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
		   "table|csv|json] [--user NAME] BEFEHL ...\n\nBefehle:\n",
		   "hafen: distribution, crediting and quotas for the "
		   "admission of refugees\n\n"
		   "Usage: hafen [--db PATH] [--lang de|en] [--format "
		   "table|csv|json] [--user NAME] COMMAND ...\n\nCommands:\n"));
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-11s %s\n", cmds[i].name,
			TR(cli, cmds[i].de, cmds[i].en));
	fprintf(f, "%s",
		TR(cli,
		   "\nDatenbank: --db PFAD, sonst HAFEN_DB, sonst ./hafen.db.\n"
		   "Sprache: --lang en oder HAFEN_LANG=en für Englisch.\n"
		   "Hilfe zu einem Befehl: hafen BEFEHL --help\n"
		   "Exit-Codes: 0 ok, 1 Aufruf, 2 Datenfehler, 3 "
		   "Speicherfehler.\n",
		   "\nDatabase: --db PATH, else HAFEN_DB, else ./hafen.db.\n"
		   "Language: --lang en or HAFEN_LANG=en for English.\n"
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
		    is_opt(argv[i], "--format") || is_opt(argv[i], "--user")) {
			const char *name = argv[i][2] == 'd'   ? "--db"
					   : argv[i][2] == 'l' ? "--lang"
					   : argv[i][2] == 'f' ? "--format"
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
		else {
			fprintf(stderr,
				TR(&cli,
				   "hafen: --format table|csv|json, nicht %s\n",
				   "hafen: --format table|csv|json, not %s\n"),
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
			rc = cmds[c].fn(&cli, n, rest);
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

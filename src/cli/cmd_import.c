/* cmd_import.c: hafen import, hafen export */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"

static const char imp_help_de[] =
    "Aufruf: hafen import ART DATEI [--check] [--force]\n"
    "        [--dialect auto|excel|tool] [--sheet BLATT] [--override GRUND]\n\n"
    "Liest eine Datei ganz oder gar nicht in die Datenbank: CSV (wie\n"
    "Excel sie in Deutschland schreibt: Semikolon, Dezimalkomma,\n"
    "TT.MM.JJJJ, UTF-8 mit BOM oder Windows-1252; oder wie Werkzeuge sie\n"
    "schreiben: Komma, Dezimalpunkt, JJJJ-MM-TT, UTF-8), JSON oder XLSX\n"
    "(das erste Blatt oder --sheet). Format und Dialekt werden erkannt;\n"
    "--dialect erzwingt einen.\n"
    "Arten: units (einheiten), indicators (kennzahlen), keys (schluessel),\n"
    "admissions (zugaenge), pledges (zusagen), programmes (programme);\n"
    "households (haushalte) und match-units (aufnahmeorte) werden nur\n"
    "geprüft und als CSV für hafen match geschrieben (--out DATEI).\n"
    "Spalten deutsch oder englisch, z. B. Zugänge: Datum, Einheit,\n"
    "Personen, Kategorie, Haushalt, Programm, Aktenzeichen (date, unit,\n"
    "persons, category, household, programme, reference).\n"
    "Alle Fehler der Datei werden mit Zeile und Spalte gemeldet (bis\n"
    "100); dann wird nichts geschrieben. --check prüft nur. Eine schon\n"
    "importierte Datei (gleicher Inhalt) wird abgelehnt, außer mit\n"
    "--force. Zugänge über das Kontingent eines Programms hinaus nimmt\n"
    "hafen nur mit --override GRUND auf (festgehalten wie bei record).\n";
static const char imp_help_en[] =
    "Usage: hafen import KIND FILE [--check] [--force]\n"
    "        [--dialect auto|excel|tool] [--sheet SHEET] [--override "
    "REASON]\n\n"
    "Reads a file into the database, all or nothing: CSV (as German Excel\n"
    "writes it: semicolon, decimal comma, DD.MM.YYYY, UTF-8 with BOM or\n"
    "Windows-1252; or as tools write it: comma, decimal point,\n"
    "YYYY-MM-DD, UTF-8), JSON or XLSX (the first sheet or --sheet).\n"
    "Format and dialect are detected; --dialect forces one.\n"
    "Kinds: units, indicators, keys, admissions, pledges, programmes;\n"
    "households and match-units are only checked and written as the CSV\n"
    "hafen match reads (--out FILE).\n"
    "Columns in German or English, e.g. admissions: date, unit, persons,\n"
    "category, household, programme, reference (Datum, Einheit, Personen,\n"
    "Kategorie, Haushalt, Programm, Aktenzeichen).\n"
    "Every problem of the file is reported with row and column (up to\n"
    "100); then nothing is written. --check only checks. A file imported\n"
    "before (same content) is refused unless --force. Admissions beyond a\n"
    "programme's contingent only with --override REASON (logged as with\n"
    "record).\n";

static int bad_kind(hf_cli *cli, const char *cmd, const char *k)
{
	return hf_cli_usage(cli, cmd,
			    "Art »%s« unbekannt: units, indicators, keys, "
			    "admissions, pledges, programmes, households, "
			    "match-units.",
			    "unknown kind '%s': units, indicators, keys, "
			    "admissions, pledges, programmes, households, "
			    "match-units.",
			    k);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *d = NULL, *nd;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*len + 65537 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			if (!(nd = realloc(d, cap))) {
				free(d);
				fclose(f);
				return NULL;
			}
			d = nd;
		}
		n = fread(d + *len, 1, 65536, f);
		*len += n;
		if (n < 65536)
			break;
	}
	if (ferror(f)) {
		free(d);
		d = NULL;
	}
	fclose(f);
	return d;
}

static void print_issues(hf_cli *cli, const hf_import_result *r)
{
	size_t i;

	for (i = 0; i < r->nissues; i++)
		fprintf(cli->err, "hafen: %s: %s\n", r->issues[i].where,
			r->issues[i].message);
	if (r->more)
		fprintf(cli->err,
			TR(cli, "hafen: … und %zu weitere Fehler.\n",
			   "hafen: … and %zu more problems.\n"),
			r->more);
}

static int import_match(hf_cli *cli, hf_io_kind kind, const char *path,
			const hf_import_options *o)
{
	hf_import_result r;
	hf_error err;
	FILE *out = cli->out;
	char tmp[4096];
	size_t len;
	char *data = slurp(path, &len);
	int rc;

	hf_error_init(&err, cli->lang);
	if (!data) {
		fprintf(cli->err,
			TR(cli, "hafen: Datei %s lässt sich nicht lesen: %s.\n",
			   "hafen: cannot read file %s: %s.\n"),
			path, strerror(errno));
		return 2;
	}
	if (cli->outpath && !o->check) {
		snprintf(tmp, sizeof tmp, "%s.tmp", cli->outpath);
		if (!(out = fopen(tmp, "wb"))) {
			fprintf(cli->err,
				TR(cli,
				   "hafen: %s lässt sich nicht "
				   "schreiben: %s.\n",
				   "hafen: cannot write %s: %s.\n"),
				cli->outpath, strerror(errno));
			free(data);
			return 3;
		}
	}
	rc = hf_import_match(kind, path, data, len, o, out, &r, &err);
	free(data);
	if (out != cli->out) {
		if (fclose(out) != 0 && rc == HF_OK)
			rc = HF_EIO;
		if (rc == HF_OK && rename(tmp, cli->outpath) != 0)
			rc = HF_EIO;
		if (rc < 0)
			remove(tmp);
	}
	print_issues(cli, &r);
	if (rc < 0) {
		hf_import_result_clear(&r);
		return hf_cli_fail(cli, &err);
	}
	if (cli->outpath || o->check)
		fprintf(cli->out,
			TR(cli, "%s: %zu Einträge geprüft%s%s.\n",
			   "%s: %zu records checked%s%s.\n"),
			path, r.rows,
			o->check
			    ? ""
			    : TR(cli, ", geschrieben nach ", ", written to "),
			o->check ? "" : cli->outpath);
	hf_import_result_clear(&r);
	return 0;
}

int hf_cmd_import(hf_cli *cli, int argc, char **argv)
{
	const char *pos[2], *dialect = NULL, *sheet = NULL, *override = NULL;
	int check = 0, force = 0, npos, rc;
	hf_opt opts[] = {
	    {"check", HF_OPT_FLAG, NULL, &check, NULL},
	    {"force", HF_OPT_FLAG, NULL, &force, NULL},
	    {"dialect", HF_OPT_VALUE, &dialect, NULL, NULL},
	    {"sheet", HF_OPT_VALUE, &sheet, NULL, NULL},
	    {"override", HF_OPT_VALUE, &override, NULL, NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	hf_import_options o = hf_import_options_default();
	hf_import_result r;
	hf_io_kind kind;
	hf_db *db = NULL;
	hf_error err;

	rc = hf_opts_parse(cli, "import", argc, argv, opts, imp_help_de,
			   imp_help_en, pos, 2, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (npos != 2)
		return hf_cli_usage(cli, "import", "hafen import ART DATEI",
				    "hafen import KIND FILE");
	if (hf_io_kind_parse(pos[0], &kind) < 0)
		return bad_kind(cli, "import", pos[0]);
	if (dialect && hf_dialect_parse(dialect, &o.dialect) < 0)
		return hf_cli_usage(cli, "import",
				    "--dialect auto, excel oder tool, nicht "
				    "»%s«.",
				    "--dialect auto, excel or tool, not '%s'.",
				    dialect);
	o.sheet = sheet;
	o.override = override;
	o.check = check;
	o.force = force;
	o.user = cli->user;
	o.now = cli->now;
	if (kind == HF_IO_HOUSEHOLDS || kind == HF_IO_MATCH_UNITS)
		return import_match(cli, kind, pos[1], &o);
	hf_error_init(&err, cli->lang);
	if ((rc = hf_cli_open(cli, 0, &db)) != 0)
		return rc;
	rc = hf_import_file(db, kind, pos[1], &o, &r, &err);
	print_issues(cli, &r);
	if (rc < 0) {
		rc = hf_cli_fail(cli, &err);
	} else {
		const char *dia = "";
		char how[96] = "";
		if (r.format == HF_IO_CSV) {
			dia = r.dialect == HF_DIALECT_EXCEL
				  ? TR(cli, "Excel-Dialekt", "Excel dialect")
				  : TR(cli, "Werkzeug-Dialekt", "tool dialect");
			snprintf(how, sizeof how, " (CSV, %s, %s)", dia,
				 r.encoding ? r.encoding : "UTF-8");
		} else {
			snprintf(how, sizeof how, " (%s)",
				 r.format == HF_IO_JSON ? "JSON" : "XLSX");
		}
		if (cli->format == HF_FORMAT_JSON)
			fprintf(cli->out,
				"{\"kind\": \"%s\", \"records\": %zu, "
				"\"check\": %s, \"sha256\": \"%s\"}\n",
				hf_io_kind_slug(kind), r.rows,
				check ? "true" : "false", r.sha256);
		else if (check)
			fprintf(cli->out,
				TR(cli,
				   "%s geprüft%s: %zu Einträge, keine Fehler; "
				   "nichts geschrieben.\n",
				   "%s checked%s: %zu records, no problems; "
				   "nothing written.\n"),
				pos[1], how, r.rows);
		else
			fprintf(cli->out,
				TR(cli, "%zu Einträge importiert aus %s%s.\n",
				   "%zu records imported from %s%s.\n"),
				r.rows, pos[1], how);
		if (r.overrides && cli->format != HF_FORMAT_JSON)
			fprintf(
			    cli->out,
			    TR(cli,
			       "%zu davon über das Kontingent hinaus; "
			       "festgehalten (hafen programme overrides).\n",
			       "%zu of them beyond the contingent; logged "
			       "(hafen programme overrides).\n"),
			    r.overrides);
	}
	hf_import_result_clear(&r);
	hf_db_close(db);
	return rc;
}

static const char exp_help_de[] =
    "Aufruf: hafen export ART [--format csv|xlsx|json]\n"
    "        [--dialect excel|tool] [--out DATEI]\n\n"
    "Schreibt alle Einträge einer Art so, dass hafen import sie wieder\n"
    "genau so einliest: Brüche exakt (216530/2903773), Daten eindeutig.\n"
    "CSV im Werkzeug-Dialekt (Komma, UTF-8) oder mit --dialect excel wie\n"
    "Excel in Deutschland (Semikolon, Dezimalkomma, TT.MM.JJJJ, UTF-8 mit\n"
    "BOM, deutsche Spaltennamen). XLSX braucht --out.\n"
    "Arten: units, indicators, keys, admissions, pledges, programmes.\n";
static const char exp_help_en[] =
    "Usage: hafen export KIND [--format csv|xlsx|json]\n"
    "        [--dialect excel|tool] [--out FILE]\n\n"
    "Writes every record of a kind so that hafen import reads it back to\n"
    "the same: fractions exact (216530/2903773), dates unambiguous. CSV\n"
    "in the tool dialect (comma, UTF-8) or with --dialect excel as German\n"
    "Excel writes it (semicolon, decimal comma, DD.MM.YYYY, UTF-8 with\n"
    "BOM, German column names). XLSX needs --out.\n"
    "Kinds: units, indicators, keys, admissions, pledges, programmes.\n";

int hf_cmd_export(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *dialect = NULL;
	hf_opt opts[] = {
	    {"dialect", HF_OPT_VALUE, &dialect, NULL, NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	hf_export_options o;
	hf_io_kind kind;
	hf_db *db = NULL;
	hf_error err;
	int npos, rc;

	rc = hf_opts_parse(cli, "export", argc, argv, opts, exp_help_de,
			   exp_help_en, pos, 1, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (npos != 1)
		return hf_cli_usage(cli, "export", "hafen export ART",
				    "hafen export KIND");
	if (hf_io_kind_parse(pos[0], &kind) < 0)
		return bad_kind(cli, "export", pos[0]);
	memset(&o, 0, sizeof o);
	o.format = cli->format == HF_FORMAT_JSON   ? HF_IO_JSON
		   : cli->format == HF_FORMAT_XLSX ? HF_IO_XLSX
						   : HF_IO_CSV;
	o.dialect = HF_DIALECT_TOOL;
	if (dialect && (hf_dialect_parse(dialect, &o.dialect) < 0 ||
			o.dialect == HF_DIALECT_AUTO))
		return hf_cli_usage(
		    cli, "export", "--dialect excel oder tool, nicht »%s«.",
		    "--dialect excel or tool, not '%s'.", dialect);
	o.lang = cli->lang;
	o.now = cli->now;
	if (o.format == HF_IO_XLSX && !cli->outpath)
		return hf_cli_usage(cli, "export", "XLSX braucht --out DATEI.",
				    "XLSX needs --out FILE.");
	hf_error_init(&err, cli->lang);
	if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
		return rc;
	if (hf_export(db, kind, &o, cli->outpath, cli->out, &err) < 0)
		rc = hf_cli_fail(cli, &err);
	hf_db_close(db);
	return rc;
}

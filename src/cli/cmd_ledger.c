/* cmd_ledger.c: hafen record, ledger, correct, admissions */
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

/* Options that describe one entry, shared by record and correct. */
typedef struct entry_opts {
	const char *unit, *persons, *date, *category, *household, *programme,
		*reference, *note;
} entry_opts;

#define ENTRY_OPTS(e)                                                          \
	{"unit", HF_OPT_VALUE, &(e).unit, NULL, NULL},                         \
		{"persons", HF_OPT_VALUE, &(e).persons, NULL, NULL},           \
		{"date", HF_OPT_VALUE, &(e).date, NULL, NULL},                 \
		{"category", HF_OPT_VALUE, &(e).category, NULL, NULL},         \
		{"household", HF_OPT_VALUE, &(e).household, NULL, NULL},       \
		{"programme", HF_OPT_VALUE, &(e).programme, NULL, NULL},       \
		{"reference", HF_OPT_VALUE, &(e).reference, NULL, NULL},       \
	{                                                                      \
		"note", HF_OPT_VALUE, &(e).note, NULL, NULL                    \
	}

static int bad_category(hf_cli *cli, const char *cmd, const char *v)
{
	int c;
	fprintf(cli->err,
		TR(cli, "hafen %s: Kategorie »%s« unbekannt. Kategorien:",
		   "hafen %s: unknown category '%s'. Categories:"),
		cmd, v);
	for (c = 0; c < HF_CAT_COUNT; c++)
		fprintf(cli->err, " %s",
			cli->lang == HF_LANG_EN
				? hf_category_slug_en((hf_category)c)
				: hf_category_slug((hf_category)c));
	fputc('\n', cli->err);
	return 2;
}

/* Applies the options set in e to a (fields not given stay). */
static int apply(hf_cli *cli, const char *cmd, const entry_opts *e,
		 hf_admission *a, hf_error *err)
{
	long long p;
	int rc;
	if (e->unit &&
	    hf_field_copy(a->unit, sizeof a->unit, e->unit, "unit", err) < 0)
		return hf_cli_fail(cli, err);
	if (e->persons) {
		if ((rc = hf_opts_int(cli, cmd, "persons", e->persons, &p)) != 0)
			return rc;
		a->persons = p;
	}
	if (e->date && (rc = hf_opts_date(cli, cmd, "date", e->date,
					  &a->date)) != 0)
		return rc;
	if (e->category && hf_category_parse(e->category, &a->category) < 0)
		return bad_category(cli, cmd, e->category);
	if ((e->household && hf_field_copy(a->household, sizeof a->household,
					   e->household, "household", err) < 0) ||
	    (e->programme && hf_field_copy(a->programme, sizeof a->programme,
					   e->programme, "programme", err) < 0) ||
	    (e->reference && hf_field_copy(a->reference, sizeof a->reference,
					   e->reference, "reference", err) < 0) ||
	    (e->note &&
	     hf_field_copy(a->note, sizeof a->note, e->note, "note", err) < 0))
		return hf_cli_fail(cli, err);
	return 0;
}

static const char rec_help_de[] =
	"Aufruf: hafen record --unit CODE --persons N --date DATUM\n"
	"        [--category KATEGORIE] [--household ID] [--programme NAME]\n"
	"        [--reference AKTENZEICHEN] [--note TEXT] [--override GRUND]\n\n"
	"Trägt einen Zugang ins Register ein. Das Register wird nur ergänzt,\n"
	"nie geändert: Fehler berichtigt hafen correct.\n"
	"Nennt --programme ein Aufnahmeprogramm, nimmt hafen über dessen\n"
	"Kontingent oder den Anteil der Einheit daran nur mit --override\n"
	"GRUND auf; die Überschreitung wird mit Grund, Person und Zeit\n"
	"festgehalten (hafen programme overrides).\n"
	"Kategorien: regulaer (Standard), sicherer-hafen, bundesprogramm,\n"
	"landesprogramm, resettlement, familiennachzug, umverteilung-ab,\n"
	"umverteilung-zu, fortzug.\n"
	"Haushalt: eine pseudonyme Kennung (Buchstaben, Ziffern, . _ : -),\n"
	"niemals ein Name.\n";
static const char rec_help_en[] =
	"Usage: hafen record --unit CODE --persons N --date DATE\n"
	"        [--category CATEGORY] [--household ID] [--programme NAME]\n"
	"        [--reference FILE-NO] [--note TEXT] [--override REASON]\n\n"
	"Records one admission in the ledger. The ledger is only appended to,\n"
	"never changed: mistakes are corrected with hafen correct.\n"
	"Where --programme names an admission programme, hafen admits beyond\n"
	"its contingent or the unit's share of it only with --override\n"
	"REASON; the override is logged with reason, user and time\n"
	"(hafen programme overrides).\n"
	"Categories: regular (default), safe-harbour, federal-programme,\n"
	"land-programme, resettlement, family-reunification, transfer-out,\n"
	"transfer-in, departure (or the German names).\n"
	"Household: a pseudonymous id (letters, digits, . _ : -), never a\n"
	"name.\n";

static void stamp(hf_cli *cli, hf_admission *a)
{
	snprintf(a->recorded_by, sizeof a->recorded_by, "%s", cli->user);
	a->recorded_at = cli->now;
}

int hf_cmd_record(hf_cli *cli, int argc, char **argv)
{
	entry_opts e;
	const char *pos[1], *override = NULL;
	hf_opt opts[] = {ENTRY_OPTS(e),
			 {"override", HF_OPT_VALUE, &override, NULL, NULL},
			 {NULL, 0, NULL, NULL, NULL}};
	hf_admission a;
	hf_db *db = NULL;
	hf_error err;
	size_t used = 0;
	int npos, rc;

	memset(&e, 0, sizeof e);
	rc = hf_opts_parse(cli, "record", argc, argv, opts, rec_help_de,
			   rec_help_en, pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!e.unit || !e.persons || !e.date)
		return hf_cli_usage(cli, "record",
				    "--unit, --persons und --date sind nötig.",
				    "--unit, --persons and --date are needed.");
	memset(&a, 0, sizeof a);
	a.category = HF_CAT_REGULAR;
	hf_error_init(&err, cli->lang);
	if ((rc = apply(cli, "record", &e, &a, &err)) != 0)
		return rc;
	if (hf_field_copy(a.recorded_by, sizeof a.recorded_by, cli->user,
			  "user", &err) < 0)
		return hf_cli_fail(cli, &err);
	stamp(cli, &a);
	if ((rc = hf_cli_open(cli, 0, &db)) != 0)
		return rc;
	if ((override ? hf_db_ledger_append_override(db, &a, 1, override,
						     cli->user, cli->now,
						     &used, &err)
		      : hf_db_ledger_append(db, &a, 1, &err)) < 0)
		rc = hf_cli_fail(cli, &err);
	else if (cli->format == HF_FORMAT_JSON)
		fprintf(cli->out, "{\"id\": %lld, \"override\": %s}\n",
			(long long)a.id, used ? "true" : "false");
	else if (used)
		fprintf(cli->out,
			TR(cli,
			   "Eintrag %lld gespeichert, über das Kontingent "
			   "hinaus; die Überschreitung ist festgehalten.\n",
			   "Entry %lld recorded beyond the contingent; the "
			   "override is logged.\n"),
			(long long)a.id);
	else
		fprintf(cli->out,
			TR(cli, "Eintrag %lld gespeichert.%s\n",
			   "Entry %lld recorded.%s\n"),
			(long long)a.id,
			override ? TR(cli,
				      " Keine Überschreitung nötig, nichts "
				      "festgehalten.",
				      " No override was needed; none logged.")
				 : "");
	hf_db_close(db);
	return rc;
}

static const hf_col ledger_cols[] = {
	{"id", "Nr.", "No.", HF_COL_INT, 0},
	{"date", "Datum", "Date", HF_COL_STR, 0},
	{"unit", "Einheit", "Unit", HF_COL_STR, 0},
	{"persons", "Personen", "Persons", HF_COL_INT, 0},
	{"category", "Kategorie", "Category", HF_COL_STR, 0},
	{"household", "Haushalt", "Household", HF_COL_STR, 0},
	{"programme", "Programm", "Programme", HF_COL_STR, 0},
	{"reference", "Aktenzeichen", "Reference", HF_COL_STR, 0},
	{"corrects", "berichtigt", "Corrects", HF_COL_INT, 0},
	{"recorded_by", "erfasst von", "Recorded by", HF_COL_STR, 0},
	{"note", "Vermerk", "Note", HF_COL_STR, 0},
	{"pair", "Paar", "Pair", HF_COL_INT, 0},
};

static const char led_help_de[] =
	"Aufruf: hafen ledger [--unit CODE] [--category KATEGORIE]\n"
	"        [--programme NAME] [--household ID] [--from DATUM] [--to DATUM]\n"
	"        [--limit N]\n\n"
	"Zeigt die Einträge des Registers in der Reihenfolge der Erfassung.\n"
	"Berichtigungen erscheinen als eigene Einträge mit negativer\n"
	"Personenzahl, die den berichtigten Eintrag nennen.\n";
static const char led_help_en[] =
	"Usage: hafen ledger [--unit CODE] [--category CATEGORY]\n"
	"        [--programme NAME] [--household ID] [--from DATE] [--to DATE]\n"
	"        [--limit N]\n\n"
	"Lists the ledger entries in the order they were recorded.\n"
	"Corrections appear as entries of their own with negative persons that\n"
	"name the entry they correct.\n";

/* Shared by ledger and admissions: the filter options. */
static int make_filter(hf_cli *cli, const char *cmd, const char *unit,
		       const char *category, const char *from, const char *to,
		       hf_ledger_filter *f)
{
	hf_category c;
	int rc;
	f->unit = unit;
	if (category) {
		if (hf_category_parse(category, &c) < 0)
			return bad_category(cli, cmd, category);
		f->category = (int)c;
	}
	if (from && (rc = hf_opts_date(cli, cmd, "from", from, &f->from)) != 0)
		return rc;
	if (to && (rc = hf_opts_date(cli, cmd, "to", to, &f->to)) != 0)
		return rc;
	return 0;
}

int hf_cmd_ledger(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *unit = NULL, *category = NULL, *programme = NULL,
			    *household = NULL, *from = NULL, *to = NULL,
			    *limit = NULL;
	hf_opt opts[] = {
		{"unit", HF_OPT_VALUE, &unit, NULL, NULL},
		{"category", HF_OPT_VALUE, &category, NULL, NULL},
		{"programme", HF_OPT_VALUE, &programme, NULL, NULL},
		{"household", HF_OPT_VALUE, &household, NULL, NULL},
		{"from", HF_OPT_VALUE, &from, NULL, NULL},
		{"to", HF_OPT_VALUE, &to, NULL, NULL},
		{"limit", HF_OPT_VALUE, &limit, NULL, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	hf_ledger_filter f = hf_ledger_filter_all();
	hf_admission *a = NULL;
	hf_db *db = NULL;
	hf_error err;
	hf_out *t;
	size_t n = 0, i;
	int npos, rc;

	rc = hf_opts_parse(cli, "ledger", argc, argv, opts, led_help_de,
			   led_help_en, pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = make_filter(cli, "ledger", unit, category, from, to, &f)) !=
	    0)
		return rc;
	f.programme = programme;
	f.household = household;
	if (limit) {
		long long l;
		if ((rc = hf_opts_positive(cli, "ledger", "limit", limit,
					   &l)) != 0)
			return rc;
		f.limit = (size_t)l;
	}
	hf_error_init(&err, cli->lang);
	if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
		return rc;
	if (hf_db_ledger_list(db, &f, &a, &n, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	if (n)
		hf_cli_log_read(cli, unit ? unit : "*", n);
	if (!(t = hf_out_new(ledger_cols, 12))) {
		rc = 3;
		goto out;
	}
	for (i = 0; i < n; i++) {
		char d[11];
		hf_date_format(a[i].date, d);
		hf_out_row(t);
		hf_out_int(t, a[i].id);
		hf_out_str(t, d);
		hf_out_str(t, a[i].unit);
		hf_out_int(t, a[i].persons);
		hf_out_str(t, cli->lang == HF_LANG_EN
				      ? hf_category_slug_en(a[i].category)
				      : hf_category_slug(a[i].category));
		hf_out_str(t, a[i].household);
		hf_out_str(t, a[i].programme);
		hf_out_str(t, a[i].reference);
		if (a[i].corrects)
			hf_out_int(t, a[i].corrects);
		else
			hf_out_null(t);
		hf_out_str(t, a[i].recorded_by);
		hf_out_str(t, a[i].note);
		if (a[i].pair)
			hf_out_int(t, a[i].pair);
		else
			hf_out_null(t);
	}
	rc = hf_out_print(t, cli);
	hf_out_free(t);
out:
	free(a);
	hf_db_close(db);
	return rc;
}

static const char cor_help_de[] =
	"Aufruf: hafen correct NR [--note TEXT]\n"
	"        [--unit CODE] [--persons N] [--date DATUM] [--category K]\n"
	"        [--household ID] [--programme NAME] [--reference AZ]\n\n"
	"Berichtigt Eintrag NR: hafen bucht ihn mit einem Gegeneintrag aus\n"
	"(gleiche Einheit und Kategorie, negative Personenzahl, verweist auf\n"
	"NR). Werden Felder angegeben, folgt ein neuer Eintrag mit den\n"
	"berichtigten Werten (übrige Felder wie in NR). Beides in einem\n"
	"Schritt; nichts wird überschrieben.\n";
static const char cor_help_en[] =
	"Usage: hafen correct NO [--note TEXT]\n"
	"        [--unit CODE] [--persons N] [--date DATE] [--category C]\n"
	"        [--household ID] [--programme NAME] [--reference REF]\n\n"
	"Corrects entry NO: hafen reverses it with a new entry (same unit and\n"
	"category, negated persons, naming NO). Where fields are given, a new\n"
	"entry with the corrected values follows (other fields as in NO).\n"
	"Both in one step; nothing is overwritten.\n";

int hf_cmd_correct(hf_cli *cli, int argc, char **argv)
{
	entry_opts e;
	const char *pos[1];
	hf_opt opts[] = {ENTRY_OPTS(e), {NULL, 0, NULL, NULL, NULL}};
	hf_admission orig, repl;
	hf_db *db = NULL;
	hf_error err;
	long long id;
	int64_t rev = 0;
	int npos, rc, replace;

	memset(&e, 0, sizeof e);
	rc = hf_opts_parse(cli, "correct", argc, argv, opts, cor_help_de,
			   cor_help_en, pos, 1, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (npos != 1)
		return hf_cli_usage(cli, "correct",
				    "welcher Eintrag? hafen correct NR",
				    "which entry? hafen correct NO");
	if ((rc = hf_opts_int(cli, "correct", "NR", pos[0], &id)) != 0)
		return rc;
	replace = e.unit || e.persons || e.date || e.category || e.household ||
		  e.programme || e.reference;
	hf_error_init(&err, cli->lang);
	if ((rc = hf_cli_open(cli, 0, &db)) != 0)
		return rc;
	if (hf_db_ledger_get(db, id, &orig, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	repl = orig;
	repl.id = 0;
	repl.corrects = 0;
	repl.pair = 0;
	repl.note[0] = '\0';
	if ((rc = apply(cli, "correct", &e, &repl, &err)) != 0)
		goto out;
	stamp(cli, &repl);
	if (hf_db_ledger_correct(db, id, HF_DATE_NONE, cli->user, cli->now,
				 e.note ? e.note : "",
				 replace ? &repl : NULL, &rev, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	if (replace)
		fprintf(cli->out,
			TR(cli,
			   "Eintrag %lld ausgebucht durch Eintrag %lld, "
			   "berichtigt durch Eintrag %lld.\n",
			   "Entry %lld reversed by entry %lld, corrected by "
			   "entry %lld.\n"),
			id, (long long)rev, (long long)repl.id);
	else
		fprintf(cli->out,
			TR(cli, "Eintrag %lld ausgebucht durch Eintrag %lld.\n",
			   "Entry %lld reversed by entry %lld.\n"),
			id, (long long)rev);
out:
	hf_db_close(db);
	return rc;
}

static const char adm_help_de[] =
	"Aufruf: hafen admissions --since DATUM [--until DATUM]\n"
	"        [--category KATEGORIE] [--unit CODE] [--by-year]\n\n"
	"Summen der Zugänge seit einem Datum nach Einheit und Kategorie (mit\n"
	"--by-year auch nach Jahr), Berichtigungen eingerechnet, mit Summe.\n"
	"Beispiel: hafen admissions --since 2019-01-01 --category "
	"sicherer-hafen\n";
static const char adm_help_en[] =
	"Usage: hafen admissions --since DATE [--until DATE]\n"
	"        [--category CATEGORY] [--unit CODE] [--by-year]\n\n"
	"Sums of admissions since a date by unit and category (with --by-year\n"
	"also by year), corrections included, with a total.\n"
	"Example: hafen admissions --since 2019-01-01 --category "
	"sicherer-hafen\n";

/* the year column only with --by-year: it is the last but two */
static const hf_col adm_cols[] = {
	{"unit", "Code", "Code", HF_COL_STR, 0},
	{"name", "Einheit", "Unit", HF_COL_STR, 0},
	{"category", "Kategorie", "Category", HF_COL_STR, 0},
	{"year", "Jahr", "Year", HF_COL_INT, 0},
	{"persons", "Personen", "Persons", HF_COL_INT, 0},
	{"entries", "Einträge", "Entries", HF_COL_INT, 0},
};
static const hf_col adm_cols_no_year[] = {
	{"unit", "Code", "Code", HF_COL_STR, 0},
	{"name", "Einheit", "Unit", HF_COL_STR, 0},
	{"category", "Kategorie", "Category", HF_COL_STR, 0},
	{"persons", "Personen", "Persons", HF_COL_INT, 0},
	{"entries", "Einträge", "Entries", HF_COL_INT, 0},
};

int hf_cmd_admissions(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *since = NULL, *until = NULL, *category = NULL,
			    *unit = NULL;
	int by_year = 0;
	hf_opt opts[] = {
		{"since", HF_OPT_VALUE, &since, NULL, NULL},
		{"until", HF_OPT_VALUE, &until, NULL, NULL},
		{"category", HF_OPT_VALUE, &category, NULL, NULL},
		{"unit", HF_OPT_VALUE, &unit, NULL, NULL},
		{"by-year", HF_OPT_FLAG, NULL, &by_year, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	hf_ledger_filter f = hf_ledger_filter_all();
	hf_ledger_sum *s = NULL;
	hf_db *db = NULL;
	hf_error err;
	hf_out *t;
	size_t n = 0, i;
	long long persons = 0, entries = 0;
	int npos, rc;
	unsigned group = HF_GROUP_UNIT | HF_GROUP_CATEGORY;

	rc = hf_opts_parse(cli, "admissions", argc, argv, opts, adm_help_de,
			   adm_help_en, pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!since)
		return hf_cli_usage(cli, "admissions", "--since DATUM fehlt.",
				    "--since DATE is missing.");
	if ((rc = make_filter(cli, "admissions", unit, category, since, until,
			      &f)) != 0)
		return rc;
	if (by_year)
		group |= HF_GROUP_YEAR;
	hf_error_init(&err, cli->lang);
	if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
		return rc;
	if (hf_db_ledger_aggregate(db, &f, group, &s, &n, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	if (!(t = by_year ? hf_out_new(adm_cols, 6)
			  : hf_out_new(adm_cols_no_year, 5))) {
		rc = 3;
		goto out;
	}
	for (i = 0; i < n; i++) {
		hf_unit u;
		if (hf_db_unit_get(db, s[i].unit, &u, &err) < 0)
			u.name[0] = '\0';
		hf_out_row(t);
		hf_out_str(t, s[i].unit);
		hf_out_str(t, u.name);
		hf_out_str(t, cli->lang == HF_LANG_EN
				      ? hf_category_slug_en(
						(hf_category)s[i].category)
				      : hf_category_slug(
						(hf_category)s[i].category));
		if (by_year)
			hf_out_int(t, s[i].year);
		hf_out_int(t, s[i].persons);
		hf_out_int(t, s[i].entries);
		persons += hf_category_sign((hf_category)s[i].category) *
			   s[i].persons;
		entries += s[i].entries;
	}
	hf_out_row(t);
	hf_out_str(t, TR(cli, "Summe", "Total"));
	hf_out_str(t, "");
	hf_out_str(t, category ? category : "");
	if (by_year)
		hf_out_null(t);
	hf_out_int(t, persons);
	hf_out_int(t, entries);
	hf_out_mark_total(t);
	if (!category)
		hf_out_note(t, TR(cli,
				  "Summe netto: Abgänge (umverteilung-ab, "
				  "fortzug) sind abgezogen.",
				  "Net total: departures (transfer-out, "
				  "departure) are subtracted."));
	rc = hf_out_print(t, cli);
	hf_out_free(t);
out:
	free(s);
	hf_db_close(db);
	return rc;
}

/* cmd_allocate.c: hafen allocate: a batch of arriving households to units
 * by quota deficit, as a dry run or into the ledger */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
	"Aufruf: hafen allocate --key NAME --period ZEITRAUM --households DATEI\n"
	"        [--capacities DATEI] [--rule absolut|relativ] [--commit]\n"
	"        [--date DATUM] [--reference AZ]\n\n"
	"Weist ankommende Haushalte in der Reihenfolge der Datei zu, wie EASY\n"
	"und die Länder: die Einheit, die am weitesten unter ihrem Soll liegt,\n"
	"erhält den nächsten Haushalt; Haushalte werden nie geteilt; eine\n"
	"Einheit ohne freie Plätze oder ohne Zuständigkeit für das\n"
	"Herkunftsland wird übersprungen. Gleichstand: größerer Anteil, dann\n"
	"kleinerer Code. Ohne --commit nur Probelauf; mit --commit werden die\n"
	"Zuweisungen in einem Schritt als Regelverteilung ins Register\n"
	"eingetragen (Datum --date, sonst heute; es muss im Zeitraum liegen).\n\n"
	"Haushalte (CSV, Komma oder Semikolon): id, persons, optional origin.\n"
	"Kapazitäten (CSV): unit, optional places (freie Plätze im Zeitraum;\n"
	"leer: unbegrenzt), optional origins (zuständige Herkunftsländer,\n"
	"getrennt durch |; leer: alle). Einheiten ohne Zeile: unbegrenzt.\n";
static const char help_en[] =
	"Usage: hafen allocate --key NAME --period PERIOD --households FILE\n"
	"        [--capacities FILE] [--rule absolut|relativ] [--commit]\n"
	"        [--date DATE] [--reference REF]\n\n"
	"Allocates arriving households in file order, as EASY and the Länder\n"
	"do: the unit furthest below its quota receives the next household;\n"
	"households are never split; a unit without free places or not\n"
	"handling the household's country of origin is skipped. Ties: larger\n"
	"share, then smaller code. Without --commit a dry run; with --commit\n"
	"the allocations enter the ledger as regular distribution in one step\n"
	"(date --date, else today; it must lie in the period).\n\n"
	"Households (CSV, comma or semicolon): id, persons, optional origin.\n"
	"Capacities (CSV): unit, optional places (free places in the period;\n"
	"empty: unlimited), optional origins (countries of origin handled,\n"
	"separated by |; empty: all). Units without a row: unlimited.\n";

static const hf_col hh_cols[] = {
	{"household", "Haushalt", "Household", HF_COL_STR, 0},
	{"persons", "Personen", "Persons", HF_COL_INT, 0},
	{"unit", "Code", "Code", HF_COL_STR, 0},
	{"name", "Einheit", "Unit", HF_COL_STR, 0},
	{"deficit", "Defizit vorher", "Deficit before", HF_COL_RAT, 2},
	{"reason", "Begründung", "Reason", HF_COL_STR, 0},
};

static const hf_col unit_cols[] = {
	{"unit", "Code", "Code", HF_COL_STR, 0},
	{"name", "Einheit", "Unit", HF_COL_STR, 0},
	{"quota_before", "Soll vorher", "Quota before", HF_COL_RAT, 2},
	{"credited_before", "angerechnet vorher", "Credited before", HF_COL_RAT, 2},
	{"households", "Haushalte", "Households", HF_COL_INT, 0},
	{"persons", "Personen", "Persons", HF_COL_INT, 0},
	{"quota_after", "Soll nachher", "Quota after", HF_COL_RAT, 2},
	{"credited_after", "angerechnet nachher", "Credited after", HF_COL_RAT, 2},
	{"capacity_after", "freie Plätze", "Free places", HF_COL_INT, 0},
};

typedef struct job {
	hf_quota_table *t;
	hf_csv *households, *capacities;
	hf_alloc_unit *units;
	hf_alloc_household *hh;
	uint64_t *eligible; /* one bitmap per household with an origin */
	hf_alloc_result *res;
	hf_alloc_row *rows;
	size_t m, words;
} job;

static int data_error(hf_cli *cli, const char *where, const char *de,
		      const char *en, const char *value)
{
	fprintf(cli->err, "hafen: %s: ", where);
	fprintf(cli->err, TR(cli, de, en), value);
	fputc('\n', cli->err);
	return 2;
}

/* Whether origin appears in the |-separated list. */
static int lists(const char *list, const char *origin)
{
	size_t n = strlen(origin);
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, origin, n))
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* Capacities and competences by unit; row index per unit or -1. */
static int read_capacities(hf_cli *cli, job *j, long *row_of)
{
	size_t r, i;
	char where[300];

	for (i = 0; i < j->t->n; i++)
		row_of[i] = -1;
	if (!j->capacities)
		return 0;
	if (!hf_csv_has(j->capacities, "unit")) {
		hf_csv_where(j->capacities, 0, "unit", where, sizeof where);
		return data_error(cli, where, "Spalte %s fehlt.",
				  "column %s is missing.", "unit");
	}
	for (r = 0; r < hf_csv_nrows(j->capacities); r++) {
		const char *u = hf_csv_get(j->capacities, r, "unit");
		const char *pl = hf_csv_get(j->capacities, r, "places");
		int64_t v;
		for (i = 0; i < j->t->n; i++)
			if (!strcmp(j->t->units[i].code, u))
				break;
		hf_csv_where(j->capacities, r, "unit", where, sizeof where);
		if (i == j->t->n)
			return data_error(cli, where,
					  "%s ist keine Einheit dieses "
					  "Schlüssels.",
					  "%s is not a unit of this key.", u);
		if (row_of[i] >= 0)
			return data_error(cli, where,
					  "%s steht zweimal in der Datei.",
					  "%s appears twice in the file.", u);
		row_of[i] = (long)r;
		if (pl && *pl) {
			hf_csv_where(j->capacities, r, "places", where,
				     sizeof where);
			if (hf_int_parse(pl, &v) < 0 || v < 0)
				return data_error(
					cli, where,
					"»%s« ist keine Zahl freier Plätze "
					"(ganze Zahl ≥ 0).",
					"'%s' is not a number of free places "
					"(whole number >= 0).",
					pl);
			j->units[i].capacity = v;
		}
	}
	return 0;
}

static int read_households(hf_cli *cli, job *j, const long *row_of)
{
	const char *cols[] = {"id", "persons"};
	size_t r, i, c;
	char where[300];

	for (c = 0; c < 2; c++)
		if (!hf_csv_has(j->households, cols[c])) {
			hf_csv_where(j->households, 0, cols[c], where,
				     sizeof where);
			return data_error(cli, where, "Spalte %s fehlt.",
					  "column %s is missing.", cols[c]);
		}
	for (r = 0; r < j->m; r++) {
		const char *id = hf_csv_get(j->households, r, "id");
		const char *p = hf_csv_get(j->households, r, "persons");
		const char *o = hf_csv_get(j->households, r, "origin");
		int64_t v;
		hf_csv_where(j->households, r, "persons", where, sizeof where);
		if (hf_int_parse(p, &v) < 0 || v < 1)
			return data_error(cli, where,
					  "»%s«: ein Haushalt hat mindestens "
					  "eine Person (ganze Zahl).",
					  "'%s': a household has at least one "
					  "person (whole number).",
					  p);
		if (!*id || strlen(id) >= HF_HOUSEHOLD_MAX) {
			hf_csv_where(j->households, r, "id", where,
				     sizeof where);
			return data_error(cli, where,
					  "Kennung »%s« fehlt oder ist zu lang.",
					  "id '%s' is missing or too long.", id);
		}
		j->hh[r].persons = v;
		if (o && *o) {
			uint64_t *bits = j->eligible + r * j->words;
			for (i = 0; i < j->t->n; i++) {
				const char *list =
					row_of[i] >= 0
						? hf_csv_get(j->capacities,
							     (size_t)row_of[i],
							     "origins")
						: NULL;
				if (!list || !*list || lists(list, o))
					hf_alloc_eligible_set(bits, i);
			}
			j->hh[r].eligible = bits;
		}
	}
	return 0;
}

/* Why a household went where it went, in words. */
static void reason(hf_cli *cli, const hf_alloc_result *x, char *buf,
		   size_t size)
{
	size_t l;
	if (x->reason == HF_ALLOC_ASSIGNED)
		snprintf(buf, size, "%s",
			 TR(cli, "größtes Defizit zum Soll",
			    "largest deficit against quota"));
	else
		snprintf(buf, size, "%s",
			 hf_alloc_reason_text(x->reason, cli->lang));
	l = strlen(buf);
	if (x->skipped_capacity)
		snprintf(buf + l, size - l,
			 TR(cli, "; %zu ohne freie Plätze übersprungen",
			    "; %zu without free places skipped"),
			 x->skipped_capacity);
	l = strlen(buf);
	if (x->skipped_eligible)
		snprintf(buf + l, size - l,
			 TR(cli, "; %zu nicht zuständig für das Herkunftsland",
			    "; %zu not handling the country of origin"),
			 x->skipped_eligible);
}

static int print(hf_cli *cli, const job *j)
{
	hf_out *t = hf_out_new(hh_cols, 6), *u = NULL;
	char why[256];
	size_t r, i;
	int rc = 3;

	if (!t)
		return 3;
	for (r = 0; r < j->m; r++) {
		const hf_alloc_result *x = &j->res[r];
		hf_out_row(t);
		hf_out_str(t, hf_csv_get(j->households, r, "id"));
		hf_out_int(t, j->hh[r].persons);
		if (x->unit >= 0) {
			hf_out_str(t, j->t->units[x->unit].code);
			hf_out_str(t, j->t->units[x->unit].name);
			hf_out_rat(t, x->deficit);
		} else {
			hf_out_str(t, "");
			hf_out_str(t, "");
			hf_out_null(t);
		}
		reason(cli, x, why, sizeof why);
		hf_out_str(t, why);
	}
	if (cli->format == HF_FORMAT_TABLE && (rc = hf_out_print(t, cli)) != 0)
		goto out;
	if (!(u = hf_out_new(unit_cols, 9)))
		goto out;
	for (i = 0; i < j->t->n; i++) {
		const hf_alloc_row *w = &j->rows[i];
		hf_out_row(u);
		hf_out_str(u, j->t->units[i].code);
		hf_out_str(u, j->t->units[i].name);
		hf_out_rat(u, w->quota_before);
		hf_out_rat(u, w->credited_before);
		hf_out_int(u, w->households);
		hf_out_int(u, w->persons);
		hf_out_rat(u, w->quota_after);
		hf_out_rat(u, w->credited_after);
		if (w->capacity_after == HF_ALLOC_UNLIMITED)
			hf_out_null(u);
		else
			hf_out_int(u, w->capacity_after);
	}
	if (cli->format == HF_FORMAT_JSON) {
		json_t *root = hf_out_json(t), *units = hf_out_json(u);
		json_object_set(root, "units", json_object_get(units, "rows"));
		json_decref(units);
		rc = hf_out_print_json(cli, root);
		goto out;
	}
	if (cli->format == HF_FORMAT_TABLE)
		fputc('\n', cli->out);
	/* CSV gets the household list only: one table per file */
	rc = cli->format == HF_FORMAT_CSV ? hf_out_print(t, cli)
					  : hf_out_print(u, cli);
out:
	hf_out_free(u);
	hf_out_free(t);
	return rc;
}

static int commit(hf_cli *cli, hf_db *db, const job *j, hf_date date,
		  const char *reference)
{
	hf_admission *e = calloc(j->m ? j->m : 1, sizeof *e);
	hf_error err;
	size_t r, n = 0;
	int rc = 0;

	if (!e)
		return 3;
	hf_error_init(&err, cli->lang);
	for (r = 0; r < j->m; r++) {
		if (j->res[r].unit < 0)
			continue;
		e[n].date = date;
		memcpy(e[n].unit, j->t->units[j->res[r].unit].code,
		       HF_CODE_MAX);
		e[n].persons = j->hh[r].persons;
		e[n].category = HF_CAT_REGULAR;
		snprintf(e[n].household, sizeof e[n].household, "%s",
			 hf_csv_get(j->households, r, "id"));
		snprintf(e[n].reference, sizeof e[n].reference, "%s",
			 reference ? reference : "");
		snprintf(e[n].recorded_by, sizeof e[n].recorded_by, "%s",
			 cli->user);
		snprintf(e[n].note, sizeof e[n].note, "%s",
			 TR(cli, "Zuweisung nach Soll-Defizit",
			    "allocated by quota deficit"));
		e[n].recorded_at = cli->now;
		n++;
	}
	if (hf_db_ledger_append(db, e, n, &err) < 0)
		rc = hf_cli_fail(cli, &err);
	else if (cli->format == HF_FORMAT_TABLE)
		fprintf(cli->out,
			TR(cli, "\n%zu Zuweisungen ins Register eingetragen "
			   "(Einträge %lld bis %lld).\n",
			   "\n%zu allocations recorded in the ledger (entries "
			   "%lld to %lld).\n"),
			n, n ? (long long)e[0].id : 0LL,
			n ? (long long)e[n - 1].id : 0LL);
	free(e);
	return rc;
}

int hf_cmd_allocate(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *key = NULL, *period = NULL, *hfile = NULL,
			    *cfile = NULL, *rule = NULL, *date = NULL,
			    *reference = NULL;
	int do_commit = 0;
	hf_opt opts[] = {
		{"key", HF_OPT_VALUE, &key, NULL, NULL},
		{"period", HF_OPT_VALUE, &period, NULL, NULL},
		{"households", HF_OPT_VALUE, &hfile, NULL, NULL},
		{"capacities", HF_OPT_VALUE, &cfile, NULL, NULL},
		{"rule", HF_OPT_VALUE, &rule, NULL, NULL},
		{"date", HF_OPT_VALUE, &date, NULL, NULL},
		{"reference", HF_OPT_VALUE, &reference, NULL, NULL},
		{"commit", HF_OPT_FLAG, NULL, &do_commit, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	hf_alloc_rule r = HF_ALLOC_ABSOLUTE;
	hf_quota_options o;
	hf_period p;
	hf_db *db = NULL;
	hf_error err;
	hf_date day;
	long *row_of = NULL;
	job j;
	size_t i;
	int npos, rc;

	memset(&j, 0, sizeof j);
	rc = hf_opts_parse(cli, "allocate", argc, argv, opts, help_de, help_en,
			   pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!key || !period || !hfile)
		return hf_cli_usage(cli, "allocate",
				    "--key, --period und --households sind "
				    "nötig.",
				    "--key, --period and --households are "
				    "needed.");
	if (rule && hf_alloc_rule_parse(rule, &r) < 0)
		return hf_cli_usage(cli, "allocate",
				    "--rule absolut oder relativ.",
				    "--rule absolut or relativ.");
	if ((rc = hf_cli_quota_options(cli, "allocate", period, NULL, NULL,
				       NULL, &p, &o)) != 0)
		return rc;
	if (date) {
		if ((rc = hf_opts_date(cli, "allocate", "date", date, &day)) != 0)
			return rc;
	} else {
		time_t now = (time_t)cli->now;
		struct tm tm;
		gmtime_r(&now, &tm);
		hf_date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &day);
	}
	if (do_commit && (day < p.from || day > p.to))
		return hf_cli_usage(cli, "allocate",
				    "das Datum der Einträge (--date) muss im "
				    "Zeitraum liegen.",
				    "the date of the entries (--date) must lie "
				    "in the period.");
	hf_error_init(&err, cli->lang);
	if (hf_csv_read_file(hfile, &j.households, &err) < 0 ||
	    (cfile && hf_csv_read_file(cfile, &j.capacities, &err) < 0))
		return hf_cli_fail(cli, &err);
	if ((rc = hf_cli_open(cli, do_commit ? 0 : HF_DB_READONLY, &db)) != 0)
		goto out;
	if (do_commit && (rc = hf_db_begin(db, &err)) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	/* the state before the batch: credited figures of the period, read
	 * in the same transaction the allocations are written in */
	if (hf_quota_table_compute(db, key, NULL, p, &o, &j.t, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	if (hf_rat_cmp(j.t->key.credit[HF_CAT_REGULAR], hf_rat_int(1)) != 0) {
		fprintf(cli->err, "%s",
			TR(cli,
			   "hafen allocate: der Schlüssel rechnet die "
			   "Regelverteilung nicht mit 1 an; Zuweisung nach "
			   "Defizit setzt das voraus.\n",
			   "hafen allocate: the key does not credit regular "
			   "distribution with 1; allocation by deficit needs "
			   "that.\n"));
		rc = 2;
		goto out;
	}
	j.m = hf_csv_nrows(j.households);
	j.words = HF_ALLOC_WORDS(j.t->n);
	j.units = calloc(j.t->n + 1, sizeof *j.units);
	j.rows = calloc(j.t->n + 1, sizeof *j.rows);
	row_of = calloc(j.t->n + 1, sizeof *row_of);
	j.hh = calloc(j.m + 1, sizeof *j.hh);
	j.res = calloc(j.m + 1, sizeof *j.res);
	j.eligible = calloc(j.m * j.words + 1, sizeof *j.eligible);
	if (!j.units || !j.rows || !row_of || !j.hh || !j.res || !j.eligible) {
		rc = 3;
		goto out;
	}
	for (i = 0; i < j.t->n; i++) {
		j.units[i].share = j.t->rows[i].share;
		j.units[i].credited = j.t->rows[i].credited;
		j.units[i].capacity = HF_ALLOC_UNLIMITED;
	}
	if ((rc = read_capacities(cli, &j, row_of)) != 0 ||
	    (rc = read_households(cli, &j, row_of)) != 0)
		goto out;
	if (hf_alloc_run(r, j.units, j.t->n, j.hh, j.m, j.res, j.rows, &err) <
	    0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	if ((rc = print(cli, &j)) != 0)
		goto out;
	if (do_commit) {
		if ((rc = commit(cli, db, &j, day, reference)) != 0)
			goto out;
		if (hf_db_commit(db, &err) < 0)
			rc = hf_cli_fail(cli, &err);
	}
out:
	if (db && do_commit && rc)
		hf_db_rollback(db);
	free(row_of);
	free(j.eligible);
	free(j.res);
	free(j.hh);
	free(j.rows);
	free(j.units);
	hf_quota_table_free(j.t);
	hf_csv_free(j.capacities);
	hf_csv_free(j.households);
	hf_db_close(db);
	return rc;
}

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
	hf_alloc_input in; /* units, households and their eligibility */
	hf_alloc_result *res;
	hf_alloc_row *rows;
	size_t m;
} job;

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
		hf_out_int(t, j->in.hh[r].persons);
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
	hf_admission stamp, *e = NULL;
	hf_error err;
	size_t n = 0;
	int rc = 0;

	memset(&stamp, 0, sizeof stamp);
	stamp.date = date;
	snprintf(stamp.reference, sizeof stamp.reference, "%s",
		 reference ? reference : "");
	snprintf(stamp.recorded_by, sizeof stamp.recorded_by, "%s", cli->user);
	snprintf(stamp.note, sizeof stamp.note, "%s",
		 TR(cli, "Zuweisung nach Soll-Defizit",
		    "allocated by quota deficit"));
	stamp.recorded_at = cli->now;
	hf_error_init(&err, cli->lang);
	if (hf_alloc_entries(j->t, j->households, &j->in, j->res, &stamp, &e,
			     &n, &err) < 0)
		return hf_cli_fail(cli, &err);
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
	job j;
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
		day = hf_date_of_time(cli->now);
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
	if (hf_alloc_input_read(j.t, j.households, j.capacities, &j.in, &err) <
	    0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	j.m = j.in.m;
	j.rows = calloc(j.t->n + 1, sizeof *j.rows);
	j.res = calloc(j.m + 1, sizeof *j.res);
	if (!j.rows || !j.res) {
		rc = 3;
		goto out;
	}
	if (hf_alloc_run(r, j.in.units, j.t->n, j.in.hh, j.m, j.res, j.rows,
			 &err) < 0) {
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
	free(j.res);
	free(j.rows);
	hf_alloc_input_free(&j.in);
	hf_quota_table_free(j.t);
	hf_csv_free(j.capacities);
	hf_csv_free(j.households);
	hf_db_close(db);
	return rc;
}

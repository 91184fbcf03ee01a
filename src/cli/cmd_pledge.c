/* cmd_pledge.c: hafen pledge add|list|status|report */
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
    "Aufruf:\n"
    "  hafen pledge add --unit CODE --places N --from DATUM --to DATUM\n"
    "        [--programme NAME|alle] [--status STAND] [--note TEXT]\n"
    "  hafen pledge list [--unit CODE]\n"
    "  hafen pledge status NR STAND\n"
    "  hafen pledge report [--unit CODE]\n\n"
    "Aufnahmezusagen: Plätze, die eine Einheit über ihr Soll hinaus für\n"
    "ein Programm (oder für alle) in einem Zeitraum anbietet. Stand:\n"
    "zugesagt (verbindlich, Standard), vorgemerkt (auch: offen),\n"
    "zurueckgezogen.\n"
    "report zeigt je verbindlicher Zusage die Plätze, die durch\n"
    "Sonderaufnahmen (sicherer-hafen) belegt sind, und die offenen, und\n"
    "was die belegten für das Soll der Einheit bedeuten: so viele\n"
    "Personen rechnet der Schlüssel ihrer übergeordneten Einheit auf das\n"
    "Soll an. Eine Aufnahme belegt zuerst Zusagen für ihr Programm, dann\n"
    "Zusagen für alle, jeweils in der Reihenfolge der Nummern.\n";
static const char help_en[] =
    "Usage:\n"
    "  hafen pledge add --unit CODE --places N --from DATE --to DATE\n"
    "        [--programme NAME|any] [--status STATUS] [--note TEXT]\n"
    "  hafen pledge list [--unit CODE]\n"
    "  hafen pledge status NO STATUS\n"
    "  hafen pledge report [--unit CODE]\n\n"
    "Pledges (Aufnahmezusagen): places a unit offers beyond its quota for\n"
    "a programme (or any) in a period. Status: pledged (binding, the\n"
    "default), pending (or open), withdrawn (or the German names).\n"
    "report shows for each binding pledge the places used by special\n"
    "admissions (safe-harbour) and those still open, and what the used\n"
    "ones mean for the unit's quota: how many persons the key of its\n"
    "parent credits toward the quota. An admission takes pledges for its\n"
    "programme first, then pledges for any, each in order of number.\n";

static const char *any_name(hf_cli *cli, const char *programme)
{
	return programme[0] ? programme : TR(cli, "alle", "any");
}

static const char *status_slug(hf_cli *cli, hf_pledge_status s)
{
	return cli->lang == HF_LANG_EN ? hf_pledge_status_slug_en(s)
				       : hf_pledge_status_slug(s);
}

static const hf_col list_cols[] = {
    {"id", "Nr.", "No.", HF_COL_INT, 0},
    {"unit", "Einheit", "Unit", HF_COL_STR, 0},
    {"programme", "Programm", "Programme", HF_COL_STR, 0},
    {"places", "Plätze", "Places", HF_COL_INT, 0},
    {"from", "von", "From", HF_COL_STR, 0},
    {"to", "bis", "To", HF_COL_STR, 0},
    {"status", "Stand", "Status", HF_COL_STR, 0},
    {"note", "Vermerk", "Note", HF_COL_STR, 0},
};

static int pledge_list(hf_cli *cli, hf_db *db, const char *unit, hf_error *err)
{
	hf_pledge *p = NULL;
	hf_out *t;
	size_t n = 0, i;
	int rc;

	if (hf_db_pledge_list(db, unit, &p, &n, err) < 0)
		return hf_cli_fail(cli, err);
	if (!(t = hf_out_new(list_cols, 8))) {
		free(p);
		return 3;
	}
	for (i = 0; i < n; i++) {
		char a[11], b[11];
		hf_date_format(p[i].period.from, a);
		hf_date_format(p[i].period.to, b);
		hf_out_row(t);
		hf_out_int(t, p[i].id);
		hf_out_str(t, p[i].unit);
		hf_out_str(t, any_name(cli, p[i].programme));
		hf_out_int(t, p[i].places);
		hf_out_str(t, a);
		hf_out_str(t, b);
		hf_out_str(t, status_slug(cli, p[i].status));
		hf_out_str(t, p[i].note);
	}
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	free(p);
	return rc;
}

static const hf_col rep_cols[] = {
    {"unit", "Einheit", "Unit", HF_COL_STR, 0},
    {"id", "Zusage", "Pledge", HF_COL_INT, 0},
    {"programme", "Programm", "Programme", HF_COL_STR, 0},
    {"period", "Zeitraum", "Period", HF_COL_STR, 0},
    {"pledged", "zugesagt", "Pledged", HF_COL_INT, 0},
    {"used", "belegt", "Used", HF_COL_INT, 0},
    {"open", "offen", "Open", HF_COL_INT, 0},
    {"unpledged", "ohne Zusage", "Unpledged", HF_COL_INT, 0},
    {"key", "Schlüssel", "Key", HF_COL_STR, 0},
    {"credited", "aufs Soll", "Toward quota", HF_COL_RAT, 2},
};

static int pledge_report(hf_cli *cli, hf_db *db, const char *unit,
			 hf_error *err)
{
	hf_pledge_report *r = NULL;
	hf_out *t;
	size_t i, j = 0;
	int rc;

	if (hf_db_pledge_report(db, unit, &r, err) < 0)
		return hf_cli_fail(cli, err);
	if (!(t = hf_out_new(rep_cols, 10))) {
		hf_pledge_report_free(r);
		return 3;
	}
	hf_out_title(t, TR(cli, "Aufnahmezusagen: belegte und offene Plätze",
			   "Pledges: used and open places"));
	for (i = 0; i < r->nunits; i++) {
		const hf_pledge_unit *u = &r->units[i];
		for (; j < r->n && !strcmp(r->rows[j].pledge.unit, u->unit);
		     j++) {
			const hf_pledge_row *row = &r->rows[j];
			char ps[32];
			hf_period_format(row->pledge.period, ps);
			hf_out_row(t);
			hf_out_str(t, u->unit);
			hf_out_int(t, row->pledge.id);
			hf_out_str(t, any_name(cli, row->pledge.programme));
			hf_out_str(t, ps);
			hf_out_int(t, row->pledge.places);
			hf_out_int(t, row->used);
			hf_out_int(t, row->open);
			hf_out_null(t);
			hf_out_str(t, row->key);
			if (row->key[0])
				hf_out_rat(t, row->credited);
			else
				hf_out_null(t);
		}
		hf_out_row(t);
		hf_out_str(t, u->unit);
		hf_out_null(t);
		hf_out_str(t, TR(cli, "Summe", "Total"));
		hf_out_str(t, "");
		hf_out_int(t, u->pledged);
		hf_out_int(t, u->used);
		hf_out_int(t, u->open);
		hf_out_int(t, u->unpledged);
		hf_out_str(t, "");
		hf_out_rat(t, u->credited);
	}
	hf_out_note(t, TR(cli,
			  "belegt: Sonderaufnahmen (sicherer-hafen) im "
			  "Zeitraum der Zusage, netto; ohne Zusage: "
			  "Sonderaufnahmen, die keine Zusage deckt.",
			  "used: special admissions (safe-harbour) in the "
			  "pledge's period, net; unpledged: special admissions "
			  "no pledge covers."));
	hf_out_note(t, TR(cli,
			  "aufs Soll: so viele Personen rechnet der Schlüssel "
			  "der übergeordneten Einheit den belegten Plätzen auf "
			  "das Soll an; 0 heißt, sie zählen über das Soll "
			  "hinaus. Leer: kein Schlüssel für den Zeitraum.",
			  "toward quota: how many persons the key of the "
			  "parent credits the used places toward the quota; 0 "
			  "means they count on top of it. Empty: no key for "
			  "the period."));
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	hf_pledge_report_free(r);
	return rc;
}

static int pledge_add(hf_cli *cli, const char *unit, const char *places,
		      const char *from, const char *to, const char *programme,
		      const char *status, const char *note, hf_error *err)
{
	hf_pledge p;
	hf_db *db = NULL;
	long long v;
	int rc;

	if (!unit || !places || !from || !to)
		return hf_cli_usage(cli, "pledge",
				    "pledge add braucht --unit, --places, "
				    "--from und --to.",
				    "pledge add needs --unit, --places, --from "
				    "and --to.");
	memset(&p, 0, sizeof p);
	p.status = HF_PLEDGE_PLEDGED;
	if (status && hf_pledge_status_parse(status, &p.status) < 0)
		return hf_cli_usage(cli, "pledge",
				    "--status »%s«: zugesagt, vorgemerkt oder "
				    "zurueckgezogen.",
				    "--status '%s': pledged, pending or "
				    "withdrawn.",
				    status);
	if ((rc = hf_opts_int(cli, "pledge", "places", places, &v)) != 0 ||
	    (rc = hf_opts_date(cli, "pledge", "from", from, &p.period.from)) !=
		0 ||
	    (rc = hf_opts_date(cli, "pledge", "to", to, &p.period.to)) != 0)
		return rc;
	p.places = v;
	p.recorded_at = cli->now;
	if (hf_field_copy(p.unit, sizeof p.unit, unit, "unit", err) < 0 ||
	    hf_field_copy(p.programme, sizeof p.programme, programme,
			  "programme", err) < 0 ||
	    hf_field_copy(p.note, sizeof p.note, note, "note", err) < 0 ||
	    hf_field_copy(p.recorded_by, sizeof p.recorded_by, cli->user,
			  "user", err) < 0)
		return hf_cli_fail(cli, err);
	if ((rc = hf_cli_open(cli, 0, &db)) != 0)
		return rc;
	if (hf_db_pledge_add(db, &p, err) < 0)
		rc = hf_cli_fail(cli, err);
	else if (cli->format == HF_FORMAT_JSON)
		fprintf(cli->out, "{\"id\": %lld}\n", (long long)p.id);
	else
		fprintf(cli->out,
			TR(cli, "Zusage %lld gespeichert.\n",
			   "Pledge %lld stored.\n"),
			(long long)p.id);
	hf_db_close(db);
	return rc;
}

int hf_cmd_pledge(hf_cli *cli, int argc, char **argv)
{
	const char *pos[3], *unit = NULL, *places = NULL, *from = NULL,
			    *to = NULL, *programme = NULL, *status = NULL,
			    *note = NULL;
	hf_opt opts[] = {
	    {"unit", HF_OPT_VALUE, &unit, NULL, NULL},
	    {"places", HF_OPT_VALUE, &places, NULL, NULL},
	    {"from", HF_OPT_VALUE, &from, NULL, NULL},
	    {"to", HF_OPT_VALUE, &to, NULL, NULL},
	    {"programme", HF_OPT_VALUE, &programme, NULL, NULL},
	    {"status", HF_OPT_VALUE, &status, NULL, NULL},
	    {"note", HF_OPT_VALUE, &note, NULL, NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	hf_db *db = NULL;
	hf_error err;
	int npos, rc;

	rc = hf_opts_parse(cli, "pledge", argc, argv, opts, help_de, help_en,
			   pos, 3, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	hf_error_init(&err, cli->lang);
	if (npos == 1 && !strcmp(pos[0], "add"))
		return pledge_add(cli, unit, places, from, to, programme,
				  status, note, &err);
	if (npos == 1 && !strcmp(pos[0], "list")) {
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) == 0)
			rc = pledge_list(cli, db, unit, &err);
	} else if (npos == 1 && !strcmp(pos[0], "report")) {
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) == 0)
			rc = pledge_report(cli, db, unit, &err);
	} else if (npos == 3 && !strcmp(pos[0], "status")) {
		hf_pledge_status s;
		long long id;
		if ((rc = hf_opts_int(cli, "pledge", "NR", pos[1], &id)) != 0)
			return rc;
		if (hf_pledge_status_parse(pos[2], &s) < 0)
			return hf_cli_usage(cli, "pledge",
					    "Stand »%s«: zugesagt, vorgemerkt "
					    "oder zurueckgezogen.",
					    "status '%s': pledged, pending or "
					    "withdrawn.",
					    pos[2]);
		if ((rc = hf_cli_open(cli, 0, &db)) != 0)
			return rc;
		if (hf_db_pledge_set_status(db, id, s, &err) < 0)
			rc = hf_cli_fail(cli, &err);
	} else {
		return hf_cli_usage(cli, "pledge",
				    "was tun? add, list, status NR STAND oder "
				    "report.",
				    "do what? add, list, status NO STATUS or "
				    "report.");
	}
	hf_db_close(db);
	return rc;
}

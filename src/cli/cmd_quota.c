/* cmd_quota.c: hafen quota: Aufnahmesoll and Erfüllung by unit */
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
	"Aufruf: hafen quota (--key NAME | --parent CODE) --period ZEITRAUM\n"
	"        [--method hare-niemeyer|dhondt|sainte-lague]\n"
	"        [--contingent N] [--carry-since JAHR]\n\n"
	"Aufnahmesoll und Erfüllung je Untereinheit: Anteil nach dem\n"
	"Schlüssel, Ist (Zugänge netto), angerechnet (nach den\n"
	"Anrechnungsregeln des Schlüssels, mit festen Anrechnungen), Soll\n"
	"(exakt: Anteil × alle angerechneten Zugänge, oder × --contingent),\n"
	"Soll in ganzen Personen (nach --method, Standard Hare-Niemeyer),\n"
	"Saldo (+ über, − unter dem Soll) und Erfüllung in Prozent.\n"
	"Zeitraum: 2023, 2023-H1, 2023-Q2, 2023-05 oder\n"
	"2023-01-01..2023-06-30. --carry-since 2021 überträgt die Salden der\n"
	"Jahre ab 2021 ins angefragte Jahr.\n"
	"Gleichstände beim Runden erhält die Einheit mit dem größeren Anteil,\n"
	"bei gleichem Anteil die mit dem kleineren Code.\n";
static const char help_en[] =
	"Usage: hafen quota (--key NAME | --parent CODE) --period PERIOD\n"
	"        [--method hare-niemeyer|dhondt|sainte-lague]\n"
	"        [--contingent N] [--carry-since YEAR]\n\n"
	"Quota (Aufnahmesoll) and fulfilment by child unit: share by the key,\n"
	"actual (net admissions), credited (by the key's crediting rules,\n"
	"standing credits included), quota (exact: share × all credited\n"
	"admissions, or × --contingent), quota in whole persons (by --method,\n"
	"default Hare-Niemeyer), balance (+ over, − under quota) and\n"
	"fulfilment in percent. Period: 2023, 2023-H1, 2023-Q2, 2023-05 or\n"
	"2023-01-01..2023-06-30. --carry-since 2021 carries the balances of\n"
	"the years from 2021 into the requested year.\n"
	"Ties in rounding go to the unit with the larger share, then to the\n"
	"smaller code.\n";

static const hf_col cols[] = {
	{"unit", "Code", "Code", HF_COL_STR, 0},
	{"name", "Einheit", "Unit", HF_COL_STR, 0},
	{"share", "Anteil %", "Share %", HF_COL_RAT, 5},
	{"actual", "Ist", "Actual", HF_COL_INT, 0},
	{"credited", "angerechnet", "Credited", HF_COL_RAT, 2},
	{"quota", "Soll", "Quota", HF_COL_RAT, 2},
	{"quota_rounded", "Soll (Pers.)", "Quota (pers.)", HF_COL_INT, 0},
	{"carry_in", "Übertrag", "Carried", HF_COL_RAT, 2},
	{"balance", "Saldo", "Balance", HF_COL_RAT, 2},
	{"percent", "Erfüllung %", "Fulfilled %", HF_COL_RAT, 1},
};
#define NCOLS ((int)(sizeof cols / sizeof cols[0]))

/* Shares print as percent for people and as the exact fraction of 1 in
 * JSON; JSON also gets the fraction's decimal. */
static hf_rat share_cell(hf_cli *cli, hf_rat s)
{
	if (cli->format != HF_FORMAT_JSON)
		hf_rat_mul(s, hf_rat_int(100), &s);
	return s;
}

static void row(hf_cli *cli, hf_out *t, const char *code, const char *name,
		hf_rat share, int64_t actual, const hf_rat *credited,
		const hf_rat *quota, int64_t rounded, const hf_rat *carry,
		const hf_rat *balance, const hf_rat *percent)
{
	hf_out_row(t);
	hf_out_str(t, code);
	hf_out_str(t, name);
	hf_out_rat(t, share_cell(cli, share));
	hf_out_int(t, actual);
	hf_out_rat(t, *credited);
	hf_out_rat(t, *quota);
	hf_out_int(t, rounded);
	hf_out_rat(t, *carry);
	hf_out_rat(t, *balance);
	if (percent)
		hf_out_rat(t, *percent);
	else
		hf_out_null(t);
}

static int print_table(hf_cli *cli, const hf_quota_table *q)
{
	hf_out *t = hf_out_new(cols, NCOLS);
	char title[512], ps[32], note[512];
	size_t i;
	int rc;

	if (!t)
		return 3;
	hf_period_format(q->period, ps);
	snprintf(title, sizeof title, "%s %s, %s %s (%s), %s: %s",
		 TR(cli, "Aufnahmesoll und Erfüllung", "Quota and fulfilment"),
		 ps, TR(cli, "Schlüssel", "key"), q->key.name, q->key.title,
		 TR(cli, "Einheit", "parent"), q->parent.name);
	hf_out_title(t, title);
	for (i = 0; i < q->n; i++) {
		const hf_quota_row *r = &q->rows[i];
		row(cli, t, q->units[i].code, q->units[i].name, r->share,
		    r->actual, &r->credited, &r->quota, r->quota_rounded,
		    &r->carry_in, &r->balance,
		    r->has_percent ? &r->percent : NULL);
	}
	{
		const hf_quota_total *s = &q->total;
		hf_rat pct;
		int has = s->quota.num != 0 &&
			  hf_rat_div(s->credited, s->quota, &pct) == HF_OK &&
			  hf_rat_mul(pct, hf_rat_int(100), &pct) == HF_OK;
		row(cli, t, TR(cli, "Summe", "Total"), q->parent.name,
		    hf_rat_int(1), s->actual, &s->credited, &s->quota,
		    s->base_rounded, &s->carry_in, &s->balance,
		    has ? &pct : NULL);
		hf_out_mark_total(t);
	}
	if (q->options.fixed)
		snprintf(note, sizeof note, "%s %lld %s.",
			 TR(cli, "Soll: Anteil am festen Kontingent von",
			    "Quota: share of the fixed contingent of"),
			 (long long)q->options.contingent,
			 TR(cli, "Personen", "persons"));
	else
		snprintf(note, sizeof note, "%s",
			 TR(cli,
			    "Soll: Anteil an allen angerechneten Zugängen der "
			    "Untereinheiten im Zeitraum (dynamisch).",
			    "Quota: share of all credited admissions of the "
			    "children in the period (dynamic)."));
	hf_out_note(t, note);
	snprintf(note, sizeof note, "%s: %s",
		 TR(cli, "Rundung auf ganze Personen", "Rounding to persons"),
		 hf_apportion_name(q->options.method, cli->lang));
	hf_out_note(t, note);
	{
		int c;
		char w[32];
		snprintf(note, sizeof note, "%s:",
			 TR(cli, "Angerechnet werden", "Credited categories"));
		const char *sep = " ";
		for (c = 0; c < HF_CAT_COUNT; c++) {
			size_t l = strlen(note);
			if (!q->key.credit[c].num)
				continue;
			hf_rat_format(q->key.credit[c], w, sizeof w);
			snprintf(note + l, sizeof note - l, "%s%s (×%s)", sep,
				 hf_category_name((hf_category)c, cli->lang),
				 w);
			sep = ", ";
		}
		hf_out_note(t, note);
	}
	if (q->carried_from) {
		snprintf(note, sizeof note,
			 TR(cli, "Übertrag: Salden der Jahre %d bis %d.",
			    "Carried: balances of the years %d to %d."),
			 q->carried_from, q->carried_to);
		hf_out_note(t, note);
	}
	snprintf(note, sizeof note, "%s: %s",
		 TR(cli, "Quelle des Schlüssels", "Source of the key"),
		 q->key.source);
	hf_out_note(t, note);
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	return rc;
}

int hf_cli_quota_options(hf_cli *cli, const char *cmd, const char *period,
			 const char *method, const char *contingent,
			 const char *carry, hf_period *p, hf_quota_options *o)
{
	long long v;
	int rc;

	*o = hf_quota_options_default();
	if ((rc = hf_period_parse(period, p)) < 0) {
		fprintf(cli->err,
			TR(cli,
			   "hafen %s: --period »%s«: z. B. 2023, 2023-H1, "
			   "2023-Q2, 2023-05 oder 2023-01-01..2023-06-30.\n",
			   "hafen %s: --period '%s': e.g. 2023, 2023-H1, "
			   "2023-Q2, 2023-05 or 2023-01-01..2023-06-30.\n"),
			cmd, period);
		return 2;
	}
	if (method && hf_apportion_parse(method, &o->method) < 0)
		return hf_cli_usage(cli, cmd,
				    "--method »%s«: hare-niemeyer, dhondt oder "
				    "sainte-lague.",
				    "--method '%s': hare-niemeyer, dhondt or "
				    "sainte-lague.",
				    method);
	if (contingent) {
		if ((rc = hf_opts_int(cli, cmd, "contingent", contingent,
				      &v)) != 0)
			return rc;
		if (v < 0) {
			fprintf(cli->err,
				TR(cli,
				   "hafen %s: --contingent darf nicht "
				   "negativ sein.\n",
				   "hafen %s: --contingent must not be "
				   "negative.\n"),
				cmd);
			return 2;
		}
		o->fixed = 1;
		o->contingent = v;
	}
	if (carry) {
		if ((rc = hf_opts_int(cli, cmd, "carry-since", carry, &v)) !=
		    0)
			return rc;
		o->carry_since = (int)v;
	}
	return 0;
}

int hf_cmd_quota(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *key = NULL, *parent = NULL, *period = NULL,
			    *method = NULL, *contingent = NULL, *carry = NULL;
	hf_opt opts[] = {
		{"key", HF_OPT_VALUE, &key, NULL, NULL},
		{"parent", HF_OPT_VALUE, &parent, NULL, NULL},
		{"period", HF_OPT_VALUE, &period, NULL, NULL},
		{"method", HF_OPT_VALUE, &method, NULL, NULL},
		{"contingent", HF_OPT_VALUE, &contingent, NULL, NULL},
		{"carry-since", HF_OPT_VALUE, &carry, NULL, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	hf_quota_options o;
	hf_quota_table *q = NULL;
	hf_period p;
	hf_db *db = NULL;
	hf_error err;
	int npos, rc;

	rc = hf_opts_parse(cli, "quota", argc, argv, opts, help_de, help_en,
			   pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((!key) == (!parent) || !period)
		return hf_cli_usage(cli, "quota",
				    "--key NAME oder --parent CODE, und "
				    "--period ZEITRAUM.",
				    "--key NAME or --parent CODE, and --period "
				    "PERIOD.");
	if ((rc = hf_cli_quota_options(cli, "quota", period, method,
				       contingent, carry, &p, &o)) != 0)
		return rc;
	hf_error_init(&err, cli->lang);
	if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
		return rc;
	if (hf_quota_table_compute(db, key, parent, p, &o, &q, &err) < 0)
		rc = hf_cli_fail(cli, &err);
	else
		rc = print_table(cli, q);
	hf_quota_table_free(q);
	hf_db_close(db);
	return rc;
}

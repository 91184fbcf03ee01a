/* cmd_explain.c: hafen explain: one unit's quota figure in plain words */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
	"Aufruf: hafen explain --unit CODE --period ZEITRAUM [--key NAME]\n"
	"        [--method VERFAHREN] [--contingent N] [--carry-since JAHR]\n\n"
	"Erklärt das Aufnahmesoll einer Einheit in Worten, mit jeder Zahl:\n"
	"Schlüssel und Quelle, Anteil, was die übergeordnete Einheit erhalten\n"
	"hat, angerechnete Kategorien und feste Anrechnungen, Übertrag,\n"
	"Rundungsverfahren und Ergebnis. Ohne --key gilt der Schlüssel der\n"
	"übergeordneten Einheit für den Zeitraum. Mit --format json folgen\n"
	"die Registereinträge hinter jeder Zahl, zum Nachprüfen.\n";
static const char help_en[] =
	"Usage: hafen explain --unit CODE --period PERIOD [--key NAME]\n"
	"        [--method METHOD] [--contingent N] [--carry-since YEAR]\n\n"
	"Explains a unit's quota in plain words, with every number in it: the\n"
	"key and its source, the share, what the parent received, the credited\n"
	"categories and standing credits, the balance carried in, the rounding\n"
	"method and the result. Without --key, the key of the parent valid for\n"
	"the period is used. With --format json the ledger entries behind each\n"
	"number follow, for an auditor to trace.\n";

static json_t *jrat(hf_rat r)
{
	char buf[48];
	hf_rat_format(r, buf, sizeof buf);
	return json_string(buf);
}

static json_t *jcats(const int64_t *p)
{
	json_t *o = json_object();
	int c;
	for (c = 0; c < HF_CAT_COUNT; c++)
		if (p[c])
			json_object_set_new(o, hf_category_slug((hf_category)c),
					    json_integer(p[c]));
	return o;
}

static int print_json(hf_cli *cli, hf_db *db, const hf_quota_table *t,
		      int i, const char *text)
{
	const hf_quota_row *r = &t->rows[i];
	hf_ledger_filter f = hf_ledger_filter_all();
	hf_admission *a = NULL;
	hf_error err;
	json_t *root = json_object(), *base = json_array(), *ents = json_array();
	char ps[32];
	size_t n = 0, j;
	int rc = 0, c;

	hf_error_init(&err, cli->lang);
	f.unit = t->units[i].code;
	f.from = t->period.from;
	f.to = t->period.to;
	if (hf_db_ledger_list(db, &f, &a, &n, &err) < 0) {
		json_decref(root);
		json_decref(base);
		json_decref(ents);
		return hf_cli_fail(cli, &err);
	}
	if (n)
		hf_cli_log_read(cli, t->units[i].code, n);
	hf_period_format(t->period, ps);
	json_object_set_new(root, "unit", json_string(t->units[i].code));
	json_object_set_new(root, "name", json_string(t->units[i].name));
	json_object_set_new(root, "key", json_string(t->key.name));
	json_object_set_new(root, "period", json_string(ps));
	json_object_set_new(root, "method",
			    json_string(hf_apportion_slug(t->options.method)));
	json_object_set_new(root, "share", jrat(r->share));
	json_object_set_new(root, "base", jrat(t->total.base));
	json_object_set_new(root, "actual", json_integer(r->actual));
	json_object_set_new(root, "actual_by_category", jcats(t->persons[i]));
	json_object_set_new(root, "standing", json_integer(r->standing));
	json_object_set_new(root, "credited", jrat(r->credited));
	json_object_set_new(root, "quota", jrat(r->quota));
	json_object_set_new(root, "quota_rounded",
			    json_integer(r->quota_rounded));
	json_object_set_new(root, "carry_in", jrat(r->carry_in));
	json_object_set_new(root, "balance", jrat(r->balance));
	json_object_set_new(root, "percent",
			    r->has_percent ? jrat(r->percent) : json_null());
	{
		json_t *cr = json_object();
		for (c = 0; c < HF_CAT_COUNT; c++)
			json_object_set_new(cr, hf_category_slug((hf_category)c),
					    jrat(t->key.credit[c]));
		json_object_set_new(root, "credit_rules", cr);
	}
	/* the base: every child's figures, each explainable in turn */
	for (j = 0; j < t->n; j++) {
		json_t *o = json_object();
		json_object_set_new(o, "unit", json_string(t->units[j].code));
		json_object_set_new(o, "credited", jrat(t->rows[j].credited));
		json_object_set_new(o, "by_category", jcats(t->persons[j]));
		json_array_append_new(base, o);
	}
	json_object_set_new(root, "base_by_unit", base);
	for (j = 0; j < n; j++) {
		json_t *o = json_object();
		char d[11];
		hf_date_format(a[j].date, d);
		json_object_set_new(o, "id", json_integer(a[j].id));
		json_object_set_new(o, "date", json_string(d));
		json_object_set_new(o, "unit", json_string(a[j].unit));
		json_object_set_new(o, "persons", json_integer(a[j].persons));
		json_object_set_new(
			o, "category",
			json_string(hf_category_slug(a[j].category)));
		json_object_set_new(o, "household", json_string(a[j].household));
		json_object_set_new(o, "reference", json_string(a[j].reference));
		json_object_set_new(o, "corrects",
				    a[j].corrects ? json_integer(a[j].corrects)
						  : json_null());
		json_array_append_new(ents, o);
	}
	json_object_set_new(root, "entries", ents);
	json_object_set_new(root, "text", json_string(text));
	rc = hf_out_print_json(cli, root);
	free(a);
	return rc;
}

int hf_cmd_explain(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *unit = NULL, *key = NULL, *period = NULL,
			    *method = NULL, *contingent = NULL, *carry = NULL;
	hf_opt opts[] = {
		{"unit", HF_OPT_VALUE, &unit, NULL, NULL},
		{"key", HF_OPT_VALUE, &key, NULL, NULL},
		{"period", HF_OPT_VALUE, &period, NULL, NULL},
		{"method", HF_OPT_VALUE, &method, NULL, NULL},
		{"contingent", HF_OPT_VALUE, &contingent, NULL, NULL},
		{"carry-since", HF_OPT_VALUE, &carry, NULL, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	hf_quota_options o;
	hf_quota_table *t = NULL;
	hf_unit u;
	hf_period p;
	hf_db *db = NULL;
	hf_error err;
	char *text = NULL;
	int npos, rc;

	rc = hf_opts_parse(cli, "explain", argc, argv, opts, help_de, help_en,
			   pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!unit || !period)
		return hf_cli_usage(cli, "explain",
				    "--unit CODE und --period ZEITRAUM sind "
				    "nötig.",
				    "--unit CODE and --period PERIOD are "
				    "needed.");
	if ((rc = hf_cli_quota_options(cli, "explain", period, method,
				       contingent, carry, &p, &o)) != 0)
		return rc;
	hf_error_init(&err, cli->lang);
	if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
		return rc;
	if (hf_db_unit_get(db, unit, &u, &err) < 0 ||
	    hf_quota_table_compute(db, key, u.parent, p, &o, &t, &err) < 0 ||
	    hf_explain_quota(t, unit, cli->lang, &text, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	if (cli->format == HF_FORMAT_JSON)
		rc = print_json(cli, db, t, hf_quota_table_find(t, unit), text);
	else
		fputs(text, cli->out);
out:
	free(text);
	hf_quota_table_free(t);
	hf_db_close(db);
	return rc;
}

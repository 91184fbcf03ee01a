/* cmd_key.c: hafen key list|show|add|compute|credit, hafen standing */
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
	"Aufruf:\n"
	"  hafen key list\n"
	"  hafen key show NAME\n"
	"  hafen key add NAME --parent CODE --from DATUM [--to DATUM]\n"
	"        --share CODE=PROZENT ... [--title TEXT] [--source TEXT]\n"
	"        [--computed-year JAHR] [--quota-year JAHR]\n"
	"  hafen key compute NAME --parent CODE --from DATUM [--to DATUM]\n"
	"        --weight KENNZAHL=GEWICHT ... --date STICHTAG [--cap 5/4]\n"
	"        [--title TEXT] [--source TEXT] [--dry-run]\n"
	"  hafen key credit NAME KATEGORIE GEWICHT\n\n"
	"Veröffentlichte Schlüssel (Königsteiner Schlüssel) werden genau so\n"
	"übernommen, wie sie gedruckt sind: jede Untereinheit einmal, Summe\n"
	"genau 100 %; sonst wird der Schlüssel abgelehnt, nicht angeglichen.\n"
	"Berechnete Schlüssel entstehen exakt aus gewichteten Kennzahlen,\n"
	"z. B. --weight population=1 (AuslAufnVO § 7) oder\n"
	"--weight population=9/10 --weight area=1/10 --cap 5/4 (FlüAG NRW § 3).\n"
	"computed-year ist das Jahr, für das der Schlüssel berechnet wurde,\n"
	"quota-year das Jahr, dessen Aufnahmesoll er bestimmt.\n"
	"key credit legt fest, wie viel ein Zugang einer Kategorie auf das\n"
	"Soll angerechnet wird (Anrechnung; meist 0 oder 1).\n";
static const char help_en[] =
	"Usage:\n"
	"  hafen key list\n"
	"  hafen key show NAME\n"
	"  hafen key add NAME --parent CODE --from DATE [--to DATE]\n"
	"        --share CODE=PERCENT ... [--title TEXT] [--source TEXT]\n"
	"        [--computed-year YEAR] [--quota-year YEAR]\n"
	"  hafen key compute NAME --parent CODE --from DATE [--to DATE]\n"
	"        --weight INDICATOR=WEIGHT ... --date REFDATE [--cap 5/4]\n"
	"        [--title TEXT] [--source TEXT] [--dry-run]\n"
	"  hafen key credit NAME CATEGORY WEIGHT\n\n"
	"Published keys (Königsteiner Schlüssel) are taken exactly as printed:\n"
	"each child once, summing to exactly 100 %; otherwise the key is\n"
	"refused, not normalised. Computed keys are derived exactly from\n"
	"weighted indicators, e.g. --weight population=1 (AuslAufnVO § 7) or\n"
	"--weight population=9/10 --weight area=1/10 --cap 5/4 (FlüAG NRW § 3).\n"
	"computed-year is the year the key was computed for, quota-year the\n"
	"year whose quota it sets. key credit sets how much an admission of a\n"
	"category counts toward the quota (Anrechnung; usually 0 or 1).\n";

static void fmt_date(hf_date d, char buf[11])
{
	if (d == HF_DATE_NONE)
		buf[0] = '\0';
	else
		hf_date_format(d, buf);
}

static const hf_col list_cols[] = {
	{"key", "Schlüssel", "Key", HF_COL_STR, 0},
	{"title", "Bezeichnung", "Title", HF_COL_STR, 0},
	{"parent", "Einheit", "Parent", HF_COL_STR, 0},
	{"kind", "Art", "Kind", HF_COL_STR, 0},
	{"valid_from", "gültig ab", "Valid from", HF_COL_STR, 0},
	{"valid_to", "gültig bis", "Valid to", HF_COL_STR, 0},
	{"computed_year", "berechnet für", "Computed for", HF_COL_INT, 0},
	{"quota_year", "Solljahr", "Quota year", HF_COL_INT, 0},
};

static int key_list(hf_cli *cli, hf_db *db)
{
	hf_key *keys = NULL;
	hf_out *t;
	size_t n = 0, i;
	hf_error err;
	char a[11], b[11];
	int rc;

	hf_error_init(&err, cli->lang);
	if (hf_db_key_list(db, &keys, &n, &err) < 0)
		return hf_cli_fail(cli, &err);
	if (!(t = hf_out_new(list_cols, 8))) {
		free(keys);
		return 3;
	}
	for (i = 0; i < n; i++) {
		hf_out_row(t);
		hf_out_str(t, keys[i].name);
		hf_out_str(t, keys[i].title);
		hf_out_str(t, keys[i].parent);
		hf_out_str(t, hf_key_kind_slug(keys[i].kind));
		fmt_date(keys[i].valid_from, a);
		fmt_date(keys[i].valid_to, b);
		hf_out_str(t, a);
		hf_out_str(t, b);
		if (keys[i].computed_year)
			hf_out_int(t, keys[i].computed_year);
		else
			hf_out_null(t);
		if (keys[i].quota_year)
			hf_out_int(t, keys[i].quota_year);
		else
			hf_out_null(t);
	}
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	free(keys);
	return rc;
}

static const hf_col share_cols[] = {
	{"unit", "Code", "Code", HF_COL_STR, 0},
	{"name", "Einheit", "Unit", HF_COL_STR, 0},
	{"share", "Anteil (%)", "Share (%)", HF_COL_RAT, 5},
};

/* Shares as percent in tables (5 decimals, as published), exact fraction
 * of 1 in JSON. */
static int print_shares(hf_cli *cli, hf_db *db, const hf_key *k)
{
	hf_out *t = hf_out_new(share_cols, 3);
	hf_rat sum = hf_rat_int(0);
	char title[512], a[11], b[11], c[512];
	size_t i;
	int rc, ci;

	if (!t)
		return 3;
	fmt_date(k->valid_from, a);
	fmt_date(k->valid_to, b);
	snprintf(title, sizeof title, "%s: %s (%s %s, %s %s%s%s)", k->name,
		 k->title, TR(cli, "Einheit", "parent"), k->parent,
		 TR(cli, "gültig", "valid"), a, b[0] ? " .. " : " ..", b);
	hf_out_title(t, title);
	for (i = 0; i < k->nshares; i++) {
		hf_unit u;
		hf_rat v = k->shares[i].share;
		hf_error err;
		hf_error_init(&err, cli->lang);
		if (hf_db_unit_get(db, k->shares[i].unit, &u, &err) < 0)
			snprintf(u.name, sizeof u.name, "?");
		if (cli->format != HF_FORMAT_JSON)
			hf_rat_mul(v, hf_rat_int(100), &v);
		hf_out_row(t);
		hf_out_str(t, k->shares[i].unit);
		hf_out_str(t, u.name);
		hf_out_rat(t, v);
		hf_rat_add(sum, v, &sum);
	}
	hf_out_row(t);
	hf_out_str(t, TR(cli, "Summe", "Total"));
	hf_out_str(t, "");
	hf_out_rat(t, sum);
	hf_out_mark_total(t);
	snprintf(c, sizeof c, "%s: %s", TR(cli, "Quelle", "Source"), k->source);
	hf_out_note(t, c);
	if (k->kind == HF_KEY_COMPUTED) {
		char d[11], w[64];
		size_t j;
		fmt_date(k->ref_date, d);
		snprintf(c, sizeof c, "%s %s:",
			 TR(cli, "Berechnet aus Kennzahlen am",
			    "Computed from indicators at"),
			 d);
		for (j = 0; j < k->nweights; j++) {
			size_t l = strlen(c);
			hf_rat_format(k->weights[j].weight, w, sizeof w);
			snprintf(c + l, sizeof c - l, " %s × %s", w,
				 k->weights[j].indicator);
		}
		if (k->cap.num) {
			size_t l = strlen(c);
			hf_rat_format(k->cap, w, sizeof w);
			snprintf(c + l, sizeof c - l, "; %s %s", 
				 TR(cli, "Kappung", "cap"), w);
		}
		hf_out_note(t, c);
	}
	snprintf(c, sizeof c, "%s:", TR(cli, "Anrechnung", "Crediting"));
	for (ci = 0; ci < HF_CAT_COUNT; ci++) {
		char w[64];
		size_t l = strlen(c);
		if (!k->credit[ci].num)
			continue;
		hf_rat_format(k->credit[ci], w, sizeof w);
		snprintf(c + l, sizeof c - l, " %s=%s",
			 hf_category_slug((hf_category)ci), w);
	}
	hf_out_note(t, c);
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	return rc;
}

/* "CODE=VALUE" into its two halves. */
static int split_pair(const char *s, char *left, size_t lsize,
		      const char **right)
{
	const char *eq = strchr(s, '=');
	size_t len;
	if (!eq)
		return -1;
	len = (size_t)(eq - s);
	if (len == 0 || len >= lsize)
		return -1;
	memcpy(left, s, len);
	left[len] = '\0';
	*right = eq + 1;
	return 0;
}

/* Fields common to add and compute. */
static int fill_key(hf_cli *cli, hf_key *k, const char *name,
		    const char *parent, const char *from, const char *to,
		    const char *title, const char *source, const char *cy,
		    const char *qy, hf_error *err)
{
	long long y;
	int rc;
	if (hf_field_copy(k->name, sizeof k->name, name, "name", err) < 0 ||
	    hf_field_copy(k->parent, sizeof k->parent, parent, "parent", err) <
		    0 ||
	    hf_field_copy(k->title, sizeof k->title, title ? title : name,
			  "title", err) < 0 ||
	    hf_field_copy(k->source, sizeof k->source, source ? source : "",
			  "source", err) < 0)
		return hf_cli_fail(cli, err);
	if ((rc = hf_opts_date(cli, "key", "from", from, &k->valid_from)) != 0)
		return rc;
	if (to && (rc = hf_opts_date(cli, "key", "to", to, &k->valid_to)) != 0)
		return rc;
	if (cy) {
		if ((rc = hf_opts_int(cli, "key", "computed-year", cy, &y)) != 0)
			return rc;
		k->computed_year = (int)y;
	}
	if (qy) {
		if ((rc = hf_opts_int(cli, "key", "quota-year", qy, &y)) != 0)
			return rc;
		k->quota_year = (int)y;
	}
	return 0;
}

static int key_compute(hf_cli *cli, hf_db *db, hf_key *k, const char **w,
		       int nw, const char *date, const char *cap, hf_error *err)
{
	int j, rc = 0;

	if ((rc = hf_opts_date(cli, "key", "date", date, &k->ref_date)) != 0)
		return rc;
	if (nw > HF_KEY_WEIGHTS_MAX)
		return hf_cli_usage(cli, "key", "höchstens %d --weight.",
				    "at most %d --weight.", HF_KEY_WEIGHTS_MAX);
	for (j = 0; j < nw; j++) {
		const char *v;
		if (split_pair(w[j], k->weights[j].indicator,
			       sizeof k->weights[j].indicator, &v) < 0 ||
		    hf_rat_parse(v, &k->weights[j].weight) < 0)
			return hf_cli_usage(cli, "key",
					    "--weight »%s«: erwartet "
					    "KENNZAHL=GEWICHT, z. B. "
					    "population=9/10.",
					    "--weight '%s': expected "
					    "INDICATOR=WEIGHT, e.g. "
					    "population=9/10.",
					    w[j]);
	}
	k->nweights = (size_t)nw;
	if (cap && hf_rat_parse(cap, &k->cap) < 0)
		return hf_cli_usage(cli, "key", "--cap »%s«: erwartet einen "
				    "Bruch wie 5/4.",
				    "--cap '%s': expected a fraction like 5/4.",
				    cap);
	if (hf_db_key_compute(db, k, err) < 0)
		rc = hf_cli_fail(cli, err);
	return rc;
}

int hf_cmd_key(hf_cli *cli, int argc, char **argv)
{
	const char *pos[4], *parent = NULL, *from = NULL, *to = NULL,
			    *title = NULL, *source = NULL, *cy = NULL,
			    *qy = NULL, *date = NULL, *cap = NULL;
	const char *share[HF_OPT_MAX_REPEAT], *weight[HF_OPT_MAX_REPEAT];
	int nshare = 0, nweight = 0, dry = 0;
	hf_opt opts[] = {
		{"parent", HF_OPT_VALUE, &parent, NULL, NULL},
		{"from", HF_OPT_VALUE, &from, NULL, NULL},
		{"to", HF_OPT_VALUE, &to, NULL, NULL},
		{"title", HF_OPT_VALUE, &title, NULL, NULL},
		{"source", HF_OPT_VALUE, &source, NULL, NULL},
		{"computed-year", HF_OPT_VALUE, &cy, NULL, NULL},
		{"quota-year", HF_OPT_VALUE, &qy, NULL, NULL},
		{"date", HF_OPT_VALUE, &date, NULL, NULL},
		{"cap", HF_OPT_VALUE, &cap, NULL, NULL},
		{"share", HF_OPT_LIST, NULL, &nshare, share},
		{"weight", HF_OPT_LIST, NULL, &nweight, weight},
		{"dry-run", HF_OPT_FLAG, NULL, &dry, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	hf_db *db = NULL;
	hf_error err;
	hf_key k;
	int npos, rc, i;

	rc = hf_opts_parse(cli, "key", argc, argv, opts, help_de, help_en, pos,
			   4, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (npos < 1)
		return hf_cli_usage(cli, "key",
				    "was tun? list, show, add, compute oder "
				    "credit.",
				    "do what? list, show, add, compute or "
				    "credit.");
	hf_error_init(&err, cli->lang);
	hf_key_init(&k);
	if (!strcmp(pos[0], "list")) {
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) == 0)
			rc = key_list(cli, db);
	} else if (!strcmp(pos[0], "show")) {
		if (npos != 2)
			return hf_cli_usage(cli, "key", "key show NAME",
					    "key show NAME");
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
			return rc;
		if (hf_db_key_get(db, pos[1], &k, &err) < 0)
			rc = hf_cli_fail(cli, &err);
		else
			rc = print_shares(cli, db, &k);
	} else if (!strcmp(pos[0], "add") || !strcmp(pos[0], "compute")) {
		int add = !strcmp(pos[0], "add");
		if (npos != 2 || !parent || !from)
			return hf_cli_usage(cli, "key",
					    "key %s NAME --parent CODE --from "
					    "DATUM ...",
					    "key %s NAME --parent CODE --from "
					    "DATE ...",
					    pos[0]);
		if (add && (!nshare || nweight))
			return hf_cli_usage(cli, "key",
					    "key add braucht --share CODE=PROZENT "
					    "für jede Untereinheit.",
					    "key add needs --share CODE=PERCENT "
					    "for every child.");
		if (!add && (!nweight || nshare || !date))
			return hf_cli_usage(cli, "key",
					    "key compute braucht --weight "
					    "KENNZAHL=GEWICHT und --date STICHTAG.",
					    "key compute needs --weight "
					    "INDICATOR=WEIGHT and --date REFDATE.");
		if ((rc = fill_key(cli, &k, pos[1], parent, from, to, title,
				   source, cy, qy, &err)) != 0)
			goto out;
		if (add) {
			k.kind = HF_KEY_PUBLISHED;
			k.shares = calloc((size_t)nshare, sizeof *k.shares);
			if (!k.shares) {
				rc = 3;
				goto out;
			}
			for (i = 0; i < nshare; i++) {
				const char *v;
				hf_rat r;
				if (split_pair(share[i], k.shares[i].unit,
					       HF_CODE_MAX, &v) < 0 ||
				    hf_rat_parse_decimal(v, &r) < 0 ||
				    hf_rat_div(r, hf_rat_int(100),
					       &k.shares[i].share) < 0) {
					rc = hf_cli_usage(
						cli, "key",
						"--share »%s«: erwartet "
						"CODE=PROZENT, z. B. "
						"01=3,38791.",
						"--share '%s': expected "
						"CODE=PERCENT, e.g. "
						"01=3.38791.",
						share[i]);
					goto out;
				}
				k.nshares++;
			}
		} else {
			k.kind = HF_KEY_COMPUTED;
		}
		if ((rc = hf_cli_open(cli, dry ? HF_DB_READONLY : 0, &db)) != 0)
			goto out;
		if (!add && (rc = key_compute(cli, db, &k, weight, nweight,
					      date, cap, &err)) != 0)
			goto out;
		if (dry) {
			rc = print_shares(cli, db, &k);
		} else if (hf_db_key_add(db, &k, &err) < 0) {
			rc = hf_cli_fail(cli, &err);
		} else {
			fprintf(cli->out,
				TR(cli, "Schlüssel %s gespeichert (%zu Anteile, "
				   "Summe 100 %%).\n",
				   "Key %s stored (%zu shares, summing to "
				   "100 %%).\n"),
				k.name, k.nshares);
		}
	} else if (!strcmp(pos[0], "credit")) {
		hf_category c;
		hf_rat w;
		if (npos != 4)
			return hf_cli_usage(cli, "key",
					    "key credit NAME KATEGORIE GEWICHT",
					    "key credit NAME CATEGORY WEIGHT");
		if (hf_category_parse(pos[2], &c) < 0)
			return hf_cli_usage(cli, "key",
					    "Kategorie »%s« unbekannt.",
					    "unknown category '%s'.", pos[2]);
		if (hf_rat_parse(pos[3], &w) < 0)
			return hf_cli_usage(cli, "key",
					    "Gewicht »%s« ist keine Zahl.",
					    "weight '%s' is not a number.",
					    pos[3]);
		if ((rc = hf_cli_open(cli, 0, &db)) != 0)
			return rc;
		if (hf_db_key_set_credit(db, pos[1], c, w, &err) < 0)
			rc = hf_cli_fail(cli, &err);
	} else {
		return hf_cli_usage(cli, "key",
				    "»%s«? list, show, add, compute oder "
				    "credit.",
				    "'%s'? list, show, add, compute or credit.",
				    pos[0]);
	}
out:
	hf_key_clear(&k);
	hf_db_close(db);
	return rc;
}

static const char st_help_de[] =
	"Aufruf:\n"
	"  hafen standing add --key NAME --unit CODE --from DATUM --to DATUM\n"
	"        --persons N [--reason TEXT]\n"
	"  hafen standing list --key NAME --period ZEITRAUM\n\n"
	"Feste Anrechnung: eine Zahl von Personen, die einer Einheit für einen\n"
	"Zeitraum auf ihr Soll angerechnet wird, z. B. Plätze in\n"
	"Landesunterkünften (AuslAufnVO § 7 (4)).\n";
static const char st_help_en[] =
	"Usage:\n"
	"  hafen standing add --key NAME --unit CODE --from DATE --to DATE\n"
	"        --persons N [--reason TEXT]\n"
	"  hafen standing list --key NAME --period PERIOD\n\n"
	"Standing credit: a number of persons credited to a unit for a period,\n"
	"e.g. places in Land reception facilities (AuslAufnVO § 7 (4)).\n";

static const hf_col st_cols[] = {
	{"id", "Nr.", "No.", HF_COL_INT, 0},
	{"key", "Schlüssel", "Key", HF_COL_STR, 0},
	{"unit", "Einheit", "Unit", HF_COL_STR, 0},
	{"from", "von", "From", HF_COL_STR, 0},
	{"to", "bis", "To", HF_COL_STR, 0},
	{"persons", "Personen", "Persons", HF_COL_INT, 0},
	{"reason", "Grund", "Reason", HF_COL_STR, 0},
};

int hf_cmd_standing(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *key = NULL, *unit = NULL, *from = NULL,
			    *to = NULL, *persons = NULL, *reason = NULL,
			    *period = NULL;
	hf_opt opts[] = {
		{"key", HF_OPT_VALUE, &key, NULL, NULL},
		{"unit", HF_OPT_VALUE, &unit, NULL, NULL},
		{"from", HF_OPT_VALUE, &from, NULL, NULL},
		{"to", HF_OPT_VALUE, &to, NULL, NULL},
		{"persons", HF_OPT_VALUE, &persons, NULL, NULL},
		{"reason", HF_OPT_VALUE, &reason, NULL, NULL},
		{"period", HF_OPT_VALUE, &period, NULL, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	hf_db *db = NULL;
	hf_error err;
	int npos, rc;

	rc = hf_opts_parse(cli, "standing", argc, argv, opts, st_help_de,
			   st_help_en, pos, 1, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	hf_error_init(&err, cli->lang);
	if (npos == 1 && !strcmp(pos[0], "add")) {
		hf_standing s;
		long long p;
		memset(&s, 0, sizeof s);
		if (!key || !unit || !from || !to || !persons)
			return hf_cli_usage(cli, "standing",
					    "standing add braucht --key, --unit, "
					    "--from, --to und --persons.",
					    "standing add needs --key, --unit, "
					    "--from, --to and --persons.");
		if ((rc = hf_opts_date(cli, "standing", "from", from,
				       &s.from)) != 0 ||
		    (rc = hf_opts_date(cli, "standing", "to", to, &s.to)) != 0 ||
		    (rc = hf_opts_int(cli, "standing", "persons", persons,
				      &p)) != 0)
			return rc;
		s.persons = p;
		if (hf_field_copy(s.key, sizeof s.key, key, "key", &err) < 0 ||
		    hf_field_copy(s.unit, sizeof s.unit, unit, "unit", &err) <
			    0 ||
		    hf_field_copy(s.reason, sizeof s.reason,
				  reason ? reason : "", "reason", &err) < 0)
			return hf_cli_fail(cli, &err);
		if ((rc = hf_cli_open(cli, 0, &db)) != 0)
			return rc;
		if (hf_db_standing_add(db, &s, &err) < 0)
			rc = hf_cli_fail(cli, &err);
		else
			fprintf(cli->out,
				TR(cli, "Feste Anrechnung %lld gespeichert.\n",
				   "Standing credit %lld stored.\n"),
				(long long)s.id);
	} else if (npos == 1 && !strcmp(pos[0], "list")) {
		hf_standing *s = NULL;
		hf_period p;
		size_t n = 0, i;
		hf_out *t;
		if (!key || !period)
			return hf_cli_usage(cli, "standing",
					    "standing list --key NAME --period "
					    "ZEITRAUM",
					    "standing list --key NAME --period "
					    "PERIOD");
		if (hf_period_parse(period, &p) < 0)
			return hf_cli_usage(cli, "standing",
					    "--period »%s«: z. B. 2023, 2023-H1, "
					    "2023-05 oder 2023-01-01..2023-06-30.",
					    "--period '%s': e.g. 2023, 2023-H1, "
					    "2023-05 or 2023-01-01..2023-06-30.",
					    period);
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
			return rc;
		if (hf_db_standing_list(db, key, p, &s, &n, &err) < 0) {
			rc = hf_cli_fail(cli, &err);
		} else if ((t = hf_out_new(st_cols, 7))) {
			for (i = 0; i < n; i++) {
				char a[11], b[11];
				hf_date_format(s[i].from, a);
				hf_date_format(s[i].to, b);
				hf_out_row(t);
				hf_out_int(t, s[i].id);
				hf_out_str(t, s[i].key);
				hf_out_str(t, s[i].unit);
				hf_out_str(t, a);
				hf_out_str(t, b);
				hf_out_int(t, s[i].persons);
				hf_out_str(t, s[i].reason);
			}
			rc = hf_out_print(t, cli);
			hf_out_free(t);
		}
		free(s);
	} else {
		return hf_cli_usage(cli, "standing", "was tun? add oder list.",
				    "do what? add or list.");
	}
	hf_db_close(db);
	return rc;
}

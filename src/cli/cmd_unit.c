/* cmd_unit.c: hafen unit list|show|add|contact|join, hafen indicator
 * set|list */
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char unit_help_de[] =
	"Aufruf:\n"
	"  hafen unit list [--parent CODE]\n"
	"  hafen unit show CODE\n"
	"  hafen unit add CODE NAME --kind ART [--parent CODE]\n"
	"  hafen unit contact CODE [--office TEXT] [--email ADR] [--phone NR]\n"
	"  hafen unit join CODE --alliance NAME [--since DATUM] [--source "
	"TEXT]\n\n"
	"Einheiten sind Gebietskörperschaften mit amtlichem Schlüssel: AGS/ARS\n"
	"in Deutschland (Lübeck 01003000, Kreis Dithmarschen 01051), ISO 3166\n"
	"für Staaten (DE). Arten: staat, land, regierungsbezirk, kreis,\n"
	"kreisfreie-stadt, gemeinde, union.\n";
static const char unit_help_en[] =
	"Usage:\n"
	"  hafen unit list [--parent CODE]\n"
	"  hafen unit show CODE\n"
	"  hafen unit add CODE NAME --kind KIND [--parent CODE]\n"
	"  hafen unit contact CODE [--office TEXT] [--email ADDR] [--phone NO]\n"
	"  hafen unit join CODE --alliance NAME [--since DATE] [--source "
	"TEXT]\n\n"
	"Units are places with an official code: AGS/ARS in Germany (Lübeck\n"
	"01003000, Kreis Dithmarschen 01051), ISO 3166 for states (DE).\n"
	"Kinds: staat (state), land, regierungsbezirk, kreis,\n"
	"kreisfreie-stadt, gemeinde, union.\n";

static const hf_col unit_cols[] = {
	{"unit", "Code", "Code", HF_COL_STR, 0},
	{"name", "Name", "Name", HF_COL_STR, 0},
	{"kind", "Art", "Kind", HF_COL_STR, 0},
	{"parent", "Übergeordnet", "Parent", HF_COL_STR, 0},
};

static int print_units(hf_cli *cli, const hf_unit *u, size_t n)
{
	hf_out *t = hf_out_new(unit_cols, 4);
	size_t i;
	int rc;
	if (!t)
		return 3;
	for (i = 0; i < n; i++) {
		hf_out_row(t);
		hf_out_str(t, u[i].code);
		hf_out_str(t, u[i].name);
		hf_out_str(t, hf_unit_kind_name(u[i].kind, cli->lang));
		hf_out_str(t, u[i].parent);
	}
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	return rc;
}

static int unit_list(hf_cli *cli, hf_db *db, const char *parent)
{
	hf_unit *u = NULL;
	size_t n = 0;
	hf_error err;
	int rc;
	hf_error_init(&err, cli->lang);
	if (parent && hf_db_unit_get(db, parent, &(hf_unit){0}, &err) < 0)
		return hf_cli_fail(cli, &err);
	if (hf_db_unit_list(db, parent, &u, &n, &err) < 0)
		return hf_cli_fail(cli, &err);
	rc = print_units(cli, u, n);
	free(u);
	return rc;
}

static const hf_col ind_cols[] = {
	{"unit", "Einheit", "Unit", HF_COL_STR, 0},
	{"indicator", "Kennzahl", "Indicator", HF_COL_STR, 0},
	{"ref_date", "Stichtag", "Reference date", HF_COL_STR, 0},
	{"value", "Wert", "Value", HF_COL_RAT, 2},
	{"source", "Quelle", "Source", HF_COL_STR, 0},
};

static int print_indicators(hf_cli *cli, const hf_indicator *ind, size_t n)
{
	hf_out *t = hf_out_new(ind_cols, 5);
	char d[11];
	size_t i;
	int rc;
	if (!t)
		return 3;
	for (i = 0; i < n; i++) {
		hf_out_row(t);
		hf_out_str(t, ind[i].unit);
		hf_out_str(t, ind[i].name);
		hf_date_format(ind[i].ref_date, d);
		hf_out_str(t, d);
		hf_out_rat(t, ind[i].value);
		hf_out_str(t, ind[i].source);
	}
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	return rc;
}

static int unit_show(hf_cli *cli, hf_db *db, const char *code)
{
	hf_unit u, *children = NULL;
	hf_indicator *ind = NULL;
	hf_membership *m = NULL;
	hf_contact c;
	size_t nc = 0, ni = 0, nm = 0, i;
	hf_error err;
	int rc = 0, has_contact;

	hf_error_init(&err, cli->lang);
	if (hf_db_unit_get(db, code, &u, &err) < 0 ||
	    hf_db_unit_list(db, code, &children, &nc, &err) < 0 ||
	    hf_db_indicator_list(db, code, NULL, &ind, &ni, &err) < 0 ||
	    hf_db_membership_list(db, NULL, code, &m, &nm, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	has_contact = hf_db_contact_get(db, code, &c, &err) == HF_OK;
	if (cli->format != HF_FORMAT_TABLE) {
		/* scripts get the unit itself and its figures */
		if ((rc = print_units(cli, &u, 1)) == 0)
			rc = print_indicators(cli, ind, ni);
		goto out;
	}
	fprintf(cli->out, "%s %s (%s)\n", u.code, u.name,
		hf_unit_kind_name(u.kind, cli->lang));
	if (u.parent[0])
		fprintf(cli->out, "%s: %s\n",
			TR(cli, "Übergeordnet", "Parent"), u.parent);
	if (has_contact)
		fprintf(cli->out, "%s: %s, %s, %s\n",
			TR(cli, "Ansprechstelle", "Contact office"), c.office,
			c.email, c.phone);
	for (i = 0; i < nm; i++) {
		char d[11] = "";
		if (m[i].joined != HF_DATE_NONE)
			hf_date_format_de(m[i].joined, d);
		fprintf(cli->out, "%s: %s%s%s\n",
			TR(cli, "Bündnis", "Alliance"), m[i].alliance,
			d[0] ? TR(cli, " seit ", " since ") : "", d);
	}
	if (nc)
		fprintf(cli->out, "%s: %zu\n",
			TR(cli, "Untereinheiten", "Children"), nc);
	if (ni) {
		fputc('\n', cli->out);
		rc = print_indicators(cli, ind, ni);
	}
out:
	free(m);
	free(ind);
	free(children);
	return rc;
}

int hf_cmd_unit(hf_cli *cli, int argc, char **argv)
{
	const char *pos[3], *parent = NULL, *kind = NULL, *office = NULL,
			    *email = NULL, *phone = NULL, *alliance = NULL,
			    *since = NULL, *source = NULL;
	hf_opt opts[] = {
		{"parent", HF_OPT_VALUE, &parent, NULL, NULL},
		{"kind", HF_OPT_VALUE, &kind, NULL, NULL},
		{"office", HF_OPT_VALUE, &office, NULL, NULL},
		{"email", HF_OPT_VALUE, &email, NULL, NULL},
		{"phone", HF_OPT_VALUE, &phone, NULL, NULL},
		{"alliance", HF_OPT_VALUE, &alliance, NULL, NULL},
		{"since", HF_OPT_VALUE, &since, NULL, NULL},
		{"source", HF_OPT_VALUE, &source, NULL, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	hf_db *db = NULL;
	hf_error err;
	int npos, rc;

	rc = hf_opts_parse(cli, "unit", argc, argv, opts, unit_help_de,
			   unit_help_en, pos, 3, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (npos < 1)
		return hf_cli_usage(cli, "unit", "was tun? list, show, add, "
				    "contact oder join.",
				    "do what? list, show, add, contact or "
				    "join.");
	hf_error_init(&err, cli->lang);
	if (!strcmp(pos[0], "list")) {
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
			return rc;
		rc = unit_list(cli, db, parent);
	} else if (!strcmp(pos[0], "show")) {
		if (npos != 2)
			return hf_cli_usage(cli, "unit", "unit show CODE",
					    "unit show CODE");
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
			return rc;
		rc = unit_show(cli, db, pos[1]);
	} else if (!strcmp(pos[0], "add")) {
		hf_unit u;
		memset(&u, 0, sizeof u);
		if (npos != 3 || !kind)
			return hf_cli_usage(cli, "unit",
					    "unit add CODE NAME --kind ART "
					    "[--parent CODE]",
					    "unit add CODE NAME --kind KIND "
					    "[--parent CODE]");
		if (hf_unit_kind_parse(kind, &u.kind) < 0)
			return hf_cli_usage(cli, "unit",
					    "--kind: »%s« unbekannt; erlaubt: "
					    "staat, land, regierungsbezirk, "
					    "kreis, kreisfreie-stadt, gemeinde, "
					    "union.",
					    "--kind: '%s' unknown; allowed: "
					    "staat, land, regierungsbezirk, "
					    "kreis, kreisfreie-stadt, gemeinde, "
					    "union.",
					    kind);
		if (hf_field_copy(u.code, sizeof u.code, pos[1], "code", &err) <
			    0 ||
		    hf_field_copy(u.name, sizeof u.name, pos[2], "name", &err) <
			    0 ||
		    hf_field_copy(u.parent, sizeof u.parent,
				  parent ? parent : "", "parent", &err) < 0)
			return hf_cli_fail(cli, &err);
		if ((rc = hf_cli_open(cli, HF_DB_CREATE, &db)) != 0)
			return rc;
		if (hf_db_unit_add(db, &u, &err) < 0)
			rc = hf_cli_fail(cli, &err);
		else
			fprintf(cli->out,
				TR(cli, "Einheit %s (%s) angelegt.\n",
				   "Unit %s (%s) added.\n"),
				u.code, u.name);
	} else if (!strcmp(pos[0], "contact")) {
		hf_contact c;
		memset(&c, 0, sizeof c);
		if (npos != 2)
			return hf_cli_usage(cli, "unit", "unit contact CODE ...",
					    "unit contact CODE ...");
		if (hf_field_copy(c.unit, sizeof c.unit, pos[1], "unit", &err) <
			    0 ||
		    hf_field_copy(c.office, sizeof c.office,
				  office ? office : "", "office", &err) < 0 ||
		    hf_field_copy(c.email, sizeof c.email, email ? email : "",
				  "email", &err) < 0 ||
		    hf_field_copy(c.phone, sizeof c.phone, phone ? phone : "",
				  "phone", &err) < 0)
			return hf_cli_fail(cli, &err);
		if ((rc = hf_cli_open(cli, 0, &db)) != 0)
			return rc;
		if (hf_db_contact_set(db, &c, &err) < 0)
			rc = hf_cli_fail(cli, &err);
	} else if (!strcmp(pos[0], "join")) {
		hf_membership m;
		memset(&m, 0, sizeof m);
		m.joined = HF_DATE_NONE;
		if (npos != 2 || !alliance)
			return hf_cli_usage(cli, "unit",
					    "unit join CODE --alliance NAME",
					    "unit join CODE --alliance NAME");
		if (since && (rc = hf_opts_date(cli, "unit", "since", since,
						&m.joined)) != 0)
			return rc;
		if (hf_field_copy(m.unit, sizeof m.unit, pos[1], "unit", &err) <
			    0 ||
		    hf_field_copy(m.alliance, sizeof m.alliance, alliance,
				  "alliance", &err) < 0 ||
		    hf_field_copy(m.source, sizeof m.source,
				  source ? source : "", "source", &err) < 0)
			return hf_cli_fail(cli, &err);
		if ((rc = hf_cli_open(cli, 0, &db)) != 0)
			return rc;
		if (hf_db_membership_add(db, &m, &err) < 0)
			rc = hf_cli_fail(cli, &err);
	} else {
		return hf_cli_usage(cli, "unit", "»%s«? list, show, add, "
				    "contact oder join.",
				    "'%s'? list, show, add, contact or join.",
				    pos[0]);
	}
	hf_db_close(db);
	return rc;
}

static const char ind_help_de[] =
	"Aufruf:\n"
	"  hafen indicator set EINHEIT NAME WERT --date STICHTAG --source "
	"QUELLE\n"
	"  hafen indicator list [--unit EINHEIT] [--name NAME]\n\n"
	"Kennzahlen wie population (Bevölkerung), area (Fläche in km²),\n"
	"tax (Steuereinnahmen), gdp: exakt, mit Stichtag und Quelle.\n"
	"Dezimalzahlen mit Punkt oder Komma (34112,52).\n";
static const char ind_help_en[] =
	"Usage:\n"
	"  hafen indicator set UNIT NAME VALUE --date REFDATE --source SOURCE\n"
	"  hafen indicator list [--unit UNIT] [--name NAME]\n\n"
	"Figures such as population, area (km²), tax (tax revenue), gdp:\n"
	"exact, with reference date and source. Decimals with point or\n"
	"comma (34112.52).\n";

int hf_cmd_indicator(hf_cli *cli, int argc, char **argv)
{
	const char *pos[4], *date = NULL, *source = NULL, *unit = NULL,
			    *name = NULL;
	hf_opt opts[] = {
		{"date", HF_OPT_VALUE, &date, NULL, NULL},
		{"source", HF_OPT_VALUE, &source, NULL, NULL},
		{"unit", HF_OPT_VALUE, &unit, NULL, NULL},
		{"name", HF_OPT_VALUE, &name, NULL, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	hf_db *db = NULL;
	hf_error err;
	int npos, rc;

	rc = hf_opts_parse(cli, "indicator", argc, argv, opts, ind_help_de,
			   ind_help_en, pos, 4, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	hf_error_init(&err, cli->lang);
	if (npos >= 1 && !strcmp(pos[0], "list")) {
		hf_indicator *ind = NULL;
		size_t n = 0;
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
			return rc;
		if (hf_db_indicator_list(db, unit, name, &ind, &n, &err) < 0)
			rc = hf_cli_fail(cli, &err);
		else
			rc = print_indicators(cli, ind, n);
		free(ind);
	} else if (npos >= 1 && !strcmp(pos[0], "set")) {
		hf_indicator ind;
		memset(&ind, 0, sizeof ind);
		if (npos != 4 || !date || !source)
			return hf_cli_usage(
				cli, "indicator",
				"indicator set EINHEIT NAME WERT --date "
				"STICHTAG --source QUELLE",
				"indicator set UNIT NAME VALUE --date REFDATE "
				"--source SOURCE");
		if ((rc = hf_opts_date(cli, "indicator", "date", date,
				       &ind.ref_date)) != 0)
			return rc;
		if (hf_rat_parse(pos[3], &ind.value) < 0) {
			fprintf(cli->err,
				TR(cli,
				   "hafen indicator: Wert »%s« ist keine Zahl "
				   "(z. B. 216530 oder 34112,52).\n",
				   "hafen indicator: value '%s' is not a number "
				   "(e.g. 216530 or 34112.52).\n"),
				pos[3]);
			return 2;
		}
		if (hf_field_copy(ind.unit, sizeof ind.unit, pos[1], "unit",
				  &err) < 0 ||
		    hf_field_copy(ind.name, sizeof ind.name, pos[2], "name",
				  &err) < 0 ||
		    hf_field_copy(ind.source, sizeof ind.source, source,
				  "source", &err) < 0)
			return hf_cli_fail(cli, &err);
		if ((rc = hf_cli_open(cli, 0, &db)) != 0)
			return rc;
		if (hf_db_indicator_set(db, &ind, &err) < 0)
			rc = hf_cli_fail(cli, &err);
	} else {
		return hf_cli_usage(cli, "indicator", "was tun? set oder list.",
				    "do what? set or list.");
	}
	hf_db_close(db);
	return rc;
}

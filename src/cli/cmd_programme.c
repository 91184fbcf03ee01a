/* cmd_programme.c: hafen programme add|list|show|fulfilment|overrides */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
    "Aufruf:\n"
    "  hafen programme add NAME --kind ART --parent CODE --from DATUM\n"
    "        --to DATUM --contingent N (--key SCHLÜSSEL | --share "
    "CODE=PROZENT ...)\n"
    "        [--category KATEGORIE] [--title TEXT] [--source TEXT]\n"
    "  hafen programme list\n"
    "  hafen programme show NAME\n"
    "  hafen programme fulfilment NAME\n"
    "  hafen programme overrides [NAME]\n\n"
    "Aufnahmeprogramme: ein festes Kontingent von Personen, verteilt auf\n"
    "die Untereinheiten von --parent nach einem Schlüssel oder nach\n"
    "eigenen Anteilen (jede Untereinheit einmal, Summe genau 100 %).\n"
    "Arten: bund, land, resettlement, sicherer-hafen. Die Kategorie der\n"
    "Aufnahmen folgt der Art (bundesprogramm, landesprogramm,\n"
    "resettlement, sicherer-hafen), wenn --category fehlt.\n"
    "fulfilment zeigt je Untereinheit den Anteil am Kontingent (exakt und\n"
    "in ganzen Personen nach Hare-Niemeyer), die Aufnahmen im Zeitraum\n"
    "(Einträge, die das Programm nennen, netto) und die offenen Plätze.\n"
    "Über das Kontingent hinaus nimmt hafen record nur mit --override\n"
    "GRUND auf; overrides listet diese Überschreitungen.\n";
static const char help_en[] =
    "Usage:\n"
    "  hafen programme add NAME --kind KIND --parent CODE --from DATE\n"
    "        --to DATE --contingent N (--key KEY | --share CODE=PERCENT "
    "...)\n"
    "        [--category CATEGORY] [--title TEXT] [--source TEXT]\n"
    "  hafen programme list\n"
    "  hafen programme show NAME\n"
    "  hafen programme fulfilment NAME\n"
    "  hafen programme overrides [NAME]\n\n"
    "Admission programmes: a fixed contingent of persons, distributed\n"
    "over the children of --parent by a key or by explicit shares (each\n"
    "child once, summing to exactly 100 %). Kinds: bund (federal), land,\n"
    "resettlement, sicherer-hafen (safe-harbour). The category of its\n"
    "admissions follows the kind (federal-programme, land-programme,\n"
    "resettlement, safe-harbour) unless --category is given.\n"
    "fulfilment shows for each child its share of the contingent (exact\n"
    "and in whole persons by Hare-Niemeyer), the admissions in the period\n"
    "(entries naming the programme, net) and the open places.\n"
    "hafen record admits beyond the contingent only with --override\n"
    "REASON; overrides lists those.\n";

static const char *cat_slug(hf_cli *cli, hf_category c)
{
	return cli->lang == HF_LANG_EN ? hf_category_slug_en(c)
				       : hf_category_slug(c);
}

static const char *kind_slug(hf_cli *cli, hf_programme_kind k)
{
	return cli->lang == HF_LANG_EN ? hf_programme_kind_slug_en(k)
				       : hf_programme_kind_slug(k);
}

static const hf_col list_cols[] = {
    {"programme", "Programm", "Programme", HF_COL_STR, 0},
    {"title", "Bezeichnung", "Title", HF_COL_STR, 0},
    {"kind", "Art", "Kind", HF_COL_STR, 0},
    {"parent", "Einheit", "Parent", HF_COL_STR, 0},
    {"from", "von", "From", HF_COL_STR, 0},
    {"to", "bis", "To", HF_COL_STR, 0},
    {"contingent", "Kontingent", "Contingent", HF_COL_INT, 0},
    {"key", "Schlüssel", "Key", HF_COL_STR, 0},
    {"category", "Kategorie", "Category", HF_COL_STR, 0},
};

static void list_row(hf_cli *cli, hf_out *t, const hf_programme *p)
{
	char a[11], b[11];

	hf_date_format(p->period.from, a);
	hf_date_format(p->period.to, b);
	hf_out_row(t);
	hf_out_str(t, p->name);
	hf_out_str(t, p->title);
	hf_out_str(t, kind_slug(cli, p->kind));
	hf_out_str(t, p->parent);
	hf_out_str(t, a);
	hf_out_str(t, b);
	hf_out_int(t, p->contingent);
	hf_out_str(t, p->key[0]
			  ? p->key
			  : TR(cli, "(eigene Anteile)", "(explicit shares)"));
	hf_out_str(t, cat_slug(cli, p->category));
}

static int prog_list(hf_cli *cli, hf_db *db, hf_error *err)
{
	hf_programme *p = NULL;
	hf_out *t;
	size_t n = 0, i;
	int rc;

	if (hf_db_programme_list(db, &p, &n, err) < 0)
		return hf_cli_fail(cli, err);
	if (!(t = hf_out_new(list_cols, 9))) {
		free(p);
		return 3;
	}
	for (i = 0; i < n; i++)
		list_row(cli, t, &p[i]);
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	free(p);
	return rc;
}

static const hf_col ful_cols[] = {
    {"unit", "Code", "Code", HF_COL_STR, 0},
    {"name", "Einheit", "Unit", HF_COL_STR, 0},
    {"share", "Anteil %", "Share %", HF_COL_RAT, 5},
    {"quota", "Anteil (Pers.)", "Share (pers.)", HF_COL_RAT, 2},
    {"quota_rounded", "Plätze", "Places", HF_COL_INT, 0},
    {"admitted", "aufgenommen", "Admitted", HF_COL_INT, 0},
    {"open", "offen", "Open", HF_COL_INT, 0},
};

/* show prints the programme and its shares, fulfilment the figures;
 * both from the fulfilment, which has the shares resolved. */
static int prog_fulfilment(hf_cli *cli, hf_db *db, const char *name, int show,
			   hf_error *err)
{
	hf_programme_fulfilment *f = NULL;
	const hf_programme *p;
	hf_out *t;
	char title[512], note[512], ps[32];
	hf_rat sum = hf_rat_int(0);
	size_t i;
	int rc;

	if (hf_db_programme_fulfilment(db, name, &f, err) < 0)
		return hf_cli_fail(cli, err);
	p = &f->programme;
	if (!(t = hf_out_new(ful_cols, show ? 3 : 7))) {
		hf_programme_fulfilment_free(f);
		return 3;
	}
	hf_period_format(p->period, ps);
	snprintf(title, sizeof title, "%s: %s (%s, %s, %s %s, %s %lld %s)",
		 p->name, p->title, kind_slug(cli, p->kind), ps,
		 TR(cli, "Einheit", "parent"), p->parent,
		 TR(cli, "Kontingent", "contingent"), (long long)p->contingent,
		 TR(cli, "Personen", "persons"));
	hf_out_title(t, title);
	for (i = 0; i < f->n; i++) {
		const hf_programme_row *r = &f->rows[i];
		hf_unit u;
		hf_rat s = r->share;
		if (hf_db_unit_get(db, r->unit, &u, err) < 0)
			u.name[0] = '\0';
		if (cli->format != HF_FORMAT_JSON)
			hf_rat_mul(s, hf_rat_int(100), &s);
		hf_rat_add(sum, s, &sum);
		hf_out_row(t);
		hf_out_str(t, r->unit);
		hf_out_str(t, u.name);
		hf_out_rat(t, s);
		if (show)
			continue;
		hf_out_rat(t, r->quota);
		hf_out_int(t, r->quota_rounded);
		hf_out_int(t, r->admitted);
		hf_out_int(t, r->open);
	}
	hf_out_row(t);
	hf_out_str(t, TR(cli, "Summe", "Total"));
	hf_out_str(t, "");
	hf_out_rat(t, sum);
	if (!show) {
		hf_out_rat(t, hf_rat_int(p->contingent));
		hf_out_int(t, p->contingent);
		hf_out_int(t, f->admitted);
		hf_out_int(t, f->open);
	}
	hf_out_mark_total(t);
	snprintf(
	    note, sizeof note, "%s: %s; %s: %s", TR(cli, "Anteile", "Shares"),
	    p->key[0] ? p->key : TR(cli, "eigene Anteile", "explicit shares"),
	    TR(cli, "Aufnahmen als", "admissions as"),
	    cat_slug(cli, p->category));
	hf_out_note(t, note);
	if (!show) {
		hf_out_note(t, TR(cli,
				  "Plätze: Anteil am Kontingent in ganzen "
				  "Personen nach Hare-Niemeyer (größte Reste).",
				  "Places: share of the contingent in whole "
				  "persons by Hare-Niemeyer (largest "
				  "remainder)."));
		if (f->overrides) {
			snprintf(note, sizeof note,
				 TR(cli,
				    "%lld Einträge über das Kontingent hinaus "
				    "(hafen programme overrides %s).",
				    "%lld entries beyond the contingent "
				    "(hafen programme overrides %s)."),
				 (long long)f->overrides, p->name);
			hf_out_note(t, note);
		}
	}
	if (p->source[0]) {
		snprintf(note, sizeof note, "%s: %s",
			 TR(cli, "Quelle", "Source"), p->source);
		hf_out_note(t, note);
	}
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	hf_programme_fulfilment_free(f);
	return rc;
}

static const hf_col ov_cols[] = {
    {"id", "Nr.", "No.", HF_COL_INT, 0},
    {"entry", "Eintrag", "Entry", HF_COL_INT, 0},
    {"programme", "Programm", "Programme", HF_COL_STR, 0},
    {"unit", "Einheit", "Unit", HF_COL_STR, 0},
    {"persons", "Personen", "Persons", HF_COL_INT, 0},
    {"beyond", "darüber", "Beyond", HF_COL_INT, 0},
    {"reason", "Grund", "Reason", HF_COL_STR, 0},
    {"recorded_by", "erfasst von", "Recorded by", HF_COL_STR, 0},
    {"recorded_at", "erfasst am (UTC)", "Recorded at (UTC)", HF_COL_STR, 0},
};

/* Seconds since 1970 as "2023-11-14T22:13:20Z". */
static void stamp(int64_t at, char buf[32])
{
	time_t t = (time_t)at;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, 32, "%lld", (long long)at);
}

static int prog_overrides(hf_cli *cli, hf_db *db, const char *name,
			  hf_error *err)
{
	hf_override *o = NULL;
	hf_programme p;
	hf_out *t;
	size_t n = 0, i;
	char when[32];
	int rc;

	if (name) {
		if (hf_db_programme_get(db, name, &p, err) < 0)
			return hf_cli_fail(cli, err);
		hf_programme_clear(&p);
	}
	if (hf_db_override_list(db, name, &o, &n, err) < 0)
		return hf_cli_fail(cli, err);
	if (!(t = hf_out_new(ov_cols, 9))) {
		free(o);
		return 3;
	}
	for (i = 0; i < n; i++) {
		hf_out_row(t);
		hf_out_int(t, o[i].id);
		hf_out_int(t, o[i].entry);
		hf_out_str(t, o[i].programme);
		hf_out_str(t, o[i].unit);
		hf_out_int(t, o[i].persons);
		hf_out_int(t, o[i].beyond);
		hf_out_str(t, o[i].reason);
		hf_out_str(t, o[i].recorded_by);
		stamp(o[i].recorded_at, when);
		hf_out_str(t, when);
	}
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	free(o);
	return rc;
}

typedef struct add_opts {
	const char *kind, *parent, *from, *to, *contingent, *key, *category,
	    *title, *source;
	const char **share;
	int nshare;
} add_opts;

/* "CODE=PERCENT" into a share of 1. */
static int parse_share(const char *s, hf_key_share *out)
{
	const char *eq = strchr(s, '=');
	hf_rat r;
	size_t len;

	if (!eq || (len = (size_t)(eq - s)) == 0 || len >= sizeof out->unit)
		return -1;
	memcpy(out->unit, s, len);
	out->unit[len] = '\0';
	if (hf_rat_parse_decimal(eq + 1, &r) < 0 ||
	    hf_rat_div(r, hf_rat_int(100), &out->share) < 0)
		return -1;
	return 0;
}

static int prog_add(hf_cli *cli, const char *name, const add_opts *o,
		    hf_error *err)
{
	hf_programme p;
	hf_db *db = NULL;
	long long c;
	int rc, i;

	if (!o->kind || !o->parent || !o->from || !o->to || !o->contingent ||
	    (!o->key && !o->nshare))
		return hf_cli_usage(
		    cli, "programme",
		    "programme add NAME braucht --kind, "
		    "--parent, --from, --to, --contingent und "
		    "--key oder --share.",
		    "programme add NAME needs --kind, --parent, "
		    "--from, --to, --contingent and --key or "
		    "--share.");
	hf_programme_init(&p);
	if (hf_programme_kind_parse(o->kind, &p.kind) < 0)
		return hf_cli_usage(cli, "programme",
				    "--kind »%s«: bund, land, resettlement "
				    "oder sicherer-hafen.",
				    "--kind '%s': bund (federal), land, "
				    "resettlement or sicherer-hafen "
				    "(safe-harbour).",
				    o->kind);
	p.category = hf_programme_kind_category(p.kind);
	if (o->category && hf_category_parse(o->category, &p.category) < 0)
		return hf_cli_usage(cli, "programme",
				    "Kategorie »%s« unbekannt.",
				    "unknown category '%s'.", o->category);
	if ((rc = hf_opts_date(cli, "programme", "from", o->from,
			       &p.period.from)) != 0 ||
	    (rc = hf_opts_date(cli, "programme", "to", o->to, &p.period.to)) !=
		0 ||
	    (rc = hf_opts_int(cli, "programme", "contingent", o->contingent,
			      &c)) != 0)
		return rc;
	p.contingent = c;
	if (hf_field_copy(p.name, sizeof p.name, name, "name", err) < 0 ||
	    hf_field_copy(p.title, sizeof p.title, o->title ? o->title : name,
			  "title", err) < 0 ||
	    hf_field_copy(p.parent, sizeof p.parent, o->parent, "parent", err) <
		0 ||
	    hf_field_copy(p.key, sizeof p.key, o->key, "key", err) < 0 ||
	    hf_field_copy(p.source, sizeof p.source, o->source, "source", err) <
		0)
		return hf_cli_fail(cli, err);
	if (o->nshare &&
	    !(p.shares = calloc((size_t)o->nshare, sizeof *p.shares)))
		return 3;
	for (i = 0; i < o->nshare; i++, p.nshares++)
		if (parse_share(o->share[i], &p.shares[i]) < 0) {
			rc =
			    hf_cli_usage(cli, "programme",
					 "--share »%s«: erwartet CODE=PROZENT, "
					 "z. B. 01003000=7,5.",
					 "--share '%s': expected CODE=PERCENT, "
					 "e.g. 01003000=7.5.",
					 o->share[i]);
			goto out;
		}
	if ((rc = hf_cli_open(cli, 0, &db)) != 0)
		goto out;
	if (hf_db_programme_add(db, &p, err) < 0)
		rc = hf_cli_fail(cli, err);
	else
		fprintf(cli->out,
			TR(cli, "Programm %s gespeichert (Kontingent %lld).\n",
			   "Programme %s stored (contingent %lld).\n"),
			p.name, (long long)p.contingent);
out:
	hf_programme_clear(&p);
	hf_db_close(db);
	return rc;
}

int hf_cmd_programme(hf_cli *cli, int argc, char **argv)
{
	const char *pos[3], *share[HF_OPT_MAX_REPEAT];
	add_opts o;
	hf_opt opts[] = {
	    {"kind", HF_OPT_VALUE, &o.kind, NULL, NULL},
	    {"parent", HF_OPT_VALUE, &o.parent, NULL, NULL},
	    {"from", HF_OPT_VALUE, &o.from, NULL, NULL},
	    {"to", HF_OPT_VALUE, &o.to, NULL, NULL},
	    {"contingent", HF_OPT_VALUE, &o.contingent, NULL, NULL},
	    {"key", HF_OPT_VALUE, &o.key, NULL, NULL},
	    {"category", HF_OPT_VALUE, &o.category, NULL, NULL},
	    {"title", HF_OPT_VALUE, &o.title, NULL, NULL},
	    {"source", HF_OPT_VALUE, &o.source, NULL, NULL},
	    {"share", HF_OPT_LIST, NULL, &o.nshare, share},
	    {NULL, 0, NULL, NULL, NULL},
	};
	hf_db *db = NULL;
	hf_error err;
	int npos, rc;

	memset(&o, 0, sizeof o);
	o.share = share;
	rc = hf_opts_parse(cli, "programme", argc, argv, opts, help_de, help_en,
			   pos, 3, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	hf_error_init(&err, cli->lang);
	if (npos < 1)
		return hf_cli_usage(cli, "programme",
				    "was tun? add, list, show, fulfilment oder "
				    "overrides.",
				    "do what? add, list, show, fulfilment or "
				    "overrides.");
	if (!strcmp(pos[0], "add")) {
		if (npos != 2)
			return hf_cli_usage(cli, "programme",
					    "programme add NAME ...",
					    "programme add NAME ...");
		return prog_add(cli, pos[1], &o, &err);
	}
	if (!strcmp(pos[0], "list") && npos == 1) {
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) == 0)
			rc = prog_list(cli, db, &err);
	} else if ((!strcmp(pos[0], "show") || !strcmp(pos[0], "fulfilment")) &&
		   npos == 2) {
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) == 0)
			rc = prog_fulfilment(cli, db, pos[1],
					     !strcmp(pos[0], "show"), &err);
	} else if (!strcmp(pos[0], "overrides") && npos <= 2) {
		if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) == 0)
			rc = prog_overrides(cli, db, npos == 2 ? pos[1] : NULL,
					    &err);
	} else {
		return hf_cli_usage(cli, "programme",
				    "»%s«? add NAME, list, show NAME, "
				    "fulfilment NAME oder overrides [NAME].",
				    "'%s'? add NAME, list, show NAME, "
				    "fulfilment NAME or overrides [NAME].",
				    pos[0]);
	}
	hf_db_close(db);
	return rc;
}

/* cmd_match.c: hafen match: a batch of households to units, optimally
 * with a proven bound, stably, or by quota deficit. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
    "Aufruf: hafen match --households DATEI --units DATEI [--scores "
    "S.npy]\n"
    "        [--mode optimal|stable|allocate] [--out ZUORDNUNG.csv]\n"
    "        [--weight KRITERIUM=W ...] [--unassigned-penalty X]\n\n"
    "Ordnet einen Durchgang von Haushalten Einheiten zu. optimal (Vorgabe):\n"
    "größte Summe der Bewertungen unter allen Bedingungen (Bedarfe,\n"
    "Kapazitäten in jeder Dimension, Korridor min..max in Personen,\n"
    "Haushalte nie geteilt), mit bewiesener oberer Schranke und Lücke.\n"
    "stable: verzögerte Annahme, Haushalte schlagen vor (preferences,\n"
    "sonst nach Bewertung); Einheiten nach priorities, sonst Bindung,\n"
    "dann Bewertung; meldet blockierende Paare. allocate: nach\n"
    "Soll-Defizit in Dateireihenfolge.\n\n"
    "Bewertungen: --scores S.npy (float32/float64, Haushalte × Einheiten),\n"
    "sonst eingebaut aus Kriterien mit Gewichten (tie=10, preference=5,\n"
    "language=2, occupation=3; ändern mit --weight tie=20).\n"
    "--unassigned-penalty X: Haushalte dürfen ohne Einheit bleiben, zum\n"
    "Preis X je Haushalt. --out schreibt je Haushalt id, unit, score,\n"
    "reason als CSV.\n\n"
    "Haushalte (CSV): id, persons; optional ages, needs, ties,\n"
    "preferences, languages, occupations, use:NAME (Listen mit |).\n"
    "Einheiten (CSV): code, capacity; optional min, max, services,\n"
    "languages, demand, priorities, share, cap:NAME.\n"
    "Die Spalten im Einzelnen: docs/matching.md.\n";
static const char help_en[] =
    "Usage: hafen match --households FILE --units FILE [--scores S.npy]\n"
    "        [--mode optimal|stable|allocate] [--out ASSIGNMENT.csv]\n"
    "        [--weight CRITERION=W ...] [--unassigned-penalty X]\n\n"
    "Matches a batch of households to units. optimal (default): the\n"
    "largest total score under every constraint (needs, capacity in every\n"
    "dimension, corridor min..max in persons, households never split),\n"
    "with a proven upper bound and gap. stable: deferred acceptance,\n"
    "households proposing (preferences, else by score); units by\n"
    "priorities, else ties, then score; reports blocking pairs. allocate:\n"
    "by quota deficit in file order.\n\n"
    "Scores: --scores S.npy (float32/float64, households × units), else\n"
    "built in from criteria with weights (tie=10, preference=5,\n"
    "language=2, occupation=3; change with --weight tie=20).\n"
    "--unassigned-penalty X: households may stay without a unit, at X per\n"
    "household. --out writes id, unit, score, reason per household as\n"
    "CSV.\n\n"
    "Households (CSV): id, persons; optional ages, needs, ties,\n"
    "preferences, languages, occupations, use:NAME (lists with |).\n"
    "Units (CSV): code, capacity; optional min, max, services, languages,\n"
    "demand, priorities, share, cap:NAME.\n"
    "The columns in detail: docs/matching.md.\n";

static const hf_col hh_cols[] = {
    {"id", "Haushalt", "Household", HF_COL_STR, 0},
    {"persons", "Personen", "Persons", HF_COL_INT, 0},
    {"unit", "Einheit", "Unit", HF_COL_STR, 0},
    {"score", "Wert", "Score", HF_COL_STR, 0},
    {"reason", "Begründung", "Reason", HF_COL_STR, 0},
};

static int parse_weights(hf_cli *cli, const char **list, int n,
			 hf_match_weights *w)
{
	int k;
	for (k = 0; k < n; k++) {
		const char *eq = strchr(list[k], '=');
		double *slot = NULL;
		char *end;
		double v;
		if (eq && !strncmp(list[k], "tie=", 4))
			slot = &w->tie;
		else if (eq && !strncmp(list[k], "preference=", 11))
			slot = &w->preference;
		else if (eq && !strncmp(list[k], "language=", 9))
			slot = &w->language;
		else if (eq && !strncmp(list[k], "occupation=", 11))
			slot = &w->occupation;
		if (!slot)
			return hf_cli_usage(cli, "match",
					    "--weight KRITERIUM=W mit tie, "
					    "preference, language oder "
					    "occupation, nicht %s.",
					    "--weight CRITERION=W with tie, "
					    "preference, language or "
					    "occupation, not %s.",
					    list[k]);
		v = strtod(eq + 1, &end);
		if (end == eq + 1 || *end || !isfinite(v))
			return hf_cli_usage(
			    cli, "match", "--weight %s: keine Zahl.",
			    "--weight %s: not a number.", list[k]);
		*slot = v;
	}
	return 0;
}

static void fmt(hf_cli *cli, double v, int places, char *buf, size_t size)
{
	char *p;
	snprintf(buf, size, "%.*f", places, v);
	/* the decimal comma is for German tables only; CSV and JSON keep
	 * the point */
	if (!strcmp(buf, "-0") || !strncmp(buf, "-0.", 3) ||
	    !strncmp(buf, "-0,", 3)) {
		/* no "-0,000" */
		for (p = buf + 1; *p && (*p == '0' || *p == '.'); p++)
			;
		if (!*p)
			memmove(buf, buf + 1, strlen(buf));
	}
	if (cli->lang == HF_LANG_DE && cli->format == HF_FORMAT_TABLE &&
	    (p = strchr(buf, '.')))
		*p = ',';
}

/* The units table: code, corridor, capacity, intake, households, named
 * dimensions as used/capacity, price per person. */
static hf_out *units_table(hf_cli *cli, const hf_match_instance *in,
			   const hf_match_result *r, hf_col **colsp)
{
	size_t nc = 7 + in->ndims - 1, j, d, i;
	hf_col *cols = calloc(nc, sizeof *cols);
	int64_t *hh = calloc(in->m + 1, sizeof *hh);
	hf_out *t;
	char buf[64];

	*colsp = cols;
	if (!cols || !hh) {
		free(hh);
		return NULL;
	}
	cols[0] = (hf_col){"unit", "Einheit", "Unit", HF_COL_STR, 0};
	cols[1] = (hf_col){"min", "min", "min", HF_COL_INT, 0};
	cols[2] = (hf_col){"max", "max", "max", HF_COL_INT, 0};
	cols[3] = (hf_col){"capacity", "Plätze", "Places", HF_COL_INT, 0};
	cols[4] = (hf_col){"persons", "Personen", "Persons", HF_COL_INT, 0};
	cols[5] =
	    (hf_col){"households", "Haushalte", "Households", HF_COL_INT, 0};
	for (d = 1; d < in->ndims; d++)
		cols[5 + d] = (hf_col){in->dim_names[d], in->dim_names[d],
				       in->dim_names[d], HF_COL_STR, 0};
	cols[nc - 1] =
	    (hf_col){"price", "Preis/Person", "Price/person", HF_COL_STR, 0};
	if (!(t = hf_out_new(cols, (int)nc))) {
		free(hh);
		return NULL;
	}
	for (i = 0; i < in->n; i++)
		if (r->unit[i] >= 0)
			hh[r->unit[i]]++;
	for (j = 0; j < in->m; j++) {
		const hf_match_unit *u = &in->units[j];
		hf_out_row(t);
		hf_out_str(t, u->code);
		hf_out_int(t, u->min);
		hf_out_int(t, u->max);
		hf_out_int(t, u->cap[0]);
		hf_out_int(t, r->load[j * in->ndims]);
		hf_out_int(t, hh[j]);
		for (d = 1; d < in->ndims; d++) {
			snprintf(buf, sizeof buf, "%lld/%lld",
				 (long long)r->load[j * in->ndims + d],
				 (long long)u->cap[d]);
			hf_out_str(t, buf);
		}
		if (r->mode == HF_MATCH_OPTIMAL) {
			double p = r->price[j * in->ndims] - r->floor_price[j];
			fmt(cli, p, 3, buf, sizeof buf);
			hf_out_str(t, buf);
		} else {
			hf_out_str(t, "");
		}
	}
	free(hh);
	return t;
}

/* Household i's row as the tables print it: its unit's code ("" when
 * unassigned), its score with two places and the reason in words. */
static const char *household_row(hf_cli *cli, const hf_match_instance *in,
				 const hf_match_result *r, size_t i,
				 char score[64], char why[512])
{
	fmt(cli, r->score[i], 2, score, 64);
	hf_match_reason(in, r, i, cli->lang, why, 512);
	return r->unit[i] >= 0 ? in->units[r->unit[i]].code : "";
}

static hf_out *households_table(hf_cli *cli, const hf_match_instance *in,
				const hf_match_result *r)
{
	hf_out *t = hf_out_new(hh_cols, 5);
	char why[512], buf[64];
	const char *unit;
	size_t i;
	if (!t)
		return NULL;
	for (i = 0; i < in->n; i++) {
		unit = household_row(cli, in, r, i, buf, why);
		hf_out_row(t);
		hf_out_str(t, in->hh[i].id);
		hf_out_int(t, in->hh[i].persons);
		hf_out_str(t, unit);
		hf_out_str(t, buf);
		hf_out_str(t, why);
	}
	return t;
}

static void csv_field(FILE *f, const char *s)
{
	hf_csv_put_field(f, s, ',', HF_CSV_QUOTE_SEMICOLONS);
}

/* Households from..to of the assignment file, one row each. */
typedef struct rows {
	const hf_match_instance *in;
	const hf_match_result *r;
	hf_lang lang;
	size_t from, to;
	char *buf; /* rows written to memory by a second thread */
	size_t len;
	int ok;
} rows;

static void write_rows(FILE *f, const rows *p)
{
	const hf_match_instance *in = p->in;
	const hf_match_result *r = p->r;
	char why[512], buf[64];
	size_t i;
	for (i = p->from; i < p->to; i++) {
		csv_field(f, in->hh[i].id);
		fputc(',', f);
		csv_field(f, r->unit[i] >= 0 ? in->units[r->unit[i]].code : "");
		snprintf(buf, sizeof buf, ",%.10g,", r->score[i]);
		fputs(buf, f);
		hf_match_reason(in, r, i, p->lang, why, sizeof why);
		csv_field(f, why);
		fputc('\n', f);
	}
}

static void *write_rows_mem(void *arg)
{
	rows *p = arg;
	FILE *f = open_memstream(&p->buf, &p->len);
	if (!f)
		return NULL;
	write_rows(f, p);
	p->ok = !ferror(f);
	p->ok = fclose(f) == 0 && p->ok;
	return NULL;
}

/* One row per household, to a temporary file renamed at the end: nothing
 * is left behind when writing fails. A national batch's rows (150,000
 * reasons in words, each a few formatted numbers) are formatted on two
 * threads: the second half into memory beside the first, then appended;
 * the file is the same. */
static int write_out(hf_cli *cli, const char *path, const hf_match_instance *in,
		     const hf_match_result *r)
{
	size_t len = strlen(path) + 16;
	char *tmp = malloc(len);
	rows part[2] = {{in, r, cli->lang, 0, in->n, NULL, 0, 0},
			{in, r, cli->lang, in->n, in->n, NULL, 0, 0}};
	pthread_t th;
	int ok, threaded = 0;
	FILE *f;

	if (!tmp)
		return 3;
	snprintf(tmp, len, "%s.tmp%ld", path, (long)getpid());
	if (!(f = fopen(tmp, "w"))) {
		fprintf(cli->err,
			TR(cli, "hafen: %s lässt sich nicht schreiben.\n",
			   "hafen: cannot write %s.\n"),
			path);
		free(tmp);
		return 3;
	}
	fputs("id,unit,score,reason\n", f);
	if (in->n >= 20000) {
		part[0].to = part[1].from = in->n / 2;
		threaded =
		    pthread_create(&th, NULL, write_rows_mem, &part[1]) == 0;
	}
	write_rows(f, &part[0]);
	if (threaded)
		pthread_join(th, NULL);
	if (threaded && part[1].ok)
		fwrite(part[1].buf, 1, part[1].len, f);
	else /* no thread or no memory for it: here, as one thread would */
		write_rows(f, &part[1]);
	free(part[1].buf);
	ok = !ferror(f);
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) < 0) {
		remove(tmp);
		fprintf(cli->err,
			TR(cli, "hafen: %s lässt sich nicht schreiben.\n",
			   "hafen: cannot write %s.\n"),
			path);
		free(tmp);
		return 3;
	}
	free(tmp);
	return 0;
}

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/*
 * The JSON document: the summary and the units as one tree, then, without
 * --out, the households streamed row by row as the document's last member
 * "assignment" (a tree of 150,000 rows would outgrow the score matrix),
 * indented as json_dumpf would indent them.
 */
static int print_json(hf_cli *cli, const hf_match_instance *in,
		      const hf_match_result *r, const hf_match_weights *w,
		      hf_out *units, int households)
{
	const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
	json_t *root = json_object(), *t;
	char *head, *row, *p, *nl, why[512], buf[64];
	const char *unit;
	size_t i, len;
	int ok;
	json_object_set_new(root, "mode",
			    json_string(hf_match_mode_slug(r->mode)));
	json_object_set_new(root, "objective", num(r->objective));
	json_object_set_new(root, "bound", num(r->bound));
	json_object_set_new(root, "gap", num(r->gap));
	json_object_set_new(root, "exact", json_boolean(r->exact));
	json_object_set_new(root, "households",
			    json_integer((json_int_t)in->n));
	json_object_set_new(root, "assigned",
			    json_integer((json_int_t)r->assigned));
	json_object_set_new(root, "unassigned",
			    json_integer((json_int_t)r->unassigned));
	json_object_set_new(root, "split_in_relaxation",
			    json_integer((json_int_t)r->split));
	if (r->mode == HF_MATCH_STABLE)
		json_object_set_new(root, "blocking_pairs",
				    json_integer((json_int_t)r->blocking));
	json_object_set_new(root, "seconds", json_real(r->seconds));
	if (r->mode == HF_MATCH_OPTIMAL) {
		json_object_set_new(root, "bids",
				    json_integer((json_int_t)r->bids));
		json_object_set_new(root, "rounds",
				    json_integer((json_int_t)r->rounds));
	}
	if (w) {
		t = json_object();
		json_object_set_new(t, "tie", json_real(w->tie));
		json_object_set_new(t, "preference", json_real(w->preference));
		json_object_set_new(t, "language", json_real(w->language));
		json_object_set_new(t, "occupation", json_real(w->occupation));
		json_object_set_new(root, "weights", t);
	} else {
		json_object_set_new(root, "weights", json_null());
	}
	t = hf_out_json(units);
	json_object_set(root, "units", json_object_get(t, "rows"));
	json_decref(t);
	if (!households)
		return hf_out_print_json(cli, root);
	head = json_dumps(root, flags);
	json_decref(root);
	if (!head)
		return 3;
	/* head ends in "\n}": the assignment goes before the brace */
	len = strlen(head);
	fwrite(head, 1, len - 2, cli->out);
	free(head);
	fputs(",\n  \"assignment\": [", cli->out);
	for (i = 0; i < in->n; i++) {
		unit = household_row(cli, in, r, i, buf, why);
		t = json_object();
		json_object_set_new(t, "id", json_string(in->hh[i].id));
		json_object_set_new(
		    t, "persons", json_integer((json_int_t)in->hh[i].persons));
		json_object_set_new(t, "unit", json_string(unit));
		json_object_set_new(t, "score", json_string(buf));
		json_object_set_new(t, "reason", json_string(why));
		row = json_dumps(t, flags);
		json_decref(t);
		if (!row)
			return 3;
		fputs(i ? ",\n    " : "\n    ", cli->out);
		/* two levels deeper: a newline is always json's own, as
		 * strings escape theirs */
		for (p = row; (nl = strchr(p, '\n')); p = nl + 1) {
			fwrite(p, 1, (size_t)(nl - p) + 1, cli->out);
			fputs("    ", cli->out);
		}
		fputs(p, cli->out);
		free(row);
	}
	fputs(in->n ? "\n  ]\n}\n" : "]\n}\n", cli->out);
	ok = !ferror(cli->out);
	return ok ? 0 : 3;
}

static void print_summary(hf_cli *cli, const hf_match_instance *in,
			  const hf_match_result *r, const hf_match_weights *w)
{
	char a[64], b[64], g[64], s[64];
	long long persons = 0, placed = 0;
	size_t i;
	for (i = 0; i < in->n; i++) {
		persons += in->hh[i].persons;
		if (r->unit[i] >= 0)
			placed += in->hh[i].persons;
	}
	fprintf(cli->out, TR(cli, "Modus: %s\n", "Mode: %s\n"),
		hf_match_mode_slug(r->mode));
	fmt(cli, r->objective, 4, a, sizeof a);
	fprintf(cli->out, TR(cli, "Zielwert:     %s\n", "Objective:    %s\n"),
		a);
	if (r->mode == HF_MATCH_OPTIMAL) {
		fmt(cli, r->bound, 4, b, sizeof b);
		fmt(cli, r->gap * 100, 4, g, sizeof g);
		fprintf(
		    cli->out,
		    TR(cli,
		       "Schranke:     %s (bewiesen)\nLücke:        %s %%%s\n",
		       "Bound:        %s (proven)\nGap:          %s %%%s\n"),
		    b, g,
		    r->exact ? TR(cli, " (exakt optimal)", " (exactly optimal)")
			     : "");
	}
	fprintf(cli->out,
		TR(cli,
		   "Haushalte:    %zu zugeordnet, %zu ohne Einheit (%lld von "
		   "%lld Personen zugeordnet)\n",
		   "Households:   %zu assigned, %zu unassigned (%lld of %lld "
		   "persons assigned)\n"),
		r->assigned, r->unassigned, placed, persons);
	if (r->mode == HF_MATCH_OPTIMAL && r->split)
		fprintf(cli->out,
			TR(cli,
			   "In der Relaxation geteilt und repariert: %zu "
			   "Haushalte\n",
			   "Split in the relaxation and repaired: %zu "
			   "households\n"),
			r->split);
	if (r->mode == HF_MATCH_STABLE)
		fprintf(cli->out,
			TR(cli, "Blockierende Paare: %zu\n",
			   "Blocking pairs: %zu\n"),
			r->blocking);
	if (w) {
		char t1[32], t2[32], t3[32], t4[32];
		fmt(cli, w->tie, 2, t1, sizeof t1);
		fmt(cli, w->preference, 2, t2, sizeof t2);
		fmt(cli, w->language, 2, t3, sizeof t3);
		fmt(cli, w->occupation, 2, t4, sizeof t4);
		fprintf(cli->out,
			TR(cli,
			   "Gewichte:     Bindung %s, Wunsch %s, Sprache %s, "
			   "Beruf %s\n",
			   "Weights:      tie %s, preference %s, language %s, "
			   "occupation %s\n"),
			t1, t2, t3, t4);
	}
	fmt(cli, r->seconds, 3, s, sizeof s);
	fprintf(cli->out,
		TR(cli, "Zeit:         %s s\n\n", "Time:         %s s\n\n"), s);
}

int hf_cmd_match(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *hfile = NULL, *ufile = NULL, *sfile = NULL,
			    *mode = NULL, *out = NULL, *pen = NULL,
			    *weights[HF_OPT_MAX_REPEAT];
	int nweights = 0, npos, rc;
	hf_opt opts[] = {
	    {"households", HF_OPT_VALUE, &hfile, NULL, NULL},
	    {"units", HF_OPT_VALUE, &ufile, NULL, NULL},
	    {"scores", HF_OPT_VALUE, &sfile, NULL, NULL},
	    {"mode", HF_OPT_VALUE, &mode, NULL, NULL},
	    {"out", HF_OPT_VALUE, &out, NULL, NULL},
	    {"unassigned-penalty", HF_OPT_VALUE, &pen, NULL, NULL},
	    {"weight", HF_OPT_LIST, NULL, &nweights, weights},
	    {NULL, 0, NULL, NULL, NULL},
	};
	hf_match_mode m = HF_MATCH_OPTIMAL;
	hf_match_weights w;
	hf_match_input mi;
	hf_match_result *r = NULL;
	hf_out *units = NULL, *hh = NULL;
	hf_col *ucols = NULL;
	hf_error err;

	memset(&mi, 0, sizeof mi);
	rc = hf_opts_parse(cli, "match", argc, argv, opts, help_de, help_en,
			   pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	/* --out is a global option the dispatcher hands to match as the file
	 * of the assignment (the summary still goes to standard output) */
	if (!out)
		out = cli->outpath;
	if (!hfile || !ufile)
		return hf_cli_usage(cli, "match",
				    "--households und --units sind nötig.",
				    "--households and --units are needed.");
	if (mode && hf_match_mode_parse(mode, &m) < 0)
		return hf_cli_usage(cli, "match",
				    "--mode optimal, stable oder allocate.",
				    "--mode optimal, stable or allocate.");
	hf_match_weights_default(&w);
	if ((rc = parse_weights(cli, weights, nweights, &w)))
		return rc;
	if (sfile && nweights)
		return hf_cli_usage(cli, "match",
				    "--weight gilt nur für die eingebauten "
				    "Bewertungen, nicht mit --scores.",
				    "--weight applies to the built-in scores "
				    "only, not with --scores.");
	hf_error_init(&err, cli->lang);
	if (hf_match_input_read(hfile, ufile, sfile, &mi, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto done;
	}
	if (pen) {
		char *end;
		mi.in.penalty = strtod(pen, &end);
		if (end == pen || *end || !isfinite(mi.in.penalty) ||
		    mi.in.penalty < 0) {
			rc = hf_cli_usage(cli, "match",
					  "--unassigned-penalty: eine Zahl "
					  ">= 0.",
					  "--unassigned-penalty: a number >= "
					  "0.");
			goto done;
		}
		mi.in.allow_unassigned = 1;
	}
	if (!sfile && hf_match_input_builtin(&mi, &w, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto done;
	}
	hf_error_init(&err, cli->lang);
	if (hf_match_solve(&mi.in, m, NULL, &r, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto done;
	}
	if (out && (rc = write_out(cli, out, &mi.in, r)))
		goto done;
	if (!(units = units_table(cli, &mi.in, r, &ucols)) ||
	    (!out && cli->format != HF_FORMAT_JSON &&
	     !(hh = households_table(cli, &mi.in, r)))) {
		rc = 3;
		goto done;
	}
	if (cli->format == HF_FORMAT_JSON) {
		rc = print_json(cli, &mi.in, r, sfile ? NULL : &w, units, !out);
	} else if (cli->format == HF_FORMAT_CSV) {
		rc = hf_out_print(hh ? hh : units, cli);
	} else {
		print_summary(cli, &mi.in, r, sfile ? NULL : &w);
		if ((rc = hf_out_print(units, cli)) == 0 && hh) {
			fputc('\n', cli->out);
			rc = hf_out_print(hh, cli);
		}
		if (!rc && out)
			fprintf(cli->out,
				TR(cli, "\nZuordnung geschrieben: %s\n",
				   "\nAssignment written: %s\n"),
				out);
	}
done:
	hf_out_free(units);
	hf_out_free(hh);
	free(ucols);
	hf_match_result_free(r);
	hf_match_input_free(&mi);
	return rc;
}

/* cmd_simulate.c: hafen simulate: a sequence of arrival batches allocated
 * by quota deficit, and the largest deviation from quota it leads to */
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
	"Aufruf: hafen simulate --key NAME [--batches N] [--households N]\n"
	"        [--max-persons H] [--seed S] [--rule absolut|relativ]\n"
	"        [--file DATEI]\n\n"
	"Simuliert die Zuweisung nach dem Soll-Defizit (wie EASY): N Wochen\n"
	"(Standard 52) mit je --households Haushalten (Standard 200) von 1 bis\n"
	"H Personen (Standard 8; kleine Haushalte häufiger), erzeugt aus\n"
	"--seed. Zeigt je Einheit die größte Abweichung vom Soll über und\n"
	"unter, gemessen nach jedem Haushalt, und die Schranke, die die Regel\n"
	"garantiert: absolut über < (1 − 1/n)·H, unter ≤ (h(n) − 1)·H mit\n"
	"h(n) = 1 + 1/2 + … + 1/n; relativ über ≤ (1 − Anteil)·H.\n"
	"Mit --file statt erzeugter Haushalte die aus einer CSV-Datei mit den\n"
	"Spalten batch (Nummer der Woche, aufsteigend) und persons.\n";
static const char help_en[] =
	"Usage: hafen simulate --key NAME [--batches N] [--households N]\n"
	"        [--max-persons H] [--seed S] [--rule absolut|relativ]\n"
	"        [--file FILE]\n\n"
	"Simulates allocation by quota deficit (as EASY does): N weeks\n"
	"(default 52) of --households households each (default 200) of 1 to H\n"
	"persons (default 8; small households more often), generated from\n"
	"--seed. Shows per unit the largest deviation from quota above and\n"
	"below, measured after every household, and the bound the rule\n"
	"guarantees: absolute above < (1 − 1/n)·H, below <= (h(n) − 1)·H with\n"
	"h(n) = 1 + 1/2 + … + 1/n; relative above <= (1 − share)·H.\n"
	"With --file, the households of a CSV file with the columns batch\n"
	"(number of the week, ascending) and persons instead of generated ones.\n";

static const hf_col cols[] = {
	{"unit", "Code", "Code", HF_COL_STR, 0},
	{"name", "Einheit", "Unit", HF_COL_STR, 0},
	{"share", "Anteil %", "Share %", HF_COL_RAT, 5},
	{"persons", "Personen", "Persons", HF_COL_INT, 0},
	{"households", "Haushalte", "Households", HF_COL_INT, 0},
	{"deviation", "Abweichung Ende", "Deviation at end", HF_COL_RAT, 2},
	{"max_over", "max. über", "Max above", HF_COL_RAT, 2},
	{"max_under", "max. unter", "Max below", HF_COL_RAT, 2},
};

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* 1..h with weight 1/s: small households are the common case. */
static int64_t draw(uint64_t *s, int64_t h)
{
	double total = 0, x;
	int64_t k;
	for (k = 1; k <= h; k++)
		total += 1.0 / (double)k;
	x = (double)(next(s) >> 11) / 9007199254740992.0 * total;
	for (k = 1; k < h; k++) {
		x -= 1.0 / (double)k;
		if (x < 0)
			return k;
	}
	return h;
}

static int bad(hf_cli *cli, const hf_csv *c, size_t r, const char *col,
	       const char *de, const char *en)
{
	char where[300];
	hf_csv_where(c, r, col, where, sizeof where);
	fprintf(cli->err, "hafen: %s: %s\n", where, TR(cli, de, en));
	return 2;
}

/* Households of a file: persons and batch number per row; batches must
 * not go back. Sets the number of batches and the largest household. */
static int read_file(hf_cli *cli, const hf_csv *c, int64_t **size,
		     int64_t **batch, long long *nb, long long *h)
{
	size_t n = hf_csv_nrows(c), r;
	const char *need[] = {"batch", "persons"};

	for (r = 0; r < 2; r++)
		if (!hf_csv_has(c, need[r]))
			return bad(cli, c, 0, need[r],
				   "die Spalten batch und persons sind nötig.",
				   "the columns batch and persons are needed.");
	if (!n)
		return bad(cli, c, 0, "batch", "die Datei hat keine Haushalte.",
			   "the file has no households.");
	*size = calloc(n, sizeof **size);
	*batch = calloc(n, sizeof **batch);
	if (!*size || !*batch)
		return 3;
	*nb = 0;
	*h = 0;
	for (r = 0; r < n; r++) {
		if (hf_int_parse(hf_csv_get(c, r, "batch"), &(*batch)[r]) < 0)
			return bad(cli, c, r, "batch",
				   "keine ganze Zahl.", "not a whole number.");
		if (hf_int_parse(hf_csv_get(c, r, "persons"), &(*size)[r]) < 0 ||
		    (*size)[r] < 1)
			return bad(cli, c, r, "persons",
				   "ein Haushalt hat mindestens eine Person.",
				   "a household has at least one person.");
		if (r && (*batch)[r] < (*batch)[r - 1])
			return bad(cli, c, r, "batch",
				   "die Wochen müssen aufsteigend sortiert "
				   "sein.",
				   "the weeks must be in ascending order.");
		if (!r || (*batch)[r] != (*batch)[r - 1])
			(*nb)++;
		if ((*size)[r] > *h)
			*h = (*size)[r];
	}
	return 0;
}

int hf_cmd_simulate(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *key = NULL, *batches = NULL, *households = NULL,
			    *maxp = NULL, *seed = NULL, *rule = NULL,
			    *file = NULL;
	hf_opt opts[] = {
		{"key", HF_OPT_VALUE, &key, NULL, NULL},
		{"batches", HF_OPT_VALUE, &batches, NULL, NULL},
		{"households", HF_OPT_VALUE, &households, NULL, NULL},
		{"max-persons", HF_OPT_VALUE, &maxp, NULL, NULL},
		{"seed", HF_OPT_VALUE, &seed, NULL, NULL},
		{"rule", HF_OPT_VALUE, &rule, NULL, NULL},
		{"file", HF_OPT_VALUE, &file, NULL, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	long long nb = 52, nh = 200, h = 8, sd = 1;
	hf_alloc_rule r = HF_ALLOC_ABSOLUTE;
	hf_alloc_unit *units = NULL;
	hf_alloc_household *hh = NULL;
	hf_alloc_result *res = NULL;
	hf_alloc_row *rows = NULL;
	hf_rat *over = NULL, *under = NULL;
	int64_t *persons = NULL, *count = NULL;
	hf_alloc *a = NULL;
	hf_alloc_dev dev;
	hf_db *db = NULL;
	hf_error err;
	hf_key k;
	hf_out *t = NULL;
	hf_csv *csv = NULL;
	int64_t *fsize = NULL, *fbatch = NULL;
	uint64_t state;
	size_t i, b, next_row;
	int npos, rc;

	rc = hf_opts_parse(cli, "simulate", argc, argv, opts, help_de, help_en,
			   pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!key)
		return hf_cli_usage(cli, "simulate", "--key NAME fehlt.",
				    "--key NAME is missing.");
	if ((batches && (rc = hf_opts_int(cli, "simulate", "batches", batches,
					  &nb)) != 0) ||
	    (households && (rc = hf_opts_int(cli, "simulate", "households",
					     households, &nh)) != 0) ||
	    (maxp && (rc = hf_opts_int(cli, "simulate", "max-persons", maxp,
				       &h)) != 0) ||
	    (seed && (rc = hf_opts_int(cli, "simulate", "seed", seed, &sd)) !=
			     0))
		return rc;
	if (nb < 1 || nb > 10000 || nh < 1 || nh > 1000000 || h < 1 ||
	    h > 100)
		return hf_cli_usage(cli, "simulate",
				    "--batches 1..10000, --households "
				    "1..1000000, --max-persons 1..100.",
				    "--batches 1..10000, --households "
				    "1..1000000, --max-persons 1..100.");
	if (rule && hf_alloc_rule_parse(rule, &r) < 0)
		return hf_cli_usage(cli, "simulate",
				    "--rule absolut oder relativ.",
				    "--rule absolut or relativ.");
	hf_error_init(&err, cli->lang);
	hf_key_init(&k);
	if (file) {
		if (hf_csv_read_file(file, &csv, &err) < 0)
			return hf_cli_fail(cli, &err);
		if ((rc = read_file(cli, csv, &fsize, &fbatch, &nb, &h)) != 0)
			goto out;
		nh = (long long)hf_csv_nrows(csv);
	}
	if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
		goto out;
	if (hf_db_key_get(db, key, &k, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	units = calloc(k.nshares, sizeof *units);
	hh = calloc((size_t)nh + 1, sizeof *hh);
	res = calloc((size_t)nh + 1, sizeof *res);
	rows = calloc(k.nshares, sizeof *rows);
	over = calloc(k.nshares, sizeof *over);
	under = calloc(k.nshares, sizeof *under);
	persons = calloc(k.nshares, sizeof *persons);
	count = calloc(k.nshares, sizeof *count);
	if (!units || !hh || !res || !rows || !over || !under || !persons ||
	    !count) {
		rc = 3;
		goto out;
	}
	for (i = 0; i < k.nshares; i++) {
		units[i].share = k.shares[i].share;
		units[i].credited = hf_rat_int(0);
		units[i].capacity = HF_ALLOC_UNLIMITED;
		over[i] = under[i] = hf_rat_int(0);
	}
	if (hf_alloc_new(r, units, k.nshares, &a, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	state = (uint64_t)sd * 0x9E3779B97F4A7C15ull + 1;
	for (b = 0, next_row = 0; b < (size_t)nb; b++) {
		size_t m = 0;
		if (csv) {
			int64_t cur = fbatch[next_row];
			while (next_row < (size_t)nh && fbatch[next_row] == cur)
				hh[m++].persons = fsize[next_row++];
		} else
			for (m = 0; m < (size_t)nh; m++)
				hh[m].persons = draw(&state, h);
		if (hf_alloc_batch(a, hh, m, res, rows, &err) < 0) {
			rc = hf_cli_fail(cli, &err);
			goto out;
		}
		for (i = 0; i < k.nshares; i++) {
			persons[i] += rows[i].persons;
			count[i] += rows[i].households;
		}
	}
	/* per unit: the state at the end; the maxima over every step come
	 * from the allocator, which tracks them per unit */
	if (!(t = hf_out_new(cols, (int)(sizeof cols / sizeof cols[0])))) {
		rc = 3;
		goto out;
	}
	for (i = 0; i < k.nshares; i++) {
		hf_rat cr, q, d, pct;
		int64_t cap;
		hf_unit u;
		hf_alloc_unit_state(a, i, &cr, &q, &cap);
		if (hf_rat_sub(cr, q, &d) < 0 ||
		    hf_alloc_unit_extremes(a, i, &over[i], &under[i]) < 0) {
			rc = 2;
			goto out;
		}
		if (hf_db_unit_get(db, k.shares[i].unit, &u, &err) < 0)
			u.name[0] = '\0';
		pct = k.shares[i].share;
		if (cli->format != HF_FORMAT_JSON)
			hf_rat_mul(pct, hf_rat_int(100), &pct);
		hf_out_row(t);
		hf_out_str(t, k.shares[i].unit);
		hf_out_str(t, u.name);
		hf_out_rat(t, pct);
		hf_out_int(t, persons[i]);
		hf_out_int(t, count[i]);
		hf_out_rat(t, d);
		hf_out_rat(t, over[i]);
		hf_out_rat(t, under[i]);
	}
	hf_alloc_deviation(a, &dev);
	{
		char note[512], o[48], un[48], bo[48], bu[48];
		hf_rat bound_over, bound_under = hf_rat_int(0), hn = hf_rat_int(0);
		size_t n = k.nshares, m;
		char sep = cli->lang == HF_LANG_DE ? ',' : '.';
		/* h(n) - 1 = 1/2 + ... + 1/n, exact */
		for (m = 2; m <= n; m++) {
			hf_rat x;
			hf_rat_make(1, (int64_t)m, &x);
			if (hf_rat_add(hn, x, &hn) < 0)
				break;
		}
		hf_rat_make((int64_t)(n - 1) * h, (int64_t)n, &bound_over);
		hf_rat_mul(hn, hf_rat_int(h), &bound_under);
		hf_rat_format_decimal(dev.max_over, 2, sep, o, sizeof o);
		hf_rat_format_decimal(dev.max_under, 2, sep, un, sizeof un);
		hf_rat_format_decimal(bound_over, 2, sep, bo, sizeof bo);
		hf_rat_format_decimal(bound_under, 2, sep, bu, sizeof bu);
		if (csv)
			snprintf(note, sizeof note,
				 TR(cli,
				    "%lld Wochen, %lld Haushalte aus %s (bis %lld "
				    "Personen), Regel %s.",
				    "%lld weeks, %lld households from %s (up to "
				    "%lld persons), rule %s."),
				 nb, nh, file, h, hf_alloc_rule_slug(r));
		else
			snprintf(note, sizeof note,
				 TR(cli,
				    "%lld Wochen × %lld Haushalte (1 bis %lld "
				    "Personen, Seed %lld), Regel %s.",
				    "%lld weeks × %lld households (1 to %lld "
				    "persons, seed %lld), rule %s."),
				 nb, nh, h, sd, hf_alloc_rule_slug(r));
		hf_out_title(t, note);
		snprintf(note, sizeof note,
			 TR(cli,
			    "Größte Abweichung nach irgendeinem Haushalt: %s "
			    "über, %s unter dem Soll.",
			    "Largest deviation after any household: %s above, "
			    "%s below quota."),
			 o, un);
		hf_out_note(t, note);
		if (r == HF_ALLOC_ABSOLUTE) {
			snprintf(note, sizeof note,
				 TR(cli,
				    "Schranke der Regel: über ≤ %s, unter ≤ %s "
				    "Personen: %s.",
				    "Bound of the rule: above <= %s, below <= %s "
				    "persons: %s."),
				 bo, bu,
				 hf_rat_cmp(dev.max_over, bound_over) <= 0 &&
						 hf_rat_cmp(dev.max_under,
							    bound_under) <= 0
					 ? TR(cli, "eingehalten", "held")
					 : TR(cli, "VERLETZT", "VIOLATED"));
			hf_out_note(t, note);
		}
	}
	rc = hf_out_print(t, cli);
out:
	free(fbatch);
	free(fsize);
	hf_csv_free(csv);
	hf_out_free(t);
	hf_alloc_free(a);
	free(count);
	free(persons);
	free(under);
	free(over);
	free(rows);
	free(res);
	free(hh);
	free(units);
	hf_key_clear(&k);
	hf_db_close(db);
	return rc;
}

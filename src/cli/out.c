/* out.c: result tables in three formats. */
#include "out.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct cell {
	int null;
	char *text;   /* table/CSV text */
	long long iv; /* HF_COL_INT */
	hf_rat rv;    /* HF_COL_RAT */
} cell;

struct hf_out {
	const hf_col *cols;
	int ncols;
	cell *cells; /* nrows × ncols */
	int nrows, cap, cur;
	int total_row; /* index of the total row or -1 */
	char *title;
	char **notes;
	int nnotes;
};

hf_out *hf_out_new(const hf_col *cols, int ncols)
{
	hf_out *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->cols = cols;
	t->ncols = ncols;
	t->total_row = -1;
	return t;
}

void hf_out_free(hf_out *t)
{
	int i;
	if (!t)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i].text);
	free(t->cells);
	free(t->title);
	for (i = 0; i < t->nnotes; i++)
		free(t->notes[i]);
	free(t->notes);
	free(t);
}

int hf_out_row(hf_out *t)
{
	if (t->nrows == t->cap) {
		int ncap = t->cap ? t->cap * 2 : 16;
		cell *c = realloc(t->cells,
				  (size_t)ncap * (size_t)t->ncols * sizeof *c);
		if (!c)
			return HF_ENOMEM;
		t->cells = c;
		t->cap = ncap;
	}
	memset(&t->cells[t->nrows * t->ncols], 0,
	       (size_t)t->ncols * sizeof *t->cells);
	t->nrows++;
	t->cur = 0;
	return HF_OK;
}

static cell *next(hf_out *t)
{
	if (t->nrows == 0 || t->cur >= t->ncols)
		return NULL;
	return &t->cells[(t->nrows - 1) * t->ncols + t->cur++];
}

int hf_out_str(hf_out *t, const char *s)
{
	cell *c = next(t);
	if (!c)
		return HF_EINVAL;
	c->text = strdup(s ? s : "");
	return c->text ? HF_OK : HF_ENOMEM;
}

int hf_out_int(hf_out *t, long long v)
{
	char buf[32];
	cell *c = next(t);
	if (!c)
		return HF_EINVAL;
	c->iv = v;
	snprintf(buf, sizeof buf, "%lld", v);
	c->text = strdup(buf);
	return c->text ? HF_OK : HF_ENOMEM;
}

int hf_out_rat(hf_out *t, hf_rat v)
{
	cell *c = next(t);
	if (!c)
		return HF_EINVAL;
	c->rv = v;
	return HF_OK;
}

int hf_out_null(hf_out *t)
{
	cell *c = next(t);
	if (!c)
		return HF_EINVAL;
	c->null = 1;
	return HF_OK;
}

void hf_out_mark_total(hf_out *t)
{
	t->total_row = t->nrows - 1;
}

int hf_out_title(hf_out *t, const char *s)
{
	free(t->title);
	t->title = strdup(s);
	return t->title ? HF_OK : HF_ENOMEM;
}

int hf_out_note(hf_out *t, const char *s)
{
	char **n = realloc(t->notes, (size_t)(t->nnotes + 1) * sizeof *n);
	if (!n)
		return HF_ENOMEM;
	t->notes = n;
	if (!(n[t->nnotes] = strdup(s)))
		return HF_ENOMEM;
	t->nnotes++;
	return HF_OK;
}

/* The cell as text for tables (sep ',' in German) and CSV (sep '.'). */
static void cell_text(const hf_col *col, const cell *c, char sep, char *buf,
		      size_t size)
{
	if (c->null) {
		buf[0] = '\0';
		return;
	}
	if (col->type == HF_COL_RAT) {
		if (hf_rat_format_decimal(c->rv, col->places, sep, buf, size) <
		    0)
			snprintf(buf, size, "?");
		return;
	}
	snprintf(buf, size, "%s", c->text ? c->text : "");
}

/* Display width in characters of UTF-8 text. */
static int width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void pad(FILE *f, int n)
{
	while (n-- > 0)
		fputc(' ', f);
}

static void print_table(hf_out *t, hf_cli *cli)
{
	char sep = cli->lang == HF_LANG_DE ? ',' : '.';
	char buf[256];
	int *w = calloc((size_t)t->ncols, sizeof *w);
	int r, c, total = 0;

	if (!w)
		return;
	for (c = 0; c < t->ncols; c++)
		w[c] = width(TR(cli, t->cols[c].de, t->cols[c].en));
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			int cw;
			cell_text(&t->cols[c], &t->cells[r * t->ncols + c], sep,
				  buf, sizeof buf);
			cw = width(buf);
			if (cw > w[c])
				w[c] = cw;
		}
	if (t->title)
		fprintf(cli->out, "%s\n\n", t->title);
	for (c = 0; c < t->ncols; c++) {
		const char *h = TR(cli, t->cols[c].de, t->cols[c].en);
		int right = t->cols[c].type != HF_COL_STR;
		if (c)
			fputs("  ", cli->out);
		if (right)
			pad(cli->out, w[c] - width(h));
		fputs(h, cli->out);
		if (!right && c < t->ncols - 1)
			pad(cli->out, w[c] - width(h));
		total += w[c] + (c ? 2 : 0);
	}
	fputc('\n', cli->out);
	for (c = 0; c < total; c++)
		fputs("-", cli->out);
	fputc('\n', cli->out);
	for (r = 0; r < t->nrows; r++) {
		if (r == t->total_row) {
			for (c = 0; c < total; c++)
				fputs("-", cli->out);
			fputc('\n', cli->out);
		}
		for (c = 0; c < t->ncols; c++) {
			int right = t->cols[c].type != HF_COL_STR;
			cell_text(&t->cols[c], &t->cells[r * t->ncols + c], sep,
				  buf, sizeof buf);
			if (c)
				fputs("  ", cli->out);
			if (right)
				pad(cli->out, w[c] - width(buf));
			fputs(buf, cli->out);
			if (!right && c < t->ncols - 1)
				pad(cli->out, w[c] - width(buf));
		}
		fputc('\n', cli->out);
	}
	if (t->nnotes)
		fputc('\n', cli->out);
	for (r = 0; r < t->nnotes; r++)
		fprintf(cli->out, "%s\n", t->notes[r]);
	free(w);
}

static void print_csv(hf_out *t, hf_cli *cli)
{
	char buf[256];
	int r, c;
	for (c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', cli->out);
		hf_csv_put_field(cli->out, t->cols[c].key, ',', 0);
	}
	fputc('\n', cli->out);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', cli->out);
			cell_text(&t->cols[c], &t->cells[r * t->ncols + c], '.',
				  buf, sizeof buf);
			hf_csv_put_field(cli->out, buf, ',', 0);
		}
		fputc('\n', cli->out);
	}
}

static json_t *row_json(hf_out *t, int r)
{
	json_t *o = json_object();
	char buf[64], key[96];
	int c;
	for (c = 0; c < t->ncols; c++) {
		const hf_col *col = &t->cols[c];
		const cell *x = &t->cells[r * t->ncols + c];
		if (x->null) {
			json_object_set_new(o, col->key, json_null());
			if (col->type == HF_COL_RAT) {
				snprintf(key, sizeof key, "%s_decimal",
					 col->key);
				json_object_set_new(o, key, json_null());
			}
			continue;
		}
		switch (col->type) {
		case HF_COL_STR:
			json_object_set_new(o, col->key,
					    json_string(x->text ? x->text : ""));
			break;
		case HF_COL_INT:
			json_object_set_new(o, col->key, json_integer(x->iv));
			break;
		case HF_COL_RAT:
			hf_rat_format(x->rv, buf, sizeof buf);
			json_object_set_new(o, col->key, json_string(buf));
			snprintf(key, sizeof key, "%s_decimal", col->key);
			cell_text(col, x, '.', buf, sizeof buf);
			json_object_set_new(o, key, json_string(buf));
			break;
		}
	}
	return o;
}

json_t *hf_out_json(hf_out *t)
{
	json_t *root = json_object(), *rows = json_array(), *notes;
	int r;

	if (t->title)
		json_object_set_new(root, "title", json_string(t->title));
	for (r = 0; r < t->nrows; r++) {
		if (r == t->total_row)
			continue;
		json_array_append_new(rows, row_json(t, r));
	}
	json_object_set_new(root, "rows", rows);
	if (t->total_row >= 0)
		json_object_set_new(root, "total", row_json(t, t->total_row));
	if (t->nnotes) {
		notes = json_array();
		for (r = 0; r < t->nnotes; r++)
			json_array_append_new(notes, json_string(t->notes[r]));
		json_object_set_new(root, "notes", notes);
	}
	return root;
}

int hf_out_print_json(hf_cli *cli, json_t *root)
{
	int rc = 0;
	if (json_dumpf(root, cli->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) <
	    0)
		rc = 3;
	fputc('\n', cli->out);
	json_decref(root);
	return rc;
}

/* A workbook: the table on one sheet (integers as numbers, rationals as
 * numbers shown with the column's places, the total row bold) and a sheet
 * that says what the figures are: title, notes, when, from which
 * database. Written to --out. */
static int print_xlsx(hf_out *t, hf_cli *cli)
{
	hf_xlsx_column *xc = calloc((size_t)t->ncols, sizeof *xc);
	const char **v = calloc((size_t)t->ncols, sizeof *v);
	char (*buf)[48] = calloc((size_t)t->ncols, sizeof *buf);
	const char **keys = NULL, **vals = NULL;
	char (*nk)[32] = NULL, when[32];
	hf_xlsx_writer *w = NULL;
	hf_error err;
	size_t n = 0;
	int r, c, rc = 0;
	time_t now = (time_t)cli->now;
	struct tm tm;

	hf_error_init(&err, cli->lang);
	if (!cli->outpath) {
		fprintf(cli->err, "%s",
			TR(cli, "hafen: --format xlsx braucht --out DATEI.\n",
			   "hafen: --format xlsx needs --out FILE.\n"));
		rc = 1;
		goto out;
	}
	keys = calloc((size_t)t->nnotes + 5, sizeof *keys);
	vals = calloc((size_t)t->nnotes + 5, sizeof *vals);
	nk = calloc((size_t)t->nnotes + 1, sizeof *nk);
	if (!xc || !v || !buf || !keys || !vals || !nk) {
		rc = 3;
		goto out;
	}
	for (c = 0; c < t->ncols; c++) {
		xc[c].header = TR(cli, t->cols[c].de, t->cols[c].en);
		xc[c].type = t->cols[c].type == HF_COL_INT   ? HF_XLSX_COL_INT
			     : t->cols[c].type == HF_COL_RAT ? HF_XLSX_COL_DECIMAL
							     : HF_XLSX_COL_TEXT;
		xc[c].places = t->cols[c].places;
	}
	if (hf_xlsx_writer_new(cli->outpath, &w, &err) < 0 ||
	    hf_xlsx_writer_sheet(w, TR(cli, "Bericht", "Report"), xc,
				 t->ncols, &err) < 0)
		goto fail;
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const cell *x = &t->cells[r * t->ncols + c];
			v[c] = NULL;
			if (x->null)
				continue;
			if (t->cols[c].type == HF_COL_RAT) {
				/* more places than shown: the cell holds the
				 * figure, the format rounds it */
				int p = t->cols[c].places + 6;
				if (hf_rat_format_decimal(x->rv, p, '.',
							  buf[c],
							  sizeof buf[c]) < 0)
					continue;
				v[c] = buf[c];
			} else {
				v[c] = x->text ? x->text : "";
			}
		}
		if (hf_xlsx_writer_row(w, v, &err) < 0)
			goto fail;
		if (r == t->total_row)
			hf_xlsx_writer_mark_total(w);
	}
	if (t->title) {
		keys[n] = TR(cli, "Titel", "Title");
		vals[n++] = t->title;
	}
	for (r = 0; r < t->nnotes; r++) {
		snprintf(nk[r], sizeof nk[r], "%s %d",
			 TR(cli, "Hinweis", "Note"), r + 1);
		keys[n] = nk[r];
		vals[n++] = t->notes[r];
	}
	if (gmtime_r(&now, &tm) &&
	    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		keys[n] = TR(cli, "Erstellt (UTC)", "Generated (UTC)");
		vals[n++] = when;
	}
	keys[n] = TR(cli, "Datenbank", "Database");
	vals[n++] = cli->db;
	keys[n] = TR(cli, "Programm", "Program");
	vals[n++] = "hafen 0.1.0";
	if (hf_xlsx_writer_about(w, TR(cli, "Quelle", "About"), keys, vals, n,
				 &err) < 0)
		goto fail;
	rc = hf_xlsx_writer_close(w, &err);
	w = NULL;
	if (rc < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	hf_xlsx_writer_free(w);
	rc = hf_cli_fail(cli, &err);
out:
	free(xc);
	free(v);
	free(buf);
	free(keys);
	free(vals);
	free(nk);
	return rc;
}

int hf_out_print(hf_out *t, hf_cli *cli)
{
	int rc = 0;
	switch (cli->format) {
	case HF_FORMAT_XLSX:
		return print_xlsx(t, cli);
	case HF_FORMAT_TABLE:
		print_table(t, cli);
		break;
	case HF_FORMAT_CSV:
		print_csv(t, cli);
		break;
	case HF_FORMAT_JSON:
		rc = hf_out_print_json(cli, hf_out_json(t));
		break;
	}
	if (fflush(cli->out) != 0 || ferror(cli->out))
		rc = 3;
	return rc;
}

/*
 * allocate_csv.c: a batch for allocation read from the households and
 * capacities tables, as hafen allocate and POST /api/allocate take them.
 * The units come from a quota table (share and credited so far); the
 * capacities table adds free places and the countries of origin a unit
 * handles; the households table gives id, persons and origin.
 */
#include "hafen/allocate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills err with a data error at row/column of c. */
static int bad(hf_error *err, const hf_csv *c, size_t row, const char *col,
	       const char *de, const char *en, const char *v)
{
	char where[HF_ERROR_WHERE_MAX];
	hf_csv_where(c, row, col, where, sizeof where);
	return hf_error_set(err, HF_EINVAL, where, de, en, v);
}

/* Whether origin appears in the |-separated list. */
static int lists(const char *list, const char *origin)
{
	size_t n = strlen(origin);
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, origin, n))
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* Capacities by unit; row_of[i] is unit i's row in cap, or -1. */
static int capacities(const hf_quota_table *t, const hf_csv *cap,
		      hf_alloc_input *in, long *row_of, hf_error *err)
{
	size_t row, i;
	int64_t v;

	for (i = 0; i < t->n; i++)
		row_of[i] = -1;
	if (!cap)
		return 0;
	if (!hf_csv_has(cap, "unit"))
		return bad(err, cap, 0, "unit", "Spalte %s fehlt.",
			   "column %s is missing.", "unit");
	for (row = 0; row < hf_csv_nrows(cap); row++) {
		const char *u = hf_csv_get(cap, row, "unit");
		const char *pl = hf_csv_get(cap, row, "places");
		for (i = 0; i < t->n && strcmp(t->units[i].code, u); i++)
			;
		if (i == t->n)
			return bad(err, cap, row, "unit",
				   "%s ist keine Einheit dieses Schlüssels.",
				   "%s is not a unit of this key.", u);
		if (row_of[i] >= 0)
			return bad(err, cap, row, "unit",
				   "%s steht zweimal in der Datei.",
				   "%s appears twice in the file.", u);
		row_of[i] = (long)row;
		if (pl && *pl) {
			if (hf_int_parse(pl, &v) < 0 || v < 0)
				return bad(err, cap, row, "places",
					   "»%s« ist keine Zahl freier Plätze "
					   "(ganze Zahl ≥ 0).",
					   "'%s' is not a number of free "
					   "places (whole number >= 0).",
					   pl);
			in->units[i].capacity = v;
		}
	}
	return 0;
}

static int households(const hf_csv *hh, const hf_csv *cap, hf_alloc_input *in,
		      const long *row_of, hf_error *err)
{
	static const char *const cols[] = {"id", "persons"};
	size_t row, i, c, words = HF_ALLOC_WORDS(in->n);
	int64_t v;

	for (c = 0; c < 2; c++)
		if (!hf_csv_has(hh, cols[c]))
			return bad(err, hh, 0, cols[c], "Spalte %s fehlt.",
				   "column %s is missing.", cols[c]);
	for (row = 0; row < in->m; row++) {
		const char *id = hf_csv_get(hh, row, "id");
		const char *p = hf_csv_get(hh, row, "persons");
		const char *o = hf_csv_get(hh, row, "origin");
		if (hf_int_parse(p, &v) < 0 || v < 1)
			return bad(err, hh, row, "persons",
				   "»%s«: ein Haushalt hat mindestens eine "
				   "Person (ganze Zahl).",
				   "'%s': a household has at least one person "
				   "(whole number).",
				   p);
		if (!*id || strlen(id) >= HF_HOUSEHOLD_MAX)
			return bad(err, hh, row, "id",
				   "Kennung »%s« fehlt oder ist zu lang.",
				   "id '%s' is missing or too long.", id);
		in->hh[row].persons = v;
		if (o && *o) {
			uint64_t *bits = in->eligible + row * words;
			for (i = 0; i < in->n; i++) {
				const char *list =
				    row_of[i] >= 0
					? hf_csv_get(cap, (size_t)row_of[i],
						     "origins")
					: NULL;
				if (!list || !*list || lists(list, o))
					hf_alloc_eligible_set(bits, i);
			}
			in->hh[row].eligible = bits;
		}
	}
	return 0;
}

int hf_alloc_input_read(const hf_quota_table *t, const hf_csv *hh,
			const hf_csv *cap, hf_alloc_input *out, hf_error *err)
{
	hf_alloc_input in;
	long *row_of = NULL;
	size_t i;
	int rc;

	memset(&in, 0, sizeof in);
	memset(out, 0, sizeof *out);
	in.n = t->n;
	in.m = hf_csv_nrows(hh);
	in.units = calloc(in.n + 1, sizeof *in.units);
	in.hh = calloc(in.m + 1, sizeof *in.hh);
	in.eligible =
	    calloc(in.m * HF_ALLOC_WORDS(in.n) + 1, sizeof *in.eligible);
	row_of = calloc(in.n + 1, sizeof *row_of);
	if (!in.units || !in.hh || !in.eligible || !row_of) {
		rc = hf_error_set(err, HF_ENOMEM, "", "Nicht genug Speicher.",
				  "Out of memory.");
		goto fail;
	}
	for (i = 0; i < in.n; i++) {
		in.units[i].share = t->rows[i].share;
		in.units[i].credited = t->rows[i].credited;
		in.units[i].capacity = HF_ALLOC_UNLIMITED;
	}
	if ((rc = capacities(t, cap, &in, row_of, err)) < 0 ||
	    (rc = households(hh, cap, &in, row_of, err)) < 0)
		goto fail;
	free(row_of);
	*out = in;
	return 0;
fail:
	free(row_of);
	hf_alloc_input_free(&in);
	return rc;
}

void hf_alloc_input_free(hf_alloc_input *in)
{
	if (!in)
		return;
	free(in->eligible);
	free(in->hh);
	free(in->units);
	memset(in, 0, sizeof *in);
}

int hf_alloc_entries(const hf_quota_table *t, const hf_csv *households,
		     const hf_alloc_input *in, const hf_alloc_result *res,
		     const hf_admission *stamp, hf_admission **out, size_t *n,
		     hf_error *err)
{
	hf_admission *e = calloc(in->m + 1, sizeof *e);
	size_t r, k = 0;

	*out = NULL;
	*n = 0;
	if (!e)
		return hf_error_set(err, HF_ENOMEM, "", "Nicht genug Speicher.",
				    "Out of memory.");
	for (r = 0; r < in->m; r++) {
		if (res[r].unit < 0)
			continue;
		e[k] = *stamp;
		memcpy(e[k].unit, t->units[res[r].unit].code, HF_CODE_MAX);
		e[k].persons = in->hh[r].persons;
		e[k].category = HF_CAT_REGULAR;
		snprintf(e[k].household, sizeof e[k].household, "%s",
			 hf_csv_get(households, r, "id"));
		k++;
	}
	*out = e;
	*n = k;
	return HF_OK;
}

/* match.c: the match instance: admissible units, checks that say why an
 * instance cannot be met, verification of a result, and dispatch to the
 * three solvers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match_int.h"

static const char *const mode_slugs[] = {"optimal", "stable", "allocate"};

const char *hf_match_mode_slug(hf_match_mode m)
{
	return (unsigned)m < HF_MATCH_MODE_COUNT ? mode_slugs[m] : "?";
}

int hf_match_mode_parse(const char *s, hf_match_mode *out)
{
	int k;
	for (k = 0; k < HF_MATCH_MODE_COUNT; k++)
		if (s && !strcmp(s, mode_slugs[k])) {
			*out = (hf_match_mode)k;
			return HF_OK;
		}
	return HF_EINVAL;
}

void hf_match_options_init(hf_match_options *o)
{
	o->gap_target = 1e-4;
	o->max_rounds = 30;
}

static int oom(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
}

/* ---- admissible units ------------------------------------------------ */

static int offers(const hf_match_unit *u, uint32_t s)
{
	size_t k;
	for (k = 0; k < u->nservices; k++)
		if (u->services[k] == s)
			return 1;
	return 0;
}

int hf__match_allow_build(const hf_match_instance *in, hf__match_allow *a)
{
	uint64_t *row = NULL, *hash = NULL;
	size_t i, j, k, cap = 8;

	memset(a, 0, sizeof *a);
	a->words = (in->m + 63) / 64 ? (in->m + 63) / 64 : 1;
	a->set = calloc(in->n ? in->n : 1, sizeof *a->set);
	a->bits = calloc(cap * a->words, sizeof *a->bits);
	hash = calloc(cap, sizeof *hash);
	row = calloc(a->words, sizeof *row);
	if (!a->set || !a->bits || !hash || !row)
		goto fail;
	for (j = 0; j < in->m; j++)
		a->bits[j / 64] |= (uint64_t)1 << (j % 64);
	a->nsets = 1;
	for (i = 0; i < in->n; i++) {
		const hf_match_household *h = &in->hh[i];
		uint64_t hv = 1469598103934665603ull;
		if (!h->nneeds)
			continue;
		memset(row, 0, a->words * sizeof *row);
		for (j = 0; j < in->m; j++) {
			for (k = 0; k < h->nneeds; k++)
				if (!offers(&in->units[j], h->needs[k]))
					break;
			if (k == h->nneeds)
				row[j / 64] |= (uint64_t)1 << (j % 64);
		}
		for (k = 0; k < a->words; k++)
			hv = (hv ^ row[k]) * 1099511628211ull;
		for (k = 0; k < a->nsets; k++)
			if (hash[k] == hv &&
			    !memcmp(a->bits + k * a->words, row,
				    a->words * sizeof *row))
				break;
		if (k == a->nsets) {
			if (a->nsets == cap) {
				uint64_t *nb = realloc(
				    a->bits, 2 * cap * a->words * sizeof *nb);
				uint64_t *nh;
				if (!nb)
					goto fail;
				a->bits = nb;
				nh = realloc(hash, 2 * cap * sizeof *nh);
				if (!nh)
					goto fail;
				hash = nh;
				cap *= 2;
			}
			memcpy(a->bits + k * a->words, row,
			       a->words * sizeof *row);
			hash[k] = hv;
			a->nsets++;
		}
		a->set[i] = (uint32_t)k;
	}
	hash[0] = 0;
	free(hash);
	free(row);
	return HF_OK;
fail:
	free(hash);
	free(row);
	hf__match_allow_free(a);
	return HF_ENOMEM;
}

void hf__match_allow_free(hf__match_allow *a)
{
	free(a->bits);
	free(a->set);
	memset(a, 0, sizeof *a);
}

/* ---- results ---------------------------------------------------------- */

hf_match_result *hf__match_result_new(const hf_match_instance *in,
				      hf_match_mode mode)
{
	hf_match_result *r = calloc(1, sizeof *r);
	size_t n = in->n ? in->n : 1, md = in->m * in->ndims + 1, i;
	if (!r)
		return NULL;
	r->mode = mode;
	r->n = in->n;
	r->m = in->m;
	r->ndims = in->ndims;
	r->unit = malloc(n * sizeof *r->unit);
	r->score = calloc(n, sizeof *r->score);
	r->why = calloc(n, sizeof *r->why);
	r->best = malloc(n * sizeof *r->best);
	r->rank = calloc(n, sizeof *r->rank);
	r->load = calloc(md, sizeof *r->load);
	r->price = calloc(md, sizeof *r->price);
	r->floor_price = calloc(in->m + 1, sizeof *r->floor_price);
	if (!r->unit || !r->score || !r->why || !r->best || !r->rank ||
	    !r->load || !r->price || !r->floor_price) {
		hf_match_result_free(r);
		return NULL;
	}
	for (i = 0; i < in->n; i++) {
		r->unit[i] = -1;
		r->best[i] = -1;
		r->why[i] = HF_MATCH_WHY_NONE;
	}
	r->bound = NAN;
	r->gap = NAN;
	return r;
}

void hf_match_result_free(hf_match_result *r)
{
	if (!r)
		return;
	free(r->unit);
	free(r->score);
	free(r->why);
	free(r->best);
	free(r->rank);
	free(r->load);
	free(r->price);
	free(r->floor_price);
	free(r);
}

void hf__match_result_finish(const hf_match_instance *in,
			     const hf__match_allow *a, hf_match_result *r)
{
	long double obj = 0;
	size_t i, j, d;

	memset(r->load, 0, in->m * in->ndims * sizeof *r->load);
	r->assigned = r->unassigned = 0;
	for (i = 0; i < in->n; i++) {
		const uint64_t *row = hf__match_row(a, i);
		double bv = -INFINITY;
		int64_t u = r->unit[i];
		r->best[i] = -1;
		for (j = 0; j < in->m; j++)
			if (hf__match_ok(row, j) &&
			    hf__match_upper(&in->units[j]) >=
				in->hh[i].persons) {
				double v = hf_match_score(&in->scores, i, j);
				if (v > bv) {
					bv = v;
					r->best[i] = (int32_t)j;
				}
			}
		if (u < 0) {
			r->unassigned++;
			r->score[i] = -in->penalty;
			r->why[i] = HF_MATCH_WHY_NONE;
			obj -= in->penalty;
			continue;
		}
		r->assigned++;
		r->score[i] = hf_match_score(&in->scores, i, (size_t)u);
		obj += r->score[i];
		for (d = 0; d < in->ndims; d++)
			r->load[(size_t)u * in->ndims + d] += in->hh[i].use[d];
	}
	r->objective = (double)obj;
}

int hf__match_fits(const hf_match_instance *in, const int64_t *load, size_t i,
		   size_t j)
{
	const hf_match_unit *u = &in->units[j];
	const int64_t *l = load + j * in->ndims;
	size_t d;
	if (l[0] + in->hh[i].persons > u->max)
		return 0;
	for (d = 0; d < in->ndims; d++)
		if (l[d] + in->hh[i].use[d] > u->cap[d])
			return 0;
	return 1;
}

/* ---- checks ----------------------------------------------------------- */

static const char *hid(const hf_match_instance *in, size_t i, char *buf,
		       size_t size)
{
	if (in->hh[i].id && *in->hh[i].id)
		return in->hh[i].id;
	snprintf(buf, size, "#%zu", i + 1);
	return buf;
}

static int malformed(const hf_match_instance *in, hf_error *err)
{
	size_t i, j, d, k;
	char b[32];

	if (in->ndims < 1 || !in->dim_names)
		return hf_error_set(err, HF_EINVAL, "",
				    "Mindestens die Dimension Personen "
				    "(capacity) ist nötig.",
				    "At least the persons dimension "
				    "(capacity) is needed.");
	if (in->penalty < 0 || !isfinite(in->penalty))
		return hf_error_set(err, HF_EINVAL, "unassigned-penalty",
				    "Die Strafe für Unversorgte muss eine "
				    "Zahl >= 0 sein.",
				    "The penalty for unassigned households "
				    "must be a number >= 0.");
	for (i = 0; i < in->n; i++) {
		const hf_match_household *h = &in->hh[i];
		if (h->persons < 1 || !h->use || h->use[0] != h->persons)
			return hf_error_set(err, HF_EINVAL, hid(in, i, b, 32),
					    "Haushalt %s: mindestens eine "
					    "Person, use[0] = Personen.",
					    "household %s: at least one "
					    "person, use[0] = persons.",
					    hid(in, i, b, 32));
		for (d = 1; d < in->ndims; d++)
			if (h->use[d] < 0)
				return hf_error_set(
				    err, HF_EINVAL, hid(in, i, b, 32),
				    "Haushalt %s: negativer Bedarf an %s.",
				    "household %s: negative use of %s.",
				    hid(in, i, b, 32), in->dim_names[d]);
		for (k = 0; k < h->nneeds; k++)
			if (h->needs[k] >= in->nservices)
				return hf_error_set(err, HF_EINVAL,
						    hid(in, i, b, 32),
						    "need index", "need index");
		for (k = 0; k < h->nties; k++)
			if (h->ties[k] >= in->m)
				return hf_error_set(err, HF_EINVAL,
						    hid(in, i, b, 32),
						    "tie index", "tie index");
		for (k = 0; k < h->nprefs; k++)
			if (h->prefs[k] >= in->m)
				return hf_error_set(
				    err, HF_EINVAL, hid(in, i, b, 32),
				    "preference index", "preference index");
	}
	for (j = 0; j < in->m; j++) {
		const hf_match_unit *u = &in->units[j];
		for (d = 0; d < in->ndims; d++)
			if (!u->cap || u->cap[d] < 0)
				return hf_error_set(
				    err, HF_EINVAL, u->code,
				    "Einheit %s: Kapazität %s < 0.",
				    "unit %s: capacity %s < 0.", u->code,
				    in->dim_names[d]);
		if (u->min < 0 || u->min > u->max)
			return hf_error_set(err, HF_EINVAL, u->code,
					    "Einheit %s: Korridor min %lld > "
					    "max %lld.",
					    "unit %s: corridor min %lld > max "
					    "%lld.",
					    u->code, (long long)u->min,
					    (long long)u->max);
		for (k = 0; k < u->nservices; k++)
			if (u->services[k] >= in->nservices)
				return hf_error_set(err, HF_EINVAL, u->code,
						    "service index",
						    "service index");
		for (k = 0; k < u->npriority; k++)
			if (u->priority[k] >= in->n)
				return hf_error_set(err, HF_EINVAL, u->code,
						    "priority index",
						    "priority index");
	}
	for (i = 0; i < in->n; i++)
		for (j = 0; j < in->m; j++)
			if (!isfinite(hf_match_score(&in->scores, i, j)))
				return hf_error_set(
				    err, HF_EINVAL, "scores",
				    "Bewertung für Haushalt %s und Einheit "
				    "%s ist keine endliche Zahl (Zeile "
				    "%zu, Spalte %zu der Matrix).",
				    "score of household %s at unit %s is "
				    "not a finite number (row %zu, column "
				    "%zu of the matrix).",
				    hid(in, i, b, 32), in->units[j].code, i, j);
	return HF_OK;
}

/* The |-joined names of household i's needs. */
static void needs_text(const hf_match_instance *in, size_t i, char *buf,
		       size_t size)
{
	size_t k, l = 0;
	buf[0] = '\0';
	for (k = 0; k < in->hh[i].nneeds && l < size; k++)
		l += (size_t)snprintf(buf + l, size - l, "%s%s", k ? "|" : "",
				      in->service_names[in->hh[i].needs[k]]);
}

static int fits_empty(const hf_match_instance *in, size_t i, size_t j)
{
	size_t d;
	if (in->hh[i].persons > in->units[j].max)
		return 0;
	for (d = 0; d < in->ndims; d++)
		if (in->hh[i].use[d] > in->units[j].cap[d])
			return 0;
	return 1;
}

static int check_minima(const hf_match_instance *in, const hf__match_allow *a,
			hf_error *err)
{
	long long summin = 0, persons = 0;
	size_t i, j;

	for (i = 0; i < in->n; i++)
		persons += in->hh[i].persons;
	for (j = 0; j < in->m; j++) {
		const hf_match_unit *u = &in->units[j];
		long long can = 0;
		summin += u->min;
		if (u->min > hf__match_upper(u))
			return hf_error_set(
			    err, HF_EINFEASIBLE, u->code,
			    "Einheit %s soll mindestens %lld Personen "
			    "aufnehmen, hat aber nur Platz für %lld.",
			    "unit %s must take at least %lld persons but "
			    "has room for only %lld.",
			    u->code, (long long)u->min,
			    (long long)hf__match_upper(u));
		if (!u->min)
			continue;
		for (i = 0; i < in->n; i++)
			if (hf__match_ok(hf__match_row(a, i), j) &&
			    fits_empty(in, i, j))
				can += in->hh[i].persons;
		if (can < u->min)
			return hf_error_set(
			    err, HF_EINFEASIBLE, u->code,
			    "Einheit %s soll mindestens %lld Personen "
			    "aufnehmen; Haushalte, die dorthin dürfen "
			    "(Bedarfe, Kapazität), haben zusammen nur "
			    "%lld Personen.",
			    "unit %s must take at least %lld persons; the "
			    "households that may go there (needs, "
			    "capacity) have only %lld persons together.",
			    u->code, (long long)u->min, can);
	}
	if (summin > persons)
		return hf_error_set(err, HF_EINFEASIBLE, "min",
				    "Die Mindestaufnahmen der Einheiten "
				    "ergeben %lld Personen, der Durchgang hat "
				    "nur %lld.",
				    "the units' minimum intakes add up to "
				    "%lld persons; the batch has only %lld.",
				    summin, persons);
	return HF_OK;
}

static int check_room(const hf_match_instance *in, const hf__match_allow *a,
		      hf_error *err)
{
	size_t i, j, d, s;
	char b[32], nb[256];

	for (i = 0; i < in->n; i++) {
		const uint64_t *row = hf__match_row(a, i);
		int any = 0, fit = 0;
		for (j = 0; j < in->m && !fit; j++)
			if (hf__match_ok(row, j)) {
				any = 1;
				fit = fits_empty(in, i, j);
			}
		if (fit)
			continue;
		needs_text(in, i, nb, sizeof nb);
		if (!in->m)
			return hf_error_set(err, HF_EINFEASIBLE,
					    hid(in, i, b, 32),
					    "Haushalt %s findet keine Einheit: "
					    "es gibt keine.",
					    "household %s finds no unit: there "
					    "are none.",
					    hid(in, i, b, 32));
		if (!any)
			return hf_error_set(err, HF_EINFEASIBLE,
					    hid(in, i, b, 32),
					    "Haushalt %s braucht %s; keine "
					    "Einheit bietet das.",
					    "household %s needs %s; no unit "
					    "offers that.",
					    hid(in, i, b, 32), nb);
		return hf_error_set(err, HF_EINFEASIBLE, hid(in, i, b, 32),
				    "Haushalt %s (%lld Personen) passt in "
				    "keine Einheit, die ihn aufnehmen darf "
				    "(Kapazität oder Höchstaufnahme zu klein).",
				    "household %s (%lld persons) fits no unit "
				    "it may go to (capacity or maximum intake "
				    "too small).",
				    hid(in, i, b, 32),
				    (long long)in->hh[i].persons);
	}
	for (s = 0; s < in->nservices; s++) {
		long long hhs = 0, need = 0, room = 0;
		for (i = 0; i < in->n; i++)
			for (d = 0; d < in->hh[i].nneeds; d++)
				if (in->hh[i].needs[d] == s) {
					hhs++;
					need += in->hh[i].persons;
					break;
				}
		if (!hhs)
			continue;
		for (j = 0; j < in->m; j++)
			if (offers(&in->units[j], (uint32_t)s))
				room += hf__match_upper(&in->units[j]);
		if (need > room)
			return hf_error_set(
			    err, HF_EINFEASIBLE, in->service_names[s],
			    "%lld Haushalte (%lld Personen) brauchen %s; "
			    "Einheiten mit diesem Angebot haben Platz "
			    "für %lld Personen.",
			    "%lld households (%lld persons) need %s; "
			    "units offering it have room for %lld "
			    "persons.",
			    hhs, need, in->service_names[s], room);
	}
	for (d = 0; d < in->ndims; d++) {
		long long need = 0, room = 0;
		for (i = 0; i < in->n; i++)
			need += in->hh[i].use[d];
		for (j = 0; j < in->m; j++)
			room += d ? in->units[j].cap[d]
				  : hf__match_upper(&in->units[j]);
		if (need > room)
			return hf_error_set(
			    err, HF_EINFEASIBLE, in->dim_names[d],
			    "Die Haushalte brauchen %lld Plätze »%s«, "
			    "alle Einheiten zusammen haben %lld.",
			    "the households need %lld places '%s'; all "
			    "units together have %lld.",
			    need, in->dim_names[d], room);
	}
	return HF_OK;
}

static int check(const hf_match_instance *in, const hf__match_allow *a,
		 int minima, hf_error *err)
{
	int rc;
	if (minima && (rc = check_minima(in, a, err)) < 0)
		return rc;
	if (!in->allow_unassigned && (rc = check_room(in, a, err)) < 0)
		return rc;
	return HF_OK;
}

int hf_match_check(const hf_match_instance *in, hf_error *err)
{
	hf__match_allow a;
	int rc;
	if ((rc = malformed(in, err)) < 0)
		return rc;
	if (hf__match_allow_build(in, &a) < 0)
		return oom(err);
	rc = check(in, &a, 1, err);
	hf__match_allow_free(&a);
	return rc;
}

int hf_match_verify(const hf_match_instance *in, const hf_match_result *r,
		    int strict, hf_error *err)
{
	hf__match_allow a;
	int64_t *load;
	size_t i, j, d;
	char b[32];
	int rc = HF_OK;

	if (hf__match_allow_build(in, &a) < 0)
		return oom(err);
	if (!(load = calloc(in->m * in->ndims + 1, sizeof *load))) {
		hf__match_allow_free(&a);
		return oom(err);
	}
	for (i = 0; i < in->n && rc == HF_OK; i++) {
		int64_t u = r->unit[i];
		if (u < 0) {
			if (strict && !in->allow_unassigned)
				rc = hf_error_set(err, HF_EINVAL,
						  hid(in, i, b, 32),
						  "Haushalt %s ohne Einheit.",
						  "household %s has no unit.",
						  hid(in, i, b, 32));
			continue;
		}
		if ((size_t)u >= in->m ||
		    !hf__match_ok(hf__match_row(&a, i), (size_t)u)) {
			rc = hf_error_set(err, HF_EINVAL, hid(in, i, b, 32),
					  "Haushalt %s: Bedarf verletzt.",
					  "household %s: need violated.",
					  hid(in, i, b, 32));
			continue;
		}
		for (d = 0; d < in->ndims; d++)
			load[(size_t)u * in->ndims + d] += in->hh[i].use[d];
	}
	for (j = 0; j < in->m && rc == HF_OK; j++) {
		const hf_match_unit *u = &in->units[j];
		const int64_t *l = load + j * in->ndims;
		for (d = 0; d < in->ndims && rc == HF_OK; d++)
			if (l[d] > u->cap[d])
				rc = hf_error_set(err, HF_EINVAL, u->code,
						  "Einheit %s: %s %lld > %lld.",
						  "unit %s: %s %lld > %lld.",
						  u->code, in->dim_names[d],
						  (long long)l[d],
						  (long long)u->cap[d]);
		if (rc == HF_OK && (l[0] > u->max || (strict && l[0] < u->min)))
			rc = hf_error_set(err, HF_EINVAL, u->code,
					  "Einheit %s: %lld Personen außerhalb "
					  "des Korridors [%lld, %lld].",
					  "unit %s: %lld persons outside the "
					  "corridor [%lld, %lld].",
					  u->code, (long long)l[0],
					  (long long)u->min, (long long)u->max);
	}
	free(load);
	hf__match_allow_free(&a);
	return rc;
}

/* ---- solve ------------------------------------------------------------ */

int hf_match_solve(const hf_match_instance *in, hf_match_mode mode,
		   const hf_match_options *o, hf_match_result **out,
		   hf_error *err)
{
	hf_match_options def;
	hf__match_allow a;
	hf_match_result *r = NULL;
	struct timespec t0, t1;
	int rc;

	*out = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!o) {
		hf_match_options_init(&def);
		o = &def;
	}
	if ((unsigned)mode >= HF_MATCH_MODE_COUNT)
		return hf_error_set(err, HF_EINVAL, "mode",
				    "Unbekannter Modus.", "Unknown mode.");
	if ((rc = malformed(in, err)) < 0)
		return rc;
	if (hf__match_allow_build(in, &a) < 0)
		return oom(err);
	if ((rc = check(in, &a, mode == HF_MATCH_OPTIMAL, err)) < 0)
		goto out;
	if (!(r = hf__match_result_new(in, mode))) {
		rc = oom(err);
		goto out;
	}
	switch (mode) {
	case HF_MATCH_OPTIMAL:
		rc = hf__match_optimal(in, o, &a, r, err);
		break;
	case HF_MATCH_STABLE:
		rc = hf__match_stable(in, &a, r, err);
		break;
	default:
		rc = hf__match_allocate(in, &a, r, err);
		break;
	}
	if (rc < 0)
		goto out;
	if ((rc = hf_match_verify(in, r, mode == HF_MATCH_OPTIMAL, err)) < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		     (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	*out = r;
	r = NULL;
out:
	hf_match_result_free(r);
	hf__match_allow_free(&a);
	return rc;
}

/* ---- built-in scores -------------------------------------------------- */

void hf_match_weights_default(hf_match_weights *w)
{
	w->tie = 10;
	w->preference = 5;
	w->language = 2;
	w->occupation = 3;
}

static int meet(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t x, y;
	for (x = 0; x < na; x++)
		for (y = 0; y < nb; y++)
			if (a[x] == b[y])
				return 1;
	return 0;
}

int hf_match_scores_builtin(const hf_match_instance *in,
			    const hf_match_traits *t, const hf_match_weights *w,
			    double *out, hf_error *err)
{
	size_t i, j, k;
	(void)err;
	for (i = 0; i < in->n; i++) {
		const hf_match_household *h = &in->hh[i];
		double *row = out + i * in->m;
		for (j = 0; j < in->m; j++) {
			double v = 0;
			if (t && meet(t->hh_lang[i], t->hh_nlang[i],
				      t->unit_lang[j], t->unit_nlang[j]))
				v += w->language;
			if (t && meet(t->hh_occ[i], t->hh_nocc[i],
				      t->unit_occ[j], t->unit_nocc[j]))
				v += w->occupation;
			row[j] = v;
		}
		for (k = 0; k < h->nties; k++)
			if (k == 0 || !meet(h->ties + k, 1, h->ties, k))
				row[h->ties[k]] += w->tie;
		for (k = 0; k < h->nprefs; k++)
			if (!meet(h->prefs + k, 1, h->prefs, k))
				row[h->prefs[k]] +=
				    w->preference *
				    (1.0 - (double)k / (double)h->nprefs);
	}
	return HF_OK;
}

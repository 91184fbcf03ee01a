/* match_check.c: what makes an instance malformed or visibly infeasible,
 * said in words with the household or unit, and the verification of a
 * result against every constraint. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

static int oom(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
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

/*
 * Whether every score is finite: on rows stored side by side (a .npy
 * matrix in row order) without a branch per score, so that the compiler
 * can take many at a time (an exponent of all ones is an infinity or a
 * NaN), and from 2^20 scores on half the rows on a second thread: the
 * first pass over a mapped matrix is mostly the kernel's page faults,
 * which two threads take in about half the time (national: 0.19 s on one
 * thread). Where some score is not finite, the caller's loop finds the
 * first in order and names it.
 */
typedef struct finite_part {
	const hf_match_scores *s;
	size_t m;
	int ok[2]; /* per half */
} finite_part;

static void finite_rows(void *arg, size_t part, size_t from, size_t to)
{
	finite_part *f = arg;
	const hf_match_scores *s = f->s;
	size_t i, j, m = f->m;
	unsigned bad = 0;
	for (i = from; i < to; i++) {
		if (s->stype == HF_MATCH_F32) {
			const uint32_t *r =
			    (const uint32_t *)s->data + i * s->row;
			for (j = 0; j < m; j++)
				bad |= (r[j] & 0x7f800000u) == 0x7f800000u;
		} else {
			const uint64_t *r =
			    (const uint64_t *)s->data + i * s->row;
			for (j = 0; j < m; j++)
				bad |= (r[j] & 0x7ff0000000000000u) ==
				       0x7ff0000000000000u;
		}
		if (bad)
			break;
	}
	f->ok[part] = !bad;
}

static int finite_all(const hf_match_scores *s, size_t n, size_t m)
{
	finite_part f = {s, m, {1, 1}};
	if (s->col != 1 || !s->data)
		return 0; /* the caller's loop */
	hf__match_halves(n, m, finite_rows, &f);
	return f.ok[0] && f.ok[1];
}

int hf__match_malformed(const hf_match_instance *in, hf_error *err)
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
	if (finite_all(&in->scores, in->n, in->m))
		return HF_OK;
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
		/* enough once the minimum is reached: a national instance
		 * reaches it within its first households, not after all */
		for (i = 0; i < in->n && can < u->min; i++)
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
			if (hf__match_offers(&in->units[j], (uint32_t)s))
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

int hf__match_feasible(const hf_match_instance *in, const hf__match_allow *a,
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
	if ((rc = hf__match_malformed(in, err)) < 0)
		return rc;
	if (hf__match_allow_build(in, &a) < 0)
		return oom(err);
	rc = hf__match_feasible(in, &a, 1, err);
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

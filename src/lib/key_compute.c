/* key_compute.c: distribution keys from weighted indicators, with the
 * optional NRW cap (FlüAG NRW § 3 (1)). Exact throughout: the shares it
 * returns sum to exactly 1.
 *
 * The cap as the law iterates it (cut the units above cap × population
 * share, spread the excess over the others in proportion to their key,
 * repeat) scales every uncapped share by one common factor each round. So
 * the result is: capped units at cap × p_i, the others at their uncapped
 * share s_i times f = (1 - sum of caps) / (sum of their s_i). The loop
 * below only finds the capped set; computing from s_i directly keeps the
 * denominators from growing round by round. The set does not depend on the
 * order of capping: f only grows as units are capped, so a unit above its
 * cap stays above it.
 */
#include "hafen/key.h"

#include <stdlib.h>

static int overflow(hf_error *err, const char *where)
{
	return hf_error_set(
		err, HF_EOVERFLOW, where,
		"Der Schlüssel lässt sich aus diesen Werten nicht exakt in 64 "
		"Bit berechnen; bitte die Werte gröber angeben (z. B. ganze "
		"Einwohner, Fläche in ha statt km² mit vielen Stellen).",
		"The key cannot be computed exactly in 64 bits from these "
		"values; please give them less finely (e.g. whole inhabitants, "
		"area in whole hectares rather than km² with many decimals).");
}

static int check_input(const hf_key_weight *weights, size_t nweights,
		       hf_rat cap, size_t n, const hf_rat *values,
		       hf_error *err)
{
	hf_rat sum = hf_rat_int(0);
	char a[48];
	size_t i, k;

	if (n == 0)
		return hf_error_set(err, HF_EINVAL, "units",
				    "Ein Schlüssel braucht mindestens eine "
				    "Einheit.",
				    "A key needs at least one unit.");
	if (nweights == 0 || nweights > HF_KEY_WEIGHTS_MAX)
		return hf_error_set(
			err, HF_EINVAL, "weights",
			"Ein berechneter Schlüssel braucht 1 bis %d Indikatoren, "
			"nicht %zu.",
			"A computed key needs 1 to %d indicators, not %zu.",
			HF_KEY_WEIGHTS_MAX, nweights);
	for (k = 0; k < nweights; k++) {
		if (weights[k].weight.num < 0)
			return hf_error_set(
				err, HF_EINVAL, weights[k].indicator,
				"Das Gewicht von %s ist negativ.",
				"The weight of %s is negative.",
				weights[k].indicator);
		if (hf_rat_add(sum, weights[k].weight, &sum) < 0)
			return overflow(err, "weights");
	}
	if (hf_rat_cmp(sum, hf_rat_int(1)) != 0) {
		hf_rat pct;
		if (hf_rat_mul(sum, hf_rat_int(100), &pct) < 0)
			return overflow(err, "weights");
		hf_rat_format_decimal(pct, 4, ',', a, sizeof a);
		return hf_error_set(
			err, HF_ESUM, "weights",
			"Die Gewichte der Indikatoren ergeben %s %%, nicht "
			"genau 100 %%.",
			"The weights of the indicators sum to %s %%, not "
			"exactly 100 %%.",
			a);
	}
	if (cap.num != 0 && hf_rat_cmp(cap, hf_rat_int(1)) < 0)
		return hf_error_set(
			err, HF_EINVAL, "cap",
			"Die Kappungsgrenze muss mindestens das 1-fache des "
			"Anteils nach dem ersten Indikator sein (NRW: 5/4).",
			"The cap must be at least 1 times the share by the first "
			"indicator (NRW: 5/4).");
	for (i = 0; i < n; i++)
		for (k = 0; k < nweights; k++)
			if (values[i * nweights + k].num < 0)
				return hf_error_set(
					err, HF_EINVAL, weights[k].indicator,
					"Der Wert von %s für die %zu. Einheit "
					"ist negativ.",
					"The value of %s for unit %zu is "
					"negative.",
					weights[k].indicator, i + 1);
	return HF_OK;
}

/* Column k's shares v_ik / sum_j v_jk into col. */
static int column_shares(const hf_key_weight *w, size_t nweights, size_t k,
			 size_t n, const hf_rat *values, hf_rat *col,
			 hf_error *err)
{
	hf_rat sum = hf_rat_int(0);
	size_t i;

	for (i = 0; i < n; i++)
		if (hf_rat_add(sum, values[i * nweights + k], &sum) < 0)
			return overflow(err, w[k].indicator);
	if (hf_rat_is_zero(sum))
		return hf_error_set(
			err, HF_EINVAL, w[k].indicator,
			"Der Indikator %s ist für alle Einheiten null; daraus "
			"lässt sich kein Anteil berechnen.",
			"The indicator %s is zero for every unit; no share can "
			"be computed from it.",
			w[k].indicator);
	for (i = 0; i < n; i++)
		if (hf_rat_div(values[i * nweights + k], sum, &col[i]) < 0)
			return overflow(err, w[k].indicator);
	return HF_OK;
}

/* Finds the capped units and writes the final shares over s. */
static int apply_cap(hf_rat cap, size_t n, const hf_rat *pop, hf_rat *s,
		     char *capped, hf_error *err)
{
	hf_rat capsum = hf_rat_int(0), rest, f, lim, v;
	size_t i, added;

	do {
		/* rest: the uncapped units' shares before any cut */
		rest = hf_rat_int(0);
		for (i = 0; i < n; i++)
			if (!capped[i] && hf_rat_add(rest, s[i], &rest) < 0)
				return overflow(err, "cap");
		if (hf_rat_sub(hf_rat_int(1), capsum, &f) < 0)
			return overflow(err, "cap");
		if (hf_rat_is_zero(rest)) {
			if (!hf_rat_is_zero(f))
				return hf_error_set(
					err, HF_EINFEASIBLE, "cap",
					"Die Kappung lässt sich nicht erfüllen: "
					"keine ungekappte Einheit hat einen "
					"Anteil, der den Überhang aufnehmen "
					"könnte.",
					"The cap cannot be met: no uncapped "
					"unit has a share that could take the "
					"excess.");
			f = hf_rat_int(1);
		} else if (hf_rat_div(f, rest, &f) < 0) {
			return overflow(err, "cap");
		}
		added = 0;
		for (i = 0; i < n; i++) {
			if (capped[i])
				continue;
			if (hf_rat_mul(cap, pop[i], &lim) < 0 ||
			    hf_rat_mul(s[i], f, &v) < 0)
				return overflow(err, "cap");
			if (hf_rat_cmp(v, lim) > 0) {
				capped[i] = 1;
				added++;
				if (hf_rat_add(capsum, lim, &capsum) < 0)
					return overflow(err, "cap");
			}
		}
	} while (added);
	for (i = 0; i < n; i++) {
		int rc = capped[i] ? hf_rat_mul(cap, pop[i], &s[i])
				   : hf_rat_mul(s[i], f, &s[i]);
		if (rc < 0)
			return overflow(err, "cap");
	}
	return HF_OK;
}

int hf_key_compute(const hf_key_weight *weights, size_t nweights, hf_rat cap,
		   size_t n, const hf_rat *values, hf_rat *out,
		   hf_error *err)
{
	hf_rat *col = NULL, *pop = NULL, *s = NULL, sum, t;
	char *capped = NULL;
	size_t i, k;
	int rc;

	if ((rc = check_input(weights, nweights, cap, n, values, err)) < 0)
		return rc;
	col = malloc(n * sizeof *col);
	pop = malloc(n * sizeof *pop);
	s = malloc(n * sizeof *s);
	capped = calloc(n, 1);
	if (!col || !pop || !s || !capped) {
		rc = hf_error_set(err, HF_ENOMEM, "", "Kein Speicher mehr.",
				  "Out of memory.");
		goto done;
	}
	for (i = 0; i < n; i++)
		s[i] = hf_rat_int(0);
	for (k = 0; k < nweights; k++) {
		/* an indicator of weight 0 does not count, except the first
		 * under a cap, which the cap refers to */
		if (hf_rat_is_zero(weights[k].weight) && !(k == 0 && cap.num))
			continue;
		if ((rc = column_shares(weights, nweights, k, n, values, col,
					err)) < 0)
			goto done;
		for (i = 0; i < n; i++) {
			if (k == 0)
				pop[i] = col[i];
			if (hf_rat_mul(col[i], weights[k].weight, &t) < 0 ||
			    hf_rat_add(s[i], t, &s[i]) < 0) {
				rc = overflow(err, weights[k].indicator);
				goto done;
			}
		}
	}
	if (cap.num != 0 &&
	    (rc = apply_cap(cap, n, pop, s, capped, err)) < 0)
		goto done;
	sum = hf_rat_int(0);
	for (i = 0; i < n; i++)
		if (hf_rat_add(sum, s[i], &sum) < 0) {
			rc = overflow(err, "shares");
			goto done;
		}
	if (hf_rat_cmp(sum, hf_rat_int(1)) != 0) {
		/* cannot happen with weights summing to 1; refuse rather
		 * than hand out a key that is not whole */
		rc = hf_error_set(err, HF_ESUM, "shares",
				  "Interner Fehler: die berechneten Anteile "
				  "ergeben nicht genau 1.",
				  "Internal error: the computed shares do not "
				  "sum to exactly 1.");
		goto done;
	}
	for (i = 0; i < n; i++)
		out[i] = s[i];
	rc = HF_OK;
done:
	free(col);
	free(pop);
	free(s);
	free(capped);
	return rc;
}

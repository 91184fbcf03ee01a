/* quota.c: quotas (Aufnahmesoll) and fulfilment, exact, as quota.h defines
 * them. Keeps: quotas sum to the base, and with a dynamic base the
 * balances sum to what was carried in. */
#include "hafen/quota.h"

#include <stdio.h>
#include <stdlib.h>

static int overflow(hf_error *err, size_t row)
{
	char where[32];
	snprintf(where, sizeof where, "row %zu", row + 1);
	return hf_error_set(err, HF_EOVERFLOW, where,
			    "Die Quote der %zu. Einheit lässt sich nicht exakt "
			    "in 64 Bit berechnen.",
			    "The quota of unit %zu cannot be computed exactly "
			    "in 64 bits.",
			    row + 1);
}

static int check_shares(const hf_quota_input *in, hf_error *err)
{
	hf_rat sum = hf_rat_int(0);
	char a[48];
	size_t i;

	for (i = 0; i < in->n; i++) {
		if (in->shares[i].num < 0)
			return hf_error_set(
				err, HF_EINVAL, "shares",
				"Der Anteil der %zu. Einheit ist negativ.",
				"The share of unit %zu is negative.", i + 1);
		if (hf_rat_add(sum, in->shares[i], &sum) < 0)
			return overflow(err, i);
	}
	if (hf_rat_cmp(sum, hf_rat_int(1)) != 0) {
		hf_rat pct;
		if (hf_rat_mul(sum, hf_rat_int(100), &pct) < 0)
			return overflow(err, 0);
		hf_rat_format_decimal(pct, 10, ',', a, sizeof a);
		return hf_error_set(
			err, HF_EINVAL, "shares",
			"Die Anteile ergeben %s %%, nicht genau 100 %%; eine "
			"Quote braucht einen vollständigen Schlüssel.",
			"The shares sum to %s %%, not exactly 100 %%; a quota "
			"needs a whole key.",
			a);
	}
	if (in->fixed && in->contingent < 0)
		return hf_error_set(err, HF_EINVAL, "contingent",
				    "Das Kontingent (%lld) darf nicht negativ "
				    "sein.",
				    "The contingent (%lld) must not be "
				    "negative.",
				    (long long)in->contingent);
	return HF_OK;
}

/* Ist and angerechnet of one row. */
static int row_figures(const hf_quota_input *in, size_t i, hf_quota_row *r,
		       hf_error *err)
{
	int64_t actual = 0, p;
	hf_rat credited = hf_rat_int(0), t;
	int c;

	for (c = 0; c < HF_CAT_COUNT; c++) {
		p = in->persons[i][c];
		if (hf_category_sign((hf_category)c) < 0) {
			if (p == INT64_MIN)
				return overflow(err, i);
			p = -p;
		}
		if (__builtin_add_overflow(actual, p, &actual) ||
		    hf_rat_mul(in->credit[c], hf_rat_int(p), &t) < 0 ||
		    hf_rat_add(credited, t, &credited) < 0)
			return overflow(err, i);
	}
	r->standing = in->standing ? in->standing[i] : 0;
	if (hf_rat_add(credited, hf_rat_int(r->standing), &credited) < 0)
		return overflow(err, i);
	r->share = in->shares[i];
	r->actual = actual;
	r->credited = credited;
	r->carry_in = in->carry_in ? in->carry_in[i] : hf_rat_int(0);
	return HF_OK;
}

/*
 * Whole persons: apportion floor(base) over the quotas. A negative base
 * (more credited departures than arrivals) is mirrored: |floor(base)|
 * over |quota|, negated, so the rounded quotas still sum to floor(base).
 */
static int round_quotas(const hf_quota_input *in, hf_quota_row *rows,
			int64_t base_rounded, hf_error *err)
{
	hf_rat *w = malloc((in->n ? in->n : 1) * sizeof *w);
	int64_t *out = malloc((in->n ? in->n : 1) * sizeof *out);
	int neg = base_rounded < 0;
	size_t i;
	int rc;

	if (!w || !out) {
		rc = hf_error_set(err, HF_ENOMEM, "", "Kein Speicher mehr.",
				  "Out of memory.");
		goto done;
	}
	if (neg && base_rounded == INT64_MIN) {
		rc = overflow(err, 0);
		goto done;
	}
	for (i = 0; i < in->n; i++) {
		w[i] = rows[i].quota;
		if (neg)
			w[i].num = -w[i].num;
	}
	rc = hf_apportion(in->method, w, in->n,
			  neg ? -base_rounded : base_rounded, out, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < in->n; i++)
		rows[i].quota_rounded = neg ? -out[i] : out[i];
done:
	free(w);
	free(out);
	return rc;
}

int hf_quota_compute(const hf_quota_input *in, hf_quota_row *rows,
		     hf_quota_total *total, hf_error *err)
{
	hf_quota_total t;
	size_t i;
	int rc;

	if ((rc = check_shares(in, err)) < 0)
		return rc;
	t.base = hf_rat_int(0);
	t.actual = 0;
	t.credited = t.quota = t.carry_in = t.balance = hf_rat_int(0);
	for (i = 0; i < in->n; i++) {
		if ((rc = row_figures(in, i, &rows[i], err)) < 0)
			return rc;
		if (__builtin_add_overflow(t.actual, rows[i].actual,
					   &t.actual) ||
		    hf_rat_add(t.credited, rows[i].credited, &t.credited) < 0 ||
		    hf_rat_add(t.carry_in, rows[i].carry_in, &t.carry_in) < 0)
			return overflow(err, i);
	}
	t.base = in->fixed ? hf_rat_int(in->contingent) : t.credited;
	t.base_rounded = hf_rat_floor(t.base);
	for (i = 0; i < in->n; i++) {
		hf_quota_row *r = &rows[i];
		hf_rat d;
		if (hf_rat_mul(r->share, t.base, &r->quota) < 0 ||
		    hf_rat_sub(r->credited, r->quota, &d) < 0 ||
		    hf_rat_add(d, r->carry_in, &r->balance) < 0 ||
		    hf_rat_add(t.quota, r->quota, &t.quota) < 0 ||
		    hf_rat_add(t.balance, r->balance, &t.balance) < 0)
			return overflow(err, i);
		r->has_percent = !hf_rat_is_zero(r->quota);
		r->percent = hf_rat_int(0);
		if (r->has_percent &&
		    (hf_rat_div(r->credited, r->quota, &d) < 0 ||
		     hf_rat_mul(d, hf_rat_int(100), &r->percent) < 0))
			return overflow(err, i);
	}
	if ((rc = round_quotas(in, rows, t.base_rounded, err)) < 0)
		return rc;
	if (total)
		*total = t;
	return HF_OK;
}

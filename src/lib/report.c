/* report.c: quota tables from the database: gathers key, children, ledger
 * sums, standing credits and carried balances, and lets quota.c compute. */
#include "hafen/report.h"

#include <stdlib.h>
#include <string.h>

#include "db_int.h"

hf_quota_options hf_quota_options_default(void)
{
	hf_quota_options o;
	memset(&o, 0, sizeof o);
	o.method = HF_APPORTION_HARE_NIEMEYER;
	return o;
}

void hf_quota_table_free(hf_quota_table *t)
{
	if (!t)
		return;
	hf_key_clear(&t->key);
	free(t->persons);
	free(t->units);
	free(t->rows);
	free(t);
}

int hf_quota_table_find(const hf_quota_table *t, const char *code)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		if (!strcmp(t->units[i].code, code))
			return (int)i;
	return -1;
}

/* Children of the key's parent in the order of the key's shares (both are
 * sorted by code, and hf_key_check guarantees the same set). */
static int load_children(hf_db *db, hf_quota_table *t, hf_error *err)
{
	size_t n = 0, i;
	int rc;

	if ((rc = hf_db_unit_get(db, t->key.parent, &t->parent, err)) < 0)
		return rc;
	if ((rc = hf_db_unit_list(db, t->key.parent, &t->units, &n, err)) < 0)
		return rc;
	if (n != t->key.nshares)
		goto mismatch;
	for (i = 0; i < n; i++)
		if (strcmp(t->units[i].code, t->key.shares[i].unit))
			goto mismatch;
	t->n = n;
	return HF_OK;
mismatch:
	return hf_error_set(
		err, HF_ECONFLICT, t->key.name,
		"Schlüssel %s passt nicht mehr zu den Untereinheiten von %s "
		"(Einheiten wurden hinzugefügt): bitte einen neuen Schlüssel "
		"anlegen.",
		"Key %s no longer fits the children of %s (units were added): "
		"please add a new key.",
		t->key.name, t->key.parent);
}

/* One period's rows for a loaded table; carry_in may be NULL. */
static int compute_period(hf_db *db, hf_quota_table *t, const hf_rat *carry_in,
			  hf_error *err)
{
	const char **codes = NULL;
	int64_t *standing = NULL;
	hf_rat *shares = NULL;
	hf_standing *st = NULL;
	hf_quota_input in;
	size_t nst = 0, i, j;
	int rc = HF_ENOMEM;

	codes = calloc(t->n ? t->n : 1, sizeof *codes);
	standing = calloc(t->n ? t->n : 1, sizeof *standing);
	shares = calloc(t->n ? t->n : 1, sizeof *shares);
	if (!codes || !standing || !shares) {
		hf_error_set(err, rc, "", "Zu wenig Speicher.", "Out of memory.");
		goto out;
	}
	for (i = 0; i < t->n; i++) {
		codes[i] = t->units[i].code;
		shares[i] = t->key.shares[i].share;
	}
	if ((rc = hf_db_ledger_sums(db, codes, t->n, t->period, t->persons,
				    err)) < 0)
		goto out;
	if ((rc = hf_db_standing_list(db, t->key.name, t->period, &st, &nst,
				      err)) < 0)
		goto out;
	for (j = 0; j < nst; j++)
		for (i = 0; i < t->n; i++)
			if (!strcmp(st[j].unit, codes[i]))
				standing[i] += st[j].persons;
	memset(&in, 0, sizeof in);
	in.n = t->n;
	in.shares = shares;
	in.persons = (const int64_t(*)[HF_CAT_COUNT])t->persons;
	in.standing = standing;
	in.carry_in = carry_in;
	in.credit = t->key.credit;
	in.fixed = t->options.fixed;
	in.contingent = t->options.contingent;
	in.method = t->options.method;
	rc = hf_quota_compute(&in, t->rows, &t->total, err);
out:
	free(st);
	free(shares);
	free(standing);
	free(codes);
	return rc;
}

static int load(hf_db *db, const char *key, const char *parent, hf_period p,
		hf_quota_table *t, hf_error *err)
{
	int rc;
	if (key)
		rc = hf_db_key_get(db, key, &t->key, err);
	else
		rc = hf_db_key_find(db, parent, p, &t->key, err);
	if (rc < 0)
		return rc;
	if (!hf_key_covers(&t->key, p)) {
		char ps[32];
		hf_period_format(p, ps);
		return hf_error_set(
			err, HF_ENOTFOUND, "period",
			"Schlüssel %s gilt nicht für den ganzen Zeitraum %s: "
			"bitte den Schlüssel dieses Zeitraums wählen "
			"(hafen key list).",
			"Key %s is not valid for the whole period %s: please "
			"choose the key of that period (hafen key list).",
			t->key.name, ps);
	}
	if ((rc = load_children(db, t, err)) < 0)
		return rc;
	t->rows = calloc(t->n ? t->n : 1, sizeof *t->rows);
	t->persons = calloc(t->n ? t->n : 1, sizeof *t->persons);
	if (!t->rows || !t->persons)
		return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
				    "Out of memory.");
	t->period = p;
	return HF_OK;
}

/* Computes the balances of the years carry_since .. year-1, each carried
 * into the next, into carry (n entries, by child code). */
static int carry_balances(hf_db *db, const hf_quota_table *target,
			  hf_rat *carry, hf_error *err)
{
	int year = hf_date_year(target->period.from), y, rc = HF_OK;
	size_t i, j;

	for (i = 0; i < target->n; i++)
		carry[i] = hf_rat_int(0);
	for (y = target->options.carry_since; y < year; y++) {
		hf_quota_table *t = calloc(1, sizeof *t);
		hf_period p;
		if (!t)
			return hf_error_set(err, HF_ENOMEM, "",
					    "Zu wenig Speicher.",
					    "Out of memory.");
		hf_key_init(&t->key);
		t->options = target->options;
		t->options.fixed = 0;
		hf_date_make(y, 1, 1, &p.from);
		hf_date_make(y, 12, 31, &p.to);
		rc = load(db, NULL, target->key.parent, p, t, err);
		if (rc == HF_OK) {
			hf_rat *in = calloc(t->n ? t->n : 1, sizeof *in);
			if (!in) {
				rc = HF_ENOMEM;
			} else {
				/* carry by code: the children may differ */
				for (i = 0; i < t->n; i++) {
					in[i] = hf_rat_int(0);
					for (j = 0; j < target->n; j++)
						if (!strcmp(t->units[i].code,
							    target->units[j].code))
							in[i] = carry[j];
				}
				rc = compute_period(db, t, in, err);
				for (j = 0; rc == HF_OK && j < target->n; j++) {
					carry[j] = hf_rat_int(0);
					for (i = 0; i < t->n; i++)
						if (!strcmp(t->units[i].code,
							    target->units[j].code))
							carry[j] = t->rows[i].balance;
				}
				free(in);
			}
		}
		hf_quota_table_free(t);
		if (rc < 0)
			return rc;
	}
	return HF_OK;
}

static int table_compute(hf_db *db, const char *key, const char *parent,
			 hf_period period, const hf_quota_options *opt,
			 hf_quota_table **out, hf_error *err)
{
	hf_quota_table *t = calloc(1, sizeof *t);
	hf_rat *carry = NULL;
	int rc;

	if (!t)
		return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
				    "Out of memory.");
	hf_key_init(&t->key);
	t->options = opt ? *opt : hf_quota_options_default();
	if ((rc = load(db, key, parent, period, t, err)) < 0)
		goto fail;
	if (t->options.carry_since) {
		int y0, m0, d0, y1, m1, d1;
		hf_date_split(period.from, &y0, &m0, &d0);
		hf_date_split(period.to, &y1, &m1, &d1);
		if (y0 != y1 || m0 != 1 || d0 != 1 || m1 != 12 || d1 != 31) {
			rc = hf_error_set(
				err, HF_EINVAL, "carry",
				"Salden werden nur zwischen Kalenderjahren "
				"übertragen: bitte ein Jahr als Zeitraum "
				"angeben (z. B. 2023).",
				"Balances are carried between calendar years "
				"only: please give a year as the period "
				"(e.g. 2023).");
			goto fail;
		}
		if (t->options.carry_since >= y0) {
			rc = hf_error_set(
				err, HF_EINVAL, "carry",
				"Der Übertrag muss vor dem Jahr %d beginnen.",
				"The carry must start before the year %d.", y0);
			goto fail;
		}
		carry = calloc(t->n ? t->n : 1, sizeof *carry);
		if (!carry) {
			rc = hf_error_set(err, HF_ENOMEM, "",
					  "Zu wenig Speicher.",
					  "Out of memory.");
			goto fail;
		}
		if ((rc = carry_balances(db, t, carry, err)) < 0)
			goto fail;
		t->carried_from = t->options.carry_since;
		t->carried_to = y0 - 1;
	}
	if ((rc = compute_period(db, t, carry, err)) < 0)
		goto fail;
	free(carry);
	*out = t;
	return HF_OK;
fail:
	free(carry);
	hf_quota_table_free(t);
	return rc;
}

int hf_quota_table_compute(hf_db *db, const char *key, const char *parent,
			   hf_period period, const hf_quota_options *opt,
			   hf_quota_table **out, hf_error *err)
{
	int rc;

	/* the key, the units, the ledger's sums and the standing credits of
	 * one state of the database, whoever writes meanwhile */
	*out = NULL;
	if ((rc = hf__db_read_begin(db, err)) < 0)
		return rc;
	rc = hf__db_read_end(
	    db, table_compute(db, key, parent, period, opt, out, err), err);
	if (rc < 0 && *out) {
		hf_quota_table_free(*out);
		*out = NULL;
	}
	return rc;
}

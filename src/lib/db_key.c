/*
 * db_key.c: distribution keys and credits in the database API: checking
 * a key's recipe and shares before it is stored, computing shares from
 * stored indicators, finding the key valid for a period, and standing
 * credits, which count whole within a period or not at all.
 */
#include "hafen/db.h"

#include <stdlib.h>
#include <string.h>

#include "db_int.h"

static int key_missing(hf_error *err, const char *name)
{
	return hf_error_set(err, HF_ENOTFOUND, "key",
			    "Den Schlüssel %s gibt es nicht: bitte den Namen "
			    "prüfen (hafen key list).",
			    "There is no key %s: please check the name "
			    "(hafen key list).",
			    name);
}

static int key_check_recipe(const hf_key *k, hf_error *err)
{
	hf_rat sum = hf_rat_int(0);
	size_t i;
	int c, rc;

	if (k->nweights > HF_KEY_WEIGHTS_MAX)
		return hf_error_set(err, HF_ERANGE, "weights",
				    "Schlüssel %s: höchstens %d Gewichte.",
				    "Key %s: at most %d weights.", k->name,
				    HF_KEY_WEIGHTS_MAX);
	for (i = 0; i < k->nweights; i++) {
		if ((rc = hf__db_check_rat(k->weights[i].weight, "weights",
					   err)) < 0)
			return rc;
		if (hf_rat_add(sum, k->weights[i].weight, &sum) < 0)
			return hf_error_set(err, HF_EOVERFLOW, "weights",
					    "Schlüssel %s: Gewichte zu groß.",
					    "Key %s: weights too large.",
					    k->name);
	}
	if (k->kind == HF_KEY_COMPUTED && hf_rat_cmp(sum, hf_rat_int(1)))
		return hf_error_set(err, HF_ESUM, "weights",
				    "Schlüssel %s: die Gewichte der Kennzahlen "
				    "ergeben nicht genau 1 (100 %%).",
				    "Key %s: the weights of the indicators do "
				    "not sum to exactly 1 (100 %%).",
				    k->name);
	if ((rc = hf__db_check_rat(k->cap, "cap", err)) < 0)
		return rc;
	for (c = 0; c < HF_CAT_COUNT; c++)
		if ((rc = hf__db_check_rat(k->credit[c], "credit", err)) < 0)
			return rc;
	return HF_OK;
}

static int key_add(hf_db *db, hf_key *k, hf_error *err)
{
	hf_unit parent, *children = NULL;
	size_t n = 0;
	hf_key probe;
	int rc;

	if ((rc = OPS(db)->unit_get(db->st, k->parent, &parent, err)) < 0)
		return rc == HF_ENOTFOUND
			   ? hf__db_unit_missing(err, "parent", k->parent)
			   : rc;
	if ((rc = key_check_recipe(k, err)) < 0)
		return rc;
	if ((rc = OPS(db)->unit_list(db->st, k->parent, &children, &n, err)) <
	    0)
		return rc;
	rc = hf_key_check(k, children, n, err);
	free(children);
	if (rc < 0)
		return rc;
	rc = OPS(db)->key_get(db->st, k->name, &probe, err);
	if (rc == HF_OK) {
		hf_key_clear(&probe);
		return hf_error_set(err, HF_EEXIST, "name",
				    "Den Schlüssel %s gibt es schon: bitte "
				    "einen anderen Namen wählen.",
				    "The key %s exists already: please choose "
				    "another name.",
				    k->name);
	}
	if (rc != HF_ENOTFOUND)
		return rc;
	return OPS(db)->key_insert(db->st, k, err);
}

int hf_db_key_add(hf_db *db, hf_key *k, hf_error *err)
{
	int rc;

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = key_add(db, k, err);
	if (rc == HF_OK)
		rc = hf__db_audit(db, "key.add", k->name, err,
				  "parent=%s kind=%s shares=%zu", k->parent,
				  hf_key_kind_slug(k->kind), k->nshares);
	return hf__db_tx_end(db, rc, err);
}

int hf_db_key_compute(hf_db *db, hf_key *k, hf_error *err)
{
	hf_unit *children = NULL;
	hf_rat *values = NULL, *shares = NULL;
	size_t n = 0, i, w;
	int rc;

	hf_key_clear(k);
	if ((rc = hf_db_unit_list(db, k->parent, &children, &n, err)) < 0)
		return rc;
	values = calloc(n * k->nweights + 1, sizeof *values);
	shares = calloc(n + 1, sizeof *shares);
	k->shares = calloc(n + 1, sizeof *k->shares);
	if (!values || !shares || !k->shares) {
		rc = hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
				  "Out of memory.");
		goto out;
	}
	for (i = 0; i < n; i++)
		for (w = 0; w < k->nweights; w++) {
			hf_indicator ind;
			if ((rc = hf_db_indicator_get(db, children[i].code,
						      k->weights[w].indicator,
						      k->ref_date, &ind, err)) <
			    0)
				goto out;
			values[i * k->nweights + w] = ind.value;
		}
	if ((rc = hf_key_compute(k->weights, k->nweights, k->cap, n, values,
				 shares, err)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		memcpy(k->shares[i].unit, children[i].code, HF_CODE_MAX);
		k->shares[i].share = shares[i];
	}
	k->nshares = n;
out:
	free(shares);
	free(values);
	free(children);
	return rc;
}

int hf_db_key_get(hf_db *db, const char *name, hf_key *out, hf_error *err)
{
	int rc;

	/* a key is read from four tables: one snapshot */
	if ((rc = hf__db_read_begin(db, err)) < 0)
		return rc;
	rc = hf__db_read_end(db, OPS(db)->key_get(db->st, name, out, err), err);
	return rc == HF_ENOTFOUND ? key_missing(err, name) : rc;
}

int hf_db_key_find(hf_db *db, const char *parent, hf_period p, hf_key *out,
		   hf_error *err)
{
	hf_key *keys = NULL, *best = NULL;
	size_t n = 0, i;
	char buf[32];
	int rc;

	if ((rc = OPS(db)->key_list(db->st, parent, &keys, &n, err)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		/* an open start (HF_DATE_NONE) is the earliest of all */
		if (hf_key_covers(&keys[i], p) &&
		    (!best || keys[i].valid_from > best->valid_from))
			best = &keys[i];
	}
	if (best)
		rc = hf_db_key_get(db, best->name, out, err);
	free(keys);
	if (best)
		return rc;
	hf_period_format(p, buf);
	return hf_error_set(err, HF_ENOTFOUND, "key",
			    "Kein Schlüssel für %s in %s: bitte einen "
			    "Schlüssel anlegen, der den ganzen Zeitraum gilt.",
			    "No key for %s in %s: please add a key valid for "
			    "the whole period.",
			    parent, buf);
}

int hf_db_key_list(hf_db *db, hf_key **out, size_t *n, hf_error *err)
{
	*out = NULL;
	*n = 0;
	return OPS(db)->key_list(db->st, NULL, out, n, err);
}

static int key_set_credit(hf_db *db, const char *key, hf_category c,
			  hf_rat weight, hf_error *err)
{
	hf_key k;
	int rc;

	if ((unsigned)c >= HF_CAT_COUNT)
		return hf_error_set(err, HF_EINVAL, "category",
				    "Unbekannte Kategorie %d.",
				    "Unknown category %d.", (int)c);
	if ((rc = hf__db_check_rat(weight, "credit", err)) < 0)
		return rc;
	if ((rc = hf_db_key_get(db, key, &k, err)) < 0)
		return rc;
	hf_key_clear(&k);
	return OPS(db)->key_set_credit(db->st, key, (int)c, weight, err);
}

int hf_db_key_set_credit(hf_db *db, const char *key, hf_category c,
			 hf_rat weight, hf_error *err)
{
	int rc;

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = key_set_credit(db, key, c, weight, err);
	if (rc == HF_OK) {
		char w[48];
		hf_rat_format(weight, w, sizeof w);
		rc = hf__db_audit(db, "key.credit", key, err,
				  "category=%s weight=%s", hf_category_slug(c),
				  w);
	}
	return hf__db_tx_end(db, rc, err);
}

static int standing_add(hf_db *db, hf_standing *s, hf_error *err)
{
	hf_key k;
	size_t i;
	int rc, found = 0;

	if ((rc = hf_db_key_get(db, s->key, &k, err)) < 0)
		return rc;
	for (i = 0; i < k.nshares; i++)
		found |= !strcmp(k.shares[i].unit, s->unit);
	hf_key_clear(&k);
	if (!found)
		return hf_error_set(err, HF_EINVAL, "unit",
				    "%s hat keinen Anteil im Schlüssel %s.",
				    "%s has no share in the key %s.", s->unit,
				    s->key);
	if (s->from == HF_DATE_NONE || s->to == HF_DATE_NONE ||
	    s->to < s->from)
		return hf_error_set(err, HF_EINVAL, "to",
				    "Dauerhafte Anrechnung für %s: der "
				    "Zeitraum braucht Anfang und Ende, das "
				    "Ende nicht vor dem Anfang.",
				    "Standing credit for %s: the period needs "
				    "a start and an end, the end not before "
				    "the start.",
				    s->unit);
	if (s->persons <= 0)
		return hf_error_set(err, HF_EINVAL, "persons",
				    "Dauerhafte Anrechnung für %s: die "
				    "Personenzahl muss positiv sein.",
				    "Standing credit for %s: the number of "
				    "persons must be positive.",
				    s->unit);
	return OPS(db)->standing_insert(db->st, s, err);
}

int hf_db_standing_add(hf_db *db, hf_standing *s, hf_error *err)
{
	int rc;

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = standing_add(db, s, err);
	if (rc == HF_OK)
		rc = hf__db_audit(db, "standing.add", s->key, err,
				  "id=%lld unit=%s persons=%lld",
				  (long long)s->id, s->unit,
				  (long long)s->persons);
	return hf__db_tx_end(db, rc, err);
}

int hf_db_standing_list(hf_db *db, const char *key, hf_period p,
			hf_standing **out, size_t *n, hf_error *err)
{
	hf_standing *all = NULL;
	size_t cnt = 0, i, k = 0;
	char a[32], b[32];
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = OPS(db)->standing_list(db->st, key, &all, &cnt, err)) < 0)
		return rc;
	for (i = 0; i < cnt; i++) {
		hf_standing *s = &all[i];
		if (s->to < p.from || s->from > p.to)
			continue;
		if (s->from < p.from || s->to > p.to) {
			hf_period sp = {s->from, s->to};
			hf_period_format(sp, a);
			hf_period_format(p, b);
			rc = hf_error_set(
				err, HF_ECONFLICT, s->unit,
				"Die dauerhafte Anrechnung %lld für %s (%s) "
				"liegt nur teilweise in %s; sie zählt nur "
				"ganz: bitte den Zeitraum anpassen.",
				"The standing credit %lld for %s (%s) lies only "
				"partly in %s; it counts whole only: please "
				"adjust the period.",
				(long long)s->id, s->unit, a, b);
			free(all);
			return rc;
		}
		all[k++] = *s;
	}
	*out = all;
	*n = k;
	if (!k) {
		free(all);
		*out = NULL;
	}
	return HF_OK;
}

/*
 * db.c: the database API over the storage interface.
 *
 * Everything that decides lives here: input checks with the domain
 * modules before any write, transactions (nested by a depth counter; a
 * failure inside rolls back the whole transaction), the ledger's rules
 * for reversals, and the monthly sums the append path keeps. The backend
 * only reads and writes (store_int.h).
 */
#include "hafen/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define OPS(db) ((db)->ops)

/* ---- code sets ------------------------------------------------------ */

static uint32_t hash_code(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void codeset_free(hf__codeset *cs)
{
	free(cs->code);
	free(cs->slot);
	memset(cs, 0, sizeof *cs);
}

/* Room for n codes; empties the set. */
static int codeset_reset(hf__codeset *cs, size_t n)
{
	size_t size = 16, i;

	while (size < 2 * n)
		size *= 2;
	codeset_free(cs);
	cs->code = malloc((n ? n : 1) * sizeof *cs->code);
	cs->slot = malloc(size * sizeof *cs->slot);
	if (!cs->code || !cs->slot) {
		codeset_free(cs);
		return HF_ENOMEM;
	}
	for (i = 0; i < size; i++)
		cs->slot[i] = -1;
	cs->mask = size - 1;
	cs->cap = n;
	return HF_OK;
}

static int codeset_find(const hf__codeset *cs, const char *code)
{
	size_t i;

	if (!cs->slot)
		return -1;
	for (i = hash_code(code) & cs->mask; cs->slot[i] >= 0;
	     i = (i + 1) & cs->mask)
		if (!strcmp(cs->code[cs->slot[i]], code))
			return cs->slot[i];
	return -1;
}

/* Adds code (which must fit) unless present; returns its index. */
static int codeset_add(hf__codeset *cs, const char *code)
{
	size_t i;

	for (i = hash_code(code) & cs->mask; cs->slot[i] >= 0;
	     i = (i + 1) & cs->mask)
		if (!strcmp(cs->code[cs->slot[i]], code))
			return cs->slot[i];
	memcpy(cs->code[cs->n], code, strlen(code) + 1);
	cs->slot[i] = (int)cs->n;
	return (int)cs->n++;
}

static int codeset_lookup(void *ctx, const char *code)
{
	return code ? codeset_find(ctx, code) : -1;
}

static int nomem(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Nicht genug Speicher.",
			    "Out of memory.");
}

/* The codes of all units, loaded once and after every change. */
static int units_load(hf_db *db, hf_error *err)
{
	hf_unit *u = NULL;
	size_t n = 0, i;
	int rc;

	if (!db->ustale)
		return HF_OK;
	if ((rc = OPS(db)->unit_list(db->st, NULL, &u, &n, err)) < 0)
		return rc;
	if ((rc = codeset_reset(&db->units, n)) < 0) {
		free(u);
		return nomem(err);
	}
	for (i = 0; i < n; i++)
		codeset_add(&db->units, u[i].code);
	free(u);
	db->ustale = 0;
	return HF_OK;
}

/* ---- open, close, transactions -------------------------------------- */

int hf_db_open(const char *uri, int flags, hf_db **out, hf_error *err)
{
	const struct hf__store_ops *ops = &hf__store_sqlite;
	const char *path = uri;
	hf_db *db;
	int rc;

	*out = NULL;
	if (!uri || !*uri)
		return hf_error_set(err, HF_EUSAGE, "db",
				    "Keine Datenbank angegeben: bitte einen "
				    "Pfad oder sqlite:PFAD nennen.",
				    "No database given: please name a path or "
				    "sqlite:PATH.");
	if (!strncmp(uri, "sqlite:", 7))
		path = uri + 7;
	else if (!strncmp(uri, "postgres:", 9) ||
		 !strncmp(uri, "postgresql:", 11))
		return hf_error_set(err, HF_EUSAGE, "db",
				    "PostgreSQL wird von diesem hafen noch "
				    "nicht unterstützt: bitte sqlite:PFAD "
				    "verwenden.",
				    "PostgreSQL is not supported by this hafen "
				    "yet: please use sqlite:PATH.");
	if (!*path)
		return hf_error_set(err, HF_EUSAGE, "db",
				    "Der Pfad der Datenbank fehlt nach "
				    "\"sqlite:\".",
				    "The database path is missing after "
				    "\"sqlite:\".");
	if (!(db = calloc(1, sizeof *db)))
		return nomem(err);
	db->ops = ops;
	db->lang = err ? err->lang : HF_LANG_DE;
	db->ustale = 1;
	if ((rc = ops->open(path, flags, &db->st, err)) < 0) {
		free(db);
		return rc;
	}
	*out = db;
	return HF_OK;
}

void hf_db_close(hf_db *db)
{
	if (!db)
		return;
	OPS(db)->close(db->st);
	codeset_free(&db->units);
	free(db);
}

const char *hf_db_backend(const hf_db *db)
{
	return OPS(db)->name;
}

int hf_db_schema_version(hf_db *db, int *version, hf_error *err)
{
	return OPS(db)->schema_version(db->st, version, err);
}

static int tx_begin(hf_db *db, hf_error *err)
{
	int rc;

	if (db->doomed)
		return hf_error_set(
			err, HF_ECONFLICT, "",
			"Die laufende Transaktion wurde nach einem Fehler "
			"zurückgerollt: bitte abbrechen und neu beginnen.",
			"The open transaction was rolled back after an error: "
			"please roll back and begin again.");
	if (db->depth == 0 && (rc = OPS(db)->begin(db->st, err)) < 0)
		return rc;
	db->depth++;
	return HF_OK;
}

/* Ends one level: commits at the outermost on success; on failure rolls
 * the whole transaction back and dooms the levels still open. */
static int tx_end(hf_db *db, int rc, hf_error *err)
{
	int crc;

	db->depth--;
	if (rc < 0) {
		if (!db->doomed) {
			OPS(db)->rollback(db->st);
			db->ustale = 1;
		}
		db->doomed = db->depth > 0;
		return rc;
	}
	if (db->depth == 0 && (crc = OPS(db)->commit(db->st, err)) < 0) {
		OPS(db)->rollback(db->st);
		db->ustale = 1;
		return crc;
	}
	return rc;
}

int hf_db_begin(hf_db *db, hf_error *err)
{
	return tx_begin(db, err);
}

int hf_db_commit(hf_db *db, hf_error *err)
{
	if (db->depth == 0)
		return hf_error_set(err, HF_EUSAGE, "",
				    "Keine Transaktion offen.",
				    "No transaction is open.");
	if (db->doomed) {
		db->depth--;
		db->doomed = db->depth > 0;
		return hf_error_set(
			err, HF_ECONFLICT, "",
			"Die Transaktion wurde nach einem Fehler zurückgerollt; "
			"nichts wurde gespeichert.",
			"The transaction was rolled back after an error; "
			"nothing was saved.");
	}
	return tx_end(db, HF_OK, err);
}

void hf_db_rollback(hf_db *db)
{
	if (!db || db->depth == 0)
		return;
	if (!db->doomed)
		OPS(db)->rollback(db->st);
	db->depth = 0;
	db->doomed = 0;
	db->ustale = 1;
}

/* ---- units ---------------------------------------------------------- */

static int unit_missing(hf_error *err, const char *field, const char *code)
{
	return hf_error_set(err, HF_ENOTFOUND, field,
			    "Die Einheit %s gibt es nicht: bitte den Code "
			    "prüfen oder die Einheit zuerst anlegen.",
			    "There is no unit %s: please check the code or "
			    "add the unit first.",
			    code);
}

static int unit_exists(hf_db *db, const char *code, const char *field,
		       hf_error *err)
{
	int rc;

	if ((rc = units_load(db, err)) < 0)
		return rc;
	if (!code || codeset_find(&db->units, code) < 0)
		return unit_missing(err, field, code ? code : "");
	return HF_OK;
}

static int unit_add(hf_db *db, const hf_unit *u, hf_error *err)
{
	hf_unit parent, probe;
	int rc;

	if (u->parent[0]) {
		rc = OPS(db)->unit_get(db->st, u->parent, &parent, err);
		if (rc == HF_ENOTFOUND)
			return unit_missing(err, "parent", u->parent);
		if (rc < 0)
			return rc;
	}
	if ((rc = hf_unit_check(u, u->parent[0] ? &parent : NULL, err)) < 0)
		return rc;
	rc = OPS(db)->unit_get(db->st, u->code, &probe, err);
	if (rc == HF_OK)
		return hf_error_set(err, HF_EEXIST, "code",
				    "Die Einheit %s gibt es schon (%s).",
				    "The unit %s exists already (%s).",
				    u->code, probe.name);
	if (rc != HF_ENOTFOUND)
		return rc;
	db->ustale = 1;
	return OPS(db)->unit_insert(db->st, u, err);
}

int hf_db_unit_add(hf_db *db, const hf_unit *u, hf_error *err)
{
	int rc;

	if ((rc = tx_begin(db, err)) < 0)
		return rc;
	return tx_end(db, unit_add(db, u, err), err);
}

int hf_db_unit_get(hf_db *db, const char *code, hf_unit *out, hf_error *err)
{
	int rc = OPS(db)->unit_get(db->st, code, out, err);
	return rc == HF_ENOTFOUND ? unit_missing(err, "code", code) : rc;
}

int hf_db_unit_list(hf_db *db, const char *parent, hf_unit **out, size_t *n,
		    hf_error *err)
{
	*out = NULL;
	*n = 0;
	return OPS(db)->unit_list(db->st, parent, out, n, err);
}

static int check_rat(hf_rat r, const char *field, hf_error *err)
{
	if (r.den <= 0)
		return hf_error_set(err, HF_EINVAL, field,
				    "Feld %s: der Nenner muss positiv sein.",
				    "Field %s: the denominator must be "
				    "positive.",
				    field);
	return HF_OK;
}

static int indicator_set(hf_db *db, const hf_indicator *x, hf_error *err)
{
	int rc;

	if ((rc = unit_exists(db, x->unit, "unit", err)) < 0)
		return rc;
	if (!x->name[0])
		return hf_error_set(err, HF_EINVAL, "name",
				    "Kennzahl für %s: der Name fehlt (etwa "
				    "population).",
				    "Indicator for %s: the name is missing "
				    "(such as population).",
				    x->unit);
	if (x->ref_date == HF_DATE_NONE)
		return hf_error_set(err, HF_EINVAL, "ref_date",
				    "Kennzahl %s für %s: der Stichtag fehlt.",
				    "Indicator %s for %s: the reference date "
				    "is missing.",
				    x->name, x->unit);
	if (!x->source[0])
		return hf_error_set(err, HF_EINVAL, "source",
				    "Kennzahl %s für %s: die Quelle fehlt; "
				    "jede Zahl braucht ihre Quelle.",
				    "Indicator %s for %s: the source is "
				    "missing; every figure needs its source.",
				    x->name, x->unit);
	if ((rc = check_rat(x->value, "value", err)) < 0)
		return rc;
	return OPS(db)->indicator_put(db->st, x, err);
}

int hf_db_indicator_set(hf_db *db, const hf_indicator *ind, hf_error *err)
{
	int rc;

	if ((rc = tx_begin(db, err)) < 0)
		return rc;
	return tx_end(db, indicator_set(db, ind, err), err);
}

int hf_db_indicator_get(hf_db *db, const char *unit, const char *name,
			hf_date ref_date, hf_indicator *out, hf_error *err)
{
	char d[11] = "-";
	int rc = OPS(db)->indicator_get(db->st, unit, name, ref_date, out, err);

	if (rc != HF_ENOTFOUND)
		return rc;
	if (ref_date != HF_DATE_NONE)
		hf_date_format(ref_date, d);
	return hf_error_set(err, rc, "indicator",
			    "Keine Kennzahl %s für %s zum Stichtag %s.",
			    "No indicator %s for %s at %s.", name, unit, d);
}

int hf_db_indicator_list(hf_db *db, const char *unit, const char *name,
			 hf_indicator **out, size_t *n, hf_error *err)
{
	*out = NULL;
	*n = 0;
	return OPS(db)->indicator_list(db->st, unit, name, out, n, err);
}

static int membership_add(hf_db *db, const hf_membership *m, hf_error *err)
{
	hf_membership *have = NULL;
	size_t n = 0;
	int rc;

	if ((rc = unit_exists(db, m->unit, "unit", err)) < 0)
		return rc;
	if (!m->alliance[0])
		return hf_error_set(err, HF_EINVAL, "alliance",
				    "Mitgliedschaft von %s: das Bündnis fehlt.",
				    "Membership of %s: the alliance is "
				    "missing.",
				    m->unit);
	if ((rc = OPS(db)->membership_list(db->st, m->alliance, m->unit, &have,
					   &n, err)) < 0)
		return rc;
	free(have);
	if (n)
		return hf_error_set(err, HF_EEXIST, "unit",
				    "%s ist schon Mitglied von %s.",
				    "%s is a member of %s already.", m->unit,
				    m->alliance);
	return OPS(db)->membership_insert(db->st, m, err);
}

int hf_db_membership_add(hf_db *db, const hf_membership *m, hf_error *err)
{
	int rc;

	if ((rc = tx_begin(db, err)) < 0)
		return rc;
	return tx_end(db, membership_add(db, m, err), err);
}

int hf_db_membership_list(hf_db *db, const char *alliance, const char *unit,
			  hf_membership **out, size_t *n, hf_error *err)
{
	*out = NULL;
	*n = 0;
	return OPS(db)->membership_list(db->st, alliance, unit, out, n, err);
}

int hf_db_contact_set(hf_db *db, const hf_contact *c, hf_error *err)
{
	int rc;

	if ((rc = tx_begin(db, err)) < 0)
		return rc;
	rc = unit_exists(db, c->unit, "unit", err);
	if (rc == HF_OK)
		rc = OPS(db)->contact_put(db->st, c, err);
	return tx_end(db, rc, err);
}

int hf_db_contact_get(hf_db *db, const char *unit, hf_contact *out,
		      hf_error *err)
{
	int rc = OPS(db)->contact_get(db->st, unit, out, err);

	if (rc == HF_ENOTFOUND)
		return hf_error_set(err, rc, "unit",
				    "Für %s ist keine Stelle eingetragen.",
				    "No office is recorded for %s.", unit);
	return rc;
}

/* ---- keys ----------------------------------------------------------- */

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
		if ((rc = check_rat(k->weights[i].weight, "weights", err)) < 0)
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
	if ((rc = check_rat(k->cap, "cap", err)) < 0)
		return rc;
	for (c = 0; c < HF_CAT_COUNT; c++)
		if ((rc = check_rat(k->credit[c], "credit", err)) < 0)
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
		return rc == HF_ENOTFOUND ? unit_missing(err, "parent", k->parent)
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

	if ((rc = tx_begin(db, err)) < 0)
		return rc;
	return tx_end(db, key_add(db, k, err), err);
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
	int rc = OPS(db)->key_get(db->st, name, out, err);
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
	if ((rc = check_rat(weight, "credit", err)) < 0)
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

	if ((rc = tx_begin(db, err)) < 0)
		return rc;
	return tx_end(db, key_set_credit(db, key, c, weight, err), err);
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

	if ((rc = tx_begin(db, err)) < 0)
		return rc;
	return tx_end(db, standing_add(db, s, err), err);
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

/* ---- ledger --------------------------------------------------------- */

static int month_of(hf_date d)
{
	int y, m, dd;
	hf_date_split(d, &y, &m, &dd);
	return y * 100 + m;
}

/* Sums of one batch per (bucket, unit, category), before they are added
 * to the monthly or daily table: open addressing over packed keys. A
 * bucket is a month (YYYYMM) or a day number shifted by DAY_BIAS, so that
 * both are positive and below 2^28. */
#define DAY_BIAS 100000
typedef struct bucket_acc {
	struct macc_slot {
		uint64_t key; /* 0: empty */
		int64_t persons, entries;
	} *s;
	size_t mask, used;
} bucket_acc;

static int macc_grow(bucket_acc *a)
{
	size_t size = a->s ? 2 * (a->mask + 1) : 1024, i, j;
	struct macc_slot *ns = calloc(size, sizeof *ns);

	if (!ns)
		return HF_ENOMEM;
	for (i = 0; a->s && i <= a->mask; i++) {
		if (!a->s[i].key)
			continue;
		for (j = (size_t)(a->s[i].key * 0x9E3779B97F4A7C15ull >> 20) &
			 (size - 1);
		     ns[j].key; j = (j + 1) & (size - 1))
			;
		ns[j] = a->s[i];
	}
	free(a->s);
	a->s = ns;
	a->mask = size - 1;
	return HF_OK;
}

static int macc_add(bucket_acc *a, int bucket, int unit, int cat,
		    int64_t persons)
{
	uint64_t key = ((uint64_t)bucket << 36 | (uint64_t)unit << 4 |
			(uint64_t)cat) + 1;
	size_t j;

	if (2 * (a->used + 1) > (a->s ? a->mask + 1 : 0) && macc_grow(a) < 0)
		return HF_ENOMEM;
	for (j = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & a->mask;
	     a->s[j].key && a->s[j].key != key; j = (j + 1) & a->mask)
		;
	if (!a->s[j].key) {
		a->s[j].key = key;
		a->used++;
	}
	a->s[j].persons += persons;
	a->s[j].entries++;
	return HF_OK;
}

static int macc_flush(hf_db *db, bucket_acc *a, int daily, hf_error *err)
{
	size_t i;
	int rc;

	for (i = 0; a->s && i <= a->mask; i++) {
		uint64_t key = a->s[i].key - 1;
		hf__bucket_sum m;
		if (!a->s[i].key)
			continue;
		m.bucket = (int)(key >> 36) - (daily ? DAY_BIAS : 0);
		m.unit = db->units.code[(key >> 4) & 0xFFFFFFFFu];
		m.category = (int)(key & 0xF);
		m.persons = a->s[i].persons;
		m.entries = a->s[i].entries;
		if ((rc = OPS(db)->ledger_bucket_add(db->st, daily, &m, err)) <
		    0)
			return rc;
	}
	return HF_OK;
}

/* Only an ordinary entry not yet reversed can be reversed. */
static int check_reversible(hf_db *db, const hf_admission *o, hf_error *err)
{
	int64_t by;
	int rc;

	if (o->corrects)
		return hf_error_set(err, HF_ECONFLICT, "corrects",
				    "Eintrag %lld ist selbst eine Stornierung "
				    "(von %lld) und kann nicht storniert "
				    "werden: bitte den Betrag neu erfassen.",
				    "Entry %lld is itself a reversal (of %lld) "
				    "and cannot be reversed: please record the "
				    "figure anew.",
				    (long long)o->id, (long long)o->corrects);
	if ((rc = OPS(db)->ledger_reversed_by(db->st, o->id, &by, err)) < 0)
		return rc;
	if (by)
		return hf_error_set(err, HF_ECONFLICT, "corrects",
				    "Eintrag %lld wurde schon durch Eintrag "
				    "%lld storniert.",
				    "Entry %lld was already reversed by entry "
				    "%lld.",
				    (long long)o->id, (long long)by);
	return HF_OK;
}

/* A reversal must name an existing ordinary entry not yet reversed and
 * mirror it exactly (the date may differ). */
static int check_reversal(hf_db *db, const hf_admission *a, hf_error *err)
{
	hf_admission o;
	int rc;

	rc = OPS(db)->ledger_get(db->st, a->corrects, &o, err);
	if (rc == HF_ENOTFOUND)
		return hf_error_set(err, rc, "corrects",
				    "Den Eintrag %lld gibt es nicht; er kann "
				    "nicht storniert werden.",
				    "There is no entry %lld; it cannot be "
				    "reversed.",
				    (long long)a->corrects);
	if (rc < 0)
		return rc;
	if ((rc = check_reversible(db, &o, err)) < 0)
		return rc;
	if (strcmp(a->unit, o.unit) || a->category != o.category ||
	    strcmp(a->programme, o.programme) ||
	    strcmp(a->household, o.household) || a->persons != -o.persons)
		return hf_error_set(err, HF_EINVAL, "corrects",
				    "Die Stornierung von Eintrag %lld muss ihn "
				    "genau spiegeln: gleiche Einheit, "
				    "Kategorie, Programm und Haushalt, "
				    "Personen %lld.",
				    "The reversal of entry %lld must mirror it "
				    "exactly: same unit, category, programme "
				    "and household, persons %lld.",
				    (long long)o.id, (long long)-o.persons);
	return HF_OK;
}

static void name_entry(hf_error *err, size_t i)
{
	char where[32], msg[HF_ERROR_MESSAGE_MAX];

	if (!err)
		return;
	snprintf(where, sizeof where, "#%zu", i + 1);
	hf_error_prefix_where(err, where);
	snprintf(msg, sizeof msg, "%s", err->message);
	hf_error_set(err, err->code, err->where,
		     "Eintrag %zu: %s", "Entry %zu: %s", i + 1, msg);
}

static int append(hf_db *db, hf_admission *e, size_t n, int number,
		  hf_error *err)
{
	bucket_acc acc = {NULL, 0, 0}, dacc = {NULL, 0, 0};
	size_t i = 0;
	int rc, u;

	if ((rc = units_load(db, err)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		hf_admission *a = &e[i];
		if ((rc = hf_admission_check(a, err)) < 0)
			goto fail;
		if ((u = codeset_find(&db->units, a->unit)) < 0) {
			rc = unit_missing(err, "unit", a->unit);
			goto fail;
		}
		if (a->corrects && (rc = check_reversal(db, a, err)) < 0)
			goto fail;
		if ((rc = OPS(db)->ledger_insert(db->st, a, err)) < 0)
			goto fail;
		if ((rc = macc_add(&acc, month_of(a->date), u, (int)a->category,
				   a->persons)) < 0 ||
		    (rc = macc_add(&dacc, a->date + DAY_BIAS, u,
				   (int)a->category, a->persons)) < 0) {
			rc = nomem(err);
			goto fail;
		}
	}
	i = n;
	if ((rc = macc_flush(db, &acc, 0, err)) < 0 ||
	    (rc = macc_flush(db, &dacc, 1, err)) < 0)
		goto fail;
	free(acc.s);
	free(dacc.s);
	return HF_OK;
fail:
	if (number && n > 1 && i < n)
		name_entry(err, i);
	free(acc.s);
	free(dacc.s);
	/* ids of rows that were rolled back mean nothing */
	for (i = i < n ? i + 1 : n; i-- > 0;)
		e[i].id = 0;
	return rc;
}

int hf_db_ledger_append(hf_db *db, hf_admission *entries, size_t n,
			hf_error *err)
{
	int rc;

	if (!n)
		return HF_OK;
	if ((rc = tx_begin(db, err)) < 0)
		return rc;
	return tx_end(db, append(db, entries, n, 1, err), err);
}

int hf_db_ledger_get(hf_db *db, int64_t id, hf_admission *out,
		     hf_error *err)
{
	int rc = OPS(db)->ledger_get(db->st, id, out, err);

	if (rc == HF_ENOTFOUND)
		return hf_error_set(err, rc, "id",
				    "Den Eintrag %lld gibt es nicht.",
				    "There is no entry %lld.", (long long)id);
	return rc;
}

static int check_filter(const hf_ledger_filter *f, hf_error *err)
{
	if (f->category < -1 || f->category >= HF_CAT_COUNT)
		return hf_error_set(err, HF_EINVAL, "category",
				    "Unbekannte Kategorie %d im Filter.",
				    "Unknown category %d in the filter.",
				    f->category);
	return HF_OK;
}

int hf_db_ledger_list(hf_db *db, const hf_ledger_filter *f,
		      hf_admission **out, size_t *n, hf_error *err)
{
	hf_ledger_filter all = hf_ledger_filter_all();
	int rc;

	*out = NULL;
	*n = 0;
	if (!f)
		f = &all;
	if ((rc = check_filter(f, err)) < 0)
		return rc;
	return OPS(db)->ledger_list(db->st, f, out, n, err);
}

int hf_db_ledger_reversed_by(hf_db *db, int64_t id, int64_t *reversal,
			     hf_error *err)
{
	return OPS(db)->ledger_reversed_by(db->st, id, reversal, err);
}

static int correct(hf_db *db, int64_t id, hf_date date, const char *by,
		   int64_t at, const char *note, hf_admission *replacement,
		   int64_t *reversal_id, hf_error *err)
{
	hf_admission o, r;
	int rc;

	if ((rc = hf_db_ledger_get(db, id, &o, err)) < 0 ||
	    (rc = check_reversible(db, &o, err)) < 0)
		return rc;
	r = o;
	r.id = 0;
	r.persons = -o.persons;
	r.corrects = o.id;
	r.date = date == HF_DATE_NONE ? o.date : date;
	r.recorded_at = at;
	if ((rc = hf_field_copy(r.recorded_by, sizeof r.recorded_by, by,
				"recorded_by", err)) < 0 ||
	    (rc = hf_field_copy(r.note, sizeof r.note, note, "note", err)) < 0)
		return rc;
	if ((rc = append(db, &r, 1, 0, err)) < 0)
		return rc;
	if (replacement) {
		if (replacement->corrects)
			return hf_error_set(err, HF_EINVAL, "corrects",
					    "Der berichtigte Eintrag ist ein "
					    "gewöhnlicher Eintrag: corrects "
					    "muss 0 sein.",
					    "The corrected entry is an ordinary "
					    "entry: corrects must be 0.");
		if ((rc = append(db, replacement, 1, 0, err)) < 0)
			return rc;
	}
	if (reversal_id)
		*reversal_id = r.id;
	return HF_OK;
}

int hf_db_ledger_correct(hf_db *db, int64_t id, hf_date date, const char *by,
			 int64_t at, const char *note,
			 hf_admission *replacement, int64_t *reversal_id,
			 hf_error *err)
{
	int rc;

	if ((rc = tx_begin(db, err)) < 0)
		return rc;
	rc = correct(db, id, date, by, at, note, replacement, reversal_id,
		     err);
	if (rc < 0 && replacement)
		replacement->id = 0;
	return tx_end(db, rc, err);
}

int hf_db_ledger_aggregate(hf_db *db, const hf_ledger_filter *f,
			   unsigned group, hf_ledger_sum **out, size_t *n,
			   hf_error *err)
{
	hf_ledger_filter all = hf_ledger_filter_all();
	int rc;

	*out = NULL;
	*n = 0;
	if (!f)
		f = &all;
	if ((rc = check_filter(f, err)) < 0)
		return rc;
	if (group & ~(unsigned)(HF_GROUP_UNIT | HF_GROUP_CATEGORY |
				HF_GROUP_YEAR))
		return hf_error_set(err, HF_EINVAL, "group",
				    "Unbekannte Gruppierung %u.",
				    "Unknown grouping %u.", group);
	return OPS(db)->ledger_aggregate(db->st, f, group, out, n, err);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30,
				  31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/*
 * Whole months come from the monthly table, the days before the first
 * and after the last whole month from the ledger itself.
 */
int hf_db_ledger_sums(hf_db *db, const char *const *units, size_t n,
		      hf_period p, int64_t (*out)[HF_CAT_COUNT],
		      hf_error *err)
{
	hf__codeset req = {0};
	int64_t(*sum)[HF_CAT_COUNT] = NULL;
	int y0, m0, d0, y1, m1, d1, first, last, rc, *idx = NULL;
	hf_date whole_from, whole_to;
	size_t i;

	if (p.from == HF_DATE_NONE || p.to == HF_DATE_NONE || p.to < p.from)
		return hf_error_set(err, HF_EINVAL, "period",
				    "Der Zeitraum braucht Anfang und Ende, "
				    "das Ende nicht vor dem Anfang.",
				    "The period needs a start and an end, the "
				    "end not before the start.");
	memset(out, 0, n * sizeof *out);
	if (!n)
		return HF_OK;
	if ((rc = units_load(db, err)) < 0)
		return rc;
	if (codeset_reset(&req, n) < 0 || !(idx = malloc(n * sizeof *idx)) ||
	    !(sum = calloc(n, sizeof *sum))) {
		rc = nomem(err);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (codeset_find(&db->units, units[i]) < 0) {
			rc = unit_missing(err, "unit", units[i]);
			goto fail;
		}
		idx[i] = codeset_add(&req, units[i]);
	}
	hf_date_split(p.from, &y0, &m0, &d0);
	hf_date_split(p.to, &y1, &m1, &d1);
	/* months as y * 12 + m - 1 */
	first = y0 * 12 + m0 - 1 + (d0 != 1);
	last = y1 * 12 + m1 - 1 - (d1 != month_days(y1, m1));
	if (first > last) {
		rc = OPS(db)->ledger_sum_days(db->st, p.from, p.to,
					      codeset_lookup, &req, sum, err);
		if (rc < 0)
			goto fail;
	} else {
		whole_from = p.from + (d0 != 1 ? month_days(y0, m0) - d0 + 1 : 0);
		whole_to = p.to - (d1 != month_days(y1, m1) ? d1 : 0);
		rc = OPS(db)->ledger_sum_months(
			db->st, first / 12 * 100 + first % 12 + 1,
			last / 12 * 100 + last % 12 + 1, codeset_lookup, &req,
			sum, err);
		if (rc == HF_OK && p.from < whole_from)
			rc = OPS(db)->ledger_sum_days(db->st, p.from,
						      whole_from - 1,
						      codeset_lookup, &req,
						      sum, err);
		if (rc == HF_OK && whole_to < p.to)
			rc = OPS(db)->ledger_sum_days(db->st, whole_to + 1,
						      p.to, codeset_lookup,
						      &req, sum, err);
		if (rc < 0)
			goto fail;
	}
	/* sums were collected per distinct unit; a unit named twice gets
	 * them twice */
	for (i = 0; i < n; i++)
		memcpy(out[i], sum[idx[i]], sizeof *out);
	free(sum);
	free(idx);
	codeset_free(&req);
	return HF_OK;
fail:
	free(sum);
	free(idx);
	codeset_free(&req);
	return rc;
}

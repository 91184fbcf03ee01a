/*
 * db.c: the database API over the storage interface.
 *
 * Everything that decides lives here and in db_key.c and db_ledger.c:
 * input checks with the domain modules before any write, transactions
 * (nested by a depth counter; a failure inside rolls back the whole
 * transaction), the ledger's rules for reversals, and the monthly sums
 * the append path keeps. The backend only reads and writes (store_int.h).
 * This file opens and closes, keeps the transaction levels and the unit
 * code set, and handles units, indicators, memberships and contacts.
 */
#include "hafen/db.h"

#include <stdlib.h>
#include <string.h>

#include "db_int.h"

/* ---- code sets ------------------------------------------------------ */

static uint32_t hash_code(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

void hf__codeset_free(hf__codeset *cs)
{
	free(cs->code);
	free(cs->slot);
	memset(cs, 0, sizeof *cs);
}

/* Room for n codes; empties the set. */
int hf__codeset_reset(hf__codeset *cs, size_t n)
{
	size_t size = 16, i;

	while (size < 2 * n)
		size *= 2;
	hf__codeset_free(cs);
	cs->code = malloc((n ? n : 1) * sizeof *cs->code);
	cs->slot = malloc(size * sizeof *cs->slot);
	if (!cs->code || !cs->slot) {
		hf__codeset_free(cs);
		return HF_ENOMEM;
	}
	for (i = 0; i < size; i++)
		cs->slot[i] = -1;
	cs->mask = size - 1;
	cs->cap = n;
	return HF_OK;
}

int hf__codeset_find(const hf__codeset *cs, const char *code)
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
int hf__codeset_add(hf__codeset *cs, const char *code)
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

int hf__db_nomem(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Nicht genug Speicher.",
			    "Out of memory.");
}

/* The codes of all units, loaded once and after every change. */
int hf__db_units_load(hf_db *db, hf_error *err)
{
	hf_unit *u = NULL;
	size_t n = 0, i;
	int rc;

	if (!db->ustale)
		return HF_OK;
	if ((rc = OPS(db)->unit_list(db->st, NULL, &u, &n, err)) < 0)
		return rc;
	if ((rc = hf__codeset_reset(&db->units, n)) < 0) {
		free(u);
		return hf__db_nomem(err);
	}
	for (i = 0; i < n; i++)
		hf__codeset_add(&db->units, u[i].code);
	free(u);
	db->ustale = 0;
	return HF_OK;
}

/* The cache only grows stale by units another handle (another process)
 * added, as units are never removed or renamed: on a miss among the n
 * codes at first, first + stride, ... it is loaded again, once. */
int hf__db_units_need(hf_db *db, const char *first, size_t n, size_t stride,
		      hf_error *err)
{
	size_t i;
	int rc;

	if ((rc = hf__db_units_load(db, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (hf__codeset_find(&db->units, first + i * stride) < 0) {
			db->ustale = 1;
			return hf__db_units_load(db, err);
		}
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
		return hf_error_set(
		    err, HF_EUSAGE, "db",
		    "Keine Datenbank angegeben: bitte einen "
		    "Pfad, sqlite:PFAD oder "
		    "postgresql://NUTZER@RECHNER/DB nennen.",
		    "No database given: please name a path, "
		    "sqlite:PATH or postgresql://USER@HOST/DB.");
	if (!strncmp(uri, "sqlite:", 7))
		path = uri + 7;
	else if (!strncmp(uri, "postgres:", 9) ||
		 !strncmp(uri, "postgresql:", 11))
		ops = &hf__store_pg; /* libpq reads the whole URI */
	if (!*path)
		return hf_error_set(err, HF_EUSAGE, "db",
				    "Der Pfad der Datenbank fehlt nach "
				    "\"sqlite:\".",
				    "The database path is missing after "
				    "\"sqlite:\".");
	if (!(db = calloc(1, sizeof *db)))
		return hf__db_nomem(err);
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
	hf__codeset_free(&db->units);
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

int hf__db_tx_begin(hf_db *db, hf_error *err)
{
	int rc;

	if (db->reading)
		return hf_error_set(
		    err, HF_EUSAGE, "",
		    "In einem Lese-Schnappschuss wird nicht geschrieben.",
		    "No writes inside a read snapshot.");
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
int hf__db_tx_end(hf_db *db, int rc, hf_error *err)
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

int hf__db_read_begin(hf_db *db, hf_error *err)
{
	int rc;

	if (db->depth > 0) {
		/* a write transaction sees one state already: its writer
		 * lock keeps every other writer out until it ends */
		db->depth++;
		return HF_OK;
	}
	if ((rc = OPS(db)->begin_read(db->st, err)) < 0)
		return rc;
	db->depth = 1;
	db->reading = 1;
	return HF_OK;
}

int hf__db_read_end(hf_db *db, int rc, hf_error *err)
{
	if (--db->depth > 0 || !db->reading)
		return rc;
	db->reading = 0;
	/* nothing was written: ending it either way is the same */
	if (rc < 0)
		OPS(db)->rollback(db->st);
	else if ((rc = OPS(db)->commit(db->st, err)) < 0)
		OPS(db)->rollback(db->st);
	return rc;
}

int hf_db_begin(hf_db *db, hf_error *err)
{
	return hf__db_tx_begin(db, err);
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
	return hf__db_tx_end(db, HF_OK, err);
}

void hf_db_rollback(hf_db *db)
{
	if (!db || db->depth == 0)
		return;
	if (!db->doomed)
		OPS(db)->rollback(db->st);
	db->depth = 0;
	db->doomed = 0;
	db->reading = 0;
	db->ustale = 1;
}

/* ---- units ---------------------------------------------------------- */

int hf__db_unit_missing(hf_error *err, const char *field, const char *code)
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

	if ((rc = hf__db_units_need(db, code ? code : "", 1, 0, err)) < 0)
		return rc;
	if (!code || hf__codeset_find(&db->units, code) < 0)
		return hf__db_unit_missing(err, field, code ? code : "");
	return HF_OK;
}

static int unit_add(hf_db *db, const hf_unit *u, hf_error *err)
{
	hf_unit parent, probe;
	int rc;

	if (u->parent[0]) {
		rc = OPS(db)->unit_get(db->st, u->parent, &parent, err);
		if (rc == HF_ENOTFOUND)
			return hf__db_unit_missing(err, "parent", u->parent);
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

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = unit_add(db, u, err);
	if (rc == HF_OK)
		rc = hf__db_audit(db, "unit.add", u->code, err,
				  "name=%s kind=%s parent=%s", u->name,
				  hf_unit_kind_slug(u->kind), u->parent);
	return hf__db_tx_end(db, rc, err);
}

int hf_db_unit_get(hf_db *db, const char *code, hf_unit *out, hf_error *err)
{
	int rc = OPS(db)->unit_get(db->st, code, out, err);
	return rc == HF_ENOTFOUND ? hf__db_unit_missing(err, "code", code) : rc;
}

int hf_db_unit_list(hf_db *db, const char *parent, hf_unit **out, size_t *n,
		    hf_error *err)
{
	*out = NULL;
	*n = 0;
	return OPS(db)->unit_list(db->st, parent, out, n, err);
}

int hf__db_check_rat(hf_rat r, const char *field, hf_error *err)
{
	if (r.den <= 0)
		return hf_error_set(err, HF_EINVAL, field,
				    "Feld %s: der Nenner muss positiv sein.",
				    "Field %s: the denominator must be "
				    "positive.",
				    field);
	return HF_OK;
}

int hf__db_check_period(hf_period p, const char *what, hf_error *err)
{
	if (p.from == HF_DATE_NONE || p.to == HF_DATE_NONE)
		return hf_error_set(err, HF_EINVAL, "period",
				    "%s: der Zeitraum braucht Anfang und Ende.",
				    "%s: the period needs a start and an end.",
				    what);
	if (p.to < p.from) {
		char a[11], b[11];
		hf_date_format(p.from, a);
		hf_date_format(p.to, b);
		return hf_error_set(err, HF_EINVAL, "period",
				    "%s: das Ende des Zeitraums (%s) liegt vor "
				    "seinem Anfang (%s).",
				    "%s: the period ends (%s) before it starts "
				    "(%s).",
				    what, b, a);
	}
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
	if ((rc = hf__db_check_rat(x->value, "value", err)) < 0)
		return rc;
	return OPS(db)->indicator_put(db->st, x, err);
}

int hf_db_indicator_set(hf_db *db, const hf_indicator *ind, hf_error *err)
{
	int rc;

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = indicator_set(db, ind, err);
	if (rc == HF_OK) {
		char v[48], d[11];
		hf_rat_format(ind->value, v, sizeof v);
		hf_date_format(ind->ref_date, d);
		rc = hf__db_audit(db, "indicator.set", ind->unit, err,
				  "name=%s ref_date=%s value=%s", ind->name, d,
				  v);
	}
	return hf__db_tx_end(db, rc, err);
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

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = membership_add(db, m, err);
	if (rc == HF_OK)
		rc = hf__db_audit(db, "membership.add", m->unit, err,
				  "alliance=%s", m->alliance);
	return hf__db_tx_end(db, rc, err);
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

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = unit_exists(db, c->unit, "unit", err);
	if (rc == HF_OK)
		rc = OPS(db)->contact_put(db->st, c, err);
	if (rc == HF_OK)
		rc = hf__db_audit(db, "contact.set", c->unit, err, "office=%s",
				  c->office);
	return hf__db_tx_end(db, rc, err);
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

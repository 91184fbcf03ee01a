/* refdata.c: loads the bundled reference data into a database. */
#include "hafen/refdata.h"

#include <stdlib.h>
#include <string.h>

#include "csvread_int.h"
#include "key_int.h"
#include "io_int.h"
#include "refdata_int.h"

const char *hf_refdata_file(const char *name, size_t *size)
{
	const struct hf__refdata_file *f;
	for (f = hf__refdata_files; f->name; f++)
		if (!strcmp(f->name, name)) {
			if (size)
				*size = f->size;
			return f->data;
		}
	return NULL;
}

typedef struct ctx {
	hf_db *db;
	const char *user;
	int64_t now;
	/* ledger rows, appended in one batch */
	hf_admission *entries;
	size_t n, cap;
	/* key being assembled from key-shares.csv */
	hf_key *keys;
	size_t nkeys;
} ctx;

static int copy(char *dst, size_t size, const hf__csv_row *row,
		const char *name, int required, hf_error *err)
{
	const char *v = hf__csv_field(row, name, required, err);
	if (!v)
		return required ? HF_EINVAL : HF_OK;
	return hf_field_copy(dst, size, v, name, err);
}

static int date_field(const hf__csv_row *row, const char *name,
		      hf_date *out, hf_error *err)
{
	const char *v = hf__csv_field(row, name, 0, err);
	*out = HF_DATE_NONE;
	if (!v || !*v)
		return HF_OK;
	if (hf_date_parse(v, out) < 0)
		return hf_error_set(err, HF_EINVAL, name,
				    "Datum %s ist ungültig.",
				    "date %s is invalid.", v);
	return HF_OK;
}

static int on_unit(const hf__csv_row *row, void *vc, hf_error *err)
{
	ctx *c = vc;
	hf_unit u;
	const char *kind;
	int rc;

	memset(&u, 0, sizeof u);
	if ((rc = copy(u.code, sizeof u.code, row, "code", 1, err)) < 0 ||
	    (rc = copy(u.name, sizeof u.name, row, "name", 1, err)) < 0 ||
	    (rc = copy(u.parent, sizeof u.parent, row, "parent", 0, err)) < 0)
		return rc;
	if (!(kind = hf__csv_field(row, "kind", 1, err)))
		return HF_EINVAL;
	if (hf_unit_kind_parse(kind, &u.kind) < 0)
		return hf_error_set(err, HF_EINVAL, "kind", "Art %s unbekannt.",
				    "unknown kind %s.", kind);
	return hf_db_unit_add(c->db, &u, err);
}

static int on_indicator(const hf__csv_row *row, void *vc, hf_error *err)
{
	ctx *c = vc;
	hf_indicator ind;
	const char *v;
	int rc;

	memset(&ind, 0, sizeof ind);
	if ((rc = copy(ind.unit, sizeof ind.unit, row, "unit", 1, err)) < 0 ||
	    (rc = copy(ind.name, sizeof ind.name, row, "indicator", 1, err)) <
		    0 ||
	    (rc = copy(ind.source, sizeof ind.source, row, "source", 1, err)) <
		    0 ||
	    (rc = date_field(row, "ref_date", &ind.ref_date, err)) < 0)
		return rc;
	if (!(v = hf__csv_field(row, "value", 1, err)))
		return HF_EINVAL;
	if (hf_rat_parse_decimal(v, &ind.value) < 0)
		return hf_error_set(err, HF_EINVAL, "value",
				    "Wert %s ist keine Zahl.",
				    "value %s is not a number.", v);
	return hf_db_indicator_set(c->db, &ind, err);
}

static int on_membership(const hf__csv_row *row, void *vc, hf_error *err)
{
	ctx *c = vc;
	hf_membership m;
	int rc;

	memset(&m, 0, sizeof m);
	if ((rc = copy(m.unit, sizeof m.unit, row, "unit", 1, err)) < 0 ||
	    (rc = copy(m.alliance, sizeof m.alliance, row, "alliance", 1,
		       err)) < 0 ||
	    (rc = copy(m.source, sizeof m.source, row, "source", 0, err)) < 0 ||
	    (rc = date_field(row, "joined", &m.joined, err)) < 0)
		return rc;
	return hf_db_membership_add(c->db, &m, err);
}

static int on_key(const hf__csv_row *row, void *vc, hf_error *err)
{
	ctx *c = vc;
	hf_key *k, *nk;
	const char *v;
	int rc;

	nk = realloc(c->keys, (c->nkeys + 1) * sizeof *nk);
	if (!nk)
		return HF_ENOMEM;
	c->keys = nk;
	k = &c->keys[c->nkeys++];
	hf_key_init(k);
	if ((rc = copy(k->name, sizeof k->name, row, "name", 1, err)) < 0 ||
	    (rc = copy(k->title, sizeof k->title, row, "title", 1, err)) < 0 ||
	    (rc = copy(k->parent, sizeof k->parent, row, "parent", 1, err)) <
		    0 ||
	    (rc = copy(k->source, sizeof k->source, row, "source", 1, err)) <
		    0 ||
	    (rc = date_field(row, "valid_from", &k->valid_from, err)) < 0 ||
	    (rc = date_field(row, "valid_to", &k->valid_to, err)) < 0 ||
	    (rc = date_field(row, "ref_date", &k->ref_date, err)) < 0)
		return rc;
	if (!(v = hf__csv_field(row, "kind", 1, err)) ||
	    hf_key_kind_parse(v, &k->kind) < 0)
		return hf_error_set(err, HF_EINVAL, "kind", "Art ungültig.",
				    "invalid kind.");
	if ((v = hf__csv_field(row, "computed_year", 0, err)) && *v)
		k->computed_year = atoi(v);
	if ((v = hf__csv_field(row, "quota_year", 0, err)) && *v)
		k->quota_year = atoi(v);
	if ((v = hf__csv_field(row, "weights", 0, err)) && *v &&
	    (rc = hf__key_parse_weights(v, k, err)) < 0)
		return rc;
	if ((v = hf__csv_field(row, "cap", 0, err)) && *v &&
	    hf_rat_parse(v, &k->cap) < 0)
		return hf_error_set(err, HF_EINVAL, "cap", "%s ungültig.",
				    "%s invalid.", v);
	if ((v = hf__csv_field(row, "credits", 0, err)) && *v &&
	    (rc = hf__key_parse_credits(v, k->credit, err)) < 0)
		return rc;
	return HF_OK;
}

static int on_share(const hf__csv_row *row, void *vc, hf_error *err)
{
	ctx *c = vc;
	const char *name = hf__csv_field(row, "key", 1, err);
	const char *unit = hf__csv_field(row, "unit", 1, err);
	const char *pct = hf__csv_field(row, "percent", 1, err);
	hf_key_share *ns;
	hf_key *k = NULL;
	hf_rat r;
	size_t i;

	if (!name || !unit || !pct)
		return HF_EINVAL;
	for (i = 0; i < c->nkeys; i++)
		if (!strcmp(c->keys[i].name, name))
			k = &c->keys[i];
	if (!k)
		return hf_error_set(err, HF_ENOTFOUND, "key",
				    "Schlüssel %s steht nicht in keys.csv.",
				    "key %s is not in keys.csv.", name);
	if (hf_rat_parse_decimal(pct, &r) < 0 ||
	    hf_rat_div(r, hf_rat_int(100), &r) < 0)
		return hf_error_set(err, HF_EINVAL, "percent",
				    "%s ist keine Zahl.", "%s is not a number.",
				    pct);
	ns = realloc(k->shares, (k->nshares + 1) * sizeof *ns);
	if (!ns)
		return HF_ENOMEM;
	k->shares = ns;
	memset(&ns[k->nshares], 0, sizeof *ns);
	ns[k->nshares].share = r;
	k->nshares++;
	return hf_field_copy(ns[k->nshares - 1].unit, HF_CODE_MAX, unit,
			     "unit", err);
}

static int on_admission(const hf__csv_row *row, void *vc, hf_error *err)
{
	ctx *c = vc;
	hf_admission *a;
	const char *v;
	int rc;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 1024;
		hf_admission *ne = realloc(c->entries, ncap * sizeof *ne);
		if (!ne)
			return HF_ENOMEM;
		c->entries = ne;
		c->cap = ncap;
	}
	a = &c->entries[c->n];
	memset(a, 0, sizeof *a);
	if ((rc = copy(a->unit, sizeof a->unit, row, "unit", 1, err)) < 0 ||
	    (rc = copy(a->household, sizeof a->household, row, "household", 0,
		       err)) < 0 ||
	    (rc = copy(a->programme, sizeof a->programme, row, "programme", 0,
		       err)) < 0 ||
	    (rc = copy(a->reference, sizeof a->reference, row, "reference", 0,
		       err)) < 0 ||
	    (rc = copy(a->note, sizeof a->note, row, "note", 0, err)) < 0 ||
	    (rc = date_field(row, "date", &a->date, err)) < 0 ||
	    (rc = hf_field_copy(a->recorded_by, sizeof a->recorded_by,
				c->user, "user", err)) < 0)
		return rc;
	if (!(v = hf__csv_field(row, "category", 1, err)) ||
	    hf_category_parse(v, &a->category) < 0)
		return hf_error_set(err, HF_EINVAL, "category",
				    "Kategorie ungültig.", "invalid category.");
	if (!(v = hf__csv_field(row, "persons", 1, err)))
		return HF_EINVAL;
	if (hf_int_parse(v, &a->persons) < 0)
		return hf_error_set(err, HF_EINVAL, "persons",
				    "%s ist keine ganze Zahl.",
				    "%s is not a whole number.", v);
	a->recorded_at = c->now;
	c->n++;
	return HF_OK;
}

static int read_file(const char *name, hf__csv_row_fn fn, ctx *c,
		     hf_error *err)
{
	size_t size;
	const char *text = hf_refdata_file(name, &size);
	if (!text)
		return hf_error_set(err, HF_ENOTFOUND, name,
				    "Mitgelieferte Datei %s fehlt im Programm.",
				    "bundled file %s is missing from the "
				    "program.",
				    name);
	return hf__csv_read(name, text, size, ',', fn, c, err);
}

int hf_refdata_load(hf_db *db, int demo, const char *user, int64_t now,
		    hf_error *err)
{
	hf_unit *roots = NULL;
	size_t nroots = 0, i;
	ctx c;
	int rc;

	memset(&c, 0, sizeof c);
	c.db = db;
	c.user = user ? user : "hafen";
	c.now = now;
	if ((rc = hf_db_begin(db, err)) < 0)
		return rc;
	if ((rc = hf_db_unit_list(db, NULL, &roots, &nroots, err)) < 0)
		goto fail;
	free(roots);
	if (nroots) {
		rc = hf_error_set(err, HF_EEXIST, "",
				  "Die Datenbank enthält schon Einheiten: die "
				  "Referenzdaten werden nur in eine leere "
				  "Datenbank geladen.",
				  "The database already holds units: reference "
				  "data is loaded into an empty database only.");
		goto fail;
	}
	if ((rc = read_file("units.csv", on_unit, &c, err)) < 0 ||
	    (rc = read_file("indicators.csv", on_indicator, &c, err)) < 0 ||
	    (rc = read_file("memberships.csv", on_membership, &c, err)) < 0 ||
	    (rc = read_file("keys.csv", on_key, &c, err)) < 0 ||
	    (rc = read_file("key-shares.csv", on_share, &c, err)) < 0)
		goto fail;
	for (i = 0; i < c.nkeys; i++) {
		if (c.keys[i].kind == HF_KEY_COMPUTED &&
		    (rc = hf_db_key_compute(db, &c.keys[i], err)) < 0)
			goto fail;
		if ((rc = hf_db_key_add(db, &c.keys[i], err)) < 0)
			goto fail;
	}
	if (demo) {
		if ((rc = read_file("demo-ledger.csv", on_admission, &c, err)) <
			    0 ||
		    (rc = hf_db_ledger_append(db, c.entries, c.n, err)) < 0)
			goto fail;
	}
	rc = hf_db_commit(db, err);
	if (rc < 0)
		goto fail;
	goto out;
fail:
	hf_db_rollback(db);
out:
	for (i = 0; i < c.nkeys; i++)
		hf_key_clear(&c.keys[i]);
	free(c.keys);
	free(c.entries);
	return rc;
}

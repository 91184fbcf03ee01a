/*
 * db_copy.c: a whole database into another, verified (hafen migrate).
 *
 * Tables go in an order that satisfies their references (units parents
 * first, the ledger by id), every value as text, so the copy works
 * between any two backends. Each table is verified by its count of rows
 * and a SHA-256 over its rows in key order, computed from what was read
 * and again from what the target returns inside the same transaction;
 * any difference rolls the whole copy back.
 */
#include "hafen/db.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

/* Every table of the schema, referenced ones first. A table added by a
 * migration goes here too (store_int.h says how). */
static const hf__table tables[] = {
    {"units", "code, name, kind, parent", 4, "code", 3},
    {"indicators", "unit, name, ref_date, num, den, source", 6,
     "unit, name, #ref_date", -1},
    {"memberships", "unit, alliance, joined, source", 4, "alliance, unit", -1},
    {"contacts", "unit, office, email, phone", 4, "unit", -1},
    {"keys",
     "name, title, parent, kind, valid_from, valid_to, computed_year, "
     "quota_year, source, ref_date, cap_num, cap_den",
     12, "name", -1},
    {"key_weights", "key, pos, indicator, num, den", 5, "key, #pos", -1},
    {"key_shares", "key, unit, num, den", 4, "key, unit", -1},
    {"key_credits", "key, category, num, den", 4, "key, #category", -1},
    {"standing_credits", "id, key, unit, date_from, date_to, persons, reason",
     7, "#id", -1},
    {"programmes",
     "name, title, kind, parent, date_from, date_to, contingent, key, "
     "category, source",
     10, "name", -1},
    {"programme_shares", "programme, unit, num, den", 4, "programme, unit", -1},
    {"ledger",
     "id, date, unit, persons, household, category, programme, "
     "reference, recorded_by, recorded_at, corrects, note, pair",
     13, "#id", -1},
    {"ledger_month", "month, unit, category, persons, entries", 5,
     "#month, unit, #category", -1},
    {"ledger_day", "day, unit, category, persons, entries", 5,
     "#day, unit, #category", -1},
    {"overrides",
     "id, entry, programme, beyond, reason, recorded_by, recorded_at", 7, "#id",
     -1},
    {"pledges",
     "id, unit, programme, places, date_from, date_to, status, note, "
     "recorded_by, recorded_at",
     10, "#id", -1},
    {"accounts", "name, role, units, pwhash, created_at, changed_at", 6, "name",
     -1},
    {"sessions", "hash, account, csrf, created_at, expires_at", 5, "hash", -1},
    {"audit", "id, at, account, action, object, details", 6, "#id", -1},
    {"imports", "id, sha256, kind, file, rows, imported_by, imported_at", 7,
     "#id", -1},
};

#define NTABLES (sizeof tables / sizeof tables[0])

/* A row's canonical bytes for the hash: per value 0x00 for NULL, or 0x01,
 * its length in 4 bytes big-endian and its bytes. */
static void hash_row(crypto_hash_sha256_state *h, const hf__table *t,
		     const char *const *v)
{
	unsigned char head[5];
	int i;

	for (i = 0; i < t->ncols; i++) {
		size_t len = v[i] ? strlen(v[i]) : 0;
		if (!v[i]) {
			head[0] = 0;
			crypto_hash_sha256_update(h, head, 1);
			continue;
		}
		head[0] = 1;
		head[1] = (unsigned char)(len >> 24);
		head[2] = (unsigned char)(len >> 16);
		head[3] = (unsigned char)(len >> 8);
		head[4] = (unsigned char)len;
		crypto_hash_sha256_update(h, head, 5);
		crypto_hash_sha256_update(h, (const unsigned char *)v[i], len);
	}
}

/* Rows held back until their parent row is in (units). */
typedef struct held {
	char **v; /* ncols values per row, NULL for NULL */
	size_t n, cap;
} held;

typedef struct copy {
	hf_db *to;
	const hf__table *t;
	crypto_hash_sha256_state h;
	int64_t rows;
	held hold;
} copy;

static void held_free(held *x, int ncols)
{
	size_t i;
	for (i = 0; i < x->n * (size_t)ncols; i++)
		free(x->v[i]);
	free(x->v);
	memset(x, 0, sizeof *x);
}

static int hold_row(held *x, const char *const *v, int ncols)
{
	size_t i;

	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		char **nv = realloc(x->v, cap * (size_t)ncols * sizeof *nv);
		if (!nv)
			return HF_ENOMEM;
		x->v = nv;
		x->cap = cap;
	}
	for (i = 0; i < (size_t)ncols; i++) {
		char **d = &x->v[x->n * (size_t)ncols + i];
		*d = NULL;
		if (v[i] && !(*d = strdup(v[i]))) {
			while (i-- > 0)
				free(x->v[x->n * (size_t)ncols + i]);
			return HF_ENOMEM;
		}
	}
	x->n++;
	return HF_OK;
}

static int copy_row(void *ctx, const char *const *v, hf_error *err)
{
	copy *c = ctx;

	hash_row(&c->h, c->t, v);
	c->rows++;
	if (c->t->parent >= 0)
		return hold_row(&c->hold, v, c->t->ncols) < 0
			   ? hf__db_nomem(err)
			   : HF_OK;
	return OPS(c->to)->row_insert(c->to->st, c->t, v, err);
}

/* The held rows, each after the row its parent column names: passes
 * over the rest until none is left (one pass per level of the tree). A
 * parent that is no row of the table is the target's to refuse. */
static int insert_held(copy *c, hf_error *err)
{
	const hf__table *t = c->t;
	size_t nc = (size_t)t->ncols, i, left = c->hold.n;
	hf__codeset all = {0}, in = {0};
	char *done = calloc(left ? left : 1, 1);
	int rc = HF_OK, progress = 1;

	if (!done || hf__codeset_reset(&all, left) < 0 ||
	    hf__codeset_reset(&in, left) < 0) {
		rc = hf__db_nomem(err);
		goto out;
	}
	for (i = 0; i < c->hold.n; i++) {
		const char *code = c->hold.v[i * nc];
		if (!code || strlen(code) >= HF_CODE_MAX) {
			rc = hf_error_set(err, HF_ESTORAGE, t->name,
					  "Tabelle %s: ein Code fehlt oder ist "
					  "zu lang.",
					  "Table %s: a code is missing or too "
					  "long.",
					  t->name);
			goto out;
		}
		hf__codeset_add(&all, code);
	}
	while (left && progress && rc == HF_OK) {
		progress = 0;
		for (i = 0; i < c->hold.n && rc == HF_OK; i++) {
			char **row = &c->hold.v[i * nc];
			const char *parent = row[t->parent];
			if (done[i] ||
			    (parent && hf__codeset_find(&all, parent) >= 0 &&
			     hf__codeset_find(&in, parent) < 0))
				continue;
			rc = OPS(c->to)->row_insert(
			    c->to->st, t, (const char *const *)row, err);
			hf__codeset_add(&in, row[0]);
			done[i] = 1;
			left--;
			progress = 1;
		}
	}
	if (rc == HF_OK && left)
		rc = hf_error_set(err, HF_ECONFLICT, t->name,
				  "Tabelle %s: %zu Zeilen nennen einander im "
				  "Kreis als übergeordnet.",
				  "Table %s: %zu rows name each other as "
				  "parent in a circle.",
				  t->name, left);
out:
	free(done);
	hf__codeset_free(&all);
	hf__codeset_free(&in);
	return rc;
}

static int count_row(void *ctx, const char *const *v, hf_error *err)
{
	copy *c = ctx;
	(void)err;
	hash_row(&c->h, c->t, v);
	c->rows++;
	return HF_OK;
}

/* Stops at the first row: the table is not empty. */
static int any_row(void *ctx, const char *const *v, hf_error *err)
{
	(void)v;
	(void)err;
	*(int *)ctx = 1;
	return HF_EEXIST;
}

static void hex(const unsigned char *d, char *out)
{
	static const char digits[] = "0123456789abcdef";
	int i;
	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[64] = '\0';
}

static int copy_table(hf_db *from, hf_db *to, const hf__table *t,
		      hf_db_table_sum *sum, hf_error *err)
{
	unsigned char a[32], b[32];
	char ha[65], hb[65];
	copy c, back;
	int rc;

	memset(&c, 0, sizeof c);
	memset(&back, 0, sizeof back);
	c.to = back.to = to;
	c.t = back.t = t;
	crypto_hash_sha256_init(&c.h);
	crypto_hash_sha256_init(&back.h);
	rc = OPS(from)->rows_read(from->st, t, copy_row, &c, err);
	if (rc == HF_OK && t->parent >= 0)
		rc = insert_held(&c, err);
	held_free(&c.hold, t->ncols);
	if (rc < 0)
		return rc;
	crypto_hash_sha256_final(&c.h, a);
	/* what the target holds now, inside the same transaction */
	if ((rc = OPS(to)->rows_read(to->st, t, count_row, &back, err)) < 0)
		return rc;
	crypto_hash_sha256_final(&back.h, b);
	hex(a, ha);
	hex(b, hb);
	if (c.rows != back.rows || memcmp(a, b, sizeof a))
		return hf_error_set(err, HF_ESTORAGE, t->name,
				    "Tabelle %s: die Kopie hat %lld Zeilen "
				    "(SHA-256 %.16s…), die Quelle %lld "
				    "(%.16s…); nichts wurde gespeichert.",
				    "Table %s: the copy has %lld rows (SHA-256 "
				    "%.16s…), the source %lld (%.16s…); "
				    "nothing was saved.",
				    t->name, (long long)back.rows, hb,
				    (long long)c.rows, ha);
	snprintf(sum->table, sizeof sum->table, "%s", t->name);
	sum->rows = c.rows;
	memcpy(sum->sha256, ha, sizeof sum->sha256);
	return HF_OK;
}

/* A table of the source that hafen migrate does not know would be left
 * behind: refused (a migration added a table, but not to tables[]). */
static int known(void *ctx, const char *const *v, hf_error *err)
{
	size_t i;

	(void)ctx;
	if (!strcmp(v[0], "schema_version"))
		return HF_OK;
	for (i = 0; i < NTABLES; i++)
		if (!strcmp(v[0], tables[i].name))
			return HF_OK;
	return hf_error_set(err, HF_ESCHEMA, v[0],
			    "Die Quelle hat eine Tabelle %s, die hafen migrate "
			    "nicht kennt; kopiert wird nichts.",
			    "The source has a table %s that hafen migrate does "
			    "not know; nothing is copied.",
			    v[0]);
}

static int copy_all(hf_db *from, hf_db *to, int force, hf_db_table_sum *sums,
		    hf_error *err)
{
	size_t i;
	int rc, full = 0;

	if ((rc = OPS(from)->table_names(from->st, known, NULL, err)) < 0)
		return rc;

	for (i = 0; i < NTABLES && !full; i++) {
		rc =
		    OPS(to)->rows_read(to->st, &tables[i], any_row, &full, err);
		if (rc < 0 && !full)
			return rc;
		if (full && !force)
			return hf_error_set(
			    err, HF_EEXIST, tables[i].name,
			    "Das Ziel enthält schon Daten (Tabelle %s): "
			    "hafen migrate kopiert nur in eine leere "
			    "Datenbank; --force ersetzt alles darin.",
			    "The target holds data already (table %s): "
			    "hafen migrate copies into an empty database "
			    "only; --force replaces everything in it.",
			    tables[i].name);
	}
	if (full && (rc = OPS(to)->reset(to->st, tables, NTABLES, err)) < 0)
		return rc;
	for (i = 0; i < NTABLES; i++)
		if ((rc = copy_table(from, to, &tables[i], &sums[i], err)) < 0)
			return rc;
	return HF_OK;
}

int hf_db_copy(hf_db *from, hf_db *to, int force, hf_db_table_sum **out,
	       size_t *n, hf_error *err)
{
	hf_db_table_sum *sums;
	int rc;

	*out = NULL;
	*n = 0;
	if (sodium_init() < 0)
		return hf_error_set(err, HF_ESTORAGE, "",
				    "libsodium lässt sich nicht starten.",
				    "libsodium cannot be initialised.");
	if (!(sums = calloc(NTABLES, sizeof *sums)))
		return hf__db_nomem(err);
	if ((rc = hf__db_read_begin(from, err)) < 0)
		goto out;
	if ((rc = hf__db_tx_begin(to, err)) == HF_OK) {
		rc = hf__db_tx_end(to, copy_all(from, to, force, sums, err),
				   err);
		to->ustale = 1;
	}
	rc = hf__db_read_end(from, rc, err);
out:
	if (rc < 0) {
		free(sums);
		return rc;
	}
	*out = sums;
	*n = NTABLES;
	return HF_OK;
}

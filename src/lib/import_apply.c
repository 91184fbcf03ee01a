/*
 * import_apply.c: the checked records of a file against the database and
 * into it, inside the import's transaction. Everything that can be known
 * before writing (units and programmes that exist, parents, key shares)
 * is checked for every record first, so a file's problems are listed
 * together; a record the database still refuses ends the import with
 * that record named.
 */
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "io_kinds_int.h"

#define KC(io) ((hf__kc *)(io)->kc)

static int nomem(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
}

static int issues(const hf__io *io)
{
	return io->res->nissues + io->res->more > 0;
}

/* A refusal of the database as the problem of row `row`; the import
 * ends there. */
static int refused(hf__io *io, long row, hf_error *err)
{
	const char *m = err->message;
	const char *colon = strstr(m, ": ");

	/* "Eintrag 17: ..." numbers the batch, not the file */
	if ((!strncmp(m, "Eintrag ", 8) || !strncmp(m, "Entry ", 6)) && colon)
		m = colon + 2;
	hf__io_issue(io, row, -1, "%s", "%s", m);
	return HF_OK;
}

static int unit_known(hf_db *db, const char *code)
{
	return hf__codeset_find(&db->units, code) >= 0;
}

/* An unknown unit; where Excel took the code for a number and dropped
 * its leading zero (01003000 became 1003000), say so. */
static void unit_missing(hf__io *io, hf_db *db, long row, int col,
			 const char *code)
{
	char zero[HF_CODE_MAX + 1];
	size_t i, n = strlen(code);

	for (i = 0; i < n && code[i] >= '0' && code[i] <= '9'; i++)
		;
	snprintf(zero, sizeof zero, "0%s", code);
	io->cur_value = code;
	io->cur_expected =
	    hf_tr(io->lang, "der Code einer Einheit", "the code of a unit");
	if (n && i == n && n + 1 < HF_CODE_MAX && unit_known(db, zero)) {
		hf__io_issue(io, row, col,
			     "die Einheit %s gibt es nicht; gemeint ist wohl "
			     "%s (die führende Null ging verloren, als Excel "
			     "den Code für eine Zahl hielt: die Spalte als "
			     "Text formatieren).",
			     "there is no unit %s; %s is meant, probably (the "
			     "leading zero was lost when Excel took the code "
			     "for a number: format the column as text).",
			     code, zero);
		return;
	}
	hf__io_issue(io, row, col, "die Einheit %s gibt es nicht.",
		     "there is no unit %s.", code);
}

/* Adds record i of the file, of the import's kind. */
static int add_record(hf__io *io, hf_db *db, size_t i, hf_error *err)
{
	hf__kc *k = KC(io);

	switch (io->spec->kind) {
	case HF_IO_INDICATORS:
		return hf_db_indicator_set(db, &k->inds[i], err);
	case HF_IO_KEYS:
		return hf_db_key_add(db, &k->keys[i], err);
	case HF_IO_PROGRAMMES:
		return hf_db_programme_add(db, &k->progs[i], err);
	case HF_IO_PLEDGES:
		return hf_db_pledge_add(db, &k->pledges[i], err);
	default:
		return hf_error_set(err, HF_EINVAL, "", "%s", "%s",
				    "add_record: kind");
	}
}

/* When the checks found no problem: adds the records of the file in its
 * order, but those marked in skip (may be NULL). A record the database
 * refuses becomes the problem of its row and ends the adding. */
static int add_records(hf__io *io, hf_db *db, const char *skip, hf_error *err)
{
	hf__kc *k = KC(io);
	size_t i;

	if (issues(io))
		return HF_OK;
	for (i = 0; i < k->n; i++)
		if (!(skip && skip[i]) && add_record(io, db, i, err) < 0)
			return refused(io, k->rows[i], err);
	return HF_OK;
}

/* Whether the parent unit exists; if not, the problem of row's column
 * col. */
static int parent_known(hf__io *io, hf_db *db, long row, int col,
			const char *code, hf_error *e)
{
	hf_unit parent;

	if (OPS(db)->unit_get(db->st, code, &parent, e) == HF_OK)
		return 1;
	hf__io_issue(io, row, col, "die Obereinheit %s gibt es nicht.",
		     "there is no parent unit %s.", code);
	return 0;
}

/* ---- units --------------------------------------------------------- */

static int apply_units(hf__io *io, hf_db *db, hf_error *err)
{
	hf__kc *k = KC(io);
	hf__codeset cs = {0};
	char *state = NULL; /* 0 to add, 1 exists, 2 added */
	size_t i, left, before;
	hf_error e;
	int rc = HF_OK;

	hf_error_init(&e, io->lang);
	if (hf__codeset_reset(&cs, k->n) < 0 ||
	    !(state = calloc(k->n + 1, 1))) {
		rc = nomem(err);
		goto out;
	}
	for (i = 0; i < k->n; i++)
		hf__codeset_add(&cs, k->units[i].code);
	for (i = 0; i < k->n; i++) {
		const hf_unit *u = &k->units[i];
		hf_unit have, parent;
		int fp;

		if (OPS(db)->unit_get(db->st, u->code, &have, &e) == HF_OK) {
			if (strcmp(have.name, u->name) ||
			    have.kind != u->kind ||
			    strcmp(have.parent, u->parent))
				hf__io_issue(io, k->rows[i], U_CODE,
					     "die Einheit %s gibt es schon, "
					     "anders: %s, %s, Obereinheit "
					     "%s.",
					     "unit %s exists already, "
					     "differently: %s, %s, parent %s.",
					     u->code, have.name,
					     hf_unit_kind_slug(have.kind),
					     have.parent[0] ? have.parent
							    : "-");
			state[i] = 1;
			continue;
		}
		if (!u->parent[0]) {
			if (hf_unit_check(u, NULL, &e) < 0)
				hf__issue_err(io, k->rows[i], &e);
			continue;
		}
		fp = hf__codeset_find(&cs, u->parent);
		if (fp >= 0)
			parent = k->units[fp];
		else if (OPS(db)->unit_get(db->st, u->parent, &parent, &e) !=
			 HF_OK) {
			hf__io_issue(io, k->rows[i], U_PARENT,
				     "die Obereinheit %s gibt es weder in der "
				     "Datenbank noch in der Datei.",
				     "parent %s is neither in the database "
				     "nor in the file.",
				     u->parent);
			continue;
		}
		if (hf_unit_check(u, &parent, &e) < 0)
			hf__issue_err(io, k->rows[i], &e);
	}
	if (issues(io))
		goto out;
	/* parents before children, whatever the file's order */
	do {
		before = left = 0;
		for (i = 0; i < k->n; i++) {
			const hf_unit *u = &k->units[i];
			int fp;
			if (state[i])
				continue;
			fp = u->parent[0] ? hf__codeset_find(&cs, u->parent)
					  : -1;
			if (fp >= 0 && !state[fp]) {
				left++;
				continue;
			}
			if (hf_db_unit_add(db, u, err) < 0) {
				rc = refused(io, k->rows[i], err);
				goto out;
			}
			state[i] = 2;
			before++;
		}
	} while (left && before);
	/* parents that wait for each other: a loop, never a tree */
	for (i = 0; left && i < k->n; i++)
		if (!state[i])
			hf__io_issue(io, k->rows[i], U_PARENT,
				     "die Obereinheit %s hängt selbst von %s "
				     "ab (ein Kreis, kein Baum).",
				     "parent %s depends on %s itself (a loop, "
				     "not a tree).",
				     k->units[i].parent, k->units[i].code);
out:
	hf__codeset_free(&cs);
	free(state);
	return rc;
}

/* ---- indicators ---------------------------------------------------- */

static int apply_inds(hf__io *io, hf_db *db, hf_error *err)
{
	hf__kc *k = KC(io);
	size_t i;
	int rc;

	if ((rc = hf__db_units_load(db, err)) < 0)
		return rc;
	for (i = 0; i < k->n; i++)
		if (!unit_known(db, k->inds[i].unit))
			unit_missing(io, db, k->rows[i], I_UNIT,
				     k->inds[i].unit);
	return add_records(io, db, NULL, err);
}

/* ---- keys and programmes ------------------------------------------- */

static int same_shares(const hf_key_share *a, size_t na, const hf_key_share *b,
		       size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(a[i].unit, b[i].unit) ||
		    hf_rat_cmp(a[i].share, b[i].share))
			return 0;
	return 1;
}

static int by_unit(const void *a, const void *b)
{
	return strcmp(((const hf_key_share *)a)->unit,
		      ((const hf_key_share *)b)->unit);
}

static int same_key(const hf_key *a, const hf_key *b)
{
	int c;

	if (strcmp(a->parent, b->parent) || a->kind != b->kind ||
	    a->valid_from != b->valid_from || a->valid_to != b->valid_to ||
	    !same_shares(a->shares, a->nshares, b->shares, b->nshares))
		return 0;
	for (c = 0; c < HF_CAT_COUNT; c++)
		if (hf_rat_cmp(a->credit[c], b->credit[c]))
			return 0;
	return 1;
}

static int apply_keys(hf__io *io, hf_db *db, hf_error *err)
{
	hf__kc *k = KC(io);
	char *skip = calloc(k->n + 1, 1);
	hf_error e;
	size_t i;
	int rc = HF_OK;

	if (!skip)
		return nomem(err);
	hf_error_init(&e, io->lang);
	for (i = 0; i < k->n; i++) {
		hf_key *key = &k->keys[i], have;
		hf_unit *children = NULL;
		size_t n = 0;

		if (!parent_known(io, db, k->rows[i], K_PARENT, key->parent,
				  &e))
			continue;
		if (!key->nshares) {
			if (key->kind != HF_KEY_COMPUTED) {
				hf__io_issue(io, k->rows[i], K_UNIT,
					     "Schlüssel %s hat keine Anteile "
					     "(Spalten unit/Einheit und "
					     "share/Anteil).",
					     "key %s has no shares (columns "
					     "unit/Einheit and share/Anteil).",
					     key->name);
				continue;
			}
			if (hf_db_key_compute(db, key, &e) < 0) {
				hf__issue_err(io, k->rows[i], &e);
				continue;
			}
		}
		if (hf_db_unit_list(db, key->parent, &children, &n, &e) < 0) {
			hf__issue_err(io, k->rows[i], &e);
			continue;
		}
		rc = hf_key_check(key, children, n, &e);
		free(children);
		if (rc < 0) {
			rc = HF_OK;
			hf__io_issue(io, k->rows[i], -1, "%s", "%s", e.message);
			continue;
		}
		if (OPS(db)->key_get(db->st, key->name, &have, &e) == HF_OK) {
			if (!same_key(key, &have))
				hf__io_issue(io, k->rows[i], K_KEY,
					     "den Schlüssel %s gibt es schon, "
					     "mit anderen Angaben.",
					     "key %s exists already, with "
					     "other figures.",
					     key->name);
			skip[i] = 1;
			hf_key_clear(&have);
		}
	}
	rc = add_records(io, db, skip, err);
	free(skip);
	return rc;
}

static int apply_progs(hf__io *io, hf_db *db, hf_error *err)
{
	hf__kc *k = KC(io);
	char *skip = calloc(k->n + 1, 1);
	hf_error e;
	size_t i;
	int rc = HF_OK;

	if (!skip)
		return nomem(err);
	hf_error_init(&e, io->lang);
	for (i = 0; i < k->n; i++) {
		hf_programme *p = &k->progs[i], have;
		hf_key key;

		parent_known(io, db, k->rows[i], G_PARENT, p->parent, &e);
		if (p->key[0]) {
			if (OPS(db)->key_get(db->st, p->key, &key, &e) == HF_OK)
				hf_key_clear(&key);
			else
				hf__io_issue(io, k->rows[i], G_KEY,
					     "den Schlüssel %s gibt es nicht.",
					     "there is no key %s.", p->key);
		}
		if (OPS(db)->programme_get(db->st, p->name, &have, &e) ==
		    HF_OK) {
			if (strcmp(have.parent, p->parent) ||
			    have.kind != p->kind ||
			    have.contingent != p->contingent ||
			    have.period.from != p->period.from ||
			    have.period.to != p->period.to ||
			    strcmp(have.key, p->key) ||
			    (qsort(p->shares, p->nshares, sizeof *p->shares,
				   by_unit),
			     !same_shares(have.shares, have.nshares, p->shares,
					  p->nshares)))
				hf__io_issue(io, k->rows[i], G_NAME,
					     "das Programm %s gibt es schon, "
					     "mit anderen Angaben.",
					     "programme %s exists already, "
					     "with other figures.",
					     p->name);
			skip[i] = 1;
			hf_programme_clear(&have);
		}
	}
	rc = add_records(io, db, skip, err);
	free(skip);
	return rc;
}

/* ---- pledges ------------------------------------------------------- */

static int programme_known(const hf_programme *p, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(p[i].name, name))
			return 1;
	return 0;
}

/* The unit of a row the uploader may not write: a problem of the row.
 * < 0 for an error of the check itself. */
static int not_theirs(hf__io *io, const hf_import_options *o, long row, int col,
		      const char *unit, hf_error *err)
{
	int ok;

	if (!o->unit_ok || !unit || !*unit)
		return 0;
	ok = o->unit_ok(o->unit_ctx, unit);
	if (ok < 0)
		return hf_error_set(err, ok, unit,
				    "Die Einheit %s ließ sich nicht prüfen.",
				    "The unit %s could not be checked.", unit);
	if (!ok) {
		io->cur_value = unit;
		io->cur_expected = hf_tr(io->lang, "eine Ihrer Einheiten",
					 "one of your units");
		hf__io_issue(io, row, col,
			     "die Einheit %s gehört nicht zu Ihren Einheiten.",
			     "the unit %s is not one of your units.", unit);
	}
	return 0;
}

static int apply_pledges(hf__io *io, hf_db *db, const hf_import_options *o,
			 hf_error *err)
{
	hf__kc *k = KC(io);
	hf_programme *progs = NULL;
	size_t np = 0, i;
	int rc;

	if ((rc = hf__db_units_load(db, err)) < 0 ||
	    (rc = hf_db_programme_list(db, &progs, &np, err)) < 0)
		return rc;
	for (i = 0; i < k->n; i++) {
		hf_pledge *p = &k->pledges[i];
		if (!unit_known(db, p->unit))
			unit_missing(io, db, k->rows[i], P_UNIT, p->unit);
		else if ((rc = not_theirs(io, o, k->rows[i], P_UNIT, p->unit,
					  err)) < 0) {
			free(progs);
			return rc;
		}
		if (p->programme[0] &&
		    !programme_known(progs, np, p->programme))
			hf__io_issue(io, k->rows[i], P_PROGRAMME,
				     "das Programm %s gibt es nicht.",
				     "there is no programme %s.", p->programme);
		if (!(k->pledge_has[i] & 1))
			snprintf(p->recorded_by, sizeof p->recorded_by, "%s",
				 o->user ? o->user : "");
		if (!(k->pledge_has[i] & 2))
			p->recorded_at = o->now;
	}
	free(progs);
	return add_records(io, db, NULL, err);
}

/* ---- admissions ---------------------------------------------------- */

/* file id -> record index, open addressing */
typedef struct idmap {
	int64_t *id;
	size_t *idx;
	size_t mask;
} idmap;

static int idmap_init(idmap *m, size_t n)
{
	size_t size = 16;

	while (size < 2 * n + 2)
		size *= 2;
	m->id = calloc(size, sizeof *m->id);
	m->idx = calloc(size, sizeof *m->idx);
	m->mask = size - 1;
	return m->id && m->idx ? HF_OK : HF_ENOMEM;
}

static size_t *idmap_slot(idmap *m, int64_t id, int add)
{
	size_t s = (size_t)((uint64_t)id * 11400714819323198485ull) & m->mask;

	for (; m->id[s]; s = (s + 1) & m->mask)
		if (m->id[s] == id)
			return &m->idx[s];
	if (!add)
		return NULL;
	m->id[s] = id;
	return &m->idx[s];
}

/* Whether records a (earlier) and b of the file are the two halves of
 * one transfer, as hf_db_transfer writes them. */
static int pair_ok(const hf__kc *k, size_t a, size_t b)
{
	const hf__adm_rec *x = &k->adm[a], *y = &k->adm[b];

	return a != b && x->category == HF_CAT_TRANSFER_OUT &&
	       y->category == HF_CAT_TRANSFER_IN && x->persons == y->persons &&
	       x->fpair == y->fid && y->fpair == x->fid;
}

#define CHUNK 65536 /* entries made and appended at a time */

typedef struct writer {
	hf__io *io;
	hf_db *db;
	hf__override *ov;
	hf_admission *buf; /* CHUNK entries */
} writer;

/* Appends records [from, to) in batches of CHUNK within the import's
 * transaction, and keeps the ids they got; a refusal becomes the issue
 * of the record's row (1). */
static int flush(writer *w, size_t from, size_t to, int paired, hf_error *err)
{
	hf__kc *k = KC(w->io);
	size_t at, n, t, bad;
	int rc;

	for (at = from; at < to; at += n) {
		n = to - at < CHUNK ? to - at : CHUNK;
		for (t = 0; t < n; t++)
			hf__adm_unpack(k, &k->adm[at + t], &w->buf[t]);
		rc = hf__db_append(w->db, w->buf, n, 1, w->ov, paired, err);
		if (rc >= 0) {
			for (t = 0; t < n; t++)
				k->adm[at + t].id = w->buf[t].id;
			continue;
		}
		if (rc == HF_ENOMEM || rc == HF_EIO || rc == HF_ESTORAGE ||
		    rc == HF_EBUSY || rc == HF_EREADONLY)
			return rc;
		bad = at;
		if (err->where[0] == '#')
			bad =
			    at + (size_t)strtoul(err->where + 1, NULL, 10) - 1;
		if (bad >= at + n)
			bad = at;
		refused(w->io, k->rows[bad], err);
		return 1;
	}
	return HF_OK;
}

static int apply_adm(hf__io *io, hf_db *db, const hf_import_options *o,
		     hf_error *err)
{
	hf__kc *k = KC(io);
	size_t i, start = 0;
	idmap m = {NULL, NULL, 0};
	hf__override ov = {o->override, o->user ? o->user : "", o->now, 0};
	writer w = {io, db, o->override ? &ov : NULL, NULL};
	uint32_t user = 0;
	int rc;

	/* the programme of an entry may be any name: only entries naming a
	 * stored programme are checked against it (by the append) */
	if ((rc = hf__db_units_load(db, err)) < 0)
		return rc;
	if (idmap_init(&m, k->n) < 0 ||
	    hf__arena_add(k, o->user ? o->user : "", &user) < 0 ||
	    !(w.buf =
		  malloc((k->n < CHUNK ? k->n + 1 : CHUNK) * sizeof *w.buf))) {
		rc = nomem(err);
		goto out;
	}
	for (i = 0; i < k->n; i++)
		if (k->adm[i].fid)
			*idmap_slot(&m, k->adm[i].fid, 1) = i;
	for (i = 0; i < k->n; i++) {
		hf__adm_rec *x = &k->adm[i];
		const char *unit = HF__ASTR(k, x, S_UNIT);
		size_t *j;
		if (!unit_known(db, unit))
			unit_missing(io, db, k->rows[i], A_UNIT, unit);
		else if ((rc = not_theirs(io, o, k->rows[i], A_UNIT, unit,
					  err)) < 0)
			goto out;
		if (x->fcorrects && (j = idmap_slot(&m, x->fcorrects, 0)) &&
		    *j >= i)
			hf__io_issue(io, k->rows[i], A_CORRECTS,
				     "die Stornierung muss nach dem Eintrag "
				     "%lld stehen, den sie storniert.",
				     "a reversal must come after the entry "
				     "%lld it reverses.",
				     (long long)x->fcorrects);
		if (x->fpair && !(j = idmap_slot(&m, x->fpair, 0)))
			hf__io_issue(io, k->rows[i], A_PAIR,
				     "der Partner %lld der Umverteilung steht "
				     "nicht in der Datei.",
				     "the other half %lld of the transfer is "
				     "not in the file.",
				     (long long)x->fpair);
		else if (x->fpair &&
			 !pair_ok(k, *j < i ? *j : i, *j < i ? i : *j))
			hf__io_issue(
			    io, k->rows[i], A_PAIR,
			    "ein Paar ist eine Umverteilung: erst "
			    "umverteilung-ab, dann umverteilung-zu "
			    "mit denselben Personen, die einander "
			    "nennen (hier mit %lld).",
			    "a pair is a transfer: first transfer-out, "
			    "then transfer-in with the same persons, "
			    "naming each other (here with %lld).",
			    (long long)x->fpair);
		if (!x->has_by)
			x->str[S_BY] = user;
		if (!x->has_at)
			x->recorded_at = o->now;
	}
	if (issues(io))
		goto out;
	/* batches, cut where a record names another of the file: that one
	 * must have its id first */
	for (i = 0; i < k->n; i++) {
		hf__adm_rec *x = &k->adm[i];
		size_t *j = NULL, *p = NULL;
		if (x->fcorrects)
			j = idmap_slot(&m, x->fcorrects, 0);
		if (x->fpair && (p = idmap_slot(&m, x->fpair, 0)) && *p > i)
			p = NULL; /* the later half links back */
		if (!j && !p)
			continue;
		if ((j && *j >= start) || p) {
			if ((rc = flush(&w, start, i, 0, err)) != 0)
				goto out;
			start = i;
		}
		if (j)
			x->corrects = k->adm[*j].id;
		if (p) {
			x->pair = k->adm[*p].id;
			if ((rc = flush(&w, i, i + 1, 1, err)) != 0)
				goto out;
			start = i + 1;
		}
	}
	rc = flush(&w, start, k->n, 0, err);
	if (w.ov)
		io->res->overrides = w.ov->used;
out:
	free(m.id);
	free(m.idx);
	free(w.buf);
	return rc > 0 ? HF_OK : rc;
}

int hf__kind_apply(hf__io *io, hf_db *db, const hf_import_options *o,
		   hf_error *err)
{
	switch (io->spec->kind) {
	case HF_IO_UNITS:
		return apply_units(io, db, err);
	case HF_IO_INDICATORS:
		return apply_inds(io, db, err);
	case HF_IO_KEYS:
		return apply_keys(io, db, err);
	case HF_IO_ADMISSIONS:
		return apply_adm(io, db, o, err);
	case HF_IO_PLEDGES:
		return apply_pledges(io, db, o, err);
	case HF_IO_PROGRAMMES:
		return apply_progs(io, db, err);
	default:
		return HF_OK;
	}
}

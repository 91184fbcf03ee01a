/*
 * db_programme.c: admission programmes in the database API: checking a
 * programme before it is stored, its fulfilment per child unit, and the
 * check that keeps every append within the contingents (or logs the
 * override that went beyond).
 *
 * A unit's share of a contingent in whole persons is Hare-Niemeyer over
 * the shares, so the rounded shares always sum to the contingent; an
 * admission counts for the child of the programme's parent that is its
 * unit or lies above it.
 */
#include "hafen/programme.h"

#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "hafen/apportion.h"

static int prog_missing(hf_error *err, const char *name)
{
	return hf_error_set(err, HF_ENOTFOUND, "programme",
			    "Das Programm %s gibt es nicht: bitte den Namen "
			    "prüfen (hafen programme list).",
			    "There is no programme %s: please check the name "
			    "(hafen programme list).",
			    name);
}

static int check_fields(hf_db *db, const hf_programme *p, hf_error *err)
{
	hf_unit parent;
	int rc;

	if (!p->name[0])
		return hf_error_set(err, HF_EINVAL, "name",
				    "Das Programm braucht einen Namen.",
				    "The programme needs a name.");
	if (!strcmp(p->name, "any") || !strcmp(p->name, "alle"))
		return hf_error_set(err, HF_EINVAL, "name",
				    "»%s« steht bei Zusagen für jedes "
				    "Programm: bitte einen anderen Namen.",
				    "'%s' stands for any programme in pledges: "
				    "please choose another name.",
				    p->name);
	if (!hf_programme_kind_slug(p->kind))
		return hf_error_set(
		    err, HF_EINVAL, "kind", "Programm %s: unbekannte Art %d.",
		    "Programme %s: unknown kind %d.", p->name, (int)p->kind);
	if ((unsigned)p->category >= HF_CAT_COUNT ||
	    hf_category_sign(p->category) < 0 ||
	    p->category == HF_CAT_TRANSFER_IN)
		return hf_error_set(err, HF_EINVAL, "category",
				    "Programm %s: die Kategorie der "
				    "Aufnahmen muss eine Aufnahme sein, keine "
				    "Umverteilung und kein Fortzug.",
				    "Programme %s: the category of its "
				    "admissions must be an admission, not a "
				    "transfer or departure.",
				    p->name);
	if ((rc = hf__db_check_period(p->period, p->name, err)) < 0)
		return rc;
	if (p->contingent < 0)
		return hf_error_set(err, HF_EINVAL, "contingent",
				    "Programm %s: das Kontingent (%lld) darf "
				    "nicht negativ sein.",
				    "Programme %s: the contingent (%lld) must "
				    "not be negative.",
				    p->name, (long long)p->contingent);
	rc = OPS(db)->unit_get(db->st, p->parent, &parent, err);
	return rc == HF_ENOTFOUND
		   ? hf__db_unit_missing(err, "parent", p->parent)
		   : rc;
}

static int check_shares(hf_db *db, hf_programme *p, hf_error *err)
{
	hf_unit *children = NULL;
	hf_key k;
	size_t n = 0;
	int rc;

	if (p->key[0] && p->nshares)
		return hf_error_set(err, HF_EINVAL, "key",
				    "Programm %s: entweder ein Schlüssel oder "
				    "eigene Anteile, nicht beides.",
				    "Programme %s: either a key or explicit "
				    "shares, not both.",
				    p->name);
	if (p->key[0]) {
		if ((rc = OPS(db)->key_get(db->st, p->key, &k, err)) ==
		    HF_ENOTFOUND)
			return hf_error_set(
			    err, rc, "key",
			    "Programm %s: den Schlüssel %s gibt "
			    "es nicht (hafen key list).",
			    "Programme %s: there is no key %s "
			    "(hafen key list).",
			    p->name, p->key);
		if (rc < 0)
			return rc;
		rc = strcmp(k.parent, p->parent) ? HF_EINVAL : HF_OK;
		if (rc < 0)
			hf_error_set(err, rc, "key",
				     "Programm %s: der Schlüssel %s verteilt "
				     "auf die Untereinheiten von %s, das "
				     "Programm auf die von %s.",
				     "Programme %s: the key %s distributes "
				     "over the children of %s, the programme "
				     "over those of %s.",
				     p->name, p->key, k.parent, p->parent);
		hf_key_clear(&k);
		return rc;
	}
	if (!p->nshares)
		return hf_error_set(err, HF_EINVAL, "shares",
				    "Programm %s: bitte einen Schlüssel oder "
				    "die Anteile jeder Untereinheit angeben.",
				    "Programme %s: please give a key or the "
				    "share of every child unit.",
				    p->name);
	if ((rc = hf_db_unit_list(db, p->parent, &children, &n, err)) < 0)
		return rc;
	/* the shares are checked as a key's, without taking them over */
	hf_key_init(&k);
	k.nshares = p->nshares;
	k.shares = p->shares;
	if ((rc = hf_field_copy(k.name, sizeof k.name, p->name, "name", err)) ==
		HF_OK &&
	    (rc = hf_field_copy(k.parent, sizeof k.parent, p->parent, "parent",
				err)) == HF_OK)
		rc = hf_key_check(&k, children, n, err);
	free(children);
	return rc;
}

static int programme_add(hf_db *db, hf_programme *p, hf_error *err)
{
	hf_programme probe;
	int rc;

	if ((rc = check_fields(db, p, err)) < 0 ||
	    (rc = check_shares(db, p, err)) < 0)
		return rc;
	hf_programme_init(&probe);
	rc = OPS(db)->programme_get(db->st, p->name, &probe, err);
	hf_programme_clear(&probe);
	if (rc == HF_OK)
		return hf_error_set(err, HF_EEXIST, "name",
				    "Das Programm %s gibt es schon: bitte "
				    "einen anderen Namen wählen.",
				    "The programme %s exists already: please "
				    "choose another name.",
				    p->name);
	if (rc != HF_ENOTFOUND)
		return rc;
	return OPS(db)->programme_insert(db->st, p, err);
}

int hf_db_programme_add(hf_db *db, hf_programme *p, hf_error *err)
{
	int rc;

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = programme_add(db, p, err);
	if (rc == HF_OK)
		rc = hf__db_audit(db, "programme.add", p->name, err,
				  "parent=%s contingent=%lld key=%s", p->parent,
				  (long long)p->contingent, p->key);
	return hf__db_tx_end(db, rc, err);
}

int hf_db_programme_get(hf_db *db, const char *name, hf_programme *out,
			hf_error *err)
{
	int rc = OPS(db)->programme_get(db->st, name, out, err);
	return rc == HF_ENOTFOUND ? prog_missing(err, name) : rc;
}

int hf_db_programme_list(hf_db *db, hf_programme **out, size_t *n,
			 hf_error *err)
{
	*out = NULL;
	*n = 0;
	return OPS(db)->programme_list(db->st, out, n, err);
}

int hf_db_override_list(hf_db *db, const char *programme, hf_override **out,
			size_t *n, hf_error *err)
{
	*out = NULL;
	*n = 0;
	return OPS(db)->override_list(db->st, programme, out, n, err);
}

void hf_programme_fulfilment_free(hf_programme_fulfilment *f)
{
	if (!f)
		return;
	hf_programme_clear(&f->programme);
	free(f->rows);
	free(f);
}

static int cmp_unit(const void *a, const void *b)
{
	return strcmp(((const hf_unit *)a)->code, ((const hf_unit *)b)->code);
}

static int cmp_row(const void *a, const void *b)
{
	return strcmp(((const hf_programme_row *)a)->unit,
		      ((const hf_programme_row *)b)->unit);
}

/* The row of the child of f's parent that is code or lies above it, or
 * -1. all holds every unit in code order. */
static int row_of(const hf_programme_fulfilment *f, const hf_unit *all,
		  size_t nall, const char *code)
{
	hf_unit key;
	hf_programme_row rk;
	const hf_unit *u;
	const hf_programme_row *r;
	int depth;

	for (depth = 0; nall && depth < 16 && code[0]; depth++) {
		if (hf_field_copy(key.code, sizeof key.code, code, "", NULL) <
		    0)
			return -1;
		if (!(u = bsearch(&key, all, nall, sizeof *all, cmp_unit)))
			return -1;
		if (!strcmp(u->parent, f->programme.parent)) {
			memcpy(rk.unit, u->code, sizeof rk.unit);
			r = bsearch(&rk, f->rows, f->n, sizeof *f->rows,
				    cmp_row);
			return r ? (int)(r - f->rows) : -1;
		}
		code = u->parent;
	}
	return -1;
}

/* The shares the programme uses: its key's or its own. */
static int resolve_shares(hf_db *db, hf_programme *p, hf_error *err)
{
	hf_key k;
	int rc;

	if (!p->key[0])
		return HF_OK;
	if ((rc = hf_db_key_get(db, p->key, &k, err)) < 0)
		return rc;
	hf_programme_clear(p);
	p->shares = k.shares;
	p->nshares = k.nshares;
	k.shares = NULL;
	hf_key_clear(&k);
	return HF_OK;
}

/* Rows with shares and quotas, admitted still 0. */
static int quotas(hf_programme_fulfilment *f, hf_error *err)
{
	hf_programme *p = &f->programme;
	hf_rat *w = NULL;
	int64_t *rounded = NULL;
	size_t i;
	int rc = HF_OK;

	f->n = p->nshares;
	f->rows = calloc(f->n ? f->n : 1, sizeof *f->rows);
	w = calloc(f->n ? f->n : 1, sizeof *w);
	rounded = calloc(f->n ? f->n : 1, sizeof *rounded);
	if (!f->rows || !w || !rounded) {
		rc = hf__db_nomem(err);
		goto out;
	}
	for (i = 0; i < f->n; i++) {
		hf_programme_row *r = &f->rows[i];
		memcpy(r->unit, p->shares[i].unit, sizeof r->unit);
		r->share = w[i] = p->shares[i].share;
		if (hf_rat_mul(r->share, hf_rat_int(p->contingent), &r->quota) <
		    0) {
			rc = hf_error_set(err, HF_EOVERFLOW, "contingent",
					  "Programm %s: Anteil × Kontingent "
					  "ist zu groß für exakte Rechnung.",
					  "Programme %s: share × contingent is "
					  "too large for exact arithmetic.",
					  p->name);
			goto out;
		}
	}
	if ((rc = hf_apportion(HF_APPORTION_HARE_NIEMEYER, w, f->n,
			       p->contingent, rounded, err)) < 0)
		goto out;
	for (i = 0; i < f->n; i++)
		f->rows[i].quota_rounded = rounded[i];
out:
	free(w);
	free(rounded);
	return rc;
}

/* Adds the programme's net admissions in its period to the rows. */
static int admitted(hf_db *db, hf_programme_fulfilment *f, const hf_unit *all,
		    size_t nall, hf_error *err)
{
	hf_ledger_filter flt = hf_ledger_filter_all();
	hf_ledger_sum *s = NULL;
	size_t n = 0, i;
	int rc, r;

	flt.programme = f->programme.name;
	flt.category = (int)f->programme.category;
	flt.from = f->programme.period.from;
	flt.to = f->programme.period.to;
	if ((rc = hf_db_ledger_aggregate(db, &flt, HF_GROUP_UNIT, &s, &n,
					 err)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		/* admissions outside the area were refused when recorded;
		 * entries from before the programme existed count nowhere */
		if ((r = row_of(f, all, nall, s[i].unit)) < 0)
			continue;
		f->rows[r].admitted += s[i].persons;
		f->admitted += s[i].persons;
	}
	free(s);
	for (i = 0; i < f->n; i++)
		f->rows[i].open =
		    f->rows[i].quota_rounded - f->rows[i].admitted;
	f->open = f->programme.contingent - f->admitted;
	return HF_OK;
}

/* The fulfilment of a programme with every unit loaded (all, in code
 * order): the check reuses the units for every programme of a batch. */
static int fulfilment(hf_db *db, const char *name, const hf_unit *all,
		      size_t nall, hf_programme_fulfilment **out, hf_error *err)
{
	hf_programme_fulfilment *f = calloc(1, sizeof *f);
	hf_override *ov = NULL;
	size_t nov = 0;
	int rc;

	*out = NULL;
	if (!f)
		return hf__db_nomem(err);
	if ((rc = hf_db_programme_get(db, name, &f->programme, err)) < 0 ||
	    (rc = resolve_shares(db, &f->programme, err)) < 0 ||
	    (rc = quotas(f, err)) < 0 ||
	    (rc = admitted(db, f, all, nall, err)) < 0 ||
	    (rc = hf_db_override_list(db, name, &ov, &nov, err)) < 0) {
		hf_programme_fulfilment_free(f);
		return rc;
	}
	free(ov);
	f->overrides = (int64_t)nov;
	*out = f;
	return HF_OK;
}

int hf_db_programme_fulfilment(hf_db *db, const char *name,
			       hf_programme_fulfilment **out, hf_error *err)
{
	hf_unit *all = NULL;
	size_t nall = 0;
	int rc;

	*out = NULL;
	/* the programme, its overrides and the ledger of one snapshot */
	if ((rc = hf__db_read_begin(db, err)) < 0)
		return rc;
	if ((rc = hf_db_unit_list(db, NULL, &all, &nall, err)) == HF_OK)
		rc = fulfilment(db, name, all, nall, out, err);
	free(all);
	if ((rc = hf__db_read_end(db, rc, err)) < 0) {
		hf_programme_fulfilment_free(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- the contingent check ------------------------------------------- */

/* What a batch has done to one programme so far; f NULL: the name is no
 * stored programme (entries may name programmes hafen does not keep). */
typedef struct pstate {
	char name[HF_PROGRAMME_MAX];
	hf_programme_fulfilment *f;
} pstate;

typedef struct check {
	pstate *ps;
	size_t n, cap;
	hf_unit *all;
	size_t nall;
	int loaded;
} check;

static void check_free(check *c)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		hf_programme_fulfilment_free(c->ps[i].f);
	free(c->ps);
	free(c->all);
}

static int state_of(hf_db *db, check *c, const char *name, pstate **out,
		    hf_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->ps[i].name, name)) {
			*out = &c->ps[i];
			return HF_OK;
		}
	if (!c->loaded) {
		if ((rc = hf_db_unit_list(db, NULL, &c->all, &c->nall, err)) <
		    0)
			return rc;
		c->loaded = 1;
	}
	if (c->n == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 4;
		pstate *np = realloc(c->ps, ncap * sizeof *np);
		if (!np)
			return hf__db_nomem(err);
		c->ps = np;
		c->cap = ncap;
	}
	memset(&c->ps[c->n], 0, sizeof *c->ps);
	memcpy(c->ps[c->n].name, name, sizeof c->ps[c->n].name);
	{
		hf_programme probe;
		hf_programme_init(&probe);
		rc = OPS(db)->programme_get(db->st, name, &probe, err);
		hf_programme_clear(&probe);
	}
	if (rc == HF_OK)
		rc = fulfilment(db, name, c->all, c->nall, &c->ps[c->n].f, err);
	else if (rc == HF_ENOTFOUND)
		rc = HF_OK;
	if (rc < 0)
		return rc;
	*out = &c->ps[c->n++];
	return HF_OK;
}

static int beyond_msg(const hf_programme_fulfilment *f, int r,
		      const hf_admission *a, int64_t over_total,
		      int64_t over_unit, hf_error *err)
{
	const hf_programme *p = &f->programme;
	const hf_programme_row *row = &f->rows[r];

	if (over_total >= over_unit)
		return hf_error_set(
		    err, HF_ECONFLICT, "programme",
		    "Programm %s: das Kontingent ist %lld Personen, "
		    "aufgenommen sind %lld; %lld weitere Personen gingen "
		    "um %lld darüber hinaus. Das geht nur mit einer "
		    "ausdrücklichen, begründeten Überschreitung "
		    "(hafen record --override GRUND).",
		    "Programme %s: the contingent is %lld persons, %lld "
		    "are admitted; %lld more persons would go %lld beyond "
		    "it. That needs an explicit override with a reason "
		    "(hafen record --override REASON).",
		    p->name, (long long)p->contingent, (long long)f->admitted,
		    (long long)a->persons, (long long)over_total);
	return hf_error_set(
	    err, HF_ECONFLICT, "programme",
	    "Programm %s: der Anteil von %s am Kontingent ist %lld "
	    "Personen (gerundet nach Hare-Niemeyer), aufgenommen sind "
	    "%lld; %lld weitere Personen gingen um %lld darüber hinaus. "
	    "Das geht nur mit einer ausdrücklichen, begründeten "
	    "Überschreitung (hafen record --override GRUND).",
	    "Programme %s: the share of %s in the contingent is %lld "
	    "persons (rounded by Hare-Niemeyer), %lld are admitted; %lld "
	    "more persons would go %lld beyond it. That needs an explicit "
	    "override with a reason (hafen record --override REASON).",
	    p->name, row->unit, (long long)row->quota_rounded,
	    (long long)row->admitted, (long long)a->persons,
	    (long long)over_unit);
}

/* One entry against its programme's state; counts it in when it passes. */
static int check_entry(check *c, pstate *ps, const hf_admission *a,
		       int allow_beyond, int64_t *beyond, hf_error *err)
{
	hf_programme_fulfilment *f = ps->f;
	const hf_programme *p = &f->programme;
	int64_t over_total, over_unit, over;
	char ps_buf[32], d[11];
	int r;

	if (a->category != p->category)
		return hf_error_set(err, HF_EINVAL, "category",
				    "Programm %s: seine Aufnahmen werden als "
				    "%s erfasst, nicht als %s.",
				    "Programme %s: its admissions are recorded "
				    "as %s, not as %s.",
				    p->name, hf_category_slug(p->category),
				    hf_category_slug(a->category));
	if (a->date < p->period.from || a->date > p->period.to) {
		hf_period_format(p->period, ps_buf);
		hf_date_format(a->date, d);
		return hf_error_set(err, HF_EINVAL, "date",
				    "Programm %s läuft %s; der %s liegt "
				    "außerhalb.",
				    "Programme %s runs %s; %s lies outside.",
				    p->name, ps_buf, d);
	}
	if ((r = row_of(f, c->all, c->nall, a->unit)) < 0)
		return hf_error_set(err, HF_EINVAL, "unit",
				    "Programm %s verteilt auf die "
				    "Untereinheiten von %s; %s gehört nicht "
				    "dazu.",
				    "Programme %s distributes over the "
				    "children of %s; %s is not among them or "
				    "below them.",
				    p->name, p->parent, a->unit);
	over_total = f->admitted + a->persons - p->contingent;
	over_unit = f->rows[r].admitted + a->persons - f->rows[r].quota_rounded;
	over = over_total > over_unit ? over_total : over_unit;
	if (over > a->persons)
		over = a->persons;
	if (over > 0 && !allow_beyond)
		return beyond_msg(f, r, a, over_total, over_unit, err);
	*beyond = over > 0 ? over : 0;
	f->rows[r].admitted += a->persons;
	f->rows[r].open -= a->persons;
	f->admitted += a->persons;
	f->open -= a->persons;
	return HF_OK;
}

int hf__db_programme_check(hf_db *db, const hf_admission *e, size_t n,
			   int allow_beyond, int64_t **beyond, size_t *bad,
			   hf_error *err)
{
	check c;
	int64_t *b = NULL;
	size_t i;
	int rc = HF_OK;

	*beyond = NULL;
	*bad = 0;
	memset(&c, 0, sizeof c);
	for (i = 0; i < n; i++) {
		const hf_admission *a = &e[i];
		pstate *ps;
		if (!a->programme[0] || a->corrects || a->persons <= 0 ||
		    hf_admission_check(a, NULL) < 0 ||
		    hf__codeset_find(&db->units, a->unit) < 0)
			continue;
		if ((rc = state_of(db, &c, a->programme, &ps, err)) < 0)
			goto fail;
		if (!ps->f)
			continue;
		if (!b && !(b = calloc(n, sizeof *b))) {
			rc = hf__db_nomem(err);
			goto fail;
		}
		if ((rc = check_entry(&c, ps, a, allow_beyond, &b[i], err)) < 0)
			goto fail;
	}
	check_free(&c);
	*beyond = b;
	return HF_OK;
fail:
	*bad = i;
	free(b);
	check_free(&c);
	return rc;
}

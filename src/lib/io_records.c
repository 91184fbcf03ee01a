/*
 * io_records.c: the rows of a file as records of its kind, checked
 * without a database. Keys and programmes take one row per share and are
 * grouped by name; admissions keep the file's own numbers (id, corrects,
 * pair) so corrections and transfers within a file can be linked when
 * they are written. The match kinds are io_match.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_kinds_int.h"

#define KC(io) ((hf__kc *)(io)->kc)

int hf__kind_begin(hf__io *io)
{
	hf__kc *k = calloc(1, sizeof *k);

	if (!k)
		return HF_ENOMEM;
	io->kc = k;
	return HF_OK;
}

void hf__kind_hint(hf__io *io, size_t rows)
{
	hf__kc *k = KC(io);

	if (k && rows < ((size_t)1 << 26))
		k->hint = rows;
}

void hf__kind_free(hf__io *io)
{
	hf__kc *k = KC(io);
	size_t i;

	if (!k)
		return;
	for (i = 0; k->keys && i < k->n; i++)
		hf_key_clear(&k->keys[i]);
	for (i = 0; k->progs && i < k->n; i++)
		hf_programme_clear(&k->progs[i]);
	if (k->cells)
		for (i = 0; i < k->n * (size_t)k->ncols; i++)
			free(k->cells[i]);
	free(k->cells);
	free(k->rows);
	free(k->units);
	free(k->inds);
	free(k->keys);
	free(k->adm);
	free(k->arena);
	free(k->pledges);
	free(k->pledge_has);
	free(k->progs);
	free(k);
	io->kc = NULL;
}

static int grow1(void **arr, size_t ncap, size_t size)
{
	void *p;

	if (!arr)
		return HF_OK;
	if (!(p = realloc(*arr, ncap * size)))
		return HF_ENOMEM;
	*arr = p;
	return HF_OK;
}

/* Room for one more record in the arrays the kind uses. */
int hf__kind_room(hf__kc *k, hf_io_kind kind)
{
	size_t ncap;

	if (k->n < k->cap)
		return HF_OK;
	ncap = k->cap ? k->cap * 2 : k->hint > 64 ? k->hint : 64;
	if (grow1((void **)&k->rows, ncap, sizeof *k->rows) < 0)
		return HF_ENOMEM;
	switch (kind) {
	case HF_IO_UNITS:
		if (grow1((void **)&k->units, ncap, sizeof *k->units) < 0)
			return HF_ENOMEM;
		break;
	case HF_IO_INDICATORS:
		if (grow1((void **)&k->inds, ncap, sizeof *k->inds) < 0)
			return HF_ENOMEM;
		break;
	case HF_IO_KEYS:
		if (grow1((void **)&k->keys, ncap, sizeof *k->keys) < 0)
			return HF_ENOMEM;
		break;
	case HF_IO_ADMISSIONS:
		if (grow1((void **)&k->adm, ncap, sizeof *k->adm) < 0)
			return HF_ENOMEM;
		break;
	case HF_IO_PLEDGES:
		if (grow1((void **)&k->pledges, ncap, sizeof *k->pledges) < 0 ||
		    grow1((void **)&k->pledge_has, ncap,
			  sizeof *k->pledge_has) < 0)
			return HF_ENOMEM;
		break;
	case HF_IO_PROGRAMMES:
		if (grow1((void **)&k->progs, ncap, sizeof *k->progs) < 0)
			return HF_ENOMEM;
		break;
	default:
		if (grow1((void **)&k->cells, ncap * (size_t)k->ncols,
			  sizeof *k->cells) < 0)
			return HF_ENOMEM;
		break;
	}
	k->cap = ncap;
	return HF_OK;
}

/* ---- units, indicators ------------------------------------------- */

static int unit_row(hf__io *io, const hf__io_row *r)
{
	hf__kc *k = KC(io);
	hf_unit u;
	char kind[64];
	int bad = 0, rc;

	memset(&u, 0, sizeof u);
	bad |= hf__text(io, r, U_CODE, u.code, sizeof u.code) < 0;
	bad |= hf__text(io, r, U_NAME, u.name, sizeof u.name) < 0;
	bad |= hf__text(io, r, U_PARENT, u.parent, sizeof u.parent) < 0;
	if ((rc = hf__text(io, r, U_KIND, kind, sizeof kind)) == 0 &&
	    hf_unit_kind_parse(kind, &u.kind) < 0) {
		hf__bad(io, r, U_KIND, kind,
			"staat, land, regierungsbezirk, kreis, "
			"kreisfreie-stadt oder gemeinde",
			"staat (state), land, regierungsbezirk, kreis, "
			"kreisfreie-stadt or gemeinde");
		rc = -1;
	}
	bad |= rc < 0;
	if (bad)
		return (k->bad = 1, HF_OK);
	if (hf__kind_room(k, HF_IO_UNITS) < 0)
		return HF_ENOMEM;
	k->units[k->n] = u;
	k->rows[k->n++] = r->row;
	return HF_OK;
}

static int ind_row(hf__io *io, const hf__io_row *r)
{
	hf__kc *k = KC(io);
	hf_indicator x;
	int bad = 0;

	memset(&x, 0, sizeof x);
	bad |= hf__text(io, r, I_UNIT, x.unit, sizeof x.unit) < 0;
	bad |= hf__text(io, r, I_NAME, x.name, sizeof x.name) < 0;
	bad |= hf__date(io, r, I_DATE, &x.ref_date) < 0;
	bad |= hf__rat(io, r, I_VALUE, &x.value) < 0;
	bad |= hf__text(io, r, I_SOURCE, x.source, sizeof x.source) < 0;
	if (bad)
		return (k->bad = 1, HF_OK);
	if (hf__kind_room(k, HF_IO_INDICATORS) < 0)
		return HF_ENOMEM;
	k->inds[k->n] = x;
	k->rows[k->n++] = r->row;
	return HF_OK;
}

/* ---- keys and programmes: one row per share ---------------------- */

/* The share of a row: unit with share (fraction of 1) or percent. 0 with
 * a share, 1 for a row without one, -1 a problem. */
static int share_of(hf__io *io, const hf__io_row *r, int cu, int cs, int cp,
		    hf_key_share *out)
{
	hf_rat pct;
	int ru, rs, rp = 1;

	memset(out, 0, sizeof *out);
	ru = hf__text(io, r, cu, out->unit, sizeof out->unit);
	rs = hf__rat(io, r, cs, &out->share);
	if (rs == 1 && (rp = hf__rat(io, r, cp, &pct)) == 0 &&
	    hf_rat_div(pct, hf_rat_int(100), &out->share) < 0)
		rp = -1;
	if (ru < 0 || rs < 0 || rp < 0)
		return -1;
	if (ru == 1 && rs == 1 && rp == 1)
		return 1;
	if (ru == 1) {
		hf__io_issue(io, r->row, cu,
			     "leer; zum Anteil gehört eine "
			     "Einheit.",
			     "empty; a share needs its unit.");
		return -1;
	}
	if (rs == 1 && rp == 1) {
		hf__io_issue(io, r->row, cs,
			     "leer; erwartet den Anteil der Einheit %s "
			     "(Spalte share/Anteil oder percent/Prozent).",
			     "empty; expected the share of unit %s (column "
			     "share/Anteil or percent/Prozent).",
			     out->unit);
		return -1;
	}
	if (out->share.num < 0) {
		hf__io_issue(io, r->row, rs == 1 ? cp : cs,
			     "Anteil von %s ist negativ.",
			     "the share of %s is negative.", out->unit);
		return -1;
	}
	return 0;
}

static int add_share(hf__io *io, long row, int cu, hf_key_share **arr,
		     size_t *n, const hf_key_share *s)
{
	hf_key_share *ns;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*arr)[i].unit, s->unit)) {
			hf__io_issue(io, row, cu,
				     "Einheit %s hat schon einen Anteil.",
				     "unit %s has a share already.", s->unit);
			return 1;
		}
	if (!(ns = realloc(*arr, (*n + 1) * sizeof *ns)))
		return HF_ENOMEM;
	*arr = ns;
	ns[(*n)++] = *s;
	return HF_OK;
}

static int key_attrs(hf__io *io, const hf__io_row *r, hf_key *key)
{
	hf_error e;
	char buf[512];
	int64_t y;
	int bad = 0, rc;

	hf_error_init(&e, io->lang);
	bad |= hf__text(io, r, K_TITLE, key->title, sizeof key->title) < 0;
	bad |= hf__text(io, r, K_PARENT, key->parent, sizeof key->parent) < 0;
	bad |= hf__text(io, r, K_SOURCE, key->source, sizeof key->source) < 0;
	bad |= hf__date(io, r, K_FROM, &key->valid_from) < 0;
	bad |= hf__date(io, r, K_TO, &key->valid_to) < 0;
	bad |= hf__date(io, r, K_REFDATE, &key->ref_date) < 0;
	if ((rc = hf__text(io, r, K_KIND, buf, sizeof buf)) == 0 &&
	    hf_key_kind_parse(buf, &key->kind) < 0) {
		hf__bad(io, r, K_KIND, buf, "veroeffentlicht oder berechnet",
			"veroeffentlicht (published) or berechnet "
			"(computed)");
		bad = 1;
	}
	bad |= rc < 0;
	if ((rc = hf__int(io, r, K_CYEAR, 0, &y)) == 0)
		key->computed_year = (int)y;
	bad |= rc < 0;
	if ((rc = hf__int(io, r, K_QYEAR, 0, &y)) == 0)
		key->quota_year = (int)y;
	bad |= rc < 0;
	if ((rc = hf__rat(io, r, K_CAP, &key->cap)) < 0)
		bad = 1;
	if ((rc = hf__text(io, r, K_WEIGHTS, buf, sizeof buf)) == 0 &&
	    hf__key_parse_weights(buf, key, &e) < 0) {
		hf__bad(io, r, K_WEIGHTS, buf,
			"Kennzahl=Gewicht|... (population=9/10|area=1/10)",
			"indicator=weight|... (population=9/10|area=1/10)");
		bad = 1;
	}
	bad |= rc < 0;
	if ((rc = hf__text(io, r, K_CREDITS, buf, sizeof buf)) == 0) {
		if (!strcmp(buf, "none") || !strcmp(buf, "keine")) {
			int c;
			for (c = 0; c < HF_CAT_COUNT; c++)
				key->credit[c] = hf_rat_int(0);
		} else if (hf__key_parse_credits(buf, key->credit, &e) < 0) {
			hf__bad(io, r, K_CREDITS, buf,
				"Kategorie=Gewicht|... (regulaer=1|"
				"sicherer-hafen=1) oder keine",
				"category=weight|... (regulaer=1|"
				"sicherer-hafen=1) or none");
			bad = 1;
		}
	}
	bad |= rc < 0;
	if (!key->title[0])
		memcpy(key->title, key->name, sizeof key->name);
	return bad ? -1 : 0;
}

static int key_row(hf__io *io, const hf__io_row *r)
{
	hf__kc *k = KC(io);
	hf_key *key = NULL;
	hf_key_share s;
	char name[HF_KEY_NAME_MAX];
	size_t i;
	int rs;

	if (hf__text(io, r, K_KEY, name, sizeof name) < 0)
		return (k->bad = 1, HF_OK);
	for (i = 0; i < k->n; i++)
		if (!strcmp(k->keys[i].name, name))
			key = &k->keys[i];
	if (!key) {
		if (hf__kind_room(k, HF_IO_KEYS) < 0)
			return HF_ENOMEM;
		key = &k->keys[k->n];
		hf_key_init(key);
		memcpy(key->name, name, sizeof name);
		k->rows[k->n++] = r->row;
		if (key_attrs(io, r, key) < 0)
			k->bad = 1;
	} else {
		char parent[HF_CODE_MAX];
		if (hf__text(io, r, K_PARENT, parent, sizeof parent) == 0 &&
		    strcmp(parent, key->parent)) {
			hf__io_issue(io, r->row, K_PARENT,
				     "»%s«: der Schlüssel %s hat die "
				     "Obereinheit %s (Zeile %ld).",
				     "'%s': key %s has the parent %s (row "
				     "%ld).",
				     parent, name, key->parent,
				     k->rows[key - k->keys]);
			k->bad = 1;
		}
	}
	if ((rs = share_of(io, r, K_UNIT, K_SHARE, K_PERCENT, &s)) < 0)
		return (k->bad = 1, HF_OK);
	if (rs == 0) {
		int rc = add_share(io, r->row, K_UNIT, &key->shares,
				   &key->nshares, &s);
		if (rc < 0)
			return rc;
		if (rc > 0)
			k->bad = 1;
	}
	return HF_OK;
}

static int prog_attrs(hf__io *io, const hf__io_row *r, hf_programme *p)
{
	char buf[128];
	int64_t c;
	int bad = 0, rc;

	bad |= hf__text(io, r, G_TITLE, p->title, sizeof p->title) < 0;
	bad |= hf__text(io, r, G_PARENT, p->parent, sizeof p->parent) < 0;
	bad |= hf__text(io, r, G_KEY, p->key, sizeof p->key) < 0;
	bad |= hf__text(io, r, G_SOURCE, p->source, sizeof p->source) < 0;
	bad |= hf__date(io, r, G_FROM, &p->period.from) < 0;
	bad |= hf__date(io, r, G_TO, &p->period.to) < 0;
	if ((rc = hf__int(io, r, G_CONTINGENT, 0, &c)) == 0)
		p->contingent = c;
	bad |= rc < 0;
	if ((rc = hf__text(io, r, G_KIND, buf, sizeof buf)) == 0 &&
	    hf_programme_kind_parse(buf, &p->kind) < 0) {
		hf__bad(io, r, G_KIND, buf,
			"bund, land, resettlement oder sicherer-hafen",
			"bund (federal), land, resettlement or sicherer-hafen "
			"(safe-harbour)");
		rc = -1;
	}
	bad |= rc < 0;
	p->category = hf_programme_kind_category(p->kind);
	bad |= hf__category(io, r, G_CATEGORY, &p->category) < 0;
	if (!bad && p->period.to < p->period.from) {
		hf__io_issue(io, r->row, G_TO,
			     "das Ende liegt vor dem Anfang des Zeitraums.",
			     "the period ends before it starts.");
		bad = 1;
	}
	if (!p->title[0])
		memcpy(p->title, p->name, sizeof p->name);
	return bad ? -1 : 0;
}

static int prog_row(hf__io *io, const hf__io_row *r)
{
	hf__kc *k = KC(io);
	hf_programme *p = NULL;
	hf_key_share s;
	char name[HF_PROGRAMME_MAX];
	size_t i;
	int rs;

	if (hf__text(io, r, G_NAME, name, sizeof name) < 0)
		return (k->bad = 1, HF_OK);
	for (i = 0; i < k->n; i++)
		if (!strcmp(k->progs[i].name, name))
			p = &k->progs[i];
	if (!p) {
		if (hf__kind_room(k, HF_IO_PROGRAMMES) < 0)
			return HF_ENOMEM;
		p = &k->progs[k->n];
		hf_programme_init(p);
		memcpy(p->name, name, sizeof name);
		k->rows[k->n++] = r->row;
		if (prog_attrs(io, r, p) < 0)
			k->bad = 1;
	}
	if ((rs = share_of(io, r, G_UNIT, G_SHARE, G_PERCENT, &s)) < 0)
		return (k->bad = 1, HF_OK);
	if (rs == 0) {
		int rc =
		    add_share(io, r->row, G_UNIT, &p->shares, &p->nshares, &s);
		if (rc < 0)
			return rc;
		if (rc > 0)
			k->bad = 1;
	}
	return HF_OK;
}

/* ---- admissions and pledges -------------------------------------- */

int hf__arena_add(hf__kc *k, const char *s, uint32_t *off)
{
	size_t len = strlen(s);

	if (!len && k->arena) {
		*off = 0;
		return HF_OK;
	}
	if (k->alen + len + 2 > k->acap) {
		size_t ncap = k->acap ? k->acap * 2 : 1 << 16;
		char *na;
		while (ncap < k->alen + len + 2)
			ncap *= 2;
		if (ncap > UINT32_MAX || !(na = realloc(k->arena, ncap)))
			return HF_ENOMEM;
		k->arena = na;
		k->acap = ncap;
		if (!k->alen)
			k->arena[k->alen++] = '\0'; /* offset 0: "" */
	}
	if (!len) {
		*off = 0;
		return HF_OK;
	}
	memcpy(k->arena + k->alen, s, len + 1);
	*off = (uint32_t)k->alen;
	k->alen += len + 1;
	return HF_OK;
}

static void copy_field(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void hf__adm_unpack(const hf__kc *k, const hf__adm_rec *r, hf_admission *a)
{
	memset(a, 0, sizeof *a);
	a->date = r->date;
	a->persons = r->persons;
	a->category = (hf_category)r->category;
	a->recorded_at = r->recorded_at;
	a->corrects = r->corrects;
	a->pair = r->pair;
	copy_field(a->unit, sizeof a->unit, HF__ASTR(k, r, S_UNIT));
	copy_field(a->household, sizeof a->household,
		   HF__ASTR(k, r, S_HOUSEHOLD));
	copy_field(a->programme, sizeof a->programme,
		   HF__ASTR(k, r, S_PROGRAMME));
	copy_field(a->reference, sizeof a->reference,
		   HF__ASTR(k, r, S_REFERENCE));
	copy_field(a->note, sizeof a->note, HF__ASTR(k, r, S_NOTE));
	copy_field(a->recorded_by, sizeof a->recorded_by, HF__ASTR(k, r, S_BY));
}

static int adm_row(hf__io *io, const hf__io_row *r)
{
	hf__kc *k = KC(io);
	hf_admission a;
	hf__adm_rec *x;
	hf_error e;
	int bad = 0, rc;

	if (hf__kind_room(k, HF_IO_ADMISSIONS) < 0)
		return HF_ENOMEM;
	x = &k->adm[k->n];
	memset(&a, 0, sizeof a);
	memset(x, 0, sizeof *x);
	bad |= hf__int(io, r, A_ID, 1, &x->fid) < 0;
	bad |= hf__int(io, r, A_CORRECTS, 1, &x->fcorrects) < 0;
	bad |= hf__int(io, r, A_PAIR, 1, &x->fpair) < 0;
	bad |= hf__date(io, r, A_DATE, &a.date) < 0;
	bad |= hf__text(io, r, A_UNIT, a.unit, sizeof a.unit) < 0;
	if ((rc = hf__int(io, r, A_PERSONS, INT64_MIN + 1, &a.persons)) == 0 &&
	    (x->fcorrects ? a.persons >= 0 : a.persons <= 0)) {
		hf__bad(io, r, A_PERSONS, r->v[A_PERSONS],
			x->fcorrects ? "eine negative Zahl (eine Stornierung "
				       "spiegelt den Eintrag)"
				     : "eine Zahl ab 1 (Abgänge zählen über "
				       "die Kategorie, Berichtigungen über "
				       "hafen correct)",
			x->fcorrects ? "a negative number (a reversal mirrors "
				       "its entry)"
				     : "a number of at least 1 (departures "
				       "count by their category, corrections "
				       "by hafen correct)");
		rc = -1;
	}
	bad |= rc < 0;
	a.category = HF_CAT_REGULAR;
	bad |= hf__category(io, r, A_CATEGORY, &a.category) < 0;
	bad |=
	    hf__text(io, r, A_HOUSEHOLD, a.household, sizeof a.household) < 0;
	bad |=
	    hf__text(io, r, A_PROGRAMME, a.programme, sizeof a.programme) < 0;
	bad |=
	    hf__text(io, r, A_REFERENCE, a.reference, sizeof a.reference) < 0;
	bad |= hf__text(io, r, A_NOTE, a.note, sizeof a.note) < 0;
	if ((rc = hf__text(io, r, A_BY, a.recorded_by, sizeof a.recorded_by)) ==
	    0)
		x->has_by = 1;
	bad |= rc < 0;
	if ((rc = hf__time(io, r, A_AT, &a.recorded_at)) == 0)
		x->has_at = 1;
	bad |= rc < 0;
	a.corrects = x->fcorrects ? 1 : 0; /* resolved when written */
	/* the check again with words only when it fails: an hf_error is
	 * large to clear a million times */
	if (!bad && hf_admission_check(&a, NULL) < 0) {
		hf_error_init(&e, io->lang);
		hf_admission_check(&a, &e);
		hf__issue_err(io, r->row, &e);
		bad = 1;
	}
	if (bad)
		return (k->bad = 1, HF_OK);
	x->date = a.date;
	x->persons = a.persons;
	x->category = (unsigned char)a.category;
	x->recorded_at = a.recorded_at;
	if (hf__arena_add(k, a.unit, &x->str[S_UNIT]) < 0 ||
	    hf__arena_add(k, a.household, &x->str[S_HOUSEHOLD]) < 0 ||
	    hf__arena_add(k, a.programme, &x->str[S_PROGRAMME]) < 0 ||
	    hf__arena_add(k, a.reference, &x->str[S_REFERENCE]) < 0 ||
	    hf__arena_add(k, a.note, &x->str[S_NOTE]) < 0 ||
	    hf__arena_add(k, a.recorded_by, &x->str[S_BY]) < 0)
		return HF_ENOMEM;
	k->rows[k->n++] = r->row;
	return HF_OK;
}

static int pledge_row(hf__io *io, const hf__io_row *r)
{
	hf__kc *k = KC(io);
	hf_pledge *p;
	char st[64];
	int64_t id;
	int bad = 0, rc, has = 0;

	if (hf__kind_room(k, HF_IO_PLEDGES) < 0)
		return HF_ENOMEM;
	p = &k->pledges[k->n];
	memset(p, 0, sizeof *p);
	bad |= hf__int(io, r, P_ID, 1, &id) < 0;
	bad |= hf__text(io, r, P_UNIT, p->unit, sizeof p->unit) < 0;
	bad |=
	    hf__text(io, r, P_PROGRAMME, p->programme, sizeof p->programme) < 0;
	bad |= hf__int(io, r, P_PLACES, 1, &p->places) < 0;
	bad |= hf__date(io, r, P_FROM, &p->period.from) < 0;
	bad |= hf__date(io, r, P_TO, &p->period.to) < 0;
	bad |= hf__text(io, r, P_NOTE, p->note, sizeof p->note) < 0;
	p->status = HF_PLEDGE_PLEDGED;
	if ((rc = hf__text(io, r, P_STATUS, st, sizeof st)) == 0 &&
	    hf_pledge_status_parse(st, &p->status) < 0) {
		hf__bad(io, r, P_STATUS, st,
			"vorgemerkt, zugesagt oder zurueckgezogen",
			"pending, pledged or withdrawn");
		rc = -1;
	}
	bad |= rc < 0;
	if ((rc = hf__text(io, r, P_BY, p->recorded_by,
			   sizeof p->recorded_by)) == 0)
		has |= 1;
	bad |= rc < 0;
	if ((rc = hf__time(io, r, P_AT, &p->recorded_at)) == 0)
		has |= 2;
	bad |= rc < 0;
	if (!bad && p->period.to < p->period.from) {
		hf__io_issue(io, r->row, P_TO,
			     "das Ende liegt vor dem Anfang des Zeitraums.",
			     "the period ends before it starts.");
		bad = 1;
	}
	if (bad)
		return (k->bad = 1, HF_OK);
	k->pledge_has[k->n] = has;
	k->rows[k->n++] = r->row;
	return HF_OK;
}

int hf__kind_row(hf__io *io, const hf__io_row *r)
{
	switch (io->spec->kind) {
	case HF_IO_UNITS:
		return unit_row(io, r);
	case HF_IO_INDICATORS:
		return ind_row(io, r);
	case HF_IO_KEYS:
		return key_row(io, r);
	case HF_IO_ADMISSIONS:
		return adm_row(io, r);
	case HF_IO_PLEDGES:
		return pledge_row(io, r);
	case HF_IO_PROGRAMMES:
		return prog_row(io, r);
	default:
		return hf__match_row(io, r);
	}
}

/* ---- duplicates ---------------------------------------------------- */

static int eq_unit(void *ctx, size_t a, size_t b)
{
	hf__kc *k = ctx;
	return !strcmp(k->units[a].code, k->units[b].code);
}

static int eq_ind(void *ctx, size_t a, size_t b)
{
	hf__kc *k = ctx;
	return !strcmp(k->inds[a].unit, k->inds[b].unit) &&
	       !strcmp(k->inds[a].name, k->inds[b].name) &&
	       k->inds[a].ref_date == k->inds[b].ref_date;
}

static int eq_adm(void *ctx, size_t i, size_t j)
{
	hf__kc *k = ctx;
	const hf__adm_rec *a = &k->adm[i], *b = &k->adm[j];
	int f;

	if (a->date != b->date || a->persons != b->persons ||
	    a->category != b->category)
		return 0;
	for (f = S_UNIT; f <= S_REFERENCE; f++)
		if (strcmp(HF__ASTR(k, a, f), HF__ASTR(k, b, f)))
			return 0;
	return 1;
}

static int eq_fid(void *ctx, size_t a, size_t b)
{
	hf__kc *k = ctx;
	return k->adm[a].fid == k->adm[b].fid;
}

static int eq_pledge(void *ctx, size_t i, size_t j)
{
	hf__kc *k = ctx;
	const hf_pledge *a = &k->pledges[i], *b = &k->pledges[j];
	return !strcmp(a->unit, b->unit) &&
	       !strcmp(a->programme, b->programme) && a->places == b->places &&
	       a->period.from == b->period.from &&
	       a->period.to == b->period.to && a->status == b->status &&
	       !strcmp(a->note, b->note);
}

static int eq_match(void *ctx, size_t a, size_t b)
{
	hf__kc *k = ctx;
	return !strcmp(k->cells[a * (size_t)k->ncols],
		       k->cells[b * (size_t)k->ncols]);
}

static void dup_issue(hf__io *io, size_t i, long first, const char *what)
{
	hf__kc *k = KC(io);
	hf__io_issue(
	    io, k->rows[i], -1, "doppelt: %s steht schon in Zeile %ld.",
	    "duplicate: %s is in row %ld already.", what, k->rows[first]);
	k->bad = 1;
}

int hf__kind_end(hf__io *io)
{
	hf__kc *k = KC(io);
	hf__dupset d, f;
	size_t i;
	long j;
	char what[160];

	if (hf__dupset_init(&d, k->n) < 0)
		return HF_ENOMEM;
	if (hf__dupset_init(&f, k->n) < 0) {
		hf__dupset_free(&d);
		return HF_ENOMEM;
	}
	for (i = 0; i < k->n; i++) {
		switch (io->spec->kind) {
		case HF_IO_UNITS:
			j = hf__dupset_add(&d,
					   hf__hash_str(0, k->units[i].code), i,
					   eq_unit, k);
			if (j >= 0)
				snprintf(what, sizeof what, "%s %s",
					 hf_tr(io->lang, "Einheit", "unit"),
					 k->units[i].code);
			break;
		case HF_IO_INDICATORS: {
			const hf_indicator *x = &k->inds[i];
			uint64_t h = hf__hash_str(0, x->unit);
			h = hf__hash_int(hf__hash_str(h, x->name), x->ref_date);
			j = hf__dupset_add(&d, h, i, eq_ind, k);
			if (j >= 0)
				snprintf(
				    what, sizeof what, "%s %s/%s",
				    hf_tr(io->lang, "Kennzahl", "indicator"),
				    x->unit, x->name);
			break;
		}
		case HF_IO_ADMISSIONS: {
			const hf__adm_rec *a = &k->adm[i];
			uint64_t h;
			j = -1;
			if (a->fid && (j = hf__dupset_add(&f, (uint64_t)a->fid,
							  i, eq_fid, k)) >= 0) {
				snprintf(what, sizeof what, "%s %lld",
					 hf_tr(io->lang, "Nr.", "id"),
					 (long long)a->fid);
				break;
			}
			if (!a->str[S_HOUSEHOLD] && !a->str[S_REFERENCE])
				break;
			h = hf__hash_int(0, a->date);
			h = hf__hash_str(
			    hf__hash_str(h, HF__ASTR(k, a, S_UNIT)),
			    HF__ASTR(k, a, S_HOUSEHOLD));
			h = hf__hash_str(hf__hash_int(h, a->persons),
					 HF__ASTR(k, a, S_REFERENCE));
			h = hf__hash_str(hf__hash_int(h, a->category),
					 HF__ASTR(k, a, S_PROGRAMME));
			j = hf__dupset_add(&d, h, i, eq_adm, k);
			if (j >= 0)
				snprintf(what, sizeof what, "%s",
					 hf_tr(io->lang, "derselbe Zugang",
					       "the same admission"));
			break;
		}
		case HF_IO_PLEDGES: {
			const hf_pledge *p = &k->pledges[i];
			uint64_t h = hf__hash_str(hf__hash_str(0, p->unit),
						  p->programme);
			h = hf__hash_int(hf__hash_int(h, p->period.from),
					 p->places);
			j = hf__dupset_add(&d, h, i, eq_pledge, k);
			if (j >= 0)
				snprintf(what, sizeof what, "%s",
					 hf_tr(io->lang, "dieselbe Zusage",
					       "the same pledge"));
			break;
		}
		case HF_IO_HOUSEHOLDS:
		case HF_IO_MATCH_UNITS:
			j = hf__dupset_add(
			    &d, hf__hash_str(0, k->cells[i * (size_t)k->ncols]),
			    i, eq_match, k);
			if (j >= 0)
				snprintf(what, sizeof what, "%s",
					 k->cells[i * (size_t)k->ncols]);
			break;
		default:
			j = -1;
		}
		if (j >= 0)
			dup_issue(io, i, j, what);
	}
	hf__dupset_free(&d);
	hf__dupset_free(&f);
	return HF_OK;
}

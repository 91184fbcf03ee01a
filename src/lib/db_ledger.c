/*
 * db_ledger.c: the ledger in the database API. Appends check every entry
 * and keep the monthly and daily sums in the same transaction; a
 * correction is a reversal that mirrors the entry, never an update; sums
 * over a period read whole months from the monthly table.
 */
#include "hafen/db.h"
#include "hafen/programme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

static int codeset_lookup(void *ctx, const char *code)
{
	return code ? hf__codeset_find(ctx, code) : -1;
}

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

/* The murmur3 finaliser: every key bit reaches the low bits the table
 * uses (days differ only in high bits of the packed key). */
static size_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return (size_t)x;
}

static int macc_grow(bucket_acc *a)
{
	size_t size = a->s ? 2 * (a->mask + 1) : 1024, i, j;
	struct macc_slot *ns = calloc(size, sizeof *ns);

	if (!ns)
		return HF_ENOMEM;
	for (i = 0; a->s && i <= a->mask; i++) {
		if (!a->s[i].key)
			continue;
		for (j = mix(a->s[i].key) & (size - 1);
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
		    int64_t persons, int64_t entries)
{
	uint64_t key = ((uint64_t)bucket << 36 | (uint64_t)unit << 4 |
			(uint64_t)cat) + 1;
	size_t j;

	if (2 * (a->used + 1) > (a->s ? a->mask + 1 : 0) && macc_grow(a) < 0)
		return HF_ENOMEM;
	for (j = mix(key) & a->mask;
	     a->s[j].key && a->s[j].key != key; j = (j + 1) & a->mask)
		;
	if (!a->s[j].key) {
		a->s[j].key = key;
		a->used++;
	}
	a->s[j].persons += persons;
	a->s[j].entries += entries;
	return HF_OK;
}

/* The monthly sums of a batch, from its daily sums: one pass over the
 * days instead of a second hash update per entry. */
static int macc_months(const bucket_acc *days, bucket_acc *months)
{
	size_t i;

	for (i = 0; days->s && i <= days->mask; i++) {
		uint64_t key = days->s[i].key - 1;
		if (!days->s[i].key)
			continue;
		if (macc_add(months,
			     month_of((hf_date)((int)(key >> 36) - DAY_BIAS)),
			     (int)((key >> 4) & 0xFFFFFFFFu), (int)(key & 0xF),
			     days->s[i].persons, days->s[i].entries) < 0)
			return HF_ENOMEM;
	}
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

/* One override per entry that went beyond, after the entries have ids. */
static int log_overrides(hf_db *db, const hf_admission *e, size_t n,
			 const int64_t *beyond, hf__override *ov,
			 hf_error *err)
{
	size_t i;
	int rc;

	for (i = 0; beyond && i < n; i++) {
		hf_override o;
		if (beyond[i] <= 0)
			continue;
		memset(&o, 0, sizeof o);
		o.entry = e[i].id;
		o.beyond = beyond[i];
		memcpy(o.programme, e[i].programme, sizeof o.programme);
		if ((rc = hf_field_copy(o.reason, sizeof o.reason, ov->reason,
					"reason", err)) < 0 ||
		    (rc = hf_field_copy(o.recorded_by, sizeof o.recorded_by,
					ov->user, "user", err)) < 0)
			return rc;
		o.recorded_at = ov->at;
		if ((rc = OPS(db)->override_insert(db->st, &o, err)) < 0)
			return rc;
		ov->used++;
	}
	return HF_OK;
}

int hf__db_append(hf_db *db, hf_admission *e, size_t n, int number,
		  hf__override *ov, int paired, hf_error *err)
{
	bucket_acc acc = {NULL, 0, 0}, dacc = {NULL, 0, 0};
	int64_t *beyond = NULL;
	size_t i = 0, bad = 0;
	int rc, u;

	if ((rc = hf__db_units_need(db, n ? e[0].unit : "", n, sizeof *e,
				     err)) < 0)
		return rc;
	if ((rc = hf__db_programme_check(db, e, n, ov != NULL, &beyond, &bad,
					 err)) < 0) {
		i = bad;
		goto fail;
	}
	for (i = 0; i < n; i++) {
		hf_admission *a = &e[i];
		if ((rc = hf_admission_check(a, err)) < 0)
			goto fail;
		if ((u = hf__codeset_find(&db->units, a->unit)) < 0) {
			rc = hf__db_unit_missing(err, "unit", a->unit);
			goto fail;
		}
		if (a->pair && !paired) {
			rc = hf_error_set(err, HF_EINVAL, "pair",
					  "Die Paarung zweier Einträge "
					  "entsteht nur durch eine "
					  "Umverteilung (hafen transfer); "
					  "pair muss 0 sein.",
					  "Entries are paired by a transfer "
					  "only (hafen transfer); pair must "
					  "be 0.");
			goto fail;
		}
		if (a->corrects && (rc = check_reversal(db, a, err)) < 0)
			goto fail;
		if ((rc = OPS(db)->ledger_insert(db->st, a, err)) < 0)
			goto fail;
		if ((rc = macc_add(&dacc, a->date + DAY_BIAS, u,
				   (int)a->category, a->persons, 1)) < 0) {
			rc = hf__db_nomem(err);
			goto fail;
		}
	}
	i = n;
	if (macc_months(&dacc, &acc) < 0) {
		rc = hf__db_nomem(err);
		goto fail;
	}
	if ((rc = macc_flush(db, &acc, 0, err)) < 0 ||
	    (rc = macc_flush(db, &dacc, 1, err)) < 0 ||
	    (rc = log_overrides(db, e, n, beyond, ov, err)) < 0)
		goto fail;
	free(beyond);
	free(acc.s);
	free(dacc.s);
	return HF_OK;
fail:
	if (number && n > 1 && i < n)
		name_entry(err, i);
	free(beyond);
	free(acc.s);
	free(dacc.s);
	/* ids of rows that were rolled back mean nothing */
	for (i = n; i-- > 0;)
		e[i].id = 0;
	if (ov)
		ov->used = 0;
	return rc;
}

/* One audit row for a call: the entry's figures, or the range of ids of
 * a batch. */
static int audit_append(hf_db *db, const char *action, const hf_admission *e,
			size_t n, hf_error *err)
{
	char obj[48], d[11];

	if (n == 1) {
		snprintf(obj, sizeof obj, "%lld", (long long)e[0].id);
		hf_date_format(e[0].date, d);
		return hf__db_audit(db, action, obj, err,
				    "unit=%s persons=%lld category=%s date=%s "
				    "household=%s programme=%s",
				    e[0].unit, (long long)e[0].persons,
				    hf_category_slug(e[0].category), d,
				    e[0].household, e[0].programme);
	}
	snprintf(obj, sizeof obj, "%lld..%lld", (long long)e[0].id,
		 (long long)e[n - 1].id);
	return hf__db_audit(db, action, obj, err, "entries=%zu", n);
}

int hf_db_ledger_append(hf_db *db, hf_admission *entries, size_t n,
			hf_error *err)
{
	int rc;

	if (!n)
		return HF_OK;
	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = hf__db_append(db, entries, n, 1, NULL, 0, err);
	if (rc == HF_OK)
		rc = audit_append(db, "ledger.record", entries, n, err);
	return hf__db_tx_end(db, rc, err);
}

int hf_db_ledger_append_override(hf_db *db, hf_admission *entries, size_t n,
				 const char *reason, const char *user,
				 int64_t at, size_t *override_count,
				 hf_error *err)
{
	hf__override ov = {reason, user ? user : "", at, 0};
	int rc;

	if (override_count)
		*override_count = 0;
	if (!reason || !reason[0])
		return hf_error_set(err, HF_EINVAL, "reason",
				    "Eine Überschreitung des Kontingents "
				    "braucht eine Begründung.",
				    "Admitting beyond a contingent needs a "
				    "reason.");
	if (!n)
		return HF_OK;
	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = hf__db_append(db, entries, n, 1, &ov, 0, err);
	if (rc == HF_OK)
		rc = audit_append(db,
				  ov.used ? "ledger.override" : "ledger.record",
				  entries, n, err);
	rc = hf__db_tx_end(db, rc, err);
	if (rc == HF_OK && override_count)
		*override_count = ov.used;
	return rc;
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
	r.pair = 0; /* the reversal of a transfer's half is no transfer */
	r.date = date == HF_DATE_NONE ? o.date : date;
	r.recorded_at = at;
	if ((rc = hf_field_copy(r.recorded_by, sizeof r.recorded_by, by,
				"recorded_by", err)) < 0 ||
	    (rc = hf_field_copy(r.note, sizeof r.note, note, "note", err)) < 0)
		return rc;
	if ((rc = hf__db_append(db, &r, 1, 0, NULL, 0, err)) < 0)
		return rc;
	if (replacement) {
		if (replacement->corrects)
			return hf_error_set(err, HF_EINVAL, "corrects",
					    "Der berichtigte Eintrag ist ein "
					    "gewöhnlicher Eintrag: corrects "
					    "muss 0 sein.",
					    "The corrected entry is an ordinary "
					    "entry: corrects must be 0.");
		if ((rc = hf__db_append(db, replacement, 1, 0, NULL, 0,
					  err)) < 0)
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

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = correct(db, id, date, by, at, note, replacement, reversal_id,
		     err);
	if (rc == HF_OK) {
		char obj[32];
		snprintf(obj, sizeof obj, "%lld", (long long)id);
		rc =
		    hf__db_audit(db, "ledger.correct", obj, err,
				 "reversal=%lld replacement=%lld note=%s",
				 reversal_id ? (long long)*reversal_id : 0LL,
				 replacement ? (long long)replacement->id : 0LL,
				 note ? note : "");
	}
	if (rc < 0 && replacement)
		replacement->id = 0;
	return hf__db_tx_end(db, rc, err);
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
static int ledger_sums(hf_db *db, const char *const *units, size_t n,
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
	if ((rc = hf__db_units_load(db, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (hf__codeset_find(&db->units, units[i]) < 0) {
			if ((rc = hf__db_units_need(db, units[i], 1, 0, err)) < 0)
				return rc;
			break;
		}
	if (hf__codeset_reset(&req, n) < 0 ||
	    !(idx = malloc(n * sizeof *idx)) ||
	    !(sum = calloc(n, sizeof *sum))) {
		rc = hf__db_nomem(err);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (hf__codeset_find(&db->units, units[i]) < 0) {
			rc = hf__db_unit_missing(err, "unit", units[i]);
			goto fail;
		}
		idx[i] = hf__codeset_add(&req, units[i]);
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
	hf__codeset_free(&req);
	return HF_OK;
fail:
	free(sum);
	free(idx);
	hf__codeset_free(&req);
	return rc;
}

int hf_db_ledger_sums(hf_db *db, const char *const *units, size_t n,
		      hf_period p, int64_t (*out)[HF_CAT_COUNT], hf_error *err)
{
	int rc;

	/* months and the days at both ends from one snapshot */
	if ((rc = hf__db_read_begin(db, err)) < 0)
		return rc;
	return hf__db_read_end(db, ledger_sums(db, units, n, p, out, err), err);
}

static int transfer(hf_db *db, const char *from, const char *to,
		    int64_t persons, hf_date date, const char *household,
		    const char *reference, const char *user, int64_t at,
		    hf_admission e[2], hf_error *err)
{
	int rc, i;

	if (!from || !to || !strcmp(from, to))
		return hf_error_set(err, HF_EINVAL, "to",
				    "Eine Umverteilung braucht zwei "
				    "verschiedene Einheiten (von %s nach %s).",
				    "A transfer needs two different units "
				    "(from %s to %s).",
				    from ? from : "", to ? to : "");
	if (persons <= 0)
		return hf_error_set(err, HF_EINVAL, "persons",
				    "Umverteilung: Personen %lld; es muss "
				    "mindestens eine Person sein.",
				    "Transfer: persons %lld; it must be at "
				    "least one person.",
				    (long long)persons);
	memset(e, 0, 2 * sizeof *e);
	for (i = 0; i < 2; i++) {
		if ((rc = hf_field_copy(e[i].unit, sizeof e[i].unit,
					i ? to : from, i ? "to" : "from",
					err)) < 0 ||
		    (rc = hf_field_copy(e[i].household, sizeof e[i].household,
					household, "household", err)) < 0 ||
		    (rc = hf_field_copy(e[i].reference, sizeof e[i].reference,
					reference, "reference", err)) < 0 ||
		    (rc = hf_field_copy(e[i].recorded_by,
					sizeof e[i].recorded_by, user, "user",
					err)) < 0)
			return rc;
		e[i].date = date;
		e[i].persons = persons;
		e[i].recorded_at = at;
		e[i].category = i ? HF_CAT_TRANSFER_IN : HF_CAT_TRANSFER_OUT;
	}
	if ((rc = hf__db_units_need(db, e[0].unit, 2, sizeof *e, err)) < 0)
		return rc;
	/* both units first: a transfer to an unknown unit writes nothing */
	for (i = 0; i < 2; i++)
		if (hf__codeset_find(&db->units, e[i].unit) < 0)
			return hf__db_unit_missing(err, i ? "to" : "from",
						   e[i].unit);
	if ((rc = hf__db_append(db, &e[0], 1, 0, NULL, 0, err)) < 0)
		return rc;
	e[1].pair = e[0].id;
	if ((rc = hf__db_append(db, &e[1], 1, 0, NULL, 1, err)) < 0)
		return rc;
	e[0].pair = e[1].id;
	return HF_OK;
}

int hf_db_transfer(hf_db *db, const char *from, const char *to,
		   int64_t persons, hf_date date, const char *household,
		   const char *reference, const char *user, int64_t at,
		   int64_t *out_id, int64_t *in_id, hf_error *err)
{
	hf_admission e[2];
	int rc;

	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = transfer(db, from, to, persons, date, household, reference, user,
		      at, e, err);
	if (rc == HF_OK) {
		char obj[48];
		snprintf(obj, sizeof obj, "%lld,%lld", (long long)e[0].id,
			 (long long)e[1].id);
		rc = hf__db_audit(db, "ledger.transfer", obj, err,
				  "from=%s to=%s persons=%lld", from, to,
				  (long long)persons);
	}
	rc = hf__db_tx_end(db, rc, err);
	if (out_id)
		*out_id = rc == HF_OK ? e[0].id : 0;
	if (in_id)
		*in_id = rc == HF_OK ? e[1].id : 0;
	return rc;
}

/*
 * store_pg_ledger.c: the ledger and its summaries in the PostgreSQL
 * backend. A batch's rows are numbered here (the highest id plus one,
 * under the writer lock) and sent by COPY when the next statement runs or
 * the transaction commits; the summaries are upserted (ON CONFLICT);
 * lists and aggregates are built from a filter and cached by their text.
 */
#include "store_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_admission(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_admission *a = dst;
	int rc;

	a->id = hf__pg_cint(r, row, 0);
	a->date = (hf_date)hf__pg_cint(r, row, 1);
	a->persons = hf__pg_cint(r, row, 3);
	a->category = (hf_category)hf__pg_cint(r, row, 5);
	a->recorded_at = hf__pg_cint(r, row, 9);
	a->corrects = hf__pg_cint(r, row, 10); /* NULL reads as 0 */
	if ((rc = hf__pg_ctext(r, row, 2, a->unit, sizeof a->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 4, a->household, sizeof a->household,
			       "household", err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 6, a->programme, sizeof a->programme,
			       "programme", err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 7, a->reference, sizeof a->reference,
			       "reference", err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 8, a->recorded_by, sizeof a->recorded_by,
			       "recorded_by", err)) < 0 ||
	    (rc = hf__pg_ctext(r, row, 11, a->note, sizeof a->note, "note",
			       err)) < 0)
		return rc;
	a->pair = hf__pg_cint(r, row, 12);
	return HF_OK;
}

/* ---- COPY rows ------------------------------------------------------ */

static const char copy_ledger[] =
    "COPY ledger(id, date, unit, persons, household, category, "
    "programme, reference, recorded_by, recorded_at, corrects, note, "
    "pair) FROM STDIN";

static void put_int(pg *p, int64_t x, int null_if_zero)
{
	if (null_if_zero && !x)
		hf__pg_copy_text(p, NULL);
	else
		p->copy_len += (size_t)sprintf(p->copy + p->copy_len, "%lld",
					       (long long)x);
}

static void put_sep(pg *p, char c)
{
	p->copy[p->copy_len++] = c;
}

#define FLUSH_AT (4u << 20) /* bytes of rows sent at once */

int hf__pg_ledger_insert(void *st, hf_admission *a, hf_error *err)
{
	pg *p = st;
	size_t need;
	int rc;

	if (p->last_id < 0) {
		PGresult *r;
		if ((rc = hf__pg_q(p, P_LEDGER_MAX, NULL, &r, err)) < 0)
			return rc;
		p->last_id = hf__pg_cint(r, 0, 0);
		PQclear(r);
	}
	/* every text field may double when escaped; numbers take 21 */
	need = 2 * (strlen(a->unit) + strlen(a->household) +
		    strlen(a->programme) + strlen(a->reference) +
		    strlen(a->recorded_by) + strlen(a->note)) +
	       8 * 22 + 16;
	if ((rc = hf__pg_copy_start(p, copy_ledger, need, err)) < 0)
		return rc;
	a->id = ++p->last_id;
	put_int(p, a->id, 0);
	put_sep(p, '\t');
	put_int(p, a->date, 0);
	put_sep(p, '\t');
	hf__pg_copy_text(p, a->unit);
	put_sep(p, '\t');
	put_int(p, a->persons, 0);
	put_sep(p, '\t');
	hf__pg_copy_text(p, a->household);
	put_sep(p, '\t');
	put_int(p, (int64_t)a->category, 0);
	put_sep(p, '\t');
	hf__pg_copy_text(p, a->programme);
	put_sep(p, '\t');
	hf__pg_copy_text(p, a->reference);
	put_sep(p, '\t');
	hf__pg_copy_text(p, a->recorded_by);
	put_sep(p, '\t');
	put_int(p, a->recorded_at, 0);
	put_sep(p, '\t');
	put_int(p, a->corrects, 1);
	put_sep(p, '\t');
	hf__pg_copy_text(p, a->note);
	put_sep(p, '\t');
	put_int(p, a->pair, 1);
	put_sep(p, '\n');
	if (p->copy_len >= FLUSH_AT)
		return hf__pg_flush(p, err);
	return HF_OK;
}

/* Appends a value and ',' to one array's text: "{" first. */
static int put(pg *p, int daily, int col, const char *v, int quote)
{
	hf__pg_bucket *b = &p->bk[daily];
	size_t need = 2 * strlen(v) + 5, cap;
	char *o;

	if (b->col[col].len + need > b->col[col].cap) {
		cap = b->col[col].cap ? 2 * b->col[col].cap : 4096;
		while (cap < b->col[col].len + need)
			cap *= 2;
		if (!(o = realloc(b->col[col].s, cap)))
			return HF_ENOMEM;
		b->col[col].s = o;
		b->col[col].cap = cap;
	}
	o = b->col[col].s + b->col[col].len;
	if (!b->col[col].len)
		*o++ = '{';
	if (quote)
		*o++ = '"';
	for (; *v; v++) {
		if (quote && (*v == '"' || *v == '\\'))
			*o++ = '\\';
		*o++ = *v;
	}
	if (quote)
		*o++ = '"';
	*o++ = ',';
	*o = '\0';
	b->col[col].len = (size_t)(o - b->col[col].s);
	return HF_OK;
}

#define BUCKETS_AT 20000 /* summaries sent at once */

int hf__pg_ledger_bucket_add(void *st, int daily, const hf__bucket_sum *m,
			     hf_error *err)
{
	pg *p = st;
	char num[4][24];
	int rc;

	daily = !!daily;
	snprintf(num[0], sizeof num[0], "%d", m->bucket);
	snprintf(num[1], sizeof num[1], "%d", m->category);
	snprintf(num[2], sizeof num[2], "%lld", (long long)m->persons);
	snprintf(num[3], sizeof num[3], "%lld", (long long)m->entries);
	/* the ledger rows they sum go first (COPY), then these */
	if (p->copy_len && (rc = hf__pg_flush(p, err)) < 0)
		return rc;
	if (put(p, daily, 0, num[0], 0) < 0 ||
	    put(p, daily, 1, m->unit, 1) < 0 ||
	    put(p, daily, 2, num[1], 0) < 0 ||
	    put(p, daily, 3, num[2], 0) < 0 ||
	    put(p, daily, 4, num[3], 0) < 0) {
		hf__pg_forget(p);
		return hf__pg_nomem(err);
	}
	if (++p->bk[daily].n >= BUCKETS_AT)
		return hf__pg_flush(p, err);
	return HF_OK;
}

int hf__pg_ledger_get(void *st, int64_t id, hf_admission *out, hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_int(&a, id);
	if ((rc = hf__pg_q(st, P_LEDGER_GET, &a, &r, err)) < 0)
		return rc;
	return hf__pg_one(r, out, read_admission, err);
}

int hf__pg_ledger_reversed_by(void *st, int64_t id, int64_t *reversal,
			      hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	hf__pg_int(&a, id);
	if ((rc = hf__pg_q(st, P_REVERSED_BY, &a, &r, err)) < 0)
		return rc;
	*reversal = PQntuples(r) ? hf__pg_cint(r, 0, 0) : 0;
	PQclear(r);
	return HF_OK;
}

/*
 * The WHERE clause of a filter. Each field has a fixed parameter number
 * (typed in filter_types), so the text depends only on which fields are
 * set and the statement can be cached by its text.
 */
#define T_TEXT 25 /* the built-in type oids of text and bigint */
#define T_INT8 20
static const Oid filter_types[] = {
    T_TEXT, T_TEXT, T_INT8, T_TEXT, T_TEXT,
    T_INT8, T_INT8, T_INT8, T_INT8, T_INT8,
};

static void filter_where(const hf_ledger_filter *f, char *buf, size_t size)
{
	snprintf(buf, size, " WHERE true%s%s%s%s%s%s%s%s",
		 f->unit ? " AND unit = $1" : "",
		 f->parent ? " AND unit IN (SELECT code FROM units "
			     "WHERE parent = $2)"
			   : "",
		 f->category >= 0 ? " AND category = $3" : "",
		 f->programme ? " AND programme = $4" : "",
		 f->household ? " AND household = $5" : "",
		 f->from != HF_DATE_NONE ? " AND date >= $6" : "",
		 f->to != HF_DATE_NONE ? " AND date <= $7" : "",
		 f->after_id > 0 ? " AND id > $8" : "");
}

static void filter_bind(hf__pg_args *a, const hf_ledger_filter *f)
{
	hf__pg_text(a, f->unit);
	hf__pg_text(a, f->parent);
	hf__pg_int(a, f->category);
	hf__pg_text(a, f->programme);
	hf__pg_text(a, f->household);
	hf__pg_int(a, f->from);
	hf__pg_int(a, f->to);
	hf__pg_int(a, f->after_id);
	if (f->limit)
		hf__pg_int(a, (int64_t)f->limit);
	else
		hf__pg_text(a, NULL); /* LIMIT NULL: no limit */
}

int hf__pg_ledger_list(void *st, const hf_ledger_filter *f, hf_admission **out,
		       size_t *n, hf_error *err)
{
	char where[512], text[1024];
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	filter_where(f, where, sizeof where);
	snprintf(text, sizeof text,
		 "SELECT " PG_LEDGER_COLS " FROM ledger%s ORDER BY id LIMIT $9",
		 where);
	filter_bind(&a, f);
	if ((rc = hf__pg_dyn(st, text, filter_types, &a, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_admission, (void **)out, n,
			      err);
}

static int read_sum(const PGresult *r, int row, void *dst, hf_error *err)
{
	hf_ledger_sum *x = dst;
	unsigned group = (unsigned)hf__pg_cint(r, row, 0);
	int i = 1, rc;

	x->category = -1;
	if (group & HF_GROUP_UNIT) {
		if ((rc = hf__pg_ctext(r, row, i++, x->unit, sizeof x->unit,
				       "unit", err)) < 0)
			return rc;
	}
	if (group & HF_GROUP_CATEGORY)
		x->category = (int)hf__pg_cint(r, row, i++);
	if (group & HF_GROUP_YEAR)
		x->year = (int)hf__pg_cint(r, row, i++);
	x->persons = hf__pg_cint(r, row, i++);
	x->entries = hf__pg_cint(r, row, i);
	return HF_OK;
}

int hf__pg_ledger_aggregate(void *st, const hf_ledger_filter *f, unsigned group,
			    hf_ledger_sum **out, size_t *n, hf_error *err)
{
	char where[512], from[640], text[1400], cols[200] = "", by[200] = "",
						order[200] = "";
	hf__pg_args a = {0};
	PGresult *r;
	int rc;

	if (group & HF_GROUP_UNIT) {
		strcat(cols, "unit, ");
		strcat(by, "unit, ");
		strcat(order, "unit COLLATE \"C\", ");
	}
	if (group & HF_GROUP_CATEGORY) {
		strcat(cols, "category, ");
		strcat(by, "category, ");
		strcat(order, "category, ");
	}
	if (group & HF_GROUP_YEAR) {
		/* date counts days from 1970-01-01 */
		strcat(cols, "extract(year FROM date '1970-01-01' + "
			     "date::integer)::bigint AS year, ");
		strcat(by, "year, ");
		strcat(order, "year, ");
	}
	if (by[0]) {
		by[strlen(by) - 2] = '\0';
		order[strlen(order) - 2] = '\0';
	}
	filter_where(f, where, sizeof where);
	if (f->limit)
		snprintf(from, sizeof from,
			 "(SELECT * FROM ledger%s ORDER BY id LIMIT $9) l",
			 where);
	else
		snprintf(from, sizeof from, "ledger%s", where);
	snprintf(text, sizeof text,
		 "SELECT $10, %scoalesce(sum(persons), 0), count(*) "
		 "FROM %s%s%s%s%s",
		 cols, from, by[0] ? " GROUP BY " : "", by,
		 by[0] ? " ORDER BY " : "", order);
	filter_bind(&a, f);
	hf__pg_int(&a, (int64_t)group);
	if ((rc = hf__pg_dyn(st, text, filter_types, &a, &r, err)) < 0)
		return rc;
	return hf__pg_collect(r, sizeof **out, read_sum, (void **)out, n, err);
}

static int sum_rows(pg *p, int id, int lo, int hi, hf__unit_index_fn lookup,
		    void *ctx, int64_t (*out)[HF_CAT_COUNT], hf_error *err)
{
	hf__pg_args a = {0};
	PGresult *r;
	int rc, i;

	hf__pg_int(&a, lo);
	hf__pg_int(&a, hi);
	if ((rc = hf__pg_q(p, id, &a, &r, err)) < 0)
		return rc;
	for (i = 0; i < PQntuples(r); i++) {
		int u = lookup(ctx, PQgetvalue(r, i, 0));
		int c = (int)hf__pg_cint(r, i, 1);
		if (u >= 0 && c >= 0 && c < HF_CAT_COUNT)
			out[u][c] += hf__pg_cint(r, i, 2);
	}
	PQclear(r);
	return HF_OK;
}

int hf__pg_ledger_sum_months(void *st, int m0, int m1, hf__unit_index_fn lookup,
			     void *ctx, int64_t (*out)[HF_CAT_COUNT],
			     hf_error *err)
{
	return sum_rows(st, P_SUM_MONTHS, m0, m1, lookup, ctx, out, err);
}

int hf__pg_ledger_sum_days(void *st, hf_date d0, hf_date d1,
			   hf__unit_index_fn lookup, void *ctx,
			   int64_t (*out)[HF_CAT_COUNT], hf_error *err)
{
	return sum_rows(st, P_SUM_DAYS, d0, d1, lookup, ctx, out, err);
}

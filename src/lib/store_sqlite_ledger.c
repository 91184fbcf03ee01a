/*
 * store_sqlite_ledger.c: the ledger and its summaries in the SQLite
 * backend: inserts on one reused statement, the monthly and daily sums
 * added by upsert, and lists and aggregates whose SQL is built from a
 * filter and cached by its text.
 */
#include "store_sqlite_int.h"

#include <stdio.h>
#include <string.h>

static int read_admission(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_admission *a = dst;
	int rc;

	a->id = sqlite3_column_int64(q, 0);
	a->date = (hf_date)sqlite3_column_int(q, 1);
	a->persons = sqlite3_column_int64(q, 3);
	a->category = (hf_category)sqlite3_column_int(q, 5);
	a->recorded_at = sqlite3_column_int64(q, 9);
	a->corrects = sqlite3_column_int64(q, 10); /* NULL reads as 0 */
	if ((rc = hf__sq_ctext(q, 2, a->unit, sizeof a->unit, "unit",
			       err)) < 0 ||
	    (rc = hf__sq_ctext(q, 4, a->household, sizeof a->household,
			       "household", err)) < 0 ||
	    (rc = hf__sq_ctext(q, 6, a->programme, sizeof a->programme,
			       "programme", err)) < 0 ||
	    (rc = hf__sq_ctext(q, 7, a->reference, sizeof a->reference,
			       "reference", err)) < 0 ||
	    (rc = hf__sq_ctext(q, 8, a->recorded_by, sizeof a->recorded_by,
			       "recorded_by", err)) < 0 ||
	    (rc = hf__sq_ctext(q, 11, a->note, sizeof a->note, "note",
			       err)) < 0)
		return rc;
	a->pair = sqlite3_column_int64(q, 12); /* NULL reads as 0 */
	return HF_OK;
}

int hf__sq_ledger_insert(void *st, hf_admission *a, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = s->q[Q_LEDGER_INSERT];
	int rc;

	if (!q)
		PREP(Q_LEDGER_INSERT);
	sqlite3_bind_int(q, 1, a->date);
	sqlite3_bind_text(q, 2, a->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, a->persons);
	sqlite3_bind_text(q, 4, a->household, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, (int)a->category);
	sqlite3_bind_text(q, 6, a->programme, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, a->reference, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, a->recorded_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 9, a->recorded_at);
	if (a->corrects)
		sqlite3_bind_int64(q, 10, a->corrects);
	else
		sqlite3_bind_null(q, 10);
	sqlite3_bind_text(q, 11, a->note, -1, SQLITE_STATIC);
	if (a->pair)
		sqlite3_bind_int64(q, 12, a->pair);
	else
		sqlite3_bind_null(q, 12);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return hf__sq_fail(s, rc, err);
	a->id = sqlite3_last_insert_rowid(s->db);
	return HF_OK;
}

int hf__sq_ledger_bucket_add(void *st, int daily, const hf__bucket_sum *m,
			     hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	if (daily)
		PREP(Q_DAY_ADD);
	else
		PREP(Q_MONTH_ADD);
	sqlite3_bind_int(q, 1, m->bucket);
	hf__sq_btext(q, 2, m->unit);
	sqlite3_bind_int(q, 3, m->category);
	sqlite3_bind_int64(q, 4, m->persons);
	sqlite3_bind_int64(q, 5, m->entries);
	return hf__sq_run(s, q, err);
}

int hf__sq_ledger_get(void *st, int64_t id, hf_admission *out, hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;

	PREP(Q_LEDGER_GET);
	sqlite3_bind_int64(q, 1, id);
	return hf__sq_one(s, q, out, read_admission, err);
}

int hf__sq_ledger_reversed_by(void *st, int64_t id, int64_t *reversal,
			      hf_error *err)
{
	sq *s = st;
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(Q_REVERSED_BY);
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	*reversal = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	hf__sq_done(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HF_OK
						     : hf__sq_fail(s, rc, err);
}

/*
 * The WHERE clause of a filter. Each field has a fixed parameter number,
 * so the text depends only on which fields are set and the statement can
 * be cached by its text.
 */
static void filter_where(const hf_ledger_filter *f, char *buf, size_t size)
{
	snprintf(buf, size, " WHERE 1%s%s%s%s%s%s%s%s",
		 f->unit ? " AND unit = ?1" : "",
		 f->parent ? " AND unit IN (SELECT code FROM units "
			     "WHERE parent = ?2)"
			   : "",
		 f->category >= 0 ? " AND category = ?3" : "",
		 f->programme ? " AND programme = ?4" : "",
		 f->household ? " AND household = ?5" : "",
		 f->from != HF_DATE_NONE ? " AND date >= ?6" : "",
		 f->to != HF_DATE_NONE ? " AND date <= ?7" : "",
		 f->after_id > 0 ? " AND id > ?8" : "");
}

static void filter_bind(sqlite3_stmt *q, const hf_ledger_filter *f)
{
	hf__sq_btext(q, 1, f->unit);
	hf__sq_btext(q, 2, f->parent);
	sqlite3_bind_int(q, 3, f->category);
	hf__sq_btext(q, 4, f->programme);
	hf__sq_btext(q, 5, f->household);
	sqlite3_bind_int(q, 6, f->from);
	sqlite3_bind_int(q, 7, f->to);
	sqlite3_bind_int64(q, 8, f->after_id);
	sqlite3_bind_int64(q, 9, f->limit ? (sqlite3_int64)f->limit : -1);
}

int hf__sq_ledger_list(void *st, const hf_ledger_filter *f, hf_admission **out,
		       size_t *n, hf_error *err)
{
	sq *s = st;
	char where[512], text[1024];
	sqlite3_stmt *q = NULL;
	int rc;

	filter_where(f, where, sizeof where);
	snprintf(text, sizeof text,
		 "SELECT " LEDGER_COLS " FROM ledger%s ORDER BY id LIMIT ?9",
		 where);
	if ((rc = hf__sq_dyn_prep(s, text, &q, err)) < 0)
		return rc;
	filter_bind(q, f);
	return hf__sq_collect(s, q, sizeof **out, read_admission, (void **)out,
			      n, err);
}

static int read_sum(sqlite3_stmt *q, void *dst, hf_error *err)
{
	hf_ledger_sum *x = dst;
	int i = 0, rc;
	unsigned group = (unsigned)sqlite3_column_int(q, 0);

	i = 1;
	x->category = -1;
	if (group & HF_GROUP_UNIT) {
		if ((rc = hf__sq_ctext(q, i++, x->unit, sizeof x->unit, "unit",
				       err)) < 0)
			return rc;
	}
	if (group & HF_GROUP_CATEGORY)
		x->category = sqlite3_column_int(q, i++);
	if (group & HF_GROUP_YEAR)
		x->year = sqlite3_column_int(q, i++);
	x->persons = sqlite3_column_int64(q, i++);
	x->entries = sqlite3_column_int64(q, i);
	return HF_OK;
}

int hf__sq_ledger_aggregate(void *st, const hf_ledger_filter *f, unsigned group,
			    hf_ledger_sum **out, size_t *n, hf_error *err)
{
	sq *s = st;
	char where[512], from[640], text[1200], cols[160] = "", by[160] = "";
	sqlite3_stmt *q = NULL;
	int rc;

	if (group & HF_GROUP_UNIT) {
		strcat(cols, "unit, ");
		strcat(by, "unit, ");
	}
	if (group & HF_GROUP_CATEGORY) {
		strcat(cols, "category, ");
		strcat(by, "category, ");
	}
	if (group & HF_GROUP_YEAR) {
		strcat(cols, "CAST(strftime('%Y', date * 86400, 'unixepoch') "
			     "AS INTEGER) AS year, ");
		strcat(by, "year, ");
	}
	if (by[0])
		by[strlen(by) - 2] = '\0';
	filter_where(f, where, sizeof where);
	if (f->limit)
		snprintf(from, sizeof from,
			 "(SELECT * FROM ledger%s ORDER BY id LIMIT ?9)", where);
	else
		snprintf(from, sizeof from, "ledger%s AND ?9 = ?9", where);
	/* the group bits travel as the first column so read_sum knows the
	 * layout; bound as a number, like everything else */
	snprintf(text, sizeof text,
		 "SELECT ?10, %scoalesce(sum(persons), 0), count(*) "
		 "FROM %s%s%s%s%s",
		 cols, from, by[0] ? " GROUP BY " : "", by,
		 by[0] ? " ORDER BY " : "", by);
	if ((rc = hf__sq_dyn_prep(s, text, &q, err)) < 0)
		return rc;
	filter_bind(q, f);
	sqlite3_bind_int(q, 10, (int)group);
	return hf__sq_collect(s, q, sizeof **out, read_sum, (void **)out, n,
			      err);
}

static int sum_rows(sq *s, int id, int a, int b, hf__unit_index_fn lookup,
		    void *ctx, int64_t (*out)[HF_CAT_COUNT], hf_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc;

	PREP(id);
	sqlite3_bind_int(q, 1, a);
	sqlite3_bind_int(q, 2, b);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int i = lookup(ctx, (const char *)sqlite3_column_text(q, 0));
		int c = sqlite3_column_int(q, 1);
		if (i >= 0 && c >= 0 && c < HF_CAT_COUNT)
			out[i][c] += sqlite3_column_int64(q, 2);
	}
	hf__sq_done(q);
	return rc == SQLITE_DONE ? HF_OK : hf__sq_fail(s, rc, err);
}

int hf__sq_ledger_sum_months(void *st, int m0, int m1, hf__unit_index_fn lookup,
			     void *ctx, int64_t (*out)[HF_CAT_COUNT],
			     hf_error *err)
{
	return sum_rows(st, Q_SUM_MONTHS, m0, m1, lookup, ctx, out, err);
}

int hf__sq_ledger_sum_days(void *st, hf_date d0, hf_date d1,
			   hf__unit_index_fn lookup, void *ctx,
			   int64_t (*out)[HF_CAT_COUNT], hf_error *err)
{
	return sum_rows(st, Q_SUM_DAYS, d0, d1, lookup, ctx, out, err);
}

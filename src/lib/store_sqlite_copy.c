/*
 * store_sqlite_copy.c: whole tables row by row for hafen migrate in the
 * SQLite backend: every value read and written as text (SQLite's integer
 * affinity turns "42" back into 42), rows in the order of the table's key.
 */
#include "store_sqlite_int.h"

#include <stdio.h>
#include <string.h>

#define MAXCOLS 32

/* "a, #b" to "a, b": SQLite orders text by bytes already */
static void order_by(const char *key, char *buf, size_t size)
{
	size_t o = 0;

	for (; *key && o + 1 < size; key++)
		if (*key != '#')
			buf[o++] = *key;
	buf[o] = '\0';
}

int hf__sq_rows_read(void *st, const hf__table *t, hf__row_fn fn, void *ctx,
		     hf_error *err)
{
	sq *s = st;
	char order[256], text[1024];
	const char *v[MAXCOLS];
	sqlite3_stmt *q = NULL;
	int rc, i, ret = HF_OK;

	order_by(t->key, order, sizeof order);
	snprintf(text, sizeof text, "SELECT %s FROM %s ORDER BY %s", t->cols,
		 t->name, order);
	if ((rc = sqlite3_prepare_v2(s->db, text, -1, &q, NULL)) != SQLITE_OK)
		return hf__sq_fail(s, rc, err);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (i = 0; i < t->ncols && i < MAXCOLS; i++)
			v[i] = sqlite3_column_type(q, i) == SQLITE_NULL
				   ? NULL
				   : (const char *)sqlite3_column_text(q, i);
		if ((ret = fn(ctx, v, err)) < 0)
			break;
	}
	if (ret == HF_OK && rc != SQLITE_DONE)
		ret = hf__sq_fail(s, rc, err);
	sqlite3_finalize(q);
	return ret;
}

int hf__sq_row_insert(void *st, const hf__table *t, const char *const *v,
		      hf_error *err)
{
	sq *s = st;
	char text[1024];
	size_t o;
	sqlite3_stmt *q = NULL;
	int rc, i;

	o = (size_t)snprintf(text, sizeof text, "INSERT INTO %s(%s) VALUES (?",
			     t->name, t->cols);
	for (i = 1; i < t->ncols && o + 3 < sizeof text; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, ",?");
	snprintf(text + o, sizeof text - o, ")");
	if ((rc = hf__sq_dyn_prep(s, text, &q, err)) < 0)
		return rc;
	for (i = 0; i < t->ncols; i++)
		hf__sq_btext(q, i + 1, v[i]);
	return hf__sq_run(s, q, err);
}

int hf__sq_table_names(void *st, hf__row_fn fn, void *ctx, hf_error *err)
{
	sq *s = st;
	const char *v[1];
	sqlite3_stmt *q = NULL;
	int rc, ret = HF_OK;

	rc = sqlite3_prepare_v2(s->db,
				"SELECT name FROM sqlite_master WHERE type = "
				"'table' AND name NOT LIKE 'sqlite_%' "
				"ORDER BY name",
				-1, &q, NULL);
	if (rc != SQLITE_OK)
		return hf__sq_fail(s, rc, err);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		v[0] = (const char *)sqlite3_column_text(q, 0);
		if ((ret = fn(ctx, v, err)) < 0)
			break;
	}
	if (ret == HF_OK && rc != SQLITE_DONE)
		ret = hf__sq_fail(s, rc, err);
	sqlite3_finalize(q);
	return ret;
}

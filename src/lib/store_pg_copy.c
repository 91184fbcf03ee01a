/*
 * store_pg_copy.c: whole tables row by row for hafen migrate in the
 * PostgreSQL backend: rows read one at a time (single-row mode, so a
 * ledger of millions never sits in memory) in the order of the table's
 * key, text in byte order as in SQLite; rows written by COPY.
 */
#include "store_pg_int.h"

#include <stdio.h>
#include <string.h>

#define MAXCOLS 32

/* "a, #b" to "a COLLATE "C", b": text keys in byte order */
static void order_by(const char *key, char *buf, size_t size)
{
	size_t o = 0, len;

	buf[0] = '\0';
	while (*key && o + 1 < size) {
		int num;
		while (*key == ' ' || *key == ',')
			key++;
		if (!*key)
			break;
		num = *key == '#';
		key += num;
		len = strcspn(key, ",");
		o += (size_t)snprintf(buf + o, size - o, "%s%.*s%s",
				      o ? ", " : "", (int)len, key,
				      num ? "" : " COLLATE \"C\"");
		key += len;
	}
}

int hf__pg_rows_read(void *st, const hf__table *t, hf__row_fn fn, void *ctx,
		     hf_error *err)
{
	pg *p = st;
	char order[512], text[1024], name[16];
	const char *v[MAXCOLS];
	PGresult *r;
	int rc, i, ret = HF_OK;

	order_by(t->key, order, sizeof order);
	snprintf(text, sizeof text, "SELECT %s FROM %s ORDER BY %s", t->cols,
		 t->name, order);
	if ((rc = hf__pg_dyn_prep(p, text, 0, NULL, name, err)) < 0)
		return rc;
	if (!PQsendQueryPrepared(p->c, name, 0, NULL, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(p->c))
		return hf__pg_fail(p, NULL, err);
	while ((r = PQgetResult(p->c))) {
		ExecStatusType s = PQresultStatus(r);
		if (s == PGRES_SINGLE_TUPLE && ret == HF_OK) {
			for (i = 0; i < t->ncols && i < MAXCOLS; i++)
				v[i] = PQgetisnull(r, 0, i)
					   ? NULL
					   : PQgetvalue(r, 0, i);
			ret = fn(ctx, v, err);
		} else if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK &&
			   ret == HF_OK) {
			ret = hf__pg_fail(p, r, err);
			continue; /* cleared; read on to the end */
		}
		PQclear(r);
	}
	return ret;
}

int hf__pg_row_insert(void *st, const hf__table *t, const char *const *v,
		      hf_error *err)
{
	pg *p = st;
	char sql[1024];
	size_t need = 16;
	int i, rc;

	snprintf(sql, sizeof sql, "COPY %s(%s) FROM STDIN", t->name, t->cols);
	for (i = 0; i < t->ncols; i++)
		need += 2 * (v[i] ? strlen(v[i]) : 1) + 1;
	if ((rc = hf__pg_copy_start(p, sql, need, err)) < 0)
		return rc;
	for (i = 0; i < t->ncols; i++) {
		hf__pg_copy_text(p, v[i]);
		p->copy[p->copy_len++] = i + 1 < t->ncols ? '\t' : '\n';
	}
	if (p->copy_len >= (4u << 20))
		return hf__pg_flush(p, err);
	return HF_OK;
}

int hf__pg_table_names(void *st, hf__row_fn fn, void *ctx, hf_error *err)
{
	PGresult *r;
	const char *v[1];
	int rc, i;

	if ((rc = hf__pg_q(st, P_TABLES, NULL, &r, err)) < 0)
		return rc;
	for (i = 0; i < PQntuples(r) && rc == HF_OK; i++) {
		v[0] = PQgetvalue(r, i, 0);
		rc = fn(ctx, v, err);
	}
	PQclear(r);
	return rc;
}

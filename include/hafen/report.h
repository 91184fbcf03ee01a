/*
 * hafen/report.h: the figures offices ask for, gathered from the database
 * and computed by the domain modules.
 *
 * A quota table holds every number it shows and the key it came from, so a
 * front end can print, export or explain it without asking the database
 * again.
 *
 *     hf_quota_table *t;
 *     hf_quota_options o = hf_quota_options_default();
 *     if (hf_quota_table_compute(db, "sh-bevoelkerung-2019", NULL, period,
 *                                &o, &t, &err) == HF_OK) {
 *             ... t->rows[i], t->units[i] ...
 *             hf_quota_table_free(t);
 *     }
 */
#ifndef HAFEN_REPORT_H
#define HAFEN_REPORT_H

#include "hafen/apportion.h"
#include "hafen/db.h"
#include "hafen/key.h"
#include "hafen/quota.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hf_quota_options {
	hf_apportion_method method;
	int fixed;          /* 1: quotas of a fixed contingent */
	int64_t contingent;
	int carry_since;    /* carry balances from this calendar year on; 0: none */
} hf_quota_options;

hf_quota_options hf_quota_options_default(void);

typedef struct hf_quota_table {
	hf_key key;          /* with shares and crediting rules */
	hf_unit parent;
	hf_period period;
	hf_quota_options options;
	size_t n;
	hf_unit *units;      /* n children, in code order */
	hf_quota_row *rows;  /* n rows, parallel to units */
	/* n × net persons by category in the period, parallel to units */
	int64_t (*persons)[HF_CAT_COUNT];
	hf_quota_total total;
	/* the years whose balances were carried in, for the explanation */
	int carried_from, carried_to;
} hf_quota_table;

/*
 * Computes the quota table of a key (by name), or, with key NULL, of the
 * key of parent valid for the whole period (HF_ENOTFOUND "no key" if none).
 * With carry_since, each calendar year from carry_since to the year before
 * the period is computed with its own key and its balance carried into the
 * next; the period must then be a calendar year. The caller frees *out
 * with hf_quota_table_free().
 */
int hf_quota_table_compute(hf_db *db, const char *key, const char *parent,
			   hf_period period, const hf_quota_options *opt,
			   hf_quota_table **out, hf_error *err);
void hf_quota_table_free(hf_quota_table *t);
/* The index of unit code in t, or -1. */
int hf_quota_table_find(const hf_quota_table *t, const char *code);

#ifdef __cplusplus
}
#endif
#endif

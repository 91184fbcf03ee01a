/*
 * hafen/explain.h: a unit's figures in plain words.
 *
 * An explanation names every number that makes the unit's quota, its
 * credited admissions and its balance, and shows how they combine, so a
 * council member or an auditor can check the figure by hand. Its numbers
 * come from the quota table itself; the tests check that they add up.
 */
#ifndef HAFEN_EXPLAIN_H
#define HAFEN_EXPLAIN_H

#include "hafen/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Writes the explanation of the row of unit code in t, in lang, as UTF-8
 * text with one statement a line. HF_ENOTFOUND if the unit is not a row of
 * t. The caller frees *text with free().
 */
int hf_explain_quota(const hf_quota_table *t, const char *code, hf_lang lang,
		     char **text, hf_error *err);

#ifdef __cplusplus
}
#endif
#endif

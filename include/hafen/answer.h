/*
 * hafen/answer.h: the report that answers a council inquiry.
 *
 * "How many did we admit since 2019, by way of what, and are we above our
 * quota?" For a unit and a start date: its admissions by category and
 * year; the same for its fellow members of its alliances in its Land; and,
 * per calendar year, its credited admissions against its distribution
 * quota under the key of its parent valid for that year.
 */
#ifndef HAFEN_ANSWER_H
#define HAFEN_ANSWER_H

#include "hafen/db.h"
#include "hafen/report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hf_answer_year {
	int year;
	int64_t persons[HF_CAT_COUNT]; /* admissions in [since, until] */
	/* the year's quota (whole calendar year); has_quota 0 when no key
	 * of the parent is valid for the whole year */
	int has_quota;
	char key[HF_KEY_NAME_MAX];
	hf_rat quota, credited, balance;
	int has_percent;
	hf_rat percent;
} hf_answer_year;

typedef struct hf_answer_unit {
	hf_unit unit;
	size_t nyears;
	hf_answer_year *years; /* since's year .. until's year */
} hf_answer_unit;

typedef struct hf_answer {
	hf_date since, until;
	hf_answer_unit subject;   /* with quotas */
	char alliances[256];      /* the subject's alliances, "; "-separated */
	size_t nmembers;
	hf_answer_unit *members;  /* fellow members in the Land, no quotas */
} hf_answer;

/*
 * Gathers the answer for unit from since to until (inclusive). The caller
 * frees *out with hf_answer_free().
 */
int hf_answer_compute(hf_db *db, const char *unit, hf_date since,
		      hf_date until, hf_answer **out, hf_error *err);
void hf_answer_free(hf_answer *a);

/* The answer as Markdown with headings in lang. The caller frees *text
 * with free(). */
int hf_answer_markdown(const hf_answer *a, hf_lang lang, char **text,
		       hf_error *err);

#ifdef __cplusplus
}
#endif
#endif

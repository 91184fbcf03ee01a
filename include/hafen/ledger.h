/*
 * hafen/ledger.h: admissions (Zugänge), the entries of the append-only
 * ledger, and their categories.
 *
 * Nothing in the ledger is updated or deleted. A correction is a new entry
 * with the negated persons of the entry it reverses, naming it in
 * `corrects`; a corrected figure is then recorded as an ordinary entry.
 * Persons are positive in every ordinary entry, whatever the category: the
 * category says whether they come in or go out (hf_category_sign()).
 */
#ifndef HAFEN_LEDGER_H
#define HAFEN_LEDGER_H

#include <stdint.h>

#include "hafen/date.h"
#include "hafen/error.h"
#include "hafen/unit.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HF_HOUSEHOLD_MAX 40
#define HF_PROGRAMME_MAX 64
#define HF_REFERENCE_MAX 64
#define HF_USER_MAX 64
#define HF_NOTE_MAX 160

typedef enum hf_category {
	HF_CAT_REGULAR,        /* "regulaer": regular distribution */
	HF_CAT_SICHERER_HAFEN, /* "sicherer-hafen": special admission */
	HF_CAT_BUND,           /* "bundesprogramm": federal programme */
	HF_CAT_LANDESPROGRAMM, /* "landesprogramm": Land programme */
	HF_CAT_RESETTLEMENT,   /* "resettlement" */
	HF_CAT_FAMILIENNACHZUG, /* "familiennachzug": family reunification */
	HF_CAT_TRANSFER_OUT,   /* "umverteilung-ab": transfer out */
	HF_CAT_TRANSFER_IN,    /* "umverteilung-zu": transfer in */
	HF_CAT_DEPARTURE,      /* "fortzug": departure */
	HF_CAT_COUNT
} hf_category;

/* German slug used on the command line and in files ("sicherer-hafen"). */
const char *hf_category_slug(hf_category c);
/* English slug ("safe-harbour"). */
const char *hf_category_slug_en(hf_category c);
/* Name for people ("Sonderaufnahme Sicherer Hafen"). */
const char *hf_category_name(hf_category c, hf_lang lang);
/* Accepts the German or English slug. HF_EINVAL if unknown. */
int hf_category_parse(const char *s, hf_category *out);
/* +1 for categories that bring people in, -1 for transfer out and
 * departure: how the category counts toward the actual figure (Ist). */
int hf_category_sign(hf_category c);

typedef struct hf_admission {
	int64_t id;                       /* assigned by the ledger */
	hf_date date;
	char unit[HF_CODE_MAX];
	int64_t persons;                  /* > 0; < 0 only when reversing */
	char household[HF_HOUSEHOLD_MAX]; /* pseudonymous id or "" */
	hf_category category;
	char programme[HF_PROGRAMME_MAX];
	char reference[HF_REFERENCE_MAX]; /* decision number, file number */
	char recorded_by[HF_USER_MAX];
	int64_t recorded_at;              /* seconds since 1970, UTC */
	int64_t corrects;                 /* id of the reversed entry or 0 */
	char note[HF_NOTE_MAX];
	/* the other half of a transfer (hf_db_transfer), or 0; filled when
	 * read, refused when appended by hand */
	int64_t pair;
} hf_admission;

/* Whether s is made of the characters of a pseudonymous household id
 * only: [A-Za-z0-9._:-], no spaces ("" passes). */
int hf_household_id_ok(const char *s);

/*
 * Checks the fields of an entry that do not need the database: persons
 * positive (or negative with corrects set), household id pseudonymous
 * ([A-Za-z0-9._:-], no spaces), category valid, date set.
 */
int hf_admission_check(const hf_admission *a, hf_error *err);

/* Which entries a listing or a sum takes. Zero-initialise, then set. */
typedef struct hf_ledger_filter {
	const char *unit;      /* this unit only, or NULL */
	const char *parent;    /* units whose parent is this, or NULL */
	int category;          /* an hf_category, or -1 for any */
	const char *programme; /* or NULL */
	const char *household; /* or NULL */
	hf_date from;          /* first day, or HF_DATE_NONE */
	hf_date to;            /* last day, or HF_DATE_NONE */
	int64_t after_id;      /* entries with a larger id only, or 0 */
	size_t limit;          /* at most this many, or 0 for all */
} hf_ledger_filter;

/* A filter that takes everything. */
hf_ledger_filter hf_ledger_filter_all(void);

/* Grouping of hf_db_ledger_aggregate(). */
enum {
	HF_GROUP_UNIT = 1,
	HF_GROUP_CATEGORY = 2,
	HF_GROUP_YEAR = 4,
};

typedef struct hf_ledger_sum {
	char unit[HF_CODE_MAX]; /* "" when not grouped by unit */
	int category;           /* -1 when not grouped by category */
	int year;               /* 0 when not grouped by year */
	int64_t persons;        /* net, reversals included */
	int64_t entries;
} hf_ledger_sum;

#ifdef __cplusplus
}
#endif
#endif

/*
 * hafen/unit.h: units (Gebietskörperschaften), their indicators, alliance
 * memberships and contact offices.
 *
 * Units form a tree identified by official codes: ISO 3166-1 alpha-2 for
 * states ("DE"), "EU" for the Union, and the Amtlicher Gemeindeschlüssel or
 * Regionalschlüssel for German units ("01" Schleswig-Holstein, "01051"
 * Dithmarschen, "01003000" Lübeck). hf_unit_check() keeps the invariant
 * that a code fits its kind and starts with its parent's code.
 */
#ifndef HAFEN_UNIT_H
#define HAFEN_UNIT_H

#include "hafen/date.h"
#include "hafen/error.h"
#include "hafen/rat.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HF_CODE_MAX 16       /* longest code (ARS, 12 digits) plus NUL */
#define HF_NAME_MAX 128
#define HF_SOURCE_MAX 256
#define HF_INDICATOR_MAX 32
#define HF_ALLIANCE_MAX 64

typedef enum hf_unit_kind {
	HF_UNIT_UNION,            /* "union": the EU */
	HF_UNIT_STATE,            /* "staat": ISO 3166-1 alpha-2 */
	HF_UNIT_LAND,             /* "land": two digits, 01..16 */
	HF_UNIT_REGBEZ,           /* "regierungsbezirk": three digits */
	HF_UNIT_KREIS,            /* "kreis": five digits */
	HF_UNIT_KREISFREIE_STADT, /* "kreisfreie-stadt": five or eight digits */
	HF_UNIT_GEMEINDE,         /* "gemeinde": eight (AGS) or 12 (ARS) */
	HF_UNIT_KIND_COUNT
} hf_unit_kind;

typedef struct hf_unit {
	char code[HF_CODE_MAX];
	char name[HF_NAME_MAX];
	hf_unit_kind kind;
	char parent[HF_CODE_MAX]; /* "" for a root */
} hf_unit;

/* A yearly figure of a unit: population, area, tax revenue, GDP, ... */
typedef struct hf_indicator {
	char unit[HF_CODE_MAX];
	char name[HF_INDICATOR_MAX]; /* "population", "area", any name */
	hf_date ref_date;            /* Stichtag */
	hf_rat value;                /* exact: 34112.52 km² is 3411252/100 */
	char source[HF_SOURCE_MAX];
} hf_indicator;

/* Membership of a unit in an alliance such as "Sichere Häfen". */
typedef struct hf_membership {
	char unit[HF_CODE_MAX];
	char alliance[HF_ALLIANCE_MAX];
	hf_date joined;
	char source[HF_SOURCE_MAX];
} hf_membership;

/* The office that handles admission for a unit. */
typedef struct hf_contact {
	char unit[HF_CODE_MAX];
	char office[HF_NAME_MAX];
	char email[HF_NAME_MAX];
	char phone[64];
} hf_contact;

/* "land", "kreisfreie-stadt", ...; NULL for an invalid kind. */
const char *hf_unit_kind_slug(hf_unit_kind kind);
/* "Land", "kreisfreie Stadt" / "city (kreisfrei)", ... */
const char *hf_unit_kind_name(hf_unit_kind kind, hf_lang lang);
/* Accepts the slug, German or English. HF_EINVAL if unknown. */
int hf_unit_kind_parse(const char *s, hf_unit_kind *out);

/*
 * Checks a unit against its parent (NULL for a root): code well-formed for
 * its kind (length, digits, Land 01..16), the kind may sit below the
 * parent's kind, and the code starts with the parent's code where the AGS
 * says so. Fills err with the field and what is wrong.
 */
int hf_unit_check(const hf_unit *u, const hf_unit *parent, hf_error *err);

/*
 * Copies src into a fixed field of size dst_size. A string that does not fit
 * is refused with HF_ERANGE naming field (no silent truncation).
 */
int hf_field_copy(char *dst, size_t dst_size, const char *src,
		  const char *field, hf_error *err);

#ifdef __cplusplus
}
#endif
#endif

/*
 * hafen/programme.h: admission programmes (Aufnahmeprogramme) with their
 * contingents, pledges (Aufnahmezusagen) of alliance members, and
 * transfers between units (Umverteilung).
 *
 * A programme distributes a fixed contingent of persons over the children
 * of a parent unit, by a stored key or by explicit shares, for a period.
 * Invariant kept by the ledger: the admissions recorded under a programme
 * (entries naming it, net of reversals) never exceed its contingent, nor a
 * unit's share of it in whole persons (Hare-Niemeyer), unless the caller
 * gives an explicit override, which is logged with who, when and why.
 *
 *     hf_programme p;
 *     hf_programme_init(&p);
 *     strcpy(p.name, "bap-afg-2023"); ... p.contingent = 1000;
 *     strcpy(p.key, "koenigstein-2017");
 *     hf_db_programme_add(db, &p, &err);
 *
 *     hf_programme_fulfilment *f;
 *     if (hf_db_programme_fulfilment(db, "bap-afg-2023", &f, &err) == 0) {
 *             ... f->rows[i].quota_rounded, f->rows[i].admitted ...
 *             hf_programme_fulfilment_free(f);
 *     }
 *
 * A pledge is a number of places a unit offers for a programme (or for any
 * programme) in a period. Special admissions (category sicherer-hafen)
 * consume pledges; hf_db_pledge_report says how many places are used and
 * open and what the used ones mean for the unit's quota.
 */
#ifndef HAFEN_PROGRAMME_H
#define HAFEN_PROGRAMME_H

#include <stddef.h>
#include <stdint.h>

#include "hafen/db.h"
#include "hafen/key.h"
#include "hafen/ledger.h"
#include "hafen/rat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- programmes ----------------------------------------------------- */

typedef enum hf_programme_kind {
	HF_PROG_BUND,		/* "bund": federal programme */
	HF_PROG_LAND,		/* "land": Land programme */
	HF_PROG_RESETTLEMENT,	/* "resettlement" */
	HF_PROG_SICHERER_HAFEN, /* "sicherer-hafen": alliance programme */
	HF_PROG_KIND_COUNT
} hf_programme_kind;

/* "bund", "land", "resettlement", "sicherer-hafen"; NULL if invalid. */
const char *hf_programme_kind_slug(hf_programme_kind k);
/* "federal", "land", "resettlement", "safe-harbour". */
const char *hf_programme_kind_slug_en(hf_programme_kind k);
/* Accepts the German or English slug. HF_EINVAL if unknown. */
int hf_programme_kind_parse(const char *s, hf_programme_kind *out);
/* The category a programme of this kind usually credits its admissions
 * under (bund: bundesprogramm, ...). */
hf_category hf_programme_kind_category(hf_programme_kind k);

typedef struct hf_programme {
	char name[HF_PROGRAMME_MAX]; /* unique; entries name it */
	char title[HF_NAME_MAX];
	hf_programme_kind kind;
	char parent[HF_CODE_MAX]; /* its contingent goes to parent's children */
	hf_period period;	  /* both ends set */
	int64_t contingent;	  /* persons, >= 0 */
	char key[HF_KEY_NAME_MAX]; /* the key of its shares, or "" */
	hf_category category;	   /* the category its admissions carry */
	char source[HF_SOURCE_MAX];
	/* explicit shares when key is "": one per child of parent, summing
	 * to exactly 1, sorted by code; owned by the programme */
	size_t nshares;
	hf_key_share *shares;
} hf_programme;

/* An empty programme (no key, no shares). */
void hf_programme_init(hf_programme *p);
/* Frees the shares; p can be reused after hf_programme_init(). */
void hf_programme_clear(hf_programme *p);

/*
 * Checks and adds a programme: name not taken (HF_EEXIST), kind and
 * category valid (no transfer or departure category), parent exists, the
 * period has both ends and does not end before it starts, contingent not
 * negative, and either a key (which must exist and belong to parent:
 * HF_ENOTFOUND names it) or explicit shares (checked like a key's,
 * hf_key_check: HF_ESUM if they do not sum to 100 %), not both. Sorts
 * p->shares. Writes nothing on error.
 */
int hf_db_programme_add(hf_db *db, hf_programme *p, hf_error *err);
/* With its explicit shares (none when it has a key). The caller frees
 * them with hf_programme_clear(). HF_ENOTFOUND names the programme. */
int hf_db_programme_get(hf_db *db, const char *name, hf_programme *out,
			hf_error *err);
/* All programmes without shares, by name. The caller frees *out with
 * free(). */
int hf_db_programme_list(hf_db *db, hf_programme **out, size_t *n,
			 hf_error *err);

typedef struct hf_programme_row {
	char unit[HF_CODE_MAX]; /* a child of the programme's parent */
	hf_rat share;
	hf_rat quota;	       /* share × contingent, exact */
	int64_t quota_rounded; /* Hare-Niemeyer; the rows sum to contingent */
	int64_t admitted;      /* net persons of entries naming the programme
				* in its period, at the unit or below it */
	int64_t open;	       /* quota_rounded - admitted (< 0: over, by
				* override) */
} hf_programme_row;

typedef struct hf_programme_fulfilment {
	hf_programme programme; /* with the shares used, key or explicit */
	size_t n;
	hf_programme_row *rows; /* by unit code */
	int64_t admitted;	/* sum of the rows' admitted */
	int64_t open;		/* contingent - admitted */
	int64_t overrides;	/* entries admitted beyond by override */
} hf_programme_fulfilment;

/*
 * Contingent share, admitted and open places of each child unit of a
 * programme. Admissions recorded at a unit below a child (a Gemeinde of a
 * Kreis, a Kreis of a Land) count for that child. The caller frees *out
 * with hf_programme_fulfilment_free().
 */
int hf_db_programme_fulfilment(hf_db *db, const char *name,
			       hf_programme_fulfilment **out, hf_error *err);
void hf_programme_fulfilment_free(hf_programme_fulfilment *f);

/* ---- admitting beyond a contingent ---------------------------------- */

/*
 * hf_db_ledger_append() refuses (HF_ECONFLICT, naming the entry, the
 * contingent or share and how far beyond) an entry naming a programme
 * that would take the programme's admissions beyond its contingent or the
 * unit's rounded share. It also refuses such an entry outside the
 * programme's period, under another category, or at a unit outside the
 * programme's parent (HF_EINVAL). This call appends the same way but
 * admits entries beyond the contingent, and logs one override per such
 * entry with reason (required), user and at. *override_count (may be
 * NULL) receives the number of entries that needed the override: 0 means
 * none did and nothing was logged. All or nothing, like the append.
 */
int hf_db_ledger_append_override(hf_db *db, hf_admission *entries, size_t n,
				 const char *reason, const char *user,
				 int64_t at, size_t *override_count,
				 hf_error *err);

typedef struct hf_override {
	int64_t id;
	int64_t entry; /* the ledger entry admitted */
	char programme[HF_PROGRAMME_MAX];
	char unit[HF_CODE_MAX]; /* of the entry */
	int64_t persons;	/* of the entry */
	int64_t beyond;		/* persons beyond contingent or
				 * share when it was recorded */
	char reason[HF_NOTE_MAX];
	char recorded_by[HF_USER_MAX];
	int64_t recorded_at;
} hf_override;

/* Logged overrides of a programme (NULL: all), by id. The caller frees
 * *out with free(). */
int hf_db_override_list(hf_db *db, const char *programme, hf_override **out,
			size_t *n, hf_error *err);

/* ---- pledges -------------------------------------------------------- */

typedef enum hf_pledge_status {
	HF_PLEDGE_PENDING,   /* "vorgemerkt" / "pending" (alias "offen"):
			      * announced, not yet binding */
	HF_PLEDGE_PLEDGED,   /* "zugesagt" / "pledged": binding */
	HF_PLEDGE_WITHDRAWN, /* "zurueckgezogen" / "withdrawn" */
	HF_PLEDGE_STATUS_COUNT
} hf_pledge_status;

const char *hf_pledge_status_slug(hf_pledge_status s);
const char *hf_pledge_status_slug_en(hf_pledge_status s);
/* Accepts the German or English slug, "offen" and "open". */
int hf_pledge_status_parse(const char *s, hf_pledge_status *out);

typedef struct hf_pledge {
	int64_t id; /* assigned when added */
	char unit[HF_CODE_MAX];
	char programme[HF_PROGRAMME_MAX]; /* a programme's name, "" for any */
	int64_t places;			  /* > 0 */
	hf_period period;
	hf_pledge_status status;
	char note[HF_NOTE_MAX];
	char recorded_by[HF_USER_MAX];
	int64_t recorded_at;
} hf_pledge;

/* Checks (unit exists, programme exists unless "", places positive,
 * period with both ends and not ending before it starts) and adds a
 * pledge, filling p->id. */
int hf_db_pledge_add(hf_db *db, hf_pledge *p, hf_error *err);
/* Pledges of a unit (NULL: all), by id. The caller frees *out with
 * free(). */
int hf_db_pledge_list(hf_db *db, const char *unit, hf_pledge **out, size_t *n,
		      hf_error *err);
int hf_db_pledge_set_status(hf_db *db, int64_t id, hf_pledge_status s,
			    hf_error *err);

typedef struct hf_pledge_row {
	hf_pledge pledge;
	int64_t used; /* sicherer-hafen persons this pledge took */
	int64_t open; /* places - used */
	/* the key of the unit's parent valid for the pledge's period, or ""
	 * if there is none; then credit and credited mean nothing */
	char key[HF_KEY_NAME_MAX];
	hf_rat credit;	 /* weight of a sicherer-hafen person under key */
	hf_rat credited; /* used × credit: persons toward the unit's quota */
} hf_pledge_row;

typedef struct hf_pledge_unit {
	char unit[HF_CODE_MAX];
	int64_t pledged, used, open;
	/* sicherer-hafen persons of the unit no pledge covers */
	int64_t unpledged;
	hf_rat credited; /* sum of the rows' credited (keys known only) */
	int uncredited;	 /* rows without a key */
} hf_pledge_unit;

typedef struct hf_pledge_report {
	size_t n;
	hf_pledge_row *rows; /* binding pledges, by unit, then id */
	size_t nunits;
	hf_pledge_unit *units; /* by code */
} hf_pledge_report;

/*
 * The binding pledges (status zugesagt) of unit (NULL: of every unit) and
 * what consumed them. Special admissions (sicherer-hafen, ordinary
 * entries not reversed) are taken in date order, then id order; each
 * person goes to the first pledge of the unit with places left whose
 * period holds the entry's date, pledges for the entry's programme before
 * pledges for any programme, each group in id order. What no pledge takes
 * is unpledged. The caller frees *out with hf_pledge_report_free().
 */
int hf_db_pledge_report(hf_db *db, const char *unit, hf_pledge_report **out,
			hf_error *err);
void hf_pledge_report_free(hf_pledge_report *r);

/* ---- transfers ------------------------------------------------------ */

/*
 * Transfers persons from one unit to another (Umverteilung): appends an
 * umverteilung-ab entry at from and an umverteilung-zu entry at to, the
 * second naming the first in `pair` (and hf_db_ledger_get/list fill pair
 * of both), in one transaction: all or nothing. from and to must exist
 * and differ, persons > 0. *out_id and *in_id (may be NULL) receive the
 * ids.
 */
int hf_db_transfer(hf_db *db, const char *from, const char *to, int64_t persons,
		   hf_date date, const char *household, const char *reference,
		   const char *user, int64_t at, int64_t *out_id,
		   int64_t *in_id, hf_error *err);

#ifdef __cplusplus
}
#endif
#endif

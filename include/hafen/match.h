/*
 * hafen/match.h: matching a batch of households to units, optimally (with
 * a proven bound), stably (deferred acceptance) or by quota deficit.
 * Pure computation: no storage; the caller builds the instance from
 * whatever it read, or has hf_match_input_read build it from the CSV and
 * .npy files of docs/matching.md (the command and the server do).
 *
 * The problem. Household i has p_i persons and uses use_i[d] of every
 * capacity dimension d of a unit (dimension 0 is persons: use_i[0] = p_i;
 * others are named, e.g. "school", "flats"). Unit j has capacity cap_j[d]
 * and a corridor [min_j, max_j] in persons for this batch. A household may
 * only go to a unit offering every service it needs. score(i, j) is how
 * good unit j is for household i (higher is better).
 *
 *   maximise   sum of score(i, unit(i)) − penalty × (unassigned households)
 *   subject to every household in exactly one unit, whole (or unassigned
 *              where allow_unassigned), needs ⊆ services,
 *              sum of use_i[d] over the unit's households <= cap_j[d],
 *              min_j <= persons of the unit's households <= max_j.
 *
 * HF_MATCH_OPTIMAL solves the linear relaxation by an auction with
 * epsilon-scaling over persons (a household of p persons is p bidders
 * sharing one score row; units are sinks with a price per person),
 * prices the other dimensions by Lagrange multipliers, makes the result
 * integral by repairing the few households that came out split or
 * violating, and proves an upper bound: the Lagrangian value of the final
 * prices, which bounds the linear relaxation and so the optimum. gap =
 * (bound − objective) / |bound| is therefore true, never estimated. When
 * every household is one person, persons are the only dimension and every
 * score is a whole number, the problem is a transportation problem and the
 * result is exactly optimal (bound == objective): scores are scaled by
 * the number of bidders + 1 and the last phase runs at epsilon 1.
 * Deterministic: bidders are served first in, first out from index order;
 * among equal values the unit of lower index wins.
 *
 * HF_MATCH_STABLE: deferred acceptance, households proposing in their
 * preference order (preferences, then the other admissible units by score,
 * higher first, then lower index). A unit holds, among those proposing
 * and held, the highest-priority households that fit in every dimension,
 * taken in priority order, skipping one that does not fit (Delacrétaz,
 * Kominers and Teytelboym). Priority: the unit's list, then households
 * with a tie to the unit, then score (higher first), then index. The
 * corridor minimum is not a constraint in this mode. Blocking pairs (a
 * household preferring a unit that would take it after only the holders
 * of higher priority) are counted in the result; with one-person
 * households and one dimension there are none (Gale and Shapley).
 *
 * HF_MATCH_ALLOCATE: the quota-deficit rule of allocate.h in household
 * order (shares from hf_match_unit.share, credited 0), a unit skipped
 * when it lacks a service or room in any dimension or its max.
 *
 *     hf_match_instance in = {...};
 *     hf_match_result *res;
 *     hf_match_options o;
 *     hf_match_options_init(&o);
 *     if (hf_match_solve(&in, HF_MATCH_OPTIMAL, &o, &res, &err) < 0)
 *             fprintf(stderr, "%s\n", err.message); // e.g. infeasible:
 *             // "12 Haushalte brauchen dialysis; Einheiten mit diesem
 *             //  Angebot haben Platz für 9 Personen."
 *     for (i = 0; i < in.n; i++)
 *             res->unit[i]; // index or -1
 *     hf_match_result_free(res);
 */
#ifndef HAFEN_MATCH_H
#define HAFEN_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "hafen/error.h"
#include "hafen/rat.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hf_match_mode {
	HF_MATCH_OPTIMAL,
	HF_MATCH_STABLE,
	HF_MATCH_ALLOCATE,
	HF_MATCH_MODE_COUNT
} hf_match_mode;

/* "optimal", "stable", "allocate"; parse returns HF_EINVAL otherwise. */
const char *hf_match_mode_slug(hf_match_mode m);
int hf_match_mode_parse(const char *s, hf_match_mode *out);

typedef struct hf_match_household {
	const char *id;	       /* for messages and reasons */
	int64_t persons;       /* >= 1 */
	const int64_t *use;    /* [ndims]; use[0] must equal persons */
	const uint32_t *needs; /* service indices, each < nservices */
	size_t nneeds;
	const uint32_t *ties; /* unit indices with family or community */
	size_t nties;
	const uint32_t *prefs; /* unit indices, best first (stable mode) */
	size_t nprefs;
} hf_match_household;

typedef struct hf_match_unit {
	const char *code;
	const int64_t *cap;	  /* [ndims]; cap[0] is persons */
	int64_t min, max;	  /* corridor in persons; 0 <= min <= max */
	const uint32_t *services; /* service indices */
	size_t nservices;
	const uint32_t *priority; /* household indices, highest first, or
				   * NULL (stable mode) */
	size_t npriority;
	hf_rat share; /* allocate mode; 0 everywhere: by max */
} hf_match_unit;

typedef enum hf_match_stype { HF_MATCH_F32, HF_MATCH_F64 } hf_match_stype;

/* score(i, j) = data[i * row + j * col] of type stype: row = m, col = 1
 * for a C-order matrix, row = 1, col = n for Fortran order. */
typedef struct hf_match_scores {
	hf_match_stype stype;
	const void *data;
	size_t row, col;
} hf_match_scores;

static inline double hf_match_score(const hf_match_scores *s, size_t i,
				    size_t j)
{
	size_t k = i * s->row + j * s->col;
	return s->stype == HF_MATCH_F32 ? (double)((const float *)s->data)[k]
					: ((const double *)s->data)[k];
}

typedef struct hf_match_instance {
	size_t n, m, ndims;
	const char *const *dim_names; /* [ndims]; [0] "capacity" */
	size_t nservices;
	const char *const *service_names; /* [nservices] */
	const hf_match_household *hh;	  /* [n] */
	const hf_match_unit *units;	  /* [m] */
	hf_match_scores scores;
	int allow_unassigned; /* else every household placed */
	double penalty;	      /* per unassigned household, >= 0 */
} hf_match_instance;

typedef struct hf_match_options {
	double gap_target; /* relative; optimal mode stops refining below it
			    * (default 1e-4, i.e. 0.01 %) */
	int max_rounds;	   /* Lagrangian rounds for named dimensions (60; fewer
			    * when they stop making progress) */
} hf_match_options;

void hf_match_options_init(hf_match_options *o);

/* Why a household is where it is (see hf_match_reason_text). */
typedef enum hf_match_why {
	HF_MATCH_WHY_BEST,	 /* its best admissible unit */
	HF_MATCH_WHY_TIE,	 /* a unit where it has ties, and the best */
	HF_MATCH_WHY_PRICE,	 /* a better unit was priced out */
	HF_MATCH_WHY_REPAIR,	 /* placed by the repair of split households */
	HF_MATCH_WHY_PREFERENCE, /* stable: its k-th choice */
	HF_MATCH_WHY_DEFICIT,	 /* allocate: largest deficit */
	HF_MATCH_WHY_NONE,	 /* unassigned */
	HF_MATCH_WHY_SEARCH	 /* placed by the exhaustive search */
} hf_match_why;

typedef struct hf_match_result {
	hf_match_mode mode;
	size_t n, m, ndims;
	int64_t *unit;	   /* [n] unit index or -1 */
	double *score;	   /* [n] score at that unit (or -penalty) */
	hf_match_why *why; /* [n] */
	int32_t *best;	   /* [n] best admissible unit by score, or -1 */
	int32_t *rank;	   /* [n] stable: 1-based choice, else 0 */
	double objective;  /* sum of scores − penalties */
	double bound;	   /* optimal: proven upper bound; else NAN */
	double gap;	   /* (bound − objective) / |bound|; else NAN */
	int exact;	   /* optimum proven: the transportation case, or a
			    * small instance searched exhaustively */
	size_t assigned, unassigned, split; /* split: fractional in the LP */
	int64_t *load;	     /* [m × ndims] used per unit and dimension */
	double *price;	     /* [m × ndims] per unit of dimension (optimal) */
	double *floor_price; /* [m] subsidy per person of a corridor min */
	size_t blocking;     /* stable: blocking pairs found */
	size_t bids, phases, rounds;
	double seconds;
} hf_match_result;

/*
 * Checks the instance and what can be seen to make it infeasible before
 * solving: capacities and corridor, a service no unit offers, the persons
 * needing a service against the room of the units offering it, minima
 * that the households admissible at a unit cannot reach, total capacity
 * against total persons. HF_EINVAL for a malformed instance,
 * HF_EINFEASIBLE with the constraint in words; err->where names the
 * household or unit.
 */
int hf_match_check(const hf_match_instance *in, hf_error *err);

/*
 * Solves in mode. On success *out holds the result, which the caller frees
 * with hf_match_result_free(). HF_EINFEASIBLE when the constraints cannot
 * be met (said in words); HF_ENOMEM; HF_EINVAL for a malformed instance.
 * Scores must be finite.
 */
int hf_match_solve(const hf_match_instance *in, hf_match_mode mode,
		   const hf_match_options *o, hf_match_result **out,
		   hf_error *err);
void hf_match_result_free(hf_match_result *r);

/* The household's reason in words, e.g. "Bindung an 01002000; bester
 * Wert 12,0" or "01003000 (Wert 14,0) voll: Preis 3,1 je Person";
 * written to buf, cut to size. */
void hf_match_reason(const hf_match_instance *in, const hf_match_result *r,
		     size_t i, hf_lang lang, char *buf, size_t size);

/* Whether the result meets every constraint of the instance (needs,
 * capacities, max, wholeness; with strict also the corridor minimum and,
 * unless allow_unassigned, that every household is placed); HF_EINVAL
 * naming the first violation otherwise. Used by the tests and after every
 * solve (strict in optimal mode). */
int hf_match_verify(const hf_match_instance *in, const hf_match_result *r,
		    int strict, hf_error *err);

/* Built-in transparent scores (when no model supplies a matrix). */
typedef struct hf_match_weights {
	double tie; /* family or community in the unit */
	double
	    preference; /* first choice; k-th choice gets w × (1 − (k−1)/K) */
	double language;   /* a language community of the household's */
	double occupation; /* demand for one of its occupations */
} hf_match_weights;

void hf_match_weights_default(hf_match_weights *w);

/* Per household its languages and occupations, per unit its language
 * communities and occupations in demand, as indices into one name table
 * each; the caller builds them. */
typedef struct hf_match_traits {
	const uint32_t *const *hh_lang;
	const size_t *hh_nlang;
	const uint32_t *const *hh_occ;
	const size_t *hh_nocc;
	const uint32_t *const *unit_lang;
	const size_t *unit_nlang;
	const uint32_t *const *unit_occ;
	const size_t *unit_nocc;
} hf_match_traits;

/* Fills out[n × m] (C order) with built-in scores: the sum of the weights
 * of the criteria a pair meets. traits may be NULL (ties and preferences
 * only). HF_ENOMEM. */
int hf_match_scores_builtin(const hf_match_instance *in,
			    const hf_match_traits *traits,
			    const hf_match_weights *w, double *out,
			    hf_error *err);

/* ---- the input files (match_read.c) ------------------------------------ */

struct hf_csv;
struct hf_npy;

typedef struct hf_match_names {
	char **v;
	size_t n, cap;
} hf_match_names;

/*
 * A match instance read from the files of docs/matching.md: households
 * (CSV: id, persons; optional ages, needs, ties, preferences, languages,
 * occupations, use:NAME), units (CSV: code, capacity; optional min, max,
 * services, languages, demand, priorities, share, cap:NAME) and optional
 * scores (.npy, float32/float64, households × units). mi->in is the
 * instance; it points into mi, which owns everything (free with
 * hf_match_input_free). The other members are the reader's.
 */
typedef struct hf_match_input {
	struct hf_csv *hcsv, *ucsv;
	struct hf_npy *npy;
	hf_match_instance in;
	hf_match_household *hh;
	hf_match_unit *units;
	hf_match_names dims, services, langs, occs;
	int64_t *use, *cap; /* n × ndims, m × ndims */
	uint32_t *pool;	    /* every index list */
	size_t npool, cappool;
	size_t *hoff, *uoff; /* per household / unit: offsets of its lists */
	size_t *hlen, *ulen;
	const uint32_t **tptr; /* trait lists: n, n, m, m pointers */
	double *builtin;       /* n × m when no matrix is given */
	hf_match_traits traits;
} hf_match_input;

/* Reads both CSV files and the matrix (sfile may be NULL); the first
 * problem in err with file:line:column (HF_EINVAL), or HF_EIO/HF_ENOMEM.
 * *mi is to be freed in any case. */
int hf_match_input_read(const char *hfile, const char *ufile,
			const char *sfile, hf_match_input *mi, hf_error *err);
/* The same over bytes in memory (not copied: htext, utext and scores must
 * outlive *mi); the names stand for the files in messages; scores may be
 * NULL. */
int hf_match_input_read_mem(const char *hname, const char *htext,
			    size_t hlen, const char *uname, const char *utext,
			    size_t ulen, const char *sname, const void *scores,
			    size_t slen, hf_match_input *mi, hf_error *err);
/* Fills mi->builtin with built-in scores and points the instance at
 * them. HF_ENOMEM. */
int hf_match_input_builtin(hf_match_input *mi, const hf_match_weights *w,
			   hf_error *err);
void hf_match_input_free(hf_match_input *mi);

#ifdef __cplusplus
}
#endif
#endif

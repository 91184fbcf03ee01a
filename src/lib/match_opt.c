/*
 * match_opt.c: optimal mode: the auction of match_auction.c over the
 * relaxation, the Lagrangian bound at its prices, Lagrange rounds for the
 * named dimensions, and the repair of match_repair.c. With whole scores
 * scaled by bidders + 1 and a last epsilon of 1 the transportation case is
 * exact: the objective is within bidders × epsilon of the bound, less than
 * one unscaled unit.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_auction_int.h"

/* ---- the Lagrangian bound -------------------------------------------- */

/*
 * L(w, lam) = sum over households of the best of (score − p × w_j − lam
 * terms) over admissible units (and −penalty where unassigned is allowed)
 * + sum over units of (max(w_j, 0) × upper_j − max(−w_j, 0) × min_j)
 * + sum of lam_jd × cap_jd. An upper bound of the optimum for any w and
 * any lam >= 0: each relaxed constraint is weighted by a multiplier of
 * the right sign.
 */
static int large(const hf_match_instance *in);

typedef struct bound_pass {
	const double *wv; /* unit prices per person, +inf where no room */
	double ts; /* what w is relative to: w = (uprice − ts) / scale */
	int lists; /* a household's best from its list where it decides */
	long double sum[2];
} bound_pass;

int hf__match_bound_lists = 1, hf__match_check_bound;
size_t hf__match_bound_checked, hf__match_bound_wrong;

/*
 * The sum of the best values of the first or second half of the
 * households (part 0, 1). Where a household's candidate list decides its
 * best unit at the auction's prices (b->lists), that unit's value is the
 * best at w as well: w is the auction's prices per person less a constant
 * (ts), the same for every unit, so the best value is p / scale × (the
 * list's best + ts). The rows of the others are read. On the national
 * instance (90:108) a round's bound took 0.001-0.010 s instead of
 * 0.04-0.08 s (traced, 2026-12-07; the same bounds to the printed
 * digits, the same bids and rounds).
 */
static void best_sum(auc *A, size_t part, double *tmp, void *arg)
{
	bound_pass *b = arg;
	const hf_match_instance *in = A->in;
	long double sum = 0;
	double *t = tmp, *pw = tmp + A->m, pp = 0;
	size_t i, j, m = A->m, half = A->n / 2;

	for (i = part ? half : 0; i < (part ? A->n : half); i++) {
		double p = (double)in->hh[i].persons, best, lb;
		int listed = b->lists && hf__auc_list_best(A, i, &lb);
		if (b->lists && i + 8 < A->n)
			__builtin_prefetch(&A->cl[i + 8]);
		if (listed)
			best = p * (lb + b->ts) / A->scale;
		if (!listed || hf__match_check_bound) {
			double row;
			if (p != pp) {
				for (j = 0; j < m; j++)
					pw[j] = p * b->wv[j];
				pp = p;
			}
			hf__auc_row(A, i, 1, pw, t);
			row = hf__auc_vmax(A, t, m);
			if (listed) {
				__atomic_add_fetch(&hf__match_bound_checked, 1,
						   __ATOMIC_RELAXED);
				if (fabs(best - row) >
				    1e-9 * fmax(1, fabs(row)))
					__atomic_add_fetch(
					    &hf__match_bound_wrong, 1,
					    __ATOMIC_RELAXED);
			}
			best = row;
		}
		if (in->allow_unassigned && -in->penalty > best)
			best = -in->penalty;
		sum += best;
	}
	b->sum[part] = sum;
}

static double lagrange(auc *A, const double *w, double ts, const int64_t *upper)
{
	const hf_match_instance *in = A->in;
	long double sum;
	/* past the caller's part of the scratch (two rows) */
	double *wv = A->tmp + 2 * A->m;
	bound_pass b = {wv, ts, 0, {0, 0}};
	size_t j, d, m = A->m;

	/* a unit without room is out: an infinite price per person */
	for (j = 0; j < m; j++)
		wv[j] = upper[j] ? w[j] : INFINITY;
	b.lists = !A->whole && (hf__match_bound_lists == 2 ||
				(hf__match_bound_lists == 1 && large(in)));
	hf__auc_crew_run(A, best_sum, &b);
	sum = b.sum[0] + b.sum[1];
	for (j = 0; j < A->m; j++) {
		if (!upper[j])
			continue;
		if (w[j] > 0)
			sum += (long double)w[j] * (long double)upper[j];
		else
			sum +=
			    (long double)w[j] * (long double)in->units[j].min;
		for (d = 1; A->lam && d < in->ndims; d++)
			sum += (long double)A->lam[j * in->ndims + d] *
			       (long double)in->units[j].cap[d];
	}
	return (double)sum;
}

/* The bound at the auction's prices: per-person unit prices relative to
 * the level t of what free slots cost (the dummies' best), and relative to
 * the price of staying unassigned; the smaller value. */
static double bound_now(auc *A, double *w, const int64_t *upper)
{
	double ts[2], best = INFINITY;
	size_t c, j, k, bc = 0;
	int nt = 0;

	ts[0] = INFINITY;
	for (k = 1; k < 2 * A->m; k += 2)
		ts[0] = fmin(ts[0], A->top[k]);
	ts[0] = fmin(ts[0], A->top[2 * A->m]);
	if (ts[0] != INFINITY)
		nt++;
	else
		ts[0] = 0, nt++;
	if (A->top[2 * A->m] != INFINITY && A->top[2 * A->m] != ts[0])
		ts[nt++] = A->top[2 * A->m];
	for (c = 0; c < (size_t)nt; c++) {
		double l;
		for (j = 0; j < A->m; j++)
			w[j] = A->uprice[j] == INFINITY
				   ? 0
				   : (A->uprice[j] - ts[c]) / A->scale;
		l = lagrange(A, w, ts[c], upper);
		if (l < best) {
			best = l;
			bc = c;
		}
	}
	/* leave w at the better candidate */
	for (j = 0; bc + 1 != (size_t)nt && j < A->m; j++)
		w[j] = A->uprice[j] == INFINITY
			   ? 0
			   : (A->uprice[j] - ts[bc]) / A->scale;
	return best;
}

/* ---- the solver ------------------------------------------------------- */

static void auc_free(auc *A)
{
	size_t k;
	if (A->s)
		for (k = 0; k < A->nk; k++)
			free(A->s[k].h);
	free(A->s);
	free(A->top);
	free(A->uprice);
	free(A->left);
	free(A->q);
	free(A->inq);
	free(A->tmp);
	free(A->seen);
	free(A->cl);
	free(A->lamc);
	free(A->lamt);
	free(A->cls);
	free(A->crep);
}

typedef struct row_max {
	const hf_match_instance *in;
	double *b;
} row_max;

/* The largest |score| of each household's row. */
static void row_maxima(void *arg, size_t part, size_t from, size_t to)
{
	const row_max *p = arg;
	const hf_match_instance *in = p->in;
	size_t i, j;
	(void)part;
	for (i = from; i < to; i++) {
		double b = 0;
		if (in->scores.col == 1 && in->scores.stype == HF_MATCH_F32) {
			/* a float row in a loop the compiler vectorises
			 * (fmax is a call) */
			const float *sr =
			    (const float *)in->scores.data + i * in->scores.row;
			float fb = 0;
			for (j = 0; j < in->m; j++) {
				float x = fabsf(sr[j]);
				fb = x > fb ? x : fb;
			}
			b = (double)fb;
		} else {
			for (j = 0; j < in->m; j++) {
				double x =
				    fabs(hf_match_score(&in->scores, i, j));
				b = x > b ? x : b;
			}
		}
		p->b[i] = b;
	}
}

static int setup(auc *A, const hf_match_instance *in, const hf__match_allow *a,
		 double gap, int64_t *upper, int *exact)
{
	long long persons = 0, slots = 0, summin = 0;
	double rng = fabs(in->penalty), sum = 0;
	int whole = in->ndims == 1 && fmod(in->penalty, 1) == 0;
	size_t i, j, k;
	row_max rm = {in, malloc((in->n + 1) * sizeof *rm.b)};

	memset(A, 0, sizeof *A);
	A->in = in;
	A->a = a;
	A->n = in->n;
	A->m = in->m;
	A->nk = 2 * in->m + 1;
	if (!rm.b)
		return HF_ENOMEM;
	/* a pass over the scores, on two threads where large (national:
	 * 0.028 s instead of 0.038-0.042 s; traced, three runs each),
	 * summed in order below, as before */
	hf__match_halves(in->n, in->m, row_maxima, &rm);
	for (i = 0; i < in->n; i++) {
		double b = rm.b[i];
		persons += in->hh[i].persons;
		if (in->hh[i].persons != 1)
			whole = 0;
		for (j = 0; whole && j < in->m; j++) {
			double v = hf_match_score(&in->scores, i, j);
			if (v != floor(v) || fabs(v) > 1e9)
				whole = 0;
		}
		rng = rng > b ? rng : b;
		sum += b;
	}
	free(rm.b);
	A->s = calloc(A->nk, sizeof *A->s);
	A->top = malloc(A->nk * sizeof *A->top);
	A->uprice = malloc((A->m + 1) * sizeof *A->uprice);
	A->left = calloc(A->n + 1, sizeof *A->left);
	A->q = malloc((A->n + 1) * sizeof *A->q);
	A->inq = calloc(A->n + 1, 1);
	A->tmp = malloc((3 * A->m + 1) * sizeof *A->tmp);
	A->seen = malloc((A->n + 1) * sizeof *A->seen);
	/* a list a cache line (64 bytes with HF_AUC_K 4) */
	A->cl = aligned_alloc(64, ((A->n + 1) * sizeof *A->cl + 63) / 64 * 64);
	if (A->cl)
		memset(A->cl, 0, (A->n + 1) * sizeof *A->cl);
	A->epoch = 1; /* no list is valid yet (ep 0) */
	if (in->ndims > 1 &&
	    (!(A->lamc = calloc(A->m * in->ndims, sizeof *A->lamc)) ||
	     !(A->lamt = calloc(A->m * in->ndims, sizeof *A->lamt))))
		return HF_ENOMEM;
	if (!A->s || !A->top || !A->uprice || !A->left || !A->q || !A->inq ||
	    !A->tmp || !A->seen || !A->cl)
		return HF_ENOMEM;
	for (j = 0; j < in->m; j++) {
		const hf_match_unit *u = &in->units[j];
		upper[j] = hf__match_upper(u);
		if (upper[j] > persons)
			upper[j] = persons; /* implied: no more persons exist */
		A->s[2 * j].size = u->min;
		A->s[2 * j + 1].size = upper[j] - u->min;
		slots += upper[j];
		summin += u->min;
	}
	if (in->allow_unassigned)
		A->s[2 * A->m].size = persons - summin;
	slots += A->s[2 * A->m].size;
	A->dummies = slots - persons;
	if (A->dummies < 0)
		return HF_EINFEASIBLE;
	for (k = 0; k < A->nk; k++)
		if (A->s[k].size > 0 &&
		    hf__auc_push(&A->s[k], (ent){0, -1, A->s[k].size}) < 0)
			return HF_ENOMEM;
	for (k = 0; k < A->nk; k++)
		hf__auc_retop(A, k);
	A->range = rng > 0 ? rng : 1;
	A->typical = in->n && sum > 0 ? sum / (double)in->n : A->range;
	*exact = whole && (double)(persons + A->dummies + 1) * A->range < 1e15;
	A->scale = *exact ? (double)(persons + A->dummies + 1) : 1;
	A->whole = *exact;
	A->avx2 = hf__auc_avx2();
	A->range *= A->scale;
	A->pen = in->penalty * A->scale;
	/* the last epsilon: 1 on scaled whole scores (exact); else a first
	 * guess at which bidders × epsilon, the most the relaxation can
	 * miss, is four times the gap target against the sum of the
	 * households' best scores: in practice it misses far less, and
	 * hf__match_optimal refines while the proven gap is too large */
	A->eps = *exact
		     ? 1
		     : fmax(A->range * 1e-12,
			    4 * gap * sum / (double)(persons + A->dummies + 1));
	A->limit = 4 * (2 * A->range + A->range) *
		       ((double)(persons + A->dummies) + 2) +
		   1;
	return HF_OK;
}

/* The phases of a round, from eps0 down to eps_final by equal factors of
 * at most 6: as few phases as that allows, and no last one that lowers
 * epsilon by a hair (a phase costs about as many bids whatever its
 * factor). Whole scores go down by 6 and stay whole. */
static int run_scaled(auc *A, double eps0, double eps_final)
{
	double f = 6;
	int rc;
	hf__auc_relist(A); /* the lists to the round's Lagrange prices */
	A->eps = A->whole ? fmax(1, floor(eps0)) : eps0;
	if (!A->whole && A->eps > eps_final)
		f = pow(A->eps / eps_final,
			1 / ceil(log(A->eps / eps_final) / log(6) - 1e-9));
	for (;;) {
		if ((rc = hf__auc_phase(A)) < 0)
			return rc;
		A->phases++;
		if (A->eps <= eps_final * (1 + 1e-9))
			return HF_OK;
		A->eps = fmax(A->eps / f, eps_final);
		if (A->whole)
			A->eps = floor(A->eps); /* whole prices stay exact */
	}
}

static int infeasible(const hf_match_instance *in, hf_error *err)
{
	return hf_error_set(err, HF_EINFEASIBLE, "",
			    "Die Bedarfe, Kapazitäten und Korridore lassen "
			    "sich nicht zugleich erfüllen: die Haushalte "
			    "passen nicht gemeinsam in die Einheiten, die sie "
			    "aufnehmen dürfen, oder die Mindestaufnahmen "
			    "dieser Einheiten lassen sich so nicht "
			    "erreichen.",
			    "the needs, capacities and corridors cannot be "
			    "met together: the households do not fit together "
			    "into the units they may go to, or those units' "
			    "minimum intakes cannot be reached that way.");
}

/* replaces the repair's message, which proves nothing */
static int infeasible_proven(const hf_match_instance *in, hf_error *err)
{
	return hf_error_set(err, HF_EINFEASIBLE, "",
			    "Die Bedarfe, Kapazitäten und Korridore lassen "
			    "sich nicht zugleich erfüllen: die vollständige "
			    "Suche über alle Zuteilungen der %zu Haushalte "
			    "findet keine, die sie alle einhält.",
			    "the needs, capacities and corridors cannot be "
			    "met together: the exhaustive search over every "
			    "assignment of the %zu households finds none that "
			    "meets them all.",
			    in->n);
}

/* The exhaustive search (match_search.c): on instances of at most
 * SEARCH_N households after the rounds, to prove the optimum or close the
 * gap, within SEARCH_NODES placements tried (a few tens of milliseconds);
 * where the rounds found no assignment, on instances of up to
 * RESCUE_CELLS households × units, within RESCUE_NODES. */
#define SEARCH_N     64
#define SEARCH_NODES 1000000ul
#define RESCUE_CELLS ((size_t)1 << 20)
#define RESCUE_NODES 20000000ul

/* Large instances (a million scores and more) repair every third round
 * only (repair_now) and step the dimensions' prices by regula falsi
 * (lam_step). */
static int large(const hf_match_instance *in)
{
	return in->n * in->m >= HF__MATCH_LARGE;
}

/*
 * The prices of the named dimensions: where the relaxation overfills a
 * unit's dimension its price rises, where it leaves places free at a
 * positive price the price falls (not below 0). Each price has a step of
 * its own (resilient propagation): half as long when its direction turns,
 * a fifth longer while it keeps it, starting at 4 % of a household's
 * typical best score. Prices per place of units of every size need steps
 * of every size; one step length for all (a subgradient step) either
 * crawls on the large units or swings on the small ones. *any is set when
 * a dimension is overfilled.
 *
 * On large instances a price whose direction turns goes not back by half
 * its step but to where the straight line through its last two rounds
 * (price and overfill) meets no overfill (regula falsi), kept within a
 * tenth of either end: halving assumes the two rounds are equally far
 * from the right price, the line weighs them by how far each missed it.
 * National 90:108, five seeds: 17 rounds instead of 20 on all five,
 * 80.3 M bids instead of 95.3 M; 50:108 41 rounds instead of 60 (the
 * limit), 58.7 M bids instead of 104.2 M, and at seed 2 32 instead of
 * 44 (bench/RESULTS.md, 2026-12-07, forenoon). The Land's months keep the
 * halving: with the line their objectives fell a little (2,221.6472
 * instead of 2,221.6624 over twelve), at the same time.
 */
typedef struct rprop {
	double *step;
	signed char *sign;
	double *over, *at; /* the last round's overfill and its price */
} rprop;

#define FALSI_EDGE 0.1

int hf__match_falsi = 1;
_Thread_local size_t hf__match_falsis;

/* Where the line through (from, was) and (now, g), overfills of opposite
 * sign, meets none, kept within FALSI_EDGE of either end; not below 0. */
static double falsi_at(double from, double was, double now, double g)
{
	double t = fmin(1 - FALSI_EDGE, fmax(FALSI_EDGE, was / (was - g)));
	return fmax(0, from + (now - from) * t);
}

static int lam_step(const auc *A, const double *frac, double *lam, rprop *rs,
		    int *any)
{
	const hf_match_instance *in = A->in;
	size_t nd = in->ndims, j, d;
	int falsi = hf__match_falsi == 2 || (hf__match_falsi == 1 && large(in));
	if (!rs->step) {
		rs->step = malloc(in->m * nd * sizeof *rs->step);
		rs->sign = calloc(in->m * nd, 1);
		rs->over = calloc(in->m * nd, sizeof *rs->over);
		rs->at = calloc(in->m * nd, sizeof *rs->at);
		if (!rs->step || !rs->sign || !rs->over || !rs->at)
			return HF_ENOMEM;
		for (j = 0; j < in->m * nd; j++)
			rs->step[j] = 0.04 * A->typical;
	}
	*any = 0;
	for (j = 0; j < in->m; j++)
		for (d = 1; d < nd; d++) {
			size_t x = j * nd + d;
			double g = frac[x] - (double)in->units[j].cap[d];
			double was = rs->over[x], from = rs->at[x];
			signed char sg = g > 1e-9		   ? 1
					 : g < -1e-9 && lam[x] > 0 ? -1
								   : 0;
			if (sg > 0)
				*any = 1;
			rs->over[x] = g;
			rs->at[x] = lam[x];
			if (sg && rs->sign[x] && sg != rs->sign[x]) {
				rs->step[x] *= 0.5;
				if (falsi) {
					lam[x] = falsi_at(from, was, lam[x], g);
					rs->sign[x] = sg;
					hf__match_falsis++;
					continue;
				}
			} else if (sg && sg == rs->sign[x]) {
				rs->step[x] *= 1.2;
			}
			if (sg)
				lam[x] = fmax(0, lam[x] + sg * rs->step[x]);
			rs->sign[x] = sg;
		}
	return HF_OK;
}

/* The last epsilon of a round with named dimensions: while the proven gap
 * (or, before an assignment, a hundredth of the bound) is wide, a
 * relaxation closer than a quarter of it is wasted work; so epsilon
 * follows the gap down, to a 36th of the last epsilon of setup: that one
 * only bounds what the relaxation may miss (bidders × epsilon, four times
 * the gap target), and the bound of the last rounds is the gap's other
 * half. On large instances half of the gap: the repair and the last step
 * make up the difference, and each phase less saves about a bid per
 * household (national 90:108, seeds 1-5: 95.3 M bids instead of
 * 123.7 M, the same 20 rounds or fewer on four of five; 50:108 at
 * seed 2 64.7 M instead of 79.4 M, at seed 1 104.2 M instead of 99.2 M,
 * to the 60-round limit; bench/RESULTS.md, 2026-12-07). */
static double round_eps(const auc *A, double eps_final, double bound,
			double best)
{
	double slots = 0, wide, share = large(A->in) ? 0.5 : 0.25;
	size_t k;
	if (bound == INFINITY)
		return eps_final;
	for (k = 0; k < A->nk; k++)
		slots += (double)A->s[k].size;
	wide = best > -INFINITY ? bound - best : 0.01 * fabs(bound);
	return fmax(eps_final / 36,
		    fmin(A->range / 400, share * wide * A->scale / slots));
}

/*
 * A round's first epsilon: from nothing a quarter of the range, from
 * given or earlier prices a 400th, or the round's last if that is more.
 * After the first round of a large instance started from a sample's
 * prices (warm), at most six times the round's last: the prices are near,
 * a phase at a 400th of the range lets few households go and costs a
 * look at every household all the same (national 90:108, seeds 1-5: 137
 * phases instead of 162, 13.7 M bids instead of 14.5 M, seed 4 17 rounds
 * instead of 18; bench/RESULTS.md, 2026-12-07, evening). Without a
 * sample (fewer than 80 households a unit) the rounds keep the 400th:
 * there it gave 49 rounds and a gap of 0.1246 % instead of 53 and
 * 0.1152 % at 8,000 × 400.
 */
double hf__match_first_eps(double range, int large, size_t round, int warm,
			   double ef)
{
	if (!round && !warm)
		return fmax(range / 4, ef);
	if (round && warm && large)
		return fmax(fmin(range / 400, 6 * ef), ef);
	return fmax(range / 400, ef);
}

/* Rounds without progress: over a window of rounds that holds six
 * repairs (STALL rounds, three times as many on large instances, which
 * repair every third round only: two repairs are too few to judge by)
 * the bound fell and the best assignment rose together by some amount
 * (the pace); when that is less than a tenth of the gap target, or when
 * it is less than a twentieth of what is open above the target and even
 * twice that pace over the rounds left would not close it, more rounds
 * will not meet the target and add little (where they still add more,
 * they go on to the limit). hb and hp keep the bound and the best
 * objective of the window's rounds. */
#define STALL 6
#define STALL_MAX (3 * STALL)

int hf__match_stalled(double *hb, double *hp, size_t win, size_t round,
		      size_t rounds, double bound, double best, double target)
{
	size_t k = round % win;
	int stop = 0;
	if (round >= 2 * win && best > -INFINITY && hp[k] > -INFINITY) {
		double pace = (hb[k] - bound) + (best - hp[k]);
		double open = (bound - best) - target * fabs(bound);
		double left = (double)(rounds - round - 1) / (double)win;
		stop = pace < 0.1 * target * fabs(bound) ||
		       (2 * pace * left < open && pace < 0.05 * open);
	}
	hb[k] = bound;
	hp[k] = best;
	return stop;
}

/* Whether to take the last step (hf__match_polish) on the best
 * assignment now rather than after the rounds, where it may meet the gap
 * target and so end them: first once the assignment is within three times
 * the target of the bound (the step adds about two on the national
 * instance), then whenever it is within what the last step added then
 * (gain, -1 before it ran). The step costs a national run about four
 * rounds; where the target is out of reach it never runs early. */
int hf__match_polish_now(double bound, double best, double gain, double target)
{
	double open = bound - best, tol = target * fabs(bound);
	return gain < 0 ? open <= 3 * tol : open - gain <= tol;
}

/* Whether to repair this round's relaxation into an assignment. While it
 * overfills the named dimensions by more than REPAIR_OVER of their places
 * the repair is poor, and on large instances long (thousands of
 * households to place and exchange): there it waits until then, or the
 * last round, or half the rounds while there is no assignment yet; once
 * there is one, it repairs every third round (the relaxations of
 * neighbouring rounds differ little, and a repair of 150,000 households
 * costs about as much as two rounds' auctions). A poor first assignment
 * also narrows the rounds' epsilon (it follows the gap to it, round_eps)
 * more than none does (a hundredth of the bound): at a hundredth of the
 * places (until 2026-12-07) the national rounds repaired from round 5
 * on, at half a hundredth from round 8, with an assignment 0.15 % closer
 * to the bound. National 90:108, seeds 1-5, 12.74 M bids instead of
 * 13.71 M in the same 18 rounds each; 50:108 4.33 M in 42 rounds instead
 * of 5.00 M in 45, at seed 2 4.21 M in 36 instead of 3.86 M in 33; at a
 * quarter of a hundredth 21 rounds on four of five seeds
 * (bench/RESULTS.md, 2026-12-07, late evening). */
#define REPAIR_OVER 0.005

static int between_repairs(const hf_match_instance *in, size_t round,
			   size_t rounds, int have)
{
	return large(in) && have && round % 3 != 0 && round + 1 < rounds;
}

/* Whether a round of a large instance ends one phase early, at six times
 * its last epsilon: all but the first and the last, and once there is an
 * assignment those between two repairs, and in the first half of the
 * rounds (in a sample, whose assignment is not wanted, in all) the
 * repairs' own while the best assignment lies more than COARSE_OPEN times
 * the gap target below the bound (open). Their relaxations move the
 * dimensions' prices, for which a coarser one does, and a repair so far
 * from the bound cannot end the rounds, whatever the last step adds
 * (about two targets). Where the target is out of reach, the rounds go
 * on to their limit or until they stall, and the late repairs make the
 * answer: there they stay fine.
 * National 90:108: 31.6 M bids instead of 47.1 M in the same 19 rounds
 * (seed 2: 34.1 M instead of 52.0 M); 50:108: 116.6 M instead of
 * 149.8 M, in 49 rounds instead of 43. With the repairs' rounds far from
 * the bound too, five seeds of 90:108 64.0 M bids instead of 80.3 M in
 * the same 17 rounds each, 50:108 57.5 M instead of 58.7 M (44 rounds
 * instead of 41), at seed 2 33.9 M instead of 45.6 M in 32; 20,000 and
 * 8,000 households (400 units, 90:108, the target out of reach) a gap
 * of 0.0399 % and 0.1125 % against 0.0441 % and 0.1132 % without them;
 * coarse in all the rounds it was 0.0457 % and 0.1234 %
 * (bench/RESULTS.md, 2026-12-07, forenoon). */
#define COARSE_OPEN 5

static int coarse_round(const hf_match_instance *in, size_t round,
			size_t rounds, int have, double open, double tol,
			int part)
{
	return large(in) && round > 0 && round + 1 < rounds &&
	       (!have || round % 3 != 0 ||
		(open > COARSE_OPEN * tol && (part || 2 * round < rounds)));
}

static int repair_now(const hf_match_instance *in, const double *frac,
		      size_t round, size_t rounds, int have)
{
	double over = 0, all = 0;
	size_t j, d;
	if (between_repairs(in, round, rounds, have))
		return 0;
	if (round + 1 >= rounds || !large(in) ||
	    (!have && 2 * (round + 1) >= rounds))
		return 1;
	for (j = 0; j < in->m; j++)
		for (d = 1; d < in->ndims; d++) {
			double c = (double)in->units[j].cap[d];
			over += fmax(0, frac[j * in->ndims + d] - c);
			all += c;
		}
	return over <= REPAIR_OVER * all;
}

/* Whether a round computes its bound (a pass over the score matrix,
 * 0.05 s on the national instance): on large instances not in the rounds
 * before the first assignment that do not repair either. Their prices
 * are still far from the last rounds', so their bound is never the least
 * (national 90:108, five seeds, and 50:108, two: the same bids, bounds
 * and assignments; at 90:108 seed 1 without the passes of rounds 1-4,
 * about 0.2 s), and until there is an assignment nothing else asks for
 * it (the rounds' epsilon then follows a hundredth of the bound, which
 * rounds 0 and 5 give as well). */
static int bound_wanted(const hf_match_instance *in, const double *frac,
			size_t round, size_t rounds, int have)
{
	return !large(in) || have || round == 0 || round + 1 >= rounds ||
	       repair_now(in, frac, round, rounds, have);
}

/* An assignment kept from the rounds, with the prices of its round (unit
 * prices per person, floor prices, the dimensions' prices) and whether
 * the last step has run on it. */
typedef struct kept {
	int64_t *unit;
	hf_match_why *why;
	double *price, *floor, obj;
	int polished;
} kept;

static int kept_new(kept *k, const hf_match_instance *in)
{
	k->unit = malloc((in->n + 1) * sizeof *k->unit);
	k->why = malloc((in->n + 1) * sizeof *k->why);
	k->price = calloc(in->m * in->ndims + 1, sizeof *k->price);
	k->floor = calloc(in->m + 1, sizeof *k->floor);
	k->obj = -INFINITY;
	k->polished = 0;
	return k->unit && k->why && k->price && k->floor ? HF_OK : HF_ENOMEM;
}

static void kept_free(kept *k)
{
	free(k->unit);
	free(k->why);
	free(k->price);
	free(k->floor);
}

/* k takes r's assignment and objective, and the prices: w and lam of the
 * round, or from (a kept assignment's) when from is not NULL. */
static void kept_take(kept *k, const hf_match_instance *in,
		      const hf_match_result *r, const double *w,
		      const double *lam, const kept *from, int polished)
{
	size_t j, d, nd = in->ndims;
	memcpy(k->unit, r->unit, in->n * sizeof *k->unit);
	memcpy(k->why, r->why, in->n * sizeof *k->why);
	k->obj = r->objective;
	k->polished = polished;
	if (from) {
		memcpy(k->price, from->price, in->m * nd * sizeof *k->price);
		memcpy(k->floor, from->floor, in->m * sizeof *k->floor);
		return;
	}
	for (j = 0; j < in->m; j++) {
		k->price[j * nd] = fmax(w[j], 0);
		k->floor[j] = fmax(-w[j], 0);
		for (d = 1; d < nd; d++)
			k->price[j * nd + d] = lam[j * nd + d];
	}
}

/* Whether best lies within the gap target of the bound. */
static int met(double best, double bound, double target)
{
	return best > -INFINITY && bound - best <= target * fabs(bound);
}

/* r takes k's prices. */
static void kept_prices(const kept *k, const hf_match_instance *in,
			hf_match_result *r)
{
	memcpy(r->price, k->price, in->m * in->ndims * sizeof *k->price);
	memcpy(r->floor_price, k->floor, in->m * sizeof *k->floor);
}

/* r takes k's assignment and prices. */
static void kept_give(const kept *k, const hf_match_instance *in,
		      hf_match_result *r)
{
	memcpy(r->unit, k->unit, in->n * sizeof *k->unit);
	memcpy(r->why, k->why, in->n * sizeof *k->why);
	kept_prices(k, in, r);
}

/*
 * A round's repair: hf__match_primal on its relaxation, and the last step
 * where it may meet the gap target (hf__match_polish_now), on copies of
 * the round's prices, into an assignment of its own. On large instances
 * it runs on a thread beside the next rounds' auctions, which bid on one
 * core: the auction's helper rests until the repair ends
 * (hf__auc_crew_solo), as three busy threads on two cores left the
 * repair, or the helper the caller waits for, without one by turns. A
 * repair of 150,000 households takes about as long as two and a half
 * rounds, so the end of the second round after its own takes its result
 * (ASIDE_ROUNDS), whatever the timing, so that the answer does not depend
 * on it; no other repair starts meanwhile. The rounds then see a repair
 * two rounds later than they would: an assignment that meets the target
 * ends them two rounds later (the rounds ran beside it). Taken at the
 * next round's end, the rounds waited for each repair for about a round
 * (national 90:108, seed 1: 0.5 s in all, traced); three rounds later,
 * the repairs came too seldom (19-22 rounds instead of 17-18; bench/
 * RESULTS.md, 2026-12-07, late evening). Elsewhere it runs where it is
 * started.
 */
#define ASIDE_ROUNDS 2

int hf__match_aside = 1;
_Thread_local size_t hf__match_asides, hf__match_solos;

typedef struct aside {
	const hf_match_instance *in;
	const hf__match_allow *a;
	pthread_t th;
	int on, threaded; /* started and not taken; on a thread of its own */
	int32_t *lp;
	double *w, *lam, *lamt; /* the round's prices */
	double bound, gain, target;
	double before; /* raw's objective at the start */
	int dims;      /* lamt set (named dimensions) */
	int polish;    /* whether the last step may run */
	hf_match_result *r;
	kept raw; /* r before the last step, where better than before */
	hf_error err;
	int rc, rc2, better, now;
	size_t round;	   /* the round it repairs */
	struct crew *crew; /* the auction's, its helper resting meanwhile */
} aside;

static int aside_new(aside *s, const hf_match_instance *in,
		     const hf__match_allow *a)
{
	size_t md = in->m * in->ndims + 1;
	memset(s, 0, sizeof *s);
	s->in = in;
	s->a = a;
	s->lp = malloc((in->n + 1) * sizeof *s->lp);
	s->w = malloc((in->m + 1) * sizeof *s->w);
	s->lam = malloc(md * sizeof *s->lam);
	s->lamt = malloc(md * sizeof *s->lamt);
	s->r = hf__match_result_new(in, HF_MATCH_OPTIMAL);
	if (kept_new(&s->raw, in) < 0 || !s->lp || !s->w || !s->lam ||
	    !s->lamt || !s->r)
		return HF_ENOMEM;
	return HF_OK;
}

static void aside_free(aside *s)
{
	if (s->on && s->threaded)
		pthread_join(s->th, NULL);
	free(s->lp);
	free(s->w);
	free(s->lam);
	free(s->lamt);
	hf_match_result_free(s->r);
	kept_free(&s->raw);
}

static void *aside_run(void *arg)
{
	aside *s = arg;
	const hf_match_instance *in = s->in;
	s->now = s->better = 0;
	s->rc2 = HF_OK;
	s->rc = hf__match_primal(in, s->a, s->lp, s->w,
				 s->dims ? s->lamt : NULL, s->r, &s->err);
	if (s->rc == HF_OK && s->r->objective > s->before) {
		s->better = 1;
		s->now =
		    s->polish && hf__match_polish_now(s->bound, s->r->objective,
						      s->gain, s->target);
		kept_take(&s->raw, in, s->r, s->w, s->lam, NULL, s->now);
		/* the round's prices, where the kinds' solves start */
		kept_prices(&s->raw, in, s->r);
		if (s->now &&
		    (s->rc2 = hf__match_polish(in, s->a, s->r, s->bound,
					       s->target, 1)) == HF_OK)
			hf__match_result_finish(in, s->a, s->r, 0);
	}
	/* the core is free again: the helper takes its batches from here */
	hf__auc_crew_solo(s->crew, 0);
	return NULL;
}

/* Starts the repair of the round's relaxation lp at its prices (w, lam
 * and the auction's lamt), with the rounds' bound, gain of the last step
 * and raw objective: on a thread where threaded and one can be had, else
 * here and now. */
static void aside_start(aside *s, const auc *A, const int32_t *lp,
			const double *w, const double *lam, double bound,
			double gain, double target, double before, int polish,
			int threaded, hf_lang lang)
{
	const hf_match_instance *in = s->in;
	size_t md = in->m * in->ndims;
	memcpy(s->lp, lp, in->n * sizeof *s->lp);
	memcpy(s->w, w, in->m * sizeof *s->w);
	memcpy(s->lam, lam, md * sizeof *s->lam);
	if ((s->dims = A->lam != NULL))
		memcpy(s->lamt, A->lamt, md * sizeof *s->lamt);
	s->bound = bound;
	s->gain = gain;
	s->target = target;
	s->before = before;
	s->polish = polish;
	hf_error_init(&s->err, lang);
	s->on = 1;
	/* set before the thread starts, which ends it */
	s->crew = threaded && hf__auc_crew_solo(A->crew, 1) ? A->crew : NULL;
	s->threaded =
	    threaded && pthread_create(&s->th, NULL, aside_run, s) == 0;
	if (s->threaded) {
		hf__match_asides++;
		hf__match_solos += s->crew != NULL;
	} else {
		hf__auc_crew_solo(s->crew, 0);
		s->crew = NULL;
		aside_run(s);
	}
}

/* Takes the repair's result, waiting for it: raw, best and gain as the
 * rounds keep them, r's count of split households, err where it found no
 * assignment. Returns its HF_OK, HF_EINFEASIBLE or error. */
static int aside_take(aside *s, kept *raw, kept *best, double *gain,
		      hf_match_result *r, hf_error *err)
{
	const hf_match_instance *in = s->in;
	if (s->threaded)
		pthread_join(s->th, NULL);
	s->on = s->threaded = 0;
	if (s->rc2 < 0)
		return s->rc2;
	if (s->rc < 0 && s->rc != HF_EINFEASIBLE)
		return s->rc;
	r->split = s->r->split;
	if (s->rc == HF_EINFEASIBLE && err)
		*err = s->err;
	if (s->better) {
		kept t = *raw;
		*raw = s->raw;
		s->raw = t;
		if (s->now)
			*gain = fmax(0, s->r->objective - raw->obj);
		/* the step never lowers the objective */
		if (s->r->objective > best->obj)
			kept_take(best, in, s->r, s->w, s->lam, NULL, s->now);
	}
	return s->rc;
}
/*
 * The rounds move the dimensions' prices from 0 in steps, and a national
 * instance needs tens of rounds before its relaxation stops overfilling
 * them, each round an auction over all the households. A sample of the
 * households meets about the same prices: per place, each unit's share
 * of them and of its places is about the whole's. So the rounds first run
 * on every f-th household (about PRESOLVE_PER_UNIT a unit), with every
 * unit's places, minimum and maximum scaled by the sample's share of the
 * persons (rounded outwards, so that the sample fits where the whole
 * does), and the whole starts from the sample's prices: its Lagrange
 * prices, and the per-person prices of the units (w) where the first
 * round's slots start. Any prices give a true bound; these only shorten
 * the way.
 */
#define PRESOLVE_PER_UNIT 20
#define PRESOLVE_ROUNDS	  15

int hf__match_presolve_on = 1;

int hf__match_presolve(const hf_match_instance *in, double *lam, double *w)
{
	size_t f = in->n / (PRESOLVE_PER_UNIT * (in->m ? in->m : 1));
	size_t ns, x, j, d, nd = in->ndims;
	hf_match_household *hh = NULL;
	hf_match_unit *un = NULL;
	int64_t *cap = NULL;
	hf_match_instance sub;
	hf_match_options so;
	hf_match_result *sr = NULL;
	hf_error err;
	double sp = 0, all = 0, share;
	int rc = HF_ENOMEM;

	if (nd < 2 || f < 4)
		return 1;
	ns = (in->n + f - 1) / f;
	hh = malloc(ns * sizeof *hh);
	un = malloc(in->m * sizeof *un);
	cap = malloc(in->m * nd * sizeof *cap);
	if (!hh || !un || !cap)
		goto out;
	for (x = 0; x < in->n; x++) {
		all += (double)in->hh[x].persons;
		if (x % f == 0) {
			hh[x / f] = in->hh[x];
			sp += (double)in->hh[x].persons;
		}
	}
	share = sp / all;
	for (j = 0; j < in->m; j++) {
		const hf_match_unit *u = &in->units[j];
		un[j] = *u;
		for (d = 0; d < nd; d++)
			cap[j * nd + d] =
			    (int64_t)ceil((double)u->cap[d] * share);
		un[j].cap = &cap[j * nd];
		un[j].min = (int64_t)floor((double)u->min * share);
		un[j].max = (int64_t)ceil((double)u->max * share);
		un[j].priority = NULL;
		un[j].npriority = 0;
	}
	sub = *in;
	sub.n = ns;
	sub.hh = hh;
	sub.units = un;
	sub.scores.row = in->scores.row * f; /* household x is x × f */
	hf_match_options_init(&so);
	so.max_rounds = PRESOLVE_ROUNDS;
	so.gap_target = 1e-3;
	hf_error_init(&err, HF_LANG_EN);
	/* the prices are what is wanted, not the sample's assignment */
	rc = hf__match_solve_part(&sub, &so, &sr, &err);
	if (rc == HF_OK) {
		for (j = 0; j < in->m; j++) {
			w[j] = sr->price[j * nd] - sr->floor_price[j];
			for (d = 1; d < nd; d++)
				lam[j * nd + d] = sr->price[j * nd + d];
		}
	} else if (rc != HF_ENOMEM) {
		rc = 1; /* no assignment of the sample: from 0 */
	}
out:
	hf_match_result_free(sr);
	free(hh);
	free(un);
	free(cap);
	return rc;
}

/*
 * The rounds keep two assignments: the best the repair gave (raw) and the
 * best of all (best), which the last step may have raised. The last step
 * runs on a better raw one during the rounds where it may meet the gap
 * target (hf__match_polish_now), and after them on the raw one if it has not
 * run on it yet; the better of the two is the answer. Without the target in
 * reach that is what it always was, the last step once on the best raw
 * assignment.
 */
int hf__match_optimal(const hf_match_instance *in, const hf_match_options *o,
		      int part, const double *start, const hf__match_allow *a,
		      hf_match_result *r, hf_error *err)
{
	auc A;
	int64_t *upper = malloc((in->m + 1) * sizeof *upper);
	int32_t *lp = malloc((in->n + 1) * sizeof *lp);
	kept raw, best;
	double *w = calloc(in->m + 1, sizeof *w);
	double *lam = calloc(in->m * in->ndims + 1, sizeof *lam);
	double *frac = calloc(in->m * in->ndims + 1, sizeof *frac);
	double eps_final, bound = INFINITY, gain = -1;
	double bound_r;
	rprop rs = {NULL, NULL, NULL, NULL};
	double hb[STALL_MAX], hp[STALL_MAX];
	/* the stall window: six repairs (see repair_now) */
	size_t win = large(in) ? STALL_MAX : STALL;
	size_t round;
	size_t rounds = (size_t)(o->max_rounds > 0 ? o->max_rounds : 1);
	int exact = 0, proven = 0, given = 0, rc, rc2;
	int polish = !part, warm = 0;
	/* the repair beside the next round (aside) */
	int side = !part && (hf__match_aside == 2 ||
			     (hf__match_aside == 1 && large(in)));
	aside job;

	memset(&A, 0, sizeof A);
	rc = kept_new(&raw, in);
	rc2 = kept_new(&best, in);
	if (aside_new(&job, in, a) < 0)
		rc = HF_ENOMEM;
	if (rc < 0 || rc2 < 0 || !upper || !lp || !w || !lam || !frac) {
		rc = HF_ENOMEM;
		goto out;
	}
	if ((rc = setup(&A, in, a, o->gap_target, upper, &exact)) < 0)
		goto out;
	side = side && !exact; /* exact: one round */
	/* the price wars they end are those of large instances; small ones
	 * keep the auction they had (a Land's month: the same results) */
	A.rebid = hf__auc_rebid == 2 || (hf__auc_rebid == 1 && large(in));
	A.shift = hf__auc_shift == 2 || (hf__auc_shift == 1 && large(in));
	A.unit =
	    !A.whole && (hf__auc_unit == 2 || (hf__auc_unit == 1 && large(in)));
	if (!(A.crew = hf__auc_crew_new(&A))) {
		rc = HF_ENOMEM;
		goto out;
	}
	eps_final = A.eps;
	if (!start && hf__match_presolve_on &&
	    (rc = hf__match_presolve(in, lam, w)) < 0)
		goto out;
	if (start || (rc == HF_OK && hf__match_presolve_on == 1)) {
		/* the given or the sample's unit prices per person, where the
		 * first round's slots start: none more than twice the range
		 * above the cheapest (no household prefers such a unit to the
		 * cheapest; the bids would climb the difference epsilon by
		 * epsilon), and with no slot to spare and no one unassigned,
		 * where only their differences count, the cheapest at 0. A
		 * kind's prices from a dimension used 65,536 times a
		 * household lay above the bids' limit: no order found
		 * (test_kinds). */
		size_t j, k;
		double low = INFINITY, base;
		for (j = 0; j < in->m; j++)
			if (A.s[2 * j].len || A.s[2 * j + 1].len)
				low = fmin(low, start ? start[j] : w[j]);
		base = A.dummies == 0 && !in->allow_unassigned ? low : 0;
		for (j = 0; j < in->m; j++)
			for (k = 2 * j; k < 2 * j + 2; k++)
				if (A.s[k].len) {
					double p =
					    (fmin(start ? start[j] : w[j],
						  low + 2 * A.range / A.scale) -
					     base) *
					    A.scale;
					/* whole scores keep whole prices */
					A.s[k].h[0].price =
					    A.whole ? floor(p) : p;
					hf__auc_retop(&A, k);
				}
		warm = 1;
	}
	for (round = 0; round < rounds; round++) {
		int any = 0;
		hf__auc_set_lam(&A, lam);
		if (round && in->ndims == 1) {
			/* only refining: one more phase at a smaller epsilon */
			eps_final = fmax(eps_final / 6, A.range * 1e-12);
			rc = run_scaled(&A, eps_final, eps_final);
		} else {
			double ef = round_eps(&A, eps_final, bound, raw.obj);
			/* the first round from the sample's prices ends as the
			 * rounds before the first assignment do, one phase at
			 * a 400th of the range, not at the last epsilon of
			 * setup (there is no bound yet to follow): its
			 * relaxation only moves the dimensions' prices, and
			 * later rounds' bounds are lower. National 90:108,
			 * seeds 1-5: 58.2 M bids instead of 64.0 M, 17 rounds
			 * (seed 4: 18); bench/RESULTS.md, 2026-12-07 */
			if (round == 0 && warm && !start && !part)
				ef = fmax(ef, A.range / 400);
			if (coarse_round(in, round, rounds, raw.obj > -INFINITY,
					 bound - raw.obj,
					 o->gap_target * fabs(bound), part))
				ef = fmin(A.range / 400, 6 * ef);
			rc = run_scaled(&A,
					hf__match_first_eps(A.range, large(in),
							    round, warm, ef),
					ef);
		}
		if (rc < 0)
			goto out;

		hf__auc_loads(&A, lp, frac);
		/* the next relist moves the prices by these loads */
		A.load = frac;
		A.load_bids = A.bids;
		bound_r =
		    bound_wanted(in, frac, round, rounds, raw.obj > -INFINITY)
			? bound_now(&A, w, upper)
			: INFINITY;
		bound = fmin(bound, bound_r);
		r->rounds = round + 1;
		/* the repair of ASIDE_ROUNDS rounds before, beside them */
		if (job.on &&
		    (!job.threaded || job.round + ASIDE_ROUNDS <= round ||
		     round + 1 >= rounds) &&
		    (rc = aside_take(&job, &raw, &best, &gain, r, err)) < 0 &&
		    rc != HF_EINFEASIBLE)
			goto out;
		rc = 1; /* not tried this round */
		if (!job.on &&
		    (!side || !met(best.obj, bound, o->gap_target)) &&
		    repair_now(in, frac, round, rounds, raw.obj > -INFINITY)) {
			job.round = round;
			aside_start(&job, &A, lp, w, lam, bound, gain,
				    o->gap_target, raw.obj, polish && !exact,
				    side && round + 1 < rounds,
				    err ? err->lang : HF_LANG_DE);
			if (!job.threaded &&
			    (rc = aside_take(&job, &raw, &best, &gain, r,
					     err)) < 0 &&
			    rc != HF_EINFEASIBLE)
				goto out;
		}
		if (met(best.obj, bound, o->gap_target))
			break;
		if (in->ndims == 1) {
			if (exact || eps_final <= A.range * 1e-12)
				break;
			continue;
		}
		if ((rc2 = lam_step(&A, frac, lam, &rs, &any)) < 0) {
			rc = rc2;
			goto out;
		}
		/* this round's repair decides: wait for it */
		if (!any && job.on &&
		    (rc = aside_take(&job, &raw, &best, &gain, r, err)) < 0 &&
		    rc != HF_EINFEASIBLE)
			goto out;
		if (!any && rc == HF_OK)
			break;
		if (hf__match_stalled(hb, hp, win, round, rounds, bound,
				      raw.obj, o->gap_target))
			break;
	}
	if (job.on && (rc = aside_take(&job, &raw, &best, &gain, r, err)) < 0 &&
	    rc != HF_EINFEASIBLE)
		goto out;
	/* whole scores in the transportation case: optimal already */
	if (polish && !exact && raw.obj > -INFINITY && !raw.polished) {
		kept_give(&raw, in, r);
		if ((rc = hf__match_polish(in, a, r, bound, o->gap_target, 0)) <
		    0)
			goto out;
		hf__match_result_finish(in, a, r, 0);
		/* r is the answer unless one polished during the rounds
		 * scores more */
		given = r->objective > best.obj || !best.polished;
		if (given)
			kept_take(&best, in, r, NULL, NULL, &raw, 1);
	}
	if (best.obj > -INFINITY && !given) {
		kept_give(&best, in, r);
		hf__match_result_finish(in, a, r, 0);
	}
	/* small instances also where the rounds closed the gap (a part of
	 * another solve wants no proof): a bound within rounding of the
	 * objective is none, the search is */
	if (!exact && (best.obj == -INFINITY || (in->n <= SEARCH_N && !part) ||
		       r->objective < bound - 1e-9 * fmax(1, fabs(bound)))) {
		int found = 0, complete = 0;
		double obj = best.obj > -INFINITY ? r->objective : -INFINITY;
		size_t i;
		/* best.unit, copied to r above, takes what the search finds */
		if (in->n <= SEARCH_N)
			found = hf__match_search(in, a, best.unit, &obj,
						 SEARCH_NODES, &complete);
		else if (best.obj == -INFINITY &&
			 in->n * (in->m + 1) <= RESCUE_CELLS)
			found = hf__match_search(in, a, best.unit, &obj,
						 RESCUE_NODES, &complete);
		if (found < 0) {
			rc = found;
			goto out;
		}
		for (i = 0; found && i < in->n; i++)
			if (best.obj == -INFINITY ||
			    best.unit[i] != r->unit[i]) {
				r->unit[i] = best.unit[i];
				r->why[i] = HF_MATCH_WHY_SEARCH;
			}
		if (complete && !found && best.obj == -INFINITY) {
			rc = infeasible_proven(in, err);
			goto out;
		}
		if (found)
			best.obj = obj;
		proven = complete;
	}
	if (best.obj == -INFINITY) {
		rc = rc < 0 ? rc : HF_EINFEASIBLE;
		if (!err || !err->message[0])
			infeasible(in, err);
		goto out;
	}
	hf__match_result_finish(in, a, r, 1);
	hf__match_why_settle(in, r);
	r->bids = A.bids;
	r->phases = A.phases;
	if (exact) {
		/* whole scores: the optimum is whole, so is a bound */
		double fb = floor(bound + 1e-9 * fmax(1, fabs(bound)));
		r->exact = fb <= r->objective;
		bound = fmax(fb, r->objective);
	}
	if (proven) {
		/* the search ended: nothing scores higher */
		r->exact = 1;
		bound = r->objective;
	}
	r->bound = fmax(bound, r->objective);
	{
		/* a difference below 1e-9 of the bound (or of 1) is none: the
		 * rounding of the sums, or epsilon on scores all zero */
		double diff = r->bound - r->objective;
		r->gap = diff <= 1e-9 * fmax(1, fabs(r->bound))
			     ? 0
			     : diff / fmax(fabs(r->bound), 1e-300);
	}
	rc = HF_OK;
out:
	if (rc == HF_EINFEASIBLE && (!err || !err->message[0]))
		infeasible(in, err);
	else if (rc == HF_ENOMEM)
		hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			     "Out of memory.");
	aside_free(&job);
	hf__auc_crew_free(A.crew);
	auc_free(&A);
	free(upper);
	free(lp);
	kept_free(&raw);
	kept_free(&best);
	free(w);
	free(lam);
	free(frac);
	free(rs.step);
	free(rs.sign);
	free(rs.over);
	free(rs.at);
	return rc;
}

/* apportion.c: rounding exact quotas to whole persons by a named method.
 *
 * Every method is exact: claims are compared as fractions of integers, never
 * in floating point. The divisor methods do not hand out seats one by one
 * from zero. They start from the seats every unit gets at the divisor
 * sum(weights) / total: that start is the set of all (unit, seat) pairs
 * whose quotient exceeds one threshold, hence a prefix of the order in which
 * seat-by-seat highest quotients would hand them out. From there a heap adds
 * the next best or removes the worst pairs until exactly total are given;
 * at most about n steps, so O(n log n) whatever the total.
 */
#include "hafen/apportion.h"

#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

static const struct {
	const char *slug;
	const char *de;
	const char *en;
} methods[HF_APPORTION_COUNT] = {
	[HF_APPORTION_HARE_NIEMEYER] = {"hare-niemeyer",
					"Hare-Niemeyer (größte Reste)",
					"Hare-Niemeyer (largest remainder)"},
	[HF_APPORTION_DHONDT] = {"dhondt", "D'Hondt (Höchstzahlverfahren)",
				 "D'Hondt (highest averages, Jefferson)"},
	[HF_APPORTION_SAINTE_LAGUE] = {"sainte-lague",
				       "Sainte-Laguë/Schepers "
				       "(Standardrundung)",
				       "Sainte-Laguë (Webster)"},
};

static const struct {
	const char *name;
	hf_apportion_method m;
} aliases[] = {
	{"largest-remainder", HF_APPORTION_HARE_NIEMEYER},
	{"hamilton", HF_APPORTION_HARE_NIEMEYER},
	{"jefferson", HF_APPORTION_DHONDT},
	{"webster", HF_APPORTION_SAINTE_LAGUE},
	{"saint-lague", HF_APPORTION_SAINTE_LAGUE},
};

const char *hf_apportion_slug(hf_apportion_method m)
{
	if ((unsigned)m >= HF_APPORTION_COUNT)
		return NULL;
	return methods[m].slug;
}

const char *hf_apportion_name(hf_apportion_method m, hf_lang lang)
{
	if ((unsigned)m >= HF_APPORTION_COUNT)
		return NULL;
	return hf_tr(lang, methods[m].de, methods[m].en);
}

int hf_apportion_parse(const char *s, hf_apportion_method *out)
{
	size_t i;

	if (!s)
		return HF_EINVAL;
	for (i = 0; i < HF_APPORTION_COUNT; i++)
		if (!strcmp(s, methods[i].slug)) {
			*out = (hf_apportion_method)i;
			return HF_OK;
		}
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (!strcmp(s, aliases[i].name)) {
			*out = aliases[i].m;
			return HF_OK;
		}
	return HF_EINVAL;
}

/*
 * Compares a/b with c/d (b, d > 0) exactly. Where all four fit in 64 bits
 * the cross products fit in 128; otherwise compare integer parts and
 * recurse on the reciprocals of the remainders (continued fractions), which
 * never overflows.
 */
static int frac_cmp(u128 a, u128 b, u128 c, u128 d)
{
	int sign = 1;

	for (;;) {
		u128 qa, qc, ra, rc;

		if (((a | b | c | d) >> 64) == 0) {
			u128 l = a * d, r = c * b;
			return sign * ((l > r) - (l < r));
		}
		qa = a / b;
		qc = c / d;
		if (qa != qc)
			return sign * (qa > qc ? 1 : -1);
		ra = a % b;
		rc = c % d;
		if (ra == 0 || rc == 0)
			return sign * ((ra > 0) - (rc > 0));
		/* ra/b against rc/d is b/ra against d/rc, reversed */
		a = b;
		b = ra;
		c = d;
		d = rc;
		sign = -sign;
	}
}

/* The divisor of a method's k-th seat (k >= 1). */
static u128 divisor(hf_apportion_method m, int64_t k)
{
	if (m == HF_APPORTION_DHONDT)
		return (u128)k;
	return 2 * (u128)k - 1;
}

struct ctx {
	hf_apportion_method m;
	const hf_rat *w;
	int64_t *seats;
};

/*
 * Orders the pair (unit i, its seat ki) before (j, kj) when its quotient
 * w/divisor is larger; on equal quotients the larger weight, then the
 * earlier unit. Returns > 0 when (i, ki) comes first.
 */
static int pair_cmp(const struct ctx *x, size_t i, int64_t ki, size_t j,
		    int64_t kj)
{
	const hf_rat *wi = &x->w[i], *wj = &x->w[j];
	int c = frac_cmp((u128)wi->num, (u128)wi->den * divisor(x->m, ki),
			 (u128)wj->num, (u128)wj->den * divisor(x->m, kj));
	if (c)
		return c;
	if ((c = hf_rat_cmp(*wi, *wj)))
		return c;
	return i < j ? 1 : (i > j ? -1 : 0);
}

/*
 * A binary heap of units. Growing, the key of unit i is its next pair
 * (i, seats+1) and the top is the best; shrinking, the key is its last pair
 * (i, seats) and the top is the worst.
 */
struct heap {
	const struct ctx *x;
	int grow;
	size_t n;
	size_t *a;
};

static int heap_above(const struct heap *h, size_t i, size_t j)
{
	int64_t off = h->grow ? 1 : 0;
	int c = pair_cmp(h->x, i, h->x->seats[i] + off, j,
			 h->x->seats[j] + off);
	return h->grow ? c > 0 : c < 0;
}

static void heap_down(struct heap *h, size_t p)
{
	for (;;) {
		size_t l = 2 * p + 1, r = l + 1, top = p, t;
		if (l < h->n && heap_above(h, h->a[l], h->a[top]))
			top = l;
		if (r < h->n && heap_above(h, h->a[r], h->a[top]))
			top = r;
		if (top == p)
			return;
		t = h->a[p];
		h->a[p] = h->a[top];
		h->a[top] = t;
		p = top;
	}
}

static void heap_build(struct heap *h)
{
	size_t i = h->n / 2;
	while (i-- > 0)
		heap_down(h, i);
}

/* Adds (delta > 0) or removes seats one pair at a time from the prefix. */
static int divisor_adjust(struct ctx *x, size_t n, int64_t delta)
{
	struct heap h = {x, delta > 0, 0, NULL};
	size_t i;

	h.a = malloc((n ? n : 1) * sizeof *h.a);
	if (!h.a)
		return HF_ENOMEM;
	for (i = 0; i < n; i++)
		if (x->w[i].num > 0 && (h.grow || x->seats[i] > 0))
			h.a[h.n++] = i;
	heap_build(&h);
	while (delta != 0 && h.n > 0) {
		size_t top = h.a[0];
		if (h.grow) {
			x->seats[top]++;
			delta--;
		} else {
			x->seats[top]--;
			delta++;
			if (x->seats[top] == 0)
				h.a[0] = h.a[--h.n];
		}
		heap_down(&h, 0);
	}
	free(h.a);
	return delta == 0 ? HF_OK : HF_EINVAL;
}

/* The exact quotas total × w_i / sum(w) into q. The share w_i / sum(w)
 * first: it reduces to small terms where the weights share a scale. */
static int quotas(const hf_rat *w, size_t n, int64_t total, hf_rat *q,
		  hf_error *err)
{
	hf_rat sum = hf_rat_int(0), f;
	size_t i;

	for (i = 0; i < n; i++)
		if (hf_rat_add(sum, w[i], &sum) < 0)
			goto overflow;
	for (i = 0; i < n; i++)
		if (hf_rat_div(w[i], sum, &f) < 0 ||
		    hf_rat_mul(f, hf_rat_int(total), &q[i]) < 0)
			goto overflow;
	return HF_OK;
overflow:
	return hf_error_set(err, HF_EOVERFLOW, "weights",
			    "Die Gewichte sind für exakte Rechnung zu groß "
			    "oder zu fein: die Quote von %zu Einheiten passt "
			    "nicht in 64 Bit.",
			    "The weights are too large or too fine for exact "
			    "arithmetic: the quota of %zu units does not fit "
			    "in 64 bits.",
			    n);
}

/* Seats at the start divisor sum(w)/total, all k with q / d(k) > 1 on
 * each method's scale. D'Hondt: k < q, so ceil(q) - 1. Sainte-Laguë
 * rounds at halves, d(k) = k - 1/2: k < q + 1/2, so ceil(q + 1/2) - 1.
 * Both land within about n of total. */
static int64_t start_seats(hf_apportion_method m, hf_rat q)
{
	u128 a = (u128)q.num, b = (u128)q.den, c;

	if (q.num <= 0)
		return 0;
	if (m == HF_APPORTION_DHONDT)
		c = (a + b - 1) / b;
	else
		c = (2 * a + b + 2 * b - 1) / (2 * b);
	return (int64_t)(c - 1);
}

struct rem {
	hf_rat r; /* q - floor(q): the claim to one more */
	hf_rat w;
	size_t i;
};

static int rem_cmp(const void *pa, const void *pb)
{
	const struct rem *a = pa, *b = pb;
	int c = hf_rat_cmp(b->r, a->r);
	if (!c)
		c = hf_rat_cmp(b->w, a->w);
	if (!c)
		c = (a->i > b->i) - (a->i < b->i);
	return c;
}

static int hare(const hf_rat *w, size_t n, int64_t total, const hf_rat *q,
		int64_t *out)
{
	struct rem *r = malloc(n * sizeof *r);
	int64_t given = 0;
	size_t i;

	if (!r)
		return HF_ENOMEM;
	for (i = 0; i < n; i++) {
		out[i] = hf_rat_floor(q[i]);
		given += out[i];
		/* 0 <= q - floor(q) < 1: no overflow */
		r[i].r.num = q[i].num - out[i] * q[i].den;
		r[i].r.den = q[i].den;
		r[i].w = w[i];
		r[i].i = i;
	}
	qsort(r, n, sizeof *r, rem_cmp);
	for (i = 0; given < total && i < n; i++, given++)
		out[r[i].i]++;
	free(r);
	return given == total ? HF_OK : HF_EINVAL;
}

static int divisor_method(hf_apportion_method m, const hf_rat *w, size_t n,
			  int64_t total, const hf_rat *q, int64_t *out)
{
	struct ctx x = {m, w, out};
	__int128 given = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		out[i] = w[i].num > 0 ? start_seats(m, q[i]) : 0;
		given += out[i];
	}
	if (given == total)
		return HF_OK;
	return divisor_adjust(&x, n, (int64_t)((__int128)total - given));
}

int hf_apportion(hf_apportion_method m, const hf_rat *weights, size_t n,
		 int64_t total, int64_t *out, hf_error *err)
{
	hf_rat *q = NULL;
	size_t i, positive = 0;
	int rc;

	if ((unsigned)m >= HF_APPORTION_COUNT)
		return hf_error_set(err, HF_EINVAL, "method",
				    "Unbekanntes Zuteilungsverfahren %d.",
				    "Unknown apportionment method %d.", (int)m);
	if (total < 0)
		return hf_error_set(
			err, HF_EINVAL, "total",
			"Zu verteilen sind %lld Personen; die Zahl darf nicht "
			"negativ sein.",
			"%lld persons to distribute; the number must not be "
			"negative.",
			(long long)total);
	for (i = 0; i < n; i++) {
		if (weights[i].num < 0 || weights[i].den <= 0)
			return hf_error_set(
				err, HF_EINVAL, "weights",
				"Das Gewicht der %zu. Einheit ist negativ.",
				"The weight of unit %zu is negative.", i + 1);
		positive += weights[i].num > 0;
	}
	for (i = 0; i < n; i++)
		out[i] = 0;
	if (total == 0)
		return HF_OK;
	if (positive == 0)
		return hf_error_set(
			err, HF_EINVAL, "weights",
			"%lld Personen sind zu verteilen, aber keine Einheit "
			"hat ein Gewicht über null.",
			"%lld persons to distribute, but no unit has a weight "
			"above zero.",
			(long long)total);
	q = malloc(n * sizeof *q);
	if (!q)
		return hf_error_set(err, HF_ENOMEM, "", "Kein Speicher mehr.",
				    "Out of memory.");
	if ((rc = quotas(weights, n, total, q, err)) < 0)
		goto done;
	if (m == HF_APPORTION_HARE_NIEMEYER)
		rc = hare(weights, n, total, q, out);
	else
		rc = divisor_method(m, weights, n, total, q, out);
	if (rc == HF_ENOMEM)
		hf_error_set(err, rc, "", "Kein Speicher mehr.",
			     "Out of memory.");
	else if (rc < 0)
		hf_error_set(err, rc, "",
			     "Interner Fehler der Zuteilung: die Sitze ergeben "
			     "nicht %lld.",
			     "Internal apportionment error: the seats do not "
			     "sum to %lld.",
			     (long long)total);
done:
	free(q);
	return rc;
}

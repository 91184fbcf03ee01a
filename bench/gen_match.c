/*
 * gen_match.c: seeded instances for the matching benchmark of issue 4.
 *
 * Writes DIR/households.csv, DIR/units.csv and DIR/scores.npy, the files
 * `hafen match` reads (columns in docs/matching.md).
 *
 *     gen_match [--transport] [--households N] [--units M] [--seed S]
 *               [--corridor LO:HI] [--f64] DIR
 *
 * Default mode: households of 1-8 persons (weight 1/k) with members' ages,
 * needs (dialysis, wheelchair, psychotherapy), ties and languages; units
 * with capacity in persons, a quota corridor (min, max), services,
 * languages and the dimensions cap:school, cap:childcare and cap:flats
 * (consumed by the built-in rule: members aged 6-17, aged 0-5, one flat per
 * household). Unit sizes follow a log-normal law; every capacity has slack
 * over the total demand (persons 15 %, school and childcare places 20 %,
 * flats 15 %); unit j's corridor is LO % .. HI % of its share of the
 * persons (plus 8 on the upper side; default 90:108, so the minima bind);
 * the largest 5 % of units offer every service.
 * Scores are dense float32 "probabilities of employment" from a logistic
 * model: household effect + unit effect + noise + bonus for a tie and for
 * a shared language.
 *
 * --transport: one-person households (columns id,persons), units with
 * code,capacity only (total capacity >= households), and integer scores
 * 0..999 stored as float32: a transportation problem every peer solves.
 *
 * The score of (i, j) is a hash of (seed, i, j), so an instance is the
 * same whatever the order of generation.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NSERV 3
#define NLANG 8

static const char *const services[NSERV] = {"dialysis", "wheelchair",
					    "psychotherapy"};
/* share of households needing each service, share of units offering it */
static const double need_p[NSERV] = {0.003, 0.015, 0.04};
static const double offer_p[NSERV] = {0.15, 0.5, 0.3};
static const char *const langs[NLANG] = {"ar", "uk", "fa", "ps",
					 "tr", "ru", "so", "ti"};

typedef struct opts {
	int transport, f64;
	double lo, hi; /* corridor in % of a unit's share of the persons */
	size_t n, m;
	uint64_t seed;
	const char *dir;
} opts;

typedef struct household {
	int persons, school, childcare, lang;
	int tie[2]; /* unit indices, -1 none */
} household;

static uint64_t splitmix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* sequential generator for the attributes */
static uint64_t next(uint64_t *s)
{
	*s += 0x9E3779B97F4A7C15ull;
	return splitmix(*s);
}

static double unif(uint64_t *s)
{
	return (double)(next(s) >> 11) * (1.0 / 9007199254740992.0);
}

static int below(uint64_t *s, int k)
{
	return (int)(next(s) % (uint64_t)k);
}

static double gauss(uint64_t *s)
{
	double u = unif(s), v = unif(s);
	if (u < 1e-300)
		u = 1e-300;
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static int persons_draw(uint64_t *s)
{
	static const int cum[8] = {840,	 1260, 1540, 1750,
				   1918, 2058, 2178, 2283}; /* 840/k summed */
	int x = below(s, 2283), k;
	for (k = 0; k < 8 && x >= cum[k]; k++)
		;
	return k + 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: gen_match [--transport] [--households N] "
			"[--units M] [--seed S] [--corridor LO:HI] [--f64] "
			"DIR\n");
	exit(2);
}

static size_t parse_size(const char *s)
{
	char *end;
	unsigned long long v;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v == 0)
		usage();
	return (size_t)v;
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

static void close_out(FILE *f, const char *name)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "gen_match: writing %s failed\n", name);
		exit(1);
	}
}

/* NumPy .npy v1.0 header, padded so the data starts at a multiple of 64 */
static void npy_header(FILE *f, size_t n, size_t m, int f64)
{
	char dict[128];
	int len = snprintf(dict, sizeof dict,
			   "{'descr': '%s', 'fortran_order': False, "
			   "'shape': (%zu, %zu), }",
			   f64 ? "<f8" : "<f4", n, m);
	int total = 10 + len + 1, pad = (64 - total % 64) % 64;
	int hlen = len + pad + 1;
	fwrite("\x93NUMPY\x01\x00", 1, 8, f);
	fputc(hlen & 0xff, f);
	fputc(hlen >> 8, f);
	fwrite(dict, 1, (size_t)len, f);
	while (pad-- > 0)
		fputc(' ', f);
	fputc('\n', f);
}

static void write_list_ages(FILE *f, const int *age, int k)
{
	int a;
	for (a = 0; a < k; a++)
		fprintf(f, "%s%d", a ? "|" : "", age[a]);
}

/* Households: draws attributes, writes households.csv, fills hh. */
static void gen_households(const opts *o, household *hh, uint64_t *s,
			   long long *persons, long long *school,
			   long long *childcare, const double *cumw)
{
	FILE *f = open_out(o->dir, "households.csv");
	size_t i;
	int a, k, age[8];
	*persons = *school = *childcare = 0;
	fprintf(f, o->transport ? "id,persons\n"
				: "id,persons,ages,needs,ties,languages\n");
	for (i = 0; i < o->n; i++) {
		household *h = &hh[i];
		int first = 1, adults;
		h->tie[0] = h->tie[1] = -1;
		h->persons = o->transport ? 1 : persons_draw(s);
		h->school = h->childcare = 0;
		h->lang = below(s, NLANG);
		*persons += h->persons;
		if (o->transport) {
			fprintf(f, "H%07zu,1\n", i);
			continue;
		}
		adults = h->persons == 1 ? 1 : (h->persons == 2 ? 1 : 2);
		if (h->persons == 2 && below(s, 2))
			adults = 2;
		for (a = 0; a < h->persons; a++) {
			age[a] = a < adults ? 18 + below(s, 50) : below(s, 18);
			if (a >= adults && age[a] >= 6)
				h->school++;
			else if (a >= adults)
				h->childcare++;
		}
		*school += h->school;
		*childcare += h->childcare;
		/* ties: 30 % have one, a fifth of those two, to units by size
		 */
		for (k = 0; k < 2; k++) {
			double u = unif(s), x;
			size_t lo = 0, hi = o->m - 1;
			if (u >= (k == 0 ? 0.30 : 0.2))
				break;
			x = unif(s) * cumw[o->m - 1];
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (cumw[mid] < x)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (k == 1 && (int)lo == h->tie[0])
				break;
			h->tie[k] = (int)lo;
		}
		fprintf(f, "H%07zu,%d,", i, h->persons);
		write_list_ages(f, age, h->persons);
		fputc(',', f);
		for (k = 0; k < NSERV; k++) {
			if (unif(s) < need_p[k]) {
				fprintf(f, "%s%s", first ? "" : "|",
					services[k]);
				first = 0;
			}
		}
		fputc(',', f);
		for (k = 0; k < 2 && h->tie[k] >= 0; k++)
			fprintf(f, "%sU%04d", k ? "|" : "", h->tie[k]);
		fprintf(f, ",%s\n", langs[h->lang]);
	}
	close_out(f, "households.csv");
}

static long long share(double total, double w, double factor, long long add)
{
	return (long long)ceil(total * w * factor) + add;
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x < y) - (x > y);
}

/* Units: writes units.csv; lang[j] is a bit set of languages. */
static void gen_units(const opts *o, const double *w, uint64_t *s,
		      long long persons, long long school, long long childcare,
		      unsigned *lang, long long *capsum)
{
	FILE *f = open_out(o->dir, "units.csv");
	double *sorted = malloc(o->m * sizeof *sorted), big;
	size_t j, nbig = (o->m + 19) / 20; /* the largest 5 % offer all */
	int k;
	if (!sorted)
		exit(1);
	memcpy(sorted, w, o->m * sizeof *sorted);
	qsort(sorted, o->m, sizeof *sorted, cmp_desc);
	big = sorted[nbig - 1];
	free(sorted);
	*capsum = 0;
	fprintf(f, o->transport ? "code,capacity\n"
				: "code,capacity,min,max,services,languages,"
				  "cap:school,cap:childcare,cap:flats\n");
	for (j = 0; j < o->m; j++) {
		int first = 1;
		if (o->transport) {
			long long c = share((double)persons, w[j], 1.05, 1);
			*capsum += c;
			fprintf(f, "U%04zu,%lld\n", j, c);
			continue;
		}
		{
			long long c = share((double)persons, w[j], 1.15, 8);
			long long mx =
			    share((double)persons, w[j], o->hi / 100, 8);
			long long mn = (long long)floor((double)persons * w[j] *
							o->lo / 100);
			*capsum += c;
			fprintf(f, "U%04zu,%lld,%lld,%lld,", j, c, mn, mx);
		}
		for (k = 0; k < NSERV; k++) {
			if (w[j] >= big || unif(s) < offer_p[k]) {
				fprintf(f, "%s%s", first ? "" : "|",
					services[k]);
				first = 0;
			}
		}
		fputc(',', f);
		lang[j] = 0;
		first = 1;
		for (k = 0; k < NLANG; k++) {
			if (unif(s) < 0.35) {
				lang[j] |= 1u << k;
				fprintf(f, "%s%s", first ? "" : "|", langs[k]);
				first = 0;
			}
		}
		fprintf(f, ",%lld,%lld,%lld\n",
			share((double)school, w[j], 1.2, 2),
			share((double)childcare, w[j], 1.2, 2),
			share((double)o->n, w[j], 1.15, 2));
	}
	close_out(f, "units.csv");
}

/* Sum of four 16-bit uniforms, centred and scaled to variance 1. */
static float noise(uint64_t h)
{
	unsigned a = (unsigned)(h & 0xffff), b = (unsigned)((h >> 16) & 0xffff),
		 c = (unsigned)((h >> 32) & 0xffff), d = (unsigned)(h >> 48);
	float u = (float)(a + b + c + d) * (1.0f / 65536.0f) - 2.0f;
	return u * 1.7320508f;
}

static void gen_scores(const opts *o, const household *hh, const float *ue,
		       const unsigned *lang)
{
	FILE *f = open_out(o->dir, "scores.npy");
	size_t i, j, es = o->f64 ? 8 : 4;
	unsigned char *row = malloc(o->m * es);
	uint64_t base = splitmix(o->seed ^ 0x5C0E5C0E5C0E5C0Eull);
	if (!row)
		exit(1);
	npy_header(f, o->n, o->m, o->f64);
	for (i = 0; i < o->n; i++) {
		const household *h = &hh[i];
		uint64_t hi = splitmix(base + i);
		float he = 0.8f * noise(splitmix(hi ^ 0xABCDull)) - 0.3f;
		for (j = 0; j < o->m; j++) {
			float x = he + ue[j] + 0.7f * noise(splitmix(hi + j));
			float p;
			if (!o->transport) {
				if ((int)j == h->tie[0] || (int)j == h->tie[1])
					x += 1.0f;
				if (lang[j] & (1u << h->lang))
					x += 0.3f;
			}
			p = 1.0f / (1.0f + expf(-x));
			if (o->transport)
				p = floorf(p * 1000.0f);
			if (o->f64) {
				double d = p;
				memcpy(row + j * 8, &d, 8);
			} else {
				memcpy(row + j * 4, &p, 4);
			}
		}
		fwrite(row, es, o->m, f);
	}
	free(row);
	close_out(f, "scores.npy");
}

int main(int argc, char **argv)
{
	opts o = {0, 0, 90, 108, 150000, 400, 1, NULL};
	household *hh;
	double *w, *cumw, wsum = 0;
	float *ue;
	unsigned *lang;
	long long persons, school, childcare, capsum;
	uint64_t s;
	size_t j;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--transport"))
			o.transport = 1;
		else if (!strcmp(argv[i], "--f64"))
			o.f64 = 1;
		else if (!strcmp(argv[i], "--households") && i + 1 < argc)
			o.n = parse_size(argv[++i]);
		else if (!strcmp(argv[i], "--units") && i + 1 < argc)
			o.m = parse_size(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			o.seed = parse_size(argv[++i]);
		else if (!strcmp(argv[i], "--corridor") && i + 1 < argc) {
			if (sscanf(argv[++i], "%lf:%lf", &o.lo, &o.hi) != 2 ||
			    o.lo < 0 || o.hi < o.lo || o.hi > 115)
				usage();
		} else if (argv[i][0] == '-' || o.dir)
			usage();
		else
			o.dir = argv[i];
	}
	if (!o.dir || o.m > 9999)
		usage();
	if (mkdir(o.dir, 0777) != 0 && errno != EEXIST) {
		perror(o.dir);
		return 1;
	}
	hh = malloc(o.n * sizeof *hh);
	w = malloc(o.m * sizeof *w);
	cumw = malloc(o.m * sizeof *cumw);
	ue = malloc(o.m * sizeof *ue);
	lang = calloc(o.m, sizeof *lang);
	if (!hh || !w || !cumw || !ue || !lang)
		return 1;
	s = splitmix(o.seed);
	/* unit sizes: log-normal, as the populations of districts */
	for (j = 0; j < o.m; j++) {
		w[j] = exp(0.7 * gauss(&s));
		wsum += w[j];
		cumw[j] = wsum;
		ue[j] = (float)(0.5 * gauss(&s) - 0.5);
	}
	for (j = 0; j < o.m; j++)
		w[j] /= wsum;
	gen_households(&o, hh, &s, &persons, &school, &childcare, cumw);
	gen_units(&o, w, &s, persons, school, childcare, lang, &capsum);
	gen_scores(&o, hh, ue, lang);
	printf("gen_match: %s: %zu households (%lld persons), %zu units "
	       "(capacity %lld), scores %zu x %zu %s (%.1f MB)\n",
	       o.dir, o.n, persons, o.m, capsum, o.n, o.m,
	       o.f64 ? "float64" : "float32",
	       (double)o.n * (double)o.m * (o.f64 ? 8 : 4) / 1e6);
	free(hh);
	free(w);
	free(cumw);
	free(ue);
	free(lang);
	return 0;
}

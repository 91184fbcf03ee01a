/* peer_input.c: the peers' own reader of a transportation instance. */
#include "peer_input.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

double peer_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long peer_peak_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long sz;
	if (!f)
		goto fail;
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto fail;
	buf = malloc((size_t)sz + 1);
	if (!buf || fread(buf, 1, (size_t)sz, f) != (size_t)sz)
		goto fail;
	buf[sz] = '\0';
	*len = (size_t)sz;
	fclose(f);
	return buf;
fail:
	fprintf(stderr, "%s: %s\n", path, strerror(errno ? errno : EIO));
	free(buf);
	if (f)
		fclose(f);
	return NULL;
}

/* A two-column CSV: NAME_A,NAME_B in either order, ',' or ';'. Calls back
 * with the two fields of each row; returns rows or -1. */
typedef int (*row_fn)(void *ctx, size_t row, const char *a, const char *b,
		      const char *where);

static int two_columns(const char *path, const char *ca, const char *cb,
		       row_fn fn, void *ctx)
{
	size_t len, row = 0;
	char *buf = slurp(path, &len), *p, *line, sep;
	long lineno = 0;
	int swap = -1, rc = -1;
	char where[4200];
	if (!buf)
		return -1;
	for (p = buf; *p;) {
		char *f1, *f2, *nl = strchr(p, '\n');
		line = p;
		p = nl ? nl + 1 : p + strlen(p);
		if (nl)
			*nl = '\0';
		lineno++;
		if (nl && nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		snprintf(where, sizeof where, "%s:%ld", path, lineno);
		if (swap < 0 && (line[0] == '#' || line[0] == '\0'))
			continue;
		if (line[0] == '\0' && !*p)
			break;
		sep = strchr(line, ';') && !strchr(line, ',') ? ';' : ',';
		f1 = line;
		f2 = strchr(line, sep);
		if (!f2 || strchr(f2 + 1, sep) || strchr(line, '"')) {
			fprintf(stderr,
				"%s: not a transportation instance: want "
				"exactly the columns %s,%s\n",
				where, ca, cb);
			goto done;
		}
		*f2++ = '\0';
		if (swap < 0) {
			if (!strcmp(f1, ca) && !strcmp(f2, cb))
				swap = 0;
			else if (!strcmp(f1, cb) && !strcmp(f2, ca))
				swap = 1;
			else {
				fprintf(stderr,
					"%s: not a transportation instance: "
					"want exactly the columns %s,%s\n",
					where, ca, cb);
				goto done;
			}
			continue;
		}
		if (fn(ctx, row++, swap ? f2 : f1, swap ? f1 : f2, where) < 0)
			goto done;
	}
	rc = (int)row;
done:
	free(buf);
	return rc;
}

typedef struct names {
	char **v;
	size_t n, cap;
	long long *num;
} names;

static int push(names *s, const char *name, long long num)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 1024;
		char **nv = realloc(s->v, nc * sizeof *nv);
		long long *nn;
		if (!nv)
			return -1;
		s->v = nv;
		nn = realloc(s->num, nc * sizeof *nn);
		if (!nn)
			return -1;
		s->num = nn;
		s->cap = nc;
	}
	s->v[s->n] = strdup(name);
	if (!s->v[s->n])
		return -1;
	s->num[s->n++] = num;
	return 0;
}

static int on_row(void *ctx, size_t row, const char *a, const char *b,
		  const char *where)
{
	char *end;
	long long v;
	(void)row;
	errno = 0;
	v = strtoll(b, &end, 10);
	if (errno || end == b || *end || v < 0) {
		fprintf(stderr, "%s: not a non-negative integer: '%s'\n", where,
			b);
		return -1;
	}
	if (push(ctx, a, v) < 0) {
		fprintf(stderr, "%s: out of memory\n", where);
		return -1;
	}
	return 0;
}

FILE *peer_npy_open(const char *path, size_t *n, size_t *m, int *f64)
{
	FILE *f = fopen(path, "rb");
	unsigned char pre[12];
	char hdr[4096];
	size_t hlen;
	const char *d, *s;
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0)
		goto bad;
	if (pre[6] == 1) {
		hlen = pre[8] | (size_t)pre[9] << 8;
	} else if (pre[6] == 2 || pre[6] == 3) {
		if (fread(pre + 10, 1, 2, f) != 2)
			goto bad;
		hlen = pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 |
		       (size_t)pre[11] << 24;
	} else {
		goto bad;
	}
	if (hlen >= sizeof hdr || fread(hdr, 1, hlen, f) != hlen)
		goto bad;
	hdr[hlen] = '\0';
	d = strstr(hdr, "'descr':");
	if (!d || strstr(hdr, "'fortran_order': True"))
		goto bad;
	if (strstr(d, "'<f4'"))
		*f64 = 0;
	else if (strstr(d, "'<f8'"))
		*f64 = 1;
	else
		goto bad;
	s = strstr(hdr, "'shape':");
	if (!s || sscanf(s, "'shape': (%zu, %zu)", n, m) != 2)
		goto bad;
	return f;
bad:
	fprintf(stderr,
		"%s: not a 2-d C-order float32/float64 .npy file the peers "
		"read\n",
		path);
	fclose(f);
	return NULL;
}

static int read_scores(const char *path, peer_inst *in)
{
	size_t n, m, i, j;
	int f64;
	FILE *f = peer_npy_open(path, &n, &m, &f64);
	void *row = NULL;
	if (!f)
		return -1;
	if (n != in->n || m != in->m) {
		fprintf(stderr,
			"%s: shape (%zu, %zu), but %zu households and %zu "
			"units\n",
			path, n, m, in->n, in->m);
		goto fail;
	}
	in->score = malloc(n * m * sizeof *in->score);
	row = malloc(m * 8);
	if (!in->score || !row)
		goto fail;
	for (i = 0; i < n; i++) {
		if (fread(row, f64 ? 8 : 4, m, f) != m) {
			fprintf(stderr, "%s: short file\n", path);
			goto fail;
		}
		for (j = 0; j < m; j++) {
			double v;
			if (f64) {
				memcpy(&v, (char *)row + 8 * j, 8);
			} else {
				float x;
				memcpy(&x, (char *)row + 4 * j, 4);
				v = x;
			}
			if (v != floor(v) || fabs(v) > 1e9) {
				fprintf(stderr,
					"%s: score (%zu, %zu) = %g is not an "
					"integer: not a transportation "
					"instance\n",
					path, i, j, v);
				goto fail;
			}
			in->score[i * m + j] = (int)v;
		}
	}
	free(row);
	fclose(f);
	return 0;
fail:
	free(row);
	fclose(f);
	return -1;
}

int peer_read(const char *dir, peer_inst *in)
{
	char path[4096];
	names u = {0}, h = {0};
	size_t i;
	memset(in, 0, sizeof *in);
	snprintf(path, sizeof path, "%s/units.csv", dir);
	if (two_columns(path, "code", "capacity", on_row, &u) < 0)
		goto fail;
	snprintf(path, sizeof path, "%s/households.csv", dir);
	if (two_columns(path, "id", "persons", on_row, &h) < 0)
		goto fail;
	for (i = 0; i < h.n; i++) {
		if (h.num[i] != 1) {
			fprintf(stderr,
				"%s: household %s has %lld persons: not a "
				"transportation instance\n",
				path, h.v[i], h.num[i]);
			goto fail;
		}
	}
	in->n = h.n;
	in->m = u.n;
	in->unit = u.v;
	in->hh = h.v;
	in->cap = u.num;
	free(h.num);
	h.num = NULL;
	u.v = h.v = NULL;
	u.num = NULL;
	snprintf(path, sizeof path, "%s/scores.npy", dir);
	if (read_scores(path, in) < 0)
		goto fail;
	return 0;
fail:
	for (i = 0; i < u.n && u.v; i++)
		free(u.v[i]);
	for (i = 0; i < h.n && h.v; i++)
		free(h.v[i]);
	free(u.v);
	free(u.num);
	free(h.v);
	free(h.num);
	peer_free(in);
	return -1;
}

void peer_free(peer_inst *in)
{
	size_t i;
	for (i = 0; i < in->m && in->unit; i++)
		free(in->unit[i]);
	for (i = 0; i < in->n && in->hh; i++)
		free(in->hh[i]);
	free(in->unit);
	free(in->hh);
	free(in->cap);
	free(in->score);
	memset(in, 0, sizeof *in);
}

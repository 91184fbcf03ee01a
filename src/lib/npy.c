/* npy.c: the .npy reader of npy.h: magic, version, header dict, mapping. */
#include "hafen/npy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define NPY_MAX_HEADER 65536

static int bad(hf_error *err, const char *name, const char *de, const char *en)
{
	return hf_error_set(err, HF_EPARSE, name,
			    "keine gültige .npy-Datei: %s",
			    "not a valid .npy file: %s",
			    hf_tr(err ? err->lang : HF_LANG_DE, de, en));
}

/* The header dict, e.g. {'descr': '<f8', 'fortran_order': False,
 * 'shape': (3, 4), }, read by a small parser of exactly that grammar. */
typedef struct hdr {
	const char *p, *end;
	char descr[16];
	int fortran, have_descr, have_fortran, have_shape, ndim;
	uint64_t shape[2];
} hdr;

static void ws(hdr *h)
{
	while (h->p < h->end && (*h->p == ' ' || *h->p == '\t' ||
				 *h->p == '\n' || *h->p == '\r'))
		h->p++;
}

static int eat(hdr *h, char c)
{
	ws(h);
	if (h->p < h->end && *h->p == c) {
		h->p++;
		return 1;
	}
	return 0;
}

/* A quoted string of at most size - 1 characters. */
static int str(hdr *h, char *buf, size_t size)
{
	char q;
	size_t n = 0;
	ws(h);
	if (h->p >= h->end || (*h->p != '\'' && *h->p != '"'))
		return -1;
	q = *h->p++;
	while (h->p < h->end && *h->p != q) {
		if (n + 1 >= size)
			return -1;
		buf[n++] = *h->p++;
	}
	if (h->p >= h->end)
		return -1;
	h->p++;
	buf[n] = '\0';
	return 0;
}

static int shape(hdr *h)
{
	if (!eat(h, '('))
		return -1;
	h->ndim = 0;
	for (;;) {
		uint64_t v = 0;
		int digits = 0;
		if (eat(h, ')'))
			return 0;
		ws(h);
		while (h->p < h->end && *h->p >= '0' && *h->p <= '9') {
			if (v > (UINT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (uint64_t)(*h->p++ - '0');
			digits++;
		}
		if (h->p < h->end && *h->p == 'L')
			h->p++;
		if (!digits)
			return -1;
		if (h->ndim < 2)
			h->shape[h->ndim] = v;
		h->ndim++;
		if (!eat(h, ',')) {
			if (!eat(h, ')'))
				return -1;
			return 0;
		}
	}
}

static int dict(hdr *h)
{
	char key[32];
	if (!eat(h, '{'))
		return -1;
	for (;;) {
		if (eat(h, '}'))
			break;
		if (str(h, key, sizeof key) < 0 || !eat(h, ':'))
			return -1;
		ws(h);
		if (!strcmp(key, "descr")) {
			if (str(h, h->descr, sizeof h->descr) < 0)
				return -1;
			h->have_descr = 1;
		} else if (!strcmp(key, "fortran_order")) {
			if (h->end - h->p >= 4 && !memcmp(h->p, "True", 4)) {
				h->fortran = 1;
				h->p += 4;
			} else if (h->end - h->p >= 5 &&
				   !memcmp(h->p, "False", 5)) {
				h->p += 5;
			} else {
				return -1;
			}
			h->have_fortran = 1;
		} else if (!strcmp(key, "shape")) {
			if (shape(h) < 0)
				return -1;
			h->have_shape = 1;
		} else {
			return -1;
		}
		if (!eat(h, ',')) {
			if (!eat(h, '}'))
				return -1;
			break;
		}
	}
	ws(h);
	return h->p == h->end ? 0 : -1;
}

int hf_npy_parse(const char *name, const void *bytes, size_t len, hf_npy **out,
		 hf_error *err)
{
	const unsigned char *b = bytes;
	size_t hlen, off, item, need;
	hf_npy *s;
	hdr h;

	*out = NULL;
	if (len < 10 || memcmp(b, "\x93NUMPY", 6))
		return bad(err, name, "die Datei beginnt nicht mit \\x93NUMPY.",
			   "the file does not begin with \\x93NUMPY.");
	if (b[6] == 1 && b[7] == 0) {
		hlen = (size_t)b[8] | (size_t)b[9] << 8;
		off = 10;
	} else if ((b[6] == 2 || b[6] == 3) && b[7] == 0) {
		if (len < 12)
			return bad(err, name, "der Kopf ist abgeschnitten.",
				   "the header is cut short.");
		hlen = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 |
		       (size_t)b[11] << 24;
		off = 12;
	} else {
		hf_error_set(err, HF_EPARSE, name,
			     "keine gültige .npy-Datei: Version %u.%u wird "
			     "nicht unterstützt (1.0, 2.0, 3.0).",
			     "not a valid .npy file: version %u.%u is not "
			     "supported (1.0, 2.0, 3.0).",
			     b[6], b[7]);
		return HF_EPARSE;
	}
	if (hlen > NPY_MAX_HEADER || hlen > len - off)
		return bad(err, name, "der Kopf ist länger als die Datei.",
			   "the header is longer than the file.");
	memset(&h, 0, sizeof h);
	h.p = (const char *)b + off;
	h.end = h.p + hlen;
	if (dict(&h) < 0)
		return bad(err, name,
			   "der Kopf ist kein Wörterbuch aus descr, "
			   "fortran_order und shape.",
			   "the header is not a dict of descr, fortran_order "
			   "and shape.");
	if (!h.have_descr || !h.have_fortran || !h.have_shape)
		return bad(err, name,
			   "im Kopf fehlt descr, fortran_order oder shape.",
			   "the header lacks descr, fortran_order or shape.");
	if (!strcmp(h.descr, "<f4")) {
		item = 4;
	} else if (!strcmp(h.descr, "<f8")) {
		item = 8;
	} else {
		hf_error_set(err, HF_EPARSE, name,
			     "Datentyp »%s« wird nicht unterstützt; nötig ist "
			     "'<f4' oder '<f8' (float32, float64).",
			     "dtype '%s' is not supported; '<f4' or '<f8' "
			     "(float32, float64) is needed.",
			     h.descr);
		return HF_EPARSE;
	}
	if (h.ndim != 2) {
		hf_error_set(err, HF_EPARSE, name,
			     "die Matrix hat %d Dimensionen; nötig sind 2 "
			     "(Haushalte × Einheiten).",
			     "the array has %d dimensions; 2 are needed "
			     "(households × units).",
			     h.ndim);
		return HF_EPARSE;
	}
	off += hlen;
	if (h.shape[0] && h.shape[1] > SIZE_MAX / item / h.shape[0])
		return bad(err, name, "die Form ist zu groß.",
			   "the shape is too large.");
	need = (size_t)h.shape[0] * (size_t)h.shape[1] * item;
	if (len - off < need) {
		hf_error_set(err, HF_EPARSE, name,
			     "die Datei ist zu kurz: die Form (%llu, %llu) "
			     "braucht %zu Bytes Daten, es sind %zu.",
			     "the file is too short: shape (%llu, %llu) needs "
			     "%zu bytes of data, there are %zu.",
			     (unsigned long long)h.shape[0],
			     (unsigned long long)h.shape[1], need, len - off);
		return HF_EPARSE;
	}
	if (len - off > need)
		return bad(err, name, "hinter den Daten stehen weitere Bytes.",
			   "there are further bytes after the data.");
	if (!(s = calloc(1, sizeof *s)))
		return hf_error_set(err, HF_ENOMEM, name, "Zu wenig Speicher.",
				    "Out of memory.");
	s->rows = (size_t)h.shape[0];
	s->cols = (size_t)h.shape[1];
	s->dtype = item == 4 ? HF_NPY_F4 : HF_NPY_F8;
	s->fortran = h.fortran;
	s->data = b + off;
	if ((uintptr_t)s->data % item) {
		/* an odd header length: copy so that elements are aligned */
		void *copy = malloc(need ? need : 1);
		if (!copy) {
			free(s);
			return hf_error_set(err, HF_ENOMEM, name,
					    "Zu wenig Speicher.",
					    "Out of memory.");
		}
		memcpy(copy, s->data, need);
		s->data = copy;
		s->map_len = 0;
		s->map = copy; /* freed, not unmapped: map_len 0 */
	}
	*out = s;
	return HF_OK;
}

int hf_npy_open(const char *path, hf_npy **out, hf_error *err)
{
	struct stat st;
	void *map = NULL;
	int fd, rc;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hf_error_set(
		    err, HF_EIO, path, "Datei %s lässt sich nicht öffnen: %s.",
		    "cannot open file %s: %s.", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return hf_error_set(err, HF_EIO, path,
				    "%s ist keine lesbare Datei.",
				    "%s is not a readable file.", path);
	}
	if (st.st_size > 0) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
			   0);
		if (map == MAP_FAILED) {
			close(fd);
			return hf_error_set(err, HF_EIO, path,
					    "Datei %s lässt sich nicht "
					    "abbilden: %s.",
					    "cannot map file %s: %s.", path,
					    strerror(errno));
		}
	}
	close(fd);
	rc = hf_npy_parse(path, map ? map : "", (size_t)st.st_size, out, err);
	if (rc < 0) {
		if (map)
			munmap(map, (size_t)st.st_size);
		return rc;
	}
	if ((*out)->map) {
		/* parse copied the data; the mapping is no longer needed */
		munmap(map, (size_t)st.st_size);
	} else {
		(*out)->map = map;
		(*out)->map_len = (size_t)st.st_size;
	}
	return HF_OK;
}

void hf_npy_close(hf_npy *s)
{
	if (!s)
		return;
	if (s->map && s->map_len)
		munmap(s->map, s->map_len);
	else if (s->map && !s->map_len)
		free(s->map);
	free(s);
}

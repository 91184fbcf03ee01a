/* strbuf.c: the growing text buffer of strbuf_int.h. */
#include "strbuf_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for n more bytes; 0, or -1 and oom set. */
static int reserve(hf__strbuf *b, size_t n)
{
	size_t ncap;
	char *ns;
	if (b->oom)
		return -1;
	if (b->s && b->cap - b->len >= n)
		return 0;
	ncap = (b->cap ? b->cap : 512) * 2 + n;
	if (!(ns = realloc(b->s, ncap))) {
		b->oom = 1;
		return -1;
	}
	b->s = ns;
	b->cap = ncap;
	return 0;
}

void hf__sb_printf(hf__strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt,
			      ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if (b->s && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		if (reserve(b, (size_t)n + 1) < 0)
			return;
	}
}

void hf__sb_put(hf__strbuf *b, const void *p, size_t n)
{
	if (reserve(b, n) < 0)
		return;
	memcpy(b->s + b->len, p, n);
	b->len += n;
}

int hf__file_read(const char *path, char **data, size_t *len, hf_error *err)
{
	FILE *f = fopen(path, "rb");
	char *d = NULL;
	size_t n = 0, cap = 0, got;
	int rc = HF_OK;

	*data = NULL;
	*len = 0;
	if (!f)
		return hf_error_set(
		    err, HF_EIO, path, "Datei %s lässt sich nicht öffnen: %s.",
		    "cannot open file %s: %s.", path, strerror(errno));
	for (;;) {
		if (n + 65536 + 1 > cap) {
			size_t ncap = cap ? cap * 2 : 131072;
			char *nd;
			if (ncap > HF__FILE_MAX + 65537) {
				rc = hf_error_set(
				    err, HF_ERANGE, path,
				    "Datei %s ist größer als 1 GiB.",
				    "file %s is larger than 1 GiB.", path);
				goto out;
			}
			if (!(nd = realloc(d, ncap))) {
				rc = hf_error_set(err, HF_ENOMEM, path,
						  "Zu wenig Speicher.",
						  "Out of memory.");
				goto out;
			}
			d = nd;
			cap = ncap;
		}
		got = fread(d + n, 1, 65536, f);
		n += got;
		if (got < 65536)
			break;
	}
	if (ferror(f)) {
		rc = hf_error_set(err, HF_EIO, path,
				  "Datei %s lässt sich nicht lesen.",
				  "cannot read file %s.", path);
		goto out;
	}
	d[n] = '\0';
	*data = d;
	*len = n;
	d = NULL;
out:
	fclose(f);
	free(d);
	return rc;
}

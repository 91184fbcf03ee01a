/* strbuf_int.h: a growing text buffer for reports (a failed allocation
 * sets oom and makes every later call a no-op, so callers check once at
 * the end), and a whole file read into memory. */
#ifndef HAFEN_STRBUF_INT_H
#define HAFEN_STRBUF_INT_H

#include <stddef.h>

#include "hafen/error.h"

typedef struct hf__strbuf {
	char *s;
	size_t len, cap;
	int oom;
} hf__strbuf;

void hf__sb_printf(hf__strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Appends n bytes at p, NULs too (text kept as strings end to end). */
void hf__sb_put(hf__strbuf *b, const void *p, size_t n);

/* The largest file hf__file_read takes. */
#define HF__FILE_MAX ((size_t)1 << 30)

/* Reads the file at path whole into *data (NUL-terminated, *len bytes
 * before the NUL; the caller frees it). HF_EIO when it cannot be opened
 * or read, HF_ERANGE when it is larger than HF__FILE_MAX, HF_ENOMEM; the
 * error's place is the path. */
int hf__file_read(const char *path, char **data, size_t *len, hf_error *err);

#endif

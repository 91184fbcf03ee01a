/* strbuf_int.h: a growing text buffer for reports. A failed allocation
 * sets oom and makes every later call a no-op, so callers check once at
 * the end. */
#ifndef HAFEN_STRBUF_INT_H
#define HAFEN_STRBUF_INT_H

#include <stddef.h>

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

#endif

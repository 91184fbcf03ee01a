/* strbuf.c: the growing text buffer of strbuf_int.h. */
#include "strbuf_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
		{
			size_t ncap = (b->cap ? b->cap : 512) * 2 + (size_t)n;
			char *ns = realloc(b->s, ncap);
			if (!ns) {
				b->oom = 1;
				return;
			}
			b->s = ns;
			b->cap = ncap;
		}
	}
}

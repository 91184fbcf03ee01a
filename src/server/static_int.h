/* static_int.h: the files scripts/embed.py web builds into the binary. */
#ifndef HAFEN_STATIC_INT_H
#define HAFEN_STATIC_INT_H

#include <stddef.h>

struct hf__web_file {
	const char *name;  /* "index.html" */
	const char *ctype; /* "text/html; charset=utf-8" */
	const char *data;
	size_t size;
};

/* Ends in an entry with name NULL. */
extern const struct hf__web_file hf__web_files[];

#endif

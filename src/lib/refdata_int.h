/* refdata_int.h: the bundled data files, embedded at build time. */
#ifndef HAFEN_REFDATA_INT_H
#define HAFEN_REFDATA_INT_H

#include <stddef.h>

struct hf__refdata_file {
	const char *name; /* "units.csv" */
	const char *data; /* NUL-terminated */
	size_t size;
};

/* Terminated by an entry with name NULL. */
extern const struct hf__refdata_file hf__refdata_files[];

#endif

/*
 * fuzz_import.h: what the CSV and JSON import targets do with the input
 * once its first byte chose the kind and the options: every row checked
 * without a database, and for the match kinds the normalised file written
 * (to memory).
 */
#ifndef HAFEN_FUZZ_IMPORT_H
#define HAFEN_FUZZ_IMPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hafen/io.h"

static inline void fuzz_import(hf_io_kind kind, const char *name,
			       const uint8_t *data, size_t size,
			       const hf_import_options *o, hf_error *err)
{
	hf_import_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	hf_import_parse_only(kind, name, data, size, o, &r, err);
	hf_import_result_clear(&r);
	if (kind == HF_IO_HOUSEHOLDS || kind == HF_IO_MATCH_UNITS) {
		out = open_memstream(&buf, &len);
		if (out) {
			hf_import_match(kind, name, data, size, o, out, &r,
					err);
			hf_import_result_clear(&r);
			fclose(out);
		}
		free(buf);
	}
}

#endif

/*
 * fuzz_json.c: libFuzzer target for the JSON import reader: jansson's
 * parse, {"kind", "rows": [...]} or a bare array, members mapped to a
 * kind's columns, values (strings, integers, arrays as lists, reals and
 * objects refused) and every row checked, without a database. The first
 * byte picks the kind.
 *
 *   ninja -C build tests/fuzz/fuzz_json
 *   build/tests/fuzz/fuzz_json tests/fuzz/corpus/json
 */
#include <stdint.h>

#include "hafen/io.h"

#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hf_import_options o = hf_import_options_default();
	hf_error err;
	hf_io_kind kind;

	if (size < 1)
		return 0;
	kind = (hf_io_kind)(data[0] % HF_IO_KIND_COUNT);
	o.format = HF_IO_JSON;
	hf_error_init(&err, data[0] & 0x80 ? HF_LANG_EN : HF_LANG_DE);
	fuzz_import(kind, "fuzz.json", data + 1, size - 1, &o, &err);
	return 0;
}

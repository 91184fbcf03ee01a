/*
 * fuzz_csv.c: libFuzzer target for the CSV import reader: decoding (BOM,
 * UTF-8, Windows-1252), dialect and delimiter, libcsv through csvread.c,
 * the header mapped to a kind's columns and every row checked, without a
 * database. The first byte picks the kind and the dialect; for the match
 * kinds the normalised CSV is written too.
 *
 *   ninja -C build tests/fuzz/fuzz_csv
 *   build/tests/fuzz/fuzz_csv tests/fuzz/corpus/csv
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
	kind = (hf_io_kind)((data[0] / 3) % HF_IO_KIND_COUNT);
	o.format = HF_IO_CSV;
	o.dialect = (hf_dialect)(data[0] % 3);
	hf_error_init(&err, data[0] & 0x80 ? HF_LANG_EN : HF_LANG_DE);
	fuzz_import(kind, "fuzz.csv", data + 1, size - 1, &o, &err);
	return 0;
}

/*
 * Fuzz target for the XLSX reader: any bytes as a workbook from memory,
 * every sheet read and every cell looked at. The reader must refuse or
 * read, never crash, leak or hang. Caps are lowered so a zip bomb costs
 * milliseconds, not the fuzzer's memory.
 *
 *   clang -fsanitize=fuzzer,address,undefined ... (ninja -C build fuzzers)
 *   build/tests/fuzz/fuzz_xlsx -max_len=65536 corpus-dir tests/fuzz/corpus/xlsx
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hafen/error.h"
#include "hafen/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const hf_xlsx_sheet *s)
{
	size_t r, c, nr = hf_xlsx_sheet_nrows(s), nc = hf_xlsx_sheet_ncols(s);
	volatile size_t sum = 0;
	char ref[16];

	for (r = 0; r < nr; r++)
		for (c = 0; c < nc; c++) {
			const hf_xlsx_cell *cell = hf_xlsx_sheet_cell(s, r, c);
			if (!cell || !cell->text ||
			    cell->type > HF_XLSX_ERROR ||
			    (cell->type == HF_XLSX_EMPTY) != !*cell->text)
				__builtin_trap();
			sum += strlen(cell->text);
			hf_xlsx_cellref(r, c, ref, sizeof ref);
		}
	if (hf_xlsx_sheet_cell(s, nr, 0) || hf_xlsx_sheet_cell(s, 0, nc))
		__builtin_trap();
	(void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hf_xlsx_limits lim = {(size_t)4 << 20, 200000, 65536};
	hf_xlsx_sheet *s;
	hf_xlsx *x;
	hf_error err;
	size_t i;

	hf_error_init(&err, HF_LANG_EN);
	if (hf_xlsx_open_mem("fuzz.xlsx", data, size, &x, &err) != HF_OK)
		return 0;
	hf_xlsx_set_limits(x, &lim);
	for (i = 0; i < hf_xlsx_nsheets(x) && i < 8; i++) {
		if (hf_xlsx_sheet_read(x, hf_xlsx_sheet_name(x, i), &s, &err) !=
		    HF_OK)
			continue;
		if (strcmp(hf_xlsx_sheet_title(s), hf_xlsx_sheet_name(x, i)) &&
		    strcasecmp(hf_xlsx_sheet_title(s),
			       hf_xlsx_sheet_name(x, i)))
			__builtin_trap();
		walk(s);
		hf_xlsx_sheet_free(s);
	}
	if (hf_xlsx_sheet_read(x, "\xff no such sheet", &s, &err) != HF_OK &&
	    err.code != HF_ENOTFOUND && err.code != HF_EPARSE &&
	    err.code != HF_ERANGE && err.code != HF_ENOMEM)
		__builtin_trap();
	hf_xlsx_close(x);
	return 0;
}

/*
 * Fuzz target for the XLSX reader: any bytes as a workbook from memory,
 * every sheet read and every cell looked at. The reader must refuse or
 * read, never crash, leak or hang. Caps are lowered so a zip bomb costs
 * milliseconds, not the fuzzer's memory.
 *
 * Input starting with "XMLZ" is not a zip but the XML itself: the rest,
 * split at the first NUL byte into shared strings and a sheet, is packed
 * with a fixed workbook and styles into a valid stored zip, so mutations
 * reach the XML parsers instead of breaking checksums.
 *
 *   clang -fsanitize=fuzzer,address,undefined ... (ninja -C build fuzzers)
 *   build/tests/fuzz/fuzz_xlsx -max_len=65536 corpus-dir tests/fuzz/corpus/xlsx
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* ---- a stored zip built in memory ---- */

typedef struct zbuf {
	uint8_t *p;
	size_t len, cap;
} zbuf;

static uint32_t crc32(const uint8_t *d, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	size_t i;
	int k;
	for (i = 0; i < n; i++) {
		c ^= d[i];
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
	}
	return ~c;
}

static void put(zbuf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2;
		uint8_t *np = realloc(b->p, cap);
		if (!np)
			abort();
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void put16(zbuf *b, uint32_t v)
{
	uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	put(b, x, 2);
}

static void put32(zbuf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			(uint8_t)(v >> 24)};
	put(b, x, 4);
}

typedef struct entry {
	const char *name;
	const uint8_t *data;
	size_t len;
} entry;

static void zip_stored(zbuf *z, const entry *e, int n)
{
	zbuf cd = {NULL, 0, 0};
	uint32_t offs[8];
	int i;
	for (i = 0; i < n; i++) {
		uint32_t crc = crc32(e[i].data, e[i].len);
		size_t nl = strlen(e[i].name);
		offs[i] = (uint32_t)z->len;
		put32(z, 0x04034b50);
		put16(z, 20);
		put16(z, 0);
		put16(z, 0); /* stored */
		put16(z, 0);
		put16(z, 0);
		put32(z, crc);
		put32(z, (uint32_t)e[i].len);
		put32(z, (uint32_t)e[i].len);
		put16(z, (uint32_t)nl);
		put16(z, 0);
		put(z, e[i].name, nl);
		put(z, e[i].data, e[i].len);
		put32(&cd, 0x02014b50);
		put16(&cd, 20);
		put16(&cd, 20);
		put16(&cd, 0);
		put16(&cd, 0);
		put16(&cd, 0);
		put16(&cd, 0);
		put32(&cd, crc);
		put32(&cd, (uint32_t)e[i].len);
		put32(&cd, (uint32_t)e[i].len);
		put16(&cd, (uint32_t)nl);
		put16(&cd, 0);
		put16(&cd, 0);
		put16(&cd, 0);
		put16(&cd, 0);
		put32(&cd, 0);
		put32(&cd, offs[i]);
		put(&cd, e[i].name, nl);
	}
	{
		uint32_t cdoff = (uint32_t)z->len;
		put(z, cd.p, cd.len);
		put32(z, 0x06054b50);
		put16(z, 0);
		put16(z, 0);
		put16(z, (uint32_t)n);
		put16(z, (uint32_t)n);
		put32(z, (uint32_t)cd.len);
		put32(z, cdoff);
		put16(z, 0);
	}
	free(cd.p);
}

#define S(x) (const uint8_t *)(x), sizeof(x) - 1

static const char rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
    "schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
    "2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships\"><workbookPr/><sheets><sheet "
    "name=\"A\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char wbrels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
    "schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
static const char styles[] =
    "<styleSheet><numFmts><numFmt numFmtId=\"164\" "
    "formatCode=\"DD.MM.YYYY\"/></numFmts><cellXfs><xf numFmtId=\"0\"/>"
    "<xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"2\"/>"
    "</cellXfs></styleSheet>";

/* "XMLZ" + shared strings + NUL + sheet, as a workbook */
static uint8_t *wrap(const uint8_t *data, size_t size, size_t *len)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t nsst = nul ? (size_t)(nul - data) : 0;
	entry e[6] = {
	    {"_rels/.rels", S(rels)},
	    {"xl/workbook.xml", S(workbook)},
	    {"xl/_rels/workbook.xml.rels", S(wbrels)},
	    {"xl/styles.xml", S(styles)},
	    {"xl/sharedStrings.xml", data, nsst},
	    {"xl/worksheets/sheet1.xml", nul ? nul + 1 : data,
	     nul ? size - nsst - 1 : size},
	};
	zbuf z = {NULL, 0, 0};
	zip_stored(&z, e, 6);
	*len = z.len;
	return z.p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *wrapped = NULL;
	hf_xlsx_limits lim = {(size_t)4 << 20, 200000, 65536};
	hf_xlsx_sheet *s;
	hf_xlsx *x;
	hf_error err;
	size_t i;

	hf_error_init(&err, HF_LANG_EN);
	if (size >= 4 && !memcmp(data, "XMLZ", 4)) {
		data = wrapped = wrap(data + 4, size - 4, &size);
	}
	if (hf_xlsx_open_mem("fuzz.xlsx", data, size, &x, &err) != HF_OK) {
		free(wrapped);
		return 0;
	}
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
	free(wrapped);
	return 0;
}

/*
 * xlsx_int.h: what the parts of the XLSX reader share: the open workbook
 * (xlsx_read.c), a text arena and streaming one XML part of the zip
 * through expat (xlsx_xml.c), the shared strings and date styles
 * (xlsx_shared.c), used by the sheet reader (xlsx_sheet.c).
 */
#ifndef HAFEN_XLSX_INT_H
#define HAFEN_XLSX_INT_H

#include <expat.h>
#include <stddef.h>
#include <zip.h>

#include "dl.h"
#include "hafen/xlsx.h"

/* libzip is loaded when the first workbook is opened (hf__zip_load,
 * dl.h), not when a program linked with hafen starts: with OpenSSL's
 * libcrypto behind it, it cost every command about 2 ms. */
#define HF_ZIP_FUNCS(X, a)                                                     \
	X(a, zip_discard)                                                      \
	X(a, zip_error_code_zip)                                               \
	X(a, zip_error_fini)                                                   \
	X(a, zip_error_init)                                                   \
	X(a, zip_error_init_with_code)                                         \
	X(a, zip_error_strerror)                                               \
	X(a, zip_fclose)                                                       \
	X(a, zip_file_get_error)                                               \
	X(a, zip_fopen_index)                                                  \
	X(a, zip_fread)                                                        \
	X(a, zip_get_error)                                                    \
	X(a, zip_name_locate)                                                  \
	X(a, zip_open)                                                         \
	X(a, zip_open_from_source)                                             \
	X(a, zip_source_buffer_create)                                         \
	X(a, zip_source_free)                                                  \
	X(a, zip_stat_index)                                                   \
	X(a, zip_stat_init)

struct hf__zip_api {
	HF_ZIP_FUNCS(HF_DL_MEMBER, _)
};
extern struct hf__zip_api hf__zip;

#define zip_discard		 (hf__zip.p_zip_discard)
#define zip_error_code_zip	 (hf__zip.p_zip_error_code_zip)
#define zip_error_fini		 (hf__zip.p_zip_error_fini)
#define zip_error_init		 (hf__zip.p_zip_error_init)
#define zip_error_init_with_code (hf__zip.p_zip_error_init_with_code)
#define zip_error_strerror	 (hf__zip.p_zip_error_strerror)
#define zip_fclose		 (hf__zip.p_zip_fclose)
#define zip_file_get_error	 (hf__zip.p_zip_file_get_error)
#define zip_fopen_index		 (hf__zip.p_zip_fopen_index)
#define zip_fread		 (hf__zip.p_zip_fread)
#define zip_get_error		 (hf__zip.p_zip_get_error)
#define zip_name_locate		 (hf__zip.p_zip_name_locate)
#define zip_open		 (hf__zip.p_zip_open)
#define zip_open_from_source	 (hf__zip.p_zip_open_from_source)
#define zip_source_buffer_create (hf__zip.p_zip_source_buffer_create)
#define zip_source_free		 (hf__zip.p_zip_source_free)
#define zip_stat_index		 (hf__zip.p_zip_stat_index)
#define zip_stat_init		 (hf__zip.p_zip_stat_init)

int hf__zip_load(hf_error *err);

/* Texts that live as long as their owner: chunks never move. */
typedef struct hf__arena_chunk hf__arena_chunk;
typedef struct hf__arena {
	hf__arena_chunk *head;
} hf__arena;

/* A copy of s[0..n) with a terminator, or NULL when out of memory. */
char *hf__arena_dup(hf__arena *a, const char *s, size_t n);
void hf__arena_free(hf__arena *a);

/* The shared string table, shared by the workbook and the sheets read
 * from it (reference counted, so a sheet outlives hf_xlsx_close). */
typedef struct hf__xlsx_sst {
	long refs;
	hf__arena mem;
	const char **s;
	size_t n, cap;
} hf__xlsx_sst;

void hf__xlsx_sst_unref(hf__xlsx_sst *t);

typedef struct hf__xlsx_sheetref {
	char *name;
	char *part;   /* zip entry name, NULL if the relationship is missing */
	int is_chart; /* a chart sheet: nothing to read */
} hf__xlsx_sheetref;

struct hf_xlsx {
	char *name; /* for messages */
	zip_t *zip;
	hf_xlsx_limits lim;
	int date1904;
	char *wb_part; /* "xl/workbook.xml" */
	char *sst_part, *styles_part;
	hf__xlsx_sheetref *sheets;
	size_t nsheets;
	/* loaded with the first sheet */
	int aux_loaded;
	hf__xlsx_sst *sst;
	unsigned char *xf_date; /* per cellXfs index: a date format */
	size_t nxf;
};

/* Writes the ISO date ("YYYY-MM-DD", with "THH:MM:SS" when there is a
 * time) of the serial number text t into buf; -1 when t is no real date:
 * negative, past 9999-12-31 or, in the 1900 system, serial 60 (the
 * 1900-02-29 Excel counts but which never was). */
int hf__xlsx_serial_to_iso(const char *t, int date1904, char *buf, size_t size);
/* The ISO 8601 text of a cell of type "d" in the same form; -1 if it is
 * none. */
int hf__xlsx_iso_normalise(const char *t, char *buf, size_t size);

/* Loads shared strings and styles once. */
int hf__xlsx_load_aux(hf_xlsx *x, hf_error *err);

/*
 * Streaming one XML part. Every parser state starts with an hf__xp; the
 * handlers get it as user data. Text is gathered while `collect` is set,
 * capped at the workbook's max_string. A handler that fails calls
 * hf__xp_fail, which stops the parser; the error carries file, part, line
 * and column.
 */
typedef struct hf__xp {
	XML_Parser p;
	hf_xlsx *x;
	const char *part;
	hf_error *err;
	int rc;
	int collect;
	char *text;
	size_t tlen, tcap;
} hf__xp;

int hf__xp_fail(hf__xp *xp, int code, const char *de, const char *en, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 5)))
#endif
    ;
/* The local part of an element or attribute name (prefix dropped). */
const char *hf__xp_local(const char *name);
/* An attribute's value by local name, or NULL. */
const char *hf__xp_attr(const char **atts, const char *local);
/* The whole number in decimal text s (an attribute's value; NULL or ""
 * is none) if it is at most max: 0, or -1. */
int hf__xp_ulong(const char *s, unsigned long max, unsigned long *out);
/* Clears the gathered text. */
void hf__xp_text_reset(hf__xp *xp);
/* Decodes the _xHHHH_ escapes of OOXML strings in the gathered text. */
void hf__xp_text_unescape(hf__xp *xp);

/* The zip index of entry `part` (exact name first, then ignoring case),
 * or -1. */
zip_int64_t hf__xlsx_locate(hf_xlsx *x, const char *part);

/* Parses zip entry `part` of x with the handlers; HF_ENOTFOUND when the
 * part is missing and `optional` (no error set), else an error naming it. */
int hf__xlsx_parse(hf_xlsx *x, const char *part, int optional, hf__xp *xp,
		   XML_StartElementHandler start, XML_EndElementHandler end,
		   hf_error *err);

#endif

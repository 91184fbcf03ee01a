/*
 * hafen/io.h: import and export of the files offices already use: CSV as
 * German Excel and as tools write it, JSON, and XLSX.
 *
 * Every kind of record has one set of columns, named in English or German
 * (admissions: date, unit, persons, category, household, programme,
 * reference or Datum, Einheit, Personen, Kategorie, Haushalt, Programm,
 * Aktenzeichen). A file is read whole, every row checked, and all problems
 * of the file listed (up to HF_IMPORT_MAX_ISSUES) with file, sheet, row,
 * column, the offending value and what was expected. Only a file without
 * problems is written, in one transaction: all or nothing. A file already
 * imported (same SHA-256 of its bytes) is refused unless forced.
 *
 *     hf_import_options o = hf_import_options_default();
 *     hf_import_result r;
 *     o.user = "kreis-plön";
 *     if (hf_import_file(db, HF_IO_ADMISSIONS, "zugaenge.csv", &o, &r,
 *                        &err) < 0)
 *             for (size_t i = 0; i < r.nissues; i++)
 *                     printf("%s: %s\n", r.issues[i].where,
 *                            r.issues[i].message);
 *     hf_import_result_clear(&r);
 *
 * The two match kinds (households, match units) are not stored: they are
 * checked and converted to the normalised CSV that hafen match reads
 * (hf_import_match).
 */
#ifndef HAFEN_IO_H
#define HAFEN_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hafen/db.h"
#include "hafen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hf_io_kind {
	HF_IO_UNITS,	   /* "units" / "einheiten" */
	HF_IO_INDICATORS,  /* "indicators" / "kennzahlen" */
	HF_IO_KEYS,	   /* "keys" / "schluessel": one row per share */
	HF_IO_ADMISSIONS,  /* "admissions" / "zugaenge": the ledger */
	HF_IO_PLEDGES,	   /* "pledges" / "zusagen" */
	HF_IO_PROGRAMMES,  /* "programmes" / "programme": one row per share */
	HF_IO_HOUSEHOLDS,  /* "households" / "haushalte": for matching */
	HF_IO_MATCH_UNITS, /* "match-units" / "aufnahmeorte": for matching */
	HF_IO_KIND_COUNT
} hf_io_kind;

/* "units", ... ; NULL for an invalid kind. */
const char *hf_io_kind_slug(hf_io_kind k);
/* Accepts the English or German slug. HF_EINVAL if unknown. */
int hf_io_kind_parse(const char *s, hf_io_kind *out);

typedef enum hf_io_format {
	HF_IO_AUTO, /* by content: zip is XLSX, '{' or '[' JSON, else CSV */
	HF_IO_CSV,
	HF_IO_JSON,
	HF_IO_XLSX
} hf_io_format;

int hf_io_format_parse(const char *s, hf_io_format *out);

typedef enum hf_dialect {
	HF_DIALECT_AUTO,  /* detected: delimiter, byte order mark, encoding */
	HF_DIALECT_EXCEL, /* German Excel: ';', decimal comma, DD.MM.YYYY,
			   * UTF-8 with BOM or Windows-1252, CRLF */
	HF_DIALECT_TOOL	  /* ',', decimal point, ISO dates, UTF-8, LF */
} hf_dialect;

/* "auto", "excel", "tool"; HF_EINVAL for anything else. */
int hf_dialect_parse(const char *s, hf_dialect *out);
const char *hf_dialect_slug(hf_dialect d);

#define HF_IMPORT_MAX_ISSUES 100

typedef struct hf_import_options {
	hf_io_format format;
	hf_dialect dialect;
	const char *sheet; /* XLSX: the sheet to read, NULL: the first */
	int check;	   /* validate everything, write nothing */
	int force;	   /* import a file already imported once more */
	const char *user;  /* recorded_by where the file names none */
	int64_t now;	   /* recorded_at where the file names none */
	size_t max_issues; /* 0: HF_IMPORT_MAX_ISSUES */
	/* admissions: admit entries beyond a programme's contingent, each
	 * logged as an override with this reason (hf_db_ledger_append_
	 * override); NULL refuses them */
	const char *override;
	/* admissions and pledges: whether rows may name unit code (1), or
	 * not (0: the row is a problem, "not one of the account's units"),
	 * or a negative hf_code; NULL: every unit. For a unit office's
	 * upload (the server asks hf_account_owns). */
	int (*unit_ok)(void *ctx, const char *code);
	void *unit_ctx;
} hf_import_options;

hf_import_options hf_import_options_default(void);

/* One problem of a file: where ("zugaenge.csv, Zeile 7, Spalte Personen
 * (3)") and what, in err->lang. */
typedef struct hf_io_issue {
	char where[256];
	char message[512];
	/* the parts of where and message, for a table: the sheet (XLSX, or
	 * ""), the row (CSV line, sheet row, JSON entry; 0: the file), the
	 * column as the file names it ("": the whole row), and where a cell
	 * was refused its value and what was expected ("" otherwise) */
	char sheet[64];
	long row;
	char column[64];
	char value[128];
	char expected[128];
} hf_io_issue;

typedef struct hf_import_result {
	size_t rows; /* records read (written unless check) */
	hf_io_format format;
	hf_dialect dialect;   /* CSV: the dialect read */
	const char *encoding; /* CSV: "UTF-8" or "Windows-1252" */
	char sha256[65];      /* of the file's bytes, hex */
	size_t nissues;
	hf_io_issue *issues; /* owned; hf_import_result_clear frees */
	size_t more;	     /* problems beyond the list's limit */
	size_t overrides;    /* entries admitted by o->override */
} hf_import_result;

void hf_import_result_clear(hf_import_result *r);

/*
 * Imports the records of a file into db: all or nothing. res (always
 * filled, cleared by the caller) lists every problem found. Returns HF_OK,
 * HF_EINVAL when the file has problems (err says how many), HF_EEXIST when
 * the file was imported before (err says when and by whom; o->force
 * imports it again), or another code for a file that cannot be read at
 * all. With o->check everything is checked against the database as the
 * import would, and the transaction is rolled back.
 */
int hf_import_file(hf_db *db, hf_io_kind kind, const char *path,
		   const hf_import_options *o, hf_import_result *res,
		   hf_error *err);
/* The same over bytes in memory; name stands for the file in messages. */
int hf_import_mem(hf_db *db, hf_io_kind kind, const char *name,
		  const void *data, size_t len, const hf_import_options *o,
		  hf_import_result *res, hf_error *err);

/*
 * Checks a file of one of the match kinds (HF_IO_HOUSEHOLDS,
 * HF_IO_MATCH_UNITS) and writes it to out as the normalised CSV that hafen
 * match reads (UTF-8, comma, English column names, '|' lists). Nothing is
 * written to out when the file has problems (listed in res).
 */
int hf_import_match(hf_io_kind kind, const char *name, const void *data,
		    size_t len, const hf_import_options *o, FILE *out,
		    hf_import_result *res, hf_error *err);

/*
 * Checks the rows of a file without a database: the parse and field
 * checks of hf_import_mem. For the fuzz targets and --check on files whose
 * references are not in any database yet.
 */
int hf_import_parse_only(hf_io_kind kind, const char *name, const void *data,
			 size_t len, const hf_import_options *o,
			 hf_import_result *res, hf_error *err);

/* ---- export ------------------------------------------------------- */

typedef struct hf_export_options {
	hf_io_format format; /* HF_IO_CSV, HF_IO_JSON or HF_IO_XLSX */
	hf_dialect dialect;  /* CSV: HF_DIALECT_TOOL unless EXCEL */
	hf_lang lang;	     /* XLSX headers and the About sheet */
	int64_t now;	     /* "generated at" of the About sheet */
	/* admissions: only entries of units for which this returns 1 (they
	 * carry household ids; a unit office sees its own only); NULL: all.
	 * A negative hf_code stops the export. */
	int (*unit_ok)(void *ctx, const char *code);
	void *unit_ctx;
} hf_export_options;

/*
 * Writes every record of a kind in db (not the match kinds) to path (NULL
 * or "-": the stream out, not for XLSX) in a form hf_import_file reads
 * back to the same records: rationals exact ("216530/2903773", or a
 * decimal where it is one), dates and times unambiguous.
 */
int hf_export(hf_db *db, hf_io_kind kind, const hf_export_options *o,
	      const char *path, FILE *out, hf_error *err);

/* The length of the longest prefix of the n bytes at s that is
 * well-formed UTF-8 (no overlong forms, no surrogates, nothing beyond
 * U+10FFFF); n when all of it is. For text from outside: files, form
 * fields, URLs. */
size_t hf_utf8_prefix(const char *s, size_t n);

#ifdef __cplusplus
}
#endif
#endif

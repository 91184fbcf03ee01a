/*
 * import_parse.c: a file read and checked without a database: the format
 * told by content, the bytes hashed (SHA-256, libsodium), every row parsed
 * by its kind and every problem listed. The match kinds end here: they are
 * written as the normalised CSV hafen match reads.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_int.h"

static hf_io_format sniff_format(const char *d, size_t len)
{
	size_t i = 0;

	if (len >= 4 && !memcmp(d, "PK\x03\x04", 4))
		return HF_IO_XLSX;
	if (len >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len &&
	       (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	if (i < len && (d[i] == '{' || d[i] == '['))
		return HF_IO_JSON;
	return HF_IO_CSV;
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t i;

	if (sodium_init() < 0) {
		memset(out, '0', 64);
		out[64] = '\0';
		return;
	}
	crypto_hash_sha256(h, data, len);
	for (i = 0; i < sizeof h; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* Reads and checks the rows of a file into io (kind begun by the
 * caller); returns < 0 only when the file could not be read at all. */
int hf__import_parse(hf__io *io, hf_io_kind kind, const char *name,
		     const void *data, size_t len, const hf_import_options *o,
		     hf_import_result *res, hf_error *err)
{
	hf_io_format f = o->format;
	int rc;

	memset(io, 0, sizeof *io);
	io->lang = err ? err->lang : HF_LANG_DE;
	io->spec = hf__io_spec_of(kind);
	io->file = name;
	io->res = res;
	io->opt = o;
	io->limit = o->max_issues ? o->max_issues : HF_IMPORT_MAX_ISSUES;
	for (rc = 0; rc < HF__IO_MAXCOLS; rc++)
		io->map[rc] = -1;
	sha256_hex(data, len, res->sha256);
	if (f == HF_IO_AUTO)
		f = sniff_format(data, len);
	res->format = f;
	if ((rc = hf__kind_begin(io)) < 0)
		return hf_error_set(err, rc, "", "Zu wenig Speicher.",
				    "Out of memory.");
	switch (f) {
	case HF_IO_JSON:
		io->src = HF__SRC_JSON;
		rc = hf__io_read_json(io, data, len, err);
		break;
	case HF_IO_XLSX:
		io->src = HF__SRC_XLSX;
		rc = hf__io_read_xlsx(io, data, len, o->sheet, err);
		break;
	default:
		io->src = HF__SRC_CSV;
		rc = hf__io_read_csv(io, data, len, o->dialect, res, err);
		break;
	}
	if (rc >= 0 && io->header_ok)
		rc = hf__kind_end(io);
	if (rc == HF_ENOMEM)
		hf_error_set(err, rc, "", "Zu wenig Speicher.",
			     "Out of memory.");
	return rc;
}

void hf__import_done(hf__io *io)
{
	hf__kind_free(io);
	hf__io_header_free(io);
}

/* HF_EINVAL with the count of problems, or HF_OK if there are none. */
int hf__import_summary(const char *name, const hf_import_result *res,
		       hf_error *err)
{
	size_t n = res->nissues + res->more;

	if (!n)
		return HF_OK;
	return hf_error_set(
	    err, HF_EINVAL, name, "%zu %s; nichts wurde importiert.",
	    "%zu %s; nothing was imported.", n,
	    n == 1 ? hf_tr(err ? err->lang : HF_LANG_DE, "Fehler", "problem")
		   : hf_tr(err ? err->lang : HF_LANG_DE, "Fehler", "problems"));
}

int hf_import_parse_only(hf_io_kind kind, const char *name, const void *data,
			 size_t len, const hf_import_options *o,
			 hf_import_result *res, hf_error *err)
{
	hf__io io;
	int rc;

	memset(res, 0, sizeof *res);
	rc = hf__import_parse(&io, kind, name, data, len, o, res, err);
	res->rows = io.rows;
	hf__import_done(&io);
	if (rc < 0)
		return rc;
	return hf__import_summary(name, res, err);
}

int hf_import_match(hf_io_kind kind, const char *name, const void *data,
		    size_t len, const hf_import_options *o, FILE *out,
		    hf_import_result *res, hf_error *err)
{
	hf__io io;
	int rc;

	memset(res, 0, sizeof *res);
	if (kind != HF_IO_HOUSEHOLDS && kind != HF_IO_MATCH_UNITS)
		return hf_error_set(err, HF_EUSAGE, "kind",
				    "%s wird in die Datenbank importiert, "
				    "nicht umgewandelt.",
				    "%s is imported into the database, not "
				    "converted.",
				    hf_io_kind_slug(kind));
	rc = hf__import_parse(&io, kind, name, data, len, o, res, err);
	if (rc >= 0 && (rc = hf__import_summary(name, res, err)) == HF_OK) {
		res->rows = io.rows;
		if (!o->check && (rc = hf__kind_write_match(&io, out)) < 0)
			hf_error_set(err, rc, "", "Schreiben fehlgeschlagen.",
				     "Writing failed.");
	}
	hf__import_done(&io);
	return rc;
}

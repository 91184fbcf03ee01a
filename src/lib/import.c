/*
 * import.c: a file imported whole or not at all. The bytes are hashed
 * (SHA-256, libsodium) so a file imported once is recognised; the format
 * is told by content; every row is checked and every problem listed; only
 * a file without problems is written, in one transaction, which --check
 * rolls back.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_int.h"
#include "io_int.h"

#define MAX_FILE ((size_t)1 << 30)

static hf_io_format sniff_format(const char *d, size_t len)
{
	size_t i = 0;

	if (len >= 4 && !memcmp(d, "PK\x03\x04", 4))
		return HF_IO_XLSX;
	if (len >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' ||
			   d[i] == '\n'))
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
static int parse(hf__io *io, hf_io_kind kind, const char *name,
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

static void done(hf__io *io)
{
	hf__kind_free(io);
	hf__io_header_free(io);
}

/* HF_EINVAL with the count of problems, or HF_OK if there are none. */
static int summary(const char *name, const hf_import_result *res,
		   hf_error *err)
{
	size_t n = res->nissues + res->more;

	if (!n)
		return HF_OK;
	return hf_error_set(err, HF_EINVAL, name,
			    "%zu %s; nichts wurde importiert.",
			    "%zu %s; nothing was imported.", n,
			    n == 1 ? hf_tr(err ? err->lang : HF_LANG_DE,
					   "Fehler", "problem")
				   : hf_tr(err ? err->lang : HF_LANG_DE,
					   "Fehler", "problems"));
}

int hf_import_parse_only(hf_io_kind kind, const char *name, const void *data,
			 size_t len, const hf_import_options *o,
			 hf_import_result *res, hf_error *err)
{
	hf__io io;
	int rc;

	memset(res, 0, sizeof *res);
	rc = parse(&io, kind, name, data, len, o, res, err);
	done(&io);
	if (rc < 0)
		return rc;
	return summary(name, res, err);
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
	rc = parse(&io, kind, name, data, len, o, res, err);
	if (rc >= 0 && (rc = summary(name, res, err)) == HF_OK) {
		res->rows = io.rows;
		if (!o->check && (rc = hf__kind_write_match(&io, out)) < 0)
			hf_error_set(err, rc, "", "Schreiben fehlgeschlagen.",
				     "Writing failed.");
	}
	done(&io);
	return rc;
}

static int already(hf_db *db, const char *name, const hf_import_result *res,
		   const hf_import_options *o, hf_error *err)
{
	hf__import_rec rec;
	char when[32];
	int rc;

	rc = OPS(db)->import_find(db->st, res->sha256, &rec, err);
	if (rc == HF_ENOTFOUND || (rc == HF_OK && o->force))
		return HF_OK;
	if (rc < 0)
		return rc;
	hf__io_format_time(rec.at, when);
	return hf_error_set(err, HF_EEXIST, name,
			    "diese Datei (gleicher Inhalt, SHA-256 %.12s…) "
			    "wurde schon am %s von %s als %s importiert "
			    "(%lld Einträge, Datei %s); erneut nur mit "
			    "--force.",
			    "this file (same content, SHA-256 %.12s…) was "
			    "imported already at %s by %s as %s (%lld "
			    "records, file %s); again only with --force.",
			    res->sha256, when, rec.user, rec.kind,
			    (long long)rec.rows, rec.file);
}

int hf_import_mem(hf_db *db, hf_io_kind kind, const char *name,
		  const void *data, size_t len, const hf_import_options *o,
		  hf_import_result *res, hf_error *err)
{
	hf__io io;
	hf__import_rec rec;
	int rc;

	memset(res, 0, sizeof *res);
	if (kind == HF_IO_HOUSEHOLDS || kind == HF_IO_MATCH_UNITS)
		return hf_error_set(err, HF_EUSAGE, "kind",
				    "%s werden nicht gespeichert, nur geprüft "
				    "und umgewandelt (hafen import %s DATEI "
				    "--out DATEI).",
				    "%s are not stored, only checked and "
				    "converted (hafen import %s FILE --out "
				    "FILE).",
				    hf_io_kind_slug(kind),
				    hf_io_kind_slug(kind));
	if ((rc = parse(&io, kind, name, data, len, o, res, err)) < 0)
		goto out;
	res->rows = io.rows;
	if ((rc = summary(name, res, err)) < 0)
		goto out;
	if ((rc = hf_db_begin(db, err)) < 0)
		goto out;
	if ((rc = already(db, name, res, o, err)) < 0)
		goto fail;
	if ((rc = hf__kind_apply(&io, db, o, err)) < 0)
		goto fail;
	if ((rc = summary(name, res, err)) < 0)
		goto fail;
	if (o->check) {
		hf_db_rollback(db);
		goto out;
	}
	memset(&rec, 0, sizeof rec);
	memcpy(rec.sha256, res->sha256, sizeof rec.sha256);
	snprintf(rec.kind, sizeof rec.kind, "%s", hf_io_kind_slug(kind));
	snprintf(rec.file, sizeof rec.file, "%s", name);
	snprintf(rec.user, sizeof rec.user, "%s", o->user ? o->user : "");
	rec.rows = (int64_t)res->rows;
	rec.at = o->now;
	if ((rc = OPS(db)->import_insert(db->st, &rec, err)) < 0)
		goto fail;
	if ((rc = hf_db_commit(db, err)) < 0)
		goto fail;
	goto out;
fail:
	hf_db_rollback(db);
out:
	done(&io);
	return rc;
}

int hf_import_file(hf_db *db, hf_io_kind kind, const char *path,
		   const hf_import_options *o, hf_import_result *res,
		   hf_error *err)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	memset(res, 0, sizeof *res);
	if (!f)
		return hf_error_set(err, HF_EIO, path,
				    "Datei %s lässt sich nicht öffnen: %s.",
				    "cannot open file %s: %s.", path,
				    strerror(errno));
	for (;;) {
		if (len + 65536 + 1 > cap) {
			size_t ncap = cap ? cap * 2 : 1 << 20;
			char *nd;
			if (ncap > MAX_FILE + 65537) {
				rc = hf_error_set(
					err, HF_ERANGE, path,
					"Datei %s ist größer als 1 GiB.",
					"file %s is larger than 1 GiB.", path);
				goto out;
			}
			if (!(nd = realloc(data, ncap))) {
				rc = hf_error_set(err, HF_ENOMEM, path,
						  "Zu wenig Speicher.",
						  "Out of memory.");
				goto out;
			}
			data = nd;
			cap = ncap;
		}
		n = fread(data + len, 1, 65536, f);
		len += n;
		if (n < 65536)
			break;
	}
	if (ferror(f)) {
		rc = hf_error_set(err, HF_EIO, path,
				  "Datei %s lässt sich nicht lesen.",
				  "cannot read file %s.", path);
		goto out;
	}
	data[len] = '\0';
	if (kind == HF_IO_HOUSEHOLDS || kind == HF_IO_MATCH_UNITS)
		rc = hf_error_set(err, HF_EUSAGE, "kind",
				  "hf_import_match statt hf_import_file.",
				  "hf_import_match, not hf_import_file.");
	else
		rc = hf_import_mem(db, kind, path, data, len, o, res, err);
out:
	fclose(f);
	free(data);
	return rc;
}

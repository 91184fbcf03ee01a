/*
 * import.c: a file imported whole or not at all: only a file without
 * problems is written, in one transaction, which --check rolls back; a
 * file imported once before (same SHA-256) is refused unless forced. The
 * reading and checking without a database is import_parse.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_int.h"
#include "io_int.h"
#include "strbuf_int.h"

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
	if ((rc = hf__import_parse(&io, kind, name, data, len, o, res, err)) <
	    0)
		goto out;
	res->rows = io.rows;
	/* with problems in the rows, the records that parsed are still
	 * checked against the database (apply writes nothing then), so the
	 * list is whole */
	if ((rc = hf_db_begin(db, err)) < 0)
		goto out;
	if ((rc = already(db, name, res, o, err)) < 0)
		goto fail;
	if ((rc = hf__kind_apply(&io, db, o, err)) < 0)
		goto fail;
	if ((rc = hf__import_summary(name, res, err)) < 0)
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
	if ((rc = hf__db_audit(db, "import", rec.kind, err,
			       "file=%s rows=%lld sha256=%s%s", rec.file,
			       (long long)rec.rows, rec.sha256,
			       o->force ? " force" : "")) < 0)
		goto fail;
	if ((rc = hf_db_commit(db, err)) < 0)
		goto fail;
	goto out;
fail:
	hf_db_rollback(db);
out:
	hf__import_done(&io);
	return rc;
}

int hf_import_file(hf_db *db, hf_io_kind kind, const char *path,
		   const hf_import_options *o, hf_import_result *res,
		   hf_error *err)
{
	char *data;
	size_t len;
	int rc;

	memset(res, 0, sizeof *res);
	if ((rc = hf__file_read(path, &data, &len, err)) < 0)
		return rc;
	if (kind == HF_IO_HOUSEHOLDS || kind == HF_IO_MATCH_UNITS)
		rc = hf_error_set(err, HF_EUSAGE, "kind",
				  "hf_import_match statt hf_import_file.",
				  "hf_import_match, not hf_import_file.");
	else
		rc = hf_import_mem(db, kind, path, data, len, o, res, err);
	free(data);
	return rc;
}

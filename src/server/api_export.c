/*
 * api_export.c: GET /api/export/{kind}?format=csv|json|xlsx&dialect=
 * excel|tool: every record of a kind as a download (Content-Disposition),
 * as hafen export writes it. Admissions carry household ids: a viewer
 * gets none, a unit office those of its own units only, and every such
 * export is in the audit log ("export").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "routes.h"

typedef struct owner {
	hf_req *r;
	char last[HF_CODE_MAX];
	int last_ok;
} owner;

/* Whether the account sees the entries of unit code; the ledger comes
 * in runs of one unit often, so the last answer is kept. */
static int owns(void *ctx, const char *code)
{
	owner *w = ctx;
	hf_error e;
	int rc;

	if (w->last[0] && !strcmp(w->last, code))
		return w->last_ok;
	hf_error_init(&e, w->r->lang);
	rc = hf_account_owns(w->r->db, &w->r->acct, code, &e);
	if (rc < 0)
		return rc;
	snprintf(w->last, sizeof w->last, "%s", code);
	w->last_ok = rc > 0;
	return w->last_ok;
}

/* The export of an XLSX file: written to a temporary file (the writer
 * needs one) and read back. */
static int xlsx_bytes(hf_req *r, hf_io_kind kind, const hf_export_options *o,
		      char **buf, size_t *len)
{
	char path[] = "/tmp/hafen-export-XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *f;
	long n;

	if (fd < 0)
		return hf_error_set(&r->err, HF_EIO, "",
				    "Keine temporäre Datei.",
				    "No temporary file.");
	close(fd);
	rc = hf_export(r->db, kind, o, path, NULL, &r->err);
	if (rc >= 0) {
		rc = HF_EIO;
		if ((f = fopen(path, "rb"))) {
			if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
			    fseek(f, 0, SEEK_SET) == 0 &&
			    (*buf = malloc((size_t)n))) {
				if (fread(*buf, 1, (size_t)n, f) == (size_t)n) {
					*len = (size_t)n;
					rc = HF_OK;
				} else {
					free(*buf);
					*buf = NULL;
				}
			}
			fclose(f);
		}
		if (rc < 0)
			hf_error_set(&r->err, rc, "", "Lesefehler.",
				     "Read error.");
	}
	unlink(path);
	return rc;
}

static int export(hf_req *r)
{
	const char *fmt = hf_q(r, "format"), *dia = hf_q(r, "dialect");
	hf_export_options o;
	hf_io_kind kind;
	owner w;
	char *buf = NULL;
	size_t len = 0;
	const char *ctype, *ext;
	int rc;

	memset(&o, 0, sizeof o);
	memset(&w, 0, sizeof w);
	if (hf_io_kind_parse(r->param[0], &kind) < 0 ||
	    kind == HF_IO_HOUSEHOLDS || kind == HF_IO_MATCH_UNITS)
		return hf_reply_msg(r, 404, "ENOTFOUND", "kind",
				    "Exportiert werden units, indicators, "
				    "keys, admissions, pledges und "
				    "programmes, nicht »%s«.",
				    "units, indicators, keys, admissions, "
				    "pledges and programmes are exported, not "
				    "'%s'.",
				    r->param[0]);
	o.format = HF_IO_CSV;
	if (fmt &&
	    (hf_io_format_parse(fmt, &o.format) < 0 || o.format == HF_IO_AUTO))
		return hf_reply_msg(r, 400, "EINVAL", "format",
				    "format: csv, json oder xlsx.",
				    "format: csv, json or xlsx.");
	o.dialect = HF_DIALECT_TOOL;
	if (dia && (hf_dialect_parse(dia, &o.dialect) < 0 ||
		    o.dialect == HF_DIALECT_AUTO))
		return hf_reply_msg(r, 400, "EINVAL", "dialect",
				    "dialect: excel oder tool.",
				    "dialect: excel or tool.");
	o.lang = r->lang;
	o.now = (int64_t)time(NULL);
	if (kind == HF_IO_ADMISSIONS) {
		if (r->acct.role == HF_ROLE_VIEWER)
			return hf_reply_msg(
			    r, 403, "EFORBIDDEN", "kind",
			    "Ihre Rolle (%s) sieht keine Einträge mit "
			    "Haushalten.",
			    "Your role (%s) sees no entries with households.",
			    hf_role_name(r->acct.role, r->lang));
		if (!hf_role_all_units(r->acct.role)) {
			w.r = r;
			o.unit_ok = owns;
			o.unit_ctx = &w;
		}
	}
	if (o.format == HF_IO_XLSX) {
		rc = xlsx_bytes(r, kind, &o, &buf, &len);
	} else {
		FILE *m = open_memstream(&buf, &len);
		if (!m)
			return hf_reply_msg(r, 500, "ENOMEM", "",
					    "Nicht genug Speicher.",
					    "Out of memory.");
		rc = hf_export(r->db, kind, &o, NULL, m, &r->err);
		if (fclose(m) != 0 && rc >= 0)
			rc = hf_error_set(&r->err, HF_ENOMEM, "",
					  "Nicht genug Speicher.",
					  "Out of memory.");
	}
	if (rc >= 0 && kind == HF_IO_ADMISSIONS)
		rc = hf_db_audit_add(r->db, "export", hf_io_kind_slug(kind),
				     o.format == HF_IO_XLSX   ? "format=xlsx"
				     : o.format == HF_IO_JSON ? "format=json"
				     : o.dialect == HF_DIALECT_EXCEL
					 ? "format=csv dialect=excel"
					 : "format=csv dialect=tool",
				     &r->err);
	if (rc < 0) {
		free(buf);
		return hf_reply_err(r, 0);
	}
	switch (o.format) {
	case HF_IO_XLSX:
		ctype = "application/"
			"vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		ext = "xlsx";
		break;
	case HF_IO_JSON:
		ctype = "application/json";
		ext = "json";
		break;
	default:
		ctype = o.dialect == HF_DIALECT_EXCEL
			    ? "text/csv; charset=utf-8; header=present"
			    : "text/csv; charset=utf-8";
		ext = "csv";
	}
	snprintf(r->disposition, sizeof r->disposition,
		 "attachment; filename=\"%s.%s\"", hf_io_kind_slug(kind), ext);
	return hf_reply_text(r, 200, ctype, buf, len);
}

const hf_route hf_routes_export[] = {
    {"GET", "/api/export/{kind}", HF_ACCESS_USER, export},
    {NULL, NULL, 0, NULL},
};

/*
 * api_import.c: POST /api/import: a file of one kind (units, indicators,
 * keys, admissions, pledges, programmes) into the database, as hafen
 * import does: CSV in either dialect, JSON or XLSX, all or nothing, every
 * problem of the file listed with file, sheet, row, column, value and
 * what was expected. The body is JSON (a browser's upload form and a
 * script alike; a POST is JSON here, which keeps cross-site forms out):
 *
 *   {"kind": "admissions", "name": "zugaenge.csv",
 *    "content_base64": "...", "check": false, "force": false,
 *    "sheet": null, "dialect": "auto", "override": null}
 *
 * Admissions and pledges may be imported by a unit office, for its own
 * units only: a row naming another unit is a problem of the file. The
 * other kinds are for the Land coordination. The library writes the
 * audit row ("import") in the import's transaction.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "routes.h"

unsigned char *hf_b64_decode(const char *s, size_t *len)
{
	size_t n = strlen(s), o = 0;
	unsigned char *out = malloc(n / 4 * 3 + 4);
	uint32_t acc = 0;
	int bits = 0, pad = 0;

	if (!out)
		return NULL;
	for (; *s; s++) {
		int v;
		char c = *s;
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad)
			goto bad;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else
			goto bad;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (bits >= 6 || pad > 2)
		goto bad;
	*len = o;
	return out;
bad:
	free(out);
	return NULL;
}

/* The import's question to the account: may a row name this unit? */
static int owns(void *ctx, const char *code)
{
	hf_req *r = ctx;
	hf_error e;
	int rc;

	hf_error_init(&e, r->lang);
	rc = hf_account_owns(r->db, &r->acct, code, &e);
	return rc < 0 ? rc : rc > 0;
}

static json_t *issues_json(const hf_import_result *res, const char *name)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < res->nissues; i++) {
		const hf_io_issue *is = &res->issues[i];
		json_t *o =
		    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "file", name,
			      "sheet", is->sheet, "column", is->column, "value",
			      is->value, "expected", is->expected, "where",
			      is->where, "message", is->message);
		json_object_set_new(o, "row",
				    is->row > 0 ? json_integer(is->row)
						: json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static int import(hf_req *r)
{
	json_t *b = hf_body(r), *res_j;
	const char *kind_s, *name, *content, *sheet, *dialect, *format, *ov;
	hf_import_options o = hf_import_options_default();
	hf_import_result res;
	hf_io_kind kind;
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	memset(&res, 0, sizeof res);
	if (!b)
		return 0;
	kind_s = json_string_value(json_object_get(b, "kind"));
	name = json_string_value(json_object_get(b, "name"));
	content = json_string_value(json_object_get(b, "content_base64"));
	sheet = json_string_value(json_object_get(b, "sheet"));
	dialect = json_string_value(json_object_get(b, "dialect"));
	format = json_string_value(json_object_get(b, "format"));
	ov = json_string_value(json_object_get(b, "override"));
	if (!kind_s || hf_io_kind_parse(kind_s, &kind) < 0 ||
	    kind == HF_IO_HOUSEHOLDS || kind == HF_IO_MATCH_UNITS) {
		hf_reply_msg(r, 400, "EINVAL", "kind",
			     "kind: units, indicators, keys, admissions, "
			     "pledges oder programmes (Haushalte und "
			     "Aufnahmeorte nimmt /api/match).",
			     "kind: units, indicators, keys, admissions, "
			     "pledges or programmes (households and match "
			     "units go to /api/match).");
		goto out;
	}
	if (kind != HF_IO_ADMISSIONS && kind != HF_IO_PLEDGES &&
	    r->acct.role != HF_ROLE_ADMIN && r->acct.role != HF_ROLE_LAND) {
		hf_reply_msg(r, 403, "EFORBIDDEN", "kind",
			     "Ihre Rolle (%s) darf nur Zugänge und Zusagen "
			     "der eigenen Einheiten importieren.",
			     "Your role (%s) may import admissions and "
			     "pledges of its own units only.",
			     hf_role_name(r->acct.role, r->lang));
		goto out;
	}
	if (!name || !*name || strlen(name) > 200 || strchr(name, '/')) {
		hf_reply_msg(r, 400, "EINVAL", "name",
			     "name: der Dateiname (ohne Pfad).",
			     "name: the file's name (no path).");
		goto out;
	}
	if (!content || !(data = hf_b64_decode(content, &len))) {
		hf_reply_msg(r, 400, "EINVAL", "content_base64",
			     "content_base64: der Inhalt der Datei in "
			     "Base64.",
			     "content_base64: the file's bytes in base64.");
		goto out;
	}
	if ((dialect && (hf_dialect_parse(dialect, &o.dialect) < 0)) ||
	    (format && hf_io_format_parse(format, &o.format) < 0)) {
		hf_reply_msg(r, 400, "EINVAL", dialect ? "dialect" : "format",
			     "dialect: auto, excel oder tool; format: csv, "
			     "json oder xlsx.",
			     "dialect: auto, excel or tool; format: csv, "
			     "json or xlsx.");
		goto out;
	}
	o.sheet = sheet;
	o.check = json_is_true(json_object_get(b, "check"));
	o.force = json_is_true(json_object_get(b, "force"));
	o.user = r->acct.name;
	o.now = (int64_t)time(NULL);
	o.override = ov && *ov ? ov : NULL;
	if (!hf_role_all_units(r->acct.role)) {
		o.unit_ok = owns;
		o.unit_ctx = r;
	}
	rc = hf_import_mem(r->db, kind, name, data, len, &o, &res, &r->err);
	res_j = json_pack("{s:s,s:s,s:b,s:I,s:s,s:I,s:I}", "kind",
			  hf_io_kind_slug(kind), "file", name, "check", o.check,
			  "rows", (json_int_t)res.rows, "sha256", res.sha256,
			  "more", (json_int_t)res.more, "overrides",
			  (json_int_t)res.overrides);
	json_object_set_new(res_j, "issues", issues_json(&res, name));
	if (res.format == HF_IO_CSV)
		json_object_set_new(res_j, "dialect",
				    json_string(hf_dialect_slug(res.dialect)));
	if (rc < 0) {
		json_t *e =
		    json_pack("{s:s,s:s,s:s}", "code", hf_err_name(rc), "where",
			      r->err.where, "message", r->err.message);
		json_object_set_new(res_j, "error", e);
		json_object_set_new(res_j, "written", json_false());
		hf_reply_json(r, hf_http_status(rc), res_j);
		goto out;
	}
	json_object_set_new(res_j, "written", json_boolean(!o.check));
	hf_reply_json(r, o.check ? 200 : 201, res_j);
out:
	hf_import_result_clear(&res);
	free(data);
	json_decref(b);
	return 0;
}

const hf_route hf_routes_import[] = {
    {"POST", "/api/import", HF_ACCESS_WRITER, import},
    {NULL, NULL, 0, NULL},
};

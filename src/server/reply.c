/*
 * reply.c: answers (JSON, text, errors as the library's hf_error in the
 * request's language) and what handlers read from a request (query
 * arguments, headers, the JSON body).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mhd.h"
#include "server.h"

unsigned hf_http_status(int code)
{
	switch (code) {
	case HF_OK:
		return 200;
	case HF_ENOTFOUND:
		return 404;
	case HF_EEXIST:
	case HF_ECONFLICT:
	case HF_EINFEASIBLE:
		return 409;
	case HF_EBUSY:
		return 503;
	case HF_ENOMEM:
	case HF_EIO:
	case HF_ESTORAGE:
	case HF_ESCHEMA:
	case HF_EREADONLY:
		return 500;
	}
	return 400;
}

int hf_reply_json(hf_req *r, unsigned status, json_t *root)
{
	free(r->resp);
	r->resp = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	r->status = r->resp ? status : 500;
	r->resp_len = r->resp ? strlen(r->resp) : 0;
	r->ctype = "application/json; charset=utf-8";
	return 0;
}

static json_t *err_json(const char *code, const char *where,
			const char *message)
{
	json_t *e = json_object();

	json_object_set_new(e, "code", json_string(code));
	json_object_set_new(e, "where", json_string(where ? where : ""));
	json_object_set_new(e, "message", json_string(message));
	return json_pack("{s:o}", "error", e);
}

int hf_reply_err(hf_req *r, unsigned status)
{
	int code = r->err.code ? r->err.code : HF_ESTORAGE;
	const char *msg =
	    r->err.message[0] ? r->err.message : hf_strerror(code);

	return hf_reply_json(r, status ? status : hf_http_status(code),
			     err_json(hf_err_name(code), r->err.where, msg));
}

int hf_reply_msg(hf_req *r, unsigned status, const char *code,
		 const char *where, const char *de, const char *en, ...)
{
	char msg[HF_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, en);
	vsnprintf(msg, sizeof msg, hf_tr(r->lang, de, en), ap);
	va_end(ap);
	return hf_reply_json(r, status, err_json(code, where, msg));
}

int hf_reply_text(hf_req *r, unsigned status, const char *ctype, char *text,
		  size_t len)
{
	free(r->resp);
	r->resp = text;
	r->resp_len = len;
	r->status = status;
	r->ctype = ctype;
	return 0;
}

const char *hf_q(hf_req *r, const char *name)
{
	const char *v =
	    MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	return v && *v ? v : NULL;
}

const char *hf_header(hf_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

json_t *hf_body(hf_req *r)
{
	json_error_t je;
	json_t *o;
	char where[64];

	o = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES,
		       &je);
	if (!o) {
		snprintf(where, sizeof where, "body:%d:%d", je.line, je.column);
		hf_reply_msg(r, 400, "EPARSE", where,
			     "Der Inhalt ist kein gültiges JSON: %s",
			     "The body is not valid JSON: %s", je.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		hf_reply_msg(r, 400, "EPARSE", "body",
			     "Der Inhalt muss ein JSON-Objekt sein.",
			     "The body must be a JSON object.");
		return NULL;
	}
	return o;
}

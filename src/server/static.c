/* static.c: the dashboard's files, built into the binary (static_int.h):
 * "/" is index.html, "/NAME" a file of web/. Nothing is read from disk. */
#include <string.h>

#include "server.h"
#include "static_int.h"

const char *hf_static_file(const char *name, size_t *len, const char **ctype)
{
	const struct hf__web_file *f;

	for (f = hf__web_files; f->name; f++)
		if (!strcmp(f->name, name)) {
			*len = f->size;
			*ctype = f->ctype;
			return f->data;
		}
	return NULL;
}

int hf_static_serve(hf_req *r)
{
	const char *name = r->path, *data, *ctype;
	size_t len;
	char *copy;

	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
		return -1;
	if (!strcmp(name, "/"))
		name = "/index.html";
	/* one level only: no directories, no way out */
	if (name[0] != '/' || strchr(name + 1, '/') ||
	    !strcmp(name, "/openapi.json"))
		return -1;
	if (!(data = hf_static_file(name + 1, &len, &ctype)))
		return -1;
	if (!(copy = malloc(len ? len : 1)))
		return -1;
	memcpy(copy, data, len);
	return hf_reply_text(r, 200, ctype, copy, len);
}

/* error.c: the table of error codes and the hf_error helpers. */
#include "hafen/error.h"

#include <stdio.h>
#include <string.h>

const char *hf_strerror(int code)
{
	switch (code) {
	case HF_OK:
		return "ok";
#define HF__ERR_DESC(name, val, cls, desc)                                     \
	case HF_##name:                                                        \
		return desc;
		HF_ERRNO_MAP(HF__ERR_DESC)
#undef HF__ERR_DESC
	}
	return "unknown error";
}

const char *hf_err_name(int code)
{
	switch (code) {
	case HF_OK:
		return "OK";
#define HF__ERR_NAME(name, val, cls, desc)                                     \
	case HF_##name:                                                        \
		return #name;
		HF_ERRNO_MAP(HF__ERR_NAME)
#undef HF__ERR_NAME
	}
	return "UNKNOWN";
}

int hf_err_exit_class(int code)
{
	switch (code) {
	case HF_OK:
		return 0;
#define HF__ERR_CLS(name, val, cls, desc)                                      \
	case HF_##name:                                                        \
		return cls;
		HF_ERRNO_MAP(HF__ERR_CLS)
#undef HF__ERR_CLS
	}
	return 3;
}

void hf_error_init(hf_error *err, hf_lang lang)
{
	if (!err)
		return;
	memset(err, 0, sizeof *err);
	err->lang = lang;
}

static void mark_cut(char *buf, size_t size)
{
	/* "…" is three bytes in UTF-8; step back to a character boundary. */
	size_t end = size - 4;
	while (end > 0 && ((unsigned char)buf[end] & 0xC0) == 0x80)
		end--;
	memcpy(buf + end, "\xE2\x80\xA6", 4);
}

int hf_error_set(hf_error *err, int code, const char *where, const char *de,
		 const char *en, ...)
{
	va_list ap;
	int n;

	if (!err)
		return code;
	err->code = code;
	n = snprintf(err->where, sizeof err->where, "%s", where ? where : "");
	if (n >= (int)sizeof err->where)
		mark_cut(err->where, sizeof err->where);
	va_start(ap, en);
	n = vsnprintf(err->message, sizeof err->message,
		      err->lang == HF_LANG_EN ? en : de, ap);
	va_end(ap);
	if (n >= (int)sizeof err->message)
		mark_cut(err->message, sizeof err->message);
	return code;
}

void hf_error_prefix_where(hf_error *err, const char *prefix)
{
	char tmp[HF_ERROR_WHERE_MAX];
	int n;

	if (!err || !prefix || !*prefix)
		return;
	if (err->where[0])
		n = snprintf(tmp, sizeof tmp, "%s:%s", prefix, err->where);
	else
		n = snprintf(tmp, sizeof tmp, "%s", prefix);
	if (n >= (int)sizeof tmp)
		mark_cut(tmp, sizeof tmp);
	memcpy(err->where, tmp, sizeof tmp);
}

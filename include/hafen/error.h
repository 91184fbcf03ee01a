/*
 * hafen/error.h: error codes and the error value every fallible call fills.
 *
 * Every function that can fail returns HF_OK (0) or a negative hf_code, and,
 * where the caller passes one, fills an hf_error with what went wrong and
 * where, in words a user understands. Messages are German by default; set
 * err->lang to HF_LANG_EN before the call for English.
 *
 *     hf_error err;
 *     hf_error_init(&err, HF_LANG_DE);
 *     if (hf_db_open("hafen.db", HF_DB_CREATE, &db, &err) < 0)
 *             fprintf(stderr, "%s\n", err.message);
 */
#ifndef HAFEN_ERROR_H
#define HAFEN_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, exit class, description). Exit class: the hafen command's
 * exit code for the error: 1 usage, 2 data, 3 storage. */
#define HF_ERRNO_MAP(X)                                                        \
	X(EUSAGE, -1, 1, "invalid usage")                                      \
	X(EINVAL, -2, 2, "invalid value")                                      \
	X(ENOTFOUND, -3, 2, "not found")                                       \
	X(EEXIST, -4, 2, "already exists")                                     \
	X(ESUM, -5, 2, "shares do not sum to the whole")                       \
	X(EOVERFLOW, -6, 2, "number too large for exact arithmetic")           \
	X(ERANGE, -7, 2, "value out of range")                                 \
	X(ECONFLICT, -8, 2, "conflicts with recorded data")                    \
	X(EINFEASIBLE, -9, 2, "constraints cannot be met")                     \
	X(EPARSE, -10, 2, "malformed input")                                   \
	X(ENOMEM, -11, 3, "out of memory")                                     \
	X(EIO, -12, 3, "input/output error")                                   \
	X(ESTORAGE, -13, 3, "storage error")                                   \
	X(ESCHEMA, -14, 3, "database schema not supported")                    \
	X(EREADONLY, -15, 3, "database not writable")                          \
	X(EBUSY, -16, 3, "database busy")

typedef enum hf_code {
	HF_OK = 0,
#define HF__ERR_ENUM(name, val, cls, desc) HF_##name = val,
	HF_ERRNO_MAP(HF__ERR_ENUM)
#undef HF__ERR_ENUM
} hf_code;

typedef enum hf_lang { HF_LANG_DE = 0, HF_LANG_EN = 1 } hf_lang;

#define HF_ERROR_WHERE_MAX 256
#define HF_ERROR_MESSAGE_MAX 1024

typedef struct hf_error {
	int code;      /* HF_OK or a negative hf_code */
	hf_lang lang;  /* language of message, chosen by the caller */
	/* file:line:column, or the field, or "" where no place applies */
	char where[HF_ERROR_WHERE_MAX];
	char message[HF_ERROR_MESSAGE_MAX];
} hf_error;

/* Short English description of a code; never NULL. */
const char *hf_strerror(int code);
/* The code's name without prefix ("EINVAL"); never NULL. */
const char *hf_err_name(int code);
/* The hafen command's exit code for an error code: 0 ok, 1 usage, 2 data,
 * 3 storage. */
int hf_err_exit_class(int code);

/* Clears err and sets its language. */
void hf_error_init(hf_error *err, hf_lang lang);

/*
 * Fills err (which may be NULL) with code, place and message and returns
 * code, so a caller can write `return hf_error_set(err, HF_EINVAL, ...)`.
 * The message is formatted from de or en by err->lang; both formats must
 * take the same arguments. A message too long for the buffer ends in "…"
 * rather than being cut silently.
 */
int hf_error_set(hf_error *err, int code, const char *where, const char *de,
		 const char *en, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 6)))
#endif
	;

/* Prefixes err->where with a context such as a file name: "data.csv" and
 * "3:7" give "data.csv:3:7". */
void hf_error_prefix_where(hf_error *err, const char *prefix);

/* Chooses between a German and an English text by language. */
static inline const char *hf_tr(hf_lang lang, const char *de, const char *en)
{
	return lang == HF_LANG_EN ? en : de;
}

#ifdef __cplusplus
}
#endif
#endif

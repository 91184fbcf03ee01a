/*
 * hafen/account.h: accounts, roles and sessions of the people who use
 * hafen over its web front end.
 *
 * Roles (hf_role): an administrator manages accounts and reads the audit
 * log and may do everything; the Land coordination reads and writes every
 * unit; a unit office reads the aggregates of every unit but the details
 * (ledger entries with household ids) and the writes of its own units
 * only, a list of unit codes kept with the account (a unit below one of
 * them counts as its own); a viewer reads aggregates only.
 *
 * Passwords are kept as libsodium's crypto_pwhash_str (argon2id), never in
 * clear. A session is a random token (randombytes_buf) the client keeps in
 * a cookie; the database keeps only its hash, the account, a CSRF token
 * and the expiry. Every change of an account is written to the audit log
 * (hafen/audit.h) in the same transaction.
 *
 *     hf_account a;
 *     if (hf_account_verify(db, "kiel", password, &a, &err) == HF_OK) {
 *             char token[HF_SESSION_TOKEN_MAX], csrf[HF_SESSION_TOKEN_MAX];
 *             hf_session_create(db, a.name, now, 8 * 3600, token, csrf,
 *                               &err);
 *     }
 */
#ifndef HAFEN_ACCOUNT_H
#define HAFEN_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "hafen/db.h"
#include "hafen/error.h"
#include "hafen/ledger.h"
#include "hafen/unit.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hf_role {
	HF_ROLE_ADMIN,	/* "admin": everything, accounts, audit log */
	HF_ROLE_LAND,	/* "land": Land coordination, all units */
	HF_ROLE_OFFICE, /* "office": aggregates of all, details of its own */
	HF_ROLE_VIEWER, /* "viewer": aggregates only */
	HF_ROLE_COUNT
} hf_role;

/* "admin", "land", "office", "viewer"; NULL if invalid. */
const char *hf_role_slug(hf_role r);
/* "Administration", "Landeskoordination", "Amt einer Einheit", ... */
const char *hf_role_name(hf_role r, hf_lang lang);
/* Accepts the slug or the German one ("landeskoordination", "amt",
 * "lesend"). HF_EINVAL if unknown. */
int hf_role_parse(const char *s, hf_role *out);

#define HF_ACCOUNT_UNITS_MAX 32
/* crypto_pwhash_STRBYTES */
#define HF_PWHASH_MAX	128
#define HF_PASSWORD_MIN 10

typedef struct hf_account {
	char name[HF_USER_MAX]; /* [a-z0-9._-], 2 to 63 characters */
	hf_role role;
	size_t nunits; /* unit offices: their units */
	char units[HF_ACCOUNT_UNITS_MAX][HF_CODE_MAX];
	char pwhash[HF_PWHASH_MAX]; /* argon2id string */
	int64_t created_at, changed_at;
} hf_account;

/*
 * Adds an account with its role, units (a unit office needs at least one,
 * every code must exist; other roles take none) and password (at least
 * HF_PASSWORD_MIN characters). HF_EEXIST if the name is taken.
 */
int hf_account_add(hf_db *db, const char *name, hf_role role,
		   const char *const *units, size_t nunits,
		   const char *password, hf_error *err);
/* Sets a new password and ends the account's sessions. */
int hf_account_set_password(hf_db *db, const char *name, const char *password,
			    hf_error *err);
/* Sets role and units (checked as in hf_account_add) and ends the
 * account's sessions. */
int hf_account_set_role(hf_db *db, const char *name, hf_role role,
			const char *const *units, size_t nunits, hf_error *err);
/* HF_ENOTFOUND names the account. */
int hf_account_get(hf_db *db, const char *name, hf_account *out, hf_error *err);
/* All accounts by name. The caller frees *out with free(). */
int hf_account_list(hf_db *db, hf_account **out, size_t *n, hf_error *err);

/*
 * Checks a password. HF_EINVAL with one message for an unknown account and
 * a wrong password alike (a guesser learns nothing), else fills *out.
 * Slow on purpose (argon2id).
 */
int hf_account_verify(hf_db *db, const char *name, const char *password,
		      hf_account *out, hf_error *err);

/* Whether the account may see the details of unit code and write to it:
 * administrators and the Land coordination always; a unit office if code
 * or one of its ancestors is one of its units; a viewer never. */
int hf_account_owns(hf_db *db, const hf_account *a, const char *code,
		    hf_error *err);
/* Whether the role writes and reads details of every unit. */
static inline int hf_role_all_units(hf_role r)
{
	return r == HF_ROLE_ADMIN || r == HF_ROLE_LAND;
}

/* ---- sessions ------------------------------------------------------- */

/* A token is 32 random bytes in base64url without padding (43 chars). */
#define HF_SESSION_TOKEN_MAX 48

typedef struct hf_session {
	char user[HF_USER_MAX];
	char csrf[HF_SESSION_TOKEN_MAX];
	int64_t created_at, expires_at;
} hf_session;

/*
 * Starts a session of user valid for ttl seconds from now: writes its
 * token and CSRF token (each HF_SESSION_TOKEN_MAX bytes) and stores the
 * token's hash only. Expired sessions are removed on the way.
 */
int hf_session_create(hf_db *db, const char *user, int64_t now, int64_t ttl,
		      char token[HF_SESSION_TOKEN_MAX],
		      char csrf[HF_SESSION_TOKEN_MAX], hf_error *err);
/* The session of token if it exists and has not expired at now;
 * HF_ENOTFOUND (without a message) otherwise. */
int hf_session_get(hf_db *db, const char *token, int64_t now, hf_session *out,
		   hf_error *err);
/* Ends the session of token (none: no error). */
int hf_session_end(hf_db *db, const char *token, hf_error *err);
/* Compares two tokens in constant time: 1 if equal. */
int hf_token_equal(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif

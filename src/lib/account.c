/*
 * account.c: accounts, roles and sessions. Passwords are hashed with
 * libsodium's crypto_pwhash_str (argon2id, interactive limits); session
 * tokens are random (randombytes_buf) and only their BLAKE2b hash is
 * stored, so a copy of the database opens no session. Every change of an
 * account is logged in the audit log in the same transaction.
 */
#include "hafen/account.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_int.h"

static const char *const role_slugs[HF_ROLE_COUNT] = {"admin", "land", "office",
						      "viewer"};
static const char *const role_de[HF_ROLE_COUNT] = {
    "Administration", "Landeskoordination", "Amt einer Einheit", "lesend"};
static const char *const role_en[HF_ROLE_COUNT] = {
    "administrator", "Land coordination", "unit office", "viewer"};
static const char *const role_alias[HF_ROLE_COUNT] = {
    "administration", "landeskoordination", "amt", "lesend"};

const char *hf_role_slug(hf_role r)
{
	return (unsigned)r < HF_ROLE_COUNT ? role_slugs[r] : NULL;
}

const char *hf_role_name(hf_role r, hf_lang lang)
{
	if ((unsigned)r >= HF_ROLE_COUNT)
		return "?";
	return lang == HF_LANG_EN ? role_en[r] : role_de[r];
}

int hf_role_parse(const char *s, hf_role *out)
{
	int i;

	for (i = 0; s && i < HF_ROLE_COUNT; i++)
		if (!strcmp(s, role_slugs[i]) || !strcmp(s, role_alias[i])) {
			*out = (hf_role)i;
			return HF_OK;
		}
	return HF_EINVAL;
}

static int crypto_ready(hf_error *err)
{
	/* sodium_init is thread-safe and returns 1 once done */
	if (sodium_init() < 0)
		return hf_error_set(err, HF_EIO, "",
				    "libsodium lässt sich nicht starten.",
				    "libsodium cannot be initialised.");
	return HF_OK;
}

static int check_name(const char *name, hf_error *err)
{
	size_t len = name ? strlen(name) : 0, i;

	if (len < 2 || len >= HF_USER_MAX)
		return hf_error_set(err, HF_EINVAL, "name",
				    "Ein Kontoname hat 2 bis %d Zeichen.",
				    "An account name has 2 to %d characters.",
				    HF_USER_MAX - 1);
	for (i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return hf_error_set(
			    err, HF_EINVAL, "name",
			    "Kontoname »%s«: nur Kleinbuchstaben a-z, "
			    "Ziffern und . _ - sind erlaubt.",
			    "Account name '%s': only lower-case a-z, "
			    "digits and . _ - are allowed.",
			    name);
	}
	return HF_OK;
}

static int hash_password(const char *password, char out[HF_PWHASH_MAX],
			 hf_error *err)
{
	int rc;

	if (!password || strlen(password) < HF_PASSWORD_MIN)
		return hf_error_set(err, HF_EINVAL, "password",
				    "Das Passwort muss mindestens %d Zeichen "
				    "haben.",
				    "The password needs at least %d "
				    "characters.",
				    HF_PASSWORD_MIN);
	if ((rc = crypto_ready(err)) < 0)
		return rc;
	if (crypto_pwhash_str(out, password, strlen(password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return hf_error_set(err, HF_ENOMEM, "password",
				    "Nicht genug Speicher für das Passwort.",
				    "Out of memory hashing the password.");
	return HF_OK;
}

/* Checks and copies role and units into a. */
static int set_units(hf_db *db, hf_account *a, hf_role role,
		     const char *const *units, size_t n, hf_error *err)
{
	hf_unit u;
	size_t i;
	int rc;

	if ((unsigned)role >= HF_ROLE_COUNT)
		return hf_error_set(err, HF_EINVAL, "role", "Unbekannte Rolle.",
				    "Unknown role.");
	if (role == HF_ROLE_OFFICE && n == 0)
		return hf_error_set(err, HF_EINVAL, "units",
				    "Ein Amt braucht mindestens eine "
				    "Einheit (--unit CODE).",
				    "A unit office needs at least one unit "
				    "(--unit CODE).");
	if (role != HF_ROLE_OFFICE && n > 0)
		return hf_error_set(err, HF_EINVAL, "units",
				    "Nur ein Amt hat eigene Einheiten; die "
				    "Rolle %s sieht alle oder keine.",
				    "Only a unit office has units of its own; "
				    "the role %s sees all or none.",
				    hf_role_slug(role));
	if (n > HF_ACCOUNT_UNITS_MAX)
		return hf_error_set(
		    err, HF_ERANGE, "units", "Höchstens %d Einheiten je Konto.",
		    "At most %d units per account.", HF_ACCOUNT_UNITS_MAX);
	for (i = 0; i < n; i++) {
		if ((rc = hf_db_unit_get(db, units[i], &u, err)) < 0)
			return rc;
		snprintf(a->units[i], sizeof a->units[i], "%s", u.code);
	}
	a->nunits = n;
	a->role = role;
	return HF_OK;
}

static void units_text(const hf_account *a, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < a->nunits && len + HF_CODE_MAX + 1 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? "," : "", a->units[i]);
}

static int64_t now_of(hf_db *db)
{
	return db->actor_at ? db->actor_at : (int64_t)time(NULL);
}

static int missing(hf_error *err, const char *name)
{
	return hf_error_set(err, HF_ENOTFOUND, "name",
			    "Das Konto »%s« gibt es nicht.",
			    "There is no account '%s'.", name);
}

int hf_account_add(hf_db *db, const char *name, hf_role role,
		   const char *const *units, size_t nunits,
		   const char *password, hf_error *err)
{
	hf_account a, probe;
	char ut[HF_ACCOUNT_UNITS_MAX * HF_CODE_MAX];
	int rc;

	if ((rc = hf__db_audit_ready(db, err)) < 0)
		return rc;
	memset(&a, 0, sizeof a);
	if ((rc = check_name(name, err)) < 0 ||
	    (rc = set_units(db, &a, role, units, nunits, err)) < 0)
		return rc;
	snprintf(a.name, sizeof a.name, "%s", name);
	if ((rc = hash_password(password, a.pwhash, err)) < 0)
		return rc;
	a.created_at = a.changed_at = now_of(db);
	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = OPS(db)->account_get(db->st, name, &probe, err);
	if (rc == HF_OK)
		rc = hf_error_set(err, HF_EEXIST, "name",
				  "Das Konto »%s« gibt es schon.",
				  "The account '%s' exists already.", name);
	else if (rc == HF_ENOTFOUND)
		rc = OPS(db)->account_insert(db->st, &a, err);
	units_text(&a, ut, sizeof ut);
	if (rc == HF_OK)
		rc = hf__db_audit(db, "user.add", name, err, "role=%s units=%s",
				  hf_role_slug(role), ut);
	return hf__db_tx_end(db, rc, err);
}

static int update(hf_db *db, hf_account *a, const char *action,
		  const char *details, hf_error *err)
{
	int rc;

	a->changed_at = now_of(db);
	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = OPS(db)->account_update(db->st, a, err);
	if (rc == HF_ENOTFOUND)
		rc = missing(err, a->name);
	/* a changed password or role ends what the old one opened */
	if (rc == HF_OK)
		rc = OPS(db)->session_delete(db->st, NULL, a->name, 0, err);
	if (rc == HF_OK)
		rc = hf__db_audit(db, action, a->name, err, "%s", details);
	return hf__db_tx_end(db, rc, err);
}

int hf_account_set_password(hf_db *db, const char *name, const char *password,
			    hf_error *err)
{
	hf_account a;
	int rc;

	if ((rc = hf_account_get(db, name, &a, err)) < 0 ||
	    (rc = hash_password(password, a.pwhash, err)) < 0)
		return rc;
	return update(db, &a, "user.passwd", "", err);
}

int hf_account_set_role(hf_db *db, const char *name, hf_role role,
			const char *const *units, size_t nunits, hf_error *err)
{
	hf_account a;
	char ut[HF_ACCOUNT_UNITS_MAX * HF_CODE_MAX], d[sizeof ut + 64];
	int rc;

	if ((rc = hf_account_get(db, name, &a, err)) < 0 ||
	    (rc = set_units(db, &a, role, units, nunits, err)) < 0)
		return rc;
	units_text(&a, ut, sizeof ut);
	snprintf(d, sizeof d, "role=%s units=%s", hf_role_slug(role), ut);
	return update(db, &a, "user.role", d, err);
}

int hf_account_get(hf_db *db, const char *name, hf_account *out, hf_error *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = hf__db_audit_ready(db, err)) < 0)
		return rc;
	rc = OPS(db)->account_get(db->st, name ? name : "", out, err);
	return rc == HF_ENOTFOUND ? missing(err, name ? name : "") : rc;
}

int hf_account_list(hf_db *db, hf_account **out, size_t *n, hf_error *err)
{
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = hf__db_audit_ready(db, err)) < 0)
		return rc;
	return OPS(db)->account_list(db->st, out, n, err);
}

int hf_account_verify(hf_db *db, const char *name, const char *password,
		      hf_account *out, hf_error *err)
{
	int rc;

	if ((rc = crypto_ready(err)) < 0 ||
	    (rc = hf__db_audit_ready(db, err)) < 0)
		return rc;
	memset(out, 0, sizeof *out);
	rc = OPS(db)->account_get(db->st, name ? name : "", out, err);
	if (rc < 0 && rc != HF_ENOTFOUND)
		return rc;
	if (rc == HF_ENOTFOUND || !password ||
	    crypto_pwhash_str_verify(out->pwhash, password, strlen(password)) !=
		0) {
		memset(out, 0, sizeof *out);
		return hf_error_set(err, HF_EINVAL, "password",
				    "Konto oder Passwort falsch.",
				    "Wrong account or password.");
	}
	return HF_OK;
}

int hf_account_owns(hf_db *db, const hf_account *a, const char *code,
		    hf_error *err)
{
	hf_unit u;
	size_t i;
	int depth, rc;

	if (hf_role_all_units(a->role))
		return 1;
	if (a->role != HF_ROLE_OFFICE || !code || !*code)
		return 0;
	snprintf(u.parent, sizeof u.parent, "%s", code);
	/* the unit and its ancestors; a tree is shallow */
	for (depth = 0; u.parent[0] && depth < 16; depth++) {
		char c[HF_CODE_MAX];
		snprintf(c, sizeof c, "%s", u.parent);
		for (i = 0; i < a->nunits; i++)
			if (!strcmp(a->units[i], c))
				return 1;
		rc = OPS(db)->unit_get(db->st, c, &u, err);
		if (rc == HF_ENOTFOUND)
			return 0;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- sessions ------------------------------------------------------- */

static void random_token(char out[HF_SESSION_TOKEN_MAX])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, HF_SESSION_TOKEN_MAX, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

/* The hex BLAKE2b-256 of a token: what the database keeps. */
static void token_hash(const char *token, char hex[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)token,
			   strlen(token), NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

int hf_session_create(hf_db *db, const char *user, int64_t now, int64_t ttl,
		      char token[HF_SESSION_TOKEN_MAX],
		      char csrf[HF_SESSION_TOKEN_MAX], hf_error *err)
{
	hf_session s;
	char hex[65];
	int rc;

	if ((rc = crypto_ready(err)) < 0 ||
	    (rc = hf__db_audit_ready(db, err)) < 0)
		return rc;
	if (ttl <= 0)
		return hf_error_set(err, HF_EINVAL, "ttl",
				    "Die Gültigkeit einer Sitzung muss positiv "
				    "sein.",
				    "A session's lifetime must be positive.");
	memset(&s, 0, sizeof s);
	snprintf(s.user, sizeof s.user, "%s", user);
	random_token(token);
	random_token(s.csrf);
	s.created_at = now;
	s.expires_at = now + ttl;
	token_hash(token, hex);
	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	rc = OPS(db)->session_delete(db->st, NULL, NULL, now, err);
	if (rc == HF_OK)
		rc = OPS(db)->session_insert(db->st, hex, &s, err);
	if ((rc = hf__db_tx_end(db, rc, err)) < 0) {
		sodium_memzero(token, HF_SESSION_TOKEN_MAX);
		return rc;
	}
	memcpy(csrf, s.csrf, HF_SESSION_TOKEN_MAX);
	return HF_OK;
}

int hf_session_get(hf_db *db, const char *token, int64_t now, hf_session *out,
		   hf_error *err)
{
	char hex[65];
	int rc;

	if (!token || strlen(token) != 43)
		return HF_ENOTFOUND;
	if ((rc = crypto_ready(err)) < 0 ||
	    (rc = hf__db_audit_ready(db, err)) < 0)
		return rc;
	token_hash(token, hex);
	memset(out, 0, sizeof *out);
	if ((rc = OPS(db)->session_get(db->st, hex, out, err)) < 0)
		return rc;
	if (out->expires_at <= now) {
		memset(out, 0, sizeof *out);
		return HF_ENOTFOUND;
	}
	return HF_OK;
}

int hf_session_end(hf_db *db, const char *token, hf_error *err)
{
	char hex[65];
	int rc;

	if (!token || !*token)
		return HF_OK;
	if ((rc = crypto_ready(err)) < 0 ||
	    (rc = hf__db_audit_ready(db, err)) < 0)
		return rc;
	token_hash(token, hex);
	if ((rc = hf__db_tx_begin(db, err)) < 0)
		return rc;
	return hf__db_tx_end(
	    db, OPS(db)->session_delete(db->st, hex, NULL, 0, err), err);
}

int hf_token_equal(const char *a, const char *b)
{
	size_t la, lb;

	if (!a || !b)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	return la == lb && la > 0 && sodium_memcmp(a, b, la) == 0;
}

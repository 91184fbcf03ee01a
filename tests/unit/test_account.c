/* Tests for accounts, roles, sessions (account.c) and the audit log
 * (audit.c): argon2id hashes that verify and refuse, unit ownership down
 * the tree, session expiry and hashing, and audit rows that commit with
 * their write and only with it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "hafen/hafen.h"

#include "testdb.h"

typedef test_fix fix;

#define PW "ein-langes-passwort"

static int setup(void **state)
{
	/* accounts and the audit log are on SQLite so far */
	fix *f = test_fix_new("acct", 1);
	if (!f)
		return -1;
	*state = f;
	hf_db_set_actor(f->db, "setup", 1700000000);
	test_fix_unit(f, "DE", HF_UNIT_STATE, "");
	test_fix_unit(f, "01", HF_UNIT_LAND, "DE");
	test_fix_unit(f, "01051", HF_UNIT_KREIS, "01");
	test_fix_unit(f, "01051001", HF_UNIT_GEMEINDE, "01051");
	test_fix_unit(f, "01053", HF_UNIT_KREIS, "01");
	return 0;
}

static int teardown(void **state)
{
	test_fix_free(*state);
	return 0;
}

static size_t audit_count(fix *f, const char *action)
{
	hf_audit_filter af;
	hf_audit_entry *e = NULL;
	size_t n = 0;

	memset(&af, 0, sizeof af);
	af.action = action;
	OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
	free(e);
	return n;
}

static void test_roles(void **state)
{
	hf_role r;
	(void)state;
	assert_int_equal(hf_role_parse("admin", &r), HF_OK);
	assert_int_equal(r, HF_ROLE_ADMIN);
	assert_int_equal(hf_role_parse("landeskoordination", &r), HF_OK);
	assert_int_equal(r, HF_ROLE_LAND);
	assert_int_equal(hf_role_parse("amt", &r), HF_OK);
	assert_int_equal(r, HF_ROLE_OFFICE);
	assert_int_equal(hf_role_parse("lesend", &r), HF_OK);
	assert_int_equal(r, HF_ROLE_VIEWER);
	assert_int_equal(hf_role_parse("root", &r), HF_EINVAL);
	assert_string_equal(hf_role_slug(HF_ROLE_OFFICE), "office");
	assert_true(hf_role_all_units(HF_ROLE_LAND));
	assert_false(hf_role_all_units(HF_ROLE_OFFICE));
}

static void test_passwords(void **state)
{
	fix *f = *state;
	const char *units[] = {"01051"};
	hf_account a;
	sqlite3 *raw;
	sqlite3_stmt *q;

	OK(hf_account_add(f->db, "kreis-dith", HF_ROLE_OFFICE, units, 1, PW,
			  &f->err));
	OK(hf_account_verify(f->db, "kreis-dith", PW, &a, &f->err));
	assert_int_equal(a.role, HF_ROLE_OFFICE);
	assert_int_equal(a.nunits, 1);
	assert_string_equal(a.units[0], "01051");
	assert_int_equal(a.created_at, 1700000000);
	/* stored as argon2id, never in clear */
	assert_int_equal(strncmp(a.pwhash, "$argon2id$", 10), 0);
	assert_null(strstr(a.pwhash, PW));
	assert_int_equal(
	    hf_account_verify(f->db, "kreis-dith", "falsch-123", &a, &f->err),
	    HF_EINVAL);
	assert_string_equal(f->err.message, "Konto oder Passwort falsch.");
	/* an unknown account reads the same */
	assert_int_equal(hf_account_verify(f->db, "niemand", PW, &a, &f->err),
			 HF_EINVAL);
	assert_string_equal(f->err.message, "Konto oder Passwort falsch.");
	assert_int_equal(hf_account_add(f->db, "kreis-dith", HF_ROLE_VIEWER,
					NULL, 0, PW, &f->err),
			 HF_EEXIST);
	assert_int_equal(hf_account_add(f->db, "Kreis Dith", HF_ROLE_VIEWER,
					NULL, 0, PW, &f->err),
			 HF_EINVAL);
	assert_int_equal(hf_account_add(f->db, "kurz", HF_ROLE_VIEWER, NULL, 0,
					"123456789", &f->err),
			 HF_EINVAL);
	assert_string_equal(f->err.where, "password");
	assert_int_equal(
	    hf_account_add(f->db, "amt", HF_ROLE_OFFICE, NULL, 0, PW, &f->err),
	    HF_EINVAL);
	assert_string_equal(f->err.where, "units");
	units[0] = "09999";
	assert_int_equal(
	    hf_account_add(f->db, "amt", HF_ROLE_OFFICE, units, 1, PW, &f->err),
	    HF_ENOTFOUND);
	OK(hf_account_set_password(f->db, "kreis-dith", "ein-neues-passwort",
				   &f->err));
	assert_int_equal(
	    hf_account_verify(f->db, "kreis-dith", PW, &a, &f->err), HF_EINVAL);
	OK(hf_account_verify(f->db, "kreis-dith", "ein-neues-passwort", &a,
			     &f->err));
	/* the hash is salted: two accounts with one password differ */
	OK(hf_account_add(f->db, "zwei", HF_ROLE_VIEWER, NULL, 0,
			  "ein-neues-passwort", &f->err));
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(raw,
					    "SELECT count(DISTINCT pwhash) "
					    "FROM accounts",
					    -1, &q, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 2);
	sqlite3_finalize(q);
	sqlite3_close(raw);
	assert_int_equal(audit_count(f, "user."), 3);
}

static void test_owns_down_the_tree(void **state)
{
	fix *f = *state;
	const char *units[] = {"01051"};
	hf_account a;

	OK(hf_account_add(f->db, "dith", HF_ROLE_OFFICE, units, 1, PW,
			  &f->err));
	OK(hf_account_get(f->db, "dith", &a, &f->err));
	assert_int_equal(hf_account_owns(f->db, &a, "01051", &f->err), 1);
	assert_int_equal(hf_account_owns(f->db, &a, "01051001", &f->err), 1);
	assert_int_equal(hf_account_owns(f->db, &a, "01053", &f->err), 0);
	assert_int_equal(hf_account_owns(f->db, &a, "01", &f->err), 0);
	assert_int_equal(hf_account_owns(f->db, &a, "99", &f->err), 0);
	assert_int_equal(hf_account_owns(f->db, &a, "", &f->err), 0);
	a.role = HF_ROLE_VIEWER;
	assert_int_equal(hf_account_owns(f->db, &a, "01051", &f->err), 0);
	a.role = HF_ROLE_LAND;
	assert_int_equal(hf_account_owns(f->db, &a, "01053", &f->err), 1);
	/* a changed role takes units only for an office */
	assert_int_equal(hf_account_set_role(f->db, "dith", HF_ROLE_VIEWER,
					     units, 1, &f->err),
			 HF_EINVAL);
	OK(hf_account_set_role(f->db, "dith", HF_ROLE_VIEWER, NULL, 0,
			       &f->err));
	OK(hf_account_get(f->db, "dith", &a, &f->err));
	assert_int_equal(a.role, HF_ROLE_VIEWER);
	assert_int_equal(a.nunits, 0);
}

static void test_sessions(void **state)
{
	fix *f = *state;
	char tok[HF_SESSION_TOKEN_MAX], csrf[HF_SESSION_TOKEN_MAX];
	char tok2[HF_SESSION_TOKEN_MAX], csrf2[HF_SESSION_TOKEN_MAX];
	hf_session s;
	sqlite3 *raw;
	sqlite3_stmt *q;

	OK(hf_account_add(f->db, "amt", HF_ROLE_VIEWER, NULL, 0, PW, &f->err));
	OK(hf_session_create(f->db, "amt", 1000, 60, tok, csrf, &f->err));
	assert_int_equal(strlen(tok), 43);
	assert_int_equal(strlen(csrf), 43);
	assert_string_not_equal(tok, csrf);
	OK(hf_session_get(f->db, tok, 1059, &s, &f->err));
	assert_string_equal(s.user, "amt");
	assert_string_equal(s.csrf, csrf);
	assert_int_equal(s.expires_at, 1060);
	assert_true(hf_token_equal(s.csrf, csrf));
	assert_false(hf_token_equal(s.csrf, tok));
	assert_false(hf_token_equal(NULL, csrf));
	/* expired at its end */
	assert_int_equal(hf_session_get(f->db, tok, 1060, &s, &f->err),
			 HF_ENOTFOUND);
	/* the database keeps the hash of the token only */
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(raw, "SELECT hash FROM sessions", -1, &q, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(strlen((const char *)sqlite3_column_text(q, 0)), 64);
	assert_string_not_equal((const char *)sqlite3_column_text(q, 0), tok);
	sqlite3_finalize(q);
	sqlite3_close(raw);
	/* a new session sweeps the expired; a new password ends the rest */
	OK(hf_session_create(f->db, "amt", 2000, 60, tok2, csrf2, &f->err));
	assert_int_equal(hf_session_get(f->db, tok, 1000, &s, &f->err),
			 HF_ENOTFOUND);
	OK(hf_session_get(f->db, tok2, 2001, &s, &f->err));
	OK(hf_account_set_password(f->db, "amt", "ein-neues-passwort",
				   &f->err));
	assert_int_equal(hf_session_get(f->db, tok2, 2001, &s, &f->err),
			 HF_ENOTFOUND);
	OK(hf_session_create(f->db, "amt", 3000, 60, tok, csrf, &f->err));
	OK(hf_session_end(f->db, tok, &f->err));
	assert_int_equal(hf_session_get(f->db, tok, 3001, &s, &f->err),
			 HF_ENOTFOUND);
	assert_int_equal(hf_session_get(f->db, "zu-kurz", 3001, &s, &f->err),
			 HF_ENOTFOUND);
}

static void test_audit_commits_with_its_write(void **state)
{
	fix *f = *state;
	hf_admission a[2];
	hf_audit_entry *e = NULL;
	hf_audit_filter af;
	size_t n = 0, before;

	memset(a, 0, sizeof a);
	hf_date_make(2023, 5, 1, &a[0].date);
	strcpy(a[0].unit, "01051");
	a[0].persons = 4;
	strcpy(a[0].household, "H-1");
	a[1] = a[0];
	strcpy(a[1].unit, "01053");
	hf_db_set_actor(f->db, "kiel", 1700000100);
	OK(hf_db_ledger_append(f->db, a, 1, &f->err));
	memset(&af, 0, sizeof af);
	af.user = "kiel";
	OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
	assert_int_equal(n, 1);
	assert_string_equal(e[0].action, "ledger.record");
	assert_int_equal(e[0].at, 1700000100);
	assert_non_null(strstr(e[0].details, "unit=01051 persons=4"));
	assert_non_null(strstr(e[0].details, "household=H-1"));
	free(e);
	/* a failed write leaves no row: the second entry is refused */
	before = audit_count(f, "");
	a[1].persons = 0;
	assert_int_not_equal(hf_db_ledger_append(f->db, a, 2, &f->err), HF_OK);
	assert_int_equal(audit_count(f, ""), before);
	/* in the caller's transaction: a rollback takes the row with it */
	OK(hf_db_begin(f->db, &f->err));
	a[0].id = 0;
	OK(hf_db_ledger_append(f->db, a, 1, &f->err));
	hf_db_rollback(f->db);
	assert_int_equal(audit_count(f, ""), before);
	/* a correction is logged with its reversal */
	OK(hf_db_ledger_append(f->db, a, 1, &f->err));
	{
		int64_t rev = 0;
		char obj[32];
		OK(hf_db_ledger_correct(f->db, a[0].id, HF_DATE_NONE, "kiel",
					1700000200, "Tippfehler", NULL, &rev,
					&f->err));
		memset(&af, 0, sizeof af);
		af.action = "ledger.correct";
		OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
		assert_int_equal(n, 1);
		snprintf(obj, sizeof obj, "%lld", (long long)a[0].id);
		assert_string_equal(e[0].object, obj);
		assert_non_null(strstr(e[0].details, "note=Tippfehler"));
		free(e);
	}
	/* limit: the newest rows, oldest first */
	memset(&af, 0, sizeof af);
	af.limit = 2;
	OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
	assert_int_equal(n, 2);
	assert_true(e[0].id < e[1].id);
	assert_string_equal(e[1].action, "ledger.correct");
	free(e);
	/* the setup's five units are in the log by their actor */
	memset(&af, 0, sizeof af);
	af.user = "setup";
	af.action = "unit.add";
	OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
	assert_int_equal(n, 5);
	free(e);
}

static void test_audit_append_only_and_long_fields(void **state)
{
	fix *f = *state;
	char big[2000];
	hf_audit_entry *e = NULL;
	hf_audit_filter af;
	size_t n = 0;
	sqlite3 *raw;

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	OK(hf_db_audit_add(f->db, "ledger.read", "01051", big, &f->err));
	memset(&af, 0, sizeof af);
	af.action = "ledger.read";
	OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
	assert_int_equal(n, 1);
	/* cut with an ellipsis, never silently */
	assert_int_equal(strlen(e[0].details), HF_AUDIT_DETAILS_MAX - 1);
	assert_string_equal(e[0].details + strlen(e[0].details) - 3,
			    "\xe2\x80\xa6");
	free(e);
	assert_int_equal(hf_db_audit_add(f->db, "", "x", "", &f->err),
			 HF_EINVAL);
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(raw, "UPDATE audit SET account = 'x'",
					  NULL, NULL, NULL),
			     SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(raw), "append-only"));
	assert_int_not_equal(
	    sqlite3_exec(raw, "DELETE FROM audit", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(raw), "append-only"));
	sqlite3_close(raw);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    T(test_passwords),
	    T(test_owns_down_the_tree),
	    T(test_sessions),
	    T(test_audit_commits_with_its_write),
	    T(test_audit_append_only_and_long_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

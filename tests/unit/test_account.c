/* Tests for accounts, roles, sessions (account.c) and the audit log
 * (audit.c): argon2id hashes that verify and refuse, unit ownership down
 * the tree, session expiry and hashing, and audit rows that commit with
 * their write and only with it. On both backends (testdb.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hafen/hafen.h"
#include "testdb.h"

typedef struct fix {
	char dir[64];
	char path[512];
	hf_db *db;
	hf_error err;
} fix;

#define OK(call)                                                               \
	do {                                                                   \
		int rc_ = (call);                                              \
		if (rc_ != HF_OK)                                              \
			fail_msg("%s: %s (%s)", #call, hf_err_name(rc_),       \
				 f->err.message);                              \
	} while (0)

#define PW "ein-langes-passwort"

static void add_unit(fix *f, const char *code, hf_unit_kind kind,
		     const char *parent)
{
	hf_unit u;
	memset(&u, 0, sizeof u);
	strcpy(u.code, code);
	strcpy(u.name, code);
	strcpy(u.parent, parent);
	u.kind = kind;
	OK(hf_db_unit_add(f->db, &u, &f->err));
}

static int setup(void **state)
{
	fix *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/hafen-test-acct-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (test_db_fresh(f->dir, "hafen.db", f->path, sizeof f->path) < 0)
		return -1;
	hf_error_init(&f->err, HF_LANG_DE);
	if (hf_db_open(f->path, HF_DB_CREATE, &f->db, &f->err) != HF_OK)
		return -1;
	*state = f;
	hf_db_set_actor(f->db, "setup", 1700000000);
	add_unit(f, "DE", HF_UNIT_STATE, "");
	add_unit(f, "01", HF_UNIT_LAND, "DE");
	add_unit(f, "01051", HF_UNIT_KREIS, "01");
	add_unit(f, "01051001", HF_UNIT_GEMEINDE, "01051");
	add_unit(f, "01053", HF_UNIT_KREIS, "01");
	return 0;
}

static int teardown(void **state)
{
	fix *f = *state;
	char p[600];
	const char *suffix[] = {"", "-wal", "-shm", "-journal"};
	size_t i;

	hf_db_close(f->db);
	test_db_drop(f->path);
	for (i = 0; i < 4 && !test_db_pg(); i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
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
	char v[256];

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
	assert_int_equal(test_db_value(f->path,
				       "SELECT count(DISTINCT pwhash) "
				       "FROM accounts",
				       v, sizeof v),
			 0);
	assert_string_equal(v, "2");
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
	char v[256];

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
	assert_int_equal(
	    test_db_value(f->path, "SELECT hash FROM sessions", v, sizeof v),
	    0);
	assert_int_equal(strlen(v), 64);
	assert_string_not_equal(v, tok);
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
	char msg[512];

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
	assert_int_equal(test_db_exec(f->path, "UPDATE audit SET account = 'x'",
				      msg, sizeof msg),
			 -1);
	assert_non_null(strstr(msg, "append-only"));
	assert_int_equal(
	    test_db_exec(f->path, "DELETE FROM audit", msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "append-only"));
	/* PostgreSQL has TRUNCATE, which row triggers do not see */
	if (test_db_pg()) {
		assert_int_equal(
		    test_db_exec(f->path, "TRUNCATE audit", msg, sizeof msg),
		    -1);
		assert_non_null(strstr(msg, "append-only"));
	}
	assert_int_equal(audit_count(f, "ledger.read"), 1);
}

/* Names in byte order on both backends (PostgreSQL: COLLATE "C"; a
 * locale's order would put "ab" before "a-z"). */
static void test_account_list_order(void **state)
{
	fix *f = *state;
	const char *names[] = {"b-1", "ab", "a_3", "a-z", "a.2", "a9"};
	const char *want[] = {"a-z", "a.2", "a9", "a_3", "ab", "b-1"};
	const char *units[] = {"01051", "01053"};
	hf_account *a = NULL;
	size_t i, n = 0;

	for (i = 0; i < 6; i++)
		OK(hf_account_add(
		    f->db, names[i], i == 1 ? HF_ROLE_OFFICE : HF_ROLE_VIEWER,
		    i == 1 ? units : NULL, i == 1 ? 2 : 0, PW, &f->err));
	OK(hf_account_list(f->db, &a, &n, &f->err));
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++)
		assert_string_equal(a[i].name, want[i]);
	/* the units of an office come back in their order */
	assert_int_equal(a[4].role, HF_ROLE_OFFICE);
	assert_int_equal(a[4].nunits, 2);
	assert_string_equal(a[4].units[0], "01051");
	assert_string_equal(a[4].units[1], "01053");
	assert_int_equal(a[0].nunits, 0);
	free(a);
	/* a name another handle took is refused with HF_EEXIST */
	{
		hf_db *other = NULL;
		OK(hf_db_open(f->path, 0, &other, &f->err));
		assert_int_equal(hf_account_add(other, "ab", HF_ROLE_VIEWER,
						NULL, 0, PW, &f->err),
				 HF_EEXIST);
		assert_string_equal(f->err.where, "name");
		hf_db_close(other);
	}
	assert_int_equal(audit_count(f, "user.add"), 6);
}

/* Sessions end one by one, per account, or when they expire; the other
 * accounts' sessions stay. */
static void test_sessions_end_selectively(void **state)
{
	fix *f = *state;
	char t1[HF_SESSION_TOKEN_MAX], t2[HF_SESSION_TOKEN_MAX],
	    t3[HF_SESSION_TOKEN_MAX], t4[HF_SESSION_TOKEN_MAX],
	    c[HF_SESSION_TOKEN_MAX];
	hf_session s;
	char v[64];

	OK(hf_account_add(f->db, "eins", HF_ROLE_VIEWER, NULL, 0, PW, &f->err));
	OK(hf_account_add(f->db, "zwei", HF_ROLE_VIEWER, NULL, 0, PW, &f->err));
	OK(hf_session_create(f->db, "eins", 1000, 100, t1, c, &f->err));
	OK(hf_session_create(f->db, "eins", 1000, 5000, t2, c, &f->err));
	OK(hf_session_create(f->db, "zwei", 1000, 5000, t3, c, &f->err));
	/* at 1200 the first has expired and is swept; the others stay */
	OK(hf_session_create(f->db, "zwei", 1200, 5000, t4, c, &f->err));
	assert_int_equal(test_db_value(f->path, "SELECT count(*) FROM sessions",
				       v, sizeof v),
			 0);
	assert_string_equal(v, "3");
	OK(hf_session_get(f->db, t2, 1200, &s, &f->err));
	assert_string_equal(s.user, "eins");
	assert_int_equal(s.created_at, 1000);
	/* logout ends that session only */
	OK(hf_session_end(f->db, t3, &f->err));
	assert_int_equal(hf_session_get(f->db, t3, 1200, &s, &f->err),
			 HF_ENOTFOUND);
	OK(hf_session_get(f->db, t4, 1200, &s, &f->err));
	/* a changed role ends every session of that account only */
	OK(hf_account_set_role(f->db, "eins", HF_ROLE_LAND, NULL, 0, &f->err));
	assert_int_equal(hf_session_get(f->db, t2, 1200, &s, &f->err),
			 HF_ENOTFOUND);
	OK(hf_session_get(f->db, t4, 1200, &s, &f->err));
	assert_string_equal(s.user, "zwei");
	/* ending an unknown or empty token is no error */
	OK(hf_session_end(f->db, t1, &f->err));
	OK(hf_session_end(f->db, "", &f->err));
}

/* Reads of the server's request path (session lookup, login check, the
 * account list) need no writer lock: they answer while another handle
 * holds it, and see only what that handle committed. */
static void test_lookups_beside_a_writer(void **state)
{
	fix *f = *state;
	char tok[HF_SESSION_TOKEN_MAX], csrf[HF_SESSION_TOKEN_MAX];
	hf_db *reader = NULL;
	hf_session s;
	hf_account a, *all = NULL;
	size_t n = 0;

	OK(hf_account_add(f->db, "amt", HF_ROLE_VIEWER, NULL, 0, PW, &f->err));
	OK(hf_session_create(f->db, "amt", 1000, 60, tok, csrf, &f->err));
	OK(hf_db_open(f->path, 0, &reader, &f->err));
	OK(hf_db_begin(f->db, &f->err));
	OK(hf_account_set_password(f->db, "amt", "ein-neues-passwort",
				   &f->err));
	/* the writer holds the lock; the reader sees the committed state */
	OK(hf_session_get(reader, tok, 1001, &s, &f->err));
	assert_string_equal(s.user, "amt");
	OK(hf_account_verify(reader, "amt", PW, &a, &f->err));
	OK(hf_account_list(reader, &all, &n, &f->err));
	assert_int_equal(n, 1);
	free(all);
	OK(hf_db_commit(f->db, &f->err));
	/* and the new state once it committed */
	assert_int_equal(hf_session_get(reader, tok, 1001, &s, &f->err),
			 HF_ENOTFOUND);
	OK(hf_account_verify(reader, "amt", "ein-neues-passwort", &a, &f->err));
	/* a read row of the reader's own goes in under the lock, after the
	 * writer's rows */
	hf_db_set_actor(reader, "leser", 1700000300);
	OK(hf_db_audit_add(reader, "ledger.read", "01051", "entries=1",
			   &f->err));
	{
		hf_audit_entry *e = NULL;
		hf_audit_filter af;
		memset(&af, 0, sizeof af);
		af.limit = 2;
		OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
		assert_int_equal(n, 2);
		assert_string_equal(e[0].action, "user.passwd");
		assert_string_equal(e[1].action, "ledger.read");
		assert_string_equal(e[1].user, "leser");
		assert_int_equal(e[1].id, e[0].id + 1);
		free(e);
	}
	hf_db_close(reader);
}

/* The filters of the audit list: account, action prefix, time range,
 * rows after an id. */
static void test_audit_filters(void **state)
{
	fix *f = *state;
	hf_audit_entry *e = NULL;
	hf_audit_filter af;
	size_t n = 0;
	int64_t first;

	hf_db_set_actor(f->db, "a", 2000);
	OK(hf_db_audit_add(f->db, "ledger.read", "x", "1", &f->err));
	hf_db_set_actor(f->db, "b", 3000);
	OK(hf_db_audit_add(f->db, "ledger.read", "y", "2", &f->err));
	OK(hf_db_audit_add(f->db, "session.login", "b", "", &f->err));
	hf_db_set_actor(f->db, "a", 4000);
	OK(hf_db_audit_add(f->db, "session.logout", "a", "", &f->err));

	/* the setup's rows are at 1700000000 */
	memset(&af, 0, sizeof af);
	af.from = 2000;
	af.to = 4000;
	OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
	assert_int_equal(n, 4);
	first = e[0].id;
	assert_string_equal(e[0].object, "x");
	assert_string_equal(e[3].action, "session.logout");
	free(e);
	af.from = 3000;
	af.to = 3000;
	OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
	assert_int_equal(n, 2);
	free(e);
	memset(&af, 0, sizeof af);
	af.user = "a";
	af.action = "session.";
	OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
	assert_int_equal(n, 1);
	assert_int_equal(e[0].at, 4000);
	free(e);
	memset(&af, 0, sizeof af);
	af.after_id = first + 1;
	OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
	assert_int_equal(n, 2);
	assert_int_equal(e[0].id, first + 2);
	free(e);
	/* a prefix is not a pattern */
	memset(&af, 0, sizeof af);
	af.action = "ledger%";
	OK(hf_db_audit_list(f->db, &af, &e, &n, &f->err));
	assert_int_equal(n, 0);
	free(e);
}

/* A database of schema 2 (before accounts and imports) is brought to the
 * current schema when opened, its data kept, and takes accounts and audit
 * rows then. */
static void test_schema_2_migrated(void **state)
{
	fix *f = *state;
	char msg[512], v[64];
	hf_account a;
	int version = 0;

	hf_db_close(f->db);
	f->db = NULL;
	assert_int_equal(
	    test_db_exec(f->path,
			 "DROP TABLE sessions; DROP TABLE accounts;"
			 "DROP TABLE audit; DROP TABLE imports;"
			 "UPDATE schema_version SET version = 2",
			 msg, sizeof msg),
	    0);
	if (test_db_pg())
		assert_int_equal(
		    test_db_exec(f->path,
				 "DROP FUNCTION hafen_audit_append_only()", msg,
				 sizeof msg),
		    0);
	OK(hf_db_open(f->path, 0, &f->db, &f->err));
	OK(hf_db_schema_version(f->db, &version, &f->err));
	assert_int_equal(version, HF_DB_SCHEMA_VERSION);
	assert_int_equal(
	    test_db_value(f->path, "SELECT count(*) FROM units", v, sizeof v),
	    0);
	assert_string_equal(v, "5");
	hf_db_set_actor(f->db, "setup", 1700000000);
	OK(hf_account_add(f->db, "neu", HF_ROLE_VIEWER, NULL, 0, PW, &f->err));
	OK(hf_account_get(f->db, "neu", &a, &f->err));
	assert_int_equal(audit_count(f, "user.add"), 1);
	assert_int_equal(
	    test_db_exec(f->path, "DELETE FROM audit", msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "append-only"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	test_db_require();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    T(test_passwords),
	    T(test_owns_down_the_tree),
	    T(test_sessions),
	    T(test_audit_commits_with_its_write),
	    T(test_audit_append_only_and_long_fields),
	    T(test_account_list_order),
	    T(test_sessions_end_selectively),
	    T(test_lookups_beside_a_writer),
	    T(test_audit_filters),
	    T(test_schema_2_migrated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests for db.c and its backends (store_sqlite.c, store_pg.c), on
 * temporary databases of the backend the run names (testdb.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "hafen/db.h"
#include "hafen/programme.h"

#include "db_int.h" /* hf__db_read_begin */
#include "fixtures.h"
#include "testdb.h"
#include "testrnd.h"

typedef test_fix fix;

static hf_unit U(const char *code, hf_unit_kind kind, const char *name,
		 const char *parent)
{
	hf_unit u;
	memset(&u, 0, sizeof u);
	strcpy(u.code, code);
	strcpy(u.name, name);
	strcpy(u.parent, parent);
	u.kind = kind;
	return u;
}

static hf_date D(int y, int m, int d)
{
	hf_date r;
	assert_int_equal(hf_date_make(y, m, d, &r), HF_OK);
	return r;
}

static void add_tree(fix *f)
{
	hf_unit de = U("DE", HF_UNIT_STATE, "Deutschland", "");
	hf_unit land = U("01", HF_UNIT_LAND, "Schleswig-Holstein", "DE");
	int i;

	OK(hf_db_unit_add(f->db, &de, &f->err));
	OK(hf_db_unit_add(f->db, &land, &f->err));
	for (i = 0; i < 15; i++) {
		hf_unit u = U(sh15[i].code, sh15[i].kind, sh15[i].name, "01");
		OK(hf_db_unit_add(f->db, &u, &f->err));
	}
}

static int setup(void **state)
{
	return (*state = test_fix_new("db", 0)) ? 0 : -1;
}

/* test_open leaves a second database, "other", in the folder */
static int teardown(void **state)
{
	fix *f = *state;
	char p[600];

	snprintf(p, sizeof p, "%s/other", f->dir);
	unlink(p);
	test_fix_free(f);
	return 0;
}

static void test_open(void **state)
{
	fix *f = *state;
	hf_db *db2;
	char uri[600];
	int v;

	assert_string_equal(hf_db_backend(f->db),
			    test_db_pg() ? "postgresql" : "sqlite");
	OK(hf_db_schema_version(f->db, &v, &f->err));
	assert_int_equal(v, HF_DB_SCHEMA_VERSION);
	if (test_db_pg()) {
		OK(hf_db_open(f->path, 0, &db2, &f->err));
		hf_db_close(db2);
		/* a server that is not there */
		assert_int_equal(hf_db_open("postgresql://nobody@127.0.0.1:1/x",
					    0, &db2, &f->err),
				 HF_EIO);
		assert_non_null(strstr(f->err.message, "Keine Verbindung"));
		assert_null(db2);
		/* a schema that is empty: not created without HF_DB_CREATE */
		assert_int_equal(
		    test_db_fresh(f->dir, "other", uri, sizeof uri), 0);
		assert_int_equal(hf_db_open(uri, 0, &db2, &f->err), HF_ESCHEMA);
		assert_non_null(strstr(f->err.message, "hafen init"));
		test_db_drop(uri);
	} else {
		snprintf(uri, sizeof uri, "sqlite:%s", f->path);
		OK(hf_db_open(uri, 0, &db2, &f->err));
		hf_db_close(db2);
		snprintf(uri, sizeof uri, "%s/other", f->dir);
		assert_int_equal(hf_db_open(uri, 0, &db2, &f->err), HF_EIO);
		assert_null(db2);
	}
	assert_int_equal(hf_db_open("", 0, &db2, &f->err), HF_EUSAGE);
	hf_db_close(NULL);
}

static void test_units(void **state)
{
	fix *f = *state;
	hf_unit u, *list;
	size_t n;

	add_tree(f);
	OK(hf_db_unit_get(f->db, "01003000", &u, &f->err));
	assert_string_equal(u.name, "Lübeck");
	assert_int_equal(u.kind, HF_UNIT_KREISFREIE_STADT);
	assert_string_equal(u.parent, "01");
	OK(hf_db_unit_list(f->db, "", &list, &n, &f->err));
	assert_int_equal(n, 1);
	assert_string_equal(list[0].code, "DE");
	assert_string_equal(list[0].parent, "");
	free(list);
	OK(hf_db_unit_list(f->db, "01", &list, &n, &f->err));
	assert_int_equal(n, 15);
	assert_string_equal(list[0].code, "01001000");
	assert_string_equal(list[4].code, "01051");
	assert_string_equal(list[14].code, "01062");
	free(list);
	OK(hf_db_unit_list(f->db, NULL, &list, &n, &f->err));
	assert_int_equal(n, 17);
	free(list);
	/* refusals: nothing written */
	u = U("01003000", HF_UNIT_KREISFREIE_STADT, "Lübeck", "01");
	assert_int_equal(hf_db_unit_add(f->db, &u, &f->err), HF_EEXIST);
	u = U("02000000", HF_UNIT_KREISFREIE_STADT, "Hamburg", "02");
	assert_int_equal(hf_db_unit_add(f->db, &u, &f->err), HF_ENOTFOUND);
	assert_non_null(strstr(f->err.message, "02"));
	u = U("0105", HF_UNIT_KREIS, "x", "01");
	assert_int_equal(hf_db_unit_add(f->db, &u, &f->err), HF_EINVAL);
	u = U("01051011", HF_UNIT_GEMEINDE, "Brunsbüttel", "01051");
	OK(hf_db_unit_add(f->db, &u, &f->err));
	assert_int_equal(hf_db_unit_get(f->db, "09999", &u, &f->err),
			 HF_ENOTFOUND);
	assert_non_null(strstr(f->err.message, "09999"));
}

static void test_indicators(void **state)
{
	fix *f = *state;
	hf_indicator x, *list;
	hf_membership m, *ml;
	hf_contact c;
	size_t n;

	add_tree(f);
	memset(&x, 0, sizeof x);
	strcpy(x.unit, "01003000");
	strcpy(x.name, "population");
	x.ref_date = D(2022, 12, 31);
	x.value = hf_rat_int(218095);
	strcpy(x.source, "Statistikamt Nord");
	OK(hf_db_indicator_set(f->db, &x, &f->err));
	x.value = hf_rat_int(218000); /* replaces */
	OK(hf_db_indicator_set(f->db, &x, &f->err));
	strcpy(x.name, "area");
	x.value.num = 21419;
	x.value.den = 100;
	OK(hf_db_indicator_set(f->db, &x, &f->err));
	strcpy(x.unit, "01002000");
	OK(hf_db_indicator_set(f->db, &x, &f->err));
	OK(hf_db_indicator_get(f->db, "01003000", "population",
			       D(2022, 12, 31), &x, &f->err));
	assert_int_equal(x.value.num, 218000);
	assert_string_equal(x.source, "Statistikamt Nord");
	assert_int_equal(hf_db_indicator_get(f->db, "01003000", "population",
					     D(2021, 12, 31), &x, &f->err),
			 HF_ENOTFOUND);
	OK(hf_db_indicator_list(f->db, "01003000", NULL, &list, &n, &f->err));
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "area");
	assert_int_equal(list[0].value.den, 100);
	free(list);
	OK(hf_db_indicator_list(f->db, NULL, "area", &list, &n, &f->err));
	assert_int_equal(n, 2);
	free(list);
	strcpy(x.unit, "09999");
	assert_int_equal(hf_db_indicator_set(f->db, &x, &f->err),
			 HF_ENOTFOUND);
	strcpy(x.unit, "01002000");
	x.source[0] = '\0';
	assert_int_equal(hf_db_indicator_set(f->db, &x, &f->err), HF_EINVAL);

	memset(&m, 0, sizeof m);
	strcpy(m.unit, "01002000");
	strcpy(m.alliance, "Sichere Häfen");
	m.joined = D(2018, 9, 27);
	strcpy(m.source, "seebruecke.org");
	OK(hf_db_membership_add(f->db, &m, &f->err));
	assert_int_equal(hf_db_membership_add(f->db, &m, &f->err), HF_EEXIST);
	strcpy(m.unit, "01003000");
	m.joined = HF_DATE_NONE;
	OK(hf_db_membership_add(f->db, &m, &f->err));
	OK(hf_db_membership_list(f->db, "Sichere Häfen", NULL, &ml, &n,
				 &f->err));
	assert_int_equal(n, 2);
	assert_int_equal(ml[0].joined, D(2018, 9, 27));
	assert_int_equal(ml[1].joined, HF_DATE_NONE);
	free(ml);

	memset(&c, 0, sizeof c);
	strcpy(c.unit, "01003000");
	strcpy(c.office, "Bereich Soziale Sicherung");
	strcpy(c.email, "integration@luebeck.de");
	OK(hf_db_contact_set(f->db, &c, &f->err));
	memset(&c, 0, sizeof c);
	OK(hf_db_contact_get(f->db, "01003000", &c, &f->err));
	assert_string_equal(c.office, "Bereich Soziale Sicherung");
	assert_int_equal(hf_db_contact_get(f->db, "01002000", &c, &f->err),
			 HF_ENOTFOUND);
}

/* Shares of 1/20 each and 6/20 for Stormarn. */
static void make_key(hf_key *k, const char *name, hf_date from, hf_date to)
{
	int i;

	hf_key_init(k);
	strcpy(k->name, name);
	strcpy(k->title, "Bevölkerungsschlüssel");
	strcpy(k->parent, "01");
	strcpy(k->source, "AuslAufnVO");
	k->valid_from = from;
	k->valid_to = to;
	k->nshares = 15;
	k->shares = calloc(15, sizeof *k->shares);
	for (i = 14; i >= 0; i--) {
		strcpy(k->shares[14 - i].unit, sh15[i].code);
		k->shares[14 - i].share.num = i == 14 ? 6 : 1;
		k->shares[14 - i].share.den = 20;
	}
	k->shares[0].share.num = 3; /* 01062: 6/20 = 3/10 */
	k->shares[0].share.den = 10;
}

static void test_keys(void **state)
{
	fix *f = *state;
	hf_key k, g, *list;
	hf_standing s, *sl;
	hf_period p;
	size_t n;

	add_tree(f);
	make_key(&k, "sh-2019", D(2019, 1, 1), HF_DATE_NONE);
	k.nweights = 2;
	strcpy(k.weights[0].indicator, "population");
	k.weights[0].weight.num = 9;
	k.weights[0].weight.den = 10;
	strcpy(k.weights[1].indicator, "area");
	k.weights[1].weight.num = 1;
	k.weights[1].weight.den = 10;
	k.kind = HF_KEY_COMPUTED;
	k.credit[HF_CAT_SICHERER_HAFEN] = hf_rat_int(1);
	OK(hf_db_key_add(f->db, &k, &f->err));
	assert_int_equal(hf_db_key_add(f->db, &k, &f->err), HF_EEXIST);
	hf_key_clear(&k);

	OK(hf_db_key_get(f->db, "sh-2019", &g, &f->err));
	assert_int_equal(g.nshares, 15);
	assert_string_equal(g.shares[0].unit, "01001000");
	assert_string_equal(g.shares[14].unit, "01062");
	assert_int_equal(g.shares[14].share.num, 3);
	assert_int_equal(g.shares[14].share.den, 10);
	assert_int_equal(g.kind, HF_KEY_COMPUTED);
	assert_int_equal(g.nweights, 2);
	assert_string_equal(g.weights[1].indicator, "area");
	assert_int_equal(g.valid_to, HF_DATE_NONE);
	assert_int_equal(g.credit[HF_CAT_SICHERER_HAFEN].num, 1);
	assert_int_equal(g.credit[HF_CAT_BUND].num, 0);
	assert_int_equal(g.credit[HF_CAT_REGULAR].num, 1);
	assert_int_equal(g.cap.num, 0);
	hf_key_clear(&g);

	OK(hf_db_key_set_credit(f->db, "sh-2019", HF_CAT_BUND,
				(hf_rat){1, 2}, &f->err));
	OK(hf_db_key_get(f->db, "sh-2019", &g, &f->err));
	assert_int_equal(g.credit[HF_CAT_BUND].den, 2);
	hf_key_clear(&g);
	assert_int_equal(hf_db_key_set_credit(f->db, "nope", HF_CAT_BUND,
					      hf_rat_int(1), &f->err),
			 HF_ENOTFOUND);

	/* a later key wins where both are valid */
	make_key(&k, "sh-2023", D(2023, 1, 1), D(2023, 12, 31));
	OK(hf_db_key_add(f->db, &k, &f->err));
	hf_key_clear(&k);
	OK(hf_period_parse("2023-Q2", &p));
	OK(hf_db_key_find(f->db, "01", p, &g, &f->err));
	assert_string_equal(g.name, "sh-2023");
	assert_int_equal(g.nshares, 15);
	hf_key_clear(&g);
	OK(hf_period_parse("2024", &p));
	OK(hf_db_key_find(f->db, "01", p, &g, &f->err));
	assert_string_equal(g.name, "sh-2019");
	hf_key_clear(&g);
	OK(hf_period_parse("2018", &p));
	assert_int_equal(hf_db_key_find(f->db, "01", p, &g, &f->err),
			 HF_ENOTFOUND);
	assert_non_null(strstr(f->err.message, "01 in 2018"));

	OK(hf_db_key_list(f->db, &list, &n, &f->err));
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "sh-2019");
	assert_null(list[0].shares);
	assert_int_equal(list[0].nshares, 0);
	free(list);

	/* a key without a share for Stormarn is refused, nothing written */
	make_key(&k, "broken", D(2020, 1, 1), HF_DATE_NONE);
	k.nshares = 14;
	assert_int_equal(hf_db_key_add(f->db, &k, &f->err), HF_EINVAL);
	assert_non_null(strstr(f->err.message, "01001000"));
	k.nshares = 15;
	k.shares[3].share.num = 2;
	assert_int_equal(hf_db_key_add(f->db, &k, &f->err), HF_ESUM);
	hf_key_clear(&k);
	assert_int_equal(hf_db_key_get(f->db, "broken", &g, &f->err),
			 HF_ENOTFOUND);
	OK(hf_db_key_list(f->db, &list, &n, &f->err));
	assert_int_equal(n, 2);
	free(list);

	/* standing credits count whole */
	memset(&s, 0, sizeof s);
	strcpy(s.key, "sh-2019");
	strcpy(s.unit, "01058");
	s.from = D(2023, 1, 1);
	s.to = D(2023, 6, 30);
	s.persons = 500;
	strcpy(s.reason, "Landesunterkunft Boostedt");
	OK(hf_db_standing_add(f->db, &s, &f->err));
	assert_true(s.id > 0);
	OK(hf_period_parse("2023", &p));
	OK(hf_db_standing_list(f->db, "sh-2019", p, &sl, &n, &f->err));
	assert_int_equal(n, 1);
	assert_int_equal(sl[0].persons, 500);
	free(sl);
	OK(hf_period_parse("2024", &p));
	OK(hf_db_standing_list(f->db, "sh-2019", p, &sl, &n, &f->err));
	assert_int_equal(n, 0);
	free(sl);
	OK(hf_period_parse("2023-Q2", &p));
	assert_int_equal(hf_db_standing_list(f->db, "sh-2019", p, &sl, &n,
					     &f->err),
			 HF_ECONFLICT);
	strcpy(s.unit, "01");
	assert_int_equal(hf_db_standing_add(f->db, &s, &f->err), HF_EINVAL);
}

static hf_admission entry(const char *unit, hf_date d, int64_t persons,
			  hf_category c)
{
	hf_admission a;
	memset(&a, 0, sizeof a);
	strcpy(a.unit, unit);
	a.date = d;
	a.persons = persons;
	a.category = c;
	strcpy(a.household, "hh-1");
	strcpy(a.recorded_by, "test");
	a.recorded_at = 1700000000;
	return a;
}

static size_t ledger_count(fix *f)
{
	hf_admission *l;
	size_t n;
	OK(hf_db_ledger_list(f->db, NULL, &l, &n, &f->err));
	free(l);
	return n;
}

/* A unit another handle (another process, another office) added is
 * found by a handle that loaded its units before. */
static void test_units_other_handle(void **state)
{
	fix *f = *state;
	hf_unit g = U("01051001", HF_UNIT_GEMEINDE, "Testgemeinde", "01051");
	hf_admission e;
	hf_db *other;

	add_tree(f);
	e = entry("01051", D(2023, 5, 10), 2, HF_CAT_REGULAR);
	OK(hf_db_ledger_append(f->db, &e, 1, &f->err));
	OK(hf_db_open(f->path, 0, &other, &f->err));
	OK(hf_db_unit_add(other, &g, &f->err));
	hf_db_close(other);
	e = entry("01051001", D(2023, 5, 11), 3, HF_CAT_REGULAR);
	OK(hf_db_ledger_append(f->db, &e, 1, &f->err));
	OK(hf_db_transfer(f->db, "01051001", "01051", 1, D(2023, 5, 12), "",
			  "", "test", 1700000000, NULL, NULL, &f->err));
	e = entry("01099", D(2023, 5, 11), 3, HF_CAT_REGULAR);
	assert_int_equal(hf_db_ledger_append(f->db, &e, 1, &f->err),
			 HF_ENOTFOUND);
	assert_int_equal(ledger_count(f), 4);
}

/* Reads between hf__db_read_begin and _end see one state of the
 * database, whatever another handle commits meanwhile (a quota table is
 * read that way); a write inside is refused. */
static void test_read_snapshot(void **state)
{
	fix *f = *state;
	const char *u[1] = {"01051"};
	int64_t s[1][HF_CAT_COUNT];
	hf_period p = {D(2023, 1, 1), D(2023, 12, 31)};
	hf_admission e;
	hf_db *b;

	add_tree(f);
	e = entry("01051", D(2023, 5, 10), 2, HF_CAT_REGULAR);
	OK(hf_db_ledger_append(f->db, &e, 1, &f->err));
	OK(hf_db_open(f->path, 0, &b, &f->err));
	OK(hf__db_read_begin(f->db, &f->err));
	OK(hf_db_ledger_sums(f->db, u, 1, p, s, &f->err));
	assert_int_equal(s[0][HF_CAT_REGULAR], 2);
	e = entry("01051", D(2023, 6, 10), 3, HF_CAT_REGULAR);
	OK(hf_db_ledger_append(b, &e, 1, &f->err));
	OK(hf_db_ledger_sums(f->db, u, 1, p, s, &f->err));
	assert_int_equal(s[0][HF_CAT_REGULAR], 2);
	assert_int_equal(hf_db_ledger_append(f->db, &e, 1, &f->err),
			 HF_EUSAGE);
	OK(hf__db_read_end(f->db, HF_OK, &f->err));
	OK(hf_db_ledger_sums(f->db, u, 1, p, s, &f->err));
	assert_int_equal(s[0][HF_CAT_REGULAR], 5);
	hf_db_close(b);
}

/* PostgreSQL: a connection the server closed (a restart, a network cut)
 * is opened again at the next statement outside a transaction. */
static void test_reconnect(void **state)
{
	fix *f = *state;
	char uri[700], name[64], sql[200];
	hf_admission e, *l;
	hf_unit u;
	hf_db *b;
	size_t n;
	int i;

	/* SQLite has no connection (cmocka's skip() reads as a failure in
	 * TAP) */
	if (!test_db_pg())
		return;
	add_tree(f);
	snprintf(name, sizeof name, "hafen_reconnect_%d", (int)getpid());
	snprintf(uri, sizeof uri, "%s&application_name=%s", f->path, name);
	snprintf(sql, sizeof sql,
		 "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
		 "WHERE application_name = '%s'",
		 name);
	OK(hf_db_open(uri, 0, &b, &f->err));
	for (i = 0; i < 3; i++) {
		assert_int_equal(test_db_pg_admin(sql), 0);
		usleep(200000);
		if (i == 0) { /* a prepared statement */
			OK(hf_db_unit_get(b, "01051", &u, &f->err));
			assert_string_equal(u.name, "Dithmarschen");
		} else if (i == 1) { /* a write: BEGIN first */
			e = entry("01051", D(2023, 5, 10), 2, HF_CAT_REGULAR);
			OK(hf_db_ledger_append(b, &e, 1, &f->err));
		} else { /* a statement built from a filter */
			OK(hf_db_ledger_list(b, NULL, &l, &n, &f->err));
			assert_int_equal(n, 1);
			free(l);
		}
	}
	hf_db_close(b);
}

static void test_append(void **state)
{
	fix *f = *state;
	hf_admission e[5], got;
	int i;

	add_tree(f);
	for (i = 0; i < 3; i++)
		e[i] = entry(sh15[i].code, D(2023, 3, 1 + i), 2 + i,
			     HF_CAT_REGULAR);
	strcpy(e[1].programme, "BAP-AFG");
	OK(hf_db_ledger_append(f->db, e, 3, &f->err));
	assert_int_equal(e[0].id, 1);
	assert_int_equal(e[2].id, 3);
	OK(hf_db_ledger_get(f->db, 2, &got, &f->err));
	assert_string_equal(got.unit, "01002000");
	assert_string_equal(got.programme, "BAP-AFG");
	assert_int_equal(got.persons, 3);
	assert_int_equal(got.corrects, 0);
	assert_int_equal(got.recorded_at, 1700000000);
	assert_int_equal(hf_db_ledger_get(f->db, 99, &got, &f->err),
			 HF_ENOTFOUND);

	/* one bad entry: nothing appended, the entry named */
	for (i = 0; i < 5; i++)
		e[i] = entry(sh15[i].code, D(2023, 4, 1), 1, HF_CAT_REGULAR);
	strcpy(e[2].unit, "09999");
	assert_int_equal(hf_db_ledger_append(f->db, e, 5, &f->err),
			 HF_ENOTFOUND);
	assert_non_null(strstr(f->err.message, "Eintrag 3"));
	assert_int_equal(e[0].id, 0);
	assert_int_equal(ledger_count(f), 3);
	e[2] = entry(sh15[2].code, D(2023, 4, 1), 0, HF_CAT_REGULAR);
	assert_int_equal(hf_db_ledger_append(f->db, e, 5, &f->err), HF_EINVAL);
	assert_int_equal(ledger_count(f), 3);

	/* in the caller's transaction: a failure rolls back everything */
	OK(hf_db_begin(f->db, &f->err));
	e[2].persons = 1;
	OK(hf_db_ledger_append(f->db, e, 5, &f->err));
	e[0].persons = -1;
	assert_int_equal(hf_db_ledger_append(f->db, e, 1, &f->err), HF_EINVAL);
	assert_int_equal(hf_db_ledger_append(f->db, e + 1, 1, &f->err),
			 HF_ECONFLICT); /* the transaction is gone */
	assert_int_not_equal(hf_db_commit(f->db, &f->err), HF_OK);
	assert_int_equal(ledger_count(f), 3);
	/* and a good one commits */
	OK(hf_db_begin(f->db, &f->err));
	e[0].persons = 1;
	OK(hf_db_ledger_append(f->db, e, 5, &f->err));
	OK(hf_db_begin(f->db, &f->err)); /* nested */
	OK(hf_db_ledger_append(f->db, e, 1, &f->err));
	OK(hf_db_commit(f->db, &f->err));
	OK(hf_db_commit(f->db, &f->err));
	assert_int_equal(ledger_count(f), 9);
	assert_int_equal(hf_db_commit(f->db, &f->err), HF_EUSAGE);
	/* rollback by the caller */
	OK(hf_db_begin(f->db, &f->err));
	OK(hf_db_ledger_append(f->db, e, 5, &f->err));
	hf_db_rollback(f->db);
	assert_int_equal(ledger_count(f), 9);
}

static void test_corrections(void **state)
{
	fix *f = *state;
	hf_admission e[2], r, fixd, *l;
	int64_t rev, by;
	size_t n;

	add_tree(f);
	e[0] = entry("01003000", D(2023, 5, 10), 4, HF_CAT_SICHERER_HAFEN);
	strcpy(e[0].programme, "sh-sonder");
	e[1] = entry("01002000", D(2023, 5, 11), 2, HF_CAT_REGULAR);
	OK(hf_db_ledger_append(f->db, e, 2, &f->err));

	fixd = entry("01003000", D(2023, 5, 10), 5, HF_CAT_SICHERER_HAFEN);
	OK(hf_db_ledger_correct(f->db, 1, HF_DATE_NONE, "lfz", 1700000100,
				"Tippfehler", &fixd, &rev, &f->err));
	assert_int_equal(rev, 3);
	assert_int_equal(fixd.id, 4);
	OK(hf_db_ledger_get(f->db, rev, &r, &f->err));
	assert_int_equal(r.persons, -4);
	assert_int_equal(r.corrects, 1);
	assert_int_equal(r.date, D(2023, 5, 10));
	assert_int_equal(r.category, HF_CAT_SICHERER_HAFEN);
	assert_string_equal(r.programme, "sh-sonder");
	assert_string_equal(r.household, "hh-1");
	assert_string_equal(r.recorded_by, "lfz");
	assert_string_equal(r.note, "Tippfehler");
	OK(hf_db_ledger_reversed_by(f->db, 1, &by, &f->err));
	assert_int_equal(by, 3);
	OK(hf_db_ledger_reversed_by(f->db, 2, &by, &f->err));
	assert_int_equal(by, 0);

	/* refusals, nothing written */
	assert_int_equal(hf_db_ledger_correct(f->db, 1, HF_DATE_NONE, "x", 0,
					      "", NULL, &rev, &f->err),
			 HF_ECONFLICT);
	assert_int_equal(hf_db_ledger_correct(f->db, 3, HF_DATE_NONE, "x", 0,
					      "", NULL, &rev, &f->err),
			 HF_ECONFLICT);
	assert_int_equal(hf_db_ledger_correct(f->db, 42, HF_DATE_NONE, "x", 0,
					      "", NULL, &rev, &f->err),
			 HF_ENOTFOUND);
	fixd = entry("01002000", D(2023, 5, 11), 0, HF_CAT_REGULAR);
	assert_int_equal(hf_db_ledger_correct(f->db, 2, HF_DATE_NONE, "x", 0,
					      "", &fixd, &rev, &f->err),
			 HF_EINVAL);
	assert_int_equal(ledger_count(f), 4);
	/* a reversal dated by the caller */
	OK(hf_db_ledger_correct(f->db, 2, D(2023, 6, 1), "x", 0, "", NULL,
				&rev, &f->err));
	OK(hf_db_ledger_get(f->db, rev, &r, &f->err));
	assert_int_equal(r.date, D(2023, 6, 1));
	/* hand-made reversals must mirror, and only once */
	r = entry("01003000", D(2023, 7, 1), -4, HF_CAT_SICHERER_HAFEN);
	r.corrects = 4; /* the replacement, 5 persons */
	assert_int_equal(hf_db_ledger_append(f->db, &r, 1, &f->err),
			 HF_EINVAL);
	r.persons = -5;
	OK(hf_db_ledger_append(f->db, &r, 1, &f->err));
	r.id = 0;
	assert_int_equal(hf_db_ledger_append(f->db, &r, 1, &f->err),
			 HF_ECONFLICT);
	OK(hf_db_ledger_list(f->db, NULL, &l, &n, &f->err));
	assert_int_equal(n, 6);
	free(l);
}

static void test_sql_append_only(void **state)
{
	fix *f = *state;
	hf_admission e;
	char msg[512];

	add_tree(f);
	e = entry("01003000", D(2023, 5, 10), 4, HF_CAT_REGULAR);
	OK(hf_db_ledger_append(f->db, &e, 1, &f->err));
	assert_int_equal(test_db_exec(f->path, "UPDATE ledger SET persons = 5",
				      msg, sizeof msg),
			 -1);
	assert_non_null(strstr(msg, "append-only"));
	assert_int_equal(
		test_db_exec(f->path, "DELETE FROM ledger", msg, sizeof msg),
		-1);
	assert_non_null(strstr(msg, "append-only"));
	assert_int_equal(ledger_count(f), 1);
}

/* Property: sums by period equal a brute-force sum over the listing, for
 * random entries and random periods, partial months included. */
static void test_sums_property(void **state)
{
	fix *f = *state;
	const char *units[6] = {"01003000", "01051", "01062", "01002000",
				"01003000", "01058"};
	hf_admission *e, *l;
	hf_date lo = D(2021, 11, 1), hi = D(2024, 2, 29);
	uint64_t s = 0x9E3779B97F4A7C15ull;
	size_t n = 3000, i, j, nl;
	int round, c;

	add_tree(f);
	e = calloc(n, sizeof *e);
	for (i = 0; i < n; i++)
		e[i] = entry(
		    units[test_rnd(&s) % 6],
		    lo + (hf_date)(test_rnd(&s) % (uint64_t)(hi - lo + 1)),
		    1 + (int64_t)(test_rnd(&s) % 7),
		    (hf_category)(test_rnd(&s) % HF_CAT_COUNT));
	/* in three batches, so monthly sums are upserted */
	OK(hf_db_ledger_append(f->db, e, 1000, &f->err));
	OK(hf_db_ledger_append(f->db, e + 1000, 1000, &f->err));
	OK(hf_db_ledger_append(f->db, e + 2000, 1000, &f->err));
	for (i = 0; i < 40; i++) {
		int64_t rev;
		OK(hf_db_ledger_correct(
		    f->db, (int64_t)(1 + i * 70),
		    i % 2 ? HF_DATE_NONE : lo + (hf_date)(test_rnd(&s) % 800),
		    "t", 0, "", NULL, &rev, &f->err));
	}
	free(e);
	OK(hf_db_ledger_list(f->db, NULL, &l, &nl, &f->err));
	assert_int_equal(nl, 3040);
	for (round = 0; round < 300; round++) {
		int64_t got[6][HF_CAT_COUNT], want[6][HF_CAT_COUNT];
		hf_period p;
		hf_date a = lo - 40 + (hf_date)(test_rnd(&s) % 900);
		hf_date b =
		    a + (hf_date)(test_rnd(&s) % (round % 3 ? 400 : 40));
		if (round == 0) {
			OK(hf_period_parse("2023", &p));
		} else {
			p.from = a;
			p.to = b;
		}
		memset(want, 0, sizeof want);
		for (i = 0; i < nl; i++)
			for (j = 0; j < 6; j++)
				if (!strcmp(l[i].unit, units[j]) &&
				    l[i].date >= p.from && l[i].date <= p.to)
					want[j][l[i].category] += l[i].persons;
		OK(hf_db_ledger_sums(f->db, units, 6, p, got, &f->err));
		for (j = 0; j < 6; j++)
			for (c = 0; c < HF_CAT_COUNT; c++)
				if (got[j][c] != want[j][c])
					fail_msg("round %d unit %s cat %d: %lld "
						 "!= %lld",
						 round, units[j], c,
						 (long long)got[j][c],
						 (long long)want[j][c]);
	}
	/* aggregate agrees with the listing too */
	{
		hf_ledger_filter flt = hf_ledger_filter_all();
		hf_ledger_sum *sum;
		size_t ns;
		int64_t total = 0, entries = 0, y2023 = 0;
		flt.unit = "01062";
		OK(hf_db_ledger_aggregate(f->db, &flt,
					  HF_GROUP_CATEGORY | HF_GROUP_YEAR,
					  &sum, &ns, &f->err));
		for (i = 0; i < ns; i++) {
			assert_string_equal(sum[i].unit, "");
			total += sum[i].persons;
			entries += sum[i].entries;
			if (sum[i].year == 2023)
				y2023 += sum[i].persons;
			if (i)
				assert_true(sum[i - 1].category <
						    sum[i].category ||
					    (sum[i - 1].category ==
						     sum[i].category &&
					     sum[i - 1].year < sum[i].year));
		}
		free(sum);
		for (i = 0; i < nl; i++)
			if (!strcmp(l[i].unit, "01062")) {
				total -= l[i].persons;
				entries--;
				if (hf_date_year(l[i].date) == 2023)
					y2023 -= l[i].persons;
			}
		assert_int_equal(total, 0);
		assert_int_equal(entries, 0);
		assert_int_equal(y2023, 0);
		flt = hf_ledger_filter_all();
		flt.parent = "01";
		flt.category = HF_CAT_REGULAR;
		OK(hf_db_ledger_aggregate(f->db, &flt, 0, &sum, &ns, &f->err));
		assert_int_equal(ns, 1);
		assert_int_equal(sum[0].category, -1);
		for (i = 0; i < nl; i++)
			if (l[i].category == HF_CAT_REGULAR)
				sum[0].entries--;
		assert_int_equal(sum[0].entries, 0);
		free(sum);
	}
	/* filters of the listing */
	{
		hf_ledger_filter flt = hf_ledger_filter_all();
		hf_admission *fl;
		size_t nf;
		flt.from = D(2023, 1, 1);
		flt.to = D(2023, 1, 31);
		flt.after_id = 100;
		flt.limit = 5;
		OK(hf_db_ledger_list(f->db, &flt, &fl, &nf, &f->err));
		assert_true(nf <= 5);
		for (i = 0; i < nf; i++) {
			assert_true(fl[i].id > 100);
			assert_true(fl[i].date >= flt.from &&
				    fl[i].date <= flt.to);
			if (i)
				assert_true(fl[i - 1].id < fl[i].id);
		}
		free(fl);
	}
	free(l);
	{
		const char *bad[1] = {"09999"};
		int64_t out[1][HF_CAT_COUNT];
		hf_period p = {D(2023, 1, 1), D(2023, 12, 31)};
		assert_int_equal(hf_db_ledger_sums(f->db, bad, 1, p, out,
						   &f->err),
				 HF_ENOTFOUND);
	}
}

static void test_newer_schema(void **state)
{
	fix *f = *state;
	char msg[512];
	hf_db *db;

	hf_db_close(f->db);
	f->db = NULL;
	assert_int_equal(test_db_exec(f->path,
				      "UPDATE schema_version SET version = 99",
				      msg, sizeof msg),
			 0);
	assert_int_equal(hf_db_open(f->path, HF_DB_CREATE, &db, &f->err),
			 HF_ESCHEMA);
	assert_non_null(strstr(f->err.message, "Schema 99"));
	{
		char bis[16];
		snprintf(bis, sizeof bis, "bis %d", HF_DB_SCHEMA_VERSION);
		assert_non_null(strstr(f->err.message, bis));
	}
	assert_null(db);
}

static void test_readonly(void **state)
{
	fix *f = *state;
	hf_db *db;
	char p[600];
	hf_unit u = U("DE", HF_UNIT_STATE, "Deutschland", "");

	hf_db_close(f->db);
	f->db = NULL;
	if (!test_db_pg()) {
		snprintf(p, sizeof p, "%s/missing/dir/hafen.db", f->dir);
		assert_int_equal(hf_db_open(p, HF_DB_CREATE, &db, &f->err),
				 HF_EREADONLY);
		assert_non_null(strstr(f->err.message, "Verzeichnis"));
	}
	/* opened for reading, writes fail cleanly */
	OK(hf_db_open(f->path, HF_DB_READONLY, &db, &f->err));
	assert_int_equal(hf_db_unit_add(db, &u, &f->err), HF_EREADONLY);
	hf_db_close(db);
	if (geteuid() != 0 && !test_db_pg()) {
		chmod(f->path, 0444);
		assert_int_equal(hf_db_open(f->path, 0, &db, &f->err),
				 HF_EREADONLY);
		assert_null(db);
		chmod(f->path, 0600);
	}
	OK(hf_db_open(f->path, 0, &f->db, &f->err));
}

static void test_not_a_database(void **state)
{
	fix *f = *state;
	hf_db *db;
	char p[600], msg[512];
	FILE *fp;

	if (test_db_pg()) {
		/* a schema of another program's tables */
		assert_int_equal(test_db_fresh(f->dir, "other", p, sizeof p),
				 0);
		assert_int_equal(test_db_exec(p,
					      "CREATE TABLE kreis(code text)",
					      msg, sizeof msg),
				 0);
		assert_int_equal(hf_db_open(p, HF_DB_CREATE, &db, &f->err),
				 HF_ESCHEMA);
		assert_non_null(strstr(f->err.message, "keine von hafen"));
		assert_null(db);
		test_db_drop(p);
		return;
	}
	snprintf(p, sizeof p, "%s/other", f->dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs("Kreis;Zugang\n01003000;4\nthis is a CSV file, not a database, "
	      "and long enough to have a header's size of bytes in it.\n",
	      fp);
	fclose(fp);
	assert_int_equal(hf_db_open(p, HF_DB_CREATE, &db, &f->err),
			 HF_ESTORAGE);
	assert_non_null(strstr(f->err.message, "keine SQLite-Datenbank"));
	assert_null(db);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open),
		T(test_units),
		T(test_indicators),
		T(test_keys),
		T(test_append),
		T(test_units_other_handle),
		T(test_read_snapshot),
		T(test_reconnect),
		T(test_corrections),
		T(test_sql_append_only),
		T(test_sums_property),
		T(test_newer_schema),
		T(test_readonly),
		T(test_not_a_database),
	};
	test_db_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

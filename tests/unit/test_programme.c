/* Tests for programmes, contingents, overrides, pledges and transfers
 * (db_programme.c, db_pledge.c, hf_db_transfer), on temporary databases. */
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

typedef test_fix fix;

/* Three Kreise of a Land, and a Gemeinde below the first. */
static const char *const kreise[3] = {"01051", "01053", "01054"};

static hf_date D(int y, int m, int d)
{
	hf_date r;
	assert_int_equal(hf_date_make(y, m, d, &r), HF_OK);
	return r;
}

/* DE > 01 > three Kreise (01051 > Gemeinde 01051001); key "k" of 01 with
 * shares 1/2, 1/3, 1/6 crediting sicherer-hafen by weight w. */
static void add_tree(fix *f, hf_rat w)
{
	hf_key k;
	int i;

	test_fix_unit(f, "DE", HF_UNIT_STATE, "");
	test_fix_unit(f, "01", HF_UNIT_LAND, "DE");
	for (i = 0; i < 3; i++)
		test_fix_unit(f, kreise[i], HF_UNIT_KREIS, "01");
	test_fix_unit(f, "01051001", HF_UNIT_GEMEINDE, "01051");
	hf_key_init(&k);
	strcpy(k.name, "k");
	strcpy(k.title, "Test");
	strcpy(k.parent, "01");
	strcpy(k.source, "test");
	k.valid_from = D(2020, 1, 1);
	k.nshares = 3;
	k.shares = calloc(3, sizeof *k.shares);
	for (i = 0; i < 3; i++)
		strcpy(k.shares[i].unit, kreise[i]);
	k.shares[0].share = (hf_rat){1, 2};
	k.shares[1].share = (hf_rat){1, 3};
	k.shares[2].share = (hf_rat){1, 6};
	k.credit[HF_CAT_SICHERER_HAFEN] = w;
	OK(hf_db_key_add(f->db, &k, &f->err));
	hf_key_clear(&k);
}

static int setup(void **state)
{
	return (*state = test_fix_new("prog", 0)) ? 0 : -1;
}

static int teardown(void **state)
{
	test_fix_free(*state);
	return 0;
}

/* A federal programme of 10 persons for 2023 by key k. */
static void bap(hf_programme *p, const char *name, int64_t contingent)
{
	hf_programme_init(p);
	strcpy(p->name, name);
	strcpy(p->title, "Bundesaufnahmeprogramm");
	p->kind = HF_PROG_BUND;
	p->category = HF_CAT_BUND;
	strcpy(p->parent, "01");
	p->period.from = D(2023, 1, 1);
	p->period.to = D(2023, 12, 31);
	p->contingent = contingent;
	strcpy(p->key, "k");
}

static hf_admission entry(const char *unit, hf_date d, int64_t persons,
			  hf_category c, const char *programme)
{
	hf_admission a;
	memset(&a, 0, sizeof a);
	strcpy(a.unit, unit);
	a.date = d;
	a.persons = persons;
	a.category = c;
	strcpy(a.programme, programme);
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

static size_t override_count(fix *f)
{
	hf_override *o;
	size_t n;
	OK(hf_db_override_list(f->db, NULL, &o, &n, &f->err));
	free(o);
	return n;
}

/* Fulfilment: quotas exact, rounded shares and open places sum to the
 * contingent, admissions below a child count for it. */
static void test_fulfilment_sums(void **state)
{
	fix *f = *state;
	hf_programme p;
	hf_programme_fulfilment *fu;
	hf_admission e[2];
	hf_rat sum = hf_rat_int(0);
	int64_t rounded = 0, open = 0;
	size_t i;

	add_tree(f, hf_rat_int(1));
	bap(&p, "bap", 11);
	OK(hf_db_programme_add(f->db, &p, &f->err));
	e[0] = entry("01051001", D(2023, 3, 1), 2, HF_CAT_BUND, "bap");
	e[1] = entry("01053", D(2023, 3, 2), 1, HF_CAT_BUND, "bap");
	OK(hf_db_ledger_append(f->db, e, 2, &f->err));
	OK(hf_db_programme_fulfilment(f->db, "bap", &fu, &f->err));
	assert_int_equal(fu->n, 3);
	for (i = 0; i < fu->n; i++) {
		hf_rat q;
		OK(hf_rat_mul(fu->rows[i].share, hf_rat_int(11), &q));
		assert_int_equal(hf_rat_cmp(q, fu->rows[i].quota), 0);
		OK(hf_rat_add(sum, fu->rows[i].quota, &sum));
		rounded += fu->rows[i].quota_rounded;
		open += fu->rows[i].open;
		assert_true(fu->rows[i].quota_rounded ==
				hf_rat_floor(fu->rows[i].quota) ||
			    fu->rows[i].quota_rounded ==
				hf_rat_ceil(fu->rows[i].quota));
	}
	assert_int_equal(hf_rat_cmp(sum, hf_rat_int(11)), 0);
	assert_int_equal(rounded, 11);
	/* 11/2, 11/3, 11/6: floors 5, 3, 1; remainders 1/2, 2/3, 5/6 */
	assert_int_equal(fu->rows[0].quota_rounded, 5);
	assert_int_equal(fu->rows[1].quota_rounded, 4);
	assert_int_equal(fu->rows[2].quota_rounded, 2);
	assert_int_equal(fu->rows[0].admitted, 2); /* from the Gemeinde */
	assert_int_equal(fu->rows[1].admitted, 1);
	assert_int_equal(fu->admitted, 3);
	assert_int_equal(open, 8);
	assert_int_equal(fu->open, 8);
	hf_programme_fulfilment_free(fu);
	hf_programme_clear(&p);
}

/* Random batches never take a programme beyond its contingent or a unit
 * beyond its share without an override; refusals write nothing. */
static void test_contingent_never_exceeded(void **state)
{
	fix *f = *state;
	hf_programme p;
	hf_programme_fulfilment *fu;
	uint64_t s = 88172645463325252ull;
	int round, refused = 0;
	size_t i;

	add_tree(f, hf_rat_int(1));
	bap(&p, "bap", 30);
	OK(hf_db_programme_add(f->db, &p, &f->err));
	hf_programme_clear(&p);
	for (round = 0; round < 60; round++) {
		hf_admission e[3];
		size_t n, before = ledger_count(f);
		int rc;
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		n = 1 + s % 3;
		for (i = 0; i < n; i++)
			e[i] = entry(kreise[(s >> (8 * i)) % 3],
				     D(2023, 1 + (int)((s >> 20) % 12), 1),
				     1 + (int64_t)((s >> (4 * i + 30)) % 4),
				     HF_CAT_BUND, "bap");
		rc = hf_db_ledger_append(f->db, e, n, &f->err);
		assert_true(rc == HF_OK || rc == HF_ECONFLICT);
		if (rc < 0) {
			refused++;
			assert_int_equal(ledger_count(f), before);
			assert_non_null(strstr(f->err.message, "bap"));
			assert_non_null(strstr(f->err.message, "override"));
		}
		OK(hf_db_programme_fulfilment(f->db, "bap", &fu, &f->err));
		assert_true(fu->admitted <= 30);
		for (i = 0; i < fu->n; i++)
			assert_true(fu->rows[i].admitted <=
				    fu->rows[i].quota_rounded);
		hf_programme_fulfilment_free(fu);
	}
	assert_int_equal(override_count(f), 0);
	assert_true(refused > 10); /* the test reached the contingent */
	OK(hf_db_programme_fulfilment(f->db, "bap", &fu, &f->err));
	assert_true(fu->admitted >= 25);
	hf_programme_fulfilment_free(fu);
}

static void test_override_logged(void **state)
{
	fix *f = *state;
	hf_programme p;
	hf_programme_fulfilment *fu;
	hf_admission e[3], got;
	hf_override *o;
	size_t n, used, before;

	add_tree(f, hf_rat_int(1));
	bap(&p, "bap", 6); /* 3, 2, 1 */
	OK(hf_db_programme_add(f->db, &p, &f->err));
	hf_programme_clear(&p);
	e[0] = entry("01051", D(2023, 2, 1), 3, HF_CAT_BUND, "bap");
	OK(hf_db_ledger_append(f->db, e, 1, &f->err));
	/* an override that is not needed logs nothing */
	e[2] = entry("01054", D(2023, 2, 3), 1, HF_CAT_BUND, "bap");
	OK(hf_db_ledger_append_override(f->db, &e[2], 1, "vorsorglich", "lfz",
					1700000600, &used, &f->err));
	assert_int_equal(used, 0);
	assert_int_equal(override_count(f), 0);
	/* one more at 01051 is beyond its share: refused, nothing written */
	before = ledger_count(f);
	e[0] = entry("01053", D(2023, 2, 2), 1, HF_CAT_BUND, "bap");
	e[1] = entry("01051", D(2023, 2, 2), 2, HF_CAT_BUND, "bap");
	assert_int_equal(hf_db_ledger_append(f->db, e, 2, &f->err),
			 HF_ECONFLICT);
	assert_non_null(strstr(f->err.message, "Eintrag 2"));
	assert_non_null(strstr(f->err.message, "01051"));
	assert_int_equal(e[0].id, 0);
	assert_int_equal(ledger_count(f), before);
	/* a reason is required */
	assert_int_equal(hf_db_ledger_append_override(f->db, e, 2, "", "lfz",
						      1700000500, &used,
						      &f->err),
			 HF_EINVAL);
	assert_int_equal(ledger_count(f), before);
	OK(hf_db_ledger_append_override(f->db, e, 2, "Familieneinheit", "lfz",
					1700000500, &used, &f->err));
	assert_int_equal(used, 1);
	OK(hf_db_override_list(f->db, "bap", &o, &n, &f->err));
	assert_int_equal(n, 1);
	assert_int_equal(o[0].entry, e[1].id);
	assert_string_equal(o[0].unit, "01051");
	assert_int_equal(o[0].persons, 2);
	assert_int_equal(o[0].beyond, 2);
	assert_string_equal(o[0].reason, "Familieneinheit");
	assert_string_equal(o[0].recorded_by, "lfz");
	assert_int_equal(o[0].recorded_at, 1700000500);
	free(o);
	OK(hf_db_programme_fulfilment(f->db, "bap", &fu, &f->err));
	assert_int_equal(fu->admitted, 7);
	assert_int_equal(fu->open, -1);
	assert_int_equal(fu->rows[0].open, -2);
	assert_int_equal(fu->overrides, 1);
	hf_programme_fulfilment_free(fu);
	/* the whole contingent is now beyond: the total is checked too */
	e[0] = entry("01053", D(2023, 2, 4), 1, HF_CAT_BUND, "bap");
	assert_int_equal(hf_db_ledger_append(f->db, e, 1, &f->err),
			 HF_ECONFLICT);
	/* a reversal always passes and frees places */
	OK(hf_db_ledger_get(f->db, e[1].id, &got, &f->err));
	OK(hf_db_ledger_correct(f->db, got.id, HF_DATE_NONE, "lfz", 1, "", NULL,
				NULL, &f->err));
	OK(hf_db_programme_fulfilment(f->db, "bap", &fu, &f->err));
	assert_int_equal(fu->admitted, 5);
	hf_programme_fulfilment_free(fu);
	/* the override log is append-only */
	assert_int_equal(override_count(f), 1);
}

static void test_programme_refusals(void **state)
{
	fix *f = *state;
	hf_programme p, g;
	hf_admission e;
	size_t n;
	hf_programme *l;

	add_tree(f, hf_rat_int(1));
	bap(&p, "bap", 10);
	strcpy(p.key, "nokey");
	assert_int_equal(hf_db_programme_add(f->db, &p, &f->err), HF_ENOTFOUND);
	assert_non_null(strstr(f->err.message, "nokey"));
	bap(&p, "bap", 10);
	p.period.to = D(2022, 12, 31);
	assert_int_equal(hf_db_programme_add(f->db, &p, &f->err), HF_EINVAL);
	assert_non_null(strstr(f->err.message, "vor"));
	bap(&p, "bap", -1);
	assert_int_equal(hf_db_programme_add(f->db, &p, &f->err), HF_EINVAL);
	bap(&p, "bap", 10);
	strcpy(p.parent, "DE"); /* k belongs to 01 */
	assert_int_equal(hf_db_programme_add(f->db, &p, &f->err), HF_EINVAL);
	bap(&p, "bap", 10);
	p.category = HF_CAT_DEPARTURE;
	assert_int_equal(hf_db_programme_add(f->db, &p, &f->err), HF_EINVAL);
	/* explicit shares must sum to exactly 1 */
	bap(&p, "own", 10);
	p.key[0] = '\0';
	p.nshares = 3;
	p.shares = calloc(3, sizeof *p.shares);
	strcpy(p.shares[0].unit, "01054");
	strcpy(p.shares[1].unit, "01051");
	strcpy(p.shares[2].unit, "01053");
	p.shares[0].share = (hf_rat){1, 10};
	p.shares[1].share = (hf_rat){1, 2};
	p.shares[2].share = (hf_rat){1, 2};
	assert_int_equal(hf_db_programme_add(f->db, &p, &f->err), HF_ESUM);
	/* sorted by code by the check */
	assert_string_equal(p.shares[2].unit, "01054");
	p.shares[2].share = hf_rat_int(0);
	OK(hf_db_programme_add(f->db, &p, &f->err));
	assert_int_equal(hf_db_programme_add(f->db, &p, &f->err), HF_EEXIST);
	hf_programme_clear(&p);
	OK(hf_db_programme_get(f->db, "own", &g, &f->err));
	assert_int_equal(g.nshares, 3);
	assert_string_equal(g.shares[0].unit, "01051");
	assert_int_equal(g.period.to, D(2023, 12, 31));
	hf_programme_clear(&g);
	OK(hf_db_programme_list(f->db, &l, &n, &f->err));
	assert_int_equal(n, 1);
	free(l);
	assert_int_equal(hf_db_programme_get(f->db, "nix", &g, &f->err),
			 HF_ENOTFOUND);
	/* entries naming it: right category, in its period and area */
	e = entry("01051", D(2024, 1, 1), 1, HF_CAT_BUND, "own");
	assert_int_equal(hf_db_ledger_append(f->db, &e, 1, &f->err), HF_EINVAL);
	e = entry("01051", D(2023, 1, 1), 1, HF_CAT_REGULAR, "own");
	assert_int_equal(hf_db_ledger_append(f->db, &e, 1, &f->err), HF_EINVAL);
	e = entry("01", D(2023, 1, 1), 1, HF_CAT_BUND, "own");
	assert_int_equal(hf_db_ledger_append(f->db, &e, 1, &f->err), HF_EINVAL);
	/* a unit with share 0 has no place */
	e = entry("01054", D(2023, 1, 1), 1, HF_CAT_BUND, "own");
	assert_int_equal(hf_db_ledger_append(f->db, &e, 1, &f->err),
			 HF_ECONFLICT);
	assert_int_equal(ledger_count(f), 0);
	/* programmes hafen does not keep are not checked */
	e = entry("01054", D(2023, 1, 1), 1, HF_CAT_BUND, "elsewhere");
	OK(hf_db_ledger_append(f->db, &e, 1, &f->err));
}

static hf_pledge pledge(const char *unit, const char *programme, int64_t places,
			hf_date from, hf_date to)
{
	hf_pledge p;
	memset(&p, 0, sizeof p);
	strcpy(p.unit, unit);
	strcpy(p.programme, programme);
	p.places = places;
	p.period.from = from;
	p.period.to = to;
	p.status = HF_PLEDGE_PLEDGED;
	strcpy(p.recorded_by, "test");
	return p;
}

static void test_pledge_report(void **state)
{
	fix *f = *state;
	hf_programme p;
	hf_pledge pl[4], *l;
	hf_pledge_report *r;
	hf_admission e[5];
	size_t n, i;

	add_tree(f, (hf_rat){1, 2});
	bap(&p, "sh", 100);
	p.kind = HF_PROG_SICHERER_HAFEN;
	p.category = HF_CAT_SICHERER_HAFEN;
	OK(hf_db_programme_add(f->db, &p, &f->err));
	hf_programme_clear(&p);
	pl[0] = pledge("01051", "", 5, D(2023, 1, 1), D(2023, 12, 31));
	pl[1] = pledge("01051", "sh", 3, D(2023, 1, 1), D(2023, 6, 30));
	pl[2] = pledge("01051", "", 10, D(2023, 1, 1), D(2023, 12, 31));
	pl[2].status = HF_PLEDGE_WITHDRAWN;
	pl[3] = pledge("01053", "", 4, D(2023, 1, 1), D(2023, 12, 31));
	for (i = 0; i < 4; i++)
		OK(hf_db_pledge_add(f->db, &pl[i], &f->err));
	assert_int_equal(pl[3].id, 4);
	/* 01051: 4 for sh in March (3 to pledge 2, 1 to pledge 1), 2 without
	 * programme in August (pledge 1), 3 in December (2 to pledge 1, 1
	 * unpledged), and 5 reversed; 01053: none */
	e[0] = entry("01051", D(2023, 3, 1), 4, HF_CAT_SICHERER_HAFEN, "sh");
	e[1] = entry("01051", D(2023, 8, 1), 2, HF_CAT_SICHERER_HAFEN, "");
	e[2] = entry("01051001", D(2023, 9, 1), 9, HF_CAT_SICHERER_HAFEN, "");
	e[3] = entry("01051", D(2023, 12, 1), 3, HF_CAT_SICHERER_HAFEN, "");
	e[4] = entry("01051", D(2023, 4, 1), 5, HF_CAT_SICHERER_HAFEN, "");
	OK(hf_db_ledger_append(f->db, e, 5, &f->err));
	OK(hf_db_ledger_correct(f->db, e[4].id, HF_DATE_NONE, "t", 0, "", NULL,
				NULL, &f->err));
	OK(hf_db_pledge_report(f->db, NULL, &r, &f->err));
	assert_int_equal(r->n, 3); /* the withdrawn one is left out */
	assert_int_equal(r->nunits, 2);
	assert_int_equal(r->rows[0].pledge.id, 1);
	assert_int_equal(r->rows[0].used, 5);
	assert_int_equal(r->rows[0].open, 0);
	assert_int_equal(r->rows[1].pledge.id, 2);
	assert_int_equal(r->rows[1].used, 3);
	assert_int_equal(r->rows[1].open, 0);
	assert_string_equal(r->rows[0].key, "k");
	assert_int_equal(hf_rat_cmp(r->rows[0].credited, (hf_rat){5, 2}), 0);
	assert_string_equal(r->units[0].unit, "01051");
	assert_int_equal(r->units[0].pledged, 8);
	assert_int_equal(r->units[0].used, 8);
	assert_int_equal(r->units[0].open, 0);
	assert_int_equal(r->units[0].unpledged, 1);
	assert_int_equal(hf_rat_cmp(r->units[0].credited, hf_rat_int(4)), 0);
	assert_string_equal(r->units[1].unit, "01053");
	assert_int_equal(r->units[1].pledged, 4);
	assert_int_equal(r->units[1].used, 0);
	assert_int_equal(r->units[1].open, 4);
	for (i = 0; i < r->nunits; i++)
		assert_int_equal(r->units[i].pledged,
				 r->units[i].used + r->units[i].open);
	hf_pledge_report_free(r);
	/* status changes count */
	OK(hf_db_pledge_set_status(f->db, 4, HF_PLEDGE_WITHDRAWN, &f->err));
	OK(hf_db_pledge_report(f->db, "01053", &r, &f->err));
	assert_int_equal(r->n, 0);
	hf_pledge_report_free(r);
	assert_int_equal(
	    hf_db_pledge_set_status(f->db, 99, HF_PLEDGE_PLEDGED, &f->err),
	    HF_ENOTFOUND);
	/* bad pledges are refused, nothing written */
	pl[0] = pledge("01051", "", -3, D(2023, 1, 1), D(2023, 12, 31));
	assert_int_equal(hf_db_pledge_add(f->db, &pl[0], &f->err), HF_EINVAL);
	pl[0] = pledge("01051", "", 3, D(2023, 1, 1), D(2022, 12, 31));
	assert_int_equal(hf_db_pledge_add(f->db, &pl[0], &f->err), HF_EINVAL);
	pl[0] = pledge("01051", "nix", 3, D(2023, 1, 1), D(2023, 12, 31));
	assert_int_equal(hf_db_pledge_add(f->db, &pl[0], &f->err),
			 HF_ENOTFOUND);
	pl[0] = pledge("01099", "", 3, D(2023, 1, 1), D(2023, 12, 31));
	assert_int_equal(hf_db_pledge_add(f->db, &pl[0], &f->err),
			 HF_ENOTFOUND);
	OK(hf_db_pledge_list(f->db, NULL, &l, &n, &f->err));
	assert_int_equal(n, 4);
	free(l);
}

static void test_transfer(void **state)
{
	fix *f = *state;
	int64_t out_id, in_id, first_in;
	hf_admission a, b;
	int64_t sums[2][HF_CAT_COUNT];
	const char *units[2] = {"01051", "01053"};
	hf_period p = {0, 0};
	int64_t net0 = 0, net1 = 0;
	int c;

	add_tree(f, hf_rat_int(1));
	OK(hf_db_transfer(f->db, "01051", "01053", 4, D(2023, 5, 1), "HH-7",
			  "AZ-1", "lfz", 1700000000, &out_id, &in_id, &f->err));
	OK(hf_db_ledger_get(f->db, out_id, &a, &f->err));
	OK(hf_db_ledger_get(f->db, in_id, &b, &f->err));
	assert_int_equal(a.pair, in_id);
	assert_int_equal(b.pair, out_id);
	assert_int_equal(a.category, HF_CAT_TRANSFER_OUT);
	assert_int_equal(b.category, HF_CAT_TRANSFER_IN);
	assert_string_equal(a.unit, "01051");
	assert_string_equal(b.unit, "01053");
	assert_string_equal(b.household, "HH-7");
	assert_int_equal(a.persons, 4);
	assert_int_equal(b.persons, 4);
	first_in = in_id;
	p.from = D(2023, 1, 1);
	p.to = D(2023, 12, 31);
	OK(hf_db_ledger_sums(f->db, units, 2, p, sums, &f->err));
	for (c = 0; c < HF_CAT_COUNT; c++) {
		net0 += hf_category_sign((hf_category)c) * sums[0][c];
		net1 += hf_category_sign((hf_category)c) * sums[1][c];
	}
	assert_int_equal(net0, -4);
	assert_int_equal(net1, 4);
	assert_int_equal(net0 + net1, 0);
	/* an unknown unit, the same unit, no persons: nothing written */
	assert_int_equal(hf_db_transfer(f->db, "01051", "01099", 1,
					D(2023, 5, 2), "", "", "lfz", 0,
					&out_id, &in_id, &f->err),
			 HF_ENOTFOUND);
	assert_non_null(strstr(f->err.message, "01099"));
	assert_int_equal(out_id, 0);
	assert_int_equal(hf_db_transfer(f->db, "01051", "01051", 1,
					D(2023, 5, 2), "", "", "lfz", 0, NULL,
					NULL, &f->err),
			 HF_EINVAL);
	assert_int_equal(hf_db_transfer(f->db, "01051", "01053", 0,
					D(2023, 5, 2), "", "", "lfz", 0, NULL,
					NULL, &f->err),
			 HF_EINVAL);
	assert_int_equal(ledger_count(f), 2);
	/* inside a caller's transaction that fails, the pair goes too */
	OK(hf_db_begin(f->db, &f->err));
	OK(hf_db_transfer(f->db, "01051", "01053", 1, D(2023, 5, 3), "", "",
			  "lfz", 0, NULL, NULL, &f->err));
	hf_db_rollback(f->db);
	assert_int_equal(ledger_count(f), 2);
	/* pairs are made by transfers only */
	a = entry("01051", D(2023, 5, 4), 1, HF_CAT_TRANSFER_IN, "");
	a.pair = first_in;
	assert_int_equal(hf_db_ledger_append(f->db, &a, 1, &f->err), HF_EINVAL);
	/* a reversal of one half is no transfer */
	OK(hf_db_ledger_correct(f->db, first_in, HF_DATE_NONE, "lfz", 0, "",
				NULL, &out_id, &f->err));
	OK(hf_db_ledger_get(f->db, out_id, &a, &f->err));
	assert_int_equal(a.pair, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_fulfilment_sums), T(test_contingent_never_exceeded),
	    T(test_override_logged), T(test_programme_refusals),
	    T(test_pledge_report),   T(test_transfer),
	};
	test_db_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

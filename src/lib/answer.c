/* answer.c: the council-inquiry report: admissions since a date by
 * category and year, fellow alliance members in the Land, and each year's
 * quota fulfilment. Quotas are those of whole calendar years under the
 * key of the unit's parent valid for the year. */
#include "hafen/answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf_int.h"

void hf_answer_free(hf_answer *a)
{
	size_t i;
	if (!a)
		return;
	free(a->subject.years);
	for (i = 0; i < a->nmembers; i++)
		free(a->members[i].years);
	free(a->members);
	free(a);
}

static int nomem(hf_error *err)
{
	return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			    "Out of memory.");
}

/* Admissions of u by year and category within [since, until]. */
static int admissions(hf_db *db, hf_answer_unit *u, hf_date since,
		      hf_date until, hf_error *err)
{
	hf_ledger_filter f = hf_ledger_filter_all();
	hf_ledger_sum *s = NULL;
	size_t n = 0, i;
	int y0 = hf_date_year(since), y1 = hf_date_year(until), y, rc;

	u->nyears = (size_t)(y1 - y0 + 1);
	u->years = calloc(u->nyears, sizeof *u->years);
	if (!u->years)
		return nomem(err);
	for (y = y0; y <= y1; y++)
		u->years[y - y0].year = y;
	f.unit = u->unit.code;
	f.from = since;
	f.to = until;
	if ((rc = hf_db_ledger_aggregate(db, &f,
					 HF_GROUP_YEAR | HF_GROUP_CATEGORY, &s,
					 &n, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (s[i].year >= y0 && s[i].year <= y1 && s[i].category >= 0)
			u->years[s[i].year - y0].persons[s[i].category] +=
				s[i].persons;
	free(s);
	return HF_OK;
}

static int quotas(hf_db *db, hf_answer_unit *u, hf_error *err)
{
	size_t i;
	int rc;

	if (!u->unit.parent[0])
		return HF_OK;
	for (i = 0; i < u->nyears; i++) {
		hf_answer_year *y = &u->years[i];
		hf_quota_options o = hf_quota_options_default();
		hf_quota_table *t = NULL;
		hf_period p;
		hf_error e2;
		int k;

		hf_date_make(y->year, 1, 1, &p.from);
		hf_date_make(y->year, 12, 31, &p.to);
		hf_error_init(&e2, err ? err->lang : HF_LANG_DE);
		rc = hf_quota_table_compute(db, NULL, u->unit.parent, p, &o, &t,
					    &e2);
		if (rc == HF_ENOTFOUND)
			continue; /* no key for the year: said in the report */
		if (rc < 0) {
			if (err)
				*err = e2;
			return rc;
		}
		k = hf_quota_table_find(t, u->unit.code);
		if (k >= 0) {
			y->has_quota = 1;
			memcpy(y->key, t->key.name, sizeof y->key);
			y->quota = t->rows[k].quota;
			y->credited = t->rows[k].credited;
			y->balance = t->rows[k].balance;
			y->has_percent = t->rows[k].has_percent;
			y->percent = t->rows[k].percent;
		}
		hf_quota_table_free(t);
	}
	return HF_OK;
}

int hf_answer_compute(hf_db *db, const char *unit, hf_date since,
		      hf_date until, hf_answer **out, hf_error *err)
{
	hf_answer *a = calloc(1, sizeof *a);
	hf_membership *m = NULL, *mm = NULL;
	size_t nm = 0, nmm = 0, i, j, k;
	int rc;

	*out = NULL;
	if (!a)
		return nomem(err);
	if (until < since) {
		rc = hf_error_set(err, HF_EINVAL, "until",
				  "Das Ende liegt vor dem Beginn.",
				  "The end lies before the start.");
		goto fail;
	}
	a->since = since;
	a->until = until;
	if ((rc = hf_db_unit_get(db, unit, &a->subject.unit, err)) < 0 ||
	    (rc = admissions(db, &a->subject, since, until, err)) < 0 ||
	    (rc = quotas(db, &a->subject, err)) < 0 ||
	    (rc = hf_db_membership_list(db, NULL, unit, &m, &nm, err)) < 0)
		goto fail;
	for (i = 0; i < nm; i++) {
		size_t l = strlen(a->alliances);
		snprintf(a->alliances + l, sizeof a->alliances - l, "%s%s",
			 i ? "; " : "", m[i].alliance);
		if ((rc = hf_db_membership_list(db, m[i].alliance, NULL, &mm,
						&nmm, err)) < 0)
			goto fail;
		for (j = 0; j < nmm; j++) {
			hf_answer_unit *nu;
			/* fellow members in the same Land, each once */
			if (!strcmp(mm[j].unit, unit) ||
			    strncmp(mm[j].unit, unit, 2))
				continue;
			for (k = 0; k < a->nmembers; k++)
				if (!strcmp(a->members[k].unit.code,
					    mm[j].unit))
					break;
			if (k < a->nmembers)
				continue;
			nu = realloc(a->members,
				     (a->nmembers + 1) * sizeof *nu);
			if (!nu) {
				rc = nomem(err);
				goto fail;
			}
			a->members = nu;
			memset(&nu[a->nmembers], 0, sizeof *nu);
			a->nmembers++;
			if ((rc = hf_db_unit_get(db, mm[j].unit,
						 &nu[a->nmembers - 1].unit,
						 err)) < 0 ||
			    (rc = admissions(db, &nu[a->nmembers - 1], since,
					     until, err)) < 0)
				goto fail;
		}
		free(mm);
		mm = NULL;
	}
	free(m);
	*out = a;
	return HF_OK;
fail:
	free(mm);
	free(m);
	hf_answer_free(a);
	return rc;
}

/* ---- Markdown ------------------------------------------------------- */

static const char *dec(hf_rat r, int places, hf_lang lang, char out[48])
{
	if (hf_rat_format_decimal(r, r.den == 1 && places == 2 ? 0 : places,
				  lang == HF_LANG_DE ? ',' : '.', out, 48) < 0)
		snprintf(out, 48, "?");
	return out;
}

static const char *day(hf_date d, hf_lang lang, char out[11])
{
	if (lang == HF_LANG_DE)
		hf_date_format_de(d, out);
	else
		hf_date_format(d, out);
	return out;
}

/* Which categories occur at all, so tables show only those. */
static void used_categories(const hf_answer *a, int used[HF_CAT_COUNT])
{
	size_t i, m;
	int c;
	memset(used, 0, HF_CAT_COUNT * sizeof *used);
	for (i = 0; i < a->subject.nyears; i++)
		for (c = 0; c < HF_CAT_COUNT; c++)
			used[c] |= a->subject.years[i].persons[c] != 0;
	for (m = 0; m < a->nmembers; m++)
		for (i = 0; i < a->members[m].nyears; i++)
			for (c = 0; c < HF_CAT_COUNT; c++)
				used[c] |= a->members[m].years[i].persons[c] !=
					   0;
}

static void header(hf__strbuf *b, const int used[HF_CAT_COUNT], hf_lang lang,
		   int with_unit)
{
	int c, n = 0;
	hf__sb_printf(b, "|%s %s |", with_unit ? hf_tr(lang, " Einheit |",
						       " Unit |")
					       : "",
		      hf_tr(lang, "Jahr", "Year"));
	for (c = 0; c < HF_CAT_COUNT; c++)
		if (used[c]) {
			hf__sb_printf(b, " %s |",
				      hf_category_name((hf_category)c, lang));
			n++;
		}
	hf__sb_printf(b, " %s |\n|%s---|", hf_tr(lang, "Summe netto", "Net total"),
		      with_unit ? "---|" : "");
	for (c = 0; c < n; c++)
		hf__sb_printf(b, "---:|");
	hf__sb_printf(b, "---:|\n");
}

static void rows(hf__strbuf *b, const hf_answer_unit *u,
		 const int used[HF_CAT_COUNT], hf_lang lang, int with_unit)
{
	int64_t total[HF_CAT_COUNT] = {0}, net_all = 0;
	size_t i;
	int c;

	for (i = 0; i < u->nyears; i++) {
		const hf_answer_year *y = &u->years[i];
		int64_t net = 0;
		if (with_unit)
			hf__sb_printf(b, "| %s ", u->unit.name);
		hf__sb_printf(b, "| %d |", y->year);
		for (c = 0; c < HF_CAT_COUNT; c++) {
			net += hf_category_sign((hf_category)c) * y->persons[c];
			total[c] += y->persons[c];
			if (used[c])
				hf__sb_printf(b, " %lld |",
					      (long long)y->persons[c]);
		}
		net_all += net;
		hf__sb_printf(b, " %lld |\n", (long long)net);
	}
	if (with_unit)
		hf__sb_printf(b, "| %s ", u->unit.name);
	hf__sb_printf(b, "| **%s** |", hf_tr(lang, "Summe", "Total"));
	for (c = 0; c < HF_CAT_COUNT; c++)
		if (used[c])
			hf__sb_printf(b, " **%lld** |", (long long)total[c]);
	hf__sb_printf(b, " **%lld** |\n", (long long)net_all);
}

int hf_answer_markdown(const hf_answer *a, hf_lang lang, char **text,
		       hf_error *err)
{
	hf__strbuf b = {NULL, 0, 0, 0};
	char d0[11], d1[11], q[48], c[48], s[48], p[64];
	int used[HF_CAT_COUNT];
	size_t i, m;

	*text = NULL;
	used_categories(a, used);
	hf__sb_printf(&b,
		      hf_tr(lang, "# Zugänge von %s (%s) vom %s bis %s\n\n",
			    "# Admissions of %s (%s) from %s to %s\n\n"),
		      a->subject.unit.name, a->subject.unit.code,
		      day(a->since, lang, d0), day(a->until, lang, d1));
	hf__sb_printf(&b, "%s\n\n",
		      hf_tr(lang,
			    "Personen nach Kategorie und Jahr, Berichtigungen "
			    "eingerechnet. Die Summe netto zieht Abgänge "
			    "(Umverteilung, Fortzug) ab.",
			    "Persons by category and year, corrections "
			    "included. The net total subtracts departures "
			    "(transfers out, departures)."));
	header(&b, used, lang, 0);
	rows(&b, &a->subject, used, lang, 0);

	if (a->nmembers) {
		hf__sb_printf(&b,
			      hf_tr(lang,
				    "\n## Weitere Mitglieder (%s) im Land\n\n",
				    "\n## Fellow members (%s) in the Land\n\n"),
			      a->alliances);
		header(&b, used, lang, 1);
		for (m = 0; m < a->nmembers; m++)
			rows(&b, &a->members[m], used, lang, 1);
	}

	hf__sb_printf(&b, "\n## %s\n\n",
		      hf_tr(lang, "Erfüllung des Aufnahmesolls",
			    "Quota fulfilment"));
	hf__sb_printf(&b, "%s\n\n",
		      hf_tr(lang,
			    "Je Kalenderjahr, nach dem Schlüssel der "
			    "übergeordneten Einheit für das Jahr; angerechnet "
			    "nach dessen Anrechnungsregeln. Erklärung einer "
			    "Zahl: hafen explain.",
			    "By calendar year, under the key of the parent "
			    "valid for the year; credited by its crediting "
			    "rules. To explain a figure: hafen explain."));
	hf__sb_printf(&b, "%s",
		      hf_tr(lang,
			    "| Jahr | Schlüssel | Soll | angerechnet | Saldo | "
			    "Erfüllung | Ergebnis |\n",
			    "| Year | Key | Quota | Credited | Balance | "
			    "Fulfilment | Result |\n"));
	hf__sb_printf(&b, "|---|---|---:|---:|---:|---:|---|\n");
	for (i = 0; i < a->subject.nyears; i++) {
		const hf_answer_year *y = &a->subject.years[i];
		hf_rat mag = y->balance;
		if (!y->has_quota) {
			hf__sb_printf(&b, "| %d | – | – | – | – | – | %s |\n",
				      y->year,
				      hf_tr(lang, "kein Schlüssel für das Jahr",
					    "no key for the year"));
			continue;
		}
		if (mag.num < 0)
			mag.num = -mag.num;
		if (y->has_percent)
			snprintf(p, sizeof p, "%s %%",
				 dec(y->percent, 1, lang, s));
		else
			snprintf(p, sizeof p, "–");
		hf__sb_printf(&b, "| %d | %s | %s | %s | %s%s | %s | ", y->year,
			      y->key, dec(y->quota, 2, lang, q),
			      dec(y->credited, 2, lang, c),
			      y->balance.num > 0 ? "+" : "",
			      dec(y->balance, 2, lang, s), p);
		if (y->balance.num > 0)
			hf__sb_printf(&b, hf_tr(lang, "%s über dem Soll |\n",
						"%s above quota |\n"),
				      dec(mag, 2, lang, q));
		else if (y->balance.num < 0)
			hf__sb_printf(&b, hf_tr(lang, "%s unter dem Soll |\n",
						"%s below quota |\n"),
				      dec(mag, 2, lang, q));
		else
			hf__sb_printf(&b, "%s |\n",
				      hf_tr(lang, "Soll genau erfüllt",
					    "quota met exactly"));
	}
	if (b.oom) {
		free(b.s);
		return nomem(err);
	}
	*text = b.s;
	return HF_OK;
}

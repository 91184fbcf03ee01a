/* explain.c: a quota table's row told in plain words, German or English.
 * Every number printed is taken from the table, never recomputed in
 * floating point: fractions are printed exactly and as decimals. */
#include "hafen/explain.h"

#include "strbuf_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* A rational as a decimal with places digits, in the language's style. */
static const char *dec(hf_rat r, int places, hf_lang lang, char out[48])
{
	if (hf_rat_format_decimal(r, places, lang == HF_LANG_DE ? ',' : '.',
				  out, 48) < 0)
		snprintf(out, 48, "?");
	return out;
}

/* Persons: whole numbers as they are, others with two decimals. */
static const char *amount(hf_rat r, hf_lang lang, char out[48])
{
	return dec(r, r.den == 1 ? 0 : 2, lang, out);
}

static const char *frac(hf_rat r, char out[48])
{
	if (hf_rat_format(r, out, 48) < 0)
		snprintf(out, 48, "?");
	return out;
}

static const char *date_text(hf_date d, hf_lang lang, char out[11])
{
	if (lang == HF_LANG_DE)
		hf_date_format_de(d, out);
	else
		hf_date_format(d, out);
	return out;
}

/* "Regelverteilung 274, Sonderaufnahme Sicherer Hafen 1" */
static void categories(hf__strbuf *b, const int64_t *p, hf_lang lang)
{
	const char *sep = "";
	int c, any = 0;
	for (c = 0; c < HF_CAT_COUNT; c++) {
		if (!p[c])
			continue;
		hf__sb_printf(b, "%s%s %lld", sep, hf_category_name((hf_category)c, lang),
		    (long long)p[c]);
		sep = ", ";
		any = 1;
	}
	if (!any)
		hf__sb_printf(b, "%s", hf_tr(lang, "keine Zugänge", "no admissions"));
}

static void key_part(hf__strbuf *b, const hf_quota_table *t, hf_lang lang)
{
	const hf_key *k = &t->key;
	char d[11], e[11];
	size_t w;

	hf__sb_printf(b, "%s %s (%s)", hf_tr(lang, "Schlüssel:", "Key:"), k->name,
	    k->title);
	if (k->valid_from != HF_DATE_NONE)
		hf__sb_printf(b, ", %s %s", hf_tr(lang, "gültig ab", "valid from"),
		    date_text(k->valid_from, lang, d));
	if (k->valid_to != HF_DATE_NONE)
		hf__sb_printf(b, " %s %s", hf_tr(lang, "bis", "to"),
		    date_text(k->valid_to, lang, e));
	if (k->quota_year)
		hf__sb_printf(b, hf_tr(lang, ", Soll für %d", ", quota for %d"),
		    k->quota_year);
	if (k->computed_year)
		hf__sb_printf(b, hf_tr(lang, ", berechnet für %d", ", computed for %d"),
		    k->computed_year);
	hf__sb_printf(b, ".\n%s %s\n", hf_tr(lang, "Quelle:", "Source:"), k->source);
	if (k->kind == HF_KEY_COMPUTED) {
		char wb[48];
		hf__sb_printf(b, "%s %s:",
		    hf_tr(lang, "Berechnet aus Kennzahlen zum Stichtag",
			  "Computed from indicators at"),
		    date_text(k->ref_date, lang, d));
		for (w = 0; w < k->nweights; w++)
			hf__sb_printf(b, "%s %s × %s", w ? " +" : "",
			    frac(k->weights[w].weight, wb),
			    k->weights[w].indicator);
		if (k->cap.num)
			hf__sb_printf(b, hf_tr(lang, "; Kappung bei %s × Anteil nach %s",
				     "; capped at %s × the share by %s"),
			    frac(k->cap, wb), k->weights[0].indicator);
		hf__sb_printf(b, ".\n");
	} else {
		hf__sb_printf(b, "%s\n",
		    hf_tr(lang,
			  "Veröffentlichte Anteile, übernommen wie gedruckt.",
			  "Published shares, taken as printed."));
	}
}

int hf_explain_quota(const hf_quota_table *t, const char *code, hf_lang lang,
		     char **text, hf_error *err)
{
	const hf_quota_row *r;
	const hf_unit *u;
	int64_t parent_cat[HF_CAT_COUNT];
	char a[48], b2[48], c[48], d[48], e[48], ps[32];
	hf__strbuf b = {NULL, 0, 0, 0};
	size_t j;
	int i = hf_quota_table_find(t, code), cat, first;

	*text = NULL;
	if (i < 0)
		return hf_error_set(err, HF_ENOTFOUND, "unit",
				    "%s ist keine Untereinheit von %s im "
				    "Schlüssel %s.",
				    "%s is not a child of %s in key %s.", code,
				    t->key.parent, t->key.name);
	r = &t->rows[i];
	u = &t->units[i];
	memset(parent_cat, 0, sizeof parent_cat);
	for (j = 0; j < t->n; j++)
		for (cat = 0; cat < HF_CAT_COUNT; cat++)
			parent_cat[cat] += t->persons[j][cat];
	hf_period_format(t->period, ps);

	hf__sb_printf(&b, hf_tr(lang, "Aufnahmesoll %s für %s (%s)\n\n",
		      "Quota %s for %s (%s)\n\n"),
	    ps, u->name, u->code);
	key_part(&b, t, lang);
	{
		hf_rat pct;
		if (hf_rat_mul(r->share, hf_rat_int(100), &pct) < 0)
			pct = hf_rat_int(0);
		hf__sb_printf(&b,
		    hf_tr(lang, "Anteil von %s: %s = %s %%.\n",
			  "Share of %s: %s = %s %%.\n"),
		    u->name, frac(r->share, a), dec(pct, 5, lang, b2));
	}

	if (t->options.fixed) {
		hf__sb_printf(&b,
		    hf_tr(lang,
			  "Grundlage: festes Kontingent von %lld Personen.\n",
			  "Basis: a fixed contingent of %lld persons.\n"),
		    (long long)t->options.contingent);
	} else {
		hf__sb_printf(&b,
		    hf_tr(lang,
			  "Grundlage: alle angerechneten Zugänge der %zu "
			  "Untereinheiten von %s im Zeitraum %s: %s Personen "
			  "(Zugänge: ",
			  "Basis: all credited admissions of the %zu children "
			  "of %s in the period %s: %s persons (admissions: "),
		    t->n, t->parent.name, ps, amount(t->total.base, lang, a));
		categories(&b, parent_cat, lang);
		hf__sb_printf(&b, ").\n");
	}
	hf__sb_printf(&b,
	    hf_tr(lang, "Soll von %s: %s × %s = %s Personen (exakt %s).\n",
		  "Quota of %s: %s × %s = %s persons (exactly %s).\n"),
	    u->name, frac(r->share, a), amount(t->total.base, lang, b2),
	    dec(r->quota, 2, lang, c), frac(r->quota, d));
	hf__sb_printf(&b, hf_tr(lang, "Ist von %s: %lld Personen (", "Actual of %s: %lld persons ("),
	    u->name, (long long)r->actual);
	categories(&b, t->persons[i], lang);
	hf__sb_printf(&b, ").\n");

	hf__sb_printf(&b, "%s", hf_tr(lang, "Angerechnet: ", "Credited: "));
	first = 1;
	for (cat = 0; cat < HF_CAT_COUNT; cat++) {
		int64_t p = t->persons[i][cat];
		if (!p || !t->key.credit[cat].num)
			continue;
		hf__sb_printf(&b, "%s%s%lld × %s (%s)", first ? "" : " ",
		    first ? "" : (hf_category_sign((hf_category)cat) < 0 ? "− "
									: "+ "),
		    (long long)p, frac(t->key.credit[cat], a),
		    hf_category_name((hf_category)cat, lang));
		first = 0;
	}
	if (r->standing)
		hf__sb_printf(&b, hf_tr(lang, "%s%lld feste Anrechnung", "%s%lld standing credit"),
		    first ? "" : " + ", (long long)r->standing);
	else if (first)
		hf__sb_printf(&b, "0");
	hf__sb_printf(&b, " = %s %s.\n", amount(r->credited, lang, a),
	    hf_tr(lang, "Personen", "persons"));
	for (cat = 0, first = 1; cat < HF_CAT_COUNT; cat++) {
		if (!t->persons[i][cat] || t->key.credit[cat].num)
			continue;
		if (first)
			hf__sb_printf(&b, "%s",
			    hf_tr(lang, "Nicht angerechnet (Regel des Schlüssels): ",
				  "Not credited (rule of the key): "));
		hf__sb_printf(&b, "%s%s %lld", first ? "" : ", ",
		    hf_category_name((hf_category)cat, lang),
		    (long long)t->persons[i][cat]);
		first = 0;
	}
	if (!first)
		hf__sb_printf(&b, ".\n");
	if (t->carried_from == t->carried_to && t->carried_from)
		hf__sb_printf(&b,
		    hf_tr(lang, "Übertrag: Saldo %d = %s.\n",
			  "Carried: balance of %d = %s.\n"),
		    t->carried_from, amount(r->carry_in, lang, a));
	else if (t->carried_from)
		hf__sb_printf(&b,
		    hf_tr(lang, "Übertrag: Salden %d bis %d = %s.\n",
			  "Carried: balances of %d to %d = %s.\n"),
		    t->carried_from, t->carried_to,
		    amount(r->carry_in, lang, a));
	{
		hf_rat carry = r->carry_in;
		int neg = carry.num < 0;
		if (neg)
			carry.num = -carry.num;
		hf__sb_printf(&b,
		    hf_tr(lang, "Saldo: %s − %s %s %s = %s (exakt %s): ",
			  "Balance: %s − %s %s %s = %s (exactly %s): "),
		    amount(r->credited, lang, a), dec(r->quota, 2, lang, b2),
		    neg ? "−" : "+", amount(carry, lang, c),
		    dec(r->balance, 2, lang, d), frac(r->balance, e));
	}
	{
		int s = r->balance.num > 0 ? 1 : r->balance.num < 0 ? -1 : 0;
		hf_rat mag = r->balance;
		if (mag.num < 0)
			mag.num = -mag.num;
		if (s > 0)
			hf__sb_printf(&b, hf_tr(lang, "%s liegt %s Personen über dem Soll",
				      "%s is %s persons above its quota"),
			    u->name, dec(mag, 2, lang, b2));
		else if (s < 0)
			hf__sb_printf(&b, hf_tr(lang, "%s liegt %s Personen unter dem Soll",
				      "%s is %s persons below its quota"),
			    u->name, dec(mag, 2, lang, b2));
		else
			hf__sb_printf(&b, hf_tr(lang, "%s erfüllt das Soll genau",
				      "%s meets its quota exactly"),
			    u->name);
	}
	if (r->has_percent)
		hf__sb_printf(&b, hf_tr(lang, " (Erfüllung %s %%).\n",
			      " (fulfilment %s %%).\n"),
		    dec(r->percent, 1, lang, a));
	else
		hf__sb_printf(&b, ".\n");
	hf__sb_printf(&b,
	    hf_tr(lang,
		  "In ganzen Personen nach %s: Soll %lld von %lld.\n",
		  "In whole persons by %s: quota %lld of %lld.\n"),
	    hf_apportion_name(t->options.method, lang),
	    (long long)r->quota_rounded, (long long)t->total.base_rounded);
	if (b.oom) {
		free(b.s);
		return hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
				    "Out of memory.");
	}
	*text = b.s;
	return HF_OK;
}

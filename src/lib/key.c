/* key.c: distribution keys: life cycle, crediting rules and the check that
 * keeps every stored key whole (one share per child, summing to 1). */
#include "hafen/key.h"

#include <stdlib.h>
#include <string.h>

#include "key_int.h"

void hf_key_init(hf_key *k)
{
	memset(k, 0, sizeof *k);
	k->valid_from = HF_DATE_NONE;
	k->valid_to = HF_DATE_NONE;
	k->ref_date = HF_DATE_NONE;
	k->cap = hf_rat_int(0);
	hf_key_credit_default(k->credit);
}

void hf_key_clear(hf_key *k)
{
	if (!k)
		return;
	free(k->shares);
	k->shares = NULL;
	k->nshares = 0;
}

int hf_key_copy(hf_key *dst, const hf_key *src)
{
	*dst = *src;
	dst->shares = NULL;
	if (src->nshares) {
		dst->shares = malloc(src->nshares * sizeof *dst->shares);
		if (!dst->shares) {
			dst->nshares = 0;
			return HF_ENOMEM;
		}
		memcpy(dst->shares, src->shares,
		       src->nshares * sizeof *dst->shares);
	}
	return HF_OK;
}

void hf_key_credit_default(hf_rat credit[HF_CAT_COUNT])
{
	int c;
	for (c = 0; c < HF_CAT_COUNT; c++)
		credit[c] = hf_rat_int(0);
	credit[HF_CAT_REGULAR] = hf_rat_int(1);
	credit[HF_CAT_TRANSFER_IN] = hf_rat_int(1);
	credit[HF_CAT_TRANSFER_OUT] = hf_rat_int(1);
}

const char *hf_key_kind_slug(hf_key_kind kind)
{
	switch (kind) {
	case HF_KEY_PUBLISHED:
		return "veroeffentlicht";
	case HF_KEY_COMPUTED:
		return "berechnet";
	}
	return NULL;
}

int hf_key_kind_parse(const char *s, hf_key_kind *out)
{
	if (!strcmp(s, "veroeffentlicht") || !strcmp(s, "published")) {
		*out = HF_KEY_PUBLISHED;
		return HF_OK;
	}
	if (!strcmp(s, "berechnet") || !strcmp(s, "computed")) {
		*out = HF_KEY_COMPUTED;
		return HF_OK;
	}
	return HF_EINVAL;
}

int hf_key_covers(const hf_key *k, hf_period p)
{
	if (k->valid_from != HF_DATE_NONE && p.from < k->valid_from)
		return 0;
	if (k->valid_to != HF_DATE_NONE && p.to > k->valid_to)
		return 0;
	return 1;
}

static int cmp_share(const void *a, const void *b)
{
	return strcmp(((const hf_key_share *)a)->unit,
		      ((const hf_key_share *)b)->unit);
}

static const hf_unit *find_child(const hf_unit *children, size_t n,
				 const char *code)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strcmp(children[i].code, code))
			return &children[i];
	return NULL;
}

int hf_key_check(hf_key *k, const hf_unit *children, size_t nchildren,
		 hf_error *err)
{
	hf_rat sum = hf_rat_int(0), diff;
	char a[48], b[48];
	size_t i;
	int rc;

	if (!k->name[0])
		return hf_error_set(err, HF_EINVAL, "name",
				    "Der Schlüssel hat keinen Namen.",
				    "The key has no name.");
	if (k->valid_from != HF_DATE_NONE && k->valid_to != HF_DATE_NONE &&
	    k->valid_to < k->valid_from)
		return hf_error_set(
			err, HF_EINVAL, "valid_to",
			"Schlüssel %s: das Ende der Gültigkeit liegt vor ihrem "
			"Beginn.",
			"Key %s: its validity ends before it begins.", k->name);
	if (k->nshares)
		qsort(k->shares, k->nshares, sizeof *k->shares, cmp_share);
	for (i = 0; i < k->nshares; i++) {
		const hf_key_share *s = &k->shares[i];
		if (i > 0 && !strcmp(s->unit, k->shares[i - 1].unit))
			return hf_error_set(
				err, HF_EINVAL, s->unit,
				"Schlüssel %s: %s hat zwei Anteile; jede "
				"Einheit darf nur einmal vorkommen.",
				"Key %s: %s has two shares; each unit may "
				"appear only once.",
				k->name, s->unit);
		if (!find_child(children, nchildren, s->unit))
			return hf_error_set(
				err, HF_EINVAL, s->unit,
				"Schlüssel %s: %s ist keine Untereinheit von "
				"%s.",
				"Key %s: %s is not a child of %s.", k->name,
				s->unit, k->parent);
		if (s->share.num < 0)
			return hf_error_set(
				err, HF_EINVAL, s->unit,
				"Schlüssel %s: der Anteil von %s ist negativ.",
				"Key %s: the share of %s is negative.", k->name,
				s->unit);
		if ((rc = hf_rat_add(sum, s->share, &sum)) < 0)
			return hf_error_set(
				err, rc, s->unit,
				"Schlüssel %s: die Summe der Anteile ist für "
				"exakte Rechnung zu groß.",
				"Key %s: the sum of the shares is too large for "
				"exact arithmetic.",
				k->name);
	}
	for (i = 0; i < nchildren; i++) {
		hf_key_share probe;
		memset(&probe, 0, sizeof probe);
		memcpy(probe.unit, children[i].code, sizeof probe.unit);
		if (!k->nshares || !bsearch(&probe, k->shares, k->nshares,
					    sizeof *k->shares, cmp_share))
			return hf_error_set(
				err, HF_EINVAL, children[i].code,
				"Schlüssel %s: für %s (%s) fehlt ein Anteil; "
				"ein Schlüssel muss jede Untereinheit von %s "
				"enthalten.",
				"Key %s: %s (%s) has no share; a key must "
				"cover every child of %s.",
				k->name, children[i].code, children[i].name,
				k->parent);
	}
	if (hf_rat_cmp(sum, hf_rat_int(1)) != 0) {
		hf_rat pct;
		if (hf_rat_mul(sum, hf_rat_int(100), &pct) < 0 ||
		    hf_rat_sub(pct, hf_rat_int(100), &diff) < 0)
			return hf_error_set(err, HF_ESUM, "shares",
					    "Schlüssel %s: die Anteile ergeben "
					    "nicht 100 %%.",
					    "Key %s: the shares do not sum to "
					    "100 %%.",
					    k->name);
		hf_rat_format_decimal(pct, 10, ',', a, sizeof a);
		hf_rat_format_decimal(diff, 10, ',', b, sizeof b);
		return hf_error_set(
			err, HF_ESUM, "shares",
			"Schlüssel %s: die Anteile ergeben %s %%, nicht genau "
			"100 %% (Abweichung %s Prozentpunkte). hafen gleicht "
			"nicht aus: bitte die Tabelle prüfen.",
			"Key %s: the shares sum to %s %%, not exactly 100 %% "
			"(off by %s percentage points). hafen does not "
			"normalise: please check the table.",
			k->name, a, b);
	}
	return HF_OK;
}

/* ---- recipes as text, for the data files and imports -------------- */

/* "regulaer=1|sicherer-hafen=1" */
int hf__key_parse_credits(const char *s, hf_rat credit[HF_CAT_COUNT],
			  hf_error *err)
{
	char buf[512], *tok, *save = NULL;
	int c;

	for (c = 0; c < HF_CAT_COUNT; c++)
		credit[c] = hf_rat_int(0);
	if (strlen(s) >= sizeof buf)
		return hf_error_set(err, HF_ERANGE, "credits", "zu lang.",
				    "too long.");
	strcpy(buf, s);
	for (tok = strtok_r(buf, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		char *eq = strchr(tok, '=');
		hf_category cat;
		if (!eq)
			return hf_error_set(err, HF_EINVAL, "credits",
					    "%s: erwartet Kategorie=Gewicht.",
					    "%s: expected category=weight.",
					    tok);
		*eq = '\0';
		if (hf_category_parse(tok, &cat) < 0 ||
		    hf_rat_parse(eq + 1, &credit[cat]) < 0)
			return hf_error_set(err, HF_EINVAL, "credits",
					    "%s=%s ungültig.",
					    "%s=%s invalid.", tok, eq + 1);
	}
	return HF_OK;
}

int hf__key_parse_weights(const char *s, hf_key *k, hf_error *err)
{
	char buf[256], *tok, *save = NULL;
	if (strlen(s) >= sizeof buf)
		return hf_error_set(err, HF_ERANGE, "weights", "zu lang.",
				    "too long.");
	strcpy(buf, s);
	for (tok = strtok_r(buf, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		char *eq = strchr(tok, '=');
		hf_key_weight *w;
		if (!eq || k->nweights == HF_KEY_WEIGHTS_MAX)
			return hf_error_set(err, HF_EINVAL, "weights",
					    "%s: erwartet Indikator=Gewicht.",
					    "%s: expected indicator=weight.",
					    tok);
		*eq = '\0';
		w = &k->weights[k->nweights++];
		if (hf_field_copy(w->indicator, sizeof w->indicator, tok,
				  "weights", err) < 0 ||
		    hf_rat_parse(eq + 1, &w->weight) < 0)
			return hf_error_set(err, HF_EINVAL, "weights",
					    "%s=%s ungültig.",
					    "%s=%s invalid.", tok, eq + 1);
	}
	return HF_OK;
}

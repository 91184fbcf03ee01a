/* match_reason.c: why a household is where it is, in words. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "match_int.h"

/* A number with two decimals, decimal comma in German. */
static const char *num(double v, hf_lang lang, char *buf, size_t size)
{
	char *p;
	snprintf(buf, size, "%.2f", v == 0 ? 0.0 : v);
	if (buf[0] == '-' && !strcmp(buf, "-0.00"))
		memmove(buf, buf + 1, strlen(buf));
	if (lang == HF_LANG_DE && (p = strchr(buf, '.')))
		*p = ',';
	return buf;
}

/* The name of the dimension of unit j with the highest price, or NULL. */
static const char *binding(const hf_match_instance *in,
			   const hf_match_result *r, size_t j)
{
	size_t d, bd = 0;
	for (d = 1; d < in->ndims; d++)
		if (r->price[j * in->ndims + d] > r->price[j * in->ndims + bd])
			bd = d;
	return r->price[j * in->ndims + bd] > 0 ? in->dim_names[bd] : NULL;
}

void hf_match_reason(const hf_match_instance *in, const hf_match_result *r,
		     size_t i, hf_lang lang, char *buf, size_t size)
{
	const hf_match_household *h = &in->hh[i];
	int64_t u = r->unit[i];
	int32_t b = r->best[i];
	char n1[32], n2[32];
	size_t l = 0, k;
#define TR2(de, en) (lang == HF_LANG_EN ? (en) : (de))
#define ADD(...)                                                               \
	do {                                                                   \
		if (l < size)                                                  \
			l += (size_t)snprintf(buf + l, size - l, __VA_ARGS__); \
	} while (0)

	buf[0] = '\0';
	switch (r->why[i]) {
	case HF_MATCH_WHY_TIE:
		ADD(TR2("Bindung an %s (Familie oder Gemeinschaft); Wert %s",
			"tie to %s (family or community); score %s"),
		    in->units[u].code, num(r->score[i], lang, n1, 32));
		break;
	case HF_MATCH_WHY_BEST:
		ADD(TR2("beste zulässige Einheit; Wert %s",
			"its best admissible unit; score %s"),
		    num(r->score[i], lang, n1, 32));
		break;
	case HF_MATCH_WHY_PRICE:
		if (b >= 0) {
			const char *dim = binding(in, r, (size_t)b);
			double pr =
			    r->price[(size_t)b * in->ndims] - r->floor_price[b];
			ADD(TR2("%s (Wert %s) ist knapp, Preis %s je Person",
				"%s (score %s) is scarce, price %s per person"),
			    in->units[b].code,
			    num(hf_match_score(&in->scores, i, (size_t)b), lang,
				n1, 32),
			    num(pr, lang, n2, 32));
			if (dim) {
				size_t d;
				for (d = 1; d < in->ndims; d++)
					if (in->dim_names[d] == dim)
						break;
				ADD(TR2(", %s je Platz »%s«",
					", %s per place '%s'"),
				    num(r->price[(size_t)b * in->ndims + d],
					lang, n2, 32),
				    dim);
			}
			ADD(TR2("; hier Wert %s", "; here score %s"),
			    num(r->score[i], lang, n1, 32));
		}
		break;
	case HF_MATCH_WHY_REPAIR:
		ADD(TR2("nach der Relaxation geteilt oder verdrängt, "
			"neu platziert; Wert %s",
			"split or displaced in the relaxation, placed anew; "
			"score %s"),
		    num(r->score[i], lang, n1, 32));
		break;
	case HF_MATCH_WHY_SEARCH:
		ADD(TR2("durch die vollständige Suche platziert; Wert %s",
			"placed by the exhaustive search; score %s"),
		    num(r->score[i], lang, n1, 32));
		break;
	case HF_MATCH_WHY_PREFERENCE:
		if (r->rank[i] == 1)
			ADD("%s", TR2("erste Wahl", "first choice"));
		else
			ADD(TR2("Wahl Nr. %d; bessere Wahlen hatten keinen "
				"Platz für Haushalte dieser Priorität",
				"choice no. %d; better choices had no room at "
				"this household's priority"),
			    (int)r->rank[i]);
		ADD(TR2("; Wert %s", "; score %s"),
		    num(r->score[i], lang, n1, 32));
		break;
	case HF_MATCH_WHY_DEFICIT:
		ADD("%s", TR2("größtes Defizit zum Soll unter den Einheiten "
			      "mit Platz",
			      "largest deficit against quota among the units "
			      "with room"));
		break;
	case HF_MATCH_WHY_NONE:
		if (in->allow_unassigned && r->mode == HF_MATCH_OPTIMAL)
			ADD(TR2("ohne Einheit: Strafe %s ist günstiger als "
				"jede Einheit mit Platz",
				"unassigned: the penalty %s costs less than "
				"any unit with room"),
			    num(in->penalty, lang, n1, 32));
		else
			ADD("%s", TR2("ohne Einheit: keine zulässige Einheit "
				      "mit Platz",
				      "unassigned: no admissible unit with "
				      "room"));
		break;
	}
	if (u >= 0 && h->nneeds) {
		ADD("%s", TR2("; Bedarf ", "; need "));
		for (k = 0; k < h->nneeds; k++)
			ADD("%s%s", k ? "|" : "",
			    in->service_names[h->needs[k]]);
		ADD("%s", TR2(" erfüllt", " met"));
	}
#undef ADD
#undef TR2
}

/* match_reason.c: why a household is where it is, in words. */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "match_int.h"

/*
 * The reasons of a national batch are 150,000 lines of a few numbers
 * each, written after the solve: formatted with snprintf the file took
 * 0.12-0.15 s on two threads, put together here 0.08-0.10 s (traced,
 * five runs each), to the same bytes (test_reason_numbers).
 */

/* A number with two decimals, decimal comma in German. Where long double
 * holds v × 100 exactly (53 bits of v, 7 of 100: 64 bits, as on x86 and
 * in quad precision), rounding it to a whole number in the default mode
 * (to nearest, ties to even) rounds v as printf's "%.2f" does, which
 * rounds the exact value of v. */
static const char *num(double v, hf_lang lang, char *buf, size_t size)
{
	char *p;
#if LDBL_MANT_DIG >= 64
	if (size >= 24 && fabs(v) < 1e15) {
		long double x = nearbyintl((long double)v * 100);
		uint64_t a = (uint64_t)fabsl(x), k;
		char t[24];
		size_t n = 0, o = 0;
		if (x < 0)
			buf[o++] = '-';
		t[n++] = (char)('0' + a % 10);
		t[n++] = (char)('0' + a / 10 % 10);
		t[n++] = lang == HF_LANG_DE ? ',' : '.';
		for (k = a / 100; k || n == 3; k /= 10)
			t[n++] = (char)('0' + k % 10);
		while (n)
			buf[o++] = t[--n];
		buf[o] = '\0';
		return buf;
	}
#endif
	snprintf(buf, size, "%.2f", v == 0 ? 0.0 : v);
	if (buf[0] == '-' && !strcmp(buf, "-0.00"))
		memmove(buf, buf + 1, strlen(buf));
	if (lang == HF_LANG_DE && (p = strchr(buf, '.')))
		*p = ',';
	return buf;
}

/* Appends fmt to buf (size bytes, *l used) as snprintf would, for the
 * conversions the texts use: %s, %d and %%. *l grows by the whole
 * length; what does not fit is cut, buf stays terminated. */
static void add(char *buf, size_t size, size_t *l, const char *fmt, ...)
{
	va_list ap;
	const char *f;
	size_t o = *l;
	va_start(ap, fmt);
	for (f = fmt; *f; f++) {
		char d[24];
		const char *s = d;
		size_t n;
		if (*f != '%') {
			if (o + 1 < size)
				buf[o] = *f;
			o++;
			continue;
		}
		f++;
		if (*f == 's') {
			s = va_arg(ap, const char *);
		} else if (*f == 'd') {
			snprintf(d, sizeof d, "%d", va_arg(ap, int));
		} else {
			d[0] = '%';
			d[1] = '\0';
		}
		n = strlen(s);
		if (o + 1 < size)
			memcpy(buf + o, s, o + n < size ? n : size - 1 - o);
		o += n;
	}
	va_end(ap);
	if (size)
		buf[o < size ? o : size - 1] = '\0';
	*l = o;
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
			add(buf, size, &l, __VA_ARGS__);                       \
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

/* unit.c: unit kinds and the check that keeps the unit tree consistent:
 * every code fits its kind and starts with its parent's code where the
 * AGS says so. */
#include "hafen/unit.h"

#include <string.h>
#include <strings.h>

static const struct {
	const char *slug;
	const char *de;
	const char *en;
	const char *alias[2]; /* English words accepted by the parser */
} kinds[HF_UNIT_KIND_COUNT] = {
	[HF_UNIT_UNION] = {"union", "Union", "union", {"eu", NULL}},
	[HF_UNIT_STATE] = {"staat", "Staat", "state", {"state", NULL}},
	[HF_UNIT_LAND] = {"land", "Land", "Land", {"bundesland", NULL}},
	[HF_UNIT_REGBEZ] = {"regierungsbezirk", "Regierungsbezirk",
			    "administrative region (Regierungsbezirk)",
			    {"district", "region"}},
	[HF_UNIT_KREIS] = {"kreis", "Kreis", "district (Kreis)",
			   {"county", "landkreis"}},
	[HF_UNIT_KREISFREIE_STADT] = {"kreisfreie-stadt", "kreisfreie Stadt",
				      "city (kreisfrei)",
				      {"city", "kreisfreie stadt"}},
	[HF_UNIT_GEMEINDE] = {"gemeinde", "Gemeinde", "municipality",
			      {"municipality", NULL}},
};

const char *hf_unit_kind_slug(hf_unit_kind kind)
{
	if ((unsigned)kind >= HF_UNIT_KIND_COUNT)
		return NULL;
	return kinds[kind].slug;
}

const char *hf_unit_kind_name(hf_unit_kind kind, hf_lang lang)
{
	if ((unsigned)kind >= HF_UNIT_KIND_COUNT)
		return NULL;
	return hf_tr(lang, kinds[kind].de, kinds[kind].en);
}

int hf_unit_kind_parse(const char *s, hf_unit_kind *out)
{
	int k, i;

	if (!s)
		return HF_EINVAL;
	for (k = 0; k < HF_UNIT_KIND_COUNT; k++) {
		if (!strcasecmp(s, kinds[k].slug) ||
		    !strcasecmp(s, kinds[k].de) || !strcasecmp(s, kinds[k].en))
			goto found;
		for (i = 0; i < 2; i++)
			if (kinds[k].alias[i] && !strcasecmp(s, kinds[k].alias[i]))
				goto found;
	}
	return HF_EINVAL;
found:
	*out = (hf_unit_kind)k;
	return HF_OK;
}

int hf_field_copy(char *dst, size_t dst_size, const char *src,
		  const char *field, hf_error *err)
{
	size_t len = src ? strlen(src) : 0;

	if (len >= dst_size)
		return hf_error_set(
			err, HF_ERANGE, field,
			"Feld %s: %zu Zeichen sind zu lang, erlaubt sind "
			"höchstens %zu; bitte kürzen.",
			"Field %s: %zu characters is too long, at most %zu are "
			"allowed; please shorten it.",
			field, len, dst_size - 1);
	memcpy(dst, src ? src : "", len + 1);
	return HF_OK;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Which kinds may sit directly below a parent of each kind; a bit per
 * child kind. Union, state and Land may also be roots (a database that
 * holds one Land only). */
static unsigned allowed_below(int parent_kind)
{
#define B(k) (1u << (k))
	switch (parent_kind) {
	case -1:
		return B(HF_UNIT_UNION) | B(HF_UNIT_STATE) | B(HF_UNIT_LAND);
	case HF_UNIT_UNION:
		return B(HF_UNIT_STATE);
	case HF_UNIT_STATE:
		return B(HF_UNIT_LAND);
	case HF_UNIT_LAND:
		return B(HF_UNIT_REGBEZ) | B(HF_UNIT_KREIS) |
		       B(HF_UNIT_KREISFREIE_STADT);
	case HF_UNIT_REGBEZ:
		return B(HF_UNIT_KREIS) | B(HF_UNIT_KREISFREIE_STADT);
	case HF_UNIT_KREIS:
		return B(HF_UNIT_GEMEINDE);
	}
	return 0;
#undef B
}

static int check_code(const hf_unit *u, hf_error *err)
{
	const char *c = u->code;
	size_t len = strlen(c);
	int v;

	switch (u->kind) {
	case HF_UNIT_UNION:
		if (strcmp(c, "EU"))
			return hf_error_set(
				err, HF_EINVAL, "code",
				"Code %s: die Union hat den Code EU.",
				"Code %s: the Union has the code EU.", c);
		return HF_OK;
	case HF_UNIT_STATE:
		if (len != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' ||
		    c[1] > 'Z')
			return hf_error_set(
				err, HF_EINVAL, "code",
				"Code %s: ein Staat hat einen Code nach ISO "
				"3166-1 aus zwei Großbuchstaben, etwa DE.",
				"Code %s: a state has an ISO 3166-1 code of two "
				"capital letters, such as DE.",
				c);
		return HF_OK;
	case HF_UNIT_LAND:
		v = len == 2 && all_digits(c, 2) ? (c[0] - '0') * 10 + c[1] - '0'
						 : 0;
		if (v < 1 || v > 16)
			return hf_error_set(
				err, HF_EINVAL, "code",
				"Code %s: ein Land hat zwei Ziffern von 01 bis "
				"16, etwa 01 für Schleswig-Holstein.",
				"Code %s: a Land has two digits from 01 to 16, "
				"such as 01 for Schleswig-Holstein.",
				c);
		return HF_OK;
	case HF_UNIT_REGBEZ:
		if (len != 3 || !all_digits(c, 3))
			return hf_error_set(
				err, HF_EINVAL, "code",
				"Code %s: ein Regierungsbezirk hat drei "
				"Ziffern, etwa 051.",
				"Code %s: a Regierungsbezirk has three digits, "
				"such as 051.",
				c);
		return HF_OK;
	case HF_UNIT_KREIS:
		if (len != 5 || !all_digits(c, 5))
			return hf_error_set(
				err, HF_EINVAL, "code",
				"Code %s: ein Kreis hat fünf Ziffern, etwa "
				"01051.",
				"Code %s: a Kreis has five digits, such as "
				"01051.",
				c);
		return HF_OK;
	case HF_UNIT_KREISFREIE_STADT:
		if (!((len == 5 && all_digits(c, 5)) ||
		      (len == 8 && all_digits(c, 8) && !strcmp(c + 5, "000"))))
			return hf_error_set(
				err, HF_EINVAL, "code",
				"Code %s: ein AGS einer kreisfreien Stadt hat 5 "
				"oder 8 Ziffern, mit 8 Ziffern endet er auf 000 "
				"(Lübeck: 01003000).",
				"Code %s: the AGS of a kreisfreie Stadt has 5 or "
				"8 digits; with 8 digits it ends in 000 (Lübeck: "
				"01003000).",
				c);
		return HF_OK;
	case HF_UNIT_GEMEINDE:
		if (!((len == 8 && all_digits(c, 8)) ||
		      (len == 12 && all_digits(c, 12))))
			return hf_error_set(
				err, HF_EINVAL, "code",
				"Code %s: eine Gemeinde hat einen AGS mit 8 "
				"oder einen ARS mit 12 Ziffern.",
				"Code %s: a Gemeinde has an AGS of 8 or an ARS "
				"of 12 digits.",
				c);
		return HF_OK;
	case HF_UNIT_KIND_COUNT:
		break;
	}
	return hf_error_set(err, HF_EINVAL, "kind",
			    "Einheit %s: unbekannte Art %d.",
			    "Unit %s: unknown kind %d.", c, (int)u->kind);
}

int hf_unit_check(const hf_unit *u, const hf_unit *parent, hf_error *err)
{
	unsigned allowed;
	int rc;

	if (memchr(u->code, '\0', sizeof u->code) == NULL ||
	    memchr(u->name, '\0', sizeof u->name) == NULL ||
	    memchr(u->parent, '\0', sizeof u->parent) == NULL)
		return hf_error_set(err, HF_ERANGE, "code",
				    "Einheit: ein Feld ist nicht abgeschlossen.",
				    "Unit: a field is not terminated.");
	if (!u->code[0])
		return hf_error_set(err, HF_EINVAL, "code",
				    "Die Einheit hat keinen Code; bitte den "
				    "amtlichen Code angeben (etwa 01003000).",
				    "The unit has no code; please give its "
				    "official code (such as 01003000).");
	if ((unsigned)u->kind >= HF_UNIT_KIND_COUNT)
		return hf_error_set(err, HF_EINVAL, "kind",
				    "Einheit %s: unbekannte Art %d.",
				    "Unit %s: unknown kind %d.", u->code,
				    (int)u->kind);
	if (!u->name[0])
		return hf_error_set(err, HF_EINVAL, "name",
				    "Einheit %s: der Name fehlt; bitte den "
				    "Namen angeben.",
				    "Unit %s: the name is missing; please give "
				    "its name.",
				    u->code);
	if ((rc = check_code(u, err)) < 0)
		return rc;
	if (parent && strcmp(u->parent, parent->code))
		return hf_error_set(
			err, HF_EINVAL, "parent",
			"Einheit %s: als übergeordnete Einheit ist %s "
			"eingetragen, geprüft wurde gegen %s.",
			"Unit %s: its parent is recorded as %s but was checked "
			"against %s.",
			u->code, u->parent, parent->code);
	allowed = allowed_below(parent ? (int)parent->kind : -1);
	if (!(allowed & (1u << u->kind))) {
		if (!parent)
			return hf_error_set(
				err, HF_EINVAL, "parent",
				"Einheit %s: eine Einheit der Art %s braucht "
				"eine übergeordnete Einheit; bitte parent "
				"angeben.",
				"Unit %s: a unit of kind %s needs a parent; "
				"please give one.",
				u->code, hf_unit_kind_name(u->kind, err ? err->lang : HF_LANG_DE));
		return hf_error_set(
			err, HF_EINVAL, "parent",
			"Einheit %s: eine Einheit der Art %s kann nicht unter "
			"%s (%s) stehen.",
			"Unit %s: a unit of kind %s cannot sit below %s (%s).",
			u->code,
			hf_unit_kind_name(u->kind, err ? err->lang : HF_LANG_DE),
			parent->code,
			hf_unit_kind_name(parent->kind,
					  err ? err->lang : HF_LANG_DE));
	}
	if (!parent)
		return HF_OK;
	if (u->kind == HF_UNIT_LAND && strcmp(parent->code, "DE"))
		return hf_error_set(
			err, HF_EINVAL, "parent",
			"Einheit %s: ein Land steht unter dem Staat DE, nicht "
			"unter %s.",
			"Unit %s: a Land sits below the state DE, not below %s.",
			u->code, parent->code);
	if (u->kind >= HF_UNIT_REGBEZ && !starts_with(u->code, parent->code))
		return hf_error_set(
			err, HF_EINVAL, "code",
			"Code %s: der Code muss mit dem Code der "
			"übergeordneten Einheit %s beginnen.",
			"Code %s: the code must start with the code of its "
			"parent %s.",
			u->code, parent->code);
	return HF_OK;
}

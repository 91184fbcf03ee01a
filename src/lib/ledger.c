/* ledger.c: ledger categories and the check of a single entry. */
#include "hafen/ledger.h"

#include <string.h>

static const struct {
	const char *slug, *slug_en, *de, *en;
} cats[HF_CAT_COUNT] = {
	[HF_CAT_REGULAR] = {"regulaer", "regular", "Regelverteilung",
			    "Regular distribution"},
	[HF_CAT_SICHERER_HAFEN] = {"sicherer-hafen", "safe-harbour",
				   "Sonderaufnahme Sicherer Hafen",
				   "Special admission Safe Harbour"},
	[HF_CAT_BUND] = {"bundesprogramm", "federal-programme",
			 "Bundesaufnahmeprogramm",
			 "Federal admission programme"},
	[HF_CAT_LANDESPROGRAMM] = {"landesprogramm", "land-programme",
				   "Landesaufnahmeprogramm",
				   "Land admission programme"},
	[HF_CAT_RESETTLEMENT] = {"resettlement", "resettlement",
				 "Resettlement", "Resettlement"},
	[HF_CAT_FAMILIENNACHZUG] = {"familiennachzug", "family-reunification",
				    "Familiennachzug", "Family reunification"},
	[HF_CAT_TRANSFER_OUT] = {"umverteilung-ab", "transfer-out",
				 "Umverteilung (Abgang)", "Transfer (out)"},
	[HF_CAT_TRANSFER_IN] = {"umverteilung-zu", "transfer-in",
				"Umverteilung (Zugang)", "Transfer (in)"},
	[HF_CAT_DEPARTURE] = {"fortzug", "departure", "Fortzug", "Departure"},
};

const char *hf_category_slug(hf_category c)
{
	return (unsigned)c < HF_CAT_COUNT ? cats[c].slug : NULL;
}

const char *hf_category_slug_en(hf_category c)
{
	return (unsigned)c < HF_CAT_COUNT ? cats[c].slug_en : NULL;
}

const char *hf_category_name(hf_category c, hf_lang lang)
{
	if ((unsigned)c >= HF_CAT_COUNT)
		return NULL;
	return hf_tr(lang, cats[c].de, cats[c].en);
}

int hf_category_parse(const char *s, hf_category *out)
{
	int c;

	if (!s)
		return HF_EINVAL;
	for (c = 0; c < HF_CAT_COUNT; c++)
		if (!strcmp(s, cats[c].slug) || !strcmp(s, cats[c].slug_en)) {
			*out = (hf_category)c;
			return HF_OK;
		}
	return HF_EINVAL;
}

int hf_category_sign(hf_category c)
{
	return c == HF_CAT_TRANSFER_OUT || c == HF_CAT_DEPARTURE ? -1 : 1;
}

hf_ledger_filter hf_ledger_filter_all(void)
{
	hf_ledger_filter f;
	memset(&f, 0, sizeof f);
	f.category = -1;
	f.from = HF_DATE_NONE;
	f.to = HF_DATE_NONE;
	return f;
}

int hf_household_id_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		      *s == ':' || *s == '-'))
			return 0;
	return 1;
}

#define TERMINATED(a, f) (memchr((a)->f, '\0', sizeof(a)->f) != NULL)

int hf_admission_check(const hf_admission *a, hf_error *err)
{
	if (!TERMINATED(a, unit) || !TERMINATED(a, household) ||
	    !TERMINATED(a, programme) || !TERMINATED(a, reference) ||
	    !TERMINATED(a, recorded_by) || !TERMINATED(a, note))
		return hf_error_set(err, HF_ERANGE, "",
				    "Ein Textfeld des Eintrags ist nicht "
				    "abgeschlossen.",
				    "A text field of the entry is not "
				    "terminated.");
	if (!a->unit[0])
		return hf_error_set(err, HF_EINVAL, "unit",
				    "Der Eintrag nennt keine aufnehmende "
				    "Einheit; bitte den Code angeben.",
				    "The entry names no receiving unit; please "
				    "give its code.");
	if (a->date == HF_DATE_NONE)
		return hf_error_set(err, HF_EINVAL, "date",
				    "Der Eintrag hat kein Datum; bitte das "
				    "Datum der Aufnahme angeben.",
				    "The entry has no date; please give the "
				    "date of admission.");
	if ((unsigned)a->category >= HF_CAT_COUNT)
		return hf_error_set(err, HF_EINVAL, "category",
				    "Unbekannte Kategorie %d.",
				    "Unknown category %d.", (int)a->category);
	if (a->corrects < 0)
		return hf_error_set(err, HF_EINVAL, "corrects",
				    "Ungültige Nummer %lld des korrigierten "
				    "Eintrags.",
				    "Invalid id %lld of the corrected entry.",
				    (long long)a->corrects);
	if (a->corrects == 0 && a->persons <= 0)
		return hf_error_set(
			err, HF_EINVAL, "persons",
			"Personen %lld: ein Eintrag zählt mindestens eine "
			"Person; Abgänge werden über die Kategorie erfasst, "
			"Fehler über eine Korrektur.",
			"Persons %lld: an entry counts at least one person; "
			"departures are recorded by their category, mistakes by "
			"a correction.",
			(long long)a->persons);
	if (a->corrects > 0 && a->persons >= 0)
		return hf_error_set(
			err, HF_EINVAL, "persons",
			"Personen %lld: eine Stornierung (von Eintrag %lld) "
			"hat eine negative Personenzahl.",
			"Persons %lld: a reversal (of entry %lld) has a "
			"negative number of persons.",
			(long long)a->persons, (long long)a->corrects);
	if (a->persons == INT64_MIN)
		return hf_error_set(err, HF_ERANGE, "persons",
				    "Personenzahl außerhalb des Bereichs.",
				    "Number of persons out of range.");
	if (!hf_household_id_ok(a->household))
		return hf_error_set(
			err, HF_EINVAL, "household",
			"Haushalt \"%s\": die Kennung ist pseudonym und "
			"besteht nur aus Buchstaben A-Z, Ziffern und . _ : - "
			"(keine Namen, keine Leerzeichen).",
			"Household \"%s\": the id is pseudonymous and consists "
			"only of letters A-Z, digits and . _ : - (no names, no "
			"spaces).",
			a->household);
	return HF_OK;
}

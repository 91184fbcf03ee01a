/*
 * io_kinds.c: the columns of every kind, and its rows checked and
 * collected without a database: each cell parsed by its column's type,
 * every problem an issue, records that repeat another found.
 */
#include "io_int.h"

#include <stdlib.h>
#include <string.h>

#include "io_kinds_int.h"

/* ---- the columns -------------------------------------------------- */

static const hf__io_col units_cols[] = {
    [U_CODE] = {"code", "Code", "Schlüssel", HF__T_TEXT, HF__C_REQ},
    [U_NAME] = {"name", "Name", "Bezeichnung", HF__T_TEXT, HF__C_REQ},
    [U_KIND] = {"kind", "Art", NULL, HF__T_TEXT, HF__C_REQ},
    [U_PARENT] = {"parent", "Obereinheit", NULL, HF__T_TEXT, 0},
};

static const hf__io_col ind_cols[] = {
    [I_UNIT] = {"unit", "Einheit", NULL, HF__T_TEXT, HF__C_REQ},
    [I_NAME] = {"indicator", "Kennzahl", "name", HF__T_TEXT, HF__C_REQ},
    [I_DATE] = {"ref_date", "Stichtag", "date", HF__T_DATE, HF__C_REQ},
    [I_VALUE] = {"value", "Wert", NULL, HF__T_DEC, HF__C_REQ},
    [I_SOURCE] = {"source", "Quelle", NULL, HF__T_TEXT, HF__C_REQ},
};

static const hf__io_col key_cols[] = {
    [K_KEY] = {"key", "Schlüssel", "name", HF__T_TEXT, HF__C_REQ},
    [K_TITLE] = {"title", "Bezeichnung", NULL, HF__T_TEXT, 0},
    [K_PARENT] = {"parent", "Obereinheit", NULL, HF__T_TEXT, HF__C_REQ},
    [K_KIND] = {"kind", "Art", NULL, HF__T_TEXT, 0},
    [K_FROM] = {"valid_from", "gültig ab", NULL, HF__T_DATE, HF__C_REQ},
    [K_TO] = {"valid_to", "gültig bis", NULL, HF__T_DATE, 0},
    [K_CYEAR] = {"computed_year", "Berechnungsjahr", NULL, HF__T_INT, 0},
    [K_QYEAR] = {"quota_year", "Quotenjahr", NULL, HF__T_INT, 0},
    [K_REFDATE] = {"ref_date", "Stichtag", NULL, HF__T_DATE, 0},
    [K_WEIGHTS] = {"weights", "Gewichte", NULL, HF__T_TEXT, 0},
    [K_CAP] = {"cap", "Kappung", NULL, HF__T_DEC, 0},
    [K_CREDITS] = {"credits", "Anrechnung", NULL, HF__T_TEXT, 0},
    [K_SOURCE] = {"source", "Quelle", NULL, HF__T_TEXT, 0},
    [K_UNIT] = {"unit", "Einheit", NULL, HF__T_TEXT, 0},
    [K_SHARE] = {"share", "Anteil", NULL, HF__T_DEC, 0},
    [K_PERCENT] = {"percent", "Prozent", NULL, HF__T_DEC, HF__C_IMPORT},
};

static const hf__io_col adm_cols[] = {
    [A_ID] = {"id", "Nr", NULL, HF__T_INT, 0},
    [A_DATE] = {"date", "Datum", NULL, HF__T_DATE, HF__C_REQ},
    [A_UNIT] = {"unit", "Einheit", NULL, HF__T_TEXT, HF__C_REQ},
    [A_PERSONS] = {"persons", "Personen", NULL, HF__T_INT, HF__C_REQ},
    [A_CATEGORY] = {"category", "Kategorie", NULL, HF__T_TEXT, 0},
    [A_HOUSEHOLD] = {"household", "Haushalt", NULL, HF__T_TEXT, 0},
    [A_PROGRAMME] = {"programme", "Programm", "program", HF__T_TEXT, 0},
    [A_REFERENCE] = {"reference", "Aktenzeichen", NULL, HF__T_TEXT, 0},
    [A_NOTE] = {"note", "Vermerk", NULL, HF__T_TEXT, 0},
    [A_BY] = {"recorded_by", "erfasst von", NULL, HF__T_TEXT, 0},
    [A_AT] = {"recorded_at", "erfasst am", NULL, HF__T_TIME, 0},
    [A_CORRECTS] = {"corrects", "berichtigt", NULL, HF__T_INT, 0},
    [A_PAIR] = {"pair", "Paar", NULL, HF__T_INT, 0},
};

static const hf__io_col pledge_cols[] = {
    [P_ID] = {"id", "Nr", NULL, HF__T_INT, 0},
    [P_UNIT] = {"unit", "Einheit", NULL, HF__T_TEXT, HF__C_REQ},
    [P_PROGRAMME] = {"programme", "Programm", "program", HF__T_TEXT, 0},
    [P_PLACES] = {"places", "Plätze", NULL, HF__T_INT, HF__C_REQ},
    [P_FROM] = {"from", "von", NULL, HF__T_DATE, HF__C_REQ},
    [P_TO] = {"to", "bis", NULL, HF__T_DATE, HF__C_REQ},
    [P_STATUS] = {"status", "Status", NULL, HF__T_TEXT, 0},
    [P_NOTE] = {"note", "Vermerk", NULL, HF__T_TEXT, 0},
    [P_BY] = {"recorded_by", "erfasst von", NULL, HF__T_TEXT, 0},
    [P_AT] = {"recorded_at", "erfasst am", NULL, HF__T_TIME, 0},
};

static const hf__io_col prog_cols[] = {
    [G_NAME] = {"programme", "Programm", "name", HF__T_TEXT, HF__C_REQ},
    [G_TITLE] = {"title", "Bezeichnung", NULL, HF__T_TEXT, 0},
    [G_KIND] = {"kind", "Art", NULL, HF__T_TEXT, HF__C_REQ},
    [G_PARENT] = {"parent", "Obereinheit", NULL, HF__T_TEXT, HF__C_REQ},
    [G_FROM] = {"from", "von", NULL, HF__T_DATE, HF__C_REQ},
    [G_TO] = {"to", "bis", NULL, HF__T_DATE, HF__C_REQ},
    [G_CONTINGENT] = {"contingent", "Kontingent", NULL, HF__T_INT, HF__C_REQ},
    [G_KEY] = {"key", "Schlüssel", NULL, HF__T_TEXT, 0},
    [G_CATEGORY] = {"category", "Kategorie", NULL, HF__T_TEXT, 0},
    [G_SOURCE] = {"source", "Quelle", NULL, HF__T_TEXT, 0},
    [G_UNIT] = {"unit", "Einheit", NULL, HF__T_TEXT, 0},
    [G_SHARE] = {"share", "Anteil", NULL, HF__T_DEC, 0},
    [G_PERCENT] = {"percent", "Prozent", NULL, HF__T_DEC, HF__C_IMPORT},
};

static const hf__io_col hh_cols[] = {
    [H_ID] = {"id", "Kennung", "Haushalt", HF__T_TEXT, HF__C_REQ},
    [H_PERSONS] = {"persons", "Personen", NULL, HF__T_INT, HF__C_REQ},
    [H_AGES] = {"ages", "Alter", NULL, HF__T_LIST, 0},
    [H_NEEDS] = {"needs", "Bedarfe", NULL, HF__T_LIST, 0},
    [H_TIES] = {"ties", "Bindungen", NULL, HF__T_LIST, 0},
    [H_PREFS] = {"preferences", "Wünsche", NULL, HF__T_LIST, 0},
    [H_LANGS] = {"languages", "Sprachen", NULL, HF__T_LIST, 0},
    [H_OCCS] = {"occupations", "Berufe", NULL, HF__T_LIST, 0},
};

static const hf__io_col mu_cols[] = {
    [M_CODE] = {"code", "Code", "Einheit", HF__T_TEXT, HF__C_REQ},
    [M_CAPACITY] = {"capacity", "Kapazität", "Plätze", HF__T_INT, HF__C_REQ},
    [M_MIN] = {"min", "Mindestens", NULL, HF__T_INT, 0},
    [M_MAX] = {"max", "Höchstens", NULL, HF__T_INT, 0},
    [M_SERVICES] = {"services", "Angebote", NULL, HF__T_LIST, 0},
    [M_LANGS] = {"languages", "Sprachen", NULL, HF__T_LIST, 0},
    [M_DEMAND] = {"demand", "Bedarf", NULL, HF__T_LIST, 0},
    [M_PRIO] = {"priorities", "Vorrang", NULL, HF__T_LIST, 0},
};

#define SPEC(k, s, sd, shd, she, cols, pre)                                    \
	{                                                                      \
		k, s, sd, shd, she, cols, (int)(sizeof cols / sizeof cols[0]), \
		    pre                                                        \
	}

static const hf__io_spec specs[HF_IO_KIND_COUNT] = {
    SPEC(HF_IO_UNITS, "units", "einheiten", "Einheiten", "Units", units_cols,
	 NULL),
    SPEC(HF_IO_INDICATORS, "indicators", "kennzahlen", "Kennzahlen",
	 "Indicators", ind_cols, NULL),
    SPEC(HF_IO_KEYS, "keys", "schluessel", "Schlüssel", "Keys", key_cols, NULL),
    SPEC(HF_IO_ADMISSIONS, "admissions", "zugaenge", "Zugänge", "Admissions",
	 adm_cols, NULL),
    SPEC(HF_IO_PLEDGES, "pledges", "zusagen", "Zusagen", "Pledges", pledge_cols,
	 NULL),
    SPEC(HF_IO_PROGRAMMES, "programmes", "programme", "Programme", "Programmes",
	 prog_cols, NULL),
    SPEC(HF_IO_HOUSEHOLDS, "households", "haushalte", "Haushalte", "Households",
	 hh_cols, "use:"),
    SPEC(HF_IO_MATCH_UNITS, "match-units", "aufnahmeorte", "Aufnahmeorte",
	 "Match units", mu_cols, "cap:"),
};

const hf__io_spec *hf__io_spec_of(hf_io_kind kind)
{
	return &specs[(unsigned)kind < HF_IO_KIND_COUNT ? kind : 0];
}

/* ---- cells -------------------------------------------------------- */

static const char *expected(hf__io *io, int type)
{
	switch (type) {
	case HF__T_INT:
		return hf_tr(io->lang, "eine ganze Zahl", "a whole number");
	case HF__T_DEC:
		return hf_tr(io->lang,
			     "eine Zahl (12,5 oder 12.5) oder einen Bruch "
			     "(1/3)",
			     "a number (12.5 or 12,5) or a fraction (1/3)");
	case HF__T_DATE:
		return hf_tr(io->lang, "ein Datum (TT.MM.JJJJ oder JJJJ-MM-TT)",
			     "a date (YYYY-MM-DD or DD.MM.YYYY)");
	case HF__T_TIME:
		return hf_tr(io->lang, "einen Zeitpunkt (JJJJ-MM-TTThh:mm:ssZ)",
			     "a time (YYYY-MM-DDThh:mm:ssZ)");
	}
	return hf_tr(io->lang, "einen Text", "a text");
}

/* The cell of column c, or NULL (with an issue if it is required). */
const char *hf__cell(hf__io *io, const hf__io_row *r, int c)
{
	const char *v = r->v[c];

	if (v && *v)
		return v;
	if (io->spec->cols[c].flags & HF__C_REQ) {
		io->cur_value = "";
		io->cur_expected = expected(io, io->spec->cols[c].type);
		hf__io_issue(io, r->row, c, "leer; erwartet %s.",
			     "empty; expected %s.",
			     expected(io, io->spec->cols[c].type));
	}
	return NULL;
}

void hf__bad(hf__io *io, const hf__io_row *r, int c, const char *v,
	     const char *what_de, const char *what_en)
{
	char s[128];

	hf__io_shorten(v, s, sizeof s);
	io->cur_value = s;
	io->cur_expected = hf_tr(io->lang, what_de, what_en);
	hf__io_issue(io, r->row, c, "»%s«: erwartet %s.", "'%s': expected %s.",
		     s, hf_tr(io->lang, what_de, what_en));
}

/* 0 ok, 1 empty (dst ""), -1 a problem (an issue). */
int hf__text(hf__io *io, const hf__io_row *r, int c, char *dst, size_t size)
{
	const char *v = hf__cell(io, r, c);
	size_t len;

	dst[0] = '\0';
	if (!v)
		return io->spec->cols[c].flags & HF__C_REQ ? -1 : 1;
	len = strlen(v);
	if (len >= size) {
		char s[128];
		hf__io_shorten(v, s, sizeof s);
		hf__io_issue(io, r->row, c,
			     "»%s« ist zu lang (%zu Bytes); höchstens %zu.",
			     "'%s' is too long (%zu bytes); at most %zu.", s,
			     len, size - 1);
		return -1;
	}
	memcpy(dst, v, len + 1);
	return 0;
}

int hf__int(hf__io *io, const hf__io_row *r, int c, int64_t min, int64_t *out)
{
	const char *v = hf__cell(io, r, c);
	char s[128];

	if (!v)
		return io->spec->cols[c].flags & HF__C_REQ ? -1 : 1;
	if (hf_int_parse(v, out) < 0) {
		hf__bad(io, r, c, v, "eine ganze Zahl", "a whole number");
		return -1;
	}
	if (*out < min) {
		hf__io_shorten(v, s, sizeof s);
		hf__io_issue(io, r->row, c,
			     "»%s«: erwartet eine ganze Zahl ab %lld.",
			     "'%s': expected a whole number of at least %lld.",
			     s, (long long)min);
		return -1;
	}
	return 0;
}

int hf__rat(hf__io *io, const hf__io_row *r, int c, hf_rat *out)
{
	const char *v = hf__cell(io, r, c);
	int rc;

	if (!v)
		return io->spec->cols[c].flags & HF__C_REQ ? -1 : 1;
	if ((rc = hf_rat_parse(v, out)) < 0) {
		if (rc == HF_EOVERFLOW)
			hf__bad(io, r, c, v,
				"eine Zahl, die exakt in 64 Bit passt",
				"a number that fits 64 bits exactly");
		else
			hf__bad(io, r, c, v,
				"eine Zahl (12,5 oder 12.5) oder einen Bruch "
				"(1/3)",
				"a number (12.5 or 12,5) or a fraction (1/3)");
		return -1;
	}
	return 0;
}

int hf__date(hf__io *io, const hf__io_row *r, int c, hf_date *out)
{
	const char *v = hf__cell(io, r, c);
	int rc;

	*out = HF_DATE_NONE;
	if (!v)
		return io->spec->cols[c].flags & HF__C_REQ ? -1 : 1;
	if ((rc = hf_date_parse(v, out)) < 0) {
		*out = HF_DATE_NONE;
		if (rc == HF_EPARSE)
			hf__bad(io, r, c, v,
				"ein Datum (TT.MM.JJJJ oder JJJJ-MM-TT)",
				"a date (YYYY-MM-DD or DD.MM.YYYY)");
		else
			hf__bad(io, r, c, v,
				"einen Tag, den es gibt (1900 bis 9999)",
				"a day that exists (1900 to 9999)");
		return -1;
	}
	return 0;
}

int hf__time(hf__io *io, const hf__io_row *r, int c, int64_t *out)
{
	const char *v = hf__cell(io, r, c);

	if (!v)
		return 1;
	if (hf__io_parse_time(v, out) < 0) {
		hf__bad(io, r, c, v, "einen Zeitpunkt (JJJJ-MM-TTThh:mm:ssZ)",
			"a time (YYYY-MM-DDThh:mm:ssZ)");
		return -1;
	}
	return 0;
}

int hf__category(hf__io *io, const hf__io_row *r, int c, hf_category *out)
{
	const char *v = hf__cell(io, r, c);
	char list[300];
	size_t l = 0;
	int k;

	if (!v)
		return 1;
	if (hf_category_parse(v, out) == HF_OK)
		return 0;
	list[0] = '\0';
	for (k = 0; k < HF_CAT_COUNT && l + 1 < sizeof list; k++) {
		snprintf(list + l, sizeof list - l, "%s%s", k ? ", " : "",
			 io->lang == HF_LANG_EN
			     ? hf_category_slug_en((hf_category)k)
			     : hf_category_slug((hf_category)k));
		l = strlen(list);
	}
	{
		char s[128];
		hf__io_shorten(v, s, sizeof s);
		hf__io_issue(io, r->row, c,
			     "Kategorie »%s« unbekannt; erwartet eine von: %s.",
			     "unknown category '%s'; expected one of: %s.", s,
			     list);
	}
	return -1;
}

/* An error of a domain check (hf_admission_check ...) as an issue at the
 * column its field names, else at the row. */
void hf__issue_err(hf__io *io, long row, const hf_error *e)
{
	int c, col = -1;
	const char *f = e->where;

	for (c = 0; c < io->spec->ncols && f[0]; c++)
		if (!strcmp(io->spec->cols[c].en, f)) {
			col = c;
			break;
		}
	hf__io_issue(io, row, col, "%s", "%s", e->message);
}

/* ---- a set of record hashes, for duplicates --------------------- */

uint64_t hf__hash_str(uint64_t h, const char *s)
{
	if (!h)
		h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull; /* field separator */
}

uint64_t hf__hash_int(uint64_t h, int64_t v)
{
	int i;

	if (!h)
		h = 1469598103934665603ull;
	for (i = 0; i < 8; i++)
		h = (h ^ (((uint64_t)v >> (8 * i)) & 0xff)) * 1099511628211ull;
	return (h ^ 0xfe) * 1099511628211ull;
}

int hf__dupset_init(hf__dupset *d, size_t n)
{
	size_t size = 16;

	while (size < 2 * n + 2)
		size *= 2;
	d->slot = malloc(size * sizeof *d->slot);
	if (!d->slot)
		return HF_ENOMEM;
	memset(d->slot, 0xff, size * sizeof *d->slot);
	d->mask = size - 1;
	return HF_OK;
}

void hf__dupset_free(hf__dupset *d)
{
	free(d->slot);
	d->slot = NULL;
}

/* The index of an earlier record equal to record i (same hash and
 * eq() true), or -1 after adding i. */
long hf__dupset_add(hf__dupset *d, uint64_t h, size_t i,
		    int (*eq)(void *ctx, size_t a, size_t b), void *ctx)
{
	size_t s;

	h ^= h >> 29; /* FNV's low bits alone cluster */
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	for (s = (size_t)h & d->mask; d->slot[s].idx != (size_t)-1;
	     s = (s + 1) & d->mask)
		if (d->slot[s].h == h && eq(ctx, d->slot[s].idx, i))
			return (long)d->slot[s].idx;
	d->slot[s].h = h;
	d->slot[s].idx = i;
	return -1;
}

/* programme.c: kinds of programmes and states of pledges, by name. */
#include "hafen/programme.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *slug, *slug_en;
	hf_category category;
} kinds[HF_PROG_KIND_COUNT] = {
    [HF_PROG_BUND] = {"bund", "federal", HF_CAT_BUND},
    [HF_PROG_LAND] = {"land", "land", HF_CAT_LANDESPROGRAMM},
    [HF_PROG_RESETTLEMENT] = {"resettlement", "resettlement",
			      HF_CAT_RESETTLEMENT},
    [HF_PROG_SICHERER_HAFEN] = {"sicherer-hafen", "safe-harbour",
				HF_CAT_SICHERER_HAFEN},
};

const char *hf_programme_kind_slug(hf_programme_kind k)
{
	return (unsigned)k < HF_PROG_KIND_COUNT ? kinds[k].slug : NULL;
}

const char *hf_programme_kind_slug_en(hf_programme_kind k)
{
	return (unsigned)k < HF_PROG_KIND_COUNT ? kinds[k].slug_en : NULL;
}

int hf_programme_kind_parse(const char *s, hf_programme_kind *out)
{
	int k;

	for (k = 0; s && k < HF_PROG_KIND_COUNT; k++)
		if (!strcmp(s, kinds[k].slug) || !strcmp(s, kinds[k].slug_en)) {
			*out = (hf_programme_kind)k;
			return HF_OK;
		}
	return HF_EINVAL;
}

hf_category hf_programme_kind_category(hf_programme_kind k)
{
	return (unsigned)k < HF_PROG_KIND_COUNT ? kinds[k].category
						: HF_CAT_REGULAR;
}

void hf_programme_init(hf_programme *p)
{
	memset(p, 0, sizeof *p);
	p->period.from = p->period.to = HF_DATE_NONE;
	p->category = HF_CAT_BUND;
}

void hf_programme_clear(hf_programme *p)
{
	free(p->shares);
	p->shares = NULL;
	p->nshares = 0;
}

static const struct {
	const char *slug, *slug_en;
} states[HF_PLEDGE_STATUS_COUNT] = {
    [HF_PLEDGE_PENDING] = {"vorgemerkt", "pending"},
    [HF_PLEDGE_PLEDGED] = {"zugesagt", "pledged"},
    [HF_PLEDGE_WITHDRAWN] = {"zurueckgezogen", "withdrawn"},
};

const char *hf_pledge_status_slug(hf_pledge_status s)
{
	return (unsigned)s < HF_PLEDGE_STATUS_COUNT ? states[s].slug : NULL;
}

const char *hf_pledge_status_slug_en(hf_pledge_status s)
{
	return (unsigned)s < HF_PLEDGE_STATUS_COUNT ? states[s].slug_en : NULL;
}

int hf_pledge_status_parse(const char *s, hf_pledge_status *out)
{
	int i;

	if (!s)
		return HF_EINVAL;
	if (!strcmp(s, "offen") || !strcmp(s, "open")) {
		*out = HF_PLEDGE_PENDING;
		return HF_OK;
	}
	for (i = 0; i < HF_PLEDGE_STATUS_COUNT; i++)
		if (!strcmp(s, states[i].slug) ||
		    !strcmp(s, states[i].slug_en)) {
			*out = (hf_pledge_status)i;
			return HF_OK;
		}
	return HF_EINVAL;
}

/*
 * match_alloc.c: allocate mode, the quota-deficit rule of allocate.c run
 * on a match instance so that the modes can be compared on one batch.
 * Households go one by one in file order; a unit is eligible when it
 * offers the household's needs and has room in every named dimension;
 * allocate.c itself holds the persons capacity (min(capacity, max)).
 * Shares are the units' share, or proportional to max where none is set.
 */
#include <stdlib.h>
#include <string.h>

#include "hafen/allocate.h"
#include "match_int.h"

int hf__match_allocate(const hf_match_instance *in, const hf__match_allow *a,
		       hf_match_result *r, hf_error *err)
{
	hf_alloc_unit *u = calloc(in->m + 1, sizeof *u);
	size_t words = HF_ALLOC_WORDS(in->m), i, j, d;
	uint64_t *bits = calloc(words + 1, sizeof *bits);
	int64_t *load = calloc(in->m * in->ndims + 1, sizeof *load);
	long long summax = 0;
	int given = 0, rc = HF_OK;
	hf_alloc *al = NULL;

	if (!u || !bits || !load) {
		rc = hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
				  "Out of memory.");
		goto out;
	}
	for (j = 0; j < in->m; j++) {
		summax += in->units[j].max;
		given |= !hf_rat_is_zero(in->units[j].share);
	}
	for (j = 0; j < in->m; j++) {
		u[j].credited = hf_rat_int(0);
		u[j].capacity = hf__match_upper(&in->units[j]);
		if (given)
			u[j].share = in->units[j].share;
		else if ((rc = hf_rat_make(in->units[j].max,
					   summax ? summax : 1, &u[j].share)) <
			 0)
			goto out;
	}
	if (!given && !summax && in->m)
		u[0].share = hf_rat_int(1);
	if (!in->m) {
		/* nowhere to go: every household stays unassigned */
		hf__match_result_finish(in, a, r, 1);
		goto out;
	}
	if ((rc = hf_alloc_new(HF_ALLOC_ABSOLUTE, u, in->m, &al, err)) < 0)
		goto out;
	for (i = 0; i < in->n; i++) {
		const uint64_t *row = hf__match_row(a, i);
		hf_alloc_household h;
		hf_alloc_result res;
		memset(bits, 0, words * sizeof *bits);
		for (j = 0; j < in->m; j++) {
			if (!hf__match_ok(row, j))
				continue;
			for (d = 1; d < in->ndims; d++)
				if (load[j * in->ndims + d] + in->hh[i].use[d] >
				    in->units[j].cap[d])
					break;
			if (d == in->ndims)
				hf_alloc_eligible_set(bits, j);
		}
		h.persons = in->hh[i].persons;
		h.eligible = bits;
		if ((rc = hf_alloc_batch(al, &h, 1, &res, NULL, err)) < 0)
			goto out;
		r->unit[i] = res.unit;
		if (res.unit >= 0) {
			for (d = 0; d < in->ndims; d++)
				load[(size_t)res.unit * in->ndims + d] +=
				    in->hh[i].use[d];
			r->why[i] = HF_MATCH_WHY_DEFICIT;
		}
	}
	hf__match_result_finish(in, a, r, 1);
out:
	hf_alloc_free(al);
	free(u);
	free(bits);
	free(load);
	return rc;
}

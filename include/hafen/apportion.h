/*
 * hafen/apportion.h: rounding exact quotas to whole persons.
 *
 * Shares and quotas are exact rationals; whole persons come only from one of
 * these named methods, which always hand out exactly `total`.
 *
 * Tie-breaking, the same for all methods and part of hafen's documented
 * behaviour: where two units have an equal claim to the next person, the
 * one with the larger weight gets it; where weights are equal too, the one
 * that comes first in the input (hafen passes units in code order).
 */
#ifndef HAFEN_APPORTION_H
#define HAFEN_APPORTION_H

#include <stddef.h>
#include <stdint.h>

#include "hafen/error.h"
#include "hafen/rat.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hf_apportion_method {
	HF_APPORTION_HARE_NIEMEYER, /* largest remainder ("hare-niemeyer") */
	HF_APPORTION_DHONDT,        /* divisors 1, 2, 3, ... ("dhondt") */
	HF_APPORTION_SAINTE_LAGUE,  /* divisors 1, 3, 5, ... ("sainte-lague") */
	HF_APPORTION_COUNT
} hf_apportion_method;

const char *hf_apportion_slug(hf_apportion_method m);
/* "Hare-Niemeyer (größte Reste)", ... */
const char *hf_apportion_name(hf_apportion_method m, hf_lang lang);
/* Accepts the slug and aliases ("largest-remainder", "hamilton",
 * "jefferson", "webster", "saint-lague"). HF_EINVAL if unknown. */
int hf_apportion_parse(const char *s, hf_apportion_method *out);

/*
 * Distributes total (>= 0) whole units over n claimants in proportion to
 * weights (>= 0, not all zero unless total is 0) and writes the counts to
 * out. The counts sum to total. HF_EINVAL for negative input.
 */
int hf_apportion(hf_apportion_method m, const hf_rat *weights, size_t n,
		 int64_t total, int64_t *out, hf_error *err);

#ifdef __cplusplus
}
#endif
#endif

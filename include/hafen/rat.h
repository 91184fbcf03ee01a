/*
 * hafen/rat.h: exact rational numbers for shares and quotas.
 *
 * An hf_rat is always normalised: den > 0 and gcd(|num|, den) == 1, so two
 * equal values have equal fields. Arithmetic is done in 128 bits and the
 * result must fit in 64 bits again; where it does not, the call returns
 * HF_EOVERFLOW and leaves *out unchanged. No floating point anywhere.
 *
 *     hf_rat share;
 *     hf_rat_parse_decimal("3.38791", &share);    // 338791/100000
 *     hf_rat_div(share, hf_rat_int(100), &share); // percent to fraction
 */
#ifndef HAFEN_RAT_H
#define HAFEN_RAT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hf_rat {
	int64_t num;
	int64_t den; /* > 0 */
} hf_rat;

static inline hf_rat hf_rat_int(int64_t n)
{
	hf_rat r = {n, 1};
	return r;
}

/* num/den normalised; HF_EINVAL for den == 0, HF_EOVERFLOW if the
 * normalised value does not fit (only INT64_MIN cases). */
int hf_rat_make(int64_t num, int64_t den, hf_rat *out);
int hf_rat_add(hf_rat a, hf_rat b, hf_rat *out);
int hf_rat_sub(hf_rat a, hf_rat b, hf_rat *out);
int hf_rat_mul(hf_rat a, hf_rat b, hf_rat *out);
/* HF_EINVAL when b is zero. */
int hf_rat_div(hf_rat a, hf_rat b, hf_rat *out);
/* -1, 0 or 1; exact for every pair of valid values. */
int hf_rat_cmp(hf_rat a, hf_rat b);
static inline int hf_rat_is_zero(hf_rat a) { return a.num == 0; }
/* Largest integer <= a, and smallest integer >= a. */
int64_t hf_rat_floor(hf_rat a);
int64_t hf_rat_ceil(hf_rat a);

/*
 * Parses a decimal number exactly: optional sign, digits, optional decimal
 * point or comma with digits ("12.97496", "-3", "0,5"). No exponent, no
 * thousands separators, no spaces. HF_EPARSE for anything else,
 * HF_EOVERFLOW when it does not fit.
 */
int hf_rat_parse_decimal(const char *s, hf_rat *out);
/* Parses a whole number: optional sign and digits only ("12", "-3"), no
 * spaces or other characters. HF_EPARSE or HF_EOVERFLOW. */
int hf_int_parse(const char *s, int64_t *out);
/* Parses "num/den" or a decimal. */
int hf_rat_parse(const char *s, hf_rat *out);

/*
 * Writes a rounded to places decimals (half away from zero) into buf, with
 * decimal point sep ('.' or ','). Returns the length written, or
 * HF_ERANGE when buf is too small. 40 bytes always suffice.
 */
int hf_rat_format_decimal(hf_rat a, int places, char sep, char *buf,
			  size_t size);
/* Writes "num/den", or "num" when den is 1. Same return as above. */
int hf_rat_format(hf_rat a, char *buf, size_t size);

/* Rounded to places decimals (half away from zero) as a scaled integer:
 * 1/3 with places 2 gives 33. HF_EOVERFLOW where it does not fit. */
int hf_rat_round_scaled(hf_rat a, int places, int64_t *out);

#ifdef __cplusplus
}
#endif
#endif

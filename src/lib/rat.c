/* rat.c: exact rationals, 64-bit fields with 128-bit intermediates. */
#include "hafen/rat.h"

#include "hafen/error.h"

#include <stdio.h>
#include <string.h>

typedef __int128 i128;
typedef unsigned __int128 u128;

static u128 gcd128(u128 a, u128 b)
{
	while (b) {
		u128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Normalises num/den given in 128 bits and narrows to 64 bits. */
static int narrow(i128 num, i128 den, hf_rat *out)
{
	u128 an, ad, g;
	int neg;

	if (den == 0)
		return HF_EINVAL;
	neg = (num < 0) != (den < 0);
	an = num < 0 ? (u128)0 - (u128)num : (u128)num;
	ad = den < 0 ? (u128)0 - (u128)den : (u128)den;
	if (an == 0) {
		out->num = 0;
		out->den = 1;
		return HF_OK;
	}
	g = gcd128(an, ad);
	an /= g;
	ad /= g;
	if (an > (u128)INT64_MAX || ad > (u128)INT64_MAX)
		return HF_EOVERFLOW;
	out->num = neg ? -(int64_t)an : (int64_t)an;
	out->den = (int64_t)ad;
	return HF_OK;
}

int hf_rat_make(int64_t num, int64_t den, hf_rat *out)
{
	return narrow(num, den, out);
}

/* a/b + c/d = (a*(d/g) + c*(b/g)) / (b/g*d) with g = gcd(b, d); the
 * reduction keeps intermediates small where denominators share factors. */
int hf_rat_add(hf_rat a, hf_rat b, hf_rat *out)
{
	u128 g = gcd128((u128)a.den, (u128)b.den);
	i128 bd = (i128)(b.den / (int64_t)g);
	i128 ad = (i128)(a.den / (int64_t)g);
	i128 x = (i128)a.num * bd;
	i128 y = (i128)b.num * ad;
	i128 s = x + y; /* |x|,|y| < 2^126: no overflow */
	return narrow(s, ad * (i128)b.den, out);
}

int hf_rat_sub(hf_rat a, hf_rat b, hf_rat *out)
{
	if (b.num == INT64_MIN)
		return HF_EOVERFLOW;
	b.num = -b.num;
	return hf_rat_add(a, b, out);
}

int hf_rat_mul(hf_rat a, hf_rat b, hf_rat *out)
{
	return narrow((i128)a.num * b.num, (i128)a.den * b.den, out);
}

int hf_rat_div(hf_rat a, hf_rat b, hf_rat *out)
{
	if (b.num == 0)
		return HF_EINVAL;
	return narrow((i128)a.num * b.den, (i128)a.den * b.num, out);
}

int hf_rat_cmp(hf_rat a, hf_rat b)
{
	i128 l = (i128)a.num * b.den, r = (i128)b.num * a.den;
	return (l > r) - (l < r);
}

int64_t hf_rat_floor(hf_rat a)
{
	int64_t q = a.num / a.den;
	if (a.num % a.den != 0 && a.num < 0)
		q--;
	return q;
}

int64_t hf_rat_ceil(hf_rat a)
{
	int64_t q = a.num / a.den;
	if (a.num % a.den != 0 && a.num > 0)
		q++;
	return q;
}

int hf_rat_parse_decimal(const char *s, hf_rat *out)
{
	i128 num = 0, den = 1;
	int neg = 0, digits = 0, frac = 0;
	const i128 lim = (i128)INT64_MAX;

	if (!s)
		return HF_EPARSE;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			num = num * 10 + (*s - '0');
			if (frac)
				den *= 10;
			if (num > lim || den > lim)
				return HF_EOVERFLOW;
			digits++;
		} else if ((*s == '.' || *s == ',') && !frac) {
			if (!digits)
				return HF_EPARSE;
			frac = 1;
			if (!s[1])
				return HF_EPARSE;
		} else {
			return HF_EPARSE;
		}
	}
	if (!digits)
		return HF_EPARSE;
	return narrow(neg ? -num : num, den, out);
}

int hf_int_parse(const char *s, int64_t *out)
{
	hf_rat r;
	int rc;
	if (s && (strchr(s, '.') || strchr(s, ',')))
		return HF_EPARSE;
	if ((rc = hf_rat_parse_decimal(s, &r)) < 0)
		return rc;
	*out = r.num;
	return HF_OK;
}

int hf_rat_parse(const char *s, hf_rat *out)
{
	const char *slash = s ? strchr(s, '/') : NULL;
	hf_rat n, d;
	char buf[64];
	size_t len;
	int rc;

	if (!slash)
		return hf_rat_parse_decimal(s, out);
	len = (size_t)(slash - s);
	if (len == 0 || len >= sizeof buf)
		return HF_EPARSE;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strchr(buf, '.') || strchr(buf, ',') || strchr(slash + 1, '.') ||
	    strchr(slash + 1, ','))
		return HF_EPARSE;
	if ((rc = hf_rat_parse_decimal(buf, &n)) < 0 ||
	    (rc = hf_rat_parse_decimal(slash + 1, &d)) < 0)
		return rc;
	if (d.num == 0)
		return HF_EINVAL;
	return hf_rat_div(n, d, out);
}

static int pow10_128(int places, i128 *out)
{
	i128 p = 1;
	if (places < 0 || places > 36)
		return HF_ERANGE;
	while (places-- > 0)
		p *= 10;
	*out = p;
	return HF_OK;
}

/* |a| * 10^places rounded half up, as an unsigned 128-bit value. */
static int scaled_abs(hf_rat a, int places, u128 *out)
{
	i128 p;
	u128 n, q, r, d = (u128)a.den;
	int rc = pow10_128(places, &p);
	if (rc < 0)
		return rc;
	/* value = (q + r/d) * p = q*p + r*p/d with q, r, d < 2^63 and
	 * p <= 10^19 < 2^64: every product fits in 128 bits. */
	if (places > 19)
		return HF_ERANGE;
	n = a.num < 0 ? (u128)0 - (u128)(i128)a.num : (u128)a.num;
	q = n / d;
	r = n % d;
	{
		u128 rp = r * (u128)p;
		u128 fq = rp / d, fr = rp % d;
		u128 v = q * (u128)p + fq;
		if (fr * 2 >= d)
			v++;
		*out = v;
	}
	return HF_OK;
}

int hf_rat_round_scaled(hf_rat a, int places, int64_t *out)
{
	u128 v;
	int rc = scaled_abs(a, places, &v);
	if (rc < 0)
		return rc;
	if (v > (u128)INT64_MAX)
		return HF_EOVERFLOW;
	*out = a.num < 0 ? -(int64_t)v : (int64_t)v;
	return HF_OK;
}

int hf_rat_format_decimal(hf_rat a, int places, char sep, char *buf,
			  size_t size)
{
	char digits[64];
	int nd = 0, pos = 0, i;
	u128 v;
	int rc = scaled_abs(a, places, &v);

	if (rc < 0)
		return rc;
	do {
		digits[nd++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	while (nd <= places)
		digits[nd++] = '0';
	/* sign only for a value that does not round to zero */
	if (size < (size_t)nd + 3)
		return HF_ERANGE;
	if (a.num < 0) {
		for (i = 0; i < nd && digits[i] == '0'; i++)
			;
		if (i < nd)
			buf[pos++] = '-';
	}
	for (i = nd - 1; i >= 0; i--) {
		buf[pos++] = digits[i];
		if (i == places && places > 0)
			buf[pos++] = sep;
	}
	buf[pos] = '\0';
	return pos;
}

int hf_rat_format(hf_rat a, char *buf, size_t size)
{
	int n;
	if (a.den == 1)
		n = snprintf(buf, size, "%lld", (long long)a.num);
	else
		n = snprintf(buf, size, "%lld/%lld", (long long)a.num,
			     (long long)a.den);
	if (n < 0 || (size_t)n >= size)
		return HF_ERANGE;
	return n;
}

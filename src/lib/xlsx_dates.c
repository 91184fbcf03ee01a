/*
 * xlsx_dates.c: Excel's dates as ISO text. A date cell holds a serial
 * number of days, in the 1900 system (with Excel's invented 1900-02-29)
 * or the 1904 system; the conversion works on the decimal digits as
 * stored, never through a double, so a time of day rounds to the second
 * the way the text says.
 */
#include "xlsx_int.h"

#include <stdio.h>
#include <string.h>

#include "hafen/date.h"

/* ---- Excel serial dates ---- */

typedef struct digits {
	const char *i, *f; /* integer and fraction digits of the mantissa */
	long ni, nf;
} digits;

static int digit_at(const digits *d, long k)
{
	if (k < 0)
		return 0;
	if (k < d->ni)
		return d->i[k] - '0';
	if (k - d->ni < d->nf)
		return d->f[k - d->ni] - '0';
	return 0;
}

/* The non-negative decimal text t as whole days and seconds of the day
 * (rounded), exactly from its digits. -1 if negative or huge. */
static int serial_split(const char *t, long *days, long *secs)
{
	digits d = {NULL, NULL, 0, 0};
	long e = 0, p, k;
	unsigned long long frac = 0, v = 0;
	int eneg = 0;

	if (*t == '+')
		t++;
	d.i = t;
	while (*t >= '0' && *t <= '9')
		t++;
	d.ni = t - d.i;
	if (*t == '.') {
		d.f = ++t;
		while (*t >= '0' && *t <= '9')
			t++;
		d.nf = t - d.f;
	}
	if (*t == 'e' || *t == 'E') {
		t++;
		if (*t == '+' || *t == '-')
			eneg = *t++ == '-';
		for (; *t >= '0' && *t <= '9'; t++)
			if ((e = e * 10 + (*t - '0')) > 1000)
				return -1;
	}
	if (*t || (!d.ni && !d.nf))
		return -1;
	p = d.ni + (eneg ? -e : e); /* digits before the point */
	for (k = 0; k < p; k++)
		if ((v = v * 10 + (unsigned long long)digit_at(&d, k)) >
		    100000000ULL)
			return -1;
	for (k = p; k < p + 12; k++)
		frac = frac * 10 + (unsigned long long)digit_at(&d, k);
	*secs = (long)((frac * 86400ULL + 500000000000ULL) / 1000000000000ULL);
	*days = (long)v;
	if (*secs >= 86400) {
		*secs -= 86400;
		++*days;
	}
	return 0;
}

/* Writes the ISO date of serial text t into buf; -1 when it is no real
 * date (serial 60 of the 1900 system, negative, past 9999). */
int hf__xlsx_serial_to_iso(const char *t, int date1904, char *buf, size_t size)
{
	long days, secs;
	int y, m, dd;
	hf_date base;

	if (serial_split(t, &days, &secs) < 0)
		return -1;
	if (date1904)
		base = -24107; /* 1904-01-01 is serial 0 */
	else if (days == 60)
		return -1; /* 1900-02-29, which never was */
	else
		/* serial 1 is 1900-01-01; from 61 on Excel's count is one
		 * ahead for the day 1900-02-29 it invented */
		base = days < 60 ? -25568 : -25569;
	if (days > 3000000)
		return -1;
	hf_date_split((hf_date)(base + days), &y, &m, &dd);
	if (y > 9999)
		return -1;
	if (secs)
		snprintf(buf, size, "%04d-%02d-%02dT%02ld:%02ld:%02ld", y, m,
			 dd, secs / 3600, secs / 60 % 60, secs % 60);
	else
		snprintf(buf, size, "%04d-%02d-%02d", y, m, dd);
	return 0;
}

static int ndigits(const char *s, int n)
{
	int i;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0, i;
	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* A cell of type "d": ISO 8601 text, normalised to the reader's form. */
int hf__xlsx_iso_normalise(const char *t, char *buf, size_t size)
{
	int y, m, d, hh = 0, mi = 0, ss = 0;
	hf_date dummy;

	if (strlen(t) < 10 || !ndigits(t, 4) || t[4] != '-' ||
	    !ndigits(t + 5, 2) || t[7] != '-' || !ndigits(t + 8, 2))
		return -1;
	y = num(t, 4);
	m = num(t + 5, 2);
	d = num(t + 8, 2);
	if (hf_date_make(y, m, d, &dummy) != HF_OK)
		return -1;
	t += 10;
	if (*t == 'T' || *t == ' ') {
		t++;
		if (!ndigits(t, 2) || t[2] != ':' || !ndigits(t + 3, 2))
			return -1;
		hh = num(t, 2);
		mi = num(t + 3, 2);
		t += 5;
		if (*t == ':') {
			if (!ndigits(t + 1, 2))
				return -1;
			ss = num(t + 1, 2);
			t += 3;
			if (*t == '.')
				for (t++; *t >= '0' && *t <= '9'; t++)
					;
		}
		if (*t == 'Z')
			t++;
		if (hh > 23 || mi > 59 || ss > 59)
			return -1;
	}
	if (*t)
		return -1;
	if (hh || mi || ss)
		snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
			 hh, mi, ss);
	else
		snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
	return 0;
}

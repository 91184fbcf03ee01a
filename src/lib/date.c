/* date.c: civil dates as day numbers (Howard Hinnant's algorithms). */
#include "hafen/date.h"

#include "hafen/error.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30,
				  31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

int hf_date_make(int y, int m, int d, hf_date *out)
{
	int era, yoe, doy, doe;

	if (y < 1900 || y > 9999)
		return HF_ERANGE;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return HF_EINVAL;
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = era * 146097 + doe - 719468;
	return HF_OK;
}

void hf_date_split(hf_date z, int *year, int *month, int *day)
{
	int era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	*year = y + (m <= 2);
	*month = m;
	*day = d;
}

int hf_date_year(hf_date d)
{
	int y, m, dd;
	hf_date_split(d, &y, &m, &dd);
	return y;
}

/* Reads exactly n digits. */
static int digits(const char *s, int n, int *out)
{
	int v = 0, i;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int hf_date_parse(const char *s, hf_date *out)
{
	int y, m, d;
	size_t len = s ? strlen(s) : 0;

	if (len == 10 && s[4] == '-' && s[7] == '-') {
		if (digits(s, 4, &y) || digits(s + 5, 2, &m) ||
		    digits(s + 8, 2, &d))
			return HF_EPARSE;
	} else if (len == 10 && s[2] == '.' && s[5] == '.') {
		if (digits(s, 2, &d) || digits(s + 3, 2, &m) ||
		    digits(s + 6, 4, &y))
			return HF_EPARSE;
	} else {
		return HF_EPARSE;
	}
	return hf_date_make(y, m, d, out);
}

static void put(char *p, int v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void hf_date_format(hf_date dt, char buf[11])
{
	int y, m, d;
	hf_date_split(dt, &y, &m, &d);
	put(buf, y, 4);
	buf[4] = '-';
	put(buf + 5, m, 2);
	buf[7] = '-';
	put(buf + 8, d, 2);
	buf[10] = '\0';
}

void hf_date_format_de(hf_date dt, char buf[11])
{
	int y, m, d;
	hf_date_split(dt, &y, &m, &d);
	put(buf, d, 2);
	buf[2] = '.';
	put(buf + 3, m, 2);
	buf[5] = '.';
	put(buf + 6, y, 4);
	buf[10] = '\0';
}

static int span(int y, int m0, int m1, hf_period *out)
{
	int rc;
	if ((rc = hf_date_make(y, m0, 1, &out->from)) < 0)
		return rc;
	return hf_date_make(y, m1, days_in_month(y, m1), &out->to);
}

int hf_period_parse(const char *s, hf_period *out)
{
	const char *dots = s ? strstr(s, "..") : NULL;
	size_t len = s ? strlen(s) : 0;
	int y, m, rc;

	if (dots) {
		char a[16];
		size_t al = (size_t)(dots - s);
		hf_period p;
		if (al >= sizeof a)
			return HF_EPARSE;
		memcpy(a, s, al);
		a[al] = '\0';
		if ((rc = hf_date_parse(a, &p.from)) < 0 ||
		    (rc = hf_date_parse(dots + 2, &p.to)) < 0)
			return rc;
		if (p.to < p.from)
			return HF_EINVAL;
		*out = p;
		return HF_OK;
	}
	if (len < 4 || digits(s, 4, &y))
		return HF_EPARSE;
	if (len == 4)
		return span(y, 1, 12, out);
	if (len == 7 && s[4] == '-' && s[5] == 'H' && (s[6] == '1' || s[6] == '2'))
		return s[6] == '1' ? span(y, 1, 6, out) : span(y, 7, 12, out);
	if (len == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') {
		int q = s[6] - '0';
		return span(y, 3 * q - 2, 3 * q, out);
	}
	if (len == 7 && s[4] == '-' && !digits(s + 5, 2, &m)) {
		if (m < 1 || m > 12)
			return HF_EINVAL;
		return span(y, m, m, out);
	}
	return HF_EPARSE;
}

void hf_period_format(hf_period p, char buf[32])
{
	int y0, m0, d0, y1, m1, d1;
	hf_date_split(p.from, &y0, &m0, &d0);
	hf_date_split(p.to, &y1, &m1, &d1);
	if (y0 == y1 && d0 == 1 && d1 == days_in_month(y1, m1)) {
		if (m0 == 1 && m1 == 12) {
			snprintf(buf, 32, "%04d", y0);
			return;
		}
		if (m0 == m1) {
			snprintf(buf, 32, "%04d-%02d", y0, m0);
			return;
		}
		if (m1 - m0 == 5 && (m0 == 1 || m0 == 7)) {
			snprintf(buf, 32, "%04d-H%d", y0, m0 == 1 ? 1 : 2);
			return;
		}
		if (m1 - m0 == 2 && m0 % 3 == 1) {
			snprintf(buf, 32, "%04d-Q%d", y0, (m0 + 2) / 3);
			return;
		}
	}
	{
		char a[11], b[11];
		hf_date_format(p.from, a);
		hf_date_format(p.to, b);
		snprintf(buf, 32, "%s..%s", a, b);
	}
}

hf_date hf_date_of_time(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	hf_date d;

	if (!gmtime_r(&tt, &tm) ||
	    hf_date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &d) < 0)
		return HF_DATE_NONE;
	return d;
}

/*
 * hafen/date.h: calendar dates and periods.
 *
 * A date is the number of days since 1970-01-01 in the proleptic Gregorian
 * calendar, so dates compare and subtract as integers. A period is a closed
 * range of dates [from, to].
 */
#ifndef HAFEN_DATE_H
#define HAFEN_DATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t hf_date;

/* No date: an open end of a validity period. */
#define HF_DATE_NONE INT32_MIN

typedef struct hf_period {
	hf_date from; /* first day */
	hf_date to;   /* last day, inclusive */
} hf_period;

/* HF_EINVAL for an impossible date (2023-02-30), HF_ERANGE outside
 * the years 1900 to 9999. */
int hf_date_make(int year, int month, int day, hf_date *out);
void hf_date_split(hf_date d, int *year, int *month, int *day);
/* The day (UTC) of Unix time t ("today" for the time now); HF_DATE_NONE
 * outside the years 1900 to 9999. */
hf_date hf_date_of_time(int64_t t);

/* Parses "YYYY-MM-DD" or "DD.MM.YYYY". HF_EPARSE for a malformed string,
 * HF_EINVAL for an impossible date. */
int hf_date_parse(const char *s, hf_date *out);
/* Writes "YYYY-MM-DD" (11 bytes with the terminator). */
void hf_date_format(hf_date d, char buf[11]);
/* Writes "DD.MM.YYYY" (11 bytes with the terminator). */
void hf_date_format_de(hf_date d, char buf[11]);

/*
 * Parses a period: "2023" (the calendar year), "2023-05" (a month),
 * "2023-H1"/"2023-H2" (half years), "2023-Q1".."2023-Q4", or
 * "FROM..TO" with two dates. HF_EPARSE or HF_EINVAL on bad input.
 */
int hf_period_parse(const char *s, hf_period *out);
/* Writes the period in the shortest of the forms above that is exact. */
void hf_period_format(hf_period p, char buf[32]);
/* The calendar year of the date. */
int hf_date_year(hf_date d);

#ifdef __cplusplus
}
#endif
#endif

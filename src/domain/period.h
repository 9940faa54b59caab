/*
 * Calendar periods of obligations ("at least N records per quarter").  A
 * period is a year, a half, a quarter, a month or an ISO 8601 week of an
 * obligation year, always in China time (UTC+08:00): dates are the calendar
 * dates people see, so no other zone ever enters.
 *
 * Each period has a key, the exact string the API contract uses for it:
 *
 *   year     2023          half   2023-H1 .. 2023-H2
 *   quarter  2023-Q1 .. Q4 month  2023-01 .. 2023-12
 *   week     2023-W01 .. 2023-W52 (W53 in years that have one)
 *
 * Weeks follow ISO 8601: they start on Monday, and week 1 of a year is the
 * week holding that year's first Thursday.  A week belongs to the obligation
 * year that holds its Thursday, and to no other.  So 2024-12-30 (a Monday)
 * opens 2025-W01: a record that day counts toward a weekly obligation of
 * 2025, yet toward the year, half, quarter and month of 2024.  Choosing the
 * Thursday keeps every week whole (none is cut in two at New Year), gives
 * each year 52 or 53 whole weeks, and matches what ISO calendars, Excel's
 * ISOWEEKNUM and PostgreSQL's "IYYY-IW" print.
 *
 * Days are handled as day numbers: whole days since 1970-01-01, negative
 * before it.  Weekday, interval and elapsed-days arithmetic is then plain
 * integer arithmetic; conversions to and from "YYYY-MM-DD" go through
 * core/ztime.h.  Years run from PERIOD_YEAR_MIN to PERIOD_YEAR_MAX, the
 * range date_valid() accepts.
 */
#ifndef ZRZ_DOMAIN_PERIOD_H
#define ZRZ_DOMAIN_PERIOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum period_kind {
	PERIOD_YEAR,
	PERIOD_HALF,
	PERIOD_QUARTER,
	PERIOD_MONTH,
	PERIOD_WEEK,
};

#define PERIOD_KIND_COUNT 5

#define PERIOD_YEAR_MIN 1900
#define PERIOD_YEAR_MAX 2999

/* Day numbers of 1900-01-01 and 2999-12-31, the dates date_valid() accepts. */
#define PERIOD_DAY_MIN (-25567)
#define PERIOD_DAY_MAX 376199

/* The most periods of one kind in a year: 53 ISO weeks. */
#define PERIOD_MAX_PER_YEAR 53

/* Buffer sizes, NUL included: "2023-W14", "2023-07-31", "2023年第14周". */
#define PERIOD_KEY_SIZE   9
#define PERIOD_DATE_SIZE  11
#define PERIOD_LABEL_SIZE 32

/*
 * One period.  year is the obligation year (for weeks the ISO week-numbering
 * year, which differs from the calendar year of the week's Monday in early
 * January and late December).  index counts from 1: always 1 for a year,
 * 1..2 for halves, 1..4 for quarters, 1..12 for months, 1..52 or 1..53 for
 * weeks.
 */
struct period {
	enum period_kind kind;
	int year;
	int index;
};

/*
 * Parse a kind code, "year", "half", "quarter", "month" or "week", exactly
 * (lower case, nothing around it).  Returns ZRZ_OK or ZRZ_EINVAL, leaving
 * *out untouched on error.
 */
int period_kind_parse(const char *code, enum period_kind *out);

/* The code of kind k ("quarter"), or NULL for a value outside the enum.  Static. */
const char *period_kind_code(enum period_kind k);

/* The Chinese label of kind k: 全年, 半年, 季度, 月, 周; NULL outside the enum.  Static. */
const char *period_kind_label(enum period_kind k);

/* How many periods of kind k year y has (1, 2, 4, 12, 52 or 53), or ZRZ_EINVAL. */
int period_count(enum period_kind k, int year);

/* 53 when ISO year y has a week 53, 52 otherwise (also for years out of range). */
int period_weeks_in_year(int year);

/* True when p names a real period: known kind, year in range, index in range. */
bool period_valid(const struct period *p);

/*
 * Parse a period key such as "2023-Q3"; the shape of the key gives the kind.
 * The key must be exactly one of the forms above: four-digit year in range,
 * two-digit month and week numbers, upper-case H, Q and W, nothing before or
 * after.  "2023-W53" is refused because 2023 has only 52 weeks.  Returns
 * ZRZ_OK or ZRZ_EINVAL, leaving *out untouched on error.
 */
int period_parse(const char *key, struct period *out);

/*
 * Write the key of p into out, which holds at least PERIOD_KEY_SIZE bytes.
 * Returns ZRZ_OK, or ZRZ_EINVAL (and an empty string) when p is not valid.
 */
int period_format(const struct period *p, char *out, size_t n);

/*
 * Write a Chinese name of p for people and spreadsheets: "2023年",
 * "2023年上半年", "2023年第3季度", "2023年7月", "2023年第14周".  out holds at
 * least PERIOD_LABEL_SIZE bytes.  Returns ZRZ_OK or ZRZ_EINVAL (empty string).
 */
int period_label(const struct period *p, char *out, size_t n);

/*
 * The first and last day numbers of p, both inclusive.  Either pointer may
 * be NULL.  Returns ZRZ_OK or ZRZ_EINVAL when p is not valid.
 */
int period_bounds(const struct period *p, int *first, int *last);

/*
 * The first and last days of p as "YYYY-MM-DD" (buffers of at least
 * PERIOD_DATE_SIZE bytes; either may be NULL).  Returns ZRZ_OK or
 * ZRZ_EINVAL when p is not valid.
 */
int period_dates(const struct period *p, char *first, char *last);

/*
 * The period of kind k that contains day number day.  For weeks the result's
 * year is the ISO year, so 2027-01-01 gives 2026-W53.  Returns ZRZ_OK, or
 * ZRZ_EINVAL when k is unknown or the period's year would fall outside
 * PERIOD_YEAR_MIN..PERIOD_YEAR_MAX (2999-12-31 opens 3000-W01).
 */
int period_containing(enum period_kind k, int day, struct period *out);

/*
 * Every period of kind k in obligation year `year`, in order, into out,
 * which has room for PERIOD_MAX_PER_YEAR periods; *n gets how many (1, 2, 4,
 * 12, 52 or 53).  Returns ZRZ_OK or ZRZ_EINVAL (unknown kind, year out of
 * range), in which case *n is 0.
 */
int period_list(enum period_kind k, int year, struct period *out, int *n);

/*
 * Days of p as of day number today: *total is the length of p in days and
 * *elapsed the days of p up to and including today, so 0 before p starts,
 * 1 on its first day and *total on its last day and after it.  Either
 * pointer may be NULL.  Returns ZRZ_OK or ZRZ_EINVAL when p is not valid.
 */
int period_progress(const struct period *p, int today, int *elapsed, int *total);

/*
 * The day number of date "YYYY-MM-DD" (a real date, year 1900..2999, exactly
 * ten characters).  Returns ZRZ_OK or ZRZ_EINVAL, leaving *day untouched.
 */
int period_day_parse(const char *date, int *day);

/* Write day number day as "YYYY-MM-DD" into out (at least PERIOD_DATE_SIZE bytes). */
void period_day_format(int day, char *out, size_t n);

/*
 * The day number of the calendar date in China at instant t (Unix seconds),
 * e.g. period_day_of_time(time_now()) is today.
 */
int period_day_of_time(int64_t t);

/* The ISO weekday of day number day: 1 for Monday .. 7 for Sunday. */
int period_weekday(int day);

#endif

/*
 * Time.  The server stores instants as Unix seconds (UTC) and shows them in
 * China Standard Time (Asia/Shanghai, UTC+08:00, no daylight saving since
 * 1991), as RFC 3339 with the offset.  Calendar dates (YYYY-MM-DD) are what
 * people choose and are kept as text.  The file is ztime.h so that it never
 * shadows the C library's <time.h>.
 */
#ifndef ZRZ_CORE_ZTIME_H
#define ZRZ_CORE_ZTIME_H

#include <stdbool.h>
#include <stdint.h>

#define ZRZ_TZ_OFFSET (8 * 3600)

/* Seconds since the epoch, UTC. */
int64_t time_now(void);

/* Monotonic microseconds, for measuring durations. */
int64_t time_mono_us(void);

/* "2026-11-30T08:04:31+08:00" into out (at least 26 bytes). */
void time_format_rfc3339(int64_t t, char *out, size_t n);

/* The calendar date in China of instant t, "YYYY-MM-DD" (11 bytes). */
void time_format_date(int64_t t, char *out, size_t n);

/*
 * Parse an RFC 3339 time with offset ("2026-01-02T03:04:05+08:00", "Z" ok)
 * or a bare date ("2026-01-02", read as 00:00 in China).  False when the
 * text is not exactly one of those or names an impossible date.
 */
bool time_parse(const char *s, int64_t *out);

/* True when s is exactly YYYY-MM-DD and a real calendar date. */
bool date_valid(const char *s);

/* Day number (days since 1970-01-01) of a proleptic Gregorian date, and
 * back.  No checking: the caller passes real dates. */
int64_t days_from_civil(int64_t y, int m, int d);
void civil_from_days(int64_t z, int *y, int *m, int *d);

/* Days in month m (1..12) of year y. */
int days_in_month(int y, int m);

#endif

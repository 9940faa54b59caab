/*
 * Festivals and commemorative days that plans name ("利用五一、五四、端午、
 * 七一、中秋、国庆等节庆"), and their dates in a given year: fixed Gregorian
 * days (元旦, 五一, 国庆 …), days of the Chinese lunar calendar (春节, 元宵,
 * 端午, 七夕, 中秋, 重阳, 腊八, 除夕) read from ICU's Chinese calendar, and
 * 清明, the day the sun reaches 15° of ecliptic longitude, computed here
 * (ICU does not expose the solar terms).
 *
 * Lunar festivals are those of the lunar year that begins (with 春节) in the
 * Gregorian year asked for.  All but 腊八 and 除夕 fall inside that Gregorian
 * year; 腊八 (12/8) and 除夕 (the day before the next 春节) usually fall in
 * January or February of the following one, which is why a date carries its
 * own year.  Dates are days in China (UTC+8).
 */
#ifndef ZRZ_DOMAIN_FESTIVAL_H
#define ZRZ_DOMAIN_FESTIVAL_H

#include <stdbool.h>
#include <stddef.h>

/* Years for which dates are given. */
#define FESTIVAL_YEAR_MIN 1900
#define FESTIVAL_YEAR_MAX 2100

enum festival_rule {
	FESTIVAL_FIXED,      /* month/day of the Gregorian calendar */
	FESTIVAL_LUNAR,      /* month/day of the Chinese calendar (never a leap month) */
	FESTIVAL_LUNAR_EVE,  /* the last day of the lunar year: the day before 春节 */
	FESTIVAL_SOLAR_TERM, /* the day the sun reaches `degrees` of longitude */
};

struct festival {
	const char *name;            /* canonical short name: 五一, 端午, 国庆 */
	const char *full_name;       /* 劳动节, 端午节, 国庆节 */
	const char *const *aliases;  /* every written form, NULL-terminated */
	enum festival_rule rule;
	int month, day;              /* FIXED: Gregorian; LUNAR: lunar month and day */
	int degrees;                 /* SOLAR_TERM: ecliptic longitude */
	bool numeric;                /* its short form is made of numerals (五一, 三八) */
};

struct festival_day {
	int year, month, day;
};

/* The table of known festivals, ended by an entry whose name is NULL. */
extern const struct festival festival_table[];

/*
 * The festival written exactly as s[0..n) (any alias: 端午, 端午节, 劳动节),
 * or NULL.  Static storage.
 */
const struct festival *festival_find(const char *s, size_t n);

/*
 * The longest alias of any festival that starts at s[0] (s holds n bytes);
 * *len gets its length in bytes.  NULL (and *len 0) when none does.  The
 * caller judges the context: "五四精神" starts with the alias 五四.
 */
const struct festival *festival_match(const char *s, size_t n, size_t *len);

/*
 * The date of festival f belonging to Gregorian year `year` (see above for
 * lunar festivals).  Returns ZRZ_OK, ZRZ_EINVAL for a year outside
 * FESTIVAL_YEAR_MIN..FESTIVAL_YEAR_MAX, or ZRZ_EINTERNAL when ICU fails.
 */
int festival_date(const struct festival *f, int year, struct festival_day *out);

/* festival_date for a name as festival_find reads it; ZRZ_ENOTFOUND if unknown. */
int festival_date_by_name(const char *name, int year, struct festival_day *out);

/*
 * The Gregorian date of lunar month lmonth (1-12, not a leap month), day
 * lday (1-30) in the lunar year that begins in Gregorian year `year`.
 * ZRZ_ENOTFOUND when that lunar month has no such day (a 29-day month has
 * no 30th).
 */
int festival_lunar_to_gregorian(int year, int lmonth, int lday, struct festival_day *out);

/*
 * The day in China (UTC+8) on which the sun's apparent ecliptic longitude
 * reaches `degrees` (0-359) within Gregorian year `year`: 15 is 清明, 0 the
 * March equinox (春分), 90 夏至.  Computed from a low-precision solar theory
 * (about 0.01°, a quarter of an hour), exact for the day except when the
 * moment falls within minutes of midnight.
 */
int festival_solar_term(int year, int degrees, struct festival_day *out);

/* Format d as YYYY-MM-DD into out (11 bytes). */
void festival_day_format(const struct festival_day *d, char out[11]);

#endif

/*
 * Festival dates.  Fixed festivals are table lookups.  Lunar ones come from
 * ICU's Chinese calendar (ucal with "@calendar=chinese"), set to midnight
 * UTC of successive Gregorian days with its zone UTC, so that each
 * Gregorian day reads as the Chinese date of that same day.  ICU gives the
 * numbering of the lunar months (which month is leap), but its lunar
 * theory is coarse: a new moon within minutes of midnight in China can
 * land on the wrong day (it puts 春节 2027 on February 7 and 春节 2030 on
 * February 2; the official calendar has February 6 and 3).  So the first
 * day of each month is taken from the new moon computed here by Meeus'
 * algorithm ("Astronomical Algorithms", ch. 49, good to well under a
 * minute), dated in China's time.  清明 and the other solar terms are
 * computed from the sun's apparent longitude (ch. 25) by Newton steps.  The
 * little trigonometry this needs is done here, so the library needs no libm.
 */
#include "core/common.h"

#include <unicode/ucal.h>
#include <unicode/utypes.h>

#include "domain/festival.h"

#define ALIASES(...) ((const char *const[]){__VA_ARGS__, NULL})

const struct festival festival_table[] = {
	{"元旦", "元旦", ALIASES("元旦节", "元旦"), FESTIVAL_FIXED, 1, 1, 0, false},
	{"春节", "春节", ALIASES("春节", "农历新年", "大年初一"), FESTIVAL_LUNAR, 1, 1, 0, false},
	{"元宵", "元宵节", ALIASES("元宵节", "元宵", "上元节"), FESTIVAL_LUNAR, 1, 15, 0, false},
	{"三八", "妇女节", ALIASES("三八国际妇女节", "三八妇女节", "国际妇女节", "三八节", "妇女节", "三八"),
	 FESTIVAL_FIXED, 3, 8, 0, true},
	{"植树节", "植树节", ALIASES("植树节"), FESTIVAL_FIXED, 3, 12, 0, false},
	{"清明", "清明节", ALIASES("清明节", "清明"), FESTIVAL_SOLAR_TERM, 0, 0, 15, false},
	{"国家安全教育日", "全民国家安全教育日",
	 ALIASES("全民国家安全教育日", "国家安全教育日"), FESTIVAL_FIXED, 4, 15, 0, false},
	{"五一", "劳动节", ALIASES("五一国际劳动节", "五一劳动节", "国际劳动节", "劳动节", "五一"),
	 FESTIVAL_FIXED, 5, 1, 0, true},
	{"五四", "青年节", ALIASES("五四青年节", "青年节", "五四"), FESTIVAL_FIXED, 5, 4, 0, true},
	{"六一", "儿童节", ALIASES("六一国际儿童节", "六一儿童节", "国际儿童节", "儿童节", "六一"),
	 FESTIVAL_FIXED, 6, 1, 0, true},
	{"端午", "端午节", ALIASES("端午节", "端午", "端阳节"), FESTIVAL_LUNAR, 5, 5, 0, false},
	{"七一", "建党节", ALIASES("七一建党节", "建党节", "七一"), FESTIVAL_FIXED, 7, 1, 0, true},
	{"八一", "建军节", ALIASES("八一建军节", "建军节", "八一"), FESTIVAL_FIXED, 8, 1, 0, true},
	{"七夕", "七夕节", ALIASES("七夕节", "七夕"), FESTIVAL_LUNAR, 7, 7, 0, false},
	{"抗战胜利纪念日", "中国人民抗日战争胜利纪念日",
	 ALIASES("中国人民抗日战争胜利纪念日", "抗日战争胜利纪念日", "抗战胜利纪念日"),
	 FESTIVAL_FIXED, 9, 3, 0, false},
	{"教师节", "教师节", ALIASES("教师节"), FESTIVAL_FIXED, 9, 10, 0, false},
	{"中秋", "中秋节", ALIASES("中秋节", "中秋"), FESTIVAL_LUNAR, 8, 15, 0, false},
	{"烈士纪念日", "烈士纪念日", ALIASES("烈士纪念日"), FESTIVAL_FIXED, 9, 30, 0, false},
	{"国庆", "国庆节", ALIASES("国庆节", "国庆"), FESTIVAL_FIXED, 10, 1, 0, false},
	{"重阳", "重阳节", ALIASES("重阳节", "重阳", "老人节"), FESTIVAL_LUNAR, 9, 9, 0, false},
	{"宪法日", "国家宪法日", ALIASES("国家宪法日", "宪法日"), FESTIVAL_FIXED, 12, 4, 0, false},
	{"国家公祭日", "南京大屠杀死难者国家公祭日", ALIASES("国家公祭日"), FESTIVAL_FIXED, 12, 13,
	 0, false},
	{"腊八", "腊八节", ALIASES("腊八节", "腊八"), FESTIVAL_LUNAR, 12, 8, 0, false},
	{"除夕", "除夕", ALIASES("除夕夜", "除夕", "大年三十"), FESTIVAL_LUNAR_EVE, 0, 0, 0, false},
	{NULL, NULL, NULL, FESTIVAL_FIXED, 0, 0, 0, false},
};

const struct festival *festival_find(const char *s, size_t n)
{
	for (const struct festival *f = festival_table; f->name; f++)
		for (const char *const *a = f->aliases; *a; a++)
			if (strlen(*a) == n && memcmp(*a, s, n) == 0)
				return f;
	return NULL;
}

const struct festival *festival_match(const char *s, size_t n, size_t *len)
{
	const struct festival *best = NULL;
	size_t best_len = 0;

	for (const struct festival *f = festival_table; f->name; f++) {
		for (const char *const *a = f->aliases; *a; a++) {
			size_t l = strlen(*a);
			if (l > best_len && l <= n && memcmp(*a, s, l) == 0) {
				best = f;
				best_len = l;
			}
		}
	}
	*len = best_len;
	return best;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date, and back: the usual
 * shift of the year to start in March, so that the leap day comes last,
 * and 400-year eras of 146097 days.
 */
static long days_from_civil(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long mp = m > 2 ? m - 3 : m + 9;
	long doy = (153 * mp + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, struct festival_day *out)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->year = (int)(yoe + era * 400 + (out->month <= 2));
}

static bool year_ok(int year)
{
	return year >= FESTIVAL_YEAR_MIN && year <= FESTIVAL_YEAR_MAX;
}

#define PI 3.14159265358979323846

static double floor_d(double x)
{
	double t = (double)(long long)x;

	return t > x ? t - 1.0 : t;
}

static double abs_d(double x)
{
	return x < 0 ? -x : x;
}

/* Reduce an angle in degrees to [0, 360). */
static double norm360(double x)
{
	return x - 360.0 * floor_d(x / 360.0);
}

/*
 * Sine of an angle in degrees: reduced to [-90, 90] by symmetry, then the
 * Taylor series to the 15th power, good to 1e-9 there.
 */
static double sin_deg(double deg)
{
	double x = norm360(deg), r, r2, term, sum;

	if (x > 180.0)
		x -= 360.0; /* (-180, 180] */
	if (x > 90.0)
		x = 180.0 - x;
	else if (x < -90.0)
		x = -180.0 - x;
	r = x * PI / 180.0;
	r2 = r * r;
	term = r;
	sum = r;
	for (int k = 1; k <= 7; k++) {
		term *= -r2 / ((2.0 * k) * (2.0 * k + 1.0));
		sum += term;
	}
	return sum;
}

/* Julian Day of 1970-01-01 00:00 UT. */
#define JD_EPOCH 2440587.5

/*
 * Terrestrial minus universal time, in seconds, from the polynomials of
 * Espenak and Meeus (good to a few seconds in the last century, a minute
 * or so by 2100, where it is a forecast).
 */
static double delta_t(double y)
{
	double t;

	if (y < 1920) {
		t = y - 1900;
		return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t -
		       0.000197 * t * t * t * t;
	}
	if (y < 1941) {
		t = y - 1920;
		return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
	}
	if (y < 1961) {
		t = y - 1950;
		return 29.07 + 0.407 * t - t * t / 233.0 + t * t * t / 2547.0;
	}
	if (y < 1986) {
		t = y - 1975;
		return 45.45 + 1.067 * t - t * t / 260.0 - t * t * t / 718.0;
	}
	if (y < 2005) {
		t = y - 2000;
		return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t +
		       0.000651814 * t * t * t * t + 0.00002373599 * t * t * t * t * t;
	}
	if (y < 2050) {
		t = y - 2000;
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	}
	t = (y - 1820) / 100.0;
	return -20.0 + 32.0 * t * t - 0.5628 * (2150 - y);
}

/*
 * China's civil time offset from UT in days: UTC+8 since 1929, the local
 * mean time of Beijing (116°25' E, 7 h 45 min 40 s) before, as the
 * official calendar computes it.
 */
static double china_offset(double jd_ut)
{
	return jd_ut >= JD_EPOCH - 14975.0 /* 1929-01-01 */ ? 8.0 / 24.0
							 : (7.0 + 45.0 / 60 + 40.0 / 3600) / 24.0;
}

/* The day number (since 1970) in China of a moment in Julian Ephemeris Days. */
static long china_day(double jde)
{
	double jd_ut, years;

	years = 2000.0 + (jde - 2451545.0) / 365.25;
	jd_ut = jde - delta_t(years) / 86400.0;
	return (long)floor_d(jd_ut + china_offset(jd_ut) - JD_EPOCH);
}

/*
 * The sun's apparent geocentric longitude, in degrees, at Julian Ephemeris
 * Day jde: mean longitude plus the equation of the centre, less aberration
 * and nutation in longitude.
 */
static double sun_longitude(double jde)
{
	double t = (jde - 2451545.0) / 36525.0;
	double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
	double m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
	double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin_deg(m) +
		   (0.019993 - 0.000101 * t) * sin_deg(2 * m) + 0.000289 * sin_deg(3 * m);
	double omega = 125.04 - 1934.136 * t;

	return norm360(l0 + c - 0.00569 - 0.00478 * sin_deg(omega));
}

/*
 * The moment (JDE) of new moon number k, counted from the one of January
 * 2000: the mean phase corrected by the periodic terms of the sun's and
 * moon's anomalies and the moon's argument of latitude, and by the small
 * planetary arguments (Meeus, ch. 49).  Good to well under a minute.
 */
static double new_moon(double k)
{
	static const double planetary[14][3] = {
		{299.77, 0.107408, 0.000325}, {251.88, 0.016321, 0.000165},
		{251.83, 26.651886, 0.000164}, {349.42, 36.412478, 0.000126},
		{84.66, 18.206239, 0.000110}, {141.74, 53.303771, 0.000062},
		{207.14, 2.453732, 0.000060}, {154.84, 7.306860, 0.000056},
		{34.52, 27.261239, 0.000047}, {207.19, 0.121824, 0.000042},
		{291.34, 1.844379, 0.000040}, {161.72, 24.198154, 0.000037},
		{239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023},
	};
	double t = k / 1236.85, t2 = t * t, t3 = t2 * t, t4 = t3 * t;
	double jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t2 - 0.000000150 * t3 +
		     0.00000000073 * t4;
	double e = 1.0 - 0.002516 * t - 0.0000074 * t2;
	double m = 2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3;
	double mp = 201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 -
		    0.000000058 * t4;
	double f = 160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 +
		   0.000000011 * t4;
	double om = 124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3;

	jde += -0.40720 * sin_deg(mp) + 0.17241 * e * sin_deg(m) + 0.01608 * sin_deg(2 * mp) +
	       0.01039 * sin_deg(2 * f) + 0.00739 * e * sin_deg(mp - m) -
	       0.00514 * e * sin_deg(mp + m) + 0.00208 * e * e * sin_deg(2 * m) -
	       0.00111 * sin_deg(mp - 2 * f) - 0.00057 * sin_deg(mp + 2 * f) +
	       0.00056 * e * sin_deg(2 * mp + m) - 0.00042 * sin_deg(3 * mp) +
	       0.00042 * e * sin_deg(m + 2 * f) + 0.00038 * e * sin_deg(m - 2 * f) -
	       0.00024 * e * sin_deg(2 * mp - m) - 0.00017 * sin_deg(om) -
	       0.00007 * sin_deg(mp + 2 * m) + 0.00004 * sin_deg(2 * mp - 2 * f) +
	       0.00004 * sin_deg(3 * m) + 0.00003 * sin_deg(mp + m - 2 * f) +
	       0.00003 * sin_deg(2 * mp + 2 * f) - 0.00003 * sin_deg(mp + m + 2 * f) +
	       0.00003 * sin_deg(mp - m + 2 * f) - 0.00002 * sin_deg(mp - m - 2 * f) -
	       0.00002 * sin_deg(3 * mp + m) + 0.00002 * sin_deg(4 * mp);
	for (int i = 0; i < 14; i++) {
		double a = planetary[i][0] + planetary[i][1] * k;
		if (i == 0)
			a -= 0.009173 * t2;
		jde += planetary[i][2] * sin_deg(a);
	}
	return jde;
}

/* The day in China of the new moon nearest to day number `days`. */
static long new_moon_day_near(long days)
{
	double jd = JD_EPOCH + (double)days;
	double k = floor_d((jd - 2451550.09766) / 29.530588861 + 0.5);
	long best = 0, best_dist = -1;

	for (int i = -1; i <= 1; i++) {
		long d = china_day(new_moon(k + i));
		long dist = d > days ? d - days : days - d;
		if (best_dist < 0 || dist < best_dist) {
			best = d;
			best_dist = dist;
		}
	}
	return best;
}

/* The Chinese date of one Gregorian day, as ICU reads it. */
struct lunar_date {
	int32_t ext_year; /* ICU's extended year: one per lunar year */
	int month;        /* 1-12 */
	int day;
	bool leap;
};

static UCalendar *lunar_open(void)
{
	static const UChar utc[] = {'U', 'T', 'C', 0};
	UErrorCode st = U_ZERO_ERROR;
	UCalendar *c = ucal_open(utc, -1, "zh_CN@calendar=chinese", UCAL_TRADITIONAL, &st);

	if (U_FAILURE(st)) {
		if (c)
			ucal_close(c);
		return NULL;
	}
	return c;
}

static int lunar_of_day(UCalendar *c, long days, struct lunar_date *out)
{
	UErrorCode st = U_ZERO_ERROR;

	ucal_setMillis(c, (UDate)days * 86400000.0, &st);
	out->ext_year = ucal_get(c, UCAL_EXTENDED_YEAR, &st);
	out->month = ucal_get(c, UCAL_MONTH, &st) + 1;
	out->day = ucal_get(c, UCAL_DATE, &st);
	out->leap = ucal_get(c, UCAL_IS_LEAP_MONTH, &st) != 0;
	return U_FAILURE(st) ? ZRZ_EINTERNAL : ZRZ_OK;
}

/*
 * ICU's first day of regular lunar month lmonth in the lunar year that
 * begins in Gregorian year `year` (lmonth 13: the first month of the next
 * lunar year).  ICU's lunar theory is coarse: when a new moon falls within
 * minutes of midnight in China it can put the first day a day late or
 * early (春节 2027 and 2030, for instance), so callers correct it with
 * new_moon_day_near; the numbering of months, leap months included, is
 * taken from ICU as it is.
 */
static int icu_month_start(UCalendar *c, int year, int lmonth, long *out)
{
	long first = days_from_civil(year, 1, 19), est;
	struct lunar_date ld;
	int32_t ey = 0;
	bool found = false;
	int rc;

	for (long d = first; d <= first + 35 && !found; d++) {
		rc = lunar_of_day(c, d, &ld);
		if (rc)
			return rc;
		if (ld.month == 1 && ld.day == 1 && !ld.leap) {
			ey = ld.ext_year;
			first = d;
			found = true;
		}
	}
	if (!found)
		return ZRZ_EINTERNAL;
	if (lmonth == 1) {
		*out = first;
		return ZRZ_OK;
	}
	/* From a little before the estimate to past a possible leap month. */
	est = first + (long)((lmonth - 1) * 29.53);
	for (long d = est - 3; d <= est + 40; d++) {
		rc = lunar_of_day(c, d, &ld);
		if (rc)
			return rc;
		if (ld.day != 1 || ld.leap)
			continue;
		if ((lmonth <= 12 && ld.ext_year == ey && ld.month == lmonth) ||
		    (lmonth == 13 && ld.ext_year == ey + 1 && ld.month == 1)) {
			*out = d;
			return ZRZ_OK;
		}
	}
	return ZRZ_EINTERNAL;
}

/* The true first day of regular lunar month lmonth (see icu_month_start). */
static int month_start(UCalendar *c, int year, int lmonth, long *out)
{
	long d;
	int rc = icu_month_start(c, year, lmonth, &d);

	if (rc)
		return rc;
	*out = new_moon_day_near(d);
	return ZRZ_OK;
}

int festival_lunar_to_gregorian(int year, int lmonth, int lday, struct festival_day *out)
{
	UCalendar *c;
	long start = 0, next = 0;
	int rc;

	if (!year_ok(year) || lmonth < 1 || lmonth > 12 || lday < 1 || lday > 30)
		return ZRZ_EINVAL;
	c = lunar_open();
	if (!c)
		return ZRZ_EINTERNAL;
	rc = month_start(c, year, lmonth, &start);
	if (rc == ZRZ_OK && lday > 28) {
		/* The month's length: up to the next month, leap or not. */
		long icu_next = 0;
		struct lunar_date ld;
		for (long d = start + 27; d <= start + 32 && rc == ZRZ_OK; d++) {
			rc = lunar_of_day(c, d, &ld);
			if (rc == ZRZ_OK && ld.day == 1) {
				icu_next = d;
				break;
			}
		}
		if (rc == ZRZ_OK)
			next = icu_next ? new_moon_day_near(icu_next) : start + 30;
		if (rc == ZRZ_OK && start + lday - 1 >= next)
			rc = ZRZ_ENOTFOUND;
	}
	ucal_close(c);
	if (rc == ZRZ_OK)
		civil_from_days(start + lday - 1, out);
	return rc;
}

static int lunar_eve(int year, struct festival_day *out)
{
	UCalendar *c = lunar_open();
	long d = 0;
	int rc;

	if (!c)
		return ZRZ_EINTERNAL;
	rc = month_start(c, year, 13, &d);
	ucal_close(c);
	if (rc == ZRZ_OK)
		civil_from_days(d - 1, out);
	return rc;
}

int festival_solar_term(int year, int degrees, struct festival_day *out)
{
	double jde;

	if (!year_ok(year) || degrees < 0 || degrees >= 360)
		return ZRZ_EINVAL;
	jde = JD_EPOCH + (double)days_from_civil(year, 3, 20) + degrees / 360.0 * 365.2422;
	if (jde >= JD_EPOCH + (double)days_from_civil(year + 1, 1, 1))
		jde -= 365.2422;
	for (int i = 0; i < 30; i++) {
		double diff = degrees - sun_longitude(jde);
		if (diff > 180.0)
			diff -= 360.0;
		else if (diff < -180.0)
			diff += 360.0;
		jde += diff / 360.0 * 365.2422;
		if (abs_d(diff) < 1e-7)
			break;
	}
	civil_from_days(china_day(jde), out);
	return ZRZ_OK;
}

int festival_date(const struct festival *f, int year, struct festival_day *out)
{
	if (!f || !year_ok(year))
		return ZRZ_EINVAL;
	switch (f->rule) {
	case FESTIVAL_FIXED:
		out->year = year;
		out->month = f->month;
		out->day = f->day;
		return ZRZ_OK;
	case FESTIVAL_LUNAR:
		return festival_lunar_to_gregorian(year, f->month, f->day, out);
	case FESTIVAL_LUNAR_EVE:
		if (year + 1 > FESTIVAL_YEAR_MAX)
			return ZRZ_EINVAL;
		return lunar_eve(year, out);
	case FESTIVAL_SOLAR_TERM:
		return festival_solar_term(year, f->degrees, out);
	}
	return ZRZ_EINVAL;
}

int festival_date_by_name(const char *name, int year, struct festival_day *out)
{
	const struct festival *f = name ? festival_find(name, strlen(name)) : NULL;

	if (!f)
		return ZRZ_ENOTFOUND;
	return festival_date(f, year, out);
}

void festival_day_format(const struct festival_day *d, char out[11])
{
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d->year % 10000u, (unsigned)d->month % 100u,
		 (unsigned)d->day % 100u);
}

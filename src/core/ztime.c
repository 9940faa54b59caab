/*
 * Calendar arithmetic without the C library's time zone machinery: the only
 * zone zerenzhi shows is UTC+08:00, so converting is adding eight hours and
 * using the proleptic Gregorian day count below (days_from_civil, after
 * Howard Hinnant's public-domain derivation).
 */
#include "core/common.h"
#include "core/ztime.h"

int64_t time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t time_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

static void split(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
	int64_t local = t + ZRZ_TZ_OFFSET;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t secs = local - days * 86400;
	civil_from_days(days, y, mo, d);
	*h = (int)(secs / 3600);
	*mi = (int)(secs / 60 % 60);
	*s = (int)(secs % 60);
}

static char *two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

void time_format_rfc3339(int64_t t, char *out, size_t n)
{
	int y, mo, d, h, mi, s;
	split(t, &y, &mo, &d, &h, &mi, &s);
	if (y < 0 || y > 9999 || n < sizeof("YYYY-MM-DDTHH:MM:SS+08:00")) {
		snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, mo, d, h, mi, s);
		return;
	}
	/* The ledger list formats three of these a row: digits by hand. */
	char *p = two(two(out, y / 100), y % 100);
	*p++ = '-';
	p = two(p, mo);
	*p++ = '-';
	p = two(p, d);
	*p++ = 'T';
	p = two(p, h);
	*p++ = ':';
	p = two(p, mi);
	*p++ = ':';
	p = two(p, s);
	memcpy(p, "+08:00", sizeof("+08:00"));
}

void time_format_date(int64_t t, char *out, size_t n)
{
	int y, mo, d, h, mi, s;
	split(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, n, "%04d-%02d-%02d", y, mo, d);
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool parse_date(const char *s, int *y, int *m, int *d)
{
	if (!digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, m) || s[7] != '-' ||
	    !digits(s + 8, 2, d))
		return false;
	return *y >= 1900 && *y <= 2999 && *m >= 1 && *m <= 12 && *d >= 1 &&
	       *d <= days_in_month(*y, *m);
}

bool date_valid(const char *s)
{
	int y, m, d;
	return s && strlen(s) == 10 && parse_date(s, &y, &m, &d);
}

bool time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n < 10 || !parse_date(s, &y, &mo, &d))
		return false;
	int64_t offset = ZRZ_TZ_OFFSET;
	if (n > 10) {
		if (n < 20 || (s[10] != 'T' && s[10] != ' ') || !digits(s + 11, 2, &h) ||
		    s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
		    !digits(s + 17, 2, &sec) || h > 23 || mi > 59 || sec > 60)
			return false;
		const char *z = s + 19;
		if (*z == '.') {
			z++;
			if (*z < '0' || *z > '9')
				return false;
			while (*z >= '0' && *z <= '9')
				z++;
		}
		if (z[0] == 'Z' && z[1] == '\0') {
			offset = 0;
		} else {
			int oh, om;
			if ((z[0] != '+' && z[0] != '-') || strlen(z) != 6 || !digits(z + 1, 2, &oh) ||
			    z[3] != ':' || !digits(z + 4, 2, &om) || oh > 23 || om > 59)
				return false;
			offset = (oh * 3600 + om * 60) * (z[0] == '-' ? -1 : 1);
		}
	}
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
	return true;
}

/*
 * Calendar periods: keys, bounds, the period holding a date, the periods of
 * a year, and elapsed days.  Everything is computed on day numbers (days
 * since 1970-01-01 in China); the two conversions between a day number and
 * a calendar date go through core/ztime.h, whose date arithmetic is the one
 * the rest of the server uses, instead of a second copy of it here.
 */
#include "core/common.h"
#include "core/ztime.h"
#include "domain/period.h"

#include <assert.h>

#define SECS_PER_DAY 86400

static const char *const kind_codes[PERIOD_KIND_COUNT] = {
	[PERIOD_YEAR] = "year",
	[PERIOD_HALF] = "half",
	[PERIOD_QUARTER] = "quarter",
	[PERIOD_MONTH] = "month",
	[PERIOD_WEEK] = "week",
};

static const char *const kind_labels[PERIOD_KIND_COUNT] = {
	[PERIOD_YEAR] = "全年",
	[PERIOD_HALF] = "半年",
	[PERIOD_QUARTER] = "季度",
	[PERIOD_MONTH] = "月",
	[PERIOD_WEEK] = "周",
};

/* Months per period for the kinds made of whole months. */
static const int kind_months[PERIOD_KIND_COUNT] = {
	[PERIOD_YEAR] = 12,
	[PERIOD_HALF] = 6,
	[PERIOD_QUARTER] = 3,
	[PERIOD_MONTH] = 1,
};

static bool kind_known(enum period_kind k)
{
	return (unsigned)k < PERIOD_KIND_COUNT;
}

static bool year_in_range(int y)
{
	return y >= PERIOD_YEAR_MIN && y <= PERIOD_YEAR_MAX;
}

/* The day number of y-m-d, which the caller has checked to be a real date. */
static int ymd_day(int y, int m, int d)
{
	return (int)days_from_civil(y, m, d);
}

static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static int four_digits(const char *s)
{
	int hi = two_digits(s);
	int lo = hi < 0 ? -1 : two_digits(s + 2);
	return lo < 0 ? -1 : hi * 100 + lo;
}

/* The calendar date of day number day, which lies in PERIOD_DAY_MIN..MAX. */
static void day_ymd(int day, int *y, int *m, int *d)
{
	civil_from_days(day, y, m, d);
	assert(*y >= PERIOD_YEAR_MIN && *m >= 1 && *d >= 1);
}

/* The Monday that starts ISO week 1 of year y: the Monday on or before 4 January. */
static int week1_monday(int y)
{
	int jan4 = ymd_day(y, 1, 4);
	return jan4 - (period_weekday(jan4) - 1);
}

int period_day_of_time(int64_t t)
{
	int64_t local = t + ZRZ_TZ_OFFSET;
	int64_t days = local / SECS_PER_DAY;
	if (local % SECS_PER_DAY < 0)
		days--;
	return (int)days;
}

int period_weekday(int day)
{
	/* 1970-01-01 was a Thursday (4). */
	int r = (day % 7 + 7) % 7;
	return (r + 3) % 7 + 1;
}

int period_day_parse(const char *date, int *day)
{
	int64_t t = 0;
	if (!date_valid(date) || !time_parse(date, &t))
		return ZRZ_EINVAL;
	*day = period_day_of_time(t);
	return ZRZ_OK;
}

void period_day_format(int day, char *out, size_t n)
{
	time_format_date((int64_t)day * SECS_PER_DAY - ZRZ_TZ_OFFSET, out, n);
}

int period_kind_parse(const char *code, enum period_kind *out)
{
	if (!code)
		return ZRZ_EINVAL;
	for (int k = 0; k < PERIOD_KIND_COUNT; k++) {
		if (strcmp(code, kind_codes[k]) == 0) {
			*out = (enum period_kind)k;
			return ZRZ_OK;
		}
	}
	return ZRZ_EINVAL;
}

const char *period_kind_code(enum period_kind k)
{
	return kind_known(k) ? kind_codes[k] : NULL;
}

const char *period_kind_label(enum period_kind k)
{
	return kind_known(k) ? kind_labels[k] : NULL;
}

int period_weeks_in_year(int year)
{
	if (!year_in_range(year))
		return 52;
	/*
	 * A year has 53 ISO weeks when it starts on a Thursday, or on a
	 * Wednesday in a leap year: then it holds 53 Thursdays.
	 */
	int wd = period_weekday(ymd_day(year, 1, 1));
	bool leap = days_in_month(year, 2) == 29;
	return wd == 4 || (leap && wd == 3) ? 53 : 52;
}

int period_count(enum period_kind k, int year)
{
	if (!kind_known(k) || !year_in_range(year))
		return ZRZ_EINVAL;
	if (k == PERIOD_WEEK)
		return period_weeks_in_year(year);
	return 12 / kind_months[k];
}

bool period_valid(const struct period *p)
{
	if (!p || !kind_known(p->kind) || !year_in_range(p->year))
		return false;
	return p->index >= 1 && p->index <= period_count(p->kind, p->year);
}

int period_parse(const char *key, struct period *out)
{
	if (!key)
		return ZRZ_EINVAL;
	size_t len = strlen(key);
	if (len != 4 && len != 7 && len != 8)
		return ZRZ_EINVAL;
	struct period p = {.year = four_digits(key), .index = 1};
	if (p.year < 0)
		return ZRZ_EINVAL;
	if (len == 4) {
		p.kind = PERIOD_YEAR;
	} else if (key[4] != '-') {
		return ZRZ_EINVAL;
	} else if (len == 8) {
		if (key[5] != 'W')
			return ZRZ_EINVAL;
		p.kind = PERIOD_WEEK;
		p.index = two_digits(key + 6);
	} else if (key[5] == 'H' || key[5] == 'Q') {
		p.kind = key[5] == 'H' ? PERIOD_HALF : PERIOD_QUARTER;
		p.index = key[6] >= '0' && key[6] <= '9' ? key[6] - '0' : -1;
	} else {
		p.kind = PERIOD_MONTH;
		p.index = two_digits(key + 5);
	}
	if (!period_valid(&p))
		return ZRZ_EINVAL;
	*out = p;
	return ZRZ_OK;
}

int period_format(const struct period *p, char *out, size_t n)
{
	assert(n >= PERIOD_KEY_SIZE);
	out[0] = '\0';
	if (!period_valid(p))
		return ZRZ_EINVAL;
	switch (p->kind) {
	case PERIOD_YEAR:
		snprintf(out, n, "%04d", p->year);
		break;
	case PERIOD_HALF:
		snprintf(out, n, "%04d-H%d", p->year, p->index);
		break;
	case PERIOD_QUARTER:
		snprintf(out, n, "%04d-Q%d", p->year, p->index);
		break;
	case PERIOD_MONTH:
		snprintf(out, n, "%04d-%02d", p->year, p->index);
		break;
	case PERIOD_WEEK:
		snprintf(out, n, "%04d-W%02d", p->year, p->index);
		break;
	}
	return ZRZ_OK;
}

int period_label(const struct period *p, char *out, size_t n)
{
	assert(n >= PERIOD_LABEL_SIZE);
	out[0] = '\0';
	if (!period_valid(p))
		return ZRZ_EINVAL;
	switch (p->kind) {
	case PERIOD_YEAR:
		snprintf(out, n, "%d年", p->year);
		break;
	case PERIOD_HALF:
		snprintf(out, n, "%d年%s", p->year, p->index == 1 ? "上半年" : "下半年");
		break;
	case PERIOD_QUARTER:
		snprintf(out, n, "%d年第%d季度", p->year, p->index);
		break;
	case PERIOD_MONTH:
		snprintf(out, n, "%d年%d月", p->year, p->index);
		break;
	case PERIOD_WEEK:
		snprintf(out, n, "%d年第%d周", p->year, p->index);
		break;
	}
	return ZRZ_OK;
}

int period_bounds(const struct period *p, int *first, int *last)
{
	if (!period_valid(p))
		return ZRZ_EINVAL;
	int a, b;
	if (p->kind == PERIOD_WEEK) {
		a = week1_monday(p->year) + 7 * (p->index - 1);
		b = a + 6;
	} else {
		int span = kind_months[p->kind];
		int m1 = span * (p->index - 1) + 1;
		int m2 = span * p->index;
		a = ymd_day(p->year, m1, 1);
		b = ymd_day(p->year, m2, days_in_month(p->year, m2));
	}
	if (first)
		*first = a;
	if (last)
		*last = b;
	return ZRZ_OK;
}

int period_dates(const struct period *p, char *first, char *last)
{
	int a, b;
	int rc = period_bounds(p, &a, &b);
	if (rc < 0)
		return rc;
	if (first)
		period_day_format(a, first, PERIOD_DATE_SIZE);
	if (last)
		period_day_format(b, last, PERIOD_DATE_SIZE);
	return ZRZ_OK;
}

int period_containing(enum period_kind k, int day, struct period *out)
{
	if (!kind_known(k) || day < PERIOD_DAY_MIN || day > PERIOD_DAY_MAX)
		return ZRZ_EINVAL;
	struct period p = {.kind = k, .index = 1};
	int y, m, d;
	if (k == PERIOD_WEEK) {
		/* The week's Thursday decides its year; see period.h. */
		int thursday = day + 4 - period_weekday(day);
		if (thursday < PERIOD_DAY_MIN || thursday > PERIOD_DAY_MAX)
			return ZRZ_EINVAL;
		day_ymd(thursday, &y, &m, &d);
		p.year = y;
		p.index = (thursday - ymd_day(y, 1, 1)) / 7 + 1;
	} else {
		day_ymd(day, &y, &m, &d);
		p.year = y;
		p.index = (m - 1) / kind_months[k] + 1;
	}
	if (!period_valid(&p))
		return ZRZ_EINVAL;
	*out = p;
	return ZRZ_OK;
}

int period_list(enum period_kind k, int year, struct period *out, int *n)
{
	*n = 0;
	int count = period_count(k, year);
	if (count < 0)
		return count;
	for (int i = 0; i < count; i++)
		out[i] = (struct period){.kind = k, .year = year, .index = i + 1};
	*n = count;
	return ZRZ_OK;
}

int period_progress(const struct period *p, int today, int *elapsed, int *total)
{
	int first, last;
	int rc = period_bounds(p, &first, &last);
	if (rc < 0)
		return rc;
	int t = last - first + 1;
	int e = today < first ? 0 : today > last ? t : today - first + 1;
	if (elapsed)
		*elapsed = e;
	if (total)
		*total = t;
	return ZRZ_OK;
}

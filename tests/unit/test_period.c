/*
 * Unit tests for domain/period.h.  Day numbers, ISO weeks and period
 * bounds were computed independently with Python's datetime (date.isocalendar,
 * date.fromisocalendar) and are written out as constants; the exhaustive
 * tests compare a digest of every day 1900..2999 against the digest Python
 * computed the same way, and check that the periods of each year tile it.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/period.h"

static int day_of(const char *date)
{
	int day = 0;
	if (period_day_parse(date, &day) != ZRZ_OK)
		fail_msg("period_day_parse rejected \"%s\"", date);
	return day;
}

static struct period key_of(const char *key)
{
	struct period p = {0};
	if (period_parse(key, &p) != ZRZ_OK)
		fail_msg("period_parse rejected \"%s\"", key);
	return p;
}

static void check_key(const struct period *p, const char *want)
{
	char out[PERIOD_KEY_SIZE];
	memset(out, 'X', sizeof(out));
	assert_int_equal(period_format(p, out, sizeof(out)), ZRZ_OK);
	assert_string_equal(out, want);
}

static void test_kind_codes(void **state)
{
	(void)state;
	static const struct {
		enum period_kind k;
		const char *code, *label;
	} cases[] = {
		{PERIOD_YEAR, "year", "全年"},       {PERIOD_HALF, "half", "半年"},
		{PERIOD_QUARTER, "quarter", "季度"}, {PERIOD_MONTH, "month", "月"},
		{PERIOD_WEEK, "week", "周"},
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(cases); i++) {
		enum period_kind k = PERIOD_WEEK + 1;
		assert_int_equal(period_kind_parse(cases[i].code, &k), ZRZ_OK);
		assert_int_equal(k, cases[i].k);
		assert_string_equal(period_kind_code(cases[i].k), cases[i].code);
		assert_string_equal(period_kind_label(cases[i].k), cases[i].label);
	}
	static const char *const bad[] = {"",      "Year",      "YEAR", "years", " year",
					  "year ", "quarterly", "q",    "day",   "全年"};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		enum period_kind k = PERIOD_MONTH;
		if (period_kind_parse(bad[i], &k) != ZRZ_EINVAL)
			fail_msg("period_kind_parse accepted \"%s\"", bad[i]);
		assert_int_equal(k, PERIOD_MONTH);
	}
	enum period_kind k = PERIOD_MONTH;
	assert_int_equal(period_kind_parse(NULL, &k), ZRZ_EINVAL);
	assert_null(period_kind_code((enum period_kind)PERIOD_KIND_COUNT));
	assert_null(period_kind_label((enum period_kind)99));
}

static void test_day_numbers(void **state)
{
	(void)state;
	assert_int_equal(day_of("1970-01-01"), 0);
	assert_int_equal(day_of("1969-12-31"), -1);
	assert_int_equal(day_of("2023-01-01"), 19358);
	assert_int_equal(day_of("2024-02-29"), 19782);
	assert_int_equal(day_of("2000-02-29"), 11016);
	assert_int_equal(day_of("2026-12-28"), 20815);
	assert_int_equal(day_of("1900-01-01"), PERIOD_DAY_MIN);
	assert_int_equal(day_of("2999-12-31"), PERIOD_DAY_MAX);
	assert_int_equal(PERIOD_DAY_MIN, -25567);
	assert_int_equal(PERIOD_DAY_MAX, 376199);

	static const char *const bad[] = {"2023-02-29", "1900-02-29", "2023-1-01",
					  "2023-01-1",  "2023-13-01", "2023-04-31",
					  "1899-12-31", "3000-01-01", "2023-01-01T00:00:00+08:00",
					  "",           "20230101"};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		int day = 777;
		if (period_day_parse(bad[i], &day) != ZRZ_EINVAL)
			fail_msg("period_day_parse accepted \"%s\"", bad[i]);
		assert_int_equal(day, 777);
	}
	int day = 777;
	assert_int_equal(period_day_parse(NULL, &day), ZRZ_EINVAL);

	char out[PERIOD_DATE_SIZE];
	period_day_format(19782, out, sizeof(out));
	assert_string_equal(out, "2024-02-29");
	period_day_format(-1, out, sizeof(out));
	assert_string_equal(out, "1969-12-31");
	period_day_format(PERIOD_DAY_MIN, out, sizeof(out));
	assert_string_equal(out, "1900-01-01");
	period_day_format(PERIOD_DAY_MAX, out, sizeof(out));
	assert_string_equal(out, "2999-12-31");
}

/* Every date in range survives format then parse. */
static void test_day_roundtrip_all(void **state)
{
	(void)state;
	char out[PERIOD_DATE_SIZE];
	for (int d = PERIOD_DAY_MIN; d <= PERIOD_DAY_MAX; d++) {
		period_day_format(d, out, sizeof(out));
		int back = 0;
		if (period_day_parse(out, &back) != ZRZ_OK || back != d)
			fail_msg("day %d formats as \"%s\", parses as %d", d, out, back);
	}
}

static void test_day_of_time_is_china(void **state)
{
	(void)state;
	/* 2023-01-01T00:00:00+08:00 = 2022-12-31T16:00:00Z. */
	assert_int_equal(period_day_of_time(1672502400), 19358);
	assert_int_equal(period_day_of_time(1672502399), 19357);
	assert_int_equal(period_day_of_time(1672502400 + 86399), 19358);
	assert_int_equal(period_day_of_time(0), 0);
	assert_int_equal(period_day_of_time(-28800), 0);
	assert_int_equal(period_day_of_time(-28801), -1);
	assert_int_equal(period_day_of_time(-28800 - 86400), -1);
	assert_int_equal(period_day_of_time(-28801 - 86400), -2);
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(period_weekday(0), 4);                    /* Thursday */
	assert_int_equal(period_weekday(-1), 3);                   /* Wednesday */
	assert_int_equal(period_weekday(-4), 7);                   /* Sunday */
	assert_int_equal(period_weekday(day_of("2023-01-01")), 7); /* Sunday */
	assert_int_equal(period_weekday(day_of("2024-02-29")), 4); /* Thursday */
	assert_int_equal(period_weekday(day_of("2000-02-29")), 2); /* Tuesday */
	assert_int_equal(period_weekday(day_of("1900-01-01")), 1); /* Monday */
	assert_int_equal(period_weekday(day_of("2999-12-31")), 2); /* Tuesday */
	assert_int_equal(period_weekday(day_of("2026-12-28")), 1); /* Monday */
}

static void test_key_roundtrip(void **state)
{
	(void)state;
	static const struct {
		const char *key;
		enum period_kind kind;
		int year, index;
	} cases[] = {
		{"2023", PERIOD_YEAR, 2023, 1},       {"1900", PERIOD_YEAR, 1900, 1},
		{"2999", PERIOD_YEAR, 2999, 1},       {"2023-H1", PERIOD_HALF, 2023, 1},
		{"2023-H2", PERIOD_HALF, 2023, 2},    {"2023-Q1", PERIOD_QUARTER, 2023, 1},
		{"2023-Q3", PERIOD_QUARTER, 2023, 3}, {"2023-Q4", PERIOD_QUARTER, 2023, 4},
		{"2023-01", PERIOD_MONTH, 2023, 1},   {"2023-07", PERIOD_MONTH, 2023, 7},
		{"2023-12", PERIOD_MONTH, 2023, 12},  {"2023-W01", PERIOD_WEEK, 2023, 1},
		{"2023-W14", PERIOD_WEEK, 2023, 14},  {"2023-W52", PERIOD_WEEK, 2023, 52},
		{"2020-W53", PERIOD_WEEK, 2020, 53},  {"2026-W53", PERIOD_WEEK, 2026, 53},
		{"2015-W53", PERIOD_WEEK, 2015, 53},  {"2999-W52", PERIOD_WEEK, 2999, 52},
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(cases); i++) {
		struct period p = key_of(cases[i].key);
		assert_int_equal(p.kind, cases[i].kind);
		assert_int_equal(p.year, cases[i].year);
		assert_int_equal(p.index, cases[i].index);
		assert_true(period_valid(&p));
		check_key(&p, cases[i].key);
	}
}

static void test_bad_keys_rejected(void **state)
{
	(void)state;
	static const char *const bad[] = {
		/* Years: four digits, in range, nothing around them. */
		"", "202", "20231", "023", "1899", "3000", "0999", "+202", "-2023", "2023 ",
		" 2023", "２０２３",
		/* Halves and quarters: one digit in range, upper-case letter. */
		"2023-", "2023-H", "2023-H0", "2023-H3", "2023-h1", "2023-H01", "2023-Q0",
		"2023-Q5", "2023-q3", "2023-Q03", "2023_Q3", "2023-Q3\n", "2023-Y1",
		/* Months: two digits, 01..12. */
		"2023-00", "2023-13", "2023-7", "2023-007", "2023/07", "2023-7a", "2023-0x",
		"2023-M07", "2023-07-01",
		/* Weeks: two digits, 01..52 or 53 in years that have one. */
		"2023-W00", "2023-W1", "2023-W54", "2023-W53", "2024-W53", "2021-W53",
		"2023-w14", "2023W14", "2023-W14 ", "2023-W1a", "2023-W+1",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		struct period p = {PERIOD_MONTH, 1999, 9};
		if (period_parse(bad[i], &p) != ZRZ_EINVAL)
			fail_msg("period_parse accepted \"%s\"", bad[i]);
		/* Untouched on error. */
		assert_int_equal(p.kind, PERIOD_MONTH);
		assert_int_equal(p.year, 1999);
		assert_int_equal(p.index, 9);
	}
	struct period p = {PERIOD_MONTH, 1999, 9};
	assert_int_equal(period_parse(NULL, &p), ZRZ_EINVAL);
}

static void test_invalid_periods(void **state)
{
	(void)state;
	static const struct period bad[] = {
		{PERIOD_YEAR, 2023, 0},
		{PERIOD_YEAR, 2023, 2},
		{PERIOD_HALF, 2023, 3},
		{PERIOD_QUARTER, 2023, 5},
		{PERIOD_MONTH, 2023, 13},
		{PERIOD_MONTH, 2023, -1},
		{PERIOD_WEEK, 2023, 53},
		{PERIOD_WEEK, 2026, 54},
		{PERIOD_WEEK, 2023, 0},
		{PERIOD_YEAR, 1899, 1},
		{PERIOD_YEAR, 3000, 1},
		{(enum period_kind)5, 2023, 1},
		{(enum period_kind)99, 2023, 1},
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		char key[PERIOD_KEY_SIZE] = "junk";
		char label[PERIOD_LABEL_SIZE] = "junk";
		int first = 7, last = 7, e = 7, t = 7;
		assert_false(period_valid(&bad[i]));
		assert_int_equal(period_format(&bad[i], key, sizeof(key)), ZRZ_EINVAL);
		assert_string_equal(key, "");
		assert_int_equal(period_label(&bad[i], label, sizeof(label)), ZRZ_EINVAL);
		assert_string_equal(label, "");
		assert_int_equal(period_bounds(&bad[i], &first, &last), ZRZ_EINVAL);
		assert_int_equal(period_progress(&bad[i], 0, &e, &t), ZRZ_EINVAL);
		assert_int_equal(first + last + e + t, 28);
	}
	assert_false(period_valid(NULL));
}

static void check_dates(const char *key, const char *first, const char *last)
{
	struct period p = key_of(key);
	char a[PERIOD_DATE_SIZE], b[PERIOD_DATE_SIZE];
	assert_int_equal(period_dates(&p, a, b), ZRZ_OK);
	if (strcmp(a, first) != 0 || strcmp(b, last) != 0)
		fail_msg("%s runs %s..%s, want %s..%s", key, a, b, first, last);
	int fa, la;
	assert_int_equal(period_bounds(&p, &fa, &la), ZRZ_OK);
	assert_int_equal(fa, day_of(first));
	assert_int_equal(la, day_of(last));
}

static void test_bounds(void **state)
{
	(void)state;
	check_dates("2023", "2023-01-01", "2023-12-31");
	check_dates("2024", "2024-01-01", "2024-12-31");
	check_dates("2024-H1", "2024-01-01", "2024-06-30");
	check_dates("2024-H2", "2024-07-01", "2024-12-31");
	check_dates("2023-Q1", "2023-01-01", "2023-03-31");
	check_dates("2023-Q2", "2023-04-01", "2023-06-30");
	check_dates("2023-Q3", "2023-07-01", "2023-09-30");
	check_dates("2023-Q4", "2023-10-01", "2023-12-31");
	check_dates("2023-01", "2023-01-01", "2023-01-31");
	check_dates("2023-02", "2023-02-01", "2023-02-28");
	check_dates("2024-02", "2024-02-01", "2024-02-29");
	check_dates("2000-02", "2000-02-01", "2000-02-29");
	check_dates("1900-02", "1900-02-01", "1900-02-28");
	check_dates("2100-02", "2100-02-01", "2100-02-28");
	check_dates("2023-04", "2023-04-01", "2023-04-30");
	check_dates("2023-06", "2023-06-01", "2023-06-30");
	check_dates("2023-09", "2023-09-01", "2023-09-30");
	check_dates("2023-11", "2023-11-01", "2023-11-30");
	check_dates("2023-12", "2023-12-01", "2023-12-31");
	/* ISO weeks, from Python's date.fromisocalendar. */
	check_dates("2023-W01", "2023-01-02", "2023-01-08");
	check_dates("2023-W14", "2023-04-03", "2023-04-09");
	check_dates("2023-W52", "2023-12-25", "2023-12-31");
	check_dates("2024-W01", "2024-01-01", "2024-01-07");
	check_dates("2024-W52", "2024-12-23", "2024-12-29");
	check_dates("2025-W01", "2024-12-30", "2025-01-05");
	check_dates("2019-W01", "2018-12-31", "2019-01-06");
	check_dates("2020-W01", "2019-12-30", "2020-01-05");
	check_dates("2020-W53", "2020-12-28", "2021-01-03");
	check_dates("2021-W01", "2021-01-04", "2021-01-10");
	check_dates("2026-W53", "2026-12-28", "2027-01-03");
	check_dates("2009-W53", "2009-12-28", "2010-01-03");
	check_dates("2004-W53", "2004-12-27", "2005-01-02");
	check_dates("1900-W01", "1900-01-01", "1900-01-07");
	check_dates("2999-W52", "2999-12-23", "2999-12-29");

	struct period p = key_of("2023-Q3");
	char only[PERIOD_DATE_SIZE];
	assert_int_equal(period_dates(&p, NULL, only), ZRZ_OK);
	assert_string_equal(only, "2023-09-30");
	int first = 0;
	assert_int_equal(period_bounds(&p, &first, NULL), ZRZ_OK);
	assert_int_equal(first, day_of("2023-07-01"));
}

static void check_containing(const char *date, enum period_kind k, const char *want)
{
	struct period p = {0};
	int rc = period_containing(k, day_of(date), &p);
	if (rc != ZRZ_OK)
		fail_msg("no %s period contains %s", period_kind_code(k), date);
	char key[PERIOD_KEY_SIZE];
	assert_int_equal(period_format(&p, key, sizeof(key)), ZRZ_OK);
	if (strcmp(key, want) != 0)
		fail_msg("the %s of %s is %s, want %s", period_kind_code(k), date, key, want);
}

static void test_containing(void **state)
{
	(void)state;
	/* A Monday that opens the next ISO year: weeks and calendar disagree. */
	check_containing("2024-12-30", PERIOD_WEEK, "2025-W01");
	check_containing("2024-12-30", PERIOD_YEAR, "2024");
	check_containing("2024-12-30", PERIOD_HALF, "2024-H2");
	check_containing("2024-12-30", PERIOD_QUARTER, "2024-Q4");
	check_containing("2024-12-30", PERIOD_MONTH, "2024-12");
	/* Early January days that belong to last year's last week. */
	check_containing("2027-01-01", PERIOD_WEEK, "2026-W53");
	check_containing("2027-01-03", PERIOD_WEEK, "2026-W53");
	check_containing("2027-01-04", PERIOD_WEEK, "2027-W01");
	check_containing("2021-01-03", PERIOD_WEEK, "2020-W53");
	check_containing("2021-01-04", PERIOD_WEEK, "2021-W01");
	check_containing("2010-01-03", PERIOD_WEEK, "2009-W53");
	check_containing("2023-01-01", PERIOD_WEEK, "2022-W52");
	check_containing("2023-01-02", PERIOD_WEEK, "2023-W01");
	check_containing("2023-12-31", PERIOD_WEEK, "2023-W52");
	check_containing("2024-01-01", PERIOD_WEEK, "2024-W01");
	check_containing("2018-12-31", PERIOD_WEEK, "2019-W01");
	check_containing("2023-04-05", PERIOD_WEEK, "2023-W14");
	check_containing("2023-04-09", PERIOD_WEEK, "2023-W14");
	check_containing("2023-04-10", PERIOD_WEEK, "2023-W15");
	/* Halves, quarters and months at their edges. */
	check_containing("2023-06-30", PERIOD_HALF, "2023-H1");
	check_containing("2023-07-01", PERIOD_HALF, "2023-H2");
	check_containing("2023-01-01", PERIOD_QUARTER, "2023-Q1");
	check_containing("2023-03-31", PERIOD_QUARTER, "2023-Q1");
	check_containing("2023-04-01", PERIOD_QUARTER, "2023-Q2");
	check_containing("2023-06-30", PERIOD_QUARTER, "2023-Q2");
	check_containing("2023-07-01", PERIOD_QUARTER, "2023-Q3");
	check_containing("2023-09-30", PERIOD_QUARTER, "2023-Q3");
	check_containing("2023-10-01", PERIOD_QUARTER, "2023-Q4");
	check_containing("2023-12-31", PERIOD_QUARTER, "2023-Q4");
	check_containing("2024-02-29", PERIOD_MONTH, "2024-02");
	check_containing("2024-03-01", PERIOD_MONTH, "2024-03");
	check_containing("2023-12-31", PERIOD_YEAR, "2023");
	check_containing("2024-01-01", PERIOD_YEAR, "2024");
	check_containing("1900-01-01", PERIOD_WEEK, "1900-W01");
	check_containing("2999-12-29", PERIOD_WEEK, "2999-W52");
	check_containing("2999-12-31", PERIOD_QUARTER, "2999-Q4");

	/* 2999-12-30 opens 3000-W01, beyond the years we name. */
	struct period p = {PERIOD_MONTH, 1999, 9};
	assert_int_equal(period_containing(PERIOD_WEEK, day_of("2999-12-30"), &p), ZRZ_EINVAL);
	assert_int_equal(period_containing(PERIOD_WEEK, PERIOD_DAY_MAX, &p), ZRZ_EINVAL);
	assert_int_equal(period_containing(PERIOD_YEAR, PERIOD_DAY_MAX + 1, &p), ZRZ_EINVAL);
	assert_int_equal(period_containing(PERIOD_YEAR, PERIOD_DAY_MIN - 1, &p), ZRZ_EINVAL);
	assert_int_equal(period_containing(PERIOD_YEAR, INT32_MAX, &p), ZRZ_EINVAL);
	assert_int_equal(period_containing(PERIOD_YEAR, INT32_MIN, &p), ZRZ_EINVAL);
	assert_int_equal(period_containing((enum period_kind)9, 0, &p), ZRZ_EINVAL);
	assert_int_equal(p.kind, PERIOD_MONTH);
	assert_int_equal(p.year, 1999);
	assert_int_equal(p.index, 9);
}

static void test_weeks_in_year(void **state)
{
	(void)state;
	/* Python: [y for y in range(1990, 2041) if date(y, 12, 28).isocalendar()[1] == 53] */
	static const int long_years[] = {1992, 1998, 2004, 2009, 2015, 2020, 2026, 2032, 2037};
	size_t j = 0;
	for (int y = 1990; y <= 2040; y++) {
		bool is_long = j < ZRZ_ARRAY_LEN(long_years) && long_years[j] == y;
		if (is_long)
			j++;
		if (period_weeks_in_year(y) != (is_long ? 53 : 52))
			fail_msg("%d has %d weeks", y, period_weeks_in_year(y));
	}
	/* 195 of the years 1900..2999 have 53 weeks (Python, same test). */
	int n53 = 0;
	for (int y = PERIOD_YEAR_MIN; y <= PERIOD_YEAR_MAX; y++)
		n53 += period_weeks_in_year(y) == 53;
	assert_int_equal(n53, 195);
}

static void test_list_counts(void **state)
{
	(void)state;
	struct period ps[PERIOD_MAX_PER_YEAR];
	int n = -1;
	static const struct {
		enum period_kind k;
		int year, count;
		const char *first, *last;
	} cases[] = {
		{PERIOD_YEAR, 2023, 1, "2023", "2023"},
		{PERIOD_HALF, 2023, 2, "2023-H1", "2023-H2"},
		{PERIOD_QUARTER, 2023, 4, "2023-Q1", "2023-Q4"},
		{PERIOD_MONTH, 2024, 12, "2024-01", "2024-12"},
		{PERIOD_WEEK, 2023, 52, "2023-W01", "2023-W52"},
		{PERIOD_WEEK, 2024, 52, "2024-W01", "2024-W52"},
		{PERIOD_WEEK, 2020, 53, "2020-W01", "2020-W53"},
		{PERIOD_WEEK, 2026, 53, "2026-W01", "2026-W53"},
		{PERIOD_WEEK, 2027, 52, "2027-W01", "2027-W52"},
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(cases); i++) {
		assert_int_equal(period_list(cases[i].k, cases[i].year, ps, &n), ZRZ_OK);
		assert_int_equal(n, cases[i].count);
		assert_int_equal(period_count(cases[i].k, cases[i].year), cases[i].count);
		check_key(&ps[0], cases[i].first);
		check_key(&ps[n - 1], cases[i].last);
		for (int j = 0; j < n; j++) {
			assert_int_equal(ps[j].kind, cases[i].k);
			assert_int_equal(ps[j].year, cases[i].year);
			assert_int_equal(ps[j].index, j + 1);
		}
	}
	assert_int_equal(period_list(PERIOD_YEAR, 1899, ps, &n), ZRZ_EINVAL);
	assert_int_equal(n, 0);
	n = -1;
	assert_int_equal(period_list(PERIOD_WEEK, 3000, ps, &n), ZRZ_EINVAL);
	assert_int_equal(n, 0);
	assert_int_equal(period_list((enum period_kind)7, 2023, ps, &n), ZRZ_EINVAL);
	assert_int_equal(period_count((enum period_kind)7, 2023), ZRZ_EINVAL);
}

/*
 * For every day 1900-01-01..2999-12-29 the containing period of each kind
 * holds the day, and the week and quarter digests equal Python's over the
 * same days: h = h * 31 + year * 64 + index (mod 2^64), with isocalendar()
 * for weeks and (month - 1) // 3 + 1 for quarters.
 */
static void test_containing_every_day(void **state)
{
	(void)state;
	uint64_t hw = 0, hq = 0;
	int last_day = day_of("2999-12-29");
	for (int d = PERIOD_DAY_MIN; d <= last_day; d++) {
		for (int k = 0; k < PERIOD_KIND_COUNT; k++) {
			struct period p;
			int first, last;
			if (period_containing((enum period_kind)k, d, &p) != ZRZ_OK)
				fail_msg("no period of kind %d holds day %d", k, d);
			assert_int_equal(period_bounds(&p, &first, &last), ZRZ_OK);
			if (d < first || d > last)
				fail_msg("day %d outside its period %d..%d", d, first, last);
			if (k == PERIOD_WEEK) {
				assert_int_equal(period_weekday(first), 1);
				assert_int_equal(last - first, 6);
				hw = hw * 31 + (uint64_t)(p.year * 64 + p.index);
			} else if (k == PERIOD_QUARTER) {
				hq = hq * 31 + (uint64_t)(p.year * 64 + p.index);
			}
		}
	}
	assert_true(hw == UINT64_C(0x62a25e19b1907f35));
	assert_true(hq == UINT64_C(0x1bc0138368efb121));
}

/* The periods of each kind tile each year: no gap, no overlap, right ends. */
static void test_periods_tile_years(void **state)
{
	(void)state;
	struct period ps[PERIOD_MAX_PER_YEAR];
	for (int y = PERIOD_YEAR_MIN; y <= PERIOD_YEAR_MAX; y++) {
		int jan1 = 0, dec31 = 0;
		struct period year = {PERIOD_YEAR, y, 1};
		assert_int_equal(period_bounds(&year, &jan1, &dec31), ZRZ_OK);
		for (int k = 0; k < PERIOD_KIND_COUNT; k++) {
			int n = 0, prev_last = 0, first = 0, last = 0;
			assert_int_equal(period_list((enum period_kind)k, y, ps, &n), ZRZ_OK);
			for (int i = 0; i < n; i++) {
				assert_int_equal(period_bounds(&ps[i], &first, &last), ZRZ_OK);
				if (i == 0 && k != PERIOD_WEEK)
					assert_int_equal(first, jan1);
				if (i > 0)
					assert_int_equal(first, prev_last + 1);
				if (k == PERIOD_WEEK) {
					/* Its Thursday lies in year y. */
					assert_true(first + 3 >= jan1 && first + 3 <= dec31);
				}
				prev_last = last;
			}
			if (k != PERIOD_WEEK) {
				assert_int_equal(last, dec31);
			} else {
				/* The next week's Thursday is in the next year. */
				assert_true(last + 4 > dec31);
			}
		}
	}
}

static void check_progress(const char *key, const char *today, int elapsed, int total)
{
	struct period p = key_of(key);
	int e = -1, t = -1;
	assert_int_equal(period_progress(&p, day_of(today), &e, &t), ZRZ_OK);
	if (e != elapsed || t != total)
		fail_msg("%s on %s: %d of %d days, want %d of %d", key, today, e, t, elapsed,
			 total);
}

static void test_progress(void **state)
{
	(void)state;
	check_progress("2023-Q3", "2023-06-30", 0, 92);
	check_progress("2023-Q3", "2023-07-01", 1, 92);
	check_progress("2023-Q3", "2023-08-15", 46, 92);
	check_progress("2023-Q3", "2023-09-30", 92, 92);
	check_progress("2023-Q3", "2024-01-01", 92, 92);
	check_progress("2023", "2023-12-31", 365, 365);
	check_progress("2024", "2024-03-01", 61, 366);
	check_progress("2024-02", "2024-02-29", 29, 29);
	check_progress("2023-02", "2023-02-15", 15, 28);
	check_progress("2023-H1", "2023-06-30", 181, 181);
	check_progress("2024-H1", "2024-06-30", 182, 182);
	check_progress("2023-H2", "2023-07-01", 1, 184);
	check_progress("2025-W01", "2024-12-31", 2, 7);
	check_progress("2025-W01", "2024-12-29", 0, 7);
	check_progress("2020-W53", "2021-01-03", 7, 7);

	struct period p = key_of("2023-07");
	int t = 0;
	assert_int_equal(period_progress(&p, 0, NULL, &t), ZRZ_OK);
	assert_int_equal(t, 31);
}

static void check_label(const char *key, const char *want)
{
	struct period p = key_of(key);
	char out[PERIOD_LABEL_SIZE];
	assert_int_equal(period_label(&p, out, sizeof(out)), ZRZ_OK);
	assert_string_equal(out, want);
}

static void test_labels(void **state)
{
	(void)state;
	check_label("2023", "2023年");
	check_label("2023-H1", "2023年上半年");
	check_label("2023-H2", "2023年下半年");
	check_label("2023-Q3", "2023年第3季度");
	check_label("2023-07", "2023年7月");
	check_label("2023-12", "2023年12月");
	check_label("2023-W04", "2023年第4周");
	check_label("2026-W53", "2026年第53周");
	/* The longest label fits with room to spare. */
	assert_true(strlen("2026年第53周") < PERIOD_LABEL_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_codes),
		cmocka_unit_test(test_day_numbers),
		cmocka_unit_test(test_day_roundtrip_all),
		cmocka_unit_test(test_day_of_time_is_china),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_key_roundtrip),
		cmocka_unit_test(test_bad_keys_rejected),
		cmocka_unit_test(test_invalid_periods),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_containing),
		cmocka_unit_test(test_weeks_in_year),
		cmocka_unit_test(test_list_counts),
		cmocka_unit_test(test_containing_every_day),
		cmocka_unit_test(test_periods_tile_years),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

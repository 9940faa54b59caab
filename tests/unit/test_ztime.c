/*
 * Unit tests for core/ztime.h.  Expected instants were computed
 * independently (Python's datetime) and are written out as constants, so
 * these tests check the calendar arithmetic instead of restating it.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/ztime.h"

static void check_rfc3339(int64_t t, const char *want)
{
	char out[64];
	memset(out, 'X', sizeof(out));
	time_format_rfc3339(t, out, sizeof(out));
	assert_string_equal(out, want);
}

static void check_date(int64_t t, const char *want)
{
	char out[16];
	memset(out, 'X', sizeof(out));
	time_format_date(t, out, sizeof(out));
	assert_string_equal(out, want);
}

static void check_parse(const char *s, int64_t want)
{
	int64_t got = 0;
	if (!time_parse(s, &got))
		fail_msg("time_parse rejected \"%s\"", s);
	if (got != want)
		fail_msg("time_parse(\"%s\") = %lld, want %lld", s, (long long)got,
			 (long long)want);
}

static void check_parse_rejects(const char *s)
{
	int64_t got = 777;
	if (time_parse(s, &got))
		fail_msg("time_parse accepted \"%s\" as %lld", s, (long long)got);
}

static void test_tz_offset_constant(void **state)
{
	(void)state;
	assert_int_equal(ZRZ_TZ_OFFSET, 28800);
}

static void test_rfc3339_epoch(void **state)
{
	(void)state;
	check_rfc3339(0, "1970-01-01T08:00:00+08:00");
	check_rfc3339(1, "1970-01-01T08:00:01+08:00");
	check_rfc3339(86399, "1970-01-02T07:59:59+08:00");
}

static void test_rfc3339_known_instants(void **state)
{
	(void)state;
	check_rfc3339(1795997071, "2026-11-30T08:04:31+08:00");
	check_rfc3339(1767294245, "2026-01-02T03:04:05+08:00");
	check_rfc3339(1709136000, "2024-02-29T00:00:00+08:00");
	check_rfc3339(951796800, "2000-02-29T12:00:00+08:00");
	check_rfc3339(32503651199, "2999-12-31T23:59:59+08:00");
}

/* Instants before the epoch round toward the earlier day, not toward 0. */
static void test_rfc3339_before_epoch(void **state)
{
	(void)state;
	check_rfc3339(-1, "1970-01-01T07:59:59+08:00");
	check_rfc3339(-28800, "1970-01-01T00:00:00+08:00");
	check_rfc3339(-28801, "1969-12-31T23:59:59+08:00");
	check_rfc3339(-2209017600, "1900-01-01T00:00:00+08:00");
}

static void test_rfc3339_length(void **state)
{
	(void)state;
	char out[26];
	time_format_rfc3339(1795997071, out, sizeof(out));
	assert_int_equal(strlen(out), 25);
	assert_string_equal(out, "2026-11-30T08:04:31+08:00");
}

/*
 * 16:00 UTC is midnight in China: the date changes there, eight hours
 * before it changes in UTC.
 */
static void test_date_across_china_midnight(void **state)
{
	(void)state;
	check_date(1773504000 - 1, "2026-03-14"); /* 15:59:59Z = 23:59:59 CST */
	check_date(1773504000, "2026-03-15");     /* 16:00:00Z = 00:00:00 CST */
	check_date(1773504000 + 8 * 3600 - 1, "2026-03-15"); /* 23:59:59Z */
	/* New year arrives in China while it is still 2023 in UTC. */
	check_date(1704038400 - 1, "2023-12-31");
	check_date(1704038400, "2024-01-01");
	check_date(0, "1970-01-01");
	check_date(-28801, "1969-12-31");
	check_date(1709136000, "2024-02-29");
	check_date(1709136000 - 1, "2024-02-28");
}

static void test_date_buffer_size(void **state)
{
	(void)state;
	char out[11];
	time_format_date(1795997071, out, sizeof(out));
	assert_string_equal(out, "2026-11-30");
}

static void test_parse_date_only_is_china_midnight(void **state)
{
	(void)state;
	check_parse("2026-01-02", 1767283200);
	check_parse("1970-01-01", -28800);
	check_parse("2024-02-29", 1709136000);
	check_parse("2026-03-15", 1773504000);
}

static void test_parse_offsets(void **state)
{
	(void)state;
	check_parse("2026-01-02T03:04:05Z", 1767323045);
	check_parse("2026-01-02T03:04:05+00:00", 1767323045);
	check_parse("2026-01-02T03:04:05+08:00", 1767294245);
	check_parse("2026-01-02T03:04:05-05:30", 1767342845);
	check_parse("2026-11-30T08:04:31+08:00", 1795997071);
	check_parse("1970-01-01T00:00:00Z", 0);
	check_parse("1970-01-01T08:00:00+08:00", 0);
	check_parse("2999-12-31T23:59:59+08:00", 32503651199);
}

static void test_parse_fractional_seconds(void **state)
{
	(void)state;
	check_parse("2026-01-02T03:04:05.5Z", 1767323045);
	check_parse("2026-01-02T03:04:05.123+08:00", 1767294245);
	check_parse("2026-01-02T03:04:05.999999999-05:30", 1767342845);
	check_parse_rejects("2026-01-02T03:04:05.Z");
	check_parse_rejects("2026-01-02T03:04:05.+08:00");
	check_parse_rejects("2026-01-02T03:04:05.12a+08:00");
}

static void test_parse_roundtrip(void **state)
{
	(void)state;
	char buf[32];
	for (int64_t t = -2209017600; t < 32503651199; t += 7919LL * 3607) {
		int64_t back = 0;
		time_format_rfc3339(t, buf, sizeof(buf));
		assert_true(time_parse(buf, &back));
		if (back != t)
			fail_msg("%lld -> %s -> %lld", (long long)t, buf, (long long)back);
	}
}

static void test_parse_rejects_impossible_dates(void **state)
{
	(void)state;
	check_parse_rejects("2023-02-29");
	check_parse_rejects("2023-02-29T00:00:00Z");
	check_parse_rejects("2024-13-01");
	check_parse_rejects("2024-00-10");
	check_parse_rejects("2024-01-00");
	check_parse_rejects("2024-01-32");
	check_parse_rejects("2026-04-31");
	check_parse_rejects("1900-02-29");
}

static void test_parse_rejects_bad_times(void **state)
{
	(void)state;
	check_parse_rejects("2026-01-02T24:00:00Z");
	check_parse_rejects("2026-01-02T23:60:00Z");
	check_parse_rejects("2026-01-02T23:59:61Z");
	check_parse_rejects("2026-01-02T3:04:05Z");
	check_parse_rejects("2026-01-02T03-04-05Z");
	check_parse_rejects("2026-01-02X03:04:05Z");
}

static void test_parse_rejects_bad_offsets(void **state)
{
	(void)state;
	check_parse_rejects("2026-01-02T03:04:05");     /* no offset */
	check_parse_rejects("2026-01-02T03:04:05+8:00");
	check_parse_rejects("2026-01-02T03:04:05+0800");
	check_parse_rejects("2026-01-02T03:04:05+08");
	check_parse_rejects("2026-01-02T03:04:05+08:60");
	check_parse_rejects("2026-01-02T03:04:05+24:00");
	check_parse_rejects("2026-01-02T03:04:05 08:00");
	check_parse_rejects("2026-01-02T03:04:05UTC");
}

static void test_parse_rejects_junk_and_trailing(void **state)
{
	(void)state;
	check_parse_rejects("");
	check_parse_rejects("junk");
	check_parse_rejects("2026");
	check_parse_rejects("2026-01");
	check_parse_rejects("2026-1-02");
	check_parse_rejects("2026/01/02");
	check_parse_rejects("20260102");
	check_parse_rejects(" 2026-01-02");
	check_parse_rejects("2026-01-02 ");
	check_parse_rejects("2026-01-02x");
	check_parse_rejects("2026-01-02T");
	check_parse_rejects("2026-01-02T03:04:05Zjunk");
	check_parse_rejects("2026-01-02T03:04:05Z ");
	check_parse_rejects("2026-01-02T03:04:05+08:00 ");
	check_parse_rejects("2026-01-02T03:04:05+08:00Z");
	check_parse_rejects("2026-01-02T03:04:05+08:00:00");
	check_parse_rejects("２０２６-01-02");

	int64_t v = 5;
	assert_false(time_parse(NULL, &v));
	assert_int_equal(v, 5);
}

static void test_date_valid(void **state)
{
	(void)state;
	assert_true(date_valid("2026-01-01"));
	assert_true(date_valid("2026-12-31"));
	assert_true(date_valid("2000-02-29")); /* divisible by 400 */
	assert_true(date_valid("2024-02-29")); /* divisible by 4 */
	assert_false(date_valid("1900-02-29")); /* divisible by 100 only */
	assert_false(date_valid("2023-02-29"));
	assert_false(date_valid("2100-02-29"));
	assert_true(date_valid("1900-02-28"));
	assert_true(date_valid("2026-04-30"));
	assert_false(date_valid("2026-04-31"));
	assert_false(date_valid("2026-06-31"));
	assert_false(date_valid("2026-09-31"));
	assert_false(date_valid("2026-11-31"));
	assert_true(date_valid("2026-01-31"));
	assert_true(date_valid("2026-08-31"));
	assert_false(date_valid("2024-13-01"));
	assert_false(date_valid("2024-00-01"));
	assert_false(date_valid("2024-01-00"));
	assert_false(date_valid("2024-01-32"));
	assert_false(date_valid(""));
	assert_false(date_valid(NULL));
	assert_false(date_valid("2026-1-01"));
	assert_false(date_valid("2026-01-1"));
	assert_false(date_valid("2026-01-01 "));
	assert_false(date_valid("2026-01-01T00:00:00Z"));
	assert_false(date_valid("2026/01/01"));
	assert_false(date_valid("2026-0a-01"));
	assert_false(date_valid("+026-01-01"));
	assert_false(date_valid("-2026-01-01"));
}

static void test_days_in_month(void **state)
{
	(void)state;
	static const int common[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (int m = 1; m <= 12; m++) {
		assert_int_equal(days_in_month(2023, m), common[m - 1]);
		assert_int_equal(days_in_month(2024, m), m == 2 ? 29 : common[m - 1]);
	}
	assert_int_equal(days_in_month(2000, 2), 29);
	assert_int_equal(days_in_month(1900, 2), 28);
	assert_int_equal(days_in_month(2100, 2), 28);
	assert_int_equal(days_in_month(2400, 2), 29);
	assert_int_equal(days_in_month(2026, 2), 28);
	assert_int_equal(days_in_month(2028, 2), 29);
}

static void test_now_and_mono(void **state)
{
	(void)state;
	int64_t now = time_now();
	/* Later than 2025-01-01 and earlier than 2100-01-01. */
	assert_true(now > 1735660800);
	assert_true(now < 4102444800);
	int64_t a = time_mono_us();
	int64_t b = time_mono_us();
	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tz_offset_constant),
		cmocka_unit_test(test_rfc3339_epoch),
		cmocka_unit_test(test_rfc3339_known_instants),
		cmocka_unit_test(test_rfc3339_before_epoch),
		cmocka_unit_test(test_rfc3339_length),
		cmocka_unit_test(test_date_across_china_midnight),
		cmocka_unit_test(test_date_buffer_size),
		cmocka_unit_test(test_parse_date_only_is_china_midnight),
		cmocka_unit_test(test_parse_offsets),
		cmocka_unit_test(test_parse_fractional_seconds),
		cmocka_unit_test(test_parse_roundtrip),
		cmocka_unit_test(test_parse_rejects_impossible_dates),
		cmocka_unit_test(test_parse_rejects_bad_times),
		cmocka_unit_test(test_parse_rejects_bad_offsets),
		cmocka_unit_test(test_parse_rejects_junk_and_trailing),
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_now_and_mono),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

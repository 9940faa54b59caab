/*
 * Unit tests for domain/pacing.h.  Each case names its numbers: T days in
 * the period, E elapsed, N target, D done, so the expected status can be
 * checked by hand against the definitions in pacing.h.  Most cases use
 * 2023-Q3 (2023-07-01..2023-09-30, T = 92), whose grace time for N = 4 ends
 * after E = 22 and whose exact line D * T = N * E is crossed on 2023-08-15.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <math.h>

#include <cmocka.h>

#include "domain/pacing.h"

static int day_of(const char *date)
{
	int day = 0;
	if (period_day_parse(date, &day) != ZRZ_OK)
		fail_msg("bad date in test: %s", date);
	return day;
}

/* Assess against a period key, failing the test on error. */
static struct pacing assess(const char *key, int target, int done, const char *today, double rate)
{
	struct period p;
	struct pacing out;
	if (period_parse(key, &p) != ZRZ_OK)
		fail_msg("bad key in test: %s", key);
	int rc = pacing_assess_period(&p, target, done, day_of(today), rate, &out);
	if (rc != ZRZ_OK)
		fail_msg("pacing_assess_period(%s, %d, %d, %s) = %d", key, target, done, today, rc);
	return out;
}

static void check(const char *key, int target, int done, const char *today, double rate,
		  enum pacing_status want)
{
	struct pacing got = assess(key, target, done, today, rate);
	if (got.status != want)
		fail_msg("%s N=%d D=%d on %s (E=%d/%d): %s, want %s", key, target, done, today,
			 got.elapsed, got.total, pacing_status_code(got.status),
			 pacing_status_code(want));
}

static void assert_near(double got, double want)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("got %.12f, want %.12f", got, want);
}

static void test_status_codes(void **state)
{
	(void)state;
	static const struct {
		enum pacing_status s;
		const char *code, *label;
	} cases[] = {
		{PACING_MET, "met", "已完成"},
		{PACING_ON_TRACK, "on_track", "进度正常"},
		{PACING_AT_RISK, "at_risk", "有风险"},
		{PACING_MISSED, "missed", "未完成"},
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(cases); i++) {
		enum pacing_status s = PACING_MISSED + 1;
		assert_string_equal(pacing_status_code(cases[i].s), cases[i].code);
		assert_string_equal(pacing_status_label(cases[i].s), cases[i].label);
		assert_int_equal(pacing_status_parse(cases[i].code, &s), ZRZ_OK);
		assert_int_equal(s, cases[i].s);
	}
	static const char *const bad[] = {"",        "MET",     "on-track", "ontrack",
					  "at risk", "missed ", "upcoming", "已完成"};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		enum pacing_status s = PACING_AT_RISK;
		assert_int_equal(pacing_status_parse(bad[i], &s), ZRZ_EINVAL);
		assert_int_equal(s, PACING_AT_RISK);
	}
	enum pacing_status s = PACING_AT_RISK;
	assert_int_equal(pacing_status_parse(NULL, &s), ZRZ_EINVAL);
	assert_null(pacing_status_code((enum pacing_status)PACING_STATUS_COUNT));
	assert_null(pacing_status_label((enum pacing_status)99));
}

static void test_rejects_bad_input(void **state)
{
	(void)state;
	int f = day_of("2023-07-01"), l = day_of("2023-09-30"), t = day_of("2023-08-01");
	struct pacing out = {.status = PACING_MISSED, .elapsed = 77};
	/* An obligation of "at least 0" is no obligation. */
	assert_int_equal(pacing_assess(0, 0, f, l, t, PACING_NO_RATE, &out), ZRZ_EINVAL);
	assert_int_equal(pacing_assess(0, 3, f, l, t, PACING_NO_RATE, &out), ZRZ_EINVAL);
	assert_int_equal(pacing_assess(-2, 0, f, l, t, PACING_NO_RATE, &out), ZRZ_EINVAL);
	assert_int_equal(pacing_assess(INT_MIN, 0, f, l, t, PACING_NO_RATE, &out), ZRZ_EINVAL);
	assert_int_equal(pacing_assess(3, -1, f, l, t, PACING_NO_RATE, &out), ZRZ_EINVAL);
	assert_int_equal(pacing_assess(3, 0, l, f, t, PACING_NO_RATE, &out), ZRZ_EINVAL);
	assert_int_equal(pacing_assess(3, 0, f, f - 1, t, PACING_NO_RATE, &out), ZRZ_EINVAL);
	assert_int_equal(pacing_assess(3, 0, f, l, t, NAN, &out), ZRZ_EINVAL);
	assert_int_equal(pacing_assess(3, 0, f, l, t, INFINITY, &out), ZRZ_EINVAL);
	assert_int_equal(pacing_assess(3, 0, f, l, t, -INFINITY, &out), ZRZ_EINVAL);
	/* Untouched on error. */
	assert_int_equal(out.status, PACING_MISSED);
	assert_int_equal(out.elapsed, 77);

	struct period bad = {PERIOD_WEEK, 2023, 53};
	assert_int_equal(pacing_assess_period(&bad, 1, 0, t, PACING_NO_RATE, &out), ZRZ_EINVAL);
	struct period q3 = {PERIOD_QUARTER, 2023, 3};
	assert_int_equal(pacing_assess_period(&q3, 0, 0, t, PACING_NO_RATE, &out), ZRZ_EINVAL);
	assert_int_equal(out.elapsed, 77);
}

static void test_met(void **state)
{
	(void)state;
	/* Met whenever done reaches the target: before, during, on the last day, after. */
	check("2023-Q3", 4, 4, "2023-06-01", PACING_NO_RATE, PACING_MET);
	check("2023-Q3", 4, 4, "2023-07-01", PACING_NO_RATE, PACING_MET);
	check("2023-Q3", 4, 4, "2023-08-15", PACING_NO_RATE, PACING_MET);
	check("2023-Q3", 4, 4, "2023-09-30", PACING_NO_RATE, PACING_MET);
	check("2023-Q3", 4, 4, "2024-03-01", PACING_NO_RATE, PACING_MET);
	check("2023-Q3", 4, 9, "2023-10-01", PACING_NO_RATE, PACING_MET);
	check("2023-Q3", 1, 1000000, "2023-07-02", PACING_NO_RATE, PACING_MET);
	check("2023", 1, 1, "2023-01-01", PACING_NO_RATE, PACING_MET);
}

static void test_missed(void **state)
{
	(void)state;
	/* The day after the last day, and any later day, short of the target. */
	check("2023-Q3", 4, 3, "2023-10-01", PACING_NO_RATE, PACING_MISSED);
	check("2023-Q3", 4, 0, "2023-10-01", PACING_NO_RATE, PACING_MISSED);
	check("2023-Q3", 4, 0, "2026-01-01", 5.0, PACING_MISSED);
	check("2023-02", 1, 0, "2023-03-01", PACING_NO_RATE, PACING_MISSED);
	check("2024-02", 1, 0, "2024-03-01", PACING_NO_RATE, PACING_MISSED);
	check("2025-W01", 1, 0, "2025-01-06", PACING_NO_RATE, PACING_MISSED);
	/* Still running on its last day (2024-02-29, 2025-01-05): at risk, not missed. */
	check("2024-02", 1, 0, "2024-02-29", PACING_NO_RATE, PACING_AT_RISK);
	check("2025-W01", 1, 0, "2025-01-05", PACING_NO_RATE, PACING_AT_RISK);
	check("2023-Q3", 4, 3, "2023-09-30", PACING_NO_RATE, PACING_AT_RISK);
	/* A huge historic rate cannot save a period with no days left. */
	check("2023-Q3", 4, 0, "2023-09-30", 100.0, PACING_AT_RISK);
}

static void test_not_started(void **state)
{
	(void)state;
	check("2023-Q3", 4, 0, "2023-06-30", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-Q3", 4, 3, "2023-06-30", PACING_NO_RATE, PACING_ON_TRACK);
	check("2999-Q4", 4, 0, "2023-01-01", 0.0, PACING_ON_TRACK);
	struct pacing p = assess("2023-Q3", 4, 0, "2023-06-30", PACING_NO_RATE);
	assert_int_equal(p.elapsed, 0);
	assert_int_equal(p.total, 92);
	assert_near(p.expected, 0.0);
	assert_near(p.behind, 0.0);
	/* Records dated ahead put it ahead of an even pace: behind < 0. */
	p = assess("2023-Q3", 4, 1, "2023-06-30", PACING_NO_RATE);
	assert_near(p.behind, -0.25);
	assert_near(p.rate, 0.0);
	assert_near(p.projected, 1.0);
	/* Not started, the history is the only pace there is: 1 + 0.5 * 92. */
	p = assess("2023-Q3", 4, 1, "2023-06-30", 0.5);
	assert_int_equal(p.status, PACING_ON_TRACK);
	assert_near(p.rate, 0.5);
	assert_near(p.projected, 47.0);
}

/*
 * Grace: on_track while E * 10 <= T, or while E * N < T and 2 * E < T.
 * 2023-Q3, T = 92, nothing done, no history:
 *   N = 4:  E * 4 < 92 through E = 22 (2023-07-22); at risk from E = 23.
 *   N = 1:  capped at half: 2 * E < 92 through E = 45 (2023-08-14).
 *   N = 20: one interval is 4.6 days, so the first tenth rules: E * 10 <= 92
 *           through E = 9 (2023-07-09); at risk from E = 10.
 */
static void test_grace(void **state)
{
	(void)state;
	check("2023-Q3", 4, 0, "2023-07-01", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-Q3", 4, 0, "2023-07-22", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-Q3", 4, 0, "2023-07-23", PACING_NO_RATE, PACING_AT_RISK);
	check("2023-Q3", 1, 0, "2023-08-14", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-Q3", 1, 0, "2023-08-15", PACING_NO_RATE, PACING_AT_RISK);
	check("2023-Q3", 20, 0, "2023-07-09", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-Q3", 20, 0, "2023-07-10", PACING_NO_RATE, PACING_AT_RISK);
	/* Grace holds with some done too: 1 of 20 by E = 9 projects to 10.2. */
	check("2023-Q3", 20, 1, "2023-07-09", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-Q3", 20, 1, "2023-07-10", PACING_NO_RATE, PACING_AT_RISK);

	/* The first tenth includes its last day: T = 30, E = 3, N = 20 (interval 1.5). */
	check("2023-09", 20, 0, "2023-09-03", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-09", 20, 0, "2023-09-04", PACING_NO_RATE, PACING_AT_RISK);

	/* 支委会 每月1次: a 31-day month through the 15th, a 30-day one through the 14th. */
	check("2023-07", 1, 0, "2023-07-15", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-07", 1, 0, "2023-07-16", PACING_NO_RATE, PACING_AT_RISK);
	check("2023-09", 1, 0, "2023-09-14", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-09", 1, 0, "2023-09-15", PACING_NO_RATE, PACING_AT_RISK);
	check("2023-02", 1, 0, "2023-02-13", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-02", 1, 0, "2023-02-14", PACING_NO_RATE, PACING_AT_RISK);
	/* Weekly, once: Monday to Wednesday (2023-04-03..05), at risk from Thursday. */
	check("2023-W14", 1, 0, "2023-04-05", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-W14", 1, 0, "2023-04-06", PACING_NO_RATE, PACING_AT_RISK);
	/* 每年至少2次, none: on track through 2023-07-01 (E = 182), at risk on 07-02. */
	check("2023", 2, 0, "2023-07-01", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023", 2, 0, "2023-07-02", PACING_NO_RATE, PACING_AT_RISK);
	/* 12 a year: one interval is 30.4 days, the first tenth 36.5: through 2023-02-05. */
	check("2023", 12, 0, "2023-02-05", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023", 12, 0, "2023-02-06", PACING_NO_RATE, PACING_AT_RISK);
}

/*
 * With D > 0 the unit's own rate decides: at risk exactly when D * T < N * E.
 * 2023-Q3, N = 4, on 2023-08-15 (E = 46, half of T = 92): D = 2 is exactly
 * on the line (P = 4.0) and on track; one day later it is short (P = 3.91).
 */
static void test_projection_line(void **state)
{
	(void)state;
	check("2023-Q3", 4, 2, "2023-08-15", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-Q3", 4, 2, "2023-08-16", PACING_NO_RATE, PACING_AT_RISK);
	check("2023-Q3", 4, 1, "2023-08-15", PACING_NO_RATE, PACING_AT_RISK);
	check("2023-Q3", 4, 3, "2023-08-15", PACING_NO_RATE, PACING_ON_TRACK);
	/* 3 of 4 by E = 69 is exactly on pace; by E = 70 it is not. */
	check("2023-Q3", 4, 3, "2023-09-07", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023-Q3", 4, 3, "2023-09-08", PACING_NO_RATE, PACING_AT_RISK);
	/* 12 a year, 2023-07-01 (E = 182, T = 365): 6 * 365 = 2190 >= 12 * 182 = 2184. */
	check("2023", 12, 6, "2023-07-01", PACING_NO_RATE, PACING_ON_TRACK);
	check("2023", 12, 5, "2023-07-01", PACING_NO_RATE, PACING_AT_RISK);
	/* 6 of 12 falls behind on E = 183: 2190 < 2196. */
	check("2023", 12, 6, "2023-07-02", PACING_NO_RATE, PACING_AT_RISK);
	/* Leap year: T = 366, 6 * 366 = 2196 = 12 * 183, so 2024-07-01 (E = 183) holds. */
	check("2024", 12, 6, "2024-07-01", PACING_NO_RATE, PACING_ON_TRACK);
	check("2024", 12, 6, "2024-07-02", PACING_NO_RATE, PACING_AT_RISK);

	struct pacing p = assess("2023-Q3", 4, 2, "2023-08-15", PACING_NO_RATE);
	assert_int_equal(p.elapsed, 46);
	assert_int_equal(p.total, 92);
	assert_near(p.rate, 2.0 / 46.0);
	assert_near(p.projected, 4.0);
	assert_near(p.expected, 2.0);
	assert_near(p.behind, 0.0);
}

/*
 * With D = 0 the historic rate is the unit's pace.  2023-Q3 on 2023-08-15:
 * E = 46, L = 46, out of grace for N = 2 (2 * 46 = 92 is not < 92).
 */
static void test_history_rate(void **state)
{
	(void)state;
	/* 0.05 a day * 46 days = 2.3 >= 2; 0.04 * 46 = 1.84 < 2. */
	check("2023-Q3", 2, 0, "2023-08-15", 0.05, PACING_ON_TRACK);
	check("2023-Q3", 2, 0, "2023-08-15", 0.04, PACING_AT_RISK);
	check("2023-Q3", 2, 0, "2023-08-15", 0.0, PACING_AT_RISK);
	check("2023-Q3", 2, 0, "2023-08-15", PACING_NO_RATE, PACING_AT_RISK);
	/* Any negative rate means none. */
	check("2023-Q3", 2, 0, "2023-08-15", -7.5, PACING_AT_RISK);
	/* Grace still comes first: a zero rate in the grace time is on track. */
	check("2023-Q3", 2, 0, "2023-08-14", 0.0, PACING_ON_TRACK);

	struct pacing p = assess("2023-Q3", 2, 0, "2023-08-15", 0.05);
	assert_near(p.rate, 0.05);
	assert_near(p.projected, 2.3);

	/*
	 * Once something is done the period's own rate rules and the history
	 * is ignored: 1 of 4 by E = 46 projects to 2 whatever the history.
	 */
	check("2023-Q3", 4, 1, "2023-08-15", 10.0, PACING_AT_RISK);
	p = assess("2023-Q3", 4, 1, "2023-08-15", 10.0);
	assert_near(p.rate, 1.0 / 46.0);
	assert_near(p.projected, 2.0);
	/* ... and a slow history does not drag a good own pace down. */
	check("2023-Q3", 4, 3, "2023-08-15", 0.0, PACING_ON_TRACK);
}

static void test_pacing_rate(void **state)
{
	(void)state;
	int jan1 = day_of("2023-01-01");
	assert_near(pacing_rate(10, jan1, day_of("2023-01-10")), 1.0);
	assert_near(pacing_rate(3, jan1, jan1), 3.0);
	assert_near(pacing_rate(0, jan1, day_of("2023-12-31")), 0.0);
	assert_near(pacing_rate(73, jan1, day_of("2023-12-31")), 0.2);
	assert_true(pacing_rate(5, jan1, jan1 - 1) == PACING_NO_RATE);
	assert_true(pacing_rate(-1, jan1, jan1 + 9) == PACING_NO_RATE);
	assert_true(PACING_NO_RATE < 0);
}

/* Periods of one day: at risk on the day itself, never in grace. */
static void test_one_day_period(void **state)
{
	(void)state;
	int d = day_of("2023-05-04");
	struct pacing p;
	assert_int_equal(pacing_assess(1, 0, d, d, d, PACING_NO_RATE, &p), ZRZ_OK);
	assert_int_equal(p.status, PACING_AT_RISK);
	assert_int_equal(p.elapsed, 1);
	assert_int_equal(p.total, 1);
	assert_int_equal(pacing_assess(1, 0, d, d, d + 1, PACING_NO_RATE, &p), ZRZ_OK);
	assert_int_equal(p.status, PACING_MISSED);
	assert_int_equal(pacing_assess(1, 0, d, d, d - 1, PACING_NO_RATE, &p), ZRZ_OK);
	assert_int_equal(p.status, PACING_ON_TRACK);
	assert_int_equal(pacing_assess(1, 1, d, d, d, PACING_NO_RATE, &p), ZRZ_OK);
	assert_int_equal(p.status, PACING_MET);
}

/* Extreme values stay exact and free of overflow (run under UBSan). */
static void test_extremes(void **state)
{
	(void)state;
	struct pacing p;
	assert_int_equal(pacing_assess(INT_MAX, INT_MAX - 1, PERIOD_DAY_MIN, PERIOD_DAY_MAX,
				       PERIOD_DAY_MAX, PACING_NO_RATE, &p),
			 ZRZ_OK);
	assert_int_equal(p.status, PACING_AT_RISK);
	assert_int_equal(p.total, PERIOD_DAY_MAX - PERIOD_DAY_MIN + 1);
	assert_true(p.behind > 0 && p.behind < 1e-9);
	assert_int_equal(pacing_assess(INT_MAX, INT_MAX, PERIOD_DAY_MIN, PERIOD_DAY_MAX, 0,
				       PACING_NO_RATE, &p),
			 ZRZ_OK);
	assert_int_equal(p.status, PACING_MET);
	assert_int_equal(pacing_assess(1, 0, -1000000000, 1000000000, 1000000000,
				       PACING_NO_RATE, &p),
			 ZRZ_OK);
	assert_int_equal(p.status, PACING_AT_RISK);
	assert_int_equal(p.total, 2000000001);
	/* Spans whose length does not fit an int are refused, not wrapped. */
	assert_int_equal(pacing_assess(1, 0, INT_MIN, INT_MAX, 0, PACING_NO_RATE, &p),
			 ZRZ_EINVAL);
	assert_int_equal(pacing_assess(1, 0, 0, INT_MAX, 0, PACING_NO_RATE, &p), ZRZ_EINVAL);
	assert_int_equal(pacing_assess(1, 0, 1, INT_MAX, 0, PACING_NO_RATE, &p), ZRZ_OK);
	assert_int_equal(p.total, INT_MAX);
	assert_int_equal(pacing_assess(1, 0, 0, 10, INT_MIN, PACING_NO_RATE, &p), ZRZ_OK);
	assert_int_equal(p.status, PACING_ON_TRACK);
	assert_int_equal(p.elapsed, 0);
	assert_int_equal(pacing_assess(1, 0, 0, 10, INT_MAX, PACING_NO_RATE, &p), ZRZ_OK);
	assert_int_equal(p.status, PACING_MISSED);
	assert_int_equal(p.elapsed, 11);
}

/*
 * Behind = (N * E - T * min(D, N)) / (N * T).  2023-Q3, N = 4, T = 92.
 */
static void test_behind_score(void **state)
{
	(void)state;
	/* E = 46: even pace expects 2.  D = 1: (184 - 92) / 368 = 0.25. */
	struct pacing p = assess("2023-Q3", 4, 1, "2023-08-15", PACING_NO_RATE);
	assert_near(p.expected, 2.0);
	assert_near(p.behind, 0.25);
	/* D = 0: 0.5; D = 2 exactly on pace: 0; D = 3: -0.25. */
	assert_near(assess("2023-Q3", 4, 0, "2023-08-15", PACING_NO_RATE).behind, 0.5);
	assert_near(assess("2023-Q3", 4, 2, "2023-08-15", PACING_NO_RATE).behind, 0.0);
	assert_near(assess("2023-Q3", 4, 3, "2023-08-15", PACING_NO_RATE).behind, -0.25);
	/* Met counts the target only: 4 and 40 done score the same, E / T - 1. */
	assert_near(assess("2023-Q3", 4, 4, "2023-08-15", PACING_NO_RATE).behind, -0.5);
	assert_near(assess("2023-Q3", 4, 40, "2023-08-15", PACING_NO_RATE).behind, -0.5);
	assert_near(assess("2023-Q3", 4, 40, "2023-10-15", PACING_NO_RATE).behind, 0.0);
	/* Missed: 1 - D / N. */
	p = assess("2023-Q3", 4, 1, "2023-10-01", PACING_NO_RATE);
	assert_near(p.expected, 4.0);
	assert_near(p.behind, 0.75);
	assert_near(assess("2023-Q3", 4, 0, "2024-10-01", PACING_NO_RATE).behind, 1.0);
	/* First day: E = 1, 4 / 368. */
	assert_near(assess("2023-Q3", 4, 0, "2023-07-01", PACING_NO_RATE).behind, 4.0 / 368.0);
}

static int cmp_wrap(const void *a, const void *b)
{
	return pacing_cmp_behind(a, b);
}

static void test_sort_most_behind(void **state)
{
	(void)state;
	struct pacing rows[6];
	rows[0] = assess("2023-Q3", 4, 4, "2023-08-15", PACING_NO_RATE); /* met, -0.5 */
	rows[1] = assess("2023-Q3", 4, 1, "2023-10-01", PACING_NO_RATE); /* missed, 0.75 */
	rows[2] = assess("2023-Q3", 4, 2, "2023-08-15", PACING_NO_RATE); /* on_track, 0 */
	rows[3] = assess("2023-Q3", 4, 0, "2023-08-15", PACING_NO_RATE); /* at_risk, 0.5 */
	rows[4] = assess("2023-Q3", 4, 0, "2023-06-01", PACING_NO_RATE); /* on_track, 0 */
	rows[5] = assess("2023-Q3", 1, 0, "2023-10-01", PACING_NO_RATE); /* missed, 1 */
	qsort(rows, ZRZ_ARRAY_LEN(rows), sizeof(rows[0]), cmp_wrap);
	assert_near(rows[0].behind, 1.0);
	assert_int_equal(rows[0].status, PACING_MISSED);
	assert_near(rows[1].behind, 0.75);
	assert_int_equal(rows[2].status, PACING_AT_RISK);
	assert_near(rows[3].behind, 0.0);
	assert_near(rows[4].behind, 0.0);
	assert_near(rows[5].behind, -0.5);
	assert_int_equal(rows[5].status, PACING_MET);

	/* Equal fractions compare equal: 1 of 4 and 2 of 8, 1 of 3 and 2 of 6. */
	struct pacing a = assess("2023-Q3", 8, 2, "2023-08-15", PACING_NO_RATE);
	struct pacing b = assess("2023-Q3", 4, 1, "2023-08-15", PACING_NO_RATE);
	assert_near(a.behind, 0.25);
	assert_true(a.behind == b.behind);
	assert_int_equal(pacing_cmp_behind(&a, &b), 0);
	a = assess("2023", 3, 1, "2023-05-17", PACING_NO_RATE);
	b = assess("2023", 6, 2, "2023-05-17", PACING_NO_RATE);
	assert_true(a.behind == b.behind);
	assert_int_equal(pacing_cmp_behind(&a, &b), 0);
	/*
	 * Across periods too: 1 of 10 in 2023 on 2023-03-14 (73/365 - 1/10)
	 * and 2 of 5 in 2023-Q3 on 2023-08-15 (46/92 - 2/5) are both exactly
	 * 1/10 behind, though E / T - D / N in doubles gives 0.1 and
	 * 0.09999999999999998.
	 */
	a = assess("2023", 10, 1, "2023-03-14", PACING_NO_RATE);
	b = assess("2023-Q3", 5, 2, "2023-08-15", PACING_NO_RATE);
	assert_true(a.behind == b.behind);
	assert_int_equal(pacing_cmp_behind(&a, &b), 0);
	/* Equal scores: the more urgent status first (missed 1 of 2 vs at_risk). */
	struct pacing m = assess("2023", 2, 1, "2024-01-01", PACING_NO_RATE);
	struct pacing r = assess("2023-Q3", 2, 0, "2023-08-15", PACING_NO_RATE);
	assert_near(m.behind, 0.5);
	assert_near(r.behind, 0.5);
	assert_true(pacing_cmp_behind(&m, &r) < 0);
	assert_true(pacing_cmp_behind(&r, &m) > 0);
}

/*
 * Over every day around 2023-Q3 and every D for a few targets: more done is
 * never a worse status, a later day never turns missed back into anything
 * else, and the status matches the definitions in pacing.h restated with
 * doubles.
 */
static void test_consistency_sweep(void **state)
{
	(void)state;
	static const int rank[PACING_STATUS_COUNT] = {
		[PACING_MET] = 0, [PACING_ON_TRACK] = 1, [PACING_AT_RISK] = 2, [PACING_MISSED] = 3};
	static const int targets[] = {1, 2, 3, 4, 12, 52, 100};
	int f = day_of("2023-07-01"), l = day_of("2023-09-30");
	for (size_t ti = 0; ti < ZRZ_ARRAY_LEN(targets); ti++) {
		int n = targets[ti];
		for (int today = f - 3; today <= l + 3; today++) {
			int prev_rank = 99;
			for (int d = 0; d <= n + 1; d++) {
				struct pacing p;
				int rc = pacing_assess(n, d, f, l, today, PACING_NO_RATE, &p);
				assert_int_equal(rc, ZRZ_OK);
				int r = rank[p.status];
				if (r > prev_rank)
					fail_msg("N=%d day %d: D=%d worse than D=%d", n,
						 today - f + 1, d, d - 1);
				prev_rank = r;

				double T = 92.0, E = p.elapsed;
				bool grace = E <= T / 10.0 || (E < T / n && E < T / 2.0);
				double proj = d > 0 && E > 0 ? d * T / E : 0.0;
				enum pacing_status want;
				if (d >= n)
					want = PACING_MET;
				else if (today > l)
					want = PACING_MISSED;
				else if (today < f || grace)
					want = PACING_ON_TRACK;
				else if (proj < n - 1e-9)
					want = PACING_AT_RISK;
				else
					want = PACING_ON_TRACK;
				if (p.status != want)
					fail_msg("N=%d E=%d D=%d: %s, want %s", n, p.elapsed, d,
						 pacing_status_code(p.status),
						 pacing_status_code(want));
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_codes),
		cmocka_unit_test(test_rejects_bad_input),
		cmocka_unit_test(test_met),
		cmocka_unit_test(test_missed),
		cmocka_unit_test(test_not_started),
		cmocka_unit_test(test_grace),
		cmocka_unit_test(test_projection_line),
		cmocka_unit_test(test_history_rate),
		cmocka_unit_test(test_pacing_rate),
		cmocka_unit_test(test_one_day_period),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_behind_score),
		cmocka_unit_test(test_sort_most_behind),
		cmocka_unit_test(test_consistency_sweep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

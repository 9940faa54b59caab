/*
 * Unit tests for the pure rules of domain/incident.h: a stage's status at
 * the edges (exactly 75 % of the time used is at risk, exactly the deadline
 * is still at risk, one second later overdue; done on time or late), the
 * order of the stages, and the Chinese names.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/incident.h"

/* Found at t0, 60 minutes to go: at risk from minute 45. */
static const int64_t T0 = 1769873400; /* 2026-01-31T23:30:00+08:00 */
#define DUE (T0 + 3600)

static void test_status_edges(void **state)
{
	(void)state;
	assert_null(incident_stage_status(T0, 0, 0, T0));
	assert_string_equal(incident_stage_status(T0, DUE, 0, T0), "on_time");
	assert_string_equal(incident_stage_status(T0, DUE, 0, T0 + 45 * 60 - 1), "on_time");
	assert_string_equal(incident_stage_status(T0, DUE, 0, T0 + 45 * 60), "at_risk");
	assert_string_equal(incident_stage_status(T0, DUE, 0, DUE), "at_risk");
	assert_string_equal(incident_stage_status(T0, DUE, 0, DUE + 1), "overdue");
	/* Done: on time up to the deadline itself, late after it, whenever asked. */
	assert_string_equal(incident_stage_status(T0, DUE, DUE, DUE + 86400), "on_time");
	assert_string_equal(incident_stage_status(T0, DUE, DUE + 1, DUE + 2), "overdue");
	assert_string_equal(incident_stage_status(T0, DUE, T0 + 60, DUE + 86400), "on_time");
	/* An odd number of seconds: 75 % of 7 s is 5.25 s, at risk from 6 s. */
	assert_string_equal(incident_stage_status(T0, T0 + 7, 0, T0 + 5), "on_time");
	assert_string_equal(incident_stage_status(T0, T0 + 7, 0, T0 + 6), "at_risk");
}

static void test_stage_order(void **state)
{
	(void)state;
	assert_string_equal(incident_next_stage("found"), "assess");
	assert_string_equal(incident_next_stage("assess"), "report");
	assert_string_equal(incident_next_stage("report"), "handle");
	assert_string_equal(incident_next_stage("handle"), "close");
	assert_null(incident_next_stage("close"));
	assert_null(incident_next_stage("published"));
	int n = 0;
	while (incident_stages[n])
		n++;
	assert_int_equal(n, 4);
}

static void test_labels(void **state)
{
	(void)state;
	assert_string_equal(incident_label("online_post"), "网络帖文涉及本单位");
	assert_string_equal(incident_label("channel_fault"), "阵地异常");
	assert_string_equal(incident_label("major"), "重大");
	assert_string_equal(incident_label("serious"), "较大");
	assert_string_equal(incident_label("general"), "一般");
	assert_string_equal(incident_label("assess"), "研判");
	assert_string_equal(incident_label("close"), "结案");
	assert_string_equal(incident_label("unknown_code"), "unknown_code");
	for (int i = 0; incident_sources[i]; i++)
		assert_string_not_equal(incident_label(incident_sources[i]), incident_sources[i]);
	for (int i = 0; incident_severities[i]; i++)
		assert_string_not_equal(incident_label(incident_severities[i]),
					incident_severities[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_edges),
		cmocka_unit_test(test_stage_order),
		cmocka_unit_test(test_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

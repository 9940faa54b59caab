/*
 * Pacing: the compliance status of one obligation in one period ("at least
 * N records of kind K in 2023-Q3"), from the target N, the records done so
 * far and today's date, plus a score that sorts a rollup by how far behind
 * each unit is.  Pure arithmetic on day numbers (see domain/period.h): no
 * store, no clock; the caller passes today.
 *
 * Definitions.  Let T be the days of the period, E the days of it elapsed
 * as of today, today included (0 before it starts, T on its last day and
 * after it), L = T - E the days left, N the target (N >= 1) and D the
 * records done.
 *
 *   met       D >= N, whenever that is (also before the period starts).
 *   missed    the period is over (today after its last day) and D < N.
 *   on_track  the period has not started yet; or it is in its grace time;
 *             or the projection below reaches N.
 *   at_risk   the period is running, past its grace time, and the
 *             projection falls short of N.  The last day counts: a unit
 *             still short on the last day is at risk, and missed only the
 *             next day.
 *
 * Projection: the unit's own rate r, in records per day, is D / E when
 * D > 0 and E > 0.  Otherwise (nothing done yet, or the period not started)
 * the period says nothing about the unit's pace, so r is the rate the
 * caller passes from the unit's history (records of the same kind per day
 * over the year so far, see pacing_rate()), or 0 when it has none.  The
 * projected count at the end is P = D + r * L, and at_risk means P < N.
 * With D > 0 this is D * T < N * E, which is how it is computed: exactly,
 * in integers, so a unit exactly on an even pace is on track.
 *
 * Grace: whatever D, it is too early to call a unit at risk while
 * E * 10 <= T (the first tenth of the period), or while less than one
 * expected interval has passed, E * N < T (an even pace puts one record
 * every T / N days), but never past half of the period, 2 * E < T (without
 * that cap an obligation of one per quarter would only turn at risk on its
 * last day, too late to remind anyone).  So "支委会 每月1次" with nothing done is on track through
 * the 15th of a 31-day month and at risk from the 16th.
 *
 * Behind score: the share of the target the unit lags an even pace by,
 *
 *   behind = (N * E / T - min(D, N)) / N  =  E / T - min(D, N) / N,
 *
 * between -1 and 1; larger is further behind.  It is 0 for a unit exactly
 * on an even pace, negative for one ahead of it (and for periods not yet
 * started), at most E / T - 1 <= 0 once met, and 1 - D / N for a missed
 * period.  In integers, for SQL: (N * E - T * min(D, N)) / (N * T).
 */
#ifndef ZRZ_DOMAIN_PACING_H
#define ZRZ_DOMAIN_PACING_H

#include <stdbool.h>

#include "domain/period.h"

enum pacing_status {
	PACING_MET,
	PACING_ON_TRACK,
	PACING_AT_RISK,
	PACING_MISSED,
};

#define PACING_STATUS_COUNT 4

/* Passed as the historic rate when the caller has none. */
#define PACING_NO_RATE (-1.0)

/* The assessment of one obligation period; see the definitions above. */
struct pacing {
	enum pacing_status status;
	int elapsed;      /* E: days of the period up to and including today */
	int total;        /* T: days in the period */
	double rate;      /* r: records per day used for the projection */
	double expected;  /* N * E / T: what an even pace would have done by today */
	double projected; /* P = D + r * L: the count the period would end with */
	double behind;    /* the behind score, -1..1, larger is further behind */
};

/* "met", "on_track", "at_risk", "missed"; NULL outside the enum.  Static. */
const char *pacing_status_code(enum pacing_status s);

/* 已完成, 进度正常, 有风险, 未完成; NULL outside the enum.  Static. */
const char *pacing_status_label(enum pacing_status s);

/* Parse a status code exactly.  Returns ZRZ_OK or ZRZ_EINVAL (*out untouched). */
int pacing_status_parse(const char *code, enum pacing_status *out);

/*
 * Assess an obligation of target records over the days first..last (day
 * numbers, both inclusive) with done records so far, as of day today.
 * history_rate is the unit's records of this kind per day over the year so
 * far, used only when done is 0 or the period has not started; pass
 * PACING_NO_RATE (any negative value) when there is none.  Fills *out and
 * returns ZRZ_OK, or returns ZRZ_EINVAL (leaving *out untouched) when
 * target < 1 (an obligation of "at least 0" is no obligation), done < 0,
 * first > last, a span of INT_MAX days or more (no period is that long; the
 * limit keeps day counts in an int), or history_rate is not a finite number.
 */
int pacing_assess(int target, int done, int first, int last, int today, double history_rate,
		  struct pacing *out);

/* pacing_assess() over the days of period p; ZRZ_EINVAL also when p is not valid. */
int pacing_assess_period(const struct period *p, int target, int done, int today,
			 double history_rate, struct pacing *out);

/*
 * Records per day: count records over the days first..today, both
 * inclusive, e.g. the records of one kind since 1 January, for the
 * history_rate of pacing_assess().  PACING_NO_RATE when today < first or
 * count < 0.
 */
double pacing_rate(int count, int first, int today);

/* The tie-break rank of pacing_cmp_behind: 0 missed, 1 at_risk, 2 on_track,
 * 3 met (smaller sorts first); PACING_STATUS_COUNT for an unknown status. */
int pacing_status_urgency(enum pacing_status s);

/*
 * Order for "most behind first": negative when a is further behind than b.
 * Compares the behind scores, then the status (missed before at_risk before
 * on_track before met); 0 when both agree, for the caller to break the tie
 * (by unit, say).  The scores are computed as one division of the integer
 * form above, so equal fractions compare equal.
 */
int pacing_cmp_behind(const struct pacing *a, const struct pacing *b);

#endif

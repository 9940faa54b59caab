/*
 * Pacing of obligation periods: the status (met, on_track, at_risk, missed)
 * and the behind score that domain/pacing.h defines.  The decisions are
 * made on integers wherever the definitions allow, so that a unit exactly
 * on the line always lands on the same side of it; the doubles in struct
 * pacing are for showing and sorting.
 */
#include "core/common.h"
#include "domain/pacing.h"

#include <limits.h>
#include <math.h>

static const char *const status_codes[PACING_STATUS_COUNT] = {
	[PACING_MET] = "met",
	[PACING_ON_TRACK] = "on_track",
	[PACING_AT_RISK] = "at_risk",
	[PACING_MISSED] = "missed",
};

static const char *const status_labels[PACING_STATUS_COUNT] = {
	[PACING_MET] = "已完成",
	[PACING_ON_TRACK] = "进度正常",
	[PACING_AT_RISK] = "有风险",
	[PACING_MISSED] = "未完成",
};

/* Urgency for tie-breaking "most behind": smaller sorts first. */
static const int status_urgency[PACING_STATUS_COUNT] = {
	[PACING_MISSED] = 0,
	[PACING_AT_RISK] = 1,
	[PACING_ON_TRACK] = 2,
	[PACING_MET] = 3,
};

static bool status_known(enum pacing_status s)
{
	return (unsigned)s < PACING_STATUS_COUNT;
}

const char *pacing_status_code(enum pacing_status s)
{
	return status_known(s) ? status_codes[s] : NULL;
}

const char *pacing_status_label(enum pacing_status s)
{
	return status_known(s) ? status_labels[s] : NULL;
}

int pacing_status_parse(const char *code, enum pacing_status *out)
{
	if (!code)
		return ZRZ_EINVAL;
	for (int s = 0; s < PACING_STATUS_COUNT; s++) {
		if (strcmp(code, status_codes[s]) == 0) {
			*out = (enum pacing_status)s;
			return ZRZ_OK;
		}
	}
	return ZRZ_EINVAL;
}

/* The grace time of pacing.h: too early to call a running period at risk. */
static bool in_grace(int64_t elapsed, int64_t total, int64_t target)
{
	if (elapsed * 10 <= total)
		return true;
	return elapsed * target < total && elapsed * 2 < total;
}

int pacing_assess(int target, int done, int first, int last, int today, double history_rate,
		  struct pacing *out)
{
	if (target < 1 || done < 0 || first > last || (int64_t)last - first >= INT_MAX ||
	    isnan(history_rate) || isinf(history_rate))
		return ZRZ_EINVAL;
	int64_t n = target;
	int64_t d = done;
	int64_t t = (int64_t)last - first + 1;
	int64_t e = today < first ? 0 : today > last ? t : (int64_t)today - first + 1;
	int64_t left = t - e;
	int64_t credited = d < n ? d : n;

	double rate = 0.0;
	if (d > 0 && e > 0)
		rate = (double)d / (double)e;
	else if (history_rate > 0)
		rate = history_rate;

	enum pacing_status status;
	if (d >= n) {
		status = PACING_MET;
	} else if (today > last) {
		status = PACING_MISSED;
	} else if (today < first || in_grace(e, t, n)) {
		status = PACING_ON_TRACK;
	} else if (d > 0) {
		/* P = D + (D / E) * L = D * T / E, and P < N without dividing. */
		status = d * t < n * e ? PACING_AT_RISK : PACING_ON_TRACK;
	} else {
		status = rate * (double)left < (double)n ? PACING_AT_RISK : PACING_ON_TRACK;
	}

	*out = (struct pacing){
		.status = status,
		.elapsed = (int)e,
		.total = (int)t,
		.rate = rate,
		.expected = (double)(n * e) / (double)t,
		.projected = (double)d + rate * (double)left,
		.behind = (double)(n * e - t * credited) / (double)(n * t),
	};
	return ZRZ_OK;
}

int pacing_assess_period(const struct period *p, int target, int done, int today,
			 double history_rate, struct pacing *out)
{
	int first, last;
	int rc = period_bounds(p, &first, &last);
	if (rc < 0)
		return rc;
	return pacing_assess(target, done, first, last, today, history_rate, out);
}

double pacing_rate(int count, int first, int today)
{
	if (count < 0 || today < first)
		return PACING_NO_RATE;
	return (double)count / ((double)today - (double)first + 1.0);
}

int pacing_status_urgency(enum pacing_status s)
{
	return status_known(s) ? status_urgency[s] : PACING_STATUS_COUNT;
}

int pacing_cmp_behind(const struct pacing *a, const struct pacing *b)
{
	if (a->behind > b->behind)
		return -1;
	if (a->behind < b->behind)
		return 1;
	int ua = status_known(a->status) ? status_urgency[a->status] : PACING_STATUS_COUNT;
	int ub = status_known(b->status) ? status_urgency[b->status] : PACING_STATUS_COUNT;
	return (ua > ub) - (ua < ub);
}

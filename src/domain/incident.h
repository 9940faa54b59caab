/*
 * Incidents (舆情事件处置): events that concern the unit itself (a news
 * report, a complaint, a post about the unit, a superior's notice, a
 * failed channel), recorded by its staff and handled 第一时间发现、研判、
 * 报送、处置: found at found_at, then the stages assess (研判), report
 * (报送), handle (处置) and close (结案), in that order and each once.
 * Each timed stage has a deadline, found_at plus the unit's limit for the
 * incident's severity and that stage (defaults below, configurable per
 * unit; the limits in force when the incident is recorded apply), and a
 * status: on_time, at_risk once 75 % of its time is used, overdue after
 * the deadline (a stage done late stays overdue).  Reporting sends the
 * incident to the inbox of the unit above (domain/inbox.h) in the same
 * transaction.  Every change is audited in the caller's transaction.
 */
#ifndef ZRZ_DOMAIN_INCIDENT_H
#define ZRZ_DOMAIN_INCIDENT_H

#include <jansson.h>

#include "domain/app.h"

#define INCIDENT_TITLE_MAX 200
#define INCIDENT_TEXT_MAX 5000
#define INCIDENT_NOTE_MAX 2000
/* The longest limit, in minutes (30 days). */
#define INCIDENT_LIMIT_MAX (30 * 24 * 60)
/* found_at may lie this many seconds in the future (clocks differ). */
#define INCIDENT_CLOCK_SKEW 300
/* The most incidents the statistics read. */
#define INCIDENT_STATS_MAX 100000

/* media, complaint, online_post, superior_notice, channel_fault, other. */
extern const char *const incident_sources[];
/* general, serious, major (一般, 较大, 重大). */
extern const char *const incident_severities[];
/* assess, report, handle, close: the stages after finding, in order. */
extern const char *const incident_stages[];

/* The Chinese name of a source, severity or stage code (the code itself
 * when unknown).  Static storage. */
const char *incident_label(const char *code);
/* The stage after stage (found, assess, report, handle), or NULL. */
const char *incident_next_stage(const char *stage);

/* The limits of a unit: [severity][stage] in minutes, severity and stage
 * indexed as in incident_severities and the first three incident_stages. */
struct incident_limits {
	int64_t minutes[3][3];
	bool custom[3][3]; /* set by the unit, not the default */
};

int incident_limits_get(struct db *db, struct arena *a, int64_t org_id,
			struct incident_limits *out);
/*
 * Set some of org_id's limits from limits, a JSON object {"major":
 * {"assess": 60, ...}, ...} (borrowed; absent entries keep their value).
 * Each 1..INCIDENT_LIMIT_MAX minutes, and per severity assess <= report <=
 * handle.  ZRZ_EINVAL with e naming the field.  Audited (incident.limits).
 */
int incident_limits_set(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
			json_t *limits, struct incident_limits *out, struct derr *e);
json_t *incident_limits_json(const struct incident_limits *l);

int incident_get(struct db *db, struct arena *a, int64_t id, struct incident *out);
int incident_list(struct db *db, struct arena *a, const struct incident_filter *f,
		  int64_t offset, int64_t limit, struct incident **items, int *n, int64_t *total);
/*
 * Record x (org_id, title, source, severity, optional description,
 * found_at) with its four stages and their deadlines.  found_at may not
 * lie in the future (beyond INCIDENT_CLOCK_SKEW) nor before 2000.
 * ZRZ_EINVAL with e naming the field.  Audited (incident.create).
 */
int incident_create(struct db *db, struct arena *a, const struct actor *who,
		    const struct incident *x, struct incident *out, struct derr *e);
/*
 * Do stage (one of incident_stages) of cur now, with an optional note.
 * Only the next stage in order: skipping or repeating one is ZRZ_ECONFLICT;
 * an unknown stage or a bad note ZRZ_EINVAL.  The report stage sends the
 * incident to the inbox of the unit above (ZRZ_EINVAL, field org_id, when
 * there is none).  Audited (incident.advance).
 */
int incident_advance(struct db *db, struct arena *a, const struct actor *who,
		     const struct incident *cur, const char *stage, const char *note,
		     struct incident *out, struct derr *e);

/* on_time, at_risk or overdue of a stage due at due (0: no limit: NULL)
 * and done at done (0: not yet), as of now. */
const char *incident_stage_status(int64_t found_at, int64_t due, int64_t done, int64_t now);

/* The incident as lists show it, with its status as of now (on_time,
 * at_risk or overdue for its next timed stage; done once handled). */
json_t *incident_json(const struct incident *x, int64_t now);
/* The incident with its timeline: "stages" (each with deadline, status,
 * done time, actor and note) and "inbox" (the latest item it was sent up
 * as, or null).  *out is a new reference. */
int incident_detail_json(struct db *db, struct arena *a, const struct incident *x, int64_t now,
			 json_t **out);

/*
 * The statistics of the incidents of the units under path found in year
 * (China time): per severity and in all, the count and, for each stage,
 * how many were done and the average, median and longest minutes from
 * found_at.  *out is a new reference.
 */
int incident_stats(struct db *db, struct arena *a, const char *path, int year, json_t **out);

#endif

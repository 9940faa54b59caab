/*
 * Reminders (提醒): notices created by the reminder job once per event, read
 * in the app with a read mark per user, and sent to the notify channels an
 * org configures (企业微信 / 钉钉 group robots, e-mail; domain/deliver.h).
 *
 * Events, each keyed so that it is written once however often or however
 * concurrently the job runs (notice.event_key is unique):
 *
 *   obligation:ID:PERIOD:due_soon  the period ends within due_days days
 *                                  (today included) and done < target;
 *   obligation:ID:PERIOD:at_risk   pacing says at risk (domain/pacing.h);
 *   obligation:ID:PERIOD:missed    the period is over and short, noticed
 *                                  only within NOTICE_MISSED_DAYS after its
 *                                  end (an obligation created in the middle
 *                                  of a year does not flood its unit with
 *                                  the past months it was never asked for);
 *   plan_item:ID:due_soon          an item of a live plan, not done, is due
 *                                  within due_days days (today included);
 *   plan_item:ID:overdue           (kind plan_overdue) its due date has
 *                                  passed, noticed within NOTICE_MISSED_DAYS;
 *   incident:ID:STAGE:at_risk      (kind incident_at_risk) 75 % of the time
 *                                  of an incident's next stage is used;
 *   incident:ID:STAGE:overdue      (kind incident_overdue) its deadline has
 *                                  passed (remind_incidents, a job of its
 *                                  own that runs every minute);
 *   review:ID:ROUND:STAGE:due      (kind review_due) a submission of the
 *                                  three-stage review has waited at a stage
 *                                  for three quarters of the unit's limit;
 *   review:ID:ROUND:STAGE:overdue  (kind review_overdue) the limit passed;
 *   channel:ID:PERIOD:due          (kind inspection_due) a channel (阵地)
 *                                  is not inspected yet in a period that
 *                                  ends within due_days days;
 *   channel:ID:PERIOD:overdue      (kind inspection_overdue) a whole period
 *                                  of its frequency passed without one;
 *   measure:ID:due                 (kind measure_due) a rectification
 *                                  measure's deadline is within due_days;
 *   measure:ID:overdue             (kind measure_overdue) it has passed.
 *
 * Who sees a notice: every user with a grant (other than the three
 * administrator roles) on the notice's unit; and a subtree grant on the
 * unit's parent also sees its at_risk, missed and overdue notices (逐级:
 * each level follows up the level directly below it; a province's
 * committee is not told of every school), but not its "due soon" ones,
 * which are for the unit itself.  The rollup of compliance shows a whole
 * subtree to whoever wants it.
 */
#ifndef ZRZ_DOMAIN_NOTICE_H
#define ZRZ_DOMAIN_NOTICE_H

#include <jansson.h>

#include "domain/app.h"

#define NOTICE_MISSED_DAYS 31
#define CHANNEL_NAME_MAX 50
#define CHANNEL_TARGET_MAX 1000
#define CHANNEL_SECRET_MAX 200
#define CHANNEL_EMAILS_MAX 20

extern const char *const notice_kinds[];   /* NULL-terminated */
extern const char *const channel_kinds[];  /* NULL-terminated */

/* What one run of the reminder job did. */
struct remind_stats {
	int64_t examined; /* obligation periods looked at */
	int64_t created;  /* notices written */
	int64_t queued;   /* deliveries queued */
};

/*
 * Run every event source as of day today (a day number, domain/period.h):
 * write the notices that do not exist yet, audit each (actor: the
 * scheduler) and queue a delivery for every active channel of its unit.
 * The caller holds no transaction: this reads in read transactions and
 * writes in short write transactions of its own (see notice.c).
 */
int remind_run(struct app *app, struct db *db, int today, struct remind_stats *st);

/*
 * The incidents' events as of now (the remind_incidents job, every minute:
 * their deadlines are hours, not days).  Like remind_run, the caller holds
 * no transaction.  st->examined counts the incidents at risk looked at.
 */
int remind_incidents(struct app *app, struct db *db, struct remind_stats *st);

/* Today for the reminder job: app->notify.today when set, else the date in
 * China now.  ZRZ_EINVAL when the configured date is not a real one. */
int remind_today(const struct app *app, int *today);

/* ---- in the app ---- */
int notice_list(struct db *db, struct arena *a, int64_t user_id, bool unread_only,
		int64_t offset, int64_t limit, struct notice **items, int *n, int64_t *total,
		int64_t *unread);
int notice_unread(struct db *db, int64_t user_id, int64_t *count);
/* Mark notice id read for the caller (ZRZ_ENOTFOUND when the caller does
 * not see it).  Audited when the mark is new; reading twice is no error. */
int notice_mark_read(struct db *db, struct arena *a, const struct actor *who, int64_t id,
		     int64_t *marked);
/* Mark every notice the caller sees read; one audit row with the count. */
int notice_mark_all(struct db *db, const struct actor *who, int64_t *marked);
json_t *notice_json(const struct notice *n);

/* ---- channels ---- */
/*
 * Check c's fields: kind one of channel_kinds; name 1..50 characters;
 * target an http(s) URL with a host (wecom, dingtalk) or 1..20 e-mail
 * addresses separated by commas (email); secret only for dingtalk.
 * ZRZ_EINVAL with e naming the field.
 */
int channel_check(const struct notify_channel *c, struct derr *e);
/*
 * Call fn (may be NULL) for each address of a comma-separated list, spaces
 * around each skipped; returns how many there are, or -1 when one is not a
 * valid address.
 */
int channel_emails(const char *list, void (*fn)(void *ctx, const char *addr, size_t n),
		   void *ctx);
int channel_get(struct db *db, struct arena *a, int64_t id, struct notify_channel *out);
int channel_list(struct db *db, struct arena *a, int64_t org_id,
		 struct notify_channel **items, int *n);
/* Create / update (all fields of c) / delete c, audited; the secret never
 * goes into the audit trail. */
int channel_create(struct db *db, struct arena *a, const struct actor *who,
		   const struct notify_channel *c, struct notify_channel *out, struct derr *e);
int channel_update(struct db *db, struct arena *a, const struct actor *who,
		   const struct notify_channel *c, struct notify_channel *out, struct derr *e);
int channel_delete(struct db *db, const struct actor *who, const struct notify_channel *c);
/* Queue a test message to c now; *delivery_id gets its delivery.  Audited. */
int channel_test(struct db *db, const struct actor *who, const struct notify_channel *c,
		 int64_t *delivery_id);
/* The channel without its secret: secret_set, and the last 4 characters. */
json_t *channel_json(const struct notify_channel *c);
int delivery_list(struct db *db, struct arena *a, int64_t channel_id, int64_t offset,
		  int64_t limit, struct notice_delivery **items, int *n, int64_t *total);
json_t *delivery_json(const struct notice_delivery *d);

#endif

/*
 * Channels (阵地): the unit's own publication channels (its website, 微信公众号,
 * 微博, video accounts, 微信群/QQ群, 宣传栏, 讲座/论坛, 内部刊物), each with a
 * responsible person (谁主管谁负责、谁主办谁负责) and an inspection frequency.
 *
 * An inspection is a ledger record of kind channel_inspection (created
 * through ledger_create, so the counters and compliance move exactly as for
 * any record) plus a channel_inspection row tying it to the channel.  A
 * record deleted through /records takes its inspection with it: it is no
 * longer listed, and the channel's last inspection and due date go back to
 * the previous one; restoring the record brings it back.
 *
 * Due and overdue: inspections follow the calendar periods of the
 * frequency (ISO weeks, months, quarters, halves, years, in China time).
 * From the last inspection (or the opening date, or the day the channel was
 * registered) the channel must be inspected again within the next whole
 * period; inspect_due is the last day of that period, and an active channel
 * is overdue once today is past it, i.e. when a whole period has gone by
 * without an inspection.
 *
 * Obligations: see outlet_sync_obligation().
 */
#ifndef ZRZ_DOMAIN_OUTLET_H
#define ZRZ_DOMAIN_OUTLET_H

#include <jansson.h>

#include "domain/app.h"

#define OUTLET_NAME_MAX 100
#define OUTLET_REG_NO_MAX 100
#define OUTLET_ADDRESS_MAX 500
#define OUTLET_NOTE_MAX 2000
#define OUTLET_INSPECTOR_MAX 50
#define OUTLET_FINDINGS_MAX 20000
#define OUTLET_PROBLEMS_MAX 1000
#define OUTLET_RECORD_KIND "channel_inspection"

extern const char *const outlet_kinds[];       /* NULL-terminated */
extern const char *const outlet_statuses[];    /* NULL-terminated */
extern const char *const outlet_frequencies[]; /* NULL-terminated */

int outlet_get(struct db *db, struct arena *a, int64_t id, struct outlet *out);
int outlet_list(struct db *db, struct arena *a, const struct outlet_filter *f, int64_t offset,
		int64_t limit, struct outlet **items, int *n, int64_t *total);

/*
 * Register channel c (org_id, kind, name, owner_id and the optional
 * fields; the caller has checked that who may write in org_id).  Validates
 * every field (the owner: an unlocked user of the unit or a unit above it),
 * keeps its due date and the unit's inspection obligation, audits
 * channel.create and fills *out.  ZRZ_EINVAL with e set for invalid input.
 */
int outlet_create(struct db *db, struct arena *a, const struct actor *who,
		  const struct outlet *c, struct outlet *out, struct derr *e);
/*
 * Replace cur by next (cur with the changed fields).  A channel closed gets
 * closed_on (today unless given); one reopened loses it.  The owner is
 * checked only when it changes, so a channel whose owner left can still be
 * edited.  Audits channel.update with the changed fields.
 */
int outlet_update(struct db *db, struct arena *a, const struct actor *who,
		  const struct outlet *cur, const struct outlet *next, struct outlet *out,
		  struct derr *e);
/* Soft-delete cur, a channel registered by mistake: ZRZ_ECONFLICT when it
 * has inspections (a channel that stops is closed instead, keeping them). */
int outlet_delete(struct db *db, struct arena *a, const struct actor *who,
		  const struct outlet *cur, struct derr *e);

/*
 * Record an inspection of channel c: date, inspector, findings (may be
 * NULL) and problems (how many problems were found).  Creates the ledger
 * record (kind channel_inspection, host = inspector, minutes = findings)
 * and the inspection row, moves the channel's due date and audits
 * channel.inspect, all in the caller's transaction.  ZRZ_ECONFLICT for a
 * closed channel.
 */
int outlet_inspect(struct db *db, struct arena *a, const struct actor *who,
		   const struct outlet *c, const struct outlet_inspection *x,
		   struct outlet_inspection *out, struct derr *e);
int outlet_inspections(struct db *db, struct arena *a, int64_t channel_id,
		       struct outlet_inspection **items, int *n);

/* Record record_id changed (date, deletion, restoration): when it is an
 * inspection, recompute its channel's last inspection and due date. */
int outlet_record_changed(struct db *db, struct arena *a, int64_t record_id);

/*
 * Keep the obligation (org_id, channel_inspection, period year, year of day
 * number today) equal to what the unit's active channels ask for (see
 * outlet.c).  Audited as obligation.create / obligation.update /
 * obligation.delete.
 */
int outlet_sync_obligation(struct db *db, struct arena *a, const struct actor *who,
			   int64_t org_id, int today);
/*
 * A new year: make the obligation of the year of today for every unit with
 * active channels that has none yet, in write transactions of its own (the
 * caller holds none).  *synced gets how many units were looked at.
 */
int outlet_roll_year(struct db *db, const struct actor *who, int today, int64_t *synced);

/* The channel as JSON, with overdue assessed for day number today. */
json_t *outlet_json(const struct outlet *c, int today);
json_t *outlet_inspection_json(const struct outlet_inspection *x);

/*
 * The reminders of one page of channels due by day today + due_days - 1,
 * after channel id after_id (for the reminder job, which holds a read
 * transaction): inspection_due when the current period of a channel ends
 * within due_days days (today included) without an inspection in it,
 * inspection_overdue when a whole period went by without one (one notice
 * per channel and period, keyed channel:ID:PERIOD:due|overdue).  *cand gets
 * up to 2 * limit notices (arena), *nread how many channels were read and
 * *last_id the last one.
 */
int outlet_reminders(struct db *db, struct arena *a, int today, int due_days, int64_t after_id,
		     int limit, struct notice **cand, int *nc, int *nread, int64_t *last_id);

#endif

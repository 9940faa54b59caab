/*
 * The reminder job's event sources, notices in the app and the notify
 * channels of an org.  The job reads compliance the way a superior's rollup
 * does (two queries per top-level unit: its obligations and its counters,
 * never the ledger), falling back to one unit and its children at a time
 * when a subtree is larger than one rollup may read.  Each event becomes a
 * notice by an insert that does nothing when the event's key exists, so a
 * notice and its deliveries are written once, whoever runs the job.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/incident.h"
#include "domain/notice.h"
#include "domain/obligation.h"
#include "domain/outlet.h"
#include "domain/period.h"
#include "store/rectify.h"
#include "store/repo.h"

#include <curl/curl.h>

/* One line per part that makes notices, so that parts merge cleanly. */
/* clang-format off */
const char *const notice_kinds[] = {
	"due_soon", "at_risk", "missed", "plan_overdue",
	"inspection_due", "inspection_overdue", /* 阵地检查 (outlet reminders) */
	"incident_at_risk", "incident_overdue", /* 舆情事件处置 (remind_incidents) */
	"measure_due", "measure_overdue",       /* 问题整改 (source_measures) */
	"review_due", "review_overdue",         /* 三审 (source_reviews) */
	NULL,
};
/* clang-format on */
const char *const channel_kinds[] = {"wecom", "dingtalk", "email", NULL};

static const struct actor scheduler_actor = {0, "scheduler"};

/* Obligation periods the reminder job reads, then writes, at a time. */
#define REMIND_CHUNK 200

struct remind_ctx {
	struct app *app;
	struct db *db;
	int today;
	int64_t now;
	const struct record_kind *kinds;
	int nkinds;
	struct remind_stats *st;
};

/* Write notice n unless its event happened already; audit it and queue it
 * for the active channels of its unit. */
static int emit(struct remind_ctx *cx, struct arena *a, const struct notice *n)
{
	int64_t id = 0;
	int rc = store_notice_insert(cx->db, n, cx->now, &id);
	if (rc || !id)
		return rc;
	cx->st->created++;
	rc = audit_log(cx->db, &scheduler_actor, n->org_id, "notice.create", "notice", id,
		       json_pack("{s:s, s:s}", "event_key", n->event_key, "kind", n->kind));
	if (rc)
		return rc;
	struct notify_channel *ch;
	int nch;
	rc = store_channel_list(cx->db, a, n->org_id, true, &ch, &nch);
	for (int i = 0; !rc && i < nch; i++) {
		int64_t did;
		rc = store_delivery_insert(cx->db, id, ch[i].id, cx->now, &did);
		if (!rc)
			cx->st->queued++;
	}
	return rc;
}

static const char *kind_name(const struct remind_ctx *cx, const char *code)
{
	for (int i = 0; i < cx->nkinds; i++)
		if (!strcmp(cx->kinds[i].code, code))
			return cx->kinds[i].name;
	return code;
}

/*
 * Write those of the nc candidate notices cand whose events have no notice
 * yet: first a read finds them (so a run with nothing new never takes the
 * writer lock), then one short write transaction writes them, each with its
 * audit row and deliveries.  The insert itself still does nothing for an
 * event another run wrote in the meantime.
 */
static int write_new(struct remind_ctx *cx, struct arena *a, struct notice *cand, int nc)
{
	int nnew = 0;
	int rc = nc ? app_begin_read(cx->db) : ZRZ_OK;
	for (int i = 0; !rc && i < nc; i++) {
		bool exists = false;
		rc = store_notice_exists(cx->db, cand[i].event_key, &exists);
		if (!exists)
			cand[nnew++] = cand[i];
	}
	if (app_in_tx(cx->db))
		app_rollback(cx->db);
	if (!rc && nnew) {
		rc = app_begin(cx->db);
		for (int i = 0; !rc && i < nnew; i++)
			rc = emit(cx, a, &cand[i]);
		if (!rc)
			rc = app_commit(cx->db);
		else if (app_in_tx(cx->db))
			app_rollback(cx->db);
	}
	return rc;
}

/* ---- source: obligations ---- */

/* The events of obligation o of unit org_name in period p (done records)
 * as notices, into out (room for 3); *n gets how many. */
static int events_of(struct remind_ctx *cx, struct arena *a, const struct obligation *o,
		     const char *org_name, const struct period *p, int64_t done,
		     const struct pacing *pc, struct notice *out, int *n)
{
	cx->st->examined++;
	*n = 0;
	int first, last;
	if (period_bounds(p, &first, &last))
		return ZRZ_EINTERNAL;
	const char *kinds[2];
	int nk = 0;
	if (pc->status == PACING_MISSED && cx->today - last <= NOTICE_MISSED_DAYS)
		kinds[nk++] = "missed";
	if (pc->status == PACING_AT_RISK)
		kinds[nk++] = "at_risk";
	if ((pc->status == PACING_AT_RISK || pc->status == PACING_ON_TRACK) && first <= cx->today &&
	    last - cx->today < cx->app->notify.due_days && done < o->min)
		kinds[nk++] = "due_soon";
	if (!nk)
		return ZRZ_OK;
	char key[PERIOD_KEY_SIZE], label[PERIOD_LABEL_SIZE];
	char d1[PERIOD_DATE_SIZE], d2[PERIOD_DATE_SIZE];
	period_format(p, key, sizeof(key));
	period_label(p, label, sizeof(label));
	period_dates(p, d1, d2);
	const char *what = kind_name(cx, o->kind);
	for (int i = 0; i < nk; i++) {
		struct notice *x = &out[(*n)++];
		memset(x, 0, sizeof(*x));
		x->org_id = o->org_id;
		x->kind = kinds[i];
		x->event_key = arena_printf(a, "obligation:%lld:%s:%s", (long long)o->id, key,
					   kinds[i]);
		const char *tag = !strcmp(kinds[i], "missed")	 ? "未完成"
				  : !strcmp(kinds[i], "at_risk") ? "有风险"
								 : "即将到期";
		x->title = arena_printf(a, "【%s】%s：%s“%s”已完成 %lld/%lld 次", tag, org_name,
				       label, what, (long long)done, (long long)o->min);
		const char *tail = !strcmp(kinds[i], "missed")
					   ? "该周期已结束，未达到要求。"
				   : !strcmp(kinds[i], "at_risk")
					   ? "按目前进度，到期时难以完成，请及时安排。"
					   : arena_printf(a, "距截止日期 %s 还有 %d 天，请及时安排。", d2,
							  last - cx->today + 1);
		x->body = arena_printf(a, "%s %s（%s 至 %s）应完成“%s”至少 %lld 次，目前已完成 %lld 次。%s",
				      org_name, label, d1, d2, what, (long long)o->min,
				      (long long)done, tail);
		x->link = arena_printf(a, "/ledger/compliance?org_id=%lld&year=%lld",
				       (long long)o->org_id, (long long)o->year);
	}
	return ZRZ_OK;
}

/* One obligation period to consider. */
struct remind_item {
	const struct obligation *o;
	const char *org_name;
	struct period period;
	int64_t done;
	struct pacing pacing;
};

/*
 * Write the new events of items, REMIND_CHUNK items at a time: first a read
 * finds which of a chunk's events have no notice yet (so a run with nothing
 * new never takes the writer lock), then one short write transaction writes
 * those.  Each notice commits with its audit row and deliveries; a run that
 * stops half-way leaves whole notices, and the next run writes the rest.
 * The insert itself still does nothing for an event another run wrote in
 * the meantime.
 */
static int write_items(struct remind_ctx *cx, const struct remind_item *items, int n)
{
	int rc = ZRZ_OK;
	for (int start = 0; !rc && start < n; start += REMIND_CHUNK) {
		int end = n - start < REMIND_CHUNK ? n : start + REMIND_CHUNK;
		struct arena *a = arena_new();
		struct notice *cand = arena_alloc(a, sizeof(*cand) * 3 * (size_t)(end - start));
		int nc = 0;
		for (int i = start; !rc && i < end; i++) {
			int k = 0;
			rc = events_of(cx, a, items[i].o, items[i].org_name, &items[i].period,
				       items[i].done, &items[i].pacing, &cand[nc], &k);
			nc += k;
		}
		if (!rc)
			rc = write_new(cx, a, cand, nc);
		arena_free(a);
	}
	return rc;
}

static int obligations_of_subtree(struct remind_ctx *cx, const struct org *top, int year);

/* One unit alone, then each of its children's subtrees. */
static int obligations_split(struct remind_ctx *cx, const struct org *top, int year)
{
	struct arena *a = arena_new();
	struct compliance_row *rows;
	int n;
	int rc = app_begin_read(cx->db);
	if (!rc)
		rc = compliance_of(cx->db, a, top->id, year, cx->today, &rows, &n);
	if (app_in_tx(cx->db))
		app_rollback(cx->db);
	if (!rc) {
		struct remind_item *items = arena_alloc(a, sizeof(*items) * ((size_t)n + 1));
		for (int i = 0; i < n; i++)
			items[i] = (struct remind_item){rows[i].obligation, top->name, rows[i].period,
							rows[i].done, rows[i].pacing};
		rc = write_items(cx, items, n);
	}
	for (int64_t offset = 0; !rc;) {
		struct org *kids;
		int nkids;
		int64_t total;
		rc = store_org_children(cx->db, a, top->id, offset, 200, &kids, &nkids, &total);
		for (int i = 0; !rc && i < nkids; i++)
			rc = obligations_of_subtree(cx, &kids[i], year);
		offset += nkids;
		if (!nkids || offset >= total)
			break;
	}
	arena_free(a);
	return rc;
}

static int obligations_of_subtree(struct remind_ctx *cx, const struct org *top, int year)
{
	struct arena *a = arena_new();
	struct rollup_row *rows;
	int n;
	struct derr e = {0};
	int rc = app_begin_read(cx->db);
	if (!rc)
		rc = compliance_rollup(cx->db, a, top->path, year, cx->today, NULL,
				       ROLLUP_SORT_ORG, &rows, &n, &e);
	if (app_in_tx(cx->db))
		app_rollback(cx->db);
	if (rc == ZRZ_EINVAL) {
		/* Too many for one read: this unit, then its children. */
		arena_free(a);
		return obligations_split(cx, top, year);
	}
	if (!rc) {
		struct remind_item *items = arena_alloc(a, sizeof(*items) * ((size_t)n + 1));
		for (int i = 0; i < n; i++)
			items[i] = (struct remind_item){&rows[i].ob->o, rows[i].ob->org_name,
							rows[i].period, rows[i].done,
							rows[i].pacing};
		rc = write_items(cx, items, n);
	}
	arena_free(a);
	return rc;
}

/*
 * Obligations of the year of today, and of the year before while its last
 * periods can still turn "missed" (the first NOTICE_MISSED_DAYS of a year).
 */
static int source_obligations(struct remind_ctx *cx)
{
	int y, m, d, py;
	civil_from_days(cx->today, &y, &m, &d);
	civil_from_days(cx->today - NOTICE_MISSED_DAYS, &py, &m, &d);
	struct arena *a = arena_new();
	int rc = ZRZ_OK;
	for (int year = py; !rc && year <= y; year++) {
		for (int64_t offset = 0; !rc;) {
			struct org *roots;
			int nroots;
			int64_t total;
			rc = store_org_children(cx->db, a, 0, offset, 200, &roots, &nroots, &total);
			for (int i = 0; !rc && i < nroots; i++)
				rc = obligations_of_subtree(cx, &roots[i], year);
			offset += nroots;
			if (!nroots || offset >= total)
				break;
		}
	}
	arena_free(a);
	return rc;
}

/* ---- source: plan items ---- */

/*
 * Items of a 工作要点 not done: "due_soon" when the due date is within the
 * next due_days days (key plan_item:ID:due_soon), "plan_overdue" once it
 * has passed, for NOTICE_MISSED_DAYS days after (key plan_item:ID:overdue).
 * The window is read REMIND_CHUNK items at a time through a partial index
 * of the open items by due date.
 */
static int source_plan_items(struct remind_ctx *cx)
{
	char from[PERIOD_DATE_SIZE], to[PERIOD_DATE_SIZE];
	period_day_format(cx->today - NOTICE_MISSED_DAYS, from, sizeof(from));
	period_day_format(cx->today + cx->app->notify.due_days - 1, to, sizeof(to));
	char after_due[PERIOD_DATE_SIZE] = "";
	int64_t after_id = 0;
	int rc = ZRZ_OK;
	for (;;) {
		struct arena *a = arena_new();
		struct plan_item_due *items;
		int n = 0;
		rc = app_begin_read(cx->db);
		if (!rc)
			rc = store_plan_items_due(cx->db, a, from, to, after_due, after_id,
						  REMIND_CHUNK, &items, &n);
		if (app_in_tx(cx->db))
			app_rollback(cx->db);
		struct notice *cand = NULL;
		if (n) {
			cand = arena_alloc(a, sizeof(*cand) * (size_t)n);
			memset(cand, 0, sizeof(*cand) * (size_t)n);
		}
		for (int i = 0; !rc && i < n; i++) {
			const struct plan_item_due *x = &items[i];
			int due;
			if (period_day_parse(x->due, &due))
				continue; /* the API stores valid dates only */
			bool overdue = due < cx->today;
			struct notice *c = &cand[i];
			c->org_id = x->org_id;
			c->kind = overdue ? "plan_overdue" : "due_soon";
			c->event_key = arena_printf(a, "plan_item:%lld:%s", (long long)x->item_id,
						    overdue ? "overdue" : "due_soon");
			c->title = arena_printf(a, "【%s】%s：工作要点事项%s", overdue ? "已逾期" : "即将到期",
						x->org_name, overdue ? "已过期限" : "临近期限");
			c->body = arena_printf(
				a, "%s《%s》中的事项“%s”期限为 %s，%s", x->org_name, x->plan_title, x->text,
				x->due,
				overdue ? arena_printf(a, "已逾期 %d 天，尚未完成。", cx->today - due)
					: arena_printf(a, "还有 %d 天，尚未完成，请及时安排。",
						       due - cx->today + 1));
			c->link = arena_printf(a, "/plans/%lld", (long long)x->plan_id);
		}
		int nc = 0;
		for (int i = 0; i < n; i++)
			if (cand[i].event_key)
				cand[nc++] = cand[i];
		if (!rc)
			rc = write_new(cx, a, cand, nc);
		if (n) {
			snprintf(after_due, sizeof(after_due), "%s", items[n - 1].due);
			after_id = items[n - 1].item_id;
		}
		arena_free(a);
		if (rc || n < REMIND_CHUNK)
			break;
	}
	return rc;
}

/* ---- source: channels (阵地) due for inspection ---- */

/*
 * Channels whose inspection is due or overdue (domain/outlet.h), read
 * REMIND_CHUNK channels at a time in id order through their due date.
 */
static int source_outlets(struct remind_ctx *cx)
{
	/* First, in a new year, the units' yearly inspection obligations. */
	int64_t synced;
	int rc = outlet_roll_year(cx->db, &scheduler_actor, cx->today, &synced);
	int64_t after = 0;
	for (; !rc;) {
		struct arena *a = arena_new();
		struct notice *cand = NULL;
		int nc = 0, nread = 0;
		rc = app_begin_read(cx->db);
		if (!rc)
			rc = outlet_reminders(cx->db, a, cx->today, (int)cx->app->notify.due_days,
					      after, REMIND_CHUNK, &cand, &nc, &nread, &after);
		if (app_in_tx(cx->db))
			app_rollback(cx->db);
		if (!rc)
			rc = write_new(cx, a, cand, nc);
		arena_free(a);
		if (rc || nread < REMIND_CHUNK)
			break;
	}
	return rc;
}

/* ---- source: rectification measures ---- */

/*
 * Open measures of problems not closed (问题整改): "measure_due" when the
 * deadline is within the next due_days days (key measure:ID:due), then
 * "measure_overdue" once it has passed, for NOTICE_MISSED_DAYS days after
 * (key measure:ID:overdue).  Read REMIND_CHUNK at a time through the
 * partial index of open measures by deadline.
 */
static int source_measures(struct remind_ctx *cx)
{
	char from[PERIOD_DATE_SIZE], to[PERIOD_DATE_SIZE];
	period_day_format(cx->today - NOTICE_MISSED_DAYS, from, sizeof(from));
	period_day_format(cx->today + cx->app->notify.due_days - 1, to, sizeof(to));
	char after[PERIOD_DATE_SIZE] = "";
	int64_t after_id = 0;
	int rc = ZRZ_OK;
	for (;;) {
		struct arena *a = arena_new();
		struct measure_due *items;
		int n = 0;
		rc = app_begin_read(cx->db);
		if (!rc)
			rc = store_measures_due(cx->db, a, from, to, after, after_id, REMIND_CHUNK,
						&items, &n);
		if (app_in_tx(cx->db))
			app_rollback(cx->db);
		struct notice *cand = n ? arena_alloc(a, sizeof(*cand) * (size_t)n) : NULL;
		int nc = 0;
		for (int i = 0; !rc && i < n; i++) {
			const struct measure_due *x = &items[i];
			int due;
			if (period_day_parse(x->deadline, &due))
				continue; /* the API stores valid dates only */
			bool overdue = due < cx->today;
			struct notice *c = &cand[nc++];
			memset(c, 0, sizeof(*c));
			c->org_id = x->org_id;
			c->kind = overdue ? "measure_overdue" : "measure_due";
			c->event_key = arena_printf(a, "measure:%lld:%s", (long long)x->measure_id,
						    overdue ? "overdue" : "due");
			c->title = arena_printf(a, "【%s】%s：整改措施%s", overdue ? "已逾期" : "即将到期",
						x->org_name, overdue ? "已过期限" : "临近期限");
			c->body = arena_printf(
				a, "%s的问题“%s”的整改措施“%s”期限为 %s，%s", x->org_name,
				x->problem_title, x->text, x->deadline,
				overdue ? arena_printf(a, "已逾期 %d 天，尚未完成。", cx->today - due)
					: arena_printf(a, "还有 %d 天，尚未完成，请及时推进。",
						       due - cx->today + 1));
			c->link = arena_printf(a, "/problems/%lld", (long long)x->problem_id);
		}
		if (!rc)
			rc = write_new(cx, a, cand, nc);
		if (n) {
			snprintf(after, sizeof(after), "%s", items[n - 1].deadline);
			after_id = items[n - 1].measure_id;
		}
		arena_free(a);
		if (rc || n < REMIND_CHUNK)
			break;
	}
	return rc;
}

/* ---- source: the three-stage review ---- */

/*
 * Submissions waiting at a signing stage: "review_due" once the last
 * quarter of the stage's time limit has begun, "review_overdue" once the
 * limit has passed; one notice per submission, round and stage (keys
 * review:ID:ROUND:STAGE:due and ...:overdue), for the unit's users.
 */
static int source_reviews(struct remind_ctx *cx)
{
	static const char *const stage_names[] = {"初审", "复审", "终审"};
	int64_t after = 0;
	int rc = ZRZ_OK;
	for (;;) {
		struct arena *a = arena_new();
		struct review *items;
		int n = 0;
		rc = app_begin_read(cx->db);
		if (!rc)
			rc = store_review_waiting(cx->db, a, after, REMIND_CHUNK, &items, &n);
		if (app_in_tx(cx->db))
			app_rollback(cx->db);
		struct notice *cand = n ? arena_alloc(a, sizeof(*cand) * (size_t)n) : NULL;
		int nc = 0;
		for (int i = 0; !rc && i < n; i++) {
			const struct review *x = &items[i];
			int s = !strcmp(x->state, "first") ? 0 : !strcmp(x->state, "second") ? 1 : 2;
			int64_t limit = x->stage_hours * 3600, deadline = x->stage_at + limit;
			bool overdue = cx->now >= deadline;
			if (!x->stage_at || (!overdue && deadline - cx->now > limit / 4))
				continue;
			char at[32];
			time_format_rfc3339(deadline, at, sizeof(at));
			at[16] = '\0'; /* "YYYY-MM-DDTHH:MM" */
			at[10] = ' ';
			struct notice *c = &cand[nc++];
			memset(c, 0, sizeof(*c));
			c->org_id = x->org_id;
			c->kind = overdue ? "review_overdue" : "review_due";
			c->event_key = arena_printf(a, "review:%lld:%lld:%s:%s", (long long)x->id,
						    (long long)x->round, x->state,
						    overdue ? "overdue" : "due");
			c->title = arena_printf(a, "【%s】%s：稿件“%s”%s", overdue ? "审核超时" : "即将超时",
						x->org_name, x->title, stage_names[s]);
			c->body = arena_printf(a, "%s的稿件“%s”正在%s，时限至 %s，%s", x->org_name,
					       x->title, stage_names[s], at,
					       overdue ? "已超过时限，请尽快审核。"
						       : "即将到期，请及时审核。");
			c->link = arena_printf(a, "/reviews/%lld", (long long)x->id);
		}
		if (!rc)
			rc = write_new(cx, a, cand, nc);
		if (n)
			after = items[n - 1].id;
		arena_free(a);
		if (rc || n < REMIND_CHUNK)
			break;
	}
	return rc;
}

/* The event sources, run in order. */
static int (*const sources[])(struct remind_ctx *cx) = {
	source_obligations,
	source_plan_items,
	source_outlets,
	source_measures,
	source_reviews,
};

int remind_today(const struct app *app, int *today)
{
	if (app->notify.today)
		return period_day_parse(app->notify.today, today) ? ZRZ_EINVAL : ZRZ_OK;
	*today = period_day_of_time(time_now());
	return ZRZ_OK;
}

int remind_run(struct app *app, struct db *db, int today, struct remind_stats *st)
{
	memset(st, 0, sizeof(*st));
	struct arena *a = arena_new();
	struct remind_ctx cx = {app, db, today, time_now(), NULL, 0, st};
	struct record_kind *kinds;
	int rc = store_record_kind_list(db, a, &kinds, &cx.nkinds);
	cx.kinds = kinds;
	for (size_t i = 0; !rc && i < ZRZ_ARRAY_LEN(sources); i++)
		rc = sources[i](&cx);
	arena_free(a);
	return rc;
}

/* ---- source: incidents (the remind_incidents job) ---- */

/*
 * Open incidents whose next timed stage has used 75 % of its time:
 * "incident_at_risk" before its deadline (key incident:ID:STAGE:at_risk),
 * "incident_overdue" after it (key incident:ID:STAGE:overdue), for
 * NOTICE_MISSED_DAYS days after the deadline.  Read REMIND_CHUNK at a time
 * through the partial index on next_risk, so a run with no incident at
 * risk reads nothing.
 */
static int source_incidents(struct remind_ctx *cx)
{
	int64_t since = cx->now - (int64_t)NOTICE_MISSED_DAYS * 86400, after_id = 0;
	int rc = ZRZ_OK;
	for (;;) {
		struct arena *a = arena_new();
		struct incident *items;
		int n = 0;
		rc = app_begin_read(cx->db);
		if (!rc)
			rc = store_incident_at_risk(cx->db, a, cx->now, since, after_id, REMIND_CHUNK,
						    &items, &n);
		if (app_in_tx(cx->db))
			app_rollback(cx->db);
		struct notice *cand = n ? arena_alloc(a, sizeof(*cand) * (size_t)n) : NULL;
		int nc = 0;
		for (int i = 0; !rc && i < n; i++) {
			const struct incident *x = &items[i];
			const char *stage = incident_next_stage(x->stage);
			if (!stage)
				continue;
			cx->st->examined++;
			bool overdue = cx->now > x->next_due;
			char due[32];
			time_format_rfc3339(x->next_due, due, sizeof(due));
			struct notice *c = &cand[nc++];
			memset(c, 0, sizeof(*c));
			c->org_id = x->org_id;
			c->kind = overdue ? "incident_overdue" : "incident_at_risk";
			c->event_key = arena_printf(a, "incident:%lld:%s:%s", (long long)x->id, stage,
						    overdue ? "overdue" : "at_risk");
			c->title = arena_printf(a, "【%s】%s：%s事件“%s”待%s", overdue ? "已超时" : "临近时限",
						x->org_name, incident_label(x->severity), x->title,
						incident_label(stage));
			c->body = arena_printf(
				a, "%s的%s事件“%s”应于 %.16s 前完成“%s”，%s", x->org_name,
				incident_label(x->severity), x->title, due, incident_label(stage),
				overdue ? "现已超过时限，请立即办理。" : "时限已过四分之三，请抓紧办理。");
			c->link = arena_printf(a, "/incidents/%lld", (long long)x->id);
		}
		if (!rc)
			rc = write_new(cx, a, cand, nc);
		if (n)
			after_id = items[n - 1].id;
		arena_free(a);
		if (rc || n < REMIND_CHUNK)
			break;
	}
	return rc;
}

int remind_incidents(struct app *app, struct db *db, struct remind_stats *st)
{
	memset(st, 0, sizeof(*st));
	struct remind_ctx cx = {app, db, 0, time_now(), NULL, 0, st};
	return source_incidents(&cx);
}

/* ---- in the app ---- */

int notice_list(struct db *db, struct arena *a, int64_t user_id, bool unread_only,
		int64_t offset, int64_t limit, struct notice **items, int *n, int64_t *total,
		int64_t *unread)
{
	return store_notice_list(db, a, user_id, unread_only, offset, limit, items, n, total,
				 unread);
}

int notice_unread(struct db *db, int64_t user_id, int64_t *count)
{
	return store_notice_unread(db, user_id, count);
}

int notice_mark_read(struct db *db, struct arena *a, const struct actor *who, int64_t id,
		     int64_t *marked)
{
	bool visible = false;
	int rc = store_notice_visible(db, who->user_id, id, &visible);
	if (rc)
		return rc;
	if (!visible)
		return ZRZ_ENOTFOUND;
	struct notice n;
	rc = store_notice_get(db, a, id, &n);
	if (!rc)
		rc = store_notice_mark(db, id, who->user_id, time_now(), marked);
	if (rc || !*marked)
		return rc;
	return audit_log(db, who, n.org_id, "notice.read", "notice", id, NULL);
}

int notice_mark_all(struct db *db, const struct actor *who, int64_t *marked)
{
	int rc = store_notice_mark_all(db, who->user_id, time_now(), marked);
	if (rc || !*marked)
		return rc;
	return audit_log(db, who, 0, "notice.read_all", "notice", 0,
			 json_pack("{s:I}", "count", (json_int_t)*marked));
}

json_t *notice_json(const struct notice *n)
{
	char at[32];
	time_format_rfc3339(n->created_at, at, sizeof(at));
	return json_pack("{s:I, s:I, s:s?, s:s, s:s, s:s, s:s, s:s?, s:s, s:b}", "id",
			 (json_int_t)n->id, "org_id", (json_int_t)n->org_id, "org_name",
			 n->org_name, "kind", n->kind, "event_key", n->event_key, "title",
			 n->title, "body", n->body, "link", n->link, "created_at", at, "read",
			 n->read);
}

/* ---- channels ---- */

static bool url_ok(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	CURLU *u = curl_url();
	if (!u)
		return false;
	char *scheme = NULL, *host = NULL;
	bool ok = curl_url_set(u, CURLUPART_URL, s, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
		  (!strcmp(scheme, "http") || !strcmp(scheme, "https")) && host && *host &&
		  ((!strncmp(s, "http://", 7) && s[7] != '/') ||
		   (!strncmp(s, "https://", 8) && s[8] != '/'));
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

static bool email_char(char c, bool domain)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '-')
		return true;
	return !domain && c && strchr("!#$%&'*+/=?^_`{|}~", c);
}

/* One address, s..s+n, with no spaces around it. */
static bool email_ok(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	if (!at || n > 254)
		return false;
	size_t local = (size_t)(at - s), dom = n - local - 1;
	if (!local || local > 64 || dom < 3 || !memchr(at + 1, '.', dom))
		return false;
	for (size_t i = 0; i < n; i++) {
		bool in_domain = s + i > at;
		if (s + i == at)
			continue;
		if (!email_char(s[i], in_domain))
			return false;
		if (s[i] == '.' && (i + 1 == n || s[i + 1] == '.' || s[i + 1] == '@' || i == 0 ||
				    s[i - 1] == '@'))
			return false;
	}
	return at[1] != '-' && s[n - 1] != '-';
}

int channel_emails(const char *list, void (*fn)(void *ctx, const char *addr, size_t n),
		   void *ctx)
{
	int count = 0;
	const char *p = list;
	for (;;) {
		while (*p == ' ')
			p++;
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n && p[n - 1] == ' ')
			n--;
		if (!email_ok(p, n))
			return -1;
		if (fn)
			fn(ctx, p, n);
		count++;
		if (!end)
			return count;
		p = end + 1;
	}
}

int channel_check(const struct notify_channel *c, struct derr *e)
{
	bool known = false;
	for (int i = 0; c->kind && channel_kinds[i]; i++)
		known |= !strcmp(c->kind, channel_kinds[i]);
	if (!known)
		return derr_set(e, ZRZ_EINVAL, "kind", "类型应为 wecom、dingtalk 或 email");
	if (!c->name || str_blank(c->name))
		return derr_set(e, ZRZ_EINVAL, "name", "名称不能为空");
	if (!c->target || !*c->target)
		return derr_set(e, ZRZ_EINVAL, "target", "请填写地址");
	if (!strcmp(c->kind, "email")) {
		int n = channel_emails(c->target, NULL, NULL);
		if (n < 0)
			return derr_set(e, ZRZ_EINVAL, "target",
					"电子邮件地址不正确（多个地址用英文逗号分隔）");
		if (n > CHANNEL_EMAILS_MAX)
			return derr_set(e, ZRZ_EINVAL, "target", "电子邮件地址最多 20 个");
	} else if (!url_ok(c->target)) {
		return derr_set(e, ZRZ_EINVAL, "target",
				"机器人地址应为以 http:// 或 https:// 开头、带主机名的网址");
	} else if (strstr(c->target, "=****")) {
		/* the shown form sent back: its key is gone */
		return derr_set(e, ZRZ_EINVAL, "target",
				"请填写完整的机器人地址（列表中显示的地址已隐去密钥）");
	}
	if (c->secret) {
		if (strcmp(c->kind, "dingtalk"))
			return derr_set(e, ZRZ_EINVAL, "secret", "只有钉钉机器人可以设置加签密钥");
		if (!*c->secret)
			return derr_set(e, ZRZ_EINVAL, "secret", "加签密钥不能为空");
		for (const char *p = c->secret; *p; p++)
			if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
				return derr_set(e, ZRZ_EINVAL, "secret",
						"加签密钥只能包含英文字母、数字和符号");
	}
	return ZRZ_OK;
}

int channel_get(struct db *db, struct arena *a, int64_t id, struct notify_channel *out)
{
	return store_channel_get(db, a, id, out);
}

int channel_list(struct db *db, struct arena *a, int64_t org_id,
		 struct notify_channel **items, int *n)
{
	return store_channel_list(db, a, org_id, false, items, n);
}

/* What the audit trail keeps of a channel: never its secret. */
/*
 * A channel's address as it is shown or audited: an e-mail list as it is;
 * a robot's webhook with the value of every query parameter (企业微信's
 * key, 钉钉's access_token: whoever has them can post to the group) cut to
 * "****" and its last 4 characters, enough to tell two robots apart.
 */
static json_t *shown_target(const struct notify_channel *c)
{
	if (!c->target || !strcmp(c->kind, "email"))
		return c->target ? json_string(c->target) : json_null();
	const char *q = strchr(c->target, '?');
	if (!q)
		return json_string(c->target);
	struct buf b = BUF_INIT;
	buf_append(&b, c->target, (size_t)(q - c->target));
	const char *p = q;
	while (*p) {
		/* p is at '?' or '&': copy it and the name up to '=' */
		size_t name = strcspn(p + 1, "=&#");
		buf_append(&b, p, 1 + name);
		p += 1 + name;
		if (*p == '=') {
			size_t n = strcspn(p + 1, "&#");
			buf_puts(&b, "=****");
			if (n > 8) {
				/* whole characters only: the tail if it is ASCII */
				const unsigned char *tail = (const unsigned char *)p + 1 + n - 4;
				if (tail[0] < 0x80 && tail[1] < 0x80 && tail[2] < 0x80 && tail[3] < 0x80)
					buf_append(&b, tail, 4);
			}
			p += 1 + n;
		}
		if (*p == '#')
			break; /* a fragment never reaches the server: left out */
	}
	json_t *j = json_stringn(b.data, b.len);
	buf_release(&b);
	return j;
}

static json_t *channel_audit(const struct notify_channel *c)
{
	return json_pack("{s:s, s:s, s:o, s:b, s:b}", "kind", c->kind, "name", c->name, "target",
			 shown_target(c), "active", c->active, "secret_set", c->secret != NULL);
}

int channel_create(struct db *db, struct arena *a, const struct actor *who,
		   const struct notify_channel *c, struct notify_channel *out, struct derr *e)
{
	int rc = channel_check(c, e);
	if (rc)
		return rc;
	int64_t id;
	rc = store_channel_insert(db, c, time_now(), &id);
	if (!rc)
		rc = store_channel_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, c->org_id, "notify_channel.create", "notify_channel", id,
			 channel_audit(c));
}

int channel_update(struct db *db, struct arena *a, const struct actor *who,
		   const struct notify_channel *c, struct notify_channel *out, struct derr *e)
{
	int rc = channel_check(c, e);
	if (rc)
		return rc;
	rc = store_channel_update(db, c, time_now());
	if (!rc)
		rc = store_channel_get(db, a, c->id, out);
	if (rc)
		return rc;
	return audit_log(db, who, c->org_id, "notify_channel.update", "notify_channel", c->id,
			 channel_audit(c));
}

int channel_delete(struct db *db, const struct actor *who, const struct notify_channel *c)
{
	int rc = store_channel_delete(db, c->id, time_now());
	if (rc)
		return rc;
	return audit_log(db, who, c->org_id, "notify_channel.delete", "notify_channel", c->id,
			 channel_audit(c));
}

int channel_test(struct db *db, const struct actor *who, const struct notify_channel *c,
		 int64_t *delivery_id)
{
	int rc = store_delivery_insert(db, 0, c->id, time_now(), delivery_id);
	if (rc)
		return rc;
	return audit_log(db, who, c->org_id, "notify_channel.test", "notify_channel", c->id,
			 json_pack("{s:I}", "delivery_id", (json_int_t)*delivery_id));
}

json_t *channel_json(const struct notify_channel *c)
{
	char at[32], up[32];
	time_format_rfc3339(c->created_at, at, sizeof(at));
	time_format_rfc3339(c->updated_at, up, sizeof(up));
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:o, s:b, s:b, s:s, s:s}", "id",
			      (json_int_t)c->id, "org_id", (json_int_t)c->org_id, "kind", c->kind,
			      "name", c->name, "target", shown_target(c), "active", c->active,
			      "secret_set", c->secret != NULL, "created_at", at, "updated_at", up);
	/* Enough to recognize a long secret, never enough to use it. */
	size_t n = c->secret ? strlen(c->secret) : 0;
	json_object_set_new(j, "secret_hint",
			    n >= 16 ? json_sprintf("****%s", c->secret + n - 4) : json_null());
	return j;
}

int delivery_list(struct db *db, struct arena *a, int64_t channel_id, int64_t offset,
		  int64_t limit, struct notice_delivery **items, int *n, int64_t *total)
{
	return store_delivery_list(db, a, channel_id, offset, limit, items, n, total);
}

static json_t *time_or_null(int64_t t)
{
	if (!t)
		return json_null();
	char s[32];
	time_format_rfc3339(t, s, sizeof(s));
	return json_string(s);
}

json_t *delivery_json(const struct notice_delivery *d)
{
	json_t *log = json_array();
	for (int i = 0; i < d->nlog; i++) {
		const struct notice_attempt *x = &d->log[i];
		json_array_append_new(
			log, json_pack("{s:I, s:o, s:b, s:o, s:s?}", "attempt", (json_int_t)x->attempt,
				       "at", time_or_null(x->at), "ok", x->ok, "status",
				       x->status ? json_integer(x->status) : json_null(), "error",
				       x->error));
	}
	return json_pack("{s:I, s:o, s:s?, s:b, s:I, s:I, s:s, s:o, s:o, s:s?, s:o, s:o, s:o}", "id",
			 (json_int_t)d->id, "notice_id",
			 d->notice_id ? json_integer(d->notice_id) : json_null(), "notice_title",
			 d->notice_title, "test", d->notice_id == 0, "channel_id",
			 (json_int_t)d->channel_id, "attempts", (json_int_t)d->attempts, "state",
			 d->state, "next_at",
			 strcmp(d->state, "pending") ? json_null() : time_or_null(d->next_at),
			 "last_status", d->last_status ? json_integer(d->last_status) : json_null(),
			 "last_error", d->last_error, "sent_at", time_or_null(d->sent_at),
			 "created_at", time_or_null(d->created_at), "log", log);
}

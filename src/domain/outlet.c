/*
 * Rules of the channels (阵地) of a unit: the registry, the inspections and
 * the dates they make due, the unit's inspection obligation and the
 * reminders of the job.  See domain/outlet.h for what is kept and why.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/compliance.h"
#include "domain/ledger.h"
#include "domain/obligation.h"
#include "domain/outlet.h"
#include "domain/period.h"
#include "store/repo.h"

const char *const outlet_kinds[] = {"website",	    "wechat_official", "weibo",
				    "video",	    "wechat_group",    "qq_group",
				    "board",	    "lecture",	       "periodical",
				    NULL};
static const char *const kind_names[] = {"门户网站", "微信公众号", "微博",
					 "抖音/视频号", "微信群", "QQ群",
					 "宣传栏/文化墙/电子屏", "讲座/论坛/报告会", "内部刊物"};
const char *const outlet_statuses[] = {"active", "suspended", "closed", NULL};
const char *const outlet_frequencies[] = {"week", "month", "quarter", "half", "year", NULL};
static const char *const frequency_names[] = {"每周", "每月", "每季度", "每半年", "每年"};

static const char *name_of(const char *const *codes, const char *const *names, const char *c)
{
	for (int i = 0; c && codes[i]; i++)
		if (!strcmp(codes[i], c))
			return names[i];
	return NULL;
}

int outlet_get(struct db *db, struct arena *a, int64_t id, struct outlet *out)
{
	return store_outlet_get(db, a, id, out);
}

int outlet_list(struct db *db, struct arena *a, const struct outlet_filter *f, int64_t offset,
		int64_t limit, struct outlet **items, int *n, int64_t *total)
{
	return store_outlet_list(db, a, f, offset, limit, items, n, total);
}

/* ---- due dates ---- */

static int today_day(void)
{
	return period_day_of_time(time_now());
}

/*
 * The last day of the first whole period of kind k after day base: the
 * period after the one holding base.  ZRZ_EINVAL at the end of the calendar.
 */
static int due_after(enum period_kind k, int base, int *due)
{
	struct period p, next;
	int last;
	if (period_containing(k, base, &p) || period_bounds(&p, NULL, &last) ||
	    period_containing(k, last + 1, &next) || period_bounds(&next, NULL, due))
		return ZRZ_EINVAL;
	return ZRZ_OK;
}

/* The day from which channel c's next inspection is counted. */
static int base_day(const char *last, const char *opened_on, int64_t created_at)
{
	int day;
	if (last && !period_day_parse(last, &day))
		return day;
	if (opened_on && !period_day_parse(opened_on, &day))
		return day;
	return period_day_of_time(created_at);
}

/* Recompute and keep channel id's last inspection and due date. */
static int refresh_due(struct db *db, struct arena *a, int64_t id)
{
	struct outlet c;
	const char *last = NULL, *due = NULL;
	int rc = store_outlet_get(db, a, id, &c);
	if (!rc)
		rc = store_outlet_last_inspection(db, a, id, &last);
	if (rc)
		return rc;
	enum period_kind k;
	if (c.inspect_every && !period_kind_parse(c.inspect_every, &k)) {
		int d;
		if (!due_after(k, base_day(last, c.opened_on, c.created_at), &d)) {
			char *buf = arena_alloc(a, PERIOD_DATE_SIZE);
			period_day_format(d, buf, PERIOD_DATE_SIZE);
			due = buf;
		}
	}
	return store_outlet_set_due(db, id, last, due);
}

int outlet_record_changed(struct db *db, struct arena *a, int64_t record_id)
{
	int64_t channel_id;
	int rc = store_outlet_of_record(db, record_id, &channel_id);
	if (rc == ZRZ_ENOTFOUND)
		return ZRZ_OK;
	return rc ? rc : refresh_due(db, a, channel_id);
}

/* ---- the unit's obligation ---- */

/* How many periods of channel c's frequency of year `year` it has to be
 * inspected in: those ending on or after the day it opened. */
static int64_t periods_needed(const struct outlet *c, int year)
{
	enum period_kind k;
	if (!c->inspect_every || period_kind_parse(c->inspect_every, &k))
		return 0;
	int start = base_day(NULL, c->opened_on, c->created_at);
	struct period ps[PERIOD_MAX_PER_YEAR];
	int np;
	if (period_list(k, year, ps, &np))
		return 0;
	int64_t n = 0;
	for (int i = 0; i < np; i++) {
		int last;
		if (!period_bounds(&ps[i], NULL, &last) && last >= start)
			n++;
	}
	return n;
}

/*
 * The frequency feeds the obligation machinery through one obligation per
 * unit and year: kind channel_inspection, period year, min = the number of
 * inspections the unit's active channels need in the year (a quarterly
 * channel 4, a monthly one 12, a weekly one 52 or 53, a channel opened in
 * the year only the periods from its opening on).  One yearly obligation,
 * and not one per frequency, because the ledger counts records by kind and
 * period only: with a quarterly obligation beside a monthly one, the
 * monthly channel's inspections would fill the quarterly target too.  The
 * yearly total is exact whatever the mix of frequencies, compliance and the
 * superiors' rollups show it with its pacing, and whether each channel was
 * inspected in time is the channel's own overdue flag and reminders.
 * Suspended and closed channels need no inspections; the obligation is
 * kept (created, changed or dropped) in the same transaction as every
 * change of a channel's status, frequency, opening date or existence.
 */
int outlet_sync_obligation(struct db *db, struct arena *a, const struct actor *who,
			   int64_t org_id, int today)
{
	struct period yp;
	if (period_containing(PERIOD_YEAR, today, &yp))
		return ZRZ_EINTERNAL;
	/* Count after the unit's lock: a writer that counted the channels
	 * before another one's commit would write a stale target. */
	int rc = store_outlet_lock_unit(db, org_id);
	if (rc)
		return rc;
	struct outlet *cs;
	int nc;
	rc = store_outlet_active(db, a, org_id, &cs, &nc);
	if (rc)
		return rc;
	int64_t need = 0;
	for (int i = 0; i < nc; i++)
		need += periods_needed(&cs[i], yp.year);
	if (need > OBLIGATION_MIN_MAX)
		need = OBLIGATION_MIN_MAX;
	struct obligation *obl, *cur = NULL;
	int nobl;
	rc = store_obligation_list(db, a, org_id, yp.year, &obl, &nobl);
	if (rc)
		return rc;
	for (int i = 0; i < nobl; i++)
		if (!strcmp(obl[i].kind, OUTLET_RECORD_KIND) && !strcmp(obl[i].period, "year"))
			cur = &obl[i];
	if (!cur && !need)
		return ZRZ_OK;
	if (cur && !need)
		return obligation_delete(db, who, cur);
	if (!cur) {
		struct obligation o = {0}, out;
		struct derr e = {0};
		o.org_id = org_id;
		o.kind = OUTLET_RECORD_KIND;
		o.min = need;
		o.period = "year";
		o.year = yp.year;
		rc = obligation_create(db, a, who, &o, &out, &e);
		/* Another writer made it since the list above (PostgreSQL runs
		 * writers side by side): run the request again, which finds it. */
		if (rc == ZRZ_ECONFLICT)
			return ZRZ_ERETRY;
		return rc == ZRZ_EINVAL ? ZRZ_EINTERNAL : rc;
	}
	if (cur->min == need)
		return ZRZ_OK;
	rc = store_obligation_set_min(db, cur->id, need);
	if (!rc)
		rc = compliance_refresh(db, a, org_id, OUTLET_RECORD_KIND, yp.year, today);
	if (rc)
		return rc;
	return audit_log(db, who, org_id, "obligation.update", "obligation", cur->id,
			 json_pack("{s:s, s:s, s:I, s:{s:I, s:I}}", "kind", cur->kind, "period",
				   cur->period, "year", (json_int_t)cur->year, "min", "from",
				   (json_int_t)cur->min, "to", (json_int_t)need));
}

#define ROLL_CHUNK 200

int outlet_roll_year(struct db *db, const struct actor *who, int today, int64_t *synced)
{
	struct period yp;
	if (period_containing(PERIOD_YEAR, today, &yp))
		return ZRZ_EINTERNAL;
	*synced = 0;
	int64_t after = 0;
	int rc = ZRZ_OK;
	for (;;) {
		struct arena *a = arena_new();
		int64_t *orgs;
		int n = 0;
		rc = app_begin(db);
		if (!rc)
			rc = store_outlet_units_without_obligation(db, a, yp.year, after, ROLL_CHUNK,
								   &orgs, &n);
		for (int i = 0; !rc && i < n; i++) {
			rc = outlet_sync_obligation(db, a, who, orgs[i], today);
			after = orgs[i];
			if (!rc)
				(*synced)++;
		}
		if (!rc)
			rc = app_commit(db);
		else if (app_in_tx(db))
			app_rollback(db);
		arena_free(a);
		if (rc || n < ROLL_CHUNK)
			break;
	}
	return rc;
}

/* ---- the registry ---- */

static bool line_valid(const char *s, size_t max)
{
	size_t n = strlen(s);
	return utf8_valid_text(s, n) && !strchr(s, '\n') && !strchr(s, '\r') && !str_blank(s) &&
	       utf8_count(s, n) <= max;
}

static bool text_valid(const char *s, size_t max)
{
	size_t n = strlen(s);
	return utf8_valid_text(s, n) && utf8_count(s, n) <= max;
}

static bool in(const char *const *values, const char *s)
{
	return s && name_of(values, values, s);
}

/* The owner: an unlocked user of unit org (path) or of a unit above it. */
static int check_owner(struct db *db, struct arena *a, int64_t owner_id, const char *path,
		       struct derr *e)
{
	static const char msg[] = "责任人应为本单位或上级单位的在用账户";
	if (owner_id <= 0)
		return derr_set(e, ZRZ_EINVAL, "owner_id", "请指定责任人");
	struct user u;
	struct org uo;
	int rc = store_user_get(db, a, owner_id, &u);
	if (!rc)
		rc = store_org_get(db, a, u.org_id, &uo);
	if (rc == ZRZ_ENOTFOUND)
		return derr_set(e, ZRZ_EINVAL, "owner_id", msg);
	if (rc)
		return rc;
	if (u.locked || strncmp(path, uo.path, strlen(uo.path)))
		return derr_set(e, ZRZ_EINVAL, "owner_id", msg);
	return ZRZ_OK;
}

/* Check every field of c; the owner only when check_owner_too. */
static int check_outlet(struct db *db, struct arena *a, const struct outlet *c,
			const char *path, bool owner_too, struct derr *e)
{
	if (!in(outlet_kinds, c->kind))
		return derr_set(e, ZRZ_EINVAL, "kind", "阵地类型不在可选范围内");
	if (!c->name || !line_valid(c->name, OUTLET_NAME_MAX))
		return derr_set(e, ZRZ_EINVAL, "name", "名称应为 1 至 100 个字，且不能换行");
	if (owner_too) {
		int rc = check_owner(db, a, c->owner_id, path, e);
		if (rc)
			return rc;
	}
	if (c->reg_no && !line_valid(c->reg_no, OUTLET_REG_NO_MAX))
		return derr_set(e, ZRZ_EINVAL, "reg_no", "备案或登记号应为 1 至 100 个字，且不能换行");
	if (c->address && !text_valid(c->address, OUTLET_ADDRESS_MAX))
		return derr_set(e, ZRZ_EINVAL, "address", "地址不能超过 500 个字");
	if (c->note && !text_valid(c->note, OUTLET_NOTE_MAX))
		return derr_set(e, ZRZ_EINVAL, "note", "备注不能超过 2000 个字");
	if (c->opened_on && !ledger_date_valid(c->opened_on))
		return derr_set(e, ZRZ_EINVAL, "opened_on", "开通日期应为 2000 至 2100 年间真实的日期");
	if (!in(outlet_statuses, c->status))
		return derr_set(e, ZRZ_EINVAL, "status", "状态应为 active、suspended 或 closed");
	if (c->inspect_every && !in(outlet_frequencies, c->inspect_every))
		return derr_set(e, ZRZ_EINVAL, "inspect_every",
				"检查频次应为 week、month、quarter、half 或 year");
	if (c->closed_on) {
		if (strcmp(c->status, "closed"))
			return derr_set(e, ZRZ_EINVAL, "closed_on", "只有已关闭的阵地才有关闭日期");
		if (!ledger_date_valid(c->closed_on))
			return derr_set(e, ZRZ_EINVAL, "closed_on",
					"关闭日期应为 2000 至 2100 年间真实的日期");
		if (c->opened_on && strcmp(c->closed_on, c->opened_on) < 0)
			return derr_set(e, ZRZ_EINVAL, "closed_on", "关闭日期不能早于开通日期");
	}
	return ZRZ_OK;
}

static json_t *opt_text(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *audit_fields(const struct outlet *c)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:o, s:b}", "kind", c->kind, "name", c->name,
			 "owner_id", c->owner_id ? json_integer(c->owner_id) : json_null(),
			 "status", c->status, "inspect_every", opt_text(c->inspect_every),
			 "review_final", c->review_final);
}

int outlet_create(struct db *db, struct arena *a, const struct actor *who,
		  const struct outlet *c, struct outlet *out, struct derr *e)
{
	struct org o;
	int rc = store_org_get(db, a, c->org_id, &o);
	if (rc)
		return rc;
	struct outlet in = *c;
	if (!in.status)
		in.status = "active";
	if (!strcmp(in.status, "closed") && !in.closed_on) {
		char *d = arena_alloc(a, PERIOD_DATE_SIZE);
		period_day_format(today_day(), d, PERIOD_DATE_SIZE);
		in.closed_on = d;
	}
	rc = check_outlet(db, a, &in, o.path, true, e);
	if (rc)
		return rc;
	int64_t id;
	rc = store_outlet_insert(db, &in, who->user_id, time_now(), &id);
	if (!rc)
		rc = refresh_due(db, a, id);
	if (!rc)
		rc = outlet_sync_obligation(db, a, who, in.org_id, today_day());
	if (!rc)
		rc = store_outlet_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, in.org_id, "channel.create", "channel", id, audit_fields(&in));
}

static bool same(const char *x, const char *y)
{
	return x == y || (x && y && !strcmp(x, y));
}

int outlet_update(struct db *db, struct arena *a, const struct actor *who,
		  const struct outlet *cur, const struct outlet *next, struct outlet *out,
		  struct derr *e)
{
	if (cur->deleted_at)
		return derr_set(e, ZRZ_ECONFLICT, NULL, "该阵地已删除");
	struct org o;
	int rc = store_org_get(db, a, cur->org_id, &o);
	if (rc)
		return rc;
	struct outlet in = *next;
	bool closing = !strcmp(in.status, "closed");
	if (closing && !in.closed_on) {
		char *d = arena_alloc(a, PERIOD_DATE_SIZE);
		period_day_format(today_day(), d, PERIOD_DATE_SIZE);
		in.closed_on = d;
	}
	if (!closing && !strcmp(cur->status, "closed") && same(in.closed_on, cur->closed_on))
		in.closed_on = NULL; /* reopened */
	rc = check_outlet(db, a, &in, o.path, in.owner_id != cur->owner_id, e);
	if (rc)
		return rc;
	rc = store_outlet_update(db, &in, time_now());
	if (!rc)
		rc = refresh_due(db, a, in.id);
	if (!rc)
		rc = outlet_sync_obligation(db, a, who, in.org_id, today_day());
	if (!rc)
		rc = store_outlet_get(db, a, in.id, out);
	if (rc)
		return rc;
	json_t *changed = json_object();
#define CHANGED_TEXT(f)                                                               \
	if (!same(cur->f, in.f))                                                      \
		json_object_set_new(changed, #f, json_pack("{s:o, s:o}", "from", opt_text(cur->f), \
							   "to", opt_text(in.f)));
	CHANGED_TEXT(kind)
	CHANGED_TEXT(name)
	CHANGED_TEXT(reg_no)
	CHANGED_TEXT(address)
	CHANGED_TEXT(opened_on)
	CHANGED_TEXT(closed_on)
	CHANGED_TEXT(status)
	CHANGED_TEXT(inspect_every)
	CHANGED_TEXT(note)
#undef CHANGED_TEXT
	if (cur->owner_id != in.owner_id)
		json_object_set_new(changed, "owner_id",
				    json_pack("{s:o, s:I}", "from",
					      cur->owner_id ? json_integer(cur->owner_id)
							    : json_null(),
					      "to", (json_int_t)in.owner_id));
	if (cur->review_final != in.review_final)
		json_object_set_new(changed, "review_final",
				    json_pack("{s:b, s:b}", "from", cur->review_final, "to",
					      in.review_final));
	return audit_log(db, who, in.org_id, "channel.update", "channel", in.id,
			 json_pack("{s:s, s:o}", "name", in.name, "changed", changed));
}

int outlet_delete(struct db *db, struct arena *a, const struct actor *who,
		  const struct outlet *cur, struct derr *e)
{
	if (cur->deleted_at)
		return derr_set(e, ZRZ_ECONFLICT, NULL, "该阵地已删除");
	if (cur->inspections > 0)
		return derr_set(e, ZRZ_ECONFLICT, "id",
				"该阵地已有检查记录，不能删除；停止运营的阵地请改为“已关闭”");
	int rc = store_outlet_set_deleted(db, cur->id, time_now());
	if (!rc)
		rc = outlet_sync_obligation(db, a, who, cur->org_id, today_day());
	if (rc)
		return rc;
	return audit_log(db, who, cur->org_id, "channel.delete", "channel", cur->id,
			 json_pack("{s:s, s:s}", "kind", cur->kind, "name", cur->name));
}

/* ---- inspections ---- */

int outlet_inspect(struct db *db, struct arena *a, const struct actor *who,
		   const struct outlet *c, const struct outlet_inspection *x,
		   struct outlet_inspection *out, struct derr *e)
{
	if (c->deleted_at)
		return derr_set(e, ZRZ_ECONFLICT, NULL, "该阵地已删除");
	if (!strcmp(c->status, "closed"))
		return derr_set(e, ZRZ_ECONFLICT, NULL, "该阵地已关闭，不能再登记检查");
	if (!x->date || !ledger_date_valid(x->date))
		return derr_set(e, ZRZ_EINVAL, "date", "检查日期应为 2000 至 2100 年间真实的日期");
	char today[PERIOD_DATE_SIZE];
	period_day_format(today_day(), today, sizeof(today));
	if (strcmp(x->date, today) > 0)
		return derr_set(e, ZRZ_EINVAL, "date", "检查日期不能晚于今天");
	if (c->opened_on && strcmp(x->date, c->opened_on) < 0)
		return derr_set(e, ZRZ_EINVAL, "date", "检查日期不能早于阵地开通日期");
	if (!x->inspector || !line_valid(x->inspector, OUTLET_INSPECTOR_MAX))
		return derr_set(e, ZRZ_EINVAL, "inspector", "检查人应为 1 至 50 个字，且不能换行");
	if (x->findings && !text_valid(x->findings, OUTLET_FINDINGS_MAX))
		return derr_set(e, ZRZ_EINVAL, "findings", "检查情况不能超过 20000 个字");
	if (x->problems < 0 || x->problems > OUTLET_PROBLEMS_MAX)
		return derr_set(e, ZRZ_EINVAL, "problems", "发现问题数应为 0 至 1000");
	struct record rec = {0}, made;
	rec.org_id = c->org_id;
	rec.kind = OUTLET_RECORD_KIND;
	rec.date = x->date;
	rec.title = arena_printf(a, "阵地检查：%s", c->name);
	rec.place = c->address && line_valid(c->address, 200) ? c->address : NULL;
	rec.host = x->inspector;
	rec.minutes = x->findings;
	rec.expected = -1;
	rec.attended = -1;
	int rc = ledger_create(db, a, who, &rec, NULL, NULL, &made, e);
	if (rc)
		return rc;
	struct outlet_inspection row = *x;
	row.channel_id = c->id;
	row.record_id = made.id;
	row.created_by = who->user_id;
	int64_t id;
	int64_t now = time_now();
	rc = store_outlet_inspection_insert(db, &row, now, &id);
	if (!rc)
		rc = refresh_due(db, a, c->id);
	if (rc)
		return rc;
	*out = row;
	out->id = id;
	out->created_at = now;
	out->attachments = 0;
	return audit_log(db, who, c->org_id, "channel.inspect", "channel", c->id,
			 json_pack("{s:I, s:I, s:s, s:s, s:I}", "inspection_id", (json_int_t)id,
				   "record_id", (json_int_t)made.id, "date", x->date, "inspector",
				   x->inspector, "problems", (json_int_t)x->problems));
}

int outlet_inspections(struct db *db, struct arena *a, int64_t channel_id,
		       struct outlet_inspection **items, int *n)
{
	return store_outlet_inspection_list(db, a, channel_id, items, n);
}

/* ---- JSON ---- */

static json_t *opt_time(int64_t t)
{
	char buf[32];
	if (!t)
		return json_null();
	time_format_rfc3339(t, buf, sizeof(buf));
	return json_string(buf);
}

json_t *outlet_json(const struct outlet *c, int today)
{
	bool active = c->status && !strcmp(c->status, "active");
	const char *due = active && c->inspect_every ? c->inspect_due : NULL;
	bool overdue = false;
	int d;
	if (due && !period_day_parse(due, &d))
		overdue = d < today;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "org_id", json_integer(c->org_id));
	json_object_set_new(j, "org_name", opt_text(c->org_name));
	json_object_set_new(j, "kind", json_string(c->kind));
	json_object_set_new(j, "kind_name", opt_text(name_of(outlet_kinds, kind_names, c->kind)));
	json_object_set_new(j, "name", json_string(c->name));
	json_object_set_new(j, "owner_id", c->owner_id ? json_integer(c->owner_id) : json_null());
	json_object_set_new(j, "owner_name", opt_text(c->owner_name));
	json_object_set_new(j, "owner_missing", json_boolean(c->owner_missing));
	json_object_set_new(j, "reg_no", opt_text(c->reg_no));
	json_object_set_new(j, "address", opt_text(c->address));
	json_object_set_new(j, "opened_on", opt_text(c->opened_on));
	json_object_set_new(j, "closed_on", opt_text(c->closed_on));
	json_object_set_new(j, "status", json_string(c->status));
	json_object_set_new(j, "inspect_every", opt_text(c->inspect_every));
	json_object_set_new(j, "review_final", json_boolean(c->review_final));
	json_object_set_new(j, "note", opt_text(c->note));
	json_object_set_new(j, "inspections", json_integer(c->inspections));
	json_object_set_new(j, "last_inspected", opt_text(c->last_inspected));
	json_object_set_new(j, "next_due", opt_text(due));
	json_object_set_new(j, "overdue", json_boolean(overdue));
	json_object_set_new(j, "created_at", opt_time(c->created_at));
	json_object_set_new(j, "updated_at", opt_time(c->updated_at));
	return j;
}

json_t *outlet_inspection_json(const struct outlet_inspection *x)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:I, s:I, s:o}", "id", (json_int_t)x->id,
			 "channel_id", (json_int_t)x->channel_id, "record_id",
			 (json_int_t)x->record_id, "date", x->date, "inspector",
			 x->inspector ? x->inspector : "", "findings", opt_text(x->findings),
			 "problems", (json_int_t)x->problems, "attachments",
			 (json_int_t)x->attachments, "created_at", opt_time(x->created_at));
}

/* ---- reminders ---- */

int outlet_reminders(struct db *db, struct arena *a, int today, int due_days, int64_t after_id,
		     int limit, struct notice **cand, int *nc, int *nread, int64_t *last_id)
{
	char until[PERIOD_DATE_SIZE];
	period_day_format(today + due_days - 1, until, sizeof(until));
	struct outlet_due *items;
	int n;
	int rc = store_outlet_due(db, a, until, after_id, limit, &items, &n);
	if (rc)
		return rc;
	*nread = n;
	*nc = 0;
	*cand = arena_alloc(a, sizeof(**cand) * (2 * (size_t)n + 1));
	for (int i = 0; i < n; i++) {
		const struct outlet_due *x = &items[i];
		*last_id = x->id;
		enum period_kind k;
		int due;
		struct period cur, prev;
		int first, last;
		if (period_kind_parse(x->inspect_every, &k) || period_day_parse(x->inspect_due, &due) ||
		    period_containing(k, today, &cur) || period_bounds(&cur, &first, &last) ||
		    period_containing(k, first - 1, &prev))
			continue; /* the domain keeps valid values only */
		const char *freq = name_of(outlet_frequencies, frequency_names, x->inspect_every);
		const char *seen = x->last_inspected
					   ? arena_printf(a, "上次检查：%s", x->last_inspected)
					   : "开通以来尚未检查";
		if (last >= due && last - today < due_days) {
			struct notice *c = &(*cand)[(*nc)++];
			char key[PERIOD_KEY_SIZE], label[PERIOD_LABEL_SIZE], d2[PERIOD_DATE_SIZE];
			period_format(&cur, key, sizeof(key));
			period_label(&cur, label, sizeof(label));
			period_dates(&cur, NULL, d2);
			memset(c, 0, sizeof(*c));
			c->org_id = x->org_id;
			c->kind = "inspection_due";
			c->event_key = arena_printf(a, "channel:%lld:%s:due", (long long)x->id, key);
			c->title = arena_printf(a, "【阵地检查即将到期】%s：“%s”%s尚未检查",
						x->org_name, x->name, label);
			c->body = arena_printf(a, "%s的阵地“%s”应%s检查一次，%s尚未检查（%s），"
						  "请于 %s 前完成，还有 %d 天。",
					       x->org_name, x->name, freq, label, seen, d2,
					       last - today + 1);
			c->link = arena_printf(a, "/channels/list?channel_id=%lld", (long long)x->id);
		}
		if (today > due) {
			struct notice *c = &(*cand)[(*nc)++];
			char key[PERIOD_KEY_SIZE], label[PERIOD_LABEL_SIZE];
			period_format(&prev, key, sizeof(key));
			period_label(&prev, label, sizeof(label));
			memset(c, 0, sizeof(*c));
			c->org_id = x->org_id;
			c->kind = "inspection_overdue";
			c->event_key = arena_printf(a, "channel:%lld:%s:overdue", (long long)x->id, key);
			c->title = arena_printf(a, "【阵地检查逾期】%s：“%s”逾期未检查", x->org_name,
						x->name);
			c->body = arena_printf(a, "%s的阵地“%s”应%s检查一次，%s，应于 %s 前完成检查，"
						  "%s已结束仍未检查。",
					       x->org_name, x->name, freq, seen, x->inspect_due, label);
			c->link = arena_printf(a, "/channels/list?channel_id=%lld", (long long)x->id);
		}
	}
	return ZRZ_OK;
}

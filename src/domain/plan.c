/*
 * Rules of plans: titles of 1..200 characters, section titles of 1..500
 * and labels of at most 20, two levels of sections, item texts of
 * 1..5000, at most 50 co-owners each a user that exists or a unit role,
 * a real due date or a period kind as recurrence (not both), a stored
 * status of todo, doing or done.  Overdue (已逾期) is never stored: an
 * item is overdue when its due date is before today in China (UTC+8) and
 * it is not done.  Issuing copies a plan into units below; each copy is
 * its own plan, remembered by issued_from so that issuing again skips it.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/ledger.h"
#include "domain/period.h"
#include "domain/plan.h"
#include "store/repo.h"

const char *const plan_item_statuses[] = {"todo", "doing", "done", NULL};
const char *const plan_owner_roles[] = {"secretary", "leader", "office", "member", NULL};

static const char *status_label(const char *s)
{
	if (!strcmp(s, "doing"))
		return "进行中";
	if (!strcmp(s, "done"))
		return "已完成";
	if (!strcmp(s, "overdue"))
		return "已逾期";
	return "未开始";
}

static bool in_list(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* One line of 1..max characters, not blank. */
static bool line_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	return s && utf8_valid_text(s, n) && !strpbrk(s, "\r\n") && !str_blank(s) &&
	       utf8_count(s, n) <= max;
}

/* Text of 1..max characters, not blank (line breaks allowed). */
static bool text_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	return s && utf8_valid_text(s, n) && !str_blank(s) && utf8_count(s, n) <= max;
}

static json_t *opt_text(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *opt_id(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

static json_t *opt_time(int64_t t)
{
	char buf[32];
	if (!t)
		return json_null();
	time_format_rfc3339(t, buf, sizeof(buf));
	return json_string(buf);
}

/* ---- plans ---- */

int plan_get(struct db *db, struct arena *a, int64_t id, struct plan *out)
{
	return store_plan_get(db, a, id, out);
}

int plan_list(struct db *db, struct arena *a, int64_t org_id, int64_t year, int64_t offset,
	      int64_t limit, struct plan **items, int *n, int64_t *total)
{
	return store_plan_list(db, a, org_id, year, offset, limit, items, n, total);
}

json_t *plan_json(const struct plan *p)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "org_id", json_integer(p->org_id));
	json_object_set_new(j, "year", json_integer(p->year));
	json_object_set_new(j, "title", json_string(p->title));
	json_object_set_new(j, "issued_from", opt_id(p->issued_from));
	json_object_set_new(j, "items_count", json_integer(p->items));
	json_object_set_new(j, "created_by", opt_id(p->created_by));
	json_object_set_new(j, "created_at", opt_time(p->created_at));
	json_object_set_new(j, "updated_at", opt_time(p->updated_at));
	return j;
}

static int check_plan(const struct plan *p, struct derr *e)
{
	if (p->year < LEDGER_YEAR_MIN || p->year > LEDGER_YEAR_MAX)
		return derr_set(e, ZRZ_EINVAL, "year", "年度应在 2000 至 2100 之间");
	if (!line_ok(p->title, PLAN_TITLE_MAX))
		return derr_set(e, ZRZ_EINVAL, "title", "标题应为 1 至 200 个字");
	if (p->source_text && (strlen(p->source_text) > PLAN_SOURCE_MAX ||
			       !utf8_valid_text(p->source_text, strlen(p->source_text))))
		return derr_set(e, ZRZ_EINVAL, "source_text", "原文应为不超过 1 MiB 的文本");
	return ZRZ_OK;
}

int plan_create(struct db *db, struct arena *a, const struct actor *who, const struct plan *p,
		struct plan *out, struct derr *e)
{
	int rc = check_plan(p, e);
	if (rc)
		return rc;
	struct plan row = *p;
	row.created_by = who->user_id;
	int64_t id;
	rc = store_plan_insert(db, &row, time_now(), &id);
	if (!rc)
		rc = store_plan_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, p->org_id, "plan.create", "plan", id,
			 json_pack("{s:I, s:s, s:o}", "year", (json_int_t)p->year, "title",
				   p->title, "issued_from", opt_id(p->issued_from)));
}

int plan_update(struct db *db, struct arena *a, const struct actor *who, const struct plan *cur,
		const char *title, struct plan *out, struct derr *e)
{
	struct plan next = *cur;
	next.title = title ? title : cur->title;
	next.source_text = NULL;
	int rc = check_plan(&next, e);
	if (rc)
		return rc;
	if (!strcmp(next.title, cur->title)) {
		*out = *cur;
		return ZRZ_OK;
	}
	rc = store_plan_update(db, cur->id, next.title, time_now());
	if (!rc)
		rc = store_plan_get(db, a, cur->id, out);
	if (rc)
		return rc;
	return audit_log(db, who, cur->org_id, "plan.update", "plan", cur->id,
			 json_pack("{s:[s,s]}", "title", cur->title, next.title));
}

int plan_delete(struct db *db, const struct actor *who, const struct plan *cur)
{
	int rc = store_plan_set_deleted(db, cur->id, time_now());
	if (rc)
		return rc;
	return audit_log(db, who, cur->org_id, "plan.delete", "plan", cur->id,
			 json_pack("{s:I, s:s}", "year", (json_int_t)cur->year, "title",
				   cur->title));
}

int plan_detail_json(struct db *db, struct arena *a, const struct plan *p, int today,
		     json_t **out)
{
	struct plan_section *secs;
	struct plan_item *items;
	int nsecs, nitems;
	int rc = store_plan_section_list(db, a, p->id, &secs, &nsecs);
	if (!rc)
		rc = store_plan_item_list(db, a, p->id, &items, &nitems);
	if (rc)
		return rc;
	/* Sections come level 1 first; each gets its JSON, then is placed. */
	json_t **sj = arena_alloc(a, sizeof(json_t *) * ((size_t)nsecs + 1));
	json_t *top = json_array(), *loose = json_array();
	for (int i = 0; i < nsecs; i++) {
		sj[i] = plan_section_json(&secs[i]);
		json_object_set_new(sj[i], "sections", json_array());
		json_object_set_new(sj[i], "items", json_array());
	}
	for (int i = 0; i < nsecs; i++) {
		json_t *parent = NULL;
		for (int k = 0; secs[i].parent_id && k < nsecs; k++)
			if (secs[k].id == secs[i].parent_id)
				parent = sj[k];
		if (parent)
			json_array_append_new(json_object_get(parent, "sections"), sj[i]);
		else
			json_array_append_new(top, sj[i]);
	}
	json_t *j = plan_json(p);
	json_object_set_new(j, "items_count", json_integer(nitems));
	for (int i = 0; i < nitems; i++) {
		json_t *holder = NULL;
		for (int k = 0; items[i].section_id && k < nsecs; k++)
			if (secs[k].id == items[i].section_id)
				holder = json_object_get(sj[k], "items");
		json_array_append_new(holder ? holder : loose, plan_item_json(&items[i], today));
	}
	json_object_set_new(j, "source_text", opt_text(p->source_text));
	json_object_set_new(j, "sections", top);
	json_object_set_new(j, "items", loose);
	*out = j;
	return ZRZ_OK;
}

/* ---- sections ---- */

json_t *plan_section_json(const struct plan_section *s)
{
	return json_pack("{s:I, s:I, s:o, s:I, s:o, s:s, s:I}", "id", (json_int_t)s->id,
			 "plan_id", (json_int_t)s->plan_id, "parent_id", opt_id(s->parent_id),
			 "level", (json_int_t)s->level, "number", opt_text(s->number), "title",
			 s->title, "sort", (json_int_t)s->sort);
}

int plan_section_get(struct db *db, struct arena *a, int64_t id, struct plan_section *out)
{
	return store_plan_section_get(db, a, id, out);
}

static int check_section(const struct plan_section *s, struct derr *e)
{
	if (!line_ok(s->title, PLAN_SECTION_TITLE_MAX))
		return derr_set(e, ZRZ_EINVAL, "title", "标题应为 1 至 500 个字");
	if (s->number && !line_ok(s->number, PLAN_NUMBER_MAX))
		return derr_set(e, ZRZ_EINVAL, "number", "序号应为 1 至 20 个字");
	return ZRZ_OK;
}

int plan_section_create(struct db *db, struct arena *a, const struct actor *who,
			const struct plan *p, const struct plan_section *s,
			struct plan_section *out, struct derr *e)
{
	struct plan_section row = *s;
	row.plan_id = p->id;
	row.level = 1;
	int rc = check_section(&row, e);
	if (rc)
		return rc;
	if (row.parent_id) {
		struct plan_section parent;
		rc = store_plan_section_get(db, a, row.parent_id, &parent);
		if (rc == ZRZ_ENOTFOUND || (!rc && (parent.plan_id != p->id || parent.level != 1)))
			return derr_set(e, ZRZ_EINVAL, "parent_id", "上级部分应为本计划的一级部分");
		if (rc)
			return rc;
		row.level = 2;
	}
	int64_t id;
	rc = store_plan_section_insert(db, &row, &id);
	if (!rc)
		rc = store_plan_section_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, p->org_id, "plan.section.create", "plan_section", id,
			 json_pack("{s:I, s:s, s:o}", "plan_id", (json_int_t)p->id, "title",
				   row.title, "number", opt_text(row.number)));
}

int plan_section_update(struct db *db, struct arena *a, const struct actor *who,
			const struct plan *p, const struct plan_section *next,
			struct plan_section *out, struct derr *e)
{
	int rc = check_section(next, e);
	if (!rc)
		rc = store_plan_section_update(db, next);
	if (!rc)
		rc = store_plan_section_get(db, a, next->id, out);
	if (rc)
		return rc;
	return audit_log(db, who, p->org_id, "plan.section.update", "plan_section", next->id,
			 json_pack("{s:I, s:s, s:o, s:I}", "plan_id", (json_int_t)p->id, "title",
				   next->title, "number", opt_text(next->number), "sort",
				   (json_int_t)next->sort));
}

int plan_section_delete(struct db *db, const struct actor *who, const struct plan *p,
			const struct plan_section *cur, struct derr *e)
{
	int64_t used;
	int rc = store_plan_section_used(db, cur->id, &used);
	if (rc)
		return rc;
	if (used)
		return derr_set(e, ZRZ_ECONFLICT, "id", "该部分下还有事项或下级部分，请先移除");
	rc = store_plan_section_delete(db, cur->id);
	if (rc)
		return rc;
	return audit_log(db, who, p->org_id, "plan.section.delete", "plan_section", cur->id,
			 json_pack("{s:I, s:s}", "plan_id", (json_int_t)p->id, "title",
				   cur->title));
}

/* ---- items ---- */

int plan_item_get(struct db *db, struct arena *a, int64_t id, struct plan_item *out)
{
	return store_plan_item_get(db, a, id, out);
}

const char *plan_item_status(const struct plan_item *it, int today)
{
	int due;
	if (strcmp(it->status, "done") != 0 && it->due && !period_day_parse(it->due, &due) &&
	    due < today)
		return "overdue";
	return it->status;
}

static json_t *owner_json(int64_t user_id, const char *role)
{
	if (user_id)
		return json_pack("{s:I}", "user_id", (json_int_t)user_id);
	if (role)
		return json_pack("{s:s, s:s}", "role", role, "role_label",
				 !strcmp(role, "secretary") ? "书记"
				 : !strcmp(role, "leader")  ? "班子成员"
				 : !strcmp(role, "office")  ? "办公室"
							    : "党员");
	return json_null();
}

json_t *plan_item_json(const struct plan_item *it, int today)
{
	const char *status = plan_item_status(it, today);
	json_t *owners = json_array();
	for (int i = 0; i < it->nowners; i++)
		json_array_append_new(owners, owner_json(it->owners[i].user_id, it->owners[i].role));
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(it->id));
	json_object_set_new(j, "plan_id", json_integer(it->plan_id));
	json_object_set_new(j, "section_id", opt_id(it->section_id));
	json_object_set_new(j, "text", json_string(it->text));
	json_object_set_new(j, "lead", owner_json(it->lead_user_id, it->lead_role));
	json_object_set_new(j, "co_owners", owners);
	json_object_set_new(j, "due", opt_text(it->due));
	json_object_set_new(j, "recurrence", opt_text(it->recurrence));
	json_object_set_new(j, "status", json_string(status));
	json_object_set_new(j, "status_label", json_string(status_label(status)));
	json_object_set_new(j, "sort", json_integer(it->sort));
	json_object_set_new(j, "created_at", opt_time(it->created_at));
	json_object_set_new(j, "updated_at", opt_time(it->updated_at));
	return j;
}

/* One owner object: {"user_id": N} or {"role": R}. */
static int parse_owner(struct db *db, struct arena *a, json_t *v, const char *field,
		       struct plan_owner *o, struct derr *e)
{
	static const char msg[] = "负责人应为 {\"user_id\": 编号} 或 {\"role\": 角色}";
	memset(o, 0, sizeof(*o));
	if (!json_is_object(v) || json_object_size(v) != 1)
		return derr_set(e, ZRZ_EINVAL, field, msg);
	json_t *uid = json_object_get(v, "user_id"), *role = json_object_get(v, "role");
	if (uid) {
		if (!json_is_integer(uid) || json_integer_value(uid) < 1)
			return derr_set(e, ZRZ_EINVAL, field, msg);
		struct user u;
		int rc = store_user_get(db, a, json_integer_value(uid), &u);
		if (rc == ZRZ_ENOTFOUND)
			return derr_set(e, ZRZ_EINVAL, field, "负责人对应的用户不存在");
		if (rc)
			return rc;
		o->user_id = u.id;
		return ZRZ_OK;
	}
	if (!json_is_string(role) || !in_list(plan_owner_roles, json_string_value(role)))
		return derr_set(e, ZRZ_EINVAL, field,
				"负责角色应为 secretary、leader、office 或 member");
	o->role = arena_strdup(a, json_string_value(role));
	return ZRZ_OK;
}

/* Fill it's lead and owners from the JSON (NULL: keep what it has). */
static int parse_owners(struct db *db, struct arena *a, json_t *lead, json_t *co,
			struct plan_item *it, struct derr *e)
{
	if (lead) {
		it->lead_user_id = 0;
		it->lead_role = NULL;
		if (!json_is_null(lead)) {
			struct plan_owner o;
			int rc = parse_owner(db, a, lead, "lead", &o, e);
			if (rc)
				return rc;
			it->lead_user_id = o.user_id;
			it->lead_role = o.role;
		}
	}
	if (co) {
		if (json_is_null(co)) {
			it->owners = NULL;
			it->nowners = 0;
			return ZRZ_OK;
		}
		if (!json_is_array(co) || json_array_size(co) > PLAN_OWNERS_MAX)
			return derr_set(e, ZRZ_EINVAL, "co_owners", "协办人应为不超过 50 项的列表");
		size_t n = json_array_size(co);
		it->owners = arena_alloc(a, sizeof(struct plan_owner) * (n + 1));
		it->nowners = 0;
		for (size_t i = 0; i < n; i++) {
			int rc = parse_owner(db, a, json_array_get(co, i), "co_owners",
					     &it->owners[it->nowners], e);
			if (rc)
				return rc;
			it->owners[it->nowners++].item_id = it->id;
		}
	}
	return ZRZ_OK;
}

static int check_item(struct db *db, struct arena *a, const struct plan *p,
		      const struct plan_item *it, struct derr *e)
{
	if (!text_ok(it->text, PLAN_ITEM_TEXT_MAX))
		return derr_set(e, ZRZ_EINVAL, "text", "事项内容应为 1 至 5000 个字");
	if (it->due && !ledger_date_valid(it->due))
		return derr_set(e, ZRZ_EINVAL, "due", "完成时限应为 2000 至 2100 年间真实的日期");
	enum period_kind pk;
	if (it->recurrence && period_kind_parse(it->recurrence, &pk))
		return derr_set(e, ZRZ_EINVAL, "recurrence",
				"周期应为 year、half、quarter、month 或 week");
	if (it->due && it->recurrence)
		return derr_set(e, ZRZ_EINVAL, "recurrence", "完成时限和周期只能选一个");
	if (!in_list(plan_item_statuses, it->status))
		return derr_set(e, ZRZ_EINVAL, "status", "状态应为 todo、doing 或 done");
	if (it->section_id) {
		struct plan_section s;
		int rc = store_plan_section_get(db, a, it->section_id, &s);
		if (rc == ZRZ_ENOTFOUND || (!rc && s.plan_id != p->id))
			return derr_set(e, ZRZ_EINVAL, "section_id", "所属部分不是本计划的部分");
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

static json_t *item_detail(const struct plan_item *it)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:s}", "plan_id", (json_int_t)it->plan_id, "text",
			 it->text, "due", opt_text(it->due), "recurrence", opt_text(it->recurrence),
			 "status", it->status);
}

int plan_item_create(struct db *db, struct arena *a, const struct actor *who,
		     const struct plan *p, const struct plan_item *it, json_t *lead,
		     json_t *co_owners, struct plan_item *out, struct derr *e)
{
	struct plan_item row = *it;
	row.plan_id = p->id;
	if (!row.status)
		row.status = "todo";
	row.owners = NULL;
	row.nowners = 0;
	int rc = parse_owners(db, a, lead, co_owners, &row, e);
	if (!rc)
		rc = check_item(db, a, p, &row, e);
	if (rc)
		return rc;
	int64_t id;
	rc = store_plan_item_insert(db, &row, time_now(), &id);
	if (!rc)
		rc = store_plan_owner_set(db, id, row.owners, row.nowners);
	if (!rc)
		rc = store_plan_item_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, p->org_id, "plan.item.create", "plan_item", id,
			 item_detail(&row));
}

int plan_item_update(struct db *db, struct arena *a, const struct actor *who,
		     const struct plan *p, const struct plan_item *cur,
		     const struct plan_item *next, json_t *lead, json_t *co_owners,
		     struct plan_item *out, struct derr *e)
{
	struct plan_item row = *next;
	row.id = cur->id;
	row.plan_id = cur->plan_id;
	int rc = parse_owners(db, a, lead, co_owners, &row, e);
	if (!rc)
		rc = check_item(db, a, p, &row, e);
	if (rc)
		return rc;
	rc = store_plan_item_update(db, &row, time_now());
	if (!rc && co_owners)
		rc = store_plan_owner_set(db, row.id, row.owners, row.nowners);
	if (!rc)
		rc = store_plan_item_get(db, a, row.id, out);
	if (rc)
		return rc;
	json_t *d = item_detail(&row);
	if (strcmp(cur->status, row.status) != 0)
		json_object_set_new(d, "status", json_pack("[s,s]", cur->status, row.status));
	return audit_log(db, who, p->org_id, "plan.item.update", "plan_item", row.id, d);
}

int plan_item_delete(struct db *db, const struct actor *who, const struct plan *p,
		     const struct plan_item *cur)
{
	int rc = store_plan_item_delete(db, cur->id);
	if (rc)
		return rc;
	return audit_log(db, who, p->org_id, "plan.item.delete", "plan_item", cur->id,
			 item_detail(cur));
}

/* ---- progress ---- */

json_t *plan_progress_json(const struct plan_progress *p)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)p->id, "item_id",
			 (json_int_t)p->item_id, "date", p->date, "note", p->note, "created_by",
			 opt_id(p->created_by), "created_at", opt_time(p->created_at));
}

int plan_progress_add(struct db *db, struct arena *a, const struct actor *who,
		      const struct plan *p, const struct plan_item *it, const char *date,
		      const char *note, struct plan_progress *out, struct derr *e)
{
	if (!ledger_date_valid(date))
		return derr_set(e, ZRZ_EINVAL, "date", "日期应为 2000 至 2100 年间真实的日期");
	if (!text_ok(note, PLAN_NOTE_MAX))
		return derr_set(e, ZRZ_EINVAL, "note", "进展说明应为 1 至 2000 个字");
	struct plan_progress row = {0, it->id, date, note, who->user_id, time_now()};
	int64_t id;
	int rc = store_plan_progress_insert(db, &row, &id);
	if (rc)
		return rc;
	row.id = id;
	row.date = arena_strdup(a, date);
	row.note = arena_strdup(a, note);
	*out = row;
	return audit_log(db, who, p->org_id, "plan.progress.create", "plan_item", it->id,
			 json_pack("{s:I, s:s}", "progress_id", (json_int_t)id, "date", date));
}

int plan_progress_list(struct db *db, struct arena *a, int64_t item_id,
		       struct plan_progress **items, int *n)
{
	return store_plan_progress_list(db, a, item_id, items, n);
}

/* ---- issuing down the tree ---- */

int plan_issue(struct db *db, struct arena *a, const struct actor *who, const struct plan *p,
	       const char *path, int *created)
{
	struct plan_copy *copies;
	int n;
	int rc = store_plan_issue(db, a, p->id, path, who->user_id, time_now(), &copies, &n);
	for (int i = 0; !rc && i < n; i++)
		rc = audit_log(db, who, copies[i].org_id, "plan.issue", "plan", copies[i].id,
			       json_pack("{s:I, s:I, s:I, s:s}", "issued_from", (json_int_t)p->id,
					 "from_org_id", (json_int_t)p->org_id, "year",
					 (json_int_t)p->year, "title", p->title));
	*created = n;
	return rc;
}

/* ---- links from records and obligations ---- */

int plan_item_check_org(struct db *db, int64_t id, int64_t org_id, struct derr *e)
{
	int64_t owner;
	int rc = store_plan_item_org(db, id, &owner);
	if (rc == ZRZ_ENOTFOUND || (!rc && owner != org_id))
		return derr_set(e, ZRZ_EINVAL, "plan_item_id", "计划事项不存在");
	return rc;
}

int plan_links_check(struct db *db, struct arena *a, int64_t org_id, json_t *ids, int64_t **out,
		     int *n, struct derr *e)
{
	if (!json_is_array(ids) || json_array_size(ids) > PLAN_LINKS_MAX)
		return derr_set(e, ZRZ_EINVAL, "plan_item_ids", "关联的计划事项应为不超过 50 个编号的列表");
	*out = arena_alloc(a, sizeof(int64_t) * (json_array_size(ids) + 1));
	*n = 0;
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return derr_set(e, ZRZ_EINVAL, "plan_item_ids", "计划事项编号应为正整数");
		int64_t id = json_integer_value(v);
		int rc = plan_item_check_org(db, id, org_id, e);
		if (rc) {
			if (e)
				e->field = "plan_item_ids";
			return rc;
		}
		bool dup = false;
		for (int k = 0; k < *n; k++)
			dup = dup || (*out)[k] == id;
		if (!dup)
			(*out)[(*n)++] = id;
	}
	return ZRZ_OK;
}

int plan_links_set(struct db *db, const struct actor *who, int64_t org_id, int64_t record_id,
		   const int64_t *ids, int n)
{
	int rc = store_record_plan_items_set(db, record_id, ids, n);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_integer(ids[i]));
	return audit_log(db, who, org_id, "record.plan_items", "record", record_id,
			 json_pack("{s:o}", "plan_item_ids", arr));
}

int plan_links_get(struct db *db, struct arena *a, int64_t record_id, int64_t **ids, int *n)
{
	return store_record_plan_items(db, a, record_id, ids, n);
}

int plan_item_records(struct db *db, struct arena *a, int64_t item_id, int64_t limit,
		      int64_t **ids, int *n)
{
	return store_plan_item_records(db, a, item_id, limit, ids, n);
}

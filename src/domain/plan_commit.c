/*
 * Saving an import: the preview of plan_import_analyze, as the person
 * confirmed and edited it, becomes one plan (sections, items, the dated
 * activities as items due on their dates), the obligations tied to the
 * items they were read from, and the leading group, all in the caller's
 * write transaction.  Only the fields named in plan.h are read; the rest
 * of the preview (statistics, spans, suggestions) is ignored, so a client
 * may send back the preview as it got it.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/committee.h"
#include "domain/ledger.h"
#include "domain/obligation.h"
#include "domain/plan.h"
#include "store/repo.h"

/* An item saved with the span of the text it came from. */
struct saved_span {
	int64_t start, end, item_id;
};

struct commit_state {
	struct db *db;
	struct arena *a;
	const struct plan *plan;
	int64_t now;
	int nsections;
	int nitems;
	struct saved_span *spans;
	int nspans;
	struct derr *e;
};

static bool in_periods(const char *p)
{
	for (int i = 0; obligation_periods[i]; i++)
		if (!strcmp(obligation_periods[i], p))
			return true;
	return false;
}

/* A string field, or NULL when absent or null; ZRZ_EINVAL when of another type. */
static int str_of(struct commit_state *s, json_t *o, const char *key, const char *field,
		  const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return ZRZ_OK;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return derr_set(s->e, ZRZ_EINVAL, field,
				arena_printf(s->a, "%s 中的 %s 应为文本", field, key));
	*out = json_string_value(v);
	return ZRZ_OK;
}

static void note_span(struct commit_state *s, json_t *o, int64_t item_id)
{
	json_t *src = json_object_get(o, "source");
	json_t *st = json_object_get(src, "start"), *en = json_object_get(src, "end");
	if (!json_is_integer(st) || !json_is_integer(en))
		return;
	if (s->nspans >= PLAN_ITEMS_MAX)
		return;
	s->spans[s->nspans++] = (struct saved_span){json_integer_value(st), json_integer_value(en),
						    item_id};
}

/* Save one item (its "text", else its "title") and, flattened after it,
 * its nested items. */
static int save_item(struct commit_state *s, json_t *o, int64_t section_id, int depth)
{
	if (!json_is_object(o))
		return derr_set(s->e, ZRZ_EINVAL, "items", "事项应为对象");
	if (++s->nitems > PLAN_ITEMS_MAX)
		return derr_set(s->e, ZRZ_EINVAL, "items", "一个计划最多 3000 个事项");
	const char *text, *title, *due, *rec;
	int rc = str_of(s, o, "text", "items", &text);
	if (!rc)
		rc = str_of(s, o, "title", "items", &title);
	if (!rc)
		rc = str_of(s, o, "due", "items", &due);
	if (!rc)
		rc = str_of(s, o, "recurrence", "items", &rec);
	if (rc)
		return rc;
	if (!text || str_blank(text))
		text = title;
	struct plan_item it = {0};
	it.plan_id = s->plan->id;
	it.section_id = section_id;
	it.text = text;
	it.due = due;
	it.recurrence = rec;
	it.status = "todo";
	it.sort = s->nitems;
	if (!text || str_blank(text) || utf8_count(text, strlen(text)) > PLAN_ITEM_TEXT_MAX ||
	    !utf8_valid_text(text, strlen(text)))
		return derr_set(s->e, ZRZ_EINVAL, "items",
				arena_printf(s->a, "第 %d 个事项的内容应为 1 至 5000 个字", s->nitems));
	if (due && !ledger_date_valid(due))
		return derr_set(s->e, ZRZ_EINVAL, "items",
				arena_printf(s->a, "第 %d 个事项的完成时限不是真实的日期", s->nitems));
	if (rec && !in_periods(rec))
		return derr_set(s->e, ZRZ_EINVAL, "items",
				arena_printf(s->a, "第 %d 个事项的周期无效", s->nitems));
	if (due && rec)
		return derr_set(s->e, ZRZ_EINVAL, "items", "完成时限和周期只能选一个");
	int64_t id;
	rc = store_plan_item_insert(s->db, &it, s->now, &id);
	if (rc)
		return rc;
	note_span(s, o, id);
	json_t *kids = json_object_get(o, "items");
	if (kids && !json_is_null(kids)) {
		if (!json_is_array(kids) || depth > 8)
			return derr_set(s->e, ZRZ_EINVAL, "items", "事项的 items 应为列表");
		size_t i;
		json_t *v;
		json_array_foreach(kids, i, v) {
			rc = save_item(s, v, section_id, depth + 1);
			if (rc)
				return rc;
		}
	}
	return ZRZ_OK;
}

static int save_items(struct commit_state *s, json_t *arr, int64_t section_id, int depth)
{
	if (!arr || json_is_null(arr))
		return ZRZ_OK;
	if (!json_is_array(arr))
		return derr_set(s->e, ZRZ_EINVAL, "items", "items 应为列表");
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		int rc = save_item(s, v, section_id, depth);
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

/* Save a section: levels 1 and 2 as sections; deeper ones become items of
 * their level 2 ancestor (parent_id) with their own items after them. */
static int save_section(struct commit_state *s, json_t *o, int64_t parent_id, int level)
{
	if (!json_is_object(o))
		return derr_set(s->e, ZRZ_EINVAL, "sections", "部分应为对象");
	if (level > 2) {
		int rc = save_item(s, o, parent_id, 0);
		json_t *subs = json_object_get(o, "sections");
		size_t i;
		json_t *v;
		if (!rc && subs && json_is_array(subs))
			json_array_foreach(subs, i, v) {
				rc = save_section(s, v, parent_id, level + 1);
				if (rc)
					break;
			}
		return rc;
	}
	if (++s->nsections > PLAN_SECTIONS_MAX)
		return derr_set(s->e, ZRZ_EINVAL, "sections", "一个计划最多 500 个部分");
	const char *number, *title, *text;
	int rc = str_of(s, o, "number", "sections", &number);
	if (!rc)
		rc = str_of(s, o, "title", "sections", &title);
	if (!rc)
		rc = str_of(s, o, "text", "sections", &text);
	if (rc)
		return rc;
	if (!title || str_blank(title))
		title = text;
	if (number && str_blank(number))
		number = NULL;
	if (!title || str_blank(title) || !utf8_valid_text(title, strlen(title)) ||
	    strpbrk(title, "\r\n") || utf8_count(title, strlen(title)) > PLAN_SECTION_TITLE_MAX)
		return derr_set(s->e, ZRZ_EINVAL, "sections",
				arena_printf(s->a, "第 %d 个部分的标题应为 1 至 500 个字的一行文字",
					     s->nsections));
	if (number && (!utf8_valid_text(number, strlen(number)) || strpbrk(number, "\r\n") ||
		       utf8_count(number, strlen(number)) > PLAN_NUMBER_MAX))
		return derr_set(s->e, ZRZ_EINVAL, "sections",
				arena_printf(s->a, "第 %d 个部分的序号应为 1 至 20 个字", s->nsections));
	struct plan_section row = {0, s->plan->id, parent_id, level, number, title, s->nsections};
	int64_t id;
	rc = store_plan_section_insert(s->db, &row, &id);
	if (!rc)
		rc = save_items(s, json_object_get(o, "items"), id, 0);
	if (rc)
		return rc;
	json_t *subs = json_object_get(o, "sections");
	if (!subs || json_is_null(subs))
		return ZRZ_OK;
	if (!json_is_array(subs))
		return derr_set(s->e, ZRZ_EINVAL, "sections", "部分的 sections 应为列表");
	size_t i;
	json_t *v;
	json_array_foreach(subs, i, v) {
		rc = save_section(s, v, level == 1 ? id : parent_id, level + 1);
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

/* The innermost saved item whose span holds byte offset at (0: none). */
static int64_t item_at(const struct commit_state *s, int64_t at)
{
	int64_t best = 0, width = INT64_MAX;
	for (int i = 0; i < s->nspans; i++)
		if (s->spans[i].start <= at && at < s->spans[i].end &&
		    s->spans[i].end - s->spans[i].start < width) {
			best = s->spans[i].item_id;
			width = s->spans[i].end - s->spans[i].start;
		}
	return best;
}

struct kept {
	const char *kind;
	const char *period;
	int64_t min;
	int64_t item_id;
};

static int save_obligations(struct commit_state *s, const struct actor *who, json_t *arr,
			    json_t *skipped, int *saved)
{
	*saved = 0;
	if (!arr || json_is_null(arr))
		return ZRZ_OK;
	if (!json_is_array(arr) || json_array_size(arr) > PLAN_ITEMS_MAX)
		return derr_set(s->e, ZRZ_EINVAL, "obligations", "obligations 应为列表");
	struct kept *k = arena_alloc(s->a, sizeof(*k) * (json_array_size(arr) + 1));
	int nk = 0;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		int no = (int)i + 1;
		if (!json_is_object(v))
			return derr_set(s->e, ZRZ_EINVAL, "obligations", "指标应为对象");
		json_t *conf = json_object_get(v, "confirmed");
		if (conf && !json_is_boolean(conf))
			return derr_set(s->e, ZRZ_EINVAL, "obligations", "confirmed 应为 true 或 false");
		if (json_is_false(conf)) {
			json_array_append(skipped, v);
			continue;
		}
		const char *kind, *period;
		int rc = str_of(s, v, "kind", "obligations", &kind);
		if (!rc)
			rc = str_of(s, v, "period", "obligations", &period);
		if (rc)
			return rc;
		struct record_kind rk;
		rc = kind ? store_record_kind_get(s->db, s->a, kind, &rk) : ZRZ_ENOTFOUND;
		if (rc == ZRZ_ENOTFOUND || (!rc && !rk.active))
			return derr_set(s->e, ZRZ_EINVAL, "obligations",
					arena_printf(s->a, "第 %d 项指标的记录类型不存在或已停用", no));
		if (rc)
			return rc;
		json_t *mn = json_object_get(v, "min");
		if (!json_is_integer(mn) || json_integer_value(mn) < 1 ||
		    json_integer_value(mn) > OBLIGATION_MIN_MAX)
			return derr_set(s->e, ZRZ_EINVAL, "obligations",
					arena_printf(s->a, "第 %d 项指标的次数应为 1 至 1000", no));
		if (!period || !in_periods(period))
			return derr_set(s->e, ZRZ_EINVAL, "obligations",
					arena_printf(s->a, "第 %d 项指标的周期应为 year、half、quarter、month 或 week", no));
		json_t *src = json_object_get(v, "source");
		json_t *at = json_object_get(src, "start");
		int64_t item = json_is_integer(at) ? item_at(s, json_integer_value(at)) : 0;
		int dup = -1;
		for (int j = 0; j < nk; j++)
			if (!strcmp(k[j].kind, kind) && !strcmp(k[j].period, period))
				dup = j;
		if (dup >= 0) {
			if (json_integer_value(mn) > k[dup].min)
				k[dup].min = json_integer_value(mn);
			if (!k[dup].item_id)
				k[dup].item_id = item;
			continue;
		}
		k[nk++] = (struct kept){kind, period, json_integer_value(mn), item};
	}
	for (int j = 0; j < nk; j++) {
		struct obligation o = {0, s->plan->org_id, k[j].kind, k[j].min, k[j].period,
				       s->plan->year, k[j].item_id, 0};
		struct obligation out;
		struct derr oe = {0};
		int rc = obligation_create(s->db, s->a, who, &o, &out, &oe);
		if (rc == ZRZ_ECONFLICT)
			return derr_set(s->e, ZRZ_ECONFLICT, "obligations",
					arena_printf(s->a,
						     "该单位 %lld 年度已有类型 %s、周期 %s 的指标，请在预览中去掉这一项",
						     (long long)s->plan->year, k[j].kind, k[j].period));
		if (rc) {
			if (oe.msg)
				derr_set(s->e, rc, "obligations", oe.msg);
			return rc;
		}
	}
	*saved = nk;
	return ZRZ_OK;
}

/* The committee's people of one position, appended to m. */
static int add_members(struct commit_state *s, json_t *c, const char *key, const char *position,
		       struct committee_member *m, int *n)
{
	json_t *arr = json_object_get(c, key);
	if (!arr || json_is_null(arr))
		return ZRZ_OK;
	if (!json_is_array(arr))
		return derr_set(s->e, ZRZ_EINVAL, "committee",
				arena_printf(s->a, "领导小组的 %s 应为姓名列表", key));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (*n >= COMMITTEE_MAX_MEMBERS)
			return derr_set(s->e, ZRZ_EINVAL, "committee", "成员不能超过 200 人");
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
			return derr_set(s->e, ZRZ_EINVAL, "committee",
					arena_printf(s->a, "领导小组的 %s 应为姓名列表", key));
		m[*n] = (struct committee_member){0, 0, position, json_string_value(v), 0, NULL,
						  *n};
		(*n)++;
	}
	return ZRZ_OK;
}

static int save_committee(struct commit_state *s, const struct actor *who, json_t *c,
			  int64_t *id)
{
	*id = 0;
	if (!c || json_is_null(c))
		return ZRZ_OK;
	if (!json_is_object(c))
		return derr_set(s->e, ZRZ_EINVAL, "committee", "领导小组应为对象或 null");
	const char *name;
	int rc = str_of(s, c, "name", "committee", &name);
	if (rc)
		return rc;
	struct committee_member *m = arena_alloc(s->a, sizeof(*m) * (COMMITTEE_MAX_MEMBERS + 1));
	int n = 0;
	rc = add_members(s, c, "leader", "leader", m, &n);
	if (!rc)
		rc = add_members(s, c, "deputy_leaders", "deputy_leader", m, &n);
	if (!rc)
		rc = add_members(s, c, "members", "member", m, &n);
	if (!rc)
		rc = add_members(s, c, "office_director", "office_director", m, &n);
	if (!rc)
		rc = add_members(s, c, "office_deputy_director", "office_deputy_director", m, &n);
	if (rc)
		return rc;
	struct committee out;
	struct derr ce = {0};
	rc = committee_create(s->db, s->a, who, s->plan->org_id, name ? name : "领导小组", m, n,
			      &out, &ce);
	if (rc) {
		if (ce.msg)
			derr_set(s->e, rc, "committee", ce.msg);
		return rc;
	}
	*id = out.id;
	return ZRZ_OK;
}

static int save_activities(struct commit_state *s, json_t *arr, int *saved)
{
	*saved = 0;
	if (!arr || json_is_null(arr))
		return ZRZ_OK;
	if (!json_is_array(arr) || json_array_size(arr) > 100)
		return derr_set(s->e, ZRZ_EINVAL, "dated_activities", "dated_activities 应为不超过 100 项的列表");
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *name, *full, *date;
		if (!json_is_object(v))
			return derr_set(s->e, ZRZ_EINVAL, "dated_activities", "活动应为对象");
		int rc = str_of(s, v, "name", "dated_activities", &name);
		if (!rc)
			rc = str_of(s, v, "full_name", "dated_activities", &full);
		if (!rc)
			rc = str_of(s, v, "date", "dated_activities", &date);
		if (rc)
			return rc;
		if (!name || str_blank(name) || !utf8_valid_text(name, strlen(name)) ||
		    utf8_count(name, strlen(name)) > 50)
			return derr_set(s->e, ZRZ_EINVAL, "dated_activities",
					arena_printf(s->a, "第 %d 项活动的名称应为 1 至 50 个字", (int)i + 1));
		if (!date || !ledger_date_valid(date))
			return derr_set(s->e, ZRZ_EINVAL, "dated_activities",
					arena_printf(s->a, "第 %d 项活动的日期不是真实的日期", (int)i + 1));
		if (full && (!utf8_valid_text(full, strlen(full)) ||
			     utf8_count(full, strlen(full)) > 50 || str_blank(full) ||
			     !strcmp(full, name)))
			full = NULL;
		struct plan_item it = {0};
		it.plan_id = s->plan->id;
		it.text = full ? arena_printf(s->a, "%s（%s）节庆活动", name, full)
			       : arena_printf(s->a, "%s节庆活动", name);
		it.due = date;
		it.status = "todo";
		it.sort = ++s->nitems;
		if (s->nitems > PLAN_ITEMS_MAX)
			return derr_set(s->e, ZRZ_EINVAL, "items", "一个计划最多 3000 个事项");
		int64_t id;
		rc = store_plan_item_insert(s->db, &it, s->now, &id);
		if (rc)
			return rc;
		(*saved)++;
	}
	return ZRZ_OK;
}

int plan_import_commit(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
		       int year, const char *text, size_t len, json_t *confirmed,
		       int64_t *plan_id, json_t **skipped, struct derr *e)
{
	*skipped = NULL;
	if (!json_is_object(confirmed))
		return derr_set(e, ZRZ_EINVAL, NULL, "请提交确认后的预览");
	struct commit_state s = {db, a, NULL, time_now(), 0, 0, NULL, 0, e};
	s.spans = arena_alloc(a, sizeof(*s.spans) * (PLAN_ITEMS_MAX + 1));
	const char *title;
	int rc = str_of(&s, confirmed, "title", "title", &title);
	if (rc)
		return rc;
	if (!title || str_blank(title))
		title = arena_printf(a, "%d年工作要点", year);
	struct plan p = {0};
	p.org_id = org_id;
	p.year = year;
	p.title = title;
	p.source_text = arena_strndup(a, text, len);
	struct plan made;
	rc = plan_create(db, a, who, &p, &made, e);
	if (rc)
		return rc;
	s.plan = &made;
	json_t *secs = json_object_get(confirmed, "sections");
	if (secs && !json_is_null(secs) && !json_is_array(secs))
		return derr_set(e, ZRZ_EINVAL, "sections", "sections 应为列表");
	size_t i;
	json_t *v;
	if (secs)
		json_array_foreach(secs, i, v) {
			rc = save_section(&s, v, 0, 1);
			if (rc)
				return rc;
		}
	rc = save_items(&s, json_object_get(confirmed, "items"), 0, 0);
	int nacts = 0, nobl = 0;
	if (!rc)
		rc = save_activities(&s, json_object_get(confirmed, "dated_activities"), &nacts);
	json_t *skip = json_array();
	if (!rc)
		rc = save_obligations(&s, who, json_object_get(confirmed, "obligations"), skip, &nobl);
	int64_t committee_id = 0;
	if (!rc)
		rc = save_committee(&s, who, json_object_get(confirmed, "committee"), &committee_id);
	if (!rc)
		rc = audit_log(db, who, org_id, "plan.import", "plan", made.id,
			       json_pack("{s:I, s:i, s:i, s:i, s:i, s:o, s:I}", "year",
					 (json_int_t)year, "sections", s.nsections, "items",
					 s.nitems, "obligations", nobl, "dated_activities", nacts,
					 "committee_id",
					 committee_id ? json_integer(committee_id) : json_null(),
					 "chars", (json_int_t)utf8_count(text, len)));
	if (rc) {
		json_decref(skip);
		return rc;
	}
	*plan_id = made.id;
	*skipped = skip;
	return ZRZ_OK;
}

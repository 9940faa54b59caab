/*
 * /api/v1/plans, /api/v1/plan-sections and /api/v1/plan-items: a unit's
 * plans (工作要点) with their sections, items and progress notes, issuing
 * a plan down the tree, and the importer (preview, then commit).  Everyone
 * who sees a unit reads its plans; its office or secretary (or a
 * superior's, through a subtree grant) edit them; its leaders may also add
 * progress notes.  A plan, section or item outside the caller's scope
 * answers 404, exactly as one that does not exist.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "api/api.h"
#include "domain/ledger.h"
#include "domain/obligation.h"
#include "domain/org.h"
#include "domain/period.h"
#include "domain/plan.h"
#include "domain/plan_import.h"

#define PLAN_EDITORS (ROLE_OFFICE | ROLE_SECRETARY)
#define PROGRESS_WRITERS (ROLE_OFFICE | ROLE_SECRETARY | ROLE_LEADER)
#define ISSUE_UNITS_MAX 100000
/* The most linked records GET of an item lists. */
#define ITEM_RECORDS_MAX 500

static const char NO_PLAN[] = "计划不存在或不在您的权限范围内";
static const char NOT_EDITOR[] = "只有本单位的办公室或书记可以维护工作计划";

static int today(void)
{
	return period_day_of_time(time_now());
}

/* Load live plan id if the caller sees its unit. */
static int visible_plan(struct req *r, struct db *db, int64_t id, struct plan *p, struct org *o)
{
	int rc = plan_get(db, r->arena, id, p);
	if (!rc)
		rc = org_get(db, r->arena, p->org_id, o);
	if (rc == ZRZ_ENOTFOUND || (!rc && (p->deleted_at || !scope_sees(api_who(r), o->path))))
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_PLAN);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return ZRZ_OK;
}

static int editable_plan(struct req *r, struct db *db, int64_t id, struct plan *p, struct org *o)
{
	int rc = visible_plan(r, db, id, p, o);
	if (!rc && !scope_can(api_who(r), o->path, PLAN_EDITORS))
		rc = req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	return rc;
}

static int visible_item(struct req *r, struct db *db, int64_t id, struct plan_item *it,
			struct plan *p, struct org *o)
{
	int rc = plan_item_get(db, r->arena, id, it);
	if (rc == ZRZ_ENOTFOUND)
		return req_fail(r, ZRZ_ENOTFOUND, "id", "计划事项不存在或不在您的权限范围内");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	rc = visible_plan(r, db, it->plan_id, p, o);
	if (rc == ZRZ_ENOTFOUND)
		r->err_msg = "计划事项不存在或不在您的权限范围内";
	return rc;
}

static int visible_section(struct req *r, struct db *db, int64_t id, struct plan_section *s,
			   struct plan *p, struct org *o)
{
	int rc = plan_section_get(db, r->arena, id, s);
	if (rc == ZRZ_ENOTFOUND)
		return req_fail(r, ZRZ_ENOTFOUND, "id", "计划的部分不存在或不在您的权限范围内");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	rc = visible_plan(r, db, s->plan_id, p, o);
	if (rc == ZRZ_ENOTFOUND)
		r->err_msg = "计划的部分不存在或不在您的权限范围内";
	return rc;
}

/* ---- plans ---- */

int api_plan_list(struct req *r)
{
	int64_t org_id, year, offset, limit;
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_int(r, "year", LEDGER_YEAR_MIN, LEDGER_YEAR_MAX, 0, &year);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	struct plan *items;
	int n;
	int64_t total;
	rc = plan_list(db, r->arena, org_id, year, offset, limit, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, plan_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, total));
}

int api_plan_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct plan p;
	struct org o;
	rc = visible_plan(r, db, id, &p, &o);
	if (rc)
		return rc;
	json_t *j;
	rc = plan_detail_json(db, r->arena, &p, today(), &j);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_json(r, 200, j);
}

/* Reply with the plan as GET shows it. */
static int reply_plan(struct req *r, struct db *db, int status, const struct plan *p)
{
	json_t *j;
	int rc = plan_detail_json(db, r->arena, p, today(), &j);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	rc = api_commit(r);
	if (rc) {
		json_decref(j);
		return rc;
	}
	return req_reply_json(r, status, j);
}

int api_plan_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "year", "title", "source_text", NULL};
	json_t *body;
	struct plan p = {0};
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &p.org_id, NULL);
	if (!rc)
		rc = req_json_int(r, body, "year", true, LEDGER_YEAR_MIN, LEDGER_YEAR_MAX, &p.year,
				  NULL);
	if (!rc)
		rc = req_json_str(r, body, "title", true, 1, PLAN_TITLE_MAX, &p.title);
	if (!rc)
		rc = req_json_str(r, body, "source_text", false, 0, PLAN_SOURCE_MAX, &p.source_text);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, p.org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, PLAN_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct plan out;
	struct derr e = {0};
	rc = plan_create(db, r->arena, &api_who(r)->actor, &p, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_plan(r, db, 201, &out);
}

int api_plan_update(struct req *r)
{
	static const char *const keys[] = {"title", NULL};
	json_t *body;
	int64_t id;
	const char *title;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_str(r, body, "title", false, 1, PLAN_TITLE_MAX, &title);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct plan cur, out;
	struct org o;
	rc = editable_plan(r, db, id, &cur, &o);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = plan_update(db, r->arena, &api_who(r)->actor, &cur, title, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_plan(r, db, 200, &out);
}

int api_plan_delete(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct plan cur;
	struct org o;
	rc = editable_plan(r, db, id, &cur, &o);
	if (rc)
		return rc;
	rc = plan_delete(db, &api_who(r)->actor, &cur);
	if (!rc)
		rc = api_commit(r);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_empty(r);
}

int api_plan_issue(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct plan p;
	struct org o;
	rc = visible_plan(r, db, id, &p, &o);
	if (rc)
		return rc;
	if (!scope_covers_subtree(api_who(r), o.path, PLAN_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL,
				"只有对下级单位有权限的办公室或书记可以下发工作计划");
	struct org *units;
	int n;
	rc = org_subtree(db, r->arena, o.path, ISSUE_UNITS_MAX + 1, &units, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	if (n > ISSUE_UNITS_MAX)
		return req_fail(r, ZRZ_EINVAL, "id", "下级单位过多，请分级下发");
	/* The subtree holds the plan's own unit too. */
	int nbelow = n - 1, created;
	rc = plan_issue(db, r->arena, &api_who(r)->actor, &p, o.path, &created);
	if (!rc)
		rc = api_commit(r);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_json(r, 200,
			      json_pack("{s:I, s:i, s:i, s:i}", "plan_id", (json_int_t)p.id, "units",
					nbelow, "created", created, "skipped", nbelow - created));
}

/* ---- sections ---- */

int api_plan_section_create(struct req *r)
{
	static const char *const keys[] = {"parent_id", "number", "title", "sort", NULL};
	json_t *body;
	int64_t id;
	struct plan_section s = {0};
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "parent_id", false, &s.parent_id, NULL);
	if (!rc)
		rc = req_json_str(r, body, "number", false, 0, PLAN_NUMBER_MAX, &s.number);
	if (!rc)
		rc = req_json_str(r, body, "title", true, 1, PLAN_SECTION_TITLE_MAX, &s.title);
	if (!rc)
		rc = req_json_int(r, body, "sort", false, -1000000, 1000000, &s.sort, NULL);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct plan p;
	struct org o;
	rc = editable_plan(r, db, id, &p, &o);
	if (rc)
		return rc;
	struct plan_section out;
	struct derr e = {0};
	rc = plan_section_create(db, r->arena, &api_who(r)->actor, &p, &s, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, plan_section_json(&out));
}

int api_plan_section_update(struct req *r)
{
	static const char *const keys[] = {"number", "title", "sort", NULL};
	json_t *body;
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct plan_section cur;
	struct plan p;
	struct org o;
	rc = visible_section(r, db, id, &cur, &p, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, PLAN_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct plan_section next = cur;
	if (json_object_get(body, "number"))
		rc = req_json_str(r, body, "number", false, 0, PLAN_NUMBER_MAX, &next.number);
	if (!rc && json_object_get(body, "title"))
		rc = req_json_str(r, body, "title", true, 1, PLAN_SECTION_TITLE_MAX, &next.title);
	if (!rc && json_object_get(body, "sort"))
		rc = req_json_int(r, body, "sort", true, -1000000, 1000000, &next.sort, NULL);
	if (rc)
		return rc;
	struct plan_section out;
	struct derr e = {0};
	rc = plan_section_update(db, r->arena, &api_who(r)->actor, &p, &next, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, plan_section_json(&out));
}

int api_plan_section_delete(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct plan_section cur;
	struct plan p;
	struct org o;
	rc = visible_section(r, db, id, &cur, &p, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, PLAN_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct derr e = {0};
	rc = plan_section_delete(db, &api_who(r)->actor, &p, &cur, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_empty(r);
}

/* ---- items ---- */

/* The item fields of body over it (all of them unless patch). */
static int parse_item(struct req *r, json_t *body, bool patch, struct plan_item *it)
{
	int rc = ZRZ_OK;
	if (!patch || json_object_get(body, "section_id")) {
		it->section_id = 0;
		rc = api_json_id(r, body, "section_id", false, &it->section_id, NULL);
	}
	if (!rc && (!patch || json_object_get(body, "text")))
		rc = req_json_str(r, body, "text", true, 1, PLAN_ITEM_TEXT_MAX, &it->text);
	if (!rc && (!patch || json_object_get(body, "due")))
		rc = req_json_str(r, body, "due", false, 0, 10, &it->due);
	if (!rc && (!patch || json_object_get(body, "recurrence")))
		rc = req_json_enum(r, body, "recurrence", false, obligation_periods,
				   &it->recurrence);
	if (!rc && (!patch || json_object_get(body, "status"))) {
		rc = req_json_enum(r, body, "status", patch, plan_item_statuses, &it->status);
		if (!rc && !it->status)
			it->status = "todo";
	}
	if (!rc && (!patch || json_object_get(body, "sort")))
		rc = req_json_int(r, body, "sort", false, -1000000, 1000000, &it->sort, NULL);
	return rc;
}

int api_plan_item_create(struct req *r)
{
	static const char *const keys[] = {"section_id", "text", "lead", "co_owners", "due",
					   "recurrence", "status", "sort", NULL};
	json_t *body;
	int64_t id;
	struct plan_item it = {0};
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = parse_item(r, body, false, &it);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct plan p;
	struct org o;
	rc = editable_plan(r, db, id, &p, &o);
	if (rc)
		return rc;
	struct plan_item out;
	struct derr e = {0};
	rc = plan_item_create(db, r->arena, &api_who(r)->actor, &p, &it,
			      json_object_get(body, "lead"), json_object_get(body, "co_owners"),
			      &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, plan_item_json(&out, today()));
}

int api_plan_item_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct plan_item it;
	struct plan p;
	struct org o;
	rc = visible_item(r, db, id, &it, &p, &o);
	if (rc)
		return rc;
	int64_t *recs;
	int nrecs;
	rc = plan_item_records(db, r->arena, id, ITEM_RECORDS_MAX, &recs, &nrecs);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *j = plan_item_json(&it, today()), *arr = json_array();
	for (int i = 0; i < nrecs; i++)
		json_array_append_new(arr, json_integer(recs[i]));
	json_object_set_new(j, "record_ids", arr);
	return req_reply_json(r, 200, j);
}

int api_plan_item_update(struct req *r)
{
	static const char *const keys[] = {"section_id", "text", "lead", "co_owners", "due",
					   "recurrence", "status", "sort", NULL};
	json_t *body;
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct plan_item cur;
	struct plan p;
	struct org o;
	rc = visible_item(r, db, id, &cur, &p, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, PLAN_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct plan_item next = cur;
	rc = parse_item(r, body, true, &next);
	if (rc)
		return rc;
	struct plan_item out;
	struct derr e = {0};
	rc = plan_item_update(db, r->arena, &api_who(r)->actor, &p, &cur, &next,
			      json_object_get(body, "lead"), json_object_get(body, "co_owners"),
			      &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, plan_item_json(&out, today()));
}

int api_plan_item_delete(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct plan_item cur;
	struct plan p;
	struct org o;
	rc = visible_item(r, db, id, &cur, &p, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, PLAN_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	rc = plan_item_delete(db, &api_who(r)->actor, &p, &cur);
	if (!rc)
		rc = api_commit(r);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_empty(r);
}

/* ---- progress notes ---- */

int api_plan_progress_list(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct plan_item it;
	struct plan p;
	struct org o;
	rc = visible_item(r, db, id, &it, &p, &o);
	if (rc)
		return rc;
	struct plan_progress *items;
	int n;
	rc = plan_progress_list(db, r->arena, id, &items, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, plan_progress_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

int api_plan_progress_create(struct req *r)
{
	static const char *const keys[] = {"date", "note", NULL};
	json_t *body;
	int64_t id;
	const char *date, *note;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_str(r, body, "date", true, 10, 10, &date);
	if (!rc)
		rc = req_json_str(r, body, "note", true, 1, PLAN_NOTE_MAX, &note);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct plan_item it;
	struct plan p;
	struct org o;
	rc = visible_item(r, db, id, &it, &p, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, PROGRESS_WRITERS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL,
				"只有本单位的办公室、书记或班子成员可以填写进展");
	struct plan_progress out;
	struct derr e = {0};
	rc = plan_progress_add(db, r->arena, &api_who(r)->actor, &p, &it, date, note, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, plan_progress_json(&out));
}

/* ---- the importer ---- */

int api_plan_import(struct req *r)
{
	/* The preview's own fields may come back with a commit; only those
	 * plan_import_commit names are read. */
	static const char *const keys[] = {
		"org_id", "year", "text", "commit", "title", "type", "stats", "preamble",
		"sections", "items", "obligations", "committee", "dated_activities", "suggestions",
		"problems", "measures", "placeholders", "workflow_hints", NULL};
	json_t *body;
	int64_t org_id = 0, year = 0;
	bool commit = false;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &org_id, NULL);
	if (!rc)
		rc = req_json_int(r, body, "year", true, LEDGER_YEAR_MIN, LEDGER_YEAR_MAX, &year,
				  NULL);
	if (!rc)
		rc = req_json_bool(r, body, "commit", &commit, NULL);
	if (rc)
		return rc;
	json_t *tv = json_object_get(body, "text");
	if (!json_is_string(tv))
		return req_fail(r, tv && !json_is_null(tv) ? ZRZ_EBADREQ : ZRZ_EINVAL, "text",
				"请粘贴工作要点的文本");
	const char *text = json_string_value(tv);
	size_t len = json_string_length(tv);
	if (len > PLAN_SOURCE_MAX)
		return req_fail(r, ZRZ_ETOOBIG, "text", "文本不能超过 1 MiB，请分成几部分导入");
	if (strlen(text) != len || !utf8_valid_text(text, len))
		return req_fail(r, ZRZ_EINVAL, "text", "文本含有无效的控制字符");
	if (str_blank(text))
		return req_fail(r, ZRZ_EINVAL, "text", "请粘贴工作要点的文本");
	struct db *db;
	rc = commit ? api_begin(r, &db) : api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, PLAN_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct derr e = {0};
	if (!commit) {
		json_t *preview;
		rc = plan_import_analyze(r->arena, text, len, (int)year, &preview, &e);
		if (rc)
			return api_fail(r, rc, &e);
		return req_reply_json(r, 200, preview);
	}
	int64_t plan_id;
	json_t *skipped;
	rc = plan_import_commit(db, r->arena, &api_who(r)->actor, org_id, (int)year, text, len,
				body, &plan_id, &skipped, &e);
	if (rc)
		return api_fail(r, rc, &e);
	arena_on_release(r->arena, (void (*)(void *))json_decref, skipped);
	struct plan p;
	json_t *j;
	rc = plan_get(db, r->arena, plan_id, &p);
	if (!rc)
		rc = plan_detail_json(db, r->arena, &p, today(), &j);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_object_set(j, "skipped_obligations", skipped);
	rc = api_commit(r);
	if (rc) {
		json_decref(j);
		return rc;
	}
	return req_reply_json(r, 201, j);
}

/*
 * /api/v1/analyses: analysis reports (分析研判).  Everyone who sees a unit
 * reads its reports (a superior with a subtree grant reads those of the
 * units below); its office, secretary or leaders write the drafts and
 * submit them upward.  A report outside the caller's scope answers 404.
 */
#include "core/common.h"
#include "core/arena.h"
#include "api/api.h"
#include "domain/analysis.h"
#include "domain/org.h"

#define EDITORS (ROLE_OFFICE | ROLE_SECRETARY | ROLE_LEADER)

static const char NO_ANALYSIS[] = "研判报告不存在或不在您的权限范围内";
static const char NOT_EDITOR[] = "只有本单位的办公室、书记或班子成员可以撰写和报送研判报告";

static int visible_analysis(struct req *r, struct db *db, int64_t id, struct analysis *x,
			    struct org *o)
{
	int rc = analysis_get(db, r->arena, id, x);
	if (!rc)
		rc = org_get(db, r->arena, x->org_id, o);
	if (rc == ZRZ_ENOTFOUND || (!rc && (x->deleted_at || !scope_sees(api_who(r), o->path))))
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_ANALYSIS);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return ZRZ_OK;
}

static int editable_analysis(struct req *r, struct db *db, int64_t id, struct analysis *x)
{
	struct org o;
	int rc = visible_analysis(r, db, id, x, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	return ZRZ_OK;
}

/* The report as JSON in *out with what the caller may do with it and the
 * way up it went (inbox_trail, oldest first). */
static int analysis_out(struct req *r, struct db *db, const struct analysis *x,
			const struct org *o, json_t **out)
{
	int rc = analysis_json(db, r->arena, x, true, out);
	if (rc)
		return rc;
	bool edit = scope_can(api_who(r), o->path, EDITORS) && !strcmp(x->state, "draft");
	json_object_set_new(*out, "can", json_pack("{s:b}", "edit", edit));
	return ZRZ_OK;
}

static int reply(struct req *r, struct db *db, int status, const struct analysis *x)
{
	struct org o;
	int rc = org_get(db, r->arena, x->org_id, &o);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *j;
	rc = analysis_out(r, db, x, &o, &j);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	rc = api_commit(r);
	if (rc) {
		json_decref(j);
		return rc;
	}
	return req_reply_json(r, status, j);
}

static int parse(struct req *r, json_t *body, bool patch, struct analysis *x, json_t **sections)
{
	int rc = ZRZ_OK;
	if (!patch || json_object_get(body, "period"))
		rc = req_json_str(r, body, "period", true, 1, 10, &x->period);
	if (!rc && (!patch || json_object_get(body, "title")))
		rc = req_json_str(r, body, "title", true, 1, ANALYSIS_TITLE_MAX, &x->title);
	if (!rc && (!patch || json_object_get(body, "report_date")))
		rc = req_json_str(r, body, "report_date", false, 0, 10, &x->report_date);
	if (rc)
		return rc;
	if (x->report_date && !*x->report_date)
		x->report_date = NULL;
	*sections = json_object_get(body, "sections");
	if (*sections && json_is_null(*sections))
		*sections = NULL;
	return ZRZ_OK;
}

int api_analysis_list(struct req *r)
{
	int64_t org_id, offset, limit;
	bool subtree;
	struct analysis_filter f = {0};
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_bool(r, "subtree", &subtree);
	if (!rc)
		rc = req_query_str(r, "state", 10, &f.state);
	if (!rc)
		rc = req_query_str(r, "period", 10, &f.period);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	if (f.state && !*f.state)
		f.state = NULL;
	if (f.period && !*f.period)
		f.period = NULL;
	if (f.state && strcmp(f.state, "draft") && strcmp(f.state, "submitted"))
		return req_fail(r, ZRZ_EINVAL, "state", "状态应为 draft 或 submitted");
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (subtree && !scope_covers_subtree(api_who(r), o.path, ROLE_ANY))
		return req_fail(r, ZRZ_EFORBIDDEN, "subtree", "您的权限不包括下级单位");
	f.org_id = org_id;
	f.path = subtree ? o.path : NULL;
	struct analysis *items;
	int n;
	int64_t total;
	rc = analysis_list(db, r->arena, &f, offset, limit, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *j;
		rc = analysis_json(db, r->arena, &items[i], false, &j);
		if (rc) {
			json_decref(arr);
			return req_fail(r, rc, NULL, NULL);
		}
		json_object_del(j, "sections");
		json_array_append_new(arr, j);
	}
	return req_reply_json(r, 200, json_page(arr, total));
}

int api_analysis_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct analysis x;
	struct org o;
	rc = visible_analysis(r, db, id, &x, &o);
	if (rc)
		return rc;
	json_t *j;
	rc = analysis_out(r, db, &x, &o, &j);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_json(r, 200, j);
}

int api_analysis_template(struct req *r)
{
	return req_reply_json(r, 200, json_pack("{s:o}", "sections", analysis_template()));
}

int api_analysis_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "period", "title", "report_date",
					   "sections", NULL};
	json_t *body, *sections;
	struct analysis x = {0};
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &x.org_id, NULL);
	if (!rc)
		rc = parse(r, body, false, &x, &sections);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, x.org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct analysis out;
	struct derr e = {0};
	rc = analysis_create(db, r->arena, &api_who(r)->actor, &x, sections, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply(r, db, 201, &out);
}

int api_analysis_update(struct req *r)
{
	static const char *const keys[] = {"period", "title", "report_date", "sections", NULL};
	json_t *body, *sections;
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
	struct analysis cur;
	rc = editable_analysis(r, db, id, &cur);
	if (rc)
		return rc;
	struct analysis next = cur;
	rc = parse(r, body, true, &next, &sections);
	if (rc)
		return rc;
	struct analysis out;
	struct derr e = {0};
	rc = analysis_update(db, r->arena, &api_who(r)->actor, &cur, &next, sections, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply(r, db, 200, &out);
}

int api_analysis_delete(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct analysis cur;
	rc = editable_analysis(r, db, id, &cur);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = analysis_delete(db, &api_who(r)->actor, &cur, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_empty(r);
}

int api_analysis_submit(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct analysis cur;
	rc = editable_analysis(r, db, id, &cur);
	if (rc)
		return rc;
	struct analysis out;
	struct derr e = {0};
	rc = analysis_submit(db, r->arena, &api_who(r)->actor, &cur, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply(r, db, 200, &out);
}

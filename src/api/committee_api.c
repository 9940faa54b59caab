/*
 * /api/v1/committees: the 领导小组 of a unit.  Everyone who sees the unit
 * sees its committees; its secretary, office or system administrator keeps
 * them up to date.
 */
#include "core/common.h"
#include "core/arena.h"
#include "api/api.h"
#include "domain/committee.h"
#include "domain/org.h"
#include "domain/user.h"

#define EDITORS (ROLE_SYSADMIN | ROLE_SECRETARY | ROLE_OFFICE)

static int visible_committee(struct req *r, struct db *db, int64_t id, struct committee *c,
			     struct org *o)
{
	int rc = committee_get(db, r->arena, id, c);
	if (!rc)
		rc = org_get(db, r->arena, c->org_id, o);
	if (rc == ZRZ_ENOTFOUND || (!rc && !scope_sees(api_who(r), o->path)))
		return req_fail(r, ZRZ_ENOTFOUND, "id", "领导小组不存在或不在您的权限范围内");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return ZRZ_OK;
}

/* Parse "members": [{"position","name","user_id"?,"title"?}, ...]. */
static int parse_members(struct req *r, json_t *body, struct committee_member **out, int *n,
			 bool *present)
{
	static const char *const keys[] = {"position", "name", "user_id", "title", NULL};
	json_t *arr = json_object_get(body, "members");
	*out = NULL;
	*n = 0;
	*present = arr && !json_is_null(arr);
	if (!*present)
		return ZRZ_OK;
	if (!json_is_array(arr))
		return req_fail(r, ZRZ_EBADREQ, "members", "成员应为列表");
	size_t count = json_array_size(arr);
	if (count > COMMITTEE_MAX_MEMBERS)
		return req_fail(r, ZRZ_EINVAL, "members", "成员不能超过 200 人");
	*out = arena_alloc(r->arena, sizeof(**out) * (count + 1));
	for (size_t i = 0; i < count; i++) {
		json_t *m = json_array_get(arr, i);
		struct committee_member *cm = &(*out)[i];
		if (!json_is_object(m))
			return req_failf(r, ZRZ_EBADREQ, "members", "第 %zu 位成员格式不正确", i + 1);
		int rc = req_json_allow(r, m, keys);
		if (!rc)
			rc = req_json_enum(r, m, "position", true, committee_positions, &cm->position);
		if (!rc)
			rc = req_json_str(r, m, "name", true, 1, 50, &cm->name);
		if (!rc)
			rc = api_json_id(r, m, "user_id", false, &cm->user_id, NULL);
		if (!rc)
			rc = req_json_str(r, m, "title", false, 0, 100, &cm->title);
		if (rc) {
			r->err_msg = arena_printf(r->arena, "第 %zu 位成员：%s", i + 1,
						  r->err_msg ? r->err_msg : "格式不正确");
			r->err_field = "members";
			return rc;
		}
	}
	*n = (int)count;
	return ZRZ_OK;
}

/* Members linked to user accounts may only name users the caller sees. */
static int check_member_users(struct req *r, struct db *db, const struct committee_member *m,
			      int n)
{
	for (int i = 0; i < n; i++) {
		if (!m[i].user_id)
			continue;
		struct user u;
		struct org o;
		int rc = user_get(db, r->arena, m[i].user_id, &u);
		if (!rc)
			rc = org_get(db, r->arena, u.org_id, &o);
		if (rc == ZRZ_ENOTFOUND || (!rc && !scope_sees(api_who(r), o.path)))
			return req_failf(r, ZRZ_EINVAL, "members", "第 %d 位成员关联的用户不存在", i + 1);
		if (rc)
			return req_fail(r, rc, NULL, NULL);
	}
	return ZRZ_OK;
}

int api_committee_list(struct req *r)
{
	int64_t org_id;
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, org_id, &o, NULL);
	if (rc)
		return rc;
	struct committee *items;
	int n;
	rc = committee_list(db, r->arena, org_id, &items, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, committee_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

int api_committee_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct committee c;
	struct org o;
	rc = visible_committee(r, db, id, &c, &o);
	if (rc)
		return rc;
	return req_reply_json(r, 200, committee_json(&c));
}

int api_committee_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "name", "members", NULL};
	json_t *body;
	int64_t org_id;
	const char *name;
	struct committee_member *members;
	int n;
	bool present;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &org_id, NULL);
	if (!rc)
		rc = req_json_str(r, body, "name", true, 1, 100, &name);
	if (!rc)
		rc = parse_members(r, body, &members, &n, &present);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有书记、办公室或系统管理员可以维护领导小组");
	rc = check_member_users(r, db, members, n);
	if (rc)
		return rc;
	struct committee c;
	struct derr e = {0};
	rc = committee_create(db, r->arena, &api_who(r)->actor, org_id, name, members, n, &c, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, committee_json(&c));
}

int api_committee_update(struct req *r)
{
	static const char *const keys[] = {"name", "members", NULL};
	json_t *body;
	int64_t id;
	const char *name;
	struct committee_member *members;
	int n;
	bool present;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_str(r, body, "name", false, 1, 100, &name);
	if (!rc)
		rc = parse_members(r, body, &members, &n, &present);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct committee c;
	struct org o;
	rc = visible_committee(r, db, id, &c, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有书记、办公室或系统管理员可以维护领导小组");
	if (present && (rc = check_member_users(r, db, members, n)))
		return rc;
	struct derr e = {0};
	rc = committee_update(db, r->arena, &api_who(r)->actor, id, name,
			      present ? members : NULL, n, &c, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, committee_json(&c));
}

int api_committee_delete(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct committee c;
	struct org o;
	rc = visible_committee(r, db, id, &c, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有书记、办公室或系统管理员可以维护领导小组");
	rc = committee_delete(db, r->arena, &api_who(r)->actor, id);
	if (!rc)
		rc = api_commit(r);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_empty(r);
}

/*
 * /api/v1/record-kinds: additions and edits of the ledger's dictionary.  The
 * dictionary serves every unit, so only a system or security administrator
 * whose grant covers a whole tree (a top unit, scope subtree) may change it;
 * the change is audited against that unit.
 */
#include "core/common.h"
#include "api/api.h"
#include "domain/dictionary.h"
#include "domain/ledger.h"

static const char NOT_DICT_ADMIN[] = "只有上级单位的系统管理员或安全保密管理员可以维护台账类别";

/* The top unit whose dictionary admin the caller is, or 0. */
static int64_t dictionary_admin_org(const struct principal *p)
{
	for (int i = 0; i < p->ngrants; i++) {
		const struct grant *g = &p->grants[i];
		if (!(role_bit(g->role) & (ROLE_SYSADMIN | ROLE_SECADMIN)) ||
		    strcmp(g->scope, "subtree") != 0 || !g->org_path)
			continue;
		/* a top unit's path is "/N/": two slashes */
		const char *second = strchr(g->org_path + 1, '/');
		if (second && second[1] == '\0')
			return g->org_id;
	}
	return 0;
}

int api_record_kind_create(struct req *r)
{
	static const char *const keys[] = {"code", "name", "sort", NULL};
	json_t *body;
	struct record_kind k = {0};
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_str(r, body, "code", true, 1, KIND_CODE_MAX, &k.code);
	if (!rc)
		rc = req_json_str(r, body, "name", true, 1, KIND_NAME_MAX, &k.name);
	if (!rc)
		rc = req_json_int(r, body, "sort", false, 0, 100000, &k.sort, NULL);
	if (rc)
		return rc;
	int64_t org_id = dictionary_admin_org(api_who(r));
	if (!org_id)
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_DICT_ADMIN);
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct record_kind out;
	struct derr e = {0};
	rc = dictionary_kind_add(db, r->arena, &api_who(r)->actor, org_id, &k, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, ledger_kind_json(&out));
}

int api_record_kind_update(struct req *r)
{
	static const char *const keys[] = {"name", "sort", "active", NULL};
	const char *code = req_param(r, "code");
	json_t *body;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (rc)
		return rc;
	int64_t org_id = dictionary_admin_org(api_who(r));
	if (!org_id)
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_DICT_ADMIN);
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct record_kind next;
	rc = dictionary_kind_get(db, r->arena, code, &next);
	if (rc == ZRZ_ENOTFOUND)
		return req_fail(r, ZRZ_ENOTFOUND, "code", "台账类别不存在");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	const char *name = NULL;
	int64_t sort;
	bool active, has_sort, has_active;
	rc = req_json_str(r, body, "name", false, 1, KIND_NAME_MAX, &name);
	if (!rc)
		rc = req_json_int(r, body, "sort", false, 0, 100000, &sort, &has_sort);
	if (!rc)
		rc = req_json_bool(r, body, "active", &active, &has_active);
	if (rc)
		return rc;
	if (json_object_get(body, "name") && !name)
		return req_fail(r, ZRZ_EINVAL, "name", "名称不能为空");
	if (name)
		next.name = name;
	if (has_sort)
		next.sort = sort;
	if (has_active)
		next.active = active;
	struct record_kind out;
	struct derr e = {0};
	rc = dictionary_kind_update(db, r->arena, &api_who(r)->actor, org_id, &next, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, ledger_kind_json(&out));
}

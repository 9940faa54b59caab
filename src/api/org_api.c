/*
 * /api/v1/orgs: the unit tree, as far as the caller's grants reach.  A unit
 * outside the caller's scope answers 404, exactly as a unit that does not
 * exist, so ids of other units do not leak; a visible unit the caller may not
 * change answers 403.  Units are created, changed, moved and deleted by the
 * system administrator (sysadmin) of a unit above them.
 */
#include "core/common.h"
#include "core/arena.h"
#include "api/api.h"
#include "domain/org.h"

#define TREE_MAX_NODES 5000

static json_t *orgs_json(const struct org *items, int n)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, org_json(&items[i]));
	return arr;
}

/* The caller's top units: their grants' units not already under another
 * subtree grant of theirs. */
static int roots(struct req *r, struct db *db, struct org **out, int *n)
{
	const struct principal *p = api_who(r);
	*out = arena_alloc(r->arena, sizeof(**out) * (size_t)(p->ngrants + 1));
	*n = 0;
	for (int i = 0; i < p->ngrants; i++) {
		const struct grant *g = &p->grants[i];
		bool covered = false;
		for (int k = 0; k < p->ngrants && !covered; k++) {
			const struct grant *h = &p->grants[k];
			if (k != i && !strcmp(h->scope, "subtree") &&
			    org_path_within(g->org_path, h->org_path) &&
			    (strcmp(g->org_path, h->org_path) != 0 || k < i))
				covered = true;
		}
		for (int k = 0; k < *n && !covered; k++)
			if ((*out)[k].id == g->org_id)
				covered = true;
		if (covered)
			continue;
		int rc = org_get(db, r->arena, g->org_id, &(*out)[*n]);
		if (rc)
			return req_fail(r, rc, NULL, NULL);
		(*n)++;
	}
	return ZRZ_OK;
}

int api_org_list(struct req *r)
{
	int64_t parent, offset, limit;
	int rc = req_query_int(r, "parent_id", 1, INT64_MAX, 0, &parent);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org *items;
	int n;
	int64_t total;
	if (!parent) {
		rc = roots(r, db, &items, &n);
		if (rc)
			return rc;
		total = n;
		int64_t from = offset < n ? offset : n;
		int64_t count = n - from < limit ? n - from : limit;
		return req_reply_json(r, 200, json_page(orgs_json(items + from, (int)count), total));
	}
	struct org p;
	rc = api_org_visible(r, db, parent, &p, "parent_id");
	if (rc)
		return rc;
	if (scope_covers_subtree(api_who(r), p.path, ROLE_ANY)) {
		rc = org_children(db, r->arena, parent, offset, limit, &items, &n, &total);
		if (rc)
			return req_fail(r, rc, NULL, NULL);
		return req_reply_json(r, 200, json_page(orgs_json(items, n), total));
	}
	/* Only self grants on some children: filter them one by one. */
	rc = org_children(db, r->arena, parent, 0, TREE_MAX_NODES, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	int64_t seen = 0;
	for (int i = 0; i < n; i++) {
		if (!scope_sees(api_who(r), items[i].path))
			continue;
		if (seen >= offset && seen < offset + limit)
			json_array_append_new(arr, org_json(&items[i]));
		seen++;
	}
	return req_reply_json(r, 200, json_page(arr, seen));
}

int api_org_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, id, &o, "id");
	if (rc)
		return rc;
	return req_reply_json(r, 200, org_json(&o));
}

/*
 * The subtree under id as nested nodes, as far as the caller sees, up to
 * TREE_MAX_NODES; "truncated" says when there was more.
 */
int api_org_tree(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, id, &o, "id");
	if (rc)
		return rc;
	struct org *items;
	int n;
	rc = org_subtree(db, r->arena, o.path, TREE_MAX_NODES + 1, &items, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	bool truncated = n > TREE_MAX_NODES;
	if (truncated)
		n = TREE_MAX_NODES;
	/* Rows come in path order (depth first), so the open ancestors form a
	 * stack: pop until the top's path is a prefix of the row's path. */
	json_t **stack = arena_alloc(r->arena, sizeof(json_t *) * (size_t)(n + 1));
	const char **stack_path = arena_alloc(r->arena, sizeof(char *) * (size_t)(n + 1));
	int depth = 0;
	json_t *root = NULL;
	for (int i = 0; i < n; i++) {
		while (depth > 0 && !org_path_within(items[i].path, stack_path[depth - 1]))
			depth--;
		if (!scope_sees(api_who(r), items[i].path))
			continue;
		json_t *node = org_json(&items[i]);
		json_object_set_new(node, "children", json_array());
		if (items[i].id == id) {
			root = node;
		} else if (depth > 0) {
			/* The parent's array holds the node from here on. */
			json_array_append_new(json_object_get(stack[depth - 1], "children"), node);
		} else {
			json_decref(node);
			continue;
		}
		stack[depth] = node;
		stack_path[depth] = items[i].path;
		depth++;
	}
	if (!root)
		return req_fail(r, ZRZ_ENOTFOUND, "id", NULL);
	return req_reply_json(r, 200, json_pack("{s:o, s:b}", "root", root, "truncated", truncated));
}

static const char *const org_keys[] = {"parent_id", "name", "kind", "sort", NULL};

int api_org_create(struct req *r)
{
	json_t *body;
	const char *name, *kind;
	int64_t parent = 0, sort = 0;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, org_keys);
	if (!rc)
		rc = api_json_id(r, body, "parent_id", true, &parent, NULL);
	if (!rc)
		rc = req_json_str(r, body, "name", true, 1, ORG_NAME_MAX, &name);
	if (!rc)
		rc = req_json_enum(r, body, "kind", false, org_kinds, &kind);
	if (!rc)
		rc = req_json_int(r, body, "sort", false, -1000000, 1000000, &sort, NULL);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org p;
	rc = api_org_named(r, db, parent, &p, "parent_id");
	if (rc)
		return rc;
	if (!scope_covers_subtree(api_who(r), p.path, ROLE_SYSADMIN))
		return req_fail(r, ZRZ_EFORBIDDEN, "parent_id", "只有上级单位的系统管理员可以新建下级单位");
	struct org o;
	struct derr e = {0};
	rc = org_create(db, r->arena, &api_who(r)->actor, parent, name, kind, sort, &o, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, org_json(&o));
}

int api_org_update(struct req *r)
{
	int64_t id, parent = 0, sort = 0;
	bool has_parent = false, has_sort = false;
	json_t *body;
	const char *name, *kind;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, org_keys);
	if (!rc && json_is_null(json_object_get(body, "parent_id")))
		rc = req_fail(r, ZRZ_EFORBIDDEN, "parent_id", "不能通过界面把单位设为顶级单位");
	if (!rc)
		rc = api_json_id(r, body, "parent_id", false, &parent, &has_parent);
	if (!rc)
		rc = req_json_str(r, body, "name", false, 1, ORG_NAME_MAX, &name);
	if (!rc)
		rc = req_json_enum(r, body, "kind", false, org_kinds, &kind);
	if (!rc)
		rc = req_json_int(r, body, "sort", false, -1000000, 1000000, &sort, &has_sort);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, id, &o, "id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, ROLE_SYSADMIN))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有系统管理员可以修改单位");
	struct derr e = {0};
	if (has_parent && parent != o.parent_id) {
		struct org np;
		rc = api_org_named(r, db, parent, &np, "parent_id");
		if (rc)
			return rc;
		if (!scope_covers_subtree(api_who(r), o.path, ROLE_SYSADMIN) ||
		    !scope_covers_subtree(api_who(r), np.path, ROLE_SYSADMIN))
			return req_fail(r, ZRZ_EFORBIDDEN, "parent_id",
					"移动单位需要同时管理原单位和目标上级单位");
		rc = org_move(db, r->arena, &api_who(r)->actor, id, parent, &o, &e);
		if (rc)
			return api_fail(r, rc, &e);
	}
	if (name || kind || has_sort) {
		rc = org_update(db, r->arena, &api_who(r)->actor, id, name, kind,
				has_sort ? &sort : NULL, &o, &e);
		if (rc)
			return api_fail(r, rc, &e);
	}
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, org_json(&o));
}

int api_org_delete(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, id, &o, "id");
	if (rc)
		return rc;
	struct org parent;
	if (o.parent_id && org_get(db, r->arena, o.parent_id, &parent) == ZRZ_OK &&
	    !scope_covers_subtree(api_who(r), parent.path, ROLE_SYSADMIN))
		o.parent_id = 0;
	if (!o.parent_id)
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有上级单位的系统管理员可以删除单位");
	struct derr e = {0};
	rc = org_delete(db, r->arena, &api_who(r)->actor, id, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_empty(r);
}

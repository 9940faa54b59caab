/*
 * Rules of the organization tree: names are 1..100 characters, the kind is
 * one of the dictionary, a unit moves with everything below it, never into
 * its own subtree, and is deleted only when nothing belongs to it any more.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/compliance.h"
#include "domain/org.h"
#include "store/repo.h"

const char *const org_kinds[] = {"committee", "party_group", "general_branch", "branch",
				 "unit",      "department",  NULL};
static const char *const kind_labels[] = {"党委", "党组", "党总支", "党支部", "单位", "部门"};

const char *org_kind_label(const char *kind)
{
	for (int i = 0; org_kinds[i]; i++)
		if (!strcmp(org_kinds[i], kind))
			return kind_labels[i];
	return kind;
}

static bool kind_valid(const char *kind)
{
	for (int i = 0; org_kinds[i]; i++)
		if (!strcmp(org_kinds[i], kind))
			return true;
	return false;
}

bool org_path_within(const char *path, const char *ancestor)
{
	return strncmp(path, ancestor, strlen(ancestor)) == 0;
}

static int check_name(const char *name, struct derr *e)
{
	size_t n = strlen(name);
	if (!utf8_valid_text(name, n) || strchr(name, '\n') || strchr(name, '\r') ||
	    strchr(name, '\t'))
		return derr_set(e, ZRZ_EINVAL, "name", "名称含有无效字符");
	if (str_blank(name))
		return derr_set(e, ZRZ_EINVAL, "name", "名称不能为空");
	if (utf8_count(name, n) > ORG_NAME_MAX)
		return derr_set(e, ZRZ_EINVAL, "name", "名称不能超过 100 个字");
	return ZRZ_OK;
}

int org_get(struct db *db, struct arena *a, int64_t id, struct org *out)
{
	return store_org_get(db, a, id, out);
}

int org_children(struct db *db, struct arena *a, int64_t parent, int64_t offset, int64_t limit,
		 struct org **items, int *n, int64_t *total)
{
	return store_org_children(db, a, parent, offset, limit, items, n, total);
}

int org_subtree(struct db *db, struct arena *a, const char *path, int64_t limit,
		struct org **items, int *n)
{
	return store_org_subtree(db, a, path, limit, items, n);
}

json_t *org_json(const struct org *o)
{
	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)o->id,
			 "parent_id", o->parent_id ? json_integer(o->parent_id) : json_null(),
			 "name", o->name, "kind", o->kind, "kind_label", org_kind_label(o->kind),
			 "path", o->path, "sort", (json_int_t)o->sort, "has_children",
			 o->has_children);
}

int org_create(struct db *db, struct arena *a, const struct actor *who, int64_t parent_id,
	       const char *name, const char *kind, int64_t sort, struct org *out, struct derr *e)
{
	int rc = check_name(name, e);
	if (rc)
		return rc;
	if (!kind)
		kind = "unit";
	if (!kind_valid(kind))
		return derr_set(e, ZRZ_EINVAL, "kind", "单位类型无效");
	struct org parent = {0};
	if (parent_id) {
		rc = store_org_get(db, a, parent_id, &parent);
		if (rc == ZRZ_ENOTFOUND)
			return derr_set(e, ZRZ_EINVAL, "parent_id", "上级单位不存在");
		if (rc)
			return rc;
	}
	int64_t id;
	const char *path;
	rc = store_org_insert(db, parent_id, parent_id ? parent.path : NULL, name, kind, sort,
			      time_now(), &id, &path, a);
	if (rc)
		return rc;
	rc = store_org_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, id, "org.create", "org", id,
			 json_pack("{s:s, s:s, s:o, s:s}", "name", name, "kind", kind, "parent_id",
				   parent_id ? json_integer(parent_id) : json_null(), "path",
				   path));
}

int org_update(struct db *db, struct arena *a, const struct actor *who, int64_t id,
	       const char *name, const char *kind, const int64_t *sort, struct org *out,
	       struct derr *e)
{
	struct org cur;
	int rc = store_org_get(db, a, id, &cur);
	if (rc)
		return rc;
	if (name && (rc = check_name(name, e)))
		return rc;
	if (kind && !kind_valid(kind))
		return derr_set(e, ZRZ_EINVAL, "kind", "单位类型无效");
	json_t *detail = json_object();
	if (name && strcmp(name, cur.name) != 0)
		json_object_set_new(detail, "name", json_pack("[s,s]", cur.name, name));
	if (kind && strcmp(kind, cur.kind) != 0)
		json_object_set_new(detail, "kind", json_pack("[s,s]", cur.kind, kind));
	if (sort && *sort != cur.sort)
		json_object_set_new(detail, "sort", json_pack("[I,I]", (json_int_t)cur.sort,
							      (json_int_t)*sort));
	rc = store_org_update(db, id, name ? name : cur.name, kind ? kind : cur.kind,
			      sort ? *sort : cur.sort, time_now());
	if (!rc)
		rc = store_org_get(db, a, id, out);
	if (rc) {
		json_decref(detail);
		return rc;
	}
	return audit_log(db, who, id, "org.update", "org", id, detail);
}

int org_move(struct db *db, struct arena *a, const struct actor *who, int64_t id,
	     int64_t new_parent, struct org *out, struct derr *e)
{
	struct org cur, parent = {0};
	int rc = store_org_get(db, a, id, &cur);
	if (rc)
		return rc;
	const char *new_path;
	if (new_parent) {
		rc = store_org_get(db, a, new_parent, &parent);
		if (rc == ZRZ_ENOTFOUND)
			return derr_set(e, ZRZ_EINVAL, "parent_id", "目标上级单位不存在");
		if (rc)
			return rc;
		if (org_path_within(parent.path, cur.path))
			return derr_set(e, ZRZ_EINVAL, "parent_id", "不能把单位移动到它自己或其下级单位之下");
		new_path = arena_printf(a, "%s%lld/", parent.path, (long long)id);
	} else {
		new_path = arena_printf(a, "/%lld/", (long long)id);
	}
	if (cur.parent_id == new_parent) {
		*out = cur;
		return ZRZ_OK;
	}
	rc = store_org_move(db, id, new_parent, cur.path, new_path, time_now());
	if (!rc)
		rc = compliance_unit_moved(db, id, cur.path, new_path);
	if (!rc)
		rc = store_org_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(
		db, who, id, "org.move", "org", id,
		json_pack("{s:o, s:o, s:s, s:s}", "from_parent",
			  cur.parent_id ? json_integer(cur.parent_id) : json_null(), "to_parent",
			  new_parent ? json_integer(new_parent) : json_null(), "from_path", cur.path,
			  "to_path", new_path));
}

int org_delete(struct db *db, struct arena *a, const struct actor *who, int64_t id,
	       struct derr *e)
{
	struct org cur;
	int rc = store_org_get(db, a, id, &cur);
	if (rc)
		return rc;
	int64_t deps;
	rc = store_org_dependents(db, id, &deps);
	if (rc)
		return rc;
	if (deps > 0)
		return derr_set(e, ZRZ_ECONFLICT, NULL,
				"该单位下还有下级单位、用户、授权或领导小组，不能删除");
	rc = store_org_delete(db, id);
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, ZRZ_ECONFLICT, NULL, "该单位仍被其他数据引用，不能删除");
	if (rc)
		return rc;
	/* The unit is gone; its parent's auditors are the ones who look. */
	return audit_log(db, who, cur.parent_id, "org.delete", "org", id,
			 json_pack("{s:s, s:s, s:s}", "name", cur.name, "kind", cur.kind, "path",
				   cur.path));
}

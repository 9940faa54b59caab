/*
 * Rules for users, grants and duties.  Logins are ASCII, lowercase, 2..32
 * characters, so that they survive every keyboard and every export; names
 * are the person's name in any script.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/user.h"
#include "store/repo.h"

const char *const user_roles[] = {"sysadmin", "secadmin", "auditor", "secretary",
				  "leader",   "office",   "member",  "viewer", NULL};
static const char *const role_labels[] = {"系统管理员", "安全管理员", "安全审计员", "书记（第一责任人）",
					  "班子成员",   "办公室",     "党员",       "只读"};
const char *const user_scopes[] = {"self", "subtree", NULL};

const char *user_role_label(const char *role)
{
	for (int i = 0; user_roles[i]; i++)
		if (!strcmp(user_roles[i], role))
			return role_labels[i];
	return role;
}

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static bool is_admin_role(const char *role)
{
	return !strcmp(role, "sysadmin") || !strcmp(role, "secadmin") || !strcmp(role, "auditor");
}

const char *user_login_normalize(struct arena *a, const char *login)
{
	size_t n = strlen(login);
	if (n < 2 || n > USER_LOGIN_MAX)
		return NULL;
	char *out = arena_strndup(a, login, n);
	for (size_t i = 0; i < n; i++) {
		char c = out[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (i > 0 && (c == '.' || c == '_' || c == '-'));
		if (!ok)
			return NULL;
		out[i] = c;
	}
	return out;
}

static int check_name(const char *name, struct derr *e)
{
	size_t n = strlen(name);
	if (!utf8_valid_text(name, n) || strpbrk(name, "\r\n\t"))
		return derr_set(e, ZRZ_EINVAL, "name", "姓名含有无效字符");
	if (str_blank(name))
		return derr_set(e, ZRZ_EINVAL, "name", "姓名不能为空");
	if (utf8_count(name, n) > USER_NAME_MAX)
		return derr_set(e, ZRZ_EINVAL, "name", "姓名不能超过 50 个字");
	return ZRZ_OK;
}

int user_get(struct db *db, struct arena *a, int64_t id, struct user *out)
{
	return store_user_get(db, a, id, out);
}

int user_by_login(struct db *db, struct arena *a, const char *login, struct user *out)
{
	return store_user_by_login(db, a, login, out);
}

int user_list(struct db *db, struct arena *a, int64_t org_id, const char *path, const char *q,
	      int64_t offset, int64_t limit, struct user **items, int *n, int64_t *total)
{
	return store_user_list(db, a, org_id, path, q, offset, limit, items, n, total);
}

json_t *user_json(const struct user *u)
{
	char changed[32];
	time_format_rfc3339(u->pass_changed_at, changed, sizeof(changed));
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:b, s:b, s:s}", "id", (json_int_t)u->id,
			      "org_id", (json_int_t)u->org_id, "login", u->login, "name", u->name,
			      "locked", u->locked, "must_change_password", u->must_change,
			      "password_changed_at", changed);
	if (u->org_name)
		json_object_set_new(j, "org_name", json_string(u->org_name));
	return j;
}

json_t *grant_json(const struct grant *g)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s?, s:s?}", "id", (json_int_t)g->id,
			 "user_id", (json_int_t)g->user_id, "org_id", (json_int_t)g->org_id,
			 "role", g->role, "role_label", user_role_label(g->role), "scope",
			 g->scope, "org_name", g->org_name, "org_path", g->org_path);
}

json_t *duty_json(const struct duty *d)
{
	return json_pack("{s:I, s:I, s:I, s:s}", "id", (json_int_t)d->id, "user_id",
			 (json_int_t)d->user_id, "org_id", (json_int_t)d->org_id, "area", d->area);
}

int user_create(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
		const char *login, const char *name, const char *pass_hash, bool must_change,
		struct user *out, struct derr *e)
{
	const char *norm = user_login_normalize(a, login);
	if (!norm)
		return derr_set(e, ZRZ_EINVAL, "login",
				"登录名应为 2 到 32 个英文字母、数字或 . _ -，并以字母或数字开头");
	int rc = check_name(name, e);
	if (rc)
		return rc;
	struct org o;
	rc = store_org_get(db, a, org_id, &o);
	if (rc == ZRZ_ENOTFOUND)
		return derr_set(e, ZRZ_EINVAL, "org_id", "所属单位不存在");
	if (rc)
		return rc;
	int64_t id;
	rc = store_user_insert(db, org_id, norm, name, pass_hash, must_change, time_now(), &id);
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, ZRZ_ECONFLICT, "login", "该登录名已被使用");
	if (rc)
		return rc;
	rc = store_user_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, org_id, "user.create", "user", id,
			 json_pack("{s:s, s:s, s:b}", "login", norm, "name", name,
				   "temporary_password", must_change));
}

int user_update(struct db *db, struct arena *a, const struct actor *who, int64_t id,
		const char *name, const int64_t *org_id, const bool *locked, struct user *out,
		struct derr *e)
{
	struct user cur;
	int rc = store_user_get(db, a, id, &cur);
	if (rc)
		return rc;
	if (name && (rc = check_name(name, e)))
		return rc;
	if (org_id && *org_id != cur.org_id) {
		struct org o;
		rc = store_org_get(db, a, *org_id, &o);
		if (rc == ZRZ_ENOTFOUND)
			return derr_set(e, ZRZ_EINVAL, "org_id", "所属单位不存在");
		if (rc)
			return rc;
	}
	json_t *detail = json_object();
	if (name && strcmp(name, cur.name) != 0)
		json_object_set_new(detail, "name", json_pack("[s,s]", cur.name, name));
	if (org_id && *org_id != cur.org_id)
		json_object_set_new(detail, "org_id", json_pack("[I,I]", (json_int_t)cur.org_id,
								(json_int_t)*org_id));
	if (locked && *locked != cur.locked)
		json_object_set_new(detail, "locked", json_pack("[b,b]", cur.locked, *locked));
	rc = store_user_update(db, id, org_id ? *org_id : cur.org_id, name ? name : cur.name,
			       locked ? *locked : cur.locked, time_now());
	/* A locked account loses its sessions at once; unlocking also ends a
	 * lockout after failed logins. */
	if (!rc && locked && *locked)
		rc = store_session_delete_user(db, id, 0);
	if (!rc && locked && !*locked)
		rc = store_login_failure_clear(db, cur.login);
	if (!rc)
		rc = store_user_get(db, a, id, out);
	if (rc) {
		json_decref(detail);
		return rc;
	}
	const char *action = "user.update";
	if (locked && *locked != cur.locked && json_object_size(detail) == 1)
		action = *locked ? "user.lock" : "user.unlock";
	return audit_log(db, who, out->org_id, action, "user", id, detail);
}

int user_set_password(struct db *db, const struct actor *who, const struct user *u,
		      const char *pass_hash, bool must_change, const char *action,
		      int64_t keep_session)
{
	int rc = store_user_set_password(db, u->id, pass_hash, must_change, time_now());
	if (!rc)
		rc = store_session_delete_user(db, u->id, keep_session);
	/* A new password, temporary or not, ends a lockout. */
	if (!rc)
		rc = store_login_failure_clear(db, u->login);
	if (rc)
		return rc;
	return audit_log(db, who, u->org_id, action, "user", u->id,
			 json_pack("{s:s, s:b}", "login", u->login, "temporary", must_change));
}

int user_grants(struct db *db, struct arena *a, int64_t user_id, struct grant **items, int *n)
{
	return store_grant_list(db, a, user_id, items, n);
}

int user_grant_get(struct db *db, struct arena *a, int64_t id, struct grant *out)
{
	return store_grant_get(db, a, id, out);
}

int user_grant_add(struct db *db, struct arena *a, const struct actor *who, int64_t user_id,
		   int64_t org_id, const char *role, const char *scope, struct grant *out,
		   struct derr *e)
{
	if (!role || !in_list(user_roles, role))
		return derr_set(e, ZRZ_EINVAL, "role", "角色无效");
	if (!scope)
		scope = "self";
	if (!in_list(user_scopes, scope))
		return derr_set(e, ZRZ_EINVAL, "scope", "权限范围应为 self（本单位）或 subtree（本单位及下级）");
	struct user u;
	int rc = store_user_get(db, a, user_id, &u);
	if (rc)
		return rc;
	struct org o;
	rc = store_org_get(db, a, org_id, &o);
	if (rc == ZRZ_ENOTFOUND)
		return derr_set(e, ZRZ_EINVAL, "org_id", "授权单位不存在");
	if (rc)
		return rc;
	struct grant *have;
	int n;
	rc = store_grant_list(db, a, user_id, &have, &n);
	if (rc)
		return rc;
	for (int i = 0; i < n; i++) {
		if (is_admin_role(role) && is_admin_role(have[i].role) &&
		    strcmp(role, have[i].role) != 0)
			return derr_set(e, ZRZ_ECONFLICT, "role",
					"三员分立：同一用户不能同时担任系统管理员、安全管理员、安全审计员中的两个");
		if (have[i].org_id == org_id && !strcmp(have[i].role, role))
			return derr_set(e, ZRZ_ECONFLICT, "role", "该用户在此单位已有这个角色");
	}
	int64_t id;
	rc = store_grant_insert(db, user_id, org_id, role, scope, time_now(), &id);
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, ZRZ_ECONFLICT, "role", "该用户在此单位已有这个角色");
	if (rc)
		return rc;
	rc = store_grant_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, org_id, "grant.create", "grant", id,
			 json_pack("{s:I, s:s, s:s, s:s}", "user_id", (json_int_t)user_id, "login",
				   u.login, "role", role, "scope", scope));
}

int user_grant_remove(struct db *db, struct arena *a, const struct actor *who,
		      const struct grant *g)
{
	(void)a;
	int rc = store_grant_delete(db, g->id);
	if (rc)
		return rc;
	return audit_log(db, who, g->org_id, "grant.delete", "grant", g->id,
			 json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)g->user_id, "role",
				   g->role, "scope", g->scope));
}

int user_duties(struct db *db, struct arena *a, int64_t user_id, struct duty **items, int *n)
{
	return store_duty_list(db, a, user_id, items, n);
}

int user_duty_get(struct db *db, struct arena *a, int64_t id, struct duty *out)
{
	return store_duty_get(db, a, id, out);
}

int user_duty_add(struct db *db, struct arena *a, const struct actor *who, int64_t user_id,
		  int64_t org_id, const char *area, struct duty *out, struct derr *e)
{
	size_t n = strlen(area);
	if (!utf8_valid_text(area, n) || str_blank(area) || utf8_count(area, n) > 100)
		return derr_set(e, ZRZ_EINVAL, "area", "分管领域应为 1 到 100 个字");
	struct user u;
	int rc = store_user_get(db, a, user_id, &u);
	if (rc)
		return rc;
	struct org o;
	rc = store_org_get(db, a, org_id, &o);
	if (rc == ZRZ_ENOTFOUND)
		return derr_set(e, ZRZ_EINVAL, "org_id", "分管所在单位不存在");
	if (rc)
		return rc;
	int64_t id;
	rc = store_duty_insert(db, user_id, org_id, area, time_now(), &id);
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, ZRZ_ECONFLICT, "area", "已有相同的分管领域");
	if (rc)
		return rc;
	rc = store_duty_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, org_id, "duty.create", "duty", id,
			 json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "area", area));
}

int user_duty_remove(struct db *db, const struct actor *who, const struct duty *d)
{
	int rc = store_duty_delete(db, d->id);
	if (rc)
		return rc;
	return audit_log(db, who, d->org_id, "duty.delete", "duty", d->id,
			 json_pack("{s:I, s:s}", "user_id", (json_int_t)d->user_id, "area",
				   d->area));
}

/*
 * /api/v1/users with their grants and duties.  Following 三员分立, the
 * system administrator (sysadmin) creates, changes and locks accounts and
 * resets passwords; the security administrator (secadmin) grants and revokes
 * roles; neither may change their own grants.  Anyone may see the users of
 * the units they see (names are needed to pick participants and owners).
 */
#include "core/common.h"
#include "core/arena.h"
#include "api/api.h"
#include "auth/password.h"
#include "domain/org.h"
#include "domain/user.h"

/* Load user id and its unit if the caller sees that unit; 404 otherwise. */
static int visible_user(struct req *r, struct db *db, int64_t id, struct user *u, struct org *o)
{
	int rc = user_get(db, r->arena, id, u);
	if (!rc)
		rc = org_get(db, r->arena, u->org_id, o);
	if (rc == ZRZ_ENOTFOUND || (!rc && !scope_sees(api_who(r), o->path)))
		return req_fail(r, ZRZ_ENOTFOUND, "id", "用户不存在或不在您的权限范围内");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return ZRZ_OK;
}

/*
 * 三员分立: the system administrator must not be able to take over the
 * security administrator's or the auditor's account (a reset password or a
 * lock would do it).  Their passwords are changed by themselves, or with
 * zerenzhi user passwd on the server.
 */
static int guard_admin_account(struct req *r, struct db *db, const struct user *u)
{
	struct grant *g;
	int n;
	int rc = user_grants(db, r->arena, u->id, &g, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	for (int i = 0; i < n; i++)
		if (!strcmp(g[i].role, "secadmin") || !strcmp(g[i].role, "auditor"))
			return req_fail(r, ZRZ_EFORBIDDEN, NULL,
					"三员分立：系统管理员不能重置或停用安全管理员、安全审计员的账户");
	return ZRZ_OK;
}

static json_t *user_full_json(struct req *r, struct db *db, const struct user *u)
{
	json_t *j = user_json(u);
	struct grant *g;
	struct duty *d;
	int ng = 0, nd = 0;
	json_t *ga = json_array(), *da = json_array();
	if (user_grants(db, r->arena, u->id, &g, &ng) == ZRZ_OK)
		for (int i = 0; i < ng; i++)
			json_array_append_new(ga, grant_json(&g[i]));
	if (user_duties(db, r->arena, u->id, &d, &nd) == ZRZ_OK)
		for (int i = 0; i < nd; i++)
			json_array_append_new(da, duty_json(&d[i]));
	json_object_set_new(j, "grants", ga);
	json_object_set_new(j, "duties", da);
	return j;
}

int api_user_list(struct req *r)
{
	int64_t org_id, offset, limit;
	bool subtree;
	const char *q;
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_bool(r, "subtree", &subtree);
	if (!rc)
		rc = req_query_str(r, "q", 50, &q);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	const struct principal *p = api_who(r);
	if (!org_id) {
		if (p->ngrants == 0)
			return req_reply_json(r, 200, json_page(json_array(), 0));
		org_id = p->grants[0].org_id;
	}
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, org_id, &o, NULL);
	if (rc)
		return rc;
	const char *path = NULL;
	if (subtree && scope_covers_subtree(p, o.path, ROLE_ANY))
		path = o.path;
	struct user *items;
	int n;
	int64_t total;
	rc = user_list(db, r->arena, path ? 0 : org_id, path, q, offset, limit, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, user_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, total));
}

int api_user_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct user u;
	struct org o;
	rc = visible_user(r, db, id, &u, &o);
	if (rc)
		return rc;
	return req_reply_json(r, 200, user_full_json(r, db, &u));
}

int api_user_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "login", "name", "password", NULL};
	json_t *body;
	int64_t org_id;
	const char *login, *name, *password;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &org_id, NULL);
	if (!rc)
		rc = req_json_str(r, body, "login", true, 2, USER_LOGIN_MAX, &login);
	if (!rc)
		rc = req_json_str(r, body, "name", true, 1, USER_NAME_MAX, &name);
	if (!rc)
		rc = req_json_str(r, body, "password", false, 1, PASSWORD_MAX_CHARS, &password);
	if (rc)
		return rc;
	char generated[17];
	if (password) {
		const char *why = password_policy(login, password);
		if (why)
			return req_fail(r, ZRZ_EINVAL, "password", why);
	} else {
		password_generate(generated, sizeof(generated));
		password = generated;
	}
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, ROLE_SYSADMIN))
		return req_fail(r, ZRZ_EFORBIDDEN, "org_id", "只有系统管理员可以新建用户");
	char hash[PASSWORD_HASH_MAX];
	rc = password_hash(password, hash);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct user u;
	struct derr e = {0};
	rc = user_create(db, r->arena, &api_who(r)->actor, org_id, login, name, hash, true, &u, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	json_t *j = user_full_json(r, db, &u);
	if (password == generated)
		json_object_set_new(j, "temporary_password", json_string(generated));
	return req_reply_json(r, 201, j);
}

int api_user_update(struct req *r)
{
	static const char *const keys[] = {"org_id", "name", "locked", NULL};
	int64_t id, org_id = 0;
	bool has_org = false, locked = false, has_locked = false;
	json_t *body;
	const char *name;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", false, &org_id, &has_org);
	if (!rc)
		rc = req_json_str(r, body, "name", false, 1, USER_NAME_MAX, &name);
	if (!rc)
		rc = req_json_bool(r, body, "locked", &locked, &has_locked);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct user u;
	struct org o;
	rc = visible_user(r, db, id, &u, &o);
	if (rc)
		return rc;
	const struct principal *p = api_who(r);
	if (!scope_can(p, o.path, ROLE_SYSADMIN))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有系统管理员可以修改用户");
	if (has_locked && locked && id == p->user.id)
		return req_fail(r, ZRZ_EFORBIDDEN, "locked", "不能停用自己的账户");
	if (has_locked && locked != u.locked && (rc = guard_admin_account(r, db, &u)))
		return rc;
	if (has_org && org_id != u.org_id) {
		struct org no;
		rc = api_org_named(r, db, org_id, &no, "org_id");
		if (rc)
			return rc;
		if (!scope_can(p, no.path, ROLE_SYSADMIN))
			return req_fail(r, ZRZ_EFORBIDDEN, "org_id", "您不能把用户调入该单位");
	}
	struct derr e = {0};
	rc = user_update(db, r->arena, &p->actor, id, name, has_org ? &org_id : NULL,
			 has_locked ? &locked : NULL, &u, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, user_full_json(r, db, &u));
}

int api_user_reset_password(struct req *r)
{
	static const char *const keys[] = {"password", NULL};
	int64_t id;
	json_t *body = NULL;
	const char *password = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc && r->body_len) {
		rc = req_json(r, &body);
		if (!rc)
			rc = req_json_allow(r, body, keys);
		if (!rc)
			rc = req_json_str(r, body, "password", false, 1, PASSWORD_MAX_CHARS,
					  &password);
	}
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct user u;
	struct org o;
	rc = visible_user(r, db, id, &u, &o);
	if (rc)
		return rc;
	const struct principal *p = api_who(r);
	if (!scope_can(p, o.path, ROLE_SYSADMIN))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有系统管理员可以重置密码");
	if (id == p->user.id)
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "请通过“修改密码”修改自己的密码");
	rc = guard_admin_account(r, db, &u);
	if (rc)
		return rc;
	char generated[17];
	if (password) {
		const char *why = password_policy(u.login, password);
		if (why)
			return req_fail(r, ZRZ_EINVAL, "password", why);
	} else {
		password_generate(generated, sizeof(generated));
		password = generated;
	}
	char hash[PASSWORD_HASH_MAX];
	rc = password_hash(password, hash);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	rc = user_set_password(db, &p->actor, &u, hash, true, "user.password_reset", 0);
	if (!rc)
		rc = api_commit(r);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *j = json_object();
	if (password == generated)
		json_object_set_new(j, "temporary_password", json_string(generated));
	return req_reply_json(r, 200, j);
}

/* ---- grants ---- */

int api_grant_list(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct user u;
	struct org o;
	rc = visible_user(r, db, id, &u, &o);
	if (rc)
		return rc;
	struct grant *g;
	int n;
	rc = user_grants(db, r->arena, id, &g, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, grant_json(&g[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

/* May the caller give or take a grant of scope on the unit at path? */
static bool may_grant(const struct principal *p, const char *path, const char *scope)
{
	if (!strcmp(scope, "subtree"))
		return scope_covers_subtree(p, path, ROLE_SECADMIN);
	return scope_can(p, path, ROLE_SECADMIN);
}

int api_grant_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "role", "scope", NULL};
	int64_t id, org_id;
	json_t *body;
	const char *role, *scope;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &org_id, NULL);
	if (!rc)
		rc = req_json_enum(r, body, "role", true, user_roles, &role);
	if (!rc)
		rc = req_json_enum(r, body, "scope", false, user_scopes, &scope);
	if (rc)
		return rc;
	if (!scope)
		scope = "self";
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct user u;
	struct org uo, o;
	rc = visible_user(r, db, id, &u, &uo);
	if (!rc)
		rc = api_org_named(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	const struct principal *p = api_who(r);
	if (!may_grant(p, o.path, scope))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有安全管理员可以在其管理范围内授权");
	if (id == p->user.id)
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "不能给自己授权");
	struct grant g;
	struct derr e = {0};
	rc = user_grant_add(db, r->arena, &p->actor, id, org_id, role, scope, &g, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, grant_json(&g));
}

int api_grant_delete(struct req *r)
{
	int64_t id, gid;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_param_id(r, "gid", &gid);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct user u;
	struct org uo;
	rc = visible_user(r, db, id, &u, &uo);
	if (rc)
		return rc;
	struct grant g;
	rc = user_grant_get(db, r->arena, gid, &g);
	const struct principal *p = api_who(r);
	if (rc == ZRZ_ENOTFOUND || (!rc && (g.user_id != id || !scope_sees(p, g.org_path))))
		return req_fail(r, ZRZ_ENOTFOUND, "gid", "授权不存在");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	if (!may_grant(p, g.org_path, g.scope))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有安全管理员可以在其管理范围内撤销授权");
	if (id == p->user.id)
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "不能撤销自己的授权");
	rc = user_grant_remove(db, r->arena, &p->actor, &g);
	if (!rc)
		rc = api_commit(r);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_empty(r);
}

/* ---- duties ---- */

int api_duty_list(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct user u;
	struct org o;
	rc = visible_user(r, db, id, &u, &o);
	if (rc)
		return rc;
	struct duty *d;
	int n;
	rc = user_duties(db, r->arena, id, &d, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, duty_json(&d[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

int api_duty_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "area", NULL};
	int64_t id, org_id = 0;
	bool has_org;
	json_t *body;
	const char *area;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", false, &org_id, &has_org);
	if (!rc)
		rc = req_json_str(r, body, "area", true, 1, 100, &area);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct user u;
	struct org uo, o;
	rc = visible_user(r, db, id, &u, &uo);
	if (rc)
		return rc;
	if (!has_org)
		org_id = u.org_id;
	rc = api_org_named(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	const struct principal *p = api_who(r);
	if (!scope_can(p, o.path, ROLE_SYSADMIN | ROLE_SECRETARY))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有书记或系统管理员可以设置分工");
	struct duty d;
	struct derr e = {0};
	rc = user_duty_add(db, r->arena, &p->actor, id, org_id, area, &d, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, duty_json(&d));
}

int api_duty_delete(struct req *r)
{
	int64_t id, did;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_param_id(r, "did", &did);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct user u;
	struct org uo, o;
	rc = visible_user(r, db, id, &u, &uo);
	if (rc)
		return rc;
	struct duty d;
	rc = user_duty_get(db, r->arena, did, &d);
	if (!rc && d.user_id != id)
		rc = ZRZ_ENOTFOUND;
	if (!rc)
		rc = org_get(db, r->arena, d.org_id, &o);
	const struct principal *p = api_who(r);
	if (rc == ZRZ_ENOTFOUND || (!rc && !scope_sees(p, o.path)))
		return req_fail(r, ZRZ_ENOTFOUND, "did", "分工不存在");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	if (!scope_can(p, o.path, ROLE_SYSADMIN | ROLE_SECRETARY))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有书记或系统管理员可以设置分工");
	rc = user_duty_remove(db, &p->actor, &d);
	if (!rc)
		rc = api_commit(r);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_empty(r);
}

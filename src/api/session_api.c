/*
 * /api/v1/session, /api/v1/me, /healthz and /api/v1/meta.
 */
#include "core/common.h"
#include "core/arena.h"
#include "api/api.h"
#include "auth/password.h"
#include "auth/session.h"
#include "domain/committee.h"
#include "domain/org.h"
#include "domain/user.h"

int api_health(struct req *r)
{
	return req_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

static json_t *grants_json(const struct principal *p)
{
	json_t *arr = json_array();
	for (int i = 0; i < p->ngrants; i++)
		json_array_append_new(arr, grant_json(&p->grants[i]));
	return arr;
}

static json_t *me_json(const struct principal *p)
{
	json_t *u = user_json(&p->user);
	json_object_set_new(u, "grants", grants_json(p));
	return json_pack("{s:o, s:s, s:b}", "user", u, "csrf", p->csrf, "must_change_password",
			 p->must_change);
}

static void set_cookie(struct req *r, const char *token, int64_t max_age)
{
	const struct app *app = api_app(r);
	req_add_header(r, "Set-Cookie",
		       arena_printf(r->arena, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Strict%s",
				    SESSION_COOKIE, token, (long long)max_age,
				    app->tls || r->tls ? "; Secure" : ""));
	req_add_header(r, "Cache-Control", "no-store");
}

int api_session_create(struct req *r)
{
	json_t *body;
	const char *login, *password;
	static const char *const keys[] = {"login", "password", NULL};
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_str(r, body, "login", true, 1, 64, &login);
	if (!rc)
		rc = req_json_str(r, body, "password", true, 1, PASSWORD_MAX_CHARS, &password);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct login_result res;
	struct derr e = {0};
	rc = session_login(api_app(r), db, r->arena, login, password, r->client, &res, &e);
	if (rc)
		return api_fail(r, rc, &e);
	r->user_id = res.who.user.id;
	set_cookie(r, res.token, api_app(r)->settings.session_lifetime);
	return req_reply_json(r, 200, me_json(&res.who));
}

int api_session_delete(struct req *r)
{
	struct db *db;
	int rc = api_db_untx(r, &db);
	if (rc)
		return rc;
	rc = session_logout(db, api_who(r));
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	set_cookie(r, "", 0);
	return req_reply_empty(r);
}

int api_me(struct req *r)
{
	return req_reply_json(r, 200, me_json(api_who(r)));
}

int api_me_password(struct req *r)
{
	json_t *body;
	const char *old_pw, *new_pw;
	static const char *const keys[] = {"old_password", "new_password", NULL};
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_str(r, body, "old_password", true, 1, PASSWORD_MAX_CHARS, &old_pw);
	if (!rc)
		rc = req_json_str(r, body, "new_password", true, 1, PASSWORD_MAX_CHARS, &new_pw);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db_untx(r, &db);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = session_change_password(api_app(r), db, r->arena, api_who(r), old_pw, new_pw, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return req_reply_empty(r);
}

static json_t *code_labels(const char *const *codes, const char *(*label)(const char *))
{
	json_t *arr = json_array();
	for (; *codes; codes++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "code", *codes, "label",
						     label(*codes)));
	return arr;
}

int api_meta(struct req *r)
{
	return req_reply_json(r, 200,
			      json_pack("{s:o, s:o, s:o, s:s}", "org_kinds",
					code_labels(org_kinds, org_kind_label), "roles",
					code_labels(user_roles, user_role_label), "committee_positions",
					code_labels(committee_positions, committee_position_label),
					"version", ZRZ_VERSION));
}

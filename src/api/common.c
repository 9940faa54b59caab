/*
 * What every handler shares: the database connection of the request (taken
 * from the pool on first use and returned when the request ends, rolling
 * back anything uncommitted), the session check, and error mapping.
 */
#include "core/common.h"
#include "core/arena.h"
#include "api/api.h"
#include "auth/session.h"
#include "domain/org.h"

#include <sodium.h>

struct api_state {
	struct db *db;
	struct principal who;
	bool have_who;
};

static struct api_state *state(struct req *r)
{
	if (!r->session)
		r->session = arena_alloc(r->arena, sizeof(struct api_state));
	return r->session;
}

struct app *api_app(struct req *r)
{
	return r->app;
}

int api_db(struct req *r, struct db **out)
{
	struct api_state *s = state(r);
	if (!s->db) {
		int rc = app_acquire(api_app(r), &s->db);
		if (rc)
			return req_fail(r, rc == ZRZ_EINTERNAL ? ZRZ_EUNAVAIL : rc, NULL,
					"数据库暂时不可用，请稍后再试");
	}
	*out = s->db;
	return ZRZ_OK;
}

void api_finish(struct req *r)
{
	struct api_state *s = r->session;
	if (s && s->db) {
		app_release(api_app(r), s->db); /* rolls back an open transaction */
		s->db = NULL;
	}
}

void api_retry(struct req *r)
{
	struct api_state *s = r->session;
	if (s && s->db && app_in_tx(s->db))
		app_rollback(s->db);
}

const struct principal *api_who(struct req *r)
{
	struct api_state *s = state(r);
	return s->have_who ? &s->who : NULL;
}

int api_db_untx(struct req *r, struct db **out)
{
	int rc = api_db(r, out);
	if (rc)
		return rc;
	if (app_in_tx(*out))
		app_rollback(*out);
	return ZRZ_OK;
}

int api_begin(struct req *r, struct db **out)
{
	int rc = api_db(r, out);
	if (rc)
		return rc;
	/* End the read snapshot the request has used so far. */
	if (app_in_tx(*out))
		app_rollback(*out);
	rc = app_begin(*out);
	if (rc)
		return req_fail(r, rc, NULL, "数据库正忙，请稍后再试");
	return ZRZ_OK;
}

int api_commit(struct req *r)
{
	struct db *db = NULL;
	int rc = api_db(r, &db);
	if (rc)
		return rc;
	rc = app_commit(db);
	if (rc)
		return req_fail(r, rc, NULL, "保存失败，请稍后再试");
	return ZRZ_OK;
}

int api_fail(struct req *r, int rc, const struct derr *e)
{
	return req_fail(r, rc, e ? e->field : NULL, e ? e->msg : NULL);
}

int api_org_visible(struct req *r, struct db *db, int64_t id, struct org *o, const char *field)
{
	int rc = org_get(db, r->arena, id, o);
	if (rc == ZRZ_ENOTFOUND || (!rc && !scope_sees(api_who(r), o->path)))
		return req_fail(r, ZRZ_ENOTFOUND, field, "单位不存在或不在您的权限范围内");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return ZRZ_OK;
}

int api_org_named(struct req *r, struct db *db, int64_t id, struct org *o, const char *field)
{
	int rc = api_org_visible(r, db, id, o, field);
	if (rc == ZRZ_ENOTFOUND)
		rc = req_fail(r, ZRZ_EINVAL, field, "单位不存在或不在您的权限范围内");
	return rc;
}

int api_json_id(struct req *r, json_t *body, const char *key, bool required, int64_t *out,
		bool *present)
{
	return req_json_int(r, body, key, required, 1, INT64_MAX, out, present);
}

static bool is_mutation(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

int api_authenticate(struct req *r)
{
	struct api_state *s = state(r);
	const char *token = req_cookie(r, SESSION_COOKIE);
	if (!token)
		return req_fail(r, ZRZ_EUNAUTH, NULL, NULL);
	struct db *db;
	int rc = api_db(r, &db);
	if (rc)
		return rc;
	/* One read snapshot for the session check and the handler's reads:
	 * SQLite then takes its WAL read lock once per request, not per query. */
	rc = app_begin_read(db);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	struct derr e = {0};
	rc = session_check(api_app(r), db, r->arena, token, r->client, &s->who, &e);
	if (rc)
		return api_fail(r, rc, &e);
	if (s->who.needs_touch) {
		app_rollback(db);
		rc = session_touch(db, &s->who);
		if (!rc)
			rc = app_begin_read(db);
		if (rc)
			return req_fail(r, rc, NULL, NULL);
	}
	s->have_who = true;
	r->user_id = s->who.user.id;
	if (is_mutation(r->method)) {
		const char *csrf = req_header(r, "X-CSRF-Token");
		size_t n = csrf ? strlen(csrf) : 0;
		if (!csrf || n != strlen(s->who.csrf) || sodium_memcmp(csrf, s->who.csrf, n) != 0)
			return req_fail(r, ZRZ_ECSRF, NULL, NULL);
	}
	if (s->who.must_change && !(r->route->flags & ROUTE_PWCHANGE_OK))
		return req_fail(r, ZRZ_EPWCHANGE, NULL, "密码已过期或为临时密码，请先修改密码");
	return ZRZ_OK;
}

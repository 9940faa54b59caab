/*
 * /api/v1/notices and /api/v1/notify-channels: the caller's reminders with
 * their read marks (who sees which is in domain/notice.h), and the notify
 * channels of a unit, kept by its secretary, office or system
 * administrator, with their delivery log and a test message.  A channel
 * outside the caller's scope answers 404, as one that does not exist; its
 * signing secret is never sent back.
 */
#include "core/common.h"
#include "core/arena.h"
#include "api/api.h"
#include "domain/notice.h"
#include "domain/org.h"

#define CHANNEL_ADMINS (ROLE_SECRETARY | ROLE_OFFICE | ROLE_SYSADMIN)

static const char NO_CHANNEL[] = "通知通道不存在或不在您的权限范围内";
static const char NOT_ADMIN[] = "只有本单位的书记、办公室或系统管理员可以管理通知通道";

int api_notice_list(struct req *r)
{
	bool unread_only = false;
	int64_t offset, limit;
	int rc = req_query_bool(r, "unread", &unread_only);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct notice *items;
	int n;
	int64_t total, unread;
	rc = notice_list(db, r->arena, api_who(r)->user.id, unread_only, offset, limit, &items, &n,
			 &total, &unread);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, notice_json(&items[i]));
	json_t *j = json_page(arr, total);
	json_object_set_new(j, "unread", json_integer(unread));
	return req_reply_json(r, 200, j);
}

int api_notice_unread_count(struct req *r)
{
	struct db *db;
	int rc = api_db(r, &db);
	if (rc)
		return rc;
	int64_t unread;
	rc = notice_unread(db, api_who(r)->user.id, &unread);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_json(r, 200, json_pack("{s:I}", "unread", (json_int_t)unread));
}

int api_notice_read(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	int64_t marked = 0, unread = 0;
	rc = notice_mark_read(db, r->arena, &api_who(r)->actor, id, &marked);
	if (rc == ZRZ_ENOTFOUND)
		return req_fail(r, rc, "id", "提醒不存在或不在您的权限范围内");
	if (!rc)
		rc = notice_unread(db, api_who(r)->user.id, &unread);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, json_pack("{s:I, s:b, s:I}", "id", (json_int_t)id, "read",
						1, "unread", (json_int_t)unread));
}

int api_notice_read_all(struct req *r)
{
	struct db *db;
	int rc = api_begin(r, &db);
	if (rc)
		return rc;
	int64_t marked = 0;
	rc = notice_mark_all(db, &api_who(r)->actor, &marked);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, json_pack("{s:I, s:i}", "marked", (json_int_t)marked,
						"unread", 0));
}

/* ---- channels ---- */

/* Load channel {id} and its unit if the caller manages that unit (404 when
 * the caller does not see the unit, 403 when they see it but may not). */
static int managed_channel(struct req *r, struct db *db, struct notify_channel *c)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct org o;
	rc = channel_get(db, r->arena, id, c);
	if (!rc)
		rc = org_get(db, r->arena, c->org_id, &o);
	if (rc == ZRZ_ENOTFOUND || (!rc && !scope_sees(api_who(r), o.path)))
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_CHANNEL);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	if (!scope_can(api_who(r), o.path, CHANNEL_ADMINS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_ADMIN);
	return ZRZ_OK;
}

int api_channel_list(struct req *r)
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
	rc = api_org_visible(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, CHANNEL_ADMINS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_ADMIN);
	struct notify_channel *items;
	int n;
	rc = channel_list(db, r->arena, org_id, &items, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, channel_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

int api_channel_get(struct req *r)
{
	struct db *db;
	int rc = api_db(r, &db);
	if (rc)
		return rc;
	struct notify_channel c;
	rc = managed_channel(r, db, &c);
	if (rc)
		return rc;
	return req_reply_json(r, 200, channel_json(&c));
}

/* name, target, secret and active of body over c (a patch keeps what is
 * absent; a null secret removes it). */
static int parse_channel(struct req *r, json_t *body, bool patch, struct notify_channel *c)
{
	int rc = ZRZ_OK;
	if (!patch || json_object_get(body, "name"))
		rc = req_json_str(r, body, "name", true, 1, CHANNEL_NAME_MAX, &c->name);
	if (!rc && (!patch || json_object_get(body, "target")))
		rc = req_json_str(r, body, "target", true, 1, CHANNEL_TARGET_MAX, &c->target);
	if (!rc && (!patch || json_object_get(body, "secret")))
		rc = req_json_str(r, body, "secret", false, 1, CHANNEL_SECRET_MAX, &c->secret);
	bool active = c->active, present = false;
	if (!rc)
		rc = req_json_bool(r, body, "active", &active, &present);
	if (!rc && present)
		c->active = active;
	return rc;
}

int api_channel_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "kind", "name", "target", "secret", "active",
					   NULL};
	json_t *body;
	struct notify_channel c = {0};
	c.active = true;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &c.org_id, NULL);
	if (!rc)
		rc = req_json_enum(r, body, "kind", true, channel_kinds, &c.kind);
	if (!rc)
		rc = parse_channel(r, body, false, &c);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, c.org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, CHANNEL_ADMINS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_ADMIN);
	struct notify_channel out;
	struct derr e = {0};
	rc = channel_create(db, r->arena, &api_who(r)->actor, &c, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, channel_json(&out));
}

int api_channel_update(struct req *r)
{
	static const char *const keys[] = {"name", "target", "secret", "active", NULL};
	json_t *body;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct notify_channel c;
	rc = managed_channel(r, db, &c);
	if (!rc)
		rc = parse_channel(r, body, true, &c);
	if (rc)
		return rc;
	struct notify_channel out;
	struct derr e = {0};
	rc = channel_update(db, r->arena, &api_who(r)->actor, &c, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, channel_json(&out));
}

int api_channel_delete(struct req *r)
{
	struct db *db;
	int rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct notify_channel c;
	rc = managed_channel(r, db, &c);
	if (rc)
		return rc;
	rc = channel_delete(db, &api_who(r)->actor, &c);
	if (!rc)
		rc = api_commit(r);
	else
		return req_fail(r, rc, NULL, NULL);
	if (rc)
		return rc;
	return req_reply_empty(r);
}

int api_channel_deliveries(struct req *r)
{
	int64_t offset, limit;
	int rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct notify_channel c;
	rc = managed_channel(r, db, &c);
	if (rc)
		return rc;
	struct notice_delivery *items;
	int n;
	int64_t total;
	rc = delivery_list(db, r->arena, c.id, offset, limit, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, delivery_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, total));
}

int api_channel_test(struct req *r)
{
	struct db *db;
	int rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct notify_channel c;
	rc = managed_channel(r, db, &c);
	if (rc)
		return rc;
	if (!c.active)
		return req_fail(r, ZRZ_ECONFLICT, "active", "通知通道已停用，请先启用");
	int64_t did;
	rc = channel_test(db, &api_who(r)->actor, &c, &did);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	rc = api_commit(r);
	if (rc)
		return rc;
	/* Sent by the delivery thread, never by this request's thread. */
	return req_reply_json(r, 202, json_pack("{s:I, s:I, s:s}", "delivery_id", (json_int_t)did,
						"channel_id", (json_int_t)c.id, "state",
						"pending"));
}

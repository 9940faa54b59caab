/*
 * /api/v1/inbox: what the units below sent up to a unit (上报收件箱), read
 * by everyone who sees the receiving unit (and each item by its sender
 * too), acknowledged (签收) or forwarded (继续上报) by the receiving unit's
 * office, leaders or secretary.  An item neither side sees answers 404.
 */
#include "core/common.h"
#include "api/api.h"
#include "domain/inbox.h"
#include "domain/org.h"

#define INBOX_HANDLERS (ROLE_OFFICE | ROLE_LEADER | ROLE_SECRETARY)

static const char NO_ITEM[] = "上报不存在或不在您的权限范围内";

/* Load item id if the caller sees its receiving or its sending unit;
 * *receiver tells which (the receiver's side wins). */
static int visible_item(struct req *r, struct db *db, int64_t id, struct inbox_item *it,
			bool *receiver)
{
	int rc = inbox_get(db, r->arena, id, it);
	if (rc == ZRZ_ENOTFOUND)
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_ITEM);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	*receiver = scope_sees(api_who(r), it->to_org_path);
	if (*receiver)
		return ZRZ_OK;
	struct org from;
	rc = org_get(db, r->arena, it->from_org_id, &from);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	if (!scope_sees(api_who(r), from.path))
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_ITEM);
	return ZRZ_OK;
}

/* The item for a change by its receiving unit. */
static int handled_item(struct req *r, struct db *db, int64_t id, struct inbox_item *it)
{
	bool receiver;
	int rc = visible_item(r, db, id, it, &receiver);
	if (!rc && (!receiver || !scope_can(api_who(r), it->to_org_path, INBOX_HANDLERS)))
		rc = req_fail(r, ZRZ_EFORBIDDEN, NULL,
			      "只有接收单位的办公室、班子成员或书记可以签收或继续上报");
	return rc;
}

int api_inbox_list(struct req *r)
{
	int64_t org_id, offset, limit;
	const char *state = NULL, *entity = NULL;
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_str(r, "state", 20, &state);
	if (!rc)
		rc = req_query_str(r, "entity", 20, &entity);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	if (state && !*state)
		state = NULL;
	if (entity && !*entity)
		entity = NULL;
	bool ok = !state;
	for (int i = 0; !ok && inbox_states[i]; i++)
		ok = !strcmp(inbox_states[i], state);
	if (!ok)
		return req_fail(r, ZRZ_EINVAL, "state", "状态应为 sent、acknowledged 或 forwarded");
	ok = !entity;
	for (int i = 0; !ok && inbox_entities[i]; i++)
		ok = !strcmp(inbox_entities[i], entity);
	if (!ok)
		return req_fail(r, ZRZ_EINVAL, "entity", "类别应为 incident 或 analysis");
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	struct inbox_item *items;
	int n;
	int64_t total;
	rc = inbox_list(db, r->arena, org_id, state, entity, offset, limit, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, inbox_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, total));
}

int api_inbox_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct inbox_item it;
	bool receiver;
	rc = visible_item(r, db, id, &it, &receiver);
	if (rc)
		return rc;
	json_t *j = inbox_json(&it);
	json_object_set_new(j, "can_handle",
			    json_boolean(receiver &&
					 scope_can(api_who(r), it.to_org_path, INBOX_HANDLERS)));
	return req_reply_json(r, 200, j);
}

/* Commit and reply with item id as GET shows it. */
static int reply_item(struct req *r, struct db *db, int status, int64_t id)
{
	struct inbox_item it;
	int rc = inbox_get(db, r->arena, id, &it);
	if (!rc)
		rc = api_commit(r);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_json(r, status, inbox_json(&it));
}

int api_inbox_ack(struct req *r)
{
	static const char *const keys[] = {"comment", NULL};
	int64_t id;
	json_t *body;
	const char *comment = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_str(r, body, "comment", false, 0, INBOX_COMMENT_MAX, &comment);
	if (rc)
		return rc;
	if (comment && !*comment)
		comment = NULL;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct inbox_item it;
	rc = handled_item(r, db, id, &it);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = inbox_ack(db, &api_who(r)->actor, &it, comment, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_item(r, db, 200, id);
}

int api_inbox_forward(struct req *r)
{
	static const char *const keys[] = {"note", NULL};
	int64_t id;
	json_t *body;
	const char *note = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_str(r, body, "note", false, 0, INBOX_COMMENT_MAX, &note);
	if (rc)
		return rc;
	if (note && !*note)
		note = NULL;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct inbox_item it;
	rc = handled_item(r, db, id, &it);
	if (rc)
		return rc;
	struct derr e = {0};
	int64_t fwd;
	rc = inbox_forward(db, &api_who(r)->actor, &it, note, &fwd, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_item(r, db, 200, id);
}

/*
 * Rules of the inbox: an item goes to the unit directly above its sender
 * (逐级上报; never past a level), titles of 1..200 characters on one line,
 * comments and notes of at most 2000 characters, and the states sent →
 * acknowledged or sent/acknowledged → forwarded, each once.  A forwarded
 * item is a new item of the next unit up, remembered by prev_id.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/inbox.h"
#include "store/repo.h"

#include <assert.h>

const char *const inbox_entities[] = {"incident", "analysis", NULL};
const char *const inbox_states[] = {"sent", "acknowledged", "forwarded", NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static bool title_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return s && utf8_valid_text(s, n) && !strpbrk(s, "\r\n") && !str_blank(s) &&
	       utf8_count(s, n) <= INBOX_TITLE_MAX;
}

/* NULL, or text of at most INBOX_COMMENT_MAX characters. */
static bool comment_ok(const char *s)
{
	return !s || (utf8_valid_text(s, strlen(s)) &&
		      utf8_count(s, strlen(s)) <= INBOX_COMMENT_MAX);
}

static json_t *opt_text(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *opt_id(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

static json_t *opt_time(int64_t t)
{
	char buf[32];
	if (!t)
		return json_null();
	time_format_rfc3339(t, buf, sizeof(buf));
	return json_string(buf);
}

/* Put an item from unit from into the inbox of the unit above it. */
static int deliver(struct db *db, const struct actor *who, int64_t from, const char *entity,
		   int64_t entity_id, const char *title, const char *note, int64_t prev_id,
		   int64_t *id_out, struct derr *e)
{
	if (!in_list(inbox_entities, entity))
		return derr_set(e, ZRZ_EINVAL, "entity", "不能上报这类内容");
	if (!title_ok(title))
		return derr_set(e, ZRZ_EINVAL, "title", "上报的标题应为 1 至 200 个字");
	if (!comment_ok(note))
		return derr_set(e, ZRZ_EINVAL, "note", "说明不能超过 2000 个字");
	struct arena *a = arena_new();
	struct org o;
	int rc = store_org_get(db, a, from, &o);
	int64_t parent = rc ? 0 : o.parent_id;
	arena_free(a);
	if (rc)
		return rc;
	if (!parent)
		return derr_set(e, ZRZ_EINVAL, "org_id", "本单位没有上级单位，无法上报");
	struct inbox_item it = {0};
	it.from_org_id = from;
	it.to_org_id = parent;
	it.entity = entity;
	it.entity_id = entity_id;
	it.title = title;
	it.note = note;
	it.prev_id = prev_id;
	it.sent_by = who->user_id;
	it.sent_at = time_now();
	int64_t id;
	rc = store_inbox_insert(db, &it, &id);
	if (!rc)
		rc = audit_log(db, who, from, "inbox.send", "inbox_item", id,
			       json_pack("{s:I, s:s, s:I, s:s, s:o}", "to_org_id", (json_int_t)parent,
					 "entity", entity, "entity_id", (json_int_t)entity_id,
					 "title", title, "prev_id", opt_id(prev_id)));
	if (!rc && id_out)
		*id_out = id;
	return rc;
}

int inbox_send(struct db *db, const struct actor *who, int64_t from_org_id, const char *entity,
	       int64_t entity_id, const char *title, int64_t *id_out, struct derr *e)
{
	return deliver(db, who, from_org_id, entity, entity_id, title, NULL, 0, id_out, e);
}

int inbox_find(struct db *db, const char *entity, int64_t entity_id, struct inbox_item *out)
{
	assert(out->arena);
	if (!out->arena)
		return ZRZ_EINTERNAL;
	return store_inbox_latest(db, out->arena, entity, entity_id, out);
}

int inbox_trail(struct db *db, struct arena *a, const char *entity, int64_t entity_id,
		struct inbox_item **items, int *n)
{
	/* An item goes up one level at a time: a trail is as long as the tree is deep. */
	return store_inbox_of_entity(db, a, entity, entity_id, 100, items, n);
}

int inbox_get(struct db *db, struct arena *a, int64_t id, struct inbox_item *out)
{
	return store_inbox_get(db, a, id, out);
}

int inbox_list(struct db *db, struct arena *a, int64_t to_org_id, const char *state,
	       const char *entity, int64_t offset, int64_t limit, struct inbox_item **items,
	       int *n, int64_t *total)
{
	return store_inbox_list(db, a, to_org_id, state, entity, offset, limit, items, n, total);
}

int inbox_ack(struct db *db, const struct actor *who, const struct inbox_item *it,
	      const char *comment, struct derr *e)
{
	if (!comment_ok(comment))
		return derr_set(e, ZRZ_EINVAL, "comment", "签收意见不能超过 2000 个字");
	int rc = store_inbox_ack(db, it->id, who->user_id, time_now(), comment);
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, NULL, "该上报已签收或已继续上报");
	if (rc)
		return rc;
	return audit_log(db, who, it->to_org_id, "inbox.ack", "inbox_item", it->id,
			 json_pack("{s:s, s:I, s:o}", "entity", it->entity, "entity_id",
				   (json_int_t)it->entity_id, "comment", opt_text(comment)));
}

int inbox_forward(struct db *db, const struct actor *who, const struct inbox_item *it,
		  const char *note, int64_t *id_out, struct derr *e)
{
	if (!strcmp(it->state, "forwarded"))
		return derr_set(e, ZRZ_ECONFLICT, NULL, "该上报已继续上报");
	int64_t id;
	int rc = deliver(db, who, it->to_org_id, it->entity, it->entity_id, it->title, note, it->id,
			 &id, e);
	if (rc == ZRZ_EINVAL && e && e->field && !strcmp(e->field, "org_id"))
		e->msg = "本单位没有上级单位，无法继续上报";
	if (!rc)
		rc = store_inbox_set_forwarded(db, it->id, id, who->user_id, time_now());
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, NULL, "该上报已继续上报");
	if (rc)
		return rc;
	if (id_out)
		*id_out = id;
	return audit_log(db, who, it->to_org_id, "inbox.forward", "inbox_item", it->id,
			 json_pack("{s:I, s:s, s:I, s:o}", "forward_id", (json_int_t)id, "entity",
				   it->entity, "entity_id", (json_int_t)it->entity_id, "note",
				   opt_text(note)));
}

static const char *state_label(const char *s)
{
	if (!strcmp(s, "acknowledged"))
		return "已签收";
	if (!strcmp(s, "forwarded"))
		return "已继续上报";
	return "待签收";
}

static const char *entity_label(const char *s)
{
	if (!strcmp(s, "incident"))
		return "舆情事件";
	if (!strcmp(s, "analysis"))
		return "分析研判";
	return s;
}

json_t *inbox_json(const struct inbox_item *it)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(it->id));
	json_object_set_new(j, "from_org_id", json_integer(it->from_org_id));
	json_object_set_new(j, "from_org_name", opt_text(it->from_org_name));
	json_object_set_new(j, "to_org_id", json_integer(it->to_org_id));
	json_object_set_new(j, "to_org_name", opt_text(it->to_org_name));
	json_object_set_new(j, "entity", json_string(it->entity));
	json_object_set_new(j, "entity_label", json_string(entity_label(it->entity)));
	json_object_set_new(j, "entity_id", json_integer(it->entity_id));
	json_object_set_new(j, "title", json_string(it->title));
	json_object_set_new(j, "note", opt_text(it->note));
	json_object_set_new(j, "prev_id", opt_id(it->prev_id));
	json_object_set_new(j, "state", json_string(it->state));
	json_object_set_new(j, "state_label", json_string(state_label(it->state)));
	json_object_set_new(j, "sent_by", opt_id(it->sent_by));
	json_object_set_new(j, "sent_by_name", opt_text(it->sent_by_name));
	json_object_set_new(j, "sent_at", opt_time(it->sent_at));
	json_object_set_new(j, "acked_by", opt_id(it->acked_by));
	json_object_set_new(j, "acked_by_name", opt_text(it->acked_by_name));
	json_object_set_new(j, "acked_at", opt_time(it->acked_at));
	json_object_set_new(j, "comment", opt_text(it->comment));
	json_object_set_new(j, "forward_id", opt_id(it->forward_id));
	return j;
}

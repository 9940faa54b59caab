/*
 * Rules for committees: a name of 1..100 characters, members with a known
 * position and a name of 1..50 characters, linked users that exist.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/committee.h"
#include "store/repo.h"

const char *const committee_positions[] = {"leader", "deputy_leader", "member", "office_director",
					   "office_deputy_director", NULL};
static const char *const position_labels[] = {"组长", "副组长", "成员", "办公室主任",
					      "办公室副主任"};

const char *committee_position_label(const char *position)
{
	for (int i = 0; committee_positions[i]; i++)
		if (!strcmp(committee_positions[i], position))
			return position_labels[i];
	return position;
}

static bool text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	return utf8_valid_text(s, n) && !strpbrk(s, "\r\n\t") && !str_blank(s) &&
	       utf8_count(s, n) <= max;
}

static int check(struct db *db, struct arena *a, const char *name,
		 const struct committee_member *m, int n, struct derr *e)
{
	if (name && !text_ok(name, 100))
		return derr_set(e, ZRZ_EINVAL, "name", "领导小组名称应为 1 到 100 个字");
	if (n > COMMITTEE_MAX_MEMBERS)
		return derr_set(e, ZRZ_EINVAL, "members", "成员不能超过 200 人");
	for (int i = 0; i < n; i++) {
		bool known = false;
		for (int k = 0; committee_positions[k]; k++)
			if (m[i].position && !strcmp(m[i].position, committee_positions[k]))
				known = true;
		if (!known)
			return derr_set(e, ZRZ_EINVAL, "members",
					arena_printf(a, "第 %d 位成员的职务无效", i + 1));
		if (!m[i].name || !text_ok(m[i].name, 50))
			return derr_set(e, ZRZ_EINVAL, "members",
					arena_printf(a, "第 %d 位成员的姓名应为 1 到 50 个字", i + 1));
		if (m[i].title && (!utf8_valid_text(m[i].title, strlen(m[i].title)) ||
				   utf8_count(m[i].title, strlen(m[i].title)) > 100))
			return derr_set(e, ZRZ_EINVAL, "members",
					arena_printf(a, "第 %d 位成员的职务名称不能超过 100 个字", i + 1));
		if (m[i].user_id) {
			struct user u;
			int rc = store_user_get(db, a, m[i].user_id, &u);
			if (rc == ZRZ_ENOTFOUND)
				return derr_set(e, ZRZ_EINVAL, "members",
						arena_printf(a, "第 %d 位成员关联的用户不存在", i + 1));
			if (rc)
				return rc;
		}
	}
	return ZRZ_OK;
}

static json_t *members_json(const struct committee_member *m, int n)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s, s:o, s:o}", "position", m[i].position,
				       "position_label", committee_position_label(m[i].position),
				       "name", m[i].name, "user_id",
				       m[i].user_id ? json_integer(m[i].user_id) : json_null(),
				       "title", m[i].title ? json_string(m[i].title) : json_null()));
	return arr;
}

json_t *committee_json(const struct committee *c)
{
	return json_pack("{s:I, s:I, s:s, s:o}", "id", (json_int_t)c->id, "org_id",
			 (json_int_t)c->org_id, "name", c->name, "members",
			 members_json(c->members, c->nmembers));
}

int committee_list(struct db *db, struct arena *a, int64_t org_id, struct committee **items,
		   int *n)
{
	return store_committee_list(db, a, org_id, items, n);
}

int committee_get(struct db *db, struct arena *a, int64_t id, struct committee *out)
{
	return store_committee_get(db, a, id, out);
}

int committee_create(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
		     const char *name, const struct committee_member *members, int n,
		     struct committee *out, struct derr *e)
{
	if (!name)
		return derr_set(e, ZRZ_EINVAL, "name", "领导小组名称不能为空");
	int rc = check(db, a, name, members, n, e);
	if (rc)
		return rc;
	struct org o;
	rc = store_org_get(db, a, org_id, &o);
	if (rc == ZRZ_ENOTFOUND)
		return derr_set(e, ZRZ_EINVAL, "org_id", "所属单位不存在");
	if (rc)
		return rc;
	int64_t id;
	rc = store_committee_insert(db, org_id, name, time_now(), &id);
	if (!rc)
		rc = store_committee_set_members(db, id, members, n);
	if (!rc)
		rc = store_committee_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, org_id, "committee.create", "committee", id,
			 json_pack("{s:s, s:o}", "name", name, "members", members_json(members, n)));
}

int committee_update(struct db *db, struct arena *a, const struct actor *who, int64_t id,
		     const char *name, const struct committee_member *members, int n,
		     struct committee *out, struct derr *e)
{
	struct committee cur;
	int rc = store_committee_get(db, a, id, &cur);
	if (rc)
		return rc;
	rc = check(db, a, name, members, members ? n : 0, e);
	if (rc)
		return rc;
	json_t *detail = json_object();
	if (name && strcmp(name, cur.name) != 0) {
		json_object_set_new(detail, "name", json_pack("[s,s]", cur.name, name));
		rc = store_committee_update(db, id, name, time_now());
	}
	if (!rc && members) {
		json_object_set_new(detail, "members",
				    json_pack("[o,o]", members_json(cur.members, cur.nmembers),
					      members_json(members, n)));
		rc = store_committee_set_members(db, id, members, n);
		if (!rc && !name)
			rc = store_committee_update(db, id, cur.name, time_now());
	}
	if (!rc)
		rc = store_committee_get(db, a, id, out);
	if (rc) {
		json_decref(detail);
		return rc;
	}
	return audit_log(db, who, cur.org_id, "committee.update", "committee", id, detail);
}

int committee_delete(struct db *db, struct arena *a, const struct actor *who, int64_t id)
{
	struct committee cur;
	int rc = store_committee_get(db, a, id, &cur);
	if (rc)
		return rc;
	rc = store_committee_delete(db, id);
	if (rc)
		return rc;
	return audit_log(db, who, cur.org_id, "committee.delete", "committee", id,
			 json_pack("{s:s, s:o}", "name", cur.name, "members",
				   members_json(cur.members, cur.nmembers)));
}

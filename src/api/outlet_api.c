/*
 * /api/v1/channels and /api/v1/channels/{id}/inspections: the registry of a
 * unit's publication channels (阵地) and their inspections.  Everyone who
 * sees a unit reads its channels; its office, leaders and secretary (and
 * its system administrator) register, edit, close or delete them and
 * record inspections.  A channel outside the caller's scope, or deleted,
 * answers 404, exactly as one that does not exist.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/ztime.h"
#include "api/api.h"
#include "domain/org.h"
#include "domain/outlet.h"
#include "domain/period.h"

#define OUTLET_EDITORS (ROLE_OFFICE | ROLE_LEADER | ROLE_SECRETARY | ROLE_SYSADMIN)

static const char NO_OUTLET[] = "阵地不存在或不在您的权限范围内";
static const char NOT_EDITOR[] = "只有本单位的办公室、班子成员、书记或系统管理员可以维护阵地";

static int visible_outlet(struct req *r, struct db *db, int64_t id, struct outlet *c,
			  struct org *o)
{
	int rc = outlet_get(db, r->arena, id, c);
	if (!rc)
		rc = org_get(db, r->arena, c->org_id, o);
	if (rc == ZRZ_ENOTFOUND || (!rc && (c->deleted_at || !scope_sees(api_who(r), o->path))))
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_OUTLET);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return ZRZ_OK;
}

static int today(void)
{
	return period_day_of_time(time_now());
}

/* An optional text field: on a patch only when present; null clears it. */
static int opt_str(struct req *r, json_t *body, const char *key, bool patch, size_t max,
		   const char **out)
{
	if (patch && !json_object_get(body, key))
		return ZRZ_OK;
	return req_json_str(r, body, key, false, 0, max, out);
}

/* The fields of a channel from body over c (every field unless patch). */
static int parse_outlet(struct req *r, json_t *body, bool patch, struct outlet *c)
{
	int rc = ZRZ_OK;
	if (!patch || json_object_get(body, "kind"))
		rc = req_json_enum(r, body, "kind", true, outlet_kinds, &c->kind);
	if (!rc && (!patch || json_object_get(body, "name")))
		rc = req_json_str(r, body, "name", true, 1, OUTLET_NAME_MAX, &c->name);
	if (!rc && (!patch || json_object_get(body, "owner_id"))) {
		bool present;
		int64_t id = 0;
		rc = api_json_id(r, body, "owner_id", !patch, &id, &present);
		c->owner_id = present ? id : 0;
	}
	if (!rc)
		rc = opt_str(r, body, "reg_no", patch, OUTLET_REG_NO_MAX, &c->reg_no);
	if (!rc)
		rc = opt_str(r, body, "address", patch, OUTLET_ADDRESS_MAX, &c->address);
	if (!rc)
		rc = opt_str(r, body, "opened_on", patch, 10, &c->opened_on);
	if (!rc)
		rc = opt_str(r, body, "closed_on", patch, 10, &c->closed_on);
	if (!rc)
		rc = opt_str(r, body, "note", patch, OUTLET_NOTE_MAX, &c->note);
	if (!rc && (!patch || json_object_get(body, "status"))) {
		const char *s = NULL;
		rc = req_json_enum(r, body, "status", patch, outlet_statuses, &s);
		c->status = s ? s : "active";
	}
	if (!rc && (!patch || json_object_get(body, "inspect_every")))
		rc = req_json_enum(r, body, "inspect_every", false, outlet_frequencies,
				   &c->inspect_every);
	if (!rc && json_object_get(body, "review_final")) {
		bool v = false, present;
		rc = req_json_bool(r, body, "review_final", &v, &present);
		c->review_final = present && v;
	}
	return rc;
}

static int query_enum(struct req *r, const char *name, const char *const *values,
		      const char **out)
{
	int rc = req_query_str(r, name, 64, out);
	if (rc || !*out)
		return rc;
	if (!**out) {
		*out = NULL;
		return ZRZ_OK;
	}
	for (const char *const *v = values; *v; v++)
		if (!strcmp(*v, *out))
			return ZRZ_OK;
	return req_failf(r, ZRZ_EINVAL, name, "%s的值不在可选范围内", http_field_label(name));
}

int api_outlet_list(struct req *r)
{
	int64_t org_id, offset, limit;
	bool subtree, no_owner, overdue;
	struct outlet_filter f = {0};
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_bool(r, "subtree", &subtree);
	if (!rc)
		rc = query_enum(r, "kind", outlet_kinds, &f.kind);
	if (!rc)
		rc = query_enum(r, "status", outlet_statuses, &f.status);
	if (!rc)
		rc = req_query_str(r, "q", 50, &f.q);
	if (!rc)
		rc = req_query_bool(r, "no_owner", &no_owner);
	if (!rc)
		rc = req_query_bool(r, "inspection_overdue", &overdue);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	if (f.q && !*f.q)
		f.q = NULL;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (subtree && !scope_covers_subtree(api_who(r), o.path, ROLE_ANY))
		return req_fail(r, ZRZ_EFORBIDDEN, "subtree", "您的权限不包括下级单位");
	int day = today();
	char date[PERIOD_DATE_SIZE];
	period_day_format(day, date, sizeof(date));
	f.org_id = org_id;
	f.path = subtree ? o.path : NULL;
	f.no_owner = no_owner;
	f.overdue_before = overdue ? date : NULL;
	struct outlet *items;
	int n;
	int64_t total;
	rc = outlet_list(db, r->arena, &f, offset, limit, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, outlet_json(&items[i], day));
	return req_reply_json(r, 200, json_page(arr, total));
}

int api_outlet_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct outlet c;
	struct org o;
	rc = visible_outlet(r, db, id, &c, &o);
	if (rc)
		return rc;
	return req_reply_json(r, 200, outlet_json(&c, today()));
}

int api_outlet_create(struct req *r)
{
	static const char *const keys[] = {"org_id",	"kind",		 "name",	 "owner_id",
					   "reg_no",	"address",	 "opened_on",	 "closed_on",
					   "status",	"inspect_every", "review_final", "note",
					   NULL};
	json_t *body;
	struct outlet c = {0};
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &c.org_id, NULL);
	if (!rc)
		rc = parse_outlet(r, body, false, &c);
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
	if (!scope_can(api_who(r), o.path, OUTLET_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct outlet out;
	struct derr e = {0};
	rc = outlet_create(db, r->arena, &api_who(r)->actor, &c, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, outlet_json(&out, today()));
}

int api_outlet_update(struct req *r)
{
	static const char *const keys[] = {"kind",	    "name",	     "owner_id",
					   "reg_no",	    "address",	     "opened_on",
					   "closed_on",	    "status",	     "inspect_every",
					   "review_final", "note",	     NULL};
	json_t *body;
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct outlet cur;
	struct org o;
	rc = visible_outlet(r, db, id, &cur, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, OUTLET_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct outlet next = cur;
	rc = parse_outlet(r, body, true, &next);
	if (rc)
		return rc;
	struct outlet out;
	struct derr e = {0};
	rc = outlet_update(db, r->arena, &api_who(r)->actor, &cur, &next, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, outlet_json(&out, today()));
}

int api_outlet_delete(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct outlet cur;
	struct org o;
	rc = visible_outlet(r, db, id, &cur, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, OUTLET_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct derr e = {0};
	rc = outlet_delete(db, r->arena, &api_who(r)->actor, &cur, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_empty(r);
}

int api_outlet_inspection_list(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct outlet c;
	struct org o;
	rc = visible_outlet(r, db, id, &c, &o);
	if (rc)
		return rc;
	struct outlet_inspection *items;
	int n;
	rc = outlet_inspections(db, r->arena, id, &items, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, outlet_inspection_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

int api_outlet_inspection_create(struct req *r)
{
	static const char *const keys[] = {"date", "inspector", "findings", "problems", NULL};
	json_t *body;
	int64_t id;
	struct outlet_inspection x = {0};
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_str(r, body, "date", true, 1, 10, &x.date);
	if (!rc)
		rc = req_json_str(r, body, "inspector", true, 1, OUTLET_INSPECTOR_MAX, &x.inspector);
	if (!rc)
		rc = req_json_str(r, body, "findings", false, 0, OUTLET_FINDINGS_MAX, &x.findings);
	if (!rc)
		rc = req_json_int(r, body, "problems", false, 0, OUTLET_PROBLEMS_MAX, &x.problems,
				  NULL);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct outlet c;
	struct org o;
	rc = visible_outlet(r, db, id, &c, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, OUTLET_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct outlet_inspection out;
	struct derr e = {0};
	rc = outlet_inspect(db, r->arena, &api_who(r)->actor, &c, &x, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, outlet_inspection_json(&out));
}

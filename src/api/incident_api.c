/*
 * /api/v1/incidents and /api/v1/incident-limits: events that concern a
 * unit (舆情事件处置) with their timed stages, the unit's time limits and
 * the statistics of time to each stage.  Everyone who sees the unit reads
 * its incidents, and so does every unit the incident was reported up to
 * (through the inbox); the unit's office, leaders and secretary record and
 * advance them; its office or secretary set its limits.  An incident the
 * caller may not see answers 404, exactly as one that does not exist.
 */
#include "core/common.h"
#include "core/ztime.h"
#include "api/api.h"
#include "domain/inbox.h"
#include "domain/incident.h"
#include "domain/ledger.h"
#include "domain/org.h"

#define INCIDENT_WRITERS (ROLE_OFFICE | ROLE_LEADER | ROLE_SECRETARY)
#define LIMIT_EDITORS (ROLE_OFFICE | ROLE_SECRETARY)

static const char NO_INCIDENT[] = "事件不存在或不在您的权限范围内";

/* Load incident id if the caller sees its unit or a unit it was reported
 * up to; *own tells whether the caller sees its unit. */
static int visible_incident(struct req *r, struct db *db, int64_t id, struct incident *x,
			    struct org *o, bool *own)
{
	int rc = incident_get(db, r->arena, id, x);
	if (!rc)
		rc = org_get(db, r->arena, x->org_id, o);
	if (rc == ZRZ_ENOTFOUND)
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_INCIDENT);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	*own = scope_sees(api_who(r), o->path);
	if (*own)
		return ZRZ_OK;
	struct inbox_item *trail;
	int n;
	rc = inbox_trail(db, r->arena, "incident", id, &trail, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	for (int i = 0; i < n; i++)
		if (scope_sees(api_who(r), trail[i].to_org_path))
			return ZRZ_OK;
	return req_fail(r, ZRZ_ENOTFOUND, "id", NO_INCIDENT);
}

static bool in_list(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

int api_incident_list(struct req *r)
{
	int64_t org_id, offset, limit;
	bool subtree, overdue;
	struct incident_filter f = {0};
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_bool(r, "subtree", &subtree);
	if (!rc)
		rc = req_query_str(r, "state", 20, &f.state);
	if (!rc)
		rc = req_query_str(r, "severity", 20, &f.severity);
	if (!rc)
		rc = req_query_str(r, "source", 20, &f.source);
	if (!rc)
		rc = req_query_bool(r, "overdue", &overdue);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	if (f.state && !*f.state)
		f.state = NULL;
	if (f.severity && !*f.severity)
		f.severity = NULL;
	if (f.source && !*f.source)
		f.source = NULL;
	if (f.state && strcmp(f.state, "open") && strcmp(f.state, "found") &&
	    !in_list(incident_stages, f.state))
		return req_fail(r, ZRZ_EINVAL, "state",
				"状态应为 open、found、assess、report、handle 或 close");
	if (f.severity && !in_list(incident_severities, f.severity))
		return req_fail(r, ZRZ_EINVAL, "severity", "事件级别应为 general、serious 或 major");
	if (f.source && !in_list(incident_sources, f.source))
		return req_fail(r, ZRZ_EINVAL, "source", "事件来源不在可选范围内");
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
	f.org_id = org_id;
	f.path = subtree ? o.path : NULL;
	f.overdue = overdue;
	f.now = time_now();
	struct incident *items;
	int n;
	int64_t total;
	rc = incident_list(db, r->arena, &f, offset, limit, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, incident_json(&items[i], f.now));
	return req_reply_json(r, 200, json_page(arr, total));
}

/* Reply with the incident as GET shows it (committing first when a write
 * transaction is open). */
static int reply_incident(struct req *r, struct db *db, int status, const struct incident *x,
			  bool own, bool commit)
{
	json_t *j;
	int rc = incident_detail_json(db, r->arena, x, time_now(), &j);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	struct org o;
	rc = org_get(db, r->arena, x->org_id, &o);
	if (rc) {
		json_decref(j);
		return req_fail(r, rc, NULL, NULL);
	}
	json_object_set_new(j, "can_advance",
			    json_boolean(own && !json_is_true(json_object_get(j, "closed")) &&
					 scope_can(api_who(r), o.path, INCIDENT_WRITERS)));
	if (commit) {
		rc = api_commit(r);
		if (rc) {
			json_decref(j);
			return rc;
		}
	}
	return req_reply_json(r, status, j);
}

int api_incident_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct incident x;
	struct org o;
	bool own;
	rc = visible_incident(r, db, id, &x, &o, &own);
	if (rc)
		return rc;
	return reply_incident(r, db, 200, &x, own, false);
}

int api_incident_create(struct req *r)
{
	static const char *const keys[] = {"org_id",	  "title",    "source", "severity",
					   "description", "found_at", NULL};
	json_t *body;
	struct incident x = {0};
	const char *found = NULL;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &x.org_id, NULL);
	if (!rc)
		rc = req_json_str(r, body, "title", true, 1, INCIDENT_TITLE_MAX, &x.title);
	if (!rc)
		rc = req_json_enum(r, body, "source", true, incident_sources, &x.source);
	if (!rc)
		rc = req_json_enum(r, body, "severity", true, incident_severities, &x.severity);
	if (!rc)
		rc = req_json_str(r, body, "description", false, 0, INCIDENT_TEXT_MAX,
				  &x.description);
	if (!rc)
		rc = req_json_str(r, body, "found_at", false, 1, 40, &found);
	if (rc)
		return rc;
	if (x.description && !*x.description)
		x.description = NULL;
	x.found_at = time_now();
	if (found && (!strchr(found, 'T') || !time_parse(found, &x.found_at)))
		return req_fail(r, ZRZ_EINVAL, "found_at",
				"发现时间应为带时区的时间，如 2026-01-31T23:30:00+08:00");
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, x.org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, INCIDENT_WRITERS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL,
				"只有本单位的办公室、班子成员或书记可以登记事件");
	struct incident out;
	struct derr e = {0};
	rc = incident_create(db, r->arena, &api_who(r)->actor, &x, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_incident(r, db, 201, &out, true, true);
}

int api_incident_advance(struct req *r)
{
	static const char *const keys[] = {"stage", "note", NULL};
	int64_t id;
	json_t *body;
	const char *stage, *note = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_enum(r, body, "stage", true, incident_stages, &stage);
	if (!rc)
		rc = req_json_str(r, body, "note", false, 0, INCIDENT_NOTE_MAX, &note);
	if (rc)
		return rc;
	if (note && !*note)
		note = NULL;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct incident cur, out;
	struct org o;
	bool own;
	rc = visible_incident(r, db, id, &cur, &o, &own);
	if (rc)
		return rc;
	if (!own || !scope_can(api_who(r), o.path, INCIDENT_WRITERS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL,
				"只有事件所在单位的办公室、班子成员或书记可以办理");
	struct derr e = {0};
	rc = incident_advance(db, r->arena, &api_who(r)->actor, &cur, stage, note, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_incident(r, db, 200, &out, true, true);
}

int api_incident_stats(struct req *r)
{
	int64_t org_id, year;
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_int(r, "year", LEDGER_YEAR_MIN, LEDGER_YEAR_MAX, 0, &year);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	if (!year) {
		int y, m, d;
		civil_from_days((time_now() + ZRZ_TZ_OFFSET) / 86400, &y, &m, &d);
		year = y;
	}
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	/* The units below count only for a caller who sees them all. */
	if (!scope_covers_subtree(api_who(r), o.path, ROLE_ANY) && o.has_children)
		return req_fail(r, ZRZ_EFORBIDDEN, "org_id", "您的权限不包括下级单位");
	json_t *j;
	rc = incident_stats(db, r->arena, o.path, (int)year, &j);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_object_set_new(j, "org_id", json_integer(o.id));
	return req_reply_json(r, 200, j);
}

int api_incident_limits_get(struct req *r)
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
	struct incident_limits l;
	rc = incident_limits_get(db, r->arena, org_id, &l);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *j = incident_limits_json(&l);
	json_object_set_new(j, "org_id", json_integer(org_id));
	return req_reply_json(r, 200, j);
}

int api_incident_limits_put(struct req *r)
{
	static const char *const keys[] = {"org_id", "limits", NULL};
	json_t *body;
	int64_t org_id;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &org_id, NULL);
	if (rc)
		return rc;
	json_t *limits = json_object_get(body, "limits");
	if (!json_is_object(limits))
		return req_fail(r, ZRZ_EINVAL, "limits", "时限应为按事件级别和环节填写的分钟数");
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, LIMIT_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有本单位的办公室或书记可以设置处置时限");
	struct incident_limits l;
	struct derr e = {0};
	rc = incident_limits_set(db, r->arena, &api_who(r)->actor, org_id, limits, &l, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	json_t *j = incident_limits_json(&l);
	json_object_set_new(j, "org_id", json_integer(org_id));
	return req_reply_json(r, 200, j);
}

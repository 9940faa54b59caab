/*
 * /api/v1/audit: the audit trail, for the security auditor (auditor) only,
 * within the units their grants cover.  Rows that belong to no unit (failed
 * logins of unknown names, command-line work) are shown to auditors of a top
 * unit.  There is no endpoint that changes or deletes audit rows.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/ztime.h"
#include "api/api.h"
#include "domain/audit.h"
#include "domain/org.h"

static int time_query(struct req *r, const char *name, int64_t *out)
{
	const char *v;
	int rc = req_query_str(r, name, 40, &v);
	*out = 0;
	if (rc || !v)
		return rc;
	if (!time_parse(v, out))
		return req_failf(r, ZRZ_EINVAL, name, "参数 %s 应为日期（YYYY-MM-DD）或带时区的时间", name);
	/* A plain date as the end means through the end of that day. */
	if (!strcmp(name, "to") && strlen(v) == 10)
		*out += 86400;
	return ZRZ_OK;
}

/* The auditor grant to read by: the one covering org_id, or the first. */
static const struct grant *auditor_grant(const struct principal *p)
{
	for (int i = 0; i < p->ngrants; i++)
		if (!strcmp(p->grants[i].role, "auditor"))
			return &p->grants[i];
	return NULL;
}

int api_audit_list(struct req *r)
{
	const struct principal *p = api_who(r);
	const struct grant *g = auditor_grant(p);
	if (!g)
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有安全审计员可以查看审计日志");
	struct audit_filter f = {0};
	int64_t offset, limit, org_id;
	int rc = req_query_int(r, "user_id", 1, INT64_MAX, 0, &f.user_id);
	if (!rc)
		rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_str(r, "action", 64, &f.action);
	if (!rc)
		rc = req_query_str(r, "entity", 64, &f.entity);
	if (!rc)
		rc = time_query(r, "from", &f.from);
	if (!rc)
		rc = time_query(r, "to", &f.to);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	if (f.from && f.to && f.from >= f.to)
		return req_fail(r, ZRZ_EINVAL, "to", "结束时间应晚于开始时间");
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	if (org_id) {
		struct org o;
		rc = org_get(db, r->arena, org_id, &o);
		if (rc == ZRZ_ENOTFOUND || (!rc && !scope_can(p, o.path, ROLE_AUDITOR)))
			return req_fail(r, ZRZ_EFORBIDDEN, "org_id", "该单位不在您的审计范围内");
		if (rc)
			return req_fail(r, rc, NULL, NULL);
		if (scope_covers_subtree(p, o.path, ROLE_AUDITOR)) {
			f.org_path = o.path;
			f.include_orgless = o.parent_id == 0;
		} else {
			f.org_id = org_id;
		}
	} else if (!strcmp(g->scope, "subtree")) {
		f.org_path = g->org_path;
		f.include_orgless = strchr(g->org_path + 1, '/') == g->org_path + strlen(g->org_path) - 1;
	} else {
		f.org_id = g->org_id;
	}
	struct audit_row *items;
	int n;
	int64_t total;
	rc = audit_list(db, r->arena, &f, offset, limit, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, audit_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, total));
}

int api_audit_verify(struct req *r)
{
	const struct principal *p = api_who(r);
	if (!auditor_grant(p))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有安全审计员可以校验审计日志");
	struct db *db;
	int rc = api_db(r, &db);
	if (rc)
		return rc;
	/* The request's read snapshot makes the walk consistent. */
	int64_t rows, bad;
	rc = audit_verify(db, &rows, &bad);
	if (rc && rc != ZRZ_ECONFLICT)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_json(r, 200,
			      json_pack("{s:b, s:I, s:o}", "intact", rc == ZRZ_OK, "rows",
					(json_int_t)rows, "first_broken_seq",
					rc ? json_integer(bad) : json_null()));
}

/*
 * /api/v1/problems, /api/v1/measures and /api/v1/problem-evidence: the
 * rectification ledger (问题整改).  Everyone who sees a unit reads its
 * problems; its office, secretary or leaders record them, their measures
 * and evidence; the owner of a measure may mark its progress; a user of the
 * unit directly above (its office, leader or secretary) closes a finished
 * problem (销号) or sends it back.  A problem outside the caller's scope
 * answers 404, as one that does not exist.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"

#include "api/api.h"
#include "domain/analysis.h"
#include "domain/attachment.h"
#include "domain/ledger.h"
#include "domain/org.h"
#include "domain/period.h"
#include "domain/plan.h"
#include "domain/problem.h"

#define EDITORS (ROLE_OFFICE | ROLE_SECRETARY | ROLE_LEADER)
#define DECIDERS (ROLE_OFFICE | ROLE_SECRETARY | ROLE_LEADER)

static const char NO_PROBLEM[] = "问题不存在或不在您的权限范围内";
static const char NOT_EDITOR[] = "只有本单位的办公室、书记或班子成员可以维护整改台账";

/* Load problem id if the caller sees its unit. */
static int visible_problem(struct req *r, struct db *db, int64_t id, const char *field,
			   struct problem *p, struct org *o)
{
	int rc = problem_get(db, r->arena, id, p);
	if (!rc)
		rc = org_get(db, r->arena, p->org_id, o);
	if (rc == ZRZ_ENOTFOUND || (!rc && !scope_sees(api_who(r), o->path)))
		return req_fail(r, ZRZ_ENOTFOUND, field, NO_PROBLEM);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return ZRZ_OK;
}

/* The problem named by the path, which the caller may edit. */
static int editable_problem(struct req *r, struct db *db, int64_t id, struct problem *p)
{
	struct org o;
	int rc = visible_problem(r, db, id, "id", p, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	return ZRZ_OK;
}

/* The unit above o, when the caller decides for it (office, leader or
 * secretary there). */
static bool superior_of(struct req *r, struct db *db, const struct org *o, struct org *up)
{
	return o->parent_id && !org_get(db, r->arena, o->parent_id, up) &&
	       scope_can(api_who(r), up->path, DECIDERS);
}

static json_t *problem_detail(struct req *r, struct db *db, const struct problem *p,
			      const struct org *o)
{
	char today[PERIOD_DATE_SIZE];
	problem_today(today, sizeof(today));
	json_t *j = problem_json(p);
	json_t *ms = json_array(), *ev = json_array(), *hist = json_array();
	struct measure *m;
	struct problem_evidence *t;
	struct problem_event *x;
	int n;
	if (!measure_list(db, r->arena, p->id, &m, &n))
		for (int i = 0; i < n; i++)
			json_array_append_new(ms, measure_json(&m[i], today));
	if (!evidence_list(db, r->arena, p->id, &t, &n))
		for (int i = 0; i < n; i++)
			json_array_append_new(ev, evidence_json(&t[i]));
	if (!problem_events(db, r->arena, p->id, &x, &n))
		for (int i = 0; i < n; i++)
			json_array_append_new(hist, problem_event_json(&x[i]));
	json_object_set_new(j, "measure_list", ms);
	json_object_set_new(j, "evidence_list", ev);
	json_object_set_new(j, "events", hist);
	struct org up;
	bool closed = !strcmp(p->status, "closed");
	json_object_set_new(
		j, "can",
		json_pack("{s:b, s:b}", "edit", !closed && scope_can(api_who(r), o->path, EDITORS),
			  "decide", superior_of(r, db, o, &up)));
	return j;
}

/* Reply with problem id in full; commit the request's transaction first
 * when commit is set. */
static int reply_detail(struct req *r, struct db *db, int status, int64_t id, bool commit)
{
	struct problem p;
	struct org o;
	int rc = problem_get(db, r->arena, id, &p);
	if (!rc)
		rc = org_get(db, r->arena, p.org_id, &o);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *j = problem_detail(r, db, &p, &o);
	if (commit) {
		rc = api_commit(r);
		if (rc) {
			json_decref(j);
			return rc;
		}
	}
	return req_reply_json(r, status, j);
}

/* A string field: on create every one, on a patch only those present. */
static int str_field(struct req *r, json_t *body, const char *key, bool patch, bool required,
		     size_t max, const char **out)
{
	if (patch && !json_object_get(body, key))
		return ZRZ_OK;
	return req_json_str(r, body, key, required, required ? 1 : 0, max, out);
}

static int enum_field(struct req *r, json_t *body, const char *key, bool patch, bool required,
		      const char *const *values, const char **out)
{
	if (patch && !json_object_get(body, key))
		return ZRZ_OK;
	return req_json_enum(r, body, key, required, values, out);
}

/* The fields of a problem from body over p: on create every one (source
 * may be preset, from analysis_id), on a patch those present. */
static int parse_problem(struct req *r, json_t *body, bool patch, struct problem *p)
{
	int rc = enum_field(r, body, "source", patch || (p->source && !json_object_get(body, "source")),
			    true, problem_sources, &p->source);
	if (!rc)
		rc = str_field(r, body, "category", patch, false, PROBLEM_CATEGORY_MAX,
			       &p->category);
	if (!rc)
		rc = str_field(r, body, "title", patch, true, PROBLEM_TITLE_MAX, &p->title);
	if (!rc)
		rc = str_field(r, body, "description", patch, false, PROBLEM_TEXT_MAX,
			       &p->description);
	if (!rc)
		rc = str_field(r, body, "found_on", patch, false, 10, &p->found_on);
	if (!rc && p->category && !*p->category)
		p->category = NULL;
	if (!rc && p->description && !*p->description)
		p->description = NULL;
	return rc;
}

int api_problem_list(struct req *r)
{
	int64_t org_id, offset, limit;
	bool subtree, overdue;
	struct problem_filter f = {0};
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_bool(r, "subtree", &subtree);
	if (!rc)
		rc = req_query_str(r, "status", 10, &f.status);
	if (!rc)
		rc = req_query_str(r, "source", 20, &f.source);
	if (!rc)
		rc = req_query_bool(r, "overdue", &overdue);
	if (!rc)
		rc = req_query_str(r, "q", 50, &f.q);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	if (f.status && !*f.status)
		f.status = NULL;
	if (f.source && !*f.source)
		f.source = NULL;
	if (f.q && !*f.q)
		f.q = NULL;
	bool ok = !f.status;
	for (int i = 0; !ok && problem_statuses[i]; i++)
		ok = !strcmp(f.status, problem_statuses[i]);
	if (!ok)
		return req_fail(r, ZRZ_EINVAL, "status", "状态应为 todo、doing、done 或 closed");
	ok = !f.source;
	for (int i = 0; !ok && problem_sources[i]; i++)
		ok = !strcmp(f.source, problem_sources[i]);
	if (!ok)
		return req_fail(r, ZRZ_EINVAL, "source", "问题来源不正确");
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
	struct problem *items;
	int n;
	int64_t total;
	rc = problem_list(db, r->arena, &f, offset, limit, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, problem_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, total));
}

int api_problem_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct problem p;
	struct org o;
	rc = visible_problem(r, db, id, "id", &p, &o);
	if (rc)
		return rc;
	return req_reply_json(r, 200, problem_detail(r, db, &p, &o));
}

int api_problem_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "source", "category", "title",
					   "description", "found_on", "analysis_id", NULL};
	json_t *body;
	struct problem p = {0};
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &p.org_id, NULL);
	if (!rc)
		rc = api_json_id(r, body, "analysis_id", false, &p.analysis_id, NULL);
	if (!rc && p.analysis_id && !json_object_get(body, "source"))
		p.source = "analysis";
	if (!rc)
		rc = parse_problem(r, body, false, &p);
	if (rc)
		return rc;
	if (!p.found_on) {
		char today[PERIOD_DATE_SIZE];
		problem_today(today, sizeof(today));
		p.found_on = arena_strdup(r->arena, today);
	}
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, p.org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	if (p.analysis_id) {
		struct analysis x;
		rc = analysis_get(db, r->arena, p.analysis_id, &x);
		if (rc == ZRZ_ENOTFOUND || (!rc && (x.org_id != p.org_id || x.deleted_at)))
			return req_fail(r, ZRZ_EINVAL, "analysis_id", "研判报告不存在或不属于该单位");
		if (rc)
			return req_fail(r, rc, NULL, NULL);
		if (strcmp(p.source, "analysis") != 0)
			return req_fail(r, ZRZ_EINVAL, "source", "来自研判报告的问题，来源应为 analysis");
	}
	struct problem out;
	struct derr e = {0};
	rc = problem_create(db, r->arena, &api_who(r)->actor, &p, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_detail(r, db, 201, out.id, true);
}

int api_problem_update(struct req *r)
{
	static const char *const keys[] = {"source", "category", "title", "description",
					   "found_on", NULL};
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
	struct problem cur;
	rc = editable_problem(r, db, id, &cur);
	if (rc)
		return rc;
	struct problem next = cur;
	rc = parse_problem(r, body, true, &next);
	if (rc)
		return rc;
	struct problem out;
	struct derr e = {0};
	rc = problem_update(db, r->arena, &api_who(r)->actor, &cur, &next, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_detail(r, db, 200, id, true);
}

int api_problem_rollup(struct req *r)
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
	if (!scope_covers_subtree(api_who(r), o.path, ROLE_ANY))
		return req_fail(r, ZRZ_EFORBIDDEN, "org_id", "您的权限不包括下级单位");
	struct problem_rollup_row *rows;
	int n;
	rc = problem_rollup(db, r->arena, &o, &rows, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *j = problem_rollup_json(&rows[i]);
		json_object_set_new(j, "self", json_boolean(rows[i].org_id == o.id));
		json_array_append_new(arr, j);
	}
	json_t *j = json_page(arr, n);
	json_object_set_new(j, "org_id", json_integer(org_id));
	return req_reply_json(r, 200, j);
}

int api_problem_import(struct req *r)
{
	static const char *const keys[] = {"org_id", "text", "source", "year", "commit",
					   "problems", "type", "title", "measures", NULL};
	json_t *body;
	int64_t org_id = 0, year = 0;
	bool commit = false, have_year = false;
	const char *source = NULL;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &org_id, NULL);
	if (!rc)
		rc = req_json_enum(r, body, "source", false, problem_sources, &source);
	if (!rc)
		rc = req_json_int(r, body, "year", false, LEDGER_YEAR_MIN, LEDGER_YEAR_MAX, &year,
				  &have_year);
	if (!rc)
		rc = req_json_bool(r, body, "commit", &commit, NULL);
	if (rc)
		return rc;
	if (!source)
		source = "self_check";
	if (!have_year) {
		char today[PERIOD_DATE_SIZE];
		problem_today(today, sizeof(today));
		year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 +
		       (today[3] - '0');
	}
	const char *text = NULL;
	size_t len = 0;
	if (!commit) {
		json_t *tv = json_object_get(body, "text");
		if (!json_is_string(tv))
			return req_fail(r, tv && !json_is_null(tv) ? ZRZ_EBADREQ : ZRZ_EINVAL,
					"text", "请粘贴报告的文本");
		text = json_string_value(tv);
		len = json_string_length(tv);
		if (len > PLAN_SOURCE_MAX)
			return req_fail(r, ZRZ_ETOOBIG, "text", "文本不能超过 1 MiB");
		if (strlen(text) != len || !utf8_valid_text(text, len))
			return req_fail(r, ZRZ_EINVAL, "text", "文本含有无效的控制字符");
		if (str_blank(text))
			return req_fail(r, ZRZ_EINVAL, "text", "请粘贴报告的文本");
	}
	struct db *db;
	rc = commit ? api_begin(r, &db) : api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct derr e = {0};
	if (!commit) {
		json_t *preview;
		rc = problem_import_preview(r->arena, text, len, (int)year, &preview, &e);
		if (rc)
			return api_fail(r, rc, &e);
		json_object_set_new(preview, "source", json_string(source));
		return req_reply_json(r, 200, preview);
	}
	int64_t *ids;
	int n;
	rc = problem_import_commit(db, r->arena, &api_who(r)->actor, org_id, source,
				   json_object_get(body, "problems"), &ids, &n, &e);
	if (rc)
		return api_fail(r, rc, &e);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		struct problem p;
		rc = problem_get(db, r->arena, ids[i], &p);
		if (rc) {
			json_decref(arr);
			return req_fail(r, rc, NULL, NULL);
		}
		json_array_append_new(arr, problem_json(&p));
	}
	rc = api_commit(r);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	return req_reply_json(r, 201, json_page(arr, n));
}

/* ---- measures ---- */

static int parse_measure(struct req *r, json_t *body, bool patch, struct measure *m)
{
	int rc = str_field(r, body, "text", patch, true, MEASURE_TEXT_MAX, &m->text);
	if (!rc && (!patch || json_object_get(body, "owner_id"))) {
		json_t *v = json_object_get(body, "owner_id");
		if (!v || json_is_null(v))
			m->owner_id = 0;
		else
			rc = api_json_id(r, body, "owner_id", false, &m->owner_id, NULL);
	}
	if (!rc)
		rc = str_field(r, body, "deadline", patch, true, 10, &m->deadline);
	if (!rc)
		rc = enum_field(r, body, "status", patch, false, measure_statuses, &m->status);
	if (!rc)
		rc = str_field(r, body, "done_on", patch, false, 10, &m->done_on);
	if (!rc && m->done_on && !*m->done_on)
		m->done_on = NULL;
	return rc;
}

static int reply_measure(struct req *r, int status, const struct measure *m)
{
	char today[PERIOD_DATE_SIZE];
	problem_today(today, sizeof(today));
	json_t *j = measure_json(m, today);
	int rc = api_commit(r);
	if (rc) {
		json_decref(j);
		return rc;
	}
	return req_reply_json(r, status, j);
}

int api_measure_create(struct req *r)
{
	static const char *const keys[] = {"text", "owner_id", "deadline", "status", "done_on",
					   NULL};
	json_t *body;
	int64_t id;
	struct measure m = {0};
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = parse_measure(r, body, false, &m);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct problem p;
	rc = editable_problem(r, db, id, &p);
	if (rc)
		return rc;
	struct measure out;
	struct derr e = {0};
	rc = measure_add(db, r->arena, &api_who(r)->actor, &p, &m, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_measure(r, 201, &out);
}

/* Measure id and its problem, which the caller sees. */
static int visible_measure(struct req *r, struct db *db, int64_t id, struct measure *m,
			   struct problem *p, struct org *o)
{
	int rc = measure_get(db, r->arena, id, m);
	if (rc == ZRZ_ENOTFOUND || (!rc && m->deleted_at))
		return req_fail(r, ZRZ_ENOTFOUND, "id", "措施不存在或不在您的权限范围内");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	rc = visible_problem(r, db, m->problem_id, "id", p, o);
	if (rc == ZRZ_ENOTFOUND)
		r->err_msg = "措施不存在或不在您的权限范围内";
	return rc;
}

int api_measure_update(struct req *r)
{
	static const char *const keys[] = {"text", "owner_id", "deadline", "status", "done_on",
					   NULL};
	static const char *const owner_keys[] = {"status", "done_on", NULL};
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
	struct measure cur;
	struct problem p;
	struct org o;
	rc = visible_measure(r, db, id, &cur, &p, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, EDITORS)) {
		/* The owner of the measure reports its progress, nothing else. */
		const char *key;
		json_t *v;
		bool owner_only = cur.owner_id && cur.owner_id == api_who(r)->user.id;
		json_object_foreach(body, key, v) {
			bool ok = false;
			for (int i = 0; owner_keys[i]; i++)
				ok = ok || !strcmp(key, owner_keys[i]);
			owner_only = owner_only && ok;
		}
		if (!owner_only)
			return req_fail(r, ZRZ_EFORBIDDEN, NULL,
					"只有本单位的办公室、书记、班子成员或措施责任人可以修改措施");
	}
	struct measure next = cur;
	rc = parse_measure(r, body, true, &next);
	if (rc)
		return rc;
	/* A status sent without done_on: a measure no longer done loses its
	 * done date, one done now is done today (measure_update fills it). */
	if (json_object_get(body, "status") && !json_object_get(body, "done_on") &&
	    (strcmp(next.status, "done") != 0 || strcmp(cur.status, "done") != 0))
		next.done_on = NULL;
	struct measure out;
	struct derr e = {0};
	rc = measure_update(db, r->arena, &api_who(r)->actor, &p, &cur, &next, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_measure(r, 200, &out);
}

int api_measure_delete(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct measure cur;
	struct problem p;
	struct org o;
	rc = visible_measure(r, db, id, &cur, &p, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct derr e = {0};
	rc = measure_remove(db, r->arena, &api_who(r)->actor, &p, &cur, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_empty(r);
}

/* ---- evidence ---- */

int api_evidence_list(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct problem p;
	struct org o;
	rc = visible_problem(r, db, id, "id", &p, &o);
	if (rc)
		return rc;
	struct problem_evidence *t;
	int n;
	rc = evidence_list(db, r->arena, id, &t, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, evidence_json(&t[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

int api_evidence_upload(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct problem p;
	/* Scope first: nobody learns how their file was judged for a problem
	 * they may not touch. */
	rc = editable_problem(r, db, id, &p);
	if (rc)
		return rc;
	struct multipart_part *parts;
	int nparts;
	rc = req_multipart(r, ATTACHMENT_FILES_MAX, &parts, &nparts);
	if (rc)
		return rc;
	struct attachment_file *files = arena_alloc(r->arena, sizeof(*files) * (size_t)nparts);
	for (int i = 0; i < nparts; i++) {
		const struct multipart_part *x = &parts[i];
		if (strcmp(x->name, "file") != 0)
			return req_fail(r, ZRZ_EBADREQ, "file", "只认识名为 “file” 的部分");
		if (!x->filename)
			return req_fail(r, ZRZ_EINVAL, "file", "“file” 部分应为上传的文件（需有文件名）");
		struct derr e = {0};
		rc = attachment_prepare(api_app(r), r->arena, x->filename, x->data, x->len,
					&files[i], &e);
		if (rc)
			return api_fail(r, rc, &e);
	}
	rc = api_begin(r, &db);
	if (!rc)
		rc = editable_problem(r, db, id, &p);
	if (rc)
		return rc;
	json_t *arr = json_array();
	arena_on_release(r->arena, (void (*)(void *))json_decref, arr);
	for (int i = 0; i < nparts; i++) {
		struct problem_evidence t;
		bool existed;
		struct derr e = {0};
		/* Each file sees the status the previous one left. */
		rc = problem_get(db, r->arena, id, &p);
		if (rc)
			return req_fail(r, rc, NULL, NULL);
		rc = evidence_add(db, r->arena, &api_who(r)->actor, &p, &files[i], &t, &existed,
				  &e);
		if (rc)
			return api_fail(r, rc, &e);
		json_t *j = evidence_json(&t);
		json_object_set_new(j, "duplicate", json_boolean(existed));
		json_array_append_new(arr, j);
	}
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, json_page(json_incref(arr), nparts));
}

int api_evidence_delete(struct req *r)
{
	int64_t id, eid;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_param_id(r, "eid", &eid);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct problem p;
	rc = editable_problem(r, db, id, &p);
	if (rc)
		return rc;
	struct problem_evidence t;
	rc = evidence_get(db, r->arena, eid, &t);
	if (rc == ZRZ_ENOTFOUND || (!rc && (t.problem_id != id || t.deleted_at)))
		return req_fail(r, ZRZ_ENOTFOUND, "eid", "证明材料不存在");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	struct derr e = {0};
	rc = evidence_remove(db, r->arena, &api_who(r)->actor, &p, &t, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_empty(r);
}

int api_evidence_download(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct problem_evidence t;
	rc = evidence_get(db, r->arena, id, &t);
	if (rc == ZRZ_ENOTFOUND || (!rc && t.deleted_at))
		return req_fail(r, ZRZ_ENOTFOUND, "id", "证明材料不存在或不在您的权限范围内");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	struct problem p;
	struct org o;
	rc = visible_problem(r, db, t.problem_id, "id", &p, &o);
	if (rc)
		return rc;
	const void *data;
	size_t n;
	rc = evidence_data(db, r->arena, &t, &data, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	req_add_header(r, "Content-Disposition", api_disposition(r->arena, t.name));
	return req_reply_bytes(r, 200, t.mime, data, n);
}

/* ---- the superior's decisions ---- */

/* Close (or send back) the problem of the path with the opinion of body. */
static int decide(struct req *r, json_t *body, bool close)
{
	int64_t id;
	const char *opinion;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json_str(r, body, "opinion", true, 1, PROBLEM_OPINION_MAX, &opinion);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct problem p;
	struct org o, up;
	rc = visible_problem(r, db, id, "id", &p, &o);
	if (rc)
		return rc;
	if (!superior_of(r, db, &o, &up))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL,
				close ? "只有上级单位的办公室、书记或班子成员可以销号"
				      : "只有上级单位的办公室、书记或班子成员可以退回");
	struct problem out;
	struct derr e = {0};
	rc = close ? problem_close(db, r->arena, &api_who(r)->actor, up.id, &p, opinion, &out, &e)
		   : problem_reopen(db, r->arena, &api_who(r)->actor, up.id, &p, opinion, &out,
				    &e);
	if (rc)
		return api_fail(r, rc, &e);
	return reply_detail(r, db, 200, id, true);
}

int api_problem_close(struct req *r)
{
	static const char *const keys[] = {"opinion", NULL};
	json_t *body;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	return rc ? rc : decide(r, body, true);
}

int api_problem_reopen(struct req *r)
{
	static const char *const keys[] = {"opinion", NULL};
	json_t *body;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	return rc ? rc : decide(r, body, false);
}

/*
 * /api/v1/record-kinds, /api/v1/records, /api/v1/obligations and
 * /api/v1/compliance: the ledger (台账) of a unit, its obligations and how
 * far each is met.  Everyone who sees a unit reads its records, obligations
 * and compliance; its office, secretary or leaders keep the records (and
 * only its office sees and lists deleted ones); its secretary or office
 * manage its obligations.  A record or obligation outside the caller's
 * scope answers 404, exactly as one that does not exist.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/ztime.h"
#include "api/api.h"
#include "api/export_api.h"
#include "domain/dictionary.h"
#include "domain/compliance.h"
#include "domain/ledger.h"
#include "domain/obligation.h"
#include "domain/org.h"
#include "domain/period.h"
#include "domain/plan.h"

#define RECORD_EDITORS (ROLE_OFFICE | ROLE_SECRETARY | ROLE_LEADER)
#define OBLIGATION_EDITORS (ROLE_SECRETARY | ROLE_OFFICE)
#define LONG_TEXT_MAX 20000
#define COUNT_MAX 1000000

static const char NO_RECORD[] = "记录不存在或不在您的权限范围内";
static const char NOT_EDITOR[] = "只有本单位的办公室、书记或班子成员可以维护台账";

/* Load record id if the caller sees its unit; a deleted record only for
 * those who may restore it. */
static int visible_record(struct req *r, struct db *db, int64_t id, struct record *rec,
			  struct org *o)
{
	int rc = ledger_get(db, r->arena, id, rec);
	if (!rc)
		rc = org_get(db, r->arena, rec->org_id, o);
	if (rc == ZRZ_ENOTFOUND ||
	    (!rc && (!scope_sees(api_who(r), o->path) ||
		     (rec->deleted_at && !scope_can(api_who(r), o->path, RECORD_EDITORS)))))
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_RECORD);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return ZRZ_OK;
}

/* The record as JSON with the plan items it is linked to. */
static json_t *record_json_linked(struct req *r, struct db *db, const struct record *rec)
{
	json_t *j = ledger_record_json(rec);
	int64_t *ids;
	int n;
	json_t *arr = json_array();
	if (!plan_links_get(db, r->arena, rec->id, &ids, &n))
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, json_integer(ids[i]));
	json_object_set_new(j, "plan_item_ids", arr);
	return j;
}

/* Replace the record's links to plan items when the body names them. */
static int set_links(struct req *r, struct db *db, json_t *body, const struct record *rec)
{
	json_t *v = json_object_get(body, "plan_item_ids");
	if (!v)
		return ZRZ_OK;
	json_t *none = NULL;
	if (json_is_null(v)) {
		none = json_array();
		v = none;
	}
	int64_t *ids;
	int n;
	struct derr e = {0};
	int rc = plan_links_check(db, r->arena, rec->org_id, v, &ids, &n, &e);
	if (!rc)
		rc = plan_links_set(db, &api_who(r)->actor, rec->org_id, rec->id, ids, n);
	json_decref(none);
	return rc ? api_fail(r, rc, &e) : ZRZ_OK;
}

/* A string field of the body: on create every field, on a patch only those
 * present.  kind, date and title may never be null. */
static int text_field(struct req *r, json_t *body, const char *key, bool patch, bool required,
		      size_t max, const char **out)
{
	if (patch && !json_object_get(body, key))
		return ZRZ_OK;
	int rc = req_json_str(r, body, key, required, required ? 1 : 0, max, out);
	if (rc && !strcmp(key, "title"))
		r->err_msg = rc == ZRZ_EBADREQ ? "标题应为文本" : "标题应为 1 至 200 个字";
	return rc;
}

static int count_field(struct req *r, json_t *body, const char *key, bool patch, int64_t *out)
{
	if (patch && !json_object_get(body, key))
		return ZRZ_OK;
	int64_t v = -1;
	bool present;
	int rc = req_json_int(r, body, key, false, 0, COUNT_MAX, &v, &present);
	if (rc)
		return rc;
	*out = present ? v : -1;
	return ZRZ_OK;
}

/* A list field: NULL when absent (patch: keep), [] when null. */
static json_t *list_field(struct req *r, json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	if (!v)
		return NULL;
	if (json_is_null(v)) {
		v = json_array();
		arena_on_release(r->arena, (void (*)(void *))json_decref, v);
	}
	return v;
}

/* The fields of a record from body over rec (all of them unless patch). */
static int parse_record(struct req *r, json_t *body, bool patch, struct record *rec,
			json_t **participants, json_t **absentees)
{
	int rc = text_field(r, body, "kind", patch, true, 50, &rec->kind);
	if (!rc)
		rc = text_field(r, body, "date", patch, true, 20, &rec->date);
	if (!rc)
		rc = text_field(r, body, "title", patch, true, LEDGER_TITLE_MAX, &rec->title);
	if (!rc)
		rc = text_field(r, body, "place", patch, false, 200, &rec->place);
	if (!rc)
		rc = text_field(r, body, "host", patch, false, 50, &rec->host);
	if (!rc)
		rc = text_field(r, body, "agenda", patch, false, LONG_TEXT_MAX, &rec->agenda);
	if (!rc)
		rc = text_field(r, body, "minutes", patch, false, LONG_TEXT_MAX, &rec->minutes);
	if (!rc)
		rc = text_field(r, body, "resolutions", patch, false, LONG_TEXT_MAX,
				&rec->resolutions);
	if (!rc)
		rc = count_field(r, body, "expected", patch, &rec->expected);
	if (!rc)
		rc = count_field(r, body, "attended", patch, &rec->attended);
	if (rc)
		return rc;
	*participants = list_field(r, body, "participants");
	*absentees = list_field(r, body, "absentees");
	return ZRZ_OK;
}

int api_record_kind_list(struct req *r)
{
	struct db *db;
	int rc = api_db(r, &db);
	if (rc)
		return rc;
	struct record_kind *items;
	int n;
	rc = ledger_kinds(db, r->arena, &items, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, ledger_kind_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

int api_record_list(struct req *r)
{
	int64_t org_id, offset, limit;
	bool subtree, deleted;
	struct record_filter f = {0};
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_bool(r, "subtree", &subtree);
	if (!rc)
		rc = req_query_str(r, "kind", 50, &f.kind);
	if (!rc)
		rc = req_query_str(r, "from", 10, &f.from);
	if (!rc)
		rc = req_query_str(r, "to", 10, &f.to);
	if (!rc)
		rc = req_query_str(r, "q", 50, &f.q);
	if (!rc)
		rc = req_query_bool(r, "deleted", &deleted);
	if (!rc) {
		/* Absent: records with or without attachments. */
		bool with;
		const char *v = req_query(r, "has_attachments");
		rc = req_query_bool(r, "has_attachments", &with);
		if (!rc && v && *v)
			f.has_attachments = with ? 1 : -1;
	}
	if (!rc)
		rc = req_page(r, &offset, &limit);
	bool xlsx = false;
	if (!rc)
		rc = api_query_format(r, "format", &xlsx);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	if (f.from && !ledger_date_valid(f.from))
		return req_fail(r, ZRZ_EINVAL, "from", "开始日期应为真实的日期 (YYYY-MM-DD)");
	if (f.to && !ledger_date_valid(f.to))
		return req_fail(r, ZRZ_EINVAL, "to", "结束日期应为真实的日期 (YYYY-MM-DD)");
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
	const struct principal *p = api_who(r);
	unsigned roles = deleted ? ROLE_OFFICE : ROLE_ANY;
	if (deleted && !scope_can(p, o.path, ROLE_OFFICE))
		return req_fail(r, ZRZ_EFORBIDDEN, "deleted", "只有本单位的办公室可以查看已删除的记录");
	if (subtree && !scope_covers_subtree(p, o.path, roles))
		return req_fail(r, ZRZ_EFORBIDDEN, "subtree", "您的权限不包括下级单位");
	f.org_id = org_id;
	f.path = subtree ? o.path : NULL;
	f.deleted = deleted;
	if (xlsx)
		return api_export_records(r, db, &o, &f);
	/* Written row by row from the statement: building the page as jansson
	 * values cost more than the query (bench/README.md). */
	struct jw w = JW_INIT;
	rc = ledger_list_write(db, r->arena, &f, offset, limit, &w);
	if (rc) {
		jw_release(&w);
		return req_fail(r, rc, NULL, NULL);
	}
	size_t len;
	char *text = buf_detach(&w.b, &len);
	return req_reply_json_text(r, 200, text, len);
}

int api_record_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct record rec;
	struct org o;
	rc = visible_record(r, db, id, &rec, &o);
	if (rc)
		return rc;
	return req_reply_json(r, 200, record_json_linked(r, db, &rec));
}

int api_record_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "kind", "date", "title", "place",
					   "host", "participants", "expected", "attended",
					   "absentees", "agenda", "minutes", "resolutions",
					   "plan_item_ids", NULL};
	json_t *body, *participants, *absentees;
	struct record rec = {0};
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &rec.org_id, NULL);
	if (!rc)
		rc = parse_record(r, body, false, &rec, &participants, &absentees);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, rec.org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, RECORD_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct record out;
	struct derr e = {0};
	rc = ledger_create(db, r->arena, &api_who(r)->actor, &rec, participants, absentees, &out,
			   &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = set_links(r, db, body, &out);
	if (rc)
		return rc;
	json_t *j = record_json_linked(r, db, &out);
	rc = api_commit(r);
	if (rc) {
		json_decref(j);
		return rc;
	}
	return req_reply_json(r, 201, j);
}

int api_record_update(struct req *r)
{
	static const char *const keys[] = {"kind", "date", "title", "place", "host",
					   "participants", "expected", "attended", "absentees",
					   "agenda", "minutes", "resolutions", "plan_item_ids",
					   NULL};
	json_t *body, *participants, *absentees;
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
	struct record cur;
	struct org o;
	rc = visible_record(r, db, id, &cur, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, RECORD_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct record next = cur;
	rc = parse_record(r, body, true, &next, &participants, &absentees);
	if (rc)
		return rc;
	struct record out;
	struct derr e = {0};
	rc = ledger_update(db, r->arena, &api_who(r)->actor, &cur, &next, participants, absentees,
			   &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = set_links(r, db, body, &out);
	if (rc)
		return rc;
	json_t *j = record_json_linked(r, db, &out);
	rc = api_commit(r);
	if (rc) {
		json_decref(j);
		return rc;
	}
	return req_reply_json(r, 200, j);
}

int api_record_delete(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct record cur;
	struct org o;
	rc = visible_record(r, db, id, &cur, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, RECORD_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct derr e = {0};
	rc = ledger_delete(db, r->arena, &api_who(r)->actor, &cur, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_empty(r);
}

int api_record_restore(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct record cur;
	struct org o;
	rc = visible_record(r, db, id, &cur, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, RECORD_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	struct record out;
	struct derr e = {0};
	rc = ledger_restore(db, r->arena, &api_who(r)->actor, &cur, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 200, ledger_record_json(&out));
}

/* ---- obligations ---- */

int api_obligation_list(struct req *r)
{
	int64_t org_id, year;
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_int(r, "year", LEDGER_YEAR_MIN, LEDGER_YEAR_MAX, 0, &year);
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
	struct obligation *items;
	int n;
	rc = obligation_list(db, r->arena, org_id, year, &items, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, obligation_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

int api_obligation_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "kind", "min", "period", "year",
					   "plan_item_id", NULL};
	json_t *body;
	struct obligation ob = {0};
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &ob.org_id, NULL);
	if (!rc)
		rc = req_json_str(r, body, "kind", true, 1, 50, &ob.kind);
	if (!rc)
		rc = req_json_int(r, body, "min", true, 1, OBLIGATION_MIN_MAX, &ob.min, NULL);
	if (!rc)
		rc = req_json_enum(r, body, "period", true, obligation_periods, &ob.period);
	if (!rc)
		rc = req_json_int(r, body, "year", true, LEDGER_YEAR_MIN, LEDGER_YEAR_MAX, &ob.year,
				  NULL);
	if (!rc)
		rc = api_json_id(r, body, "plan_item_id", false, &ob.plan_item_id, NULL);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, ob.org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, OBLIGATION_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有本单位的书记或办公室可以维护指标");
	struct obligation out;
	struct derr e = {0};
	rc = obligation_create(db, r->arena, &api_who(r)->actor, &ob, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, obligation_json(&out));
}

int api_obligation_delete(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct obligation ob;
	struct org o;
	rc = obligation_get(db, r->arena, id, &ob);
	if (!rc)
		rc = org_get(db, r->arena, ob.org_id, &o);
	if (rc == ZRZ_ENOTFOUND || (!rc && !scope_sees(api_who(r), o.path)))
		return req_fail(r, ZRZ_ENOTFOUND, "id", "指标不存在或不在您的权限范围内");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	if (!scope_can(api_who(r), o.path, OBLIGATION_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有本单位的书记或办公室可以维护指标");
	rc = obligation_delete(db, &api_who(r)->actor, &ob);
	if (!rc)
		rc = api_commit(r);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_empty(r);
}

/* ---- compliance ---- */

/* The rows offset..offset+limit of a rollup walked whole, copied. */
struct rollup_page {
	struct arena *a;
	int64_t offset, limit;
	struct rollup_row *rows;
	int n;
	int64_t seen;
};

static int page_row(void *ctx, const struct rollup_row *row)
{
	struct rollup_page *pg = ctx;
	int64_t at = pg->seen++;
	if (at < pg->offset || at >= pg->offset + pg->limit)
		return ZRZ_OK;
	if (!pg->rows)
		pg->rows = arena_alloc(pg->a, sizeof(*pg->rows) * (size_t)pg->limit);
	struct unit_obligation *ob = arena_alloc(pg->a, sizeof(*ob));
	*ob = *row->ob;
	ob->o.kind = arena_strdup(pg->a, row->ob->o.kind);
	ob->org_name = arena_strdup(pg->a, row->ob->org_name);
	ob->org_path = arena_strdup(pg->a, row->ob->org_path);
	pg->rows[pg->n] = *row;
	pg->rows[pg->n++].ob = ob;
	return ZRZ_OK;
}

int api_compliance(struct req *r)
{
	int64_t org_id, year;
	const char *as_of;
	int today = period_day_of_time(time_now());
	const int real_today = today;
	char date[PERIOD_DATE_SIZE];
	period_day_format(today, date, sizeof(date));
	int64_t this_year = (date[0] - '0') * 1000 + (date[1] - '0') * 100 +
			    (date[2] - '0') * 10 + (date[3] - '0');
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_int(r, "year", LEDGER_YEAR_MIN, LEDGER_YEAR_MAX, this_year, &year);
	if (!rc)
		rc = req_query_str(r, "as_of", 10, &as_of);
	bool rollup = false, xlsx = false;
	if (!rc)
		rc = req_query_bool(r, "rollup", &rollup);
	if (!rc)
		rc = api_query_format(r, "format", &xlsx);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	if (as_of) {
		if (!ledger_date_valid(as_of) || period_day_parse(as_of, &today))
			return req_fail(r, ZRZ_EINVAL, "as_of", "截至日期应为真实的日期 (YYYY-MM-DD)");
		period_day_format(today, date, sizeof(date));
	}
	/* The rollup's own parameters: one period, the order, the page. */
	const char *period_key = NULL, *sort = NULL;
	int64_t offset = 0, limit = 0;
	struct period only;
	enum rollup_sort order = ROLLUP_SORT_BEHIND;
	if (rollup) {
		rc = req_query_str(r, "period", 10, &period_key);
		if (!rc)
			rc = req_query_str(r, "sort", 10, &sort);
		if (!rc)
			rc = req_page(r, &offset, &limit);
		if (rc)
			return rc;
		if (period_key && (period_parse(period_key, &only) || only.year != year))
			return req_fail(r, ZRZ_EINVAL, "period",
					"周期应为该年度的周期，如 2023、2023-H1、2023-Q3、2023-07、2023-W14");
		if (sort && !strcmp(sort, "org"))
			order = ROLLUP_SORT_ORG;
		else if (sort && strcmp(sort, "behind"))
			return req_fail(r, ZRZ_EINVAL, "sort", "排序应为 behind 或 org");
	}
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (rollup) {
		if (!scope_covers_subtree(api_who(r), o.path, ROLE_ANY))
			return req_fail(r, ZRZ_EFORBIDDEN, "rollup", "您的权限不包括下级单位");
		if (xlsx)
			return api_export_rollup(r, db, &o, (int)year, today,
						 period_key ? &only : NULL, order);
		struct rollup_row *rr;
		int nr;
		int64_t total;
		struct derr e = {0};
		if (today == real_today) {
			/* Today's rollup: a page of the rows kept ready. */
			rc = compliance_rollup_page(db, r->arena, o.id, o.path, (int)year, today,
						    period_key ? &only : NULL, order, offset, limit,
						    &rr, &nr, &total);
			offset = 0;
		} else {
			/* As of another day: every kept row assessed for that day and
			 * ordered by it, the page kept. */
			struct rollup_page pg = {r->arena, offset, limit, NULL, 0, 0};
			rc = compliance_rollup_each(db, o.path, (int)year, today,
						    period_key ? &only : NULL, order, page_row, &pg);
			rr = pg.rows;
			nr = pg.n;
			total = pg.seen;
			offset = 0;
		}
		if (rc)
			return api_fail(r, rc, &e);
		struct record_kind *kinds;
		int nkinds;
		rc = ledger_kinds(db, r->arena, &kinds, &nkinds);
		if (rc)
			return req_fail(r, rc, NULL, NULL);
		json_t *arr = json_array();
		for (int64_t i = offset; i < nr && i < offset + limit; i++)
			json_array_append_new(arr, rollup_row_json(&rr[i], kinds, nkinds));
		json_t *j = json_page(arr, total);
		json_object_set_new(j, "org_id", json_integer(org_id));
		json_object_set_new(j, "year", json_integer(year));
		json_object_set_new(j, "as_of", json_string(date));
		json_object_set_new(j, "rollup", json_true());
		json_object_set_new(j, "sort", json_string(order == ROLLUP_SORT_ORG ? "org" : "behind"));
		return req_reply_json(r, 200, j);
	}
	if (xlsx)
		return api_export_compliance(r, db, &o, (int)year, today);
	struct compliance_row *rows;
	int n;
	rc = compliance_of(db, r->arena, org_id, (int)year, today, &rows, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, compliance_row_json(&rows[i]));
	json_t *j = json_page(arr, n);
	json_object_set_new(j, "org_id", json_integer(org_id));
	json_object_set_new(j, "year", json_integer(year));
	json_object_set_new(j, "as_of", json_string(date));
	return req_reply_json(r, 200, j);
}

/* ---- obligation templates ---- */

int api_obligation_template_list(struct req *r)
{
	json_t *arr = json_array();
	for (int i = 0; i < obligation_template_count; i++)
		json_array_append_new(arr, obligation_template_json(&obligation_templates[i]));
	return req_reply_json(r, 200, json_page(arr, obligation_template_count));
}

int api_obligation_adopt(struct req *r)
{
	static const char *const keys[] = {"org_id", "year", "template", NULL};
	json_t *body;
	int64_t org_id = 0, year = 0;
	const char *code;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &org_id, NULL);
	if (!rc)
		rc = req_json_int(r, body, "year", true, LEDGER_YEAR_MIN, LEDGER_YEAR_MAX, &year,
				  NULL);
	if (!rc)
		rc = req_json_str(r, body, "template", true, 1, 50, &code);
	if (rc)
		return rc;
	const struct obligation_template *t = obligation_template_find(code);
	if (!t)
		return req_fail(r, ZRZ_EINVAL, "template", "指标模板不存在");
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, OBLIGATION_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有本单位的书记或办公室可以维护指标");
	struct obligation *made;
	int *skipped;
	int nmade, nskipped;
	struct derr e = {0};
	rc = obligation_adopt(db, r->arena, &api_who(r)->actor, org_id, year, t, &made, &nmade,
			      &skipped, &nskipped, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	json_t *created = json_array(), *skip = json_array();
	for (int i = 0; i < nmade; i++)
		json_array_append_new(created, obligation_json(&made[i]));
	for (int i = 0; i < nskipped; i++) {
		const struct obligation_template_item *it = &t->items[skipped[i]];
		json_array_append_new(skip, json_pack("{s:s, s:i, s:s}", "kind", it->kind, "min",
						      it->min, "period", it->period));
	}
	return req_reply_json(r, 200,
			      json_pack("{s:I, s:I, s:s, s:o, s:o}", "org_id", (json_int_t)org_id,
					"year", (json_int_t)year, "template", t->code, "created",
					created, "skipped", skip));
}

int api_record_versions(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct record rec;
	struct org o;
	rc = visible_record(r, db, id, &rec, &o);
	if (rc)
		return rc;
	json_t *items;
	rc = dictionary_record_versions(db, r->arena, id, &items);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_json(r, 200, json_page(items, (int64_t)json_array_size(items)));
}

/*
 * Rules of the rectification ledger.  The status of a problem is derived,
 * in the same transaction as every change of its measures or evidence, by
 * one function (derive): closed stays closed; no live measure is todo;
 * every measure done and at least one evidence file is done; anything else
 * is doing.  A problem the superior sent back stays doing until the unit
 * changes a measure or its evidence again.  Evidence reuses the contents of
 * the ledger's attachments (stored once by SHA-256, typed by libmagic) with
 * a link table of its own.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/ledger.h"
#include "domain/period.h"
#include "domain/plan_import.h"
#include "domain/problem.h"
#include "domain/user.h"
#include "store/repo.h"

const char *const problem_sources[] = {"self_check", "inspection", "assessment", "supervision",
				       "analysis", NULL};
const char *const problem_statuses[] = {"todo", "doing", "done", "closed", NULL};
const char *const measure_statuses[] = {"todo", "doing", "done", NULL};

void problem_today(char *out, size_t n)
{
	period_day_format(period_day_of_time(time_now()), out, n);
}

static bool one_of(const char *s, const char *const *values)
{
	for (int i = 0; s && values[i]; i++)
		if (!strcmp(s, values[i]))
			return true;
	return false;
}

static bool line_valid(const char *s, size_t max)
{
	size_t n = strlen(s);
	return utf8_valid_text(s, n) && !strchr(s, '\n') && !strchr(s, '\r') && !str_blank(s) &&
	       utf8_count(s, n) <= max;
}

static bool text_valid(const char *s, size_t max)
{
	size_t n = strlen(s);
	return utf8_valid_text(s, n) && utf8_count(s, n) <= max;
}

static bool same(const char *x, const char *y)
{
	if (!x || !y)
		return x == y;
	return strcmp(x, y) == 0;
}

static json_t *opt_text(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *opt_time(int64_t t)
{
	char buf[32];
	if (!t)
		return json_null();
	time_format_rfc3339(t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *opt_id(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

int problem_get(struct db *db, struct arena *a, int64_t id, struct problem *out)
{
	char today[PERIOD_DATE_SIZE];
	problem_today(today, sizeof(today));
	return store_problem_get(db, a, id, today, out);
}

int problem_list(struct db *db, struct arena *a, const struct problem_filter *f,
		 int64_t offset, int64_t limit, struct problem **items, int *n, int64_t *total)
{
	struct problem_filter g = *f;
	char today[PERIOD_DATE_SIZE];
	if (!g.today) {
		problem_today(today, sizeof(today));
		g.today = today;
	}
	return store_problem_list(db, a, &g, offset, limit, items, n, total);
}

int problem_rollup(struct db *db, struct arena *a, const struct org *o,
		   struct problem_rollup_row **rows, int *n)
{
	char today[PERIOD_DATE_SIZE];
	problem_today(today, sizeof(today));
	return store_problem_rollup(db, a, o->id, o->path, today, rows, n);
}

static int check_problem(const struct problem *p, struct derr *e)
{
	if (!one_of(p->source, problem_sources))
		return derr_set(e, ZRZ_EINVAL, "source",
				"问题来源应为 self_check、inspection、assessment、supervision 或 analysis");
	if (!p->title || !line_valid(p->title, PROBLEM_TITLE_MAX))
		return derr_set(e, ZRZ_EINVAL, "title", "问题标题应为 1 至 200 个字，不含换行");
	if (p->description && !text_valid(p->description, PROBLEM_TEXT_MAX))
		return derr_set(e, ZRZ_EINVAL, "description", "问题描述不能超过 20000 个字");
	if (p->category && !line_valid(p->category, PROBLEM_CATEGORY_MAX))
		return derr_set(e, ZRZ_EINVAL, "category", "问题类别应为 1 至 50 个字");
	if (!ledger_date_valid(p->found_on))
		return derr_set(e, ZRZ_EINVAL, "found_on", "发现日期应为 2000 至 2100 年间真实的日期");
	return ZRZ_OK;
}

int problem_create(struct db *db, struct arena *a, const struct actor *who,
		   const struct problem *p, struct problem *out, struct derr *e)
{
	int rc = check_problem(p, e);
	if (rc)
		return rc;
	int64_t id;
	rc = store_problem_insert(db, p, who->user_id, time_now(), &id);
	if (!rc)
		rc = problem_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, p->org_id, "problem.create", "problem", id,
			 json_pack("{s:s, s:s, s:s, s:o}", "source", p->source, "title", p->title,
				   "found_on", p->found_on, "analysis_id", opt_id(p->analysis_id)));
}

static int refuse_closed(const struct problem *p, struct derr *e)
{
	if (!strcmp(p->status, "closed"))
		return derr_set(e, ZRZ_ECONFLICT, "id", "问题已销号，不能再修改");
	return ZRZ_OK;
}

int problem_update(struct db *db, struct arena *a, const struct actor *who,
		   const struct problem *cur, const struct problem *next, struct problem *out,
		   struct derr *e)
{
	int rc = refuse_closed(cur, e);
	if (!rc)
		rc = check_problem(next, e);
	if (rc)
		return rc;
	json_t *d = json_object();
	const char *keys[] = {"source", "category", "title", "description", "found_on"};
	const char *olds[] = {cur->source, cur->category, cur->title, cur->description,
			      cur->found_on};
	const char *news[] = {next->source, next->category, next->title, next->description,
			      next->found_on};
	for (int i = 0; i < 5; i++)
		if (!same(olds[i], news[i]))
			json_object_set_new(d, keys[i],
					    i == 3 ? json_true()
						   : json_pack("[o,o]", opt_text(olds[i]),
							       opt_text(news[i])));
	if (json_object_size(d) == 0) {
		json_decref(d);
		*out = *cur;
		return ZRZ_OK;
	}
	struct problem p = *next;
	p.id = cur->id;
	rc = store_problem_update(db, &p, time_now());
	if (!rc)
		rc = problem_get(db, a, cur->id, out);
	if (rc) {
		json_decref(d);
		return rc;
	}
	return audit_log(db, who, cur->org_id, "problem.update", "problem", cur->id, d);
}

/*
 * The status problem id should have now, set when it differs; *status_out
 * (may be NULL) gets it and *changed whether it moved.
 */
static int derive(struct db *db, struct arena *a, int64_t id, const char **status_out,
		  bool *changed)
{
	struct problem p;
	int rc = problem_get(db, a, id, &p);
	if (rc)
		return rc;
	const char *s = p.status;
	if (strcmp(p.status, "closed") != 0) {
		if (p.measures == 0)
			s = "todo";
		else if (p.done_measures == p.measures && p.evidence > 0)
			s = "done";
		else
			s = "doing";
	}
	*changed = strcmp(s, p.status) != 0;
	if (*changed)
		rc = store_problem_set_status(db, id, s, 0, 0, time_now());
	if (status_out)
		*status_out = s;
	return rc;
}

/* Derive the status of p and note it in the audit detail d. */
static int derive_into(struct db *db, struct arena *a, const struct problem *p, json_t *d)
{
	const char *s;
	bool changed;
	int rc = derive(db, a, p->id, &s, &changed);
	if (!rc && changed)
		json_object_set_new(d, "status", json_pack("[s,s]", p->status, s));
	return rc;
}

/* ---- measures ---- */

static int check_measure(struct db *db, struct arena *a, const struct problem *p,
			 struct measure *m, struct derr *e)
{
	if (!m->text || !text_valid(m->text, MEASURE_TEXT_MAX) || str_blank(m->text))
		return derr_set(e, ZRZ_EINVAL, "text", "整改措施应为 1 至 2000 个字");
	if (!ledger_date_valid(m->deadline))
		return derr_set(e, ZRZ_EINVAL, "deadline", "整改期限应为 2000 至 2100 年间真实的日期");
	if (!one_of(m->status, measure_statuses))
		return derr_set(e, ZRZ_EINVAL, "status", "措施状态应为 todo、doing 或 done");
	if (m->done_on && !ledger_date_valid(m->done_on))
		return derr_set(e, ZRZ_EINVAL, "done_on", "完成日期应为 2000 至 2100 年间真实的日期");
	if (m->done_on && strcmp(m->status, "done") != 0)
		return derr_set(e, ZRZ_EINVAL, "done_on", "只有已完成的措施才有完成日期");
	if (!strcmp(m->status, "done") && !m->done_on) {
		char today[PERIOD_DATE_SIZE];
		problem_today(today, sizeof(today));
		m->done_on = arena_strdup(a, today);
	}
	if (m->owner_id) {
		struct user u;
		int rc = user_get(db, a, m->owner_id, &u);
		if (rc == ZRZ_ENOTFOUND || (!rc && u.org_id != p->org_id))
			return derr_set(e, ZRZ_EINVAL, "owner_id", "责任人应为本单位的用户");
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

int measure_get(struct db *db, struct arena *a, int64_t id, struct measure *out)
{
	return store_measure_get(db, a, id, out);
}

int measure_list(struct db *db, struct arena *a, int64_t problem_id, struct measure **items,
		 int *n)
{
	return store_measure_list(db, a, problem_id, items, n);
}

int measure_add(struct db *db, struct arena *a, const struct actor *who,
		const struct problem *p, const struct measure *m, struct measure *out,
		struct derr *e)
{
	struct measure x = *m;
	x.problem_id = p->id;
	if (!x.status)
		x.status = "todo";
	int rc = refuse_closed(p, e);
	if (!rc)
		rc = check_measure(db, a, p, &x, e);
	if (rc)
		return rc;
	int64_t id;
	rc = store_measure_insert(db, &x, who->user_id, time_now(), &id);
	if (!rc)
		rc = store_problem_count(db, p->id, 1, 0);
	json_t *d = json_pack("{s:I, s:s, s:s, s:o}", "problem_id", (json_int_t)p->id, "deadline",
			      x.deadline, "status", x.status, "owner_id", opt_id(x.owner_id));
	if (!rc)
		rc = derive_into(db, a, p, d);
	if (!rc)
		rc = store_measure_get(db, a, id, out);
	if (rc) {
		json_decref(d);
		return rc;
	}
	return audit_log(db, who, p->org_id, "measure.create", "measure", id, d);
}

int measure_update(struct db *db, struct arena *a, const struct actor *who,
		   const struct problem *p, const struct measure *cur, const struct measure *next,
		   struct measure *out, struct derr *e)
{
	struct measure x = *next;
	x.id = cur->id;
	x.problem_id = cur->problem_id;
	int rc = refuse_closed(p, e);
	if (!rc)
		rc = check_measure(db, a, p, &x, e);
	if (rc)
		return rc;
	json_t *d = json_pack("{s:I}", "problem_id", (json_int_t)p->id);
	if (!same(cur->text, x.text))
		json_object_set_new(d, "text", json_true());
	const char *keys[] = {"deadline", "done_on", "status"};
	const char *olds[] = {cur->deadline, cur->done_on, cur->status};
	const char *news[] = {x.deadline, x.done_on, x.status};
	for (int i = 0; i < 3; i++)
		if (!same(olds[i], news[i]))
			json_object_set_new(d, keys[i],
					    json_pack("[o,o]", opt_text(olds[i]), opt_text(news[i])));
	if (cur->owner_id != x.owner_id)
		json_object_set_new(d, "owner_id",
				    json_pack("[o,o]", opt_id(cur->owner_id), opt_id(x.owner_id)));
	if (json_object_size(d) == 1) {
		json_decref(d);
		*out = *cur;
		return ZRZ_OK;
	}
	rc = store_measure_update(db, &x, time_now());
	if (!rc)
		rc = derive_into(db, a, p, d);
	if (!rc)
		rc = store_measure_get(db, a, cur->id, out);
	if (rc) {
		json_decref(d);
		return rc;
	}
	return audit_log(db, who, p->org_id, "measure.update", "measure", cur->id, d);
}

int measure_remove(struct db *db, struct arena *a, const struct actor *who,
		   const struct problem *p, const struct measure *cur, struct derr *e)
{
	int rc = refuse_closed(p, e);
	if (rc)
		return rc;
	rc = store_measure_set_deleted(db, cur->id, time_now());
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, "id", "措施已删除");
	if (!rc)
		rc = store_problem_count(db, p->id, -1, 0);
	json_t *d = json_pack("{s:I, s:s}", "problem_id", (json_int_t)p->id, "deadline",
			      cur->deadline);
	if (!rc)
		rc = derive_into(db, a, p, d);
	if (rc) {
		json_decref(d);
		return rc;
	}
	return audit_log(db, who, p->org_id, "measure.delete", "measure", cur->id, d);
}

/* ---- evidence ---- */

int evidence_get(struct db *db, struct arena *a, int64_t id, struct problem_evidence *out)
{
	return store_evidence_get(db, a, id, out);
}

int evidence_list(struct db *db, struct arena *a, int64_t problem_id,
		  struct problem_evidence **items, int *n)
{
	return store_evidence_list(db, a, problem_id, items, n);
}

int evidence_data(struct db *db, struct arena *a, const struct problem_evidence *t,
		  const void **data, size_t *n)
{
	int rc = store_attachment_content_data(db, a, t->sha256, data, n);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

int evidence_add(struct db *db, struct arena *a, const struct actor *who,
		 const struct problem *p, const struct attachment_file *f,
		 struct problem_evidence *out, bool *existed, struct derr *e)
{
	*existed = false;
	int rc = refuse_closed(p, e);
	if (rc)
		return rc;
	const struct attachment_content *c = &f->content;
	rc = store_evidence_find_live(db, a, p->id, c->sha256, out);
	if (!rc) {
		*existed = true;
		return ZRZ_OK;
	}
	if (rc != ZRZ_ENOTFOUND)
		return rc;
	int64_t now = time_now();
	bool stored;
	rc = store_attachment_content_exists(db, c->sha256, &stored);
	if (!rc && !stored)
		rc = store_attachment_content_insert(db, c, now);
	int64_t id = 0;
	if (!rc)
		rc = store_evidence_insert(db, p->id, c->sha256, f->name, who->user_id, now, &id);
	if (!rc)
		rc = store_problem_count(db, p->id, 0, 1);
	json_t *d = json_pack("{s:I, s:s, s:s, s:s, s:b}", "problem_id", (json_int_t)p->id,
			      "name", f->name, "sha256", c->sha256, "mime", c->mime, "stored",
			      !stored);
	if (!rc)
		rc = derive_into(db, a, p, d);
	if (!rc)
		rc = store_evidence_get(db, a, id, out);
	if (rc) {
		json_decref(d);
		return rc;
	}
	return audit_log(db, who, p->org_id, "evidence.create", "evidence", id, d);
}

int evidence_remove(struct db *db, struct arena *a, const struct actor *who,
		    const struct problem *p, const struct problem_evidence *t, struct derr *e)
{
	int rc = refuse_closed(p, e);
	if (rc)
		return rc;
	rc = store_evidence_set_deleted(db, t->id, time_now());
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, "eid", "证明材料已删除");
	if (!rc)
		rc = store_problem_count(db, p->id, 0, -1);
	json_t *d = json_pack("{s:I, s:s, s:s}", "problem_id", (json_int_t)p->id, "name", t->name,
			      "sha256", t->sha256);
	if (!rc)
		rc = derive_into(db, a, p, d);
	if (rc) {
		json_decref(d);
		return rc;
	}
	return audit_log(db, who, p->org_id, "evidence.delete", "evidence", t->id, d);
}

/* ---- the superior's decisions ---- */

static int decide(struct db *db, struct arena *a, const struct actor *who, int64_t superior_id,
		  const struct problem *p, const char *opinion, bool close, struct problem *out,
		  struct derr *e)
{
	if (!strcmp(p->status, "closed"))
		return derr_set(e, ZRZ_ECONFLICT, "id", "问题已销号");
	if (strcmp(p->status, "done") != 0)
		return derr_set(e, ZRZ_ECONFLICT, "id",
				close ? "问题尚未整改完成（措施全部完成并有证明材料），不能销号"
				      : "只有已完成的问题可以退回");
	if (!opinion || !text_valid(opinion, PROBLEM_OPINION_MAX) || str_blank(opinion))
		return derr_set(e, ZRZ_EINVAL, "opinion",
				close ? "请填写销号意见（1 至 2000 个字）" : "请填写退回理由（1 至 2000 个字）");
	int64_t now = time_now();
	int rc = store_problem_set_status(db, p->id, close ? "closed" : "doing",
					  close ? who->user_id : 0, close ? now : 0, now);
	if (!rc)
		rc = store_problem_event_insert(db, p->id, close ? "close" : "reopen", opinion,
						who->user_id, superior_id, now);
	if (!rc)
		rc = problem_get(db, a, p->id, out);
	if (rc)
		return rc;
	return audit_log(db, who, p->org_id, close ? "problem.close" : "problem.reopen", "problem",
			 p->id,
			 json_pack("{s:s, s:I, s:[s,s]}", "opinion", opinion, "superior_id",
				   (json_int_t)superior_id, "status", p->status, out->status));
}

int problem_close(struct db *db, struct arena *a, const struct actor *who, int64_t superior_id,
		  const struct problem *p, const char *opinion, struct problem *out,
		  struct derr *e)
{
	return decide(db, a, who, superior_id, p, opinion, true, out, e);
}

int problem_reopen(struct db *db, struct arena *a, const struct actor *who, int64_t superior_id,
		   const struct problem *p, const char *opinion, struct problem *out,
		   struct derr *e)
{
	return decide(db, a, who, superior_id, p, opinion, false, out, e);
}

int problem_events(struct db *db, struct arena *a, int64_t problem_id,
		   struct problem_event **items, int *n)
{
	return store_problem_events(db, a, problem_id, items, n);
}

/* ---- import from a report ---- */

int problem_import_preview(struct arena *a, const char *text, size_t len, int year,
			   json_t **out, struct derr *e)
{
	json_t *full;
	int rc = plan_import_analyze(a, text, len, year, &full, e);
	if (rc)
		return rc;
	json_t *problems = json_array(), *measures = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(full, "problems"), i, v) {
		json_array_append_new(problems,
				      json_pack("{s:O, s:O, s:n, s:O}", "title",
						json_object_get(v, "title"), "description",
						json_object_get(v, "text"), "category", "source",
						json_object_get(v, "source")));
	}
	json_array_foreach(json_object_get(full, "measures"), i, v) {
		json_array_append_new(measures, json_pack("{s:O, s:O}", "title",
							  json_object_get(v, "title"), "text",
							  json_object_get(v, "text")));
	}
	*out = json_pack("{s:O, s:O, s:o, s:o}", "type", json_object_get(full, "type"), "title",
			 json_object_get(full, "title"), "problems", problems, "measures",
			 measures);
	json_decref(full);
	return ZRZ_OK;
}

/* A string member of an imported problem: NULL when absent or null. */
static int member(struct arena *a, json_t *o, const char *key, size_t i, const char **out,
		  struct derr *e)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return ZRZ_OK;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return derr_set(e, ZRZ_EINVAL, arena_printf(a, "problems[%zu].%s", i, key),
				"应为文本");
	*out = json_string_value(v);
	return ZRZ_OK;
}

int problem_import_commit(struct db *db, struct arena *a, const struct actor *who,
			  int64_t org_id, const char *source, json_t *items, int64_t **ids,
			  int *n, struct derr *e)
{
	/* "source" is the preview's span, sent back with the rest: not saved. */
	static const char *const allowed[] = {"title", "description", "category", "found_on",
					      "source", "keep", NULL};
	if (!json_is_array(items) || json_array_size(items) == 0 ||
	    json_array_size(items) > PROBLEM_IMPORT_MAX)
		return derr_set(e, ZRZ_EINVAL, "problems", "请至少保留 1 个、至多 200 个问题");
	char today[PERIOD_DATE_SIZE];
	problem_today(today, sizeof(today));
	*ids = arena_alloc(a, sizeof(**ids) * json_array_size(items));
	*n = 0;
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v) {
		if (!json_is_object(v))
			return derr_set(e, ZRZ_EINVAL, arena_printf(a, "problems[%zu]", i),
					"每个问题应为对象");
		const char *key;
		json_t *x;
		json_object_foreach(v, key, x) {
			bool known = false;
			for (int k = 0; allowed[k]; k++)
				known = known || !strcmp(key, allowed[k]);
			if (!known)
				return derr_set(e, ZRZ_EINVAL, arena_printf(a, "problems[%zu]", i),
						"问题含有不认识的字段");
		}
		json_t *keep = json_object_get(v, "keep");
		if (keep && !json_is_boolean(keep))
			return derr_set(e, ZRZ_EINVAL, arena_printf(a, "problems[%zu].keep", i),
					"keep 应为 true 或 false");
		if (json_is_false(keep))
			continue;
		struct problem p = {0};
		p.org_id = org_id;
		p.source = source;
		int rc = member(a, v, "title", i, &p.title, e);
		if (!rc)
			rc = member(a, v, "description", i, &p.description, e);
		if (!rc)
			rc = member(a, v, "category", i, &p.category, e);
		if (!rc)
			rc = member(a, v, "found_on", i, &p.found_on, e);
		if (rc)
			return rc;
		if (!p.found_on)
			p.found_on = today;
		struct problem out;
		rc = problem_create(db, a, who, &p, &out, e);
		if (rc == ZRZ_EINVAL && e)
			e->field = arena_printf(a, "problems[%zu].%s", i, e->field);
		if (rc)
			return rc;
		(*ids)[(*n)++] = out.id;
	}
	if (*n == 0)
		return derr_set(e, ZRZ_EINVAL, "problems", "请至少保留 1 个问题");
	json_t *list = json_array();
	for (int k = 0; k < *n; k++)
		json_array_append_new(list, json_integer((*ids)[k]));
	return audit_log(db, who, org_id, "problem.import", "org", org_id,
			 json_pack("{s:s, s:o}", "source", source, "problem_ids", list));
}

/* ---- JSON ---- */

json_t *problem_json(const struct problem *p)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "org_id", json_integer(p->org_id));
	json_object_set_new(j, "org_name", opt_text(p->org_name));
	json_object_set_new(j, "source", json_string(p->source));
	json_object_set_new(j, "category", opt_text(p->category));
	json_object_set_new(j, "title", json_string(p->title));
	json_object_set_new(j, "description", opt_text(p->description));
	json_object_set_new(j, "found_on", json_string(p->found_on));
	json_object_set_new(j, "status", json_string(p->status));
	json_object_set_new(j, "analysis_id", opt_id(p->analysis_id));
	json_object_set_new(j, "measures", json_integer(p->measures));
	json_object_set_new(j, "done_measures", json_integer(p->done_measures));
	json_object_set_new(j, "evidence", json_integer(p->evidence));
	json_object_set_new(j, "overdue_measures", json_integer(p->overdue));
	json_object_set_new(j, "overdue", json_boolean(p->overdue > 0));
	json_object_set_new(j, "closed_by", opt_id(p->closed_by));
	json_object_set_new(j, "closed_at", opt_time(p->closed_at));
	json_object_set_new(j, "created_by", opt_id(p->created_by));
	json_object_set_new(j, "created_at", opt_time(p->created_at));
	json_object_set_new(j, "updated_at", opt_time(p->updated_at));
	return j;
}

json_t *measure_json(const struct measure *m, const char *today)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(m->id));
	json_object_set_new(j, "problem_id", json_integer(m->problem_id));
	json_object_set_new(j, "text", json_string(m->text));
	json_object_set_new(j, "owner_id", opt_id(m->owner_id));
	json_object_set_new(j, "owner_name", opt_text(m->owner_name));
	json_object_set_new(j, "deadline", json_string(m->deadline));
	json_object_set_new(j, "done_on", opt_text(m->done_on));
	json_object_set_new(j, "status", json_string(m->status));
	json_object_set_new(j, "overdue", json_boolean(strcmp(m->status, "done") != 0 &&
						       strcmp(m->deadline, today) < 0));
	json_object_set_new(j, "created_at", opt_time(m->created_at));
	json_object_set_new(j, "updated_at", opt_time(m->updated_at));
	return j;
}

json_t *evidence_json(const struct problem_evidence *t)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(t->id));
	json_object_set_new(j, "problem_id", json_integer(t->problem_id));
	json_object_set_new(j, "name", json_string(t->name));
	json_object_set_new(j, "mime", json_string(t->mime));
	json_object_set_new(j, "size", json_integer(t->size));
	json_object_set_new(j, "sha256", json_string(t->sha256));
	json_object_set_new(j, "created_by", opt_id(t->created_by));
	json_object_set_new(j, "created_at", opt_time(t->created_at));
	return j;
}

json_t *problem_event_json(const struct problem_event *x)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(x->id));
	json_object_set_new(j, "action", json_string(x->action));
	json_object_set_new(j, "opinion", json_string(x->opinion));
	json_object_set_new(j, "user_id", opt_id(x->user_id));
	json_object_set_new(j, "user_name", opt_text(x->user_name));
	json_object_set_new(j, "org_id", json_integer(x->org_id));
	json_object_set_new(j, "org_name", opt_text(x->org_name));
	json_object_set_new(j, "at", opt_time(x->at));
	return j;
}

json_t *problem_rollup_json(const struct problem_rollup_row *w)
{
	return json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "org_id",
			 (json_int_t)w->org_id, "org_name", w->org_name, "todo",
			 (json_int_t)w->todo, "doing", (json_int_t)w->doing, "done",
			 (json_int_t)w->done, "closed", (json_int_t)w->closed, "total",
			 (json_int_t)(w->todo + w->doing + w->done + w->closed), "overdue_measures",
			 (json_int_t)w->overdue_measures);
}

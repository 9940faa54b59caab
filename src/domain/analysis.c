/*
 * Rules of analysis reports.  Sections are checked and stored as compact
 * JSON: 1..ANALYSIS_SECTIONS_MAX objects {"key","title","text"} with keys
 * of lower-case letters, digits and '_' that do not repeat.  The ledger
 * record a submitted report makes goes through ledger_create, so it is
 * validated, counted per period and audited like any record typed by hand.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/analysis.h"
#include "domain/audit.h"
#include "domain/inbox.h"
#include "domain/ledger.h"
#include "domain/org.h"
#include "domain/period.h"
#include "store/repo.h"

json_t *analysis_template(void)
{
	return json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]", "key",
			 "situation", "title", "形势", "text", "", "key", "problems", "title",
			 "问题", "text", "", "key", "measures", "title", "措施", "text", "");
}

int analysis_get(struct db *db, struct arena *a, int64_t id, struct analysis *out)
{
	return store_analysis_get(db, a, id, out);
}

int analysis_list(struct db *db, struct arena *a, const struct analysis_filter *f,
		  int64_t offset, int64_t limit, struct analysis **items, int *n, int64_t *total)
{
	return store_analysis_list(db, a, f, offset, limit, items, n, total);
}

static bool key_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 30)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static bool str_member(json_t *o, const char *key, size_t max, bool blank_ok, const char **out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	*out = s;
	return strlen(s) == n && utf8_valid_text(s, n) && utf8_count(s, n) <= max &&
	       (blank_ok || !str_blank(s));
}

/* The sections as compact JSON text (arena), checked. */
static int check_sections(struct arena *a, json_t *arr, const char **out, struct derr *e)
{
	static const char msg[] =
		"内容应为 1 至 20 个部分，每部分为 {\"key\",\"title\",\"text\"}，key 为小写字母、数字或下划线且不重复";
	if (!json_is_array(arr) || json_array_size(arr) < 1 ||
	    json_array_size(arr) > ANALYSIS_SECTIONS_MAX)
		return derr_set(e, ZRZ_EINVAL, "sections", msg);
	json_t *norm = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *key, *title, *text;
		bool ok = json_is_object(v) && json_object_size(v) == 3 &&
			  str_member(v, "key", 30, false, &key) && key_valid(key) &&
			  str_member(v, "title", ANALYSIS_SECTION_TITLE_MAX, false, &title) &&
			  str_member(v, "text", ANALYSIS_SECTION_TEXT_MAX, true, &text);
		for (size_t k = 0; ok && k < i; k++)
			ok = strcmp(json_string_value(json_object_get(json_array_get(arr, k), "key")),
				    key) != 0;
		if (!ok) {
			json_decref(norm);
			return derr_set(e, ZRZ_EINVAL, "sections", msg);
		}
		json_array_append_new(norm, json_pack("{s:s, s:s, s:s}", "key", key, "title",
						      title, "text", text));
	}
	char *s = json_dumps(norm, JSON_COMPACT | JSON_PRESERVE_ORDER);
	*out = arena_strdup(a, s);
	free(s);
	json_decref(norm);
	return ZRZ_OK;
}

/* period and report_date (today when NULL) of x, checked. */
static int check_fields(struct arena *a, struct analysis *x, struct derr *e)
{
	if (!x->title || !utf8_valid_text(x->title, strlen(x->title)) || str_blank(x->title) ||
	    strchr(x->title, '\n') || utf8_count(x->title, strlen(x->title)) > ANALYSIS_TITLE_MAX)
		return derr_set(e, ZRZ_EINVAL, "title", "标题应为 1 至 200 个字，不含换行");
	struct period p;
	if (!x->period || (strcmp(x->period, "adhoc") != 0 &&
			   (period_parse(x->period, &p) ||
			    (p.kind != PERIOD_YEAR && p.kind != PERIOD_HALF))))
		return derr_set(e, ZRZ_EINVAL, "period",
				"周期应为年度（如 2026）、半年（如 2026-H1）或 adhoc（专项研判）");
	if (!x->report_date) {
		char today[PERIOD_DATE_SIZE];
		period_day_format(period_day_of_time(time_now()), today, sizeof(today));
		x->report_date = arena_strdup(a, today);
	}
	if (!ledger_date_valid(x->report_date))
		return derr_set(e, ZRZ_EINVAL, "report_date", "报告日期应为 2000 至 2100 年间真实的日期");
	return ZRZ_OK;
}

int analysis_create(struct db *db, struct arena *a, const struct actor *who,
		    const struct analysis *x, json_t *sections, struct analysis *out,
		    struct derr *e)
{
	struct analysis y = *x;
	int rc = check_fields(a, &y, e);
	json_t *tpl = sections ? NULL : analysis_template();
	if (!rc)
		rc = check_sections(a, sections ? sections : tpl, &y.sections, e);
	json_decref(tpl);
	if (rc)
		return rc;
	int64_t id;
	rc = store_analysis_insert(db, &y, who->user_id, time_now(), &id);
	if (!rc)
		rc = store_analysis_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, y.org_id, "analysis.create", "analysis", id,
			 json_pack("{s:s, s:s, s:s}", "period", y.period, "report_date",
				   y.report_date, "title", y.title));
}

static int refuse_submitted(const struct analysis *x, struct derr *e)
{
	if (strcmp(x->state, "draft") != 0)
		return derr_set(e, ZRZ_ECONFLICT, "id", "研判报告已报送，不能再修改");
	return ZRZ_OK;
}

int analysis_update(struct db *db, struct arena *a, const struct actor *who,
		    const struct analysis *cur, const struct analysis *next, json_t *sections,
		    struct analysis *out, struct derr *e)
{
	struct analysis y = *next;
	y.id = cur->id;
	int rc = refuse_submitted(cur, e);
	if (!rc)
		rc = check_fields(a, &y, e);
	if (!rc && sections)
		rc = check_sections(a, sections, &y.sections, e);
	if (rc)
		return rc;
	rc = store_analysis_update(db, &y, time_now());
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, "id", "研判报告已报送，不能再修改");
	if (!rc)
		rc = store_analysis_get(db, a, cur->id, out);
	if (rc)
		return rc;
	json_t *d = json_object();
	if (strcmp(cur->period, y.period))
		json_object_set_new(d, "period", json_pack("[s,s]", cur->period, y.period));
	if (strcmp(cur->report_date, y.report_date))
		json_object_set_new(d, "report_date",
				    json_pack("[s,s]", cur->report_date, y.report_date));
	if (strcmp(cur->title, y.title))
		json_object_set_new(d, "title", json_pack("[s,s]", cur->title, y.title));
	if (strcmp(cur->sections, y.sections))
		json_object_set_new(d, "sections", json_true());
	return audit_log(db, who, cur->org_id, "analysis.update", "analysis", cur->id, d);
}

int analysis_delete(struct db *db, const struct actor *who, const struct analysis *cur,
		    struct derr *e)
{
	int rc = refuse_submitted(cur, e);
	if (!rc)
		rc = store_analysis_set_deleted(db, cur->id, time_now());
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, "id", "研判报告已报送，不能删除");
	if (rc)
		return rc;
	return audit_log(db, who, cur->org_id, "analysis.delete", "analysis", cur->id,
			 json_pack("{s:s, s:s}", "period", cur->period, "title", cur->title));
}

/* The date of the ledger record: report_date, brought within the period. */
static const char *record_date(struct arena *a, const struct analysis *x)
{
	struct period p;
	char first[PERIOD_DATE_SIZE], last[PERIOD_DATE_SIZE];
	if (!strcmp(x->period, "adhoc") || period_parse(x->period, &p) ||
	    period_dates(&p, first, last))
		return x->report_date;
	if (strcmp(x->report_date, first) < 0)
		return arena_strdup(a, first);
	if (strcmp(x->report_date, last) > 0)
		return arena_strdup(a, last);
	return x->report_date;
}

/* The sections as the minutes of the record: each title, then its text. */
static const char *minutes_of(struct arena *a, const struct analysis *x)
{
	json_t *arr = json_loads(x->sections, 0, NULL);
	size_t i, cap = strlen(x->sections) + 64, o = 0;
	char *out = arena_alloc(a, cap);
	json_t *v;
	out[0] = '\0';
	json_array_foreach(arr, i, v) {
		const char *t = json_string_value(json_object_get(v, "title"));
		const char *s = json_string_value(json_object_get(v, "text"));
		int w = snprintf(out + o, cap - o, "%s%s\n%s", o ? "\n\n" : "", t ? t : "",
				 s ? s : "");
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
	json_decref(arr);
	return out;
}

int analysis_submit(struct db *db, struct arena *a, const struct actor *who,
		    const struct analysis *cur, struct analysis *out, struct derr *e)
{
	int rc = refuse_submitted(cur, e);
	if (rc)
		return rc;
	struct org o;
	rc = org_get(db, a, cur->org_id, &o);
	if (rc)
		return rc;
	if (!o.parent_id)
		return derr_set(e, ZRZ_ECONFLICT, "id", "本单位没有上级单位，无需报送");
	struct record rec = {0}, made;
	rec.org_id = cur->org_id;
	rec.kind = "analysis";
	rec.date = record_date(a, cur);
	rec.title = cur->title;
	rec.minutes = minutes_of(a, cur);
	rec.expected = -1;
	rec.attended = -1;
	rc = ledger_create(db, a, who, &rec, NULL, NULL, &made, e);
	if (rc)
		return rc;
	int64_t now = time_now();
	rc = store_analysis_set_submitted(db, cur->id, made.id, who->user_id, now);
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, "id", "研判报告已报送");
	int64_t inbox_id = 0;
	if (!rc)
		rc = inbox_send(db, who, cur->org_id, "analysis", cur->id, cur->title, &inbox_id, e);
	if (!rc)
		rc = store_analysis_get(db, a, cur->id, out);
	if (rc)
		return rc;
	return audit_log(db, who, cur->org_id, "analysis.submit", "analysis", cur->id,
			 json_pack("{s:I, s:I, s:I, s:s}", "record_id", (json_int_t)made.id,
				   "to_org_id", (json_int_t)o.parent_id, "inbox_id",
				   (json_int_t)inbox_id, "period", cur->period));
}

static json_t *opt_time(int64_t t)
{
	char buf[32];
	if (!t)
		return json_null();
	time_format_rfc3339(t, buf, sizeof(buf));
	return json_string(buf);
}

/* The superior's acknowledgement of submitted report x: the first item of
 * its way up (items, n), acknowledged (or passed on, which acknowledges it
 * too). */
static json_t *acknowledgement(const struct analysis *x, const struct inbox_item *items, int n,
			       int64_t *inbox_id)
{
	*inbox_id = 0;
	if (strcmp(x->state, "submitted") != 0 || n == 0)
		return NULL;
	const struct inbox_item *it = &items[0];
	*inbox_id = it->id;
	if (!it->acked_at)
		return NULL;
	return json_pack("{s:o, s:I, s:o, s:I, s:o, s:o, s:s}", "at", opt_time(it->acked_at), "by",
			 (json_int_t)it->acked_by, "by_name",
			 it->acked_by_name ? json_string(it->acked_by_name) : json_null(), "org_id",
			 (json_int_t)it->to_org_id, "org_name",
			 it->to_org_name ? json_string(it->to_org_name) : json_null(), "comment",
			 it->comment ? json_string(it->comment) : json_null(), "inbox_state",
			 it->state);
}

int analysis_json(struct db *db, struct arena *a, const struct analysis *x, bool with_trail,
		  json_t **out)
{
	struct inbox_item *items = NULL;
	int n = 0;
	if (with_trail || !strcmp(x->state, "submitted")) {
		int rc = inbox_trail(db, a, "analysis", x->id, &items, &n);
		if (rc)
			return rc;
	}
	int64_t inbox_id;
	json_t *ack = acknowledgement(x, items, n, &inbox_id);
	json_t *sections = json_loads(x->sections, 0, NULL);
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(x->id));
	json_object_set_new(j, "org_id", json_integer(x->org_id));
	json_object_set_new(j, "org_name", x->org_name ? json_string(x->org_name) : json_null());
	json_object_set_new(j, "period", json_string(x->period));
	json_object_set_new(j, "report_date", json_string(x->report_date));
	json_object_set_new(j, "title", json_string(x->title));
	json_object_set_new(j, "sections", sections ? sections : json_array());
	json_object_set_new(j, "state", json_string(ack ? "acknowledged" : x->state));
	json_object_set_new(j, "record_id", x->record_id ? json_integer(x->record_id) : json_null());
	json_object_set_new(j, "submitted_by",
			    x->submitted_by ? json_integer(x->submitted_by) : json_null());
	json_object_set_new(j, "submitted_at", opt_time(x->submitted_at));
	json_object_set_new(j, "created_at", opt_time(x->created_at));
	json_object_set_new(j, "updated_at", opt_time(x->updated_at));
	json_object_set_new(j, "inbox_id", inbox_id ? json_integer(inbox_id) : json_null());
	json_object_set_new(j, "acknowledged", ack ? ack : json_null());
	if (with_trail) {
		json_t *way = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(way, inbox_json(&items[i]));
		json_object_set_new(j, "inbox_trail", way);
	}
	*out = j;
	return ZRZ_OK;
}

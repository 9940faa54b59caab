/*
 * Rules of incidents: titles of 1..200 characters on one line, descriptions
 * of at most 5000 and notes of at most 2000 characters, sources and
 * severities from their lists, found_at an instant not in the future, the
 * stages done strictly in order, each once, and the deadlines fixed when
 * the incident is recorded (changing a unit's limits later does not move
 * the deadlines of incidents already found).  Deadlines are instants
 * (Unix seconds) shown in China time: found_at plus whole minutes, so
 * midnights, month ends and 29 February need no special case.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/inbox.h"
#include "domain/incident.h"
#include "store/repo.h"

const char *const incident_sources[] = {"media",	   "complaint",	    "online_post",
					"superior_notice", "channel_fault", "other",
					NULL};
const char *const incident_severities[] = {"general", "serious", "major", NULL};
const char *const incident_stages[] = {"assess", "report", "handle", "close", NULL};

/* Minutes from found_at, [severity][stage], when the unit set none. */
static const int64_t default_limits[3][3] = {
	{480, 1440, 4320}, /* 一般 */
	{120, 240, 2880},  /* 较大 */
	{60, 120, 1440},   /* 重大 */
};

static const struct {
	const char *code, *label;
} labels[] = {
	{"media", "媒体报道"},
	{"complaint", "群众反映"},
	{"online_post", "网络帖文涉及本单位"},
	{"superior_notice", "上级通报"},
	{"channel_fault", "阵地异常"},
	{"other", "其他"},
	{"general", "一般"},
	{"serious", "较大"},
	{"major", "重大"},
	{"found", "发现"},
	{"assess", "研判"},
	{"report", "报送"},
	{"handle", "处置"},
	{"close", "结案"},
	{"on_time", "正常"},
	{"at_risk", "临近时限"},
	{"overdue", "已超时"},
	{"done", "已处置"},
};

const char *incident_label(const char *code)
{
	for (size_t i = 0; code && i < ZRZ_ARRAY_LEN(labels); i++)
		if (!strcmp(labels[i].code, code))
			return labels[i].label;
	return code;
}

static int index_of(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return i;
	return -1;
}

const char *incident_next_stage(const char *stage)
{
	if (!strcmp(stage, "found"))
		return incident_stages[0];
	int i = index_of(incident_stages, stage);
	return i >= 0 ? incident_stages[i + 1] : NULL;
}

static bool line_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	return s && utf8_valid_text(s, n) && !strpbrk(s, "\r\n") && !str_blank(s) &&
	       utf8_count(s, n) <= max;
}

/* NULL, or text of at most max characters. */
static bool opt_text_ok(const char *s, size_t max)
{
	return !s || (utf8_valid_text(s, strlen(s)) && utf8_count(s, strlen(s)) <= max);
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

/* The instant 75 % of the time from found_at to due is used. */
static int64_t risk_of(int64_t found_at, int64_t due)
{
	return found_at + ((due - found_at) * 3 + 3) / 4;
}

const char *incident_stage_status(int64_t found_at, int64_t due, int64_t done, int64_t now)
{
	if (!due)
		return NULL;
	if (done)
		return done <= due ? "on_time" : "overdue";
	if (now > due)
		return "overdue";
	return now >= risk_of(found_at, due) ? "at_risk" : "on_time";
}

/* ---- limits ---- */

int incident_limits_get(struct db *db, struct arena *a, int64_t org_id,
			struct incident_limits *out)
{
	memcpy(out->minutes, default_limits, sizeof(out->minutes));
	memset(out->custom, 0, sizeof(out->custom));
	struct incident_limit *rows;
	int n;
	int rc = store_incident_limits(db, a, org_id, &rows, &n);
	for (int i = 0; !rc && i < n; i++) {
		int s = index_of(incident_severities, rows[i].severity);
		int t = index_of(incident_stages, rows[i].stage);
		if (s >= 0 && t >= 0 && t < 3) {
			out->minutes[s][t] = rows[i].minutes;
			out->custom[s][t] = true;
		}
	}
	return rc;
}

int incident_limits_set(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
			json_t *limits, struct incident_limits *out, struct derr *e)
{
	if (!json_is_object(limits))
		return derr_set(e, ZRZ_EINVAL, "limits", "时限应为按事件级别和环节填写的分钟数");
	struct incident_limits cur;
	int rc = incident_limits_get(db, a, org_id, &cur);
	if (rc)
		return rc;
	struct incident_limits next = cur;
	const char *sev;
	json_t *per;
	json_object_foreach(limits, sev, per)
	{
		int s = index_of(incident_severities, sev);
		if (s < 0 || !json_is_object(per))
			return derr_set(e, ZRZ_EINVAL, "limits",
					"事件级别应为 general、serious 或 major");
		const char *stage;
		json_t *v;
		json_object_foreach(per, stage, v)
		{
			int t = index_of(incident_stages, stage);
			if (t < 0 || t > 2)
				return derr_set(e, ZRZ_EINVAL, "limits",
						"环节应为 assess、report 或 handle");
			if (!json_is_integer(v) || json_integer_value(v) < 1 ||
			    json_integer_value(v) > INCIDENT_LIMIT_MAX)
				return derr_set(e, ZRZ_EINVAL, "limits",
						"时限应为 1 至 43200 分钟（30 天）");
			next.minutes[s][t] = json_integer_value(v);
		}
	}
	for (int s = 0; s < 3; s++)
		if (next.minutes[s][0] > next.minutes[s][1] || next.minutes[s][1] > next.minutes[s][2])
			return derr_set(e, ZRZ_EINVAL, "limits",
					"同一级别的时限应为研判 ≤ 报送 ≤ 处置");
	json_t *changed = json_object();
	int64_t now = time_now();
	for (int s = 0; !rc && s < 3; s++)
		for (int t = 0; !rc && t < 3; t++) {
			if (next.minutes[s][t] == cur.minutes[s][t])
				continue;
			rc = store_incident_limit_set(db, org_id, incident_severities[s],
						      incident_stages[t], next.minutes[s][t],
						      who->user_id, now);
			next.custom[s][t] = true;
			json_object_set_new(changed,
					    arena_printf(a, "%s.%s", incident_severities[s],
							 incident_stages[t]),
					    json_pack("[I,I]", (json_int_t)cur.minutes[s][t],
						      (json_int_t)next.minutes[s][t]));
		}
	if (!rc && json_object_size(changed))
		rc = audit_log(db, who, org_id, "incident.limits", "org", org_id,
			       json_pack("{s:O}", "changed", changed));
	json_decref(changed);
	if (!rc)
		*out = next;
	return rc;
}

json_t *incident_limits_json(const struct incident_limits *l)
{
	json_t *limits = json_object(), *defaults = json_object(), *custom = json_object();
	for (int s = 0; s < 3; s++) {
		json_t *a = json_object(), *d = json_object(), *c = json_object();
		for (int t = 0; t < 3; t++) {
			json_object_set_new(a, incident_stages[t], json_integer(l->minutes[s][t]));
			json_object_set_new(d, incident_stages[t],
					    json_integer(default_limits[s][t]));
			json_object_set_new(c, incident_stages[t], json_boolean(l->custom[s][t]));
		}
		json_object_set_new(limits, incident_severities[s], a);
		json_object_set_new(defaults, incident_severities[s], d);
		json_object_set_new(custom, incident_severities[s], c);
	}
	return json_pack("{s:o, s:o, s:o}", "limits", limits, "defaults", defaults, "custom",
			 custom);
}

/* ---- incidents ---- */

int incident_get(struct db *db, struct arena *a, int64_t id, struct incident *out)
{
	return store_incident_get(db, a, id, out);
}

int incident_list(struct db *db, struct arena *a, const struct incident_filter *f,
		  int64_t offset, int64_t limit, struct incident **items, int *n, int64_t *total)
{
	return store_incident_list(db, a, f, offset, limit, items, n, total);
}

static int check_incident(const struct incident *x, int64_t now, struct derr *e)
{
	if (!line_ok(x->title, INCIDENT_TITLE_MAX))
		return derr_set(e, ZRZ_EINVAL, "title", "标题应为 1 至 200 个字");
	if (index_of(incident_sources, x->source) < 0)
		return derr_set(e, ZRZ_EINVAL, "source", "事件来源不在可选范围内");
	if (index_of(incident_severities, x->severity) < 0)
		return derr_set(e, ZRZ_EINVAL, "severity", "事件级别应为一般、较大或重大");
	if (!opt_text_ok(x->description, INCIDENT_TEXT_MAX))
		return derr_set(e, ZRZ_EINVAL, "description", "事件描述不能超过 5000 个字");
	if (x->found_at > now + INCIDENT_CLOCK_SKEW)
		return derr_set(e, ZRZ_EINVAL, "found_at", "发现时间不能晚于现在");
	if (x->found_at < days_from_civil(2000, 1, 1) * 86400 - ZRZ_TZ_OFFSET)
		return derr_set(e, ZRZ_EINVAL, "found_at", "发现时间不能早于 2000 年");
	return ZRZ_OK;
}

int incident_create(struct db *db, struct arena *a, const struct actor *who,
		    const struct incident *x, struct incident *out, struct derr *e)
{
	int64_t now = time_now();
	int rc = check_incident(x, now, e);
	if (rc)
		return rc;
	struct incident_limits l;
	rc = incident_limits_get(db, a, x->org_id, &l);
	if (rc)
		return rc;
	int s = index_of(incident_severities, x->severity);
	int64_t due[3];
	for (int t = 0; t < 3; t++)
		due[t] = x->found_at + l.minutes[s][t] * 60;
	struct incident row = *x;
	row.created_by = who->user_id;
	row.next_due = due[0];
	row.next_risk = risk_of(x->found_at, due[0]);
	int64_t id;
	rc = store_incident_insert(db, &row, now, &id);
	for (int t = 0; !rc && incident_stages[t]; t++)
		rc = store_incident_stage_insert(db, id, incident_stages[t], t < 3 ? due[t] : 0);
	if (!rc)
		rc = store_incident_get(db, a, id, out);
	if (rc)
		return rc;
	char found[32];
	time_format_rfc3339(x->found_at, found, sizeof(found));
	return audit_log(db, who, x->org_id, "incident.create", "incident", id,
			 json_pack("{s:s, s:s, s:s, s:s}", "title", x->title, "source", x->source,
				   "severity", x->severity, "found_at", found));
}

int incident_advance(struct db *db, struct arena *a, const struct actor *who,
		     const struct incident *cur, const char *stage, const char *note,
		     struct incident *out, struct derr *e)
{
	int t = index_of(incident_stages, stage);
	if (t < 0)
		return derr_set(e, ZRZ_EINVAL, "stage", "环节应为 assess、report、handle 或 close");
	if (!opt_text_ok(note, INCIDENT_NOTE_MAX))
		return derr_set(e, ZRZ_EINVAL, "note", "说明不能超过 2000 个字");
	const char *want = incident_next_stage(cur->stage);
	if (!want)
		return derr_set(e, ZRZ_ECONFLICT, "stage", "事件已结案");
	if (strcmp(want, stage))
		return derr_set(e, ZRZ_ECONFLICT, "stage",
				arena_printf(a, "应先完成“%s”环节，不能跳过或重复",
					     incident_label(want)));
	struct incident_stage *st;
	int n;
	int rc = store_incident_stages(db, a, cur->id, &st, &n);
	if (rc)
		return rc;
	int64_t next_due = 0, next_risk = 0;
	const char *after = incident_next_stage(stage);
	for (int i = 0; after && i < n; i++)
		if (!strcmp(st[i].stage, after) && st[i].due_at) {
			next_due = st[i].due_at;
			next_risk = risk_of(cur->found_at, next_due);
		}
	int64_t now = time_now();
	rc = store_incident_stage_done(db, cur->id, stage, now, who->user_id, note);
	if (!rc)
		rc = store_incident_set_stage(db, cur->id, cur->stage, stage, next_due, next_risk,
					      now);
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, "stage", "该环节已被他人办理，请刷新后重试");
	int64_t inbox_id = 0;
	if (!rc && !strcmp(stage, "report"))
		rc = inbox_send(db, who, cur->org_id, "incident", cur->id, cur->title, &inbox_id, e);
	if (!rc)
		rc = store_incident_get(db, a, cur->id, out);
	if (rc)
		return rc;
	return audit_log(db, who, cur->org_id, "incident.advance", "incident", cur->id,
			 json_pack("{s:s, s:o, s:o}", "stage", stage, "note", opt_text(note),
				   "inbox_item_id", opt_id(inbox_id)));
}

json_t *incident_json(const struct incident *x, int64_t now)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(x->id));
	json_object_set_new(j, "org_id", json_integer(x->org_id));
	json_object_set_new(j, "org_name", opt_text(x->org_name));
	json_object_set_new(j, "title", json_string(x->title));
	json_object_set_new(j, "source", json_string(x->source));
	json_object_set_new(j, "source_label", json_string(incident_label(x->source)));
	json_object_set_new(j, "severity", json_string(x->severity));
	json_object_set_new(j, "severity_label", json_string(incident_label(x->severity)));
	json_object_set_new(j, "description", opt_text(x->description));
	json_object_set_new(j, "found_at", opt_time(x->found_at));
	json_object_set_new(j, "stage", json_string(x->stage));
	json_object_set_new(j, "stage_label", json_string(incident_label(x->stage)));
	const char *next = incident_next_stage(x->stage);
	json_object_set_new(j, "next_stage", opt_text(next));
	json_object_set_new(j, "next_due", opt_time(x->next_due));
	const char *status =
		x->next_due ? incident_stage_status(x->found_at, x->next_due, 0, now) : "done";
	json_object_set_new(j, "status", json_string(status));
	json_object_set_new(j, "status_label", json_string(incident_label(status)));
	json_object_set_new(j, "closed", json_boolean(!strcmp(x->stage, "close")));
	json_object_set_new(j, "created_by", opt_id(x->created_by));
	json_object_set_new(j, "created_by_name", opt_text(x->created_by_name));
	json_object_set_new(j, "created_at", opt_time(x->created_at));
	json_object_set_new(j, "updated_at", opt_time(x->updated_at));
	return j;
}

int incident_detail_json(struct db *db, struct arena *a, const struct incident *x, int64_t now,
			 json_t **out)
{
	struct incident_stage *st;
	int n;
	int rc = store_incident_stages(db, a, x->id, &st, &n);
	if (rc)
		return rc;
	/* The way up, oldest first; its last item is where the incident is now. */
	struct inbox_item *trail;
	int ntrail;
	rc = inbox_trail(db, a, "incident", x->id, &trail, &ntrail);
	if (rc)
		return rc;
	json_t *j = incident_json(x, now);
	json_object_set_new(j, "inbox", ntrail ? inbox_json(&trail[ntrail - 1]) : json_null());
	json_t *way = json_array();
	for (int i = 0; i < ntrail; i++)
		json_array_append_new(way, inbox_json(&trail[i]));
	json_object_set_new(j, "inbox_trail", way);
	json_t *arr = json_array();
	bool late = false;
	for (int i = 0; i < n; i++) {
		const char *status = incident_stage_status(x->found_at, st[i].due_at, st[i].done_at,
							   now);
		late |= status && !strcmp(status, "overdue");
		json_t *s = json_object();
		json_object_set_new(s, "stage", json_string(st[i].stage));
		json_object_set_new(s, "label", json_string(incident_label(st[i].stage)));
		json_object_set_new(s, "deadline", opt_time(st[i].due_at));
		json_object_set_new(s, "limit_minutes",
				    st[i].due_at ? json_integer((st[i].due_at - x->found_at) / 60)
						 : json_null());
		json_object_set_new(s, "done", json_boolean(st[i].done_at != 0));
		json_object_set_new(s, "done_at", opt_time(st[i].done_at));
		json_object_set_new(s, "done_by", opt_id(st[i].done_by));
		json_object_set_new(s, "done_by_name", opt_text(st[i].done_by_name));
		json_object_set_new(s, "minutes",
				    st[i].done_at
					    ? json_integer((st[i].done_at - x->found_at) / 60)
					    : json_null());
		json_object_set_new(s, "note", opt_text(st[i].note));
		json_object_set_new(s, "status", opt_text(status));
		json_object_set_new(s, "status_label",
				    status ? json_string(incident_label(status)) : json_null());
		json_array_append_new(arr, s);
	}
	json_object_set_new(j, "stages", arr);
	json_object_set_new(j, "late", json_boolean(late));
	*out = j;
	return ZRZ_OK;
}

/* ---- statistics ---- */

static int cmp_int64(const void *pa, const void *pb)
{
	int64_t x = *(const int64_t *)pa, y = *(const int64_t *)pb;
	return (x > y) - (x < y);
}

/* Seconds (not negative) as minutes rounded to one decimal. */
static double tenths(double seconds)
{
	return (double)(int64_t)(seconds / 6.0 + 0.5) / 10.0;
}

/* {"done", "avg_minutes", "median_minutes", "max_minutes"} of the n
 * durations v (seconds; sorted here). */
static json_t *summary(int64_t *v, int n)
{
	if (!n)
		return json_pack("{s:i, s:n, s:n, s:n}", "done", 0, "avg_minutes", "median_minutes",
				 "max_minutes");
	qsort(v, (size_t)n, sizeof(*v), cmp_int64);
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += (double)v[i];
	double median = n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
	return json_pack("{s:i, s:f, s:f, s:f}", "done", n, "avg_minutes", tenths(sum / n),
			 "median_minutes", tenths(median), "max_minutes", tenths((double)v[n - 1]));
}

/* The group of the incidents t[0..n) whose severity is sev (NULL: all). */
static json_t *group(struct arena *a, const struct incident_times *t, int n, const char *sev)
{
	int64_t *v = arena_alloc(a, sizeof(int64_t) * ((size_t)n + 1));
	int count = 0;
	for (int i = 0; i < n; i++)
		count += !sev || !strcmp(t[i].severity, sev);
	json_t *stages = json_object();
	for (int k = 0; incident_stages[k]; k++) {
		int m = 0;
		for (int i = 0; i < n; i++)
			if ((!sev || !strcmp(t[i].severity, sev)) && t[i].done[k])
				v[m++] = t[i].done[k] - t[i].found_at;
		json_object_set_new(stages, incident_stages[k], summary(v, m));
	}
	return json_pack("{s:i, s:o}", "count", count, "stages", stages);
}

int incident_stats(struct db *db, struct arena *a, const char *path, int year, json_t **out)
{
	int64_t from = days_from_civil(year, 1, 1) * 86400 - ZRZ_TZ_OFFSET;
	int64_t to = days_from_civil(year + 1, 1, 1) * 86400 - ZRZ_TZ_OFFSET;
	struct incident_times *t;
	int n;
	int rc = store_incident_times(db, a, path, from, to, INCIDENT_STATS_MAX, &t, &n);
	if (rc)
		return rc;
	json_t *by = json_object();
	for (int s = 0; incident_severities[s]; s++) {
		json_t *g = group(a, t, n, incident_severities[s]);
		json_object_set_new(g, "label", json_string(incident_label(incident_severities[s])));
		json_object_set_new(by, incident_severities[s], g);
	}
	json_t *j = group(a, t, n, NULL);
	json_object_set_new(j, "year", json_integer(year));
	json_object_set_new(j, "by_severity", by);
	*out = j;
	return ZRZ_OK;
}

/*
 * Rules of the ledger: a record's kind exists and is active (an existing
 * record of a retired kind keeps it), its date is real and of 2000..2100,
 * its title is 1..200 characters, participants are at most 500 names of at
 * most 50 characters, attendance is never negative and never more than
 * expected.  Each live record is counted once in ledger_count for each
 * period key of every granularity holding its date; create, a change of
 * date or kind, delete and restore move those counters in the same
 * transaction, so the counters always equal a recount of the live records.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/compliance.h"
#include "domain/ledger.h"
#include "domain/outlet.h"
#include "domain/period.h"
#include "store/repo.h"

int ledger_kinds(struct db *db, struct arena *a, struct record_kind **items, int *n)
{
	return store_record_kind_list(db, a, items, n);
}

json_t *ledger_kind_json(const struct record_kind *k)
{
	return json_pack("{s:s, s:s, s:I, s:b, s:b}", "code", k->code, "name", k->name, "sort",
			 (json_int_t)k->sort, "active", k->active, "builtin", k->builtin);
}

int ledger_get(struct db *db, struct arena *a, int64_t id, struct record *out)
{
	return store_record_get(db, a, id, out);
}

bool ledger_date_valid(const char *date)
{
	if (!date || !date_valid(date))
		return false;
	int y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 +
		(date[3] - '0');
	return y >= LEDGER_YEAR_MIN && y <= LEDGER_YEAR_MAX;
}

/* A name of at most LEDGER_PERSON_MAX characters, not blank, one line. */
static bool person_valid(const char *s, size_t max)
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

/* participants: an array of names; its JSON text into *out (arena). */
static int check_participants(struct arena *a, json_t *arr, const char **out, struct derr *e)
{
	if (!json_is_array(arr))
		return derr_set(e, ZRZ_EINVAL, "participants", "参加人员应为姓名列表");
	if (json_array_size(arr) > LEDGER_PEOPLE_MAX)
		return derr_set(e, ZRZ_EINVAL, "participants", "参加人员不能超过 500 人");
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
		    !person_valid(json_string_value(v), LEDGER_PERSON_MAX))
			return derr_set(e, ZRZ_EINVAL, "participants",
					"参加人员的姓名应为 1 至 50 个字");
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	*out = arena_strdup(a, s);
	free(s);
	return ZRZ_OK;
}

/* absentees: names or {"name", "reason"}; stored as objects. */
static int check_absentees(struct arena *a, json_t *arr, const char **out, struct derr *e)
{
	static const char msg[] = "缺席人员应为姓名或 {\"name\",\"reason\"} 的列表";
	if (!json_is_array(arr))
		return derr_set(e, ZRZ_EINVAL, "absentees", msg);
	if (json_array_size(arr) > LEDGER_PEOPLE_MAX)
		return derr_set(e, ZRZ_EINVAL, "absentees", "缺席人员不能超过 500 人");
	json_t *norm = json_array();
	size_t i;
	json_t *v;
	int rc = ZRZ_OK;
	json_array_foreach(arr, i, v) {
		json_t *name = v, *reason = NULL;
		if (json_is_object(v)) {
			name = json_object_get(v, "name");
			reason = json_object_get(v, "reason");
			if (json_object_size(v) != (size_t)(1 + (reason != NULL)))
				rc = ZRZ_EINVAL;
			if (reason && json_is_null(reason))
				reason = NULL;
		}
		if (rc || !json_is_string(name) ||
		    strlen(json_string_value(name)) != json_string_length(name) ||
		    !person_valid(json_string_value(name), LEDGER_PERSON_MAX) ||
		    (reason && (!json_is_string(reason) ||
				strlen(json_string_value(reason)) != json_string_length(reason) ||
				!text_valid(json_string_value(reason), LEDGER_REASON_MAX)))) {
			json_decref(norm);
			return derr_set(e, ZRZ_EINVAL, "absentees", msg);
		}
		json_array_append_new(norm, json_pack("{s:O, s:O}", "name", name, "reason",
						      reason ? reason : json_null()));
	}
	char *s = json_dumps(norm, JSON_COMPACT);
	*out = arena_strdup(a, s);
	free(s);
	json_decref(norm);
	return ZRZ_OK;
}

/* Checks every field of rec except participants and absentees.  kind is
 * checked against the dictionary only when check_kind. */
static int check_record(struct db *db, struct arena *a, const struct record *rec,
			bool check_kind, struct derr *e)
{
	if (check_kind) {
		struct record_kind k;
		int rc = store_record_kind_get(db, a, rec->kind, &k);
		if (rc == ZRZ_ENOTFOUND || (!rc && !k.active))
			return derr_set(e, ZRZ_EINVAL, "kind", "记录类型不存在或已停用");
		if (rc)
			return rc;
	}
	if (!ledger_date_valid(rec->date))
		return derr_set(e, ZRZ_EINVAL, "date", "日期应为 2000 至 2100 年间真实的日期");
	if (!rec->title || !person_valid(rec->title, LEDGER_TITLE_MAX))
		return derr_set(e, ZRZ_EINVAL, "title", "标题应为 1 至 200 个字");
	if (rec->expected >= 0 && rec->attended > rec->expected)
		return derr_set(e, ZRZ_EINVAL, "attended", "实到人数不能多于应到人数");
	return ZRZ_OK;
}

/* Add delta to the counters of every period (of each kind) holding date. */
static int count_apply(struct db *db, int64_t org_id, const char *kind, const char *date,
		       int64_t delta)
{
	int day;
	if (period_day_parse(date, &day))
		return ZRZ_EINTERNAL;
	for (int k = 0; k < PERIOD_KIND_COUNT; k++) {
		struct period p;
		char key[PERIOD_KEY_SIZE];
		if (period_containing((enum period_kind)k, day, &p) ||
		    period_format(&p, key, sizeof(key)))
			return ZRZ_EINTERNAL;
		int rc = store_ledger_count_add(db, org_id, kind, key, delta);
		if (rc)
			return rc;
	}
	return compliance_record_moved(db, org_id, kind, date);
}

static json_t *opt_text(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *opt_count(int64_t v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static json_t *parsed(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	return j ? j : json_array();
}

static json_t *opt_time(int64_t t)
{
	char buf[32];
	if (!t)
		return json_null();
	time_format_rfc3339(t, buf, sizeof(buf));
	return json_string(buf);
}

json_t *ledger_record_json(const struct record *r)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(r->id));
	json_object_set_new(j, "org_id", json_integer(r->org_id));
	json_object_set_new(j, "kind", json_string(r->kind));
	json_object_set_new(j, "kind_name", opt_text(r->kind_name));
	json_object_set_new(j, "date", json_string(r->date));
	json_object_set_new(j, "title", json_string(r->title));
	json_object_set_new(j, "place", opt_text(r->place));
	json_object_set_new(j, "host", opt_text(r->host));
	json_object_set_new(j, "participants", parsed(r->participants));
	json_object_set_new(j, "expected", opt_count(r->expected));
	json_object_set_new(j, "attended", opt_count(r->attended));
	json_object_set_new(j, "absentees", parsed(r->absentees));
	json_object_set_new(j, "agenda", opt_text(r->agenda));
	json_object_set_new(j, "minutes", opt_text(r->minutes));
	json_object_set_new(j, "resolutions", opt_text(r->resolutions));
	json_object_set_new(j, "created_by", r->created_by ? json_integer(r->created_by)
							   : json_null());
	json_object_set_new(j, "created_at", opt_time(r->created_at));
	json_object_set_new(j, "updated_at", opt_time(r->updated_at));
	json_object_set_new(j, "deleted", json_boolean(r->deleted_at != 0));
	json_object_set_new(j, "deleted_at", opt_time(r->deleted_at));
	json_object_set_new(j, "version", json_integer(r->version));
	json_object_set_new(j, "attachments", json_integer(r->attachments));
	return j;
}

/*
 * The same record written straight into w, for the list, without building
 * jansson values: the same fields in the same order, the stored
 * participants and absentees copied as they are when they have the form
 * check_participants() and check_absentees() store.
 */

/* The end of the JSON string starting at s (s[0] == '"') when it is one as
 * jansson writes it: no raw control characters, only the simple escapes
 * and \u escapes other than NUL and the surrogates, well-formed UTF-8.
 * NULL otherwise. */
static const char *stored_string(const char *s)
{
	const char *p = s + 1;
	for (;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c < 0x20)
			return NULL; /* the terminating NUL too */
		if (c != '\\')
			continue;
		p++;
		if (*p && strchr("\"\\/bfnrt", *p))
			continue;
		if (*p != 'u')
			return NULL;
		unsigned v = 0;
		for (int i = 1; i <= 4; i++) {
			char h = p[i];
			int d = h >= '0' && h <= '9'   ? h - '0'
				: h >= 'a' && h <= 'f' ? h - 'a' + 10
				: h >= 'A' && h <= 'F' ? h - 'A' + 10
						       : -1;
			if (d < 0)
				return NULL;
			v = v * 16 + (unsigned)d;
		}
		if (v == 0 || (v >= 0xd800 && v <= 0xdfff))
			return NULL;
		p += 4;
	}
	return utf8_valid_text(s + 1, (size_t)(p - s - 1)) ? p + 1 : NULL;
}

static const char *skip(const char *p, const char *lit)
{
	size_t n = strlen(lit);
	return p && !strncmp(p, lit, n) ? p + n : NULL;
}

/* One element of the stored participants: a name. */
static const char *stored_name(const char *p)
{
	return p && *p == '"' ? stored_string(p) : NULL;
}

/* One element of the stored absentees: {"name":"...","reason":"..."|null}. */
static const char *stored_absentee(const char *p)
{
	p = skip(p, "{\"name\":");
	p = skip(stored_name(p), ",\"reason\":");
	if (p && *p != '"')
		return skip(skip(p, "null"), "}");
	return skip(stored_name(p), "}");
}

/* Is text the compact JSON array of elements el stores? */
static bool stored_array(const char *text, const char *(*el)(const char *))
{
	const char *p = skip(text, "[");
	if (p && *p != ']')
		for (p = el(p); p && *p == ','; p = el(p + 1))
			;
	p = skip(p, "]");
	return p && !*p;
}

bool ledger_stored_participants(const char *text)
{
	return stored_array(text, stored_name);
}

bool ledger_stored_absentees(const char *text)
{
	return stored_array(text, stored_absentee);
}

/* A stored array as it is, or (another form) as parsed() reads it. */
static void write_stored(struct jw *w, const char *text, bool (*ok)(const char *))
{
	if (text && ok(text)) {
		jw_lit(w, text);
		return;
	}
	json_t *j = parsed(text);
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	jw_lit(w, s ? s : "[]");
	free(s);
}

static void write_count(struct jw *w, int64_t v)
{
	if (v >= 0)
		jw_int(w, v);
	else
		jw_lit(w, "null");
}

static void write_time(struct jw *w, int64_t t)
{
	char buf[40];
	if (!t) {
		jw_lit(w, "null");
		return;
	}
	buf[0] = '"';
	time_format_rfc3339(t, buf + 1, sizeof(buf) - 2);
	size_t n = strlen(buf);
	buf[n] = '"';
	jw_raw(w, buf, n + 1);
}

#define KEY(w, k) jw_raw((w), (k), sizeof(k) - 1)

void ledger_record_write(struct jw *w, const struct record *r)
{
	KEY(w, "{\"id\":");
	jw_int(w, r->id);
	KEY(w, ",\"org_id\":");
	jw_int(w, r->org_id);
	KEY(w, ",\"kind\":");
	jw_str(w, r->kind);
	KEY(w, ",\"kind_name\":");
	jw_str(w, r->kind_name);
	KEY(w, ",\"date\":");
	jw_str(w, r->date);
	KEY(w, ",\"title\":");
	jw_str(w, r->title);
	KEY(w, ",\"place\":");
	jw_str(w, r->place);
	KEY(w, ",\"host\":");
	jw_str(w, r->host);
	KEY(w, ",\"participants\":");
	write_stored(w, r->participants, ledger_stored_participants);
	KEY(w, ",\"expected\":");
	write_count(w, r->expected);
	KEY(w, ",\"attended\":");
	write_count(w, r->attended);
	KEY(w, ",\"absentees\":");
	write_stored(w, r->absentees, ledger_stored_absentees);
	KEY(w, ",\"agenda\":");
	jw_str(w, r->agenda);
	KEY(w, ",\"minutes\":");
	jw_str(w, r->minutes);
	KEY(w, ",\"resolutions\":");
	jw_str(w, r->resolutions);
	KEY(w, ",\"created_by\":");
	write_count(w, r->created_by ? r->created_by : -1);
	KEY(w, ",\"created_at\":");
	write_time(w, r->created_at);
	KEY(w, ",\"updated_at\":");
	write_time(w, r->updated_at);
	if (r->deleted_at)
		KEY(w, ",\"deleted\":true,\"deleted_at\":");
	else
		KEY(w, ",\"deleted\":false,\"deleted_at\":");
	write_time(w, r->deleted_at);
	KEY(w, ",\"version\":");
	jw_int(w, r->version);
	KEY(w, ",\"attachments\":");
	jw_int(w, r->attachments);
	KEY(w, "}");
}

struct page_writer {
	struct jw *w;
	bool first;
};

static int write_row(void *ctx, const struct record *r, const char *org_name)
{
	(void)org_name;
	struct page_writer *pw = ctx;
	if (!pw->first)
		jw_raw(pw->w, ",", 1);
	pw->first = false;
	ledger_record_write(pw->w, r);
	return pw->w->err;
}

int ledger_list_write(struct db *db, struct arena *a, const struct record_filter *f,
		      int64_t offset, int64_t limit, struct jw *w)
{
	struct page_writer pw = {w, true};
	int64_t total;
	jw_reserve(w, (size_t)limit * 600 + 64); /* rows of ~500 bytes */
	KEY(w, "{\"items\":[");
	int rc = store_record_page(db, a, f, offset, limit, &total, write_row, &pw);
	if (rc)
		return rc;
	KEY(w, "],\"total\":");
	jw_int(w, total);
	KEY(w, "}");
	return w->err;
}

/* Keep cur as its version, as the JSON the API shows. */
static int keep_version(struct db *db, const struct actor *who, const struct record *cur,
			int64_t now)
{
	json_t *j = ledger_record_json(cur);
	char *data = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	int rc = store_record_version_insert(db, cur->id, cur->version, data, who->user_id, now);
	free(data);
	return rc;
}

int ledger_create(struct db *db, struct arena *a, const struct actor *who,
		  const struct record *rec, json_t *participants, json_t *absentees,
		  struct record *out, struct derr *e)
{
	struct record r = *rec;
	int rc = check_record(db, a, &r, true, e);
	if (!rc && participants)
		rc = check_participants(a, participants, &r.participants, e);
	if (!rc && absentees)
		rc = check_absentees(a, absentees, &r.absentees, e);
	if (rc)
		return rc;
	int64_t id;
	rc = store_record_insert(db, &r, who->user_id, time_now(), &id);
	if (!rc)
		rc = count_apply(db, r.org_id, r.kind, r.date, 1);
	if (!rc)
		rc = store_record_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, r.org_id, "record.create", "record", id,
			 json_pack("{s:s, s:s, s:s}", "kind", r.kind, "date", r.date, "title",
				   r.title));
}

static bool same(const char *x, const char *y)
{
	if (!x || !y)
		return x == y;
	return strcmp(x, y) == 0;
}

/* Note a changed field: [old, new] for short fields, true for long ones. */
static void diff_text(json_t *d, const char *key, const char *old, const char *new, bool brief)
{
	if (same(old, new))
		return;
	if (brief)
		json_object_set_new(d, key, json_true());
	else
		json_object_set_new(d, key, json_pack("[o,o]", opt_text(old), opt_text(new)));
}

static void diff_count(json_t *d, const char *key, int64_t old, int64_t new)
{
	if (old != new)
		json_object_set_new(d, key, json_pack("[o,o]", opt_count(old), opt_count(new)));
}

/* Is r the ledger record of a channel's inspection (domain/outlet.h)? Its
 * changes move the channel's last inspection and due date. */
static bool is_inspection(const struct record *r)
{
	return r->kind && !strcmp(r->kind, OUTLET_RECORD_KIND);
}

int ledger_update(struct db *db, struct arena *a, const struct actor *who,
		  const struct record *cur, const struct record *next, json_t *participants,
		  json_t *absentees, struct record *out, struct derr *e)
{
	if (cur->deleted_at)
		return derr_set(e, ZRZ_ECONFLICT, "id", "记录已删除，请先恢复再修改");
	struct record r = *next;
	r.id = cur->id;
	r.org_id = cur->org_id;
	int rc = check_record(db, a, &r, !same(cur->kind, r.kind), e);
	if (!rc && participants)
		rc = check_participants(a, participants, &r.participants, e);
	if (!rc && absentees)
		rc = check_absentees(a, absentees, &r.absentees, e);
	if (rc)
		return rc;
	json_t *d = json_object();
	diff_text(d, "kind", cur->kind, r.kind, false);
	diff_text(d, "date", cur->date, r.date, false);
	diff_text(d, "title", cur->title, r.title, false);
	diff_text(d, "place", cur->place, r.place, false);
	diff_text(d, "host", cur->host, r.host, false);
	diff_text(d, "participants", cur->participants, r.participants, true);
	diff_count(d, "expected", cur->expected, r.expected);
	diff_count(d, "attended", cur->attended, r.attended);
	diff_text(d, "absentees", cur->absentees, r.absentees, true);
	diff_text(d, "agenda", cur->agenda, r.agenda, true);
	diff_text(d, "minutes", cur->minutes, r.minutes, true);
	diff_text(d, "resolutions", cur->resolutions, r.resolutions, true);
	if (json_object_size(d) == 0) {
		/* Nothing changed: no version, no audit row. */
		json_decref(d);
		*out = *cur;
		return ZRZ_OK;
	}
	int64_t now = time_now();
	rc = keep_version(db, who, cur, now);
	if (!rc)
		rc = store_record_update(db, &r, cur->version + 1, now);
	if (!rc && (!same(cur->kind, r.kind) || !same(cur->date, r.date))) {
		rc = count_apply(db, cur->org_id, cur->kind, cur->date, -1);
		if (!rc)
			rc = count_apply(db, r.org_id, r.kind, r.date, 1);
	}
	if (!rc && (is_inspection(cur) || is_inspection(&r)))
		rc = outlet_record_changed(db, a, cur->id);
	if (!rc)
		rc = store_record_get(db, a, cur->id, out);
	if (rc) {
		json_decref(d);
		return rc;
	}
	json_object_set_new(d, "version", json_integer(out->version));
	return audit_log(db, who, cur->org_id, "record.update", "record", cur->id, d);
}

int ledger_delete(struct db *db, struct arena *a, const struct actor *who,
		  const struct record *cur, struct derr *e)
{
	if (cur->deleted_at)
		return derr_set(e, ZRZ_ECONFLICT, "id", "记录已删除");
	int64_t now = time_now();
	int rc = keep_version(db, who, cur, now);
	if (!rc)
		rc = store_record_set_deleted(db, cur->id, now, cur->version + 1, now);
	if (!rc)
		rc = count_apply(db, cur->org_id, cur->kind, cur->date, -1);
	if (!rc && is_inspection(cur))
		rc = outlet_record_changed(db, a, cur->id);
	if (rc)
		return rc;
	return audit_log(db, who, cur->org_id, "record.delete", "record", cur->id,
			 json_pack("{s:s, s:s, s:s, s:I}", "kind", cur->kind, "date", cur->date,
				   "title", cur->title, "version", (json_int_t)cur->version + 1));
}

int ledger_restore(struct db *db, struct arena *a, const struct actor *who,
		   const struct record *cur, struct record *out, struct derr *e)
{
	if (!cur->deleted_at)
		return derr_set(e, ZRZ_ECONFLICT, "id", "记录未被删除");
	int64_t now = time_now();
	int rc = keep_version(db, who, cur, now);
	if (!rc)
		rc = store_record_set_deleted(db, cur->id, 0, cur->version + 1, now);
	if (!rc)
		rc = count_apply(db, cur->org_id, cur->kind, cur->date, 1);
	if (!rc && is_inspection(cur))
		rc = outlet_record_changed(db, a, cur->id);
	if (!rc)
		rc = store_record_get(db, a, cur->id, out);
	if (rc)
		return rc;
	return audit_log(db, who, cur->org_id, "record.restore", "record", cur->id,
			 json_pack("{s:s, s:s, s:s, s:I}", "kind", cur->kind, "date", cur->date,
				   "title", cur->title, "version", (json_int_t)out->version));
}

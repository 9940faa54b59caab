/*
 * The three exports (see export.h): the column sets people keep on paper
 * (序号 first, dates as dates, the status in words on its colour), a title
 * naming the unit and the year or the filters, and a subtitle saying when
 * the file was made and from what.  The ledger is read through
 * store_record_each(), one page at a time; compliance tables are bounded by
 * the number of obligations and come from the domain whole.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/compliance.h"
#include "domain/ledger.h"
#include "report/export.h"
#include "report/xlsx.h"
#include "store/repo.h"

/* How often (rows) progress is reported. */
#define PROGRESS_EVERY 500

static const struct xlsx_column record_cols[] = {
	{"序号", XLSX_INT, 0},       {"单位", XLSX_TEXT, 30},      {"日期", XLSX_DATE, 0},
	{"类型", XLSX_TEXT, 32},     {"标题", XLSX_TEXT, 50},      {"地点", XLSX_TEXT, 24},
	{"主持人", XLSX_TEXT, 12},   {"应到人数", XLSX_INT, 0},    {"实到人数", XLSX_INT, 0},
	{"参加人员", XLSX_TEXT, 40}, {"缺席人员", XLSX_TEXT, 30},  {"议程", XLSX_TEXT, 40},
	{"会议纪要", XLSX_TEXT, 50}, {"决议事项", XLSX_TEXT, 40},
};

static const struct xlsx_column compliance_cols[] = {
	{"序号", XLSX_INT, 0},         {"记录类型", XLSX_TEXT, 30}, {"周期类型", XLSX_TEXT, 0},
	{"周期", XLSX_TEXT, 0},        {"开始日期", XLSX_DATE, 0},  {"结束日期", XLSX_DATE, 0},
	{"要求次数", XLSX_INT, 0},     {"已完成次数", XLSX_INT, 0}, {"完成情况", XLSX_STATUS, 0},
};

static const struct xlsx_column rollup_cols[] = {
	{"序号", XLSX_INT, 0},         {"单位", XLSX_TEXT, 30},     {"记录类型", XLSX_TEXT, 30},
	{"周期类型", XLSX_TEXT, 0},    {"周期", XLSX_TEXT, 0},      {"开始日期", XLSX_DATE, 0},
	{"结束日期", XLSX_DATE, 0},    {"要求次数", XLSX_INT, 0},   {"已完成次数", XLSX_INT, 0},
	{"完成情况", XLSX_STATUS, 0},
};

/* "2026-11-30 08:04" in China. */
static const char *stamp(struct arena *a, int64_t now)
{
	char t[40];
	time_format_rfc3339(now, t, sizeof(t));
	return arena_printf(a, "%.10s %.5s", t, t + 11);
}

static void progress_tell(const struct export_progress *p, int64_t done, int64_t total)
{
	if (p && p->fn)
		p->fn(p->ctx, done, total);
}

static const char *kind_name(struct db *db, struct arena *a, const char *code)
{
	struct record_kind *kinds;
	int n;
	if (!code || ledger_kinds(db, a, &kinds, &n))
		return code;
	for (int i = 0; i < n; i++)
		if (!strcmp(kinds[i].code, code))
			return kinds[i].name;
	return code;
}

/* ---- the ledger ---- */

struct record_walk {
	struct xlsx_table *t;
	struct buf people;
	const struct export_progress *progress;
	int64_t total;
};

static void put_name(struct buf *b, const char *name, size_t nlen, const char *reason,
		     size_t rlen)
{
	if (b->len)
		buf_puts(b, "、");
	buf_append(b, name, nlen);
	if (rlen) {
		buf_puts(b, "（");
		buf_append(b, reason, rlen);
		buf_puts(b, "）");
	}
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* A JSON string without escapes at *p: its bytes into *s and *n, *p past
 * it; false for anything else (an escape sends the caller to jansson). */
static bool plain_string(const char **p, const char **s, size_t *n)
{
	const char *q = *p;
	if (*q != '"')
		return false;
	const char *e = q + 1;
	while (*e && *e != '"' && *e != '\\' && (unsigned char)*e >= 0x20)
		e++;
	if (*e != '"')
		return false;
	*s = q + 1;
	*n = (size_t)(e - q - 1);
	*p = e + 1;
	return true;
}

/* The stored array as the ledger writes it (names, or objects of string
 * members among which "name" and "reason"), read in place without building
 * it; false when it has any other shape, with b left to the caller. */
static bool names_plain(struct buf *b, const char *json)
{
	const char *p = skip_ws(json);
	if (*p++ != '[')
		return false;
	p = skip_ws(p);
	if (*p == ']')
		return !*skip_ws(p + 1);
	for (;;) {
		const char *name = NULL, *reason = NULL;
		size_t nlen = 0, rlen = 0;
		if (*p == '"') {
			if (!plain_string(&p, &name, &nlen))
				return false;
		} else if (*p == '{') {
			p = skip_ws(p + 1);
			while (*p != '}') {
				const char *k, *v;
				size_t kn, vn;
				if (!plain_string(&p, &k, &kn))
					return false;
				p = skip_ws(p);
				if (*p++ != ':')
					return false;
				p = skip_ws(p);
				if (!plain_string(&p, &v, &vn))
					return false;
				if (kn == 4 && !memcmp(k, "name", 4)) {
					name = v;
					nlen = vn;
				} else if (kn == 6 && !memcmp(k, "reason", 6)) {
					reason = v;
					rlen = vn;
				}
				p = skip_ws(p);
				if (*p == ',')
					p = skip_ws(p + 1);
				else if (*p != '}')
					return false;
			}
			p++;
		} else {
			return false;
		}
		if (name)
			put_name(b, name, nlen, reason, reason ? rlen : 0);
		p = skip_ws(p);
		if (*p == ']')
			return !*skip_ws(p + 1);
		if (*p++ != ',')
			return false;
		p = skip_ws(p);
	}
}

/* A JSON array of names (or of {"name","reason"} objects) as "张三、李四（病假）".
 * The arrays the ledger stores are read in place (names_plain); any other
 * text, one with escapes for instance, goes through jansson. */
static const char *names(struct buf *b, const char *json)
{
	b->len = 0;
	if (!json || !*json)
		return NULL;
	if (names_plain(b, json))
		return b->len ? b->data : NULL;
	b->len = 0;
	json_t *arr = json_loads(json, 0, NULL);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return NULL;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *name = json_is_string(v) ? json_string_value(v)
						     : json_string_value(json_object_get(v, "name"));
		const char *reason = json_string_value(json_object_get(v, "reason"));
		if (!name)
			continue;
		put_name(b, name, strlen(name), reason, reason ? strlen(reason) : 0);
	}
	json_decref(arr);
	return b->len ? b->data : NULL;
}

static int record_row(void *ctx, const struct record *r, const char *org_name)
{
	struct record_walk *w = ctx;
	struct xlsx_table *t = w->t;
	xlsx_int(t, xlsx_rows(t) + 1);
	xlsx_text(t, org_name);
	xlsx_date(t, r->date);
	xlsx_text(t, r->kind_name ? r->kind_name : r->kind);
	xlsx_text(t, r->title);
	xlsx_text(t, r->place);
	xlsx_text(t, r->host);
	if (r->expected >= 0)
		xlsx_int(t, r->expected);
	else
		xlsx_blank(t);
	if (r->attended >= 0)
		xlsx_int(t, r->attended);
	else
		xlsx_blank(t);
	xlsx_text(t, names(&w->people, r->participants));
	xlsx_text(t, names(&w->people, r->absentees));
	xlsx_text(t, r->agenda);
	xlsx_text(t, r->minutes);
	xlsx_text(t, r->resolutions);
	int rc = xlsx_row_end(t);
	if (!rc && xlsx_rows(t) % PROGRESS_EVERY == 0)
		progress_tell(w->progress, xlsx_rows(t), w->total);
	return rc;
}

static void set_name(struct arena *a, struct export_result *out, const char *fmt_prefix,
		     const char *org, const char *suffix)
{
	out->filename = arena_printf(a, "%s_%s%s.xlsx", fmt_prefix, org, suffix ? suffix : "");
}

int export_records(struct db *db, struct arena *a, const struct org *o,
		   const struct record_filter *f, int64_t now, const char *dest,
		   const struct export_progress *progress, struct export_result *out,
		   struct derr *e)
{
	memset(out, 0, sizeof(*out));
	out->fd = -1;
	int64_t total;
	int rc = store_record_count(db, a, f, &total);
	if (rc)
		return rc;
	if (total > EXPORT_RECORDS_MAX)
		return derr_set(e, ZRZ_EINVAL, NULL,
				"一次最多导出 1000000 条记录，请按日期或类型缩小范围");
	const char *kname = f->kind ? kind_name(db, a, f->kind) : NULL;
	const char *title = arena_printf(a, "%s台账%s — %s%s", kname ? kname : "",
					 f->deleted ? "（已删除的记录）" : "", o->name,
					 f->path ? "及下级单位" : "");
	struct buf sub = BUF_INIT;
	buf_printf(&sub, "导出时间：%s", stamp(a, now));
	if (f->from || f->to)
		buf_printf(&sub, "　日期：%s 至 %s", f->from ? f->from : "…", f->to ? f->to : "…");
	if (kname)
		buf_printf(&sub, "　类型：%s", kname);
	if (f->q)
		buf_printf(&sub, "　关键词：%s", f->q);
	buf_printf(&sub, "　共 %lld 条", (long long)total);
	struct xlsx_table *t;
	rc = xlsx_open(dest, title, sub.data, record_cols, (int)ZRZ_ARRAY_LEN(record_cols), &t);
	buf_release(&sub);
	if (rc)
		return rc;
	struct record_walk w = {t, BUF_INIT, progress, total};
	rc = store_record_each(db, f, EXPORT_RECORDS_MAX, record_row, &w);
	buf_release(&w.people);
	if (rc) {
		xlsx_discard(t);
		return rc;
	}
	out->rows = xlsx_rows(t);
	progress_tell(progress, out->rows, total);
	rc = xlsx_close(t, &out->fd, &out->size);
	if (rc)
		return rc;
	char range[40] = "";
	if (f->from || f->to)
		snprintf(range, sizeof(range), "_%s至%s", f->from ? f->from : "",
			 f->to ? f->to : "");
	set_name(a, out, arena_printf(a, "%s台账", kname ? kname : ""), o->name, range);
	out->detail = json_pack("{s:s, s:s, s:I, s:b, s:s?, s:s?, s:s?, s:s?, s:b}", "export",
				"records", "format", "xlsx", "rows", (json_int_t)out->rows,
				"subtree", f->path != NULL, "kind", f->kind, "from", f->from, "to",
				f->to, "q", f->q, "deleted", f->deleted);
	return ZRZ_OK;
}

/* ---- compliance ---- */

static void period_cells(struct xlsx_table *t, const struct period *p)
{
	char label[PERIOD_LABEL_SIZE], first[PERIOD_DATE_SIZE], last[PERIOD_DATE_SIZE];
	period_label(p, label, sizeof(label));
	period_dates(p, first, last);
	xlsx_text(t, period_kind_label(p->kind));
	xlsx_text(t, label);
	xlsx_date(t, first);
	xlsx_date(t, last);
}

static const char *as_of_text(struct arena *a, int today)
{
	char d[PERIOD_DATE_SIZE];
	period_day_format(today, d, sizeof(d));
	return arena_strdup(a, d);
}

int export_compliance(struct db *db, struct arena *a, const struct org *o, int year, int today,
		      int64_t now, const char *dest, const struct export_progress *progress,
		      struct export_result *out, struct derr *e)
{
	(void)e;
	memset(out, 0, sizeof(*out));
	out->fd = -1;
	struct compliance_row *rows;
	int n;
	int rc = compliance_of(db, a, o->id, year, today, &rows, &n);
	if (rc)
		return rc;
	const char *title = arena_printf(a, "指标完成情况 — %s %d年", o->name, year);
	const char *sub = arena_printf(a, "截至 %s　导出时间：%s　共 %d 项", as_of_text(a, today),
				       stamp(a, now), n);
	struct xlsx_table *t;
	rc = xlsx_open(dest, title, sub, compliance_cols, (int)ZRZ_ARRAY_LEN(compliance_cols), &t);
	if (rc)
		return rc;
	for (int i = 0; i < n && !rc; i++) {
		const struct compliance_row *c = &rows[i];
		xlsx_int(t, i + 1);
		xlsx_text(t, c->kind_name ? c->kind_name : c->obligation->kind);
		period_cells(t, &c->period);
		xlsx_int(t, c->obligation->min);
		xlsx_int(t, c->done);
		xlsx_status(t, c->pacing.status);
		rc = xlsx_row_end(t);
		if (!rc && (i + 1) % PROGRESS_EVERY == 0)
			progress_tell(progress, i + 1, n);
	}
	if (rc) {
		xlsx_discard(t);
		return rc;
	}
	out->rows = n;
	progress_tell(progress, n, n);
	rc = xlsx_close(t, &out->fd, &out->size);
	if (rc)
		return rc;
	set_name(a, out, "指标完成情况", o->name, arena_printf(a, "_%d", year));
	out->detail = json_pack("{s:s, s:s, s:I, s:i, s:s}", "export", "compliance", "format",
				"xlsx", "rows", (json_int_t)n, "year", year, "as_of",
				as_of_text(a, today));
	return ZRZ_OK;
}

struct rollup_walk {
	struct xlsx_table *t;
	const struct record_kind *kinds;
	int nkinds;
	const struct export_progress *progress;
	int64_t total;
};

static int rollup_row(void *ctx, const struct rollup_row *r)
{
	struct rollup_walk *w = ctx;
	struct xlsx_table *t = w->t;
	const char *kname = r->ob->o.kind;
	for (int k = 0; k < w->nkinds; k++)
		if (!strcmp(w->kinds[k].code, r->ob->o.kind))
			kname = w->kinds[k].name;
	xlsx_int(t, xlsx_rows(t) + 1);
	xlsx_text(t, r->ob->org_name);
	xlsx_text(t, kname);
	period_cells(t, &r->period);
	xlsx_int(t, r->ob->o.min);
	xlsx_int(t, r->done);
	xlsx_status(t, r->pacing.status);
	int rc = xlsx_row_end(t);
	if (!rc && xlsx_rows(t) % PROGRESS_EVERY == 0)
		progress_tell(w->progress, xlsx_rows(t), w->total);
	return rc;
}

int export_rollup(struct db *db, struct arena *a, const struct org *o, int year, int today,
		  const struct period *only, enum rollup_sort sort, int64_t now,
		  const char *dest, const struct export_progress *progress,
		  struct export_result *out, struct derr *e)
{
	(void)e;
	memset(out, 0, sizeof(*out));
	out->fd = -1;
	int64_t n;
	int rc = compliance_rollup_total(db, o->id, year, only, &n);
	if (rc)
		return rc;
	struct record_kind *kinds;
	int nkinds;
	rc = ledger_kinds(db, a, &kinds, &nkinds);
	if (rc)
		return rc;
	char only_key[PERIOD_KEY_SIZE] = "", only_label[PERIOD_LABEL_SIZE] = "";
	if (only) {
		period_format(only, only_key, sizeof(only_key));
		period_label(only, only_label, sizeof(only_label));
	}
	const char *title = arena_printf(a, "下级单位指标完成情况汇总 — %s %d年", o->name, year);
	const char *sub = arena_printf(
		a, "截至 %s　导出时间：%s%s%s　%s　共 %lld 项", as_of_text(a, today), stamp(a, now),
		only ? "　周期：" : "", only_label,
		sort == ROLLUP_SORT_ORG ? "按单位排序" : "按落后程度排序（最落后在前）",
		(long long)n);
	struct xlsx_table *t;
	rc = xlsx_open(dest, title, sub, rollup_cols, (int)ZRZ_ARRAY_LEN(rollup_cols), &t);
	if (rc)
		return rc;
	/* Every row, read from the kept table in batches (sorted on disk for
	 * "most behind first"), so that a province needs no more memory than a
	 * unit. */
	struct rollup_walk w = {t, kinds, nkinds, progress, n};
	rc = compliance_rollup_each(db, o->path, year, today, only, sort, rollup_row, &w);
	if (rc) {
		xlsx_discard(t);
		return rc;
	}
	out->rows = xlsx_rows(t);
	progress_tell(progress, out->rows, n);
	rc = xlsx_close(t, &out->fd, &out->size);
	if (rc)
		return rc;
	set_name(a, out, "完成情况汇总", o->name,
		 only ? arena_printf(a, "_%s", only_key) : arena_printf(a, "_%d", year));
	out->detail = json_pack("{s:s, s:s, s:I, s:i, s:s, s:s?, s:s}", "export", "rollup",
				"format", "xlsx", "rows", (json_int_t)out->rows, "year", year,
				"as_of", as_of_text(a, today), "period", only ? only_key : NULL,
				"sort", sort == ROLLUP_SORT_ORG ? "org" : "behind");
	return ZRZ_OK;
}

int export_audit(struct db *db, const struct actor *who, const struct org *o,
		 struct export_result *res)
{
	json_t *d = res->detail;
	res->detail = NULL;
	/* The entity names the table exported; static, as audit_log frees d. */
	const char *what = json_string_value(json_object_get(d, "export"));
	const char *entity = what && !strcmp(what, "records")      ? "record"
			     : what && !strcmp(what, "compliance") ? "compliance"
								   : "rollup";
	return audit_log(db, who, o->id, "export", entity, 0, d);
}

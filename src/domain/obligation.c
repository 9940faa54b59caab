/*
 * Obligations of a unit and their compliance.  Compliance reads one row of
 * ledger_count per obligation period (all the counters of a unit, kind and
 * year in one query), so its cost depends on the number of obligations,
 * never on the size of the ledger.  The unit's historic rate for pacing is
 * its records of the kind in the obligation year so far, from the same
 * counters (the year's counter, which also holds any record already dated
 * later in the year).
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/compliance.h"
#include "domain/ledger.h"
#include "domain/obligation.h"
#include "domain/plan.h"
#include "store/repo.h"

const char *const obligation_periods[] = {"year", "half", "quarter", "month", "week", NULL};

int obligation_get(struct db *db, struct arena *a, int64_t id, struct obligation *out)
{
	return store_obligation_get(db, a, id, out);
}

int obligation_list(struct db *db, struct arena *a, int64_t org_id, int64_t year,
		    struct obligation **items, int *n)
{
	return store_obligation_list(db, a, org_id, year, items, n);
}

json_t *obligation_json(const struct obligation *o)
{
	enum period_kind k = PERIOD_YEAR;
	period_kind_parse(o->period, &k);
	return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:I, s:o}", "id", (json_int_t)o->id,
			 "org_id", (json_int_t)o->org_id, "kind", o->kind, "min",
			 (json_int_t)o->min, "period", o->period, "period_label",
			 period_kind_label(k), "year", (json_int_t)o->year, "plan_item_id",
			 o->plan_item_id ? json_integer(o->plan_item_id) : json_null());
}

int obligation_create(struct db *db, struct arena *a, const struct actor *who,
		      const struct obligation *o, struct obligation *out, struct derr *e)
{
	struct record_kind k;
	int rc = store_record_kind_get(db, a, o->kind ? o->kind : "", &k);
	if (rc == ZRZ_ENOTFOUND || (!rc && !k.active))
		return derr_set(e, ZRZ_EINVAL, "kind", "记录类型不存在或已停用");
	if (rc)
		return rc;
	if (o->min < 1 || o->min > OBLIGATION_MIN_MAX)
		return derr_set(e, ZRZ_EINVAL, "min", "次数应为 1 至 1000");
	enum period_kind pk;
	if (!o->period || period_kind_parse(o->period, &pk))
		return derr_set(e, ZRZ_EINVAL, "period", "周期应为 year、half、quarter、month 或 week");
	if (o->year < LEDGER_YEAR_MIN || o->year > LEDGER_YEAR_MAX)
		return derr_set(e, ZRZ_EINVAL, "year", "年度应在 2000 至 2100 之间");
	if (o->plan_item_id) {
		rc = plan_item_check_org(db, o->plan_item_id, o->org_id, e);
		if (rc)
			return rc;
	}
	int64_t id;
	rc = store_obligation_insert(db, o, time_now(), &id);
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, ZRZ_ECONFLICT, "kind", "该单位本年度已有相同类型和周期的指标");
	if (!rc)
		rc = store_obligation_get(db, a, id, out);
	if (!rc)
		rc = compliance_obligation_added(db, a, out);
	if (rc)
		return rc;
	return audit_log(db, who, o->org_id, "obligation.create", "obligation", id,
			 json_pack("{s:s, s:I, s:s, s:I}", "kind", o->kind, "min",
				   (json_int_t)o->min, "period", o->period, "year",
				   (json_int_t)o->year));
}

int obligation_delete(struct db *db, const struct actor *who, const struct obligation *o)
{
	int rc = store_obligation_delete(db, o->id);
	if (!rc)
		rc = compliance_obligation_removed(db, o);
	if (rc)
		return rc;
	return audit_log(db, who, o->org_id, "obligation.delete", "obligation", o->id,
			 json_pack("{s:s, s:I, s:s, s:I}", "kind", o->kind, "min",
				   (json_int_t)o->min, "period", o->period, "year",
				   (json_int_t)o->year));
}

static int64_t lookup(const struct ledger_count *c, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].period_key, key))
			return c[i].count;
	return 0;
}

int compliance_of(struct db *db, struct arena *a, int64_t org_id, int year, int today,
		  struct compliance_row **rows, int *n)
{
	struct obligation *obl;
	int nobl;
	int rc = store_obligation_list(db, a, org_id, year, &obl, &nobl);
	if (rc)
		return rc;
	struct record_kind *kinds;
	int nkinds;
	rc = store_record_kind_list(db, a, &kinds, &nkinds);
	if (rc)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * ((size_t)nobl * PERIOD_MAX_PER_YEAR + 1));
	*n = 0;
	for (int i = 0; i < nobl; i++) {
		const struct obligation *o = &obl[i];
		enum period_kind pk;
		if (period_kind_parse(o->period, &pk))
			return ZRZ_EINTERNAL;
		const char *kind_name = NULL;
		for (int k = 0; k < nkinds; k++)
			if (!strcmp(kinds[k].code, o->kind))
				kind_name = kinds[k].name;
		struct ledger_count *counts;
		int ncounts;
		rc = store_ledger_count_year(db, a, org_id, o->kind, year, &counts, &ncounts);
		if (rc)
			return rc;
		/* The unit's pace over the year so far (see the file comment). */
		struct period whole = {PERIOD_YEAR, year, 1};
		char ykey[PERIOD_KEY_SIZE];
		int yfirst;
		period_format(&whole, ykey, sizeof(ykey));
		period_bounds(&whole, &yfirst, NULL);
		double rate = pacing_rate((int)lookup(counts, ncounts, ykey), yfirst, today);
		struct period ps[PERIOD_MAX_PER_YEAR];
		int np;
		if (period_list(pk, year, ps, &np))
			return ZRZ_EINTERNAL;
		for (int p = 0; p < np; p++) {
			struct compliance_row *c = &(*rows)[(*n)++];
			c->obligation = o;
			c->kind_name = kind_name;
			c->period = ps[p];
			period_format(&ps[p], c->key, sizeof(c->key));
			period_dates(&ps[p], c->first, c->last);
			c->done = lookup(counts, ncounts, c->key);
			if (pacing_assess_period(&ps[p], (int)o->min, (int)c->done, today, rate,
						 &c->pacing))
				return ZRZ_EINTERNAL;
		}
	}
	return ZRZ_OK;
}

json_t *compliance_row_json(const struct compliance_row *c)
{
	char label[PERIOD_LABEL_SIZE];
	period_label(&c->period, label, sizeof(label));
	return json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:f}",
			 "obligation_id", (json_int_t)c->obligation->id, "kind",
			 c->obligation->kind, "kind_name",
			 c->kind_name ? json_string(c->kind_name) : json_null(), "period_kind",
			 c->obligation->period, "period", c->key, "label", label, "first",
			 c->first, "last", c->last, "done", (json_int_t)c->done, "target",
			 (json_int_t)c->obligation->min, "status",
			 pacing_status_code(c->pacing.status), "status_label",
			 pacing_status_label(c->pacing.status), "behind", c->pacing.behind);
}

/* ---- a superior's rollup ---- */

static int count_cmp(const void *x, const void *y)
{
	const struct unit_count *a = x, *b = y;
	if (a->org_id != b->org_id)
		return a->org_id < b->org_id ? -1 : 1;
	int c = strcmp(a->kind, b->kind);
	return c ? c : strcmp(a->period_key, b->period_key);
}

/* The counter of (org, kind, key) in counts sorted by count_cmp; 0 when none. */
static int64_t count_find(const struct unit_count *counts, int n, int64_t org_id,
			  const char *kind, const char *key)
{
	struct unit_count k = {org_id, kind, key, 0};
	const struct unit_count *f = n ? bsearch(&k, counts, (size_t)n, sizeof(k), count_cmp) : NULL;
	return f ? f->count : 0;
}

static int rollup_cmp_behind(const void *x, const void *y)
{
	const struct rollup_row *a = x, *b = y;
	int c = pacing_cmp_behind(&a->pacing, &b->pacing);
	if (!c)
		c = strcmp(a->ob->org_path, b->ob->org_path);
	if (!c)
		c = a->seq < b->seq ? -1 : a->seq > b->seq;
	return c;
}

static int rollup_cmp_org(const void *x, const void *y)
{
	const struct rollup_row *a = x, *b = y;
	int c = strcmp(a->ob->org_path, b->ob->org_path);
	if (!c)
		c = a->seq < b->seq ? -1 : a->seq > b->seq;
	return c;
}

int compliance_rollup(struct db *db, struct arena *a, const char *path, int year, int today,
		      const struct period *only, enum rollup_sort sort, struct rollup_row **rows,
		      int *n, struct derr *e)
{
	struct unit_obligation *obl;
	int nobl;
	*rows = NULL;
	*n = 0;
	int rc = store_obligation_subtree(db, a, path, year,
					  only ? period_kind_code(only->kind) : NULL,
					  ROLLUP_PAIRS_MAX + 1, &obl, &nobl);
	if (rc)
		return rc;
	if (nobl > ROLLUP_PAIRS_MAX)
		return derr_set(e, ZRZ_EINVAL, "org_id",
				"单位和指标过多 (超过 20000 项)，请选择更下级的单位或指定周期");
	struct unit_count *counts;
	int ncounts;
	rc = store_ledger_count_subtree(db, a, path, year, &counts, &ncounts);
	if (rc)
		return rc;
	if (ncounts > 1)
		qsort(counts, (size_t)ncounts, sizeof(*counts), count_cmp);
	size_t cap = 0;
	for (int i = 0; i < nobl; i++) {
		enum period_kind pk;
		if (period_kind_parse(obl[i].o.period, &pk))
			return ZRZ_EINTERNAL;
		if (!only)
			cap += (size_t)period_count(pk, year);
		else if (pk == only->kind)
			cap++;
	}
	*rows = arena_alloc(a, sizeof(**rows) * (cap + 1));
	struct period whole = {PERIOD_YEAR, year, 1};
	char ykey[PERIOD_KEY_SIZE];
	int yfirst;
	period_format(&whole, ykey, sizeof(ykey));
	period_bounds(&whole, &yfirst, NULL);
	for (int i = 0; i < nobl; i++) {
		const struct unit_obligation *u = &obl[i];
		enum period_kind pk;
		period_kind_parse(u->o.period, &pk);
		if (only && pk != only->kind)
			continue;
		/* The unit's pace over the year so far, as compliance_of() has it. */
		double rate = pacing_rate(
			(int)count_find(counts, ncounts, u->o.org_id, u->o.kind, ykey), yfirst, today);
		struct period ps[PERIOD_MAX_PER_YEAR];
		int np;
		if (only) {
			ps[0] = *only;
			np = 1;
		} else if (period_list(pk, year, ps, &np)) {
			return ZRZ_EINTERNAL;
		}
		for (int p = 0; p < np; p++) {
			struct rollup_row *r = &(*rows)[*n];
			char key[PERIOD_KEY_SIZE];
			period_format(&ps[p], key, sizeof(key));
			r->ob = u;
			r->period = ps[p];
			r->done = count_find(counts, ncounts, u->o.org_id, u->o.kind, key);
			r->seq = *n;
			if (pacing_assess_period(&ps[p], (int)u->o.min, (int)r->done, today, rate,
						 &r->pacing))
				return ZRZ_EINTERNAL;
			(*n)++;
		}
	}
	if (*n > 1)
		qsort(*rows, (size_t)*n, sizeof(**rows),
		      sort == ROLLUP_SORT_ORG ? rollup_cmp_org : rollup_cmp_behind);
	return ZRZ_OK;
}

json_t *rollup_row_json(const struct rollup_row *r, const struct record_kind *kinds, int nkinds)
{
	struct compliance_row c = {0};
	c.obligation = &r->ob->o;
	for (int k = 0; k < nkinds; k++)
		if (!strcmp(kinds[k].code, r->ob->o.kind))
			c.kind_name = kinds[k].name;
	c.period = r->period;
	period_format(&r->period, c.key, sizeof(c.key));
	period_dates(&r->period, c.first, c.last);
	c.done = r->done;
	c.pacing = r->pacing;
	json_t *j = compliance_row_json(&c);
	json_object_set_new(j, "org_id", json_integer(r->ob->o.org_id));
	json_object_set_new(j, "org_name", json_string(r->ob->org_name));
	json_object_set_new(j, "org_path", json_string(r->ob->org_path));
	return j;
}

/* ---- templates ---- */

static const struct obligation_template_item seed_items[] = {
	{"special_meeting", 2, "year"},
	{"center_group_study", 12, "year"},
	{"committee_study", 1, "quarter"},
	{"analysis", 1, "half"},
};

static const struct obligation_template_item sanhui_items[] = {
	{"branch_assembly", 1, "quarter"},
	{"branch_committee", 1, "month"},
	{"group_meeting", 1, "month"},
	{"party_lecture", 1, "quarter"},
};

const struct obligation_template obligation_templates[] = {
	{"seed", "意识形态工作责任制常规指标", seed_items, 4},
	{"sanhui_yike", "三会一课", sanhui_items, 4},
};
const int obligation_template_count = 2;

const struct obligation_template *obligation_template_find(const char *code)
{
	for (int i = 0; code && i < obligation_template_count; i++)
		if (!strcmp(obligation_templates[i].code, code))
			return &obligation_templates[i];
	return NULL;
}

static json_t *template_item_json(const struct obligation_template_item *it)
{
	return json_pack("{s:s, s:i, s:s}", "kind", it->kind, "min", it->min, "period",
			 it->period);
}

json_t *obligation_template_json(const struct obligation_template *t)
{
	json_t *items = json_array();
	for (int i = 0; i < t->n; i++)
		json_array_append_new(items, template_item_json(&t->items[i]));
	return json_pack("{s:s, s:s, s:o}", "code", t->code, "name", t->name, "obligations",
			 items);
}

int obligation_adopt(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
		     int64_t year, const struct obligation_template *t,
		     struct obligation **created, int *ncreated, int **skipped, int *nskipped,
		     struct derr *e)
{
	struct obligation *have;
	int nhave;
	int rc = store_obligation_list(db, a, org_id, year, &have, &nhave);
	if (rc)
		return rc;
	*created = arena_alloc(a, sizeof(**created) * (size_t)t->n);
	*skipped = arena_alloc(a, sizeof(**skipped) * (size_t)t->n);
	*ncreated = *nskipped = 0;
	json_t *made = json_array();
	for (int i = 0; i < t->n; i++) {
		const struct obligation_template_item *it = &t->items[i];
		bool exists = false;
		for (int h = 0; h < nhave && !exists; h++)
			exists = !strcmp(have[h].kind, it->kind) && !strcmp(have[h].period, it->period);
		if (exists) {
			(*skipped)[(*nskipped)++] = i;
			continue;
		}
		struct obligation o = {0};
		o.org_id = org_id;
		o.kind = it->kind;
		o.min = it->min;
		o.period = it->period;
		o.year = year;
		rc = obligation_create(db, a, who, &o, &(*created)[*ncreated], e);
		if (rc) {
			json_decref(made);
			return rc;
		}
		json_array_append_new(made, json_integer((*created)[*ncreated].id));
		(*ncreated)++;
	}
	return audit_log(db, who, org_id, "obligation.adopt", "org", org_id,
			 json_pack("{s:s, s:I, s:o}", "template", t->code, "year",
				   (json_int_t)year, "created", made));
}

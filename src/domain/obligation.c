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
#include "domain/ledger.h"
#include "domain/obligation.h"
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
	if (o->plan_item_id)
		return derr_set(e, ZRZ_EINVAL, "plan_item_id", "计划事项不存在");
	int64_t id;
	rc = store_obligation_insert(db, o, time_now(), &id);
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, ZRZ_ECONFLICT, "kind", "该单位本年度已有相同类型和周期的指标");
	if (!rc)
		rc = store_obligation_get(db, a, id, out);
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

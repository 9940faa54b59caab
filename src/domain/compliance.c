/*
 * Compliance kept ready (see compliance.h).  A row's assessment is pacing's
 * for the day, stored with the integer behind key and the urgency the
 * order needs; everything else in the row is a count read from ledger_count
 * or a copy from the obligation and its unit.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/ztime.h"
#include "domain/compliance.h"
#include "core/extsort.h"
#include "core/str.h"
#include "store/repo.h"

#include <limits.h>

/* The rows whose assessment never changes again (a period that ended). */
#define VALID_FOREVER INT_MAX
/* Rows read per batch by compliance_fill. */
#define FILL_BATCH 2000

static int64_t lookup(const struct ledger_count *c, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].period_key, key))
			return c[i].count;
	return 0;
}

static int year_first_day(int year)
{
	struct period whole = {PERIOD_YEAR, year, 1};
	int first = 0;
	period_bounds(&whole, &first, NULL);
	return first;
}

/* Assess e for day today into *p and e's status, urgency, behind and days. */
static int assess(struct compliance_entry *e, int today, struct pacing *p)
{
	double rate = pacing_rate((int)e->year_done, year_first_day((int)e->year), today);
	int rc = pacing_assess((int)e->target, (int)e->done, e->first_day, e->last_day, today,
			       rate, p);
	if (rc)
		return ZRZ_EINTERNAL;
	e->status = pacing_status_code(p->status);
	e->urgency = pacing_status_urgency(p->status);
	double scaled = p->behind * 1e13;
	e->behind = (int64_t)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
	e->assessed_on = today;
	e->valid_to = today > e->last_day ? VALID_FOREVER
		      : today < e->first_day ? e->first_day - 1
					     : today;
	return ZRZ_OK;
}

/* The second id of path ("/1/62/..." gives 62), 0 for a path of one id. */
static int64_t path_a2(const char *path)
{
	const char *s = path[0] == '/' ? strchr(path + 1, '/') : NULL;
	int64_t v = 0;
	if (!s)
		return 0;
	for (s++; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return v;
}

static int refresh_obligation(struct db *db, const struct obligation *o, const char *path,
			      const struct ledger_count *counts, int ncounts, int today)
{
	enum period_kind pk;
	if (period_kind_parse(o->period, &pk))
		return ZRZ_EINTERNAL;
	char ykey[PERIOD_KEY_SIZE];
	struct period whole = {PERIOD_YEAR, (int)o->year, 1};
	period_format(&whole, ykey, sizeof(ykey));
	int64_t year_done = lookup(counts, ncounts, ykey);
	struct period ps[PERIOD_MAX_PER_YEAR];
	int np;
	if (period_list(pk, (int)o->year, ps, &np))
		return ZRZ_EINTERNAL;
	for (int i = 0; i < np; i++) {
		char key[PERIOD_KEY_SIZE];
		period_format(&ps[i], key, sizeof(key));
		struct compliance_entry e = {0};
		e.obligation_id = o->id;
		e.period_key = key;
		e.org_id = o->org_id;
		e.path = path;
		e.a2 = path_a2(path);
		e.year = o->year;
		e.kind = o->kind;
		e.prank = (int)pk + 1;
		if (period_bounds(&ps[i], &e.first_day, &e.last_day) < 0)
			return ZRZ_EINTERNAL;
		e.target = o->min;
		e.done = lookup(counts, ncounts, key);
		e.year_done = year_done;
		struct pacing p;
		int rc = assess(&e, today, &p);
		if (!rc)
			rc = store_compliance_put(db, &e);
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

int compliance_refresh(struct db *db, struct arena *a, int64_t org_id, const char *kind,
		       int year, int today)
{
	struct obligation *obl;
	int nobl;
	int rc = store_obligation_list(db, a, org_id, year, &obl, &nobl);
	if (rc)
		return rc;
	struct ledger_count *counts = NULL;
	int ncounts = 0;
	char path[512];
	bool read = false;
	for (int i = 0; i < nobl; i++) {
		if (strcmp(obl[i].kind, kind))
			continue;
		if (!read) {
			rc = store_org_path(db, org_id, path, sizeof(path));
			if (!rc)
				rc = store_ledger_count_year(db, a, org_id, kind, year, &counts,
							     &ncounts);
			if (rc)
				return rc;
			read = true;
		}
		rc = refresh_obligation(db, &obl[i], path, counts, ncounts, today);
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

/* Rebuild the rows of obligation o alone. */
static int refresh_one(struct db *db, struct arena *a, const struct obligation *o, int today)
{
	char path[512];
	struct ledger_count *counts;
	int ncounts;
	int rc = store_org_path(db, o->org_id, path, sizeof(path));
	if (!rc)
		rc = store_ledger_count_year(db, a, o->org_id, o->kind, (int)o->year, &counts,
					     &ncounts);
	if (!rc)
		rc = refresh_obligation(db, o, path, counts, ncounts, today);
	return rc;
}

/* Add delta to the rows of (year, prank) of every unit on path ("/1/7/42/"),
 * skipping the last skip_last of them (a moved unit keeps its own). */
static int totals_add(struct db *db, const char *path, int64_t year, int prank, int64_t delta,
		      int skip_last)
{
	int64_t ids[64];
	int n = 0;
	for (const char *s = path; *s && n < (int)ZRZ_ARRAY_LEN(ids);) {
		if (*s == '/') {
			s++;
			continue;
		}
		int64_t v = 0;
		while (*s >= '0' && *s <= '9')
			v = v * 10 + (*s++ - '0');
		if (*s && *s != '/')
			return ZRZ_EINTERNAL;
		ids[n++] = v;
	}
	for (int i = 0; i < n - skip_last; i++) {
		int rc = store_compliance_total_add(db, ids[i], year, prank, delta);
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

/* The rows an obligation has: one per period of its kind in its year. */
static int obligation_rows(const struct obligation *o, int *prank, int64_t *rows)
{
	enum period_kind pk;
	if (period_kind_parse(o->period, &pk))
		return ZRZ_EINTERNAL;
	*prank = (int)pk + 1;
	*rows = period_count(pk, (int)o->year);
	return ZRZ_OK;
}

/* Rows for new obligation o: its own, and its subtree totals. */
static int add_new(struct db *db, struct arena *a, const struct obligation *o, int today)
{
	int rc = refresh_one(db, a, o, today);
	char path[512];
	int prank;
	int64_t rows;
	if (!rc)
		rc = store_org_path(db, o->org_id, path, sizeof(path));
	if (!rc)
		rc = obligation_rows(o, &prank, &rows);
	if (!rc)
		rc = totals_add(db, path, o->year, prank, rows, 0);
	return rc;
}

static int today_day(void)
{
	return period_day_of_time(time_now());
}

int compliance_record_moved(struct db *db, int64_t org_id, const char *kind, const char *date)
{
	int day;
	struct period y, w;
	if (period_day_parse(date, &day) || period_containing(PERIOD_YEAR, day, &y) ||
	    period_containing(PERIOD_WEEK, day, &w))
		return ZRZ_EINTERNAL;
	int today = today_day();
	struct arena *a = arena_new();
	int rc = compliance_refresh(db, a, org_id, kind, y.year, today);
	if (!rc && w.year != y.year)
		rc = compliance_refresh(db, a, org_id, kind, w.year, today);
	arena_free(a);
	return rc;
}

int compliance_obligation_added(struct db *db, struct arena *a, const struct obligation *o)
{
	return add_new(db, a, o, today_day());
}

int compliance_obligation_removed(struct db *db, const struct obligation *o)
{
	char path[512];
	int prank;
	int64_t rows;
	int rc = store_compliance_delete_obligation(db, o->id);
	if (!rc)
		rc = store_org_path(db, o->org_id, path, sizeof(path));
	if (!rc)
		rc = obligation_rows(o, &prank, &rows);
	if (!rc)
		rc = totals_add(db, path, o->year, prank, -rows, 0);
	return rc;
}

int compliance_unit_moved(struct db *db, int64_t org_id, const char *old_path,
			  const char *new_path)
{
	struct arena *a = arena_new();
	struct compliance_total *t;
	int n;
	int64_t a2 = path_a2(new_path);
	int rc = store_compliance_repath(db, old_path, new_path, a2);
	/* Moved to the top: a2 of the rows below is each child's id. */
	for (int64_t off = 0, total = 1; !rc && !a2 && off < total;) {
		struct org *kids;
		int nk;
		rc = store_org_children(db, a, org_id, off, 500, &kids, &nk, &total);
		for (int i = 0; !rc && i < nk; i++)
			rc = store_compliance_set_a2(db, kids[i].path, kids[i].id);
		off += 500;
	}
	if (!rc)
		rc = store_compliance_total_list(db, a, org_id, &t, &n);
	for (int i = 0; !rc && i < n; i++) {
		rc = totals_add(db, old_path, t[i].year, t[i].prank, -t[i].rows, 1);
		if (!rc)
			rc = totals_add(db, new_path, t[i].year, t[i].prank, t[i].rows, 1);
	}
	arena_free(a);
	return rc;
}

int compliance_fill(struct db *db, int today, int64_t *filled, int64_t *assessed)
{
	*filled = 0;
	int rc = ZRZ_OK;
	for (;;) {
		struct arena *a = arena_new();
		struct obligation *obl;
		int n;
		rc = store_obligation_unfilled(db, a, FILL_BATCH, &obl, &n);
		for (int i = 0; !rc && i < n; i++)
			rc = add_new(db, a, &obl[i], today);
		arena_free(a);
		if (rc)
			return rc;
		*filled += n;
		if (n < FILL_BATCH)
			break;
	}
	return compliance_reassess(db, today, 0, assessed);
}

int compliance_reassess(struct db *db, int today, int64_t max, int64_t *assessed)
{
	*assessed = 0;
	int rc = ZRZ_OK;
	while (max <= 0 || *assessed < max) {
		int64_t want = max <= 0 || max - *assessed > FILL_BATCH ? FILL_BATCH : max - *assessed;
		struct arena *a = arena_new();
		struct compliance_entry *rows;
		int n;
		rc = store_compliance_stale(db, a, today, want, &rows, &n);
		for (int i = 0; !rc && i < n; i++) {
			struct pacing p;
			rc = assess(&rows[i], today, &p);
			if (!rc)
				rc = store_compliance_assess(db, &rows[i]);
		}
		arena_free(a);
		if (rc)
			return rc;
		*assessed += n;
		if (n < want)
			break;
	}
	return ZRZ_OK;
}

int compliance_rollup_page(struct db *db, struct arena *a, int64_t org_id, const char *path,
			   int year,
			   int today, const struct period *only, enum rollup_sort sort,
			   int64_t offset, int64_t limit, struct rollup_row **rows, int *n,
			   int64_t *total)
{
	char key[PERIOD_KEY_SIZE];
	if (only && period_format(only, key, sizeof(key)))
		return ZRZ_EINTERNAL;
	/* The total: the subtree's rows of the year, or of the kind of period
	 * asked divided by the periods of that kind in the year (one row of
	 * each obligation of that kind holds the period asked). */
	int rc = store_compliance_total_get(db, org_id, year, only ? (int)only->kind + 1 : 0, total);
	if (rc)
		return rc;
	if (only)
		*total /= period_count(only->kind, year);
	struct compliance_entry *es;
	int ne;
	rc = store_compliance_page(db, a, path, year, only ? key : NULL,
				   sort == ROLLUP_SORT_ORG ? COMPLIANCE_BY_PATH : COMPLIANCE_BY_BEHIND,
				   offset, limit, *total, path_a2(path), &es, &ne);
	if (rc)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * ((size_t)ne + 1));
	*n = 0;
	for (int i = 0; i < ne; i++) {
		struct compliance_entry *e = &es[i];
		struct unit_obligation *u = arena_alloc(a, sizeof(*u));
		memset(u, 0, sizeof(*u));
		u->o.id = e->obligation_id;
		u->o.org_id = e->org_id;
		u->o.kind = e->kind;
		u->o.min = e->target;
		u->o.period = e->period;
		u->o.year = e->year;
		u->org_name = e->org_name;
		u->org_path = e->path;
		struct rollup_row *r = &(*rows)[(*n)++];
		memset(r, 0, sizeof(*r));
		r->ob = u;
		r->done = e->done;
		r->seq = i;
		if (!e->period || period_parse(e->period_key, &r->period))
			return ZRZ_EINTERNAL;
		/* Assessed again for the day asked, whatever day the row was. */
		rc = assess(e, today, &r->pacing);
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

/* ---- every row of a rollup: exports, and other days than today ---- */

/* Rows read per batch from the kept table. */
#define WALK_BATCH 2000

/* One row as the sort keeps it: the order's key ("most behind first" as
 * the index compliance_behind has it: behind descending, urgency, then the
 * order of units) and what rebuilds the row, with the unit and kind as
 * indexes into the walk's tables so that every record has one size. */
struct walk_item {
	int64_t behind;
	int64_t seq; /* position in the order of units */
	int64_t obligation_id;
	int64_t target, done, year_done;
	int32_t unit, kind;
	int32_t first_day, last_day;
	int32_t urgency, prank;
	struct period period;
};

struct walk_unit {
	int64_t id;
	const char *name, *path;
};

struct walk {
	struct arena *a; /* the units' and kinds' strings */
	int year, today;
	rollup_row_fn fn;
	void *ctx;
	struct extsort *sorter; /* NULL: rows go straight to fn */
	struct walk_unit *units;
	int nunits, cunits;
	const char **kinds;
	int nkinds, ckinds;
	int64_t seq;
};

static int item_cmp(const void *x, const void *y)
{
	const struct walk_item *a = x, *b = y;
	if (a->behind != b->behind)
		return a->behind > b->behind ? -1 : 1;
	if (a->urgency != b->urgency)
		return a->urgency < b->urgency ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Hand item it (assessed again for w->today) to w->fn. */
static int deliver(struct walk *w, const struct walk_item *it)
{
	const struct walk_unit *u = &w->units[it->unit];
	struct unit_obligation ob = {0};
	ob.o.id = it->obligation_id;
	ob.o.org_id = u->id;
	ob.o.kind = w->kinds[it->kind];
	ob.o.min = it->target;
	ob.o.period = period_kind_code((enum period_kind)(it->prank - 1));
	ob.o.year = w->year;
	ob.org_name = u->name;
	ob.org_path = u->path;
	struct compliance_entry e = {0};
	e.year = w->year;
	e.target = it->target;
	e.done = it->done;
	e.year_done = it->year_done;
	e.first_day = it->first_day;
	e.last_day = it->last_day;
	struct rollup_row r = {0};
	r.ob = &ob;
	r.period = it->period;
	r.done = it->done;
	r.seq = (int)it->seq;
	int rc = assess(&e, w->today, &r.pacing);
	return rc ? rc : w->fn(w->ctx, &r);
}

static int walk_row(void *ctx, const struct compliance_entry *e)
{
	struct walk *w = ctx;
	/* The order of units keeps each unit's rows together. */
	if (!w->nunits || w->units[w->nunits - 1].id != e->org_id) {
		if (w->nunits == INT32_MAX)
			return ZRZ_EINTERNAL;
		if (w->nunits == w->cunits) {
			w->cunits = w->cunits ? 2 * w->cunits : 64;
			w->units = xrealloc(w->units, sizeof(*w->units) * (size_t)w->cunits);
		}
		w->units[w->nunits++] = (struct walk_unit){
			e->org_id, arena_strdup(w->a, e->org_name ? e->org_name : ""),
			arena_strdup(w->a, e->path)};
	}
	int k = 0;
	while (k < w->nkinds && strcmp(w->kinds[k], e->kind))
		k++;
	if (k == w->nkinds) {
		if (w->nkinds == w->ckinds) {
			w->ckinds = w->ckinds ? 2 * w->ckinds : 16;
			w->kinds = xrealloc(w->kinds, sizeof(*w->kinds) * (size_t)w->ckinds);
		}
		w->kinds[w->nkinds++] = arena_strdup(w->a, e->kind);
	}
	struct walk_item it = {0};
	it.seq = w->seq++;
	it.obligation_id = e->obligation_id;
	it.target = e->target;
	it.done = e->done;
	it.year_done = e->year_done;
	it.unit = w->nunits - 1;
	it.kind = k;
	it.first_day = e->first_day;
	it.last_day = e->last_day;
	it.prank = e->prank;
	if (e->prank < 1 || e->prank > 5 || period_parse(e->period_key, &it.period))
		return ZRZ_EINTERNAL;
	if (!w->sorter)
		return deliver(w, &it);
	/* The key of the day asked, as assess() stores it in the kept rows. */
	struct compliance_entry a = *e;
	struct pacing p;
	int rc = assess(&a, w->today, &p);
	if (rc)
		return rc;
	it.behind = a.behind;
	it.urgency = a.urgency;
	return extsort_add(w->sorter, &it);
}

/* Records per run of the sort: $ZRZ_ROLLUP_SORT_RUN when set (tests make
 * it small to merge many runs), else the sorter's default. */
static size_t sort_run(void)
{
	const char *v = getenv("ZRZ_ROLLUP_SORT_RUN");
	int64_t n;
	return v && str_to_int64(v, &n) && n >= 1 && n <= 10000000 ? (size_t)n : 0;
}

int compliance_rollup_each(struct db *db, const char *path, int year, int today,
			   const struct period *only, enum rollup_sort sort, rollup_row_fn fn,
			   void *ctx)
{
	char key[PERIOD_KEY_SIZE];
	if (only && period_format(only, key, sizeof(key)))
		return ZRZ_EINTERNAL;
	struct walk w = {0};
	w.a = arena_new();
	w.year = year;
	w.today = today;
	w.fn = fn;
	w.ctx = ctx;
	if (sort == ROLLUP_SORT_BEHIND)
		w.sorter = extsort_new(sizeof(struct walk_item), sort_run(), item_cmp);
	int rc = store_compliance_walk(db, path, year, only ? key : NULL, WALK_BATCH, walk_row, &w);
	if (!rc && w.sorter) {
		rc = extsort_finish(w.sorter);
		struct walk_item it;
		int got;
		while (!rc && (got = extsort_next(w.sorter, &it)) != 0)
			rc = got < 0 ? got : deliver(&w, &it);
	}
	extsort_free(w.sorter);
	free(w.units);
	free(w.kinds);
	arena_free(w.a);
	return rc;
}

int compliance_rollup_total(struct db *db, int64_t org_id, int year, const struct period *only,
			    int64_t *total)
{
	int rc = store_compliance_total_get(db, org_id, year, only ? (int)only->kind + 1 : 0, total);
	if (!rc && only)
		*total /= period_count(only->kind, year);
	return rc;
}

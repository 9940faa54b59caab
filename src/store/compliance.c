/*
 * Compliance kept ready: one row per obligation period (migration
 * 0007_compliance.sql), written by the domain in the same transaction as
 * each change that moves it, and read a page at a time by a superior's
 * rollup, with the number of rows of every subtree beside them.  The page statements come in two shapes, chosen by the caller
 * from the size of the subtree: a wide subtree walks the index of the order
 * ("most behind first") and filters the path, so the first page of a
 * province reads about a page of index entries; a narrow one reads its own
 * rows by path and sorts them.  The expressions "c.path || ''" and
 * "c.year + 0" keep each engine off the other index.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

#define ENTRY_COLS                                                                       \
	"c.obligation_id, c.period_key, c.org_id, c.path, c.year, c.kind, c.prank, "        \
	"c.first_day, c.last_day, c.target, c.done, c.year_done, c.status, c.urgency, "     \
	"c.behind, c.assessed_on, c.valid_to"

static void read_entry(struct db_stmt *st, struct arena *a, struct compliance_entry *e)
{
	e->obligation_id = db_col_int64(st, 0);
	e->period_key = store__text(st, 1, a);
	e->org_id = db_col_int64(st, 2);
	e->path = store__text(st, 3, a);
	e->year = db_col_int64(st, 4);
	e->kind = store__text(st, 5, a);
	e->prank = (int)db_col_int64(st, 6);
	e->first_day = (int)db_col_int64(st, 7);
	e->last_day = (int)db_col_int64(st, 8);
	e->target = db_col_int64(st, 9);
	e->done = db_col_int64(st, 10);
	e->year_done = db_col_int64(st, 11);
	e->status = store__text(st, 12, a);
	e->urgency = (int)db_col_int64(st, 13);
	e->behind = db_col_int64(st, 14);
	e->assessed_on = (int)db_col_int64(st, 15);
	e->valid_to = (int)db_col_int64(st, 16);
	e->org_name = NULL;
	e->period = NULL;
}

static const char SQL_PUT[] =
	"INSERT INTO compliance (obligation_id, period_key, org_id, path, year, kind, prank, "
	"first_day, last_day, target, done, year_done, status, urgency, behind, assessed_on, "
	"valid_to, a2) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	"ON CONFLICT (obligation_id, period_key) DO UPDATE SET org_id = excluded.org_id, "
	"path = excluded.path, year = excluded.year, kind = excluded.kind, "
	"prank = excluded.prank, first_day = excluded.first_day, last_day = excluded.last_day, "
	"target = excluded.target, done = excluded.done, year_done = excluded.year_done, "
	"status = excluded.status, urgency = excluded.urgency, behind = excluded.behind, "
	"assessed_on = excluded.assessed_on, valid_to = excluded.valid_to, a2 = excluded.a2";

int store_compliance_put(struct db *db, const struct compliance_entry *e)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PUT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, e->obligation_id);
	db_bind_text(st, 2, e->period_key);
	db_bind_int64(st, 3, e->org_id);
	db_bind_text(st, 4, e->path);
	db_bind_int64(st, 5, e->year);
	db_bind_text(st, 6, e->kind);
	db_bind_int64(st, 7, e->prank);
	db_bind_int64(st, 8, e->first_day);
	db_bind_int64(st, 9, e->last_day);
	db_bind_int64(st, 10, e->target);
	db_bind_int64(st, 11, e->done);
	db_bind_int64(st, 12, e->year_done);
	db_bind_text(st, 13, e->status);
	db_bind_int64(st, 14, e->urgency);
	db_bind_int64(st, 15, e->behind);
	db_bind_int64(st, 16, e->assessed_on);
	db_bind_int64(st, 17, e->valid_to);
	db_bind_int64(st, 18, e->a2);
	return db_run(st);
}

static const char SQL_DELETE_OBL[] = "DELETE FROM compliance WHERE obligation_id = ?";

int store_compliance_delete_obligation(struct db *db, int64_t obligation_id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELETE_OBL, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, obligation_id);
	return db_run(st);
}

static const char SQL_REPATH[] =
	"UPDATE compliance SET path = ? || substr(path, CAST(? AS INTEGER)), a2 = ? "
	"WHERE path >= ? AND path < ?";

int store_compliance_repath(struct db *db, const char *old_path, const char *new_path,
			    int64_t a2)
{
	size_t n = strlen(old_path);
	if (n == 0)
		return ZRZ_EINTERNAL;
	struct arena *a = arena_new();
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_REPATH, &st);
	if (!rc) {
		db_bind_text(st, 1, new_path);
		db_bind_int64(st, 2, (int64_t)n + 1);
		db_bind_int64(st, 3, a2);
		db_bind_text(st, 4, old_path);
		db_bind_text(st, 5, store__path_upper(a, old_path));
		rc = db_run(st);
	}
	arena_free(a);
	return rc;
}

static const char SQL_SET_A2[] = "UPDATE compliance SET a2 = ? WHERE path >= ? AND path < ?";

int store_compliance_set_a2(struct db *db, const char *path, int64_t a2)
{
	struct arena *a = arena_new();
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SET_A2, &st);
	if (!rc) {
		db_bind_int64(st, 1, a2);
		db_bind_text(st, 2, path);
		db_bind_text(st, 3, store__path_upper(a, path));
		rc = db_run(st);
	}
	arena_free(a);
	return rc;
}

static const char SQL_STALE[] =
	"SELECT " ENTRY_COLS " FROM compliance c WHERE c.valid_to < ? ORDER BY c.valid_to LIMIT ?";

int store_compliance_stale(struct db *db, struct arena *a, int today, int64_t limit,
			   struct compliance_entry **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_STALE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, today);
	db_bind_int64(st, 2, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_entry(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_ASSESS[] =
	"UPDATE compliance SET status = ?, urgency = ?, behind = ?, assessed_on = ?, "
	"valid_to = ? WHERE obligation_id = ? AND period_key = ?";

int store_compliance_assess(struct db *db, const struct compliance_entry *e)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ASSESS, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, e->status);
	db_bind_int64(st, 2, e->urgency);
	db_bind_int64(st, 3, e->behind);
	db_bind_int64(st, 4, e->assessed_on);
	db_bind_int64(st, 5, e->valid_to);
	db_bind_int64(st, 6, e->obligation_id);
	db_bind_text(st, 7, e->period_key);
	return store__one_change(db, st);
}

static const char SQL_UNFILLED[] =
	"SELECT id, org_id, kind, min, period, year, coalesce(plan_item_id, 0), created_at "
	"FROM obligation b WHERE NOT EXISTS (SELECT 1 FROM compliance c "
	"WHERE c.obligation_id = b.id) ORDER BY id LIMIT ?";

int store_obligation_unfilled(struct db *db, struct arena *a, int64_t limit,
			      struct obligation **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_UNFILLED, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct obligation *o = &(*items)[(*n)++];
		o->id = db_col_int64(st, 0);
		o->org_id = db_col_int64(st, 1);
		o->kind = store__text(st, 2, a);
		o->min = db_col_int64(st, 3);
		o->period = store__text(st, 4, a);
		o->year = db_col_int64(st, 5);
		o->plan_item_id = db_col_int64(st, 6);
		o->created_at = db_col_int64(st, 7);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- the rows of each subtree ---- */

static const char SQL_TOTAL_ADD[] =
	"INSERT INTO compliance_total (org_id, year, prank, nrows) VALUES (?1, ?2, ?3, ?4) "
	"ON CONFLICT (org_id, year, prank) DO UPDATE SET nrows = compliance_total.nrows + ?4";

int store_compliance_total_add(struct db *db, int64_t org_id, int64_t year, int prank,
			       int64_t delta)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_TOTAL_ADD, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, year);
	db_bind_int64(st, 3, prank);
	db_bind_int64(st, 4, delta);
	return db_run(st);
}

static const char SQL_TOTAL_GET[] =
	"SELECT coalesce(sum(nrows), 0) FROM compliance_total WHERE org_id = ?1 AND year = ?2 "
	"AND (?3 = 0 OR prank = ?3)";

int store_compliance_total_get(struct db *db, int64_t org_id, int64_t year, int prank,
			       int64_t *rows)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_TOTAL_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, year);
	db_bind_int64(st, 3, prank);
	return store__one_int(st, rows);
}

static const char SQL_TOTAL_LIST[] =
	"SELECT year, prank, nrows FROM compliance_total WHERE org_id = ? AND nrows <> 0 "
	"ORDER BY year, prank";

int store_compliance_total_list(struct db *db, struct arena *a, int64_t org_id,
				struct compliance_total **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_TOTAL_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct compliance_total *t = &(*items)[(*n)++];
		t->year = db_col_int64(st, 0);
		t->prank = (int)db_col_int64(st, 1);
		t->rows = db_col_int64(st, 2);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- a rollup page ---- */

/* A subtree with at most this many rows is read by path and sorted. */
#define NARROW_ROWS 2000

#define PAGE_SELECT "SELECT " ENTRY_COLS ", o.name FROM compliance c JOIN org o ON o.id = c.org_id"
#define BY_BEHIND " ORDER BY c.behind DESC, c.urgency, c.path, c.kind, c.prank, c.period_key"
#define PAGE_LIMIT " LIMIT ?5 OFFSET ?6"
/* Wide, most behind first: the order's index, the path filtered. */
static const char SQL_PAGE_WIDE[] =
	PAGE_SELECT " WHERE c.year = ?3 AND c.path || '' >= ?1 AND c.path || '' < ?2"
	" AND CAST(?4 AS TEXT) IS NULL" BY_BEHIND PAGE_LIMIT;
static const char SQL_PAGE_WIDE_PERIOD[] =
	PAGE_SELECT " WHERE c.year = ?3 AND c.period_key = ?4 AND c.path || '' >= ?1"
	" AND c.path || '' < ?2" BY_BEHIND PAGE_LIMIT;
/* Wide within one unit of the second level (a2 = ?7): its own range of the
 * order's index, the path filtered. */
static const char SQL_PAGE_BRANCH[] =
	PAGE_SELECT " WHERE c.year = ?3 AND c.a2 = ?7 AND c.path || '' >= ?1"
	" AND c.path || '' < ?2 AND (CAST(?4 AS TEXT) IS NULL OR c.period_key || '' = ?4)"
	BY_BEHIND PAGE_LIMIT;
/* Narrow, most behind first: the subtree's rows by path, sorted. */
static const char SQL_PAGE_NARROW[] =
	PAGE_SELECT " WHERE c.path >= ?1 AND c.path < ?2 AND c.year + 0 = ?3"
	" AND (?4 IS NULL OR c.period_key = ?4)" BY_BEHIND PAGE_LIMIT;
/* By unit: the path index in its own order. */
static const char SQL_PAGE_PATH[] =
	PAGE_SELECT " WHERE c.path >= ?1 AND c.path < ?2 AND c.year = ?3"
	" AND (?4 IS NULL OR c.period_key = ?4)"
	" ORDER BY c.path, c.year, c.kind, c.prank, c.period_key" PAGE_LIMIT;

static const char *const prank_codes[] = {NULL, "year", "half", "quarter", "month", "week"};

int store_compliance_page(struct db *db, struct arena *a, const char *path, int64_t year,
			  const char *period_key, enum compliance_order order, int64_t offset,
			  int64_t limit, int64_t total, int64_t a2, struct compliance_entry **items,
			  int *n)
{
	const char *upper = store__path_upper(a, path);
	struct db_stmt *st;
	*n = 0;
	*items = NULL;
	if (offset >= total)
		return ZRZ_OK;
	const char *sql = order == COMPLIANCE_BY_PATH ? SQL_PAGE_PATH
			  : total <= NARROW_ROWS      ? SQL_PAGE_NARROW
			  : a2                        ? SQL_PAGE_BRANCH
			  : period_key                ? SQL_PAGE_WIDE_PERIOD
						      : SQL_PAGE_WIDE;
	int rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, upper);
	db_bind_int64(st, 3, year);
	db_bind_text(st, 4, period_key);
	db_bind_int64(st, 5, limit);
	db_bind_int64(st, 6, offset);
	if (sql == SQL_PAGE_BRANCH)
		db_bind_int64(st, 7, a2);
	int cap = 0;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct compliance_entry *e = &(*items)[(*n)++];
		read_entry(st, a, e);
		e->org_name = store__text(st, 17, a);
		e->period = e->prank >= 1 && e->prank <= 5 ? prank_codes[e->prank] : NULL;
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- every row of a subtree, in the order of units ---- */

/* The rows of year ?3 below ?2 (only period ?4 unless NULL) after (?1
 * path, ?3 year, ?5 kind, ?6 prank, ?7 period key) in the order of the
 * index compliance_path, which the row value follows column by column;
 * ?1, the only lower bound, starts at the subtree's own path.  Each batch
 * starts where the last one ended (at worst at the first row of its unit),
 * so a walk over a province costs its rows about once.  "c.year + 0" keeps
 * SQLite off compliance_period, which would sort the whole year for every
 * batch. */
static const char SQL_WALK[] =
	PAGE_SELECT " WHERE c.path >= ?1 AND c.path < ?2 AND c.year + 0 = ?3"
	" AND (?4 IS NULL OR c.period_key = ?4)"
	" AND (c.path, c.year, c.kind, c.prank, c.period_key) > (?1, ?3, ?5, ?6, ?7)"
	" ORDER BY c.path, c.year, c.kind, c.prank, c.period_key LIMIT ?8";
/* PostgreSQL the other way round: it estimates "c.year + 0 = ?3" to match
 * almost no row, and then sorts the whole subtree for every batch instead
 * of reading the index (0.6 s against 3 ms a batch for 288,000 rows). */
static const char SQL_WALK_PG[] =
	PAGE_SELECT " WHERE c.path >= ?1 AND c.path < ?2 AND c.year = ?3"
	" AND (?4 IS NULL OR c.period_key = ?4)"
	" AND (c.path, c.year, c.kind, c.prank, c.period_key) > (?1, ?3, ?5, ?6, ?7)"
	" ORDER BY c.path, c.year, c.kind, c.prank, c.period_key LIMIT ?8";

int store_compliance_walk(struct db *db, const char *path, int64_t year, const char *period_key,
			  int64_t batch, store_compliance_fn fn, void *ctx)
{
	struct arena *a = arena_new();
	const char *upper = store__path_upper(a, path);
	/* Before the first row: every kind is longer than "". */
	char *last_path = xstrdup(path), *last_kind = xstrdup(""), *last_key = xstrdup("");
	int64_t last_prank = 0;
	int rc = ZRZ_OK;
	for (;;) {
		struct db_stmt *st;
		rc = db_prepare(db, db_is_postgres(db) ? SQL_WALK_PG : SQL_WALK,
				&st);
		if (rc)
			break;
		db_bind_text(st, 1, last_path);
		db_bind_text(st, 2, upper);
		db_bind_int64(st, 3, year);
		db_bind_text(st, 4, period_key);
		db_bind_text(st, 5, last_kind);
		db_bind_int64(st, 6, last_prank);
		db_bind_text(st, 7, last_key);
		db_bind_int64(st, 8, batch);
		int64_t got = 0;
		struct arena *rows = arena_new();
		struct compliance_entry e;
		while ((rc = db_step(st)) == ZRZ_ROW) {
			read_entry(st, rows, &e);
			e.org_name = store__text(st, 17, rows);
			e.period = e.prank >= 1 && e.prank <= 5 ? prank_codes[e.prank] : NULL;
			got++;
			rc = fn(ctx, &e);
			if (rc) {
				db_reset(st);
				break;
			}
		}
		if (rc == ZRZ_DONE && got) {
			free(last_path);
			free(last_kind);
			free(last_key);
			last_path = xstrdup(e.path);
			last_kind = xstrdup(e.kind);
			last_key = xstrdup(e.period_key);
			last_prank = e.prank;
		}
		arena_free(rows);
		if (rc != ZRZ_DONE)
			break;
		rc = ZRZ_OK;
		if (got < batch)
			break;
	}
	free(last_path);
	free(last_kind);
	free(last_key);
	arena_free(a);
	return rc;
}

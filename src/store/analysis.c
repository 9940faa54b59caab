/*
 * Analysis reports (研判): a unit's report for a period, its sections as
 * JSON text, drafts edited freely and a submitted report fixed, with the
 * ledger record that counts it for the obligations.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/rectify.h"

#define ANALYSIS_COLS                                                                        \
	"x.id, x.org_id, o.name, x.period, x.report_date, x.title, x.sections, x.state, "   \
	"coalesce(x.record_id, 0), coalesce(x.submitted_by, 0), coalesce(x.submitted_at, 0), " \
	"coalesce(x.created_by, 0), x.created_at, x.updated_at, coalesce(x.deleted_at, 0) "  \
	"FROM analysis x JOIN org o ON o.id = x.org_id"

static void read_analysis(struct db_stmt *st, struct arena *a, struct analysis *x)
{
	x->id = db_col_int64(st, 0);
	x->org_id = db_col_int64(st, 1);
	x->org_name = store__text(st, 2, a);
	x->period = store__text(st, 3, a);
	x->report_date = store__text(st, 4, a);
	x->title = store__text(st, 5, a);
	x->sections = store__text(st, 6, a);
	x->state = store__text(st, 7, a);
	x->record_id = db_col_int64(st, 8);
	x->submitted_by = db_col_int64(st, 9);
	x->submitted_at = db_col_int64(st, 10);
	x->created_by = db_col_int64(st, 11);
	x->created_at = db_col_int64(st, 12);
	x->updated_at = db_col_int64(st, 13);
	x->deleted_at = db_col_int64(st, 14);
}

static const char SQL_ANALYSIS_GET[] = "SELECT " ANALYSIS_COLS " WHERE x.id = ?";

int store_analysis_get(struct db *db, struct arena *a, int64_t id, struct analysis *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ANALYSIS_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_analysis(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

/* ?1 org id (0 for a subtree), ?2/?3 the path range (NULL for a unit), ?4
 * state, ?5 period, ?6 limit, ?7 offset. */
#define ANALYSIS_FILTER                                                                      \
	" WHERE x.deleted_at IS NULL AND (?1 = 0 OR x.org_id = ?1)"                          \
	" AND (?2 IS NULL OR (o.path >= ?2 AND o.path < ?3))"                                \
	" AND (?4 IS NULL OR x.state = ?4) AND (?5 IS NULL OR x.period = ?5)"
static const char SQL_ANALYSIS_LIST[] = "SELECT " ANALYSIS_COLS ANALYSIS_FILTER
					" ORDER BY x.report_date DESC, x.id DESC LIMIT ?6 OFFSET ?7";
static const char SQL_ANALYSIS_COUNT[] = "SELECT count(*) FROM analysis x "
					 "JOIN org o ON o.id = x.org_id" ANALYSIS_FILTER
					 " AND ?6 >= 0 AND ?7 >= 0";

static void bind_filter(struct db_stmt *st, struct arena *a, const struct analysis_filter *f,
			int64_t offset, int64_t limit)
{
	db_bind_int64(st, 1, f->path ? 0 : f->org_id);
	db_bind_text(st, 2, f->path);
	db_bind_text(st, 3, f->path ? store__path_upper(a, f->path) : NULL);
	db_bind_text(st, 4, f->state);
	db_bind_text(st, 5, f->period);
	db_bind_int64(st, 6, limit);
	db_bind_int64(st, 7, offset);
}

int store_analysis_list(struct db *db, struct arena *a, const struct analysis_filter *f,
			int64_t offset, int64_t limit, struct analysis **items, int *n,
			int64_t *total)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ANALYSIS_COUNT, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f, offset, limit);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_ANALYSIS_LIST, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f, offset, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_analysis(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_ANALYSIS_INSERT[] =
	"INSERT INTO analysis (org_id, period, report_date, title, sections, state, created_by, "
	"created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id";

int store_analysis_insert(struct db *db, const struct analysis *x, int64_t by, int64_t now,
			  int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ANALYSIS_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, x->org_id);
	db_bind_text(st, 2, x->period);
	db_bind_text(st, 3, x->report_date);
	db_bind_text(st, 4, x->title);
	db_bind_text(st, 5, x->sections);
	db_bind_id(st, 6, by);
	db_bind_int64(st, 7, now);
	db_bind_int64(st, 8, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_ANALYSIS_UPDATE[] =
	"UPDATE analysis SET period = ?, report_date = ?, title = ?, sections = ?, updated_at = ? "
	"WHERE id = ? AND state = 'draft' AND deleted_at IS NULL";

int store_analysis_update(struct db *db, const struct analysis *x, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ANALYSIS_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, x->period);
	db_bind_text(st, 2, x->report_date);
	db_bind_text(st, 3, x->title);
	db_bind_text(st, 4, x->sections);
	db_bind_int64(st, 5, now);
	db_bind_int64(st, 6, x->id);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

static const char SQL_ANALYSIS_DELETE[] =
	"UPDATE analysis SET deleted_at = ?, updated_at = ? "
	"WHERE id = ? AND state = 'draft' AND deleted_at IS NULL";

int store_analysis_set_deleted(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ANALYSIS_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, id);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

static const char SQL_ANALYSIS_SUBMIT[] =
	"UPDATE analysis SET state = 'submitted', record_id = ?, submitted_by = ?, "
	"submitted_at = ?, updated_at = ? WHERE id = ? AND state = 'draft' AND deleted_at IS NULL";

int store_analysis_set_submitted(struct db *db, int64_t id, int64_t record_id, int64_t by,
				 int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ANALYSIS_SUBMIT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, record_id);
	db_bind_id(st, 2, by);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, id);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

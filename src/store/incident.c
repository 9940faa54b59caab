/*
 * Incidents (舆情事件处置): incidents, their four stages, the units' own
 * time limits, the reminder job's read of incidents at risk and the rows
 * of the statistics.  Every statement is written once for both engines.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

#define INC_COLS                                                                            \
	"i.id, i.org_id, o.name, i.title, i.source, i.severity, i.description, i.found_at, "    \
	"i.stage, coalesce(i.next_due, 0), coalesce(i.next_risk, 0), coalesce(i.created_by, 0), " \
	"u.name, i.created_at, i.updated_at"
#define INC_FROM                                                                            \
	" FROM incident i JOIN org o ON o.id = i.org_id LEFT JOIN users u ON u.id = i.created_by"

static void read_incident(struct db_stmt *st, struct arena *a, struct incident *x)
{
	x->id = db_col_int64(st, 0);
	x->org_id = db_col_int64(st, 1);
	x->org_name = store__text(st, 2, a);
	x->title = store__text(st, 3, a);
	x->source = store__text(st, 4, a);
	x->severity = store__text(st, 5, a);
	x->description = store__text(st, 6, a);
	x->found_at = db_col_int64(st, 7);
	x->stage = store__text(st, 8, a);
	x->next_due = db_col_int64(st, 9);
	x->next_risk = db_col_int64(st, 10);
	x->created_by = db_col_int64(st, 11);
	x->created_by_name = store__text(st, 12, a);
	x->created_at = db_col_int64(st, 13);
	x->updated_at = db_col_int64(st, 14);
}

static const char SQL_INC_GET[] = "SELECT " INC_COLS INC_FROM " WHERE i.id = ?";

int store_incident_get(struct db *db, struct arena *a, int64_t id, struct incident *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INC_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_incident(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_INC_INSERT[] =
	"INSERT INTO incident (org_id, title, source, severity, description, found_at, stage, "
	"next_due, next_risk, created_by, created_at, updated_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'found', ?7, ?8, ?9, ?10, ?10) RETURNING id";

int store_incident_insert(struct db *db, const struct incident *x, int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INC_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, x->org_id);
	db_bind_text(st, 2, x->title);
	db_bind_text(st, 3, x->source);
	db_bind_text(st, 4, x->severity);
	db_bind_text(st, 5, x->description);
	db_bind_int64(st, 6, x->found_at);
	db_bind_int64(st, 7, x->next_due);
	db_bind_int64(st, 8, x->next_risk);
	db_bind_id(st, 9, x->created_by);
	db_bind_int64(st, 10, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_STAGE_INSERT[] =
	"INSERT INTO incident_stage (incident_id, stage, due_at) VALUES (?, ?, ?)";

int store_incident_stage_insert(struct db *db, int64_t incident_id, const char *stage,
				int64_t due_at)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_STAGE_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, incident_id);
	db_bind_text(st, 2, stage);
	db_bind_id(st, 3, due_at);
	return db_run(st);
}

static const char SQL_STAGES[] =
	"SELECT s.stage, coalesce(s.due_at, 0), coalesce(s.done_at, 0), coalesce(s.done_by, 0), "
	"u.name, s.note FROM incident_stage s LEFT JOIN users u ON u.id = s.done_by "
	"WHERE s.incident_id = ? ORDER BY CASE s.stage WHEN 'assess' THEN 1 WHEN 'report' THEN 2 "
	"WHEN 'handle' THEN 3 ELSE 4 END";

int store_incident_stages(struct db *db, struct arena *a, int64_t incident_id,
			  struct incident_stage **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_STAGES, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, incident_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct incident_stage *s = &(*items)[(*n)++];
		s->incident_id = incident_id;
		s->stage = store__text(st, 0, a);
		s->due_at = db_col_int64(st, 1);
		s->done_at = db_col_int64(st, 2);
		s->done_by = db_col_int64(st, 3);
		s->done_by_name = store__text(st, 4, a);
		s->note = store__text(st, 5, a);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_STAGE_DONE[] =
	"UPDATE incident_stage SET done_at = ?, done_by = ?, note = ? "
	"WHERE incident_id = ? AND stage = ? AND done_at IS NULL";

int store_incident_stage_done(struct db *db, int64_t incident_id, const char *stage, int64_t now,
			      int64_t user_id, const char *note)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_STAGE_DONE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_id(st, 2, user_id);
	db_bind_text(st, 3, note);
	db_bind_int64(st, 4, incident_id);
	db_bind_text(st, 5, stage);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

/* Only from the stage the caller read: two advances at once cannot both win. */
static const char SQL_INC_SET_STAGE[] =
	"UPDATE incident SET stage = ?, next_due = ?, next_risk = ?, updated_at = ? "
	"WHERE id = ? AND stage = ?";

int store_incident_set_stage(struct db *db, int64_t id, const char *from, const char *to,
			     int64_t next_due, int64_t next_risk, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INC_SET_STAGE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, to);
	db_bind_id(st, 2, next_due);
	db_bind_id(st, 3, next_risk);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, id);
	db_bind_text(st, 6, from);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

#define INC_WHERE                                                                          \
	" WHERE (?1 = 0 OR i.org_id = ?1) AND (?2 IS NULL OR (o.path >= ?2 AND o.path < ?3)) " \
	"AND (?4 IS NULL OR i.stage = ?4 OR (?4 = 'open' AND i.stage <> 'close')) "             \
	"AND (?5 IS NULL OR i.severity = ?5) AND (?6 IS NULL OR i.source = ?6) "              \
	"AND (?7 = 0 OR i.next_due < ?8)"
static const char SQL_INC_COUNT[] =
	"SELECT count(*) FROM incident i JOIN org o ON o.id = i.org_id" INC_WHERE;
static const char SQL_INC_LIST[] = "SELECT " INC_COLS INC_FROM INC_WHERE
	" ORDER BY i.found_at DESC, i.id DESC LIMIT ?9 OFFSET ?10";

static void bind_filter(struct db_stmt *st, struct arena *a, const struct incident_filter *f)
{
	db_bind_int64(st, 1, f->path ? 0 : f->org_id);
	db_bind_text(st, 2, f->path);
	db_bind_text(st, 3, f->path ? store__path_upper(a, f->path) : NULL);
	db_bind_text(st, 4, f->state);
	db_bind_text(st, 5, f->severity);
	db_bind_text(st, 6, f->source);
	db_bind_int64(st, 7, f->overdue ? 1 : 0);
	db_bind_int64(st, 8, f->now);
}

int store_incident_list(struct db *db, struct arena *a, const struct incident_filter *f,
			int64_t offset, int64_t limit, struct incident **items, int *n,
			int64_t *total)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INC_COUNT, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_INC_LIST, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f);
	db_bind_int64(st, 9, limit);
	db_bind_int64(st, 10, offset);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_incident(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* Open incidents whose next stage has used 75 % of its time by now and
 * whose deadline is not older than since, in id order after after_id. */
static const char SQL_INC_AT_RISK[] = "SELECT " INC_COLS INC_FROM
	" WHERE i.next_risk IS NOT NULL AND i.next_risk <= ?1 AND i.next_due >= ?2 AND i.id > ?3"
	" ORDER BY i.id LIMIT ?4";

int store_incident_at_risk(struct db *db, struct arena *a, int64_t now, int64_t since,
			   int64_t after_id, int64_t limit, struct incident **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INC_AT_RISK, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, since);
	db_bind_int64(st, 3, after_id);
	db_bind_int64(st, 4, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_incident(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_LIMITS[] =
	"SELECT severity, stage, minutes FROM incident_limit WHERE org_id = ?";

int store_incident_limits(struct db *db, struct arena *a, int64_t org_id,
			  struct incident_limit **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LIMITS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct incident_limit *l = &(*items)[(*n)++];
		l->severity = store__text(st, 0, a);
		l->stage = store__text(st, 1, a);
		l->minutes = db_col_int64(st, 2);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_LIMIT_SET[] =
	"INSERT INTO incident_limit (org_id, severity, stage, minutes, updated_by, updated_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (org_id, severity, stage) DO UPDATE SET "
	"minutes = ?4, updated_by = ?5, updated_at = ?6";

int store_incident_limit_set(struct db *db, int64_t org_id, const char *severity,
			     const char *stage, int64_t minutes, int64_t user_id, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LIMIT_SET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, severity);
	db_bind_text(st, 3, stage);
	db_bind_int64(st, 4, minutes);
	db_bind_id(st, 5, user_id);
	db_bind_int64(st, 6, now);
	return db_run(st);
}

/* One row per incident and stage, in incident order. */
static const char SQL_TIMES[] =
	"SELECT i.id, i.severity, i.found_at, s.stage, coalesce(s.done_at, 0) FROM incident i "
	"JOIN org o ON o.id = i.org_id JOIN incident_stage s ON s.incident_id = i.id "
	"WHERE o.path >= ?1 AND o.path < ?2 AND i.found_at >= ?3 AND i.found_at < ?4 "
	"ORDER BY i.id LIMIT ?5";

static int stage_index(const char *s)
{
	if (!strcmp(s, "assess"))
		return 0;
	if (!strcmp(s, "report"))
		return 1;
	if (!strcmp(s, "handle"))
		return 2;
	return 3;
}

int store_incident_times(struct db *db, struct arena *a, const char *path, int64_t from,
			 int64_t to, int64_t limit, struct incident_times **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_TIMES, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, store__path_upper(a, path));
	db_bind_int64(st, 3, from);
	db_bind_int64(st, 4, to);
	db_bind_int64(st, 5, limit * 4);
	int cap = 0;
	int64_t last = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		int64_t id = db_col_int64(st, 0);
		if (id != last) {
			*items = store__grow(a, *items, *n, &cap, sizeof(**items));
			struct incident_times *t = &(*items)[(*n)++];
			memset(t, 0, sizeof(*t));
			t->severity = store__text(st, 1, a);
			t->found_at = db_col_int64(st, 2);
			last = id;
		}
		(*items)[*n - 1].done[stage_index(db_col_text(st, 3))] = db_col_int64(st, 4);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

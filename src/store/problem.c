/*
 * The rectification ledger (问题整改): problems, their measures, their
 * evidence files (links to the attachment contents of migration 0005) and
 * the superior's decisions.  A problem row carries the counts of its live
 * measures and evidence, moved in the same transaction as each change, so
 * a list never counts files; the overdue measures of a problem are counted
 * against the day the caller names, through the partial index of open
 * measures.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/rectify.h"

/* ?D is the day "YYYY-MM-DD" against which measures are overdue. */
#define PROBLEM_COLS(D)                                                                      \
	"p.id, p.org_id, o.name, p.source, p.category, p.title, p.description, p.found_on, " \
	"p.status, coalesce(p.analysis_id, 0), p.measures, p.evidence, "                    \
	"(SELECT count(*) FROM measure m WHERE m.problem_id = p.id AND m.deleted_at IS NULL " \
	"AND m.status = 'done'), "                                                          \
	"(SELECT count(*) FROM measure m WHERE m.problem_id = p.id AND m.deleted_at IS NULL " \
	"AND m.status <> 'done' AND m.deadline < " D "), "                                  \
	"coalesce(p.closed_by, 0), coalesce(p.closed_at, 0), coalesce(p.created_by, 0), "   \
	"p.created_at, p.updated_at FROM problem p JOIN org o ON o.id = p.org_id"

static void read_problem(struct db_stmt *st, struct arena *a, struct problem *p)
{
	p->id = db_col_int64(st, 0);
	p->org_id = db_col_int64(st, 1);
	p->org_name = store__text(st, 2, a);
	p->source = store__text(st, 3, a);
	p->category = store__text(st, 4, a);
	p->title = store__text(st, 5, a);
	p->description = store__text(st, 6, a);
	p->found_on = store__text(st, 7, a);
	p->status = store__text(st, 8, a);
	p->analysis_id = db_col_int64(st, 9);
	p->measures = db_col_int64(st, 10);
	p->evidence = db_col_int64(st, 11);
	p->done_measures = db_col_int64(st, 12);
	p->overdue = db_col_int64(st, 13);
	p->closed_by = db_col_int64(st, 14);
	p->closed_at = db_col_int64(st, 15);
	p->created_by = db_col_int64(st, 16);
	p->created_at = db_col_int64(st, 17);
	p->updated_at = db_col_int64(st, 18);
}

static const char SQL_PROBLEM_GET[] = "SELECT " PROBLEM_COLS("?1") " WHERE p.id = ?2";

int store_problem_get(struct db *db, struct arena *a, int64_t id, const char *today,
		      struct problem *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PROBLEM_GET, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, today);
	db_bind_int64(st, 2, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_problem(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

/*
 * ?1 the day of "overdue", ?2 org id (0 for a subtree), ?3/?4 the path
 * range (NULL for a unit), ?5 status, ?6 source, ?7 a LIKE pattern over
 * title, description and category, ?8 1 for only problems with an overdue
 * measure, ?9 limit, ?10 offset.
 */
#define PROBLEM_FILTER                                                                       \
	" WHERE (?2 = 0 OR p.org_id = ?2)"                                                   \
	" AND (?3 IS NULL OR (o.path >= ?3 AND o.path < ?4))"                                \
	" AND (?5 IS NULL OR p.status = ?5) AND (?6 IS NULL OR p.source = ?6)"              \
	" AND (?7 IS NULL OR lower(p.title) LIKE ?7 ESCAPE '\\'"                             \
	" OR lower(coalesce(p.description, '')) LIKE ?7 ESCAPE '\\'"                         \
	" OR lower(coalesce(p.category, '')) LIKE ?7 ESCAPE '\\')"                           \
	" AND (?8 = 0 OR EXISTS (SELECT 1 FROM measure m WHERE m.problem_id = p.id"          \
	" AND m.deleted_at IS NULL AND m.status <> 'done' AND m.deadline < ?1))"
static const char SQL_PROBLEM_LIST[] = "SELECT " PROBLEM_COLS("?1") PROBLEM_FILTER
				       " ORDER BY p.found_on DESC, p.id DESC LIMIT ?9 OFFSET ?10";
static const char SQL_PROBLEM_COUNT[] =
	"SELECT count(*) FROM problem p JOIN org o ON o.id = p.org_id" PROBLEM_FILTER
	" AND ?9 >= 0 AND ?10 >= 0";

static const char *like_pattern(struct arena *a, const char *q)
{
	if (!q)
		return NULL;
	size_t n = strlen(q);
	char *p = arena_alloc(a, 2 * n + 3);
	size_t o = 0;
	p[o++] = '%';
	for (size_t i = 0; i < n; i++) {
		char c = q[i] >= 'A' && q[i] <= 'Z' ? (char)(q[i] - 'A' + 'a') : q[i];
		if (c == '%' || c == '_' || c == '\\')
			p[o++] = '\\';
		p[o++] = c;
	}
	p[o++] = '%';
	p[o] = '\0';
	return p;
}

static void bind_problem_filter(struct db_stmt *st, struct arena *a,
				const struct problem_filter *f, int64_t offset, int64_t limit)
{
	db_bind_text(st, 1, f->today);
	db_bind_int64(st, 2, f->path ? 0 : f->org_id);
	db_bind_text(st, 3, f->path);
	db_bind_text(st, 4, f->path ? store__path_upper(a, f->path) : NULL);
	db_bind_text(st, 5, f->status);
	db_bind_text(st, 6, f->source);
	db_bind_text(st, 7, like_pattern(a, f->q));
	db_bind_int64(st, 8, f->overdue ? 1 : 0);
	db_bind_int64(st, 9, limit);
	db_bind_int64(st, 10, offset);
}

int store_problem_list(struct db *db, struct arena *a, const struct problem_filter *f,
		       int64_t offset, int64_t limit, struct problem **items, int *n,
		       int64_t *total)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PROBLEM_COUNT, &st);
	if (rc)
		return rc;
	bind_problem_filter(st, a, f, offset, limit);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_PROBLEM_LIST, &st);
	if (rc)
		return rc;
	bind_problem_filter(st, a, f, offset, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_problem(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_PROBLEM_INSERT[] =
	"INSERT INTO problem (org_id, source, category, title, description, found_on, status, "
	"analysis_id, created_by, created_at, updated_at) "
	"VALUES (?, ?, ?, ?, ?, ?, 'todo', ?, ?, ?, ?) RETURNING id";

int store_problem_insert(struct db *db, const struct problem *p, int64_t by, int64_t now,
			 int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PROBLEM_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, p->org_id);
	db_bind_text(st, 2, p->source);
	db_bind_text(st, 3, p->category);
	db_bind_text(st, 4, p->title);
	db_bind_text(st, 5, p->description);
	db_bind_text(st, 6, p->found_on);
	db_bind_id(st, 7, p->analysis_id);
	db_bind_id(st, 8, by);
	db_bind_int64(st, 9, now);
	db_bind_int64(st, 10, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_PROBLEM_UPDATE[] =
	"UPDATE problem SET source = ?, category = ?, title = ?, description = ?, found_on = ?, "
	"updated_at = ? WHERE id = ?";

int store_problem_update(struct db *db, const struct problem *p, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PROBLEM_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, p->source);
	db_bind_text(st, 2, p->category);
	db_bind_text(st, 3, p->title);
	db_bind_text(st, 4, p->description);
	db_bind_text(st, 5, p->found_on);
	db_bind_int64(st, 6, now);
	db_bind_int64(st, 7, p->id);
	return store__one_change(db, st);
}

static const char SQL_PROBLEM_SET_STATUS[] =
	"UPDATE problem SET status = ?, closed_by = ?, closed_at = ?, updated_at = ? WHERE id = ?";

int store_problem_set_status(struct db *db, int64_t id, const char *status, int64_t closed_by,
			     int64_t closed_at, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PROBLEM_SET_STATUS, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, status);
	db_bind_id(st, 2, closed_by);
	db_bind_id(st, 3, closed_at);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, id);
	return store__one_change(db, st);
}

static const char SQL_PROBLEM_COUNT_MOVE[] =
	"UPDATE problem SET measures = measures + ?, evidence = evidence + ? WHERE id = ?";

int store_problem_count(struct db *db, int64_t id, int64_t measures, int64_t evidence)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PROBLEM_COUNT_MOVE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, measures);
	db_bind_int64(st, 2, evidence);
	db_bind_int64(st, 3, id);
	return store__one_change(db, st);
}

/*
 * Each unit of the subtree is counted under the child of ?1 (the unit at
 * path ?2) whose path its own path starts with, or under the unit itself.
 * ?4 is the day of "overdue".
 */
static const char SQL_PROBLEM_ROLLUP[] =
	"WITH heads AS (SELECT id, name, path, 0 AS self FROM org WHERE parent_id = ?1 "
	"UNION ALL SELECT id, name, path, 1 FROM org WHERE id = ?1), "
	"probs AS (SELECT p.id, p.status, o.path FROM problem p JOIN org o ON o.id = p.org_id "
	"WHERE o.path >= ?2 AND o.path < ?3) "
	"SELECT h.id, h.name, h.path, "
	"sum(CASE WHEN x.status = 'todo' THEN 1 ELSE 0 END), "
	"sum(CASE WHEN x.status = 'doing' THEN 1 ELSE 0 END), "
	"sum(CASE WHEN x.status = 'done' THEN 1 ELSE 0 END), "
	"sum(CASE WHEN x.status = 'closed' THEN 1 ELSE 0 END), "
	"CAST(coalesce(sum((SELECT count(*) FROM measure m WHERE m.problem_id = x.id "
	"AND m.deleted_at IS NULL AND m.status <> 'done' AND m.deadline < ?4)), 0) AS BIGINT) "
	"FROM heads h LEFT JOIN probs x ON (h.self = 1 AND x.path = h.path) "
	"OR (h.self = 0 AND substr(x.path, 1, length(h.path)) = h.path) "
	"GROUP BY h.id, h.name, h.path, h.self ORDER BY h.self DESC, h.path";

int store_problem_rollup(struct db *db, struct arena *a, int64_t org_id, const char *path,
			 const char *today, struct problem_rollup_row **rows, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PROBLEM_ROLLUP, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, path);
	db_bind_text(st, 3, store__path_upper(a, path));
	db_bind_text(st, 4, today);
	int cap = 0;
	*n = 0;
	*rows = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*rows = store__grow(a, *rows, *n, &cap, sizeof(**rows));
		struct problem_rollup_row *w = &(*rows)[(*n)++];
		w->org_id = db_col_int64(st, 0);
		w->org_name = store__text(st, 1, a);
		w->path = store__text(st, 2, a);
		w->todo = db_col_int64(st, 3);
		w->doing = db_col_int64(st, 4);
		w->done = db_col_int64(st, 5);
		w->closed = db_col_int64(st, 6);
		w->overdue_measures = db_col_int64(st, 7);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- measures ---- */

#define MEASURE_COLS                                                                         \
	"m.id, m.problem_id, m.text, coalesce(m.owner_id, 0), u.name, m.deadline, m.done_on, " \
	"m.status, coalesce(m.created_by, 0), m.created_at, m.updated_at, "                   \
	"coalesce(m.deleted_at, 0) FROM measure m LEFT JOIN users u ON u.id = m.owner_id"

static void read_measure(struct db_stmt *st, struct arena *a, struct measure *m)
{
	m->id = db_col_int64(st, 0);
	m->problem_id = db_col_int64(st, 1);
	m->text = store__text(st, 2, a);
	m->owner_id = db_col_int64(st, 3);
	m->owner_name = store__text(st, 4, a);
	m->deadline = store__text(st, 5, a);
	m->done_on = store__text(st, 6, a);
	m->status = store__text(st, 7, a);
	m->created_by = db_col_int64(st, 8);
	m->created_at = db_col_int64(st, 9);
	m->updated_at = db_col_int64(st, 10);
	m->deleted_at = db_col_int64(st, 11);
}

static const char SQL_MEASURE_GET[] = "SELECT " MEASURE_COLS " WHERE m.id = ?";
static const char SQL_MEASURE_LIST[] = "SELECT " MEASURE_COLS
				       " WHERE m.problem_id = ? AND m.deleted_at IS NULL "
				       "ORDER BY m.id";

int store_measure_get(struct db *db, struct arena *a, int64_t id, struct measure *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_MEASURE_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_measure(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

int store_measure_list(struct db *db, struct arena *a, int64_t problem_id,
		       struct measure **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_MEASURE_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, problem_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_measure(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_MEASURE_INSERT[] =
	"INSERT INTO measure (problem_id, text, owner_id, deadline, done_on, status, created_by, "
	"created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_measure_insert(struct db *db, const struct measure *m, int64_t by, int64_t now,
			 int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_MEASURE_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, m->problem_id);
	db_bind_text(st, 2, m->text);
	db_bind_id(st, 3, m->owner_id);
	db_bind_text(st, 4, m->deadline);
	db_bind_text(st, 5, m->done_on);
	db_bind_text(st, 6, m->status);
	db_bind_id(st, 7, by);
	db_bind_int64(st, 8, now);
	db_bind_int64(st, 9, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_MEASURE_UPDATE[] =
	"UPDATE measure SET text = ?, owner_id = ?, deadline = ?, done_on = ?, status = ?, "
	"updated_at = ? WHERE id = ? AND deleted_at IS NULL";

int store_measure_update(struct db *db, const struct measure *m, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_MEASURE_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, m->text);
	db_bind_id(st, 2, m->owner_id);
	db_bind_text(st, 3, m->deadline);
	db_bind_text(st, 4, m->done_on);
	db_bind_text(st, 5, m->status);
	db_bind_int64(st, 6, now);
	db_bind_int64(st, 7, m->id);
	return store__one_change(db, st);
}

static const char SQL_MEASURE_SET_DELETED[] =
	"UPDATE measure SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL";

int store_measure_set_deleted(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_MEASURE_SET_DELETED, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, id);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

static const char SQL_MEASURES_DUE[] =
	"SELECT m.id, m.problem_id, m.text, m.deadline, p.title, p.org_id, o.name "
	"FROM measure m JOIN problem p ON p.id = m.problem_id JOIN org o ON o.id = p.org_id "
	"WHERE m.deleted_at IS NULL AND m.status <> 'done' AND p.status <> 'closed' "
	"AND m.deadline >= ?1 AND m.deadline <= ?2 "
	"AND (m.deadline > ?3 OR (m.deadline = ?3 AND m.id > ?4)) "
	"ORDER BY m.deadline, m.id LIMIT ?5";

int store_measures_due(struct db *db, struct arena *a, const char *from, const char *to,
		       const char *after_deadline, int64_t after_id, int limit,
		       struct measure_due **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_MEASURES_DUE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	db_bind_text(st, 3, after_deadline);
	db_bind_int64(st, 4, after_id);
	db_bind_int64(st, 5, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct measure_due *x = &(*items)[(*n)++];
		x->measure_id = db_col_int64(st, 0);
		x->problem_id = db_col_int64(st, 1);
		x->text = store__text(st, 2, a);
		x->deadline = store__text(st, 3, a);
		x->problem_title = store__text(st, 4, a);
		x->org_id = db_col_int64(st, 5);
		x->org_name = store__text(st, 6, a);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- evidence ---- */

#define EVIDENCE_COLS                                                                        \
	"e.id, e.problem_id, e.sha256, e.name, c.mime, c.size, "                              \
	"CASE WHEN c.thumb IS NULL THEN 0 ELSE 1 END, coalesce(e.created_by, 0), e.created_at, " \
	"coalesce(e.deleted_at, 0) FROM problem_evidence e "                                   \
	"JOIN attachment_content c ON c.sha256 = e.sha256"

static void read_evidence(struct db_stmt *st, struct arena *a, struct problem_evidence *e)
{
	e->id = db_col_int64(st, 0);
	e->problem_id = db_col_int64(st, 1);
	e->sha256 = store__text(st, 2, a);
	e->name = store__text(st, 3, a);
	e->mime = store__text(st, 4, a);
	e->size = db_col_int64(st, 5);
	e->has_thumbnail = db_col_int64(st, 6) != 0;
	e->created_by = db_col_int64(st, 7);
	e->created_at = db_col_int64(st, 8);
	e->deleted_at = db_col_int64(st, 9);
}

static const char SQL_EVIDENCE_GET[] = "SELECT " EVIDENCE_COLS " WHERE e.id = ?";
static const char SQL_EVIDENCE_FIND[] = "SELECT " EVIDENCE_COLS
					" WHERE e.problem_id = ? AND e.sha256 = ? "
					"AND e.deleted_at IS NULL";
static const char SQL_EVIDENCE_LIST[] = "SELECT " EVIDENCE_COLS
					" WHERE e.problem_id = ? AND e.deleted_at IS NULL "
					"ORDER BY e.id";

static int one_evidence(struct db_stmt *st, struct arena *a, struct problem_evidence *out)
{
	int rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_evidence(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

int store_evidence_get(struct db *db, struct arena *a, int64_t id, struct problem_evidence *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_EVIDENCE_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return one_evidence(st, a, out);
}

int store_evidence_find_live(struct db *db, struct arena *a, int64_t problem_id,
			     const char *sha256, struct problem_evidence *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_EVIDENCE_FIND, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, problem_id);
	db_bind_text(st, 2, sha256);
	return one_evidence(st, a, out);
}

int store_evidence_list(struct db *db, struct arena *a, int64_t problem_id,
			struct problem_evidence **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_EVIDENCE_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, problem_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_evidence(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_EVIDENCE_INSERT[] =
	"INSERT INTO problem_evidence (problem_id, sha256, name, created_by, created_at) "
	"VALUES (?, ?, ?, ?, ?) RETURNING id";

int store_evidence_insert(struct db *db, int64_t problem_id, const char *sha256,
			  const char *name, int64_t by, int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_EVIDENCE_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, problem_id);
	db_bind_text(st, 2, sha256);
	db_bind_text(st, 3, name);
	db_bind_id(st, 4, by);
	db_bind_int64(st, 5, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_EVIDENCE_SET_DELETED[] =
	"UPDATE problem_evidence SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL";

int store_evidence_set_deleted(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_EVIDENCE_SET_DELETED, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, id);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

/* ---- the superior's decisions ---- */

static const char SQL_EVENT_INSERT[] =
	"INSERT INTO problem_event (problem_id, action, opinion, user_id, org_id, at) "
	"VALUES (?, ?, ?, ?, ?, ?)";

int store_problem_event_insert(struct db *db, int64_t problem_id, const char *action,
			       const char *opinion, int64_t user_id, int64_t org_id, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_EVENT_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, problem_id);
	db_bind_text(st, 2, action);
	db_bind_text(st, 3, opinion);
	db_bind_id(st, 4, user_id);
	db_bind_int64(st, 5, org_id);
	db_bind_int64(st, 6, now);
	return db_run(st);
}

static const char SQL_EVENTS[] =
	"SELECT e.id, e.problem_id, e.action, e.opinion, coalesce(e.user_id, 0), u.name, "
	"e.org_id, o.name, e.at FROM problem_event e LEFT JOIN users u ON u.id = e.user_id "
	"JOIN org o ON o.id = e.org_id WHERE e.problem_id = ? ORDER BY e.id";

int store_problem_events(struct db *db, struct arena *a, int64_t problem_id,
			 struct problem_event **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_EVENTS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, problem_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct problem_event *x = &(*items)[(*n)++];
		x->id = db_col_int64(st, 0);
		x->problem_id = db_col_int64(st, 1);
		x->action = store__text(st, 2, a);
		x->opinion = store__text(st, 3, a);
		x->user_id = db_col_int64(st, 4);
		x->user_name = store__text(st, 5, a);
		x->org_id = db_col_int64(st, 6);
		x->org_name = store__text(st, 7, a);
		x->at = db_col_int64(st, 8);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/*
 * The channels (阵地) of units and their inspections.  A channel's owner is
 * "missing" when there is none, when the user is locked, or when the user
 * no longer belongs to the channel's unit or a unit above it (its unit's
 * path is not a prefix of the channel unit's path); one expression serves
 * the reads and the no_owner filter.  An inspection is its ledger record:
 * date, inspector (host) and findings (minutes) are read from the record,
 * and an inspection whose record is deleted is not listed or counted.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

#define OWNER_MISSING                                                                   \
	"(c.owner_id IS NULL OR u.id IS NULL OR u.locked <> 0"                          \
	" OR substr(o.path, 1, length(uo.path)) <> uo.path)"

#define OUTLET_COLS                                                                     \
	"c.id, c.org_id, o.name, c.kind, c.name, coalesce(c.owner_id, 0), u.name, "     \
	"CASE WHEN " OWNER_MISSING " THEN 1 ELSE 0 END, c.reg_no, c.address, "          \
	"c.opened_on, c.closed_on, c.status, c.inspect_every, c.review_final, c.note, " \
	"c.last_inspected, c.inspect_due, "                                            \
	"(SELECT count(*) FROM channel_inspection i JOIN record r ON r.id = i.record_id" \
	" WHERE i.channel_id = c.id AND r.deleted_at IS NULL"                          \
	" AND r.kind = 'channel_inspection'), "                                         \
	"coalesce(c.created_by, 0), c.created_at, c.updated_at, coalesce(c.deleted_at, 0)"

#define OUTLET_FROM                                                                     \
	" FROM channel c JOIN org o ON o.id = c.org_id"                                 \
	" LEFT JOIN users u ON u.id = c.owner_id LEFT JOIN org uo ON uo.id = u.org_id"

static void read_outlet(struct db_stmt *st, struct arena *a, struct outlet *c)
{
	c->id = db_col_int64(st, 0);
	c->org_id = db_col_int64(st, 1);
	c->org_name = store__text(st, 2, a);
	c->kind = store__text(st, 3, a);
	c->name = store__text(st, 4, a);
	c->owner_id = db_col_int64(st, 5);
	c->owner_name = store__text(st, 6, a);
	c->owner_missing = db_col_int64(st, 7) != 0;
	c->reg_no = store__text(st, 8, a);
	c->address = store__text(st, 9, a);
	c->opened_on = store__text(st, 10, a);
	c->closed_on = store__text(st, 11, a);
	c->status = store__text(st, 12, a);
	c->inspect_every = store__text(st, 13, a);
	c->review_final = db_col_int64(st, 14) != 0;
	c->note = store__text(st, 15, a);
	c->last_inspected = store__text(st, 16, a);
	c->inspect_due = store__text(st, 17, a);
	c->inspections = db_col_int64(st, 18);
	c->created_by = db_col_int64(st, 19);
	c->created_at = db_col_int64(st, 20);
	c->updated_at = db_col_int64(st, 21);
	c->deleted_at = db_col_int64(st, 22);
}

static const char SQL_OUTLET_GET[] = "SELECT " OUTLET_COLS OUTLET_FROM " WHERE c.id = ?";

int store_outlet_get(struct db *db, struct arena *a, int64_t id, struct outlet *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_outlet(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

/* ?1 unit (0: the subtree ?2..?3), ?4 kind, ?5 status, ?6 LIKE pattern of
 * the name, ?7 1 for channels without a valid owner, ?8 a day: only active
 * channels whose inspection was due before it. */
#define OUTLET_WHERE                                                                     \
	OUTLET_FROM " WHERE c.deleted_at IS NULL AND (?1 = 0 OR c.org_id = ?1)"          \
		    " AND (?2 IS NULL OR (o.path >= ?2 AND o.path < ?3))"                \
		    " AND (?4 IS NULL OR c.kind = ?4) AND (?5 IS NULL OR c.status = ?5)" \
		    " AND (?6 IS NULL OR lower(c.name) LIKE ?6 ESCAPE '\\')"            \
		    " AND (?7 = 0 OR " OWNER_MISSING ")"                                 \
		    " AND (?8 IS NULL OR (c.status = 'active' AND c.inspect_due < ?8))"
static const char SQL_OUTLET_LIST[] =
	"SELECT " OUTLET_COLS OUTLET_WHERE " ORDER BY o.path, c.id LIMIT ?9 OFFSET ?10";
static const char SQL_OUTLET_COUNT[] = "SELECT count(*)" OUTLET_WHERE;

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

static void bind_filter(struct db_stmt *st, struct arena *a, const struct outlet_filter *f,
			const char *like)
{
	db_bind_int64(st, 1, f->path ? 0 : f->org_id);
	db_bind_text(st, 2, f->path);
	db_bind_text(st, 3, f->path ? store__path_upper(a, f->path) : NULL);
	db_bind_text(st, 4, f->kind);
	db_bind_text(st, 5, f->status);
	db_bind_text(st, 6, like);
	db_bind_int64(st, 7, f->no_owner ? 1 : 0);
	db_bind_text(st, 8, f->overdue_before);
}

int store_outlet_list(struct db *db, struct arena *a, const struct outlet_filter *f,
		      int64_t offset, int64_t limit, struct outlet **items, int *n,
		      int64_t *total)
{
	const char *like = like_pattern(a, f->q);
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_COUNT, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f, like);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_OUTLET_LIST, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f, like);
	db_bind_int64(st, 9, limit);
	db_bind_int64(st, 10, offset);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_outlet(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ?1..?11: the fields every write sets. */
static void bind_fields(struct db_stmt *st, const struct outlet *c)
{
	db_bind_text(st, 1, c->kind);
	db_bind_text(st, 2, c->name);
	db_bind_id(st, 3, c->owner_id);
	db_bind_text(st, 4, c->reg_no);
	db_bind_text(st, 5, c->address);
	db_bind_text(st, 6, c->opened_on);
	db_bind_text(st, 7, c->closed_on);
	db_bind_text(st, 8, c->status);
	db_bind_text(st, 9, c->inspect_every);
	db_bind_int64(st, 10, c->review_final ? 1 : 0);
	db_bind_text(st, 11, c->note);
}

static const char SQL_OUTLET_INSERT[] =
	"INSERT INTO channel (kind, name, owner_id, reg_no, address, opened_on, closed_on, "
	"status, inspect_every, review_final, note, org_id, created_by, created_at, updated_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_outlet_insert(struct db *db, const struct outlet *o, int64_t by, int64_t now,
			int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_INSERT, &st);
	if (rc)
		return rc;
	bind_fields(st, o);
	db_bind_int64(st, 12, o->org_id);
	db_bind_id(st, 13, by);
	db_bind_int64(st, 14, now);
	db_bind_int64(st, 15, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_OUTLET_UPDATE[] =
	"UPDATE channel SET kind = ?, name = ?, owner_id = ?, reg_no = ?, address = ?, "
	"opened_on = ?, closed_on = ?, status = ?, inspect_every = ?, review_final = ?, "
	"note = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL";

int store_outlet_update(struct db *db, const struct outlet *o, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_UPDATE, &st);
	if (rc)
		return rc;
	bind_fields(st, o);
	db_bind_int64(st, 12, now);
	db_bind_int64(st, 13, o->id);
	return store__one_change(db, st);
}

static const char SQL_OUTLET_DELETE[] =
	"UPDATE channel SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL";

int store_outlet_set_deleted(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, id);
	return store__one_change(db, st);
}

static const char SQL_OUTLET_SET_DUE[] =
	"UPDATE channel SET last_inspected = ?, inspect_due = ? WHERE id = ?";

int store_outlet_set_due(struct db *db, int64_t id, const char *last, const char *due)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_SET_DUE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, last);
	db_bind_text(st, 2, due);
	db_bind_int64(st, 3, id);
	return store__one_change(db, st);
}

static const char SQL_OUTLET_LAST[] =
	"SELECT max(r.date) FROM channel_inspection i JOIN record r ON r.id = i.record_id "
	"WHERE i.channel_id = ? AND r.deleted_at IS NULL AND r.kind = 'channel_inspection'";

int store_outlet_last_inspection(struct db *db, struct arena *a, int64_t id, const char **date)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_LAST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc != ZRZ_ROW)
		return rc == ZRZ_DONE ? ZRZ_EINTERNAL : rc;
	*date = store__text(st, 0, a);
	db_reset(st);
	return ZRZ_OK;
}

static const char SQL_OUTLET_ACTIVE[] =
	"SELECT " OUTLET_COLS OUTLET_FROM " WHERE c.org_id = ? AND c.deleted_at IS NULL "
	"AND c.status = 'active' AND c.inspect_every IS NOT NULL ORDER BY c.id";

int store_outlet_active(struct db *db, struct arena *a, int64_t org_id, struct outlet **items,
			int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_ACTIVE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_outlet(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_INSPECTION_INSERT[] =
	"INSERT INTO channel_inspection (channel_id, record_id, date, inspector, findings, "
	"problems, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_outlet_inspection_insert(struct db *db, const struct outlet_inspection *x,
				   int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INSPECTION_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, x->channel_id);
	db_bind_int64(st, 2, x->record_id);
	db_bind_text(st, 3, x->date);
	db_bind_text(st, 4, x->inspector);
	db_bind_text(st, 5, x->findings);
	db_bind_int64(st, 6, x->problems);
	db_bind_id(st, 7, x->created_by);
	db_bind_int64(st, 8, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_INSPECTION_LIST[] =
	"SELECT i.id, i.channel_id, i.record_id, r.date, coalesce(r.host, i.inspector), "
	"r.minutes, i.problems, r.attachments, coalesce(i.created_by, 0), i.created_at "
	"FROM channel_inspection i JOIN record r ON r.id = i.record_id "
	"WHERE i.channel_id = ? AND r.deleted_at IS NULL AND r.kind = 'channel_inspection' "
	"ORDER BY r.date DESC, i.id DESC";

int store_outlet_inspection_list(struct db *db, struct arena *a, int64_t channel_id,
				 struct outlet_inspection **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INSPECTION_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, channel_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct outlet_inspection *x = &(*items)[(*n)++];
		x->id = db_col_int64(st, 0);
		x->channel_id = db_col_int64(st, 1);
		x->record_id = db_col_int64(st, 2);
		x->date = store__text(st, 3, a);
		x->inspector = store__text(st, 4, a);
		x->findings = store__text(st, 5, a);
		x->problems = db_col_int64(st, 6);
		x->attachments = db_col_int64(st, 7);
		x->created_by = db_col_int64(st, 8);
		x->created_at = db_col_int64(st, 9);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_OUTLET_OF_RECORD[] =
	"SELECT channel_id FROM channel_inspection WHERE record_id = ?";

int store_outlet_of_record(struct db *db, int64_t record_id, int64_t *channel_id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_OF_RECORD, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, record_id);
	return store__one_int(st, channel_id);
}

static const char SQL_OUTLET_DUE[] =
	"SELECT c.id, c.org_id, o.name, c.name, c.inspect_every, c.opened_on, "
	"c.last_inspected, c.inspect_due, c.created_at FROM channel c "
	"JOIN org o ON o.id = c.org_id WHERE c.deleted_at IS NULL AND c.status = 'active' "
	"AND c.inspect_due IS NOT NULL AND c.inspect_due <= ? AND c.id > ? "
	"ORDER BY c.id LIMIT ?";

int store_outlet_due(struct db *db, struct arena *a, const char *until, int64_t after_id,
		     int limit, struct outlet_due **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_DUE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, until);
	db_bind_int64(st, 2, after_id);
	db_bind_int64(st, 3, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct outlet_due *x = &(*items)[(*n)++];
		x->id = db_col_int64(st, 0);
		x->org_id = db_col_int64(st, 1);
		x->org_name = store__text(st, 2, a);
		x->name = store__text(st, 3, a);
		x->inspect_every = store__text(st, 4, a);
		x->opened_on = store__text(st, 5, a);
		x->last_inspected = store__text(st, 6, a);
		x->inspect_due = store__text(st, 7, a);
		x->created_at = db_col_int64(st, 8);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_OUTLET_UNITS_WITHOUT[] =
	"SELECT DISTINCT c.org_id FROM channel c WHERE c.deleted_at IS NULL "
	"AND c.status = 'active' AND c.inspect_every IS NOT NULL AND c.org_id > ? "
	"AND NOT EXISTS (SELECT 1 FROM obligation b WHERE b.org_id = c.org_id "
	"AND b.kind = 'channel_inspection' AND b.period = 'year' AND b.year = ?) "
	"ORDER BY c.org_id LIMIT ?";

int store_outlet_units_without_obligation(struct db *db, struct arena *a, int64_t year,
					  int64_t after_id, int limit, int64_t **ids, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_UNITS_WITHOUT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, after_id);
	db_bind_int64(st, 2, year);
	db_bind_int64(st, 3, limit);
	int cap = 0;
	*n = 0;
	*ids = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*ids = store__grow(a, *ids, *n, &cap, sizeof(**ids));
		(*ids)[(*n)++] = db_col_int64(st, 0);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* A row lock on the unit (a write that changes nothing): held until the
 * transaction ends, it makes the writers of one unit's channels take turns
 * on PostgreSQL; SQLite has one writer at a time anyway. */
static const char SQL_OUTLET_LOCK_UNIT[] = "UPDATE org SET name = name WHERE id = ?";

int store_outlet_lock_unit(struct db *db, int64_t org_id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OUTLET_LOCK_UNIT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	return db_run(st);
}

static const char SQL_OBLIGATION_SET_MIN[] = "UPDATE obligation SET min = ? WHERE id = ?";

int store_obligation_set_min(struct db *db, int64_t id, int64_t min)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OBLIGATION_SET_MIN, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, min);
	db_bind_int64(st, 2, id);
	return store__one_change(db, st);
}

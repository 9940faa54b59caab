/*
 * Notices, their read marks, notify channels and the delivery log.  A
 * notice is inserted with ON CONFLICT (event_key) DO NOTHING, so two runs
 * of the reminder job that race (two processes, or the CLI beside the
 * server) write each event once.  Who sees a notice is one CTE, VIS_CTE
 * below, shared by the list, the counts and the read marks.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

/*
 * The notices user ?1 sees, as the ids of a CTE named vis (an id may come
 * twice).  A grant of any role but the three administrators' sees the
 * notices of its own unit; a subtree grant also sees the at-risk, missed
 * and overdue notices of the units directly below it (逐级: each level
 * follows up the level below; the "due soon" ones, of obligations and of
 * rectification measures, are for the unit itself).
 * The joins are CROSS JOINs so that SQLite walks grants, then units, then
 * notice(org_id, kind, id), never the whole notice table.
 */
#define VIS_CTE                                                                             \
	"WITH g AS (SELECT g.org_id, g.scope FROM role_grant g WHERE g.user_id = ?1"        \
	" AND g.role NOT IN ('sysadmin', 'secadmin', 'auditor')),"                          \
	" vis AS (SELECT n.id FROM g CROSS JOIN notice n WHERE n.org_id = g.org_id"         \
	" UNION ALL SELECT n.id FROM g CROSS JOIN org o CROSS JOIN notice n"                \
	" WHERE g.scope = 'subtree' AND o.parent_id = g.org_id AND n.org_id = o.id"         \
	" AND n.kind NOT IN ('due_soon', 'measure_due')) "

#define NOTICE_COLS                                                                         \
	"n.id, n.org_id, o.name, n.event_key, n.kind, n.title, n.body, n.link, n.created_at"

static void read_notice(struct db_stmt *st, struct arena *a, struct notice *n)
{
	n->id = db_col_int64(st, 0);
	n->org_id = db_col_int64(st, 1);
	n->org_name = store__text(st, 2, a);
	n->event_key = store__text(st, 3, a);
	n->kind = store__text(st, 4, a);
	n->title = store__text(st, 5, a);
	n->body = store__text(st, 6, a);
	n->link = store__text(st, 7, a);
	n->created_at = db_col_int64(st, 8);
	n->read = false;
}

static const char SQL_NOTICE_INSERT[] =
	"INSERT INTO notice (org_id, event_key, kind, title, body, link, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING RETURNING id";

int store_notice_insert(struct db *db, const struct notice *n, int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_NOTICE_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, n->org_id);
	db_bind_text(st, 2, n->event_key);
	db_bind_text(st, 3, n->kind);
	db_bind_text(st, 4, n->title);
	db_bind_text(st, 5, n->body);
	db_bind_text(st, 6, n->link);
	db_bind_int64(st, 7, now);
	rc = store__one_int(st, id);
	if (rc == ZRZ_ENOTFOUND) {
		*id = 0;
		return ZRZ_OK;
	}
	return rc;
}

static const char SQL_NOTICE_EXISTS[] = "SELECT count(*) FROM notice WHERE event_key = ?";

int store_notice_exists(struct db *db, const char *event_key, bool *exists)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_NOTICE_EXISTS, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, event_key);
	int64_t c = 0;
	rc = store__one_int(st, &c);
	*exists = c > 0;
	return rc;
}

static const char SQL_NOTICE_GET[] =
	"SELECT " NOTICE_COLS " FROM notice n JOIN org o ON o.id = n.org_id WHERE n.id = ?";

int store_notice_get(struct db *db, struct arena *a, int64_t id, struct notice *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_NOTICE_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_notice(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_NOTICE_LIST[] =
	VIS_CTE "SELECT " NOTICE_COLS ", CASE WHEN r.read_at IS NULL THEN 0 ELSE 1 END"
	" FROM notice n JOIN org o ON o.id = n.org_id"
	" LEFT JOIN notice_read r ON r.notice_id = n.id AND r.user_id = ?1"
	" WHERE n.id IN (SELECT id FROM vis) AND (?2 = 0 OR r.read_at IS NULL)"
	" ORDER BY n.id DESC LIMIT ?3 OFFSET ?4";

static const char SQL_NOTICE_COUNTS[] =
	VIS_CTE "SELECT count(*), coalesce(sum(CASE WHEN r.read_at IS NULL THEN 1 ELSE 0 END), 0)"
	" FROM (SELECT DISTINCT id FROM vis) v"
	" LEFT JOIN notice_read r ON r.notice_id = v.id AND r.user_id = ?1";

static int notice_counts(struct db *db, int64_t user_id, int64_t *total, int64_t *unread)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_NOTICE_COUNTS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, user_id);
	rc = db_step(st);
	if (rc != ZRZ_ROW)
		return rc == ZRZ_DONE ? ZRZ_EINTERNAL : rc;
	*total = db_col_int64(st, 0);
	*unread = db_col_int64(st, 1);
	db_reset(st);
	return ZRZ_OK;
}

int store_notice_list(struct db *db, struct arena *a, int64_t user_id, bool unread_only,
		      int64_t offset, int64_t limit, struct notice **items, int *n,
		      int64_t *total, int64_t *unread)
{
	int64_t all = 0;
	int rc = notice_counts(db, user_id, &all, unread);
	if (rc)
		return rc;
	*total = unread_only ? *unread : all;
	struct db_stmt *st;
	rc = db_prepare(db, SQL_NOTICE_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, unread_only);
	db_bind_int64(st, 3, limit);
	db_bind_int64(st, 4, offset);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct notice *x = &(*items)[(*n)++];
		read_notice(st, a, x);
		x->read = db_col_int64(st, 9) != 0;
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

int store_notice_unread(struct db *db, int64_t user_id, int64_t *count)
{
	int64_t all = 0;
	return notice_counts(db, user_id, &all, count);
}

static const char SQL_NOTICE_VISIBLE[] = VIS_CTE "SELECT count(*) FROM vis WHERE id = ?2";

int store_notice_visible(struct db *db, int64_t user_id, int64_t id, bool *visible)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_NOTICE_VISIBLE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, id);
	int64_t c = 0;
	rc = store__one_int(st, &c);
	*visible = c > 0;
	return rc;
}

static const char SQL_NOTICE_MARK[] =
	"INSERT INTO notice_read (notice_id, user_id, read_at) VALUES (?, ?, ?)"
	" ON CONFLICT (user_id, notice_id) DO NOTHING";

int store_notice_mark(struct db *db, int64_t notice_id, int64_t user_id, int64_t now,
		      int64_t *marked)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_NOTICE_MARK, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, notice_id);
	db_bind_int64(st, 2, user_id);
	db_bind_int64(st, 3, now);
	rc = db_run(st);
	if (!rc)
		*marked = db_changes(db);
	return rc;
}

/* "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON. */
static const char SQL_NOTICE_MARK_ALL[] =
	VIS_CTE "INSERT INTO notice_read (notice_id, user_id, read_at)"
	" SELECT DISTINCT id, ?1, ?2 FROM vis WHERE true"
	" ON CONFLICT (user_id, notice_id) DO NOTHING";

int store_notice_mark_all(struct db *db, int64_t user_id, int64_t now, int64_t *marked)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_NOTICE_MARK_ALL, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, now);
	rc = db_run(st);
	if (!rc)
		*marked = db_changes(db);
	return rc;
}

/* ---- channels ---- */

#define CHANNEL_COLS "id, org_id, kind, name, target, secret, active, created_at, updated_at"

static void read_channel(struct db_stmt *st, struct arena *a, struct notify_channel *c)
{
	c->id = db_col_int64(st, 0);
	c->org_id = db_col_int64(st, 1);
	c->kind = store__text(st, 2, a);
	c->name = store__text(st, 3, a);
	c->target = store__text(st, 4, a);
	c->secret = store__text(st, 5, a);
	c->active = db_col_int64(st, 6) != 0;
	c->created_at = db_col_int64(st, 7);
	c->updated_at = db_col_int64(st, 8);
}

static const char SQL_CHANNEL_INSERT[] =
	"INSERT INTO notify_channel (org_id, kind, name, target, secret, active, created_at,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id";

int store_channel_insert(struct db *db, const struct notify_channel *c, int64_t now,
			 int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CHANNEL_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, c->org_id);
	db_bind_text(st, 2, c->kind);
	db_bind_text(st, 3, c->name);
	db_bind_text(st, 4, c->target);
	db_bind_text(st, 5, c->secret);
	db_bind_int64(st, 6, c->active);
	db_bind_int64(st, 7, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_CHANNEL_GET[] =
	"SELECT " CHANNEL_COLS " FROM notify_channel WHERE id = ? AND deleted_at IS NULL";

int store_channel_get(struct db *db, struct arena *a, int64_t id, struct notify_channel *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CHANNEL_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_channel(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_CHANNEL_UPDATE[] =
	"UPDATE notify_channel SET name = ?, target = ?, secret = ?, active = ?, updated_at = ?"
	" WHERE id = ? AND deleted_at IS NULL";

int store_channel_update(struct db *db, const struct notify_channel *c, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CHANNEL_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, c->name);
	db_bind_text(st, 2, c->target);
	db_bind_text(st, 3, c->secret);
	db_bind_int64(st, 4, c->active);
	db_bind_int64(st, 5, now);
	db_bind_int64(st, 6, c->id);
	return store__one_change(db, st);
}

static const char SQL_CHANNEL_DELETE[] =
	"UPDATE notify_channel SET deleted_at = ?1, active = 0, updated_at = ?1"
	" WHERE id = ?2 AND deleted_at IS NULL";

int store_channel_delete(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CHANNEL_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, id);
	return store__one_change(db, st);
}

static const char SQL_CHANNEL_LIST[] =
	"SELECT " CHANNEL_COLS " FROM notify_channel WHERE org_id = ?1 AND deleted_at IS NULL"
	" AND (?2 = 0 OR active = 1) ORDER BY id";

int store_channel_list(struct db *db, struct arena *a, int64_t org_id, bool active_only,
		       struct notify_channel **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CHANNEL_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, active_only);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_channel(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- deliveries ---- */

static const char SQL_DELIVERY_INSERT[] =
	"INSERT INTO notice_delivery (notice_id, channel_id, state, next_at, created_at)"
	" VALUES (?1, ?2, 'pending', ?3, ?3) RETURNING id";

int store_delivery_insert(struct db *db, int64_t notice_id, int64_t channel_id, int64_t now,
			  int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELIVERY_INSERT, &st);
	if (rc)
		return rc;
	db_bind_id(st, 1, notice_id);
	db_bind_int64(st, 2, channel_id);
	db_bind_int64(st, 3, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

/* The state and next_at conditions are repeated outside the subquery: on
 * PostgreSQL a second process that selected the same rows waits for the
 * first one's row locks and then finds them no longer due. */
static const char SQL_DELIVERY_CLAIM[] =
	"UPDATE notice_delivery SET next_at = ?2 WHERE id IN (SELECT id FROM notice_delivery"
	" WHERE state = 'pending' AND next_at <= ?1 ORDER BY next_at, id LIMIT ?3)"
	" AND state = 'pending' AND next_at <= ?1 RETURNING id";

int store_delivery_claim(struct db *db, struct arena *a, int64_t now, int64_t until,
			 int limit, int64_t **ids, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELIVERY_CLAIM, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, until);
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

#define DELIVERY_COLS                                                                       \
	"d.id, coalesce(d.notice_id, 0), d.channel_id, d.attempts, d.state, d.next_at,"     \
	" coalesce(d.last_status, 0), d.last_error, coalesce(d.sent_at, 0), d.created_at,"  \
	" n.title"

static void read_delivery(struct db_stmt *st, struct arena *a, struct notice_delivery *d)
{
	memset(d, 0, sizeof(*d));
	d->id = db_col_int64(st, 0);
	d->notice_id = db_col_int64(st, 1);
	d->channel_id = db_col_int64(st, 2);
	d->attempts = db_col_int64(st, 3);
	d->state = store__text(st, 4, a);
	d->next_at = db_col_int64(st, 5);
	d->last_status = db_col_int64(st, 6);
	d->last_error = store__text(st, 7, a);
	d->sent_at = db_col_int64(st, 8);
	d->created_at = db_col_int64(st, 9);
	d->notice_title = store__text(st, 10, a);
}

static const char SQL_DELIVERY_GET[] =
	"SELECT " DELIVERY_COLS " FROM notice_delivery d LEFT JOIN notice n ON n.id = d.notice_id"
	" WHERE d.id = ?";

int store_delivery_get(struct db *db, struct arena *a, int64_t id, struct notice_delivery *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELIVERY_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_delivery(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_DELIVERY_RECORD[] =
	"UPDATE notice_delivery SET attempts = ?2, state = ?3, next_at = ?4, last_status = ?5,"
	" last_error = ?6, sent_at = CASE WHEN ?3 = 'sent' THEN ?7 ELSE sent_at END"
	" WHERE id = ?1";
static const char SQL_ATTEMPT_INSERT[] =
	"INSERT INTO notice_attempt (delivery_id, attempt, at, ok, status, error)"
	" VALUES (?, ?, ?, ?, ?, ?)";

int store_delivery_record(struct db *db, int64_t id, int64_t attempt, const char *state,
			  int64_t next_at, int64_t status, const char *error, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELIVERY_RECORD, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, attempt);
	db_bind_text(st, 3, state);
	db_bind_int64(st, 4, next_at);
	db_bind_id(st, 5, status);
	db_bind_text(st, 6, error);
	db_bind_int64(st, 7, now);
	rc = store__one_change(db, st);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_ATTEMPT_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, attempt);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, !strcmp(state, "sent"));
	db_bind_id(st, 5, status);
	db_bind_text(st, 6, error);
	return db_run(st);
}

static const char SQL_DELIVERY_COUNT[] =
	"SELECT count(*) FROM notice_delivery WHERE channel_id = ?";
static const char SQL_DELIVERY_LIST[] =
	"SELECT " DELIVERY_COLS " FROM notice_delivery d LEFT JOIN notice n ON n.id = d.notice_id"
	" WHERE d.channel_id = ?1 ORDER BY d.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_ATTEMPT_LIST[] =
	"SELECT a.delivery_id, a.attempt, a.at, a.ok, coalesce(a.status, 0), a.error"
	" FROM notice_attempt a WHERE a.delivery_id IN (SELECT id FROM notice_delivery"
	" WHERE channel_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3) ORDER BY a.id";

int store_delivery_list(struct db *db, struct arena *a, int64_t channel_id, int64_t offset,
			int64_t limit, struct notice_delivery **items, int *n, int64_t *total)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELIVERY_COUNT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, channel_id);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_DELIVERY_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, channel_id);
	db_bind_int64(st, 2, limit);
	db_bind_int64(st, 3, offset);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_delivery(st, a, &(*items)[(*n)++]);
	}
	if (rc != ZRZ_DONE)
		return rc;
	rc = db_prepare(db, SQL_ATTEMPT_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, channel_id);
	db_bind_int64(st, 2, limit);
	db_bind_int64(st, 3, offset);
	int *caps = arena_alloc(a, sizeof(int) * ((size_t)*n + 1));
	memset(caps, 0, sizeof(int) * ((size_t)*n + 1));
	while ((rc = db_step(st)) == ZRZ_ROW) {
		int64_t did = db_col_int64(st, 0);
		for (int i = 0; i < *n; i++) {
			struct notice_delivery *d = &(*items)[i];
			if (d->id != did)
				continue;
			d->log = store__grow(a, d->log, d->nlog, &caps[i], sizeof(*d->log));
			struct notice_attempt *x = &d->log[d->nlog++];
			x->delivery_id = did;
			x->attempt = db_col_int64(st, 1);
			x->at = db_col_int64(st, 2);
			x->ok = db_col_int64(st, 3) != 0;
			x->status = db_col_int64(st, 4);
			x->error = store__text(st, 5, a);
			break;
		}
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- plan items for the reminder job ---- */

static const char SQL_PLAN_ITEMS_DUE[] =
	"SELECT i.id, i.text, i.due, p.id, p.title, p.org_id, o.name FROM plan_item i "
	"JOIN plan p ON p.id = i.plan_id JOIN org o ON o.id = p.org_id "
	"WHERE i.due IS NOT NULL AND i.status <> 'done' AND i.due >= ? AND i.due <= ? "
	"AND p.deleted_at IS NULL AND (i.due > ? OR (i.due = ? AND i.id > ?)) "
	"ORDER BY i.due, i.id LIMIT ?";

int store_plan_items_due(struct db *db, struct arena *a, const char *from, const char *to,
			 const char *after_due, int64_t after_id, int64_t limit,
			 struct plan_item_due **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PLAN_ITEMS_DUE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	db_bind_text(st, 3, after_due);
	db_bind_text(st, 4, after_due);
	db_bind_int64(st, 5, after_id);
	db_bind_int64(st, 6, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct plan_item_due *x = &(*items)[(*n)++];
		x->item_id = db_col_int64(st, 0);
		x->text = store__text(st, 1, a);
		x->due = store__text(st, 2, a);
		x->plan_id = db_col_int64(st, 3);
		x->plan_title = store__text(st, 4, a);
		x->org_id = db_col_int64(st, 5);
		x->org_name = store__text(st, 6, a);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

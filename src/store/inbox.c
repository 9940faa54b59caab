/*
 * The superior's inbox (上报收件箱): items a unit sent up to the unit above
 * it, their acknowledgement and forwarding.  Every statement is written
 * once for both engines.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

#define INBOX_COLS                                                                         \
	"i.id, i.from_org_id, fo.name, i.to_org_id, t.name, t.path, i.entity, i.entity_id, "  \
	"i.title, i.note, coalesce(i.prev_id, 0), i.state, coalesce(i.sent_by, 0), su.name, "  \
	"i.sent_at, coalesce(i.acked_by, 0), au.name, coalesce(i.acked_at, 0), i.comment, "    \
	"coalesce(i.forward_id, 0)"
#define INBOX_FROM                                                                         \
	" FROM inbox_item i JOIN org fo ON fo.id = i.from_org_id JOIN org t ON t.id = "       \
	"i.to_org_id LEFT JOIN users su ON su.id = i.sent_by LEFT JOIN users au ON au.id = "  \
	"i.acked_by"

static void read_item(struct db_stmt *st, struct arena *a, struct inbox_item *it)
{
	it->id = db_col_int64(st, 0);
	it->from_org_id = db_col_int64(st, 1);
	it->from_org_name = store__text(st, 2, a);
	it->to_org_id = db_col_int64(st, 3);
	it->to_org_name = store__text(st, 4, a);
	it->to_org_path = store__text(st, 5, a);
	it->entity = store__text(st, 6, a);
	it->entity_id = db_col_int64(st, 7);
	it->title = store__text(st, 8, a);
	it->note = store__text(st, 9, a);
	it->prev_id = db_col_int64(st, 10);
	it->state = store__text(st, 11, a);
	it->sent_by = db_col_int64(st, 12);
	it->sent_by_name = store__text(st, 13, a);
	it->sent_at = db_col_int64(st, 14);
	it->acked_by = db_col_int64(st, 15);
	it->acked_by_name = store__text(st, 16, a);
	it->acked_at = db_col_int64(st, 17);
	it->comment = store__text(st, 18, a);
	it->forward_id = db_col_int64(st, 19);
	it->arena = a;
}

/* Run st, which selects INBOX_COLS, expecting one row. */
static int one_item(struct db_stmt *st, struct arena *a, struct inbox_item *out)
{
	int rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_item(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_INBOX_GET[] = "SELECT " INBOX_COLS INBOX_FROM " WHERE i.id = ?";

int store_inbox_get(struct db *db, struct arena *a, int64_t id, struct inbox_item *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INBOX_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return one_item(st, a, out);
}

static const char SQL_INBOX_LATEST[] = "SELECT " INBOX_COLS INBOX_FROM
	" WHERE i.entity = ? AND i.entity_id = ? ORDER BY i.id DESC LIMIT 1";

int store_inbox_latest(struct db *db, struct arena *a, const char *entity, int64_t entity_id,
		       struct inbox_item *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INBOX_LATEST, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, entity);
	db_bind_int64(st, 2, entity_id);
	return one_item(st, a, out);
}

static const char SQL_INBOX_OF_ENTITY[] = "SELECT " INBOX_COLS INBOX_FROM
	" WHERE i.entity = ? AND i.entity_id = ? ORDER BY i.id LIMIT ?";

int store_inbox_of_entity(struct db *db, struct arena *a, const char *entity, int64_t entity_id,
			  int64_t limit, struct inbox_item **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INBOX_OF_ENTITY, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, entity);
	db_bind_int64(st, 2, entity_id);
	db_bind_int64(st, 3, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_item(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_INBOX_INSERT[] =
	"INSERT INTO inbox_item (from_org_id, to_org_id, entity, entity_id, title, note, prev_id, "
	"sent_by, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_inbox_insert(struct db *db, const struct inbox_item *it, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INBOX_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, it->from_org_id);
	db_bind_int64(st, 2, it->to_org_id);
	db_bind_text(st, 3, it->entity);
	db_bind_int64(st, 4, it->entity_id);
	db_bind_text(st, 5, it->title);
	db_bind_text(st, 6, it->note);
	db_bind_id(st, 7, it->prev_id);
	db_bind_id(st, 8, it->sent_by);
	db_bind_int64(st, 9, it->sent_at);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_INBOX_ACK[] =
	"UPDATE inbox_item SET state = 'acknowledged', acked_by = ?, acked_at = ?, comment = ? "
	"WHERE id = ? AND state = 'sent'";

int store_inbox_ack(struct db *db, int64_t id, int64_t user_id, int64_t now, const char *comment)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INBOX_ACK, &st);
	if (rc)
		return rc;
	db_bind_id(st, 1, user_id);
	db_bind_int64(st, 2, now);
	db_bind_text(st, 3, comment);
	db_bind_int64(st, 4, id);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

/* An item not yet acknowledged is acknowledged by its forwarding. */
static const char SQL_INBOX_FORWARDED[] =
	"UPDATE inbox_item SET state = 'forwarded', forward_id = ?1, "
	"acked_by = CASE WHEN acked_at IS NULL THEN ?2 ELSE acked_by END, "
	"acked_at = coalesce(acked_at, ?3) WHERE id = ?4 AND state <> 'forwarded'";

int store_inbox_set_forwarded(struct db *db, int64_t id, int64_t forward_id, int64_t user_id,
			      int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INBOX_FORWARDED, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, forward_id);
	db_bind_id(st, 2, user_id);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, id);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

#define INBOX_WHERE                                                                        \
	" WHERE i.to_org_id = ?1 AND (?2 IS NULL OR i.state = ?2) AND (?3 IS NULL OR "       \
	"i.entity = ?3)"
static const char SQL_INBOX_COUNT[] = "SELECT count(*) FROM inbox_item i" INBOX_WHERE;
/* What waits for acknowledgement first, then the newest. */
static const char SQL_INBOX_LIST[] = "SELECT " INBOX_COLS INBOX_FROM INBOX_WHERE
	" ORDER BY CASE WHEN i.state = 'sent' THEN 0 ELSE 1 END, i.id DESC LIMIT ?4 OFFSET ?5";

int store_inbox_list(struct db *db, struct arena *a, int64_t to_org_id, const char *state,
		     const char *entity, int64_t offset, int64_t limit, struct inbox_item **items,
		     int *n, int64_t *total)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INBOX_COUNT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, to_org_id);
	db_bind_text(st, 2, state);
	db_bind_text(st, 3, entity);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_INBOX_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, to_org_id);
	db_bind_text(st, 2, state);
	db_bind_text(st, 3, entity);
	db_bind_int64(st, 4, limit);
	db_bind_int64(st, 5, offset);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_item(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/*
 * Attachments of ledger records: the contents, one row per distinct
 * SHA-256, and the links from records to them.  A content is written only
 * when no row has its hash yet (ON CONFLICT DO NOTHING covers two uploads of
 * the same bytes racing each other), so the bytes of a file uploaded to many
 * records are stored once.  record.attachments counts a record's live links
 * and moves with every link written or removed here, in the caller's
 * transaction.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

static const char SQL_CONTENT_EXISTS[] = "SELECT count(*) FROM attachment_content WHERE sha256 = ?";

int store_attachment_content_exists(struct db *db, const char *sha256, bool *exists)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CONTENT_EXISTS, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, sha256);
	int64_t n = 0;
	rc = store__one_int(st, &n);
	*exists = n > 0;
	return rc;
}

static const char SQL_CONTENT_INSERT[] =
    "INSERT INTO attachment_content (sha256, mime, size, data, thumb, thumb_mime, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING";

int store_attachment_content_insert(struct db *db, const struct attachment_content *c, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CONTENT_INSERT, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, c->sha256);
	db_bind_text(st, 2, c->mime);
	db_bind_int64(st, 3, (int64_t)c->size);
	db_bind_blob(st, 4, c->data, c->size);
	if (c->thumb) {
		db_bind_blob(st, 5, c->thumb, c->thumb_size);
		db_bind_text(st, 6, c->thumb_mime);
	} else {
		db_bind_null(st, 5);
		db_bind_text(st, 6, NULL);
	}
	db_bind_int64(st, 7, now);
	rc = db_run(st);
	/* Preparing again clears the bindings: drop the bound copy of the bytes
	 * now rather than when the statement is next used, as it may be
	 * megabytes held by a pooled connection. */
	db_prepare(db, SQL_CONTENT_INSERT, &st);
	return rc;
}

static const char SQL_CONTENT_DATA[] = "SELECT data FROM attachment_content WHERE sha256 = ?";
static const char SQL_CONTENT_THUMB[] =
    "SELECT thumb, thumb_mime FROM attachment_content WHERE sha256 = ? AND thumb IS NOT NULL";

/* Run st (one row wanted): its blob column 0 copied into the arena, and the
 * text of column 1 into *text when text is not NULL. */
static int one_blob(struct db_stmt *st, struct arena *a, const void **data, size_t *size,
		    const char **text)
{
	int rc = db_step(st);
	if (rc != ZRZ_ROW)
		return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
	size_t n = 0;
	const void *p = db_col_blob(st, 0, &n);
	void *copy = arena_alloc(a, n ? n : 1);
	if (n)
		memcpy(copy, p, n);
	if (text)
		*text = store__text(st, 1, a);
	db_reset(st);
	*data = copy;
	*size = n;
	return ZRZ_OK;
}

int store_attachment_content_data(struct db *db, struct arena *a, const char *sha256,
				  const void **data, size_t *size)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CONTENT_DATA, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, sha256);
	return one_blob(st, a, data, size, NULL);
}

int store_attachment_content_thumb(struct db *db, struct arena *a, const char *sha256,
				   const void **data, size_t *size, const char **mime)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CONTENT_THUMB, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, sha256);
	return one_blob(st, a, data, size, mime);
}

#define ATTACHMENT_COLS                                                                            \
	"t.id, t.record_id, t.sha256, t.name, c.mime, c.size, coalesce(t.created_by, 0), "         \
	"t.created_at, coalesce(t.deleted_at, 0), c.thumb IS NOT NULL"
#define ATTACHMENT_FROM " FROM record_attachment t JOIN attachment_content c ON c.sha256 = t.sha256"

static void read_attachment(struct db_stmt *st, struct arena *a, struct attachment *t)
{
	t->id = db_col_int64(st, 0);
	t->record_id = db_col_int64(st, 1);
	t->sha256 = store__text(st, 2, a);
	t->name = store__text(st, 3, a);
	t->mime = store__text(st, 4, a);
	t->size = db_col_int64(st, 5);
	t->created_by = db_col_int64(st, 6);
	t->created_at = db_col_int64(st, 7);
	t->deleted_at = db_col_int64(st, 8);
	t->has_thumbnail = db_col_int64(st, 9) != 0;
}

static int one_attachment(struct db_stmt *st, struct arena *a, struct attachment *out)
{
	int rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_attachment(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_GET[] = "SELECT " ATTACHMENT_COLS ATTACHMENT_FROM " WHERE t.id = ?";

int store_attachment_get(struct db *db, struct arena *a, int64_t id, struct attachment *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return one_attachment(st, a, out);
}

static const char SQL_FIND_LIVE[] =
    "SELECT " ATTACHMENT_COLS ATTACHMENT_FROM
    " WHERE t.record_id = ? AND t.sha256 = ? AND t.deleted_at IS NULL ORDER BY t.id LIMIT 1";

int store_attachment_find_live(struct db *db, struct arena *a, int64_t record_id,
			       const char *sha256, struct attachment *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_FIND_LIVE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, record_id);
	db_bind_text(st, 2, sha256);
	return one_attachment(st, a, out);
}

static const char SQL_LIST[] = "SELECT " ATTACHMENT_COLS ATTACHMENT_FROM
			       " WHERE t.record_id = ? AND t.deleted_at IS NULL ORDER BY t.id";

int store_attachment_list(struct db *db, struct arena *a, int64_t record_id,
			  struct attachment **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, record_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_attachment(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_COUNT_ADD[] = "UPDATE record SET attachments = attachments + ? WHERE id = ?";

static int count_add(struct db *db, int64_t record_id, int64_t delta)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_COUNT_ADD, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, delta);
	db_bind_int64(st, 2, record_id);
	return store__one_change(db, st);
}

static const char SQL_INSERT[] =
    "INSERT INTO record_attachment (record_id, sha256, name, created_by, created_at) "
    "VALUES (?, ?, ?, ?, ?) RETURNING id";

int store_attachment_insert(struct db *db, int64_t record_id, const char *sha256, const char *name,
			    int64_t by, int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, record_id);
	db_bind_text(st, 2, sha256);
	db_bind_text(st, 3, name);
	db_bind_id(st, 4, by);
	db_bind_int64(st, 5, now);
	rc = store__one_int(st, id);
	if (rc)
		return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
	return count_add(db, record_id, 1);
}

static const char SQL_SET_DELETED[] =
    "UPDATE record_attachment SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL";

int store_attachment_set_deleted(struct db *db, const struct attachment *t, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SET_DELETED, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, t->id);
	rc = store__one_change(db, st);
	if (rc)
		return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
	return count_add(db, t->record_id, -1);
}

/*
 * The audit trail.  Rows are only ever inserted; the chain of hashes that
 * links them is computed in src/domain/audit.c, which reads the tail here in
 * the same write transaction as the insert, so the chain has one order.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

int store_audit_lock(struct db *db)
{
	return db_lock_chain(db);
}

static const char SQL_TAIL[] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";

int store_audit_tail(struct db *db, int64_t *seq, char hash[65])
{
	struct db_stmt *st;
	*seq = 0;
	hash[0] = '\0';
	int rc = db_prepare(db, SQL_TAIL, &st);
	if (rc)
		return rc;
	rc = db_step(st);
	if (rc == ZRZ_DONE)
		return ZRZ_OK;
	if (rc != ZRZ_ROW)
		return rc;
	*seq = db_col_int64(st, 0);
	const char *h = db_col_text(st, 1);
	snprintf(hash, 65, "%s", h ? h : "");
	db_reset(st);
	return ZRZ_OK;
}

static const char SQL_INSERT[] =
	"INSERT INTO audit (seq, at, user_id, org_id, org_path, action, entity, entity_id, detail,"
	" client, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int store_audit_insert(struct db *db, const struct audit_row *row)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, row->seq);
	db_bind_int64(st, 2, row->at);
	db_bind_id(st, 3, row->user_id);
	db_bind_id(st, 4, row->org_id);
	db_bind_text(st, 5, row->org_path);
	db_bind_text(st, 6, row->action);
	db_bind_text(st, 7, row->entity);
	db_bind_id(st, 8, row->entity_id);
	db_bind_text(st, 9, row->detail);
	db_bind_text(st, 10, row->client);
	db_bind_text(st, 11, row->prev_hash);
	db_bind_text(st, 12, row->hash);
	return db_run(st);
}

#define AUDIT_COLS                                                                          \
	"a.seq, a.at, coalesce(a.user_id, 0), coalesce(a.org_id, 0), a.action, a.entity,"  \
	" coalesce(a.entity_id, 0), a.detail, a.client, a.prev_hash, a.hash, a.org_path"

static void read_row(struct db_stmt *st, struct arena *a, struct audit_row *r)
{
	r->seq = db_col_int64(st, 0);
	r->at = db_col_int64(st, 1);
	r->user_id = db_col_int64(st, 2);
	r->org_id = db_col_int64(st, 3);
	r->action = store__text(st, 4, a);
	r->entity = store__text(st, 5, a);
	r->entity_id = db_col_int64(st, 6);
	r->detail = store__text(st, 7, a);
	r->client = store__text(st, 8, a);
	r->prev_hash = store__text(st, 9, a);
	r->hash = store__text(st, 10, a);
	r->org_path = store__text(st, 11, a);
}

/*
 * ?1 user, ?2 org, ?3/?4 path range, ?5 include rows without org, ?6 action,
 * ?7 entity, ?8 from, ?9 to.  NULL parameters do not filter.  A row is in a
 * subtree when its unit is there now or was there when the row was written
 * (a deleted unit's history stays with its parent; a moved unit's goes with
 * it).
 */
#define AUDIT_WHERE                                                                    \
	" FROM audit a LEFT JOIN org o ON o.id = a.org_id LEFT JOIN users u ON u.id = a.user_id" \
	" WHERE (?1 IS NULL OR a.user_id = ?1) AND (?2 IS NULL OR a.org_id = ?2)"       \
	" AND (?3 IS NULL OR (o.path >= ?3 AND o.path < ?4)"                            \
	" OR (a.org_path >= ?3 AND a.org_path < ?4) OR (?5 = 1 AND a.org_id IS NULL))" \
	" AND (?6 IS NULL OR a.action = ?6) AND (?7 IS NULL OR a.entity = ?7)"          \
	" AND (?8 IS NULL OR a.at >= ?8) AND (?9 IS NULL OR a.at < ?9)"

static const char SQL_LIST[] = "SELECT " AUDIT_COLS ", u.login" AUDIT_WHERE
			       " ORDER BY a.seq DESC LIMIT ?10 OFFSET ?11";
static const char SQL_LIST_COUNT[] = "SELECT count(*)" AUDIT_WHERE;

static void bind_filter(struct db_stmt *st, struct arena *a, const struct audit_filter *f)
{
	db_bind_id(st, 1, f->user_id);
	db_bind_id(st, 2, f->org_id);
	db_bind_text(st, 3, f->org_path);
	db_bind_text(st, 4, f->org_path ? store__path_upper(a, f->org_path) : NULL);
	db_bind_int64(st, 5, f->include_orgless);
	db_bind_text(st, 6, f->action);
	db_bind_text(st, 7, f->entity);
	db_bind_id(st, 8, f->from);
	db_bind_id(st, 9, f->to);
}

int store_audit_list(struct db *db, struct arena *a, const struct audit_filter *f,
		     int64_t offset, int64_t limit, struct audit_row **items, int *n,
		     int64_t *total)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LIST_COUNT, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_LIST, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f);
	db_bind_int64(st, 10, limit);
	db_bind_int64(st, 11, offset);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct audit_row *r = &(*items)[(*n)++];
		read_row(st, a, r);
		r->user_login = store__text(st, 12, a);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_EACH[] = "SELECT " AUDIT_COLS " FROM audit a ORDER BY a.seq";

int store_audit_each(struct db *db, int (*fn)(void *ctx, const struct audit_row *row),
		     void *ctx)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_EACH, &st);
	if (rc)
		return rc;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		/* Column pointers stay valid until the next step: fn must copy
		 * what it keeps. */
		struct audit_row r;
		r.seq = db_col_int64(st, 0);
		r.at = db_col_int64(st, 1);
		r.user_id = db_col_int64(st, 2);
		r.org_id = db_col_int64(st, 3);
		r.action = db_col_text(st, 4);
		r.entity = db_col_text(st, 5);
		r.entity_id = db_col_int64(st, 6);
		r.detail = db_col_text(st, 7);
		r.client = db_col_text(st, 8);
		r.prev_hash = db_col_text(st, 9);
		r.hash = db_col_text(st, 10);
		r.org_path = db_col_text(st, 11);
		r.user_login = NULL;
		int stop = fn(ctx, &r);
		if (stop) {
			db_reset(st);
			return stop;
		}
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_COUNT[] = "SELECT count(*) FROM audit";

int store_audit_count(struct db *db, int64_t *count)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_COUNT, &st);
	if (rc)
		return rc;
	return store__one_int(st, count);
}

/*
 * The organization tree.  Each org keeps a materialized path of ids
 * ("/1/7/42/") so that "this unit and everything below it" is the indexed
 * range [path, path-with-last-slash-as-'0'): '0' is the byte after '/', and
 * paths hold only digits and slashes.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

#include <sodium.h>

void *store__grow(struct arena *a, void *items, int n, int *cap, size_t sz)
{
	if (n < *cap)
		return items;
	int ncap = *cap ? *cap * 2 : 16;
	void *p = arena_alloc(a, (size_t)ncap * sz);
	if (n)
		memcpy(p, items, (size_t)n * sz);
	*cap = ncap;
	return p;
}

const char *store__path_upper(struct arena *a, const char *path)
{
	char *u = arena_strdup(a, path);
	size_t n = strlen(u);
	if (n)
		u[n - 1] = '0';
	return u;
}

#define ORG_COLS                                                                            \
	"o.id, coalesce(o.parent_id, 0), o.path, o.name, o.kind, o.sort, o.created_at, " \
	"o.updated_at, EXISTS (SELECT 1 FROM org c WHERE c.parent_id = o.id)"

static void read_org(struct db_stmt *st, struct arena *a, struct org *o)
{
	o->id = db_col_int64(st, 0);
	o->parent_id = db_col_int64(st, 1);
	o->path = store__text(st, 2, a);
	o->name = store__text(st, 3, a);
	o->kind = store__text(st, 4, a);
	o->sort = db_col_int64(st, 5);
	o->created_at = db_col_int64(st, 6);
	o->updated_at = db_col_int64(st, 7);
	o->has_children = db_col_int64(st, 8) != 0;
}

static const char SQL_GET[] = "SELECT " ORG_COLS " FROM org o WHERE o.id = ?";

int store_org_get(struct db *db, struct arena *a, int64_t id, struct org *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_org(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_INSERT[] =
	"INSERT INTO org (parent_id, path, name, kind, sort, created_at, updated_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_SET_PATH[] = "UPDATE org SET path = ? WHERE id = ?";

int store_org_insert(struct db *db, int64_t parent_id, const char *parent_path, const char *name,
		     const char *kind, int64_t sort, int64_t now, int64_t *id, const char **path,
		     struct arena *a)
{
	/* The path needs the id; insert under a unique placeholder first. */
	unsigned char rnd[12];
	char tmp[40];
	randombytes_buf(rnd, sizeof(rnd));
	memcpy(tmp, "new:", 4);
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(tmp + 4 + 2 * i, 3, "%02x", rnd[i]);
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INSERT, &st);
	if (rc)
		return rc;
	db_bind_id(st, 1, parent_id);
	db_bind_text(st, 2, tmp);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, kind);
	db_bind_int64(st, 5, sort);
	db_bind_int64(st, 6, now);
	db_bind_int64(st, 7, now);
	rc = store__one_int(st, id);
	if (rc)
		return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
	const char *p = arena_printf(a, "%s%lld/", parent_path ? parent_path : "/", (long long)*id);
	rc = db_prepare(db, SQL_SET_PATH, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, p);
	db_bind_int64(st, 2, *id);
	rc = store__one_change(db, st);
	if (!rc && path)
		*path = p;
	return rc;
}

static const char SQL_UPDATE[] =
	"UPDATE org SET name = ?, kind = ?, sort = ?, updated_at = ? WHERE id = ?";

int store_org_update(struct db *db, int64_t id, const char *name, const char *kind, int64_t sort,
		     int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, kind);
	db_bind_int64(st, 3, sort);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, id);
	return store__one_change(db, st);
}

static const char SQL_SET_PARENT[] = "UPDATE org SET parent_id = ?, updated_at = ? WHERE id = ?";
static const char SQL_REPATH[] =
	"UPDATE org SET path = ? || substr(path, CAST(? AS INTEGER)) WHERE path >= ? AND path < ?";

int store_org_move(struct db *db, int64_t id, int64_t new_parent, const char *old_path,
		   const char *new_path, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SET_PARENT, &st);
	if (rc)
		return rc;
	db_bind_id(st, 1, new_parent);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, id);
	rc = store__one_change(db, st);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_REPATH, &st);
	if (rc)
		return rc;
	char upper[512];
	size_t n = strlen(old_path);
	if (n == 0 || n >= sizeof(upper))
		return ZRZ_EINTERNAL;
	memcpy(upper, old_path, n + 1);
	upper[n - 1] = '0';
	db_bind_text(st, 1, new_path);
	db_bind_int64(st, 2, (int64_t)n + 1);
	db_bind_text(st, 3, old_path);
	db_bind_text(st, 4, upper);
	return db_run(st);
}

static const char SQL_DELETE[] = "DELETE FROM org WHERE id = ?";

int store_org_delete(struct db *db, int64_t id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return store__one_change(db, st);
}

static const char SQL_CHILDREN[] = "SELECT " ORG_COLS " FROM org o WHERE o.parent_id = ? "
				   "ORDER BY o.sort, o.id LIMIT ? OFFSET ?";
static const char SQL_ROOTS[] = "SELECT " ORG_COLS " FROM org o WHERE o.parent_id IS NULL "
				"ORDER BY o.sort, o.id LIMIT ? OFFSET ?";
static const char SQL_COUNT_CHILDREN[] = "SELECT count(*) FROM org WHERE parent_id = ?";
static const char SQL_COUNT_ROOTS[] = "SELECT count(*) FROM org WHERE parent_id IS NULL";

int store_org_children(struct db *db, struct arena *a, int64_t parent, int64_t offset,
		       int64_t limit, struct org **items, int *n, int64_t *total)
{
	struct db_stmt *st;
	int rc = db_prepare(db, parent ? SQL_COUNT_CHILDREN : SQL_COUNT_ROOTS, &st);
	if (rc)
		return rc;
	if (parent)
		db_bind_int64(st, 1, parent);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, parent ? SQL_CHILDREN : SQL_ROOTS, &st);
	if (rc)
		return rc;
	int i = 1;
	if (parent)
		db_bind_int64(st, i++, parent);
	db_bind_int64(st, i++, limit);
	db_bind_int64(st, i, offset);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_org(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_SUBTREE[] = "SELECT " ORG_COLS " FROM org o WHERE o.path >= ? AND o.path < ? "
				  "ORDER BY o.path LIMIT ?";

int store_org_subtree(struct db *db, struct arena *a, const char *path, int64_t limit,
		      struct org **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SUBTREE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, store__path_upper(a, path));
	db_bind_int64(st, 3, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_org(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_DEPENDENTS[] =
	"SELECT (SELECT count(*) FROM org WHERE parent_id = ?1)"
	" + (SELECT count(*) FROM users WHERE org_id = ?1)"
	" + (SELECT count(*) FROM role_grant WHERE org_id = ?1)"
	" + (SELECT count(*) FROM duty WHERE org_id = ?1)"
	" + (SELECT count(*) FROM committee WHERE org_id = ?1)"
	" + (SELECT count(*) FROM record WHERE org_id = ?1)"
	" + (SELECT count(*) FROM obligation WHERE org_id = ?1)"
	" + (SELECT count(*) FROM plan WHERE org_id = ?1)";

int store_org_dependents(struct db *db, int64_t id, int64_t *count)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DEPENDENTS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return store__one_int(st, count);
}

static const char SQL_COUNT[] = "SELECT count(*) FROM org";

int store_org_count(struct db *db, int64_t *count)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_COUNT, &st);
	if (rc)
		return rc;
	return store__one_int(st, count);
}

static const char SQL_PATH[] = "SELECT path FROM org WHERE id = ?";

int store_org_path(struct db *db, int64_t id, char *out, size_t n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PATH, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc != ZRZ_ROW)
		return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
	const char *p = db_col_text(st, 0);
	size_t len = p ? strlen(p) : 0;
	if (len >= n) {
		db_reset(st);
		return ZRZ_ETOOBIG;
	}
	memcpy(out, p ? p : "", len + 1);
	db_reset(st);
	return ZRZ_OK;
}

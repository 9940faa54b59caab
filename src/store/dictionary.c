/*
 * The ledger's dictionary of record kinds (additions and edits), and the
 * kept versions of a record.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

static const char SQL_KIND_INSERT[] =
	"INSERT INTO record_kind (code, name, sort, active, builtin) VALUES (?, ?, ?, 1, 0)";

int store_record_kind_insert(struct db *db, const char *code, const char *name, int64_t sort)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_KIND_INSERT, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, name);
	db_bind_int64(st, 3, sort);
	return db_run(st);
}

static const char SQL_KIND_UPDATE[] =
	"UPDATE record_kind SET name = ?, sort = ?, active = ? WHERE code = ?";

int store_record_kind_update(struct db *db, const struct record_kind *k)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_KIND_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, k->name);
	db_bind_int64(st, 2, k->sort);
	db_bind_int64(st, 3, k->active ? 1 : 0);
	db_bind_text(st, 4, k->code);
	return store__one_change(db, st);
}

static const char SQL_KIND_NAME_TAKEN[] =
	"SELECT count(*) FROM record_kind WHERE name = ? AND code <> ?";

int store_record_kind_name_taken(struct db *db, const char *name, const char *code, bool *taken)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_KIND_NAME_TAKEN, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, code);
	int64_t n = 0;
	rc = store__one_int(st, &n);
	*taken = n > 0;
	return rc;
}

static const char SQL_VERSION_LIST[] =
	"SELECT v.version, v.data, coalesce(v.changed_by, 0), coalesce(u.name, ''), "
	"v.changed_at FROM record_version v LEFT JOIN users u ON u.id = v.changed_by "
	"WHERE v.record_id = ? ORDER BY v.version DESC";

int store_record_version_list(struct db *db, struct arena *a, int64_t record_id,
			      struct record_version **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_VERSION_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, record_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct record_version *v = &(*items)[(*n)++];
		v->version = db_col_int64(st, 0);
		v->data = store__text(st, 1, a);
		v->changed_by = db_col_int64(st, 2);
		v->changed_by_name = store__text(st, 3, a);
		v->changed_at = db_col_int64(st, 4);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/*
 * Committees (领导小组) and their members.  Members are replaced as a whole
 * list: the form that edits them shows the whole list, and a list with its
 * order is what the plan importer extracts.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

static const char SQL_LIST[] =
	"SELECT id, org_id, name, created_at, updated_at FROM committee WHERE org_id = ? ORDER BY id";
static const char SQL_GET[] =
	"SELECT id, org_id, name, created_at, updated_at FROM committee WHERE id = ?";
static const char SQL_MEMBERS[] =
	"SELECT id, committee_id, position, name, coalesce(user_id, 0), title, sort"
	" FROM committee_member WHERE committee_id = ? ORDER BY sort, id";

static void read_committee(struct db_stmt *st, struct arena *a, struct committee *c)
{
	c->id = db_col_int64(st, 0);
	c->org_id = db_col_int64(st, 1);
	c->name = store__text(st, 2, a);
	c->created_at = db_col_int64(st, 3);
	c->updated_at = db_col_int64(st, 4);
}

static int load_members(struct db *db, struct arena *a, struct committee *c)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_MEMBERS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, c->id);
	int cap = 0;
	c->nmembers = 0;
	c->members = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		c->members = store__grow(a, c->members, c->nmembers, &cap, sizeof(*c->members));
		struct committee_member *m = &c->members[c->nmembers++];
		m->id = db_col_int64(st, 0);
		m->committee_id = db_col_int64(st, 1);
		m->position = store__text(st, 2, a);
		m->name = store__text(st, 3, a);
		m->user_id = db_col_int64(st, 4);
		m->title = store__text(st, 5, a);
		m->sort = db_col_int64(st, 6);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

int store_committee_list(struct db *db, struct arena *a, int64_t org_id, struct committee **items,
			 int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_committee(st, a, &(*items)[(*n)++]);
	}
	if (rc != ZRZ_DONE)
		return rc;
	for (int i = 0; i < *n; i++) {
		rc = load_members(db, a, &(*items)[i]);
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

int store_committee_get(struct db *db, struct arena *a, int64_t id, struct committee *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc != ZRZ_ROW)
		return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
	read_committee(st, a, out);
	db_reset(st);
	return load_members(db, a, out);
}

static const char SQL_INSERT[] =
	"INSERT INTO committee (org_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)"
	" RETURNING id";

int store_committee_insert(struct db *db, int64_t org_id, const char *name, int64_t now,
			   int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, name);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_UPDATE[] = "UPDATE committee SET name = ?, updated_at = ? WHERE id = ?";

int store_committee_update(struct db *db, int64_t id, const char *name, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, name);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, id);
	return store__one_change(db, st);
}

static const char SQL_DELETE_MEMBERS[] = "DELETE FROM committee_member WHERE committee_id = ?";
static const char SQL_DELETE[] = "DELETE FROM committee WHERE id = ?";

int store_committee_delete(struct db *db, int64_t id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELETE_MEMBERS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_run(st);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return store__one_change(db, st);
}

static const char SQL_INSERT_MEMBER[] =
	"INSERT INTO committee_member (committee_id, position, name, user_id, title, sort)"
	" VALUES (?, ?, ?, ?, ?, ?)";

int store_committee_set_members(struct db *db, int64_t id, const struct committee_member *m,
				int n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELETE_MEMBERS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_run(st);
	for (int i = 0; !rc && i < n; i++) {
		rc = db_prepare(db, SQL_INSERT_MEMBER, &st);
		if (rc)
			break;
		db_bind_int64(st, 1, id);
		db_bind_text(st, 2, m[i].position);
		db_bind_text(st, 3, m[i].name);
		db_bind_id(st, 4, m[i].user_id);
		db_bind_text(st, 5, m[i].title);
		db_bind_int64(st, 6, i);
		rc = db_run(st);
	}
	return rc;
}

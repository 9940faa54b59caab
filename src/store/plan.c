/*
 * Plans (工作要点): plans, their sections, items with co-owners, progress
 * notes and the links from ledger records to items.  Every statement is
 * written once for both engines.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

/* ---- plans ---- */

#define PLAN_COLS                                                                       \
	"p.id, p.org_id, p.year, p.title, p.source_text, coalesce(p.issued_from, 0), "   \
	"coalesce(p.created_by, 0), p.created_at, p.updated_at, coalesce(p.deleted_at, 0)"

static void read_plan(struct db_stmt *st, struct arena *a, struct plan *p)
{
	p->id = db_col_int64(st, 0);
	p->org_id = db_col_int64(st, 1);
	p->year = db_col_int64(st, 2);
	p->title = store__text(st, 3, a);
	p->source_text = store__text(st, 4, a);
	p->issued_from = db_col_int64(st, 5);
	p->created_by = db_col_int64(st, 6);
	p->created_at = db_col_int64(st, 7);
	p->updated_at = db_col_int64(st, 8);
	p->deleted_at = db_col_int64(st, 9);
	p->items = 0;
}

static const char SQL_PLAN_GET[] = "SELECT " PLAN_COLS " FROM plan p WHERE p.id = ?";

int store_plan_get(struct db *db, struct arena *a, int64_t id, struct plan *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PLAN_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_plan(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_PLAN_INSERT[] =
	"INSERT INTO plan (org_id, year, title, source_text, issued_from, created_by, created_at, "
	"updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_plan_insert(struct db *db, const struct plan *p, int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PLAN_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, p->org_id);
	db_bind_int64(st, 2, p->year);
	db_bind_text(st, 3, p->title);
	db_bind_text(st, 4, p->source_text);
	db_bind_id(st, 5, p->issued_from);
	db_bind_id(st, 6, p->created_by);
	db_bind_int64(st, 7, now);
	db_bind_int64(st, 8, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_PLAN_UPDATE[] = "UPDATE plan SET title = ?, updated_at = ? WHERE id = ?";

int store_plan_update(struct db *db, int64_t id, const char *title, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PLAN_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, title);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, id);
	return store__one_change(db, st);
}

static const char SQL_PLAN_DELETE[] =
	"UPDATE plan SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2 AND deleted_at IS NULL";

int store_plan_set_deleted(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PLAN_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, id);
	return store__one_change(db, st);
}

#define PLAN_WHERE                                                                    \
	" FROM plan p WHERE p.org_id = ?1 AND (?2 = 0 OR p.year = ?2)"                   \
	" AND p.deleted_at IS NULL"
static const char SQL_PLAN_COUNT[] = "SELECT count(*)" PLAN_WHERE;
static const char SQL_PLAN_LIST[] =
	"SELECT " PLAN_COLS ", (SELECT count(*) FROM plan_item i WHERE i.plan_id = p.id)" PLAN_WHERE
	" ORDER BY p.year DESC, p.id DESC LIMIT ?3 OFFSET ?4";

int store_plan_list(struct db *db, struct arena *a, int64_t org_id, int64_t year, int64_t offset,
		    int64_t limit, struct plan **items, int *n, int64_t *total)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PLAN_COUNT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, year);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_PLAN_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, year);
	db_bind_int64(st, 3, limit);
	db_bind_int64(st, 4, offset);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct plan *p = &(*items)[(*n)++];
		read_plan(st, a, p);
		p->items = db_col_int64(st, 10);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_PLAN_COPY_EXISTS[] =
	"SELECT count(*) FROM plan WHERE issued_from = ? AND org_id = ? AND deleted_at IS NULL";

int store_plan_copy_exists(struct db *db, int64_t from, int64_t org_id, bool *exists)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PLAN_COPY_EXISTS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, from);
	db_bind_int64(st, 2, org_id);
	int64_t n = 0;
	rc = store__one_int(st, &n);
	*exists = n > 0;
	return rc;
}

/* ---- issuing: copies for every unit of a subtree, set at a time ---- */

/* ?1/?2 the range of paths strictly below the plan's unit, ?3 the user,
 * ?4 now, ?5 the plan.  Units that have a live copy are left out. */
static const char SQL_ISSUE_PLANS[] =
	"INSERT INTO plan (org_id, year, title, source_text, issued_from, created_by, created_at, "
	"updated_at) SELECT o.id, p.year, p.title, NULL, p.id, ?3, ?4, ?4 FROM plan p, org o "
	"WHERE p.id = ?5 AND o.path > ?1 AND o.path < ?2 AND NOT EXISTS (SELECT 1 FROM plan c "
	"WHERE c.issued_from = p.id AND c.org_id = o.id AND c.deleted_at IS NULL) "
	"ORDER BY o.path RETURNING id, org_id";

/* The copies just made are those of plan ?1 with ids ?2..?3 made at ?4
 * (the range holds no other copy of the plan: a concurrent issue of the
 * same plan stops at the unique index on the first unit both copy to). */
static const char SQL_ISSUE_SECTIONS[] =
	"INSERT INTO plan_section (plan_id, parent_id, level, number, title, sort, copied_from) "
	"SELECT c.id, cp.id, s.level, s.number, s.title, s.sort, s.id "
	"FROM plan c JOIN plan_section s ON s.plan_id = c.issued_from AND s.level = ?5 "
	"LEFT JOIN plan_section cp ON cp.plan_id = c.id AND cp.copied_from = s.parent_id "
	"WHERE c.issued_from = ?1 AND c.id >= ?2 AND c.id <= ?3 AND c.created_at = ?4 "
	"AND c.deleted_at IS NULL ORDER BY c.id, s.sort, s.id";
static const char SQL_ISSUE_ITEMS[] =
	"INSERT INTO plan_item (plan_id, section_id, text, lead_user_id, lead_role, due, "
	"recurrence, status, sort, created_at, updated_at, copied_from) "
	"SELECT c.id, cs.id, i.text, NULL, i.lead_role, i.due, i.recurrence, 'todo', i.sort, ?4, "
	"?4, i.id FROM plan c JOIN plan_item i ON i.plan_id = c.issued_from "
	"LEFT JOIN plan_section cs ON cs.plan_id = c.id AND cs.copied_from = i.section_id "
	"WHERE c.issued_from = ?1 AND c.id >= ?2 AND c.id <= ?3 AND c.created_at = ?4 "
	"AND c.deleted_at IS NULL ORDER BY c.id, i.sort, i.id";
static const char SQL_ISSUE_OWNERS[] =
	"INSERT INTO plan_item_owner (item_id, user_id, role) "
	"SELECT ci.id, NULL, o.role FROM plan c JOIN plan_item ci ON ci.plan_id = c.id "
	"JOIN plan_item_owner o ON o.item_id = ci.copied_from "
	"WHERE c.issued_from = ?1 AND c.id >= ?2 AND c.id <= ?3 AND c.created_at = ?4 "
	"AND c.deleted_at IS NULL AND o.role IS NOT NULL ORDER BY ci.id, o.id";

int store_plan_issue(struct db *db, struct arena *a, int64_t plan_id, const char *path,
		     int64_t by, int64_t now, struct plan_copy **copies, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ISSUE_PLANS, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, store__path_upper(a, path));
	db_bind_id(st, 3, by);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, plan_id);
	int cap = 0;
	*n = 0;
	*copies = NULL;
	int64_t lo = INT64_MAX, hi = 0;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*copies = store__grow(a, *copies, *n, &cap, sizeof(**copies));
		struct plan_copy *c = &(*copies)[(*n)++];
		c->id = db_col_int64(st, 0);
		c->org_id = db_col_int64(st, 1);
		lo = c->id < lo ? c->id : lo;
		hi = c->id > hi ? c->id : hi;
	}
	if (rc != ZRZ_DONE)
		return rc;
	if (!*n)
		return ZRZ_OK;
	/* Level 1 sections first, so that level 2 ones find their parents'
	 * copies; then the items, which find their sections'; then the
	 * owners that are roles. */
	for (int level = 1; level <= 2; level++) {
		rc = db_prepare(db, SQL_ISSUE_SECTIONS, &st);
		if (rc)
			return rc;
		db_bind_int64(st, 1, plan_id);
		db_bind_int64(st, 2, lo);
		db_bind_int64(st, 3, hi);
		db_bind_int64(st, 4, now);
		db_bind_int64(st, 5, level);
		rc = db_run(st);
		if (rc)
			return rc;
	}
	const char *const rest[] = {SQL_ISSUE_ITEMS, SQL_ISSUE_OWNERS};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(rest); i++) {
		rc = db_prepare(db, rest[i], &st);
		if (rc)
			return rc;
		db_bind_int64(st, 1, plan_id);
		db_bind_int64(st, 2, lo);
		db_bind_int64(st, 3, hi);
		db_bind_int64(st, 4, now);
		rc = db_run(st);
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

/* ---- sections ---- */

#define SECTION_COLS "id, plan_id, coalesce(parent_id, 0), level, number, title, sort"

static void read_section(struct db_stmt *st, struct arena *a, struct plan_section *s)
{
	s->id = db_col_int64(st, 0);
	s->plan_id = db_col_int64(st, 1);
	s->parent_id = db_col_int64(st, 2);
	s->level = db_col_int64(st, 3);
	s->number = store__text(st, 4, a);
	s->title = store__text(st, 5, a);
	s->sort = db_col_int64(st, 6);
}

static const char SQL_SECTION_LIST[] =
	"SELECT " SECTION_COLS " FROM plan_section WHERE plan_id = ? ORDER BY level, sort, id";

int store_plan_section_list(struct db *db, struct arena *a, int64_t plan_id,
			    struct plan_section **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SECTION_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, plan_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_section(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_SECTION_GET[] = "SELECT " SECTION_COLS " FROM plan_section WHERE id = ?";

int store_plan_section_get(struct db *db, struct arena *a, int64_t id, struct plan_section *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SECTION_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_section(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_SECTION_INSERT[] =
	"INSERT INTO plan_section (plan_id, parent_id, level, number, title, sort) "
	"VALUES (?, ?, ?, ?, ?, ?) RETURNING id";

int store_plan_section_insert(struct db *db, const struct plan_section *s, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SECTION_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, s->plan_id);
	db_bind_id(st, 2, s->parent_id);
	db_bind_int64(st, 3, s->level);
	db_bind_text(st, 4, s->number);
	db_bind_text(st, 5, s->title);
	db_bind_int64(st, 6, s->sort);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_SECTION_UPDATE[] =
	"UPDATE plan_section SET number = ?, title = ?, sort = ? WHERE id = ?";

int store_plan_section_update(struct db *db, const struct plan_section *s)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SECTION_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, s->number);
	db_bind_text(st, 2, s->title);
	db_bind_int64(st, 3, s->sort);
	db_bind_int64(st, 4, s->id);
	return store__one_change(db, st);
}

static const char SQL_SECTION_DELETE[] = "DELETE FROM plan_section WHERE id = ?";

int store_plan_section_delete(struct db *db, int64_t id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SECTION_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return store__one_change(db, st);
}

static const char SQL_SECTION_USED[] =
	"SELECT (SELECT count(*) FROM plan_section WHERE parent_id = ?1)"
	" + (SELECT count(*) FROM plan_item WHERE section_id = ?1)";

int store_plan_section_used(struct db *db, int64_t id, int64_t *count)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SECTION_USED, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return store__one_int(st, count);
}

/* ---- items ---- */

#define ITEM_COLS                                                                           \
	"id, plan_id, coalesce(section_id, 0), text, coalesce(lead_user_id, 0), lead_role, " \
	"due, recurrence, status, sort, created_at, updated_at"

static void read_item(struct db_stmt *st, struct arena *a, struct plan_item *it)
{
	memset(it, 0, sizeof(*it));
	it->id = db_col_int64(st, 0);
	it->plan_id = db_col_int64(st, 1);
	it->section_id = db_col_int64(st, 2);
	it->text = store__text(st, 3, a);
	it->lead_user_id = db_col_int64(st, 4);
	it->lead_role = store__text(st, 5, a);
	it->due = store__text(st, 6, a);
	it->recurrence = store__text(st, 7, a);
	it->status = store__text(st, 8, a);
	it->sort = db_col_int64(st, 9);
	it->created_at = db_col_int64(st, 10);
	it->updated_at = db_col_int64(st, 11);
}

static const char SQL_OWNERS_OF_PLAN[] =
	"SELECT o.item_id, coalesce(o.user_id, 0), o.role FROM plan_item_owner o "
	"JOIN plan_item i ON i.id = o.item_id WHERE i.plan_id = ? ORDER BY o.item_id, o.id";
static const char SQL_OWNERS_OF_ITEM[] =
	"SELECT item_id, coalesce(user_id, 0), role FROM plan_item_owner WHERE item_id = ? "
	"ORDER BY id";

struct item_ref {
	int64_t id;
	int index;
};

static int item_ref_cmp(const void *x, const void *y)
{
	const struct item_ref *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Attach the owners selected by sql (bound to id) to items[0..n): a plan's
 * items are ordered by sort, so each owner finds its item through an index
 * sorted by id. */
static int attach_owners(struct db *db, struct arena *a, const char *sql, int64_t id,
			 struct plan_item *items, int n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	struct item_ref *refs = arena_alloc(a, sizeof(*refs) * ((size_t)n + 1));
	int *caps = arena_alloc(a, sizeof(int) * ((size_t)n + 1));
	for (int i = 0; i < n; i++) {
		refs[i] = (struct item_ref){items[i].id, i};
		caps[i] = 0;
	}
	qsort(refs, (size_t)n, sizeof(*refs), item_ref_cmp);
	while ((rc = db_step(st)) == ZRZ_ROW) {
		struct item_ref key = {db_col_int64(st, 0), 0};
		const struct item_ref *f = bsearch(&key, refs, (size_t)n, sizeof(*refs), item_ref_cmp);
		if (!f)
			continue;
		struct plan_item *it = &items[f->index];
		it->owners = store__grow(a, it->owners, it->nowners, &caps[f->index],
					 sizeof(struct plan_owner));
		struct plan_owner *o = &it->owners[it->nowners++];
		o->item_id = key.id;
		o->user_id = db_col_int64(st, 1);
		o->role = store__text(st, 2, a);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_ITEM_LIST[] =
	"SELECT " ITEM_COLS " FROM plan_item WHERE plan_id = ? ORDER BY sort, id";

int store_plan_item_list(struct db *db, struct arena *a, int64_t plan_id,
			 struct plan_item **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ITEM_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, plan_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_item(st, a, &(*items)[(*n)++]);
	}
	if (rc != ZRZ_DONE)
		return rc;
	return *n ? attach_owners(db, a, SQL_OWNERS_OF_PLAN, plan_id, *items, *n) : ZRZ_OK;
}

static const char SQL_ITEM_GET[] = "SELECT " ITEM_COLS " FROM plan_item WHERE id = ?";

int store_plan_item_get(struct db *db, struct arena *a, int64_t id, struct plan_item *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ITEM_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_DONE)
		return ZRZ_ENOTFOUND;
	if (rc != ZRZ_ROW)
		return rc;
	read_item(st, a, out);
	db_reset(st);
	return attach_owners(db, a, SQL_OWNERS_OF_ITEM, id, out, 1);
}

/* Binds ?1..?9 with the fields every write sets. */
static void bind_item(struct db_stmt *st, const struct plan_item *it)
{
	db_bind_int64(st, 1, it->plan_id);
	db_bind_id(st, 2, it->section_id);
	db_bind_text(st, 3, it->text);
	db_bind_id(st, 4, it->lead_user_id);
	db_bind_text(st, 5, it->lead_role);
	db_bind_text(st, 6, it->due);
	db_bind_text(st, 7, it->recurrence);
	db_bind_text(st, 8, it->status ? it->status : "todo");
	db_bind_int64(st, 9, it->sort);
}

static const char SQL_ITEM_INSERT[] =
	"INSERT INTO plan_item (plan_id, section_id, text, lead_user_id, lead_role, due, "
	"recurrence, status, sort, created_at, updated_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id";

int store_plan_item_insert(struct db *db, const struct plan_item *it, int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ITEM_INSERT, &st);
	if (rc)
		return rc;
	bind_item(st, it);
	db_bind_int64(st, 10, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_ITEM_UPDATE[] =
	"UPDATE plan_item SET plan_id = ?1, section_id = ?2, text = ?3, lead_user_id = ?4, "
	"lead_role = ?5, due = ?6, recurrence = ?7, status = ?8, sort = ?9, updated_at = ?10 "
	"WHERE id = ?11";

int store_plan_item_update(struct db *db, const struct plan_item *it, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ITEM_UPDATE, &st);
	if (rc)
		return rc;
	bind_item(st, it);
	db_bind_int64(st, 10, now);
	db_bind_int64(st, 11, it->id);
	return store__one_change(db, st);
}

static const char SQL_ITEM_DEL_OWNERS[] = "DELETE FROM plan_item_owner WHERE item_id = ?";
static const char SQL_ITEM_DEL_PROGRESS[] = "DELETE FROM plan_progress WHERE item_id = ?";
static const char SQL_ITEM_DEL_LINKS[] = "DELETE FROM record_plan_item WHERE plan_item_id = ?";
static const char SQL_ITEM_CLEAR_OBL[] =
	"UPDATE obligation SET plan_item_id = NULL WHERE plan_item_id = ?";
static const char SQL_ITEM_DELETE[] = "DELETE FROM plan_item WHERE id = ?";

int store_plan_item_delete(struct db *db, int64_t id)
{
	const char *const before[] = {SQL_ITEM_DEL_OWNERS, SQL_ITEM_DEL_PROGRESS,
				      SQL_ITEM_DEL_LINKS, SQL_ITEM_CLEAR_OBL};
	struct db_stmt *st;
	int rc;
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(before); i++) {
		rc = db_prepare(db, before[i], &st);
		if (rc)
			return rc;
		db_bind_int64(st, 1, id);
		rc = db_run(st);
		if (rc)
			return rc;
	}
	rc = db_prepare(db, SQL_ITEM_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return store__one_change(db, st);
}

static const char SQL_OWNER_INSERT[] =
	"INSERT INTO plan_item_owner (item_id, user_id, role) VALUES (?, ?, ?)";

int store_plan_owner_set(struct db *db, int64_t item_id, const struct plan_owner *o, int n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ITEM_DEL_OWNERS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, item_id);
	rc = db_run(st);
	for (int i = 0; !rc && i < n; i++) {
		rc = db_prepare(db, SQL_OWNER_INSERT, &st);
		if (rc)
			return rc;
		db_bind_int64(st, 1, item_id);
		db_bind_id(st, 2, o[i].user_id);
		db_bind_text(st, 3, o[i].user_id ? NULL : o[i].role);
		rc = db_run(st);
	}
	return rc;
}

static const char SQL_ITEM_ORG[] =
	"SELECT p.org_id FROM plan_item i JOIN plan p ON p.id = i.plan_id "
	"WHERE i.id = ? AND p.deleted_at IS NULL";

int store_plan_item_org(struct db *db, int64_t id, int64_t *org_id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ITEM_ORG, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return store__one_int(st, org_id);
}

/* ---- progress ---- */

static const char SQL_PROGRESS_INSERT[] =
	"INSERT INTO plan_progress (item_id, date, note, created_by, created_at) "
	"VALUES (?, ?, ?, ?, ?) RETURNING id";

int store_plan_progress_insert(struct db *db, const struct plan_progress *p, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PROGRESS_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, p->item_id);
	db_bind_text(st, 2, p->date);
	db_bind_text(st, 3, p->note);
	db_bind_id(st, 4, p->created_by);
	db_bind_int64(st, 5, p->created_at);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_PROGRESS_LIST[] =
	"SELECT id, item_id, date, note, coalesce(created_by, 0), created_at FROM plan_progress "
	"WHERE item_id = ? ORDER BY date, id";

int store_plan_progress_list(struct db *db, struct arena *a, int64_t item_id,
			     struct plan_progress **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PROGRESS_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, item_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct plan_progress *p = &(*items)[(*n)++];
		p->id = db_col_int64(st, 0);
		p->item_id = db_col_int64(st, 1);
		p->date = store__text(st, 2, a);
		p->note = store__text(st, 3, a);
		p->created_by = db_col_int64(st, 4);
		p->created_at = db_col_int64(st, 5);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- record links ---- */

static const char SQL_LINKS_OF_RECORD[] =
	"SELECT plan_item_id FROM record_plan_item WHERE record_id = ? ORDER BY plan_item_id";

int store_record_plan_items(struct db *db, struct arena *a, int64_t record_id, int64_t **ids,
			    int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LINKS_OF_RECORD, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, record_id);
	int cap = 0;
	*n = 0;
	*ids = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*ids = store__grow(a, *ids, *n, &cap, sizeof(**ids));
		(*ids)[(*n)++] = db_col_int64(st, 0);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_RECORDS_OF_ITEM[] =
	"SELECT l.record_id FROM record_plan_item l JOIN record r ON r.id = l.record_id "
	"WHERE l.plan_item_id = ? AND r.deleted_at IS NULL ORDER BY r.date, r.id LIMIT ?";

int store_plan_item_records(struct db *db, struct arena *a, int64_t item_id, int64_t limit,
			    int64_t **ids, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_RECORDS_OF_ITEM, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, item_id);
	db_bind_int64(st, 2, limit);
	int cap = 0;
	*n = 0;
	*ids = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*ids = store__grow(a, *ids, *n, &cap, sizeof(**ids));
		(*ids)[(*n)++] = db_col_int64(st, 0);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_LINKS_CLEAR[] = "DELETE FROM record_plan_item WHERE record_id = ?";
static const char SQL_LINK_INSERT[] =
	"INSERT INTO record_plan_item (record_id, plan_item_id) VALUES (?, ?)";

int store_record_plan_items_set(struct db *db, int64_t record_id, const int64_t *ids, int n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LINKS_CLEAR, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, record_id);
	rc = db_run(st);
	for (int i = 0; !rc && i < n; i++) {
		rc = db_prepare(db, SQL_LINK_INSERT, &st);
		if (rc)
			return rc;
		db_bind_int64(st, 1, record_id);
		db_bind_int64(st, 2, ids[i]);
		rc = db_run(st);
	}
	return rc;
}

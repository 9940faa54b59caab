/*
 * Users, their role grants and duties, and the failed-login counters that
 * drive the account lockout.  Failed logins are counted by login name, for
 * names that exist and names that do not alike, so the lockout itself never
 * tells an outsider which names are real.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

#define USER_COLS                                                                         \
	"u.id, u.org_id, o.name, u.login, u.name, u.pass_hash, u.pass_changed_at, "      \
	"u.must_change, u.locked, u.created_at, u.updated_at"

static void read_user(struct db_stmt *st, struct arena *a, struct user *u)
{
	u->id = db_col_int64(st, 0);
	u->org_id = db_col_int64(st, 1);
	u->org_name = store__text(st, 2, a);
	u->login = store__text(st, 3, a);
	u->name = store__text(st, 4, a);
	u->pass_hash = store__text(st, 5, a);
	u->pass_changed_at = db_col_int64(st, 6);
	u->must_change = db_col_int64(st, 7) != 0;
	u->locked = db_col_int64(st, 8) != 0;
	u->created_at = db_col_int64(st, 9);
	u->updated_at = db_col_int64(st, 10);
}

static int get_one(struct db *db, const char *sql, struct arena *a, int64_t id, const char *login,
		   struct user *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	if (login)
		db_bind_text(st, 1, login);
	else
		db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_user(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_GET[] =
	"SELECT " USER_COLS " FROM users u JOIN org o ON o.id = u.org_id WHERE u.id = ?";
static const char SQL_BY_LOGIN[] =
	"SELECT " USER_COLS " FROM users u JOIN org o ON o.id = u.org_id WHERE u.login = ?";

int store_user_get(struct db *db, struct arena *a, int64_t id, struct user *out)
{
	return get_one(db, SQL_GET, a, id, NULL, out);
}

int store_user_by_login(struct db *db, struct arena *a, const char *login, struct user *out)
{
	return get_one(db, SQL_BY_LOGIN, a, 0, login, out);
}

static const char SQL_INSERT[] =
	"INSERT INTO users (org_id, login, name, pass_hash, pass_changed_at, must_change, locked,"
	" created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id";

int store_user_insert(struct db *db, int64_t org_id, const char *login, const char *name,
		      const char *pass_hash, bool must_change, int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, login);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, pass_hash);
	db_bind_int64(st, 5, now);
	db_bind_int64(st, 6, must_change);
	db_bind_int64(st, 7, now);
	db_bind_int64(st, 8, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_UPDATE[] =
	"UPDATE users SET org_id = ?, name = ?, locked = ?, updated_at = ? WHERE id = ?";

int store_user_update(struct db *db, int64_t id, int64_t org_id, const char *name, bool locked,
		      int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, name);
	db_bind_int64(st, 3, locked);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, id);
	return store__one_change(db, st);
}

static const char SQL_SET_PASSWORD[] =
	"UPDATE users SET pass_hash = ?, must_change = ?, pass_changed_at = ?, updated_at = ?"
	" WHERE id = ?";

int store_user_set_password(struct db *db, int64_t id, const char *pass_hash, bool must_change,
			    int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SET_PASSWORD, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, pass_hash);
	db_bind_int64(st, 2, must_change);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, id);
	return store__one_change(db, st);
}

/* One statement serves both filters: ?1 org id (0: any), ?2/?3 the path
 * range (NULL: any), ?4 a LIKE pattern (NULL: any). */
#define USER_WHERE                                                                 \
	" FROM users u JOIN org o ON o.id = u.org_id"                               \
	" WHERE (?1 = 0 OR u.org_id = ?1) AND (?2 IS NULL OR (o.path >= ?2 AND o.path < ?3))" \
	" AND (?4 IS NULL OR lower(u.login) LIKE ?4 ESCAPE '\\' OR lower(u.name) LIKE ?4 ESCAPE '\\')"
static const char SQL_LIST[] =
	"SELECT " USER_COLS USER_WHERE " ORDER BY o.path, u.id LIMIT ?5 OFFSET ?6";
static const char SQL_LIST_COUNT[] = "SELECT count(*)" USER_WHERE;

static const char *like_pattern(struct arena *a, const char *q)
{
	if (!q)
		return NULL;
	/* Case-insensitive for ASCII on both engines: lower() on both sides. */
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

static void bind_user_filter(struct db_stmt *st, struct arena *a, int64_t org_id,
			     const char *path, const char *like)
{
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, path);
	db_bind_text(st, 3, path ? store__path_upper(a, path) : NULL);
	db_bind_text(st, 4, like);
}

int store_user_list(struct db *db, struct arena *a, int64_t org_id, const char *path,
		    const char *q, int64_t offset, int64_t limit, struct user **items, int *n,
		    int64_t *total)
{
	const char *like = like_pattern(a, q);
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LIST_COUNT, &st);
	if (rc)
		return rc;
	bind_user_filter(st, a, org_id, path, like);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_LIST, &st);
	if (rc)
		return rc;
	bind_user_filter(st, a, org_id, path, like);
	db_bind_int64(st, 5, limit);
	db_bind_int64(st, 6, offset);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_user(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_COUNT[] = "SELECT count(*) FROM users";

int store_user_count(struct db *db, int64_t *count)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_COUNT, &st);
	if (rc)
		return rc;
	return store__one_int(st, count);
}

/* ---- grants ---- */

#define GRANT_COLS "g.id, g.user_id, g.org_id, g.role, g.scope, o.path, o.name"

static void read_grant(struct db_stmt *st, struct arena *a, struct grant *g)
{
	g->id = db_col_int64(st, 0);
	g->user_id = db_col_int64(st, 1);
	g->org_id = db_col_int64(st, 2);
	g->role = store__text(st, 3, a);
	g->scope = store__text(st, 4, a);
	g->org_path = store__text(st, 5, a);
	g->org_name = store__text(st, 6, a);
}

static const char SQL_GRANTS[] = "SELECT " GRANT_COLS " FROM role_grant g JOIN org o ON o.id = "
				 "g.org_id WHERE g.user_id = ? ORDER BY g.id";
static const char SQL_GRANT_GET[] =
	"SELECT " GRANT_COLS " FROM role_grant g JOIN org o ON o.id = g.org_id WHERE g.id = ?";

int store_grant_list(struct db *db, struct arena *a, int64_t user_id, struct grant **items,
		     int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_GRANTS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, user_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_grant(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

int store_grant_get(struct db *db, struct arena *a, int64_t id, struct grant *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_GRANT_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_grant(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_GRANT_INSERT[] =
	"INSERT INTO role_grant (user_id, org_id, role, scope, created_at) VALUES (?, ?, ?, ?, ?)"
	" RETURNING id";

int store_grant_insert(struct db *db, int64_t user_id, int64_t org_id, const char *role,
		       const char *scope, int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_GRANT_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, org_id);
	db_bind_text(st, 3, role);
	db_bind_text(st, 4, scope);
	db_bind_int64(st, 5, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_GRANT_DELETE[] = "DELETE FROM role_grant WHERE id = ?";

int store_grant_delete(struct db *db, int64_t id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_GRANT_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return store__one_change(db, st);
}

/* ---- duties ---- */

static const char SQL_DUTIES[] =
	"SELECT id, user_id, org_id, area FROM duty WHERE user_id = ? ORDER BY id";
static const char SQL_DUTY_GET[] = "SELECT id, user_id, org_id, area FROM duty WHERE id = ?";

static void read_duty(struct db_stmt *st, struct arena *a, struct duty *d)
{
	d->id = db_col_int64(st, 0);
	d->user_id = db_col_int64(st, 1);
	d->org_id = db_col_int64(st, 2);
	d->area = store__text(st, 3, a);
}

int store_duty_list(struct db *db, struct arena *a, int64_t user_id, struct duty **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DUTIES, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, user_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_duty(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

int store_duty_get(struct db *db, struct arena *a, int64_t id, struct duty *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DUTY_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_duty(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_DUTY_INSERT[] =
	"INSERT INTO duty (user_id, org_id, area, created_at) VALUES (?, ?, ?, ?) RETURNING id";

int store_duty_insert(struct db *db, int64_t user_id, int64_t org_id, const char *area,
		      int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DUTY_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, org_id);
	db_bind_text(st, 3, area);
	db_bind_int64(st, 4, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_DUTY_DELETE[] = "DELETE FROM duty WHERE id = ?";

int store_duty_delete(struct db *db, int64_t id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DUTY_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return store__one_change(db, st);
}

/* ---- failed logins ---- */

static const char SQL_LF_GET[] =
	"SELECT failures, last_at, locked_until FROM login_failure WHERE login = ?";
static const char SQL_LF_SET[] =
	"INSERT INTO login_failure (login, failures, last_at, locked_until) VALUES (?, ?, ?, ?)"
	" ON CONFLICT (login) DO UPDATE SET failures = excluded.failures,"
	" last_at = excluded.last_at, locked_until = excluded.locked_until";
static const char SQL_LF_CLEAR[] = "DELETE FROM login_failure WHERE login = ?";

int store_login_failure_get(struct db *db, const char *login, struct login_failure *out)
{
	struct db_stmt *st;
	memset(out, 0, sizeof(*out));
	int rc = db_prepare(db, SQL_LF_GET, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, login);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		out->failures = db_col_int64(st, 0);
		out->last_at = db_col_int64(st, 1);
		out->locked_until = db_col_int64(st, 2);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

int store_login_failure_set(struct db *db, const char *login, const struct login_failure *f)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LF_SET, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, login);
	db_bind_int64(st, 2, f->failures);
	db_bind_int64(st, 3, f->last_at);
	db_bind_int64(st, 4, f->locked_until);
	return db_run(st);
}

int store_login_failure_clear(struct db *db, const char *login)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LF_CLEAR, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, login);
	return db_run(st);
}

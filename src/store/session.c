/*
 * Sessions.  Only the SHA-256 of a session token is stored, so a copy of the
 * database does not let anyone log in.  The lookup on every request is one
 * read through the unique index on token_hash, joined with the user.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

static const char SQL_INSERT[] =
	"INSERT INTO session (token_hash, user_id, csrf, created_at, last_seen, expires_at, client)"
	" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_session_insert(struct db *db, const char *token_hash, int64_t user_id,
			 const char *csrf, int64_t now, int64_t expires_at, const char *client,
			 int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INSERT, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, token_hash);
	db_bind_int64(st, 2, user_id);
	db_bind_text(st, 3, csrf);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, now);
	db_bind_int64(st, 6, expires_at);
	db_bind_text(st, 7, client);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

/* One row per grant (or one row with NULL grant columns for none). */
static const char SQL_LOOKUP[] =
	"SELECT s.id, s.user_id, s.csrf, s.created_at, s.last_seen, s.expires_at,"
	" u.org_id, u.login, u.name, u.pass_changed_at, u.must_change, u.locked, o.name,"
	" g.id, g.org_id, g.role, g.scope, go.path, go.name"
	" FROM session s JOIN users u ON u.id = s.user_id JOIN org o ON o.id = u.org_id"
	" LEFT JOIN role_grant g ON g.user_id = u.id LEFT JOIN org go ON go.id = g.org_id"
	" WHERE s.token_hash = ? ORDER BY g.id";

int store_session_lookup(struct db *db, struct arena *a, const char *token_hash,
			 struct session_row *s, struct user *u, struct grant **grants, int *ngrants)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_LOOKUP, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, token_hash);
	rc = db_step(st);
	if (rc != ZRZ_ROW)
		return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
	int cap = 0;
	*grants = NULL;
	*ngrants = 0;
	s->id = db_col_int64(st, 0);
	s->user_id = db_col_int64(st, 1);
	s->csrf = store__text(st, 2, a);
	s->created_at = db_col_int64(st, 3);
	s->last_seen = db_col_int64(st, 4);
	s->expires_at = db_col_int64(st, 5);
	memset(u, 0, sizeof(*u));
	u->id = s->user_id;
	u->org_id = db_col_int64(st, 6);
	u->login = store__text(st, 7, a);
	u->name = store__text(st, 8, a);
	u->pass_changed_at = db_col_int64(st, 9);
	u->must_change = db_col_int64(st, 10) != 0;
	u->locked = db_col_int64(st, 11) != 0;
	u->org_name = store__text(st, 12, a);
	do {
		if (db_col_null(st, 13))
			continue;
		*grants = store__grow(a, *grants, *ngrants, &cap, sizeof(**grants));
		struct grant *g = &(*grants)[(*ngrants)++];
		g->id = db_col_int64(st, 13);
		g->user_id = u->id;
		g->org_id = db_col_int64(st, 14);
		g->role = store__text(st, 15, a);
		g->scope = store__text(st, 16, a);
		g->org_path = store__text(st, 17, a);
		g->org_name = store__text(st, 18, a);
	} while ((rc = db_step(st)) == ZRZ_ROW);
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_TOUCH[] = "UPDATE session SET last_seen = ? WHERE id = ?";

int store_session_touch(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_TOUCH, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, id);
	return db_run(st);
}

static const char SQL_DELETE[] = "DELETE FROM session WHERE id = ?";

int store_session_delete(struct db *db, int64_t id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return db_run(st);
}

static const char SQL_DELETE_USER[] = "DELETE FROM session WHERE user_id = ? AND id <> ?";

int store_session_delete_user(struct db *db, int64_t user_id, int64_t keep_id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_DELETE_USER, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, user_id);
	db_bind_int64(st, 2, keep_id);
	return db_run(st);
}

static const char SQL_PURGE[] = "DELETE FROM session WHERE expires_at <= ? OR last_seen < ?";
static const char SQL_PURGE_FAILURES[] =
	"DELETE FROM login_failure WHERE last_at < ? AND locked_until < ?";

int store_session_purge(struct db *db, int64_t now, int64_t idle_before, int64_t *purged)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_PURGE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, idle_before);
	rc = db_run(st);
	if (rc)
		return rc;
	if (purged)
		*purged = db_changes(db);
	rc = db_prepare(db, SQL_PURGE_FAILURES, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now - 86400);
	db_bind_int64(st, 2, now);
	return db_run(st);
}

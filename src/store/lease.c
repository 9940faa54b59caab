/*
 * Leases and job runs.  Taking a lease is one statement on both engines: an
 * upsert that only replaces an expired lease, and says by returning a row
 * whether it did, so two processes can never both hold it.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

static const char SQL_TAKE[] =
	"INSERT INTO lease (name, holder, expires_at) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
	" expires_at = excluded.expires_at WHERE lease.expires_at <= ?4"
	" RETURNING holder";

int store_lease_take(struct db *db, const char *name, const char *holder, int64_t now,
		     int64_t until, bool *taken)
{
	struct db_stmt *st;
	*taken = false;
	int rc = db_prepare(db, SQL_TAKE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, holder);
	db_bind_int64(st, 3, until);
	db_bind_int64(st, 4, now);
	while ((rc = db_step(st)) == ZRZ_ROW)
		*taken = true;
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_RUN_START[] =
	"INSERT INTO job_run (name, holder, started_at) VALUES (?, ?, ?) RETURNING id";

int store_job_start(struct db *db, const char *name, const char *holder, int64_t now,
		    int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_RUN_START, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, holder);
	db_bind_int64(st, 3, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_RUN_FINISH[] =
	"UPDATE job_run SET finished_at = ?, ok = ?, detail = ? WHERE id = ?";

int store_job_finish(struct db *db, int64_t id, int64_t now, bool ok, const char *detail)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_RUN_FINISH, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, ok);
	db_bind_text(st, 3, detail);
	db_bind_int64(st, 4, id);
	return store__one_change(db, st);
}

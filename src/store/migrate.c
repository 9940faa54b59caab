/*
 * Applying the embedded migrations.  The version table is created outside
 * any migration so that even the first migration is recorded like the rest.
 */
#include "core/common.h"
#include "core/ztime.h"
#include "store/db.h"
#include "store/migrate.h"

static const struct migration *table_for(const struct store *s)
{
	return store_kind_of(s) == STORE_SQLITE ? migrations_sqlite : migrations_pg;
}

int migrate_latest(const struct store *s)
{
	int v = 0;
	for (const struct migration *m = table_for(s); m->version; m++)
		v = m->version;
	return v;
}

static const char SQL_CREATE_VERSIONS[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
static const char SQL_MAX_VERSION[] = "SELECT coalesce(max(version), 0) FROM schema_migrations";
static const char SQL_RECORD[] =
	"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";

static int current(struct db *db, int *out)
{
	struct db_stmt *st;
	*out = 0;
	int rc = db_prepare(db, db_sql_has_migrations(db), &st);
	if (rc)
		return rc;
	rc = db_step(st);
	if (rc != ZRZ_ROW)
		return rc < 0 ? rc : ZRZ_EINTERNAL;
	int64_t has = db_col_int64(st, 0);
	db_reset(st);
	if (!has)
		return ZRZ_OK;
	rc = db_prepare(db, SQL_MAX_VERSION, &st);
	if (rc)
		return rc;
	rc = db_step(st);
	if (rc != ZRZ_ROW)
		return rc < 0 ? rc : ZRZ_EINTERNAL;
	*out = (int)db_col_int64(st, 0);
	db_reset(st);
	return ZRZ_OK;
}

int migrate_current(struct store *s, int *out)
{
	struct db *db;
	int rc = store_acquire(s, &db);
	if (rc)
		return rc;
	rc = current(db, out);
	store_release(s, db);
	return rc;
}

int migrate_up(struct store *s, int target, int *applied, char *err, size_t errlen)
{
	struct db *db;
	*applied = 0;
	int rc = store_acquire(s, &db);
	if (rc) {
		snprintf(err, errlen, "无法连接数据库");
		return rc;
	}
	int have = 0;
	rc = current(db, &have);
	if (rc) {
		snprintf(err, errlen, "无法读取数据库版本，文件可能不是 zerenzhi 数据库");
		goto out;
	}
	if (have > migrate_latest(s)) {
		snprintf(err, errlen, "数据库版本（%d）高于本程序支持的版本（%d），请升级 zerenzhi", have,
			 migrate_latest(s));
		rc = ZRZ_ESCHEMA;
		goto out;
	}
	if (target <= 0 || target > migrate_latest(s))
		target = migrate_latest(s);
	for (const struct migration *m = table_for(s); m->version && m->version <= target; m++) {
		if (m->version <= have)
			continue;
		rc = db_begin(db);
		if (rc)
			goto fail;
		char detail[512] = "";
		rc = db_exec_script(db, SQL_CREATE_VERSIONS, detail, sizeof(detail));
		if (!rc)
			rc = db_lock_chain(db);
		/* Another process may have applied it while this one waited. */
		if (!rc)
			rc = current(db, &have);
		if (!rc && m->version <= have) {
			rc = db_commit(db);
			if (rc)
				goto fail;
			continue;
		}
		if (!rc)
			rc = db_exec_script(db, m->sql, detail, sizeof(detail));
		if (!rc) {
			struct db_stmt *st;
			rc = db_prepare(db, SQL_RECORD, &st);
			if (!rc) {
				db_bind_int64(st, 1, m->version);
				db_bind_text(st, 2, m->name);
				db_bind_int64(st, 3, time_now());
				rc = db_run(st);
			}
		}
		if (!rc)
			rc = db_commit(db);
		else
			db_rollback(db);
		if (rc) {
			snprintf(err, errlen, "执行数据库迁移 %s 失败：%.300s", m->name, detail);
			goto out;
		}
		(*applied)++;
	}
	rc = ZRZ_OK;
	goto out;
fail:
	snprintf(err, errlen, "数据库正忙或无法写入");
out:
	store_release(s, db);
	return rc;
}

int migrate_check(struct store *s, char *err, size_t errlen)
{
	int have = 0;
	int rc = migrate_current(s, &have);
	if (rc) {
		snprintf(err, errlen, "无法读取数据库版本，文件可能不是 zerenzhi 数据库");
		return rc;
	}
	int latest = migrate_latest(s);
	if (have > latest) {
		snprintf(err, errlen, "数据库版本（%d）高于本程序支持的版本（%d），请升级 zerenzhi", have,
			 latest);
		return ZRZ_ESCHEMA;
	}
	if (have < latest) {
		snprintf(err, errlen,
			 "数据库尚未初始化或版本较旧（%d，需要 %d），请先运行 zerenzhi init --db 同一地址",
			 have, latest);
		return ZRZ_ESCHEMA;
	}
	return ZRZ_OK;
}

/*
 * The SQLite driver.  Each connection runs in WAL mode with synchronous=FULL
 * (nothing acknowledged is lost on power failure), foreign keys on and a busy
 * timeout for other processes (the CLI beside a running server).  Inside one
 * process, writers queue on the store's writer mutex before BEGIN IMMEDIATE,
 * so SQLITE_BUSY never reaches a user; readers never wait (WAL snapshots).
 * Statements are prepared once per connection and cached by the address of
 * their SQL text.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/log.h"
#include "store/driver.h"

#include <pthread.h>
#include <sqlite3.h>

#define STMT_SLOTS 256

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
};

struct sq_db {
	struct db base;
	sqlite3 *h;
	struct sq_stmt stmts[STMT_SLOTS];
};

struct sq_store {
	pthread_mutex_t writer;
};

#define SQ(db) ((struct sq_db *)(db))
#define SQST(st) (((struct sq_stmt *)(st))->st)

static int map_rc(sqlite3 *h, int rc, const char *what)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return ZRZ_OK;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_CHECK || rc == SQLITE_CONSTRAINT_NOTNULL)
			return ZRZ_EINVAL;
		if (rc == SQLITE_CONSTRAINT_TRIGGER)
			return ZRZ_EFORBIDDEN;
		return ZRZ_ECONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ZRZ_EUNAVAIL;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
		log_error("sqlite %s: %s", what, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		return ZRZ_EIO;
	default:
		log_error("sqlite %s: %s (%d)", what, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc), rc);
		return ZRZ_EINTERNAL;
	}
}

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void configure_sqlite(void)
{
	/* Memory statistics take a global mutex on every allocation. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(struct store *s, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	pthread_once(&config_once, configure_sqlite);
	struct sq_store *q = xcalloc(1, sizeof(*q));
	pthread_mutex_init(&q->writer, NULL);
	s->drv = q;
	return ZRZ_OK;
}

static void sq_close(struct store *s)
{
	struct sq_store *q = s->drv;
	pthread_mutex_destroy(&q->writer);
	free(q);
	s->drv = NULL;
}

static void sq_disconnect(struct db *db)
{
	struct sq_db *d = SQ(db);
	for (int i = 0; i < STMT_SLOTS; i++)
		if (d->stmts[i].st)
			sqlite3_finalize(d->stmts[i].st);
	sqlite3_close(d->h);
	free(d);
}

static int sq_connect(struct store *s, struct db **out, char *err, size_t errlen)
{
	struct sq_db *d = xcalloc(1, sizeof(*d));
	d->base.ops = &db_sqlite_ops;
	d->base.store = s;
	int rc = sqlite3_open_v2(s->target, &d->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "无法打开数据库文件 %.200s，请检查路径和权限", s->target);
		sqlite3_close(d->h);
		free(d);
		return ZRZ_EIO;
	}
	sqlite3_busy_timeout(d->h, 10000);
	sqlite3_extended_result_codes(d->h, 1);
	static const char *const pragmas =
		"PRAGMA journal_mode=WAL;"
		"PRAGMA synchronous=FULL;"
		"PRAGMA foreign_keys=ON;"
		"PRAGMA temp_store=MEMORY;";
	char *msg = NULL;
	rc = sqlite3_exec(d->h, pragmas, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "无法使用数据库文件 %.200s：%.200s", s->target,
			 msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(d->h);
		free(d);
		return ZRZ_EIO;
	}
	*out = &d->base;
	return ZRZ_OK;
}

static void reset_busy(struct sq_db *d)
{
	/* A statement left mid-iteration would pin an old snapshot. */
	sqlite3_stmt *st = NULL;
	while ((st = sqlite3_next_stmt(d->h, st)))
		if (sqlite3_stmt_busy(st))
			sqlite3_reset(st);
}

static void sq_release(struct db *db)
{
	reset_busy(SQ(db));
}

static bool sq_alive(struct db *db)
{
	(void)db;
	return true;
}

static int sq_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	struct sq_db *d = SQ(db);
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ull;
	unsigned slot = (unsigned)(h >> 56) % STMT_SLOTS;
	for (unsigned probe = 0; probe < STMT_SLOTS; probe++) {
		struct sq_stmt *c = &d->stmts[(slot + probe) % STMT_SLOTS];
		if (c->base.sql == sql) {
			sqlite3_reset(c->st);
			sqlite3_clear_bindings(c->st);
			*out = &c->base;
			return ZRZ_OK;
		}
		if (!c->base.sql) {
			int rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st,
						    NULL);
			if (rc != SQLITE_OK) {
				log_error("prepare failed: %s: %.200s", sqlite3_errmsg(d->h), sql);
				c->st = NULL;
				return ZRZ_EINTERNAL;
			}
			c->base.sql = sql;
			c->base.db = db;
			*out = &c->base;
			return ZRZ_OK;
		}
	}
	log_error("statement cache full");
	return ZRZ_EINTERNAL;
}

static int sq_step(struct db_stmt *st)
{
	int rc = sqlite3_step(SQST(st));
	if (rc == SQLITE_ROW)
		return ZRZ_ROW;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(SQST(st));
		return ZRZ_DONE;
	}
	sqlite3 *h = SQ(st->db)->h;
	int e = map_rc(h, sqlite3_extended_errcode(h), "step");
	sqlite3_reset(SQST(st));
	return e;
}

static const char SQL_BEGIN[] = "BEGIN";
static const char SQL_BEGIN_IMMEDIATE[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

/* Transaction control through cached statements: no parsing per request. */
static int exec_simple(struct db *db, const char *sql)
{
	struct db_stmt *st;
	int rc = sq_prepare(db, sql, &st);
	if (rc)
		return rc;
	rc = sq_step(st);
	return rc == ZRZ_DONE ? ZRZ_OK : rc < 0 ? rc : ZRZ_EINTERNAL;
}

static pthread_mutex_t *writer_of(struct db *db)
{
	return &((struct sq_store *)db->store->drv)->writer;
}

static int sq_begin(struct db *db, bool write)
{
	if (!write)
		return exec_simple(db, SQL_BEGIN);
	pthread_mutex_lock(writer_of(db));
	int rc = exec_simple(db, SQL_BEGIN_IMMEDIATE);
	if (rc)
		pthread_mutex_unlock(writer_of(db));
	return rc;
}

static int sq_commit(struct db *db)
{
	int rc = exec_simple(db, SQL_COMMIT);
	if (rc) {
		reset_busy(SQ(db));
		exec_simple(db, SQL_ROLLBACK);
	}
	if (db->write_tx)
		pthread_mutex_unlock(writer_of(db));
	return rc;
}

static void sq_rollback(struct db *db)
{
	reset_busy(SQ(db));
	exec_simple(db, SQL_ROLLBACK);
	if (db->write_tx)
		pthread_mutex_unlock(writer_of(db));
}

static int sq_exec_script(struct db *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(SQ(db)->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(SQ(db)->h, rc, "script");
	}
	return ZRZ_OK;
}

static void sq_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(SQST(st), i, v);
}

static void sq_bind_text(struct db_stmt *st, int i, const char *s, size_t n)
{
	sqlite3_bind_text64(SQST(st), i, s, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void sq_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
	sqlite3_bind_blob64(SQST(st), i, p, n, SQLITE_TRANSIENT);
}

static void sq_bind_null(struct db_stmt *st, int i, char type)
{
	(void)type;
	sqlite3_bind_null(SQST(st), i);
}

static void sq_reset(struct db_stmt *st)
{
	sqlite3_reset(SQST(st));
}

static int64_t sq_col_int64(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(SQST(st), i);
}

static const char *sq_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(SQST(st), i);
}

static const void *sq_col_blob(struct db_stmt *st, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(SQST(st), i);
	*n = (size_t)sqlite3_column_bytes(SQST(st), i);
	return p;
}

static bool sq_col_null(struct db_stmt *st, int i)
{
	return sqlite3_column_type(SQST(st), i) == SQLITE_NULL;
}

static int64_t sq_changes(struct db *db)
{
	return sqlite3_changes64(SQ(db)->h);
}

static int sq_lock_chain(struct db *db)
{
	(void)db; /* BEGIN IMMEDIATE under the writer mutex already serializes */
	return ZRZ_OK;
}

static int sq_backup(struct store *s, const char *dest, char *err, size_t errlen)
{
	struct db *db;
	int rc = store_acquire(s, &db);
	if (rc) {
		snprintf(err, errlen, "无法打开数据库");
		return rc;
	}
	sqlite3 *out = NULL;
	rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "无法创建备份文件 %.200s", dest);
		sqlite3_close(out);
		store_release(s, db);
		return ZRZ_EIO;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", SQ(db)->h, "main");
	if (!b) {
		snprintf(err, errlen, "无法开始备份：%.200s", sqlite3_errmsg(out));
		sqlite3_close(out);
		store_release(s, db);
		return ZRZ_EIO;
	}
	/* Copy in steps so that writers are not blocked for the whole copy. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	int result = ZRZ_OK;
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "备份失败：%.200s", sqlite3_errstr(rc));
		result = ZRZ_EIO;
	} else {
		/* The copy must open and pass an integrity check. */
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(out, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW ||
		    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
			snprintf(err, errlen, "备份文件未通过完整性检查");
			result = ZRZ_EIO;
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(out);
	store_release(s, db);
	return result;
}

const struct db_ops db_sqlite_ops = {
	.open = sq_open,
	.close = sq_close,
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.release = sq_release,
	.alive = sq_alive,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.exec_script = sq_exec_script,
	.prepare = sq_prepare,
	.bind_int64 = sq_bind_int64,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.reset = sq_reset,
	.col_int64 = sq_col_int64,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.col_null = sq_col_null,
	.changes = sq_changes,
	.backup = sq_backup,
	.lock_chain = sq_lock_chain,
	.sql_has_migrations = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
			      " AND name = 'schema_migrations'",
};

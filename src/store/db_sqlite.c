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
#include "store/db.h"

#include <pthread.h>
#include <sqlite3.h>

#define STMT_SLOTS 256

struct db_stmt {
	sqlite3_stmt *st;
	struct db *db;
	const char *sql;
};

struct db {
	struct store *store;
	sqlite3 *h;
	struct db *next_free;
	bool in_tx;
	bool holds_writer;
	struct db_stmt stmts[STMT_SLOTS];
};

struct store {
	enum store_kind kind;
	char *path;
	pthread_mutex_t pool_lock;
	pthread_mutex_t writer;
	struct db *free_list;
	int open_count;
	int pool_size;
};

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

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void configure_sqlite(void)
{
	/* Memory statistics take a global mutex on every allocation. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *url, int pool_size, struct store **out, char *err, size_t errlen)
{
	pthread_once(&config_once, configure_sqlite);
	*out = NULL;
	if (!url || !*url) {
		snprintf(err, errlen, "未指定数据库地址（--db），例如 sqlite:var/zerenzhi.db");
		return ZRZ_EINVAL;
	}
	if (has_prefix(url, "postgres://") || has_prefix(url, "postgresql://") ||
	    (!has_prefix(url, "sqlite:") && (strstr(url, "dbname=") || strstr(url, "host=")))) {
		snprintf(err, errlen, "暂不支持 PostgreSQL 数据库，请使用 sqlite:路径");
		return ZRZ_EUNSUPPORTED;
	}
	const char *path = url;
	if (has_prefix(url, "sqlite:"))
		path = url + 7;
	else if (strstr(url, "://")) {
		snprintf(err, errlen, "无法识别的数据库地址：%.200s（应为 sqlite:路径）", url);
		return ZRZ_EINVAL;
	}
	if (has_prefix(path, "//"))
		path += 2;
	if (!*path) {
		snprintf(err, errlen, "数据库地址缺少文件路径：%.200s", url);
		return ZRZ_EINVAL;
	}
	struct store *s = xcalloc(1, sizeof(*s));
	s->kind = STORE_SQLITE;
	s->path = xstrdup(path);
	s->pool_size = pool_size < 1 ? 1 : pool_size;
	pthread_mutex_init(&s->pool_lock, NULL);
	pthread_mutex_init(&s->writer, NULL);
	/* Open one connection now so that a bad path fails here, not later. */
	struct db *db;
	int rc = store_acquire(s, &db);
	if (rc) {
		snprintf(err, errlen, "无法打开数据库文件 %.200s，请检查路径和权限", path);
		store_close(s);
		return rc;
	}
	store_release(s, db);
	*out = s;
	return ZRZ_OK;
}

static void db_close(struct db *db)
{
	for (int i = 0; i < STMT_SLOTS; i++)
		if (db->stmts[i].st)
			sqlite3_finalize(db->stmts[i].st);
	sqlite3_close(db->h);
	free(db);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	while (s->free_list) {
		struct db *db = s->free_list;
		s->free_list = db->next_free;
		db_close(db);
	}
	pthread_mutex_destroy(&s->pool_lock);
	pthread_mutex_destroy(&s->writer);
	free(s->path);
	free(s);
}

enum store_kind store_kind_of(const struct store *s)
{
	return s->kind;
}

const char *store_sqlite_path(const struct store *s)
{
	return s->kind == STORE_SQLITE ? s->path : NULL;
}

static int db_connect(struct store *s, struct db **out)
{
	struct db *db = xcalloc(1, sizeof(*db));
	db->store = s;
	int rc = sqlite3_open_v2(s->path, &db->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		int e = map_rc(db->h, rc, "open");
		sqlite3_close(db->h);
		free(db);
		return e ? e : ZRZ_EIO;
	}
	sqlite3_busy_timeout(db->h, 10000);
	sqlite3_extended_result_codes(db->h, 1);
	static const char *const pragmas =
		"PRAGMA journal_mode=WAL;"
		"PRAGMA synchronous=FULL;"
		"PRAGMA foreign_keys=ON;"
		"PRAGMA temp_store=MEMORY;";
	char *msg = NULL;
	rc = sqlite3_exec(db->h, pragmas, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		log_error("sqlite setup of %s: %s", s->path, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(db->h);
		free(db);
		return ZRZ_EIO;
	}
	*out = db;
	return ZRZ_OK;
}

int store_acquire(struct store *s, struct db **out)
{
	pthread_mutex_lock(&s->pool_lock);
	struct db *db = s->free_list;
	if (db)
		s->free_list = db->next_free;
	pthread_mutex_unlock(&s->pool_lock);
	if (db) {
		*out = db;
		return ZRZ_OK;
	}
	int rc = db_connect(s, out);
	if (rc == ZRZ_OK) {
		pthread_mutex_lock(&s->pool_lock);
		s->open_count++;
		pthread_mutex_unlock(&s->pool_lock);
	}
	return rc;
}

void store_release(struct store *s, struct db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		db_rollback(db);
	/* A statement left mid-iteration would pin an old snapshot. */
	sqlite3_stmt *st = NULL;
	while ((st = sqlite3_next_stmt(db->h, st)))
		if (sqlite3_stmt_busy(st))
			sqlite3_reset(st);
	pthread_mutex_lock(&s->pool_lock);
	if (s->open_count > s->pool_size) {
		s->open_count--;
		pthread_mutex_unlock(&s->pool_lock);
		db_close(db);
		return;
	}
	db->next_free = s->free_list;
	s->free_list = db;
	pthread_mutex_unlock(&s->pool_lock);
}

static const char SQL_BEGIN[] = "BEGIN";
static const char SQL_BEGIN_IMMEDIATE[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

/* Transaction control through cached statements: no parsing per request. */
static int exec_simple(struct db *db, const char *sql)
{
	struct db_stmt *st;
	int rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	return db_run(st);
}

int db_begin(struct db *db)
{
	if (db->in_tx)
		return ZRZ_EINTERNAL;
	pthread_mutex_lock(&db->store->writer);
	int rc = exec_simple(db, SQL_BEGIN_IMMEDIATE);
	if (rc) {
		pthread_mutex_unlock(&db->store->writer);
		return rc;
	}
	db->in_tx = true;
	db->holds_writer = true;
	return ZRZ_OK;
}

int db_begin_read(struct db *db)
{
	if (db->in_tx)
		return ZRZ_EINTERNAL;
	int rc = exec_simple(db, SQL_BEGIN);
	if (rc)
		return rc;
	db->in_tx = true;
	db->holds_writer = false;
	return ZRZ_OK;
}

static void end_tx(struct db *db)
{
	db->in_tx = false;
	if (db->holds_writer) {
		db->holds_writer = false;
		pthread_mutex_unlock(&db->store->writer);
	}
}

int db_commit(struct db *db)
{
	if (!db->in_tx)
		return ZRZ_EINTERNAL;
	int rc = exec_simple(db, SQL_COMMIT);
	if (rc) {
		exec_simple(db, SQL_ROLLBACK);
		end_tx(db);
		return rc;
	}
	end_tx(db);
	return ZRZ_OK;
}

void db_rollback(struct db *db)
{
	if (!db->in_tx)
		return;
	sqlite3_stmt *st = NULL;
	while ((st = sqlite3_next_stmt(db->h, st)))
		if (sqlite3_stmt_busy(st))
			sqlite3_reset(st);
	exec_simple(db, SQL_ROLLBACK);
	end_tx(db);
}

bool db_in_tx(const struct db *db)
{
	return db->in_tx;
}

int db_exec_script(struct db *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(db->h, rc, "script");
	}
	return ZRZ_OK;
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ull;
	unsigned slot = (unsigned)(h >> 56) % STMT_SLOTS;
	for (unsigned probe = 0; probe < STMT_SLOTS; probe++) {
		struct db_stmt *c = &db->stmts[(slot + probe) % STMT_SLOTS];
		if (c->sql == sql) {
			sqlite3_reset(c->st);
			sqlite3_clear_bindings(c->st);
			*out = c;
			return ZRZ_OK;
		}
		if (!c->sql) {
			int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st,
						    NULL);
			if (rc != SQLITE_OK) {
				log_error("prepare failed: %s: %.200s", sqlite3_errmsg(db->h), sql);
				c->st = NULL;
				return ZRZ_EINTERNAL;
			}
			c->sql = sql;
			c->db = db;
			*out = c;
			return ZRZ_OK;
		}
	}
	log_error("statement cache full");
	return ZRZ_EINTERNAL;
}

void db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st->st, i, v);
}

void db_bind_text(struct db_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st->st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, i);
}

void db_bind_textn(struct db_stmt *st, int i, const char *s, size_t n)
{
	sqlite3_bind_text(st->st, i, s, (int)n, SQLITE_TRANSIENT);
}

void db_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
	sqlite3_bind_blob64(st->st, i, p, n, SQLITE_TRANSIENT);
}

void db_bind_null(struct db_stmt *st, int i)
{
	sqlite3_bind_null(st->st, i);
}

void db_bind_id(struct db_stmt *st, int i, int64_t v)
{
	if (v > 0)
		sqlite3_bind_int64(st->st, i, v);
	else
		sqlite3_bind_null(st->st, i);
}

int db_step(struct db_stmt *st)
{
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return ZRZ_ROW;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st->st);
		return ZRZ_DONE;
	}
	int e = map_rc(st->db->h, sqlite3_extended_errcode(st->db->h), "step");
	sqlite3_reset(st->st);
	return e;
}

void db_reset(struct db_stmt *st)
{
	sqlite3_reset(st->st);
}

int db_run(struct db_stmt *st)
{
	int rc;
	while ((rc = db_step(st)) == ZRZ_ROW)
		;
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

int64_t db_col_int64(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(st->st, i);
}

const char *db_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->st, i);
}

const void *db_col_blob(struct db_stmt *st, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(st->st, i);
	*n = (size_t)sqlite3_column_bytes(st->st, i);
	return p;
}

bool db_col_null(struct db_stmt *st, int i)
{
	return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

int64_t db_changes(struct db *db)
{
	return sqlite3_changes64(db->h);
}

int store_backup(struct store *s, const char *dest, char *err, size_t errlen)
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
	sqlite3_backup *b = sqlite3_backup_init(out, "main", db->h, "main");
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

/*
 * The engine-neutral half of db.h: reading the database address, the
 * connection pool, transaction bookkeeping, and dispatch to the driver
 * (db_sqlite.c or db_pg.c).  SQLite opens connections as threads need them
 * (they are cheap and local) and keeps pool_size of them; PostgreSQL keeps
 * at most pool_size and a request waits briefly for a free one, because a
 * PostgreSQL server shared by several zerenzhi processes has a connection
 * limit of its own.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/log.h"
#include "store/driver.h"

#include <errno.h>
#include <time.h>

#define POOL_WAIT_SECONDS 10

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* libpq "key=value key=value" strings name at least one known key. */
static bool looks_like_keyvalue(const char *url)
{
	static const char *const keys[] = {"host=", "hostaddr=", "dbname=", "user=", "port=",
					   "service=", NULL};
	for (const char *const *k = keys; *k; k++) {
		const char *p = strstr(url, *k);
		if (p && (p == url || p[-1] == ' '))
			return true;
	}
	return false;
}

/* The address without its password, for messages and logs. */
static char *without_password(const char *url)
{
	char *out = xstrdup(url);
	if (has_prefix(url, "postgres://") || has_prefix(url, "postgresql://")) {
		char *scheme_end = strstr(out, "://") + 3;
		char *at = strchr(scheme_end, '@');
		char *colon = strchr(scheme_end, ':');
		if (at && colon && colon < at)
			memmove(colon, at, strlen(at) + 1);
		return out;
	}
	char *pw = strstr(out, "password=");
	if (pw && (pw == out || pw[-1] == ' ')) {
		char *end = strchr(pw, ' ');
		if (end)
			memmove(pw, end + 1, strlen(end + 1) + 1);
		else
			*pw = '\0';
	}
	return out;
}

int store_open(const char *url, int pool_size, struct store **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!url || !*url) {
		snprintf(err, errlen, "未指定数据库地址（--db），例如 sqlite:var/zerenzhi.db");
		return ZRZ_EINVAL;
	}
	const struct db_ops *ops;
	enum store_kind kind;
	const char *target = url;
	if (has_prefix(url, "sqlite:")) {
		ops = &db_sqlite_ops;
		kind = STORE_SQLITE;
		target = url + 7;
		if (has_prefix(target, "//"))
			target += 2;
	} else if (has_prefix(url, "postgres://") || has_prefix(url, "postgresql://") ||
		   looks_like_keyvalue(url)) {
		ops = &db_pg_ops;
		kind = STORE_POSTGRES;
	} else if (strstr(url, "://")) {
		snprintf(err, errlen,
			 "无法识别的数据库地址：%.200s（应为 sqlite:路径 或 postgresql://用户@主机/库名）",
			 url);
		return ZRZ_EINVAL;
	} else {
		ops = &db_sqlite_ops;
		kind = STORE_SQLITE;
	}
	if (!*target) {
		snprintf(err, errlen, "数据库地址缺少文件路径：%.200s", url);
		return ZRZ_EINVAL;
	}
	struct store *s = xcalloc(1, sizeof(*s));
	s->ops = ops;
	s->kind = kind;
	s->target = xstrdup(target);
	s->display = without_password(target);
	s->pool_size = pool_size < 1 ? 1 : pool_size;
	s->pool_hard = kind == STORE_POSTGRES;
	pthread_mutex_init(&s->pool_lock, NULL);
	pthread_cond_init(&s->pool_free, NULL);
	int rc = ops->open(s, err, errlen);
	if (rc) {
		store_close(s);
		return rc;
	}
	/* Connect once now, so that a bad address fails here with its reason. */
	struct db *db;
	rc = ops->connect(s, &db, err, errlen);
	if (rc) {
		store_close(s);
		return rc;
	}
	s->open_count = 1;
	db->next_free = NULL;
	s->free_list = db;
	*out = s;
	return ZRZ_OK;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	while (s->free_list) {
		struct db *db = s->free_list;
		s->free_list = db->next_free;
		s->ops->disconnect(db);
	}
	if (s->drv)
		s->ops->close(s);
	pthread_cond_destroy(&s->pool_free);
	pthread_mutex_destroy(&s->pool_lock);
	free(s->target);
	free(s->display);
	free(s);
}

enum store_kind store_kind_of(const struct store *s)
{
	return s->kind;
}

const char *store_sqlite_path(const struct store *s)
{
	return s->kind == STORE_SQLITE ? s->target : NULL;
}

const char *store_display(const struct store *s)
{
	return s->display;
}

int store_acquire(struct store *s, struct db **out)
{
	pthread_mutex_lock(&s->pool_lock);
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += POOL_WAIT_SECONDS;
	while (!s->free_list && s->pool_hard && s->open_count >= s->pool_size) {
		if (pthread_cond_timedwait(&s->pool_free, &s->pool_lock, &deadline) == ETIMEDOUT) {
			pthread_mutex_unlock(&s->pool_lock);
			log_warn("no database connection free after %d s", POOL_WAIT_SECONDS);
			return ZRZ_EUNAVAIL;
		}
	}
	struct db *db = s->free_list;
	if (db) {
		s->free_list = db->next_free;
		pthread_mutex_unlock(&s->pool_lock);
		if (s->ops->alive(db)) {
			*out = db;
			return ZRZ_OK;
		}
		/* The server closed it (a restart): replace it with a new one. */
		log_warn("database connection lost while idle; reconnecting");
		s->ops->disconnect(db);
		pthread_mutex_lock(&s->pool_lock);
		s->open_count--;
	}
	s->open_count++;
	pthread_mutex_unlock(&s->pool_lock);
	char err[256];
	int rc = s->ops->connect(s, out, err, sizeof(err));
	if (rc) {
		log_error("database connection failed: %s", err);
		pthread_mutex_lock(&s->pool_lock);
		s->open_count--;
		pthread_cond_signal(&s->pool_free);
		pthread_mutex_unlock(&s->pool_lock);
		return ZRZ_EUNAVAIL;
	}
	return ZRZ_OK;
}

void store_release(struct store *s, struct db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		db_rollback(db);
	if (!db->broken)
		s->ops->release(db);
	pthread_mutex_lock(&s->pool_lock);
	if (db->broken) {
		/* The server went away: the idle connections are stale too. */
		struct db *stale = s->free_list;
		s->free_list = NULL;
		s->open_count--;
		for (struct db *p = stale; p; p = p->next_free)
			s->open_count--;
		pthread_cond_broadcast(&s->pool_free);
		pthread_mutex_unlock(&s->pool_lock);
		s->ops->disconnect(db);
		while (stale) {
			struct db *next = stale->next_free;
			s->ops->disconnect(stale);
			stale = next;
		}
		return;
	}
	if (s->open_count > s->pool_size) {
		s->open_count--;
		pthread_cond_signal(&s->pool_free);
		pthread_mutex_unlock(&s->pool_lock);
		s->ops->disconnect(db);
		return;
	}
	db->next_free = s->free_list;
	s->free_list = db;
	pthread_cond_signal(&s->pool_free);
	pthread_mutex_unlock(&s->pool_lock);
}

int db_begin(struct db *db)
{
	if (db->in_tx)
		return ZRZ_EINTERNAL;
	int rc = db->ops->begin(db, true);
	if (rc)
		return rc;
	db->in_tx = true;
	db->write_tx = true;
	return ZRZ_OK;
}

int db_begin_read(struct db *db)
{
	if (db->in_tx)
		return ZRZ_EINTERNAL;
	int rc = db->ops->begin(db, false);
	if (rc)
		return rc;
	db->in_tx = true;
	db->write_tx = false;
	return ZRZ_OK;
}

int db_commit(struct db *db)
{
	if (!db->in_tx)
		return ZRZ_EINTERNAL;
	int rc = db->ops->commit(db);
	db->in_tx = false;
	db->write_tx = false;
	return rc;
}

void db_rollback(struct db *db)
{
	if (!db->in_tx)
		return;
	db->ops->rollback(db);
	db->in_tx = false;
	db->write_tx = false;
}

bool db_in_tx(const struct db *db)
{
	return db->in_tx;
}

int db_exec_script(struct db *db, const char *sql, char *err, size_t errlen)
{
	return db->ops->exec_script(db, sql, err, errlen);
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	return db->ops->prepare(db, sql, out);
}

void db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	st->db->ops->bind_int64(st, i, v);
}

void db_bind_text(struct db_stmt *st, int i, const char *s)
{
	if (s)
		st->db->ops->bind_text(st, i, s, strlen(s));
	else
		st->db->ops->bind_null(st, i, 't');
}

void db_bind_textn(struct db_stmt *st, int i, const char *s, size_t n)
{
	st->db->ops->bind_text(st, i, s, n);
}

void db_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
	st->db->ops->bind_blob(st, i, p, n);
}

void db_bind_null(struct db_stmt *st, int i)
{
	st->db->ops->bind_null(st, i, 0);
}

void db_bind_id(struct db_stmt *st, int i, int64_t v)
{
	if (v > 0)
		st->db->ops->bind_int64(st, i, v);
	else
		st->db->ops->bind_null(st, i, 'i');
}

int db_step(struct db_stmt *st)
{
	return st->db->ops->step(st);
}

void db_reset(struct db_stmt *st)
{
	st->db->ops->reset(st);
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
	return st->db->ops->col_int64(st, i);
}

const char *db_col_text(struct db_stmt *st, int i)
{
	return st->db->ops->col_text(st, i);
}

const void *db_col_blob(struct db_stmt *st, int i, size_t *n)
{
	return st->db->ops->col_blob(st, i, n);
}

bool db_col_null(struct db_stmt *st, int i)
{
	return st->db->ops->col_null(st, i);
}

int64_t db_changes(struct db *db)
{
	return db->ops->changes(db);
}

int db_lock_chain(struct db *db)
{
	return db->ops->lock_chain(db);
}

bool db_is_postgres(const struct db *db)
{
	return store_kind_of(db->store) == STORE_POSTGRES;
}

const char *db_sql_has_migrations(const struct db *db)
{
	return db->ops->sql_has_migrations;
}

int store_backup(struct store *s, const char *dest, char *err, size_t errlen)
{
	return s->ops->backup(s, dest, err, errlen);
}

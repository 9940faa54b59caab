/*
 * What a database driver implements behind db.h.  A driver's connection
 * and statement structs begin with struct db and struct db_stmt, so db.c can
 * keep the pool and dispatch every call through the driver's ops.
 */
#ifndef ZRZ_STORE_DRIVER_H
#define ZRZ_STORE_DRIVER_H

#include <pthread.h>

#include "store/db.h"

struct db_ops;

struct store {
	const struct db_ops *ops;
	enum store_kind kind;
	char *target; /* the SQLite path, or the libpq connection string */
	char *display; /* the target without a password, for messages */
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_free;
	struct db *free_list;
	int open_count;
	int pool_size;
	bool pool_hard; /* wait for a free connection rather than open more */
	void *drv;      /* the driver's own state */
};

struct db {
	const struct db_ops *ops;
	struct store *store;
	struct db *next_free;
	bool in_tx;
	bool write_tx;
	bool broken; /* the connection failed: close it instead of pooling it */
};

struct db_stmt {
	struct db *db;
	const char *sql;
};

struct db_ops {
	/* Set up s->drv for s->target; a one-line message on failure. */
	int (*open)(struct store *s, char *err, size_t errlen);
	void (*close)(struct store *s);
	int (*connect)(struct store *s, struct db **out, char *err, size_t errlen);
	void (*disconnect)(struct db *db);
	/* Make a pooled connection ready for its next user. */
	void (*release)(struct db *db);
	/* Before a pooled connection is handed out: false if it has died. */
	bool (*alive)(struct db *db);
	int (*begin)(struct db *db, bool write);
	int (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	int (*exec_script)(struct db *db, const char *sql, char *err, size_t errlen);
	int (*prepare)(struct db *db, const char *sql, struct db_stmt **out);
	void (*bind_int64)(struct db_stmt *st, int i, int64_t v);
	void (*bind_text)(struct db_stmt *st, int i, const char *s, size_t n);
	void (*bind_blob)(struct db_stmt *st, int i, const void *p, size_t n);
	/* type: 0 unknown, 'i' an integer, 't' text (a hint for PostgreSQL). */
	void (*bind_null)(struct db_stmt *st, int i, char type);
	int (*step)(struct db_stmt *st);
	void (*reset)(struct db_stmt *st);
	int64_t (*col_int64)(struct db_stmt *st, int i);
	const char *(*col_text)(struct db_stmt *st, int i);
	const void *(*col_blob)(struct db_stmt *st, int i, size_t *n);
	bool (*col_null)(struct db_stmt *st, int i);
	int64_t (*changes)(struct db *db);
	int (*backup)(struct store *s, const char *dest, char *err, size_t errlen);
	/* Serialize writers of the audit chain across processes. */
	int (*lock_chain)(struct db *db);
	/* SQL answering one row with 1 when schema_migrations exists. */
	const char *sql_has_migrations;
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

#endif

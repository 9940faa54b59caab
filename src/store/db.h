/*
 * The database driver interface.  Everything above src/store/ sees only
 * these opaque types: a store (one per process, owns the connection pool and
 * knows which engine it talks to), a db (one connection, used by one thread
 * at a time) and a statement.  Repositories in src/store/ write each query
 * once with ? placeholders; each driver (db_sqlite.c, later db_pg.c) runs it.
 *
 * Usage pattern:
 *     struct db_stmt *st;
 *     int rc = db_prepare(db, SQL_ORG_GET, &st);   cached per connection
 *     db_bind_int64(st, 1, id);
 *     while ((rc = db_step(st)) == ZRZ_ROW) { ... db_col_text(st, 0) ... }
 *     rc is ZRZ_DONE at the end, or a negative ZRZ_E* code.
 * db_step() resets the statement when it returns ZRZ_DONE or an error; a
 * caller that stops early calls db_reset().  Text returned by db_col_text()
 * is valid until the next step or reset of that statement: copy it.
 */
#ifndef ZRZ_STORE_DB_H
#define ZRZ_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct db;
struct db_stmt;

enum store_kind { STORE_SQLITE, STORE_POSTGRES };

/*
 * Parse url and open the store.  "sqlite:PATH" (or a plain path) opens or
 * creates the SQLite file; "postgresql://user@host:port/db" (or
 * "postgres://", or a libpq "host=... dbname=..." string) connects to
 * PostgreSQL.  pool_size is the number of connections kept open (for
 * PostgreSQL also the most ever open).  One connection is made before this
 * returns, so a wrong address, an unreachable server or a wrong password
 * fails here, with a one-line Chinese explanation in err.
 */
int store_open(const char *url, int pool_size, struct store **out, char *err, size_t errlen);
void store_close(struct store *s);
enum store_kind store_kind_of(const struct store *s);
/* The path of a SQLite store's file (NULL for other engines). */
const char *store_sqlite_path(const struct store *s);
/* The address without any password, for messages. */
const char *store_display(const struct store *s);

/* Borrow a connection from the pool; give it back with store_release(). */
int store_acquire(struct store *s, struct db **out);
void store_release(struct store *s, struct db *db);

/*
 * Transactions.  db_begin() starts a write transaction: on SQLite it first
 * takes the store's writer lock so that concurrent requests queue in order
 * instead of failing with "database is locked".  db_begin_read() starts a
 * read-only snapshot.  db_commit() and db_rollback() end either kind.
 */
int db_begin(struct db *db);
int db_begin_read(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
bool db_in_tx(const struct db *db);

/* Run a script of several statements (migrations only; no parameters). */
int db_exec_script(struct db *db, const char *sql, char *err, size_t errlen);

/*
 * A prepared statement for sql, which must be a string with static storage:
 * the connection caches statements by its address.  The statement comes back
 * reset with its bindings cleared.
 */
int db_prepare(struct db *db, const char *sql, struct db_stmt **out);

/* Bind parameter i (1-based).  A NULL text binds SQL NULL (typed as text,
 * as db_bind_id's NULL is typed as an integer: PostgreSQL needs the type of
 * a parameter that is only ever compared with IS NULL). */
void db_bind_int64(struct db_stmt *st, int i, int64_t v);
void db_bind_text(struct db_stmt *st, int i, const char *s);
void db_bind_textn(struct db_stmt *st, int i, const char *s, size_t n);
void db_bind_blob(struct db_stmt *st, int i, const void *p, size_t n);
void db_bind_null(struct db_stmt *st, int i);
/* Bind v, or NULL when v <= 0 (for optional foreign keys). */
void db_bind_id(struct db_stmt *st, int i, int64_t v);

/* ZRZ_ROW, ZRZ_DONE, or an error: ZRZ_ECONFLICT for unique and foreign-key
 * violations, ZRZ_EINVAL for check and not-null constraints, ZRZ_EFORBIDDEN
 * when a trigger refuses the change (the append-only audit trail),
 * ZRZ_EUNAVAIL when the database is busy, ZRZ_EIO for disk errors,
 * ZRZ_EINTERNAL otherwise (logged). */
int db_step(struct db_stmt *st);
void db_reset(struct db_stmt *st);

/* Run a statement that returns no rows (or ignore them). */
int db_run(struct db_stmt *st);

int64_t db_col_int64(struct db_stmt *st, int i);
const char *db_col_text(struct db_stmt *st, int i);
const void *db_col_blob(struct db_stmt *st, int i, size_t *n);
bool db_col_null(struct db_stmt *st, int i);

/* Rows changed by the last statement on this connection. */
int64_t db_changes(struct db *db);

/*
 * Serialize the writers of the audit hash chain until the transaction ends:
 * nothing to do on SQLite (one writer at a time already), a transaction
 * advisory lock on PostgreSQL, where several server processes write.
 */
int db_lock_chain(struct db *db);

/* The engine's query for "does schema_migrations exist" (one row: 0 or 1). */
const char *db_sql_has_migrations(const struct db *db);
/* The connection is to PostgreSQL: for the rare statement whose best form
 * differs between the two engines' planners. */
bool db_is_postgres(const struct db *db);

#endif

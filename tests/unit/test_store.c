/*
 * Unit tests for the store driver (store/db.h, SQLite) and the migrations
 * (store/migrate.h), against a real SQLite file under /tmp.  Each test gets
 * a fresh file from its setup; the teardown gives back any borrowed
 * connection, closes the store and removes the file with its -wal and -shm
 * companions, even when an assertion failed halfway.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/db.h"
#include "store/migrate.h"

struct fx {
	char path[64];
	char url[80];
	struct store *s;
	struct db *db;
	char err[512];
};

/* SQL must have static storage: db_prepare() caches by address. */
static const char SQL_SCRATCH[] =
	"CREATE TABLE scratch ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" n INTEGER,"
	" data BLOB,"
	" ref INTEGER,"
	" qty INTEGER CHECK (qty IS NULL OR qty >= 0));"
	"CREATE TABLE child (id INTEGER PRIMARY KEY,"
	" parent INTEGER NOT NULL REFERENCES scratch(id));";
static const char SQL_INSERT[] =
	"INSERT INTO scratch (name, n, data, ref, qty) VALUES (?, ?, ?, ?, ?)";
static const char SQL_INSERT_NAME[] = "INSERT INTO scratch (name) VALUES (?)";
static const char SQL_INSERT_QTY[] = "INSERT INTO scratch (name, qty) VALUES (?, ?)";
static const char SQL_INSERT_CHILD[] = "INSERT INTO child (parent) VALUES (?)";
static const char SQL_SELECT_BY_NAME[] =
	"SELECT id, name, n, data, ref, qty FROM scratch WHERE name = ?";
static const char SQL_SELECT_ALL[] = "SELECT id, name FROM scratch ORDER BY id";
static const char SQL_COUNT_SCRATCH[] = "SELECT count(*) FROM scratch";
static const char SQL_PARAM_IS_NULL[] = "SELECT ? IS NULL";
static const char SQL_BAD[] = "SELEKT nothing FROM nowhere";
static const char SQL_NO_TABLE[] = "SELECT * FROM no_such_table";

static const char SQL_COUNT_VERSIONS[] = "SELECT count(*) FROM schema_migrations";
static const char SQL_VERSION_NAMES[] =
	"SELECT version, name, applied_at FROM schema_migrations ORDER BY version";
static const char SQL_ADD_VERSION[] =
	"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)";
static const char SQL_FAKE_VERSIONS[] =
	"CREATE TABLE schema_migrations ("
	" version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);"
	"INSERT INTO schema_migrations VALUES (9999, 'from_the_future', 0);";
static const char SQL_COUNT_TABLE_ORG[] =
	"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'org'";
static const char SQL_COUNT_AUDIT_TRIGGERS[] =
	"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'";

static const char SQL_AUDIT_INSERT[] =
	"INSERT INTO audit (at, user_id, org_id, action, entity, entity_id, detail, client,"
	" prev_hash, hash) VALUES (?, NULL, NULL, 'create', 'org', 1, ?, '127.0.0.1', '', 'h1')";
static const char SQL_AUDIT_UPDATE[] = "UPDATE audit SET detail = 'forged' WHERE seq = ?";
static const char SQL_AUDIT_DELETE[] = "DELETE FROM audit WHERE seq = ?";
static const char SQL_AUDIT_DELETE_ALL[] = "DELETE FROM audit";
static const char SQL_AUDIT_GET[] = "SELECT detail FROM audit WHERE seq = ?";
static const char SQL_AUDIT_COUNT[] = "SELECT count(*) FROM audit";

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->path, sizeof(f->path), "/tmp/zrz_test_store_XXXXXX");
	int fd = mkstemp(f->path);
	if (fd < 0) {
		free(f);
		return -1;
	}
	close(fd);
	snprintf(f->url, sizeof(f->url), "sqlite:%s", f->path);
	*state = f;
	return 0;
}

static void remove_db_files(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[96];
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(suffix); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (f->db)
		store_release(f->s, f->db);
	store_close(f->s);
	remove_db_files(f->path);
	/* The store must not leave its files behind once removed. */
	int left = access(f->path, F_OK) == 0;
	free(f);
	return left ? -1 : 0;
}

/* Open the fixture's store and borrow one connection. */
static void open_db(struct fx *f)
{
	int rc = store_open(f->url, 2, &f->s, f->err, sizeof(f->err));
	if (rc)
		fail_msg("store_open(%s) = %d: %s", f->url, rc, f->err);
	assert_int_equal(store_acquire(f->s, &f->db), ZRZ_OK);
}

static void open_scratch(struct fx *f)
{
	open_db(f);
	assert_int_equal(db_exec_script(f->db, SQL_SCRATCH, f->err, sizeof(f->err)), ZRZ_OK);
}

static void open_migrated(struct fx *f)
{
	int applied = -1;
	assert_int_equal(store_open(f->url, 2, &f->s, f->err, sizeof(f->err)), ZRZ_OK);
	int rc = migrate_up(f->s, 0, &applied, f->err, sizeof(f->err));
	if (rc)
		fail_msg("migrate_up = %d: %s", rc, f->err);
	assert_int_equal(store_acquire(f->s, &f->db), ZRZ_OK);
}

/* The single integer a one-row query returns. */
static int64_t query_int(struct db *db, const char *sql)
{
	struct db_stmt *st;
	assert_int_equal(db_prepare(db, sql, &st), ZRZ_OK);
	assert_int_equal(db_step(st), ZRZ_ROW);
	int64_t v = db_col_int64(st, 0);
	assert_int_equal(db_step(st), ZRZ_DONE);
	return v;
}

static int insert_name(struct db *db, const char *name)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_INSERT_NAME, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, name);
	return db_step(st);
}

static int migration_count(void)
{
	int n = 0;
	for (const struct migration *m = migrations_sqlite; m->version; m++)
		n++;
	return n;
}

/* ---- store_open ---------------------------------------------------- */

static void test_open_sqlite_url(void **state)
{
	struct fx *f = *state;
	f->err[0] = '\0';
	assert_int_equal(store_open(f->url, 1, &f->s, f->err, sizeof(f->err)), ZRZ_OK);
	assert_non_null(f->s);
	assert_int_equal(store_kind_of(f->s), STORE_SQLITE);
	assert_string_equal(store_sqlite_path(f->s), f->path);
}

static void test_open_plain_db_path(void **state)
{
	struct fx *f = *state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/zrz_test_plain_XXXXXX.db");
	int fd = mkstemps(path, 3);
	assert_true(fd >= 0);
	close(fd);
	struct store *s = NULL;
	int rc = store_open(path, 1, &s, f->err, sizeof(f->err));
	if (rc == ZRZ_OK) {
		assert_int_equal(store_kind_of(s), STORE_SQLITE);
		assert_string_equal(store_sqlite_path(s), path);
	}
	store_close(s);
	remove_db_files(path);
	assert_int_equal(rc, ZRZ_OK);
}

static void test_open_postgres_unreachable(void **state)
{
	struct fx *f = *state;
	/* Nothing listens on port 1: the connection is refused at once. */
	static const char *const urls[] = {
		"postgresql://zrz:s3cret-Pw@127.0.0.1:1/zerenzhi",
		"host=127.0.0.1 port=1 user=zrz password=s3cret-Pw dbname=zerenzhi",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(urls); i++) {
		struct store *s = (struct store *)&f; /* must be overwritten */
		f->err[0] = '\0';
		assert_int_equal(store_open(urls[i], 1, &s, f->err, sizeof(f->err)),
				 ZRZ_EUNAVAIL);
		assert_null(s);
		assert_true(strlen(f->err) > 0);
		/* One line, and the password is not repeated back. */
		assert_null(strchr(f->err, '\n'));
		assert_null(strstr(f->err, "s3cret"));
		assert_non_null(strstr(f->err, "127.0.0.1"));
	}
}

static void test_open_bad_urls(void **state)
{
	struct fx *f = *state;
	static const char *const urls[] = {
		"",
		"sqlite:",
		"mysql://root@localhost/db",
		"sqlite:/nonexistent_zrz_dir/sub/x.db",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(urls); i++) {
		struct store *s = (struct store *)&f;
		f->err[0] = '\0';
		int rc = store_open(urls[i], 1, &s, f->err, sizeof(f->err));
		if (rc >= 0)
			fail_msg("store_open(\"%s\") = %d", urls[i], rc);
		assert_null(s);
		if (strlen(f->err) == 0)
			fail_msg("store_open(\"%s\") gave no message", urls[i]);
	}
	int rc = store_open(NULL, 1, &f->s, f->err, sizeof(f->err));
	assert_true(rc < 0);
	assert_null(f->s);
}

/* A file that is not a SQLite database fails at open, with a message. */
static void test_open_not_a_database(void **state)
{
	struct fx *f = *state;
	FILE *fp = fopen(f->path, "w");
	assert_non_null(fp);
	for (int i = 0; i < 200; i++)
		fputs("this is a text file, not a database\n", fp);
	fclose(fp);
	f->err[0] = '\0';
	struct store *s = (struct store *)&f;
	int rc = store_open(f->url, 1, &s, f->err, sizeof(f->err));
	if (rc == ZRZ_OK) {
		store_close(s);
		fail_msg("store_open accepted a text file");
	}
	assert_true(rc < 0);
	assert_null(s);
	assert_true(strlen(f->err) > 0);
}

/*
 * "sqlite:PATH" names a file, whatever the path contains; the libpq
 * key=value detection ("host=", "dbname=") must not apply to it.
 */
static void test_open_sqlite_path_with_equals(void **state)
{
	struct fx *f = *state;
	char dir[64];
	snprintf(dir, sizeof(dir), "/tmp/zrz_test_host=XXXXXX");
	assert_non_null(mkdtemp(dir));
	char path[96];
	snprintf(path, sizeof(path), "%s/dbname=z.db", dir);
	char url[128];
	snprintf(url, sizeof(url), "sqlite:%s", path);
	struct store *s = NULL;
	int rc = store_open(url, 1, &s, f->err, sizeof(f->err));
	store_close(s);
	remove_db_files(path);
	rmdir(dir);
	if (rc != ZRZ_OK)
		fail_msg("store_open(%s) = %d: %s", url, rc, f->err);
}

static void test_store_close_null(void **state)
{
	(void)state;
	store_close(NULL);
}

/* ---- migrations ---------------------------------------------------- */

static void test_migrate_latest_matches_table(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_open(f->url, 1, &f->s, f->err, sizeof(f->err)), ZRZ_OK);
	assert_true(migration_count() >= 1);
	int last = 0;
	for (const struct migration *m = migrations_sqlite; m->version; m++) {
		/* Strictly increasing, with a name and some SQL. */
		assert_true(m->version > last);
		last = m->version;
		assert_non_null(m->name);
		assert_non_null(m->sql);
		assert_true(strlen(m->sql) > 0);
	}
	assert_int_equal(migrate_latest(f->s), last);
}

static void test_migrate_fresh_database(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_open(f->url, 1, &f->s, f->err, sizeof(f->err)), ZRZ_OK);

	int cur = -1;
	assert_int_equal(migrate_current(f->s, &cur), ZRZ_OK);
	assert_int_equal(cur, 0);
	/* An empty database is not ready to serve. */
	f->err[0] = '\0';
	assert_true(migrate_check(f->s, f->err, sizeof(f->err)) < 0);
	assert_true(strlen(f->err) > 0);

	int applied = -1;
	int rc = migrate_up(f->s, 0, &applied, f->err, sizeof(f->err));
	if (rc)
		fail_msg("migrate_up = %d: %s", rc, f->err);
	assert_int_equal(applied, migration_count());
	assert_int_equal(migrate_current(f->s, &cur), ZRZ_OK);
	assert_int_equal(cur, migrate_latest(f->s));
	assert_int_equal(migrate_check(f->s, f->err, sizeof(f->err)), ZRZ_OK);

	/* Again: nothing to do, still current. */
	applied = -1;
	assert_int_equal(migrate_up(f->s, 0, &applied, f->err, sizeof(f->err)), ZRZ_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(migrate_current(f->s, &cur), ZRZ_OK);
	assert_int_equal(cur, migrate_latest(f->s));
	assert_int_equal(migrate_check(f->s, f->err, sizeof(f->err)), ZRZ_OK);
}

static void test_migrate_records_each_version(void **state)
{
	struct fx *f = *state;
	open_migrated(f);
	assert_int_equal(query_int(f->db, SQL_COUNT_VERSIONS), migration_count());
	assert_int_equal(query_int(f->db, SQL_COUNT_TABLE_ORG), 1);
	assert_int_equal(query_int(f->db, SQL_COUNT_AUDIT_TRIGGERS), 2);

	struct db_stmt *st;
	assert_int_equal(db_prepare(f->db, SQL_VERSION_NAMES, &st), ZRZ_OK);
	const struct migration *m = migrations_sqlite;
	int rc;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		assert_int_not_equal(m->version, 0);
		assert_int_equal(db_col_int64(st, 0), m->version);
		assert_string_equal(db_col_text(st, 1), m->name);
		assert_true(db_col_int64(st, 2) > 1735660800); /* after 2025 */
		m++;
	}
	assert_int_equal(rc, ZRZ_DONE);
	assert_int_equal(m->version, 0);
}

static void test_migrate_persists_across_reopen(void **state)
{
	struct fx *f = *state;
	int applied = 0;
	assert_int_equal(store_open(f->url, 1, &f->s, f->err, sizeof(f->err)), ZRZ_OK);
	assert_int_equal(migrate_up(f->s, 0, &applied, f->err, sizeof(f->err)), ZRZ_OK);
	store_close(f->s);
	f->s = NULL;

	assert_int_equal(store_open(f->url, 1, &f->s, f->err, sizeof(f->err)), ZRZ_OK);
	int cur = 0;
	assert_int_equal(migrate_current(f->s, &cur), ZRZ_OK);
	assert_int_equal(cur, migrate_latest(f->s));
	assert_int_equal(migrate_check(f->s, f->err, sizeof(f->err)), ZRZ_OK);
	applied = -1;
	assert_int_equal(migrate_up(f->s, 0, &applied, f->err, sizeof(f->err)), ZRZ_OK);
	assert_int_equal(applied, 0);
}

/* A database migrated by a newer program is refused, and left untouched. */
static void test_migrate_refuses_newer_schema(void **state)
{
	struct fx *f = *state;
	open_migrated(f);
	struct db_stmt *st;
	assert_int_equal(db_prepare(f->db, SQL_ADD_VERSION, &st), ZRZ_OK);
	db_bind_int64(st, 1, migrate_latest(f->s) + 1);
	assert_int_equal(db_run(st), ZRZ_OK);

	int cur = 0;
	assert_int_equal(migrate_current(f->s, &cur), ZRZ_OK);
	assert_int_equal(cur, migrate_latest(f->s) + 1);

	int applied = -1;
	f->err[0] = '\0';
	assert_int_equal(migrate_up(f->s, 0, &applied, f->err, sizeof(f->err)), ZRZ_ESCHEMA);
	assert_int_equal(applied, 0);
	assert_true(strlen(f->err) > 0);
	f->err[0] = '\0';
	assert_int_equal(migrate_check(f->s, f->err, sizeof(f->err)), ZRZ_ESCHEMA);
	assert_true(strlen(f->err) > 0);
	assert_int_equal(query_int(f->db, SQL_COUNT_VERSIONS), migration_count() + 1);
}

static void test_migrate_refuses_future_only_db(void **state)
{
	struct fx *f = *state;
	open_db(f);
	assert_int_equal(db_exec_script(f->db, SQL_FAKE_VERSIONS, f->err, sizeof(f->err)),
			 ZRZ_OK);
	int applied = -1;
	assert_int_equal(migrate_up(f->s, 0, &applied, f->err, sizeof(f->err)), ZRZ_ESCHEMA);
	assert_int_equal(applied, 0);
	/* No migration ran: the first one's tables are absent. */
	assert_int_equal(query_int(f->db, SQL_COUNT_TABLE_ORG), 0);
	assert_int_equal(migrate_check(f->s, f->err, sizeof(f->err)), ZRZ_ESCHEMA);
}

/* ---- statements ---------------------------------------------------- */

static void test_prepare_bind_step_col(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	static const unsigned char blob[] = {0x00, 0x01, 0xff, 0x00, 0x7f};
	struct db_stmt *st;
	assert_int_equal(db_prepare(f->db, SQL_INSERT, &st), ZRZ_OK);
	db_bind_text(st, 1, "党委办公室");
	db_bind_int64(st, 2, INT64_MIN);
	db_bind_blob(st, 3, blob, sizeof(blob));
	db_bind_id(st, 4, 0);  /* no reference: NULL */
	db_bind_null(st, 5);
	assert_int_equal(db_step(st), ZRZ_DONE);
	assert_int_equal(db_changes(f->db), 1);

	assert_int_equal(db_prepare(f->db, SQL_INSERT, &st), ZRZ_OK);
	db_bind_textn(st, 1, "纪委XYZ", strlen("纪委"));
	db_bind_int64(st, 2, INT64_MAX);
	db_bind_blob(st, 3, "", 0);
	db_bind_id(st, 4, 42);
	db_bind_int64(st, 5, 7);
	assert_int_equal(db_run(st), ZRZ_OK);
	assert_int_equal(db_changes(f->db), 1);
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 2);

	assert_int_equal(db_prepare(f->db, SQL_SELECT_BY_NAME, &st), ZRZ_OK);
	db_bind_text(st, 1, "党委办公室");
	assert_int_equal(db_step(st), ZRZ_ROW);
	assert_int_equal(db_col_int64(st, 0), 1);
	assert_string_equal(db_col_text(st, 1), "党委办公室");
	assert_true(db_col_int64(st, 2) == INT64_MIN);
	size_t n = 0;
	const void *p = db_col_blob(st, 3, &n);
	assert_int_equal(n, sizeof(blob));
	assert_memory_equal(p, blob, sizeof(blob));
	assert_true(db_col_null(st, 4));
	assert_true(db_col_null(st, 5));
	assert_null(db_col_text(st, 5));
	assert_false(db_col_null(st, 1));
	assert_int_equal(db_step(st), ZRZ_DONE);

	assert_int_equal(db_prepare(f->db, SQL_SELECT_BY_NAME, &st), ZRZ_OK);
	db_bind_text(st, 1, "纪委");
	assert_int_equal(db_step(st), ZRZ_ROW);
	assert_int_equal(db_col_int64(st, 0), 2);
	assert_string_equal(db_col_text(st, 1), "纪委");
	assert_true(db_col_int64(st, 2) == INT64_MAX);
	n = 99;
	db_col_blob(st, 3, &n);
	assert_int_equal(n, 0);
	assert_int_equal(db_col_int64(st, 4), 42);
	assert_int_equal(db_col_int64(st, 5), 7);
	assert_int_equal(db_step(st), ZRZ_DONE);

	/* No match: DONE at once. */
	assert_int_equal(db_prepare(f->db, SQL_SELECT_BY_NAME, &st), ZRZ_OK);
	db_bind_text(st, 1, "不存在");
	assert_int_equal(db_step(st), ZRZ_DONE);
}

static void test_iterate_rows_in_order(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	static const char *const names[] = {"一", "二", "三", "四", "五"};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(names); i++)
		assert_int_equal(insert_name(f->db, names[i]), ZRZ_DONE);
	struct db_stmt *st;
	assert_int_equal(db_prepare(f->db, SQL_SELECT_ALL, &st), ZRZ_OK);
	size_t i = 0;
	int rc;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		assert_true(i < ZRZ_ARRAY_LEN(names));
		assert_int_equal(db_col_int64(st, 0), (int64_t)i + 1);
		assert_string_equal(db_col_text(st, 1), names[i]);
		i++;
	}
	assert_int_equal(rc, ZRZ_DONE);
	assert_int_equal(i, ZRZ_ARRAY_LEN(names));
	/* After DONE the statement was reset: it runs again from the start. */
	assert_int_equal(db_step(st), ZRZ_ROW);
	assert_string_equal(db_col_text(st, 1), "一");
	db_reset(st);
}

/* The cached statement comes back reset, with its bindings cleared. */
static void test_prepare_cached_and_cleared(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	struct db_stmt *a, *b;
	assert_int_equal(db_prepare(f->db, SQL_PARAM_IS_NULL, &a), ZRZ_OK);
	db_bind_int64(a, 1, 5);
	assert_int_equal(db_step(a), ZRZ_ROW);
	assert_int_equal(db_col_int64(a, 0), 0);
	/* Left mid-iteration on purpose. */
	assert_int_equal(db_prepare(f->db, SQL_PARAM_IS_NULL, &b), ZRZ_OK);
	assert_ptr_equal(a, b);
	assert_int_equal(db_step(b), ZRZ_ROW);
	assert_int_equal(db_col_int64(b, 0), 1);
	assert_int_equal(db_step(b), ZRZ_DONE);

	/* Two different statements coexist. */
	struct db_stmt *c;
	assert_int_equal(db_prepare(f->db, SQL_COUNT_SCRATCH, &c), ZRZ_OK);
	assert_ptr_not_equal(b, c);
	db_bind_text(b, 1, NULL);
	assert_int_equal(db_step(b), ZRZ_ROW);
	assert_int_equal(db_col_int64(b, 0), 1);
	db_reset(b);
}

static void test_prepare_errors(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	struct db_stmt *st = NULL;
	assert_true(db_prepare(f->db, SQL_BAD, &st) < 0);
	assert_true(db_prepare(f->db, SQL_NO_TABLE, &st) < 0);
	/* The connection still works afterwards. */
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 0);
}

static void test_unique_violation_is_conflict(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	assert_int_equal(insert_name(f->db, "唯一"), ZRZ_DONE);
	assert_int_equal(insert_name(f->db, "唯一"), ZRZ_ECONFLICT);
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 1);
	/* The statement was reset by the error and is usable again. */
	assert_int_equal(insert_name(f->db, "另一个"), ZRZ_DONE);
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 2);

	struct db_stmt *st;
	assert_int_equal(db_prepare(f->db, SQL_INSERT_NAME, &st), ZRZ_OK);
	db_bind_text(st, 1, "另一个");
	assert_int_equal(db_run(st), ZRZ_ECONFLICT);
}

static void test_foreign_key_violation_is_conflict(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	struct db_stmt *st;
	assert_int_equal(db_prepare(f->db, SQL_INSERT_CHILD, &st), ZRZ_OK);
	db_bind_int64(st, 1, 12345);
	assert_int_equal(db_step(st), ZRZ_ECONFLICT);
	assert_int_equal(insert_name(f->db, "parent"), ZRZ_DONE);
	assert_int_equal(db_prepare(f->db, SQL_INSERT_CHILD, &st), ZRZ_OK);
	db_bind_int64(st, 1, 1);
	assert_int_equal(db_step(st), ZRZ_DONE);
}

static void test_check_violation_is_invalid(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	struct db_stmt *st;
	assert_int_equal(db_prepare(f->db, SQL_INSERT_QTY, &st), ZRZ_OK);
	db_bind_text(st, 1, "negative");
	db_bind_int64(st, 2, -1);
	assert_int_equal(db_step(st), ZRZ_EINVAL);
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 0);
}

/* ---- transactions -------------------------------------------------- */

static void test_rollback_leaves_nothing(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	assert_false(db_in_tx(f->db));
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_true(db_in_tx(f->db));
	for (int i = 0; i < 10; i++) {
		char name[16];
		snprintf(name, sizeof(name), "row%d", i);
		assert_int_equal(insert_name(f->db, name), ZRZ_DONE);
	}
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 10);
	db_rollback(f->db);
	assert_false(db_in_tx(f->db));
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 0);

	/* Seen from another connection too. */
	struct db *other;
	assert_int_equal(store_acquire(f->s, &other), ZRZ_OK);
	assert_ptr_not_equal(other, f->db);
	int64_t n = query_int(other, SQL_COUNT_SCRATCH);
	store_release(f->s, other);
	assert_int_equal(n, 0);
}

/* Rolling back with a statement still mid-iteration must work too. */
static void test_rollback_with_open_statement(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(insert_name(f->db, "a"), ZRZ_DONE);
	assert_int_equal(insert_name(f->db, "b"), ZRZ_DONE);
	struct db_stmt *st;
	assert_int_equal(db_prepare(f->db, SQL_SELECT_ALL, &st), ZRZ_OK);
	assert_int_equal(db_step(st), ZRZ_ROW);
	db_rollback(f->db);
	assert_false(db_in_tx(f->db));
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 0);
	/* A new transaction can start (the writer lock was given back). */
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	db_rollback(f->db);
}

static void test_commit_persists(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(insert_name(f->db, "kept"), ZRZ_DONE);
	assert_int_equal(db_commit(f->db), ZRZ_OK);
	assert_false(db_in_tx(f->db));
	/* Rolling back with no transaction open does nothing. */
	db_rollback(f->db);
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 1);

	/* Another connection, under a read snapshot, sees the row. */
	struct db *other;
	assert_int_equal(store_acquire(f->s, &other), ZRZ_OK);
	int rc = db_begin_read(other);
	int64_t n = rc ? -1 : query_int(other, SQL_COUNT_SCRATCH);
	int crc = rc ? rc : db_commit(other);
	store_release(f->s, other);
	assert_int_equal(rc, ZRZ_OK);
	assert_int_equal(crc, ZRZ_OK);
	assert_int_equal(n, 1);
}

static void test_failed_statement_inside_tx(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(insert_name(f->db, "x"), ZRZ_DONE);
	assert_int_equal(insert_name(f->db, "x"), ZRZ_ECONFLICT);
	/* The transaction survives a failed statement; rollback undoes all. */
	assert_true(db_in_tx(f->db));
	db_rollback(f->db);
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 0);
}

static void test_nested_begin_refused(void **state)
{
	struct fx *f = *state;
	open_scratch(f);
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_true(db_begin(f->db) < 0);
	assert_true(db_begin_read(f->db) < 0);
	assert_true(db_in_tx(f->db));
	assert_int_equal(insert_name(f->db, "still in tx"), ZRZ_DONE);
	assert_int_equal(db_commit(f->db), ZRZ_OK);
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 1);
	assert_true(db_commit(f->db) < 0);
}

/* ---- audit trail --------------------------------------------------- */

static void test_audit_rows_cannot_change(void **state)
{
	struct fx *f = *state;
	open_migrated(f);
	struct db_stmt *st;
	assert_int_equal(db_prepare(f->db, SQL_AUDIT_INSERT, &st), ZRZ_OK);
	db_bind_int64(st, 1, 1767283200);
	db_bind_text(st, 2, "{\"name\":\"纪委\"}");
	assert_int_equal(db_step(st), ZRZ_DONE);
	assert_int_equal(query_int(f->db, SQL_AUDIT_COUNT), 1);

	assert_int_equal(db_prepare(f->db, SQL_AUDIT_UPDATE, &st), ZRZ_OK);
	db_bind_int64(st, 1, 1);
	int rc = db_step(st);
	if (rc >= 0)
		fail_msg("UPDATE audit gave %d, want an error", rc);

	assert_int_equal(db_prepare(f->db, SQL_AUDIT_DELETE, &st), ZRZ_OK);
	db_bind_int64(st, 1, 1);
	rc = db_step(st);
	if (rc >= 0)
		fail_msg("DELETE FROM audit gave %d, want an error", rc);

	assert_int_equal(db_prepare(f->db, SQL_AUDIT_DELETE_ALL, &st), ZRZ_OK);
	assert_true(db_run(st) < 0);

	/* Inside a transaction as well; the row is intact afterwards. */
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(db_prepare(f->db, SQL_AUDIT_UPDATE, &st), ZRZ_OK);
	db_bind_int64(st, 1, 1);
	assert_true(db_step(st) < 0);
	assert_int_equal(db_commit(f->db), ZRZ_OK);

	assert_int_equal(query_int(f->db, SQL_AUDIT_COUNT), 1);
	assert_int_equal(db_prepare(f->db, SQL_AUDIT_GET, &st), ZRZ_OK);
	db_bind_int64(st, 1, 1);
	assert_int_equal(db_step(st), ZRZ_ROW);
	assert_string_equal(db_col_text(st, 0), "{\"name\":\"纪委\"}");
	assert_int_equal(db_step(st), ZRZ_DONE);
}

/* ---- pool ---------------------------------------------------------- */

static void test_pool_reuses_connections(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_open(f->url, 4, &f->s, f->err, sizeof(f->err)), ZRZ_OK);
	assert_int_equal(store_acquire(f->s, &f->db), ZRZ_OK);
	assert_int_equal(db_exec_script(f->db, SQL_SCRATCH, f->err, sizeof(f->err)), ZRZ_OK);
	struct db *a, *b, *c;
	assert_int_equal(store_acquire(f->s, &a), ZRZ_OK);
	assert_int_equal(store_acquire(f->s, &b), ZRZ_OK);
	bool distinct = a != b && a != f->db && b != f->db;
	/* Writes committed on one connection are seen on the others. */
	int irc = insert_name(a, "from a");
	int64_t nb = query_int(b, SQL_COUNT_SCRATCH);
	store_release(f->s, b);
	assert_int_equal(store_acquire(f->s, &c), ZRZ_OK);
	/* Within pool_size, the released connection is the one handed out. */
	bool reused = c == b;
	store_release(f->s, c);
	store_release(f->s, a);
	assert_true(distinct);
	assert_int_equal(irc, ZRZ_DONE);
	assert_int_equal(nb, 1);
	assert_true(reused);
	assert_int_equal(query_int(f->db, SQL_COUNT_SCRATCH), 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_open_sqlite_url),
		T(test_open_plain_db_path),
		T(test_open_postgres_unreachable),
		T(test_open_bad_urls),
		T(test_open_not_a_database),
		T(test_open_sqlite_path_with_equals),
		T(test_store_close_null),
		T(test_migrate_latest_matches_table),
		T(test_migrate_fresh_database),
		T(test_migrate_records_each_version),
		T(test_migrate_persists_across_reopen),
		T(test_migrate_refuses_newer_schema),
		T(test_migrate_refuses_future_only_db),
		T(test_prepare_bind_step_col),
		T(test_iterate_rows_in_order),
		T(test_prepare_cached_and_cleared),
		T(test_prepare_errors),
		T(test_unique_violation_is_conflict),
		T(test_foreign_key_violation_is_conflict),
		T(test_check_violation_is_invalid),
		T(test_rollback_leaves_nothing),
		T(test_rollback_with_open_statement),
		T(test_commit_persists),
		T(test_failed_statement_inside_tx),
		T(test_nested_begin_refused),
		T(test_audit_rows_cannot_change),
		T(test_pool_reuses_connections),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}

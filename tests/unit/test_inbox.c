/*
 * Unit tests for domain/inbox.h on a real migrated SQLite file under /tmp:
 * an item goes to the unit directly above its sender, is found again with
 * inbox_find, is acknowledged once, is forwarded once to the next unit up
 * (which makes inbox_find answer with the new item), and every refusal
 * (no unit above, an unknown entity, twice) writes nothing.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/arena.h"
#include "domain/inbox.h"
#include "domain/org.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/model.h"

struct fx {
	char path[64];
	char url[80];
	struct store *s;
	struct db *db;
	struct arena *a;
	char err[512];
	int64_t city, bureau, school;
};

static const struct actor TEST_ACTOR = {0, "test"};

static void remove_db_files(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[96];
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(suffix); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->path, sizeof(f->path), "/tmp/zrz_test_inbox_XXXXXX");
	int fd = mkstemp(f->path);
	if (fd < 0) {
		free(f);
		return -1;
	}
	close(fd);
	snprintf(f->url, sizeof(f->url), "sqlite:%s", f->path);
	*state = f;
	int applied = -1;
	if (store_open(f->url, 2, &f->s, f->err, sizeof(f->err)) ||
	    migrate_up(f->s, 0, &applied, f->err, sizeof(f->err)) ||
	    store_acquire(f->s, &f->db)) {
		fprintf(stderr, "setup: %s\n", f->err);
		return -1;
	}
	f->a = arena_new();
	struct org o;
	struct derr e = {0};
	if (db_begin(f->db) ||
	    org_create(f->db, f->a, &TEST_ACTOR, 0, "某市委宣传部", "committee", 0, &o, &e))
		return -1;
	f->city = o.id;
	if (org_create(f->db, f->a, &TEST_ACTOR, f->city, "某市教育局", "committee", 0, &o, &e))
		return -1;
	f->bureau = o.id;
	if (org_create(f->db, f->a, &TEST_ACTOR, f->bureau, "第一中学", "unit", 0, &o, &e) ||
	    db_commit(f->db))
		return -1;
	f->school = o.id;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (f->a)
		arena_free(f->a);
	if (f->db) {
		if (db_in_tx(f->db))
			db_rollback(f->db);
		store_release(f->s, f->db);
	}
	store_close(f->s);
	remove_db_files(f->path);
	int left = access(f->path, F_OK) == 0;
	free(f);
	return left ? -1 : 0;
}

static int64_t count_rows(struct db *db, const char *sql)
{
	struct db_stmt *st;
	assert_int_equal(db_prepare(db, sql, &st), ZRZ_OK);
	assert_int_equal(db_step(st), ZRZ_ROW);
	int64_t v = db_col_int64(st, 0);
	assert_int_equal(db_step(st), ZRZ_DONE);
	return v;
}

static const char SQL_ITEMS[] = "SELECT count(*) FROM inbox_item";
static const char SQL_AUDIT[] = "SELECT count(*) FROM audit";

static void test_send_find_ack(void **state)
{
	struct fx *f = *state;
	struct derr e = {0};
	int64_t id = 0;
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(inbox_send(f->db, &TEST_ACTOR, f->school, "incident", 7, "校门口聚集事件",
				    &id, &e),
			 ZRZ_OK);
	assert_int_equal(db_commit(f->db), ZRZ_OK);
	assert_true(id > 0);

	struct inbox_item it = {.arena = f->a};
	assert_int_equal(inbox_find(f->db, "incident", 7, &it), ZRZ_OK);
	assert_int_equal(it.id, id);
	assert_int_equal(it.from_org_id, f->school);
	assert_int_equal(it.to_org_id, f->bureau);
	assert_string_equal(it.state, "sent");
	assert_string_equal(it.title, "校门口聚集事件");
	assert_int_equal(it.acked_at, 0);
	assert_null(it.comment);
	struct inbox_item none = {.arena = f->a};
	assert_int_equal(inbox_find(f->db, "incident", 8, &none), ZRZ_ENOTFOUND);
	assert_int_equal(inbox_find(f->db, "analysis", 7, &none), ZRZ_ENOTFOUND);

	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(inbox_ack(f->db, &TEST_ACTOR, &it, "已阅，请继续跟进", &e), ZRZ_OK);
	assert_int_equal(db_commit(f->db), ZRZ_OK);
	struct inbox_item acked = {.arena = f->a};
	assert_int_equal(inbox_find(f->db, "incident", 7, &acked), ZRZ_OK);
	assert_string_equal(acked.state, "acknowledged");
	assert_string_equal(acked.comment, "已阅，请继续跟进");
	assert_true(acked.acked_at > 0);

	/* Twice: a state conflict that writes nothing. */
	int64_t audit = count_rows(f->db, SQL_AUDIT);
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	e = (struct derr){0};
	assert_int_equal(inbox_ack(f->db, &TEST_ACTOR, &acked, NULL, &e), ZRZ_ECONFLICT);
	assert_non_null(e.msg);
	db_rollback(f->db);
	assert_int_equal(count_rows(f->db, SQL_AUDIT), audit);
}

static void test_refusals(void **state)
{
	struct fx *f = *state;
	struct derr e = {0};
	int64_t id = 0;
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(inbox_send(f->db, &TEST_ACTOR, f->city, "incident", 1, "标题", &id, &e),
			 ZRZ_EINVAL);
	assert_string_equal(e.field, "org_id");
	e = (struct derr){0};
	assert_int_equal(inbox_send(f->db, &TEST_ACTOR, f->school, "opinion", 1, "标题", &id, &e),
			 ZRZ_EINVAL);
	assert_string_equal(e.field, "entity");
	e = (struct derr){0};
	assert_int_equal(inbox_send(f->db, &TEST_ACTOR, f->school, "analysis", 1, "", &id, &e),
			 ZRZ_EINVAL);
	assert_string_equal(e.field, "title");
	db_rollback(f->db);
	assert_int_equal(count_rows(f->db, SQL_ITEMS), 0);
}

static void test_forward_up(void **state)
{
	struct fx *f = *state;
	struct derr e = {0};
	int64_t first = 0, second = 0, third = 0;
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(inbox_send(f->db, &TEST_ACTOR, f->school, "analysis", 3, "上半年分析研判",
				    &first, &e),
			 ZRZ_OK);
	struct inbox_item it = {0};
	assert_int_equal(inbox_get(f->db, f->a, first, &it), ZRZ_OK);
	assert_int_equal(inbox_forward(f->db, &TEST_ACTOR, &it, "请市委宣传部阅示", &second, &e),
			 ZRZ_OK);
	assert_int_equal(db_commit(f->db), ZRZ_OK);

	struct inbox_item was = {0}, latest = {.arena = f->a};
	assert_int_equal(inbox_get(f->db, f->a, first, &was), ZRZ_OK);
	assert_string_equal(was.state, "forwarded");
	assert_int_equal(was.forward_id, second);
	assert_true(was.acked_at > 0);
	assert_int_equal(inbox_find(f->db, "analysis", 3, &latest), ZRZ_OK);
	assert_int_equal(latest.id, second);
	assert_int_equal(latest.from_org_id, f->bureau);
	assert_int_equal(latest.to_org_id, f->city);
	assert_int_equal(latest.prev_id, first);
	assert_string_equal(latest.note, "请市委宣传部阅示");
	assert_string_equal(latest.state, "sent");

	/* Forwarded twice, or past the top: refused. */
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	e = (struct derr){0};
	assert_int_equal(inbox_forward(f->db, &TEST_ACTOR, &was, NULL, &third, &e), ZRZ_ECONFLICT);
	e = (struct derr){0};
	assert_int_equal(inbox_forward(f->db, &TEST_ACTOR, &latest, NULL, &third, &e), ZRZ_EINVAL);
	assert_string_equal(e.field, "org_id");
	db_rollback(f->db);
	assert_int_equal(count_rows(f->db, SQL_ITEMS), 2);

	struct inbox_item *trail;
	int n;
	assert_int_equal(inbox_trail(f->db, f->a, "analysis", 3, &trail, &n), ZRZ_OK);
	assert_int_equal(n, 2);
	assert_int_equal(trail[0].id, first);
	assert_int_equal(trail[1].id, second);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_send_find_ack),
		T(test_refusals),
		T(test_forward_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

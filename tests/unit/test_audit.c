/*
 * Unit tests for domain/audit.h: the hash-chained audit trail, on a real
 * migrated SQLite file under /tmp.  Rows are appended in write transactions
 * the way the domain functions do it; tampering goes around the append-only
 * triggers (dropped first) as someone editing the file would, and the chain
 * check must then name the first row that no longer fits.
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
#include "domain/audit.h"
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
};

static const struct actor TEST_ACTOR = {0, "test"};

static const char SQL_COUNT[] = "SELECT count(*) FROM audit";
static const char SQL_DROP_NO_UPDATE[] = "DROP TRIGGER audit_no_update";
static const char SQL_DROP_NO_DELETE[] = "DROP TRIGGER audit_no_delete";

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
	snprintf(f->path, sizeof(f->path), "/tmp/zrz_test_audit_XXXXXX");
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

static int64_t query_int(struct db *db, const char *sql)
{
	struct db_stmt *st;
	assert_int_equal(db_prepare(db, sql, &st), ZRZ_OK);
	assert_int_equal(db_step(st), ZRZ_ROW);
	int64_t v = db_col_int64(st, 0);
	assert_int_equal(db_step(st), ZRZ_DONE);
	return v;
}

static void exec(struct fx *f, const char *sql)
{
	int rc = db_exec_script(f->db, sql, f->err, sizeof(f->err));
	if (rc)
		fail_msg("%s: %d %s", sql, rc, f->err);
}

/* Append one row in its own committed transaction. */
static void log_row(struct fx *f, const struct actor *who, int64_t org_id, const char *action,
		    int64_t entity_id, json_t *detail)
{
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	int rc = audit_log(f->db, who, org_id, action, "test", entity_id, detail);
	if (rc) {
		db_rollback(f->db);
		fail_msg("audit_log(%s) = %d", action, rc);
	}
	assert_int_equal(db_commit(f->db), ZRZ_OK);
}

static void log_n(struct fx *f, int n)
{
	for (int i = 1; i <= n; i++)
		log_row(f, &TEST_ACTOR, 0, "test.step", i, json_pack("{s:i}", "i", i));
}

/*
 * All rows, oldest first, into rows[1..n] (rows[k] has seq k when the chain
 * is intact); returns n.
 */
static int read_rows(struct fx *f, struct audit_row *rows, int cap)
{
	struct audit_filter flt = {0};
	struct audit_row *items;
	int n;
	int64_t total;
	assert_int_equal(audit_list(f->db, f->a, &flt, 0, 1000, &items, &n, &total), ZRZ_OK);
	assert_int_equal(total, n);
	assert_true(n < cap);
	for (int i = 0; i < n; i++)
		rows[n - i] = items[i]; /* newest first from the listing */
	return n;
}

static void assert_verify_ok(struct fx *f, int64_t want_rows)
{
	int64_t rows = -1, bad = -1;
	int rc = audit_verify(f->db, &rows, &bad);
	if (rc)
		fail_msg("audit_verify = %d, bad_seq %lld", rc, (long long)bad);
	assert_int_equal(rows, want_rows);
	assert_int_equal(bad, 0);
}

static void assert_verify_broken(struct fx *f, int64_t want_bad)
{
	int64_t rows = -1, bad = -1;
	assert_int_equal(audit_verify(f->db, &rows, &bad), ZRZ_ECONFLICT);
	assert_int_equal(bad, want_bad);
	assert_true(rows >= 1);
}

static bool is_hex64(const char *h)
{
	if (!h || strlen(h) != 64)
		return false;
	for (int i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return false;
	return true;
}

/* ---- appending ---- */

static void test_empty_chain_verifies(void **state)
{
	struct fx *f = *state;
	assert_verify_ok(f, 0);
}

static void test_log_chains_rows(void **state)
{
	struct fx *f = *state;
	struct actor who = {7, "10.0.0.8"};
	log_row(f, &who, 0, "test.one", 11, NULL);
	log_row(f, &TEST_ACTOR, 0, "test.two", 0, json_pack("{s:s}", "k", "v"));
	log_row(f, NULL, 0, "test.three", 13, json_object());

	struct audit_row r[8];
	assert_int_equal(read_rows(f, r, 8), 3);
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(r[i].seq, i);
		assert_true(is_hex64(r[i].hash));
		char h[65];
		audit_hash(&r[i], h);
		assert_string_equal(h, r[i].hash);
		assert_true(r[i].at > 1600000000);
		assert_string_equal(r[i].entity, "test");
		assert_null(r[i].org_path);
		assert_int_equal(r[i].org_id, 0);
	}
	assert_string_equal(r[1].prev_hash, "");
	assert_string_equal(r[2].prev_hash, r[1].hash);
	assert_string_equal(r[3].prev_hash, r[2].hash);
	assert_string_not_equal(r[1].hash, r[2].hash);
	assert_string_not_equal(r[2].hash, r[3].hash);

	assert_string_equal(r[1].action, "test.one");
	assert_int_equal(r[1].user_id, 7);
	assert_string_equal(r[1].client, "10.0.0.8");
	assert_int_equal(r[1].entity_id, 11);
	assert_string_equal(r[1].detail, "{}"); /* NULL detail */
	assert_int_equal(r[2].user_id, 0);
	assert_string_equal(r[2].client, "test");
	assert_int_equal(r[2].entity_id, 0);
	assert_string_equal(r[2].detail, "{\"k\":\"v\"}");
	assert_int_equal(r[3].user_id, 0); /* no actor */
	assert_string_equal(r[3].client, "");

	assert_verify_ok(f, 3);
}

static void test_rows_in_one_transaction_chain(void **state)
{
	struct fx *f = *state;
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(audit_log(f->db, &TEST_ACTOR, 0, "test.batch", "test", i + 1, NULL),
				 ZRZ_OK);
	assert_int_equal(db_commit(f->db), ZRZ_OK);
	struct audit_row r[8];
	assert_int_equal(read_rows(f, r, 8), 4);
	for (int i = 2; i <= 4; i++)
		assert_string_equal(r[i].prev_hash, r[i - 1].hash);
	assert_verify_ok(f, 4);
}

static void test_detail_sorted_keys(void **state)
{
	struct fx *f = *state;
	json_t *d = json_pack("{s:i, s:s, s:b, s:{s:i, s:i}, s:n}", "zeta", 1, "alpha", "a",
			      "mid", 1, "nested", "y", 1, "x", 2, "beta");
	assert_non_null(d);
	log_row(f, &TEST_ACTOR, 0, "test.sorted", 0, d);
	/* The same keys in another order give the same text. */
	log_row(f, &TEST_ACTOR, 0, "test.sorted", 0,
		json_pack("{s:n, s:{s:i, s:i}, s:b, s:s, s:i}", "beta", "nested", "x", 2, "y", 1,
			  "mid", 1, "alpha", "a", "zeta", 1));
	struct audit_row r[4];
	assert_int_equal(read_rows(f, r, 4), 2);
	const char *want = "{\"alpha\":\"a\",\"beta\":null,\"mid\":true,"
			   "\"nested\":{\"x\":2,\"y\":1},\"zeta\":1}";
	assert_string_equal(r[1].detail, want);
	assert_string_equal(r[2].detail, want);
	assert_verify_ok(f, 2);
}

static void test_rolled_back_rows_leave_no_trace(void **state)
{
	struct fx *f = *state;
	log_row(f, &TEST_ACTOR, 0, "test.kept", 1, NULL);

	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(audit_log(f->db, &TEST_ACTOR, 0, "test.lost", "test", 2, NULL), ZRZ_OK);
	assert_int_equal(audit_log(f->db, &TEST_ACTOR, 0, "test.lost", "test", 3, NULL), ZRZ_OK);
	assert_int_equal(query_int(f->db, SQL_COUNT), 3);
	db_rollback(f->db);
	assert_int_equal(query_int(f->db, SQL_COUNT), 1);
	assert_verify_ok(f, 1);

	log_row(f, &TEST_ACTOR, 0, "test.after", 4, NULL);
	struct audit_row r[4];
	assert_int_equal(read_rows(f, r, 4), 2);
	assert_string_equal(r[1].action, "test.kept");
	assert_string_equal(r[2].action, "test.after");
	assert_int_equal(r[2].seq, 2);
	assert_string_equal(r[2].prev_hash, r[1].hash);
	assert_verify_ok(f, 2);
}

/* ---- the unit's path ---- */

static void test_log_records_org_path(void **state)
{
	struct fx *f = *state;
	struct org root, child;
	struct derr e = {0};
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(org_create(f->db, f->a, &TEST_ACTOR, 0, "党委", "committee", 0, &root, &e),
			 ZRZ_OK);
	assert_int_equal(org_create(f->db, f->a, &TEST_ACTOR, root.id, "第一支部", "branch", 0,
				    &child, &e),
			 ZRZ_OK);
	assert_int_equal(audit_log(f->db, &TEST_ACTOR, child.id, "test.in_org", "test", 5, NULL),
			 ZRZ_OK);
	/* A unit that does not exist (any more): its id, no path. */
	assert_int_equal(audit_log(f->db, &TEST_ACTOR, 999, "test.gone", "test", 6, NULL), ZRZ_OK);
	assert_int_equal(db_commit(f->db), ZRZ_OK);

	char want_child[64];
	snprintf(want_child, sizeof(want_child), "/%lld/%lld/", (long long)root.id,
		 (long long)child.id);
	assert_string_equal(child.path, want_child);

	struct audit_row r[8];
	assert_int_equal(read_rows(f, r, 8), 4);
	assert_string_equal(r[1].action, "org.create");
	assert_int_equal(r[1].org_id, root.id);
	assert_string_equal(r[1].org_path, root.path);
	assert_string_equal(r[1].client, "test");
	assert_string_equal(r[2].action, "org.create");
	assert_string_equal(r[2].org_path, want_child);
	assert_string_equal(r[3].action, "test.in_org");
	assert_int_equal(r[3].org_id, child.id);
	assert_string_equal(r[3].org_path, want_child);
	assert_int_equal(r[4].org_id, 999);
	assert_null(r[4].org_path);
	assert_verify_ok(f, 4);
}

static void test_org_path_is_the_path_at_the_time(void **state)
{
	struct fx *f = *state;
	struct org a, b, c;
	struct derr e = {0};
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	assert_int_equal(org_create(f->db, f->a, &TEST_ACTOR, 0, "甲", "unit", 0, &a, &e), ZRZ_OK);
	assert_int_equal(org_create(f->db, f->a, &TEST_ACTOR, 0, "乙", "unit", 0, &b, &e), ZRZ_OK);
	assert_int_equal(org_create(f->db, f->a, &TEST_ACTOR, a.id, "丙", "department", 0, &c, &e),
			 ZRZ_OK);
	const char *old_path = arena_strdup(f->a, c.path);
	assert_int_equal(org_move(f->db, f->a, &TEST_ACTOR, c.id, b.id, &c, &e), ZRZ_OK);
	assert_int_equal(audit_log(f->db, &TEST_ACTOR, c.id, "test.after_move", "test", 0, NULL),
			 ZRZ_OK);
	assert_int_equal(db_commit(f->db), ZRZ_OK);
	assert_string_not_equal(c.path, old_path);

	struct audit_row r[8];
	assert_int_equal(read_rows(f, r, 8), 5);
	assert_int_equal(r[3].org_id, c.id);
	assert_string_equal(r[3].org_path, old_path); /* its creation, under 甲 */
	assert_string_equal(r[4].action, "org.move");
	assert_string_equal(r[4].org_path, c.path);
	assert_string_equal(r[5].org_path, c.path);
	assert_verify_ok(f, 5);
}

static void test_list_subtree_not_a_string_prefix(void **state)
{
	struct fx *f = *state;
	struct org o[10];
	struct derr e = {0};
	assert_int_equal(db_begin(f->db), ZRZ_OK);
	for (int i = 0; i < 10; i++) {
		char name[16];
		snprintf(name, sizeof(name), "单位%d", i + 1);
		assert_int_equal(org_create(f->db, f->a, &TEST_ACTOR, 0, name, "unit", 0, &o[i], &e),
				 ZRZ_OK);
	}
	assert_int_equal(db_commit(f->db), ZRZ_OK);
	assert_string_equal(o[0].path, "/1/");
	assert_string_equal(o[9].path, "/10/");
	log_row(f, &TEST_ACTOR, o[9].id, "test.ten", 0, NULL);

	struct audit_filter flt = {.org_path = "/1/"};
	struct audit_row *items;
	int n;
	int64_t total;
	assert_int_equal(audit_list(f->db, f->a, &flt, 0, 100, &items, &n, &total), ZRZ_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(items[0].org_id, o[0].id);

	flt.org_path = "/10/";
	assert_int_equal(audit_list(f->db, f->a, &flt, 0, 100, &items, &n, &total), ZRZ_OK);
	assert_int_equal(n, 2);
	for (int i = 0; i < n; i++)
		assert_int_equal(items[i].org_id, o[9].id);
	assert_verify_ok(f, 11);
}

/* ---- audit_hash ---- */

static struct audit_row sample_row(void)
{
	struct audit_row r = {
		.seq = 1,
		.at = 1700000000,
		.user_id = 7,
		.org_id = 3,
		.org_path = "/1/3/",
		.action = "org.create",
		.entity = "org",
		.entity_id = 3,
		.detail = "{\"name\":\"x\"}",
		.client = "127.0.0.1",
		.prev_hash = "",
	};
	return r;
}

static void test_hash_known_answer(void **state)
{
	(void)state;
	/* SHA-256 of "\n1\n1700000000\n7\n3\n/1/3/\norg.create\norg\n3\n{"name":"x"}\n127.0.0.1\n":
	 * the chain's format is part of every stored row and must not drift. */
	struct audit_row r = sample_row();
	char h[65];
	audit_hash(&r, h);
	assert_string_equal(h, "7163dc9c2b268e7a05e7e2e0e518af0d3f281bd325846e321cfc0a6daff5edba");
	/* hash and user_login are not part of it. */
	r.hash = "something";
	r.user_login = "admin";
	char h2[65];
	audit_hash(&r, h2);
	assert_string_equal(h, h2);
	/* Absent text is hashed as empty text. */
	r.org_path = NULL;
	audit_hash(&r, h);
	r.org_path = "";
	audit_hash(&r, h2);
	assert_string_equal(h, h2);
}

static void test_hash_covers_every_field(void **state)
{
	(void)state;
	enum { VARIANTS = 13 };
	char h[VARIANTS][65];
	for (int i = 0; i < VARIANTS; i++) {
		struct audit_row r = sample_row();
		switch (i) {
		case 0: break;
		case 1: r.prev_hash = "00"; break;
		case 2: r.seq = 2; break;
		case 3: r.at = 1700000001; break;
		case 4: r.user_id = 8; break;
		case 5: r.org_id = 4; break;
		case 6: r.org_path = "/1/4/"; break;
		case 7: r.action = "org.update"; break;
		case 8: r.entity = "user"; break;
		case 9: r.entity_id = 4; break;
		case 10: r.detail = "{\"name\":\"y\"}"; break;
		case 11: r.client = "127.0.0.2"; break;
		case 12: r.user_id = 0; break;
		}
		audit_hash(&r, h[i]);
		assert_true(is_hex64(h[i]));
		/* Deterministic. */
		char again[65];
		audit_hash(&r, again);
		assert_string_equal(h[i], again);
	}
	for (int i = 0; i < VARIANTS; i++)
		for (int j = i + 1; j < VARIANTS; j++)
			if (!strcmp(h[i], h[j]))
				fail_msg("variants %d and %d hash the same", i, j);
}

static void test_hash_field_boundaries(void **state)
{
	(void)state;
	/* Moving text from one field to the next changes the hash. */
	struct audit_row r1 = sample_row(), r2 = sample_row();
	r1.action = "org.create";
	r1.entity = "org";
	r2.action = "org.createorg";
	r2.entity = "";
	char h1[65], h2[65];
	audit_hash(&r1, h1);
	audit_hash(&r2, h2);
	assert_string_not_equal(h1, h2);
	r1.seq = 11;
	r1.at = 1;
	r2.seq = 1;
	r2.at = 11;
	audit_hash(&r1, h1);
	audit_hash(&r2, h2);
	assert_string_not_equal(h1, h2);
}

/* ---- audit_verify on tampered chains ---- */

static void test_verify_detects_edited_detail(void **state)
{
	struct fx *f = *state;
	log_n(f, 3);
	assert_verify_ok(f, 3);
	exec(f, SQL_DROP_NO_UPDATE);
	exec(f, "UPDATE audit SET detail = '{\"i\":20}' WHERE seq = 2");
	assert_verify_broken(f, 2);
}

static void test_verify_detects_edited_last_row(void **state)
{
	struct fx *f = *state;
	log_n(f, 3);
	exec(f, SQL_DROP_NO_UPDATE);
	exec(f, "UPDATE audit SET client = 'elsewhere' WHERE seq = 3");
	assert_verify_broken(f, 3);
}

static void test_verify_detects_each_edited_column(void **state)
{
	struct fx *f = *state;
	static const char *const edits[] = {
		"UPDATE audit SET at = at + 1 WHERE seq = 2",
		"UPDATE audit SET user_id = 5 WHERE seq = 2",
		"UPDATE audit SET org_id = 5 WHERE seq = 2",
		"UPDATE audit SET org_path = '/5/' WHERE seq = 2",
		"UPDATE audit SET action = 'test.other' WHERE seq = 2",
		"UPDATE audit SET entity = 'other' WHERE seq = 2",
		"UPDATE audit SET entity_id = 99 WHERE seq = 2",
		"UPDATE audit SET prev_hash = hash WHERE seq = 2",
		"UPDATE audit SET hash = prev_hash WHERE seq = 2",
	};
	log_n(f, 3);
	exec(f, SQL_DROP_NO_UPDATE);
	exec(f, SQL_DROP_NO_DELETE);
	exec(f, "CREATE TEMP TABLE orig AS SELECT * FROM audit");
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(edits); i++) {
		exec(f, edits[i]);
		int64_t rows, bad;
		int rc = audit_verify(f->db, &rows, &bad);
		if (rc != ZRZ_ECONFLICT || bad != 2)
			fail_msg("%s: verify = %d, bad_seq %lld", edits[i], rc, (long long)bad);
		exec(f, "DELETE FROM audit WHERE seq = 2;"
			"INSERT INTO audit SELECT * FROM orig WHERE seq = 2");
		assert_verify_ok(f, 3);
	}
}

static void test_verify_detects_deleted_middle_row(void **state)
{
	struct fx *f = *state;
	log_n(f, 3);
	exec(f, SQL_DROP_NO_DELETE);
	exec(f, "DELETE FROM audit WHERE seq = 2");
	assert_verify_broken(f, 3);
}

static void test_verify_detects_deleted_first_row(void **state)
{
	struct fx *f = *state;
	log_n(f, 3);
	exec(f, SQL_DROP_NO_DELETE);
	exec(f, "DELETE FROM audit WHERE seq = 1");
	assert_verify_broken(f, 2);
}

static void test_verify_detects_swapped_rows(void **state)
{
	struct fx *f = *state;
	log_n(f, 4);
	exec(f, SQL_DROP_NO_UPDATE);
	/* Rows 2 and 3 trade everything but their sequence numbers. */
	exec(f, "CREATE TEMP TABLE pair AS SELECT * FROM audit WHERE seq IN (2, 3);"
		"UPDATE audit SET"
		" at = (SELECT at FROM pair WHERE pair.seq = 5 - audit.seq),"
		" user_id = (SELECT user_id FROM pair WHERE pair.seq = 5 - audit.seq),"
		" org_id = (SELECT org_id FROM pair WHERE pair.seq = 5 - audit.seq),"
		" org_path = (SELECT org_path FROM pair WHERE pair.seq = 5 - audit.seq),"
		" action = (SELECT action FROM pair WHERE pair.seq = 5 - audit.seq),"
		" entity = (SELECT entity FROM pair WHERE pair.seq = 5 - audit.seq),"
		" entity_id = (SELECT entity_id FROM pair WHERE pair.seq = 5 - audit.seq),"
		" detail = (SELECT detail FROM pair WHERE pair.seq = 5 - audit.seq),"
		" client = (SELECT client FROM pair WHERE pair.seq = 5 - audit.seq),"
		" prev_hash = (SELECT prev_hash FROM pair WHERE pair.seq = 5 - audit.seq),"
		" hash = (SELECT hash FROM pair WHERE pair.seq = 5 - audit.seq)"
		" WHERE seq IN (2, 3)");
	struct audit_row r[8];
	assert_int_equal(read_rows(f, r, 8), 4);
	assert_int_equal(r[2].entity_id, 3);
	assert_int_equal(r[3].entity_id, 2);
	assert_verify_broken(f, 2);
}

static void test_verify_detects_swapped_details(void **state)
{
	struct fx *f = *state;
	log_n(f, 3);
	exec(f, SQL_DROP_NO_UPDATE);
	exec(f, "CREATE TEMP TABLE d AS SELECT seq, detail FROM audit WHERE seq IN (1, 3);"
		"UPDATE audit SET detail = (SELECT detail FROM d WHERE d.seq = 4 - audit.seq)"
		" WHERE seq IN (1, 3)");
	assert_verify_broken(f, 1);
}

static void test_verify_detects_rehashed_row(void **state)
{
	struct fx *f = *state;
	log_n(f, 3);
	/* A forger who edits row 2 and recomputes its hash still breaks the
	 * link from row 3. */
	struct audit_row r[8];
	assert_int_equal(read_rows(f, r, 8), 3);
	struct audit_row forged = r[2];
	forged.detail = "{\"i\":200}";
	char h[65];
	audit_hash(&forged, h);
	static const char SQL_FORGE[] = "UPDATE audit SET detail = ?, hash = ? WHERE seq = 2";
	exec(f, SQL_DROP_NO_UPDATE);
	struct db_stmt *st;
	assert_int_equal(db_prepare(f->db, SQL_FORGE, &st), ZRZ_OK);
	db_bind_text(st, 1, forged.detail);
	db_bind_text(st, 2, h);
	assert_int_equal(db_run(st), ZRZ_OK);
	assert_verify_broken(f, 3);
}

static void test_log_after_tampering_keeps_break(void **state)
{
	struct fx *f = *state;
	log_n(f, 3);
	exec(f, SQL_DROP_NO_UPDATE);
	exec(f, "UPDATE audit SET detail = '{}' WHERE seq = 2");
	log_n(f, 2);
	assert_int_equal(query_int(f->db, SQL_COUNT), 5);
	assert_verify_broken(f, 2);
}

/*
 * Ids <= 0 are stored as NULL (db_bind_id) and read back as 0: audit_log
 * must hash what will be read back, or such a row could never verify.
 */
static void test_negative_ids_still_verify(void **state)
{
	struct fx *f = *state;
	struct actor who = {-1, "test"};
	log_row(f, &who, -2, "test.negative", -3, NULL);
	assert_verify_ok(f, 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_empty_chain_verifies),
		T(test_log_chains_rows),
		T(test_rows_in_one_transaction_chain),
		T(test_detail_sorted_keys),
		T(test_rolled_back_rows_leave_no_trace),
		T(test_log_records_org_path),
		T(test_org_path_is_the_path_at_the_time),
		T(test_list_subtree_not_a_string_prefix),
		cmocka_unit_test(test_hash_known_answer),
		cmocka_unit_test(test_hash_covers_every_field),
		cmocka_unit_test(test_hash_field_boundaries),
		T(test_verify_detects_edited_detail),
		T(test_verify_detects_edited_last_row),
		T(test_verify_detects_each_edited_column),
		T(test_verify_detects_deleted_middle_row),
		T(test_verify_detects_deleted_first_row),
		T(test_verify_detects_swapped_rows),
		T(test_verify_detects_swapped_details),
		T(test_verify_detects_rehashed_row),
		T(test_log_after_tampering_keeps_break),
		T(test_negative_ids_still_verify),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}

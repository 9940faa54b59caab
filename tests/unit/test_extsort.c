/*
 * Unit tests for the external sort in core/extsort.h: nothing, one record,
 * everything in one run (no file), many runs of various sizes merged (with
 * many equal keys), every record back exactly once in order, and no file
 * left in $TMPDIR.
 */
#include "core/common.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/extsort.h"

struct rec {
	int64_t key;
	int64_t seq; /* ties broken by seq: a total order */
	char pad[13];
};

static int cmp(const void *x, const void *y)
{
	const struct rec *a = x, *b = y;
	if (a->key != b->key)
		return a->key > b->key ? -1 : 1; /* descending, as "most behind" */
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static char dir[64];

static int files_in_dir(void)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Sort n pseudo-random records (keys in 0..range-1) in runs of run. */
static void sort_some(int64_t n, size_t run, int64_t range, int want_runs)
{
	struct extsort *s = extsort_new(sizeof(struct rec), run, cmp);
	uint64_t x = 88172645463325252ull;
	int64_t *seen = calloc((size_t)n + 1, sizeof(*seen));
	assert_non_null(seen);
	for (int64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		struct rec r = {(int64_t)(x % (uint64_t)range), i, "padding"};
		assert_int_equal(extsort_add(s, &r), ZRZ_OK);
	}
	assert_int_equal(extsort_count(s), n);
	assert_int_equal(extsort_finish(s), ZRZ_OK);
	assert_int_equal(extsort_runs_written(s), want_runs);
	/* The file, when there is one, has no name. */
	assert_int_equal(files_in_dir(), 0);
	struct rec prev, r;
	int64_t got = 0;
	int rc;
	while ((rc = extsort_next(s, &r)) == 1) {
		assert_true(r.seq >= 0 && r.seq < n);
		assert_int_equal(seen[r.seq], 0);
		seen[r.seq] = 1;
		assert_string_equal(r.pad, "padding");
		if (got)
			assert_true(cmp(&prev, &r) < 0);
		prev = r;
		got++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(got, n);
	assert_int_equal(extsort_next(s, &r), 0);
	free(seen);
	extsort_free(s);
	assert_int_equal(files_in_dir(), 0);
}

static void test_empty(void **state)
{
	(void)state;
	sort_some(0, 10, 5, 0);
	extsort_free(NULL);
}

static void test_one(void **state)
{
	(void)state;
	sort_some(1, 10, 5, 0);
}

static void test_in_memory(void **state)
{
	(void)state;
	sort_some(1000, 1000, 50, 0);
	sort_some(999, 0, 1000000, 0);
}

static void test_runs_merged(void **state)
{
	(void)state;
	sort_some(1001, 1000, 50, 2);        /* a last run of one record */
	sort_some(5000, 7, 3, 715);          /* many short runs, few keys */
	sort_some(20000, 600, 1000000, 34);  /* windows refilled within a run */
	sort_some(1000, 1, 10, 1000);        /* runs of one */
}

static void test_next_before_finish(void **state)
{
	(void)state;
	struct extsort *s = extsort_new(sizeof(struct rec), 4, cmp);
	struct rec r = {1, 1, "x"};
	assert_int_equal(extsort_add(s, &r), ZRZ_OK);
	assert_true(extsort_next(s, &r) < 0);
	assert_int_equal(extsort_finish(s), ZRZ_OK);
	assert_true(extsort_add(s, &r) < 0);
	assert_int_equal(extsort_next(s, &r), 1);
	assert_int_equal(extsort_next(s, &r), 0);
	extsort_free(s);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/zrz-extsort-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	setenv("TMPDIR", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_one),
		cmocka_unit_test(test_in_memory),
		cmocka_unit_test(test_runs_merged),
		cmocka_unit_test(test_next_before_finish),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

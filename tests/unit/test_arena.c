/*
 * Unit tests for the region allocator in core/arena.h: alignment, zero fill,
 * that allocations never overlap (small ones carved from shared blocks and
 * big ones with blocks of their own), the string helpers, and the release
 * callbacks that arena_free() runs newest first, each exactly once.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"

#define ALIGNMENT 16

static bool aligned(const void *p)
{
	return ((uintptr_t)p % ALIGNMENT) == 0;
}

static bool all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void test_new_and_free_empty(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_non_null(a);
	arena_free(a);
}

static void test_free_null(void **state)
{
	(void)state;
	arena_free(NULL);
}

/*
 * Thousands of small allocations span many blocks.  Each one is filled with
 * its own byte; checking all of them at the end proves no two overlap.
 */
static void test_many_small_allocs_distinct(void **state)
{
	(void)state;
	enum { COUNT = 5000 };
	struct arena *a = arena_new();
	unsigned char **ptrs = calloc(COUNT, sizeof(*ptrs));
	size_t *sizes = calloc(COUNT, sizeof(*sizes));
	assert_non_null(ptrs);
	assert_non_null(sizes);
	for (size_t i = 0; i < COUNT; i++) {
		sizes[i] = 1 + (i * 7) % 61;
		ptrs[i] = arena_alloc(a, sizes[i]);
		assert_non_null(ptrs[i]);
		assert_true(aligned(ptrs[i]));
		assert_true(all_bytes(ptrs[i], sizes[i], 0));
		memset(ptrs[i], (int)(i % 251) + 1, sizes[i]);
	}
	for (size_t i = 0; i < COUNT; i++)
		assert_true(all_bytes(ptrs[i], sizes[i], (unsigned char)(i % 251 + 1)));
	free(sizes);
	free(ptrs);
	arena_free(a);
}

static void test_alignment_every_size(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	for (size_t n = 0; n <= 200; n++) {
		void *p = arena_alloc(a, n);
		assert_non_null(p);
		assert_true(aligned(p));
	}
	/* Types with the strictest alignment fit. */
	long double *ld = arena_alloc(a, sizeof(*ld));
	assert_true(((uintptr_t)ld % _Alignof(max_align_t)) == 0);
	*ld = 1.5L;
	assert_true(*ld == 1.5L);
	arena_free(a);
}

static void test_zero_size_allocs_are_distinct(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	void *p = arena_alloc(a, 0);
	void *q = arena_alloc(a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	arena_free(a);
}

/*
 * Zero fill is only meaningful on memory that was dirty before.  Allocating
 * past the first block makes the arena take fresh memory from malloc, which
 * under ASan is filled with a non-zero pattern.
 */
static void test_zero_fill_across_blocks(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	for (int i = 0; i < 200; i++) {
		size_t n = 100 + (size_t)i * 13;
		unsigned char *p = arena_alloc(a, n);
		assert_true(all_bytes(p, n, 0));
		memset(p, 0xab, n);
	}
	arena_free(a);
}

static void test_big_allocations_mixed_with_small(void **state)
{
	(void)state;
	struct {
		unsigned char *p;
		size_t n;
	} got[64];
	size_t k = 0;
	struct arena *a = arena_new();
	static const size_t sizes[] = {
		24, 4096, 4097, 8, 100000, 33, 16 * 1024, 1, 16 * 1024 + 1, 4000, 65536, 7,
	};
	for (int round = 0; round < 5; round++) {
		for (size_t i = 0; i < ZRZ_ARRAY_LEN(sizes); i++) {
			assert_true(k < ZRZ_ARRAY_LEN(got));
			unsigned char *p = arena_alloc(a, sizes[i]);
			assert_non_null(p);
			assert_true(aligned(p));
			assert_true(all_bytes(p, sizes[i], 0));
			memset(p, (int)(k + 1), sizes[i]);
			got[k].p = p;
			got[k].n = sizes[i];
			k++;
		}
	}
	for (size_t i = 0; i < k; i++)
		assert_true(all_bytes(got[i].p, got[i].n, (unsigned char)(i + 1)));
	arena_free(a);
}

/*
 * A big allocation must not end the block that small ones are carved
 * from: the small ones before and after it stay usable and distinct.
 */
static void test_small_after_big_still_writable(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char *s1 = arena_strdup(a, "before");
	unsigned char *big = arena_alloc(a, 1 << 20);
	char *s2 = arena_strdup(a, "after");
	memset(big, 0xff, 1 << 20);
	assert_string_equal(s1, "before");
	assert_string_equal(s2, "after");
	assert_int_equal(big[0], 0xff);
	assert_int_equal(big[(1 << 20) - 1], 0xff);
	arena_free(a);
}

static void test_strdup(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char src[] = "责任制 ledger";
	char *p = arena_strdup(a, src);
	assert_ptr_not_equal(p, src);
	assert_string_equal(p, "责任制 ledger");
	src[0] = 'X';
	assert_string_equal(p, "责任制 ledger");
	char *e = arena_strdup(a, "");
	assert_non_null(e);
	assert_string_equal(e, "");
	arena_free(a);
}

static void test_strndup(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *src = "abcdef";
	char *p = arena_strndup(a, src, 3);
	assert_string_equal(p, "abc");
	assert_int_equal(strlen(p), 3);
	char *z = arena_strndup(a, src, 0);
	assert_string_equal(z, "");
	/* Not NUL-terminated input: strndup must read exactly n bytes. */
	char raw[4] = {'w', 'x', 'y', 'z'};
	char *r = arena_strndup(a, raw, sizeof(raw));
	assert_string_equal(r, "wxyz");
	/* Embedded NUL is copied as is; the result still ends at n. */
	char *nul = arena_strndup(a, "ab\0cd", 5);
	assert_memory_equal(nul, "ab\0cd", 6);
	arena_free(a);
}

static void test_printf(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char *p = arena_printf(a, "%s-%d-%05.1f-%x", "组织", 42, 3.14159, 255u);
	assert_string_equal(p, "组织-42-003.1-ff");
	char *e = arena_printf(a, "%s", "");
	assert_string_equal(e, "");
	/* Output longer than a block still fits exactly. */
	char *big = arena_printf(a, "%*s|", 20000, "x");
	assert_int_equal(strlen(big), 20001);
	assert_int_equal(big[0], ' ');
	assert_int_equal(big[19999], 'x');
	assert_int_equal(big[20000], '|');
	assert_true(aligned(big));
	arena_free(a);
}

/* Records the order in which release callbacks ran. */
struct log_rec {
	int order[16];
	int n;
	int calls[16];
};

struct tag {
	struct log_rec *log;
	int id;
};

static void on_release(void *p)
{
	struct tag *t = p;
	assert_true(t->log->n < 16);
	t->log->order[t->log->n++] = t->id;
	t->log->calls[t->id]++;
}

static void test_release_newest_first_once(void **state)
{
	(void)state;
	struct log_rec log = {{0}, 0, {0}};
	struct arena *a = arena_new();
	for (int i = 0; i < 5; i++) {
		/* The tags live in the arena: callbacks must run before memory goes. */
		struct tag *t = arena_alloc(a, sizeof(*t));
		t->log = &log;
		t->id = i;
		arena_on_release(a, on_release, t);
		/* Interleave other allocations, including a big one. */
		arena_alloc(a, i == 2 ? 10000 : 40);
	}
	assert_int_equal(log.n, 0);
	arena_free(a);
	assert_int_equal(log.n, 5);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(log.order[i], 4 - i);
		assert_int_equal(log.calls[i], 1);
	}
}

static void free_heap(void *p)
{
	free(p);
}

/* The typical use: heap resources tied to the arena; ASan flags a leak. */
static void test_release_frees_heap_resources(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	for (int i = 0; i < 100; i++)
		arena_on_release(a, free_heap, xstrdup("owned by the arena"));
	arena_free(a);
}

static void test_xalloc_family(void **state)
{
	(void)state;
	char *s = xstrdup("数据");
	assert_string_equal(s, "数据");
	free(s);
	int *v = xcalloc(10, sizeof(*v));
	for (int i = 0; i < 10; i++)
		assert_int_equal(v[i], 0);
	v = xrealloc(v, 1000 * sizeof(*v));
	assert_int_equal(v[9], 0);
	v[999] = 7;
	assert_int_equal(v[999], 7);
	free(v);
	void *m = xmalloc(0);
	assert_non_null(m);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_and_free_empty),
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_many_small_allocs_distinct),
		cmocka_unit_test(test_alignment_every_size),
		cmocka_unit_test(test_zero_size_allocs_are_distinct),
		cmocka_unit_test(test_zero_fill_across_blocks),
		cmocka_unit_test(test_big_allocations_mixed_with_small),
		cmocka_unit_test(test_small_after_big_still_writable),
		cmocka_unit_test(test_strdup),
		cmocka_unit_test(test_strndup),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_release_newest_first_once),
		cmocka_unit_test(test_release_frees_heap_resources),
		cmocka_unit_test(test_xalloc_family),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

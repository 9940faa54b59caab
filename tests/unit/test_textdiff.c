/*
 * Unit tests for domain/textdiff.h: identical and empty texts, a changed
 * Chinese character shown as that character, inserted and deleted lines,
 * CRLF line ends, the reconstruction of both sides from random texts
 * (fixed seed), the size limit and the step budget, and invalid UTF-8.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/arena.h"
#include "core/str.h"
#include "domain/textdiff.h"

/*
 * Checks the pieces of a diff of from and to: valid ops, no empty text, no
 * two neighbours with the same op, and same+del giving from, same+ins
 * giving to.
 */
static void check_pieces(const json_t *arr, const char *from, const char *to)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	const char *last = "";
	size_t i;
	json_t *piece;

	assert_true(json_is_array(arr));
	json_array_foreach(arr, i, piece)
	{
		const char *op = json_string_value(json_object_get(piece, "op"));
		json_t *text = json_object_get(piece, "text");
		assert_non_null(op);
		assert_true(json_is_string(text));
		assert_int_equal(json_object_size(piece), 2);
		size_t n = json_string_length(text);
		assert_true(n > 0);
		if (!strcmp(op, last))
			fail_msg("two neighbouring pieces are both %s", op);
		last = op;
		if (!strcmp(op, "same")) {
			buf_append(&a, json_string_value(text), n);
			buf_append(&b, json_string_value(text), n);
		} else if (!strcmp(op, "del")) {
			buf_append(&a, json_string_value(text), n);
		} else if (!strcmp(op, "ins")) {
			buf_append(&b, json_string_value(text), n);
		} else {
			fail_msg("unknown op %s", op);
		}
	}
	assert_int_equal(a.len, strlen(from));
	assert_int_equal(b.len, strlen(to));
	if (a.len)
		assert_memory_equal(a.data, from, a.len);
	if (b.len)
		assert_memory_equal(b.data, to, b.len);
	buf_release(&a);
	buf_release(&b);
}

/* Diffs from and to, checks the pieces, and compares them with want, a
 * JSON text. */
static void expect(const char *from, const char *to, const char *want)
{
	json_t *got = NULL;
	assert_int_equal(textdiff_json(from, to, &got), ZRZ_OK);
	check_pieces(got, from ? from : "", to ? to : "");
	json_error_t e;
	json_t *w = json_loads(want, 0, &e);
	assert_non_null(w);
	if (!json_equal(got, w)) {
		char *s = json_dumps(got, JSON_ENSURE_ASCII);
		fail_msg("got %s\nwant %s", s, want);
	}
	json_decref(w);
	json_decref(got);
}

static void test_identical(void **state)
{
	(void)state;
	expect("第一行\n第二行\n", "第一行\n第二行\n",
	       "[{\"op\":\"same\",\"text\":\"第一行\\n第二行\\n\"}]");
	expect("没有换行", "没有换行", "[{\"op\":\"same\",\"text\":\"没有换行\"}]");
}

static void test_empty_sides(void **state)
{
	(void)state;
	expect("", "", "[]");
	expect(NULL, NULL, "[]");
	expect("", "新增的正文\n", "[{\"op\":\"ins\",\"text\":\"新增的正文\\n\"}]");
	expect(NULL, "x", "[{\"op\":\"ins\",\"text\":\"x\"}]");
	expect("删去的正文\n", "", "[{\"op\":\"del\",\"text\":\"删去的正文\\n\"}]");
	expect("y", NULL, "[{\"op\":\"del\",\"text\":\"y\"}]");
}

static void test_chinese_single_character(void **state)
{
	(void)state;
	expect("标题\n今天天气很好。\n结尾\n", "标题\n今天天气不好。\n结尾\n",
	       "[{\"op\":\"same\",\"text\":\"标题\\n今天天气\"},"
	       "{\"op\":\"del\",\"text\":\"很\"},{\"op\":\"ins\",\"text\":\"不\"},"
	       "{\"op\":\"same\",\"text\":\"好。\\n结尾\\n\"}]");
	/* Without any newline the whole text is one line. */
	expect("认真学习贯彻", "认真学习落实",
	       "[{\"op\":\"same\",\"text\":\"认真学习\"},"
	       "{\"op\":\"del\",\"text\":\"贯彻\"},{\"op\":\"ins\",\"text\":\"落实\"}]");
	/* A four-byte character (U+20000) is never split. */
	expect("甲\xf0\xa0\x80\x80乙", "甲\xf0\xa0\x80\x81乙",
	       "[{\"op\":\"same\",\"text\":\"甲\"},{\"op\":\"del\",\"text\":\"\\ud840\\udc00\"},"
	       "{\"op\":\"ins\",\"text\":\"\\ud840\\udc01\"},{\"op\":\"same\",\"text\":\"乙\"}]");
	/* One inserted character. */
	expect("加强学习\n", "加强理论学习\n",
	       "[{\"op\":\"same\",\"text\":\"加强\"},{\"op\":\"ins\",\"text\":\"理论\"},"
	       "{\"op\":\"same\",\"text\":\"学习\\n\"}]");
}

static void test_inserted_and_deleted_lines(void **state)
{
	(void)state;
	expect("一\n二\n三\n", "一\n二\n新\n三\n",
	       "[{\"op\":\"same\",\"text\":\"一\\n二\\n\"},{\"op\":\"ins\",\"text\":\"新\\n\"},"
	       "{\"op\":\"same\",\"text\":\"三\\n\"}]");
	expect("一\n二\n三\n四\n", "一\n四\n",
	       "[{\"op\":\"same\",\"text\":\"一\\n\"},{\"op\":\"del\",\"text\":\"二\\n三\\n\"},"
	       "{\"op\":\"same\",\"text\":\"四\\n\"}]");
	/* Lines inserted at the start and appended at the end. */
	expect("中\n", "首\n中\n尾\n",
	       "[{\"op\":\"ins\",\"text\":\"首\\n\"},{\"op\":\"same\",\"text\":\"中\\n\"},"
	       "{\"op\":\"ins\",\"text\":\"尾\\n\"}]");
	/* A line moved: one side kept, the other deleted and inserted. */
	expect("甲\n乙\n丙\n", "乙\n丙\n甲\n",
	       "[{\"op\":\"del\",\"text\":\"甲\\n\"},{\"op\":\"same\",\"text\":\"乙\\n丙\\n\"},"
	       "{\"op\":\"ins\",\"text\":\"甲\\n\"}]");
	/* A last line without newline that gains one. */
	expect("一\n二", "一\n二\n",
	       "[{\"op\":\"same\",\"text\":\"一\\n二\"},"
	       "{\"op\":\"ins\",\"text\":\"\\n\"}]");
}

static void test_crlf(void **state)
{
	(void)state;
	expect("一\r\n二\r\n三\r\n", "一\r\n二\r\n四\r\n",
	       "[{\"op\":\"same\",\"text\":\"一\\r\\n二\\r\\n\"},{\"op\":\"del\",\"text\":\"三\"},"
	       "{\"op\":\"ins\",\"text\":\"四\"},{\"op\":\"same\",\"text\":\"\\r\\n\"}]");
	/* Line ends converted: only the carriage returns go. */
	expect("甲\r\n乙\r\n", "甲\n乙\n",
	       "[{\"op\":\"same\",\"text\":\"甲\"},{\"op\":\"del\",\"text\":\"\\r\"},"
	       "{\"op\":\"same\",\"text\":\"\\n乙\"},{\"op\":\"del\",\"text\":\"\\r\"},"
	       "{\"op\":\"same\",\"text\":\"\\n\"}]");
}

/* A small deterministic generator, so failures can be reproduced. */
static uint64_t rng_state;

static uint32_t rng(uint32_t below)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % below);
}

static const char *const atoms[] = {
    "的", "学", "习", "a", "b", " ", "\n", "\r\n", "。", "\xf0\x9f\x98\x80", "党", "建"};

static void random_text(struct buf *b, size_t atoms_max)
{
	size_t n = rng((uint32_t)atoms_max + 1);
	b->len = 0;
	for (size_t i = 0; i < n; i++)
		buf_puts(b, atoms[rng(ZRZ_ARRAY_LEN(atoms))]);
	buf_append(b, "", 1);
	b->len--;
}

/* to derived from from by a few random edits of atoms. */
static void mutate(const struct buf *from, struct buf *to)
{
	to->len = 0;
	size_t i = 0;
	while (i < from->len) {
		uint32_t r = rng(20);
		size_t clen = 1;
		unsigned char c = (unsigned char)from->data[i];
		clen = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (r == 0) {
			i += clen; /* delete */
			continue;
		}
		if (r == 1)
			buf_puts(to, atoms[rng(ZRZ_ARRAY_LEN(atoms))]); /* insert */
		buf_append(to, from->data + i, clen);
		i += clen;
	}
	if (rng(3) == 0)
		buf_puts(to, atoms[rng(ZRZ_ARRAY_LEN(atoms))]);
	buf_append(to, "", 1);
	to->len--;
}

static void test_reconstruct_random(void **state)
{
	(void)state;
	struct buf a = BUF_INIT, b = BUF_INIT;
	rng_state = 0x5eed2026u;
	for (int round = 0; round < 2000; round++) {
		random_text(&a, round < 1000 ? 30 : 400);
		if (rng(4) == 0)
			random_text(&b, 400);
		else
			mutate(&a, &b);
		json_t *got = NULL;
		int rc = textdiff_json(a.data ? a.data : "", b.data ? b.data : "", &got);
		if (rc != ZRZ_OK)
			fail_msg("round %d: rc %d", round, rc);
		check_pieces(got, a.data ? a.data : "", b.data ? b.data : "");
		json_decref(got);
	}
	buf_release(&a);
	buf_release(&b);
}

static void test_budget(void **state)
{
	(void)state;
	struct buf a = BUF_INIT, b = BUF_INIT;
	/* Every other line in common and the rest different: tens of
	 * thousands of edits interleaved with matches are too costly. */
	for (int i = 0; i < 20000; i++) {
		buf_printf(&a, i % 2 ? "同\n" : "甲%d\n", i);
		buf_printf(&b, i % 2 ? "同\n" : "乙%d\n", i);
	}
	json_t *got = (json_t *)&got;
	assert_int_equal(textdiff_json(a.data, b.data, &got), ZRZ_ETOOBIG);
	assert_null(got);

	/* As many lines without a line in common cost nothing. */
	a.len = 0;
	b.len = 0;
	for (int i = 0; i < 20000; i++) {
		buf_printf(&a, "甲%d\n", i);
		buf_printf(&b, "乙%d\n", i);
	}
	assert_int_equal(textdiff_json(a.data, b.data, &got), ZRZ_OK);
	check_pieces(got, a.data, b.data);
	assert_int_equal(json_array_size(got), 2);
	json_decref(got);

	/* Identical long texts with one change near the middle are cheap. */
	a.len = 0;
	b.len = 0;
	for (int i = 0; i < 20000; i++) {
		buf_printf(&a, "第%d行\n", i);
		buf_printf(&b, i == 10000 ? "第%d列\n" : "第%d行\n", i);
	}
	assert_int_equal(textdiff_json(a.data, b.data, &got), ZRZ_OK);
	check_pieces(got, a.data, b.data);
	assert_int_equal(json_array_size(got), 4);
	json_decref(got);

	/* One line with every fourth character changed: in a short line each
	 * change shows by itself; in a long one the line comparison is cheap
	 * but the character one too costly, so the line is shown deleted and
	 * inserted whole. */
	for (int groups = 50; groups <= 5000; groups += 4950) {
		a.len = 0;
		b.len = 0;
		for (int i = 0; i < groups; i++) {
			buf_puts(&a, "甲同同同");
			buf_puts(&b, "乙同同同");
		}
		assert_int_equal(textdiff_json(a.data, b.data, &got), ZRZ_OK);
		check_pieces(got, a.data, b.data);
		if (groups == 50) {
			assert_int_equal(json_array_size(got), 3 * 50);
		} else {
			assert_int_equal(json_array_size(got), 2);
			assert_string_equal(
			    json_string_value(json_object_get(json_array_get(got, 0), "op")),
			    "del");
		}
		json_decref(got);
	}

	/* Over the size limit on either side. */
	a.len = 0;
	while (a.len <= TEXTDIFF_MAX_BYTES)
		buf_puts(&a, "这是很长的正文。\n");
	got = (json_t *)&got;
	assert_int_equal(textdiff_json(a.data, "短", &got), ZRZ_ETOOBIG);
	assert_null(got);
	assert_int_equal(textdiff_json("短", a.data, &got), ZRZ_ETOOBIG);
	assert_null(got);
	buf_release(&a);
	buf_release(&b);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "\xff",                /* never valid */
	    "\xe4\xb8",            /* cut short */
	    "\xc0\xaf",            /* overlong */
	    "\xed\xa0\x80",        /* surrogate */
	    "abc\xe4\xb8\x80\x80", /* stray continuation */
	    "a\x01"
	    "b", /* control character */
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		json_t *got = (json_t *)&got;
		assert_int_equal(textdiff_json(bad[i], "ok", &got), ZRZ_EINVAL);
		assert_null(got);
		got = (json_t *)&got;
		assert_int_equal(textdiff_json("ok", bad[i], &got), ZRZ_EINVAL);
		assert_null(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_identical),
	    cmocka_unit_test(test_empty_sides),
	    cmocka_unit_test(test_chinese_single_character),
	    cmocka_unit_test(test_inserted_and_deleted_lines),
	    cmocka_unit_test(test_crlf),
	    cmocka_unit_test(test_reconstruct_random),
	    cmocka_unit_test(test_budget),
	    cmocka_unit_test(test_invalid_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

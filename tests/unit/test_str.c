/*
 * Unit tests for core/str.h: the UTF-8 text check against well-formed and
 * ill-formed byte sequences (overlongs, surrogates, out of range, truncated,
 * stray continuation bytes, control characters), code point counting,
 * blank detection, the capped growable buffer, hex and integer parsing.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/str.h"

/* utf8_valid_text over a string literal, which may contain NUL bytes. */
#define VALID(lit) utf8_valid_text((lit), sizeof(lit) - 1)

static void test_utf8_accepts_ascii(void **state)
{
	(void)state;
	assert_true(VALID(""));
	assert_true(utf8_valid_text(NULL, 0));
	assert_true(VALID("Hello, world! 0123456789 ~{}[]"));
	assert_true(VALID(" "));
	assert_true(VALID("\x7e"));
}

static void test_utf8_accepts_chinese(void **state)
{
	(void)state;
	assert_true(VALID("中华人民共和国"));
	assert_true(VALID("党风廉政建设责任制，２０２６年度。"));
	/* U+0080, U+07FF, U+0800, U+FFFD, U+FFFF: edges of 2- and 3-byte forms */
	assert_true(VALID("\xc2\x80"));
	assert_true(VALID("\xdf\xbf"));
	assert_true(VALID("\xe0\xa0\x80"));
	assert_true(VALID("\xef\xbf\xbd"));
	assert_true(VALID("\xef\xbf\xbf"));
	/* U+D7FF and U+E000 sit just outside the surrogate range. */
	assert_true(VALID("\xed\x9f\xbf"));
	assert_true(VALID("\xee\x80\x80"));
}

static void test_utf8_accepts_four_byte(void **state)
{
	(void)state;
	assert_true(VALID("😀"));
	assert_true(VALID("\xf0\x9f\x98\x80"));
	assert_true(VALID("签字👍确认"));
	/* U+10000 and U+10FFFF, the first and last 4-byte code points */
	assert_true(VALID("\xf0\x90\x80\x80"));
	assert_true(VALID("\xf4\x8f\xbf\xbf"));
}

static void test_utf8_allows_tab_newline_cr(void **state)
{
	(void)state;
	assert_true(VALID("a\tb"));
	assert_true(VALID("第一行\n第二行"));
	assert_true(VALID("line\r\n"));
	assert_true(VALID("\t\r\n"));
}

static void test_utf8_rejects_overlong(void **state)
{
	(void)state;
	assert_false(VALID("\xc0\x80"));     /* NUL as two bytes */
	assert_false(VALID("\xc1\xbf"));     /* U+007F as two bytes */
	assert_false(VALID("\xc0\xaf"));     /* '/' as two bytes */
	assert_false(VALID("\xe0\x80\x80")); /* NUL as three bytes */
	assert_false(VALID("\xe0\x9f\xbf")); /* U+07FF as three bytes */
	assert_false(VALID("\xf0\x80\x80\x80"));
	assert_false(VALID("\xf0\x8f\xbf\xbf")); /* U+FFFF as four bytes */
	assert_false(VALID("ok\xc0\x80ok"));
}

static void test_utf8_rejects_surrogates(void **state)
{
	(void)state;
	assert_false(VALID("\xed\xa0\x80")); /* U+D800 */
	assert_false(VALID("\xed\xbf\xbf")); /* U+DFFF */
	assert_false(VALID("\xed\xa0\xbd\xed\xb8\x80")); /* CESU-8 pair */
}

static void test_utf8_rejects_above_max(void **state)
{
	(void)state;
	assert_false(VALID("\xf4\x90\x80\x80")); /* U+110000 */
	assert_false(VALID("\xf5\x80\x80\x80"));
	assert_false(VALID("\xf7\xbf\xbf\xbf"));
	assert_false(VALID("\xf8\x88\x80\x80\x80")); /* old 5-byte form */
	assert_false(VALID("\xfc\x84\x80\x80\x80\x80"));
	assert_false(VALID("\xfe"));
	assert_false(VALID("\xff"));
}

static void test_utf8_rejects_truncated(void **state)
{
	(void)state;
	assert_false(VALID("\xc3"));
	assert_false(VALID("\xe4\xb8"));
	assert_false(VALID("\xf0\x9f\x98"));
	assert_false(VALID("abc\xe4"));
	/* A sequence cut short by the next character, not by the end. */
	assert_false(VALID("\xe4\xb8" "a"));
	assert_false(VALID("\xf0\x9f" "ab"));
	assert_false(VALID("\xc3 "));
	/* The byte count decides: a valid string cut mid-character fails. */
	const char *s = "中文";
	assert_true(utf8_valid_text(s, 6));
	assert_false(utf8_valid_text(s, 5));
	assert_false(utf8_valid_text(s, 4));
	assert_true(utf8_valid_text(s, 3));
}

static void test_utf8_rejects_lone_continuation(void **state)
{
	(void)state;
	assert_false(VALID("\x80"));
	assert_false(VALID("\xbf"));
	assert_false(VALID("a\x80" "b"));
	assert_false(VALID("\xe4\xb8\xad\x80")); /* one too many */
	assert_false(VALID("\xc2\x80\x80"));
}

static void test_utf8_rejects_nul_and_controls(void **state)
{
	(void)state;
	assert_false(VALID("a\0b"));
	assert_false(VALID("\0"));
	assert_false(VALID("\x01"));
	assert_false(VALID("abc\x01"));
	assert_false(VALID("\x7f"));
	assert_false(VALID("删除\x7f"));
	assert_false(VALID("\x1b[31m"));
	assert_false(VALID("\x0b"));
	assert_false(VALID("\x0c"));
	assert_false(VALID("\x1f"));
	assert_false(VALID("\x08"));
}

/* Only n bytes are looked at; bad bytes beyond n do not matter. */
static void test_utf8_respects_length(void **state)
{
	(void)state;
	assert_true(utf8_valid_text("ab\x01", 2));
	assert_true(utf8_valid_text("ab\xff", 2));
	assert_false(utf8_valid_text("ab\xff", 3));
}

static void test_utf8_count(void **state)
{
	(void)state;
	assert_int_equal(utf8_count("", 0), 0);
	assert_int_equal(utf8_count("abc", 3), 3);
	assert_int_equal(utf8_count("中华人民共和国", strlen("中华人民共和国")), 7);
	assert_int_equal(strlen("中华人民共和国"), 21);
	assert_int_equal(utf8_count("😀", 4), 1);
	assert_int_equal(utf8_count("a中😀é", strlen("a中😀é")), 4);
	assert_int_equal(utf8_count("中文", 3), 1);
	assert_int_equal(utf8_count("\xc2\x80\xdf\xbf", 4), 2);
}

static void test_str_blank(void **state)
{
	(void)state;
	assert_true(str_blank(""));
	assert_true(str_blank(" "));
	assert_true(str_blank(" \t\r\n "));
	assert_true(str_blank("\xe3\x80\x80"));       /* U+3000 */
	assert_true(str_blank("　　"));               /* two U+3000 */
	assert_true(str_blank(" \xe3\x80\x80\t"));
	assert_false(str_blank("a"));
	assert_false(str_blank("  a  "));
	assert_false(str_blank("　中　"));
	assert_false(str_blank("\xe3\x80\x81")); /* U+3001 ideographic comma */
	assert_false(str_blank("\xe3\x80"));     /* truncated U+3000 */
	assert_false(str_blank("\xe3"));
	assert_false(str_blank("."));
}

static void test_buf_append_and_puts(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(buf_append(&b, "abc", 3), ZRZ_OK);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	assert_int_equal(buf_puts(&b, "中文"), ZRZ_OK);
	assert_int_equal(b.len, 9);
	assert_string_equal(b.data, "abc中文");
	assert_int_equal(buf_append(&b, "", 0), ZRZ_OK);
	assert_int_equal(b.len, 9);
	/* Binary data, including NUL, is kept byte for byte. */
	assert_int_equal(buf_append(&b, "\0x", 2), ZRZ_OK);
	assert_int_equal(b.len, 11);
	assert_memory_equal(b.data, "abc中文\0x", 12);
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
}

static void test_buf_grows_large(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		assert_int_equal(buf_append(&b, "0123456789", 10), ZRZ_OK);
	assert_int_equal(b.len, 100000);
	assert_true(b.alloc > b.len);
	assert_int_equal(b.data[b.len], '\0');
	for (size_t i = 0; i < b.len; i++)
		assert_int_equal(b.data[i], '0' + (int)(i % 10));
	buf_release(&b);
}

static void test_buf_printf(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(buf_printf(&b, "%d-%s", 7, "七"), ZRZ_OK);
	assert_string_equal(b.data, "7-七");
	assert_int_equal(b.len, 5);
	assert_int_equal(buf_printf(&b, "|%05d|%.2f", 42, 2.5), ZRZ_OK);
	assert_string_equal(b.data, "7-七|00042|2.50");
	assert_int_equal(b.len, strlen("7-七|00042|2.50"));
	/* Longer than the first allocation. */
	assert_int_equal(buf_printf(&b, "%*s", 1000, "z"), ZRZ_OK);
	assert_int_equal(b.len, strlen("7-七|00042|2.50") + 1000);
	assert_int_equal(b.data[b.len - 1], 'z');
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(buf_printf(&b, "%s", ""), ZRZ_OK);
	assert_int_equal(b.len, strlen("7-七|00042|2.50") + 1000);
	buf_release(&b);
}

static void test_buf_cap(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	b.cap = 10;
	assert_int_equal(buf_append(&b, "12345", 5), ZRZ_OK);
	assert_int_equal(buf_append(&b, "67890", 5), ZRZ_OK); /* exactly cap */
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "1234567890");
	char *before = b.data;
	size_t alloc = b.alloc;
	assert_int_equal(buf_append(&b, "x", 1), ZRZ_ETOOBIG);
	assert_int_equal(buf_puts(&b, "y"), ZRZ_ETOOBIG);
	assert_int_equal(buf_printf(&b, "%d", 1), ZRZ_ETOOBIG);
	/* Unchanged: same length, same bytes, same memory. */
	assert_int_equal(b.len, 10);
	assert_ptr_equal(b.data, before);
	assert_int_equal(b.alloc, alloc);
	assert_string_equal(b.data, "1234567890");
	/* An empty append still fits. */
	assert_int_equal(buf_append(&b, "", 0), ZRZ_OK);
	buf_release(&b);
}

static void test_buf_cap_partial_fit_rejected(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	b.cap = 8;
	assert_int_equal(buf_puts(&b, "abcdef"), ZRZ_OK);
	/* Only 2 bytes left: a 3-byte append fails whole, nothing is cut. */
	assert_int_equal(buf_puts(&b, "中"), ZRZ_ETOOBIG);
	assert_int_equal(buf_printf(&b, "%s", "xyz"), ZRZ_ETOOBIG);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.data, "abcdef");
	assert_int_equal(buf_puts(&b, "gh"), ZRZ_OK);
	assert_string_equal(b.data, "abcdefgh");
	buf_release(&b);

	struct buf e = BUF_INIT;
	e.cap = 4;
	assert_int_equal(buf_append(&e, "12345", 5), ZRZ_ETOOBIG);
	assert_int_equal(e.len, 0);
	assert_int_equal(buf_printf(&e, "%d", 12345), ZRZ_ETOOBIG);
	assert_int_equal(e.len, 0);
	buf_release(&e);
}

static void test_buf_detach(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(buf_puts(&b, "交给调用者"), ZRZ_OK);
	size_t n = 0;
	char *p = buf_detach(&b, &n);
	assert_non_null(p);
	assert_int_equal(n, strlen("交给调用者"));
	assert_string_equal(p, "交给调用者");
	/* The buffer is empty again and reusable; p belongs to us. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	assert_int_equal(buf_puts(&b, "again"), ZRZ_OK);
	assert_string_equal(b.data, "again");
	char *q = buf_detach(&b, NULL);
	assert_string_equal(q, "again");
	free(p);
	free(q);
}

/*
 * A buffer that never received a byte still detaches to a valid,
 * NUL-terminated empty string (the header promises NUL-terminated bytes).
 */
static void test_buf_detach_empty(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	size_t n = 99;
	char *p = buf_detach(&b, &n);
	assert_non_null(p);
	char first = p[0];
	free(p);
	assert_int_equal(n, 0);
	assert_int_equal(first, '\0');
}

static void test_buf_release_twice(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_release(&b);
	assert_int_equal(buf_puts(&b, "x"), ZRZ_OK);
	buf_release(&b);
	buf_release(&b);
	assert_null(b.data);
}

static void test_hex_encode(void **state)
{
	(void)state;
	char out[64];
	memset(out, 'X', sizeof(out));
	hex_encode((const unsigned char *)"", 0, out);
	assert_string_equal(out, "");
	static const unsigned char bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff};
	memset(out, 'X', sizeof(out));
	hex_encode(bytes, sizeof(bytes), out);
	assert_string_equal(out, "00017f80abcdefff");
	assert_int_equal(out[16], '\0');
	assert_int_equal(out[17], 'X'); /* writes exactly 2n+1 bytes */
	hex_encode((const unsigned char *)"中", 3, out);
	assert_string_equal(out, "e4b8ad");
}

static void test_str_to_int64_valid(void **state)
{
	(void)state;
	int64_t v = -1;
	assert_true(str_to_int64("0", &v));
	assert_int_equal(v, 0);
	assert_true(str_to_int64("42", &v));
	assert_int_equal(v, 42);
	assert_true(str_to_int64("-17", &v));
	assert_int_equal(v, -17);
	assert_true(str_to_int64("+5", &v));
	assert_int_equal(v, 5);
	assert_true(str_to_int64("007", &v));
	assert_int_equal(v, 7);
	assert_true(str_to_int64("9223372036854775807", &v));
	assert_true(v == INT64_MAX);
	assert_true(str_to_int64("-9223372036854775808", &v));
	assert_true(v == INT64_MIN);
}

static void test_str_to_int64_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"-",
		"+",
		"+-1",
		"--1",
		" 1",
		"1 ",
		"\t1",
		"1a",
		"a1",
		"0x10",
		"1.0",
		"1e3",
		"１２", /* full-width digits */
		"9223372036854775808",
		"-9223372036854775809",
		"99999999999999999999999",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		int64_t v = 12345;
		if (str_to_int64(bad[i], &v))
			fail_msg("accepted \"%s\"", bad[i]);
		/* A failed parse leaves the output alone. */
		assert_int_equal(v, 12345);
	}
	int64_t v = 1;
	assert_false(str_to_int64(NULL, &v));
	assert_int_equal(v, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_accepts_ascii),
		cmocka_unit_test(test_utf8_accepts_chinese),
		cmocka_unit_test(test_utf8_accepts_four_byte),
		cmocka_unit_test(test_utf8_allows_tab_newline_cr),
		cmocka_unit_test(test_utf8_rejects_overlong),
		cmocka_unit_test(test_utf8_rejects_surrogates),
		cmocka_unit_test(test_utf8_rejects_above_max),
		cmocka_unit_test(test_utf8_rejects_truncated),
		cmocka_unit_test(test_utf8_rejects_lone_continuation),
		cmocka_unit_test(test_utf8_rejects_nul_and_controls),
		cmocka_unit_test(test_utf8_respects_length),
		cmocka_unit_test(test_utf8_count),
		cmocka_unit_test(test_str_blank),
		cmocka_unit_test(test_buf_append_and_puts),
		cmocka_unit_test(test_buf_grows_large),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_buf_cap_partial_fit_rejected),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_buf_detach_empty),
		cmocka_unit_test(test_buf_release_twice),
		cmocka_unit_test(test_hex_encode),
		cmocka_unit_test(test_str_to_int64_valid),
		cmocka_unit_test(test_str_to_int64_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

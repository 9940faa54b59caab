/*
 * Unit tests for the multipart/form-data parser (src/http/multipart.c):
 * the boundary in the content type (plain, quoted, missing, repeated, too
 * long), parts with and without file names, filename*=UTF-8'' against
 * filename, quoted strings with escapes, a preamble and an epilogue, binary
 * data that holds CR, LF and "--" but not the delimiter, and the malformed
 * bodies that must give ZRZ_EBADREQ: bare LF line ends, a missing closing
 * delimiter, no Content-Disposition, no name, too many parts, headers over
 * the cap.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "http/http.h"

#define B "XyZ-b0undary"

struct parsed {
	struct arena *a;
	struct multipart_part *parts;
	int n;
	const char *why;
	int rc;
};

/* Parse a literal body (which may hold NUL bytes) with boundary B. */
static struct parsed parse_n(const char *body, size_t len, int max_parts)
{
	struct parsed p = {arena_new(), NULL, 0, NULL, 0};
	p.rc = http_multipart_parse(p.a, B, body, len, max_parts, &p.parts, &p.n, &p.why);
	return p;
}

#define PARSE(lit) parse_n((lit), sizeof(lit) - 1, 20)

static void test_boundary_from_content_type(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *b;
	assert_int_equal(http_multipart_boundary(a, "multipart/form-data; boundary=abc", &b),
			 ZRZ_OK);
	assert_string_equal(b, "abc");
	assert_int_equal(http_multipart_boundary(a, "Multipart/Form-Data;boundary=\"a b;c\"", &b),
			 ZRZ_OK);
	assert_string_equal(b, "a b;c");
	assert_int_equal(
	    http_multipart_boundary(a, "multipart/form-data; charset=utf-8; BOUNDARY=x1", &b),
	    ZRZ_OK);
	assert_string_equal(b, "x1");
	assert_int_equal(http_multipart_boundary(a, "application/json", &b), ZRZ_EMEDIA);
	assert_int_equal(http_multipart_boundary(a, "multipart/form-dataX; boundary=a", &b),
			 ZRZ_EMEDIA);
	assert_int_equal(http_multipart_boundary(a, NULL, &b), ZRZ_EMEDIA);
	assert_int_equal(http_multipart_boundary(a, "multipart/form-data", &b), ZRZ_EBADREQ);
	assert_int_equal(http_multipart_boundary(a, "multipart/form-data; boundary=", &b),
			 ZRZ_EBADREQ);
	assert_int_equal(http_multipart_boundary(a, "multipart/form-data; boundary=\"\"", &b),
			 ZRZ_EBADREQ);
	assert_int_equal(http_multipart_boundary(a, "multipart/form-data; boundary=\"abc", &b),
			 ZRZ_EBADREQ);
	assert_int_equal(
	    http_multipart_boundary(a, "multipart/form-data; boundary=a; boundary=b", &b),
	    ZRZ_EBADREQ);
	char longer[200];
	snprintf(longer, sizeof(longer), "multipart/form-data; boundary=%071d", 7);
	assert_int_equal(http_multipart_boundary(a, longer, &b), ZRZ_EBADREQ);
	snprintf(longer, sizeof(longer), "multipart/form-data; boundary=%070d", 7);
	assert_int_equal(http_multipart_boundary(a, longer, &b), ZRZ_OK);
	arena_free(a);
}

static void test_two_parts(void **state)
{
	(void)state;
	struct parsed p =
	    PARSE("--" B "\r\n"
		  "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
		  "Content-Type: image/png\r\n"
		  "\r\n"
		  "\x89PNG\r\n\x1a\n\0\0--" B "x\r\n"
		  "--" B "\r\n"
		  "content-disposition: form-data; name=note\r\n"
		  "\r\n"
		  "hello\r\n"
		  "--" B "--\r\n");
	assert_int_equal(p.rc, ZRZ_OK);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.parts[0].name, "file");
	assert_string_equal(p.parts[0].filename, "a.png");
	assert_string_equal(p.parts[0].type, "image/png");
	/* The data keeps its CR, LF, NUL and "--B" not preceded by CRLF. */
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0--" B "x";
	assert_int_equal(p.parts[0].len, sizeof(png) - 1);
	assert_memory_equal(p.parts[0].data, png, sizeof(png) - 1);
	assert_string_equal(p.parts[1].name, "note");
	assert_null(p.parts[1].filename);
	assert_null(p.parts[1].type);
	assert_int_equal(p.parts[1].len, 5);
	assert_memory_equal(p.parts[1].data, "hello", 5);
	arena_free(p.a);
}

static void test_empty_part_preamble_epilogue(void **state)
{
	(void)state;
	struct parsed p =
	    PARSE("this is a preamble\r\n"
		  "--" B "  \r\n"
		  "Content-Disposition: form-data; name=\"file\"; filename=\"e.txt\"\r\n"
		  "\r\n"
		  "\r\n"
		  "--" B "--\r\n"
		  "epilogue, ignored");
	assert_int_equal(p.rc, ZRZ_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.parts[0].len, 0);
	arena_free(p.a);
}

static void test_filenames(void **state)
{
	(void)state;
	/* RFC 5987 wins over the plain parameter, in either order. */
	struct parsed p =
	    PARSE("--" B "\r\n"
		  "Content-Disposition: form-data; filename*=UTF-8''%E5%8F%B0%E8%B4%A6"
		  "%20a.pdf; name=\"file\"; filename=\"fallback.pdf\"\r\n"
		  "\r\n"
		  "x\r\n"
		  "--" B "\r\n"
		  "Content-Disposition: form-data; name=\"file\"; "
		  "filename=\"say \\\"hi\\\" C:\\dir\\\\x.png\"\r\n"
		  "\r\n"
		  "y\r\n"
		  "--" B "\r\n"
		  "Content-Disposition: form-data; name=\"file\"; filename=\"台账.docx\"\r\n"
		  "\r\n"
		  "z\r\n"
		  "--" B "--");
	assert_int_equal(p.rc, ZRZ_OK);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.parts[0].filename, "台账 a.pdf");
	/* \" is a quote, \\ a backslash, any other backslash stays. */
	assert_string_equal(p.parts[1].filename, "say \"hi\" C:\\dir\\x.png");
	assert_string_equal(p.parts[2].filename, "台账.docx");
	arena_free(p.a);

	/* Another charset, or a bad escape, is refused. */
	p = PARSE("--" B "\r\nContent-Disposition: form-data; name=f; filename*=ISO-8859-1''a\r\n"
		  "\r\nx\r\n--" B "--");
	assert_int_equal(p.rc, ZRZ_EBADREQ);
	arena_free(p.a);
	p = PARSE("--" B "\r\nContent-Disposition: form-data; name=f; filename*=UTF-8''%E5%8\r\n"
		  "\r\nx\r\n--" B "--");
	assert_int_equal(p.rc, ZRZ_EBADREQ);
	arena_free(p.a);
}

static void expect_bad(const char *body, size_t len, int max_parts)
{
	struct parsed p = parse_n(body, len, max_parts);
	assert_int_equal(p.rc, ZRZ_EBADREQ);
	assert_non_null(p.why);
	assert_int_equal(p.n, 0);
	arena_free(p.a);
}

#define BAD(lit) expect_bad((lit), sizeof(lit) - 1, 20)

static void test_malformed(void **state)
{
	(void)state;
	/* Bare LF line ends. */
	BAD("--" B "\nContent-Disposition: form-data; name=f\n\nx\n--" B "--\n");
	BAD("--" B "\r\nContent-Disposition: form-data; name=f\n\r\n\r\nx\r\n--" B "--");
	/* No closing delimiter, or a truncated one. */
	BAD("--" B "\r\nContent-Disposition: form-data; name=f\r\n\r\nx");
	BAD("--" B "\r\nContent-Disposition: form-data; name=f\r\n\r\nx\r\n--" B);
	BAD("--" B "\r\nContent-Disposition: form-data; name=f\r\n\r\nx\r\n--" B "-");
	/* Headers that never end. */
	BAD("--" B "\r\nContent-Disposition: form-data; name=f\r\n");
	/* No delimiter at all, an empty body, only the closing delimiter. */
	BAD("just some text");
	BAD("");
	BAD("--" B "--\r\n");
	/* Junk after a delimiter. */
	BAD("--" B "junk\r\nContent-Disposition: form-data; name=f\r\n\r\nx\r\n--" B "--");
	/* No Content-Disposition, not form-data, no name, a repeated one. */
	BAD("--" B "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" B "--");
	BAD("--" B "\r\nContent-Disposition: attachment; name=f\r\n\r\nx\r\n--" B "--");
	BAD("--" B "\r\nContent-Disposition: form-data; filename=a\r\n\r\nx\r\n--" B "--");
	BAD("--" B "\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--" B "--");
	BAD("--" B "\r\nContent-Disposition: form-data; name=a\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\nx\r\n--" B "--");
	/* An unterminated quoted string, a header line without a colon. */
	BAD("--" B "\r\nContent-Disposition: form-data; name=\"f\r\n\r\nx\r\n--" B "--");
	BAD("--" B "\r\nContent-Disposition: form-data; name=f\r\nnocolon\r\n\r\nx\r\n--" B "--");
	/* More parts than allowed. */
	static const char two[] = "--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
				  "--" B "\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n"
				  "--" B "--";
	expect_bad(two, sizeof(two) - 1, 1);
	struct parsed p = parse_n(two, sizeof(two) - 1, 2);
	assert_int_equal(p.rc, ZRZ_OK);
	assert_int_equal(p.n, 2);
	arena_free(p.a);
}

static void test_header_cap(void **state)
{
	(void)state;
	size_t pad = 9000;
	char *body = xmalloc(pad + 200);
	int n = snprintf(body, 200, "--" B "\r\nContent-Disposition: form-data; name=f\r\nX-Pad: ");
	memset(body + n, 'a', pad);
	n += (int)pad;
	n += snprintf(body + n, 200, "\r\n\r\nx\r\n--" B "--");
	expect_bad(body, (size_t)n, 20);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_boundary_from_content_type),
	    cmocka_unit_test(test_two_parts),
	    cmocka_unit_test(test_empty_part_preamble_epilogue),
	    cmocka_unit_test(test_filenames),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_header_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for core/err.h: every code maps to the HTTP status and slug
 * that clients depend on, unknown codes fall back to 500 "internal", and
 * the table itself is consistent (unique codes and slugs, every message is
 * non-empty UTF-8 text).
 */
#include "core/common.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/str.h"

struct expect {
	int code;
	int status;
	const char *slug;
};

/*
 * Written out by hand from STYLE.md section 6 and the API contract, not
 * generated from ZRZ_ERRORS: a change in the table must show up here.
 */
static const struct expect expected[] = {
	{ZRZ_OK, 200, "ok"},
	{ZRZ_EBADREQ, 400, "bad_request"},
	{ZRZ_EUNAUTH, 401, "unauthorized"},
	{ZRZ_EFORBIDDEN, 403, "forbidden"},
	{ZRZ_ENOTFOUND, 404, "not_found"},
	{ZRZ_EMETHOD, 405, "method_not_allowed"},
	{ZRZ_ETIMEOUT, 408, "request_timeout"},
	{ZRZ_ECONFLICT, 409, "conflict"},
	{ZRZ_ETOOBIG, 413, "payload_too_large"},
	{ZRZ_EMEDIA, 415, "unsupported_media_type"},
	{ZRZ_EINVAL, 422, "invalid"},
	{ZRZ_ELOCKED, 423, "account_locked"},
	{ZRZ_ERATE, 429, "too_many_requests"},
	{ZRZ_EHEADER, 431, "header_too_large"},
	{ZRZ_EINTERNAL, 500, "internal"},
	{ZRZ_EUNAVAIL, 503, "unavailable"},
	{ZRZ_ECSRF, 403, "csrf_failed"},
	{ZRZ_EPWCHANGE, 403, "password_change_required"},
	{ZRZ_ESCHEMA, 500, "schema_too_new"},
	{ZRZ_EIO, 500, "io_error"},
	{ZRZ_EUNSUPPORTED, 501, "not_supported"},
	{ZRZ_ERETRY, 503, "retry"},
};

/* Every code of the table, through the X-macro. */
static const int all_codes[] = {
#define CODE(name, value, status, slug, msg) ZRZ_##name,
	ZRZ_ERRORS(CODE)
#undef CODE
};

static void test_ok_is_zero_errors_negative(void **state)
{
	(void)state;
	assert_int_equal(ZRZ_OK, 0);
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(all_codes); i++)
		if (all_codes[i] != ZRZ_OK)
			assert_true(all_codes[i] < 0);
	assert_int_equal(ZRZ_ROW, 1);
	assert_int_equal(ZRZ_DONE, 2);
}

static void test_each_code_status_and_slug(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(expected); i++) {
		const struct expect *e = &expected[i];
		if (zrz_err_status(e->code) != e->status)
			fail_msg("code %d: status %d, want %d", e->code, zrz_err_status(e->code),
				 e->status);
		assert_string_equal(zrz_err_slug(e->code), e->slug);
	}
}

static void test_named_examples(void **state)
{
	(void)state;
	assert_int_equal(zrz_err_status(ZRZ_ENOTFOUND), 404);
	assert_string_equal(zrz_err_slug(ZRZ_ENOTFOUND), "not_found");
	assert_int_equal(zrz_err_status(ZRZ_EINVAL), 422);
	assert_int_equal(zrz_err_status(ZRZ_ETOOBIG), 413);
	assert_int_equal(zrz_err_status(ZRZ_EHEADER), 431);
	assert_int_equal(zrz_err_status(ZRZ_ETIMEOUT), 408);
	assert_int_equal(zrz_err_status(ZRZ_ECONFLICT), 409);
	assert_int_equal(zrz_err_status(ZRZ_EBADREQ), 400);
}

/* The hand-written list above covers the whole table, no more, no less. */
static void test_expected_covers_table(void **state)
{
	(void)state;
	assert_int_equal(ZRZ_ARRAY_LEN(expected), ZRZ_ARRAY_LEN(all_codes));
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(all_codes); i++) {
		bool found = false;
		for (size_t j = 0; j < ZRZ_ARRAY_LEN(expected); j++)
			if (expected[j].code == all_codes[i])
				found = true;
		if (!found)
			fail_msg("code %d has no expectation", all_codes[i]);
	}
}

static void test_unknown_codes_are_internal(void **state)
{
	(void)state;
	static const int unknown[] = {-22, -99, -1000, INT_MIN, ZRZ_ROW, ZRZ_DONE, 3, 404, INT_MAX};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(unknown); i++) {
		assert_int_equal(zrz_err_status(unknown[i]), 500);
		assert_string_equal(zrz_err_slug(unknown[i]), "internal");
		assert_string_equal(zrz_err_message(unknown[i]), zrz_err_message(ZRZ_EINTERNAL));
	}
}

static void test_codes_unique(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(all_codes); i++)
		for (size_t j = i + 1; j < ZRZ_ARRAY_LEN(all_codes); j++)
			if (all_codes[i] == all_codes[j])
				fail_msg("code %d appears twice", all_codes[i]);
}

static void test_slugs_unique_and_wellformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(all_codes); i++) {
		const char *s = zrz_err_slug(all_codes[i]);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
		for (const char *p = s; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
				fail_msg("slug \"%s\" has '%c'", s, *p);
		for (size_t j = i + 1; j < ZRZ_ARRAY_LEN(all_codes); j++)
			if (strcmp(s, zrz_err_slug(all_codes[j])) == 0)
				fail_msg("slug \"%s\" used by %d and %d", s, all_codes[i], all_codes[j]);
	}
}

static void test_statuses_are_http(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(all_codes); i++) {
		int st = zrz_err_status(all_codes[i]);
		if (all_codes[i] == ZRZ_OK)
			assert_int_equal(st, 200);
		else
			assert_true(st >= 400 && st <= 599);
	}
}

static void test_messages_are_text(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(all_codes); i++) {
		const char *m = zrz_err_message(all_codes[i]);
		assert_non_null(m);
		assert_true(strlen(m) > 0);
		assert_true(utf8_valid_text(m, strlen(m)));
		assert_false(str_blank(m));
	}
	assert_string_equal(zrz_err_message(ZRZ_ENOTFOUND), "请求的对象不存在");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok_is_zero_errors_negative),
		cmocka_unit_test(test_each_code_status_and_slug),
		cmocka_unit_test(test_named_examples),
		cmocka_unit_test(test_expected_covers_table),
		cmocka_unit_test(test_unknown_codes_are_internal),
		cmocka_unit_test(test_codes_unique),
		cmocka_unit_test(test_slugs_unique_and_wellformed),
		cmocka_unit_test(test_statuses_are_http),
		cmocka_unit_test(test_messages_are_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for the checks of domain/notice.h that need no database: the
 * fields of a notify channel (kinds, webhook URLs, e-mail lists, the DingTalk
 * secret) and the splitting of an e-mail list into addresses.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "domain/notice.h"

static int check(const char *kind, const char *target, const char *secret, const char **field)
{
	struct notify_channel c = {0};
	c.kind = kind;
	c.name = "办公室群";
	c.target = target;
	c.secret = secret;
	struct derr e = {0};
	int rc = channel_check(&c, &e);
	*field = e.field;
	return rc;
}

static void test_webhook_urls(void **state)
{
	(void)state;
	const char *f;
	assert_int_equal(check("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1",
			       NULL, &f),
			 ZRZ_OK);
	assert_int_equal(check("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=x",
			       "SECabc", &f),
			 ZRZ_OK);
	assert_int_equal(check("wecom", "http://127.0.0.1:8099/hook", NULL, &f), ZRZ_OK);
	static const char *const bad[] = {
		"ftp://example.org/x", "http:///x", "https://", "example.org/x",
		"javascript:alert(1)", "file:///etc/passwd", "http://exa mple.org/",
		"http://example.org/\r\nX: 1", "HTTP//example.org", "",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		assert_int_equal(check("wecom", bad[i], NULL, &f), ZRZ_EINVAL);
		assert_string_equal(f, "target");
	}
}

static void test_kinds_and_secret(void **state)
{
	(void)state;
	const char *f;
	assert_int_equal(check("sms", "https://example.org/", NULL, &f), ZRZ_EINVAL);
	assert_string_equal(f, "kind");
	assert_int_equal(check(NULL, "https://example.org/", NULL, &f), ZRZ_EINVAL);
	assert_int_equal(check("wecom", "https://example.org/", "SECabc", &f), ZRZ_EINVAL);
	assert_string_equal(f, "secret");
	assert_int_equal(check("email", "a@example.org", "SECabc", &f), ZRZ_EINVAL);
	assert_int_equal(check("dingtalk", "https://example.org/", "密钥", &f), ZRZ_EINVAL);
	assert_string_equal(f, "secret");
	assert_int_equal(check("dingtalk", "https://example.org/", "a b", &f), ZRZ_EINVAL);
	assert_int_equal(check("dingtalk", "https://example.org/", "", &f), ZRZ_EINVAL);
}

static int seen;
static char last[64];

static void count(void *ctx, const char *addr, size_t n)
{
	(void)ctx;
	seen++;
	snprintf(last, sizeof(last), "%.*s", (int)n, addr);
}

static void test_email_lists(void **state)
{
	(void)state;
	const char *f;
	assert_int_equal(check("email", "a@example.org", NULL, &f), ZRZ_OK);
	assert_int_equal(check("email", "a.b+tag@mail.example.org, c_d@example.com", NULL, &f),
			 ZRZ_OK);
	seen = 0;
	assert_int_equal(channel_emails(" a@example.org ,  b@example.org", count, NULL), 2);
	assert_int_equal(seen, 2);
	assert_string_equal(last, "b@example.org");
	static const char *const bad[] = {
		"a", "a@b", "@example.org", "a@example.org,", "a@example.org;b@example.org",
		"a..b@example.org", ".a@example.org", "a.@example.org", "a@.example.org",
		"a@example..org", "<a@example.org>", "a@example.org\r\nBcc: x@y.org",
		"王@example.org", "a b@example.org", "a@-example.org", "a@example.org-",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		assert_int_equal(channel_emails(bad[i], NULL, NULL), -1);
		assert_int_equal(check("email", bad[i], NULL, &f), ZRZ_EINVAL);
		assert_string_equal(f, "target");
	}
	char many[1024] = "";
	size_t off = 0;
	for (int i = 0; i < 21; i++)
		off += (size_t)snprintf(many + off, sizeof(many) - off, "%su%d@example.org",
					i ? "," : "", i);
	assert_int_equal(channel_emails(many, NULL, NULL), 21);
	assert_int_equal(check("email", many, NULL, &f), ZRZ_EINVAL);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_webhook_urls),
		cmocka_unit_test(test_kinds_and_secret),
		cmocka_unit_test(test_email_lists),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}

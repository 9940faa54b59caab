/*
 * Unit tests for auth/password.h (the policy, generated passwords, argon2id
 * hashing) and auth/scope.h (role bits and what a principal's grants cover).
 * Hashing costs tens of milliseconds each, so only a handful of hashes are
 * made; the scope checks are pure and run on principals built by hand.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sodium.h>

#include "auth/password.h"
#include "auth/scope.h"
#include "core/str.h"

/* ---- password_policy ---- */

/* A message a person can read: non-empty valid UTF-8 with Chinese in it. */
static void assert_chinese_message(const char *msg)
{
	assert_non_null(msg);
	size_t n = strlen(msg);
	assert_true(n > 0);
	assert_true(utf8_valid_text(msg, n));
	bool wide = false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)msg[i] >= 0x80)
			wide = true;
	assert_true(wide);
}

/* s repeated count times into buf (which must be large enough). */
static const char *repeat(char *buf, size_t cap, const char *prefix, const char *s, int count)
{
	size_t len = (size_t)snprintf(buf, cap, "%s", prefix);
	for (int i = 0; i < count; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s", s);
	assert_true(len < cap);
	return buf;
}

static void test_policy_accepts(void **state)
{
	(void)state;
	assert_null(password_policy("zhangsan", "Abcdef12"));
	assert_null(password_policy("zhangsan", "abcdef1!"));
	assert_null(password_policy("zhangsan", "密码Abc123"));
	assert_null(password_policy(NULL, "Abcdef12"));
	assert_null(password_policy("zhangsan", "ABCDEF1!"));
	assert_null(password_policy("zhangsan", "Zhangsan1!"));
	/* Spaces are "other" characters, and fine. */
	assert_null(password_policy("zhangsan", "correct horse 7B"));
}

static void test_policy_length_bounds(void **state)
{
	(void)state;
	char buf[1024];
	/* Exactly 8 and exactly 128 characters pass. */
	assert_null(password_policy(NULL, "Abcdef1!"));
	assert_null(password_policy(NULL, repeat(buf, sizeof(buf), "Aa1", "x", 125)));
	assert_int_equal(strlen(buf), 128);
	/* Characters are counted, not bytes: 126 Chinese characters and two
	 * more make 128 characters in 380 bytes. */
	assert_null(password_policy(NULL, repeat(buf, sizeof(buf), "A1", "密", 126)));

	const char *short_msg = password_policy(NULL, "Abcde1!");
	assert_chinese_message(short_msg);
	/* 7 characters in 15 bytes are still too short. */
	assert_string_equal(password_policy(NULL, "密码密码Ab1"), short_msg);
	assert_string_equal(password_policy(NULL, ""), short_msg);

	const char *long_msg = password_policy(NULL, repeat(buf, sizeof(buf), "Aa1", "x", 126));
	assert_int_equal(strlen(buf), 129);
	assert_chinese_message(long_msg);
	assert_string_not_equal(long_msg, short_msg);
	assert_string_equal(password_policy(NULL, repeat(buf, sizeof(buf), "A1", "密", 127)),
			    long_msg);
}

static void test_policy_needs_three_classes(void **state)
{
	(void)state;
	const char *msg = password_policy(NULL, "abcdefgh12");
	assert_chinese_message(msg);
	assert_string_equal(password_policy(NULL, "ABCDEFGHIJ"), msg);
	assert_string_equal(password_policy(NULL, "abcdefghij"), msg);
	assert_string_equal(password_policy(NULL, "12345678!@"), msg);
	assert_string_equal(password_policy(NULL, "ABCDEFGH12"), msg);
	assert_string_equal(password_policy(NULL, "密码密码abcdef"), msg);
	assert_string_not_equal(msg, password_policy(NULL, "Abcde1!"));
}

static void test_policy_rejects_login(void **state)
{
	(void)state;
	const char *msg = password_policy("Zhang.San1", "Zhang.San1");
	assert_chinese_message(msg);
	/* Case does not make it a different password. */
	assert_string_equal(password_policy("Zhang.San1", "zhang.san1"), msg);
	assert_string_equal(password_policy("zhang.san1", "ZHANG.SAN1"), msg);
	assert_string_not_equal(msg, password_policy(NULL, "abcdefgh12"));
	/* Containing the login is not the same as being it. */
	assert_null(password_policy("Zhang.San1", "Zhang.San12"));
}

static void test_policy_rejects_bad_text(void **state)
{
	(void)state;
	const char *msg = password_policy(NULL, "Abcdef12\xff");
	assert_chinese_message(msg);
	static const char *const bad[] = {
		"Abc\xc3\x28" "def1",  /* a lead byte without its continuation */
		"Abcdef1\xc0\xaf",     /* overlong '/' */
		"Abcdef12\xe5\xaf",    /* truncated at the end */
		"Abcd\xed\xa0\x80" "ef1", /* a surrogate */
		"Abcdef12\n",
		"Abc\tdef12",
		"Abcdef12\r",
		"Abcd\x01" "ef12",
		"Abcd\x7f" "ef12",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		const char *m = password_policy(NULL, bad[i]);
		if (!m || strcmp(m, msg) != 0)
			fail_msg("password %zu: got %s", i, m ? m : "(accepted)");
	}
	assert_string_not_equal(msg, password_policy(NULL, "Abcde1!"));
	assert_string_not_equal(msg, password_policy(NULL, "abcdefgh12"));
}

/* ---- password_generate ---- */

static void test_generate(void **state)
{
	(void)state;
	enum { N = 100, LEN = 16 };
	static char pw[N][LEN + 1];
	for (int i = 0; i < N; i++) {
		memset(pw[i], 'x', sizeof(pw[i]));
		password_generate(pw[i], sizeof(pw[i]));
		assert_int_equal(strlen(pw[i]), LEN);
		const char *m = password_policy(NULL, pw[i]);
		if (m)
			fail_msg("generated \"%s\" fails the policy: %s", pw[i], m);
		if (strpbrk(pw[i], "0O1lI"))
			fail_msg("generated \"%s\" has a confusable character", pw[i]);
		for (int k = 0; k < LEN; k++)
			assert_true(pw[i][k] > 0x20 && pw[i][k] < 0x7f);
	}
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			if (!strcmp(pw[i], pw[j]))
				fail_msg("passwords %d and %d are both \"%s\"", i, j, pw[i]);
}

static void test_generate_smallest(void **state)
{
	(void)state;
	char pw[13];
	for (int i = 0; i < 20; i++) {
		password_generate(pw, sizeof(pw));
		assert_int_equal(strlen(pw), 12);
		assert_null(password_policy(NULL, pw));
	}
}

/* ---- hashing ---- */

static void test_hash_and_verify(void **state)
{
	(void)state;
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("Abcdef12!", h1), ZRZ_OK);
	assert_true(strlen(h1) < PASSWORD_HASH_MAX);
	assert_memory_equal(h1, "$argon2id$", 10);
	/* No password in the clear. */
	assert_null(strstr(h1, "Abcdef12!"));
	assert_true(password_verify(h1, "Abcdef12!"));
	assert_false(password_verify(h1, "abcdef12!"));
	assert_false(password_needs_rehash(h1));
	/* A fresh salt each time. */
	assert_int_equal(password_hash("Abcdef12!", h2), ZRZ_OK);
	assert_string_not_equal(h1, h2);
}

static void test_verify_unknown_user(void **state)
{
	(void)state;
	/* The dummy path: no hash means no user, whatever the password,
	 * including the one the dummy hash was made from. */
	assert_false(password_verify(NULL, "Abcdef12!"));
	assert_false(password_verify(NULL, "zerenzhi-no-such-user"));
}

static void test_verify_malformed_hash(void **state)
{
	(void)state;
	assert_false(password_verify("", "Abcdef12!"));
	assert_false(password_verify("not a hash", "Abcdef12!"));
	assert_false(password_verify("$argon2id$v=19$m=65536,t=2,p=1$", "Abcdef12!"));
}

static void test_weaker_hash_needs_rehash(void **state)
{
	(void)state;
	/* A hash made with smaller limits than ours (cheap to make) still
	 * verifies, and asks to be upgraded. */
	char weak[crypto_pwhash_STRBYTES];
	assert_int_equal(crypto_pwhash_str_alg(weak, "Abcdef12!", 9, crypto_pwhash_OPSLIMIT_MIN,
					       crypto_pwhash_MEMLIMIT_MIN,
					       crypto_pwhash_ALG_ARGON2ID13),
			 0);
	assert_true(password_verify(weak, "Abcdef12!"));
	assert_true(password_needs_rehash(weak));
}

/* ---- role_bit ---- */

static void test_role_bit(void **state)
{
	(void)state;
	assert_int_equal(role_bit("sysadmin"), ROLE_SYSADMIN);
	assert_int_equal(role_bit("secadmin"), ROLE_SECADMIN);
	assert_int_equal(role_bit("auditor"), ROLE_AUDITOR);
	assert_int_equal(role_bit("secretary"), ROLE_SECRETARY);
	assert_int_equal(role_bit("leader"), ROLE_LEADER);
	assert_int_equal(role_bit("office"), ROLE_OFFICE);
	assert_int_equal(role_bit("member"), ROLE_MEMBER);
	assert_int_equal(role_bit("viewer"), ROLE_VIEWER);
	unsigned all = 0;
	static const char *const roles[] = {"sysadmin", "secadmin", "auditor", "secretary",
					    "leader",   "office",   "member",  "viewer"};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(roles); i++) {
		unsigned b = role_bit(roles[i]);
		assert_int_equal(b & (b - 1), 0); /* one bit */
		assert_int_equal(all & b, 0);     /* distinct */
		all |= b;
	}
	assert_int_equal(all, ROLE_ANY);
	assert_int_equal(role_bit(""), 0);
	assert_int_equal(role_bit("root"), 0);
	assert_int_equal(role_bit("Sysadmin"), 0);
	assert_int_equal(role_bit("sysadmin "), 0);
}

/* ---- scope ---- */

#define GRANT(r, s, p) {.role = (r), .scope = (s), .org_path = (p)}

static struct principal principal_of(struct grant *g, int n)
{
	struct principal p = {
		.user = {.id = 42, .login = "tester"},
		.grants = g,
		.ngrants = n,
		.actor = {42, "127.0.0.1"},
	};
	return p;
}

static void test_self_grant_covers_only_its_unit(void **state)
{
	(void)state;
	struct grant g[] = {GRANT("secretary", "self", "/1/3/")};
	struct principal p = principal_of(g, 1);
	assert_true(scope_can(&p, "/1/3/", ROLE_SECRETARY));
	assert_true(scope_sees(&p, "/1/3/"));
	assert_false(scope_can(&p, "/1/3/7/", ROLE_SECRETARY));
	assert_false(scope_sees(&p, "/1/3/7/"));
	assert_false(scope_sees(&p, "/1/"));
	assert_false(scope_sees(&p, "/1/4/"));
	assert_false(scope_sees(&p, "/1/30/"));
	assert_false(scope_sees(&p, "/"));
	assert_false(scope_sees(&p, ""));
	/* The wrong role sees the unit but cannot act on it. */
	assert_false(scope_can(&p, "/1/3/", ROLE_SYSADMIN));
}

static void test_subtree_grant_covers_descendants(void **state)
{
	(void)state;
	struct grant g[] = {GRANT("sysadmin", "subtree", "/1/3/")};
	struct principal p = principal_of(g, 1);
	assert_true(scope_can(&p, "/1/3/", ROLE_SYSADMIN));
	assert_true(scope_can(&p, "/1/3/7/", ROLE_SYSADMIN));
	assert_true(scope_can(&p, "/1/3/7/12/", ROLE_SYSADMIN));
	assert_true(scope_sees(&p, "/1/3/7/"));
	/* Not the parent, not a sibling, not another root. */
	assert_false(scope_sees(&p, "/1/"));
	assert_false(scope_sees(&p, "/1/4/"));
	assert_false(scope_sees(&p, "/2/"));
	assert_false(scope_sees(&p, "/"));
}

static void test_subtree_grant_not_a_string_prefix(void **state)
{
	(void)state;
	/* "/10/" starts with the characters "/1" but is not under "/1/". */
	struct grant g[] = {GRANT("auditor", "subtree", "/1/")};
	struct principal p = principal_of(g, 1);
	assert_true(scope_sees(&p, "/1/"));
	assert_true(scope_sees(&p, "/1/3/"));
	assert_false(scope_sees(&p, "/10/"));
	assert_false(scope_sees(&p, "/10/1/"));
	assert_false(scope_sees(&p, "/11/"));
	assert_false(scope_sees(&p, "/2/1/"));
	assert_false(scope_covers_subtree(&p, "/10/", ROLE_ANY));
	assert_false(scope_covers_subtree(&p, "/100/1/", ROLE_AUDITOR));
	assert_true(scope_covers_subtree(&p, "/1/", ROLE_AUDITOR));

	struct grant g3[] = {GRANT("auditor", "subtree", "/1/3/")};
	struct principal p3 = principal_of(g3, 1);
	assert_false(scope_sees(&p3, "/1/30/"));
	assert_false(scope_sees(&p3, "/1/31/5/"));
	assert_false(scope_covers_subtree(&p3, "/1/30/", ROLE_ANY));
	assert_true(scope_sees(&p3, "/1/3/30/"));
}

static void test_covers_subtree(void **state)
{
	(void)state;
	struct grant g[] = {
		GRANT("sysadmin", "self", "/2/"),
		GRANT("leader", "subtree", "/5/"),
	};
	struct principal p = principal_of(g, 2);
	/* A self grant never covers the subtree, not even its own unit's. */
	assert_false(scope_covers_subtree(&p, "/2/", ROLE_SYSADMIN));
	assert_false(scope_covers_subtree(&p, "/2/", ROLE_ANY));
	assert_false(scope_covers_subtree(&p, "/2/9/", ROLE_ANY));
	assert_true(scope_can(&p, "/2/", ROLE_SYSADMIN));
	/* A subtree grant does, for its roles only. */
	assert_true(scope_covers_subtree(&p, "/5/", ROLE_LEADER));
	assert_true(scope_covers_subtree(&p, "/5/8/", ROLE_LEADER));
	assert_true(scope_covers_subtree(&p, "/5/8/", ROLE_ANY));
	assert_false(scope_covers_subtree(&p, "/5/", ROLE_SYSADMIN));
	assert_false(scope_covers_subtree(&p, "/", ROLE_ANY));
	assert_false(scope_covers_subtree(&p, "/6/", ROLE_ANY));
}

static void test_role_masks(void **state)
{
	(void)state;
	struct grant g[] = {
		GRANT("secretary", "self", "/2/"),
		GRANT("leader", "subtree", "/5/"),
		GRANT("member", "self", "/5/8/"),
	};
	struct principal p = principal_of(g, 3);
	assert_false(scope_can(&p, "/2/", ROLE_SYSADMIN));
	assert_true(scope_can(&p, "/2/", ROLE_SYSADMIN | ROLE_SECRETARY));
	assert_true(scope_can(&p, "/2/", ROLE_ANY));
	assert_false(scope_can(&p, "/2/", ROLE_ANY & ~ROLE_SECRETARY));
	assert_false(scope_can(&p, "/5/8/", ROLE_SECRETARY));
	assert_true(scope_can(&p, "/5/8/", ROLE_LEADER | ROLE_VIEWER));
	assert_true(scope_can(&p, "/5/8/", ROLE_MEMBER));
	/* The member grant is self: it does not reach below /5/8/, but the
	 * leader grant does. */
	assert_true(scope_can(&p, "/5/8/1/", ROLE_LEADER | ROLE_MEMBER));
	assert_false(scope_can(&p, "/5/8/1/", ROLE_MEMBER));
	assert_false(scope_can(&p, "/5/", 0));

	assert_true(scope_has_role(&p, ROLE_SECRETARY));
	assert_true(scope_has_role(&p, ROLE_SYSADMIN | ROLE_MEMBER));
	assert_true(scope_has_role(&p, ROLE_ANY));
	assert_false(scope_has_role(&p, ROLE_SYSADMIN));
	assert_false(scope_has_role(&p, ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR));
	assert_false(scope_has_role(&p, 0));
}

static void test_unknown_role_grants_nothing(void **state)
{
	(void)state;
	struct grant g[] = {GRANT("superuser", "subtree", "/1/")};
	struct principal p = principal_of(g, 1);
	assert_false(scope_sees(&p, "/1/"));
	assert_false(scope_can(&p, "/1/", ROLE_ANY));
	assert_false(scope_covers_subtree(&p, "/1/", ROLE_ANY));
	assert_false(scope_has_role(&p, ROLE_ANY));
}

static void test_no_grants_sees_nothing(void **state)
{
	(void)state;
	struct principal p = principal_of(NULL, 0);
	static const char *const paths[] = {"/", "/1/", "/1/3/", "/2/"};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(paths); i++) {
		assert_false(scope_sees(&p, paths[i]));
		assert_false(scope_can(&p, paths[i], ROLE_ANY));
		assert_false(scope_covers_subtree(&p, paths[i], ROLE_ANY));
	}
	assert_false(scope_has_role(&p, ROLE_ANY));
}

static void test_null_path(void **state)
{
	(void)state;
	struct grant g[] = {
		GRANT("sysadmin", "subtree", "/"),
		GRANT("viewer", "self", "/1/"),
	};
	struct principal p = principal_of(g, 2);
	assert_true(scope_sees(&p, "/1/"));
	assert_false(scope_can(&p, NULL, ROLE_ANY));
	assert_false(scope_sees(&p, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_accepts),
		cmocka_unit_test(test_policy_length_bounds),
		cmocka_unit_test(test_policy_needs_three_classes),
		cmocka_unit_test(test_policy_rejects_login),
		cmocka_unit_test(test_policy_rejects_bad_text),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_generate_smallest),
		cmocka_unit_test(test_hash_and_verify),
		cmocka_unit_test(test_verify_unknown_user),
		cmocka_unit_test(test_verify_malformed_hash),
		cmocka_unit_test(test_weaker_hash_needs_rehash),
		cmocka_unit_test(test_role_bit),
		cmocka_unit_test(test_self_grant_covers_only_its_unit),
		cmocka_unit_test(test_subtree_grant_covers_descendants),
		cmocka_unit_test(test_subtree_grant_not_a_string_prefix),
		cmocka_unit_test(test_covers_subtree),
		cmocka_unit_test(test_role_masks),
		cmocka_unit_test(test_unknown_role_grants_nothing),
		cmocka_unit_test(test_no_grants_sees_nothing),
		cmocka_unit_test(test_null_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Password hashing and policy.  The hash of a dummy password is computed
 * once, on first use, so that logins of unknown names still pay for one
 * argon2id verification.
 */
#include "core/common.h"
#include "core/str.h"
#include "auth/password.h"

#include <pthread.h>
#include <sodium.h>
#include <strings.h>

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void make_dummy(void)
{
	if (crypto_pwhash_str(dummy_hash, "zerenzhi-no-such-user", 21,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer");
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ZRZ_EINTERNAL;
	return ZRZ_OK;
}

bool password_verify(const char *hash, const char *pw)
{
	if (!hash) {
		pthread_once(&dummy_once, make_dummy);
		if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw)) == 0)
			return false; /* the dummy's password; still no such user */
		return false;
	}
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

bool password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

const char *password_policy(const char *login, const char *pw)
{
	size_t n = strlen(pw);
	if (!utf8_valid_text(pw, n) || strpbrk(pw, "\r\n\t"))
		return "密码含有无效字符";
	size_t chars = utf8_count(pw, n);
	if (chars < 8)
		return "密码至少需要 8 个字符";
	if (chars > PASSWORD_MAX_CHARS)
		return "密码不能超过 128 个字符";
	int lower = 0, upper = 0, digit = 0, other = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)pw[i];
		if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else
			other = 1;
	}
	if (lower + upper + digit + other < 3)
		return "密码需包含小写字母、大写字母、数字、其他符号中的至少三类";
	if (login && !strcasecmp(login, pw))
		return "密码不能与登录名相同";
	return NULL;
}

void password_generate(char *out, size_t n)
{
	/* No 0/O, 1/l/I: people copy these from paper. */
	static const char *const classes[] = {"abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ",
					      "23456789", "#%+=@"};
	size_t len = n - 1;
	for (;;) {
		for (size_t i = 0; i < len; i++) {
			/* Mostly letters and digits, a symbol now and then. */
			uint32_t pick = randombytes_uniform(10);
			const char *set = classes[pick < 4 ? 0 : pick < 7 ? 1 : pick < 9 ? 2 : 3];
			out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
		}
		out[len] = '\0';
		if (!password_policy(NULL, out))
			return;
	}
}

/*
 * Passwords: argon2id hashes (libsodium's crypto_pwhash_str with its
 * "interactive" limits), the password policy, and generated passwords.
 */
#ifndef ZRZ_AUTH_PASSWORD_H
#define ZRZ_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX 128
#define PASSWORD_MAX_CHARS 128

/* Hash pw into out; ZRZ_EINTERNAL if libsodium cannot allocate its memory. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/* Constant work whether or not hash is NULL (an unknown login), so the time
 * of an answer does not tell which logins exist. */
bool password_verify(const char *hash, const char *pw);

bool password_needs_rehash(const char *hash);

/*
 * NULL when pw satisfies the policy: 8..128 characters of valid text, from
 * at least three of lowercase, uppercase, digits and other characters, and
 * not the login itself.  Otherwise a Chinese sentence saying what is missing.
 */
const char *password_policy(const char *login, const char *pw);

/* A random password of n-1 characters that satisfies the policy (n >= 13). */
void password_generate(char *out, size_t n);

#endif

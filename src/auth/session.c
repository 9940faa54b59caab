/*
 * Sessions and logins.  The password check (argon2id, tens of milliseconds)
 * runs before the write transaction, so it never holds the writer lock; the
 * failure counter is then re-read inside the transaction so that concurrent
 * wrong guesses all count.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "auth/password.h"
#include "auth/session.h"
#include "domain/audit.h"
#include "domain/user.h"
#include "store/repo.h"

#include <sodium.h>

#define TOKEN_BYTES 32

static void random_token(char *out, size_t n)
{
	unsigned char raw[TOKEN_BYTES];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, n, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

static bool token_wellformed(const char *t)
{
	size_t n = t ? strlen(t) : 0;
	if (n != sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

static void token_hash(const char *token, char out[65])
{
	unsigned char md[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(md, (const unsigned char *)token, strlen(token));
	hex_encode(md, sizeof(md), out);
}

static int load_grants(struct db *db, struct arena *a, struct principal *p)
{
	return store_grant_list(db, a, p->user.id, &p->grants, &p->ngrants);
}

/* The key under which failures of this login are counted. */
static const char *failure_key(struct arena *a, const char *login)
{
	const char *norm = user_login_normalize(a, login);
	if (norm)
		return norm;
	/* Not a possible login; count it anyway, under a bounded key. */
	size_t n = strlen(login);
	return arena_strndup(a, login, n > 64 ? 64 : n);
}

/*
 * Count one failed password check of login key inside a write transaction,
 * lock the name when the count reaches the limit, and audit it as action.
 * *locked says whether this failure set the lock.
 */
static int record_failure(struct app *app, struct db *db, const char *key,
			  const struct actor *who, int64_t org, const char *action, bool *locked)
{
	const struct settings *cfg = &app->settings;
	int64_t now = time_now();
	struct login_failure lf;
	int rc = app_begin(db);
	if (rc)
		return rc;
	/* Re-read inside the transaction: concurrent failures all count. */
	rc = store_login_failure_get(db, key, &lf);
	if (rc)
		goto fail;
	lf.failures++;
	lf.last_at = now;
	*locked = lf.failures >= cfg->lockout_failures;
	if (*locked) {
		lf.locked_until = now + cfg->lockout_seconds;
		lf.failures = 0;
	}
	rc = store_login_failure_set(db, key, &lf);
	/* A locked name loses its sessions too, so guessing cannot go on. */
	if (!rc && *locked && who->user_id)
		rc = store_session_delete_user(db, who->user_id, 0);
	if (!rc)
		rc = audit_log(db, who, org, action, "session", 0,
			       json_pack("{s:s, s:b}", "login", key, "locked", *locked));
	if (!rc)
		rc = app_commit(db);
	if (rc)
		goto fail;
	return ZRZ_OK;
fail:
	app_rollback(db);
	return rc;
}

int session_login(struct app *app, struct db *db, struct arena *a, const char *login,
		  const char *password, const char *client, struct login_result *out,
		  struct derr *e)
{
	const struct settings *cfg = &app->settings;
	int64_t now = time_now();
	const char *key = failure_key(a, login);
	struct login_failure lf;
	int rc = store_login_failure_get(db, key, &lf);
	if (rc)
		return rc;
	struct user u;
	bool exists = false;
	rc = store_user_by_login(db, a, key, &u);
	if (rc == ZRZ_OK)
		exists = true;
	else if (rc != ZRZ_ENOTFOUND)
		return rc;
	struct actor who = {exists ? u.id : 0, client};
	int64_t org = exists ? u.org_id : 0;

	if (lf.locked_until > now) {
		rc = app_begin(db);
		if (rc)
			return rc;
		rc = audit_log(db, &who, org, "session.login_refused", "session", 0,
			       json_pack("{s:s, s:s}", "login", key, "reason", "locked"));
		if (!rc)
			rc = app_commit(db);
		if (rc)
			return rc;
		int64_t minutes = (lf.locked_until - now + 59) / 60;
		return derr_set(e, ZRZ_ELOCKED, NULL,
				arena_printf(a, "连续登录失败次数过多，账户已被锁定，请 %lld 分钟后再试",
					     (long long)minutes));
	}

	bool ok = password_verify(exists ? u.pass_hash : NULL, password);
	if (!ok) {
		bool locks = false;
		rc = record_failure(app, db, key, &who, org, "session.login_failed", &locks);
		if (rc)
			return rc;
		if (locks)
			return derr_set(e, ZRZ_ELOCKED, NULL,
					arena_printf(a, "连续 %lld 次登录失败，账户已被锁定 %lld 分钟",
						     (long long)cfg->lockout_failures,
						     (long long)(cfg->lockout_seconds / 60)));
		return derr_set(e, ZRZ_EUNAUTH, NULL, "登录名或密码错误");
	}
	rc = app_begin(db);
	if (rc)
		return rc;
	if (u.locked) {
		rc = audit_log(db, &who, org, "session.login_refused", "session", 0,
			       json_pack("{s:s, s:s}", "login", key, "reason", "disabled"));
		if (!rc)
			rc = app_commit(db);
		if (rc)
			goto fail;
		return derr_set(e, ZRZ_ELOCKED, NULL, "该账户已被管理员停用，请联系系统管理员");
	}

	/* Success. */
	char csrf[SESSION_TOKEN_MAX], hash[65];
	random_token(out->token, sizeof(out->token));
	random_token(csrf, sizeof(csrf));
	token_hash(out->token, hash);
	int64_t sid;
	rc = store_login_failure_clear(db, key);
	if (!rc)
		rc = store_session_purge(db, now, now - cfg->idle_timeout, NULL);
	if (!rc)
		rc = store_session_insert(db, hash, u.id, csrf, now, now + cfg->session_lifetime,
					  client, &sid);
	if (!rc && password_needs_rehash(u.pass_hash)) {
		char newhash[PASSWORD_HASH_MAX];
		if (password_hash(password, newhash) == ZRZ_OK)
			rc = store_user_set_password(db, u.id, newhash, u.must_change,
						     u.pass_changed_at);
	}
	bool expired = now - u.pass_changed_at > cfg->password_max_age;
	if (!rc)
		rc = audit_log(db, &who, org, "session.login", "session", sid,
			       json_pack("{s:s, s:b}", "login", key, "must_change_password",
					 u.must_change || expired));
	if (!rc)
		rc = app_commit(db);
	if (rc)
		goto fail;
	struct principal *p = &out->who;
	memset(p, 0, sizeof(*p));
	p->user = u;
	p->user.pass_hash = NULL;
	p->session_id = sid;
	p->csrf = arena_strdup(a, csrf);
	p->must_change = u.must_change || expired;
	p->actor.user_id = u.id;
	p->actor.client = client;
	return load_grants(db, a, p);
fail:
	app_rollback(db);
	return rc;
}

int session_check(struct app *app, struct db *db, struct arena *a, const char *token,
		  const char *client, struct principal *out, struct derr *e)
{
	const struct settings *cfg = &app->settings;
	if (!token_wellformed(token))
		return derr_set(e, ZRZ_EUNAUTH, NULL, NULL);
	char hash[65];
	token_hash(token, hash);
	struct session_row s;
	memset(out, 0, sizeof(*out));
	int rc = store_session_lookup(db, a, hash, &s, &out->user, &out->grants, &out->ngrants);
	if (rc == ZRZ_ENOTFOUND)
		return derr_set(e, ZRZ_EUNAUTH, NULL, NULL);
	if (rc)
		return rc;
	int64_t now = time_now();
	if (now >= s.expires_at || now - s.last_seen > cfg->idle_timeout || out->user.locked)
		return derr_set(e, ZRZ_EUNAUTH, NULL, "登录已过期，请重新登录");
	out->session_id = s.id;
	out->csrf = s.csrf;
	out->must_change =
		out->user.must_change || now - out->user.pass_changed_at > cfg->password_max_age;
	out->actor.user_id = out->user.id;
	out->actor.client = client;
	out->needs_touch = now - s.last_seen >= cfg->touch_interval;
	return ZRZ_OK;
}

int session_touch(struct db *db, const struct principal *p)
{
	int rc = app_begin(db);
	if (rc)
		return rc;
	rc = store_session_touch(db, p->session_id, time_now());
	if (!rc)
		return app_commit(db);
	app_rollback(db);
	return rc;
}

int session_logout(struct db *db, const struct principal *p)
{
	int rc = app_begin(db);
	if (rc)
		return rc;
	rc = store_session_delete(db, p->session_id);
	if (!rc)
		rc = audit_log(db, &p->actor, p->user.org_id, "session.logout", "session",
			       p->session_id, json_pack("{s:s}", "login", p->user.login));
	if (!rc)
		return app_commit(db);
	app_rollback(db);
	return rc;
}

int session_change_password(struct app *app, struct db *db, struct arena *a,
			    const struct principal *p, const char *old_pw, const char *new_pw,
			    struct derr *e)
{
	struct user u;
	int rc = store_user_get(db, a, p->user.id, &u);
	if (rc)
		return rc;
	if (!password_verify(u.pass_hash, old_pw)) {
		/* Wrong old passwords count like failed logins, so a session
		 * left open cannot be used to guess the password. */
		bool locks = false;
		rc = record_failure(app, db, u.login, &p->actor, u.org_id,
				    "user.password_change_failed", &locks);
		if (rc)
			return rc;
		if (locks)
			return derr_set(e, ZRZ_ELOCKED, "old_password",
					"原密码连续输错次数过多，账户已被锁定，请稍后重新登录");
		return derr_set(e, ZRZ_EINVAL, "old_password", "原密码不正确");
	}
	const char *why = password_policy(u.login, new_pw);
	if (why)
		return derr_set(e, ZRZ_EINVAL, "new_password", why);
	if (!strcmp(old_pw, new_pw))
		return derr_set(e, ZRZ_EINVAL, "new_password", "新密码不能与原密码相同");
	char hash[PASSWORD_HASH_MAX];
	rc = password_hash(new_pw, hash);
	if (rc)
		return rc;
	rc = app_begin(db);
	if (rc)
		return rc;
	rc = user_set_password(db, &p->actor, &u, hash, false, "user.password_change",
			       p->session_id);
	if (!rc)
		return app_commit(db);
	app_rollback(db);
	return rc;
}

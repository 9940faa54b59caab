/*
 * Logging in and out, and finding the principal behind a session token.
 * Sessions live in the database (only the token's SHA-256 is stored), so
 * any server process can serve any session.
 */
#ifndef ZRZ_AUTH_SESSION_H
#define ZRZ_AUTH_SESSION_H

#include "auth/scope.h"
#include "domain/app.h"

#define SESSION_COOKIE "zrz_session"
#define SESSION_TOKEN_MAX 64

struct login_result {
	char token[SESSION_TOKEN_MAX]; /* for the cookie; never stored */
	struct principal who;
};

/*
 * Check login and password.  Failures are counted per login name and lock
 * it for settings.lockout_seconds after settings.lockout_failures in a row
 * (ZRZ_ELOCKED); a wrong name and a wrong password give the same answer
 * (ZRZ_EUNAUTH).  Success starts a session.  Every outcome is audited.
 * The slow password check runs outside any transaction.
 */
int session_login(struct app *app, struct db *db, struct arena *a, const char *login,
		  const char *password, const char *client, struct login_result *out,
		  struct derr *e);

/* The principal behind token, or ZRZ_EUNAUTH when the session is unknown,
 * idle too long, past its lifetime, or its user is locked.  Only reads; when
 * out->needs_touch the caller should call session_touch(). */
int session_check(struct app *app, struct db *db, struct arena *a, const char *token,
		  const char *client, struct principal *out, struct derr *e);

/* Record that the session was used now (session_check says when it is due:
 * at most once a minute, so reads stay reads).  Opens its own transaction. */
int session_touch(struct db *db, const struct principal *p);

/* End the session and audit it. */
int session_logout(struct db *db, const struct principal *p);

/* Change the caller's own password after checking the old one. */
int session_change_password(struct app *app, struct db *db, struct arena *a,
			    const struct principal *p, const char *old_pw, const char *new_pw,
			    struct derr *e);

#endif

/*
 * Users, their role grants and their duties (分工).  A grant gives a role in
 * one unit, for that unit alone (scope self) or for it and everything below
 * it (subtree).  The three administrator roles are kept apart (三员分立): no
 * user may hold two of sysadmin, secadmin and auditor.
 */
#ifndef ZRZ_DOMAIN_USER_H
#define ZRZ_DOMAIN_USER_H

#include <jansson.h>

#include "domain/app.h"

extern const char *const user_roles[]; /* NULL-terminated */
extern const char *const user_scopes[];
const char *user_role_label(const char *role);

#define USER_NAME_MAX 50
#define USER_LOGIN_MAX 32

/* A lowercase copy of login in a, or NULL when it is not 2..32 of a-z 0-9 . _ - */
const char *user_login_normalize(struct arena *a, const char *login);

int user_get(struct db *db, struct arena *a, int64_t id, struct user *out);
int user_by_login(struct db *db, struct arena *a, const char *login, struct user *out);
int user_list(struct db *db, struct arena *a, int64_t org_id, const char *path, const char *q,
	      int64_t offset, int64_t limit, struct user **items, int *n, int64_t *total);

/* Create a user with an already hashed password. */
int user_create(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
		const char *login, const char *name, const char *pass_hash, bool must_change,
		struct user *out, struct derr *e);
/* Change name, unit or the administrator's lock; NULL keeps a value. */
int user_update(struct db *db, struct arena *a, const struct actor *who, int64_t id,
		const char *name, const int64_t *org_id, const bool *locked, struct user *out,
		struct derr *e);
/* Store a new password hash; action names the audit event
 * ("user.password_reset" by an administrator, "user.password_change" by the
 * user).  Ends the user's other sessions (all but keep_session). */
int user_set_password(struct db *db, const struct actor *who, const struct user *u,
		      const char *pass_hash, bool must_change, const char *action,
		      int64_t keep_session);

int user_grants(struct db *db, struct arena *a, int64_t user_id, struct grant **items, int *n);
int user_grant_add(struct db *db, struct arena *a, const struct actor *who, int64_t user_id,
		   int64_t org_id, const char *role, const char *scope, struct grant *out,
		   struct derr *e);
int user_grant_get(struct db *db, struct arena *a, int64_t id, struct grant *out);
int user_grant_remove(struct db *db, struct arena *a, const struct actor *who,
		      const struct grant *g);

int user_duties(struct db *db, struct arena *a, int64_t user_id, struct duty **items, int *n);
int user_duty_get(struct db *db, struct arena *a, int64_t id, struct duty *out);
int user_duty_add(struct db *db, struct arena *a, const struct actor *who, int64_t user_id,
		  int64_t org_id, const char *area, struct duty *out, struct derr *e);
int user_duty_remove(struct db *db, const struct actor *who, const struct duty *d);

json_t *user_json(const struct user *u);
json_t *grant_json(const struct grant *g);
json_t *duty_json(const struct duty *d);

#endif

/*
 * Who the caller is and what they may see and do.  A principal is the user
 * behind a session with all of their grants (role, unit, self or subtree).
 * Every endpoint asks here before it reads or writes anything of a unit.
 */
#ifndef ZRZ_AUTH_SCOPE_H
#define ZRZ_AUTH_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/app.h"

enum role_bits {
	ROLE_SYSADMIN = 1 << 0,
	ROLE_SECADMIN = 1 << 1,
	ROLE_AUDITOR = 1 << 2,
	ROLE_SECRETARY = 1 << 3,
	ROLE_LEADER = 1 << 4,
	ROLE_OFFICE = 1 << 5,
	ROLE_MEMBER = 1 << 6,
	ROLE_VIEWER = 1 << 7,
	ROLE_ANY = 0xff,
};

struct principal {
	struct user user;
	int64_t session_id;
	const char *csrf;
	bool must_change;
	bool needs_touch;
	struct grant *grants;
	int ngrants;
	struct actor actor;
};

unsigned role_bit(const char *role);

/* Does some grant with a role in roles cover the unit at path?  A grant
 * covers its own unit, and every unit below it when its scope is subtree. */
bool scope_can(const struct principal *p, const char *path, unsigned roles);

/* May the caller see the unit at path at all (any role)? */
static inline bool scope_sees(const struct principal *p, const char *path)
{
	return scope_can(p, path, ROLE_ANY);
}

/* Does a subtree grant with a role in roles cover path (so that the caller
 * sees everything below it too)? */
bool scope_covers_subtree(const struct principal *p, const char *path, unsigned roles);

/* Does the caller hold any of roles anywhere? */
bool scope_has_role(const struct principal *p, unsigned roles);

#endif

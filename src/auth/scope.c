/*
 * Scope checks are pure functions over the grants loaded with the session:
 * a few string prefix comparisons, no database round trip.
 */
#include "core/common.h"
#include "auth/scope.h"
#include "domain/user.h"

unsigned role_bit(const char *role)
{
	for (int i = 0; user_roles[i]; i++)
		if (!strcmp(user_roles[i], role))
			return 1u << i;
	return 0;
}

static bool covers(const struct grant *g, const char *path)
{
	if (!strcmp(g->org_path, path))
		return true;
	return !strcmp(g->scope, "subtree") && !strncmp(path, g->org_path, strlen(g->org_path));
}

bool scope_can(const struct principal *p, const char *path, unsigned roles)
{
	if (!path)
		return false;
	for (int i = 0; i < p->ngrants; i++)
		if ((role_bit(p->grants[i].role) & roles) && covers(&p->grants[i], path))
			return true;
	return false;
}

bool scope_covers_subtree(const struct principal *p, const char *path, unsigned roles)
{
	if (!path)
		return false;
	for (int i = 0; i < p->ngrants; i++) {
		const struct grant *g = &p->grants[i];
		if ((role_bit(g->role) & roles) && !strcmp(g->scope, "subtree") &&
		    !strncmp(path, g->org_path, strlen(g->org_path)))
			return true;
	}
	return false;
}

bool scope_has_role(const struct principal *p, unsigned roles)
{
	for (int i = 0; i < p->ngrants; i++)
		if (role_bit(p->grants[i].role) & roles)
			return true;
	return false;
}

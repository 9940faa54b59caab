/*
 * Committees (领导小组) of a unit and their members with positions 组长,
 * 副组长, 成员, 办公室主任, 办公室副主任.  A member is named (as plans name
 * them) and may be linked to a user account.
 */
#ifndef ZRZ_DOMAIN_COMMITTEE_H
#define ZRZ_DOMAIN_COMMITTEE_H

#include <jansson.h>

#include "domain/app.h"

extern const char *const committee_positions[]; /* NULL-terminated */
const char *committee_position_label(const char *position);

#define COMMITTEE_MAX_MEMBERS 200

int committee_list(struct db *db, struct arena *a, int64_t org_id, struct committee **items,
		   int *n);
int committee_get(struct db *db, struct arena *a, int64_t id, struct committee *out);
/* Create with members (may be empty); validates every member. */
int committee_create(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
		     const char *name, const struct committee_member *members, int n,
		     struct committee *out, struct derr *e);
/* Rename (name non-NULL) and/or replace the members (members non-NULL). */
int committee_update(struct db *db, struct arena *a, const struct actor *who, int64_t id,
		     const char *name, const struct committee_member *members, int n,
		     struct committee *out, struct derr *e);
int committee_delete(struct db *db, struct arena *a, const struct actor *who, int64_t id);

json_t *committee_json(const struct committee *c);

#endif

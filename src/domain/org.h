/*
 * Organizations: the tree of units (党委, 党组, 党总支, 党支部, 单位, 部门)
 * that everything else belongs to.  Writers hold the write transaction;
 * every change is audited within it.
 */
#ifndef ZRZ_DOMAIN_ORG_H
#define ZRZ_DOMAIN_ORG_H

#include <jansson.h>

#include "domain/app.h"

/* The kinds of unit, NULL-terminated, and their Chinese names. */
extern const char *const org_kinds[];
const char *org_kind_label(const char *kind);

#define ORG_NAME_MAX 100

int org_get(struct db *db, struct arena *a, int64_t id, struct org *out);
int org_children(struct db *db, struct arena *a, int64_t parent, int64_t offset, int64_t limit,
		 struct org **items, int *n, int64_t *total);
int org_subtree(struct db *db, struct arena *a, const char *path, int64_t limit,
		struct org **items, int *n);

/* Create a unit under parent_id (0: a new root).  Validates name and kind. */
int org_create(struct db *db, struct arena *a, const struct actor *who, int64_t parent_id,
	       const char *name, const char *kind, int64_t sort, struct org *out, struct derr *e);
/* Change name, kind or sort; NULL/absent fields keep their value. */
int org_update(struct db *db, struct arena *a, const struct actor *who, int64_t id,
	       const char *name, const char *kind, const int64_t *sort, struct org *out,
	       struct derr *e);
/* Move id and its whole subtree under new_parent (0: make it a root);
 * refuses a move into its own subtree. */
int org_move(struct db *db, struct arena *a, const struct actor *who, int64_t id,
	     int64_t new_parent, struct org *out, struct derr *e);
/* Delete a unit with nothing left in it. */
int org_delete(struct db *db, struct arena *a, const struct actor *who, int64_t id,
	       struct derr *e);

/* Is path under (or equal to) ancestor? */
bool org_path_within(const char *path, const char *ancestor);

json_t *org_json(const struct org *o);

#endif

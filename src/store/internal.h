/*
 * Helpers shared by the repository files of src/store/.
 */
#ifndef ZRZ_STORE_INTERNAL_H
#define ZRZ_STORE_INTERNAL_H

#include "core/arena.h"
#include "store/db.h"

/* Column i as an arena copy (NULL for SQL NULL); with a NULL arena the
 * column itself, valid until the next step or reset of st. */
static inline const char *store__text(struct db_stmt *st, int i, struct arena *a)
{
	const char *s = db_col_text(st, i);
	return s && a ? arena_strdup(a, s) : s;
}

/* Run st expecting one row whose first column is an integer. */
static inline int store__one_int(struct db_stmt *st, int64_t *out)
{
	int rc = db_step(st);
	if (rc == ZRZ_ROW) {
		*out = db_col_int64(st, 0);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

/* Run a write that must change exactly one row. */
static inline int store__one_change(struct db *db, struct db_stmt *st)
{
	int rc = db_run(st);
	if (rc)
		return rc;
	return db_changes(db) == 1 ? ZRZ_OK : ZRZ_ENOTFOUND;
}

/* Grow an arena array of items of size sz to hold at least n+1. */
void *store__grow(struct arena *a, void *items, int n, int *cap, size_t sz);

/* The exclusive upper bound of the subtree range [path, upper): the path
 * with its trailing '/' replaced by '0' (the next byte), arena-owned. */
const char *store__path_upper(struct arena *a, const char *path);

#endif

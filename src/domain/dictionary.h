/*
 * The ledger's dictionary of record kinds, which the security and system
 * administrators of a top unit keep: they add kinds for their own plans and
 * rename, reorder or retire (deactivate) any kind.  A kind is never deleted,
 * since records and obligations keep pointing at it; a retired kind stays
 * readable but takes no new records or obligations.  Also: the kept
 * versions of a record.
 */
#ifndef ZRZ_DOMAIN_DICTIONARY_H
#define ZRZ_DOMAIN_DICTIONARY_H

#include <jansson.h>

#include "domain/app.h"

#define KIND_CODE_MAX 40
#define KIND_NAME_MAX 40

/*
 * Add kind k (code, name, sort), audited against unit org_id.  ZRZ_EINVAL
 * for a malformed code or name, ZRZ_ECONFLICT when the code or the name is
 * taken.
 */
int dictionary_kind_add(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
			const struct record_kind *k, struct record_kind *out, struct derr *e);

/*
 * Change kind next->code to next (name, sort, active), audited with the
 * fields that changed.  ZRZ_ENOTFOUND for an unknown code.
 */
int dictionary_kind_update(struct db *db, struct arena *a, const struct actor *who,
			   int64_t org_id, const struct record_kind *next, struct record_kind *out,
			   struct derr *e);

/* Kind code (ZRZ_ENOTFOUND when there is none). */
int dictionary_kind_get(struct db *db, struct arena *a, const char *code, struct record_kind *out);

/* Is code a well-formed kind code: a lower-case letter, then up to
 * KIND_CODE_MAX - 1 lower-case letters, digits or underscores? */
bool dictionary_code_valid(const char *code);

/* The versions kept of record id (its earlier states), newest first. */
int dictionary_record_versions(struct db *db, struct arena *a, int64_t id, json_t **out);

#endif

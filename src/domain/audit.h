/*
 * The audit trail: one row per change of data, login, logout and export,
 * written in the same transaction as the change it records.  Each row's hash
 * is SHA-256 over the previous row's hash and this row's content, so editing,
 * deleting or reordering rows breaks the chain at that row.
 */
#ifndef ZRZ_DOMAIN_AUDIT_H
#define ZRZ_DOMAIN_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "domain/app.h"

struct arena;
struct db;

/*
 * Append a row.  The caller holds the write transaction.  detail is a JSON
 * object describing what changed (never a password or a token); the
 * reference is stolen; NULL means {}.  org_id and entity_id 0 mean none.
 */
int audit_log(struct db *db, const struct actor *who, int64_t org_id, const char *action,
	      const char *entity, int64_t entity_id, json_t *detail);

/*
 * Walk the whole chain.  ZRZ_OK when it is intact; ZRZ_ECONFLICT when it is
 * broken, with the first bad sequence number in *bad_seq.  *rows receives
 * the number of rows checked.
 */
int audit_verify(struct db *db, int64_t *rows, int64_t *bad_seq);

/* Rows matching f, newest first. */
int audit_list(struct db *db, struct arena *a, const struct audit_filter *f, int64_t offset,
	       int64_t limit, struct audit_row **items, int *n, int64_t *total);
json_t *audit_json(const struct audit_row *row);

/* The hex SHA-256 of a row as the chain defines it (out: 65 bytes). */
void audit_hash(const struct audit_row *row, char out[65]);

#endif

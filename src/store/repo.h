/*
 * Repositories: every query zerenzhi runs, one function each, written once
 * in the SQL both engines speak.  Each takes a connection from the pool
 * (struct db) and, when it returns rows, an arena that will own them.
 * Functions that write expect the caller to hold a write transaction
 * (db_begin) so that the change and its audit row commit together.
 * Return codes: ZRZ_OK, ZRZ_ENOTFOUND when the row does not exist,
 * ZRZ_ECONFLICT on unique or foreign-key violations, other ZRZ_E* on failure.
 */
#ifndef ZRZ_STORE_REPO_H
#define ZRZ_STORE_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/model.h"

struct arena;
struct db;
struct store;

/* ---- org ---- */
int store_org_get(struct db *db, struct arena *a, int64_t id, struct org *out);
/* Insert under parent (0: a root) and set its path; *id receives the id. */
int store_org_insert(struct db *db, int64_t parent_id, const char *parent_path, const char *name,
		     const char *kind, int64_t sort, int64_t now, int64_t *id, const char **path,
		     struct arena *a);
int store_org_update(struct db *db, int64_t id, const char *name, const char *kind, int64_t sort,
		     int64_t now);
/* Give org id the parent new_parent (0: root) and rewrite the paths of it
 * and all its descendants from old_path to new_path. */
int store_org_move(struct db *db, int64_t id, int64_t new_parent, const char *old_path,
		   const char *new_path, int64_t now);
int store_org_delete(struct db *db, int64_t id);
/* Children of parent (0: roots), ordered by sort, id. */
int store_org_children(struct db *db, struct arena *a, int64_t parent, int64_t offset,
		       int64_t limit, struct org **items, int *n, int64_t *total);
/* The whole subtree under path (itself included), ordered by path. */
int store_org_subtree(struct db *db, struct arena *a, const char *path, int64_t limit,
		      struct org **items, int *n);
/* How many rows of any kind still belong to org id (children, users,
 * grants, committees, records, obligations); deletion needs zero. */
int store_org_dependents(struct db *db, int64_t id, int64_t *count);
int store_org_count(struct db *db, int64_t *count);
/* Just the path of org id, copied into out (ZRZ_ETOOBIG if it does not fit). */
int store_org_path(struct db *db, int64_t id, char *out, size_t n);

/* ---- users ---- */
int store_user_get(struct db *db, struct arena *a, int64_t id, struct user *out);
int store_user_by_login(struct db *db, struct arena *a, const char *login, struct user *out);
int store_user_insert(struct db *db, int64_t org_id, const char *login, const char *name,
		      const char *pass_hash, bool must_change, int64_t now, int64_t *id);
int store_user_update(struct db *db, int64_t id, int64_t org_id, const char *name, bool locked,
		      int64_t now);
int store_user_set_password(struct db *db, int64_t id, const char *pass_hash, bool must_change,
			    int64_t now);
/* Users of org id, or of every org under path when path is non-NULL; q
 * filters login and name by substring. */
int store_user_list(struct db *db, struct arena *a, int64_t org_id, const char *path,
		    const char *q, int64_t offset, int64_t limit, struct user **items, int *n,
		    int64_t *total);
int store_user_count(struct db *db, int64_t *count);

int store_grant_list(struct db *db, struct arena *a, int64_t user_id, struct grant **items,
		     int *n);
int store_grant_get(struct db *db, struct arena *a, int64_t id, struct grant *out);
int store_grant_insert(struct db *db, int64_t user_id, int64_t org_id, const char *role,
		       const char *scope, int64_t now, int64_t *id);
int store_grant_delete(struct db *db, int64_t id);

int store_duty_list(struct db *db, struct arena *a, int64_t user_id, struct duty **items, int *n);
int store_duty_get(struct db *db, struct arena *a, int64_t id, struct duty *out);
int store_duty_insert(struct db *db, int64_t user_id, int64_t org_id, const char *area,
		      int64_t now, int64_t *id);
int store_duty_delete(struct db *db, int64_t id);

int store_login_failure_get(struct db *db, const char *login, struct login_failure *out);
int store_login_failure_set(struct db *db, const char *login, const struct login_failure *f);
int store_login_failure_clear(struct db *db, const char *login);

/* ---- sessions ---- */
int store_session_insert(struct db *db, const char *token_hash, int64_t user_id,
			 const char *csrf, int64_t now, int64_t expires_at, const char *client,
			 int64_t *id);
/* The session with token_hash, its user and the user's grants, in one
 * query (one round trip to PostgreSQL on every request). */
int store_session_lookup(struct db *db, struct arena *a, const char *token_hash,
			 struct session_row *s, struct user *u, struct grant **grants, int *ngrants);
int store_session_touch(struct db *db, int64_t id, int64_t now);
int store_session_delete(struct db *db, int64_t id);
/* End every session of user_id except keep_id (0: all). */
int store_session_delete_user(struct db *db, int64_t user_id, int64_t keep_id);
/* Delete ended sessions and stale failure counters; *purged (may be NULL)
 * gets the number of sessions deleted. */
int store_session_purge(struct db *db, int64_t now, int64_t idle_before, int64_t *purged);

/* ---- committees ---- */
int store_committee_list(struct db *db, struct arena *a, int64_t org_id, struct committee **items,
			 int *n);
/* The committee with its members. */
int store_committee_get(struct db *db, struct arena *a, int64_t id, struct committee *out);
int store_committee_insert(struct db *db, int64_t org_id, const char *name, int64_t now,
			   int64_t *id);
int store_committee_update(struct db *db, int64_t id, const char *name, int64_t now);
int store_committee_delete(struct db *db, int64_t id);
/* Replace all members of committee id with the given ones. */
int store_committee_set_members(struct db *db, int64_t id, const struct committee_member *m,
				int n);

/* ---- audit ---- */
/* Hold the chain's tail until the transaction ends (see db_lock_chain). */
int store_audit_lock(struct db *db);
/* The last row's seq and hash (0 and "" for an empty trail). */
int store_audit_tail(struct db *db, int64_t *seq, char hash[65]);
int store_audit_insert(struct db *db, const struct audit_row *row);
int store_audit_list(struct db *db, struct arena *a, const struct audit_filter *f,
		     int64_t offset, int64_t limit, struct audit_row **items, int *n,
		     int64_t *total);
/* Call fn for every row in seq order; stops when fn returns nonzero and
 * returns that value.  The row's strings are valid only during the call. */
int store_audit_each(struct db *db, int (*fn)(void *ctx, const struct audit_row *row),
		     void *ctx);
int store_audit_count(struct db *db, int64_t *count);

/* ---- leases and job runs ---- */
/* Take the lease name for holder until `until`, unless someone holds it
 * past now; *taken says whether this call got it. */
int store_lease_take(struct db *db, const char *name, const char *holder, int64_t now,
		     int64_t until, bool *taken);
int store_job_start(struct db *db, const char *name, const char *holder, int64_t now,
		    int64_t *id);
int store_job_finish(struct db *db, int64_t id, int64_t now, bool ok, const char *detail);

/* ---- ledger ---- */
/* Every kind of the dictionary, ordered by sort. */
int store_record_kind_list(struct db *db, struct arena *a, struct record_kind **items, int *n);
int store_record_kind_get(struct db *db, struct arena *a, const char *code,
			  struct record_kind *out);
/* Add a kind (active, not built in); ZRZ_ECONFLICT when code exists. */
int store_record_kind_insert(struct db *db, const char *code, const char *name, int64_t sort);
/* Write name, sort and active of kind k->code. */
int store_record_kind_update(struct db *db, const struct record_kind *k);
/* Does another kind than code already have this name? */
int store_record_kind_name_taken(struct db *db, const char *name, const char *code, bool *taken);
/* The kept versions of record_id, newest first. */
int store_record_version_list(struct db *db, struct arena *a, int64_t record_id,
			      struct record_version **items, int *n);
/* The record id, deleted or not. */
int store_record_get(struct db *db, struct arena *a, int64_t id, struct record *out);
/* Insert rec (its id, version and times are ignored) as version 1. */
int store_record_insert(struct db *db, const struct record *rec, int64_t by, int64_t now,
			int64_t *id);
/* Write every field of rec over row rec->id and set its version to version. */
int store_record_update(struct db *db, const struct record *rec, int64_t version, int64_t now);
/* Mark record id deleted at deleted_at (0: restore it) as version version. */
int store_record_set_deleted(struct db *db, int64_t id, int64_t deleted_at, int64_t version,
			     int64_t now);
/* Keep version `version` of record id, data being its JSON text. */
int store_record_version_insert(struct db *db, int64_t record_id, int64_t version,
				const char *data, int64_t by, int64_t now);
/* How many records match f. */
int store_record_count(struct db *db, struct arena *a, const struct record_filter *f,
		       int64_t *total);
/*
 * Call fn for each record matching f, at most max of them: for one unit in
 * the order of store_record_page (newest date first), for a subtree unit
 * by unit in the order of the tree (paths), each unit's records newest
 * first.  org_name is the name of the record's unit.  The
 * record and the name are valid only during the call.  Reads in pages, so
 * memory does not grow with the number of records.  A nonzero return of fn
 * stops the walk and is returned.
 */
typedef int (*store_record_fn)(void *ctx, const struct record *r, const char *org_name);
int store_record_each(struct db *db, const struct record_filter *f, int64_t max,
		      store_record_fn fn, void *ctx);
/* How many records match f (*total), then fn for each record of the page
 * (offset, limit) in the list's order: date descending, then id descending.
 * The record is valid only during the call (org_name is NULL); a nonzero
 * return of fn stops the walk and is returned. */
int store_record_page(struct db *db, struct arena *a, const struct record_filter *f,
		      int64_t offset, int64_t limit, int64_t *total, store_record_fn fn,
		      void *ctx);
/* Add delta to the counter of (org_id, kind, period_key), creating it at 0. */
int store_ledger_count_add(struct db *db, int64_t org_id, const char *kind,
			   const char *period_key, int64_t delta);
/* The counters of org_id and kind whose keys belong to year (keys "YYYY..."). */
int store_ledger_count_year(struct db *db, struct arena *a, int64_t org_id, const char *kind,
			    int year, struct ledger_count **items, int *n);
/* The counters every obligation of year of every unit under path (itself
 * included) reads: its kind's year counter and those of its own periods. */
int store_ledger_count_subtree(struct db *db, struct arena *a, const char *path, int year,
			       struct unit_count **items, int *n);

/* ---- obligations ---- */
int store_obligation_get(struct db *db, struct arena *a, int64_t id, struct obligation *out);
int store_obligation_insert(struct db *db, const struct obligation *o, int64_t now, int64_t *id);
int store_obligation_delete(struct db *db, int64_t id);
/* Obligations of org_id, of year (0: every year), ordered by year, kind, period. */
int store_obligation_list(struct db *db, struct arena *a, int64_t org_id, int64_t year,
			  struct obligation **items, int *n);
/* The obligations of year (and of period kind code period, unless NULL) of
 * every unit under path (itself included), at most limit of them (the
 * caller passes its cap + 1 to detect an excess). */
int store_obligation_subtree(struct db *db, struct arena *a, const char *path, int64_t year,
			     const char *period, int64_t limit, struct unit_obligation **items,
			     int *n);

/* ---- plans ---- */
/* The plan id, deleted or not. */
int store_plan_get(struct db *db, struct arena *a, int64_t id, struct plan *out);
int store_plan_insert(struct db *db, const struct plan *p, int64_t now, int64_t *id);
int store_plan_update(struct db *db, int64_t id, const char *title, int64_t now);
int store_plan_set_deleted(struct db *db, int64_t id, int64_t now);
/* Live plans of org_id (of year unless 0), newest year first, with item counts. */
int store_plan_list(struct db *db, struct arena *a, int64_t org_id, int64_t year, int64_t offset,
		    int64_t limit, struct plan **items, int *n, int64_t *total);
/* Does org_id have a live plan issued from plan `from`? */
int store_plan_copy_exists(struct db *db, int64_t from, int64_t org_id, bool *exists);
/*
 * Copy plan_id into every unit strictly below path that has no live copy
 * yet: the plan (without its source text), its sections, its items (lead
 * roles kept, lead users dropped, status todo) and their role co-owners,
 * in a few set-at-a-time statements.  *copies / *n get the new plans.
 */
int store_plan_issue(struct db *db, struct arena *a, int64_t plan_id, const char *path,
		     int64_t by, int64_t now, struct plan_copy **copies, int *n);
/* Sections of plan_id, by level, sort, id. */
int store_plan_section_list(struct db *db, struct arena *a, int64_t plan_id,
			    struct plan_section **items, int *n);
int store_plan_section_get(struct db *db, struct arena *a, int64_t id, struct plan_section *out);
int store_plan_section_insert(struct db *db, const struct plan_section *s, int64_t *id);
int store_plan_section_update(struct db *db, const struct plan_section *s);
int store_plan_section_delete(struct db *db, int64_t id);
/* Sub-sections plus items of section id. */
int store_plan_section_used(struct db *db, int64_t id, int64_t *count);
/* Items of plan_id by sort, id, each with its co-owners. */
int store_plan_item_list(struct db *db, struct arena *a, int64_t plan_id,
			 struct plan_item **items, int *n);
int store_plan_item_get(struct db *db, struct arena *a, int64_t id, struct plan_item *out);
int store_plan_item_insert(struct db *db, const struct plan_item *it, int64_t now, int64_t *id);
int store_plan_item_update(struct db *db, const struct plan_item *it, int64_t now);
/* Delete item id with its owners, progress notes and record links, and
 * clear it from the obligations that named it. */
int store_plan_item_delete(struct db *db, int64_t id);
/* Replace the co-owners of item_id. */
int store_plan_owner_set(struct db *db, int64_t item_id, const struct plan_owner *o, int n);
/* The unit of item id when its plan is live (ZRZ_ENOTFOUND otherwise). */
int store_plan_item_org(struct db *db, int64_t id, int64_t *org_id);
int store_plan_progress_insert(struct db *db, const struct plan_progress *p, int64_t *id);
int store_plan_progress_list(struct db *db, struct arena *a, int64_t item_id,
			     struct plan_progress **items, int *n);
/* The plan items a record is linked to, and replacing them. */
int store_record_plan_items(struct db *db, struct arena *a, int64_t record_id, int64_t **ids,
			    int *n);
int store_record_plan_items_set(struct db *db, int64_t record_id, const int64_t *ids, int n);
/* The live records linked to item_id, by date and id, at most limit. */
int store_plan_item_records(struct db *db, struct arena *a, int64_t item_id, int64_t limit,
			    int64_t **ids, int *n);
/* ---- notices ---- */
/* Insert n unless a notice with its event_key exists; *id gets the new id,
 * or 0 when it existed (then nothing was written). */
int store_notice_insert(struct db *db, const struct notice *n, int64_t now, int64_t *id);
int store_notice_get(struct db *db, struct arena *a, int64_t id, struct notice *out);
/* Is there a notice for event_key? */
int store_notice_exists(struct db *db, const char *event_key, bool *exists);
/* Plan items of live plans, not done, due between from and to (dates),
 * ordered by due date then id, after (after_due, after_id), at most limit. */
int store_plan_items_due(struct db *db, struct arena *a, const char *from, const char *to,
			 const char *after_due, int64_t after_id, int64_t limit,
			 struct plan_item_due **items, int *n);
/* Notices user_id sees (see domain/notice.h), newest first, each with its
 * read mark; unread_only keeps those without one.  *unread gets the count of
 * unread ones. */
int store_notice_list(struct db *db, struct arena *a, int64_t user_id, bool unread_only,
		      int64_t offset, int64_t limit, struct notice **items, int *n,
		      int64_t *total, int64_t *unread);
int store_notice_unread(struct db *db, int64_t user_id, int64_t *count);
/* Does user_id see notice id? */
int store_notice_visible(struct db *db, int64_t user_id, int64_t id, bool *visible);
/* Mark one / every visible notice read for user_id; *marked gets how many
 * marks were new. */
int store_notice_mark(struct db *db, int64_t notice_id, int64_t user_id, int64_t now,
		      int64_t *marked);
int store_notice_mark_all(struct db *db, int64_t user_id, int64_t now, int64_t *marked);

int store_channel_insert(struct db *db, const struct notify_channel *c, int64_t now,
			 int64_t *id);
/* A channel that is not deleted. */
int store_channel_get(struct db *db, struct arena *a, int64_t id, struct notify_channel *out);
int store_channel_update(struct db *db, const struct notify_channel *c, int64_t now);
int store_channel_delete(struct db *db, int64_t id, int64_t now);
/* The channels of org_id (only the active ones when active_only), by id. */
int store_channel_list(struct db *db, struct arena *a, int64_t org_id, bool active_only,
		       struct notify_channel **items, int *n);

/* Queue notice_id (0: a test message) for channel_id, due at now. */
int store_delivery_insert(struct db *db, int64_t notice_id, int64_t channel_id, int64_t now,
			  int64_t *id);
/* Claim at most limit pending deliveries due by now: push their next_at to
 * until so that no other process takes them meanwhile.  *ids gets them. */
int store_delivery_claim(struct db *db, struct arena *a, int64_t now, int64_t until,
			 int limit, int64_t **ids, int *n);
int store_delivery_get(struct db *db, struct arena *a, int64_t id, struct notice_delivery *out);
/* Record attempt number d->attempts + 1 and its outcome: state, next_at,
 * status and error (NULL), sent_at (0: not sent). */
int store_delivery_record(struct db *db, int64_t id, int64_t attempt, const char *state,
			  int64_t next_at, int64_t status, const char *error, int64_t now);
/* The deliveries of channel_id, newest first, each with its attempts. */
int store_delivery_list(struct db *db, struct arena *a, int64_t channel_id, int64_t offset,
			int64_t limit, struct notice_delivery **items, int *n, int64_t *total);
/* ---- compliance kept ready (one row per obligation period) ---- */
/* Insert or replace the row of (e->obligation_id, e->period_key). */
int store_compliance_put(struct db *db, const struct compliance_entry *e);
/* Remove every row of an obligation. */
int store_compliance_delete_obligation(struct db *db, int64_t obligation_id);
/* Rewrite the unit paths under old_path (itself included) to start with
 * new_path, as store_org_move() does for org, and set their a2. */
int store_compliance_repath(struct db *db, const char *old_path, const char *new_path,
			    int64_t a2);
/* Set a2 of the rows under path (itself included). */
int store_compliance_set_a2(struct db *db, const char *path, int64_t a2);
/* Up to limit rows whose assessment no longer holds on day today (valid_to
 * before it), org_name and period left NULL. */
int store_compliance_stale(struct db *db, struct arena *a, int today, int64_t limit,
			   struct compliance_entry **items, int *n);
/* Store a row's new assessment. */
int store_compliance_assess(struct db *db, const struct compliance_entry *e);
/* Up to limit obligations that have no compliance rows yet. */
int store_obligation_unfilled(struct db *db, struct arena *a, int64_t limit,
			      struct obligation **items, int *n);
/* Add delta to the rows counted for unit org_id's subtree in (year, prank). */
int store_compliance_total_add(struct db *db, int64_t org_id, int64_t year, int prank,
			       int64_t delta);
/* The rows counted for org_id's subtree in year, of prank only unless 0. */
int store_compliance_total_get(struct db *db, int64_t org_id, int64_t year, int prank,
			       int64_t *rows);
/* Every (year, prank, rows) counted for org_id's subtree. */
struct compliance_total {
	int64_t year;
	int prank;
	int64_t rows;
};
int store_compliance_total_list(struct db *db, struct arena *a, int64_t org_id,
				struct compliance_total **items, int *n);

enum compliance_order {
	COMPLIANCE_BY_BEHIND, /* behind DESC, urgency, path, kind, prank, period_key */
	COMPLIANCE_BY_PATH,   /* path, kind, prank, period_key */
};
/* A page of the rows of year under path (itself included), only those of
 * period_key unless it is NULL, in the given order, with org_name and the
 * obligation's period filled in.  total is how many rows there are (from
 * compliance_total) and a2 the second id of path (0 for a unit at the top):
 * both pick the plan (see store/compliance.c). */
int store_compliance_page(struct db *db, struct arena *a, const char *path, int64_t year,
			  const char *period_key, enum compliance_order order, int64_t offset,
			  int64_t limit, int64_t total, int64_t a2, struct compliance_entry **items,
			  int *n);
/* Every row of year under path (only period_key unless NULL), in the order
 * of units (path, kind, period kind, period), read batch rows at a time;
 * fn gets each (its strings last until the end of its batch) and stops the
 * walk by returning non-zero, which the walk returns. */
typedef int (*store_compliance_fn)(void *ctx, const struct compliance_entry *e);
int store_compliance_walk(struct db *db, const char *path, int64_t year, const char *period_key,
			  int64_t batch, store_compliance_fn fn, void *ctx);

/* ---- maintenance ---- */
/* Copy the live database to dest with the engine's online backup. */
int store_backup(struct store *s, const char *dest, char *err, size_t errlen);

/* ---- attachments of records ---- */
/* Is there a content with this SHA-256 (64 lowercase hex digits)? */
int store_attachment_content_exists(struct db *db, const char *sha256, bool *exists);
/* Store a content unless one with its hash exists (then nothing changes). */
int store_attachment_content_insert(struct db *db, const struct attachment_content *c,
				    int64_t now);
/* The bytes of a content, copied into the arena. */
int store_attachment_content_data(struct db *db, struct arena *a, const char *sha256,
				  const void **data, size_t *size);
/* The thumbnail of a content; ZRZ_ENOTFOUND when it has none. */
int store_attachment_content_thumb(struct db *db, struct arena *a, const char *sha256,
				   const void **data, size_t *size, const char **mime);
/* Attachment id, live or removed. */
int store_attachment_get(struct db *db, struct arena *a, int64_t id, struct attachment *out);
/* The live attachment of record_id with this content, if any. */
int store_attachment_find_live(struct db *db, struct arena *a, int64_t record_id,
			       const char *sha256, struct attachment *out);
/* The live attachments of record_id, oldest first. */
int store_attachment_list(struct db *db, struct arena *a, int64_t record_id,
			  struct attachment **items, int *n);
/* Link record_id to a stored content and count it on the record. */
int store_attachment_insert(struct db *db, int64_t record_id, const char *sha256,
			    const char *name, int64_t by, int64_t now, int64_t *id);
/* Remove a live link and uncount it; ZRZ_ECONFLICT when already removed. */
int store_attachment_set_deleted(struct db *db, const struct attachment *t, int64_t now);

/* ---- channels (阵地) and their inspections (store/outlet.c) ---- */
/* Channel id, deleted or not, with its owner and counts. */
int store_outlet_get(struct db *db, struct arena *a, int64_t id, struct outlet *out);
int store_outlet_list(struct db *db, struct arena *a, const struct outlet_filter *f,
		      int64_t offset, int64_t limit, struct outlet **items, int *n,
		      int64_t *total);
int store_outlet_insert(struct db *db, const struct outlet *o, int64_t by, int64_t now,
			int64_t *id);
/* Write every editable field of o (kind .. note). */
int store_outlet_update(struct db *db, const struct outlet *o, int64_t now);
int store_outlet_set_deleted(struct db *db, int64_t id, int64_t now);
/* Keep last_inspected and inspect_due (either may be NULL). */
int store_outlet_set_due(struct db *db, int64_t id, const char *last, const char *due);
/* The date of the last inspection of channel id whose record is live, or
 * NULL. */
int store_outlet_last_inspection(struct db *db, struct arena *a, int64_t id, const char **date);
/* The active live channels of org_id that have a frequency. */
int store_outlet_active(struct db *db, struct arena *a, int64_t org_id, struct outlet **items,
			int *n);
int store_outlet_inspection_insert(struct db *db, const struct outlet_inspection *x,
				   int64_t now, int64_t *id);
/* The inspections of channel id whose records are live, newest first. */
int store_outlet_inspection_list(struct db *db, struct arena *a, int64_t channel_id,
				 struct outlet_inspection **items, int *n);
/* The channel of the inspection recorded by record_id; ZRZ_ENOTFOUND for none. */
int store_outlet_of_record(struct db *db, int64_t record_id, int64_t *channel_id);
/* Up to limit active live channels with inspect_due <= until, after id
 * after_id in id order. */
int store_outlet_due(struct db *db, struct arena *a, const char *until, int64_t after_id,
		     int limit, struct outlet_due **items, int *n);
/* Up to limit units (ids above after_id, in order) with active live channels
 * that have a frequency and no yearly channel_inspection obligation of year. */
int store_outlet_units_without_obligation(struct db *db, struct arena *a, int64_t year,
					  int64_t after_id, int limit, int64_t **ids, int *n);
/* Lock unit org_id's row until the transaction ends (serializes the
 * writers that count its channels). */
int store_outlet_lock_unit(struct db *db, int64_t org_id);
/* Change the target of obligation id (its compliance rows are the caller's). */
int store_obligation_set_min(struct db *db, int64_t id, int64_t min);

/* ---- inbox (上报收件箱) ---- */
int store_inbox_get(struct db *db, struct arena *a, int64_t id, struct inbox_item *out);
/* The newest item of an entity (ZRZ_ENOTFOUND: none). */
int store_inbox_latest(struct db *db, struct arena *a, const char *entity, int64_t entity_id,
		       struct inbox_item *out);
/* Every item of an entity, oldest first, at most limit. */
int store_inbox_of_entity(struct db *db, struct arena *a, const char *entity, int64_t entity_id,
			  int64_t limit, struct inbox_item **items, int *n);
/* Insert it (from_org_id, to_org_id, entity, entity_id, title, note,
 * prev_id, sent_by, sent_at) as sent. */
int store_inbox_insert(struct db *db, const struct inbox_item *it, int64_t *id);
/* Acknowledge item id; ZRZ_ECONFLICT unless it is still sent. */
int store_inbox_ack(struct db *db, int64_t id, int64_t user_id, int64_t now, const char *comment);
/* Mark item id forwarded as forward_id (and acknowledged by user_id now
 * unless it was); ZRZ_ECONFLICT when it was forwarded already. */
int store_inbox_set_forwarded(struct db *db, int64_t id, int64_t forward_id, int64_t user_id,
			      int64_t now);
/* Items sent to to_org_id, optionally of a state and entity, those still
 * sent first, then newest first. */
int store_inbox_list(struct db *db, struct arena *a, int64_t to_org_id, const char *state,
		     const char *entity, int64_t offset, int64_t limit, struct inbox_item **items,
		     int *n, int64_t *total);

/* ---- incidents (舆情事件处置) ---- */
int store_incident_get(struct db *db, struct arena *a, int64_t id, struct incident *out);
/* Insert x at stage found with its next_due and next_risk. */
int store_incident_insert(struct db *db, const struct incident *x, int64_t now, int64_t *id);
int store_incident_stage_insert(struct db *db, int64_t incident_id, const char *stage,
				int64_t due_at);
/* The stages of an incident, in their order. */
int store_incident_stages(struct db *db, struct arena *a, int64_t incident_id,
			  struct incident_stage **items, int *n);
/* Mark a stage done; ZRZ_ECONFLICT when it was done already. */
int store_incident_stage_done(struct db *db, int64_t incident_id, const char *stage, int64_t now,
			      int64_t user_id, const char *note);
/* Move incident id from stage from to stage to; ZRZ_ECONFLICT when it is
 * no longer at from. */
int store_incident_set_stage(struct db *db, int64_t id, const char *from, const char *to,
			     int64_t next_due, int64_t next_risk, int64_t now);
int store_incident_list(struct db *db, struct arena *a, const struct incident_filter *f,
			int64_t offset, int64_t limit, struct incident **items, int *n,
			int64_t *total);
/* Open incidents at risk by now whose deadline is at or after since, by
 * id after after_id, at most limit. */
int store_incident_at_risk(struct db *db, struct arena *a, int64_t now, int64_t since,
			   int64_t after_id, int64_t limit, struct incident **items, int *n);
int store_incident_limits(struct db *db, struct arena *a, int64_t org_id,
			  struct incident_limit **items, int *n);
int store_incident_limit_set(struct db *db, int64_t org_id, const char *severity,
			     const char *stage, int64_t minutes, int64_t user_id, int64_t now);
/* The incidents of the units under path found in [from, to), at most
 * limit, with the times their stages were done. */
int store_incident_times(struct db *db, struct arena *a, const char *path, int64_t from,
			 int64_t to, int64_t limit, struct incident_times **items, int *n);

/* ---- the three-stage review (三审) ---- */
/* The unit's review settings, or the defaults when it has none. */
int store_review_config_get(struct db *db, struct arena *a, int64_t org_id,
			    struct review_config *out);
int store_review_config_put(struct db *db, const struct review_config *c, int64_t by,
			    int64_t now);
int store_review_insert(struct db *db, const struct review *r, int64_t now, int64_t *id);
/* The submission with its current body, names and current stage's limit. */
int store_review_get(struct db *db, struct arena *a, int64_t id, struct review *out);
/* Write r's changeable fields, only while the row still has state
 * old_state and round old_round (ZRZ_ECONFLICT otherwise: someone else
 * moved it first). */
int store_review_update(struct db *db, const struct review *r, const char *old_state,
			int64_t old_round, int64_t now);
int store_review_list(struct db *db, struct arena *a, const struct review_filter *f,
		      int64_t offset, int64_t limit, struct review **items, int *n,
		      int64_t *total);
int store_review_revision_insert(struct db *db, int64_t review_id, int64_t n,
				 const char *title, const char *body, int64_t author_id,
				 int64_t now);
/* The revisions of a submission, oldest first, without their bodies. */
int store_review_revisions(struct db *db, struct arena *a, int64_t review_id,
			   struct review_revision **items, int *n);
int store_review_revision_get(struct db *db, struct arena *a, int64_t review_id, int64_t n,
			      struct review_revision *out);
/* Every signature of a submission, all rounds, in the order signed. */
int store_review_signatures(struct db *db, struct arena *a, int64_t review_id,
			    struct review_signature **items, int *n);
int store_review_signature_insert(struct db *db, const struct review_signature *s,
				  int64_t *id);
/* Users (not locked) holding role on the unit org_id at path: a grant on it,
 * or a subtree grant on a unit above.  At most 100, by id. */
int store_review_signers(struct db *db, struct arena *a, int64_t org_id, const char *path,
			 const char *role, struct review_signer **items, int *n);
int store_review_channel(struct db *db, struct arena *a, int64_t id, struct review_channel *out);
/* Submissions waiting at a signing stage, by id after after_id, at most
 * limit (for the reminder job); org_name filled. */
int store_review_waiting(struct db *db, struct arena *a, int64_t after_id, int64_t limit,
			 struct review **items, int *n);

/* The files of a submission: by id (live or removed), the live one of
 * review_id with content sha256, and the live ones oldest first; the
 * insert answers the new id, the delete ZRZ_ECONFLICT when it is removed
 * already. */
int store_review_attachment_get(struct db *db, struct arena *a, int64_t id,
				struct review_attachment *out);
int store_review_attachment_find_live(struct db *db, struct arena *a, int64_t review_id,
				      const char *sha256, struct review_attachment *out);
int store_review_attachments(struct db *db, struct arena *a, int64_t review_id,
			     struct review_attachment **items, int *n);
int store_review_attachment_insert(struct db *db, int64_t review_id, const char *sha256,
				   const char *name, int64_t revision, int64_t by, int64_t now,
				   int64_t *id);
int store_review_attachment_set_deleted(struct db *db, int64_t id, int64_t now);

#endif

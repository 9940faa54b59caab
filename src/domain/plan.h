/*
 * Plans (工作要点) of a unit and year: numbered sections of two levels
 * (一、 and (一)), items with a lead owner and co-owners (each a user or a
 * role of the unit), a due date or a recurrence, a status and dated
 * progress notes.  A superior issues a plan down to the units below it,
 * each getting its own copy.  The importer's confirmed preview becomes a
 * plan with its obligations, committee and dated activities in one step
 * (plan_import_commit).  Every change is audited in the caller's write
 * transaction.
 */
#ifndef ZRZ_DOMAIN_PLAN_H
#define ZRZ_DOMAIN_PLAN_H

#include <jansson.h>

#include "domain/app.h"

#define PLAN_TITLE_MAX 200
#define PLAN_SECTION_TITLE_MAX 500
#define PLAN_NUMBER_MAX 20
#define PLAN_ITEM_TEXT_MAX 5000
#define PLAN_NOTE_MAX 2000
#define PLAN_OWNERS_MAX 50
#define PLAN_SECTIONS_MAX 500
#define PLAN_ITEMS_MAX 3000
#define PLAN_LINKS_MAX 50
/* The importer's text, in bytes (more answers ZRZ_ETOOBIG). */
#define PLAN_SOURCE_MAX ((size_t)1024 * 1024)

/* The stored statuses todo, doing, done (NULL-terminated); overdue is derived. */
extern const char *const plan_item_statuses[];
/* The unit roles an item may be owned by (NULL-terminated). */
extern const char *const plan_owner_roles[];

int plan_get(struct db *db, struct arena *a, int64_t id, struct plan *out);
int plan_list(struct db *db, struct arena *a, int64_t org_id, int64_t year, int64_t offset,
	      int64_t limit, struct plan **items, int *n, int64_t *total);
/* Create plan p (org_id, year, title, optional source_text). */
int plan_create(struct db *db, struct arena *a, const struct actor *who, const struct plan *p,
		struct plan *out, struct derr *e);
int plan_update(struct db *db, struct arena *a, const struct actor *who, const struct plan *cur,
		const char *title, struct plan *out, struct derr *e);
/* Soft-delete the plan: it and its items disappear from lists and links. */
int plan_delete(struct db *db, const struct actor *who, const struct plan *cur);
json_t *plan_json(const struct plan *p);
/* The plan with "sections" (level 1, each with its "sections" and "items")
 * and "items" outside any section, statuses as of day number today.  *out
 * is a new reference. */
int plan_detail_json(struct db *db, struct arena *a, const struct plan *p, int today,
		     json_t **out);

int plan_section_get(struct db *db, struct arena *a, int64_t id, struct plan_section *out);
/* Create s in plan p: a parent_id makes it level 2 (the parent must be a
 * level 1 section of p). */
int plan_section_create(struct db *db, struct arena *a, const struct actor *who,
			const struct plan *p, const struct plan_section *s,
			struct plan_section *out, struct derr *e);
int plan_section_update(struct db *db, struct arena *a, const struct actor *who,
			const struct plan *p, const struct plan_section *next,
			struct plan_section *out, struct derr *e);
/* Only an empty section (no sub-sections, no items) may go: ZRZ_ECONFLICT. */
int plan_section_delete(struct db *db, const struct actor *who, const struct plan *p,
			const struct plan_section *cur, struct derr *e);
json_t *plan_section_json(const struct plan_section *s);

int plan_item_get(struct db *db, struct arena *a, int64_t id, struct plan_item *out);
/*
 * Create (update: replace cur by) item it of plan p.  lead is NULL (keep /
 * none), JSON null (none), {"user_id": N} or {"role": R}; co_owners NULL
 * (keep / none) or an array of such objects.  Validates the text, the
 * section (of p), the users (existing), roles, due date or recurrence (not
 * both) and status.
 */
int plan_item_create(struct db *db, struct arena *a, const struct actor *who,
		     const struct plan *p, const struct plan_item *it, json_t *lead,
		     json_t *co_owners, struct plan_item *out, struct derr *e);
int plan_item_update(struct db *db, struct arena *a, const struct actor *who,
		     const struct plan *p, const struct plan_item *cur,
		     const struct plan_item *next, json_t *lead, json_t *co_owners,
		     struct plan_item *out, struct derr *e);
int plan_item_delete(struct db *db, const struct actor *who, const struct plan *p,
		     const struct plan_item *cur);
/* todo, doing, done, or overdue when due before day today and not done. */
const char *plan_item_status(const struct plan_item *it, int today);
json_t *plan_item_json(const struct plan_item *it, int today);

int plan_progress_add(struct db *db, struct arena *a, const struct actor *who,
		      const struct plan *p, const struct plan_item *it, const char *date,
		      const char *note, struct plan_progress *out, struct derr *e);
int plan_progress_list(struct db *db, struct arena *a, int64_t item_id,
		       struct plan_progress **items, int *n);
json_t *plan_progress_json(const struct plan_progress *p);

/*
 * Copy plan p into every unit strictly below path (p's unit) that has no
 * live copy of it yet: the sections, and the items with their text, due
 * date, recurrence and role owners (statuses start at todo; user owners
 * stay behind; the source text too).  A few set-at-a-time statements
 * whatever the number of units, then one plan.issue audit row per copy.
 * *created counts the copies.
 */
int plan_issue(struct db *db, struct arena *a, const struct actor *who, const struct plan *p,
	       const char *path, int *created);

/*
 * Check that ids (a JSON array of plan item ids, borrowed) name live items
 * of plans of org_id; *out / *n the distinct ids.  ZRZ_EINVAL with e set.
 */
int plan_links_check(struct db *db, struct arena *a, int64_t org_id, json_t *ids, int64_t **out,
		     int *n, struct derr *e);
/* Replace the plan items record_id is linked to (checked ids), audited. */
int plan_links_set(struct db *db, const struct actor *who, int64_t org_id, int64_t record_id,
		   const int64_t *ids, int n);
int plan_links_get(struct db *db, struct arena *a, int64_t record_id, int64_t **ids, int *n);
/* The live records linked to item_id, oldest date first, at most limit. */
int plan_item_records(struct db *db, struct arena *a, int64_t item_id, int64_t limit,
		      int64_t **ids, int *n);
/* Is item id an item of a live plan of org_id?  ZRZ_EINVAL with e when not. */
int plan_item_check_org(struct db *db, int64_t id, int64_t org_id, struct derr *e);

/*
 * Save what a person confirmed of an import preview for org_id and year:
 * `confirmed` is the preview (plan_import_analyze's shape) as the person
 * edited it.  Of it are saved: "title" (or "<year>年工作要点"), the
 * "sections" (level 1 and their "sections" as level 2; deeper sections and
 * nested items become items of the nearest saved section) with their
 * "items" ("text", else "title"), top-level "items", every obligation of
 * "obligations" whose "confirmed" is not false ("kind", "min", "period";
 * tied to the innermost saved item whose "source" span holds the
 * obligation's "source" start; the same kind and period twice keep the
 * larger min), the "committee" unless null, and the "dated_activities"
 * ("name", "date", optional "full_name") as items due on their dates.
 * Everything else of the preview is ignored.  text[0..len) becomes the
 * plan's source text.  One plan.import audit row beside the rows of each
 * obligation and the committee.  *plan_id gets the new plan; *skipped a
 * new array of the obligations not saved (confirmed false).
 * ZRZ_EINVAL with e for invalid input, ZRZ_ECONFLICT (field "obligations")
 * when the unit already has an obligation of the same kind, period and year.
 */
int plan_import_commit(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
		       int year, const char *text, size_t len, json_t *confirmed,
		       int64_t *plan_id, json_t **skipped, struct derr *e);

#endif

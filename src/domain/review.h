/*
 * The three-stage review (三审) of what a unit publishes.  A submission
 * goes draft → first (初审) → second (复审) → final (终审, only when it is
 * sensitive, its channel always needs it, or the unit's settings ask for
 * it) → approved → published, or is returned at a signing stage with a
 * written opinion (back to its author, who edits and submits again), or is
 * withdrawn by its author before approval.  The rules, all enforced here:
 *
 *   - only the author submits, edits, withdraws; the author or the unit's
 *     office marks an approved submission published;
 *   - a stage is signed (approve or return) only by a user holding the
 *     stage's role for the unit (the caller checks the grant and says so in
 *     holds_role), never by the author, and never by someone who signed
 *     another stage of the same round;
 *   - an edit after any signature of the round starts a new round at 初审:
 *     the old signatures stay stored (marked with their round) but no
 *     longer count; every submit starts a new round too;
 *   - every revision of the title and body is kept.
 *
 * A forbidden step answers ZRZ_ECONFLICT (the state does not allow it) or
 * ZRZ_EFORBIDDEN (not this user) with e set, and writes nothing; every
 * allowed one is audited in the caller's write transaction.
 */
#ifndef ZRZ_DOMAIN_REVIEW_H
#define ZRZ_DOMAIN_REVIEW_H

#include <jansson.h>

#include "domain/app.h"

#define REVIEW_TITLE_MAX 200
#define REVIEW_BODY_MAX 100000
#define REVIEW_OPINION_MAX 1000
#define REVIEW_URL_MAX 1000
#define REVIEW_HOURS_MAX 720

extern const char *const review_states[];      /* NULL-terminated */
extern const char *const review_stage_codes[]; /* first second final, NULL */
extern const char *const review_roles[];       /* roles that may sign a stage, NULL */

/* The stage a state waits at (REVIEW_FIRST..REVIEW_FINAL), or -1. */
int review_stage_of(const char *state);
const char *review_state_label(const char *state);
const char *review_stage_label(int stage);

int review_config_get(struct db *db, struct arena *a, int64_t org_id, struct review_config *out);
/* Check c (roles of review_roles, hours 1..720) and store it, audited. */
int review_config_put(struct db *db, const struct actor *who, const struct review_config *c,
		      struct derr *e);
json_t *review_config_json(const struct review_config *c);

int review_get(struct db *db, struct arena *a, int64_t id, struct review *out);
int review_list(struct db *db, struct arena *a, const struct review_filter *f, int64_t offset,
		int64_t limit, struct review **items, int *n, int64_t *total);

/* Revision n of submission review_id, with its body. */
int review_revision_get(struct db *db, struct arena *a, int64_t review_id, int64_t n,
			struct review_revision *out);
json_t *review_revision_json(const struct review_revision *v);

/* Does the submission need 终审 under settings c? */
bool review_needs_final(const struct review *r, const struct review_config *c);

/* Create a draft (r: org_id, author_id, channel_id, title, sensitive) with
 * body as its first revision. */
int review_create(struct db *db, struct arena *a, const struct actor *who,
		  const struct review *r, const char *body, struct review *out, struct derr *e);

/* What a PATCH changes; NULL / false: keep. */
struct review_patch {
	const char *title;
	const char *body;
	bool set_channel;
	int64_t channel_id; /* 0: none */
	bool set_sensitive;
	bool sensitive;
	/* Files added to or removed from the submission in the same step
	 * (review_attach, review_detach): a change like the body's. */
	int files_added;
	int files_removed;
};

/* May who change cur (its text, settings or files) now?  ZRZ_EFORBIDDEN
 * for anyone but the author, ZRZ_ECONFLICT once approved, published or
 * withdrawn, with e set; nothing is read or written. */
int review_may_edit(const struct actor *who, const struct review *cur, struct derr *e);
int review_edit(struct db *db, struct arena *a, const struct actor *who,
		const struct review *cur, const struct review_patch *p, struct review *out,
		struct derr *e);
int review_submit(struct db *db, struct arena *a, const struct actor *who,
		  const struct review *cur, struct review *out, struct derr *e);
/*
 * Sign the current stage: approve (opinion optional) or return (opinion
 * required).  stage, when not NULL, is the stage the caller means to sign
 * ("first", ...): another one answers ZRZ_ECONFLICT, so a stage is never
 * skipped nor signed twice by a stale page.
 */
int review_sign(struct db *db, struct arena *a, const struct actor *who,
		const struct review *cur, bool approve, const char *stage, bool holds_role,
		const char *opinion, struct review *out, struct derr *e);
int review_withdraw(struct db *db, struct arena *a, const struct actor *who,
		    const struct review *cur, struct review *out, struct derr *e);
/* Mark an approved submission published at url, at time at (0: now);
 * is_office: the caller is the unit's office. */
int review_publish(struct db *db, struct arena *a, const struct actor *who,
		   const struct review *cur, bool is_office, const char *url, int64_t at,
		   struct review *out, struct derr *e);

/*
 * The files of a submission (its attachments), with the rules of an edit:
 * only the author adds or removes one, only while the submission may be
 * edited (ZRZ_EFORBIDDEN, ZRZ_ECONFLICT), and each change is an edit
 * through review_edit: a new revision, and after a signature of the round
 * a new round at 初审.  review_attach stores the prepared files
 * (attachment_prepare) of one upload as one edit; a file whose content the
 * submission carries already is not added again: added[i] is then that
 * one and existed[i] is set, and when every file is such, nothing changes
 * and *out is *cur.  Each added file is audited review_attachment.create,
 * each removed one review_attachment.delete (ZRZ_ECONFLICT when removed
 * already).
 */
struct attachment_file;
int review_attach(struct db *db, struct arena *a, const struct actor *who,
		  const struct review *cur, const struct attachment_file *files, int nfiles,
		  struct review_attachment *added, bool *existed, struct review *out,
		  struct derr *e);
int review_detach(struct db *db, struct arena *a, const struct actor *who,
		  const struct review *cur, const struct review_attachment *t, struct review *out,
		  struct derr *e);
/* File id of any submission, live or removed (ZRZ_ENOTFOUND: none). */
int review_attachment_get(struct db *db, struct arena *a, int64_t id,
			  struct review_attachment *out);
/* The live files of submission review_id, oldest first. */
int review_attachments(struct db *db, struct arena *a, int64_t review_id,
		       struct review_attachment **items, int *n);
/* The bytes of t (arena). */
int review_attachment_data(struct db *db, struct arena *a, const struct review_attachment *t,
			   const void **data, size_t *n);
json_t *review_attachment_json(const struct review_attachment *t);

/* The submission for lists. */
json_t *review_json(const struct review *r);
/* The submission with its body, files, stages, signatures, revisions and
 * who may sign the current stage (for the detail page). */
int review_detail_json(struct db *db, struct arena *a, const struct review *r, json_t **out);

/* The stages the form shows and its labels, for the approval form. */
struct review_form_stage {
	const char *label;
	const char *role_label;
	const struct review_signature *sig; /* NULL: not signed in this round */
};
/* The stages the submission needs with the approving signatures of its
 * current round (*n is 2 or 3). */
int review_form_stages(struct db *db, struct arena *a, const struct review *r,
		       struct review_form_stage *stages, int *n);
/* Audit that the caller printed the approval form of r (review.form). */
int review_form_printed(struct db *db, const struct actor *who, const struct review *r);

#endif

/*
 * The superior's inbox (上报收件箱): what a unit sends up to the unit
 * directly above it (an incident at its 报送 stage, an analysis report),
 * acknowledged there (签收, with a comment) or passed further up (继续上报).
 * An item is sent, then acknowledged or forwarded; forwarding makes a new
 * item in the inbox of the next unit up and counts as acknowledging this
 * one.  Every change is audited in the caller's write transaction.
 */
#ifndef ZRZ_DOMAIN_INBOX_H
#define ZRZ_DOMAIN_INBOX_H

#include <jansson.h>

#include "domain/app.h"

#define INBOX_TITLE_MAX 200
#define INBOX_COMMENT_MAX 2000

/* What may be sent up: incident, analysis (NULL-terminated). */
extern const char *const inbox_entities[];
/* sent, acknowledged, forwarded (NULL-terminated). */
extern const char *const inbox_states[];

/*
 * In the caller's write transaction, put an item titled title about
 * entity_id of entity (one of inbox_entities) into the inbox of the unit
 * directly above from_org_id, sent by who; *id_out (may be NULL) gets its
 * id.  The caller audits its own action; this audits the delivery
 * (inbox.send).  ZRZ_EINVAL with e set (a Chinese message) when the unit
 * has no unit above it, the entity is not one of the list or the title is
 * not 1..200 characters on one line; ZRZ_ENOTFOUND when from_org_id does
 * not exist.
 */
int inbox_send(struct db *db, const struct actor *who, int64_t from_org_id, const char *entity,
	       int64_t entity_id, const char *title, int64_t *id_out, struct derr *e);

/*
 * The latest inbox item of entity_id of entity (after a forwarding, the
 * item of the unit it was forwarded to), with its state, who acknowledged
 * it, when, and the comment.  out->arena must name the arena that will own
 * the strings filled in (the caller's, e.g. the request's).
 * ZRZ_ENOTFOUND when the entity was never sent.
 */
int inbox_find(struct db *db, const char *entity, int64_t entity_id, struct inbox_item *out);

/* Every item of an entity, oldest first (the way up it went). */
int inbox_trail(struct db *db, struct arena *a, const char *entity, int64_t entity_id,
		struct inbox_item **items, int *n);

int inbox_get(struct db *db, struct arena *a, int64_t id, struct inbox_item *out);
int inbox_list(struct db *db, struct arena *a, int64_t to_org_id, const char *state,
	       const char *entity, int64_t offset, int64_t limit, struct inbox_item **items,
	       int *n, int64_t *total);

/*
 * Acknowledge it for its receiving unit with an optional comment (at most
 * 2000 characters).  ZRZ_ECONFLICT with e when it is no longer waiting
 * (acknowledged or forwarded already); ZRZ_EINVAL for a bad comment.
 * Audited (inbox.ack).  The caller checks that who may act for the unit.
 */
int inbox_ack(struct db *db, const struct actor *who, const struct inbox_item *it,
	      const char *comment, struct derr *e);

/*
 * Pass it on to the unit above its receiving unit with an optional note;
 * it becomes forwarded (and acknowledged, if it was not).  *id_out gets
 * the new item.  ZRZ_ECONFLICT when it was forwarded already; ZRZ_EINVAL
 * when the receiving unit has none above it or the note is bad.  Audited
 * (inbox.forward, and inbox.send for the new item).
 */
int inbox_forward(struct db *db, const struct actor *who, const struct inbox_item *it,
		  const char *note, int64_t *id_out, struct derr *e);

json_t *inbox_json(const struct inbox_item *it);

#endif

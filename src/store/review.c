/*
 * The three-stage review (三审): submissions, their revisions and
 * signatures, the per-unit settings, and the two reads of other parts'
 * tables a submission needs (the users who may sign a stage, its target
 * channel).  Every statement is written once for both engines.  The
 * defaults of a unit without settings live here, in the SQL that reads a
 * submission's current stage as well as in store_review_config_get.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

#define DEF_FIRST_ROLE "office"
#define DEF_SECOND_ROLE "leader"
#define DEF_FINAL_ROLE "secretary"
#define DEF_FIRST_HOURS 24
#define DEF_SECOND_HOURS 24
#define DEF_FINAL_HOURS 48
#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- settings ---- */

static const char SQL_CONFIG_GET[] =
	"SELECT first_role, second_role, final_role, always_final, first_hours, second_hours, "
	"final_hours, coalesce(updated_by, 0), updated_at FROM review_config WHERE org_id = ?";

int store_review_config_get(struct db *db, struct arena *a, int64_t org_id,
			    struct review_config *out)
{
	memset(out, 0, sizeof(*out));
	out->org_id = org_id;
	out->role[REVIEW_FIRST] = DEF_FIRST_ROLE;
	out->role[REVIEW_SECOND] = DEF_SECOND_ROLE;
	out->role[REVIEW_FINAL] = DEF_FINAL_ROLE;
	out->hours[REVIEW_FIRST] = DEF_FIRST_HOURS;
	out->hours[REVIEW_SECOND] = DEF_SECOND_HOURS;
	out->hours[REVIEW_FINAL] = DEF_FINAL_HOURS;
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CONFIG_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	rc = db_step(st);
	if (rc == ZRZ_DONE)
		return ZRZ_OK;
	if (rc != ZRZ_ROW)
		return rc;
	for (int i = 0; i < REVIEW_STAGES; i++) {
		out->role[i] = store__text(st, i, a);
		out->hours[i] = db_col_int64(st, 4 + i);
	}
	out->always_final = db_col_int64(st, 3) != 0;
	out->updated_by = db_col_int64(st, 7);
	out->updated_at = db_col_int64(st, 8);
	out->stored = true;
	db_reset(st);
	return ZRZ_OK;
}

static const char SQL_CONFIG_PUT[] =
	"INSERT INTO review_config (org_id, first_role, second_role, final_role, always_final, "
	"first_hours, second_hours, final_hours, updated_by, updated_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET "
	"first_role = excluded.first_role, second_role = excluded.second_role, "
	"final_role = excluded.final_role, always_final = excluded.always_final, "
	"first_hours = excluded.first_hours, second_hours = excluded.second_hours, "
	"final_hours = excluded.final_hours, updated_by = excluded.updated_by, "
	"updated_at = excluded.updated_at";

int store_review_config_put(struct db *db, const struct review_config *c, int64_t by,
			    int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CONFIG_PUT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, c->org_id);
	for (int i = 0; i < REVIEW_STAGES; i++) {
		db_bind_text(st, 2 + i, c->role[i]);
		db_bind_int64(st, 6 + i, c->hours[i]);
	}
	db_bind_int64(st, 5, c->always_final ? 1 : 0);
	db_bind_id(st, 9, by);
	db_bind_int64(st, 10, now);
	return db_run(st);
}

/* ---- submissions ---- */

#define STAGE_HOURS                                                                       \
	"CASE r.state WHEN 'first' THEN coalesce(c.first_hours, " STR(DEF_FIRST_HOURS) ") " \
	"WHEN 'second' THEN coalesce(c.second_hours, " STR(DEF_SECOND_HOURS) ") "          \
	"WHEN 'final' THEN coalesce(c.final_hours, " STR(DEF_FINAL_HOURS) ") ELSE 0 END"
#define STAGE_ROLE                                                                        \
	"CASE r.state WHEN 'first' THEN coalesce(c.first_role, '" DEF_FIRST_ROLE "') "      \
	"WHEN 'second' THEN coalesce(c.second_role, '" DEF_SECOND_ROLE "') "               \
	"WHEN 'final' THEN coalesce(c.final_role, '" DEF_FINAL_ROLE "') END"

#define REVIEW_COLS(body)                                                                    \
	"r.id, r.org_id, o.name, o.path, r.author_id, u.name, coalesce(r.channel_id, 0), "   \
	"ch.name, coalesce(ch.review_final, 0), r.title, " body ", r.sensitive, r.state, "   \
	"r.revision, r.round, coalesce(r.stage_at, 0), " STAGE_HOURS ", " STAGE_ROLE ", "    \
	"coalesce(r.submitted_at, 0), r.published_url, coalesce(r.published_at, 0), "       \
	"r.created_at, r.updated_at"
#define REVIEW_FROM                                                                          \
	" FROM review r JOIN org o ON o.id = r.org_id JOIN users u ON u.id = r.author_id"    \
	" LEFT JOIN channel ch ON ch.id = r.channel_id"                                      \
	" LEFT JOIN review_config c ON c.org_id = r.org_id"
#define BODY_OF_REVISION                                                                     \
	"(SELECT v.body FROM review_revision v WHERE v.review_id = r.id AND v.n = r.revision)"

static void read_review(struct db_stmt *st, struct arena *a, struct review *r)
{
	r->id = db_col_int64(st, 0);
	r->org_id = db_col_int64(st, 1);
	r->org_name = store__text(st, 2, a);
	r->org_path = store__text(st, 3, a);
	r->author_id = db_col_int64(st, 4);
	r->author_name = store__text(st, 5, a);
	r->channel_id = db_col_int64(st, 6);
	r->channel_name = store__text(st, 7, a);
	r->channel_final = db_col_int64(st, 8) != 0;
	r->title = store__text(st, 9, a);
	r->body = store__text(st, 10, a);
	r->sensitive = db_col_int64(st, 11) != 0;
	r->state = store__text(st, 12, a);
	r->revision = db_col_int64(st, 13);
	r->round = db_col_int64(st, 14);
	r->stage_at = db_col_int64(st, 15);
	r->stage_hours = db_col_int64(st, 16);
	r->stage_role = store__text(st, 17, a);
	r->submitted_at = db_col_int64(st, 18);
	r->published_url = store__text(st, 19, a);
	r->published_at = db_col_int64(st, 20);
	r->created_at = db_col_int64(st, 21);
	r->updated_at = db_col_int64(st, 22);
}

static const char SQL_REVIEW_GET[] =
	"SELECT " REVIEW_COLS(BODY_OF_REVISION) REVIEW_FROM " WHERE r.id = ?";

int store_review_get(struct db *db, struct arena *a, int64_t id, struct review *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_REVIEW_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_review(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_REVIEW_INSERT[] =
	"INSERT INTO review (org_id, author_id, channel_id, title, sensitive, state, revision, "
	"round, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', 1, 0, ?, ?) RETURNING id";

int store_review_insert(struct db *db, const struct review *r, int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_REVIEW_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, r->org_id);
	db_bind_int64(st, 2, r->author_id);
	db_bind_id(st, 3, r->channel_id);
	db_bind_text(st, 4, r->title);
	db_bind_int64(st, 5, r->sensitive ? 1 : 0);
	db_bind_int64(st, 6, now);
	db_bind_int64(st, 7, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_REVIEW_UPDATE[] =
	"UPDATE review SET channel_id = ?, title = ?, sensitive = ?, state = ?, revision = ?, "
	"round = ?, stage_at = ?, submitted_at = ?, published_url = ?, published_at = ?, "
	"updated_at = ? WHERE id = ? AND state = ? AND round = ?";

int store_review_update(struct db *db, const struct review *r, const char *old_state,
			int64_t old_round, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_REVIEW_UPDATE, &st);
	if (rc)
		return rc;
	db_bind_id(st, 1, r->channel_id);
	db_bind_text(st, 2, r->title);
	db_bind_int64(st, 3, r->sensitive ? 1 : 0);
	db_bind_text(st, 4, r->state);
	db_bind_int64(st, 5, r->revision);
	db_bind_int64(st, 6, r->round);
	db_bind_id(st, 7, r->stage_at);
	db_bind_id(st, 8, r->submitted_at);
	db_bind_text(st, 9, r->published_url);
	db_bind_id(st, 10, r->published_at);
	db_bind_int64(st, 11, now);
	db_bind_int64(st, 12, r->id);
	db_bind_text(st, 13, old_state);
	db_bind_int64(st, 14, old_round);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

/* ?1 one unit (0: any), ?2/?3 a subtree's path range (NULL: any), ?4 the
 * state, ?5 the author (0: any), ?6 the user who may sign the current stage
 * now (0: anyone): not its author, not a signer of this round, holding the
 * stage's role on the unit or on a unit above with a subtree grant; ?7
 * the user asking, whose own drafts are the only ones listed (0: all). */
#define REVIEW_WHERE                                                                         \
	" WHERE (?1 = 0 OR r.org_id = ?1) AND (?2 IS NULL OR (o.path >= ?2 AND o.path < ?3))" \
	" AND (?4 IS NULL OR r.state = ?4) AND (?5 = 0 OR r.author_id = ?5)"                  \
	" AND (?6 = 0 OR (r.state IN ('first', 'second', 'final') AND r.author_id <> ?6"      \
	" AND NOT EXISTS (SELECT 1 FROM review_signature s WHERE s.review_id = r.id"          \
	" AND s.round = r.round AND s.user_id = ?6)"                                          \
	" AND EXISTS (SELECT 1 FROM role_grant g JOIN org go ON go.id = g.org_id"             \
	" WHERE g.user_id = ?6 AND g.role = " STAGE_ROLE                                      \
	" AND (g.org_id = r.org_id OR (g.scope = 'subtree'"                                   \
	" AND substr(o.path, 1, length(go.path)) = go.path)))))"                             \
	" AND (?7 = 0 OR r.state <> 'draft' OR r.author_id = ?7)"
static const char SQL_REVIEW_LIST[] = "SELECT " REVIEW_COLS("NULL") REVIEW_FROM REVIEW_WHERE
				      " ORDER BY r.updated_at DESC, r.id DESC LIMIT ?8 OFFSET ?9";
static const char SQL_REVIEW_COUNT[] = "SELECT count(*)" REVIEW_FROM REVIEW_WHERE;

static void bind_filter(struct db_stmt *st, struct arena *a, const struct review_filter *f)
{
	db_bind_int64(st, 1, f->path ? 0 : f->org_id);
	db_bind_text(st, 2, f->path);
	db_bind_text(st, 3, f->path ? store__path_upper(a, f->path) : NULL);
	db_bind_text(st, 4, f->state);
	db_bind_int64(st, 5, f->author_id);
	db_bind_int64(st, 6, f->todo_user);
	db_bind_int64(st, 7, f->viewer);
}

int store_review_list(struct db *db, struct arena *a, const struct review_filter *f,
		      int64_t offset, int64_t limit, struct review **items, int *n,
		      int64_t *total)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_REVIEW_COUNT, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f);
	rc = store__one_int(st, total);
	if (rc)
		return rc;
	rc = db_prepare(db, SQL_REVIEW_LIST, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f);
	db_bind_int64(st, 8, limit);
	db_bind_int64(st, 9, offset);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_review(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_REVIEW_WAITING[] =
	"SELECT " REVIEW_COLS("NULL") REVIEW_FROM
	" WHERE r.state IN ('first', 'second', 'final') AND r.id > ? ORDER BY r.id LIMIT ?";

int store_review_waiting(struct db *db, struct arena *a, int64_t after_id, int64_t limit,
			 struct review **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_REVIEW_WAITING, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, after_id);
	db_bind_int64(st, 2, limit);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_review(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- revisions ---- */

static const char SQL_REVISION_INSERT[] =
	"INSERT INTO review_revision (review_id, n, title, body, author_id, created_at) "
	"VALUES (?, ?, ?, ?, ?, ?)";

int store_review_revision_insert(struct db *db, int64_t review_id, int64_t n,
				 const char *title, const char *body, int64_t author_id,
				 int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_REVISION_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, review_id);
	db_bind_int64(st, 2, n);
	db_bind_text(st, 3, title);
	db_bind_text(st, 4, body);
	db_bind_int64(st, 5, author_id);
	db_bind_int64(st, 6, now);
	return db_run(st);
}

#define REVISION_COLS(body)                                                                 \
	"v.review_id, v.n, v.title, " body ", length(v.body), v.author_id, u.name, v.created_at"
#define REVISION_FROM " FROM review_revision v JOIN users u ON u.id = v.author_id"

static void read_revision(struct db_stmt *st, struct arena *a, struct review_revision *v)
{
	v->review_id = db_col_int64(st, 0);
	v->n = db_col_int64(st, 1);
	v->title = store__text(st, 2, a);
	v->body = store__text(st, 3, a);
	v->chars = db_col_int64(st, 4);
	v->author_id = db_col_int64(st, 5);
	v->author_name = store__text(st, 6, a);
	v->created_at = db_col_int64(st, 7);
}

static const char SQL_REVISIONS[] = "SELECT " REVISION_COLS("NULL") REVISION_FROM
				    " WHERE v.review_id = ? ORDER BY v.n";
static const char SQL_REVISION_GET[] = "SELECT " REVISION_COLS("v.body") REVISION_FROM
				       " WHERE v.review_id = ? AND v.n = ?";

int store_review_revisions(struct db *db, struct arena *a, int64_t review_id,
			   struct review_revision **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_REVISIONS, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, review_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_revision(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

int store_review_revision_get(struct db *db, struct arena *a, int64_t review_id, int64_t n,
			      struct review_revision *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_REVISION_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, review_id);
	db_bind_int64(st, 2, n);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_revision(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

/* ---- signatures ---- */

static const char SQL_SIGNATURES[] =
	"SELECT s.id, s.review_id, s.round, s.stage, s.decision, s.user_id, u.name, s.role, "
	"s.opinion, s.revision, s.signed_at FROM review_signature s "
	"JOIN users u ON u.id = s.user_id WHERE s.review_id = ? ORDER BY s.id";

int store_review_signatures(struct db *db, struct arena *a, int64_t review_id,
			    struct review_signature **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SIGNATURES, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, review_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct review_signature *s = &(*items)[(*n)++];
		s->id = db_col_int64(st, 0);
		s->review_id = db_col_int64(st, 1);
		s->round = db_col_int64(st, 2);
		s->stage = store__text(st, 3, a);
		s->decision = store__text(st, 4, a);
		s->user_id = db_col_int64(st, 5);
		s->user_name = store__text(st, 6, a);
		s->role = store__text(st, 7, a);
		s->opinion = store__text(st, 8, a);
		s->revision = db_col_int64(st, 9);
		s->signed_at = db_col_int64(st, 10);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_SIGNATURE_INSERT[] =
	"INSERT INTO review_signature (review_id, round, stage, decision, user_id, role, opinion, "
	"revision, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_review_signature_insert(struct db *db, const struct review_signature *s, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SIGNATURE_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, s->review_id);
	db_bind_int64(st, 2, s->round);
	db_bind_text(st, 3, s->stage);
	db_bind_text(st, 4, s->decision);
	db_bind_int64(st, 5, s->user_id);
	db_bind_text(st, 6, s->role);
	db_bind_text(st, 7, s->opinion);
	db_bind_int64(st, 8, s->revision);
	db_bind_int64(st, 9, s->signed_at);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

/* ---- other parts' tables ---- */

static const char SQL_SIGNERS[] =
	"SELECT DISTINCT u.id, u.name FROM role_grant g JOIN users u ON u.id = g.user_id "
	"JOIN org go ON go.id = g.org_id WHERE g.role = ?1 AND u.locked = 0 "
	"AND (g.org_id = ?2 OR (g.scope = 'subtree' AND substr(?3, 1, length(go.path)) = go.path)) "
	"ORDER BY u.id LIMIT 100";

int store_review_signers(struct db *db, struct arena *a, int64_t org_id, const char *path,
			 const char *role, struct review_signer **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_SIGNERS, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, role);
	db_bind_int64(st, 2, org_id);
	db_bind_text(st, 3, path);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		(*items)[*n].user_id = db_col_int64(st, 0);
		(*items)[*n].name = store__text(st, 1, a);
		(*n)++;
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_CHANNEL[] =
	"SELECT id, org_id, name, review_final, "
	"CASE WHEN deleted_at IS NULL AND status <> 'closed' THEN 1 ELSE 0 END "
	"FROM channel WHERE id = ?";

int store_review_channel(struct db *db, struct arena *a, int64_t id, struct review_channel *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_CHANNEL, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc != ZRZ_ROW)
		return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
	out->id = db_col_int64(st, 0);
	out->org_id = db_col_int64(st, 1);
	out->name = store__text(st, 2, a);
	out->review_final = db_col_int64(st, 3) != 0;
	out->live = db_col_int64(st, 4) != 0;
	db_reset(st);
	return ZRZ_OK;
}

/* ---- files ---- */

#define ATTACHMENT_COLS                                                                      \
	"t.id, t.review_id, t.sha256, t.name, c.mime, c.size, t.revision, "                   \
	"coalesce(t.added_by, 0), u.name, t.added_at, coalesce(t.deleted_at, 0) "              \
	"FROM review_attachment t JOIN attachment_content c ON c.sha256 = t.sha256 "           \
	"LEFT JOIN users u ON u.id = t.added_by"

static void read_attachment(struct db_stmt *st, struct arena *a, struct review_attachment *t)
{
	t->id = db_col_int64(st, 0);
	t->review_id = db_col_int64(st, 1);
	t->sha256 = store__text(st, 2, a);
	t->name = store__text(st, 3, a);
	t->mime = store__text(st, 4, a);
	t->size = db_col_int64(st, 5);
	t->revision = db_col_int64(st, 6);
	t->added_by = db_col_int64(st, 7);
	t->added_by_name = store__text(st, 8, a);
	t->added_at = db_col_int64(st, 9);
	t->deleted_at = db_col_int64(st, 10);
}

static const char SQL_ATTACHMENT_GET[] = "SELECT " ATTACHMENT_COLS " WHERE t.id = ?";
static const char SQL_ATTACHMENT_FIND[] = "SELECT " ATTACHMENT_COLS
					  " WHERE t.review_id = ? AND t.sha256 = ? "
					  "AND t.deleted_at IS NULL";
static const char SQL_ATTACHMENT_LIST[] = "SELECT " ATTACHMENT_COLS
					  " WHERE t.review_id = ? AND t.deleted_at IS NULL "
					  "ORDER BY t.id";

static int one_attachment(struct db_stmt *st, struct arena *a, struct review_attachment *out)
{
	int rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_attachment(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

int store_review_attachment_get(struct db *db, struct arena *a, int64_t id,
				struct review_attachment *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ATTACHMENT_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return one_attachment(st, a, out);
}

int store_review_attachment_find_live(struct db *db, struct arena *a, int64_t review_id,
				      const char *sha256, struct review_attachment *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ATTACHMENT_FIND, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, review_id);
	db_bind_text(st, 2, sha256);
	return one_attachment(st, a, out);
}

int store_review_attachments(struct db *db, struct arena *a, int64_t review_id,
			     struct review_attachment **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ATTACHMENT_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, review_id);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_attachment(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

static const char SQL_ATTACHMENT_INSERT[] =
	"INSERT INTO review_attachment (review_id, sha256, name, revision, added_by, added_at) "
	"VALUES (?, ?, ?, ?, ?, ?) RETURNING id";

int store_review_attachment_insert(struct db *db, int64_t review_id, const char *sha256,
				   const char *name, int64_t revision, int64_t by, int64_t now,
				   int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ATTACHMENT_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, review_id);
	db_bind_text(st, 2, sha256);
	db_bind_text(st, 3, name);
	db_bind_int64(st, 4, revision);
	db_bind_id(st, 5, by);
	db_bind_int64(st, 6, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_ATTACHMENT_SET_DELETED[] =
	"UPDATE review_attachment SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL";

int store_review_attachment_set_deleted(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_ATTACHMENT_SET_DELETED, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, id);
	rc = store__one_change(db, st);
	return rc == ZRZ_ENOTFOUND ? ZRZ_ECONFLICT : rc;
}

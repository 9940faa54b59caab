/*
 * The rules of the three-stage review (三审); see review.h.  Each step
 * reads the submission the caller loaded in its write transaction, checks
 * who may take it and whether the state allows it, and writes the new state
 * with a guard on the old state and round, so that two signers racing for
 * one stage cannot both succeed: the second gets ZRZ_ECONFLICT.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/attachment.h"
#include "domain/audit.h"
#include "domain/review.h"
#include "domain/user.h"
#include "store/repo.h"

const char *const review_states[] = {"draft",	 "first",     "second",	  "final",
				     "approved", "published", "returned", "withdrawn",
				     NULL};
static const char *const state_labels[] = {"草稿",   "初审中", "复审中", "终审中",
					   "已批准", "已发布", "已退回", "已撤回"};
const char *const review_stage_codes[] = {"first", "second", "final", NULL};
static const char *const stage_labels[] = {"初审", "复审", "终审"};
const char *const review_roles[] = {"office", "leader", "secretary", NULL};

int review_stage_of(const char *state)
{
	for (int i = 0; review_stage_codes[i]; i++)
		if (!strcmp(state, review_stage_codes[i]))
			return i;
	return -1;
}

const char *review_state_label(const char *state)
{
	for (int i = 0; review_states[i]; i++)
		if (!strcmp(state, review_states[i]))
			return state_labels[i];
	return state;
}

const char *review_stage_label(int stage)
{
	return stage >= 0 && stage < REVIEW_STAGES ? stage_labels[stage] : "";
}

/* ---- settings ---- */

int review_config_get(struct db *db, struct arena *a, int64_t org_id, struct review_config *out)
{
	return store_review_config_get(db, a, org_id, out);
}

static bool one_of(const char *s, const char *const *values)
{
	for (int i = 0; s && values[i]; i++)
		if (!strcmp(s, values[i]))
			return true;
	return false;
}

int review_config_put(struct db *db, const struct actor *who, const struct review_config *c,
		      struct derr *e)
{
	static const char *const role_fields[] = {"first_role", "second_role", "final_role"};
	static const char *const hour_fields[] = {"first_hours", "second_hours", "final_hours"};
	for (int i = 0; i < REVIEW_STAGES; i++) {
		if (!one_of(c->role[i], review_roles))
			return derr_set(e, ZRZ_EINVAL, role_fields[i],
					"审核角色应为 office（办公室）、leader（班子成员）或 secretary（书记）");
		if (c->hours[i] < 1 || c->hours[i] > REVIEW_HOURS_MAX)
			return derr_set(e, ZRZ_EINVAL, hour_fields[i], "时限应为 1 至 720 小时");
	}
	int rc = store_review_config_put(db, c, who->user_id, time_now());
	if (rc)
		return rc;
	return audit_log(db, who, c->org_id, "review_config.update", "org", c->org_id,
			 review_config_json(c));
}

json_t *review_config_json(const struct review_config *c)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:b}", "org_id",
			 (json_int_t)c->org_id, "first_role", c->role[0], "second_role", c->role[1],
			 "final_role", c->role[2], "always_final", c->always_final, "first_hours",
			 (json_int_t)c->hours[0], "second_hours", (json_int_t)c->hours[1],
			 "final_hours", (json_int_t)c->hours[2], "custom", c->stored);
}

/* ---- reading ---- */

int review_get(struct db *db, struct arena *a, int64_t id, struct review *out)
{
	return store_review_get(db, a, id, out);
}

int review_list(struct db *db, struct arena *a, const struct review_filter *f, int64_t offset,
		int64_t limit, struct review **items, int *n, int64_t *total)
{
	return store_review_list(db, a, f, offset, limit, items, n, total);
}

int review_revision_get(struct db *db, struct arena *a, int64_t review_id, int64_t n,
			struct review_revision *out)
{
	return store_review_revision_get(db, a, review_id, n, out);
}

static json_t *opt_time(int64_t t);

json_t *review_revision_json(const struct review_revision *v)
{
	return json_pack("{s:I, s:I, s:s, s:s?, s:I, s:I, s:s, s:o}", "review_id",
			 (json_int_t)v->review_id, "n", (json_int_t)v->n, "title", v->title, "body",
			 v->body, "length", (json_int_t)v->chars, "author_id",
			 (json_int_t)v->author_id, "author_name", v->author_name, "created_at",
			 opt_time(v->created_at));
}

bool review_needs_final(const struct review *r, const struct review_config *c)
{
	return r->sensitive || r->channel_final || c->always_final;
}

/* ---- checks ---- */

static bool line_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	return utf8_valid_text(s, n) && !strchr(s, '\n') && !strchr(s, '\r') && !str_blank(s) &&
	       utf8_count(s, n) <= max;
}

static bool text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	return utf8_valid_text(s, n) && utf8_count(s, n) <= max;
}

/* The channel must be a live one of the submission's unit. */
static int check_channel(struct db *db, struct arena *a, int64_t org_id, int64_t channel_id,
			 struct derr *e)
{
	if (!channel_id)
		return ZRZ_OK;
	struct review_channel ch;
	int rc = store_review_channel(db, a, channel_id, &ch);
	if (rc == ZRZ_ENOTFOUND || (!rc && (ch.org_id != org_id || !ch.live)))
		return derr_set(e, ZRZ_EINVAL, "channel_id", "发布阵地不存在、已关闭或不属于本单位");
	return rc;
}

static json_t *opt_time(int64_t t)
{
	char buf[32];
	if (!t)
		return json_null();
	time_format_rfc3339(t, buf, sizeof(buf));
	return json_string(buf);
}

/* Write next over cur (guarded by cur's state and round), read it back. */
static int save(struct db *db, struct arena *a, const struct review *cur,
		const struct review *next, int64_t now, struct review *out, struct derr *e)
{
	int rc = store_review_update(db, next, cur->state, cur->round, now);
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, "state", "稿件刚被他人处理过，请刷新后重试");
	if (rc)
		return rc;
	return store_review_get(db, a, cur->id, out);
}

/* ---- steps ---- */

int review_create(struct db *db, struct arena *a, const struct actor *who,
		  const struct review *r, const char *body, struct review *out, struct derr *e)
{
	if (!r->title || !line_ok(r->title, REVIEW_TITLE_MAX))
		return derr_set(e, ZRZ_EINVAL, "title", "标题应为 1 至 200 个字，不能换行");
	if (!body || !text_ok(body, REVIEW_BODY_MAX) || str_blank(body))
		return derr_set(e, ZRZ_EINVAL, "body", "正文不能为空，最多 100000 个字");
	int rc = check_channel(db, a, r->org_id, r->channel_id, e);
	if (rc)
		return rc;
	int64_t now = time_now(), id;
	rc = store_review_insert(db, r, now, &id);
	if (!rc)
		rc = store_review_revision_insert(db, id, 1, r->title, body, r->author_id, now);
	if (!rc)
		rc = store_review_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, r->org_id, "review.create", "review", id,
			 json_pack("{s:s, s:b, s:o}", "title", r->title, "sensitive", r->sensitive,
				   "channel_id",
				   r->channel_id ? json_integer(r->channel_id) : json_null()));
}

static bool same(const char *x, const char *y)
{
	if (!x || !y)
		return x == y;
	return !strcmp(x, y);
}

/* Signatures of the current round (approvals and returns). */
static int round_signatures(struct db *db, struct arena *a, const struct review *r,
			    struct review_signature **items, int *n)
{
	struct review_signature *all;
	int nall;
	int rc = store_review_signatures(db, a, r->id, &all, &nall);
	if (rc)
		return rc;
	*n = 0;
	*items = all;
	for (int i = 0; i < nall; i++)
		if (all[i].round == r->round)
			all[(*n)++] = all[i];
	return ZRZ_OK;
}

int review_may_edit(const struct actor *who, const struct review *cur, struct derr *e)
{
	if (who->user_id != cur->author_id)
		return derr_set(e, ZRZ_EFORBIDDEN, NULL, "只有稿件的作者可以修改稿件");
	if (!strcmp(cur->state, "approved") || !strcmp(cur->state, "published") ||
	    !strcmp(cur->state, "withdrawn"))
		return derr_set(e, ZRZ_ECONFLICT, "state", "已批准、已发布或已撤回的稿件不能修改");
	return ZRZ_OK;
}

int review_edit(struct db *db, struct arena *a, const struct actor *who,
		const struct review *cur, const struct review_patch *p, struct review *out,
		struct derr *e)
{
	int rc = review_may_edit(who, cur, e);
	if (rc)
		return rc;
	if (p->title && !line_ok(p->title, REVIEW_TITLE_MAX))
		return derr_set(e, ZRZ_EINVAL, "title", "标题应为 1 至 200 个字，不能换行");
	if (p->body && (!text_ok(p->body, REVIEW_BODY_MAX) || str_blank(p->body)))
		return derr_set(e, ZRZ_EINVAL, "body", "正文不能为空，最多 100000 个字");
	struct review next = *cur;
	if (p->title)
		next.title = p->title;
	if (p->set_channel)
		next.channel_id = p->channel_id;
	if (p->set_sensitive)
		next.sensitive = p->sensitive;
	rc = p->set_channel && next.channel_id != cur->channel_id
		     ? check_channel(db, a, cur->org_id, next.channel_id, e)
		     : ZRZ_OK;
	if (rc)
		return rc;
	/* A file added or removed changes what is signed as much as the text
	 * does: it makes a revision too. */
	bool text_changed = !same(next.title, cur->title) ||
			    (p->body && !same(p->body, cur->body)) || p->files_added ||
			    p->files_removed;
	bool changed = text_changed || next.channel_id != cur->channel_id ||
		       next.sensitive != cur->sensitive;
	if (!changed) {
		*out = *cur;
		return ZRZ_OK;
	}
	int64_t now = time_now();
	json_t *d = json_object();
	if (text_changed) {
		next.revision = cur->revision + 1;
		rc = store_review_revision_insert(db, cur->id, next.revision, next.title,
						  p->body ? p->body : cur->body, who->user_id, now);
		json_object_set_new(d, "revision", json_integer(next.revision));
	}
	if (!same(next.title, cur->title))
		json_object_set_new(d, "title", json_pack("[s,s]", cur->title, next.title));
	if (p->files_added)
		json_object_set_new(d, "files_added", json_integer(p->files_added));
	if (p->files_removed)
		json_object_set_new(d, "files_removed", json_integer(p->files_removed));
	if (next.channel_id != cur->channel_id)
		json_object_set_new(d, "channel_id", json_pack("[I,I]", (json_int_t)cur->channel_id,
							       (json_int_t)next.channel_id));
	if (next.sensitive != cur->sensitive)
		json_object_set_new(d, "sensitive", json_pack("[b,b]", cur->sensitive,
							      next.sensitive));
	/* An edit after a signature voids the round: a new one starts at 初审. */
	struct review_signature *sigs;
	int nsigs = 0;
	if (!rc && review_stage_of(cur->state) >= 0)
		rc = round_signatures(db, a, cur, &sigs, &nsigs);
	if (!rc && nsigs) {
		next.round = cur->round + 1;
		next.state = "first";
		next.stage_at = now;
		json_object_set_new(d, "restarted", json_true());
		json_object_set_new(d, "voided", json_integer(nsigs));
		json_object_set_new(d, "round", json_integer(next.round));
	}
	if (!rc)
		rc = save(db, a, cur, &next, now, out, e);
	if (rc) {
		json_decref(d);
		return rc;
	}
	return audit_log(db, who, cur->org_id, "review.update", "review", cur->id, d);
}

/* Audit a step: the state before and after, and more. */
static int audit_step(struct db *db, const struct actor *who, const struct review *cur,
		      const struct review *out, const char *action, json_t *more)
{
	json_t *d = more ? more : json_object();
	json_object_set_new(d, "from", json_string(cur->state));
	json_object_set_new(d, "to", json_string(out->state));
	json_object_set_new(d, "round", json_integer(out->round));
	json_object_set_new(d, "revision", json_integer(out->revision));
	return audit_log(db, who, cur->org_id, action, "review", cur->id, d);
}

int review_submit(struct db *db, struct arena *a, const struct actor *who,
		  const struct review *cur, struct review *out, struct derr *e)
{
	if (who->user_id != cur->author_id)
		return derr_set(e, ZRZ_EFORBIDDEN, NULL, "只有稿件的作者可以提交审核");
	if (strcmp(cur->state, "draft") && strcmp(cur->state, "returned"))
		return derr_set(e, ZRZ_ECONFLICT, "state", "只有草稿或已退回的稿件可以提交审核");
	int64_t now = time_now();
	struct review next = *cur;
	next.state = "first";
	next.round = cur->round + 1;
	next.stage_at = now;
	next.submitted_at = now;
	int rc = save(db, a, cur, &next, now, out, e);
	if (rc)
		return rc;
	return audit_step(db, who, cur, out, "review.submit", NULL);
}

int review_sign(struct db *db, struct arena *a, const struct actor *who,
		const struct review *cur, bool approve, const char *stage, bool holds_role,
		const char *opinion, struct review *out, struct derr *e)
{
	int s = review_stage_of(cur->state);
	if (s < 0)
		return derr_set(e, ZRZ_ECONFLICT, "state", "稿件当前不在审核环节");
	if (stage && review_stage_of(stage) != s)
		return derr_set(e, ZRZ_ECONFLICT, "stage",
				arena_printf(a, "稿件当前在%s环节，不能越过或重复签署其他环节",
					     review_stage_label(s)));
	if (who->user_id == cur->author_id)
		return derr_set(e, ZRZ_EFORBIDDEN, NULL, "不能审核自己提交的稿件");
	if (!holds_role)
		return derr_set(e, ZRZ_EFORBIDDEN, NULL,
				arena_printf(a, "%s只能由本单位的%s签署", review_stage_label(s),
					     user_role_label(cur->stage_role)));
	struct review_signature *sigs;
	int nsigs;
	int rc = round_signatures(db, a, cur, &sigs, &nsigs);
	if (rc)
		return rc;
	for (int i = 0; i < nsigs; i++)
		if (sigs[i].user_id == who->user_id)
			return derr_set(e, ZRZ_EFORBIDDEN, NULL,
					"同一稿件的同一轮审核中，一人只能签署一个环节");
	if (opinion && (!text_ok(opinion, REVIEW_OPINION_MAX)))
		return derr_set(e, ZRZ_EINVAL, "opinion", "意见最多 1000 个字");
	if (!approve && (!opinion || str_blank(opinion)))
		return derr_set(e, ZRZ_EINVAL, "opinion", "退回时必须填写意见");
	if (opinion && str_blank(opinion))
		opinion = NULL;
	int64_t now = time_now();
	struct review next = *cur;
	if (!approve) {
		next.state = "returned";
		next.stage_at = 0;
	} else if (s == REVIEW_FIRST) {
		next.state = "second";
		next.stage_at = now;
	} else if (s == REVIEW_SECOND) {
		struct review_config c;
		rc = store_review_config_get(db, a, cur->org_id, &c);
		if (rc)
			return rc;
		bool final = review_needs_final(cur, &c);
		next.state = final ? "final" : "approved";
		next.stage_at = final ? now : 0;
	} else {
		next.state = "approved";
		next.stage_at = 0;
	}
	struct review_signature sig = {
		.review_id = cur->id,
		.round = cur->round,
		.stage = review_stage_codes[s],
		.decision = approve ? "approve" : "return",
		.user_id = who->user_id,
		.role = cur->stage_role,
		.opinion = opinion,
		.revision = cur->revision,
		.signed_at = now,
	};
	int64_t sig_id;
	rc = save(db, a, cur, &next, now, out, e);
	if (!rc)
		rc = store_review_signature_insert(db, &sig, &sig_id);
	if (rc)
		return rc;
	return audit_step(db, who, cur, out, approve ? "review.approve" : "review.return",
			  json_pack("{s:s, s:I, s:s?}", "stage", sig.stage, "signature_id",
				    (json_int_t)sig_id, "opinion", opinion));
}

int review_withdraw(struct db *db, struct arena *a, const struct actor *who,
		    const struct review *cur, struct review *out, struct derr *e)
{
	if (who->user_id != cur->author_id)
		return derr_set(e, ZRZ_EFORBIDDEN, NULL, "只有稿件的作者可以撤回稿件");
	if (!strcmp(cur->state, "approved") || !strcmp(cur->state, "published"))
		return derr_set(e, ZRZ_ECONFLICT, "state", "稿件已批准，不能再撤回");
	if (!strcmp(cur->state, "withdrawn"))
		return derr_set(e, ZRZ_ECONFLICT, "state", "稿件已撤回");
	int64_t now = time_now();
	struct review next = *cur;
	next.state = "withdrawn";
	next.stage_at = 0;
	int rc = save(db, a, cur, &next, now, out, e);
	if (rc)
		return rc;
	return audit_step(db, who, cur, out, "review.withdraw", NULL);
}

/* An http(s) address with a host and no spaces or control characters. */
static bool url_ok(const char *s)
{
	size_t skip = !strncmp(s, "https://", 8) ? 8 : !strncmp(s, "http://", 7) ? 7 : 0;
	if (!skip || !s[skip] || s[skip] == '/' || strlen(s) > REVIEW_URL_MAX)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	return utf8_valid_text(s, strlen(s));
}

int review_publish(struct db *db, struct arena *a, const struct actor *who,
		   const struct review *cur, bool is_office, const char *url, int64_t at,
		   struct review *out, struct derr *e)
{
	if (who->user_id != cur->author_id && !is_office)
		return derr_set(e, ZRZ_EFORBIDDEN, NULL, "只有稿件的作者或本单位办公室可以登记发布");
	if (strcmp(cur->state, "approved"))
		return derr_set(e, ZRZ_ECONFLICT, "state", "只有已批准的稿件才能登记为已发布");
	if (!url || !url_ok(url))
		return derr_set(e, ZRZ_EINVAL, "url", "发布地址应为以 http:// 或 https:// 开头的网址");
	int64_t now = time_now();
	if (!at)
		at = now;
	if (at > now + 86400 || at < cur->submitted_at)
		return derr_set(e, ZRZ_EINVAL, "at", "发布时间不能早于提交审核的时间，也不能晚于明天");
	struct review next = *cur;
	next.state = "published";
	next.published_url = url;
	next.published_at = at;
	int rc = save(db, a, cur, &next, now, out, e);
	if (rc)
		return rc;
	return audit_step(db, who, cur, out, "review.publish",
			  json_pack("{s:s, s:o}", "url", url, "at", opt_time(at)));
}

/* ---- files ---- */

int review_attachment_get(struct db *db, struct arena *a, int64_t id,
			  struct review_attachment *out)
{
	return store_review_attachment_get(db, a, id, out);
}

int review_attachments(struct db *db, struct arena *a, int64_t review_id,
		       struct review_attachment **items, int *n)
{
	return store_review_attachments(db, a, review_id, items, n);
}

int review_attachment_data(struct db *db, struct arena *a, const struct review_attachment *t,
			   const void **data, size_t *n)
{
	int rc = store_attachment_content_data(db, a, t->sha256, data, n);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

int review_attach(struct db *db, struct arena *a, const struct actor *who,
		  const struct review *cur, const struct attachment_file *files, int nfiles,
		  struct review_attachment *added, bool *existed, struct review *out,
		  struct derr *e)
{
	int rc = review_may_edit(who, cur, e);
	if (rc)
		return rc;
	struct review_patch p = {0};
	for (int i = 0; i < nfiles; i++) {
		existed[i] = false;
		rc = store_review_attachment_find_live(db, a, cur->id, files[i].content.sha256,
						       &added[i]);
		if (!rc) {
			existed[i] = true;
			continue;
		}
		if (rc != ZRZ_ENOTFOUND)
			return rc;
		rc = ZRZ_OK;
		/* The same content twice in one upload is added once. */
		for (int k = 0; k < i && !existed[i]; k++)
			existed[i] = !existed[k] &&
				     !strcmp(files[k].content.sha256, files[i].content.sha256);
		p.files_added += !existed[i];
	}
	if (!p.files_added) {
		*out = *cur;
		return ZRZ_OK;
	}
	/* The edit first: the files belong to the revision it makes. */
	rc = review_edit(db, a, who, cur, &p, out, e);
	int64_t now = time_now();
	for (int i = 0; i < nfiles && !rc; i++) {
		const struct attachment_content *c = &files[i].content;
		if (existed[i]) {
			rc = store_review_attachment_find_live(db, a, cur->id, c->sha256, &added[i]);
			continue;
		}
		bool stored;
		int64_t id = 0;
		rc = store_attachment_content_exists(db, c->sha256, &stored);
		if (!rc && !stored)
			rc = store_attachment_content_insert(db, c, now);
		if (!rc)
			rc = store_review_attachment_insert(db, cur->id, c->sha256, files[i].name,
							    out->revision, who->user_id, now, &id);
		if (!rc)
			rc = store_review_attachment_get(db, a, id, &added[i]);
		if (!rc)
			rc = audit_log(db, who, cur->org_id, "review_attachment.create",
				       "review_attachment", id,
				       json_pack("{s:I, s:s, s:s, s:s, s:I, s:b}", "review_id",
						 (json_int_t)cur->id, "name", files[i].name,
						 "sha256", c->sha256, "mime", c->mime, "revision",
						 (json_int_t)out->revision, "stored", !stored));
	}
	return rc;
}

int review_detach(struct db *db, struct arena *a, const struct actor *who,
		  const struct review *cur, const struct review_attachment *t, struct review *out,
		  struct derr *e)
{
	int rc = review_may_edit(who, cur, e);
	if (rc)
		return rc;
	rc = store_review_attachment_set_deleted(db, t->id, time_now());
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, "aid", "附件已删除");
	if (rc)
		return rc;
	struct review_patch p = {.files_removed = 1};
	rc = review_edit(db, a, who, cur, &p, out, e);
	if (rc)
		return rc;
	return audit_log(db, who, cur->org_id, "review_attachment.delete", "review_attachment",
			 t->id,
			 json_pack("{s:I, s:s, s:s, s:I}", "review_id", (json_int_t)cur->id, "name",
				   t->name, "sha256", t->sha256, "revision",
				   (json_int_t)out->revision));
}

json_t *review_attachment_json(const struct review_attachment *t)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(t->id));
	json_object_set_new(j, "review_id", json_integer(t->review_id));
	json_object_set_new(j, "name", json_string(t->name));
	json_object_set_new(j, "mime", json_string(t->mime));
	json_object_set_new(j, "size", json_integer(t->size));
	json_object_set_new(j, "sha256", json_string(t->sha256));
	json_object_set_new(j, "revision", json_integer(t->revision));
	json_object_set_new(j, "added_by", t->added_by ? json_integer(t->added_by) : json_null());
	json_object_set_new(j, "added_by_name",
			    t->added_by_name ? json_string(t->added_by_name) : json_null());
	json_object_set_new(j, "added_at", opt_time(t->added_at));
	return j;
}

/* ---- JSON ---- */

static int64_t deadline_of(const struct review *r)
{
	return r->stage_at && r->stage_hours ? r->stage_at + r->stage_hours * 3600 : 0;
}

json_t *review_json(const struct review *r)
{
	int s = review_stage_of(r->state);
	int64_t deadline = deadline_of(r);
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(r->id));
	json_object_set_new(j, "org_id", json_integer(r->org_id));
	json_object_set_new(j, "org_name", json_string(r->org_name));
	json_object_set_new(j, "author_id", json_integer(r->author_id));
	json_object_set_new(j, "author_name", json_string(r->author_name));
	json_object_set_new(j, "channel_id", r->channel_id ? json_integer(r->channel_id)
							   : json_null());
	json_object_set_new(j, "channel_name", r->channel_name ? json_string(r->channel_name)
							       : json_null());
	json_object_set_new(j, "title", json_string(r->title));
	json_object_set_new(j, "sensitive", json_boolean(r->sensitive));
	json_object_set_new(j, "state", json_string(r->state));
	json_object_set_new(j, "state_label", json_string(review_state_label(r->state)));
	json_object_set_new(j, "stage", s >= 0 ? json_string(review_stage_codes[s]) : json_null());
	json_object_set_new(j, "stage_role", r->stage_role ? json_string(r->stage_role)
							   : json_null());
	json_object_set_new(j, "stage_entered_at", s >= 0 ? opt_time(r->stage_at) : json_null());
	json_object_set_new(j, "deadline", s >= 0 ? opt_time(deadline) : json_null());
	json_object_set_new(j, "overdue", json_boolean(s >= 0 && deadline && time_now() > deadline));
	json_object_set_new(j, "revision", json_integer(r->revision));
	json_object_set_new(j, "round", json_integer(r->round));
	json_object_set_new(j, "submitted_at", opt_time(r->submitted_at));
	json_object_set_new(j, "published_url", r->published_url ? json_string(r->published_url)
								 : json_null());
	json_object_set_new(j, "published_at", opt_time(r->published_at));
	json_object_set_new(j, "created_at", opt_time(r->created_at));
	json_object_set_new(j, "updated_at", opt_time(r->updated_at));
	return j;
}

static json_t *signature_json(const struct review_signature *s, int64_t round)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s?, s:I, s:o, s:b}", "id",
			 (json_int_t)s->id, "round", (json_int_t)s->round, "stage", s->stage,
			 "stage_label", review_stage_label(review_stage_of(s->stage)), "decision",
			 s->decision, "user_id", (json_int_t)s->user_id, "user_name", s->user_name,
			 "role", s->role, "role_label", user_role_label(s->role), "opinion",
			 s->opinion, "revision", (json_int_t)s->revision, "signed_at",
			 opt_time(s->signed_at), "current", s->round == round);
}

int review_detail_json(struct db *db, struct arena *a, const struct review *r, json_t **out)
{
	struct review_config c;
	struct review_signature *sigs;
	struct review_revision *revs;
	int nsigs, nrevs;
	int rc = store_review_config_get(db, a, r->org_id, &c);
	if (!rc)
		rc = store_review_signatures(db, a, r->id, &sigs, &nsigs);
	if (!rc)
		rc = store_review_revisions(db, a, r->id, &revs, &nrevs);
	struct review_attachment *files;
	int nfiles;
	if (!rc)
		rc = store_review_attachments(db, a, r->id, &files, &nfiles);
	if (rc)
		return rc;
	json_t *j = review_json(r);
	json_object_set_new(j, "body", json_string(r->body ? r->body : ""));
	json_t *farr = json_array();
	for (int i = 0; i < nfiles; i++)
		json_array_append_new(farr, review_attachment_json(&files[i]));
	json_object_set_new(j, "attachments", farr);
	bool final = review_needs_final(r, &c);
	json_object_set_new(j, "needs_final", json_boolean(final));
	/* The stages this submission needs, each with its approval of this
	 * round when signed (a submission not yet submitted has none). */
	json_t *stages = json_array();
	int cur = review_stage_of(r->state);
	for (int s = 0; s < (final ? 3 : 2); s++) {
		json_t *sig = json_null();
		for (int i = 0; i < nsigs; i++)
			if (sigs[i].round == r->round && review_stage_of(sigs[i].stage) == s &&
			    !strcmp(sigs[i].decision, "approve")) {
				json_decref(sig);
				sig = signature_json(&sigs[i], r->round);
			}
		json_array_append_new(
			stages, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:o}", "stage",
					  review_stage_codes[s], "label", review_stage_label(s),
					  "role", c.role[s], "role_label", user_role_label(c.role[s]),
					  "hours", (json_int_t)c.hours[s], "current", s == cur,
					  "signature", sig));
	}
	json_object_set_new(j, "stages", stages);
	json_t *sarr = json_array();
	for (int i = 0; i < nsigs; i++)
		json_array_append_new(sarr, signature_json(&sigs[i], r->round));
	json_object_set_new(j, "signatures", sarr);
	json_t *varr = json_array();
	for (int i = 0; i < nrevs; i++)
		json_array_append_new(
			varr, json_pack("{s:I, s:s, s:I, s:I, s:s, s:o}", "n", (json_int_t)revs[i].n,
					"title", revs[i].title, "length", (json_int_t)revs[i].chars,
					"author_id", (json_int_t)revs[i].author_id, "author_name",
					revs[i].author_name, "created_at",
					opt_time(revs[i].created_at)));
	json_object_set_new(j, "revisions", varr);
	/* Who may sign the current stage: holders of its role, not the author,
	 * not someone who signed this round already. */
	json_t *signers = json_array();
	if (cur >= 0) {
		struct review_signer *us;
		int nus;
		rc = store_review_signers(db, a, r->org_id, r->org_path, r->stage_role, &us, &nus);
		if (rc) {
			json_decref(j);
			json_decref(signers);
			return rc;
		}
		for (int i = 0; i < nus; i++) {
			bool out_of = us[i].user_id == r->author_id;
			for (int k = 0; k < nsigs; k++)
				out_of |= sigs[k].round == r->round && sigs[k].user_id == us[i].user_id;
			if (!out_of)
				json_array_append_new(signers, json_pack("{s:I, s:s}", "id",
									 (json_int_t)us[i].user_id,
									 "name", us[i].name));
		}
	}
	json_object_set_new(j, "next_stage",
			    cur >= 0 ? json_pack("{s:s, s:s, s:s, s:s, s:o}", "stage",
						 review_stage_codes[cur], "label",
						 review_stage_label(cur), "role", r->stage_role,
						 "role_label", user_role_label(r->stage_role),
						 "deadline", opt_time(deadline_of(r)))
				     : json_null());
	json_object_set_new(j, "signers", signers);
	*out = j;
	return ZRZ_OK;
}

int review_form_printed(struct db *db, const struct actor *who, const struct review *r)
{
	return audit_log(db, who, r->org_id, "review.form", "review", r->id,
			 json_pack("{s:s, s:I, s:I}", "state", r->state, "revision",
				   (json_int_t)r->revision, "round", (json_int_t)r->round));
}

int review_form_stages(struct db *db, struct arena *a, const struct review *r,
		       struct review_form_stage *stages, int *n)
{
	static const char *const role_titles[] = {"办公室", "分管领导", "党委书记"};
	struct review_config c;
	struct review_signature *sigs;
	int nsigs;
	int rc = store_review_config_get(db, a, r->org_id, &c);
	if (!rc)
		rc = store_review_signatures(db, a, r->id, &sigs, &nsigs);
	if (rc)
		return rc;
	*n = review_needs_final(r, &c) ? 3 : 2;
	for (int s = 0; s < *n; s++) {
		int k = 0;
		while (review_roles[k] && strcmp(review_roles[k], c.role[s]))
			k++;
		stages[s].label = review_stage_label(s);
		stages[s].role_label = review_roles[k] ? role_titles[k] : c.role[s];
		stages[s].sig = NULL;
		for (int i = 0; i < nsigs; i++)
			if (sigs[i].round == r->round && review_stage_of(sigs[i].stage) == s &&
			    !strcmp(sigs[i].decision, "approve"))
				stages[s].sig = &sigs[i];
	}
	return ZRZ_OK;
}

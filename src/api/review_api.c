/*
 * /api/v1/reviews and /api/v1/review-config: the three-stage review (三审)
 * of a unit's publications.  Everyone who sees a unit reads its
 * submissions once they have been submitted (a draft never submitted is
 * its author's alone; an author always reads their own); its secretary, leaders,
 * office and members write them; the rules of who signs what live in
 * domain/review.c, and this file only works out whether the caller holds
 * the role the current stage needs (a grant on the unit, or a subtree
 * grant on a unit above).  A submission outside the caller's scope
 * answers 404, exactly as one that does not exist.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/ztime.h"
#include "api/api.h"
#include "domain/attachment.h"
#include "domain/review.h"
#include "domain/textdiff.h"
#include "report/approval_form.h"

#include <unistd.h>

#define REVIEW_WRITERS (ROLE_SECRETARY | ROLE_LEADER | ROLE_OFFICE | ROLE_MEMBER)
#define CONFIG_EDITORS (ROLE_SYSADMIN | ROLE_SECRETARY)

static const char NO_REVIEW[] = "稿件不存在或不在您的权限范围内";

/* Whether the caller may read rv: its author always; anyone who sees its
 * unit once it has left the draft state (the same rule as the list's). */
static bool may_read(struct req *r, const struct review *rv)
{
	if (rv->author_id == api_who(r)->user.id)
		return true;
	return strcmp(rv->state, "draft") != 0 && scope_sees(api_who(r), rv->org_path);
}

/* Load submission id when the caller may read it. */
static int visible_review(struct req *r, struct db *db, int64_t id, struct review *rv)
{
	int rc = review_get(db, r->arena, id, rv);
	if (rc == ZRZ_ENOTFOUND || (!rc && !may_read(r, rv)))
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_REVIEW);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return ZRZ_OK;
}

static bool holds_stage_role(struct req *r, const struct review *rv)
{
	return rv->stage_role && scope_can(api_who(r), rv->org_path, role_bit(rv->stage_role));
}

/* The submission in full, with what the caller may do with it now. */
static int reply_detail(struct req *r, struct db *db, const struct review *rv, int status)
{
	json_t *j;
	int rc = review_detail_json(db, r->arena, rv, &j);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	int64_t me = api_who(r)->user.id;
	bool author = me == rv->author_id;
	const char *st = rv->state;
	bool open = strcmp(st, "approved") && strcmp(st, "published") && strcmp(st, "withdrawn");
	bool may_sign = false;
	size_t i;
	json_t *s;
	if (holds_stage_role(r, rv))
		json_array_foreach(json_object_get(j, "signers"), i, s)
			may_sign |= json_integer_value(json_object_get(s, "id")) == me;
	json_object_set_new(
		j, "can",
		json_pack("{s:b, s:b, s:b, s:b, s:b}", "edit", author && open, "submit",
			  author && (!strcmp(st, "draft") || !strcmp(st, "returned")), "sign",
			  may_sign, "withdraw", author && open, "publish",
			  !strcmp(st, "approved") &&
				  (author || scope_can(api_who(r), rv->org_path, ROLE_OFFICE))));
	return req_reply_json(r, status, j);
}

int api_review_list(struct req *r)
{
	int64_t org_id, offset, limit;
	bool subtree, mine, todo;
	struct review_filter f = {0};
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_query_bool(r, "subtree", &subtree);
	if (!rc)
		rc = req_query_str(r, "state", 20, &f.state);
	if (!rc)
		rc = req_query_bool(r, "mine", &mine);
	if (!rc)
		rc = req_query_bool(r, "todo", &todo);
	if (!rc)
		rc = req_page(r, &offset, &limit);
	if (rc)
		return rc;
	if (f.state && !*f.state)
		f.state = NULL;
	bool known = !f.state;
	for (int i = 0; f.state && review_states[i]; i++)
		known |= !strcmp(f.state, review_states[i]);
	if (!known)
		return req_fail(r, ZRZ_EINVAL, "state", "状态应为 draft、first、second、final、approved、published、returned 或 withdrawn");
	if (!org_id && !mine && !todo)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	const struct principal *p = api_who(r);
	if (org_id) {
		struct org o;
		rc = api_org_visible(r, db, org_id, &o, "org_id");
		if (rc)
			return rc;
		if (subtree && !scope_covers_subtree(p, o.path, ROLE_ANY))
			return req_fail(r, ZRZ_EFORBIDDEN, "subtree", "您的权限不包括下级单位");
		f.org_id = org_id;
		f.path = subtree ? o.path : NULL;
	}
	f.viewer = p->user.id;
	if (mine)
		f.author_id = p->user.id;
	if (todo)
		f.todo_user = p->user.id;
	struct review *items;
	int n;
	int64_t total;
	rc = review_list(db, r->arena, &f, offset, limit, &items, &n, &total);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, review_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, total));
}

int api_review_get(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct review rv;
	rc = visible_review(r, db, id, &rv);
	if (rc)
		return rc;
	return reply_detail(r, db, &rv, 200);
}

int api_review_create(struct req *r)
{
	static const char *const keys[] = {"org_id", "title", "body", "channel_id", "sensitive",
					   NULL};
	json_t *body;
	struct review rv = {0};
	const char *text = NULL;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = api_json_id(r, body, "org_id", true, &rv.org_id, NULL);
	if (!rc)
		rc = req_json_str(r, body, "title", true, 1, REVIEW_TITLE_MAX, &rv.title);
	if (!rc)
		rc = req_json_str(r, body, "body", true, 1, REVIEW_BODY_MAX, &text);
	if (!rc)
		rc = api_json_id(r, body, "channel_id", false, &rv.channel_id, NULL);
	if (!rc)
		rc = req_json_bool(r, body, "sensitive", &rv.sensitive, NULL);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_named(r, db, rv.org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, REVIEW_WRITERS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有本单位的人员可以撰写送审稿件");
	rv.author_id = api_who(r)->user.id;
	struct review out;
	struct derr e = {0};
	rc = review_create(db, r->arena, &api_who(r)->actor, &rv, text, &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return reply_detail(r, db, &out, 201);
}

/* Load the submission for a step inside the write transaction. */
static int begin_step(struct req *r, struct db **db, struct review *rv)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = api_begin(r, db);
	if (!rc)
		rc = visible_review(r, *db, id, rv);
	return rc;
}

static int finish_step(struct req *r, struct db *db, int rc, const struct derr *e,
		       const struct review *out)
{
	if (rc)
		return api_fail(r, rc, e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return reply_detail(r, db, out, 200);
}

int api_review_update(struct req *r)
{
	static const char *const keys[] = {"title", "body", "channel_id", "sensitive", NULL};
	json_t *body;
	struct review_patch p = {0};
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc && json_object_get(body, "title"))
		rc = req_json_str(r, body, "title", true, 1, REVIEW_TITLE_MAX, &p.title);
	if (!rc && json_object_get(body, "body"))
		rc = req_json_str(r, body, "body", true, 1, REVIEW_BODY_MAX, &p.body);
	if (!rc && json_object_get(body, "channel_id")) {
		p.set_channel = true;
		if (!json_is_null(json_object_get(body, "channel_id")))
			rc = api_json_id(r, body, "channel_id", true, &p.channel_id, NULL);
	}
	if (!rc)
		rc = req_json_bool(r, body, "sensitive", &p.sensitive, &p.set_sensitive);
	if (rc)
		return rc;
	struct db *db;
	struct review cur, out;
	rc = begin_step(r, &db, &cur);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = review_edit(db, r->arena, &api_who(r)->actor, &cur, &p, &out, &e);
	return finish_step(r, db, rc, &e, &out);
}

int api_review_submit(struct req *r)
{
	struct db *db;
	struct review cur, out;
	int rc = begin_step(r, &db, &cur);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = review_submit(db, r->arena, &api_who(r)->actor, &cur, &out, &e);
	return finish_step(r, db, rc, &e, &out);
}

/* Sign the current stage with the fields of body (NULL: none sent). */
static int sign(struct req *r, json_t *body, bool approve)
{
	const char *opinion = NULL, *stage = NULL;
	int rc = ZRZ_OK;
	if (body) {
		rc = req_json_str(r, body, "opinion", false, 0, REVIEW_OPINION_MAX, &opinion);
		if (!rc)
			rc = req_json_enum(r, body, "stage", false, review_stage_codes, &stage);
		if (rc)
			return rc;
	}
	struct db *db;
	struct review cur, out;
	rc = begin_step(r, &db, &cur);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = review_sign(db, r->arena, &api_who(r)->actor, &cur, approve, stage,
			 holds_stage_role(r, &cur), opinion, &out, &e);
	return finish_step(r, db, rc, &e, &out);
}

static const char *const sign_keys[] = {"opinion", "stage", NULL};

int api_review_approve(struct req *r)
{
	json_t *body = NULL;
	int rc = r->body_len ? req_json(r, &body) : ZRZ_OK;
	if (!rc && body)
		rc = req_json_allow(r, body, sign_keys);
	return rc ? rc : sign(r, body, true);
}

int api_review_return(struct req *r)
{
	json_t *body = NULL;
	int rc = r->body_len ? req_json(r, &body) : ZRZ_OK;
	if (!rc && body)
		rc = req_json_allow(r, body, sign_keys);
	return rc ? rc : sign(r, body, false);
}

int api_review_withdraw(struct req *r)
{
	struct db *db;
	struct review cur, out;
	int rc = begin_step(r, &db, &cur);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = review_withdraw(db, r->arena, &api_who(r)->actor, &cur, &out, &e);
	return finish_step(r, db, rc, &e, &out);
}

int api_review_publish(struct req *r)
{
	static const char *const keys[] = {"url", "at", NULL};
	json_t *body;
	const char *url = NULL, *at_text = NULL;
	int64_t at = 0;
	int rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (!rc)
		rc = req_json_str(r, body, "url", true, 1, REVIEW_URL_MAX, &url);
	if (!rc)
		rc = req_json_str(r, body, "at", false, 1, 40, &at_text);
	if (rc)
		return rc;
	if (at_text && !time_parse(at_text, &at))
		return req_fail(r, ZRZ_EINVAL, "at", "发布时间应为 RFC 3339 时间，如 2026-05-01T09:30:00+08:00");
	struct db *db;
	struct review cur, out;
	rc = begin_step(r, &db, &cur);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = review_publish(db, r->arena, &api_who(r)->actor, &cur,
			    scope_can(api_who(r), cur.org_path, ROLE_OFFICE), url, at, &out, &e);
	return finish_step(r, db, rc, &e, &out);
}

int api_review_revision_get(struct req *r)
{
	int64_t id, n;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_param_id(r, "n", &n);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct review rv;
	rc = visible_review(r, db, id, &rv);
	if (rc)
		return rc;
	struct review_revision v;
	rc = review_revision_get(db, r->arena, id, n, &v);
	if (rc == ZRZ_ENOTFOUND)
		return req_fail(r, rc, "n", "该版本不存在");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_json(r, 200, review_revision_json(&v));
}

int api_review_diff(struct req *r)
{
	int64_t id, from, to;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_query_int(r, "from", 1, INT64_MAX, 0, &from);
	if (!rc)
		rc = req_query_int(r, "to", 1, INT64_MAX, 0, &to);
	if (rc)
		return rc;
	if (!from)
		return req_fail(r, ZRZ_EINVAL, "from", "请指定比较的起始版本");
	if (!to)
		return req_fail(r, ZRZ_EINVAL, "to", "请指定比较的目标版本");
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct review rv;
	rc = visible_review(r, db, id, &rv);
	if (rc)
		return rc;
	struct review_revision a, b;
	rc = review_revision_get(db, r->arena, id, from, &a);
	if (rc == ZRZ_ENOTFOUND)
		return req_fail(r, rc, "from", "该版本不存在");
	if (!rc)
		rc = review_revision_get(db, r->arena, id, to, &b);
	if (rc == ZRZ_ENOTFOUND)
		return req_fail(r, rc, "to", "该版本不存在");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *body, *title;
	rc = textdiff_json(a.body, b.body, &body);
	if (rc)
		return req_fail(r, ZRZ_EINVAL, "to",
				rc == ZRZ_ETOOBIG ? "两个版本差异过大，无法逐字比较" : "正文含有无法比较的字符");
	rc = textdiff_json(a.title, b.title, &title);
	if (rc) {
		json_decref(body);
		return req_fail(r, ZRZ_EINVAL, "to", "标题无法比较");
	}
	/* The pieces carry the texts; the revisions only who and when. */
	a.body = NULL;
	b.body = NULL;
	return req_reply_json(r, 200,
			      json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "review_id",
					(json_int_t)id, "from", (json_int_t)from, "to",
					(json_int_t)to, "title", title, "pieces", body,
					"from_revision", review_revision_json(&a), "to_revision",
					review_revision_json(&b)));
}

/* "YYYY-MM-DD HH:MM" in China of instant t (arena), or NULL for 0. */
static const char *form_time(struct arena *a, int64_t t)
{
	if (!t)
		return NULL;
	char buf[32];
	time_format_rfc3339(t, buf, sizeof(buf));
	buf[10] = ' ';
	buf[16] = '\0';
	return arena_strdup(a, buf);
}

int api_review_form(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct review rv;
	rc = visible_review(r, db, id, &rv);
	if (rc)
		return rc;
	struct review_form_stage st[REVIEW_STAGES];
	struct approval_stage as[REVIEW_STAGES];
	int n, nfiles = 0;
	struct review_attachment *files = NULL;
	rc = review_form_stages(db, r->arena, &rv, st, &n);
	if (!rc)
		rc = review_attachments(db, r->arena, rv.id, &files, &nfiles);
	if (!rc)
		rc = review_form_printed(db, &api_who(r)->actor, &rv);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	for (int i = 0; i < n; i++) {
		const struct review_signature *g = st[i].sig;
		as[i] = (struct approval_stage){st[i].label, st[i].role_label,
						g ? g->user_name : NULL,
						g ? form_time(r->arena, g->signed_at) : NULL,
						g ? g->opinion : NULL};
	}
	const char **names = arena_alloc(r->arena, sizeof(*names) * (size_t)(nfiles + 1));
	for (int i = 0; i < nfiles; i++)
		names[i] = files[i].name;
	struct approval_form f = {
		.org_name = rv.org_name,
		.title = rv.title,
		.channel = rv.channel_name,
		.author = rv.author_name,
		.submitted_at = form_time(r->arena, rv.submitted_at),
		.sensitive = rv.sensitive,
		.revision = (int)rv.revision,
		.state = review_state_label(rv.state),
		.published_url = rv.published_url,
		.published_at = form_time(r->arena, rv.published_at),
		.attachments = names,
		.nattachments = nfiles,
		.body = rv.body,
		.stages = as,
		.nstages = n,
		.printed_at = form_time(r->arena, time_now()),
	};
	int fd;
	uint64_t size;
	rc = approval_form_pdf(&f, &fd, &size);
	if (rc)
		return req_fail(r, rc, NULL, "生成审签单失败，请稍后再试");
	rc = api_commit(r);
	if (rc) {
		close(fd);
		return rc;
	}
	req_add_header(r, "Content-Disposition",
		       arena_printf(r->arena, "inline; filename=\"review-%lld.pdf\"", (long long)id));
	req_add_header(r, "Cache-Control", "no-store");
	return req_reply_fd(r, 200, "application/pdf", fd, size);
}

/* ---- settings ---- */

int api_review_config_get(struct req *r)
{
	int64_t org_id;
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	struct review_config c;
	rc = review_config_get(db, r->arena, org_id, &c);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *j = review_config_json(&c);
	json_object_set_new(j, "editable",
			    json_boolean(scope_can(api_who(r), o.path, CONFIG_EDITORS)));
	return req_reply_json(r, 200, j);
}

int api_review_config_put(struct req *r)
{
	static const char *const keys[] = {"first_role",  "second_role",  "final_role",
					   "always_final", "first_hours", "second_hours",
					   "final_hours", NULL};
	static const char *const role_keys[] = {"first_role", "second_role", "final_role"};
	static const char *const hour_keys[] = {"first_hours", "second_hours", "final_hours"};
	int64_t org_id;
	json_t *body;
	int rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org_id);
	if (!rc)
		rc = req_json(r, &body);
	if (!rc)
		rc = req_json_allow(r, body, keys);
	if (rc)
		return rc;
	if (!org_id)
		return req_fail(r, ZRZ_EINVAL, "org_id", "请指定单位");
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct org o;
	rc = api_org_visible(r, db, org_id, &o, "org_id");
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, CONFIG_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, "只有本单位的书记或系统管理员可以设置审核流程");
	struct review_config c;
	rc = review_config_get(db, r->arena, org_id, &c);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	/* Fields left out keep their value. */
	for (int i = 0; !rc && i < REVIEW_STAGES; i++) {
		if (json_object_get(body, role_keys[i]))
			rc = req_json_enum(r, body, role_keys[i], true, review_roles, &c.role[i]);
		if (!rc && json_object_get(body, hour_keys[i]))
			rc = req_json_int(r, body, hour_keys[i], true, 1, REVIEW_HOURS_MAX,
					  &c.hours[i], NULL);
	}
	if (!rc)
		rc = req_json_bool(r, body, "always_final", &c.always_final, NULL);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = review_config_put(db, &api_who(r)->actor, &c, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	rc = review_config_get(db, r->arena, org_id, &c);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *j = review_config_json(&c);
	json_object_set_new(j, "editable", json_true());
	return req_reply_json(r, 200, j);
}

/* ---- files ---- */

static const char NO_FILE[] = "附件不存在或不在您的权限范围内";

int api_review_attachment_list(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct review rv;
	rc = visible_review(r, db, id, &rv);
	if (rc)
		return rc;
	struct review_attachment *t;
	int n;
	rc = review_attachments(db, r->arena, id, &t, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, review_attachment_json(&t[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

int api_review_attachment_upload(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct review rv;
	/* Who and when first: nobody learns how their file was judged for a
	 * submission they may not change. */
	rc = visible_review(r, db, id, &rv);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = review_may_edit(&api_who(r)->actor, &rv, &e);
	if (rc)
		return api_fail(r, rc, &e);
	struct multipart_part *parts;
	int nparts;
	rc = req_multipart(r, ATTACHMENT_FILES_MAX, &parts, &nparts);
	if (rc)
		return rc;
	struct attachment_file *files = arena_alloc(r->arena, sizeof(*files) * (size_t)nparts);
	for (int i = 0; i < nparts; i++) {
		const struct multipart_part *x = &parts[i];
		if (strcmp(x->name, "file") != 0)
			return req_fail(r, ZRZ_EBADREQ, "file", "只认识名为 “file” 的部分");
		if (!x->filename)
			return req_fail(r, ZRZ_EINVAL, "file", "“file” 部分应为上传的文件（需有文件名）");
		rc = attachment_prepare(api_app(r), r->arena, x->filename, x->data, x->len,
					&files[i], &e);
		if (rc)
			return api_fail(r, rc, &e);
	}
	struct review cur, out;
	rc = begin_step(r, &db, &cur);
	if (rc)
		return rc;
	struct review_attachment *added = arena_alloc(r->arena, sizeof(*added) * (size_t)nparts);
	bool *existed = arena_alloc(r->arena, sizeof(*existed) * (size_t)nparts);
	rc = review_attach(db, r->arena, &api_who(r)->actor, &cur, files, nparts, added, existed,
			   &out, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (int i = 0; i < nparts; i++) {
		json_t *j = review_attachment_json(&added[i]);
		json_object_set_new(j, "duplicate", json_boolean(existed[i]));
		json_array_append_new(arr, j);
	}
	json_t *page = json_page(arr, nparts);
	json_object_set_new(page, "review", review_json(&out));
	return req_reply_json(r, 201, page);
}

int api_review_attachment_delete(struct req *r)
{
	int64_t aid;
	int rc = req_param_id(r, "aid", &aid);
	if (rc)
		return rc;
	struct db *db;
	struct review cur, out;
	rc = begin_step(r, &db, &cur);
	if (rc)
		return rc;
	struct review_attachment t;
	rc = review_attachment_get(db, r->arena, aid, &t);
	if (rc == ZRZ_ENOTFOUND || (!rc && (t.review_id != cur.id || t.deleted_at)))
		return req_fail(r, ZRZ_ENOTFOUND, "aid", NO_FILE);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	struct derr e = {0};
	rc = review_detach(db, r->arena, &api_who(r)->actor, &cur, &t, &out, &e);
	return finish_step(r, db, rc, &e, &out);
}

int api_review_attachment_download(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct review_attachment t;
	rc = review_attachment_get(db, r->arena, id, &t);
	if (rc == ZRZ_ENOTFOUND || (!rc && t.deleted_at))
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_FILE);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	struct review rv;
	rc = review_get(db, r->arena, t.review_id, &rv);
	if (rc == ZRZ_ENOTFOUND || (!rc && !may_read(r, &rv)))
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_FILE);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	/* The bytes never change under their hash: it is the entity tag. */
	const char *etag = arena_printf(r->arena, "\"%s\"", t.sha256);
	req_add_header(r, "ETag", etag);
	req_add_header(r, "Cache-Control", "private, no-cache");
	if (api_etag_matches(req_header(r, "If-None-Match"), etag))
		return req_reply_bytes(r, 304, NULL, "", 0);
	const void *data;
	size_t n;
	rc = review_attachment_data(db, r->arena, &t, &data, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	req_add_header(r, "Content-Disposition", api_disposition(r->arena, t.name));
	return req_reply_bytes(r, 200, t.mime, data, n);
}

/*
 * /api/v1/records/{id}/attachments and /api/v1/attachments/{id}: the files
 * that prove a ledger record.  Whoever sees a record's unit lists and
 * downloads its attachments; whoever may edit the record (its unit's
 * office, secretary or leaders) uploads and removes them.  An upload is
 * multipart/form-data with one or more parts named "file", within the
 * route's body cap (serve --max-upload); every file is checked by its
 * content before anything is written, and all of them are stored in one
 * transaction with their audit rows, or none is.  A record or attachment
 * outside the caller's scope answers 404, as one that does not exist.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "api/api.h"
#include "domain/attachment.h"
#include "domain/ledger.h"
#include "domain/org.h"

#define RECORD_EDITORS (ROLE_OFFICE | ROLE_SECRETARY | ROLE_LEADER)

static const char NO_RECORD[] = "记录不存在或不在您的权限范围内";
static const char NO_ATTACHMENT[] = "附件不存在或不在您的权限范围内";
static const char NOT_EDITOR[] = "只有本单位的办公室、书记或班子成员可以维护台账附件";

/* Load record id if the caller sees its unit (a deleted record only for
 * those who may edit it, as in ledger_api.c). */
static int record_of(struct req *r, struct db *db, int64_t id, const char *field,
		     const char *missing, struct record *rec, struct org *o)
{
	int rc = ledger_get(db, r->arena, id, rec);
	if (!rc)
		rc = org_get(db, r->arena, rec->org_id, o);
	if (rc == ZRZ_ENOTFOUND ||
	    (!rc && (!scope_sees(api_who(r), o->path) ||
		     (rec->deleted_at && !scope_can(api_who(r), o->path, RECORD_EDITORS)))))
		return req_fail(r, ZRZ_ENOTFOUND, field, missing);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return ZRZ_OK;
}

/* The record the caller may attach to or remove from. */
static int editable_record(struct req *r, struct db *db, int64_t id, struct record *rec)
{
	struct org o;
	int rc = record_of(r, db, id, "id", NO_RECORD, rec, &o);
	if (rc)
		return rc;
	if (!scope_can(api_who(r), o.path, RECORD_EDITORS))
		return req_fail(r, ZRZ_EFORBIDDEN, NULL, NOT_EDITOR);
	return ZRZ_OK;
}

/* The files among the parts of the request, each named, typed by its
 * content, hashed and given a thumbnail when it is a photo. */
static int read_files(struct req *r, const struct multipart_part *parts, int nparts,
		      struct attachment_file **files, int *n)
{
	*files = arena_alloc(r->arena, sizeof(**files) * (size_t)nparts);
	*n = 0;
	for (int i = 0; i < nparts; i++) {
		const struct multipart_part *p = &parts[i];
		size_t nl = strlen(p->name);
		if (strcmp(p->name, "file") != 0) {
			const char *shown =
			    utf8_valid_text(p->name, nl) && nl <= 64 ? p->name : "?";
			return req_failf(r, ZRZ_EBADREQ, arena_strdup(r->arena, shown),
					 "不认识的字段：%s", shown);
		}
		if (!p->filename)
			return req_fail(r, ZRZ_EINVAL, "file",
					"“file” 部分应为上传的文件（需有文件名）");
		struct derr e = {0};
		int rc = attachment_prepare(api_app(r), r->arena, p->filename, p->data, p->len,
					    &(*files)[(*n)++], &e);
		if (rc)
			return api_fail(r, rc, &e);
	}
	return ZRZ_OK;
}

int api_attachment_upload(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct record rec;
	/* Scope first, so that nobody learns anything about a record they may
	 * not touch from how their file was judged. */
	rc = editable_record(r, db, id, &rec);
	if (rc)
		return rc;
	struct multipart_part *parts;
	struct attachment_file *files;
	int nparts, n;
	rc = req_multipart(r, ATTACHMENT_FILES_MAX, &parts, &nparts);
	if (!rc)
		rc = read_files(r, parts, nparts, &files, &n);
	if (rc)
		return rc;
	rc = api_begin(r, &db);
	if (!rc)
		rc = editable_record(r, db, id, &rec);
	if (rc)
		return rc;
	json_t *arr = json_array();
	arena_on_release(r->arena, (void (*)(void *))json_decref, arr);
	for (int i = 0; i < n; i++) {
		struct attachment t;
		bool existed;
		struct derr e = {0};
		rc = attachment_add(db, r->arena, &api_who(r)->actor, &rec, &files[i], &t, &existed,
				    &e);
		if (rc)
			return api_fail(r, rc, &e);
		json_t *j = attachment_json(&t);
		json_object_set_new(j, "duplicate", json_boolean(existed));
		json_array_append_new(arr, j);
	}
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_json(r, 201, json_page(json_incref(arr), n));
}

int api_attachment_list(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct db *db;
	rc = api_db(r, &db);
	if (rc)
		return rc;
	struct record rec;
	struct org o;
	rc = record_of(r, db, id, "id", NO_RECORD, &rec, &o);
	if (rc)
		return rc;
	struct attachment *items;
	int n;
	rc = attachment_list(db, r->arena, id, &items, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, attachment_json(&items[i]));
	return req_reply_json(r, 200, json_page(arr, n));
}

/* attachment; filename*=UTF-8''name, percent-encoded (RFC 6266, 5987). */
const char *api_disposition(struct arena *a, const char *name)
{
	static const char prefix[] = "attachment; filename*=UTF-8''";
	size_t n = strlen(name);
	char *out = arena_alloc(a, sizeof(prefix) + 3 * n);
	memcpy(out, prefix, sizeof(prefix) - 1);
	size_t o = sizeof(prefix) - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("!#$&+-.^_`|~", c)) {
			out[o++] = (char)c;
		} else {
			snprintf(out + o, 4, "%%%02X", c);
			o += 3;
		}
	}
	out[o] = '\0';
	return out;
}

/* Does an If-None-Match header name etag (or "*")? */
bool api_etag_matches(const char *header, const char *etag)
{
	if (!header)
		return false;
	if (!strcmp(header, "*"))
		return true;
	size_t n = strlen(etag);
	for (const char *p = strstr(header, etag); p; p = strstr(p + 1, etag)) {
		bool start = p == header || p[-1] == ' ' || p[-1] == ',' || p[-1] == '/';
		bool end = p[n] == '\0' || p[n] == ',' || p[n] == ' ';
		if (start && end)
			return true;
	}
	return false;
}

/* Load live attachment :id whose record the caller sees. */
static int visible_attachment(struct req *r, struct db *db, struct attachment *t)
{
	int64_t aid;
	int rc = req_param_id(r, "id", &aid);
	if (rc)
		return rc;
	rc = attachment_get(db, r->arena, aid, t);
	if (rc == ZRZ_ENOTFOUND || (!rc && t->deleted_at))
		return req_fail(r, ZRZ_ENOTFOUND, "id", NO_ATTACHMENT);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	struct record rec;
	struct org o;
	return record_of(r, db, t->record_id, "id", NO_ATTACHMENT, &rec, &o);
}

/* Headers of a content named by its hash; true when the client has it. */
static bool not_modified(struct req *r, const struct attachment *t, const char *suffix)
{
	/* The bytes never change under their hash: it is the entity tag. */
	const char *etag = arena_printf(r->arena, "\"%s%s\"", t->sha256, suffix);
	req_add_header(r, "ETag", etag);
	req_add_header(r, "Cache-Control", "private, no-cache");
	return api_etag_matches(req_header(r, "If-None-Match"), etag);
}

int api_attachment_download(struct req *r)
{
	struct db *db;
	int rc = api_db(r, &db);
	if (rc)
		return rc;
	struct attachment t;
	rc = visible_attachment(r, db, &t);
	if (rc)
		return rc;
	if (not_modified(r, &t, ""))
		return req_reply_bytes(r, 304, NULL, "", 0);
	const void *data;
	size_t n;
	rc = attachment_data(db, r->arena, &t, &data, &n);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	req_add_header(r, "Content-Disposition", api_disposition(r->arena, t.name));
	return req_reply_bytes(r, 200, t.mime, data, n);
}

int api_attachment_thumbnail(struct req *r)
{
	struct db *db;
	int rc = api_db(r, &db);
	if (rc)
		return rc;
	struct attachment t;
	rc = visible_attachment(r, db, &t);
	if (rc)
		return rc;
	if (!t.has_thumbnail)
		return req_fail(r, ZRZ_ENOTFOUND, "id", "该附件没有缩略图");
	if (not_modified(r, &t, "-thumb"))
		return req_reply_bytes(r, 304, NULL, "", 0);
	const void *data;
	const char *mime;
	size_t n;
	rc = attachment_thumbnail(db, r->arena, &t, &data, &n, &mime);
	if (rc == ZRZ_ENOTFOUND)
		return req_fail(r, rc, "id", "该附件没有缩略图");
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	return req_reply_bytes(r, 200, mime, data, n);
}

int api_attachment_delete(struct req *r)
{
	int64_t id, aid;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_param_id(r, "aid", &aid);
	if (rc)
		return rc;
	struct db *db;
	rc = api_begin(r, &db);
	if (rc)
		return rc;
	struct record rec;
	rc = editable_record(r, db, id, &rec);
	if (rc)
		return rc;
	struct attachment t;
	rc = attachment_get(db, r->arena, aid, &t);
	if (rc == ZRZ_ENOTFOUND || (!rc && (t.record_id != id || t.deleted_at)))
		return req_fail(r, ZRZ_ENOTFOUND, "aid", NO_ATTACHMENT);
	if (rc)
		return req_fail(r, rc, NULL, NULL);
	struct derr e = {0};
	rc = attachment_remove(db, &api_who(r)->actor, &rec, &t, &e);
	if (rc)
		return api_fail(r, rc, &e);
	rc = api_commit(r);
	if (rc)
		return rc;
	return req_reply_empty(r);
}

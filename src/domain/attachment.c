/*
 * Rules of attachments.  The type of a file is what libmagic reads in its
 * bytes, narrowed to the kinds a ledger needs (photos, PDF, Word, Excel);
 * the browser's Content-Type and the file name's extension are ignored
 * except to tell an old Word file from an old Excel file when libmagic sees
 * only "an OLE compound file".  Office Open XML files are ZIP archives: one
 * is accepted only when its [Content_Types].xml names the main part of a
 * Word document or an Excel workbook, read with libzip up to a small bound
 * (so that a crafted archive cannot make us inflate much).  A libmagic
 * handle is not safe to share between threads and loading its database
 * costs milliseconds, so the process keeps one, loaded on first use, and
 * sniffs under its lock (a sniff reads at most a few KiB of the file).
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/attachment.h"
#include "domain/audit.h"
#include "domain/thumbnail.h"
#include "store/repo.h"

#include <magic.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <strings.h>
#include <zip.h>

#define CONTENT_TYPES_MAX (64 * 1024)

static const char DOCX[] =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
static const char XLSX[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
static const char DOC[] = "application/msword";
static const char XLS[] = "application/vnd.ms-excel";

/* What libmagic may answer, and what we store for it. */
static const char *const accepted[][2] = {
    {"image/jpeg", "image/jpeg"},
    {"image/png", "image/png"},
    {"image/gif", "image/gif"},
    {"image/webp", "image/webp"},
    {"image/heic", "image/heic"},
    {"image/heif", "image/heif"},
    {"application/pdf", "application/pdf"},
    {"application/msword", DOC},
    {"application/vnd.ms-excel", XLS},
    {NULL, NULL},
};

struct attachment_sniffer {
	pthread_mutex_t lock;
	magic_t magic;
	bool loaded; /* tried: magic is NULL when the database would not load */
};

struct attachment_sniffer *attachment_sniffer_new(void)
{
	struct attachment_sniffer *s = xcalloc(1, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

void attachment_sniffer_free(struct attachment_sniffer *s)
{
	if (!s)
		return;
	if (s->magic)
		magic_close(s->magic);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* libmagic's MIME type of data, copied into the arena; NULL on failure. */
static const char *magic_type(struct attachment_sniffer *s, struct arena *a, const void *data,
			      size_t n)
{
	const char *out = NULL;
	pthread_mutex_lock(&s->lock);
	if (!s->loaded) {
		s->loaded = true;
		s->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
		if (s->magic && magic_load(s->magic, NULL) != 0) {
			log_error("libmagic: cannot load its database: %s", magic_error(s->magic));
			magic_close(s->magic);
			s->magic = NULL;
		}
	}
	if (s->magic) {
		const char *t = magic_buffer(s->magic, data, n);
		if (t)
			out = arena_strdup(a, t);
		else
			log_error("libmagic: %s", magic_error(s->magic));
	}
	pthread_mutex_unlock(&s->lock);
	return out;
}

/* DOCX or XLSX when data is a ZIP whose [Content_Types].xml says so. */
static const char *ooxml_type(const void *data, size_t n)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return NULL;
	}
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	zip_error_fini(&ze);
	if (!z) {
		zip_source_free(src);
		return NULL;
	}
	const char *type = NULL;
	zip_int64_t idx = zip_name_locate(z, "[Content_Types].xml", 0);
	zip_file_t *f = idx < 0 ? NULL : zip_fopen_index(z, (zip_uint64_t)idx, 0);
	if (f) {
		char *buf = xmalloc(CONTENT_TYPES_MAX + 1);
		zip_int64_t got = 0, r;
		while (got < CONTENT_TYPES_MAX &&
		       (r = zip_fread(f, buf + got, (zip_uint64_t)(CONTENT_TYPES_MAX - got))) > 0)
			got += r;
		buf[got] = '\0';
		zip_fclose(f);
		if (strstr(buf, "application/vnd.openxmlformats-officedocument."
				"wordprocessingml.document.main+xml"))
			type = DOCX;
		else if (strstr(buf, "application/vnd.openxmlformats-officedocument."
				     "spreadsheetml.sheet.main+xml"))
			type = XLSX;
		free(buf);
	}
	zip_discard(z);
	return type;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

int attachment_sniff(struct app *app, struct arena *a, const char *name, const void *data, size_t n,
		     const char **mime, struct derr *e)
{
	*mime = NULL;
	if (n == 0)
		return derr_set(e, ZRZ_EINVAL, "file", arena_printf(a, "文件“%s”是空文件", name));
	const char *t = magic_type(app->sniffer, a, data, n);
	if (!t)
		return ZRZ_EINTERNAL;
	for (int i = 0; accepted[i][0]; i++)
		if (!strcmp(t, accepted[i][0]))
			*mime = accepted[i][1];
	bool zip = n >= 4 && !memcmp(data, "PK\x03\x04", 4);
	if (!*mime && zip)
		*mime = ooxml_type(data, n);
	if (!*mime && (!strcmp(t, "application/x-ole-storage") || !strcmp(t, "application/CDFV2") ||
		       !strcmp(t, "application/vnd.ms-office"))) {
		if (ends_with_ci(name, ".doc"))
			*mime = DOC;
		else if (ends_with_ci(name, ".xls"))
			*mime = XLS;
	}
	if (!*mime)
		return derr_set(
		    e, ZRZ_EMEDIA, "file",
		    arena_printf(a,
				 "文件“%s”的类型不受支持：只能上传图片（JPEG、PNG、GIF、"
				 "WebP、HEIC）、PDF、Word 或 Excel 文件",
				 name));
	return ZRZ_OK;
}

int attachment_name_check(const char *raw, const char **out, struct derr *e)
{
	static const char msg[] = "文件名应为 1 至 200 个字，不含控制字符";
	const char *base = raw;
	for (const char *p = raw; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t n = strlen(base);
	if (!utf8_valid_text(base, n) || strpbrk(base, "\t\r\n") || str_blank(base) ||
	    utf8_count(base, n) > ATTACHMENT_NAME_MAX || !strcmp(base, ".") || !strcmp(base, ".."))
		return derr_set(e, ZRZ_EINVAL, "file", msg);
	*out = base;
	return ZRZ_OK;
}

static const char *sha256_hex(struct arena *a, const void *data, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		abort();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	EVP_DigestUpdate(ctx, data, n);
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	char *hex = arena_alloc(a, 2 * len + 1);
	hex_encode(md, len, hex);
	return hex;
}

int attachment_prepare(struct app *app, struct arena *a, const char *raw_name, const void *data,
		       size_t n, struct attachment_file *out, struct derr *e)
{
	memset(out, 0, sizeof(*out));
	struct attachment_content *c = &out->content;
	int rc = attachment_name_check(raw_name, &out->name, e);
	if (!rc)
		rc = attachment_sniff(app, a, out->name, data, n, &c->mime, e);
	if (rc)
		return rc;
	c->data = data;
	c->size = n;
	c->sha256 = sha256_hex(a, data, n);
	/* No thumbnail is no reason to refuse the photo itself. */
	if (thumbnail_make(a, c->mime, data, n, &c->thumb, &c->thumb_size, &c->thumb_mime)) {
		c->thumb = NULL;
		c->thumb_size = 0;
		c->thumb_mime = NULL;
	}
	return ZRZ_OK;
}

int attachment_add(struct db *db, struct arena *a, const struct actor *who,
		   const struct record *rec, const struct attachment_file *f,
		   struct attachment *out, bool *existed, struct derr *e)
{
	*existed = false;
	if (rec->deleted_at)
		return derr_set(e, ZRZ_ECONFLICT, "id", "记录已删除，请先恢复再上传附件");
	const struct attachment_content *c = &f->content;
	int rc = store_attachment_find_live(db, a, rec->id, c->sha256, out);
	if (!rc) {
		*existed = true;
		return ZRZ_OK;
	}
	if (rc != ZRZ_ENOTFOUND)
		return rc;
	int64_t now = time_now();
	bool stored;
	rc = store_attachment_content_exists(db, c->sha256, &stored);
	if (!rc && !stored)
		rc = store_attachment_content_insert(db, c, now);
	int64_t id = 0;
	if (!rc)
		rc = store_attachment_insert(db, rec->id, c->sha256, f->name, who->user_id, now,
					     &id);
	if (!rc)
		rc = store_attachment_get(db, a, id, out);
	if (rc)
		return rc;
	return audit_log(db, who, rec->org_id, "attachment.create", "attachment", id,
			 json_pack("{s:I, s:s, s:s, s:s, s:I, s:b}", "record_id",
				   (json_int_t)rec->id, "name", f->name, "sha256", c->sha256,
				   "mime", out->mime, "size", (json_int_t)out->size, "stored",
				   !stored));
}

int attachment_get(struct db *db, struct arena *a, int64_t id, struct attachment *out)
{
	return store_attachment_get(db, a, id, out);
}

int attachment_list(struct db *db, struct arena *a, int64_t record_id, struct attachment **items,
		    int *n)
{
	return store_attachment_list(db, a, record_id, items, n);
}

int attachment_data(struct db *db, struct arena *a, const struct attachment *t, const void **data,
		    size_t *n)
{
	int rc = store_attachment_content_data(db, a, t->sha256, data, n);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

int attachment_thumbnail(struct db *db, struct arena *a, const struct attachment *t,
			 const void **data, size_t *n, const char **mime)
{
	return store_attachment_content_thumb(db, a, t->sha256, data, n, mime);
}

int attachment_remove(struct db *db, const struct actor *who, const struct record *rec,
		      const struct attachment *t, struct derr *e)
{
	if (t->deleted_at)
		return derr_set(e, ZRZ_ECONFLICT, "aid", "附件已删除");
	int rc = store_attachment_set_deleted(db, t, time_now());
	if (rc == ZRZ_ECONFLICT)
		return derr_set(e, rc, "aid", "附件已删除");
	if (rc)
		return rc;
	return audit_log(db, who, rec->org_id, "attachment.delete", "attachment", t->id,
			 json_pack("{s:I, s:s, s:s}", "record_id", (json_int_t)rec->id, "name",
				   t->name, "sha256", t->sha256));
}

json_t *attachment_json(const struct attachment *t)
{
	char at[32];
	time_format_rfc3339(t->created_at, at, sizeof(at));
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:o, s:s, s:b}", "id", (json_int_t)t->id,
			 "record_id", (json_int_t)t->record_id, "name", t->name, "mime", t->mime,
			 "size", (json_int_t)t->size, "sha256", t->sha256, "created_by",
			 t->created_by ? json_integer(t->created_by) : json_null(), "created_at",
			 at, "has_thumbnail", t->has_thumbnail);
}

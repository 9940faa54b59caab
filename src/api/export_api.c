/*
 * Sending an export (see export_api.h).  The file is written to an
 * anonymous temporary file while the request's read snapshot is open, so it
 * shows one consistent state; then the read ends, one audit row "export"
 * records who exported what in a write transaction of its own, and the file
 * goes out from its descriptor, never held in memory.  Errors found before
 * writing answer JSON like the list does.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/ztime.h"
#include "api/export_api.h"
#include "report/export.h"

#include <unistd.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

int api_query_format(struct req *r, const char *name, bool *xlsx)
{
	const char *f;
	int rc = req_query_str(r, name, 10, &f);
	if (rc)
		return rc;
	*xlsx = f && !strcmp(f, "xlsx");
	if (f && !*xlsx && strcmp(f, "json"))
		return req_fail(r, ZRZ_EINVAL, name, "格式应为 json 或 xlsx");
	return ZRZ_OK;
}

/* RFC 5987 value: UTF-8, every byte outside attr-char percent-encoded. */
static const char *percent_encode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = arena_alloc(a, 3 * n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("!#$&+-.^_`|~", c)) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}

/* Audit res and send its file; closes the file on every path. */
static int send_export(struct req *r, const struct org *o, struct export_result *res,
		       const char *ascii_name)
{
	struct db *db;
	int rc = api_begin(r, &db);
	if (!rc) {
		rc = export_audit(db, &api_who(r)->actor, o, res);
		if (rc)
			rc = req_fail(r, rc, NULL, NULL);
		else
			rc = api_commit(r);
	}
	json_decref(res->detail);
	res->detail = NULL;
	if (rc) {
		close(res->fd);
		return rc;
	}
	req_add_header(r, "Content-Disposition",
		       arena_printf(r->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
				    ascii_name, percent_encode(r->arena, res->filename)));
	req_add_header(r, "Cache-Control", "no-store");
	req_add_header(r, "X-Export-Rows", arena_printf(r->arena, "%lld", (long long)res->rows));
	return req_reply_fd(r, 200, XLSX_TYPE, res->fd, res->size);
}

static int export_failed(struct req *r, int rc, const struct derr *e)
{
	if (rc == ZRZ_EIO)
		return req_fail(r, rc, NULL, "生成导出文件失败，请稍后再试");
	return api_fail(r, rc, e);
}

int api_export_records(struct req *r, struct db *db, const struct org *o,
		       const struct record_filter *f)
{
	struct export_result res;
	struct derr e = {0};
	int rc = export_records(db, r->arena, o, f, time_now(), NULL, NULL, &res, &e);
	if (rc)
		return export_failed(r, rc, &e);
	return send_export(r, o, &res, "records.xlsx");
}

int api_export_compliance(struct req *r, struct db *db, const struct org *o, int year,
			  int today)
{
	struct export_result res;
	struct derr e = {0};
	int rc = export_compliance(db, r->arena, o, year, today, time_now(), NULL, NULL, &res, &e);
	if (rc)
		return export_failed(r, rc, &e);
	return send_export(r, o, &res, "compliance.xlsx");
}

int api_export_rollup(struct req *r, struct db *db, const struct org *o, int year, int today,
		      const struct period *only, enum rollup_sort sort)
{
	struct export_result res;
	struct derr e = {0};
	int rc = export_rollup(db, r->arena, o, year, today, only, sort, time_now(), NULL, NULL,
			       &res, &e);
	if (rc)
		return export_failed(r, rc, &e);
	return send_export(r, o, &res, "rollup.xlsx");
}

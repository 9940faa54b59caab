/*
 * Routing and the request helpers handlers use.  Patterns are matched
 * segment by segment; a {name} segment matches any one non-empty segment
 * and is kept as a parameter.  When the path matches some route but not the
 * method, the answer is 405 with an Allow header.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "http/internal.h"

#include <microhttpd.h>
#include <unistd.h>

static bool match(struct req *r, const char *pattern, const char *path)
{
	int np = 0;
	const char *p = pattern, *u = path;
	while (*p && *u) {
		if (*p != '/' || *u != '/')
			return false;
		p++;
		u++;
		const char *pe = strchr(p, '/');
		const char *ue = strchr(u, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t ul = ue ? (size_t)(ue - u) : strlen(u);
		if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
			if (ul == 0 || np >= REQ_MAX_PARAMS)
				return false;
			r->params[np].name = arena_strndup(r->arena, p + 1, pl - 2);
			r->params[np].value = arena_strndup(r->arena, u, ul);
			np++;
		} else if (pl != ul || memcmp(p, u, pl) != 0) {
			return false;
		}
		p += pl;
		u += ul;
	}
	if (*p || *u)
		return false;
	r->nparams = np;
	return true;
}

void http__route(struct req *r, const struct http_config *cfg)
{
	const char *m = !strcmp(r->method, "HEAD") ? "GET" : r->method;
	for (const struct route *rt = cfg->routes; rt && rt->method; rt++) {
		if (strcmp(rt->method, m) != 0)
			continue;
		if (match(r, rt->pattern, r->path)) {
			r->route = rt;
			return;
		}
	}
	r->route = NULL;
	r->nparams = 0;
}

static const char *allowed_methods(struct req *r, const struct http_config *cfg)
{
	char allow[128] = "";
	size_t n = 0;
	for (const struct route *rt = cfg->routes; rt && rt->method; rt++) {
		if (!match(r, rt->pattern, r->path) || strstr(allow, rt->method))
			continue;
		n += (size_t)snprintf(allow + n, sizeof(allow) - n, "%s%s", n ? ", " : "", rt->method);
		if (n >= sizeof(allow))
			break;
	}
	r->nparams = 0;
	return n ? arena_strdup(r->arena, allow) : NULL;
}

int http__dispatch(struct req *r, const struct http_config *cfg, struct http_static *web)
{
	if (r->route) {
		if (!(r->route->flags & ROUTE_PUBLIC) && cfg->authenticate) {
			int rc = cfg->authenticate(r);
			if (rc)
				return rc;
		}
		/* A handler whose transaction lost a serialization race (ZRZ_ERETRY)
		 * runs again from the start: it has sent nothing yet, and its
		 * transaction was rolled back by the retry hook. */
		int headers_before = r->nheaders;
		for (int attempt = 1;; attempt++) {
			int rc = r->route->handler(r);
			if (rc != ZRZ_ERETRY || attempt >= HTTP_MAX_ATTEMPTS || r->replied)
				return rc;
			r->err_field = NULL;
			r->err_msg = NULL;
			r->nheaders = headers_before;
			if (cfg->retry)
				cfg->retry(r);
		}
	}
	const char *allow = allowed_methods(r, cfg);
	if (allow) {
		req_add_header(r, "Allow", allow);
		return req_fail(r, ZRZ_EMETHOD, NULL, NULL);
	}
	if (!strncmp(r->path, "/api/", 5) || !strcmp(r->path, "/api"))
		return req_fail(r, ZRZ_ENOTFOUND, NULL, "接口不存在");
	if (web && (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")))
		return http__static_serve(web, r);
	if (web) {
		req_add_header(r, "Allow", "GET, HEAD");
		return req_fail(r, ZRZ_EMETHOD, NULL, NULL);
	}
	return req_fail(r, ZRZ_ENOTFOUND, NULL, NULL);
}

void http__reply_error(struct req *r, int code)
{
	if (code >= 0)
		code = ZRZ_EINTERNAL;
	int status = zrz_err_status(code);
	const char *msg = r->err_msg ? r->err_msg : zrz_err_message(code);
	/* A detail that is not valid text must not break the error itself. */
	if (!utf8_valid_text(msg, strlen(msg)))
		msg = zrz_err_message(code);
	const char *field = r->err_field;
	if (field && !utf8_valid_text(field, strlen(field)))
		field = NULL;
	if (status >= 500) {
		log_error("request %s %s %.200s failed: %s (%s)", r->request_id, r->method, r->path,
			  zrz_err_slug(code), r->err_msg ? r->err_msg : "-");
		/* The body stays generic; the details are in the log. */
		if (code == ZRZ_EINTERNAL || code == ZRZ_EIO)
			msg = zrz_err_message(code);
	}
	json_t *e = json_pack("{s:s, s:s, s:o}", "code", zrz_err_slug(code), "message", msg,
			      "field", field ? json_string(field) : json_null());
	if (e && status >= 500)
		json_object_set_new(e, "request_id", json_string(r->request_id));
	r->replied = false;
	free(r->resp_body);
	r->resp_body = NULL;
	if (!e || req_reply_json(r, status, json_pack("{s:o}", "error", e)) != ZRZ_OK) {
		static const char fallback[] = "{\"error\":{\"code\":\"internal\",\"message\":"
					       "\"服务器内部错误\",\"field\":null}}";
		req_reply_bytes(r, status, "application/json; charset=utf-8", fallback,
				sizeof(fallback) - 1);
	}
}

const char *req_param(struct req *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (!strcmp(r->params[i].name, name))
			return r->params[i].value;
	return NULL;
}

int req_param_id(struct req *r, const char *name, int64_t *out)
{
	const char *v = req_param(r, name);
	int64_t id;
	if (!v || !str_to_int64(v, &id) || id <= 0 || v[0] == '+' || v[0] == '0')
		return req_fail(r, ZRZ_ENOTFOUND, name, NULL);
	*out = id;
	return ZRZ_OK;
}

const char *req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int req_failf(struct req *r, int code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = arena_alloc(r->arena, (size_t)(n > 0 ? n : 0) + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	return req_fail(r, code, field, msg);
}

int req_fail(struct req *r, int code, const char *field, const char *msg)
{
	r->err_field = field;
	r->err_msg = msg;
	return code;
}

int req_query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t def,
		  int64_t *out)
{
	const char *v = req_query(r, name);
	if (!v || !*v) {
		*out = def;
		return ZRZ_OK;
	}
	int64_t n;
	if (!str_to_int64(v, &n))
		return req_failf(r, ZRZ_EBADREQ, name, "参数 %s 应为整数", name);
	if (n < min || n > max)
		return req_failf(r, ZRZ_EINVAL, name, "参数 %s 应在 %lld 到 %lld 之间", name,
				 (long long)min, (long long)max);
	*out = n;
	return ZRZ_OK;
}

int req_query_str(struct req *r, const char *name, size_t max_chars, const char **out)
{
	const char *v = req_query(r, name);
	*out = NULL;
	if (!v || !*v)
		return ZRZ_OK;
	size_t n = strlen(v);
	if (!utf8_valid_text(v, n))
		return req_failf(r, ZRZ_EBADREQ, name, "参数 %s 含有无效字符", name);
	if (utf8_count(v, n) > max_chars)
		return req_failf(r, ZRZ_EINVAL, name, "参数 %s 不能超过 %zu 个字", name, max_chars);
	*out = v;
	return ZRZ_OK;
}

int req_query_bool(struct req *r, const char *name, bool *out)
{
	const char *v = req_query(r, name);
	*out = false;
	if (!v || !*v)
		return ZRZ_OK;
	if (!strcmp(v, "1") || !strcmp(v, "true"))
		*out = true;
	else if (strcmp(v, "0") != 0 && strcmp(v, "false") != 0)
		return req_failf(r, ZRZ_EBADREQ, name, "参数 %s 应为 true 或 false", name);
	return ZRZ_OK;
}

int req_page(struct req *r, int64_t *offset, int64_t *limit)
{
	int64_t page, size;
	int rc = req_query_int(r, "page", 1, 1000000, 1, &page);
	if (!rc)
		rc = req_query_int(r, "size", 1, 200, 25, &size);
	if (rc)
		return rc;
	*offset = (page - 1) * size;
	*limit = size;
	return ZRZ_OK;
}

/* ---- JSON ---- */

int req_json(struct req *r, json_t **out)
{
	*out = NULL;
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' '))
		return req_fail(r, ZRZ_EMEDIA, NULL, "请求内容类型应为 application/json");
	if (!r->body_len)
		return req_fail(r, ZRZ_EBADREQ, NULL, "请求内容不能为空");
	json_error_t jerr;
	json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		return req_failf(r, ZRZ_EBADREQ, NULL, "请求内容不是有效的 JSON（第 %d 行第 %d 列）",
				 jerr.line, jerr.column);
	arena_on_release(r->arena, (void (*)(void *))json_decref, j);
	if (!json_is_object(j))
		return req_fail(r, ZRZ_EBADREQ, NULL, "请求内容应为 JSON 对象");
	*out = j;
	return ZRZ_OK;
}

int req_json_allow(struct req *r, json_t *obj, const char *const *keys)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		for (const char *const *k = keys; *k; k++)
			if (!strcmp(*k, key)) {
				ok = true;
				break;
			}
		if (!ok) {
			size_t n = strlen(key);
			const char *shown = utf8_valid_text(key, n) && n <= 64 ? key : "?";
			return req_failf(r, ZRZ_EBADREQ, arena_strdup(r->arena, shown),
					 "不认识的字段：%s", shown);
		}
	}
	return ZRZ_OK;
}

int req_json_str(struct req *r, json_t *obj, const char *key, bool required, size_t min_chars,
		 size_t max_chars, const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return req_failf(r, ZRZ_EINVAL, key, "%s不能为空", http_field_label(key));
		return ZRZ_OK;
	}
	if (!json_is_string(v))
		return req_failf(r, ZRZ_EBADREQ, key, "%s应为文本", http_field_label(key));
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	/* The JSON parser already refused invalid UTF-8; what is left is
	 * well-formed text with characters a name may not hold. */
	if (strlen(s) != n || !utf8_valid_text(s, n))
		return req_failf(r, ZRZ_EINVAL, key, "%s含有无效的控制字符", http_field_label(key));
	size_t chars = utf8_count(s, n);
	if (required && (chars == 0 || str_blank(s)))
		return req_failf(r, ZRZ_EINVAL, key, "%s不能为空", http_field_label(key));
	if (chars < min_chars)
		return req_failf(r, ZRZ_EINVAL, key, "%s至少需要 %zu 个字", http_field_label(key),
				 min_chars);
	if (chars > max_chars)
		return req_failf(r, ZRZ_EINVAL, key, "%s不能超过 %zu 个字", http_field_label(key),
				 max_chars);
	*out = s;
	return ZRZ_OK;
}

int req_json_int(struct req *r, json_t *obj, const char *key, bool required, int64_t min,
		 int64_t max, int64_t *out, bool *present)
{
	json_t *v = json_object_get(obj, key);
	if (present)
		*present = false;
	if (!v || json_is_null(v)) {
		if (required)
			return req_failf(r, ZRZ_EINVAL, key, "%s不能为空", http_field_label(key));
		return ZRZ_OK;
	}
	if (!json_is_integer(v))
		return req_failf(r, ZRZ_EBADREQ, key, "%s应为整数", http_field_label(key));
	json_int_t n = json_integer_value(v);
	if (n < min || n > max)
		return req_failf(r, ZRZ_EINVAL, key, "%s超出允许的范围", http_field_label(key));
	*out = n;
	if (present)
		*present = true;
	return ZRZ_OK;
}

int req_json_bool(struct req *r, json_t *obj, const char *key, bool *out, bool *present)
{
	json_t *v = json_object_get(obj, key);
	if (present)
		*present = false;
	if (!v || json_is_null(v))
		return ZRZ_OK;
	if (!json_is_boolean(v))
		return req_failf(r, ZRZ_EBADREQ, key, "%s应为 true 或 false", http_field_label(key));
	*out = json_is_true(v);
	if (present)
		*present = true;
	return ZRZ_OK;
}

int req_json_enum(struct req *r, json_t *obj, const char *key, bool required,
		  const char *const *values, const char **out)
{
	const char *s;
	int rc = req_json_str(r, obj, key, required, 0, 64, &s);
	if (rc)
		return rc;
	*out = NULL;
	if (!s)
		return ZRZ_OK;
	for (const char *const *v = values; *v; v++)
		if (!strcmp(*v, s)) {
			*out = *v;
			return ZRZ_OK;
		}
	return req_failf(r, ZRZ_EINVAL, key, "%s的取值无效", http_field_label(key));
}

/* ---- replies ---- */

int req_reply_json(struct req *r, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!s)
		return req_fail(r, ZRZ_EINTERNAL, NULL, NULL);
	free(r->resp_body);
	r->resp_body = s;
	r->resp_len = strlen(s);
	r->resp_type = "application/json; charset=utf-8";
	r->status = status;
	r->replied = true;
	return ZRZ_OK;
}

int req_reply_json_text(struct req *r, int status, char *text, size_t n)
{
	free(r->resp_body);
	r->resp_body = text;
	r->resp_len = n;
	r->resp_type = "application/json; charset=utf-8";
	r->status = status;
	r->replied = true;
	return ZRZ_OK;
}

int req_reply_bytes(struct req *r, int status, const char *type, const void *p, size_t n)
{
	free(r->resp_body);
	r->resp_body = xmalloc(n ? n : 1);
	if (n)
		memcpy(r->resp_body, p, n);
	r->resp_len = n;
	r->resp_type = type;
	r->status = status;
	r->replied = true;
	return ZRZ_OK;
}

int req_reply_fd(struct req *r, int status, const char *type, int fd, uint64_t size)
{
	free(r->resp_body);
	r->resp_body = NULL;
	r->resp_len = 0;
	if (r->static_fd >= 0)
		close(r->static_fd);
	r->static_fd = fd;
	r->static_size = size;
	r->resp_type = type;
	r->status = status;
	r->replied = true;
	return ZRZ_OK;
}

int req_reply_empty(struct req *r)
{
	return req_reply_bytes(r, 204, NULL, "", 0);
}

void req_add_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders < REQ_MAX_HEADERS) {
		r->headers[r->nheaders][0] = name;
		r->headers[r->nheaders][1] = value;
		r->nheaders++;
	}
}

json_t *json_page(json_t *items, int64_t total)
{
	return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
}

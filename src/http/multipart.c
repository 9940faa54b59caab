/*
 * multipart/form-data (RFC 7578) over a body that the server has already
 * read into memory within the route's cap, so the parser never allocates
 * more than a few small strings per part and every part's bytes point into
 * the body.  It is strict where browsers and common clients are uniform and
 * lenient nowhere else: lines end in CRLF (a bare LF is malformed), the
 * boundary is 1..70 characters, every part has a Content-Disposition of
 * form-data with a name, part headers are at most 8 KiB, and the body must
 * end with the closing delimiter.  A preamble before the first delimiter
 * and an epilogue after the last are ignored, as RFC 2046 asks.  File names
 * come from filename*=UTF-8''... (RFC 5987 percent-encoding) when present,
 * else from filename="..." as browsers send it (raw UTF-8 in a quoted
 * string; a backslash escapes only a quote or a backslash).  Names are
 * returned as bytes: checking that they are valid text is the caller's.
 */
#include "core/common.h"
#include "core/arena.h"
#include "http/http.h"

#include <strings.h>

#define HEADERS_MAX  (8 * 1024)
#define BOUNDARY_MAX 70

struct param_cursor {
	const char *p;
	const char *end;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_token_char(char c)
{
	return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/*
 * The next ";name=value" parameter of a header value.  value is unquoted
 * (arena copy).  Returns 1 with a parameter, 0 at the end, -1 when
 * malformed.
 */
static int next_param(struct arena *a, struct param_cursor *c, const char **name,
		      const char **value)
{
	const char *p = c->p;
	while (p < c->end && is_space(*p))
		p++;
	if (p == c->end)
		return 0;
	if (*p != ';')
		return -1;
	p++;
	while (p < c->end && is_space(*p))
		p++;
	const char *ns = p;
	while (p < c->end && is_token_char(*p))
		p++;
	if (p == ns || p == c->end || *p != '=')
		return -1;
	*name = arena_strndup(a, ns, (size_t)(p - ns));
	p++;
	if (p < c->end && *p == '"') {
		p++;
		char *out = arena_alloc(a, (size_t)(c->end - p) + 1);
		size_t o = 0;
		for (;;) {
			if (p == c->end)
				return -1;
			if (*p == '"')
				break;
			if (*p == '\\' && p + 1 < c->end && (p[1] == '"' || p[1] == '\\'))
				p++;
			out[o++] = *p++;
		}
		out[o] = '\0';
		*value = out;
		p++;
	} else {
		const char *vs = p;
		while (p < c->end && !is_space(*p) && *p != ';')
			p++;
		if (p == vs)
			return -1;
		*value = arena_strndup(a, vs, (size_t)(p - vs));
	}
	c->p = p;
	return 1;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* filename*=UTF-8'lang'percent-encoded (RFC 5987); NULL when malformed or
 * in another charset. */
static const char *ext_value(struct arena *a, const char *v)
{
	const char *q1 = strchr(v, '\'');
	const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
	if (!q2 || q1 - v != 5 || strncasecmp(v, "utf-8", 5) != 0)
		return NULL;
	const char *p = q2 + 1;
	char *out = arena_alloc(a, strlen(p) + 1);
	size_t o = 0;
	for (; *p; p++) {
		if (*p == '%') {
			int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
			if (lo < 0)
				return NULL;
			out[o++] = (char)(hi * 16 + lo);
			p += 2;
		} else if (is_token_char(*p) || *p == '/' || *p == '?' || *p == '=') {
			out[o++] = *p;
		} else {
			return NULL;
		}
	}
	out[o] = '\0';
	return out;
}

int http_multipart_boundary(struct arena *a, const char *content_type, const char **boundary)
{
	*boundary = NULL;
	static const char type[] = "multipart/form-data";
	size_t tl = sizeof(type) - 1;
	if (!content_type || strncasecmp(content_type, type, tl) != 0 ||
	    (content_type[tl] && content_type[tl] != ';' && !is_space(content_type[tl])))
		return ZRZ_EMEDIA;
	struct param_cursor c = {content_type + tl, content_type + strlen(content_type)};
	const char *name, *value;
	int rc;
	while ((rc = next_param(a, &c, &name, &value)) == 1) {
		if (strcasecmp(name, "boundary") != 0)
			continue;
		if (*boundary)
			return ZRZ_EBADREQ;
		*boundary = value;
	}
	if (rc < 0 || !*boundary)
		return ZRZ_EBADREQ;
	size_t n = strlen(*boundary);
	if (n < 1 || n > BOUNDARY_MAX || is_space((*boundary)[n - 1]))
		return ZRZ_EBADREQ;
	for (const char *p = *boundary; *p; p++)
		if ((unsigned char)*p < 32 || (unsigned char)*p > 126)
			return ZRZ_EBADREQ;
	return ZRZ_OK;
}

/* The headers of one part, [p, end), CRLF-terminated lines. */
static int part_headers(struct arena *a, const char *p, const char *end,
			struct multipart_part *part, const char **why)
{
	bool disposition = false;
	const char *filename = NULL, *filename_ext = NULL;
	while (p < end) {
		const char *eol = memchr(p, '\r', (size_t)(end - p));
		if (!eol || eol + 1 >= end || eol[1] != '\n') {
			*why = "各部分的头部应以 CRLF 换行";
			return ZRZ_EBADREQ;
		}
		if (memchr(p, '\n', (size_t)(eol - p)) || memchr(p, '\0', (size_t)(eol - p))) {
			*why = "各部分的头部应以 CRLF 换行";
			return ZRZ_EBADREQ;
		}
		const char *colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon || colon == p) {
			*why = "各部分的头部格式不正确";
			return ZRZ_EBADREQ;
		}
		size_t nl = (size_t)(colon - p);
		const char *v = colon + 1;
		while (v < eol && is_space(*v))
			v++;
		if (nl == 19 && !strncasecmp(p, "Content-Disposition", nl)) {
			if (disposition) {
				*why = "一个部分只能有一个 Content-Disposition";
				return ZRZ_EBADREQ;
			}
			disposition = true;
			const char *vs = v;
			while (v < eol && is_token_char(*v))
				v++;
			if (v - vs != 9 || strncasecmp(vs, "form-data", 9) != 0) {
				*why = "各部分的 Content-Disposition 应为 form-data";
				return ZRZ_EBADREQ;
			}
			struct param_cursor c = {v, eol};
			const char *name, *value;
			int rc;
			while ((rc = next_param(a, &c, &name, &value)) == 1) {
				const char **slot = !strcasecmp(name, "name")        ? &part->name
						    : !strcasecmp(name, "filename")  ? &filename
						    : !strcasecmp(name, "filename*") ? &filename_ext
										     : NULL;
				if (!slot)
					continue;
				if (*slot) {
					*why = "Content-Disposition 的参数重复";
					return ZRZ_EBADREQ;
				}
				*slot = value;
			}
			if (rc < 0) {
				*why = "Content-Disposition 的参数格式不正确";
				return ZRZ_EBADREQ;
			}
		} else if (nl == 12 && !strncasecmp(p, "Content-Type", nl)) {
			part->type = arena_strndup(a, v, (size_t)(eol - v));
		}
		p = eol + 2;
	}
	if (!disposition || !part->name) {
		*why = "每个部分都应有带名称的 Content-Disposition";
		return ZRZ_EBADREQ;
	}
	if (filename_ext) {
		part->filename = ext_value(a, filename_ext);
		if (!part->filename) {
			*why = "文件名 (filename*) 应为 UTF-8 的百分号编码";
			return ZRZ_EBADREQ;
		}
	} else {
		part->filename = filename;
	}
	return ZRZ_OK;
}

int http_multipart_parse(struct arena *a, const char *boundary, const char *body, size_t len,
			 int max_parts, struct multipart_part **parts, int *nparts,
			 const char **why)
{
	*parts = NULL;
	*nparts = 0;
	*why = "请求内容不是有效的 multipart/form-data";
	size_t bl = strlen(boundary);
	/* "\r\n--" boundary: the first delimiter may also open the body. */
	char *delim = arena_alloc(a, bl + 5);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, bl);
	size_t dl = bl + 4;
	const char *end = body + len;
	const char *p;
	if (len >= dl - 2 && !memcmp(body, delim + 2, dl - 2)) {
		p = body + dl - 2;
	} else {
		const char *d = memmem(body, len, delim, dl);
		if (!d) {
			*why = "请求内容中没有找到分隔符 (boundary)";
			return ZRZ_EBADREQ;
		}
		p = d + dl;
	}
	struct multipart_part *out = arena_alloc(a, sizeof(*out) * (size_t)max_parts);
	int n = 0;
	for (;;) {
		/* After a delimiter: "--" closes, else padding and CRLF. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break;
		while (p < end && is_space(*p))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			*why = "分隔符之后应为 CRLF";
			return ZRZ_EBADREQ;
		}
		p += 2;
		if (n == max_parts) {
			*why = "上传的部分过多";
			return ZRZ_EBADREQ;
		}
		/* Headers end at an empty line. */
		const char *hend;
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
			hend = p;
		} else {
			size_t look = (size_t)(end - p) < HEADERS_MAX + 4 ? (size_t)(end - p)
									  : HEADERS_MAX + 4;
			const char *blank = memmem(p, look, "\r\n\r\n", 4);
			if (!blank) {
				*why = (size_t)(end - p) > HEADERS_MAX ? "某一部分的头部过长"
								       : "某一部分的头部没有结束";
				return ZRZ_EBADREQ;
			}
			hend = blank + 2;
		}
		struct multipart_part *part = &out[n];
		memset(part, 0, sizeof(*part));
		int rc = part_headers(a, p, hend, part, why);
		if (rc)
			return rc;
		p = hend + 2;
		const char *d = memmem(p, (size_t)(end - p), delim, dl);
		if (!d) {
			*why = "请求内容缺少结束分隔符";
			return ZRZ_EBADREQ;
		}
		part->data = p;
		part->len = (size_t)(d - p);
		n++;
		p = d + dl;
	}
	if (n == 0) {
		*why = "请求内容中没有任何部分";
		return ZRZ_EBADREQ;
	}
	*parts = out;
	*nparts = n;
	return ZRZ_OK;
}

int req_multipart(struct req *r, int max_parts, struct multipart_part **parts, int *n)
{
	const char *boundary, *why;
	int rc = http_multipart_boundary(r->arena, req_header(r, "Content-Type"), &boundary);
	if (rc == ZRZ_EMEDIA)
		return req_fail(r, rc, NULL, "请求内容类型应为 multipart/form-data");
	if (rc)
		return req_fail(r, rc, NULL, "multipart/form-data 的分隔符 (boundary) 缺失或无效");
	if (!r->body_len)
		return req_fail(r, ZRZ_EBADREQ, NULL, "请求内容不能为空");
	rc = http_multipart_parse(r->arena, boundary, r->body, r->body_len, max_parts, parts, n,
				  &why);
	if (rc)
		return req_fail(r, rc, NULL, why);
	return ZRZ_OK;
}

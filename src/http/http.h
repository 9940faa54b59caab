/*
 * The HTTP layer: a libmicrohttpd server, a router from method and path
 * pattern to handler, per-request arenas, JSON in and out, the error shape
 * every client relies on, limits, the access log and static files for the
 * web front end.  It knows nothing of sessions, roles or the database: the
 * application hands it a route table, an opaque app pointer and an
 * authenticate hook that runs before every non-public handler.
 */
#ifndef ZRZ_HTTP_HTTP_H
#define ZRZ_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct req;
struct http_server;

enum route_flags {
	ROUTE_PUBLIC = 1 << 0,      /* no session needed (login, health) */
	ROUTE_PWCHANGE_OK = 1 << 1, /* allowed while the password must change */
	ROUTE_RAW_BODY = 1 << 2,    /* body is not JSON (uploads) */
};

typedef int (*route_fn)(struct req *r);

struct route {
	const char *method;  /* "GET", "POST", ... */
	const char *pattern; /* "/api/v1/orgs/{id}" */
	route_fn handler;
	unsigned flags;
	size_t body_cap; /* 0: the server's default JSON (or upload) cap */
};

#define REQ_MAX_PARAMS 4
#define REQ_MAX_HEADERS 6

struct req_param {
	const char *name;
	const char *value;
};

struct req {
	struct arena *arena;
	void *conn; /* struct MHD_Connection * */
	const char *method;
	const char *path;
	const struct route *route;
	struct req_param params[REQ_MAX_PARAMS];
	int nparams;
	char *body;
	size_t body_len;
	size_t body_alloc;
	const char *client; /* peer address, "127.0.0.1" */
	bool tls;
	char request_id[20];

	/* Set by the application. */
	void *app;
	void *session;
	void *db;
	int64_t user_id;

	/* Error detail recorded by req_fail(). */
	const char *err_field;
	const char *err_msg;

	/* The reply. */
	int status;
	char *resp_body; /* malloc'ed; handed to MHD */
	size_t resp_len;
	const char *resp_type;
	const char *headers[REQ_MAX_HEADERS][2];
	int nheaders;
	bool replied;
	bool close_after;
	int static_fd; /* a file to send instead of resp_body, or -1 */
	uint64_t static_size;
	uint64_t sent_bytes;

	/* Internal state of the server. */
	struct buf_state {
		size_t cap;
		bool too_big;
		bool timed_out;
		uint64_t discarded;
	} in;
	int64_t started_us;
};

struct http_config {
	const char *listen;  /* "127.0.0.1:8080" */
	const char *web_dir; /* NULL: no static files */
	int threads;         /* 0: one per core */
	size_t body_cap;     /* default JSON body cap, bytes */
	size_t upload_cap;   /* default cap of ROUTE_RAW_BODY routes, bytes */
	size_t header_cap;   /* sum of header names and values, bytes */
	unsigned conn_timeout;    /* idle connection timeout, seconds */
	unsigned request_timeout; /* whole request body deadline, seconds */
	unsigned max_conns;
	const struct route *routes; /* terminated by a NULL method */
	void *app;
	/* Runs before every handler without ROUTE_PUBLIC; nonzero stops it. */
	int (*authenticate)(struct req *r);
	/* Runs when the request ends, before its arena is freed. */
	void (*finish)(struct req *r);
	/* Runs before a handler that returned ZRZ_ERETRY is run again. */
	void (*retry)(struct req *r);
};

/* How many times a handler runs at most when it keeps asking for a retry. */
#define HTTP_MAX_ATTEMPTS 3

/* Start listening; *out is the running server.  Errors go to err. */
int http_start(const struct http_config *cfg, struct http_server **out, char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned http_port(const struct http_server *s);
/* Stop accepting, let in-flight requests finish (up to grace_ms), stop. */
void http_stop(struct http_server *s, int grace_ms);

/* ---- requests ---- */

/* A {name} path parameter of the matched route, or NULL. */
const char *req_param(struct req *r, const char *name);
/* A path parameter that must be a positive id; 404 otherwise. */
int req_param_id(struct req *r, const char *name, int64_t *out);
const char *req_query(struct req *r, const char *name);
const char *req_header(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);

/*
 * Query helpers that check and fail in one call: when the parameter is
 * present but malformed or out of range they record a Chinese message for
 * field name and return ZRZ_EBADREQ/ZRZ_EINVAL; when absent *out = def.
 */
int req_query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t def,
		  int64_t *out);
int req_query_str(struct req *r, const char *name, size_t max_chars, const char **out);
int req_query_bool(struct req *r, const char *name, bool *out);
/* page and size (1..200, default 25) as offset and limit. */
int req_page(struct req *r, int64_t *offset, int64_t *limit);

/* Record the detail of an error and return code (for `return req_fail(...)`). */
int req_fail(struct req *r, int code, const char *field, const char *msg);
int req_failf(struct req *r, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- JSON bodies ---- */

/* Parse the body as one JSON object (duplicate keys rejected). */
int req_json(struct req *r, json_t **out);
/* Fail with 400 when obj has a key not in the NULL-terminated list. */
int req_json_allow(struct req *r, json_t *obj, const char *const *keys);
/*
 * Read a string field: valid UTF-8 text, trimmed of nothing, between
 * min_chars and max_chars characters.  Absent or null: *out = NULL, and an
 * error only when required.
 */
int req_json_str(struct req *r, json_t *obj, const char *key, bool required, size_t min_chars,
		 size_t max_chars, const char **out);
int req_json_int(struct req *r, json_t *obj, const char *key, bool required, int64_t min,
		 int64_t max, int64_t *out, bool *present);
int req_json_bool(struct req *r, json_t *obj, const char *key, bool *out, bool *present);
/* A string that must be one of the NULL-terminated values. */
int req_json_enum(struct req *r, json_t *obj, const char *key, bool required,
		  const char *const *values, const char **out);

/* ---- multipart/form-data bodies (src/http/multipart.c) ---- */

/* One part of a multipart body.  data points into the request body. */
struct multipart_part {
	const char *name;     /* the form field */
	const char *filename; /* as sent (bytes, not yet checked as text); NULL: none */
	const char *type;     /* the part's Content-Type; NULL: none */
	const char *data;
	size_t len;
};

/*
 * The boundary of a "multipart/form-data; boundary=..." content type
 * (arena-owned).  ZRZ_EMEDIA for another type, ZRZ_EBADREQ when the
 * boundary is missing, repeated or not 1..70 printable characters.
 */
int http_multipart_boundary(struct arena *a, const char *content_type, const char **boundary);
/*
 * Split body[0..len) into at most max_parts parts (arena-owned array).
 * ZRZ_EBADREQ with a Chinese reason in *why (static) when the body is
 * malformed: no delimiter, lines not ending in CRLF, a part without a
 * form-data name, headers over 8 KiB, too many parts, or no closing
 * delimiter.
 */
int http_multipart_parse(struct arena *a, const char *boundary, const char *body, size_t len,
			 int max_parts, struct multipart_part **parts, int *nparts, const char **why);
/* The request's body as multipart/form-data; 415 for another content type,
 * 400 when malformed, with the reason recorded on r. */
int req_multipart(struct req *r, int max_parts, struct multipart_part **parts, int *n);

/* ---- replies ---- */

/* Reply with j serialized (steals the reference). */
int req_reply_json(struct req *r, int status, json_t *j);
/* Reply with JSON text already written (malloc'ed, n bytes; the reply takes
 * it and frees it). */
int req_reply_json_text(struct req *r, int status, char *text, size_t n);
/* Reply with bytes the caller owns until the request ends (copied). */
int req_reply_bytes(struct req *r, int status, const char *type, const void *p, size_t n);
/* Reply with the size bytes of the open file fd from its start; the server
 * closes fd when the reply is sent (or the request ends without it). */
int req_reply_fd(struct req *r, int status, const char *type, int fd, uint64_t size);
/* 204 No Content. */
int req_reply_empty(struct req *r);
/* Add a response header (name and value must live as long as the request). */
void req_add_header(struct req *r, const char *name, const char *value);

/* The Chinese name of a JSON field for messages ("name" -> "名称"). */
const char *http_field_label(const char *key);

/* {"items": items, "total": total} */
json_t *json_page(json_t *items, int64_t total);

#endif

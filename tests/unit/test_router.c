/*
 * Unit tests for the router and the request helpers of http/router.c that
 * need no live connection (r->conn stays NULL): matching of method and path
 * patterns with their {param} captures, req_param_id, dispatch (the
 * authenticate hook, 405 with Allow, 404 for unknown API paths, the retry
 * loop for ZRZ_ERETRY), the JSON error shape of http__reply_error, the
 * req_json_* field readers (lengths in characters, not bytes), and the
 * reply helpers.
 *
 * Every request is built by hand on its own arena and registered with the
 * fixture, whose teardown frees the malloc'ed reply body and the arena even
 * when an assertion failed halfway.  JSON values a test creates are tied to
 * the request's arena the same way.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "http/http.h"
#include "http/internal.h"

/* ---- fixture ---- */

#define FX_MAX_REQS 64

struct fx {
	struct req *reqs[FX_MAX_REQS];
	int nreqs;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	for (int i = 0; i < fx->nreqs; i++) {
		free(fx->reqs[i]->resp_body);
		arena_free(fx->reqs[i]->arena);
	}
	free(fx);
	return 0;
}

static struct req *new_req(void **state, const char *method, const char *path)
{
	struct fx *fx = *state;
	assert_true(fx->nreqs < FX_MAX_REQS);
	struct arena *a = arena_new();
	struct req *r = arena_alloc(a, sizeof(*r));
	r->arena = a;
	r->method = method;
	r->path = path;
	r->static_fd = -1;
	r->status = 200; /* as the server starts every request */
	snprintf(r->request_id, sizeof(r->request_id), "%s", "1f3a");
	fx->reqs[fx->nreqs++] = r;
	return r;
}

static void json_release(void *p)
{
	json_decref(p);
}

/* Parse text (which must be valid JSON) and tie the value to r's arena. */
static json_t *J(struct req *r, const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("bad test JSON %s: %s", text, err.text);
	arena_on_release(r->arena, json_release, j);
	return j;
}

/* Tie an already built value to r's arena. */
static json_t *own(struct req *r, json_t *j)
{
	assert_non_null(j);
	arena_on_release(r->arena, json_release, j);
	return j;
}

/* The reply body of r parsed as JSON, owned by r's arena. */
static json_t *body_json(struct req *r)
{
	assert_non_null(r->resp_body);
	json_error_t err;
	json_t *j = json_loadb(r->resp_body, r->resp_len, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("reply body is not JSON: %.*s (%s)", (int)r->resp_len, r->resp_body,
			 err.text);
	return own(r, j);
}

static const char *header_value(const struct req *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (!strcmp(r->headers[i][0], name))
			return r->headers[i][1];
	return NULL;
}

/* ---- a route table with handlers that record what ran ---- */

/*
 * What the hooks and handlers did, kept in r->app.  The log gets one letter
 * per call: A authenticate, H handler, R retry hook.
 */
struct calls {
	char log[32];
	int handler;
	int auth;
	int retry;
	int auth_rc;      /* what authenticate returns */
	int retry_until;  /* the handler returns ZRZ_ERETRY on attempts < this */
	int final_rc;     /* and then this (ZRZ_OK: a 200 reply) */
	bool reply_first; /* reply before returning ZRZ_ERETRY */
	/* What the handler saw on its second attempt. */
	bool seen_second;
	const char *second_err_field;
	const char *second_err_msg;
	int second_nheaders;
};

static void log_call(struct calls *c, char what)
{
	size_t n = strlen(c->log);
	if (n + 1 < sizeof(c->log))
		c->log[n] = what;
}

static int h_record(struct req *r)
{
	struct calls *c = r->app;
	c->handler++;
	log_call(c, 'H');
	return req_reply_json(r, 200, json_pack("{s:s}", "ok", "yes"));
}

static int h_retry(struct req *r)
{
	struct calls *c = r->app;
	c->handler++;
	log_call(c, 'H');
	if (c->handler == 2) {
		c->seen_second = true;
		c->second_err_field = r->err_field;
		c->second_err_msg = r->err_msg;
		c->second_nheaders = r->nheaders;
	}
	if (c->handler < c->retry_until) {
		req_add_header(r, "X-Attempt", "failed");
		if (c->reply_first)
			req_reply_json(r, 200, json_pack("{s:i}", "attempt", c->handler));
		return req_fail(r, ZRZ_ERETRY, "name", "事务冲突");
	}
	if (c->final_rc)
		return req_fail(r, c->final_rc, NULL, NULL);
	req_add_header(r, "X-Attempt", "ok");
	return req_reply_json(r, 200, json_pack("{s:i}", "attempts", c->handler));
}

static int authenticate(struct req *r)
{
	struct calls *c = r->app;
	c->auth++;
	log_call(c, 'A');
	if (c->auth_rc)
		return req_fail(r, c->auth_rc, NULL, NULL);
	r->user_id = 7;
	return ZRZ_OK;
}

static void retry_hook(struct req *r)
{
	struct calls *c = r->app;
	c->retry++;
	log_call(c, 'R');
}

enum {
	RT_ORGS_LIST,
	RT_ORGS_CREATE,
	RT_ORGS_TREE,
	RT_ORG_GET,
	RT_ORG_PATCH,
	RT_ORG_DELETE,
	RT_MEMBER_GET,
	RT_HEALTH,
	RT_ROOT,
	RT_FOUR,
	RT_FIVE,
	RT_RETRY,
	RT_COUNT
};

static const struct route routes[] = {
    [RT_ORGS_LIST] = {"GET", "/api/v1/orgs", h_record, 0, 0},
    [RT_ORGS_CREATE] = {"POST", "/api/v1/orgs", h_record, 0, 0},
    /* A literal segment listed before a {param} one at the same place. */
    [RT_ORGS_TREE] = {"GET", "/api/v1/orgs/tree", h_record, 0, 0},
    [RT_ORG_GET] = {"GET", "/api/v1/orgs/{id}", h_record, 0, 0},
    [RT_ORG_PATCH] = {"PATCH", "/api/v1/orgs/{id}", h_record, 0, 0},
    [RT_ORG_DELETE] = {"DELETE", "/api/v1/orgs/{id}", h_record, 0, 0},
    [RT_MEMBER_GET] = {"GET", "/api/v1/orgs/{org}/members/{uid}", h_record, 0, 0},
    [RT_HEALTH] = {"GET", "/api/v1/health", h_record, ROUTE_PUBLIC, 0},
    [RT_ROOT] = {"GET", "/", h_record, ROUTE_PUBLIC, 0},
    [RT_FOUR] = {"GET", "/four/{a}/{b}/{c}/{d}", h_record, 0, 0},
    [RT_FIVE] = {"GET", "/five/{a}/{b}/{c}/{d}/{e}", h_record, 0, 0},
    [RT_RETRY] = {"POST", "/api/v1/retry", h_retry, 0, 0},
    [RT_COUNT] = {NULL, NULL, NULL, 0, 0},
};

static const struct http_config cfg = {
    .routes = routes,
    .authenticate = authenticate,
    .retry = retry_hook,
};

/* Route r and report which entry of routes[] matched, or -1. */
static int route_index(struct req *r)
{
	http__route(r, &cfg);
	if (!r->route)
		return -1;
	assert_true(r->route >= routes && r->route < routes + RT_COUNT);
	return (int)(r->route - routes);
}

static int route_of(void **state, const char *method, const char *path)
{
	return route_index(new_req(state, method, path));
}

/* Route and dispatch like the server does, with c as the app. */
static int dispatch(struct req *r, const struct http_config *conf, struct calls *c)
{
	r->app = c;
	http__route(r, conf);
	return http__dispatch(r, conf, NULL);
}

/* ---- http__route ---- */

static void test_route_exact(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs");
	assert_int_equal(route_index(r), RT_ORGS_LIST);
	assert_int_equal(r->nparams, 0);
	assert_int_equal(route_of(state, "POST", "/api/v1/orgs"), RT_ORGS_CREATE);
	assert_int_equal(route_of(state, "GET", "/api/v1/health"), RT_HEALTH);
	assert_int_equal(route_of(state, "GET", "/"), RT_ROOT);
}

static void test_route_param_captured(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs/12");
	assert_int_equal(route_index(r), RT_ORG_GET);
	assert_int_equal(r->nparams, 1);
	assert_string_equal(req_param(r, "id"), "12");
	assert_null(req_param(r, "org"));
	assert_null(req_param(r, "i"));
	int64_t id = 0;
	assert_int_equal(req_param_id(r, "id", &id), ZRZ_OK);
	assert_int_equal(id, 12);

	r = new_req(state, "DELETE", "/api/v1/orgs/12");
	assert_int_equal(route_index(r), RT_ORG_DELETE);
	assert_string_equal(req_param(r, "id"), "12");

	/* A parameter takes any one non-empty segment, not only digits. */
	r = new_req(state, "PATCH", "/api/v1/orgs/组织");
	assert_int_equal(route_index(r), RT_ORG_PATCH);
	assert_string_equal(req_param(r, "id"), "组织");
}

static void test_route_two_params(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs/3/members/45");
	assert_int_equal(route_index(r), RT_MEMBER_GET);
	assert_int_equal(r->nparams, 2);
	assert_string_equal(req_param(r, "org"), "3");
	assert_string_equal(req_param(r, "uid"), "45");
	int64_t org = 0, uid = 0;
	assert_int_equal(req_param_id(r, "org", &org), ZRZ_OK);
	assert_int_equal(req_param_id(r, "uid", &uid), ZRZ_OK);
	assert_int_equal(org, 3);
	assert_int_equal(uid, 45);
}

static void test_route_literal_before_param(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs/tree");
	assert_int_equal(route_index(r), RT_ORGS_TREE);
	assert_int_equal(r->nparams, 0);
	assert_null(req_param(r, "id"));
	/* "tree" is only a literal for GET; PATCH takes it as an {id}. */
	r = new_req(state, "PATCH", "/api/v1/orgs/tree");
	assert_int_equal(route_index(r), RT_ORG_PATCH);
	assert_string_equal(req_param(r, "id"), "tree");
}

static void test_route_param_id_rejects(void **state)
{
	static const char *const bad[] = {
	    "0",
	    "-1",
	    "012",
	    "+1",
	    "1x",
	    " 1",
	    "1 ",
	    "0x10",
	    "1.0",
	    "-0",
	    "12345678901234567890", /* 20 digits: overflows int64 */
	    "99999999999999999999", /* 20 digits */
	    "9223372036854775808",  /* INT64_MAX + 1 */
	    "-9223372036854775808",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		struct req *r = new_req(state, "GET", "/api/v1/orgs/x");
		assert_int_equal(route_index(r), RT_ORG_GET);
		r->params[0].value = bad[i];
		int64_t id = -77;
		int rc = req_param_id(r, "id", &id);
		if (rc != ZRZ_ENOTFOUND)
			fail_msg("req_param_id accepted \"%s\" (rc %d, id %lld)", bad[i], rc,
				 (long long)id);
		assert_int_equal(id, -77);
		assert_non_null(r->err_field);
		assert_string_equal(r->err_field, "id");
	}
}

static void test_route_param_id_empty_and_missing(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs/12");
	assert_int_equal(route_index(r), RT_ORG_GET);
	int64_t id = -77;
	r->params[0].value = "";
	assert_int_equal(req_param_id(r, "id", &id), ZRZ_ENOTFOUND);
	assert_string_equal(r->err_field, "id");
	assert_int_equal(id, -77);

	/* A name the route does not have. */
	r->params[0].value = "12";
	r->err_field = NULL;
	assert_int_equal(req_param_id(r, "org", &id), ZRZ_ENOTFOUND);
	assert_string_equal(r->err_field, "org");
	assert_int_equal(id, -77);
}

static void test_route_param_id_accepts(void **state)
{
	static const struct {
		const char *text;
		int64_t value;
	} good[] = {
	    {"1", 1},
	    {"12", 12},
	    {"100", 100},
	    {"9223372036854775807", INT64_MAX},
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(good); i++) {
		struct req *r = new_req(state, "GET", "/api/v1/orgs/x");
		assert_int_equal(route_index(r), RT_ORG_GET);
		r->params[0].value = good[i].text;
		int64_t id = 0;
		assert_int_equal(req_param_id(r, "id", &id), ZRZ_OK);
		assert_int_equal(id, good[i].value);
		assert_null(r->err_field);
	}
}

/* The ids come from real paths too, not only from patched params. */
static void test_route_param_id_from_path(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs/012");
	assert_int_equal(route_index(r), RT_ORG_GET);
	int64_t id = 0;
	assert_int_equal(req_param_id(r, "id", &id), ZRZ_ENOTFOUND);
	assert_string_equal(r->err_field, "id");

	r = new_req(state, "GET", "/api/v1/orgs/-1");
	assert_int_equal(route_index(r), RT_ORG_GET);
	assert_int_equal(req_param_id(r, "id", &id), ZRZ_ENOTFOUND);

	r = new_req(state, "GET", "/api/v1/orgs/12345678901234567890");
	assert_int_equal(route_index(r), RT_ORG_GET);
	assert_int_equal(req_param_id(r, "id", &id), ZRZ_ENOTFOUND);
}

static void test_route_method_mismatch(void **state)
{
	struct req *r = new_req(state, "PUT", "/api/v1/orgs/12");
	assert_int_equal(route_index(r), -1);
	assert_null(r->route);
	assert_int_equal(r->nparams, 0);
	assert_null(req_param(r, "id"));

	r = new_req(state, "DELETE", "/api/v1/orgs");
	assert_int_equal(route_index(r), -1);
	/* Methods are case-sensitive. */
	assert_int_equal(route_of(state, "get", "/api/v1/orgs"), -1);
}

static void test_route_head_matches_get(void **state)
{
	struct req *r = new_req(state, "HEAD", "/api/v1/orgs/12");
	assert_int_equal(route_index(r), RT_ORG_GET);
	assert_string_equal(req_param(r, "id"), "12");
	/* HEAD is GET without a body, not any method. */
	assert_int_equal(route_of(state, "HEAD", "/api/v1/retry"), -1);
}

static void test_route_no_partial_matches(void **state)
{
	static const char *const paths[] = {
	    "/api/v1/orgs/",    /* trailing slash */
	    "/api/v1/orgs/12/", /* trailing slash after a param */
	    "/api/v1/health/",
	    "/api/v1", /* missing segment */
	    "/api/v1/",
	    "/api/v1/orgs/3/members",     /* missing last param */
	    "/api/v1/orgs/3/members/",    /* empty last param */
	    "/api/v1/orgs/3/members/4/5", /* extra segment */
	    "/api/v1/orgs/12/x",
	    "/api/v1//orgs", /* empty segment */
	    "/api/v1/orgs//members/4",
	    "//api/v1/orgs",
	    "api/v1/orgs",   /* no leading slash */
	    "/api/v1/orgsx", /* segment prefix */
	    "/api/v1/org",
	    "/api/v1/healthz",
	    "/API/v1/orgs", /* case */
	    "",
	    "/four/1/2/3",
	    "/four/1/2/3/4/5",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(paths); i++) {
		struct req *r = new_req(state, "GET", paths[i]);
		int idx = route_index(r);
		if (idx != -1)
			fail_msg("GET \"%s\" matched %s", paths[i], routes[idx].pattern);
		assert_int_equal(r->nparams, 0);
	}
}

static void test_route_max_params(void **state)
{
	struct req *r = new_req(state, "GET", "/four/1/2/3/4");
	assert_int_equal(route_index(r), RT_FOUR);
	assert_int_equal(r->nparams, REQ_MAX_PARAMS);
	assert_string_equal(req_param(r, "a"), "1");
	assert_string_equal(req_param(r, "b"), "2");
	assert_string_equal(req_param(r, "c"), "3");
	assert_string_equal(req_param(r, "d"), "4");

	/* A pattern with more params than a request can hold never matches
	 * (and fills no params: the fifth would not fit). */
	r = new_req(state, "GET", "/five/1/2/3/4/5");
	assert_int_equal(route_index(r), -1);
	assert_int_equal(r->nparams, 0);
	assert_null(req_param(r, "e"));
}

/* A failed attempt on one route leaves nothing behind for the next. */
static void test_route_params_reset_between_routes(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs/3/members/45");
	assert_int_equal(route_index(r), RT_MEMBER_GET);
	r->path = "/api/v1/orgs/9";
	assert_int_equal(route_index(r), RT_ORG_GET);
	assert_int_equal(r->nparams, 1);
	assert_string_equal(req_param(r, "id"), "9");
	assert_null(req_param(r, "uid"));
	r->path = "/nowhere";
	assert_int_equal(route_index(r), -1);
	assert_int_equal(r->nparams, 0);
	assert_null(req_param(r, "id"));
}

/* ---- http__dispatch ---- */

static void test_dispatch_calls_handler_after_auth(void **state)
{
	struct calls c = {0};
	struct req *r = new_req(state, "GET", "/api/v1/orgs/12");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_OK);
	assert_string_equal(c.log, "AH");
	assert_int_equal(r->user_id, 7);
	assert_true(r->replied);
	assert_int_equal(r->status, 200);
	assert_int_equal(c.retry, 0);
}

static void test_dispatch_auth_error_stops(void **state)
{
	static const int codes[] = {ZRZ_EUNAUTH, ZRZ_ECSRF, ZRZ_EPWCHANGE, ZRZ_EINTERNAL};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(codes); i++) {
		struct calls c = {.auth_rc = codes[i]};
		struct req *r = new_req(state, "POST", "/api/v1/orgs");
		assert_int_equal(dispatch(r, &cfg, &c), codes[i]);
		assert_string_equal(c.log, "A");
		assert_int_equal(c.handler, 0);
		assert_false(r->replied);
	}
}

static void test_dispatch_public_skips_auth(void **state)
{
	struct calls c = {.auth_rc = ZRZ_EUNAUTH};
	struct req *r = new_req(state, "GET", "/api/v1/health");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_OK);
	assert_string_equal(c.log, "H");
	assert_int_equal(c.auth, 0);

	/* HEAD on a public GET route is public too. */
	struct calls c2 = {.auth_rc = ZRZ_EUNAUTH};
	r = new_req(state, "HEAD", "/api/v1/health");
	assert_int_equal(dispatch(r, &cfg, &c2), ZRZ_OK);
	assert_string_equal(c2.log, "H");
}

static void test_dispatch_without_authenticate_hook(void **state)
{
	struct http_config conf = {.routes = routes};
	struct calls c = {0};
	struct req *r = new_req(state, "GET", "/api/v1/orgs");
	assert_int_equal(dispatch(r, &conf, &c), ZRZ_OK);
	assert_string_equal(c.log, "H");
}

static void test_dispatch_405_allow(void **state)
{
	struct calls c = {0};
	struct req *r = new_req(state, "POST", "/api/v1/orgs/12");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_EMETHOD);
	assert_string_equal(c.log, ""); /* neither authenticate nor a handler */
	assert_null(r->route);
	assert_int_equal(r->nparams, 0);
	assert_int_equal(r->nheaders, 1);
	assert_string_equal(r->headers[0][0], "Allow");
	/* The methods of the matching pattern only, in table order: not the
	 * POST of /api/v1/orgs nor the GET of the members route. */
	assert_string_equal(r->headers[0][1], "GET, PATCH, DELETE");

	/* The reply the server sends keeps the header. */
	http__reply_error(r, ZRZ_EMETHOD);
	assert_int_equal(r->status, 405);
	assert_string_equal(header_value(r, "Allow"), "GET, PATCH, DELETE");
	json_t *e = json_object_get(body_json(r), "error");
	assert_string_equal(json_string_value(json_object_get(e, "code")), "method_not_allowed");
}

static void test_dispatch_405_allow_lists_each_method_once(void **state)
{
	/* /api/v1/orgs/tree matches both the GET of the literal route and the
	 * GET of {id}; GET is listed once. */
	struct calls c = {0};
	struct req *r = new_req(state, "PUT", "/api/v1/orgs/tree");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_EMETHOD);
	assert_string_equal(header_value(r, "Allow"), "GET, PATCH, DELETE");

	r = new_req(state, "DELETE", "/api/v1/orgs");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_EMETHOD);
	assert_string_equal(header_value(r, "Allow"), "GET, POST");

	r = new_req(state, "GET", "/api/v1/retry");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_EMETHOD);
	assert_string_equal(header_value(r, "Allow"), "POST");
	assert_int_equal(c.handler, 0);
	assert_int_equal(c.auth, 0);
}

static void test_dispatch_unknown_api_path(void **state)
{
	static const char *const paths[] = {
	    "/api/v1/nothing", "/api/v1/orgs/",   "/api/v1/orgs/1/2", "/api",
	    "/api/",           "/five/1/2/3/4/5",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(paths); i++) {
		struct calls c = {0};
		struct req *r = new_req(state, "GET", paths[i]);
		assert_int_equal(dispatch(r, &cfg, &c), ZRZ_ENOTFOUND);
		assert_string_equal(c.log, "");
		assert_int_equal(r->nheaders, 0); /* no Allow */
		if (!strncmp(paths[i], "/api", 4)) {
			assert_non_null(r->err_msg);
			assert_string_equal(r->err_msg, "接口不存在");
		}
		assert_false(r->replied);
		http__reply_error(r, ZRZ_ENOTFOUND);
		assert_int_equal(r->status, 404);
	}
}

/*
 * With a web folder, paths outside /api/ fall back to static files (GET and
 * HEAD only: other methods get 405 "GET, HEAD").  An unknown /api/ path is
 * still a 404, never a static file or a 405.  Only non-GET requests here:
 * serving a file reads request headers, which needs a live connection.
 */
static void test_dispatch_unknown_api_path_with_web(void **state)
{
	char dir[] = "/tmp/zrz-test-router-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct http_static *web = NULL;
	int rc = http__static_open(dir, &web);
	rmdir(dir); /* the open descriptor is all the test needs */
	assert_int_equal(rc, ZRZ_OK);

	static const char *const methods[] = {"POST", "PUT", "DELETE"};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(methods); i++) {
		struct calls c = {0};
		struct req *r = new_req(state, methods[i], "/api/v1/nothing");
		r->app = &c;
		http__route(r, &cfg);
		rc = http__dispatch(r, &cfg, web);
		if (rc != ZRZ_ENOTFOUND)
			fail_msg("%s /api/v1/nothing: rc %d", methods[i], rc);
		assert_null(header_value(r, "Allow"));
		assert_int_equal(r->static_fd, -1);

		r = new_req(state, methods[i], "/orgs/12");
		r->app = &c;
		http__route(r, &cfg);
		rc = http__dispatch(r, &cfg, web);
		assert_int_equal(rc, ZRZ_EMETHOD);
		assert_string_equal(header_value(r, "Allow"), "GET, HEAD");
		assert_string_equal(c.log, "");
	}
	http__static_close(web);
}

static void test_dispatch_retry_exhausted(void **state)
{
	struct calls c = {.retry_until = 100};
	struct req *r = new_req(state, "POST", "/api/v1/retry");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_ERETRY);
	assert_int_equal(c.handler, HTTP_MAX_ATTEMPTS);
	assert_int_equal(c.retry, HTTP_MAX_ATTEMPTS - 1);
	assert_int_equal(c.auth, 1);
	assert_string_equal(c.log, "AHRHRH");
	/* The last attempt's detail is what the error reply shows. */
	assert_string_equal(r->err_field, "name");
	assert_int_equal(r->nheaders, 1);
	http__reply_error(r, ZRZ_ERETRY);
	assert_int_equal(r->status, 503);
}

static void test_dispatch_retry_then_success(void **state)
{
	struct calls c = {.retry_until = 2};
	struct req *r = new_req(state, "POST", "/api/v1/retry");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_OK);
	assert_int_equal(c.handler, 2);
	assert_int_equal(c.retry, 1);
	assert_string_equal(c.log, "AHRH");
	assert_true(r->replied);
	assert_int_equal(r->status, 200);
	json_t *j = body_json(r);
	assert_int_equal(json_integer_value(json_object_get(j, "attempts")), 2);
	/* The second attempt started clean: the first one's error detail and
	 * its headers were dropped. */
	assert_true(c.seen_second);
	assert_null(c.second_err_field);
	assert_null(c.second_err_msg);
	assert_int_equal(c.second_nheaders, 0);
	assert_null(r->err_field);
	assert_null(r->err_msg);
	assert_int_equal(r->nheaders, 1);
	assert_string_equal(header_value(r, "X-Attempt"), "ok");
}

static void test_dispatch_retry_then_other_error(void **state)
{
	struct calls c = {.retry_until = 3, .final_rc = ZRZ_ECONFLICT};
	struct req *r = new_req(state, "POST", "/api/v1/retry");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_ECONFLICT);
	assert_string_equal(c.log, "AHRHRH");
	assert_null(r->err_field);
}

static void test_dispatch_no_retry_for_other_errors(void **state)
{
	struct calls c = {.retry_until = 0, .final_rc = ZRZ_ECONFLICT};
	struct req *r = new_req(state, "POST", "/api/v1/retry");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_ECONFLICT);
	assert_string_equal(c.log, "AH");
	assert_int_equal(c.retry, 0);
}

static void test_dispatch_retry_without_hook(void **state)
{
	struct http_config conf = {.routes = routes, .authenticate = authenticate};
	struct calls c = {.retry_until = 3};
	struct req *r = new_req(state, "POST", "/api/v1/retry");
	assert_int_equal(dispatch(r, &conf, &c), ZRZ_OK);
	assert_string_equal(c.log, "AHHH");
}

/* A handler that already replied has sent something: it is not rerun. */
static void test_dispatch_no_retry_after_reply(void **state)
{
	struct calls c = {.retry_until = 100, .reply_first = true};
	struct req *r = new_req(state, "POST", "/api/v1/retry");
	assert_int_equal(dispatch(r, &cfg, &c), ZRZ_ERETRY);
	assert_string_equal(c.log, "AH");
	assert_true(r->replied);
}

/* ---- http__reply_error ---- */

/* The error object of r's reply, checked for the common shape. */
static json_t *error_of(struct req *r, int status, const char *slug)
{
	assert_int_equal(r->status, status);
	assert_true(r->replied);
	assert_non_null(r->resp_type);
	assert_string_equal(r->resp_type, "application/json; charset=utf-8");
	assert_int_equal(strlen(r->resp_body), r->resp_len);
	json_t *j = body_json(r);
	assert_true(json_is_object(j));
	assert_int_equal(json_object_size(j), 1);
	json_t *e = json_object_get(j, "error");
	assert_true(json_is_object(e));
	assert_true(json_is_string(json_object_get(e, "code")));
	assert_string_equal(json_string_value(json_object_get(e, "code")), slug);
	assert_true(json_is_string(json_object_get(e, "message")));
	assert_non_null(json_object_get(e, "field"));
	assert_int_equal(json_object_size(e), status >= 500 ? 4 : 3);
	return e;
}

static void test_reply_error_invalid_with_field(void **state)
{
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	assert_int_equal(req_fail(r, ZRZ_EINVAL, "name", "名称不能为空"), ZRZ_EINVAL);
	http__reply_error(r, ZRZ_EINVAL);
	json_t *e = error_of(r, 422, "invalid");
	assert_string_equal(json_string_value(json_object_get(e, "message")), "名称不能为空");
	assert_string_equal(json_string_value(json_object_get(e, "field")), "name");
	assert_null(json_object_get(e, "request_id"));
}

static void test_reply_error_not_found_field_null(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs/9");
	http__reply_error(r, ZRZ_ENOTFOUND);
	json_t *e = error_of(r, 404, "not_found");
	assert_true(json_is_null(json_object_get(e, "field")));
	assert_string_equal(json_string_value(json_object_get(e, "message")),
			    zrz_err_message(ZRZ_ENOTFOUND));
}

static void test_reply_error_custom_chinese_4xx(void **state)
{
	static const struct {
		int code;
		int status;
		const char *slug;
	} cases[] = {
	    {ZRZ_EBADREQ, 400, "bad_request"}, {ZRZ_EFORBIDDEN, 403, "forbidden"},
	    {ZRZ_ENOTFOUND, 404, "not_found"}, {ZRZ_ECONFLICT, 409, "conflict"},
	    {ZRZ_EINVAL, 422, "invalid"},
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(cases); i++) {
		struct req *r = new_req(state, "POST", "/api/v1/orgs");
		req_fail(r, cases[i].code, NULL, "该单位下还有成员，不能删除");
		http__reply_error(r, cases[i].code);
		json_t *e = error_of(r, cases[i].status, cases[i].slug);
		assert_string_equal(json_string_value(json_object_get(e, "message")),
				    "该单位下还有成员，不能删除");
		assert_true(json_is_null(json_object_get(e, "field")));
	}
}

/* A detail cut in the middle of a character still yields a JSON error with
 * the right status, never a 200 with no body. */
static void test_reply_error_invalid_utf8_detail(void **state)
{
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	req_fail(r, ZRZ_EINVAL, "na\xffme", "名称\xe5\x90");
	http__reply_error(r, ZRZ_EINVAL);
	json_t *e = error_of(r, 422, "invalid");
	assert_int_equal(r->status, 422);
	assert_string_equal(json_string_value(json_object_get(e, "message")),
			    zrz_err_message(ZRZ_EINVAL));
	assert_true(json_is_null(json_object_get(e, "field")));
}

static void test_reply_error_internal_hides_detail(void **state)
{
	static const int codes[] = {ZRZ_EINTERNAL, ZRZ_EIO};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(codes); i++) {
		struct req *r = new_req(state, "GET", "/api/v1/orgs");
		req_fail(r, codes[i], NULL, "sqlite3_step: disk I/O error at /var/lib/secret.db");
		http__reply_error(r, codes[i]);
		json_t *e = error_of(r, 500, codes[i] == ZRZ_EIO ? "io_error" : "internal");
		assert_string_equal(json_string_value(json_object_get(e, "message")),
				    zrz_err_message(codes[i]));
		assert_string_equal(json_string_value(json_object_get(e, "request_id")), "1f3a");
		assert_null(strstr(r->resp_body, "secret"));
		assert_null(strstr(r->resp_body, "sqlite"));
	}
}

static void test_reply_error_other_5xx_has_request_id(void **state)
{
	struct req *r = new_req(state, "POST", "/api/v1/retry");
	http__reply_error(r, ZRZ_EUNAVAIL);
	json_t *e = error_of(r, 503, "unavailable");
	assert_string_equal(json_string_value(json_object_get(e, "request_id")), "1f3a");
	assert_string_equal(json_string_value(json_object_get(e, "message")),
			    zrz_err_message(ZRZ_EUNAVAIL));
}

/* A non-negative code reaching the error path is an internal error. */
static void test_reply_error_non_negative_code(void **state)
{
	static const int codes[] = {ZRZ_OK, ZRZ_ROW, ZRZ_DONE, 12345};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(codes); i++) {
		struct req *r = new_req(state, "GET", "/api/v1/orgs");
		req_fail(r, codes[i], NULL, "leaked detail");
		http__reply_error(r, codes[i]);
		json_t *e = error_of(r, 500, "internal");
		assert_string_equal(json_string_value(json_object_get(e, "message")),
				    zrz_err_message(ZRZ_EINTERNAL));
	}
}

/* An unknown negative code is a 500 too. */
static void test_reply_error_unknown_code(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs");
	http__reply_error(r, -9999);
	error_of(r, 500, "internal");
}

/* The error replaces whatever the handler had replied before failing. */
static void test_reply_error_replaces_reply(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs");
	assert_int_equal(req_reply_json(r, 200, json_pack("{s:s}", "half", "done")), ZRZ_OK);
	req_fail(r, ZRZ_EFORBIDDEN, "org_id", "只能操作本单位");
	http__reply_error(r, ZRZ_EFORBIDDEN);
	json_t *e = error_of(r, 403, "forbidden");
	assert_string_equal(json_string_value(json_object_get(e, "field")), "org_id");
	assert_null(strstr(r->resp_body, "half"));
}

/* ---- req_fail ---- */

static void test_req_fail_and_failf(void **state)
{
	struct req *r = new_req(state, "GET", "/");
	assert_int_equal(req_fail(r, ZRZ_ECONFLICT, "name", "重名"), ZRZ_ECONFLICT);
	assert_string_equal(r->err_field, "name");
	assert_string_equal(r->err_msg, "重名");
	assert_int_equal(req_failf(r, ZRZ_EINVAL, "sort", "%s应在 %d 到 %d 之间", "排序", 1, 99),
			 ZRZ_EINVAL);
	assert_string_equal(r->err_field, "sort");
	assert_string_equal(r->err_msg, "排序应在 1 到 99 之间");
	assert_int_equal(req_fail(r, ZRZ_ENOTFOUND, NULL, NULL), ZRZ_ENOTFOUND);
	assert_null(r->err_field);
	assert_null(r->err_msg);
}

/* ---- req_json_allow ---- */

static void test_json_allow(void **state)
{
	static const char *const keys[] = {"name", "kind", NULL};
	static const char *const none[] = {NULL};
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	assert_int_equal(req_json_allow(r, J(r, "{}"), keys), ZRZ_OK);
	assert_int_equal(req_json_allow(r, J(r, "{}"), none), ZRZ_OK);
	assert_int_equal(req_json_allow(r, J(r, "{\"name\":\"a\",\"kind\":null}"), keys), ZRZ_OK);
	assert_null(r->err_field);

	assert_int_equal(req_json_allow(r, J(r, "{\"name\":\"a\",\"parent\":1}"), keys),
			 ZRZ_EBADREQ);
	assert_string_equal(r->err_field, "parent");
	assert_non_null(strstr(r->err_msg, "parent"));

	/* Matching is exact: no prefixes, no case folding. */
	assert_int_equal(req_json_allow(r, J(r, "{\"nam\":1}"), keys), ZRZ_EBADREQ);
	assert_string_equal(r->err_field, "nam");
	assert_int_equal(req_json_allow(r, J(r, "{\"Name\":1}"), keys), ZRZ_EBADREQ);
	assert_int_equal(req_json_allow(r, J(r, "{\"names\":1}"), keys), ZRZ_EBADREQ);
	assert_int_equal(req_json_allow(r, J(r, "{\"name\":1}"), none), ZRZ_EBADREQ);
	assert_int_equal(req_json_allow(r, J(r, "{\"名称\":1}"), keys), ZRZ_EBADREQ);
	assert_string_equal(r->err_field, "名称");
}

/* Keys that cannot be shown safely are reported as "?". */
static void test_json_allow_odd_keys(void **state)
{
	static const char *const keys[] = {"name", NULL};
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	char longkey[66];
	memset(longkey, 'k', 65);
	longkey[65] = '\0';
	json_t *o = own(r, json_object());
	json_object_set_new(o, longkey, json_true());
	assert_int_equal(req_json_allow(r, o, keys), ZRZ_EBADREQ);
	assert_string_equal(r->err_field, "?");
	assert_null(strstr(r->err_msg, longkey));

	o = own(r, json_object());
	json_object_set_new_nocheck(o, "bad\xff", json_true());
	assert_int_equal(req_json_allow(r, o, keys), ZRZ_EBADREQ);
	assert_string_equal(r->err_field, "?");

	o = own(r, json_object());
	json_object_set_new(o, "a\x01", json_true());
	assert_int_equal(req_json_allow(r, o, keys), ZRZ_EBADREQ);
	assert_string_equal(r->err_field, "?");

	/* 64 bytes is still shown. */
	longkey[64] = '\0';
	o = own(r, json_object());
	json_object_set_new(o, longkey, json_true());
	assert_int_equal(req_json_allow(r, o, keys), ZRZ_EBADREQ);
	assert_string_equal(r->err_field, longkey);
}

/* ---- req_json_str ---- */

#define SENTINEL ((const char *)"sentinel")

static void test_json_str_basic(void **state)
{
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	json_t *o = J(r, "{\"name\":\"综合处\",\"empty\":\"\",\"nul\":null}");
	const char *s = SENTINEL;
	assert_int_equal(req_json_str(r, o, "name", true, 1, 64, &s), ZRZ_OK);
	assert_string_equal(s, "综合处");
	assert_null(r->err_field);

	s = SENTINEL;
	assert_int_equal(req_json_str(r, o, "missing", false, 1, 64, &s), ZRZ_OK);
	assert_null(s);
	s = SENTINEL;
	assert_int_equal(req_json_str(r, o, "nul", false, 1, 64, &s), ZRZ_OK);
	assert_null(s);
	assert_null(r->err_field);

	s = SENTINEL;
	assert_int_equal(req_json_str(r, o, "missing", true, 1, 64, &s), ZRZ_EINVAL);
	assert_null(s);
	assert_string_equal(r->err_field, "missing");
	assert_non_null(r->err_msg);

	r->err_field = NULL;
	assert_int_equal(req_json_str(r, o, "nul", true, 0, 64, &s), ZRZ_EINVAL);
	assert_string_equal(r->err_field, "nul");

	/* Optional and empty is present and empty, unless a minimum says no. */
	s = SENTINEL;
	assert_int_equal(req_json_str(r, o, "empty", false, 0, 64, &s), ZRZ_OK);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(req_json_str(r, o, "empty", false, 1, 64, &s), ZRZ_EINVAL);
	assert_string_equal(r->err_field, "empty");
}

static void test_json_str_label_in_message(void **state)
{
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	json_t *o = J(r, "{}");
	const char *s;
	assert_int_equal(req_json_str(r, o, "name", true, 1, 64, &s), ZRZ_EINVAL);
	assert_non_null(strstr(r->err_msg, http_field_label("name")));
	assert_string_equal(http_field_label("name"), "名称");
}

static void test_json_str_wrong_type(void **state)
{
	static const char *const docs[] = {
	    "{\"name\":1}",  "{\"name\":1.5}",     "{\"name\":true}", "{\"name\":false}",
	    "{\"name\":[]}", "{\"name\":[\"a\"]}", "{\"name\":{}}",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(docs); i++) {
		struct req *r = new_req(state, "POST", "/api/v1/orgs");
		const char *s = SENTINEL;
		assert_int_equal(req_json_str(r, J(r, docs[i]), "name", false, 0, 64, &s),
				 ZRZ_EBADREQ);
		assert_null(s);
		assert_string_equal(r->err_field, "name");
		r->err_field = NULL;
		assert_int_equal(req_json_str(r, J(r, docs[i]), "name", true, 0, 64, &s),
				 ZRZ_EBADREQ);
		assert_string_equal(r->err_field, "name");
	}
}

static void test_json_str_control_characters(void **state)
{
	static const char *const docs[] = {
	    "{\"name\":\"a\\u0001b\"}",  "{\"name\":\"\\u001f\"}", "{\"name\":\"ab\\u001b[0m\"}",
	    "{\"name\":\"del\\u007f\"}", "{\"name\":\"\\u0008\"}",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(docs); i++) {
		struct req *r = new_req(state, "POST", "/api/v1/orgs");
		const char *s = SENTINEL;
		int rc = req_json_str(r, J(r, docs[i]), "name", false, 0, 64, &s);
		if (rc != ZRZ_EINVAL)
			fail_msg("%s: rc %d", docs[i], rc);
		assert_null(s);
		assert_string_equal(r->err_field, "name");
	}

	/* An embedded NUL (the parser refuses \u0000, but values can be built). */
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	json_t *o = own(r, json_object());
	json_object_set_new(o, "name", json_stringn("ab\0cd", 5));
	const char *s = SENTINEL;
	assert_int_equal(req_json_str(r, o, "name", false, 0, 64, &s), ZRZ_EINVAL);
	assert_null(s);
}

static void test_json_str_blank_required(void **state)
{
	static const char *const docs[] = {
	    "{\"name\":\"\"}",
	    "{\"name\":\" \"}",
	    "{\"name\":\"   \"}",
	    "{\"name\":\"\\t\\r\\n\"}",
	    "{\"name\":\"\\u3000\"}", /* ideographic space */
	    "{\"name\":\"\\u3000\\u3000 \\u3000\"}",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(docs); i++) {
		struct req *r = new_req(state, "POST", "/api/v1/orgs");
		const char *s = SENTINEL;
		int rc = req_json_str(r, J(r, docs[i]), "name", true, 0, 64, &s);
		if (rc != ZRZ_EINVAL)
			fail_msg("%s: rc %d", docs[i], rc);
		assert_null(s);
		assert_string_equal(r->err_field, "name");
	}
	/* Spaces around text are kept as they are. */
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	const char *s = NULL;
	assert_int_equal(
	    req_json_str(r, J(r, "{\"name\":\"\\u3000处 \"}"), "name", true, 1, 64, &s), ZRZ_OK);
	assert_string_equal(s, "\xe3\x80\x80处 ");
}

/* Repeat the UTF-8 text unit n times into a malloc'ed string. */
static char *repeat(const char *unit, size_t n)
{
	size_t ul = strlen(unit);
	char *s = malloc(ul * n + 1);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * n] = '\0';
	return s;
}

static void test_json_str_counts_characters(void **state)
{
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	json_t *o = own(r, json_object());
	char *s100 = repeat("字", 100);
	char *s101 = repeat("字", 101);
	json_object_set_new(o, "c100", json_string(s100));
	json_object_set_new(o, "c101", json_string(s101));
	free(s100);
	free(s101);
	const char *s = NULL;
	/* 100 characters are 300 bytes: within max 100. */
	assert_int_equal(req_json_str(r, o, "c100", true, 1, 100, &s), ZRZ_OK);
	assert_non_null(s);
	assert_int_equal(strlen(s), 300);
	s = SENTINEL;
	assert_int_equal(req_json_str(r, o, "c101", true, 1, 100, &s), ZRZ_EINVAL);
	assert_null(s);
	assert_string_equal(r->err_field, "c101");
	assert_non_null(strstr(r->err_msg, "100"));

	/* And the minimum counts characters too: "中文" is 6 bytes, 2 chars. */
	json_object_set_new(o, "two", json_string("中文"));
	assert_int_equal(req_json_str(r, o, "two", true, 2, 2, &s), ZRZ_OK);
	assert_int_equal(req_json_str(r, o, "two", true, 3, 10, &s), ZRZ_EINVAL);
	assert_int_equal(req_json_str(r, o, "two", true, 1, 1, &s), ZRZ_EINVAL);

	/* A four-byte character is one character. */
	json_object_set_new(o, "emoji", json_string("\xf0\x9f\x98\x80"));
	assert_int_equal(req_json_str(r, o, "emoji", true, 1, 1, &s), ZRZ_OK);
	assert_string_equal(s, "\xf0\x9f\x98\x80");

	/* ASCII at the edges. */
	json_object_set_new(o, "ascii", json_string("abcde"));
	assert_int_equal(req_json_str(r, o, "ascii", true, 5, 5, &s), ZRZ_OK);
	assert_int_equal(req_json_str(r, o, "ascii", true, 6, 9, &s), ZRZ_EINVAL);
	assert_int_equal(req_json_str(r, o, "ascii", true, 0, 4, &s), ZRZ_EINVAL);
}

/* ---- req_json_int ---- */

static void test_json_int(void **state)
{
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	json_t *o = J(r, "{\"lo\":1,\"hi\":10,\"mid\":5,\"under\":0,\"over\":11,\"neg\":-3,"
			 "\"nul\":null,\"max\":9223372036854775807,"
			 "\"min\":-9223372036854775808}");
	int64_t v = -77;
	bool present = false;
	assert_int_equal(req_json_int(r, o, "mid", true, 1, 10, &v, &present), ZRZ_OK);
	assert_int_equal(v, 5);
	assert_true(present);
	assert_int_equal(req_json_int(r, o, "lo", true, 1, 10, &v, &present), ZRZ_OK);
	assert_int_equal(v, 1);
	assert_int_equal(req_json_int(r, o, "hi", true, 1, 10, &v, NULL), ZRZ_OK);
	assert_int_equal(v, 10);
	assert_int_equal(req_json_int(r, o, "neg", true, -5, -1, &v, NULL), ZRZ_OK);
	assert_int_equal(v, -3);
	assert_int_equal(req_json_int(r, o, "max", true, 1, INT64_MAX, &v, NULL), ZRZ_OK);
	assert_true(v == INT64_MAX);
	assert_int_equal(req_json_int(r, o, "min", true, INT64_MIN, 0, &v, NULL), ZRZ_OK);
	assert_true(v == INT64_MIN);

	v = -77;
	present = true;
	assert_int_equal(req_json_int(r, o, "under", true, 1, 10, &v, &present), ZRZ_EINVAL);
	assert_int_equal(v, -77);
	assert_false(present);
	assert_string_equal(r->err_field, "under");
	assert_int_equal(req_json_int(r, o, "over", false, 1, 10, &v, NULL), ZRZ_EINVAL);
	assert_string_equal(r->err_field, "over");
	assert_int_equal(req_json_int(r, o, "max", true, 1, INT64_MAX - 1, &v, NULL), ZRZ_EINVAL);
	assert_int_equal(v, -77);

	/* Absent or null: fine when optional, 422 when required. */
	r->err_field = NULL;
	present = true;
	assert_int_equal(req_json_int(r, o, "missing", false, 1, 10, &v, &present), ZRZ_OK);
	assert_false(present);
	assert_int_equal(v, -77);
	present = true;
	assert_int_equal(req_json_int(r, o, "nul", false, 1, 10, &v, &present), ZRZ_OK);
	assert_false(present);
	assert_int_equal(v, -77);
	assert_null(r->err_field);
	assert_int_equal(req_json_int(r, o, "missing", true, 1, 10, &v, &present), ZRZ_EINVAL);
	assert_string_equal(r->err_field, "missing");
	assert_int_equal(req_json_int(r, o, "nul", true, 1, 10, &v, NULL), ZRZ_EINVAL);
	assert_string_equal(r->err_field, "nul");
	assert_int_equal(v, -77);
}

static void test_json_int_wrong_type(void **state)
{
	static const char *const docs[] = {
	    "{\"n\":\"5\"}", "{\"n\":5.0}",   "{\"n\":5.5}", "{\"n\":1e2}",
	    "{\"n\":true}",  "{\"n\":false}", "{\"n\":[5]}", "{\"n\":{}}",
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(docs); i++) {
		struct req *r = new_req(state, "POST", "/api/v1/orgs");
		int64_t v = -77;
		bool present = true;
		int rc = req_json_int(r, J(r, docs[i]), "n", false, 0, 1000, &v, &present);
		if (rc != ZRZ_EBADREQ)
			fail_msg("%s: rc %d", docs[i], rc);
		assert_int_equal(v, -77);
		assert_false(present);
		assert_string_equal(r->err_field, "n");
	}
}

/* ---- req_json_bool ---- */

static void test_json_bool(void **state)
{
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	json_t *o = J(r, "{\"t\":true,\"f\":false,\"nul\":null,\"one\":1,\"s\":\"true\","
			 "\"a\":[true]}");
	bool v = false, present = false;
	assert_int_equal(req_json_bool(r, o, "t", &v, &present), ZRZ_OK);
	assert_true(v);
	assert_true(present);
	assert_int_equal(req_json_bool(r, o, "f", &v, &present), ZRZ_OK);
	assert_false(v);
	assert_true(present);
	assert_int_equal(req_json_bool(r, o, "t", &v, NULL), ZRZ_OK);
	assert_true(v);

	/* Absent or null leaves *out alone. */
	assert_int_equal(req_json_bool(r, o, "missing", &v, &present), ZRZ_OK);
	assert_true(v);
	assert_false(present);
	present = true;
	assert_int_equal(req_json_bool(r, o, "nul", &v, &present), ZRZ_OK);
	assert_true(v);
	assert_false(present);
	assert_null(r->err_field);

	static const char *const bad[] = {"one", "s", "a"};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		v = true;
		present = true;
		assert_int_equal(req_json_bool(r, o, bad[i], &v, &present), ZRZ_EBADREQ);
		assert_true(v);
		assert_false(present);
		assert_string_equal(r->err_field, bad[i]);
	}
}

/* ---- req_json_enum ---- */

static void test_json_enum(void **state)
{
	static const char *const roles[] = {"admin", "member", "auditor", NULL};
	struct req *r = new_req(state, "POST", "/api/v1/orgs");
	json_t *o = J(r, "{\"role\":\"member\",\"upper\":\"Admin\",\"other\":\"root\","
			 "\"num\":3,\"nul\":null,\"empty\":\"\",\"pre\":\"memb\",\"blank\":\" \"}");
	const char *s = NULL;
	assert_int_equal(req_json_enum(r, o, "role", true, roles, &s), ZRZ_OK);
	assert_ptr_equal(s, roles[1]); /* the table's own string, not the JSON's */

	s = SENTINEL;
	assert_int_equal(req_json_enum(r, o, "missing", false, roles, &s), ZRZ_OK);
	assert_null(s);
	s = SENTINEL;
	assert_int_equal(req_json_enum(r, o, "nul", false, roles, &s), ZRZ_OK);
	assert_null(s);
	assert_null(r->err_field);

	static const struct {
		const char *key;
		bool required;
		int rc;
	} bad[] = {
	    {"upper", true, ZRZ_EINVAL}, {"other", false, ZRZ_EINVAL},
	    {"pre", false, ZRZ_EINVAL},  {"empty", false, ZRZ_EINVAL},
	    {"empty", true, ZRZ_EINVAL}, {"blank", true, ZRZ_EINVAL},
	    {"num", false, ZRZ_EBADREQ}, {"missing", true, ZRZ_EINVAL},
	    {"nul", true, ZRZ_EINVAL},
	};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(bad); i++) {
		s = SENTINEL;
		r->err_field = NULL;
		int rc = req_json_enum(r, o, bad[i].key, bad[i].required, roles, &s);
		if (rc != bad[i].rc)
			fail_msg("%s (required %d): rc %d", bad[i].key, bad[i].required, rc);
		assert_non_null(r->err_field);
		assert_string_equal(r->err_field, bad[i].key);
	}
}

/* ---- json_page ---- */

static void test_json_page(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs");
	json_t *items = json_pack("[{s:i},{s:i}]", "id", 1, "id", 2);
	json_t *p = own(r, json_page(items, 42));
	assert_true(json_is_object(p));
	assert_int_equal(json_object_size(p), 2);
	assert_ptr_equal(json_object_get(p, "items"), items); /* reference stolen */
	assert_int_equal(json_array_size(items), 2);
	assert_true(json_is_integer(json_object_get(p, "total")));
	assert_int_equal(json_integer_value(json_object_get(p, "total")), 42);

	p = own(r, json_page(json_array(), (int64_t)1 << 40));
	assert_int_equal(json_array_size(json_object_get(p, "items")), 0);
	assert_true(json_integer_value(json_object_get(p, "total")) == (json_int_t)1 << 40);

	/* Through the reply: what a client sees. */
	assert_int_equal(req_reply_json(r, 200, json_page(json_array(), 0)), ZRZ_OK);
	assert_string_equal(r->resp_body, "{\"items\":[],\"total\":0}");
}

/* ---- replies ---- */

static void test_reply_json(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs");
	assert_int_equal(req_reply_json(r, 201, json_pack("{s:s, s:i}", "name", "综合处", "id", 3)),
			 ZRZ_OK);
	assert_true(r->replied);
	assert_int_equal(r->status, 201);
	assert_string_equal(r->resp_type, "application/json; charset=utf-8");
	assert_string_equal(r->resp_body, "{\"name\":\"综合处\",\"id\":3}");
	assert_int_equal(r->resp_len, strlen(r->resp_body));

	/* A second reply replaces the first (and frees it: ASan checks). */
	assert_int_equal(req_reply_json(r, 200, json_array()), ZRZ_OK);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->resp_body, "[]");
	assert_int_equal(r->resp_len, 2);
}

static void test_reply_json_null(void **state)
{
	struct req *r = new_req(state, "GET", "/api/v1/orgs");
	assert_int_equal(req_reply_json(r, 200, NULL), ZRZ_EINTERNAL);
	assert_false(r->replied);
}

static void test_reply_bytes(void **state)
{
	struct req *r = new_req(state, "GET", "/export.csv");
	char data[] = {'a', '\0', 'b', '\xff', '\n'};
	assert_int_equal(req_reply_bytes(r, 200, "text/csv; charset=utf-8", data, sizeof(data)),
			 ZRZ_OK);
	memset(data, 'x', sizeof(data)); /* the reply holds its own copy */
	assert_true(r->replied);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->resp_type, "text/csv; charset=utf-8");
	assert_int_equal(r->resp_len, 5);
	assert_memory_equal(r->resp_body, "a\0b\xff\n", 5);

	assert_int_equal(req_reply_bytes(r, 200, "text/plain", "", 0), ZRZ_OK);
	assert_non_null(r->resp_body);
	assert_int_equal(r->resp_len, 0);
	assert_string_equal(r->resp_type, "text/plain");
}

static void test_reply_empty(void **state)
{
	struct req *r = new_req(state, "DELETE", "/api/v1/orgs/3");
	assert_int_equal(req_reply_json(r, 200, json_object()), ZRZ_OK);
	assert_int_equal(req_reply_empty(r), ZRZ_OK);
	assert_true(r->replied);
	assert_int_equal(r->status, 204);
	assert_null(r->resp_type);
	assert_int_equal(r->resp_len, 0);
}

static void test_add_header_cap(void **state)
{
	static const char *const names[] = {"H0", "H1", "H2", "H3", "H4", "H5", "H6", "H7"};
	static const char *const values[] = {"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7"};
	struct req *r = new_req(state, "GET", "/");
	for (int i = 0; i < 8; i++) {
		req_add_header(r, names[i], values[i]);
		assert_int_equal(r->nheaders, i < REQ_MAX_HEADERS ? i + 1 : REQ_MAX_HEADERS);
	}
	for (int i = 0; i < REQ_MAX_HEADERS; i++) {
		assert_string_equal(r->headers[i][0], names[i]);
		assert_string_equal(r->headers[i][1], values[i]);
	}
	assert_null(header_value(r, "H6"));
	assert_false(r->replied);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_route_exact),
	    T(test_route_param_captured),
	    T(test_route_two_params),
	    T(test_route_literal_before_param),
	    T(test_route_param_id_rejects),
	    T(test_route_param_id_empty_and_missing),
	    T(test_route_param_id_accepts),
	    T(test_route_param_id_from_path),
	    T(test_route_method_mismatch),
	    T(test_route_head_matches_get),
	    T(test_route_no_partial_matches),
	    T(test_route_max_params),
	    T(test_route_params_reset_between_routes),
	    T(test_dispatch_calls_handler_after_auth),
	    T(test_dispatch_auth_error_stops),
	    T(test_dispatch_public_skips_auth),
	    T(test_dispatch_without_authenticate_hook),
	    T(test_dispatch_405_allow),
	    T(test_dispatch_405_allow_lists_each_method_once),
	    T(test_dispatch_unknown_api_path),
	    T(test_dispatch_unknown_api_path_with_web),
	    T(test_dispatch_retry_exhausted),
	    T(test_dispatch_retry_then_success),
	    T(test_dispatch_retry_then_other_error),
	    T(test_dispatch_no_retry_for_other_errors),
	    T(test_dispatch_retry_without_hook),
	    T(test_dispatch_no_retry_after_reply),
	    T(test_reply_error_invalid_with_field),
	    T(test_reply_error_not_found_field_null),
	    T(test_reply_error_custom_chinese_4xx),
	    T(test_reply_error_invalid_utf8_detail),
	    T(test_reply_error_internal_hides_detail),
	    T(test_reply_error_other_5xx_has_request_id),
	    T(test_reply_error_non_negative_code),
	    T(test_reply_error_unknown_code),
	    T(test_reply_error_replaces_reply),
	    T(test_req_fail_and_failf),
	    T(test_json_allow),
	    T(test_json_allow_odd_keys),
	    T(test_json_str_basic),
	    T(test_json_str_label_in_message),
	    T(test_json_str_wrong_type),
	    T(test_json_str_control_characters),
	    T(test_json_str_blank_required),
	    T(test_json_str_counts_characters),
	    T(test_json_int),
	    T(test_json_int_wrong_type),
	    T(test_json_bool),
	    T(test_json_enum),
	    T(test_json_page),
	    T(test_reply_json),
	    T(test_reply_json_null),
	    T(test_reply_bytes),
	    T(test_reply_empty),
	    T(test_add_header_cap),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}

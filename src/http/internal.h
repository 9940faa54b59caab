/*
 * Functions shared between the files of src/http/ only.
 */
#ifndef ZRZ_HTTP_INTERNAL_H
#define ZRZ_HTTP_INTERNAL_H

#include "http/http.h"

struct http_static;

/* Find the route for r (sets r->route and params; no route: NULL). */
void http__route(struct req *r, const struct http_config *cfg);
/* Run the matched route or the static fallback; returns the handler's code. */
int http__dispatch(struct req *r, const struct http_config *cfg, struct http_static *web);
/* Fill in the JSON error reply for code (using r->err_field/err_msg). */
void http__reply_error(struct req *r, int code);

int http__static_open(const char *dir, struct http_static **out);
void http__static_close(struct http_static *web);
/* Serve r's path from the web folder (GET/HEAD); ZRZ_ENOTFOUND if none. */
int http__static_serve(struct http_static *web, struct req *r);

#endif

/*
 * The libmicrohttpd server.  One epoll thread per core (MHD's thread pool)
 * accepts and runs requests.  A request lives in a struct req created on the
 * first callback (MHD's req_cls) and freed, arena and all, in the
 * request-completed notification.  Limits are checked here so that every one
 * of them answers with JSON: the header cap (431) and a Content-Length over
 * the route's body cap (413) on the first callback, before any body is read
 * (the cap of a route is its own, else the upload cap for ROUTE_RAW_BODY
 * routes, else the JSON cap);
 * a chunked body that grows past the cap is discarded and answered with 413;
 * a body still arriving after the request deadline gets 408; connections
 * beyond the limit get 503.  MHD's own hard limits sit above ours as a
 * backstop.  A few malformed requests never reach us: libmicrohttpd 0.9.75
 * itself answers a Content-Length that is not a number, or headers beyond
 * its memory pool, with its own plain-text error.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "core/ztime.h"
#include "http/http.h"
#include "http/internal.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>

struct http_server {
	struct MHD_Daemon *d;
	struct http_config cfg;
	struct http_static *web;
	atomic_int conns;
	atomic_int active;
	atomic_uint_fast64_t next_id;
	unsigned port;
};

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	(void)c;
	(void)socket_ctx;
	struct http_server *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		atomic_fetch_add(&s->conns, 1);
	else
		atomic_fetch_sub(&s->conns, 1);
}

static enum MHD_Result sum_headers(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	(void)kind;
	size_t *sum = cls;
	*sum += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

static const char *peer_address(struct MHD_Connection *c, struct arena *a)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return "";
	char buf[INET6_ADDRSTRLEN] = "";
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof(buf));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof(buf));
	return arena_strdup(a, buf);
}

static enum MHD_Result send_reply(struct MHD_Connection *c, struct req *r)
{
	struct MHD_Response *resp;
	if (r->static_fd >= 0) {
		resp = MHD_create_response_from_fd64(r->static_size, r->static_fd);
		r->static_fd = -1; /* MHD closes it */
		r->sent_bytes = r->static_size;
	} else {
		resp = MHD_create_response_from_buffer(r->resp_len, r->resp_body,
						       MHD_RESPMEM_MUST_FREE);
		r->resp_body = NULL;
		r->sent_bytes = r->resp_len;
	}
	if (!resp)
		return MHD_NO;
	if (r->resp_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->resp_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i][0], r->headers[i][1]);
	if (r->close_after)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Dispatch a complete request and queue its reply. */
static enum MHD_Result finish_request(struct http_server *s, struct MHD_Connection *c,
				      struct req *r)
{
	int rc;
	if (r->in.too_big) {
		r->close_after = true;
		rc = req_fail(r, ZRZ_ETOOBIG, NULL, NULL);
	} else if (r->in.timed_out) {
		r->close_after = true;
		rc = req_fail(r, ZRZ_ETIMEOUT, NULL, NULL);
	} else {
		rc = http__dispatch(r, &s->cfg, s->web);
	}
	if (rc && !r->replied)
		http__reply_error(r, rc);
	else if (!r->replied)
		http__reply_error(r, ZRZ_EINTERNAL);
	return send_reply(c, r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	(void)version;
	struct http_server *s = cls;
	struct req *r = *req_cls;
	if (!r) {
		struct arena *a = arena_new();
		r = arena_alloc(a, sizeof(*r));
		r->arena = a;
		r->conn = c;
		r->static_fd = -1;
		r->started_us = time_mono_us();
		r->method = arena_strdup(a, method);
		r->path = arena_strdup(a, url);
		r->client = peer_address(c, a);
		r->app = s->cfg.app;
		r->status = 200;
		snprintf(r->request_id, sizeof(r->request_id), "%llx",
			 (unsigned long long)atomic_fetch_add(&s->next_id, 1) + 1);
		*req_cls = r;
		atomic_fetch_add(&s->active, 1);

		size_t hsum = 0;
		MHD_get_connection_values(c, MHD_HEADER_KIND, sum_headers, &hsum);
		if (s->cfg.max_conns && atomic_load(&s->conns) > (int)s->cfg.max_conns) {
			r->close_after = true;
			http__reply_error(r, ZRZ_EUNAVAIL);
			return send_reply(c, r);
		}
		if (hsum > s->cfg.header_cap) {
			r->close_after = true;
			http__reply_error(r, ZRZ_EHEADER);
			return send_reply(c, r);
		}
		http__route(r, &s->cfg);
		if (r->route && r->route->body_cap)
			r->in.cap = r->route->body_cap;
		else if (r->route && (r->route->flags & ROUTE_RAW_BODY))
			r->in.cap = s->cfg.upload_cap;
		else
			r->in.cap = s->cfg.body_cap;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		/* MHD has already refused a Content-Length that is not plain
		 * digits; one that does not fit in 63 bits is simply too big. */
		int64_t len = 0;
		bool huge = cl && !str_to_int64(cl, &len);
		if (cl && (huge || len < 0 || (uint64_t)len > r->in.cap)) {
			r->close_after = true;
			http__reply_error(r, ZRZ_ETOOBIG);
			return send_reply(c, r);
		}
		/* A body of announced size is read into one buffer of that size
		 * (uploads run to megabytes: no doubling and copying). */
		if (cl && len > 0) {
			r->body = arena_alloc(a, (size_t)len + 1);
			r->body_alloc = (size_t)len + 1;
		}
		/* Answer on the next call: a reply queued on the first call
		 * makes MHD close the connection instead of keeping it alive. */
		return MHD_YES;
	}
	if (r->replied) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (s->cfg.request_timeout &&
		    time_mono_us() - r->started_us > (int64_t)s->cfg.request_timeout * 1000000)
			r->in.timed_out = true;
		if (r->in.too_big || r->in.timed_out) {
			r->in.discarded += n;
			/* Do not read an endless stream just to refuse it. */
			return r->in.discarded > 16 * (uint64_t)r->in.cap + (1u << 20) ? MHD_NO : MHD_YES;
		}
		if (r->body_len + n > r->in.cap) {
			r->in.too_big = true;
			return MHD_YES;
		}
		if (r->body_len + n + 1 > r->body_alloc) {
			size_t alloc = r->body_alloc ? r->body_alloc * 2 : 4096;
			while (alloc < r->body_len + n + 1)
				alloc *= 2;
			if (alloc > r->in.cap + 1)
				alloc = r->in.cap + 1;
			char *nb = arena_alloc(r->arena, alloc);
			if (r->body_len)
				memcpy(nb, r->body, r->body_len);
			r->body = nb;
			r->body_alloc = alloc;
		}
		memcpy(r->body + r->body_len, upload_data, n);
		r->body_len += n;
		r->body[r->body_len] = '\0';
		return MHD_YES;
	}
	return finish_request(s, c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)c;
	(void)toe;
	struct http_server *s = cls;
	struct req *r = *req_cls;
	if (!r)
		return;
	*req_cls = NULL;
	int64_t us = time_mono_us() - r->started_us;
	log_access(r->method, r->path, r->replied ? r->status : 0, r->sent_bytes, us, r->user_id,
		   r->request_id);
	if (s->cfg.finish)
		s->cfg.finish(r);
	if (r->static_fd >= 0)
		close(r->static_fd);
	free(r->resp_body);
	arena_free(r->arena);
	atomic_fetch_sub(&s->active, 1);
}

static bool parse_listen(const char *listen, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || colon - listen > 63)
		return false;
	char host[64];
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	int64_t port;
	if (!str_to_int64(colon + 1, &port) || port < 0 || port > 65535)
		return false;
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return false;
	sa->sin_port = htons((uint16_t)port);
	return true;
}

int http_start(const struct http_config *cfg, struct http_server **out, char *err, size_t errlen)
{
	struct sockaddr_in sa;
	if (!parse_listen(cfg->listen, &sa)) {
		snprintf(err, errlen, "监听地址无效：%.100s（应为 IP:端口，例如 127.0.0.1:8080）",
			 cfg->listen);
		return ZRZ_EINVAL;
	}
	struct http_server *s = xcalloc(1, sizeof(*s));
	s->cfg = *cfg;
	if (!s->cfg.body_cap)
		s->cfg.body_cap = 1 << 20;
	if (!s->cfg.upload_cap)
		s->cfg.upload_cap = 20 << 20;
	if (!s->cfg.header_cap)
		s->cfg.header_cap = 8 * 1024;
	if (!s->cfg.conn_timeout)
		s->cfg.conn_timeout = 60;
	if (!s->cfg.max_conns)
		s->cfg.max_conns = 1024;
	int threads = cfg->threads;
	if (threads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (int)n : 1;
	}
	if (cfg->web_dir) {
		int rc = http__static_open(cfg->web_dir, &s->web);
		if (rc) {
			snprintf(err, errlen, "无法打开前端目录 %.200s", cfg->web_dir);
			free(s);
			return rc;
		}
	}
	/* ITC lets MHD_quiesce_daemon() stop the listening socket at once. */
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	/* MHD clears a connection's pool for every request: keep it small,
	 * but big enough that headers up to about 3x our cap reach our own
	 * JSON 431 rather than MHD's plain one. */
	size_t mem_limit = s->cfg.header_cap * 3 + 8 * 1024;
	s->d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT,
		s->cfg.conn_timeout, MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_conns + 64,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem_limit, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "无法在 %.100s 上监听（端口可能已被占用）", cfg->listen);
		http__static_close(s->web);
		free(s);
		return ZRZ_EIO;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : ntohs(sa.sin_port);
	*out = s;
	return ZRZ_OK;
}

unsigned http_port(const struct http_server *s)
{
	return s->port;
}

void http_stop(struct http_server *s, int grace_ms)
{
	if (!s)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->d);
	for (int waited = 0; atomic_load(&s->active) > 0 && waited < grace_ms; waited += 10)
		usleep(10000);
	MHD_stop_daemon(s->d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	http__static_close(s->web);
	free(s);
}

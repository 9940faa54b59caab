/*
 * Static files of the web front end.  The request path (already
 * percent-decoded by MHD) is checked segment by segment: no "..", no ".",
 * no empty segments, no backslashes; then the file is opened relative to the
 * web folder's descriptor with O_NOFOLLOW on every component
 * (openat(2) one segment at a time), so neither a crafted path nor a symlink
 * planted inside the folder can lead outside it.  A path that names no file
 * and has no extension falls back to index.html, so the single-page app's
 * own routes load; a missing asset is a 404.  A pre-compressed NAME.gz next
 * to a file is sent instead when the client accepts gzip.
 */
#include "core/common.h"
#include "core/arena.h"
#include "http/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <sys/stat.h>
#include <unistd.h>

struct http_static {
	int dirfd;
};

int http__static_open(const char *dir, struct http_static **out)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ZRZ_EIO;
	struct http_static *w = xcalloc(1, sizeof(*w));
	w->dirfd = fd;
	*out = w;
	return ZRZ_OK;
}

void http__static_close(struct http_static *web)
{
	if (!web)
		return;
	close(web->dirfd);
	free(web);
}

static const char *mime_of(const char *path)
{
	static const char *const types[][2] = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".json", "application/json; charset=utf-8"},
		{".map", "application/json; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".jpg", "image/jpeg"},
		{".jpeg", "image/jpeg"},
		{".gif", "image/gif"},
		{".webp", "image/webp"},
		{".ico", "image/x-icon"},
		{".woff", "font/woff"},
		{".woff2", "font/woff2"},
		{".ttf", "font/ttf"},
		{".txt", "text/plain; charset=utf-8"},
		{".wasm", "application/wasm"},
		{".pdf", "application/pdf"},
		{".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	};
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	if (!dot)
		return "application/octet-stream";
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(types); i++)
		if (!strcasecmp(dot, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

/* True when every segment of rel is a plain name. */
static bool safe_path(const char *rel)
{
	if (!*rel)
		return true;
	if (strchr(rel, '\\'))
		return false;
	const char *p = rel;
	for (;;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 && e)
			return false;
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!e)
			return true;
		p = e + 1;
	}
}

/*
 * Open rel under dirfd without following any symlink.  Returns an fd of a
 * regular file, or -1 (errno ENOENT also for directories and non-files).
 */
static int open_under(int dirfd, const char *rel, struct arena *a)
{
	char *copy = arena_strdup(a, rel);
	int cur = dirfd;
	char *p = copy;
	for (;;) {
		char *e = strchr(p, '/');
		if (e)
			*e = '\0';
		int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (e ? O_DIRECTORY : 0);
		int fd = openat(cur, p, flags);
		if (cur != dirfd)
			close(cur);
		if (fd < 0)
			return -1;
		if (!e) {
			struct stat st;
			if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
				close(fd);
				errno = ENOENT;
				return -1;
			}
			return fd;
		}
		cur = fd;
		p = e + 1;
		if (!*p) {
			close(cur);
			errno = ENOENT;
			return -1;
		}
	}
}

static bool accepts_gzip(struct req *r)
{
	const char *ae = req_header(r, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	return ae && strstr(ae, "gzip");
}

static int send_file(struct req *r, int fd, const char *type, bool gz, bool immutable)
{
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return ZRZ_EIO;
	}
	r->static_fd = fd;
	r->static_size = (uint64_t)st.st_size;
	r->status = 200;
	r->resp_type = type;
	r->replied = true;
	if (gz)
		req_add_header(r, "Content-Encoding", "gzip");
	req_add_header(r, "Vary", "Accept-Encoding");
	req_add_header(r, "Cache-Control",
		       immutable ? "public, max-age=31536000, immutable" : "no-cache");
	return ZRZ_OK;
}

static int try_file(struct http_static *web, struct req *r, const char *rel, bool *found)
{
	*found = false;
	const char *type = mime_of(rel);
	bool immutable = !strncmp(rel, "assets/", 7);
	if (accepts_gzip(r)) {
		int gfd = open_under(web->dirfd, arena_printf(r->arena, "%s.gz", rel), r->arena);
		if (gfd >= 0) {
			*found = true;
			return send_file(r, gfd, type, true, immutable);
		}
	}
	int fd = open_under(web->dirfd, rel, r->arena);
	if (fd < 0)
		return ZRZ_ENOTFOUND;
	*found = true;
	return send_file(r, fd, type, false, immutable);
}

int http__static_serve(struct http_static *web, struct req *r)
{
	const char *path = r->path;
	if (path[0] != '/')
		return req_fail(r, ZRZ_ENOTFOUND, NULL, NULL);
	const char *rel = path + 1;
	if (!safe_path(rel))
		return req_fail(r, ZRZ_ENOTFOUND, NULL, "文件不存在");
	bool found = false;
	if (*rel && rel[strlen(rel) - 1] != '/') {
		int rc = try_file(web, r, rel, &found);
		if (found)
			return rc;
	}
	/* Assets that are missing are 404; app routes get index.html. */
	const char *last = strrchr(path, '/');
	if (last && strchr(last, '.'))
		return req_fail(r, ZRZ_ENOTFOUND, NULL, "文件不存在");
	int rc = try_file(web, r, "index.html", &found);
	if (!found)
		return req_fail(r, ZRZ_ENOTFOUND, NULL, "前端页面尚未构建");
	return rc;
}

/*
 * The SQLite-page floor: a bare libmicrohttpd server that answers every
 * request with a 25-row page read from an indexed SQLite table and rendered
 * with jansson.  This is the least work a list endpoint of zerenzhi can do:
 * one prepared statement on a per-thread connection, one JSON document, no
 * routing, no session check and no logging.  bench/run compares zerenzhi with
 * it to separate the cost of the application from the cost of the database
 * and the JSON library.
 *
 * At start it makes sure the database file holds the table item with an index
 * on (grp, id) and, if the table is empty, fills it with 100,000 rows spread
 * over 1,000 groups.  Each pool thread then opens its own connection and
 * prepares the page query the first time it serves a request; a pthread key
 * destructor closes both when the thread ends.  Request n of a thread reads
 * group n % 1000, so the pages rotate over the whole table.
 *
 * It listens on 127.0.0.1 only, uses one epoll thread per core and stops
 * cleanly on SIGINT or SIGTERM.
 *
 * Usage: floor_sqlite PORT DBFILE
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sqlite3.h>

enum {
	FLOOR_ROWS = 100000,
	FLOOR_GROUPS = 1000,
};

static const char floor_page_sql[] =
	"SELECT id, name, created_at FROM item WHERE grp = ? ORDER BY id "
	"LIMIT 25";

static const char floor_error_body[] =
	"{\"error\":{\"code\":\"internal\",\"message\":\"floor failed\"}}";

/* What every pool thread shares; it is read-only once the daemon runs. */
struct floor_app {
	const char *db_path;
	pthread_key_t worker_key;
};

/* One pool thread's connection, statement and request counter. */
struct floor_worker {
	sqlite3 *db;
	sqlite3_stmt *page;
	unsigned long counter;
};

/*
 * Parses a TCP port in 1..65535 from s into *port.  Returns 0 on success and
 * -1 if s is not a whole decimal number in that range.
 */
static int floor_parse_port(const char *s, uint16_t *port)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/*
 * Fills the empty table item with FLOOR_ROWS rows in one transaction: row i
 * goes to group i % FLOOR_GROUPS, so every group holds 100 rows and a page of
 * 25 is always full.  Returns 0 on success and -1 after printing the SQLite
 * error.
 */
static int floor_db_fill(sqlite3 *db)
{
	sqlite3_stmt *ins = NULL;
	char name[32];
	int rc = -1;
	int i;

	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO item(grp, name, created_at) "
			       "VALUES(?, ?, ?)",
			       -1, &ins, NULL) != SQLITE_OK)
		goto out;
	for (i = 0; i < FLOOR_ROWS; i++) {
		int len = snprintf(name, sizeof(name), "item-%06d", i);

		sqlite3_bind_int(ins, 1, i % FLOOR_GROUPS);
		sqlite3_bind_text(ins, 2, name, len, SQLITE_STATIC);
		/* One row a minute from 2026-01-01T00:00:00Z. */
		sqlite3_bind_int64(ins, 3, (sqlite3_int64)1767225600 + i * 60);
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto out;
		sqlite3_reset(ins);
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		fprintf(stderr, "floor_sqlite: fill: %s\n", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_finalize(ins);
	return rc;
}

/*
 * Creates the database at path if needed, switches it to WAL, creates the
 * table and its index and fills the table when it is empty.  The connection
 * is closed again; the pool threads open their own.  Returns 0 on success
 * and -1 after printing the error.
 */
static int floor_db_setup(const char *path)
{
	static const char ddl[] =
		"PRAGMA journal_mode = WAL;"
		"PRAGMA synchronous = NORMAL;"
		"CREATE TABLE IF NOT EXISTS item("
		"id INTEGER PRIMARY KEY, grp INTEGER, name TEXT, "
		"created_at INTEGER);"
		"CREATE INDEX IF NOT EXISTS item_grp_id ON item(grp, id);";
	sqlite3 *db = NULL;
	sqlite3_stmt *count = NULL;
	int rc = -1;

	if (sqlite3_open_v2(path, &db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, ddl, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM item", -1, &count,
			       NULL) != SQLITE_OK ||
	    sqlite3_step(count) != SQLITE_ROW)
		goto fail;
	if (sqlite3_column_int64(count, 0) == 0 && floor_db_fill(db) != 0)
		goto out;
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "floor_sqlite: %s: %s\n", path,
		db != NULL ? sqlite3_errmsg(db) : "out of memory");
out:
	sqlite3_finalize(count);
	sqlite3_close(db);
	return rc;
}

/* The pthread key destructor: closes a pool thread's connection. */
static void floor_worker_free(void *p)
{
	struct floor_worker *w = p;

	sqlite3_finalize(w->page);
	sqlite3_close(w->db);
	free(w);
}

/*
 * Returns the calling thread's worker, opening its connection and preparing
 * the page query on the first call.  The worker belongs to the thread and is
 * freed by floor_worker_free when the thread exits.  Returns NULL, after
 * printing why, if the database cannot be opened; the next request of the
 * thread tries again.
 */
static struct floor_worker *floor_worker_get(struct floor_app *app)
{
	struct floor_worker *w = pthread_getspecific(app->worker_key);

	if (w != NULL)
		return w;
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		fprintf(stderr, "floor_sqlite: out of memory\n");
		return NULL;
	}
	/* Each connection is used by its own thread only. */
	if (sqlite3_open_v2(app->db_path, &w->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(w->db, 5000);
	if (sqlite3_prepare_v3(w->db, floor_page_sql, -1,
			       SQLITE_PREPARE_PERSISTENT, &w->page,
			       NULL) != SQLITE_OK)
		goto fail;
	if (pthread_setspecific(app->worker_key, w) != 0)
		goto fail;
	return w;
fail:
	fprintf(stderr, "floor_sqlite: open %s: %s\n", app->db_path,
		w->db != NULL ? sqlite3_errmsg(w->db) : "out of memory");
	floor_worker_free(w);
	return NULL;
}

/*
 * Reads the next group's page with w's statement and renders it as
 * {"items":[{"id":..,"name":..,"created_at":..},...],"total":n}.  Returns the
 * compact JSON text, which the caller frees with free(), or NULL if the query
 * or jansson failed.
 */
static char *floor_page_render(struct floor_worker *w)
{
	json_t *root = json_object();
	json_t *items = json_array();
	char *text = NULL;
	size_t n = 0;
	int src;

	if (root == NULL || items == NULL)
		goto out;
	sqlite3_bind_int(w->page, 1, (int)(w->counter % FLOOR_GROUPS));
	w->counter++;
	for (;;) {
		json_t *row;
		const char *name;

		src = sqlite3_step(w->page);
		if (src != SQLITE_ROW)
			break;
		row = json_object();
		name = (const char *)sqlite3_column_text(w->page, 1);
		if (row == NULL || json_array_append_new(items, row) != 0)
			goto out;
		if (json_object_set_new(row, "id",
					json_integer(sqlite3_column_int64(
						w->page, 0))) != 0 ||
		    json_object_set_new(row, "name",
					json_stringn(name != NULL ? name : "",
						     (size_t)sqlite3_column_bytes(
							     w->page, 1))) != 0 ||
		    json_object_set_new(row, "created_at",
					json_integer(sqlite3_column_int64(
						w->page, 2))) != 0)
			goto out;
		n++;
	}
	if (src != SQLITE_DONE) {
		fprintf(stderr, "floor_sqlite: page: %s\n",
			sqlite3_errmsg(w->db));
		goto out;
	}
	if (json_object_set(root, "items", items) != 0 ||
	    json_object_set_new(root, "total", json_integer((json_int_t)n)) != 0)
		goto out;
	text = json_dumps(root, JSON_COMPACT);
out:
	sqlite3_reset(w->page);
	json_decref(items);
	json_decref(root);
	return text;
}

/*
 * Answers every request, whatever its method or URL, with the next page, or
 * with a 500 and a fixed error body if the page cannot be produced.
 */
static enum MHD_Result floor_answer(void *cls, struct MHD_Connection *conn,
				    const char *url, const char *method,
				    const char *version, const char *upload_data,
				    size_t *upload_data_size, void **req_cls)
{
	struct floor_app *app = cls;
	struct floor_worker *w;
	struct MHD_Response *resp;
	unsigned int status = MHD_HTTP_OK;
	char *text = NULL;
	enum MHD_Result ret;

	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;

	/*
	 * The first call only announces the headers.  Answering there would
	 * make libmicrohttpd close the connection, so mark the request and
	 * answer on the next call, after any body has been read and dropped.
	 */
	if (*req_cls == NULL) {
		*req_cls = app;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}

	w = floor_worker_get(app);
	if (w != NULL)
		text = floor_page_render(w);
	if (text != NULL) {
		resp = MHD_create_response_from_buffer(strlen(text), text,
						       MHD_RESPMEM_MUST_FREE);
		if (resp == NULL)
			free(text);
	} else {
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		resp = MHD_create_response_from_buffer(
			sizeof(floor_error_body) - 1, (void *)floor_error_body,
			MHD_RESPMEM_PERSISTENT);
	}
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

int main(int argc, char **argv)
{
	struct floor_app app;
	struct MHD_Daemon *daemon = NULL;
	struct sockaddr_in addr;
	sigset_t stop;
	uint16_t port;
	long ncpu;
	int sig = 0;
	int rc = 1;

	if (argc != 3 || floor_parse_port(argv[1], &port) != 0 ||
	    argv[2][0] == '\0') {
		fprintf(stderr, "usage: %s PORT DBFILE\n", argv[0]);
		return 2;
	}
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;

	if (floor_db_setup(argv[2]) != 0)
		return 1;

	memset(&app, 0, sizeof(app));
	app.db_path = argv[2];
	if (pthread_key_create(&app.worker_key, floor_worker_free) != 0) {
		fprintf(stderr, "floor_sqlite: cannot create thread key\n");
		return 1;
	}
	/* Seed jansson's hash once, before the pool threads race to do it. */
	json_object_seed(0);

	/*
	 * Block the stop signals before any thread exists, so that every pool
	 * thread inherits the mask and only sigwait() below receives them.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0) {
		fprintf(stderr, "floor_sqlite: cannot block signals\n");
		goto out;
	}

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	daemon = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD |
					  MHD_USE_ERROR_LOG,
				  port, NULL, NULL, floor_answer, &app,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				  MHD_OPTION_THREAD_POOL_SIZE,
				  (unsigned int)ncpu, MHD_OPTION_END);
	if (daemon == NULL) {
		fprintf(stderr, "floor_sqlite: cannot listen on 127.0.0.1:%u\n",
			(unsigned int)port);
		goto out;
	}
	fprintf(stderr, "floor_sqlite: listening on 127.0.0.1:%u, %ld threads\n",
		(unsigned int)port, ncpu);

	if (sigwait(&stop, &sig) != 0) {
		fprintf(stderr, "floor_sqlite: sigwait failed\n");
		goto out;
	}
	rc = 0;
out:
	/*
	 * Stopping the daemon joins the pool threads; their key destructors
	 * close the per-thread connections on the way out.
	 */
	if (daemon != NULL)
		MHD_stop_daemon(daemon);
	pthread_key_delete(app.worker_key);
	return rc;
}

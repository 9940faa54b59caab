/*
 * The PostgreSQL driver (libpq).  Queries are written once with ? markers;
 * this driver rewrites them to $1, $2 ... (and ?N to $N) and prepares each
 * once per connection, on its first execution, declaring the types of the
 * values bound then (bigint, text, bytea), so that PostgreSQL never has to
 * guess a parameter's type from context.  Results come back as text.
 *
 * Transactions run at READ COMMITTED.  A read "snapshot" (db_begin_read) is
 * no transaction at all here: each read runs on its own, which saves two
 * round trips per request.  Serialization failures and deadlocks come back
 * as ZRZ_ERETRY, so the request can be run again from the start.  A broken
 * connection (the server restarted) fails the statement with ZRZ_EUNAVAIL
 * and is closed when released, together with the idle connections that are
 * likely stale too; the next request connects afresh.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/log.h"
#include "store/driver.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define STMT_SLOTS 256
#define OID_INT8 20
#define OID_TEXT 25
#define OID_BYTEA 17
#define MAX_PARAMS 32

struct pg_stmt {
	struct db_stmt base;
	char *text;       /* the SQL with $n markers */
	int nparams;
	bool prepared;
	char name[16];
	Oid types[MAX_PARAMS];
	char *values[MAX_PARAMS];
	int lengths[MAX_PARAMS];
	int formats[MAX_PARAMS];
	PGresult *res;
	int row;
	int nrows;
	unsigned char *blob; /* decoded bytea of the last col_blob */
};

struct pg_db {
	struct db base;
	PGconn *conn;
	int next_id;
	int64_t changes;
	struct pg_stmt *stmts[STMT_SLOTS];
};

#define PG(db) ((struct pg_db *)(db))
#define PGST(st) ((struct pg_stmt *)(st))

static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_open(struct store *s, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	s->drv = s; /* no state beyond the store itself */
	return ZRZ_OK;
}

static void pg_close(struct store *s)
{
	s->drv = NULL;
}

/* The first line of libpq's message, without the "FATAL:" and the like. */
static void first_line(const char *msg, char *out, size_t n)
{
	const char *p = msg ? msg : "";
	const char *colon = strstr(p, "failed: ");
	if (colon)
		p = colon + 8;
	while (!strncmp(p, "FATAL:  ", 8) || !strncmp(p, "ERROR:  ", 8))
		p += 8;
	size_t len = strcspn(p, "\n");
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

static void explain_connect(const struct store *s, const char *msg, char *err, size_t errlen)
{
	char line[256];
	first_line(msg, line, sizeof(line));
	const char *why = "无法连接 PostgreSQL 数据库";
	if (strstr(msg, "password authentication failed") || strstr(msg, "no password supplied"))
		why = "PostgreSQL 用户名或密码错误";
	else if (strstr(msg, "does not exist") && strstr(msg, "database"))
		why = "PostgreSQL 数据库不存在";
	else if (strstr(msg, "does not exist") && strstr(msg, "role"))
		why = "PostgreSQL 用户不存在";
	else if (strstr(msg, "Connection refused") || strstr(msg, "could not connect") ||
		 strstr(msg, "timeout expired") || strstr(msg, "No such file"))
		why = "无法连接 PostgreSQL 服务器（服务未启动或地址错误）";
	else if (strstr(msg, "could not translate host name"))
		why = "无法解析 PostgreSQL 服务器的主机名";
	else if (strstr(msg, "invalid") || strstr(msg, "missing"))
		why = "PostgreSQL 连接地址格式不正确";
	snprintf(err, errlen, "%s：%.200s（%.200s）", why, s->display, line);
}

static int pg_connect(struct store *s, struct db **out, char *err, size_t errlen)
{
	static const char *const keys[] = {"dbname", "fallback_application_name", "connect_timeout",
					   "options", NULL};
	const char *values[] = {s->target, "zerenzhi", "5",
				"-c statement_timeout=30000 -c idle_in_transaction_session_timeout=60000"
				" -c client_encoding=UTF8",
				NULL};
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		explain_connect(s, conn ? PQerrorMessage(conn) : "out of memory", err, errlen);
		PQfinish(conn);
		return ZRZ_EUNAVAIL;
	}
	PQsetNoticeProcessor(conn, quiet_notice, NULL);
	struct pg_db *d = xcalloc(1, sizeof(*d));
	d->base.ops = &db_pg_ops;
	d->base.store = s;
	d->conn = conn;
	*out = &d->base;
	return ZRZ_OK;
}

static void stmt_clear_values(struct pg_stmt *p)
{
	for (int i = 0; i < MAX_PARAMS; i++) {
		free(p->values[i]);
		p->values[i] = NULL;
		p->lengths[i] = 0;
		p->formats[i] = 0;
	}
}

static void stmt_free(struct pg_stmt *p)
{
	if (!p)
		return;
	PQclear(p->res);
	stmt_clear_values(p);
	PQfreemem(p->blob);
	free(p->text);
	free(p);
}

static void pg_disconnect(struct db *db)
{
	struct pg_db *d = PG(db);
	for (int i = 0; i < STMT_SLOTS; i++)
		stmt_free(d->stmts[i]);
	PQfinish(d->conn);
	free(d);
}

static void pg_reset(struct db_stmt *st)
{
	struct pg_stmt *p = PGST(st);
	PQclear(p->res);
	p->res = NULL;
	/* A decoded bytea may be megabytes (an attachment): not kept idle. */
	PQfreemem(p->blob);
	p->blob = NULL;
	p->row = -1;
	p->nrows = 0;
}

static void pg_release(struct db *db)
{
	struct pg_db *d = PG(db);
	for (int i = 0; i < STMT_SLOTS; i++)
		if (d->stmts[i])
			pg_reset(&d->stmts[i]->base);
}

/*
 * Read whatever the server sent an idle connection (without blocking): a
 * server that shut down has sent its goodbye and closed the socket, which
 * turns the connection's status bad here rather than in the next query.
 */
static bool pg_alive(struct db *db)
{
	PGconn *c = PG(db)->conn;
	/* The first read may only take the server's last message; parsing it
	 * and reading again reaches the end of the stream. */
	for (int i = 0; i < 2; i++) {
		if (PQconsumeInput(c) != 1 || PQstatus(c) != CONNECTION_OK)
			return false;
		(void)PQisBusy(c);
	}
	return PQstatus(c) == CONNECTION_OK;
}

/* Map a failed result to our codes; marks the connection broken when it is. */
static int map_result(struct db *db, PGresult *res, const char *what)
{
	struct pg_db *d = PG(db);
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (PQstatus(d->conn) != CONNECTION_OK || !state) {
		char line[300];
		first_line(PQerrorMessage(d->conn), line, sizeof(line));
		db->broken = true;
		log_error("postgres %.200s: connection lost: %s", what, line);
		return ZRZ_EUNAVAIL;
	}
	if (!strcmp(state, "23505") || !strcmp(state, "23503"))
		return ZRZ_ECONFLICT;
	if (!strcmp(state, "23514") || !strcmp(state, "23502") || !strcmp(state, "22001"))
		return ZRZ_EINVAL;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01"))
		return ZRZ_ERETRY;
	if (!strcmp(state, "P0001"))
		return ZRZ_EFORBIDDEN; /* raised by a trigger: the append-only audit trail */
	if (!strcmp(state, "57014") || !strcmp(state, "55P03") || !strcmp(state, "53300"))
		return ZRZ_EUNAVAIL;
	if (!strncmp(state, "57P", 3) || !strncmp(state, "08", 2)) {
		db->broken = true;
		return ZRZ_EUNAVAIL;
	}
	char line[300];
	first_line(PQresultErrorMessage(res), line, sizeof(line));
	log_error("postgres %.200s: %s %s", what, state, line);
	return ZRZ_EINTERNAL;
}

static int exec_simple(struct db *db, const char *sql)
{
	PGresult *res = PQexec(PG(db)->conn, sql);
	int rc = ZRZ_OK;
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = map_result(db, res, sql);
	PQclear(res);
	return rc;
}

static int pg_begin(struct db *db, bool write)
{
	/* A read snapshot is no transaction here: reads run one by one. */
	return write ? exec_simple(db, "BEGIN") : ZRZ_OK;
}

static int pg_commit(struct db *db)
{
	if (!db->write_tx)
		return ZRZ_OK;
	int rc = exec_simple(db, "COMMIT");
	if (rc && !db->broken)
		exec_simple(db, "ROLLBACK");
	return rc;
}

static void pg_rollback(struct db *db)
{
	if (db->write_tx && !db->broken)
		exec_simple(db, "ROLLBACK");
}

static int pg_exec_script(struct db *db, const char *sql, char *err, size_t errlen)
{
	PGresult *res = PQexec(PG(db)->conn, sql);
	int rc = ZRZ_OK;
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		first_line(PQresultErrorMessage(res), err, errlen);
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		rc = state ? ZRZ_EINTERNAL : map_result(db, res, "script");
	}
	PQclear(res);
	return rc;
}

/*
 * Rewrite ? to $1, $2, ... and ?N to $N, leaving string literals alone.
 * *nparams receives the highest parameter number.
 */
static char *rewrite(const char *sql, int *nparams)
{
	size_t n = strlen(sql);
	char *out = xmalloc(n * 4 + 1);
	size_t o = 0;
	int next = 0, max = 0;
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		char c = sql[i];
		if (c == '\'') {
			in_str = !in_str;
			out[o++] = c;
		} else if (c == '?' && !in_str) {
			int num;
			if (sql[i + 1] >= '0' && sql[i + 1] <= '9') {
				num = 0;
				while (sql[i + 1] >= '0' && sql[i + 1] <= '9')
					num = num * 10 + (sql[++i] - '0');
			} else {
				num = ++next;
			}
			if (num > max)
				max = num;
			o += (size_t)snprintf(out + o, 8, "$%d", num);
		} else {
			out[o++] = c;
		}
	}
	out[o] = '\0';
	*nparams = max;
	return out;
}

static int pg_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	struct pg_db *d = PG(db);
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ull;
	unsigned slot = (unsigned)(h >> 56) % STMT_SLOTS;
	for (unsigned probe = 0; probe < STMT_SLOTS; probe++) {
		struct pg_stmt **c = &d->stmts[(slot + probe) % STMT_SLOTS];
		if (*c && (*c)->base.sql == sql) {
			pg_reset(&(*c)->base);
			stmt_clear_values(*c);
			*out = &(*c)->base;
			return ZRZ_OK;
		}
		if (!*c) {
			struct pg_stmt *p = xcalloc(1, sizeof(*p));
			p->base.sql = sql;
			p->base.db = db;
			p->text = rewrite(sql, &p->nparams);
			p->row = -1;
			if (p->nparams > MAX_PARAMS) {
				log_error("too many parameters: %.200s", sql);
				stmt_free(p);
				return ZRZ_EINTERNAL;
			}
			snprintf(p->name, sizeof(p->name), "z%d", ++d->next_id);
			*c = p;
			*out = &p->base;
			return ZRZ_OK;
		}
	}
	log_error("statement cache full");
	return ZRZ_EINTERNAL;
}

static void set_value(struct pg_stmt *p, int i, char *v, int len, int format, Oid type)
{
	if (i < 1 || i > p->nparams) {
		free(v);
		return;
	}
	free(p->values[i - 1]);
	p->values[i - 1] = v;
	p->lengths[i - 1] = len;
	p->formats[i - 1] = format;
	if (!p->prepared && type)
		p->types[i - 1] = type;
}

static void pg_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	char *s = xmalloc(24);
	snprintf(s, 24, "%lld", (long long)v);
	set_value(PGST(st), i, s, 0, 0, OID_INT8);
}

static void pg_bind_text(struct db_stmt *st, int i, const char *s, size_t n)
{
	char *copy = xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	set_value(PGST(st), i, copy, 0, 0, OID_TEXT);
}

static void pg_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
	char *copy = xmalloc(n ? n : 1);
	memcpy(copy, p, n);
	set_value(PGST(st), i, copy, (int)n, 1, OID_BYTEA);
}

static void pg_bind_null(struct db_stmt *st, int i, char type)
{
	/* The type matters for "? IS NULL OR col = ?", where PostgreSQL could
	 * not tell it from the first use. */
	set_value(PGST(st), i, NULL, 0, 0, type == 'i' ? OID_INT8 : type == 't' ? OID_TEXT : 0);
}

static int execute(struct pg_stmt *p)
{
	struct pg_db *d = PG(p->base.db);
	if (!p->prepared) {
		PGresult *res = PQprepare(d->conn, p->name, p->text, p->nparams, p->types);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			int rc = map_result(p->base.db, res, "prepare");
			if (rc == ZRZ_EINTERNAL)
				log_error("while preparing: %.300s", p->text);
			PQclear(res);
			return rc;
		}
		PQclear(res);
		p->prepared = true;
	}
	p->res = PQexecPrepared(d->conn, p->name, p->nparams, (const char *const *)p->values,
				p->lengths, p->formats, 0);
	ExecStatusType status = PQresultStatus(p->res);
	if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
		const char *n = PQcmdTuples(p->res);
		d->changes = n && *n ? strtoll(n, NULL, 10) : 0;
		p->nrows = status == PGRES_TUPLES_OK ? PQntuples(p->res) : 0;
		p->row = -1;
		return ZRZ_OK;
	}
	int rc = map_result(p->base.db, p->res, p->base.sql);
	PQclear(p->res);
	p->res = NULL;
	return rc;
}

static int pg_step(struct db_stmt *st)
{
	struct pg_stmt *p = PGST(st);
	if (!p->res) {
		if (st->db->broken)
			return ZRZ_EUNAVAIL;
		int rc = execute(p);
		if (rc)
			return rc;
	}
	if (++p->row < p->nrows)
		return ZRZ_ROW;
	pg_reset(st);
	return ZRZ_DONE;
}

static int64_t pg_col_int64(struct db_stmt *st, int i)
{
	struct pg_stmt *p = PGST(st);
	if (!p->res || PQgetisnull(p->res, p->row, i))
		return 0;
	const char *v = PQgetvalue(p->res, p->row, i);
	if (v[0] == 't' && !v[1])
		return 1; /* booleans (EXISTS) */
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct db_stmt *st, int i)
{
	struct pg_stmt *p = PGST(st);
	if (!p->res || PQgetisnull(p->res, p->row, i))
		return NULL;
	return PQgetvalue(p->res, p->row, i);
}

static const void *pg_col_blob(struct db_stmt *st, int i, size_t *n)
{
	struct pg_stmt *p = PGST(st);
	*n = 0;
	if (!p->res || PQgetisnull(p->res, p->row, i))
		return NULL;
	PQfreemem(p->blob);
	p->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(p->res, p->row, i), n);
	return p->blob;
}

static bool pg_col_null(struct db_stmt *st, int i)
{
	struct pg_stmt *p = PGST(st);
	return !p->res || PQgetisnull(p->res, p->row, i);
}

static int64_t pg_changes(struct db *db)
{
	return PG(db)->changes;
}

static int pg_lock_chain(struct db *db)
{
	/* Held until the transaction ends; one number for the one chain. */
	return exec_simple(db, "SELECT pg_advisory_xact_lock(7239741)");
}

/* Run argv, its output discarded; the exit status, or -1 if it did not run. */
static int run_tool(char *const argv[])
{
	pid_t pid;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * A consistent dump with pg_dump's custom format (restorable with
 * pg_restore, also into an empty database of a newer PostgreSQL), then
 * checked by listing its table of contents with pg_restore.
 */
static int pg_backup(struct store *s, const char *dest, char *err, size_t errlen)
{
	char *dump[] = {"pg_dump", "--format=custom", "--no-owner", "--file", (char *)dest,
			"--dbname", s->target, NULL};
	int rc = run_tool(dump);
	if (rc < 0) {
		snprintf(err, errlen, "找不到 pg_dump，请安装 Debian 软件包 postgresql-client");
		return ZRZ_EUNSUPPORTED;
	}
	if (rc != 0) {
		snprintf(err, errlen, "pg_dump 备份 %.200s 失败（退出码 %d）", s->display, rc);
		return ZRZ_EIO;
	}
	char *check[] = {"pg_restore", "--list", (char *)dest, NULL};
	if (run_tool(check) != 0) {
		snprintf(err, errlen, "备份文件 %.200s 无法被 pg_restore 读取", dest);
		return ZRZ_EIO;
	}
	return ZRZ_OK;
}

const struct db_ops db_pg_ops = {
	.open = pg_open,
	.close = pg_close,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.release = pg_release,
	.alive = pg_alive,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.exec_script = pg_exec_script,
	.prepare = pg_prepare,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.col_int64 = pg_col_int64,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.col_null = pg_col_null,
	.changes = pg_changes,
	.backup = pg_backup,
	.lock_chain = pg_lock_chain,
	.sql_has_migrations = "SELECT count(*) FROM information_schema.tables"
			      " WHERE table_schema = current_schema()"
			      " AND table_name = 'schema_migrations'",
};

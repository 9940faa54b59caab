/*
 * The application: the store, the settings, and the small set of store
 * operations that the layers above domain/ may call through here (they never
 * include store/ headers themselves): borrowing a connection, transactions,
 * migrations and backups.  Also the error detail that domain functions fill
 * in for the person who will read it.
 */
#ifndef ZRZ_DOMAIN_APP_H
#define ZRZ_DOMAIN_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/model.h"

struct arena;
struct attachment_sniffer;
struct db;
struct store;

/* Security settings (等级保护 baseline); the defaults are in app_settings_default. */
struct settings {
	int64_t idle_timeout;      /* seconds without a request before a session ends */
	int64_t session_lifetime;  /* seconds a session may last at all */
	int64_t password_max_age;  /* seconds before a password must be changed */
	int64_t lockout_failures;  /* failed logins that lock an account */
	int64_t lockout_seconds;   /* how long the lock lasts */
	int64_t touch_interval;    /* last_seen is written at most this often */
};

void app_settings_default(struct settings *s);

/* Reminders and their delivery (domain/notice.h, domain/deliver.h). */
#define NOTIFY_RETRIES_MAX 8

struct notify_settings {
	const char *today;    /* "YYYY-MM-DD" the reminder job takes as today; NULL: the real date */
	int64_t due_days;     /* "due soon" when a period ends within this many days */
	const char *smtp_url; /* "smtp://host:port", or NULL: e-mail channels fail */
	const char *smtp_from;
	/* Seconds to wait after failed attempt i + 1; after nretry failures plus
	 * one more the delivery has failed for good. */
	int64_t retry[NOTIFY_RETRIES_MAX];
	int nretry;
};

void app_notify_default(struct notify_settings *n);

struct app {
	struct store *store;
	struct settings settings;
	struct notify_settings notify;
	bool tls;
	struct attachment_sniffer *sniffer; /* file types by content (attachment.h) */
};

/*
 * Open the store named by url (see store_open for the forms).  pool is the
 * number of pooled connections.  On failure err holds a one-line message.
 */
int app_open(struct app *app, const char *url, int pool, char *err, size_t errlen);
void app_close(struct app *app);

int app_acquire(struct app *app, struct db **out);
void app_release(struct app *app, struct db *db);

int app_begin(struct db *db);
int app_begin_read(struct db *db);
int app_commit(struct db *db);
void app_rollback(struct db *db);
bool app_in_tx(const struct db *db);

/* Bring the schema up to version target (0: the newest); *applied gets the
 * number of steps run. */
int app_migrate(struct app *app, int target, int *applied, char *err, size_t errlen);
/* Refuse to serve a database that is not exactly at this binary's version. */
int app_check_schema(struct app *app, char *err, size_t errlen);
int app_schema_version(struct app *app, int *have, int *latest);
int app_backup(struct app *app, const char *dest, char *err, size_t errlen);
bool app_is_sqlite(const struct app *app);

/* What went wrong, in words for the person who will read it. */
struct derr {
	const char *field;
	const char *msg;
};

static inline int derr_set(struct derr *e, int code, const char *field, const char *msg)
{
	if (e) {
		e->field = field;
		e->msg = msg;
	}
	return code;
}

/* Who is acting, for the audit trail. */
struct actor {
	int64_t user_id; /* 0: the command line or the system */
	const char *client; /* peer address or "cli" */
};

#endif

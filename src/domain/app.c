/*
 * The application object and the pass-through to the store that the upper
 * layers need.
 */
#include "core/common.h"
#include "domain/app.h"
#include "domain/attachment.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/repo.h"

#include <sodium.h>

void app_settings_default(struct settings *s)
{
	s->idle_timeout = 30 * 60;
	s->session_lifetime = 12 * 3600;
	s->password_max_age = 90 * 86400;
	s->lockout_failures = 5;
	s->lockout_seconds = 15 * 60;
	s->touch_interval = 60;
}

void app_notify_default(struct notify_settings *n)
{
	static const int64_t retry[] = {60, 300, 1800, 7200};
	memset(n, 0, sizeof(*n));
	n->due_days = 7;
	n->nretry = (int)ZRZ_ARRAY_LEN(retry);
	memcpy(n->retry, retry, sizeof(retry));
}

int app_open(struct app *app, const char *url, int pool, char *err, size_t errlen)
{
	memset(app, 0, sizeof(*app));
	/* libsodium must be initialized before first use (idempotent). */
	if (sodium_init() < 0) {
		snprintf(err, errlen, "无法初始化加密库");
		return ZRZ_EINTERNAL;
	}
	app_settings_default(&app->settings);
	app_notify_default(&app->notify);
	int rc = store_open(url, pool, &app->store, err, errlen);
	if (!rc)
		app->sniffer = attachment_sniffer_new();
	return rc;
}

void app_close(struct app *app)
{
	store_close(app->store);
	app->store = NULL;
	attachment_sniffer_free(app->sniffer);
	app->sniffer = NULL;
}

int app_acquire(struct app *app, struct db **out)
{
	return store_acquire(app->store, out);
}

void app_release(struct app *app, struct db *db)
{
	store_release(app->store, db);
}

int app_begin(struct db *db)
{
	return db_begin(db);
}

int app_begin_read(struct db *db)
{
	return db_begin_read(db);
}

int app_commit(struct db *db)
{
	return db_commit(db);
}

void app_rollback(struct db *db)
{
	db_rollback(db);
}

bool app_in_tx(const struct db *db)
{
	return db_in_tx(db);
}

int app_migrate(struct app *app, int target, int *applied, char *err, size_t errlen)
{
	return migrate_up(app->store, target, applied, err, errlen);
}

int app_check_schema(struct app *app, char *err, size_t errlen)
{
	return migrate_check(app->store, err, errlen);
}

int app_schema_version(struct app *app, int *have, int *latest)
{
	*latest = migrate_latest(app->store);
	return migrate_current(app->store, have);
}

int app_backup(struct app *app, const char *dest, char *err, size_t errlen)
{
	return store_backup(app->store, dest, err, errlen);
}

bool app_is_sqlite(const struct app *app)
{
	return store_kind_of(app->store) == STORE_SQLITE;
}

/*
 * The scheduler and its jobs.  A job runs in its own write transaction
 * together with its audit row and the end of its job_run record, so a run
 * that fails leaves no half-done work behind, only the failed run's record.
 * The reminder job is the exception (own_tx): it commits its notices in
 * short parts so that a large run never holds SQLite's writer lock for
 * long; each part is whole, and a failed run's next run completes it.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/compliance.h"
#include "domain/jobs.h"
#include "domain/notice.h"
#include "domain/period.h"
#include "store/repo.h"

#include <errno.h>
#include <pthread.h>

struct job {
	const char *name;
	/* Do the work inside the open transaction (or, with own_tx, with none
	 * open: the job commits its work in parts itself); describe it in
	 * *detail. */
	int (*run)(struct app *app, struct db *db, json_t *detail);
	bool own_tx;
	/* Run at least this often, in seconds, even when the scheduler's
	 * interval is longer (0: the interval).  Such a frequent job is
	 * recorded (job_run and audit rows) only when its run made notices,
	 * so that running it every minute does not fill the audit trail. */
	int64_t every;
};

/* Expired sessions and old failed-login counters. */
static int job_session_purge(struct app *app, struct db *db, json_t *detail)
{
	int64_t now = time_now();
	int64_t purged = 0;
	int rc = store_session_purge(db, now, now - app->settings.idle_timeout, &purged);
	if (!rc)
		json_object_set_new(detail, "sessions_purged", json_integer(purged));
	return rc;
}

/* Reminders: notices for the events of today (domain/notice.h). */
static int job_remind(struct app *app, struct db *db, json_t *detail)
{
	int today;
	int rc = remind_today(app, &today);
	if (rc)
		return rc;
	struct remind_stats st;
	rc = remind_run(app, db, today, &st);
	if (rc)
		return rc;
	char date[PERIOD_DATE_SIZE];
	period_day_format(today, date, sizeof(date));
	json_object_set_new(detail, "today", json_string(date));
	json_object_set_new(detail, "examined", json_integer(st.examined));
	json_object_set_new(detail, "notices", json_integer(st.created));
	json_object_set_new(detail, "deliveries", json_integer(st.queued));
	return ZRZ_OK;
}

/* Reminders of incidents, whose deadlines are hours: every minute, apart
 * from the daily reminders above so that those stay as light as they were. */
#define REMIND_INCIDENTS_EVERY 60
static int job_remind_incidents(struct app *app, struct db *db, json_t *detail)
{
	struct remind_stats st;
	int rc = remind_incidents(app, db, &st);
	if (rc)
		return rc;
	json_object_set_new(detail, "examined", json_integer(st.examined));
	json_object_set_new(detail, "notices", json_integer(st.created));
	json_object_set_new(detail, "deliveries", json_integer(st.queued));
	return ZRZ_OK;
}

/* Compliance kept ready: re-assess the rows whose status or behind may
 * have changed since the day they were assessed (periods begun, running or
 * just ended), at most COMPLIANCE_ROWS_PER_RUN of them per run (see
 * compliance_reassess).  Rows of obligations written around the server are
 * filled by `zerenzhi init`, not here: finding them reads every obligation. */
#define COMPLIANCE_ROWS_PER_RUN 20000
static int job_compliance_assess(struct app *app, struct db *db, json_t *detail)
{
	(void)app;
	int64_t assessed = 0;
	int rc = compliance_reassess(db, period_day_of_time(time_now()), COMPLIANCE_ROWS_PER_RUN,
				     &assessed);
	if (!rc)
		json_object_set_new(detail, "rows_assessed", json_integer(assessed));
	return rc;
}

static const struct job jobs[] = {
	{"session_purge", job_session_purge, false, 0},
	{"remind", job_remind, true, 0},
	{"compliance_assess", job_compliance_assess, false, 0},
	{"remind_incidents", job_remind_incidents, true, REMIND_INCIDENTS_EVERY},
};

static const struct actor scheduler_actor = {0, "scheduler"};

/* Run job j if its lease can be taken (always, when !use_lease). */
static int run_one(struct app *app, struct db *db, const struct job *j, const char *holder,
		   int64_t interval, bool use_lease, bool *ran, json_t **out)
{
	int64_t now = time_now();
	bool taken = !use_lease;
	*ran = false;
	int rc = app_begin(db);
	if (rc)
		return rc;
	if (use_lease)
		rc = store_lease_take(db, j->name, holder, now, now + interval, &taken);
	int64_t run_id = 0;
	bool quiet = j->every != 0;
	if (!rc && taken && !quiet)
		rc = store_job_start(db, j->name, holder, now, &run_id);
	if (!rc)
		rc = app_commit(db);
	else
		app_rollback(db);
	if (rc || !taken)
		return rc;

	json_t *detail = json_object();
	if (j->own_tx) {
		rc = j->run(app, db, detail);
		if (!rc)
			rc = app_begin(db);
	} else {
		rc = app_begin(db);
		if (!rc)
			rc = j->run(app, db, detail);
	}
	if (!rc && quiet && !json_integer_value(json_object_get(detail, "notices"))) {
		/* Nothing to record. */
		app_rollback(db);
		if (out)
			*out = json_incref(detail);
		json_decref(detail);
		*ran = true;
		return ZRZ_OK;
	}
	if (!rc && quiet)
		rc = store_job_start(db, j->name, holder, now, &run_id);
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	if (!rc)
		rc = store_job_finish(db, run_id, time_now(), true, text);
	if (!rc) {
		json_object_set_new(detail, "job", json_string(j->name));
		json_object_set_new(detail, "holder", json_string(holder));
		rc = audit_log(db, &scheduler_actor, 0, "job.run", "job_run", run_id,
			       json_incref(detail));
	}
	if (!rc)
		rc = app_commit(db);
	else
		app_rollback(db);
	if (rc) {
		/* Record the failure on its own. */
		log_error("job %s failed: %s", j->name, zrz_err_slug(rc));
		if (quiet)
			run_id = 0; /* its start was rolled back with the rest */
		if (app_begin(db) == ZRZ_OK) {
			if ((!run_id && store_job_start(db, j->name, holder, now, &run_id)) ||
			    store_job_finish(db, run_id, time_now(), false, zrz_err_slug(rc)) ||
			    app_commit(db))
				app_rollback(db);
		}
	}
	free(text);
	if (out && !rc)
		*out = json_incref(detail);
	json_decref(detail);
	*ran = rc == ZRZ_OK;
	return rc;
}

int jobs_run_due(struct app *app, const char *holder, int64_t interval, int *ran)
{
	struct db *db;
	*ran = 0;
	int rc = app_acquire(app, &db);
	if (rc)
		return rc;
	int first_error = ZRZ_OK;
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(jobs); i++) {
		bool did = false;
		int64_t every = jobs[i].every && jobs[i].every < interval ? jobs[i].every : interval;
		rc = run_one(app, db, &jobs[i], holder, every, true, &did, NULL);
		if (rc && !first_error)
			first_error = rc;
		*ran += did;
	}
	app_release(app, db);
	return first_error;
}

int jobs_run_now(struct app *app, const char *name, const char *holder, json_t **detail)
{
	const struct job *j = NULL;
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(jobs); i++)
		if (!strcmp(jobs[i].name, name))
			j = &jobs[i];
	if (!j)
		return ZRZ_ENOTFOUND;
	struct db *db;
	int rc = app_acquire(app, &db);
	if (rc)
		return rc;
	bool did = false;
	rc = run_one(app, db, j, holder, 0, false, &did, detail);
	app_release(app, db);
	return rc;
}

struct scheduler {
	struct app *app;
	char *holder;
	int64_t interval;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
};

static void *scheduler_main(void *arg)
{
	struct scheduler *s = arg;
	int64_t tick = s->interval < 30 ? s->interval : 30;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		/* The first pass ran before the server started (see cmd_serve). */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += tick;
		while (!s->stopping &&
		       pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
			;
		if (s->stopping)
			break;
		pthread_mutex_unlock(&s->lock);
		int ran = 0;
		int rc = jobs_run_due(s->app, s->holder, s->interval, &ran);
		if (rc)
			log_warn("scheduler: %s", zrz_err_slug(rc));
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int scheduler_start(struct app *app, const char *holder, int64_t interval,
		    struct scheduler **out)
{
	struct scheduler *s = xcalloc(1, sizeof(*s));
	s->app = app;
	s->holder = xstrdup(holder);
	s->interval = interval < 1 ? 1 : interval;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	if (pthread_create(&s->thread, NULL, scheduler_main, s) != 0) {
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->wake);
		free(s->holder);
		free(s);
		return ZRZ_EINTERNAL;
	}
	*out = s;
	return ZRZ_OK;
}

void scheduler_stop(struct scheduler *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	free(s->holder);
	free(s);
}

/*
 * Work that must happen once per cluster, however many server processes
 * share the database: each job takes a lease by name for one interval
 * before it runs, so whichever process gets there first runs it and the
 * others skip it until the interval is over.  Every run is recorded in
 * job_run and audited.  The scheduler is one thread per server process.
 */
#ifndef ZRZ_DOMAIN_JOBS_H
#define ZRZ_DOMAIN_JOBS_H

#include <jansson.h>
#include <stdint.h>

#include "domain/app.h"

struct scheduler;

/*
 * Start the scheduler thread.  holder names this process in leases and job
 * runs (copied).  interval is how often each job runs, in seconds; the
 * thread looks every min(interval, 30) seconds.  It does not run the jobs
 * at once: the server calls jobs_run_due() itself before it starts serving,
 * so that a fresh server's state does not change under its first requests.
 */
int scheduler_start(struct app *app, const char *holder, int64_t interval,
		    struct scheduler **out);
/* Stop the thread (waits for a running job to finish) and free it. */
void scheduler_stop(struct scheduler *s);

/*
 * Try every job once now: take its lease and, if taken, run it.  *ran gets
 * how many jobs ran.  The scheduler thread calls this; tests and the CLI may
 * too.
 */
int jobs_run_due(struct app *app, const char *holder, int64_t interval, int *ran);

/*
 * Run job name now, whatever its lease says (the command line's
 * `zerenzhi remind`; each job is safe to run twice at once).  *detail (may
 * be NULL) gets what the run recorded.  ZRZ_ENOTFOUND for an unknown name.
 */
int jobs_run_now(struct app *app, const char *name, const char *holder, json_t **detail);

#endif

/*
 * Delivery of notices to notify channels: a 企业微信 or 钉钉 group robot's
 * webhook (HTTP POST of {"msgtype":"text","text":{"content":...}}, signed
 * for a DingTalk robot with a secret) or e-mail over SMTP, both with
 * libcurl.  Deliveries wait in notice_delivery; whoever delivers first
 * claims a batch in one statement (pushing their next_at forward), so two
 * processes never send the same one, then sends with no transaction open
 * and records each attempt.  A failed attempt is retried after
 * app->notify.retry[i] seconds; after the last one the delivery has failed.
 * Request threads never send: they only queue.
 */
#ifndef ZRZ_DOMAIN_DELIVER_H
#define ZRZ_DOMAIN_DELIVER_H

#include <stdint.h>

#include "domain/app.h"

/* How many deliveries one claim takes. */
#define DELIVER_BATCH 50
/* How long a claimed delivery is held before another process may retry it. */
#define DELIVER_CLAIM_SECONDS 120

struct deliver_stats {
	int attempted;
	int sent;
	int failed; /* failed for good */
};

/* Call once at start-up, before any thread starts (curl_global_init). */
int deliver_global_init(void);
void deliver_global_cleanup(void);

/*
 * Make one attempt at every delivery due now (in batches, until none is
 * left that was due when this started).  Adds to *st.
 */
int deliver_due(struct app *app, struct deliver_stats *st);

struct deliverer;

/* A thread that calls deliver_due() every poll seconds. */
int deliverer_start(struct app *app, int64_t poll, struct deliverer **out);
/* Stop it (waits for a send in progress) and free it. */
void deliverer_stop(struct deliverer *d);

#endif

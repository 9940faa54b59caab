/*
 * Sending notices: claim due deliveries, compose the message, POST it to a
 * group robot or send it by SMTP with libcurl (connect within 5 s, all in
 * 10 s, no redirects, only the protocols of the channel's kind), and record
 * the attempt with its outcome and the next try.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/deliver.h"
#include "domain/notice.h"
#include "store/repo.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>

#define RESPONSE_MAX (64 * 1024)
#define ERROR_MAX 300

int deliver_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? ZRZ_OK : ZRZ_EINTERNAL;
}

void deliver_global_cleanup(void)
{
	curl_global_cleanup();
}

/* The outcome of one attempt. */
struct outcome {
	bool ok;
	long status;
	char error[ERROR_MAX];
};

static size_t collect(char *p, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	if (buf_append(b, p, size * n))
		return 0; /* too big: curl stops with CURLE_WRITE_ERROR */
	return size * n;
}

static void common_options(CURL *h)
{
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "zerenzhi/" ZRZ_VERSION);
}

/* Text of the robot's answer for the log: errcode and errmsg, bounded. */
static void robot_answer(const struct buf *b, struct outcome *o)
{
	json_error_t je;
	json_t *j = b->len ? json_loadb(b->data, b->len, 0, &je) : NULL;
	json_t *code = j ? json_object_get(j, "errcode") : NULL;
	if (!json_is_integer(code)) {
		snprintf(o->error, sizeof(o->error), "机器人应答不是预期的 JSON");
	} else if (json_integer_value(code) != 0) {
		const char *msg = json_string_value(json_object_get(j, "errmsg"));
		snprintf(o->error, sizeof(o->error), "机器人拒绝：errcode %lld %.200s",
			 (long long)json_integer_value(code), msg ? msg : "");
	} else {
		o->ok = true;
	}
	json_decref(j);
}

/* The DingTalk signature: base64 HMAC-SHA256 of "timestamp\nsecret" keyed
 * with the secret, URL-encoded by the caller. */
static void dingtalk_sign(const char *secret, const char *ts, char *out, size_t n)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state s;
	crypto_auth_hmacsha256_init(&s, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)"\n", 1);
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_final(&s, mac);
	sodium_bin2base64(out, n, mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(&s, sizeof(s));
}

static void send_robot(struct arena *a, const struct notify_channel *c, const char *text,
		       struct outcome *o)
{
	const char *url = c->target;
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(o->error, sizeof(o->error), "无法初始化网络库");
		return;
	}
	if (!strcmp(c->kind, "dingtalk") && c->secret) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		char ts[32], sign[64];
		snprintf(ts, sizeof(ts), "%lld",
			 (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000);
		dingtalk_sign(c->secret, ts, sign, sizeof(sign));
		char *esc = curl_easy_escape(h, sign, 0);
		url = arena_printf(a, "%s%ctimestamp=%s&sign=%s", c->target,
				   strchr(c->target, '?') ? '&' : '?', ts, esc ? esc : "");
		curl_free(esc);
	}
	json_t *body = json_pack("{s:s, s:{s:s}}", "msgtype", "text", "text", "content", text);
	char *payload = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	struct curl_slist *hdr =
		curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
	struct buf resp = BUF_INIT;
	resp.cap = RESPONSE_MAX;
	common_options(h);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
	CURLcode cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &o->status);
	if (cc != CURLE_OK)
		snprintf(o->error, sizeof(o->error), "发送失败：%s", curl_easy_strerror(cc));
	else if (o->status != 200)
		snprintf(o->error, sizeof(o->error), "机器人地址答复 HTTP %ld", o->status);
	else
		robot_answer(&resp, o);
	buf_release(&resp);
	curl_slist_free_all(hdr);
	free(payload);
	curl_easy_cleanup(h);
}

/* ---- e-mail ---- */

struct mail_src {
	const char *p;
	size_t left;
};

static size_t mail_read(char *out, size_t size, size_t n, void *ctx)
{
	struct mail_src *m = ctx;
	size_t k = size * n < m->left ? size * n : m->left;
	memcpy(out, m->p, k);
	m->p += k;
	m->left -= k;
	return k;
}

static void b64(struct buf *b, const unsigned char *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = xmalloc(len);
	sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_ORIGINAL);
	buf_puts(b, s);
	free(s);
}

/* RFC 2047 encoded words of at most 45 bytes of UTF-8 each (60 characters
 * of base64), split between characters, one per folded line. */
static void mime_header_text(struct buf *b, const char *s)
{
	size_t n = strlen(s), i = 0;
	bool first = true;
	while (i < n) {
		size_t k = n - i < 45 ? n - i : 45;
		while (k < n - i && ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k--;
		buf_puts(b, first ? "=?UTF-8?B?" : "\r\n =?UTF-8?B?");
		b64(b, (const unsigned char *)s + i, k);
		buf_puts(b, "?=");
		first = false;
		i += k;
	}
}

static void add_rcpt(void *ctx, const char *addr, size_t n)
{
	struct curl_slist **l = ctx;
	char tmp[300];
	snprintf(tmp, sizeof(tmp), "<%.*s>", (int)n, addr);
	*l = curl_slist_append(*l, tmp);
}

static void send_mail(struct app *app, const struct notify_channel *c, const char *subject,
		      const char *text, struct outcome *o)
{
	if (!app->notify.smtp_url || !app->notify.smtp_from) {
		snprintf(o->error, sizeof(o->error),
			 "未配置邮件服务器（启动参数 --smtp-url 和 --smtp-from）");
		return;
	}
	struct curl_slist *rcpt = NULL;
	if (channel_emails(c->target, add_rcpt, &rcpt) < 1) {
		snprintf(o->error, sizeof(o->error), "收件地址不正确");
		curl_slist_free_all(rcpt);
		return;
	}
	struct buf m = BUF_INIT;
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	unsigned char rnd[12];
	char id[25];
	randombytes_buf(rnd, sizeof(rnd));
	hex_encode(rnd, sizeof(rnd), id);
	buf_printf(&m, "Date: %s\r\nFrom: <%s>\r\nTo: %s\r\nMessage-ID: <%s@zerenzhi>\r\nSubject: ",
		   date, app->notify.smtp_from, c->target, id);
	mime_header_text(&m, subject);
	buf_puts(&m, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		     "Content-Transfer-Encoding: base64\r\n\r\n");
	size_t n = strlen(text);
	for (size_t i = 0; i < n; i += 57) {
		b64(&m, (const unsigned char *)text + i, n - i < 57 ? n - i : 57);
		buf_puts(&m, "\r\n");
	}
	char from[300];
	snprintf(from, sizeof(from), "<%s>", app->notify.smtp_from);
	struct mail_src src = {m.data, m.len};
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(o->error, sizeof(o->error), "无法初始化网络库");
	} else {
		common_options(h);
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
		curl_easy_setopt(h, CURLOPT_URL, app->notify.smtp_url);
		curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
		curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, mail_read);
		curl_easy_setopt(h, CURLOPT_READDATA, &src);
		CURLcode cc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &o->status);
		if (cc == CURLE_OK)
			o->ok = true;
		else
			snprintf(o->error, sizeof(o->error), "邮件发送失败：%s",
				 curl_easy_strerror(cc));
		curl_easy_cleanup(h);
	}
	buf_release(&m);
	curl_slist_free_all(rcpt);
}

/* ---- the delivery loop ---- */

/* Attempt delivery id once and record the outcome. */
static int deliver_one(struct app *app, struct db *db, int64_t id, struct deliver_stats *st)
{
	struct arena *a = arena_new();
	struct notice_delivery d;
	struct notify_channel c;
	struct notice n = {0};
	bool have_channel = false;
	int rc = app_begin_read(db);
	if (!rc)
		rc = store_delivery_get(db, a, id, &d);
	if (!rc) {
		int crc = store_channel_get(db, a, d.channel_id, &c);
		have_channel = !crc && c.active;
		if (crc && crc != ZRZ_ENOTFOUND)
			rc = crc;
	}
	if (!rc && d.notice_id)
		rc = store_notice_get(db, a, d.notice_id, &n);
	if (app_in_tx(db))
		app_rollback(db);
	if (rc || strcmp(d.state, "pending")) {
		arena_free(a);
		return rc;
	}

	struct outcome o = {0};
	if (!have_channel) {
		snprintf(o.error, sizeof(o.error), "通道已停用或已删除");
	} else {
		const char *subject = n.id ? n.title : "zerenzhi 测试消息";
		const char *text =
			n.id ? arena_printf(a, "%s\n%s", n.title, n.body)
			     : arena_printf(a, "zerenzhi 测试消息：通知通道“%s”可以正常接收提醒。",
					    c.name);
		if (!strcmp(c.kind, "email"))
			send_mail(app, &c, subject, text, &o);
		else
			send_robot(a, &c, text, &o);
	}
	st->attempted++;
	int64_t now = time_now();
	int64_t attempt = d.attempts + 1;
	const char *state = "sent";
	int64_t next = now;
	if (!o.ok && have_channel && attempt <= app->notify.nretry) {
		state = "pending";
		next = now + app->notify.retry[attempt - 1];
	} else if (!o.ok) {
		state = "failed";
	}
	if (!o.ok)
		log_warn("delivery %lld attempt %lld: %s", (long long)id, (long long)attempt,
			 o.error);
	rc = app_begin(db);
	if (!rc)
		rc = store_delivery_record(db, id, attempt, state, next, o.status,
					   o.ok ? NULL : o.error, now);
	if (!rc)
		rc = app_commit(db);
	else if (app_in_tx(db))
		app_rollback(db);
	if (!rc && !strcmp(state, "sent"))
		st->sent++;
	if (!rc && !strcmp(state, "failed"))
		st->failed++;
	arena_free(a);
	return rc;
}

int deliver_due(struct app *app, struct deliver_stats *st)
{
	struct db *db;
	int rc = app_acquire(app, &db);
	if (rc)
		return rc;
	int64_t start = time_now();
	for (;;) {
		struct arena *a = arena_new();
		int64_t *ids;
		int n = 0;
		rc = app_begin(db);
		if (!rc)
			rc = store_delivery_claim(db, a, start, time_now() + DELIVER_CLAIM_SECONDS,
						  DELIVER_BATCH, &ids, &n);
		if (!rc)
			rc = app_commit(db);
		else if (app_in_tx(db))
			app_rollback(db);
		for (int i = 0; !rc && i < n; i++)
			rc = deliver_one(app, db, ids[i], st);
		arena_free(a);
		if (rc || n < DELIVER_BATCH)
			break;
	}
	app_release(app, db);
	return rc;
}

struct deliverer {
	struct app *app;
	int64_t poll;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
};

static void *deliverer_main(void *arg)
{
	struct deliverer *d = arg;
	pthread_mutex_lock(&d->lock);
	while (!d->stopping) {
		pthread_mutex_unlock(&d->lock);
		struct deliver_stats st = {0};
		int rc = deliver_due(d->app, &st);
		if (rc)
			log_warn("delivery: %s", zrz_err_slug(rc));
		pthread_mutex_lock(&d->lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += d->poll;
		while (!d->stopping &&
		       pthread_cond_timedwait(&d->wake, &d->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int deliverer_start(struct app *app, int64_t poll, struct deliverer **out)
{
	struct deliverer *d = xcalloc(1, sizeof(*d));
	d->app = app;
	d->poll = poll < 1 ? 1 : poll;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->wake, NULL);
	if (pthread_create(&d->thread, NULL, deliverer_main, d) != 0) {
		pthread_mutex_destroy(&d->lock);
		pthread_cond_destroy(&d->wake);
		free(d);
		return ZRZ_EINTERNAL;
	}
	*out = d;
	return ZRZ_OK;
}

void deliverer_stop(struct deliverer *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stopping = true;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->wake);
	free(d);
}

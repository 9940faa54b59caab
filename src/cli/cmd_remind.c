/*
 * zerenzhi remind: run the reminder job once now (notices for today's
 * events), then make one attempt at every delivery that is due.  For cron,
 * and for tests that choose the day with --today.  It does not wait for the
 * job's lease: the events' unique keys already keep two runs from writing a
 * notice twice.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "domain/deliver.h"
#include "domain/jobs.h"
#include "domain/notice.h"
#include "domain/period.h"

#include <getopt.h>
#include <sodium.h>
#include <unistd.h>

static void help(void)
{
	puts("用法：zerenzhi remind [选项]\n\n"
	     "生成今天应发的提醒（每个事件只生成一次，含舆情事件的处置时限提醒），并发送到期的通知。\n\n"
	     "  --db 地址               数据库（默认 " CLI_DEFAULT_DB "）\n"
	     "  --today YYYY-MM-DD      把这一天当作今天（也可用环境变量 ZRZ_TODAY）\n"
	     "  --due-days N            周期结束前几天提醒“即将到期”（默认 7）\n"
	     "  --smtp-url 地址         邮件服务器，如 smtp://127.0.0.1:25\n"
	     "  --smtp-from 地址        发件人地址\n"
	     "  --retry-delays 秒,...   发送失败后每次重试前等待的秒数（默认 60,300,1800,7200）\n"
	     "  --no-deliver            只生成提醒，不发送");
}

bool cli_retry_delays(const char *s, struct notify_settings *n)
{
	int count = 0;
	for (const char *p = s;;) {
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p || *p < '0' || *p > '9' || v < 1 || v > 7 * 86400 ||
		    count == NOTIFY_RETRIES_MAX || (*end && *end != ',')) {
			cli_error("--retry-delays 应为 1 到 %d 个用逗号分隔的秒数（1 至 604800）",
				  NOTIFY_RETRIES_MAX);
			return false;
		}
		n->retry[count++] = v;
		if (!*end)
			break;
		p = end + 1;
	}
	n->nretry = count;
	return true;
}

bool cli_smtp_url(const char *s, struct notify_settings *n)
{
	if ((strncmp(s, "smtp://", 7) && strncmp(s, "smtps://", 8)) || strpbrk(s, " \r\n")) {
		cli_error("--smtp-url 应为 smtp://主机:端口 或 smtps://主机:端口");
		return false;
	}
	n->smtp_url = s;
	return true;
}

bool cli_smtp_from(const char *s, struct notify_settings *n)
{
	if (channel_emails(s, NULL, NULL) != 1 || strchr(s, ',')) {
		cli_error("--smtp-from 应为一个电子邮件地址，而不是“%.64s”", s);
		return false;
	}
	n->smtp_from = s;
	return true;
}

bool cli_today(const char *s, struct notify_settings *n)
{
	int day;
	if (period_day_parse(s, &day)) {
		cli_error("日期应为真实的日期 (YYYY-MM-DD)，而不是“%.64s”", s);
		return false;
	}
	n->today = s;
	return true;
}

int cmd_remind(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"today", required_argument, NULL, 't'},
		{"due-days", required_argument, NULL, 'D'},
		{"smtp-url", required_argument, NULL, 'u'},
		{"smtp-from", required_argument, NULL, 'f'},
		{"retry-delays", required_argument, NULL, 'r'},
		{"no-deliver", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *url = CLI_DEFAULT_DB;
	struct notify_settings ns;
	app_notify_default(&ns);
	bool deliver = true;
	const char *env = getenv("ZRZ_TODAY");
	if (env && *env && !cli_today(env, &ns))
		return 2;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		bool ok = true;
		char *end;
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 't':
			ok = cli_today(optarg, &ns);
			break;
		case 'D':
			ns.due_days = strtoll(optarg, &end, 10);
			ok = !*end && end != optarg && ns.due_days >= 0 && ns.due_days <= 366;
			if (!ok)
				cli_error("--due-days 应为 0 到 366 之间的整数");
			break;
		case 'u':
			ok = cli_smtp_url(optarg, &ns);
			break;
		case 'f':
			ok = cli_smtp_from(optarg, &ns);
			break;
		case 'r':
			ok = cli_retry_delays(optarg, &ns);
			break;
		case 'n':
			deliver = false;
			break;
		case 'h':
			help();
			return 0;
		default:
			return 2;
		}
		if (!ok)
			return 2;
	}
	if (optind < argc)
		return cli_error("多余的参数：%s", argv[optind]);
	struct app app;
	if (cli_open(&app, url))
		return 1;
	app.notify = ns;
	char host[64] = "", holder[160];
	gethostname(host, sizeof(host) - 1);
	snprintf(holder, sizeof(holder), "%s:%ld:cli", host, (long)getpid());
	json_t *detail = NULL;
	int rc = jobs_run_now(&app, "remind", holder, &detail);
	json_t *incidents = NULL;
	if (!rc)
		rc = jobs_run_now(&app, "remind_incidents", holder, &incidents);
	if (rc) {
		json_decref(detail);
		app_close(&app);
		return cli_fail(rc, NULL, "生成提醒");
	}
	/* The incidents' reminders are a job of their own (every minute). */
	json_object_set_new(detail, "incident_notices",
			    json_incref(json_object_get(incidents, "notices")));
	json_decref(incidents);
	struct deliver_stats st = {0};
	if (deliver)
		rc = deliver_due(&app, &st);
	json_object_set_new(detail, "attempted", json_integer(st.attempted));
	json_object_set_new(detail, "sent", json_integer(st.sent));
	json_object_set_new(detail, "failed", json_integer(st.failed));
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	puts(text);
	free(text);
	json_decref(detail);
	app_close(&app);
	return rc ? cli_fail(rc, NULL, "发送通知") : 0;
}

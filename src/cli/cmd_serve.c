/*
 * zerenzhi serve: run the HTTP server until SIGINT or SIGTERM, then stop
 * accepting connections, let requests in flight finish, and exit 0.
 */
#include "core/common.h"
#include "core/log.h"
#include "api/api.h"
#include "cli/cli.h"
#include "domain/deliver.h"
#include "domain/jobs.h"
#include "http/http.h"

#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

static void help(void)
{
	puts("用法：zerenzhi serve [选项]\n\n"
	     "  --db 地址               数据库（默认 " CLI_DEFAULT_DB "）\n"
	     "  --listen IP:端口        监听地址（默认 127.0.0.1:8080）\n"
	     "  --web 目录              前端文件目录（默认 web/dist，存在时）\n"
	     "  --threads N             工作线程数（默认每个 CPU 核心一个）\n"
	     "  --max-body 字节         JSON 请求体上限（默认 1048576）\n"
	     "  --max-upload 字节       一次上传附件的请求体上限（默认 20971520）\n"
	     "  --max-connections N     同时连接数上限（默认 1024）\n"
	     "  --idle-timeout 分钟     会话空闲超时（默认 30）\n"
	     "  --session-hours 小时    会话最长时间（默认 12）\n"
	     "  --password-days 天      密码有效期（默认 90）\n"
	     "  --lockout-failures N    连续失败几次锁定账户（默认 5）\n"
	     "  --lockout-minutes 分钟  锁定时长（默认 15）\n"
	     "  --request-timeout 秒    请求体在此时间内未传完则答复 408（默认 30）\n"
	     "  --secure-cookies        会话 Cookie 加 Secure 标记（经 HTTPS 反向代理提供服务时使用）\n"
	     "  --db-pool N             数据库连接池大小（默认工作线程数 + 2；PostgreSQL 上也是最多\n"
	     "                          同时打开的连接数）\n"
	     "  --job-interval 秒       定时任务（清理过期会话等）的间隔，多个进程共用一个数据库时\n"
	     "                          每个间隔只由其中一个执行（默认 600）\n"
	     "  --smtp-url 地址         发送提醒邮件的服务器，如 smtp://127.0.0.1:25\n"
	     "  --smtp-from 地址        提醒邮件的发件人地址\n"
	     "  --retry-delays 秒,...   通知发送失败后每次重试前等待的秒数（默认 60,300,1800,7200）\n"
	     "  --due-days N            周期结束前几天提醒“即将到期”（默认 7）\n"
	     "  --deliver-poll 秒       多久查看一次待发送的通知（默认 5）\n"
	     "  --quiet                 不输出每个请求的访问日志");
}

static bool num_arg(const char *opt, const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || end == s || v < min || v > max) {
		cli_error("--%s 应为 %lld 到 %lld 之间的整数", opt, (long long)min, (long long)max);
		return false;
	}
	*out = v;
	return true;
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"listen", required_argument, NULL, 'l'},
		{"web", required_argument, NULL, 'w'},
		{"threads", required_argument, NULL, 't'},
		{"max-body", required_argument, NULL, 'b'},
		{"max-upload", required_argument, NULL, 1001},
		{"max-connections", required_argument, NULL, 'c'},
		{"idle-timeout", required_argument, NULL, 'i'},
		{"session-hours", required_argument, NULL, 's'},
		{"password-days", required_argument, NULL, 'p'},
		{"lockout-failures", required_argument, NULL, 'f'},
		{"lockout-minutes", required_argument, NULL, 'm'},
		{"request-timeout", required_argument, NULL, 'r'},
		{"quiet", no_argument, NULL, 'q'},
		{"secure-cookies", no_argument, NULL, 'S'},
		{"job-interval", required_argument, NULL, 'J'},
		{"db-pool", required_argument, NULL, 'P'},
		{"smtp-url", required_argument, NULL, 'U'},
		{"smtp-from", required_argument, NULL, 'F'},
		{"retry-delays", required_argument, NULL, 'R'},
		{"due-days", required_argument, NULL, 'D'},
		{"deliver-poll", required_argument, NULL, 'O'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *url = CLI_DEFAULT_DB, *listen = "127.0.0.1:8080", *web = NULL;
	int64_t upload = 20 << 20;
	int64_t threads = 0, body = 1 << 20, conns = 1024, idle = 30, hours = 12, days = 90,
		failures = 5, minutes = 15, req_timeout = 30, job_interval = 600, pool = 0;
	bool web_given = false, secure = false;
	struct notify_settings ns;
	app_notify_default(&ns);
	int64_t deliver_poll = 5;
	/* Tests choose the reminders' today (documented in docs/deploy.md). */
	const char *env_today = getenv("ZRZ_TODAY");
	if (env_today && *env_today && !cli_today(env_today, &ns))
		return 2;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		bool ok = true;
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 'l':
			listen = optarg;
			break;
		case 'w':
			web = optarg;
			web_given = true;
			break;
		case 't':
			ok = num_arg("threads", optarg, 1, 256, &threads);
			break;
		case 'b':
			ok = num_arg("max-body", optarg, 1024, 64 << 20, &body);
			break;
		case 1001:
			ok = num_arg("max-upload", optarg, 1024, (int64_t)256 << 20, &upload);
			break;
		case 'c':
			ok = num_arg("max-connections", optarg, 1, 100000, &conns);
			break;
		case 'i':
			ok = num_arg("idle-timeout", optarg, 1, 24 * 60, &idle);
			break;
		case 's':
			ok = num_arg("session-hours", optarg, 1, 24 * 30, &hours);
			break;
		case 'p':
			ok = num_arg("password-days", optarg, 1, 3650, &days);
			break;
		case 'f':
			ok = num_arg("lockout-failures", optarg, 1, 100, &failures);
			break;
		case 'm':
			ok = num_arg("lockout-minutes", optarg, 1, 24 * 60, &minutes);
			break;
		case 'r':
			ok = num_arg("request-timeout", optarg, 1, 3600, &req_timeout);
			break;
		case 'q':
			log_set_access(0);
			break;
		case 'S':
			secure = true;
			break;
		case 'P':
			ok = num_arg("db-pool", optarg, 1, 1000, &pool);
			break;
		case 'J':
			ok = num_arg("job-interval", optarg, 1, 7 * 86400, &job_interval);
			break;
		case 'U':
			ok = cli_smtp_url(optarg, &ns);
			break;
		case 'F':
			ok = cli_smtp_from(optarg, &ns);
			break;
		case 'R':
			ok = cli_retry_delays(optarg, &ns);
			break;
		case 'D':
			ok = num_arg("due-days", optarg, 0, 366, &ns.due_days);
			break;
		case 'O':
			ok = num_arg("deliver-poll", optarg, 1, 3600, &deliver_poll);
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
	struct stat st;
	if (!web_given && stat("web/dist/index.html", &st) == 0)
		web = "web/dist";
	if (web_given && (stat(web, &st) != 0 || !S_ISDIR(st.st_mode)))
		return cli_error("前端目录 %s 不存在", web);

	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int nthreads = threads ? (int)threads : (ncpu > 0 ? (int)ncpu : 1);
	struct app app;
	char err[512] = "";
	/* One connection per worker thread, the scheduler, the deliverer, one spare. */
	int rc = app_open(&app, url, pool ? (int)pool : nthreads + 3, err, sizeof(err));
	if (rc)
		return cli_error("%s", err);
	rc = app_check_schema(&app, err, sizeof(err));
	if (rc) {
		app_close(&app);
		return cli_error("%s", err);
	}
	app.settings.idle_timeout = idle * 60;
	app.settings.session_lifetime = hours * 3600;
	app.settings.password_max_age = days * 86400;
	app.settings.lockout_failures = failures;
	app.settings.lockout_seconds = minutes * 60;
	app.tls = secure;
	app.notify = ns;

	/* Block the stop signals in every thread; this one waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct http_config cfg = {
		.listen = listen,
		.web_dir = web,
		.threads = nthreads,
		.body_cap = (size_t)body,
		.upload_cap = (size_t)upload,
		.header_cap = 8 * 1024,
		.conn_timeout = 60,
		.request_timeout = (unsigned)req_timeout,
		.max_conns = (unsigned)conns,
		.routes = api_routes,
		.app = &app,
		.authenticate = api_authenticate,
		.finish = api_finish,
		.retry = api_retry,
	};
	/* This process's name in leases: host, pid and a random part. */
	char host[64] = "", holder[160];
	gethostname(host, sizeof(host) - 1);
	unsigned char rnd[4];
	randombytes_buf(rnd, sizeof(rnd));
	snprintf(holder, sizeof(holder), "%s:%ld:%02x%02x%02x%02x", host, (long)getpid(), rnd[0],
		 rnd[1], rnd[2], rnd[3]);
	/* Jobs that are due run once before the first request is served. */
	int ran = 0;
	if (jobs_run_due(&app, holder, job_interval, &ran))
		log_warn("scheduled jobs could not run at start; the scheduler will retry");
	struct http_server *srv;
	rc = http_start(&cfg, &srv, err, sizeof(err));
	if (rc) {
		app_close(&app);
		return cli_error("%s", err);
	}
	struct scheduler *sched = NULL;
	rc = scheduler_start(&app, holder, job_interval, &sched);
	if (rc) {
		http_stop(srv, 0);
		app_close(&app);
		return cli_error("无法启动定时任务线程");
	}
	struct deliverer *deliv = NULL;
	rc = deliverer_start(&app, deliver_poll, &deliv);
	if (rc) {
		scheduler_stop(sched);
		http_stop(srv, 0);
		app_close(&app);
		return cli_error("无法启动通知发送线程");
	}
	printf("zerenzhi %s 正在服务：http://%s/（前端：%s）\n", ZRZ_VERSION, listen,
	       web ? web : "未配置");
	fflush(stdout);
	log_info("serving on %s with %d threads", listen, nthreads);
	int sig = 0;
	sigwait(&stop, &sig);
	log_info("signal %d: finishing requests in flight", sig);
	http_stop(srv, 10000);
	deliverer_stop(deliv);
	scheduler_stop(sched);
	app_close(&app);
	log_info("stopped");
	return 0;
}

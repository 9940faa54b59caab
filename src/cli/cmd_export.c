/*
 * zerenzhi export records|compliance|rollup: the server's .xlsx exports
 * from the command line, for year-end archives and for scripts.  The file
 * is written under a temporary name beside --out and renamed when complete,
 * so --out never holds half a file.  At a terminal a progress bar on stderr
 * shows the rows written; otherwise the command is silent until it prints
 * the path and the row count.  Each export is audited like one made in the
 * browser.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/ztime.h"
#include "cli/cli.h"
#include "domain/ledger.h"
#include "domain/org.h"
#include "domain/period.h"
#include "report/export.h"

#include <getopt.h>
#include <unistd.h>

static void help(void)
{
	puts("用法：\n"
	     "  zerenzhi export records    --db 地址 --org 编号 --out 文件.xlsx [--subtree]\n"
	     "                             [--kind 类型] [--year 年度 | --from 日期 --to 日期]\n"
	     "                             [--q 关键词]\n"
	     "  zerenzhi export compliance --db 地址 --org 编号 --out 文件.xlsx [--year 年度]\n"
	     "                             [--as-of 日期]\n"
	     "  zerenzhi export rollup     --db 地址 --org 编号 --out 文件.xlsx [--year 年度]\n"
	     "                             [--as-of 日期] [--period 周期] [--sort behind|org]\n\n"
	     "records 导出台账（--subtree 含下级单位），compliance 导出本单位的指标完成情况，\n"
	     "rollup 导出下级单位完成情况汇总。日期为 YYYY-MM-DD，年度默认为今年。");
}

struct export_args {
	const char *url, *out, *kind, *from, *to, *q, *as_of, *period, *sort;
	int64_t org, year;
	bool subtree;
};

static int parse(int argc, char **argv, struct export_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},     {"org", required_argument, NULL, 'o'},
		{"out", required_argument, NULL, 'f'},    {"year", required_argument, NULL, 'y'},
		{"kind", required_argument, NULL, 'k'},   {"from", required_argument, NULL, 'a'},
		{"to", required_argument, NULL, 'b'},     {"q", required_argument, NULL, 'q'},
		{"subtree", no_argument, NULL, 's'},      {"as-of", required_argument, NULL, 't'},
		{"period", required_argument, NULL, 'p'}, {"sort", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	memset(a, 0, sizeof(*a));
	a->url = CLI_DEFAULT_DB;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			a->url = optarg;
			break;
		case 'o':
			if (!cli_id("org", optarg, &a->org))
				return 2;
			break;
		case 'f':
			a->out = optarg;
			break;
		case 'y': {
			char *end;
			a->year = strtoll(optarg, &end, 10);
			if (*end || end == optarg || a->year < LEDGER_YEAR_MIN || a->year > LEDGER_YEAR_MAX)
				return cli_error("--year 应为 %d 至 %d 之间的年度", LEDGER_YEAR_MIN,
						 LEDGER_YEAR_MAX);
			break;
		}
		case 'k':
			a->kind = optarg;
			break;
		case 'a':
			a->from = optarg;
			break;
		case 'b':
			a->to = optarg;
			break;
		case 'q':
			a->q = *optarg ? optarg : NULL;
			break;
		case 's':
			a->subtree = true;
			break;
		case 't':
			a->as_of = optarg;
			break;
		case 'p':
			a->period = optarg;
			break;
		case 'r':
			a->sort = optarg;
			break;
		case 'h':
			help();
			return -1;
		default:
			return 2;
		}
	}
	if (optind < argc)
		return cli_error("多余的参数：%s", argv[optind]);
	if (!a->org)
		return cli_error("请用 --org 指定单位编号");
	if (!a->out)
		return cli_error("请用 --out 指定输出文件（.xlsx）");
	const char *dates[][2] = {{"from", a->from}, {"to", a->to}, {"as-of", a->as_of}};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(dates); i++)
		if (dates[i][1] && !ledger_date_valid(dates[i][1]))
			return cli_error("--%s 应为真实的日期 (YYYY-MM-DD)，而不是“%s”", dates[i][0],
					 dates[i][1]);
	if (a->sort && strcmp(a->sort, "behind") && strcmp(a->sort, "org"))
		return cli_error("--sort 应为 behind 或 org");
	return 0;
}

/* The progress bar: redrawn in place at most ten times a second. */
struct bar {
	int64_t last_us;
	bool drawn;
};

static void bar_draw(void *ctx, int64_t done, int64_t total)
{
	struct bar *b = ctx;
	int64_t now = time_mono_us();
	if (done < total && b->drawn && now - b->last_us < 100000)
		return;
	b->last_us = now;
	b->drawn = true;
	enum { WIDTH = 30 };
	int pct = total > 0 ? (int)(done * 100 / total) : 100;
	int fill = pct * WIDTH / 100;
	char bar[WIDTH * 3 + 1];
	size_t o = 0;
	for (int i = 0; i < WIDTH; i++) {
		const char *g = i < fill ? "█" : "░";
		size_t n = strlen(g);
		memcpy(bar + o, g, n);
		o += n;
	}
	bar[o] = '\0';
	fprintf(stderr, "\r导出中 %s %3d%%  %lld / %lld 行", bar, pct, (long long)done,
		(long long)total);
	fflush(stderr);
}

static int run(struct db *db, struct arena *ar, const char *what, const struct export_args *a,
	       struct export_result *res)
{
	struct org o;
	int rc = org_get(db, ar, a->org, &o);
	if (rc == ZRZ_ENOTFOUND)
		return cli_error("单位 %lld 不存在", (long long)a->org);
	if (rc)
		return cli_fail(rc, NULL, "读取单位");
	struct bar b = {0};
	struct export_progress p = {bar_draw, &b};
	const struct export_progress *progress = isatty(STDERR_FILENO) ? &p : NULL;
	int64_t now = time_now();
	int today = period_day_of_time(now);
	if (a->as_of)
		period_day_parse(a->as_of, &today);
	char date[PERIOD_DATE_SIZE];
	period_day_format(today, date, sizeof(date));
	int year = a->year ? (int)a->year : atoi(date);
	struct derr e = {0};
	rc = app_begin_read(db);
	if (rc)
		return cli_fail(rc, NULL, "读取数据库");
	if (!strcmp(what, "records")) {
		struct record_filter f = {.org_id = o.id, .path = a->subtree ? o.path : NULL,
					  .kind = a->kind, .from = a->from, .to = a->to, .q = a->q};
		/* --year alone stands for the dates of that year. */
		if (a->year && !a->from && !a->to) {
			f.from = arena_printf(ar, "%04d-01-01", year);
			f.to = arena_printf(ar, "%04d-12-31", year);
		}
		rc = export_records(db, ar, &o, &f, now, a->out, progress, res, &e);
	} else if (!strcmp(what, "compliance")) {
		rc = export_compliance(db, ar, &o, year, today, now, a->out, progress, res, &e);
	} else {
		struct period only;
		if (a->period && (period_parse(a->period, &only) || only.year != year)) {
			app_rollback(db);
			return cli_error("--period 应为该年度的周期，如 %d、%d-H1、%d-Q3、%d-07", year,
					 year, year, year);
		}
		rc = export_rollup(db, ar, &o, year, today, a->period ? &only : NULL,
				   a->sort && !strcmp(a->sort, "org") ? ROLLUP_SORT_ORG
								      : ROLLUP_SORT_BEHIND,
				   now, a->out, progress, res, &e);
	}
	app_rollback(db);
	if (progress && b.drawn)
		fputc('\n', stderr);
	if (rc)
		return cli_fail(rc, &e, "导出");
	rc = app_begin(db);
	if (!rc)
		rc = export_audit(db, &cli_actor, &o, res);
	if (!rc)
		rc = app_commit(db);
	if (rc) {
		app_rollback(db);
		return cli_fail(rc, NULL, "记录审计日志");
	}
	return 0;
}

int cmd_export(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help();
		return argc < 2 ? 2 : 0;
	}
	const char *what = argv[1];
	if (strcmp(what, "records") && strcmp(what, "compliance") && strcmp(what, "rollup"))
		return cli_error("export 没有“%s”这个子命令（可用：records compliance rollup）", what);
	struct export_args a;
	int rc = parse(argc - 1, argv + 1, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct app app;
	rc = cli_open(&app, a.url);
	if (rc)
		return rc;
	struct db *db;
	rc = app_acquire(&app, &db);
	if (rc) {
		app_close(&app);
		return cli_fail(rc, NULL, "连接数据库");
	}
	struct arena *ar = arena_new();
	struct export_result res = {.fd = -1};
	rc = run(db, ar, what, &a, &res);
	json_decref(res.detail);
	if (!rc)
		printf("%s\n%lld 行\n", a.out, (long long)res.rows);
	arena_free(ar);
	app_release(&app, db);
	app_close(&app);
	return rc;
}

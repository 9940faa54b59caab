/*
 * zerenzhi backup and zerenzhi audit verify.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "domain/audit.h"

#include <getopt.h>
#include <sys/stat.h>

int cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *url = CLI_DEFAULT_DB, *out = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			puts("用法：zerenzhi backup --db 地址 --out 文件\n\n"
			     "在服务运行时也可以进行的在线备份。SQLite：在线备份接口，完成后检查副本\n"
			     "（PRAGMA integrity_check）；PostgreSQL：调用 pg_dump --format=custom，\n"
			     "完成后用 pg_restore --list 检查，恢复用 pg_restore。");
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc)
		return cli_error("多余的参数：%s", argv[optind]);
	if (!out)
		return cli_error("请用 --out 指定备份文件");
	/* The copy holds password hashes: readable by its owner only. */
	umask(077);
	struct app app;
	int rc = cli_open(&app, url);
	if (rc)
		return rc;
	char err[512] = "";
	bool sqlite = app_is_sqlite(&app);
	rc = app_backup(&app, out, err, sizeof(err));
	app_close(&app);
	if (rc)
		return cli_error("%s", err);
	if (sqlite)
		printf("已备份到 %s，完整性检查通过\n", out);
	else
		printf("已用 pg_dump 备份到 %s（自定义格式，用 pg_restore 恢复），目录检查通过\n", out);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			puts("用法：zerenzhi audit verify --db 地址\n\n"
			     "校验审计日志的哈希链：完整时退出码为 0；\n"
			     "发现被修改、删除或调换的记录时退出码为 1，并给出第一条出错记录的序号。");
			return 0;
		}
		return cli_error("用法：zerenzhi audit verify --db 地址");
	}
	const char *url = CLI_DEFAULT_DB;
	int c;
	optind = 1;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 'h':
			puts("用法：zerenzhi audit verify --db 地址");
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc)
		return cli_error("多余的参数：%s", argv[optind]);
	struct app app;
	int rc = cli_open(&app, url);
	if (rc)
		return rc;
	struct db *db;
	rc = app_acquire(&app, &db);
	if (rc) {
		app_close(&app);
		return cli_fail(rc, NULL, "连接数据库");
	}
	int64_t rows = 0, bad = 0;
	rc = app_begin_read(db);
	if (!rc) {
		rc = audit_verify(db, &rows, &bad);
		app_rollback(db);
	}
	app_release(&app, db);
	app_close(&app);
	if (rc == ZRZ_ECONFLICT) {
		printf("审计日志已被篡改：第一条出错记录序号 %lld（已检查 %lld 条）\n", (long long)bad,
		       (long long)rows);
		fprintf(stderr, "zerenzhi: 审计日志校验失败，序号 %lld\n", (long long)bad);
		return 1;
	}
	if (rc)
		return cli_fail(rc, NULL, "校验审计日志");
	printf("审计日志完整：共 %lld 条记录，哈希链无断裂\n", (long long)rows);
	return 0;
}

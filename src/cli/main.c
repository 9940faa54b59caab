/*
 * zerenzhi's command line: one binary, one subcommand per task, each in its
 * own cmd_<name>.c and each a thin layer over the same domain code the
 * server runs.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "core/log.h"
#include "domain/deliver.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

const struct actor cli_actor = {0, "cli"};

static const struct cli_cmd commands[] = {
	{"init", cmd_init, "创建或升级数据库（--demo 载入演示数据）"},
	{"serve", cmd_serve, "启动服务"},
	{"org", cmd_org, "管理单位：add | list | tree | move"},
	{"user", cmd_user, "管理用户：add | list | passwd | lock | unlock | grant"},
	{"plan", cmd_plan, "工作计划：import（导入工作要点，先预览再保存）"},
	{"backup", cmd_backup, "在线备份数据库"},
	{"export", cmd_export, "导出 Excel：records | compliance | rollup"},
	{"audit", cmd_audit, "审计日志：verify"},
	{"remind", cmd_remind, "生成提醒并发送到期的通知（供 cron 调用）"},
	{"version", cmd_version, "显示版本"},
};

static void usage(FILE *out)
{
	fprintf(out, "用法：zerenzhi <命令> [选项]\n\n命令：\n");
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(commands); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n每个命令的说明：zerenzhi <命令> --help\n");
}

int cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("zerenzhi: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cli_open(struct app *app, const char *url)
{
	char err[512] = "";
	int rc = app_open(app, url, 2, err, sizeof(err));
	if (rc)
		return cli_error("%s", err);
	rc = app_check_schema(app, err, sizeof(err));
	if (rc) {
		app_close(app);
		return cli_error("%s", err);
	}
	return 0;
}

int cli_fail(int rc, const struct derr *e, const char *what)
{
	if (e && e->msg)
		return cli_error("%s失败：%s", what, e->msg);
	switch (rc) {
	case ZRZ_ENOTFOUND:
		return cli_error("%s失败：对象不存在", what);
	case ZRZ_ECONFLICT:
		return cli_error("%s失败：与现有数据冲突", what);
	case ZRZ_EUNAVAIL:
		return cli_error("%s失败：数据库正忙，请稍后重试", what);
	default:
		return cli_error("%s失败：%s", what, zrz_err_message(rc));
	}
}

bool cli_id(const char *opt, const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v <= 0) {
		cli_error("--%s 应为正整数编号，而不是“%s”", opt, s);
		return false;
	}
	*out = v;
	return true;
}

static int read_line(char *buf, size_t n, bool *got)
{
	*got = false;
	if (!fgets(buf, (int)n, stdin))
		return 0;
	size_t len = strlen(buf);
	if (len == n - 1 && buf[len - 1] != '\n')
		return cli_error("密码过长");
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	*got = len > 0;
	return 0;
}

int cli_read_password(const char *prompt, bool confirm, char *buf, size_t n, bool *got)
{
	if (!isatty(STDIN_FILENO))
		return read_line(buf, n, got);
	struct termios old, quiet;
	tcgetattr(STDIN_FILENO, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	fprintf(stderr, "%s：", prompt);
	tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	int rc = read_line(buf, n, got);
	fputc('\n', stderr);
	if (!rc && *got && confirm) {
		char again[256];
		bool got2;
		fprintf(stderr, "再输入一次：");
		rc = read_line(again, sizeof(again), &got2);
		fputc('\n', stderr);
		if (!rc && (!got2 || strcmp(again, buf) != 0))
			rc = cli_error("两次输入的密码不一致");
		memset(again, 0, sizeof(again));
	}
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	return rc;
}

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("zerenzhi %s\n", ZRZ_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fputs("zerenzhi: 无法初始化加密库（libsodium）\n", stderr);
		return 1;
	}
	if (deliver_global_init()) {
		fputs("zerenzhi: 无法初始化网络库（libcurl）\n", stderr);
		return 1;
	}
	atexit(deliver_global_cleanup);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(name, "--version"))
		return cmd_version(0, NULL);
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(commands); i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].fn(argc - 1, argv + 1);
	cli_error("没有“%s”这个命令", name);
	usage(stderr);
	return 2;
}

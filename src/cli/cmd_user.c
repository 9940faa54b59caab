/*
 * zerenzhi user add|list|passwd|lock|unlock|grant.  Passwords are read from
 * standard input (a prompt without echo at a terminal), never from the
 * command line, where other users of the machine could see them.  "user add"
 * prints only the new id.
 */
#include "core/common.h"
#include "core/arena.h"
#include "auth/password.h"
#include "cli/cli.h"
#include "domain/org.h"
#include "domain/user.h"

#include <getopt.h>
#include <sodium.h>

static void help(void)
{
	puts("用法：\n"
	     "  zerenzhi user add    --db 地址 --org 编号 --login 登录名 --name 姓名 --role 角色\n"
	     "                       [--scope self|subtree] [--temporary]   （密码从标准输入读取）\n"
	     "  zerenzhi user list   --db 地址 [--org 编号]\n"
	     "  zerenzhi user passwd --db 地址 --login 登录名 [--temporary] （新密码从标准输入读取）\n"
	     "  zerenzhi user lock   --db 地址 --login 登录名\n"
	     "  zerenzhi user unlock --db 地址 --login 登录名\n"
	     "  zerenzhi user grant  --db 地址 --login 登录名 --org 编号 --role 角色 [--scope self|subtree]\n\n"
	     "角色：sysadmin 系统管理员、secadmin 安全管理员、auditor 安全审计员、secretary 书记、\n"
	     "      leader 班子成员、office 办公室、member 党员、viewer 只读\n"
	     "标准输入为空时，user add 会生成一个临时密码（显示在标准错误上），首次登录须修改。\n"
	     "--temporary：密码为临时密码，首次登录时必须修改。");
}

struct user_args {
	const char *url, *login, *name, *role, *scope;
	int64_t org;
	bool temporary;
};

static int parse(int argc, char **argv, struct user_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},    {"org", required_argument, NULL, 'o'},
		{"login", required_argument, NULL, 'l'}, {"name", required_argument, NULL, 'n'},
		{"role", required_argument, NULL, 'r'},  {"scope", required_argument, NULL, 's'},
		{"temporary", no_argument, NULL, 't'},   {"help", no_argument, NULL, 'h'},
		{"password", required_argument, NULL, 'P'},
		{NULL, 0, NULL, 0},
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
		case 'l':
			a->login = optarg;
			break;
		case 'n':
			a->name = optarg;
			break;
		case 'r':
			a->role = optarg;
			break;
		case 's':
			a->scope = optarg;
			break;
		case 't':
			a->temporary = true;
			break;
		case 'P':
			return cli_error("出于安全考虑，密码不能写在命令行上；请从标准输入提供");
		case 'h':
			help();
			return -1;
		default:
			return 2;
		}
	}
	if (optind < argc)
		return cli_error("多余的参数：%s", argv[optind]);
	return 0;
}

static int with_tx(struct db *db, int rc_in)
{
	if (rc_in) {
		app_rollback(db);
		return rc_in;
	}
	int rc = app_commit(db);
	if (rc)
		app_rollback(db);
	return rc;
}

static int user_add(struct db *db, struct arena *ar, const struct user_args *a)
{
	if (!a->org || !a->login || !a->name || !a->role)
		return cli_error("请指定 --org、--login、--name 和 --role");
	char pw[256], generated[17];
	bool got = false;
	int rc = cli_read_password("新用户的密码", true, pw, sizeof(pw), &got);
	if (rc)
		return rc;
	bool temporary = a->temporary;
	if (!got) {
		password_generate(generated, sizeof(generated));
		snprintf(pw, sizeof(pw), "%s", generated);
		temporary = true;
	} else {
		const char *why = password_policy(a->login, pw);
		if (why) {
			sodium_memzero(pw, sizeof(pw));
			return cli_error("%s", why);
		}
	}
	char hash[PASSWORD_HASH_MAX];
	rc = password_hash(pw, hash);
	sodium_memzero(pw, sizeof(pw));
	if (rc)
		return cli_error("无法计算密码摘要");
	struct derr e = {0};
	struct user u;
	struct grant g;
	rc = app_begin(db);
	if (rc)
		return cli_fail(rc, NULL, "开始写入");
	rc = user_create(db, ar, &cli_actor, a->org, a->login, a->name, hash, temporary, &u, &e);
	if (!rc)
		rc = user_grant_add(db, ar, &cli_actor, u.id, a->org, a->role, a->scope, &g, &e);
	rc = with_tx(db, rc);
	if (rc)
		return cli_fail(rc, &e, "新建用户");
	if (!got)
		fprintf(stderr, "临时密码：%s（首次登录时必须修改）\n", generated);
	printf("%lld\n", (long long)u.id);
	return 0;
}

static int user_ls(struct db *db, struct arena *ar, const struct user_args *a)
{
	struct user *items;
	int n;
	int64_t total;
	int rc = user_list(db, ar, a->org, NULL, NULL, 0, 1000000, &items, &n, &total);
	if (rc)
		return cli_fail(rc, NULL, "列出用户");
	printf("%-6s %-16s %-12s %-6s %s\n", "编号", "登录名", "姓名", "状态", "单位");
	for (int i = 0; i < n; i++) {
		struct grant *g;
		int ng = 0;
		user_grants(db, ar, items[i].id, &g, &ng);
		printf("%-6lld %-16s %-12s %-6s %s", (long long)items[i].id, items[i].login,
		       items[i].name, items[i].locked ? "停用" : "正常", items[i].org_name);
		for (int k = 0; k < ng; k++)
			printf("%s%s@%s(%s)", k ? ", " : "  ", g[k].role, g[k].org_name, g[k].scope);
		putchar('\n');
	}
	return 0;
}

static int find(struct db *db, struct arena *ar, const char *login, struct user *u)
{
	if (!login)
		return cli_error("请用 --login 指定用户");
	const char *norm = user_login_normalize(ar, login);
	int rc = norm ? user_by_login(db, ar, norm, u) : ZRZ_ENOTFOUND;
	if (rc == ZRZ_ENOTFOUND)
		return cli_error("没有登录名为“%s”的用户", login);
	if (rc)
		return cli_fail(rc, NULL, "查找用户");
	return 0;
}

static int user_passwd(struct db *db, struct arena *ar, const struct user_args *a)
{
	struct user u;
	int rc = find(db, ar, a->login, &u);
	if (rc)
		return rc;
	char pw[256];
	bool got;
	rc = cli_read_password("新密码", true, pw, sizeof(pw), &got);
	if (rc)
		return rc;
	if (!got)
		return cli_error("没有从标准输入读到新密码");
	const char *why = password_policy(u.login, pw);
	if (why) {
		sodium_memzero(pw, sizeof(pw));
		return cli_error("%s", why);
	}
	char hash[PASSWORD_HASH_MAX];
	rc = password_hash(pw, hash);
	sodium_memzero(pw, sizeof(pw));
	if (rc)
		return cli_error("无法计算密码摘要");
	rc = app_begin(db);
	if (rc)
		return cli_fail(rc, NULL, "开始写入");
	rc = with_tx(db, user_set_password(db, &cli_actor, &u, hash, a->temporary,
					   "user.password_reset", 0));
	if (rc)
		return cli_fail(rc, NULL, "修改密码");
	printf("已修改 %s 的密码%s\n", u.login, a->temporary ? "（临时密码，登录后须修改）" : "");
	return 0;
}

static int user_set_lock(struct db *db, struct arena *ar, const struct user_args *a, bool lock)
{
	struct user u;
	int rc = find(db, ar, a->login, &u);
	if (rc)
		return rc;
	struct derr e = {0};
	rc = app_begin(db);
	if (rc)
		return cli_fail(rc, NULL, "开始写入");
	rc = with_tx(db, user_update(db, ar, &cli_actor, u.id, NULL, NULL, &lock, &u, &e));
	if (rc)
		return cli_fail(rc, &e, lock ? "停用账户" : "启用账户");
	printf("%s %s\n", lock ? "已停用" : "已启用", u.login);
	return 0;
}

static int user_grant(struct db *db, struct arena *ar, const struct user_args *a)
{
	struct user u;
	int rc = find(db, ar, a->login, &u);
	if (rc)
		return rc;
	if (!a->org || !a->role)
		return cli_error("请指定 --org 和 --role");
	struct derr e = {0};
	struct grant g;
	rc = app_begin(db);
	if (rc)
		return cli_fail(rc, NULL, "开始写入");
	rc = with_tx(db, user_grant_add(db, ar, &cli_actor, u.id, a->org, a->role, a->scope, &g, &e));
	if (rc)
		return cli_fail(rc, &e, "授权");
	printf("%lld\n", (long long)g.id);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help();
		return argc < 2 ? 2 : 0;
	}
	static const char *const subs[] = {"add", "list", "passwd", "lock", "unlock", "grant", NULL};
	const char *sub = argv[1];
	bool known = false;
	for (const char *const *s = subs; *s; s++)
		known = known || !strcmp(*s, sub);
	if (!known)
		return cli_error("user 没有“%s”这个子命令（可用：add list passwd lock unlock grant）",
				 sub);
	struct user_args a;
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
	if (!strcmp(sub, "add"))
		rc = user_add(db, ar, &a);
	else if (!strcmp(sub, "list"))
		rc = user_ls(db, ar, &a);
	else if (!strcmp(sub, "passwd"))
		rc = user_passwd(db, ar, &a);
	else if (!strcmp(sub, "lock"))
		rc = user_set_lock(db, ar, &a, true);
	else if (!strcmp(sub, "unlock"))
		rc = user_set_lock(db, ar, &a, false);
	else
		rc = user_grant(db, ar, &a);
	arena_free(ar);
	app_release(&app, db);
	app_close(&app);
	return rc;
}

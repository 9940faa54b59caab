/*
 * zerenzhi init: create or upgrade the database; with --demo, load a demo
 * organization modelled on the seed plans (a city education bureau's party
 * committee, its 机关支部 and three school 党支部, the 意识形态工作领导小组)
 * and one login per role, each with a freshly generated password.
 */
#include "core/common.h"
#include "core/arena.h"
#include "auth/password.h"
#include "cli/cli.h"
#include "core/ztime.h"
#include "domain/committee.h"
#include "domain/compliance.h"
#include "domain/org.h"
#include "domain/user.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void help(void)
{
	puts("用法：zerenzhi init [--db 地址] [--demo] [--logins 文件]\n\n"
	     "创建数据库，或把已有数据库升级到本程序的版本（不会删除数据）。\n\n"
	     "  --db 地址      数据库，sqlite:路径（默认 " CLI_DEFAULT_DB "）\n"
	     "  --demo         载入演示单位、领导小组和每个角色的演示账户（仅限空数据库）\n"
	     "  --logins 文件  演示账户的保存位置（默认与数据库文件同目录的 demo-logins.txt）\n"
	     "  --schema-version N  只升级到第 N 版（用于演练升级；默认升级到最新版）");
}

struct demo_user {
	const char *login;
	const char *name;
	int org; /* index into the demo orgs */
	const char *role;
	const char *scope;
	const char *what;
};

static int mkdir_for(const char *path)
{
	char *copy = xstrdup(path);
	char *dir = dirname(copy);
	int rc = 0;
	if (strcmp(dir, ".") != 0 && strcmp(dir, "/") != 0) {
		/* One level is enough for var/; deeper trees are the admin's. */
		if (mkdir(dir, 0750) != 0 && errno != EEXIST)
			rc = cli_error("无法创建目录 %s：%s", dir, strerror(errno));
	}
	free(copy);
	return rc;
}

static int load_demo(struct app *app, const char *logins_path)
{
	static const struct {
		const char *name;
		int parent;
		const char *kind;
	} orgs[] = {
		{"市教育局党委", -1, "committee"},
		{"机关支部", 0, "branch"},
		{"第一中学党支部", 0, "branch"},
		{"实验小学党支部", 0, "branch"},
		{"第二中学党支部", 0, "branch"},
	};
	static const struct demo_user users[] = {
		{"admin", "系统管理员", 0, "sysadmin", "subtree", "系统管理员：单位和账户"},
		{"secadmin", "安全管理员", 0, "secadmin", "subtree", "安全管理员：授权"},
		{"auditor", "安全审计员", 0, "auditor", "subtree", "安全审计员：审计日志"},
		{"hesm", "何胜明", 0, "secretary", "subtree", "党委书记（第一责任人）"},
		{"xiaozz", "肖著中", 0, "leader", "subtree", "班子成员"},
		{"yangxl", "杨细林", 0, "office", "subtree", "领导小组办公室主任（局办公室）"},
		{"member", "党员示例", 1, "member", "self", "机关支部党员"},
		{"viewer", "只读示例", 0, "viewer", "subtree", "只读查看"},
		{"yizhong", "第一中学办公室", 2, "office", "self", "第一中学党支部台账员"},
		{"shiyan", "实验小学办公室", 3, "office", "self", "实验小学党支部台账员"},
	};
	struct arena *a = arena_new();
	struct db *db = NULL;
	int64_t ids[ZRZ_ARRAY_LEN(orgs)];
	char passwords[ZRZ_ARRAY_LEN(users)][17];
	struct derr e = {0};
	int rc = app_acquire(app, &db);
	if (rc) {
		rc = cli_fail(rc, NULL, "连接数据库");
		goto out;
	}
	rc = app_begin(db);
	if (rc) {
		rc = cli_fail(rc, NULL, "开始写入");
		goto out;
	}
	struct org *existing;
	int n;
	int64_t total;
	rc = org_children(db, a, 0, 0, 1, &existing, &n, &total);
	if (!rc && total > 0) {
		rc = cli_error("数据库中已有单位，未载入演示数据（演示数据只能载入空数据库）");
		goto out;
	}
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(orgs); i++) {
		struct org o;
		rc = org_create(db, a, &cli_actor, orgs[i].parent < 0 ? 0 : ids[orgs[i].parent],
				orgs[i].name, orgs[i].kind, (int64_t)i, &o, &e);
		if (rc) {
			rc = cli_fail(rc, &e, "创建演示单位");
			goto out;
		}
		ids[i] = o.id;
	}
	int64_t user_ids[ZRZ_ARRAY_LEN(users)];
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(users); i++) {
		char hash[PASSWORD_HASH_MAX];
		password_generate(passwords[i], sizeof(passwords[i]));
		if (password_hash(passwords[i], hash)) {
			rc = cli_error("无法计算密码摘要");
			goto out;
		}
		struct user u;
		struct grant g;
		rc = user_create(db, a, &cli_actor, ids[users[i].org], users[i].login, users[i].name,
				 hash, false, &u, &e);
		if (!rc)
			rc = user_grant_add(db, a, &cli_actor, u.id, ids[users[i].org], users[i].role,
					    users[i].scope, &g, &e);
		if (rc) {
			rc = cli_fail(rc, &e, "创建演示账户");
			goto out;
		}
		user_ids[i] = u.id;
	}
	struct duty d;
	rc = user_duty_add(db, a, &cli_actor, user_ids[4], ids[0], "宣传思想和意识形态工作", &d, &e);
	if (rc) {
		rc = cli_fail(rc, &e, "设置演示分工");
		goto out;
	}
	/* The 领导小组 of the first seed plan. */
	static const char *const deputies[] = {"肖著中", "闵国胜", "叶敏", "冒小慧",
					       "李国斌", "曾壮志", "赵文刚"};
	struct committee_member m[3 + ZRZ_ARRAY_LEN(deputies)];
	int nm = 0;
	memset(m, 0, sizeof(m));
	m[nm++] = (struct committee_member){.position = "leader", .name = "何胜明",
					    .title = "党委书记、局长", .user_id = user_ids[3]};
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(deputies); i++)
		m[nm++] = (struct committee_member){.position = "deputy_leader",
						    .name = deputies[i], .title = "班子成员",
						    .user_id = i == 0 ? user_ids[4] : 0};
	m[nm++] = (struct committee_member){.position = "office_director", .name = "杨细林",
					    .title = "局办公室", .user_id = user_ids[5]};
	m[nm++] = (struct committee_member){.position = "office_deputy_director",
					    .name = "徐守义"};
	struct committee c;
	rc = committee_create(db, a, &cli_actor, ids[0], "意识形态工作领导小组", m, nm, &c, &e);
	if (rc) {
		rc = cli_fail(rc, &e, "创建演示领导小组");
		goto out;
	}
	rc = app_commit(db);
	if (rc) {
		rc = cli_fail(rc, NULL, "保存演示数据");
		goto out;
	}

	/* The logins, for the person who ran this, and a file only they read. */
	FILE *f = NULL;
	if (!mkdir_for(logins_path)) {
		int fd = open(logins_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			fchmod(fd, 0600);
			f = fdopen(fd, "w");
		}
	}
	if (!f)
		cli_error("无法写入 %s：%s（演示账户只显示在下面）", logins_path, strerror(errno));
	printf("演示账户（首次登录即可使用）：\n");
	if (f)
		fprintf(f, "# zerenzhi 演示账户：登录名 密码 角色\n");
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(users); i++) {
		printf("  %-10s %-18s %s\n", users[i].login, passwords[i], users[i].what);
		if (f)
			fprintf(f, "%s\t%s\t%s\n", users[i].login, passwords[i], users[i].what);
	}
	if (f) {
		fclose(f);
		printf("已保存到 %s（仅本人可读）\n", logins_path);
	}
	rc = 0;
out:
	memset(passwords, 0, sizeof(passwords));
	if (db)
		app_release(app, db);
	arena_free(a);
	return rc;
}

/* Compliance kept ready for the rollup: fill the rows of obligations that
 * have none (a database upgraded to the table, or obligations written
 * around the server) and re-assess the stale ones, in one transaction. */
static int fill_compliance(struct app *app)
{
	struct db *db;
	int rc = app_acquire(app, &db);
	if (rc)
		return cli_fail(rc, NULL, "连接数据库");
	int64_t filled = 0, assessed = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = app_begin(db);
	if (!rc)
		rc = compliance_fill(db, period_day_of_time(time_now()), &filled, &assessed);
	if (!rc)
		rc = app_commit(db);
	else
		app_rollback(db);
	app_release(app, db);
	if (rc)
		return cli_fail(rc, NULL, "整理合规情况");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	if (filled || assessed)
		printf("合规情况：补齐 %lld 项指标，重新评估 %lld 行（%lld 毫秒）\n",
		       (long long)filled, (long long)assessed, ms);
	return 0;
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"demo", no_argument, NULL, 'D'},
		{"logins", required_argument, NULL, 'l'},
		{"schema-version", required_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *url = CLI_DEFAULT_DB, *logins = NULL;
	bool demo = false;
	int64_t target = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 'D':
			demo = true;
			break;
		case 'l':
			logins = optarg;
			break;
		case 'v':
			if (!cli_id("schema-version", optarg, &target))
				return 2;
			break;
		case 'h':
			help();
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc)
		return cli_error("多余的参数：%s", argv[optind]);
	struct app app;
	char err[512] = "";
	if (!strncmp(url, "sqlite:", 7) && mkdir_for(url + 7))
		return 1;
	int rc = app_open(&app, url, 2, err, sizeof(err));
	if (rc)
		return cli_error("%s", err);
	int applied = 0;
	rc = app_migrate(&app, (int)target, &applied, err, sizeof(err));
	if (rc) {
		app_close(&app);
		return cli_error("%s", err);
	}
	int have, latest;
	app_schema_version(&app, &have, &latest);
	if (applied)
		printf("数据库已就绪：执行了 %d 个升级步骤，当前版本 %d\n", applied, have);
	else
		printf("数据库已是最新版本（%d），无需升级\n", have);
	if (have == latest && fill_compliance(&app)) {
		app_close(&app);
		return 1;
	}
	if (demo && have < latest) {
		app_close(&app);
		return cli_error("--demo 需要最新版本的数据库");
	}
	if (demo) {
		char path[1024];
		if (logins) {
			snprintf(path, sizeof(path), "%s", logins);
		} else if (!strncmp(url, "sqlite:", 7)) {
			char *copy = xstrdup(url + 7);
			snprintf(path, sizeof(path), "%s/demo-logins.txt", dirname(copy));
			free(copy);
		} else {
			snprintf(path, sizeof(path), "var/demo-logins.txt");
		}
		rc = load_demo(&app, path);
	}
	app_close(&app);
	return rc;
}

/*
 * zerenzhi org add|list|tree|move: the unit tree from the command line, for
 * setting up a new installation and for scripts.  "org add" prints only the
 * new id so that scripts can capture it.
 */
#include "core/common.h"
#include "core/arena.h"
#include "cli/cli.h"
#include "domain/org.h"

#include <getopt.h>

static void help(void)
{
	puts("用法：\n"
	     "  zerenzhi org add  --db 地址 --name 名称 [--parent 编号] [--kind 类型] [--sort N]\n"
	     "  zerenzhi org list --db 地址 [--parent 编号]\n"
	     "  zerenzhi org tree --db 地址 [--root 编号]\n"
	     "  zerenzhi org move --db 地址 --id 编号 --parent 编号（0 表示设为顶级单位）\n\n"
	     "类型：committee 党委、party_group 党组、general_branch 党总支、branch 党支部、\n"
	     "      unit 单位（默认）、department 部门");
}

struct org_args {
	const char *url;
	const char *name;
	const char *kind;
	int64_t parent;
	bool has_parent;
	int64_t root;
	int64_t id;
	int64_t sort;
};

static int parse(int argc, char **argv, struct org_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},     {"name", required_argument, NULL, 'n'},
		{"kind", required_argument, NULL, 'k'},   {"parent", required_argument, NULL, 'p'},
		{"root", required_argument, NULL, 'r'},   {"id", required_argument, NULL, 'i'},
		{"sort", required_argument, NULL, 's'},   {"help", no_argument, NULL, 'h'},
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
		case 'n':
			a->name = optarg;
			break;
		case 'k':
			a->kind = optarg;
			break;
		case 'p':
			a->has_parent = true;
			if (!strcmp(optarg, "0"))
				a->parent = 0;
			else if (!cli_id("parent", optarg, &a->parent))
				return 2;
			break;
		case 'r':
			if (!cli_id("root", optarg, &a->root))
				return 2;
			break;
		case 'i':
			if (!cli_id("id", optarg, &a->id))
				return 2;
			break;
		case 's': {
			char *end;
			a->sort = strtoll(optarg, &end, 10);
			if (*end || end == optarg)
				return cli_error("--sort 应为整数");
			break;
		}
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

static int org_add(struct app *app, struct db *db, struct arena *ar, const struct org_args *a)
{
	(void)app;
	if (!a->name)
		return cli_error("请用 --name 指定单位名称");
	struct derr e = {0};
	struct org o;
	int rc = app_begin(db);
	if (rc)
		return cli_fail(rc, NULL, "开始写入");
	rc = org_create(db, ar, &cli_actor, a->parent, a->name, a->kind, a->sort, &o, &e);
	if (!rc)
		rc = app_commit(db);
	if (rc) {
		app_rollback(db);
		return cli_fail(rc, &e, "新建单位");
	}
	printf("%lld\n", (long long)o.id);
	return 0;
}

static int org_ls(struct db *db, struct arena *ar, const struct org_args *a)
{
	struct org *items;
	int n;
	int64_t total;
	if (a->parent) {
		struct org p;
		int rc = org_get(db, ar, a->parent, &p);
		if (rc)
			return cli_fail(rc, NULL, "查找上级单位");
	}
	int rc = org_children(db, ar, a->parent, 0, 100000, &items, &n, &total);
	if (rc)
		return cli_fail(rc, NULL, "列出单位");
	printf("%-8s %-8s %-16s %-12s %s\n", "编号", "上级", "类型", "路径", "名称");
	for (int i = 0; i < n; i++)
		printf("%-8lld %-8lld %-16s %-12s %s\n", (long long)items[i].id,
		       (long long)items[i].parent_id, items[i].kind, items[i].path, items[i].name);
	return 0;
}

static int org_print_tree(struct db *db, struct arena *ar, const struct org_args *a)
{
	struct org *roots;
	int nroots;
	int64_t total;
	int rc;
	if (a->root) {
		roots = arena_alloc(ar, sizeof(*roots));
		rc = org_get(db, ar, a->root, roots);
		if (rc)
			return cli_fail(rc, NULL, "查找单位");
		nroots = 1;
	} else {
		rc = org_children(db, ar, 0, 0, 100000, &roots, &nroots, &total);
		if (rc)
			return cli_fail(rc, NULL, "列出单位");
	}
	for (int r = 0; r < nroots; r++) {
		struct org *items;
		int n;
		rc = org_subtree(db, ar, roots[r].path, 1000000, &items, &n);
		if (rc)
			return cli_fail(rc, NULL, "读取单位树");
		int base = 0;
		for (const char *p = roots[r].path; *p; p++)
			base += *p == '/';
		for (int i = 0; i < n; i++) {
			int depth = -base;
			for (const char *p = items[i].path; *p; p++)
				depth += *p == '/';
			for (int d = 0; d < depth; d++)
				fputs("    ", stdout);
			printf("%s [%lld, %s]\n", items[i].name, (long long)items[i].id,
			       org_kind_label(items[i].kind));
		}
	}
	return 0;
}

static int org_mv(struct db *db, struct arena *ar, const struct org_args *a)
{
	if (!a->id || !a->has_parent)
		return cli_error("请用 --id 指定要移动的单位，用 --parent 指定新的上级单位（0 为顶级）");
	struct derr e = {0};
	struct org o;
	int rc = app_begin(db);
	if (rc)
		return cli_fail(rc, NULL, "开始写入");
	rc = org_move(db, ar, &cli_actor, a->id, a->parent, &o, &e);
	if (!rc)
		rc = app_commit(db);
	if (rc) {
		app_rollback(db);
		return cli_fail(rc, &e, "移动单位");
	}
	printf("已移动：%s 的新路径为 %s\n", o.name, o.path);
	return 0;
}

int cmd_org(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help();
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "tree") && strcmp(sub, "move"))
		return cli_error("org 没有“%s”这个子命令（可用：add list tree move）", sub);
	struct org_args a;
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
		rc = org_add(&app, db, ar, &a);
	else if (!strcmp(sub, "list"))
		rc = org_ls(db, ar, &a);
	else if (!strcmp(sub, "tree"))
		rc = org_print_tree(db, ar, &a);
	else
		rc = org_mv(db, ar, &a);
	arena_free(ar);
	app_release(&app, db);
	app_close(&app);
	return rc;
}

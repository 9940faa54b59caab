/*
 * zerenzhi plan import: read a unit's 工作要点 from a file (.txt in UTF-8
 * or GB18030, or a Word .docx) and print the importer's preview as JSON,
 * exactly as POST /api/v1/plans/import answers it; with --commit, save the
 * plan with what the preview confirmed (the confirmed obligations only;
 * the others are listed on standard error) and print the new plan's id.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/str.h"
#include "cli/cli.h"
#include "domain/ledger.h"
#include "domain/org.h"
#include "domain/plan.h"
#include "domain/plan_import.h"

#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

/* The most bytes read from a .txt file and from a .docx's document.xml. */
#define TXT_READ_MAX (PLAN_SOURCE_MAX + 1)
#define DOCX_XML_MAX ((size_t)64 * 1024 * 1024)

static void help(void)
{
	puts("用法：\n"
	     "  zerenzhi plan import --db 地址 --org 编号 --year 年度 文件 [--commit] [--title 标题]\n\n"
	     "读取工作要点（.txt：UTF-8 或 GB18030；.docx：Word 文档），在标准输出打印导入预览\n"
	     "（JSON，与 POST /api/v1/plans/import 的回答相同），不保存任何内容。\n"
	     "加 --commit 时保存计划、部分和事项、已确认的指标、领导小组和节庆活动，\n"
	     "未确认的指标列在标准错误上（不保存），标准输出只打印新计划的编号。");
}

/* Convert GB18030 bytes to UTF-8 (malloc'ed into *out). */
static int from_gb18030(const char *in, size_t n, char **out, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return cli_error("无法转换 GB18030 编码（iconv 不支持）");
	size_t cap = n * 2 + 16;
	char *buf = xmalloc(cap);
	char *src = (char *)in, *dst = buf;
	size_t left = n, room = cap - 1;
	size_t r = iconv(cd, &src, &left, &dst, &room);
	iconv_close(cd);
	if (r == (size_t)-1) {
		free(buf);
		return cli_error("文件既不是 UTF-8 也不是 GB18030 编码的文本");
	}
	*dst = '\0';
	*out = buf;
	*outlen = (size_t)(dst - buf);
	return 0;
}

static int read_txt(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cli_error("无法打开 %s：%s", path, strerror(errno));
	char *buf = xmalloc(TXT_READ_MAX + 1);
	size_t n = fread(buf, 1, TXT_READ_MAX + 1, f);
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return cli_error("读取 %s 失败", path);
	}
	if (n > TXT_READ_MAX) {
		free(buf);
		return cli_error("%s 超过 1 MiB，请分成几部分导入", path);
	}
	buf[n] = '\0';
	if (utf8_valid_text(buf, n)) {
		*out = buf;
		*len = n;
		return 0;
	}
	int rc = from_gb18030(buf, n, out, len);
	free(buf);
	return rc;
}

static bool is_w(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name) && n->ns &&
	       n->ns->prefix && !strcmp((const char *)n->ns->prefix, "w");
}

/* The text of a paragraph's runs: w:t as written, w:tab as a tab, w:br and
 * w:cr as line breaks. */
static int run_text(const xmlNode *n, struct buf *b)
{
	for (const xmlNode *c = n; c; c = c->next) {
		int rc = ZRZ_OK;
		if (is_w(c, "t")) {
			xmlChar *t = xmlNodeGetContent(c);
			if (t)
				rc = buf_puts(b, (const char *)t);
			xmlFree(t);
		} else if (is_w(c, "tab")) {
			rc = buf_puts(b, "\t");
		} else if (is_w(c, "br") || is_w(c, "cr")) {
			rc = buf_puts(b, "\n");
		} else if (c->children && !is_w(c, "p")) {
			rc = run_text(c->children, b);
		}
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

/* Every paragraph under n (tables included), one line each. */
static int paragraphs(const xmlNode *n, struct buf *b)
{
	for (const xmlNode *c = n; c; c = c->next) {
		int rc;
		if (is_w(c, "p")) {
			rc = run_text(c->children, b);
			if (!rc)
				rc = buf_puts(b, "\n");
		} else {
			rc = c->children ? paragraphs(c->children, b) : ZRZ_OK;
		}
		if (rc)
			return rc;
	}
	return ZRZ_OK;
}

static int read_docx(const char *path, char **out, size_t *len)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	if (!z)
		return cli_error("%s 不是有效的 .docx 文件（无法作为 zip 打开）", path);
	zip_stat_t st;
	zip_file_t *zf = NULL;
	char *xml = NULL;
	int rc = 1;
	if (zip_stat(z, "word/document.xml", 0, &st) || !(st.valid & ZIP_STAT_SIZE)) {
		cli_error("%s 中没有 word/document.xml，不是 Word 文档", path);
		goto out;
	}
	if (st.size > DOCX_XML_MAX) {
		cli_error("%s 的正文过大", path);
		goto out;
	}
	zf = zip_fopen(z, "word/document.xml", 0);
	xml = xmalloc((size_t)st.size + 1);
	if (!zf || zip_fread(zf, xml, st.size) != (zip_int64_t)st.size) {
		cli_error("读取 %s 的正文失败", path);
		goto out;
	}
	xmlDoc *doc = xmlReadMemory(xml, (int)st.size, "document.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		cli_error("%s 的正文不是有效的 XML", path);
		goto out;
	}
	struct buf b = BUF_INIT;
	b.cap = PLAN_SOURCE_MAX + 1;
	int brc = paragraphs(xmlDocGetRootElement(doc), &b);
	xmlFreeDoc(doc);
	if (brc) {
		buf_release(&b);
		cli_error("%s 的文字超过 1 MiB，请分成几部分导入", path);
		goto out;
	}
	*out = buf_detach(&b, len);
	if (!*out) {
		*out = xstrdup("");
		*len = 0;
	}
	rc = 0;
out:
	if (zf)
		zip_fclose(zf);
	free(xml);
	zip_discard(z);
	return rc;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

static int print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!s)
		return cli_error("无法输出 JSON");
	puts(s);
	free(s);
	return 0;
}

static int commit(const char *url, int64_t org_id, int year, const char *title,
		  const char *text, size_t len, json_t *preview)
{
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
	struct arena *ar = arena_new();
	struct derr e = {0};
	struct org o;
	int64_t plan_id = 0;
	json_t *skipped = NULL;
	if (title)
		json_object_set_new(preview, "title", json_string(title));
	rc = app_begin(db);
	if (!rc) {
		rc = org_get(db, ar, org_id, &o);
		if (rc == ZRZ_ENOTFOUND)
			rc = derr_set(&e, ZRZ_EINVAL, "org", "单位不存在");
	}
	if (!rc)
		rc = plan_import_commit(db, ar, &cli_actor, org_id, year, text, len, preview,
					&plan_id, &skipped, &e);
	if (!rc)
		rc = app_commit(db);
	if (rc) {
		app_rollback(db);
		rc = cli_fail(rc, &e, "导入计划");
	} else {
		size_t i;
		json_t *v;
		json_array_foreach(skipped, i, v) {
			json_t *src = json_object_get(v, "source");
			const char *kind = json_string_value(json_object_get(v, "kind"));
			fprintf(stderr, "未保存（未确认）的指标：%s %s 至少 %lld 次 —— %s\n",
				kind ? kind : "（类型未定）",
				json_string_value(json_object_get(v, "period"))
					? json_string_value(json_object_get(v, "period"))
					: "?",
				(long long)json_integer_value(json_object_get(v, "min")),
				json_string_value(json_object_get(src, "text"))
					? json_string_value(json_object_get(src, "text"))
					: "");
		}
		printf("%lld\n", (long long)plan_id);
	}
	json_decref(skipped);
	arena_free(ar);
	app_release(&app, db);
	app_close(&app);
	return rc;
}

static int plan_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},   {"org", required_argument, NULL, 'o'},
		{"year", required_argument, NULL, 'y'}, {"title", required_argument, NULL, 't'},
		{"commit", no_argument, NULL, 'c'},     {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *url = CLI_DEFAULT_DB, *title = NULL;
	int64_t org_id = 0, year = 0;
	bool do_commit = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 'o':
			if (!cli_id("org", optarg, &org_id))
				return 2;
			break;
		case 'y':
			if (!str_to_int64(optarg, &year) || year < LEDGER_YEAR_MIN ||
			    year > LEDGER_YEAR_MAX)
				return cli_error("--year 应为 2000 至 2100 之间的年份");
			break;
		case 't':
			title = optarg;
			break;
		case 'c':
			do_commit = true;
			break;
		case 'h':
			help();
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc - 1)
		return cli_error("请给出一个要导入的文件（.txt 或 .docx）");
	if (!org_id || !year)
		return cli_error("请用 --org 指定单位，用 --year 指定年度");
	const char *path = argv[optind];
	char *text = NULL;
	size_t len = 0;
	int rc = ends_with_ci(path, ".docx") ? read_docx(path, &text, &len)
					     : read_txt(path, &text, &len);
	if (rc)
		return rc;
	if (len > PLAN_SOURCE_MAX) {
		free(text);
		return cli_error("%s 的文字超过 1 MiB，请分成几部分导入", path);
	}
	struct arena *ar = arena_new();
	struct derr e = {0};
	json_t *preview = NULL;
	rc = plan_import_analyze(ar, text, len, (int)year, &preview, &e);
	arena_free(ar);
	if (rc)
		rc = cli_fail(rc, &e, "分析文本");
	else if (do_commit)
		rc = commit(url, org_id, (int)year, title, text, len, preview);
	else
		rc = print_json(preview);
	json_decref(preview);
	free(text);
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help();
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "import"))
		return cli_error("plan 没有“%s”这个子命令（可用：import）", argv[1]);
	return plan_import(argc - 1, argv + 1);
}

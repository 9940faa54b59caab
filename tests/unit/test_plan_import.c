/*
 * Unit tests for domain/plan_import.h.  The four seed texts are checked
 * against everything ../shared/fixtures/plans/expected.json lists (type,
 * obligations with kind/min/period and their quotes, the committee by
 * position, dated activities, top sections in order, numbered items,
 * unquantified suggestions, placeholders, problem sections, workflow
 * hints), and no obligation it does not list may come out confirmed.
 * Fourteen texts of our own under tests/fixtures/plans/ (other plans, other
 * numbering, other layouts, a report, CRLF line ends, no numbering at all)
 * are checked against the expectations in the table below, where the list
 * of obligations is complete.  Every span of every output must be the exact
 * bytes it claims to be.  Bad input is refused with the right code.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/arena.h"
#include "domain/plan_import.h"

/* ---- files ---- */

/* The directory of this source file, from __FILE__ (an absolute path). */
static const char *here(void)
{
	static char dir[4096];
	const char *slash = strrchr(__FILE__, '/');
	size_t n = slash ? (size_t)(slash - __FILE__) : 1;

	if (!slash)
		return ".";
	if (snprintf(dir, sizeof(dir), "%.*s", (int)n, __FILE__) >= (int)sizeof(dir))
		fail_msg("path too long: %s", __FILE__);
	return dir;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static char *shared_path(const char *name)
{
	static char p[4096];

	if (snprintf(p, sizeof(p), "%s/../../../shared/fixtures/plans/%s", here(), name) >=
	    (int)sizeof(p))
		fail_msg("path too long: %s", name);
	return p;
}

static char *own_path(const char *name)
{
	static char p[4096];

	if (snprintf(p, sizeof(p), "%s/../fixtures/plans/%s", here(), name) >= (int)sizeof(p))
		fail_msg("path too long: %s", name);
	return p;
}

/* ---- analysis and checks on its output ---- */

struct result {
	char *src;
	size_t len;
	json_t *out;
};

static void analyze(const char *path, int year, struct result *r)
{
	struct arena *a = arena_new();
	struct derr e = {0};
	int rc;

	r->src = read_file(path, &r->len);
	rc = plan_import_analyze(a, r->src, r->len, year, &r->out, &e);
	if (rc != ZRZ_OK)
		fail_msg("%s: rc %d (%s)", path, rc, e.msg ? e.msg : "");
	arena_free(a);
}

static void release(struct result *r)
{
	json_decref(r->out);
	free(r->src);
}

/*
 * Every object with "start", "end" and "text" is a span: its text must be
 * exactly the input bytes start..end, and its code point offsets must count
 * the code points before them.
 */
static void check_spans(const struct result *r, json_t *j)
{
	if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) check_spans(r, v);
		return;
	}
	if (!json_is_object(j))
		return;
	json_t *s = json_object_get(j, "start"), *e = json_object_get(j, "end");
	json_t *t = json_object_get(j, "text");
	if (json_is_integer(s) && json_is_integer(e) && json_is_string(t)) {
		size_t start = (size_t)json_integer_value(s), end = (size_t)json_integer_value(e);
		size_t cs = (size_t)json_integer_value(json_object_get(j, "char_start"));
		size_t ce = (size_t)json_integer_value(json_object_get(j, "char_end"));
		size_t chars = 0;

		assert_true(start <= end && end <= r->len);
		assert_int_equal(json_string_length(t), end - start);
		assert_memory_equal(json_string_value(t), r->src + start, end - start);
		for (size_t b = 0; b < start; b++)
			chars += ((unsigned char)r->src[b] & 0xc0) != 0x80;
		assert_int_equal(chars, cs);
		for (size_t b = start; b < end; b++)
			chars += ((unsigned char)r->src[b] & 0xc0) != 0x80;
		assert_int_equal(chars, ce);
	}
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v) check_spans(r, v);
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool has(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle) != NULL;
}

static const char *source_text(json_t *o)
{
	return str(json_object_get(o, "source"), "text");
}

/* The obligation of kind/min/period whose source contains quote, or NULL. */
static json_t *find_obligation(json_t *out, const char *kind, int64_t min, const char *period,
			       const char *quote)
{
	size_t i;
	json_t *o;

	json_array_foreach(json_object_get(out, "obligations"), i, o)
	{
		if (same(str(o, "kind"), kind) &&
		    json_integer_value(json_object_get(o, "min")) == min &&
		    same(str(o, "period"), period) && has(source_text(o), quote))
			return o;
	}
	return NULL;
}

/* The titles of the entries of array key ("sections", "problems", …). */
static json_t *titles(json_t *out, const char *key)
{
	json_t *arr = json_array(), *o;
	size_t i;

	json_array_foreach(json_object_get(out, key), i, o)
		json_array_append_new(arr, json_string(str(o, "title")));
	return arr;
}

/* Whether some entry of array key has field `field` containing s. */
static json_t *find_containing(json_t *out, const char *key, const char *field, const char *s)
{
	size_t i;
	json_t *o;

	json_array_foreach(json_object_get(out, key), i, o) if (has(str(o, field), s)) return o;
	return NULL;
}

/* ---- the seed texts against expected.json ---- */

static void check_seed(const char *file, json_t *exp, int year)
{
	struct result r;
	json_t *v, *o;
	size_t i;

	analyze(shared_path(file), year, &r);
	check_spans(&r, r.out);

	if (!same(str(r.out, "type"), str(exp, "type")))
		fail_msg("%s: type %s", file, str(r.out, "type"));

	/* every listed obligation, confirmed, pointing at its quote */
	json_array_foreach(json_object_get(exp, "obligations"), i, v)
	{
		o = find_obligation(r.out, str(v, "kind"), json_integer_value(json_object_get(v, "min")),
				    str(v, "period"), str(v, "quote"));
		if (!o)
			fail_msg("%s: no obligation %s/%lld/%s \"%s\"", file, str(v, "kind"),
				 (long long)json_integer_value(json_object_get(v, "min")),
				 str(v, "period"), str(v, "quote"));
		assert_true(json_is_true(json_object_get(o, "confirmed")));
	}
	/* and nothing else confirmed */
	json_array_foreach(json_object_get(r.out, "obligations"), i, o)
	{
		size_t k;
		bool listed = false;
		if (!json_is_true(json_object_get(o, "confirmed")))
			continue;
		json_array_foreach(json_object_get(exp, "obligations"), k, v)
		{
			if (same(str(o, "kind"), str(v, "kind")) &&
			    json_integer_value(json_object_get(o, "min")) ==
				    json_integer_value(json_object_get(v, "min")) &&
			    same(str(o, "period"), str(v, "period")) &&
			    has(source_text(o), str(v, "quote")))
				listed = true;
		}
		if (!listed)
			fail_msg("%s: unlisted confirmed obligation %s/%lld/%s \"%s\"", file,
				 str(o, "kind"), (long long)json_integer_value(json_object_get(o, "min")),
				 str(o, "period"), source_text(o));
	}
	/* suggestions are never confirmed */
	json_array_foreach(json_object_get(r.out, "suggestions"), i, o)
		assert_true(json_is_false(json_object_get(o, "confirmed")));

	json_t *cexp = json_object_get(exp, "committee");
	if (cexp) {
		json_t *c = json_object_get(r.out, "committee");
		const char *key;
		assert_true(json_is_object(c));
		if (!same(str(c, "name"), str(cexp, "name")))
			fail_msg("%s: committee %s", file, str(c, "name"));
		json_object_foreach(cexp, key, v)
		{
			if (!json_is_array(v))
				continue;
			json_t *got = json_object_get(c, key);
			assert_int_equal(json_array_size(got), json_array_size(v));
			for (size_t p = 0; p < json_array_size(v); p++)
				if (!json_equal(json_array_get(got, p), json_array_get(v, p)))
					fail_msg("%s: %s[%zu] is %s, want %s", file, key, p,
						 json_string_value(json_array_get(got, p)),
						 json_string_value(json_array_get(v, p)));
		}
	}
	json_array_foreach(json_object_get(exp, "dated_activities"), i, v)
	{
		size_t k;
		bool found = false;
		json_array_foreach(json_object_get(r.out, "dated_activities"), k, o)
		{
			if (same(str(o, "name"), str(v, "name")))
			{
				found = true;
				if (!same(str(o, "date"), str(v, "date")))
					fail_msg("%s: %s on %s", file, str(v, "name"), str(o, "date"));
			}
		}
		if (!found)
			fail_msg("%s: no dated activity %s", file, str(v, "name"));
	}
	if ((v = json_object_get(exp, "top_sections"))) {
		json_t *got = titles(r.out, "sections");
		if (!json_equal(got, v))
			fail_msg("%s: top sections %s", file, json_dumps(got, 0));
		json_decref(got);
	}
	if ((v = json_object_get(exp, "numbered_items")))
		assert_int_equal(json_integer_value(json_object_get(json_object_get(r.out, "stats"),
								    "numbered_items")),
				 json_integer_value(v));
	json_array_foreach(json_object_get(exp, "unquantified_suggestions"), i, v)
	{
		o = find_containing(r.out, "suggestions", "text", json_string_value(v));
		if (!o)
			fail_msg("%s: no suggestion \"%s\"", file, json_string_value(v));
		assert_true(has(source_text(o), json_string_value(v)) ||
			    has(str(o, "text"), json_string_value(v)));
	}
	json_array_foreach(json_object_get(exp, "placeholders"), i, v)
		if (!find_containing(r.out, "placeholders", "text", json_string_value(v)))
			fail_msg("%s: no placeholder \"%s\"", file, json_string_value(v));
	if ((v = json_object_get(exp, "problem_sections"))) {
		json_t *got = titles(r.out, "problems");
		if (!json_equal(got, v))
			fail_msg("%s: problems %s", file, json_dumps(got, 0));
		json_decref(got);
	}
	json_array_foreach(json_object_get(exp, "workflow_hints"), i, v)
		if (!find_containing(r.out, "workflow_hints", "text", json_string_value(v)))
			fail_msg("%s: no workflow hint \"%s\"", file, json_string_value(v));
	release(&r);
}

static void test_seed_texts_against_expected_json(void **state)
{
	size_t len;
	char *text;
	json_error_t err;
	json_t *exp, *docs, *doc;
	const char *file;
	int checked = 0;

	(void)state;
	text = read_file(shared_path("expected.json"), &len);
	exp = json_loadb(text, len, 0, &err);
	if (!exp)
		fail_msg("expected.json: %s", err.text);
	docs = json_object_get(exp, "documents");
	json_object_foreach(docs, file, doc)
	{
		check_seed(file, doc, (int)json_integer_value(json_object_get(exp, "year")));
		checked++;
	}
	assert_int_equal(checked, 4);
	json_decref(exp);
	free(text);
}

/* A closer look at what the notes of expected.json describe. */
static void test_seed_structure_details(void **state)
{
	struct result r;
	json_t *secs, *s1, *s2, *items;

	(void)state;
	analyze(shared_path("article1-plan.txt"), 2023, &r);
	secs = json_object_get(r.out, "sections");
	/* ((四)) is (四), marked noisy */
	assert_true(json_is_true(json_object_get(json_array_get(secs, 3), "noisy")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(secs, 3), "value")), 4);
	/* (一) has no item 1 in the text: its first paragraph stands in for it */
	s1 = json_array_get(secs, 0);
	items = json_object_get(s1, "items");
	assert_int_equal(json_array_size(items), 3);
	assert_true(json_is_true(json_object_get(json_array_get(items, 0), "inferred")));
	assert_string_equal(str(json_array_get(items, 1), "number"), "2");
	/* "…不少于12次。2.抓好形势政策教育" is two items */
	s2 = json_array_get(secs, 1);
	items = json_object_get(s2, "items");
	assert_int_equal(json_array_size(items), 3);
	assert_string_equal(str(json_array_get(items, 1), "title"), "抓好形势政策教育");
	assert_true(has(str(json_array_get(items, 0), "text"), "不少于12次。"));
	assert_false(has(str(json_array_get(items, 0), "text"), "形势政策教育"));
	/* broken lines are joined: "结合推进“\n不忘初心\n,牢记使命”" */
	assert_true(has(str(json_array_get(items, 0), "text"), "结合推进“不忘初心，牢记使命”教育活动"));
	release(&r);

	analyze(shared_path("article3-plan.txt"), 2023, &r);
	secs = json_object_get(r.out, "sections");
	assert_int_equal(json_array_size(secs), 9);
	/* the numbering restarts: a second group */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(secs, 5), "group")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(secs, 6), "group")), 2);
	release(&r);

	analyze(shared_path("article4-report.txt"), 2023, &r);
	secs = json_object_get(r.out, "sections");
	assert_int_equal(json_array_size(secs), 12);
	assert_string_equal(str(json_array_get(secs, 4), "role"), "problems");
	assert_string_equal(str(json_array_get(secs, 8), "role"), "measures");
	assert_true(has(str(json_array_get(secs, 4), "lead"), "主要表现为"));
	/* the lead-in is not part of the section before it */
	assert_false(has(str(json_array_get(secs, 3), "text"), "主要表现为"));
	assert_int_equal(json_array_size(json_object_get(r.out, "measures")), 4);
	release(&r);
}

/* ---- our own texts ---- */

struct ob_exp {
	const char *kind; /* NULL: no kind */
	int min;
	const char *period;
	bool confirmed;
	const char *quote;
};

struct date_exp {
	const char *name;
	const char *date;
};

struct fixture {
	const char *file;
	int year;
	const char *type;
	const char *title;          /* NULL: none */
	const char *top[10];        /* top section titles */
	int numbered_items;
	int sections;               /* all sections at any level */
	struct ob_exp obligations[10]; /* all of them, in order */
	const char *committee;      /* name, NULL: none */
	const char *leader[4], *deputies[8], *members[8], *director[4], *deputy_director[4];
	const char *member_descriptions[4];
	struct date_exp dates[8];
	const char *suggestions[6];
	const char *problems[6];
	const char *measures[6];
	const char *placeholders[4];
	const char *hints[6];
};

static const struct fixture fixtures[] = {
	{
		.file = "dangfeng-2024.txt",
		.year = 2024,
		.type = "plan",
		.title = "XX县教育局2024年党风廉政建设工作要点",
		.top = {"落实全面从严治党主体责任", "加强廉洁教育", "强化监督检查"},
		.numbered_items = 0,
		.sections = 10,
		.obligations = {{"committee_study", 2, "year", true, "党组每年至少专题研究党风廉政建设工作2次"},
				{NULL, 1, "half", false, "每半年听取一次纪检组工作汇报"},
				{NULL, 3, "year", false, "全年组织廉政警示教育不少于3次"},
				{"party_lecture", 1, "year", true, "每年讲廉政党课不少于1次"},
				{NULL, 1, "quarter", false, "每季度开展一次作风建设专项检查"},
				{"talk", 2, "year", true, "每年谈心谈话不少于2次"}},
		.committee = "党风廉政建设工作领导小组",
		.leader = {"王志刚"},
		.deputies = {"李红梅", "陈建华"},
		.director = {"刘洋"},
		.member_descriptions = {"各股室负责人"},
		.dates = {{"元旦", "2024-01-01"},
			  {"春节", "2024-02-10"},
			  {"端午", "2024-06-10"},
			  {"中秋", "2024-09-17"},
			  {"国庆", "2024-10-01"}},
		.suggestions = {"定期通报检查结果"},
		.placeholders = {"XX县教育局"},
	},
	{
		.file = "anquan-2025.txt",
		.year = 2025,
		.type = "plan",
		.title = "2025年安全生产工作计划",
		.top = {"工作目标", "组织领导", "重点工作", "保障措施"},
		.numbered_items = 6,
		.sections = 4,
		.obligations = {{NULL, 1, "month", false, "每月开展一次安全隐患排查"},
				{"training", 4, "year", true, "全年组织安全生产培训不少于4次"},
				{NULL, 1, "half", false, "每半年至少组织1次消防应急演练"}},
		.committee = "安全生产工作领导小组",
		.leader = {"周国强"},
		.deputies = {"吴敏", "郑涛"},
		.director = {"钱伟"},
		.member_descriptions = {"各科室主要负责人"},
		.dates = {{"元旦", "2025-01-01"},
			  {"春节", "2025-01-29"},
			  {"清明", "2025-04-04"},
			  {"五一", "2025-05-01"},
			  {"国庆", "2025-10-01"}},
		.suggestions = {"定期召开安全生产例会", "适时开展安全生产专项督查"},
	},
	{
		.file = "school-branch-2024.txt",
		.year = 2024,
		.type = "plan",
		.title = "XX中学党支部2024年“三会一课”工作计划",
		.top = {"严格落实“三会一课”制度", "开展主题党日活动", "抓好谈心谈话"},
		.numbered_items = 4,
		.sections = 3,
		.obligations = {{"branch_assembly", 1, "quarter", true, "支部党员大会每季度召开1次"},
				{"branch_committee", 1, "month", true, "支委会每月召开1次"},
				{"group_meeting", 1, "month", true, "党小组会每月召开1次"},
				{"party_lecture", 1, "quarter", true, "党课每季度至少1次"},
				{"party_lecture", 1, "year", true, "支部书记每年至少讲1次党课"},
				{"theme_day", 1, "month", true, "每月开展一次主题党日活动"},
				{"talk", 1, "year", false, "与每名党员每年谈心谈话不少于1次"}},
		.dates = {{"七一", "2024-07-01"}, {"教师节", "2024-09-10"}, {"国庆", "2024-10-01"}},
		/* 三会一课 is quantified here, so it is no suggestion */
		.suggestions = {"经常性开展谈心谈话"},
		.placeholders = {"XX中学"},
	},
	{
		.file = "fullwidth-2026.txt",
		.year = 2026,
		.type = "plan",
		.title = "二〇二六年宣传思想工作要点",
		.top = {"加强理论武装", "做好宣传报道", "加强阵地管理"},
		.numbered_items = 6,
		.sections = 3,
		.obligations = {{"center_group_study", 12, "year", true, "理论学习中心组全年集中学习不少于１２次"},
				/* an activity of its own, not in the dictionary */
				{NULL, 4, "year", false, "其中专题研讨不少于４次"},
				{"analysis", 1, "quarter", true, "每季度开展一次意识形态形势分析研判"},
				{"publicity", 20, "year", true, "刊发宣传报道不少于２０篇"},
				{"publicity", 2, "month", true, "各科室每月报送信息不少于２篇"},
				{"channel_inspection", 1, "quarter", true, "开展一次阵地检查"},
				{"volunteer", 6, "year", true, "全年开展志愿服务活动不少于６次"}},
	},
	{
		.file = "ordinal-2023.txt",
		.year = 2023,
		.type = "plan",
		.title = "关于做好2023年意识形态工作的安排意见",
		.top = {"压实工作责任", "抓好学习教育", "强化阵地管理", "营造节日氛围"},
		.numbered_items = 2,
		.sections = 4,
		.obligations = {{"center_group_study", 1, "month", true, "党委理论学习中心组每月集中学习1次"},
				{"center_group_study", 12, "year", false, "全年不少于12次"},
				{NULL, 1, "quarter", false, "各支部每季度至少开展一次专题学习"}},
		.dates = {{"元宵", "2023-02-05"}, {"清明", "2023-04-05"}, {"重阳", "2023-10-23"}},
		.hints = {"第一时间报告、第一时间处置", "三审三校", "谁主管谁负责"},
	},
	{
		.file = "outline-2024.txt",
		.year = 2024,
		.type = "plan",
		.title = "意识形态工作责任制实施方案",
		.top = {"总体要求", "主要任务", "保障措施"},
		.numbered_items = 6,
		.sections = 3,
		.obligations = {{"committee_study", 1, "half", true, "党委每半年至少专题研究一次意识形态工作"},
				{"analysis", 1, "quarter", true, "每季度开展一次意识形态领域形势分析研判"},
				{"party_lecture", 1, "year", true, "每年到联系点讲党课不少于1次"}},
	},
	{
		.file = "gb-spacing-2023.txt",
		.year = 2023,
		.type = "plan",
		.title = "关于印发《2023年意识形态工作要点》的通知",
		.top = {"加强组织领导", "落实学习制度", "做好节日宣传"},
		.numbered_items = 0,
		.sections = 5,
		.obligations = {{"center_group_study", 12, "year", true, "每年集中学习不少于 12 次"},
				{"special_meeting", 2, "year", true, "每年至少召开 2 次意识形态工作专题会议"}},
		.committee = "意识形态工作领导小组",
		.leader = {"何明"},
		.deputies = {"叶敏", "李国斌"},
		.members = {"张伟", "王芳", "赵强"},
		.director = {"刘洋"},
		.dates = {{"三八", "2023-03-08"}, {"五四", "2023-05-04"}, {"八一", "2023-08-01"}},
	},
	{
		.file = "report-2023.txt",
		.year = 2023,
		.type = "report",
		.title = "XX局2023年度意识形态工作情况报告",
		.top = {"主要工作开展情况", "存在问题", "下一步打算"},
		.numbered_items = 0,
		.sections = 7,
		/* what was done ("全年召开专题会议4次") is no requirement; a practice is */
		.obligations = {{"channel_inspection", 1, "month", true, "坚持每月开展一次阵地检查"}},
		.suggestions = {"定期组织宣传干部业务培训"},
		.problems = {"理论学习的深度还不够", "网络阵地管理力量薄弱", "舆情应对能力有待提升"},
		.measures = {"深化理论武装", "加强队伍建设"},
		.placeholders = {"XX局"},
	},
	{
		.file = "crlf-2024.txt",
		.year = 2024,
		.type = "plan",
		.title = "2024年网络意识形态工作要点",
		.top = {"健全工作机制", "加强队伍建设"},
		.numbered_items = 2,
		.sections = 2,
		.obligations = {{"special_meeting", 1, "quarter", true, "每季度召开一次网络意识形态工作专题会议"},
				{"channel_inspection", 1, "week", true, "每周检查一次各类网络阵地"},
				{"training", 2, "year", true, "全年组织网评员培训不少于2次"}},
		.dates = {{"七夕", "2024-08-10"}, {"中秋", "2024-09-17"}},
	},
	{
		.file = "no-numbering-2025.txt",
		.year = 2025,
		.type = "plan",
		.numbered_items = 0,
		.sections = 0,
		.obligations = {{"special_meeting", 2, "year", true, "党委每年至少召开两次意识形态工作专题会议"},
				{"center_group_study", 12, "year", true, "理论学习中心组每年集中学习不少于十二次"},
				{"analysis", 1, "quarter", true, "每季度开展一次意识形态领域形势分析研判"}},
		.dates = {{"春节", "2025-01-29"},
			  {"元宵", "2025-02-12"},
			  {"端午", "2025-05-31"},
			  {"中秋", "2025-10-06"}},
		.suggestions = {"定期开展意识形态阵地巡查", "适时组织网络舆情应对演练"},
	},
	{
		.file = "weekly-halfyear-2026.txt",
		.year = 2026,
		.type = "plan",
		.title = "2026年机关党支部学习教育安排",
		.top = {"学习制度", "信息宣传", "其他"},
		.numbered_items = 0,
		.sections = 8,
		.obligations = {{NULL, 1, "week", false, "每周至少1次"},
				{"branch_assembly", 1, "half", true, "每半年召开一次支部党员大会"},
				{"analysis", 1, "half", true, "每半年开展一次意识形态工作研判"},
				{"publicity", 2, "week", true, "每周在单位公众号推送学习信息不少于2篇"},
				/* every two months: six a year, for a person to confirm */
				{"volunteer", 6, "year", false, "每两个月组织一次志愿服务活动"}},
		.dates = {{"端午", "2026-06-19"}, {"中秋", "2026-09-25"}, {"重阳", "2026-10-18"}},
	},
	{
		.file = "noisy-restart-2024.txt",
		.year = 2024,
		.type = "plan",
		.top = {"加强组织领导", "强化督促检查", "严格责任追究", "加强组织保障", "加强经费保障"},
		.numbered_items = 3,
		.sections = 5,
		.obligations = {{NULL, 1, "month", false, "每月报送一次工作进展"},
				{NULL, 1, "quarter", false, "每季度开展一次督导检查"}},
		.hints = {"责任追究"},
	},
	{
		.file = "street-2024.txt",
		.year = 2024,
		.type = "plan",
		.title = "XX街道党工委2024年意识形态工作要点",
		.top = {"强化责任落实", "加强阵地管理", "丰富群众文化", "加强队伍建设"},
		.numbered_items = 11,
		.sections = 4,
		.obligations = {{"committee_study", 1, "quarter", true, "党工委每季度至少研究一次意识形态工作"},
				{NULL, 1, "half", false, "每半年向区委宣传部报告一次工作情况"},
				{"party_lecture", 1, "year", true, "每年至少讲一次专题党课"},
				{"analysis", 1, "quarter", true, "每季度召开一次意识形态形势分析会"},
				{"channel_inspection", 1, "month", true, "微信群进行一次巡查"},
				{"channel_inspection", 2, "year", true, "阵地专项检查不少于2次"},
				{"volunteer", 10, "year", true, "全年组织志愿服务活动不少于10场"},
				{"volunteer", 2, "year", false, "每名党员每年参加志愿服务不少于2次"},
				{"training", 2, "year", true, "每年组织意识形态工作专题培训不少于2期"}},
		/* a heading and "role：" lines, with titles in brackets */
		.committee = "意识形态工作领导小组",
		.leader = {"张国华"},
		.deputies = {"王丽", "陈刚"},
		.members = {"李明", "赵雪", "孙浩"},
		.director = {"周静"},
		.dates = {{"元旦", "2024-01-01"},
			  {"春节", "2024-02-10"},
			  {"清明", "2024-04-04"},
			  {"端午", "2024-06-10"},
			  {"七一", "2024-07-01"},
			  {"国庆", "2024-10-01"},
			  {"重阳", "2024-10-11"}},
		.suggestions = {"定期开展网评员业务交流"},
		.placeholders = {"XX街道"},
		.hints = {"三审三校"},
	},
	{
		.file = "college-parts-2025.txt",
		.year = 2025,
		.type = "plan",
		.title = "学院党委2025年意识形态工作计划",
		.top = {"总体要求", "重点任务", "工作要求"},
		.numbered_items = 4,
		.sections = 5,
		/* a semester is roughly a half year: for a person to confirm */
		.obligations = {{"center_group_study", 6, "half", false, "每学期集中学习不少于6次"},
				{"theme_day", 1, "month", true, "各党支部每月开展1次主题党日活动"},
				{"party_lecture", 1, "quarter", true, "每季度上1次党课"},
				{NULL, 1, "half", false, "每学期开展一次教材和讲座论坛审查"}},
		.suggestions = {"定期报送工作进展"},
	},
};

#define LIST_LEN(a) list_len((a), ZRZ_ARRAY_LEN(a))

static size_t list_len(const char *const *a, size_t cap)
{
	size_t n = 0;

	while (n < cap && a[n])
		n++;
	return n;
}

static void check_list(const char *file, const char *what, json_t *got, const char *const *want,
		       size_t n)
{
	if (json_array_size(got) != n)
		fail_msg("%s: %s has %zu entries, want %zu (%s)", file, what, json_array_size(got), n,
			 json_dumps(got, 0));
	for (size_t i = 0; i < n; i++)
		if (!same(json_string_value(json_array_get(got, i)), want[i]))
			fail_msg("%s: %s[%zu] is %s, want %s", file, what, i,
				 json_string_value(json_array_get(got, i)), want[i]);
}

static void check_contains_all(const char *file, json_t *out, const char *key, const char *field,
			       const char *const *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!find_containing(out, key, field, want[i]))
			fail_msg("%s: no %s with \"%s\"", file, key, want[i]);
}

static void check_fixture(const struct fixture *f)
{
	struct result r;
	json_t *out, *obs, *got;
	size_t nob = 0;

	analyze(own_path(f->file), f->year, &r);
	out = r.out;
	check_spans(&r, out);
	if (!same(str(out, "type"), f->type))
		fail_msg("%s: type %s", f->file, str(out, "type"));
	if (!same(str(out, "title"), f->title))
		fail_msg("%s: title %s", f->file, str(out, "title"));

	got = titles(out, "sections");
	check_list(f->file, "top sections", got, f->top, LIST_LEN(f->top));
	json_decref(got);
	json_t *stats = json_object_get(out, "stats");
	assert_int_equal(json_integer_value(json_object_get(stats, "numbered_items")),
			 f->numbered_items);
	assert_int_equal(json_integer_value(json_object_get(stats, "sections")), f->sections);

	/* the complete list of obligations */
	while (nob < ZRZ_ARRAY_LEN(f->obligations) && f->obligations[nob].period)
		nob++;
	obs = json_object_get(out, "obligations");
	if (json_array_size(obs) != nob)
		fail_msg("%s: %zu obligations, want %zu: %s", f->file, json_array_size(obs), nob,
			 json_dumps(obs, JSON_INDENT(1)));
	for (size_t i = 0; i < nob; i++) {
		const struct ob_exp *e = &f->obligations[i];
		json_t *o = json_array_get(obs, i);
		if (!same(str(o, "kind"), e->kind) ||
		    json_integer_value(json_object_get(o, "min")) != e->min ||
		    !same(str(o, "period"), e->period) || !has(source_text(o), e->quote) ||
		    json_is_true(json_object_get(o, "confirmed")) != e->confirmed)
			fail_msg("%s: obligation %zu is %s", f->file, i, json_dumps(o, 0));
		double c = json_real_value(json_object_get(o, "confidence"));
		assert_true(c > 0 && c <= 1);
	}

	json_t *cm = json_object_get(out, "committee");
	if (!f->committee) {
		assert_true(json_is_null(cm));
	} else {
		assert_true(json_is_object(cm));
		if (!same(str(cm, "name"), f->committee))
			fail_msg("%s: committee %s", f->file, str(cm, "name"));
		check_list(f->file, "leader", json_object_get(cm, "leader"), f->leader,
			   LIST_LEN(f->leader));
		check_list(f->file, "deputy_leaders", json_object_get(cm, "deputy_leaders"),
			   f->deputies, LIST_LEN(f->deputies));
		check_list(f->file, "members", json_object_get(cm, "members"), f->members,
			   LIST_LEN(f->members));
		check_list(f->file, "office_director", json_object_get(cm, "office_director"),
			   f->director, LIST_LEN(f->director));
		check_list(f->file, "office_deputy_director",
			   json_object_get(cm, "office_deputy_director"), f->deputy_director,
			   LIST_LEN(f->deputy_director));
		check_list(f->file, "member_descriptions",
			   json_object_get(cm, "member_descriptions"), f->member_descriptions,
			   LIST_LEN(f->member_descriptions));
	}

	json_t *dates = json_object_get(out, "dated_activities");
	size_t nd = 0;
	while (nd < ZRZ_ARRAY_LEN(f->dates) && f->dates[nd].name)
		nd++;
	if (json_array_size(dates) != nd)
		fail_msg("%s: %zu dated activities, want %zu", f->file, json_array_size(dates), nd);
	for (size_t i = 0; i < nd; i++) {
		json_t *o = json_array_get(dates, i);
		if (!same(str(o, "name"), f->dates[i].name) || !same(str(o, "date"), f->dates[i].date))
			fail_msg("%s: dated activity %zu is %s %s", f->file, i, str(o, "name"),
				 str(o, "date"));
	}

	assert_int_equal(json_array_size(json_object_get(out, "suggestions")),
			 LIST_LEN(f->suggestions));
	check_contains_all(f->file, out, "suggestions", "text", f->suggestions,
			   LIST_LEN(f->suggestions));
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(out, "suggestions"), i, o)
		assert_true(json_is_false(json_object_get(o, "confirmed")));

	got = titles(out, "problems");
	check_list(f->file, "problems", got, f->problems, LIST_LEN(f->problems));
	json_decref(got);
	got = titles(out, "measures");
	check_list(f->file, "measures", got, f->measures, LIST_LEN(f->measures));
	json_decref(got);
	assert_int_equal(json_array_size(json_object_get(out, "placeholders")),
			 LIST_LEN(f->placeholders));
	check_contains_all(f->file, out, "placeholders", "text", f->placeholders,
			   LIST_LEN(f->placeholders));
	assert_int_equal(json_array_size(json_object_get(out, "workflow_hints")), LIST_LEN(f->hints));
	check_contains_all(f->file, out, "workflow_hints", "text", f->hints, LIST_LEN(f->hints));
	release(&r);
}

static void test_own_texts(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZRZ_ARRAY_LEN(fixtures); i++)
		check_fixture(&fixtures[i]);
}

static void test_own_text_details(void **state)
{
	struct result r;
	json_t *secs, *items;

	(void)state;
	/* CRLF: offsets count the \r bytes; the broken line is joined in the item */
	analyze(own_path("crlf-2024.txt"), 2024, &r);
	items = json_object_get(json_array_get(json_object_get(r.out, "sections"), 0), "items");
	assert_int_equal(json_array_size(items), 2);
	assert_true(has(str(json_array_get(items, 0), "text"), "分析研判网络舆情形势。"));
	assert_true(has(source_text(json_array_get(items, 0)), "舆情\r\n形势"));
	release(&r);

	/* outline numbering: "1." are sections, "1.1" their items */
	analyze(own_path("outline-2024.txt"), 2024, &r);
	secs = json_object_get(r.out, "sections");
	items = json_object_get(json_array_get(secs, 1), "items");
	assert_int_equal(json_array_size(items), 3);
	assert_string_equal(str(json_array_get(items, 2), "number"), "2.3");
	release(&r);

	/* sub-items (1)(2) nest under item 1 */
	analyze(own_path("anquan-2025.txt"), 2025, &r);
	items = json_object_get(json_array_get(json_object_get(r.out, "sections"), 2), "items");
	assert_int_equal(json_array_size(items), 4);
	assert_int_equal(json_array_size(json_object_get(json_array_get(items, 0), "items")), 2);
	release(&r);

	/* noisy first heading, a section starting at item 2, a restart after a heading line */
	analyze(own_path("noisy-restart-2024.txt"), 2024, &r);
	secs = json_object_get(r.out, "sections");
	assert_true(json_is_true(json_object_get(json_array_get(secs, 0), "noisy")));
	items = json_object_get(json_array_get(secs, 0), "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(str(json_array_get(items, 0), "number"), "2");
	assert_false(json_is_true(json_object_get(json_array_get(items, 0), "inferred")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(secs, 3), "group")), 2);
	assert_string_equal(str(json_array_get(secs, 3), "lead"), "保障措施");
	release(&r);

	/* 第一部分 > 一、 > （1） */
	analyze(own_path("college-parts-2025.txt"), 2025, &r);
	secs = json_object_get(r.out, "sections");
	assert_string_equal(str(json_array_get(secs, 1), "style"), "part");
	json_t *sub = json_array_get(json_object_get(json_array_get(secs, 1), "sections"), 0);
	assert_string_equal(str(sub, "title"), "抓好理论武装");
	assert_int_equal(json_integer_value(json_object_get(sub, "level")), 2);
	assert_int_equal(json_array_size(json_object_get(sub, "items")), 2);
	release(&r);

	/* three-meetings template offered where 三会一课 has no numbers */
	analyze(shared_path("article3-plan.txt"), 2023, &r);
	json_t *s = find_containing(r.out, "suggestions", "text", "三会一课");
	assert_non_null(s);
	assert_int_equal(json_array_size(json_object_get(s, "template")), 4);
	release(&r);
}

/* ---- small texts ---- */

static json_t *run(const char *text, int year)
{
	struct arena *a = arena_new();
	struct derr e = {0};
	json_t *out = NULL;
	int rc = plan_import_analyze(a, text, strlen(text), year, &out, &e);

	arena_free(a);
	if (rc != ZRZ_OK)
		fail_msg("rc %d for %s", rc, text);
	return out;
}

static void test_numbers_that_are_not_entries(void **state)
{
	json_t *out;

	(void)state;
	out = run("一、总体要求\n全年投入1.5万元。\n二、主要任务\n1.做好第一时间处置工作。\n"
		  "2.十九大精神学习。\n2023年完成。",
		  2023);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(out, "stats"),
							    "sections")),
			 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(out, "stats"),
							    "items")),
			 2);
	json_decref(out);
}

static void test_what_is_not_an_obligation(void **state)
{
	json_t *out;

	(void)state;
	/* an upper bound, a one-off, an account of the past, a percentage */
	out = run("每月会议不超过2次。召开一次全体会议。去年开展了3次专题会议。"
		  "参训率不低于95%。第一次会议在三月召开。",
		  2023);
	assert_int_equal(json_array_size(json_object_get(out, "obligations")), 0);
	json_decref(out);
	/* 五四精神 is no festival, 政治清明 is no 清明, 十五一 no 五一 */
	out = run("弘扬五四精神，营造政治清明的环境，二十五一线。", 2023);
	assert_int_equal(json_array_size(json_object_get(out, "dated_activities")), 0);
	json_decref(out);
}

static void test_bom_and_offsets(void **state)
{
	const char *text = "\xef\xbb\xbf一、要求\n每年至少召开2次专题会议。";
	json_t *out = run(text, 2024), *o;

	(void)state;
	o = json_array_get(json_object_get(out, "obligations"), 0);
	assert_non_null(o);
	json_t *src = json_object_get(o, "source");
	size_t start = (size_t)json_integer_value(json_object_get(src, "start"));
	size_t end = (size_t)json_integer_value(json_object_get(src, "end"));
	assert_memory_equal(text + start, "每年至少召开2次专题会议", end - start);
	assert_int_equal(end - start, strlen("每年至少召开2次专题会议"));
	json_decref(out);
}

static void test_refusals(void **state)
{
	struct arena *a = arena_new();
	struct derr e = {0};
	json_t *out = NULL;
	size_t big = PLAN_IMPORT_MAX_BYTES + 1;
	char *huge = malloc(big);

	(void)state;
	assert_int_equal(plan_import_analyze(a, "", 0, 2024, &out, &e), ZRZ_EINVAL);
	assert_string_equal(e.field, "text");
	assert_non_null(e.msg);
	assert_null(out);
	assert_int_equal(plan_import_analyze(a, NULL, 0, 2024, &out, &e), ZRZ_EINVAL);
	assert_int_equal(plan_import_analyze(a, " \n\t\r\n　", strlen(" \n\t\r\n　"), 2024, &out, &e),
			 ZRZ_EINVAL);
	assert_int_equal(plan_import_analyze(a, "\xff\xfe", 2, 2024, &out, &e), ZRZ_EINVAL);
	assert_string_equal(e.field, "text");
	assert_int_equal(plan_import_analyze(a, "a\0b", 3, 2024, &out, &e), ZRZ_EINVAL);
	assert_int_equal(plan_import_analyze(a, "\xe4\xb8", 2, 2024, &out, &e), ZRZ_EINVAL);
	assert_int_equal(plan_import_analyze(a, "要点", strlen("要点"), 1899, &out, &e),
			 ZRZ_EINVAL);
	assert_string_equal(e.field, "year");
	assert_int_equal(plan_import_analyze(a, "要点", strlen("要点"), 2100, &out, &e),
			 ZRZ_EINVAL);
	assert_non_null(huge);
	memset(huge, 'a', big);
	assert_int_equal(plan_import_analyze(a, huge, big, 2024, &out, &e), ZRZ_ETOOBIG);
	assert_null(out);
	free(huge);
	arena_free(a);
}

/* The largest text accepted, made of real plan text, is analysed whole. */
static void test_largest_text(void **state)
{
	struct result seed;
	size_t len, cap = PLAN_IMPORT_MAX_BYTES;
	char *text = malloc(cap);
	struct arena *a = arena_new();
	struct derr e = {0};
	json_t *out = NULL;

	(void)state;
	seed.src = read_file(shared_path("article1-plan.txt"), &seed.len);
	for (len = 0; len + seed.len + 1 <= cap; len += seed.len + 1) {
		memcpy(text + len, seed.src, seed.len);
		text[len + seed.len] = '\n';
	}
	assert_int_equal(plan_import_analyze(a, text, len, 2023, &out, &e), ZRZ_OK);
	/* every copy's obligations are found, up to the bound */
	size_t want = 2 * (len / (seed.len + 1));
	if (want > PLAN_IMPORT_MAX_EXTRACTS)
		want = PLAN_IMPORT_MAX_EXTRACTS;
	assert_int_equal(json_array_size(json_object_get(out, "obligations")), want);
	assert_int_equal(json_array_size(json_object_get(out, "sections")), 6 * (len / (seed.len + 1)));
	json_decref(out);
	arena_free(a);
	free(seed.src);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_texts_against_expected_json),
		cmocka_unit_test(test_seed_structure_details),
		cmocka_unit_test(test_own_texts),
		cmocka_unit_test(test_own_text_details),
		cmocka_unit_test(test_numbers_that_are_not_entries),
		cmocka_unit_test(test_what_is_not_an_obligation),
		cmocka_unit_test(test_bom_and_offsets),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_largest_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for report/approval_form.h: a form of three stages (two
 * signed) with a long body is one valid A4 page whose text (read back with
 * pdftotext from poppler-utils) holds the heading, the unit, the stages,
 * the signers, their opinions and the cut body's length; nstages outside
 * 1..3 is refused; very long texts wrap and stay on the page.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <unistd.h>

#include "core/str.h"
#include "report/approval_form.h"

/*
 * Complete stacks for every allocation, so that tests/lsan.supp can name
 * the library functions whose own leaks it suppresses (cairo and
 * fontconfig have no frame pointers for the fast unwinder).  Options from
 * ASAN_OPTIONS still win.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

static const struct approval_stage three[] = {
    {"初审", "办公室", "王晓明", "2026-11-28 09:15", "内容属实，同意报复审。"},
    {"复审", "分管领导", "李建国", "2026-11-28 15:40", "同意发布，请注意图片署名。"},
    {"终审", "党委书记", NULL, NULL, NULL},
};

static const char *const files[] = {"活动照片.png", "主题党日活动方案.docx"};

static struct approval_form sample(struct buf *body)
{
	struct approval_form f = {
	    .org_name = "某某市财政局机关党委",
	    .title = "我局开展主题党日活动",
	    .channel = "某某财政微信公众号",
	    .author = "赵文",
	    .submitted_at = "2026-11-27 17:02",
	    .sensitive = true,
	    .revision = 3,
	    .state = "终审中",
	    .published_url = NULL,
	    .published_at = NULL,
	    .attachments = files,
	    .nattachments = 2,
	    .body = body->data,
	    .stages = three,
	    .nstages = 3,
	    .printed_at = "2026-11-30 08:04",
	};
	return f;
}

/* The PDF behind fd (size bytes) saved to a file; its path is returned. */
static char *save(int fd, uint64_t size, struct buf *pdf)
{
	pdf->len = 0;
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_append(pdf, chunk, (size_t)n);
	assert_int_equal(pdf->len, size);
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/zrz-form-test-XXXXXX");
	int out = mkstemp(path);
	assert_true(out >= 0);
	assert_int_equal(write(out, pdf->data, pdf->len), (ssize_t)pdf->len);
	close(out);
	return path;
}

/* The standard output of a command, which must succeed. */
static void run(const char *cmd, struct buf *out)
{
	out->len = 0;
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(out, chunk, n);
	assert_int_equal(pclose(p), 0);
	buf_append(out, "", 1);
}

static void check_pdf(const struct buf *pdf)
{
	assert_true(pdf->len > 1000);
	assert_true(pdf->len < 4 * 1024 * 1024);
	assert_memory_equal(pdf->data, "%PDF-1.", 7);
	/* The trailer: %%EOF within the last bytes. */
	size_t tail = pdf->len > 32 ? pdf->len - 32 : 0;
	bool eof = false;
	for (size_t i = tail; i + 5 <= pdf->len; i++)
		if (!memcmp(pdf->data + i, "%%EOF", 5))
			eof = true;
	assert_true(eof);
}

static void has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("「%s」 is not in the form's text:\n%s", needle, text);
}

/* pdftotext's text of the form at path, with line breaks and spaces taken
 * out so that a wrapped text reads as one. */
static void form_text(const char *path, struct buf *text)
{
	char cmd[160];
	struct buf raw = BUF_INIT;
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 %s -", path);
	run(cmd, &raw);
	text->len = 0;
	for (size_t i = 0; raw.data[i]; i++)
		if (raw.data[i] != '\n' && raw.data[i] != ' ' && raw.data[i] != '\f')
			buf_append(text, raw.data + i, 1);
	buf_append(text, "", 1);
	buf_release(&raw);
}

/* Every word of the form but the footer ends above the bottom margin
 * (841.89 - 60 points from the top): however long the texts, the table
 * fits the page. */
static void check_above_footer(const char *path)
{
	char cmd[160];
	struct buf raw = BUF_INIT;
	snprintf(cmd, sizeof(cmd), "pdftotext -bbox -enc UTF-8 %s -", path);
	run(cmd, &raw);
	double footer_y = -1, lowest = 0;
	int words = 0;
	for (const char *p = raw.data; (p = strstr(p, "<word ")); p++) {
		double x0, y0, x1, y1;
		assert_int_equal(sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"",
					&x0, &y0, &x1, &y1),
				 4);
		const char *text = strchr(p, '>') + 1;
		if (!strncmp(text, "打印时间", strlen("打印时间")))
			footer_y = y0;
		else if (footer_y < 0 || y0 < footer_y - 1)
			lowest = y1 > lowest ? y1 : lowest;
		words++;
	}
	assert_true(words > 10);
	assert_true(footer_y > 0);
	if (lowest > 841.89 - 60 + 1)
		fail_msg("the table ends %.1f points from the top, past the margin", lowest);
	buf_release(&raw);
}

static void check_one_page(const char *path)
{
	char cmd[160];
	struct buf info = BUF_INIT;
	snprintf(cmd, sizeof(cmd), "pdfinfo %s", path);
	run(cmd, &info);
	has(info.data, "Pages:           1\n");
	has(info.data, "595.28 x 841.89 pts (A4)");
	buf_release(&info);
}

static void test_three_stages_long_body(void **state)
{
	(void)state;
	struct buf body = BUF_INIT, pdf = BUF_INIT, text = BUF_INIT;
	/* 40 paragraphs of 60 characters: far more than a page holds. */
	for (int i = 0; i < 40; i++)
		buf_puts(&body, "十一月二十六日，局机关党委组织全体党员赴革命纪念馆开展主题党日活动"
				"，重温入党誓词，"
				"接受党性教育。\n");
	long chars = (long)utf8_count(body.data, body.len) - 40; /* less the newlines */
	struct approval_form f = sample(&body);
	int fd = -1;
	uint64_t size = 0;
	assert_int_equal(approval_form_pdf(&f, &fd, &size), ZRZ_OK);
	assert_true(fd >= 0);
	char *path = save(fd, size, &pdf);
	close(fd);
	check_pdf(&pdf);
	check_one_page(path);
	check_above_footer(path);

	form_text(path, &text);
	has(text.data, "宣传信息发布审签单");
	has(text.data, "某某市财政局机关党委");
	has(text.data, "我局开展主题党日活动");
	has(text.data, "某某财政微信公众号");
	has(text.data, "赵文");
	has(text.data, "敏感");
	has(text.data, "第3版");
	has(text.data, "终审中");
	has(text.data, "初审");
	has(text.data, "复审");
	has(text.data, "终审");
	has(text.data, "办公室");
	has(text.data, "分管领导");
	has(text.data, "党委书记");
	has(text.data, "王晓明");
	has(text.data, "李建国");
	has(text.data, "2026-11-2809:15");
	has(text.data, "内容属实，同意报复审。");
	has(text.data, "同意发布，请注意图片署名。");
	has(text.data, "十一月二十六日，局机关党委组织全体党员");
	has(text.data, "附件");
	has(text.data, "1.活动照片.png");
	has(text.data, "2.主题党日活动方案.docx");
	char cut[64];
	snprintf(cut, sizeof(cut), "……（正文共%ld字）", chars);
	has(text.data, cut);
	has(text.data, "打印时间：2026-11-3008:04");
	/* The body is cut: more than one paragraph shows, not all forty. */
	int paragraphs = 0;
	for (const char *p = text.data; (p = strstr(p, "接受党性教育")); p++)
		paragraphs++;
	assert_true(paragraphs > 1);
	assert_true(paragraphs < 40);
	unlink(path);
	buf_release(&body);
	buf_release(&pdf);
	buf_release(&text);
}

static void test_short_body_not_cut(void **state)
{
	(void)state;
	struct buf body = BUF_INIT, pdf = BUF_INIT, text = BUF_INIT;
	buf_puts(&body, "简短的正文。");
	struct approval_form f = sample(&body);
	f.nstages = 2;
	f.sensitive = false;
	f.published_url = "https://example.org/news/1";
	f.published_at = "2026-11-29 10:00";
	f.state = "已发布";
	f.nattachments = 0;
	int fd = -1;
	uint64_t size = 0;
	assert_int_equal(approval_form_pdf(&f, &fd, &size), ZRZ_OK);
	char *path = save(fd, size, &pdf);
	close(fd);
	check_pdf(&pdf);
	form_text(path, &text);
	has(text.data, "简短的正文。");
	has(text.data, "普通");
	has(text.data, "https://example.org/news/1");
	has(text.data, "附件无");
	assert_null(strstr(text.data, "活动照片"));
	assert_null(strstr(text.data, "正文共"));
	assert_null(strstr(text.data, "终审"));
	unlink(path);
	buf_release(&body);
	buf_release(&pdf);
	buf_release(&text);
}

static void test_nstages_refused(void **state)
{
	(void)state;
	struct buf body = BUF_INIT;
	buf_puts(&body, "正文");
	struct approval_form f = sample(&body);
	int fd = 12345;
	uint64_t size = 99;
	f.nstages = 0;
	assert_int_equal(approval_form_pdf(&f, &fd, &size), ZRZ_EINVAL);
	assert_int_equal(fd, -1);
	assert_int_equal(size, 0);
	f.nstages = 4;
	assert_int_equal(approval_form_pdf(&f, &fd, &size), ZRZ_EINVAL);
	f.nstages = -1;
	assert_int_equal(approval_form_pdf(&f, &fd, &size), ZRZ_EINVAL);
	buf_release(&body);
}

static void test_long_texts_wrap(void **state)
{
	(void)state;
	struct buf title = BUF_INIT, opinion = BUF_INIT, pdf = BUF_INIT, text = BUF_INIT;
	for (int i = 0; i < 200; i++)
		buf_puts(&title, "关于进一步加强和改进新时代宣传思想工作的");
	for (int i = 0; i < 300; i++)
		buf_puts(&opinion, "请核实文中数据并补充图片来源");
	/* A word with no place to break it, and NULL texts everywhere. */
	struct buf word = BUF_INIT;
	for (int i = 0; i < 500; i++)
		buf_puts(&word, "abcdefghij");
	struct approval_stage stages[3] = {
	    {"初审", "办公室", "王晓明", "2026-11-28 09:15", opinion.data},
	    {"复审", "分管领导", title.data, "2026-11-28 15:40", word.data},
	    {"终审", "党委书记", "张三", NULL, NULL},
	};
	struct approval_form f = {
	    .org_name = title.data,
	    .title = title.data,
	    .channel = title.data,
	    .author = word.data,
	    .revision = 1,
	    .published_url = word.data,
	    .body = word.data,
	    .stages = stages,
	    .nstages = 3,
	};
	int fd = -1;
	uint64_t size = 0;
	assert_int_equal(approval_form_pdf(&f, &fd, &size), ZRZ_OK);
	char *path = save(fd, size, &pdf);
	close(fd);
	check_pdf(&pdf);
	check_one_page(path);
	check_above_footer(path);
	form_text(path, &text);
	has(text.data, "关于进一步加强和改进新时代");
	has(text.data, "请核实文中数据并补充图片来源");
	has(text.data, "…");
	has(text.data, "张三");
	has(text.data, "（未填写意见）");
	unlink(path);

	/* Bytes that are not UTF-8 are drawn as replacement characters. */
	f.title = "坏\xff\xfe字节";
	assert_int_equal(approval_form_pdf(&f, &fd, &size), ZRZ_OK);
	path = save(fd, size, &pdf);
	close(fd);
	check_pdf(&pdf);
	unlink(path);
	buf_release(&title);
	buf_release(&opinion);
	buf_release(&word);
	buf_release(&pdf);
	buf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_three_stages_long_body),
	    cmocka_unit_test(test_short_body_not_cut),
	    cmocka_unit_test(test_nstages_refused),
	    cmocka_unit_test(test_long_texts_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

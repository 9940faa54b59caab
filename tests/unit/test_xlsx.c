/*
 * Unit tests for the .xlsx table writer in report/xlsx.h: display widths
 * (CJK counts two, lines, caps, broken UTF-8), that an anonymous table
 * hands over an open file whose name is gone, that a table with a
 * destination appears there only when closed, that a discarded one leaves
 * nothing, and the limits on columns and cells per row.  The contents of
 * the sheet are checked by tests/api/test_export.py, which opens the files.
 */
#include "core/common.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "report/xlsx.h"

static const struct xlsx_column cols[] = {
	{"序号", XLSX_INT, 0},
	{"标题", XLSX_TEXT, 20},
	{"日期", XLSX_DATE, 0},
	{"完成情况", XLSX_STATUS, 0},
};

static char dir[64];

static int entries(void)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/zrz-xlsx-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	setenv("TMPDIR", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(xlsx_text_width("", 50), 0);
	assert_int_equal(xlsx_text_width(NULL, 50), 0);
	assert_int_equal(xlsx_text_width("abc", 50), 3);
	assert_int_equal(xlsx_text_width("第一中学", 50), 8);
	assert_int_equal(xlsx_text_width("A组（一）", 50), 9);
	assert_int_equal(xlsx_text_width("短\n长一些的一行\nab", 50), 12);
	assert_int_equal(xlsx_text_width("理论学习中心组学习", 10), 10);
	assert_int_equal(xlsx_text_width("a\xff\xfe" "b", 50), 4);
	assert_int_equal(xlsx_text_width("\xe4\xb8", 50), 2); /* truncated: two bytes */
}

static void write_rows(struct xlsx_table *t, int n)
{
	for (int i = 0; i < n; i++) {
		xlsx_int(t, i + 1);
		xlsx_text(t, i % 2 ? "学习贯彻\n会议精神" : "a\x01" "b\xff");
		xlsx_date(t, i % 3 ? "2026-03-05" : "not a date");
		xlsx_status(t, (enum pacing_status)(i % PACING_STATUS_COUNT));
		assert_int_equal(xlsx_row_end(t), ZRZ_OK);
	}
	assert_int_equal(xlsx_rows(t), n);
}

static void test_anonymous(void **state)
{
	(void)state;
	struct xlsx_table *t;
	assert_int_equal(xlsx_open(NULL, "标题", "副标题", cols, 4, &t), ZRZ_OK);
	write_rows(t, 1000);
	int fd;
	uint64_t size;
	assert_int_equal(xlsx_close(t, &fd, &size), ZRZ_OK);
	assert_true(fd >= 0);
	assert_int_equal(entries(), 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal((uint64_t)st.st_size, size);
	assert_int_equal(st.st_nlink, 0);
	char magic[2];
	assert_int_equal(read(fd, magic, 2), 2);
	assert_memory_equal(magic, "PK", 2);
	close(fd);
}

static void test_dest(void **state)
{
	(void)state;
	char dest[128];
	snprintf(dest, sizeof(dest), "%s/台账.xlsx", dir);
	struct xlsx_table *t;
	assert_int_equal(xlsx_open(dest, "标题", NULL, cols, 4, &t), ZRZ_OK);
	write_rows(t, 10);
	/* Only a temporary name exists while writing. */
	struct stat st;
	assert_int_equal(stat(dest, &st), -1);
	assert_int_equal(entries(), 1);
	assert_int_equal(xlsx_close(t, NULL, NULL), ZRZ_OK);
	assert_int_equal(stat(dest, &st), 0);
	assert_true(st.st_size > 0);
	assert_int_equal(entries(), 1);
	assert_int_equal(unlink(dest), 0);
}

static void test_discard(void **state)
{
	(void)state;
	char dest[128];
	snprintf(dest, sizeof(dest), "%s/x.xlsx", dir);
	struct xlsx_table *t;
	assert_int_equal(xlsx_open(dest, "标题", NULL, cols, 4, &t), ZRZ_OK);
	write_rows(t, 5);
	xlsx_discard(t);
	assert_int_equal(entries(), 0);
	assert_int_equal(xlsx_open(NULL, "标题", NULL, cols, 4, &t), ZRZ_OK);
	xlsx_discard(t);
	assert_int_equal(entries(), 0);
	xlsx_discard(NULL);
}

static void test_limits(void **state)
{
	(void)state;
	struct xlsx_table *t = NULL;
	assert_int_equal(xlsx_open(NULL, "x", NULL, cols, 0, &t), ZRZ_EINVAL);
	assert_null(t);
	assert_int_equal(xlsx_open(NULL, "x", NULL, cols, XLSX_COLUMNS_MAX + 1, &t), ZRZ_EINVAL);
	assert_int_equal(entries(), 0);
	/* A fifth cell in a row of four columns. */
	assert_int_equal(xlsx_open(NULL, "x", NULL, cols, 4, &t), ZRZ_OK);
	for (int i = 0; i < 5; i++)
		xlsx_int(t, i);
	assert_int_equal(xlsx_row_end(t), ZRZ_EINVAL);
	int fd;
	assert_int_equal(xlsx_close(t, &fd, NULL), ZRZ_EINVAL);
	assert_int_equal(fd, -1);
	assert_int_equal(entries(), 0);
	/* A short row is filled with blanks. */
	assert_int_equal(xlsx_open(NULL, "x", NULL, cols, 4, &t), ZRZ_OK);
	xlsx_int(t, 1);
	assert_int_equal(xlsx_row_end(t), ZRZ_OK);
	assert_int_equal(xlsx_close(t, &fd, NULL), ZRZ_OK);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_anonymous),
		cmocka_unit_test(test_dest),
		cmocka_unit_test(test_discard),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

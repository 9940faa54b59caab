/*
 * Unit tests for the .xlsx table writer in report/xlsx.h: display widths
 * (CJK counts two, lines, caps, broken UTF-8), that an anonymous table
 * hands over an open file whose name is gone, that a table with a
 * destination appears there only when closed, that a discarded one leaves
 * nothing, and the limits on columns and cells per row.  The contents of
 * the sheet are checked by tests/api/test_export.py, which opens the files;
 * here only what the API's small tables do not reach: a table of many
 * batches, written on the second thread, has every row in order, one
 * given up while that thread runs leaves nothing, and the file is packed
 * at the level xlsx.c asks minizip for.
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
#include <zip.h>

#include "report/xlsx.h"
#include "report/xlsx_zip.h"

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

/* Rows numbered 1..n, each with its own text, many batches' worth. */
static void write_numbered(struct xlsx_table *t, int n)
{
	char text[64];
	for (int i = 1; i <= n; i++) {
		xlsx_int(t, i);
		snprintf(text, sizeof(text), i % 1000 ? "第%d行" : "第%d行\x01", i);
		xlsx_text(t, text);
		xlsx_date(t, "2026-03-05");
		xlsx_status(t, PACING_MET);
		assert_int_equal(xlsx_row_end(t), ZRZ_OK);
	}
}

/* The sheet's XML of the file at path, NUL-terminated. */
static char *sheet_xml(const char *path)
{
	int err;
	zip_t *za = zip_open(path, ZIP_RDONLY, &err);
	assert_non_null(za);
	zip_stat_t st;
	assert_int_equal(zip_stat(za, "xl/worksheets/sheet1.xml", 0, &st), 0);
	char *xml = malloc(st.size + 1);
	assert_non_null(xml);
	zip_file_t *f = zip_fopen(za, "xl/worksheets/sheet1.xml", 0);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, xml, st.size), (zip_int64_t)st.size);
	xml[st.size] = '\0';
	zip_fclose(f);
	zip_close(za);
	return xml;
}

/* needle in [from, to), or NULL. */
static const char *find(const char *from, const char *to, const char *needle)
{
	return memmem(from, (size_t)(to - from), needle, strlen(needle));
}

static void test_batches(void **state)
{
	(void)state;
	enum { ROWS = 20000 }; /* 80,000 cells: several batches */
	char dest[128];
	snprintf(dest, sizeof(dest), "%s/大表.xlsx", dir);
	struct xlsx_table *t;
	assert_int_equal(xlsx_open(dest, "标题", "副标题", cols, 4, &t), ZRZ_OK);
	write_numbered(t, ROWS);
	assert_int_equal(xlsx_rows(t), ROWS);
	assert_int_equal(xlsx_close(t, NULL, NULL), ZRZ_OK);
	char *xml = sheet_xml(dest);
	const char *p = xml, *stop = xml + strlen(xml);
	/* Every data row in order with its own number and text, the control
	 * character of every thousandth replaced.  (memmem with the length
	 * left: the sanitizer's strstr would measure the whole sheet each
	 * time.) */
	char want[96];
	for (int i = 1; i <= ROWS; i++) {
		snprintf(want, sizeof(want), "<row r=\"%d\"", i + 3);
		const char *row = find(p, stop, want);
		assert_non_null(row);
		const char *end = find(row, stop, "</row>");
		assert_non_null(end);
		snprintf(want, sizeof(want), "<v>%d</v>", i);
		assert_non_null(find(row, end, want));
		snprintf(want, sizeof(want),
			 i % 1000 ? "<t>第%d行</t>" : "<t xml:space=\"preserve\">第%d行 </t>", i);
		assert_non_null(find(row, end, want));
		p = end;
	}
	assert_null(find(p, stop, "<row "));
	free(xml);
	assert_int_equal(unlink(dest), 0);
	assert_int_equal(entries(), 0);
}

static void test_discard_while_writing(void **state)
{
	(void)state;
	char dest[128];
	snprintf(dest, sizeof(dest), "%s/x.xlsx", dir);
	struct xlsx_table *t;
	assert_int_equal(xlsx_open(dest, "标题", NULL, cols, 4, &t), ZRZ_OK);
	write_numbered(t, 20000);
	xlsx_discard(t);
	assert_int_equal(entries(), 0);
}

/* The general-purpose flags of the zip member called name in the file at
 * path, from its local header. */
static unsigned member_flags(const char *path, const char *name)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static unsigned char data[1 << 20];
	size_t n = fread(data, 1, sizeof(data), f);
	fclose(f);
	size_t len = strlen(name);
	for (size_t i = 0; i + 30 + len <= n; i++) {
		if (memcmp(data + i, "PK\x03\x04", 4) || data[i + 26] + 256u * data[i + 27] != len ||
		    memcmp(data + i + 30, name, len))
			continue;
		return data[i + 6] + 256u * data[i + 7];
	}
	fail_msg("no member %s", name);
	return 0;
}

static void test_zip_level(void **state)
{
	(void)state;
	char dest[128];
	snprintf(dest, sizeof(dest), "%s/级别.xlsx", dir);
	long before = xlsx_zip_members_leveled();
	struct xlsx_table *t;
	assert_int_equal(xlsx_open(dest, "标题", NULL, cols, 4, &t), ZRZ_OK);
	write_rows(t, 100);
	assert_int_equal(xlsx_close(t, NULL, NULL), ZRZ_OK);
	/* Every member went through zerenzhi's level; minizip marks level 1
	 * in bits 1 and 2 of the flags ("super fast"). */
	assert_true(xlsx_zip_members_leveled() > before);
	assert_int_equal(member_flags(dest, "xl/worksheets/sheet1.xml") & 6u, 6u);
	assert_int_equal(member_flags(dest, "[Content_Types].xml") & 6u, 6u);
	free(sheet_xml(dest));
	assert_int_equal(unlink(dest), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_anonymous),
		cmocka_unit_test(test_dest),
		cmocka_unit_test(test_discard),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_discard_while_writing),
		cmocka_unit_test(test_zip_level),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

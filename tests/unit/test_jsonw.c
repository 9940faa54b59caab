/*
 * Unit tests for core/jsonw.h, the JSON writer of the ledger list, and for
 * the list's rows written with it (domain/ledger.h): strings escape what
 * jansson escapes and nothing else (quotes, backslashes, every control
 * character, non-BMP characters kept as UTF-8), ill-formed UTF-8 becomes
 * U+FFFD byte by byte, integers cover int64, a capped buffer stops with an
 * error; a record written with ledger_record_write() is the JSON that
 * ledger_record_json() builds, for stored participants and absentees in the
 * stored form (copied) and in any other (read back as jansson reads them).
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/jsonw.h"
#include "domain/ledger.h"

/* What jw_strn writes for s[0..n), NUL-terminated (caller frees). */
static char *written(const char *s, size_t n)
{
	struct jw w = JW_INIT;
	jw_strn(&w, s, n);
	assert_int_equal(w.err, 0);
	return buf_detach(&w.b, NULL);
}

#define assert_writes(lit, want)                                                                   \
	do {                                                                                       \
		char *got_ = written((lit), sizeof(lit) - 1);                                      \
		assert_string_equal(got_, (want));                                                 \
		free(got_);                                                                        \
	} while (0)

/* jansson's own serialization of the string s[0..n). */
static char *jansson_dump(const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	assert_non_null(j);
	char *d = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(j);
	assert_non_null(d);
	return d;
}

static void test_plain_and_quotes(void **state)
{
	(void)state;
	assert_writes("", "\"\"");
	assert_writes("abc", "\"abc\"");
	assert_writes("a\"b", "\"a\\\"b\"");
	assert_writes("\\", "\"\\\\\"");
	assert_writes("\"\\\"", "\"\\\"\\\\\\\"\"");
	assert_writes("a/b", "\"a/b\"");
	assert_writes("\x7f", "\"\x7f\"");
}

static void test_control_characters(void **state)
{
	(void)state;
	assert_writes("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	assert_writes("\x01", "\"\\u0001\"");
	assert_writes("\x1f", "\"\\u001F\"");
	assert_writes("x\x00y", "\"x\\u0000y\"");
	/* Every byte below 0x80 alone, against jansson. */
	for (int c = 0; c < 0x80; c++) {
		char s[3] = {'a', (char)c, 'b'};
		char *mine = written(s, 3);
		char *theirs = jansson_dump(s, 3);
		assert_string_equal(mine, theirs);
		free(mine);
		free(theirs);
	}
}

static void test_non_ascii_kept(void **state)
{
	(void)state;
	assert_writes("党委中心组学习", "\"党委中心组学习\"");
	/* U+1F600 and U+20000: four-byte characters stay as they are. */
	assert_writes("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	assert_writes("\xf0\xa0\x80\x80x", "\"\xf0\xa0\x80\x80x\"");
	/* Edges of each form: U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF. */
	static const char edges[] = "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80"
				    "\xf4\x8f\xbf\xbf";
	char *mine = written(edges, sizeof(edges) - 1);
	char *theirs = jansson_dump(edges, sizeof(edges) - 1);
	assert_string_equal(mine, theirs);
	free(mine);
	free(theirs);
	/* U+2028 is valid JSON as it is; jansson keeps it too. */
	assert_writes("\xe2\x80\xa8", "\"\xe2\x80\xa8\"");
}

#define FFFD "\xef\xbf\xbd"

static void test_invalid_utf8_replaced(void **state)
{
	(void)state;
	assert_writes("a\xff"
		      "b",
		      "\"a" FFFD "b\"");
	assert_writes("\x80", "\"" FFFD "\"");
	/* Overlong "/", a surrogate, above U+10FFFF: each byte replaced. */
	assert_writes("\xc0\xaf", "\"" FFFD FFFD "\"");
	assert_writes("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"");
	assert_writes("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
	/* Truncated at the end and before an ASCII byte. */
	assert_writes("\xe4\xb8", "\"" FFFD FFFD "\"");
	assert_writes("\xe4\xb8\"", "\"" FFFD FFFD "\\\"\"");
	/* The answer always parses. */
	static const char junk[] = "\xfe\xc3\x28\xe2\x28\xa1\xf0\x28\x8c\x28\"\\\x01";
	char *mine = written(junk, sizeof(junk) - 1);
	json_t *j = json_loads(mine, JSON_DECODE_ANY, NULL);
	assert_non_null(j);
	json_decref(j);
	free(mine);
}

static void test_str_null_and_int(void **state)
{
	(void)state;
	struct jw w = JW_INIT;
	jw_str(&w, NULL);
	jw_raw(&w, ",", 1);
	jw_int(&w, 0);
	jw_lit(&w, ",");
	jw_int(&w, -1);
	jw_lit(&w, ",");
	jw_int(&w, INT64_MAX);
	jw_lit(&w, ",");
	jw_int(&w, INT64_MIN);
	jw_lit(&w, ",");
	jw_int(&w, 1234567890);
	assert_int_equal(w.err, 0);
	assert_string_equal(w.b.data, "null,0,-1,9223372036854775807,-9223372036854775808,"
				      "1234567890");
	jw_release(&w);
}

static void test_cap_sticks(void **state)
{
	(void)state;
	struct jw w = JW_INIT;
	w.b.cap = 8;
	jw_reserve(&w, 64); /* over the cap: nothing allocated */
	jw_lit(&w, "12345");
	assert_int_equal(w.err, 0);
	jw_lit(&w, "6789");
	assert_int_equal(w.err, ZRZ_ETOOBIG);
	jw_lit(&w, "0"); /* would fit, but the error sticks */
	assert_int_equal(w.err, ZRZ_ETOOBIG);
	assert_string_equal(w.b.data, "12345");
	jw_release(&w);
}

static void test_reserve_then_grow(void **state)
{
	(void)state;
	struct jw w = JW_INIT;
	jw_reserve(&w, 4);
	for (int i = 0; i < 1000; i++)
		jw_str(&w, "材料");
	assert_int_equal(w.err, 0);
	assert_int_equal(w.b.len, 1000 * 8);
	jw_release(&w);
}

static void test_stored_forms(void **state)
{
	(void)state;
	assert_true(ledger_stored_participants("[]"));
	assert_true(ledger_stored_participants("[\"张三\"]"));
	assert_true(ledger_stored_participants("[\"张三\",\"李\\\"四\",\"a\\u001Fb\"]"));
	assert_false(ledger_stored_participants(""));
	assert_false(ledger_stored_participants("["));
	assert_false(ledger_stored_participants("[\"a\" ,\"b\"]"));
	assert_false(ledger_stored_participants("[\"a\",]"));
	assert_false(ledger_stored_participants("[\"a\"]x"));
	assert_false(ledger_stored_participants("[1]"));
	assert_false(ledger_stored_participants("[\"a\nb\"]"));
	assert_false(ledger_stored_participants("[\"\\u0000\"]"));
	assert_false(ledger_stored_participants("[\"\\ud83d\\ude00\"]"));
	assert_false(ledger_stored_participants("[\"\\x\"]"));
	assert_false(ledger_stored_participants("[\"\xff\"]"));
	assert_false(ledger_stored_participants("[\"abc"));
	assert_false(ledger_stored_participants("{\"a\":1}"));
	assert_true(ledger_stored_absentees("[]"));
	assert_true(ledger_stored_absentees("[{\"name\":\"王五\",\"reason\":null},"
					    "{\"name\":\"赵六\",\"reason\":\"出差\"}]"));
	assert_false(ledger_stored_absentees("[\"王五\"]"));
	assert_false(ledger_stored_absentees("[{\"reason\":null,\"name\":\"王五\"}]"));
	assert_false(ledger_stored_absentees("[{\"name\":\"王五\"}]"));
	assert_false(ledger_stored_absentees("[{\"name\":\"王五\",\"reason\":nul}]"));
	assert_false(ledger_stored_absentees("[{\"name\":\"王五\",\"reason\":1}]"));
	assert_false(ledger_stored_absentees("[{\"name\":\"王五\",\"reason\":null}"));
}

/* ledger_record_write(rec) parses to ledger_record_json(rec); when same_bytes,
 * it is also byte for byte what json_dumps writes. */
static void check_record(const struct record *rec, bool same_bytes)
{
	struct jw w = JW_INIT;
	ledger_record_write(&w, rec);
	assert_int_equal(w.err, 0);
	json_error_t err;
	json_t *mine = json_loads(w.b.data, 0, &err);
	if (!mine)
		fail_msg("not JSON (%s): %s", err.text, w.b.data);
	json_t *theirs = ledger_record_json(rec);
	if (!json_equal(mine, theirs)) {
		char *t = json_dumps(theirs, JSON_COMPACT);
		fail_msg("differ:\n%s\n%s", w.b.data, t);
	}
	if (same_bytes) {
		char *t = json_dumps(theirs, JSON_COMPACT);
		assert_string_equal(w.b.data, t);
		free(t);
	}
	json_decref(mine);
	json_decref(theirs);
	jw_release(&w);
}

static void test_record_as_jansson(void **state)
{
	(void)state;
	struct record r = {
	    .id = 104023,
	    .org_id = 688,
	    .kind = "branch_assembly",
	    .kind_name = "支部党员大会",
	    .date = "2026-12-30",
	    .title = "党员大会暨专题学习（12月）",
	    .place = "三楼会议室",
	    .host = "吴平",
	    .participants = "[\"吴平\",\"袁勇伟\"]",
	    .expected = 58,
	    .attended = 57,
	    .absentees = "[{\"name\":\"余兰\",\"reason\":\"病假\"},{\"name\":\"梁丽红\","
			 "\"reason\":null}]",
	    .agenda = "一、传达\n二、研究",
	    .minutes = "引号\"、反斜杠\\、制表\t、\x01 与 😀",
	    .resolutions = NULL,
	    .created_by = 690,
	    .created_at = 1798600211,
	    .updated_at = 1798600299,
	    .deleted_at = 0,
	    .version = 3,
	    .attachments = 2,
	};
	check_record(&r, true);
	/* Every optional field empty, deleted. */
	struct record e = {.id = 1,
			   .org_id = 2,
			   .kind = "special_meeting",
			   .kind_name = NULL,
			   .date = "2000-01-01",
			   .title = "t",
			   .participants = "[]",
			   .expected = -1,
			   .attended = -1,
			   .absentees = "[]",
			   .created_by = 0,
			   .created_at = 946656000,
			   .updated_at = 946656000,
			   .deleted_at = 946742400,
			   .version = 2};
	check_record(&e, true);
	/* NULL arrays are [] in both. */
	e.participants = NULL;
	e.absentees = NULL;
	check_record(&e, true);
}

static void test_record_other_stored_forms(void **state)
{
	(void)state;
	struct record r = {.id = 7,
			   .org_id = 3,
			   .kind = "k",
			   .kind_name = "名",
			   .date = "2026-01-01",
			   .title = "t",
			   .expected = 0,
			   .attended = 0,
			   .created_at = 1,
			   .updated_at = 1,
			   .version = 1};
	/* Spaces, another key order, escapes jansson would not write: read and
	 * written again. */
	r.participants = "[\"a\", \"b\"]";
	r.absentees = "[{\"reason\": \"事假\", \"name\": \"c\"}]";
	check_record(&r, true);
	r.participants = "[\"\\u5f20\\/\\ud83d\\ude00\"]";
	check_record(&r, true);
	/* Not JSON at all: [] as before. */
	r.participants = "not json";
	r.absentees = "[{\"name\":";
	check_record(&r, true);
	/* Copied as stored: \/ stays, the value is the same. */
	r.participants = "[\"a\\/b\",\"\\u5F20\"]";
	r.absentees = "[]";
	check_record(&r, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_and_quotes),
	    cmocka_unit_test(test_control_characters),
	    cmocka_unit_test(test_non_ascii_kept),
	    cmocka_unit_test(test_invalid_utf8_replaced),
	    cmocka_unit_test(test_str_null_and_int),
	    cmocka_unit_test(test_cap_sticks),
	    cmocka_unit_test(test_reserve_then_grow),
	    cmocka_unit_test(test_stored_forms),
	    cmocka_unit_test(test_record_as_jansson),
	    cmocka_unit_test(test_record_other_stored_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

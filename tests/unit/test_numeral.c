/*
 * Unit tests for domain/numeral.h: Arabic and full-width digits, Chinese
 * numerals with and without units, 两 and the financial forms, positional
 * years, where a numeral ends, what is refused, and the family flags.
 */
#include "core/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/numeral.h"

/* Parse lit with NUMERAL_ANY; expects success with value v over len bytes. */
static void check(const char *lit, int64_t v, size_t len)
{
	int64_t got = -1;
	size_t l = 0;
	int rc = numeral_parse(lit, strlen(lit), NUMERAL_ANY, &got, &l);

	if (rc != ZRZ_OK || got != v || l != len)
		fail_msg("%s: rc %d value %lld len %zu, want %lld len %zu", lit, rc, (long long)got,
			 l, (long long)v, len);
}

static void refused(const char *lit, enum numeral_flags flags)
{
	int64_t got = -1;
	size_t l = 0;

	if (numeral_parse(lit, strlen(lit), flags, &got, &l) != ZRZ_EINVAL)
		fail_msg("%s: accepted as %lld", lit, (long long)got);
}

static void test_arabic(void **state)
{
	(void)state;
	check("0", 0, 1);
	check("7", 7, 1);
	check("12次", 12, 2);
	check("2023年", 2023, 4);
	check("007", 7, 3);
	check("999999999999", INT64_C(999999999999), 12);
	check("3.5", 3, 1); /* the dot is not part of the numeral */
}

static void test_fullwidth_digits(void **state)
{
	(void)state;
	check("１２次", 12, 6);
	check("０", 0, 3);
	check("２０２３年", 2023, 12);
	check("1２", 12, 4); /* ASCII and full-width digits may mix */
}

static void test_chinese_digits(void **state)
{
	(void)state;
	check("一", 1, 3);
	check("一次", 1, 3);
	check("二", 2, 3);
	check("两次", 2, 3);
	check("三", 3, 3);
	check("九篇", 9, 3);
	check("零", 0, 3);
	check("〇", 0, 3);
}

static void test_chinese_tens(void **state)
{
	(void)state;
	check("十", 10, 3);
	check("十次", 10, 3);
	check("十一", 11, 6);
	check("十二", 12, 6);
	check("十二次", 12, 6);
	check("二十", 20, 6);
	check("二十四", 24, 9);
	check("二十四节气", 24, 9);
	check("九十九", 99, 9);
	check("两个", 2, 3);
}

static void test_chinese_units(void **state)
{
	(void)state;
	check("一百", 100, 6);
	check("一百零五", 105, 12);
	check("一百一十", 110, 12);
	check("一百二十三", 123, 15);
	check("两百", 200, 6);
	check("三千", 3000, 6);
	check("一千零二十", 1020, 15);
	check("一千二百三十四", 1234, 21);
	check("一万", 10000, 6);
	check("十万", 100000, 6);
	check("十二万三千", 123000, 15);
	check("两万五千", 25000, 12);
}

static void test_chinese_spoken_abbreviation(void **state)
{
	(void)state;
	check("三百五", 350, 9);
	check("一万二", 12000, 9);
	check("一千五", 1500, 9);
}

static void test_financial_forms(void **state)
{
	(void)state;
	check("壹", 1, 3);
	check("贰拾", 20, 6);
	check("叁佰伍拾", 350, 12);
	check("壹仟零捌", 1008, 12);
}

static void test_positional(void **state)
{
	(void)state;
	check("二〇二三", 2023, 12);
	check("二〇二三年", 2023, 12);
	check("二零二四", 2024, 12);
	check("一九四九", 1949, 12);
	check("二〇", 20, 6);
}

static void test_two_bare_digits_are_an_approximation(void **state)
{
	(void)state;
	/* 三四次: three or four times; only the first digit is a number */
	check("三四次", 3, 3);
	check("一两次", 1, 3);
}

static void test_longest_well_formed_prefix(void **state)
{
	(void)state;
	check("十一五", 11, 6);
	check("二十三四", 23, 9);
	check("一百十", 100, 6);
}

static void test_refusals(void **state)
{
	(void)state;
	refused("", NUMERAL_ANY);
	refused("次", NUMERAL_ANY);
	refused("abc", NUMERAL_ANY);
	refused("万", NUMERAL_ANY);
	refused("百", NUMERAL_ANY);
	refused("-1", NUMERAL_ANY);
	refused("1000000000000", NUMERAL_ANY); /* above NUMERAL_MAX */
	refused("12", NUMERAL_CHINESE);
	refused("十二", NUMERAL_ARABIC);
	refused("１", NUMERAL_CHINESE);
	assert_int_equal(numeral_parse(NULL, 0, NUMERAL_ANY, &(int64_t){0}, &(size_t){0}),
			 ZRZ_EINVAL);
}

static void test_bounded_by_n(void **state)
{
	int64_t v;
	size_t l;

	(void)state;
	/* Only the first n bytes are looked at: "十二" cut after 十. */
	assert_int_equal(numeral_parse("十二", 3, NUMERAL_ANY, &v, &l), ZRZ_OK);
	assert_int_equal(v, 10);
	assert_int_equal(l, 3);
	/* A cut in the middle of a character reads nothing of it. */
	assert_int_equal(numeral_parse("十二", 4, NUMERAL_ANY, &v, &l), ZRZ_OK);
	assert_int_equal(v, 10);
	assert_int_equal(numeral_parse("123", 2, NUMERAL_ANY, &v, &l), ZRZ_OK);
	assert_int_equal(v, 12);
}

static void test_char_value(void **state)
{
	(void)state;
	assert_int_equal(numeral_char_value('5'), 5);
	assert_int_equal(numeral_char_value(0xff19), 9);  /* ９ */
	assert_int_equal(numeral_char_value(0x4e24), 2);  /* 两 */
	assert_int_equal(numeral_char_value(0x5341), 10); /* 十 */
	assert_int_equal(numeral_char_value(0x4e07), 10000);
	assert_int_equal(numeral_char_value(0x6b21), -1); /* 次 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arabic),
		cmocka_unit_test(test_fullwidth_digits),
		cmocka_unit_test(test_chinese_digits),
		cmocka_unit_test(test_chinese_tens),
		cmocka_unit_test(test_chinese_units),
		cmocka_unit_test(test_chinese_spoken_abbreviation),
		cmocka_unit_test(test_financial_forms),
		cmocka_unit_test(test_positional),
		cmocka_unit_test(test_two_bare_digits_are_an_approximation),
		cmocka_unit_test(test_longest_well_formed_prefix),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_bounded_by_n),
		cmocka_unit_test(test_char_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

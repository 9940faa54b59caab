/*
 * Numerals as Chinese plans write them: Arabic digits (ASCII or full-width
 * ０-９), Chinese numerals with units (一 二 两 三 … 十 十二 二十四 一百零五
 * 三千 两万), positional Chinese digits (二〇二三), and the financial forms
 * (壹 贰 叁 … 拾 佰 仟).  The plan importer uses these to read "不少于12次",
 * "不少于一次", numbering like "（十二）" and "第三".
 */
#ifndef ZRZ_DOMAIN_NUMERAL_H
#define ZRZ_DOMAIN_NUMERAL_H

#include <stddef.h>
#include <stdint.h>

/* Which forms numeral_parse accepts. */
enum numeral_flags {
	NUMERAL_ARABIC = 1 << 0,  /* 0-9 and ０-９ */
	NUMERAL_CHINESE = 1 << 1, /* 一 … 十 百 千 万, 〇/零, 两, 壹 … 拾 */
	NUMERAL_ANY = NUMERAL_ARABIC | NUMERAL_CHINESE,
};

/* The largest value numeral_parse returns; longer numerals are refused. */
#define NUMERAL_MAX INT64_C(999999999999)

/*
 * Read the numeral that starts at s[0] (s holds n bytes of UTF-8).  On
 * success *value gets its value and *len the number of bytes it spans, and
 * the result is ZRZ_OK.  The numeral is the longest run of numeral
 * characters of one family (Arabic or Chinese, never mixed): "12次" gives
 * 12 over 2 bytes, "二十四节气" gives 24 over 9 bytes.  A Chinese run that
 * stops being a well-formed number ends where it still was one ("十一五"
 * gives 11); two bare digits ("三四次", three or four times) give only the
 * first, since they are an approximation.
 *
 * Returns ZRZ_EINVAL when s does not start with a numeral of an accepted
 * family, or when the value would exceed NUMERAL_MAX.
 */
int numeral_parse(const char *s, size_t n, enum numeral_flags flags, int64_t *value,
		  size_t *len);

/*
 * The value of one numeral character (a code point): 0-9 for the Arabic
 * and Chinese digits, 10, 100, 1000, 10000 for 十 百 千 万 (and 拾 佰 仟),
 * -1 for anything else.
 */
int numeral_char_value(uint32_t cp);

#endif

/*
 * Numeral parsing for the plan importer.  Arabic runs are read digit by
 * digit (ASCII and full-width digits may mix).  Chinese runs are read in
 * two ways: with units (十 百 千 within a section, 万 and 亿 closing a
 * section) the usual way, with 零 bridging gaps and the spoken
 * abbreviation "三百五" (= 350) understood; without units and with three or
 * more digits, or a 〇/零 among them, positionally ("二〇二三" = 2023).  Two
 * bare digits ("三四次", three or four times) are an approximation, not a
 * number, so only the first digit is read.  A run that stops being
 * well-formed ends at the last character that still made sense ("十一五"
 * reads 十一).
 */
#include "core/common.h"

#include "domain/numeral.h"

/* Decode one code point of valid UTF-8 at s[0..n); 0 bytes at the end. */
static uint32_t next_cp(const char *s, size_t n, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;

	if (n == 0) {
		*len = 0;
		return 0;
	}
	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0 && n >= 2) {
		*len = 2;
		return ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
	}
	if ((p[0] & 0xf0) == 0xe0 && n >= 3) {
		*len = 3;
		return ((uint32_t)(p[0] & 0x0f) << 12) | ((uint32_t)(p[1] & 0x3f) << 6) |
		       (p[2] & 0x3f);
	}
	if ((p[0] & 0xf8) == 0xf0 && n >= 4) {
		*len = 4;
		return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3f) << 12) |
		       ((uint32_t)(p[2] & 0x3f) << 6) | (p[3] & 0x3f);
	}
	*len = 1; /* not valid UTF-8: step over one byte */
	return 0xfffd;
}

static int arabic_digit(uint32_t cp)
{
	if (cp >= '0' && cp <= '9')
		return (int)(cp - '0');
	if (cp >= 0xff10 && cp <= 0xff19) /* ０-９ */
		return (int)(cp - 0xff10);
	return -1;
}

static int chinese_value(uint32_t cp)
{
	switch (cp) {
	case 0x96f6: /* 零 */
	case 0x3007: /* 〇 */
		return 0;
	case 0x4e00: /* 一 */
	case 0x58f9: /* 壹 */
		return 1;
	case 0x4e8c: /* 二 */
	case 0x8d30: /* 贰 */
	case 0x4e24: /* 两 */
		return 2;
	case 0x4e09: /* 三 */
	case 0x53c1: /* 叁 */
		return 3;
	case 0x56db: /* 四 */
	case 0x8086: /* 肆 */
		return 4;
	case 0x4e94: /* 五 */
	case 0x4f0d: /* 伍 */
		return 5;
	case 0x516d: /* 六 */
	case 0x9646: /* 陆 */
		return 6;
	case 0x4e03: /* 七 */
	case 0x67d2: /* 柒 */
		return 7;
	case 0x516b: /* 八 */
	case 0x634c: /* 捌 */
		return 8;
	case 0x4e5d: /* 九 */
	case 0x7396: /* 玖 */
		return 9;
	case 0x5341: /* 十 */
	case 0x62fe: /* 拾 */
		return 10;
	case 0x767e: /* 百 */
	case 0x4f70: /* 佰 */
		return 100;
	case 0x5343: /* 千 */
	case 0x4edf: /* 仟 */
		return 1000;
	case 0x4e07: /* 万 */
	case 0x842c: /* 萬 */
		return 10000;
	default:
		return -1;
	}
}

int numeral_char_value(uint32_t cp)
{
	int v = arabic_digit(cp);

	return v >= 0 ? v : chinese_value(cp);
}

static bool is_zero_char(uint32_t cp)
{
	return cp == 0x96f6 || cp == 0x3007;
}

static int parse_arabic(const char *s, size_t n, int64_t *value, size_t *len)
{
	size_t pos = 0;
	int64_t v = 0;
	int digits = 0;

	for (;;) {
		size_t l;
		uint32_t cp = next_cp(s + pos, n - pos, &l);
		int d = l ? arabic_digit(cp) : -1;

		if (d < 0)
			break;
		if (v > (NUMERAL_MAX - d) / 10)
			return ZRZ_EINVAL;
		v = v * 10 + d;
		digits++;
		pos += l;
	}
	if (digits == 0)
		return ZRZ_EINVAL;
	*value = v;
	*len = pos;
	return ZRZ_OK;
}

/* Up to this many characters of one Chinese run are looked at. */
#define RUN_MAX 32

static int parse_chinese(const char *s, size_t n, int64_t *value, size_t *len)
{
	int vals[RUN_MAX];
	size_t ends[RUN_MAX]; /* byte offset after each character */
	int count = 0, units = 0, zeros = 0;
	size_t pos = 0;

	while (count < RUN_MAX) {
		size_t l;
		uint32_t cp = next_cp(s + pos, n - pos, &l);
		int v = l ? chinese_value(cp) : -1;

		if (v < 0)
			break;
		pos += l;
		vals[count] = v;
		ends[count] = pos;
		if (v >= 10)
			units++;
		if (is_zero_char(cp))
			zeros++;
		count++;
	}
	if (count == 0)
		return ZRZ_EINVAL;

	if (units == 0) {
		/* Positional digits, or a lone digit, or "三四" (read the first). */
		if (count == 1 || (count == 2 && zeros == 0)) {
			*value = vals[0];
			*len = ends[0];
			return ZRZ_OK;
		}
		int64_t v = 0;
		for (int i = 0; i < count; i++) {
			if (v > (NUMERAL_MAX - vals[i]) / 10)
				return ZRZ_EINVAL;
			v = v * 10 + vals[i];
		}
		*value = v;
		*len = ends[count - 1];
		return ZRZ_OK;
	}

	/*
	 * With units: total collects closed 万/亿 sections, section the part
	 * below 万, pending the digit waiting for its unit.  last_unit is the
	 * unit just read (0 after a digit or 零), section_unit the smallest unit
	 * used so far in this section, so that units must decrease.
	 */
	int64_t total = 0, section = 0;
	int pending = -1, last_unit = 0, section_unit = 100000, big_unit = 100000000;
	bool after_zero = false;
	int used = 0; /* characters that made sense */

	for (int i = 0; i < count; i++) {
		int v = vals[i];

		if (v == 0) {
			if (pending >= 0)
				break; /* "二零" inside a unit number */
			after_zero = true;
			last_unit = 0;
			used = i + 1;
			continue;
		}
		if (v < 10) {
			if (pending >= 0)
				break; /* two digits in a row */
			pending = v;
			used = i + 1;
			continue;
		}
		if (v < 10000) {
			if (v >= section_unit)
				break; /* units must decrease: "十百" */
			if (pending < 0) {
				/* "十二": a bare 十 counts one ten; others need a digit */
				if (v != 10 || last_unit != 0 || (section != 0 && !after_zero))
					break;
				pending = 1;
			}
			section += (int64_t)pending * v;
			pending = -1;
			section_unit = v;
			last_unit = v;
			after_zero = false;
			used = i + 1;
			continue;
		}
		/* 万 closes a section */
		if (v >= big_unit)
			break;
		if (pending >= 0)
			section += pending;
		if (section == 0)
			break; /* "万" alone */
		if (total > (NUMERAL_MAX - section * v) || section > NUMERAL_MAX / v)
			return ZRZ_EINVAL;
		total += section * v;
		section = 0;
		pending = -1;
		section_unit = 10000;
		big_unit = v;
		last_unit = v;
		after_zero = false;
		used = i + 1;
	}
	if (used == 0)
		return ZRZ_EINVAL;

	/* Recompute over the characters that made sense. */
	if (used < count) {
		int64_t vv;
		size_t ll;
		/* Parse the prefix on its own; it is well-formed by construction. */
		int rc = parse_chinese(s, ends[used - 1], &vv, &ll);
		if (rc == ZRZ_OK) {
			*value = vv;
			*len = ll;
		}
		return rc;
	}
	if (pending >= 0) {
		/* "三百五" = 350, "一万二" = 12000: a trailing digit after a big unit */
		if (last_unit >= 100 && !after_zero)
			section += (int64_t)pending * (last_unit / 10 > 0 ? last_unit / 10 : 1);
		else
			section += pending;
	}
	total += section;
	if (total > NUMERAL_MAX)
		return ZRZ_EINVAL;
	*value = total;
	*len = ends[count - 1];
	return ZRZ_OK;
}

int numeral_parse(const char *s, size_t n, enum numeral_flags flags, int64_t *value,
		  size_t *len)
{
	size_t l;
	uint32_t cp;

	if (!s || n == 0)
		return ZRZ_EINVAL;
	cp = next_cp(s, n, &l);
	if ((flags & NUMERAL_ARABIC) && arabic_digit(cp) >= 0)
		return parse_arabic(s, n, value, len);
	if ((flags & NUMERAL_CHINESE) && chinese_value(cp) >= 0)
		return parse_chinese(s, n, value, len);
	return ZRZ_EINVAL;
}

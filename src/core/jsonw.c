/*
 * The JSON writer of core/jsonw.h.  Strings are copied a run at a time:
 * the loop only stops at a byte that needs an escape or starts a multi-byte
 * sequence, which is checked in place.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/jsonw.h"

void jw_raw(struct jw *w, const char *s, size_t n)
{
	struct buf *b = &w->b;
	/* Most writes fit: copy without buf_append's checks. */
	if (b->data && n < b->alloc - b->len && !b->cap) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else if (!w->err) {
		w->err = buf_append(b, s, n);
	}
}

void jw_reserve(struct jw *w, size_t n)
{
	struct buf *b = &w->b;
	if (!b->data && n && (!b->cap || n <= b->cap)) {
		b->data = xmalloc(n);
		b->alloc = n;
		b->data[0] = '\0';
	}
}

void jw_lit(struct jw *w, const char *s)
{
	jw_raw(w, s, strlen(s));
}

/* Length of the well-formed UTF-8 sequence at s[0..n) (s[0] >= 0x80), or 0.
 * The ranges are those of utf8_valid_text: no overlongs, no surrogates,
 * nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range */
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

void jw_strn(struct jw *w, const char *str, size_t n)
{
	static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
	const unsigned char *s = (const unsigned char *)str;
	size_t run = 0, i = 0;
	jw_raw(w, "\"", 1);
	while (i < n) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		size_t len = c >= 0x80 ? utf8_seq(s + i, n - i) : 0;
		if (len) {
			i += len;
			continue;
		}
		jw_raw(w, str + run, i - run);
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t elen = 2;
		switch (c) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			if (c < 0x20) {
				esc[1] = 'u';
				esc[2] = '0';
				esc[3] = '0';
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				elen = 6;
			} else {
				/* A byte that is not part of a well-formed character. */
				memcpy(esc, "\xef\xbf\xbd", 3);
				elen = 3;
			}
		}
		jw_raw(w, esc, elen);
		i++;
		run = i;
	}
	jw_raw(w, str + run, n - run);
	jw_raw(w, "\"", 1);
}

void jw_str(struct jw *w, const char *s)
{
	if (s)
		jw_strn(w, s, strlen(s));
	else
		jw_raw(w, "null", 4);
}

void jw_int(struct jw *w, int64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	jw_raw(w, tmp + i, sizeof(tmp) - i);
}

void jw_release(struct jw *w)
{
	buf_release(&w->b);
}

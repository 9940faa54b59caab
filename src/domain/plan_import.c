/*
 * The plan importer's text analysis.  It works in passes over one
 * "logical text" built from the input:
 *
 * 1. The input is decoded into code points and cut into physical lines.
 *    Lines are joined into paragraphs where a sentence was broken by the
 *    paste (the line does not end a sentence, the next does not start a
 *    numbered entry, the line is no heading); the logical text is the
 *    paragraphs separated by '\n', and every one of its characters keeps
 *    the index of the input character it came from, so that any range of
 *    it maps back to exact input bytes.
 * 2. Numbering markers (第一部分, 一、, （一）, 第一，, 1., 1.1, （1）, ①, with
 *    noisy forms like "((四))") open sections and items at the start of a
 *    paragraph, and in the middle of one right after a sentence ends when
 *    the number is the one expected next there ("…不少于12次。2.抓好…"), or
 *    restarts a Chinese-numbered list.  Numbering styles nest by a fixed
 *    rank; a number not above its predecessor starts a new group, and a
 *    paragraph ending in a colon, or a short unnumbered heading, just
 *    before it is that group's lead-in ("存在着一些问题和不足，主要表现为：",
 *    "保障措施"), which says what the group is.
 * 3. Clauses (between ，；。：) are read for quantities: a numeral followed
 *    by a counting unit (次 篇 场 期 回 …) under a bound (不少于, 至少, 以上)
 *    or a frequency (每季度 …), the period from the same clause, the record
 *    kind from the activity words of the same clause.  "开展半年度和年度
 *    工作研判" and "每月召开支委会" are once per period.  定期/适时 duties
 *    and 三会一课 without numbers become suggestions.
 * 4. The 领导小组 sentence is read for roles and names; festivals are dated
 *    with festival.h; x-placeholders, workflow words, and a report's
 *    problems and measures are collected.
 *
 * Nothing here knows the sentences of particular documents: only numbering,
 * punctuation, and the vocabulary of such plans.  Clauses reach at most
 * REACH characters each way and the candidates examined are bounded, so
 * the work stays linear in the text whatever it holds.
 */
#include "core/common.h"

#include <jansson.h>

#include "core/arena.h"
#include "core/str.h"
#include "domain/festival.h"
#include "domain/numeral.h"
#include "domain/plan_import.h"

/* ---- characters ---- */

#define CP_IDEO_STOP 0x3002   /* 。 */
#define CP_FW_EXCL 0xff01     /* ！ */
#define CP_FW_QUEST 0xff1f    /* ？ */
#define CP_FW_SEMI 0xff1b     /* ； */
#define CP_FW_COLON 0xff1a    /* ： */
#define CP_FW_COMMA 0xff0c    /* ， */
#define CP_IDEO_COMMA 0x3001  /* 、 */
#define CP_ELLIPSIS 0x2026    /* … */
#define CP_FW_DOT 0xff0e      /* ． */
#define CP_FW_LPAREN 0xff08   /* （ */
#define CP_FW_RPAREN 0xff09   /* ） */
#define CP_DI 0x7b2c          /* 第 */

static bool is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0x3000 || c == 0xa0 || c == 0xfeff ||
	       (c >= 0x2000 && c <= 0x200b) || c == 0x202f || c == 0x205f;
}

static bool is_line_break(uint32_t c)
{
	return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x85;
}

static bool is_cjk(uint32_t c)
{
	return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
	       (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2ffff) || c == 0x3007;
}

static bool is_arabic(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xff10 && c <= 0xff19);
}

static bool is_numeral(uint32_t c)
{
	return numeral_char_value(c) >= 0;
}

/* Ends a sentence. */
static bool is_terminal(uint32_t c)
{
	return c == CP_IDEO_STOP || c == CP_FW_EXCL || c == CP_FW_QUEST || c == CP_FW_SEMI ||
	       c == '!' || c == '?' || c == ';' || c == CP_ELLIPSIS;
}

static bool is_colon(uint32_t c)
{
	return c == ':' || c == CP_FW_COLON;
}

static bool is_comma(uint32_t c)
{
	return c == ',' || c == CP_FW_COMMA;
}

static bool is_open_bracket(uint32_t c)
{
	return c == '(' || c == CP_FW_LPAREN || c == 0x3010 /* 【 */ || c == 0x3014 /* 〔 */ ||
	       c == 0xff3b /* ［ */ || c == '[';
}

static bool is_close_bracket(uint32_t c)
{
	return c == ')' || c == CP_FW_RPAREN || c == 0x3011 /* 】 */ || c == 0x3015 /* 〕 */ ||
	       c == 0xff3d /* ］ */ || c == ']';
}

static bool is_open_quote(uint32_t c)
{
	return c == 0x201c /* “ */ || c == 0x2018 || c == 0x300c || c == 0x300e ||
	       c == 0x300a /* 《 */ || c == '"' || is_open_bracket(c);
}

static bool is_close_quote(uint32_t c)
{
	return c == 0x201d /* ” */ || c == 0x2019 || c == 0x300d || c == 0x300f ||
	       c == 0x300b /* 》 */ || c == '"' || is_close_bracket(c);
}

static bool is_clause_break(uint32_t c)
{
	return is_terminal(c) || is_comma(c) || is_colon(c) || c == '\n';
}

static bool is_sentence_break(uint32_t c)
{
	return is_terminal(c) || c == '\n';
}

/* Decode one code point of valid UTF-8; *len gets its byte count. */
static uint32_t utf8_get(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		*len = 2;
		return ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
	}
	if ((p[0] & 0xf0) == 0xe0) {
		*len = 3;
		return ((uint32_t)(p[0] & 0x0f) << 12) | ((uint32_t)(p[1] & 0x3f) << 6) |
		       (p[2] & 0x3f);
	}
	*len = 4;
	return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3f) << 12) |
	       ((uint32_t)(p[2] & 0x3f) << 6) | (p[3] & 0x3f);
}

/* Encode c as UTF-8 into out (4 bytes room); returns the byte count. */
static size_t utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/*
 * The number of code points of literal lit that s[i..end) starts with, or
 * 0 when it does not start with lit.
 */
static size_t lit_at(const uint32_t *s, size_t i, size_t end, const char *lit)
{
	size_t k = i;

	while (*lit) {
		size_t l;
		uint32_t c = utf8_get(lit, &l);
		if (k >= end || s[k] != c)
			return 0;
		lit += l;
		k++;
	}
	return k - i;
}

/* lit_at, allowing white space between the characters ("组　长"). */
static size_t lit_at_spaced(const uint32_t *s, size_t i, size_t end, const char *lit)
{
	size_t k = i;
	bool first = true;

	while (*lit) {
		size_t l;
		uint32_t c = utf8_get(lit, &l);
		if (!first)
			while (k < end && is_space(s[k]))
				k++;
		if (k >= end || s[k] != c)
			return 0;
		lit += l;
		k++;
		first = false;
	}
	return k - i;
}

/* The longest word of the NULL-terminated list at s[i]; *which its index. */
static size_t any_at(const uint32_t *s, size_t i, size_t end, const char *const *words, int *which)
{
	size_t best = 0;

	for (int w = 0; words[w]; w++) {
		size_t l = lit_at(s, i, end, words[w]);
		if (l > best) {
			best = l;
			if (which)
				*which = w;
		}
	}
	return best;
}

/* Whether s[from..to) contains word. */
static bool contains(const uint32_t *s, size_t from, size_t to, const char *word)
{
	for (size_t k = from; k < to; k++)
		if (lit_at(s, k, to, word))
			return true;
	return false;
}

/* Whether one of words ends right before s[at]. */
static bool ends_with_any(const uint32_t *s, size_t at, const char *const *words)
{
	for (int w = 0; words[w]; w++) {
		size_t chars = 0;
		for (const char *p = words[w]; *p;) {
			size_t l;
			utf8_get(p, &l);
			p += l;
			chars++;
		}
		if (chars <= at && lit_at(s, at - chars, at, words[w]) == chars)
			return true;
	}
	return false;
}

static bool contains_any(const uint32_t *s, size_t from, size_t to, const char *const *words)
{
	for (int w = 0; words[w]; w++)
		if (contains(s, from, to, words[w]))
			return true;
	return false;
}

/*
 * The numeral at s[i..end) as numeral_parse reads it; *nch gets its length
 * in code points.
 */
static bool num_at(const uint32_t *s, size_t i, size_t end, enum numeral_flags flags, int64_t *v,
		   size_t *nch)
{
	char buf[16 * 4];
	size_t offs[17], bl = 0, k = i, used;

	while (k < end && k - i < 16 && is_numeral(s[k])) {
		offs[k - i] = bl;
		bl += utf8_put(buf + bl, s[k]);
		k++;
	}
	offs[k - i] = bl;
	if (k == i || numeral_parse(buf, bl, flags, v, &used) != ZRZ_OK)
		return false;
	for (size_t c = 1; c <= k - i; c++) {
		if (offs[c] == used) {
			*nch = c;
			return true;
		}
	}
	return false;
}

/* ---- the document ---- */

struct node;

struct doc {
	struct arena *a;
	const char *src;
	size_t src_len;
	size_t ncp;       /* code points of the input */
	uint32_t *cp;     /* the input's code points */
	size_t *cp_off;   /* byte offset of each, cp_off[ncp] = src_len */
	uint32_t *t;      /* the logical text */
	size_t n;
	size_t *map;      /* t[i] came from cp[map[i]] */
	bool *marker;     /* t[i] belongs to a numbering marker */
	size_t paragraphs;
	int year;
	bool outline;     /* "1." numbers sections because "1.1" numbers items */
	struct node *root;
	const char *type; /* "plan" or "report" */
	size_t title_end; /* the title is t[0..title_end) when non-zero */
};

/* ---- numbering markers ---- */

enum mstyle {
	MS_NONE,
	MS_PART,        /* 第一部分, 第一章 */
	MS_ORD,         /* 第一， 第二、 */
	MS_CN,          /* 一、 */
	MS_CN_PAREN,    /* （一） */
	MS_AR,          /* 1. 1、 */
	MS_ARTICLE,     /* 第一条 */
	MS_AR_DOT2,     /* 1.1 */
	MS_AR_DOT3,     /* 1.1.1 */
	MS_AR_PAREN,    /* （1） 1） ⑴ */
	MS_CIRCLED,     /* ① */
};

static const char *const style_names[] = {
	"none",  "part",    "ordinal",     "chinese",     "chinese_paren", "arabic",
	"article", "arabic_dot2", "arabic_dot3", "arabic_paren", "circled",
};

static int style_rank(enum mstyle s)
{
	switch (s) {
	case MS_NONE:
		return -1;
	case MS_PART:
		return 0;
	case MS_ORD:
	case MS_CN:
		return 1;
	case MS_CN_PAREN:
		return 2;
	case MS_AR:
	case MS_ARTICLE:
		return 3;
	case MS_AR_DOT2:
		return 4;
	case MS_AR_DOT3:
		return 5;
	case MS_AR_PAREN:
		return 6;
	case MS_CIRCLED:
		return 7;
	}
	return 8;
}

static bool style_chinese(enum mstyle s)
{
	return s == MS_PART || s == MS_ORD || s == MS_CN || s == MS_CN_PAREN;
}

struct marker {
	enum mstyle style;
	int64_t value;
	int64_t outer;     /* dotted numbers: the components before the last */
	size_t len;        /* code points, with the white space after */
	size_t num_start;  /* the number as written: s[num_start..num_end) */
	size_t num_end;
	bool noisy;        /* doubled or unmatched brackets: "((四))" */
};

static bool is_marker_punct(uint32_t c)
{
	return c == CP_IDEO_COMMA || c == '.' || c == CP_FW_DOT || c == ',' || c == CP_FW_COMMA ||
	       c == ':' || c == CP_FW_COLON;
}

/*
 * The numbering marker that starts at s[i] (within s[i..end)), if any.  A
 * marker must be followed by some text in the same line or paragraph.
 */
static bool marker_at(const uint32_t *s, size_t i, size_t end, struct marker *m)
{
	size_t k = i, nl = 0, l;
	int opens = 0, closes = 0;
	int64_t v = 0;

	memset(m, 0, sizeof(*m));
	if (i >= end)
		return false;
	while (k < end && is_open_bracket(s[k]) && opens < 3) {
		opens++;
		k++;
	}
	if (opens > 0) {
		bool chinese = k < end && is_numeral(s[k]) && !is_arabic(s[k]);
		m->num_start = k;
		if (!num_at(s, k, end, chinese ? NUMERAL_CHINESE : NUMERAL_ARABIC, &v, &nl))
			return false;
		k += nl;
		m->num_end = k;
		while (k < end && is_close_bracket(s[k]) && closes < 3) {
			closes++;
			k++;
		}
		if (closes == 0)
			return false;
		m->style = chinese ? MS_CN_PAREN : MS_AR_PAREN;
		m->noisy = opens > 1 || closes > 1;
	} else if (s[k] == CP_DI) {
		k++;
		m->num_start = k;
		if (!num_at(s, k, end, NUMERAL_ANY, &v, &nl))
			return false;
		k += nl;
		m->num_end = k;
		if ((l = lit_at(s, k, end, "部分")) || (l = lit_at(s, k, end, "章")) ||
		    (l = lit_at(s, k, end, "篇"))) {
			m->style = MS_PART;
			k += l;
			if (k < end && is_marker_punct(s[k]))
				k++;
		} else if (lit_at(s, k, end, "条")) {
			m->style = MS_ARTICLE;
			k++;
			if (k < end && !is_space(s[k]) && !is_marker_punct(s[k]))
				return false;
			if (k < end && is_marker_punct(s[k]))
				k++;
		} else if (k < end && is_marker_punct(s[k])) {
			m->style = MS_ORD;
			k++;
		} else {
			return false;
		}
	} else if (s[k] >= 0x2460 && s[k] <= 0x2473) { /* ①..⑳ */
		v = s[k] - 0x2460 + 1;
		m->num_start = k;
		m->num_end = k + 1;
		m->style = MS_CIRCLED;
		k++;
	} else if (s[k] >= 0x2474 && s[k] <= 0x2487) { /* ⑴..⒇ */
		v = s[k] - 0x2474 + 1;
		m->num_start = k;
		m->num_end = k + 1;
		m->style = MS_AR_PAREN;
		k++;
	} else if (s[k] >= 0x2488 && s[k] <= 0x249b) { /* ⒈..⒛ */
		v = s[k] - 0x2488 + 1;
		m->num_start = k;
		m->num_end = k + 1;
		m->style = MS_AR;
		k++;
	} else if (is_arabic(s[k])) {
		m->num_start = k;
		if (!num_at(s, k, end, NUMERAL_ARABIC, &v, &nl))
			return false;
		k += nl;
		if (k < end && (s[k] == '.' || s[k] == CP_FW_DOT) && k + 1 < end &&
		    is_arabic(s[k + 1])) {
			/* dotted: 1.1 or 1.1.1 */
			int depth = 1;
			while (depth < 3 && k + 1 < end && (s[k] == '.' || s[k] == CP_FW_DOT) &&
			       is_arabic(s[k + 1])) {
				int64_t w;
				if (v > 199 || !num_at(s, k + 1, end, NUMERAL_ARABIC, &w, &nl))
					return false; /* "2023.1" is a date */
				m->outer = m->outer * 1000 + v;
				v = w;
				k += 1 + nl;
				depth++;
			}
			m->num_end = k;
			if (k < end && (s[k] == '.' || s[k] == CP_FW_DOT || s[k] == CP_IDEO_COMMA))
				k++;
			/* "1.5万元" is a quantity, not a number of an entry */
			if (k < end && !is_space(s[k]) && !is_cjk(s[k]) && !is_open_quote(s[k]))
				return false;
			if (k < end && (is_numeral(s[k]) || lit_at(s, k, end, "元") ||
					lit_at(s, k, end, "倍") || lit_at(s, k, end, "亿")))
				return false;
			m->style = depth == 2 ? MS_AR_DOT2 : MS_AR_DOT3;
		} else if (k < end && (s[k] == '.' || s[k] == CP_FW_DOT || s[k] == CP_IDEO_COMMA)) {
			m->num_end = k;
			k++;
			m->style = MS_AR;
		} else if (k < end && (s[k] == ')' || s[k] == CP_FW_RPAREN)) {
			m->num_end = k;
			k++;
			m->style = MS_AR_PAREN;
		} else {
			return false;
		}
	} else if (is_numeral(s[k])) {
		m->num_start = k;
		if (!num_at(s, k, end, NUMERAL_CHINESE, &v, &nl))
			return false;
		k += nl;
		m->num_end = k;
		if (k < end && (s[k] == CP_IDEO_COMMA || s[k] == '.' || s[k] == CP_FW_DOT ||
				s[k] == ',' || s[k] == CP_FW_COMMA)) {
			k++;
			m->style = MS_CN;
		} else {
			return false;
		}
	} else {
		return false;
	}
	if (v < 1 || v > 199 || (style_chinese(m->style) && v > 99))
		return false;
	while (k < end && is_space(s[k]))
		k++;
	if (k >= end || is_line_break(s[k]))
		return false;
	m->value = v;
	m->len = k - i;
	return true;
}

/* ---- lines, paragraphs, the logical text ---- */

struct line {
	size_t start, end; /* code points of the input, trimmed */
	bool blank_before;
};

static bool has_terminal(const uint32_t *s, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++)
		if (is_terminal(s[k]))
			return true;
	return false;
}

static bool has_punct(const uint32_t *s, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++)
		if (is_terminal(s[k]) || is_comma(s[k]) || is_colon(s[k]) || s[k] == CP_IDEO_COMMA)
			return true;
	return false;
}

static const char *const title_words[] = {
	"要点", "计划", "方案", "安排", "报告", "总结", "意见", "通知", "办法",
	"细则", "规划", "汇报", "制度", "清单", "实施", "述职", NULL,
};

/*
 * A "label：value" line ("组　长：何胜明", "时间：3月"): a colon within its
 * first ten characters, with no other punctuation before it.
 */
static bool label_line(const uint32_t *s, const struct line *l)
{
	for (size_t k = l->start; k < l->end && k - l->start <= 10; k++) {
		if (is_colon(s[k]))
			return k > l->start;
		if (is_terminal(s[k]) || is_comma(s[k]) || s[k] == CP_IDEO_COMMA ||
		    is_open_quote(s[k]) || is_close_quote(s[k]))
			return false;
	}
	return false;
}

/*
 * Whether a paragraph ends between line a and line b.  a_alone: line a is
 * so far a paragraph of its own; first: it is the first line of the text.
 */
static bool paragraph_ends(const uint32_t *s, const struct line *a, bool a_alone, bool first,
			   const struct line *b)
{
	uint32_t last = s[a->end - 1], next = s[b->start];
	size_t alen = a->end - a->start;
	struct marker m;

	if (b->blank_before)
		return true;
	if (is_terminal(last) || is_colon(last))
		return true;
	if (is_close_quote(last) && alen >= 2 && is_terminal(s[a->end - 2]))
		return true;
	/* A line that ends in an opening quote or a comma goes on. */
	if (is_open_quote(last) || is_comma(last) || last == CP_IDEO_COMMA)
		return false;
	if (is_clause_break(next) || next == CP_IDEO_COMMA || next == CP_IDEO_STOP ||
	    (is_close_quote(next) && !is_open_bracket(next)))
		return false;
	if (marker_at(s, b->start, b->end, &m))
		return true;
	if (label_line(s, b) || (a_alone && label_line(s, a)))
		return true;
	/*
	 * A numbered heading without a full stop: "（一）切实加强组织领导", or
	 * short with a comma, "（一）强化党组领导,落实主体责任"; a longer numbered
	 * line with commas is an entry broken by the paste.
	 */
	if (a_alone && marker_at(s, a->start, a->end, &m) && !has_terminal(s, a->start, a->end) &&
	    (alen <= 25 || (alen <= 50 && !has_punct(s, a->start + m.len, a->end))))
		return true;
	/* An unnumbered heading or title line: short, no punctuation at all. */
	if (a_alone && alen >= 2 && alen <= 40 && !has_punct(s, a->start, a->end) &&
	    (first || b->end - b->start > alen))
		return true;
	return false;
}

static bool ascii_word(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void build_text(struct doc *d)
{
	size_t nlines = 0, cap = 16;
	struct line *lines = arena_alloc(d->a, cap * sizeof(*lines));
	bool blank = false;

	/* Physical lines, trimmed; blank lines only mark the next line. */
	for (size_t i = 0; i <= d->ncp;) {
		size_t j = i;
		while (j < d->ncp && !is_line_break(d->cp[j]))
			j++;
		size_t s = i, e = j;
		while (s < e && is_space(d->cp[s]))
			s++;
		while (e > s && is_space(d->cp[e - 1]))
			e--;
		if (s == e) {
			blank = true;
		} else {
			if (nlines == cap) {
				struct line *nl = arena_alloc(d->a, 2 * cap * sizeof(*nl));
				memcpy(nl, lines, cap * sizeof(*nl));
				lines = nl;
				cap *= 2;
			}
			lines[nlines].start = s;
			lines[nlines].end = e;
			lines[nlines].blank_before = blank && nlines > 0;
			nlines++;
			blank = false;
		}
		if (j >= d->ncp)
			break;
		/* \r\n is one break */
		if (d->cp[j] == '\r' && j + 1 < d->ncp && d->cp[j + 1] == '\n')
			j++;
		i = j + 1;
	}

	/* The logical text: at most every character plus one separator per line. */
	d->t = arena_alloc(d->a, (d->ncp + nlines + 1) * sizeof(*d->t));
	d->map = arena_alloc(d->a, (d->ncp + nlines + 1) * sizeof(*d->map));
	d->n = 0;
	d->paragraphs = 0;
	bool alone = true;
	for (size_t l = 0; l < nlines; l++) {
		if (l > 0) {
			bool ends = paragraph_ends(d->cp, &lines[l - 1], alone, l == 1, &lines[l]);
			if (ends) {
				d->t[d->n] = '\n';
				d->map[d->n] = lines[l - 1].end - 1;
				d->n++;
				alone = true;
			} else {
				/* joined: a space only between two ASCII words */
				if (ascii_word(d->cp[lines[l - 1].end - 1]) &&
				    ascii_word(d->cp[lines[l].start])) {
					d->t[d->n] = ' ';
					d->map[d->n] = lines[l - 1].end - 1;
					d->n++;
				}
				alone = false;
			}
			if (ends)
				d->paragraphs++;
		}
		for (size_t k = lines[l].start; k < lines[l].end; k++) {
			d->t[d->n] = d->cp[k];
			d->map[d->n] = k;
			d->n++;
		}
	}
	if (nlines)
		d->paragraphs++;
	d->marker = arena_alloc(d->a, (d->n + 1) * sizeof(*d->marker));
}

/* ---- spans and cleaned text ---- */

static void trim(const struct doc *d, size_t *from, size_t *to)
{
	while (*from < *to && (is_space(d->t[*from]) || d->t[*from] == '\n'))
		(*from)++;
	while (*to > *from && (is_space(d->t[*to - 1]) || d->t[*to - 1] == '\n'))
		(*to)--;
}

/* The span of logical t[from..to) as exact input bytes and code points. */
static json_t *span_json(const struct doc *d, size_t from, size_t to)
{
	size_t cs, ce;

	trim(d, &from, &to);
	if (to <= from)
		to = from + (from < d->n);
	if (from >= d->n) {
		cs = ce = d->ncp;
	} else {
		cs = d->map[from];
		ce = d->map[to - 1] + 1;
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:s%}", "start", (json_int_t)d->cp_off[cs], "end",
			 (json_int_t)d->cp_off[ce], "char_start", (json_int_t)cs, "char_end",
			 (json_int_t)ce, "text", d->src + d->cp_off[cs], d->cp_off[ce] - d->cp_off[cs]);
}

static uint32_t fullwidth_of(uint32_t c)
{
	switch (c) {
	case ',':
		return CP_FW_COMMA;
	case ';':
		return CP_FW_SEMI;
	case ':':
		return CP_FW_COLON;
	case '(':
		return CP_FW_LPAREN;
	case ')':
		return CP_FW_RPAREN;
	case '!':
		return CP_FW_EXCL;
	case '?':
		return CP_FW_QUEST;
	default:
		return 0;
	}
}

/* The nearest non-space neighbour of t[k] on one side, or 0. */
static uint32_t neighbour(const struct doc *d, size_t k, size_t from, size_t to, int dir)
{
	if (dir < 0) {
		while (k > from) {
			k--;
			if (!is_space(d->t[k]))
				return d->t[k];
		}
		return 0;
	}
	while (k + 1 < to) {
		k++;
		if (!is_space(d->t[k]))
			return d->t[k];
	}
	return 0;
}

static bool wide(uint32_t c)
{
	return is_cjk(c) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) ||
	       (c >= 0x2010 && c <= 0x206f);
}

/*
 * t[from..to) as text for a person: ASCII punctuation between Chinese
 * characters in its full-width form (the input may have "统一思想,提高认识"),
 * single white space next to Chinese characters dropped ("叶　敏"), a run
 * of it between Chinese and other runs made one space ("何　明　　党委书记"
 * gives "何明 党委书记"); paragraph breaks kept as '\n'.
 */
static char *clean_text(const struct doc *d, size_t from, size_t to)
{
	char *out, *p;

	trim(d, &from, &to);
	p = out = arena_alloc(d->a, (to > from ? to - from : 0) * 4 + 1);
	for (size_t k = from; k < to; k++) {
		uint32_t c = d->t[k];
		uint32_t prev = neighbour(d, k, from, to, -1), next = neighbour(d, k, from, to, 1);

		if (c == '\n') {
			*p++ = '\n';
			continue;
		}
		if (is_space(c)) {
			bool run = k + 1 < to && is_space(d->t[k + 1]);
			if (k > from && is_space(d->t[k - 1]))
				continue;
			if (prev == 0 || next == 0 || next == '\n' || prev == '\n')
				continue;
			/* one space between Chinese is layout; two separate fields */
			if ((wide(prev) || wide(next)) && !(run && wide(prev) && wide(next)))
				continue;
			*p++ = ' ';
			continue;
		}
		if (fullwidth_of(c) && (wide(prev) || wide(next)))
			c = fullwidth_of(c);
		p += utf8_put(p, c);
	}
	*p = '\0';
	return out;
}

/* ---- structure: sections and items ---- */

struct node {
	enum mstyle style;
	bool section;
	bool inferred;
	bool noisy;
	int64_t value;
	size_t start, body, end; /* marker, text after it, end of own text */
	size_t num_start, num_end;
	size_t lead_start, lead_end; /* group lead-in paragraph, when any */
	int group;
	const char *role;
	struct node *parent, *child, *last, *next;
	struct node *last_by_style[MS_CIRCLED + 1]; /* latest child of each style */
};

#define MAX_DEPTH 16

/* How far ahead a new inline list looks for its entry 2. */
#define LOOKAHEAD 2000

struct builder {
	struct doc *d;
	struct node *stack[MAX_DEPTH];
	int depth;
	struct node *cur; /* the node whose text runs on */
	/* no entry 2 of a style up to here: looked ahead already */
	size_t no_second_until[MS_CIRCLED + 1];
};

static bool is_section_style(const struct doc *d, enum mstyle s)
{
	return style_chinese(s) || (s == MS_AR && d->outline);
}

static void append_child(struct node *parent, struct node *c)
{
	c->parent = parent;
	if (parent->last)
		parent->last->next = c;
	else
		parent->child = c;
	parent->last = c;
	parent->last_by_style[c->style] = c;
}

/*
 * Open a node for marker m at logical position at, closing the text of the
 * node before it, under the nearest open node of a smaller rank.
 */
static void open_node(struct builder *b, const struct marker *m, size_t at)
{
	struct doc *d = b->d;
	struct node *nd = arena_alloc(d->a, sizeof(*nd)), *parent, *prev;
	size_t lead_s = 0, lead_e = 0, cut = at;

	/*
	 * A paragraph right before the marker that ends in a colon ("主要表现
	 * 为：") or is a short unnumbered heading ("保障措施") introduces the
	 * group the marker starts.
	 */
	if (at > 0 && d->t[at - 1] == '\n') {
		size_t pe = at - 1, ps = pe;
		while (ps > 0 && d->t[ps - 1] != '\n')
			ps--;
		bool heading = pe - ps <= 20 && !has_punct(d->t, ps, pe);
		if (pe > ps && (is_colon(d->t[pe - 1]) || heading) && ps > b->cur->start &&
		    !d->marker[ps]) {
			lead_s = ps;
			lead_e = pe;
			cut = ps;
		}
	}
	b->cur->end = cut;

	while (b->depth > 1 && style_rank(b->stack[b->depth - 1]->style) >= style_rank(m->style))
		b->depth--;
	parent = b->stack[b->depth - 1];
	prev = parent->last_by_style[m->style];

	nd->style = m->style;
	nd->section = is_section_style(d, m->style);
	nd->value = m->value;
	nd->noisy = m->noisy;
	nd->start = at;
	nd->body = at + m->len;
	nd->end = d->n;
	nd->num_start = m->num_start;
	nd->num_end = m->num_end;
	nd->group = prev ? prev->group + (m->value <= prev->value) : 1;
	if (lead_e > lead_s && (!prev || m->value <= prev->value || !parent->child)) {
		nd->lead_start = lead_s;
		nd->lead_end = lead_e;
	} else if (lead_e > lead_s) {
		/* not a group start: the paragraph stays with the text before */
		b->cur->end = at;
	}
	append_child(parent, nd);
	for (size_t k = at; k < at + m->len && k < d->n; k++)
		d->marker[k] = true;
	if (b->depth < MAX_DEPTH)
		b->stack[b->depth++] = nd;
	b->cur = nd;
}

/*
 * Whether marker m found in the middle of a paragraph (right after a
 * sentence ends) really opens an entry: it continues a list that is open
 * here with the next number, or restarts a Chinese-numbered list at one, or
 * (after a colon) starts a new deeper list whose 2 follows in the same
 * paragraph.
 */
static bool inline_ok(struct builder *b, const struct marker *m, size_t at, size_t pe,
		      bool after_colon)
{
	const struct doc *d = b->d;

	for (int k = b->depth - 1; k >= 1; k--) {
		const struct node *nd = b->stack[k];
		if (nd->style != m->style)
			continue;
		if (after_colon)
			return false;
		if (m->value == nd->value + 1)
			return true;
		return m->value == 1 && style_chinese(m->style) && nd->value >= 2;
	}
	if (m->value != 1 || style_rank(m->style) <= style_rank(b->stack[b->depth - 1]->style))
		return false;
	/*
	 * A new list: its 2 must follow soon in this paragraph, after a
	 * sentence.  What was looked through before for this style is not
	 * looked through again.
	 */
	size_t k = at + m->len, limit = at + LOOKAHEAD < pe ? at + LOOKAHEAD : pe;
	if (k < b->no_second_until[m->style])
		k = b->no_second_until[m->style];
	for (; k + 1 < limit; k++) {
		struct marker m2;
		if ((is_terminal(d->t[k]) || is_colon(d->t[k])) &&
		    marker_at(d->t, k + 1, pe, &m2) && m2.style == m->style && m2.value == 2)
			return true;
	}
	if (limit > b->no_second_until[m->style])
		b->no_second_until[m->style] = limit - 1;
	return false;
}

static void build_structure(struct doc *d)
{
	struct builder b = {.d = d, .depth = 1};
	struct node *root = arena_alloc(d->a, sizeof(*root));

	root->style = MS_NONE;
	root->section = true;
	root->end = d->n;
	d->root = root;
	b.stack[0] = root;
	b.cur = root;

	/* Outline numbering: "1.1" entries and no Chinese-numbered headings. */
	bool dotted = false, chinese = false;
	for (size_t ps = 0; ps < d->n;) {
		size_t pe = ps;
		struct marker m;
		while (pe < d->n && d->t[pe] != '\n')
			pe++;
		if (marker_at(d->t, ps, pe, &m)) {
			if (m.style == MS_AR_DOT2)
				dotted = true;
			if (style_chinese(m.style))
				chinese = true;
		}
		ps = pe + 1;
	}
	d->outline = dotted && !chinese;

	for (size_t ps = 0; ps < d->n;) {
		size_t pe = ps, k;
		struct marker m;

		while (pe < d->n && d->t[pe] != '\n')
			pe++;
		k = ps;
		if (marker_at(d->t, ps, pe, &m)) {
			/* a dotted number must fit under an open "N." */
			bool ok = true;
			if (m.style == MS_AR_DOT2 || m.style == MS_AR_DOT3) {
				ok = false;
				for (int s = b.depth - 1; s >= 1; s--) {
					if (b.stack[s]->style == MS_AR ||
					    b.stack[s]->style == MS_AR_DOT2) {
						ok = true;
						break;
					}
				}
				ok = ok || m.value == 1;
			}
			if (ok) {
				open_node(&b, &m, ps);
				k = ps + m.len;
			}
		}
		/* entries that start in the middle of the paragraph */
		for (; k < pe; k++) {
			uint32_t c = d->t[k];
			size_t at = k + 1;
			bool colon = is_colon(c);
			if (!is_terminal(c) && !colon &&
			    !(is_close_quote(c) && k > ps && is_terminal(d->t[k - 1])))
				continue;
			while (at < pe && is_space(d->t[at]))
				at++;
			if (at >= pe || !marker_at(d->t, at, pe, &m))
				continue;
			if (m.style == MS_AR_DOT2 || m.style == MS_AR_DOT3)
				continue;
			if (!inline_ok(&b, &m, at, pe, colon))
				continue;
			open_node(&b, &m, at);
			k = at + m.len - 1;
		}
		ps = pe + 1;
	}
	b.cur->end = d->n;
}

/* The end of node nd's first sentence-or-heading, and where its text resumes. */
static void node_title(const struct doc *d, const struct node *nd, size_t *tend, size_t *rest)
{
	size_t k = nd->body, end = nd->end;

	while (k < end && d->t[k] != '\n' && !is_terminal(d->t[k]))
		k++;
	*tend = k;
	if (k < end && is_terminal(d->t[k]))
		k++;
	*rest = k;
}

/* A title no longer than 60 characters: the first clause, or a cut. */
static char *short_title(const struct doc *d, size_t from, size_t to)
{
	trim(d, &from, &to);
	if (to - from > 60) {
		size_t k = from;
		while (k < to && !is_clause_break(d->t[k]))
			k++;
		if (k - from <= 60 && k > from)
			return clean_text(d, from, k);
		char *s = clean_text(d, from, from + 58);
		return arena_printf(d->a, "%s…", s);
	}
	return clean_text(d, from, to);
}

/*
 * A section whose first child item is numbered 2 and whose own text (after
 * its heading) is not empty lost its item 1 in the paste: that text is
 * item 1.
 */
static void infer_first_items(struct doc *d, struct node *nd)
{
	for (struct node *c = nd->child; c; c = c->next)
		infer_first_items(d, c);
	if (!nd->section || nd == d->root || !nd->child)
		return;
	struct node *first_item = NULL;
	for (struct node *c = nd->child; c; c = c->next) {
		if (!c->section) {
			first_item = c;
			break;
		}
	}
	if (!first_item || first_item->value != 2 || first_item != nd->child)
		return;
	size_t tend, rest, from, to;
	node_title(d, nd, &tend, &rest);
	from = rest;
	to = nd->end;
	trim(d, &from, &to);
	if (to <= from)
		return;
	struct node *it = arena_alloc(d->a, sizeof(*it));
	it->style = first_item->style;
	it->value = 1;
	it->inferred = true;
	it->start = it->body = from;
	it->end = to;
	it->group = first_item->group;
	it->parent = nd;
	it->next = nd->child;
	nd->child = it;
	nd->end = from;
}

/* ---- vocabulary ---- */

static const char *const problem_cues[] = {
	"存在的问题", "存在问题", "问题和不足", "问题与不足", "不足之处", "主要问题",
	"困难和问题", "差距和不足", "差距与不足", "存在着一些问题", "存在一些问题",
	"薄弱环节", "短板", NULL,
};

static const char *const measure_cues[] = {
	"针对上述问题", "针对存在的问题", "针对以上问题", "下一步", "整改措施", "改进措施",
	"努力方向", "工作打算", "今后工作", "工作思路", "明年工作", "整改方向", NULL,
};

/* "problems", "measures" or NULL for what text t[from..to) announces. */
static const char *role_of(const struct doc *d, size_t from, size_t to)
{
	if (to <= from)
		return NULL;
	if (contains_any(d->t, from, to, measure_cues))
		return "measures";
	if (contains_any(d->t, from, to, problem_cues))
		return "problems";
	if ((contains(d->t, from, to, "问题") || contains(d->t, from, to, "不足")) &&
	    (contains(d->t, from, to, "存在") || contains(d->t, from, to, "表现")))
		return "problems";
	return NULL;
}

static void assign_roles(struct doc *d, struct node *parent)
{
	const char *role = NULL;
	int group = 0;

	for (struct node *c = parent->child; c; c = c->next) {
		if (c->group != group) {
			group = c->group;
			role = c->lead_end > c->lead_start
				       ? role_of(d, c->lead_start, c->lead_end)
				       : NULL;
		}
		c->role = role;
		assign_roles(d, c);
	}
}

/* ---- document type ---- */

static void detect_type(struct doc *d)
{
	bool report = false;

	/* 现将有关情况汇报如下 / 特将…报告如下 */
	for (size_t i = 0; i < d->n && !report; i++) {
		size_t l = lit_at(d->t, i, d->n, "现将");
		if (!l)
			l = lit_at(d->t, i, d->n, "特将");
		if (!l)
			l = lit_at(d->t, i, d->n, "兹将");
		if (!l)
			continue;
		size_t e = i + l;
		while (e < d->n && !is_sentence_break(d->t[e]) && !is_colon(d->t[e]) && e - i < 60)
			e++;
		if (contains(d->t, i, e, "如下") &&
		    (contains(d->t, i, e, "汇报") || contains(d->t, i, e, "报告") ||
		     contains(d->t, i, e, "总结")))
			report = true;
	}
	/* A title naming a report or a summary. */
	if (!report && d->title_end) {
		static const char *const rep[] = {"报告", "汇报", "总结", "述职", NULL};
		static const char *const plan[] = {"要点", "计划", "方案", "安排", "规划", NULL};
		if (contains_any(d->t, 0, d->title_end, rep) &&
		    !contains_any(d->t, 0, d->title_end, plan))
			report = true;
	}
	/* Problems followed by measures is the shape of a report. */
	if (!report) {
		bool problems = false, measures = false;
		for (struct node *c = d->root->child; c; c = c->next) {
			size_t tend, rest;
			node_title(d, c, &tend, &rest);
			const char *r = c->role ? c->role : role_of(d, c->body, tend);
			if (r && strcmp(r, "problems") == 0)
				problems = true;
			if (r && strcmp(r, "measures") == 0 && problems)
				measures = true;
		}
		report = problems && measures;
	}
	d->type = report ? "report" : "plan";
}

/* ---- clauses ---- */

/*
 * Clauses and sentences reach at most this far on either side: real ones
 * are far shorter, and the bound keeps text without punctuation linear.
 */
#define REACH 200

static void clause_of(const struct doc *d, size_t i, size_t *from, size_t *to)
{
	size_t s = i, e = i;

	while (s > 0 && i - s < REACH && !is_clause_break(d->t[s - 1]) && !d->marker[s - 1])
		s--;
	while (e < d->n && e - i < REACH && !is_clause_break(d->t[e]))
		e++;
	*from = s;
	*to = e;
}

static void sentence_of(const struct doc *d, size_t i, size_t *from, size_t *to)
{
	size_t s = i, e = i;

	while (s > 0 && i - s < REACH && !is_sentence_break(d->t[s - 1]) && !d->marker[s - 1])
		s--;
	while (e < d->n && e - i < REACH && !is_sentence_break(d->t[e]))
		e++;
	*from = s;
	*to = e;
}

/* ---- periods ---- */

enum period { P_NONE, P_WEEK, P_MONTH, P_QUARTER, P_HALF, P_YEAR };

static const char *const period_names[] = {NULL, "week", "month", "quarter", "half", "year"};

struct period_word {
	const char *word;
	enum period period;
	bool every;  /* says "each": 每…, 按月 */
	bool approx; /* not exactly the period: 每学期 */
};

static const struct period_word period_words[] = {
	{"每半年度", P_HALF, true, false},
	{"每半年", P_HALF, true, false},
	{"半年度", P_HALF, false, false},
	{"半年", P_HALF, false, false},
	{"每个季度", P_QUARTER, true, false},
	{"每季度", P_QUARTER, true, false},
	{"每季", P_QUARTER, true, false},
	{"按季度", P_QUARTER, true, false},
	{"季度", P_QUARTER, false, false},
	{"每个月", P_MONTH, true, false},
	{"每月度", P_MONTH, true, false},
	{"每月", P_MONTH, true, false},
	{"按月", P_MONTH, true, false},
	{"月度", P_MONTH, false, false},
	{"每个星期", P_WEEK, true, false},
	{"每星期", P_WEEK, true, false},
	{"每周", P_WEEK, true, false},
	{"每年度", P_YEAR, true, false},
	{"每年", P_YEAR, true, false},
	{"年内", P_YEAR, false, false},
	{"全年", P_YEAR, false, false},
	{"年度", P_YEAR, false, false},
	{"每学年", P_YEAR, true, true},
	{"每学期", P_HALF, true, true},
	{NULL, P_NONE, false, false},
};

struct period_hit {
	enum period period;
	size_t at, len;
	int mult;    /* the count is per mult of the period's units (每两个月) */
	bool every;
	bool approx;
};

/*
 * The period word at t[i], if any.  Parts of dates are not periods: "一季度"
 * and "上半年" name one quarter or half, "一年来" looks back.
 */
static bool period_at(const struct doc *d, size_t i, size_t end, struct period_hit *h)
{
	const uint32_t *t = d->t;
	size_t best = 0;
	int which = -1;

	memset(h, 0, sizeof(*h));
	/* 每两个月, 每三个月, 每2周 */
	if (lit_at(t, i, end, "每") && i + 1 < end && is_numeral(t[i + 1])) {
		int64_t v;
		size_t nl, k;
		if (num_at(t, i + 1, end, NUMERAL_ANY, &v, &nl) && v >= 1 && v <= 12) {
			k = i + 1 + nl;
			if (k < end && lit_at(t, k, end, "个"))
				k++;
			if (lit_at(t, k, end, "月")) {
				h->at = i;
				h->len = k + 1 - i;
				h->every = true;
				if (v == 1 || v == 3 || v == 6 || v == 12) {
					h->period = v == 1 ? P_MONTH : v == 3 ? P_QUARTER
							   : v == 6 ? P_HALF
								    : P_YEAR;
					h->mult = 1;
				} else {
					/* every two months: six times a year, roughly */
					h->period = P_YEAR;
					h->mult = (int)(12 / v);
					h->approx = true;
				}
				return true;
			}
			if (lit_at(t, k, end, "周") || lit_at(t, k, end, "星期")) {
				h->at = i;
				h->len = k + 1 - i;
				h->every = true;
				h->period = P_MONTH;
				h->mult = v == 1 ? 4 : (int)(4 / v > 0 ? 4 / v : 1);
				h->approx = true;
				if (v == 1) {
					h->period = P_WEEK;
					h->mult = 1;
					h->approx = false;
				}
				return true;
			}
		}
	}
	for (int w = 0; period_words[w].word; w++) {
		size_t l = lit_at(t, i, end, period_words[w].word);
		if (l > best) {
			best = l;
			which = w;
		}
	}
	if (!best)
		return false;
	if (!period_words[which].every && i > 0) {
		uint32_t p = t[i - 1];
		if (is_numeral(p) || p == CP_DI || lit_at(t, i - 1, end, "上") ||
		    lit_at(t, i - 1, end, "下") || lit_at(t, i - 1, end, "本") ||
		    lit_at(t, i - 1, end, "前") || lit_at(t, i - 1, end, "后") ||
		    lit_at(t, i - 1, end, "近") || lit_at(t, i - 1, end, "今") ||
		    lit_at(t, i - 1, end, "明") || lit_at(t, i - 1, end, "去"))
			return false;
	}
	if (lit_at(t, i + best, end, "来") || lit_at(t, i + best, end, "以来"))
		return false;
	h->period = period_words[which].period;
	h->at = i;
	h->len = best;
	h->mult = 1;
	h->every = period_words[which].every;
	h->approx = period_words[which].approx;
	return true;
}

/* The period word of t[from..to) nearest to position pos. */
static bool nearest_period(const struct doc *d, size_t from, size_t to, size_t pos,
			   struct period_hit *out)
{
	bool found = false;
	size_t best = 0;

	for (size_t k = from; k < to; k++) {
		struct period_hit h;
		if (!period_at(d, k, to, &h))
			continue;
		size_t dist = h.at > pos ? h.at - pos : pos - (h.at + h.len);
		if (h.at <= pos && h.at + h.len > pos)
			dist = 0;
		if (!found || dist < best) {
			*out = h;
			best = dist;
			found = true;
		}
		k += h.len - 1;
	}
	return found;
}

/* ---- record kinds ---- */

struct kind_word {
	const char *word;
	const char *kind; /* NULL: an activity outside the dictionary */
};

static const struct kind_word kind_words[] = {
	{"理论学习中心组", "center_group_study"},
	{"中心组", "center_group_study"},
	{"专题会议", "special_meeting"},
	{"专题会", "special_meeting"},
	{"研判", "analysis"},
	{"形势分析会", "analysis"},
	{"分析会", "analysis"},
	{"支部党员大会", "branch_assembly"},
	{"党员大会", "branch_assembly"},
	{"支部大会", "branch_assembly"},
	{"支委会", "branch_committee"},
	{"支部委员会", "branch_committee"},
	{"党小组会", "group_meeting"},
	{"党小组", "group_meeting"},
	{"党课", "party_lecture"},
	{"主题党日", "theme_day"},
	{"党日活动", "theme_day"},
	{"谈心谈话", "talk"},
	{"谈话谈心", "talk"},
	{"谈心", "talk"},
	{"谈话", "talk"},
	{"培训", "training"},
	{"轮训", "training"},
	{"志愿服务", "volunteer"},
	{"志愿活动", "volunteer"},
	{"志愿者活动", "volunteer"},
	{"节庆", "festival"},
	{"节日活动", "festival"},
	{"宣传报道", "publicity"},
	{"新闻报道", "publicity"},
	{"信息报送", "publicity"},
	{"报送信息", "publicity"},
	{"宣传信息", "publicity"},
	{"信息稿", "publicity"},
	{"稿件", "publicity"},
	{"投稿", "publicity"},
	{"阵地检查", "channel_inspection"},
	{"阵地巡查", "channel_inspection"},
	{"党委会", "committee_study"},
	{"党组会", "committee_study"},
	/* activities a person must place themselves */
	{"民主生活会", NULL},
	{"组织生活会", NULL},
	{"警示教育", NULL},
	{"廉政教育", NULL},
	{"廉政党课", "party_lecture"},
	{"安全检查", NULL},
	{"隐患排查", NULL},
	{"应急演练", NULL},
	{"演练", NULL},
	{"例会", NULL},
	{"集中学习", NULL},
	{"专题学习", NULL},
	{"讲座", NULL},
	{"督查", NULL},
	{"检查", NULL},
	{"巡查", NULL},
	{NULL, NULL},
};

/* The 阵地 (channels) a 检查 or 巡查 may be of. */
static const char *const channel_words[] = {"阵地", "宣传栏", "网站", "公众号", "微信群", "QQ群",
					    "qq群", "电子屏", "显示屏", "橱窗", "讲座", "论坛", NULL};

struct kind_hit {
	const char *kind;
	const char *word;
	size_t at, len;
};

#define MAX_KIND_HITS 16

/*
 * The activity words of t[from..to), longest first at each position.  Two
 * patterns stand for a kind: "研究…工作" (研究意识形态工作, 专题研究部署…
 * 工作) for the committee studying the work, and a 检查 or 巡查 in a clause
 * naming a 阵地 (网站, 宣传栏 …) for the channel inspection.
 */
static int kinds_in(const struct doc *d, size_t from, size_t to, struct kind_hit *hits)
{
	int n = 0;

	for (size_t k = from; k < to && n < MAX_KIND_HITS; k++) {
		size_t best = 0;
		int which = -1;
		for (int w = 0; kind_words[w].word; w++) {
			size_t l = lit_at(d->t, k, to, kind_words[w].word);
			if (l > best) {
				best = l;
				which = w;
			}
		}
		size_t l = lit_at(d->t, k, to, "研究");
		if (l && l >= best) {
			for (size_t e = k + l; e < to && e - k <= 14; e++) {
				size_t wl = lit_at(d->t, e, to, "工作");
				if (wl) {
					hits[n].kind = "committee_study";
					hits[n].word = "研究工作";
					hits[n].at = k;
					hits[n].len = e + wl - k;
					n++;
					k = e + wl - 1;
					best = 0;
					which = -2;
					break;
				}
			}
			if (which == -2)
				continue;
		}
		if (which < 0)
			continue;
		const char *kind = kind_words[which].kind;
		/* 检查 or 巡查 of a 阵地 (网站, 宣传栏 …) is the channel inspection */
		if (!kind &&
		    (!strcmp(kind_words[which].word, "检查") ||
		     !strcmp(kind_words[which].word, "巡查")) &&
		    contains_any(d->t, from, to, channel_words))
			kind = "channel_inspection";
		hits[n].kind = kind;
		hits[n].word = kind_words[which].word;
		hits[n].at = k;
		hits[n].len = best;
		n++;
		k += best - 1;
	}
	return n;
}

/*
 * The kind of an activity in t[from..to) for a quantity at pos: *unique is
 * true when every dictionary word there names the same kind; the word
 * nearest to pos wins otherwise.  Returns false when no activity word is
 * there at all.
 */
static bool kind_near(const struct doc *d, size_t from, size_t to, size_t pos,
		      const char **kind, const char **word, bool *unique)
{
	struct kind_hit hits[MAX_KIND_HITS];
	int n = kinds_in(d, from, to, hits);
	int best = -1;
	size_t best_dist = 0;
	const char *first_kind = NULL;
	bool same = true, any_dict = false;

	if (n == 0)
		return false;
	for (int i = 0; i < n; i++) {
		if (hits[i].kind) {
			if (any_dict && strcmp(first_kind, hits[i].kind) != 0)
				same = false;
			if (!any_dict)
				first_kind = hits[i].kind;
			any_dict = true;
		}
	}
	for (int i = 0; i < n; i++) {
		/* dictionary words win over the others */
		if (any_dict && !hits[i].kind)
			continue;
		size_t dist = hits[i].at > pos ? hits[i].at - pos : pos - hits[i].at;
		if (best < 0 || dist < best_dist) {
			best = i;
			best_dist = dist;
		}
	}
	*kind = hits[best].kind;
	*word = hits[best].word;
	*unique = any_dict && same;
	return true;
}

/* ---- obligations ---- */

static const char *const bound_words[] = {
	"不少于", "不低于", "至少", "最少", "不得少于", "不应少于", "不小于", "不少於", NULL,
};

static const char *const upper_words[] = {"不超过", "最多", "不多于", "不高于", NULL};

static const char *const count_units[] = {"次", "篇", "场", "期", "回", "堂", "轮", "批", NULL};

static const char *const per_person_words[] = {
	"每名", "每位", "每人", "人均", "每个党员", "每个人", "每一位", "每一名", NULL,
};

static const char *const achievement_words[] = {"了", "共", "累计", "合计", "已", "先后", NULL};

static const char *const article_words[] = {"信息", "文章", "稿", "报道", "宣传", NULL};

struct found_obligation {
	const char *kind;
	const char *activity;
	int64_t min;
	enum period period;
	bool confirmed;
	double confidence;
	size_t from, to; /* the clause */
	const char *notes[6];
	int nnotes;
};

struct oblist {
	struct found_obligation *v;
	int n, cap;
};

static void ob_note(struct found_obligation *o, const char *note)
{
	if (o->nnotes < (int)ZRZ_ARRAY_LEN(o->notes))
		o->notes[o->nnotes++] = note;
}

/*
 * At most this many obligations, suggestions and placeholders are kept: a
 * real plan has a few dozen, and the bound keeps a hostile text linear.
 */
#define MAX_EXTRACTS PLAN_IMPORT_MAX_EXTRACTS

/* At most this many places that look like a quantity are examined closely. */
#define MAX_CANDIDATES 20000

static void ob_push(struct doc *d, struct oblist *l, const struct found_obligation *o)
{
	if (l->n >= MAX_EXTRACTS)
		return;
	for (int i = 0; i < l->n; i++) {
		const struct found_obligation *p = &l->v[i];
		if (p->from == o->from && p->min == o->min && p->period == o->period &&
		    ((!p->kind && !o->kind) || (p->kind && o->kind && !strcmp(p->kind, o->kind))))
			return;
	}
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 16;
		struct found_obligation *v = arena_alloc(d->a, (size_t)cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, (size_t)l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *o;
}

/* Whether the clause t[from..to) already gave an obligation. */
static bool clause_has_obligation(const struct oblist *l, size_t from)
{
	for (int i = 0; i < l->n; i++)
		if (l->v[i].from == from)
			return true;
	return false;
}

static double clamp01(double x)
{
	return x < 0.05 ? 0.05 : x > 0.95 ? 0.95 : x;
}

/*
 * Whether clause t[from..to) names no activity of its own ("全年不少于12次",
 * "每周至少1次"): apart from periods, bounds, numerals, units and a few
 * function words, at most two Chinese characters are left.
 */
static bool elliptical(const struct doc *d, size_t from, size_t to)
{
	static const char *const filler[] = {"其中", "确保", "要", "须", "应", "均", "都", "并",
					     "且", "以上", "原则上", "每次", NULL};
	size_t left = 0;

	for (size_t k = from; k < to;) {
		struct period_hit ph;
		size_t l;
		int64_t v;
		if (period_at(d, k, to, &ph)) {
			k += ph.len;
			continue;
		}
		if ((l = any_at(d->t, k, to, bound_words, NULL)) ||
		    (l = any_at(d->t, k, to, count_units, NULL)) ||
		    (l = any_at(d->t, k, to, filler, NULL))) {
			k += l;
			continue;
		}
		if (is_numeral(d->t[k]) && num_at(d->t, k, to, NUMERAL_ANY, &v, &l)) {
			k += l;
			continue;
		}
		left += is_cjk(d->t[k]);
		k++;
	}
	return left <= 2;
}

/*
 * Fill in kind and period of o for a quantity at pos in clause cf..ct, from
 * the clause or else the sentence, and judge how certain it all is.
 */
static void judge(const struct doc *d, struct found_obligation *o, size_t pos, bool number_certain,
		  const struct period_hit *given, bool articles)
{
	size_t sf, st;
	struct period_hit ph;
	const char *kind = NULL, *word = NULL;
	bool unique = false, kind_in_clause = false, period_in_clause = false;
	double c = 0.35;

	sentence_of(d, pos, &sf, &st);
	if (given) {
		ph = *given;
		period_in_clause = true;
	} else if (nearest_period(d, o->from, o->to, pos, &ph)) {
		period_in_clause = true;
	} else if (nearest_period(d, sf, st, pos, &ph)) {
		ob_note(o, "周期取自同一句的其他分句");
	} else {
		memset(&ph, 0, sizeof(ph));
		ph.period = P_YEAR;
		ph.mult = 1;
		ob_note(o, "原文未写明周期，按年度计");
	}
	o->period = ph.period;
	o->min *= ph.mult > 0 ? ph.mult : 1;
	if (ph.approx)
		ob_note(o, "原文周期与系统周期不完全对应，请核对");

	if (kind_near(d, o->from, o->to, pos, &kind, &word, &unique)) {
		kind_in_clause = true;
	} else if (articles && contains_any(d->t, o->from, o->to, article_words)) {
		/* N 篇 of 信息, 文章, 稿: published pieces */
		kind = "publicity";
		word = "信息";
		unique = true;
		kind_in_clause = true;
	} else if (!elliptical(d, o->from, o->to)) {
		/* the clause names its own activity, one we do not know */
	} else if (kind_near(d, sf, st, pos, &kind, &word, &unique)) {
		ob_note(o, "活动类型取自同一句的其他分句");
		unique = false;
	}
	o->kind = kind;
	o->activity = word;
	if (!kind)
		ob_note(o, "未能确定台账类型，请选择");
	else if (!unique)
		ob_note(o, "同一分句提到多种活动，请核对类型");

	bool per_person = contains_any(d->t, sf, st, per_person_words);
	if (per_person)
		ob_note(o, "要求按人计算，请核对是否为本单位的次数");

	if (number_certain)
		c += 0.2;
	if (period_in_clause)
		c += 0.2;
	if (kind && kind_in_clause && unique)
		c += 0.2;
	if (per_person || ph.approx)
		c -= 0.25;
	o->confidence = clamp01(c);
	o->confirmed = number_certain && period_in_clause && !ph.approx && kind &&
		       kind_in_clause && unique && !per_person;
}

/*
 * Quantities: a numeral and a counting unit, required by a bound word
 * (不少于 N 次, 至少召开 N 次, N 次以上) or by a frequency (每月 N 次).
 */
static void find_quantities(struct doc *d, struct oblist *l)
{
	const uint32_t *t = d->t;
	int candidates = 0;

	for (size_t i = 0; i < d->n && l->n < MAX_EXTRACTS && candidates < MAX_CANDIDATES; i++) {
		int64_t v;
		size_t nl, k, cf, ct, ul;
		bool bound = false;

		if (d->marker[i] || !is_numeral(t[i]))
			continue;
		if (i > 0 && is_numeral(t[i - 1]) && !d->marker[i - 1])
			continue;
		if (!num_at(t, i, d->n, NUMERAL_ANY, &v, &nl))
			continue;
		k = i + nl;
		/* a range "2-3次", "两到三次": the lower end counts */
		if (k + 1 < d->n && (t[k] == '-' || t[k] == '~' || t[k] == 0xff5e || t[k] == 0x2014 ||
				     lit_at(t, k, d->n, "到") || lit_at(t, k, d->n, "至"))) {
			int64_t v2;
			size_t nl2;
			if (num_at(t, k + 1, d->n, NUMERAL_ANY, &v2, &nl2))
				k += 1 + nl2;
		}
		while (k < d->n && is_space(t[k]))
			k++;
		if (!(ul = any_at(t, k, d->n, count_units, NULL)))
			continue;
		/* 一次性, 次数; 第一次, 再一次, 上一次 */
		if (lit_at(t, k + ul, d->n, "性") || lit_at(t, k + ul, d->n, "数"))
			continue;
		if (i > 0) {
			/* 第一次, 再一次, 每一次; 上一次, 前两次 (but 上1次党课 is a lesson) */
			static const char *const before[] = {"第", "再", "又", "这", "那", "某", "每",
							     NULL};
			static const char *const before_cn[] = {"上", "下", "同", "前", "后", "首",
								NULL};
			if (any_at(t, i - 1, i, before, NULL) ||
			    (!is_arabic(t[i]) && any_at(t, i - 1, i, before_cn, NULL)))
				continue;
		}
		if (v < 1 || v > 1000)
			continue;
		candidates++;
		clause_of(d, i, &cf, &ct);
		/* a bound before it in the clause ("至少专题研究…2次"), or 以上 after */
		for (size_t b = i; b > cf && !bound; b--) {
			if (b < i && is_numeral(t[b]))
				break;
			if (any_at(t, b - 1, i, bound_words, NULL))
				bound = true;
		}
		if (lit_at(t, k + ul, d->n, "以上") || lit_at(t, k + ul, d->n, "及以上"))
			bound = true;
		bool upper = false;
		for (size_t b = (i > cf + 8 ? i - 8 : cf); b < i; b++)
			if (any_at(t, b, i, upper_words, NULL))
				upper = true;
		if (upper)
			continue;

		struct period_hit ph;
		bool has_period = nearest_period(d, cf, ct, i, &ph);
		bool every = has_period && ph.every;
		if (!bound && !has_period)
			continue;
		/*
		 * An account of what was done ("开展了3次", a report's "全年召开4
		 * 次") is no requirement; a practice ("坚持每月开展一次") is.
		 */
		if (!bound) {
			bool done = false;
			for (size_t b = (i > cf + 3 ? i - 3 : cf); b < i; b++)
				if (any_at(t, b, i, achievement_words, NULL))
					done = true;
			if (done || (!every && strcmp(d->type, "report") == 0))
				continue;
		}

		struct found_obligation o = {0};
		o.min = v;
		o.from = cf;
		o.to = ct;
		judge(d, &o, i, bound || every, has_period ? &ph : NULL, lit_at(t, k, d->n, "篇") > 0);
		ob_push(d, l, &o);
		i = k + ul - 1;
	}
}

/* Whether t[from..to) holds a numeral followed by a counting unit. */
static bool clause_has_count(const struct doc *d, size_t from, size_t to)
{
	for (size_t q = from; q < to; q++) {
		int64_t v;
		size_t nl;
		if (is_numeral(d->t[q]) && num_at(d->t, q, to, NUMERAL_ANY, &v, &nl) &&
		    any_at(d->t, q + nl, to, count_units, NULL))
			return true;
	}
	return false;
}

static const char *const verbs[] = {"开展", "召开", "组织", "进行", "举行", "举办", "坚持", "做好",
				    NULL};

static const char *const coordinators[] = {"和", "及", "与", "、", "以及", NULL};

static int period_order(enum period p)
{
	return (int)p; /* P_WEEK < P_MONTH < … < P_YEAR */
}

/*
 * Once per period, without a numeral: "开展半年度和年度工作研判" (the
 * smaller of the periods named), "每月召开支委会".  Only for activities of
 * the dictionary, and only where the clause gave no quantity.
 */
static void find_periodic(struct doc *d, struct oblist *l)
{
	const uint32_t *t = d->t;
	int candidates = 0;

	for (size_t i = 0; i < d->n && l->n < MAX_EXTRACTS && candidates < MAX_CANDIDATES; i++) {
		size_t vl = any_at(t, i, d->n, verbs, NULL), cf, ct, k, act = 0;
		struct period_hit ph, best;
		bool have = false;

		if (vl || period_at(d, i, d->n, &ph))
			candidates++;
		if (!vl) {
			/* 每月召开…: the period word first */
			if (!period_at(d, i, d->n, &ph) || !ph.every || ph.approx || ph.mult != 1)
				continue;
			k = i + ph.len;
			clause_of(d, i, &cf, &ct);
			size_t e = k;
			while (e < ct && e - k <= 3 && !any_at(t, e, ct, verbs, NULL) &&
			       !lit_at(t, e, ct, "讲") && !lit_at(t, e, ct, "上"))
				e++;
			size_t v2 = any_at(t, e, ct, verbs, NULL);
			if (!v2)
				v2 = lit_at(t, e, ct, "讲") ? 1 : lit_at(t, e, ct, "上") ? 1 : 0;
			if (!v2 || e >= ct)
				continue;
			best = ph;
			have = true;
			act = e + v2;
		} else {
			k = i + vl;
			clause_of(d, i, &cf, &ct);
			while (k < ct) {
				if (!period_at(d, k, ct, &ph) || ph.approx || ph.mult != 1)
					break;
				if (!have || period_order(ph.period) < period_order(best.period))
					best = ph;
				have = true;
				k += ph.len;
				size_t cl = any_at(t, k, ct, coordinators, NULL);
				if (!cl)
					break;
				k += cl;
			}
			if (!have)
				continue;
			act = k;
		}
		if (clause_has_obligation(l, cf))
			continue;
		/* a count in the clause is find_quantities' business */
		if (clause_has_count(d, cf, ct))
			continue;
		struct kind_hit hits[MAX_KIND_HITS];
		int n = kinds_in(d, act, act + 12 < ct ? act + 12 : ct, hits);
		const char *kind = NULL, *word = NULL;
		for (int h = 0; h < n && !kind; h++) {
			if (hits[h].kind) {
				kind = hits[h].kind;
				word = hits[h].word;
			}
		}
		if (!kind)
			continue;
		const char *ck, *cw;
		bool unique = false;
		kind_near(d, cf, ct, act, &ck, &cw, &unique);

		struct found_obligation o = {0};
		o.min = 1;
		o.period = best.period;
		o.kind = kind;
		o.activity = word;
		o.from = cf;
		o.to = ct;
		bool per_person = contains_any(t, cf, ct, per_person_words);
		o.confirmed = unique && !per_person;
		o.confidence = o.confirmed ? 0.75 : 0.5;
		if (!unique)
			ob_note(&o, "同一分句提到多种活动，请核对类型");
		if (per_person)
			ob_note(&o, "要求按人计算，请核对是否为本单位的次数");
		ob_push(d, l, &o);
		i = ct;
	}
}

/* ---- suggestions ---- */

static const char *const triggers[] = {"定期", "不定期", "适时", "经常性", "常态化", NULL};

/* What 常态化 and 经常性 must be followed by to describe a duty, not a quality. */
static const char *const duty_verbs[] = {"开展", "组织", "进行", "召开", "举办", "举行", "推进",
					 "落实", "抓好", "检查", "排查", "学习", "分析", "研判",
					 "宣传", "督查", "巡查", "更新", NULL};

struct suggestion {
	const char *trigger;
	size_t from, to;  /* the text shown: trigger to clause end */
	size_t cf, ct;    /* the clause */
	const char *kind;
	bool template3;   /* 三会一课 */
};

static const char *const branch_kinds[] = {"branch_assembly", "branch_committee", "group_meeting",
					   "party_lecture", NULL};

static json_t *suggestions_json(struct doc *d, const struct oblist *obs)
{
	json_t *arr = json_array();
	size_t last_clause = (size_t)-1;
	bool three_done = false;
	bool branch_quantified = false;

	for (int i = 0; i < obs->n; i++)
		for (int k = 0; branch_kinds[k]; k++)
			if (obs->v[i].kind && !strcmp(obs->v[i].kind, branch_kinds[k]))
				branch_quantified = true;

	int candidates = 0;

	for (size_t i = 0; i < d->n && json_array_size(arr) < MAX_EXTRACTS &&
			   candidates < MAX_CANDIDATES;
	     i++) {
		int which = 0;
		size_t tl = any_at(d->t, i, d->n, triggers, &which), cf, ct;
		bool three = false;

		if (tl && which >= 3) {
			/* 常态化开展, 经常性地组织; not 规范化、常态化 */
			size_t k = i + tl;
			if (lit_at(d->t, k, d->n, "地"))
				k++;
			if (!any_at(d->t, k, d->n, duty_verbs, NULL))
				tl = 0;
		}
		if (!tl) {
			tl = lit_at(d->t, i, d->n, "三会一课");
			three = tl > 0;
		}
		if (!tl)
			continue;
		candidates++;
		clause_of(d, i, &cf, &ct);
		if (cf == last_clause || clause_has_obligation(obs, cf))
			continue;
		if (three && (three_done || branch_quantified))
			continue;
		/* 三会一课 with a number in its clause is quantified there */
		if (three && clause_has_count(d, cf, ct))
			continue;
		last_clause = cf;

		const char *kind = NULL, *word = NULL;
		bool unique = false;
		size_t from = three ? cf : i;
		kind_near(d, i, ct, i, &kind, &word, &unique);
		json_t *s = json_pack("{s:s, s:s, s:o, s:o, s:o, s:b, s:f, s:o}", "text",
				      clean_text(d, from, ct), "trigger",
				      three ? "三会一课" : triggers[which], "kind",
				      kind && unique ? json_string(kind) : json_null(), "period",
				      json_null(), "min", json_null(), "confirmed", 0, "confidence",
				      three ? 0.6 : 0.3, "source", span_json(d, from, ct));
		if (three) {
			/* the usual frequencies, for a person to adopt */
			static const struct {
				const char *kind;
				const char *period;
			} std[] = {{"branch_assembly", "quarter"},
				   {"branch_committee", "month"},
				   {"group_meeting", "month"},
				   {"party_lecture", "quarter"}};
			json_t *tpl = json_array();
			for (size_t k = 0; k < ZRZ_ARRAY_LEN(std); k++)
				json_array_append_new(tpl, json_pack("{s:s, s:i, s:s, s:b}", "kind",
								     std[k].kind, "min", 1, "period",
								     std[k].period, "confirmed", 0));
			json_object_set_new(s, "template", tpl);
			three_done = true;
		}
		json_array_append_new(arr, s);
		i += tl - 1;
	}
	return arr;
}

/* ---- the 领导小组 ---- */

static const char *const surnames1 =
	"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
	"程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎"
	"贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧"
	"耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍"
	"华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏"
	"宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈"
	"匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冒蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖"
	"练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘"
	"亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信"
	"展阴昝智幸奉植衡富尧闭由";

static const char *const surnames2[] = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟",
					"公孙", "慕容", "令狐", "长孙", "宇文", "夏侯", "轩辕",
					"端木", "西门", "南宫", "独孤", "钟离", NULL};

static bool is_surname(uint32_t c)
{
	const char *p = surnames1;

	while (*p) {
		size_t l;
		if (utf8_get(p, &l) == c)
			return true;
		p += l;
	}
	return false;
}

/* Last characters of a job title: 局长, 书记, 主任, 成员, 负责人, 领导 … */
static bool title_char(uint32_t c)
{
	static const char *const chars = "长记任员人导席委官师监总助";
	const char *p = chars;

	while (*p) {
		size_t l;
		if (utf8_get(p, &l) == c)
			return true;
		p += l;
	}
	return false;
}

enum role {
	R_LEADER,
	R_DEPUTY,
	R_MEMBER,
	R_OFFICE_DIRECTOR,
	R_OFFICE_DEPUTY,
	R_COUNT,
};

static const char *const role_keys[] = {"leader", "deputy_leaders", "members", "office_director",
					"office_deputy_director"};

struct role_word {
	const char *word;
	enum role role;
};

/* Longest first. */
static const struct role_word role_words[] = {
	{"办公室常务副主任", R_OFFICE_DEPUTY},
	{"办公室副主任", R_OFFICE_DEPUTY},
	{"办公室主任", R_OFFICE_DIRECTOR},
	{"常务副组长", R_DEPUTY},
	{"第一副组长", R_DEPUTY},
	{"副组长", R_DEPUTY},
	{"组长", R_LEADER},
	{"成员", R_MEMBER},
	{"组员", R_MEMBER},
	{"副主任", R_OFFICE_DEPUTY},
	{"主任", R_OFFICE_DIRECTOR},
	{NULL, R_COUNT},
};

static size_t role_at(const uint32_t *t, size_t i, size_t end, enum role *r)
{
	size_t best = 0;

	for (int w = 0; role_words[w].word; w++) {
		size_t l = lit_at_spaced(t, i, end, role_words[w].word);
		if (l > best) {
			best = l;
			*r = role_words[w].role;
		}
	}
	return best;
}

struct cmt {
	size_t name_from, name_to;
	size_t from, to;
	json_t *roles[R_COUNT];
	json_t *descriptions;
	bool any;
};

/*
 * One part of a list of people ("党委书记、局长何胜明", "班子成员肖著中",
 * "叶　敏", "机关各股(室)长"): a name goes to list, a description of a group
 * of people (ending in a job title) to desc when keep_desc.
 */
static void add_person(struct doc *d, struct cmt *cm, enum role r, size_t from, size_t to,
		       bool keep_desc)
{
	uint32_t buf[64];
	size_t n = 0, singles = 0, pieces = 0;
	int depth = 0;

	/* drop brackets with what they hold, and the word 同志 */
	for (size_t k = from; k < to && n < ZRZ_ARRAY_LEN(buf); k++) {
		uint32_t c = d->t[k];
		if (is_open_bracket(c)) {
			depth++;
			continue;
		}
		if (is_close_bracket(c)) {
			if (depth)
				depth--;
			continue;
		}
		if (depth || is_open_quote(c) || is_close_quote(c))
			continue;
		buf[n++] = c;
	}
	/* "叶　敏", "何 胜 明": spaces inside a name laid out for alignment */
	for (size_t k = 0; k < n;) {
		while (k < n && is_space(buf[k]))
			k++;
		size_t s = k;
		while (k < n && !is_space(buf[k]))
			k++;
		if (k > s) {
			pieces++;
			singles += k - s == 1;
		}
	}
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		if (!is_space(buf[k]) || (pieces > 1 && singles != pieces))
			buf[m++] = buf[k];
	n = m;
	while (n && is_space(buf[n - 1]))
		n--;
	size_t s0 = 0;
	while (s0 < n && is_space(buf[s0]))
		s0++;
	static const char *const lead[] = {"以", "由", "和", "及", "与", "请", NULL};
	if (n - s0 > 2 && any_at(buf, s0, n, lead, NULL))
		s0++;
	if (n >= s0 + 2 && lit_at(buf, n - 2, n, "同志"))
		n -= 2;
	if (n >= s0 + 1 && lit_at(buf, n - 1, n, "等"))
		n -= 1;
	if (n <= s0)
		return;

	size_t len = n - s0, name_at = (size_t)-1;
	bool desc = false;

	for (size_t k = s0; k < n; k++)
		if (!is_cjk(buf[k]))
			desc = true;
	if (!desc) {
		if (title_char(buf[n - 1])) {
			desc = true;
		} else if (len <= 3) {
			name_at = s0;
		} else if (len == 4 && any_at(buf, s0, n, surnames2, NULL)) {
			name_at = s0;
		} else {
			/* a job title, then the name: 局长何胜明, 班子成员肖著中 */
			for (size_t nl = 3; nl >= 2 && name_at == (size_t)-1; nl--) {
				size_t at = n - nl;
				if (at > s0 && title_char(buf[at - 1]) && is_surname(buf[at]))
					name_at = at;
			}
			for (size_t nl = 4; nl >= 3 && name_at == (size_t)-1; nl--) {
				size_t at = n - nl;
				if (n >= s0 + nl && at > s0 && title_char(buf[at - 1]) &&
				    any_at(buf, at, n, surnames2, NULL))
					name_at = at;
			}
			if (name_at == (size_t)-1)
				desc = true;
		}
	}
	char out[64 * 4 + 1];
	size_t ol = 0;
	if (name_at != (size_t)-1 && !desc) {
		for (size_t k = name_at; k < n; k++)
			ol += utf8_put(out + ol, buf[k]);
		out[ol] = '\0';
		json_array_append_new(cm->roles[r], json_string(out));
		cm->any = true;
	} else if (keep_desc) {
		json_array_append_new(cm->descriptions, json_string(clean_text(d, from, to)));
	}
}

/* The people of t[from..to), split at 、 ， and white space runs. */
static void add_people(struct doc *d, struct cmt *cm, enum role r, size_t from, size_t to,
		       bool spaces_split)
{
	size_t s = from;
	size_t before = json_array_size(cm->roles[r]);
	size_t desc_before = json_array_size(cm->descriptions);

	for (size_t k = from; k <= to; k++) {
		bool sep = k == to || d->t[k] == CP_IDEO_COMMA || is_comma(d->t[k]) ||
			   lit_at(d->t, k, to, "和") || lit_at(d->t, k, to, "及");
		if (!sep && spaces_split && is_space(d->t[k]) && k + 1 < to &&
		    is_space(d->t[k + 1]))
			sep = true;
		if (!sep)
			continue;
		if (k > s)
			add_person(d, cm, r, s, k, true);
		s = k + 1;
		while (s < to && is_space(d->t[s]))
			s++;
		k = s - 1;
	}
	/* titles beside names ("党委书记、局长何胜明") describe nobody else */
	if (r != R_MEMBER && json_array_size(cm->roles[r]) > before)
		while (json_array_size(cm->descriptions) > desc_before)
			json_array_remove(cm->descriptions, json_array_size(cm->descriptions) - 1);
}

static const char *const assign_verbs[] = {"担任", "兼任", "出任", "任", "为", NULL};

/*
 * Roles in one clause of the committee's paragraphs: "<people>任<role>",
 * "以<people>为<role>", "<role>由<people>担任", "<role>：<people>".
 */
static void read_roles(struct doc *d, struct cmt *cm, size_t from, size_t to)
{
	size_t seg = from;

	for (size_t k = from; k < to; k++) {
		enum role r = R_COUNT;
		size_t vl = 0, pre = k;
		/* the assigning verb, then maybe 领导小组/小组, then the role */
		int which = 0;
		vl = any_at(d->t, k, to, assign_verbs, &which);
		if (vl) {
			size_t j = k + vl, gl;
			if ((gl = lit_at(d->t, j, to, "领导小组")) || (gl = lit_at(d->t, j, to, "小组")))
				j += gl;
			size_t rl = role_at(d->t, j, to, &r);
			if (rl) {
				/* 主任 is part of a title ("办公室主任张三") unless assigned */
				add_people(d, cm, r, seg, pre, false);
				seg = j + rl;
				k = seg - 1;
				continue;
			}
		}
		size_t rl = role_at(d->t, k, to, &r);
		if (!rl)
			continue;
		size_t j = k + rl;
		while (j < to && is_space(d->t[j]))
			j++;
		if (j < to && is_colon(d->t[j])) {
			/* 组长：何胜明（党委书记）, up to the next "role：" label */
			size_t e = j + 1;
			int depth = 0;
			for (; e < to; e++) {
				enum role r2;
				size_t l2, q;
				if (is_open_bracket(d->t[e]))
					depth++;
				else if (is_close_bracket(d->t[e]) && depth)
					depth--;
				if (depth || !(l2 = role_at(d->t, e, to, &r2)))
					continue;
				for (q = e + l2; q < to && is_space(d->t[q]); q++)
					;
				if (q < to && is_colon(d->t[q]))
					break;
			}
			/* stop before the next "role：" */
			size_t stop = e;
			if (e < to) {
				while (stop > j + 1 && !is_space(d->t[stop - 1]) &&
				       !is_comma(d->t[stop - 1]) && d->t[stop - 1] != CP_IDEO_COMMA)
					stop--;
				if (stop == j + 1)
					stop = e;
			}
			add_people(d, cm, r, j + 1, stop, true);
			k = stop - 1;
			seg = stop;
			continue;
		}
		if (lit_at(d->t, j, to, "由")) {
			size_t e = j + 1, vend = 0;
			for (; e < to; e++) {
				size_t l2 = any_at(d->t, e, to, assign_verbs, NULL);
				if (l2) {
					vend = e + l2;
					break;
				}
			}
			add_people(d, cm, r, j + 1, e, true);
			k = (vend ? vend : e) - 1;
			seg = k + 1;
			continue;
		}
	}
}

static json_t *committee_json(struct doc *d)
{
	static const char *const setup[] = {"成立", "调整", "组建", "建立", "设立", "成立了", NULL};
	const uint32_t *t = d->t;
	struct cmt cm = {0};
	size_t name_from = 0, name_to = 0;
	bool found = false;

	/* the name: the words before 领导小组, after the verb that sets it up */
	for (size_t i = 0; i + 4 <= d->n && !found; i++) {
		size_t gl = lit_at(t, i, d->n, "领导小组");
		if (!gl)
			continue;
		size_t s = i;
		while (s > 0 && i - s < 24 && !is_clause_break(t[s - 1]) && !is_open_quote(t[s - 1]) &&
		       !ends_with_any(t, s, setup) && !lit_at(t, s - 1, i, "的") && !d->marker[s - 1])
			s--;
		/* 成立以…为组长的XX领导小组: the name starts after 的 */
		size_t v = s;
		bool set = ends_with_any(t, s, setup);
		if (s > 0 && lit_at(t, s - 1, i, "的"))
			set = true;
		if (s > 0 && is_open_quote(t[s - 1]))
			set = true;
		/*
		 * "XX领导小组组长：…", "XX领导小组由…", or a heading "XX领导小组
		 * （成员名单）" whose next paragraph starts with a role also name it.
		 */
		size_t after = i + gl, k = after, l;
		enum role r;
		bool roles_follow = role_at(t, after, d->n, &r) > 0 || lit_at(t, after, d->n, "由");
		static const char *const list_words[] = {"成员名单", "组成人员", "名单", "如下", NULL};
		while (k < d->n && (is_space(t[k]) || is_colon(t[k]) || is_open_bracket(t[k]) ||
				    is_close_bracket(t[k])))
			k++;
		if ((l = any_at(t, k, d->n, list_words, NULL)))
			k += l;
		while (k < d->n && (is_space(t[k]) || is_colon(t[k]) || is_close_bracket(t[k])))
			k++;
		if (k < d->n && t[k] == '\n') {
			k++;
			while (k < d->n && is_space(t[k]))
				k++;
			if (role_at(t, k, d->n, &r))
				roles_follow = true;
		}
		if (!set && !roles_follow)
			continue;
		name_from = v;
		name_to = after;
		found = true;
	}
	if (!found)
		return json_null();

	for (int r = 0; r < R_COUNT; r++)
		cm.roles[r] = json_array();
	cm.descriptions = json_array();

	/* the paragraph of the name, and the next ones while they give roles */
	size_t ps = name_from, pe = name_to, from = name_to;
	while (ps > 0 && t[ps - 1] != '\n')
		ps--;
	while (pe < d->n && t[pe] != '\n')
		pe++;
	for (;;) {
		/* clauses: split at ， ； 。 but keep "组长：a、b" together */
		size_t cs = from > ps && from < pe ? from : ps;
		for (size_t k = cs; k <= pe; k++) {
			if (k < pe && !is_terminal(t[k]) && !is_comma(t[k]))
				continue;
			if (k > cs)
				read_roles(d, &cm, cs, k);
			cs = k + 1;
		}
		if (pe >= d->n)
			break;
		size_t ns = pe + 1, ne = ns;
		while (ne < d->n && t[ne] != '\n')
			ne++;
		enum role r;
		size_t k = ns;
		bool roles = false;
		while (k < ne && is_space(t[k]))
			k++;
		for (size_t q = k; q < ne && !roles; q++)
			roles = role_at(t, q, ne, &r) > 0;
		if (!role_at(t, k, ne, &r) &&
		    !((lit_at(t, k, ne, "领导小组") || lit_at(t, k, ne, "办公室")) && roles))
			break;
		ps = from = ns;
		pe = ne;
	}
	if (!cm.any) {
		json_decref(cm.descriptions);
		for (int r = 0; r < R_COUNT; r++)
			json_decref(cm.roles[r]);
		return json_null();
	}
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(clean_text(d, name_from, name_to)));
	for (int r = 0; r < R_COUNT; r++)
		json_object_set_new(o, role_keys[r], cm.roles[r]);
	json_object_set_new(o, "member_descriptions", cm.descriptions);
	json_object_set_new(o, "source", span_json(d, name_from, pe));
	return o;
}

/* ---- festivals ---- */

/* Whether a bare numeric name (五一, 七一, 三八) stands as a festival here. */
static bool festival_context_ok(const struct doc *d, size_t at, size_t len,
				const struct festival *f, bool bare)
{
	uint32_t prev = at > 0 ? d->t[at - 1] : 0;
	uint32_t next = at + len < d->n ? d->t[at + len] : 0;
	static const char *const follow[] = {"、", "，", ",", "。", "；", "”", "\"", "等", "期",
					     "前", "后", "节", "假", "之", "和", "及", "与", "到",
					     "至", "来", "活动", "纪念", "庆祝", NULL};

	if (is_numeral(prev) || is_numeral(next) || is_arabic(prev) || is_arabic(next))
		return false;
	if (!bare)
		return true;
	if (!f->numeric && strcmp(f->name, "清明") != 0)
		return true;
	if ((prev == 0x201c || prev == '"' || prev == 0x300c) &&
	    (next == 0x201d || next == '"' || next == 0x300d))
		return true;
	if (next == 0 || next == '\n')
		return true;
	return any_at(d->t, at + len, d->n, follow, NULL) > 0;
}

static int festivals_json(struct doc *d, json_t **out)
{
	json_t *arr = json_array();
	char *u8 = arena_alloc(d->a, 64);
	const struct festival *seen[64];
	int nseen = 0;

	for (size_t i = 0; i < d->n; i++) {
		/* the longest alias is at most 16 code points */
		size_t bl = 0, k;
		for (k = i; k < d->n && k - i < 16; k++) {
			if (d->t[k] == '\n')
				break;
			bl += utf8_put(u8 + bl, d->t[k]);
		}
		size_t ml;
		const struct festival *f = festival_match(u8, bl, &ml);
		if (!f)
			continue;
		/* bytes to code points */
		size_t chars = 0, b = 0;
		while (b < ml) {
			size_t l;
			utf8_get(u8 + b, &l);
			b += l;
			chars++;
		}
		bool bare = strlen(f->name) == ml;
		if (!festival_context_ok(d, i, chars, f, bare))
			continue;
		bool dup = false;
		for (int s = 0; s < nseen; s++)
			if (seen[s] == f)
				dup = true;
		if (!dup && nseen < (int)ZRZ_ARRAY_LEN(seen)) {
			struct festival_day fd;
			char date[11];
			int rc = festival_date(f, d->year, &fd);
			if (rc != ZRZ_OK) {
				json_decref(arr);
				return rc;
			}
			festival_day_format(&fd, date);
			seen[nseen++] = f;
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:o}", "name",
							     f->name, "full_name", f->full_name,
							     "text", clean_text(d, i, i + chars),
							     "date", date, "source",
							     span_json(d, i, i + chars)));
		}
		i += chars - 1;
	}
	*out = arr;
	return ZRZ_OK;
}

/* ---- placeholders and workflow words ---- */

static bool placeholder_char(uint32_t c)
{
	return c == 'x' || c == 'X' || c == 0xd7 /* × */ || c == 0xff58 /* ｘ */ ||
	       c == 0xff38 /* Ｘ */ || c == '*' || c == 0xff0a /* ＊ */ || c == 0x25a1 /* □ */ ||
	       c == '_';
}

static json_t *placeholders_json(struct doc *d)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < d->n && json_array_size(arr) < MAX_EXTRACTS; i++) {
		if (!placeholder_char(d->t[i]))
			continue;
		size_t e = i;
		while (e < d->n && placeholder_char(d->t[e]))
			e++;
		uint32_t prev = i > 0 ? d->t[i - 1] : 0, next = e < d->n ? d->t[e] : 0;
		bool alone = !(prev < 0x80 && ascii_word(prev)) && !(next < 0x80 && ascii_word(next));
		bool underline = d->t[i] == '_';
		/* a word like "x" between Chinese, or a run of blanks to fill */
		if (!alone || (!is_cjk(prev) && !is_cjk(next) && !underline) ||
		    (underline && e - i < 2)) {
			i = e - 1;
			continue;
		}
		size_t cf, ct;
		clause_of(d, i, &cf, &ct);
		json_array_append_new(arr, json_pack("{s:s, s:o}", "text", clean_text(d, i, ct),
						     "source", span_json(d, i, ct)));
		i = e - 1;
	}
	return arr;
}

static json_t *hints_json(struct doc *d)
{
	static const struct {
		const char *word;
		const char *kind;
	} words[] = {
		{"三审三校", "review"},   {"三审", "review"},
		{"一票否决", "veto"},     {"谁主管谁负责", "ownership"},
		{"谁主办谁负责", "ownership"}, {"谁组建谁负责", "ownership"},
		{"谁组建、谁负责", "ownership"}, {"谁主管、谁负责", "ownership"},
		{"责任追究", "accountability"},
	};
	json_t *arr = json_array();
	bool seen[ZRZ_ARRAY_LEN(words)] = {false};
	bool incident = false;

	for (size_t i = 0; i < d->n; i++) {
		/* 第一时间发现、第一时间研判、…: the chain of first-moment steps */
		if (!incident && lit_at(d->t, i, d->n, "第一时间")) {
			size_t e = i, steps = 0;
			for (;;) {
				size_t l = lit_at(d->t, e, d->n, "第一时间");
				if (!l)
					break;
				e += l;
				while (e < d->n && is_cjk(d->t[e]) && !lit_at(d->t, e, d->n, "第一时间") &&
				       e - i < 80)
					e++;
				steps++;
				if (e < d->n && (d->t[e] == CP_IDEO_COMMA || is_comma(d->t[e])) &&
				    lit_at(d->t, e + 1, d->n, "第一时间"))
					e++;
			}
			if (steps >= 2) {
				json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "kind",
								     "incident", "text",
								     clean_text(d, i, e), "source",
								     span_json(d, i, e)));
				incident = true;
				i = e;
				continue;
			}
		}
		for (size_t w = 0; w < ZRZ_ARRAY_LEN(words); w++) {
			size_t l = lit_at(d->t, i, d->n, words[w].word);
			if (!l || seen[w])
				continue;
			seen[w] = true;
			/* 三审 inside 三审三校 counts once */
			if (w == 0)
				seen[1] = true;
			json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "kind", words[w].kind,
							     "text", words[w].word, "source",
							     span_json(d, i, i + l)));
			i += l - 1;
			break;
		}
	}
	return arr;
}

/* ---- problems and measures ---- */

static json_t *entry_json(struct doc *d, const struct node *nd)
{
	size_t tend, rest;

	node_title(d, nd, &tend, &rest);
	return json_pack("{s:s, s:s, s:o}", "title", short_title(d, nd->body, tend), "text",
			 clean_text(d, nd->body, nd->end), "source", span_json(d, nd->start, nd->end));
}

/* "一是…二是…" inside one text: each part an entry. */
static void split_enumeration(struct doc *d, json_t *arr, size_t from, size_t to)
{
	static const char *const firsts[] = {"一是", "二是", "三是", "四是", "五是", "六是", "七是",
					     "八是", "九是", "十是", NULL};
	size_t starts[16];
	int n = 0;

	for (size_t k = from; k < to && n < 16; k++) {
		int which = 0;
		if (any_at(d->t, k, to, firsts, &which) && which == n)
			starts[n++] = k;
	}
	if (n < 2) {
		size_t e = from;
		while (e < to && !is_terminal(d->t[e]))
			e++;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "title",
						     short_title(d, from, e), "text",
						     clean_text(d, from, to), "source",
						     span_json(d, from, to)));
		return;
	}
	for (int i = 0; i < n; i++) {
		size_t s = starts[i] + 2, e = i + 1 < n ? starts[i + 1] : to, te = s;
		while (te < e && !is_terminal(d->t[te]) && !is_comma(d->t[te]))
			te++;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "title",
						     short_title(d, s, te), "text",
						     clean_text(d, starts[i], e), "source",
						     span_json(d, starts[i], e)));
	}
}

static void collect_role(struct doc *d, const struct node *parent, const char *role, json_t *arr)
{
	for (const struct node *c = parent->child; c; c = c->next) {
		size_t tend, rest;
		node_title(d, c, &tend, &rest);
		if (c->role && !strcmp(c->role, role)) {
			json_array_append_new(arr, entry_json(d, c));
			continue;
		}
		const char *own = role_of(d, c->body, tend);
		if (own && !strcmp(own, role) && tend - c->body <= 30) {
			/* a heading "存在的问题": its entries, or its enumeration */
			if (c->child) {
				for (const struct node *g = c->child; g; g = g->next)
					json_array_append_new(arr, entry_json(d, g));
			} else {
				size_t from = rest, to = c->end;
				trim(d, &from, &to);
				if (to > from)
					split_enumeration(d, arr, from, to);
			}
			continue;
		}
		collect_role(d, c, role, arr);
	}
}

/* ---- sections and items as JSON ---- */

static int count_nodes(const struct node *nd, bool sections, bool numbered_only)
{
	int n = 0;

	for (const struct node *c = nd->child; c; c = c->next) {
		if (c->section == sections && !(numbered_only && c->inferred))
			n++;
		n += count_nodes(c, sections, numbered_only);
	}
	return n;
}

static json_t *node_json(struct doc *d, const struct node *nd, int level);

static void children_json(struct doc *d, const struct node *nd, int level, json_t *sections,
			  json_t *items)
{
	for (const struct node *c = nd->child; c; c = c->next) {
		if (c->section)
			json_array_append_new(sections, node_json(d, c, level + 1));
		else
			json_array_append_new(items, node_json(d, c, level));
	}
}

static json_t *node_json(struct doc *d, const struct node *nd, int level)
{
	size_t tend, rest;
	json_t *o, *sections = json_array(), *items = json_array();
	const char *number;

	node_title(d, nd, &tend, &rest);
	if (nd->inferred)
		number = arena_printf(d->a, "%lld", (long long)nd->value);
	else
		number = clean_text(d, nd->num_start, nd->num_end);
	if (nd->style == MS_AR_DOT2 || nd->style == MS_AR_DOT3) {
		/* the whole dotted number as written */
		number = clean_text(d, nd->num_start, nd->num_end);
	}
	children_json(d, nd, level, sections, items);
	if (nd->section) {
		o = json_pack("{s:s, s:I, s:s, s:i, s:i, s:o, s:s, s:s, s:o, s:b, s:o, s:o, s:o}",
			      "number", number, "value", (json_int_t)nd->value, "style",
			      style_names[nd->style], "level", level, "group", nd->group, "lead",
			      nd->lead_end > nd->lead_start
				      ? json_string(clean_text(d, nd->lead_start, nd->lead_end))
				      : json_null(),
			      "title", short_title(d, nd->body, tend), "text",
			      clean_text(d, rest, nd->end), "role",
			      nd->role ? json_string(nd->role) : json_null(), "noisy", nd->noisy,
			      "source", span_json(d, nd->start, nd->end), "sections", sections,
			      "items", items);
	} else {
		o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:b, s:o, s:o}", "number", number, "value",
			      (json_int_t)nd->value, "style", style_names[nd->style], "title",
			      short_title(d, nd->body, tend), "text",
			      clean_text(d, nd->body, nd->end), "inferred", nd->inferred, "source",
			      span_json(d, nd->start, nd->end), "items", items);
		json_decref(sections);
	}
	return o;
}

static int by_position(const void *a, const void *b)
{
	const struct found_obligation *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->min < y->min ? -1 : x->min > y->min;
}

/* The obligations in the order of the text. */
static json_t *obligations_json(struct doc *d, struct oblist *l)
{
	json_t *arr = json_array();

	if (l->n > 1)
		qsort(l->v, (size_t)l->n, sizeof(*l->v), by_position);

	for (int i = 0; i < l->n; i++) {
		const struct found_obligation *o = &l->v[i];
		json_t *notes = json_array();
		for (int k = 0; k < o->nnotes; k++)
			json_array_append_new(notes, json_string(o->notes[k]));
		json_array_append_new(
			arr, json_pack("{s:o, s:I, s:s, s:b, s:f, s:o, s:o, s:o}", "kind",
				       o->kind ? json_string(o->kind) : json_null(), "min",
				       (json_int_t)o->min, "period", period_names[o->period],
				       "confirmed", o->confirmed, "confidence",
				       (double)(int)(o->confidence * 100 + 0.5) / 100.0, "activity",
				       o->activity ? json_string(o->activity) : json_null(), "notes",
				       notes, "source", span_json(d, o->from, o->to)));
	}
	return arr;
}

/* ---- the entry point ---- */

static int decode_input(struct doc *d)
{
	size_t n = 0, count = utf8_count(d->src, d->src_len);

	d->cp = arena_alloc(d->a, (count + 1) * sizeof(*d->cp));
	d->cp_off = arena_alloc(d->a, (count + 1) * sizeof(*d->cp_off));
	for (size_t b = 0; b < d->src_len;) {
		size_t l;
		d->cp_off[n] = b;
		d->cp[n++] = utf8_get(d->src + b, &l);
		b += l;
	}
	d->cp_off[n] = d->src_len;
	d->ncp = n;
	return ZRZ_OK;
}

int plan_import_analyze(struct arena *a, const char *text, size_t len, int year, json_t **out,
			struct derr *e)
{
	struct doc d = {0};
	struct oblist obs = {0};
	json_t *root, *sections, *items;

	*out = NULL;
	if (len > PLAN_IMPORT_MAX_BYTES)
		return derr_set(e, ZRZ_ETOOBIG, "text", "文本过长，最多 2 MiB");
	if (!text || len == 0)
		return derr_set(e, ZRZ_EINVAL, "text", "文本不能为空");
	if (!utf8_valid_text(text, len))
		return derr_set(e, ZRZ_EINVAL, "text",
				"文本不是有效的 UTF-8 文字（或含有控制字符），请另存为 UTF-8 后重试");
	if (year < FESTIVAL_YEAR_MIN || year > FESTIVAL_YEAR_MAX - 1)
		return derr_set(e, ZRZ_EINVAL, "year", "年度应在 1900 至 2099 之间");

	d.a = a;
	d.src = text;
	d.src_len = len;
	d.year = year;
	decode_input(&d);
	build_text(&d);
	if (d.n == 0)
		return derr_set(e, ZRZ_EINVAL, "text", "文本不能为空");

	build_structure(&d);
	infer_first_items(&d, d.root);
	assign_roles(&d, d.root);

	/* the title: a first paragraph without punctuation before any entry */
	{
		size_t pe = 0;
		while (pe < d.n && d.t[pe] != '\n')
			pe++;
		if (pe < d.n && pe <= 60 && !d.marker[0] && !has_punct(d.t, 0, pe) &&
		    (pe <= 30 || contains_any(d.t, 0, pe, title_words)))
			d.title_end = pe;
	}
	detect_type(&d);

	find_quantities(&d, &obs);
	find_periodic(&d, &obs);

	sections = json_array();
	items = json_array();
	children_json(&d, d.root, 0, sections, items);

	json_t *preamble = json_null();
	{
		size_t from = d.title_end, to = d.root->child ? d.root->child->start : d.n;
		if (d.root->child && d.root->child->lead_end > d.root->child->lead_start)
			to = d.root->child->lead_end;
		trim(&d, &from, &to);
		if (to > from)
			preamble = json_string(clean_text(&d, from, to));
	}

	json_t *dated = NULL;
	int rc = festivals_json(&d, &dated);
	if (rc != ZRZ_OK) {
		json_decref(sections);
		json_decref(items);
		json_decref(preamble);
		return derr_set(e, rc, NULL, "无法计算节日日期（农历数据不可用）");
	}

	json_t *problems = json_array(), *measures = json_array();
	collect_role(&d, d.root, "problems", problems);
	collect_role(&d, d.root, "measures", measures);

	root = json_object();
	json_object_set_new(root, "type", json_string(d.type));
	json_object_set_new(root, "year", json_integer(year));
	json_object_set_new(root, "title",
			    d.title_end ? json_string(clean_text(&d, 0, d.title_end)) : json_null());
	json_object_set_new(
		root, "stats",
		json_pack("{s:I, s:I, s:i, s:i, s:i}", "chars", (json_int_t)d.ncp, "paragraphs",
			  (json_int_t)d.paragraphs, "sections", count_nodes(d.root, true, false),
			  "items", count_nodes(d.root, false, false), "numbered_items",
			  count_nodes(d.root, false, true)));
	json_object_set_new(root, "preamble", preamble);
	json_object_set_new(root, "sections", sections);
	json_object_set_new(root, "items", items);
	json_object_set_new(root, "obligations", obligations_json(&d, &obs));
	json_object_set_new(root, "committee", committee_json(&d));
	json_object_set_new(root, "dated_activities", dated);
	json_object_set_new(root, "suggestions", suggestions_json(&d, &obs));
	json_object_set_new(root, "problems", problems);
	json_object_set_new(root, "measures", measures);
	json_object_set_new(root, "placeholders", placeholders_json(&d));
	json_object_set_new(root, "workflow_hints", hints_json(&d));
	*out = root;
	return ZRZ_OK;
}

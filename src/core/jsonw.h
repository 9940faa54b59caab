/*
 * A JSON writer into a growable buffer, for answers large enough that
 * building them as jansson values first costs more than the query: the
 * ledger list writes its rows straight from the statement with it.  What it
 * writes parses back exactly as jansson's json_dumps() output of the same
 * values: strings escape '"', '\\' and the C0 controls (\b \f \n \r \t, the
 * others as \u00XX) and keep every other character as UTF-8.  Text that is
 * not well-formed UTF-8 (which the API never stores: every input is checked)
 * is written with U+FFFD in place of each byte that cannot start or continue
 * a character, so the answer stays valid JSON.
 *
 * The functions never fail one by one: the first error (the buffer's cap)
 * sticks in w->err and later writes do nothing.
 */
#ifndef ZRZ_CORE_JSONW_H
#define ZRZ_CORE_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct jw {
	struct buf b;
	int err;
};

#define JW_INIT {BUF_INIT, 0}

/* Allocate n bytes up front when nothing is allocated yet. */
void jw_reserve(struct jw *w, size_t n);
/* Bytes as they are (punctuation, keys, JSON already checked). */
void jw_raw(struct jw *w, const char *s, size_t n);
/* A NUL-terminated literal as it is. */
void jw_lit(struct jw *w, const char *s);
/* A JSON string of s[0..n), quoted and escaped. */
void jw_strn(struct jw *w, const char *s, size_t n);
/* A JSON string of s, or null when s is NULL. */
void jw_str(struct jw *w, const char *s);
/* A decimal integer. */
void jw_int(struct jw *w, int64_t v);
/* Free what was written (after an error, or when not detached). */
void jw_release(struct jw *w);

#endif

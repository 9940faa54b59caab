/*
 * Strings: UTF-8 checks, counting characters for length limits, a growable
 * byte buffer with a hard cap, and small helpers for hex.
 */
#ifndef ZRZ_CORE_STR_H
#define ZRZ_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no
 * code points above U+10FFFF) and contains no NUL and no C0 control
 * character other than tab, newline and carriage return.
 */
bool utf8_valid_text(const char *s, size_t n);

/* Number of code points in valid UTF-8 s[0..n). */
size_t utf8_count(const char *s, size_t n);

/* True when s is empty or only ASCII/Unicode white space (incl. U+3000). */
bool str_blank(const char *s);

/*
 * A growable buffer.  Memory is the caller's: buf_release() frees it, and
 * buf_detach() hands the NUL-terminated bytes to the caller.  When the
 * buffer would grow beyond cap bytes (0 = no cap), the append fails with
 * ZRZ_ETOOBIG and the buffer is unchanged.
 */
struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0, 0}

int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_release(struct buf *b);
char *buf_detach(struct buf *b, size_t *len);

/* Write 2n lowercase hex digits and a NUL into out (2n+1 bytes). */
void hex_encode(const unsigned char *p, size_t n, char *out);

/* Parse a decimal int64 that fills all of s; false on junk or overflow. */
bool str_to_int64(const char *s, int64_t *out);

#endif

/*
 * Region allocator.  Every HTTP request and every CLI command owns one arena;
 * everything allocated for it is released at once by arena_free(), so
 * handlers never call free().  Allocation aborts the process when memory runs
 * out, so callers never check for NULL.  Resources that are not memory
 * (statements, JSON values, files) are tied to the arena with
 * arena_on_release() and released, newest first, when it is freed.
 */
#ifndef ZRZ_CORE_ARENA_H
#define ZRZ_CORE_ARENA_H

#include <stddef.h>

struct arena;

/* A new empty arena; free it with arena_free(). */
struct arena *arena_new(void);

/* Run the release callbacks, newest first, then free all memory. NULL is ok. */
void arena_free(struct arena *a);

/* n bytes aligned for any type, zero-filled.  Owned by the arena. */
void *arena_alloc(struct arena *a, size_t n);

/* A NUL-terminated copy of s (or of its first n bytes).  Owned by the arena. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* printf into arena memory. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Call fn(p) when the arena is freed. */
void arena_on_release(struct arena *a, void (*fn)(void *), void *p);

/* malloc family that abort on out-of-memory; for long-lived objects. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif

/*
 * A bump allocator over a chain of blocks.  Small requests are carved from
 * the current block; a request larger than a quarter block gets a block of
 * its own so that one big body does not waste a half-empty block.
 */
#include "core/common.h"
#include "core/arena.h"

#define BLOCK_SIZE (16 * 1024)
#define ALIGN 16

struct block {
	struct block *next;
	size_t used;
	size_t size;
	_Alignas(ALIGN) unsigned char data[];
};

struct release {
	struct release *next;
	void (*fn)(void *);
	void *p;
};

struct arena {
	struct block *head;
	struct release *releases;
};

static void oom(void)
{
	fputs("zerenzhi: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);
	memcpy(p, s, n);
	return p;
}

static struct block *block_new(size_t size)
{
	struct block *b = xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->used = 0;
	b->size = size;
	return b;
}

struct arena *arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof(*a));
	a->head = block_new(BLOCK_SIZE);
	return a;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	while (a->releases) {
		struct release *r = a->releases;
		a->releases = r->next;
		r->fn(r->p);
	}
	while (a->head) {
		struct block *b = a->head;
		a->head = b->next;
		free(b);
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need < n)
		oom();
	if (need == 0)
		need = ALIGN;
	struct block *b = a->head;
	if (need > BLOCK_SIZE / 4) {
		/* A block of its own, linked behind the current one. */
		struct block *big = block_new(need);
		big->used = need;
		big->next = b->next;
		b->next = big;
		memset(big->data, 0, need);
		return big->data;
	}
	if (b->size - b->used < need) {
		b = block_new(BLOCK_SIZE);
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	memset(p, 0, need);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_on_release(struct arena *a, void (*fn)(void *), void *p)
{
	struct release *r = arena_alloc(a, sizeof(*r));
	r->fn = fn;
	r->p = p;
	r->next = a->releases;
	a->releases = r;
}

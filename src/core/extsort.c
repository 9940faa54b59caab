/*
 * The external sort (see extsort.h).  Runs are written one after the other
 * to a single file whose name is removed as soon as it is created; the
 * merge keeps, for each run, a window of records read with pread (the
 * windows together no larger than one run) and a binary heap of the runs
 * by their current record.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/extsort.h"

#include <errno.h>
#include <unistd.h>

/* Records read at a time from each run during the merge, at most; fewer
 * when there are many runs, so that the windows together take no more
 * memory than one run did. */
#define WINDOW_MAX 256

struct run {
	off_t start;     /* offset of the run's first record in the file */
	int64_t n;       /* records in the run */
	int64_t next;    /* records of the run read into windows so far */
	char *win;       /* the window */
	size_t have, at; /* records in the window, the current one */
};

struct extsort {
	size_t size, cap;
	int (*cmp)(const void *, const void *);
	char *buf;       /* the run being gathered */
	size_t nbuf;
	int64_t count;
	int fd;          /* -1 until the first run is written */
	off_t end;
	struct run *runs;
	int nruns, cruns;
	int *heap;       /* run indexes, smallest current record first */
	int nheap;
	size_t pos;      /* reading from buf when no run was written */
	int merging;
	size_t window;   /* records per window */
};

struct extsort *extsort_new(size_t size, size_t run, int (*cmp)(const void *, const void *))
{
	struct extsort *s = xcalloc(1, sizeof(*s));
	s->size = size;
	s->cap = run ? run : EXTSORT_RUN_DEFAULT;
	s->cmp = cmp;
	s->buf = xmalloc(s->size * s->cap);
	s->fd = -1;
	return s;
}

static int write_all(int fd, const char *p, size_t n, off_t at)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return ZRZ_EIO;
		p += w;
		n -= (size_t)w;
		at += w;
	}
	return ZRZ_OK;
}

static int open_file(struct extsort *s)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	size_t n = strlen(dir) + 32;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/zerenzhi-sort-XXXXXX", dir);
	s->fd = mkstemp(path);
	if (s->fd >= 0)
		unlink(path);
	free(path);
	return s->fd < 0 ? ZRZ_EIO : ZRZ_OK;
}

/* Sort the gathered records and write them as a run. */
static int spill(struct extsort *s)
{
	if (!s->nbuf)
		return ZRZ_OK;
	if (s->fd < 0 && open_file(s))
		return ZRZ_EIO;
	qsort(s->buf, s->nbuf, s->size, s->cmp);
	if (write_all(s->fd, s->buf, s->nbuf * s->size, s->end))
		return ZRZ_EIO;
	if (s->nruns == s->cruns) {
		s->cruns = s->cruns ? 2 * s->cruns : 8;
		s->runs = xrealloc(s->runs, sizeof(*s->runs) * (size_t)s->cruns);
	}
	s->runs[s->nruns++] = (struct run){s->end, (int64_t)s->nbuf, 0, NULL, 0, 0};
	s->end += (off_t)(s->nbuf * s->size);
	s->nbuf = 0;
	return ZRZ_OK;
}

int extsort_add(struct extsort *s, const void *rec)
{
	if (s->merging)
		return ZRZ_EINTERNAL;
	if (s->nbuf == s->cap) {
		int rc = spill(s);
		if (rc)
			return rc;
	}
	memcpy(s->buf + s->nbuf * s->size, rec, s->size);
	s->nbuf++;
	s->count++;
	return ZRZ_OK;
}

/* Read the next window of run r; false at its end or on an error (*err). */
static bool refill(struct extsort *s, struct run *r, int *err)
{
	r->at = r->have = 0;
	if (r->next >= r->n)
		return false;
	int64_t want = r->n - r->next < (int64_t)s->window ? r->n - r->next : (int64_t)s->window;
	size_t bytes = (size_t)want * s->size, got = 0;
	off_t at = r->start + (off_t)((size_t)r->next * s->size);
	while (got < bytes) {
		ssize_t n = pread(s->fd, r->win + got, bytes - got, at + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = ZRZ_EIO;
			return false;
		}
		got += (size_t)n;
	}
	r->next += want;
	r->have = (size_t)want;
	return true;
}

static const void *current(const struct extsort *s, int i)
{
	const struct run *r = &s->runs[i];
	return r->win + r->at * s->size;
}

static bool less(const struct extsort *s, int a, int b)
{
	int c = s->cmp(current(s, a), current(s, b));
	return c < 0 || (c == 0 && a < b);
}

static void sift_down(struct extsort *s, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < s->nheap && less(s, s->heap[l], s->heap[m]))
			m = l;
		if (r < s->nheap && less(s, s->heap[r], s->heap[m]))
			m = r;
		if (m == i)
			return;
		int t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

int extsort_finish(struct extsort *s)
{
	if (s->merging)
		return ZRZ_OK;
	s->merging = 1;
	if (s->fd < 0) {
		/* Everything fits in memory: one sort, read from the buffer. */
		if (s->nbuf > 1)
			qsort(s->buf, s->nbuf, s->size, s->cmp);
		return ZRZ_OK;
	}
	int rc = spill(s);
	if (rc)
		return rc;
	free(s->buf);
	s->buf = NULL;
	s->window = s->cap / (size_t)s->nruns;
	if (s->window < 1)
		s->window = 1;
	if (s->window > WINDOW_MAX)
		s->window = WINDOW_MAX;
	s->heap = xmalloc(sizeof(*s->heap) * (size_t)s->nruns);
	for (int i = 0; i < s->nruns; i++) {
		s->runs[i].win = xmalloc(s->window * s->size);
		int err = ZRZ_OK;
		if (refill(s, &s->runs[i], &err))
			s->heap[s->nheap++] = i;
		else if (err)
			return err;
	}
	for (int i = s->nheap / 2 - 1; i >= 0; i--)
		sift_down(s, i);
	return ZRZ_OK;
}

int extsort_next(struct extsort *s, void *rec)
{
	if (!s->merging)
		return ZRZ_EINTERNAL;
	if (s->fd < 0) {
		if (s->pos >= s->nbuf)
			return 0;
		memcpy(rec, s->buf + s->pos++ * s->size, s->size);
		return 1;
	}
	if (!s->nheap)
		return 0;
	int top = s->heap[0];
	struct run *r = &s->runs[top];
	memcpy(rec, current(s, top), s->size);
	if (++r->at == r->have) {
		int err = ZRZ_OK;
		if (!refill(s, r, &err)) {
			if (err)
				return err;
			s->heap[0] = s->heap[--s->nheap];
		}
	}
	if (s->nheap)
		sift_down(s, 0);
	return 1;
}

int64_t extsort_count(const struct extsort *s)
{
	return s->count;
}

int extsort_runs_written(const struct extsort *s)
{
	return s->nruns;
}

void extsort_free(struct extsort *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	for (int i = 0; i < s->nruns; i++)
		free(s->runs[i].win);
	free(s->runs);
	free(s->heap);
	free(s->buf);
	free(s);
}

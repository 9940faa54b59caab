/*
 * An external sort of fixed-size records with bounded memory: records are
 * gathered a run at a time, each run sorted and, once there is more than
 * one, written to an unnamed temporary file ($TMPDIR, else /tmp); reading
 * merges the runs with a small buffer each.  A sort that fits in one run
 * never touches the disk.  cmp must be a total order (records that compare
 * equal come back in no particular order).
 */
#ifndef ZRZ_CORE_EXTSORT_H
#define ZRZ_CORE_EXTSORT_H

#include <stddef.h>
#include <stdint.h>

struct extsort;

/* Records per run when the caller passes 0 (memory: this many records). */
#define EXTSORT_RUN_DEFAULT 65536

/* A sorter of records of size bytes, run records at a time (0: the
 * default).  Free it with extsort_free(). */
struct extsort *extsort_new(size_t size, size_t run, int (*cmp)(const void *, const void *));

/* Add one record (copied).  ZRZ_OK, or ZRZ_EIO when a run cannot be written. */
int extsort_add(struct extsort *s, const void *rec);

/* No more records: sort what is left and start the merge.  ZRZ_OK or ZRZ_EIO. */
int extsort_finish(struct extsort *s);

/* The next record in order into rec: 1, 0 past the last, or an error (ZRZ_EIO, < 0). */
int extsort_next(struct extsort *s, void *rec);

/* Records added so far, and runs written to the file (0: all in memory). */
int64_t extsort_count(const struct extsort *s);
int extsort_runs_written(const struct extsort *s);

/* Release everything, the temporary file included.  NULL is ok. */
void extsort_free(struct extsort *s);

#endif

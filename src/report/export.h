/*
 * Exports as .xlsx of what the JSON API lists: a unit's ledger (台账) with
 * the filters of GET /api/v1/records, a unit's compliance table and a
 * superior's rollup over its subtree, for the server and the command line
 * alike.  Rows come from the same domain and store queries as the lists;
 * the ledger is walked in pages, never loaded whole.  The caller has
 * checked the scope; these functions only read, and export_audit() records
 * who exported what in the caller's write transaction.
 */
#ifndef ZRZ_REPORT_EXPORT_H
#define ZRZ_REPORT_EXPORT_H

#include <jansson.h>

#include "domain/app.h"
#include "domain/obligation.h"

/* The most records one ledger export takes. */
#define EXPORT_RECORDS_MAX 1000000

/* Told how far an export is: done of total rows, every few hundred rows
 * and once at the end. */
struct export_progress {
	void (*fn)(void *ctx, int64_t done, int64_t total);
	void *ctx;
};

struct export_result {
	int fd;               /* the anonymous file (dest NULL), else -1 */
	uint64_t size;        /* its length */
	int64_t rows;         /* data rows written */
	const char *filename; /* a Chinese file name ending in .xlsx, arena-owned */
	json_t *detail;       /* what was exported, for export_audit (owned; the
			       * caller hands it on or decrefs it) */
};

/*
 * Write the records matching f (f->org_id, f->path and the other filters as
 * the list takes them) of unit o to dest, or to an anonymous file when dest
 * is NULL (see xlsx_open).  now is the time shown as generated.  ZRZ_EINVAL
 * with e set when more than EXPORT_RECORDS_MAX records match; ZRZ_EIO when
 * the file cannot be written.  progress may be NULL.
 */
int export_records(struct db *db, struct arena *a, const struct org *o,
		   const struct record_filter *f, int64_t now, const char *dest,
		   const struct export_progress *progress, struct export_result *out,
		   struct derr *e);

/* Unit o's compliance table of year as of day number today. */
int export_compliance(struct db *db, struct arena *a, const struct org *o, int year, int today,
		      int64_t now, const char *dest, const struct export_progress *progress,
		      struct export_result *out, struct derr *e);

/* The rollup of every unit under o for year (only the period *only when not
 * NULL), all of it, in order sort, read from the kept rows in batches:
 * no limit on the number of rows, and memory bounded. */
int export_rollup(struct db *db, struct arena *a, const struct org *o, int year, int today,
		  const struct period *only, enum rollup_sort sort, int64_t now,
		  const char *dest, const struct export_progress *progress,
		  struct export_result *out, struct derr *e);

/* Audit "export" of unit o with res->detail (stolen) in the caller's write
 * transaction. */
int export_audit(struct db *db, const struct actor *who, const struct org *o,
		 struct export_result *res);

#endif

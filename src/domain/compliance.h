/*
 * Compliance kept ready for a superior's rollup: one row per obligation
 * period (unit, obligation, period) holding the records done, the target
 * and the assessment of one day, so that the first page of a province's
 * rollup, most behind first, is a walk of one index.
 *
 * The rows move in the same transaction as whatever moves them: a record
 * created, edited (date or kind), deleted or restored re-reads the counters
 * of its unit and kind for the years its date touches; an obligation
 * created fills its rows, one deleted drops them; a unit moved rewrites
 * their paths.  The assessment depends on the day, so each row says until
 * which day it holds (valid_to), and the daily job "compliance_assess"
 * re-assesses the rows past it.  A page read before the job has run on a
 * new day keeps the stored order (yesterday's, at worst) but every row it
 * returns is assessed again for the day asked, so the JSON status and
 * behind are always today's.
 */
#ifndef ZRZ_DOMAIN_COMPLIANCE_H
#define ZRZ_DOMAIN_COMPLIANCE_H

#include <jansson.h>

#include "domain/app.h"
#include "domain/obligation.h"

/* Rebuild the rows of every obligation of org_id, kind and year from the
 * counters, assessed for day today. */
int compliance_refresh(struct db *db, struct arena *a, int64_t org_id, const char *kind,
		       int year, int today);
/* The counters of org_id and kind moved for a record dated date: rebuild
 * the rows of the years holding that date (its calendar year, and its ISO
 * week's year when that differs), assessed for today. */
int compliance_record_moved(struct db *db, int64_t org_id, const char *kind, const char *date);
/* Obligation o was created (fill its rows) or deleted (drop them). */
int compliance_obligation_added(struct db *db, struct arena *a, const struct obligation *o);
int compliance_obligation_removed(struct db *db, const struct obligation *o);
/* Unit org_id moved from old_path to new_path with everything below it:
 * the rows' paths, and the totals of its old and new ancestors. */
int compliance_unit_moved(struct db *db, int64_t org_id, const char *old_path,
			  const char *new_path);

/*
 * Fill the rows of obligations that have none (databases from before the
 * table, obligations written around the domain) and re-assess every row
 * whose assessment no longer holds on day today.  *filled and *assessed get
 * how many obligations and rows were done.  Run inside a transaction.
 */
int compliance_fill(struct db *db, int today, int64_t *filled, int64_t *assessed);
/*
 * Re-assess for day today at most max (0: every one) of the rows whose
 * assessment no longer holds; *assessed gets how many.  The job bounds each
 * run so that it holds the writers back for a short while only: on the
 * first day of a period every running row of a province is due (200,000 at
 * 50,000 units), and the runs that follow finish them; meanwhile pages keep
 * the older order and assess the rows they return for the day.
 */
int compliance_reassess(struct db *db, int today, int64_t max, int64_t *assessed);

/*
 * A page of the rollup of year of unit org_id at path and every unit below
 * it, from the kept rows: only period *only unless NULL, sorted by sort,
 * rows offset..offset+limit, each assessed for day today; *total counts
 * every row (a lookup in compliance_total, not a count).
 */
int compliance_rollup_page(struct db *db, struct arena *a, int64_t org_id, const char *path,
			   int year,
			   int today, const struct period *only, enum rollup_sort sort,
			   int64_t offset, int64_t limit, struct rollup_row **rows, int *n,
			   int64_t *total);

/* One row of a rollup handed over by compliance_rollup_each(); r and what
 * it points to last until the call returns.  Non-zero stops the walk. */
typedef int (*rollup_row_fn)(void *ctx, const struct rollup_row *r);
/*
 * Every row of the rollup of year under path (only period *only unless
 * NULL), assessed for day today, in order sort, to fn one at a time: the
 * kept rows read in batches in the order of units, and for "most behind
 * first" (by the assessment of day today, which need not be the kept one)
 * through an external sort (core/extsort.h).  Memory stays bounded however
 * many rows the subtree has: a batch, a run of the sort, and the names of
 * the units.
 */
int compliance_rollup_each(struct db *db, const char *path, int year, int today,
			   const struct period *only, enum rollup_sort sort, rollup_row_fn fn,
			   void *ctx);
/* The rows of that rollup: a lookup in compliance_total, not a count. */
int compliance_rollup_total(struct db *db, int64_t org_id, int year, const struct period *only,
			    int64_t *total);

#endif

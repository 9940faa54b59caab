/*
 * The rectification ledger (问题整改): problems a unit found in itself or
 * that others found in it (自查, 巡察, 考核, 上级督查, 研判), each with one
 * or more measures (an owner of the unit, a deadline, a done date) and the
 * evidence files that prove the work.  The status is the server's, never
 * set by hand: 待整改 (todo) until a measure exists, 整改中 (doing) while
 * one is open or no evidence is filed, 已完成 (done) when every measure is
 * done and at least one evidence file exists; the superior unit then closes
 * it (已销号, closed: nothing changes after that) or sends it back (doing
 * again, until the unit changes a measure or its evidence).  Every change
 * is audited in the caller's write transaction.
 */
#ifndef ZRZ_DOMAIN_PROBLEM_H
#define ZRZ_DOMAIN_PROBLEM_H

#include <jansson.h>

#include "domain/app.h"
#include "domain/attachment.h"
#include "store/rectify.h"

#define PROBLEM_TITLE_MAX 200
#define PROBLEM_TEXT_MAX 20000
#define PROBLEM_CATEGORY_MAX 50
#define MEASURE_TEXT_MAX 2000
#define PROBLEM_OPINION_MAX 2000
#define PROBLEM_IMPORT_MAX 200 /* problems saved by one import */

extern const char *const problem_sources[];   /* NULL-terminated */
extern const char *const problem_statuses[];  /* todo doing done closed */
extern const char *const measure_statuses[];  /* todo doing done */

/* Today in China as "YYYY-MM-DD" into out (PERIOD_DATE_SIZE bytes). */
void problem_today(char *out, size_t n);

/* Problem id with its counts as of today (ZRZ_ENOTFOUND when none). */
int problem_get(struct db *db, struct arena *a, int64_t id, struct problem *out);
int problem_list(struct db *db, struct arena *a, const struct problem_filter *f,
		 int64_t offset, int64_t limit, struct problem **items, int *n, int64_t *total);
int problem_rollup(struct db *db, struct arena *a, const struct org *o,
		   struct problem_rollup_row **rows, int *n);

/*
 * Create problem p (org_id, source, category, title, description,
 * found_on, analysis_id) as todo; the caller has checked that who may
 * write in p->org_id (and that p->analysis_id, when set, is of that unit).
 * ZRZ_EINVAL with e naming the field for an invalid value.
 */
int problem_create(struct db *db, struct arena *a, const struct actor *who,
		   const struct problem *p, struct problem *out, struct derr *e);
/* Replace the describing fields of cur by those of next.  ZRZ_ECONFLICT
 * once closed. */
int problem_update(struct db *db, struct arena *a, const struct actor *who,
		   const struct problem *cur, const struct problem *next, struct problem *out,
		   struct derr *e);

/*
 * Measures of problem p.  m carries text, owner_id (a user of p's unit, or
 * 0), deadline, status and done_on (a done measure without done_on is done
 * today).  Each recomputes p's status.  ZRZ_ECONFLICT once p is closed;
 * ZRZ_EINVAL with e naming the field for an invalid value.
 */
int measure_add(struct db *db, struct arena *a, const struct actor *who,
		const struct problem *p, const struct measure *m, struct measure *out,
		struct derr *e);
int measure_update(struct db *db, struct arena *a, const struct actor *who,
		   const struct problem *p, const struct measure *cur, const struct measure *next,
		   struct measure *out, struct derr *e);
int measure_remove(struct db *db, struct arena *a, const struct actor *who,
		   const struct problem *p, const struct measure *cur, struct derr *e);
int measure_get(struct db *db, struct arena *a, int64_t id, struct measure *out);
int measure_list(struct db *db, struct arena *a, int64_t problem_id, struct measure **items,
		 int *n);

/* Evidence files: the prepared file f (attachment_prepare) stored once by
 * its hash and linked to p; the same content twice is one link (*existed).
 * Removal is soft.  Both recompute p's status; ZRZ_ECONFLICT once closed. */
int evidence_add(struct db *db, struct arena *a, const struct actor *who,
		 const struct problem *p, const struct attachment_file *f,
		 struct problem_evidence *out, bool *existed, struct derr *e);
int evidence_remove(struct db *db, struct arena *a, const struct actor *who,
		    const struct problem *p, const struct problem_evidence *t, struct derr *e);
int evidence_get(struct db *db, struct arena *a, int64_t id, struct problem_evidence *out);
int evidence_list(struct db *db, struct arena *a, int64_t problem_id,
		  struct problem_evidence **items, int *n);
int evidence_data(struct db *db, struct arena *a, const struct problem_evidence *t,
		  const void **data, size_t *n);

/*
 * The superior's decisions, by who of unit superior_id (the caller has
 * checked that who holds office, leader or secretary there): close (销号)
 * a done problem, or send it back to doing, each with an opinion of
 * 1..PROBLEM_OPINION_MAX characters kept with the problem.  ZRZ_ECONFLICT
 * when p is not done.
 */
int problem_close(struct db *db, struct arena *a, const struct actor *who, int64_t superior_id,
		  const struct problem *p, const char *opinion, struct problem *out,
		  struct derr *e);
int problem_reopen(struct db *db, struct arena *a, const struct actor *who, int64_t superior_id,
		   const struct problem *p, const char *opinion, struct problem *out,
		   struct derr *e);
int problem_events(struct db *db, struct arena *a, int64_t problem_id,
		   struct problem_event **items, int *n);

/*
 * The problems a report text lists (domain/plan_import.h), as a preview:
 * {"type", "problems": [{"title", "description", "category": null,
 * "source": span}], "measures": [{"title", "text"}]}.  *out is new.
 */
int problem_import_preview(struct arena *a, const char *text, size_t len, int year,
			   json_t **out, struct derr *e);
/*
 * Save the edited list items ([{"title", "description", "category",
 * "found_on"}], 1..PROBLEM_IMPORT_MAX) as problems of org_id with source,
 * all or none; ids (arena) get the new ids.  ZRZ_EINVAL with e naming
 * "problems[i].field" for an invalid one.
 */
int problem_import_commit(struct db *db, struct arena *a, const struct actor *who,
			  int64_t org_id, const char *source, json_t *items, int64_t **ids,
			  int *n, struct derr *e);

json_t *problem_json(const struct problem *p);
json_t *measure_json(const struct measure *m, const char *today);
json_t *evidence_json(const struct problem_evidence *t);
json_t *problem_event_json(const struct problem_event *x);
json_t *problem_rollup_json(const struct problem_rollup_row *w);

#endif

/*
 * The rows of analysis reports (研判) and of the rectification ledger (问题整改),
 * and the repository functions that read and write them (store/analysis.c,
 * store/problem.c).  Kept apart from model.h and repo.h so that these
 * modules stay in one place; the conventions are theirs: text columns come
 * back as arena copies, NULL for SQL NULL; times are Unix seconds, 0 for
 * none; dates chosen by people are "YYYY-MM-DD".
 */
#ifndef ZRZ_STORE_RECTIFY_H
#define ZRZ_STORE_RECTIFY_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

/* ---- analysis reports ---- */

struct analysis {
	int64_t id;
	int64_t org_id;
	const char *org_name;
	const char *period;      /* "2026-H1", "2026", or "adhoc" */
	const char *report_date; /* the date of the report */
	const char *title;
	const char *sections;    /* JSON array of {"key","title","text"} */
	const char *state;       /* "draft" or "submitted" */
	int64_t record_id;       /* its ledger record once submitted */
	int64_t submitted_by;
	int64_t submitted_at;
	int64_t created_by;
	int64_t created_at;
	int64_t updated_at;
	int64_t deleted_at;
};

struct analysis_filter {
	int64_t org_id;
	const char *path;  /* the subtree of org_id; NULL: the unit alone */
	const char *state; /* NULL: any */
	const char *period;
};

int store_analysis_get(struct db *db, struct arena *a, int64_t id, struct analysis *out);
int store_analysis_list(struct db *db, struct arena *a, const struct analysis_filter *f,
			int64_t offset, int64_t limit, struct analysis **items, int *n,
			int64_t *total);
int store_analysis_insert(struct db *db, const struct analysis *x, int64_t by, int64_t now,
			  int64_t *id);
/* period, report_date, title and sections of a draft. */
int store_analysis_update(struct db *db, const struct analysis *x, int64_t now);
int store_analysis_set_deleted(struct db *db, int64_t id, int64_t now);
int store_analysis_set_submitted(struct db *db, int64_t id, int64_t record_id, int64_t by,
				 int64_t now);

/* ---- problems ---- */

struct problem {
	int64_t id;
	int64_t org_id;
	const char *org_name;
	const char *source;
	const char *category;
	const char *title;
	const char *description;
	const char *found_on;
	const char *status; /* todo doing done closed */
	int64_t analysis_id;
	int64_t measures;   /* live measures */
	int64_t evidence;   /* live evidence files */
	int64_t done_measures;
	int64_t overdue;    /* open measures past their deadline (as of the list's day) */
	int64_t closed_by;
	int64_t closed_at;
	int64_t created_by;
	int64_t created_at;
	int64_t updated_at;
};

struct problem_filter {
	int64_t org_id;
	const char *path;   /* the subtree of org_id; NULL: the unit alone */
	const char *status; /* NULL: any */
	const char *source;
	const char *q;      /* words of title, description or category (NULL: any) */
	bool overdue;       /* only problems with an overdue measure */
	const char *today;  /* "YYYY-MM-DD": what overdue means */
};

struct measure {
	int64_t id;
	int64_t problem_id;
	const char *text;
	int64_t owner_id;
	const char *owner_name;
	const char *deadline;
	const char *done_on;
	const char *status; /* todo doing done */
	int64_t created_by;
	int64_t created_at;
	int64_t updated_at;
	int64_t deleted_at;
};

struct problem_evidence {
	int64_t id;
	int64_t problem_id;
	const char *sha256;
	const char *name;
	const char *mime;
	int64_t size;
	bool has_thumbnail;
	int64_t created_by;
	int64_t created_at;
	int64_t deleted_at;
};

struct problem_event {
	int64_t id;
	int64_t problem_id;
	const char *action; /* close reopen */
	const char *opinion;
	int64_t user_id;
	const char *user_name;
	int64_t org_id;
	const char *org_name;
	int64_t at;
};

/* Per child unit of a rollup (the unit itself included, first). */
struct problem_rollup_row {
	int64_t org_id;
	const char *org_name;
	const char *path;
	int64_t todo, doing, done, closed;
	int64_t overdue_measures;
};

/* An open measure of the reminder job's window. */
struct measure_due {
	int64_t measure_id;
	int64_t problem_id;
	const char *text;
	const char *deadline;
	const char *problem_title;
	int64_t org_id;
	const char *org_name;
};

int store_problem_get(struct db *db, struct arena *a, int64_t id, const char *today,
		      struct problem *out);
int store_problem_list(struct db *db, struct arena *a, const struct problem_filter *f,
		       int64_t offset, int64_t limit, struct problem **items, int *n,
		       int64_t *total);
int store_problem_insert(struct db *db, const struct problem *p, int64_t by, int64_t now,
			 int64_t *id);
/* source, category, title, description and found_on. */
int store_problem_update(struct db *db, const struct problem *p, int64_t now);
int store_problem_set_status(struct db *db, int64_t id, const char *status, int64_t closed_by,
			     int64_t closed_at, int64_t now);
/* Move the live counters of a problem by the deltas. */
int store_problem_count(struct db *db, int64_t id, int64_t measures, int64_t evidence);
/* The subtree of the unit at path, its own children grouped: one row per
 * child (its whole subtree counted under it) plus the unit itself. */
int store_problem_rollup(struct db *db, struct arena *a, int64_t org_id, const char *path,
			 const char *today, struct problem_rollup_row **rows, int *n);

int store_measure_get(struct db *db, struct arena *a, int64_t id, struct measure *out);
int store_measure_list(struct db *db, struct arena *a, int64_t problem_id,
		       struct measure **items, int *n);
int store_measure_insert(struct db *db, const struct measure *m, int64_t by, int64_t now,
			 int64_t *id);
int store_measure_update(struct db *db, const struct measure *m, int64_t now);
int store_measure_set_deleted(struct db *db, int64_t id, int64_t now);
/* Open measures of live problems with deadline in [from, to], ordered by
 * deadline and id after (after_deadline, after_id), at most limit. */
int store_measures_due(struct db *db, struct arena *a, const char *from, const char *to,
		       const char *after_deadline, int64_t after_id, int limit,
		       struct measure_due **items, int *n);

int store_evidence_get(struct db *db, struct arena *a, int64_t id, struct problem_evidence *out);
int store_evidence_find_live(struct db *db, struct arena *a, int64_t problem_id,
			     const char *sha256, struct problem_evidence *out);
int store_evidence_list(struct db *db, struct arena *a, int64_t problem_id,
			struct problem_evidence **items, int *n);
int store_evidence_insert(struct db *db, int64_t problem_id, const char *sha256,
			  const char *name, int64_t by, int64_t now, int64_t *id);
int store_evidence_set_deleted(struct db *db, int64_t id, int64_t now);

int store_problem_event_insert(struct db *db, int64_t problem_id, const char *action,
			       const char *opinion, int64_t user_id, int64_t org_id, int64_t now);
int store_problem_events(struct db *db, struct arena *a, int64_t problem_id,
			 struct problem_event **items, int *n);

#endif

/*
 * Obligations ("每季度至少1次 committee_study in 2023 for unit O") and
 * their compliance: for every period of the obligation's kind in its year,
 * the records done (read from the ledger's counters, never by scanning the
 * ledger), the target and a pacing status (domain/pacing.h).
 */
#ifndef ZRZ_DOMAIN_OBLIGATION_H
#define ZRZ_DOMAIN_OBLIGATION_H

#include <jansson.h>

#include "domain/app.h"
#include "domain/pacing.h"
#include "domain/period.h"

#define OBLIGATION_MIN_MAX 1000

extern const char *const obligation_periods[]; /* NULL-terminated */

int obligation_get(struct db *db, struct arena *a, int64_t id, struct obligation *out);
/* Obligations of org_id in year (0: every year). */
int obligation_list(struct db *db, struct arena *a, int64_t org_id, int64_t year,
		    struct obligation **items, int *n);
/*
 * Create o (org_id, kind, min, period, year, plan_item_id): the kind active
 * in the dictionary, min 1..1000, a period code, year 2000..2100, and
 * plan_item_id 0 or an item of a live plan of the same unit.  ZRZ_ECONFLICT when the unit
 * already has the same kind and period for that year.  Audited.
 */
int obligation_create(struct db *db, struct arena *a, const struct actor *who,
		      const struct obligation *o, struct obligation *out, struct derr *e);
int obligation_delete(struct db *db, const struct actor *who, const struct obligation *o);
json_t *obligation_json(const struct obligation *o);

/* One obligation in one period. */
struct compliance_row {
	const struct obligation *obligation;
	const char *kind_name;
	struct period period;
	char key[PERIOD_KEY_SIZE];
	char first[PERIOD_DATE_SIZE];
	char last[PERIOD_DATE_SIZE];
	int64_t done;
	struct pacing pacing;
};

/*
 * Every period of every obligation of org_id in year, in the order of
 * obligation_list and then of the periods, assessed as of day number today.
 */
int compliance_of(struct db *db, struct arena *a, int64_t org_id, int year, int today,
		  struct compliance_row **rows, int *n);
json_t *compliance_row_json(const struct compliance_row *c);

/* ---- a superior's rollup ---- */

/* The most (unit x obligation) pairs one rollup reads. */
#define ROLLUP_PAIRS_MAX 20000

/* One obligation of one unit in one period, compact (no dates, no names). */
struct rollup_row {
	const struct unit_obligation *ob;
	struct period period;
	int64_t done;
	struct pacing pacing;
	int seq; /* order of generation: unit path, obligation, period */
};

enum rollup_sort {
	ROLLUP_SORT_BEHIND, /* most behind first (pacing_cmp_behind), then unit path */
	ROLLUP_SORT_ORG,    /* unit path, obligation, period */
};

/*
 * Every period (or only *only, when not NULL) of every obligation of year
 * of every unit under path (itself included), assessed as of day today and
 * sorted.  Two queries: the obligations, and their counters of the year;
 * never the ledger.  More than ROLLUP_PAIRS_MAX obligations (of the kind of
 * *only, when given) answer ZRZ_EINVAL with e set.
 */
int compliance_rollup(struct db *db, struct arena *a, const char *path, int year, int today,
		      const struct period *only, enum rollup_sort sort, struct rollup_row **rows,
		      int *n, struct derr *e);
/* One row as JSON: the per-unit compliance row plus org_id, org_name, org_path. */
json_t *rollup_row_json(const struct rollup_row *r, const struct record_kind *kinds, int nkinds);

/* ---- built-in templates a unit adopts in one step ---- */

struct obligation_template_item {
	const char *kind;
	int min;
	const char *period;
};

struct obligation_template {
	const char *code;
	const char *name;
	const struct obligation_template_item *items;
	int n;
};

extern const struct obligation_template obligation_templates[];
extern const int obligation_template_count;

const struct obligation_template *obligation_template_find(const char *code);
json_t *obligation_template_json(const struct obligation_template *t);

/*
 * Create for org_id in year every obligation of template t the unit does
 * not have yet (same kind and period), each audited as obligation.create,
 * then one obligation.adopt audit row.  *created / *ncreated get the new
 * obligations, *skipped (indexes into t->items) / *nskipped the others.
 */
int obligation_adopt(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
		     int64_t year, const struct obligation_template *t,
		     struct obligation **created, int *ncreated, int **skipped, int *nskipped,
		     struct derr *e);

#endif

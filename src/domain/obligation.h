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
 * in the dictionary, min 1..1000, a period code, year 2000..2100.  Plans do
 * not exist yet, so plan_item_id must be 0.  ZRZ_ECONFLICT when the unit
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

#endif

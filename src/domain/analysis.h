/*
 * Analysis reports (分析研判): a unit's report for a half-year ("2026-H1"),
 * a year ("2026") or an occasion ("adhoc", dated), written in sections (the
 * template 形势 / 问题 / 措施, to which a unit may add its own).  A draft is
 * edited freely; submitting it fixes it, sends it to the superior unit's
 * inbox and makes, in the same transaction, a ledger record of kind
 * analysis dated within its period, so that the obligations count it.  The
 * superior acknowledges it there, with a comment the report then shows.
 */
#ifndef ZRZ_DOMAIN_ANALYSIS_H
#define ZRZ_DOMAIN_ANALYSIS_H

#include <jansson.h>

#include "domain/app.h"
#include "store/rectify.h"

#define ANALYSIS_TITLE_MAX 200
#define ANALYSIS_SECTIONS_MAX 20
#define ANALYSIS_SECTION_TITLE_MAX 50
#define ANALYSIS_SECTION_TEXT_MAX 20000

/* The template: [{"key":"situation","title":"形势","text":""}, problems 问题,
 * measures 措施].  New. */
json_t *analysis_template(void);

int analysis_get(struct db *db, struct arena *a, int64_t id, struct analysis *out);
int analysis_list(struct db *db, struct arena *a, const struct analysis_filter *f,
		  int64_t offset, int64_t limit, struct analysis **items, int *n, int64_t *total);

/*
 * Create the draft x (org_id, period, report_date, title) with sections
 * (borrowed; NULL: the template).  period is "YYYY", "YYYY-H1|H2" or
 * "adhoc"; report_date NULL means today.  ZRZ_EINVAL with e naming the
 * field for an invalid value.
 */
int analysis_create(struct db *db, struct arena *a, const struct actor *who,
		    const struct analysis *x, json_t *sections, struct analysis *out,
		    struct derr *e);
/* Replace period, report_date, title and (when non-NULL) the sections of
 * draft cur.  ZRZ_ECONFLICT once submitted. */
int analysis_update(struct db *db, struct arena *a, const struct actor *who,
		    const struct analysis *cur, const struct analysis *next, json_t *sections,
		    struct analysis *out, struct derr *e);
/* Delete draft cur (soft).  ZRZ_ECONFLICT once submitted. */
int analysis_delete(struct db *db, const struct actor *who, const struct analysis *cur,
		    struct derr *e);
/*
 * Submit draft cur: make its ledger record (kind analysis, dated
 * report_date, or the nearest day of its period), send it to the superior
 * unit's inbox, audit analysis.submit.  ZRZ_ECONFLICT when it is submitted
 * already or its unit has no superior.
 */
int analysis_submit(struct db *db, struct arena *a, const struct actor *who,
		    const struct analysis *cur, struct analysis *out, struct derr *e);

/* The report as JSON in *out, with its acknowledgement when the superior
 * gave one and, with_trail, the way up it went (inbox_trail, oldest
 * first); the inbox is read once for both. */
int analysis_json(struct db *db, struct arena *a, const struct analysis *x, bool with_trail,
		  json_t **out);

#endif

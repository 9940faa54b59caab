/*
 * The ?format=xlsx variants of GET /api/v1/records and GET
 * /api/v1/compliance: the list handlers parse and check everything as for
 * JSON, then hand over here to write the whole list as .xlsx (every page),
 * audit the export and send the file.
 */
#ifndef ZRZ_API_EXPORT_API_H
#define ZRZ_API_EXPORT_API_H

#include "api/api.h"
#include "domain/obligation.h"

/* The query parameter name (format): absent or "json" (*xlsx false) or
 * "xlsx"; anything else is 422. */
int api_query_format(struct req *r, const char *name, bool *xlsx);

/* Export the records matching f of unit o (the caller checked its scope). */
int api_export_records(struct req *r, struct db *db, const struct org *o,
		       const struct record_filter *f);
int api_export_compliance(struct req *r, struct db *db, const struct org *o, int year,
			  int today);
int api_export_rollup(struct req *r, struct db *db, const struct org *o, int year, int today,
		      const struct period *only, enum rollup_sort sort);

#endif

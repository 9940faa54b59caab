/*
 * The ledger (台账): dated records of a kind from the dictionary, kept by a
 * unit's office as evidence that its obligations were met.  Every change
 * keeps the previous version, moves the per-period counters that compliance
 * reads (domain/obligation.h) and is audited, all in the caller's write
 * transaction.  Deletion is soft and can be undone.
 */
#ifndef ZRZ_DOMAIN_LEDGER_H
#define ZRZ_DOMAIN_LEDGER_H

#include <jansson.h>

#include "domain/app.h"

struct jw;

#define LEDGER_TITLE_MAX 200
#define LEDGER_PEOPLE_MAX 500
#define LEDGER_PERSON_MAX 50
#define LEDGER_REASON_MAX 200
#define LEDGER_YEAR_MIN 2000
#define LEDGER_YEAR_MAX 2100

int ledger_kinds(struct db *db, struct arena *a, struct record_kind **items, int *n);
json_t *ledger_kind_json(const struct record_kind *k);

/* The record id, deleted or not (ZRZ_ENOTFOUND when there is none). */
int ledger_get(struct db *db, struct arena *a, int64_t id, struct record *out);
/* The page (offset, limit) of the records matching f as the list's JSON,
 * {"items":[...],"total":N}, each item as ledger_record_json() shows it,
 * written into w row by row as the statement reads them. */
int ledger_list_write(struct db *db, struct arena *a, const struct record_filter *f,
		      int64_t offset, int64_t limit, struct jw *w);

/*
 * Create the record rec (org_id, kind, date, title and the optional fields;
 * the caller has checked that who may write in org_id).  participants, when
 * non-NULL, is a JSON array of names; absentees one of names or
 * {"name","reason"} objects (both borrowed).  Validates everything, counts
 * the record in every period that holds its date, audits record.create and
 * fills *out.  ZRZ_EINVAL with e set for invalid input.
 */
int ledger_create(struct db *db, struct arena *a, const struct actor *who,
		  const struct record *rec, json_t *participants, json_t *absentees,
		  struct record *out, struct derr *e);

/*
 * Replace the live record cur->id by next (cur with the changed fields;
 * participants/absentees non-NULL replace those lists).  Keeps cur as a
 * version, moves the counters when the date or kind changed, audits
 * record.update with each changed field.  ZRZ_ECONFLICT for a deleted
 * record.
 */
int ledger_update(struct db *db, struct arena *a, const struct actor *who,
		  const struct record *cur, const struct record *next, json_t *participants,
		  json_t *absentees, struct record *out, struct derr *e);

/* Soft-delete (restore: bring back) record cur; ZRZ_ECONFLICT when it is
 * already deleted (not deleted). */
int ledger_delete(struct db *db, struct arena *a, const struct actor *who,
		  const struct record *cur, struct derr *e);
int ledger_restore(struct db *db, struct arena *a, const struct actor *who,
		   const struct record *cur, struct record *out, struct derr *e);

json_t *ledger_record_json(const struct record *r);
/* The same JSON written into w (no jansson values built). */
void ledger_record_write(struct jw *w, const struct record *r);
/* Do participants' or absentees' stored JSON have the compact form the
 * ledger stores, so that the list may copy them as they are? */
bool ledger_stored_participants(const char *text);
bool ledger_stored_absentees(const char *text);

/* Is date "YYYY-MM-DD" a real date of LEDGER_YEAR_MIN..LEDGER_YEAR_MAX? */
bool ledger_date_valid(const char *date);

#endif

/*
 * The plan importer's text analysis: from the pasted text of a 工作要点 (or
 * of a report, 现将…汇报如下) to a preview a person confirms before
 * anything is saved.  It rebuilds the numbered structure of real pasted
 * text (broken lines, noisy numbering, items starting mid-line, a missing
 * first item, numbering that restarts), and extracts the quantitative
 * obligations (不少于N次 per period, mapped to record kinds), the 领导小组,
 * the named festivals as dated activities, unquantified recurring duties
 * as suggestions, and for a report its listed problems.  Every extraction
 * points back to the exact bytes of the input it came from.  Pure: no
 * store, no I/O.
 */
#ifndef ZRZ_DOMAIN_PLAN_IMPORT_H
#define ZRZ_DOMAIN_PLAN_IMPORT_H

#include <stddef.h>

#include <jansson.h>

#include "domain/app.h"

struct arena;

/* The largest text analyze accepts, in bytes. */
#define PLAN_IMPORT_MAX_BYTES ((size_t)2 * 1024 * 1024)

/*
 * At most this many obligations, suggestions and placeholders are
 * extracted from one text: a real plan has a few dozen, and the bound keeps
 * the analysis of a hostile text fast.
 */
#define PLAN_IMPORT_MAX_EXTRACTS 1000

/*
 * Analyze text[0..len) (UTF-8; a leading BOM and any line endings are
 * fine) as the plan, or report, of Gregorian year `year`.  Scratch memory
 * comes from arena a.  On success *out is a new JSON object owned by the
 * caller (json_decref it, or hand it to req_reply_json):
 *
 *   {"type": "plan"|"report", "year": Y, "title": string|null,
 *    "stats": {"chars", "paragraphs", "sections", "items", "numbered_items"},
 *    "preamble": text|null,
 *    "sections": [section], "items": [item],      items outside any section
 *    "obligations": [{"kind": code|null, "min": N,
 *                     "period": "year|half|quarter|month|week",
 *                     "confirmed": bool, "confidence": 0..1,
 *                     "activity": word|null, "notes": [string],
 *                     "source": span}],
 *    "committee": {"name", "leader": [..], "deputy_leaders": [..],
 *                  "members": [..], "member_descriptions": [..],
 *                  "office_director": [..], "office_deputy_director": [..],
 *                  "source": span} | null,
 *    "dated_activities": [{"name" (五一, 端午), "full_name" (劳动节),
 *                          "text" (as written), "date", "source"}],
 *    "suggestions": [{"text", "trigger", "kind": code|null,
 *                     "period": p|null, "min": N|null, "confirmed": false,
 *                     "confidence", "source", "template"?: [obligation]}],
 *    "problems": [{"title", "text", "source"}],
 *    "measures": [{"title", "text", "source"}],
 *    "placeholders": [{"text", "source"}],
 *    "workflow_hints": [{"kind", "text", "source"}]}
 *
 *   section = {"number", "value", "style", "level", "group",
 *              "lead": text|null (the words introducing its group), "title",
 *              "text", "role": "problems"|"measures"|null, "noisy", "source",
 *              "sections": [section], "items": [item]}
 *   item    = {"number", "value", "style", "title", "text", "inferred",
 *              "source", "items": [item]}
 *   span    = {"start", "end" (byte offsets into text), "char_start",
 *              "char_end" (code point offsets), "text" (the exact bytes)}
 *
 * An obligation is confirmed only when its number, its period and its
 * record kind were all read with certainty from one clause; everything
 * else is for a person to choose.  Lunar festivals are dated as
 * festival_date() dates them for `year`.
 *
 * Returns ZRZ_OK; ZRZ_EINVAL with e filled (field "text" or "year", a
 * Chinese message) for empty or blank text, text that is not valid UTF-8
 * or holds control characters, or a year outside 1900-2099; ZRZ_ETOOBIG
 * for text longer than PLAN_IMPORT_MAX_BYTES; ZRZ_EINTERNAL when ICU fails
 * to date a lunar festival.
 */
int plan_import_analyze(struct arena *a, const char *text, size_t len, int year, json_t **out,
			struct derr *e);

#endif

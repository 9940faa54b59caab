/*
 * The difference between two revisions of a submission's body, for the
 * diff view of the three-stage review (三审): which text stayed, which was
 * deleted and which inserted.  Lines are compared first; a block of
 * changed lines is then compared character by character (by code point),
 * so that one changed character of Chinese text shows as that one
 * character rather than as a whole changed line.
 */
#ifndef ZRZ_DOMAIN_TEXTDIFF_H
#define ZRZ_DOMAIN_TEXTDIFF_H

#include <jansson.h>

/* The largest text (bytes) of either side that is compared. */
#define TEXTDIFF_MAX_BYTES (512 * 1024)

/*
 * Compare from with to (NUL-terminated UTF-8; NULL is the empty text).
 * On ZRZ_OK *out is a new JSON array (the caller owns the reference) of
 * pieces {"op":"same"|"del"|"ins","text":"..."} in reading order:
 * concatenating the texts of the "same" and "del" pieces gives from, of the
 * "same" and "ins" pieces gives to.  Adjacent pieces never share an op, and
 * no piece is empty, so identical texts give at most one "same" piece and
 * two empty texts an empty array.
 *
 * Returns ZRZ_EINVAL when either text is not valid UTF-8 (or holds control
 * characters other than tab, newline and carriage return, which no body
 * may contain), ZRZ_ETOOBIG when either text is longer than
 * TEXTDIFF_MAX_BYTES or the line comparison would take more steps than its
 * fixed budget (the character refinement of a block only falls back to
 * showing the block's lines as deleted and inserted when it runs out of
 * its own budget).  On an error *out is NULL.
 */
int textdiff_json(const char *from, const char *to, json_t **out);

#endif

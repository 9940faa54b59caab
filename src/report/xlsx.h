/*
 * A table writer for .xlsx files, over libxlsxwriter in constant-memory
 * mode: one sheet with a merged title row, a subtitle row (when the table
 * was made, from which filters), a bold bordered header row that stays in
 * view while scrolling and repeats on every printed page, an autofilter,
 * and typed cells (text, integers, dates as real Excel dates, pacing
 * statuses with a fill colour).  Rows go to disk as they are written, so a
 * table of a million rows needs no more memory than one of ten.  Column
 * widths fit the widest cell seen (CJK characters count two), capped.
 *
 * Usage: xlsx_open(), then for each row one call per column in order
 * (xlsx_text, xlsx_int, ...) and xlsx_row_end(); finally xlsx_close(), or
 * xlsx_discard() to give up.  Nothing is left on disk except the finished
 * file at dest.
 */
#ifndef ZRZ_REPORT_XLSX_H
#define ZRZ_REPORT_XLSX_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/pacing.h"

enum xlsx_type {
	XLSX_TEXT,
	XLSX_INT,
	XLSX_DATE,   /* "YYYY-MM-DD", stored as a date formatted yyyy-mm-dd */
	XLSX_STATUS, /* a pacing status, its Chinese label on its colour */
};

struct xlsx_column {
	const char *header; /* Chinese, shown bold in the header row */
	enum xlsx_type type;
	int max_width; /* cap of the fitted width in characters; 0: XLSX_WIDTH_MAX */
};

#define XLSX_WIDTH_MAX 50
#define XLSX_COLUMNS_MAX 32

/* The most data rows one sheet takes (Excel's limit less the three rows above). */
#define XLSX_ROWS_MAX (1048576 - 3)

struct xlsx_table;

/*
 * Start a table of ncols (1..XLSX_COLUMNS_MAX) columns.  With dest the file
 * is written beside it under a temporary name and renamed to dest by
 * xlsx_close(); with dest NULL it is an anonymous file in $TMPDIR (or
 * /tmp) that xlsx_close() hands over as an open descriptor.  title and
 * subtitle (may be NULL) are copied.  cols must stay valid until the table
 * is closed or discarded.  Returns ZRZ_OK, ZRZ_EINVAL for a bad column
 * count or ZRZ_EIO when the file cannot be created.
 */
int xlsx_open(const char *dest, const char *title, const char *subtitle,
	      const struct xlsx_column *cols, int ncols, struct xlsx_table **out);

/* The next cell of the current row.  NULL text, or xlsx_blank(), leaves it
 * empty (with its border).  Text longer than a cell holds is cut; control
 * characters and broken UTF-8 are replaced. */
void xlsx_text(struct xlsx_table *t, const char *s);
void xlsx_int(struct xlsx_table *t, int64_t v);
void xlsx_date(struct xlsx_table *t, const char *ymd);
void xlsx_status(struct xlsx_table *t, enum pacing_status s);
void xlsx_blank(struct xlsx_table *t);

/* End the current row.  Returns the first error of the table so far
 * (ZRZ_EIO when writing failed, ZRZ_EINVAL past XLSX_ROWS_MAX rows). */
int xlsx_row_end(struct xlsx_table *t);

/* Data rows ended so far. */
int64_t xlsx_rows(const struct xlsx_table *t);

/*
 * Finish the file (column widths, filter, print setup) and free t.  For an
 * anonymous table *fd gets a descriptor open for reading at offset 0, whose
 * file has no name any more, and *size its length (the caller closes it);
 * for a table with dest, fd and size may be NULL.  On error nothing is left
 * on disk.
 */
int xlsx_close(struct xlsx_table *t, int *fd, uint64_t *size);

/* Free t and delete what it wrote.  NULL is fine. */
void xlsx_discard(struct xlsx_table *t);

/* The display width of UTF-8 text s in character cells: CJK and other wide
 * characters count two; for several lines, the widest; at most cap. */
int xlsx_text_width(const char *s, int cap);

#endif

/*
 * The .xlsx table writer (see xlsx.h).  libxlsxwriter's constant-memory
 * mode writes each row to a temporary file as soon as the next one starts
 * and stores strings inline, so memory stays flat however many rows there
 * are.  Column widths are not known before the last row; libxlsxwriter
 * writes the column definitions when it assembles the sheet at
 * workbook_close(), after the rows, so the widths are measured in the one
 * pass that writes the cells and set just before closing.
 *
 * A large table is written on two threads.  The caller's thread reads its
 * rows (from the database, for the exports), cleans and measures each
 * cell and copies it into a batch; when a batch is full a second thread,
 * started then, hands it to libxlsxwriter while the caller fills the other
 * one.  Only that thread calls libxlsxwriter between the first full batch
 * and the end of the table, so the library needs no locking; a table that
 * fits one batch is written on the caller's thread at the end, with no
 * thread at all.  Memory is the two batches: under 1 MiB of cells and the
 * text of 1 MiB plus one row, each.
 * Finally the workbook is packed at deflate level 1 (see xlsx_zip.h).
 */
#include "core/common.h"
#include "core/arena.h"
#include "report/xlsx.h"
#include "report/xlsx_zip.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Excel's limit on the characters of one cell; libxlsxwriter counts bytes. */
#define CELL_BYTES_MAX 32767
#define TITLE_ROW 0
#define SUBTITLE_ROW 1
#define HEADER_ROW 2
#define FIRST_DATA_ROW 3

/* A batch is handed over at the end of the row that fills it to either. */
#define BATCH_CELLS 16384
#define BATCH_TEXT (1u << 20)

/* The deflate level of the finished file (see xlsx_zip.h). */
#define ZIP_LEVEL 1

enum cell_kind { CELL_TEXT, CELL_NUMBER, CELL_DATE, CELL_BLANK };

/* One cell waiting for libxlsxwriter; text is an offset into its batch's
 * text, which may move while the batch grows. */
struct cell {
	lxw_format *format;
	union {
		double number;
		lxw_datetime date;
		size_t text;
	} v;
	lxw_row_t row;
	lxw_col_t col;
	uint8_t kind;
};

struct batch {
	struct cell *cells;
	size_t n, cap;
	char *text; /* the texts of the cells, each ending in NUL */
	size_t len, text_cap;
};

struct xlsx_table {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *text, *num, *date, *header, *title, *subtitle;
	lxw_format *status[PACING_STATUS_COUNT];
	const struct xlsx_column *cols;
	int ncols;
	int col;          /* next cell of the current row */
	lxw_row_t row;    /* the current row */
	int64_t rows;     /* data rows ended */
	int width[XLSX_COLUMNS_MAX];
	int err;
	char *path;       /* the file libxlsxwriter writes */
	char *dest;       /* where it goes at the end; NULL: anonymous */
	char *tmpdir;
	char *scratch;    /* a cleaned copy of a cell's text, when needed */
	size_t scratch_len;

	struct batch batch[2];
	struct batch *fill; /* the batch the caller's cells go to */
	/* The writer thread, once a batch has filled; the fields below the
	 * mutex are shared with it. */
	bool writer_on;
	pthread_t writer;
	pthread_mutex_t mu;
	pthread_cond_t cv;     /* queued emptied, a batch queued, or quit */
	struct batch *queued;  /* handed to the writer until it is written */
	bool quit;             /* no more batches: the writer ends */
	bool drop;             /* given up: queued batches are not written */
	lxw_error writer_err;  /* the first error of the writer */
};

static void note(struct xlsx_table *t, lxw_error e)
{
	if (e == LXW_NO_ERROR || t->err)
		return;
	t->err = e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE ? ZRZ_EINVAL : ZRZ_EIO;
}

/* One code point of s at *i (advancing it), or -1 for a malformed sequence
 * (advancing one byte). */
static inline int32_t next_cp(const unsigned char *s, size_t n, size_t *i)
{
	unsigned char c = s[*i];
	int len;
	int32_t cp, min;
	if (c < 0x80) {
		(*i)++;
		return c;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		(*i)++;
		return -1;
	}
	if (*i + (size_t)len > n) {
		(*i)++;
		return -1;
	}
	for (int k = 1; k < len; k++) {
		if ((s[*i + (size_t)k] & 0xC0) != 0x80) {
			(*i)++;
			return -1;
		}
		cp = (cp << 6) | (s[*i + (size_t)k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		(*i)++;
		return -1;
	}
	*i += (size_t)len;
	return cp;
}

/* East Asian wide and fullwidth characters (the blocks Chinese text uses). */
static bool wide(int32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	       (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

int xlsx_text_width(const char *s, int cap)
{
	if (!s)
		return 0;
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	int best = 0, line = 0;
	while (i < n && best < cap) {
		int32_t cp = next_cp(u, n, &i);
		if (cp == '\n') {
			line = 0;
			continue;
		}
		line += cp >= 0 && wide(cp) ? 2 : 1;
		if (line > best)
			best = line;
	}
	return best < cap ? best : cap;
}

/*
 * s as Excel accepts it: well-formed UTF-8 without control characters other
 * than tab and newline, at most CELL_BYTES_MAX bytes cut at a character
 * boundary.  Returns s itself when it is fine (the common case, one scan),
 * else a copy in t->scratch.
 */
static const char *clean(struct xlsx_table *t, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	bool dirty = n > CELL_BYTES_MAX;
	while (!dirty && i < n) {
		if (u[i] >= 0x20 && u[i] < 0x7F) { /* printable ASCII, the most common byte */
			i++;
			continue;
		}
		int32_t cp = next_cp(u, n, &i);
		if (cp < 0 || (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F)
			dirty = true;
	}
	if (!dirty)
		return s;
	if (t->scratch_len < CELL_BYTES_MAX + 1) {
		t->scratch = xrealloc(t->scratch, CELL_BYTES_MAX + 1);
		t->scratch_len = CELL_BYTES_MAX + 1;
	}
	size_t o = 0;
	i = 0;
	while (i < n) {
		size_t at = i;
		int32_t cp = next_cp(u, n, &i);
		const char *put = s + at;
		size_t len = i - at;
		if (cp < 0) {
			put = "\xEF\xBF\xBD"; /* U+FFFD */
			len = 3;
		} else if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F) {
			put = " ";
			len = 1;
		}
		if (o + len > CELL_BYTES_MAX)
			break;
		memcpy(t->scratch + o, put, len);
		o += len;
	}
	t->scratch[o] = '\0';
	return t->scratch;
}

static lxw_format *bordered(lxw_workbook *wb)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	return f;
}

static void add_formats(struct xlsx_table *t)
{
	static const struct {
		uint32_t fill, font;
	} colours[PACING_STATUS_COUNT] = {
		[PACING_MET] = {0xC6EFCE, 0x006100},      /* green */
		[PACING_ON_TRACK] = {0xDDEBF7, 0x1F4E78}, /* blue */
		[PACING_AT_RISK] = {0xFFEB9C, 0x9C5700},  /* amber */
		[PACING_MISSED] = {0xFFC7CE, 0x9C0006},   /* red */
	};
	lxw_workbook *wb = t->wb;
	/* Every format differs from the others: libxlsxwriter caches the style
	 * index only in the first of identical formats and looks the others up
	 * in a hash table for every cell. */
	t->text = bordered(wb);
	t->num = bordered(wb);
	format_set_align(t->num, LXW_ALIGN_RIGHT);
	t->date = bordered(wb);
	format_set_num_format(t->date, "yyyy-mm-dd");
	format_set_align(t->date, LXW_ALIGN_LEFT);
	t->header = bordered(wb);
	format_set_bold(t->header);
	format_set_align(t->header, LXW_ALIGN_CENTER);
	format_set_bg_color(t->header, 0xD9D9D9);
	for (int s = 0; s < PACING_STATUS_COUNT; s++) {
		t->status[s] = bordered(wb);
		format_set_align(t->status[s], LXW_ALIGN_CENTER);
		format_set_bg_color(t->status[s], colours[s].fill);
		format_set_font_color(t->status[s], colours[s].font);
	}
	t->title = workbook_add_format(wb);
	format_set_bold(t->title);
	format_set_font_size(t->title, 16);
	format_set_align(t->title, LXW_ALIGN_CENTER);
	format_set_align(t->title, LXW_ALIGN_VERTICAL_CENTER);
	t->subtitle = workbook_add_format(wb);
	format_set_font_size(t->subtitle, 10);
	format_set_font_color(t->subtitle, 0x595959);
	format_set_align(t->subtitle, LXW_ALIGN_LEFT);
	format_set_align(t->subtitle, LXW_ALIGN_VERTICAL_CENTER);
}

/* ---- batches and the writer thread ---- */

static struct cell *push(struct xlsx_table *t, enum cell_kind kind, lxw_col_t col,
			 lxw_format *format)
{
	struct batch *b = t->fill;
	if (b->n == b->cap) {
		/* A batch ends with the row that reaches BATCH_CELLS: never more
		 * than a row's cells beyond it. */
		size_t most = BATCH_CELLS + XLSX_COLUMNS_MAX;
		b->cap = !b->cap ? 1024 : b->cap * 2 < most || b->n >= most ? b->cap * 2 : most;
		b->cells = xrealloc(b->cells, b->cap * sizeof(*b->cells));
	}
	struct cell *c = &b->cells[b->n++];
	c->kind = (uint8_t)kind;
	c->row = t->row;
	c->col = col;
	c->format = format;
	return c;
}

static void push_text(struct xlsx_table *t, lxw_col_t col, const char *s, lxw_format *format)
{
	struct batch *b = t->fill;
	size_t n = strlen(s) + 1;
	if (b->len + n > b->text_cap) {
		size_t cap = b->text_cap ? b->text_cap : 64 * 1024;
		while (cap < b->len + n)
			cap *= 2;
		b->text = xrealloc(b->text, cap);
		b->text_cap = cap;
	}
	memcpy(b->text + b->len, s, n);
	push(t, CELL_TEXT, col, format)->v.text = b->len;
	b->len += n;
}

/* Hand the cells of b to libxlsxwriter; the first error. */
static lxw_error write_batch(lxw_worksheet *ws, const struct batch *b)
{
	lxw_error first = LXW_NO_ERROR;
	for (size_t i = 0; i < b->n; i++) {
		const struct cell *c = &b->cells[i];
		lxw_error e = LXW_NO_ERROR;
		switch ((enum cell_kind)c->kind) {
		case CELL_TEXT:
			e = worksheet_write_string(ws, c->row, c->col, b->text + c->v.text,
						   c->format);
			break;
		case CELL_NUMBER:
			e = worksheet_write_number(ws, c->row, c->col, c->v.number, c->format);
			break;
		case CELL_DATE: {
			lxw_datetime dt = c->v.date;
			e = worksheet_write_datetime(ws, c->row, c->col, &dt, c->format);
			break;
		}
		case CELL_BLANK:
			e = worksheet_write_blank(ws, c->row, c->col, c->format);
			break;
		}
		if (e != LXW_NO_ERROR && first == LXW_NO_ERROR)
			first = e;
	}
	return first;
}

static void *writer_main(void *arg)
{
	struct xlsx_table *t = arg;
	pthread_mutex_lock(&t->mu);
	for (;;) {
		while (!t->queued && !t->quit)
			pthread_cond_wait(&t->cv, &t->mu);
		if (!t->queued)
			break;
		struct batch *b = t->queued;
		bool skip = t->drop || t->writer_err != LXW_NO_ERROR;
		pthread_mutex_unlock(&t->mu);
		lxw_error e = skip ? LXW_NO_ERROR : write_batch(t->ws, b);
		b->n = 0;
		b->len = 0;
		pthread_mutex_lock(&t->mu);
		if (e != LXW_NO_ERROR && t->writer_err == LXW_NO_ERROR)
			t->writer_err = e;
		t->queued = NULL;
		pthread_cond_broadcast(&t->cv);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

/* Give the full batch to the writer (starting it the first time) and go
 * on with the other one once the writer is done with it.  Without a
 * thread to be had, the batch is written here. */
static void hand_over(struct xlsx_table *t)
{
	struct batch *b = t->fill;
	if (!t->writer_on) {
		if (pthread_mutex_init(&t->mu, NULL) == 0) {
			if (pthread_cond_init(&t->cv, NULL) == 0) {
				if (pthread_create(&t->writer, NULL, writer_main, t) == 0)
					t->writer_on = true;
				else
					pthread_cond_destroy(&t->cv);
			}
			if (!t->writer_on)
				pthread_mutex_destroy(&t->mu);
		}
		if (!t->writer_on) {
			note(t, write_batch(t->ws, b));
			b->n = 0;
			b->len = 0;
			return;
		}
	}
	pthread_mutex_lock(&t->mu);
	while (t->queued)
		pthread_cond_wait(&t->cv, &t->mu);
	note(t, t->writer_err);
	t->queued = b;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
	t->fill = b == &t->batch[0] ? &t->batch[1] : &t->batch[0];
}

/* Write what is left (unless drop) and end the writer: afterwards only
 * this thread uses libxlsxwriter. */
static void finish_rows(struct xlsx_table *t, bool drop)
{
	if (!t->writer_on) {
		if (!drop && t->fill->n)
			note(t, write_batch(t->ws, t->fill));
		t->fill->n = 0;
		t->fill->len = 0;
		return;
	}
	if (!drop && t->fill->n)
		hand_over(t);
	pthread_mutex_lock(&t->mu);
	t->drop = drop;
	t->quit = true;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->writer, NULL);
	note(t, t->writer_err);
	pthread_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
	t->writer_on = false;
}

static void free_table(struct xlsx_table *t)
{
	for (int i = 0; i < 2; i++) {
		free(t->batch[i].cells);
		free(t->batch[i].text);
	}
	free(t->path);
	free(t->dest);
	free(t->tmpdir);
	free(t->scratch);
	free(t);
}

int xlsx_open(const char *dest, const char *title, const char *subtitle,
	      const struct xlsx_column *cols, int ncols, struct xlsx_table **out)
{
	*out = NULL;
	if (ncols < 1 || ncols > XLSX_COLUMNS_MAX)
		return ZRZ_EINVAL;
	struct xlsx_table *t = xcalloc(1, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols;
	t->fill = &t->batch[0];
	if (dest) {
		t->dest = xstrdup(dest);
		size_t n = strlen(dest) + 16;
		t->path = xmalloc(n);
		snprintf(t->path, n, "%s.XXXXXX", dest);
		const char *slash = strrchr(dest, '/');
		t->tmpdir = slash ? strndup(dest, (size_t)(slash - dest) + 1) : xstrdup(".");
		if (!t->tmpdir)
			abort();
	} else {
		const char *dir = getenv("TMPDIR");
		if (!dir || !*dir)
			dir = "/tmp";
		t->tmpdir = xstrdup(dir);
		size_t n = strlen(dir) + 32;
		t->path = xmalloc(n);
		snprintf(t->path, n, "%s/zerenzhi-export-XXXXXX", dir);
	}
	int fd = mkstemp(t->path);
	if (fd < 0) {
		free_table(t);
		return ZRZ_EIO;
	}
	if (dest) {
		/* mkstemp makes the file private; a finished export gets the
		 * permissions any new file of the user would have. */
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	close(fd);
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = t->tmpdir};
	t->wb = workbook_new_opt(t->path, &opts);
	if (!t->wb) {
		unlink(t->path);
		free_table(t);
		return ZRZ_EIO;
	}
	t->ws = workbook_add_worksheet(t->wb, NULL);
	if (!t->ws) {
		workbook_close(t->wb);
		unlink(t->path);
		free_table(t);
		return ZRZ_EIO;
	}
	add_formats(t);
	lxw_col_t last = (lxw_col_t)(ncols - 1);
	lxw_worksheet *ws = t->ws;
	worksheet_set_row(ws, TITLE_ROW, 30, NULL);
	if (ncols > 1) {
		note(t, worksheet_merge_range(ws, TITLE_ROW, 0, TITLE_ROW, last, title ? title : "",
					      t->title));
		note(t, worksheet_merge_range(ws, SUBTITLE_ROW, 0, SUBTITLE_ROW, last,
					      subtitle ? subtitle : "", t->subtitle));
	} else {
		note(t, worksheet_write_string(ws, TITLE_ROW, 0, title ? title : "", t->title));
		note(t, worksheet_write_string(ws, SUBTITLE_ROW, 0, subtitle ? subtitle : "",
					       t->subtitle));
	}
	worksheet_set_row(ws, HEADER_ROW, 20, NULL);
	for (int c = 0; c < ncols; c++) {
		note(t, worksheet_write_string(ws, HEADER_ROW, (lxw_col_t)c, clean(t, cols[c].header),
					       t->header));
		/* The header's bold glyphs and the filter button need a little more. */
		t->width[c] = xlsx_text_width(cols[c].header, XLSX_WIDTH_MAX) + 3;
	}
	worksheet_freeze_panes(ws, FIRST_DATA_ROW, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	note(t, worksheet_repeat_rows(ws, HEADER_ROW, HEADER_ROW));
	t->row = FIRST_DATA_ROW;
	if (t->err) {
		int rc = t->err;
		xlsx_discard(t);
		return rc;
	}
	*out = t;
	return ZRZ_OK;
}

/* The column of the next cell, or -1 (and an error) past the last one. */
static int next_col(struct xlsx_table *t, int w)
{
	if (t->col >= t->ncols) {
		if (!t->err)
			t->err = ZRZ_EINVAL;
		return -1;
	}
	int c = t->col++;
	int cap = t->cols[c].max_width > 0 ? t->cols[c].max_width : XLSX_WIDTH_MAX;
	if (w > cap)
		w = cap;
	if (w > t->width[c])
		t->width[c] = w;
	return c;
}

void xlsx_text(struct xlsx_table *t, const char *s)
{
	if (!s || !*s) {
		xlsx_blank(t);
		return;
	}
	int c = next_col(t, 0);
	if (c < 0)
		return;
	const char *v = clean(t, s);
	int cap = t->cols[c].max_width > 0 ? t->cols[c].max_width : XLSX_WIDTH_MAX;
	/* Measured only while the column can still grow: long text fills most
	 * columns to their cap within the first rows. */
	if (t->width[c] < cap) {
		int w = xlsx_text_width(v, cap);
		if (w > t->width[c])
			t->width[c] = w;
	}
	push_text(t, (lxw_col_t)c, v, t->text);
}

void xlsx_int(struct xlsx_table *t, int64_t v)
{
	int w = v < 0 ? 2 : 1;
	for (int64_t x = v; x >= 10 || x <= -10; x /= 10)
		w++;
	int c = next_col(t, w);
	if (c >= 0)
		push(t, CELL_NUMBER, (lxw_col_t)c, t->num)->v.number = (double)v;
}

static bool parse_ymd(const char *s, lxw_datetime *dt)
{
	int y, m, d;
	char tail;
	if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1900 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return false;
	*dt = (lxw_datetime){.year = y, .month = m, .day = d};
	return true;
}

void xlsx_date(struct xlsx_table *t, const char *ymd)
{
	lxw_datetime dt;
	if (!ymd || !*ymd) {
		xlsx_blank(t);
		return;
	}
	if (!parse_ymd(ymd, &dt)) {
		xlsx_text(t, ymd);
		return;
	}
	int c = next_col(t, 10);
	if (c >= 0)
		push(t, CELL_DATE, (lxw_col_t)c, t->date)->v.date = dt;
}

void xlsx_status(struct xlsx_table *t, enum pacing_status s)
{
	const char *label = pacing_status_label(s);
	if (!label) {
		xlsx_blank(t);
		return;
	}
	int c = next_col(t, xlsx_text_width(label, XLSX_WIDTH_MAX));
	if (c >= 0)
		push_text(t, (lxw_col_t)c, label, t->status[s]);
}

void xlsx_blank(struct xlsx_table *t)
{
	int c = next_col(t, 0);
	if (c < 0)
		return;
	lxw_format *f = t->cols[c].type == XLSX_INT    ? t->num
			: t->cols[c].type == XLSX_DATE ? t->date
						       : t->text;
	push(t, CELL_BLANK, (lxw_col_t)c, f);
}

int xlsx_row_end(struct xlsx_table *t)
{
	while (!t->err && t->col < t->ncols)
		xlsx_blank(t);
	t->col = 0;
	t->rows++;
	t->row++;
	if (!t->err && t->rows > XLSX_ROWS_MAX)
		t->err = ZRZ_EINVAL;
	if (t->fill->n >= BATCH_CELLS || t->fill->len >= BATCH_TEXT)
		hand_over(t);
	return t->err;
}

int64_t xlsx_rows(const struct xlsx_table *t)
{
	return t->rows;
}

int xlsx_close(struct xlsx_table *t, int *fd, uint64_t *size)
{
	if (fd)
		*fd = -1;
	finish_rows(t, false);
	int rc = t->err;
	lxw_col_t last = (lxw_col_t)(t->ncols - 1);
	for (int c = 0; c < t->ncols; c++)
		note(t, worksheet_set_column(t->ws, (lxw_col_t)c, (lxw_col_t)c, t->width[c] + 2,
					     NULL));
	lxw_row_t last_row = t->rows ? t->row - 1 : HEADER_ROW;
	note(t, worksheet_autofilter(t->ws, HEADER_ROW, 0, last_row, last));
	rc = t->err;
	xlsx_zip_level(ZIP_LEVEL);
	lxw_error e = workbook_close(t->wb);
	xlsx_zip_level(-1);
	t->wb = NULL;
	if (!rc && e != LXW_NO_ERROR)
		rc = ZRZ_EIO;
	if (!rc && t->dest) {
		if (rename(t->path, t->dest) != 0)
			rc = ZRZ_EIO;
	} else if (!rc) {
		int f = open(t->path, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (f < 0 || fstat(f, &st) != 0) {
			if (f >= 0)
				close(f);
			rc = ZRZ_EIO;
		} else {
			*fd = f;
			if (size)
				*size = (uint64_t)st.st_size;
		}
	}
	if (rc || !t->dest)
		unlink(t->path);
	free_table(t);
	return rc;
}

void xlsx_discard(struct xlsx_table *t)
{
	if (!t)
		return;
	finish_rows(t, true);
	if (t->wb) {
		/* libxlsxwriter has no way to give up a workbook but to pack it;
		 * stored, not deflated, as it is deleted at once. */
		xlsx_zip_level(0);
		workbook_close(t->wb);
		xlsx_zip_level(-1);
	}
	unlink(t->path);
	free_table(t);
}

/*
 * The approval form (审签单, see approval_form.h) on one A4 page.  The page
 * is laid out top down in points: the unit and the form's name as heading,
 * then one bordered table whose rows are measured before anything is
 * drawn: the submission's fields, each stage with its opinion and
 * signature, and between them the start of the body, which gets whatever
 * height the other rows leave.  Every text that could be long (title,
 * channel, address, opinion) is held to a few lines and ends in an
 * ellipsis beyond them, so no input pushes the table off the page.
 *
 * Each call makes its own pango font map and context and drops them at the
 * end: pango objects are not shared between threads, and a form is printed
 * rarely enough that loading the fonts again costs nothing that matters.
 * Texts are laid out as plain text (never markup), so nothing in them is
 * interpreted; bytes that are not UTF-8 are shown as U+FFFD.
 */
#include "core/common.h"
#include "report/approval_form.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

/* A4 in points. */
#define PAGE_W        595.28
#define PAGE_H        841.89
#define MARGIN_X      62.0
#define MARGIN_TOP    56.0
#define MARGIN_BOTTOM 60.0
/* The table: its width, the label column, the padding inside a cell. */
#define TABLE_W (PAGE_W - 2 * MARGIN_X)
#define LABEL_W 86.0
#define PAD     6.0
#define ROW_MIN 26.0
#define LINE_W  0.8
/* An unsigned stage's row leaves this much room to sign by hand. */
#define SIGN_ROOM 64.0
/* At most this many bytes of the body are laid out: more than a page holds. */
#define BODY_LAYOUT_MAX 12000
#define BODY_MIN_LINES  3

#define FONT_FAMILY "Noto Serif CJK SC"

struct form {
	cairo_t *cr;
	PangoContext *pc;
	PangoFontDescription *text;  /* 五号, the cells */
	PangoFontDescription *label; /* the labels, bold */
	PangoFontDescription *small; /* the roles and the footer */
	PangoFontDescription *unit;  /* the unit in the heading */
	PangoFontDescription *head;  /* the form's name */
	GPtrArray *owned;            /* the valid copies of the texts */
};

/* s as valid UTF-8 ("" for NULL), owned by the form. */
static const char *valid(struct form *f, const char *s)
{
	if (!s)
		return "";
	char *v = g_utf8_make_valid(s, -1);
	g_ptr_array_add(f->owned, v);
	return v;
}

/*
 * A layout of text in font, width points wide, wrapped by word or
 * character; with max_lines > 0, cut to that many lines with an ellipsis.
 * The caller unrefs it.
 */
static PangoLayout *text_layout(struct form *f, const char *text, const PangoFontDescription *font,
				double width, int max_lines, PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(f->pc);
	pango_layout_set_font_description(l, font);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	if (max_lines > 0) {
		pango_layout_set_height(l, -max_lines);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	pango_layout_set_text(l, text, -1);
	return l;
}

static double layout_height(PangoLayout *l)
{
	PangoRectangle logical;
	pango_layout_get_extents(l, NULL, &logical);
	return (double)logical.height / PANGO_SCALE;
}

static void show(struct form *f, PangoLayout *l, double x, double y)
{
	cairo_move_to(f->cr, x, y);
	pango_cairo_show_layout(f->cr, l);
}

static void cell_border(struct form *f, double x, double y, double w, double h)
{
	cairo_rectangle(f->cr, x, y, w, h);
	cairo_stroke(f->cr);
}

/* ---- the rows of the table ---- */

/* One row: a label and one value, or two label-value pairs side by side. */
struct row {
	PangoLayout *label[2];
	PangoLayout *value[2];
	int pairs;
	double h;
};

static void row_measure(struct row *r)
{
	r->h = ROW_MIN;
	for (int i = 0; i < r->pairs; i++) {
		double h = layout_height(r->label[i]) + 2 * PAD;
		if (h > r->h)
			r->h = h;
		h = layout_height(r->value[i]) + 2 * PAD;
		if (h > r->h)
			r->h = h;
	}
}

static void row_one(struct form *f, struct row *r, const char *label, const char *value,
		    int max_lines)
{
	r->pairs = 1;
	r->label[0] = text_layout(f, label, f->label, LABEL_W - 2 * PAD, 2, PANGO_ALIGN_CENTER);
	r->value[0] = text_layout(f, valid(f, value), f->text, TABLE_W - LABEL_W - 2 * PAD,
				  max_lines, PANGO_ALIGN_LEFT);
	row_measure(r);
}

static void row_two(struct form *f, struct row *r, const char *label1, const char *value1,
		    const char *label2, const char *value2, int max_lines)
{
	double value_w = TABLE_W / 2 - LABEL_W - 2 * PAD;
	r->pairs = 2;
	r->label[0] = text_layout(f, label1, f->label, LABEL_W - 2 * PAD, 2, PANGO_ALIGN_CENTER);
	r->value[0] = text_layout(f, valid(f, value1), f->text, value_w, max_lines, PANGO_ALIGN_LEFT);
	r->label[1] = text_layout(f, label2, f->label, LABEL_W - 2 * PAD, 2, PANGO_ALIGN_CENTER);
	r->value[1] = text_layout(f, valid(f, value2), f->text, value_w, max_lines, PANGO_ALIGN_LEFT);
	row_measure(r);
}

static void row_draw(struct form *f, const struct row *r, double y)
{
	double x = MARGIN_X;
	double pair_w = TABLE_W / r->pairs;
	for (int i = 0; i < r->pairs; i++) {
		double value_w = pair_w - LABEL_W;
		cell_border(f, x, y, LABEL_W, r->h);
		cell_border(f, x + LABEL_W, y, value_w, r->h);
		show(f, r->label[i], x + PAD, y + (r->h - layout_height(r->label[i])) / 2);
		show(f, r->value[i], x + LABEL_W + PAD,
		     y + (r->h - layout_height(r->value[i])) / 2);
		x += pair_w;
	}
}

static void row_clear(struct row *r)
{
	for (int i = 0; i < r->pairs; i++) {
		g_object_unref(r->label[i]);
		g_object_unref(r->value[i]);
	}
}

/* ---- the stages ---- */

struct stage_row {
	PangoLayout *label;
	PangoLayout *opinion; /* NULL when not signed */
	PangoLayout *sign;
	double h;
};

/*
 * How many lines each text of the table may take: as many as a form
 * usually needs, or, when every one of them is long and the page would
 * overflow, fewer (roomy, then tight).
 */
struct fit {
	int title, cell, files, opinion, sign;
};
static const struct fit roomy = {3, 2, 3, 5, 2};
static const struct fit tight = {2, 1, 1, 2, 1};

static void stage_measure(struct form *f, struct stage_row *s, const struct approval_stage *st,
			  const struct fit *fit)
{
	double value_w = TABLE_W - LABEL_W - 2 * PAD;
	const char *stage = valid(f, st->stage);
	char *label = g_strdup_printf("%s\n（%s）", stage, valid(f, st->role));
	s->label = text_layout(f, label, f->label, LABEL_W - 2 * PAD, 4, PANGO_ALIGN_CENTER);
	g_free(label);
	/* The role is smaller than the stage: set it as its own attribute run. */
	PangoAttrList *attrs = pango_attr_list_new();
	PangoAttribute *a = pango_attr_size_new(pango_font_description_get_size(f->small));
	a->start_index = (guint)strlen(stage) + 1;
	a->end_index = G_MAXUINT;
	pango_attr_list_insert(attrs, a);
	a = pango_attr_weight_new(PANGO_WEIGHT_NORMAL);
	a->start_index = (guint)strlen(stage) + 1;
	a->end_index = G_MAXUINT;
	pango_attr_list_insert(attrs, a);
	pango_layout_set_attributes(s->label, attrs);
	pango_attr_list_unref(attrs);

	double inner;
	if (st->signer) {
		const char *opinion = valid(f, st->opinion);
		s->opinion = text_layout(f, *opinion ? opinion : "（未填写意见）", f->text, value_w,
					 fit->opinion, PANGO_ALIGN_LEFT);
		char *sign =
		    g_strdup_printf("签字：%s　　时间：%s", valid(f, st->signer), valid(f, st->at));
		s->sign = text_layout(f, sign, f->text, value_w, fit->sign, PANGO_ALIGN_RIGHT);
		g_free(sign);
		inner = layout_height(s->opinion) + PAD + layout_height(s->sign);
	} else {
		s->opinion = NULL;
		s->sign = text_layout(f, "签字：　　　　　　　　日期：　　　　年　　月　　日",
				      f->text, value_w, fit->sign, PANGO_ALIGN_RIGHT);
		inner = SIGN_ROOM + layout_height(s->sign);
	}
	s->h = inner + 2 * PAD;
	double lh = layout_height(s->label) + 2 * PAD;
	if (lh > s->h)
		s->h = lh;
}

static void stage_draw(struct form *f, const struct stage_row *s, double y)
{
	cell_border(f, MARGIN_X, y, LABEL_W, s->h);
	cell_border(f, MARGIN_X + LABEL_W, y, TABLE_W - LABEL_W, s->h);
	show(f, s->label, MARGIN_X + PAD, y + (s->h - layout_height(s->label)) / 2);
	if (s->opinion)
		show(f, s->opinion, MARGIN_X + LABEL_W + PAD, y + PAD);
	show(f, s->sign, MARGIN_X + LABEL_W + PAD, y + s->h - PAD - layout_height(s->sign));
}

static void stage_clear(struct stage_row *s)
{
	g_object_unref(s->label);
	if (s->opinion)
		g_object_unref(s->opinion);
	g_object_unref(s->sign);
}

/* ---- the body ---- */

/* Characters of the body that are not white space: what 正文共 N 字 counts. */
static long body_chars(const char *s)
{
	long n = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p))
		if (!g_unichar_isspace(g_utf8_get_char(p)))
			n++;
	return n;
}

/*
 * The body laid out in at most max_lines lines.  A body that needs more
 * is cut at the end of a line, and 「……（正文共 N 字）」 ends the last one.
 */
static PangoLayout *body_layout(struct form *f, const char *body, int max_lines)
{
	double w = TABLE_W - LABEL_W - 2 * PAD;
	size_t len = strlen(body);
	size_t shown = len;
	if (shown > BODY_LAYOUT_MAX) {
		shown = BODY_LAYOUT_MAX;
		while (shown > 0 && ((unsigned char)body[shown] & 0xc0) == 0x80)
			shown--;
	}
	char *text = g_strndup(body, shown);
	PangoLayout *l = text_layout(f, text, f->text, w, 0, PANGO_ALIGN_LEFT);
	if (shown == len && pango_layout_get_line_count(l) <= max_lines) {
		g_free(text);
		return l;
	}
	/* Keep what fills the lines less about the ending's width, then give
	 * back one character at a time until the ending fits too. */
	PangoLayoutLine *line = pango_layout_get_line_readonly(l, max_lines);
	size_t keep = line ? (size_t)line->start_index : shown;
	g_object_unref(l);
	char *suffix = g_strdup_printf("……（正文共 %ld 字）", body_chars(body));
	for (glong i = g_utf8_strlen(suffix, -1); i > 0 && keep > 0; i--)
		keep = (size_t)(g_utf8_find_prev_char(text, text + keep) - text);
	for (;;) {
		while (keep > 0 && (text[keep - 1] == '\n' || text[keep - 1] == '\r'))
			keep--;
		char *cut = g_strdup_printf("%.*s%s", (int)keep, text, suffix);
		l = text_layout(f, cut, f->text, w, 0, PANGO_ALIGN_LEFT);
		g_free(cut);
		if (keep == 0 || pango_layout_get_line_count(l) <= max_lines)
			break;
		g_object_unref(l);
		keep = (size_t)(g_utf8_find_prev_char(text, text + keep) - text);
	}
	g_free(suffix);
	g_free(text);
	return l;
}

/* The height of one line of the text font. */
static double line_height(struct form *f)
{
	PangoLayout *l = text_layout(f, "审", f->text, 100, 0, PANGO_ALIGN_LEFT);
	double h = layout_height(l);
	g_object_unref(l);
	return h;
}

/* ---- the page ---- */

static double draw_heading(struct form *f, const struct approval_form *a)
{
	double y = MARGIN_TOP;
	PangoLayout *l =
	    text_layout(f, valid(f, a->org_name), f->unit, TABLE_W, 2, PANGO_ALIGN_CENTER);
	show(f, l, MARGIN_X, y);
	y += layout_height(l) + 4;
	g_object_unref(l);
	l = text_layout(f, "宣传信息发布审签单", f->head, TABLE_W, 1, PANGO_ALIGN_CENTER);
	show(f, l, MARGIN_X, y);
	y += layout_height(l) + 14;
	g_object_unref(l);
	return y;
}

static void draw_footer(struct form *f, const struct approval_form *a)
{
	char *text = g_strdup_printf("打印时间：%s", valid(f, a->printed_at));
	PangoLayout *l = text_layout(f, text, f->small, TABLE_W, 1, PANGO_ALIGN_RIGHT);
	show(f, l, MARGIN_X, PAGE_H - MARGIN_BOTTOM + 18);
	g_object_unref(l);
	g_free(text);
}

#define NROWS 7

/* "1. 活动照片.png　2. 说明.docx" (an ideographic space between), or "无";
 * owned by the form. */
static const char *attachment_names(struct form *f, const struct approval_form *a)
{
	if (a->nattachments <= 0)
		return "无";
	GString *s = g_string_new(NULL);
	for (int i = 0; i < a->nattachments; i++)
		g_string_append_printf(s, "%s%d. %s", i ? "　" : "", i + 1,
				       valid(f, a->attachments[i]));
	char *text = g_string_free(s, FALSE);
	g_ptr_array_add(f->owned, text);
	return text;
}

/* The rows above the body (the body's row is left to the caller) and the
 * stages' rows laid out with the lines fit allows; their height. */
static double measure_table(struct form *f, const struct approval_form *a,
			    const struct fit *fit, struct row rows[NROWS], struct stage_row *stages)
{
	char revision[32];
	snprintf(revision, sizeof(revision), "第 %d 版", a->revision);
	memset(rows, 0, sizeof(struct row) * NROWS);
	row_one(f, &rows[0], "标题", a->title, fit->title);
	row_two(f, &rows[1], "发布阵地", a->channel, "撰稿人", a->author, fit->cell);
	row_two(f, &rows[2], "提交时间", a->submitted_at, "敏感程度",
		a->sensitive ? "敏感" : "普通", fit->cell);
	row_two(f, &rows[3], "正文版本", revision, "当前状态", a->state, fit->cell);
	row_two(f, &rows[4], "发布网址", a->published_url, "发布时间", a->published_at,
		fit->cell);
	row_one(f, &rows[5], "附件", attachment_names(f, a), fit->files);
	double used = 0;
	for (int i = 0; i < NROWS - 1; i++)
		used += rows[i].h;
	for (int i = 0; i < a->nstages; i++) {
		stage_measure(f, &stages[i], &a->stages[i], fit);
		used += stages[i].h;
	}
	return used;
}

static void clear_table(const struct approval_form *a, struct row rows[NROWS],
			struct stage_row *stages)
{
	for (int i = 0; i < a->nstages; i++)
		stage_clear(&stages[i]);
	for (int i = 0; i < NROWS; i++)
		row_clear(&rows[i]);
}

static void draw_form(struct form *f, const struct approval_form *a)
{
	cairo_set_source_rgb(f->cr, 0, 0, 0);
	cairo_set_line_width(f->cr, LINE_W);
	double y = draw_heading(f, a);

	struct row rows[NROWS];
	struct stage_row stages[3];
	double lh = line_height(f);
	double used = measure_table(f, a, &roomy, rows, stages);
	if (y + used + BODY_MIN_LINES * lh + 2 * PAD > PAGE_H - MARGIN_BOTTOM) {
		clear_table(a, rows, stages);
		used = measure_table(f, a, &tight, rows, stages);
	}

	/* The body takes what is left above the bottom margin. */
	double room = PAGE_H - MARGIN_BOTTOM - y - used - 2 * PAD;
	int lines = (int)(room / lh);
	if (lines < BODY_MIN_LINES)
		lines = BODY_MIN_LINES;
	struct row *body = &rows[NROWS - 1];
	body->pairs = 1;
	body->label[0] = text_layout(f, "正文", f->label, LABEL_W - 2 * PAD, 1, PANGO_ALIGN_CENTER);
	body->value[0] = body_layout(f, valid(f, a->body), lines);
	row_measure(body);

	for (int i = 0; i < NROWS - 1; i++) {
		row_draw(f, &rows[i], y);
		y += rows[i].h;
	}
	cell_border(f, MARGIN_X, y, LABEL_W, body->h);
	cell_border(f, MARGIN_X + LABEL_W, y, TABLE_W - LABEL_W, body->h);
	show(f, body->label[0], MARGIN_X + PAD, y + (body->h - layout_height(body->label[0])) / 2);
	show(f, body->value[0], MARGIN_X + LABEL_W + PAD, y + PAD);
	y += body->h;
	for (int i = 0; i < a->nstages; i++) {
		stage_draw(f, &stages[i], y);
		y += stages[i].h;
	}
	clear_table(a, rows, stages);
	draw_footer(f, a);
}

/* ---- the file ---- */

struct sink {
	int fd;
	bool failed;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct sink *s = closure;
	while (length > 0) {
		ssize_t n = write(s->fd, data, length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			s->failed = true;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		data += n;
		length -= (unsigned int)n;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* An unlinked file in $TMPDIR (or /tmp), or -1. */
static int anonymous_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char *path = g_strdup_printf("%s/zerenzhi-form-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	g_free(path);
	return fd;
}

static PangoFontDescription *font(const char *family, double size, PangoWeight weight)
{
	PangoFontDescription *d = pango_font_description_new();
	pango_font_description_set_family(d, family);
	pango_font_description_set_size(d, (int)(size * PANGO_SCALE));
	pango_font_description_set_weight(d, weight);
	return d;
}

int approval_form_pdf(const struct approval_form *a, int *fd, uint64_t *size)
{
	*fd = -1;
	*size = 0;
	if (!a || a->nstages < 1 || a->nstages > 3 || !a->stages)
		return ZRZ_EINVAL;
	struct sink sink = {.fd = anonymous_file(), .failed = false};
	if (sink.fd < 0)
		return ZRZ_EIO;

	int rc = ZRZ_OK;
	cairo_surface_t *surface =
	    cairo_pdf_surface_create_for_stream(sink_write, &sink, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "宣传信息发布审签单");
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "zerenzhi");
	struct form f = {.cr = cairo_create(surface),
			 .owned = g_ptr_array_new_with_free_func(g_free)};
	PangoFontMap *map = pango_cairo_font_map_new();
	f.pc = pango_font_map_create_context(map);
	pango_context_set_language(f.pc, pango_language_from_string("zh-cn"));
	cairo_font_options_t *opts = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(f.pc, opts);
	cairo_font_options_destroy(opts);
	pango_cairo_update_context(f.cr, f.pc);
	f.text = font(FONT_FAMILY, 10.5, PANGO_WEIGHT_NORMAL);
	f.label = font(FONT_FAMILY, 10.5, PANGO_WEIGHT_BOLD);
	f.small = font(FONT_FAMILY, 9, PANGO_WEIGHT_NORMAL);
	f.unit = font(FONT_FAMILY, 14, PANGO_WEIGHT_NORMAL);
	f.head = font(FONT_FAMILY, 20, PANGO_WEIGHT_BOLD);

	draw_form(&f, a);
	cairo_show_page(f.cr);

	if (cairo_status(f.cr) != CAIRO_STATUS_SUCCESS)
		rc = ZRZ_EIO;
	cairo_destroy(f.cr);
	cairo_surface_finish(surface);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS || sink.failed)
		rc = ZRZ_EIO;
	cairo_surface_destroy(surface);
	pango_font_description_free(f.text);
	pango_font_description_free(f.label);
	pango_font_description_free(f.small);
	pango_font_description_free(f.unit);
	pango_font_description_free(f.head);
	g_object_unref(f.pc);
	g_object_unref(map);
	g_ptr_array_free(f.owned, TRUE);

	struct stat st;
	if (!rc && (fstat(sink.fd, &st) != 0 || lseek(sink.fd, 0, SEEK_SET) != 0))
		rc = ZRZ_EIO;
	if (rc) {
		close(sink.fd);
		return rc;
	}
	*fd = sink.fd;
	*size = (uint64_t)st.st_size;
	return ZRZ_OK;
}

/*
 * The difference of two texts in two passes.  The first compares lines:
 * every distinct line gets a number, and the two sequences of numbers go
 * through Myers' greedy O(ND) search for a shortest edit script.  The
 * second takes each block of changed lines (the lines deleted and inserted
 * between two runs of unchanged ones) and compares its two sides by code
 * point with the same search, so a changed character stays one character.
 *
 * The search keeps, for every round d, the furthest point reached on each
 * diagonal, and walks these back from the end to recover the script; the
 * rounds are paid for out of a budget of steps (one per diagonal visited
 * and one per matching element followed), which also bounds the memory the
 * kept rounds take.  A line comparison that runs out of budget is refused
 * with ZRZ_ETOOBIG; a block that does is shown whole, deleted then
 * inserted.  Before searching, a common head and tail are cut off, and two
 * sequences without a single common element are answered at once.
 *
 * A character comparison of two unrelated lines finds scattered common
 * characters (的, 了, punctuation) that make the view hard to read, so a
 * short unchanged run between two larger changes is folded into them.
 */
#include "core/common.h"

#include <assert.h>

#include "core/arena.h"
#include "core/str.h"
#include "domain/textdiff.h"

/* Steps the line comparison may take (about 16 MB of kept rounds at most). */
#define LINE_BUDGET 4000000L
/* Steps one block's character comparison may take, and all blocks together. */
#define BLOCK_BUDGET 1000000L
#define CHARS_BUDGET 8000000L

enum op { OP_SAME, OP_DEL, OP_INS };

static const char *const op_names[] = {"same", "del", "ins"};

/* An edit script: runs of n elements sharing one op. */
struct run {
	enum op op;
	size_t n;
};

struct script {
	struct run *v;
	size_t len, alloc;
};

static void script_add(struct script *s, enum op op, size_t n)
{
	if (!n)
		return;
	if (s->len && s->v[s->len - 1].op == op) {
		s->v[s->len - 1].n += n;
		return;
	}
	if (s->len == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 16;
		s->v = xrealloc(s->v, s->alloc * sizeof(*s->v));
	}
	s->v[s->len].op = op;
	s->v[s->len].n = n;
	s->len++;
}

/* ---- the search ---- */

/* True when some element of b also occurs in a. */
static bool share_any(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	size_t size = 16;
	while (size < 2 * n)
		size *= 2;
	/* Slots hold value + 1, so 0 marks an empty one. */
	uint64_t *set = xcalloc(size, sizeof(*set));
	for (size_t i = 0; i < n; i++) {
		size_t h = (a[i] * 2654435761u) & (size - 1);
		while (set[h] && set[h] != (uint64_t)a[i] + 1)
			h = (h + 1) & (size - 1);
		set[h] = (uint64_t)a[i] + 1;
	}
	bool found = false;
	for (size_t j = 0; j < m && !found; j++) {
		size_t h = (b[j] * 2654435761u) & (size - 1);
		while (set[h] && !found) {
			if (set[h] == (uint64_t)b[j] + 1)
				found = true;
			h = (h + 1) & (size - 1);
		}
	}
	free(set);
	return found;
}

/*
 * Where the path on diagonal k in round d comes from, given the furthest
 * points prev[] of round d-1 (indexed (k + d - 1) / 2, -1 when none).
 * Sets *x to the x it starts from in round d and returns the op of its
 * one edit, or -1 when no point of round d-1 leads inside the grid.
 */
static int step_from(const int32_t *prev, long d, long k, long n, long m, long *x)
{
	long down = -1, right = -1;
	if (k + 1 <= d - 1 && prev[(k + 1 + d - 1) / 2] >= 0) {
		down = prev[(k + 1 + d - 1) / 2];
		if (down - k > m)
			down = -1;
	}
	if (k - 1 >= -(d - 1) && prev[(k - 1 + d - 1) / 2] >= 0) {
		right = prev[(k - 1 + d - 1) / 2] + 1;
		if (right > n)
			right = -1;
	}
	if (right < 0 && down < 0)
		return -1;
	if (right > down) {
		*x = right;
		return OP_DEL;
	}
	*x = down;
	return OP_INS;
}

/*
 * The shortest edit script turning a[0..n) into b[0..m), appended to s.
 * Steps are taken from *budget; ZRZ_ETOOBIG when it runs out (s may then
 * hold part of a script).
 */
static int myers(const uint32_t *a, size_t n, const uint32_t *b, size_t m, long *budget,
		 struct script *s)
{
	size_t head = 0;
	while (head < n && head < m && a[head] == b[head])
		head++;
	size_t tail = 0;
	while (tail < n - head && tail < m - head && a[n - 1 - tail] == b[m - 1 - tail])
		tail++;
	script_add(s, OP_SAME, head);
	a += head;
	b += head;
	long N = (long)(n - head - tail);
	long M = (long)(m - head - tail);
	*budget -= (long)(head + tail);
	if (*budget < 0)
		return ZRZ_ETOOBIG;
	if (N == 0 || M == 0 || !share_any(a, (size_t)N, b, (size_t)M)) {
		script_add(s, OP_DEL, (size_t)N);
		script_add(s, OP_INS, (size_t)M);
		script_add(s, OP_SAME, tail);
		return ZRZ_OK;
	}

	/* Round d visits d + 1 diagonals, so the budget allows this many. */
	long dmax = 1;
	while (dmax * dmax / 2 < *budget && dmax < N + M)
		dmax++;
	int32_t *trace = NULL;
	size_t trace_alloc = 0;
	size_t trace_max = (size_t)((dmax + 1) * (dmax + 2) / 2);
	long found = -1;
	int rc = ZRZ_OK;

	for (long d = 0; d <= dmax && found < 0; d++) {
		size_t need = (size_t)((d + 1) * (d + 2) / 2);
		if (need > trace_alloc) {
			/* Grow by half, up to the rounds the budget allows. */
			trace_alloc = need + need / 2;
			if (trace_alloc > trace_max)
				trace_alloc = trace_max;
			trace = xrealloc(trace, trace_alloc * sizeof(*trace));
		}
		int32_t *row = trace + d * (d + 1) / 2;
		const int32_t *prev = d ? trace + (d - 1) * d / 2 : NULL;
		for (long k = -d; k <= d; k += 2) {
			long x = 0;
			if (--*budget < 0) {
				rc = ZRZ_ETOOBIG;
				goto out;
			}
			if (d && step_from(prev, d, k, N, M, &x) < 0) {
				row[(k + d) / 2] = -1;
				continue;
			}
			long y = x - k;
			long x0 = x;
			while (x < N && y < M && a[x] == b[y]) {
				x++;
				y++;
			}
			*budget -= x - x0;
			row[(k + d) / 2] = (int32_t)x;
			if (x == N && y == M) {
				found = d;
				break;
			}
		}
	}
	if (found < 0) {
		rc = ZRZ_ETOOBIG;
		goto out;
	}

	/* Walk back from the end, collecting the script reversed. */
	struct script rev = {0};
	long x = N, k = N - M;
	for (long d = found; d > 0; d--) {
		const int32_t *prev = trace + (d - 1) * d / 2;
		long start = 0;
		int op = step_from(prev, d, k, N, M, &start);
		assert(op >= 0);
		script_add(&rev, OP_SAME, (size_t)(x - start));
		script_add(&rev, (enum op)op, 1);
		if (op == OP_DEL) {
			k--;
			x = start - 1;
		} else {
			k++;
			x = start;
		}
	}
	script_add(&rev, OP_SAME, (size_t)x);
	for (size_t i = rev.len; i-- > 0;)
		script_add(s, rev.v[i].op, rev.v[i].n);
	free(rev.v);
	script_add(s, OP_SAME, tail);
out:
	free(trace);
	return rc;
}

/* ---- the pieces ---- */

/* The array being built and the piece not yet appended to it. */
struct pieces {
	json_t *arr;
	enum op op;
	struct buf text;
};

static void pieces_flush(struct pieces *p)
{
	if (!p->text.len)
		return;
	json_t *piece =
	    json_pack("{s:s,s:s%}", "op", op_names[p->op], "text", p->text.data, p->text.len);
	/* The texts were checked and are cut only between code points. */
	assert(piece);
	json_array_append_new(p->arr, piece);
	p->text.len = 0;
}

static void pieces_add(struct pieces *p, enum op op, const char *s, size_t n)
{
	if (!n)
		return;
	if (p->text.len && p->op != op)
		pieces_flush(p);
	p->op = op;
	if (buf_append(&p->text, s, n))
		abort(); /* uncapped: only out of memory fails, and that aborts */
}

/* ---- characters ---- */

/* Decodes valid UTF-8 s[0..n): code points into cp, byte offsets into at
 * (one more than the count, at[count] == n).  Returns the count. */
static size_t decode(const char *s, size_t n, uint32_t *cp, size_t *at)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t count = 0, i = 0;
	while (i < n) {
		uint32_t c = u[i];
		size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (len > 1)
			c &= 0x3f >> (len - 1);
		for (size_t k = 1; k < len; k++)
			c = (c << 6) | (u[i + k] & 0x3f);
		at[count] = i;
		cp[count++] = c;
		i += len;
	}
	at[count] = n;
	return count;
}

/*
 * Folds into the changes around it every unchanged run (not at either end)
 * that is no longer than the changes on either side of it: such runs are
 * chance coincidences, not text the author kept.  A folded run of L
 * becomes L deleted and L inserted.
 */
static void fold_coincidences(struct script *s)
{
	bool changed = true;
	while (changed) {
		changed = false;
		for (size_t i = 1; i + 1 < s->len; i++) {
			if (s->v[i].op != OP_SAME)
				continue;
			size_t left = 0, right = 0;
			for (size_t j = i; j-- > 0 && s->v[j].op != OP_SAME;)
				left += s->v[j].n;
			for (size_t j = i + 1; j < s->len && s->v[j].op != OP_SAME; j++)
				right += s->v[j].n;
			if (s->v[i].n > left || s->v[i].n > right)
				continue;
			/* Replace the run by a deletion and an insertion of it. */
			size_t len = s->v[i].n;
			s->v[i].op = OP_DEL;
			if (s->len == s->alloc) {
				s->alloc *= 2;
				s->v = xrealloc(s->v, s->alloc * sizeof(*s->v));
			}
			memmove(&s->v[i + 2], &s->v[i + 1], (s->len - i - 1) * sizeof(*s->v));
			s->v[i + 1].op = OP_INS;
			s->v[i + 1].n = len;
			s->len++;
			changed = true;
		}
	}
}

/*
 * Emits what a script over elements says, given each side's element
 * boundaries (byte offsets, one more than the elements): each group of
 * changes between unchanged runs shows its deleted text, then its
 * inserted text.
 */
static void emit_script(struct pieces *p, const struct script *s, const char *a, const size_t *at_a,
			const char *b, const size_t *at_b)
{
	size_t i = 0, j = 0, del0 = 0, ins0 = 0;
	for (size_t r = 0; r <= s->len; r++) {
		if (r < s->len && s->v[r].op == OP_DEL) {
			i += s->v[r].n;
			continue;
		}
		if (r < s->len && s->v[r].op == OP_INS) {
			j += s->v[r].n;
			continue;
		}
		pieces_add(p, OP_DEL, a + at_a[del0], at_a[i] - at_a[del0]);
		pieces_add(p, OP_INS, b + at_b[ins0], at_b[j] - at_b[ins0]);
		if (r < s->len) {
			size_t n = s->v[r].n;
			pieces_add(p, OP_SAME, a + at_a[i], at_a[i + n] - at_a[i]);
			i += n;
			j += n;
		}
		del0 = i;
		ins0 = j;
	}
}

/* One block of changed lines: a[0..na) became b[0..nb). */
static void emit_block(struct pieces *p, const char *a, size_t na, const char *b, size_t nb,
		       long *chars_budget)
{
	if (!na || !nb || *chars_budget <= 0) {
		pieces_add(p, OP_DEL, a, na);
		pieces_add(p, OP_INS, b, nb);
		return;
	}
	uint32_t *ca = xmalloc((na + nb) * sizeof(*ca));
	size_t *at = xmalloc((na + nb + 2) * sizeof(*at));
	size_t ka = decode(a, na, ca, at);
	uint32_t *cb = ca + ka;
	size_t *at_b = at + ka + 1;
	size_t kb = decode(b, nb, cb, at_b);
	long budget = *chars_budget < BLOCK_BUDGET ? *chars_budget : BLOCK_BUDGET;
	long before = budget;
	struct script s = {0};
	if (myers(ca, ka, cb, kb, &budget, &s) == ZRZ_OK) {
		fold_coincidences(&s);
		emit_script(p, &s, a, at, b, at_b);
	} else {
		pieces_add(p, OP_DEL, a, na);
		pieces_add(p, OP_INS, b, nb);
	}
	*chars_budget -= before - (budget > 0 ? budget : 0);
	free(s.v);
	free(at);
	free(ca);
}

/* ---- lines ---- */

/* A text cut into lines, each with its newline; at[] as in emit_script. */
struct lines {
	size_t n;
	size_t *at;
	uint32_t *id;
};

static void lines_split(const char *s, size_t len, struct lines *l)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n')
			n++;
	if (len && s[len - 1] != '\n')
		n++;
	l->at = xmalloc((n + 1) * sizeof(*l->at));
	l->id = xmalloc((n ? n : 1) * sizeof(*l->id));
	l->n = 0;
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			l->at[l->n++] = start;
			start = i + 1;
		}
	}
	if (start < len)
		l->at[l->n++] = start;
	l->at[l->n] = len;
}

/* Numbers the lines of both texts so that equal lines get equal numbers. */
static void lines_number(const char *a, struct lines *la, const char *b, struct lines *lb)
{
	size_t total = la->n + lb->n;
	size_t size = 16;
	while (size < 2 * total)
		size *= 2;
	/* Each slot: the text and length of the line first given its number. */
	struct slot {
		const char *p;
		size_t n;
		uint32_t id;
	} *table = xcalloc(size, sizeof(*table));
	uint32_t next = 0;
	for (int side = 0; side < 2; side++) {
		const char *s = side ? b : a;
		struct lines *l = side ? lb : la;
		for (size_t i = 0; i < l->n; i++) {
			const char *p = s + l->at[i];
			size_t n = l->at[i + 1] - l->at[i];
			uint64_t h = 1469598103934665603u;
			for (size_t k = 0; k < n; k++)
				h = (h ^ (unsigned char)p[k]) * 1099511628211u;
			size_t slot = (size_t)h & (size - 1);
			while (table[slot].p &&
			       (table[slot].n != n || memcmp(table[slot].p, p, n) != 0))
				slot = (slot + 1) & (size - 1);
			if (!table[slot].p) {
				table[slot].p = p;
				table[slot].n = n;
				table[slot].id = next++;
			}
			l->id[i] = table[slot].id;
		}
	}
	free(table);
}

int textdiff_json(const char *from, const char *to, json_t **out)
{
	*out = NULL;
	if (!from)
		from = "";
	if (!to)
		to = "";
	size_t na = strlen(from), nb = strlen(to);
	if (na > TEXTDIFF_MAX_BYTES || nb > TEXTDIFF_MAX_BYTES)
		return ZRZ_ETOOBIG;
	if (!utf8_valid_text(from, na) || !utf8_valid_text(to, nb))
		return ZRZ_EINVAL;

	struct lines la, lb;
	lines_split(from, na, &la);
	lines_split(to, nb, &lb);
	lines_number(from, &la, to, &lb);
	struct script s = {0};
	long budget = LINE_BUDGET;
	int rc = myers(la.id, la.n, lb.id, lb.n, &budget, &s);
	if (rc)
		goto out;

	struct pieces p = {.arr = json_array(), .op = OP_SAME, .text = BUF_INIT};
	long chars_budget = CHARS_BUDGET;
	size_t i = 0, j = 0, del0 = 0, ins0 = 0;
	for (size_t r = 0; r <= s.len; r++) {
		if (r < s.len && s.v[r].op == OP_DEL) {
			i += s.v[r].n;
			continue;
		}
		if (r < s.len && s.v[r].op == OP_INS) {
			j += s.v[r].n;
			continue;
		}
		emit_block(&p, from + la.at[del0], la.at[i] - la.at[del0], to + lb.at[ins0],
			   lb.at[j] - lb.at[ins0], &chars_budget);
		if (r < s.len) {
			size_t n = s.v[r].n;
			pieces_add(&p, OP_SAME, from + la.at[i], la.at[i + n] - la.at[i]);
			i += n;
			j += n;
		}
		del0 = i;
		ins0 = j;
	}
	pieces_flush(&p);
	buf_release(&p.text);
	*out = p.arr;
out:
	free(s.v);
	free(la.at);
	free(la.id);
	free(lb.at);
	free(lb.id);
	return rc;
}

/*
 * The ledger (台账): the record kinds of the dictionary, records with their
 * kept versions, the per-period counters that compliance reads, and the
 * obligations of a unit.  Every statement is written once for both engines;
 * the counter is an upsert (ON CONFLICT ... DO UPDATE) that both speak.
 */
#include "core/common.h"
#include "store/internal.h"
#include "store/repo.h"

/* ---- record kinds ---- */

static const char SQL_KIND_LIST[] =
	"SELECT code, name, sort, active, builtin FROM record_kind ORDER BY sort, code";
static const char SQL_KIND_GET[] =
	"SELECT code, name, sort, active, builtin FROM record_kind WHERE code = ?";

static void read_kind(struct db_stmt *st, struct arena *a, struct record_kind *k)
{
	k->code = store__text(st, 0, a);
	k->name = store__text(st, 1, a);
	k->sort = db_col_int64(st, 2);
	k->active = db_col_int64(st, 3) != 0;
	k->builtin = db_col_int64(st, 4) != 0;
}

int store_record_kind_list(struct db *db, struct arena *a, struct record_kind **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_KIND_LIST, &st);
	if (rc)
		return rc;
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_kind(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

int store_record_kind_get(struct db *db, struct arena *a, const char *code,
			  struct record_kind *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_KIND_GET, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_kind(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

/* ---- records ---- */

#define RECORD_COLS                                                                       \
	"r.id, r.org_id, r.kind, k.name, r.date, r.title, r.place, r.host, r.participants, " \
	"coalesce(r.expected, -1), coalesce(r.attended, -1), r.absentees, r.agenda, "       \
	"r.minutes, r.resolutions, coalesce(r.created_by, 0), r.created_at, r.updated_at, " \
	"coalesce(r.deleted_at, 0), r.version, r.attachments"

static void read_record(struct db_stmt *st, struct arena *a, struct record *r)
{
	r->id = db_col_int64(st, 0);
	r->org_id = db_col_int64(st, 1);
	r->kind = store__text(st, 2, a);
	r->kind_name = store__text(st, 3, a);
	r->date = store__text(st, 4, a);
	r->title = store__text(st, 5, a);
	r->place = store__text(st, 6, a);
	r->host = store__text(st, 7, a);
	r->participants = store__text(st, 8, a);
	r->expected = db_col_int64(st, 9);
	r->attended = db_col_int64(st, 10);
	r->absentees = store__text(st, 11, a);
	r->agenda = store__text(st, 12, a);
	r->minutes = store__text(st, 13, a);
	r->resolutions = store__text(st, 14, a);
	r->created_by = db_col_int64(st, 15);
	r->created_at = db_col_int64(st, 16);
	r->updated_at = db_col_int64(st, 17);
	r->deleted_at = db_col_int64(st, 18);
	r->version = db_col_int64(st, 19);
	r->attachments = db_col_int64(st, 20);
}

static const char SQL_RECORD_GET[] = "SELECT " RECORD_COLS " FROM record r "
				     "JOIN record_kind k ON k.code = r.kind WHERE r.id = ?";

int store_record_get(struct db *db, struct arena *a, int64_t id, struct record *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_RECORD_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_record(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

/* An optional count: -1 binds NULL. */
static void bind_count(struct db_stmt *st, int i, int64_t v)
{
	if (v < 0)
		db_bind_null(st, i);
	else
		db_bind_int64(st, i, v);
}

/* Binds ?1..?13 with the fields every write sets. */
static void bind_fields(struct db_stmt *st, const struct record *r)
{
	db_bind_int64(st, 1, r->org_id);
	db_bind_text(st, 2, r->kind);
	db_bind_text(st, 3, r->date);
	db_bind_text(st, 4, r->title);
	db_bind_text(st, 5, r->place);
	db_bind_text(st, 6, r->host);
	db_bind_text(st, 7, r->participants ? r->participants : "[]");
	bind_count(st, 8, r->expected);
	bind_count(st, 9, r->attended);
	db_bind_text(st, 10, r->absentees ? r->absentees : "[]");
	db_bind_text(st, 11, r->agenda);
	db_bind_text(st, 12, r->minutes);
	db_bind_text(st, 13, r->resolutions);
}

static const char SQL_RECORD_INSERT[] =
	"INSERT INTO record (org_id, kind, date, title, place, host, participants, expected, "
	"attended, absentees, agenda, minutes, resolutions, created_by, created_at, updated_at, "
	"version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id";

int store_record_insert(struct db *db, const struct record *rec, int64_t by, int64_t now,
			int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_RECORD_INSERT, &st);
	if (rc)
		return rc;
	bind_fields(st, rec);
	db_bind_id(st, 14, by);
	db_bind_int64(st, 15, now);
	db_bind_int64(st, 16, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_RECORD_UPDATE[] =
	"UPDATE record SET org_id = ?, kind = ?, date = ?, title = ?, place = ?, host = ?, "
	"participants = ?, expected = ?, attended = ?, absentees = ?, agenda = ?, minutes = ?, "
	"resolutions = ?, version = ?, updated_at = ? WHERE id = ?";

int store_record_update(struct db *db, const struct record *rec, int64_t version, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_RECORD_UPDATE, &st);
	if (rc)
		return rc;
	bind_fields(st, rec);
	db_bind_int64(st, 14, version);
	db_bind_int64(st, 15, now);
	db_bind_int64(st, 16, rec->id);
	return store__one_change(db, st);
}

static const char SQL_RECORD_SET_DELETED[] =
	"UPDATE record SET deleted_at = ?, version = ?, updated_at = ? WHERE id = ?";

int store_record_set_deleted(struct db *db, int64_t id, int64_t deleted_at, int64_t version,
			     int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_RECORD_SET_DELETED, &st);
	if (rc)
		return rc;
	db_bind_id(st, 1, deleted_at);
	db_bind_int64(st, 2, version);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, id);
	return store__one_change(db, st);
}

static const char SQL_VERSION_INSERT[] =
	"INSERT INTO record_version (record_id, version, data, changed_by, changed_at) "
	"VALUES (?, ?, ?, ?, ?)";

int store_record_version_insert(struct db *db, int64_t record_id, int64_t version,
				const char *data, int64_t by, int64_t now)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_VERSION_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, record_id);
	db_bind_int64(st, 2, version);
	db_bind_text(st, 3, data);
	db_bind_id(st, 4, by);
	db_bind_int64(st, 5, now);
	return db_run(st);
}

/* Two statements serve every filter, one for a single unit and one for a
 * subtree, so that a unit's page walks its index (org_id, date, id) backwards
 * and stops after the page instead of sorting every record: a planner cannot
 * use an index for "?1 = 0 OR r.org_id = ?1".  The parameters are the same in
 * both: ?1 org id (0 for a subtree), ?2/?3 the path range (NULL for a unit),
 * ?4 kind, ?5/?6 the date range, ?7 a LIKE pattern over title and minutes
 * (lower() on both sides, as users are searched), ?8 1 for the deleted
 * records, 0 for the live ones, ?9 1 for records with attachments, -1 for
 * those without, 0 for either (the counter column). */
#define RECORD_FILTER                                                                        \
	" AND (?2 IS NULL OR r.org_id IN (SELECT o.id FROM org o"                            \
	" WHERE o.path >= ?2 AND o.path < ?3))"                                              \
	" AND (?4 IS NULL OR r.kind = ?4) AND (?5 IS NULL OR r.date >= ?5)"                  \
	" AND (?6 IS NULL OR r.date <= ?6)"                                                  \
	" AND (?7 IS NULL OR lower(r.title) LIKE ?7 ESCAPE '\\'"                             \
	" OR lower(coalesce(r.minutes, '')) LIKE ?7 ESCAPE '\\')"                            \
	" AND ((?8 = 0 AND r.deleted_at IS NULL) OR (?8 = 1 AND r.deleted_at IS NOT NULL))"  \
	" AND (?9 = 0 OR (?9 = 1 AND r.attachments > 0) OR (?9 = -1 AND r.attachments = 0))"
#define RECORD_FROM " FROM record r JOIN record_kind k ON k.code = r.kind"
#define RECORD_WHERE_UNIT RECORD_FROM " WHERE r.org_id = ?1" RECORD_FILTER
#define RECORD_WHERE_TREE RECORD_FROM " WHERE (?1 = 0 OR r.org_id = ?1)" RECORD_FILTER
#define RECORD_ORDER " ORDER BY r.date DESC, r.id DESC LIMIT ?10 OFFSET ?11"
static const char SQL_RECORD_LIST_UNIT[] = "SELECT " RECORD_COLS RECORD_WHERE_UNIT RECORD_ORDER;
/* The counts need no kind's name: record.kind references record_kind, so
 * the join never drops a record. */
#define RECORD_COUNT_FROM " FROM record r"
static const char SQL_RECORD_COUNT_UNIT[] =
	"SELECT count(*)" RECORD_COUNT_FROM " WHERE r.org_id = ?1" RECORD_FILTER;
static const char SQL_RECORD_LIST_TREE[] = "SELECT " RECORD_COLS RECORD_WHERE_TREE RECORD_ORDER;
static const char SQL_RECORD_COUNT_TREE[] =
	"SELECT count(*)" RECORD_COUNT_FROM " WHERE (?1 = 0 OR r.org_id = ?1)" RECORD_FILTER;

static const char *like_pattern(struct arena *a, const char *q)
{
	if (!q)
		return NULL;
	size_t n = strlen(q);
	char *p = arena_alloc(a, 2 * n + 3);
	size_t o = 0;
	p[o++] = '%';
	for (size_t i = 0; i < n; i++) {
		char c = q[i] >= 'A' && q[i] <= 'Z' ? (char)(q[i] - 'A' + 'a') : q[i];
		if (c == '%' || c == '_' || c == '\\')
			p[o++] = '\\';
		p[o++] = c;
	}
	p[o++] = '%';
	p[o] = '\0';
	return p;
}

static void bind_filter(struct db_stmt *st, struct arena *a, const struct record_filter *f,
			const char *like)
{
	db_bind_int64(st, 1, f->path ? 0 : f->org_id);
	db_bind_text(st, 2, f->path);
	db_bind_text(st, 3, f->path ? store__path_upper(a, f->path) : NULL);
	db_bind_text(st, 4, f->kind);
	db_bind_text(st, 5, f->from);
	db_bind_text(st, 6, f->to);
	db_bind_text(st, 7, like);
	db_bind_int64(st, 8, f->deleted ? 1 : 0);
	db_bind_int64(st, 9, f->has_attachments);
}

/* The live and deleted records of a unit as record_total keeps them (its
 * triggers move it with every insert, delete and change of unit or
 * deletion). */
static const char SQL_RECORD_TOTAL[] = "SELECT live, deleted FROM record_total WHERE org_id = ?";

/* How many records match f: for all the records of one unit, live or
 * deleted, the kept total; with any other filter a count. */
static int count_records(struct db *db, struct arena *a, const struct record_filter *f,
			 const char *like, int64_t *total)
{
	struct db_stmt *st;
	int rc;
	if (!f->path && !f->kind && !f->from && !f->to && !like && !f->has_attachments) {
		rc = db_prepare(db, SQL_RECORD_TOTAL, &st);
		if (rc)
			return rc;
		db_bind_int64(st, 1, f->org_id);
		rc = db_step(st);
		if (rc == ZRZ_DONE) {
			*total = 0; /* no record ever */
			return ZRZ_OK;
		}
		if (rc != ZRZ_ROW)
			return rc;
		*total = db_col_int64(st, f->deleted ? 1 : 0);
		db_reset(st);
		return ZRZ_OK;
	}
	rc = db_prepare(db, f->path ? SQL_RECORD_COUNT_TREE : SQL_RECORD_COUNT_UNIT, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f, like);
	return store__one_int(st, total);
}

int store_record_page(struct db *db, struct arena *a, const struct record_filter *f,
		      int64_t offset, int64_t limit, int64_t *total, store_record_fn fn,
		      void *ctx)
{
	const char *like = like_pattern(a, f->q);
	struct db_stmt *st;
	int rc = count_records(db, a, f, like, total);
	if (rc)
		return rc;
	rc = db_prepare(db, f->path ? SQL_RECORD_LIST_TREE : SQL_RECORD_LIST_UNIT, &st);
	if (rc)
		return rc;
	bind_filter(st, a, f, like);
	db_bind_int64(st, 10, limit);
	db_bind_int64(st, 11, offset);
	while ((rc = db_step(st)) == ZRZ_ROW) {
		struct record r;
		read_record(st, NULL, &r); /* borrowed from st until the next step */
		rc = fn(ctx, &r, NULL);
		if (rc) {
			db_reset(st);
			return rc;
		}
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* The records of one unit (?1) matching the filter, in the list's order,
 * a page of ?12 at a time, each page starting after the last row of the
 * one before (?10 its date, ?11 its id; past the end of time for the first).
 * The plain "r.org_id = ?1" and "r.date <= ?10" let both engines walk the
 * index record_org_date backwards from that row, so every page costs its
 * own rows only and nothing is sorted; the PostgreSQL driver holds a whole
 * result, so pages also bound the memory there. */
#define RECORD_BATCH 2000
static const char SQL_RECORD_EACH[] =
	"SELECT " RECORD_COLS RECORD_WHERE_UNIT
	" AND r.date <= ?10 AND (r.date < ?10 OR r.id < ?11)"
	" ORDER BY r.date DESC, r.id DESC LIMIT ?12";

/* The units under ?1 (upper bound ?2), in the order of the tree; or unit ?3. */
static const char SQL_EACH_UNITS[] =
	"SELECT id, name FROM org WHERE (?1 IS NOT NULL AND path >= ?1 AND path < ?2) OR id = ?3 "
	"ORDER BY path";

/* The live records of a unit, or of every unit under a path, of a kind
 * (NULL: any), from the counters: every live record adds one to the key of
 * its year ("2026", the only keys of four characters), so the sum reads a
 * few counters per kind and year instead of every record. */
static const char SQL_RECORD_KEPT_UNIT[] =
	"SELECT coalesce(sum(c.count), 0) FROM ledger_count c WHERE c.org_id = ?1"
	" AND (?2 IS NULL OR c.kind = ?2) AND length(c.period_key) = 4";
static const char SQL_RECORD_KEPT_TREE[] =
	"SELECT coalesce(sum(c.count), 0) FROM ledger_count c JOIN org o ON o.id = c.org_id"
	" WHERE o.path >= ?1 AND o.path < ?2"
	" AND (?3 IS NULL OR c.kind = ?3) AND length(c.period_key) = 4";

int store_record_count(struct db *db, struct arena *a, const struct record_filter *f,
		       int64_t *total)
{
	if (!f->deleted && !f->from && !f->to && !f->q && !f->has_attachments) {
		struct db_stmt *st;
		int rc = db_prepare(db, f->path ? SQL_RECORD_KEPT_TREE : SQL_RECORD_KEPT_UNIT, &st);
		if (rc)
			return rc;
		if (f->path) {
			db_bind_text(st, 1, f->path);
			db_bind_text(st, 2, store__path_upper(a, f->path));
			db_bind_text(st, 3, f->kind);
		} else {
			db_bind_int64(st, 1, f->org_id);
			db_bind_text(st, 2, f->kind);
		}
		return store__one_int(st, total);
	}
	return count_records(db, a, f, like_pattern(a, f->q), total);
}

/* Walk the records of unit f->org_id (f->path NULL), named org_name;
 * *left counts down. */
static int each_of_unit(struct db *db, struct arena *a, const struct record_filter *f,
			const char *org_name, const char *like, int64_t *left,
			store_record_fn fn, void *ctx)
{
	char last_date[16] = "9999-12-31";
	int64_t last_id = INT64_MAX;
	int rc = ZRZ_OK;
	while (*left > 0) {
		struct db_stmt *st;
		rc = db_prepare(db, SQL_RECORD_EACH, &st);
		if (rc)
			return rc;
		bind_filter(st, a, f, like);
		db_bind_text(st, 10, last_date);
		db_bind_int64(st, 11, last_id);
		int64_t want = *left < RECORD_BATCH ? *left : RECORD_BATCH;
		db_bind_int64(st, 12, want);
		int64_t got = 0;
		while ((rc = db_step(st)) == ZRZ_ROW) {
			struct record r;
			read_record(st, NULL, &r); /* borrowed from st until the next step */
			snprintf(last_date, sizeof(last_date), "%s", r.date);
			last_id = r.id;
			got++;
			rc = fn(ctx, &r, org_name);
			if (rc) {
				db_reset(st);
				break;
			}
		}
		if (rc != ZRZ_DONE)
			return rc;
		rc = ZRZ_OK;
		*left -= got;
		if (got < want)
			break;
	}
	return rc;
}

int store_record_each(struct db *db, const struct record_filter *f, int64_t max,
		      store_record_fn fn, void *ctx)
{
	struct arena *a = arena_new();
	const char *like = like_pattern(a, f->q);
	int64_t left = max;
	/* The unit, or every unit of the subtree in the order of the tree. */
	struct unit {
		int64_t id;
		const char *name;
	} *units = NULL;
	int n = 0, cap = 0;
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_EACH_UNITS, &st);
	if (!rc) {
		db_bind_text(st, 1, f->path);
		db_bind_text(st, 2, f->path ? store__path_upper(a, f->path) : NULL);
		db_bind_int64(st, 3, f->path ? 0 : f->org_id);
		while ((rc = db_step(st)) == ZRZ_ROW) {
			units = store__grow(a, units, n, &cap, sizeof(*units));
			units[n].id = db_col_int64(st, 0);
			units[n++].name = store__text(st, 1, a);
		}
		rc = rc == ZRZ_DONE ? ZRZ_OK : rc;
	}
	for (int i = 0; i < n && !rc && left > 0; i++) {
		struct record_filter one = *f;
		one.org_id = units[i].id;
		one.path = NULL;
		rc = each_of_unit(db, a, &one, units[i].name, like, &left, fn, ctx);
	}
	arena_free(a);
	return rc;
}

/* ---- counters ---- */

static const char SQL_COUNT_ADD[] =
	"INSERT INTO ledger_count (org_id, kind, period_key, count) VALUES (?1, ?2, ?3, ?4) "
	"ON CONFLICT (org_id, kind, period_key) DO UPDATE SET count = ledger_count.count + ?4";

int store_ledger_count_add(struct db *db, int64_t org_id, const char *kind,
			   const char *period_key, int64_t delta)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_COUNT_ADD, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, period_key);
	db_bind_int64(st, 4, delta);
	return db_run(st);
}

/* Keys of year Y are the range ["Y", "Y+1"): every key starts with its
 * four-digit year. */
static const char SQL_COUNT_YEAR[] =
	"SELECT period_key, count FROM ledger_count WHERE org_id = ? AND kind = ? "
	"AND period_key >= ? AND period_key < ?";

int store_ledger_count_year(struct db *db, struct arena *a, int64_t org_id, const char *kind,
			    int year, struct ledger_count **items, int *n)
{
	char lo[16], hi[16];
	snprintf(lo, sizeof(lo), "%04d", year);
	snprintf(hi, sizeof(hi), "%04d", year + 1);
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_COUNT_YEAR, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, lo);
	db_bind_text(st, 4, hi);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		(*items)[*n].period_key = store__text(st, 0, a);
		(*items)[*n].count = db_col_int64(st, 1);
		(*n)++;
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- obligations ---- */

#define OBLIGATION_COLS \
	"id, org_id, kind, min, period, year, coalesce(plan_item_id, 0), created_at"

static void read_obligation(struct db_stmt *st, struct arena *a, struct obligation *o)
{
	o->id = db_col_int64(st, 0);
	o->org_id = db_col_int64(st, 1);
	o->kind = store__text(st, 2, a);
	o->min = db_col_int64(st, 3);
	o->period = store__text(st, 4, a);
	o->year = db_col_int64(st, 5);
	o->plan_item_id = db_col_int64(st, 6);
	o->created_at = db_col_int64(st, 7);
}

static const char SQL_OBL_GET[] = "SELECT " OBLIGATION_COLS " FROM obligation WHERE id = ?";

int store_obligation_get(struct db *db, struct arena *a, int64_t id, struct obligation *out)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OBL_GET, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == ZRZ_ROW) {
		read_obligation(st, a, out);
		db_reset(st);
		return ZRZ_OK;
	}
	return rc == ZRZ_DONE ? ZRZ_ENOTFOUND : rc;
}

static const char SQL_OBL_INSERT[] =
	"INSERT INTO obligation (org_id, kind, min, period, year, plan_item_id, created_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_obligation_insert(struct db *db, const struct obligation *o, int64_t now, int64_t *id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OBL_INSERT, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, o->org_id);
	db_bind_text(st, 2, o->kind);
	db_bind_int64(st, 3, o->min);
	db_bind_text(st, 4, o->period);
	db_bind_int64(st, 5, o->year);
	db_bind_id(st, 6, o->plan_item_id);
	db_bind_int64(st, 7, now);
	rc = store__one_int(st, id);
	return rc == ZRZ_ENOTFOUND ? ZRZ_EINTERNAL : rc;
}

static const char SQL_OBL_DELETE[] = "DELETE FROM obligation WHERE id = ?";

int store_obligation_delete(struct db *db, int64_t id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OBL_DELETE, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	return store__one_change(db, st);
}

static const char SQL_OBL_LIST[] =
	"SELECT " OBLIGATION_COLS " FROM obligation WHERE org_id = ?1 AND (?2 = 0 OR year = ?2) "
	"ORDER BY year, kind, CASE period WHEN 'year' THEN 1 WHEN 'half' THEN 2 "
	"WHEN 'quarter' THEN 3 WHEN 'month' THEN 4 ELSE 5 END, id";

int store_obligation_list(struct db *db, struct arena *a, int64_t org_id, int64_t year,
			  struct obligation **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OBL_LIST, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, year);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		read_obligation(st, a, &(*items)[(*n)++]);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* ---- a superior's rollup: every unit under a path ---- */

static const char SQL_OBL_SUBTREE[] =
	"SELECT b.id, b.org_id, b.kind, b.min, b.period, b.year, coalesce(b.plan_item_id, 0), "
	"b.created_at, o.name, o.path FROM obligation b JOIN org o ON o.id = b.org_id "
	"WHERE o.path >= ?1 AND o.path < ?2 AND b.year = ?3 AND (?5 IS NULL OR b.period = ?5) "
	"ORDER BY o.path, b.kind, CASE b.period WHEN 'year' THEN 1 WHEN 'half' THEN 2 "
	"WHEN 'quarter' THEN 3 WHEN 'month' THEN 4 ELSE 5 END, b.id LIMIT ?4";

int store_obligation_subtree(struct db *db, struct arena *a, const char *path, int64_t year,
			     const char *period, int64_t limit, struct unit_obligation **items,
			     int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_OBL_SUBTREE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, store__path_upper(a, path));
	db_bind_int64(st, 3, year);
	db_bind_int64(st, 4, limit);
	db_bind_text(st, 5, period);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct unit_obligation *u = &(*items)[(*n)++];
		read_obligation(st, a, &u->o);
		u->org_name = store__text(st, 8, a);
		u->org_path = store__text(st, 9, a);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

/* Driven by the obligations: for each obligation of year ?3 of a unit under
 * the path, the year's counter of its kind (which pacing reads) and the
 * counters of its own periods, each an index range of ledger_count's key
 * (org_id, kind, period_key), rather than every counter of every unit and
 * year checked against the obligations one by one.  The keys of a kind of
 * period share a prefix: "Y-H", "Y-Q", "Y-W", and months "Y-01".."Y-12"
 * lie between "Y-0" and "Y-2".  A year counter comes once per obligation of
 * its kind; the copies are equal. */
#define COUNT_SUBTREE_FROM                                                        \
	" FROM org o JOIN obligation b ON b.org_id = o.id AND b.year = ?3"         \
	" JOIN ledger_count c ON c.org_id = b.org_id AND c.kind = b.kind"
#define COUNT_SUBTREE_WHERE " WHERE o.path >= ?1 AND o.path < ?2 AND c.count <> 0"
static const char SQL_COUNT_SUBTREE[] =
	"SELECT c.org_id, c.kind, c.period_key, c.count" COUNT_SUBTREE_FROM
	" AND c.period_key = CAST(b.year AS TEXT)" COUNT_SUBTREE_WHERE
	" UNION ALL SELECT c.org_id, c.kind, c.period_key, c.count" COUNT_SUBTREE_FROM
	" AND c.period_key > CAST(b.year AS TEXT) || CASE b.period WHEN 'half' THEN '-H'"
	" WHEN 'quarter' THEN '-Q' WHEN 'week' THEN '-W' ELSE '-0' END"
	" AND c.period_key < CAST(b.year AS TEXT) || CASE b.period WHEN 'half' THEN '-I'"
	" WHEN 'quarter' THEN '-R' WHEN 'week' THEN '-X' ELSE '-2' END"
	COUNT_SUBTREE_WHERE " AND b.period <> 'year'";

int store_ledger_count_subtree(struct db *db, struct arena *a, const char *path, int year,
			       struct unit_count **items, int *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SQL_COUNT_SUBTREE, &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, store__path_upper(a, path));
	db_bind_int64(st, 3, year);
	int cap = 0;
	*n = 0;
	*items = NULL;
	while ((rc = db_step(st)) == ZRZ_ROW) {
		*items = store__grow(a, *items, *n, &cap, sizeof(**items));
		struct unit_count *u = &(*items)[(*n)++];
		u->org_id = db_col_int64(st, 0);
		u->kind = store__text(st, 1, a);
		u->period_key = store__text(st, 2, a);
		u->count = db_col_int64(st, 3);
	}
	return rc == ZRZ_DONE ? ZRZ_OK : rc;
}

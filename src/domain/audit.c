/*
 * Hash chain of the audit trail.  The hashed content is every column but the
 * hash itself (the unit's path at the time included), each followed by a newline, numbers in decimal, absent values
 * as empty text; the previous row's hash comes first, so a row cannot be
 * moved, removed or changed without breaking every later link's check.
 */
#include "core/common.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "store/repo.h"

#include <openssl/evp.h>

static void update_str(EVP_MD_CTX *ctx, const char *s)
{
	if (s)
		EVP_DigestUpdate(ctx, s, strlen(s));
	EVP_DigestUpdate(ctx, "\n", 1);
}

static void update_int(EVP_MD_CTX *ctx, int64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%lld\n", (long long)v);
	EVP_DigestUpdate(ctx, buf, (size_t)n);
}

void audit_hash(const struct audit_row *row, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		abort();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	update_str(ctx, row->prev_hash);
	update_int(ctx, row->seq);
	update_int(ctx, row->at);
	update_int(ctx, row->user_id);
	update_int(ctx, row->org_id);
	update_str(ctx, row->org_path);
	update_str(ctx, row->action);
	update_str(ctx, row->entity);
	update_int(ctx, row->entity_id);
	update_str(ctx, row->detail);
	update_str(ctx, row->client);
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < 32 && i < len; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
}

int audit_log(struct db *db, const struct actor *who, int64_t org_id, const char *action,
	      const char *entity, int64_t entity_id, json_t *detail)
{
	if (!detail)
		detail = json_object();
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	if (!text)
		return ZRZ_EINTERNAL;
	int64_t seq;
	char prev[65];
	char path[512] = "";
	if (org_id) {
		int prc = store_org_path(db, org_id, path, sizeof(path));
		if (prc && prc != ZRZ_ENOTFOUND) {
			free(text);
			return prc;
		}
	}
	/* One chain, one order: writers from every process queue here. */
	int rc = store_audit_lock(db);
	if (!rc)
		rc = store_audit_tail(db, &seq, prev);
	if (rc) {
		free(text);
		return rc;
	}
	/* The store keeps ids <= 0 as NULL and reads them back as 0: hash
	 * what will be read back. */
	if (org_id < 0)
		org_id = 0;
	if (entity_id < 0)
		entity_id = 0;
	struct audit_row row = {
		.seq = seq + 1,
		.at = time_now(),
		.user_id = who && who->user_id > 0 ? who->user_id : 0,
		.org_id = org_id,
		.org_path = path[0] ? path : NULL,
		.action = action,
		.entity = entity,
		.entity_id = entity_id,
		.detail = text,
		.client = who && who->client ? who->client : "",
		.prev_hash = prev,
	};
	char hash[65];
	audit_hash(&row, hash);
	row.hash = hash;
	rc = store_audit_insert(db, &row);
	free(text);
	return rc;
}

struct verify_state {
	int64_t rows;
	int64_t last_seq;
	int64_t bad;
	char prev[65];
};

static int verify_row(void *ctx, const struct audit_row *row)
{
	struct verify_state *v = ctx;
	char hash[65];
	v->rows++;
	if (row->seq != v->last_seq + 1 || !row->prev_hash || strcmp(row->prev_hash, v->prev) != 0) {
		v->bad = row->seq;
		return 1;
	}
	audit_hash(row, hash);
	if (!row->hash || strcmp(hash, row->hash) != 0) {
		v->bad = row->seq;
		return 1;
	}
	v->last_seq = row->seq;
	snprintf(v->prev, sizeof(v->prev), "%s", row->hash);
	return 0;
}

int audit_verify(struct db *db, int64_t *rows, int64_t *bad_seq)
{
	struct verify_state v = {0};
	int rc = store_audit_each(db, verify_row, &v);
	*rows = v.rows;
	*bad_seq = v.bad;
	if (rc == 1)
		return ZRZ_ECONFLICT;
	return rc;
}

int audit_list(struct db *db, struct arena *a, const struct audit_filter *f, int64_t offset,
	       int64_t limit, struct audit_row **items, int *n, int64_t *total)
{
	return store_audit_list(db, a, f, offset, limit, items, n, total);
}

json_t *audit_json(const struct audit_row *row)
{
	char at[32];
	time_format_rfc3339(row->at, at, sizeof(at));
	json_t *detail = json_loads(row->detail ? row->detail : "{}", 0, NULL);
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:s, s:s}", "seq",
			 (json_int_t)row->seq, "at", at, "user_id",
			 row->user_id ? json_integer(row->user_id) : json_null(), "user_login",
			 row->user_login ? json_string(row->user_login) : json_null(), "org_id",
			 row->org_id ? json_integer(row->org_id) : json_null(), "action",
			 row->action, "entity", row->entity, "entity_id",
			 row->entity_id ? json_integer(row->entity_id) : json_null(), "detail",
			 detail ? detail : json_object(), "client", row->client ? row->client : "",
			 "hash", row->hash ? row->hash : "");
}

/*
 * Rules of the record-kind dictionary: codes are stable identifiers that
 * scripts use, names are what people read and must not repeat, and nothing
 * is ever deleted.
 */
#include "core/common.h"
#include "core/str.h"
#include "core/ztime.h"
#include "domain/audit.h"
#include "domain/dictionary.h"
#include "store/repo.h"

bool dictionary_code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n == 0 || n > KIND_CODE_MAX || code[0] < 'a' || code[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = code[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

int dictionary_kind_get(struct db *db, struct arena *a, const char *code, struct record_kind *out)
{
	return store_record_kind_get(db, a, code, out);
}

static int check_name(struct db *db, const char *name, const char *code, struct derr *e)
{
	size_t len = name ? strlen(name) : 0;
	if (!name || !utf8_valid_text(name, len) || utf8_count(name, len) < 1 ||
	    utf8_count(name, len) > KIND_NAME_MAX)
		return derr_set(e, ZRZ_EINVAL, "name", "名称应为 1 至 40 个字");
	bool taken;
	int rc = store_record_kind_name_taken(db, name, code, &taken);
	if (rc)
		return rc;
	if (taken)
		return derr_set(e, ZRZ_ECONFLICT, "name", "已有同名的台账类别");
	return ZRZ_OK;
}

int dictionary_kind_add(struct db *db, struct arena *a, const struct actor *who, int64_t org_id,
			const struct record_kind *k, struct record_kind *out, struct derr *e)
{
	if (!k->code || !dictionary_code_valid(k->code))
		return derr_set(e, ZRZ_EINVAL, "code",
				"代码应以小写字母开头，由小写字母、数字和下划线组成，最多 40 个字符");
	struct record_kind cur;
	int rc = store_record_kind_get(db, a, k->code, &cur);
	if (!rc)
		return derr_set(e, ZRZ_ECONFLICT, "code", "该代码已被使用");
	if (rc != ZRZ_ENOTFOUND)
		return rc;
	rc = check_name(db, k->name, k->code, e);
	if (!rc)
		rc = store_record_kind_insert(db, k->code, k->name, k->sort);
	if (!rc)
		rc = store_record_kind_get(db, a, k->code, out);
	if (rc)
		return rc;
	return audit_log(db, who, org_id, "record_kind.create", "record_kind", 0,
			 json_pack("{s:s, s:s, s:I}", "code", k->code, "name", k->name, "sort",
				   (json_int_t)k->sort));
}

int dictionary_kind_update(struct db *db, struct arena *a, const struct actor *who,
			   int64_t org_id, const struct record_kind *next, struct record_kind *out,
			   struct derr *e)
{
	struct record_kind cur;
	int rc = store_record_kind_get(db, a, next->code, &cur);
	if (rc == ZRZ_ENOTFOUND)
		return derr_set(e, ZRZ_ENOTFOUND, "code", "台账类别不存在");
	if (rc)
		return rc;
	json_t *d = json_pack("{s:s}", "code", cur.code);
	if (strcmp(cur.name, next->name) != 0) {
		rc = check_name(db, next->name, next->code, e);
		if (rc) {
			json_decref(d);
			return rc;
		}
		json_object_set_new(d, "name", json_pack("[s,s]", cur.name, next->name));
	}
	if (cur.sort != next->sort)
		json_object_set_new(d, "sort", json_pack("[I,I]", (json_int_t)cur.sort,
							 (json_int_t)next->sort));
	if (cur.active != next->active)
		json_object_set_new(d, "active", json_pack("[b,b]", cur.active, next->active));
	if (json_object_size(d) == 1) {
		json_decref(d);
		*out = cur;
		return ZRZ_OK;
	}
	rc = store_record_kind_update(db, next);
	if (!rc)
		rc = store_record_kind_get(db, a, next->code, out);
	if (rc) {
		json_decref(d);
		return rc;
	}
	return audit_log(db, who, org_id, "record_kind.update", "record_kind", 0, d);
}

int dictionary_record_versions(struct db *db, struct arena *a, int64_t id, json_t **out)
{
	struct record_version *v;
	int n;
	int rc = store_record_version_list(db, a, id, &v, &n);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		char at[40];
		time_format_rfc3339(v[i].changed_at, at, sizeof at);
		json_t *data = json_loads(v[i].data, 0, NULL);
		json_array_append_new(
			arr, json_pack("{s:I, s:o, s:o, s:o, s:o}", "version", (json_int_t)v[i].version,
				       "data", data ? data : json_null(), "changed_by",
				       v[i].changed_by ? json_integer(v[i].changed_by) : json_null(),
				       "changed_by_name",
				       v[i].changed_by ? json_string(v[i].changed_by_name)
						       : json_null(),
				       "changed_at", json_string(at)));
	}
	*out = arr;
	return ZRZ_OK;
}

/*
 * The JSON API under /api/v1/: the route table, the authenticate hook the
 * HTTP layer runs before every non-public route (session cookie, CSRF header
 * on mutations, forced password change), and helpers the handlers share.
 */
#ifndef ZRZ_API_API_H
#define ZRZ_API_API_H

#include "auth/scope.h"
#include "domain/app.h"
#include "http/http.h"

/* The route table, terminated by an entry with a NULL method. */
extern const struct route api_routes[];

int api_authenticate(struct req *r);
void api_finish(struct req *r);
void api_retry(struct req *r);

/* The request's database connection, borrowed on first use. */
int api_db(struct req *r, struct db **out);
/* The caller (set by api_authenticate). */
const struct principal *api_who(struct req *r);
struct app *api_app(struct req *r);

/* The connection with no transaction open (the request's read snapshot
 * ended), for domain functions that run their own transactions. */
int api_db_untx(struct req *r, struct db **out);

/* Begin the request's write transaction / commit it.  A request that ends
 * without committing is rolled back. */
int api_begin(struct req *r, struct db **out);
int api_commit(struct req *r);

/* Turn a domain error into the request's error (field and message). */
int api_fail(struct req *r, int rc, const struct derr *e);

/*
 * Load unit id if the caller's grants reach it.  api_org_visible answers a
 * unit named by the path or query with 404 (existence does not leak);
 * api_org_named answers a unit named in the body with 422 and the field.
 */
int api_org_visible(struct req *r, struct db *db, int64_t id, struct org *o, const char *field);
int api_org_named(struct req *r, struct db *db, int64_t id, struct org *o, const char *field);

/* Read an optional id field of a JSON body (positive integer). */
int api_json_id(struct req *r, json_t *body, const char *key, bool required, int64_t *out,
		bool *present);

/* Handlers, one group per file. */
int api_health(struct req *r);
int api_session_create(struct req *r);
int api_session_delete(struct req *r);
int api_me(struct req *r);
int api_me_password(struct req *r);
int api_org_list(struct req *r);
int api_org_get(struct req *r);
int api_org_tree(struct req *r);
int api_org_create(struct req *r);
int api_org_update(struct req *r);
int api_org_delete(struct req *r);
int api_user_list(struct req *r);
int api_user_get(struct req *r);
int api_user_create(struct req *r);
int api_user_update(struct req *r);
int api_user_reset_password(struct req *r);
int api_grant_list(struct req *r);
int api_grant_create(struct req *r);
int api_grant_delete(struct req *r);
int api_duty_list(struct req *r);
int api_duty_create(struct req *r);
int api_duty_delete(struct req *r);
int api_committee_list(struct req *r);
int api_committee_get(struct req *r);
int api_committee_create(struct req *r);
int api_committee_update(struct req *r);
int api_committee_delete(struct req *r);
int api_audit_list(struct req *r);
int api_audit_verify(struct req *r);
int api_meta(struct req *r);
int api_record_kind_list(struct req *r);
int api_record_list(struct req *r);
int api_record_get(struct req *r);
int api_record_create(struct req *r);
int api_record_update(struct req *r);
int api_record_delete(struct req *r);
int api_record_restore(struct req *r);
int api_obligation_list(struct req *r);
int api_obligation_create(struct req *r);
int api_obligation_delete(struct req *r);
int api_compliance(struct req *r);
int api_obligation_template_list(struct req *r);
int api_obligation_adopt(struct req *r);
int api_record_kind_create(struct req *r);
int api_record_kind_update(struct req *r);
int api_record_versions(struct req *r);
int api_plan_list(struct req *r);
int api_plan_get(struct req *r);
int api_plan_create(struct req *r);
int api_plan_update(struct req *r);
int api_plan_delete(struct req *r);
int api_plan_issue(struct req *r);
int api_plan_import(struct req *r);
int api_plan_section_create(struct req *r);
int api_plan_section_update(struct req *r);
int api_plan_section_delete(struct req *r);
int api_plan_item_create(struct req *r);
int api_plan_item_get(struct req *r);
int api_plan_item_update(struct req *r);
int api_plan_item_delete(struct req *r);
int api_plan_progress_list(struct req *r);
int api_plan_progress_create(struct req *r);
int api_notice_list(struct req *r);
int api_notice_unread_count(struct req *r);
int api_notice_read(struct req *r);
int api_notice_read_all(struct req *r);
int api_channel_list(struct req *r);
int api_channel_get(struct req *r);
int api_channel_create(struct req *r);
int api_channel_update(struct req *r);
int api_channel_delete(struct req *r);
int api_channel_deliveries(struct req *r);
int api_channel_test(struct req *r);
int api_attachment_upload(struct req *r);
int api_attachment_list(struct req *r);
int api_attachment_download(struct req *r);
int api_attachment_thumbnail(struct req *r);
int api_attachment_delete(struct req *r);
/* Rectification (problem_api.c) and analysis reports (analysis_api.c). */
int api_problem_list(struct req *r);
int api_problem_get(struct req *r);
int api_problem_create(struct req *r);
int api_problem_update(struct req *r);
int api_problem_rollup(struct req *r);
int api_problem_import(struct req *r);
int api_problem_close(struct req *r);
int api_problem_reopen(struct req *r);
int api_measure_create(struct req *r);
int api_measure_update(struct req *r);
int api_measure_delete(struct req *r);
int api_evidence_list(struct req *r);
int api_evidence_upload(struct req *r);
int api_evidence_delete(struct req *r);
int api_evidence_download(struct req *r);
int api_analysis_list(struct req *r);
int api_analysis_get(struct req *r);
int api_analysis_template(struct req *r);
int api_analysis_create(struct req *r);
int api_analysis_update(struct req *r);
int api_analysis_delete(struct req *r);
int api_analysis_submit(struct req *r);

/* Channels (阵地) of a unit and their inspections (outlet_api.c). */
int api_outlet_list(struct req *r);
int api_outlet_get(struct req *r);
int api_outlet_create(struct req *r);
int api_outlet_update(struct req *r);
int api_outlet_delete(struct req *r);
int api_outlet_inspection_list(struct req *r);
int api_outlet_inspection_create(struct req *r);

int api_inbox_list(struct req *r);
int api_inbox_get(struct req *r);
int api_inbox_ack(struct req *r);
int api_inbox_forward(struct req *r);

int api_incident_list(struct req *r);
int api_incident_stats(struct req *r);
int api_incident_get(struct req *r);
int api_incident_create(struct req *r);
int api_incident_advance(struct req *r);
int api_incident_limits_get(struct req *r);
int api_incident_limits_put(struct req *r);
int api_review_list(struct req *r);
int api_review_get(struct req *r);
int api_review_create(struct req *r);
int api_review_update(struct req *r);
int api_review_submit(struct req *r);
int api_review_approve(struct req *r);
int api_review_return(struct req *r);
int api_review_withdraw(struct req *r);
int api_review_publish(struct req *r);
int api_review_revision_get(struct req *r);
int api_review_diff(struct req *r);
int api_review_form(struct req *r);
int api_review_config_get(struct req *r);
int api_review_config_put(struct req *r);

/* The files of a submission of the three-stage review. */
int api_review_attachment_list(struct req *r);
int api_review_attachment_upload(struct req *r);
int api_review_attachment_delete(struct req *r);
int api_review_attachment_download(struct req *r);

/* Content-Disposition "attachment; filename*=UTF-8''…" for name, percent-
 * encoded (RFC 6266, 5987), in a's memory (api/attachment_api.c). */
const char *api_disposition(struct arena *a, const char *name);
/* Does an If-None-Match header name etag (or "*")? */
bool api_etag_matches(const char *header, const char *etag);

#endif

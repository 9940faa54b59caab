/*
 * The route table of the JSON API.  Each line: method, path pattern,
 * handler, flags (public, allowed while the password must change) and body
 * cap (0: the server's default of 1 MiB).  docs/openapi.yaml describes the
 * same routes; a test checks that the two agree.
 */
#include "core/common.h"
#include "api/api.h"

#define PW ROUTE_PWCHANGE_OK

const struct route api_routes[] = {
	{"GET", "/healthz", api_health, ROUTE_PUBLIC, 0},
	{"GET", "/api/v1/meta", api_meta, ROUTE_PUBLIC, 0},
	{"POST", "/api/v1/session", api_session_create, ROUTE_PUBLIC, 16 * 1024},
	{"DELETE", "/api/v1/session", api_session_delete, PW, 0},
	{"GET", "/api/v1/me", api_me, PW, 0},
	{"PUT", "/api/v1/me/password", api_me_password, PW, 16 * 1024},

	{"GET", "/api/v1/orgs", api_org_list, 0, 0},
	{"POST", "/api/v1/orgs", api_org_create, 0, 0},
	{"GET", "/api/v1/orgs/{id}", api_org_get, 0, 0},
	{"PATCH", "/api/v1/orgs/{id}", api_org_update, 0, 0},
	{"DELETE", "/api/v1/orgs/{id}", api_org_delete, 0, 0},
	{"GET", "/api/v1/orgs/{id}/tree", api_org_tree, 0, 0},

	{"GET", "/api/v1/users", api_user_list, 0, 0},
	{"POST", "/api/v1/users", api_user_create, 0, 0},
	{"GET", "/api/v1/users/{id}", api_user_get, 0, 0},
	{"PATCH", "/api/v1/users/{id}", api_user_update, 0, 0},
	{"POST", "/api/v1/users/{id}/password", api_user_reset_password, 0, 16 * 1024},
	{"GET", "/api/v1/users/{id}/grants", api_grant_list, 0, 0},
	{"POST", "/api/v1/users/{id}/grants", api_grant_create, 0, 0},
	{"DELETE", "/api/v1/users/{id}/grants/{gid}", api_grant_delete, 0, 0},
	{"GET", "/api/v1/users/{id}/duties", api_duty_list, 0, 0},
	{"POST", "/api/v1/users/{id}/duties", api_duty_create, 0, 0},
	{"DELETE", "/api/v1/users/{id}/duties/{did}", api_duty_delete, 0, 0},

	{"GET", "/api/v1/committees", api_committee_list, 0, 0},
	{"POST", "/api/v1/committees", api_committee_create, 0, 0},
	{"GET", "/api/v1/committees/{id}", api_committee_get, 0, 0},
	{"PATCH", "/api/v1/committees/{id}", api_committee_update, 0, 0},
	{"DELETE", "/api/v1/committees/{id}", api_committee_delete, 0, 0},

	{"GET", "/api/v1/audit", api_audit_list, 0, 0},
	{"GET", "/api/v1/audit/verify", api_audit_verify, 0, 0},

	{"GET", "/api/v1/record-kinds", api_record_kind_list, 0, 0},
	{"POST", "/api/v1/record-kinds", api_record_kind_create, 0, 0},
	{"PATCH", "/api/v1/record-kinds/{code}", api_record_kind_update, 0, 0},
	{"GET", "/api/v1/records", api_record_list, 0, 0},
	{"POST", "/api/v1/records", api_record_create, 0, 0},
	{"GET", "/api/v1/records/{id}", api_record_get, 0, 0},
	{"PATCH", "/api/v1/records/{id}", api_record_update, 0, 0},
	{"DELETE", "/api/v1/records/{id}", api_record_delete, 0, 0},
	{"POST", "/api/v1/records/{id}/restore", api_record_restore, 0, 0},
	{"GET", "/api/v1/records/{id}/versions", api_record_versions, 0, 0},
	{"GET", "/api/v1/obligations", api_obligation_list, 0, 0},
	{"POST", "/api/v1/obligations", api_obligation_create, 0, 0},
	{"POST", "/api/v1/obligations/adopt", api_obligation_adopt, 0, 0},
	{"DELETE", "/api/v1/obligations/{id}", api_obligation_delete, 0, 0},
	{"GET", "/api/v1/obligation-templates", api_obligation_template_list, 0, 0},
	{"GET", "/api/v1/compliance", api_compliance, 0, 0},

	{"GET", "/api/v1/plans", api_plan_list, 0, 0},
	{"POST", "/api/v1/plans", api_plan_create, 0, 4 * 1024 * 1024},
	{"POST", "/api/v1/plans/import", api_plan_import, 0, 4 * 1024 * 1024},
	{"GET", "/api/v1/plans/{id}", api_plan_get, 0, 0},
	{"PATCH", "/api/v1/plans/{id}", api_plan_update, 0, 0},
	{"DELETE", "/api/v1/plans/{id}", api_plan_delete, 0, 0},
	{"POST", "/api/v1/plans/{id}/issue", api_plan_issue, 0, 0},
	{"POST", "/api/v1/plans/{id}/sections", api_plan_section_create, 0, 0},
	{"PATCH", "/api/v1/plan-sections/{id}", api_plan_section_update, 0, 0},
	{"DELETE", "/api/v1/plan-sections/{id}", api_plan_section_delete, 0, 0},
	{"POST", "/api/v1/plans/{id}/items", api_plan_item_create, 0, 0},
	{"GET", "/api/v1/plan-items/{id}", api_plan_item_get, 0, 0},
	{"PATCH", "/api/v1/plan-items/{id}", api_plan_item_update, 0, 0},
	{"DELETE", "/api/v1/plan-items/{id}", api_plan_item_delete, 0, 0},
	{"GET", "/api/v1/plan-items/{id}/progress", api_plan_progress_list, 0, 0},
	{"POST", "/api/v1/plan-items/{id}/progress", api_plan_progress_create, 0, 0},
	{"GET", "/api/v1/notices", api_notice_list, 0, 0},
	{"GET", "/api/v1/notices/unread-count", api_notice_unread_count, 0, 0},
	{"POST", "/api/v1/notices/read-all", api_notice_read_all, 0, 0},
	{"POST", "/api/v1/notices/{id}/read", api_notice_read, 0, 0},
	{"GET", "/api/v1/notify-channels", api_channel_list, 0, 0},
	{"POST", "/api/v1/notify-channels", api_channel_create, 0, 16 * 1024},
	{"GET", "/api/v1/notify-channels/{id}", api_channel_get, 0, 0},
	{"PATCH", "/api/v1/notify-channels/{id}", api_channel_update, 0, 16 * 1024},
	{"DELETE", "/api/v1/notify-channels/{id}", api_channel_delete, 0, 0},
	{"GET", "/api/v1/notify-channels/{id}/deliveries", api_channel_deliveries, 0, 0},
	{"POST", "/api/v1/notify-channels/{id}/test", api_channel_test, 0, 0},
	/* Uploads: body cap 0 is the server's upload cap (serve --max-upload). */
	{"GET", "/api/v1/records/{id}/attachments", api_attachment_list, 0, 0},
	{"POST", "/api/v1/records/{id}/attachments", api_attachment_upload, ROUTE_RAW_BODY, 0},
	{"DELETE", "/api/v1/records/{id}/attachments/{aid}", api_attachment_delete, 0, 0},
	{"GET", "/api/v1/attachments/{id}", api_attachment_download, 0, 0},
	{"GET", "/api/v1/attachments/{id}/thumbnail", api_attachment_thumbnail, 0, 0},
	{NULL, NULL, NULL, 0, 0},
};

/* /api/v1/audit: the audit trail, for the security auditor. */
import { http } from './http.js'

/* query: user_id, org_id, action, entity, from, to, page, size */
export function listAudit(query) {
  return http.get('/audit', query)
}

/* {intact, rows, first_broken_seq} */
export function verifyAudit() {
  return http.get('/audit/verify')
}

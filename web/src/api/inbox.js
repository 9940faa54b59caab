/*
 * /api/v1/inbox: what the units directly below sent up (上报收件箱), to
 * acknowledge (签收, with a comment) or pass further up (继续上报).
 */
import { http } from './http.js'

/* query: org_id, state, entity, page, size */
export function listInbox(query) {
  return http.get('/inbox', query)
}

export function getInboxItem(id) {
  return http.get(`/inbox/${id}`)
}

export function ackInboxItem(id, comment) {
  return http.post(`/inbox/${id}/ack`, comment ? { comment } : {})
}

export function forwardInboxItem(id, note) {
  return http.post(`/inbox/${id}/forward`, note ? { note } : {})
}

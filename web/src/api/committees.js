/* /api/v1/committees: the leading groups (领导小组) of a unit. */
import { http } from './http.js'

export function listCommittees(orgId) {
  return http.get('/committees', { org_id: orgId })
}

export function getCommittee(id) {
  return http.get(`/committees/${id}`)
}

/* data: org_id, name, members: [{position, name, user_id?, title?}] */
export function createCommittee(data) {
  return http.post('/committees', data)
}

/* data: name and/or members (the whole list, replacing the old one). */
export function updateCommittee(id, data) {
  return http.patch(`/committees/${id}`, data)
}

export function deleteCommittee(id) {
  return http.del(`/committees/${id}`)
}

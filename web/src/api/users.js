/* /api/v1/users with their grants (角色授权) and duties (分工). */
import { http } from './http.js'

/* query: org_id, subtree, q, page, size */
export function listUsers(query) {
  return http.get('/users', query)
}

export function getUser(id) {
  return http.get(`/users/${id}`)
}

/* data: org_id, login, name, password (optional: the answer then carries
 * temporary_password). */
export function createUser(data) {
  return http.post('/users', data)
}

/* data: any of name, org_id, locked. */
export function updateUser(id, data) {
  return http.patch(`/users/${id}`, data)
}

/* Without a password the server generates a temporary one and returns it. */
export function resetPassword(id, password) {
  return http.post(`/users/${id}/password`, password ? { password } : {})
}

export function listGrants(userId) {
  return http.get(`/users/${userId}/grants`)
}

export function createGrant(userId, data) {
  return http.post(`/users/${userId}/grants`, data)
}

export function deleteGrant(userId, grantId) {
  return http.del(`/users/${userId}/grants/${grantId}`)
}

export function listDuties(userId) {
  return http.get(`/users/${userId}/duties`)
}

export function createDuty(userId, data) {
  return http.post(`/users/${userId}/duties`, data)
}

export function deleteDuty(userId, dutyId) {
  return http.del(`/users/${userId}/duties/${dutyId}`)
}

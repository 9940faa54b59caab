/* /api/v1/orgs: the unit tree, as far as the caller's grants reach. */
import { fetchAll, http } from './http.js'

/* The caller's top units. */
export function listRoots() {
  return http.get('/orgs', { size: 200 })
}

export function listChildren(parentId, page = 1, size = 20) {
  return http.get('/orgs', { parent_id: parentId, page, size })
}

export function listAllChildren(parentId) {
  return fetchAll('/orgs', { parent_id: parentId })
}

export function getOrg(id) {
  return http.get(`/orgs/${id}`)
}

/* {root: {..., children: [...]}, truncated} */
export function getOrgTree(id) {
  return http.get(`/orgs/${id}/tree`)
}

export function createOrg(data) {
  return http.post('/orgs', data)
}

/* data: any of name, kind, sort, parent_id (a move). */
export function updateOrg(id, data) {
  return http.patch(`/orgs/${id}`, data)
}

export function deleteOrg(id) {
  return http.del(`/orgs/${id}`)
}

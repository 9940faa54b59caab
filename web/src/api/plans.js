/*
 * /api/v1/plans, /plan-sections, /plan-items: a unit's work plan (工作要点)
 * with its sections and items, item progress notes, issuing a plan down
 * to the units below, and the import of a plan from its text (a preview,
 * then the commit of the preview as the person edited it).
 */
import { http } from './http.js'

/* query: org_id, year, page, size */
export function listPlans(query) {
  return http.get('/plans', query)
}

export function getPlan(id) {
  return http.get(`/plans/${id}`)
}

/* data: org_id, year, title */
export function createPlan(data) {
  return http.post('/plans', data)
}

export function deletePlan(id) {
  return http.del(`/plans/${id}`)
}

/* Answers {plan_id, units, created, skipped}. */
export function issuePlan(id) {
  return http.post(`/plans/${id}/issue`)
}

/* data: parent_id, number, title */
export function createSection(planId, data) {
  return http.post(`/plans/${planId}/sections`, data)
}

/* data: section_id, text, lead, co_owners, due, recurrence, status */
export function createItem(planId, data) {
  return http.post(`/plans/${planId}/items`, data)
}

export function getItem(id) {
  return http.get(`/plan-items/${id}`)
}

/* data: the fields that change; null clears lead, co_owners, due, recurrence. */
export function updateItem(id, data) {
  return http.patch(`/plan-items/${id}`, data)
}

export function deleteItem(id) {
  return http.del(`/plan-items/${id}`)
}

export function listProgress(itemId) {
  return http.get(`/plan-items/${itemId}/progress`)
}

/* data: date, note */
export function addProgress(itemId, data) {
  return http.post(`/plan-items/${itemId}/progress`, data)
}

/* The preview of text as the plan of org_id for year; nothing is written. */
export function previewImport(orgId, year, text) {
  return http.post('/plans/import', { org_id: orgId, year, text })
}

/* Save the (edited) preview; answers the new plan. */
export function commitImport(orgId, year, text, preview) {
  return http.post('/plans/import', { ...preview, org_id: orgId, year, text, commit: true })
}

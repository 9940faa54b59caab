/*
 * /api/v1/analyses: analysis reports (分析研判) - drafts written in
 * sections, submitted to the unit above (which acknowledges them in its
 * inbox).
 */
import { http } from './http.js'

/* query: org_id, subtree, state, period, page, size */
export function listAnalyses(query) {
  return http.get('/analyses', query)
}

export function getAnalysis(id) {
  return http.get(`/analyses/${id}`)
}

/* data: org_id, period, title, report_date, sections */
export function createAnalysis(data) {
  return http.post('/analyses', data)
}

export function updateAnalysis(id, data) {
  return http.patch(`/analyses/${id}`, data)
}

export function deleteAnalysis(id) {
  return http.del(`/analyses/${id}`)
}

export function submitAnalysis(id) {
  return http.post(`/analyses/${id}/submit`)
}

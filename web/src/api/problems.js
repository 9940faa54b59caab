/*
 * /api/v1/problems, /measures, /problem-evidence: the rectification ledger
 * (问题整改) - problems with their measures and evidence files, 销号 and
 * 退回 by the unit above, the rollup by unit, and the import of the
 * problems a report lists (a preview, then the commit of the edited list).
 */
import { http } from './http.js'

/* query: org_id, subtree, status, source, overdue, q, page, size */
export function listProblems(query) {
  return http.get('/problems', query)
}

export function getProblem(id) {
  return http.get(`/problems/${id}`)
}

/* data: org_id, source, category, title, description, found_on, analysis_id */
export function createProblem(data) {
  return http.post('/problems', data)
}

export function updateProblem(id, data) {
  return http.patch(`/problems/${id}`, data)
}

export function problemRollup(orgId) {
  return http.get('/problems/rollup', { org_id: orgId })
}

/* data: org_id, text, source (preview) or org_id, source, commit: true, problems */
export function importProblems(data) {
  return http.post('/problems/import', data)
}

export function closeProblem(id, opinion) {
  return http.post(`/problems/${id}/close`, { opinion })
}

export function reopenProblem(id, opinion) {
  return http.post(`/problems/${id}/reopen`, { opinion })
}

/* data: text, owner_id, deadline, status, done_on */
export function addMeasure(problemId, data) {
  return http.post(`/problems/${problemId}/measures`, data)
}

export function updateMeasure(id, data) {
  return http.patch(`/measures/${id}`, data)
}

export function deleteMeasure(id) {
  return http.del(`/measures/${id}`)
}

export function deleteEvidence(problemId, id) {
  return http.del(`/problems/${problemId}/evidence/${id}`)
}

export function evidenceUrl(id) {
  return `/api/v1/problem-evidence/${id}`
}

/* Upload one file as evidence of a problem (multipart, with the CSRF token). */
export function uploadEvidence(problemId, file) {
  const form = new FormData()
  form.append('file', file, file.name)
  return http.post(`/problems/${problemId}/evidence`, form)
}

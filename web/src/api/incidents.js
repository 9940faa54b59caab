/*
 * /api/v1/incidents and /api/v1/incident-limits: events that concern the
 * unit (舆情事件处置) with their timed stages (研判, 报送, 处置, 结案), the
 * unit's time limits and the statistics of minutes to each stage.
 */
import { http } from './http.js'

/* query: org_id, subtree, state, severity, source, overdue, page, size */
export function listIncidents(query) {
  return http.get('/incidents', query)
}

export function getIncident(id) {
  return http.get(`/incidents/${id}`)
}

/* data: org_id, title, source, severity, description, found_at (RFC 3339) */
export function createIncident(data) {
  return http.post('/incidents', data)
}

/* stage: assess | report | handle | close */
export function advanceIncident(id, stage, note) {
  return http.post(`/incidents/${id}/advance`, note ? { stage, note } : { stage })
}

export function incidentStats(query) {
  return http.get('/incidents/stats', query)
}

export function getIncidentLimits(orgId) {
  return http.get('/incident-limits', { org_id: orgId })
}

/* limits: { major: { assess: 60, ... }, ... } (only what changes) */
export function setIncidentLimits(orgId, limits) {
  return http.put('/incident-limits', { org_id: orgId, limits })
}

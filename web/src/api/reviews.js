/*
 * /api/v1/reviews and /api/v1/review-config: the three-stage review (三审)
 * of a unit's publications — submissions, the steps of their review, their
 * revisions and the difference between two, their files, the approval
 * form, and the unit's settings (who signs each stage, time limits).
 */
import { http, request } from './http.js'

/* query: org_id, subtree, state, mine, todo, page, size */
export function listReviews(query) {
  return http.get('/reviews', query)
}

export function getReview(id) {
  return http.get(`/reviews/${id}`)
}

/* data: org_id, title, body, channel_id, sensitive */
export function createReview(data) {
  return http.post('/reviews', data)
}

/* data: the fields that change (title, body, channel_id, sensitive) */
export function updateReview(id, data) {
  return http.patch(`/reviews/${id}`, data)
}

/* action: submit, approve, return, withdraw, publish; data: its body */
export function reviewAction(id, action, data) {
  return http.post(`/reviews/${id}/${action}`, data)
}

export function getRevision(id, n) {
  return http.get(`/reviews/${id}/revisions/${n}`)
}

export function diffRevisions(id, from, to) {
  return http.get(`/reviews/${id}/diff`, { from, to })
}

/* The approval form (审签单) as a PDF the browser opens itself. */
export function formUrl(id) {
  return `/api/v1/reviews/${id}/form.pdf`
}

export function getReviewConfig(orgId) {
  return http.get('/review-config', { org_id: orgId })
}

export function putReviewConfig(orgId, data) {
  return request('PUT', '/review-config', { query: { org_id: orgId }, body: data })
}

/* The unit's publication channels (阵地), for the editor's select. */
export function listChannels(orgId) {
  return http.get('/channels', { org_id: orgId, size: 200 })
}

export function listReviewAttachments(id) {
  return http.get(`/reviews/${id}/attachments`)
}

export function deleteReviewAttachment(id, aid) {
  return http.del(`/reviews/${id}/attachments/${aid}`)
}

export function reviewAttachmentUrl(aid) {
  return `/api/v1/review-attachments/${aid}`
}

/*
 * Add files to submission id in one request (multipart, with the CSRF
 * token): one edit, so one new revision however many files.  Resolves to
 * {items, total, review}.
 */
export function uploadReviewAttachments(id, files) {
  const form = new FormData()
  for (const f of files) form.append('file', f, f.name)
  return http.post(`/reviews/${id}/attachments`, form)
}

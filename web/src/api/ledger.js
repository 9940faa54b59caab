/*
 * /api/v1/record-kinds, /records, /obligations, /obligation-templates and
 * /compliance: the ledger (台账) of a unit, its obligations (任务指标) and
 * how far they are met.  Attachments and the .xlsx exports are the paths
 * docs/openapi.yaml reserves for them.
 */
import { fetchAll, getCsrf, http, ApiError } from './http.js'

export function listRecordKinds() {
  return http.get('/record-kinds')
}

/* data: code, name, sort */
export function createRecordKind(data) {
  return http.post('/record-kinds', data)
}

/* data: the fields that change of name, sort, active */
export function updateRecordKind(code, data) {
  return http.patch(`/record-kinds/${encodeURIComponent(code)}`, data)
}

/* query: org_id, subtree, kind, from, to, q, deleted, page, size */
export function listRecords(query) {
  return http.get('/records', query)
}

export function getRecord(id) {
  return http.get(`/records/${id}`)
}

/* data: org_id, kind, date, title, place, host, participants, expected,
 * attended, absentees [{name, reason}], agenda, minutes, resolutions */
export function createRecord(data) {
  return http.post('/records', data)
}

/* data: the fields that change; null clears a field. */
export function updateRecord(id, data) {
  return http.patch(`/records/${id}`, data)
}

export function deleteRecord(id) {
  return http.del(`/records/${id}`)
}

export function restoreRecord(id) {
  return http.post(`/records/${id}/restore`)
}

export function listObligations(orgId, year) {
  return http.get('/obligations', { org_id: orgId, year })
}

/* data: org_id, kind, min, period, year */
export function createObligation(data) {
  return http.post('/obligations', data)
}

export function deleteObligation(id) {
  return http.del(`/obligations/${id}`)
}

export function listObligationTemplates() {
  return http.get('/obligation-templates')
}

/* Answers {created: [...], skipped: [...]}. */
export function adoptTemplate(orgId, year, template) {
  return http.post('/obligations/adopt', { org_id: orgId, year, template })
}

/* One unit: a row per obligation and period of the year. */
export function getCompliance(orgId, year) {
  return http.get('/compliance', { org_id: orgId, year })
}

/* A superior's rollup, one page.  query: period, sort (behind|org), page, size */
export function getRollup(orgId, year, query = {}) {
  return http.get('/compliance', { org_id: orgId, year, rollup: 1, ...query })
}

/* Every page of the rollup (up to cap rows), for the heatmap. */
export function getRollupAll(orgId, year, query = {}, cap = 4000) {
  return fetchAll('/compliance', { org_id: orgId, year, rollup: 1, ...query }, cap)
}

/* The address of a list as an .xlsx file (format=xlsx on the same query). */
export function exportUrl(path, query) {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...query, format: 'xlsx' })) {
    if (v === undefined || v === null || v === '') continue
    p.append(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v))
  }
  return `/api/v1${path}?${p}`
}

export function listAttachments(recordId) {
  return http.get(`/records/${recordId}/attachments`)
}

export function attachmentUrl(id) {
  return `/api/v1/attachments/${id}`
}

/* A small JPEG of an image attachment (when its has_thumbnail). */
export function thumbnailUrl(id) {
  return `/api/v1/attachments/${id}/thumbnail`
}

export function deleteAttachment(recordId, id) {
  return http.del(`/records/${recordId}/attachments/${id}`)
}

/*
 * Upload one file to a record as multipart/form-data with XMLHttpRequest,
 * whose upload.onprogress fetch() lacks.  onProgress(percent) as it goes.
 * Resolves to the server's answer; rejects with an ApiError.
 */
export function uploadAttachment(recordId, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `/api/v1/records/${recordId}/attachments`)
    xhr.setRequestHeader('Accept', 'application/json')
    const token = getCsrf()
    if (token) xhr.setRequestHeader('X-CSRF-Token', token)
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && onProgress) onProgress(Math.round((ev.loaded * 100) / ev.total))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', '无法连接服务器，请检查网络后重试'))
    xhr.onload = () => {
      let data = null
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null
      } catch {
        data = null
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data)
        return
      }
      const e = (data && data.error) || {}
      const fallback = xhr.status === 413 ? '文件过大' : `上传失败（${xhr.status}）`
      reject(new ApiError(xhr.status, e.code || 'http_' + xhr.status, e.message || fallback, e.field))
    }
    const form = new FormData()
    form.append('file', file, file.name)
    xhr.send(form)
  })
}

/*
 * /api/v1/channels and /channels/{id}/inspections: the unit's publication
 * channels (阵地) and their inspections.  An inspection's photos are the
 * attachments of its ledger record (record_id), uploaded with the ledger's
 * attachment calls.
 */
import { http } from './http.js'

/* The codes and Chinese names the server uses (docs/openapi.yaml). */
export const CHANNEL_KINDS = [
  { code: 'website', name: '门户网站' },
  { code: 'wechat_official', name: '微信公众号' },
  { code: 'weibo', name: '微博' },
  { code: 'video', name: '抖音/视频号' },
  { code: 'wechat_group', name: '微信群' },
  { code: 'qq_group', name: 'QQ群' },
  { code: 'board', name: '宣传栏/文化墙/电子屏' },
  { code: 'lecture', name: '讲座/论坛/报告会' },
  { code: 'periodical', name: '内部刊物' },
]

export const CHANNEL_STATUSES = [
  { code: 'active', name: '运行中' },
  { code: 'suspended', name: '暂停' },
  { code: 'closed', name: '已关闭' },
]

export const INSPECT_FREQUENCIES = [
  { code: 'week', name: '每周' },
  { code: 'month', name: '每月' },
  { code: 'quarter', name: '每季度' },
  { code: 'half', name: '每半年' },
  { code: 'year', name: '每年' },
]

export function nameOf(list, code) {
  const x = list.find((i) => i.code === code)
  return x ? x.name : code || ''
}

/* query: org_id, subtree, kind, status, q, no_owner, inspection_overdue, page, size */
export function listChannels(query) {
  return http.get('/channels', query)
}

export function getChannel(id) {
  return http.get(`/channels/${id}`)
}

/* data: org_id, kind, name, owner_id, reg_no, address, opened_on, status,
 * inspect_every, review_final, note */
export function createChannel(data) {
  return http.post('/channels', data)
}

/* data: the fields that change; null clears an optional one. */
export function updateChannel(id, data) {
  return http.patch(`/channels/${id}`, data)
}

export function deleteChannel(id) {
  return http.del(`/channels/${id}`)
}

export function listInspections(id) {
  return http.get(`/channels/${id}/inspections`)
}

/* data: date, inspector, findings, problems; answers with its record_id. */
export function createInspection(id, data) {
  return http.post(`/channels/${id}/inspections`, data)
}

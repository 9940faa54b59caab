/*
 * /api/v1/notify-channels: where a unit's reminders are also sent — a
 * 企业微信 or 钉钉 group robot, or e-mail — and each channel's delivery
 * log.  A robot's address comes back without its key: leave target out of
 * a change to keep it.
 */
import { http } from './http.js'

/* Answers {items, total}. */
export function listNotifyChannels(orgId) {
  return http.get('/notify-channels', { org_id: orgId })
}

/* data: org_id, kind, name, target, secret, active */
export function createNotifyChannel(data) {
  return http.post('/notify-channels', data)
}

/* data: name, target, secret (null removes it), active */
export function updateNotifyChannel(id, data) {
  return http.patch(`/notify-channels/${id}`, data)
}

export function deleteNotifyChannel(id) {
  return http.del(`/notify-channels/${id}`)
}

/* Answers {items, total}, newest first, each with its attempts (log). */
export function listDeliveries(id, page, size) {
  return http.get(`/notify-channels/${id}/deliveries`, { page, size })
}

/* Queues a test message; the server sends it within a few seconds. */
export function testNotifyChannel(id) {
  return http.post(`/notify-channels/${id}/test`)
}

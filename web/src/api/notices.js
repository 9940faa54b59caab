/* /api/v1/notices: the caller's reminders (提醒) and their read marks. */
import { http } from './http.js'

/* query: unread, page, size.  Answers {items, total, unread}. */
export function listNotices(query) {
  return http.get('/notices', query)
}

export function unreadCount() {
  return http.get('/notices/unread-count')
}

/* Answers {id, read, unread}. */
export function readNotice(id) {
  return http.post(`/notices/${id}/read`)
}

/* Answers {marked, unread}. */
export function readAllNotices() {
  return http.post('/notices/read-all')
}

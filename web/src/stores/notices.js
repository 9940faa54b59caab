/*
 * The unread count of the notice bell, shared by the bell and the notices
 * page.  refreshUnread() asks the server (one count query) at most once
 * every few seconds unless forced, so the route-change refresh stays cheap.
 */
import { reactive } from 'vue'
import { unreadCount } from '@/api/notices.js'

export const notices = reactive({ unread: 0 })

let last = 0
let pending = null

export function setUnread(n) {
  notices.unread = Number(n) || 0
  last = Date.now()
}

export function refreshUnread({ force = false } = {}) {
  if (pending) return pending
  if (!force && Date.now() - last < 5000) return Promise.resolve(notices.unread)
  pending = unreadCount()
    .then((r) => {
      setUnread(r.unread)
      return notices.unread
    })
    .finally(() => {
      pending = null
    })
  return pending
}

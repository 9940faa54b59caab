/*
 * Plan items (工作要点的事项): their statuses, and owners as the selects
 * of the item dialog hold them ("user:12", "role:office").
 */
export const ITEM_STATUSES = [
  { code: 'todo', label: '未开始', tag: 'info' },
  { code: 'doing', label: '进行中', tag: 'primary' },
  { code: 'done', label: '已完成', tag: 'success' },
]

export const OWNER_ROLES = ['secretary', 'leader', 'office', 'member']

export function statusTag(code) {
  if (code === 'overdue') return 'danger'
  const s = ITEM_STATUSES.find((x) => x.code === code)
  return s ? s.tag : 'info'
}

export function ownerKey(o) {
  return o.user_id ? `user:${o.user_id}` : `role:${o.role}`
}

export function ownerOf(key) {
  const [kind, v] = key.split(':')
  return kind === 'user' ? { user_id: Number(v) } : { role: v }
}

/* The name of an owner: a user by the list of users, a role by its label. */
export function ownerName(o, users) {
  if (!o) return ''
  if (o.role) return o.role_label || o.role
  const u = users.find((x) => x.id === o.user_id)
  return u ? u.name : `用户 ${o.user_id}`
}

/* A section's heading: its number as written (一 gets 一、; (一) stays) and title. */
export function sectionLabel(s) {
  if (!s.number) return s.title
  const n = /[、.．)）]$/.test(s.number) ? s.number : `${s.number}、`
  return `${n}${s.title}`
}

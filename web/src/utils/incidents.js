/*
 * Incidents (舆情事件): the Chinese names of sources, severities, stages and
 * statuses, and the tag type each status is shown with.
 */
export const SOURCES = [
  { code: 'media', label: '媒体报道' },
  { code: 'complaint', label: '群众反映' },
  { code: 'online_post', label: '网络帖文涉及本单位' },
  { code: 'superior_notice', label: '上级通报' },
  { code: 'channel_fault', label: '阵地异常' },
  { code: 'other', label: '其他' },
]

export const SEVERITIES = [
  { code: 'general', label: '一般', tag: 'info' },
  { code: 'serious', label: '较大', tag: 'warning' },
  { code: 'major', label: '重大', tag: 'danger' },
]

export const STAGES = [
  { code: 'found', label: '发现' },
  { code: 'assess', label: '研判' },
  { code: 'report', label: '报送' },
  { code: 'handle', label: '处置' },
  { code: 'close', label: '结案' },
]

export const STATUSES = {
  on_time: { label: '正常', tag: 'success' },
  at_risk: { label: '临近时限', tag: 'warning' },
  overdue: { label: '已超时', tag: 'danger' },
  done: { label: '已处置', tag: 'info' },
}

export const INBOX_STATES = {
  sent: { label: '待签收', tag: 'warning' },
  acknowledged: { label: '已签收', tag: 'success' },
  forwarded: { label: '已继续上报', tag: 'info' },
}

function find(list, code) {
  return list.find((x) => x.code === code) || { code, label: code, tag: 'info' }
}

export function sourceLabel(code) {
  return find(SOURCES, code).label
}

export function severity(code) {
  return find(SEVERITIES, code)
}

export function stageLabel(code) {
  return find(STAGES, code).label
}

export function status(code) {
  return STATUSES[code] || { label: code || '—', tag: 'info' }
}

export function inboxState(code) {
  return INBOX_STATES[code] || { label: code, tag: 'info' }
}

/* The incident's writers: its unit's office, leaders and secretary. */
export const INCIDENT_ROLES = ['office', 'leader', 'secretary']

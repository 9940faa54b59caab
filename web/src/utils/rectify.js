/* Names and tag colours of the rectification ledger and analysis reports. */
export const PROBLEM_SOURCES = [
  { value: 'self_check', label: '自查' },
  { value: 'inspection', label: '巡察' },
  { value: 'assessment', label: '考核' },
  { value: 'supervision', label: '上级督查' },
  { value: 'analysis', label: '研判' },
]

export const PROBLEM_STATUSES = [
  { value: 'todo', label: '待整改', type: 'danger' },
  { value: 'doing', label: '整改中', type: 'warning' },
  { value: 'done', label: '已完成', type: 'primary' },
  { value: 'closed', label: '已销号', type: 'success' },
]

export const MEASURE_STATUSES = [
  { value: 'todo', label: '未开始' },
  { value: 'doing', label: '进行中' },
  { value: 'done', label: '已完成' },
]

export const ANALYSIS_STATES = {
  draft: { label: '草稿', type: 'info' },
  submitted: { label: '已报送', type: 'warning' },
  acknowledged: { label: '上级已签收', type: 'success' },
}

export function label(list, value) {
  const x = list.find((i) => i.value === value)
  return x ? x.label : value
}

export function statusType(value) {
  const x = PROBLEM_STATUSES.find((i) => i.value === value)
  return x ? x.type : 'info'
}

/* "2026-H1" -> "2026年上半年", "2026" -> "2026年度", "adhoc" -> "专项研判". */
export function periodLabel(p) {
  if (p === 'adhoc') return '专项研判'
  const m = /^(\d{4})(?:-H([12]))?$/.exec(p || '')
  if (!m) return p
  return m[2] ? `${m[1]}年${m[2] === '1' ? '上' : '下'}半年` : `${m[1]}年度`
}

export function today() {
  const d = new Date()
  const pad = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/*
 * Reading compliance rows (GET /api/v1/compliance): the status colours all
 * pages share, the labels of periods, and which period of a year is "now".
 */
export const STATUS = {
  met: { label: '已完成', tag: 'success', color: '#67c23a' },
  on_track: { label: '进度正常', tag: 'primary', color: '#409eff' },
  at_risk: { label: '有风险', tag: 'warning', color: '#e6a23c' },
  missed: { label: '未完成', tag: 'danger', color: '#f56c6c' },
}

export const STATUS_ORDER = ['missed', 'at_risk', 'on_track', 'met']

export const PERIODS = [
  { code: 'year', label: '每年' },
  { code: 'half', label: '每半年' },
  { code: 'quarter', label: '每季度' },
  { code: 'month', label: '每月' },
  { code: 'week', label: '每周' },
]

export function periodLabel(code) {
  const p = PERIODS.find((x) => x.code === code)
  return p ? p.label : code
}

function pad(n) {
  return String(n).padStart(2, '0')
}

/* Today as YYYY-MM-DD in the browser's zone (the users' zone is China's). */
export function today() {
  const d = new Date()
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/* YYYY-MM-DD n days after ymd. */
export function addDays(ymd, n) {
  const [y, m, d] = ymd.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d + n))
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

/*
 * The day a year is read at: as_of when it falls in the year, else the
 * year's last day (a past year) or first day (a future one).
 */
export function referenceDay(year, asOf) {
  if (asOf && asOf.startsWith(String(year))) return asOf
  return asOf && asOf < `${year}` ? `${year}-01-01` : `${year}-12-31`
}

/*
 * The rows of one obligation per obligation: the period holding day, or
 * when none does (a week obligation at the year's edge) the last that
 * started before it.
 */
export function currentRows(rows, day) {
  const groups = new Map()
  for (const r of rows) {
    const key = r.org_id ? `${r.org_id}:${r.obligation_id}` : String(r.obligation_id)
    if (!groups.has(key)) groups.set(key, [])
    groups.get(key).push(r)
  }
  const out = []
  for (const list of groups.values()) {
    const holding = list.find((r) => r.first <= day && day <= r.last)
    const started = list.filter((r) => r.first <= day).sort((a, b) => (a.first < b.first ? 1 : -1))
    out.push(holding || started[0] || list[0])
  }
  return out
}

/* Rows of periods ending within `days` days of day that are not yet met. */
export function dueSoon(rows, day, days = 30) {
  const until = addDays(day, days)
  return rows
    .filter((r) => r.done < r.target && r.last >= day && r.last <= until)
    .sort((a, b) => (a.last < b.last ? -1 : a.last > b.last ? 1 : 0))
}

export function percent(row) {
  if (!row.target) return 100
  return Math.min(100, Math.round((row.done * 100) / row.target))
}

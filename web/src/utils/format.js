/* Dates and times as Chinese offices write them. */

function pad(n) {
  return String(n).padStart(2, '0')
}

/* "2025-03-01T09:30:00+08:00" -> "2025-03-01 09:30:00" in the browser's zone. */
export function formatTime(value) {
  if (!value) return ''
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  )
}

/* "YYYY-MM-DD" of the day after the given "YYYY-MM-DD". */
export function nextDay(ymd) {
  const [y, m, d] = ymd.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d + 1))
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

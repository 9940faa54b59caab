/*
 * Notices (提醒): the Chinese names of their kinds and where their links go.
 * A notice's link is a path of the front end as the server writes it;
 * /ledger/compliance?org_id=&year= is the 完成情况 page here.  A link that
 * leads to no page gives null (the notice is shown without one).
 */
export const NOTICE_KINDS = {
  due_soon: { label: '即将到期', tag: 'warning' },
  at_risk: { label: '有风险', tag: 'warning' },
  missed: { label: '未完成', tag: 'danger' },
  plan_overdue: { label: '事项逾期', tag: 'danger' },
  inspection_due: { label: '阵地待检查', tag: 'warning' },
  inspection_overdue: { label: '阵地检查逾期', tag: 'danger' },
  incident_at_risk: { label: '事件临近时限', tag: 'warning' },
  incident_overdue: { label: '事件已超时', tag: 'danger' },
  measure_due: { label: '整改措施即将到期', tag: 'warning' },
  measure_overdue: { label: '整改措施逾期', tag: 'danger' },
}

export function noticeKind(code) {
  return NOTICE_KINDS[code] || { label: code, tag: 'info' }
}

export function noticeTarget(router, link) {
  if (typeof link !== 'string' || !link.startsWith('/') || link.startsWith('//')) return null
  let r
  try {
    r = router.resolve(link)
  } catch {
    return null
  }
  if (!r.matched.length || r.name === 'not-found') return null
  return r.fullPath
}

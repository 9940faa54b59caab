/* Who keeps the ledger and the obligations of a unit (to show buttons; the server checks). */
import { hasRoleOn } from '@/stores/session.js'

export function canKeepLedger(org) {
  return ['office', 'secretary', 'leader'].some((r) => hasRoleOn(org, r))
}

export function canEditObligations(org) {
  return ['office', 'secretary'].some((r) => hasRoleOn(org, r))
}

/* Only the office sees and restores deleted records. */
export function canSeeDeleted(org) {
  return hasRoleOn(org, 'office')
}

/* A subtree grant at or above org: lists may include the units below. */
export function seesSubtree(org, grants) {
  return !!org && grants.some((g) => g.scope === 'subtree' && org.path.includes(`/${g.org_id}/`))
}

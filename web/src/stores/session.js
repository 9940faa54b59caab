/*
 * Who is logged in, and which unit they are working in.  A plain reactive
 * object: the application has one session and a handful of readers, so a
 * store library would add weight without adding clarity.
 *
 * The current unit (当前单位) is the context of every page: the unit tree,
 * the user list and the leading groups are those of this unit.  It is kept
 * per user in localStorage so that a reload stays where the user was; a
 * unit that is no longer visible falls back to the user's first top unit.
 */
import { reactive } from 'vue'
import { setCsrf } from '@/api/http.js'
import * as sessionApi from '@/api/session.js'
import { getMeta } from '@/api/meta.js'
import { getOrg, listRoots } from '@/api/orgs.js'

export const session = reactive({
  /* true once the start-up session check has answered */
  checked: false,
  user: null,
  grants: [],
  mustChangePassword: false,
  meta: null,
  org: null,
})

function apply(me) {
  session.user = me.user
  session.grants = me.user.grants || []
  session.mustChangePassword = !!me.must_change_password
  setCsrf(me.csrf)
}

export function clearSession() {
  session.user = null
  session.grants = []
  session.mustChangePassword = false
  session.org = null
  setCsrf(null)
}

/* Ask the server whether there is a session.  Never throws for a 401. */
export async function checkSession() {
  try {
    apply(await sessionApi.getMe())
  } catch (e) {
    clearSession()
    if (e.status !== 401) throw e
  } finally {
    session.checked = true
  }
  return !!session.user
}

export async function logIn(loginName, password) {
  apply(await sessionApi.login(loginName, password))
  session.checked = true
  session.org = null
}

export async function logOut() {
  try {
    await sessionApi.logout()
  } finally {
    clearSession()
  }
}

export async function loadMeta() {
  if (!session.meta) session.meta = await getMeta()
  return session.meta
}

/* The Chinese label of a code in one of the meta lists. */
export function metaLabel(list, code) {
  const item = session.meta && session.meta[list] && session.meta[list].find((x) => x.code === code)
  return item ? item.label : code
}

function orgKey() {
  return `zrz.org.${session.user.id}`
}

export function setCurrentOrg(org) {
  session.org = org
  try {
    localStorage.setItem(orgKey(), String(org.id))
  } catch {
    /* storage may be disabled; the choice then lasts until reload */
  }
}

/* Pick the current unit after login or reload. */
export async function restoreCurrentOrg() {
  let saved = null
  try {
    saved = Number(localStorage.getItem(orgKey())) || null
  } catch {
    saved = null
  }
  if (saved) {
    try {
      session.org = await getOrg(saved)
      return
    } catch (e) {
      if (e.handled) throw e
    }
  }
  const roots = await listRoots()
  session.org = roots.items[0] || null
}

/*
 * Does one of the user's grants give `role` on org?  With subtree, only a
 * subtree grant at or above org counts (needed to create or remove units
 * below it).  This only decides which buttons to show; the server checks
 * every request itself.
 */
export function hasRoleOn(org, role, { subtree = false } = {}) {
  if (!org) return false
  return session.grants.some((g) => {
    if (g.role !== role) return false
    if (g.scope === 'subtree') return org.path.includes(`/${g.org_id}/`)
    return !subtree && g.org_id === org.id
  })
}

export function hasAnyRole(roles) {
  return session.grants.some((g) => roles.includes(g.role))
}

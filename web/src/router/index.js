/*
 * The router and its guard: pages need a session (checked once with
 * GET /me on the first navigation), a password that need not change first,
 * and the roles their meta names.  Whoever is sent to the login or the
 * password page carries the page they wanted in ?redirect= and returns to
 * it afterwards.
 */
import { createRouter, createWebHistory } from 'vue-router'
import { ElMessage } from 'element-plus'
import { routes } from './routes.js'
import {
  checkSession,
  clearSession,
  hasAnyRole,
  loadMeta,
  restoreCurrentOrg,
  session,
} from '@/stores/session.js'

const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

const APP_NAME = '责任制管理系统'

/* Only paths of this application are followed after login. */
export function safeRedirect(value) {
  const s = Array.isArray(value) ? value[0] : value
  if (typeof s !== 'string' || !s.startsWith('/') || s.startsWith('//')) return '/'
  if (s.startsWith('/login') || s.startsWith('/password')) return '/'
  return s
}

/* The page being navigated to, for the session handlers below. */
let pending = null

router.beforeEach(async (to) => {
  pending = to.fullPath
  try {
    return await guard(to)
  } catch (e) {
    /* A session error already sent the user elsewhere. */
    if (e.handled) return false
    ElMessage.error(e.message || String(e))
    return true
  }
})

async function guard(to) {
  if (!session.checked) await checkSession()
  if (to.meta.public) {
    if (to.name === 'login' && session.user && !session.mustChangePassword) {
      return safeRedirect(to.query.redirect)
    }
    return true
  }
  if (!session.user) return { name: 'login', query: { redirect: to.fullPath } }
  if (session.mustChangePassword && !to.meta.passwordPage) {
    return { name: 'password', query: { redirect: to.fullPath } }
  }
  if (to.meta.passwordPage) return true
  await loadMeta()
  if (!session.org) await restoreCurrentOrg()
  const roles = to.matched.map((r) => r.meta.roles).filter(Boolean)
  if (roles.some((list) => !hasAnyRole(list))) {
    return { name: 'forbidden', query: { from: to.fullPath } }
  }
  return true
}

router.afterEach((to) => {
  pending = null
  document.title = to.meta.title ? `${to.meta.title} - ${APP_NAME}` : APP_NAME
})

export default router

/* Where the user is, or is about to be. */
function here() {
  return pending || router.currentRoute.value.fullPath
}

let expiredShown = 0

/* Any 401 of an API call: the session has ended. */
export function onSessionExpired(err) {
  const target = here()
  clearSession()
  session.checked = true
  if (router.currentRoute.value.name === 'login') return
  /* Several requests may fail at once; say it once. */
  if (Date.now() - expiredShown > 3000) {
    expiredShown = Date.now()
    ElMessage.warning(err.message || '登录已过期，请重新登录')
  }
  router.replace({ name: 'login', query: { redirect: safeRedirect(target) } })
}

/* A 403 password_change_required: the password must change first. */
export function onPasswordChangeRequired() {
  const target = here()
  session.mustChangePassword = true
  if (router.currentRoute.value.name === 'password') return
  router.replace({ name: 'password', query: { redirect: safeRedirect(target) } })
}

/*
 * The one HTTP client of the front end.  Every call to /api/v1 goes through
 * request(): it sends and reads JSON, adds the X-CSRF-Token header to every
 * POST, PUT, PATCH and DELETE, and turns an error answer
 * {"error": {"code", "message", "field"}} into an ApiError carrying the
 * server's Chinese message and the field it names.
 *
 * Two answers concern the whole session rather than the call that got them:
 * 401 "unauthorized" (the session has ended) and 403
 * "password_change_required".  They go to the handlers set with
 * setSessionHandlers() (the router sends the user to the login or the
 * password page, then back), and the ApiError is marked `handled` so that
 * the page that made the call does not show a second message.
 */

const BASE = '/api/v1'

let csrfToken = null
let handlers = { unauthorized() {}, passwordChange() {} }

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field || null
    this.handled = false
  }
}

export function setCsrf(token) {
  csrfToken = token || null
}

/* For the one call that cannot go through request(): an upload that
 * reports its progress (XMLHttpRequest). */
export function getCsrf() {
  return csrfToken
}

export function setSessionHandlers(h) {
  handlers = { ...handlers, ...h }
}

const FALLBACK = {
  0: '无法连接服务器，请检查网络后重试',
  401: '尚未登录或登录已过期，请重新登录',
  403: '没有执行此操作的权限',
  404: '请求的对象不存在',
  413: '提交的内容过大',
  429: '请求过于频繁，请稍后再试',
  500: '服务器内部错误，请稍后再试',
  502: '服务暂时不可用，请稍后再试',
  503: '服务暂时不可用，请稍后再试',
}

function queryString(query) {
  if (!query) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    p.append(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v))
  }
  const s = p.toString()
  return s ? '?' + s : ''
}

/*
 * request(method, path, {query, body, session})
 *   path     relative to /api/v1, e.g. "/orgs/3"
 *   query    object of query parameters; empty values are left out
 *   body     sent as JSON when given; a FormData as multipart/form-data
 *   session  false: a 401 or 403 of this call is only this call's error
 *            (the login form's wrong password, the start-up session check)
 * Resolves to the parsed JSON answer, or null for 204.
 */
export async function request(method, path, { query, body, session = true } = {}) {
  const form = typeof FormData !== 'undefined' && body instanceof FormData
  const headers = { Accept: 'application/json' }
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json'
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let res
  try {
    res = await fetch(BASE + path + queryString(query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined || form ? body : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'network', FALLBACK[0])
  }
  if (res.status === 204) return null
  let data = null
  if ((res.headers.get('Content-Type') || '').includes('json')) {
    data = await res.json().catch(() => null)
  }
  if (res.ok) return data
  const e = (data && data.error) || {}
  const err = new ApiError(
    res.status,
    e.code || 'http_' + res.status,
    e.message || FALLBACK[res.status] || `请求失败（${res.status}）`,
    e.field,
  )
  if (session && res.status === 401) {
    err.handled = true
    handlers.unauthorized(err)
  } else if (session && err.code === 'password_change_required') {
    err.handled = true
    handlers.passwordChange(err)
  }
  throw err
}

export const http = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
}

/*
 * Every page of a list, for pickers that need all of a small list (the
 * children of one unit).  Stops at `cap` items.
 */
export async function fetchAll(path, query = {}, cap = 2000) {
  const size = 200
  const items = []
  for (let page = 1; ; page++) {
    const r = await http.get(path, { ...query, page, size })
    items.push(...r.items)
    if (r.items.length < size || items.length >= r.total || items.length >= cap) {
      return { items, total: r.total }
    }
  }
}

/* /api/v1/session and /api/v1/me: log in and out, who am I, my password. */
import { http } from './http.js'

export function login(loginName, password) {
  return http.post('/session', { login: loginName, password }, { session: false })
}

export function logout() {
  return http.del('/session', { session: false })
}

/* The current session, or a 401 ApiError when there is none. */
export function getMe() {
  return http.get('/me', undefined, { session: false })
}

export function changePassword(oldPassword, newPassword) {
  return http.put('/me/password', { old_password: oldPassword, new_password: newPassword })
}

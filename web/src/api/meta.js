/* /api/v1/meta: the code lists with their Chinese labels, and the version. */
import { http } from './http.js'

export function getMeta() {
  return http.get('/meta', undefined, { session: false })
}

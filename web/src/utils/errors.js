/*
 * Showing API errors: next to the form field the server named, or as a
 * message bar.  Errors the session handlers already dealt with (401, forced
 * password change) are not shown again.
 */
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'

export function showError(err) {
  if (!err || err.handled) return
  ElMessage.error({ message: err.message || String(err), grouping: true })
}

/*
 * Field errors for one form: bind each item's :error to errors[prop].
 *   errors     reactive { field: message }
 *   clear()    before each submit
 *   apply(err) after a failed submit: the message goes under its field when
 *              the form has that field, else into a message bar.  `aliases`
 *              maps server field names to form props.
 */
export function useFieldErrors(fields, aliases = {}) {
  const errors = reactive(Object.fromEntries(fields.map((f) => [f, ''])))
  function clear() {
    for (const f of fields) errors[f] = ''
  }
  function apply(err) {
    const field = err && err.field && (aliases[err.field] || err.field)
    if (field && fields.includes(field) && !err.handled) {
      errors[field] = err.message
      return
    }
    showError(err)
  }
  return { errors, clear, apply }
}

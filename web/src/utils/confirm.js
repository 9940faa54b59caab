/*
 * The confirm-then-act step of a page's delete (or other irreversible)
 * buttons: ask in a message box; on 确定 run the action, say `done` in a
 * message bar and call `then` (reload the list); an error of the action is
 * shown.  Answers whether the action ran and succeeded.
 */
import { ElMessage, ElMessageBox } from 'element-plus'
import { showError } from './errors.js'

export async function confirmAndRun({ message, title, confirmText = '删除', action, done, then }) {
  try {
    await ElMessageBox.confirm(message, title, {
      confirmButtonText: confirmText,
      cancelButtonText: '取消',
      type: 'warning',
    })
  } catch {
    return false
  }
  try {
    await action()
  } catch (e) {
    showError(e)
    return false
  }
  if (done) ElMessage.success(done)
  if (then) then()
  return true
}

/*
 * The dictionary of record kinds (GET /record-kinds), read once per page
 * load: every ledger and obligation page names kinds by it.
 */
import { ref } from 'vue'
import { listRecordKinds } from '@/api/ledger.js'

export const recordKinds = ref([])
let loading = null

export function loadKinds({ reload = false } = {}) {
  if (reload || !loading) {
    loading = listRecordKinds()
      .then((r) => {
        recordKinds.value = r.items
        return r.items
      })
      .catch((e) => {
        loading = null
        throw e
      })
  }
  return loading
}

export function kindName(code) {
  const k = recordKinds.value.find((x) => x.code === code)
  return k ? k.name : code
}

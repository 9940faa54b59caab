/* Is the screen phone-width?  Reactive, follows resizes and rotation. */
import { onBeforeUnmount, onMounted, ref } from 'vue'

export const PHONE_WIDTH = 768

export function useNarrow() {
  const narrow = ref(window.innerWidth < PHONE_WIDTH)
  const update = () => (narrow.value = window.innerWidth < PHONE_WIDTH)
  onMounted(() => window.addEventListener('resize', update))
  onBeforeUnmount(() => window.removeEventListener('resize', update))
  return narrow
}

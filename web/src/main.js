import { createApp } from 'vue'
import 'dayjs/locale/zh-cn'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import './styles/index.css'
import App from './App.vue'
import router, { onPasswordChangeRequired, onSessionExpired } from './router/index.js'
import { setSessionHandlers } from './api/http.js'

setSessionHandlers({
  unauthorized: onSessionExpired,
  passwordChange: onPasswordChangeRequired,
})

createApp(App).use(router).mount('#app')

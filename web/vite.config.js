import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { bundleReport, gzipDist } from './tools/dist-plugins.js'

/*
 * Element Plus components used in templates are imported on demand (with
 * their CSS) by unplugin-vue-components, so each route's chunk carries only
 * the components it uses.  Our own components are imported explicitly.
 */
export default defineConfig(({ command }) => ({
  /* The build prints its own size report (tools/dist-plugins.js). */
  logLevel: command === 'build' ? 'warn' : 'info',
  plugins: [
    vue({ template: { transformAssetUrls: { includeAbsolute: false } } }),
    Components({
      dirs: [],
      dts: false,
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
    }),
    gzipDist(),
    bundleReport({ route: 'src/views/login/LoginView.vue', budgetKB: 300 }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 700,
  },
  server: {
    /* npm run dev: the API of a `zerenzhi serve` running on the default port. */
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
}))

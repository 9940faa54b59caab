/*
 * Two small Vite plugins for the production build, using only Node's own
 * modules:
 *
 *   gzipDist()     writes NAME.gz beside every compressible file of the
 *                  output folder; `zerenzhi serve` sends it instead of NAME
 *                  when the browser accepts gzip.
 *   bundleReport() prints every JavaScript and CSS chunk with its raw and
 *                  gzip size, then the JavaScript the login route needs
 *                  (the entry, the login view and everything they import
 *                  statically), and fails the build when that exceeds the
 *                  budget.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map)$/

function gzip(buf) {
  return zlib.gzipSync(buf, { level: 9 })
}

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) walk(p, out)
    else out.push(p)
  }
  return out
}

export function gzipDist() {
  let outDir
  return {
    name: 'zrz-gzip-dist',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!COMPRESSIBLE.test(file)) continue
        const raw = fs.readFileSync(file)
        const gz = gzip(raw)
        /* A .gz that is not smaller would only cost the server a lookup. */
        if (gz.length < raw.length) fs.writeFileSync(file + '.gz', gz)
      }
    },
  }
}

function kb(n) {
  return (n / 1024).toFixed(1).padStart(8) + ' KB'
}

/*
 * route: the source file of the route whose load cost is reported, relative
 * to the project root.  budgetKB: gzip kilobytes of JavaScript it may need.
 */
export function bundleReport({ route, budgetKB }) {
  let root
  let outDir
  const chunks = new Map()
  return {
    name: 'zrz-bundle-report',
    apply: 'build',
    configResolved(config) {
      root = config.root
      outDir = path.resolve(config.root, config.build.outDir)
    },
    generateBundle(_options, bundle) {
      for (const item of Object.values(bundle)) {
        if (item.type !== 'chunk') continue
        chunks.set(item.fileName, {
          isEntry: item.isEntry,
          imports: item.imports,
          facade: item.facadeModuleId,
          css: item.viteMetadata ? [...item.viteMetadata.importedCss] : [],
        })
      }
    },
    closeBundle() {
      const files = walk(outDir)
        .filter((f) => /\.(js|css)$/.test(f))
        .map((f) => {
          const raw = fs.readFileSync(f)
          return { name: path.relative(outDir, f), raw: raw.length, gz: gzip(raw).length }
        })
        .sort((a, b) => b.raw - a.raw)
      const byName = new Map(files.map((f) => [f.name, f]))
      const lines = ['', '打包结果（原始大小 / gzip 大小）：']
      for (const f of files) lines.push(`  ${f.name.padEnd(52)} ${kb(f.raw)} ${kb(f.gz)}`)
      const sum = (list, key) => list.reduce((n, f) => n + f[key], 0)
      const js = files.filter((f) => f.name.endsWith('.js'))
      lines.push(`  全部 JS：${js.length} 个文件 ${kb(sum(js, 'raw'))} ${kb(sum(js, 'gz'))}`)

      /* The login route: the entry chunk, the route's own chunk, and the
       * closure of their static imports. */
      const routeFile = path.resolve(root, route)
      const start = [...chunks].filter(([, c]) => c.isEntry || c.facade === routeFile)
      if (!start.some(([, c]) => c.facade === routeFile))
        this.error(`bundleReport: no chunk for ${route}`)
      const need = new Set()
      const css = new Set()
      const visit = (name) => {
        if (need.has(name)) return
        need.add(name)
        const c = chunks.get(name)
        c.css.forEach((x) => css.add(x))
        c.imports.forEach(visit)
      }
      start.forEach(([name]) => visit(name))
      const loginJs = [...need].map((n) => byName.get(n)).filter(Boolean)
      const loginCss = [...css].map((n) => byName.get(n)).filter(Boolean)
      const gzKB = sum(loginJs, 'gz') / 1024
      lines.push(
        `登录页所需 JS：${loginJs.length} 个文件 ${kb(sum(loginJs, 'raw'))} ${kb(sum(loginJs, 'gz'))}` +
          `（上限 gzip ${budgetKB} KB）`,
        `登录页所需 CSS：${loginCss.length} 个文件 ${kb(sum(loginCss, 'raw'))} ${kb(sum(loginCss, 'gz'))}`,
        '',
      )
      console.log(lines.join('\n'))
      if (gzKB > budgetKB)
        this.error(`登录页 JS 为 gzip ${gzKB.toFixed(1)} KB，超过上限 ${budgetKB} KB`)
    },
  }
}

/*
 * A real `zerenzhi serve` for the browser tests: a fresh SQLite database in
 * a temporary folder, units and users made with the command line (passwords
 * on standard input, as an administrator would), and the server on a free
 * port of 127.0.0.1 serving the built front end (web/dist).
 *
 *   ZRZ_BIN   the binary to test [build/zerenzhi]
 *   ZRZ_WEB   the built front end [web/dist]
 */
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = path.resolve(ROOT, process.env.ZRZ_BIN || 'build/zerenzhi')
const WEB = path.resolve(ROOT, process.env.ZRZ_WEB || 'web/dist')

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function waitHealthy(url, proc, ms) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`zerenzhi serve exited with ${proc.exitCode}`)
    try {
      const r = await fetch(url + '/healthz')
      if (r.ok) return
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`zerenzhi serve did not answer ${url}/healthz within ${ms} ms`)
}

export class Server {
  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zrz-e2e-'))
    this.db = 'sqlite:' + path.join(this.dir, 'zerenzhi.db')
    this.proc = null
    this.url = null
  }

  /* Run `zerenzhi <command...> --db DB <options...>`; its standard output, trimmed. */
  cli(command, options = [], stdin = '') {
    return execFileSync(BIN, [...command, '--db', this.db, ...options], {
      input: stdin,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    }).trim()
  }

  init() {
    if (!fs.existsSync(BIN)) throw new Error(`${BIN} not found: run make build first`)
    if (!fs.existsSync(path.join(WEB, 'index.html'))) throw new Error(`${WEB}/index.html not found: run make web first`)
    this.cli(['init'])
  }

  /* Returns the new unit's id. */
  addOrg(name, { parent, kind } = {}) {
    const opts = ['--name', name]
    if (parent) opts.push('--parent', String(parent))
    if (kind) opts.push('--kind', kind)
    return Number(this.cli(['org', 'add'], opts))
  }

  /* Returns the new user's id. */
  addUser({ org, login, name, role, scope = 'self', password, temporary = false }) {
    const opts = ['--org', String(org), '--login', login, '--name', name, '--role', role, '--scope', scope]
    if (temporary) opts.push('--temporary')
    return Number(this.cli(['user', 'add'], opts, password + '\n'))
  }

  async start() {
    const port = await freePort()
    this.url = `http://127.0.0.1:${port}`
    this.log = path.join(this.dir, 'serve.log')
    const out = fs.openSync(this.log, 'w')
    this.proc = spawn(
      BIN,
      [
        'serve',
        '--db', this.db,
        '--listen', `127.0.0.1:${port}`,
        '--web', WEB,
        '--threads', '2',
        /* the lockout test counts on these */
        '--lockout-failures', '5',
        '--lockout-minutes', '15',
      ],
      { stdio: ['ignore', out, out] },
    )
    fs.closeSync(out)
    await waitHealthy(this.url, this.proc, 15000)
  }

  /* The last lines of the server's access and error log. */
  logTail(lines = 20) {
    try {
      return fs.readFileSync(this.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    } catch {
      return ''
    }
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r))
      this.proc.kill('SIGTERM')
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    if (!process.env.ZRZ_KEEP) fs.rmSync(this.dir, { recursive: true, force: true })
  }
}

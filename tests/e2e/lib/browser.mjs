/*
 * Debian's chromium, headless, through playwright-core (which never
 * downloads a browser of its own).  Each test gets a fresh context (no
 * cookies, no storage); everything the page logs as an error, and every
 * uncaught exception, is collected so the test can fail on it.
 *
 * One kind of console error is expected and not counted: Chromium logs
 * "Failed to load resource: ... status of 4xx" for every API call the
 * server refuses, and the tests make the server refuse on purpose (a wrong
 * password, a sibling school's unit, the start-up session check before
 * login).  Only 4xx answers of /api/v1/ are excused; a 5xx, a missing
 * asset or any error the application itself logs still fails the test.
 *
 *   CHROMIUM   the browser [/usr/bin/chromium]
 */
import fs from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { ROOT } from './server.mjs'

export const SHOTS = path.join(ROOT, 'build', 'e2e')

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

const EXCUSED = /^Failed to load resource: the server responded with a status of 4\d\d/

export async function openPage(browser, baseURL) {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  })
  const page = await context.newPage()
  page.setDefaultTimeout(10000)
  const problems = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const url = msg.location().url || ''
    if (EXCUSED.test(msg.text()) && url.startsWith(baseURL + '/api/v1/')) return
    problems.push(`console error: ${msg.text()} ${url}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`HTTP ${r.status()} ${r.url()}`)
  })
  return { context, page, problems }
}

/* Save the page once its loading masks and transitions have settled. */
export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page
    .locator('.el-loading-mask')
    .first()
    .waitFor({ state: 'hidden', timeout: 3000 })
    .catch(() => {})
  await page.waitForTimeout(300)
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
}

/*
 * Visible form controls without an accessible name (no <label for>, no
 * aria-label or aria-labelledby): every input must have a label.
 */
export function unlabelledInputs(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
      .filter(
        (el) =>
          !(el.labels && el.labels.length) &&
          !el.getAttribute('aria-label') &&
          !el.getAttribute('aria-labelledby'),
      )
      .map((el) => el.outerHTML.slice(0, 200)),
  )
}

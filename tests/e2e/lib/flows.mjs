/*
 * Steps the browser test files share: a test in its own browser context
 * that fails on console errors and unlabelled inputs and saves a
 * screenshot, logging in, and picking an Element Plus select option.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, screenshot, unlabelledInputs } from './browser.mjs'

/*
 * A test with its own browser context on server (getBrowser() gives the
 * browser, launched in before()).  `fn(page, context)` drives the page;
 * the last page is saved as build/e2e/<shot>.png.  Console errors, and
 * inputs without a label on the last page, fail the test even when `fn`
 * passed.  viewport: {width, height} for a phone-width test.
 */
export function browserTest(server, getBrowser, name, shot, fn, { viewport } = {}) {
  test(name, { timeout: 90000 }, async (t) => {
    const { context, page, problems } = await openPage(getBrowser(), server.url)
    if (viewport) await page.setViewportSize(viewport)
    let unlabelled = []
    try {
      await fn(page, context)
      unlabelled = await unlabelledInputs(page)
    } catch (e) {
      t.diagnostic(`page: ${page.url()}; the server's last log lines:`)
      server.logTail().split('\n').forEach((line) => t.diagnostic(line))
      throw e
    } finally {
      await screenshot(page, shot).catch(() => {})
      await context.close()
    }
    assert.deepEqual(problems, [], 'the browser logged errors')
    assert.deepEqual(unlabelled, [], 'inputs without a label')
  })
}

/* Log in through the form (Enter on the password field) and wait for the layout. */
export async function logIn(page, login, password, path = '/') {
  await page.goto(path)
  await page.waitForURL(/\/login/)
  await page.getByLabel('登录名').fill(login)
  const pw = page.getByLabel('密码', { exact: true })
  await pw.fill(password)
  await pw.press('Enter')
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  /* the user menu (its name is hidden on a phone) */
  await page.getByRole('button', { name: '用户菜单' }).waitFor()
}

/* Open the select labelled `label` inside scope and click the option `text`. */
export async function choose(page, scope, label, text) {
  /* the wrapper: its shown value covers the input itself */
  await scope.locator('.el-select__wrapper', { has: page.getByLabel(label, { exact: true }) }).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

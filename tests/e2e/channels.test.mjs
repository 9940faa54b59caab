/*
 * The channel pages (阵地管理) in a real browser against a real server: a
 * school's office clerk registers the school's 微信公众号 with its
 * responsible person and a quarterly inspection, records an inspection
 * with a photo (uploaded as the attachment of the inspection's ledger
 * record), registers a 宣传栏 opened long ago and never inspected and sees
 * it flagged 检查逾期 (and alone under that filter); a member of the unit
 * sees the list without the buttons that change it.  Each test saves a
 * screenshot under build/e2e/ and fails on any browser console error.
 */
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { Server } from './lib/server.mjs'
import { launch } from './lib/browser.mjs'
import { browserTest, choose, logIn } from './lib/flows.mjs'
import { makePng } from './lib/png.mjs'

const PW = {
  clerka: 'Clerk-pass-2025',
  teacher: 'Teach-pass-2025',
}

const server = new Server()
let browser
const ids = {}

before(async () => {
  server.init()
  ids.root = server.addOrg('市教育局党委', { kind: 'committee' })
  ids.school = server.addOrg('第一中学党委', { parent: ids.root, kind: 'committee' })
  const user = (org, login, name, role) => server.addUser({ org, login, name, role, password: PW[login] })
  user(ids.school, 'clerka', '张老师', 'office')
  user(ids.school, 'teacher', '陈老师', 'member')
  await server.start()
  browser = await launch()
})

after(async () => {
  if (browser) await browser.close()
  await server.stop()
})

const bt = (name, shot, fn, opts) => browserTest(server, () => browser, name, shot, fn, opts)

function row(page, name) {
  return page.getByTestId('channel-table').locator('.el-table__row', { hasText: name })
}

bt('阵地：登记公众号及责任人，登记带照片的检查', 'channels-register', async (page) => {
  await logIn(page, 'clerka', PW.clerka)
  await page.getByRole('menuitem', { name: '阵地台账' }).click()
  await page.waitForURL(/\/channels\/list$/)
  await page.getByTestId('channel-table').getByText('暂无阵地').waitFor()

  await page.getByRole('button', { name: '登记阵地' }).click()
  const dialog = page.getByRole('dialog', { name: '登记阵地' })
  await choose(page, dialog, '阵地类型', '微信公众号')
  await dialog.getByLabel('名称').fill('第一中学微信公众号')
  /* Saving without the responsible person is refused before it is sent. */
  await dialog.getByRole('button', { name: '保存' }).click()
  await dialog.getByText('请选择责任人').waitFor()
  await choose(page, dialog, '责任人', '陈老师')
  await choose(page, dialog, '检查频次', '每季度')
  await dialog.getByLabel('备案/登记号').fill('gh_1a2b3c4d5e6f')
  await dialog.getByLabel('网址/地点').fill('微信号 dyzx_official')
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/channels$/.test(r.url()))
  await dialog.getByRole('button', { name: '保存' }).click()
  const res = await created
  assert.equal(res.status(), 201)
  ids.wx = (await res.json()).id
  await page.getByText('阵地已登记').waitFor()
  const wx = row(page, '第一中学微信公众号')
  await wx.getByText('陈老师').waitFor()
  await wx.getByText('每季度').waitFor()
  assert.equal(await wx.getByText('检查逾期').count(), 0, 'a new channel is not overdue')
  assert.equal(await wx.getByText('无责任人').count(), 0, 'its owner is set')

  /* An inspection with a photo, from the channel's drawer. */
  await wx.getByRole('button', { name: '检查记录' }).click()
  const drawer = page.getByTestId('channel-drawer')
  await drawer.getByText('尚无检查记录').waitFor()
  const form = drawer.getByTestId('inspection-form')
  await form.getByLabel('检查人').fill('张老师')
  await form.getByLabel('检查情况').fill('内容导向正确，三审记录齐全，更新及时。')
  await form.getByLabel('选择文件').setInputFiles({ name: '检查截图.png', mimeType: 'image/png', buffer: makePng() })
  await form.getByTestId('pending-file').getByText('检查截图.png').waitFor()
  const upload = page.waitForResponse((r) => r.request().method() === 'POST' && /\/records\/\d+\/attachments$/.test(r.url()))
  await form.getByRole('button', { name: '登记检查' }).click()
  assert.equal((await upload).status(), 201)
  await page.getByText('检查已登记').waitFor()
  const inspections = drawer.getByTestId('inspection-table')
  const first = inspections.locator('.el-table__row', { hasText: '内容导向正确' })
  await first.waitFor()
  await first.getByRole('link', { name: '1' }).waitFor()
  await drawer.getByText('检查记录（1）').waitFor()
  assert.equal(await drawer.getByText('尚未检查').count(), 0, 'the last inspection is shown')

  /* The photo belongs to the inspection's ledger record. */
  await first.getByRole('link', { name: '1' }).click()
  await page.waitForURL(/\/ledger\/records\/\d+$/)
  await page.getByText('阵地检查：第一中学微信公众号').first().waitFor()
  await page.getByTestId('attachment').filter({ hasText: '检查截图.png' }).waitFor()
})

bt('阵地：长期未检查的阵地标记为检查逾期', 'channels-overdue', async (page) => {
  await logIn(page, 'clerka', PW.clerka, '/channels/list')
  await row(page, '第一中学微信公众号').waitFor()
  await page.getByRole('button', { name: '登记阵地' }).click()
  const dialog = page.getByRole('dialog', { name: '登记阵地' })
  await choose(page, dialog, '阵地类型', '宣传栏/文化墙/电子屏')
  await dialog.getByLabel('名称').fill('教学楼宣传栏')
  await choose(page, dialog, '责任人', '张老师')
  await choose(page, dialog, '检查频次', '每月')
  const opened = dialog.getByLabel('开通日期')
  await opened.fill('2024-01-15')
  await opened.press('Enter')
  await dialog.getByLabel('名称').click()
  await dialog.getByRole('button', { name: '保存' }).click()
  await page.getByText('阵地已登记').waitFor()
  const board = row(page, '教学楼宣传栏')
  await board.getByText('检查逾期').waitFor()
  await board.getByText('2024-02-29').waitFor()
  assert.equal(await row(page, '第一中学微信公众号').getByText('检查逾期').count(), 0)

  /* The filter lists only the overdue one. */
  await page.locator('.search-form').getByText('检查逾期', { exact: true }).click()
  await page.getByTestId('channel-table').locator('.el-table__row').first().waitFor()
  await row(page, '第一中学微信公众号').waitFor({ state: 'detached' })
  assert.equal(await page.getByTestId('channel-table').locator('.el-table__row').count(), 1)
  await board.waitFor()
})

bt('阵地：普通成员只能查看；提醒的链接打开该阵地', 'channels-member', async (page) => {
  await logIn(page, 'teacher', PW.teacher, '/channels/list')
  await row(page, '教学楼宣传栏').getByText('检查逾期').waitFor()
  assert.equal(await page.getByRole('button', { name: '登记阵地' }).count(), 0)
  assert.equal(await row(page, '教学楼宣传栏').getByRole('button', { name: '修改' }).count(), 0)
  /* The link a reminder carries opens the channel's drawer. */
  await page.goto(`/channels/list?channel_id=${ids.wx}`)
  const drawer = page.getByTestId('channel-drawer')
  await drawer.getByText('gh_1a2b3c4d5e6f').waitFor()
  await drawer.getByText('检查记录（1）').waitFor()
  assert.equal(await drawer.getByTestId('inspection-form').count(), 0)
})

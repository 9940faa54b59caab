/*
 * 舆情事件处置 in a real browser against a real server: a school's office
 * records a 重大 incident about the school through the 登记事件 dialog,
 * takes it through 研判 and 报送 on its timeline (each stage with its
 * deadline and status); the bureau's office sees it among the 待办事项 of
 * its 工作台, finds it in its 上报收件箱, opens it, and acknowledges it
 * with a comment, after which the 工作台 has nothing left to do, and
 * later passes it on to the 区委宣传部 above (继续上报); the school then sees it
 * acknowledged, with the comment, on the incident's page, and the whole
 * way up (报送经过) once it went further.  The tests run
 * in order against one server; each saves a screenshot of its last page
 * under build/e2e/ and fails on any browser console error.
 */
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { Server } from './lib/server.mjs'
import { launch, unlabelledInputs } from './lib/browser.mjs'
import { browserTest, choose, logIn } from './lib/flows.mjs'

const PW = { school: 'School-pass-2025', bureau: 'Bureau-pass-2025' }
const TITLE = '媒体报道本校食堂问题'
const COMMENT = '已阅，请抓紧核实处置并续报结果'

const server = new Server()
let browser
const ids = {}
const state = {}

before(async () => {
  server.init()
  ids.city = server.addOrg('区委宣传部', { kind: 'committee' })
  ids.bureau = server.addOrg('区教育局党委', { parent: ids.city, kind: 'committee' })
  ids.school = server.addOrg('第三中学党支部', { parent: ids.bureau, kind: 'branch' })
  server.addUser({ org: ids.school, login: 'school', name: '陈主任', role: 'office', password: PW.school })
  server.addUser({ org: ids.bureau, login: 'bureau', name: '林科长', role: 'office', password: PW.bureau })
  await server.start()
  browser = await launch()
})

after(async () => {
  if (browser) await browser.close()
  await server.stop()
})

const bt = (name, shot, fn, opts) => browserTest(server, () => browser, name, shot, fn, opts)

bt('学校办公室登记重大事件，完成研判并报送上级', 'incidents-report', async (page) => {
  await logIn(page, 'school', PW.school)
  await page.getByRole('menuitem', { name: '事件处置' }).click()
  await page.waitForURL(/\/incidents\/list$/)
  await page.getByRole('button', { name: '登记事件' }).click()
  const dialog = page.getByRole('dialog', { name: '登记事件' })
  await dialog.getByLabel('事件标题').fill(TITLE)
  await choose(page, dialog, '事件来源', '媒体报道')
  await dialog.locator('.el-radio-button', { hasText: '重大' }).click()
  await dialog.getByLabel('事件描述').fill('某报刊登涉及本校食堂卫生的报道。')
  assert.deepEqual(await unlabelledInputs(page), [], 'every input of the dialog has a label')
  const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/incidents'))
  await dialog.getByRole('button', { name: '登记' }).click()
  const sent = JSON.parse((await posted).postData())
  assert.equal(sent.severity, 'major')
  assert.equal(sent.source, 'media')
  assert.match(sent.found_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  await page.getByText('事件已登记').waitFor()
  await page.waitForURL(/\/incidents\/\d+$/)
  state.path = new URL(page.url()).pathname
  await page.getByRole('heading', { name: TITLE }).waitFor()
  const timeline = page.getByTestId('incident-timeline')
  await timeline.getByText('发现后 60 分钟内').waitFor()
  await timeline.getByText('发现后 120 分钟内').waitFor()
  await timeline.getByText('发现后 1440 分钟内').waitFor()
  assert.equal(await page.getByTestId('incident-status').textContent(), '正常')

  /* 研判, with a note. */
  await page.getByRole('button', { name: '办理：研判' }).click()
  let step = page.getByRole('dialog', { name: '办理：研判' })
  await step.getByLabel('办理说明').fill('经研判，报道属实部分需整改，需向教育局报告。')
  await step.getByRole('button', { name: '确定' }).click()
  await page.getByText('已完成研判').waitFor()
  await timeline.getByText('经研判，报道属实部分需整改').waitFor()
  await timeline.getByText(/陈主任，用时 \d+ 分钟/).waitFor()

  /* 报送: the incident goes to the bureau's inbox. */
  await page.getByRole('button', { name: '办理：报送' }).click()
  step = page.getByRole('dialog', { name: '办理：报送' })
  await step.getByText('报送后，事件将送达上级单位的上报收件箱').waitFor()
  await step.getByLabel('办理说明').fill('已电话和书面报告区教育局。')
  await step.getByRole('button', { name: '确定' }).click()
  await page.getByText('已报送上级单位').waitFor()
  await page.getByTestId('inbox-state').getByText('待签收').waitFor()
  await page.getByRole('button', { name: '办理：处置' }).waitFor()

  /* The list shows it with its status tag. */
  await page.getByRole('button', { name: '返回' }).click()
  const table = page.getByTestId('incident-table')
  await table.getByRole('link', { name: TITLE }).waitFor()
  await table.getByText('已报送').waitFor()
  await table.getByTestId('incident-status').getByText('正常').waitFor()
})

bt('教育局办公室在上报收件箱中查看并签收', 'incidents-inbox', async (page) => {
  assert.ok(state.path, 'the first test recorded an incident')
  await logIn(page, 'bureau', PW.bureau)
  /* 工作台 lists it among the things to do, with a link to the inbox. */
  const todo = page.getByTestId('dashboard-todo').locator('[data-group="inbox"]')
  await todo.getByText('待签收的上报').waitFor()
  await todo.getByText('舆情事件').waitFor()
  assert.equal(await todo.getByRole('link', { name: TITLE }).getAttribute('href'), '/incidents/inbox')
  await page.getByRole('menuitem', { name: '上报收件箱' }).click()
  await page.waitForURL(/\/incidents\/inbox$/)
  const table = page.getByTestId('inbox-table')
  const row = table.locator('.el-table__row', { hasText: TITLE })
  await row.waitFor()
  await row.getByText('第三中学党支部').waitFor()
  await row.getByTestId('inbox-state').getByText('待签收').waitFor()

  /* The bureau reads the incident it was sent, without acting on it. */
  await row.getByRole('link', { name: TITLE }).click()
  await page.waitForURL(/\/incidents\/\d+$/)
  assert.equal(new URL(page.url()).pathname, state.path)
  await page.getByTestId('incident-timeline').getByText('经研判，报道属实部分需整改').waitFor()
  assert.equal(await page.getByRole('button', { name: '办理：处置' }).count(), 0)
  await page.goBack()

  await row.getByRole('button', { name: '签收' }).click()
  const dialog = page.getByRole('dialog', { name: '签收' })
  await dialog.getByLabel('签收意见').fill(COMMENT)
  await dialog.getByRole('button', { name: '签收' }).click()
  await page.getByText('已签收', { exact: true }).first().waitFor()
  await row.getByTestId('inbox-state').getByText('已签收').waitFor()
  await row.getByText(`意见：${COMMENT}`).waitFor()
  assert.equal(await row.getByRole('button', { name: '签收' }).count(), 0)
  /* Acknowledged, it is no longer a thing to do. */
  await page.getByRole('menuitem', { name: '工作台' }).click()
  await page.getByTestId('dashboard-todo').getByText('暂无待办事项').waitFor()
})

bt('学校看到事件已被上级签收及签收意见', 'incidents-acked', async (page) => {
  await logIn(page, 'school', PW.school, state.path)
  await page.getByRole('heading', { name: TITLE }).waitFor()
  await page.getByTestId('inbox-state').getByText('已签收').waitFor()
  const ack = page.getByTestId('inbox-ack')
  await ack.getByText('区教育局党委已签收（林科长').waitFor()
  await ack.getByText(`签收意见：${COMMENT}`).waitFor()
})

bt('处置统计：学校看到本年事件数和各环节用时', 'incidents-stats', async (page) => {
  await logIn(page, 'school', PW.school)
  await page.getByRole('menuitem', { name: '处置统计' }).click()
  await page.waitForURL(/\/incidents\/stats$/)
  const table = page.getByTestId('stats-table')
  const major = table.locator('.el-table__row', { hasText: '重大' })
  await major.waitFor()
  /* One 重大 incident, assessed and reported, not yet handled. */
  assert.equal((await major.locator('td').nth(1).textContent()).trim(), '1')
  assert.match(await major.locator('td').nth(2).textContent(), /^1 件；平均 [\d.]+，中位 [\d.]+，最长 [\d.]+$/)
  assert.match(await major.locator('td').nth(3).textContent(), /^1 件；/)
  assert.equal((await major.locator('td').nth(4).textContent()).trim(), '—')
  await page.locator('canvas').first().waitFor()
})

bt('处置时限：学校办公室把重大事件的研判时限改为 30 分钟', 'incidents-limits', async (page) => {
  await logIn(page, 'school', PW.school)
  await page.getByRole('menuitem', { name: '处置时限' }).click()
  await page.waitForURL(/\/incidents\/limits$/)
  const input = page.getByLabel('重大事件研判时限（分钟）')
  assert.equal(await input.inputValue(), '60')
  await input.fill('30')
  await input.press('Tab')
  const put = page.waitForRequest((r) => r.method() === 'PUT')
  await page.getByRole('button', { name: '保存' }).click()
  assert.equal(JSON.parse((await put).postData()).limits.major.assess, 30)
  await page.getByText('处置时限已保存').waitFor()
  const limits = await (await page.request.get(`/api/v1/incident-limits?org_id=${ids.school}`)).json()
  assert.equal(limits.limits.major.assess, 30)
  assert.equal(limits.custom.major.assess, true)
})

bt('教育局继续上报区委宣传部，学校看到报送经过', 'incidents-trail', async (page, context) => {
  await logIn(page, 'bureau', PW.bureau, '/incidents/inbox')
  const row = page.getByTestId('inbox-table').locator('.el-table__row', { hasText: TITLE })
  await row.getByRole('button', { name: '继续上报' }).click()
  const dialog = page.getByRole('dialog', { name: '继续上报' })
  await dialog.getByLabel('上报说明').fill('涉及食品安全，报请区委宣传部掌握')
  await dialog.getByRole('button', { name: '上报' }).click()
  await page.getByText('已继续上报', { exact: true }).first().waitFor()
  await row.getByTestId('inbox-state').getByText('已继续上报').waitFor()
  /* The school, in the same browser once the bureau's session is gone. */
  await context.clearCookies()

  await logIn(page, 'school', PW.school, state.path)
  await page.getByRole('heading', { name: TITLE }).waitFor()
  /* The latest step is the 区委宣传部's, not yet acknowledged. */
  await page.getByTestId('inbox-state').getByText('待签收').waitFor()
  const trail = page.getByTestId('inbox-trail').locator('li')
  assert.equal(await trail.count(), 2)
  await trail.nth(0).getByText('第三中学党支部 → 区教育局党委').waitFor()
  await trail.nth(0).getByText('已继续上报').waitFor()
  await trail.nth(0).getByText(`签收意见：${COMMENT}`).waitFor()
  await trail.nth(1).getByText('区教育局党委 → 区委宣传部').waitFor()
  await trail.nth(1).getByText('待签收').waitFor()
  await trail.nth(1).getByText('报送说明：涉及食品安全，报请区委宣传部掌握').waitFor()
})

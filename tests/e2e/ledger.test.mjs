/*
 * The ledger pages in a real browser against a real server: a school's
 * office clerk sets an obligation, adds a ledger record through the form
 * (with a field error from the server on the way) and sees the count on
 * the 工作台 rise; the form on a phone-width screen; a sibling school's
 * clerk refused the record's page; the bureau's secretary seeing the
 * heatmap and rollup of the schools and clicking through to one; a record
 * with a photo (its thumbnail on the record's page, the count rising);
 * and the list exported as .xlsx.  The
 * tests run in order against one server; each saves a screenshot of its
 * last page under build/e2e/ and fails on any browser console error.
 */
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { Server } from './lib/server.mjs'
import { launch, screenshot, unlabelledInputs } from './lib/browser.mjs'
import { browserTest, choose, logIn } from './lib/flows.mjs'
import { makePng } from './lib/png.mjs'

const PW = {
  clerka: 'Clerk-pass-2025',
  clerkb: 'Clerk-pass-2026',
  boss: 'Boss-pass-2025',
  admin: 'Admin-pass-2025',
}

const server = new Server()
let browser
const ids = {}
const state = {}

before(async () => {
  server.init()
  ids.root = server.addOrg('市教育局党委', { kind: 'committee' })
  ids.schoolA = server.addOrg('第一中学党支部', { parent: ids.root, kind: 'branch' })
  ids.schoolB = server.addOrg('第二中学党支部', { parent: ids.root, kind: 'branch' })
  const user = (org, login, name, role, extra = {}) =>
    server.addUser({ org, login, name, role, password: PW[login], ...extra })
  user(ids.root, 'boss', '刘书记', 'secretary', { scope: 'subtree' })
  user(ids.schoolA, 'clerka', '张老师', 'office')
  user(ids.schoolB, 'clerkb', '李老师', 'office')
  user(ids.root, 'admin', '王管理员', 'sysadmin', { scope: 'subtree' })
  await server.start()
  browser = await launch()
})

after(async () => {
  if (browser) await browser.close()
  await server.stop()
})

const bt = (name, shot, fn, opts) => browserTest(server, () => browser, name, shot, fn, opts)

/* The 完成 / 要求 cell of the dashboard row of a kind. */
function dashboardCount(page, kindName) {
  return page.getByTestId('dashboard-obligations').locator('.el-table__row', { hasText: kindName }).locator('.dash-done')
}

bt('台账：新增记录后工作台的完成数增加', 'ledger-add', async (page) => {
  await logIn(page, 'clerka', PW.clerka)
  await page.waitForURL(/\/home$/)
  await page.getByTestId('dashboard-org').getByText('第一中学党支部').waitFor()

  /* The obligation: 意识形态工作专题会议, at least 2 a year. */
  await page.getByRole('menuitem', { name: '任务指标' }).click()
  await page.waitForURL(/\/assess\/obligations$/)
  await page.getByRole('button', { name: '新增指标' }).click()
  const obDialog = page.getByRole('dialog', { name: '新增指标' })
  await choose(page, obDialog, '记录类型', '意识形态工作专题会议')
  await choose(page, obDialog, '周期', '每年')
  await obDialog.getByLabel('至少次数').fill('2')
  assert.deepEqual(await unlabelledInputs(page), [], 'every input of the dialog has a label')
  await obDialog.getByRole('button', { name: '确定' }).click()
  await page.getByText('指标已新增').waitFor()
  await page.getByTestId('obligation-table').getByText('每年至少 2 次').waitFor()

  await page.getByRole('menuitem', { name: '工作台' }).click()
  await page.waitForURL(/\/home$/)
  await dashboardCount(page, '意识形态工作专题会议').getByText('0 / 2').waitFor()

  /* The record, through the form. */
  await page.getByRole('menuitem', { name: '台账记录' }).click()
  await page.waitForURL(/\/ledger\/records$/)
  await page.getByRole('button', { name: '新增记录' }).click()
  const dialog = page.getByRole('dialog', { name: '新增台账记录' })
  await choose(page, dialog, '记录类型', '意识形态工作专题会议')
  await dialog.getByLabel('标题').fill('第一季度意识形态工作专题会议')
  await dialog.getByLabel('地点').fill('学校会议室')
  await dialog.getByLabel('主持人').fill('王校长')
  const who = dialog.getByLabel('参加人员')
  await who.click()
  await who.fill('陈老师')
  await who.press('Enter')
  await page.locator('.el-select-dropdown__item:visible', { hasText: '张老师' }).click()
  await dialog.getByLabel('地点').click()
  await dialog.locator('.el-select__selected-item', { hasText: '陈老师' }).waitFor()
  await dialog.getByLabel('应到人数').fill('5')
  await dialog.getByLabel('实到人数').fill('9')
  await dialog.getByRole('button', { name: '添加缺席人员' }).click()
  await dialog.getByLabel('第 1 位缺席人员的姓名').fill('赵老师')
  await dialog.getByLabel('第 1 位缺席人员的原因').fill('外出培训')
  await dialog.getByLabel('会议记录').fill('传达上级精神，研究本季度意识形态工作。')
  assert.deepEqual(await unlabelledInputs(page), [], 'every input of the form has a label')
  await dialog.getByRole('button', { name: '保存' }).click()
  /* The server's rule, under the field it names; nothing was saved. */
  await dialog.locator('.el-form-item.is-error').getByText('实到人数不能多于应到人数').waitFor()
  await dialog.getByLabel('应到人数').fill('10')
  await dialog.getByLabel('实到人数').fill('9')
  await dialog.getByRole('button', { name: '保存' }).click()
  await page.getByText('记录已新增').waitFor()
  const link = page.getByTestId('record-table').getByRole('link', { name: '第一季度意识形态工作专题会议' })
  await link.waitFor()
  assert.equal(await page.getByTestId('record-table').locator('.el-table__row').count(), 1, 'one record, not two')
  state.recordPath = await link.getAttribute('href')
  assert.match(state.recordPath, /^\/ledger\/records\/\d+$/)

  /* Its page shows what was typed. */
  await link.click()
  await page.waitForURL(/\/ledger\/records\/\d+$/)
  await page.getByText('陈老师、张老师').waitFor()
  await page.getByText('赵老师（外出培训）').waitFor()

  await page.getByRole('menuitem', { name: '工作台' }).click()
  await page.waitForURL(/\/home$/)
  await dashboardCount(page, '意识形态工作专题会议').getByText('1 / 2').waitFor()
  await page.getByTestId('dashboard-records').getByText('第一季度意识形态工作专题会议').waitFor()
})

bt(
  '手机宽度：打开并提交台账表单',
  'ledger-phone',
  async (page) => {
    await logIn(page, 'clerka', PW.clerka, '/ledger/records')
    await page.waitForURL(/\/ledger\/records$/)
    await page.getByRole('button', { name: '新增记录' }).click()
    const dialog = page.getByRole('dialog', { name: '新增台账记录' })
    await dialog.waitFor()
    assert.ok(
      await dialog.evaluate((el) => el.matches('.is-fullscreen') || !!el.querySelector('.el-dialog.is-fullscreen')),
      'the form fills the screen',
    )
    assert.equal(await dialog.locator('.el-form--label-top').count(), 1, 'labels above the fields')
    const width = await dialog.evaluate((el) => el.scrollWidth)
    assert.ok(width <= 375, `the form fits the screen (${width}px)`)
    const camera = dialog.locator('input[type=file][capture=environment]')
    assert.equal(await camera.count(), 1, 'a camera input')
    assert.equal(await camera.getAttribute('accept'), 'image/*')
    assert.match(await dialog.getByLabel('选择文件').getAttribute('accept'), /\.pdf/)
    await choose(page, dialog, '记录类型', '谈心谈话')
    await dialog.getByLabel('标题').fill('与新入职教师谈心谈话')
    await screenshot(page, 'ledger-phone-form')
    await dialog.getByRole('button', { name: '保存' }).click()
    await page.getByText('记录已新增').waitFor()
    await page.getByTestId('record-table').getByRole('link', { name: '与新入职教师谈心谈话' }).waitFor()
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(pageWidth <= 375, `the list fits the screen (${pageWidth}px)`)
  },
  { viewport: { width: 375, height: 740 } },
)

bt('兄弟学校的办公室看不到本校台账', 'ledger-sibling', async (page) => {
  assert.ok(state.recordPath, 'the first test saved a record')
  await logIn(page, 'clerkb', PW.clerkb, '/ledger/records')
  await page.waitForURL(/\/ledger\/records$/)
  await page.getByTestId('record-table').getByText('暂无台账记录').waitFor()
  await page.goto(state.recordPath)
  await page.getByTestId('refusal').getByText('记录不存在或不在您的权限范围内').waitFor()
  assert.equal(await page.getByText('第一季度意识形态工作专题会议').count(), 0)
  assert.equal(await page.getByText('陈老师').count(), 0)
})

bt('上级：热力图和汇总表，点击切换到下级单位', 'ledger-rollup', async (page) => {
  await logIn(page, 'boss', PW.boss)
  await page.waitForURL(/\/home$/)
  await page.getByTestId('dashboard-org').getByText('市教育局党委').waitFor()

  /* The rollup table: the school's obligation with its count. */
  await page.getByRole('menuitem', { name: '完成情况' }).click()
  await page.getByRole('tab', { name: '下级单位汇总' }).click()
  const row = page.getByTestId('rollup-table').locator('.el-table__row', { hasText: '第一中学党支部' })
  await row.getByText('意识形态工作专题会议').waitFor()
  await row.getByText('1 / 2').waitFor()
  assert.equal(await page.getByTestId('rollup-table').getByText('第二中学党支部').count(), 0)

  /* The heatmap: one school x one obligation, so its one cell fills the grid. */
  await page.getByRole('menuitem', { name: '工作台' }).click()
  const heat = page.getByTestId('unit-heatmap')
  const canvas = heat.locator('canvas')
  await canvas.waitFor()
  await heat.getByRole('img', { name: '各单位任务指标完成情况热力图' }).waitFor()
  await page.waitForTimeout(500)
  const box = await canvas.boundingBox()
  assert.ok(box.width > 300 && box.height >= 200, 'the heatmap is drawn')
  await screenshot(page, 'ledger-heatmap')
  await canvas.click({ position: { x: box.width * 0.7, y: 16 + (box.height - 16 - 64) / 2 } })
  await page.getByText('已切换到：第一中学党支部').waitFor()
  await page.getByTestId('dashboard-org').getByText('第一中学党支部').waitFor()
  await dashboardCount(page, '意识形态工作专题会议').getByText('1 / 2').waitFor()
})

bt('办公室删除记录、从“已删除的记录”中恢复、再修改', 'ledger-restore', async (page) => {
  await logIn(page, 'clerka', PW.clerka, '/ledger/records')
  await page.waitForURL(/\/ledger\/records$/)
  const table = page.getByTestId('record-table')
  const row = table.locator('.el-table__row', { hasText: '与新入职教师谈心谈话' })
  await row.getByRole('button', { name: '删除' }).click()
  await page.getByRole('dialog', { name: '删除记录' }).getByRole('button', { name: '删除' }).click()
  await page.getByText('记录已删除').waitFor()
  await row.waitFor({ state: 'detached' })

  await page.locator('.el-checkbox', { hasText: '已删除的记录' }).click()
  await row.getByRole('button', { name: '恢复' }).click()
  await page.getByText('记录已恢复').waitFor()
  await row.waitFor({ state: 'detached' })
  await page.locator('.el-checkbox', { hasText: '已删除的记录' }).click()
  await table.getByText('第一季度意识形态工作专题会议').waitFor()

  /* Changing it: the form opens with what was saved. */
  await row.getByRole('button', { name: '修改' }).click()
  const dialog = page.getByRole('dialog', { name: '修改台账记录' })
  const title = dialog.getByLabel('标题')
  assert.equal(await title.inputValue(), '与新入职教师谈心谈话')
  await title.fill('与新入职教师谈心谈话（二）')
  const patch = page.waitForRequest((r) => r.method() === 'PATCH')
  await dialog.getByRole('button', { name: '保存' }).click()
  /* Only what changed is sent. */
  assert.deepEqual(JSON.parse((await patch).postData()), { title: '与新入职教师谈心谈话（二）' })
  await page.getByText('记录已保存').waitFor()
  await table.getByRole('link', { name: '与新入职教师谈心谈话（二）' }).click()
  await page.waitForURL(/\/ledger\/records\/\d+$/)
  await page.getByText('（第 4 版）').waitFor()
})

bt('上级书记为本单位采用指标模板，完成情况按周期列出', 'ledger-adopt', async (page) => {
  await logIn(page, 'boss', PW.boss, '/assess/obligations')
  await page.waitForURL(/\/assess\/obligations$/)
  await page.getByTestId('obligation-table').getByText('本年度尚无任务指标').waitFor()
  await page.getByRole('button', { name: '采用模板' }).click()
  const dialog = page.getByRole('dialog', { name: '采用指标模板' })
  await dialog.getByText('理论学习中心组学习').waitFor()
  await dialog.getByRole('button', { name: '采用' }).click()
  await page.getByText(/已采用模板：新增 4 项指标/).waitFor()
  const table = page.getByTestId('obligation-table')
  await table.getByText('每年至少 12 次').waitFor()
  assert.equal(await table.locator('.el-table__row').count(), 4)

  /* Adopting again adds nothing. */
  await page.getByRole('button', { name: '采用模板' }).click()
  await dialog.getByRole('button', { name: '采用' }).click()
  await page.getByText(/新增 0 项指标，4 项已有而跳过/).waitFor()

  await page.getByRole('menuitem', { name: '完成情况' }).click()
  const rows = page.getByTestId('compliance-table').locator('.el-table__row')
  await rows.first().waitFor()
  /* 2 yearly, 4 quarters, 2 halves */
  assert.equal(await rows.count(), 8)
  await page.getByTestId('compliance-table').getByText(/第4季度/).first().waitFor()
})

bt('键盘：用键盘打开表单、选类型、填写并保存', 'ledger-keyboard', async (page) => {
  await logIn(page, 'clerka', PW.clerka, '/ledger/records')
  await page.waitForURL(/\/ledger\/records$/)
  await page.getByRole('button', { name: '新增记录' }).focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: '新增台账记录' })
  await dialog.waitFor()
  /* The kind: open the list with the arrow key, take the first kind. */
  await dialog.getByLabel('记录类型', { exact: true }).focus()
  await page.keyboard.press('ArrowDown')
  await page.locator('.el-select-dropdown:visible').waitFor()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await dialog.getByLabel('标题').focus()
  await page.keyboard.type('键盘录入的支部学习')
  await dialog.getByRole('button', { name: '保存' }).focus()
  await page.keyboard.press('Enter')
  await page.getByText('记录已新增').waitFor()
  await page.getByTestId('record-table').getByRole('link', { name: '键盘录入的支部学习' }).waitFor()
})

bt('上级：台账含下级单位，数据字典', 'ledger-subtree', async (page) => {
  await logIn(page, 'boss', PW.boss, '/ledger/records')
  await page.waitForURL(/\/ledger\/records$/)
  const table = page.getByTestId('record-table')
  await table.getByText('暂无台账记录').waitFor()
  await page.locator('.el-checkbox', { hasText: '含下级单位' }).click()
  const row = table.locator('.el-table__row', { hasText: '第一季度意识形态工作专题会议' })
  await row.getByText('第一中学党支部').waitFor()
  /* The text filter narrows the list. */
  await page.getByLabel('关键词').fill('谈心')
  await page.getByRole('button', { name: '搜索' }).click()
  await row.waitFor({ state: 'detached' })
  await table.getByText('与新入职教师谈心谈话（二）').waitFor()

  await page.getByRole('menuitem', { name: '数据字典' }).click()
  const kinds = page.getByTestId('kind-table')
  await kinds.locator('.el-table__row', { hasText: '理论学习中心组学习' }).getByText('内置').waitFor()
  assert.ok((await kinds.locator('.el-table__row').count()) >= 15, 'the built-in kinds are listed')
})

bt('数据字典：系统管理员新增、改名和停用记录类型', 'ledger-kinds-edit', async (page) => {
  await logIn(page, 'admin', PW.admin, '/ledger/kinds')
  const kinds = page.getByTestId('kind-table')
  await kinds.locator('.el-table__row', { hasText: '理论学习中心组学习' }).waitFor()

  /* A malformed code: the server's message under the field, nothing added. */
  await page.getByTestId('kind-add').click()
  const dialog = page.getByRole('dialog', { name: '新增记录类型' })
  await dialog.getByLabel('代码').fill('Safety')
  await dialog.getByLabel('名称').fill('安全检查')
  assert.deepEqual(await unlabelledInputs(page), [], 'every input of the dialog has a label')
  await dialog.getByRole('button', { name: '保存' }).click()
  await dialog.getByText('代码应以小写字母开头').waitFor()
  await dialog.getByLabel('代码').fill('safety_check')
  await dialog.getByRole('button', { name: '保存' }).click()
  await page.getByText('已保存').first().waitFor()
  const row = kinds.locator('.el-table__row', { hasText: 'safety_check' })
  await row.getByText('自定义').waitFor()

  /* Rename, then retire. */
  await row.getByRole('button', { name: '编辑' }).click()
  const edit = page.getByRole('dialog', { name: '编辑记录类型' })
  await edit.getByLabel('名称').fill('校园安全检查')
  await edit.getByRole('button', { name: '保存' }).click()
  await row.getByText('校园安全检查').waitFor()
  await row.getByRole('button', { name: '停用' }).click()
  await row.getByText('已停用').waitFor()
  await row.getByRole('button', { name: '启用' }).waitFor()
})

bt('台账：带照片的记录，记录页显示缩略图，工作台完成数增加', 'ledger-photo', async (page) => {
  await logIn(page, 'clerka', PW.clerka)
  await page.waitForURL(/\/home$/)
  const count = dashboardCount(page, '意识形态工作专题会议')
  await count.waitFor()
  const [done, target] = (await count.textContent()).split('/').map((x) => Number(x.trim()))

  await page.getByRole('menuitem', { name: '台账记录' }).click()
  await page.getByRole('button', { name: '新增记录' }).click()
  const dialog = page.getByRole('dialog', { name: '新增台账记录' })
  await choose(page, dialog, '记录类型', '意识形态工作专题会议')
  await dialog.getByLabel('标题').fill('第二季度意识形态工作专题会议')
  await dialog.getByLabel('选择文件').setInputFiles({ name: '会议现场.png', mimeType: 'image/png', buffer: makePng() })
  const pending = dialog.getByTestId('pending-file')
  await pending.getByText('会议现场.png').waitFor()
  /* the browser's own preview of the chosen photo */
  assert.match(await pending.locator('img').getAttribute('src'), /^blob:/)
  const upload = page.waitForResponse((r) => r.request().method() === 'POST' && /\/attachments$/.test(r.url()))
  await dialog.getByRole('button', { name: '保存' }).click()
  assert.equal((await upload).status(), 201)
  await page.getByText('记录已新增').waitFor()

  await page.getByTestId('record-table').getByRole('link', { name: '第二季度意识形态工作专题会议' }).click()
  await page.waitForURL(/\/ledger\/records\/\d+$/)
  const shown = page.getByTestId('attachment').filter({ hasText: '会议现场.png' })
  const thumb = shown.getByRole('img', { name: '会议现场.png' })
  await thumb.waitFor()
  assert.match(await thumb.getAttribute('src'), /^\/api\/v1\/attachments\/\d+\/thumbnail$/)
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumb.elementHandle())

  await page.getByRole('menuitem', { name: '工作台' }).click()
  await page.waitForURL(/\/home$/)
  await count.getByText(`${done + 1} / ${target}`).waitFor()
})

bt('台账和完成情况：导出 Excel', 'ledger-export', async (page) => {
  await logIn(page, 'clerka', PW.clerka, '/ledger/records')
  await page.getByTestId('record-table').getByRole('link', { name: '第二季度意识形态工作专题会议' }).waitFor()
  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: '导出 Excel' }).click()
  const file = await download
  assert.match(file.suggestedFilename(), /\.xlsx$/)
  const data = fs.readFileSync(await file.path())
  assert.equal(data.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip')
  assert.ok(data.length > 2000, `a real workbook (${data.length} bytes)`)
  assert.ok(data.includes(Buffer.from('xl/worksheets/')), 'with a worksheet')

  /* 完成情况 of the unit, the same way. */
  await page.getByRole('menuitem', { name: '完成情况' }).click()
  await page.getByTestId('compliance-table').getByText('意识形态工作专题会议').first().waitFor()
  const sheet = page.waitForEvent('download')
  await page.getByRole('link', { name: '导出 Excel' }).filter({ visible: true }).click()
  const own = fs.readFileSync(await (await sheet).path())
  assert.equal(own.subarray(0, 2).toString('latin1'), 'PK')
  assert.ok(own.length > 2000, `a real workbook (${own.length} bytes)`)
})

/*
 * The 工作要点 pages in a real browser against a real server: a county
 * bureau's office clerk imports the first seed plan text through the
 * wizard (upload, the highlighted preview, confirm) and finds its sections
 * on the plan's page and its obligations on 任务指标; edits an item (a
 * role as lead owner, a due date that has passed: shown overdue in red)
 * and adds a progress note; issues the plan down to the school below; and
 * sees the notice bell count a reminder made by `zerenzhi remind`, opens
 * the notice's plan from the bell and marks everything read.  The tests
 * run in order against one server; each saves a screenshot of its last
 * page under build/e2e/ and fails on any browser console error.
 */
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { Server } from './lib/server.mjs'
import { launch, screenshot, unlabelledInputs } from './lib/browser.mjs'
import { browserTest, choose, logIn } from './lib/flows.mjs'

/* The seed texts: ../shared next to the repository, else the workplace's. */
const NEAR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../shared/fixtures/plans')
const FIXTURES = process.env.ZRZ_FIXTURES || (fs.existsSync(NEAR) ? NEAR : '/work/shared/fixtures/plans')
const PLAN_FILE = path.join(FIXTURES, 'article1-plan.txt')
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'))
const first = expected.documents['article1-plan.txt']
/* The plan is imported into this year (the pages offer the years around
 * it); what the test checks does not depend on the year. */
const YEAR = new Date().getFullYear()

const PW = { office: 'Office-pass-2025', school: 'School-pass-2025', auditor: 'Audit-pass-2025' }

const server = new Server()
let browser
const ids = {}
const state = {}

before(async () => {
  server.init()
  ids.root = server.addOrg('县教育局党委', { kind: 'committee' })
  ids.school = server.addOrg('实验小学党支部', { parent: ids.root, kind: 'branch' })
  server.addUser({ org: ids.root, login: 'office', name: '周主任', role: 'office', scope: 'subtree', password: PW.office })
  server.addUser({ org: ids.school, login: 'school', name: '吴老师', role: 'office', password: PW.school })
  server.addUser({ org: ids.root, login: 'auditor', name: '郑审计', role: 'auditor', scope: 'subtree', password: PW.auditor })
  await server.start()
  browser = await launch()
})

after(async () => {
  if (browser) await browser.close()
  await server.stop()
})

const bt = (name, shot, fn, opts) => browserTest(server, () => browser, name, shot, fn, opts)

bt('导入向导：上传第一份工作要点，核对高亮的提取结果并确认导入', 'plans-import', async (page) => {
  await logIn(page, 'office', PW.office)
  await page.getByRole('menuitem', { name: '导入工作要点' }).click()
  await page.waitForURL(/\/plans\/import$/)
  await choose(page, page.locator('.page-card').nth(1), '年度', `${YEAR} 年`)
  await page.getByTestId('plan-file').setInputFiles(PLAN_FILE)
  await page.getByText('已读取：article1-plan.txt').waitFor()
  const text = fs.readFileSync(PLAN_FILE, 'utf8')
  assert.equal(await page.getByLabel('工作要点全文').inputValue(), text)
  await page.getByRole('button', { name: '分析文本' }).click()

  /* Step 2: every confirmed obligation is highlighted on its own words. */
  const source = page.getByTestId('import-source')
  await source.waitFor()
  const marks = source.locator('mark.hl.confirmed')
  assert.equal(await marks.count(), first.obligations.length)
  const quotes = await marks.allTextContents()
  for (const ob of first.obligations) {
    assert.ok(quotes.some((q) => q.includes(ob.quote) || ob.quote.includes(q)), `"${ob.quote}" is highlighted (${quotes})`)
  }
  /* The highlighted text is the text as uploaded, nothing lost or moved. */
  assert.equal((await source.textContent()).length, text.length)
  assert.ok((await source.locator('mark.hl.activity').count()) >= first.dated_activities.length)
  await source.locator('mark.hl.committee').first().waitFor()
  /* Clicking the second obligation's words selects its row. */
  await marks.nth(1).click()
  const rows = page.getByTestId('import-obligations').locator('.el-table__row')
  assert.equal(await rows.count(), first.obligations.length)
  await page.getByTestId('import-obligations').locator('.el-table__row.picked-row').waitFor()
  assert.equal(await rows.nth(1).evaluate((el) => el.classList.contains('picked-row')), true)
  /* The leading group and the dated activities are editable: a second
   * office deputy director, and the second activity left out. */
  const committee = page.getByTestId('import-committee')
  assert.equal(await committee.getByLabel('组长', { exact: true }).inputValue(), first.committee.leader.join('、'))
  const deputy = committee.getByLabel('办公室副主任', { exact: true })
  await deputy.fill(`${await deputy.inputValue()}、王新`)
  const dropped = first.dated_activities[1]
  await page.getByLabel('保留第 2 项活动').uncheck()
  for (const t of first.top_sections) await page.getByTestId('import-outline').getByText(t).first().waitFor()
  assert.deepEqual(await unlabelledInputs(page), [], 'every input of the preview has a label')
  await screenshot(page, 'plans-import-preview')

  await page.getByRole('button', { name: '下一步' }).click()
  const summary = page.getByTestId('import-summary')
  await summary.getByText('每年至少 12 次').waitFor()
  await summary.getByRole('button', { name: '确认导入' }).click()
  await page.getByText('已导入工作要点').waitFor()
  await page.waitForURL(/\/plans\/\d+$/)
  state.planPath = new URL(page.url()).pathname
  /* What was saved: the activities kept as items due on their dates, the
   * edited leading group. */
  const plan = await (await page.request.get(`/api/v1${state.planPath}`)).json()
  const dues = []
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') {
      if (typeof v.due === 'string') dues.push(v.due)
      Object.values(v).forEach(walk)
    }
  }
  walk(plan)
  assert.ok(dues.includes(`${YEAR}-05-01`), 'the kept activities are items due on their dates')
  const droppedDate = `${YEAR}-${dropped.date.slice(5)}`
  assert.equal(dues.filter((d) => d === droppedDate).length, 0, `no item for ${dropped.name}`)
  const groups = await (await page.request.get(`/api/v1/committees?org_id=${ids.root}`)).json()
  const group = groups.items.find((g) => g.name === first.committee.name)
  assert.ok(group, 'the leading group was saved')
  const detail = await (await page.request.get(`/api/v1/committees/${group.id}`)).json()
  assert.ok(JSON.stringify(detail).includes('王新'), 'with the added office deputy director')
  const sections = page.getByTestId('plan-section')
  await sections.first().waitFor()
  assert.equal(await sections.count(), first.top_sections.length)
  for (const t of first.top_sections) await sections.getByRole('heading', { name: t }).waitFor()

  /* The obligations are the unit's for the year. */
  await page.getByRole('menuitem', { name: '任务指标' }).click()
  await page.waitForURL(/\/assess\/obligations$/)
  await choose(page, page.locator('.search-form'), '年度', `${YEAR} 年`)
  const table = page.getByTestId('obligation-table')
  await table.getByText('每年至少 2 次').waitFor()
  await table.getByText('每年至少 12 次').waitFor()
  assert.equal(await table.locator('.el-table__row').count(), first.obligations.length)

  /* The plan is in the list of its year. */
  await page.getByRole('menuitem', { name: '工作计划' }).click()
  await choose(page, page.locator('.search-form'), '年度', `${YEAR} 年`)
  await page.getByTestId('plan-table').getByRole('link', { name: `${YEAR}年工作要点` }).waitFor()
})

bt('计划详情：编辑事项（牵头角色、已过的截止日期显示逾期）并添加进展', 'plans-item', async (page) => {
  assert.ok(state.planPath, 'the import test made a plan')
  await logIn(page, 'office', PW.office, state.planPath)
  await page.waitForURL(/\/plans\/\d+$/)
  const item = page.getByTestId('plan-item').first()
  await item.getByRole('button', { name: '编辑' }).click()
  const dialog = page.getByRole('dialog', { name: '编辑事项' })
  await choose(page, dialog, '牵头责任', '角色：')
  assert.deepEqual(await unlabelledInputs(page), [], 'every input of the dialog has a label')
  await dialog.locator('.el-radio', { hasText: '指定日期' }).click()
  const due = dialog.getByLabel('截止日期')
  await due.fill(`${YEAR}-03-31`)
  await due.press('Enter')
  const patch = page.waitForRequest((r) => r.method() === 'PATCH')
  await dialog.getByRole('button', { name: '保存' }).click()
  const sent = JSON.parse((await patch).postData())
  assert.equal(sent.due, `${YEAR}-03-31`)
  assert.ok(sent.lead && sent.lead.role, 'a role as the lead owner')
  assert.equal(sent.text, undefined, 'only what changed is sent')
  await page.getByText('事项已保存').waitFor()
  const overdue = item.locator('.el-tag.overdue', { hasText: '已逾期' })
  await overdue.waitFor()
  assert.equal(await overdue.evaluate((el) => getComputedStyle(el).color), 'rgb(245, 108, 108)')
  await item.getByText(`${YEAR}-03-31 前`).waitFor()

  await item.getByRole('button', { name: '进展' }).click()
  const drawer = page.getByRole('dialog', { name: '事项进展' })
  await drawer.getByText('尚无进展').waitFor()
  await drawer.getByLabel('进展情况').fill('已召开党委会专题研究。')
  await drawer.getByRole('button', { name: '添加进展' }).click()
  await page.getByText('进展已添加').waitFor()
  await page.getByTestId('progress-timeline').getByText('已召开党委会专题研究。').waitFor()
})

bt('下发：上级办公室把计划下发到下级单位，下级看到副本', 'plans-issue', async (page) => {
  await logIn(page, 'office', PW.office, state.planPath)
  await page.getByTestId('plan-section').first().waitFor()
  await page.getByRole('button', { name: '下发到下级单位' }).click()
  await page.getByRole('dialog', { name: '下发计划' }).getByRole('button', { name: '下发' }).click()
  await page.getByText('已下发：下级单位 1 个，新建副本 1 份，已有而跳过 0 个').waitFor()

  await page.context().clearCookies()
  await logIn(page, 'school', PW.school, '/plans/list')
  await choose(page, page.locator('.search-form'), '年度', `${YEAR} 年`)
  const link = page.getByTestId('plan-table').getByRole('link', { name: `${YEAR}年工作要点` })
  await page.getByTestId('plan-table').getByText('上级下发').waitFor()
  await link.click()
  await page.getByTestId('plan-section').first().waitFor()
  assert.equal(await page.getByTestId('plan-section').count(), first.top_sections.length)
})

bt('提醒：铃铛显示未读数，打开提醒的计划，全部已读后角标消失', 'plans-bell', async (page) => {
  /* 五一 of the imported plan is due three days after this "today". */
  server.cli(['remind'], ['--today', `${YEAR}-04-28`])
  await logIn(page, 'office', PW.office)
  const badge = page.getByTestId('notice-badge').locator('.el-badge__content')
  await badge.waitFor()
  const before = Number(await badge.textContent())
  assert.ok(before >= 1, `unread notices (${before})`)
  await page.getByTestId('notice-bell').click()
  const pop = page.getByTestId('notice-popover')
  const soon = pop.locator('.bell-item', { hasText: '五一' }).first()
  await soon.waitFor()
  await soon.getByRole('link').click()
  await page.waitForURL(/\/plans\/\d+$/)
  assert.equal(new URL(page.url()).pathname, state.planPath)
  if (before > 1) await badge.getByText(String(before - 1)).waitFor()
  else await badge.waitFor({ state: 'hidden' })

  await page.getByTestId('notice-bell').click()
  await page.getByRole('button', { name: '全部已读' }).click()
  await page.getByText('已全部标为已读').waitFor()
  await badge.waitFor({ state: 'hidden' })

  /* The notices page lists them, none unread. */
  await page.getByRole('button', { name: '查看全部' }).click()
  await page.waitForURL(/\/notices$/)
  await page.getByTestId('notice-table').getByText('五一').first().waitFor()
  await page.getByText('0 条未读').first().waitFor()
  await page.locator('.el-radio-button', { hasText: '未读' }).click()
  await page.getByTestId('notice-table').getByText('暂无提醒').waitFor()

  /* The links of obligation notices name /ledger/compliance: 完成情况 on that unit and year. */
  await page.goto(`/ledger/compliance?org_id=${ids.school}&year=${YEAR}`)
  await page.waitForURL(/\/assess\/compliance\?/)
  await page.getByText('已切换到：实验小学党支部').waitFor()
  await page.locator('.search-form .el-select__selected-item', { hasText: `${YEAR} 年` }).waitFor()
})

bt('导入向导：服务器拒绝的文本在字段下提示；工作报告标明为报告', 'plans-import-report', async (page) => {
  await logIn(page, 'office', PW.office, '/plans/import')
  const box = page.getByLabel('工作要点全文')
  await box.fill('工作要点\u0001')
  await page.getByRole('button', { name: '分析文本' }).click()
  const err = page.locator('.el-form-item.is-error', { has: box })
  await err.locator('.el-form-item__error').waitFor()
  assert.match(await err.locator('.el-form-item__error').textContent(), /[\u4e00-\u9fff]/, 'a Chinese message')
  assert.equal(await page.getByTestId('import-source').count(), 0, 'no preview')

  await box.fill(fs.readFileSync(path.join(FIXTURES, 'article4-report.txt'), 'utf8'))
  await page.getByRole('button', { name: '分析文本' }).click()
  await page.getByTestId('report-alert').getByText('这是一份工作报告（总结），不是工作计划').waitFor()
  const want = expected.documents['article4-report.txt'].obligations.length
  assert.equal(await page.getByTestId('import-source').locator('mark.hl.confirmed, mark.hl.suggested').count() >= want, true)
})

bt('审计员在审计日志中看到导入、下发和导出', 'plans-audit', async (page) => {
  /* An export of the unit's ledger, so that the trail has one. */
  await logIn(page, 'office', PW.office, '/ledger/records')
  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: '导出 Excel' }).first().click()
  await (await download).path()
  await page.context().clearCookies()

  await logIn(page, 'auditor', PW.auditor)
  await page.getByRole('menuitem', { name: '审计日志' }).click()
  await page.waitForURL(/\/audit\/logs$/)
  const filter = async (action) => {
    await page.getByLabel('操作类型').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: action }).first().click()
    await page.getByRole('button', { name: '搜索' }).click()
  }
  for (const action of ['导入工作要点', '下发工作计划', '导出 Excel']) {
    await filter(action)
    await page.locator('.el-table__row', { hasText: action }).first().getByText('office').waitFor()
  }
  await filter('导入工作要点')
  await page.locator('.el-table__row .el-table__expand-icon').first().click()
  await page.locator('.el-table__expanded-cell').getByText(/obligations/).first().waitFor()
})

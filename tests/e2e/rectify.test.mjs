/*
 * 问题整改 and 分析研判 in a real browser against a real server: a school's
 * office clerk records a problem, adds a measure with its owner and
 * deadline, completes it and uploads a photo as evidence (the status goes
 * 待整改 → 整改中 → 已完成 on the server); the bureau's office above finds
 * it among the schools' problems, sees the rollup, and closes it (销号)
 * with an opinion, after which the school can no longer change it; and the
 * school writes a half-year analysis report in its sections and submits
 * it to the bureau, which makes its 分析研判 ledger record; the bureau
 * acknowledges it in its inbox and passes it on to the 市委宣传部, and the
 * school sees the comment and the whole way up (报送经过); and the
 * problems of an inspection report imported, edited before saving.  Each test saves
 * a screenshot under build/e2e/ and fails on any browser console error.
 */
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { Server } from './lib/server.mjs'
import { launch } from './lib/browser.mjs'
import { browserTest, choose, logIn } from './lib/flows.mjs'
import { makePng } from './lib/png.mjs'

const PW = {
  clerk: 'Clerk-pass-2026',
  teacher: 'Teacher-pass-2026',
  bureau: 'Bureau-pass-2026',
}

const server = new Server()
let browser
const ids = {}
const state = {}

before(async () => {
  server.init()
  ids.city = server.addOrg('市委宣传部', { kind: 'committee' })
  ids.bureau = server.addOrg('某市教育局', { parent: ids.city, kind: 'committee' })
  ids.school = server.addOrg('第一中学', { parent: ids.bureau })
  server.addOrg('第二中学', { parent: ids.bureau })
  server.addUser({ org: ids.bureau, login: 'bureau', name: '局办公室王主任', role: 'office', scope: 'subtree', password: PW.bureau })
  server.addUser({ org: ids.school, login: 'clerk', name: '张老师', role: 'office', password: PW.clerk })
  server.addUser({ org: ids.school, login: 'teacher', name: '李老师', role: 'member', password: PW.teacher })
  await server.start()
  browser = await launch()
})

after(async () => {
  if (browser) await browser.close()
  await server.stop()
})

const bt = (name, shot, fn, opts) => browserTest(server, () => browser, name, shot, fn, opts)

function inDays(n) {
  const d = new Date(Date.now() + n * 86400000)
  const pad = (x) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

bt('问题整改：学校登记问题、落实措施、上传证明材料', 'rectify-school', async (page) => {
  await logIn(page, 'clerk', PW.clerk)
  await page.getByRole('menuitem', { name: '问题清单' }).click()
  await page.waitForURL(/\/problems\/list$/)
  await page.getByRole('button', { name: '登记问题' }).click()
  const dialog = page.getByRole('dialog', { name: '登记问题' })
  await dialog.getByLabel('问题', { exact: true }).fill('宣传栏内容更新不及时')
  await choose(page, dialog, '来源', '上级督查')
  await dialog.getByLabel('类别').fill('阵地管理')
  await dialog.getByLabel('问题描述').fill('教学楼一楼宣传栏三个月未更新。')
  await dialog.getByRole('button', { name: '确定' }).click()
  await page.waitForURL(/\/problems\/\d+$/)
  state.problemUrl = new URL(page.url()).pathname
  const status = page.getByTestId('problem-status')
  await status.getByText('待整改').waitFor()

  /* A measure with its owner and deadline: 整改中. */
  await page.getByRole('button', { name: '新增措施' }).click()
  const m = page.getByRole('dialog', { name: '新增措施' })
  await m.getByLabel('措施', { exact: true }).fill('明确专人每两周更新宣传栏')
  await choose(page, m, '责任人', '李老师')
  await m.getByLabel('期限').fill(inDays(20))
  await m.getByLabel('期限').press('Enter')
  await m.getByRole('button', { name: '确定' }).click()
  await page.getByText('整改措施已保存').waitFor()
  const measures = page.getByTestId('measure-table')
  await measures.getByText('明确专人每两周更新宣传栏').waitFor()
  await measures.getByText('李老师').waitFor()
  await status.getByText('整改中').waitFor()

  /* Done, but no evidence yet: still 整改中 (the server decides). */
  await measures.getByRole('button', { name: '完成' }).click()
  await page.getByText('措施已完成').waitFor()
  await measures.getByText('已完成').waitFor()
  await status.getByText('整改中').waitFor()

  /* A photo of the updated board: 已完成. */
  await page.getByTestId('evidence-input').setInputFiles({ name: '更新后的宣传栏.png', mimeType: 'image/png', buffer: makePng() })
  await page.getByText('证明材料已上传').waitFor()
  await page.getByTestId('evidence-table').getByText('更新后的宣传栏.png').waitFor()
  await status.getByText('已完成').waitFor()
  /* The school cannot close its own problem: no 销号 button. */
  assert.equal(await page.getByRole('button', { name: '销号' }).count(), 0)
})

bt('问题整改：上级单位查看汇总并销号', 'rectify-bureau', async (page) => {
  await logIn(page, 'bureau', PW.bureau, '/problems/list')
  await page.waitForURL(/\/problems\/list$/)
  await page.getByText('含下级单位').click()
  const table = page.getByTestId('problem-table')
  await table.getByText('第一中学').waitFor()
  await table.getByText('已完成').waitFor()

  await page.getByRole('menuitem', { name: '整改汇总' }).click()
  await page.waitForURL(/\/problems\/rollup$/)
  const row = page.getByTestId('rollup-table').locator('.el-table__row', { hasText: '第一中学' })
  /* 待整改 0, 整改中 0, 已完成 1, 已销号 0, 合计 1 */
  await row.locator('td').nth(3).getByText('1', { exact: true }).waitFor()

  await page.goto(state.problemUrl)
  await page.getByRole('button', { name: '销号' }).click()
  const d = page.getByRole('dialog', { name: '销号' })
  await d.getByLabel('销号意见').fill('宣传栏已按期更新，照片齐全，同意销号。')
  await d.getByRole('button', { name: '确定' }).click()
  await page.getByText('已销号', { exact: true }).first().waitFor()
  await page.getByTestId('problem-status').getByText('已销号').waitFor()
  await page.getByText('宣传栏已按期更新，照片齐全，同意销号。').waitFor()
  assert.equal(await page.getByRole('button', { name: '销号' }).count(), 0)
})

bt('问题整改：销号后学校不能再修改', 'rectify-closed', async (page) => {
  await logIn(page, 'clerk', PW.clerk, state.problemUrl)
  await page.waitForURL((u) => u.pathname === state.problemUrl)
  await page.getByTestId('problem-status').getByText('已销号').waitFor()
  assert.equal(await page.getByRole('button', { name: '新增措施' }).count(), 0)
  assert.equal(await page.getByRole('button', { name: '上传证明材料' }).count(), 0)
})

bt('分析研判：学校撰写半年研判报告并报送上级', 'analysis-submit', async (page) => {
  await logIn(page, 'clerk', PW.clerk)
  await page.getByRole('menuitem', { name: '研判报告' }).click()
  await page.waitForURL(/\/analyses\/list$/)
  await page.getByRole('button', { name: '新建研判报告' }).click()
  const dialog = page.getByRole('dialog', { name: '新建研判报告' })
  await dialog.getByRole('button', { name: '确定' }).click()
  await page.waitForURL(/\/analyses\/\d+$/)
  await page.getByTestId('analysis-state').getByText('草稿').waitFor()
  await page.getByLabel('形势内容').fill('全校教职工思想稳定，主流积极健康。')
  await page.getByLabel('问题内容').fill('个别班级宣传栏更新不及时。')
  await page.getByLabel('措施内容').fill('落实专人负责，每两周检查一次。')
  await page.getByRole('button', { name: '增加部分' }).click()
  await page.getByLabel('第 4 部分标题').fill('校园网络阵地')
  await page.getByLabel('校园网络阵地内容').fill('校园网站与公众号运行平稳。')
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await page.getByText('已保存').waitFor()
  await page.getByRole('button', { name: '报送上级' }).click()
  await page.getByRole('dialog', { name: '报送研判报告' }).getByRole('button', { name: '报送' }).click()
  await page.getByText('已报送上级').waitFor()
  await page.getByTestId('analysis-state').getByText('已报送').waitFor()
  state.analysisUrl = new URL(page.url()).pathname
  await page.getByRole('heading', { name: '校园网络阵地' }).waitFor()
  assert.equal(await page.getByRole('button', { name: '报送上级' }).count(), 0)

  /* Counted in the ledger as a record of kind 分析研判. */
  await page.getByRole('menuitem', { name: '台账记录' }).click()
  await page.waitForURL(/\/ledger\/records/)
  await page.getByText('意识形态工作分析研判报告').first().waitFor()
})

bt('分析研判：上级在收件箱签收，学校看到签收意见', 'analysis-ack', async (page, context) => {
  await logIn(page, 'bureau', PW.bureau, '/incidents/inbox')
  await page.waitForURL(/\/incidents\/inbox$/)
  const row = page.getByTestId('inbox-table').locator('.el-table__row', { hasText: '意识形态工作分析研判报告' })
  await row.getByText('第一中学').waitFor()
  await row.getByRole('button', { name: '签收' }).click()
  const d = page.getByRole('dialog', { name: '签收' })
  await d.getByLabel('签收意见').fill('研判全面，请抓好宣传栏整改。')
  await d.getByRole('button', { name: '签收' }).click()
  await row.getByTestId('inbox-state').getByText('已签收').waitFor()
  /* ... and passes it on to the 市委宣传部. */
  await row.getByRole('button', { name: '继续上报' }).click()
  const f = page.getByRole('dialog', { name: '继续上报' })
  await f.getByLabel('上报说明').fill('报市委宣传部备案')
  await f.getByRole('button', { name: '上报' }).click()
  await row.getByTestId('inbox-state').getByText('已继续上报').waitFor()

  /* The school's clerk, in the same browser after the bureau's session. */
  await context.clearCookies()
  await logIn(page, 'clerk', PW.clerk, state.analysisUrl)
  await page.waitForURL((u) => u.pathname === state.analysisUrl)
  await page.getByTestId('analysis-state').getByText('上级已签收').waitFor()
  const ack = page.getByTestId('analysis-ack')
  await ack.getByText('某市教育局').waitFor()
  await ack.getByText('研判全面，请抓好宣传栏整改。').waitFor()
  /* The whole way up, oldest first. */
  const trail = page.getByTestId('inbox-trail').locator('li')
  assert.equal(await trail.count(), 2)
  await trail.nth(0).getByText('第一中学 → 某市教育局').waitFor()
  await trail.nth(0).getByText('签收意见：研判全面，请抓好宣传栏整改。').waitFor()
  await trail.nth(1).getByText('某市教育局 → 市委宣传部').waitFor()
  await trail.nth(1).getByText('报送说明：报市委宣传部备案').waitFor()
})

bt('问题整改：从巡察反馈报告导入问题', 'rectify-import', async (page) => {
  const report = [
    '关于第一中学意识形态工作巡察反馈问题的整改报告',
    '现将有关情况汇报如下：',
    '一、存在的问题',
    '（一）校园网站信息审核把关不严。个别新闻稿未经审核即发布。',
    '（二）班主任队伍思想政治工作能力不足。培训覆盖面不够。',
    '（三）宣传栏管理制度不健全。',
    '二、下一步措施',
    '（一）严格落实信息发布三审制度。',
    '（二）每学期组织班主任专题培训。',
  ].join('\n')
  await logIn(page, 'clerk', PW.clerk, '/problems/import')
  await page.waitForURL(/\/problems\/import$/)
  await choose(page, page.locator('.page'), '问题来源', '巡察')
  await page.getByLabel('报告文本').fill(report)
  await page.getByRole('button', { name: '识别问题' }).click()
  const table = page.getByTestId('import-table')
  await page.getByText('识别到 3 个问题，保留 3 个').waitFor()
  assert.equal(await page.getByLabel('第 1 个问题', { exact: true }).inputValue(), '校园网站信息审核把关不严')
  /* Keep two, one of them renamed and classified. */
  await table.getByLabel('保留第 3 个问题').click()
  await page.getByLabel('第 2 个问题', { exact: true }).fill('班主任思想政治工作培训覆盖不够')
  await page.getByLabel('第 2 个问题的类别').fill('队伍建设')
  await page.getByText('识别到 3 个问题，保留 2 个').waitFor()
  await page.getByRole('button', { name: '保存为问题' }).click()
  await page.getByText('已导入 2 个问题').waitFor()
  await page.waitForURL(/\/problems\/list$/)
  const list = page.getByTestId('problem-table')
  await list.getByText('校园网站信息审核把关不严').waitFor()
  await list.locator('.el-table__row', { hasText: '班主任思想政治工作培训覆盖不够' }).getByText('巡察').waitFor()
  assert.equal(await list.getByText('宣传栏管理制度不健全').count(), 0)
})

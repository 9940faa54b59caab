/*
 * The three-stage review (三审) in a real browser against a real server: a
 * member of a school's party branch writes a sensitive report (Markdown
 * with its preview) and submits it; the office signs 初审; the leader in
 * charge first tries to return it without a reason (refused by the
 * server, shown under the field) and then returns it with one; the author
 * edits, attaches a photo in the editor (a revision of its own) and
 * submits again, and the difference between the two revisions shows the
 * deleted and inserted characters; the office, the leader and the
 * secretary sign 初审, 复审 and 终审 (the signatures of the first round
 * shown void), each seeing the photo, which downloads byte for byte; the
 * author records where it was published, and the
 * approval form (审签单) downloads as a PDF.  Four different people: the
 * author never signs.  Last, a new submission gets a file chosen before
 * its first save, uploaded with it.  Each test saves a screenshot under build/e2e/ and
 * fails on any browser console error.
 */
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { Server } from './lib/server.mjs'
import { launch } from './lib/browser.mjs'
import { browserTest, logIn } from './lib/flows.mjs'
import { makePng } from './lib/png.mjs'

const PW = 'Review-pass-2025'
const TITLE = '关于我校开展读书月活动的报道'
const BODY1 = '# 读书月\n\n我校于五月举办**读书节**。\n\n- 师生共读\n- 好书推荐\n'
const BODY2 = '# 读书月\n\n我校于五月举办**读书月**。\n\n- 师生共读\n- 好书推荐\n- 读书分享会\n'

const PHOTO = makePng()
const server = new Server()
let browser
const state = {}

before(async () => {
  server.init()
  const root = server.addOrg('县教育局党委', { kind: 'committee' })
  const school = server.addOrg('实验中学党支部', { parent: root, kind: 'branch' })
  server.addUser({ org: school, login: 'writer', name: '刘干事', role: 'member', password: PW })
  server.addUser({ org: school, login: 'office', name: '王主任', role: 'office', password: PW })
  server.addUser({ org: school, login: 'leader', name: '赵校长', role: 'leader', password: PW })
  server.addUser({ org: school, login: 'secretary', name: '钱书记', role: 'secretary', password: PW })
  await server.start()
  browser = await launch()
})

after(async () => {
  if (browser) await browser.close()
  await server.stop()
})

const bt = (name, shot, fn, opts) => browserTest(server, () => browser, name, shot, fn, opts)

async function openReview(page, login) {
  await logIn(page, login, PW, state.path)
  await page.waitForURL(/\/reviews\/\d+$/)
  await page.getByTestId('review-heading').waitFor()
}

async function expectState(page, label) {
  await page.getByTestId('review-state').getByText(label, { exact: true }).waitFor()
}

async function signStage(page, button, opinion) {
  await page.getByTestId(button).click()
  if (opinion !== undefined) await page.getByLabel(/意见（/).fill(opinion)
  await page.getByTestId('sign-confirm').click()
}

bt('作者撰写敏感稿件（Markdown 预览）并提交初审', 'reviews-write', async (page) => {
  await logIn(page, 'writer', PW)
  await page.getByRole('menuitem', { name: '稿件三审' }).click()
  await page.waitForURL(/\/reviews\/list/)
  await page.getByTestId('review-new').click()
  await page.waitForURL(/\/reviews\/new$/)
  await page.getByLabel('标题').fill(TITLE)
  await page.getByText('敏感（须书记终审）').click()
  await page.getByLabel('正文').fill(BODY1)
  const preview = page.getByTestId('review-preview')
  await preview.locator('h1', { hasText: '读书月' }).waitFor()
  await preview.locator('strong', { hasText: '读书节' }).waitFor()
  assert.equal(await preview.locator('li').count(), 2)
  await page.getByTestId('review-save').click()
  await page.waitForURL(/\/reviews\/\d+$/)
  state.path = new URL(page.url()).pathname
  state.id = Number(state.path.split('/').pop())
  await expectState(page, '草稿')
  /* 终审 is among the steps of a sensitive submission. */
  await page.getByTestId('review-steps').getByText('终审').waitFor()
  assert.equal(await page.getByTestId('review-approve').count(), 0, 'the author cannot sign')
  await page.getByTestId('review-submit').click()
  await expectState(page, '初审中')
  await page.getByTestId('review-next').getByText('王主任').waitFor()
})

bt('办公室在“待我审核”中找到稿件并签署初审', 'reviews-first', async (page) => {
  await logIn(page, 'office', PW)
  /* 工作台: the submission waits for the office's 初审 among its 待办事项. */
  const todo = page.getByTestId('dashboard-todo').locator('[data-group="reviews"]')
  await todo.getByText('待我审签').waitFor()
  await todo.locator('li', { hasText: TITLE }).getByText('初审').waitFor()
  assert.match(await todo.getByRole('link', { name: TITLE }).getAttribute('href'), /^\/reviews\/\d+$/)
  await page.goto('/reviews/list')
  const table = page.getByTestId('review-table')
  await table.getByRole('link', { name: TITLE }).click()
  await page.waitForURL(/\/reviews\/\d+$/)
  await signStage(page, 'review-approve', '内容属实，同意')
  await expectState(page, '复审中')
  await page.getByTestId('review-timeline').getByText('内容属实，同意').waitFor()
})

bt('分管领导退回：不写意见被拒绝，写明意见后退回作者', 'reviews-return', async (page) => {
  await openReview(page, 'leader')
  await expectState(page, '复审中')
  await signStage(page, 'review-return')
  await page.getByText('退回时必须填写意见').waitFor()
  await page.getByLabel('退回意见（必填）').fill('“读书节”应为“读书月”，并补充分享会')
  await page.getByTestId('sign-confirm').click()
  await expectState(page, '已退回')
  await page.getByTestId('review-timeline').getByText('“读书节”应为“读书月”，并补充分享会').waitFor()
  assert.equal(await page.getByTestId('review-approve').count(), 0)
})

bt('作者修改后重新提交，版本比较显示删除与新增的文字', 'reviews-resubmit', async (page) => {
  await openReview(page, 'writer')
  await expectState(page, '已退回')
  await page.getByTestId('review-edit').click()
  await page.waitForURL(/\/reviews\/\d+\/edit$/)
  /* A file goes up at once, one revision of its own; the text typed stays. */
  await page.getByLabel('正文').fill(BODY2)
  await page.getByTestId('review-attachment-input').setInputFiles({ name: '读书分享会.png', mimeType: 'image/png', buffer: PHOTO })
  await page.getByTestId('review-attachments').getByText('读书分享会.png').waitFor()
  await page.getByTestId('review-attachments').getByText('第 2 稿').waitFor()
  assert.equal(await page.getByLabel('正文').inputValue(), BODY2)
  await page.getByTestId('review-save').click()
  await page.waitForURL(/\/reviews\/\d+$/)
  await expectState(page, '已退回')
  await page.getByTestId('review-submit').click()
  await expectState(page, '初审中')
  /* The old round's signatures are kept, marked void. */
  await page.getByTestId('review-timeline').getByText('第 1 轮，已作废').first().waitFor()
  await page.getByTestId('review-attachments').getByText('读书分享会.png').waitFor()
  await page.getByTestId('diff-run').click()
  const diff = page.getByTestId('diff-view')
  await diff.waitFor()
  assert.deepEqual(await diff.locator('span.del').allTextContents(), ['节'])
  const ins = (await diff.locator('span.ins').allTextContents()).join('')
  assert.ok(ins.startsWith('月') && ins.includes('读书分享会'), ins)
  const style = await diff.locator('span.del').first().evaluate((el) => getComputedStyle(el).textDecorationLine)
  assert.equal(style, 'line-through')
})

bt('办公室、分管领导、书记依次签署初审、复审、终审', 'reviews-three', async (page) => {
  for (const [login, expect] of [['office', '复审中'], ['leader', '终审中'], ['secretary', '已批准']]) {
    /* each person on a browser of their own */
    await page.context().clearCookies()
    await openReview(page, login)
    await page.getByTestId('review-attachments').getByRole('link', { name: '读书分享会.png' }).waitFor()
    assert.equal(await page.getByTestId('review-attachment-upload').count(), 0, 'only the author uploads')
    await signStage(page, 'review-approve', `${login} 同意`)
    await expectState(page, expect)
  }
  const r = await (await page.request.get(`/api/v1/reviews/${state.id}`)).json()
  assert.equal(r.state, 'approved')
  assert.deepEqual(r.stages.map((s) => s.signature.user_name), ['王主任', '赵校长', '钱书记'])
  assert.ok(!r.stages.some((s) => s.signature.user_name === '刘干事'))
  assert.deepEqual(r.attachments.map((a) => [a.name, a.mime, a.size]), [['读书分享会.png', 'image/png', PHOTO.length]])
  const file = await page.request.get(`/api/v1/review-attachments/${r.attachments[0].id}`)
  assert.equal(file.status(), 200)
  assert.ok(Buffer.from(await file.body()).equals(PHOTO), 'the bytes uploaded')
})

bt('作者登记发布并打开审签单', 'reviews-publish', async (page) => {
  await openReview(page, 'writer')
  await expectState(page, '已批准')
  assert.equal(await page.getByTestId('review-withdraw').count(), 0, 'no withdrawal after approval')
  assert.equal(await page.getByTestId('review-attachment-upload').count(), 0, 'no files after approval')
  await page.getByTestId('review-publish').click()
  await page.getByLabel('发布网址').fill('https://www.syzx.edu.cn/news/2025/0501.html')
  await page.getByTestId('publish-confirm').click()
  await expectState(page, '已发布')
  await page.getByTestId('review-url').waitFor()
  const href = await page.getByTestId('review-form-link').getAttribute('href')
  const pdf = await page.request.get(href)
  assert.equal(pdf.status(), 200)
  assert.match(pdf.headers()['content-type'], /application\/pdf/)
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-')
})

bt('作者新建稿件时先选好附件，保存草稿时一并上传', 'reviews-new-files', async (page) => {
  await logIn(page, 'writer', PW, '/reviews/new')
  await page.getByLabel('标题').fill('校园开放日活动预告')
  await page.getByLabel('正文').fill('本周六举办校园开放日。')
  const input = page.getByTestId('review-pending-input')
  await input.setInputFiles({ name: '开放日海报.png', mimeType: 'image/png', buffer: PHOTO })
  await input.setInputFiles({ name: '多余的.png', mimeType: 'image/png', buffer: makePng(7) })
  const pending = page.getByTestId('review-pending')
  await pending.getByText('开放日海报.png').waitFor()
  await pending.getByRole('button', { name: '移除 多余的.png' }).click()
  assert.equal(await pending.locator('li').count(), 1)
  await page.getByTestId('review-save').click()
  await page.getByText('稿件和 1 个附件已保存为草稿').waitFor()
  await page.waitForURL(/\/reviews\/\d+$/)
  await expectState(page, '草稿')
  await page.getByTestId('review-attachments').getByRole('link', { name: '开放日海报.png' }).waitFor()
  const id = Number(new URL(page.url()).pathname.split('/').pop())
  const r = await (await page.request.get(`/api/v1/reviews/${id}`)).json()
  assert.deepEqual(r.attachments.map((a) => [a.name, a.size]), [['开放日海报.png', PHOTO.length]])
  /* The file is an edit of the draft: its second revision. */
  assert.equal(r.revision, 2)
})

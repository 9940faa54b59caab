/*
 * 通知渠道 in a real browser against a real server: a unit's office adds a
 * 企业微信 group robot whose webhook is a receiver in this test on
 * 127.0.0.1; the list shows the address without its key; a test message
 * reaches the receiver at the full address and shows as 已送达 in the
 * delivery log; renaming the channel with the address left empty keeps
 * the address, switching it off disables the test button, and it can be
 * removed.  Each test
 * saves a screenshot of its last page under build/e2e/ and fails on any
 * browser console error.
 */
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { Server } from './lib/server.mjs'
import { launch } from './lib/browser.mjs'
import { browserTest, logIn } from './lib/flows.mjs'

const PW = 'Office-pass-2025'
const KEY = '693a91f6-7d3e-4bc4-97a0-0ec2a1b35f7e'
const NAME = '党委办公室工作群'

const server = new Server()
let browser
let receiver
const received = []
const hook = () => `http://127.0.0.1:${receiver.address().port}/cgi-bin/webhook/send?key=${KEY}`

before(async () => {
  receiver = http.createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, body })
      res.setHeader('Content-Type', 'application/json')
      res.end('{"errcode":0,"errmsg":"ok"}')
    })
  })
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  server.init()
  const unit = server.addOrg('第一中学党支部', { kind: 'branch' })
  server.addUser({ org: unit, login: 'office', name: '王主任', role: 'office', password: PW })
  await server.start()
  browser = await launch()
})

after(async () => {
  if (browser) await browser.close()
  await server.stop()
  await new Promise((resolve) => receiver.close(resolve))
})

const bt = (name, shot, fn, opts) => browserTest(server, () => browser, name, shot, fn, opts)

/* Open the row's delivery log and refresh it until `label` shows. */
async function waitDelivered(page, row, count) {
  await row.getByRole('button', { name: '投递记录' }).click()
  const drawer = page.getByRole('dialog', { name: `投递记录：${NAME}` })
  const sent = drawer.getByTestId('delivery-table').locator('.el-tag', { hasText: '已送达' })
  for (let i = 0; i < 40 && (await sent.count()) < count; i++) {
    await page.waitForTimeout(500)
    await drawer.getByRole('button', { name: '刷新' }).click()
  }
  assert.equal(await sent.count(), count)
  await drawer.getByText('测试消息').first().waitFor()
  await drawer.getByText(/第 1 次 .* 成功，应答 200/).first().waitFor()
  return drawer
}

bt('办公室添加企业微信机器人：地址隐去密钥，测试消息送达并记入投递记录', 'notify-add', async (page) => {
  await logIn(page, 'office', PW)
  await page.getByRole('menuitem', { name: '通知渠道' }).click()
  await page.waitForURL(/\/org\/notify$/)
  await page.getByTestId('notify-table').getByText('尚未设置通知渠道').waitFor()
  await page.getByRole('button', { name: '添加通知渠道' }).click()
  const dialog = page.getByRole('dialog', { name: '添加通知渠道' })
  await dialog.getByLabel('名称').fill(NAME)
  /* A robot address must be a web address. */
  await dialog.getByLabel('机器人地址（Webhook）').fill('qyapi.weixin.qq.com')
  await dialog.getByRole('button', { name: '保存' }).click()
  await dialog.getByText('机器人地址应为以 http:// 或 https:// 开头').waitFor()
  await dialog.getByLabel('机器人地址（Webhook）').fill(hook())
  await dialog.getByRole('button', { name: '保存' }).click()
  await page.getByText('通知渠道已添加').waitFor()

  const row = page.getByTestId('notify-table').locator('.el-table__row', { hasText: NAME })
  await row.getByText('企业微信机器人').waitFor()
  await row.getByText(`key=****${KEY.slice(-4)}`).waitFor()
  assert.ok(!(await row.textContent()).includes(KEY), 'the key is not shown')

  await row.getByRole('button', { name: '发送测试' }).click()
  await page.getByText('测试消息已排队').waitFor()
  await waitDelivered(page, row, 1)
  const posts = received.filter((r) => r.method === 'POST')
  assert.equal(posts.length, 1)
  assert.equal(posts[0].url, `/cgi-bin/webhook/send?key=${KEY}`)
  assert.equal(JSON.parse(posts[0].body).msgtype, 'text')
})

bt('改名时地址留空保持原地址；停用后不能发送测试', 'notify-edit', async (page) => {
  await logIn(page, 'office', PW, '/org/notify')
  let row = page.getByTestId('notify-table').locator('.el-table__row', { hasText: NAME })
  await row.getByRole('button', { name: '修改' }).click()
  const dialog = page.getByRole('dialog', { name: '修改通知渠道' })
  const target = dialog.getByLabel('机器人地址（Webhook）')
  assert.equal(await target.inputValue(), '')
  assert.match(await target.getAttribute('placeholder'), /^不修改请留空（当前：.*key=\*\*\*\*5f7e）$/)
  await dialog.getByLabel('名称').fill(`${NAME}（新）`)
  await dialog.getByRole('button', { name: '保存' }).click()
  await page.getByText('通知渠道已保存').waitFor()
  row = page.getByTestId('notify-table').locator('.el-table__row', { hasText: `${NAME}（新）` })
  await row.getByRole('button', { name: '发送测试' }).click()
  for (let i = 0; i < 40 && received.length < 2; i++) await page.waitForTimeout(500)
  assert.equal(received.length, 2)
  assert.equal(received[1].url, `/cgi-bin/webhook/send?key=${KEY}`)

  /* the switch's input is hidden under its drawn track */
  assert.equal(await row.getByRole('switch', { name: `启用 ${NAME}（新）` }).count(), 1)
  await row.locator('.el-switch').click()
  await page.getByText('已停用').waitFor()
  /* the list is read again after the change: wait for the button to follow */
  await row.locator('button:disabled', { hasText: '发送测试' }).waitFor()

  /* Removed after a confirmation; the list is empty again. */
  await row.getByRole('button', { name: '删除' }).click()
  await page.getByRole('dialog', { name: '删除通知渠道' }).getByRole('button', { name: '删除' }).click()
  await page.getByText('已删除', { exact: true }).waitFor()
  await page.getByTestId('notify-table').getByText('尚未设置通知渠道').waitFor()
})

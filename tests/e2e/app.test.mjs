/*
 * The main flows of the web front end in a real browser against a real
 * server: logging in (and the messages for a wrong password and a locked
 * account), the forced change of a temporary password, the return to the
 * page the user wanted after login or an expired session, switching the
 * current unit, a school's user refused a sibling school, the administrator
 * creating a unit, a user and a leading group, and the auditor finding
 * those actions in the audit log.  The tests run in order against one
 * server; each saves a screenshot of its last page under build/e2e/ and
 * fails on any browser console error.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Server } from './lib/server.mjs'
import { launch, openPage, screenshot, unlabelledInputs } from './lib/browser.mjs'

const PW = {
  admin: 'Admin-pass-2025',
  auditor: 'Audit-pass-2025',
  clerka: 'Clerk-pass-2025',
  clerkb: 'Clerk-pass-2026',
  newbie: 'Temp-pass-2025',
  newbieNew: 'Fresh-pass-2025',
  locky: 'Lock-pass-2025',
}

const server = new Server()
let browser
const ids = {}

before(async () => {
  server.init()
  ids.root = server.addOrg('市教育局党委', { kind: 'committee' })
  ids.office = server.addOrg('机关党支部', { parent: ids.root, kind: 'branch' })
  ids.schoolA = server.addOrg('第一中学党支部', { parent: ids.root, kind: 'branch' })
  ids.schoolB = server.addOrg('第二中学党支部', { parent: ids.root, kind: 'branch' })
  const user = (org, login, name, role, extra = {}) =>
    server.addUser({ org, login, name, role, password: PW[login], ...extra })
  user(ids.root, 'admin', '系统管理员', 'sysadmin', { scope: 'subtree' })
  user(ids.root, 'auditor', '审计员', 'auditor', { scope: 'subtree' })
  user(ids.schoolA, 'clerka', '张老师', 'office')
  user(ids.schoolB, 'clerkb', '李老师', 'office')
  user(ids.schoolA, 'newbie', '王新', 'member', { temporary: true })
  user(ids.schoolA, 'locky', '赵锁', 'member')
  await server.start()
  browser = await launch()
})

after(async () => {
  if (browser) await browser.close()
  await server.stop()
})

/*
 * A test with its own browser context.  `fn(page)` drives the page; the
 * last page is saved as build/e2e/<shot>.png.  Console errors, and inputs
 * without a label on the last page, fail the test even when `fn` passed.
 */
function browserTest(name, shot, fn) {
  test(name, { timeout: 90000 }, async (t) => {
    const { context, page, problems } = await openPage(browser, server.url)
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

/* Fill the login form and press Enter (the keyboard path). */
async function submitLogin(page, login, password) {
  await page.getByLabel('登录名').fill(login)
  const pw = page.getByLabel('密码', { exact: true })
  await pw.fill(password)
  await pw.press('Enter')
}

async function logIn(page, login, password, path = '/') {
  await page.goto(path)
  await page.waitForURL(/\/login/)
  await submitLogin(page, login, password)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.getByTestId('current-user').waitFor()
}

/* Open the current-unit picker of the top bar and return its dropdown. */
async function openSwitcher(page) {
  await page.getByTestId('org-switcher').locator('.el-select__wrapper').click()
  const dropdown = page.locator('.el-select-dropdown:visible .el-tree')
  await dropdown.waitFor()
  return dropdown
}

browserTest('登录：未登录时转到登录页，登录后回到原页面', 'login', async (page) => {
  await page.goto('/org/units')
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/org/units')
  await submitLogin(page, 'admin', PW.admin)
  await page.waitForURL(/\/org\/units$/)
  await assert.doesNotReject(page.getByTestId('current-user').getByText('系统管理员').waitFor())
  await page.getByTestId('selected-unit').getByText('市教育局党委').waitFor()
  await page.locator('.el-table').getByText('第一中学党支部').waitFor()
  await page.locator('.el-breadcrumb').getByText('单位管理').waitFor()
})

browserTest('登录：密码错误的提示，连续失败后账户锁定', 'login-locked', async (page) => {
  await page.goto('/login')
  await submitLogin(page, 'locky', 'Wrong-pass-1')
  await page.getByRole('alert').getByText('登录名或密码错误').waitFor()
  assert.equal(await page.getByLabel('密码', { exact: true }).inputValue(), '', 'the password field is cleared')
  for (let i = 2; i <= 5; i++) {
    await submitLogin(page, 'locky', `Wrong-pass-${i}`)
    await page.waitForResponse((r) => r.url().endsWith('/api/v1/session'))
  }
  await page.getByRole('alert').getByText(/账户已被锁定/).waitFor()
  /* Even the right password is refused while the lock lasts. */
  await submitLogin(page, 'locky', PW.locky)
  await page.getByRole('alert').getByText(/账户已被锁定/).waitFor()
  assert.match(new URL(page.url()).pathname, /^\/login/)
})

browserTest('临时密码：首次登录须先修改密码，再回到原页面', 'password-change', async (page) => {
  await page.goto('/org/committees')
  await page.waitForURL(/\/login/)
  await submitLogin(page, 'newbie', PW.newbie)
  await page.waitForURL(/\/password/)
  await page.getByText('您的密码是临时密码或已过期').waitFor()
  await page.getByLabel('原密码').fill(PW.newbie)
  await page.getByLabel('新密码', { exact: true }).fill('short')
  await page.getByLabel('确认新密码').fill('short')
  await page.getByRole('button', { name: '修改密码并继续' }).click()
  await page.getByText('密码至少 8 个字符', { exact: true }).waitFor()
  /* The server's policy: the message appears under the field it names. */
  await page.getByLabel('新密码', { exact: true }).fill('newbie-newbie')
  await page.getByLabel('确认新密码').fill('newbie-newbie')
  await page.getByRole('button', { name: '修改密码并继续' }).click()
  await page.locator('.el-form-item.is-error').getByText(/密码/).first().waitFor()
  await page.getByLabel('新密码', { exact: true }).fill(PW.newbieNew)
  await page.getByLabel('确认新密码').fill(PW.newbieNew)
  await page.getByLabel('确认新密码').press('Enter')
  await page.waitForURL(/\/org\/committees$/)
  await page.getByTestId('current-user').getByText('王新').waitFor()
  await page.locator('.el-breadcrumb').getByText('领导小组').waitFor()
})

browserTest('会话过期：回到登录页，重新登录后回到原页面', 'session-expired', async (page, context) => {
  await logIn(page, 'admin', PW.admin)
  await page.waitForURL(/\/home$/)
  /* The 工作台 has loaded its data, down to the heatmap of the schools (none
   * has obligations): the session ends while the page is idle. */
  await page.getByTestId('unit-heatmap').getByText('下级单位本年度尚无任务指标').waitFor()
  await context.clearCookies()
  await page.getByRole('menuitem', { name: '用户管理' }).click()
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/org/users')
  await page.getByText('登录已过期').first().waitFor()
  await submitLogin(page, 'admin', PW.admin)
  await page.waitForURL(/\/org\/users$/)
  await page.locator('.el-table').getByText('张老师').waitFor()
})

browserTest('切换当前单位', 'switch-org', async (page) => {
  await logIn(page, 'admin', PW.admin, '/org/users')
  await page.locator('.el-table').getByText('李老师').waitFor()
  const tree = await openSwitcher(page)
  await tree.locator('.el-tree-node__content', { hasText: '市教育局党委' }).locator('.el-tree-node__expand-icon').click()
  await tree.getByText('第一中学党支部').click()
  await page.getByTestId('org-switcher').getByText('第一中学党支部').waitFor()
  await page.locator('.el-table').getByText('张老师').waitFor()
  await page.locator('.el-table').getByText('李老师').waitFor({ state: 'detached' })
  /* The choice survives a reload. */
  await page.reload()
  await page.getByTestId('org-switcher').getByText('第一中学党支部').waitFor()
  await page.locator('.el-table').getByText('张老师').waitFor()
  assert.equal(await page.locator('.el-table').getByText('李老师').count(), 0)
})

browserTest('学校用户看不到兄弟学校', 'sibling-refused', async (page) => {
  await logIn(page, 'clerka', PW.clerka)
  const tree = await openSwitcher(page)
  await tree.getByText('第一中学党支部').waitFor()
  const offered = (await tree.locator('.el-tree-node__content').allTextContents()).map((s) => s.trim())
  assert.deepEqual(offered, ['第一中学党支部'])
  await page.keyboard.press('Escape')
  await page.goto(`/org/units/${ids.schoolB}`)
  await page.getByTestId('refusal').getByText('单位不存在或不在您的权限范围内').waitFor()
  assert.equal(await page.getByText('第二中学党支部').count(), 0)
})

browserTest('管理员新建单位和用户', 'admin-create', async (page) => {
  await logIn(page, 'admin', PW.admin, '/org/units')
  await page.getByRole('button', { name: '新增下级单位' }).click()
  const unitDialog = page.getByRole('dialog', { name: '新增下级单位' })
  await unitDialog.getByLabel('单位名称').fill('第三中学党支部')
  await unitDialog.getByRole('button', { name: '确定' }).click()
  await page.getByText('单位已新增').waitFor()
  await page.locator('.el-table').getByText('第三中学党支部').waitFor()

  await page.getByRole('menuitem', { name: '用户管理' }).click()
  await page.waitForURL(/\/org\/users$/)
  await page.locator('.org-tree').getByText('第三中学党支部').click()
  await page.getByRole('button', { name: '新增用户' }).click()
  const userDialog = page.getByRole('dialog', { name: '新增用户' })
  await userDialog.getByText('第三中学党支部').waitFor()
  await userDialog.getByLabel('登录名').fill('chenxue')
  await userDialog.getByLabel('姓名').fill('陈雪')
  await userDialog.getByRole('button', { name: '确定' }).click()
  const secret = page.getByRole('dialog', { name: '新用户的临时密码' })
  const temporary = (await secret.getByTestId('temporary-password').textContent()).trim()
  assert.ok(temporary.length >= 12, 'a temporary password is shown')
  await secret.getByRole('button', { name: '我已记下' }).click()
  const row = page.locator('.el-table__row', { hasText: 'chenxue' })
  await row.getByText('待改密').waitFor()

  /* A login that is taken: the server's message under the login field. */
  await page.getByRole('button', { name: '新增用户' }).click()
  await userDialog.getByLabel('登录名').fill('chenxue')
  await userDialog.getByLabel('姓名').fill('陈雪二')
  await userDialog.getByRole('button', { name: '确定' }).click()
  await userDialog.locator('.el-form-item.is-error').getByText('该登录名已被使用').waitFor()
})

browserTest('管理员移动单位；有用户的单位不能删除', 'admin-move', async (page) => {
  await logIn(page, 'admin', PW.admin, '/org/units')
  await page.locator('.el-table__row', { hasText: '第三中学党支部' }).getByRole('button', { name: '移动' }).click()
  const dialog = page.getByRole('dialog', { name: '移动单位' })
  await dialog.locator('.el-select__wrapper').click()
  const tree = page.locator('.el-select-dropdown:visible .el-tree')
  await tree.locator('.el-tree-node__content', { hasText: '市教育局党委' }).locator('.el-tree-node__expand-icon').click()
  await tree.getByText('机关党支部').click()
  await dialog.getByRole('button', { name: '确定' }).click()
  await page.getByText('单位已移动').waitFor()
  await page.locator('.el-table__row', { hasText: '第三中学党支部' }).waitFor({ state: 'detached' })
  await page.locator('.org-tree').getByText('机关党支部').click()
  const row = page.locator('.el-table__row', { hasText: '第三中学党支部' })
  await row.getByRole('button', { name: '删除' }).click()
  await page.getByRole('dialog', { name: '删除单位' }).getByRole('button', { name: '删除' }).click()
  await page.locator('.el-message--error').getByText('不能删除').waitFor()
  await row.waitFor()
})

browserTest('领导小组：新建并查看成员', 'committee', async (page) => {
  await logIn(page, 'admin', PW.admin, '/org/committees')
  await page.getByRole('button', { name: '新增领导小组' }).click()
  const dialog = page.getByRole('dialog', { name: '新增领导小组' })
  await dialog.getByLabel('第 1 位成员的姓名').fill('刘书记')
  await dialog.getByLabel('第 1 位成员的现任职务').fill('党委书记')
  await dialog.getByLabel('第 2 位成员的姓名').fill('陈副书记')
  await dialog.getByLabel('第 3 位成员的姓名').fill('周老师')
  await dialog.getByRole('button', { name: '保存' }).click()
  await page.getByText('领导小组已新增').waitFor()
  const row = page.locator('.el-table__row', { hasText: '意识形态工作领导小组' })
  await row.getByText('刘书记').waitFor()
  await row.locator('.el-table__expand-icon').click()
  await page.locator('.el-table__expanded-cell').getByText('党委书记').waitFor()
})

browserTest('审计员在审计日志中看到这些操作', 'audit', async (page) => {
  await logIn(page, 'auditor', PW.auditor)
  assert.equal(await page.getByRole('menuitem', { name: '用户管理' }).count(), 0)
  await page.getByRole('menuitem', { name: '审计日志' }).click()
  await page.waitForURL(/\/audit\/logs$/)
  const table = page.locator('.el-table').first()
  await table.getByText('新建单位').first().waitFor()

  const filter = async (action) => {
    await page.getByLabel('操作类型').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: action }).first().click()
    await page.getByRole('button', { name: '搜索' }).click()
  }
  await filter('新建单位')
  const unitRow = page.locator('.el-table__row', { hasText: '新建单位' }).first()
  await unitRow.getByText('admin').waitFor()
  await unitRow.locator('.el-table__expand-icon').click()
  await page.locator('.el-table__expanded-cell').getByText(/第三中学党支部/).first().waitFor()

  await filter('新建用户')
  await page.locator('.el-table__row', { hasText: '新建用户' }).first().waitFor()
  await page.locator('.el-table__row', { hasText: '新建单位' }).waitFor({ state: 'detached' })
  await page.locator('.el-table__row .el-table__expand-icon').first().click()
  await page.locator('.el-table__expanded-cell').getByText(/chenxue/).waitFor()

  await page.getByRole('button', { name: '校验完整性' }).click()
  await page.getByTestId('verify-result').getByText(/哈希链校验通过/).waitFor()
})

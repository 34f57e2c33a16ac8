import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { localClock } from '@yuyue/contracts'
import { expectCount, logIn, logInFresh, openPage } from './support/admin'
import { AdminApi, freshPhone, runTag, venueDay, venueZone } from './support/adminApi'
import { countRows } from './support/database'
import { book, createMiniappUser, whoAmI } from './support/miniapp'
import { saveScreenshot } from './support/screenshots'

const GBK_FIXTURE = resolve(import.meta.dirname, 'fixtures/staff-gbk.csv')
/** The valid numbers of the GBK fixture (its other rows are refused). */
const FIXTURE_NUMBERS = Array.from({ length: 8 }, (_, i) => `1380013800${i + 1}`)

/**
 * An admin's journeys. Each creates what it needs through the API or the sandbox, so each passes
 * alone, repeated, and in any order.
 */

test('an admin logs in (a wrong password is refused first)', async ({ page }) => {
  await page.goto('/')
  await expect(page).toHaveURL(/\/login$/)
  await expect(page.getByRole('heading', { name: '管理员登录' })).toBeVisible()
  await saveScreenshot(page, 'login')

  await logIn(page, 'not-the-password')
  await expect(page.getByRole('alert')).toContainText('用户名或密码错误')

  await logIn(page)
  await expect(page).toHaveURL(/\/$/)
  await expect(page.getByRole('heading', { level: 3, name: '概览' })).toBeVisible()
})

test('imports a GBK CSV: preview counts, progress, result, invalid rows to download', async ({ page }) => {
  // the fixture's numbers are not in the directory yet, and one is bound to a person: promoted
  const admin = await AdminApi.login()
  for (const mobile of FIXTURE_NUMBERS) await admin.removeStaff(mobile)
  await createMiniappUser({ nickname: '陈静', phone: '13800138005' })
  const before = await countRows('staff_directory')

  await logInFresh(page)
  await openPage(page, '工作人员')
  await page.locator('input[type=file]').setInputFiles(GBK_FIXTURE)

  await expect(page.getByText('预览：staff-gbk.csv')).toBeVisible()
  await expect(page.getByText('编码：GBK')).toBeVisible()
  await expectCount(page, '总行数', 13)
  await expectCount(page, '有效', 8)
  await expectCount(page, '无效', 5)
  await expectCount(page, '文件内重复', 2)
  const invalidRows = page.locator('.ant-card').filter({ hasText: '无效的行' }).getByRole('row')
  await expect(invalidRows).toHaveCount(6) // header + 5
  await expect(invalidRows.nth(1)).toContainText('11')
  await expect(invalidRows.nth(1)).toContainText('手机号格式不正确')
  await expect(invalidRows.nth(2)).toContainText('与文件中前面的行重复')
  await expect(invalidRows.nth(4)).toContainText('姓名过长')
  await saveScreenshot(page, 'staff')

  await page.getByRole('button', { name: '确认导入 8 条' }).click()
  await expect(page.getByText('导入完成')).toBeVisible()
  await expect(page.getByRole('progressbar', { name: '导入进度' })).toHaveAttribute('aria-valuenow', '100')
  await expectCount(page, '新增', 8)
  await expectCount(page, '更新', 0)
  await expectCount(page, '升级为工作人员的用户', 1)
  await expectCount(page, '无效', 5)
  await saveScreenshot(page, 'staff-import-result')

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载无效行（5）' }).click(),
  ])
  const csv = await readFile((await download.path())!, 'utf8')
  expect(csv.startsWith('\ufeff行号,手机号,姓名,备注,原因\r\n')).toBe(true)
  expect(
    csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0]),
  ).toEqual(['11', '12', '13', '14', '15'])
  expect(await countRows('staff_directory')).toBe(before + 8)
})

test('staff appear in the list, can be searched and removed after a confirmation', async ({ page }) => {
  const tag = runTag()
  const [bound, other, removed] = [freshPhone(), freshPhone(), freshPhone()]
  const nurse = await createMiniappUser({ nickname: `护士${tag}`, phone: bound })
  const admin = await AdminApi.login()
  await admin.importStaff([
    { mobile: bound, name: `王芳${tag}`, note: '护士站' },
    { mobile: other, name: `李娜${tag}` },
    { mobile: removed, name: `刘洋${tag}`, note: '药房' },
  ])

  await logInFresh(page)
  await openPage(page, '工作人员')
  const list = page.locator('.ant-card').filter({ hasText: '工作人员名录' })
  await expect(list.getByRole('row', { name: new RegExp(`${bound}.*王芳${tag}.*护士站`) })).toBeVisible()
  // the nurse logged in before the import: the entry shows the bound user
  await expect(list.getByRole('row', { name: new RegExp(bound) })).toContainText(`用户 #${nurse.id}`)

  await list.getByRole('searchbox').fill(`刘洋${tag}`)
  await list.getByRole('searchbox').press('Enter')
  await expect(list.getByText('共 1 条')).toBeVisible()
  await list.getByRole('button', { name: `移除 ${removed}` }).click()
  await page.getByRole('tooltip').getByRole('button', { name: '删除', exact: true }).click()
  await expect(page.getByText(`已移除 ${removed}`)).toBeVisible()
  await expect(list.getByRole('row', { name: new RegExp(removed) })).toHaveCount(0)
  await list.getByRole('searchbox').fill(other)
  await list.getByRole('searchbox').press('Enter')
  await expect(list.getByText('共 1 条')).toBeVisible()
  await expect(list.getByRole('row', { name: new RegExp(`${other}.*李娜${tag}`) })).toBeVisible()
})

test('a user is disabled from the users table, and the API then refuses their token', async ({ page }) => {
  const phone = freshPhone()
  const nickname = `陈静${runTag()}`
  const person = await createMiniappUser({ nickname, phone })
  expect((await whoAmI(person.token)).status).toBe(200)

  await logInFresh(page)
  await openPage(page, '用户管理')
  await page.getByRole('searchbox').fill(phone)
  await page.getByRole('searchbox').press('Enter')
  const row = page.getByRole('row', { name: new RegExp(nickname) })
  await expect(row).toContainText('普通用户')
  await expect(row).toContainText(`${phone.slice(0, 3)}****${phone.slice(-4)}`)

  const toggle = row.getByRole('switch', { name: `${nickname} 的启用状态` })
  await expect(toggle).toBeChecked()
  await toggle.click()
  await expect(page.getByRole('tooltip')).toContainText(`确定禁用 ${nickname}`)
  await page.getByRole('tooltip').getByRole('button', { name: '确定', exact: true }).click()
  await expect(toggle).not.toBeChecked()
  await expect(row).toContainText('已禁用')

  await expect.poll(async () => (await whoAmI(person.token)).status).toBe(403)
  expect((await whoAmI(person.token)).body).toMatchObject({ error: { code: 'USER_DISABLED' } })

  // full numbers for admins who need them
  await page.getByLabel('显示完整手机号').check()
  await expect(row).toContainText(phone)
  await saveScreenshot(page, 'users')
})

test('the audit log shows an import, a removal and a disabling, newest first', async ({ page }) => {
  const admin = await AdminApi.login()
  const mobile = freshPhone()
  const person = await createMiniappUser({ nickname: `路人${runTag()}` })
  await admin.importStaff([{ mobile, name: '审计' }])
  await admin.removeStaff(mobile)
  await admin.setDisabled(person.id, true)

  await logInFresh(page)
  // this login is audited too (issue 19): it is the newest entry, above the three made here
  await openPage(page, '操作日志')
  const rows = page.getByRole('row')
  await expect(rows.nth(1)).toContainText('管理员登录')
  await expect(rows.nth(2)).toContainText('禁用用户')
  await expect(rows.nth(2)).toContainText(`用户 #${person.id}`)
  await expect(rows.nth(2)).toContainText('管理员 e2e-admin')
  await expect(rows.nth(3)).toContainText('移除工作人员')
  await expect(rows.nth(4)).toContainText('导入工作人员')
  await expect(rows.nth(4)).toContainText('新增 1')
  await saveScreenshot(page, 'audit')
})

/**
 * Two days inside the booking window (people can book them) with no morning slot yet, so the
 * journey's 09:00-11:30 slots overlap nothing another journey made (those use the afternoons).
 */
async function freeDays(admin: AdminApi): Promise<[string, string]> {
  const zone = await venueZone()
  for (let offset = 1; offset <= 5; offset++) {
    const [from, to] = [await venueDay(offset), await venueDay(offset + 1)]
    const morning = (await admin.slots(from, to)).items.some(
      (slot) => localClock(slot.startsAt, zone) < '12:00',
    )
    if (!morning) return [from, to]
  }
  throw new Error('no two days of the booking window are free in the morning: start with a fresh database')
}

test('slots: create a date range × time ranges, see bookings, delete only where allowed', async ({
  page,
}) => {
  const admin = await AdminApi.login()
  const [from, to] = await freeDays(admin)
  const visitor = await createMiniappUser({ nickname: '路人甲', phone: freshPhone() })

  await logInFresh(page)
  await openPage(page, '预约时段')
  const form = page.locator('.ant-card').filter({ hasText: '批量创建时段' })
  await form.getByPlaceholder('开始日期').click()
  await form.getByPlaceholder('开始日期').fill(from)
  await form.getByPlaceholder('开始日期').press('Enter')
  await form.getByPlaceholder('结束日期').fill(to)
  await form.getByPlaceholder('结束日期').press('Enter')
  await form.getByPlaceholder('开始时间').first().fill('09:00')
  await form.getByPlaceholder('开始时间').first().press('Enter')
  await form.getByPlaceholder('结束时间').first().fill('10:00')
  await form.getByPlaceholder('结束时间').first().press('Enter')
  // the click can land while the time picker's panel is still closing and be taken by it (one CI
  // run under load): click again until the second row is there
  await expect(async () => {
    if ((await form.getByPlaceholder('开始时间').count()) < 2)
      await form.getByRole('button', { name: '添加时间段' }).click()
    await expect(form.getByPlaceholder('开始时间')).toHaveCount(2, { timeout: 2000 })
  }).toPass({ timeout: 15_000 })
  await form.getByPlaceholder('开始时间').nth(1).fill('10:00')
  await form.getByPlaceholder('开始时间').nth(1).press('Enter')
  await form.getByPlaceholder('结束时间').nth(1).fill('11:30')
  await form.getByPlaceholder('结束时间').nth(1).press('Enter')
  await form.getByLabel('每个时段可约人数').fill('5')
  await form.getByLabel('标题').fill('上午门诊')
  await form.getByRole('button', { name: '创建时段' }).click()
  await expect(page.getByText('已创建 4 个时段')).toBeVisible()

  const day = page.locator('.ant-card').filter({ hasText: '按日查看' })
  await expect(day).toContainText(from)
  await expect(day.getByRole('row', { name: /09:00 – 10:00.*上午门诊.*0 \/ 5/ })).toBeVisible()
  await expect(day.getByRole('row', { name: /10:00 – 11:30.*上午门诊/ })).toBeVisible()

  // a visitor books the 09:00 slot in the mini-program
  const slots = await fetch(`${process.env.YUYUE_E2E_API_URL}/api/slots?date=${from}`, {
    headers: { authorization: `Bearer ${visitor.token}` },
  }).then((r) => r.json() as Promise<{ items: { id: number; startsAt: string }[] }>)
  await book(visitor.token, slots.items[0]!.id)
  await day.getByRole('button', { name: '刷新', exact: true }).click()
  await expect(day.getByRole('row', { name: /09:00 – 10:00.*1 \/ 5/ })).toBeVisible()

  await day.getByRole('button', { name: '删除 09:00 上午门诊' }).click()
  await page.getByRole('tooltip').getByRole('button', { name: '删除', exact: true }).click()
  await expect(page.getByRole('dialog')).toContainText('该时段仍有有效预约，无法删除')
  await page.getByRole('dialog').getByRole('button', { name: '知道了', exact: true }).click()

  await day.getByRole('button', { name: '删除 10:00 上午门诊' }).click()
  await page.getByRole('tooltip').getByRole('button', { name: '删除', exact: true }).click()
  await expect(page.getByText('已删除时段')).toBeVisible()
  await expect(day.getByRole('row', { name: /10:00 – 11:30/ })).toHaveCount(0)

  // the same range again overlaps what exists
  await form.getByRole('button', { name: '创建时段' }).click()
  await expect(form.getByRole('alert')).toContainText('重叠')
  await saveScreenshot(page, 'slots')
})

test('the overview shows the counts the API keeps', async ({ page }) => {
  const admin = await AdminApi.login()
  const person = await createMiniappUser({ nickname: `概览${runTag()}` })
  await admin.setDisabled(person.id, true)
  const stats = await admin.stats()
  expect(stats.disabledUsers).toBeGreaterThan(0)

  await logInFresh(page)
  const stat = (name: string | RegExp) =>
    page.getByRole('link', { name }).locator('.ant-statistic-content-value')
  await expect(stat('用户总数')).toHaveText(stats.users.toLocaleString('en-US'))
  await expect(stat('工作人员（已绑定）')).toHaveText(stats.staff.toLocaleString('en-US'))
  await expect(stat('已禁用用户')).toHaveText(stats.disabledUsers.toLocaleString('en-US'))
  await expect(stat('工作人员名录')).toHaveText(stats.staffDirectory.toLocaleString('en-US'))
  await expect(stat(/今日预约/)).toHaveText(stats.todayBookings.toLocaleString('en-US'))
  const messages = page.getByLabel(/订阅消息/)
  await expect(messages.locator('.ant-statistic-content-value')).toHaveText(
    (['pending', 'sent', 'failed', 'unknown'] as const).map((s) => stats.messages[s].toLocaleString('en-US')),
  )
  await saveScreenshot(page, 'overview')
})

test('a dead session sends the admin to login and back to where they were', async ({ page }) => {
  const phone = freshPhone()
  const nickname = `路人${runTag()}`
  await createMiniappUser({ nickname, phone })
  await logInFresh(page)

  await page.evaluate(() => {
    const key = 'yuyue.admin.session'
    const session = JSON.parse(sessionStorage.getItem(key)!)
    sessionStorage.setItem(key, JSON.stringify({ ...session, token: 'revoked-token' }))
  })
  await page.goto(`/users?q=${phone}`)
  await expect(page).toHaveURL(new RegExp(`/login\\?redirect=%2Fusers%3Fq%3D${phone}`))
  await expect(page.getByText('登录已过期，请重新登录')).toBeVisible()
  await logIn(page)
  await expect(page).toHaveURL(new RegExp(`/users\\?q=${phone}$`))
  await expect(page.getByRole('row', { name: new RegExp(nickname) })).toBeVisible()

  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('heading', { level: 3, name: 'Users' })).toBeVisible()
  await page.getByRole('button', { name: '中文' }).click()

  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/login$/)
  await page.goto('/audit')
  await expect(page).toHaveURL(/\/login\?redirect=%2Faudit$/)
})

import { fileURLToPath } from 'node:url'
import { type BrowserContext, expect, type Page, test } from '@playwright/test'
import { addDays, shanghaiDate } from '../src/utils/shanghaiTime'
import { AdminApi } from './adminApi'
import { button, expectOnPage, openApp, openTab, pickDay, pickPhone, slotCell, toast } from './pages'
import { screenshot } from './screens'

const USER_PHONE = '13800138000'
const STAFF_PHONE = '13900000000'
const NICKNAME = '小明'

test.describe.configure({ mode: 'serial' })

let admin: AdminApi
let user: { context: BrowserContext; page: Page }

test.beforeAll(async () => {
  admin = await AdminApi.login()
  const tomorrow = addDays(shanghaiDate(Date.now()), 1)
  await admin.createSlots({
    from: tomorrow,
    to: addDays(tomorrow, 1),
    times: [
      { start: '09:00', end: '10:00' },
      { start: '10:00', end: '11:00' },
    ],
    capacity: 2,
    title: '健康体检',
  })
})

test.afterAll(async () => {
  await user?.context.close()
})

test('a new user is logged in with no tap and browses slots', async ({ browser }) => {
  // hold the silent login for a moment, to see (and photograph) the launch page
  let releaseLogin = () => {}
  const loginHeld = new Promise<void>((resolve) => {
    releaseLogin = resolve
  })
  user = await openApp(browser, (page) =>
    page.route('**/api/auth/wx-login', async (route) => {
      await loginHeld
      await route.continue()
    }),
  )
  const { page } = user
  await expect(page.getByText('正在登录…')).toBeVisible()
  await screenshot(page, 'launch')
  releaseLogin()

  await expectOnPage(page, 'pages/home/index')
  await expect(page.getByText('验证手机号后即可预约')).toBeVisible()
  await expect(page.getByText('当天暂无可预约时段')).toBeVisible()

  // by keyboard: the day tabs and the slot buttons are named buttons with a tab stop
  const tomorrow = page.getByRole('button', { name: /^明天 / })
  await tomorrow.focus()
  await expect(tomorrow).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(tomorrow).toHaveAttribute('aria-pressed', 'true')
  await expect(slotCell(page, '09:00 - 10:00')).toContainText('剩余 2/2')
  await expect(slotCell(page, '10:00 - 11:00')).toBeVisible()
  const book = page.getByRole('button', { name: '预约 09:00 - 10:00 健康体检' })
  await book.focus()
  await expect(book).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: '预约 10:00 - 11:00 健康体检' })).toBeFocused()
  await screenshot(page, 'home')
})

test('booking asks for the phone: the agreement popup, a picked phone, then the booking is made', async () => {
  const { page } = user
  await button(slotCell(page, '09:00 - 10:00'), '预约').click()

  await expect(page.getByText('用户隐私保护提示')).toBeVisible()
  await expect(page.getByText('《预约小程序隐私保护指引》')).toBeVisible()
  await screenshot(page, 'privacy-agreement')
  await button(page, '同意并继续').click()

  await expect(page.getByRole('dialog', { name: '选择手机号（沙箱）' })).toBeVisible()
  await screenshot(page, 'phone-picker-sandbox')
  await pickPhone(page, USER_PHONE)

  await expect(toast(page, '预约成功')).toBeVisible()
  await expect(button(slotCell(page, '09:00 - 10:00'), '已预约')).toBeVisible()
  await expect(slotCell(page, '09:00 - 10:00')).toContainText('剩余 1/2')
  await expect(page.getByText('验证手机号后即可预约')).toHaveCount(0)
})

test('a reload shows home with no tap, the same person and their booking', async () => {
  const { page } = user
  await page.reload()
  await expectOnPage(page, 'pages/home/index')
  await pickDay(page, '明天')
  await expect(button(slotCell(page, '09:00 - 10:00'), '已预约')).toBeVisible()
  await expect(page.getByText('验证手机号后即可预约')).toHaveCount(0)

  await openTab(page, '我的预约')
  const booking = page.locator('.booking-card').filter({ hasText: '健康体检' })
  await expect(booking).toContainText('已预约')
  await expect(button(booking, '取消预约')).toBeVisible()
  await screenshot(page, 'my-bookings')

  await openTab(page, '我的')
  await expect(page.getByText('138****8000')).toBeVisible()
  await expect(page.getByText('普通用户')).toBeVisible()
})

test('the profile saves a nickname and uploads an avatar chosen with chooseAvatar', async () => {
  const { page } = user
  await page.locator('.profile-nickname input').fill(NICKNAME)
  // saved once the review after blur passed (the sandbox passes it; WeChat may not)
  await page.locator('.profile-nickname input').blur()
  await expect(toast(page, '昵称已保存')).toBeVisible()

  const chooser = page.waitForEvent('filechooser')
  await page.locator('.profile-head__avatar').click()
  await (await chooser).setFiles(
    fileURLToPath(new URL('../src/assets/tab/profile-active.png', import.meta.url)),
  )
  await expect(toast(page, '头像已更新')).toBeVisible()
  const avatar = page.locator('.profile-head__image img')
  await expect(avatar).toHaveAttribute('src', /\/api\/uploads\/avatars\/\d+-[0-9a-f]{24}\.png$/)
  await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(81)

  // what the API now says about this person
  await page.reload()
  await expect(page.locator('.profile-nickname input')).toHaveValue(NICKNAME)
  await expect(avatar).toHaveAttribute('src', /\/api\/uploads\/avatars\//)
  await screenshot(page, 'profile')
})

test('a refusal leaves a new user browsing, with a clear message', async ({ browser }) => {
  const { context, page } = await openApp(browser)
  await expectOnPage(page, 'pages/home/index')
  await pickDay(page, '明天')
  await button(slotCell(page, '10:00 - 11:00'), '预约').click()
  await button(page, '不同意').click()
  await expect(toast(page, '未同意隐私保护指引')).toBeVisible()
  await expect(slotCell(page, '10:00 - 11:00')).toBeVisible()

  await button(slotCell(page, '10:00 - 11:00'), '预约').click()
  await button(page, '同意并继续').click()
  await pickPhone(page, '拒绝授权')
  await expect(toast(page, '你已取消手机号授权')).toBeVisible()
  await expect(button(slotCell(page, '10:00 - 11:00'), '预约')).toBeVisible()
  await expect(page.getByText('验证手机号后即可预约')).toBeVisible()

  // the profile's 快捷登录 is the one-tap button too: straight to the phone sheet
  await openTab(page, '我的')
  const phoneCell = page.locator('.cell').filter({ hasText: '手机号' })
  await button(phoneCell, '快捷登录').click()
  await pickPhone(page, '拒绝授权')
  await expect(toast(page, '你已取消手机号授权')).toBeVisible()
  await expect(button(phoneCell, '快捷登录')).toBeVisible()
  await context.close()
})

test('a person whose phone was imported as staff lands on the staff view and checks the booking in', async ({
  browser,
}) => {
  const imported = await admin.importStaff([{ mobile: STAFF_PHONE, name: '前台小王' }])
  expect(imported.inserted).toBe(1)

  const { context, page } = await openApp(browser)
  await expectOnPage(page, 'pages/home/index')
  // one tap agrees to the privacy guide and asks for the number: no agreement sheet in between
  await button(page.locator('.home-notice'), '快捷登录').click()
  await expect(page.getByRole('dialog', { name: '选择手机号（沙箱）' })).toBeVisible()
  await expect(page.getByText('用户隐私保护提示')).toHaveCount(0)
  await pickPhone(page, STAFF_PHONE)

  await expectOnPage(page, 'secondary/staff/index')
  await expect(page.getByText('当天没有预约时段')).toBeVisible()
  await page.getByText('后一天 ›').click()
  const slot = page.locator('.staff-slot').filter({ hasText: '09:00 - 10:00' })
  await expect(slot).toContainText('已约 1/2')
  const entry = slot.locator('.cell').filter({ hasText: '138****8000' })
  await expect(entry).toContainText('待签到')
  await expect(entry).toContainText(NICKNAME)
  await screenshot(page, 'staff-bookings')

  await button(entry, '签到').click()
  await expect(toast(page, '签到成功')).toBeVisible()
  await expect(entry).toContainText('已签到')
  await expect(button(entry, '签到')).toHaveCount(0)
  await context.close()

  // the person who booked sees it too
  await openTab(user.page, '我的预约')
  await user.page.reload()
  await expect(user.page.locator('.booking-card').filter({ hasText: '健康体检' })).toContainText('已签到')
})

test('a user disabled through the admin API sees the blocked page on the next action', async () => {
  const { page } = user
  // the home tab loads its slots when shown: let that finish before disabling, so the refusal
  // comes from the next action and not from a load that was still in flight
  const slotsLoaded = page.waitForResponse((response) => response.url().includes('/api/slots'))
  await openTab(page, '预约')
  await expectOnPage(page, 'pages/home/index')
  await slotsLoaded
  const person = await admin.userByMobile(USER_PHONE)
  await admin.setDisabled(person.id, true)

  await pickDay(page, '后天')
  await expectOnPage(page, 'secondary/blocked/index')
  // the blocked page itself (pages being left may still show their own "blocked" state for a moment)
  await expect(page.locator('.blocked').getByText('账号已被禁用')).toBeVisible()
  await screenshot(page, 'blocked')

  // enabled again: their old token is refused (401), a silent login brings them back
  await admin.setDisabled(person.id, false)
  await button(page, '重新检查').click()
  await expectOnPage(page, 'pages/home/index')
})

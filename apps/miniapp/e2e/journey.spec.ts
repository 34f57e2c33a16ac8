import { fileURLToPath } from 'node:url'
import { expect, type Page, test } from '@playwright/test'
import { relativeDayName } from '../src/utils/venueTime'
import { AdminApi } from './adminApi'
import {
  answerModal,
  button,
  expectOnPage,
  openApp,
  openTab,
  pickDay,
  pickPhone,
  slotCell,
  toast,
} from './pages'
import {
  book,
  createOwnSlot,
  createPerson,
  createSoonSlot,
  freshPhone,
  type OwnSlot,
  openAppAs,
  venueDay,
} from './people'
import { screenshot } from './screens'

/**
 * A person's journeys in the H5 build. Each makes its own slot (a free hour in the days the home
 * page shows) and its own people through the API and the sandbox, so each passes alone, repeated
 * and in any order.
 */

let admin: AdminApi

test.beforeAll(async () => {
  admin = await AdminApi.login()
})

/** The home page's tab for the slot's day (明天, 后天 or the weekday). */
async function dayTabOf(slot: OwnSlot): Promise<string> {
  return relativeDayName(slot.date, await venueDay(0))
}

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`

/** The sandbox phone sheet's own input: a number typed instead of one of its options. */
async function typePhone(page: Page, phone: string): Promise<void> {
  const sheet = page.getByRole('dialog', { name: '选择手机号（沙箱）' })
  await expect(sheet).toBeVisible()
  await sheet.getByPlaceholder('其他手机号，如 13700001111').fill(phone)
  await sheet.getByRole('button', { name: '使用' }).click()
}

test('a new user is logged in with no tap and browses slots', async ({ browser }) => {
  const slot = await createOwnSlot(admin, { hours: 2 })
  // hold the silent login for a moment, to see (and photograph) the launch page
  let releaseLogin = () => {}
  const loginHeld = new Promise<void>((resolve) => {
    releaseLogin = resolve
  })
  const { context, page } = await openApp(browser, (page) =>
    page.route('**/api/auth/wx-login', async (route) => {
      await loginHeld
      await route.continue()
    }),
  )
  await expect(page.getByText('正在登录…')).toBeVisible()
  await screenshot(page, 'launch')
  releaseLogin()

  await expectOnPage(page, 'pages/home/index')
  await expect(page.getByText('验证手机号后即可预约')).toBeVisible()
  await expect(page.getByText('当天暂无可预约时段')).toBeVisible()

  // by keyboard: the day tabs and the slot buttons are named buttons with a tab stop
  const day = page.getByRole('button', { name: new RegExp(`^${await dayTabOf(slot)} `) })
  await day.focus()
  await expect(day).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(day).toHaveAttribute('aria-pressed', 'true')
  await expect(slotCell(page, slot.time)).toContainText('剩余 2/2')
  await expect(slotCell(page, slot.next)).toBeVisible()
  const book = page.getByRole('button', { name: `预约 ${slot.time} 健康体检` })
  await book.focus()
  await expect(book).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: `预约 ${slot.next} 健康体检` })).toBeFocused()
  await screenshot(page, 'home')
  await context.close()
})

test('booking asks for the phone: the agreement popup, a picked phone, then the booking is made', async ({
  browser,
}) => {
  const slot = await createOwnSlot(admin)
  const { context, page } = await openApp(browser)
  await expectOnPage(page, 'pages/home/index')
  await pickDay(page, await dayTabOf(slot))
  await button(slotCell(page, slot.time), '预约').click()

  await expect(page.getByText('用户隐私保护提示')).toBeVisible()
  await expect(page.getByText('《预约小程序隐私保护指引》')).toBeVisible()
  await screenshot(page, 'privacy-agreement')
  await button(page, '同意并继续').click()

  await expect(page.getByRole('dialog', { name: '选择手机号（沙箱）' })).toBeVisible()
  await screenshot(page, 'phone-picker-sandbox')
  await typePhone(page, freshPhone())

  await expect(toast(page, '预约成功')).toBeVisible()
  await expect(button(slotCell(page, slot.time), '已预约')).toBeVisible()
  await expect(slotCell(page, slot.time)).toContainText('剩余 1/2')
  await expect(page.getByText('验证手机号后即可预约')).toHaveCount(0)
  await context.close()
})

test('a reload shows home with no tap, the same person and their booking', async ({ browser }) => {
  const slot = await createOwnSlot(admin)
  const phone = freshPhone()
  const person = await createPerson({ phone })
  await book(person, slot.id)

  const { context, page } = await openAppAs(browser, person)
  await expectOnPage(page, 'pages/home/index')
  await page.reload()
  await expectOnPage(page, 'pages/home/index')
  await pickDay(page, await dayTabOf(slot))
  await expect(button(slotCell(page, slot.time), '已预约')).toBeVisible()
  await expect(page.getByText('验证手机号后即可预约')).toHaveCount(0)

  await openTab(page, '我的预约')
  const booking = page.locator('.booking-card').filter({ hasText: '健康体检' })
  await expect(booking).toContainText('已预约')
  await expect(button(booking, '取消预约')).toBeVisible()
  await screenshot(page, 'my-bookings')

  await openTab(page, '我的')
  await expect(page.getByText(masked(phone))).toBeVisible()
  await expect(page.getByText('普通用户')).toBeVisible()
  await context.close()
})

test('the profile saves a nickname and uploads an avatar chosen with chooseAvatar', async ({ browser }) => {
  const person = await createPerson({ phone: freshPhone() })
  const { context, page } = await openAppAs(browser, person)
  await expectOnPage(page, 'pages/home/index')
  await openTab(page, '我的')
  await page.locator('.profile-nickname input').fill('小明')
  // saved once the review after blur passed (the sandbox passes it; WeChat may not)
  await page.locator('.profile-nickname input').blur()
  await expect(toast(page, '昵称已保存')).toBeVisible()

  // this phone has not agreed to the privacy guide yet: chooseAvatar asks first
  await page.locator('.profile-head__avatar').click()
  // (the home tab's page stays mounted with a popup of its own: take the one shown)
  await expect(page.getByText('用户隐私保护提示').filter({ visible: true })).toBeVisible()
  const chooser = page.waitForEvent('filechooser')
  await button(page, /^同意$/)
    .filter({ visible: true })
    .click()
  await (await chooser).setFiles(
    fileURLToPath(new URL('../src/assets/tab/profile-active.png', import.meta.url)),
  )
  await expect(toast(page, '头像已更新')).toBeVisible()
  const avatar = page.locator('.profile-head__image img')
  await expect(avatar).toHaveAttribute('src', /\/api\/uploads\/avatars\/\d+-[0-9a-f]{24}\.png$/)
  await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(81)

  // what the API now says about this person
  await page.reload()
  await expect(page.locator('.profile-nickname input')).toHaveValue('小明')
  await expect(avatar).toHaveAttribute('src', /\/api\/uploads\/avatars\//)
  await screenshot(page, 'profile')
  await context.close()
})

test('a refusal leaves a new user browsing, with a clear message', async ({ browser }) => {
  const slot = await createOwnSlot(admin)
  const { context, page } = await openApp(browser)
  await expectOnPage(page, 'pages/home/index')
  await pickDay(page, await dayTabOf(slot))
  await button(slotCell(page, slot.time), '预约').click()
  await button(page, '不同意').click()
  await expect(toast(page, '未同意隐私保护指引')).toBeVisible()
  await expect(slotCell(page, slot.time)).toBeVisible()

  await button(slotCell(page, slot.time), '预约').click()
  await button(page, '同意并继续').click()
  await pickPhone(page, '拒绝授权')
  await expect(toast(page, '你已取消手机号授权')).toBeVisible()
  await expect(button(slotCell(page, slot.time), '预约')).toBeVisible()
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
  // check-in opens 30 minutes before the start (the default rule): a slot starting soon, today
  const slot = await createSoonSlot(admin)
  test.skip(slot === null, 'no free slot fits before midnight')
  if (!slot) return
  const visitorPhone = freshPhone()
  const nickname = `小明${visitorPhone.slice(-4)}`
  const visitor = await createPerson({ phone: visitorPhone, nickname })
  await book(visitor, slot.id)
  const staffPhone = freshPhone()
  const imported = await admin.importStaff([{ mobile: staffPhone, name: '前台小王' }])
  expect(imported.inserted).toBe(1)

  const { context, page } = await openApp(browser)
  await expectOnPage(page, 'pages/home/index')
  // one tap agrees to the privacy guide and asks for the number: no agreement sheet in between
  await button(page.locator('.home-notice'), '快捷登录').click()
  await expect(page.getByRole('dialog', { name: '选择手机号（沙箱）' })).toBeVisible()
  await expect(page.getByText('用户隐私保护提示')).toHaveCount(0)
  await typePhone(page, staffPhone)

  await expectOnPage(page, 'secondary/staff/index')
  const staffSlot = page.locator('.staff-slot').filter({ hasText: slot.time })
  await expect(staffSlot).toContainText('已约 1/2')
  const entry = staffSlot.locator('.cell').filter({ hasText: masked(visitorPhone) })
  await expect(entry).toContainText('待签到')
  await expect(entry).toContainText(nickname)
  await screenshot(page, 'staff-bookings')

  await button(entry, /^签到$/).click()
  // a tap check-in asks first: a wrong tap would mark someone present who is not
  expect(await answerModal(page, '确认签到', '签到')).toContain(masked(visitorPhone))
  await expect(toast(page, '签到成功')).toBeVisible()
  await expect(entry).toContainText('已签到')
  await expect(button(entry, /^签到$/)).toHaveCount(0)
  await expect(button(entry, '撤销签到')).toBeVisible()
  await context.close()

  // the person who booked sees it too
  const visitorApp = await openAppAs(browser, visitor)
  await expectOnPage(visitorApp.page, 'pages/home/index')
  await openTab(visitorApp.page, '我的预约')
  await expect(visitorApp.page.locator('.booking-card').filter({ hasText: '健康体检' })).toContainText(
    '已签到',
  )
  await visitorApp.context.close()
})

test('a user disabled through the admin API sees the blocked page on the next action', async ({
  browser,
}) => {
  const slot = await createOwnSlot(admin)
  const person = await createPerson({ phone: freshPhone() })
  // the home page loads its slots when shown: let that finish before disabling, so the refusal
  // comes from the next action and not from a load that was still in flight
  let slotsLoaded: Promise<unknown> = Promise.resolve()
  const { context, page } = await openAppAs(browser, person, async (page) => {
    slotsLoaded = page.waitForResponse((response) => response.url().includes('/api/slots'))
  })
  await expectOnPage(page, 'pages/home/index')
  await slotsLoaded
  await admin.setDisabled(person.id, true)

  await pickDay(page, await dayTabOf(slot))
  await expectOnPage(page, 'secondary/blocked/index')
  // the blocked page itself (pages being left may still show their own "blocked" state for a moment)
  await expect(page.locator('.blocked').getByText('账号已被禁用')).toBeVisible()
  await screenshot(page, 'blocked')

  // enabled again: their old token is refused (401), a silent login brings them back
  await admin.setDisabled(person.id, false)
  await button(page, '重新检查').click()
  await expectOnPage(page, 'pages/home/index')
  await context.close()
})

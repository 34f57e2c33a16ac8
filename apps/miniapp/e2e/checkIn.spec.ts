import { expect, test } from '@playwright/test'
import { AdminApi } from './adminApi'
import { answerModal, button, expectOnPage, openTab, toast } from './pages'
import { book, createPerson, createSoonSlot, freshPhone, openAppAs } from './people'
import { screenshot } from './screens'

/**
 * Scan to check in across two phones in the H5 build: the person shows the 预约码, staff "scan"
 * it (the sandbox's stand-in for wx.scanCode takes the code's text), and the person's booking
 * reads 已签到. The journey makes its own slot, person and staff member.
 */

let admin: AdminApi
/** today's slots this file made: withdrawn after each journey, so today's list is as others expect it */
const soonSlots: number[] = []

test.beforeAll(async () => {
  admin = await AdminApi.login()
})

test.afterEach(async () => {
  for (const id of soonSlots.splice(0)) await admin.withdrawSlot(id, '测试结束')
})

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`

test('the person shows the 预约码, staff scan it and confirm, the booking reads 已签到', async ({
  browser,
}) => {
  // check-in opens 30 minutes before the start (the default rule): a slot starting soon, today
  const slot = await createSoonSlot(admin)
  test.skip(slot === null, 'no free slot fits before midnight')
  if (!slot) return
  soonSlots.push(slot.id)
  const visitorPhone = freshPhone()
  const nickname = `小红${visitorPhone.slice(-4)}`
  const visitor = await createPerson({ phone: visitorPhone, nickname })
  await book(visitor, slot.id)
  const staffPhone = freshPhone()
  await admin.importStaff([{ mobile: staffPhone, name: '前台小李' }])
  const staff = await createPerson({ phone: staffPhone })

  // the person's phone: 我的预约 → 预约码, a QR drawn on a canvas with its text under it
  const mine = await openAppAs(browser, visitor)
  await expectOnPage(mine.page, 'pages/home/index')
  await openTab(mine.page, '我的预约')
  const card = mine.page.locator('.booking-card').filter({ hasText: slot.time.replace(' - ', '-') })
  await button(card, '预约码').click()
  await expectOnPage(mine.page, 'secondary/booking-code/index')
  const codeText = mine.page.locator('.booking-code__text')
  await expect(codeText).toHaveText(/^Y1\./)
  const code = (await codeText.textContent())!.trim()
  // the canvas holds the QR: a square bitmap with dark modules drawn
  const drawnOf = () =>
    mine.page
      .locator('#booking-qr canvas, canvas#booking-qr')
      .first()
      .evaluate((node) => {
        const canvas = node as HTMLCanvasElement
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
        let dark = 0
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128 && pixels[i + 3]! > 0) dark++
        return { width: canvas.width, height: canvas.height, dark }
      })
  // the text shows at once; the page draws the QR once the canvas node is there (drawCode)
  await expect.poll(async () => (await drawnOf()).dark).toBeGreaterThan(0)
  const drawn = await drawnOf()
  expect(drawn.width).toBe(drawn.height)
  expect(drawn.dark).toBeGreaterThan(drawn.width * 4)
  await screenshot(mine.page, 'booking-code')

  // the staff's phone: 扫码签到 → who and which slot → 签到
  const desk = await openAppAs(browser, staff)
  await expectOnPage(desk.page, 'secondary/staff/index')
  await expect(desk.page.locator('.staff-totals')).toContainText('未到 1')
  await button(desk.page, '扫码签到').click()
  const sheet = desk.page.getByRole('dialog', { name: '扫码（沙箱）' })
  await sheet.getByPlaceholder('预约码').fill(code)
  await sheet.getByRole('button', { name: '确定' }).click()
  const shown = await answerModal(desk.page, '确认签到', '签到')
  expect(shown).toContain(nickname)
  expect(shown).toContain(masked(visitorPhone))
  await expect(toast(desk.page, '签到成功')).toBeVisible()
  const entry = desk.page.locator('.staff-slot').filter({ hasText: slot.time }).locator('.cell')
  await expect(entry.filter({ hasText: nickname })).toContainText('已签到')
  await expect(desk.page.locator('.staff-totals')).toContainText('已签到 1')
  await screenshot(desk.page, 'staff-scanned')
  await desk.context.close()

  // back on the person's phone: the code is spent, and 我的预约 reads 已签到
  await button(mine.page, '刷新').click()
  await expect(mine.page.getByText('该预约已取消或已签到')).toBeVisible()
  await button(mine.page, '查看我的预约').click()
  await expectOnPage(mine.page, 'pages/bookings/index')
  await expect(card).toContainText('已签到')
  await mine.context.close()
})

test('a staff member finds a person by phone tail, and undoes a check-in within ten minutes', async ({
  browser,
}) => {
  const slot = await createSoonSlot(admin)
  test.skip(slot === null, 'no free slot fits before midnight')
  if (!slot) return
  soonSlots.push(slot.id)
  const phones = [freshPhone(), freshPhone()]
  for (const phone of phones) await book(await createPerson({ phone }), slot.id)
  const staffPhone = freshPhone()
  await admin.importStaff([{ mobile: staffPhone }])
  const desk = await openAppAs(browser, await createPerson({ phone: staffPhone }))
  await expectOnPage(desk.page, 'secondary/staff/index')
  const daySlot = desk.page.locator('.staff-slot').filter({ hasText: slot.time })
  await expect(daySlot.locator('.cell')).toHaveCount(2)

  await desk.page.getByRole('textbox', { name: '搜索昵称或手机尾号' }).fill(phones[1]!.slice(-4))
  await expect(daySlot.locator('.cell')).toHaveCount(1)
  const entry = daySlot.locator('.cell').filter({ hasText: masked(phones[1]!) })
  await button(entry, /^签到$/).click()
  await answerModal(desk.page, '确认签到', '签到')
  await expect(entry).toContainText('已签到')
  await button(entry, '撤销签到').click()
  await answerModal(desk.page, '撤销签到', '撤销')
  await expect(toast(desk.page, '已撤销')).toBeVisible()
  await expect(entry).toContainText('待签到')
  await expect(button(entry, '撤销签到')).toHaveCount(0)
  await desk.context.close()
})

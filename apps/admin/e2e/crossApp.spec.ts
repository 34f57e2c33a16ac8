import { expect, test } from '@playwright/test'
import { logInFresh, openPage } from './support/admin'
import { AdminApi, freeHourSoon, freshPhone, runTag } from './support/adminApi'
import { book, createMiniappUser, openMiniappAs } from './support/miniapp'

/**
 * Journeys across the two apps: what an admin does in the dashboard, read by the person in the
 * mini-program (its H5 build, on a phone-sized page of its own). Each makes its own slot and person.
 */

test('the admin cancels a booking with a reason; the person reads 已取消 and the reason in 我的预约', async ({
  page,
  browser,
}) => {
  const admin = await AdminApi.login()
  const tag = runTag()
  const { day, start, end } = await freeHourSoon(admin)
  const title = `跨端${tag}`
  const slot = await admin.createSlot(day, start, end, title)
  const phone = freshPhone()
  const person = await createMiniappUser({ phone })
  await book(person.token, slot.id)

  // the person's phone first: the booking is there, still to come
  const phoneApp = await openMiniappAs(browser, person)
  await phoneApp
    .locator('.weui-tabbar__item')
    .filter({ hasText: /^我的预约$/ })
    .click()
  const card = phoneApp.locator('.booking-card').filter({ hasText: title })
  await expect(card).toContainText('已预约')

  // the dashboard: the slot's list, cancel with a reason
  await logInFresh(page)
  await openPage(page, '预约时段')
  const list = page.locator('.ant-card').filter({ hasText: '按日查看' })
  await list.getByLabel('日期').fill(day)
  await list.getByLabel('日期').press('Enter')
  await list.getByRole('link', { name: `查看 ${start.padStart(5, '0')} ${title} 的预约名单` }).click()
  const row = page.getByRole('row').filter({ hasText: phone })
  await row.getByRole('button', { name: /^取消 .* 的预约$/ }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('原因').fill('场馆临时维修')
  await dialog.getByRole('button', { name: '取消预约' }).click()
  await expect(row).toContainText('已取消')

  // back on the phone: pulled down (or shown again), 我的预约 says who cancelled and why
  await phoneApp.reload()
  await phoneApp
    .locator('.weui-tabbar__item')
    .filter({ hasText: /^我的预约$/ })
    .click()
  await expect(card).toContainText('已取消')
  await expect(card).toContainText('管理员取消：场馆临时维修')
  await expect(card.locator('taro-button-core')).toHaveCount(0)
  await phoneApp.context().close()
})

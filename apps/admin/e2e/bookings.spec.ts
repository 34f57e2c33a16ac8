import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import type { MyBookingsResponse } from '@yuyue/contracts'
import { logInFresh, openPage } from './support/admin'
import { AdminApi, freeHourSoon, freshPhone, runTag } from './support/adminApi'
import { e2eEnv } from './support/env'
import { book, createMiniappUser } from './support/miniapp'

/**
 * 预约管理, slot changes and the booking rules. Each journey makes its own slot and people through
 * the API, so each passes alone, repeated, and in any order.
 */

async function myBookings(token: string) {
  const response = await fetch(`${e2eEnv.apiUrl}/api/bookings/mine`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return (await response.json()) as MyBookingsResponse
}

test('a slot’s list shows who booked; the admin cancels one with a reason the person then reads', async ({
  page,
}) => {
  const admin = await AdminApi.login()
  const tag = runTag()
  const { day, start, end } = await freeHourSoon(admin)
  const slot = await admin.createSlot(day, start, end, `名单${tag}`)
  const phone = freshPhone()
  const person = await createMiniappUser({ phone })
  await book(person.token, slot.id)

  await logInFresh(page)
  await openPage(page, '预约时段')
  const list = page.locator('.ant-card').filter({ hasText: '按日查看' })
  await list.getByLabel('日期').fill(day)
  await list.getByLabel('日期').press('Enter')
  await list.getByRole('link', { name: `查看 ${start.padStart(5, '0')} 名单${tag} 的预约名单` }).click()

  await expect(page.getByRole('heading', { level: 3, name: '预约管理' })).toBeVisible()
  await expect(page.getByText(`时段 #${slot.id} 的预约名单`)).toBeVisible()
  const row = page.getByRole('row').filter({ hasText: phone })
  await expect(row).toContainText('已预约')
  await row.getByRole('button', { name: /^取消 .* 的预约$/ }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: '取消预约' }).click()
  await expect(dialog).toContainText('请填写原因')
  await dialog.getByLabel('原因').fill('场馆临时维修')
  await dialog.getByRole('button', { name: '取消预约' }).click()
  await expect(page.getByText('已取消预约')).toBeVisible()
  await expect(row).toContainText('已取消')
  await expect(row).toContainText('管理员取消')
  await expect(row).toContainText('场馆临时维修')

  // what the person's 我的预约 reads
  const mine = await myBookings(person.token)
  expect(mine.items.find((b) => b.slot.id === slot.id)).toMatchObject({
    status: 'cancelled',
    cancelledBy: 'admin',
    cancelReason: '场馆临时维修',
  })
})

test('edits a slot’s capacity (never below the booked places) and withdraws it with its bookings', async ({
  page,
}) => {
  const admin = await AdminApi.login()
  const tag = runTag()
  const { day, start, end } = await freeHourSoon(admin)
  const title = `撤销${tag}`
  const slot = await admin.createSlot(day, start, end, title)
  const people = [
    await createMiniappUser({ phone: freshPhone() }),
    await createMiniappUser({ phone: freshPhone() }),
  ]
  for (const p of people) await book(p.token, slot.id)
  const time = start.padStart(5, '0')

  await logInFresh(page)
  await openPage(page, '预约时段')
  const list = page.locator('.ant-card').filter({ hasText: '按日查看' })
  await list.getByLabel('日期').fill(day)
  await list.getByLabel('日期').press('Enter')
  await expect(list.getByRole('row', { name: new RegExp(`${title}.*2 / 5`) })).toBeVisible()

  await list.getByRole('button', { name: `编辑 ${time} ${title}` }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('每个时段可约人数').fill('1')
  await dialog.getByRole('button', { name: /确\s*定/ }).click()
  await expect(dialog).toContainText('容量不能少于 2')
  await dialog.getByLabel('每个时段可约人数').fill('2')
  await dialog.getByLabel('标题').fill(`${title}改`)
  await dialog.getByRole('button', { name: /确\s*定/ }).click()
  await expect(page.getByText('已保存时段')).toBeVisible()
  await expect(list.getByRole('row', { name: new RegExp(`${title}改.*2 / 2`) })).toBeVisible()

  await list.getByRole('button', { name: `撤销 ${time} ${title}改` }).click()
  const withdraw = page.getByRole('dialog')
  await expect(withdraw).toContainText('该时段的 2 个有效预约将被取消')
  await withdraw.getByLabel('原因').fill('停电')
  await withdraw.getByRole('button', { name: '撤销' }).click()
  await expect(page.getByText('已撤销时段，取消了 2 个预约')).toBeVisible()
  await expect(list.getByRole('row', { name: new RegExp(`${title}改`) })).toHaveCount(0)

  for (const p of people) {
    expect((await myBookings(p.token)).items.find((b) => b.slot.id === slot.id)).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'admin',
      cancelReason: '停电',
    })
  }
})

test('a person’s history from the users page, and an export with masked phones', async ({ page }) => {
  const admin = await AdminApi.login()
  const tag = runTag()
  const { day, start, end } = await freeHourSoon(admin)
  const slot = await admin.createSlot(day, start, end, `导出${tag}`)
  const phone = freshPhone()
  const person = await createMiniappUser({ phone })
  await book(person.token, slot.id)

  await logInFresh(page)
  await openPage(page, '用户管理')
  await page.getByRole('searchbox').fill(phone)
  await page.getByRole('searchbox').press('Enter')
  // named by the person: the list may still show everyone until the search answers
  await page.getByRole('link', { name: `用户 #${person.id} 的预约记录` }).click()
  await expect(page.getByText(`用户 #${person.id} 的预约记录`)).toBeVisible()
  await expect(page.getByRole('row').filter({ hasText: `导出${tag}` })).toContainText(phone)

  await page.getByLabel('日期范围').first().click()
  await page.getByPlaceholder('开始日期').fill(day)
  await page.getByPlaceholder('开始日期').press('Enter')
  await page.getByPlaceholder('结束日期').fill(day)
  await page.getByPlaceholder('结束日期').press('Enter')
  await page.getByRole('button', { name: '导出' }).click()
  await page.getByLabel('格式').click()
  await page.getByTitle('CSV').click()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('tooltip').getByRole('button', { name: '导出' }).click(),
  ])
  const csv = await readFile((await download.path())!, 'utf8')
  expect(csv.startsWith('\ufeff预约编号,状态,时段')).toBe(true)
  expect(csv).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`)
  expect(csv).not.toContain(phone)
})

test('the booking rules page saves the rules and the slots page says how far ahead people book', async ({
  page,
}) => {
  const admin = await AdminApi.login()
  const before = await admin.settings()
  try {
    await logInFresh(page)
    await openPage(page, '预约规则')
    await page.getByLabel('可提前预约天数').fill('10')
    await page.getByLabel('每人每天最多预约数（0 为不限）').fill('2')
    await page.getByRole('button', { name: /保\s*存/ }).click()
    await expect(page.getByText('已保存预约规则')).toBeVisible()
    expect(await admin.settings()).toMatchObject({ bookingWindowDays: 10, maxActivePerDay: 2 })
    const config = await fetch(`${e2eEnv.apiUrl}/api/config`).then((r) => r.json())
    expect(config).toMatchObject({ bookingWindowDays: 10, maxActivePerDay: 2 })

    await openPage(page, '预约时段')
    await expect(page.getByText('用户只能预约 10 天内的时段')).toBeVisible()
  } finally {
    await admin.saveSettings(before)
  }
})

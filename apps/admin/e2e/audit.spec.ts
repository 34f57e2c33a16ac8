import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import { logInFresh, openPage } from './support/admin'
import { AdminApi, freshPhone, runTag, venueDay } from './support/adminApi'
import { createMiniappUser } from './support/miniapp'

/** The audit log as an admin reads it: one entry a file, names beside ids, filters. */

test('a file imported in two requests is one entry with its name and the counts the admin saw', async ({
  page,
}) => {
  const tag = runTag()
  const fileName = `审计名单${tag}.csv`
  // 5 003 valid rows (two requests of at most 5 000) and 2 the preview refuses
  const lines = ['手机号,姓名']
  for (let i = 0; i < 5003; i++) lines.push(`158${tag}${String(i).padStart(4, '0')},审计${tag}`)
  lines.push('12345,坏号码', 'abc,坏号码')

  await logInFresh(page)
  await openPage(page, '工作人员')
  await page
    .locator('input[type=file]')
    .setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n')) })
  await page.getByRole('button', { name: '确认导入 5003 条' }).click()
  await expect(page.getByText('导入完成')).toBeVisible({ timeout: 30_000 })

  await openPage(page, '操作日志')
  await page.getByRole('combobox', { name: '操作类型' }).click()
  await page.getByTitle('导入工作人员').click()
  await page.getByRole('searchbox', { name: '操作人' }).fill('e2e-admin')
  await page.getByRole('searchbox', { name: '操作人' }).press('Enter')
  await expect(page).toHaveURL(/action=staff\.import/)
  await expect(page).toHaveURL(/actor=admin%3Ae2e-admin/)
  const entries = page.getByRole('row').filter({ hasText: fileName })
  await expect(entries).toHaveCount(1)
  for (const words of ['行数 5005', '新增 5003', '无效 2', '分批 2'])
    await expect(entries).toContainText(words)

  // the export holds what the filters show: this admin's imports, this file's among them
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出 CSV' }).click(),
  ])
  expect(download.suggestedFilename()).toBe('操作日志-all.csv')
  const csv = await readFile((await download.path())!, 'utf8')
  expect(csv.startsWith('\ufeff时间,操作人,操作人名称,操作,对象,对象名称,详情\r\n')).toBe(true)
  const exported = csv.trim().split('\r\n').slice(1)
  expect(exported.every((line) => line.includes(',admin:e2e-admin,,staff.import,'))).toBe(true)
  expect(exported.filter((line) => line.includes(fileName))).toHaveLength(1)
})

test('an entry names the person beside the id, and the day filter narrows the log', async ({ page }) => {
  const phone = freshPhone()
  const nickname = `审计对象${runTag()}`
  const person = await createMiniappUser({ nickname, phone })
  await (await AdminApi.login()).setDisabled(person.id, true)

  await logInFresh(page)
  await openPage(page, '操作日志')
  const row = page
    .getByRole('row')
    .filter({ hasText: `用户 #${person.id}` })
    .first()
  await expect(row).toContainText(`${nickname} · ${phone.slice(0, 3)}****${phone.slice(-4)}`)

  const tomorrow = await venueDay(1)
  await page.goto(`/audit?from=${tomorrow}&to=${tomorrow}`)
  await expect(page.getByRole('row', { name: /暂无数据/ })).toBeVisible()
  await expect(page.getByRole('row').filter({ hasText: `用户 #${person.id}` })).toHaveCount(0)
  await page.getByRole('button', { name: '清除筛选' }).click()
  await expect(
    page
      .getByRole('row')
      .filter({ hasText: `用户 #${person.id}` })
      .first(),
  ).toBeVisible()
})

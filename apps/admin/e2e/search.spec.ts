import { expect, test } from '@playwright/test'
import { logInFresh, openPage } from './support/admin'
import { AdminApi, freshPhone, runTag } from './support/adminApi'
import { createMiniappUser } from './support/miniapp'

/** Searching the way office staff do: the last digits of a phone (手机尾号), a part of a name. */

test('a person is found by the last four digits of their phone and by the middle of their nickname', async ({
  page,
}) => {
  const tag = runTag()
  const phone = freshPhone()
  const nickname = `晨跑${tag}小队长`
  await createMiniappUser({ nickname, phone })

  await logInFresh(page)
  await openPage(page, '用户管理')
  await expect(page.getByText('手机号开头或尾号（如后 4 位）')).toBeVisible()
  const box = page.getByRole('searchbox')
  await box.fill(phone.slice(-4))
  await box.press('Enter')
  await expect(page.getByRole('row', { name: new RegExp(nickname) })).toBeVisible()

  await box.fill(`${tag}小队`)
  await box.press('Enter')
  await expect(page.getByText('共 1 条')).toBeVisible()
  await expect(page.getByRole('row', { name: new RegExp(nickname) })).toContainText(
    `${phone.slice(0, 3)}****${phone.slice(-4)}`,
  )
})

test('a staff entry is found by the tail of its number and by a part of its name', async ({ page }) => {
  const tag = runTag()
  const phone = freshPhone()
  const name = `王芳${tag}药师`
  await (await AdminApi.login()).importStaff([
    { mobile: phone, name },
    { mobile: freshPhone(), name: `李娜${tag}` },
  ])

  await logInFresh(page)
  await openPage(page, '工作人员')
  const list = page.locator('.ant-card').filter({ hasText: '工作人员名录' })
  await expect(list.getByText('姓名开头或其中任意 2 个字以上')).toBeVisible()
  await list.getByRole('searchbox').fill(phone.slice(-6))
  await list.getByRole('searchbox').press('Enter')
  await expect(list.getByRole('row', { name: new RegExp(`${phone}.*${name}`) })).toBeVisible()

  await list.getByRole('searchbox').fill(`芳${tag}药`)
  await list.getByRole('searchbox').press('Enter')
  await expect(list.getByText('共 1 条')).toBeVisible()
  await expect(list.getByRole('row', { name: new RegExp(`${phone}.*${name}`) })).toBeVisible()
})

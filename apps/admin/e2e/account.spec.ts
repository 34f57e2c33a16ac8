import { randomBytes } from 'node:crypto'
import { expect, type Page, test } from '@playwright/test'
import { createAdmin, logInAs } from './support/admin'
import { e2eEnv } from './support/env'

/**
 * An admin's own account: changing the password (wrong current one, too short, a published one,
 * then a good one) and logging out, each of which ends every token the admin held, as the API
 * then shows. The journey uses an admin of its own, so the others' logins are untouched.
 */
test.describe.configure({ mode: 'serial' })

const username = `e2e-pw-${randomBytes(3).toString('hex')}`
const FIRST = 'first-password-of-journey'
const SECOND = 'second-password-of-journey'

async function sessionToken(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('yuyue.admin.session')!).token as string)
}

/** What the API answers this token now. */
async function apiStatus(token: string): Promise<number> {
  const response = await fetch(`${e2eEnv.apiUrl}/api/admin/users`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return response.status
}

test.beforeAll(async () => {
  await createAdmin(username, FIRST)
})

test('an admin changes their password: mistakes are explained, then every old token ends', async ({
  page,
}) => {
  await page.goto('/')
  await logInAs(page, username, FIRST)
  // the first page of a fresh browser loads the layout's chunks: slow on a busy machine
  await expect(page.getByRole('heading', { level: 3, name: '概览' })).toBeVisible({ timeout: 30_000 })
  const before = await sessionToken(page)
  expect(await apiStatus(before)).toBe(200)

  await page.getByRole('button', { name: '修改密码' }).click()
  await expect(page).toHaveURL(/\/account\/password$/)
  await expect(page.getByRole('heading', { level: 3, name: '修改密码' })).toBeVisible()
  const form = {
    current: page.getByLabel('当前密码'),
    next: page.getByLabel('新密码', { exact: true }),
    confirm: page.getByLabel('确认新密码'),
    submit: page.getByRole('button', { name: '修改密码', exact: true }).last(),
  }

  // the wrong current password: the API refuses, the admin stays logged in on this page
  await form.current.fill('not-my-password')
  await form.next.fill(SECOND)
  await form.confirm.fill(SECOND)
  await form.submit.click()
  await expect(page.getByRole('alert')).toContainText('当前密码不正确')
  await expect(page).toHaveURL(/\/account\/password$/)
  expect(await apiStatus(before)).toBe(200)

  // too short, and two different new passwords: the form says so before anything is sent
  await form.current.fill(FIRST)
  await form.next.fill('short')
  await form.confirm.fill('shorter')
  await form.submit.click()
  await expect(page.getByText('新密码至少 12 个字符')).toBeVisible()
  await expect(page.getByText('两次输入的新密码不一致')).toBeVisible()

  // a published demo/test password: the API's reason is shown
  await form.next.fill('e2e-admin-password-1')
  await form.confirm.fill('e2e-admin-password-1')
  await form.submit.click()
  await expect(page.getByRole('alert')).toContainText('过于常见')

  await form.next.fill(SECOND)
  await form.confirm.fill(SECOND)
  await form.submit.click()
  await expect(page).toHaveURL(/\/login\?passwordChanged=1$/)
  await expect(page.getByText('密码已修改，请用新密码重新登录')).toBeVisible()
  expect(await apiStatus(before)).toBe(401)

  await logInAs(page, username, FIRST)
  await expect(page.getByRole('alert')).toContainText('用户名或密码错误')
  await logInAs(page, username, SECOND)
  await expect(page.getByRole('heading', { level: 3, name: '概览' })).toBeVisible()
})

test('logging out ends the token on the API, not only in the tab', async ({ page }) => {
  await page.goto('/')
  await logInAs(page, username, SECOND)
  await expect(page.getByRole('heading', { level: 3, name: '概览' })).toBeVisible({ timeout: 30_000 })
  const token = await sessionToken(page)
  expect(await apiStatus(token)).toBe(200)

  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/login$/)
  expect(await apiStatus(token)).toBe(401)
})

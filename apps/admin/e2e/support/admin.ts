import { expect, type Page } from '@playwright/test'
import { E2E_ADMIN } from './env'

export async function logIn(page: Page, password: string = E2E_ADMIN.password): Promise<void> {
  await page.getByLabel('用户名').fill(E2E_ADMIN.username)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录', exact: true }).click()
}

/** A fresh page logged in as the e2e admin, on the overview. */
export async function logInFresh(page: Page): Promise<void> {
  await page.goto('/')
  await logIn(page)
  await expect(page.getByRole('heading', { level: 3, name: '概览' })).toBeVisible()
}

export async function openPage(page: Page, menuLabel: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: menuLabel, exact: true }).click()
  await expect(page.getByRole('heading', { level: 3, name: menuLabel })).toBeVisible()
}

/** The number an import count (total, valid, inserted…) shows, found by its label. */
export async function expectCount(page: Page, label: string, value: number): Promise<void> {
  const count = page.getByRole('group', { name: label, exact: true }).locator('.ant-statistic-content-value')
  await expect(count).toHaveText(value.toLocaleString('en-US'))
}

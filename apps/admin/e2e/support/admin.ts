import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { expect, type Page } from '@playwright/test'
import { E2E_ADMIN, e2eEnv } from './env'

const run = promisify(execFile)

export async function logIn(page: Page, password: string = E2E_ADMIN.password): Promise<void> {
  await logInAs(page, E2E_ADMIN.username, password)
}

export async function logInAs(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录', exact: true }).click()
}

/** A dashboard admin of one journey's own, made as an operator makes one (`admin:create`). */
export async function createAdmin(username: string, password: string): Promise<void> {
  const apiDir = resolve(import.meta.dirname, '../../../api')
  await run(process.execPath, ['--import', 'tsx', 'src/cli/create-admin.ts', username], {
    cwd: apiDir,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: e2eEnv.databaseUrl,
      MIGRATE_ON_START: 'false',
      ADMIN_PASSWORD: password,
    },
    timeout: 30_000,
  })
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

import { type Browser, type BrowserContext, expect, type Locator, type Page } from '@playwright/test'

/** How the journeys find things in the H5 build (Taro renders its components as custom elements). */

export async function openApp(
  browser: Browser,
  beforeOpening?: (page: Page) => Promise<unknown>,
): Promise<{ context: BrowserContext; page: Page }> {
  // a new context is a new phone: a new sandbox WeChat user, nothing agreed yet
  const context = await browser.newContext()
  const page = await context.newPage()
  await beforeOpening?.(page)
  await page.goto(process.env.MINIAPP_URL!)
  return { context, page }
}

export function button(scope: Page | Locator, text: string | RegExp): Locator {
  return scope.locator('taro-button-core').filter({ hasText: text })
}

export function slotCell(page: Page, time: string): Locator {
  return page.locator('.slot-cell').filter({ hasText: time })
}

export function toast(page: Page, text: string | RegExp): Locator {
  // the toast's wrapper has no box of its own (its children are fixed): look at the title
  return page.locator('.taro__toast').getByText(text)
}

export async function expectOnPage(page: Page, route: string): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`${route.replace(/\//g, '\\/')}`))
}

export async function openTab(page: Page, name: string): Promise<void> {
  await page
    .locator('.weui-tabbar__item')
    .filter({ hasText: new RegExp(`^${name}$`) })
    .click()
}

export async function pickDay(page: Page, name: string): Promise<void> {
  await page.locator('.day-tabs__item').filter({ hasText: name }).click()
}

/** The sandbox's stand-in for WeChat's phone sheet: tap a number (or a refusal). */
export async function pickPhone(page: Page, label: string): Promise<void> {
  const sheet = page.getByRole('dialog', { name: '选择手机号（沙箱）' })
  await expect(sheet).toBeVisible()
  await sheet.locator('button.yy-sheet-option').filter({ hasText: label }).click()
}

/** Taro's H5 stand-in for wx.showModal: the dialog titled `title` answered with `choice`; its text. */
export async function answerModal(page: Page, title: string, choice: string): Promise<string> {
  // like the toast's, the modal's wrapper has no box of its own: look at its title
  const heading = page.locator('.taro-modal__title').filter({ hasText: title })
  await expect(heading).toBeVisible()
  const modal = page.locator('.taro__modal').filter({ has: heading })
  const text = (await modal.locator('.taro-modal__text').textContent()) ?? ''
  await modal.locator('.taro-modal__foot').getByText(choice, { exact: true }).click()
  await expect(heading).toBeHidden()
  return text
}

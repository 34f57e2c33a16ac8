import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'

/** Where each run keeps a screenshot of every page; docs/screenshots holds a committed copy. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../test-results/screenshots', import.meta.url))

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  // let toasts and sheet animations settle so the picture shows the page as a person sees it
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
}

import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'

/**
 * Where each run keeps a screenshot of every page; docs/screenshots holds the committed copy the
 * README shows, replaced by a run with YUYUE_UPDATE_SCREENSHOTS=1 (as the dashboard's journeys do).
 */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../test-results/screenshots', import.meta.url))
const DOCS_DIR = fileURLToPath(new URL('../docs/screenshots', import.meta.url))

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  // let toasts and sheet animations settle so the picture shows the page as a person sees it
  await page.waitForTimeout(400)
  const file = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file })
  if (process.env.YUYUE_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS_DIR, { recursive: true })
    copyFileSync(file, join(DOCS_DIR, `${name}.png`))
  }
}

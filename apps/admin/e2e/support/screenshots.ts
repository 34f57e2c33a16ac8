import { copyFile, mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'

const RUN_DIR = resolve(import.meta.dirname, '../../test-results/screenshots')
const DOCS_DIR = resolve(import.meta.dirname, '../../docs/screenshots')

/**
 * Every run saves its page screenshots under test-results/screenshots; with
 * YUYUE_UPDATE_SCREENSHOTS=1 they also replace the ones the README shows.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(RUN_DIR, { recursive: true })
  const file = resolve(RUN_DIR, `${name}.png`)
  // toasts left over from the step before would hide the page's header
  const style = '.ant-message { display: none !important; }'
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide', style })
  if (process.env.YUYUE_UPDATE_SCREENSHOTS === '1') {
    await mkdir(DOCS_DIR, { recursive: true })
    await copyFile(file, resolve(DOCS_DIR, `${name}.png`))
  }
}

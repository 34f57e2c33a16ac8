import { existsSync, readdirSync } from 'node:fs'
import { defaultLog } from './service'
import { installSystemPackages } from './system-packages'

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const CJK_FONT_DIR = '/usr/share/fonts/truetype/wqy'
const BROWSER_PACKAGES = ['chromium', 'fonts-wqy-microhei']

/**
 * Debian's Chromium, as Playwright should launch it: `playwright install` cannot download here,
 * the sandbox needs user namespaces a root container lacks, there is no GPU, and the background
 * traffic flags keep Chromium from reaching Google's servers in the middle of a test.
 */
export const chromiumLaunchOptions: { executablePath: string; args: string[] } = {
  executablePath: CHROMIUM_PATH,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}

/** What browser tests lack on this machine; empty when Chromium and the CJK font are installed. */
export function missingBrowserParts(): string[] {
  const missing: string[] = []
  if (!existsSync(CHROMIUM_PATH)) missing.push(CHROMIUM_PATH)
  if (!hasCjkFont()) missing.push(`a CJK font in ${CJK_FONT_DIR} (without it Chinese renders as boxes)`)
  return missing
}

/** The Chromium executable, installed with the CJK font first when we are root and they are missing. */
export async function ensureChromium(options: { log?: (line: string) => void } = {}): Promise<string> {
  const missing = missingBrowserParts()
  if (missing.length === 0) return CHROMIUM_PATH
  await installSystemPackages(
    BROWSER_PACKAGES,
    `Browser tests need ${missing.join(' and ')}`,
    options.log ?? defaultLog,
  )
  const stillMissing = missingBrowserParts()
  if (stillMissing.length > 0)
    throw new Error(`installed ${BROWSER_PACKAGES.join(' ')} but still missing ${stillMissing.join(' and ')}`)
  return CHROMIUM_PATH
}

function hasCjkFont(): boolean {
  try {
    return readdirSync(CJK_FONT_DIR).some((file) => /\.(ttc|ttf|otf)$/i.test(file))
  } catch {
    return false
  }
}

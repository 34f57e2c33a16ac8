import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from '@yuyue/devkit'

// Never let Playwright fetch a browser: Debian's Chromium is used (see @yuyue/devkit).
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1'

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    // a small phone (iPhone SE size), as the issue asks the UI to work on
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
})

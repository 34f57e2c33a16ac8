import { defineConfig, devices } from '@playwright/test'
import { chromiumLaunchOptions } from '@yuyue/devkit'

/**
 * Browser journeys against the real API, database and WeChat sandbox. `e2e/global-setup.ts`
 * starts them and serves the built dashboard (`pnpm e2e` builds it first); the URLs reach the
 * test workers through the environment it sets.
 */
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    ...devices['Desktop Chrome'],
    // read in each worker, after the global setup has set it
    baseURL: process.env.YUYUE_E2E_ADMIN_URL,
    launchOptions: chromiumLaunchOptions,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
})

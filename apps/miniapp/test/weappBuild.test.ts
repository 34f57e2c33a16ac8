import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'acorn'
import { beforeAll, describe, expect, it } from 'vitest'
import { MAIN_BUDGET_BYTES, measureWeapp } from '../scripts/weapp-size.mjs'

/**
 * Checks the compiled weapp package (`pnpm build:weapp`; `pnpm test` builds it when stale): what
 * WeChat reads must carry the privacy check and the open-type event bindings, which Taro writes
 * into shared templates and scripts rather than into our sources.
 */
const dist = fileURLToPath(new URL('../dist/weapp', import.meta.url))
const read = (path: string) => readFileSync(join(dist, path), 'utf8')
const MAIN_PAGES = ['pages/launch/index', 'pages/home/index', 'pages/bookings/index', 'pages/profile/index']
const SUBPACKAGE = { root: 'secondary', pages: ['staff/index', 'blocked/index', 'booking-code/index'] }
const PAGES = [...MAIN_PAGES, ...SUBPACKAGE.pages.map((page) => `${SUBPACKAGE.root}/${page}`)]

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? allFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}

/** A page's own script plus the shared chunks app.js loads before any page runs. */
function scriptsOfPage(page: string): string {
  const shared = [...read('app.js').matchAll(/require\("\.\/([\w-]+)"\)/g)].map((m) => `${m[1]}.js`)
  return [`${page}.js`, ...shared].map(read).join('\n')
}

beforeAll(() => {
  if (!existsSync(join(dist, 'app.json'))) throw new Error('dist/weapp is missing: run pnpm build:weapp')
})

describe('the built weapp package', () => {
  it('app.json lists every page, the tab bar and the privacy check', () => {
    const app = JSON.parse(read('app.json'))
    expect(app.pages).toEqual(MAIN_PAGES)
    expect(app.subPackages ?? app.subpackages).toEqual([SUBPACKAGE])
    expect(app.__usePrivacyCheck__).toBe(true)
    expect(app.tabBar.list.map((tab: { pagePath: string }) => tab.pagePath)).toEqual([
      'pages/home/index',
      'pages/bookings/index',
      'pages/profile/index',
    ])
    for (const tab of app.tabBar.list) {
      expect(existsSync(join(dist, tab.iconPath))).toBe(true)
      expect(existsSync(join(dist, tab.selectedIconPath))).toBe(true)
    }
  })

  it('every page has its script, template, style and config', () => {
    for (const page of PAGES) {
      for (const ext of ['js', 'json', 'wxml'])
        expect(existsSync(join(dist, `${page}.${ext}`)), `${page}.${ext}`).toBe(true)
    }
  })

  it('the compiled templates bind the phone, privacy-agreement and avatar events', () => {
    const templates = allFiles(dist)
      .filter((file) => file.endsWith('.wxml'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n')
    expect(templates).toContain('bindgetphonenumber')
    expect(templates).toContain('bindagreeprivacyauthorization')
    expect(templates).toContain('bindchooseavatar')
    expect(read('base.wxml')).toMatch(/open-type="\{\{[^}]+\}\}"/)
  })

  it('the scripts of the pages with 快捷登录 carry the combined open-type and its buttons', () => {
    for (const [page, buttonId] of [
      ['pages/home/index', 'quick-login-home'],
      ['pages/profile/index', 'quick-login-profile'],
    ] as const) {
      expect(scriptsOfPage(page)).toContain('getPhoneNumber|agreePrivacyAuthorization')
      expect(scriptsOfPage(page)).toContain(buttonId)
    }
    expect(scriptsOfPage('pages/profile/index')).toContain('chooseAvatar')
  })

  it('carries none of the browser sandbox and no TypeBox runtime', () => {
    const scripts = allFiles(dist)
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n')
    expect(scripts).not.toContain('/__sandbox')
    expect(scripts).not.toContain('yy-sheet')
    expect(scripts).not.toContain('TypeBox')
  })

  it('takes the API base and the app id from the production env file', () => {
    const env = readFileSync(fileURLToPath(new URL('../.env.production', import.meta.url)), 'utf8')
    const setting = (name: string) => new RegExp(`^${name}="?([^"\\n]+)"?`, 'm').exec(env)?.[1]
    const scripts = allFiles(dist)
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n')
    expect(scripts).toContain(`"${setting('TARO_APP_API_BASE')}"`)
    expect(JSON.parse(read('project.config.json')).appid).toBe(setting('TARO_APP_ID'))
  })

  it('parses as ES2017 in every script: older iOS WeChat has no newer syntax (SPEC §6b)', () => {
    const scripts = allFiles(dist).filter((file) => file.endsWith('.js'))
    expect(scripts.length).toBeGreaterThan(5)
    const failures = scripts.flatMap((file) => {
      const source = readFileSync(file, 'utf8')
      try {
        parse(source, { ecmaVersion: 2017, sourceType: 'script' })
        return []
      } catch (error) {
        const { pos, message } = error as SyntaxError & { pos: number }
        return [
          `${relative(dist, file)} at offset ${pos}: ${message} near ${JSON.stringify(source.slice(pos - 30, pos + 30))}`,
        ]
      }
    })
    expect(failures).toEqual([])
  })

  it('keeps the main package (bytes outside subpackage roots) within 350 KiB; the staff view and the blocked page load apart', () => {
    const { main, subpackages } = measureWeapp(dist)
    expect(main.bytes).toBeLessThanOrEqual(MAIN_BUDGET_BYTES)
    expect(main.files.some((file) => file.name.startsWith('secondary/'))).toBe(false)
    expect(subpackages.secondary!.files.map((file) => file.name)).toEqual(
      expect.arrayContaining(['secondary/staff/index.js', 'secondary/blocked/index.js']),
    )
  })

  it('ships the QR encoder of the 预约码 page in the subpackage only', () => {
    const { main, subpackages } = measureWeapp(dist)
    // a line of qrcode-generator's own source that survives minification
    const carriesEncoder = (name: string) =>
      readFileSync(join(dist, name), 'utf8').includes('bad maskPattern:')
    expect(main.files.filter((file) => file.name.endsWith('.js') && carriesEncoder(file.name))).toEqual([])
    expect(
      subpackages.secondary!.files.filter((file) => file.name.endsWith('.js') && carriesEncoder(file.name)),
    ).toHaveLength(1)
  })
})

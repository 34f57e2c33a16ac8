import { afterEach, describe, expect, it, vi } from 'vitest'
import { appsFromEnvironment } from '../src/apps'
import { DEMO_APP, parseAppList, startSandbox } from '../src/index'

describe('parseAppList', () => {
  it('reads appid:secret pairs separated by commas, ignoring spaces and empty entries', () => {
    expect(parseAppList(' wxa:secret-a , wxb:secret:with:colons,')).toEqual([
      { appId: 'wxa', secret: 'secret-a' },
      { appId: 'wxb', secret: 'secret:with:colons' },
    ])
  })

  it.each([
    ['wxa', /invalid app entry "wxa": expected appid:secret/],
    ['wxa:', /invalid app entry/],
    [':secret', /invalid app entry/],
    ['wxa:one,wxa:two', /app wxa is listed twice/],
  ])('refuses %j', (text, message) => {
    expect(() => parseAppList(text)).toThrow(message)
  })
})

describe('apps from the environment', () => {
  it('prefers SANDBOX_APPS, then WECHAT_APPS, then the demo app', () => {
    expect(appsFromEnvironment({ SANDBOX_APPS: 'wxs:s', WECHAT_APPS: 'wxw:w' })).toEqual([
      { appId: 'wxs', secret: 's' },
    ])
    expect(appsFromEnvironment({ SANDBOX_APPS: ' ', WECHAT_APPS: 'wxw:w' })).toEqual([
      { appId: 'wxw', secret: 'w' },
    ])
    expect(appsFromEnvironment({})).toEqual([DEMO_APP])
  })

  it('names the variable that holds a bad list', () => {
    expect(() => appsFromEnvironment({ WECHAT_APPS: 'wxw' })).toThrow(/^WECHAT_APPS: invalid app entry/)
    expect(() => appsFromEnvironment({ SANDBOX_APPS: ',' })).toThrow('SANDBOX_APPS: no app listed')
  })
})

describe('startSandbox', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('serves the apps of WECHAT_APPS when none are passed', async () => {
    vi.stubEnv('SANDBOX_APPS', '')
    vi.stubEnv('WECHAT_APPS', 'wxenv000000000001:env-secret')
    const sandbox = await startSandbox()
    try {
      const { code } = sandbox.issueLoginCode({ appId: 'wxenv000000000001' })
      const params = new URLSearchParams({
        appid: 'wxenv000000000001',
        secret: 'env-secret',
        js_code: code,
        grant_type: 'authorization_code',
      })
      const answer = JSON.parse(await (await fetch(`${sandbox.url}/sns/jscode2session?${params}`)).text())

      expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`)
      expect(sandbox.apps).toEqual([{ appId: 'wxenv000000000001', secret: 'env-secret' }])
      expect(answer).toHaveProperty('openid')
      expect(() => sandbox.issueLoginCode({ appId: DEMO_APP.appId })).toThrow(/unknown appId/)
    } finally {
      await sandbox.close()
    }
  })

  it('closes at once even while a delay fault holds a request', async () => {
    const sandbox = await startSandbox({ apps: [DEMO_APP] })
    sandbox.addFault({ path: '/cgi-bin/token', delayMs: 30_000 })
    const held = fetch(`${sandbox.url}/cgi-bin/token`).then((response) => response.status)
    // close only once the request is held: a fixed pause lost the race on a loaded machine
    await expect.poll(() => sandbox.stats().calls['/cgi-bin/token'], { interval: 10 }).toBe(1)

    const started = performance.now()
    await sandbox.close()

    expect(performance.now() - started).toBeLessThan(1000)
    expect(await held).toBe(503)
  })

  it('refuses an empty app list', async () => {
    await expect(startSandbox({ apps: [] })).rejects.toThrow('the sandbox needs at least one app')
  })
})

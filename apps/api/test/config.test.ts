import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ConfigError, DEV_JWT_SECRET, loadConfig } from '../src/config'
import { databaseUrl } from './support/harness'

const NO_SECRET =
  'Invalid configuration: JWT_SECRET must be set (at least 32 characters) unless NODE_ENV is development or test and HOST is loopback'

function withDefaults(env: Record<string, string>): Record<string, string> {
  return { HOST: '127.0.0.1', ...env }
}

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('configuration', () => {
  it('has the SPEC §5 defaults', () => {
    const config = loadConfig({ NODE_ENV: 'development' })
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/yuyue',
      TOKEN_TTL_SECONDS: 7200,
      WECHAT_API_BASE: 'https://api.weixin.qq.com',
      WECHAT_APPS: [],
      APP_TIMEZONE: 'Asia/Shanghai',
      MIGRATE_ON_START: true,
      RATE_LIMIT_WX_LOGIN: 600,
      RATE_LIMIT_ADMIN_LOGIN: 10,
      usingDevJwtSecret: true,
      TRUST_PROXY: false,
    })
    expect(config.REDIS_URL).toBeUndefined()
  })

  it('accepts WeChat app ids (wx + 16 hex) and any id up to the 32 characters the column holds', () => {
    const longest = `wx${'f'.repeat(30)}`
    expect(
      loadConfig({ NODE_ENV: 'test', WECHAT_APPS: `wx0123456789abcdef:s1,${longest}:s2` }).WECHAT_APPS,
    ).toEqual([
      { appId: 'wx0123456789abcdef', secret: 's1' },
      { appId: longest, secret: 's2' },
    ])
  })

  it('reads the mini-programs from WECHAT_APPS', () => {
    expect(loadConfig({ NODE_ENV: 'test', WECHAT_APPS: 'wx1:s1, wx2:s2' }).WECHAT_APPS).toEqual([
      { appId: 'wx1', secret: 's1' },
      { appId: 'wx2', secret: 's2' },
    ])
  })

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be a port number (0-65535) (got "abc")'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT must be a port number (0-65535) (got "70000")'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'Invalid configuration: DATABASE_URL must be a mysql:// URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'Invalid configuration: REDIS_URL must be a redis:// or rediss:// URL'],
    [
      { WECHAT_APPS: 'wx1' },
      'Invalid configuration: WECHAT_APPS must be appid:secret[,appid:secret…] with app ids of at most 32 letters, digits, _ or -',
    ],
    [
      { WECHAT_APPS: `wx${'0'.repeat(31)}:secret` },
      `Invalid configuration: WECHAT_APPS must be appid:secret[,appid:secret…] with app ids of at most 32 letters, digits, _ or -`,
    ],
    [
      { WECHAT_APPS: `wx1:s1,wx${'a'.repeat(31)}:s2` },
      `Invalid configuration: WECHAT_APPS must be appid:secret[,appid:secret…] with app ids of at most 32 letters, digits, _ or -`,
    ],
    [
      { WECHAT_APPS: 'wx1:a,wx1:b' },
      'Invalid configuration: WECHAT_APPS must be a list without repeated app ids',
    ],
    [
      { TOKEN_TTL_SECONDS: '5' },
      'Invalid configuration: TOKEN_TTL_SECONDS must be a number of seconds from 60 to 2592000 (got "5")',
    ],
    [
      { MIGRATE_ON_START: 'sometimes' },
      'Invalid configuration: MIGRATE_ON_START must be true or false (got "sometimes")',
    ],
    [
      { APP_TIMEZONE: 'Mars/Olympus' },
      'Invalid configuration: APP_TIMEZONE must be an IANA time zone (got "Mars/Olympus")',
    ],
    [
      { CORS_ORIGINS: 'admin.example.com' },
      'Invalid configuration: CORS_ORIGINS must be comma-separated origins like https://admin.example.com (got "admin.example.com")',
    ],
    [
      { ADMIN_USERNAME: 'root' },
      'Invalid configuration: ADMIN_PASSWORD must be set together with the other one',
    ],
    [{ NODE_ENV: 'production' }, NO_SECRET],
    // the start script sets no NODE_ENV: that is not a development process
    [{}, NO_SECRET],
    [{ NODE_ENV: 'development', HOST: '0.0.0.0' }, NO_SECRET],
    [{ NODE_ENV: 'test', HOST: '10.1.2.3' }, NO_SECRET],
    [{ JWT_SECRET: 'short' }, 'Invalid configuration: JWT_SECRET must be at least 32 characters'],
    [
      { NODE_ENV: 'development', JWT_SECRET: 'x'.repeat(31) },
      'Invalid configuration: JWT_SECRET must be at least 32 characters',
    ],
    [
      { JWT_SECRET: DEV_JWT_SECRET },
      'Invalid configuration: JWT_SECRET must be a secret of your own, not the development default',
    ],
    [
      { NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET },
      'Invalid configuration: JWT_SECRET must be a secret of your own, not the development default',
    ],
    [
      { TRUST_PROXY: 'true' },
      'Invalid configuration: TRUST_PROXY must be false, a hop count (1 = one proxy in front) or comma-separated proxy addresses/networks (10.0.0.0/8) (got "true")',
    ],
    [
      { TRUST_PROXY: '10.0.0.0/33' },
      'Invalid configuration: TRUST_PROXY must be false, a hop count (1 = one proxy in front) or comma-separated proxy addresses/networks (10.0.0.0/8) (got "10.0.0.0/33")',
    ],
    [
      { WECHAT_TEMPLATES: 'remind:tmpl1' },
      'Invalid configuration: WECHAT_TEMPLATES must be reminder:<templateId>,cancelled:<templateId>: "remind" is not a kind (reminder, cancelled)',
    ],
    [
      { WECHAT_TEMPLATES: 'reminder:a,reminder:b' },
      'Invalid configuration: WECHAT_TEMPLATES must be reminder:<templateId>,cancelled:<templateId>: reminder is listed twice',
    ],
    [
      { WECHAT_TEMPLATES: 'reminder:' },
      "Invalid configuration: WECHAT_TEMPLATES must be reminder:<templateId>,cancelled:<templateId>: reminder's template id must be 1-64 letters, digits, _ or -",
    ],
    [
      { WECHAT_TEMPLATE_FIELDS: 'reminder:time1=title' },
      'Invalid configuration: WECHAT_TEMPLATE_FIELDS must be <kind>:<key>=<field>;…,… with fields title, startsAt, endsAt, reason: reminder: title cannot fill a time key (time1)',
    ],
    [
      { WECHAT_TEMPLATE_FIELDS: 'reminder:thing1=reason' },
      'Invalid configuration: WECHAT_TEMPLATE_FIELDS must be <kind>:<key>=<field>;…,… with fields title, startsAt, endsAt, reason: reminder: "reason" is not one of title, startsAt, endsAt',
    ],
    [
      { WECHAT_TEMPLATE_FIELDS: 'cancelled:title=thing1' },
      'Invalid configuration: WECHAT_TEMPLATE_FIELDS must be <kind>:<key>=<field>;…,… with fields title, startsAt, endsAt, reason: cancelled: "title=thing1" is not <key>=<field> with a WeChat key such as thing1',
    ],
    [
      { REMINDER_LEAD_MINUTES: '0' },
      'Invalid configuration: REMINDER_LEAD_MINUTES must be minutes from 1 to 10080 (got "0")',
    ],
  ])('stops on %j with one line naming the variable', (env, message) => {
    const text = errorOf(env)
    expect(text).toBe(message)
    expect(text).not.toContain('\n')
  })

  it.each([
    [{ NODE_ENV: 'development' }, true],
    [{ NODE_ENV: 'test', HOST: 'localhost' }, true],
    [{ NODE_ENV: 'development', HOST: '127.0.0.2' }, true],
    [{ NODE_ENV: 'development', HOST: '::1' }, true],
  ])('uses the development secret only for %j (a development or test process on loopback)', (env, dev) => {
    const config = loadConfig(withDefaults(env))
    expect(config.usingDevJwtSecret).toBe(dev)
    expect(config.JWT_SECRET).toBe(DEV_JWT_SECRET)
  })

  it('reads TRUST_PROXY as a hop count or a list of proxy networks, never "every hop"', () => {
    expect(loadConfig(withDefaults({ NODE_ENV: 'test', TRUST_PROXY: '1' })).TRUST_PROXY).toBe(1)
    expect(loadConfig(withDefaults({ NODE_ENV: 'test', TRUST_PROXY: '0' })).TRUST_PROXY).toBe(false)
    expect(
      loadConfig(withDefaults({ NODE_ENV: 'test', TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8,loopback' }))
        .TRUST_PROXY,
    ).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', 'loopback'])
  })

  it.each([
    ['WECHAT_APPS', 'wx1:topsecretvalue,wx1:topsecretvalue'],
    ['WECHAT_APPS', 'wx1:topsecretvalue,wx2'],
    ['ADMIN_PASSWORD', 'topsecr'],
    ['DATABASE_URL', 'postgres://root:topsecretvalue@db/yuyue'],
    ['REDIS_URL', 'http://:topsecretvalue@cache:6379'],
    ['JWT_SECRET', 'topsecretvalue'],
  ])('never shows the value of %s in its start-up message', (variable, value) => {
    const text = errorOf({
      NODE_ENV: 'test',
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: 'a-long-enough-one',
      [variable]: value,
    })
    expect(text).toMatch(new RegExp(`^Invalid configuration: ${variable} must be `))
    expect(text).not.toContain('topsecr')
  })

  it.each(['yuyue-admin', 'e2e-admin-password-1', 'Correct Horse Battery', 'eleven-char'])(
    'refuses the demo, test and short admin password %j when NODE_ENV=production',
    (password) => {
      const text = errorOf({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(32),
        ADMIN_USERNAME: 'root',
        ADMIN_PASSWORD: password,
      })
      expect(text).toMatch(/^Invalid configuration: ADMIN_PASSWORD must be .* when NODE_ENV=production$/)
      expect(text).not.toContain(password)
    },
  )

  it('accepts the demo admin password outside production', () => {
    expect(
      loadConfig({ NODE_ENV: 'development', ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'yuyue-admin' })
        .ADMIN_PASSWORD,
    ).toBe('yuyue-admin')
  })

  it('reads Redis Sentinels (SPEC §8) and the drain delay, and names a bad value', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      REDIS_SENTINELS: '10.0.0.1:26379, sentinel-2:26379',
      DRAIN_DELAY_MS: '2500',
    })
    expect(config.REDIS_SENTINELS).toBe('10.0.0.1:26379, sentinel-2:26379')
    expect(config.REDIS_SENTINEL_NAME).toBe('mymaster')
    expect(config.DRAIN_DELAY_MS).toBe(2500)
    expect(loadConfig({ NODE_ENV: 'test' }).DRAIN_DELAY_MS).toBe(0)
    expect(errorOf({ REDIS_SENTINELS: 'redis://10.0.0.1' })).toMatch(
      /^Invalid configuration: REDIS_SENTINELS must be host:port/,
    )
    expect(errorOf({ DRAIN_DELAY_MS: '-1' })).toMatch(
      /^Invalid configuration: DRAIN_DELAY_MS must be milliseconds/,
    )
  })

  it('reads the subscribe-message templates, their fields (defaults per kind) and the reminder lead', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      WECHAT_TEMPLATES: 'reminder:tmplReminder01, cancelled:tmpl_Cancelled-2',
      WECHAT_TEMPLATE_FIELDS: 'cancelled:thing4=title;date5=startsAt;thing6=reason',
      REMINDER_LEAD_MINUTES: '120',
    })
    expect(config.WECHAT_TEMPLATES).toEqual({ reminder: 'tmplReminder01', cancelled: 'tmpl_Cancelled-2' })
    expect(config.WECHAT_TEMPLATE_FIELDS).toEqual({
      reminder: [
        { key: 'thing1', type: 'thing', field: 'title' },
        { key: 'time2', type: 'time', field: 'startsAt' },
      ],
      cancelled: [
        { key: 'thing4', type: 'thing', field: 'title' },
        { key: 'date5', type: 'date', field: 'startsAt' },
        { key: 'thing6', type: 'thing', field: 'reason' },
      ],
    })
    expect(config.REMINDER_LEAD_MINUTES).toBe(120)
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({
      WECHAT_TEMPLATES: {},
      REMINDER_LEAD_MINUTES: 60,
    })
  })

  it('accepts a production configuration with a long secret', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })
    expect(config.usingDevJwtSecret).toBe(false)
  })
})

describe('the server process', () => {
  function startServer(env: Record<string, string>) {
    const server = fileURLToPath(new URL('../src/server.ts', import.meta.url))
    return spawnSync(process.execPath, ['--import', 'tsx', server], {
      env: { ...process.env, LOG_LEVEL: 'error', PORT: '0', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    })
  }

  it('exits 1 with the one line when the configuration is bad', () => {
    const result = startServer({ NODE_ENV: 'production', JWT_SECRET: '' })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(NO_SECRET)
  })

  it('refuses to start with no NODE_ENV and no JWT_SECRET, as the start script runs it', () => {
    const { NODE_ENV: _unset, JWT_SECRET: _none, ...env } = process.env
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../src/server.ts', import.meta.url))],
      {
        env: { ...env, LOG_LEVEL: 'error', PORT: '0' } as NodeJS.ProcessEnv,
        encoding: 'utf8',
        timeout: 20_000,
      },
    )
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(NO_SECRET)
  })

  it('exits 1 with the one line when a subscribe-message template mapping is bad', () => {
    const result = startServer({ WECHAT_TEMPLATE_FIELDS: 'reminder:thing1=title;thing1=startsAt' })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(
      'Invalid configuration: WECHAT_TEMPLATE_FIELDS must be <kind>:<key>=<field>;…,… with fields title, startsAt, endsAt, reason: reminder: thing1 is listed twice',
    )
  })

  it('exits 1 with a line naming DATABASE_URL or REDIS_URL when it cannot be used, without its password', () => {
    const secret = { JWT_SECRET: 'x'.repeat(32) }
    const noDatabase = startServer({ ...secret, DATABASE_URL: 'mysql://root:s3cret@127.0.0.1:1/yuyue' })
    expect(noDatabase.status).toBe(1)
    expect(noDatabase.stderr.trim()).toBe(
      'API failed to start: DATABASE_URL (127.0.0.1:1/yuyue) cannot be used: connect ECONNREFUSED 127.0.0.1:1',
    )

    const noRedis = startServer({
      ...secret,
      DATABASE_URL: databaseUrl(),
      MIGRATE_ON_START: 'false',
      REDIS_URL: 'redis://:s3cret@127.0.0.1:1',
    })
    expect(noRedis.status).toBe(1)
    expect(noRedis.stderr.trim()).toBe(
      'API failed to start: REDIS_URL (127.0.0.1:1) cannot be used: connect ECONNREFUSED 127.0.0.1:1',
    )
    expect(noDatabase.stderr + noDatabase.stdout + noRedis.stderr + noRedis.stdout).not.toContain('s3cret')
  })
})

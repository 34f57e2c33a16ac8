import { isIP } from 'node:net'
import { isKnownTimeZone } from '@yuyue/contracts'
import Type, { type Static, type TSchema } from 'typebox'
import Value from 'typebox/value'
import { MIN_PASSWORD_LENGTH, passwordWeakness } from './domain/admins/passwordPolicy'
import { isValidUsername, normaliseUsername, USERNAME_RULE } from './domain/admins/usernames'
import {
  parseSubscribeTemplates,
  parseTemplateFields,
  type SubscribeTemplates,
  TemplateConfigError,
  type TemplateFields,
} from './wechat/subscribeTemplates'

/**
 * The API's whole configuration, read once from the environment (SPEC §5). The TypeScript type is
 * derived from this schema; nothing else reads `process.env`. `expect` words the one-line error.
 */
const TRUST_PROXY_EXPECT =
  'false, a hop count (1 = one proxy in front) or comma-separated proxy addresses/networks (10.0.0.0/8)'

const Env = Type.Object({
  // no default: an unset NODE_ENV is treated like production (no development secret)
  NODE_ENV: Type.Optional(
    Type.Enum(['development', 'production', 'test'] as const, {
      expect: 'one of development, production, test',
    }),
  ),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, expect: 'a port number (0-65535)' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', expect: 'a host name or address' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, {
    default: 'info',
    expect: 'a pino level (fatal, error, warn, info, debug, trace, silent)',
  }),
  DATABASE_URL: Type.String({
    pattern: '^mysql://',
    default: 'mysql://root@127.0.0.1:3306/yuyue',
    expect: 'a mysql:// URL',
  }),
  DB_POOL_SIZE: Type.Integer({
    minimum: 1,
    maximum: 200,
    default: 10,
    expect: 'a connection count from 1 to 200',
  }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://', expect: 'a redis:// or rediss:// URL' })),
  REDIS_SENTINELS: Type.Optional(
    Type.String({
      pattern: '^\\s*[\\w.-]+:\\d{1,5}\\s*(,\\s*[\\w.-]+:\\d{1,5}\\s*)*$',
      expect: 'host:port[,host:port…] of Redis Sentinels',
    }),
  ),
  REDIS_SENTINEL_NAME: Type.String({
    pattern: '^[\\w.-]{1,64}$',
    default: 'mymaster',
    expect: 'the name the Sentinels monitor the primary by',
  }),
  REDIS_PREFIX: Type.String({ pattern: '^[\\w:.-]{1,32}$', default: 'yuyue:', expect: 'a short key prefix' }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 1, expect: 'a secret string' })),
  TOKEN_TTL_SECONDS: Type.Integer({
    minimum: 60,
    maximum: 30 * 86400,
    default: 7200,
    expect: 'a number of seconds from 60 to 2592000',
  }),
  ADMIN_TOKEN_TTL_SECONDS: Type.Integer({
    minimum: 60,
    maximum: 7 * 86400,
    default: 8 * 3600,
    expect: 'a number of seconds from 60 to 604800',
  }),
  WECHAT_API_BASE: Type.String({
    pattern: '^https?://[^\\s]+$',
    default: 'https://api.weixin.qq.com',
    expect: 'an http(s) URL',
  }),
  // app ids are stored in wechat_identities.app_id, VARCHAR(32); WeChat's own are wx + 16 hex
  WECHAT_APPS: Type.String({
    pattern: '^(\\s*[\\w-]{1,32}:[^,:\\s]+\\s*(,\\s*[\\w-]{1,32}:[^,:\\s]+\\s*)*)?$',
    default: '',
    expect: 'appid:secret[,appid:secret…] with app ids of at most 32 letters, digits, _ or -',
  }),
  WECHAT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 60_000,
    default: 5000,
    expect: 'milliseconds from 100 to 60000',
  }),
  WECHAT_TEMPLATES: Type.Optional(
    Type.String({ minLength: 1, expect: 'reminder:<templateId>,cancelled:<templateId>' }),
  ),
  WECHAT_TEMPLATE_FIELDS: Type.Optional(
    Type.String({
      minLength: 1,
      expect: '<kind>:<key>=<field>;…,… with fields title, startsAt, endsAt, reason',
    }),
  ),
  // a reminder after the slot started, or more than the longest booking window ahead, helps no one
  REMINDER_LEAD_MINUTES: Type.Integer({
    minimum: 1,
    maximum: 7 * 24 * 60,
    default: 60,
    expect: 'minutes from 1 to 10080',
  }),
  // how often each instance looks for subscribe messages due; 0 stops it (tests run rounds by hand)
  SUBSCRIBE_INTERVAL_MS: Type.Integer({
    minimum: 0,
    maximum: 600_000,
    default: 5000,
    expect: 'milliseconds from 0 (off) to 600000',
  }),
  // a send still unanswered this long after its claim is `unknown`: its instance died mid-send
  SUBSCRIBE_LEASE_MS: Type.Integer({
    minimum: 1000,
    maximum: 3_600_000,
    default: 120_000,
    expect: 'milliseconds from 1000 to 3600000, more than twice WECHAT_TIMEOUT_MS',
  }),
  ADMIN_USERNAME: Type.Optional(Type.String({ minLength: 1, maxLength: 64, expect: '1-64 characters' })),
  ADMIN_PASSWORD: Type.Optional(
    Type.String({ minLength: 8, maxLength: 256, expect: 'from 8 to 256 characters' }),
  ),
  APP_TIMEZONE: Type.String({ minLength: 1, default: 'Asia/Shanghai', expect: 'an IANA time zone' }),
  MIGRATE_ON_START: Type.Boolean({ default: true, expect: 'true or false' }),
  PUBLIC_BASE_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^\\s]+[^/\\s]$', expect: 'an http(s) URL without a trailing slash' }),
  ),
  CORS_ORIGINS: Type.String({
    default: 'http://localhost:5173,http://127.0.0.1:5173,http://localhost:10086,http://127.0.0.1:10086',
    expect: 'comma-separated origins',
  }),
  RATE_LIMIT_WX_LOGIN: Type.Integer({ minimum: 0, default: 600, expect: 'a count per minute (0 = off)' }),
  RATE_LIMIT_ADMIN_LOGIN: Type.Integer({ minimum: 0, default: 10, expect: 'a count per minute (0 = off)' }),
  RATE_LIMIT_AVATAR_UPLOAD: Type.Integer({
    minimum: 0,
    default: 20,
    expect: 'a count per person per hour (0 = off)',
  }),
  TRUST_PROXY: Type.String({ default: 'false', expect: TRUST_PROXY_EXPECT }),
  // behind a load balancer: at least its health check's interval times its fall count
  DRAIN_DELAY_MS: Type.Integer({
    minimum: 0,
    maximum: 120_000,
    default: 0,
    expect: 'milliseconds from 0 to 120000',
  }),
})
type Env = Static<typeof Env>

export interface WechatApp {
  appId: string
  secret: string
}

/**
 * Which peers may speak for the client in X-Forwarded-For (Fastify's `trustProxy`): none, the
 * last N hops, or proxies at these addresses. Trusting every hop (`true`) is not offered: any
 * client could then forge its address and escape per-IP limits.
 */
export type TrustedProxies = false | number | string[]

export type Config = Omit<
  Env,
  | 'WECHAT_APPS'
  | 'CORS_ORIGINS'
  | 'JWT_SECRET'
  | 'TRUST_PROXY'
  | 'WECHAT_TEMPLATES'
  | 'WECHAT_TEMPLATE_FIELDS'
> & {
  TRUST_PROXY: TrustedProxies
  /** the template id of each kind of subscribe message; a kind without one is not offered */
  WECHAT_TEMPLATES: SubscribeTemplates
  /** per kind, which template key carries which booking field */
  WECHAT_TEMPLATE_FIELDS: TemplateFields
  WECHAT_APPS: WechatApp[]
  CORS_ORIGINS: string[]
  JWT_SECRET: string
  /** true when JWT_SECRET was not set and the development default is in use */
  usingDevJwtSecret: boolean
}

export const DEV_JWT_SECRET = 'yuyue-development-only-secret-do-not-deploy'

/** A bad configuration: its message is the one line printed before the process exits. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * A service named by the configuration could not be used at start (refused, unknown host, wrong
 * password, no such database): the error names the variable and where it points, never its
 * credentials.
 */
export function unusableService(variable: string, url: string, error: unknown): Error {
  const { hostname, port, pathname } = new URL(url)
  const where = `${hostname}${port ? `:${port}` : ''}${pathname.length > 1 ? pathname : ''}`
  const reason = error instanceof Error && error.message ? error.message : String(error)
  return new Error(`${variable} (${where}) cannot be used: ${reason}`, { cause: error })
}

/** Variables whose value is a secret or may carry one: a start-up message never shows them. */
const SECRET_BEARING = new Set(['JWT_SECRET', 'WECHAT_APPS', 'ADMIN_PASSWORD', 'DATABASE_URL', 'REDIS_URL'])

function fail(variable: string, expect: string, got?: unknown): never {
  const shown =
    got === undefined || SECRET_BEARING.has(variable)
      ? ''
      : ` (got ${JSON.stringify(String(got).slice(0, 60))})`
  throw new ConfigError(`Invalid configuration: ${variable} must be ${expect}${shown}`)
}

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]'])

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host)
}

// proxy-addr's names for the private ranges, besides addresses and CIDR networks
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

function parseTrustProxy(text: string): TrustedProxies {
  if (text === 'false' || text === '0') return false
  if (/^\d{1,2}$/.test(text)) return Number(text)
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  const valid = entries.every((entry) => {
    if (PROXY_RANGE_NAMES.has(entry)) return true
    const [address = '', prefix, ...rest] = entry.split('/')
    const family = isIP(address)
    if (!family || rest.length) return false
    return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))
  })
  if (!entries.length || !valid) fail('TRUST_PROXY', TRUST_PROXY_EXPECT, text)
  return entries
}

function parseApps(text: string): WechatApp[] {
  const apps = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [appId = '', secret = ''] = entry.split(':')
      return { appId, secret }
    })
  const ids = new Set(apps.map((a) => a.appId))
  if (ids.size !== apps.length) fail('WECHAT_APPS', 'a list without repeated app ids', text)
  return apps
}

/** Runs the parser of one variable, turning its complaint into the one-line start-up error. */
function parseVariable<T>(variable: 'WECHAT_TEMPLATES' | 'WECHAT_TEMPLATE_FIELDS', parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (!(error instanceof TemplateConfigError)) throw error
    fail(variable, `${(Env.properties[variable] as TSchema & { expect?: string }).expect}: ${error.message}`)
  }
}

export interface LoadOptions {
  /** false for the command-line tools (migrate, admin:create): they sign nothing, so need no JWT_SECRET */
  signsTokens?: boolean
}

/** Reads and checks the environment; throws ConfigError with one clear line on the first problem. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: LoadOptions = {},
): Config {
  const input: Record<string, string> = {}
  for (const key of Object.keys(Env.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') input[key] = value.trim()
  }
  const parsed = Value.Convert(Env, Value.Default(Env, input)) as Record<string, unknown>
  for (const [key, schema] of Object.entries(Env.properties) as [string, TSchema & { expect?: string }][]) {
    const value = parsed[key]
    if (value === undefined) continue
    if (!Value.Check(schema, value)) fail(key, schema.expect ?? 'valid', input[key])
  }
  const valid = parsed as Env

  if (!isKnownTimeZone(valid.APP_TIMEZONE)) fail('APP_TIMEZONE', 'an IANA time zone', valid.APP_TIMEZONE)
  if ((valid.ADMIN_USERNAME === undefined) !== (valid.ADMIN_PASSWORD === undefined)) {
    fail(valid.ADMIN_USERNAME ? 'ADMIN_PASSWORD' : 'ADMIN_USERNAME', 'set together with the other one')
  }
  const origins = valid.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean)
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      fail('CORS_ORIGINS', 'comma-separated origins like https://admin.example.com', origin)
  }

  // a lease shorter than a send could end while the send is still waiting for WeChat's answer
  if (valid.SUBSCRIBE_LEASE_MS <= 2 * valid.WECHAT_TIMEOUT_MS) {
    fail('SUBSCRIBE_LEASE_MS', 'more than twice WECHAT_TIMEOUT_MS', valid.SUBSCRIBE_LEASE_MS)
  }
  const apps = parseApps(valid.WECHAT_APPS)
  const trustProxy = parseTrustProxy(valid.TRUST_PROXY)
  const templates = parseVariable('WECHAT_TEMPLATES', () =>
    parseSubscribeTemplates(valid.WECHAT_TEMPLATES ?? ''),
  )
  const templateFields = parseVariable('WECHAT_TEMPLATE_FIELDS', () =>
    parseTemplateFields(valid.WECHAT_TEMPLATE_FIELDS),
  )
  // SPEC §5: the committed development secret only for a development or test process that
  // nobody else can reach; anything else must bring its own
  const devMode = (valid.NODE_ENV === 'development' || valid.NODE_ENV === 'test') && isLoopback(valid.HOST)
  const signsTokens = options.signsTokens !== false
  if (signsTokens && valid.JWT_SECRET === undefined) {
    if (!devMode)
      fail(
        'JWT_SECRET',
        'set (at least 32 characters) unless NODE_ENV is development or test and HOST is loopback',
      )
  } else if (signsTokens && valid.JWT_SECRET !== undefined) {
    if (valid.JWT_SECRET.length < 32) fail('JWT_SECRET', 'at least 32 characters')
    if (valid.JWT_SECRET === DEV_JWT_SECRET && !devMode)
      fail('JWT_SECRET', 'a secret of your own, not the development default')
  }
  if (valid.NODE_ENV === 'production' && valid.ADMIN_PASSWORD !== undefined) {
    const weakness = passwordWeakness(valid.ADMIN_PASSWORD)
    if (weakness === 'tooShort')
      fail('ADMIN_PASSWORD', `at least ${MIN_PASSWORD_LENGTH} characters when NODE_ENV=production`)
    if (weakness === 'published')
      fail(
        'ADMIN_PASSWORD',
        'a password that is not published (a demo or test password) when NODE_ENV=production',
      )
  }
  if (valid.ADMIN_USERNAME !== undefined && !isValidUsername(normaliseUsername(valid.ADMIN_USERNAME))) {
    fail('ADMIN_USERNAME', USERNAME_RULE, valid.ADMIN_USERNAME)
  }

  return {
    ...valid,
    WECHAT_TEMPLATES: templates,
    WECHAT_TEMPLATE_FIELDS: templateFields,
    WECHAT_API_BASE: valid.WECHAT_API_BASE.replace(/\/+$/, ''),
    WECHAT_APPS: apps,
    CORS_ORIGINS: origins,
    TRUST_PROXY: trustProxy,
    JWT_SECRET: valid.JWT_SECRET ?? DEV_JWT_SECRET,
    usingDevJwtSecret: valid.JWT_SECRET === undefined,
  }
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  createDatabase,
  databaseUrlFor,
  dropDatabase,
  ensureDatabase,
  type RunningStack,
  startStack,
} from '@yuyue/devkit'
import { MiniProgram, newPerson, type Person, type ViewNode } from '@yuyue/wechat-runtime'
import { DEMO_APP } from '@yuyue/wechat-sandbox'
import { AdminApi } from '../../e2e/adminApi'
import { stackOptions } from '../../e2e/global-setup'

export const dist = fileURLToPath(new URL('../../dist/weapp', import.meta.url))

/** The API base the weapp build calls (.env.production): the domain configured in WeChat. */
export const API_DOMAIN = 'https://api.example.com'

/** A second mini-program on the same API: its own AppID, unlike the one in the build. */
export const SECOND_APP = { appId: 'wxtest00000000002b', secret: 'fedcba9876543210fedcba9876543210' }

/** A 1×1 PNG, what the person picks as an avatar. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

export interface Servers {
  stack: RunningStack
  admin: AdminApi
  avatarImage: string
  stop(): Promise<void>
}

/** The real API (on a fresh database of its own) and the WeChat sandbox, as processes. */
export async function startServers(): Promise<Servers> {
  const server = await ensureDatabase()
  const databaseUrl = databaseUrlFor(server.url, `yuyue_test_weapp_${process.pid}`)
  await dropDatabase(databaseUrl)
  await createDatabase(databaseUrl)
  const files = await mkdtemp(join(tmpdir(), 'yuyue-weapp-'))
  const avatarImage = join(files, 'avatar.png')
  await writeFile(avatarImage, PNG)
  const options = stackOptions(databaseUrl)
  const stack = await startStack({
    ...options,
    apps: [DEMO_APP, SECOND_APP],
    // subscribe messages as in dev; a reminder falls due at once and the queue is read often
    subscribeTemplates: true,
    env: { ...options.env, REMINDER_LEAD_MINUTES: '10080', SUBSCRIBE_INTERVAL_MS: '200' },
  })
  const admin = await AdminApi.login(stack.apiUrl)
  return {
    stack,
    admin,
    avatarImage,
    async stop() {
      await stack.stop()
      await dropDatabase(databaseUrl)
      await rm(files, { recursive: true, force: true })
    },
  }
}

let people = 0

/** A new person opening the built package on their phone, in WeChat's runtime model. */
export function openMiniProgram(
  servers: Servers,
  options: { appId?: string; person?: Partial<Person>; domains?: Record<string, string> } = {},
): MiniProgram {
  const person = { ...newPerson(`oWeapp${process.pid}x${++people}`), ...options.person }
  return new MiniProgram({
    dist,
    appId: options.appId ?? DEMO_APP.appId,
    sandboxUrl: servers.stack.sandboxUrl,
    domains: options.domains ?? { [API_DOMAIN]: servers.stack.apiUrl },
    person,
    avatarImage: servers.avatarImage,
  })
}

/** The button (or tappable element) with this text, innermost. */
export function button(app: MiniProgram, text: string, within?: ViewNode): ViewNode {
  const nodes = within ? [...within.descendants()] : [...app.view().descendants()]
  const buttons = nodes.filter((node) => node.tag === 'button')
  // the button that reads exactly this, else one that contains it (同意 is not 不同意)
  const exact = buttons.filter((node) => node.text().trim() === text)
  const found = exact.length > 0 ? exact : buttons.filter((node) => node.text().includes(text))
  if (found.length === 0) throw new Error(`no button "${text}" on ${app.currentPage()?.route}: ${app.text()}`)
  return found[0]!
}

/** The slot cell whose time reads `time` (09:00 - 10:00). */
export function slotCell(app: MiniProgram, time: string): ViewNode {
  return app.find({ className: 'slot-cell', text: time })
}

export async function waitForRoute(app: MiniProgram, route: string): Promise<void> {
  await app.waitFor(() => {
    if (app.currentPage()?.route !== route) throw new Error(`on ${app.currentPage()?.route}, not ${route}`)
    return true
  })
}

/** What the API says about this person now, by their token in the app's storage. */
export async function meOf(servers: Servers, app: MiniProgram) {
  const token = app.storage.get('yuyue.token')
  const response = await fetch(`${servers.stack.apiUrl}/api/me`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return { status: response.status, body: (await response.json()) as { user: { nickname: string | null } } }
}

/** `YYYY-MM-DD` in the API's zone (APP_TIMEZONE's default, Asia/Shanghai), `days` from today. */
export function localDate(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10)
}

/** Launches the app and waits for the home page with its day tabs. */
export async function launchToHome(app: MiniProgram): Promise<void> {
  await app.launch()
  await waitForRoute(app, 'pages/home/index')
  // the day tabs render once the silent login is done
  await app.waitForText('明天')
}

/**
 * A slot today (Shanghai, UTC+8) starting 10 to 15 minutes from now, so its check-in is open;
 * null late in the evening, when it would run past midnight.
 */
export function soonSlot(): { start: string; end: string } | null {
  const local = new Date(Date.now() + 8 * 3600_000)
  const startMinutes = Math.ceil((local.getUTCHours() * 60 + local.getUTCMinutes() + 10) / 5) * 5
  const endMinutes = startMinutes + 30
  if (endMinutes >= 24 * 60) return null
  const clock = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
  return { start: clock(startMinutes), end: clock(endMinutes) }
}

/**
 * A person with this phone books a slot made for today that starts soon (check-in open), through
 * the home page: 快捷登录, then 预约 and its confirmation. Call only when `soonSlot()` is not null.
 */
export async function bookSoonSlot(
  servers: Servers,
  phone: string,
  slot: { title: string; capacity: number },
): Promise<{ person: MiniProgram; time: string }> {
  const { start, end } = soonSlot()!
  await servers.admin.createSlots({ from: localDate(0), to: localDate(0), times: [{ start, end }], ...slot })
  const person = openMiniProgram(servers, { person: { phone: { number: phone } } })
  await launchToHome(person)
  await person.tap(button(person, '快捷登录'))
  await person.waitFor(() => !person.text().includes('验证手机号后即可预约'))
  const time = `${start} - ${end}`
  await person.tap(await person.waitFor(() => button(person, '预约', slotCell(person, time))))
  ;(await person.waitFor(() => person.screen.openModal())).confirm()
  await person.waitFor(() => button(person, '已预约', slotCell(person, time)))
  return { person, time }
}

/** A member of staff imported with this number, logged in and landed on the staff view. */
export async function openStaffView(servers: Servers, mobile: string, name: string): Promise<MiniProgram> {
  await servers.admin.importStaff([{ mobile, name }])
  const staff = openMiniProgram(servers, { person: { phone: { number: mobile } } })
  await launchToHome(staff)
  await staff.tap(button(staff, '快捷登录'))
  await waitForRoute(staff, 'secondary/staff/index')
  return staff
}

/**
 * What WeChat's server keeps when the person answers its subscribe sheet with accept: one message
 * of each template the API may then send (the runtime model answers the sheet, the sandbox plays
 * the server).
 */
export async function acceptAtWechat(servers: Servers, openid: string, templateIds: string[]) {
  const response = await fetch(`${servers.stack.sandboxUrl}/__sandbox/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appId: DEMO_APP.appId, openid, templateIds }),
  })
  if (!response.ok) throw new Error(`sandbox subscriptions: ${response.status} ${await response.text()}`)
}

/** The subscribe messages WeChat took for this person, once there are `count` (5 s at most). */
export async function messagesTo(servers: Servers, openid: string, count: number) {
  const deadline = Date.now() + 5000
  for (;;) {
    const response = await fetch(`${servers.stack.sandboxUrl}/__sandbox/messages?touser=${openid}`)
    const { messages } = (await response.json()) as {
      messages: { templateId: string; page: string | null }[]
    }
    if (messages.length >= count || Date.now() > deadline) return messages
    await new Promise((done) => setTimeout(done, 100))
  }
}

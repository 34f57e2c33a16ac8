import type { Browser, Page } from '@playwright/test'
import { e2eEnv } from './env'

const APP_ID = 'wxdemo000000000001'

async function send<T>(method: 'POST' | 'PATCH', url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  const answer = (await response.json()) as T
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(answer)}`)
  return answer
}

const post = <T>(url: string, body: unknown, token?: string) => send<T>('POST', url, body, token)

interface Login {
  token: string
  user: { id: number; role: string }
}

export interface MiniappPerson {
  id: number
  token: string
  openid: string
}

/**
 * A mini-program user made the way the app makes them: a `wx.login` code from the sandbox, the
 * silent login, then (optionally) a nickname and the one-tap phone binding.
 */
export async function createMiniappUser(
  options: { nickname?: string; phone?: string } = {},
): Promise<MiniappPerson> {
  const { code, openid } = await post<{ code: string; openid: string }>(
    `${e2eEnv.sandboxUrl}/__sandbox/login-code`,
    { appId: APP_ID },
  )
  let login = await post<Login>(`${e2eEnv.apiUrl}/api/auth/wx-login`, { code, appId: APP_ID })
  if (options.nickname)
    await send('POST', `${e2eEnv.apiUrl}/api/me/profile`, { nickname: options.nickname }, login.token)
  if (options.phone) {
    const phone = await post<{ code: string }>(`${e2eEnv.sandboxUrl}/__sandbox/phone-code`, {
      appId: APP_ID,
      phoneNumber: options.phone,
      openid,
    })
    login = await post<Login>(`${e2eEnv.apiUrl}/api/auth/phone`, { code: phone.code }, login.token)
  }
  return { id: login.user.id, token: login.token, openid }
}

/** What the API says to this person's token now. */
export async function whoAmI(token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${e2eEnv.apiUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, body: await response.json() }
}

export async function book(token: string, slotId: number): Promise<void> {
  await post(`${e2eEnv.apiUrl}/api/bookings`, { slotId }, token)
}

/** where the H5 build keeps "this phone's WeChat account" (apps/miniapp/src/platform/h5/devIdentity.ts) */
const OPENID_KEY = 'yuyue.sandbox.openid'

/** The mini-program's H5 build opened on this person's phone (their sandbox WeChat account). */
export async function openMiniappAs(browser: Browser, person: MiniappPerson): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 375, height: 667 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  const page = await context.newPage()
  await page.addInitScript(
    ([key, openid]) => {
      if (!localStorage.getItem(key)) localStorage.setItem(key, openid)
    },
    [OPENID_KEY, person.openid] as const,
  )
  await page.goto(e2eEnv.miniappUrl)
  return page
}

import { configuredApps, issueLoginCode } from './sandboxControl'

/**
 * The browser's stand-in for "this phone's WeChat account": an openid kept in localStorage, so a
 * reload is the same person (a returning user) and a new identity is a new person.
 */
const OPENID_KEY = 'yuyue.sandbox.openid'

export function currentOpenid(): string | null {
  return localStorage.getItem(OPENID_KEY)
}

export async function sandboxAppId(): Promise<string> {
  const apps = await configuredApps()
  const preferred = process.env.TARO_APP_ID
  const appId = preferred && apps.includes(preferred) ? preferred : apps[0]
  if (!appId) throw new Error('the WeChat sandbox has no app configured')
  return appId
}

/** wx.login: a fresh code for the stored identity, or for a new one the first time. */
export async function sandboxLoginCode(): Promise<string> {
  const issued = await issueLoginCode({
    appId: await sandboxAppId(),
    ...(currentOpenid() ? { openid: currentOpenid()! } : {}),
  })
  localStorage.setItem(OPENID_KEY, issued.openid)
  return issued.code
}

/** Becomes another WeChat user: the next login creates (or finds) that person. */
export function switchIdentity(openid: string | null): void {
  if (openid) localStorage.setItem(OPENID_KEY, openid)
  else localStorage.removeItem(OPENID_KEY)
}

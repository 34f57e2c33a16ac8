import { BULK_CODES_MAX, type SandboxStats } from '@yuyue/wechat-sandbox'

/** The WeChat sandbox's control API, as the load generators use it: codes in bulk, call counts. */
export class SandboxControl {
  constructor(
    readonly url: string,
    readonly appId: string,
  ) {}

  private async post<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.url}/__sandbox${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`sandbox ${path} answered ${response.status}: ${text.slice(0, 300)}`)
    return JSON.parse(text) as T
  }

  /** One fresh wx.login code per openid, in order (an openid may appear several times). */
  async loginCodes(openids: readonly string[]): Promise<string[]> {
    const codes: string[] = []
    for (let i = 0; i < openids.length; i += BULK_CODES_MAX) {
      const identities = openids.slice(i, i + BULK_CODES_MAX).map((openid) => ({ openid }))
      const answer = await this.post<{ codes: { code: string }[] }>('/login-codes', {
        appId: this.appId,
        identities,
      })
      for (const { code } of answer.codes) codes.push(code)
    }
    return codes
  }

  /** One fresh getPhoneNumber code per (number, openid), in order. */
  async phoneCodes(phones: readonly { phoneNumber: string; openid: string }[]): Promise<string[]> {
    const codes: string[] = []
    for (let i = 0; i < phones.length; i += BULK_CODES_MAX) {
      const answer = await this.post<{ codes: { code: string }[] }>('/phone-codes', {
        appId: this.appId,
        phones: phones.slice(i, i + BULK_CODES_MAX),
      })
      for (const { code } of answer.codes) codes.push(code)
    }
    return codes
  }

  /** One accept of each template for each openid, as WeChat keeps them after its sheet. */
  async grantSubscriptions(openids: readonly string[], templateIds: string[]): Promise<void> {
    for (let i = 0; i < openids.length; i += BULK_CODES_MAX) {
      await this.post('/subscriptions/batch', {
        appId: this.appId,
        grants: openids.slice(i, i + BULK_CODES_MAX).map((openid) => ({ openid, templateIds })),
      })
    }
  }

  /** How many subscribe messages the sandbox took, and for how many people. */
  async sentMessages(): Promise<{ messages: number; people: number }> {
    const response = await fetch(`${this.url}/__sandbox/messages`)
    if (!response.ok) throw new Error(`sandbox /messages answered ${response.status}`)
    const { messages } = (await response.json()) as { messages: { touser: string }[] }
    return { messages: messages.length, people: new Set(messages.map((m) => m.touser)).size }
  }

  async stats(): Promise<SandboxStats> {
    const response = await fetch(`${this.url}/__sandbox/stats`)
    if (!response.ok) throw new Error(`sandbox /stats answered ${response.status}`)
    return (await response.json()) as SandboxStats
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './support/harness'

describe('GET /api/config', () => {
  let h: Harness
  let other: Harness
  beforeAll(async () => {
    h = await startHarness()
    other = await startHarness({
      env: { APP_TIMEZONE: 'America/New_York', WECHAT_TEMPLATES: 'reminder:tmplReminder01' },
    })
  })
  afterAll(async () => {
    await h.close()
    await other.close()
  })

  it('serves the zone and the booking rules in force to anyone, without a token', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/config' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      timeZone: 'Asia/Shanghai',
      subscribeTemplates: {},
      bookingWindowDays: 7,
      cancelCutoffMinutes: 0,
      maxActivePerDay: 0,
      checkInOpensMinutesBefore: 30,
    })
  })

  it('serves the APP_TIMEZONE the API runs with and the templates configured, by kind', async () => {
    const response = await other.app.inject({ method: 'GET', url: '/api/config' })
    expect(response.json()).toMatchObject({
      timeZone: 'America/New_York',
      subscribeTemplates: { reminder: 'tmplReminder01' },
    })
    expect(response.json().subscribeTemplates).not.toHaveProperty('cancelled')
  })
})

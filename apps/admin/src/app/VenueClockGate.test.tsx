// @vitest-environment jsdom

import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { formatDateTime } from '../lib/time'
import { installBrowserStubs } from '../test/renderWithProviders'
import { Providers } from './Providers'
import { VenueClockGate } from './VenueClockGate'

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })
const config = (timeZone: string) => ({
  timeZone,
  subscribeTemplates: {},
  bookingWindowDays: 7,
  cancelCutoffMinutes: 0,
  maxActivePerDay: 0,
  checkInOpensMinutesBefore: 30,
})

function Shown() {
  return <p>{formatDateTime('2025-06-02T02:30:00.000Z')}</p>
}

function renderGate() {
  render(
    <Providers language="zh">
      <VenueClockGate>
        <Shown />
      </VenueClockGate>
    </Providers>,
  )
}

describe('VenueClockGate', () => {
  const fetchMock = vi.fn<typeof fetch>()
  beforeAll(installBrowserStubs)
  beforeEach(() => vi.stubGlobal('fetch', fetchMock))
  afterEach(() => {
    cleanup()
    fetchMock.mockReset()
    vi.unstubAllGlobals()
  })

  it("shows times in the zone the API serves, whatever the browser's zone", async () => {
    fetchMock.mockResolvedValue(json(config('America/New_York')))
    renderGate()
    expect(await screen.findByText('2025-06-01 22:30')).toBeTruthy()
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/config')
    // no token is needed or sent for the zone
    expect(new Headers(fetchMock.mock.calls[0]![1]?.headers).has('authorization')).toBe(false)
  })

  it('shows no page until the zone is known, and offers a retry when it cannot be read', async () => {
    fetchMock.mockResolvedValue(json({ error: { code: 'INTERNAL', message: '服务器内部错误' } }, 500))
    renderGate()
    const retry = await screen.findByRole('button', { name: '重试' }, { timeout: 10_000 })
    expect(screen.queryByText(/2025-06-/)).toBeNull()
    fetchMock.mockResolvedValue(json(config('Asia/Shanghai')))
    await userEvent.setup().click(retry)
    expect(await screen.findByText('2025-06-02 10:30')).toBeTruthy()
  })
})

// @vitest-environment jsdom

import { cleanup, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { AdminUser } from '@yuyue/contracts'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearSession, saveSession } from '../../lib/session'
import { installBrowserStubs, renderWithProviders } from '../../test/renderWithProviders'
import UsersPage from './UsersPage'

const nurse: AdminUser = {
  id: 7,
  role: 'staff',
  nickname: '陈静',
  avatarUrl: null,
  mobile: '13800138005',
  countryCode: '86',
  unionid: null,
  isDeleted: false,
  createdAt: '2025-06-01T01:00:00.000Z',
  lastLoginAt: '2025-06-02T02:30:00.000Z',
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })

describe('UsersPage', () => {
  const fetchMock = vi.fn<typeof fetch>()
  beforeAll(installBrowserStubs)
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock)
    saveSession({ token: 't', expiresIn: 3600, admin: { id: 1, username: 'admin' } })
  })
  afterEach(() => {
    cleanup()
    fetchMock.mockReset()
    vi.unstubAllGlobals()
    clearSession()
  })

  it('lists people with their role, masked phone and last login (in Asia/Shanghai)', async () => {
    fetchMock.mockResolvedValue(json({ items: [nurse], total: 1, page: 1, pageSize: 20 }))
    renderWithProviders(<UsersPage />, { path: '/users?role=staff' })
    const row = await screen.findByRole('row', { name: /陈静/ }, { timeout: 5000 })
    expect(row.textContent).toContain('工作人员')
    expect(row.textContent).toContain('138****8005')
    expect(row.textContent).toContain('2025-06-02 10:30')
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/admin/users?role=staff&page=1&pageSize=20')
  })

  it('disables a person only after the confirmation, and shows the row the API answered', async () => {
    fetchMock.mockImplementation(async (_url, init) =>
      init?.method === 'PATCH'
        ? json({ ...nurse, isDeleted: true })
        : json({ items: [nurse], total: 1, page: 1, pageSize: 20 }),
    )
    const user = userEvent.setup()
    renderWithProviders(<UsersPage />, { path: '/users' })
    const row = await screen.findByRole('row', { name: /陈静/ }, { timeout: 5000 })
    // no filter chosen: the selects say so, in Chinese punctuation
    expect(screen.getByText('角色：全部')).toBeTruthy()
    expect(screen.getByText('状态：全部')).toBeTruthy()
    const toggle = within(row).getByRole('switch', { name: '陈静 的启用状态' })
    expect(toggle.getAttribute('aria-checked')).toBe('true')

    await user.click(toggle)
    expect(fetchMock).toHaveBeenCalledTimes(1) // nothing sent before the confirmation
    expect(await screen.findByText(/确定禁用 陈静？/)).toBeTruthy()
    await user.click(screen.getByRole('button', { name: '确定' }))

    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'))
    const patch = fetchMock.mock.calls.find(([, init]) => init?.method === 'PATCH')!
    expect(patch[0]).toBe('/api/admin/users/7')
    expect(patch[1]?.body).toBe('{"isDeleted":true}')
    expect(row.textContent).toContain('已禁用')
  })
})

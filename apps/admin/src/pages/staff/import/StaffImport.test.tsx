// @vitest-environment jsdom

import { cleanup, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { StaffImportBody } from '@yuyue/contracts'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearSession, saveSession } from '../../../lib/session'
import { installBrowserStubs, renderWithProviders } from '../../../test/renderWithProviders'
import { planImport } from './importChunks'
import { parseStaffFile } from './parseStaffFile'
import { StaffImport } from './StaffImport'

// jsdom has no workers: the component gets the same parser, run on this thread
const readHere = async (file: File) =>
  planImport(await parseStaffFile(file.name, new Uint8Array(await file.arrayBuffer())))

// "手机号,姓名\r\n13800138000,张三\r\n12345,李四\r\n13800138000,张三\r\n13900139000,王五\r\n" in GBK
const GBK_FILE = Uint8Array.from(
  Buffer.from(
    'cad6bbfabac52cd0d5c3fb0d0a31333830303133383030302cd5c5c8fd0d0a31323334352cc0eecbc40d0a' +
      '31333830303133383030302cd5c5c8fd0d0a31333930303133393030302ccdf5cee50d0a',
    'hex',
  ),
)

const count = (label: string) => within(screen.getByRole('group', { name: label })).getByText(/^[\d,]+$/)

describe('StaffImport', () => {
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

  it('previews a GBK file: counts, encoding, and each refused row with its row number and reason', async () => {
    const user = userEvent.setup()
    const { container } = renderWithProviders(<StaffImport readFile={readHere} />)
    const input = container.querySelector<HTMLInputElement>('input[type=file]')!
    await user.upload(input, new File([GBK_FILE], '名单.csv', { type: 'text/csv' }))

    expect(await screen.findByText('预览：名单.csv', {}, { timeout: 5000 })).toBeTruthy()
    expect(screen.getByText('编码：GBK')).toBeTruthy()
    expect(count('总行数').textContent).toBe('4')
    expect(count('有效').textContent).toBe('2')
    expect(count('无效').textContent).toBe('2')
    expect(count('文件内重复').textContent).toBe('1')
    const refused = screen.getAllByRole('row').slice(1)
    expect(refused.map((row) => row.textContent)).toEqual([
      '312345李四手机号格式不正确',
      '413800138000张三与文件中前面的行重复',
    ])
    expect(screen.getByRole('button', { name: '确认导入 2 条' })).toBeTruthy()
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('sends the valid rows after the confirmation and sums up the result', async () => {
    fetchMock.mockImplementation(async (_url, init) => {
      const body = JSON.parse(String(init?.body)) as StaffImportBody
      return new Response(
        JSON.stringify({
          inserted: 1,
          updated: 0,
          unchanged: 0,
          promoted: 1,
          // the API refuses one row the preview let through: reported at its row in the file
          invalid: [{ index: 1, mobile: body.rows[1]!.mobile, reason: 'INVALID_MOBILE' }],
          dryRun: false,
        }),
        { status: 200 },
      )
    })
    const user = userEvent.setup()
    const { container } = renderWithProviders(<StaffImport readFile={readHere} />)
    await user.upload(
      container.querySelector<HTMLInputElement>('input[type=file]')!,
      new File([GBK_FILE], '名单.csv'),
    )
    await screen.findByText('预览：名单.csv', {}, { timeout: 5000 })
    await user.click(screen.getByRole('button', { name: '确认导入 2 条' }))

    expect(await screen.findByText('导入完成')).toBeTruthy()
    expect(fetchMock).toHaveBeenCalledOnce()
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/admin/staff/import')
    expect(JSON.parse(String(init?.body))).toEqual({
      rows: [
        { mobile: '13800138000', name: '张三' },
        { mobile: '13900139000', name: '王五' },
      ],
      // one entry in the audit log for the file, with the rows the preview refused
      importId: expect.stringMatching(/^[\w-]{8,64}$/),
      fileName: '名单.csv',
      fileInvalid: 2,
    })
    await waitFor(() => expect(count('新增').textContent).toBe('1'))
    expect(count('升级为工作人员的用户').textContent).toBe('1')
    expect(count('无效').textContent).toBe('3')
    expect(screen.getByRole('button', { name: /下载无效行（3）/ })).toBeTruthy()
    const rows = screen.getAllByRole('row').slice(1)
    expect(rows.map((row) => (row as HTMLTableRowElement).cells[0]?.textContent)).toEqual(['3', '4', '5'])
  })

  it('says why a file cannot be used', async () => {
    const user = userEvent.setup()
    const { container } = renderWithProviders(<StaffImport readFile={readHere} />)
    await user.upload(
      container.querySelector<HTMLInputElement>('input[type=file]')!,
      new File(['姓名,备注\n张三,x\n'], 'names.csv'),
    )
    expect((await screen.findByRole('alert', {}, { timeout: 5000 })).textContent).toContain(
      '表头中找不到手机号列',
    )
  })
})

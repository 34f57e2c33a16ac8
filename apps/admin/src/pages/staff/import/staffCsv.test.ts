import { describe, expect, it } from 'vitest'
import { zh } from '../../../app/i18n/zh'
import type { RefusedRow } from './checkRows'
import { parseCsv } from './csv'
import { parseStaffFile } from './parseStaffFile'
import { refusedRowsCsv, staffTemplateCsv } from './staffCsv'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('the staff CSV files offered for download', () => {
  it('the template imports as its two example rows', async () => {
    const preview = await parseStaffFile('template.csv', bytes(staffTemplateCsv()))
    expect(preview.invalid).toEqual([])
    expect(preview.valid).toEqual([
      { row: 2, data: { mobile: '13800138000', name: '张三', note: '前台' } },
      { row: 3, data: { mobile: '13900139000', name: '李四' } },
    ])
  })

  it('the refused rows keep their phone numbers verbatim and are refused again for the same reasons', async () => {
    const refused: RefusedRow[] = [
      { row: 7, mobile: '+86 139-0013-900', name: '李四', note: '', reason: 'INVALID_MOBILE' },
      { row: 3, mobile: '-138 0013 800', name: '', note: '夜班', reason: 'INVALID_MOBILE' },
      { row: 5, mobile: '=cmd', name: '@x', note: '', reason: 'INVALID_MOBILE' },
    ]
    const text = refusedRowsCsv(refused, zh)
    const [, ...body] = parseCsv(text.slice(1)).map((r) => r.cells)
    expect(body.map((cells) => cells[1])).toEqual(['-138 0013 800', "'=cmd", '+86 139-0013-900'])

    const preview = await parseStaffFile('refused.csv', bytes(text))
    expect(preview.valid).toEqual([])
    expect(preview.invalid.map((r) => [r.mobile, r.name, r.note, r.reason])).toEqual([
      ['-138 0013 800', '', '夜班', 'INVALID_MOBILE'],
      ["'=cmd", "'@x", '', 'INVALID_MOBILE'],
      ['+86 139-0013-900', '李四', '', 'INVALID_MOBILE'],
    ])
  })

  it('a file an earlier version wrote, with an apostrophe before the phone number, imports', async () => {
    const text = "\ufeff手机号,姓名,备注\r\n13800138000,张三,前台\r\n'+86 139-0013-9000,李四,\r\n"
    const preview = await parseStaffFile('template.csv', bytes(text))
    expect(preview.invalid).toEqual([])
    expect(preview.valid.map((r) => r.data.mobile)).toEqual(['13800138000', '13900139000'])
  })
})

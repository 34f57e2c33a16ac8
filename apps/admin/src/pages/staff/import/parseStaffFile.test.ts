import * as XLSX from '@e965/xlsx'
import { describe, expect, it } from 'vitest'
import { StaffFileError } from './columns'
import { parseStaffFile } from './parseStaffFile'

const utf8 = (text: string) => new TextEncoder().encode(text)
const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)])
/** GBK bytes as Excel on a Chinese Windows writes them (Node's encoder has no GBK, Python made these) */
const gbk = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/\s/g, ''), 'hex'))

function xlsxBytes(rows: unknown[][], origin = 'A1'): Uint8Array {
  const sheet = XLSX.utils.sheet_add_aoa(XLSX.utils.aoa_to_sheet([]), rows, { origin })
  const book = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(book, sheet, '名单')
  return new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer)
}

const mobiles = (preview: Awaited<ReturnType<typeof parseStaffFile>>) =>
  preview.valid.map((r) => r.data.mobile)

describe('parseStaffFile', () => {
  it('reads a GBK CSV with a Chinese header, as Excel on a Chinese Windows saves it', async () => {
    // "手机号,姓名,备注\r\n13800138000,张三,前台\r\n13900139000,李四,\r\n" in GBK
    const bytes = gbk(
      'cad6bbfabac52cd0d5c3fb2cb1b8d7a20d0a' +
        '31333830303133383030302cd5c5c8fd2cc7b0cca80d0a' +
        '31333930303133393030302cc0eecbc42c0d0a',
    )
    const preview = await parseStaffFile('名单.csv', bytes)
    expect(preview.encoding).toBe('gbk')
    expect(preview.header).toBe(true)
    expect(preview.total).toBe(2)
    expect(preview.valid).toEqual([
      { row: 2, data: { mobile: '13800138000', name: '张三', note: '前台' } },
      { row: 3, data: { mobile: '13900139000', name: '李四' } },
    ])
    expect(preview.invalid).toEqual([])
  })

  it('reads UTF-8 with a BOM and English header names in any case and order', async () => {
    const preview = await parseStaffFile(
      'staff.csv',
      withBom('Note,Name,Phone Number\r\nfront desk,王五,+86 138-0013-8001\r\n'),
    )
    expect(preview.encoding).toBe('utf-8-bom')
    expect(preview.header).toBe(true)
    expect(preview.valid).toEqual([
      { row: 2, data: { mobile: '13800138001', name: '王五', note: 'front desk' } },
    ])
  })

  it('reads plain UTF-8 without a header: phone, name, note', async () => {
    const preview = await parseStaffFile('list.csv', utf8('13800138002,赵六,夜班\n8613800138003,钱七\n'))
    expect(preview.encoding).toBe('utf-8')
    expect(preview.header).toBe(false)
    expect(preview.valid.map((r) => [r.row, r.data])).toEqual([
      [1, { mobile: '13800138002', name: '赵六', note: '夜班' }],
      [2, { mobile: '13800138003', name: '钱七' }],
    ])
  })

  it.each([
    ['电话,姓名', '电话'],
    ['手机,名字', '手机'],
    ['手机号码(必填),姓名', '手机号码(必填)'],
    ['* 手机号,姓名', '* 手机号'],
    ['mobile,name', 'mobile'],
    ['PHONE,NAME', 'PHONE'],
    ['phone_number,full name', 'phone_number'],
  ])('recognises the header %s', async (header) => {
    const preview = await parseStaffFile('a.csv', utf8(`${header}\n13800138000,孙八\n`))
    expect(preview.header).toBe(true)
    expect(preview.valid).toEqual([{ row: 2, data: { mobile: '13800138000', name: '孙八' } }])
  })

  it('finds the phone column wherever it is and ignores columns it does not know', async () => {
    const preview = await parseStaffFile('a.csv', utf8('工号,姓名,部门,手机号\nA01,周九,内科,13800138004\n'))
    expect(preview.valid).toEqual([{ row: 2, data: { mobile: '13800138004', name: '周九' } }])
  })

  it('refuses a header without a phone column', async () => {
    await expect(parseStaffFile('a.csv', utf8('姓名,备注\n吴十,x\n'))).rejects.toEqual(
      new StaffFileError('NO_MOBILE_COLUMN'),
    )
  })

  it('refuses an empty file and a file with only a header', async () => {
    await expect(parseStaffFile('a.csv', utf8('\r\n\r\n'))).rejects.toMatchObject({ code: 'EMPTY' })
    await expect(parseStaffFile('a.csv', utf8('手机号,姓名\r\n'))).rejects.toMatchObject({ code: 'EMPTY' })
  })

  it('reports invalid, duplicate and over-long rows with their row numbers, in the API order', async () => {
    const longName = '名'.repeat(65)
    const longNote = 'n'.repeat(256)
    const text = [
      '手机号,姓名,备注',
      '13800138000,甲,',
      '12345,乙,', // not a phone number
      '',
      '+86 138 0013 8000,甲二,', // the same person as row 2, written differently
      `13800138005,${longName},`,
      `13800138006,丙,${longNote}`,
      `13800138007,${'名'.repeat(64)},${'n'.repeat(255)}`, // exactly at the limits: fine
      ',没有号码,',
      `13800138005,丁,`, // repeats row 6, whose name was refused: still a repeat, as in the API
    ].join('\n')
    const preview = await parseStaffFile('a.csv', utf8(text))
    expect(preview.total).toBe(8)
    expect(mobiles(preview)).toEqual(['13800138000', '13800138007'])
    expect(preview.invalid.map((r) => [r.row, r.reason])).toEqual([
      [3, 'INVALID_MOBILE'],
      [5, 'DUPLICATE_IN_REQUEST'],
      [6, 'NAME_TOO_LONG'],
      [7, 'NOTE_TOO_LONG'],
      [9, 'INVALID_MOBILE'],
      [10, 'DUPLICATE_IN_REQUEST'],
    ])
    expect(preview.duplicates).toBe(2)
    expect(preview.invalid[0]).toMatchObject({ mobile: '12345', name: '乙' })
  })

  it('counts characters, not UTF-16 units, as the API does', async () => {
    const name = '𠀀'.repeat(64) // 64 characters outside the BMP: 128 UTF-16 units
    const preview = await parseStaffFile('a.csv', utf8(`13800138000,${name}`))
    expect(preview.invalid).toEqual([])
  })

  it('keeps quoted cells whole: commas, quotes and line breaks', async () => {
    const preview = await parseStaffFile(
      'a.csv',
      utf8('手机号,姓名,备注\n"13800138000","李, 雷","说 ""早""\n下午班"\n13800138001,韩梅梅,\n'),
    )
    expect(preview.valid).toEqual([
      { row: 2, data: { mobile: '13800138000', name: '李, 雷', note: '说 "早"\n下午班' } },
      { row: 3, data: { mobile: '13800138001', name: '韩梅梅' } },
    ])
  })

  it('reads Excel\'s "Unicode text" export: UTF-16 with tabs', async () => {
    const text = '手机号\t姓名\r\n13800138000\t张三\r\n'
    const bytes = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, 'utf16le'))])
    const preview = await parseStaffFile('a.txt', bytes)
    expect(preview.encoding).toBe('utf-16le')
    expect(preview.valid).toEqual([{ row: 2, data: { mobile: '13800138000', name: '张三' } }])
  })

  it('reads an XLSX file, with phone numbers typed as numbers', async () => {
    const bytes = xlsxBytes([
      ['手机号', '姓名', '备注'],
      [13800138000, '张三', '前台'],
      ['139 0013 9000', '李四', null],
      [],
      [12345, '错号', ''],
      [8613800138000, '重复', ''],
    ])
    const preview = await parseStaffFile('名单.xlsx', bytes)
    expect(preview.encoding).toBe('xlsx')
    expect(preview.total).toBe(4)
    expect(preview.valid).toEqual([
      { row: 2, data: { mobile: '13800138000', name: '张三', note: '前台' } },
      { row: 3, data: { mobile: '13900139000', name: '李四' } },
    ])
    expect(preview.invalid.map((r) => [r.row, r.reason])).toEqual([
      [5, 'INVALID_MOBILE'],
      [6, 'DUPLICATE_IN_REQUEST'],
    ])
  })

  it('numbers XLSX rows as Excel does when the table does not start at A1', async () => {
    const preview = await parseStaffFile('a.xlsx', xlsxBytes([['mobile'], ['13800138000']], 'B3'))
    expect(preview.valid).toEqual([{ row: 4, data: { mobile: '13800138000' } }])
  })

  it('keeps other countries in their canonical international form', async () => {
    const preview = await parseStaffFile('a.csv', utf8('phone\n+852 6123 4567\n'))
    expect(mobiles(preview)).toEqual(['+85261234567'])
  })

  it('refuses files that are neither CSV nor XLSX, and broken XLSX files', async () => {
    await expect(parseStaffFile('a.pdf', utf8('x'))).rejects.toMatchObject({ code: 'UNREADABLE' })
    await expect(parseStaffFile('a.xlsx', utf8('13800138000,text renamed to .xlsx'))).rejects.toMatchObject({
      code: 'UNREADABLE',
    })
  })

  it('reads 100 000 rows quickly', async () => {
    const lines = ['手机号,姓名']
    for (let i = 0; i < 100_000; i++) lines.push(`139${String(i).padStart(8, '0')},员工${i}`)
    const started = performance.now()
    const preview = await parseStaffFile('big.csv', utf8(lines.join('\r\n')))
    expect(preview.valid).toHaveLength(100_000)
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})

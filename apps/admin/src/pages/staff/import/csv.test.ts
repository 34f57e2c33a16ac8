import { describe, expect, it } from 'vitest'
import { parseCsv, toCsv, unneutralise } from './csv'

describe('toCsv', () => {
  it('starts with a BOM and ends lines with CRLF, so Excel on Windows reads the Chinese', () => {
    expect(toCsv([['手机号', '姓名']])).toBe('\ufeff手机号,姓名\r\n')
  })

  it('quotes cells with delimiters, quotes and line breaks, and reads them back whole', () => {
    const rows = [['a,b', 'say "hi"', 'two\nlines', 'plain']]
    const text = toCsv(rows)
    expect(text).toBe('\ufeff"a,b","say ""hi""","two\nlines",plain\r\n')
    expect(parseCsv(text.slice(1)).map((r) => r.cells)).toEqual(rows)
  })

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(toCsv([['=cmd', '=HYPERLINK("x")', '@SUM(A1)', "+cmd|' /C calc'!A0", '-2+3', '\tx']])).toBe(
      "\ufeff'=cmd,\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1),'+cmd|' /C calc'!A0,'-2+3,'\tx\r\n",
    )
  })

  it('writes phone numbers as they are, even with a leading + or -', () => {
    const phones = ['+86 139-0013-9000', '+1 (555) 010-0000', '-1', '13800138000']
    expect(toCsv([phones])).toBe(`\ufeff${phones.join(',')}\r\n`)
  })
})

describe('unneutralise', () => {
  it('reads a phone number an earlier version guarded as the number', () => {
    expect(unneutralise("'+86 139-0013-9000")).toBe('+86 139-0013-9000')
    expect(unneutralise("'-1")).toBe('-1')
  })

  it('leaves any other apostrophe alone', () => {
    expect(unneutralise("'=cmd")).toBe("'=cmd")
    expect(unneutralise("'+")).toBe("'+")
    expect(unneutralise("O'Brien")).toBe("O'Brien")
  })
})

describe('parseCsv', () => {
  it('numbers records as Excel rows, blank lines included', () => {
    expect(parseCsv('a\r\n\r\nb\rc\n')).toEqual([
      { row: 1, cells: ['a'] },
      { row: 2, cells: [''] },
      { row: 3, cells: ['b'] },
      { row: 4, cells: ['c'] },
    ])
  })

  it('keeps a last line without a line break and empty trailing cells', () => {
    expect(parseCsv('a,,\nb,c').map((r) => r.cells)).toEqual([
      ['a', '', ''],
      ['b', 'c'],
    ])
  })

  it('uses semicolons or tabs when the first line has no comma', () => {
    expect(parseCsv('a;b\n1;2').map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(parseCsv('a\tb\n1\t2,3').map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1', '2,3'],
    ])
  })
})

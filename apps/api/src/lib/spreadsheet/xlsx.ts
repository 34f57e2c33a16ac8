import { Zip, ZipDeflate } from 'fflate'
import { formulaSafe } from './cells'

/**
 * A one-sheet XLSX (Office Open XML) written as a stream: the sheet's XML is deflated into the zip
 * page by page, and what the zip has produced is handed on after each page, so no more than a page
 * of rows is held. Every cell is an inline string, which a spreadsheet never evaluates as a
 * formula; `formulaSafe` is still applied so a copy saved as CSV stays safe.
 */

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`

const workbook = (sheetName: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`

const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`

const SHEET_START = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const SHEET_END = '</sheetData></worksheet>'

// characters XML 1.0 cannot carry at all
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what is removed
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
}

/** A, B, …, Z, AA, … for a 0-based column. */
function columnName(index: number): string {
  let name = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name
  return name
}

function rowXml(rowNumber: number, cells: string[]): string {
  const xml = cells
    .map(
      (value, i) =>
        `<c r="${columnName(i)}${rowNumber}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(formulaSafe(value))}</t></is></c>`,
    )
    .join('')
  return `<row r="${rowNumber}">${xml}</row>`
}

const encoder = new TextEncoder()

export async function* xlsxFile(
  sheetName: string,
  header: string[],
  pages: AsyncIterable<string[][]>,
): AsyncGenerator<Uint8Array> {
  const produced: Uint8Array[] = []
  let failure: Error | null = null
  const zip = new Zip((error, chunk) => {
    if (error) failure = error
    else produced.push(chunk)
  })
  const drain = function* () {
    if (failure) throw failure
    while (produced.length > 0) yield produced.shift()!
  }
  // deflated, never stored: a stored entry whose size comes after its data (a stream's data
  // descriptor) cannot be read by streaming readers (Java's ZipInputStream, SheetJS)
  const whole = (name: string, text: string) => {
    const entry = new ZipDeflate(name, { level: 6 })
    zip.add(entry)
    entry.push(encoder.encode(text), true)
  }
  whole('[Content_Types].xml', CONTENT_TYPES)
  whole('_rels/.rels', ROOT_RELS)
  whole('xl/workbook.xml', workbook(sheetName))
  whole('xl/_rels/workbook.xml.rels', WORKBOOK_RELS)
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 })
  zip.add(sheet)
  let rowNumber = 1
  sheet.push(encoder.encode(SHEET_START + rowXml(rowNumber++, header)))
  yield* drain()
  for await (const page of pages) {
    sheet.push(encoder.encode(page.map((cells) => rowXml(rowNumber++, cells)).join('')))
    yield* drain()
  }
  sheet.push(encoder.encode(SHEET_END), true)
  zip.end()
  yield* drain()
}

/** How the bytes of a CSV file were read; shown in the preview so a surprise is visible. */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'gbk' | 'utf-16le'

/**
 * Reads a CSV file's bytes as text, whatever Excel wrote: UTF-8 with a BOM ("CSV UTF-8"),
 * UTF-16 with a BOM ("Unicode text"), or the legacy code page of a Chinese Windows (GBK, which the
 * WHATWG decoder reads as its superset GB18030). Without a BOM, bytes that are valid UTF-8 are
 * UTF-8: GBK text with Chinese characters is practically never valid UTF-8, and ASCII is both.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' }
  }
}

import qrcode from 'qrcode-generator'
import type { DrawingSurface } from '@/platform'

/**
 * The QR of a 预约码 as rows of modules (true = dark). Error correction M: a phone screen is
 * clean, and a lower version keeps the modules large for the staff's camera.
 */
export function qrModules(text: string): boolean[][] {
  const code = qrcode(0, 'M')
  code.addData(text, 'Byte')
  code.make()
  const count = code.getModuleCount()
  return Array.from({ length: count }, (_, row) =>
    Array.from({ length: count }, (_, col) => code.isDark(row, col)),
  )
}

/** The quiet zone around the symbol, in modules (the QR standard asks for 4). */
export const QUIET_ZONE = 4

/**
 * Draws the modules onto the canvas, `pixels` wide or a little less: every module a whole number
 * of pixels, so no edge blurs between two of them.
 */
export function drawModules(surface: DrawingSurface, modules: boolean[][], pixels: number): void {
  const span = modules.length + 2 * QUIET_ZONE
  const cell = Math.max(1, Math.floor(pixels / span))
  surface.width = cell * span
  surface.height = cell * span
  const context = surface.getContext('2d')
  if (!context) return
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, surface.width, surface.height)
  context.fillStyle = '#000000'
  modules.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) context.fillRect((x + QUIET_ZONE) * cell, (y + QUIET_ZONE) * cell, cell, cell)
    })
  })
}

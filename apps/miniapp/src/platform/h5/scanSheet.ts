import type { DrawingSurface } from '../types'
import { showSheet } from './domSheet'

/**
 * Stands in for WeChat's camera (wx.scanCode): a browser has no scanner the app may rely on, so
 * the code under the person's QR is pasted or typed. What comes back is what the camera would read.
 */
export function scanByPasting(): Promise<string | null> {
  return showSheet<string>({
    title: '扫码（沙箱）',
    note: '模拟 wx.scanCode：粘贴对方预约码下方的文字',
    options: [],
    input: {
      placeholder: '预约码',
      pattern: /\S/,
      submitLabel: '确定',
      inputMode: 'text',
      toValue: (text) => text,
    },
  })
}

/** Taro's H5 `<Canvas id>` is an element wrapping the browser's canvas. */
export async function canvasById(id: string): Promise<DrawingSurface | null> {
  const host = document.getElementById(id)
  if (!host) return null
  return host instanceof HTMLCanvasElement ? host : host.querySelector('canvas')
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { QUIET_ZONE, qrModules } from '@/secondary/booking-code/qr'
import {
  bookSoonSlot,
  button,
  openStaffView,
  type Servers,
  soonSlot,
  startServers,
  waitForRoute,
} from './miniProgram'

/**
 * 预约码 and 扫码签到 in the weapp package, in the model of WeChat's runtime against the real API:
 * the person shows the code drawn on a Canvas 2D, the staff's wx.scanCode reads it, and the
 * person's booking reads 已签到.
 */

let servers: Servers

beforeAll(async () => {
  servers = await startServers()
}, 90_000)
afterAll(() => servers?.stop())

/** Reads the QR back from the canvas: one sample at the centre of every module. */
function modulesDrawn(canvas: { width: number; colorAt(x: number, y: number): string }, count: number) {
  const cell = canvas.width / (count + 2 * QUIET_ZONE)
  return Array.from({ length: count }, (_, row) =>
    Array.from(
      { length: count },
      (_, col) =>
        canvas.colorAt((col + QUIET_ZONE + 0.5) * cell, (row + QUIET_ZONE + 0.5) * cell) === '#000000',
    ),
  )
}

describe('scan to check in (weapp)', () => {
  it.skipIf(soonSlot() === null)(
    'the person shows the 预约码, staff scan it and confirm, the booking reads 已签到',
    async () => {
      const { person } = await bookSoonSlot(servers, '13800138041', { title: '扫码演示', capacity: 3 })

      // 我的预约 → 预约码: a page of the subpackage, drawn on a Canvas 2D
      await person.tapTab('pages/bookings/index')
      const card = await person.waitFor(() => person.find({ className: 'booking-card', text: '扫码演示' }))
      await person.tap(button(person, '预约码', card))
      await waitForRoute(person, 'secondary/booking-code/index')
      expect(person.loadedScripts).toContain('secondary/booking-code/index.js')
      const code = await person.waitFor(() => person.find({ className: 'booking-code__text' }).text().trim())
      // drawn once the canvas node was found and the modules filled (waitFor takes 0 as an answer)
      const canvas = await person.waitFor(() => {
        const node = person.canvas('booking-qr')
        return node && (node.getContext('2d')?.rects.length ?? 0) > 0 ? node : null
      })
      const expected = qrModules(code)
      expect(modulesDrawn(canvas, expected.length)).toEqual(expected)
      expect(person.text()).toContain('扫码演示')

      const staff = await openStaffView(servers, '13900000041', '员工丙')
      await staff.waitForText('未到 1')

      // the camera reads the code under the QR; the dry run shows who and which slot
      staff.scans.push(code)
      await staff.tap(button(staff, '扫码签到'))
      const confirm = await staff.waitFor(() => staff.screen.openModal())
      expect(confirm.title).toBe('确认签到')
      expect(confirm.content).toContain('138****8041')
      expect(confirm.content).toContain('扫码演示')
      confirm.confirm()
      await staff.waitFor(() => staff.screen.toasts.includes('签到成功'))
      await staff.waitForText('已签到 1')
      expect(staff.text()).toContain('撤销签到')

      // the person's code is spent: a refresh says so, and 我的预约 reads 已签到
      await person.tap(button(person, '刷新'))
      await person.waitForText('该预约已取消或已签到')
      await person.tap(button(person, '查看我的预约'))
      await waitForRoute(person, 'pages/bookings/index')
      await person.waitFor(() =>
        person.find({ className: 'booking-card', text: '扫码演示' }).text().includes('已签到'),
      )
    },
  )
})

import type { StaffSlot } from '@yuyue/contracts'
import { describe, expect, it } from 'vitest'
import { cancellationNote } from '@/components/BookingCard/cancellation'
import { drawModules, QUIET_ZONE, qrModules } from '@/secondary/booking-code/qr'
import { REFRESH_MARGIN_MS, REFRESH_MAX_MS, refreshDelay } from '@/secondary/booking-code/refresh'
import { canUndo, dayTotals, filterDay } from '@/secondary/staff/staffDay'

const slot = (id: number, bookings: StaffSlot['bookings']): StaffSlot => ({
  slot: {
    id,
    startsAt: '2026-12-08T01:00:00.000Z',
    endsAt: '2026-12-08T02:00:00.000Z',
    title: '体检',
    capacity: 5,
    booked: bookings.length,
  },
  bookings,
})

const entry = (
  id: number,
  status: StaffSlot['bookings'][number]['status'],
  nickname: string | null,
  phoneMasked: string | null,
  checkedInAt: string | null = null,
) => ({ id, status, createdAt: '2026-12-07T00:00:00.000Z', checkedInAt, user: { nickname, phoneMasked } })

const day = [
  slot(1, [
    entry(1, 'booked', '小明', '138****8000'),
    entry(2, 'checked_in', '王小红', '139****1234', '2026-12-08T00:55:00.000Z'),
    entry(3, 'cancelled', '张三', '137****0000'),
  ]),
  slot(2, [entry(4, 'booked', null, '136****5678'), entry(5, 'booked', 'Amy', null)]),
]

describe('the staff view of a day', () => {
  it('counts booked, checked in and not arrived, leaving cancelled bookings out', () => {
    expect(dayTotals(day)).toEqual({ booked: 4, checkedIn: 1, notArrived: 3 })
    expect(dayTotals([])).toEqual({ booked: 0, checkedIn: 0, notArrived: 0 })
  })

  it('finds people by part of the nickname or the phone’s last digits, dropping slots with no match', () => {
    const ids = (query: string) => filterDay(day, query).flatMap((s) => s.bookings.map((b) => b.id))
    expect(ids('')).toEqual([1, 2, 3, 4, 5])
    expect(ids('小红')).toEqual([2])
    expect(ids('amy')).toEqual([5])
    expect(ids('5678')).toEqual([4])
    expect(ids('34')).toEqual([2])
    // digits inside the masked middle are not the person's: only the tail is known
    expect(ids('138')).toEqual([])
    expect(filterDay(day, '小明').map((s) => s.slot.id)).toEqual([1])
  })

  it('offers undo for ten minutes after the check-in', () => {
    const checkedIn = entry(2, 'checked_in', 'x', null, '2026-12-08T00:55:00.000Z')
    const at = Date.parse('2026-12-08T00:55:00.000Z')
    expect(canUndo(checkedIn, at + 9 * 60_000)).toBe(true)
    expect(canUndo(checkedIn, at + 10 * 60_000)).toBe(false)
    expect(canUndo(entry(1, 'booked', 'x', null), at)).toBe(false)
  })
})

describe('the 预约码 page', () => {
  it('refreshes 15 s before the code expires, at least every 60 s and never in a busy loop', () => {
    const now = Date.parse('2026-12-08T01:00:00.000Z')
    const at = (ms: number) => new Date(now + ms).toISOString()
    expect(refreshDelay(at(90_000), now)).toBe(REFRESH_MAX_MS)
    expect(refreshDelay(at(30_000), now)).toBe(30_000 - REFRESH_MARGIN_MS)
    // a phone clock far off either way
    expect(refreshDelay(at(-3_600_000), now)).toBe(5_000)
    expect(refreshDelay(at(3_600_000), now)).toBe(REFRESH_MAX_MS)
    expect(refreshDelay('not a date', now)).toBe(5_000)
  })

  it('draws every dark module as a whole-pixel square inside the quiet zone', () => {
    const modules = qrModules('Y1.1.abc.nonce.mac')
    const rects: { x: number; y: number; w: number; h: number; style: unknown }[] = []
    const context = {
      fillStyle: '' as unknown,
      fillRect(x: number, y: number, w: number, h: number) {
        rects.push({ x, y, w, h, style: this.fillStyle })
      },
      clearRect() {},
    }
    const surface = { width: 0, height: 0, getContext: () => context }
    drawModules(surface, modules, 480)
    const span = modules.length + 2 * QUIET_ZONE
    const cell = Math.floor(480 / span)
    expect(surface.width).toBe(cell * span)
    const dark = modules.flat().filter(Boolean).length
    expect(rects.filter((r) => r.style === '#000000')).toHaveLength(dark)
    expect(rects[0]).toEqual({ x: 0, y: 0, w: surface.width, h: surface.width, style: '#ffffff' })
    // the top-left finder pattern starts at the quiet zone's edge
    expect(rects[1]).toMatchObject({ x: QUIET_ZONE * cell, y: QUIET_ZONE * cell, w: cell, h: cell })
  })
})

describe('a cancelled booking in 我的预约', () => {
  it('says who cancelled it and why', () => {
    expect(cancellationNote({ status: 'cancelled', cancelledBy: 'admin', cancelReason: '场地维修' })).toBe(
      '管理员取消：场地维修',
    )
    expect(cancellationNote({ status: 'cancelled', cancelledBy: 'user', cancelReason: null })).toBe(
      '你已取消',
    )
    expect(cancellationNote({ status: 'booked', cancelledBy: null, cancelReason: null })).toBeNull()
  })
})

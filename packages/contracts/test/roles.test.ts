import { describe, expect, it } from 'vitest'
import { can, permissions, rolePermissions } from '../src/roles'

describe('role → permission map', () => {
  it('gives staff everything a user may do, plus the staff booking view', () => {
    for (const p of rolePermissions.user) expect(can('staff', p)).toBe(true)
    expect(can('staff', 'staffBookings.checkIn')).toBe(true)
    expect(can('user', 'staffBookings.read')).toBe(false)
  })

  it('keeps admin permissions and mini-program permissions apart', () => {
    for (const p of permissions) {
      const adminOnly = p.startsWith('admin.')
      expect(can('admin', p)).toBe(adminOnly)
      expect(can('staff', p)).toBe(!adminOnly)
    }
  })
})

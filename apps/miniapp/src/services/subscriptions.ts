import type { AppConfigResponse, Booking, SubscribeKindName } from '@yuyue/contracts'
import type { Platform } from '@/platform/types'

type Templates = AppConfigResponse['subscribeTemplates']

/** The templates the API offers (GET /api/config, read at launch); none until it is read. */
let offered: Templates = {}

export function rememberSubscribeTemplates(templates: Templates): void {
  offered = templates
}

/** No reminder for a slot this close: the person is on the way (the API records none either). */
const NO_REMINDER_WITHIN_MS = 10 * 60_000

/** What to ask for when booking this slot: a reminder only when one can still be sent. */
export function kindsForBooking(startsAt: string, now: number): SubscribeKindName[] {
  return new Date(startsAt).getTime() - now > NO_REMINDER_WITHIN_MS
    ? ['reminder', 'cancelled']
    : ['cancelled']
}

/**
 * Tap-only (SPEC §6b): opens WeChat's subscribe sheet for the configured templates of these kinds,
 * synchronously, so call it first in the tap, before anything is awaited. Resolves the kinds the
 * person accepted; none when no template is configured or the sheet failed. A refusal is no
 * obstacle: the booking goes ahead whatever the answer.
 */
export function askForSubscriptions(
  platform: Pick<Platform, 'requestSubscribeMessage'>,
  kinds: readonly SubscribeKindName[],
): Promise<SubscribeKindName[]> {
  const asked = kinds.flatMap((kind) => {
    const templateId = offered[kind]
    return templateId ? [{ kind, templateId }] : []
  })
  if (asked.length === 0) return Promise.resolve([])
  return platform.requestSubscribeMessage(asked.map((a) => a.templateId)).then(
    (answers) => asked.filter((a) => answers[a.templateId] === 'accept').map((a) => a.kind),
    () => [],
  )
}

/** 设置提醒 is offered for an upcoming booking without a reminder, while one can still be sent. */
export function canSetReminder(booking: Booking, now: number): boolean {
  return (
    offered.reminder !== undefined &&
    booking.status === 'booked' &&
    booking.reminder === 'none' &&
    new Date(booking.slot.startsAt).getTime() - now > NO_REMINDER_WITHIN_MS
  )
}

const REMINDER_LABELS: Record<Booking['reminder'], string> = {
  none: '未设提醒',
  pending: '已设提醒',
  sent: '提醒已发送',
  failed: '提醒发送失败',
  unknown: '提醒发送状态未知',
}

/** How 我的预约 words a booking's reminder; nothing for a booking no longer standing without one. */
export function reminderLabel(booking: Booking): string | null {
  if (booking.reminder === 'none' && booking.status !== 'booked') return null
  return REMINDER_LABELS[booking.reminder]
}

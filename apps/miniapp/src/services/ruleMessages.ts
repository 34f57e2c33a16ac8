import type { BookingRules } from '@yuyue/contracts'
import { addDays, monthDay, venueDate } from '@/utils/venueTime'
import { describeError, isApiError } from './apiError'

/** The booking rules an admin set (/api/admin/settings) that the API refuses a person by. */
const RULE_CODES = ['BOOKING_NOT_OPEN', 'DAILY_LIMIT_REACHED', 'CANCEL_TOO_LATE'] as const
type RuleCode = (typeof RULE_CODES)[number]

export function ruleCodeOf(error: unknown): RuleCode | null {
  return RULE_CODES.find((code) => isApiError(error, code)) ?? null
}

/**
 * The rule behind a refusal, worded from the rules in force (`GET /api/config`): the person learns
 * when to come back or what limit they hit, not only that it failed.
 */
export function ruleMessage(code: RuleCode, rules: BookingRules, slot: { startsAt: string }): string {
  switch (code) {
    case 'BOOKING_NOT_OPEN': {
      // a slot opens at 00:00 of the day bookingWindowDays before its own (SPEC §4)
      const opens = addDays(venueDate(slot.startsAt), -rules.bookingWindowDays)
      return `${monthDay(opens)} 00:00 开放预约（可提前 ${rules.bookingWindowDays} 天预约）`
    }
    case 'DAILY_LIMIT_REACHED':
      return `每天最多预约 ${rules.maxActivePerDay} 个时段`
    case 'CANCEL_TOO_LATE':
      return `开始前 ${rules.cancelCutoffMinutes} 分钟内不能取消`
  }
}

/**
 * What to tell the person about a refused booking or cancellation: the rule when it is one (the
 * rules read now, as the API just applied them), else the API's own message.
 */
export async function refusalMessage(
  error: unknown,
  slot: { startsAt: string },
  readRules: () => Promise<BookingRules>,
): Promise<{ title: string; message: string } | null> {
  const code = ruleCodeOf(error)
  if (!code) return null
  const title = code === 'CANCEL_TOO_LATE' ? '无法取消' : '无法预约'
  try {
    return { title, message: ruleMessage(code, await readRules(), slot) }
  } catch {
    return { title, message: describeError(error) }
  }
}

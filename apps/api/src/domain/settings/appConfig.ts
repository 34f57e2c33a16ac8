import type { AppConfigResponse, BookingRules } from '@yuyue/contracts'
import type { Deps as DomainDeps } from '../deps'

/**
 * The booking rules in force: the SPEC's defaults, fixed until the settings become editable
 * (issue 22). Which of them the API enforces today is in docs/decisions.md (## Time and /api/config).
 */
const BOOKING_RULES_IN_FORCE: BookingRules = {
  bookingWindowDays: 7,
  cancelCutoffMinutes: 0,
  maxActivePerDay: 0,
  checkInOpensMinutesBefore: 30,
}

/** What every client reads before it shows a day or a time: the venue's zone and the rules. */
export function appConfig(deps: Pick<DomainDeps, 'timeZone' | 'subscribeTemplates'>): AppConfigResponse {
  // a kind without a template is left out: the mini-program does not offer it
  return {
    timeZone: deps.timeZone,
    subscribeTemplates: { ...deps.subscribeTemplates },
    ...BOOKING_RULES_IN_FORCE,
  }
}

import type { AppConfigResponse } from '@yuyue/contracts'
import type { Deps as DomainDeps } from '../deps'
import { bookingRules } from './bookingRules'

/** What every client reads before it shows a day or a time: the venue's zone and the rules. */
export async function appConfig(
  deps: Pick<DomainDeps, 'db' | 'timeZone' | 'subscribeTemplates'>,
): Promise<AppConfigResponse> {
  // a kind without a template is left out: the mini-program does not offer it
  return {
    timeZone: deps.timeZone,
    subscribeTemplates: { ...deps.subscribeTemplates },
    ...(await bookingRules(deps)),
  }
}

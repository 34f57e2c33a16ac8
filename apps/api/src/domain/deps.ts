import type { Database } from '../db/client'
import type { PlaceTaker } from '../db/queries/takePlace'
import type { UserStatusStore } from '../services/userStatus'
import type { WechatClient } from '../wechat/client'
import type { SubscribeTemplates } from '../wechat/subscribeTemplates'
import type { LoginBookkeeping } from './accounts/loginBookkeeping'

/**
 * What domain functions are given (`app.domain`): the database, the clock, the zone and the
 * services. One shape: each function takes the part it uses, `Pick<Deps, …>`.
 */
export interface Deps {
  db: Database
  /** the booking transaction (`db/queries/takePlace`) */
  takePlace: PlaceTaker
  now: () => Date
  timeZone: string
  /** the subscribe-message template of each kind configured (WECHAT_TEMPLATES) */
  subscribeTemplates: SubscribeTemplates
  /** how long before a slot starts its reminder falls due (REMINDER_LEAD_MINUTES) */
  reminderLeadMinutes: number
  wechat: WechatClient
  userStatus: UserStatusStore
  loginBookkeeping: LoginBookkeeping
}

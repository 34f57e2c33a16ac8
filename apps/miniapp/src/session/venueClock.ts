import type { AppConfigResponse } from '@yuyue/contracts'
import { isApiError } from '@/services/apiError'
import { setVenueTimeZone } from '@/utils/venueTime'
import { createStore, type Store } from './store'

export type VenueClockState =
  | { status: 'loading' }
  | { status: 'ready'; timeZone: string }
  | { status: 'failed'; message: string }

/**
 * The venue's time zone, read from the API (GET /api/config, no token) once per launch, beside
 * the silent login: no day or time is shown before it is known, so the app never guesses it.
 */
export class VenueClock {
  readonly state: Store<VenueClockState> = createStore<VenueClockState>({ status: 'loading' })
  private loading: Promise<string> | null = null

  constructor(private readonly fetchConfig: () => Promise<Pick<AppConfigResponse, 'timeZone'>>) {}

  load(): Promise<string> {
    this.loading ??= this.fetchConfig().then(
      ({ timeZone }) => {
        setVenueTimeZone(timeZone)
        this.state.set({ status: 'ready', timeZone })
        return timeZone
      },
      (error: unknown) => {
        this.loading = null
        this.state.set({
          status: 'failed',
          message: isApiError(error) ? error.message : '加载失败，请检查网络',
        })
        throw error
      },
    )
    return this.loading
  }
}

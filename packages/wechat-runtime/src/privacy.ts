import { fail } from './callbacks'

export type PrivacyResolution =
  | { event: 'exposureAuthorization' }
  | { event: 'agree'; buttonId: string }
  | { event: 'disagree' }

export type PrivacyListener = (
  resolve: (resolution: PrivacyResolution) => void,
  info: { referrer: string },
) => void

/**
 * The privacy check of an app with `__usePrivacyCheck__`: until the person agrees to the app's
 * privacy guide, a privacy API (phone number, avatar, nickname, calendar…) is held and the app's
 * `onNeedPrivacyAuthorization` listener is asked to show its popup; the API goes on when the
 * listener resolves `agree` with the id of the agreement button the person tapped, and fails
 * (errno 104) on `disagree`. Without a listener WeChat shows its own popup.
 */
export class PrivacyGate {
  agreed = false
  private listener: PrivacyListener | null = null
  /** ids of agreement buttons (open-type agreePrivacyAuthorization) the person has tapped */
  private readonly tappedAgreeButtons = new Set<string>()

  constructor(
    readonly enabled: boolean,
    /** the person's answer to WeChat's own popup, when the app has no listener */
    private readonly ownPopupAnswer: () => boolean,
  ) {}

  setListener(listener: PrivacyListener): void {
    this.listener = listener
  }

  /** A tap on a button with open-type agreePrivacyAuthorization. */
  agreeByButton(buttonId: string): void {
    this.tappedAgreeButtons.add(buttonId)
    this.agreed = true
  }

  needsAuthorization(): boolean {
    return this.enabled && !this.agreed
  }

  /** Resolves when `api` may run; rejects with WeChat's failure when the person declined. */
  require(api: string): Promise<void> {
    if (!this.needsAuthorization()) return Promise.resolve()
    const refused = () => fail(api, 'privacy permission is not authorized', { errno: 104 })
    const listener = this.listener
    if (!listener) {
      if (this.ownPopupAnswer()) {
        this.agreed = true
        return Promise.resolve()
      }
      return Promise.reject(refused())
    }
    return new Promise((resolve, reject) => {
      let settled = false
      listener(
        (resolution) => {
          if (settled || resolution.event === 'exposureAuthorization') return
          settled = true
          if (resolution.event === 'agree' && this.tappedAgreeButtons.has(resolution.buttonId)) {
            this.agreed = true
            resolve()
          } else reject(refused())
        },
        { referrer: api },
      )
    })
  }
}

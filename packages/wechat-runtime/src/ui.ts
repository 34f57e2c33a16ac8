/** What WeChat's own UI shows the person: toasts, loading, modals (answered by the test). */
export interface Modal {
  title: string
  content: string
  confirmText: string
  cancelText: string
  showCancel: boolean
  confirm(): void
  cancel(): void
}

export class Screen {
  readonly toasts: string[] = []
  readonly modals: Modal[] = []
  loading: string | null = null
  tabBarVisible = true

  /** The modal on screen now (the latest not yet answered). */
  openModal(): Modal | undefined {
    return this.modals.at(-1)
  }
}

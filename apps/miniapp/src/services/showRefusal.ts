import { api, platform } from '@/services'
import { alreadyShown, describeError } from './apiError'
import { refusalMessage } from './ruleMessages'

/** Tells the person why a booking or a cancellation failed: a rule in a dialog, else a toast. */
export async function showRefusal(error: unknown, slot: { startsAt: string }): Promise<void> {
  if (alreadyShown(error)) return
  const rule = await refusalMessage(error, slot, () => api.config())
  if (rule) await platform.showModal({ title: rule.title, content: rule.message, showCancel: false })
  else platform.showToast(describeError(error))
}

import { useLoaded } from '@/components/useLoaded'
import { api } from '@/services'

/** The slots of one day, reloaded on demand (after booking, on pull-down, on return to the tab). */
export function useDaySlots(date: string) {
  return useLoaded(date, async () => (await api.slots(date)).items)
}

import type { SlotView } from '@yuyue/contracts'
import { useCallback, useEffect, useState } from 'react'
import { api } from '@/services'
import { describeError } from '@/services/apiError'

export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; message: string }

/** The slots of one day, reloaded on demand (after booking, on pull-down, on return to the tab). */
export function useDaySlots(date: string) {
  const [state, setState] = useState<Loaded<SlotView[]>>({ status: 'loading' })
  const reload = useCallback(async () => {
    try {
      const answer = await api.slots(date)
      setState({ status: 'ready', data: answer.items })
    } catch (error) {
      setState({ status: 'error', message: describeError(error) })
    }
  }, [date])
  useEffect(() => {
    setState({ status: 'loading' })
    void reload()
  }, [reload])
  return { state, reload }
}

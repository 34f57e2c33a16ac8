import type { StaffSlot } from '@yuyue/contracts'
import { useCallback, useEffect, useState } from 'react'
import { routes } from '@/routes'
import { api, platform } from '@/services'
import { describeError, isApiError } from '@/services/apiError'
import type { Loaded } from '../home/useDaySlots'

/** The staff booking view of one day: every slot with its bookings. */
export function useStaffDay(date: string) {
  const [state, setState] = useState<Loaded<StaffSlot[]>>({ status: 'loading' })
  const reload = useCallback(async () => {
    try {
      const answer = await api.staffDay(date)
      setState({ status: 'ready', data: answer.slots })
    } catch (error) {
      if (isApiError(error, 'FORBIDDEN')) {
        // no longer staff (their phone was removed from the directory)
        platform.showToast('你已不是工作人员')
        void platform.reLaunch(routes.home)
        return
      }
      setState({ status: 'error', message: describeError(error) })
    }
  }, [date])
  useEffect(() => {
    setState({ status: 'loading' })
    void reload()
  }, [reload])
  return { state, reload }
}

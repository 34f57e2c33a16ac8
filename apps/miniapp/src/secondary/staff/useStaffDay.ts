import { useLoaded } from '@/components/useLoaded'
import { routes } from '@/routes'
import { api, platform } from '@/services'
import { isApiError } from '@/services/apiError'

/** No longer staff (their phone was removed from the directory): back to the booking view. */
function leftTheStaff(error: unknown): boolean {
  if (!isApiError(error, 'FORBIDDEN')) return false
  platform.showToast('你已不是工作人员')
  void platform.reLaunch(routes.home)
  return true
}

/** The staff booking view of one day: every slot with its bookings. */
export function useStaffDay(date: string) {
  return useLoaded(date, async () => (await api.staffDay(date)).slots, leftTheStaff)
}

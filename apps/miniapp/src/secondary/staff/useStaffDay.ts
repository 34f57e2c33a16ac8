import { useLoaded } from '@/components/useLoaded'
import { api } from '@/services'
import { isApiError } from '@/services/apiError'

/**
 * No longer staff (their phone was removed from the directory): the API client has asked who the
 * person is now, and the new role takes them off this page (services/index.ts).
 */
function leftTheStaff(error: unknown): boolean {
  return isApiError(error, 'FORBIDDEN')
}

/** The staff booking view of one day: every slot with its bookings. */
export function useStaffDay(date: string) {
  return useLoaded(date, async () => (await api.staffDay(date)).slots, leftTheStaff)
}

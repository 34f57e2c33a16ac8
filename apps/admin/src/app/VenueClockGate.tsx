import { useQuery } from '@tanstack/react-query'
import type { AppConfigResponse } from '@yuyue/contracts'
import { Button, Result } from 'antd'
import type { ReactNode } from 'react'
import { request } from '../lib/request'
import { setVenueTimeZone } from '../lib/time'
import { useI18n } from './i18n'
import { PageLoading } from './PageLoading'

export const appConfigKey = ['config'] as const

/** Loads the venue's time zone (GET /api/config) before any page shows a day or a time. */
export function VenueClockGate({ children }: { children: ReactNode }) {
  const { t } = useI18n()
  const config = useQuery({
    queryKey: appConfigKey,
    queryFn: async ({ signal }) => {
      const loaded = await request<AppConfigResponse>('/api/config', { auth: false, signal })
      setVenueTimeZone(loaded.timeZone)
      return loaded
    },
    staleTime: Number.POSITIVE_INFINITY,
  })
  if (config.isSuccess) return children
  if (config.isError) {
    return (
      <Result
        status="warning"
        title={t.common.loadFailed}
        subTitle={config.error.message}
        extra={
          <Button type="primary" onClick={() => void config.refetch()}>
            {t.common.retry}
          </Button>
        }
      />
    )
  }
  return <PageLoading />
}

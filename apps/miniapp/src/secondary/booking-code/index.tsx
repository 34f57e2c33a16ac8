import { Button, Canvas, Text, View } from '@tarojs/components'
import { useDidHide, useDidShow, useRouter } from '@tarojs/taro'
import type { CheckInCodeResponse } from '@yuyue/contracts'
import { useCallback, useEffect, useRef, useState } from 'react'
import PageState from '@/components/PageState'
import SessionGate from '@/components/SessionGate'
import { routes } from '@/routes'
import { api, platform } from '@/services'
import { describeError, isApiError } from '@/services/apiError'
import { slotWhen } from '@/utils/venueTime'
import { drawModules, qrModules } from './qr'
import { refreshDelay } from './refresh'
import './index.scss'

const CANVAS_ID = 'booking-qr'
/** the canvas's pixels across: twice its 240px on screen, for sharp modules on a retina screen */
const QR_PIXELS = 480

type CodeState =
  | { status: 'loading' }
  | ({ status: 'ready' } & CheckInCodeResponse)
  | { status: 'over'; message: string }
  | { status: 'error'; message: string }

/** The canvas node appears once the view has rendered it: asks again for a short while. */
async function drawCode(code: string, stale: () => boolean): Promise<void> {
  const modules = qrModules(code)
  for (let attempt = 0; attempt < 20 && !stale(); attempt++) {
    const surface = await platform.canvas(CANVAS_ID)
    if (surface) {
      if (!stale()) drawModules(surface, modules, QR_PIXELS)
      return
    }
    await new Promise((done) => setTimeout(done, 50))
  }
}

function BookingCode({ bookingId }: { bookingId: number }) {
  const [state, setState] = useState<CodeState>({ status: 'loading' })
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const visible = useRef(true)

  const stop = useCallback(() => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
  }, [])

  const load = useCallback(async () => {
    stop()
    try {
      const answer = await api.bookingCode(bookingId)
      setState({ status: 'ready', ...answer })
      // a fresh code before this one expires, while the page is on screen
      if (visible.current)
        timer.current = setTimeout(() => void load(), refreshDelay(answer.expiresAt, Date.now()))
    } catch (error) {
      // checked in, cancelled or over: no code to show any more
      const over = isApiError(error, 'BOOKING_NOT_ACTIVE') || isApiError(error, 'NOT_FOUND')
      setState({ status: over ? 'over' : 'error', message: describeError(error) })
    }
  }, [bookingId, stop])

  useEffect(() => {
    void load()
    return stop
  }, [load, stop])
  const shownBefore = useRef(false)
  useDidShow(() => {
    visible.current = true
    if (shownBefore.current) void load()
    shownBefore.current = true
  })
  useDidHide(() => {
    visible.current = false
    stop()
  })

  const code = state.status === 'ready' ? state.code : null
  useEffect(() => {
    if (!code) return
    let stale = false
    void drawCode(code, () => stale)
    return () => {
      stale = true
    }
  }, [code])

  if (state.status === 'loading') return <PageState kind="loading" />
  if (state.status === 'error')
    return <PageState kind="error" message={state.message} actionText="重试" onAction={() => void load()} />
  if (state.status === 'over')
    return (
      <PageState
        kind="empty"
        message={state.message}
        actionText="查看我的预约"
        onAction={() => void platform.switchTab(routes.bookings)}
      />
    )
  return (
    <View className="booking-code__card">
      <Canvas type="2d" id={CANVAS_ID} className="booking-code__qr" />
      <View className="booking-code__hint">向工作人员出示此码签到，每分钟自动更新，截图无效</View>
      <Text className="booking-code__text" selectable>
        {state.code}
      </Text>
      <Button className="mini-btn booking-code__refresh" size="mini" onClick={() => void load()}>
        刷新
      </Button>
    </View>
  )
}

export default function BookingCodePage() {
  const { params } = useRouter()
  const bookingId = Number(params.id)
  const title = params.title ? decodeURIComponent(params.title) : ''
  const when =
    params.startsAt && params.endsAt
      ? slotWhen(decodeURIComponent(params.startsAt), decodeURIComponent(params.endsAt))
      : ''
  return (
    <View className="page booking-code">
      <SessionGate>
        {() => (
          <View>
            <View className="booking-code__head">
              <View className="booking-code__title">{title}</View>
              <View className="booking-code__when">{when}</View>
            </View>
            <BookingCode bookingId={bookingId} />
          </View>
        )}
      </SessionGate>
    </View>
  )
}

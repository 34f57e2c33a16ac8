import type { Booking } from '@yuyue/contracts'
import { useCallback, useEffect, useRef, useState } from 'react'
import { api } from '@/services'
import { describeError } from '@/services/apiError'

const PAGE_SIZE = 20

interface MyBookingsState {
  status: 'loading' | 'ready' | 'error'
  items: Booking[]
  total: number
  message?: string
  loadingMore: boolean
}

/** My bookings, upcoming first, a page at a time (the API pages them). */
export function useMyBookings() {
  const [state, setState] = useState<MyBookingsState>({
    status: 'loading',
    items: [],
    total: 0,
    loadingMore: false,
  })
  const page = useRef(1)

  const reload = useCallback(async () => {
    try {
      const answer = await api.myBookings(1, PAGE_SIZE)
      page.current = 1
      setState({ status: 'ready', items: answer.items, total: answer.total, loadingMore: false })
    } catch (error) {
      setState((s) => ({ ...s, status: 'error', message: describeError(error) }))
    }
  }, [])

  const loadMore = useCallback(async () => {
    if (state.status !== 'ready' || state.loadingMore || state.items.length >= state.total) return
    setState((s) => ({ ...s, loadingMore: true }))
    try {
      const answer = await api.myBookings(page.current + 1, PAGE_SIZE)
      page.current += 1
      setState((s) => ({
        ...s,
        items: [...s.items, ...answer.items],
        total: answer.total,
        loadingMore: false,
      }))
    } catch {
      setState((s) => ({ ...s, loadingMore: false }))
    }
  }, [state])

  useEffect(() => {
    void reload()
  }, [reload])

  return { state, reload, loadMore }
}

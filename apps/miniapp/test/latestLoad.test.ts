import { describe, expect, it } from 'vitest'
import { LatestLoad, type Loaded } from '@/components/useLoaded'
import { ApiError } from '@/services/apiError'

/** A load whose answer the test gives when it wants. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((yes, no) => {
    resolve = yes
    reject = no
  })
  return { load: () => promise, resolve, reject }
}

function recorder() {
  const shown: Loaded<string>[] = []
  return { shown, loads: new LatestLoad<string>((state) => shown.push(state)) }
}

describe('loads that replace one another (LatestLoad)', () => {
  it('shows the latest load, even when an earlier one answers after it', async () => {
    const { shown, loads } = recorder()
    const monday = deferred<string>()
    const tuesday = deferred<string>()
    const first = loads.run(monday.load)
    const second = loads.run(tuesday.load)
    tuesday.resolve('tuesday')
    await second
    monday.resolve('monday')
    await first
    expect(shown).toEqual([{ status: 'ready', data: 'tuesday' }])
  })

  it('does not show the failure of a load that was replaced', async () => {
    const { shown, loads } = recorder()
    const old = deferred<string>()
    const first = loads.run(old.load)
    await loads.run(async () => 'fresh')
    old.reject(new ApiError('INTERNAL', '服务暂时不可用', 500))
    await first
    expect(shown).toEqual([{ status: 'ready', data: 'fresh' }])
  })

  it('tells a failure in the API’s words, unless it was handled', async () => {
    const { shown, loads } = recorder()
    const forbidden = new ApiError('FORBIDDEN', '没有权限', 403)
    const seen: unknown[] = []
    await loads.run(
      () => Promise.reject(forbidden),
      (error) => {
        seen.push(error)
        return true
      },
    )
    expect(seen).toEqual([forbidden])
    expect(shown).toEqual([])
    await loads.run(
      () => Promise.reject(forbidden),
      () => false,
    )
    expect(shown).toEqual([{ status: 'error', message: '没有权限' }])
  })
})

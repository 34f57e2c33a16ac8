import { useCallback, useEffect, useRef, useState } from 'react'
import { describeError } from '@/services/apiError'

/** What a page loaded: still loading, the data, or what to tell the person about the failure. */
export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; message: string }

/**
 * Loads that replace one another: only the outcome of the latest is shown, so an answer for a
 * day the person has already left never overwrites the day they are on. A failure that `handled`
 * takes care of (it returns true, having moved the person elsewhere) shows nothing.
 */
export class LatestLoad<T> {
  private latest = 0

  constructor(private readonly show: (state: Loaded<T>) => void) {}

  async run(load: () => Promise<T>, handled?: (error: unknown) => boolean): Promise<void> {
    const mine = ++this.latest
    try {
      const data = await load()
      if (mine === this.latest) this.show({ status: 'ready', data })
    } catch (error) {
      if (mine !== this.latest || handled?.(error)) return
      this.show({ status: 'error', message: describeError(error) })
    }
  }
}

/**
 * What a page shows, loaded afresh whenever `key` changes (the day shown, say) and on `reload`
 * (after an action, on pull-down, on return to the tab), through a `LatestLoad`.
 */
export function useLoaded<T>(
  key: string,
  load: () => Promise<T>,
  handled?: (error: unknown) => boolean,
): { state: Loaded<T>; reload: () => Promise<void> } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' })
  const [loads] = useState(() => new LatestLoad<T>(setState))
  // the page's latest callbacks, so that it need not keep them stable
  const latest = useRef({ load, handled })
  latest.current = { load, handled }

  // a new `reload` for each key: the effect below loads the new key's data at once
  const reload = useCallback(() => loads.run(latest.current.load, latest.current.handled), [loads, key])

  useEffect(() => {
    setState({ status: 'loading' })
    void reload()
  }, [reload])
  return { state, reload }
}

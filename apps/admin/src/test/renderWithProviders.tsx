import { render } from '@testing-library/react'
import { App } from 'antd'
import type { ReactElement } from 'react'
import { MemoryRouter } from 'react-router'
import { Providers } from '../app/Providers'
import { setVenueTimeZone } from '../lib/time'

/**
 * A page or component as the app renders it: query client, words (Chinese), antd, a router, and
 * the venue's zone as VenueClockGate sets it from GET /api/config.
 */
export function renderWithProviders(
  ui: ReactElement,
  { path = '/', timeZone = 'Asia/Shanghai' }: { path?: string; timeZone?: string } = {},
) {
  setVenueTimeZone(timeZone)
  return render(
    <Providers language="zh">
      <App>
        <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
      </App>
    </Providers>,
  )
}

/** What jsdom lacks and antd asks for. */
export function installBrowserStubs(): void {
  // antd measures the scrollbar through a ::-webkit-scrollbar style jsdom cannot compute
  const computedStyle = window.getComputedStyle.bind(window)
  window.getComputedStyle = (element: Element) => computedStyle(element)
  // tables and overflow lists observe their size; jsdom lays nothing out, so there is nothing to report
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  if (!window.matchMedia) {
    window.matchMedia = (query: string) =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => {},
        removeListener: () => {},
        addEventListener: () => {},
        removeEventListener: () => {},
        dispatchEvent: () => false,
      }) as MediaQueryList
  }
}

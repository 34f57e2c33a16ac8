// @vitest-environment jsdom

import { ReloadOutlined } from '@ant-design/icons'
import { cleanup, render, screen } from '@testing-library/react'
import { Button } from 'antd'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { installBrowserStubs } from '../test/renderWithProviders'
import { BusyButton } from './BusyButton'

beforeAll(installBrowserStubs)
afterEach(cleanup)

describe('BusyButton', () => {
  it('is named by its label, with an icon of its own, idle and busy', () => {
    const { rerender } = render(<BusyButton label="刷新" icon={<ReloadOutlined />} busy={false} />)
    const button = screen.getByRole('button', { name: '刷新' })
    expect(button.getAttribute('aria-busy')).toBe('false')

    rerender(<BusyButton label="刷新" icon={<ReloadOutlined />} busy />)
    const busy = screen.getByRole('button', { name: '刷新' })
    expect(busy.getAttribute('aria-busy')).toBe('true')
    // the spinner is there, labelled: a name taken from the content would include it
    expect(busy.querySelector('[aria-label="loading"]')).not.toBeNull()
  })

  it('differs from a plain antd button, whose name takes in its icons', () => {
    render(
      <Button icon={<ReloadOutlined />} loading>
        刷新
      </Button>,
    )
    expect(screen.queryByRole('button', { name: '刷新' })).toBeNull()
  })
})

// @vitest-environment jsdom

import { cleanup, screen } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { en } from '../../app/i18n/en'
import { zh } from '../../app/i18n/zh'
import { installBrowserStubs, renderWithProviders } from '../../test/renderWithProviders'
import { ReminderState } from './ReminderState'

describe('ReminderState', () => {
  beforeAll(installBrowserStubs)
  afterEach(cleanup)

  it("shows a failed reminder with WeChat's reason and its errcode", () => {
    renderWithProviders(<ReminderState booking={{ reminder: 'failed', reminderErrcode: 43101 }} />)
    expect(screen.getByText('发送失败')).toBeTruthy()
    expect(screen.getByText('用户未订阅或订阅已用完 (43101)')).toBeTruthy()
  })

  it('names an errcode it has no words for by its number', () => {
    renderWithProviders(<ReminderState booking={{ reminder: 'failed', reminderErrcode: 45011 }} />)
    expect(screen.getByText('错误码 45011')).toBeTruthy()
  })

  it('shows the other states without a reason, in both languages', () => {
    renderWithProviders(<ReminderState booking={{ reminder: 'sent', reminderErrcode: null }} />)
    expect(screen.getByText('已发送')).toBeTruthy()
    for (const state of ['none', 'pending', 'sent', 'failed', 'unknown'] as const) {
      expect(zh.bookings.reminderStates[state]).toBeTruthy()
      expect(en.bookings.reminderStates[state]).toBeTruthy()
    }
  })
})

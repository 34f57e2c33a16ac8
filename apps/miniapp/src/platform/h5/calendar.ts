import type { CalendarEvent } from '../types'

function icsTime(seconds: number): string {
  return new Date(seconds * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')
}

/** A browser has no phone calendar: hand it an .ics file, which every calendar app imports. */
export function downloadCalendarEvent(event: CalendarEvent): void {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//yuyue//miniapp//ZH',
    'BEGIN:VEVENT',
    `UID:${event.startTime}-${Math.random().toString(36).slice(2)}@yuyue`,
    `DTSTAMP:${icsTime(Math.floor(Date.now() / 1000))}`,
    `DTSTART:${icsTime(event.startTime)}`,
    `DTEND:${icsTime(event.endTime)}`,
    `SUMMARY:${escapeText(event.title)}`,
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ]
  const blob = new Blob([lines.join('\r\n')], { type: 'text/calendar;charset=utf-8' })
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = 'yuyue.ics'
  link.click()
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
}

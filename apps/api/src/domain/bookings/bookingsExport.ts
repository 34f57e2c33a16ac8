import { type BookingsExportQuery, EXPORT_MAX_DAYS, localDateTime, maskMobile } from '@yuyue/contracts'
import { inTransaction } from '../../db/client'
import { type AdminBookingRow, bookingsInRange } from '../../db/queries/adminBookings'
import { csvFile } from '../../lib/spreadsheet/csv'
import { xlsxFile } from '../../lib/spreadsheet/xlsx'
import { type AuditActor, writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'
import { localDaysRange } from './adminBookings'

type Deps = Pick<DomainDeps, 'db' | 'now' | 'timeZone'>

/** Rows read from the database per page: what the export holds at most at any time. */
export const EXPORT_PAGE_ROWS = 1000

const HEADER = [
  '预约编号',
  '状态',
  '时段',
  '开始',
  '结束',
  '昵称',
  '国家码',
  '手机号',
  '预约时间',
  '签到时间',
  '取消方',
  '取消原因',
]
const STATUS_LABEL = { booked: '已预约', cancelled: '已取消', checked_in: '已签到' } as const
const CANCELLER_LABEL = { user: '本人', admin: '管理员' } as const

export interface BookingsExport {
  fileName: string
  contentType: string
  body: AsyncGenerator<string | Uint8Array>
}

/**
 * The bookings of the slots in [from, to] (local days, at most EXPORT_MAX_DAYS) as a CSV or XLSX
 * file, read from the database a page at a time while the file is written. Every export is
 * audited (who, which days, whether phones were in full) before the first byte leaves.
 */
export async function exportBookings(
  deps: Deps,
  actor: AuditActor,
  query: BookingsExportQuery,
): Promise<BookingsExport> {
  const range = localDaysRange(deps, query.from, query.to, EXPORT_MAX_DAYS)
  const fullPhones = query.fullPhones === true
  await inTransaction(deps.db, (tx) =>
    writeAudit(tx, {
      actor,
      action: 'bookings.export',
      target: `bookings:${query.from}..${query.to}`,
      detail: { from: query.from, to: query.to, format: query.format, fullPhones },
    }),
  )
  const local = (instant: Date | null) => (instant ? localDateTime(instant, deps.timeZone) : '')
  const cells = (row: AdminBookingRow): string[] => [
    String(row.booking.id),
    STATUS_LABEL[row.booking.status],
    row.slot.title,
    local(row.slot.startsAt),
    local(row.slot.endsAt),
    row.user.nickname ?? '',
    row.user.countryCode ?? '',
    row.user.mobile ? (fullPhones ? row.user.mobile : maskMobile(row.user.mobile)) : '',
    local(row.booking.createdAt),
    local(row.booking.checkedInAt),
    row.booking.cancelledBy ? CANCELLER_LABEL[row.booking.cancelledBy] : '',
    row.booking.cancelReason ?? '',
  ]
  async function* pages() {
    for await (const page of bookingsInRange(deps.db, range, EXPORT_PAGE_ROWS)) yield page.map(cells)
  }
  const baseName = `预约名单-${query.from}-${query.to}`
  return query.format === 'csv'
    ? { fileName: `${baseName}.csv`, contentType: 'text/csv; charset=utf-8', body: csvFile(HEADER, pages()) }
    : {
        fileName: `${baseName}.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        body: xlsxFile('预约名单', HEADER, pages()),
      }
}

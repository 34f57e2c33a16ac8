import type { StaffFileErrorCode } from './columns'
import type { StaffFilePreview } from './parseStaffFile'

export interface ParseRequest {
  id: number
  file: File
}

export type ParseReply =
  | { id: number; ok: true; preview: StaffFilePreview }
  | { id: number; ok: false; code: StaffFileErrorCode }

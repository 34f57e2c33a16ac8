import type { StaffFileErrorCode } from './columns'
import type { StaffImportPlan } from './importChunks'

export interface ParseRequest {
  id: number
  file: File
}

export type ParseReply =
  | { id: number; ok: true; plan: StaffImportPlan }
  | { id: number; ok: false; code: StaffFileErrorCode }

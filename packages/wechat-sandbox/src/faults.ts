import { isWechatEndpoint, type WechatEndpoint } from './endpoints'
import { SandboxInputError } from './input-error'

export interface FaultRequest {
  /** One of the WeChat endpoint paths, without query. */
  path: WechatEndpoint
  /** Answer `{errcode, errmsg}` with HTTP 200, as WeChat does. */
  errcode?: number
  /** Answer this HTTP status with a short plain-text body, as a failing gateway does. */
  httpStatus?: number
  /** Wait this long before answering (or before handling the request normally). */
  delayMs?: number
  /** How many requests the fault affects; default 1. */
  times?: number
}

export interface Fault {
  id: string
  path: WechatEndpoint
  errcode: number | null
  httpStatus: number | null
  delayMs: number
}

interface PendingFault extends Fault {
  remaining: number
}

export const MAX_FAULT_DELAY_MS = 60_000

export class FaultQueue {
  private pending: PendingFault[] = []
  private nextId = 1

  add(request: FaultRequest): { id: string } {
    const { path, errcode, httpStatus, delayMs = 0, times = 1 } = request
    if (!isWechatEndpoint(path)) throw new SandboxInputError(`path ${path} is not a WeChat endpoint`)
    if (errcode !== undefined && httpStatus !== undefined) {
      throw new SandboxInputError('a fault answers either an errcode or an httpStatus, not both')
    }
    if (errcode === undefined && httpStatus === undefined && delayMs === 0) {
      throw new SandboxInputError('a fault needs an errcode, an httpStatus or a delayMs')
    }
    if (errcode !== undefined && (!Number.isInteger(errcode) || errcode === 0)) {
      throw new SandboxInputError('errcode must be a non-zero integer (0 means success)')
    }
    if (httpStatus !== undefined && (!Number.isInteger(httpStatus) || httpStatus < 400 || httpStatus > 599)) {
      throw new SandboxInputError('httpStatus must be an integer from 400 to 599')
    }
    if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_FAULT_DELAY_MS) {
      throw new SandboxInputError(`delayMs must be an integer from 0 to ${MAX_FAULT_DELAY_MS}`)
    }
    if (!Number.isInteger(times) || times < 1) throw new SandboxInputError('times must be a positive integer')
    const id = `fault-${this.nextId++}`
    this.pending.push({
      id,
      path,
      errcode: errcode ?? null,
      httpStatus: httpStatus ?? null,
      delayMs,
      remaining: times,
    })
    return { id }
  }

  /** Consumes one use of the oldest fault for the path, at the moment the request arrives. */
  take(path: WechatEndpoint): Fault | null {
    const index = this.pending.findIndex((fault) => fault.path === path)
    if (index === -1) return null
    const fault = this.pending[index]!
    fault.remaining -= 1
    if (fault.remaining === 0) this.pending.splice(index, 1)
    return {
      id: fault.id,
      path,
      errcode: fault.errcode,
      httpStatus: fault.httpStatus,
      delayMs: fault.delayMs,
    }
  }

  clear(): void {
    this.pending = []
  }
}

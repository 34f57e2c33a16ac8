import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { FastifyBaseLogger } from 'fastify'
import { type Database, retryingTransaction } from '../../db/client'
import {
  type ClaimedMessage,
  claimDueMessages,
  claimedMessages,
  dropStaleReminders,
  expireLeases,
  requeueMessages,
  settleMessages,
} from '../../db/queries/subscribeDeliveries'
import type { SubscribeSendOutcome, WechatClient } from '../../wechat/client'
import type { TemplateFields } from '../../wechat/subscribeTemplates'
import { fitTemplateData } from '../../wechat/templateData'

export interface DeliverySchedulerOptions {
  db: Database
  wechat: Pick<WechatClient, 'sendSubscribeMessage'>
  now: () => Date
  timeZone: string
  templateFields: TemplateFields
  log: FastifyBaseLogger
  /** between rounds; 0: no timer (tests run rounds with `runOnce`) */
  intervalMs: number
  /** a send still `sending` this long after its claim is `unknown` (its instance died) */
  leaseMs: number
  /** messages one claim takes and sends at once */
  batchSize?: number
  /** claims under way at once in this instance */
  workers?: number
  instanceId?: string
}

/** What one round did. */
export interface RoundReport {
  sent: number
  failed: number
  retried: number
  unknown: number
  expired: number
}

/** Sends to WeChat's `-1` (or that never left) are tried again this often, up to the ceiling. */
export const MAX_ATTEMPTS = 5
const RETRY_AFTER_MS = 30_000

/** The page a message opens: the person's bookings, this one picked out. */
export function bookingPage(bookingId: number): string {
  return `pages/bookings/index?id=${bookingId}`
}

/**
 * The subscribe-message queue's worker, one in every instance. A round claims due messages in
 * batches (a conditional write, `claimDueMessages`: one instance alone gets each), sends the batch
 * and records each outcome under its claim. Only WeChat's `retry` goes back to the queue; a send
 * in flight when its instance died outlives its lease and becomes `unknown`, never repeated.
 */
export class DeliveryScheduler {
  readonly instanceId: string
  private round = 0
  private timer: NodeJS.Timeout | null = null
  private running: Promise<RoundReport> | null = null
  private stopped = false
  /** outcomes WeChat gave that the database did not take yet, oldest first */
  private readonly unrecorded: OutcomeWrite[] = []

  constructor(private readonly options: DeliverySchedulerOptions) {
    this.instanceId =
      options.instanceId ?? `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`
  }

  start(): void {
    if (this.options.intervalMs <= 0 || this.stopped) return
    const tick = () => {
      this.timer = null
      void this.runOnce()
        .catch((error: unknown) => this.options.log.warn({ err: error }, 'subscribe message round failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs).unref()
        })
    }
    this.timer = setTimeout(tick, this.options.intervalMs).unref()
  }

  /** Stops taking messages; answers once the batch in flight is recorded, so none is left `sending`. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running?.catch(() => undefined)
    await this.recordKept({ sent: 0, failed: 0, retried: 0, unknown: 0, expired: 0 }).catch(
      (error: unknown) =>
        this.options.log.error(
          {
            err: error,
            outcomes: this.unrecorded.map((w) => ({ claim: w.claimId, ...w.outcome, ids: w.ids })),
          },
          'subscribe message outcomes never recorded: these rows will read unknown',
        ),
    )
  }

  /** One round: every message due now is sent (or requeued), batch after batch. Rounds never overlap. */
  runOnce(): Promise<RoundReport> {
    if (this.running) return this.running
    const round = this.drain().finally(() => {
      this.running = null
    })
    this.running = round
    return round
  }

  private async drain(): Promise<RoundReport> {
    const { db, now, leaseMs } = this.options
    const report: RoundReport = { sent: 0, failed: 0, retried: 0, unknown: 0, expired: 0 }
    // before the leases expire: a kept outcome is the truth, `unknown` only a guess
    await this.recordKept(report)
    const start = now()
    report.expired = await expireLeases(db, new Date(start.getTime() - leaseMs), start)
    if (report.expired > 0) {
      this.options.log.warn(
        { count: report.expired },
        'subscribe messages left sending past their lease are unknown',
      )
    }
    await dropStaleReminders(db, start)
    // two claimers side by side: one batch's sends overlap the other's claim and records; more
    // sent faster but slowed the instance's bookings beyond the target (docs/performance.md)
    const workers = Array.from({ length: this.options.workers ?? 2 }, () => this.claimAndSend(report))
    // every worker has stopped before the round ends, so rounds never overlap even on an error
    const failed = (await Promise.allSettled(workers)).find((w) => w.status === 'rejected')
    if (failed) throw failed.reason
    return report
  }

  /** Claims a batch, sends it and records the outcomes, until nothing is due (or the stop). */
  private async claimAndSend(report: RoundReport): Promise<void> {
    const { db, now } = this.options
    while (!this.stopped) {
      const claimId = `${this.instanceId}#${++this.round}`
      // a claim that lost a Galera certification (or an InnoDB deadlock) is simply made again
      const claimed = await retryingTransaction(() =>
        claimDueMessages(db, { claimId, now: now(), limit: this.options.batchSize ?? 50 }),
      )
      if (claimed === 0) return
      const messages = await claimedMessages(db, claimId)
      const outcomes = await Promise.all(messages.map((message) => this.send(message)))
      // the database refused the outcomes: claim nothing more this round
      if (!(await this.record(claimId, messages, outcomes, report))) return
    }
  }

  private send(message: ClaimedMessage): Promise<SubscribeSendOutcome> {
    const fields = this.options.templateFields[message.kind]
    const data = fitTemplateData(fields, message, this.options.timeZone)
    return this.options.wechat
      .sendSubscribeMessage(message.appId, {
        touser: message.openid,
        templateId: message.templateId,
        page: bookingPage(message.bookingId),
        data,
      })
      .catch((error: unknown) => {
        // an app no longer configured, or a bug: the request did not leave
        this.options.log.error({ err: error, delivery: message.id }, 'subscribe message not sent')
        return { outcome: 'retry', errcode: null } as const
      })
  }

  /**
   * Writes the outcomes of one claim, one statement per kind of outcome. When the database does
   * not take them (a node lost, a lock wait past its timeout), they are kept and written first
   * in the next round: WeChat answered, and its answer must not be left to the lease's `unknown`.
   */
  private async record(
    claimId: string,
    messages: ClaimedMessage[],
    outcomes: SubscribeSendOutcome[],
    report: RoundReport,
  ): Promise<boolean> {
    const writes = outcomeWrites(claimId, messages, outcomes, this.options.now())
    try {
      await this.write(writes, report)
    } catch (error) {
      this.unrecorded.push(...writes)
      this.options.log.error(
        { err: error, claim: claimId, outcomes: writes.map((w) => ({ ...w.outcome, ids: w.ids })) },
        'subscribe message outcomes not recorded yet; kept for the next round',
      )
      return false
    }
    return true
  }

  /** The outcomes earlier rounds could not write, written before anything new is claimed. */
  private async recordKept(report: RoundReport): Promise<void> {
    const kept = this.unrecorded.splice(0)
    try {
      await this.write(kept, report)
    } finally {
      this.unrecorded.unshift(...kept)
    }
  }

  /** Writes outcomes, each taken off `writes` and counted in the report once it is written. */
  private async write(writes: OutcomeWrite[], report: RoundReport): Promise<void> {
    while (writes.length > 0) {
      const { claimId, ids, outcome } = writes[0]!
      // retried on a deadlock like the claim: each write is conditional on its claim, so a
      // retry (or a later round's) cannot touch another's rows
      await retryingTransaction(() =>
        outcome.state === 'pending'
          ? requeueMessages(this.options.db, claimId, ids, outcome)
          : settleMessages(this.options.db, claimId, ids, outcome),
      )
      writes.shift()
      if (outcome.state === 'pending') report.retried += ids.length
      else report[outcome.state] += ids.length
    }
  }
}

type OutcomeWrite = {
  claimId: string
  ids: number[]
  outcome:
    | { state: 'sent' | 'failed' | 'unknown'; errcode: number | null; at: Date }
    | { state: 'pending'; dueAt: Date; errcode: number | null }
}

/** One claim's outcomes grouped into the writes that record them (one per state and errcode). */
function outcomeWrites(
  claimId: string,
  messages: ClaimedMessage[],
  outcomes: SubscribeSendOutcome[],
  at: Date,
): OutcomeWrite[] {
  const groups = new Map<string, OutcomeWrite>()
  const add = (key: string, id: number, outcome: OutcomeWrite['outcome']) => {
    const group = groups.get(key) ?? { claimId, ids: [], outcome }
    group.ids.push(id)
    groups.set(key, group)
  }
  messages.forEach((message, i) => {
    const result = outcomes[i]!
    if (result.outcome === 'sent' || result.outcome === 'unknown') {
      add(result.outcome, message.id, { state: result.outcome, errcode: null, at })
    } else if (result.outcome === 'failed' || message.attempts >= MAX_ATTEMPTS) {
      const errcode = result.errcode ?? -1
      add(`failed:${errcode}`, message.id, { state: 'failed', errcode, at })
    } else {
      const dueAt = new Date(at.getTime() + RETRY_AFTER_MS * message.attempts)
      add(`retry:${result.errcode}:${message.attempts}`, message.id, {
        state: 'pending',
        dueAt,
        errcode: result.errcode,
      })
    }
  })
  return [...groups.values()]
}

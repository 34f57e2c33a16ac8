import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { DeliveryScheduler } from '../../domain/subscriptions/deliveryScheduler'

declare module 'fastify' {
  interface FastifyInstance {
    /** the subscribe-message queue's worker of this instance */
    deliveries: DeliveryScheduler
  }
}

/**
 * Every instance runs the queue's worker (claims make that safe): it starts once the app is ready
 * and stops on close, after the batch in flight is recorded and before the pool is closed.
 */
export default fp(
  async function deliveries(app: FastifyInstance) {
    const scheduler = new DeliveryScheduler({
      db: app.db,
      wechat: app.wechat,
      now: app.now,
      timeZone: app.config.APP_TIMEZONE,
      templateFields: app.config.WECHAT_TEMPLATE_FIELDS,
      log: app.log.child({ module: 'deliveries' }),
      intervalMs: app.config.SUBSCRIBE_INTERVAL_MS,
      leaseMs: app.config.SUBSCRIBE_LEASE_MS,
    })
    app.decorate('deliveries', scheduler)
    app.addHook('onReady', async () => scheduler.start())
    // a draining instance takes no new messages; the one in flight is finished on close
    app.addHook('preClose', async () => scheduler.stop())
    app.addHook('onClose', async () => scheduler.stop())
  },
  { name: 'deliveries', dependencies: ['database', 'domain'] },
)

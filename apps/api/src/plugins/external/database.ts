import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { unusableService } from '../../config'
import { createDatabase } from '../../db/client'
import { runMigrations } from '../../db/migrate'

export default fp(
  async function database(app: FastifyInstance) {
    const handle = createDatabase(app.config.DATABASE_URL, { poolSize: app.config.DB_POOL_SIZE })
    app.decorate('dbHandle', handle)
    app.decorate('db', handle.db)
    app.addHook('onClose', () => handle.close())
    // a DATABASE_URL that cannot be used stops start-up with a line that names it
    await handle.pool.query('SELECT 1').catch((error: unknown) => {
      throw unusableService('DATABASE_URL', app.config.DATABASE_URL, error)
    })
    if (app.config.MIGRATE_ON_START) {
      await runMigrations(handle)
      app.log.info('database migrations applied')
    }
  },
  { name: 'database' },
)

import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ensureAdmin } from '../../domain/admins/adminAccounts'

/** ADMIN_USERNAME + ADMIN_PASSWORD create that admin at start when it does not exist yet. */
export default fp(
  async function bootstrapAdmin(app: FastifyInstance) {
    const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = app.config
    if (!username || !password) return
    if (await ensureAdmin(app.db, username, password)) app.log.info({ username }, 'admin account created')
  },
  { name: 'bootstrap-admin', dependencies: ['database'] },
)

import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export default fp(
  async function security(app: FastifyInstance) {
    await app.register(helmet, {
      // the OpenAPI UI at /docs needs its inline scripts; the JSON API has no documents to protect
      contentSecurityPolicy: false,
      // avatars are shown by the dashboard and the H5 build, which run on other origins
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    })
    await app.register(cors, {
      origin: app.config.CORS_ORIGINS,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    })
  },
  { name: 'security' },
)

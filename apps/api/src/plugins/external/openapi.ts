import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** The OpenAPI document is generated from the route schemas, which come from @yuyue/contracts. */
export default fp(
  async function openapi(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Yuyue API',
          version: '0.1.0',
          description: 'Silent WeChat login, phone-based roles, bookings and the admin dashboard API.',
        },
        components: {
          securitySchemes: {
            miniapp: { type: 'http', scheme: 'bearer', description: 'token from /api/auth/wx-login' },
            admin: { type: 'http', scheme: 'bearer', description: 'token from /api/admin/auth/login' },
          },
        },
      },
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  },
  { name: 'openapi' },
)

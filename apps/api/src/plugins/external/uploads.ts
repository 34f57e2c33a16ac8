import multipart from '@fastify/multipart'
import { AVATAR_MAX_BYTES } from '@yuyue/contracts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { avatarOf } from '../../db/queries/avatars'
import { AVATAR_ROUTE_PREFIX } from '../../domain/accounts/profile'
import { AppError } from '../../errors'

const AVATAR_NAME = /^(\d{1,19})-[0-9a-f]{24}\.(png|jpg|webp)$/

/**
 * Multipart parsing, for the context of the routes that take an upload, not the whole API:
 * @fastify/multipart hooks every request of its context (a promise on arrival, a 'close' listener,
 * a clean-up when answered).
 */
export async function acceptMultipart(scope: FastifyInstance) {
  await scope.register(multipart, { limits: { fileSize: AVATAR_MAX_BYTES, files: 1, fields: 5, parts: 6 } })
}

/**
 * The bytes of the one file a multipart request carries in `field`, at most `maxBytes`. A body
 * that is not multipart, has no such field, or cannot be parsed (no boundary, cut short) is the
 * client's fault: 400 VALIDATION_FAILED. Limits keep their own errors (413 PAYLOAD_TOO_LARGE).
 */
export async function readUploadedFile(request: FastifyRequest, field: string, maxBytes: number) {
  if (!request.isMultipart())
    throw new AppError('VALIDATION_FAILED', `请以 multipart/form-data 上传 ${field} 字段`)
  try {
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 5 } })
    if (file?.fieldname !== field) throw new AppError('VALIDATION_FAILED', `缺少图片字段 ${field}`)
    return await file.toBuffer()
  } catch (error) {
    // busboy's parse errors are plain Errors; @fastify/multipart's own carry their status
    if (error instanceof AppError || (error as { statusCode?: unknown }).statusCode) throw error
    throw new AppError('VALIDATION_FAILED', `multipart 内容无法解析: ${(error as Error).message}`)
  }
}

/**
 * Serving avatars back, from the database, so any instance answers for any upload (SPEC §8). Only
 * the current name of a person's avatar answers: a replaced one is gone.
 */
export default fp(
  async function uploads(app: FastifyInstance) {
    app.get<{ Params: { name: string } }>(
      `${AVATAR_ROUTE_PREFIX}avatars/:name`,
      { config: { auth: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        const match = AVATAR_NAME.exec(request.params.name)
        if (!match) throw new AppError('NOT_FOUND')
        const avatar = await avatarOf(app.db, Number(match[1]))
        if (avatar?.name !== request.params.name) throw new AppError('NOT_FOUND')
        return reply
          .header('content-type', avatar.contentType)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(avatar.bytes)
      },
    )
  },
  { name: 'uploads', dependencies: ['database'] },
)

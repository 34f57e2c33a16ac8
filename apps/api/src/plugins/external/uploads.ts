import { createReadStream } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import multipart from '@fastify/multipart'
import { AVATAR_MAX_BYTES } from '@yuyue/contracts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AVATAR_ROUTE_PREFIX } from '../../domain/accounts/profile'
import { AppError } from '../../errors'

const AVATAR_FILE = /^(\d+-[0-9a-f]{24})\.(png|jpg|webp)$/
const CONTENT_TYPES = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' } as const

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
 * Serving uploaded files (avatars) back. Only names the API itself generated can be asked for, so
 * no path can reach outside UPLOAD_DIR/avatars.
 */
export default fp(
  async function uploads(app: FastifyInstance) {
    const avatars = join(resolve(app.config.UPLOAD_DIR), 'avatars')
    await mkdir(avatars, { recursive: true })

    app.get<{ Params: { name: string } }>(
      `${AVATAR_ROUTE_PREFIX}avatars/:name`,
      { config: { auth: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        const match = AVATAR_FILE.exec(request.params.name)
        if (!match) throw new AppError('NOT_FOUND')
        const path = join(avatars, request.params.name)
        const info = await stat(path).catch(() => null)
        if (!info?.isFile()) throw new AppError('NOT_FOUND')
        return reply
          .header('content-type', CONTENT_TYPES[match[2] as keyof typeof CONTENT_TYPES])
          .header('content-length', info.size)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(createReadStream(path))
      },
    )
  },
  { name: 'uploads' },
)

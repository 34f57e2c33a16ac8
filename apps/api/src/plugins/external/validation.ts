import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'

function compilerFor(coerceTypes: boolean | 'array') {
  const ajv = new Ajv({
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  })
  addFormats(ajv)
  return ajv
}

/**
 * Query strings and path parameters arrive as text, so they are coerced (`?page=2`). Bodies are
 * JSON and must already have the right types: `{"slotId": "5"}` is a 400, not a silent cast.
 */
export function installValidators(app: FastifyInstance) {
  const lenient = compilerFor('array')
  const strict = compilerFor(false)
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : lenient).compile(schema as object),
  )
}

/**
 * An empty body sent with `Content-Type: application/json` (some HTTP clients label every request
 * so, and the mini-program's cancel and check-in carry no body) reads as no body instead of a 400.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined)
    return parseJson(request, body as string, done)
  })
}

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

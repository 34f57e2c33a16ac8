/** A control request the sandbox cannot honour; the control API answers it with HTTP 400. */
export class SandboxInputError extends Error {
  override name = 'SandboxInputError'
}

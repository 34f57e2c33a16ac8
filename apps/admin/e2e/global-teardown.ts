import './support/env'

export default async function globalTeardown(): Promise<void> {
  await globalThis.__yuyueAdminE2e?.stop()
  globalThis.__yuyueAdminE2e = undefined
}

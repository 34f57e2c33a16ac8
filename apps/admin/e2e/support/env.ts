export const E2E_ADMIN = { username: 'e2e-admin', password: 'e2e-admin-password-1' } as const

function required(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run the journeys with playwright (global setup sets it)`)
  return value
}

export const e2eEnv = {
  get adminUrl() {
    return required('YUYUE_E2E_ADMIN_URL')
  },
  /** the mini-program's H5 build, for the journeys that cross into it */
  get miniappUrl() {
    return required('YUYUE_E2E_MINIAPP_URL')
  },
  get apiUrl() {
    return required('YUYUE_E2E_API_URL')
  },
  get sandboxUrl() {
    return required('YUYUE_E2E_SANDBOX_URL')
  },
  get databaseUrl() {
    return required('YUYUE_E2E_DATABASE_URL')
  },
}

declare global {
  /** what the global setup started, for the teardown (both run in the runner's process) */
  var __yuyueAdminE2e: { stop(): Promise<void> } | undefined
}

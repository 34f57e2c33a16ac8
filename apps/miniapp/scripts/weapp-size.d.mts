export interface PackageSize {
  bytes: number
  files: { name: string; bytes: number }[]
}
export const WECHAT_PACKAGE_LIMIT_BYTES: number
export const MAIN_BUDGET_BYTES: number
export function measureWeapp(root: string): { main: PackageSize; subpackages: Record<string, PackageSize> }

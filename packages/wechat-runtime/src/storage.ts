/**
 * wx.setStorageSync and friends: values kept as WeChat keeps them (a copy, so later changes to the
 * object do not reach the store), at most 1 MB per key and 10 MB in all. Over a limit the sync
 * call throws, as WeChat's does.
 */
export const STORAGE_KEY_LIMIT = 1024 * 1024
export const STORAGE_TOTAL_LIMIT = 10 * 1024 * 1024

export class Storage {
  private readonly entries = new Map<string, string>()

  private static sizeOf(key: string, serialized: string): number {
    return Buffer.byteLength(key) + Buffer.byteLength(serialized)
  }

  set(key: string, value: unknown): void {
    if (typeof key !== 'string' || key === '')
      throw new Error('setStorageSync:fail parameter error: key should be a non-empty String')
    if (value === undefined)
      throw new Error('setStorageSync:fail parameter error: data should not be undefined')
    const serialized = JSON.stringify(value)
    if (Storage.sizeOf(key, serialized) > STORAGE_KEY_LIMIT)
      throw new Error('setStorageSync:fail entry size limit reached')
    const before = this.entries.get(key)
    const total =
      this.bytes() -
      (before === undefined ? 0 : Storage.sizeOf(key, before)) +
      Storage.sizeOf(key, serialized)
    if (total > STORAGE_TOTAL_LIMIT) throw new Error('setStorageSync:fail exceed storage max size 10Mb')
    this.entries.set(key, serialized)
  }

  /** '' for a key never set, as WeChat answers. */
  get(key: string): unknown {
    const serialized = this.entries.get(key)
    return serialized === undefined ? '' : JSON.parse(serialized)
  }

  remove(key: string): void {
    this.entries.delete(key)
  }

  clear(): void {
    this.entries.clear()
  }

  keys(): string[] {
    return [...this.entries.keys()]
  }

  bytes(): number {
    let total = 0
    for (const [key, serialized] of this.entries) total += Storage.sizeOf(key, serialized)
    return total
  }
}

/**
 * The most codes one bulk control request issues: enough for a benchmark round in a few requests,
 * small enough that a request body stays a few megabytes.
 */
export const BULK_CODES_MAX = 50_000

/** Room for {@link BULK_CODES_MAX} items with every optional field at its longest. */
export const BULK_BODY_LIMIT = 32 * 1024 * 1024

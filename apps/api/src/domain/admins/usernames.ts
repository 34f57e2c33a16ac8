/**
 * An admin's username as stored and looked up: NFKC (full-width and compatibility forms folded),
 * trimmed, lower-case. The column compares bytes (utf8mb4_bin), so two spellings the database
 * collation would once have merged (`ádmin`, `admin `) are either this one name or another.
 */
export function normaliseUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase()
}

// ASCII only: no look-alike letters from other scripts can imitate an existing name
const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/

export const USERNAME_RULE = '1-64 characters: letters, digits, . _ @ - (starting with a letter or digit)'

/** Whether a normalised username may be given to a new account. */
export function isValidUsername(normalised: string): boolean {
  return USERNAME.test(normalised)
}

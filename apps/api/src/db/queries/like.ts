/** A LIKE pattern for "starts with `text`": its `%`, `_` and `\` match themselves. */
export function startingWith(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

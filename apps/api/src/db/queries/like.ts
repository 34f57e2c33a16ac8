const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** A LIKE pattern for "starts with `text`": its `%`, `_` and `\` match themselves. */
export function startingWith(text: string): string {
  return `${escapeLike(text)}%`
}

/** A LIKE pattern for "holds `text`", to check the few rows an index found (never to find them). */
export function holding(text: string): string {
  return `%${escapeLike(text)}%`
}

/** A LIKE pattern for "ends with `digits`" on a column holding the number read backwards. */
export function endingWithReversed(digits: string): string {
  return startingWith([...digits].reverse().join(''))
}

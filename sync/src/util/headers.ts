/** Where each header sits in a sheet's first row, one rule for every format the registry is read from. */

/**
 * Header text → position, from (position, cell) pairs of the header row: text trimmed, non-text ignored, and the first
 * of two equal headers wins (people reorder and insert columns; a stray copy further right is not the column).
 */
export function headerPositions(cells: Iterable<readonly [number, unknown]>): Map<string, number> {
  const map = new Map<string, number>();
  for (const [position, value] of cells) {
    const text = typeof value === 'string' ? value.trim() : '';
    if (text && !map.has(text)) map.set(text, position);
  }
  return map;
}

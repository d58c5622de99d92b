/** Column letters of A1 notation, shared by the Excel and Google Sheets adapters. */

/** `1 → A`, `27 → AA` (1-based, as Excel counts columns). */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** `A → 1`, `AA → 27`. */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

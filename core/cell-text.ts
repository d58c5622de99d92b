/** A cell's value as text, the one way every rule and report reads a raw cell it needs as a string. */

/** Blank for no value; trimmed, since a space typed around an ID, a date or an e-mail is no part of it. */
export function cellText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).trim();
}

/** Blank for no value; otherwise the text exactly as stored (titles and names shown as the registry holds them). */
export function cellString(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Normalisation of values read from workbooks people typed by hand: headers, full-width text, dates and numbers as text. */
import { calendarDate, isCalendarDate, daysInMonth } from './dates.js';
import { stripBidiControls } from './rules.js';
import type { CellValue } from './rows.js';
import type { ColumnSpec, SheetSpec } from './schema.js';
import type { Settings } from './settings.js';

/** Full-width ASCII (U+FF01–FF5E) and the ideographic space folded to their half-width forms. */
export function foldWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const INVISIBLE = /[\u200B-\u200D\uFEFF\u00A0]/g;

/** The comparison form of a header: widths folded, spaces, line breaks, required marks and trailing colons removed. */
export function normalizeHeader(text: string): string {
  return foldWidth(text.replace(INVISIBLE, ' '))
    .replace(/\s+/g, '')
    .replace(/^[*＊]+|[*＊:：]+$/g, '')
    .replace(/\((必填|选填)\)$/, '')
    .toLowerCase();
}

/** Every header text by which a file may name this column: its own header and its synonyms. */
export function headerNames(column: ColumnSpec): string[] {
  return [column.header, ...(column.synonyms ?? [])].map(normalizeHeader);
}

/** The column of `sheet` that a header cell of a typed file means, if any. */
export function matchHeader(sheet: SheetSpec, text: string): ColumnSpec | undefined {
  const wanted = normalizeHeader(text);
  if (!wanted) return undefined;
  return sheet.columns.find((c) => normalizeHeader(c.header) === wanted) ?? sheet.columns.find((c) => headerNames(c).includes(wanted));
}

/** Excel's 1900 date system: serial 1 is 1900-01-01, and serial 60 is the fictional 1900-02-29. */
export function dateFromExcelSerial(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return undefined;
  const days = Math.floor(serial);
  const t = new Date(Date.UTC(1899, 11, 30) + days * 86_400_000);
  return calendarDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

const DATE_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** `2024-03-01`, `2024/3/1`, `2024.3.1`, `2024年3月1日`, `20240301` → `2024-03-01`; anything else undefined. */
export function parseDateText(text: string): string | undefined {
  const t = foldWidth(text).trim();
  const m = DATE_TEXT.exec(t) ?? COMPACT_DATE.exec(t);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return calendarDate(y, mo, d);
}

/** `1,234.50`, `¥1234.5`, `１２３４元`, ` 80 ` → a number; anything else undefined. */
export function parseNumberText(text: string): number | undefined {
  const t = foldWidth(text)
    .replace(/\s+/g, '')
    .replace(/^[¥￥]|元$/g, '')
    .replace(/^[¥￥]/, '');
  if (!/^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(t)) return undefined;
  return Number(t.replace(/,/g, ''));
}

/** The comparison form of a dropdown value: widths folded, spaces removed. */
function optionKey(text: string): string {
  return foldWidth(text).replace(/\s+/g, '');
}

/** The allowed value a typed one means when they differ only in widths and spaces (`联合办学(三二分段)`); else the text itself. */
export function canonicalOption(text: string, allowed: readonly string[]): string {
  const key = optionKey(text);
  return allowed.find((a) => optionKey(a) === key) ?? text;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}

/**
 * The allowed value a near miss probably means, for a suggestion in the message (never applied silently):
 * an abbreviation whose characters appear in order in one option (订单式培养 → 订单式人才培养, 汽修专业 →
 * 汽车运用与维修专业, 学工处 → 学生（学工）处), else one option within a small edit distance. Undefined when none
 * or several fit equally.
 */
export function suggestOption(text: string, allowed: readonly string[]): string | undefined {
  const key = optionKey(text).replace(/[()]/g, '');
  if (!key) return undefined;
  const keyed = allowed.map((a) => [a, optionKey(a).replace(/[()]/g, '')] as const);
  if (keyed.some(([, k]) => k === key)) return undefined;
  const pickBest = (scored: (readonly [string, number])[]): string | undefined => {
    if (!scored.length) return undefined;
    const best = Math.min(...scored.map(([, n]) => n));
    const winners = scored.filter(([, n]) => n === best);
    return winners.length === 1 ? winners[0]![0] : undefined;
  };
  const abbreviations = keyed
    .filter(([, k]) => key.length >= 2 && key.length < k.length && isSubsequence(key, k))
    .map(([a, k]) => [a, k.length - key.length] as const);
  const byAbbreviation = pickBest(abbreviations);
  if (byAbbreviation || abbreviations.length) return byAbbreviation;
  const limit = Math.max(1, Math.floor(key.length / 4));
  return pickBest(keyed.map(([a, k]) => [a, editDistance(key, k)] as const).filter(([, d]) => d <= limit));
}

const TRUE_WORDS = new Set(['true', '是', '√', '✓', '✔', 'yes', 'y', '1', '已勾选']);
const FALSE_WORDS = new Set(['false', '否', '×', 'no', 'n', '0', '']);

/** Blanks that only look like spaces (zero-width space, BOM, no-break space); zero-width (non-)joiners are part of the text. */
const SPACE_LIKE = /[\u200B\uFEFF\u00A0]/g;

/**
 * Free text: trimmed, space-like and bidirectional control characters gone, ideographic spaces and runs of spaces
 * collapsed (line breaks kept). Zero-width joiners stay: they belong to emoji and some scripts' names.
 */
export function tidyText(text: string): string {
  return stripBidiControls(text)
    .replace(SPACE_LIKE, ' ')
    .replace(/\u3000/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/**
 * The value a column should hold for a raw cell of an imported file (already stripped of rich text,
 * hyperlinks and formulas by the adapter; real dates already `YYYY-MM-DD`). Values that cannot be
 * understood are returned as they are, so the core's row rules report them.
 */
export function normalizeImported(column: ColumnSpec, raw: CellValue, settings: Settings): CellValue {
  if (raw === null) return column.type === 'checkbox' ? false : null;
  if (typeof raw === 'string' && tidyText(raw) === '') return column.type === 'checkbox' ? false : null;
  switch (column.type) {
    case 'checkbox': {
      if (typeof raw === 'boolean') return raw;
      const word = foldWidth(String(raw)).trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return raw;
    }
    case 'date': {
      if (typeof raw === 'number') return dateFromExcelSerial(raw) ?? raw;
      if (typeof raw !== 'string') return raw;
      if (isCalendarDate(raw)) return raw;
      const t = foldWidth(raw).trim();
      if (/^\d{5}(\.\d+)?$/.test(t)) return dateFromExcelSerial(Number(t)) ?? raw;
      return parseDateText(t) ?? tidyText(raw);
    }
    case 'money':
    case 'integer':
    case 'year': {
      // Binary floating point from formulas (0.1 + 0.2) is rounded off well below a fen.
      if (typeof raw === 'number') return column.type === 'money' ? Number(raw.toFixed(6)) : raw;
      if (typeof raw !== 'string') return raw;
      const n = parseNumberText(column.type === 'year' ? raw.replace(/年(度)?$/, '') : raw);
      return n ?? tidyText(raw);
    }
    case 'timestamp':
      return typeof raw === 'string' ? tidyText(foldWidth(raw)) : raw;
  }
  const text = typeof raw === 'string' ? raw : String(raw);
  switch (column.type) {
    case 'enum':
      return canonicalOption(tidyText(text), column.enum ?? []);
    case 'list':
      return canonicalOption(tidyText(text), settings[column.list!]);
    case 'id':
    case 'creditCode':
      return foldWidth(text).replace(INVISIBLE, '').replace(/\s+/g, '').toUpperCase() || null;
    case 'email':
      return foldWidth(text).replace(INVISIBLE, '').replace(/\s+/g, '') || null;
    case 'phone':
      return tidyText(foldWidth(text));
    case 'link':
      return tidyText(text);
    default:
      return tidyText(text);
  }
}

/** Marks the greyed example row of a department form, which imports skip. */
export const SAMPLE_MARK = '（示例）';

export function isSampleText(value: CellValue): boolean {
  return typeof value === 'string' && /^\(示例\)/.test(foldWidth(value).trim());
}

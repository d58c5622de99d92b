/** One sheet read in a single batch: header positions, rows as the core's raw cells, and the conversions at the edge. */
import {
  dateParts,
  isCalendarDate,
  neutralizeFormula,
  restoreText,
  SCHOOL_OFFSET_MS,
  schoolDate,
  schoolTimestamp,
  type CellValue,
  type ColumnSpec,
  type RawCells,
  type SheetSpec,
} from '../../core/index.js';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Range = GoogleAppsScript.Spreadsheet.Range;

export interface Table {
  sheet: Sheet;
  spec: SheetSpec;
  range: Range;
  /** Every value of the data range, header row first; edits are applied here before one batch write. */
  values: unknown[][];
  /** Header text → 0-based column index, as the sheet has it now. */
  index: Map<string, number>;
  /** Schema key → 0-based column index, for the schema's columns present in the sheet. */
  keyIndex: Map<string, number>;
  width: number;
}

export function headerIndex(headerRow: readonly unknown[]): Map<string, number> {
  const index = new Map<string, number>();
  headerRow.forEach((v, i) => {
    const text = typeof v === 'string' ? v.trim() : '';
    if (text && !index.has(text)) index.set(text, i);
  });
  return index;
}

export function tableFromValues(sheet: Sheet, spec: SheetSpec, range: Range, values: unknown[][]): Table {
  const index = headerIndex(values[0] ?? []);
  const keyIndex = new Map<string, number>();
  for (const c of spec.columns) {
    const i = index.get(c.header);
    if (i !== undefined) keyIndex.set(c.key, i);
  }
  return { sheet, spec, range, values, index, keyIndex, width: values[0]?.length ?? 0 };
}

/** Two service calls whatever the sheet's size. */
export function readTable(sheet: Sheet, spec: SheetSpec): Table {
  const range = sheet.getDataRange();
  return tableFromValues(sheet, spec, range, range.getValues());
}

export function columnAt(table: Table, col0: number): ColumnSpec | undefined {
  for (const c of table.spec.columns) if (table.keyIndex.get(c.key) === col0) return c;
  return undefined;
}

/** A cell as the core sees it. Sheets hands dates back as instants at midnight in the spreadsheet's zone (Asia/Shanghai). */
export function toDomain(value: unknown, column: ColumnSpec | undefined): CellValue {
  if (isDate(value)) {
    const d = value;
    return column?.type === 'timestamp' ? schoolTimestamp(d) : schoolDate(d);
  }
  if (typeof value === 'string') {
    const text = restoreText(value);
    return text.trim() === '' ? null : text;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

/** The value to hand to setValues: dates as school-midnight instants, text neutralised against formula injection. */
export function toSheet(value: CellValue | undefined, column: ColumnSpec | undefined): unknown {
  if (value === null || value === undefined || value === '') return column?.type === 'checkbox' ? false : '';
  if (column?.type === 'date' && isCalendarDate(value)) return sheetDate(value);
  if (typeof value === 'string') return neutralizeFormula(value);
  return value;
}

export function sheetDate(date: string): Date {
  const { year, month, day } = dateParts(date);
  return new Date(Date.UTC(year, month - 1, day) - SCHOOL_OFFSET_MS);
}

/** Raw cells of one row (0-based index into `values`). */
export function rowCells(table: Table, row0: number): RawCells {
  const cells: RawCells = {};
  const row = table.values[row0] ?? [];
  for (const c of table.spec.columns) {
    const i = table.keyIndex.get(c.key);
    cells[c.key] = i === undefined ? null : toDomain(row[i], c);
  }
  return cells;
}

/** Writes a domain value into the in-memory grid; returns whether the cell changed. */
export function setCell(table: Table, row0: number, key: string, value: CellValue): boolean {
  const i = table.keyIndex.get(key);
  if (i === undefined) return false;
  const column = table.spec.columns.find((c) => c.key === key);
  const next = toSheet(value, column);
  const row = table.values[row0]!;
  if (sameCell(row[i], next)) return false;
  row[i] = next;
  return true;
}

/** Dates may come from another realm (tests run the bundle in a vm context), so no instanceof. */
export function isDate(value: unknown): value is Date {
  return typeof value === 'object' && value !== null && typeof (value as Date).getTime === 'function' && typeof (value as Date).getUTCFullYear === 'function';
}

export function sameCell(a: unknown, b: unknown): boolean {
  if (isDate(a) && isDate(b)) return a.getTime() === b.getTime();
  if ((a === '' || a === null || a === undefined) && (b === '' || b === null || b === undefined)) return true;
  if ((a === false || a === '') && (b === false || b === '')) return true;
  return a === b;
}

/** Data rows (0-based indexes into `values`) that hold anything at all. */
export function dataRows(table: Table): number[] {
  const rows: number[] = [];
  for (let r = 1; r < table.values.length; r++) {
    if (table.values[r]!.some((v) => v !== '' && v !== null && v !== false)) rows.push(r);
  }
  return rows;
}

/** A1 notation → 1-based bounds. */
export function parseA1(a1: string): { r1: number; c1: number; r2: number; c2: number } {
  const part = a1.includes('!') ? a1.slice(a1.lastIndexOf('!') + 1) : a1;
  const [from, to = from] = part.replace(/\$/g, '').split(':') as [string, string?];
  const cell = (s: string) => {
    const m = /^([A-Z]*)(\d*)$/.exec(s.toUpperCase());
    if (!m) throw new Error(`bad A1 ${a1}`);
    return { c: m[1] ? lettersToIndex(m[1]) : 0, r: m[2] ? Number(m[2]) : 0 };
  };
  const a = cell(from);
  const b = cell(to!);
  return { r1: a.r || 1, c1: a.c || 1, r2: b.r || Number.MAX_SAFE_INTEGER, c2: b.c || Number.MAX_SAFE_INTEGER };
}

export function lettersToIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function indexToLetters(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A record (schema key → domain value) as the sheet's row of values, in the sheet's column order. */
export function recordValues(table: Table, cells: RawCells): unknown[] {
  const values = Array.from({ length: table.width }, () => '' as unknown);
  for (const c of table.spec.columns) {
    const i = table.keyIndex.get(c.key);
    if (i !== undefined) values[i] = toSheet(cells[c.key] ?? null, c);
  }
  return values;
}

/**
 * Writes a new record (schema key → domain value) into the first row after the last one holding anything,
 * in one call; returns its 1-based row. A full sheet grows by a row, so the common case never asks its size.
 */
export function appendRecord(table: Table, cells: RawCells): number {
  const values = recordValues(table, cells);
  let last = table.values.length;
  while (last > 1 && table.values[last - 1]!.every((v) => v === '' || v === false || v === null)) last--;
  const row = last + 1;
  if (last === table.values.length) {
    // The data range read ends with a record (no unticked checkboxes below it): Sheets' own append lands on the
    // same row in one call, growing the sheet if it must — and after anyone who appended since the read.
    table.sheet.appendRow(values);
    table.values[row - 1] = values;
    return row;
  }
  let range: Range;
  try {
    range = table.sheet.getRange(row, 1, 1, table.width);
  } catch {
    table.sheet.insertRowsAfter(row - 1, 1);
    range = table.sheet.getRange(row, 1, 1, table.width);
  }
  range.setValues([values]);
  // The grid follows the write, so a second record appended from the same read lands below this one.
  table.values[row - 1] = values;
  return row;
}

/** Conversion between Sheets API cell values (UNFORMATTED_VALUE, dates as serial numbers) and the core's domain values. */
import { calendarDate, dateParts, neutralizeFormula, restoreText, type CellValue, type ColumnSpec } from '../../../core/index.js';

/** What the Sheets API returns or accepts for one cell; '' is an empty cell. */
export type SheetCell = string | number | boolean;

const EPOCH = Date.UTC(1899, 11, 30);
const DAY = 86_400_000;

/** Sheets' serial day number for a calendar date: whole days from 1899-12-30, no time zone involved. */
export function serialFromDate(date: string): number {
  const { year, month, day } = dateParts(date);
  return Math.round((Date.UTC(year, month - 1, day) - EPOCH) / DAY);
}

function utcFromSerial(serial: number): Date {
  return new Date(EPOCH + Math.round(serial * DAY));
}

export function dateFromSerial(serial: number): string {
  const d = utcFromSerial(serial);
  return calendarDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function timestampFromSerial(serial: number): string {
  const d = utcFromSerial(serial);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${dateFromSerial(serial)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A cell as the core sees it, given its column. */
export function readSheetCell(value: SheetCell | null | undefined, column: ColumnSpec | undefined): CellValue {
  if (value === null || value === undefined || value === '') return column?.type === 'checkbox' ? false : null;
  if (typeof value === 'number') {
    if (column?.type === 'date') return dateFromSerial(value);
    if (column?.type === 'timestamp') return timestampFromSerial(value);
    return value;
  }
  if (typeof value === 'boolean') return value;
  const text = restoreText(value);
  return text.trim() === '' ? null : text;
}

/** The value to send with valueInputOption RAW: real numbers, booleans, dates as serials, text neutralised. */
export function writeSheetCell(value: CellValue | undefined, column: ColumnSpec | undefined): SheetCell {
  if (value === null || value === undefined || value === '') return column?.type === 'checkbox' ? false : '';
  if (column?.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return serialFromDate(value);
  if (typeof value === 'string') return neutralizeFormula(value);
  return value;
}

/** Whether two raw cells mean the same thing (an empty checkbox equals FALSE), so unchanged cells are not rewritten. */
export function sameCell(a: SheetCell | null | undefined, b: SheetCell | null | undefined, column: ColumnSpec | undefined): boolean {
  const norm = (v: SheetCell | null | undefined) => (v === null || v === undefined || v === '' ? (column?.type === 'checkbox' ? false : '') : v);
  return norm(a) === norm(b);
}

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** `'合作项目'!C5` for 0-based row and column. */
export function a1(sheet: string, row0: number, col0: number): string {
  return `${quoteSheet(sheet)}!${columnLetters(col0)}${row0 + 1}`;
}

export function quoteSheet(sheet: string): string {
  return `'${sheet.replace(/'/g, "''")}'`;
}

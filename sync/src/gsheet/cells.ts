/**
 * Conversion between Sheets API cell values (UNFORMATTED_VALUE, SERIAL_NUMBER) and the core's domain
 * values, at the edge: dates are whole-day serials counted in UTC arithmetic, so no host zone can shift a day.
 */
import { calendarDate, dateParts, neutralizeFormula, restoreText, type CellValue, type ColumnSpec } from '../../../core/index.js';
import { columnLetter } from '../util/a1.js';

/** What the Sheets API hands back (or takes) for one cell. */
export type SheetValue = string | number | boolean;

const MS_PER_DAY = 86_400_000;
/** Serial 0 of Google Sheets (and Excel's 1900 system after 1900-03-01): 1899-12-30. */
const EPOCH_UTC = Date.UTC(1899, 11, 30);

export function serialFromDate(date: string): number {
  const { year, month, day } = dateParts(date);
  return Math.round((Date.UTC(year, month - 1, day) - EPOCH_UTC) / MS_PER_DAY);
}

export function dateFromSerial(serial: number): string {
  const t = new Date(EPOCH_UTC + Math.floor(serial) * MS_PER_DAY);
  return calendarDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** `YYYY-MM-DD HH:mm:ss` from a date-time serial (the fraction is the time of day, no zone). */
export function timestampFromSerial(serial: number): string {
  const seconds = Math.round((serial - Math.floor(serial)) * 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = seconds >= 86_400 ? Math.floor(serial) + 1 : Math.floor(serial);
  const s = seconds % 86_400;
  return `${dateFromSerial(day)} ${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A cell as the core sees it, given the column it sits in (the same rules the .xlsx reader applies). */
export function readSheetValue(value: SheetValue | null | undefined, column: ColumnSpec | undefined): CellValue {
  if (value === null || value === undefined) return column?.type === 'checkbox' ? false : null;
  if (typeof value === 'number') {
    if (column?.type === 'date') return dateFromSerial(value);
    if (column?.type === 'timestamp') return timestampFromSerial(value);
    return value;
  }
  if (typeof value === 'boolean') return value;
  const text = restoreText(value);
  if (text.trim() === '') return column?.type === 'checkbox' ? false : null;
  return text;
}

/**
 * The value to send with valueInputOption=RAW: dates as serial numbers (typed dates; the column's
 * date format displays them), numbers and booleans typed, text neutralised against formula injection.
 */
export function sheetValueFor(value: CellValue | undefined, column: ColumnSpec | undefined): SheetValue {
  if (value === null || value === undefined || value === '') return column?.type === 'checkbox' ? false : '';
  if (column?.type === 'date' && typeof value === 'string' && ISO_DATE.test(value)) return serialFromDate(value);
  if (typeof value === 'string') return neutralizeFormula(value);
  return value;
}

/** Two domain values the sheet would show alike (blank and false are one thing in a checkbox column). */
export function sameCell(a: CellValue | undefined, b: CellValue | undefined, column: ColumnSpec | undefined): boolean {
  const norm = (v: CellValue | undefined) => (v === undefined || v === '' ? null : column?.type === 'checkbox' && v === null ? false : v);
  return norm(a) === norm(b);
}

/** Column letters for a 0-based column index (A, …, Z, AA, …). */
export function columnLetters(index: number): string {
  return columnLetter(index + 1);
}

/** A sheet title quoted for A1 notation: `'合作项目'`. */
export function quoteSheet(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

/** `'合作项目'!C7` for a 1-based row and a 0-based column. */
export function a1Cell(title: string, row: number, col: number): string {
  return `${quoteSheet(title)}!${columnLetters(col)}${row}`;
}

/** Conversion between exceljs cell values and the core's domain values, at the edge: dates never shift a day. */
import type ExcelJS from 'exceljs';
import { NUMBER_FORMATS, calendarDate, dateParts, neutralizeFormula, restoreText, type CellValue, type ColumnSpec } from '../../../core/index.js';

export const DATE_FORMAT = NUMBER_FORMATS.date;
export const MONEY_FORMAT = NUMBER_FORMATS.money;

/** Excel stores dates as serial days with no zone; exceljs maps them to UTC midnight, so read UTC parts. */
export function calendarDateFromExcel(date: Date): string {
  return calendarDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

export function excelDate(date: string): Date {
  const { year, month, day } = dateParts(date);
  return new Date(Date.UTC(year, month - 1, day));
}

function timestampFromExcel(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${calendarDateFromExcel(date)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** The plain value behind whatever exceljs hands back: rich text, hyperlinks, formulas (cached result), errors. */
export function plainValue(value: ExcelJS.CellValue): string | number | boolean | Date | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : plainValue(value.text as ExcelJS.CellValue);
    if ('formula' in value || 'sharedFormula' in value) {
      const { formula, result } = value as { formula?: string; result?: ExcelJS.CellValue };
      // LibreOffice saves booleans as the formulas TRUE() and FALSE(), with no cached result.
      if (result === undefined && /^(TRUE|FALSE)\(\)$/i.test(formula ?? '')) return formula!.toUpperCase() === 'TRUE()';
      return plainValue(result ?? null);
    }
    if ('error' in value) return value.error;
  }
  return String(value);
}

/**
 * The one conversion of an exceljs cell to a domain value, given its column: a link's address, dates as calendar
 * dates (timestamps with their time), text restored from its escaping. Blank text stays as typed (import reports it).
 */
export function cellValue(value: ExcelJS.CellValue, column: ColumnSpec | undefined): CellValue {
  if (column?.type === 'link' && value && typeof value === 'object' && 'hyperlink' in value) return value.hyperlink;
  const plain = plainValue(value);
  if (plain instanceof Date) return column?.type === 'timestamp' ? timestampFromExcel(plain) : calendarDateFromExcel(plain);
  if (typeof plain === 'string') return restoreText(plain);
  return plain;
}

/** A registry cell as the core sees it: blank text is no value. */
export function readCell(value: ExcelJS.CellValue, column: ColumnSpec | undefined): CellValue {
  const read = cellValue(value, column);
  return typeof read === 'string' && read.trim() === '' ? null : read;
}

/** The exceljs value to store for a domain value: real dates, numbers as numbers, text neutralised. */
export function writeCell(value: CellValue | undefined, column: ColumnSpec | undefined): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return column?.type === 'checkbox' ? false : null;
  if (column?.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return excelDate(value);
  if (column?.type === 'link' && typeof value === 'string' && /^(https?:|file:)/.test(value)) return { text: value, hyperlink: value };
  if (typeof value === 'string') return neutralizeFormula(value);
  return value;
}

/** Cells of columns the schema does not know are carried as exceljs values, untouched. */
export function carryCell(value: ExcelJS.CellValue): ExcelJS.CellValue {
  if (typeof value === 'string') return neutralizeFormula(restoreText(value));
  return value ?? null;
}

/**
 * A row of computed values (statistics labels, cover lines, copied headers) as a sheet should hold it: every text
 * through the same escaping as data cells, so text that came from a person can never become a formula.
 */
export function safeRow(values: readonly (ExcelJS.CellValue | undefined)[]): ExcelJS.CellValue[] {
  return values.map((v) => (typeof v === 'string' ? neutralizeFormula(v) : (v ?? null)));
}

/**
 * An inline list-validation formula (`"a,b,c"`): a `"` inside an item is doubled, as the formula grammar wants. An item
 * holding a comma cannot be expressed inline (the comma separates items), so such a list gets null: no dropdown.
 */
export function listFormula(items: readonly string[]): string | null {
  if (items.some((item) => item.includes(','))) return null;
  return `"${items.map((item) => item.replace(/"/g, '""')).join(',')}"`;
}

/** Excel's error values, as a cell holds them or as a CSV export writes them. */
const ERROR_TEXT = /^#(REF!|N\/A|VALUE!|DIV\/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|BUSY!|CONNECT!|UNKNOWN!)$/;

/** The error a cell shows (`#REF!`, `#N/A`…), whether stored as an error, a formula's cached error, or text; else undefined. */
export function cellError(value: ExcelJS.CellValue): string | undefined {
  if (value && typeof value === 'object' && 'error' in value) return String(value.error);
  if (value && typeof value === 'object' && ('formula' in value || 'sharedFormula' in value)) {
    const result = (value as { result?: ExcelJS.CellValue }).result;
    if (result && typeof result === 'object' && 'error' in result) return String(result.error);
  }
  const plain = plainValue(value);
  return typeof plain === 'string' && ERROR_TEXT.test(plain.trim()) ? plain.trim() : undefined;
}

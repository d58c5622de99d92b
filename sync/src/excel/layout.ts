/** Renders the core schema onto an exceljs worksheet: headers, widths, frozen panes, dropdowns and hints. */
import type ExcelJS from 'exceljs';
import {
  NUMBER_FORMATS,
  columnValidation,
  isDigitsTextColumn,
  isProtectedColumn,
  type ColumnSpec,
  type Settings,
  type SheetSpec,
} from '../../../core/index.js';
import { DATE_FORMAT, MONEY_FORMAT, excelDate, listFormula } from './cells.js';
import { EXCEL_TEXT as T } from './text.js';
import { columnIndex, columnLetter } from '../util/a1.js';
import { headerPositions } from '../util/headers.js';

const HEADER_FILL = 'FFDDEBF7';
const SYSTEM_FILL = 'FFE7E6E6';
/** Inline list validations are limited to 255 characters by the file format. */
const INLINE_LIST_LIMIT = 255;
/** Validations cover this many rows beyond the data, so new rows typed by hand are checked too. */
export const VALIDATION_HEADROOM = 1000;

/** Header text → 1-based column index, as the sheet has it now (users reorder and insert columns). */
export function headerMap(ws: ExcelJS.Worksheet): Map<string, number> {
  const row = ws.getRow(1);
  const cells: [number, unknown][] = [];
  for (let c = 1; c <= ws.columnCount; c++) {
    const v = row.getCell(c).value;
    cells.push([c, v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : v]);
  }
  return headerPositions(cells);
}

function listValidation(values: readonly string[]): ExcelJS.DataValidation | null {
  const formula = values.length ? listFormula(values) : null;
  if (!formula || formula.length > INLINE_LIST_LIMIT) return null;
  return { type: 'list', allowBlank: true, formulae: [formula] };
}

/** The data validation a column gets in a workbook (the intent comes from core/layout.ts), or null for free text. */
export function validationFor(column: ColumnSpec, settings: Settings): ExcelJS.DataValidation | null {
  const intent = columnValidation(column, settings);
  let base: ExcelJS.DataValidation | null = null;
  switch (intent?.kind) {
    case 'oneOf':
      base = listValidation(intent.values);
      break;
    case 'checkbox':
      base = { type: 'list', allowBlank: true, formulae: ['"TRUE,FALSE"'] };
      break;
    case 'date':
      base = { type: 'date', operator: 'between', allowBlank: true, formulae: [excelDate(intent.min), excelDate(intent.max)] };
      break;
    case 'number': {
      const type = intent.integer ? 'whole' : 'decimal';
      base =
        intent.max === undefined
          ? { type, operator: 'greaterThanOrEqual', allowBlank: true, formulae: [intent.min] }
          : { type, operator: 'between', allowBlank: true, formulae: [intent.min, intent.max] };
      break;
    }
  }
  if (!base) return null;
  return {
    ...base,
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: T.invalidTitle,
    error: T.invalidMessage(column),
    ...(column.hint ? { showInputMessage: true, promptTitle: column.header, prompt: column.hint } : {}),
  };
}

/** exceljs keeps a worksheet's validations here, keyed by cell or range address; its typings omit it. */
interface SheetValidations {
  model: Record<string, ExcelJS.DataValidation | undefined>;
  add(address: string, validation: ExcelJS.DataValidation): void;
}

export { isProtectedColumn };

/** Writes the header row of a fresh sheet, with widths, styles and hints. */
export function writeHeader(ws: ExcelJS.Worksheet, sheet: SheetSpec): void {
  ws.columns = sheet.columns.map((c) => ({ header: c.header, key: c.key, width: c.width + 2 }));
  styleHeader(ws, sheet, headerMap(ws));
}

/** Header look, frozen panes and number formats, for wherever each column now stands. */
export function styleHeader(ws: ExcelJS.Worksheet, sheet: SheetSpec, headers: Map<string, number>): void {
  const header = ws.getRow(1);
  header.height = 30;
  for (const column of sheet.columns) {
    const index = headers.get(column.header);
    if (!index) continue;
    const cell = header.getCell(index);
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: isProtectedColumn(column) ? SYSTEM_FILL : HEADER_FILL } };
    const note = column.hint ?? (isProtectedColumn(column) ? T.systemColumn : undefined);
    if (note) cell.note = note;
    const col = ws.getColumn(index);
    if (!col.width) col.width = column.width + 2;
    if (column.type === 'date') col.numFmt = DATE_FORMAT;
    if (column.type === 'money') col.numFmt = MONEY_FORMAT;
    if (isDigitsTextColumn(column)) col.numFmt = NUMBER_FORMATS.text;
  }
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: 1 }];
}

/**
 * Sets the validations of the schema's columns for rows 2…lastRow, replacing the ones they had;
 * validations a user put on columns of their own are kept.
 */
export function applyValidations(ws: ExcelJS.Worksheet, sheet: SheetSpec, settings: Settings, headers: Map<string, number>, dataRows: number): void {
  const validations = (ws as unknown as { dataValidations: SheetValidations }).dataValidations;
  const model = validations.model;
  const schemaColumns = new Set(sheet.columns.map((c) => headers.get(c.header)).filter((i): i is number => i !== undefined));
  for (const address of Object.keys(model)) {
    const letters = /^\$?([A-Z]+)/.exec(address)?.[1];
    if (letters && schemaColumns.has(columnIndex(letters))) delete model[address];
  }
  const lastRow = Math.max(dataRows + 1, 1) + VALIDATION_HEADROOM;
  for (const column of sheet.columns) {
    const index = headers.get(column.header);
    const validation = index && validationFor(column, settings);
    if (!index || !validation) continue;
    const letter = columnLetter(index);
    validations.add(`${letter}2:${letter}${lastRow}`, validation);
  }
}

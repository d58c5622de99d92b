/** Print layout shared by every printed workbook (archive, approval form, agenda, annual report): 宋体 ≥ 10 pt, A4, ruled tables, page X of Y. */
import type ExcelJS from 'exceljs';
import { neutralizeFormula } from '../../../core/index.js';
import { DATE_FORMAT } from './cells.js';
import { ARCHIVE_TEXT as T } from './text.js';

export function displayWidth(value: unknown): number {
  const text = value instanceof Date ? '0000-00-00' : typeof value === 'number' ? value.toFixed(2) : value === null || value === undefined ? '' : String(value);
  let w = 0;
  let lw = 0;
  // The widest line. From U+1100 on a character counts double (Hangul, CJK, full-width forms); a surrogate pair is one
  // such character. Code units in one pass, no split or regular expression: this runs over every cell of the archive.
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 10) {
      if (lw > w) w = lw;
      lw = 0;
    } else if (unit < 0x1100) lw += 1;
    else {
      lw += 2;
      if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    }
  }
  return Math.max(lw, w);
}

/** A4 landscape, one page wide; a streamed sheet takes it when created, as its fit-to-page flag is written first. */
export function printPageSetup(titleRows: string | undefined): Partial<ExcelJS.PageSetup> {
  return {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    ...(titleRows ? { printTitlesRow: titleRows } : {}),
  };
}

export function printSetup(ws: ExcelJS.Worksheet, titleRows: string | undefined): void {
  ws.pageSetup = { ...ws.pageSetup, ...printPageSetup(titleRows) };
  // The footer names its font, or readers set it in their sans default beside 宋体 text.
  const footer = `&C&"宋体,Regular"&10${T.footer}`;
  ws.headerFooter = { ...ws.headerFooter, oddFooter: footer, evenFooter: footer };
}

/** Every printed cell in 宋体 at 10 pt or more, keeping bold and larger titles. */
export function printFonts(ws: ExcelJS.Worksheet): void {
  ws.eachRow((row) => row.eachCell((cell) => (cell.font = { ...cell.font, name: PRINT_FONT.name, size: Math.max(cell.font?.size ?? 0, PRINT_FONT.size) })));
}

/** Printed text: 宋体 at 10 pt, so even a shrink to fit the page width stays at or above 9 pt. */
export const PRINT_FONT = { name: '宋体', size: 10 } as const;
// LibreOffice prints a width unit (the default font's digit) as about 7 pt, so A4 landscape less margins holds ~110 units.
export const POINTS_PER_WIDTH_UNIT = 7;
/** Points per printed line of 10 pt text, with leading. */
export const LINE_HEIGHT = 13.5;

export function printSheet(workbook: ExcelJS.Workbook, name: string, title: string, headers: readonly string[], widths: readonly number[]): ExcelJS.Worksheet {
  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }], pageSetup: printPageSetup('1:2') });
  // The title carries the school's name from 设置: text a person typed, escaped like every cell.
  const titleRow = ws.addRow([neutralizeFormula(title)]);
  titleRow.font = { ...PRINT_FONT, bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, headers.length);
  titleRow.alignment = { horizontal: 'center' };
  const header = ws.addRow([...headers]);
  header.font = { ...PRINT_FONT, bold: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    c.border = THIN_BOX;
    c.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  header.height = Math.max(1, ...headers.map((h, i) => wrappedLines(h, widths[i] ?? 10))) * LINE_HEIGHT + 4;
  printSetup(ws, '1:2');
  ws.pageSetup.margins = { left: 0.4, right: 0.4, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 };
  ws.pageSetup.horizontalCentered = true;
  return ws;
}

export const THIN_BOX: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

/** The look of a printed table cell, as one object a long sheet's cells share (see printRow). */
const PRINT_CELL: Partial<ExcelJS.Style> = { font: PRINT_FONT, border: THIN_BOX, alignment: { vertical: 'top', wrapText: true } };
const PRINT_DATE_CELL: Partial<ExcelJS.Style> = { ...PRINT_CELL, numFmt: DATE_FORMAT };

/**
 * One table row. `shared`: the cells take one style object for all rows, which exceljs looks up once instead of
 * hashing each cell's own (a third of a long archive's writing) — only for sheets that restyle no cell afterwards,
 * as restyling one cell would restyle them all.
 */
export function printRow(ws: ExcelJS.Worksheet, values: (string | Date | null)[], shared = false): ExcelJS.Row {
  const row = ws.addRow(values.map((v) => (typeof v === 'string' ? neutralizeFormula(v) : v)));
  for (let c = 1; c <= values.length; c++) {
    const cell = row.getCell(c);
    if (shared) {
      cell.style = printCellStyle(cell.value);
      continue;
    }
    cell.font = PRINT_FONT;
    cell.border = THIN_BOX;
    cell.alignment = { vertical: 'top', wrapText: true };
    if (cell.value instanceof Date) cell.numFmt = DATE_FORMAT;
  }
  row.height = printRowHeight(values, printWidths(ws, values.length));
  return row;
}

/** The shared style object of a printed table cell holding `value` (see printRow). */
export const printCellStyle = (value: unknown): Partial<ExcelJS.Style> => (value instanceof Date ? PRINT_DATE_CELL : PRINT_CELL);

/** The widths printRow sizes a row by: the sheet's first `count` columns (10 where unset). */
export const printWidths = (ws: ExcelJS.Worksheet, count: number): number[] => Array.from({ length: count }, (_, c) => ws.getColumn(c + 1).width ?? 10);

/** A printed table row's height: its tallest wrapped cell (values as given, before escaping). */
export function printRowHeight(values: readonly (string | Date | null)[], widths: readonly number[]): number {
  // Neither exceljs nor every reader sizes wrapped rows, and a cut-off second line loses the term's end date on paper.
  const lines = Math.max(1, ...values.map((v, c) => wrappedLines(v instanceof Date ? '0000-00-00' : (v ?? ''), widths[c]!)));
  return lines * LINE_HEIGHT + 3;
}

/** Lines a text takes in a column of the given width, at 10 pt. */
export function wrappedLines(text: string, width: number): number {
  // displayWidth counts a Han character as 2, i.e. 5 pt per unit at 10 pt; keep 4 pt of cell padding.
  const room = Math.max(1, (width * POINTS_PER_WIDTH_UNIT - 4) / 5);
  // One line of at most two units a character fits: most cells of a long register are, and this sizes every row.
  if (text.length * 2 <= room && !text.includes('\n')) return 1;
  return text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / room)), 0);
}

/**
 * Narrows columns to one printed line of A4 landscape so nothing shrinks below 9 pt, wrapping table cells (and
 * sizing their rows) where a narrowed column no longer holds the text; one-cell title rows overflow as before.
 */
export function fitLine(ws: ExcelJS.Worksheet, budget = 108): void {
  const widths = ws.columns.map((c) => c.width ?? 8);
  const total = widths.reduce((a, b) => a + b, 0);
  if (total <= budget) return;
  const first = Math.min(widths[0]!, 26);
  const rest = widths.slice(1);
  const factor = (budget - first) / rest.reduce((a, b) => a + b, 0);
  ws.getColumn(1).width = first;
  rest.forEach((w, i) => (ws.getColumn(i + 2).width = Math.max(6, Math.floor(w * Math.min(1, factor)))));
  ws.eachRow((row) => {
    if (row.cellCount < 2) return;
    let lines = 1;
    row.eachCell((cell, c) => {
      if (typeof cell.value !== 'string') return;
      cell.alignment = { ...cell.alignment, wrapText: true, vertical: 'top' };
      lines = Math.max(lines, wrappedLines(cell.value, ws.getColumn(c).width ?? 8));
    });
    if (lines > 1) row.height = lines * LINE_HEIGHT + 3;
  });
}

/** The blank application workbook for departments: instructions plus input sheets derived from the core schema. */
import ExcelJS from 'exceljs';
import {
  RULE_TEXT,
  SAMPLE_MARK,
  columnOf,
  partnersSheet,
  projectsSheet,
  type ColumnSpec,
  type RawCells,
  type Settings,
  type SheetSpec,
} from '../../../core/index.js';
import { safeRow, writeCell } from './cells.js';
import { applyValidations, headerMap, writeHeader } from './layout.js';
import { FORM_TEXT as T } from './text.js';

/** Columns a department fills: everything anyone may type, plus lookups (the partner's name beside its ID). */
export function formColumns(sheet: SheetSpec): ColumnSpec[] {
  return sheet.columns.filter((c) => (c.setBy === undefined || c.setBy === 'user' || c.lookup) && !(c.type === 'id' && c.key === sheet.idColumn));
}

/** The schema sheet narrowed to the form's columns, so every layout helper applies to it unchanged. */
export function formSheet(sheet: SheetSpec): SheetSpec {
  return { ...sheet, columns: formColumns(sheet).map((c) => (c.lookup ? { ...c, setBy: 'user' as const } : c)) };
}

const SAMPLE_FONT: Partial<ExcelJS.Font> = { italic: true, color: { argb: 'FF808080' } };
const SAMPLE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

function defaultPrompt(column: ColumnSpec): string | undefined {
  if (column.type === 'date') return T.datePrompt;
  if (column.type === 'money') return T.moneyPrompt;
  if (column.type === 'integer') return T.integerPrompt;
  return undefined;
}

function ruleText(column: ColumnSpec, settings: Settings): string {
  const rule = T.rules[column.type] ?? T.rules.text!;
  if (typeof rule === 'function') return rule(column.type === 'list' ? settings[column.list!] : (column.enum ?? []));
  return column.hint ? `${rule}；${column.hint}` : rule;
}

export interface FormSample {
  partner: RawCells;
  project: RawCells;
}

async function addInputSheet(workbook: ExcelJS.Workbook, sheet: SheetSpec, settings: Settings, sample: RawCells): Promise<void> {
  const ws = workbook.addWorksheet(sheet.name, { properties: { tabColor: { argb: 'FF5B9BD5' } } });
  writeHeader(ws, sheet);
  const headers = headerMap(ws);
  applyValidations(ws, sheet, settings, headers, 0);
  // Input hints for dates and numbers even where the schema has none, so nobody guesses the format.
  const model = (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
  for (const column of sheet.columns) {
    const prompt = defaultPrompt(column);
    const letterRange = Object.keys(model).find((a) => a.startsWith(`${ws.getColumn(headers.get(column.header)!).letter}2:`));
    if (prompt && letterRange && !model[letterRange]!.prompt) {
      model[letterRange] = { ...model[letterRange]!, showInputMessage: true, promptTitle: column.header, prompt };
    }
  }
  const sampleRow = ws.getRow(2);
  for (const column of sheet.columns) {
    const cell = sampleRow.getCell(headers.get(column.header)!);
    cell.value = writeCell(sample[column.key] ?? null, column);
    cell.font = SAMPLE_FONT;
    cell.fill = SAMPLE_FILL;
  }
  // The header and the example are locked; everything below stays open for typing.
  for (let c = 1; c <= sheet.columns.length; c++) {
    ws.getColumn(c).protection = { locked: false };
    ws.getRow(1).getCell(c).protection = { locked: true };
    sampleRow.getCell(c).protection = { locked: true };
  }
  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatCells: true,
    formatColumns: true,
    formatRows: true,
    insertRows: true,
    deleteRows: true,
    sort: true,
    autoFilter: true,
  });
}

/** Builds the form for these settings; the sample row is the first sample partner and project, marked 示例. */
export async function buildForm(settings: Settings, sample: FormSample): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'coop-registry';
  workbook.title = T.title(settings.schoolName);
  workbook.company = settings.schoolName;
  workbook.created = new Date();

  const guide = workbook.addWorksheet(T.guideSheet);
  guide.getColumn(1).width = 14;
  guide.getColumn(2).width = 22;
  guide.getColumn(3).width = 12;
  guide.getColumn(4).width = 80;
  guide.addRow(safeRow([T.title(settings.schoolName)])).font = { bold: true, size: 14 };
  guide.mergeCells(1, 1, 1, 4);
  guide.addRow([]);
  T.intro.forEach((line, i) => {
    const row = guide.addRow([`${i + 1}. ${line}`]);
    guide.mergeCells(row.number, 1, row.number, 4);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    row.height = 30;
  });
  guide.addRow([]);
  guide.addRow([...T.columnsHeader]).font = { bold: true };
  const sheets = [formSheet(partnersSheet), formSheet(projectsSheet)];
  for (const sheet of sheets) {
    for (const column of sheet.columns) {
      const required = column.required
        ? T.required
        : column.requiredUnless
          ? RULE_TEXT.requiredUnless(columnOf(sheet, column.requiredUnless.key).header, column.requiredUnless.equals)
          : column.lookup
            ? T.lookup
            : T.optional;
      const row = guide.addRow(safeRow([sheet.name, column.header, required, ruleText(column, settings)]));
      row.getCell(4).alignment = { wrapText: true };
    }
  }
  await addInputSheet(workbook, sheets[0]!, settings, { ...sample.partner, name: `${SAMPLE_MARK}${String(sample.partner.name ?? '')}` });
  await addInputSheet(workbook, sheets[1]!, settings, { ...sample.project, title: `${SAMPLE_MARK}${String(sample.project.title ?? '')}` });
  return workbook;
}

/** Writes rows into an input sheet of a form below the example row, as a department would type them. */
export function fillFormSheet(workbook: ExcelJS.Workbook, sheet: SheetSpec, rows: readonly RawCells[]): void {
  const narrowed = formSheet(sheet);
  const ws = workbook.getWorksheet(narrowed.name);
  if (!ws) throw new Error(`form has no sheet ${narrowed.name}`);
  const headers = headerMap(ws);
  rows.forEach((cells, i) => {
    const row = ws.getRow(FIRST_INPUT_ROW + i);
    for (const column of narrowed.columns) row.getCell(headers.get(column.header)!).value = writeCell(cells[column.key] ?? null, column);
  });
}

/** Row 1 holds the headers and row 2 the example; people type from row 3 on. */
export const FIRST_INPUT_ROW = 3;

// Writes a large department register row by row with exceljs's streaming writer, for the streamed-import test and bench.
import ExcelJS from 'exceljs';
import { creditCodeCheckCharacter, partnersSheet, projectsSheet, type ColumnSpec } from '../../core/index.js';
import { excelDate } from '../../sync/src/excel/cells.js';
import { SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';

const PARTNER_COLUMNS = (partnersSheet.columns as readonly ColumnSpec[]).filter((c) => c.setBy !== 'system' && c.setBy !== 'workflow');
const PROJECT_COLUMNS = (projectsSheet.columns as readonly ColumnSpec[]).filter(
  (c) => (c.setBy !== 'system' && c.setBy !== 'workflow') || c.key === 'partnerName',
);

function cell(column: ColumnSpec, value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (column.type === 'date' && typeof value === 'string') return excelDate(value);
  return value as ExcelJS.CellValue;
}

function creditCode(i: number): string {
  const first17 = `91441200${String(i).padStart(9, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/**
 * A register of `rows` data rows: one partner for every ten rows, the rest projects naming them. Each sheet has a
 * title row above the header; dates are real dates, every 7th income is text, so the usual conversions run.
 */
export async function writeLargeRegister(path: string, rows: number): Promise<{ partners: number; projects: number }> {
  const partners = Math.max(1, Math.floor(rows / 10));
  const projects = rows - partners;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const name = (i: number) => `${SAMPLE_PARTNERS[i % 4]!.name!.replace(/有限公司|协会|幼儿园$/, '')}第${i + 1}分部`;

  const ps = wb.addWorksheet(partnersSheet.name);
  ps.addRow(['合作单位登记（批量）']).commit();
  ps.addRow(PARTNER_COLUMNS.map((c) => c.header)).commit();
  for (let i = 0; i < partners; i++) {
    const sample = SAMPLE_PARTNERS[i % 4]! as Record<string, unknown>;
    const values: Record<string, unknown> = { ...sample, name: name(i), creditCode: creditCode(i) };
    ps.addRow(PARTNER_COLUMNS.map((c) => cell(c, values[c.key]))).commit();
  }
  ps.commit();

  const js = wb.addWorksheet(projectsSheet.name);
  js.addRow(['合作项目登记（批量）']).commit();
  const dateStyle = { numFmt: 'yyyy-mm-dd' };
  const header = js.addRow(PROJECT_COLUMNS.map((c) => c.header));
  header.commit();
  for (let i = 0; i < projects; i++) {
    const sample = SAMPLE_PROJECTS[i % 4]! as Record<string, unknown>;
    const values: Record<string, unknown> = { ...sample, partnerName: name(i % partners), title: `${String(sample.title)}（第${i + 1}期）` };
    if (i % 7 === 0 && typeof values.income === 'number') values.income = String(values.income);
    const row = js.addRow(PROJECT_COLUMNS.map((c) => cell(c, values[c.key])));
    PROJECT_COLUMNS.forEach((c, n) => {
      if (c.type === 'date') row.getCell(n + 1).style = dateStyle;
    });
    row.commit();
  }
  js.commit();
  await wb.commit();
  return { partners, projects };
}

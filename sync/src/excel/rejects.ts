/** The rejects workbook: every refused row verbatim under re-importable headers, with a 问题 column saying what to fix. */
import type ExcelJS from 'exceljs';
import { CELL_TEXT_LIMIT, type Problem } from '../../../core/index.js';
import { formatProblem } from '../io/problems.js';
import { DATE_FORMAT } from './cells.js';
import { carryCell, safeRow } from './cells.js';
import type { ImportedRow, ImportedSheet, SourceColumn } from './import-reader.js';
import { streamBook } from './stream-book.js';
import { IMPORT_TEXT as T } from './text.js';

export interface RejectedRow {
  sheet: ImportedSheet;
  row: ImportedRow;
  problems: Problem[];
}

/** 文件 · 工作表 · 行 · 列 · 规则：说明, one line per problem. */
export function describeProblems(file: string, problems: readonly Problem[]): string {
  return problems.map((p) => formatProblem(file, p)).join('\n');
}

/**
 * One sheet per registry sheet kind, headed by the registry's own headers (so the fixed file imports
 * again), then the source's other columns, then 问题 and where the row came from. Written with exceljs's streaming
 * writer, a row at a time: a file whose every row is refused must not cost a whole workbook model.
 */
export async function rejectsWorkbook(rejected: readonly RejectedRow[], now: Date): Promise<Uint8Array> {
  const book = streamBook({
    creator: 'coop-registry',
    lastModifiedBy: 'coop-registry',
    company: '',
    title: T.rejectsTitle,
    subject: '',
    keywords: '',
    description: '',
    created: now,
    modified: now,
  });
  const kinds = [...new Set(rejected.map((r) => r.sheet.spec))];
  for (const spec of kinds) {
    const rows = rejected.filter((r) => r.sheet.spec === spec);
    const present = spec.columns.filter((c) => rows.some((r) => r.sheet.columns.some((s) => s.column?.key === c.key)));
    const others = [...new Set(rows.flatMap((r) => r.sheet.columns.filter((s) => !s.column && s.header !== T.problemColumn).map((s) => s.header)))];
    const headers = [...present.map((c) => c.header), ...others, T.problemColumn];
    const ws = book.addSheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    // The writer puts the column widths out with the first row.
    headers.forEach((h, i) => {
      ws.getColumn(i + 1).width = i === headers.length - 1 ? 80 : Math.max(10, Math.min(40, h.length * 2 + 4));
    });
    // Headers copied from a source file are as untrusted as its cells.
    const head = ws.addRow(safeRow(headers));
    head.font = { bold: true };
    head.getCell(headers.length).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFE699' } };
    head.commit();
    for (const r of rows) {
      const at = (source: SourceColumn | undefined) => (source ? (r.row.original[r.sheet.columns.indexOf(source)] ?? null) : null);
      const values = present.map((c) => at(r.sheet.columns.find((s) => s.column?.key === c.key)));
      const extra = others.map((h) => at(r.sheet.columns.find((s) => !s.column && s.header === h)));
      // A cell holds at most 32,767 characters; text refused for being longer is cut here so the workbook still opens in Excel.
      const fitCell = (v: unknown) => (typeof v === 'string' && v.length > CELL_TEXT_LIMIT ? v.slice(0, CELL_TEXT_LIMIT) : v);
      const added = ws.addRow([...values, ...extra, describeProblems(r.row.file, r.problems)].map((v) => carryCell(fitCell(v) as ExcelJS.CellValue)));
      added.eachCell((cell) => {
        if (cell.value instanceof Date) cell.numFmt = DATE_FORMAT;
      });
      added.getCell(headers.length).alignment = { wrapText: true, vertical: 'top' };
      added.commit();
    }
    ws.commit();
  }
  return book.finish();
}

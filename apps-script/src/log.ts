/** Appends entries to 审批记录 in one batch; the sheet is protected and written only by the system, in schema order. */
import { reviewLogSheet, type ReviewLogRow } from '../../core/index.js';
import { sheetOf } from './registry.js';
import { toSheet } from './table.js';

export function appendLog(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, entries: readonly ReviewLogRow[]): void {
  if (!entries.length) return;
  const sheet = sheetOf(ss, 'reviewLog');
  if (!sheet) throw new Error('审批记录工作表不存在，请先运行「初始化/修复登记表」');
  const rows = entries.map((e) => reviewLogSheet.columns.map((c) => toSheet((e as Record<string, string | null>)[c.key] ?? null, c)));
  if (rows.length === 1) {
    sheet.appendRow(rows[0]!);
    return;
  }
  sheet.getRange(sheet.getLastRow() + 1, 1, rows.length, rows[0]!.length).setValues(rows);
}

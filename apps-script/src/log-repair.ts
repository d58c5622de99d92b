/**
 * 合作交流 ▸ 审批记录更正: the sheet's `coop log repair`. After the office has checked a broken chain, every row is
 * re-sealed as it stands (none removed), a 日志更正 row names what was found and which rows no longer count, and the
 * anchor in the script's properties moves — the CLI cannot reach those properties, so the sheet repairs itself.
 */
import { LOG_CHAIN_TEXT, anchorOf, repairChain, reviewLogSheet, schoolTimestamp } from '../../core/index.js';
import { logValues, loggedSheet, verifyLog, writeAnchor } from './log.js';
import { actorEmail, actsForOffice, freshSettings, sheetOf, withLock } from './registry.js';
import { readTable, toSheet } from './table.js';
import { LOG_REPAIR_TEXT as T, UI_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export function repairSheetLog(ss: Spreadsheet): string {
  const ui = SpreadsheetApp.getUi();
  const actor = actorEmail();
  return withLock(
    () => {
      const { settings } = freshSettings(ss).parsed;
      if (!actsForOffice(ss, settings, actor)) return LOG_CHAIN_TEXT.repairOfficeOnly(actor);
      const sheet = sheetOf(ss, 'reviewLog');
      const { rows, report } = verifyLog(ss);
      if (!sheet || report.ok) return LOG_CHAIN_TEXT.nothingToRepair;
      const found = report.break?.message ?? '';
      const asked = ui.prompt(T.title, T.promptReason(found), ui.ButtonSet.OK_CANCEL);
      if (asked.getSelectedButton() !== ui.Button.OK) return UI_TEXT.cancelled;
      const reason = asked.getResponseText().trim();
      if (!reason) return T.reasonRequired;
      const badRows = report.badRows.map((i) => rows[i]!.sheetRow ?? i + 2);
      const keep = badRows.length > 0 && ui.alert(T.title, T.promptKeep(badRows), ui.ButtonSet.YES_NO) === ui.Button.YES;
      const entry = repairChain(
        rows,
        {
          time: schoolTimestamp(new Date()),
          projectId: null,
          body: '合作交流处',
          actor,
          action: '日志更正',
          fromStatus: null,
          toStatus: null,
          remark: reason,
          operator: null,
          signature: null,
          hash: null,
        },
        report,
        keep,
      );
      // The re-sealed 校验值 column in one write, then the 日志更正 row after the last.
      const table = readTable(sheet, reviewLogSheet);
      const hashCol = table.keyIndex.get('hash');
      if (hashCol === undefined) return T.noHashColumn;
      const column = table.values.slice(1).map((row) => [row[hashCol]]);
      for (const row of rows) if (row.sheetRow && row.sheetRow <= table.values.length) column[row.sheetRow - 2] = [toSheet(row.cells.hash ?? null, undefined)];
      if (column.length) sheet.getRange(2, hashCol + 1, column.length, 1).setValues(column);
      sheet.appendRow(logValues(entry));
      writeAnchor(anchorOf(rows));
      // Reads the repaired log once more: the chain must now hold, and the logged-state cache is rebuilt from it.
      const after = loggedSheet(ss);
      if (!after.report.ok) return LOG_CHAIN_TEXT.broken(after.report.break?.message ?? '');
      return LOG_CHAIN_TEXT.repaired(found, keep ? [] : badRows);
    },
    () => UI_TEXT.busy,
  );
}

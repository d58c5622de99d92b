/**
 * Installs the installable triggers, once each: the edit handler, the daily reminders at 07:00 school time, and
 * the on-open check that shows 合作交流助手 to approvers with work waiting (a simple onOpen may not show a sidebar).
 */
export const EDIT_HANDLER = 'handleSheetEdit';
export const DAILY_HANDLER = 'dailyReminders';
export const OPEN_HANDLER = 'openAssistant';

export function installTriggers(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): { created: number; kept: number } {
  const existing = new Set(ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction()));
  let created = 0;
  if (!existing.has(EDIT_HANDLER)) {
    ScriptApp.newTrigger(EDIT_HANDLER).forSpreadsheet(ss).onEdit().create();
    created++;
  }
  if (!existing.has(DAILY_HANDLER)) {
    ScriptApp.newTrigger(DAILY_HANDLER).timeBased().everyDays(1).atHour(7).inTimezone('Asia/Shanghai').create();
    created++;
  }
  if (!existing.has(OPEN_HANDLER)) {
    ScriptApp.newTrigger(OPEN_HANDLER).forSpreadsheet(ss).onOpen().create();
    created++;
  }
  return { created, kept: 3 - created };
}

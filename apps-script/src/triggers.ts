/** Installs the two installable triggers, once each: the edit handler and the daily reminders at 07:00 school time. */
export const EDIT_HANDLER = 'handleSheetEdit';
export const DAILY_HANDLER = 'dailyReminders';

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
  return { created, kept: 2 - created };
}

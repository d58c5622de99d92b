/**
 * Installs the installable triggers once for the whole spreadsheet, whoever clicks 安装触发器: the edit handler,
 * the daily reminders at 07:00 school time, the minute-by-minute recorder of approvals made from the menu, and the
 * on-open check that shows 合作交流助手 to approvers with work waiting (a simple onOpen may not show a sidebar).
 * Google lists only the clicking user's own triggers, so the installed set is recorded in script properties, and
 * handlers ignore any trigger that is not the recorded one (a duplicate someone else installed).
 */
import { actorEmail, ownerEmail } from './registry.js';

export const EDIT_HANDLER = 'handleSheetEdit';
export const DAILY_HANDLER = 'dailyReminders';
export const INTENTS_HANDLER = 'recordMenuApprovals';
export const OPEN_HANDLER = 'openAssistant';
const HANDLERS = [EDIT_HANDLER, DAILY_HANDLER, INTENTS_HANDLER, OPEN_HANDLER] as const;
const TRIGGERS_KEY = 'coop.triggers';

interface InstalledSet {
  /** Who installed them: the triggers run as this account. */
  by: string;
  /** Handler → trigger unique ID. */
  ids: Record<string, string>;
}

export type InstallOutcome = { ok: true; created: number; kept: number } | { ok: false; installedBy: string };

function recorded(): InstalledSet | null {
  const raw = PropertiesService.getScriptProperties().getProperty(TRIGGERS_KEY);
  return raw ? (JSON.parse(raw) as InstalledSet) : null;
}

/**
 * Installs what is missing of the recorded set. Someone else's recorded set is left alone (a second set would log
 * every tick twice), unless the spreadsheet's owner clicks: the owner's set then replaces it, and the old triggers,
 * which only their installer can delete, fall silent because their IDs are no longer the recorded ones.
 */
export function installTriggers(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): InstallOutcome {
  const lock = LockService.getScriptLock();
  lock.tryLock(5000);
  try {
    const me = actorEmail();
    const set = recorded();
    if (set && set.by !== me && me !== ownerEmail(ss)) return { ok: false, installedBy: set.by };
    const mine = ScriptApp.getProjectTriggers();
    const ids: Record<string, string> = {};
    let created = 0;
    for (const handler of HANDLERS) {
      const own = mine.filter((t) => t.getHandlerFunction() === handler);
      const keep = own.find((t) => set?.ids[handler] === t.getUniqueId()) ?? own[0];
      if (keep) {
        ids[handler] = keep.getUniqueId();
        continue;
      }
      const builder = ScriptApp.newTrigger(handler);
      const trigger =
        handler === EDIT_HANDLER
          ? builder.forSpreadsheet(ss).onEdit().create()
          : handler === OPEN_HANDLER
            ? builder.forSpreadsheet(ss).onOpen().create()
            : handler === DAILY_HANDLER
              ? builder.timeBased().everyDays(1).atHour(7).inTimezone('Asia/Shanghai').create()
              : builder.timeBased().everyMinutes(1).create();
      ids[handler] = trigger.getUniqueId();
      created++;
    }
    PropertiesService.getScriptProperties().setProperty(TRIGGERS_KEY, JSON.stringify({ by: me, ids } satisfies InstalledSet));
    return { ok: true, created, kept: HANDLERS.length - created };
  } finally {
    lock.releaseLock();
  }
}

/** Whether a trigger event comes from the recorded trigger of `handler` (true before any set is recorded). */
export function isRecordedTrigger(handler: string, triggerUid: unknown): boolean {
  const set = recorded();
  if (!set?.ids[handler] || triggerUid === undefined) return true;
  return set.ids[handler] === String(triggerUid);
}

/**
 * The Apps Script entry: only what Apps Script must see. The build adds a top-level function for each
 * export, so menus and triggers can name them; everything else stays inside the bundle.
 */
import { z } from 'zod';
import { generateAgreement } from './agreement.js';
import { menuMeeting, menuNewProject, menuReturn, menuSign, menuSubmit } from './actions.js';
import { rebuildDashboard } from './dashboard.js';
import {
  openForApprovers,
  recordSidebarSaves,
  showSidebar,
  sidebarBoot,
  sidebarDecide,
  sidebarSave,
  sidebarTodo,
  sidebarTrail,
  type Decision,
  type DecisionResult,
  type SaveRequest,
  type SaveResult,
  type SidebarBoot,
  type SidebarTodo,
  type SidebarTrail,
} from './sidebar.js';
import { handleSheetEdit as onSheetEdit, type EditEvent } from './edit.js';
import { actorEmail, busyToast, freshSettings, ownerEmail, withLock } from './registry.js';
import { isOfficeStaff } from '../../core/index.js';
import { dailyReminders as daily, owedEvaluations, sendEvaluationReminders } from './reminders.js';
import { configureChannel } from './channels.js';
import { lastReminderErrors } from './reminders.js';
import { renewSelected } from './renew.js';
import { setupRegistry } from './setup.js';
import { approveAsCurrentUser, recordMenuApprovals as recordQueued, returnAsCurrentUser } from './identity.js';
import { selectedProject } from './actions.js';
import { DAILY_HANDLER, EDIT_HANDLER, INTENTS_HANDLER, OPEN_HANDLER, installTriggers, isRecordedTrigger } from './triggers.js';
import { CHANNEL_TEXT, IDENTITY_TEXT, MENU_TEXT as M, UI_TEXT } from './text.js';
import { validateAll } from './validate-all.js';
import { repairSheetLog } from './log-repair.js';

// zod compiles parsers with `new Function` unless told not to; the interpreter path needs no eval at all.
z.config({ jitless: true });

/** Menu item label → the top-level function it calls (the build makes one per export). */
const MENU = [
  [M.sidebar, 'menuSidebar'],
  null,
  [M.setup, 'menuSetup'],
  [M.newProject, 'menuNewProject'],
  [M.validateAll, 'menuValidateAll'],
  [M.repairLog, 'menuRepairLog'],
  null,
  [M.approveMine, 'menuApproveMine'],
  [M.returnMine, 'menuReturnMine'],
  null,
  [M.submit, 'menuSubmit'],
  [M.return, 'menuReturn'],
  [M.meeting, 'menuMeeting'],
  [M.sign, 'menuSign'],
  [M.agreement, 'menuAgreement'],
  [M.renew, 'menuRenew'],
  null,
  [
    M.evaluations,
    [
      [M.evaluationsOverdue, 'menuEvaluationsOverdue'],
      [M.evaluationsRemind, 'menuEvaluationsRemind'],
    ],
  ],
  [M.dashboard, 'menuDashboard'],
  null,
  [M.reminderChannels, 'menuReminderChannels'],
  [M.installTriggers, 'menuInstallTriggers'],
  [M.help, 'menuHelp'],
] as const;

export function onOpen(): void {
  const ui = SpreadsheetApp.getUi();
  const menu = ui.createMenu(M.title);
  for (const item of MENU) {
    if (item === null) menu.addSeparator();
    else if (typeof item[1] === 'string') menu.addItem(item[0], item[1]);
    else {
      const sub = ui.createMenu(item[0]);
      for (const [label, fn] of item[1]) sub.addItem(label, fn);
      menu.addSubMenu(sub);
    }
  }
  menu.addToUi();
}

/** The installable edit trigger's handler; deliberately not named onEdit, so it never also runs as a simple trigger. */
export function handleSheetEdit(e: EditEvent): void {
  // A second edit trigger (installed by someone else before the set was recorded) must not act twice.
  if (!isRecordedTrigger(EDIT_HANDLER, (e as { triggerUid?: unknown }).triggerUid)) return;
  onSheetEdit(e);
}

export function dailyReminders(e?: { triggerUid?: unknown }): void {
  if (!isRecordedTrigger(DAILY_HANDLER, e?.triggerUid)) return;
  daily();
  rebuildDashboard(SpreadsheetApp.getActiveSpreadsheet(), new Date());
}

export function menuSidebar(): void {
  showSidebar();
}

/** The installable on-open trigger's handler (see triggers.ts). */
export function openAssistant(e?: { user?: GoogleAppsScript.Base.User; triggerUid?: unknown }): void {
  if (!isRecordedTrigger(OPEN_HANDLER, e?.triggerUid)) return;
  openForApprovers(SpreadsheetApp.getActiveSpreadsheet(), actorEmail(e?.user), new Date());
}

// The sidebar's server calls (google.script.run finds them by name); each runs as the person using the sidebar.
export function sidebarBootData(): SidebarBoot {
  return sidebarBoot(SpreadsheetApp.getActiveSpreadsheet(), new Date());
}

export function sidebarTodoData(): SidebarTodo {
  return sidebarTodo(SpreadsheetApp.getActiveSpreadsheet(), new Date());
}

export function sidebarSaveProject(request: SaveRequest): SaveResult {
  return sidebarSave(SpreadsheetApp.getActiveSpreadsheet(), request, new Date());
}

export function sidebarDecision(request: Decision): DecisionResult {
  return sidebarDecide(request);
}

export function sidebarTrailData(projectId: string | null): SidebarTrail | { message: string } {
  return sidebarTrail(SpreadsheetApp.getActiveSpreadsheet(), projectId, new Date());
}

export function menuDashboard(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { charts } = rebuildDashboard(ss, new Date());
  ss.toast(UI_TEXT.dashboardDone(charts), M.title, 5);
}

/** The minute trigger: records reviews queued from the menu (see identity.ts). */
export function recordMenuApprovals(e?: { triggerUid?: unknown }): void {
  if (!isRecordedTrigger(INTENTS_HANDLER, e?.triggerUid)) return;
  recordQueued();
  // Projects staff saved from the sidebar wait in the same minute's queue for the owner's authority.
  recordSidebarSaves();
}

/** Server functions the menu and the review sidebar call; they run as the clicking user, who Session then knows. */
export { approveAsCurrentUser, returnAsCurrentUser };

export function menuApproveMine(): void {
  const id = selectedProjectId();
  if (id === null) return;
  const ui = SpreadsheetApp.getUi();
  let message = approveAsCurrentUser(id);
  if (message.startsWith(IDENTITY_TEXT.chooseDepartmentLead)) {
    const response = ui.prompt(IDENTITY_TEXT.promptDepartmentTitle, message, ui.ButtonSet.OK_CANCEL);
    if (response.getSelectedButton() !== ui.Button.OK) return;
    message = approveAsCurrentUser(id, response.getResponseText());
  }
  alert(message);
}

export function menuReturnMine(): void {
  const id = selectedProjectId();
  if (id === null) return;
  const ui = SpreadsheetApp.getUi();
  const response = ui.prompt(IDENTITY_TEXT.promptReturnTitle, IDENTITY_TEXT.promptReturn(id), ui.ButtonSet.OK_CANCEL);
  if (response.getSelectedButton() !== ui.Button.OK) return;
  alert(returnAsCurrentUser(id, response.getResponseText()));
}

/** The project on the selected row of 合作项目; null after telling the person why there is none. */
function selectedProjectId(): string | null {
  const selected = selectedProject(SpreadsheetApp.getActiveSpreadsheet());
  if (typeof selected === 'string') {
    alert(selected);
    return null;
  }
  return selected.project.projectId ?? '';
}

const alert = (message: string) => {
  const ui = SpreadsheetApp.getUi();
  ui.alert(M.title, message, ui.ButtonSet.OK);
};

export function menuSetup(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  withLock(
    () => {
      const report = setupRegistry(ss);
      alert(UI_TEXT.setupDone(report.sheets, report.addedColumns));
    },
    () => busyToast(ss),
  );
}

export { menuNewProject, menuSubmit, menuReturn, menuMeeting, menuSign };

export function menuValidateAll(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const result = validateAll(ss);
  const lines = result.problems.slice(0, 15).map((p) => `· ${p.sheet} 第 ${p.row ?? '?'} 行 ${p.column ?? ''}：${p.message}`);
  const more = result.problems.length > 15 ? [UI_TEXT.moreProblems(result.problems.length - 15)] : [];
  const settings = result.settingsProblems.length ? [UI_TEXT.settingsProblems, ...result.settingsProblems.map((m) => `· ${m}`)] : [];
  alert([UI_TEXT.validateAllDone(result.rows, result.problems.length), ...lines, ...more, ...settings, UI_TEXT.validateScope].join('\n'));
}

export function menuAgreement(): void {
  alert(generateAgreement(SpreadsheetApp.getActiveSpreadsheet()));
}

export function menuEvaluationsOverdue(): void {
  const { overdue, due } = owedEvaluations(SpreadsheetApp.getActiveSpreadsheet());
  alert(overdue.length || due.length ? UI_TEXT.evaluationsList(overdue, due) : UI_TEXT.evaluationsNone);
}

export function menuEvaluationsRemind(): void {
  const sent = sendEvaluationReminders(SpreadsheetApp.getActiveSpreadsheet());
  alert(sent === null ? UI_TEXT.noRecipients : UI_TEXT.remindersSent(sent));
}

export function menuInstallTriggers(): void {
  const outcome = installTriggers(SpreadsheetApp.getActiveSpreadsheet());
  alert(outcome.ok ? UI_TEXT.triggersInstalled(outcome.created, outcome.kept) : IDENTITY_TEXT.installedByOther(outcome.installedBy));
}

export function menuHelp(): void {
  alert(UI_TEXT.help);
}

export function menuRepairLog(): void {
  alert(repairSheetLog(SpreadsheetApp.getActiveSpreadsheet()));
}

export function menuRenew(): void {
  alert(renewSelected(SpreadsheetApp.getActiveSpreadsheet()));
}

/** Office only: the webhooks are the school's secrets, and the menu runs as whoever clicks. */
export function menuReminderChannels(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const actor = actorEmail();
  if (!isOfficeStaff(freshSettings(ss).parsed.settings, actor) && actor !== ownerEmail(ss)) {
    alert(UI_TEXT.officeOnly(actor, CHANNEL_TEXT.title));
    return;
  }
  const message = configureChannel(SpreadsheetApp.getUi());
  alert([message, CHANNEL_TEXT.lastErrors(lastReminderErrors())].filter(Boolean).join('\n\n'));
}

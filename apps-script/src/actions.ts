/** The office's menu actions on the selected project row: submit, return, meeting, sign; and registering a new project. */
import {
  IdAllocator,
  REVIEW_COLUMNS,
  WORKFLOW_TEXT,
  emptyRow,
  isCalendarDate,
  newProject,
  partnerFromCells,
  parseRow,
  projectFromCells,
  projectsSheet,
  schoolDate,
  signingFacts,
  transition,
  emptyRegistry,
  writeCounters,
  type ProjectRow,
  type RawCells,
  type Settings,
  type WorkflowEvent,
} from '../../core/index.js';
import { appendLog, brokenLogMessage, loggedSheet, projectOnLog } from './log.js';
import { withMark } from './marks.js';
import { SheetPlan } from './plan.js';
import { actorEmail, actsForOffice, freshSettings, readSheet, storeSettingsRows, tableRows, withLock } from './registry.js';
import { appendRecord, dataRows, rowCells, toSheet, type Table } from './table.js';
import { UI_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Ui = GoogleAppsScript.Base.Ui;

function alert(ui: Ui, message: string, title = '合作交流'): void {
  ui.alert(title, message, ui.ButtonSet.OK);
}

/** Asks for text; null when the user cancels. */
function prompt(ui: Ui, title: string, message: string): string | null {
  const response = ui.prompt(title, message, ui.ButtonSet.OK_CANCEL);
  return response.getSelectedButton() === ui.Button.OK ? response.getResponseText().trim() : null;
}

interface Selected {
  table: Table;
  row: number;
  project: ProjectRow;
}

/** The project on the active row of 合作项目, or a message saying what to select. */
export function selectedProject(ss: Spreadsheet): Selected | string {
  const sheet = ss.getActiveSheet();
  if (sheet.getName() !== projectsSheet.name) return UI_TEXT.selectProjectRow;
  const row = sheet.getActiveRange()?.getRow() ?? 0;
  if (row < 2) return UI_TEXT.selectProjectRow;
  const table = readSheet(ss, 'projects');
  if (!table || row > table.values.length) return UI_TEXT.selectProjectRow;
  const project = projectFromCells(rowCells(table, row - 1));
  if (!project.projectId) return UI_TEXT.noProjectId(row);
  return { table, row, project };
}

/**
 * Runs one workflow event on the selected row under the lock and writes its outcome in one batch.
 * Menu functions run as the person who clicks, so only those the protections let write may act: the office and the owner.
 */
function act(actionName: string, ask: (ui: Ui, selected: Selected, settings: Settings) => WorkflowEvent | null | string): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const ui = SpreadsheetApp.getUi();
  const actor = actorEmail();
  const outcome = withLock<string | null>(
    () => {
      const { settings } = freshSettings(ss).parsed;
      if (!actsForOffice(ss, settings, actor)) return UI_TEXT.officeOnly(actor, actionName);
      const selected = selectedProject(ss);
      if (typeof selected === 'string') return selected;
      // Only 审批记录 decides, and only while its chain holds: a typed 状态 or a forged log row moves nothing.
      const sheetLog = loggedSheet(ss);
      const { rows, report, logged } = sheetLog;
      if (!report.ok) return brokenLogMessage(report);
      const now = new Date();
      const projectId = selected.project.projectId ?? '';
      selected.project = projectOnLog(rowCells(selected.table, selected.row - 1), sheetLog, now);
      const asked = ask(ui, selected, settings);
      if (asked === null) return UI_TEXT.cancelled;
      if (typeof asked === 'string') return asked;
      const event: WorkflowEvent =
        asked.type === 'sign'
          ? {
              ...asked,
              ...signingFacts(
                logged,
                dataRows(selected.table).map((r0) => rowCells(selected.table, r0)),
                projectId,
              ),
            }
          : asked;
      const t = transition(selected.project, event, { settings, actor, now, operator: actor });
      appendLog(ss, t.log, rows);
      if (!t.ok) return [t.message, ...t.reasons.map((r) => `· ${r}`)].join('\n');
      writePatch(selected, t.patch);
      return UI_TEXT.done(selected.project.projectId ?? '', String(t.patch.status ?? selected.project.status));
    },
    () => UI_TEXT.busy,
  );
  if (outcome) alert(ui, outcome);
}

/** Writes a transition's patch into the row; review stamps go when the ticks they vouch for are cleared. */
export function writePatch({ table, row }: Selected, patch: Partial<ProjectRow>): void {
  const width = table.width;
  const rowRange = table.sheet.getRange(row, 1, 1, width);
  const plan = new SheetPlan(table, rowRange, { r1: row, c1: 1, r2: row, c2: width });
  for (const [key, value] of Object.entries(patch)) plan.set(row - 1, key, value ?? null);
  for (const column of REVIEW_COLUMNS) {
    const i = table.keyIndex.get(column.key);
    if (i !== undefined && patch[column.key] === false) plan.note(row, i + 1, (old) => withMark(old, 'stamp', []));
  }
  plan.commit(new Map());
}

export function menuSubmit(): void {
  act(WORKFLOW_TEXT.actions.submit, (_ui, { table, row, project }, settings) => {
    const ss = table.sheet.getParent();
    const partners = tableRows(readSheet(ss, 'partners'));
    const partnerRow = partners.find((p) => p.cells.partnerId === project.partnerId);
    const parsed = parseRow(projectsSheet, rowCells(table, row - 1), settings, row);
    return {
      type: 'submit',
      problems: parsed.ok ? [] : parsed.problems,
      partner: partnerRow ? partnerFromCells(partnerRow.cells) : null,
    };
  });
}

export function menuReturn(): void {
  act(WORKFLOW_TEXT.actions.return, (ui, { project }) => {
    const reason = prompt(ui, UI_TEXT.promptReturnTitle, UI_TEXT.promptReturn(project.projectId ?? ''));
    return reason === null ? null : { type: 'return', reason };
  });
}

export function menuMeeting(): void {
  act(WORKFLOW_TEXT.actions.meeting, (ui, { project }) => {
    const id = project.projectId ?? '';
    const body = project.presidentMeeting ? '党委会' : '校长办公会';
    const answer = ui.alert(WORKFLOW_TEXT.actions.meeting, UI_TEXT.promptMeetingDecision(id, body), ui.ButtonSet.YES_NO_CANCEL);
    if (answer !== ui.Button.YES && answer !== ui.Button.NO) return null;
    const minutes = prompt(ui, WORKFLOW_TEXT.actions.meeting, UI_TEXT.promptMinutes(id, body));
    if (minutes === null) return null;
    return { type: 'meeting', body, decision: answer === ui.Button.YES ? '通过' : '未通过', minutes };
  });
}

export function menuSign(): void {
  act(WORKFLOW_TEXT.actions.sign, (ui, { project }) => {
    const today = schoolDate(new Date());
    const answer = prompt(ui, UI_TEXT.promptSignTitle, UI_TEXT.promptSign(project.projectId ?? '', today));
    if (answer === null) return null;
    const [date = '', agreementNo] = answer.split(/\s+/).filter(Boolean);
    const signDate = date || today;
    if (!isCalendarDate(signDate)) return WORKFLOW_TEXT.signDateRequired;
    return { type: 'sign', date: signDate, ...(agreementNo ? { agreementNo } : {}) };
  });
}

/** Appends a draft project with the next ID (never reused: counters in 设置 are kept high-water marks). */
export function menuNewProject(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const actor = actorEmail();
  const message = withLock(
    () => {
      const { table: settingsTable, parsed } = freshSettings(ss);
      if (!actsForOffice(ss, parsed.settings, actor)) return UI_TEXT.newProjectByTyping;
      const projects = readSheet(ss, 'projects');
      if (!projects || !settingsTable) return UI_TEXT.selectProjectRow;
      const { projectId, row } = appendDraftProject(projects, settingsTable, parsed.settings, {}, new Date());
      return UI_TEXT.newProjectCreated(projectId, row);
    },
    () => UI_TEXT.busy,
  );
  ss.toast(message, '合作交流', 8);
}

/** Appends a draft (its cells over a blank row) after the last used row with the next ID, and selects it. */
export function appendDraftProject(projects: Table, settingsTable: Table, settings: Settings, fields: RawCells, now: Date): { projectId: string; row: number } {
  const ids = projects.values.slice(1).map((row) => String(row[projects.keyIndex.get('projectId') ?? 0] ?? ''));
  const allocator = new IdAllocator(settings.counters, ids);
  const fresh = newProject(allocator, now);
  const { projectId } = fresh;
  const cells: RawCells = { ...(emptyRow(projectsSheet) as RawCells), ...fields, ...fresh };
  const row = appendRecord(projects, cells);
  saveCounters(settingsTable, allocator.counters);
  projects.sheet.getRange(row, 1).activate();
  return { projectId, row };
}

/** Records the ID high-water marks in 设置 through the core's own rule, rewriting only that sheet's rows. */
export function saveCounters(table: Table, counters: Settings['counters']): void {
  const rows = tableRows(table);
  const data = { ...emptyRegistry(), settings: rows };
  writeCounters(data, counters);
  const grid = table.values.map((row) => [...row]);
  for (const row of data.settings) {
    const values = Array.from({ length: table.width }, () => '' as unknown);
    if (row.sheetRow) Object.assign(values, grid[row.sheetRow - 1]);
    for (const c of table.spec.columns) {
      const i = table.keyIndex.get(c.key);
      if (i !== undefined) values[i] = toSheet(row.cells[c.key] ?? null, c);
    }
    if (row.sheetRow) grid[row.sheetRow - 1] = values;
    else grid.push(values);
  }
  table.sheet.getRange(1, 1, grid.length, table.width).setValues(grid);
  storeSettingsRows(data.settings.map((r) => r.cells));
}

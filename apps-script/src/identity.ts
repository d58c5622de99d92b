/**
 * Reviews made from the menu, for when the sheet cannot tell who ticked: with personal Google accounts an
 * installable trigger is never given the editor's e-mail. A menu function runs under the clicking approver's own
 * authorization, so Session knows them; but their authorization cannot write 状态 or 审批记录 (protected for the
 * office), so the decision is queued in script properties and recorded by the owner's trigger within a minute —
 * at once when the clicking user may write those columns. The sidebar calls the same two server functions.
 */
import {
  REVIEW_COLUMNS,
  REVIEW_DEPARTMENT_NAMES,
  isApprover,
  loggedStates,
  schoolTimestamp,
  transition,
  type ReviewDepartment,
  type WorkflowEvent,
} from '../../core/index.js';
import { writePatch } from './actions.js';
import { appendLog, brokenLogMessage, loggedSheet, projectOnLog } from './log.js';
import { withMark } from './marks.js';
import { actorEmail, actsForOffice, cachedSettings, readSheet, withLock } from './registry.js';
import { rowCells, type Table } from './table.js';
import { IDENTITY_TEXT as T, NOTE_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const INTENT_PREFIX = 'coop.intent.';

/** A decision made from the menu, waiting for the owner's trigger to record it. */
interface Intent {
  event: { type: 'tick'; department: ReviewDepartment } | { type: 'return'; reason: string };
  projectId: string;
  actor: string;
  /** When the approver clicked (ms): the log and stamp carry this time, not the recording's. */
  at: number;
}

function findProject(ss: Spreadsheet, projectId: string): { table: Table; row: number } | null {
  const table = readSheet(ss, 'projects');
  const idCol = table?.keyIndex.get('projectId');
  if (!table || idCol === undefined) return null;
  const i = table.values.findIndex(
    (r, k) =>
      k > 0 &&
      String(r[idCol] ?? '')
        .trim()
        .toUpperCase() === projectId,
  );
  return i < 0 ? null : { table, row: i + 1 };
}

/** The departments `actor` reviews for that still owe this project a tick, or all of theirs when none do. */
function departmentsOf(actor: string, settings: ReturnType<typeof cachedSettings>['settings']): ReviewDepartment[] {
  return REVIEW_DEPARTMENT_NAMES.filter((d) => isApprover(settings, d, actor));
}

/**
 * 本部门审查通过 for `projectId`, as the user running it. `department` may be left out when the user reviews for
 * one department only (or only one of theirs still owes this project a tick). Returns the message to show.
 */
export function approveAsCurrentUser(projectId: string, department?: string): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const actor = actorEmail();
  if (!actor) return T.noIdentity;
  const { settings } = cachedSettings(ss);
  const mine = departmentsOf(actor, settings);
  if (!mine.length) return T.notApprover(actor);
  const id = projectId.trim().toUpperCase();
  const found = findProject(ss, id);
  if (!found) return T.noProject(id);
  // Which departments still owe a tick is what 审批记录 records, not the ticks on the sheet.
  // Outside the lock: read only, the cache is left to the recording.
  const sheetLog = loggedSheet(ss, false);
  if (!sheetLog.report.ok) return brokenLogMessage(sheetLog.report);
  const project = projectOnLog(rowCells(found.table, found.row - 1), sheetLog, new Date());
  let choice: ReviewDepartment | undefined;
  if (department) {
    choice = mine.find((d) => d === department.trim());
    if (!choice) return T.notApproverOf(actor, department.trim());
  } else {
    const owing = mine.filter((d) => project[d as keyof typeof project] !== true);
    if (mine.length === 1) choice = mine[0];
    else if (owing.length === 1) choice = owing[0];
    else return T.chooseDepartment(owing.length ? owing : mine);
  }
  return decide(ss, { event: { type: 'tick', department: choice! }, projectId: id, actor, at: Date.now() });
}

/** 本部门退回 for `projectId` with a reason, as the user running it. Returns the message to show. */
export function returnAsCurrentUser(projectId: string, reason: string): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const actor = actorEmail();
  if (!actor) return T.noIdentity;
  return decide(ss, { event: { type: 'return', reason: String(reason ?? '') }, projectId: projectId.trim().toUpperCase(), actor, at: Date.now() });
}

/** Checks the decision against the state machine now (so the approver hears a refusal at once), then queues it. */
function decide(ss: Spreadsheet, intent: Intent): string {
  const found = findProject(ss, intent.projectId);
  if (!found) return T.noProject(intent.projectId);
  const { settings } = cachedSettings(ss);
  // Outside the lock: read only, the cache is left to the recording.
  const sheetLog = loggedSheet(ss, false);
  if (!sheetLog.report.ok) return brokenLogMessage(sheetLog.report);
  const project = projectOnLog(rowCells(found.table, found.row - 1), sheetLog, new Date(intent.at));
  const t = transition(project, intent.event as WorkflowEvent, { settings, actor: intent.actor, now: new Date(intent.at) });
  if (!t.ok) return [t.message, ...t.reasons.map((r) => `· ${r}`)].join('\n');
  PropertiesService.getScriptProperties().setProperty(`${INTENT_PREFIX}${intent.at}.${Math.random().toString(36).slice(2, 10)}`, JSON.stringify(intent));
  // The office and the owner may write 状态 and 审批记录 themselves: no need to wait for the trigger.
  if (actsForOffice(ss, settings, intent.actor)) {
    recordMenuApprovals();
    return T.recorded(intent.projectId);
  }
  return T.queued(intent.projectId);
}

/**
 * Records queued menu decisions in arrival order, each on its project's row as it stands now, under the
 * document lock. Runs as the trigger's installer (the owner), who may write every column.
 */
export function recordMenuApprovals(): number {
  const props = PropertiesService.getScriptProperties();
  const keys = Object.keys(props.getProperties())
    .filter((k) => k.startsWith(INTENT_PREFIX))
    .sort();
  if (!keys.length) return 0;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  return withLock(
    () => {
      // Each decision meets the project as the verified log records it; while the chain is broken they stay queued.
      const sheetLog = loggedSheet(ss);
      if (!sheetLog.report.ok) return 0;
      let recorded = 0;
      for (const key of keys) {
        const raw = props.getProperty(key);
        // Taken off the queue before the writes: a decision that cannot be recorded is dropped, never repeated.
        props.deleteProperty(key);
        if (!raw) continue;
        const intent = JSON.parse(raw) as Intent;
        const found = findProject(ss, intent.projectId);
        if (!found) continue;
        const { settings } = cachedSettings(ss);
        const now = new Date(intent.at);
        const project = projectOnLog(rowCells(found.table, found.row - 1), sheetLog, now);
        const t = transition(project, intent.event as WorkflowEvent, { settings, actor: intent.actor, now });
        // Refused now (the project moved on since the click): only a trespass leaves a log row, as for a tick.
        loggedStates(appendLog(ss, t.log, sheetLog.rows), sheetLog.logged);
        if (!t.ok) continue;
        writePatch({ table: found.table, row: found.row, project }, t.patch);
        if (intent.event.type === 'tick') {
          const department = intent.event.department;
          const col = found.table.keyIndex.get(REVIEW_COLUMNS.find((c) => c.reviewDepartment === department)!.key);
          if (col !== undefined)
            found.table.sheet.getRange(found.row, col + 1).setNote(withMark('', 'stamp', [NOTE_TEXT.stamp(department, intent.actor, schoolTimestamp(now))]));
        }
        recorded++;
      }
      return recorded;
    },
    () => 0,
  );
}

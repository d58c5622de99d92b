/**
 * A review decision — 审查通过 for one department, or 退回 with a reason — taken by the person signed in
 * (Session.getActiveUser: the identity that also works for personal Google accounts), through the same core
 * transition, log append, patch and review stamp as a tick typed into the sheet.
 */
import { REVIEW_COLUMNS, schoolTimestamp, transition, type ReviewDepartment, type WorkflowEvent } from '../../core/index.js';
import { appendLog, brokenLogMessage, loggedSheet, projectOnLog } from './log.js';
import { sendMails } from './mail.js';
import { withMark } from './marks.js';
import { SheetPlan } from './plan.js';
import { actorEmail, cachedSettings, readSheet, spreadsheetUrl, withLock } from './registry.js';
import { rowCells } from './table.js';
import { SIDEBAR_TEXT } from './sidebar-text.js';
import { MAIL_TEXT, NOTE_TEXT, UI_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export type Decision =
  | { projectId: string; decision: 'approve'; department: ReviewDepartment; remark?: string }
  | { projectId: string; decision: 'return'; reason: string };

export interface DecisionResult {
  ok: boolean;
  message: string;
  status?: string;
}

export function decideAsUser(ss: Spreadsheet, request: Decision, now: Date): DecisionResult {
  const actor = actorEmail();
  return withLock<DecisionResult>(
    () => {
      const { settings } = cachedSettings(ss);
      const table = readSheet(ss, 'projects');
      const idCol = table?.keyIndex.get('projectId');
      const r0 = table && idCol !== undefined ? table.values.findIndex((row, i) => i > 0 && String(row[idCol] ?? '') === request.projectId) : -1;
      if (!table || r0 < 1) return { ok: false, message: SIDEBAR_TEXT.noProject(request.projectId) };
      const row = r0 + 1;
      // The decision meets the project as the verified 审批记录 records it, never its typed cells.
      const sheetLog = loggedSheet(ss);
      if (!sheetLog.report.ok) return { ok: false, message: brokenLogMessage(sheetLog.report) };
      const project = projectOnLog(rowCells(table, r0), sheetLog, now);
      const event: WorkflowEvent =
        request.decision === 'approve'
          ? { type: 'tick', department: request.department, ...(request.remark ? { remark: request.remark } : {}) }
          : { type: 'return', reason: request.reason };
      const t = transition(project, event, { settings, actor, now });
      appendLog(ss, t.log, sheetLog.rows);
      if (!t.ok) return { ok: false, message: [t.message, ...t.reasons.map((x) => `· ${x}`)].join('\n') };
      const plan = new SheetPlan(table, table.sheet.getRange(row, 1, 1, table.width), { r1: row, c1: 1, r2: row, c2: table.width });
      for (const [key, value] of Object.entries(t.patch)) plan.set(r0, key, value as never);
      // Review notes are the system's: a tick gets its stamp, a return clears every stamp with the ticks.
      for (const column of REVIEW_COLUMNS) {
        const i = table.keyIndex.get(column.key);
        if (i === undefined) continue;
        if (t.patch[column.key] === true)
          plan.note(row, i + 1, () => withMark('', 'stamp', [NOTE_TEXT.stamp(column.reviewDepartment!, actor, schoolTimestamp(now))]), false);
        else if (t.patch[column.key] === false) plan.note(row, i + 1, (old) => withMark(old, 'stamp', []));
      }
      plan.commit(new Map());
      const status = String(t.patch.status ?? project.status ?? '');
      if (status === '待审议' && request.decision === 'approve') {
        sendMails([
          {
            to: settings.officeStaff,
            subject: MAIL_TEXT.subjectReady(request.projectId, project.title ?? ''),
            body: MAIL_TEXT.bodyReady(request.projectId, project.title ?? '', spreadsheetUrl(ss)),
          },
        ]);
      }
      return { ok: true, message: UI_TEXT.done(request.projectId, status), status };
    },
    () => ({ ok: false, message: UI_TEXT.busy }),
  );
}

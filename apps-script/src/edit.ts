/**
 * The installable edit handler: validation marks for the changed cells, and the approval automations of
 * 第十五条 (ticks, unticks, trespass, content changes after submission). Pastes are handled cell by cell.
 */
import {
  IdAllocator,
  REGISTRY_SHEETS,
  schoolDate,
  emptyLoggedState,
  cellAgreesWithLog,
  loggedCells,
  newProject,
  parseRow,
  projectsSheet,
  requiredDepartments,
  schoolTimestamp,
  transition,
  workflowProject,
  type CalendarDate,
  type ColumnSpec,
  type LoggedState,
  type ProjectKey,
  type ProjectRow,
  type RawCells,
  type ReviewDepartment,
  type ReviewLogRow,
  type Settings,
  type SheetSpec,
  type WorkflowEvent,
} from '../../core/index.js';
import { saveCounters } from './actions.js';
import { appendLog, brokenLogMessage, cachedLoggedState, logTouched, loggedSheet, type LoggedSheet } from './log.js';
import { sendMails, type Mail } from './mail.js';
import { withMark } from './marks.js';
import { SheetPlan, type Bounds } from './plan.js';
import { actorEmail, busyToast, cachedSettings, freshSettings, readSheet, spreadsheetUrl, withLock } from './registry.js';
import { columnAt, parseA1, readTable, rowCells, type Table } from './table.js';
import { IDENTITY_TEXT, MAIL_TEXT, NOTE_TEXT, UI_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The real event's range also carries its bounds as plain numbers; reading them costs no service call. */
type EditRange = GoogleAppsScript.Spreadsheet.Range & { rowStart?: number; rowEnd?: number; columnStart?: number; columnEnd?: number };
export type EditEvent = Omit<GoogleAppsScript.Events.SheetsOnEdit, 'range' | 'value' | 'oldValue'> & {
  range: EditRange;
  value?: unknown;
  oldValue?: unknown;
  user?: GoogleAppsScript.Base.User;
};

function eventBounds(range: EditRange): Bounds {
  if (typeof range.rowStart === 'number' && typeof range.columnStart === 'number') {
    return { r1: range.rowStart, c1: range.columnStart, r2: range.rowEnd ?? range.rowStart, c2: range.columnEnd ?? range.columnStart };
  }
  return parseA1(range.getA1Notation());
}

function specNamed(name: string): SheetSpec | undefined {
  return REGISTRY_SHEETS.find((s) => s.name === name);
}

const isTrue = (v: unknown) => v === true || (typeof v === 'string' && v.toUpperCase() === 'TRUE');

export function handleSheetEdit(e: EditEvent): void {
  const ss = e.source;
  const sheet = e.range.getSheet();
  const spec = specNamed(sheet.getName());
  if (!spec) return;
  // 审批记录 is the system's: a hand edit there is not acted on, but the next append must not trust the anchor's count.
  if (spec.key === 'reviewLog') {
    logTouched();
    ss.toast(UI_TEXT.logHandEdit, '合作交流', 10);
    return;
  }
  if (spec.key === 'settings') {
    freshSettings(ss);
    return;
  }
  const bounds = eventBounds(e.range);
  if (bounds.r2 < 2) return; // header edits: 初始化/修复 puts headers right
  withLock(
    () => editRows(ss, e, readTable(sheet, spec), bounds),
    () => busyToast(ss),
  );
}

interface EditContext {
  ss: Spreadsheet;
  e: EditEvent;
  table: Table;
  plan: SheetPlan;
  settings: Settings;
  actor: string;
  now: Date;
  log: ReviewLogRow[];
  mails: Mail[];
  toasts: string[];
  colours: Map<string, string | null>;
  /** Logged states learnt in this run, per project ID. */
  states: Map<string, LoggedState>;
  /** The whole log, once it had to be read (no usable cache); with the chain's verdict. */
  sheetLog?: LoggedSheet;
}

function editRows(ss: Spreadsheet, e: EditEvent, table: Table, bounds: Bounds): void {
  const ctx: EditContext = {
    ss,
    e,
    table,
    plan: new SheetPlan(table, e.range, bounds),
    settings: cachedSettings(ss).settings,
    actor: actorEmail(e.user),
    now: new Date(),
    log: [],
    mails: [],
    toasts: [],
    colours: new Map(),
    states: new Map(),
  };
  const lastRow = Math.min(bounds.r2, table.values.length);
  const lastCol = Math.min(bounds.c2, table.width);
  for (let r = Math.max(bounds.r1, 2); r <= lastRow; r++) {
    const edited: { c: number; column: ColumnSpec }[] = [];
    for (let c = bounds.c1; c <= lastCol; c++) {
      const column = columnAt(table, c - 1);
      if (column) edited.push({ c, column });
    }
    if (!edited.length) continue;
    if (table.spec.key === 'projects') projectRowEdited(ctx, r, edited);
    markProblems(ctx, r, edited);
  }
  if (table.spec.key === 'partners' || table.spec.key === 'projects') assignIds(ctx, Math.max(bounds.r1, 2), lastRow);
  ctx.plan.commit(ctx.colours);
  appendLog(ss, ctx.log, ctx.sheetLog?.rows);
  sendMails(ctx.mails);
  if (ctx.toasts.length) ss.toast([...new Set(ctx.toasts)].slice(0, 3).join('\n'), '合作交流', 8);
}

/** Validation marks on the edited cells a person types into (checkbox and system columns are the workflow's). */
function markProblems(ctx: EditContext, r: number, edited: { c: number; column: ColumnSpec }[]): void {
  const typed = edited.filter(({ column }) => column.type !== 'checkbox' && column.setBy !== 'system' && column.setBy !== 'workflow');
  if (!typed.length) return;
  const result = parseRow(ctx.table.spec, rowCells(ctx.table, r - 1), ctx.settings, r);
  const problems = result.ok ? [] : result.problems;
  for (const { c, column } of typed) {
    const lines = problems.filter((p) => p.column === column.header).map((p) => NOTE_TEXT.problem(p.rule, p.message));
    ctx.plan.mark(r, c, lines, ctx.colours);
  }
}

/**
 * A project's state as 审批记录 records it: from the cache in the script's properties when it vouches for the log as
 * anchored (no sheet read), else from the whole log, read and verified once per run.
 */
function loggedStateOf(ctx: EditContext, projectId: string, cells?: RawCells, edited: readonly string[] = []): LoggedState {
  if (!projectId) return emptyLoggedState();
  let state = ctx.states.get(projectId) ?? (ctx.sheetLog ? undefined : (cachedLoggedState(projectId) ?? undefined));
  // The CLI writes the shared sheet through the API, which fires no trigger and cannot move the cache: its steps
  // show in the row's workflow cells. A row that disagrees with the cache (outside this edit) sends us to the log.
  if (state && cells && !ctx.states.has(projectId) && !rowAgrees(cells, state, schoolDate(ctx.now), edited)) state = undefined;
  if (!state) {
    ctx.sheetLog ??= loggedSheet(ctx.ss);
    state = ctx.sheetLog.logged.get(projectId) ?? emptyLoggedState();
  }
  ctx.states.set(projectId, state);
  return state;
}

function rowAgrees(cells: RawCells, state: LoggedState, today: CalendarDate, edited: readonly string[]): boolean {
  return Object.entries(loggedCells(state, cells.endDate, today)).every(([key, value]) => edited.includes(key) || cellAgreesWithLog(key, cells[key], value));
}

/** The chain's break, when this run had to read the log and found one: workflow edits then wait for the office. */
function brokenLog(ctx: EditContext): string | null {
  return ctx.sheetLog && !ctx.sheetLog.report.ok ? brokenLogMessage(ctx.sheetLog.report) : null;
}

function oldRaw(ctx: EditContext): unknown {
  return ctx.e.oldValue === undefined ? '' : ctx.e.oldValue;
}

function apply(ctx: EditContext, r: number, project: ProjectRow, patch: Partial<ProjectRow>): void {
  for (const [key, value] of Object.entries(patch)) {
    (project as Record<string, unknown>)[key] = value;
    ctx.plan.set(r - 1, key, value ?? null);
  }
}

function projectRowEdited(ctx: EditContext, r: number, edited: { c: number; column: ColumnSpec }[]): void {
  const { plan, table } = ctx;
  const cells = rowCells(table, r - 1);
  const reviews = edited.filter(({ column }) => column.reviewDepartment);
  // The state before this edit is what 审批记录 records, never the cells: a typed 状态, tick or meeting moves nothing.
  const today = schoolDate(ctx.now);
  const state = loggedStateOf(
    ctx,
    String(cells.projectId ?? '').trim(),
    cells,
    edited.map(({ column }) => column.key),
  );
  const project = workflowProject(cells, state, today);
  const wasTicked = new Map<number, boolean>();
  for (const { c, column } of reviews) wasTicked.set(c, project[column.key as ProjectKey] === true);
  const workflowCtx = { settings: ctx.settings, actor: ctx.actor || UI_TEXT.unknownUser, now: ctx.now };
  const broken = brokenLog(ctx);

  // Hand edits of columns the workflow owns do not count: those the log decides show the logged value again
  // (pasted or typed alike), the others their old value.
  const logged = loggedCells(state, cells.endDate, today);
  for (const { c, column } of edited) {
    if (column.reviewDepartment || (column.setBy !== 'system' && column.setBy !== 'workflow')) continue;
    if (column.key in logged) {
      plan.set(r - 1, column.key, logged[column.key] ?? null);
      ctx.toasts.push(UI_TEXT.loggedColumn(column.header));
    } else if (plan.singleCell) {
      plan.restore(r, c, oldRaw(ctx));
      ctx.toasts.push(UI_TEXT.systemColumn(column.header));
    } else ctx.toasts.push(UI_TEXT.systemColumnPaste(column.header));
  }

  if (edited.some(({ column }) => column.key === 'partnerId')) {
    const name = partnerNames(ctx.ss).get(String(cells.partnerId ?? ''));
    plan.set(r - 1, 'partnerName', name ?? null);
  }

  const content = edited.filter(({ column }) => 'content' in column && column.content);
  if (content.length) {
    const t = transition(project, { type: 'contentEdited', columns: content.map(({ column }) => column.key as ProjectKey) }, workflowCtx);
    // While the chain is broken, an edit that would need a log entry waits like a refused one.
    if (!t.ok || (broken && t.log.length)) {
      const refusal = t.ok ? broken! : t.message;
      if (plan.singleCell) {
        plan.restore(r, content[0]!.c, oldRaw(ctx));
        ctx.toasts.push(UI_TEXT.refusedToast(refusal));
      } else ctx.toasts.push(UI_TEXT.cannotRevertPaste(refusal));
      return;
    }
    if (t.log.length) {
      apply(ctx, r, project, t.patch);
      ctx.log.push(...t.log);
      clearStamps(ctx, r);
      ctx.toasts.push(UI_TEXT.contentChangedToast(project.projectId ?? ''));
      const reviewers = requiredDepartments(ctx.settings, project.category).flatMap((d) => ctx.settings.approvers[d]);
      const headers = content.map(({ column }) => column.header).join('、');
      ctx.mails.push({
        to: reviewers,
        subject: MAIL_TEXT.subjectRecheck(project.projectId ?? '', project.title ?? ''),
        body: MAIL_TEXT.bodyRecheck(project.projectId ?? '', project.title ?? '', headers, spreadsheetUrl(ctx.ss)),
      });
      for (const { c } of reviews) wasTicked.set(c, false);
    }
  }

  for (const { c, column } of reviews) {
    const department = column.reviewDepartment as ReviewDepartment;
    const now = isTrue(table.values[r - 1]![c - 1]);
    const was = wasTicked.get(c)!;
    if (now === was) continue;
    // No e-mail (personal accounts): the tick cannot be attributed, so it is not trusted, nor logged as a trespass.
    if (!ctx.actor) {
      plan.restore(r, c, was);
      ctx.toasts.push(IDENTITY_TEXT.tickUnverifiedToast);
      continue;
    }
    if (broken) {
      plan.restore(r, c, was);
      ctx.toasts.push(UI_TEXT.refusedToast(broken));
      continue;
    }
    const event: WorkflowEvent = { type: now ? 'tick' : 'untick', department };
    const t = transition(project, event, workflowCtx);
    ctx.log.push(...t.log);
    if (!t.ok) {
      plan.restore(r, c, was);
      ctx.toasts.push(UI_TEXT.trespassToast(t.message));
      continue;
    }
    apply(ctx, r, project, t.patch);
    const stamp = NOTE_TEXT.stamp(department, ctx.actor, schoolTimestamp(ctx.now));
    // Review cells are protected and their notes are the system's, so the stamp replaces the note unread.
    plan.note(r, c, now ? () => withMark('', 'stamp', [stamp]) : (old) => withMark(old, 'stamp', []), !now && !plan.singleCell);
    if (project.status === '待审议') {
      ctx.mails.push({
        to: ctx.settings.officeStaff,
        subject: MAIL_TEXT.subjectReady(project.projectId ?? '', project.title ?? ''),
        body: MAIL_TEXT.bodyReady(project.projectId ?? '', project.title ?? '', spreadsheetUrl(ctx.ss)),
      });
    }
  }
}

/**
 * A partner or project row someone started without an ID gets the next one (never reused; core IdAllocator, counters
 * in 设置). The trigger runs as the owner, so staff who may not write the protected ID column still get one.
 */
function assignIds(ctx: EditContext, from: number, to: number): void {
  const { table } = ctx;
  const partners = table.spec.key === 'partners';
  const idCol = table.keyIndex.get(table.spec.idColumn ?? '');
  const nameCol = table.keyIndex.get(partners ? 'name' : 'title');
  if (idCol === undefined || nameCol === undefined) return;
  const needing: number[] = [];
  for (let r = from; r <= to; r++) {
    const row = table.values[r - 1]!;
    if (String(row[idCol] ?? '').trim() === '' && String(row[nameCol] ?? '').trim() !== '') needing.push(r);
  }
  if (!needing.length) return;
  const { table: settingsTable, parsed } = freshSettings(ctx.ss);
  if (!settingsTable) return;
  const allocator = new IdAllocator(
    parsed.settings.counters,
    table.values.slice(1).map((row) => String(row[idCol] ?? '')),
  );
  for (const r of needing) {
    if (partners) ctx.plan.set(r - 1, 'partnerId', allocator.partner());
    else for (const [key, value] of Object.entries(newProject(allocator, ctx.now))) ctx.plan.set(r - 1, key, value);
  }
  saveCounters(settingsTable, allocator.counters);
}

/** Clears the stamp of every review column in a row whose ticks the workflow just cleared. */
function clearStamps(ctx: EditContext, r: number): void {
  for (const column of projectsSheet.columns) {
    if (!('reviewDepartment' in column)) continue;
    const i = ctx.table.keyIndex.get(column.key);
    if (i !== undefined) ctx.plan.note(r, i + 1, (old) => withMark(old, 'stamp', []));
  }
}

/** Partner ID → name, for the 合作单位名称 column the system keeps beside each project's partner ID. */
export function partnerNames(ss: Spreadsheet): Map<string, string> {
  const partners = readSheet(ss, 'partners');
  const names = new Map<string, string>();
  if (!partners) return names;
  const id = partners.keyIndex.get('partnerId');
  const name = partners.keyIndex.get('name');
  if (id === undefined || name === undefined) return names;
  for (const row of partners.values.slice(1)) names.set(String(row[id] ?? ''), String(row[name] ?? ''));
  return names;
}

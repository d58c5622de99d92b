/**
 * The server side of the sidebar 合作交流助手: the page (built into the bundle), and the calls its three panes
 * make through google.script.run — start-up data, saving a project (and a new partner), 我的待办, and a
 * project's 审批轨迹. Each reads in batch and writes in batch, like every handler, and each runs under the
 * authorization of the person at the sidebar: what their protections forbid is queued for the owner's trigger.
 */
import {
  IdAllocator,
  checkLog,
  REVIEW_DEPARTMENT_NAMES,
  dateParts,
  emptyRegistry,
  emptyRow,
  isApprover,
  isOfficeStaff,
  loggedStatesOf,
  loggedStatus,
  normalizeName,
  officeQueue,
  parseRow,
  columnOf,
  partnersSheet,
  projectsSheet,
  readSettings,
  reviewLogSheet,
  reviewQueue,
  schoolDate,
  schoolTimestamp,
  trustedLog,
  type OfficeWait,
  type Problem,
  type RawCells,
  type ReviewDepartment,
  type ReviewWait,
  type Settings,
  type SheetSpec,
} from '../../core/index.js';
import { saveCounters } from './actions.js';
import { INTENT_PREFIX, approveAsCurrentUser, returnAsCurrentUser } from './identity.js';
import { readLogRows } from './log.js';
import {
  actorEmail,
  actsForOffice,
  cachedSettings,
  cachedSettingsRows,
  freshSettings,
  readSheet,
  reserveIds,
  tableRows,
  withLock,
  withReservedIds,
} from './registry.js';
import { SIDEBAR_TEXT as T } from './sidebar-text.js';
import { appendRecord, indexToLetters, recordValues, rowCells, type Table } from './table.js';
import { IDENTITY_TEXT, UI_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** The page with its script and styles inlined by scripts/build.mjs: nothing for the browser to fetch. */
declare const SIDEBAR_HTML: string;

export function showSidebar(): void {
  const html = HtmlService.createHtmlOutput(SIDEBAR_HTML).setTitle(T.title);
  SpreadsheetApp.getUi().showSidebar(html);
}

/** The installable on-open trigger: shows the sidebar to an approver with reviews waiting; anyone else sees nothing new. */
export function openForApprovers(ss: Spreadsheet, user: string, now: Date): boolean {
  if (!user) return false; // Google does not say who opened (personal accounts): the menu still opens it.
  const { settings } = cachedSettings(ss);
  if (!REVIEW_DEPARTMENT_NAMES.some((d) => isApprover(settings, d, user))) return false;
  // Reviews the approver already decided (waiting for the owner's trigger) are not work waiting.
  if (!sidebarTodo(ss, now, user).reviews.some((w) => !w.queued)) return false;
  showSidebar();
  return true;
}

export interface PartnerChoice {
  partnerId: string;
  name: string;
  integrity: string;
}

export interface SidebarBoot {
  user: string;
  office: boolean;
  /** Review departments the user approves for. */
  departments: ReviewDepartment[];
  settings: Settings;
  partners: PartnerChoice[];
  today: string;
}

export function sidebarBoot(ss: Spreadsheet, now: Date): SidebarBoot {
  const user = actorEmail();
  const { settings } = cachedSettings(ss);
  // Partners registered from the sidebar and still queued for the owner's trigger can be chosen already.
  const partners = [...tableRows(readSheet(ss, 'partners')).map((r) => r.cells), ...queuedPartners()].map((cells) => ({
    partnerId: String(cells.partnerId ?? ''),
    name: String(cells.name ?? ''),
    integrity: String(cells.integrity ?? ''),
  }));
  return {
    user,
    office: actsForOffice(ss, settings, user),
    departments: REVIEW_DEPARTMENT_NAMES.filter((d) => isApprover(settings, d, user)),
    settings,
    partners: partners.filter((p) => p.partnerId),
    today: schoolDate(now),
  };
}

export interface SidebarTodo {
  user: string;
  departments: ReviewDepartment[];
  /** Projects waiting on the user's departments, oldest first, with the departments of theirs still to review. */
  reviews: (ReviewWait & { mine: ReviewDepartment[]; queued: boolean })[];
  /** For the office: projects waiting on meetings and signing; null for anyone else. */
  office: OfficeWait[] | null;
}

/**
 * 我的待办 from the verified 审批记录, as `coop status` and the reminders read it (core loggedStatesOf/loggedStatus,
 * trusted by the keys 设置 lists): a 状态 or tick pasted into 合作项目 moves nobody's queue. Two sheet reads — 合作项目
 * and 审批记录 — with 设置 from its cache.
 */
export function sidebarTodo(ss: Spreadsheet, now: Date, user = actorEmail()): SidebarTodo {
  const data = emptyRegistry();
  data.settings = cachedSettingsRows(ss).map((cells) => ({ cells }));
  const { settings } = readSettings(data);
  data.projects = tableRows(readSheet(ss, 'projects'));
  data.reviewLog = readLogRows(ss, logGrid(ss));
  const today = schoolDate(now);
  const logged = loggedStatesOf(data);
  const statusOf = loggedStatus(data, today, logged);
  const reviewed = new Map([...logged].map(([id, state]) => [id, state.reviews as ReadonlySet<ReviewDepartment>]));
  const departments = REVIEW_DEPARTMENT_NAMES.filter((d) => isApprover(settings, d, user));
  const waiting = queuedDecisions(user);
  const reviews = reviewQueue(data, settings, today, reviewed, statusOf)
    .map((w) => ({ ...w, mine: w.waitingOn.filter((d) => departments.includes(d)), queued: waiting.has(w.projectId) }))
    .filter((w) => w.mine.length);
  const office = isOfficeStaff(settings, user) ? officeQueue(data, today, logged) : null;
  return { user, departments, reviews, office };
}

/**
 * 审批记录's values in two calls rather than three: appendLog writes its columns in schema order from A, so the
 * spreadsheet can hand them over by A1 address without finding the sheet first. Empty when the sheet is missing.
 */
function logGrid(ss: Spreadsheet): unknown[][] {
  const name = reviewLogSheet.name.replace(/'/g, "''");
  try {
    return ss.getRange(`'${name}'!A1:${indexToLetters(reviewLogSheet.columns.length)}`).getValues();
  } catch {
    return [];
  }
}

/**
 * Projects the user decided on from the menu or the sidebar that the owner's minute trigger has not recorded yet
 * (identity.ts queues them in script properties): their cards say so instead of offering the buttons again.
 */
function queuedDecisions(user: string): Set<string> {
  const out = new Set<string>();
  const all = PropertiesService.getScriptProperties().getProperties();
  for (const [key, raw] of Object.entries(all)) {
    if (!key.startsWith(INTENT_PREFIX)) continue;
    try {
      const intent = JSON.parse(raw) as { projectId?: string; actor?: string };
      if (intent.actor === user && intent.projectId) out.add(intent.projectId);
    } catch {
      // Not ours to judge: identity.ts drops what it cannot read.
    }
  }
  return out;
}

export type Decision = { projectId: string; decision: 'approve'; department: ReviewDepartment } | { projectId: string; decision: 'return'; reason: string };

export interface DecisionResult {
  ok: boolean;
  /** Accepted, waiting for the owner's trigger to record it (the approver may not write 状态 or 审批记录). */
  queued?: boolean;
  message: string;
}

/**
 * 审查通过 / 退回 from 我的待办 through the menu's own path (identity.ts): checked against the state machine at once,
 * then recorded by the owner's minute trigger — at once for the office and the owner, who may write those columns.
 */
export function sidebarDecide(request: Decision): DecisionResult {
  const id = String(request.projectId ?? '')
    .trim()
    .toUpperCase();
  const props = PropertiesService.getScriptProperties();
  const before = new Set(Object.keys(props.getProperties()));
  const message = request.decision === 'approve' ? approveAsCurrentUser(id, request.department) : returnAsCurrentUser(id, String(request.reason ?? ''));
  // A new intent still in the queue means accepted but not yet recorded (the office's and the owner's are recorded at once).
  const queued = Object.keys(props.getProperties()).some((k) => k.startsWith(INTENT_PREFIX) && !before.has(k));
  if (queued) return { ok: true, queued: true, message: T.decisionQueued(id) };
  if (message === IDENTITY_TEXT.recorded(id)) return { ok: true, message };
  return { ok: false, message };
}

export interface SaveRequest {
  project: RawCells;
  /** A partner registered inline; its ID is allocated with the project's. */
  partner?: RawCells | null;
}

export type SaveResult =
  | { ok: true; projectId: string; partnerId: string; queued: boolean; message: string }
  | { ok: false; problems: Problem[]; message: string };

/** A save from the sidebar by someone who may not write 编号/状态/更新时间: the whole record, its IDs reserved. */
interface QueuedSave {
  at: number;
  actor: string;
  project: RawCells;
  partner: RawCells | null;
}

const SAVE_PREFIX = 'coop.sidebarSave.';
/** Set when IDs were reserved or written: 设置's counters still have to catch up (the owner's trigger does it). */
const COUNTERS_BEHIND = 'coop.sidebarSave.countersBehind';

function queuedSaves(): [string, QueuedSave][] {
  const all = PropertiesService.getScriptProperties().getProperties();
  return Object.keys(all)
    .filter((k) => k.startsWith(SAVE_PREFIX) && k !== COUNTERS_BEHIND)
    .sort()
    .map((k) => [k, JSON.parse(all[k]!) as QueuedSave]);
}

function queuedPartners(): RawCells[] {
  return queuedSaves().flatMap(([, q]) => (q.partner ? [q.partner] : []));
}

/** Only the columns a person fills: never IDs, status, review or meeting columns. */
function userCells(spec: SheetSpec, input: RawCells | null | undefined): RawCells {
  const cells: RawCells = {};
  for (const c of spec.columns) {
    if (c.setBy) continue;
    const v = input?.[c.key];
    cells[c.key] = v === undefined || v === '' ? null : typeof v === 'string' ? v.trim() || null : v;
  }
  return cells;
}

/**
 * Saves a new project (and its new partner) as a 草稿: the core rules again on the server, the IDs allocated under
 * the lock from the sheets, 设置's counters and the IDs already reserved, and reserved at once so none is handed out
 * twice. The office and the owner write the rows there and then; anyone else's record is queued for the owner's minute
 * trigger, which alone may write 编号, 状态, 更新时间 and 设置 — the new ID is shown either way.
 */
export function sidebarSave(ss: Spreadsheet, request: SaveRequest, now: Date): SaveResult {
  const actor = actorEmail();
  return withLock<SaveResult>(
    () => {
      const { settings } = cachedSettings(ss);
      const projects = readSheet(ss, 'projects');
      const partners = readSheet(ss, 'partners');
      if (!projects || !partners) return { ok: false, problems: [], message: UI_TEXT.selectProjectRow };
      const queued = queuedSaves().map(([, q]) => q);
      const problems: Problem[] = [];
      const project = userCells(projectsSheet, request.project);
      const existingPartners = [...tableRows(partners).map((r) => r.cells), ...queued.flatMap((q) => (q.partner ? [q.partner] : []))];
      let partner: RawCells | null = null;
      if (request.partner) {
        partner = { ...(emptyRow(partnersSheet) as RawCells), ...userCells(partnersSheet, request.partner) };
        const parsedPartner = parseRow(partnersSheet, partner, settings);
        if (!parsedPartner.ok) problems.push(...parsedPartner.problems);
        const name = typeof partner.name === 'string' ? normalizeName(partner.name) : '';
        const same = existingPartners.find((p) => typeof p.name === 'string' && normalizeName(p.name) === name);
        if (name && same)
          problems.push({
            sheet: partnersSheet.name,
            column: columnOf(partnersSheet, 'name').header,
            rule: '唯一',
            message: T.partnerDuplicate(String(partner.name), String(same.partnerId)),
          });
      } else if (!project.partnerId) {
        problems.push({ sheet: projectsSheet.name, column: columnOf(projectsSheet, 'partnerId').header, rule: '必填', message: T.partnerRequired });
      } else if (!existingPartners.some((p) => p.partnerId === project.partnerId)) {
        problems.push({
          sheet: projectsSheet.name,
          column: columnOf(projectsSheet, 'partnerId').header,
          rule: '引用',
          message: T.partnerMissing(String(project.partnerId)),
        });
      }
      // The partner ID is checked above; a placeholder lets the row rules judge everything else.
      const parsedProject = parseRow(projectsSheet, { ...project, partnerId: project.partnerId ?? 'P0000' }, settings);
      if (!parsedProject.ok) problems.push(...parsedProject.problems.filter((p) => !(request.partner && p.column === '合作单位编号')));
      if (problems.length) return { ok: false, problems, message: problems.map((p) => `${p.column ?? p.sheet}：${p.message}`).join('\n') };

      const ids = [
        ...existingPartners.map((p) => String(p.partnerId ?? '')),
        ...tableRows(projects).map((r) => String(r.cells.projectId ?? '')),
        ...queued.map((q) => String(q.project.projectId ?? '')),
      ];
      const allocator = new IdAllocator(withReservedIds(settings.counters), ids);
      if (partner) {
        partner.partnerId = allocator.partner();
        project.partnerId = partner.partnerId;
      }
      const partnerName = String((partner ?? existingPartners.find((p) => p.partnerId === project.partnerId))?.name ?? '');
      const projectId = allocator.project(dateParts(schoolDate(now)).year);
      reserveIds(allocator.counters);
      const props = PropertiesService.getScriptProperties();
      props.setProperty(COUNTERS_BEHIND, '1');
      const record: QueuedSave = { at: now.getTime(), actor, project: { ...project, projectId, partnerName }, partner };
      const office = actsForOffice(ss, settings, actor);
      if (office) writeSave(projects, partners, record);
      else props.setProperty(`${SAVE_PREFIX}${record.at}.${Math.random().toString(36).slice(2, 10)}`, JSON.stringify(record));
      const message = [
        partner ? (office ? T.savedPartner : T.queuedPartner)(String(project.partnerId), partnerName) : '',
        office ? T.saved(projectId) : T.queuedProject(projectId),
      ]
        .filter(Boolean)
        .join('\n');
      return { ok: true, projectId, partnerId: String(project.partnerId), queued: !office, message };
    },
    () => ({ ok: false, problems: [], message: UI_TEXT.busy }),
  );
}

/**
 * Writes one saved record: the partner row (合作单位 has no checkboxes, so appendRow lands after its last record in one
 * call), then the project as a 草稿 stamped with the time of the save. A record whose ID is already there is skipped,
 * so a recording interrupted half-way is simply repeated.
 */
function writeSave(projects: Table, partners: Table, record: QueuedSave): void {
  const present = (table: Table, key: string, id: unknown) => {
    const col = table.keyIndex.get(key);
    return col !== undefined && table.values.some((row, i) => i > 0 && String(row[col] ?? '') === String(id));
  };
  if (record.partner && !present(partners, 'partnerId', record.partner.partnerId)) {
    const values = recordValues(partners, record.partner);
    partners.sheet.appendRow(values);
    partners.values.push(values);
  }
  if (present(projects, 'projectId', record.project.projectId)) return;
  appendRecord(projects, {
    ...(emptyRow(projectsSheet) as RawCells),
    ...record.project,
    status: '草稿',
    updatedAt: schoolTimestamp(new Date(record.at)),
  });
}

/**
 * The owner's minute trigger: writes the records staff saved from the sidebar, oldest first, and brings 设置's
 * counters up to the IDs reserved. Costs nothing while there is nothing to do.
 */
export function recordSidebarSaves(): number {
  const props = PropertiesService.getScriptProperties();
  const saves = queuedSaves();
  if (!saves.length && !props.getProperty(COUNTERS_BEHIND)) return 0;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  return withLock(
    () => {
      const projects = readSheet(ss, 'projects');
      const partners = readSheet(ss, 'partners');
      const { table: settingsTable, parsed } = freshSettings(ss);
      if (!projects || !partners || !settingsTable) return 0;
      for (const [key, record] of saves) {
        writeSave(projects, partners, record);
        // Taken off the queue only once written: a failed write is tried again next minute.
        props.deleteProperty(key);
      }
      // freshSettings merged the reserved IDs into the counters.
      saveCounters(settingsTable, parsed.settings.counters);
      props.deleteProperty(COUNTERS_BEHIND);
      return saves.length;
    },
    () => 0,
  );
}

export interface TrailEvent {
  time: string;
  action: string;
  body: string;
  actor: string;
  fromStatus: string;
  toStatus: string;
  remark: string;
  /** Whether the chain (and 设置's keys) vouch for this row; a row that does not counts for nothing. */
  trusted: boolean;
}

export interface SidebarTrail {
  projectId: string;
  title: string;
  /** The status 审批记录 records (as `coop status` reads it), not the 状态 cell. */
  status: string;
  events: TrailEvent[];
  /** Whether 审批记录's chain verifies against its anchor, and whether every row of this project counts. */
  chain: { state: 'ok' | 'broken' | 'unavailable'; message: string };
}

/** 审批轨迹 of the project on the selected row of 合作项目 (or the one named): its entries of 审批记录, oldest first. */
export function sidebarTrail(ss: Spreadsheet, projectId: string | null, now: Date): SidebarTrail | { message: string } {
  const projects = readSheet(ss, 'projects');
  if (!projects) return { message: T.selectRow };
  let r0 = -1;
  if (projectId) {
    const idCol = projects.keyIndex.get('projectId');
    r0 = idCol === undefined ? -1 : projects.values.findIndex((row, i) => i > 0 && String(row[idCol] ?? '') === projectId);
  } else {
    const sheet = ss.getActiveSheet();
    if (sheet.getName() === projectsSheet.name) r0 = (sheet.getActiveRange()?.getRow() ?? 0) - 1;
  }
  if (r0 < 1 || r0 >= projects.values.length) return { message: projectId ? T.noProject(projectId) : T.selectRow };
  const cells = rowCells(projects, r0);
  const id = String(cells.projectId ?? '');
  if (!id) return { message: T.selectRow };
  // 审批记录 with its anchor from the script's properties, trusted as the CLI trusts it (chain, repairs, 设置's keys).
  const rows = readLogRows(ss, logGrid(ss));
  const report = checkLog(rows);
  const data = emptyRegistry();
  data.settings = cachedSettingsRows(ss).map((c) => ({ cells: c }));
  data.reviewLog = rows;
  const trusted = new Set(trustedLog(rows, readSettings(data).settings));
  const status = loggedStatus(data, schoolDate(now))(cells);
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const events = rows
    .filter((r) => r.cells.projectId === id)
    .map(({ cells: e }) => ({
      time: text(e.time),
      action: text(e.action),
      body: text(e.body),
      actor: text(e.actor),
      fromStatus: text(e.fromStatus),
      toStatus: text(e.toStatus),
      remark: text(e.remark),
      trusted: trusted.has(e),
    }));
  const excluded = events.filter((e) => !e.trusted).length;
  const chain = !report.ok
    ? { state: 'broken' as const, message: T.chainBroken(report.break?.message ?? '') }
    : excluded
      ? { state: 'broken' as const, message: T.chainExcluded(excluded) }
      : { state: 'ok' as const, message: T.chainOk };
  return { projectId: id, title: text(cells.title), status, events, chain };
}

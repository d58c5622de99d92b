/**
 * The server side of the sidebar 合作交流助手: the page (built into the bundle), and the calls its three panes
 * make through google.script.run — start-up data, saving a project (and a new partner), 我的待办, and a
 * project's 审批轨迹. Each reads in batch and writes in batch, like every handler.
 */
import {
  IdAllocator,
  REVIEW_COLUMNS,
  REVIEW_DEPARTMENT_NAMES,
  dateParts,
  effectiveStatus,
  emptyRegistry,
  emptyRow,
  isApprover,
  isOfficeStaff,
  normalizeName,
  officeQueue,
  parseRow,
  partnersSheet,
  projectsSheet,
  reviewQueue,
  schoolDate,
  schoolTimestamp,
  type OfficeWait,
  type Problem,
  type RawCells,
  type ReviewDepartment,
  type ReviewWait,
  type Settings,
  type SheetSpec,
} from '../../core/index.js';
import { saveCounters } from './actions.js';
import { decideAsUser, type Decision, type DecisionResult } from './approve-as-user.js';
import { actorEmail, cachedSettings, freshSettings, ownerEmail, readSheet, tableRows, withLock } from './registry.js';
import { verifyLog } from './log.js';
import { SIDEBAR_TEXT as T } from './sidebar-text.js';
import { appendRecord, rowCells } from './table.js';
import { UI_TEXT } from './text.js';

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
  if (!sidebarTodo(ss, now, user).reviews.length) return false;
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
  const partners = tableRows(readSheet(ss, 'partners')).map(({ cells }) => ({
    partnerId: String(cells.partnerId ?? ''),
    name: String(cells.name ?? ''),
    integrity: String(cells.integrity ?? ''),
  }));
  return {
    user,
    office: isOfficeStaff(settings, user) || (user !== '' && user === ownerEmail(ss)),
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
  reviews: (ReviewWait & { mine: ReviewDepartment[] })[];
  /** For the office: projects waiting on meetings and signing; null for anyone else. */
  office: OfficeWait[] | null;
}

/** 我的待办: one read of 合作项目; the sheet's ticks say who has reviewed (only approvers and the edit trigger write them). */
export function sidebarTodo(ss: Spreadsheet, now: Date, user = actorEmail()): SidebarTodo {
  const { settings } = cachedSettings(ss);
  const data = emptyRegistry();
  data.projects = tableRows(readSheet(ss, 'projects'));
  const reviewed = new Map<string, Set<ReviewDepartment>>();
  for (const { cells } of data.projects) {
    reviewed.set(String(cells.projectId ?? ''), new Set(REVIEW_COLUMNS.filter((c) => cells[c.key] === true).map((c) => c.reviewDepartment!)));
  }
  const today = schoolDate(now);
  const departments = REVIEW_DEPARTMENT_NAMES.filter((d) => isApprover(settings, d, user));
  // Within the 6-call budget only 合作项目 is read: its 状态 and tick cells, which only the edit trigger (checking every
  // tick against 设置 and 审批记录) and protected menu actions write, stand in for the log here.
  const typedStatus = (cells: RawCells) => effectiveStatus(cells as never, today);
  const reviews = reviewQueue(data, settings, today, reviewed, typedStatus)
    .map((w) => ({ ...w, mine: w.waitingOn.filter((d) => departments.includes(d)) }))
    .filter((w) => w.mine.length);
  const office = isOfficeStaff(settings, user) ? officeQueue(data, today, typedStatus) : null;
  return { user, departments, reviews, office };
}

export function sidebarDecide(ss: Spreadsheet, request: Decision, now: Date): DecisionResult {
  return decideAsUser(ss, request, now);
}

export interface SaveRequest {
  project: RawCells;
  /** A partner registered inline; its ID is allocated with the project's. */
  partner?: RawCells | null;
}

export type SaveResult = { ok: true; projectId: string; partnerId: string; message: string } | { ok: false; problems: Problem[]; message: string };

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
 * Saves a new project (and its new partner) as a 草稿: the core rules again on the server, IDs from the
 * allocator under the lock, one row write per sheet and the counters in 设置.
 */
export function sidebarSave(ss: Spreadsheet, request: SaveRequest, now: Date): SaveResult {
  return withLock<SaveResult>(
    () => {
      const { table: settingsTable, parsed } = freshSettings(ss);
      const settings = parsed.settings;
      const projects = readSheet(ss, 'projects');
      const partners = readSheet(ss, 'partners');
      if (!projects || !partners || !settingsTable) return { ok: false, problems: [], message: UI_TEXT.selectProjectRow };
      const problems: Problem[] = [];
      const project = userCells(projectsSheet, request.project);
      const existingPartners = tableRows(partners).map((r) => r.cells);
      const ids = [...existingPartners.map((p) => String(p.partnerId ?? '')), ...tableRows(projects).map((r) => String(r.cells.projectId ?? ''))];
      const allocator = new IdAllocator(settings.counters, ids);
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
            column: '单位名称',
            rule: '唯一',
            message: T.partnerDuplicate(String(partner.name), String(same.partnerId)),
          });
      } else if (!project.partnerId) {
        problems.push({ sheet: projectsSheet.name, column: '合作单位编号', rule: '必填', message: T.partnerRequired });
      } else if (!existingPartners.some((p) => p.partnerId === project.partnerId)) {
        problems.push({ sheet: projectsSheet.name, column: '合作单位编号', rule: '引用', message: T.partnerMissing(String(project.partnerId)) });
      }
      // The partner ID is checked above; a placeholder lets the row rules judge everything else.
      const parsedProject = parseRow(projectsSheet, { ...project, partnerId: project.partnerId ?? 'P0000' }, settings);
      if (!parsedProject.ok) problems.push(...parsedProject.problems.filter((p) => !(request.partner && p.column === '合作单位编号')));
      if (problems.length) return { ok: false, problems, message: problems.map((p) => `${p.column ?? p.sheet}：${p.message}`).join('\n') };

      const stamp = schoolTimestamp(now);
      let partnerName = '';
      if (partner) {
        partner.partnerId = allocator.partner();
        appendRecord(partners, partner);
        project.partnerId = partner.partnerId;
        partnerName = String(partner.name ?? '');
      } else {
        partnerName = String(existingPartners.find((p) => p.partnerId === project.partnerId)?.name ?? '');
      }
      const projectId = allocator.project(dateParts(schoolDate(now)).year);
      appendRecord(projects, { ...(emptyRow(projectsSheet) as RawCells), ...project, projectId, partnerName, status: '草稿', updatedAt: stamp });
      saveCounters(settingsTable, allocator.counters);
      const message = [partner ? T.savedPartner(String(project.partnerId), partnerName) : '', T.saved(projectId)].filter(Boolean).join('\n');
      return { ok: true, projectId, partnerId: String(project.partnerId), message };
    },
    () => ({ ok: false, problems: [], message: UI_TEXT.busy }),
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
}

export interface SidebarTrail {
  projectId: string;
  title: string;
  status: string;
  events: TrailEvent[];
  /** Whether 审批记录's chain verifies against its anchor ('unavailable' is kept for a page showing an old answer). */
  chain: { state: 'ok' | 'broken' | 'unavailable'; message: string };
}

/** 审批轨迹 of the project on the selected row of 合作项目 (or the one named): its entries of 审批记录, oldest first. */
export function sidebarTrail(ss: Spreadsheet, projectId: string | null): SidebarTrail | { message: string } {
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
  // 审批记录 with its anchor from the script's properties: the trail says whether the chain it shows holds.
  const { rows, report } = verifyLog(ss);
  const log = rows.map((r) => r.cells);
  const chain = report.ok ? { state: 'ok' as const, message: T.chainOk } : { state: 'broken' as const, message: T.chainBroken(report.break?.message ?? '') };
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const events = log
    .filter((e) => e.projectId === id)
    .map((e) => ({
      time: text(e.time),
      action: text(e.action),
      body: text(e.body),
      actor: text(e.actor),
      fromStatus: text(e.fromStatus),
      toStatus: text(e.toStatus),
      remark: text(e.remark),
    }));
  return { projectId: id, title: text(cells.title), status: text(cells.status), events, chain };
}

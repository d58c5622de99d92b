/**
 * The approval workflow of 第十五条 as a pure state machine:
 * (project, settings, event, actor) → a patch and review-log entries, or a typed refusal.
 * Apps Script and the CLI both call it; no other place decides a transition.
 */
import { compareDates, dateParts, isCalendarDate, schoolDate, schoolTimestamp, type CalendarDate } from './dates.js';
import {
  BAD_INTEGRITY,
  PRACTICE_BASE_CATEGORY,
  REVIEW_DEPARTMENT_NAMES,
  STATUSES,
  type LogAction,
  type MeetingBody,
  type MeetingDecision,
  type ReviewDepartment,
  type Status,
} from './enums.js';
import { agreementNumberFor, type IdAllocator } from './ids.js';
import { WORKFLOW_TEXT as W } from './messages.js';
import { SIGN_TEXT, signedRemarkParts } from './log-text.js';
import { coerceRow, type Problem, type RawCells } from './rows.js';
import {
  columnOf,
  projectsSheet,
  reviewColumnFor,
  type reviewLogSheet,
  type CellsOf,
  type PartnerRow,
  type ProjectKey,
  type ProjectRow,
  type ReviewLogRow,
} from './schema.js';
import { isApprover, isOfficeStaff, requiredDepartments, type Settings } from './settings.js';

export type WorkflowEvent =
  | { type: 'submit'; problems: readonly Problem[]; partner: PartnerRow | null }
  | { type: 'tick'; department: ReviewDepartment; remark?: string }
  | { type: 'untick'; department: ReviewDepartment; remark?: string }
  | { type: 'return'; reason: string }
  /**
   * Content columns changed. `import`: by a department's file rather than in the registry, which may change content
   * only while the project is a draft — a file cannot tell reviewers what changed, so it never reopens a review.
   */
  | { type: 'contentEdited'; columns: readonly ProjectKey[]; source?: 'import' }
  | { type: 'meeting'; body: MeetingBody; decision: MeetingDecision; minutes: string }
  | {
      type: 'sign';
      date: CalendarDate;
      agreementNo?: string;
      /** The signing of a term that has already ended is recorded only when asked for explicitly. */
      allowExpired?: boolean;
      /** Agreement numbers already used in the registry, each with its project (filled by the op from the log). */
      agreementNosInUse?: Pick<ReadonlyMap<string, string>, 'get'>;
      /** When the log recorded the final approval (the signing cannot precede it). */
      approvedOn?: CalendarDate;
    }
  | { type: 'terminate'; reason: string }
  | { type: 'expire'; today: CalendarDate }
  /** An agreement signed before the system existed, registered by the office from its records (never a department form). */
  | { type: 'historical'; signedAt: CalendarDate; agreementNo: string; source: string };

export interface WorkflowContext {
  settings: Settings;
  /** E-mail of whoever acts; `系统` for the system itself. */
  actor: string;
  now: Date;
  /** The account that ran the program (OS user@host, or the Google session), recorded beside the actor. */
  operator?: string;
}

export type RefusalCode = 'STATE' | 'FORBIDDEN' | 'INVALID';

export type Transition =
  | { ok: true; patch: Partial<ProjectRow>; log: ReviewLogRow[] }
  /** A refusal may still carry log entries: a trespass is recorded even though nothing changes. */
  | { ok: false; code: RefusalCode; message: string; reasons: string[]; log: ReviewLogRow[] };

export const SYSTEM_ACTOR = '系统';

/** Which events each status accepts — the arrows of SPEC.md's diagram. */
const ALLOWED: Record<Status, readonly WorkflowEvent['type'][]> = {
  草稿: ['submit', 'contentEdited', 'historical'],
  待审查: ['tick', 'return', 'contentEdited'],
  审查中: ['tick', 'untick', 'return', 'contentEdited'],
  待审议: ['untick', 'return', 'contentEdited', 'meeting'],
  已批准: ['sign', 'terminate'],
  未批准: [],
  已生效: ['terminate', 'expire'],
  已到期: [],
  已终止: [],
};

/** Events the state allows, in words, for refusal messages. */
export function allowedActions(status: Status): string[] {
  return ALLOWED[status]
    .filter((t) => t !== 'expire' && t !== 'historical')
    .map((t) => W.actions[t === 'contentEdited' ? 'edit' : (t as Exclude<typeof t, 'expire' | 'historical' | 'contentEdited'>)]);
}

/** The status a reader should see: an agreement past its end date has expired, whatever was stored. */
export function effectiveStatus(project: Pick<CellsOf<typeof projectsSheet>, 'status' | 'endDate'>, today: CalendarDate): Status {
  const status = (project.status ?? '草稿') as Status;
  if (status === '已生效' && typeof project.endDate === 'string' && project.endDate && compareDates(project.endDate, today) < 0) return '已到期';
  return status;
}

/** 第九条: a 实践教学基地 project records both conditions (site, qualified instructors) as 是 before it is submitted. */
export function practiceConditionsMet(project: Pick<CellsOf<typeof projectsSheet>, 'category' | 'practiceSite' | 'qualifiedInstructors'>): boolean {
  return project.category !== PRACTICE_BASE_CATEGORY || (project.practiceSite === '是' && project.qualifiedInstructors === '是');
}

/**
 * What makes a row a new project, wherever it is started (menu, typed row, CLI, import): the next ID of the year of
 * application, 草稿, and the time. `year` is given only for an agreement signed before the system (its signing year).
 */
export function newProject(
  ids: IdAllocator,
  now: Date,
  year: number = dateParts(schoolDate(now)).year,
): { projectId: string; status: Status; updatedAt: string } {
  return { projectId: ids.project(year), status: '草稿', updatedAt: schoolTimestamp(now) };
}

export function ticked(project: ProjectRow): ReviewDepartment[] {
  return REVIEW_DEPARTMENT_NAMES.filter((d) => project[reviewColumnFor(d)] === true);
}

function clearedTicks(): Partial<ProjectRow> {
  const patch: Partial<Record<ProjectKey, unknown>> = { presidentMeeting: false, partyCommittee: false, presidentMinutes: null, partyMinutes: null };
  for (const d of REVIEW_DEPARTMENT_NAMES) patch[reviewColumnFor(d)] = false;
  return patch as Partial<ProjectRow>;
}

/**
 * One 审批记录 row: who did what to which project (or, for 诚信状况变更, which partner), when. Every log row the
 * system writes is built here, so whatever a row must carry (e.g. a chain hash) is added in one place.
 */
export function logEntry(
  ctx: Pick<WorkflowContext, 'actor' | 'now' | 'operator'>,
  subjectId: string,
  action: LogAction,
  body: string | null,
  from: Status | null,
  to: Status | null,
  remark: string | null = null,
): ReviewLogRow {
  return {
    time: schoolTimestamp(ctx.now),
    projectId: subjectId,
    body,
    actor: ctx.actor,
    action,
    fromStatus: from,
    toStatus: to,
    remark,
    operator: ctx.operator ?? null,
    // The chain and signature are sealed when the row is appended, over the row as written.
    signature: null,
    hash: null,
  };
}

/** 诚信状况变更 of a partner (第六条（一）): office staff only, with a reason; the change and its log row, or a refusal. */
export function integrityChange(
  partner: Pick<PartnerRow, 'partnerId' | 'name' | 'integrity'>,
  level: string,
  reason: string,
  ctx: WorkflowContext,
): { ok: true; log: ReviewLogRow } | { ok: false; message: string } {
  if (!isOfficeStaff(ctx.settings, ctx.actor)) return { ok: false, message: W.notOffice(ctx.actor, W.actions.integrity) };
  if (!reason.trim()) return { ok: false, message: W.integrityReasonRequired };
  if (partner.integrity === level) return { ok: false, message: W.integrityUnchanged(partner.partnerId ?? '', level) };
  return {
    ok: true,
    log: logEntry(ctx, partner.partnerId ?? '', '诚信状况变更', '合作交流处', null, null, W.remarks.integrity(partner.integrity ?? '', level, reason.trim())),
  };
}

export function transition(project: ProjectRow, event: WorkflowEvent, ctx: WorkflowContext): Transition {
  const projectId = project.projectId ?? '';
  // An invalid clock would stamp NaN into the append-only log: nothing is decided on it.
  if (Number.isNaN(ctx.now.getTime())) return { ok: false, code: 'INVALID', message: SIGN_TEXT.badClock, reasons: [], log: [] };
  const from = (project.status ?? '草稿') as Status;
  const stamp = schoolTimestamp(ctx.now);
  const entry = (action: LogAction, body: string | null, to: Status | null, remark: string | null = null): ReviewLogRow =>
    logEntry(ctx, projectId, action, body, from, to, remark);
  const ok = (patch: Partial<ProjectRow>, ...log: ReviewLogRow[]): Transition => ({
    ok: true,
    patch: { ...patch, updatedAt: stamp },
    log,
  });
  const refuse = (code: RefusalCode, message: string, reasons: string[] = [], ...log: ReviewLogRow[]): Transition => ({
    ok: false,
    code,
    message,
    reasons,
    log,
  });
  // A tick trespass names the column; any other names what was attempted.
  const trespass = (body: string, message: string, action?: string) =>
    refuse('FORBIDDEN', message, [], entry('越权尝试', body, from, action ? W.remarks.trespassAction(action) : W.remarks.trespass(body)));

  if (!ALLOWED[from].includes(event.type)) {
    if (event.type === 'contentEdited') return refuse('STATE', W.contentLocked(projectId, from));
    const action = W.actions[event.type === 'expire' ? 'terminate' : event.type];
    return refuse('STATE', W.notAllowed(projectId, from, action, allowedActions(from)));
  }

  switch (event.type) {
    case 'submit': {
      const reasons = event.problems.map((p) => `${p.sheet === projectsSheet.name ? '' : `${p.sheet}·`}${p.column ?? ''}：${p.message}`);
      if (!event.partner) reasons.push(W.partnerMissing(projectId, project.partnerId ?? ''));
      else if (event.partner.integrity === BAD_INTEGRITY) reasons.push(W.badIntegrity(projectId, event.partner.name ?? ''));
      if (!practiceConditionsMet(project)) {
        reasons.push(W.practiceConditions(columnOf(projectsSheet, 'practiceSite').header, columnOf(projectsSheet, 'qualifiedInstructors').header));
      }
      if (reasons.length) return refuse('INVALID', W.invalidForSubmit(projectId), reasons);
      return ok(
        { ...clearedTicks(), status: '待审查', applicant: ctx.actor, appliedAt: stamp.slice(0, 10), reviewRemarks: null },
        entry('提交', project.department, '待审查'),
      );
    }
    case 'tick':
    case 'untick': {
      const { department } = event;
      if (!isApprover(ctx.settings, department, ctx.actor)) return trespass(department, W.notApprover(ctx.actor, department));
      const required = requiredDepartments(ctx.settings, project.category);
      if (!required.includes(department)) return refuse('INVALID', W.departmentNotRequired(projectId, department, project.category ?? ''));
      const column = reviewColumnFor(department);
      const done = new Set(ticked(project).filter((d) => required.includes(d)));
      if (event.type === 'tick') {
        if (done.has(department)) return refuse('STATE', W.alreadyTicked(projectId, department));
        done.add(department);
        const to: Status = required.every((d) => done.has(d)) ? '待审议' : '审查中';
        return ok({ [column]: true, status: to } as Partial<ProjectRow>, entry('审查通过', department, to, event.remark ?? null));
      }
      if (!done.has(department)) return refuse('STATE', W.notTicked(projectId, department));
      if (project.presidentMeeting) return refuse('STATE', W.notAllowed(projectId, from, W.actions.untick, allowedActions(from)));
      done.delete(department);
      const to: Status = done.size ? '审查中' : '待审查';
      return ok({ [column]: false, status: to } as Partial<ProjectRow>, entry('撤销审查', department, to, event.remark ?? null));
    }
    case 'return': {
      const reason = event.reason.trim();
      if (!reason) return refuse('INVALID', W.reasonRequired);
      const reviewer = REVIEW_DEPARTMENT_NAMES.find((d) => isApprover(ctx.settings, d, ctx.actor));
      const body = isOfficeStaff(ctx.settings, ctx.actor) ? '合作交流处' : reviewer;
      if (!body) return trespass('合作交流处', W.notOffice(ctx.actor, W.actions.return), W.actions.return);
      return ok({ ...clearedTicks(), status: '草稿', reviewRemarks: reason }, entry('退回', body, '草稿', W.remarks.returned(reason)));
    }
    case 'contentEdited': {
      if (from === '草稿' || event.columns.length === 0) return { ok: true, patch: {}, log: [] };
      if (event.source === 'import') return refuse('STATE', W.contentLocked(projectId, from));
      const headers = event.columns.map((k) => columnOf(projectsSheet, k).header);
      return ok({ ...clearedTicks(), status: '待审查' }, entry('内容变更重审', null, '待审查', W.remarks.contentChanged(headers)));
    }
    case 'meeting': {
      if (!isOfficeStaff(ctx.settings, ctx.actor)) return trespass(event.body, W.notOffice(ctx.actor, W.actions.meeting), W.actions.meeting);
      const minutes = event.minutes.trim();
      if (!minutes) return refuse('INVALID', W.minutesRequired);
      const president = event.body === '校长办公会';
      if (president ? project.presidentMeeting : project.partyCommittee) return refuse('STATE', W.meetingRepeated(projectId, event.body));
      if (!president && !project.presidentMeeting) return refuse('STATE', W.meetingOrder(projectId));
      const passed = event.decision === '通过';
      const to: Status = !passed ? '未批准' : president ? '待审议' : '已批准';
      const patch: Partial<ProjectRow> = president
        ? { presidentMeeting: passed, presidentMinutes: minutes, status: to }
        : { partyCommittee: passed, partyMinutes: minutes, status: to };
      return ok(patch, entry(passed ? '会议通过' : '会议未通过', event.body, to, W.remarks.meeting(event.body, event.decision, minutes)));
    }
    case 'sign': {
      if (!isOfficeStaff(ctx.settings, ctx.actor)) return trespass('合作交流处', W.notOffice(ctx.actor, W.actions.sign), W.actions.sign);
      if (!isCalendarDate(event.date)) return refuse('INVALID', W.signDateRequired);
      const today = schoolDate(ctx.now);
      const reasons: string[] = [];
      if (compareDates(event.date, today) > 0) reasons.push(SIGN_TEXT.future(event.date, today));
      if (event.approvedOn && compareDates(event.date, event.approvedOn) < 0) reasons.push(SIGN_TEXT.beforeApproval(event.date, event.approvedOn));
      const ended = !!project.endDate && compareDates(project.endDate, event.date) < 0;
      if (ended && !event.allowExpired) reasons.push(SIGN_TEXT.afterEnd(event.date, project.endDate!));
      const agreementNo = event.agreementNo?.trim() || project.agreementNo || agreementNumberFor(ctx.settings, projectId);
      const holder = event.agreementNosInUse?.get(agreementNo);
      if (holder && holder !== projectId) reasons.push(SIGN_TEXT.numberTaken(agreementNo, holder));
      if (reasons.length) return refuse('INVALID', SIGN_TEXT.refused(projectId), reasons);
      const remark = W.remarks.signed(agreementNo, event.date) + (ended ? SIGN_TEXT.expiredNote(project.endDate!) : '');
      return ok({ status: '已生效', signedAt: event.date, agreementNo }, entry('签署', '合作交流处', '已生效', remark));
    }
    case 'historical': {
      if (!isOfficeStaff(ctx.settings, ctx.actor)) return trespass('合作交流处', W.notOffice(ctx.actor, W.actions.historical), W.actions.historical);
      if (!isCalendarDate(event.signedAt)) return refuse('INVALID', W.signDateRequired);
      const agreementNo = event.agreementNo.trim();
      if (!agreementNo) return refuse('INVALID', W.agreementNoRequired);
      return ok(
        { status: '已生效', signedAt: event.signedAt, agreementNo },
        entry('历史登记', '合作交流处', '已生效', W.remarks.historical(agreementNo, event.signedAt, event.source)),
      );
    }
    case 'terminate': {
      if (!isOfficeStaff(ctx.settings, ctx.actor)) return trespass('合作交流处', W.notOffice(ctx.actor, W.actions.terminate), W.actions.terminate);
      const reason = event.reason.trim();
      if (!reason) return refuse('INVALID', W.reasonRequired);
      return ok({ status: '已终止' }, entry('终止', '合作交流处', '已终止', reason));
    }
    case 'expire': {
      if (effectiveStatus(project, event.today) !== '已到期') return { ok: true, patch: {}, log: [] };
      // Expiry is derived from the end date, not decided by anyone: SPEC.md's log has no action for it.
      return ok({ status: '已到期' });
    }
  }
}

/** What 审批记录 vouches for about one project: its status, review ticks and meeting approvals. */
export interface LoggedState {
  /** The new status of the latest entry; 草稿 for a project the log has never seen. */
  status: Status;
  reviews: Set<ReviewDepartment>;
  presidentMeeting: boolean;
  partyCommittee: boolean;
  /** The signing the log records (签署), if any. */
  signedAt?: string | null;
  agreementNo?: string | null;
  /** The school date of the final approval (党委会 会议通过). */
  approvedOn?: string | null;
}

/** The cells of a 审批记录 row the replay reads: raw rows of any adapter, or rows the workflow just built. */
type LogFields = Pick<CellsOf<typeof reviewLogSheet>, 'projectId' | 'action' | 'body' | 'toStatus' | 'remark' | 'time'>;

/**
 * Replays 审批记录 per project. A department counts as ticked only while its latest 审查通过 has not been
 * undone, returned, or reset by a content change or a new submission; a meeting counts only once logged as passed.
 */
export function loggedStates(log: readonly LogFields[], byProject: Map<string, LoggedState> = new Map()): Map<string, LoggedState> {
  // `byProject` may carry states replayed earlier (a cache), so rows appended since are applied on top.
  for (const e of log) {
    const projectId = String(e.projectId ?? '');
    let state = byProject.get(projectId);
    if (!state) byProject.set(projectId, (state = { status: '草稿', reviews: new Set(), presidentMeeting: false, partyCommittee: false }));
    if (e.action === '审查通过') state.reviews.add(e.body as ReviewDepartment);
    else if (e.action === '撤销审查') state.reviews.delete(e.body as ReviewDepartment);
    else if (e.action === '退回' || e.action === '内容变更重审' || e.action === '提交') {
      state.reviews.clear();
      state.presidentMeeting = state.partyCommittee = false;
    } else if (e.action === '会议通过') {
      if (e.body === '校长办公会') state.presidentMeeting = true;
      if (e.body === '党委会') {
        state.partyCommittee = true;
        state.approvedOn = typeof e.time === 'string' ? e.time.slice(0, 10) : null;
      }
    } else if (e.action === '签署' || e.action === '历史登记') {
      const parts = signedRemarkParts(typeof e.remark === 'string' ? e.remark : null);
      state.signedAt = parts?.date ?? null;
      state.agreementNo = parts?.agreementNo ?? null;
    }
    // A trespass changes nothing: its row records the status as it was, and no such row may set one.
    if (e.action !== '越权尝试' && typeof e.toStatus === 'string' && (STATUSES as readonly string[]).includes(e.toStatus)) state.status = e.toStatus as Status;
  }
  return byProject;
}

/** A deep copy (a Set per project): what loggedStatesOf hands out, so nothing a caller does reaches its memo. */
export function copyLoggedStates(states: ReadonlyMap<string, LoggedState>): Map<string, LoggedState> {
  const out = new Map<string, LoggedState>();
  for (const [id, state] of states) out.set(id, { ...state, reviews: new Set(state.reviews) });
  return out;
}

/** The review ticks the log vouches for, per project (see loggedStates). */
export function loggedReviews(log: readonly LogFields[]): Map<string, Set<ReviewDepartment>> {
  return new Map([...loggedStates(log)].map(([id, state]) => [id, state.reviews]));
}

/**
 * The project as the state machine must see it: its cells read leniently, but status, review ticks and
 * meeting approvals only as 审批记录 vouches for them, and expiry derived from the end date — so a tick or
 * status typed by hand into the workbook can never move a project forward.
 */
export function workflowProject(cells: RawCells, logged: LoggedState | undefined, today: CalendarDate): ProjectRow {
  const project = coerceRow(projectsSheet, cells);
  const state = logged ?? { status: '草稿' as Status, reviews: new Set<ReviewDepartment>(), presidentMeeting: false, partyCommittee: false };
  for (const d of REVIEW_DEPARTMENT_NAMES) (project as Record<string, unknown>)[reviewColumnFor(d)] = state.reviews.has(d);
  project.presidentMeeting = state.presidentMeeting;
  project.partyCommittee = state.partyCommittee;
  project.status = effectiveStatus({ status: state.status, endDate: project.endDate }, today);
  return project;
}

export function emptyLoggedState(): LoggedState {
  return { status: '草稿', reviews: new Set(), presidentMeeting: false, partyCommittee: false };
}

/** Project cells the log decides, with the value the log gives each (signing cells only once the log records a signing). */
export function loggedCells(state: LoggedState | undefined, endDate: unknown, today: CalendarDate): Record<string, string | boolean | null> {
  const s = state ?? emptyLoggedState();
  const cells: Record<string, string | boolean | null> = {
    status: effectiveStatus({ status: s.status, endDate: typeof endDate === 'string' ? endDate : null }, today),
    presidentMeeting: s.presidentMeeting,
    partyCommittee: s.partyCommittee,
  };
  for (const d of REVIEW_DEPARTMENT_NAMES) cells[reviewColumnFor(d)] = s.reviews.has(d);
  if (s.signedAt) cells.signedAt = s.signedAt;
  if (s.agreementNo) cells.agreementNo = s.agreementNo;
  return cells;
}

/**
 * A project's signing date as 审批记录 records it: none when the log records no signing, whatever is typed; the
 * typed date only beside a logged signing whose remark names no date (rows written before remarks carried one).
 */
export function loggedSigningDate(state: LoggedState | undefined, typed: unknown): string | null {
  if (state?.signedAt) return state.signedAt;
  return state?.signedAt === null && typeof typed === 'string' && typed ? typed : null;
}

/**
 * Whether a typed cell shows what 审批记录 gives it (see loggedCells). A blank cell agrees, except a blank 状态 beside
 * a logged status other than 草稿: a tick or meeting left blank is unticked, a signing cell left blank only missing.
 */
export function cellAgreesWithLog(key: string, typed: unknown, logged: string | boolean | null): boolean {
  if (typed === null || typed === undefined || typed === '') return typeof logged !== 'string' || key !== 'status' || logged === '草稿';
  return typeof logged === 'boolean' ? (typed === true || typed === 'TRUE') === logged : String(typed).trim() === logged;
}

/** Every agreement number in use and the projects holding it: by the log, and by the rows (written by agreement generation). */
export interface AgreementHolders {
  logged: Map<string, string[]>;
  rows: Map<string, string[]>;
}

/** One pass over the log's states and the rows: a batch of signings checks each against it instead of scanning per project. */
export function agreementHolders(logged: ReadonlyMap<string, LoggedState>, projects: Iterable<RawCells>): AgreementHolders {
  const holders: AgreementHolders = { logged: new Map(), rows: new Map() };
  const add = (map: Map<string, string[]>, no: string, id: string) => (map.get(no) ?? map.set(no, []).get(no)!).push(id);
  for (const [id, state] of logged) if (state.agreementNo) add(holders.logged, state.agreementNo, id);
  for (const cells of projects) {
    const no = String(cells.agreementNo ?? '').trim();
    if (no) add(holders.rows, no, String(cells.projectId ?? '').trim());
  }
  return holders;
}

/** What a signing must be checked against: agreement numbers other projects use (logged or written by agreement generation), and the approval date. */
export function signingFacts(
  logged: ReadonlyMap<string, LoggedState>,
  projects: Iterable<RawCells>,
  projectId: string,
  holders: AgreementHolders = agreementHolders(logged, projects),
): { agreementNosInUse: Pick<ReadonlyMap<string, string>, 'get'>; approvedOn?: CalendarDate } {
  // The log's last other holder, else the rows' first (what one pass setting the log's and then filling in the rows' gave).
  const other = (ids: string[] | undefined) => ids?.filter((id) => id !== projectId);
  const inUse = { get: (no: string) => other(holders.logged.get(no))?.at(-1) ?? other(holders.rows.get(no))?.[0] };
  const approvedOn = logged.get(projectId)?.approvedOn;
  return { agreementNosInUse: inUse, ...(approvedOn ? { approvedOn } : {}) };
}

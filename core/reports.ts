/** Figures the office asks for: counts by status, category and department, reviews waiting, evaluations owed. */
import { addDays, compareDates, dateParts, daysBetween, isCalendarDate, type CalendarDate } from './dates.js';
import { projectYear } from './ids.js';
import { naturalKeyOf } from './rows.js';
import { evaluationsSheet } from './schema.js';
import { CATEGORIES, REVIEW_DEPARTMENT_NAMES, STATUSES, type ReviewDepartment, type Status } from './enums.js';
import type { RegistryData } from './registry.js';
import type { RawCells } from './rows.js';
import { requiredDepartments, type Settings } from './settings.js';
import { loggedStatesOf, loggedStatus } from './derive.js';
import { loggedSigningDate, type LoggedState } from './workflow.js';
import { cellString as text } from './cell-text.js';

export interface OwedEvaluation {
  projectId: string;
  title: string;
  department: string;
  year: number;
}

export interface StatusSummary {
  total: number;
  byStatus: Record<Status, number>;
  byCategory: Record<string, number>;
  byDepartment: Record<string, number>;
  /** Projects in review that still wait on each department. */
  waitingOn: Record<ReviewDepartment, string[]>;
  /** Evaluations of past years never filed (第十六条: due by 12月31日). */
  overdueEvaluations: OwedEvaluation[];
  /** This year's evaluations, chased from the reminder date in 设置 on. */
  dueEvaluations: OwedEvaluation[];
  /** Category → status → count; the categories of CATEGORIES first, then any others found. */
  byCategoryStatus: Record<string, Record<Status, number>>;
  /** Application year (from the project ID) → projects and planned money, years ascending. */
  byYear: YearFigures[];
  /** Planned income and expense of all projects, in yuan. */
  totals: { income: number; expense: number };
  /** Days the oldest project waiting on each department has waited since submission (0 when none waits). */
  oldestWaitingDays: Record<ReviewDepartment, number>;
  /** Agreements in force ending within the lead time of 设置. */
  expiring: ExpiringAgreement[];
}

export interface YearFigures {
  year: string;
  projects: number;
  income: number;
  expense: number;
}

export interface ExpiringAgreement {
  projectId: string;
  title: string;
  endDate: string;
}

/** A project in review and the departments whose review it still waits for. */
export interface ReviewWait {
  projectId: string;
  title: string;
  department: string;
  category: string;
  appliedAt: string;
  /** Whole days since submission; 0 when the submission date is unknown. */
  days: number;
  waitingOn: ReviewDepartment[];
}

/** A project waiting on the office: a meeting decision (待审议) or the signing (已批准). */
export interface OfficeWait {
  projectId: string;
  title: string;
  department: string;
  status: Status;
  /** What the office does next: the meeting body still to decide, or 签署. */
  next: string;
  /** Whole days since the project last changed (更新时间, which every workflow step sets). */
  days: number;
}

/** The label of a year whose project ID carries none (a row without an ID yet). */
export const UNKNOWN_YEAR = '（未知）';
const UNFILLED = '（未填）';

export const IN_FORCE: readonly Status[] = ['已生效', '已到期', '已终止'];

/** Years a signed project was in effect, from its start to its end (or today), by calendar year. */
function yearsInEffect(start: CalendarDate, end: CalendarDate, today: CalendarDate): number[] {
  const last = Math.min(dateParts(end).year, dateParts(today).year);
  const years: number[] = [];
  for (let y = dateParts(start).year; y <= last; y++) years.push(y);
  return years;
}

export function evaluationsOwed(data: RegistryData, settings: Settings, today: CalendarDate): { overdue: OwedEvaluation[]; due: OwedEvaluation[] } {
  const logged = loggedStatesOf(data);
  const statusOf = loggedStatus(data, today, logged);
  // Filed means an evaluation with the project's and year's natural key (one per project per year: core/schema.ts).
  const filed = new Set(data.evaluations.map((r) => naturalKeyOf(evaluationsSheet, r.cells)));
  const thisYear = dateParts(today).year;
  const chaseFrom = `${thisYear}-${settings.reminders.evaluationDueFrom}`;
  const overdue: OwedEvaluation[] = [];
  const due: OwedEvaluation[] = [];
  for (const { cells } of data.projects) {
    const status = statusOf(cells);
    // A project owes evaluations from the later of its start and its signing: before signing it was not in effect.
    const signed = loggedSigningDate(logged.get(text(cells.projectId).trim()), cells.signedAt) ?? '';
    const start = signed && compareDates(signed, text(cells.startDate)) > 0 ? signed : text(cells.startDate);
    const end = text(cells.endDate);
    if (!IN_FORCE.includes(status) || !start || !end || compareDates(start, today) > 0) continue;
    for (const year of yearsInEffect(start, end, today)) {
      if (filed.has(naturalKeyOf(evaluationsSheet, { projectId: cells.projectId ?? null, year }))) continue;
      const owed = { projectId: text(cells.projectId), title: text(cells.title), department: text(cells.department), year };
      if (year < thisYear) overdue.push(owed);
      else if (compareDates(today, chaseFrom) >= 0) due.push(owed);
    }
  }
  return { overdue, due };
}

const money = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
// Sums in fen, so adding many two-decimal amounts never drifts by a floating-point cent.
const addYuan = (a: number, b: number) => Math.round(a * 100 + b * 100) / 100;

/**
 * Projects in review, each with the departments still to review it, oldest submission first.
 * A department has reviewed only when 审批记录 says so; a tick typed by hand still leaves it waiting.
 */
export function reviewQueue(
  data: RegistryData,
  settings: Settings,
  today: CalendarDate,
  /** Who has reviewed what; the shared sheet passes its ticks, which only its edit trigger and approvers write. */
  reviewed: ReadonlyMap<string, ReadonlySet<ReviewDepartment>> = new Map([...loggedStatesOf(data)].map(([id, state]) => [id, state.reviews])),
  /** Each project's status; from the verified log unless the caller (the sidebar, within its call budget) says otherwise. */
  statusOf: (cells: RawCells) => Status = loggedStatus(data, today),
): ReviewWait[] {
  const out: ReviewWait[] = [];
  for (const { cells } of data.projects) {
    const status = statusOf(cells);
    if (status !== '待审查' && status !== '审查中') continue;
    const projectId = text(cells.projectId);
    const waitingOn = requiredDepartments(settings, text(cells.category) || null).filter((d) => !reviewed.get(projectId)?.has(d));
    if (!waitingOn.length) continue;
    const appliedAt = text(cells.appliedAt);
    const days = isCalendarDate(appliedAt) && compareDates(appliedAt, today) <= 0 ? daysBetween(appliedAt, today) : 0;
    out.push({ projectId, title: text(cells.title), department: text(cells.department), category: text(cells.category), appliedAt, days, waitingOn });
  }
  return out.sort((a, b) => b.days - a.days || a.projectId.localeCompare(b.projectId));
}

/** Projects waiting on the office for a meeting decision or the signing, longest waiting first. */
export function officeQueue(data: RegistryData, today: CalendarDate, logged: ReadonlyMap<string, LoggedState> = loggedStatesOf(data)): OfficeWait[] {
  const statusOf = loggedStatus(data, today, logged);
  const out: OfficeWait[] = [];
  for (const { cells } of data.projects) {
    const status = statusOf(cells);
    if (status !== '待审议' && status !== '已批准') continue;
    // Which meeting comes next is the log's word too, never the meeting tick typed into the row.
    const next = status === '已批准' ? '签署' : logged.get(text(cells.projectId).trim())?.presidentMeeting ? '党委会' : '校长办公会';
    const since = text(cells.updatedAt).slice(0, 10);
    const days = isCalendarDate(since) && compareDates(since, today) <= 0 ? daysBetween(since, today) : 0;
    out.push({ projectId: text(cells.projectId), title: text(cells.title), department: text(cells.department), status, next, days });
  }
  return out.sort((a, b) => b.days - a.days || a.projectId.localeCompare(b.projectId));
}

export function summarize(data: RegistryData, settings: Settings, today: CalendarDate): StatusSummary {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const byCategory: Record<string, number> = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
  const byDepartment: Record<string, number> = Object.fromEntries(settings.departments.map((d) => [d, 0]));
  const noStatus = () => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const byCategoryStatus: Record<string, Record<Status, number>> = Object.fromEntries(CATEGORIES.map((c) => [c, noStatus()]));
  const years = new Map<string, YearFigures>();
  const totals = { income: 0, expense: 0 };
  const statusOf = loggedStatus(data, today);
  for (const { cells } of data.projects) {
    // The status 审批记录 records (verified rows only), never the one typed into the cell.
    const status = statusOf(cells);
    byStatus[status] += 1;
    const category = text(cells.category) || UNFILLED;
    byCategory[category] = (byCategory[category] ?? 0) + 1;
    (byCategoryStatus[category] ??= noStatus())[status] += 1;
    const department = text(cells.department) || UNFILLED;
    byDepartment[department] = (byDepartment[department] ?? 0) + 1;
    const year = String(projectYear(text(cells.projectId)) ?? UNKNOWN_YEAR);
    const y = years.get(year) ?? { year, projects: 0, income: 0, expense: 0 };
    years.set(year, { year, projects: y.projects + 1, income: addYuan(y.income, money(cells.income)), expense: addYuan(y.expense, money(cells.expense)) });
    totals.income = addYuan(totals.income, money(cells.income));
    totals.expense = addYuan(totals.expense, money(cells.expense));
  }
  const waitingOn = Object.fromEntries(REVIEW_DEPARTMENT_NAMES.map((d) => [d, [] as string[]])) as Record<ReviewDepartment, string[]>;
  const oldestWaitingDays = Object.fromEntries(REVIEW_DEPARTMENT_NAMES.map((d) => [d, 0])) as Record<ReviewDepartment, number>;
  for (const wait of reviewQueue(data, settings, today)) {
    for (const d of wait.waitingOn) {
      waitingOn[d].push(wait.projectId);
      oldestWaitingDays[d] = Math.max(oldestWaitingDays[d], wait.days);
    }
  }
  // The ID order the office reads everywhere else, not the queue's oldest-first order.
  for (const ids of Object.values(waitingOn)) ids.sort();
  const { overdue, due } = evaluationsOwed(data, settings, today);
  return {
    total: data.projects.length,
    byStatus,
    byCategory,
    byDepartment,
    waitingOn,
    overdueEvaluations: overdue,
    dueEvaluations: due,
    byCategoryStatus,
    byYear: [...years.values()].sort((a, b) => a.year.localeCompare(b.year)),
    totals,
    oldestWaitingDays,
    expiring: expiringSoon(data, settings, today),
  };
}

/** Agreements in force that end within the lead time of 设置. */
export function expiringSoon(data: RegistryData, settings: Settings, today: CalendarDate): ExpiringAgreement[] {
  const statusOf = loggedStatus(data, today);
  const horizon = addDays(today, settings.reminders.expiryLeadDays);
  return data.projects
    .filter(({ cells }) => statusOf(cells) === '已生效' && text(cells.endDate) && compareDates(text(cells.endDate), horizon) <= 0)
    .map(({ cells }) => ({ projectId: text(cells.projectId), title: text(cells.title), endDate: text(cells.endDate) }));
}

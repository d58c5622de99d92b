/** Figures the office asks for: counts by status, category and department, reviews waiting, evaluations owed. */
import { addDays, compareDates, dateParts, type CalendarDate } from './dates.js';
import { CATEGORIES, REVIEW_DEPARTMENT_NAMES, STATUSES, type ReviewDepartment, type Status } from './enums.js';
import type { RegistryData } from './registry.js';
import { requiredDepartments, type Settings } from './settings.js';
import { effectiveStatus } from './workflow.js';
import { loggedStatesOf } from './derive.js';

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
}

const IN_FORCE: readonly Status[] = ['已生效', '已到期', '已终止'];

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** Years a signed project was in effect, from its start to its end (or today), by calendar year. */
function yearsInEffect(start: CalendarDate, end: CalendarDate, today: CalendarDate): number[] {
  const last = Math.min(dateParts(end).year, dateParts(today).year);
  const years: number[] = [];
  for (let y = dateParts(start).year; y <= last; y++) years.push(y);
  return years;
}

export function evaluationsOwed(data: RegistryData, settings: Settings, today: CalendarDate): { overdue: OwedEvaluation[]; due: OwedEvaluation[] } {
  const filed = new Set(data.evaluations.map((r) => `${text(r.cells.projectId)}|${text(r.cells.year)}`));
  const thisYear = dateParts(today).year;
  const chaseFrom = `${thisYear}-${settings.reminders.evaluationDueFrom}`;
  const overdue: OwedEvaluation[] = [];
  const due: OwedEvaluation[] = [];
  for (const { cells } of data.projects) {
    const status = effectiveStatus(cells as never, today);
    // A project owes evaluations from the later of its start and its signing: before signing it was not in effect.
    const signed = text(cells.signedAt);
    const start = signed && compareDates(signed, text(cells.startDate)) > 0 ? signed : text(cells.startDate);
    const end = text(cells.endDate);
    if (!IN_FORCE.includes(status) || !start || !end || compareDates(start, today) > 0) continue;
    for (const year of yearsInEffect(start, end, today)) {
      if (filed.has(`${text(cells.projectId)}|${year}`)) continue;
      const owed = { projectId: text(cells.projectId), title: text(cells.title), department: text(cells.department), year };
      if (year < thisYear) overdue.push(owed);
      else if (compareDates(today, chaseFrom) >= 0) due.push(owed);
    }
  }
  return { overdue, due };
}

export function summarize(data: RegistryData, settings: Settings, today: CalendarDate): StatusSummary {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const byCategory: Record<string, number> = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
  const byDepartment: Record<string, number> = Object.fromEntries(settings.departments.map((d) => [d, 0]));
  const waitingOn = Object.fromEntries(REVIEW_DEPARTMENT_NAMES.map((d) => [d, [] as string[]])) as Record<ReviewDepartment, string[]>;
  // A department has reviewed only when 审批记录 says so; a tick typed by hand still leaves it waiting.
  const logged = loggedStatesOf(data);
  const reviewed = new Map([...logged].map(([id, state]) => [id, state.reviews]));
  for (const { cells } of data.projects) {
    // The status 审批记录 records (verified rows only), never the one typed into the cell.
    const status = effectiveStatus({ status: logged.get(text(cells.projectId))?.status ?? '草稿', endDate: (cells.endDate as string | null) ?? null }, today);
    byStatus[status] += 1;
    const category = text(cells.category) || '（未填）';
    byCategory[category] = (byCategory[category] ?? 0) + 1;
    const department = text(cells.department) || '（未填）';
    byDepartment[department] = (byDepartment[department] ?? 0) + 1;
    if (status === '待审查' || status === '审查中') {
      for (const d of requiredDepartments(settings, text(cells.category) || null)) {
        if (!reviewed.get(text(cells.projectId))?.has(d)) waitingOn[d].push(text(cells.projectId));
      }
    }
  }
  const { overdue, due } = evaluationsOwed(data, settings, today);
  return { total: data.projects.length, byStatus, byCategory, byDepartment, waitingOn, overdueEvaluations: overdue, dueEvaluations: due };
}

/** Agreements in force that end within the lead time of 设置. */
export function expiringSoon(data: RegistryData, settings: Settings, today: CalendarDate): { projectId: string; title: string; endDate: string }[] {
  const horizon = addDays(today, settings.reminders.expiryLeadDays);
  return data.projects
    .filter(({ cells }) => effectiveStatus(cells as never, today) === '已生效' && text(cells.endDate) && compareDates(text(cells.endDate), horizon) <= 0)
    .map(({ cells }) => ({ projectId: text(cells.projectId), title: text(cells.title), endDate: text(cells.endDate) }));
}

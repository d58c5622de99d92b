/**
 * What printed documents say about one project's approval, read from 审批记录 alone: each required department's
 * review with reviewer and date (or 不涉及), meeting decisions with minute numbers, and the signing.
 */
import { compareDates, type CalendarDate } from './dates.js';
import { MEETING_BODIES, REVIEW_DEPARTMENT_NAMES, type MeetingBody, type ReviewDepartment } from './enums.js';
import type { CellsOf, ReviewLogRow, reviewLogSheet } from './schema.js';
import { requiredDepartments, type Settings } from './settings.js';

export type ReviewMark = '✓' | '不涉及' | '—';

export interface DepartmentReview {
  department: ReviewDepartment;
  mark: ReviewMark;
  reviewer: string;
  /** Calendar date of the review, YYYY-MM-DD, or '' while pending / not required. */
  date: string;
  remark: string;
}

export interface MeetingDecisionRecord {
  body: MeetingBody;
  decision: '通过' | '未通过' | '';
  minutes: string;
  date: string;
  actor: string;
}

export interface ProjectTrail {
  reviews: DepartmentReview[];
  meetings: MeetingDecisionRecord[];
  /** The latest submission: who and when. */
  submitted: { actor: string; date: string } | null;
  signed: { date: string; actor: string; remark: string } | null;
  /** Reasons of returns since the latest submission and before it, oldest first. */
  returns: { date: string; actor: string; body: string; remark: string }[];
}

type TrailKey = 'time' | 'projectId' | 'body' | 'actor' | 'action' | 'remark';
type TrailEntry = Pick<ReviewLogRow, TrailKey>;

/** A log row's cells as read (any adapter's raw cells, or typed rows) as the text the trail prints. */
function trailEntry(cells: Pick<CellsOf<typeof reviewLogSheet>, TrailKey>): TrailEntry {
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    time: str(cells.time),
    projectId: str(cells.projectId),
    body: str(cells.body),
    actor: str(cells.actor),
    action: str(cells.action),
    remark: str(cells.remark),
  };
}

const dateOf = (time: string | null) => (time ?? '').slice(0, 10);
const MINUTES = /纪要号\s*(.+)$/;

/**
 * Replays the log for one project with the same resets as workflow's loggedStates (a return, a content change or a
 * new submission clears reviews and meetings), but keeps who acted and when, for print.
 */
export function projectTrail(
  log: readonly Pick<CellsOf<typeof reviewLogSheet>, TrailKey>[],
  projectId: string,
  category: string | null,
  settings: Settings,
): ProjectTrail {
  const reviews = new Map<ReviewDepartment, TrailEntry>();
  const meetings = new Map<MeetingBody, TrailEntry>();
  let submitted: TrailEntry | null = null;
  let signed: TrailEntry | null = null;
  const returns: ProjectTrail['returns'] = [];
  for (const cells of log) {
    if (cells.projectId !== projectId) continue;
    const e = trailEntry(cells);
    switch (e.action) {
      case '审查通过':
        reviews.set(e.body as ReviewDepartment, e);
        break;
      case '撤销审查':
        reviews.delete(e.body as ReviewDepartment);
        break;
      case '退回':
      case '内容变更重审':
      case '提交':
        reviews.clear();
        meetings.clear();
        if (e.action === '提交') submitted = e;
        if (e.action === '退回') returns.push({ date: dateOf(e.time), actor: e.actor ?? '', body: e.body ?? '', remark: e.remark ?? '' });
        break;
      case '会议通过':
      case '会议未通过':
        if ((MEETING_BODIES as readonly string[]).includes(e.body ?? '')) meetings.set(e.body as MeetingBody, e);
        break;
      case '签署':
      case '历史登记':
        signed = e;
        break;
    }
  }
  const required = new Set(requiredDepartments(settings, category));
  return {
    reviews: REVIEW_DEPARTMENT_NAMES.map((department) => {
      const e = reviews.get(department);
      if (e) return { department, mark: '✓', reviewer: e.actor ?? '', date: dateOf(e.time), remark: e.remark ?? '' };
      return { department, mark: required.has(department) ? '—' : '不涉及', reviewer: '', date: '', remark: '' };
    }),
    meetings: MEETING_BODIES.map((body) => {
      const e = meetings.get(body);
      if (!e) return { body, decision: '', minutes: '', date: '', actor: '' };
      return {
        body,
        decision: e.action === '会议通过' ? '通过' : '未通过',
        minutes: MINUTES.exec(e.remark ?? '')?.[1]?.trim() ?? '',
        date: dateOf(e.time),
        actor: e.actor ?? '',
      };
    }),
    submitted: submitted ? { actor: submitted.actor ?? '', date: dateOf(submitted.time) } : null,
    signed: signed ? { date: dateOf(signed.time), actor: signed.actor ?? '', remark: signed.remark ?? '' } : null,
    returns,
  };
}

/** Whether a project's term [start, end] overlaps a calendar year: what "the projects of 2025" means to the office. */
export function termOverlapsYear(start: CalendarDate | null, end: CalendarDate | null, year: number): boolean {
  if (!start || !end) return false;
  return compareDates(start, `${year}-12-31`) <= 0 && compareDates(end, `${year}-01-01`) >= 0;
}

/**
 * 续签: a draft that renews an agreement about to lapse — partner, category, content and leader copied, the new
 * term proposed from the old one, linked by 前序项目 — and the chain of renewals the archive shows.
 */
import { addDays, calendarDate, compareDates, dateParts, daysBetween, daysInMonth, isCalendarDate, type CalendarDate } from './dates.js';
import type { RegistryData } from './registry.js';
import type { RawCells } from './rows.js';
import { emptyRow, projectsSheet } from './schema.js';
import { loggedStatus } from './derive.js';
import { cellText as text } from './cell-text.js';

/** Columns a renewal carries over; everything else (reviews, meetings, signing) starts afresh. */
const COPIED = [
  'title',
  'department',
  'partnerId',
  'partnerName',
  'category',
  'content',
  'ipOwnership',
  'income',
  'expense',
  'leader',
  'practiceSite',
  'qualifiedInstructors',
] as const;

export const RENEWABLE_STATUSES = ['已生效', '已到期'] as const;

export const RENEWAL_TEXT = {
  notFound: (id: string) => `项目 ${id} 不存在`,
  notRenewable: (id: string, status: string) => `项目 ${id} 当前状态为「${status}」，只有「已生效」或「已到期」的项目可以续签`,
  alreadyRenewed: (id: string, next: string, status: string) =>
    `项目 ${id} 已续签为 ${next}（状态「${status}」），不再重复创建；如需重新续签，请先终止或退回 ${next}`,
  renewed: (id: string, next: string, start: string, end: string) => `已为 ${id} 创建续签项目 ${next}（草稿），建议期限 ${start} 至 ${end}，前序项目 ${id}`,
  chainLabel: '续签链',
  noChains: '（无）',
  titleMark: '（续签）',
} as const;

function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = dateParts(date);
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return calendarDate(y, m, Math.min(day, daysInMonth(y, m)));
}

/**
 * The new term: from the day after the old end, as long as the old term — in whole months when the old term was
 * whole months (2024-01-01…2026-12-31 → 2027-01-01…2029-12-31), else in days.
 */
export function proposedTerm(start: string | null, end: string | null, today: CalendarDate): { startDate: CalendarDate; endDate: CalendarDate } {
  const oldEnd = end && isCalendarDate(end) ? end : today;
  const newStart = addDays(compareDates(oldEnd, today) >= 0 ? oldEnd : addDays(today, -1), 1);
  const oldStart = start && isCalendarDate(start) && compareDates(start, oldEnd) <= 0 ? start : null;
  if (!oldStart) return { startDate: newStart, endDate: addDays(addMonths(newStart, 12), -1) };
  const a = dateParts(oldStart);
  const b = dateParts(addDays(oldEnd, 1));
  const months = (b.year - a.year) * 12 + (b.month - a.month);
  if (months >= 1 && addMonths(oldStart, months) === addDays(oldEnd, 1)) return { startDate: newStart, endDate: addDays(addMonths(newStart, months), -1) };
  return { startDate: newStart, endDate: addDays(newStart, daysBetween(oldStart, oldEnd)) };
}

export type RenewalCheck = { ok: true; cells: RawCells; startDate: string; endDate: string } | { ok: false; code: 'NOT_FOUND' | 'REFUSED'; message: string };

/**
 * The draft renewing `projectId`, without an ID (the caller's allocator gives one). Refused for a project not in
 * force or lapsed, or one already renewed by a live project.
 */
export function renewalDraft(data: RegistryData, projectId: string, today: CalendarDate, stamp: string): RenewalCheck {
  const id = projectId.trim().toUpperCase();
  const row = data.projects.find((r) => text(r.cells.projectId) === id);
  // Statuses as the verified 审批记录 records them, for the agreement and for any renewal of it already made.
  const statusOf = loggedStatus(data, today);
  if (!row) return { ok: false, code: 'NOT_FOUND', message: RENEWAL_TEXT.notFound(id) };
  const status = statusOf(row.cells);
  if (!(RENEWABLE_STATUSES as readonly string[]).includes(status)) return { ok: false, code: 'REFUSED', message: RENEWAL_TEXT.notRenewable(id, status) };
  const existing = data.projects.find((r) => text(r.cells.predecessor) === id && !['未批准', '已终止'].includes(statusOf(r.cells)));
  if (existing) return { ok: false, code: 'REFUSED', message: RENEWAL_TEXT.alreadyRenewed(id, text(existing.cells.projectId), statusOf(existing.cells)) };
  const term = proposedTerm(text(row.cells.startDate) || null, text(row.cells.endDate) || null, today);
  const cells: RawCells = { ...(emptyRow(projectsSheet) as RawCells) };
  for (const key of COPIED) cells[key] = row.cells[key] ?? null;
  // Same title, marked, so lists and the archive tell the renewal from the agreement it renews.
  const title = text(row.cells.title);
  cells.title = title.endsWith(RENEWAL_TEXT.titleMark) ? title : `${title}${RENEWAL_TEXT.titleMark}`;
  Object.assign(cells, { ...term, predecessor: id, status: '草稿', updatedAt: stamp });
  return { ok: true, cells, ...term };
}

interface RenewalLinks {
  predecessor: Map<string, string>;
  successor: Map<string, string>;
}

function renewalLinks(data: RegistryData): RenewalLinks {
  const predecessor = new Map<string, string>();
  const successor = new Map<string, string>();
  for (const { cells } of data.projects) {
    const id = text(cells.projectId);
    const from = text(cells.predecessor);
    if (id && from) {
      predecessor.set(id, from);
      successor.set(from, id);
    }
  }
  return { predecessor, successor };
}

function chainOf({ predecessor, successor }: RenewalLinks, projectId: string): string[] {
  const chain = [projectId];
  const seen = new Set(chain);
  for (let p = predecessor.get(projectId); p && !seen.has(p); p = predecessor.get(p)) {
    chain.unshift(p);
    seen.add(p);
  }
  for (let s = successor.get(projectId); s && !seen.has(s); s = successor.get(s)) {
    chain.push(s);
    seen.add(s);
  }
  return chain;
}

/** The chain a project belongs to, oldest first: follows 前序项目 back and renewals forward. */
export function renewalChain(data: RegistryData, projectId: string): string[] {
  return chainOf(renewalLinks(data), projectId);
}

/** Every chain of two or more projects linked by 前序项目, oldest first, in the order their first project appears. */
export function renewalChains(data: RegistryData): string[][] {
  // The links once for all projects: one walk per chain, not one pass over the registry per project (O(N²) in the archive's 统计).
  const links = renewalLinks(data);
  const seen = new Set<string>();
  const chains: string[][] = [];
  for (const { cells } of data.projects) {
    const id = text(cells.projectId);
    if (!id || seen.has(id)) continue;
    const chain = chainOf(links, id);
    chain.forEach((c) => seen.add(c));
    if (chain.length > 1) chains.push(chain);
  }
  return chains;
}

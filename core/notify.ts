/**
 * The reminder notifier, pure: what is owed to whom (催办 of reviews from 审批记录, meetings, expiring agreements,
 * annual evaluations, log chain breaks), one digest per recipient per day, and which deliveries are still unsent.
 * The CLI and Apps Script both call it, so the same registry gives the same digests on both halves.
 */
import { addDays, compareDates, daysBetween, type CalendarDate } from './dates.js';
import { REVIEW_DEPARTMENT_NAMES, type MeetingBody, type ReviewDepartment } from './enums.js';
import { checkLog, type ChainReport } from './log-chain.js';
import { NOTIFY_TEXT as T } from './notify-text.js';
import type { RegistryData } from './registry.js';
import { evaluationsOwed } from './reports.js';
import { requiredDepartments, type Settings } from './settings.js';
import { loggedStatesOf, loggedStatus } from './derive.js';
import { cellText as text } from './cell-text.js';

const dateOf = (time: unknown): string => text(time).slice(0, 10);

export interface OverdueReview {
  projectId: string;
  title: string;
  department: ReviewDepartment;
  /** The date the department's wait began: the latest submission, content change or withdrawal of its review. */
  since: CalendarDate;
  days: number;
  sheetRow?: number;
}

/**
 * Reviews waiting on a department longer than the lead time, as 审批记录 tells it: a tick typed by hand does not
 * end the wait, and the wait restarts when the project is resubmitted or its content changes.
 */
export function reviewsOverdue(data: RegistryData, settings: Settings, today: CalendarDate): OverdueReview[] {
  const log = data.reviewLog.map((r) => r.cells);
  const states = loggedStatesOf(data);
  const waitStart = new Map<string, string>();
  for (const e of log) {
    const id = text(e.projectId);
    const action = text(e.action);
    const date = dateOf(e.time);
    if (!date) continue;
    if (action === '提交' || action === '内容变更重审') {
      for (const d of REVIEW_DEPARTMENT_NAMES) waitStart.set(`${id}|${d}`, date);
    } else if (action === '撤销审查') waitStart.set(`${id}|${text(e.body)}`, date);
  }
  const out: OverdueReview[] = [];
  for (const row of data.projects) {
    const id = text(row.cells.projectId);
    const state = states.get(id);
    if (!state || (state.status !== '待审查' && state.status !== '审查中')) continue;
    for (const department of requiredDepartments(settings, text(row.cells.category) || null)) {
      if (state.reviews.has(department)) continue;
      const since = waitStart.get(`${id}|${department}`);
      if (!since) continue;
      const days = daysBetween(since, today);
      if (days <= settings.reminders.reviewPendingDays) continue;
      out.push({ projectId: id, title: text(row.cells.title), department, since, days, ...(row.sheetRow ? { sheetRow: row.sheetRow } : {}) });
    }
  }
  return out;
}

export interface AwaitingMeeting {
  projectId: string;
  title: string;
  body: MeetingBody;
  since: CalendarDate;
  sheetRow?: number;
}

/** Projects every department has reviewed that wait for the next 校长办公会, or for 党委会 after it. */
export function awaitingMeeting(data: RegistryData): AwaitingMeeting[] {
  const log = data.reviewLog.map((r) => r.cells);
  const states = loggedStatesOf(data);
  const last = new Map<string, string>();
  for (const e of log) if (dateOf(e.time)) last.set(text(e.projectId), dateOf(e.time));
  const out: AwaitingMeeting[] = [];
  for (const row of data.projects) {
    const id = text(row.cells.projectId);
    const state = states.get(id);
    if (state?.status !== '待审议') continue;
    out.push({
      projectId: id,
      title: text(row.cells.title),
      body: state.presidentMeeting ? '党委会' : '校长办公会',
      since: last.get(id) ?? '',
      ...(row.sheetRow ? { sheetRow: row.sheetRow } : {}),
    });
  }
  return out;
}

/** A break of 审批记录's hash chain, as the log's verifier reports it. */
export interface ChainProblem {
  row: number | null;
  message: string;
}

/** The digest's view of the chain verifier's report (core/log-chain.ts): its first break, if any. */
export function chainProblemsOf(report: Pick<ChainReport, 'break'>): ChainProblem[] {
  return report.break ? [{ row: report.break.sheetRow ?? null, message: report.break.message }] : [];
}

export type DigestItem =
  /** `department`: one, or several joined by 、 once a digest merges a project's waits. */
  | ({ kind: 'reviewOverdue' } & Omit<OverdueReview, 'department'> & { department: string })
  | ({ kind: 'meeting' } & AwaitingMeeting)
  | { kind: 'expiring'; projectId: string; title: string; department: string; endDate: string; daysLeft: number; renewedAs: string | null; sheetRow?: number }
  | { kind: 'evaluationOverdue' | 'evaluationDue'; projectId: string; title: string; department: string; year: number; sheetRow?: number }
  | { kind: 'chainBreak'; row: number | null; message: string };

export type DigestKind = DigestItem['kind'];

const ORDER: readonly DigestKind[] = ['chainBreak', 'reviewOverdue', 'meeting', 'expiring', 'evaluationOverdue', 'evaluationDue'];

export interface Digest {
  /** 合作交流处, a review department or a 系部. */
  recipient: string;
  items: DigestItem[];
}

/** Every project's renewal, if any: predecessor ID → the newest project renewing it (its status as the log records it). */
export function renewals(data: RegistryData, today: CalendarDate): Map<string, string> {
  const statusOf = loggedStatus(data, today);
  const out = new Map<string, string>();
  for (const { cells } of data.projects) {
    const from = text(cells.predecessor);
    const status = statusOf(cells);
    if (from && status !== '未批准' && status !== '已终止') out.set(from, text(cells.projectId));
  }
  return out;
}

export interface DigestInput {
  data: RegistryData;
  settings: Settings;
  today: CalendarDate;
  /** The log's chain breaks; by default what core's verifier finds in `data` (against its anchor, when attached). */
  chainProblems?: readonly ChainProblem[];
}

/** One digest per recipient: the office hears of everything, review departments of their 催办, 系部 of their projects. */
export function buildDigests({ data, settings, today, chainProblems = chainProblemsOf(checkLog(data.reviewLog)) }: DigestInput): Digest[] {
  const byRecipient = new Map<string, DigestItem[]>();
  const add = (recipient: string, item: DigestItem) => {
    if (!recipient) return;
    byRecipient.set(recipient, [...(byRecipient.get(recipient) ?? []), item]);
  };
  const office = T.office;
  const rowsById = new Map(data.projects.map((r) => [text(r.cells.projectId), r]));
  const departmentOf = (id: string) => text(rowsById.get(id)?.cells.department);
  const rowOf = (id: string) => rowsById.get(id)?.sheetRow;
  const at = (id: string) => (rowOf(id) ? { sheetRow: rowOf(id)! } : {});

  for (const p of chainProblems) add(office, { kind: 'chainBreak', row: p.row, message: p.message });
  for (const r of reviewsOverdue(data, settings, today)) {
    const item: DigestItem = { kind: 'reviewOverdue', ...r };
    add(office, item);
    add(r.department, item);
  }
  for (const m of awaitingMeeting(data)) add(office, { kind: 'meeting', ...m });
  const renewed = renewals(data, today);
  const statusOf = loggedStatus(data, today);
  const horizon = addDays(today, settings.reminders.expiryLeadDays);
  for (const { cells, sheetRow } of data.projects) {
    const end = text(cells.endDate);
    if (statusOf(cells) !== '已生效' || !end || compareDates(end, horizon) > 0) continue;
    const id = text(cells.projectId);
    const item: DigestItem = {
      kind: 'expiring',
      projectId: id,
      title: text(cells.title),
      department: text(cells.department),
      endDate: end,
      daysLeft: daysBetween(today, end),
      renewedAs: renewed.get(id) ?? null,
      ...(sheetRow ? { sheetRow } : {}),
    };
    add(office, item);
    add(item.department, item);
  }
  const { overdue, due } = evaluationsOwed(data, settings, today);
  for (const [kind, list] of [
    ['evaluationOverdue', overdue],
    ['evaluationDue', due],
  ] as const) {
    for (const o of list) {
      const item: DigestItem = { kind, ...o, ...at(o.projectId) };
      add(office, item);
      add(o.department || departmentOf(o.projectId), item);
    }
  }
  // The office first (a short mail quota still reaches it), then review departments in 第十五条's order, then 系部.
  const review = REVIEW_DEPARTMENT_NAMES as readonly string[];
  const rank = (r: string) => (r === office ? -1 : review.includes(r) ? review.indexOf(r) : review.length);
  return [...byRecipient]
    .map(([recipient, items]) => ({ recipient, items: [...items].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind)) }))
    .sort((a, b) => rank(a.recipient) - rank(b.recipient) || (a.recipient < b.recipient ? -1 : a.recipient > b.recipient ? 1 : 0));
}

/** How a digest line points at its row: a URL where the registry has one, else a label like 合作项目 第 5 行. */
export interface RowLinks {
  /** The registry as a whole: its URL or file path. */
  registry: string;
  row(sheetRow: number): { label: string; url?: string };
}

function itemLine(item: DigestItem): string {
  switch (item.kind) {
    case 'reviewOverdue':
      return T.reviewOverdue(item.projectId, item.title, item.department, item.since, item.days);
    case 'meeting':
      return T.meeting(item.projectId, item.title, item.body, item.since);
    case 'expiring':
      return `${T.expiring(item.projectId, item.title, item.endDate, item.daysLeft)}；${item.renewedAs ? T.renewedAs(item.renewedAs) : T.renewOffer(item.projectId)}`;
    case 'evaluationOverdue':
    case 'evaluationDue':
      return T.evaluation(item.projectId, item.title, item.department, item.year);
    case 'chainBreak':
      return T.chainBreak(item.row, item.message);
  }
}

export interface RenderedDigest {
  recipient: string;
  subject: string;
  /** Plain text for e-mail. */
  text: string;
  /** Markdown chunks for robots, each within the byte limit given. */
  markdown: string[];
}

const utf8Length = (s: string) => {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
};

/** Text and markdown of a digest; markdown is split into messages of at most `markdownLimit` UTF-8 bytes. */
export function renderDigest(digest: Digest, today: CalendarDate, links: RowLinks, markdownLimit = 4000): RenderedDigest {
  const subject = T.subject(today, digest.recipient);
  const sections = new Map<DigestKind, DigestItem[]>();
  // One 催办 line per project and wait: the office reads 仍待计财处、科研处审查 rather than a line per department.
  const merged: DigestItem[] = [];
  for (const item of digest.items) {
    const prev = merged[merged.length - 1];
    if (item.kind === 'reviewOverdue' && prev?.kind === 'reviewOverdue' && prev.projectId === item.projectId && prev.since === item.since) {
      merged[merged.length - 1] = { ...prev, department: `${prev.department}、${item.department}` };
    } else merged.push(item);
  }
  for (const item of merged) sections.set(item.kind, [...(sections.get(item.kind) ?? []), item]);
  const textParts: string[] = [];
  // Markdown units: a section heading (kept with the first item after it) or one item.
  const units: string[] = [];
  for (const [kind, items] of sections) {
    textParts.push(`${T.heading[kind]}（${items.length}）：\n${items.map((i) => `· ${itemLine(i)}${rowSuffix(i, links, false)}`).join('\n')}`);
    items.forEach((i, n) => units.push(`${n === 0 ? `**${T.heading[kind]}（${items.length}）**\n` : ''}- ${itemLine(i)}${rowSuffix(i, links, true)}`));
  }
  const text = `${subject}\n\n${textParts.join('\n\n')}\n\n${T.registry(links.registry)}\n${T.footer}`;
  const head = `### ${subject}`;
  const tail = T.registry(links.registry);
  const compose = (body: string[]) => `${head}\n\n${body.join('\n').replace(/\n\*\*/g, '\n\n**')}\n\n${tail}`;
  const chunks: string[] = [];
  let current: string[] = [];
  for (const unit of units) {
    if (current.length && utf8Length(compose([...current, unit])) > markdownLimit) {
      chunks.push(compose(current));
      current = [];
    }
    current.push(unit);
  }
  if (current.length) chunks.push(compose(current));
  return { recipient: digest.recipient, subject, text, markdown: chunks };
}

function rowSuffix(item: DigestItem, links: RowLinks, markdown: boolean): string {
  if (!('sheetRow' in item) || !item.sheetRow) return '';
  const { label, url } = links.row(item.sheetRow);
  if (!url) return `（${label}）`;
  return markdown ? ` [${label}](${url})` : `（${label}：${url}）`;
}

/** A named place a digest goes: e-mail addresses, or a robot whose webhook is a secret kept outside the sheet. */
export type ChannelTarget = { type: 'email'; to: string[] } | { type: 'robot'; name: string };

export interface Delivery {
  recipient: string;
  target: ChannelTarget;
  /** Identifies the delivery in the day's sent state. */
  key: string;
}

/** The known e-mail addresses of a recipient: the office staff, or a review department's approvers. */
function addressesOf(settings: Settings, recipient: string): string[] {
  if (recipient === T.office) return settings.officeStaff;
  if ((REVIEW_DEPARTMENT_NAMES as readonly string[]).includes(recipient)) return settings.approvers[recipient as ReviewDepartment];
  return [];
}

/**
 * Where each recipient's digest goes, per 设置 › 提醒渠道. A recipient with no row there gets e-mail at its known
 * addresses (what the daily mail always did); `--channel` style filters keep only the named channels.
 */
export function plannedDeliveries(digests: readonly Digest[], settings: Settings, only?: readonly string[]): { deliveries: Delivery[]; skipped: string[] } {
  const deliveries: Delivery[] = [];
  const skipped: string[] = [];
  for (const { recipient } of digests) {
    const tokens = settings.channels[recipient] ?? [T.emailToken];
    const emails = new Set<string>();
    for (const token of tokens) {
      if (token === T.emailToken) addressesOf(settings, recipient).forEach((e) => emails.add(e));
      else if (token.includes('@')) emails.add(token.toLowerCase());
      else if (!only || only.includes(token)) deliveries.push({ recipient, target: { type: 'robot', name: token }, key: `${recipient}|robot:${token}` });
    }
    const wantEmail = !only || only.includes(T.emailToken);
    if (wantEmail && tokens.some((t) => t === T.emailToken || t.includes('@'))) {
      if (!emails.size) skipped.push(T.errors.noAddress(recipient));
      for (const email of [...emails].sort()) deliveries.push({ recipient, target: { type: 'email', to: [email] }, key: `${recipient}|email:${email}` });
    }
  }
  return { deliveries, skipped };
}

/** What was sent today; the state of another day counts for nothing. */
export interface SentState {
  date: string;
  sent: string[];
}

export function parseSentState(json: string | null | undefined): SentState {
  try {
    const parsed = JSON.parse(json ?? '') as Partial<SentState>;
    return {
      date: typeof parsed.date === 'string' ? parsed.date : '',
      sent: Array.isArray(parsed.sent) ? parsed.sent.filter((s) => typeof s === 'string') : [],
    };
  } catch {
    return { date: '', sent: [] };
  }
}

/** Deliveries not yet made today. */
export function unsent(deliveries: readonly Delivery[], state: SentState, today: CalendarDate): Delivery[] {
  const done = new Set(state.date === today ? state.sent : []);
  return deliveries.filter((d) => !done.has(d.key));
}

/** The state after today's successful deliveries. */
export function markSent(state: SentState, today: CalendarDate, keys: readonly string[]): SentState {
  const before = state.date === today ? state.sent : [];
  return { date: today, sent: [...new Set([...before, ...keys])] };
}

/**
 * The daily trigger: agreements expiring within the lead time, reviews pending too long, annual evaluations
 * due (from the date in 设置) or overdue (from January) — gathered per recipient into one mail a day.
 */
import {
  daysBetween,
  emptyRegistry,
  evaluationsOwed,
  expiringSoon,
  requiredDepartments,
  reviewColumnFor,
  schoolDate,
  transition,
  SYSTEM_ACTOR,
  type OwedEvaluation,
  type RegistryData,
  type Settings,
} from '../../core/index.js';
import { sendMails, type Mail } from './mail.js';
import { freshSettings, readSheet, spreadsheetUrl, tableRows } from './registry.js';
import { projectFromCells } from './actions.js';
import { toSheet, type Table } from './table.js';
import { MAIL_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const SENT_KEY = 'coop.remindersSent';

interface Gathered {
  data: RegistryData;
  projects: Table | null;
  settings: Settings;
}

function gather(ss: Spreadsheet): Gathered {
  const { settings } = freshSettings(ss).parsed;
  const projects = readSheet(ss, 'projects');
  const data = emptyRegistry();
  data.projects = tableRows(projects);
  data.evaluations = tableRows(readSheet(ss, 'evaluations'));
  return { data, projects, settings };
}

const evaluationLines = (owed: OwedEvaluation[]) => owed.map((o) => MAIL_TEXT.evaluationLine(o.projectId, o.title, o.department, o.year));

/** Agreements past their end date become 已到期 by the core's rule; one column write for all of them. */
function expireEnded({ data, projects, settings }: Gathered, now: Date): void {
  const statusCol = projects?.keyIndex.get('status');
  if (!projects || statusCol === undefined) return;
  const today = schoolDate(now);
  let changed = false;
  for (const row of data.projects) {
    const t = transition(projectFromCells(row.cells), { type: 'expire', today }, { settings, actor: SYSTEM_ACTOR, now });
    if (t.ok && t.patch.status) {
      projects.values[row.sheetRow! - 1]![statusCol] = toSheet(t.patch.status, undefined);
      row.cells.status = t.patch.status;
      changed = true;
    }
  }
  if (changed) projects.sheet.getRange(2, statusCol + 1, projects.values.length - 1, 1).setValues(projects.values.slice(1).map((r) => [r[statusCol]]));
}

/** Sections of the daily mail, per recipient. */
export function dailySections({ data, settings }: Gathered, today: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (to: readonly string[], section: string) => {
    for (const email of to) out.set(email, [...(out.get(email) ?? []), section]);
  };
  const office = settings.officeStaff;
  const expiring = expiringSoon(data, settings, today);
  if (expiring.length) add(office, MAIL_TEXT.expiring(expiring.map((x) => MAIL_TEXT.expiringLine(x.projectId, x.title, x.endDate))));
  const days = settings.reminders.reviewPendingDays;
  const waiting = new Map<string, string[]>();
  for (const { cells } of data.projects) {
    const applied = typeof cells.appliedAt === 'string' ? cells.appliedAt : '';
    if ((cells.status !== '待审查' && cells.status !== '审查中') || !applied || daysBetween(applied, today) <= days) continue;
    for (const d of requiredDepartments(settings, typeof cells.category === 'string' ? cells.category : null)) {
      if (cells[reviewColumnFor(d)] === true) continue;
      waiting.set(d, [...(waiting.get(d) ?? []), MAIL_TEXT.pendingLine(String(cells.projectId ?? ''), String(cells.title ?? ''), applied)]);
    }
  }
  for (const [department, lines] of waiting) {
    const section = MAIL_TEXT.pending(department, days, lines);
    add(settings.approvers[department as keyof Settings['approvers']], section);
    add(office, section);
  }
  const { overdue, due } = evaluationsOwed(data, settings, today);
  if (overdue.length) add(office, MAIL_TEXT.overdueEvaluations(evaluationLines(overdue)));
  if (due.length) add(office, MAIL_TEXT.dueEvaluations(evaluationLines(due)));
  return out;
}

/** The time-driven trigger's handler. Runs again the same day send nothing twice. */
export function dailyReminders(): number {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const now = new Date();
  const today = schoolDate(now);
  const gathered = gather(ss);
  expireEnded(gathered, now);
  const sections = dailySections(gathered, today);
  const props = PropertiesService.getDocumentProperties();
  const record = JSON.parse(props.getProperty(SENT_KEY) ?? '{}') as { date?: string; to?: string[] };
  const already = new Set(record.date === today ? (record.to ?? []) : []);
  const office = new Set(gathered.settings.officeStaff);
  const url = spreadsheetUrl(ss);
  const mails: (Mail & { email: string })[] = [...sections]
    .filter(([email]) => !already.has(email))
    // The office first: when the quota runs short, they still hear of everything.
    .sort(([a], [b]) => Number(office.has(b)) - Number(office.has(a)) || a.localeCompare(b))
    .map(([email, s]) => ({ email, to: [email], subject: MAIL_TEXT.subjectDaily(today), body: MAIL_TEXT.bodyDaily(s, url) }));
  const { sent } = sendMails(mails);
  props.setProperty(SENT_KEY, JSON.stringify({ date: today, to: [...already, ...mails.slice(0, sent).map((m) => m.email)] }));
  return sent;
}

/** 年度评价 ▸ 检查逾期: the evaluations owed, as lines for a dialog. */
export function owedEvaluations(ss: Spreadsheet): { overdue: string[]; due: string[] } {
  const gathered = gather(ss);
  const { overdue, due } = evaluationsOwed(gathered.data, gathered.settings, schoolDate(new Date()));
  return { overdue: evaluationLines(overdue), due: evaluationLines(due) };
}

/** 年度评价 ▸ 发送提醒: one mail to the office now, whatever the daily trigger already sent. */
export function sendEvaluationReminders(ss: Spreadsheet): number | null {
  const gathered = gather(ss);
  if (!gathered.settings.officeStaff.length) return null;
  const today = schoolDate(new Date());
  const { overdue, due } = evaluationsOwed(gathered.data, gathered.settings, today);
  if (!overdue.length && !due.length) return 0;
  const sections = [
    ...(overdue.length ? [MAIL_TEXT.overdueEvaluations(evaluationLines(overdue))] : []),
    ...(due.length ? [MAIL_TEXT.dueEvaluations(evaluationLines(due))] : []),
  ];
  return sendMails([{ to: gathered.settings.officeStaff, subject: MAIL_TEXT.subjectEvaluations(today), body: MAIL_TEXT.bodyDaily(sections, spreadsheetUrl(ss)) }]).sent;
}

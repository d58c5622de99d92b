/**
 * The daily trigger: the core notifier's digests (催办 from 审批记录, meetings, expiring agreements with the renewal
 * offer, annual evaluations) sent once a day per recipient by e-mail and to 企业微信 / 钉钉 robots.
 */
import {
  buildDigests,
  emptyRegistry,
  evaluationsOwed,
  markSent,
  parseSentState,
  plannedDeliveries,
  renderDigest,
  loggedStatus,
  schoolDate,
  unsent,
  NOTIFY_TEXT,
  ROBOT_MARKDOWN_LIMIT,
  type RateWindow,
  withoutUrls,
  type Digest,
  type OwedEvaluation,
  type RegistryData,
  type RowLinks,
  type Settings,
} from '../../core/index.js';
import { postToRobot, robotChannels } from './channels.js';
import { readLogRows } from './log.js';
import { sendMails } from './mail.js';
import { freshSettings, readSheet, spreadsheetUrl, tableRows } from './registry.js';
import { toSheet, type Table } from './table.js';
import { MAIL_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const SENT_KEY = 'coop.remindersSent';
const ERRORS_KEY = 'coop.remindersErrors';

interface Gathered {
  data: RegistryData;
  projects: Table | null;
  settings: Settings;
}

function gather(ss: Spreadsheet): Gathered {
  const fresh = freshSettings(ss);
  const { settings } = fresh.parsed;
  const projects = readSheet(ss, 'projects');
  const data = emptyRegistry();
  // 设置 travels with the data: the log is trusted by the keys listed there, as on the CLI.
  data.settings = tableRows(fresh.table);
  data.projects = tableRows(projects);
  data.evaluations = tableRows(readSheet(ss, 'evaluations'));
  data.reviewLog = readLogRows(ss);
  return { data, projects, settings };
}

const evaluationLines = (owed: OwedEvaluation[]) => owed.map((o) => MAIL_TEXT.evaluationLine(o.projectId, o.title, o.department, o.year));

/**
 * Each row's 状态 as 审批记录 records it, with agreements past their end date 已到期 by the core's rule (the same
 * loggedStatus every CLI report uses): a 状态 typed or pasted over the log is put right too. One column write for all.
 */
function expireEnded({ data, projects }: Gathered, now: Date): void {
  const statusCol = projects?.keyIndex.get('status');
  if (!projects || statusCol === undefined) return;
  const statusOf = loggedStatus(data, schoolDate(now));
  let changed = false;
  for (const row of data.projects) {
    if (!String(row.cells.projectId ?? '').trim()) continue;
    const status = statusOf(row.cells);
    if (row.cells.status === status) continue;
    projects.values[row.sheetRow! - 1]![statusCol] = toSheet(status, undefined);
    row.cells.status = status;
    changed = true;
  }
  if (changed) projects.sheet.getRange(2, statusCol + 1, projects.values.length - 1, 1).setValues(projects.values.slice(1).map((r) => [r[statusCol]]));
}

/** Digests of the day from the core notifier, the same the CLI's `coop remind` builds from the same data. */
export function dailyDigests({ data, settings }: Gathered, today: string): Digest[] {
  // Chain breaks of 审批记录 (verified against the anchor in the script's properties) go to the office.
  return buildDigests({ data, settings, today });
}

/** Links to rows of 合作项目 in this spreadsheet. */
export function sheetLinks(ss: Spreadsheet, projects: Table | null): RowLinks {
  const url = spreadsheetUrl(ss);
  const gid = projects ? projects.sheet.getSheetId() : null;
  return {
    registry: url,
    row: (row) => ({ label: NOTIFY_TEXT.rowLabel(row), ...(gid !== null ? { url: `${url}#gid=${gid}&range=A${row}` } : {}) }),
  };
}

/** The time-driven trigger's handler: e-mail and robots, each recipient once a day; a failing channel stops no other. */
export function dailyReminders(): number {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const now = new Date();
  const startedMs = Date.now();
  const today = schoolDate(now);
  const gathered = gather(ss);
  expireEnded(gathered, now);
  const digests = dailyDigests(gathered, today);
  const props = PropertiesService.getDocumentProperties();
  const state = parseSentState(props.getProperty(SENT_KEY));
  const { deliveries, skipped } = plannedDeliveries(digests, gathered.settings);
  const todo = unsent(deliveries, state, today);
  const links = sheetLinks(ss, gathered.projects);
  const rendered = new Map(digests.map((d) => [d.recipient, renderDigest(d, today, links, ROBOT_MARKDOWN_LIMIT)]));
  const errors = [...skipped];
  const done: string[] = [];
  const { channels, problems } = robotChannels();
  errors.push(...problems);
  const windows = new Map<string, RateWindow>();
  // E-mail first, in the notifier's order (the office first), so a short quota still reaches the office.
  // One at a time, so a refused address costs only its own mail; the quota stops the rest for today.
  for (const d of todo) {
    if (d.target.type !== 'email') continue;
    const r = rendered.get(d.recipient)!;
    try {
      if (sendMails([{ to: d.target.to, subject: r.subject, body: r.text }]).sent) done.push(d.key);
    } catch (e) {
      errors.push(NOTIFY_TEXT.errors.mail(d.target.to.join(', '), withoutUrls(String((e as Error)?.message ?? e))));
    }
  }
  for (const d of todo) {
    if (d.target.type !== 'robot') continue;
    const channel = channels[d.target.name];
    if (!channel) {
      errors.push(NOTIFY_TEXT.errors.unknownChannel(d.target.name, d.recipient));
      continue;
    }
    const r = rendered.get(d.recipient)!;
    const error = postToRobot(d.target.name, channel, r.subject, r.markdown, windows, startedMs);
    if (error) errors.push(error);
    else done.push(d.key);
  }
  props.setProperty(SENT_KEY, JSON.stringify(markSent(state, today, done)));
  props.setProperty(ERRORS_KEY, JSON.stringify(errors.slice(0, 50)));
  for (const e of errors) console.warn(e);
  return done.length;
}

/** What went wrong in the last daily run, for the channels dialog. */
export function lastReminderErrors(): string[] {
  try {
    return JSON.parse(PropertiesService.getDocumentProperties().getProperty(ERRORS_KEY) ?? '[]') as string[];
  } catch {
    return [];
  }
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
  return sendMails([
    { to: gathered.settings.officeStaff, subject: MAIL_TEXT.subjectEvaluations(today), body: MAIL_TEXT.bodyDaily(sections, spreadsheetUrl(ss)) },
  ]).sent;
}

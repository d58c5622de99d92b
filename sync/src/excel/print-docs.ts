/**
 * Printed documents drawn from the registry and 审批记录: the per-project 合作项目审批表 the archive room files with the
 * agreement, the meeting's 议题材料 (one page per project), and the 年度合作报告 of 第十六、十七条.
 */
import ExcelJS from 'exceljs';
import {
  IN_FORCE,
  MEETING_BODIES,
  effectiveStatus,
  evaluationsOwed,
  loggedStatesOf,
  neutralizeFormula,
  projectTrail,
  termOverlapsYear,
  type CalendarDate,
  type MeetingBody,
  type RawCells,
  type RegistryData,
  type Settings,
} from '../../../core/index.js';
import { LINE_HEIGHT, PRINT_FONT, THIN_BOX, printRow, printSetup, printSheet, wrappedLines } from './print-layout.js';
import { PRINT_TEXT as T } from './text.js';

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const money = (v: unknown) => (typeof v === 'number' && v > 0 ? v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : T.none);

/** Six columns that fill an A4 portrait line at 10 pt (see POINTS_PER_WIDTH_UNIT): label, value, … */
const FORM_WIDTHS = [14, 6, 24, 13, 10, 7];

interface FormCell {
  text: string;
  span?: number;
  label?: boolean;
  /** Empty lines to leave for handwriting. */
  lines?: number;
}

/** One ruled row of a form; spans merge, and the row grows to the lines its longest cell needs. */
function formRow(ws: ExcelJS.Worksheet, cells: FormCell[]): ExcelJS.Row {
  const row = ws.addRow([]);
  let col = 1;
  let lines = 1;
  for (const cell of cells) {
    const span = cell.span ?? 1;
    const width = FORM_WIDTHS.slice(col - 1, col - 1 + span).reduce((a, b) => a + b, 0);
    const target = row.getCell(col);
    // Project text, names and remarks came from people: escaped like every cell written to a workbook.
    target.value = neutralizeFormula(cell.text);
    target.font = { ...PRINT_FONT, bold: cell.label ?? false };
    target.alignment = { vertical: 'middle', wrapText: true, horizontal: cell.label ? 'center' : 'left' };
    if (cell.label) target.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    for (let c = col; c < col + span; c++) row.getCell(c).border = THIN_BOX;
    if (span > 1) ws.mergeCells(row.number, col, row.number, col + span - 1);
    lines = Math.max(lines, wrappedLines(cell.text, width), cell.lines ?? 1);
    col += span;
  }
  row.height = lines * LINE_HEIGHT + 4;
  return row;
}

function sectionRow(ws: ExcelJS.Worksheet, title: string): void {
  const row = ws.addRow([neutralizeFormula(title)]);
  row.font = { ...PRINT_FONT, bold: true, size: 11 };
  row.height = 22;
  row.alignment = { vertical: 'bottom' };
  ws.mergeCells(row.number, 1, row.number, FORM_WIDTHS.length);
}

function titleRow(ws: ExcelJS.Worksheet, title: string, subtitle: string): void {
  const row = ws.addRow([neutralizeFormula(title)]);
  row.font = { ...PRINT_FONT, bold: true, size: 16 };
  row.alignment = { horizontal: 'center', vertical: 'middle' };
  row.height = 30;
  ws.mergeCells(row.number, 1, row.number, FORM_WIDTHS.length);
  const sub = ws.addRow([neutralizeFormula(subtitle)]);
  sub.font = PRINT_FONT;
  sub.alignment = { horizontal: 'right' };
  ws.mergeCells(sub.number, 1, sub.number, FORM_WIDTHS.length);
}

function formSheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = workbook.addWorksheet(name);
  FORM_WIDTHS.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  printSetup(ws, undefined);
  ws.pageSetup.orientation = 'portrait';
  ws.pageSetup.margins = { left: 0.45, right: 0.45, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 };
  ws.pageSetup.horizontalCentered = true;
  return ws;
}

interface ProjectContext {
  cells: RawCells;
  partner: RawCells | undefined;
  log: RawCells[];
  settings: Settings;
  today: CalendarDate;
}

/** Sections 一 to 三 (project, partner, reviews): what both the approval form and the meeting material show. */
function projectSections(ws: ExcelJS.Worksheet, { cells, partner, log, settings, today }: ProjectContext): ReturnType<typeof projectTrail> {
  const L = T.labels;
  const p = partner ?? {};
  const trail = projectTrail(log, str(cells.projectId), str(cells.category) || null, settings);
  sectionRow(ws, T.sections.project);
  formRow(ws, [
    { text: L.title, label: true },
    { text: str(cells.title), span: 5 },
  ]);
  formRow(ws, [
    { text: L.department, label: true },
    { text: str(cells.department), span: 2 },
    { text: L.leader, label: true },
    { text: str(cells.leader), span: 2 },
  ]);
  formRow(ws, [
    { text: L.category, label: true },
    { text: str(cells.category), span: 2 },
    { text: L.ipOwnership, label: true },
    { text: str(cells.ipOwnership), span: 2 },
  ]);
  formRow(ws, [
    { text: L.term, label: true },
    { text: T.termText(str(cells.startDate), str(cells.endDate)), span: 2 },
    { text: L.status, label: true },
    { text: effectiveStatus(cells, today), span: 2 },
  ]);
  formRow(ws, [
    { text: L.income, label: true },
    { text: money(cells.income), span: 2 },
    { text: L.expense, label: true },
    { text: money(cells.expense), span: 2 },
  ]);
  formRow(ws, [
    { text: L.applicant, label: true },
    { text: trail.submitted?.actor ?? T.none, span: 2 },
    { text: L.appliedAt, label: true },
    { text: trail.submitted?.date ?? T.none, span: 2 },
  ]);
  formRow(ws, [
    { text: L.content, label: true },
    { text: str(cells.content), span: 5, lines: 3 },
  ]);
  sectionRow(ws, T.sections.partner);
  formRow(ws, [
    { text: L.partnerName, label: true },
    { text: str(p.name), span: 5 },
  ]);
  formRow(ws, [
    { text: L.kind, label: true },
    { text: str(p.kind), span: 2 },
    { text: L.creditCode, label: true },
    { text: str(p.creditCode) || T.none, span: 2 },
  ]);
  formRow(ws, [
    { text: L.address, label: true },
    { text: str(p.address) || T.none, span: 5 },
  ]);
  formRow(ws, [
    { text: L.legalRep, label: true },
    { text: str(p.legalRep) || T.none, span: 2 },
    { text: L.contact, label: true },
    { text: str(p.contactName), span: 2 },
  ]);
  formRow(ws, [
    { text: L.phone, label: true },
    { text: str(p.contactPhone) || T.none, span: 2 },
    { text: L.email, label: true },
    { text: str(p.contactEmail) || T.none, span: 2 },
  ]);
  formRow(ws, [
    { text: L.integrity, label: true },
    { text: str(p.integrity), span: 2 },
    { text: L.leaderFirm, label: true },
    { text: str(p.industryLeader) || T.none, span: 2 },
  ]);
  sectionRow(ws, T.sections.reviews);
  formRow(
    ws,
    T.reviewHeaders.map((h, i) => ({ text: h, label: true, ...(i === 4 ? { span: 2 } : {}) })),
  );
  for (const r of trail.reviews) formRow(ws, [{ text: r.department }, { text: r.mark }, { text: r.reviewer }, { text: r.date }, { text: r.remark, span: 2 }]);
  return trail;
}

function projectContext(data: RegistryData, cells: RawCells, settings: Settings, today: CalendarDate, log: RawCells[]): ProjectContext {
  return { cells, partner: data.partners.find((p) => p.cells.partnerId === cells.partnerId)?.cells, log, settings, today };
}

function newWorkbook(settings: Settings, title: string, now: Date): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'coop-registry';
  workbook.company = settings.schoolName;
  workbook.title = title;
  workbook.created = now;
  workbook.modified = now;
  return workbook;
}

/** 合作项目审批表: the project, its partner, each department's decision, the meetings and the signing, as the log has them. */
export function buildApprovalForm(data: RegistryData, projectId: string, settings: Settings, now: Date, today: CalendarDate): ExcelJS.Workbook | null {
  const project = data.projects.find((p) => p.cells.projectId === projectId);
  if (!project) return null;
  const title = T.approvalTitle(settings.schoolName);
  const workbook = newWorkbook(settings, title, now);
  const ws = formSheet(workbook, projectId);
  const log = data.reviewLog.map((r) => r.cells);
  titleRow(ws, title, `${T.labels.projectId}：${projectId}`);
  const trail = projectSections(ws, projectContext(data, project.cells, settings, today, log));
  sectionRow(ws, T.sections.meetings);
  formRow(
    ws,
    T.meetingHeaders.map((h, i) => ({ text: h, label: true, ...(i === 4 ? { span: 2 } : {}) })),
  );
  for (const m of trail.meetings)
    formRow(ws, [{ text: m.body }, { text: m.decision || T.none }, { text: m.actor }, { text: m.date }, { text: m.minutes, span: 2 }]);
  sectionRow(ws, T.sections.signing);
  const signedAt = trail.signed?.date ?? '';
  formRow(ws, [
    { text: T.labels.agreementNo, label: true },
    { text: trail.signed ? str(project.cells.agreementNo) : T.notSigned, span: 2 },
    { text: T.labels.signedAt, label: true },
    { text: trail.signed ? str(project.cells.signedAt) || signedAt : T.none, span: 2 },
  ]);
  sectionRow(ws, T.sections.office);
  formRow(ws, [{ text: '', span: 6, lines: 4 }]);
  formRow(ws, [{ text: T.labels.handler, label: true, span: 2 }, { text: '', span: 2 }, { text: T.labels.date, label: true }, { text: '' }]);
  return workbook;
}

/** Projects waiting for a meeting, in the order they were (last) submitted: 校长办公会 first, then 党委会 (第十五条（三）). */
export function agendaProjects(data: RegistryData, meeting: MeetingBody, today: CalendarDate): RawCells[] {
  const states = loggedStatesOf(data);
  const submittedAt = new Map<string, number>();
  data.reviewLog.forEach((r, i) => r.cells.action === '提交' && submittedAt.set(str(r.cells.projectId), i));
  return data.projects
    .map((p) => p.cells)
    .filter((cells) => {
      const state = states.get(str(cells.projectId));
      if (!state || effectiveStatus({ status: state.status, endDate: (cells.endDate as string | null) ?? null }, today) !== '待审议') return false;
      return meeting === MEETING_BODIES[0] ? !state.presidentMeeting : state.presidentMeeting && !state.partyCommittee;
    })
    .sort((a, b) => (submittedAt.get(str(a.projectId)) ?? 0) - (submittedAt.get(str(b.projectId)) ?? 0));
}

/** 议题材料: one page per project waiting for the meeting, with every department's review opinion. */
export function buildAgenda(
  data: RegistryData,
  meeting: MeetingBody,
  settings: Settings,
  now: Date,
  today: CalendarDate,
): { workbook: ExcelJS.Workbook; projects: string[] } {
  const title = T.agendaTitle(settings.schoolName, meeting);
  const workbook = newWorkbook(settings, title, now);
  const ws = formSheet(workbook, meeting);
  const log = data.reviewLog.map((r) => r.cells);
  const items = agendaProjects(data, meeting, today);
  items.forEach((cells, i) => {
    titleRow(ws, title, `${T.agendaItem(meeting, i + 1, items.length)}　${T.labels.projectId}：${str(cells.projectId)}`);
    const trail = projectSections(ws, projectContext(data, cells, settings, today, log));
    if (meeting === '党委会') {
      const president = trail.meetings[0]!;
      formRow(ws, [
        { text: president.body, label: true },
        { text: president.decision || T.none },
        { text: president.minutes, span: 2 },
        { text: president.date, span: 2 },
      ]);
    }
    sectionRow(ws, T.sections.agendaDecision);
    formRow(ws, [{ text: T.labels.decisionBlank, span: 6, lines: 3 }]);
    // Each project starts a new page, so the meeting can hand out and file them one by one.
    if (i < items.length - 1) ws.lastRow!.addPageBreak();
  });
  return { workbook, projects: items.map((c) => str(c.projectId)) };
}

/** 年度合作报告: each project in effect during the year with its 年度评价 and outcomes, totals, and evaluations overdue. */
export function buildAnnualReport(
  data: RegistryData,
  year: number,
  settings: Settings,
  now: Date,
  today: CalendarDate,
): { workbook: ExcelJS.Workbook; projects: number } {
  const A = T.annual;
  const title = T.annualTitle(settings.schoolName, year);
  const workbook = newWorkbook(settings, title, now);
  const evaluation = new Map(data.evaluations.filter((e) => Number(e.cells.year) === year).map((e) => [str(e.cells.projectId), e.cells]));
  const projects = data.projects
    .map((p) => p.cells)
    .filter(
      (c) =>
        evaluation.has(str(c.projectId)) ||
        (IN_FORCE.includes(effectiveStatus(c, today)) && termOverlapsYear((c.startDate as string) ?? null, (c.endDate as string) ?? null, year)),
    );
  const ids = new Set(projects.map((c) => str(c.projectId)));
  const inYear = (date: unknown) => str(date).startsWith(`${year}-`);
  const outcomes = data.outcomes.map((o) => o.cells).filter((o) => inYear(o.date) || (!str(o.date) && ids.has(str(o.projectId))));

  const effects = printSheet(workbook, A.effects, `${title} · ${A.effects}`, A.effectsHeaders, [11, 26, 16, 11, 11, 12, 9, 9]);
  const totals = { teachers: 0, students: 0, income: 0, outcomes: 0 };
  for (const c of projects) {
    const e = evaluation.get(str(c.projectId));
    const n = outcomes.filter((o) => o.projectId === c.projectId).length;
    totals.teachers += Number(e?.teacherPractice ?? 0);
    totals.students += Number(e?.studentsTrained ?? 0);
    totals.income += Number(e?.serviceIncome ?? 0);
    totals.outcomes += n;
    const row = printRow(effects, [
      str(c.projectId),
      str(c.title),
      str(c.department),
      e ? str(e.teacherPractice ?? 0) : A.notFiled,
      e ? str(e.studentsTrained ?? 0) : A.notFiled,
      e ? money(e.serviceIncome) : A.notFiled,
      e ? str(e.grade) : A.notFiled,
      String(n),
    ]);
    row.getCell(6).alignment = { ...row.getCell(6).alignment, horizontal: 'right' };
  }
  const total = printRow(effects, [
    A.total,
    A.summary(projects.length, projects.filter((c) => evaluation.has(str(c.projectId))).length, totals.outcomes),
    '',
    String(totals.teachers),
    String(totals.students),
    money(totals.income),
    '',
    String(totals.outcomes),
  ]);
  total.font = { ...PRINT_FONT, bold: true };
  effects.mergeCells(total.number, 2, total.number, 3);

  const outcomeSheet = printSheet(workbook, A.outcomes, `${title} · ${A.outcomes}`, A.outcomesHeaders, [11, 34, 14, 10, 22, 11]);
  if (!outcomes.length) printRow(outcomeSheet, [A.noRows, '', '', '', '', '']);
  for (const o of outcomes)
    printRow(outcomeSheet, [str(o.projectId), str(o.title), str(o.rightType), str(o.holder), str(o.registrationNo), str(o.date) || T.none]);

  const overdueSheet = printSheet(workbook, A.overdue, `${title} · ${A.overdue}`, A.overdueHeaders, [12, 40, 24, 8]);
  const overdue = evaluationsOwed(data, settings, today).overdue.filter((o) => o.year === year);
  if (!overdue.length) printRow(overdueSheet, [A.noRows, '', '', '']);
  for (const o of overdue) printRow(overdueSheet, [o.projectId, o.title, o.department, String(o.year)]);
  return { workbook, projects: projects.length + outcomes.length };
}

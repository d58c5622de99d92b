/** The archive workbook: cover, every registry sheet print-ready, and statistics, from one filtered view of the registry. */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import {
  RENEWAL_TEXT,
  renewalChains,
  STATUSES,
  effectiveStatus,
  projectTrail,
  projectYear,
  termOverlapsYear,
  schoolTimestamp,
  sheetSpec,
  summarize,
  type CalendarDate,
  type RawCells,
  type RegistryData,
  type Settings,
  type SheetKey,
  type SheetSpec,
} from '../../../core/index.js';
import { DATE_FORMAT, safeRow, writeCell } from './cells.js';
import { headerMap, writeHeader } from './layout.js';
import { PRINT_FONT, displayWidth, fitLine, printFonts, printRow, printSetup, printSheet } from './print-layout.js';
import { ARCHIVE_TEXT as T } from './text.js';

export const ARCHIVE_SHEETS: readonly SheetKey[] = ['partners', 'projects', 'reviewLog', 'evaluations', 'outcomes'];
export const ARCHIVE_MONEY_FORMAT = '"¥"#,##0.00';
const MAX_WIDTH = 60;

export interface ArchiveFilters {
  year?: number;
  status?: string;
}

/** A project belongs to a year when its term overlaps it; one without a complete term, by the year in its ID. */
function inYear(cells: RawCells, year: number): boolean {
  const start = typeof cells.startDate === 'string' ? cells.startDate : null;
  const end = typeof cells.endDate === 'string' ? cells.endDate : null;
  if (start && end) return termOverlapsYear(start, end, year);
  return projectYear(String(cells.projectId ?? '')) === year;
}

/** The filters in words, for the cover and for messages. */
export function filtersInWords(filters: ArchiveFilters): string {
  const L = T.labels;
  return (
    [filters.year === undefined ? null : L.year(filters.year), filters.status === undefined ? null : L.status(filters.status)].filter(Boolean).join('；') ||
    L.noFilter
  );
}

/** The part of the registry an archive holds: projects matching the filters and what hangs off them. */
export function filterRegistry(data: RegistryData, today: CalendarDate, filters: ArchiveFilters): RegistryData {
  if (filters.year === undefined && filters.status === undefined) return data;
  const projects = data.projects.filter(({ cells }) => {
    if (filters.year !== undefined && !inYear(cells, filters.year)) return false;
    if (filters.status !== undefined && effectiveStatus(cells, today) !== filters.status) return false;
    return true;
  });
  const projectIds = new Set(projects.map((p) => p.cells.projectId));
  const partnerIds = new Set(projects.map((p) => p.cells.partnerId));
  const ofProjects = (rows: RegistryData['reviewLog']) => rows.filter((r) => projectIds.has(r.cells.projectId));
  return {
    ...data,
    partners: data.partners.filter((p) => partnerIds.has(p.cells.partnerId)),
    projects,
    reviewLog: ofProjects(data.reviewLog),
    evaluations: ofProjects(data.evaluations),
    outcomes: ofProjects(data.outcomes),
  };
}

/** Cells as the archive shows them: the status a reader should see (an agreement past its end has expired). */
function archiveCells(key: SheetKey, cells: RawCells, today: CalendarDate): RawCells {
  return key === 'projects' ? { ...cells, status: effectiveStatus(cells, today) } : cells;
}

/** SHA-256 over the exported rows in schema column order, so anyone can tell whether archived data was altered. */
export function archiveDigest(data: RegistryData, today: CalendarDate): string {
  const hash = createHash('sha256');
  for (const key of ARCHIVE_SHEETS) {
    const sheet = sheetSpec(key);
    hash.update(JSON.stringify([sheet.name, sheet.columns.map((c) => c.header)]));
    for (const row of data[key]) {
      const cells = archiveCells(key, row.cells, today);
      hash.update(`\n${JSON.stringify(sheet.columns.map((c) => cells[c.key] ?? null))}`);
    }
  }
  return hash.digest('hex');
}

function fitWidths(ws: ExcelJS.Worksheet, min = 6): void {
  ws.columns.forEach((column) => {
    let w = min;
    column.eachCell?.({ includeEmpty: false }, (cell) => {
      const v = cell.value && typeof cell.value === 'object' && 'text' in cell.value ? cell.value.text : cell.value;
      w = Math.max(w, displayWidth(v) + 2);
    });
    column.width = Math.min(MAX_WIDTH, w);
  });
}

function addDataSheet(workbook: ExcelJS.Workbook, sheet: SheetSpec, data: RegistryData, today: CalendarDate): void {
  const ws = workbook.addWorksheet(sheet.name);
  writeHeader(ws, sheet);
  const headers = headerMap(ws);
  // One style object per column, shared by its cells: exceljs keys a WeakMap on every style object, which
  // falls off a V8 cliff past ~2 million keys when each cell gets its own.
  const placed = sheet.columns.map((column) => {
    const style: Partial<ExcelJS.Style> = {};
    if (column.type === 'date') style.numFmt = DATE_FORMAT;
    if (column.type === 'money') style.numFmt = ARCHIVE_MONEY_FORMAT;
    if (column.type === 'longText') style.alignment = { wrapText: true, vertical: 'top' };
    return { column, index: headers.get(column.header)!, style };
  });
  for (const row of data[sheet.key]) {
    const cells = archiveCells(sheet.key, row.cells, today);
    const target = ws.addRow([]);
    for (const { column, index, style } of placed) {
      const cell = target.getCell(index);
      cell.value = writeCell(cells[column.key] ?? null, column);
      cell.style = style;
    }
  }
  for (const column of sheet.columns) if (column.type === 'money') ws.getColumn(headers.get(column.header)!).numFmt = ARCHIVE_MONEY_FORMAT;
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  fitWidths(ws);
  printSetup(ws, '1:1');
  // Every field stays here for checking and re-import, but 34 columns cannot print legibly: the print sheets carry them to paper.
  ws.state = 'hidden';
}

function tableHeader(ws: ExcelJS.Worksheet, values: (string | number)[]): void {
  const row = ws.addRow(safeRow(values));
  row.font = { bold: true };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    c.border = { bottom: { style: 'thin' } };
  });
}

function addStatsSheet(workbook: ExcelJS.Workbook, data: RegistryData, settings: Settings, today: CalendarDate): void {
  const ws = workbook.addWorksheet(T.stats);
  const section = (title: string) => {
    if (ws.rowCount) ws.addRow([]);
    ws.addRow(safeRow([title])).font = { bold: true, size: 12 };
  };
  // The same core figures `coop status`, the HTML report and the sheet's 统计看板 show.
  const summary = summarize(data, settings, today);
  section(T.statsTitles.categoryStatus);
  tableHeader(ws, [T.category, ...STATUSES, T.total]);
  for (const [category, counts] of Object.entries(summary.byCategoryStatus)) {
    ws.addRow(safeRow([category, ...STATUSES.map((s) => counts[s]), summary.byCategory[category] ?? 0]));
  }
  ws.addRow(safeRow([T.total, ...STATUSES.map((s) => summary.byStatus[s]), summary.total])).font = { bold: true };

  section(T.statsTitles.department);
  tableHeader(ws, [T.department, T.projects]);
  for (const [department, n] of Object.entries(summary.byDepartment)) ws.addRow(safeRow([department, n]));

  section(T.statsTitles.year);
  tableHeader(ws, [T.year, T.projects, T.income, T.expense]);
  for (const y of summary.byYear) {
    const row = ws.addRow(safeRow([y.year, y.projects, y.income, y.expense]));
    row.getCell(3).numFmt = ARCHIVE_MONEY_FORMAT;
    row.getCell(4).numFmt = ARCHIVE_MONEY_FORMAT;
  }

  section(T.statsTitles.money);
  for (const [label, key] of [
    [T.income, 'income'],
    [T.expense, 'expense'],
  ] as const) {
    ws.addRow(safeRow([label, summary.totals[key]])).getCell(2).numFmt = ARCHIVE_MONEY_FORMAT;
  }

  section(T.statsTitles.overdue);
  tableHeader(ws, [...T.overdueHeaders]);
  if (!summary.overdueEvaluations.length) ws.addRow(safeRow([T.noOverdue]));
  for (const e of summary.overdueEvaluations) ws.addRow(safeRow([e.projectId, e.title, e.department, e.year]));

  // 续签: each chain of renewals once, oldest agreement first, as 前序项目 links them.
  section(RENEWAL_TEXT.chainLabel);
  const chains = renewalChains(data);
  if (!chains.length) ws.addRow(safeRow([RENEWAL_TEXT.noChains]));
  for (const chain of chains) ws.addRow(safeRow([chain.join(' → ')]));
  fitWidths(ws);
  fitLine(ws);
  printFonts(ws);
  printSetup(ws, undefined);
}

function addCover(workbook: ExcelJS.Workbook, data: RegistryData, settings: Settings, now: Date, filters: ArchiveFilters, digest: string): void {
  const ws = workbook.addWorksheet(T.cover);
  const L = T.labels;
  ws.addRow(safeRow([T.title(settings.schoolName)])).font = { ...PRINT_FONT, bold: true, size: 16 };
  ws.mergeCells(1, 1, 1, 2);
  ws.addRow([]);
  for (const [label, value] of [
    [L.school, settings.schoolName],
    [L.exportedAt, schoolTimestamp(now)],
    [L.filters, filtersInWords(filters)],
  ] as const) {
    ws.addRow(safeRow([label, value])).getCell(1).font = { ...PRINT_FONT, bold: true };
  }
  ws.addRow([]);
  ws.addRow(safeRow([L.archiveBlanks])).font = { ...PRINT_FONT, bold: true };
  // Blanks the archive room fills by hand: a ruled line to write on, never a value the system pretends to know.
  for (const label of [L.archiveNo, L.handler, L.checker, L.archivedOn]) {
    const row = ws.addRow(safeRow([label, '']));
    row.height = 24;
    row.getCell(1).font = { ...PRINT_FONT, bold: true };
    row.getCell(2).border = { bottom: { style: 'thin' } };
  }
  ws.addRow([]);
  ws.addRow(safeRow([L.counts])).font = { ...PRINT_FONT, bold: true };
  tableHeader(ws, [L.sheet, L.rows]);
  for (const key of ARCHIVE_SHEETS) ws.addRow(safeRow([sheetSpec(key).name, data[key].length]));
  ws.addRow([]);
  ws.addRow(safeRow([L.digest, digest])).getCell(1).font = { ...PRINT_FONT, bold: true };
  ws.addRow(safeRow(['', L.digestNote])).getCell(2).font = { ...PRINT_FONT, italic: true, color: { argb: 'FF808080' } };
  ws.addRow(safeRow([L.generator, 'coop-registry']));
  ws.addRow([]);
  const note = ws.addRow(safeRow(['', L.printNote]));
  note.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  note.height = 48;
  ws.getColumn(1).width = 16;
  ws.getColumn(2).width = 56;
  printFonts(ws);
  printSetup(ws, undefined);
  ws.pageSetup.orientation = 'portrait';
}

/** Fixed widths that together fill an A4 landscape line at 10 pt: the register never shrinks below 9 pt. */
const REGISTER_WIDTHS = [9, 19, 16, 12, 13, 11, 5, 15, 9];
const REVIEW_WIDTHS = [9, 20, 12, 6, 22, 9, 30];

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** The register an archivist reads: nine columns, one line per project, legible on A4 landscape. */
function addRegisterSheet(workbook: ExcelJS.Workbook, data: RegistryData, settings: Settings, today: CalendarDate): void {
  const ws = printSheet(workbook, T.register, T.registerTitle(settings.schoolName), T.registerHeaders, REGISTER_WIDTHS);
  for (const { cells } of data.projects) {
    const start = str(cells.startDate);
    const end = str(cells.endDate);
    printRow(ws, [
      str(cells.projectId),
      str(cells.title),
      str(cells.partnerName),
      str(cells.category),
      str(cells.department),
      start || end ? T.term(start, end) : '',
      effectiveStatus(cells, today),
      str(cells.agreementNo),
      str(cells.signedAt),
    ]);
  }
}

type TrailEntry = Parameters<typeof projectTrail>[0][number];

/**
 * exceljs's mergeCells compares the new range with every merge already made (O(merges²): 8 of 26 s of a 5,000-project
 * export). The blocks merged here never overlap, so the check runs against an empty set and the merge is added after.
 */
function mergeDisjoint(ws: ExcelJS.Worksheet, top: number, left: number, bottom: number, right: number): void {
  const sheet = ws as unknown as { _merges: Record<string, unknown> };
  const merges = sheet._merges;
  sheet._merges = {};
  try {
    ws.mergeCells(top, left, bottom, right);
  } finally {
    sheet._merges = Object.assign(merges, sheet._merges);
  }
}

/** Each project's review by department (✓ with reviewer and date, 不涉及, or —), meetings and signing, as 审批记录 has them. */
function addReviewSheet(workbook: ExcelJS.Workbook, data: RegistryData, settings: Settings): void {
  const ws = printSheet(workbook, T.reviews, T.reviewsTitle, T.reviewHeaders, REVIEW_WIDTHS);
  // The log grouped by project once: a trail reads only its project's entries, so the sheet costs the log once, not once per project.
  const byProject = new Map<unknown, TrailEntry[]>();
  for (const { cells } of data.reviewLog) {
    const entries = byProject.get(cells.projectId);
    if (entries) entries.push(cells);
    else byProject.set(cells.projectId, [cells]);
  }
  for (const { cells } of data.projects) {
    const id = str(cells.projectId);
    const title = str(cells.title);
    const trail = projectTrail(byProject.get(id) ?? [], id, str(cells.category) || null, settings);
    const first = ws.rowCount + 1;
    for (const r of trail.reviews) printRow(ws, [id, title, r.department, r.mark, r.reviewer, r.date, r.remark]);
    for (const m of trail.meetings) printRow(ws, [id, title, m.body, m.decision || '—', m.actor, m.date, m.minutes]);
    printRow(ws, [id, title, T.signing, trail.signed ? T.signed : '—', trail.signed?.actor ?? '', trail.signed?.date ?? '', trail.signed?.remark ?? '']);
    // One project's rows read as one block: its ID and title once, merged down the block.
    mergeDisjoint(ws, first, 1, ws.rowCount, 1);
    mergeDisjoint(ws, first, 2, ws.rowCount, 2);
  }
}

export interface ArchiveBuild {
  workbook: ExcelJS.Workbook;
  digest: string;
  /** Projects after filtering: zero means there is nothing to archive. */
  projects: number;
  counts: Record<string, number>;
}

export function buildArchive(full: RegistryData, settings: Settings, now: Date, today: CalendarDate, filters: ArchiveFilters): ArchiveBuild {
  const data = filterRegistry(full, today, filters);
  const digest = archiveDigest(data, today);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'coop-registry';
  workbook.lastModifiedBy = 'coop-registry';
  workbook.company = settings.schoolName;
  workbook.title = T.title(settings.schoolName);
  workbook.subject = T.title(settings.schoolName);
  workbook.keywords = `SHA-256:${digest}`;
  workbook.description = `${T.labels.exportedAt} ${schoolTimestamp(now)}`;
  workbook.created = now;
  workbook.modified = now;
  addCover(workbook, data, settings, now, filters, digest);
  addRegisterSheet(workbook, data, settings, today);
  addReviewSheet(workbook, data, settings);
  addStatsSheet(workbook, data, settings, today);
  for (const key of ARCHIVE_SHEETS) addDataSheet(workbook, sheetSpec(key), data, today);
  return { workbook, digest, projects: data.projects.length, counts: Object.fromEntries(ARCHIVE_SHEETS.map((k) => [sheetSpec(k).name, data[k].length])) };
}

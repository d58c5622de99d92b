/** The archive workbook: cover, every registry sheet print-ready, and statistics, from one filtered view of the registry. */
import { createHash } from 'node:crypto';
import type ExcelJS from 'exceljs';
import {
  RENEWAL_TEXT,
  neutralizeFormula,
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
import { styleHeader } from './layout.js';
import {
  PRINT_FONT,
  displayWidth,
  fitLine,
  printCellStyle,
  printFonts,
  printPageSetup,
  printRowHeight,
  printSetup,
  printSheet,
  printWidths,
} from './print-layout.js';
import { MERGED, streamBook, type RawRows, type RawValue, type StreamBook } from './stream-book.js';
import { ARCHIVE_TEXT as T } from './text.js';

export const ARCHIVE_SHEETS: readonly SheetKey[] = ['partners', 'projects', 'reviewLog', 'evaluations', 'outcomes'];
export const ARCHIVE_MONEY_FORMAT = '"¥"#,##0.00';
const MAX_WIDTH = 60;

export interface ArchiveFilters {
  year?: number;
  status?: string;
}

/** How the long sheets' rows are written: as XML text (the default), or through exceljs's row objects (the reference). */
export type ArchiveRows = 'raw' | 'exceljs';

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
  if (key !== 'projects') return cells;
  const status = effectiveStatus(cells, today);
  // Most projects show the status they have: no copy of the row then (this runs for every project three times).
  return status === cells.status ? cells : { ...cells, status };
}

/** SHA-256 over the exported rows in schema column order, so anyone can tell whether archived data was altered. */
export function archiveDigest(data: RegistryData, today: CalendarDate): string {
  const hash = createHash('sha256');
  // Rows hashed in batches of text (the same bytes in the same order): one update per row was a call into C++ each.
  let text = '';
  for (const key of ARCHIVE_SHEETS) {
    const sheet = sheetSpec(key);
    text += JSON.stringify([sheet.name, sheet.columns.map((c) => c.header)]);
    for (const row of data[key]) {
      const cells = archiveCells(key, row.cells, today);
      text += `\n${JSON.stringify(sheet.columns.map((c) => cells[c.key] ?? null))}`;
      if (text.length >= 1 << 16) {
        hash.update(text);
        text = '';
      }
    }
  }
  return hash.update(text).digest('hex');
}

/** The width a cell's value needs: a link by its text. */
const cellWidth = (v: ExcelJS.CellValue) => displayWidth(v && typeof v === 'object' && 'text' in v ? v.text : v) + 2;

/** Column widths of a small sheet from its rows, all still uncommitted. */
function fitWidths(ws: ExcelJS.Worksheet, min = 6): void {
  const widths: number[] = [];
  ws.eachRow((row) => row.eachCell((cell, c) => (widths[c - 1] = Math.max(widths[c - 1] ?? min, cellWidth(cell.value)))));
  for (let c = 0; c < widths.length; c++) ws.getColumn(c + 1).width = Math.min(MAX_WIDTH, widths[c] ?? min);
}

/** A date cell's width (writeCell makes a date of exactly these strings). */
const DATE_WIDTH = cellWidth(new Date(0));
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Rows written between yields, so the zip drains as the sheet is written rather than holding its XML. */
const YIELD_EVERY = 2000;

async function addDataSheet(book: StreamBook, sheet: SheetSpec, data: RegistryData, today: CalendarDate): Promise<void> {
  // Every field stays here for checking and re-import, but 34 columns cannot print legibly: the print sheets carry them to paper.
  const ws = book.addSheet(sheet.name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }], pageSetup: printPageSetup('1:1'), state: 'hidden' });
  // A streamed sheet writes its column widths before its first row, so they are measured from the data first.
  const widths = sheet.columns.map((column) => Math.max(6, cellWidth(column.header)));
  for (const row of data[sheet.key]) {
    const cells = archiveCells(sheet.key, row.cells, today);
    for (let i = 0; i < widths.length; i++) {
      const column = sheet.columns[i]!;
      const value = cells[column.key] ?? null;
      // No text is wider than two units a character (plus the escape): text that short cannot widen the column.
      if (widths[i]! >= MAX_WIDTH || (typeof value === 'string' && value.length * 2 + 4 <= widths[i]!)) continue;
      // Nor can a date once the column holds one (every date is written as a date, the same width).
      if (column.type === 'date' && widths[i]! >= DATE_WIDTH && typeof value === 'string' && ISO_DATE.test(value)) continue;
      widths[i] = Math.max(widths[i]!, cellWidth(writeCell(value, column)));
    }
  }
  ws.columns = sheet.columns.map((c, i) => ({ header: c.header, key: c.key, width: Math.min(MAX_WIDTH, widths[i]!) }));
  styleHeader(ws, sheet, new Map(sheet.columns.map((c, i) => [c.header, i + 1])));
  sheet.columns.forEach((column, i) => column.type === 'money' && (ws.getColumn(i + 1).numFmt = ARCHIVE_MONEY_FORMAT));
  // One style object per column, shared by its cells: exceljs keys a WeakMap on every style object, which
  // falls off a V8 cliff past ~2 million keys when each cell gets its own.
  const styles = sheet.columns.map((column) => {
    const style: Partial<ExcelJS.Style> = {};
    if (column.type === 'date') style.numFmt = DATE_FORMAT;
    if (column.type === 'money') style.numFmt = ARCHIVE_MONEY_FORMAT;
    if (column.type === 'longText') style.alignment = { wrapText: true, vertical: 'top' };
    return style;
  });
  ws.getRow(1).commit();
  const rows = book.rows(ws);
  const values: RawValue[] = new Array(sheet.columns.length);
  let n = 0;
  for (const row of data[sheet.key]) {
    const cells = archiveCells(sheet.key, row.cells, today);
    for (let i = 0; i < values.length; i++) {
      const column = sheet.columns[i]!;
      values[i] = writeCell(cells[column.key] ?? null, column) as RawValue;
    }
    rows.add(values, styles);
    if (++n % YIELD_EVERY === 0) await book.drain();
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  printSetup(ws, '1:1');
  rows.commit();
}

function tableHeader(ws: ExcelJS.Worksheet, values: (string | number)[]): void {
  const row = ws.addRow(safeRow(values));
  row.font = { bold: true };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    c.border = { bottom: { style: 'thin' } };
  });
}

function addStatsSheet(book: StreamBook, data: RegistryData, settings: Settings, today: CalendarDate): void {
  const ws = book.addSheet(T.stats, { pageSetup: printPageSetup(undefined) });
  const section = (title: string) => {
    if (ws.lastRow) ws.addRow([]);
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
  ws.commit();
}

function addCover(book: StreamBook, data: RegistryData, settings: Settings, now: Date, filters: ArchiveFilters, digest: string): void {
  const ws = book.addSheet(T.cover, { pageSetup: printPageSetup(undefined) });
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
  ws.commit();
}

/** The rows of a printed table sheet below its title and header, written raw: each row sized and styled as printRow does. */
function printTable(book: StreamBook, ws: ExcelJS.Worksheet): { rows: RawRows; add(values: (string | Date | null)[], merged?: number): number } {
  ws.getRow(2).commit();
  const rows = book.rows(ws);
  const widths = printWidths(ws, ws.columns.length);
  const cells: RawValue[] = [];
  const styles: Partial<ExcelJS.Style>[] = [];
  return {
    rows,
    /** `merged`: the first columns belong to a merge above (exceljs gives such a cell no value and its master's style). */
    add(values, merged = 0) {
      cells.length = styles.length = values.length;
      for (let c = 0; c < values.length; c++) {
        const v = values[c]!;
        cells[c] = c < merged ? MERGED : typeof v === 'string' ? neutralizeFormula(v) : v;
        styles[c] = printCellStyle(c < merged ? values[0] : v);
      }
      return rows.add(cells, styles, printRowHeight(values, widths));
    },
  };
}

/** Fixed widths that together fill an A4 landscape line at 10 pt: the register never shrinks below 9 pt. */
const REGISTER_WIDTHS = [9, 19, 16, 12, 13, 11, 5, 15, 9];
const REVIEW_WIDTHS = [9, 20, 12, 6, 22, 9, 30];

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** The register an archivist reads: nine columns, one line per project, legible on A4 landscape. */
async function addRegisterSheet(book: StreamBook, data: RegistryData, settings: Settings, today: CalendarDate): Promise<void> {
  const table = printTable(book, printSheet(book.writer, T.register, T.registerTitle(settings.schoolName), T.registerHeaders, REGISTER_WIDTHS));
  let n = 0;
  for (const { cells } of data.projects) {
    const start = str(cells.startDate);
    const end = str(cells.endDate);
    table.add([
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
    if (++n % YIELD_EVERY === 0) await book.drain();
  }
  table.rows.commit();
}

type TrailEntry = Parameters<typeof projectTrail>[0][number];

/** Each project's review by department (✓ with reviewer and date, 不涉及, or —), meetings and signing, as 审批记录 has them. */
async function addReviewSheet(book: StreamBook, data: RegistryData, settings: Settings): Promise<void> {
  const table = printTable(book, printSheet(book.writer, T.reviews, T.reviewsTitle, T.reviewHeaders, REVIEW_WIDTHS));
  // The log grouped by project once: a trail reads only its project's entries, so the sheet costs the log once, not once per project.
  const byProject = new Map<unknown, TrailEntry[]>();
  for (const { cells } of data.reviewLog) {
    const entries = byProject.get(cells.projectId);
    if (entries) entries.push(cells);
    else byProject.set(cells.projectId, [cells]);
  }
  let n = 0;
  for (const { cells } of data.projects) {
    const id = str(cells.projectId);
    const title = str(cells.title);
    const trail = projectTrail(byProject.get(id) ?? [], id, str(cells.category) || null, settings);
    const rows = [
      ...trail.reviews.map((r) => [id, title, r.department, r.mark, r.reviewer, r.date, r.remark]),
      ...trail.meetings.map((m) => [id, title, m.body, m.decision || '—', m.actor, m.date, m.minutes]),
      [id, title, T.signing, trail.signed ? T.signed : '—', trail.signed?.actor ?? '', trail.signed?.date ?? '', trail.signed?.remark ?? ''],
    ];
    // One project's rows read as one block: its ID and title once, merged down the block (each row is still sized by them).
    const first = table.add(rows[0]!);
    for (let i = 1; i < rows.length; i++) table.add(rows[i]!, 2);
    const last = first + rows.length - 1;
    table.rows.merge(first, 1, last, 1);
    table.rows.merge(first, 2, last, 2);
    if (++n % YIELD_EVERY === 0) await book.drain();
  }
  table.rows.commit();
}

export interface ArchiveBuild {
  digest: string;
  /** Projects after filtering: zero means there is nothing to archive. */
  projects: number;
  counts: Record<string, number>;
  /** Streams the workbook, sheet by sheet and row by row, and returns the file's bytes. */
  write(): Promise<Uint8Array>;
}

export function buildArchive(
  full: RegistryData,
  settings: Settings,
  now: Date,
  today: CalendarDate,
  filters: ArchiveFilters,
  options: { rows?: ArchiveRows } = {},
): ArchiveBuild {
  const data = filterRegistry(full, today, filters);
  // The digest goes on the cover, the first sheet written, so it is computed from the data before any row is.
  const digest = archiveDigest(data, today);
  const write = async () => {
    const book = streamBook(
      {
        creator: 'coop-registry',
        lastModifiedBy: 'coop-registry',
        company: settings.schoolName,
        title: T.title(settings.schoolName),
        subject: T.title(settings.schoolName),
        keywords: `SHA-256:${digest}`,
        description: `${T.labels.exportedAt} ${schoolTimestamp(now)}`,
        created: now,
        modified: now,
      },
      options.rows,
    );
    addCover(book, data, settings, now, filters, digest);
    await addRegisterSheet(book, data, settings, today);
    await addReviewSheet(book, data, settings);
    addStatsSheet(book, data, settings, today);
    for (const key of ARCHIVE_SHEETS) await addDataSheet(book, sheetSpec(key), data, today);
    return book.finish();
  };
  return { digest, projects: data.projects.length, counts: Object.fromEntries(ARCHIVE_SHEETS.map((k) => [sheetSpec(k).name, data[k].length])), write };
}

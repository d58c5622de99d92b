/** Reads any workbook a department might send (our form, an archive export, a hand-typed register) into located raw rows. */
import type { EventEmitter } from 'node:events';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import {
  CoopError,
  columnOf,
  evaluationsSheet,
  isDigitsTextColumn,
  isSampleText,
  lostPrecision,
  matchHeader,
  normalizeImported,
  outcomesSheet,
  partnersSheet,
  projectsSheet,
  reviewLogSheet,
  settingsSheet,
  type CellValue,
  type ColumnSpec,
  type RawCells,
  type Settings,
  type SheetSpec,
} from '../../../core/index.js';
import { cellError, cellValue, plainValue } from './cells.js';
import type { LegacyKind } from './legacy-formats.js';
import { loadWorkbookFile, normalizePackage } from './package-parts.js';
import { sheetLayouts, sheetNames, Utf8WorkbookReader, type MergedRange, type SheetLayout } from './xlsx-stream.js';
import { ARCHIVE_TEXT, FORM_TEXT, IMPORT_TEXT as T } from './text.js';

/**
 * The columns that identify a row in a typed file: the sheet's natural key (core/schema.ts), where a reference the
 * sheet also shows by name (合作单位名称 beside 合作单位编号) may be given by that name instead.
 */
function identityOf(sheet: SheetSpec): readonly string[] {
  const byName = sheet.columns.some((c) => c.lookup);
  return (sheet.naturalKey?.columns ?? []).filter((key) => !(byName && columnOf(sheet, key).ref));
}

/** The sheets an import may add to or update, with the columns that identify a row in a typed file. */
export const IMPORTABLE = ([partnersSheet, projectsSheet, evaluationsSheet, outcomesSheet] as const).map((sheet) => ({ sheet, identity: identityOf(sheet) }));

export type ImportSheetKey = (typeof IMPORTABLE)[number]['sheet']['key'];

/** A cell's value as the person saw it, kept verbatim for the rejects workbook. */
export type VerbatimValue = string | number | boolean | Date | null;

export interface SourceColumn {
  index: number;
  header: string;
  column?: ColumnSpec;
  /** On a 合作项目 sheet: a column of the partner (信用代码, 单位类型, 联系人…), as one-sheet registers carry it. */
  partnerColumn?: ColumnSpec;
}

export interface ImportedRow {
  file: string;
  sheetName: string;
  /** 1-based row in the source sheet. */
  row: number;
  /** Normalised values of the schema columns the file has. */
  cells: RawCells;
  /** Normalised partner values beside a project (one-sheet registers), by partner column key. */
  partnerCells?: RawCells;
  /** Cells refused as read (error values, digits Excel cut), by column key; `partner` for the partner columns of a project row. */
  cellProblems?: CellProblem[];
  /** Verbatim values, one per column of the sheet's `columns`, in that order (an array: a large import keeps one per row). */
  original: VerbatimValue[];
}

export interface CellProblem {
  key: string;
  partner: boolean;
  rule: string;
  message: string;
  value: VerbatimValue;
}

/** What is wrong with a cell as read, before any rule: an error value, or digits Excel already cut. */
function readProblem(value: ExcelJS.CellValue, column: ColumnSpec): Omit<CellProblem, 'key' | 'partner'> | undefined {
  const error = cellError(value);
  if (error) return { rule: '错误值', message: T.errorCell(error), value: error };
  // Digits that must arrive exactly: a number Excel rounded to 15 significant digits cannot be them.
  if (!isDigitsTextColumn(column)) return undefined;
  const plain = plainValue(value);
  if ((typeof plain === 'number' && lostPrecision(plain)) || (typeof plain === 'string' && /^\d(\.\d+)?E\+\d+$/i.test(plain.trim()))) {
    return { rule: '数字精度', message: T.digitsCut(column.header), value: typeof plain === 'number' ? plain.toFixed(0) : plain };
  }
  return undefined;
}

export interface ImportedSheet {
  file: string;
  sheetName: string;
  key: ImportSheetKey;
  spec: SheetSpec;
  headerRow: number;
  columns: SourceColumn[];
  rows: ImportedRow[];
}

export interface ReadResult {
  sheets: ImportedSheet[];
  notes: string[];
  /** Sheets holding data that no header was recognised on: reported, never skipped in silence. */
  unrecognised: string[];
}

/**
 * Sheets of our own workbooks that describe rather than hold data: form instructions, the archive's cover, statistics
 * and its printed register and review sheets (the data sheets beside them carry every field).
 */
const NOT_DATA_SHEETS = new Set<string>([
  FORM_TEXT.guideSheet,
  ARCHIVE_TEXT.cover,
  ARCHIVE_TEXT.stats,
  ARCHIVE_TEXT.register,
  ARCHIVE_TEXT.reviews,
  settingsSheet.name,
]);

/** Partner columns a project row may carry beside 合作单位名称; the rest (编号, 备注) mean the project's own. */
const PARTNER_COLUMNS_ON_PROJECTS = partnersSheet.columns.filter((c) => !['partnerId', 'name', 'notes'].includes(c.key));

/** How far down a title block may push the header row. */
const HEADER_SEARCH_ROWS = 30;

type FileKind = 'xlsx' | LegacyKind;

/** What a file holds, told by its bytes rather than its name (departments rename .csv and .ods files to .xlsx). */
async function sniff(path: string): Promise<FileKind> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new CoopError('INPUT_UNREADABLE', T.notFound(path));
  }
  if (size === 0) throw new CoopError('INPUT_UNREADABLE', T.empty(path));
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 8));
    await handle.read(head, 0, head.length, 0);
    if (head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0) {
      // An OLE compound file: either Excel 97-2003, or an encrypted OOXML package (password to open).
      const whole = Buffer.alloc(size);
      await handle.read(whole, 0, size, 0);
      if (whole.includes(Buffer.from('EncryptedPackage', 'utf16le')) || whole.includes(Buffer.from('EncryptionInfo', 'utf16le'))) {
        throw new CoopError('INPUT_UNREADABLE', T.encrypted(path));
      }
      if (!whole.includes(Buffer.from('Workbook', 'utf16le')) && !whole.includes(Buffer.from('Book', 'utf16le')))
        throw new CoopError('INPUT_UNREADABLE', T.notXlsx(path));
      return 'xls';
    }
    if (head[0] === 0x50 && head[1] === 0x4b) {
      const whole = Buffer.alloc(size);
      await handle.read(whole, 0, size, 0);
      // Zip entry names are stored uncompressed, so an .xlsx always shows its workbook part…
      if (whole.includes(Buffer.from('xl/workbook.xml'))) return 'xlsx';
      // …and an OpenDocument file its stored mimetype entry.
      if (whole.includes(Buffer.from('application/vnd.oasis.opendocument.spreadsheet'))) return 'ods';
      throw new CoopError('INPUT_UNREADABLE', T.notWorkbookZip(path));
    }
    const sample = Buffer.alloc(Math.min(size, 4096));
    await handle.read(sample, 0, sample.length, 0);
    if (!sample.includes(0)) {
      // A flat OpenDocument spreadsheet (.fods) is XML text; anything else textual is read as CSV.
      return /<office:document[^>]*opendocument/.test(sample.toString('latin1')) ? 'ods' : 'csv';
    }
    throw new CoopError('INPUT_UNREADABLE', T.notXlsx(path));
  } finally {
    await handle.close();
  }
}

/** An .xls/.ods/CSV file as a workbook; SheetJS (the 2 MB behind it) is loaded only when such a file comes. */
async function legacyWorkbook(path: string, kind: LegacyKind): Promise<ExcelJS.Workbook> {
  return (await import('./legacy-formats.js')).legacyWorkbook(path, kind);
}

/** Loads a whole workbook (after `sniff`): the path for ordinary department files, where exceljs's full model is cheap. */
function loadWorkbook(path: string): Promise<ExcelJS.Workbook> {
  return loadWorkbookFile(path);
}

function headerText(value: ExcelJS.CellValue): string {
  const plain = plainValue(value);
  return typeof plain === 'string' ? plain : '';
}

function verbatim(value: ExcelJS.CellValue): VerbatimValue {
  return plainValue(value);
}

interface HeaderGuess {
  row: number;
  key: ImportSheetKey;
  spec: SheetSpec;
  columns: SourceColumn[];
  score: number;
}

/** One worksheet as the import needs it, whether loaded whole or streamed: its name, hidden columns, and rows in order. */
interface SheetSource {
  name: string;
  isHidden(column: number): boolean;
  rows: AsyncIterable<ExcelJS.Row> | Iterable<ExcelJS.Row>;
}

/** The row and sheet kind whose header cells best match the schema, searching below any title rows. */
function findHeader(name: string, top: readonly ExcelJS.Row[], isHidden: (column: number) => boolean): HeaderGuess | undefined {
  let best: HeaderGuess | undefined;
  for (const row of top) {
    if (row.number > HEADER_SEARCH_ROWS || !row.hasValues) continue;
    const texts: [number, string][] = [];
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const t = headerText(cell.value);
      if (t.trim()) texts.push([c, t]);
    });
    for (const { sheet, identity } of IMPORTABLE) {
      const byKey = new Map<string, SourceColumn>();
      const partnerKeys = new Set<string>();
      const columns: SourceColumn[] = [];
      for (const [index, text] of texts) {
        const column = matchHeader(sheet, text);
        const entry: SourceColumn = { index, header: text.trim() };
        if (column) {
          const taken = byKey.get(column.key);
          // A hidden column holding an old copy loses to the visible one of the same name.
          if (!taken) {
            entry.column = column;
            byKey.set(column.key, entry);
          } else if (isHidden(taken.index) && !isHidden(index)) {
            delete taken.column;
            entry.column = column;
            byKey.set(column.key, entry);
          }
        } else if (sheet === projectsSheet) {
          const partnerColumn = PARTNER_COLUMNS_ON_PROJECTS.find((c) => matchHeader(partnersSheet, text) === c);
          if (partnerColumn && !partnerKeys.has(partnerColumn.key)) {
            entry.partnerColumn = partnerColumn;
            partnerKeys.add(partnerColumn.key);
          }
        }
        columns.push(entry);
      }
      if (!identity.every((k) => byKey.has(k))) continue;
      const named = name.trim() === sheet.name;
      const score = byKey.size + (named ? 100 : 0);
      if (byKey.size < (named ? 2 : 3)) continue;
      if (!best || score > best.score) best = { row: row.number, key: sheet.key as ImportSheetKey, spec: sheet, columns, score };
    }
  }
  return best;
}

function isBlank(value: VerbatimValue): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

interface SheetRead {
  /** Rows holding any value: what tells an empty workbook and a skipped 审批记录 apart. */
  valueRows: number;
  /** Whether the sheet is one the import leaves alone by design (instructions, cover, 审批记录, 设置). */
  skipped: boolean;
  sheet?: ImportedSheet;
}

/** Receives each imported row as soon as it is read, with its sheet (whose `rows` stay empty): the import's streaming merge. */
export type RowSink = (sheet: ImportedSheet, row: ImportedRow) => Promise<void> | void;

/**
 * Reads one worksheet row by row: the first rows are held back until the header is found, every later row becomes
 * an ImportedRow at once, so a streamed sheet never holds more than the title block as exceljs rows. With a `sink`,
 * each row is handed over as read and not kept.
 */
async function readSheet(path: string, source: SheetSource, settings: Settings, sink?: RowSink): Promise<SheetRead> {
  const name = source.name;
  const skip = NOT_DATA_SHEETS.has(name.trim()) || name.trim() === reviewLogSheet.name;
  let valueRows = 0;
  const top: ExcelJS.Row[] = [];
  let header: HeaderGuess | undefined;
  let sheet: ImportedSheet | undefined;
  let decided = skip;
  let mapped: SourceColumn[] = [];
  let partnerMapped: SourceColumn[] = [];
  let identity: readonly string[] = [];
  const take = async (row: ExcelJS.Row): Promise<void> => {
    const original = header!.columns.map((c) => verbatim(row.getCell(c.index).value));
    if (!original.some((v, i) => (header!.columns[i]!.column || header!.columns[i]!.partnerColumn) && !isBlank(v))) return;
    const cells: RawCells = {};
    const cellProblems: CellProblem[] = [];
    const read = (c: SourceColumn, column: ColumnSpec, partner: boolean): CellValue => {
      const value = row.getCell(c.index).value;
      const wrong = readProblem(value, column);
      if (!wrong) return normalizeImported(column, cellValue(value, column), settings);
      cellProblems.push({ key: column.key, partner, ...wrong });
      return null;
    };
    for (const c of mapped) cells[c.column!.key] = read(c, c.column!, false);
    if (identity.some((k) => isSampleText(cells[k] ?? null))) return;
    const imported: ImportedRow = { file: path, sheetName: name, row: row.number, cells, original };
    if (partnerMapped.length) {
      imported.partnerCells = {};
      for (const c of partnerMapped) imported.partnerCells[c.partnerColumn!.key] = read(c, c.partnerColumn!, true);
    }
    if (cellProblems.length) imported.cellProblems = cellProblems;
    if (sink) await sink(sheet!, imported);
    else sheet!.rows.push(imported);
  };
  const decide = async (): Promise<void> => {
    decided = true;
    header = findHeader(name, top, (c) => source.isHidden(c));
    if (header) {
      mapped = header.columns.filter((c) => c.column);
      partnerMapped = header.columns.filter((c) => c.partnerColumn);
      identity = IMPORTABLE.find((i) => i.sheet.key === header!.key)!.identity;
      sheet = { file: path, sheetName: name, key: header.key, spec: header.spec, headerRow: header.row, columns: header.columns, rows: [] };
      for (const row of top) if (row.number > header.row && row.hasValues) await take(row);
    }
    top.length = 0;
  };
  for await (const row of source.rows) {
    if (!row.hasValues) continue;
    valueRows++;
    if (decided) {
      if (header) await take(row);
      continue;
    }
    if (row.number <= HEADER_SEARCH_ROWS) top.push(row);
    else {
      await decide();
      if (header) await take(row);
    }
  }
  if (!decided) await decide();
  return sheet ? { valueRows, skipped: skip, sheet } : { valueRows, skipped: skip };
}

/**
 * Files larger than this (~8,000 rows) are streamed: exceljs's whole-workbook model costs roughly 1 KB per cell (260 MiB
 * for a 25,000-row register), a streamed row is gone once merged. Department forms stay far below it.
 */
export const STREAM_THRESHOLD_BYTES = 512 * 2 ** 10;

export interface ReadOptions {
  /** Stream the workbook instead of loading it whole; by default, files above STREAM_THRESHOLD_BYTES are streamed. */
  stream?: boolean;
  /** Hand each row over as it is read instead of collecting it (the returned sheets then have no rows). */
  onRow?: RowSink;
}

function loadedSheets(wb: ExcelJS.Workbook): SheetSource[] {
  return wb.worksheets.map((ws) => ({
    name: ws.name,
    isHidden: (c: number) => ws.getColumn(c).hidden,
    rows: (function* () {
      for (let r = 1; r <= ws.rowCount; r++) {
        const row = ws.findRow(r);
        if (row) yield row;
      }
    })(),
  }));
}

/** Merged cells read as their top-left cell, as exceljs's loaded workbook shows them (a 系部 merged down five rows fills all five). */
async function* withMerges(rows: AsyncIterable<ExcelJS.Row>, merged: readonly MergedRange[]): AsyncGenerator<ExcelJS.Row> {
  const masters = new Map<MergedRange, ExcelJS.CellValue>();
  for await (const row of rows) {
    for (const m of merged) {
      if (row.number < m.top || row.number > m.bottom) continue;
      if (row.number === m.top) masters.set(m, row.getCell(m.left).value);
      const value = masters.get(m);
      if (value === undefined || value === null) continue;
      for (let c = m.left; c <= m.right; c++) if (row.number !== m.top || c !== m.left) row.getCell(c).value = value;
    }
    yield row;
  }
}

/** What streaming a file needs first: its sheets' layouts and names, and the file exceljs reads (a normalised copy if need be). */
async function prepareStream(path: string): Promise<{ layouts: Map<string, SheetLayout>; names: Map<string, string>; source: string; scratch?: string }> {
  // Normalised like the loaded path, so both see the same sheet names (openpyxl's absolute targets named every sheet 「Sheet1」).
  const original = await readFile(path);
  const zip = await normalizePackage(original);
  const layouts = await sheetLayouts(zip);
  const names = await sheetNames(zip);
  // exceljs's stream reader is fed from a file, as it is tested upstream: from one in-memory chunk it sometimes ends
  // before emitting the last worksheet. A rewritten package goes through a private temporary copy.
  if (zip === original) return { layouts, names, source: path };
  const scratch = await mkdtemp(join(tmpdir(), 'coop-import-'));
  const source = join(scratch, 'normalised.xlsx');
  await writeFile(source, zip);
  return { layouts, names, source, scratch };
}

async function* streamedSheets(path: string): AsyncGenerator<SheetSource> {
  // Prepared in a function of its own, so the file's bytes are not held by this generator while its rows are read.
  const { layouts, names, source, scratch } = await prepareStream(path);
  try {
    yield* streamFrom(source, layouts, names);
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

async function* streamFrom(path: string, layouts: Map<string, SheetLayout>, names: Map<string, string>): AsyncGenerator<SheetSource> {
  const reader = new Utf8WorkbookReader(path, {
    sharedStrings: 'cache',
    // Hyperlinks follow the cells in the sheet XML, so streamed cells keep their displayed text (what a link column holds).
    hyperlinks: 'ignore',
    // Styles tell a real date from a number.
    styles: 'cache',
    worksheets: 'emit',
    // The worksheet entry event names the part (sheetN.xml) the next worksheet comes from: the key to its hidden columns.
    entries: 'emit',
  });
  let part = '';
  const seen = new Set<string>();
  (reader as unknown as EventEmitter).on('entry', (entry: { type: string; id?: string }) => {
    if (entry.type === 'worksheet') part = String(entry.id);
  });
  for await (const ws of reader as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader>) {
    const sheet = ws as unknown as { name: string } & AsyncIterable<ExcelJS.Row>;
    const layout = layouts.get(part) ?? { hidden: new Set<number>(), merged: [] };
    const name = names.get(part) ?? sheet.name;
    seen.add(name);
    yield { name, isHidden: (c) => layout.hidden.has(c), rows: layout.merged.length ? withMerges(sheet, layout.merged) : sheet };
  }
  // exceljs's stream reader can end before its last worksheet (seen on packages written by openpyxl): nothing may be
  // dropped, so any sheet it did not emit is read from the whole workbook instead.
  const missing = [...names.values()].filter((name) => !seen.has(name));
  if (missing.length) yield* loadedSheets(await loadWorkbook(path)).filter((s) => missing.includes(s.name));
}

/** Reads every recognisable sheet of one file; raises a clear error when the file holds nothing importable. */
export async function readImportFile(path: string, settings: Settings, options: ReadOptions = {}): Promise<ReadResult> {
  const kind = await sniff(path);
  const stream = kind === 'xlsx' && (options.stream ?? (await stat(path)).size > STREAM_THRESHOLD_BYTES);
  const sheets: ImportedSheet[] = [];
  const notes: string[] = [];
  const unrecognised: string[] = [];
  let anyValue = false;
  // What the row sink throws (the import's own limits, a refusal) is the caller's error, never 「文件已损坏」.
  let sinkError: unknown;
  const sink = options.onRow;
  const onRow: RowSink | undefined =
    sink &&
    (async (sheet, row) => {
      try {
        await sink(sheet, row);
      } catch (error) {
        sinkError = error;
        throw error;
      }
    });
  try {
    const sources: AsyncIterable<SheetSource> | Iterable<SheetSource> = stream
      ? streamedSheets(path)
      : loadedSheets(kind === 'xlsx' ? await loadWorkbook(path) : await legacyWorkbook(path, kind));
    for await (const source of sources) {
      const read = await readSheet(path, source, settings, onRow);
      if (read.valueRows > 0) anyValue = true;
      if (source.name.trim() === reviewLogSheet.name && read.valueRows > 1) notes.push(T.sheetSkipped(source.name, T.reviewLogSkipped));
      if (read.sheet) sheets.push(read.sheet);
      else if (!read.skipped && read.valueRows > 0) unrecognised.push(source.name);
    }
  } catch (error) {
    if (error instanceof CoopError || (sinkError !== undefined && error === sinkError)) throw error;
    throw new CoopError('INPUT_UNREADABLE', T.corrupt(path, (error as Error).message));
  }
  if (!anyValue) throw new CoopError('INPUT_UNREADABLE', T.emptyWorkbook(path));
  const expected = ([partnersSheet, projectsSheet] as SheetSpec[])
    .map((s) =>
      s.columns
        .filter((c) => c.required)
        .map((c) => c.header)
        .join('、'),
    )
    .join('；');
  if (!sheets.length) throw new CoopError('INPUT_UNREADABLE', T.noHeader(path, expected));
  return { sheets, notes, unrecognised: unrecognised.map((name) => T.sheetNotRecognised(name, expected)) };
}

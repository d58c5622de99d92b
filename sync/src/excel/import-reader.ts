/** Reads any workbook a department might send (our form, an archive export, a hand-typed register) into located raw rows. */
import { open, stat } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import {
  CoopError,
  evaluationsSheet,
  isSampleText,
  matchHeader,
  normalizeImported,
  outcomesSheet,
  partnersSheet,
  projectsSheet,
  restoreText,
  reviewLogSheet,
  type CellValue,
  type ColumnSpec,
  type RawCells,
  type Settings,
  type SheetSpec,
} from '../../../core/index.js';
import { calendarDateFromExcel, plainValue } from './cells.js';
import { ARCHIVE_TEXT, FORM_TEXT, IMPORT_TEXT as T } from './text.js';

/** The sheets an import may add to or update, with the columns that identify a row in a typed file. */
export const IMPORTABLE = [
  { sheet: partnersSheet, identity: ['name'] },
  { sheet: projectsSheet, identity: ['title'] },
  { sheet: evaluationsSheet, identity: ['projectId', 'year'] },
  { sheet: outcomesSheet, identity: ['projectId', 'title'] },
] as const;

export type ImportSheetKey = (typeof IMPORTABLE)[number]['sheet']['key'];

/** A cell's value as the person saw it, kept verbatim for the rejects workbook. */
export type VerbatimValue = string | number | boolean | Date | null;

export interface SourceColumn {
  index: number;
  header: string;
  column?: ColumnSpec;
}

export interface ImportedRow {
  file: string;
  sheetName: string;
  /** 1-based row in the source sheet. */
  row: number;
  /** Normalised values of the schema columns the file has. */
  cells: RawCells;
  /** Verbatim values by source column index. */
  original: Map<number, VerbatimValue>;
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
}

/** Sheets of our own workbooks that describe rather than hold data: form instructions, archive cover and statistics. */
const NOT_DATA_SHEETS = new Set<string>([FORM_TEXT.guideSheet, ARCHIVE_TEXT.cover, ARCHIVE_TEXT.stats]);

/** How far down a title block may push the header row. */
const HEADER_SEARCH_ROWS = 30;

async function sniff(path: string): Promise<void> {
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
    if (head.readUInt32BE(0) === 0xd0cf11e0) {
      // An OLE compound file: either Excel 97-2003, or an encrypted OOXML package (password to open).
      const whole = Buffer.alloc(size);
      await handle.read(whole, 0, size, 0);
      if (whole.includes(Buffer.from('EncryptedPackage', 'utf16le')) || whole.includes(Buffer.from('EncryptionInfo', 'utf16le'))) {
        throw new CoopError('INPUT_UNREADABLE', T.encrypted(path));
      }
      throw new CoopError('INPUT_UNREADABLE', T.oldXls(path));
    }
    if (head[0] === 0x50 && head[1] === 0x4b) {
      const whole = Buffer.alloc(size);
      await handle.read(whole, 0, size, 0);
      // Zip entry names are stored uncompressed, so an .xlsx always shows its workbook part.
      if (!whole.includes(Buffer.from('xl/workbook.xml'))) throw new CoopError('INPUT_UNREADABLE', T.notWorkbookZip(path));
      return;
    }
    const sample = Buffer.alloc(Math.min(size, 4096));
    await handle.read(sample, 0, sample.length, 0);
    if (!sample.includes(0)) throw new CoopError('INPUT_UNREADABLE', T.textFile(path));
    throw new CoopError('INPUT_UNREADABLE', T.notXlsx(path));
  } finally {
    await handle.close();
  }
}

/** Opens a workbook for import, turning every way a file can be wrong into a Chinese error that says what to do. */
export async function openWorkbook(path: string): Promise<ExcelJS.Workbook> {
  await sniff(path);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw new CoopError('INPUT_UNREADABLE', T.corrupt(path, (error as Error).message));
  }
  return workbook;
}

function headerText(value: ExcelJS.CellValue): string {
  const plain = plainValue(value);
  return typeof plain === 'string' ? plain : '';
}

/** A cell's value for the core: rich text, hyperlinks and formulas reduced; real dates as calendar dates. */
function rawValue(value: ExcelJS.CellValue, column: ColumnSpec): CellValue {
  // LibreOffice saves booleans as the formulas TRUE() and FALSE(), with no cached result.
  if (value && typeof value === 'object' && 'formula' in value && /^(TRUE|FALSE)\(\)$/i.test(value.formula ?? '') && (value as { result?: unknown }).result === undefined) {
    return value.formula!.toUpperCase() === 'TRUE()';
  }
  if (column.type === 'link' && value && typeof value === 'object' && 'hyperlink' in value) return value.hyperlink;
  const plain = plainValue(value);
  if (plain instanceof Date) {
    if (column.type === 'timestamp') {
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${calendarDateFromExcel(plain)} ${pad(plain.getUTCHours())}:${pad(plain.getUTCMinutes())}:${pad(plain.getUTCSeconds())}`;
    }
    return calendarDateFromExcel(plain);
  }
  if (typeof plain === 'string') return restoreText(plain);
  return plain;
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

/** The row and sheet kind whose header cells best match the schema, searching below any title rows. */
function findHeader(ws: ExcelJS.Worksheet): HeaderGuess | undefined {
  let best: HeaderGuess | undefined;
  const last = Math.min(ws.rowCount, HEADER_SEARCH_ROWS);
  for (let r = 1; r <= last; r++) {
    const row = ws.findRow(r);
    if (!row || !row.hasValues) continue;
    const texts: [number, string][] = [];
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const t = headerText(cell.value);
      if (t.trim()) texts.push([c, t]);
    });
    for (const { sheet, identity } of IMPORTABLE) {
      const byKey = new Map<string, SourceColumn>();
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
          } else if (ws.getColumn(taken.index).hidden && !ws.getColumn(index).hidden) {
            delete taken.column;
            entry.column = column;
            byKey.set(column.key, entry);
          }
        }
        columns.push(entry);
      }
      if (!identity.every((k) => byKey.has(k))) continue;
      const named = ws.name.trim() === sheet.name;
      const score = byKey.size + (named ? 100 : 0);
      if (byKey.size < (named ? 2 : 3)) continue;
      if (!best || score > best.score) best = { row: r, key: sheet.key as ImportSheetKey, spec: sheet, columns, score };
    }
  }
  return best;
}

function isBlank(value: VerbatimValue): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/** Reads every recognisable sheet of one file; raises a clear error when the file holds nothing importable. */
export async function readImportFile(path: string, settings: Settings, workbook?: ExcelJS.Workbook): Promise<ReadResult> {
  const wb = workbook ?? (await openWorkbook(path));
  const sheets: ImportedSheet[] = [];
  const notes: string[] = [];
  let anyValue = false;
  for (const ws of wb.worksheets) {
    if (ws.actualRowCount > 0) anyValue = true;
    if (NOT_DATA_SHEETS.has(ws.name.trim())) continue;
    if (ws.name.trim() === reviewLogSheet.name) {
      if (ws.actualRowCount > 1) notes.push(T.sheetSkipped(ws.name, T.reviewLogSkipped));
      continue;
    }
    const header = findHeader(ws);
    if (!header) continue;
    const mapped = header.columns.filter((c) => c.column);
    const identity = IMPORTABLE.find((i) => i.sheet.key === header.key)!.identity;
    const rows: ImportedRow[] = [];
    for (let r = header.row + 1; r <= ws.rowCount; r++) {
      const row = ws.findRow(r);
      if (!row || !row.hasValues) continue;
      const original = new Map<number, VerbatimValue>();
      for (const c of header.columns) original.set(c.index, verbatim(row.getCell(c.index).value));
      if (mapped.every((c) => isBlank(original.get(c.index) ?? null))) continue;
      const cells: RawCells = {};
      for (const c of mapped) cells[c.column!.key] = normalizeImported(c.column!, rawValue(row.getCell(c.index).value, c.column!), settings);
      if (identity.some((k) => isSampleText(cells[k] ?? null))) continue;
      rows.push({ file: path, sheetName: ws.name, row: r, cells, original });
    }
    sheets.push({ file: path, sheetName: ws.name, key: header.key, spec: header.spec, headerRow: header.row, columns: header.columns, rows });
  }
  if (!anyValue) throw new CoopError('INPUT_UNREADABLE', T.emptyWorkbook(path));
  if (!sheets.length) {
    const expected = ([partnersSheet, projectsSheet] as SheetSpec[]).map((s) => s.columns.filter((c) => c.required).map((c) => c.header).join('、')).join('；');
    throw new CoopError('INPUT_UNREADABLE', T.noHeader(path, expected));
  }
  return { sheets, notes };
}

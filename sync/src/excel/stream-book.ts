/** exceljs's streaming workbook writer, made to carry what its whole-model writer writes for a printed workbook. */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
// @ts-expect-error exceljs ships no typings for its xforms; this is the one its whole-model writer renders app.xml with.
import AppXform from 'exceljs/lib/xlsx/xform/core/app-xform.js';
// @ts-expect-error nor for its ranges; a merge is recorded as the writer's own range, so it prints as the writer prints it.
import Range from 'exceljs/lib/doc/range.js';
import { columnLetter } from '../util/a1.js';

/** Workbook properties the archive sets (core.xml and app.xml). */
export interface BookProperties {
  creator: string;
  lastModifiedBy: string;
  company: string;
  title: string;
  subject: string;
  keywords: string;
  description: string;
  created: Date;
  modified: Date;
}

export interface SheetOptions {
  views?: Partial<ExcelJS.WorksheetView>[];
  pageSetup?: Partial<ExcelJS.PageSetup>;
  state?: ExcelJS.WorksheetState;
}

/** The parts of exceljs's WorksheetWriter its typings leave out. */
interface WriterInternals {
  _merges: unknown[];
  _writePageMargins(): void;
  stream: { write(text: string): void };
  pageSetup: Partial<ExcelJS.PageSetup>;
}

/** What the writer's row serialiser uses: its shared strings, its styles and the sheet's hyperlink relationships. */
interface RowInternals {
  _rows: unknown[];
  _rowZero: number;
  startedData: boolean;
  useSharedStrings: boolean;
  _writeColumns(): void;
  _writeOpenSheetData(): void;
  _merges: unknown[];
  _sheetRelsWriter: { addHyperlink(link: { address: string; target: string; tooltip?: string }): void };
  _workbook: {
    sharedStrings: { add(text: string): number };
    styles: { addStyleModel(style: Partial<ExcelJS.Style>, type: ExcelJS.ValueType): number };
  };
  stream: { write(text: string): void };
}

interface BookInternals {
  _worksheets: unknown[];
  zip: { append(text: string, options: { name: string }): void };
  addApp(): Promise<void>;
}

export interface StreamBook {
  writer: ExcelJS.stream.xlsx.WorkbookWriter;
  addSheet(name: string, options: SheetOptions): ExcelJS.Worksheet;
  /** The writer of a long sheet's rows, once its own rows (title, header) are committed: raw XML or exceljs's rows. */
  rows(ws: ExcelJS.Worksheet): RawRows;
  /** Commits every sheet and returns the file's bytes. */
  finish(): Promise<Uint8Array>;
}

/**
 * Rows go into the zip as they are committed; the zip is gathered in memory (a few MB for 10,000 projects, against
 * the whole sheet model before) so the caller writes it with the same atomic temp-file-and-rename as every output.
 */
export function streamBook(properties: BookProperties, rows: 'raw' | 'exceljs' = 'raw'): StreamBook {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  // Shared strings as the whole-model writer uses them: LibreOffice, WPS and older readers all take them.
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
  Object.assign(writer, properties);
  const book = writer as unknown as BookInternals;
  // The streaming writer's app.xml leaves out the company (单位) that the whole-model writer records from the same model.
  book.addApp = async () => {
    const xml = new AppXform().toXml({ worksheets: book._worksheets.filter(Boolean), company: properties.company });
    book.zip.append(xml, { name: 'docProps/app.xml' });
  };
  // Every sheet, also those the shared print helpers add through the writer, gets what the writer leaves out.
  const addWorksheet = writer.addWorksheet.bind(writer);
  writer.addWorksheet = (name?: string, options?: Partial<ExcelJS.AddWorksheetOptions>) => {
    const ws = addWorksheet(name, options);
    const internals = ws as unknown as WriterInternals;
    // The writer puts the sheet views out when the sheet opens; the shared layout helpers assign them again later,
    // which the writer's read-only property would refuse.
    Object.defineProperty(ws, 'views', { value: ws.views, writable: true });
    // Nor does it write print options (centred on the page), which belong just before the page margins.
    const margins = internals._writePageMargins.bind(ws);
    internals._writePageMargins = () => {
      const { horizontalCentered, verticalCentered } = internals.pageSetup;
      if (horizontalCentered || verticalCentered) {
        internals.stream.write(`<printOptions${horizontalCentered ? ' horizontalCentered="1"' : ''}${verticalCentered ? ' verticalCentered="1"' : ''}/>`);
      }
      margins();
    };
    return ws;
  };
  return {
    writer,
    addSheet: (name, options) => writer.addWorksheet(name, options),
    rows: rows === 'raw' ? rawRows : exceljsRows,
    async finish() {
      const ended = new Promise<void>((resolve, reject) => {
        sink.on('end', resolve);
        sink.on('error', reject);
      });
      await writer.commit();
      await ended;
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}

/**
 * Merges a block of rows not yet committed. The writer compares each new merge with every earlier one (O(merges²) over
 * a long sheet); the blocks merged here never overlap, so the check runs against none and the merge is recorded after.
 */
export function mergeDisjoint(ws: ExcelJS.Worksheet, top: number, left: number, bottom: number, right: number): void {
  const sheet = ws as unknown as WriterInternals;
  const merges = sheet._merges;
  const fresh: unknown[] = [];
  sheet._merges = fresh;
  try {
    ws.mergeCells(top, left, bottom, right);
  } finally {
    sheet._merges = merges;
    merges.push(...fresh);
  }
}

/** A value a raw row holds: what `writeCell` gives a cell (the archive writes no formula or rich text), or a merged cell. */
export type RawValue = string | number | boolean | Date | { text: string; hyperlink: string } | null | typeof MERGED;
/** A cell covered by a merge: no value, its master's style (exceljs gives a merged cell its master's style). */
export const MERGED: unique symbol = Symbol('merged');

export interface RawRows {
  /** Appends a row after every row written so far; `styles[i]` is cell i's style object (shared, as exceljs keys ids on it). */
  add(values: readonly RawValue[], styles: readonly Partial<ExcelJS.Style>[], height?: number): number;
  /** Records a merge of rows already added (blocks that never overlap, as `mergeDisjoint`). */
  merge(top: number, left: number, bottom: number, right: number): void;
  /** Hands the buffered rows to the sheet and commits it. */
  commit(): void;
}

/**
 * The same rows through exceljs's own Row and Cell objects, committed at the end: the reference the raw rows are
 * compared with (tests, `COOP_ARCHIVE_ROWS=exceljs`); slow on a long sheet.
 */
export function exceljsRows(ws: ExcelJS.Worksheet): RawRows {
  return {
    add(values, styles, height) {
      const row = ws.addRow([]);
      values.forEach((value, c) => {
        // A merged cell is left to the merge, which gives it its master's style.
        if (value === MERGED) return;
        const cell = row.getCell(c + 1);
        cell.value = value;
        cell.style = styles[c]!;
      });
      if (height) row.height = height;
      return row.number;
    },
    merge: (top, left, bottom, right) => mergeDisjoint(ws, top, left, bottom, right),
    commit: () => ws.commit(),
  };
}

/** Characters of row XML gathered before they go to the sheet's stream (one buffer copy per batch, not per row). */
const RAW_BATCH = 1 << 16;

/**
 * The rows of a long sheet written as XML text, byte for byte as exceljs's row serialiser writes them (same style ids
 * from the writer's own style table, same shared-string indexes, same hyperlink relationships), without a Row and a Cell
 * object per cell: those, their XML rendering and their garbage were most of a large archive's time. Every row added
 * through exceljs before must be committed; nothing may be added through exceljs after.
 */
export function rawRows(ws: ExcelJS.Worksheet): RawRows {
  const sheet = ws as unknown as RowInternals;
  if (sheet._rows.some(Boolean) || !sheet.useSharedStrings) throw new Error('rawRows: uncommitted rows or no shared strings');
  if (!sheet.startedData) {
    sheet._writeColumns();
    sheet._writeOpenSheetData();
    sheet.startedData = true;
  }
  const { sharedStrings, styles } = sheet._workbook;
  const letters: string[] = [];
  const T = ExcelJS.ValueType;
  let xml = '';
  const flush = () => {
    if (xml) sheet.stream.write(xml);
    xml = '';
  };
  return {
    add(values, cellStyles, height) {
      const r = sheet._rowZero;
      sheet._rowZero = r + 1;
      let cells = '';
      let hasValues = false;
      for (let c = 0; c < values.length; c++) {
        const value = values[c];
        const type =
          value === null
            ? T.Null
            : value === MERGED
              ? T.Merge
              : typeof value === 'string'
                ? T.String
                : typeof value === 'number'
                  ? T.Number
                  : typeof value === 'boolean'
                    ? T.Boolean
                    : value instanceof Date
                      ? T.Date
                      : T.Hyperlink;
        const id = styles.addStyleModel(cellStyles[c]!, type);
        if (type !== T.Null) hasValues = true;
        if (type === T.Null && !id) continue;
        const address = `${(letters[c] ??= columnLetter(c + 1))}${r}`;
        cells += `<c r="${address}"${id ? ` s="${id}"` : ''}`;
        switch (type) {
          case T.String:
            cells += ` t="s"><v>${sharedStrings.add(value as string)}</v></c>`;
            break;
          case T.Number:
            cells += `><v>${value as number}</v></c>`;
            break;
          case T.Boolean:
            cells += ` t="b"><v>${value ? '1' : '0'}</v></c>`;
            break;
          case T.Date:
            // exceljs's dateToExcel: UTC midnight of a calendar date is a whole serial day.
            cells += `><v>${25569 + (value as Date).getTime() / (24 * 3600 * 1000)}</v></c>`;
            break;
          case T.Hyperlink: {
            const link = value as { text: string; hyperlink: string };
            cells += ` t="s"><v>${sharedStrings.add(link.text)}</v></c>`;
            sheet._sheetRelsWriter.addHyperlink({ address, target: link.hyperlink, tooltip: undefined });
            break;
          }
          default:
            cells += '/>';
        }
      }
      // exceljs leaves out a row with neither a value nor a height.
      if (!hasValues && !height) return r;
      const spans = values.length ? ` spans="1:${values.length}"` : '';
      xml += `<row r="${r}"${height ? ` ht="${height}" customHeight="1"` : ''}${spans} x14ac:dyDescent="0.25">${cells}</row>`;
      if (xml.length >= RAW_BATCH) flush();
      return r;
    },
    merge(top, left, bottom, right) {
      sheet._merges.push(new Range(top, left, bottom, right));
    },
    commit() {
      flush();
      ws.commit();
    },
  };
}

/**
 * exceljs's streaming workbook writer, made to carry what its whole-model writer writes for a printed workbook, with
 * long sheets' rows written as XML text and the parts deflated concurrently into a zip of our own (the archive's speed).
 */
import { EventEmitter, once } from 'node:events';
import { PassThrough } from 'node:stream';
import * as zlib from 'node:zlib';
import ExcelJS from 'exceljs';
// @ts-expect-error exceljs ships no typings for its xforms; this is the one its whole-model writer renders app.xml with.
import AppXform from 'exceljs/lib/xlsx/xform/core/app-xform.js';
// @ts-expect-error nor for its ranges; a merge is recorded as the writer's own range, so it prints as the writer prints it.
import Range from 'exceljs/lib/doc/range.js';
// @ts-expect-error nor for its utilities; shared strings are escaped by the writer's own XML encoder.
import exceljsUtils from 'exceljs/lib/utils/utils.js';
import { columnLetter } from '../util/a1.js';
import { crc32Update, writeZip, type DeflatedPart, type ZipArchive } from './zip-parts.js';

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
  stream: NodeJS.WritableStream;
  _openStream(path: string): EventEmitter;
  promise: Promise<unknown>;
  addApp(): Promise<void>;
  addThemes(): Promise<void>;
  sharedStrings: unknown;
  addSharedStrings(): Promise<void>;
  addOfficeRels(): Promise<void>;
}

const xmlEncode = (exceljsUtils as { xmlEncode(text: string): string }).xmlEncode;

/** A part's deflate input: bytes in order, then the end. */
interface PartInput {
  write(data: Buffer): void;
  end(): void;
}

/** Text gathered per write to zlib: each write is a round trip to node's thread pool. */
const PART_BATCH = 1 << 16;

/**
 * A part's stream as exceljs's sheet, relationship and comment writers use it (`write` of text or of its StringBuf,
 * `end`, `pause`, the `finish` event): text goes to the part's deflate in batches, converted to bytes once — where
 * exceljs's own StreamBuf copied it again into 64 K buffers of its own.
 */
class PartStream extends EventEmitter {
  private text = '';

  constructor(private readonly input: PartInput) {
    super();
  }

  write(data: string | Buffer | { toBuffer(): Buffer | null }): boolean {
    // A StringBuf's bytes are its own buffer, reused by its next text: taken as text at once.
    this.text += typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : (data.toBuffer()?.toString('utf8') ?? '');
    if (this.text.length >= PART_BATCH) this.flush();
    return true;
  }

  end(): void {
    this.flush();
    this.input.end();
    this.emit('finish');
  }

  pause(): void {}

  private flush(): void {
    if (this.text) this.input.write(Buffer.from(this.text, 'utf8'));
    this.text = '';
  }
}

/**
 * The workbook's shared strings as exceljs's writer keeps them (`add` gives each new text the next index; `count`,
 * `values`), in a Map rather than an object used as a hash, and written to the zip in batches rather than rendered
 * whole: a 10,000-project archive has 90,000 of them, and rendering them as one XML string was the write's last peak.
 * `sharedStrings.xml` comes out as exceljs's SharedStringsXform writes it (the exceljs rows, the tests' reference,
 * keep exceljs's own).
 */
class SharedStrings {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];
  totalRefs = 0;

  get count(): number {
    return this.values.length;
  }

  add(text: string): number {
    this.totalRefs++;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(text, i);
      this.values.push(text);
    }
    return i;
  }

  getString(i: number): string | undefined {
    return this.values[i];
  }

  write(zip: ZipSink): void {
    if (!this.values.length) return;
    const part = zip.open('xl/sharedStrings.xml');
    const n = this.values.length;
    part.write(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${n}" uniqueCount="${n}">`,
    );
    for (const text of this.values) {
      // As exceljs's TextXform: space kept where it leads, trails or breaks a line; text escaped by its own encoder.
      part.write(`<si><t${/^\s|\n|\s$/.test(text) ? ' xml:space="preserve"' : ''}>${xmlEncode(text)}</t></si>`);
    }
    part.write('</sst>');
    part.end();
  }
}

/**
 * zlib level 3, not archiver's 6: on the 80 MB of XML of a 10,000-project archive, 0.33 s of deflate against 0.83 s,
 * for 7 % more bytes (9.3 against 8.7 MB) — the deflate was the largest single cost left after the rows.
 */
const ARCHIVE_DEFLATE_LEVEL = 3;

const MAX_BACKLOG = 4 << 20;

const NO_ZIP: ZipArchive = { bytes: Buffer.alloc(0), entries: [], comment: Buffer.alloc(0) };

/**
 * The zip the writer fills, in place of its archiver. Each part is deflated by a zlib stream of its own as its text
 * arrives — node runs them on its thread pool, beside the rows still being written and beside each other, where
 * archiver took one part at a time and computed its CRC-32 in JavaScript — and the parts are packed by zip-parts'
 * writer when the book is committed, in the order they were opened (the compressed archive is a few MB).
 */
class ZipSink {
  private readonly parts: { name: string; done: Promise<DeflatedPart> }[] = [];
  /** Parts still being written, whose deflate may fall behind the rows. */
  private readonly writing = new Set<zlib.DeflateRaw>();
  private fail: (error: unknown) => void = () => {};

  constructor(private readonly out: NodeJS.WritableStream) {}

  /** A part written whole (the workbook's own parts: styles, shared strings, properties…). */
  append(source: string | Buffer, options: { name: string }): void {
    const input = this.part(options.name);
    input.write(Buffer.from(source));
    input.end();
  }

  /** A part written as it goes (the sheets and their relationships and comments). */
  open(name: string): PartStream {
    return new PartStream(this.part(name));
  }

  private part(path: string): PartInput {
    // Names as archiver stores them: exceljs writes some with a leading slash.
    const name = path.replace(/^\/+/, '');
    const deflate = zlib.createDeflateRaw({ level: ARCHIVE_DEFLATE_LEVEL });
    const chunks: Buffer[] = [];
    let compressedSize = 0;
    let size = 0;
    let crc = 0;
    deflate.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      compressedSize += chunk.length;
    });
    const done = new Promise<DeflatedPart>((resolve, reject) => {
      deflate.on('end', () => resolve({ chunks, compressedSize, size, crc, segments: [] }));
      deflate.on('error', reject);
    });
    this.parts.push({ name, done });
    this.writing.add(deflate);
    return {
      write(data) {
        size += data.length;
        crc = crc32Update(crc, data);
        deflate.write(data);
      },
      end: () => {
        this.writing.delete(deflate);
        deflate.end();
      },
    };
  }

  /**
   * Waits while a part's deflate has more than MAX_BACKLOG bytes of text queued: on a busy machine the rows outrun the
   * thread pool, and the queue (34 MB of a 10,000-project review sheet, measured) would add to the peak memory.
   */
  async settle(): Promise<void> {
    for (const deflate of this.writing) if (deflate.writableLength > MAX_BACKLOG) await once(deflate, 'drain');
  }

  on(event: string, listener: (error: unknown) => void): this {
    if (event === 'error') this.fail = listener;
    return this;
  }

  finalize(): void {
    Promise.all(this.parts.map((p) => p.done)).then(
      (parts) => this.out.end(writeZip(NO_ZIP, new Map(parts.map((part, i) => [this.parts[i]!.name, part])))),
      (error) => this.fail(error),
    );
  }
}

export interface StreamBook {
  writer: ExcelJS.stream.xlsx.WorkbookWriter;
  addSheet(name: string, options: SheetOptions): ExcelJS.Worksheet;
  /** The writer of a long sheet's rows, once its own rows (title, header) are committed: raw XML or exceljs's rows. */
  rows(ws: ExcelJS.Worksheet): RawRows;
  /** Yields to the event loop and lets the zip catch up, so a long sheet's text does not pile up in memory. */
  drain(): Promise<void>;
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
  const raw = rows === 'raw';
  // Shared strings as the whole-model writer uses them: LibreOffice, WPS and older readers all take them. With raw rows
  // the writer's own archiver gets a stream nobody reads: it has taken the theme and the package relationships, which
  // are added again to the zip that replaces it. The exceljs rows (the reference) keep exceljs's zip and strings.
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: raw ? new PassThrough() : sink, useStyles: true, useSharedStrings: true });
  Object.assign(writer, properties);
  const book = writer as unknown as BookInternals;
  const zip = raw ? new ZipSink(sink) : null;
  if (zip) {
    book.zip = zip;
    book.stream = sink;
    book._openStream = (path) => {
      const stream = zip.open(path);
      // As the writer's own: a part counts as zipped once written (the writer waits for it on commit).
      stream.on('finish', () => stream.emit('zipped'));
      return stream;
    };
    book.promise = Promise.all([book.addThemes(), book.addOfficeRels()]);
    const strings = new SharedStrings();
    book.sharedStrings = strings;
    book.addSharedStrings = async () => strings.write(zip);
  }
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
    rows: raw ? rawRows : exceljsRows,
    async drain() {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await zip?.settle();
    },
    async finish() {
      const ended = new Promise<void>((resolve, reject) => {
        sink.on('end', resolve);
        sink.on('error', reject);
      });
      await writer.commit();
      await ended;
      // The zip arrives whole, as one chunk: no copy then.
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
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
